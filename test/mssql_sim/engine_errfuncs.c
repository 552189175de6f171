/*
 * engine_errfuncs.c
 *		ERROR_NUMBER(), ERROR_MESSAGE(), ERROR_SEVERITY(), ERROR_STATE(),
 *		ERROR_LINE(), ERROR_PROCEDURE(): the error caught by the CATCH block
 *		that is running.
 *
 * engine_errors.c records the first error raised inside BEGIN TRY in the
 * session (caught_*); engine_control.c counts the CATCH blocks being run
 * (catch_depth).  Outside a CATCH block every function returns NULL, as on
 * SQL Server ("ERROR_NUMBER (Transact-SQL)": NULL if called outside the
 * scope of a CATCH block).
 */
#include <string.h>

#include "engine_int.h"

extern void engine_errfuncs_register(void);

static const SimType int_type = {SIM_INT, 0, 0, 0};
static const SimType message_type = {SIM_NVARCHAR, 4000, 0, 0};
static const SimType proc_type = {SIM_NVARCHAR, 128, 0, 0};

/* The session, if a CATCH block is running (else NULL: result NULL). */
static SimSession *
in_catch(sqlite3_context *ctx)
{
	SimSession *s = sqlite3_user_data(ctx);

	return (s && s->catch_depth > 0) ? s : NULL;
}

static void
fn_error_number(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = in_catch(ctx);

	(void) argc;
	(void) argv;
	if (s)
		sqlite3_result_int(ctx, s->caught_number);
}

static void
fn_error_message(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = in_catch(ctx);

	(void) argc;
	(void) argv;
	if (s)
		sqlite3_result_text(ctx, s->caught_message, -1, SQLITE_TRANSIENT);
}

static void
fn_error_severity(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = in_catch(ctx);

	(void) argc;
	(void) argv;
	if (s)
		sqlite3_result_int(ctx, s->caught_severity);
}

static void
fn_error_state(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = in_catch(ctx);

	(void) argc;
	(void) argv;
	if (s)
		sqlite3_result_int(ctx, s->caught_state);
}

static void
fn_error_line(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = in_catch(ctx);

	(void) argc;
	(void) argv;
	if (s)
		sqlite3_result_int(ctx, s->caught_line);
}

static void
fn_error_procedure(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = in_catch(ctx);

	(void) argc;
	(void) argv;
	if (s && s->caught_proc[0])
		sqlite3_result_text(ctx, s->caught_proc, -1, SQLITE_TRANSIENT);
}

/* Register function: see engine_extensions.c. */
void
engine_errfuncs_register(void)
{
	engine_register_function("ERROR_NUMBER", 0, SQLITE_UTF8, fn_error_number, &int_type);
	engine_register_function("ERROR_MESSAGE", 0, SQLITE_UTF8, fn_error_message, &message_type);
	engine_register_function("ERROR_SEVERITY", 0, SQLITE_UTF8, fn_error_severity, &int_type);
	engine_register_function("ERROR_STATE", 0, SQLITE_UTF8, fn_error_state, &int_type);
	engine_register_function("ERROR_LINE", 0, SQLITE_UTF8, fn_error_line, &int_type);
	engine_register_function("ERROR_PROCEDURE", 0, SQLITE_UTF8, fn_error_procedure, &proc_type);
}
