/*
 * engine_result.c
 *		Result sets: the rows of a prepared SQLite statement sent to the
 *		client as one result set, with the SQL Server type, name,
 *		nullability and identity of each column, and its DONE.
 *
 * A column's type comes from its SQLite declared type (which spells the
 * SQL Server type, engine_decltype_parse), else from the translator's hint,
 * else from the first row's value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/*
 * The SQL Server type a value shows when neither a declared type nor a
 * hint says more: int or bigint by range, float(53), varbinary(max), and
 * nvarchar(max) for text or NULL (v may be NULL: no row).
 */
void
engine_type_of_value(sqlite3_value *v, SimType *t)
{
	memset(t, 0, sizeof(*t));
	switch (v ? sqlite3_value_type(v) : SQLITE_NULL)
	{
		case SQLITE_INTEGER:
			{
				int64_t		x = sqlite3_value_int64(v);

				t->id = (x >= INT32_MIN && x <= INT32_MAX) ? SIM_INT : SIM_BIGINT;
				break;
			}
		case SQLITE_FLOAT:
			t->id = SIM_FLOAT;
			t->precision = 53;
			break;
		case SQLITE_TEXT:
			t->id = SIM_NVARCHAR;
			t->length = SIM_MAX_LENGTH;
			break;
		case SQLITE_BLOB:
			t->id = SIM_VARBINARY;
			t->length = SIM_MAX_LENGTH;
			break;
		default:
			/* a NULL first value says nothing: text holds any later value */
			t->id = SIM_NVARCHAR;
			t->length = SIM_MAX_LENGTH;
			break;
	}
}

/*
 * Nullability and identity of a result column that comes straight from a
 * table column (SQLite's column metadata names its origin), from the
 * catalog or a #temp table's definition.  Leaves the defaults (nullable)
 * otherwise.
 */
void
engine_origin_flags(SimSession *s, sqlite3_stmt *stmt, int i, SimColumn *c)
{
	const char *tab = sqlite3_column_table_name(stmt, i);
	const char *col = sqlite3_column_origin_name(stmt, i);
	const char *db = sqlite3_column_database_name(stmt, i);
	const char *dot;
	sqlite3_stmt *q;

	if (tab != NULL && col != NULL && db != NULL && strcmp(db, "temp") == 0)
	{
		/* a #temp table: its definition is in the session */
		EngineTempTable *tt = engine_temp_find(s, tab);
		int			k;

		for (k = 0; tt && k < tt->table->ncols; k++)
			if (engine_strcasecmp(tt->table->cols[k].name, col) == 0)
			{
				c->nullable = tt->table->cols[k].nullable;
				c->identity = tt->table->cols[k].identity;
			}
		return;
	}
	if (tab == NULL || col == NULL || db == NULL || strcmp(db, "main") != 0 ||
		(dot = strchr(tab, '.')) == NULL)
		return;
	if (sqlite3_prepare_v2(s->db, "SELECT c.is_nullable, c.is_identity FROM main.__sim_columns c"
						   " JOIN main.__sim_objects o ON o.object_id = c.object_id"
						   " JOIN main.__sim_schemas sc ON sc.schema_id = o.schema_id"
						   " WHERE sc.name = ?1 AND o.name = ?2 AND c.name = ?3", -1, &q,
						   NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(q, 1, tab, (int) (dot - tab), SQLITE_STATIC);
	sqlite3_bind_text(q, 2, dot + 1, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, col, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
	{
		c->nullable = sqlite3_column_int(q, 0) != 0;
		c->identity = sqlite3_column_int(q, 1) != 0;
	}
	sqlite3_finalize(q);
}

/*
 * Stream the rows of stmt as one result set.  Column names come from
 * items (when given), types from declared types, then items' / hints'
 * hints, then the first row.  Sends DONE.  Returns false on a SQLite error
 * (reported).
 */
bool
engine_stream(SimSession *s, sqlite3_stmt *stmt, const EngineSelectItem *items, int nitems,
			  const SimType *hints, int nhints)
{
	int			ncols = sqlite3_column_count(stmt);
	SimColumn	colbuf[64];
	sqlite3_value *valbuf[64];
	SimColumn  *cols = ncols <= 64 ? colbuf : emalloc(sizeof(SimColumn) * (size_t) ncols);
	sqlite3_value **vals = ncols <= 64 ? valbuf : emalloc(sizeof(sqlite3_value *) * (size_t) ncols);
	int			rc;
	int			i;
	uint64_t	n = 0;
	bool		ok = true;
	int64_t		limit = s->rowcount_limit;

	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
	{
		engine_error_sqlite(s, rc);
		ok = false;
		goto out;
	}
	for (i = 0; i < ncols; i++)
	{
		const char *decl = sqlite3_column_decltype(stmt, i);
		SimColumn  *c = &cols[i];

		memset(c, 0, sizeof(*c));
		c->nullable = true;
		if (items && i < nitems && items[i].name)
			c->name = items[i].name;
		else if (items && i < nitems && items[i].unnamed)
			c->name = "";
		else
			c->name = sqlite3_column_name(stmt, i);
		if (c->name == NULL)
			c->name = "";
		if (decl && engine_decltype_parse(decl, &c->type))
		{
			if (s->origin_not_null)
				engine_origin_flags(s, stmt, i, c);
			continue;
		}
		if (items && i < nitems && items[i].hint.id != 0)
			c->type = items[i].hint;
		else if (hints && i < nhints && hints[i].id != 0)
			c->type = hints[i];
		else
			engine_type_of_value(rc == SQLITE_ROW ? sqlite3_column_value(stmt, i) : NULL, &c->type);
	}
	if (!s->internal)
		sim_out_colmetadata(s->out, ncols, cols);
	if (s->fmtonly)
		rc = SQLITE_DONE;		/* SET FMTONLY ON: the shape only */
	while (rc == SQLITE_ROW)
	{
		if (!s->internal)
		{
			int			r;

			for (i = 0; i < ncols; i++)
				vals[i] = sqlite3_column_value(stmt, i);
			r = sim_out_row(s->out, vals);
			if (r != SIM_ROW_OK)
			{
				n++;
				s->cancelled = true;
				s->batch_abort = true;
				break;
			}
		}
		n++;
		if (limit > 0 && (int64_t) n >= limit)
			break;
		rc = sqlite3_step(stmt);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
	{
		engine_error_sqlite(s, rc);
		ok = false;
	}
out:
	s->last_rowcount = (int64_t) n;
	engine_done(s, SIM_CMD_SELECT, ok, n);
	if (cols != colbuf)
		free(cols);
	if (vals != valbuf)
		free(vals);
	return ok;
}

/* engine_stream without select items (contract in engine.h). */
bool
engine_send_result(SimSession *s, sqlite3_stmt *stmt, const SimType *hints, int nhints)
{
	return engine_stream(s, stmt, NULL, 0, hints, nhints);
}
