/*
 * engine_temp.c
 *		#temp tables: a session's private tables, kept as SQLite TEMP tables
 *		of its handle, with their definitions in the session (they have no
 *		__sim_* catalog rows, so catalog views do not show them).
 *
 * They belong to the session, as in SQL Server (where they live in
 * tempdb): they last until the session ends or is reset, or DROP TABLE.
 * USE opens a new handle on the other database; engine_temp_move() then
 * carries them (definition, indexes, rows) over to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* Deep copy of an EngineTable (free with engine_table_free). */
EngineTable *
engine_table_copy(const EngineTable *t)
{
	EngineTable *c = emalloc(sizeof(EngineTable));
	int			i;

	*c = *t;
	c->schema = estrdup(t->schema);
	c->name = estrdup(t->name);
	c->sqlite_name = estrdup(t->sqlite_name);
	c->pk_name = t->pk_name ? estrdup(t->pk_name) : NULL;
	c->cols = emalloc(sizeof(EngineColumn) * (size_t) (t->ncols + 1));
	for (i = 0; i < t->ncols; i++)
	{
		c->cols[i] = t->cols[i];
		c->cols[i].name = estrdup(t->cols[i].name);
		c->cols[i].default_sql = t->cols[i].default_sql ? estrdup(t->cols[i].default_sql) : NULL;
	}
	c->pk = emalloc(sizeof(int) * (size_t) (t->npk + 1));
	memcpy(c->pk, t->pk, sizeof(int) * (size_t) t->npk);
	return c;
}

EngineTempTable *
engine_temp_find(SimSession *s, const char *name)
{
	int			i;

	for (i = 0; i < s->ntemps; i++)
		if (engine_strcasecmp(s->temps[i].table->name, name) == 0)
			return &s->temps[i];
	return NULL;
}

/* Register t (ownership passes to the session). */
void
engine_temp_add(SimSession *s, EngineTable *t)
{
	static int64_t next_id = -1000;

	s->temps = realloc(s->temps, sizeof(EngineTempTable) * (size_t) (s->ntemps + 1));
	if (s->temps == NULL)
		abort();
	t->temp = true;
	t->object_id = __atomic_sub_fetch(&next_id, 1, __ATOMIC_RELAXED);
	s->temps[s->ntemps].table = t;
	s->temps[s->ntemps].ident_last = 0;
	s->temps[s->ntemps].ident_have = false;
	s->ntemps++;
}

/* Drop a temp table (its SQLite table and definition); false if unknown. */
bool
engine_temp_drop(SimSession *s, const char *name)
{
	int			i;

	for (i = 0; i < s->ntemps; i++)
		if (engine_strcasecmp(s->temps[i].table->name, name) == 0)
		{
			EngineBuf	b;

			ebuf_init(&b);
			ebuf_append(&b, "DROP TABLE IF EXISTS temp.");
			ebuf_append_ident(&b, s->temps[i].table->sqlite_name);
			sqlite3_exec(s->db, b.data, NULL, NULL, NULL);
			ebuf_free(&b);
			engine_table_free(s->temps[i].table);
			s->temps[i] = s->temps[--s->ntemps];
			return true;
		}
	return false;
}

/* Forget every temp table; drop_tables: also drop the SQLite tables. */
void
engine_temp_clear(SimSession *s, bool drop_tables)
{
	while (s->ntemps > 0)
	{
		if (drop_tables)
			engine_temp_drop(s, s->temps[0].table->name);
		else
			engine_table_free(s->temps[--s->ntemps].table);
	}
	free(s->temps);
	s->temps = NULL;
}

/* Copy one temp table's SQLite table, indexes and rows from one handle to another. */
static bool
move_one(const char *sqlite_name, sqlite3 *from, sqlite3 *to)
{
	sqlite3_stmt *q = NULL,
			   *ins = NULL;
	EngineBuf	b;
	bool		ok = true;
	int			ncols,
				k,
				rc;

	/* the table first (its own PRIMARY KEY/UNIQUE indexes come with it), then CREATE INDEXes */
	if (sqlite3_prepare_v2(from, "SELECT type, sql FROM temp.sqlite_master WHERE tbl_name = ?1"
						   " AND sql IS NOT NULL AND type IN ('table', 'index')"
						   " ORDER BY type = 'index', rowid", -1, &q, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(q, 1, sqlite_name, -1, SQLITE_STATIC);
	ebuf_init(&b);
	while (ok && sqlite3_step(q) == SQLITE_ROW)
	{
		const char *type = (const char *) sqlite3_column_text(q, 0);
		const char *sql = (const char *) sqlite3_column_text(q, 1);

		ebuf_reset(&b);
		/* stored without TEMP: "CREATE TABLE x (...)"; an index follows its table */
		if (strcmp(type, "table") == 0 && strncmp(sql, "CREATE TABLE ", 13) == 0)
		{
			ebuf_append(&b, "CREATE TEMP TABLE ");
			ebuf_append(&b, sql + 13);
		}
		else
			ebuf_append(&b, sql);
		ok = sqlite3_exec(to, b.data, NULL, NULL, NULL) == SQLITE_OK;
	}
	sqlite3_finalize(q);
	if (!ok)
	{
		ebuf_free(&b);
		return false;
	}

	/* the rows */
	ebuf_reset(&b);
	ebuf_append(&b, "SELECT * FROM temp.");
	ebuf_append_ident(&b, sqlite_name);
	if (sqlite3_prepare_v2(from, b.data, -1, &q, NULL) != SQLITE_OK)
	{
		ebuf_free(&b);
		return false;
	}
	ncols = sqlite3_column_count(q);
	ebuf_reset(&b);
	ebuf_append(&b, "INSERT INTO temp.");
	ebuf_append_ident(&b, sqlite_name);
	ebuf_append(&b, " VALUES (");
	for (k = 0; k < ncols; k++)
		ebuf_printf(&b, "%s?%d", k ? ", " : "", k + 1);
	ebuf_append(&b, ")");
	if (sqlite3_prepare_v2(to, b.data, -1, &ins, NULL) != SQLITE_OK)
		ok = false;
	while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW)
	{
		sqlite3_reset(ins);
		for (k = 0; k < ncols; k++)
			sqlite3_bind_value(ins, k + 1, sqlite3_column_value(q, k));
		ok = sqlite3_step(ins) == SQLITE_DONE;
	}
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	ebuf_free(&b);
	return ok;
}

/*
 * Contract in engine_int.h.
 */
bool
engine_temp_move(SimSession *s, sqlite3 *from, sqlite3 *to)
{
	int			i;
	bool		ok = true;

	if (s->ntemps == 0)
		return true;
	sqlite3_exec(to, "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < s->ntemps && ok; i++)
		ok = move_one(s->temps[i].table->sqlite_name, from, to);
	sqlite3_exec(to, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	return ok;
}

/* SQLite name of index iname of temp table t: "<table>.<index>". */
static void
temp_index_name(const EngineTable *t, const char *iname, char *buf, size_t len)
{
	snprintf(buf, len, "%s.%s", t->sqlite_name, iname);
}

/* Does the temp schema have an index of that SQLite name? */
static bool
temp_index_exists(SimSession *s, const char *full)
{
	sqlite3_stmt *q;
	bool		found = false;

	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM temp.sqlite_master WHERE type = 'index' AND name = ?1",
						   -1, &q, NULL) == SQLITE_OK)
	{
		sqlite3_bind_text(q, 1, full, -1, SQLITE_STATIC);
		found = sqlite3_step(q) == SQLITE_ROW;
		sqlite3_finalize(q);
	}
	return found;
}

/*
 * Contract in engine_int.h.
 */
bool
engine_temp_create_index(SimSession *s, EngineTempTable *tt, const char *iname, bool unique,
						 const EngineStmt *st, int i)
{
	const EngineTable *t = tt->table;
	char		full[ENGINE_NAME_LEN * 3];
	EngineBuf	b;
	int			close,
				k,
				ncols = 0;
	bool		ok;
	int			rc;

	temp_index_name(t, iname, full, sizeof(full));
	if (temp_index_exists(s, full))
	{
		engine_error(s, 1913, "The operation failed because an index or statistics with name '%s' already exists on table '%s'.",
					 iname, t->name);
		return false;
	}
	if (!engine_tok_op(st, i, "("))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		return false;
	}
	close = engine_skip_parens(st, i) - 1;
	ebuf_init(&b);
	ebuf_append(&b, unique ? "CREATE UNIQUE INDEX temp." : "CREATE INDEX temp.");
	ebuf_append_ident(&b, full);
	ebuf_append(&b, " ON ");
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_append(&b, " (");
	for (k = i + 1; k < close; k++)
	{
		int			c;

		if (engine_tok_op(st, k, ","))
			continue;
		if (engine_tok_is(st, k, "ASC"))
			continue;
		if (engine_tok_is(st, k, "DESC"))
		{
			ebuf_append(&b, " DESC");
			continue;
		}
		for (c = 0; c < t->ncols; c++)
			if (engine_strcasecmp(t->cols[c].name, st->tok[k].text) == 0)
				break;
		if (c == t->ncols)
		{
			engine_error(s, 1911, "Column name '%s' does not exist in the target table or view.",
						 st->tok[k].text);
			ebuf_free(&b);
			return false;
		}
		if (ncols++ > 0)
			ebuf_append(&b, ", ");
		ebuf_append_ident(&b, t->cols[c].name);
	}
	ebuf_append(&b, ")");
	if (ncols == 0)
	{
		engine_error(s, 102, "Incorrect syntax near ')'.");
		ebuf_free(&b);
		return false;
	}
	/* INCLUDE (...), WITH (...), a filter: accepted and ignored */
	rc = sqlite3_exec(s->db, b.data, NULL, NULL, NULL);
	ok = rc == SQLITE_OK;
	if (!ok && sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
		engine_error(s, 1505, "The CREATE UNIQUE INDEX statement terminated because a duplicate key was found for the object name '%s.%s' and the index name '%s'.",
					 t->schema, t->name, iname);
	else if (!ok)
		engine_error_sqlite(s, rc);
	ebuf_free(&b);
	return ok;
}

/*
 * Contract in engine_int.h.
 */
bool
engine_temp_drop_index(SimSession *s, EngineTempTable *tt, const char *iname)
{
	char		full[ENGINE_NAME_LEN * 3];
	EngineBuf	b;
	int			rc;

	temp_index_name(tt->table, iname, full, sizeof(full));
	if (!temp_index_exists(s, full))
	{
		engine_error(s, 3701, "Cannot drop the index '%s.%s', because it does not exist or you do not have permission.",
					 tt->table->name, iname);
		return false;
	}
	ebuf_init(&b);
	ebuf_append(&b, "DROP INDEX temp.");
	ebuf_append_ident(&b, full);
	rc = sqlite3_exec(s->db, b.data, NULL, NULL, NULL);
	ebuf_free(&b);
	if (rc != SQLITE_OK)
	{
		engine_error_sqlite(s, rc);
		return false;
	}
	return true;
}
