/*
 * engine_testctl.c
 *		Test-only controls of the stand-in: stored procedures in schema
 *		sim_test that tests call to inject faults or force maintenance.
 *		The extension never calls them; a real SQL Server does not have
 *		them (tests detect the stand-in with EXEC sim_test.is_stand_in).
 *		Documented in TEST_CONTROLS.md.
 *
 *   sim_test.is_stand_in                          one row: 1
 *   sim_test.force_ct_cleanup [@up_to_version]    CT cleanup now
 *   sim_test.force_cdc_cleanup [@capture_instance] [, @low_water_mark]
 *   sim_test.drop_connection_after_rows @rows [, @spid] [, @database] [, @app_name]
 *   sim_test.fail_next_statement @error_number [, @database] [, @match] [, @count]
 *   sim_test.set_delay @ms [, @spid] [, @database] [, @app_name]
 *   sim_test.set_capture_delay @ms                CDC capture latency (this database)
 *
 * Faults apply to other connections than the test's own (the test that
 * sets them uses another connection than the client under test), so they
 * are process-wide unless a target narrows them: @spid (one session),
 * @database (sessions whose current database it is), @app_name (sessions
 * whose client sent that application name in LOGIN7).  fail_next_statement
 * is acted on here, by a statement hook registered before every other
 * hook; the delay and the dropped connection by the protocol side, which
 * asks sim_fault_delay_ms() and sim_fault_drop_now() (sim.h) about each
 * session.  An untargeted delay or drop is also kept in sim_faults, as
 * before targets existed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine_int.h"
#include "engine_feat.h"

typedef struct FailNext
{
	int			count;			/* statements still to fail */
	int			error_number;
	int			setter_spid;	/* the session that armed it is spared */
	char		database[ENGINE_NAME_BUF];	/* "" = any */
	char		match[512];		/* "" = any statement */
} FailNext;

static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;
static FailNext fail_next;

/* SQL Server's text, severity and state for the errors tests inject. */
static void
raise_injected(SimSession *s, int number)
{
	switch (number)
	{
		case 1205:
			engine_error_sev(s, 1205, 13, 51,
							 "Transaction (Process ID %d) was deadlocked on lock resources with another"
							 " process and has been chosen as the deadlock victim. Rerun the transaction.",
							 engine_spid(s));
			break;
		case 1222:
			engine_error_sev(s, 1222, 16, 56, "Lock request time out period exceeded.");
			break;
		case 3960:
			engine_error_sev(s, 3960, 16, 2,
							 "Snapshot isolation transaction aborted due to update conflict. You cannot use"
							 " snapshot isolation to access table 'dbo.t' directly or indirectly in database"
							 " '%s' to update, delete, or insert the row that has been modified or deleted by"
							 " another transaction. Retry the transaction or change the isolation level for"
							 " the update/delete statement.", sim_session_database(s));
			break;
		case 40613:
			engine_error_sev(s, 40613, 17, 1,
							 "Database '%s' on server '%s' is not currently available. Please retry the"
							 " connection later.", sim_session_database(s), engine_server_name());
			break;
		default:
			engine_error(s, number, "Error %d raised by sim_test.fail_next_statement.", number);
			break;
	}
}

/* Case-insensitive substring test. */
static bool
contains_ci(const char *hay, const char *needle)
{
	size_t		n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/*
 * Statement hook: fail the statement if a fault is armed for it.  Errors
 * that SQL Server answers by rolling the transaction back (1205, 3960)
 * roll it back here too.
 */
static EngineHookResult
testctl_stmt_hook(SimSession *s, const EngineStmt *st, int *skip, void *arg)
{
	int			number = 0;
	char	   *text;

	if (__atomic_load_n(&fail_next.count, __ATOMIC_ACQUIRE) <= 0 || st->ntok == 0)
		return ENGINE_HOOK_PASS;
	text = engine_tok_text(st, 0, st->ntok);
	pthread_mutex_lock(&fail_lock);
	if (fail_next.count > 0 && fail_next.setter_spid != engine_spid(s) &&
		(fail_next.database[0] == '\0' ||
		 engine_strcasecmp(fail_next.database, sim_session_database(s)) == 0) &&
		(fail_next.match[0] == '\0' || contains_ci(text, fail_next.match)))
	{
		fail_next.count--;
		number = fail_next.error_number;
	}
	pthread_mutex_unlock(&fail_lock);
	free(text);
	if (number == 0)
		return ENGINE_HOOK_PASS;
	raise_injected(s, number);
	if ((number == 1205 || number == 3960) && engine_trancount(s) > 0)
		engine_rollback_tran(s, true);
	return ENGINE_HOOK_ERROR;
}

/* ------------------------------------------------------------------------
 * Targeted protocol faults (set_delay, drop_connection_after_rows)
 * ------------------------------------------------------------------------
 */

typedef enum FaultKind
{
	FAULT_DELAY,
	FAULT_DROP
} FaultKind;

/* Which sessions a fault applies to; all set parts must match. */
typedef struct FaultTarget
{
	int			spid;			/* 0 = any */
	char		database[ENGINE_NAME_BUF];	/* "" = any */
	char		app_name[ENGINE_NAME_BUF];	/* "" = any */
} FaultTarget;

typedef struct TargetedFault
{
	bool		used;
	FaultKind	kind;
	int64_t		value;			/* delay ms, or rows */
	FaultTarget target;
} TargetedFault;

#define MAX_TARGETED_FAULTS 32

static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static TargetedFault faults[MAX_TARGETED_FAULTS];
static int	nfaults_armed;		/* read without the lock as a fast path */

/* The client's application name (APP_NAME()) into buf; "" when unknown. */
static void
session_app_name(SimSession *s, char *buf, size_t len)
{
	char		fn[128];
	char		sql[160];
	sqlite3_stmt *stmt;

	buf[0] = '\0';
	engine_func_sqlname("APP_NAME", fn, sizeof(fn));
	snprintf(sql, sizeof(sql), "SELECT %s()", fn);
	if (engine_db(s) == NULL ||
		sqlite3_prepare_v2(engine_db(s), sql, -1, &stmt, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		snprintf(buf, len, "%s", (const char *) sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
}

/* Does target t cover session s?  Caller holds fault_lock. */
static bool
target_matches(const FaultTarget *t, SimSession *s)
{
	if (s == NULL)
		return false;
	if (t->spid != 0 && t->spid != engine_spid(s))
		return false;
	if (t->database[0] && engine_strcasecmp(t->database, sim_session_database(s)) != 0)
		return false;
	if (t->app_name[0])
	{
		char		app[ENGINE_NAME_BUF];

		session_app_name(s, app, sizeof(app));
		if (engine_strcasecmp(t->app_name, app) != 0)
			return false;
	}
	return true;
}

static bool
same_target(const FaultTarget *a, const FaultTarget *b)
{
	return a->spid == b->spid && engine_strcasecmp(a->database, b->database) == 0 &&
		engine_strcasecmp(a->app_name, b->app_name) == 0;
}

/*
 * Arm (value > 0) or clear (value <= 0) the fault of this kind for exactly
 * this target, replacing an earlier one for the same target.  False when
 * the table is full.
 */
static bool
fault_set(FaultKind kind, const FaultTarget *target, int64_t value)
{
	int			i;
	int			free_slot = -1;
	bool		ok = true;

	pthread_mutex_lock(&fault_lock);
	for (i = 0; i < MAX_TARGETED_FAULTS; i++)
	{
		if (faults[i].used && faults[i].kind == kind && same_target(&faults[i].target, target))
		{
			faults[i].used = false;
			nfaults_armed--;
		}
		if (!faults[i].used && free_slot < 0)
			free_slot = i;
	}
	if (value > 0)
	{
		if (free_slot < 0)
			ok = false;
		else
		{
			faults[free_slot].used = true;
			faults[free_slot].kind = kind;
			faults[free_slot].value = value;
			faults[free_slot].target = *target;
			nfaults_armed++;
		}
	}
	pthread_mutex_unlock(&fault_lock);
	return ok;
}

/* sim.h: the delay before each response to session s. */
int64_t
sim_fault_delay_ms(SimSession *s)
{
	int64_t		delay = __atomic_load_n(&sim_faults.delay_ms, __ATOMIC_RELAXED);
	int			i;

	if (__atomic_load_n(&nfaults_armed, __ATOMIC_RELAXED) == 0 || s == NULL)
		return delay;
	pthread_mutex_lock(&fault_lock);
	for (i = 0; i < MAX_TARGETED_FAULTS; i++)
		if (faults[i].used && faults[i].kind == FAULT_DELAY && faults[i].value > delay &&
			target_matches(&faults[i].target, s))
			delay = faults[i].value;
	pthread_mutex_unlock(&fault_lock);
	return delay;
}

/*
 * sim.h: a result of session s has reached rows rows; true (once) if a
 * drop_connection_after_rows fault for that many rows applies to s: the
 * fault is used up and the caller closes the connection.
 */
bool
sim_fault_drop_now(SimSession *s, int64_t rows)
{
	int64_t		drop = __atomic_load_n(&sim_faults.drop_after_rows, __ATOMIC_RELAXED);
	bool		hit = false;
	int			i;

	if (drop > 0 && rows >= drop &&
		__atomic_compare_exchange_n(&sim_faults.drop_after_rows, &drop, 0,
									false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return true;
	if (__atomic_load_n(&nfaults_armed, __ATOMIC_RELAXED) == 0 || s == NULL)
		return false;
	pthread_mutex_lock(&fault_lock);
	for (i = 0; i < MAX_TARGETED_FAULTS && !hit; i++)
		if (faults[i].used && faults[i].kind == FAULT_DROP && rows >= faults[i].value &&
			target_matches(&faults[i].target, s))
		{
			faults[i].used = false;
			nfaults_armed--;
			hit = true;
		}
	pthread_mutex_unlock(&fault_lock);
	return hit;
}

/* ------------------------------------------------------------------------
 * Procedures
 * ------------------------------------------------------------------------
 */

static bool
param_int(EngineProcCall *call, const char *name, int pos, int64_t *out)
{
	const SimParam *p = engine_proc_param(call, name, pos);

	if (p == NULL || sqlite3_value_type(p->value) == SQLITE_NULL)
		return false;
	*out = sqlite3_value_int64(p->value);
	return true;
}

/* sim_test.is_stand_in: SELECT 1 AS is_stand_in */
static int
proc_is_stand_in(EngineProcCall *call, void *arg)
{
	sqlite3_stmt *stmt;
	static const SimType intt = {SIM_INT, 0, 0, 0};

	if (sqlite3_prepare_v2(engine_db(call->session), "SELECT 1 AS is_stand_in", -1, &stmt, NULL) != SQLITE_OK)
		return 1;
	engine_send_result(call->session, stmt, &intt, 1);
	sqlite3_finalize(stmt);
	return 0;
}

/* sim_test.force_ct_cleanup [@up_to_version bigint] */
static int
proc_force_ct_cleanup(EngineProcCall *call, void *arg)
{
	int64_t		v = -1;

	param_int(call, "@up_to_version", 0, &v);
	return ct_force_cleanup(call->session, v) ? 0 : 1;
}

/* sim_test.force_cdc_cleanup [@capture_instance sysname] [, @low_water_mark binary(10)] */
static int
proc_force_cdc_cleanup(EngineProcCall *call, void *arg)
{
	const char *ci = engine_proc_param_text(call, "@capture_instance", 0);
	const SimParam *lw = engine_proc_param(call, "@low_water_mark", 1);
	unsigned char lsn[10];
	bool		have = false;

	if (lw && sqlite3_value_type(lw->value) == SQLITE_BLOB && sqlite3_value_bytes(lw->value) == 10)
	{
		memcpy(lsn, sqlite3_value_blob(lw->value), 10);
		have = true;
	}
	return cdc_cleanup(call->session, ci, have ? lsn : NULL) ? 0 : 1;
}

/*
 * The optional target parameters of set_delay and drop_connection_after_rows
 * (@spid int, @database sysname, @app_name nvarchar(128), at positions 1-3)
 * into *t; *any is set when one was given.  False after reporting an error
 * (a database that does not exist).
 */
static bool
param_target(EngineProcCall *call, FaultTarget *t, bool *any)
{
	int64_t		spid = 0;
	const char *db = engine_proc_param_text(call, "@database", 2);
	const char *app = engine_proc_param_text(call, "@app_name", 3);
	char		canon[ENGINE_NAME_BUF];

	memset(t, 0, sizeof(*t));
	*any = false;
	if (param_int(call, "@spid", 1, &spid) && spid != 0)
	{
		t->spid = (int) spid;
		*any = true;
	}
	if (db && db[0])
	{
		if (!engine_database_exists(db, canon, sizeof(canon)))
		{
			engine_error(call->session, 911, "Database '%s' does not exist. Make sure that the name is entered correctly.", db);
			return false;
		}
		snprintf(t->database, sizeof(t->database), "%s", canon);
		*any = true;
	}
	if (app && app[0])
	{
		snprintf(t->app_name, sizeof(t->app_name), "%s", app);
		*any = true;
	}
	return true;
}

/*
 * sim_test.drop_connection_after_rows @rows [, @spid] [, @database] [, @app_name]
 * Without a target: the next result of any session (the old call).
 */
static int
proc_drop_after_rows(EngineProcCall *call, void *arg)
{
	int64_t		n;
	FaultTarget t;
	bool		any;

	if (!param_int(call, "@rows", 0, &n))
	{
		engine_error(call->session, 201, "Procedure or function 'drop_connection_after_rows' expects parameter '@rows', which was not supplied.");
		return 1;
	}
	if (!param_target(call, &t, &any))
		return 1;
	if (!any)
	{
		__atomic_store_n(&sim_faults.drop_after_rows, n, __ATOMIC_SEQ_CST);
		return 0;
	}
	if (!fault_set(FAULT_DROP, &t, n))
	{
		engine_error(call->session, 50000, "sim_test: too many targeted faults armed (%d).", MAX_TARGETED_FAULTS);
		return 1;
	}
	return 0;
}

/*
 * sim_test.set_delay @ms [, @spid] [, @database] [, @app_name]
 * Without a target: every response of every session (the old call).
 */
static int
proc_set_delay(EngineProcCall *call, void *arg)
{
	int64_t		ms;
	FaultTarget t;
	bool		any;

	if (!param_int(call, "@ms", 0, &ms))
	{
		engine_error(call->session, 201, "Procedure or function 'set_delay' expects parameter '@ms', which was not supplied.");
		return 1;
	}
	if (!param_target(call, &t, &any))
		return 1;
	if (!any)
	{
		__atomic_store_n(&sim_faults.delay_ms, ms < 0 ? 0 : ms, __ATOMIC_SEQ_CST);
		return 0;
	}
	if (!fault_set(FAULT_DELAY, &t, ms))
	{
		engine_error(call->session, 50000, "sim_test: too many targeted faults armed (%d).", MAX_TARGETED_FAULTS);
		return 1;
	}
	return 0;
}

/* sim_test.set_capture_delay @ms: for the current database */
static int
proc_set_capture_delay(EngineProcCall *call, void *arg)
{
	int64_t		ms;

	if (!param_int(call, "@ms", 0, &ms))
	{
		engine_error(call->session, 201, "Procedure or function 'set_capture_delay' expects parameter '@ms', which was not supplied.");
		return 1;
	}
	return cdc_set_capture_delay(call->session, ms < 0 ? 0 : ms) ? 0 : 1;
}

/*
 * sim_test.fail_next_statement @error_number [, @database sysname]
 *		[, @match nvarchar] [, @count int]
 */
static int
proc_fail_next(EngineProcCall *call, void *arg)
{
	int64_t		number;
	int64_t		count = 1;
	const char *db = engine_proc_param_text(call, "@database", 1);
	const char *match = engine_proc_param_text(call, "@match", 2);

	if (!param_int(call, "@error_number", 0, &number))
	{
		engine_error(call->session, 201, "Procedure or function 'fail_next_statement' expects parameter '@error_number', which was not supplied.");
		return 1;
	}
	param_int(call, "@count", 3, &count);
	pthread_mutex_lock(&fail_lock);
	fail_next.error_number = (int) number;
	fail_next.setter_spid = engine_spid(call->session);
	snprintf(fail_next.database, sizeof(fail_next.database), "%s", db ? db : "");
	snprintf(fail_next.match, sizeof(fail_next.match), "%s", match ? match : "");
	__atomic_store_n(&fail_next.count, (int) count, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&fail_lock);
	return 0;
}

void
engine_testctl_register(void)
{
	engine_register_stmt_hook(testctl_stmt_hook, NULL);
	engine_register_proc("sim_test.is_stand_in", proc_is_stand_in, NULL);
	engine_register_proc("sim_test.force_ct_cleanup", proc_force_ct_cleanup, NULL);
	engine_register_proc("sim_test.force_cdc_cleanup", proc_force_cdc_cleanup, NULL);
	engine_register_proc("sim_test.drop_connection_after_rows", proc_drop_after_rows, NULL);
	engine_register_proc("sim_test.fail_next_statement", proc_fail_next, NULL);
	engine_register_proc("sim_test.set_delay", proc_set_delay, NULL);
	engine_register_proc("sim_test.set_capture_delay", proc_set_capture_delay, NULL);
}
