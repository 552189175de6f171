/*-------------------------------------------------------------------------
 *
 * mssql_cdc.c
 *		Module entry point of the mssql_cdc extension: GUCs.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "mssql_cdc.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* mssql_cdc.max_connections_per_server */
int			mssql_max_connections_per_server = 8;

/*
 * _PG_init
 *		Called once when the library is loaded.
 */
void
_PG_init(void)
{
	DefineCustomIntVariable("mssql_cdc.max_connections_per_server",
							"Most SQL Server sessions one backend keeps open per user mapping.",
							"A query that scans several foreign tables of one server at once needs one session per scan.",
							&mssql_max_connections_per_server,
							8, 1, 100,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("mssql_cdc");
}
