/*-------------------------------------------------------------------------
 *
 * mssql_cdc.c
 *		Module entry point of the mssql_cdc extension.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/*
 * _PG_init
 *		Called once when the library is loaded.
 */
void
_PG_init(void)
{
}
