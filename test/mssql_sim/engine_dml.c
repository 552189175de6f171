/*
 * engine_dml.c
 *		INSERT, UPDATE and DELETE: conversion of every stored value to its
 *		column's type, IDENTITY, DEFAULT, rowversion, statement atomicity
 *		and SQL Server's constraint errors (2627, 2601, 515, 544, 2628).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine_int.h"
#include "engine_tokens.h"

/* ------------------------------------------------------------------------
 * rowversion: a database-wide counter, cached while a statement writes
 * ------------------------------------------------------------------------
 */

int64_t
engine_rowversion_next(SimSession *s)
{
	if (!s->rv_loaded)
	{
		s->rv_value = engine_meta_get(s, "rowversion", 2000);
		s->rv_loaded = true;
	}
	return ++s->rv_value;
}

void
engine_rowversion_flush(SimSession *s, bool keep)
{
	if (s->rv_loaded && keep)
		engine_meta_set(s, "rowversion", s->rv_value);
	s->rv_loaded = false;
}

void
engine_rowversion_blob(int64_t v, unsigned char *out)
{
	int			k;

	for (k = 0; k < 8; k++)
		out[k] = (unsigned char) ((uint64_t) v >> (8 * (7 - k)));
}

/* ------------------------------------------------------------------------
 * Constraint errors
 * ------------------------------------------------------------------------
 */

/* Text of a value for "The duplicate key value is (...)". */
static void
append_key_value(EngineBuf *b, sqlite3_value *v)
{
	if (v == NULL || sqlite3_value_type(v) == SQLITE_NULL)
		ebuf_append(b, "<NULL>");
	else if (sqlite3_value_type(v) == SQLITE_BLOB)
	{
		const unsigned char *p = sqlite3_value_blob(v);
		int			n = sqlite3_value_bytes(v),
					k;

		ebuf_append(b, "0x");
		for (k = 0; k < n; k++)
			ebuf_printf(b, "%02X", p[k]);
	}
	else
		ebuf_append(b, (const char *) sqlite3_value_text(v));
}

/*
 * The index (name as written in CREATE INDEX) of #temp table t created by
 * CREATE UNIQUE INDEX on exactly the columns SQLite names in failed
 * ("#t.a, #t.b"); false if there is none.
 */
static bool
temp_unique_index(SimSession *s, EngineTable *t, const char *failed, char *out, size_t outlen)
{
	sqlite3_stmt *q;
	bool		found = false;
	size_t		plen = strlen(t->sqlite_name);

	if (sqlite3_prepare_v2(s->db, "SELECT name FROM temp.sqlite_master WHERE type = 'index'"
						   " AND tbl_name = ?1 AND sql LIKE 'CREATE UNIQUE%'", -1, &q,
						   NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(q, 1, t->sqlite_name, -1, SQLITE_STATIC);
	while (!found && sqlite3_step(q) == SQLITE_ROW)
	{
		const char *full = (const char *) sqlite3_column_text(q, 0);
		EngineBuf	b,
					cols;
		sqlite3_stmt *info;

		if (strncmp(full, t->sqlite_name, plen) != 0 || full[plen] != '.')
			continue;
		/* its columns, as SQLite would name them in the error */
		ebuf_init(&b);
		ebuf_init(&cols);
		ebuf_append(&b, "SELECT name FROM pragma_index_info(");
		ebuf_append_literal(&b, full);
		ebuf_append(&b, ", 'temp') ORDER BY seqno");
		if (sqlite3_prepare_v2(s->db, b.data, -1, &info, NULL) == SQLITE_OK)
		{
			while (sqlite3_step(info) == SQLITE_ROW)
				ebuf_printf(&cols, "%s%s.%s", cols.len ? ", " : "", t->sqlite_name,
							(const char *) sqlite3_column_text(info, 0));
			sqlite3_finalize(info);
		}
		if (cols.len > 0 && strcmp(cols.data, failed) == 0)
		{
			snprintf(out, outlen, "%s", full + plen + 1);
			found = true;
		}
		ebuf_free(&b);
		ebuf_free(&cols);
	}
	sqlite3_finalize(q);
	return found;
}

/*
 * SQL Server's duplicate key error for table t: 2627 naming the PRIMARY KEY
 * or UNIQUE constraint cname, else 2601 naming the unique index cname; key
 * is the duplicate key value as shown.
 */
static void
duplicate_key_error(SimSession *s, const EngineTable *t, bool is_constraint,
					bool is_pk, const char *cname, const char *key)
{
	if (is_constraint)
		engine_error(s, 2627, "Violation of %s constraint '%s'. Cannot insert duplicate key in object '%s.%s'. The duplicate key value is (%s).",
					 is_pk ? "PRIMARY KEY" : "UNIQUE KEY", cname, t->schema, t->name, key);
	else
		engine_error(s, 2601, "Cannot insert duplicate key row in object '%s.%s' with unique index '%s'. The duplicate key value is (%s).",
					 t->schema, t->name, cname, key);
}

/*
 * Report a UNIQUE/PRIMARY KEY failure of table t.  vals (may be NULL) are
 * the values of t->cols by index, to show the duplicate key.
 */
static void
report_unique(SimSession *s, EngineTable *t, sqlite3_value **vals, const char *msg)
{
	const char *cols = strstr(msg, "failed: ");
	sqlite3_stmt *stmt;
	EngineBuf	key;
	char		cname[ENGINE_NAME_LEN * 2 + 8] = "";
	bool		is_pk = false,
				is_constraint = true;
	int			index_id = -1;
	int			firstcol = -1;

	/* the first column SQLite names identifies the index */
	if (cols)
	{
		const char *p = cols + 8;
		const char *comma = strchr(p, ',');
		const char *dot;
		char		first[ENGINE_NAME_LEN * 2];

		snprintf(first, sizeof(first), "%.*s", comma ? (int) (comma - p) : (int) strlen(p), p);
		dot = strrchr(first, '.');
		snprintf(cname, sizeof(cname), "%s", dot ? dot + 1 : first);
	}
	for (int k = 0; k < t->ncols; k++)
		if (engine_strcasecmp(t->cols[k].name, cname) == 0)
			firstcol = t->cols[k].column_id;
	if (t->temp)
	{
		/*
		 * #temp tables have no catalog rows: the key is the columns SQLite
		 * names ("failed: #t.a, #t.b"); a primary key if they start with
		 * the table's.
		 */
		const char *p = cols ? cols + 8 : "";
		bool		first = true;

		is_pk = t->npk > 0 && firstcol == t->cols[t->pk[0]].column_id;
		snprintf(cname, sizeof(cname), "%s__%s", is_pk ? "PK" : "UQ", t->name);
		if (is_pk && t->pk_name)
			snprintf(cname, sizeof(cname), "%s", t->pk_name);
		/* a CREATE UNIQUE INDEX of its own ("<table>.<index>") with these columns: 2601 */
		if (!is_pk)
		{
			char		iname[ENGINE_NAME_LEN];

			if (temp_unique_index(s, t, cols ? cols + 8 : "", iname, sizeof(iname)))
			{
				snprintf(cname, sizeof(cname), "%s", iname);
				is_constraint = false;
			}
		}
		ebuf_init(&key);
		while (vals && *p)
		{
			const char *comma = strchr(p, ',');
			int			len = comma ? (int) (comma - p) : (int) strlen(p);
			const char *dot = memchr(p, '.', (size_t) len);
			const char *col = dot ? dot + 1 : p;
			int			clen = len - (int) (col - p);

			for (int k = 0; k < t->ncols; k++)
				if ((int) strlen(t->cols[k].name) == clen &&
					strncmp(t->cols[k].name, col, (size_t) clen) == 0)
				{
					if (!first)
						ebuf_append(&key, ", ");
					append_key_value(&key, vals[k]);
					first = false;
				}
			p = comma ? comma + 1 : p + len;
			while (*p == ' ')
				p++;
		}
		duplicate_key_error(s, t, is_constraint, is_pk, cname, key.data);
		ebuf_free(&key);
		return;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT i.index_id, i.name, i.is_primary_key, i.is_unique_constraint"
						   " FROM main.__sim_indexes i JOIN main.__sim_index_columns ic"
						   " ON ic.object_id = i.object_id AND ic.index_id = i.index_id"
						   " AND ic.key_ordinal = 1 WHERE i.object_id = ?1 AND i.is_unique = 1"
						   " AND ic.column_id = ?2 ORDER BY i.is_primary_key DESC", -1, &stmt,
						   NULL) == SQLITE_OK)
	{
		sqlite3_bind_int64(stmt, 1, t->object_id);
		sqlite3_bind_int(stmt, 2, firstcol);
		if (sqlite3_step(stmt) == SQLITE_ROW)
		{
			index_id = sqlite3_column_int(stmt, 0);
			snprintf(cname, sizeof(cname), "%s", (const char *) sqlite3_column_text(stmt, 1));
			is_pk = sqlite3_column_int(stmt, 2) != 0;
			is_constraint = is_pk || sqlite3_column_int(stmt, 3) != 0;
		}
		sqlite3_finalize(stmt);
	}
	ebuf_init(&key);
	if (vals && index_id >= 0 &&
		sqlite3_prepare_v2(s->db, "SELECT column_id FROM main.__sim_index_columns WHERE object_id = ?1"
						   " AND index_id = ?2 ORDER BY key_ordinal", -1, &stmt, NULL) == SQLITE_OK)
	{
		bool		first = true;

		sqlite3_bind_int64(stmt, 1, t->object_id);
		sqlite3_bind_int(stmt, 2, index_id);
		while (sqlite3_step(stmt) == SQLITE_ROW)
		{
			int			cid = sqlite3_column_int(stmt, 0);

			for (int k = 0; k < t->ncols; k++)
				if (t->cols[k].column_id == cid)
				{
					if (!first)
						ebuf_append(&key, ", ");
					append_key_value(&key, vals[k]);
					first = false;
				}
		}
		sqlite3_finalize(stmt);
	}
	duplicate_key_error(s, t, is_constraint, is_pk, cname, key.data);
	ebuf_free(&key);
}

/* The error of a failed write, saved before other statements run. */
typedef struct SavedError
{
	int			xrc;
	char		msg[512];
} SavedError;

static void
save_error(SimSession *s, SavedError *e)
{
	e->xrc = sqlite3_extended_errcode(s->db);
	snprintf(e->msg, sizeof(e->msg), "%s", sqlite3_errmsg(s->db));
}

/* Report a failed step of a write on table t (vals: see report_unique). */
static void
report_write_error(SimSession *s, EngineTable *t, int rc, sqlite3_value **vals, SavedError *e)
{
	SavedError	now;

	if (e == NULL)
	{
		save_error(s, &now);
		e = &now;
	}
	if (e->xrc == SQLITE_CONSTRAINT_PRIMARYKEY || e->xrc == SQLITE_CONSTRAINT_UNIQUE)
		report_unique(s, t, vals, e->msg);
	else if (e->xrc == SQLITE_CONSTRAINT_NOTNULL)
	{
		const char *p = strstr(e->msg, "failed: ");
		const char *col = p ? strrchr(p, '.') : NULL;

		engine_error(s, 515, "Cannot insert the value NULL into column '%s', table '%s.%s.%s'; column does not allow nulls. %s fails.",
					 col ? col + 1 : "?", t->temp ? "tempdb" : s->dbname, t->schema, t->name,
					 s->cur_cmd == SIM_CMD_UPDATE ? "UPDATE" : "INSERT");
	}
	else
		engine_error_sqlite(s, rc);
}

/* Report a conversion failure of a value for column c of table t. */
static void
report_convert(SimSession *s, EngineTable *t, EngineColumn *c, int errnum, const char *err)
{
	if (errnum == 2628)
		engine_error(s, 2628, "String or binary data would be truncated in table '%s.%s.%s', column '%s'. Truncated value: '%s'.",
					 t->temp ? "tempdb" : s->dbname, t->schema, t->name, c->name, err);
	else
		engine_error(s, errnum, "%s", err);
}

/* Parse "[INTO] name" at *pos into a looked-up table; reports 208. */
static EngineTable *
target_table(SimSession *s, const EngineStmt *st, int *pos)
{
	char		db[ENGINE_NAME_LEN],
				schema[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];
	int			start = *pos;
	EngineTable *t;

	if (st->tok[*pos].type == TK_TEMP)
	{
		snprintf(name, sizeof(name), "%s", st->tok[*pos].text);
		(*pos)++;
		t = engine_table_lookup(s, NULL, name);
	}
	else if (!engine_parse_name_tokens(st, pos, db, schema, name, sizeof(name)))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[*pos].text);
		return NULL;
	}
	else
		t = (db[0] && engine_strcasecmp(db, s->dbname) != 0) ? NULL :
			engine_table_lookup(s, schema, name);
	if (t == NULL)
	{
		char	   *txt = engine_name_text(st, start, *pos);

		engine_error(s, 208, "Invalid object name '%s'.", txt);
		free(txt);
		return NULL;
	}
	/* table hints */
	if (word_is(st, *pos, "WITH") && op_is(st, *pos + 1, "("))
		*pos = engine_skip_parens(st, *pos + 1);
	return t;
}

/* SQL for a column's DEFAULT (translated), or NULL if it has none. */
static char *
default_sql(SimSession *s, EngineColumn *c)
{
	EngineLexed lx;
	int			errnum;
	char		err[256];
	EngineBuf	b;
	EngineStmt	st;
	bool		ok;

	if (c->default_sql == NULL)
		return NULL;
	if (!engine_lex(c->default_sql, &lx, &errnum, err, sizeof(err)))
		return NULL;
	st.src = c->default_sql;
	st.tok = lx.tok;
	st.ntok = lx.ntok;
	ebuf_init(&b);
	ok = engine_translate_expr(s, &st, 0, lx.ntok, &b, NULL);
	engine_lex_free(&lx);
	if (!ok)
	{
		ebuf_free(&b);
		return NULL;
	}
	return b.data;
}

/*
 * The keyword DEFAULT standing as a whole value in the translated rows of
 * "VALUES (...), (...)" (sql, from the word VALUES on): replaced by the
 * listed column's DEFAULT expression, or NULL when it has none, as SQL
 * Server does for INSERT ... VALUES (N'x', DEFAULT).  Quoted text is
 * skipped.  Returns a malloc'd copy.
 */
static char *
values_defaults(SimSession *s, EngineTable *t, const int *listed, int nlisted, const char *sql)
{
	EngineBuf	b;
	const char *p = sql;
	int			depth = 0,
				col = 0;
	bool		value_start = false;

	ebuf_init(&b);
	while (*p)
	{
		if (*p == '\'' || *p == '"')
		{
			char		q = *p;

			ebuf_appendc(&b, *p++);
			while (*p)
			{
				if (*p == q && p[1] == q)
				{
					ebuf_appendn(&b, p, 2);
					p += 2;
					continue;
				}
				if (*p == q)
					break;
				ebuf_appendc(&b, *p++);
			}
			if (*p)
				ebuf_appendc(&b, *p++);
			value_start = false;
			continue;
		}
		if (*p == '(')
		{
			depth++;
			if (depth == 1)
			{
				col = 0;
				value_start = true;
			}
			ebuf_appendc(&b, *p++);
			continue;
		}
		if (*p == ')')
			depth--;
		if (*p == ',' && depth == 1)
		{
			col++;
			value_start = true;
			ebuf_appendc(&b, *p++);
			continue;
		}
		if (*p == ' ')
		{
			ebuf_appendc(&b, *p++);
			continue;
		}
		if (depth == 1 && value_start && strncasecmp(p, "DEFAULT", 7) == 0 &&
			!(isalnum((unsigned char) p[7]) || p[7] == '_'))
		{
			const char *q = p + 7;
			char	   *def = NULL;
			EngineColumn *c;

			while (*q == ' ')
				q++;
			if ((*q == ',' || *q == ')') && col < nlisted)
			{
				c = &t->cols[listed[col]];
				def = default_sql(s, c);
				if (def)
					ebuf_printf(&b, "(%s)", def);
				else
					ebuf_append(&b, "NULL");
				free(def);
				p += 7;
				value_start = false;
				continue;
			}
		}
		value_start = false;
		ebuf_appendc(&b, *p++);
	}
	return b.data;
}

/* Count depth-1 values in each parenthesised row of a VALUES list. */
static bool
check_values_rows(SimSession *s, const EngineStmt *st, int from, int to, int ncols,
				  bool column_list)
{
	int			i = from;

	while (i < to)
	{
		int			close,
					n = 1,
					depth = 0,
					k;

		if (!op_is(st, i, "("))
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
			return false;
		}
		close = engine_skip_parens(st, i) - 1;
		for (k = i + 1; k < close; k++)
		{
			if (op_is(st, k, "("))
				depth++;
			else if (op_is(st, k, ")"))
				depth--;
			else if (depth == 0 && op_is(st, k, ","))
				n++;
		}
		if (n != ncols && !column_list)
		{
			engine_error(s, 213, "Column name or number of supplied values does not match table definition.");
			return false;
		}
		if (n != ncols)
		{
			if (n > ncols)
				engine_error(s, 110, "There are fewer columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.");
			else
				engine_error(s, 109, "There are more columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.");
			return false;
		}
		i = close + 1;
		if (op_is(st, i, ","))
			i++;
		else
			break;
	}
	return true;
}

/*
 * The CV_TEXT | CV_UNICODE flags of the source columns of INSERT ... VALUES
 * [from, to) (already checked by check_values_rows): any row's value
 * counts, as the VALUES constructor's column then has that type.  Sets
 * src[0..ncols).
 */
#define NOT_TEXT	0x100			/* values_src_flags: a non-string seen */

static void
values_src_flags(EngineXlate *x, const EngineStmt *st, int from, int to, int *src, int ncols)
{
	int			i = from;

	memset(src, 0, sizeof(int) * (size_t) ncols);
	while (i < to && op_is(st, i, "("))
	{
		int			close = engine_skip_parens(st, i) - 1;
		int			a = i + 1,
					k,
					n = 0,
					depth = 0;

		for (k = i + 1; k <= close; k++)
		{
			if (op_is(st, k, "(") && k < close)
				depth++;
			else if (op_is(st, k, ")") && k < close)
				depth--;
			else if (k == close || (depth == 0 && op_is(st, k, ",")))
			{
				if (n < ncols && !(k == a + 1 && word_is(st, a, "NULL")))
				{
					int			f = engine_expr_src_flags(x, a, k);

					/* a row with a non-string value: the column is no string */
					src[n] |= f | (f & CV_TEXT ? 0 : NOT_TEXT);
				}
				n++;
				a = k + 1;
			}
		}
		i = close + 1;
		if (op_is(st, i, ","))
			i++;
	}
	for (i = 0; i < ncols; i++)
		if (src[i] & NOT_TEXT)
			src[i] &= ~(CV_TEXT | NOT_TEXT);
}

/*
 * The last identity value of t's identity column c, for the next insert:
 * *have false when none was ever handed out (the next is the seed).
 */
static bool
identity_start(SimSession *s, EngineTable *t, EngineColumn *c, int64_t *last, bool *have)
{
	sqlite3_stmt *stmt;

	*have = false;
	if (t->temp)
	{
		EngineTempTable *tt = engine_temp_find(s, t->name);

		if (tt)
		{
			*last = tt->ident_last;
			*have = tt->ident_have;
		}
		return true;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT last_value FROM main.__sim_identity WHERE object_id = ?1",
						   -1, &stmt, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(stmt, 1, t->object_id);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
	{
		*last = sqlite3_column_int64(stmt, 0);
		*have = true;
	}
	sqlite3_finalize(stmt);
	/* values taken by inserts that were rolled back stay taken */
	engine_identity_adjust(s->db, t->object_id, c->ident_incr, last, have);
	return true;
}

static void
identity_save(SimSession *s, EngineTable *t, int64_t last)
{
	sqlite3_stmt *stmt;

	if (t->temp)
	{
		EngineTempTable *tt = engine_temp_find(s, t->name);

		if (tt)
		{
			tt->ident_last = last;
			tt->ident_have = true;
		}
		return;
	}
	if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO main.__sim_identity VALUES (?1, ?2)", -1,
						   &stmt, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(stmt, 1, t->object_id);
	sqlite3_bind_int64(stmt, 2, last);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
}

/*
 * Halloween protection for INSERT ... SELECT.
 *
 * The source query is stepped while rows are inserted; if it reads the
 * target table (directly, in a subquery, through a view or a CTE), it would
 * see the rows being inserted, and loop for ever.  SQL Server evaluates the
 * SELECT fully first.  To know whether the source reads the target, the
 * source is prepared under an authorizer that watches SQLite's SQLITE_READ
 * requests: SQLite reports every table a statement reads, also inside
 * views, and also a table read without any column (COUNT(*)).
 */
typedef struct ReadWatch
{
	const char *dbname;			/* "main" or "temp" */
	const char *table;			/* SQLite name of the target */
	bool		seen;
} ReadWatch;

static int
read_watch_cb(void *arg, int action, const char *a3, const char *a4,
			  const char *a5, const char *a6)
{
	ReadWatch  *w = arg;

	(void) a4;
	(void) a6;
	if (action == SQLITE_READ && a3 != NULL &&
		sqlite3_stricmp(a3, w->table) == 0 &&
		(a5 == NULL || sqlite3_stricmp(a5, w->dbname) == 0))
		w->seen = true;
	return SQLITE_OK;
}

/*
 * Prepare sql on s->db into *stmt; *reads_target tells whether the
 * statement reads table t.  Returns SQLite's result code.
 */
static int
prepare_watching(SimSession *s, const char *sql, const EngineTable *t,
				 sqlite3_stmt **stmt, bool *reads_target)
{
	ReadWatch	w;
	int			rc;

	w.dbname = t->temp ? "temp" : "main";
	w.table = t->sqlite_name;
	w.seen = false;
	sqlite3_set_authorizer(s->db, read_watch_cb, &w);
	rc = sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL);
	sqlite3_set_authorizer(s->db, NULL, NULL);
	*reads_target = w.seen;
	return rc;
}

/*
 * End an INSERT/UPDATE/DELETE that ran with outcome ok: OUTPUT ... INTO as
 * part of the statement, then engine_stmt_end.  On success
 * s->last_rowcount = *n, else *n = 0.  Returns whether the statement
 * succeeded.
 */
static bool
dml_stmt_end(SimSession *s, EngineOutput *out, bool ok, int64_t *n)
{
	if (ok && out->into_text)
	{
		/* OUTPUT ... INTO: part of the statement, before it ends */
		engine_output_end(s, out);
		ok = engine_output_into(s, out);
	}
	engine_stmt_end(s, ok);
	if (ok)
		s->last_rowcount = *n;
	else
		*n = 0;
	return ok;
}

/*
 * After an INSERT/UPDATE/DELETE: the OUTPUT rows sent if it succeeded, out
 * and t freed, and the DONE of curcmd with row count n.
 */
static void
dml_finish(SimSession *s, EngineOutput *out, EngineTable *t, bool ok,
		   uint16_t curcmd, int64_t n)
{
	engine_output_end(s, out);
	if (ok)
		engine_output_send(s, out);
	engine_output_free(out);
	engine_table_free(t);
	engine_done(s, curcmd, ok, (uint64_t) n);
}

/*
 * INSERT [INTO] t [(cols)] {VALUES (...), ... | SELECT ... | DEFAULT VALUES}
 */
bool
engine_exec_insert(SimSession *s, const EngineStmt *st, int from, int to)
{
	return engine_exec_insert_cte(s, st, -1, from, to);
}

/*
 * INSERT with an optional "WITH cte AS (...)" prefix at [cte_from, from)
 * (cte_from < 0: none) that the source query may use.
 */
bool
engine_exec_insert_cte(SimSession *s, const EngineStmt *st, int cte_from, int from, int to)
{
	int			i = from + 1;
	EngineTable *t;
	int			listed[1024];
	int			src_flags[1024];	/* CV_TEXT | CV_UNICODE of source column k */
	int			nlisted = 0;
	bool		explicit_identity = false;
	int			ident_col = -1;
	EngineBuf	ins;
	EngineXlate x;
	sqlite3_stmt *src = NULL,
			   *dst = NULL;
	int			k,
				rc;
	int64_t		n = 0;
	int64_t		ident_last = 0;
	bool		ident_have = false;
	bool		ident_used = false;
	bool		ok = false;
	bool		default_values = false;
	sqlite3_value **rowvals = NULL;
	int			end = to;
	SavedError	saved;
	bool		has_column_list;
	bool		self_ref = false;	/* the source reads the target table */
	sqlite3_value **cur = NULL;
	sqlite3_value **mat = NULL;
	int64_t		nmat = 0,
				mcap = 0,
				mpos = 0;
	EngineOutput out;

	memset(&out, 0, sizeof(out));
	memset(src_flags, 0, sizeof(src_flags));
	s->cur_cmd = SIM_CMD_INSERT;
	while (end > from && op_is(st, end - 1, ";"))
		end--;
	if (word_is(st, i, "INTO"))
		i++;
	t = target_table(s, st, &i);
	if (t == NULL)
	{
		engine_done(s, SIM_CMD_INSERT, false, 0);
		return false;
	}
	if (t->type[0] == 'V')
	{
		engine_error(s, 4406, "Update or insert of view or function '%s.%s' failed because it contains a derived or constant field.",
					 t->schema, t->name);
		engine_table_free(t);
		engine_done(s, SIM_CMD_INSERT, false, 0);
		return false;
	}
	for (k = 0; k < t->ncols; k++)
		if (t->cols[k].identity)
			ident_col = k;
	has_column_list = op_is(st, i, "(");
	if (has_column_list)
	{
		int			close = engine_skip_parens(st, i) - 1;

		for (k = i + 1; k < close; k++)
		{
			int			c;

			if (op_is(st, k, ","))
				continue;
			for (c = 0; c < t->ncols; c++)
				if (engine_strcasecmp(t->cols[c].name, st->tok[k].text) == 0)
					break;
			if (c == t->ncols)
			{
				engine_error(s, 207, "Invalid column name '%s'.", st->tok[k].text);
				goto done;
			}
			if (t->cols[c].rowversion)
			{
				engine_error(s, 273, "Cannot insert an explicit value into a timestamp column. Use INSERT with a column list to exclude the timestamp column, or insert a DEFAULT into the timestamp column.");
				goto done;
			}
			if (nlisted < 1024)
				listed[nlisted++] = c;
			if (c == ident_col)
				explicit_identity = true;
		}
		i = close + 1;
	}
	else
	{
		for (k = 0; k < t->ncols; k++)
			if (!t->cols[k].identity && !t->cols[k].rowversion && nlisted < 1024)
				listed[nlisted++] = k;
		if (s->identity_insert_object == (int) t->object_id && ident_col >= 0)
		{
			engine_error(s, 8101, "An explicit value for the identity column in table '%s.%s' can only be specified when a column list is used and IDENTITY_INSERT is ON.",
						 t->schema, t->name);
			goto done;
		}
	}
	if (explicit_identity && s->identity_insert_object != (int) t->object_id)
	{
		engine_error(s, 544, "Cannot insert explicit value for identity column in table '%s' when IDENTITY_INSERT is set to OFF.",
					 t->name);
		goto done;
	}
	if (word_is(st, i, "OUTPUT") &&
		!engine_output_parse(s, st, i, end, t, 'I',
							 (const char *[]) {"VALUES", "SELECT", "DEFAULT", "WITH", "EXEC",
				"EXECUTE", NULL}, &out, &i))
		goto done;
	/* the source rows */
	engine_xlate_init(&x, s, st);
	if (cte_from >= 0)
	{
		if (!word_is(st, i, "SELECT"))
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
			engine_xlate_free(&x);
			goto done;
		}
		if (!engine_xlate_range(&x, cte_from, from))
		{
			engine_xlate_free(&x);
			goto done;
		}
		ebuf_appendc(&x.sql, ' ');
	}
	if (word_is(st, i, "DEFAULT") && word_is(st, i + 1, "VALUES"))
	{
		default_values = true;
		nlisted = 0;
		ebuf_append(&x.sql, "SELECT 1");
	}
	else if (word_is(st, i, "VALUES"))
	{
		if (!check_values_rows(s, st, i + 1, end, nlisted, has_column_list))
		{
			engine_xlate_free(&x);
			goto done;
		}
		x.select_seen = true;
		if (!engine_xlate_range(&x, i, end))
		{
			engine_xlate_free(&x);
			goto done;
		}
		values_src_flags(&x, st, i + 1, end, src_flags, nlisted);
		{
			/* VALUES (..., DEFAULT, ...): the column's default */
			char	   *vals = strstr(x.sql.data, "VALUES");

			if (vals)
			{
				char	   *fixed = values_defaults(s, t, listed, nlisted, vals);

				x.sql.len = (size_t) (vals - x.sql.data);
				x.sql.data[x.sql.len] = '\0';
				ebuf_append(&x.sql, fixed);
				free(fixed);
			}
		}
	}
	else if (word_is(st, i, "SELECT") || word_is(st, i, "WITH") || op_is(st, i, "("))
	{
		if (!engine_xlate_range(&x, i, end))
		{
			engine_xlate_free(&x);
			goto done;
		}
		/* the select list's types (a '*' leaves them to the declared types) */
		if (x.nitems == nlisted)
			for (k = 0; k < nlisted; k++)
				src_flags[k] = engine_type_src_flags(&x.items[k].hint);
	}
	else
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		engine_xlate_free(&x);
		goto done;
	}
	if (x.touches_catalog)
		engine_catalog_refresh(s);
	if (!engine_output_begin(s, t, "INSERT", &out) || !engine_stmt_begin(s))
	{
		engine_xlate_free(&x);
		goto done;
	}
	rc = prepare_watching(s, x.sql.data, t, &src, &self_ref);
	engine_xlate_free(&x);
	if (rc != SQLITE_OK)
	{
		engine_error_sqlite(s, rc);
		goto end_stmt;
	}
	if (!engine_bind_vars(s, src))
		goto end_stmt;
	if (!default_values && sqlite3_column_count(src) != nlisted && !has_column_list)
	{
		engine_error(s, 213, "Column name or number of supplied values does not match table definition.");
		goto end_stmt;
	}
	if (!default_values && sqlite3_column_count(src) != nlisted)
	{
		engine_error(s, 121, "The select list for the INSERT statement contains %s items than the insert list. The number of SELECT values must match the number of INSERT columns.",
					 sqlite3_column_count(src) < nlisted ? "fewer" : "more");
		goto end_stmt;
	}
	/* source columns read straight from string table columns */
	for (k = 0; k < nlisted && !default_values; k++)
	{
		const char *decl = sqlite3_column_decltype(src, k);
		SimType		dt;

		if (decl && engine_decltype_parse(decl, &dt))
			src_flags[k] |= engine_type_src_flags(&dt);
	}
	/* the INSERT: listed columns, identity, defaults, rowversion */
	ebuf_init(&ins);
	ebuf_append(&ins, t->temp ? "INSERT INTO temp." : "INSERT INTO main.");
	ebuf_append_ident(&ins, t->sqlite_name);
	ebuf_append(&ins, " (");
	{
		bool		first = true;
		bool	   *covered = calloc((size_t) t->ncols + 1, sizeof(bool));
		EngineBuf	vals;

		ebuf_init(&vals);
		for (k = 0; k < nlisted; k++)
		{
			if (!first)
			{
				ebuf_append(&ins, ", ");
				ebuf_append(&vals, ", ");
			}
			ebuf_append_ident(&ins, t->cols[listed[k]].name);
			ebuf_printf(&vals, "?%d", k + 1);
			covered[listed[k]] = true;
			first = false;
		}
		for (k = 0; k < t->ncols; k++)
		{
			EngineColumn *c = &t->cols[k];
			char	   *def;

			if (covered[k])
				continue;
			if (c->identity)
			{
				if (!first)
				{
					ebuf_append(&ins, ", ");
					ebuf_append(&vals, ", ");
				}
				ebuf_append_ident(&ins, c->name);
				ebuf_printf(&vals, "?%d", t->ncols + 1 + 1);
				ident_used = true;
				first = false;
			}
			else if (c->rowversion)
			{
				if (!first)
				{
					ebuf_append(&ins, ", ");
					ebuf_append(&vals, ", ");
				}
				ebuf_append_ident(&ins, c->name);
				ebuf_append(&vals, "__sim_rowversion()");
				first = false;
			}
			else if ((def = default_sql(s, c)) != NULL)
			{
				if (!first)
				{
					ebuf_append(&ins, ", ");
					ebuf_append(&vals, ", ");
				}
				ebuf_append_ident(&ins, c->name);
				ebuf_printf(&vals, "__sim_cv((%s), %d, %d, %d, %d, 0)", def, (int) c->type.id,
							c->type.length, c->type.precision, c->type.scale);
				free(def);
				first = false;
			}
		}
		free(covered);
		if (first)
			ebuf_append(&ins, ") DEFAULT VALUES");
		else
		{
			ebuf_append(&ins, ") VALUES (");
			ebuf_append(&ins, vals.data);
			ebuf_append(&ins, ")");
		}
		ebuf_free(&vals);
	}
	rc = sqlite3_prepare_v2(s->db, ins.data, -1, &dst, NULL);
	ebuf_free(&ins);
	if (rc != SQLITE_OK)
	{
		engine_error_sqlite(s, rc);
		goto end_stmt;
	}
	if (ident_used || explicit_identity)
		identity_start(s, t, &t->cols[ident_col], &ident_last, &ident_have);
	rowvals = calloc((size_t) t->ncols + 1, sizeof(sqlite3_value *));
	cur = calloc((size_t) nlisted + 1, sizeof(sqlite3_value *));
	if (self_ref)
	{
		/*
		 * The source reads the target: take its rows first, or the rows
		 * being inserted would be read again.
		 */
		while ((rc = sqlite3_step(src)) == SQLITE_ROW)
		{
			if ((nmat + 1) * (int64_t) (nlisted + 1) > mcap)
			{
				mcap = mcap ? mcap * 2 : 64 * (nlisted + 1);
				mat = realloc(mat, sizeof(sqlite3_value *) * (size_t) mcap);
				if (mat == NULL)
					abort();
			}
			for (k = 0; k < nlisted; k++)
				mat[nmat * nlisted + k] = sqlite3_value_dup(sqlite3_column_value(src, k));
			nmat++;
		}
		if (rc != SQLITE_DONE)
		{
			engine_error_sqlite(s, rc);
			goto end_stmt;
		}
	}
	for (;;)
	{
		bool		row_ok = true;

		if (self_ref)
		{
			if (mpos >= nmat)
			{
				rc = SQLITE_DONE;
				break;
			}
			for (k = 0; k < nlisted; k++)
				cur[k] = mat[mpos * nlisted + k];
			mpos++;
			rc = SQLITE_ROW;
		}
		else
		{
			rc = sqlite3_step(src);
			if (rc != SQLITE_ROW)
				break;
			for (k = 0; k < nlisted; k++)
				cur[k] = sqlite3_column_value(src, k);
		}
		sqlite3_reset(dst);
		sqlite3_clear_bindings(dst);
		for (k = 0; k < nlisted; k++)
		{
			EngineColumn *c = &t->cols[listed[k]];
			EngineValue ev;
			int			errnum;
			char		err[512];

			if (!engine_convert_from(cur[k], src_flags[k], &c->type, false, &ev,
									 &errnum, err, sizeof(err)))
			{
				report_convert(s, t, c, errnum, err);
				row_ok = false;
				break;
			}
			engine_value_bind(dst, k + 1, &ev);
			engine_value_free(&ev);
		}
		if (!row_ok)
			break;
		if (ident_used)
		{
			EngineColumn *c = &t->cols[ident_col];

			ident_last = ident_have ? ident_last + c->ident_incr : c->ident_seed;
			ident_have = true;
			sqlite3_bind_int64(dst, t->ncols + 2, ident_last);
			s->last_identity = ident_last;
			s->have_identity = true;
		}
		else if (explicit_identity)
		{
			/* keep the counter above explicit values, as SQL Server does */
			for (k = 0; k < nlisted; k++)
				if (listed[k] == ident_col)
				{
					int64_t		v = sqlite3_value_int64(cur[k]);
					EngineColumn *c = &t->cols[ident_col];

					if (!ident_have || (c->ident_incr > 0 ? v > ident_last : v < ident_last))
					{
						ident_last = v;
						ident_have = true;
					}
					s->last_identity = v;
					s->have_identity = true;
				}
		}
		rc = sqlite3_step(dst);
		if (rc != SQLITE_DONE)
			save_error(s, &saved);
		if (rc != SQLITE_DONE)
		{
			/* values by column index for the duplicate-key message */
			sqlite3_stmt *tmp = NULL;

			for (k = 0; k < t->ncols; k++)
				rowvals[k] = NULL;
			for (k = 0; k < nlisted; k++)
				rowvals[listed[k]] = cur[k];
			if (ident_used && sqlite3_prepare_v2(s->db, "SELECT ?1", -1, &tmp, NULL) == SQLITE_OK)
			{
				sqlite3_bind_int64(tmp, 1, ident_last);
				sqlite3_step(tmp);
				rowvals[ident_col] = sqlite3_column_value(tmp, 0);
			}
			/* the handle's error is still the INSERT's: sqlite3_step of tmp succeeded */
			report_write_error(s, t, rc, rowvals, &saved);
			sqlite3_finalize(tmp);
			break;
		}
		n++;
	}
	if (!s->stmt_failed && rc != SQLITE_DONE && rc != SQLITE_ROW)
		engine_error_sqlite(s, rc);
	if ((ident_used || explicit_identity) && ident_have)
	{
		/*
		 * A failed statement still consumed the values it generated, as on
		 * SQL Server: a #temp table's counter is not transactional anyway,
		 * a table's is remembered apart from its rolled-back catalog row.
		 */
		if (!s->stmt_failed || t->temp)
			identity_save(s, t, ident_last);
		if (ident_used && !t->temp)
			engine_identity_consumed(s->db, t->object_id, ident_last,
									 t->cols[ident_col].ident_incr);
	}
	ok = !s->stmt_failed;

end_stmt:
	sqlite3_finalize(src);
	sqlite3_finalize(dst);
	free(rowvals);
	free(cur);
	for (k = 0; k < (int) (nmat * nlisted); k++)
		sqlite3_value_free(mat[k]);
	free(mat);
	ok = dml_stmt_end(s, &out, ok, &n);
done:
	dml_finish(s, &out, t, ok, SIM_CMD_INSERT, n);
	return ok;
}

/* Parse "name [AS] [alias]" at *i of a FROM clause; returns false if no name. */
static bool
from_item(const EngineStmt *st, int *i, char *schema, char *name, const char **alias)
{
	char		db[ENGINE_NAME_LEN];
	static const char *stop[] = {"where", "join", "inner", "left", "right", "full", "cross",
	"outer", "on", "option", "with", NULL};

	if (!engine_parse_name_tokens(st, i, db, schema, name, ENGINE_NAME_LEN))
		return false;
	*alias = NULL;
	if (word_is(st, *i, "AS") && *i + 1 < st->ntok)
	{
		*alias = st->tok[*i + 1].text;
		*i += 2;
	}
	else if (*i < st->ntok && (st->tok[*i].type == TK_QIDENT ||
							   (st->tok[*i].type == TK_WORD && !word_is(st, *i, "SET"))))
	{
		bool		is_stop = false;

		for (int k = 0; stop[k]; k++)
			if (word_is(st, *i, stop[k]))
				is_stop = true;
		if (!is_stop)
		{
			*alias = st->tok[*i].text;
			(*i)++;
		}
	}
	if (word_is(st, *i, "WITH") && op_is(st, *i + 1, "("))
		*i = engine_skip_parens(st, *i + 1);
	return true;
}

/*
 * The target of UPDATE name ... [FROM ...]: a table, or an alias that the
 * FROM clause defines (UPDATE p SET ... FROM dbo.t AS p).  *from_alias is
 * set when the FROM clause names the target again (the alias to use for it).
 */
static EngineTable *
update_target(SimSession *s, const EngineStmt *st, int i, int end, int *next,
			  const char **from_alias)
{
	char		db[ENGINE_NAME_LEN],
				schema[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];
	int			start = i;
	EngineTable *t;
	int			k,
				depth = 0;

	*from_alias = NULL;
	if (st->tok[i].type == TK_TEMP)
	{
		t = engine_table_lookup(s, NULL, st->tok[i].text);
		*next = i + 1;
		if (t == NULL)
			engine_error(s, 208, "Invalid object name '%s'.", st->tok[i].text);
		return t;
	}
	if (!engine_parse_name_tokens(st, &i, db, schema, name, sizeof(name)))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		return NULL;
	}
	if (word_is(st, i, "WITH") && op_is(st, i + 1, "("))
		i = engine_skip_parens(st, i + 1);
	*next = i;
	t = engine_table_lookup(s, schema, name);
	/* find a depth-0 FROM after SET */
	for (k = i; k < end; k++)
	{
		if (op_is(st, k, "("))
			depth++;
		else if (op_is(st, k, ")"))
			depth--;
		else if (depth == 0 && word_is(st, k, "FROM"))
			break;
	}
	if (k < end)
	{
		char		fschema[ENGINE_NAME_LEN],
					fname[ENGINE_NAME_LEN];
		const char *alias;
		int			j = k + 1;

		if (from_item(st, &j, fschema, fname, &alias))
		{
			EngineTable *ft = engine_table_lookup(s, fschema, fname);

			if (ft && t && ft->object_id == t->object_id)
				*from_alias = alias ? alias : fname;
			else if (ft && !schema[0] && alias && engine_strcasecmp(alias, name) == 0)
			{
				engine_table_free(t);
				t = ft;
				ft = NULL;
				*from_alias = alias;
			}
			engine_table_free(ft);
		}
	}
	if (t == NULL)
	{
		char	   *txt = engine_name_text(st, start, i);

		engine_error(s, 208, "Invalid object name '%s'.", txt);
		free(txt);
	}
	return t;
}

/*
 * "FROM target [AS a] [, x | [INNER] JOIN x ON c]... [WHERE w]" without the
 * target: "[FROM x, ...] [WHERE (c) AND ... AND (w)]" as T-SQL text
 * (malloc'd), or NULL after an error (outer joins to the target).
 */
static char *
rewrite_update_from(SimSession *s, const EngineStmt *st, int from, int end)
{
	int			i = from + 1;
	char		schema[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];
	const char *alias;
	EngineBuf	tables,
				conds;
	char	   *res;
	int			where = -1;

	from_item(st, &i, schema, name, &alias);
	ebuf_init(&tables);
	ebuf_init(&conds);
	while (i < end && !word_is(st, i, "WHERE") && !word_is(st, i, "OPTION"))
	{
		int			a,
					b,
					depth = 0;
		char	   *txt;

		if (op_is(st, i, ","))
			i++;
		else if (word_is(st, i, "JOIN") || (word_is(st, i, "INNER") && word_is(st, i + 1, "JOIN")))
			i += word_is(st, i, "JOIN") ? 1 : 2;
		else
		{
			engine_error(s, 102, "Incorrect syntax near '%s' (this stand-in updates through inner joins only).",
						 st->tok[i].text);
			ebuf_free(&tables);
			ebuf_free(&conds);
			return NULL;
		}
		/* the table item: up to ON, ',', JOIN, INNER or WHERE */
		a = i;
		while (i < end && !word_is(st, i, "ON") && !op_is(st, i, ",") && !word_is(st, i, "JOIN") &&
			   !word_is(st, i, "INNER") && !word_is(st, i, "WHERE"))
			i = op_is(st, i, "(") ? engine_skip_parens(st, i) : i + 1;
		txt = engine_tok_text(st, a, i);
		ebuf_append(&tables, tables.len ? ", " : "FROM ");
		ebuf_append(&tables, txt);
		free(txt);
		if (word_is(st, i, "ON"))
		{
			b = ++i;
			while (i < end)
			{
				if (op_is(st, i, "("))
					depth++;
				else if (op_is(st, i, ")"))
					depth--;
				else if (depth == 0 && (op_is(st, i, ",") || word_is(st, i, "JOIN") ||
										word_is(st, i, "INNER") || word_is(st, i, "WHERE") ||
										word_is(st, i, "LEFT") || word_is(st, i, "OPTION")))
					break;
				i++;
			}
			txt = engine_tok_text(st, b, i);
			ebuf_printf(&conds, "%s(%s)", conds.len ? " AND " : "", txt);
			free(txt);
		}
	}
	if (word_is(st, i, "WHERE"))
		where = i;
	ebuf_append(&tables, " ");
	if (where >= 0 || conds.len)
	{
		ebuf_append(&tables, "WHERE ");
		ebuf_append(&tables, conds.data);
		if (where >= 0)
		{
			int			wend = where + 1;
			char	   *txt;

			while (wend < end && !word_is(st, wend, "OPTION"))
				wend++;
			txt = engine_tok_text(st, where + 1, wend);
			ebuf_printf(&tables, "%s(%s)", conds.len ? " AND " : "", txt);
			free(txt);
		}
	}
	ebuf_free(&conds);
	res = tables.data;
	return res;
}

/*
 * The row an UPDATE failed on.
 *
 * An UPDATE is one SQLite statement, so when it breaks a UNIQUE or
 * PRIMARY KEY constraint the engine does not know which new key did it,
 * and SQL Server's 2627/2601 messages show it.  On that error path only,
 * the failed statement (already undone by SQLite) is run again with a
 * TEMP trigger that, before each row is written, hands the row's new
 * values to a function; the last row handed over is the one whose write
 * failed (SQLite checks the constraints of each row after its BEFORE
 * triggers).
 */
typedef struct NotedRow
{
	int			n;
	sqlite3_value **vals;
} NotedRow;

static void
noted_row_clear(NotedRow *r)
{
	int			k;

	for (k = 0; k < r->n; k++)
		sqlite3_value_free(r->vals[k]);
	free(r->vals);
	r->vals = NULL;
	r->n = 0;
}

/* __sim_note_row(v1, v2, ...): keep a copy of the arguments */
static void
fn_note_row(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	NotedRow   *r = sqlite3_user_data(ctx);
	int			k;

	noted_row_clear(r);
	r->vals = calloc((size_t) argc + 1, sizeof(sqlite3_value *));
	if (r->vals == NULL)
		abort();
	for (k = 0; k < argc; k++)
		r->vals[k] = sqlite3_value_dup(argv[k]);
	r->n = argc;
	sqlite3_result_null(ctx);
}

/*
 * Run the UPDATE sql on table t again to learn the values of the row it
 * fails on.  On success r holds t->ncols values (by column index; the
 * caller clears it); false when the row could not be found.
 */
static bool
find_failing_row(SimSession *s, EngineTable *t, const char *sql, NotedRow *r)
{
	EngineBuf	b;
	sqlite3_stmt *stmt = NULL;
	int			k;
	bool		found = false;

	memset(r, 0, sizeof(*r));
	if (sqlite3_create_function_v2(s->db, "__sim_note_row", -1, SQLITE_UTF8, r, fn_note_row,
								   NULL, NULL, NULL) != SQLITE_OK)
		return false;
	ebuf_init(&b);
	ebuf_append(&b, "CREATE TEMP TRIGGER \"__sim_dupkey\" BEFORE UPDATE ON ");
	ebuf_append(&b, t->temp ? "temp." : "main.");
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_append(&b, " BEGIN SELECT __sim_note_row(");
	for (k = 0; k < t->ncols; k++)
	{
		if (k > 0)
			ebuf_append(&b, ", ");
		ebuf_append(&b, "NEW.");
		ebuf_append_ident(&b, t->cols[k].name);
	}
	ebuf_append(&b, "); END");
	if (sqlite3_exec(s->db, b.data, NULL, NULL, NULL) == SQLITE_OK)
	{
		if (sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL) == SQLITE_OK &&
			engine_bind_vars(s, stmt) && sqlite3_step(stmt) != SQLITE_DONE)
			found = r->n == t->ncols;
		sqlite3_finalize(stmt);
		sqlite3_exec(s->db, "DROP TRIGGER IF EXISTS temp.\"__sim_dupkey\"", NULL, NULL, NULL);
	}
	ebuf_free(&b);
	sqlite3_create_function_v2(s->db, "__sim_note_row", -1, SQLITE_UTF8, NULL, NULL, NULL, NULL,
							   NULL);
	if (!found)
		noted_row_clear(r);
	return found;
}

/*
 * Contract in engine_int.h.
 */
void
engine_report_update_failure(SimSession *s, EngineTable *t, int rc, const char *sql)
{
	SavedError	saved;
	NotedRow	row;

	save_error(s, &saved);
	if ((saved.xrc == SQLITE_CONSTRAINT_PRIMARYKEY || saved.xrc == SQLITE_CONSTRAINT_UNIQUE) &&
		find_failing_row(s, t, sql, &row))
	{
		report_write_error(s, t, rc, row.vals, &saved);
		noted_row_clear(&row);
	}
	else
		report_write_error(s, t, rc, NULL, &saved);
}

/* A SET item of an UPDATE: the column and its value's text in the SQL */
typedef struct UpdSet
{
	const char *col;
	size_t		from;			/* the value: sql[from, to) */
	size_t		to;
} UpdSet;

/* Outcome of update_row_by_row */
typedef enum
{
	UPD_DONE,					/* every row updated */
	UPD_STUCK,					/* some row still violates a key: undone */
	UPD_ERROR					/* another error, reported */
} UpdOutcome;

/* Run sql (no parameters but the session's variables); false after an error. */
static bool
run_simple(SimSession *s, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	int			rc = sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL);

	if (rc == SQLITE_OK && engine_bind_vars(s, stmt))
		rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW && !s->stmt_failed)
		engine_error_sqlite(s, rc);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

/* Run the statements in sql (no parameters); false after an error, reported. */
static bool
exec_all(SimSession *s, const char *sql)
{
	int			rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		engine_error_sqlite(s, rc);
	return rc == SQLITE_OK;
}

/*
 * Skip the (possibly schema-qualified) SQLite name at p: "x", [x], `x` or a
 * bare word, then optionally .name again.  Returns the first byte after it.
 */
static const char *
skip_sqlite_name(const char *p)
{
	int			part;

	for (part = 0; part < 2; part++)
	{
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '"' || *p == '`' || *p == '[')
		{
			char		close = *p == '[' ? ']' : *p;

			for (p++; *p; p++)
			{
				if (*p == close && p[1] == close && close != ']')
					p++;
				else if (*p == close)
				{
					p++;
					break;
				}
			}
		}
		else
			while (*p && (isalnum((unsigned char) *p) || *p == '_' || *p == '$'))
				p++;
		if (*p != '.')
			break;
		p++;
	}
	return p;
}

/*
 * The text of the SQLite trigger def (CREATE [TEMP] TRIGGER name
 * BEFORE|AFTER event [OF cols] ON table ...) made into the TEMP trigger
 * named name on temp.onto, appended to *out; false (out untouched) when
 * def is no trigger for event ("INSERT", "UPDATE" or "DELETE").
 */
static bool
clone_trigger(const char *def, const char *event, const char *name, const char *onto,
			  EngineBuf *out)
{
	const char *p = def;
	const char *head;
	const char *on = NULL;
	bool		match = false;

	/* CREATE [TEMP|TEMPORARY] TRIGGER name */
	while (*p && strncasecmp(p, "TRIGGER", 7) != 0)
		p++;
	if (*p == '\0')
		return false;
	p = skip_sqlite_name(p + 7);
	head = p;
	/* the first ON word after the name ends the event */
	for (; *p; p++)
		if ((p[0] == ' ' || p[0] == '\n') && strncasecmp(p + 1, "ON", 2) == 0 &&
			(p[3] == ' ' || p[3] == '\n'))
		{
			on = p;
			break;
		}
	if (on == NULL)
		return false;
	for (p = head; p < on; p++)
	{
		if (strncasecmp(p, "INSTEAD", 7) == 0)
			return false;
		if (strncasecmp(p, event, strlen(event)) == 0)
			match = true;
	}
	if (!match)
		return false;
	ebuf_printf(out, "CREATE TEMP TRIGGER \"%s\"", name);
	ebuf_appendn(out, head, (size_t) (on - head));
	ebuf_printf(out, " ON temp.\"%s\"", onto);
	ebuf_append(out, skip_sqlite_name(on + 4));
	ebuf_append(out, ";");
	return true;
}

/*
 * Copy t's triggers for event onto the TEMP table onto (which has t's
 * columns): Change Tracking's (they call sim_ct_on) when ct, the others
 * (CDC's, OUTPUT's) otherwise.  The copies go with the table.  False after
 * an error, reported.
 */
static bool
copy_triggers(SimSession *s, EngineTable *t, const char *event, bool ct, const char *onto)
{
	EngineBuf	b;
	sqlite3_stmt *stmt = NULL;
	int			n = 0;
	bool		ok = true;

	if (sqlite3_prepare_v2(s->db, "SELECT sql FROM temp.sqlite_master WHERE type = 'trigger'"
						   " AND tbl_name = ?1 AND sql IS NOT NULL UNION ALL"
						   " SELECT sql FROM main.sqlite_master WHERE type = 'trigger'"
						   " AND tbl_name = ?1 AND sql IS NOT NULL", -1, &stmt, NULL) != SQLITE_OK)
	{
		engine_error_sqlite(s, SQLITE_ERROR);
		return false;
	}
	sqlite3_bind_text(stmt, 1, t->sqlite_name, -1, SQLITE_TRANSIENT);
	ebuf_init(&b);
	while (sqlite3_step(stmt) == SQLITE_ROW)
	{
		const char *def = (const char *) sqlite3_column_text(stmt, 0);
		char		name[64];

		if ((strstr(def, "sim_ct_on(") != NULL) != ct)
			continue;
		snprintf(name, sizeof(name), "%s_%d", onto, n);
		if (clone_trigger(def, event, name, onto, &b))
			n++;
	}
	sqlite3_finalize(stmt);
	if (n > 0 && sqlite3_exec(s->db, b.data, NULL, NULL, NULL) != SQLITE_OK)
	{
		engine_error_sqlite(s, SQLITE_ERROR);
		ok = false;
	}
	ebuf_free(&b);
	return ok;
}

/*
 * The rows of t still waiting in update_row_by_row (those in temp."__sim_upd"
 * whose updated[] flag is false) trade keys in a cycle: 1 -> 3 and 3 -> 1.
 * No order of single-row UPDATEs gets there, since each would need its new
 * key free while the other row still holds it.  So they get their new
 * values at once, in copies: the rows go into an unconstrained TEMP table
 * carrying copies of t's UPDATE triggers (OUTPUT's) and are updated
 * there in one statement, so each row is seen updated once with its old and
 * new values; then the new rows are written back into t with triggers off
 * (delete, then insert under the same rowids).
 *
 * Change Tracking records a key change as a delete of the old key and an
 * insert of the new one; here, as in SQL Server's split update, all the
 * deletes come before all the inserts (copies of its DELETE, then INSERT
 * triggers), so that a key both vacated and taken nets to an update;
 * rows keeping their key get its update trigger.
 *
 * A key that is duplicated after all fails the write back: false with *dup
 * set and nothing reported (the caller undoes everything); false with *dup
 * clear after another error, reported.
 */
static bool
update_cycle(SimSession *s, EngineTable *t, const UpdSet *items, int nitems,
			 const int64_t *rids, const bool *updated, int64_t nrids, bool *dup)
{
	const char *target = t->temp ? "temp." : "main.";
	EngineBuf	b,
				cols,
				set;
	sqlite3_stmt *stmt = NULL;
	int64_t		i;
	int			k,
				j,
				rc;
	bool		ok = false;

	*dup = false;
	/*
	 * Not under CDC: its change table keeps each row's old and new values
	 * as one pair, and its net changes order the pairs, so one key of a
	 * cycle would be netted away.  The statement fails as a duplicate.
	 */
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM main.sqlite_master WHERE type = 'trigger'"
						   " AND tbl_name = ?1 AND instr(sql, '__$operation') > 0", -1, &stmt,
						   NULL) != SQLITE_OK)
	{
		engine_error_sqlite(s, SQLITE_ERROR);
		return false;
	}
	sqlite3_bind_text(stmt, 1, t->sqlite_name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (rc == SQLITE_ROW)
	{
		*dup = true;
		return false;
	}
	ebuf_init(&b);
	ebuf_init(&cols);
	ebuf_init(&set);
	for (k = 0; k < t->ncols; k++)
	{
		if (k > 0)
			ebuf_append(&cols, ", ");
		ebuf_append_ident(&cols, t->cols[k].name);
	}
	for (k = 0; k < nitems; k++)
	{
		if (k > 0)
			ebuf_append(&set, ", ");
		ebuf_append_ident(&set, items[k].col);
		ebuf_printf(&set, " = (SELECT c%d FROM temp.\"__sim_upd\" WHERE rid = \"__sim_rid\")", k);
	}
	/* only the waiting rows stay in __sim_upd */
	if (sqlite3_prepare_v2(s->db, "DELETE FROM temp.\"__sim_upd\" WHERE rid = ?1", -1, &stmt,
						   NULL) != SQLITE_OK)
		goto fail;
	for (i = 0; i < nrids; i++)
		if (updated[i])
		{
			sqlite3_reset(stmt);
			sqlite3_bind_int64(stmt, 1, rids[i]);
			if (sqlite3_step(stmt) != SQLITE_DONE)
				goto fail;
		}
	sqlite3_finalize(stmt);
	stmt = NULL;
	/* the old rows, without constraints; __sim_keymove: the primary key changes */
	ebuf_append(&b, "DROP TABLE IF EXISTS temp.\"__sim_swap\"; CREATE TEMP TABLE \"__sim_swap\" AS"
				" SELECT o.rowid AS \"__sim_rid\", (0");
	for (k = 0; k < t->npk; k++)
		for (j = 0; j < nitems; j++)
			if (strcmp(items[j].col, t->cols[t->pk[k]].name) == 0)
			{
				ebuf_append(&b, " OR o.");
				ebuf_append_ident(&b, items[j].col);
				ebuf_printf(&b, " IS NOT u.c%d", j);
			}
	ebuf_append(&b, ") AS \"__sim_keymove\"");
	for (k = 0; k < t->ncols; k++)
	{
		ebuf_append(&b, ", o.");
		ebuf_append_ident(&b, t->cols[k].name);
	}
	ebuf_printf(&b, " FROM %s", target);
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_append(&b, " AS o JOIN temp.\"__sim_upd\" AS u ON u.rid = o.rowid");
	if (sqlite3_exec(s->db, b.data, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	/* Change Tracking: the deletes of the keys given up, the updates of kept keys */
	if (!exec_all(s, "DROP TABLE IF EXISTS temp.\"__sim_swap_ct\"; CREATE TEMP TABLE"
					" \"__sim_swap_ct\" AS SELECT * FROM temp.\"__sim_swap\" WHERE \"__sim_keymove\""))
		goto out;
	if (!copy_triggers(s, t, "DELETE", true, "__sim_swap_ct") ||
		!run_simple(s, "DELETE FROM temp.\"__sim_swap_ct\"") ||
		!exec_all(s, "DROP TABLE temp.\"__sim_swap_ct\"; CREATE TEMP TABLE \"__sim_swap_ct\" AS"
					" SELECT * FROM temp.\"__sim_swap\" WHERE NOT \"__sim_keymove\"") ||
		!copy_triggers(s, t, "UPDATE", true, "__sim_swap_ct"))
		goto out;
	ebuf_reset(&b);
	ebuf_printf(&b, "UPDATE temp.\"__sim_swap_ct\" SET %s", set.data);
	if (!run_simple(s, b.data))
		goto out;
	/* CDC, OUTPUT: one update per row */
	if (!copy_triggers(s, t, "UPDATE", false, "__sim_swap"))
		goto out;
	ebuf_reset(&b);
	ebuf_printf(&b, "UPDATE temp.\"__sim_swap\" SET %s", set.data);
	if (!run_simple(s, b.data))
		goto out;
	/* Change Tracking: the inserts of the keys taken */
	if (!exec_all(s, "DROP TABLE temp.\"__sim_swap_ct\"; CREATE TEMP TABLE \"__sim_swap_ct\" AS"
					" SELECT * FROM temp.\"__sim_swap\" WHERE 0") ||
		!copy_triggers(s, t, "INSERT", true, "__sim_swap_ct") ||
		!run_simple(s, "INSERT INTO temp.\"__sim_swap_ct\" SELECT * FROM temp.\"__sim_swap\""
					" WHERE \"__sim_keymove\""))
		goto out;
	/* back into t, unseen */
	ebuf_reset(&b);
	ebuf_printf(&b, "DELETE FROM %s", target);
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_printf(&b, " WHERE rowid IN (SELECT rid FROM temp.\"__sim_upd\"); INSERT INTO %s", target);
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_printf(&b, "(rowid, %s) SELECT \"__sim_rid\", %s FROM temp.\"__sim_swap\"", cols.data,
				cols.data);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *) NULL);
	rc = sqlite3_exec(s->db, b.data, NULL, NULL, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, (int *) NULL);
	if (rc != SQLITE_OK)
	{
		if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_PRIMARYKEY ||
			sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
			*dup = true;
		else
			engine_error_sqlite(s, rc);
		goto out;
	}
	ok = true;
	goto out;
fail:
	engine_error_sqlite(s, SQLITE_ERROR);
out:
	sqlite3_finalize(stmt);
	sqlite3_exec(s->db, "DROP TABLE IF EXISTS temp.\"__sim_swap\";"
				 " DROP TABLE IF EXISTS temp.\"__sim_swap_ct\"", NULL, NULL, NULL);
	ebuf_free(&b);
	ebuf_free(&cols);
	ebuf_free(&set);
	return ok;
}

/*
 * The UPDATE sql (on t AS alias; its SET items in items[], its FROM/WHERE
 * from tail on) failed on a PRIMARY KEY or UNIQUE constraint, which SQLite
 * checks row by row but SQL Server at the end of the statement
 * ("UPDATE t SET id = id + 1" over 1..n succeeds there).  Do it again row
 * by row: the new values of every target row are computed first from the
 * state before the statement (into a TEMP table), then each row is updated
 * on its own, once; a row whose new key is still taken by a row not yet
 * updated waits for a later pass (passes alternate in direction, so that a
 * shift in either direction needs two).  Each row is one ordinary UPDATE of
 * the table, so triggers (Change Tracking, CDC, OUTPUT) see exactly one
 * change per row with its old and new values.
 *
 * When a pass makes no progress, the rows left trade keys in a cycle
 * (swapping two keys) or hold real duplicates: update_cycle gives them their
 * new values at once, or finds the duplicate (UPD_STUCK; everything done
 * here is undone then).  *n receives the rows updated.
 */
static UpdOutcome
update_row_by_row(SimSession *s, EngineTable *t, const char *alias, const char *sql,
				  const UpdSet *items, int nitems, size_t tail, int64_t *n)
{
	EngineBuf	b;
	const char *tp = sql + tail;
	const char *target = t->temp ? "temp." : "main.";
	sqlite3_stmt *stmt = NULL;
	int64_t    *rids = NULL;
	bool	   *updated = NULL;
	int64_t		nrids = 0,
				cap = 0,
				left;
	UpdOutcome	res = UPD_ERROR;
	int			k;
	bool		forward = true;

	*n = 0;
	if (!run_simple(s, "SAVEPOINT sim_upd_rows"))
		return UPD_ERROR;
	/* the new values, from the state before the statement */
	ebuf_init(&b);
	ebuf_append(&b, "DROP TABLE IF EXISTS temp.\"__sim_upd\"; CREATE TEMP TABLE \"__sim_upd\"(rid INTEGER PRIMARY KEY");
	for (k = 0; k < nitems; k++)
		ebuf_printf(&b, ", c%d", k);
	ebuf_append(&b, ")");
	if (sqlite3_exec(s->db, b.data, NULL, NULL, NULL) != SQLITE_OK)
	{
		engine_error_sqlite(s, SQLITE_ERROR);
		goto out;
	}
	ebuf_reset(&b);
	ebuf_append(&b, "INSERT OR IGNORE INTO temp.\"__sim_upd\" SELECT ");
	ebuf_append_ident(&b, alias);
	ebuf_append(&b, ".rowid");
	for (k = 0; k < nitems; k++)
	{
		ebuf_append(&b, ", ");
		ebuf_appendn(&b, sql + items[k].from, items[k].to - items[k].from);
	}
	ebuf_append(&b, " FROM ");
	ebuf_append(&b, target);
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_append(&b, " AS ");
	ebuf_append_ident(&b, alias);
	/* UPDATE ... FROM list: the target joins the list */
	while (*tp == ' ')
		tp++;
	if (strncasecmp(tp, "FROM ", 5) == 0)
	{
		ebuf_append(&b, ", ");
		tp += 5;
	}
	else
		ebuf_append(&b, " ");
	ebuf_append(&b, tp);
	if (!run_simple(s, b.data))
		goto out;
	/* the rows, in rowid order */
	if (sqlite3_prepare_v2(s->db, "SELECT rid FROM temp.\"__sim_upd\" ORDER BY rid", -1, &stmt,
						   NULL) != SQLITE_OK)
	{
		engine_error_sqlite(s, SQLITE_ERROR);
		goto out;
	}
	while (sqlite3_step(stmt) == SQLITE_ROW)
	{
		if (nrids == cap)
		{
			cap = cap ? cap * 2 : 64;
			rids = realloc(rids, sizeof(int64_t) * (size_t) cap);
			if (rids == NULL)
				abort();
		}
		rids[nrids++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	/* one row at a time */
	ebuf_reset(&b);
	ebuf_append(&b, "UPDATE ");
	ebuf_append(&b, target);
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_append(&b, " SET ");
	for (k = 0; k < nitems; k++)
	{
		if (k > 0)
			ebuf_append(&b, ", ");
		ebuf_append_ident(&b, items[k].col);
		ebuf_printf(&b, " = (SELECT c%d FROM temp.\"__sim_upd\" WHERE rid = ?1)", k);
	}
	ebuf_append(&b, " WHERE rowid = ?1");
	if (sqlite3_prepare_v2(s->db, b.data, -1, &stmt, NULL) != SQLITE_OK)
	{
		stmt = NULL;
		engine_error_sqlite(s, SQLITE_ERROR);
		goto out;
	}
	updated = calloc((size_t) nrids + 1, sizeof(bool));
	if (updated == NULL)
		abort();
	left = nrids;
	while (left > 0)
	{
		int64_t		done = 0,
					i;

		for (i = 0; i < nrids; i++)
		{
			int64_t		r = forward ? i : nrids - 1 - i;
			int			rc;

			if (updated[r])
				continue;
			sqlite3_reset(stmt);
			sqlite3_bind_int64(stmt, 1, rids[r]);
			rc = sqlite3_step(stmt);
			if (rc == SQLITE_DONE)
			{
				updated[r] = true;
				done++;
			}
			else if (sqlite3_extended_errcode(s->db) != SQLITE_CONSTRAINT_PRIMARYKEY &&
					 sqlite3_extended_errcode(s->db) != SQLITE_CONSTRAINT_UNIQUE)
			{
				engine_error_sqlite(s, rc);
				goto out;
			}
		}
		sqlite3_reset(stmt);
		if (done == 0)
		{
			bool		dup;

			/* keys trading places: all of the waiting rows at once */
			if (update_cycle(s, t, items, nitems, rids, updated, nrids, &dup))
				left = 0;
			else if (!dup)
				goto out;
			break;
		}
		left -= done;
		forward = !forward;
	}
	*n = nrids - left;
	res = left > 0 ? UPD_STUCK : UPD_DONE;
out:
	sqlite3_finalize(stmt);
	free(rids);
	free(updated);
	ebuf_free(&b);
	if (res != UPD_DONE)
		sqlite3_exec(s->db, "ROLLBACK TO sim_upd_rows", NULL, NULL, NULL);
	sqlite3_exec(s->db, "RELEASE sim_upd_rows", NULL, NULL, NULL);
	sqlite3_exec(s->db, "DROP TABLE IF EXISTS temp.\"__sim_upd\"", NULL, NULL, NULL);
	if (res != UPD_DONE)
		*n = 0;
	return res;
}

/* UPDATE t SET col = expr, ... [FROM ...] [WHERE ...] */
bool
engine_exec_update(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			i = from + 1;
	EngineTable *t;
	EngineXlate x;
	int			set_end,
				depth = 0,
				k;
	int			a;
	bool		ok = false;
	int64_t		n = 0;
	sqlite3_stmt *stmt = NULL;
	int			rc;
	int			end = to;
	const char *alias = NULL;
	const char *from_alias = NULL;
	EngineOutput out;
	int			rest;
	UpdSet	   *items = NULL;
	int			nitems = 0;
	size_t		tail;

	memset(&out, 0, sizeof(out));
	s->cur_cmd = SIM_CMD_UPDATE;
	while (end > from && op_is(st, end - 1, ";"))
		end--;
	if (word_is(st, i, "TOP"))
	{
		engine_error(s, 102, "Incorrect syntax near 'TOP'.");
		engine_done(s, SIM_CMD_UPDATE, false, 0);
		return false;
	}
	t = update_target(s, st, i, end, &i, &from_alias);
	if (t == NULL)
	{
		engine_done(s, SIM_CMD_UPDATE, false, 0);
		return false;
	}
	alias = from_alias;
	if (!word_is(st, i, "SET"))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		goto done;
	}
	for (set_end = i + 1; set_end < end; set_end++)
	{
		if (op_is(st, set_end, "("))
			depth++;
		else if (op_is(st, set_end, ")"))
			depth--;
		else if (depth == 0 && (word_is(st, set_end, "FROM") || word_is(st, set_end, "WHERE") ||
								word_is(st, set_end, "OPTION") || word_is(st, set_end, "OUTPUT")))
			break;
	}
	engine_xlate_init(&x, s, st);
	ebuf_append(&x.sql, t->temp ? "UPDATE temp." : "UPDATE main.");
	ebuf_append_ident(&x.sql, t->sqlite_name);
	ebuf_append(&x.sql, " AS ");
	ebuf_append_ident(&x.sql, alias ? alias : t->name);
	ebuf_append(&x.sql, " SET ");
	x.tables[x.ntables++] = engine_table_copy(t);
	items = calloc((size_t) (set_end - i) + (size_t) t->ncols + 1, sizeof(UpdSet));
	if (items == NULL)
		abort();
	a = i + 1;
	while (a < set_end)
	{
		int			b = a,
					c;
		EngineColumn *col = NULL;
		int			vfrom;
		char		opch = 0;
		EngineBuf	expr;

		depth = 0;
		while (b < set_end && !(depth == 0 && op_is(st, b, ",")))
		{
			if (op_is(st, b, "("))
				depth++;
			else if (op_is(st, b, ")"))
				depth--;
			b++;
		}
		/* target column: name or alias.name */
		c = a;
		if (op_is(st, c + 1, "."))
			c += 2;
		for (k = 0; k < t->ncols; k++)
			if (engine_strcasecmp(t->cols[k].name, st->tok[c].text) == 0)
				col = &t->cols[k];
		if (st->tok[c].type == TK_VAR)
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[c].text);
			engine_xlate_free(&x);
			goto done;
		}
		if (col == NULL)
		{
			engine_error(s, 207, "Invalid column name '%s'.", st->tok[c].text);
			engine_xlate_free(&x);
			goto done;
		}
		if (col->identity)
		{
			engine_error(s, 8102, "Cannot update identity column '%s'.", col->name);
			engine_xlate_free(&x);
			goto done;
		}
		if (op_is(st, c + 1, "="))
			vfrom = c + 2;
		else if (st->tok[c + 1].type == TK_OP && strlen(st->tok[c + 1].text) == 2 &&
				 st->tok[c + 1].text[1] == '=')
		{
			opch = st->tok[c + 1].text[0];
			vfrom = c + 2;
		}
		else
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[c + 1].text);
			engine_xlate_free(&x);
			goto done;
		}
		if (a > i + 1)
			ebuf_append(&x.sql, ", ");
		ebuf_append_ident(&x.sql, col->name);
		ebuf_append(&x.sql, " = ");
		items[nitems].col = col->name;
		items[nitems].from = x.sql.len;
		ebuf_append(&x.sql, "__sim_cv(");
		if (opch)
		{
			bool		str = col->type.id == SIM_VARCHAR || col->type.id == SIM_NVARCHAR ||
				col->type.id == SIM_CHAR || col->type.id == SIM_NCHAR;

			ebuf_append_ident(&x.sql, col->name);
			if (str && opch == '+')
				ebuf_append(&x.sql, " || ");
			else
				ebuf_printf(&x.sql, " %c ", opch);
		}
		ebuf_append(&x.sql, "(");
		ebuf_init(&expr);
		if (word_is(st, vfrom, "DEFAULT") && vfrom + 1 == b)
		{
			char	   *def = default_sql(s, col);

			ebuf_append(&expr, def ? def : "NULL");
			free(def);
		}
		else if (!engine_translate_expr(s, st, vfrom, b, &expr, NULL))
		{
			ebuf_free(&expr);
			engine_xlate_free(&x);
			goto done;
		}
		ebuf_append(&x.sql, expr.data);
		ebuf_free(&expr);
		ebuf_printf(&x.sql, "), %d, %d, %d, %d, %d, ", (int) col->type.id, col->type.length,
					col->type.precision, col->type.scale,
					opch ? engine_type_src_flags(&col->type) :
					engine_expr_src_flags(&x, vfrom, b));
		{
			char		qual[ENGINE_NAME_LEN * 3 + 3];

			snprintf(qual, sizeof(qual), "%s.%s.%s", t->temp ? "tempdb" : s->dbname,
					 t->schema, t->name);
			ebuf_append_literal(&x.sql, qual);
			ebuf_append(&x.sql, ", ");
			ebuf_append_literal(&x.sql, col->name);
			ebuf_append(&x.sql, ")");
		}
		items[nitems++].to = x.sql.len;
		a = b + 1;
	}
	for (k = 0; k < t->ncols; k++)
		if (t->cols[k].rowversion)
		{
			ebuf_append(&x.sql, ", ");
			ebuf_append_ident(&x.sql, t->cols[k].name);
			ebuf_append(&x.sql, " = ");
			items[nitems].col = t->cols[k].name;
			items[nitems].from = x.sql.len;
			ebuf_append(&x.sql, "__sim_rowversion()");
			items[nitems++].to = x.sql.len;
		}
	tail = x.sql.len;
	x.select_seen = true;
	rest = set_end;
	if (word_is(st, set_end, "OUTPUT") &&
		!engine_output_parse(s, st, set_end, end, t, 'B',
							 (const char *[]) {"FROM", "WHERE", "OPTION", NULL}, &out, &rest))
	{
		engine_xlate_free(&x);
		goto done;
	}
	if (from_alias && word_is(st, rest, "FROM"))
	{
		/* the target is named again in FROM: SQLite wants it only once */
		char	   *tail = rewrite_update_from(s, st, rest, end);
		EngineLexed lx;
		int			errnum;
		char		err[256];
		bool		tok_ok;

		if (tail == NULL)
		{
			engine_xlate_free(&x);
			goto done;
		}
		tok_ok = engine_lex(tail, &lx, &errnum, err, sizeof(err));
		if (tok_ok && lx.ntok > 0)
		{
			EngineStmt	sub = {tail, lx.tok, lx.ntok};
			EngineXlate x2;

			engine_xlate_init(&x2, s, &sub);
			x2.select_seen = true;
			tok_ok = engine_xlate_range(&x2, 0, lx.ntok);
			ebuf_appendc(&x.sql, ' ');
			ebuf_append(&x.sql, x2.sql.data);
			x.touches_catalog |= x2.touches_catalog;
			engine_xlate_free(&x2);
		}
		if (tok_ok || lx.ntok >= 0)
			engine_lex_free(&lx);
		free(tail);
		if (!tok_ok)
		{
			engine_xlate_free(&x);
			goto done;
		}
	}
	else if (rest < end && !engine_xlate_range(&x, rest, end))
	{
		engine_xlate_free(&x);
		goto done;
	}
	if (x.touches_catalog)
		engine_catalog_refresh(s);
	if (!engine_output_begin(s, t, "UPDATE", &out) || !engine_stmt_begin(s))
	{
		engine_xlate_free(&x);
		goto done;
	}
	rc = sqlite3_prepare_v2(s->db, x.sql.data, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		engine_error_sqlite(s, rc);
	else if (engine_bind_vars(s, stmt))
	{
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_DONE)
			n = sqlite3_changes64(s->db);
		else if ((sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_PRIMARYKEY ||
				  sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE) &&
				 !s->stmt_failed)
		{
			/* keys are unique at the end of the statement, not row by row */
			UpdOutcome	u;

			sqlite3_reset(stmt);
			u = update_row_by_row(s, t, alias ? alias : t->name, x.sql.data, items, nitems,
								  tail, &n);
			if (u == UPD_STUCK)
			{
				/* undone: fail as before, naming the first duplicate key */
				rc = sqlite3_step(stmt);
				sqlite3_reset(stmt);
				if (rc != SQLITE_DONE)
					engine_report_update_failure(s, t, rc, x.sql.data);
			}
		}
		else
		{
			sqlite3_reset(stmt);
			engine_report_update_failure(s, t, rc, x.sql.data);
		}
	}
	engine_xlate_free(&x);
	sqlite3_finalize(stmt);
	ok = !s->stmt_failed;
	ok = dml_stmt_end(s, &out, ok, &n);
done:
	free(items);
	dml_finish(s, &out, t, ok, SIM_CMD_UPDATE, n);
	return ok;
}

/*
 * Index of a top-level OUTPUT clause of the DELETE [from, end), or -1.
 */
static int
delete_output_pos(const EngineStmt *st, int from, int end)
{
	int			i,
				depth = 0;

	for (i = from + 1; i < end; i++)
	{
		if (op_is(st, i, "("))
			depth++;
		else if (op_is(st, i, ")"))
			depth--;
		else if (depth == 0 && word_is(st, i, "OUTPUT"))
			return i;
	}
	return -1;
}

/* DELETE [TOP (n)] [FROM] t [OUTPUT ...] [FROM ...] [WHERE ...] */
bool
engine_exec_delete(SimSession *s, const EngineStmt *st, int from, int to)
{
	EngineXlate x;
	sqlite3_stmt *stmt = NULL;
	int			rc;
	int64_t		n = 0;
	bool		ok = false;
	int			end = to;
	int			out_at;
	EngineOutput out;
	EngineTable *t = NULL;

	memset(&out, 0, sizeof(out));
	s->cur_cmd = SIM_CMD_DELETE;
	while (end > from && op_is(st, end - 1, ";"))
		end--;
	engine_xlate_init(&x, s, st);
	out_at = delete_output_pos(st, from, end);
	if (out_at >= 0)
	{
		/* the target, for the columns of deleted.* */
		int			j = from + 1,
					next;

		if (word_is(st, j, "TOP"))
			j = op_is(st, j + 1, "(") ? engine_skip_parens(st, j + 1) : j + 2;
		if (word_is(st, j, "FROM"))
			j++;
		t = target_table(s, st, &j);
		if (t == NULL ||
			!engine_output_parse(s, st, out_at, end, t, 'D',
								 (const char *[]) {"FROM", "WHERE", "OPTION", NULL}, &out, &next))
			goto fail;
		/* the statement without its OUTPUT clause */
		x.select_seen = true;
		if (!engine_xlate_range(&x, from, out_at))
			goto fail;
		ebuf_appendc(&x.sql, ' ');
		if (next < end && !engine_xlate_range(&x, next, end))
			goto fail;
	}
	else if (!engine_xlate_range(&x, from, end))
		goto fail;
	if ((t && !engine_output_begin(s, t, "DELETE", &out)) || !engine_stmt_begin(s))
		goto fail;
	rc = sqlite3_prepare_v2(s->db, x.sql.data, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		engine_error_sqlite(s, rc);
	else if (engine_bind_vars(s, stmt))
	{
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_DONE)
			n = sqlite3_changes64(s->db);
		else
			engine_error_sqlite(s, rc);
	}
	sqlite3_finalize(stmt);
	engine_xlate_free(&x);
	ok = !s->stmt_failed;
	ok = dml_stmt_end(s, &out, ok, &n);
	dml_finish(s, &out, t, ok, SIM_CMD_DELETE, n);
	return ok;

fail:
	engine_output_end(s, &out);
	engine_output_free(&out);
	engine_table_free(t);
	engine_xlate_free(&x);
	engine_done(s, SIM_CMD_DELETE, false, 0);
	return false;
}
