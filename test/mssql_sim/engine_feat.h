/*
 * engine_feat.h
 *		Declarations shared by the features built on the engine's extension
 *		points: Change Tracking (engine_ct.c), CDC (engine_cdc.c), SNAPSHOT
 *		isolation (engine_snapshot.c), the sim_test.* controls
 *		(engine_testctl.c), and their small helpers (engine_featutil.c).
 *
 * The engine core never includes this header; it only calls the register
 * functions (engine_extensions.c).
 */
#ifndef ENGINE_FEAT_H
#define ENGINE_FEAT_H

#include "engine.h"

/* buffer size for one name part */
#define ENGINE_NAME_BUF 256

/* Register functions, called by engine_register_extensions() */
extern void engine_testctl_register(void);
extern void engine_snapshot_register(void);
extern void engine_ct_register(void);
extern void engine_cdc_register(void);

/* ---------------- helpers (engine_featutil.c) ---------------- */

/*
 * Run SQLite SQL (one or more statements) on db.  On failure returns false
 * and, if s is not NULL, reports the SQLite error to the client as SQL
 * Server error 50000 with the SQLite text (these are internal statements:
 * a failure is a stand-in bug, not a T-SQL error).
 */
extern bool feat_exec(SimSession *s, sqlite3 *db, const char *sql);

/*
 * Run a query returning one integer.  Returns true and sets *out when a
 * row with a non-NULL value came back; false otherwise (no row, NULL, or
 * an error, e.g. a missing table).  bind: optional int64 for ?1.
 */
extern bool feat_query_int(sqlite3 *db, const char *sql, const int64_t *bind,
						   int64_t *out);

/* True if the main database of db has a table (or view) of that name. */
extern bool feat_table_exists(sqlite3 *db, const char *name);

/*
 * Parse a dotted T-SQL name from tokens st->tok[*pos...]: up to four parts
 * (words or quoted identifiers separated by '.').  Fills schema and name
 * (schema "" when absent); advances *pos past the name.  False if there is
 * no name at *pos.
 */
extern bool feat_parse_name(const EngineStmt *st, int *pos, char *schema,
							char *name, size_t len);

/*
 * Look up a table of the current database by "schema.name" text as written
 * ("dbo.t", "[dbo].[t]", "t").  NULL when it does not exist.  Free with
 * engine_table_free.
 */
extern EngineTable *feat_table_by_text(SimSession *s, const char *text);

/*
 * ALTER DATABASE <name>|CURRENT: the canonical name of the target database
 * (token 2) into canon; false after reporting 911 when it does not exist.
 */
extern bool feat_alter_database_target(SimSession *s, const EngineStmt *st,
									   char *canon, size_t len);

/* Work done on behalf of ALTER DATABASE in database dbname. */
typedef EngineHookResult (*FeatDbFn) (SimSession *s, const char *dbname,
									  const EngineStmt *st, void *arg);

/*
 * Run fn with the session's handle on database dbname (canonical name) and
 * return its result; the session comes back to its own database afterwards
 * and the client sees no change of database context.  Reports 226 and
 * returns ENGINE_HOOK_ERROR when a switch is needed inside a transaction.
 */
extern EngineHookResult feat_in_database(SimSession *s, const char *dbname, FeatDbFn fn,
										 const EngineStmt *st, void *arg);

/* True for SQL Server's system databases (master, tempdb, model, msdb). */
extern bool feat_is_system_db(const char *name);

/* Current UTC time as 'YYYY-MM-DD hh:mm:ss.fff' (datetime storage form). */
extern void feat_now(char *buf, size_t len);

/* Hex digits to bytes: returns the byte count or -1 on bad input. */
extern int	feat_hex_decode(const char *hex, unsigned char *out, int outlen);

/*
 * Columns assigned by the running UPDATE (see engine_featutil.c):
 * feat_assigned_register() at extension registration (idempotent),
 * feat_assigned_create() on every handle (SQL function
 * sim_col_assigned(object_id, column_id, value_changed) for triggers),
 * feat_note_update() from a statement hook before each statement (from:
 * the token where the statement proper starts).
 */
extern void feat_assigned_register(void);
extern void feat_assigned_create(SimSession *s, sqlite3 *db);
extern void feat_note_update(SimSession *s, const EngineStmt *st, int from);

/* ---------------- shared between features ---------------- */

/*
 * engine_cdc.c: delay, in ms, before a commit of the session's database
 * counts as captured (0 = none).  False after reporting an error.
 */
extern bool cdc_set_capture_delay(SimSession *s, int64_t ms);

/*
 * engine_cdc.c: cleanup of a capture instance's change rows below a new
 * low end (NULL = everything up to the max LSN).  Returns false after
 * reporting an error.
 */
extern bool cdc_cleanup(SimSession *s, const char *capture_instance,
						const unsigned char *low_water_mark);

/*
 * engine_ct.c: remove change tracking information up to a version
 * (up_to < 0: up to the current version) in the session's database.
 */
extern bool ct_force_cleanup(SimSession *s, int64_t up_to);

#endif							/* ENGINE_FEAT_H */
