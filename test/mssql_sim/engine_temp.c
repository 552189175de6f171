/*
 * engine_temp.c
 *		#temp tables: a session's private tables, kept as SQLite TEMP tables
 *		of its handle, with their definitions in the session (they have no
 *		__sim_* catalog rows, so catalog views do not show them).
 *
 * They live as long as the session's handle: until the session ends, is
 * reset, or switches database with USE (SQL Server would keep them across
 * USE; this stand-in does not).
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
