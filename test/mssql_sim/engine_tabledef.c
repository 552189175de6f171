/*
 * engine_tabledef.c
 *		Table definitions for DDL: parsing column and constraint lists into a
 *		TableDef, the SQLite CREATE TABLE/INDEX text for one, and its rows in
 *		the __sim_* catalog (written, deleted, read back for ALTER TABLE).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_tokens.h"
#include "engine_catalog.h"
#include "engine_tabledef.h"

void
td_free(TableDef *d)
{
	int			i;

	for (i = 0; i < d->ncols; i++)
	{
		free(d->cols[i].c.name);
		free(d->cols[i].c.default_sql);
		free(d->cols[i].default_name);
		free(d->cols[i].copy_expr);
	}
	free(d);
}

int
td_find_col(TableDef *d, const char *name)
{
	int			i;

	for (i = 0; i < d->ncols; i++)
		if (engine_strcasecmp(d->cols[i].c.name, name) == 0)
			return i;
	return -1;
}

bool
td_exec_sql(SimSession *s, const char *sql)
{
	int			rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
	{
		engine_error_sqlite(s, rc);
		return false;
	}
	return true;
}

static char *
hex_suffix(int64_t seed, int digits, char *buf)
{
	uint64_t	h = (uint64_t) seed * 0x9E3779B97F4A7C15ULL;

	h ^= h >> 29;
	snprintf(buf, 24, "%016llX", (unsigned long long) h);
	buf[digits] = '\0';
	return buf;
}

/* "(expr)" as SQL Server stores a default: numbers get two parentheses. */
static char *
default_definition(const char *expr)
{
	EngineBuf	b;
	const char *p = expr;
	bool		number = true;

	while (*p == '(' || *p == ' ')
		p++;
	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char) *p))
		number = false;
	for (; *p && number; p++)
		if (!isdigit((unsigned char) *p) && *p != '.' && *p != ')' && *p != ' ')
			number = false;
	ebuf_init(&b);
	while (*expr == ' ')
		expr++;
	if (expr[0] == '(' && engine_strcasecmp(expr + strlen(expr) - 1, ")") == 0)
		ebuf_printf(&b, "%s%s%s", number ? "(" : "", expr, number ? ")" : "");
	else
		ebuf_printf(&b, "%s%s%s", number ? "((" : "(", expr, number ? "))" : ")");
	return b.data;
}

/* ------------------------------------------------------------------------
 * Parsing CREATE TABLE elements
 * ------------------------------------------------------------------------
 */

/* Parse "(col [ASC|DESC], ...)" at i into k; returns next i or -1. */
int
td_parse_key_cols(SimSession *s, const EngineStmt *st, int i, TableDef *d, KeyDef *k)
{
	int			close;

	if (!op_is(st, i, "("))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		return -1;
	}
	close = engine_skip_parens(st, i) - 1;
	for (i = i + 1; i < close; i++)
	{
		int			c;

		if (op_is(st, i, ","))
			continue;
		c = td_find_col(d, st->tok[i].text);
		if (c < 0)
		{
			engine_error(s, 1911, "Column name '%s' does not exist in the target table or view.",
						 st->tok[i].text);
			return -1;
		}
		if (k->ncols < MAX_KEYCOLS)
		{
			k->cols[k->ncols] = c;
			k->desc[k->ncols] = false;
			if (word_is(st, i + 1, "DESC"))
			{
				k->desc[k->ncols] = true;
				i++;
			}
			else if (word_is(st, i + 1, "ASC"))
				i++;
			k->ncols++;
		}
	}
	i = close + 1;
	/* WITH (...), ON [PRIMARY] */
	if (word_is(st, i, "WITH") && op_is(st, i + 1, "("))
		i = engine_skip_parens(st, i + 1);
	if (word_is(st, i, "ON") && is_name_tok(st, i + 1))
		i += 2;
	return i;
}

/*
 * Add a key (PRIMARY KEY or UNIQUE) to d; NULL after 8110 (second primary key).
 */
KeyDef *
td_new_key(SimSession *s, TableDef *d, const char *cname, bool primary)
{
	KeyDef	   *k;
	int			i;

	if (primary)
		for (i = 0; i < d->nkeys; i++)
			if (d->keys[i].primary)
			{
				engine_error(s, 8110, "Cannot add multiple PRIMARY KEY constraints to table '%s'.",
							 d->name);
				return NULL;
			}
	if (d->nkeys >= MAX_KEYS)
	{
		engine_error(s, 1910, "Could not create nonclustered index because it exceeds the maximum.");
		return NULL;
	}
	k = &d->keys[d->nkeys++];
	memset(k, 0, sizeof(*k));
	k->primary = primary;
	k->constraint = true;
	k->clustered = primary;
	if (cname)
		snprintf(k->name, sizeof(k->name), "%s", cname);
	else
		k->system_named = true;
	return k;
}

/*
 * An optional CLUSTERED or NONCLUSTERED at token i sets k->clustered (else
 * it keeps td_new_key's default); returns the index after it.
 */
static int
parse_clustering(const EngineStmt *st, int i, KeyDef *k)
{
	if (word_is(st, i, "CLUSTERED"))
	{
		k->clustered = true;
		i++;
	}
	else if (word_is(st, i, "NONCLUSTERED"))
	{
		k->clustered = false;
		i++;
	}
	return i;
}

/* [CONSTRAINT n] PRIMARY KEY|UNIQUE [CLUSTERED|NONCLUSTERED] (cols) | FOREIGN KEY | CHECK */
int
td_parse_table_constraint(SimSession *s, const EngineStmt *st, int i, int end, TableDef *d)
{
	const char *cname = NULL;
	KeyDef	   *k;

	if (word_is(st, i, "CONSTRAINT"))
	{
		cname = st->tok[i + 1].text;
		i += 2;
	}
	if (word_is(st, i, "PRIMARY") || word_is(st, i, "UNIQUE"))
	{
		bool		primary = word_is(st, i, "PRIMARY");

		i += primary ? 2 : 1;
		k = td_new_key(s, d, cname, primary);
		if (k == NULL)
			return -1;
		i = parse_clustering(st, i, k);
		return td_parse_key_cols(s, st, i, d, k);
	}
	/* FOREIGN KEY, CHECK, INDEX: accepted, not enforced */
	while (i < end && !op_is(st, i, ","))
	{
		if (op_is(st, i, "("))
			i = engine_skip_parens(st, i);
		else
			i++;
	}
	return i;
}

/* name type [NULL|NOT NULL|IDENTITY|DEFAULT|PRIMARY KEY|UNIQUE|...]* */
int
td_parse_column_def(SimSession *s, const EngineStmt *st, int i, int end, TableDef *d, bool *explicit_null)
{
	ColDef	   *cd;
	int			tstart;
	char	   *typetext;
	char		err[256];

	if (d->ncols >= MAX_COLS)
	{
		engine_error(s, 1702, "CREATE TABLE failed because column '%s' in table '%s' exceeds the maximum of 1024 columns.",
					 st->tok[i].text, d->name);
		return -1;
	}
	if (td_find_col(d, st->tok[i].text) >= 0)
	{
		engine_error(s, 2705, "Column names in each table must be unique. Column name '%s' in table '%s' is specified more than once.",
					 st->tok[i].text, d->name);
		return -1;
	}
	cd = &d->cols[d->ncols];
	memset(cd, 0, sizeof(*cd));
	cd->c.name = estrdup(st->tok[i].text);
	cd->c.nullable = true;
	*explicit_null = false;
	i++;
	if (word_is(st, i, "AS"))
	{
		engine_error(s, 1759, "Computed columns are not supported by this stand-in (column '%s').",
					 cd->c.name);
		free(cd->c.name);
		return -1;
	}
	tstart = i;
	if (i < end && (st->tok[i].type == TK_WORD || st->tok[i].type == TK_QIDENT))
		i++;
	if (op_is(st, i, "("))
		i = engine_skip_parens(st, i);
	typetext = engine_tok_text(st, tstart, i);
	if (i == tstart || !sim_type_parse(typetext, &cd->c.type, err, sizeof(err)))
	{
		if (i > tstart && strstr(err, "Cannot find data type"))
			engine_error(s, 2715, "Column, parameter, or variable #%d: Cannot find data type %s.",
						 d->ncols + 1, st->tok[tstart].text);
		else if (i > tstart && strstr(err, "exceeds the maximum"))
			engine_error(s, 131, "The size given to the column '%s' exceeds the maximum allowed for any data type (8000).",
						 cd->c.name);
		else if (i > tstart && strstr(err, "precision"))
			engine_error(s, 2750, "Column or parameter #%d: Specified column precision is greater than the maximum precision of 38.",
						 d->ncols + 1);
		else if (i > tstart && !strstr(err, "Incorrect syntax"))
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i - 1].text);
		else
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i > tstart ? i - 1 : i].text);
		free(typetext);
		free(cd->c.name);
		return -1;
	}
	free(typetext);
	cd->c.rowversion = cd->c.type.id == SIM_ROWVERSION;
	if (cd->c.rowversion)
		cd->c.nullable = false;
	d->ncols++;
	while (i < end && !op_is(st, i, ","))
	{
		const char *cname = NULL;

		if (word_is(st, i, "CONSTRAINT"))
		{
			cname = st->tok[i + 1].text;
			i += 2;
		}
		if (word_is(st, i, "NOT") && word_is(st, i + 1, "NULL"))
		{
			cd->c.nullable = false;
			i += 2;
		}
		else if (word_is(st, i, "NULL"))
		{
			cd->c.nullable = true;
			*explicit_null = true;
			i++;
		}
		else if (word_is(st, i, "IDENTITY"))
		{
			cd->c.identity = true;
			cd->c.ident_seed = 1;
			cd->c.ident_incr = 1;
			cd->c.nullable = false;
			i++;
			if (op_is(st, i, "("))
			{
				int			close = engine_skip_parens(st, i);
				int			k = i + 1;
				int64_t		v[2] = {1, 1};
				int			nv = 0;

				while (k < close - 1 && nv < 2)
				{
					bool		neg = false;

					if (op_is(st, k, "-"))
					{
						neg = true;
						k++;
					}
					v[nv++] = (neg ? -1 : 1) * strtoll(st->tok[k].text, NULL, 10);
					k++;
					if (op_is(st, k, ","))
						k++;
				}
				cd->c.ident_seed = v[0];
				cd->c.ident_incr = v[1];
				i = close;
			}
			switch (cd->c.type.id)
			{
				case SIM_TINYINT:
				case SIM_SMALLINT:
				case SIM_INT:
				case SIM_BIGINT:
					break;
				case SIM_DECIMAL:
				case SIM_NUMERIC:
					if (cd->c.type.scale == 0)
						break;
					/* fall through */
				default:
					engine_error(s, 2749, "Identity column '%s' must be of data type int, bigint, smallint, tinyint, or decimal or numeric with a scale of 0, and constrained to be nonnullable.",
								 cd->c.name);
					return -1;
			}
		}
		else if (word_is(st, i, "DEFAULT"))
		{
			int			k = i + 1,
						depth = 0;

			while (k < end)
			{
				if (op_is(st, k, "("))
					depth++;
				else if (op_is(st, k, ")"))
					depth--;
				else if (depth == 0 && (op_is(st, k, ",") || word_is(st, k, "NOT") ||
										word_is(st, k, "NULL") || word_is(st, k, "PRIMARY") ||
										word_is(st, k, "UNIQUE") || word_is(st, k, "CONSTRAINT") ||
										word_is(st, k, "IDENTITY") || word_is(st, k, "CHECK") ||
										word_is(st, k, "REFERENCES") || word_is(st, k, "COLLATE")))
					break;
				k++;
			}
			free(cd->c.default_sql);
			cd->c.default_sql = engine_tok_text(st, i + 1, k);
			if (cname)
				cd->default_name = estrdup(cname);
			i = k;
		}
		else if (word_is(st, i, "PRIMARY") || word_is(st, i, "UNIQUE"))
		{
			bool		primary = word_is(st, i, "PRIMARY");
			KeyDef	   *k = td_new_key(s, d, cname, primary);

			if (k == NULL)
				return -1;
			i = parse_clustering(st, i + (primary ? 2 : 1), k);
			k->cols[0] = d->ncols - 1;
			k->ncols = 1;
			if (word_is(st, i, "WITH") && op_is(st, i + 1, "("))
				i = engine_skip_parens(st, i + 1);
			if (word_is(st, i, "ON") && is_name_tok(st, i + 1))
				i += 2;
		}
		else if (word_is(st, i, "COLLATE"))
			i += 2;
		else if (word_is(st, i, "CHECK") && op_is(st, i + 1, "("))
			i = engine_skip_parens(st, i + 1);
		else if (word_is(st, i, "REFERENCES") || word_is(st, i, "FOREIGN"))
		{
			i++;
			while (i < end && !op_is(st, i, ",") && !word_is(st, i, "NOT") &&
				   !word_is(st, i, "NULL") && !word_is(st, i, "DEFAULT"))
			{
				if (op_is(st, i, "("))
					i = engine_skip_parens(st, i);
				else
					i++;
			}
		}
		else if (word_is(st, i, "ROWGUIDCOL") || word_is(st, i, "SPARSE") ||
				 word_is(st, i, "FILESTREAM") || word_is(st, i, "PERSISTED"))
			i++;
		else
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
			return -1;
		}
	}
	return i;
}

/* Parse the parenthesised element list of CREATE TABLE starting at '('. */
bool
td_parse_elements(SimSession *s, const EngineStmt *st, int open, TableDef *d)
{
	int			close = engine_skip_parens(st, open) - 1;
	int			i = open + 1;
	bool		explicit_null[MAX_COLS];
	int			k,
				c;

	memset(explicit_null, 0, sizeof(explicit_null));
	while (i < close)
	{
		if (word_is(st, i, "CONSTRAINT") || word_is(st, i, "PRIMARY") ||
			(word_is(st, i, "UNIQUE") && !is_name_tok(st, i + 1)) ||
			(word_is(st, i, "UNIQUE") && (word_is(st, i + 1, "CLUSTERED") || word_is(st, i + 1, "NONCLUSTERED") || op_is(st, i + 1, "("))) ||
			(word_is(st, i, "FOREIGN") && word_is(st, i + 1, "KEY")) ||
			(word_is(st, i, "CHECK") && op_is(st, i + 1, "(")) ||
			(word_is(st, i, "INDEX") && is_name_tok(st, i + 1) && !is_name_tok(st, i + 2)))
			i = td_parse_table_constraint(s, st, i, close, d);
		else if (is_name_tok(st, i))
		{
			bool		en = false;

			i = td_parse_column_def(s, st, i, close, d, &en);
			if (i >= 0)
				explicit_null[d->ncols - 1] = en;
		}
		else
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
			return false;
		}
		if (i < 0)
			return false;
		if (op_is(st, i, ","))
			i++;
	}
	/* primary key columns become NOT NULL (an explicit NULL is an error) */
	for (k = 0; k < d->nkeys; k++)
		if (d->keys[k].primary)
			for (c = 0; c < d->keys[k].ncols; c++)
			{
				ColDef	   *cd = &d->cols[d->keys[k].cols[c]];

				if (explicit_null[d->keys[k].cols[c]])
				{
					engine_error(s, 8111, "Cannot define PRIMARY KEY constraint on nullable column in table '%s'.",
								 d->name);
					engine_error(s, 1750, "Could not create constraint or index. See previous errors.");
					return false;
				}
				cd->c.nullable = false;
			}
	{
		int			nident = 0,
					nrv = 0;

		for (c = 0; c < d->ncols; c++)
		{
			nident += d->cols[c].c.identity;
			nrv += d->cols[c].c.rowversion;
		}
		if (nident > 1)
		{
			engine_error(s, 2744, "Multiple identity columns specified for table '%s'. Only one identity column per table is allowed.",
						 d->name);
			return false;
		}
		if (nrv > 1)
		{
			engine_error(s, 2738, "A table can only have one timestamp column. Because table '%s' already has one, the column '%s' cannot be added.",
						 d->name, d->cols[c - 1].c.name);
			return false;
		}
	}
	return true;
}

/* ------------------------------------------------------------------------
 * SQLite table and catalog
 * ------------------------------------------------------------------------
 */

/*
 * CREATE TABLE text for d under sqlite_name: declared types, NOT NULL,
 * collations, PRIMARY KEY and UNIQUE constraints.
 */
void
td_build_create_sql(TableDef *d, const char *sqlite_name, EngineBuf *b)
{
	int			i,
				k,
				c;

	ebuf_append(b, "CREATE TABLE main.");
	ebuf_append_ident(b, sqlite_name);
	ebuf_append(b, " (");
	for (i = 0; i < d->ncols; i++)
	{
		char		decl[96];
		const char *coll;
		EngineColumn *col = &d->cols[i].c;

		if (i > 0)
			ebuf_append(b, ", ");
		ebuf_append_ident(b, col->name);
		engine_decltype(&col->type, decl, sizeof(decl));
		ebuf_printf(b, " %s", decl);
		if (!col->nullable)
			ebuf_append(b, " NOT NULL");
		coll = engine_type_collation(&col->type);
		if (coll)
			ebuf_printf(b, " COLLATE %s", coll);
	}
	for (k = 0; k < d->nkeys; k++)
	{
		KeyDef	   *key = &d->keys[k];

		if (!key->constraint)
			continue;
		ebuf_append(b, key->primary ? ", PRIMARY KEY (" : ", UNIQUE (");
		for (c = 0; c < key->ncols; c++)
		{
			if (c > 0)
				ebuf_append(b, ", ");
			ebuf_append_ident(b, d->cols[key->cols[c]].c.name);
		}
		ebuf_append(b, ")");
	}
	ebuf_append(b, ")");
}

/* CREATE INDEX statements for the non-constraint indexes of d (only: one, or -1 all). */
bool
td_create_plain_indexes(SimSession *s, TableDef *d, const char *sqlite_name, int only)
{
	int			k,
				c;
	EngineBuf	b;
	bool		ok = true;

	ebuf_init(&b);
	for (k = 0; k < d->nkeys && ok; k++)
	{
		KeyDef	   *key = &d->keys[k];
		char		iname[ENGINE_NAME_LEN * 3];

		if (key->constraint || (only >= 0 && only != k))
			continue;
		ebuf_reset(&b);
		snprintf(iname, sizeof(iname), "%s.%s", sqlite_name, key->name);
		ebuf_append(&b, key->unique ? "CREATE UNIQUE INDEX main." : "CREATE INDEX main.");
		ebuf_append_ident(&b, iname);
		ebuf_append(&b, " ON ");
		ebuf_append_ident(&b, sqlite_name);
		ebuf_append(&b, " (");
		for (c = 0; c < key->ncols; c++)
		{
			if (c > 0)
				ebuf_append(&b, ", ");
			ebuf_append_ident(&b, d->cols[key->cols[c]].c.name);
			if (key->desc[c])
				ebuf_append(&b, " DESC");
		}
		ebuf_append(&b, ")");
		ok = td_exec_sql(s, b.data);
	}
	ebuf_free(&b);
	return ok;
}

/*
 * Step the bound catalog statement stmt to its end and finalize it; false
 * after reporting SQLite's error.
 */
static bool
step_to_done(SimSession *s, sqlite3_stmt *stmt)
{
	int			rc = sqlite3_step(stmt);

	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
	{
		engine_error_sqlite(s, rc);
		return false;
	}
	return true;
}

/*
 * Insert an __sim_objects row (create/modify dates now); reports errors.
 */
bool
td_insert_object(SimSession *s, int64_t object_id, const char *name, int schema_id,
			  int64_t parent, const char *type, const char *type_desc, bool system_named,
			  const char *definition)
{
	sqlite3_stmt *stmt;
	char		now[64];
	int			rc;

	engine_now_text(now, sizeof(now), false, 3, false);
	rc = sqlite3_prepare_v2(s->db, "INSERT INTO main.__sim_objects(object_id, name, schema_id,"
							" parent_object_id, type, type_desc, create_date, modify_date,"
							" is_system_named, definition) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7,"
							" ?8, ?9)", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
	{
		engine_error_sqlite(s, rc);
		return false;
	}
	sqlite3_bind_int64(stmt, 1, object_id);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, schema_id);
	sqlite3_bind_int64(stmt, 4, parent);
	sqlite3_bind_text(stmt, 5, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, type_desc, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, now, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 8, system_named);
	if (definition)
		sqlite3_bind_text(stmt, 9, definition, -1, SQLITE_STATIC);
	return step_to_done(s, stmt);
}

/*
 * Run one catalog statement with six integer parameters and one text
 * parameter (?7, may be NULL); reports errors.
 */
bool
td_run_bound(SimSession *s, const char *sql, int64_t a, int64_t b, int64_t c, int64_t d2,
		  int64_t e, int64_t f, const char *text)
{
	sqlite3_stmt *stmt;
	int			rc = sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL);

	if (rc != SQLITE_OK)
	{
		engine_error_sqlite(s, rc);
		return false;
	}
	sqlite3_bind_int64(stmt, 1, a);
	sqlite3_bind_int64(stmt, 2, b);
	sqlite3_bind_int64(stmt, 3, c);
	sqlite3_bind_int64(stmt, 4, d2);
	sqlite3_bind_int64(stmt, 5, e);
	sqlite3_bind_int64(stmt, 6, f);
	if (text)
		sqlite3_bind_text(stmt, 7, text, -1, SQLITE_STATIC);
	return step_to_done(s, stmt);
}

/* Delete the catalog rows of a table (keep_object: the table's own row). */
bool
td_delete_catalog(SimSession *s, int64_t object_id, bool keep_object)
{
	char		sql[1024];
	long long	id = (long long) object_id;

	snprintf(sql, sizeof(sql),
			 "DELETE FROM main.__sim_columns WHERE object_id = %lld;"
			 "DELETE FROM main.__sim_indexes WHERE object_id = %lld;"
			 "DELETE FROM main.__sim_index_columns WHERE object_id = %lld;"
			 "DELETE FROM main.__sim_objects WHERE parent_object_id = %lld;",
			 id, id, id, id);
	if (!keep_object)
		engine_identity_forget(s->db, object_id);
	if (!keep_object)
		snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql),
				 "DELETE FROM main.__sim_objects WHERE object_id = %lld;"
				 "DELETE FROM main.__sim_identity WHERE object_id = %lld;", id, id);
	return td_exec_sql(s, sql);
}

/*
 * Write the catalog rows (columns, defaults, keys, indexes) of table d
 * with object_id; the table's own __sim_objects row must exist.
 */
bool
td_write_catalog(SimSession *s, TableDef *d, int64_t object_id, int schema_id)
{
	int			i,
				k,
				c;
	bool		has_clustered = false;
	int			next_index = 2;
	char		hex[24];

	for (i = 0; i < d->ncols; i++)
	{
		ColDef	   *cd = &d->cols[i];
		int64_t		def_id = 0;

		cd->c.column_id = i + 1;
		if (cd->c.default_sql)
		{
			char		dname[ENGINE_NAME_LEN];
			char	   *defn = default_definition(cd->c.default_sql);

			def_id = engine_next_object_id(s);
			if (cd->default_name)
				snprintf(dname, sizeof(dname), "%s", cd->default_name);
			else
				snprintf(dname, sizeof(dname), "DF__%.9s__%.5s__%s", d->name, cd->c.name,
						 hex_suffix(def_id, 8, hex));
			if (!td_insert_object(s, def_id, dname, schema_id, object_id, "D ",
							   "DEFAULT_CONSTRAINT", cd->default_name == NULL, defn))
			{
				free(defn);
				return false;
			}
			free(defn);
		}
		if (engine_catalog_insert_column(s, object_id, &cd->c, def_id) != SQLITE_OK)
		{
			engine_error_sqlite(s, SQLITE_ERROR);
			return false;
		}
	}
	for (k = 0; k < d->nkeys; k++)
		if (d->keys[k].clustered)
			has_clustered = true;
	if (!has_clustered)
	{
		if (!td_run_bound(s, "INSERT INTO main.__sim_indexes VALUES (?1, 0, NULL, 0, 0, 0, 0, NULL)",
					   object_id, 0, 0, 0, 0, 0, NULL))
			return false;
	}
	for (k = 0; k < d->nkeys; k++)
	{
		KeyDef	   *key = &d->keys[k];
		int64_t		cons_id = 0;

		key->index_id = key->clustered ? 1 : next_index++;
		if (key->constraint)
		{
			cons_id = engine_next_object_id(s);
			if (key->system_named || key->name[0] == '\0')
				snprintf(key->name, sizeof(key->name), "%s__%.8s__%s", key->primary ? "PK" : "UQ",
						 d->name, hex_suffix(cons_id, 16, hex));
			if (!td_insert_object(s, cons_id, key->name, schema_id, object_id,
							   key->primary ? "PK" : "UQ",
							   key->primary ? "PRIMARY_KEY_CONSTRAINT" : "UNIQUE_CONSTRAINT",
							   key->system_named, NULL))
				return false;
		}
		{
			sqlite3_stmt *stmt;

			if (sqlite3_prepare_v2(s->db, "INSERT INTO main.__sim_indexes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
								   -1, &stmt, NULL) != SQLITE_OK)
			{
				engine_error_sqlite(s, SQLITE_ERROR);
				return false;
			}
			sqlite3_bind_int64(stmt, 1, object_id);
			sqlite3_bind_int(stmt, 2, key->index_id);
			sqlite3_bind_text(stmt, 3, key->name, -1, SQLITE_STATIC);
			sqlite3_bind_int(stmt, 4, key->clustered ? 1 : 2);
			sqlite3_bind_int(stmt, 5, key->constraint || key->unique);
			sqlite3_bind_int(stmt, 6, key->primary);
			sqlite3_bind_int(stmt, 7, key->constraint && !key->primary);
			if (cons_id)
				sqlite3_bind_int64(stmt, 8, cons_id);
			sqlite3_step(stmt);
			sqlite3_finalize(stmt);
		}
		for (c = 0; c < key->ncols; c++)
			if (!td_run_bound(s, "INSERT INTO main.__sim_index_columns VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
						   object_id, key->index_id, c + 1, key->cols[c] + 1, c + 1, key->desc[c], NULL))
				return false;
	}
	return true;
}

/* Load a table definition from the catalog (for ALTER TABLE). */
TableDef *
td_from_catalog(SimSession *s, EngineTable *t)
{
	TableDef   *d = emalloc(sizeof(TableDef));
	sqlite3_stmt *stmt;
	int			i;

	memset(d, 0, sizeof(TableDef));
	snprintf(d->schema, sizeof(d->schema), "%s", t->schema);
	snprintf(d->name, sizeof(d->name), "%s", t->name);
	for (i = 0; i < t->ncols && i < MAX_COLS; i++)
	{
		ColDef	   *cd = &d->cols[d->ncols++];
		EngineBuf	b;

		cd->c = t->cols[i];
		cd->c.name = estrdup(t->cols[i].name);
		cd->c.default_sql = t->cols[i].default_sql ? estrdup(t->cols[i].default_sql) : NULL;
		ebuf_init(&b);
		ebuf_append_ident(&b, cd->c.name);
		cd->copy_expr = b.data;
	}
	/* default constraint names */
	if (sqlite3_prepare_v2(s->db, "SELECT c.name, o.name, o.is_system_named FROM main.__sim_columns c"
						   " JOIN main.__sim_objects o ON o.object_id = c.default_object_id"
						   " WHERE c.object_id = ?1", -1, &stmt, NULL) == SQLITE_OK)
	{
		sqlite3_bind_int64(stmt, 1, t->object_id);
		while (sqlite3_step(stmt) == SQLITE_ROW)
		{
			int			c = td_find_col(d, (const char *) sqlite3_column_text(stmt, 0));

			if (c >= 0 && sqlite3_column_int(stmt, 2) == 0)
				d->cols[c].default_name = estrdup((const char *) sqlite3_column_text(stmt, 1));
		}
		sqlite3_finalize(stmt);
	}
	if (sqlite3_prepare_v2(s->db, "SELECT i.index_id, i.name, i.type, i.is_unique, i.is_primary_key,"
						   " i.constraint_object_id, coalesce(o.is_system_named, 0)"
						   " FROM main.__sim_indexes i LEFT JOIN main.__sim_objects o"
						   " ON o.object_id = i.constraint_object_id"
						   " WHERE i.object_id = ?1 AND i.index_id > 0 ORDER BY i.index_id", -1, &stmt,
						   NULL) == SQLITE_OK)
	{
		sqlite3_bind_int64(stmt, 1, t->object_id);
		while (sqlite3_step(stmt) == SQLITE_ROW && d->nkeys < MAX_KEYS)
		{
			KeyDef	   *k = &d->keys[d->nkeys++];
			sqlite3_stmt *cs;

			memset(k, 0, sizeof(*k));
			k->index_id = sqlite3_column_int(stmt, 0);
			snprintf(k->name, sizeof(k->name), "%s", (const char *) sqlite3_column_text(stmt, 1));
			k->clustered = sqlite3_column_int(stmt, 2) == 1;
			k->unique = sqlite3_column_int(stmt, 3) != 0;
			k->primary = sqlite3_column_int(stmt, 4) != 0;
			k->constraint = sqlite3_column_type(stmt, 5) != SQLITE_NULL;
			k->system_named = sqlite3_column_int(stmt, 6) != 0;
			if (sqlite3_prepare_v2(s->db, "SELECT c.name, ic.is_descending_key FROM main.__sim_index_columns ic"
								   " JOIN main.__sim_columns c ON c.object_id = ic.object_id"
								   " AND c.column_id = ic.column_id WHERE ic.object_id = ?1"
								   " AND ic.index_id = ?2 ORDER BY ic.key_ordinal", -1, &cs,
								   NULL) == SQLITE_OK)
			{
				sqlite3_bind_int64(cs, 1, t->object_id);
				sqlite3_bind_int(cs, 2, k->index_id);
				while (sqlite3_step(cs) == SQLITE_ROW && k->ncols < MAX_KEYCOLS)
				{
					k->cols[k->ncols] = td_find_col(d, (const char *) sqlite3_column_text(cs, 0));
					k->desc[k->ncols] = sqlite3_column_int(cs, 1) != 0;
					k->ncols++;
				}
				sqlite3_finalize(cs);
			}
		}
		sqlite3_finalize(stmt);
	}
	return d;
}

bool
td_ddl_hook(SimSession *s, EngineDdlEvent ev, int64_t object_id, const char *detail)
{
	EngineTable *t = engine_table_lookup_id(s, object_id);
	bool		ok;

	ok = engine_run_ddl_hooks(s, ev, t, detail);
	engine_table_free(t);
	if (!ok && !s->stmt_failed)
		engine_error(s, 50000, "the statement was refused by an extension");
	return ok;
}

/* ------------------------------------------------------------------------
 * CREATE
 * ------------------------------------------------------------------------
 */

/*
 * An EngineTable describing d (for #temp tables, which have no catalog
 * rows); free with engine_table_free.
 */
EngineTable *
td_to_table(TableDef *d, const char *sqlite_name)
{
	EngineTable *t = emalloc(sizeof(EngineTable));
	int			i,
				k,
				c;

	memset(t, 0, sizeof(*t));
	t->schema = estrdup(d->schema[0] ? d->schema : "dbo");
	t->name = estrdup(d->name);
	t->sqlite_name = estrdup(sqlite_name);
	strcpy(t->type, "U");
	t->ncols = d->ncols;
	t->cols = emalloc(sizeof(EngineColumn) * (size_t) (d->ncols + 1));
	for (i = 0; i < d->ncols; i++)
	{
		t->cols[i] = d->cols[i].c;
		t->cols[i].column_id = i + 1;
		t->cols[i].name = estrdup(d->cols[i].c.name);
		t->cols[i].default_sql = d->cols[i].c.default_sql ? estrdup(d->cols[i].c.default_sql) : NULL;
	}
	t->pk = emalloc(sizeof(int) * (size_t) (d->ncols + 1));
	for (k = 0; k < d->nkeys; k++)
		if (d->keys[k].primary)
		{
			for (c = 0; c < d->keys[k].ncols; c++)
				t->pk[t->npk++] = d->keys[k].cols[c];
			t->pk_name = estrdup(d->keys[k].name[0] ? d->keys[k].name : "PK__temp");
		}
	return t;
}
