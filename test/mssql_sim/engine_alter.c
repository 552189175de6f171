/*
 * engine_alter.c
 *		ALTER TABLE (ADD/DROP/ALTER COLUMN, ADD/DROP CONSTRAINT) by rebuilding
 *		the SQLite table from the changed definition, and TRUNCATE TABLE.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_tokens.h"
#include "engine_catalog.h"
#include "engine_tabledef.h"

/*
 * Replace the SQLite table of t by one built from d, copying rows with each
 * column's copy_expr (NULL: default/identity/NULL), then rewrite the
 * catalog rows.  Runs inside the caller's statement transaction.
 */
static bool
rebuild_table(SimSession *s, EngineTable *t, TableDef *d)
{
	char		tmpname[ENGINE_NAME_LEN * 2 + 16];
	EngineBuf	b;
	int			i;
	bool		ok;
	int			sid = engine_schema_id(s, t->schema);
	int64_t		ident_next = 0;
	bool		has_rows = false;

	snprintf(tmpname, sizeof(tmpname), "%s__sim_rebuild", t->sqlite_name);
	ebuf_init(&b);
	td_build_create_sql(d, tmpname, &b);
	ok = td_exec_sql(s, b.data);
	ebuf_reset(&b);
	{
		sqlite3_stmt *stmt;

		ebuf_append(&b, "SELECT 1 FROM main.");
		ebuf_append_ident(&b, t->sqlite_name);
		ebuf_append(&b, " LIMIT 1");
		if (sqlite3_prepare_v2(s->db, b.data, -1, &stmt, NULL) == SQLITE_OK)
		{
			has_rows = sqlite3_step(stmt) == SQLITE_ROW;
			sqlite3_finalize(stmt);
		}
		ebuf_reset(&b);
	}
	if (ok)
	{
		ebuf_append(&b, "INSERT INTO main.");
		ebuf_append_ident(&b, tmpname);
		ebuf_append(&b, " (rowid");
		for (i = 0; i < d->ncols; i++)
		{
			ebuf_append(&b, ", ");
			ebuf_append_ident(&b, d->cols[i].c.name);
		}
		ebuf_append(&b, ") SELECT rowid");
		for (i = 0; i < d->ncols; i++)
		{
			ColDef	   *cd = &d->cols[i];

			ebuf_append(&b, ", ");
			if (cd->copy_expr)
				ebuf_append(&b, cd->copy_expr);
			else if (cd->c.identity)
			{
				ebuf_printf(&b, "%lld + (row_number() OVER (ORDER BY rowid) - 1) * %lld",
							(long long) cd->c.ident_seed, (long long) cd->c.ident_incr);
				ident_next = 1;
			}
			else if (cd->c.rowversion)
				ebuf_append(&b, "__sim_rowversion()");
			else if (cd->c.default_sql)
			{
				EngineLexed lx;
				int			errnum;
				char		err[256];
				EngineBuf	eb;

				ebuf_init(&eb);
				if (engine_lex(cd->c.default_sql, &lx, &errnum, err, sizeof(err)))
				{
					EngineStmt	dst = {cd->c.default_sql, lx.tok, lx.ntok};

					engine_translate_expr(s, &dst, 0, lx.ntok, &eb, NULL);
					engine_lex_free(&lx);
				}
				ebuf_printf(&b, "__sim_cv((%s), %d, %d, %d, %d, 0)", eb.len ? eb.data : "NULL",
							(int) cd->c.type.id, cd->c.type.length, cd->c.type.precision,
							cd->c.type.scale);
				ebuf_free(&eb);
			}
			else
			{
				if (!cd->c.nullable && has_rows)
				{
					engine_error(s, 4901, "ALTER TABLE only allows columns to be added that can contain nulls, or have a DEFAULT definition specified, or the column being added is an identity or timestamp column, or alternatively if none of the previous conditions are satisfied the table must be empty to allow addition of this column. Column '%s' cannot be added to non-empty table '%s' because it does not satisfy these conditions.",
								 cd->c.name, t->name);
					ebuf_free(&b);
					return false;
				}
				ebuf_append(&b, "NULL");
			}
		}
		ebuf_append(&b, " FROM main.");
		ebuf_append_ident(&b, t->sqlite_name);
		ok = td_exec_sql(s, b.data);
	}
	if (ok)
	{
		ebuf_reset(&b);
		ebuf_append(&b, "PRAGMA legacy_alter_table = ON; DROP TABLE main.");
		ebuf_append_ident(&b, t->sqlite_name);
		ebuf_append(&b, "; ALTER TABLE main.");
		ebuf_append_ident(&b, tmpname);
		ebuf_append(&b, " RENAME TO ");
		ebuf_append_ident(&b, t->sqlite_name);
		ebuf_append(&b, "; PRAGMA legacy_alter_table = OFF;");
		ok = td_exec_sql(s, b.data);
		sqlite3_exec(s->db, "PRAGMA legacy_alter_table = OFF", NULL, NULL, NULL);
	}
	ok = ok && td_create_plain_indexes(s, d, t->sqlite_name, -1);
	ok = ok && td_delete_catalog(s, t->object_id, true) && td_write_catalog(s, d, t->object_id, sid);
	if (ok && ident_next)
	{
		char		sql[256];

		snprintf(sql, sizeof(sql), "DELETE FROM main.__sim_identity WHERE object_id = %lld",
				 (long long) t->object_id);
		ok = td_exec_sql(s, sql);
		engine_identity_forget(s->db, t->object_id);
	}
	ebuf_free(&b);
	return ok;
}

/*
 * ALTER TABLE name ADD ... | DROP COLUMN ... | ALTER COLUMN ... | DROP
 * CONSTRAINT ...: change the definition read from the catalog, rebuild,
 * then the ALTERED hooks (with the column name as detail).
 */
static bool
alter_table(SimSession *s, const EngineStmt *st, int i, int to)
{
	char		db[ENGINE_NAME_LEN],
				schema[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];
	int			start = i;
	EngineTable *t;
	TableDef   *d;
	bool		ok = false;
	char		detail[ENGINE_NAME_LEN] = "";
	int			end = to;

	while (end > i && op_is(st, end - 1, ";"))
		end--;
	if (st->tok[i].type == TK_TEMP)
	{
		engine_error(s, 4902, "ALTER TABLE on temporary tables is not supported by this stand-in (\"%s\").",
					 st->tok[i].text);
		return false;
	}
	if (!engine_parse_name_tokens(st, &i, db, schema, name, sizeof(name)) ||
		(t = engine_table_lookup(s, schema, name)) == NULL || t->type[0] != 'U')
	{
		char	   *txt = engine_tok_text(st, start, i);

		engine_error(s, 4902, "Cannot find the object \"%s\" because it does not exist or you do not have permissions.", txt);
		free(txt);
		return false;
	}
	d = td_from_catalog(s, t);
	if (word_is(st, i, "ADD"))
	{
		i++;
		while (i < end)
		{
			if (word_is(st, i, "CONSTRAINT") || word_is(st, i, "PRIMARY") || word_is(st, i, "UNIQUE") ||
				word_is(st, i, "FOREIGN") || word_is(st, i, "CHECK"))
			{
				i = td_parse_table_constraint(s, st, i, end, d);
				if (i < 0)
					goto out;
				{
					KeyDef	   *k = &d->keys[d->nkeys - 1];
					int			c;

					for (c = 0; k->primary && c < k->ncols; c++)
					{
						if (d->cols[k->cols[c]].c.nullable)
						{
							engine_error(s, 8111, "Cannot define PRIMARY KEY constraint on nullable column in table '%s'.", t->name);
							engine_error(s, 1750, "Could not create constraint or index. See previous errors.");
							goto out;
						}
					}
				}
			}
			else
			{
				bool		en;

				if (td_find_col(d, st->tok[i].text) >= 0)
				{
					engine_error(s, 2705, "Column names in each table must be unique. Column name '%s' in table '%s' is specified more than once.",
								 st->tok[i].text, t->name);
					goto out;
				}
				snprintf(detail, sizeof(detail), "%s", st->tok[i].text);
				i = td_parse_column_def(s, st, i, end, d, &en);
				if (i < 0)
					goto out;
				d->cols[d->ncols - 1].copy_expr = NULL;
			}
			if (op_is(st, i, ","))
				i++;
			else
				break;
		}
	}
	else if (word_is(st, i, "DROP") && word_is(st, i + 1, "COLUMN"))
	{
		i += 2;
		if (word_is(st, i, "IF") && word_is(st, i + 1, "EXISTS"))
			i += 2;
		while (i < end)
		{
			int			c = td_find_col(d, st->tok[i].text);
			int			k,
						kk;

			if (c < 0)
			{
				engine_error(s, 4924, "ALTER TABLE DROP COLUMN failed because column '%s' does not exist in table '%s'.",
							 st->tok[i].text, t->name);
				goto out;
			}
			for (k = 0; k < d->nkeys; k++)
				for (kk = 0; kk < d->keys[k].ncols; kk++)
					if (d->keys[k].cols[kk] == c)
					{
						engine_error(s, 5074, "The object '%s' is dependent on column '%s'.",
									 d->keys[k].name, st->tok[i].text);
						engine_error(s, 4922, "ALTER TABLE DROP COLUMN %s failed because one or more objects access this column.",
									 st->tok[i].text);
						goto out;
					}
			snprintf(detail, sizeof(detail), "%s", d->cols[c].c.name);
			free(d->cols[c].c.name);
			free(d->cols[c].c.default_sql);
			free(d->cols[c].default_name);
			free(d->cols[c].copy_expr);
			memmove(&d->cols[c], &d->cols[c + 1], sizeof(ColDef) * (size_t) (d->ncols - c - 1));
			d->ncols--;
			for (k = 0; k < d->nkeys; k++)
				for (kk = 0; kk < d->keys[k].ncols; kk++)
					if (d->keys[k].cols[kk] > c)
						d->keys[k].cols[kk]--;
			i++;
			if (op_is(st, i, ","))
				i++;
			else
				break;
		}
	}
	else if (word_is(st, i, "ALTER") && word_is(st, i + 1, "COLUMN"))
	{
		int			c = td_find_col(d, st->tok[i + 2].text);
		int			tstart = i + 3,
					j;
		char	   *typetext;
		char		err[256];
		SimType		nt;
		SimTypeId	oldid;
		ColDef	   *cd;
		EngineBuf	eb;

		if (c < 0)
		{
			engine_error(s, 4924, "ALTER TABLE ALTER COLUMN failed because column '%s' does not exist in table '%s'.",
						 st->tok[i + 2].text, t->name);
			goto out;
		}
		cd = &d->cols[c];
		j = tstart + 1;
		if (op_is(st, j, "("))
			j = engine_skip_parens(st, j);
		typetext = engine_tok_text(st, tstart, j);
		if (!sim_type_parse(typetext, &nt, err, sizeof(err)))
		{
			engine_error(s, 2715, "Column, parameter, or variable #%d: Cannot find data type %s.", c + 1, typetext);
			free(typetext);
			goto out;
		}
		free(typetext);
		oldid = cd->c.type.id;
		cd->c.type = nt;
		if (word_is(st, j, "NOT") && word_is(st, j + 1, "NULL"))
			cd->c.nullable = false;
		else if (word_is(st, j, "NULL"))
			cd->c.nullable = true;
		else
			cd->c.nullable = true;	/* ALTER COLUMN without NOT NULL makes it nullable */
		{
			int			k,
						kk;

			for (k = 0; k < d->nkeys; k++)
				for (kk = 0; kk < d->keys[k].ncols; kk++)
					if (d->keys[k].cols[kk] == c && d->keys[k].primary)
						cd->c.nullable = false;
		}
		ebuf_init(&eb);
		ebuf_append(&eb, "__sim_cv(");
		ebuf_append_ident(&eb, cd->c.name);
		ebuf_printf(&eb, ", %d, %d, %d, %d, %d)", (int) nt.id, nt.length, nt.precision, nt.scale,
					engine_type_src_flags(&(SimType) {oldid, 0, 0, 0}));
		free(cd->copy_expr);
		cd->copy_expr = eb.data;
		snprintf(detail, sizeof(detail), "%s", cd->c.name);
	}
	else if (word_is(st, i, "DROP") && (word_is(st, i + 1, "CONSTRAINT") || is_name_tok(st, i + 1)))
	{
		const char *cname = word_is(st, i + 1, "CONSTRAINT") ? st->tok[i + 2].text : st->tok[i + 1].text;
		int			k,
					c;
		bool		found = false;

		if (word_is(st, i + 1, "CONSTRAINT") && word_is(st, i + 2, "IF") && word_is(st, i + 3, "EXISTS"))
			cname = st->tok[i + 4].text;
		for (k = 0; k < d->nkeys; k++)
			if (d->keys[k].constraint && engine_strcasecmp(d->keys[k].name, cname) == 0)
			{
				memmove(&d->keys[k], &d->keys[k + 1], sizeof(KeyDef) * (size_t) (d->nkeys - k - 1));
				d->nkeys--;
				found = true;
				break;
			}
		for (c = 0; !found && c < d->ncols; c++)
			if (d->cols[c].default_name && engine_strcasecmp(d->cols[c].default_name, cname) == 0)
			{
				free(d->cols[c].c.default_sql);
				d->cols[c].c.default_sql = NULL;
				found = true;
			}
		if (!found)
		{
			/* system-named defaults are looked up in the catalog */
			sqlite3_stmt *stmt;

			if (sqlite3_prepare_v2(s->db, "SELECT c.name FROM main.__sim_columns c JOIN main.__sim_objects o"
								   " ON o.object_id = c.default_object_id WHERE c.object_id = ?1"
								   " AND o.name = ?2", -1, &stmt, NULL) == SQLITE_OK)
			{
				sqlite3_bind_int64(stmt, 1, t->object_id);
				sqlite3_bind_text(stmt, 2, cname, -1, SQLITE_STATIC);
				if (sqlite3_step(stmt) == SQLITE_ROW)
				{
					c = td_find_col(d, (const char *) sqlite3_column_text(stmt, 0));
					if (c >= 0)
					{
						free(d->cols[c].c.default_sql);
						d->cols[c].c.default_sql = NULL;
						found = true;
					}
				}
				sqlite3_finalize(stmt);
			}
		}
		if (!found)
		{
			engine_error(s, 3728, "'%s' is not a constraint.", cname);
			engine_error(s, 3727, "Could not drop constraint. See previous errors.");
			goto out;
		}
	}
	else
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		goto out;
	}
	if (!engine_stmt_begin(s))
		goto out;
	ok = rebuild_table(s, t, d);
	if (ok)
	{
		engine_catalog_bump(s);
		ok = td_ddl_hook(s, ENGINE_DDL_TABLE_ALTERED, t->object_id, detail[0] ? detail : NULL);
	}
	engine_stmt_end(s, ok);
out:
	engine_table_free(t);
	td_free(d);
	return ok;
}

bool
engine_exec_alter(SimSession *s, const EngineStmt *st, int from, int to)
{
	bool		ok;

	s->cur_cmd = SIM_CMD_OTHER;
	if (word_is(st, from + 1, "TABLE"))
		ok = alter_table(s, st, from + 2, to);
	else if (word_is(st, from + 1, "DATABASE"))
		ok = true;				/* SET options without a registered handler: accepted */
	else
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[from + 1].text);
		ok = false;
	}
	engine_done(s, SIM_CMD_OTHER, false, 0);
	return ok;
}

/*
 * TRUNCATE TABLE name: the TRUNCATING hooks, delete every row, reset the
 * identity.  Sends DONE.
 */
bool
engine_exec_truncate(SimSession *s, const EngineStmt *st, int from, int to)
{
	int			i = from + 1;
	char		db[ENGINE_NAME_LEN],
				schema[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];
	EngineTable *t;
	bool		ok = false;

	(void) to;
	s->cur_cmd = SIM_CMD_OTHER;
	if (word_is(st, i, "TABLE"))
		i++;
	if (st->tok[i].type == TK_TEMP)
	{
		EngineTempTable *tt = engine_temp_find(s, st->tok[i].text);

		if (tt == NULL)
			engine_error(s, 4701, "Cannot find the object \"%s\" because it does not exist or you do not have permissions.",
						 st->tok[i].text);
		else
		{
			EngineBuf	b;

			ebuf_init(&b);
			ebuf_append(&b, "DELETE FROM temp.");
			ebuf_append_ident(&b, tt->table->sqlite_name);
			ok = td_exec_sql(s, b.data);
			ebuf_free(&b);
			tt->ident_have = false;
		}
		engine_done(s, SIM_CMD_OTHER, false, 0);
		return ok;
	}
	if (!engine_parse_name_tokens(st, &i, db, schema, name, sizeof(name)) ||
		(t = engine_table_lookup(s, schema, name)) == NULL || t->type[0] != 'U')
	{
		engine_error(s, 4701, "Cannot find the object \"%s\" because it does not exist or you do not have permissions.",
					 name);
		engine_done(s, SIM_CMD_OTHER, false, 0);
		return false;
	}
	if (engine_stmt_begin(s))
	{
		ok = td_ddl_hook(s, ENGINE_DDL_TABLE_TRUNCATING, t->object_id, NULL);
		if (ok)
		{
			EngineBuf	b;
			char		sql[128];

			ebuf_init(&b);
			ebuf_append(&b, "DELETE FROM main.");
			ebuf_append_ident(&b, t->sqlite_name);
			ok = td_exec_sql(s, b.data);
			ebuf_free(&b);
			snprintf(sql, sizeof(sql), "DELETE FROM main.__sim_identity WHERE object_id = %lld",
					 (long long) t->object_id);
			ok = ok && td_exec_sql(s, sql);
			/* TRUNCATE TABLE starts the identity over at the seed */
			engine_identity_forget(s->db, t->object_id);
		}
		engine_stmt_end(s, ok);
	}
	engine_table_free(t);
	engine_done(s, SIM_CMD_OTHER, false, 0);
	return ok;
}
