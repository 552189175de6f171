/*
 * engine_extensions.c
 *		The list of features built on the engine's extension points.
 *
 * sim_engine_init() calls engine_register_extensions() once, before any
 * session exists.  Each feature (Change Tracking, CDC, SNAPSHOT, test
 * controls) adds one line here calling its own register function, which
 * in turn calls engine_register_proc/_function/_tvf/_stmt_hook/... (see
 * engine.h, "Extension points").
 */
#include "engine.h"
#include "engine_feat.h"

extern void engine_register_extensions(void);
extern void engine_clientinfo_register(void);
extern void engine_sampling_register(void);
extern void engine_decimal_register(void);
extern void engine_errfuncs_register(void);
extern void engine_waitfor_register(void);
extern void engine_odbcprocs_register(void);
extern void engine_sysinfo_register(void);
extern void engine_tsqlfuncs_register(void);
extern void engine_stringagg_register(void);

/*
 * Register every extension.  Order matters only for statement hooks and
 * TVF prefixes, which are tried in registration order.
 */
void
engine_register_extensions(void)
{
	engine_builtin_procs_register();
	/* the fault hook first, so that it sees every statement */
	engine_testctl_register();	/* sim_test.* controls (engine_testctl.c) */
	engine_snapshot_register();	/* SNAPSHOT isolation (engine_snapshot.c) */
	engine_ct_register();		/* Change Tracking (engine_ct.c) */
	engine_cdc_register();		/* CDC (engine_cdc.c) */
	engine_clientinfo_register();	/* APP_NAME(), HOST_NAME() (engine_clientinfo.c) */
	engine_sampling_register();	/* CHECKSUM() (engine_sampling.c) */
	engine_decimal_register();	/* exact decimal arithmetic (engine_decimal.c) */
	engine_errfuncs_register();	/* ERROR_NUMBER() ... in CATCH (engine_errfuncs.c) */
	engine_waitfor_register();	/* WAITFOR DELAY / TIME (engine_waitfor.c) */
	engine_odbcprocs_register();	/* sp_tables, sp_columns, ... (engine_odbcprocs.c) */
	engine_sysinfo_register();	/* SERVERPROPERTY, OBJECTPROPERTY, COL_NAME, sys.dm_* (engine_sysinfo.c) */
	engine_tsqlfuncs_register();	/* EOMONTH, SWITCHOFFSET, TODATETIMEOFFSET, FORMAT */
	engine_stringagg_register();	/* STRING_AGG ... WITHIN GROUP (engine_stringagg.c) */
}
