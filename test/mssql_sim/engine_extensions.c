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

extern void engine_register_extensions(void);

/*
 * Register every extension.  Order matters only for statement hooks and
 * TVF prefixes, which are tried in registration order.
 */
void
engine_register_extensions(void)
{
	engine_builtin_procs_register();
	/* engine_ct_register();       Change Tracking (engine_ct.c) */
	/* engine_cdc_register();      CDC (engine_cdc.c) */
	/* engine_testctl_register();  sim_test.* controls (engine_testctl.c) */
}
