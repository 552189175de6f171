/*
 * engine_featutil.c
 *		Small helpers shared by the Change Tracking, CDC, SNAPSHOT and
 *		test-control features (engine_feat.h): running internal SQLite
 *		statements, reading one integer, parsing a dotted name from tokens.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>

#include "engine_int.h"
#include "engine_feat.h"

/*
 * Run internal SQLite SQL.  Errors are stand-in bugs, so they are reported
 * with SQLite's own text (error 50000) when a session is given.
 */
bool
feat_exec(SimSession *s, sqlite3 *db, const char *sql)
{
	char	   *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
		return true;
	if (s)
		engine_error(s, 50000, "mssql_sim internal statement failed: %s",
					 err ? err : "unknown error");
	sqlite3_free(err);
	return false;
}

/* One integer from a query; false for no row, NULL or an error. */
bool
feat_query_int(sqlite3 *db, const char *sql, const int64_t *bind, int64_t *out)
{
	sqlite3_stmt *stmt;
	bool		ok = false;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return false;
	if (bind)
		sqlite3_bind_int64(stmt, 1, *bind);
	if (sqlite3_step(stmt) == SQLITE_ROW &&
		sqlite3_column_type(stmt, 0) != SQLITE_NULL)
	{
		*out = sqlite3_column_int64(stmt, 0);
		ok = true;
	}
	sqlite3_finalize(stmt);
	return ok;
}

/* True if main has a table or view of that exact name. */
bool
feat_table_exists(sqlite3 *db, const char *name)
{
	sqlite3_stmt *stmt;
	bool		found = false;

	if (sqlite3_prepare_v2(db,
						   "SELECT 1 FROM main.sqlite_master WHERE name = ?1 AND type IN ('table', 'view')",
						   -1, &stmt, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	found = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_finalize(stmt);
	return found;
}

/*
 * A dotted name of up to four parts at *pos.  The last part is the name,
 * the one before it the schema; database and server parts are skipped.
 */
bool
feat_parse_name(const EngineStmt *st, int *pos, char *schema, char *name,
				size_t len)
{
	char		parts[4][ENGINE_NAME_BUF];
	int			n = 0;
	int			i = *pos;

	for (;;)
	{
		const EngineToken *t = &st->tok[i];
		bool		after_dot = n > 0;

		if (n >= 4)
			break;
		if (t->type == TK_WORD || t->type == TK_QIDENT)
		{
			snprintf(parts[n++], ENGINE_NAME_BUF, "%s", t->text);
			i++;
		}
		else if (after_dot)
			parts[n++][0] = '\0';	/* "db..name": empty schema */
		else
			break;
		if (st->tok[i].type == TK_OP && strcmp(st->tok[i].text, ".") == 0)
		{
			i++;
			continue;
		}
		break;
	}
	if (n == 0)
		return false;
	snprintf(name, len, "%s", parts[n - 1]);
	snprintf(schema, len, "%s", n >= 2 ? parts[n - 2] : "");
	*pos = i;
	return true;
}

/* Table of the current database by its name as written. */
EngineTable *
feat_table_by_text(SimSession *s, const char *text)
{
	char		db[ENGINE_NAME_BUF];
	char		schema[ENGINE_NAME_BUF];
	char		name[ENGINE_NAME_BUF];

	if (!engine_split_name(text, db, schema, name, sizeof(name)))
		return NULL;
	if (db[0] && engine_strcasecmp(db, sim_session_database(s)) != 0)
		return NULL;
	return engine_table_lookup(s, schema[0] ? schema : NULL, name);
}

/* UTC now as datetime text with milliseconds. */
void
feat_now(char *buf, size_t len)
{
	struct timeval tv;
	struct tm	tm;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%03d",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec, (int) (tv.tv_usec / 1000));
}

/* Decode hex digits (no 0x); -1 on a bad digit or overflow. */
int
feat_hex_decode(const char *hex, unsigned char *out, int outlen)
{
	size_t		n = strlen(hex);
	int			i;

	if (n % 2 != 0 || (int) (n / 2) > outlen)
		return -1;
	for (i = 0; i < (int) (n / 2); i++)
	{
		unsigned int b;

		if (!isxdigit((unsigned char) hex[2 * i]) || !isxdigit((unsigned char) hex[2 * i + 1]))
			return -1;
		sscanf(hex + 2 * i, "%2x", &b);
		out[i] = (unsigned char) b;
	}
	return (int) (n / 2);
}

/*
 * ALTER DATABASE <name> | CURRENT ... SET <option>: resolve the target
 * (token 2) to its canonical name in canon.  Reports 911 and returns false
 * when no such database exists.
 */
bool
feat_alter_database_target(SimSession *s, const EngineStmt *st, char *canon, size_t len)
{
	const char *dbname = st->tok[2].text;

	if (st->tok[2].type == TK_WORD && engine_strcasecmp(dbname, "CURRENT") == 0)
	{
		snprintf(canon, len, "%s", sim_session_database(s));
		return true;
	}
	if (engine_strcasecmp(dbname, sim_session_database(s)) == 0)
	{
		snprintf(canon, len, "%s", sim_session_database(s));
		return true;
	}
	if (!engine_database_exists(dbname, canon, len))
	{
		engine_error(s, 911, "Database '%s' does not exist. Make sure that the name is entered correctly.",
					 dbname);
		return false;
	}
	return true;
}

/*
 * Run fn with the session switched to database dbname (canonical name),
 * then switch back; without a switch when dbname is the current database.
 * SQL Server's ALTER DATABASE works from any current database; the
 * stand-in's per-database state lives in each database's file, so the
 * session's handle visits the target (as USE would, but without telling
 * the client: its database context does not change).  Switching needs no
 * open transaction; ALTER DATABASE is refused inside one anyway (226).
 */
EngineHookResult
feat_in_database(SimSession *s, const char *dbname, FeatDbFn fn,
				 const EngineStmt *st, void *arg)
{
	char	   *home;
	int			errnum;
	char		err[512];
	EngineHookResult r;

	if (engine_strcasecmp(dbname, sim_session_database(s)) == 0)
		return fn(s, dbname, st, arg);
	if (engine_trancount(s) > 0 || sqlite3_get_autocommit(engine_db(s)) == 0)
	{
		engine_error(s, 226, "ALTER DATABASE statement not allowed within multi-statement transaction.");
		return ENGINE_HOOK_ERROR;
	}
	home = estrdup(sim_session_database(s));
	if (!engine_session_open_db(s, dbname, &errnum, err, sizeof(err)))
	{
		engine_error(s, 911, "Database '%s' does not exist. Make sure that the name is entered correctly.",
					 dbname);
		free(home);
		return ENGINE_HOOK_ERROR;
	}
	r = fn(s, dbname, st, arg);
	if (!engine_session_open_db(s, home, &errnum, err, sizeof(err)))
	{
		/* the home database vanished meanwhile: stay where we are */
		engine_error(s, errnum, "%s", err);
		r = ENGINE_HOOK_ERROR;
	}
	free(home);
	return r;
}

/* master, tempdb, model, msdb */
bool
feat_is_system_db(const char *name)
{
	return engine_strcasecmp(name, "master") == 0 || engine_strcasecmp(name, "tempdb") == 0 ||
		engine_strcasecmp(name, "model") == 0 || engine_strcasecmp(name, "msdb") == 0;
}

/* ------------------------------------------------------------------------
 * Columns assigned by the running UPDATE
 * ------------------------------------------------------------------------
 * Change Tracking (SYS_CHANGE_COLUMNS) and CDC (__$update_mask) report the
 * columns an UPDATE changed.  SQL Server takes them from the statement: a
 * column is "updated" when the UPDATE assigns it, even to the value it
 * already has (SET c = c).  For CT this is what a CT-enabled SQL Server
 * shows (Microsoft's archived blog "SQL Server 2008 Column Change
 * Tracking": a column updated to its own value is reported, SQL Server
 * "records that the column was involved in the update statement"); the
 * CHANGETABLE page speaks of "columns that were updated".  For CDC the
 * cdc.<ci>_CT page says "columns that changed" and does not settle
 * SET c = c: the stand-in applies the same rule to both (UNCONFIRMED for
 * CDC), so that CT and CDC agree.
 *
 * SQLite triggers cannot see the SET list, so the statement hook of CT
 * notes it here (feat_note_update) before the UPDATE runs, and the
 * triggers ask sim_col_assigned(object_id, column_id, value_changed): 1 if
 * the noted UPDATE targets that table and assigns that column, 0 if it
 * targets the table without assigning it, and value_changed (the old
 * reading: the value differs) when no UPDATE of that table was noted
 * (MERGE, or a target the parser does not resolve).
 */

#define FEAT_MAX_COLUMN_ID 4096

typedef struct FeatAssigned
{
	int64_t		object_id;		/* target of the noted UPDATE, 0 = none */
	unsigned char cols[FEAT_MAX_COLUMN_ID / 8 + 1];	/* bit per column_id */
} FeatAssigned;

static int	assigned_slot = -1;

static FeatAssigned *
assigned_state(SimSession *s)
{
	FeatAssigned *fa = engine_ext_get(s, assigned_slot);

	if (fa == NULL)
	{
		fa = emalloc(sizeof(FeatAssigned));
		memset(fa, 0, sizeof(FeatAssigned));
		engine_ext_set(s, assigned_slot, fa);
	}
	return fa;
}

void
feat_assigned_register(void)
{
	if (assigned_slot < 0)
		assigned_slot = engine_ext_slot(free);
}

/* sim_col_assigned(object_id, column_id, value_changed) -> 0/1 */
static void
fn_col_assigned(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	FeatAssigned *fa = assigned_state((SimSession *) sqlite3_user_data(ctx));
	int64_t		objid = sqlite3_value_int64(argv[0]);
	int64_t		col = sqlite3_value_int64(argv[1]);

	if (fa->object_id == 0 || fa->object_id != objid)
	{
		sqlite3_result_value(ctx, argv[2]);
		return;
	}
	sqlite3_result_int(ctx, col > 0 && col < FEAT_MAX_COLUMN_ID &&
					   (fa->cols[col / 8] & (1 << (col % 8))) != 0);
}

void
feat_assigned_create(SimSession *s, sqlite3 *db)
{
	sqlite3_create_function_v2(db, "sim_col_assigned", 3, SQLITE_UTF8, s, fn_col_assigned,
							   NULL, NULL, NULL);
}

/* Mark column name of t as assigned. */
static void
assigned_mark(FeatAssigned *fa, const EngineTable *t, const char *name)
{
	int			i;

	for (i = 0; i < t->ncols; i++)
		if (engine_strcasecmp(t->cols[i].name, name) == 0 &&
			t->cols[i].column_id > 0 && t->cols[i].column_id < FEAT_MAX_COLUMN_ID)
			fa->cols[t->cols[i].column_id / 8] |= (unsigned char) (1 << (t->cols[i].column_id % 8));
}

/* True at the end of an UPDATE's SET list (a clause keyword or the end). */
static bool
set_list_end(const EngineStmt *st, int i)
{
	return st->tok[i].type == TK_EOF || engine_tok_op(st, i, ";") ||
		engine_tok_is(st, i, "FROM") || engine_tok_is(st, i, "WHERE") ||
		engine_tok_is(st, i, "OUTPUT") || engine_tok_is(st, i, "OPTION");
}

/*
 * The table an UPDATE's target names: a table, or an alias declared in its
 * FROM clause ("UPDATE a SET ... FROM dbo.t AS a").  NULL when unresolved.
 */
static EngineTable *
update_target(SimSession *s, const EngineStmt *st, int set_pos, const char *schema,
			  const char *name)
{
	EngineTable *t = engine_table_lookup(s, schema[0] ? schema : NULL, name);
	int			i;

	if (t != NULL || schema[0])
		return t;
	for (i = set_pos; i < st->ntok; i++)
	{
		int			j;
		char		sch[ENGINE_NAME_BUF];
		char		nm[ENGINE_NAME_BUF];

		if (engine_tok_op(st, i, "("))
		{
			i = engine_skip_parens(st, i) - 1;
			continue;
		}
		if (!(engine_tok_is(st, i, "FROM") || engine_tok_is(st, i, "JOIN") ||
			  engine_tok_op(st, i, ",")))
			continue;
		j = i + 1;
		if (!feat_parse_name(st, &j, sch, nm, sizeof(nm)))
			continue;
		if (engine_tok_is(st, j, "AS"))
			j++;
		if ((st->tok[j].type == TK_WORD || st->tok[j].type == TK_QIDENT) &&
			engine_strcasecmp(st->tok[j].text, name) == 0)
			return engine_table_lookup(s, sch[0] ? sch : NULL, nm);
	}
	return NULL;
}

/*
 * Statement hook helper: forget the previous statement's SET list, and if
 * the statement starting at token from is an UPDATE, note its target and
 * the columns its SET list assigns (c = ..., c += ..., t.c = ...,
 * @v = c = ..., c.WRITE(...)).
 */
void
feat_note_update(SimSession *s, const EngineStmt *st, int from)
{
	FeatAssigned *fa = assigned_state(s);
	char		schema[ENGINE_NAME_BUF];
	char		name[ENGINE_NAME_BUF];
	EngineTable *t;
	int			i = from;

	fa->object_id = 0;
	if (!engine_tok_is(st, i, "UPDATE"))
		return;
	i++;
	if (engine_tok_is(st, i, "TOP"))
	{
		i++;
		i = engine_tok_op(st, i, "(") ? engine_skip_parens(st, i) : i + 1;
		if (engine_tok_is(st, i, "PERCENT"))
			i++;
	}
	if (!feat_parse_name(st, &i, schema, name, sizeof(name)))
		return;
	if (engine_tok_is(st, i, "WITH") && engine_tok_op(st, i + 1, "("))
		i = engine_skip_parens(st, i + 1);
	if (!engine_tok_is(st, i, "SET"))
		return;
	i++;
	t = update_target(s, st, i, schema, name);
	if (t == NULL)
		return;
	memset(fa->cols, 0, sizeof(fa->cols));
	while (!set_list_end(st, i))
	{
		int			j = i;
		char		sch[ENGINE_NAME_BUF];
		char		col[ENGINE_NAME_BUF];

		if (st->tok[j].type == TK_VAR && engine_tok_op(st, j + 1, "="))
			j += 2;				/* @v = c = expr (or @v = expr: no column) */
		if (feat_parse_name(st, &j, sch, col, sizeof(col)))
		{
			if (engine_strcasecmp(col, "WRITE") == 0 && engine_tok_op(st, j, "(") && sch[0])
				assigned_mark(fa, t, sch);	/* c.WRITE(...) */
			else if (engine_tok_op(st, j, "=") ||
					 (st->tok[j].type == TK_OP && engine_tok_op(st, j + 1, "=")) ||
					 (st->tok[j].type == TK_OP && strlen(st->tok[j].text) == 2 &&
					  st->tok[j].text[1] == '='))
				assigned_mark(fa, t, col);	/* c = ..., c += ... */
		}
		/* on to the next top-level comma */
		while (!set_list_end(st, i) && !engine_tok_op(st, i, ","))
			i = engine_tok_op(st, i, "(") ? engine_skip_parens(st, i) : i + 1;
		if (engine_tok_op(st, i, ","))
			i++;
	}
	fa->object_id = t->object_id;
	engine_table_free(t);
}
