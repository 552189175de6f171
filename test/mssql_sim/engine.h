/*
 * engine.h
 *		Internal header of the stand-in's engine half (engine_*.c, cli.c).
 *
 * The protocol half only sees sim.h.  This header is shared by the engine
 * files and by the features built on top of the engine (Change Tracking,
 * CDC, SNAPSHOT isolation, test controls: engine_ct.c, engine_cdc.c,
 * engine_testctl.c, ...).  Those features never patch the core files; they
 * plug in through the registries and hooks declared in the "Extension
 * points" section below, from one registration function each that
 * sim_engine_init() calls (see engine_extensions.c's list; add yours there).
 *
 * Data model (DESIGN.md §5):
 *   - one SQLite file per SQL Server database: <dir>/<name>.db (master.db
 *     always exists), WAL mode;
 *   - one sqlite3 handle per session, opened on the current database
 *     (USE reopens it); the handle is never shared between threads;
 *   - a SQL Server table schema.name is the SQLite table "schema.name";
 *     its columns are declared with SQLite types that spell the SQL Server
 *     type (see engine_decltype()), so sqlite3_column_decltype() gives back
 *     the SQL Server type, also through views and subqueries;
 *   - the engine's own catalog lives in tables named __sim_* inside each
 *     database file; sys.* and INFORMATION_SCHEMA.* are TEMP views created
 *     on every handle.
 *
 * Threads: each session is used by one thread at a time.  The registries
 * are filled once, in sim_engine_init(), before any session exists, and are
 * read-only afterwards.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <stdarg.h>
#include "sim.h"

/* ------------------------------------------------------------------------
 * Small utilities (engine_util.c)
 * ------------------------------------------------------------------------
 */

/* Growable string buffer.  data is always NUL-terminated (after init). */
typedef struct EngineBuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} EngineBuf;

extern void ebuf_init(EngineBuf *b);
extern void ebuf_free(EngineBuf *b);
extern void ebuf_reset(EngineBuf *b);
extern void ebuf_append(EngineBuf *b, const char *s);
extern void ebuf_appendn(EngineBuf *b, const char *s, size_t n);
extern void ebuf_appendc(EngineBuf *b, char c);
extern void ebuf_printf(EngineBuf *b, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
/* Append s as a SQLite identifier: "s" with " doubled. */
extern void ebuf_append_ident(EngineBuf *b, const char *s);
/* Append s as a SQLite string literal: 's' with ' doubled. */
extern void ebuf_append_literal(EngineBuf *b, const char *s);

extern void *emalloc(size_t n);		/* aborts on out of memory */
extern char *estrdup(const char *s);
extern char *estrndup(const char *s, size_t n);
extern int	engine_strcasecmp(const char *a, const char *b);	/* ASCII */

/* ------------------------------------------------------------------------
 * Types (sim_types.c, engine_convert.c)
 * ------------------------------------------------------------------------
 */

/*
 * SQLite declared type for a SQL Server type, e.g. "int",
 * "nvarchar(50)", "decimal_text(10,2)", "datetime2_text(7)".  The spelling
 * is chosen so that SQLite's affinity rules give the storage form of sim.h
 * (decimal and date types get a "_text" suffix on the base name so that
 * they get TEXT affinity); engine_decltype_parse() reverses it.
 */
extern void engine_decltype(const SimType *t, char *buf, size_t buflen);
/* Parse a declared type made by engine_decltype (or a plain T-SQL type). */
extern bool engine_decltype_parse(const char *decl, SimType *out);
/* Collation SQLite must use for a column of this type (NULL for BINARY). */
extern const char *engine_type_collation(const SimType *t);

/*
 * A converted value, in storage form, not yet owned by SQLite.  p (TEXT or
 * BLOB bytes, n bytes long, TEXT also NUL-terminated) is malloc'd: release
 * with engine_value_free.
 */
typedef struct EngineValue
{
	int			type;			/* SQLITE_NULL, _INTEGER, _FLOAT, _TEXT, _BLOB */
	int64_t		i;
	double		d;
	char	   *p;
	int			n;
} EngineValue;

/*
 * Convert v to the storage form of type t, the way SQL Server converts on
 * INSERT/UPDATE (explicit_cast false: string/binary truncation is an error)
 * or in CAST/CONVERT (explicit_cast true: truncates silently).  On success
 * returns true and fills *out.  On failure returns false and fills *errnum
 * (245, 8114, 8115, 241, 242, 8169, 2628 ...) and errbuf with SQL Server's
 * message; for 2628 the caller adds table and column names if it has them
 * (errbuf then holds the truncated value only).
 */
extern bool engine_convert(sqlite3_value *v, const SimType *t, bool explicit_cast,
						   EngineValue *out, int *errnum,
						   char *errbuf, size_t errlen);
extern void engine_value_free(EngineValue *ev);
extern int	engine_value_bind(sqlite3_stmt *stmt, int idx, EngineValue *ev);
extern void engine_value_result(sqlite3_context *ctx, EngineValue *ev);

/* ------------------------------------------------------------------------
 * Catalog (engine_catalog.c)
 * ------------------------------------------------------------------------
 */

typedef struct EngineColumn
{
	int			column_id;
	char	   *name;
	SimType		type;
	bool		nullable;
	bool		identity;
	int64_t		ident_seed;
	int64_t		ident_incr;
	bool		rowversion;
	char	   *default_sql;	/* T-SQL text of the DEFAULT, or NULL */
} EngineColumn;

typedef struct EngineTable
{
	int64_t		object_id;
	char	   *schema;			/* "dbo" */
	char	   *name;			/* "orders" */
	char	   *sqlite_name;	/* "dbo.orders" (not quoted) */
	char		type[3];		/* "U" table, "V" view */
	int			ncols;
	EngineColumn *cols;			/* in column_id order */
	int			npk;			/* primary key columns, in key order */
	int		   *pk;				/* indexes into cols[] */
	char	   *pk_name;		/* constraint name or NULL */
	bool		temp;			/* a #temp table: SQLite schema "temp", no
								 * __sim_* catalog rows (added) */
} EngineTable;

/*
 * Look up a table or view of the session's current database by schema and
 * name (case-insensitive; schema NULL = dbo); "#name" finds the session's
 * temporary table.  Returns a
 * malloc'd EngineTable (free with engine_table_free) or NULL if it does not
 * exist.  Reads the catalog: not for per-row use.
 */
extern EngineTable *engine_table_lookup(SimSession *s, const char *schema,
										const char *name);
extern EngineTable *engine_table_lookup_id(SimSession *s, int64_t object_id);
extern void engine_table_free(EngineTable *t);

/* Schema id by name, or -1. */
extern int	engine_schema_id(SimSession *s, const char *name);

/*
 * Create a schema in the current database if it does not exist (used for
 * "cdc").  Returns false (error already reported) on failure.
 */
extern bool engine_schema_ensure(SimSession *s, const char *name);

/* Next free object_id of the current database (stored in __sim_meta). */
extern int64_t engine_next_object_id(SimSession *s);

/*
 * Split a 1..4-part T-SQL name ("db.schema.name", "[dbo].[t]", "t") into
 * its parts, unquoted.  Missing parts are set to "" (db, schema).  Returns
 * false if the text is not a name.
 */
extern bool engine_split_name(const char *text, char *db, char *schema,
							  char *name, size_t partlen);

/* ------------------------------------------------------------------------
 * Sessions and execution (engine_session.c, engine_exec.c)
 * ------------------------------------------------------------------------
 */

typedef enum EngineIsolation
{
	ENGINE_ISO_READ_UNCOMMITTED = 1,
	ENGINE_ISO_READ_COMMITTED,
	ENGINE_ISO_REPEATABLE_READ,
	ENGINE_ISO_SERIALIZABLE,
	ENGINE_ISO_SNAPSHOT
} EngineIsolation;

/* The SQLite handle of the session (on its current database). */
extern sqlite3 *engine_db(SimSession *s);
extern const char *engine_user(SimSession *s);
extern int	engine_spid(SimSession *s);
extern EngineIsolation engine_isolation(SimSession *s);
extern const char *engine_data_dir(void);
/* @@TRANCOUNT */
extern int	engine_trancount(SimSession *s);

/*
 * Make sure the session's SQLite transaction is open (it is opened lazily:
 * BEGIN TRAN only raises @@TRANCOUNT).  write: the caller will write.  Runs
 * the ENGINE_TXN_BEGIN hooks when it opens one.  In READ COMMITTED, reads
 * (write false) do not open one: until the transaction first writes, each
 * statement reads the latest committed data.  SNAPSHOT opens it (BEGIN,
 * deferred) at the first read; other levels use BEGIN IMMEDIATE.  Returns false (error
 * reported) on failure.  Procedures that write outside an explicit
 * transaction should use engine_stmt_begin/engine_stmt_end instead.
 */
extern bool engine_txn_ensure(SimSession *s, bool write);

/*
 * Statement atomicity for a write: engine_stmt_begin opens a transaction if
 * none is open (autocommit) or a savepoint inside the open one;
 * engine_stmt_end(ok) commits/releases it, or rolls it back when !ok.
 */
extern bool engine_stmt_begin(SimSession *s);
extern bool engine_stmt_end(SimSession *s, bool ok);

/*
 * Report an error or message to the client of the running request, the way
 * SQL Server would.  engine_error looks severity/state up in the error
 * table (engine_errors.c; 16/1 for numbers it does not know), formats the
 * message with printf-style arguments and marks the current statement as
 * failed.  Batch-abort rules are applied by the executor.
 */
extern void engine_error(SimSession *s, int number, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
extern void engine_error_sev(SimSession *s, int number, int severity, int state,
							 const char *fmt,...)
			__attribute__((format(printf, 5, 6)));
/* Informational message (PRINT, severity 0, number 0). */
extern void engine_info(SimSession *s, int number, const char *text);
/* True if an error was reported since the current statement started. */
extern bool engine_failed(SimSession *s);
/* Map the handle's last SQLite error to a SQL Server error and report it. */
extern void engine_error_sqlite(SimSession *s, int rc);

/*
 * Run T-SQL inside the engine on behalf of an extension (e.g. creating
 * cdc.<ci>_CT through CREATE TABLE).  Nothing is sent to the client; the
 * first error's text goes to errbuf and false is returned.  DDL hooks fire
 * as for client statements.
 */
extern bool engine_exec_internal(SimSession *s, const char *tsql,
								 char *errbuf, size_t errlen);

/*
 * Stream the rows of a prepared SQLite statement as one result set
 * (COLMETADATA, ROW*, DONE/DONEINPROC with the count).  Column types come
 * from the declared types, then from hints[i] if i < nhints and
 * hints[i].id != 0, then from the first row.  Finalizes nothing: the caller
 * owns stmt.  Returns false if a SQLite error occurred (already reported).
 */
extern bool engine_send_result(SimSession *s, sqlite3_stmt *stmt,
							   const SimType *hints, int nhints);

/* Send DONE (or DONEINPROC inside a procedure) for the current statement. */
extern void engine_done(SimSession *s, uint16_t curcmd, bool count,
						uint64_t rowcount);

/* ------------------------------------------------------------------------
 * Tokens (engine_lex.c); used by hooks that parse their own statements
 * ------------------------------------------------------------------------
 */
typedef enum EngineTokType
{
	TK_EOF = 0,
	TK_WORD,					/* bare identifier or keyword */
	TK_QIDENT,					/* [x] or "x": text is the unquoted name */
	TK_STRING,					/* 'x': text is the value */
	TK_NSTRING,					/* N'x' */
	TK_NUMBER,					/* 12, 1.5, 1e3 */
	TK_BINARY,					/* 0xABCD: text is the hex digits */
	TK_VAR,						/* @x: text is "@x" */
	TK_GLOBAL,					/* @@x: text is "@@x" */
	TK_TEMP,					/* #t / ##t as a word */
	TK_OP						/* punctuation: ( ) , . ; = <> <= >= != + - * / % ... */
} EngineTokType;

typedef struct EngineToken
{
	EngineTokType type;
	const char *text;			/* decoded, NUL-terminated */
	int			start;			/* byte offset in the source text */
	int			end;			/* byte offset just after it */
} EngineToken;

/*
 * One statement as split out of a batch: tokens [0, ntok) plus a TK_EOF
 * sentinel at tok[ntok].  src is the whole batch text.
 */
typedef struct EngineStmt
{
	const char *src;
	EngineToken *tok;
	int			ntok;
} EngineStmt;

/* True if token i is the (case-insensitive) keyword/word kw. */
extern bool engine_tok_is(const EngineStmt *st, int i, const char *kw);
/* Raw source text of tokens [from, to) (malloc'd). */
extern char *engine_tok_text(const EngineStmt *st, int from, int to);

/* ------------------------------------------------------------------------
 * Extension points
 * ------------------------------------------------------------------------
 * All registration functions must be called from an extension's register
 * function, which sim_engine_init() calls once (engine_extensions.c).
 */

/*
 * 1. Stored procedures.
 *
 * A procedure is found by its name as written in EXEC or sent in an RPC,
 * case-insensitively, after dropping a database prefix ("master.") and
 * brackets; "sys.x" and "x" find a procedure registered as "sys.x", and
 * "dbo.x" finds one registered as "x".  Parameters arrive decoded: from an
 * RPC as sent, from T-SQL EXEC with each argument evaluated (names are
 * "@name" or "" for positional ones; literals are typed as SQL Server types
 * them: N'..' nvarchar, '..' varchar, 1 int).
 *
 * The handler emits its own result sets (engine_send_result; they end with
 * DONEINPROC automatically), reports errors with engine_error, sets OUTPUT
 * parameters with engine_proc_set_output and returns the procedure's return
 * status (RETURN value; 0 on success).  The engine sends RETURNSTATUS,
 * RETURNVALUEs and DONEPROC (RPC) or DONE (EXEC in a batch).
 */
typedef struct EngineProcCall
{
	SimSession *session;
	const char *name;			/* as registered */
	int			nparams;
	const SimParam *params;
	/* private to the engine */
	sqlite3_value **outputs;	/* nparams slots, set by engine_proc_set_output */
} EngineProcCall;

typedef int (*EngineProcFn) (EngineProcCall *call, void *arg);

extern void engine_register_proc(const char *name, EngineProcFn fn, void *arg);

/*
 * Find a parameter by name ("@source_schema", case-insensitive) or else by
 * 0-based position (pass -1 to disable).  NULL if absent.
 */
extern const SimParam *engine_proc_param(const EngineProcCall *call,
										 const char *name, int position);
/* The parameter's value as UTF-8 text (NULL if absent or SQL NULL). */
extern const char *engine_proc_param_text(const EngineProcCall *call,
										  const char *name, int position);
/* Set OUTPUT parameter number idx (index into call->params); v is copied. */
extern void engine_proc_set_output(EngineProcCall *call, int idx, sqlite3_value *v);

/*
 * 2. Scalar functions.
 *
 * tsql_name is the name as T-SQL calls it ("CHANGE_TRACKING_CURRENT_VERSION",
 * "sys.fn_cdc_get_max_lsn").  The engine creates it on every handle with
 * sqlite3_create_function_v2 under the SQLite name engine_func_sqlname()
 * gives ('.' becomes "__"), with the SimSession * as user data
 * (sqlite3_user_data), and the translator rewrites calls to it.
 * result_type (may be NULL) types the result column when the function is
 * a top-level select item.  flags: SQLITE_UTF8 | SQLITE_DETERMINISTIC ...
 * To raise a SQL Server error from inside a function, call
 * engine_func_error(ctx, number, text).
 */
extern void engine_register_function(const char *tsql_name, int nargs, int flags,
									 void (*fn) (sqlite3_context *, int, sqlite3_value **),
									 const SimType *result_type);
extern void engine_func_sqlname(const char *tsql_name, char *buf, size_t buflen);
extern void engine_func_error(sqlite3_context *ctx, int number, const char *text);

/*
 * 3. Table-valued functions in FROM.
 *
 * When the translator meets, where a table may stand (FROM, JOIN, APPLY),
 * a name followed by '(' whose lower-cased, unquoted, dotted form starts
 * with a registered prefix ("changetable", "cdc.fn_cdc_get_all_changes_"),
 * it calls the handler with the arguments and the alias.  The handler
 * appends SQLite SQL for a table expression (normally "(SELECT ...)") to
 * out; the translator adds " AS alias".  It returns false after reporting
 * an error (e.g. 22104 when CHANGETABLE has no alias, 208 when the capture
 * instance does not exist).
 *
 * "CROSS APPLY f(...) AS a" becomes "JOIN <text> AS a ON <join_on>" and
 * "OUTER APPLY" a LEFT JOIN: SQLite has no LATERAL, so a handler called
 * with apply set must return a subquery that does not refer to the outer
 * row and express the correlation in join_on instead.
 */
typedef struct EngineTvfCall
{
	SimSession *session;
	const char *name;			/* dotted, unquoted, as written */
	int			nargs;
	char	  **arg_tsql;		/* each argument's T-SQL text */
	char	  **arg_sql;		/* each argument translated to a SQLite
								 * expression (NULL if it is not one, e.g.
								 * "CHANGES dbo.t") */
	const char *alias;			/* NULL when absent */
	/* added for CROSS/OUTER APPLY (SQLite has no LATERAL): */
	bool		apply;			/* called as CROSS APPLY / OUTER APPLY f(...) */
	EngineBuf  *join_on;		/* apply: the handler may append the SQLite
								 * condition joining its (uncorrelated)
								 * subquery to the outer row, e.g.
								 * "c.k = (\"p\".\"k\")"; empty means ON 1 */
} EngineTvfCall;

typedef bool (*EngineTvfFn) (EngineTvfCall *call, EngineBuf *out, void *arg);

extern void engine_register_tvf(const char *name_prefix, EngineTvfFn fn, void *arg);

/*
 * 4. Statement hooks.
 *
 * Called for every statement of a batch (and of IF/BEGIN..END bodies)
 * before the engine looks at it.  Return ENGINE_HOOK_PASS to let the engine
 * (or the next hook) handle it; ENGINE_HOOK_DONE when the hook executed it
 * and the engine should send a plain DONE; ENGINE_HOOK_DONE_SENT when the
 * hook sent its own result sets and DONE tokens; ENGINE_HOOK_ERROR after
 * reporting an error with engine_error (the engine sends DONE with ERROR).  Typical uses: ALTER DATABASE ... SET CHANGE_TRACKING,
 * ALTER TABLE ... ENABLE CHANGE_TRACKING, WITH CHANGE_TRACKING_CONTEXT (...)
 * prefix, test controls that fail the next statement.
 * A hook that only needs to rewrite a statement prefix (WITH
 * CHANGE_TRACKING_CONTEXT) may set *skip to the number of leading tokens
 * to drop and return ENGINE_HOOK_PASS; the engine runs the rest.
 */
typedef enum EngineHookResult
{
	ENGINE_HOOK_PASS = 0,
	ENGINE_HOOK_DONE,			/* engine sends DONE (status 0, no count) */
	ENGINE_HOOK_DONE_SENT,		/* hook sent its own DONE(s) */
	ENGINE_HOOK_ERROR
} EngineHookResult;

typedef EngineHookResult (*EngineStmtHookFn) (SimSession *s, const EngineStmt *st,
											  int *skip, void *arg);

extern void engine_register_stmt_hook(EngineStmtHookFn fn, void *arg);

/*
 * 5. Per-connection init.
 *
 * Called every time a session's handle is opened (session open, USE,
 * RESETCONNECTION), after the engine's functions, collations and catalog
 * views exist on it.  Use it to create TEMP views/triggers/functions that
 * need the session.  Return false with errbuf filled to fail the open.
 */
typedef bool (*EngineConnInitFn) (SimSession *s, sqlite3 *db, void *arg,
								  char *errbuf, size_t errlen);

extern void engine_register_conn_init(EngineConnInitFn fn, void *arg);

/*
 * 6. DDL and DML notifications.
 *
 * Called inside the SQLite transaction of the statement, after the change
 * is made (CREATED, ALTERED) or before it is made (DROPPING, TRUNCATING),
 * with the table as it is then.  ALTERED follows any rebuild of the SQLite
 * table, which drops its triggers: recreate them.  detail: the column name
 * for ALTER TABLE ADD/DROP/ALTER COLUMN, else NULL.  Return false after
 * engine_error to make the statement fail and be rolled back.
 */
typedef enum EngineDdlEvent
{
	ENGINE_DDL_TABLE_CREATED,
	ENGINE_DDL_TABLE_ALTERED,
	ENGINE_DDL_TABLE_DROPPING,
	ENGINE_DDL_TABLE_TRUNCATING,
	ENGINE_DDL_DATABASE_CREATED	/* table is NULL, detail is the name */
} EngineDdlEvent;

typedef bool (*EngineDdlHookFn) (SimSession *s, EngineDdlEvent ev,
								 const EngineTable *table, const char *detail,
								 void *arg);

extern void engine_register_ddl_hook(EngineDdlHookFn fn, void *arg);

/*
 * 7. Transaction events.
 *
 * BEGIN: the SQLite transaction was just opened (lazily, at the first
 * statement that touches data after BEGIN TRAN, or for an autocommit write
 * statement).  In SNAPSHOT isolation the engine opens it with BEGIN
 * (deferred) and leaves pinning the snapshot and error 3952 to the hook;
 * otherwise with BEGIN IMMEDIATE.
 * PRE_COMMIT: about to COMMIT; still inside the transaction (assign CT
 * versions / CDC LSNs here).  Returning false aborts the commit (the engine
 * rolls back and reports the hook's error).
 * COMMITTED / ROLLED_BACK: after the fact; return value ignored.
 */
typedef enum EngineTxnEvent
{
	ENGINE_TXN_BEGIN,
	ENGINE_TXN_PRE_COMMIT,
	ENGINE_TXN_COMMITTED,
	ENGINE_TXN_ROLLED_BACK
} EngineTxnEvent;

typedef bool (*EngineTxnHookFn) (SimSession *s, EngineTxnEvent ev, void *arg);

extern void engine_register_txn_hook(EngineTxnHookFn fn, void *arg);

/*
 * 8. Per-session extension state.
 *
 * engine_ext_slot() hands out a slot number at registration time; each
 * session then holds one pointer per slot, freed with free_fn (may be
 * NULL) when the session closes or resets.
 */
extern int	engine_ext_slot(void (*free_fn) (void *));
extern void *engine_ext_get(SimSession *s, int slot);
extern void engine_ext_set(SimSession *s, int slot, void *ptr);

/*
 * 9. Catalog views.
 *
 * sys.* and INFORMATION_SCHEMA.* views are TEMP tables on each handle
 * (so that their columns carry exact SQL Server types), refilled from the
 * __sim_* catalog when a statement reads one and the catalog changed.
 * name: "sys.change_tracking_tables"; columns: the column list of a CREATE
 * TABLE with engine decltypes ("object_id int, min_valid_version bigint");
 * select_sql: a SQLite SELECT producing those columns (may use main.*
 * tables and the engine's functions).  After changing what a registered
 * view shows, call engine_catalog_changed() so the copies get refilled.
 */
extern void engine_register_catalog_view(const char *name, const char *columns,
										 const char *select_sql);
extern void engine_catalog_changed(SimSession *s);

/*
 * Registration functions of the extensions, called in this order by
 * sim_engine_init() (engine_extensions.c).  An extension adds its
 * prototype here and its call there.
 */
extern void engine_builtin_procs_register(void);	/* engine_proc.c */

#endif							/* ENGINE_H */
