/*
 * engine_ddl.c
 *		CREATE/DROP DATABASE, SCHEMA, TABLE, VIEW, INDEX; ALTER TABLE (by
 *		rebuilding the SQLite table); TRUNCATE TABLE.  Keeps the __sim_*
 *		catalog in step and calls the DDL hooks.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_int.h"
#include "engine_catalog.h"

#define MAX_COLS 1024
#define MAX_KEYS 32
#define MAX_KEYCOLS 32

typedef struct ColDef
{
	EngineColumn c;
	char	   *default_name;	/* CONSTRAINT name of the DEFAULT, or NULL */
	char	   *copy_expr;		/* ALTER: SQLite expr that fills it from the old table */
} ColDef;

typedef struct KeyDef
{
	char		name[ENGINE_NAME_LEN];
	bool		primary;
	bool		constraint;		/* PK/UNIQUE constraint (else CREATE INDEX) */
	bool		clustered;
	bool		system_named;
	bool		unique;			/* CREATE UNIQUE INDEX (constraints are unique) */
	int			index_id;
	int			ncols;
	int			cols[MAX_KEYCOLS];	/* indexes into TableDef.cols */
	bool		desc[MAX_KEYCOLS];
} KeyDef;

typedef struct TableDef
{
	char		schema[ENGINE_NAME_LEN];
	char		name[ENGINE_NAME_LEN];
	int			ncols;
	ColDef		cols[MAX_COLS];
	int			nkeys;
	KeyDef		keys[MAX_KEYS];
} TableDef;

static bool
word_is(const EngineStmt *st, int i, const char *kw)
{
	return engine_tok_is(st, i, kw);
}

static bool
op_is(const EngineStmt *st, int i, const char *op)
{
	return engine_tok_op(st, i, op);
}

static bool
is_name_tok(const EngineStmt *st, int i)
{
	return i < st->ntok && (st->tok[i].type == TK_WORD || st->tok[i].type == TK_QIDENT);
}

static void
free_def(TableDef *d)
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

static int
find_col(TableDef *d, const char *name)
{
	int			i;

	for (i = 0; i < d->ncols; i++)
		if (engine_strcasecmp(d->cols[i].c.name, name) == 0)
			return i;
	return -1;
}

static bool
exec_sql(SimSession *s, const char *sql)
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
static int
parse_key_cols(SimSession *s, const EngineStmt *st, int i, TableDef *d, KeyDef *k)
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
		c = find_col(d, st->tok[i].text);
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

static KeyDef *
new_key(SimSession *s, TableDef *d, const char *cname, bool primary)
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

/* [CONSTRAINT n] PRIMARY KEY|UNIQUE [CLUSTERED|NONCLUSTERED] (cols) | FOREIGN KEY | CHECK */
static int
parse_table_constraint(SimSession *s, const EngineStmt *st, int i, int end, TableDef *d)
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
		k = new_key(s, d, cname, primary);
		if (k == NULL)
			return -1;
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
		return parse_key_cols(s, st, i, d, k);
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
static int
parse_column_def(SimSession *s, const EngineStmt *st, int i, int end, TableDef *d, bool *explicit_null)
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
	if (find_col(d, st->tok[i].text) >= 0)
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
		else
			engine_error(s, 102, "Incorrect syntax near '%s'.", i > tstart ? err : st->tok[i].text);
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
			KeyDef	   *k = new_key(s, d, cname, primary);

			if (k == NULL)
				return -1;
			i += primary ? 2 : 1;
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
static bool
parse_elements(SimSession *s, const EngineStmt *st, int open, TableDef *d)
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
			i = parse_table_constraint(s, st, i, close, d);
		else if (is_name_tok(st, i))
		{
			bool		en = false;

			i = parse_column_def(s, st, i, close, d, &en);
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

static void
build_create_sql(TableDef *d, const char *sqlite_name, EngineBuf *b)
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
static bool
create_plain_indexes(SimSession *s, TableDef *d, const char *sqlite_name, int only)
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
		ok = exec_sql(s, b.data);
	}
	ebuf_free(&b);
	return ok;
}

static bool
insert_object(SimSession *s, int64_t object_id, const char *name, int schema_id,
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
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
	{
		engine_error_sqlite(s, rc);
		return false;
	}
	return true;
}

static bool
run_bound(SimSession *s, const char *sql, int64_t a, int64_t b, int64_t c, int64_t d2,
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
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
	{
		engine_error_sqlite(s, rc);
		return false;
	}
	return true;
}

/* Delete the catalog rows of a table (keep_object: the table's own row). */
static bool
delete_catalog(SimSession *s, int64_t object_id, bool keep_object)
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
		snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql),
				 "DELETE FROM main.__sim_objects WHERE object_id = %lld;"
				 "DELETE FROM main.__sim_identity WHERE object_id = %lld;", id, id);
	return exec_sql(s, sql);
}

/*
 * Write the catalog rows (columns, defaults, keys, indexes) of table d
 * with object_id; the table's own __sim_objects row must exist.
 */
static bool
write_catalog(SimSession *s, TableDef *d, int64_t object_id, int schema_id)
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
			if (!insert_object(s, def_id, dname, schema_id, object_id, "D ",
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
		if (!run_bound(s, "INSERT INTO main.__sim_indexes VALUES (?1, 0, NULL, 0, 0, 0, 0, NULL)",
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
			if (!insert_object(s, cons_id, key->name, schema_id, object_id,
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
			if (!run_bound(s, "INSERT INTO main.__sim_index_columns VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
						   object_id, key->index_id, c + 1, key->cols[c] + 1, c + 1, key->desc[c], NULL))
				return false;
	}
	return true;
}

/* Load a table definition from the catalog (for ALTER TABLE). */
static TableDef *
def_from_catalog(SimSession *s, EngineTable *t)
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
			int			c = find_col(d, (const char *) sqlite3_column_text(stmt, 0));

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
					k->cols[k->ncols] = find_col(d, (const char *) sqlite3_column_text(cs, 0));
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

static bool
ddl_hook(SimSession *s, EngineDdlEvent ev, int64_t object_id, const char *detail)
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
		engine_error(s, 2760, "Temporary tables are not supported by this stand-in.");
		free(d);
		return false;
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
	if (!parse_elements(s, st, i, d))
	{
		free_def(d);
		return false;
	}
	if (d->ncols == 0)
	{
		engine_error(s, 102, "Incorrect syntax near ')'.");
		free_def(d);
		return false;
	}
	if (!engine_stmt_begin(s))
	{
		free_def(d);
		return false;
	}
	snprintf(sqlite_name, sizeof(sqlite_name), "%s.%s", d->schema, d->name);
	ebuf_init(&b);
	build_create_sql(d, sqlite_name, &b);
	object_id = engine_next_object_id(s);
	ok = exec_sql(s, b.data) &&
		insert_object(s, object_id, d->name, sid, 0, "U ", "USER_TABLE", false, NULL) &&
		write_catalog(s, d, object_id, sid);
	ebuf_free(&b);
	if (ok)
	{
		engine_catalog_bump(s);
		ok = ddl_hook(s, ENGINE_DDL_TABLE_CREATED, object_id, NULL);
	}
	engine_stmt_end(s, ok);
	free_def(d);
	return ok;
}

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
		as = engine_skip_parens(st, as);
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
	ebuf_init(&b);
	ebuf_append(&b, "CREATE VIEW main.\"");
	ebuf_printf(&b, "%s.%s\" AS ", schema, name);
	ebuf_append(&b, x.sql.data);
	engine_xlate_free(&x);
	object_id = engine_next_object_id(s);
	text = engine_tok_text(st, 0, end);
	ok = exec_sql(s, b.data) &&
		insert_object(s, object_id, name, sid, 0, "V ", "VIEW", false, text);
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
				c.nullable = true;
				if (decl == NULL || !engine_decltype_parse(decl, &c.type))
				{
					c.type.id = SIM_NVARCHAR;
					c.type.length = SIM_MAX_LENGTH;
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
	if (ok)
		engine_catalog_bump(s);
	engine_stmt_end(s, ok);
	return ok;
}

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
	if (!engine_parse_name_tokens(st, &i, db, schema, name, sizeof(name)) ||
		(t = engine_table_lookup(s, schema, name)) == NULL)
	{
		char	   *txt = engine_tok_text(st, start, i);

		engine_error(s, 1088, "Cannot find the object \"%s\" because it does not exist or you do not have permissions.", txt);
		free(txt);
		return false;
	}
	d = def_from_catalog(s, t);
	for (kidx = 0; kidx < d->nkeys; kidx++)
		if (engine_strcasecmp(d->keys[kidx].name, iname) == 0)
		{
			engine_error(s, 1913, "The operation failed because an index or statistics with name '%s' already exists on table '%s.%s'.",
						 iname, t->schema, t->name);
			engine_table_free(t);
			free_def(d);
			return false;
		}
	if (d->nkeys >= MAX_KEYS)
	{
		engine_table_free(t);
		free_def(d);
		return false;
	}
	kidx = d->nkeys++;
	k = &d->keys[kidx];
	memset(k, 0, sizeof(*k));
	snprintf(k->name, sizeof(k->name), "%s", iname);
	k->unique = unique;
	k->clustered = false;
	(void) clustered;
	if (parse_key_cols(s, st, i, d, k) < 0 || !engine_stmt_begin(s))
	{
		engine_table_free(t);
		free_def(d);
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
	ok = create_plain_indexes(s, d, t->sqlite_name, kidx);
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

		ok = run_bound(s, "INSERT INTO main.__sim_indexes VALUES (?1, ?2, ?7, 2, ?3, 0, 0, NULL)",
					   t->object_id, k->index_id, unique, 0, 0, 0, iname);
		for (c = 0; ok && c < k->ncols; c++)
			ok = run_bound(s, "INSERT INTO main.__sim_index_columns VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
						   t->object_id, k->index_id, c + 1, d->cols[k->cols[c]].c.column_id, c + 1,
						   k->desc[c], NULL);
		if (ok)
			engine_catalog_bump(s);
	}
	engine_stmt_end(s, ok);
	engine_table_free(t);
	free_def(d);
	return ok;
}

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
			ok = is_view || ddl_hook(s, ENGINE_DDL_TABLE_DROPPING, t->object_id, NULL);
			if (ok)
			{
				EngineBuf	b;

				ebuf_init(&b);
				ebuf_append(&b, is_view ? "DROP VIEW main." : "DROP TABLE main.");
				ebuf_append_ident(&b, t->sqlite_name);
				ok = exec_sql(s, b.data) && delete_catalog(s, t->object_id, false);
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
	ok = exec_sql(s, sql);
	if (ok)
		engine_catalog_bump(s);
	engine_stmt_end(s, ok);
	return ok;
}

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
		ok = exec_sql(s, b.data);
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
	ok = exec_sql(s, b.data);
	ebuf_free(&b);
	snprintf(sql, sizeof(sql), "DELETE FROM main.__sim_indexes WHERE object_id = %lld AND index_id = %d;"
			 "DELETE FROM main.__sim_index_columns WHERE object_id = %lld AND index_id = %d;",
			 (long long) t->object_id, index_id, (long long) t->object_id, index_id);
	ok = ok && exec_sql(s, sql);
	if (ok)
		engine_catalog_bump(s);
	engine_stmt_end(s, ok);
	engine_table_free(t);
	return ok;
}

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
	build_create_sql(d, tmpname, &b);
	ok = exec_sql(s, b.data);
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
		ok = exec_sql(s, b.data);
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
		ok = exec_sql(s, b.data);
		sqlite3_exec(s->db, "PRAGMA legacy_alter_table = OFF", NULL, NULL, NULL);
	}
	ok = ok && create_plain_indexes(s, d, t->sqlite_name, -1);
	ok = ok && delete_catalog(s, t->object_id, true) && write_catalog(s, d, t->object_id, sid);
	if (ok && ident_next)
	{
		char		sql[256];

		snprintf(sql, sizeof(sql), "DELETE FROM main.__sim_identity WHERE object_id = %lld",
				 (long long) t->object_id);
		ok = exec_sql(s, sql);
	}
	ebuf_free(&b);
	return ok;
}

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
	if (!engine_parse_name_tokens(st, &i, db, schema, name, sizeof(name)) ||
		(t = engine_table_lookup(s, schema, name)) == NULL || t->type[0] != 'U')
	{
		char	   *txt = engine_tok_text(st, start, i);

		engine_error(s, 4902, "Cannot find the object \"%s\" because it does not exist or you do not have permissions.", txt);
		free(txt);
		return false;
	}
	d = def_from_catalog(s, t);
	if (word_is(st, i, "ADD"))
	{
		i++;
		while (i < end)
		{
			if (word_is(st, i, "CONSTRAINT") || word_is(st, i, "PRIMARY") || word_is(st, i, "UNIQUE") ||
				word_is(st, i, "FOREIGN") || word_is(st, i, "CHECK"))
			{
				i = parse_table_constraint(s, st, i, end, d);
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

				if (find_col(d, st->tok[i].text) >= 0)
				{
					engine_error(s, 2705, "Column names in each table must be unique. Column name '%s' in table '%s' is specified more than once.",
								 st->tok[i].text, t->name);
					goto out;
				}
				snprintf(detail, sizeof(detail), "%s", st->tok[i].text);
				i = parse_column_def(s, st, i, end, d, &en);
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
			int			c = find_col(d, st->tok[i].text);
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
		int			c = find_col(d, st->tok[i + 2].text);
		int			tstart = i + 3,
					j;
		char	   *typetext;
		char		err[256];
		SimType		nt;
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
		ebuf_printf(&eb, ", %d, %d, %d, %d, 0)", (int) nt.id, nt.length, nt.precision, nt.scale);
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
					c = find_col(d, (const char *) sqlite3_column_text(stmt, 0));
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
		ok = ddl_hook(s, ENGINE_DDL_TABLE_ALTERED, t->object_id, detail[0] ? detail : NULL);
	}
	engine_stmt_end(s, ok);
out:
	engine_table_free(t);
	free_def(d);
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
		ok = ddl_hook(s, ENGINE_DDL_TABLE_TRUNCATING, t->object_id, NULL);
		if (ok)
		{
			EngineBuf	b;
			char		sql[128];

			ebuf_init(&b);
			ebuf_append(&b, "DELETE FROM main.");
			ebuf_append_ident(&b, t->sqlite_name);
			ok = exec_sql(s, b.data);
			ebuf_free(&b);
			snprintf(sql, sizeof(sql), "DELETE FROM main.__sim_identity WHERE object_id = %lld",
					 (long long) t->object_id);
			ok = ok && exec_sql(s, sql);
		}
		engine_stmt_end(s, ok);
	}
	engine_table_free(t);
	engine_done(s, SIM_CMD_OTHER, false, 0);
	return ok;
}
