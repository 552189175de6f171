/*
 * engine_ddl.c
 *		CREATE and DROP of databases, schemas, tables, views and indexes,
 *		keeping the __sim_* catalog in step and calling the DDL hooks.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_int.h"
#include "engine_tokens.h"
#include "engine_catalog.h"
#include "engine_tabledef.h"

static bool
object_exists(SimSession *s, int schema_id, const char *name)
{
	sqlite3_stmt *stmt;
	bool		found = false;

	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM main.__sim_objects WHERE schema_id = ?1 AND name = ?2",
						   -1, &stmt, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int(stmt, 1, schema_id);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	found = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_finalize(stmt);
	return found;
}

/* Resolve "[schema.]name" at *i: schema id (reports 2760) and name. */
static int
parse_target(SimSession *s, const EngineStmt *st, int *i, char *schema, char *name)
{
	char		db[ENGINE_NAME_LEN];
	int			sid;

	if (!engine_parse_name_tokens(st, i, db, schema, name, ENGINE_NAME_LEN))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[*i].text);
		return -1;
	}
	if (!schema[0])
		strcpy(schema, "dbo");
	sid = engine_schema_id(s, schema);
	if (sid < 0)
		engine_error(s, 2760, "The specified schema name \"%s\" either does not exist or you do not have permission to use it.",
					 schema);
	return sid;
}

/*
 * CREATE TABLE #name (elements): a TEMP table of the handle, described in
 * the session only.
 */
static bool
create_temp_table(SimSession *s, const EngineStmt *st, int i)
{
	TableDef   *d = emalloc(sizeof(TableDef));
	EngineBuf	b;
	const char *name = st->tok[i].text;
	bool		ok;

	memset(d, 0, sizeof(TableDef));
	if (engine_temp_find(s, name))
	{
		engine_error(s, 2714, "There is already an object named '%s' in the database.", name);
		free(d);
		return false;
	}
	snprintf(d->schema, sizeof(d->schema), "dbo");
	snprintf(d->name, sizeof(d->name), "%s", name);
	if (!op_is(st, i + 1, "("))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i + 1].text);
		free(d);
		return false;
	}
	if (!td_parse_elements(s, st, i + 1, d))
	{
		td_free(d);
		return false;
	}
	ebuf_init(&b);
	td_build_create_sql(d, name, &b);
	/* "CREATE TABLE main." -> "CREATE TABLE temp." */
	memcpy(b.data + strlen("CREATE TABLE "), "temp", 4);
	ok = td_exec_sql(s, b.data);
	ebuf_free(&b);
	if (ok)
		engine_temp_add(s, td_to_table(d, name));
	td_free(d);
	return ok;
}

/*
 * CREATE TABLE name (elements): the SQLite table, its catalog rows, the
 * CREATED hooks; in one statement transaction.  Errors reported.
 */
static bool
create_table(SimSession *s, const EngineStmt *st, int i, int to)
{
	TableDef   *d = emalloc(sizeof(TableDef));
	int			sid;
	int64_t		object_id;
	EngineBuf	b;
	char		sqlite_name[ENGINE_NAME_LEN * 2 + 2];
	bool		ok = false;

	(void) to;
	memset(d, 0, sizeof(TableDef));
	if (st->tok[i].type == TK_TEMP)
	{
		free(d);
		return create_temp_table(s, st, i);
	}
	sid = parse_target(s, st, &i, d->schema, d->name);
	if (sid < 0)
	{
		free(d);
		return false;
	}
	if (object_exists(s, sid, d->name))
	{
		engine_error(s, 2714, "There is already an object named '%s' in the database.", d->name);
		free(d);
		return false;
	}
	if (!op_is(st, i, "("))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		free(d);
		return false;
	}
	if (!td_parse_elements(s, st, i, d))
	{
		td_free(d);
		return false;
	}
	if (d->ncols == 0)
	{
		engine_error(s, 102, "Incorrect syntax near ')'.");
		td_free(d);
		return false;
	}
	if (!engine_stmt_begin(s))
	{
		td_free(d);
		return false;
	}
	snprintf(sqlite_name, sizeof(sqlite_name), "%s.%s", d->schema, d->name);
	ebuf_init(&b);
	td_build_create_sql(d, sqlite_name, &b);
	object_id = engine_next_object_id(s);
	ok = td_exec_sql(s, b.data) &&
		td_insert_object(s, object_id, d->name, sid, 0, "U ", "USER_TABLE", false, NULL) &&
		td_write_catalog(s, d, object_id, sid);
	ebuf_free(&b);
	if (ok)
	{
		engine_catalog_bump(s);
		ok = td_ddl_hook(s, ENGINE_DDL_TABLE_CREATED, object_id, NULL);
	}
	engine_stmt_end(s, ok);
	td_free(d);
	return ok;
}

/*
 * May column k of a new view (stmt reads the SQLite view, x is the
 * translated query) hold NULL?  As SQL Server derives it: a column taken
 * directly from a NOT NULL table column is NOT NULL, and so is a non-NULL
 * literal; anything under an outer join, a set operation or another view
 * (x->may_null) is nullable, as is every other expression.
 */
static bool
view_column_nullable(SimSession *s, sqlite3_stmt *stmt, int k, const EngineXlate *x)
{
	SimColumn	c;

	if (x->may_null)
		return true;
	memset(&c, 0, sizeof(c));
	c.nullable = true;
	if (sqlite3_column_table_name(stmt, k) != NULL)
	{
		engine_origin_flags(s, stmt, k, &c);
		return c.nullable;
	}
	/* the select items line up with the columns unless a '*' expanded */
	if (x->nitems == sqlite3_column_count(stmt) &&
		x->items[k].expr_to > x->items[k].expr_from)
		return !engine_expr_never_null(x->st, x->items[k].expr_from, x->items[k].expr_to);
	return true;
}

/*
 * The query of a view with a column list of ncolnames names must have as
 * many columns: 8158 (more) or 8159 (fewer) otherwise, as SQL Server says.
 */
static bool
count_view_columns(SimSession *s, const EngineXlate *x, const char *name, int ncolnames)
{
	sqlite3_stmt *q = NULL;
	int			n;

	if (sqlite3_prepare_v2(s->db, x->sql.data, -1, &q, NULL) != SQLITE_OK)
	{
		engine_error_sqlite(s, SQLITE_ERROR);
		return false;
	}
	n = sqlite3_column_count(q);
	sqlite3_finalize(q);
	if (n > ncolnames)
		engine_error(s, 8158, "'%s' has more columns than were specified in the column list.", name);
	else if (n < ncolnames)
		engine_error(s, 8159, "'%s' has fewer columns than were specified in the column list.", name);
	return n == ncolnames;
}

/*
 * CREATE VIEW name [(cols)] AS select: a SQLite view over the translated
 * query, its object row and columns read back from SQLite.
 */
static bool
create_view(SimSession *s, const EngineStmt *st, int i, int to)
{
	char		schema[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];
	int			sid;
	int			as;
	EngineXlate x;
	EngineBuf	b;
	int64_t		object_id;
	bool		ok = false;
	char	   *text;
	sqlite3_stmt *stmt;
	int			end = to;
	int			ncolnames = 0;

	while (end > i && op_is(st, end - 1, ";"))
		end--;
	sid = parse_target(s, st, &i, schema, name);
	if (sid < 0)
		return false;
	if (object_exists(s, sid, name))
	{
		engine_error(s, 2714, "There is already an object named '%s' in the database.", name);
		return false;
	}
	as = i;
	if (op_is(st, as, "("))
	{
		int			k;

		/* the view's column names: (name [, name ...]) */
		as = engine_skip_parens(st, as);
		for (k = i + 1; k < as - 1; k += 2)
		{
			if (!is_name_tok(st, k) || !(op_is(st, k + 1, ",") || k + 1 == as - 1))
			{
				engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[k].text);
				return false;
			}
			ncolnames++;
		}
	}
	if (word_is(st, as, "WITH"))
		as += 2;
	if (!word_is(st, as, "AS"))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[as].text);
		return false;
	}
	engine_xlate_init(&x, s, st);
	if (!engine_xlate_range(&x, as + 1, end))
	{
		engine_xlate_free(&x);
		return false;
	}
	if (x.touches_catalog)
	{
		engine_error(s, 4512, "Cannot schema bind view '%s' to the catalog views in this stand-in.", name);
		engine_xlate_free(&x);
		return false;
	}
	if (!engine_stmt_begin(s))
	{
		engine_xlate_free(&x);
		return false;
	}
	if (ncolnames > 0 && !count_view_columns(s, &x, name, ncolnames))
	{
		engine_xlate_free(&x);
		engine_stmt_end(s, false);
		return false;
	}
	ebuf_init(&b);
	ebuf_append(&b, "CREATE VIEW main.\"");
	ebuf_printf(&b, "%s.%s\"", schema, name);
	if (ncolnames > 0)
	{
		int			k;

		ebuf_appendc(&b, '(');
		for (k = 0; k < ncolnames; k++)
		{
			if (k > 0)
				ebuf_append(&b, ", ");
			ebuf_append_ident(&b, st->tok[i + 1 + 2 * k].text);
		}
		ebuf_appendc(&b, ')');
	}
	ebuf_append(&b, " AS ");
	ebuf_append(&b, x.sql.data);
	object_id = engine_next_object_id(s);
	text = engine_tok_text(st, 0, end);
	ok = td_exec_sql(s, b.data) &&
		td_insert_object(s, object_id, name, sid, 0, "V ", "VIEW", false, text);
	free(text);
	ebuf_reset(&b);
	/* the view's columns, from the SQLite view */
	if (ok)
	{
		ebuf_append(&b, "SELECT * FROM main.");
		{
			char		sn[ENGINE_NAME_LEN * 2 + 2];

			snprintf(sn, sizeof(sn), "%s.%s", schema, name);
			ebuf_append_ident(&b, sn);
		}
		if (sqlite3_prepare_v2(s->db, b.data, -1, &stmt, NULL) == SQLITE_OK)
		{
			int			n = sqlite3_column_count(stmt),
						k;

			for (k = 0; k < n && ok; k++)
			{
				EngineColumn c;
				const char *decl = sqlite3_column_decltype(stmt, k);

				memset(&c, 0, sizeof(c));
				c.column_id = k + 1;
				c.name = (char *) sqlite3_column_name(stmt, k);
				c.nullable = view_column_nullable(s, stmt, k, &x);
				if (decl == NULL || !engine_decltype_parse(decl, &c.type))
				{
					/* an expression: the type SQL Server gives it, if known */
					if (x.nitems == n && x.items[k].hint.id != 0)
						c.type = x.items[k].hint;
					else
					{
						c.type.id = SIM_NVARCHAR;
						c.type.length = SIM_MAX_LENGTH;
					}
				}
				ok = engine_catalog_insert_column(s, object_id, &c, 0) == SQLITE_OK;
			}
			sqlite3_finalize(stmt);
		}
		else
		{
			engine_error_sqlite(s, SQLITE_ERROR);
			ok = false;
		}
	}
	ebuf_free(&b);
	engine_xlate_free(&x);
	if (ok)
		engine_catalog_bump(s);
	engine_stmt_end(s, ok);
	return ok;
}

/*
 * CREATE SCHEMA name (name at token i): 2714 when it exists; in its own
 * statement transaction.
 */
static bool
create_schema(SimSession *s, const EngineStmt *st, int i)
{
	bool		ok;

	if (!is_name_tok(st, i))
	{
		engine_error(s, 102, "Incorrect syntax near 'SCHEMA'.");
		return false;
	}
	if (engine_schema_id(s, st->tok[i].text) >= 0)
	{
		engine_error(s, 2714, "There is already an object named '%s' in the database.", st->tok[i].text);
		return false;
	}
	if (!engine_stmt_begin(s))
		return false;
	ok = engine_schema_ensure(s, st->tok[i].text);
	engine_stmt_end(s, ok);
	return ok;
}

/*
 * CREATE DATABASE name: a new file with the catalog, and its row in master.
 */
static bool
create_database(SimSession *s, const EngineStmt *st, int i)
{
	char		err[512];
	const char *name;
	sqlite3_stmt *stmt;
	char		sql[256];
	char		now[64];
	int			rc;

	if (!is_name_tok(st, i))
	{
		engine_error(s, 102, "Incorrect syntax near 'DATABASE'.");
		return false;
	}
	name = st->tok[i].text;
	if (s->trancount > 0)
	{
		engine_error(s, 226, "CREATE DATABASE statement not allowed within multi-statement transaction.");
		return false;
	}
	if (engine_database_exists(name, NULL, 0) || engine_strcasecmp(name, "tempdb") == 0 ||
		engine_strcasecmp(name, "model") == 0 || engine_strcasecmp(name, "msdb") == 0)
	{
		engine_error(s, 1801, "Database '%s' already exists. Choose a different database name.", name);
		return false;
	}
	if (strpbrk(name, "/\\.") != NULL)
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", name);
		return false;
	}
	if (!engine_create_database_file(name, err, sizeof(err)))
	{
		engine_error(s, 1802, "CREATE DATABASE failed. %s", err);
		return false;
	}
	engine_now_text(now, sizeof(now), false, 3, false);
	snprintf(sql, sizeof(sql), "INSERT INTO %s.__sim_databases(database_id, name, create_date)"
			 " SELECT max(database_id) + 1, ?1, ?2 FROM %s.__sim_databases", s->master_schema,
			 s->master_schema);
	rc = sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK)
	{
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, now, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
	}
	if (rc != SQLITE_DONE)
	{
		engine_error_sqlite(s, rc);
		return false;
	}
	engine_run_ddl_hooks(s, ENGINE_DDL_DATABASE_CREATED, NULL, name);
	return true;
}

/* CREATE [UNIQUE] [CLUSTERED|NONCLUSTERED] INDEX name ON t (cols) */
static bool
create_index(SimSession *s, const EngineStmt *st, int i, int to)
{
	bool		unique = false,
				clustered = false;
	const char *iname;
	char		schema[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN],
				db[ENGINE_NAME_LEN];
	EngineTable *t;
	TableDef   *d;
	KeyDef	   *k;
	bool		ok;
	int			kidx;
	int			start;

	(void) to;
	for (;; i++)
	{
		if (word_is(st, i, "UNIQUE"))
			unique = true;
		else if (word_is(st, i, "CLUSTERED"))
			clustered = true;
		else if (word_is(st, i, "NONCLUSTERED"))
			clustered = false;
		else
			break;
	}
	i++;						/* INDEX */
	iname = st->tok[i].text;
	i++;
	if (!word_is(st, i, "ON"))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		return false;
	}
	i++;
	start = i;
	if (st->tok[i].type == TK_TEMP)
	{
		/* a #temp table: an index of its own SQLite table, no catalog rows */
		EngineTempTable *tt = engine_temp_find(s, st->tok[i].text);

		if (tt == NULL)
		{
			engine_error(s, 1088, "Cannot find the object \"%s\" because it does not exist or you do not have permissions.",
						 st->tok[i].text);
			return false;
		}
		return engine_temp_create_index(s, tt, iname, unique, st, i + 1);
	}
	if (!engine_parse_name_tokens(st, &i, db, schema, name, sizeof(name)) ||
		(t = engine_table_lookup(s, schema, name)) == NULL)
	{
		char	   *txt = engine_tok_text(st, start, i);

		engine_error(s, 1088, "Cannot find the object \"%s\" because it does not exist or you do not have permissions.", txt);
		free(txt);
		return false;
	}
	d = td_from_catalog(s, t);
	for (kidx = 0; kidx < d->nkeys; kidx++)
		if (engine_strcasecmp(d->keys[kidx].name, iname) == 0)
		{
			engine_error(s, 1913, "The operation failed because an index or statistics with name '%s' already exists on table '%s.%s'.",
						 iname, t->schema, t->name);
			engine_table_free(t);
			td_free(d);
			return false;
		}
	if (d->nkeys >= MAX_KEYS)
	{
		engine_table_free(t);
		td_free(d);
		return false;
	}
	kidx = d->nkeys++;
	k = &d->keys[kidx];
	memset(k, 0, sizeof(*k));
	snprintf(k->name, sizeof(k->name), "%s", iname);
	k->unique = unique;
	k->clustered = false;
	(void) clustered;
	if (td_parse_key_cols(s, st, i, d, k) < 0 || !engine_stmt_begin(s))
	{
		engine_table_free(t);
		td_free(d);
		return false;
	}
	{
		sqlite3_stmt *stmt;
		int			next_id = 2;

		if (sqlite3_prepare_v2(s->db, "SELECT max(index_id) + 1 FROM main.__sim_indexes WHERE object_id = ?1",
							   -1, &stmt, NULL) == SQLITE_OK)
		{
			sqlite3_bind_int64(stmt, 1, t->object_id);
			if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) > 2)
				next_id = sqlite3_column_int(stmt, 0);
			sqlite3_finalize(stmt);
		}
		k->index_id = next_id;
	}
	ok = td_create_plain_indexes(s, d, t->sqlite_name, kidx);
	if (!ok && sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
	{
		s->stmt_failed = false;
		s->batch_abort = false;
		engine_error(s, 1505, "The CREATE UNIQUE INDEX statement terminated because a duplicate key was found for the object name '%s.%s' and the index name '%s'.",
					 t->schema, t->name, iname);
	}
	if (ok)
	{
		int			c;

		ok = td_run_bound(s, "INSERT INTO main.__sim_indexes VALUES (?1, ?2, ?7, 2, ?3, 0, 0, NULL)",
					   t->object_id, k->index_id, unique, 0, 0, 0, iname);
		for (c = 0; ok && c < k->ncols; c++)
			ok = td_run_bound(s, "INSERT INTO main.__sim_index_columns VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
						   t->object_id, k->index_id, c + 1, d->cols[k->cols[c]].c.column_id, c + 1,
						   k->desc[c], NULL);
		if (ok)
			engine_catalog_bump(s);
	}
	engine_stmt_end(s, ok);
	engine_table_free(t);
	td_free(d);
	return ok;
}

/*
 * CREATE ...: dispatch on the object kind; sends DONE.
 */
bool
engine_exec_create(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			i = from + 1;
	bool		ok;

	s->cur_cmd = SIM_CMD_OTHER;
	if (word_is(st, i, "TABLE"))
		ok = create_table(s, st, i + 1, to);
	else if (word_is(st, i, "VIEW"))
		ok = create_view(s, st, i + 1, to);
	else if (word_is(st, i, "OR") && word_is(st, i + 1, "ALTER") && word_is(st, i + 2, "VIEW"))
	{
		int			j = i + 3;
		char		schema[ENGINE_NAME_LEN],
					name[ENGINE_NAME_LEN],
					db[ENGINE_NAME_LEN];
		EngineTable *t;

		if (engine_parse_name_tokens(st, &j, db, schema, name, sizeof(name)) &&
			(t = engine_table_lookup(s, schema, name)) != NULL)
		{
			char		sql[1024];

			snprintf(sql, sizeof(sql), "DROP VIEW [%s].[%s]", t->schema, t->name);
			engine_table_free(t);
			engine_exec_internal(s, sql, NULL, 0);
		}
		ok = create_view(s, st, i + 3, to);
	}
	else if (word_is(st, i, "SCHEMA"))
		ok = create_schema(s, st, i + 1);
	else if (word_is(st, i, "DATABASE"))
		ok = create_database(s, st, i + 1);
	else if (word_is(st, i, "INDEX") || word_is(st, i, "UNIQUE") || word_is(st, i, "CLUSTERED") ||
			 word_is(st, i, "NONCLUSTERED"))
		ok = create_index(s, st, i, to);
	else
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		ok = false;
	}
	engine_done(s, SIM_CMD_OTHER, false, 0);
	return ok;
}

/* ------------------------------------------------------------------------
 * DROP
 * ------------------------------------------------------------------------
 */

/*
 * DROP TABLE|VIEW [IF EXISTS] name[, name...]: each in its own statement
 * transaction, after the DROPPING hooks (tables).
 */
static bool
drop_relation(SimSession *s, const EngineStmt *st, int i, int to, bool is_view)
{
	bool		if_exists = false;
	bool		ok = true;

	if (word_is(st, i, "IF") && word_is(st, i + 1, "EXISTS"))
	{
		if_exists = true;
		i += 2;
	}
	while (i < to && ok)
	{
		char		db[ENGINE_NAME_LEN],
					schema[ENGINE_NAME_LEN],
					name[ENGINE_NAME_LEN];
		int			start = i;
		EngineTable *t;
		char		sql[ENGINE_NAME_LEN * 3];

		if (op_is(st, i, ";"))
			break;
		if (st->tok[i].type == TK_TEMP && !is_view)
		{
			if (!engine_temp_drop(s, st->tok[i].text) && !if_exists)
			{
				engine_error(s, 3701, "Cannot drop the table '%s', because it does not exist or you do not have permission.",
							 st->tok[i].text);
				ok = false;
			}
			i++;
			if (op_is(st, i, ","))
			{
				i++;
				continue;
			}
			break;
		}
		if (!engine_parse_name_tokens(st, &i, db, schema, name, sizeof(name)))
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
			return false;
		}
		t = engine_table_lookup(s, schema, name);
		if (t == NULL || (t->type[0] == 'V') != is_view)
		{
			if (!if_exists)
			{
				char	   *txt = engine_tok_text(st, start, i);

				engine_error(s, 3701, "Cannot drop the %s '%s', because it does not exist or you do not have permission.",
							 is_view ? "view" : "table", txt);
				free(txt);
				ok = false;
			}
			engine_table_free(t);
		}
		else
		{
			if (!engine_stmt_begin(s))
			{
				engine_table_free(t);
				return false;
			}
			ok = is_view || td_ddl_hook(s, ENGINE_DDL_TABLE_DROPPING, t->object_id, NULL);
			if (ok)
			{
				EngineBuf	b;

				ebuf_init(&b);
				ebuf_append(&b, is_view ? "DROP VIEW main." : "DROP TABLE main.");
				ebuf_append_ident(&b, t->sqlite_name);
				ok = td_exec_sql(s, b.data) && td_delete_catalog(s, t->object_id, false);
				ebuf_free(&b);
			}
			if (ok)
				engine_catalog_bump(s);
			engine_stmt_end(s, ok);
			(void) sql;
			engine_table_free(t);
		}
		if (op_is(st, i, ","))
			i++;
		else
			break;
	}
	return ok;
}

/*
 * DROP SCHEMA [IF EXISTS] name: only an empty, user-created schema.
 */
static bool
drop_schema(SimSession *s, const EngineStmt *st, int i)
{
	int			sid;
	bool		if_exists = false;
	sqlite3_stmt *stmt;
	bool		ok;
	char		sql[128];

	if (word_is(st, i, "IF") && word_is(st, i + 1, "EXISTS"))
	{
		if_exists = true;
		i += 2;
	}
	sid = engine_schema_id(s, st->tok[i].text);
	if (sid < 0)
	{
		if (!if_exists)
			engine_error(s, 3701, "Cannot drop the schema '%s', because it does not exist or you do not have permission.",
						 st->tok[i].text);
		return if_exists;
	}
	if (sid <= 4 || sid >= 16384)
	{
		engine_error(s, 15150, "Cannot drop the schema '%s'.", st->tok[i].text);
		return false;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT name FROM main.__sim_objects WHERE schema_id = ?1 LIMIT 1",
						   -1, &stmt, NULL) == SQLITE_OK)
	{
		sqlite3_bind_int(stmt, 1, sid);
		if (sqlite3_step(stmt) == SQLITE_ROW)
		{
			engine_error(s, 3729, "Cannot drop schema '%s' because it is being referenced by object '%s'.",
						 st->tok[i].text, (const char *) sqlite3_column_text(stmt, 0));
			sqlite3_finalize(stmt);
			return false;
		}
		sqlite3_finalize(stmt);
	}
	if (!engine_stmt_begin(s))
		return false;
	snprintf(sql, sizeof(sql), "DELETE FROM main.__sim_schemas WHERE schema_id = %d", sid);
	ok = td_exec_sql(s, sql);
	if (ok)
		engine_catalog_bump(s);
	engine_stmt_end(s, ok);
	return ok;
}

/*
 * DROP DATABASE [IF EXISTS] name: not the current one nor master; removes
 * its row in master and its files.
 */
static bool
drop_database(SimSession *s, const EngineStmt *st, int i)
{
	char		canon[ENGINE_NAME_LEN];
	char		sql[256];
	char		path[4096];
	bool		if_exists = false;

	if (word_is(st, i, "IF") && word_is(st, i + 1, "EXISTS"))
	{
		if_exists = true;
		i += 2;
	}
	if (!engine_database_exists(st->tok[i].text, canon, sizeof(canon)))
	{
		if (!if_exists)
			engine_error(s, 3701, "Cannot drop the database '%s', because it does not exist or you do not have permission.",
						 st->tok[i].text);
		return if_exists;
	}
	if (engine_strcasecmp(canon, s->dbname) == 0 || engine_strcasecmp(canon, "master") == 0)
	{
		engine_error(s, 3702, "Cannot drop database \"%s\" because it is currently in use.", canon);
		return false;
	}
	engine_detach_database(s, canon);
	{
		EngineBuf	b;
		bool		ok;

		ebuf_init(&b);
		ebuf_printf(&b, "DELETE FROM %s.__sim_databases WHERE name = ", s->master_schema);
		ebuf_append_literal(&b, canon);
		ok = td_exec_sql(s, b.data);
		ebuf_free(&b);
		if (!ok)
			return false;
	}
	(void) sql;
	{
		char		lower[ENGINE_NAME_LEN];
		size_t		k;

		for (k = 0; canon[k] && k < sizeof(lower) - 1; k++)
			lower[k] = (char) tolower((unsigned char) canon[k]);
		lower[k] = '\0';
		snprintf(path, sizeof(path), "%s/%s.db", engine_data_dir(), lower);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s.db-wal", engine_data_dir(), lower);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s.db-shm", engine_data_dir(), lower);
		unlink(path);
	}
	return true;
}

/*
 * DROP INDEX name ON table (not a constraint's index).
 */
static bool
drop_index(SimSession *s, const EngineStmt *st, int i)
{
	const char *iname = st->tok[i].text;
	char		db[ENGINE_NAME_LEN],
				schema[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];
	EngineTable *t;
	bool		ok;
	EngineBuf	b;
	char		sql[256];
	int			index_id = -1;
	sqlite3_stmt *stmt;

	if (word_is(st, i, "IF") && word_is(st, i + 1, "EXISTS"))
	{
		i += 2;
		iname = st->tok[i].text;
	}
	i++;
	if (!word_is(st, i, "ON"))
	{
		engine_error(s, 159, "Must specify the table name and index name for the DROP INDEX statement.");
		return false;
	}
	i++;
	if (st->tok[i].type == TK_TEMP)
	{
		EngineTempTable *tt = engine_temp_find(s, st->tok[i].text);

		if (tt == NULL)
		{
			engine_error(s, 3701, "Cannot drop the index '%s.%s', because it does not exist or you do not have permission.",
						 st->tok[i].text, iname);
			return false;
		}
		return engine_temp_drop_index(s, tt, iname);
	}
	if (!engine_parse_name_tokens(st, &i, db, schema, name, sizeof(name)) ||
		(t = engine_table_lookup(s, schema, name)) == NULL)
	{
		engine_error(s, 3701, "Cannot drop the index '%s.%s', because it does not exist or you do not have permission.",
					 name, iname);
		return false;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT index_id FROM main.__sim_indexes WHERE object_id = ?1 AND name = ?2"
						   " AND constraint_object_id IS NULL", -1, &stmt, NULL) == SQLITE_OK)
	{
		sqlite3_bind_int64(stmt, 1, t->object_id);
		sqlite3_bind_text(stmt, 2, iname, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			index_id = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
	}
	if (index_id < 0)
	{
		engine_error(s, 3701, "Cannot drop the index '%s.%s', because it does not exist or you do not have permission.",
					 t->name, iname);
		engine_table_free(t);
		return false;
	}
	if (!engine_stmt_begin(s))
	{
		engine_table_free(t);
		return false;
	}
	ebuf_init(&b);
	ebuf_append(&b, "DROP INDEX main.");
	{
		char		full[ENGINE_NAME_LEN * 3];

		snprintf(full, sizeof(full), "%s.%s", t->sqlite_name, iname);
		ebuf_append_ident(&b, full);
	}
	ok = td_exec_sql(s, b.data);
	ebuf_free(&b);
	snprintf(sql, sizeof(sql), "DELETE FROM main.__sim_indexes WHERE object_id = %lld AND index_id = %d;"
			 "DELETE FROM main.__sim_index_columns WHERE object_id = %lld AND index_id = %d;",
			 (long long) t->object_id, index_id, (long long) t->object_id, index_id);
	ok = ok && td_exec_sql(s, sql);
	if (ok)
		engine_catalog_bump(s);
	engine_stmt_end(s, ok);
	engine_table_free(t);
	return ok;
}

/*
 * DROP TABLE / VIEW / SCHEMA / DATABASE / INDEX [from, to); sends the DONE.
 */
bool
engine_exec_drop(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			i = from + 1;
	bool		ok;

	s->cur_cmd = SIM_CMD_OTHER;
	if (word_is(st, i, "TABLE"))
		ok = drop_relation(s, st, i + 1, to, false);
	else if (word_is(st, i, "VIEW"))
		ok = drop_relation(s, st, i + 1, to, true);
	else if (word_is(st, i, "SCHEMA"))
		ok = drop_schema(s, st, i + 1);
	else if (word_is(st, i, "DATABASE"))
		ok = drop_database(s, st, i + 1);
	else if (word_is(st, i, "INDEX"))
		ok = drop_index(s, st, i + 1);
	else
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		ok = false;
	}
	engine_done(s, SIM_CMD_OTHER, false, 0);
	return ok;
}

/* ------------------------------------------------------------------------
 * ALTER TABLE (rebuild) and TRUNCATE
 * ------------------------------------------------------------------------
 */
