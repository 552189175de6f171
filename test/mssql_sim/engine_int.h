/*
 * engine_int.h
 *		Private declarations of the engine core (not for extensions: they
 *		use engine.h only).
 */
#ifndef ENGINE_INT_H
#define ENGINE_INT_H

#include <pthread.h>
#include "engine.h"

#define ENGINE_MAX_EXT_SLOTS 16
#define ENGINE_NAME_LEN 256

/* ---------------- lexer (engine_lex.c) ---------------- */

#define ENGINE_LEX_PAD 16		/* TK_EOF tokens after the last one */

typedef struct EngineLexed
{
	const char *src;
	EngineToken *tok;			/* ntok tokens + ENGINE_LEX_PAD TK_EOF tokens,
								 * so parsers may look ahead a few tokens
								 * without bounds checks */
	int			ntok;
	int			npad;
	int			cap;
} EngineLexed;

extern bool engine_lex(const char *src, EngineLexed *lx, int *errnum,
					   char *errbuf, size_t errlen);
extern void engine_lex_free(EngineLexed *lx);
/* Name tokens [from, to) as messages show them: "db.dbo.t" (malloc'd). */
extern char *engine_name_text(const EngineStmt *st, int from, int to);
extern bool engine_tok_op(const EngineStmt *st, int i, const char *op);

/* ---------------- session (engine_session.c) ---------------- */

typedef struct EngineVar
{
	char	   *name;			/* lower case, with '@' */
	SimType		type;
	sqlite3_value *value;		/* never NULL once declared */
} EngineVar;

typedef struct EnginePrepared
{
	int			handle;
	char	   *params_decl;	/* "@a int, @b nvarchar(10)" or NULL */
	char	   *sql;
} EnginePrepared;

struct SimSession
{
	char	   *user;
	char	   *login_db;
	char	   *dbname;			/* current database */
	int			spid;
	sqlite3    *db;
	const char *master_schema;	/* "main" in master, else "sim_master" */
	int			database_id;
	SimOutput  *out;			/* output of the running request, or NULL */

	/* variables */
	EngineVar  *vars;
	int			nvars;
	int			capvars;

	/* SET options */
	bool		nocount;
	bool		xact_abort;
	bool		showplan_all;
	bool		implicit_transactions;
	int64_t		rowcount_limit;
	int			datefirst;
	char		dateformat[4];	/* SET DATEFORMAT: "mdy", "dmy", "ymd", ... */
	EngineIsolation isolation;
	int			identity_insert_object; /* object_id with IDENTITY_INSERT ON */
	int64_t		lock_timeout_ms;	/* SET LOCK_TIMEOUT: -1 waits for ever */
	int64_t		busy_since_ms;	/* when the current lock wait began */

	/* transactions */
	int			trancount;		/* @@TRANCOUNT */
	bool		sqlite_txn;		/* a SQLite transaction is open */
	bool		autocommit_txn; /* ... opened by engine_stmt_begin */
	int			stmt_savepoints;
	uint64_t	txn_descriptor;

	/* request state */
	int64_t		last_rowcount;	/* @@ROWCOUNT */
	int			last_error;		/* @@ERROR */
	int64_t		last_identity;	/* @@IDENTITY / SCOPE_IDENTITY() */
	bool		have_identity;
	bool		stmt_failed;
	bool		batch_abort;
	int			proc_depth;		/* > 0 inside a procedure or RPC */
	bool		in_rpc;
	bool		internal;		/* engine_exec_internal: no output */
	char		internal_err[512];
	int			return_status;
	int			loop_ctl;		/* 1 BREAK, 2 CONTINUE inside WHILE */
	int			try_depth;		/* > 0 inside BEGIN TRY */
	bool		must_close;		/* a fatal error (severity >= 20) was sent */
	bool		try_failed;
	int			caught_number;
	int			caught_severity;
	int			caught_state;
	char		caught_message[1024];
	int			caught_line;	/* ERROR_LINE() */
	char		caught_proc[128];	/* ERROR_PROCEDURE(), "" outside one */
	int			catch_depth;	/* > 0 while a CATCH block runs */
	bool		cancelled;		/* attention or client gone: stop the batch */
	bool		rv_loaded;		/* rv_value holds the database's rowversion */
	int64_t		rv_value;
	int			cur_line;		/* line of the running statement */
	const char *cur_last_token; /* its last token (for syntax errors) */
	uint16_t	cur_cmd;		/* CurCmd of the running statement */
	const char *cur_proc;		/* procedure name for messages, or NULL */
	char	   *name_map[64];	/* SQLite name -> name as written (pairs);
								 * "\1q" -> q: q qualifies the statement's
								 * columns (a table name or alias) */
	int			nname_map;
	bool		returned;

	/* prepared statements (sp_prepare) */
	EnginePrepared *prepared;
	int			nprepared;
	int			next_handle;

	/* catalog temp tables */
	int64_t		catalog_seen;	/* catalog version the temp copies hold */
	bool		want_partitions;	/* the statement reads sys.partitions */
	bool		origin_not_null;	/* engine_stream may mark columns NOT NULL */
	bool		fmtonly;		/* SET FMTONLY ON: metadata, no rows */
	bool		quiet_done;		/* parts of a statement (MERGE): no DONE tokens */
	char	   *attached[8];	/* other databases attached: "db_<name>" */
	struct EngineTempTable *temps;	/* #temp tables of the session */
	int			ntemps;
	int			nattached;

	void	   *ext[ENGINE_MAX_EXT_SLOTS];
};

extern bool engine_session_open_db(SimSession *s, const char *dbname,
								   int *errnum, char *errbuf, size_t errlen);
extern EngineVar *engine_var_find(SimSession *s, const char *name);
extern EngineVar *engine_var_declare(SimSession *s, const char *name, const SimType *t);
extern void engine_var_set(EngineVar *v, sqlite3_value *val);
/*
 * SET/SELECT @v = val: converted to v's type (src_flags as for
 * engine_convert_from); false after reporting the error.
 */
extern bool engine_var_assign(SimSession *s, EngineVar *v, sqlite3_value *val, int src_flags);
extern bool engine_var_assign_param(SimSession *s, EngineVar *v, sqlite3_value *val,
									const SimType *sent);
extern void engine_var_set_int(SimSession *s, EngineVar *v, int value);
extern void engine_vars_clear(SimSession *s);
extern bool engine_begin_tran(SimSession *s);
extern bool engine_commit_tran(SimSession *s);
extern bool engine_rollback_tran(SimSession *s, bool envchange);
extern const char *engine_server_name(void);
extern bool engine_database_exists(const char *name, char *canon, size_t len);
extern bool engine_create_database_file(const char *name, char *errbuf, size_t errlen);
extern void engine_ext_free_all(SimSession *s);
extern const char *engine_attach_database(SimSession *s, const char *dbname);
extern void engine_detach_database(SimSession *s, const char *dbname);

/* ---------------- #temp tables (engine_temp.c) ---------------- */

typedef struct EngineTempTable
{
	EngineTable *table;			/* definition; object_id negative */
	int64_t		ident_last;		/* IDENTITY state (no __sim_identity row) */
	bool		ident_have;
} EngineTempTable;

extern EngineTempTable *engine_temp_find(SimSession *s, const char *name);
extern void engine_temp_add(SimSession *s, EngineTable *t);
extern bool engine_temp_drop(SimSession *s, const char *name);
extern void engine_temp_clear(SimSession *s, bool drop_tables);
extern EngineTable *engine_table_copy(const EngineTable *t);
/*
 * Recreate the session's temp tables (definitions, indexes, rows) of handle
 * from on handle to (USE switches handles; #temp tables stay with the
 * session).  All or nothing: false leaves none on to.
 */
extern bool engine_temp_move(SimSession *s, sqlite3 *from, sqlite3 *to);
/*
 * CREATE [UNIQUE] INDEX iname ON #t (cols) whose column list starts at
 * token i; DROP INDEX iname ON #t.  False after reporting an error.
 */
extern bool engine_temp_create_index(SimSession *s, EngineTempTable *tt, const char *iname,
									 bool unique, const EngineStmt *st, int i);
extern bool engine_temp_drop_index(SimSession *s, EngineTempTable *tt, const char *iname);

/* ---------------- text as UTF-16 code units (engine_utf16.c) ---------------- */

/* s[0..n) holds a character beyond the BMP (a 4-byte UTF-8 sequence). */
extern bool engine_utf16_has_supplementary(const unsigned char *s, int n);
/*
 * s[0..n) with each character beyond the BMP written as its two surrogates
 * (3 bytes each), so that each UTF-8 sequence is one UTF-16 code unit.
 * Returns a malloc'd NUL-terminated copy; *outn gets its length.
 */
extern unsigned char *engine_utf16_split(const unsigned char *s, int n, int *outn);
/* The reverse: surrogate pairs back to 4-byte sequences (lone ones stay). */
extern unsigned char *engine_utf16_join(const unsigned char *s, int n, int *outn);

/* ---------------- identity values consumed (engine_identity.c) ---------------- */

extern void engine_identity_consumed(sqlite3 *db, int64_t object_id, int64_t value,
									 int64_t incr);
extern void engine_identity_adjust(sqlite3 *db, int64_t object_id, int64_t incr,
								   int64_t *last, bool *have);
extern void engine_identity_forget(sqlite3 *db, int64_t object_id);

/* ---------------- conversion (engine_convert.c) ---------------- */

/* flags of __sim_cv(value, type_id, length, precision, scale, flags ...) */
#define CV_EXPLICIT		1		/* CAST/CONVERT, not an assignment */
#define CV_UNICODE		2		/* the value is nchar/nvarchar (messages) */
#define CV_TEXT			4		/* the value is a string (not a decimal's text) */
#define CV_DATETIME		8		/* the value is datetime/smalldatetime: an
								 * assignment to a string writes style 0 */

/* CV_TEXT | CV_UNICODE | CV_DATETIME flags of a value of type t */
extern int	engine_type_src_flags(const SimType *t);

/*
 * engine_convert for a value whose SQL Server type src (CV_TEXT, CV_UNICODE)
 * tells: messages name nvarchar for Unicode; a string is never read as a
 * decimal's text ('1.5' to int is 245, a decimal 1.5 truncates).
 */
extern bool engine_convert_from(sqlite3_value *v, int src, const SimType *t,
								bool explicit_cast, EngineValue *out, int *errnum,
								char *errbuf, size_t errlen);

/*
 * Length of the UTF-8 text [text, text + n) as SQL Server counts it:
 * UTF-16 code units when utf16 (nchar/nvarchar: a character beyond the BMP
 * counts 2), else characters (char/varchar: one byte each in the code
 * page, where unmappable characters become '?').
 */
extern int	engine_text_length(const char *text, int n, bool utf16);

/* ---------------- registries (engine_registry.c) ---------------- */

typedef struct EngineFuncDef
{
	char	   *tsql_name;		/* lower case */
	char	   *sql_name;
	int			nargs;
	int			flags;
	void		(*fn) (sqlite3_context *, int, sqlite3_value **);
	SimType		result_type;
	bool		has_result_type;
} EngineFuncDef;

extern const EngineFuncDef *engine_func_lookup(const char *lower_dotted);
extern void engine_funcs_create_registered(SimSession *s, sqlite3 *db);
extern EngineProcFn engine_proc_lookup(const char *name, void **arg, const char **regname);
extern EngineTvfFn engine_tvf_lookup(const char *lower_dotted, void **arg);
extern EngineHookResult engine_run_stmt_hooks(SimSession *s, const EngineStmt *st, int *skip);
extern bool engine_run_conn_init(SimSession *s, sqlite3 *db, char *errbuf, size_t errlen);
extern bool engine_run_ddl_hooks(SimSession *s, EngineDdlEvent ev, const EngineTable *t,
								 const char *detail);
extern bool engine_run_txn_hooks(SimSession *s, EngineTxnEvent ev);
extern void engine_register_extensions(void);

/* ---------------- functions, collations (engine_funcs.c) ---------------- */

extern void engine_funcs_create(SimSession *s, sqlite3 *db);
extern void engine_collations_create(sqlite3 *db);

/* ---------------- collations, LIKE (engine_collate.c), dates (engine_datefuncs.c) ---------------- */

extern unsigned engine_next_folded(const unsigned char **p, const unsigned char *end);
extern void engine_collate_create(sqlite3 *db);
extern void engine_datefuncs_create(SimSession *s, sqlite3 *db);
#define ENGINE_ERR_PREFIX "\001SIMERR:"
/* Parse an error raised by engine_func_error out of a SQLite message. */
extern bool engine_parse_func_error(const char *msg, int *number, const char **text);
extern void engine_now_text(char *buf, size_t len, bool utc, int digits, bool offset);

/* ---------------- catalog (engine_catalog.c) ---------------- */

extern bool engine_catalog_init_db(sqlite3 *db, const char *dbname, char *errbuf, size_t errlen);
extern bool engine_catalog_create_temp(SimSession *s, char *errbuf, size_t errlen);
extern bool engine_catalog_refresh(SimSession *s);
extern bool engine_catalog_is_view(const char *lower_sqlite_name);
extern void engine_catalog_bump(SimSession *s);
extern int64_t engine_meta_get(SimSession *s, const char *key, int64_t dflt);
extern void engine_meta_set(SimSession *s, const char *key, int64_t value);

/* ---------------- errors (engine_errors.c) ---------------- */

extern void engine_error_lookup(int number, int *severity, int *state);
extern bool engine_error_aborts_batch(int number);

/* ---------------- translation (engine_translate.c) ---------------- */

typedef struct EngineSelectItem
{
	char	   *name;			/* name given with "name = expr" (else NULL) */
	bool		unnamed;		/* an expression without alias: name "" */
	SimType		hint;			/* id 0: none */
	char	   *assign_var;		/* SELECT @v = expr: the variable */
	int			expr_from;		/* the expression's tokens [from, to) */
	int			expr_to;
} EngineSelectItem;

typedef struct EngineXlate
{
	SimSession *s;
	const EngineStmt *st;
	EngineBuf	sql;			/* the SQLite statement */
	int			nitems;			/* top-level select items (SELECT only) */
	EngineSelectItem items[256];
	bool		has_assign;		/* SELECT @v = ... */
	bool		touches_catalog;	/* reads sys.* / INFORMATION_SCHEMA.* */
	bool		failed;			/* an error was reported */
	char	   *ctes[16];		/* CTE names of the statement */
	int			nctes;
	EngineTable *tables[16];	/* tables referenced (for column types) */
	int			ntables;
	char	   *alias_names[32];	/* "FROM t AS a": a (or a pseudo table
									 * name: NEW, OLD) ... */
	int			alias_tables[32];	/* ... and the index of its table */
	int			naliases;
	EngineTable *update_target; /* UPDATE: the target table */
	int			depth;
	bool		select_seen;	/* the top-level SELECT list was handled */
	bool		may_null;		/* outer join, set operation or view: a NOT NULL
								 * column may still yield NULL */
} EngineXlate;

extern void engine_xlate_init(EngineXlate *x, SimSession *s, const EngineStmt *st);
extern void engine_xlate_free(EngineXlate *x);
/* Translate tokens [from, to) appending to x->sql; false after an error. */
extern bool engine_xlate_range(EngineXlate *x, int from, int to);
/* Translate an expression into out (a fresh translator); hint may be NULL. */
extern bool engine_translate_expr(SimSession *s, const EngineStmt *st, int from, int to,
								  EngineBuf *out, SimType *hint);
extern int	engine_skip_parens(const EngineStmt *st, int i);
extern int	engine_name_end(const EngineStmt *st, int i);
extern bool engine_parse_name_tokens(const EngineStmt *st, int *pos, char *db, char *schema,
									 char *name, size_t len);
extern void engine_clear_name_map(SimSession *s);
/* Remember that q (a table name or alias) qualifies columns in the statement. */
extern void engine_add_qualifier(SimSession *s, const char *q);
/* Types one token says (engine_typehints.c): literal, @@global, function name. */
extern bool engine_literal_hint(const EngineToken *t, SimType *hint);
extern bool engine_global_hint(const char *g, SimType *t);
extern bool engine_function_hint(SimSession *s, const char *fn, SimType *t);
/*
 * A column for typing: qualifier (alias or table name; NULL when not
 * qualified) and name.  NULL when the qualifier names no table of the
 * statement (a derived table, a CTE) or when an unqualified name is in
 * several tables with different types: better no type than a wrong one.
 */
extern EngineColumn *engine_xlate_typed_column(EngineXlate *x, const char *qualifier,
											   const char *name);
/* Record "qualifier" as another name of x->tables[table]. */
extern void engine_xlate_add_alias(EngineXlate *x, const char *alias, int table);

/* ---------------- expression types (engine_exprtype.c) ---------------- */

/*
 * The SQL Server type of the expression [a, b) of x's statement (columns
 * are looked up in x->tables).  False, with *out zeroed, when it cannot be
 * told from the text (NULL, scalar subqueries, columns of derived tables).
 */
extern bool engine_expr_type(EngineXlate *x, int a, int b, SimType *out);
/* CV_TEXT | CV_UNICODE flags of the expression [a, b) (0 when not known). */
extern int	engine_expr_src_flags(EngineXlate *x, int a, int b);

/* ---------------- result sets (engine_result.c) ---------------- */

/*
 * Send stmt's rows as one result set and its DONE (s->last_rowcount set);
 * names from items when given, types from declared types, then items' or
 * hints' hints, then the first row.  False after reporting a SQLite error.
 */
extern bool engine_stream(SimSession *s, sqlite3_stmt *stmt, const EngineSelectItem *items,
						  int nitems, const SimType *hints, int nhints);
/*
 * Result column i of stmt taken straight from a main-database table column:
 * set c->nullable and c->identity from the catalog (unchanged otherwise).
 */
extern void engine_origin_flags(SimSession *s, sqlite3_stmt *stmt, int i, SimColumn *c);
/*
 * The type a value shows when nothing else says: int/bigint by range,
 * float(53), varbinary(max), nvarchar(max) for text or NULL (v may be NULL).
 */
extern void engine_type_of_value(sqlite3_value *v, SimType *t);

/* ---------------- execution (engine_exec.c, engine_dml.c) ---------------- */

extern void engine_exec_tokens(SimSession *s, const EngineStmt *st, int from, int to);
extern void engine_exec_nested_text(SimSession *s, const char *sql);
extern int	engine_stmt_extent(const EngineStmt *st, int from, int to);
/* End of the IF/WHILE condition starting at i (a statement start, or to). */
extern int	engine_condition_end(const EngineStmt *st, int i, int to);
extern bool engine_bind_vars(SimSession *s, sqlite3_stmt *stmt);
extern bool engine_run_query(SimSession *s, const EngineStmt *st, int from, int to);
/*
 * Run the SQLite SELECT sql (variables bound): *out = a copy of the first
 * row's first value (sqlite3_value_free it); false after reporting an error.
 */
extern bool engine_query_value(SimSession *s, const char *sql, sqlite3_value **out);
extern bool engine_eval_expr(SimSession *s, const EngineStmt *st, int from, int to,
							 sqlite3_value **out, SimType *hint);
extern bool engine_exec_insert(SimSession *s, const EngineStmt *st, int from, int to);
extern bool engine_exec_insert_cte(SimSession *s, const EngineStmt *st, int cte_from,
								   int from, int to);
extern bool engine_exec_update(SimSession *s, const EngineStmt *st, int from, int to);
extern bool engine_exec_delete(SimSession *s, const EngineStmt *st, int from, int to);

/* ---------------- OUTPUT clause (engine_output.c) ---------------- */

typedef struct EngineOutput
{
	bool		present;		/* the statement has an OUTPUT clause */
	int			ncols;
	char	  **names;			/* result column names ("" unnamed) */
	SimType    *types;			/* id 0: typed from the values */
	char	  **exprs[3];		/* SQLite expressions over NEW / OLD, for
								 * AFTER INSERT, UPDATE, DELETE triggers */
	sqlite3_value **rows;		/* nrows * ncols copies */
	int64_t		nrows;
	int64_t		cap;
	bool		trigger;		/* the TEMP trigger exists */
	char	   *into_text;		/* OUTPUT ... INTO target (T-SQL), or NULL */
	char	   *into_cols;		/* its "(col, ...)" list, or NULL */
} EngineOutput;

/*
 * Parse "OUTPUT item, ..." at token i (the word OUTPUT) of a statement on
 * table t, up to a word of stop_words or end; allowed: 'I' (inserted
 * only), 'D' (deleted only), 'B' (both) or 'M' (MERGE: both and $action).  Fills *o (release with
 * engine_output_free) and sets *next to the first token after the clause.
 * False after reporting an error.
 */
extern bool engine_output_parse(SimSession *s, const EngineStmt *st, int i, int end,
								const EngineTable *t, char allowed, const char **stop_words,
								EngineOutput *o, int *next);
/*
 * Before the statement (and outside its statement transaction): create the
 * TEMP trigger AFTER event ("INSERT", "UPDATE", "DELETE") on t that
 * collects the rows ("MERGE": one trigger per event; parse with allowed
 * 'M', which also accepts $action).  No-op without an OUTPUT clause.
 */
extern bool engine_output_begin(SimSession *s, const EngineTable *t, const char *event,
								EngineOutput *o);
/*
 * After the statement (after engine_stmt_end): drop the trigger.  May be
 * called again (it drops whatever a rollback brought back).
 */
extern void engine_output_end(SimSession *s, EngineOutput *o);
/*
 * OUTPUT ... INTO: insert the collected rows into the INTO table, inside
 * the statement (before engine_stmt_end); false after an error.
 */
extern bool engine_output_into(SimSession *s, EngineOutput *o);
/* Send the collected rows as a result set (before the statement's DONE). */
extern void engine_output_send(SimSession *s, EngineOutput *o);
extern void engine_output_discard_rows(EngineOutput *o);
extern void engine_output_free(EngineOutput *o);

/* ---------------- MERGE (engine_merge.c) ---------------- */

/* Run MERGE [from, to); sends its DONE. */
extern bool engine_exec_merge(SimSession *s, const EngineStmt *st, int from, int to);
/*
 * Report the failure rc of the UPDATE sql on table t the way engine_dml.c
 * reports its own (2627/2601 with the duplicate key, 515, ...).
 */
extern void engine_report_update_failure(SimSession *s, EngineTable *t, int rc,
										 const char *sql);

/* ---------------- SELECT ... INTO (engine_selinto.c) ---------------- */

/* Expression [a, b) cannot be NULL (a non-NULL literal, ISNULL(x, such)). */
extern bool engine_expr_never_null(const EngineStmt *st, int a, int b);

/*
 * Index of the INTO of "[WITH ...] SELECT list INTO t ..." in [from, to),
 * or -1 when the statement's top-level SELECT has none.
 */
extern int	engine_select_into_pos(const EngineStmt *st, int from, int to);
/* Run SELECT ... INTO whose INTO is at token into; sends its DONE. */
extern bool engine_exec_select_into(SimSession *s, const EngineStmt *st, int from, int into,
									int to);

/* ---------------- control statements (engine_control.c) ---------------- */

extern void engine_exec_declare(SimSession *s, const EngineStmt *st, int from, int to);
extern void engine_exec_set(SimSession *s, const EngineStmt *st, int from, int to);
extern void engine_exec_use(SimSession *s, const EngineStmt *st, int from, int to);
extern void engine_exec_print(SimSession *s, const EngineStmt *st, int from, int to);
extern void engine_exec_raiserror(SimSession *s, const EngineStmt *st, int from, int to);
extern void engine_exec_throw(SimSession *s, const EngineStmt *st, int from, int to);
extern void engine_exec_if(SimSession *s, const EngineStmt *st, int from, int to);
extern void engine_exec_while(SimSession *s, const EngineStmt *st, int from, int to);
extern void engine_exec_block(SimSession *s, const EngineStmt *st, int from, int to);
extern int64_t engine_rowversion_next(SimSession *s);
extern void engine_rowversion_flush(SimSession *s, bool keep);
extern void engine_rowversion_blob(int64_t v, unsigned char *out);

/* ---------------- DDL (engine_ddl.c) ---------------- */

extern bool engine_exec_create(SimSession *s, const EngineStmt *st, int from, int to);
extern bool engine_exec_drop(SimSession *s, const EngineStmt *st, int from, int to);
extern bool engine_exec_alter(SimSession *s, const EngineStmt *st, int from, int to);
extern bool engine_exec_truncate(SimSession *s, const EngineStmt *st, int from, int to);

/* ---------------- procedures (engine_proc.c) ---------------- */

extern bool engine_exec_exec(SimSession *s, const EngineStmt *st, int from, int to);

#endif							/* ENGINE_INT_H */
