/*
 * engine_translate.c
 *		T-SQL query text (as tokens) to SQLite SQL.
 *
 * A single left-to-right walk over the tokens that:
 *   - quotes identifiers ([x], "x" -> "x"), maps table names in FROM/JOIN/
 *     UPDATE/DELETE positions to the SQLite table "schema.name" (catalog
 *     views to their TEMP copies, table-valued functions to the text their
 *     registered handler returns);
 *   - turns TOP n and OFFSET/FETCH into LIMIT/OFFSET at the end of the
 *     SELECT they belong to;
 *   - rewrites literals (N'..' -> '..', 0x.. -> X'..'), @@globals (to
 *     literals), @variables (to SQLite named parameters), + on strings (to
 *     ||), CAST/CONVERT (to __sim_cv), and T-SQL function names that
 *     differ in SQLite;
 *   - for the top-level select list, records names, "name = expr" and
 *     "@var = expr" items and a type hint per item.
 * At each token it also tries the operator rewrites of engine_xlate_ops.c
 * (exact decimals, checked integers, typed comparisons); engine_xlate.h
 * holds the walk's state they share.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_tokens.h"
#include "engine_xlate.h"

static bool walk_range(EngineXlate *x, int from, int to, bool top_stmt);
static int	string_agg_ordered(Walk *w, int i);

static const char *version_text =
"Microsoft SQL Server 2022 (RTM) - 16.0.1000.6 (X64) \n\tOct  8 2022 05:58:25 \n\t"
"Copyright (C) 2022 Microsoft Corporation\n\tDeveloper Edition (64-bit) on Linux "
"(mssql_sim, a stand-in on SQLite) <X64>";

static const char *string_funcs[] = {
	"upper", "lower", "ltrim", "rtrim", "trim", "left", "right", "substring", "replace",
	"concat", "replicate", "space", "char", "nchar", "db_name", "schema_name",
	"object_name", "object_schema_name", "suser_sname", "user_name", "host_name",
	"reverse", "str", "format", "stuff", "quotename", "newid", "string_agg", NULL
};

/* Words that cannot be a table alias. */
const char *not_alias[] = {
	"where", "join", "on", "inner", "left", "right", "full", "cross", "outer", "group",
	"order", "having", "union", "except", "intersect", "with", "option", "set", "for",
	"offset", "fetch", "window", "select", "from", "apply", "natural", "using", "as",
	"insert", "update", "delete", "values", "output", "into", "when", "then", "else",
	"end", "go", "and", "or", "not", "is", "in", "like", "between", "exec", "execute",
	"declare", "if", "begin", "commit", "rollback", "print", "use", "create", "drop",
	"alter", "truncate", "return", "while", "raiserror", "throw", "within", NULL
};

bool
is_string_type(SimTypeId id)
{
	return id == SIM_CHAR || id == SIM_VARCHAR || id == SIM_NCHAR || id == SIM_NVARCHAR ||
		id == SIM_TEXT || id == SIM_NTEXT || id == SIM_SYSNAME || id == SIM_XML ||
		id == SIM_UNIQUEIDENTIFIER;
}

/* Index just after the ')' matching the '(' at i (or st->ntok). */
int
engine_skip_parens(const EngineStmt *st, int i)
{
	int			depth = 0;

	for (; i < st->ntok; i++)
	{
		if (op_is(st, i, "("))
			depth++;
		else if (op_is(st, i, ")"))
		{
			depth--;
			if (depth == 0)
				return i + 1;
		}
	}
	return st->ntok;
}

/* End of a dotted name chain starting at i. */
int
engine_name_end(const EngineStmt *st, int i)
{
	if (!is_name_tok(st, i))
		return i;
	i++;
	while (op_is(st, i, "."))
	{
		if (is_name_tok(st, i + 1))
			i += 2;
		else if (op_is(st, i + 1, "."))
			i += 1;				/* db..name */
		else
			break;
	}
	return i;
}

/*
 * Parse a 1..4 part name at *pos into db/schema/name (unquoted; missing
 * parts ""), advancing *pos.  False if there is no name.
 */
bool
engine_parse_name_tokens(const EngineStmt *st, int *pos, char *db, char *schema, char *name,
						 size_t len)
{
	const char *parts[4];
	int			n = 0;
	int			i = *pos;

	if (!is_name_tok(st, i))
		return false;
	parts[n++] = st->tok[i++].text;
	while (op_is(st, i, "."))
	{
		if (n >= 4)
			return false;
		if (is_name_tok(st, i + 1))
		{
			parts[n++] = st->tok[i + 1].text;
			i += 2;
		}
		else if (op_is(st, i + 1, "."))
		{
			parts[n++] = "";
			i += 1;
		}
		else
			break;
	}
	snprintf(name, len, "%s", parts[n - 1]);
	snprintf(schema, len, "%s", n >= 2 ? parts[n - 2] : "");
	snprintf(db, len, "%s", n >= 3 ? parts[n - 3] : "");
	*pos = i;
	return true;
}

static void
add_name_map(SimSession *s, const char *sqlite_name, const char *written)
{
	if (s->nname_map + 2 > (int) (sizeof(s->name_map) / sizeof(s->name_map[0])))
		return;
	s->name_map[s->nname_map++] = estrdup(sqlite_name);
	s->name_map[s->nname_map++] = estrdup(written);
}

/*
 * Contract in engine_int.h.  Kept in the name map under "\1q", so that
 * error 4104 can tell an unknown qualifier from an unknown column.
 */
void
engine_add_qualifier(SimSession *s, const char *q)
{
	char		key[ENGINE_NAME_LEN + 2];

	snprintf(key, sizeof(key), "\1%s", q);
	add_name_map(s, key, q);
}

void
engine_clear_name_map(SimSession *s)
{
	int			i;

	for (i = 0; i < s->nname_map; i++)
		free(s->name_map[i]);
	s->nname_map = 0;
}

void
engine_xlate_init(EngineXlate *x, SimSession *s, const EngineStmt *st)
{
	memset(x, 0, sizeof(*x));
	x->s = s;
	x->st = st;
	ebuf_init(&x->sql);
}

/*
 * Release what engine_xlate_init and the walk allocated in x (x itself is
 * the caller's).
 */
void
engine_xlate_free(EngineXlate *x)
{
	int			i;

	ebuf_free(&x->sql);
	for (i = 0; i < x->nitems; i++)
	{
		free(x->items[i].name);
		free(x->items[i].assign_var);
	}
	for (i = 0; i < x->nctes; i++)
		free(x->ctes[i]);
	for (i = 0; i < x->ntables; i++)
		engine_table_free(x->tables[i]);
	for (i = 0; i < x->naliases; i++)
		free(x->alias_names[i]);
	x->nitems = x->nctes = x->ntables = x->naliases = 0;
}

/* ------------------------------------------------------------------------
 * Emitting
 * ------------------------------------------------------------------------
 */

/*
 * Before appending a token to b: a space unless b is empty or ends with a
 * space or '(' (or '.', when a name part follows: dot_joins).
 */
static void
separate(EngineBuf *b, bool dot_joins)
{
	char		last;

	if (b->len == 0)
		return;
	last = b->data[b->len - 1];
	if (last != ' ' && last != '(' && !(dot_joins && last == '.'))
		ebuf_appendc(b, ' ');
}

/* Append SQL text s to the walk's statement, separated from what precedes. */
void
emit(Walk *w, const char *s)
{
	separate(&w->x->sql, true);
	ebuf_append(&w->x->sql, s);
}

/* Append s as a quoted SQLite identifier. */
static void
emit_ident(Walk *w, const char *s)
{
	separate(&w->x->sql, true);
	ebuf_append_ident(&w->x->sql, s);
}

/* Append s as a SQLite string literal (a space even after a '.'). */
void
emit_literal(Walk *w, const char *s)
{
	separate(&w->x->sql, false);
	ebuf_append_literal(&w->x->sql, s);
}

/* Translate [from, to) into a separate string (same translator state). */
char *
sub_translate(EngineXlate *x, int from, int to)
{
	EngineBuf	save = x->sql;
	char	   *res;

	ebuf_init(&x->sql);
	if (!walk_range(x, from, to, false))
		x->failed = true;
	res = x->sql.data;
	x->sql = save;
	return res;
}

/*
 * At the end of a SELECT: its TOP / OFFSET as SQLite's LIMIT n [OFFSET m];
 * frees them.
 */
static void
flush_limit(Walk *w, Level *lv)
{
	if (lv->limit || lv->offset)
	{
		emit(w, "LIMIT");
		emit(w, lv->limit ? lv->limit : "-1");
		if (lv->offset)
		{
			emit(w, "OFFSET");
			emit(w, lv->offset);
		}
	}
	free(lv->limit);
	free(lv->offset);
	lv->limit = lv->offset = NULL;
}

/*
 * Contract in engine_int.h.
 */
void
engine_xlate_add_alias(EngineXlate *x, const char *alias, int table)
{
	if (x->naliases >= 32 || alias == NULL || table < 0 || table >= x->ntables)
		return;
	x->alias_names[x->naliases] = estrdup(alias);
	x->alias_tables[x->naliases++] = table;
}

/*
 * Contract in engine_int.h.
 */
EngineColumn *
engine_xlate_typed_column(EngineXlate *x, const char *qualifier, const char *name)
{
	EngineColumn *found = NULL;
	int			i,
				k;

	if (qualifier)
	{
		int			t = -1;

		for (i = 0; i < x->naliases && t < 0; i++)
			if (engine_strcasecmp(x->alias_names[i], qualifier) == 0)
				t = x->alias_tables[i];
		for (i = 0; i < x->ntables && t < 0; i++)
			if (engine_strcasecmp(x->tables[i]->name, qualifier) == 0)
				t = i;
		if (t < 0)
			return NULL;
		for (k = 0; k < x->tables[t]->ncols; k++)
			if (engine_strcasecmp(x->tables[t]->cols[k].name, name) == 0)
				return &x->tables[t]->cols[k];
		return NULL;
	}
	for (i = 0; i < x->ntables; i++)
		for (k = 0; k < x->tables[i]->ncols; k++)
			if (engine_strcasecmp(x->tables[i]->cols[k].name, name) == 0)
			{
				EngineColumn *c = &x->tables[i]->cols[k];

				if (found && (found->type.id != c->type.id ||
							  found->type.length != c->type.length ||
							  found->type.precision != c->type.precision ||
							  found->type.scale != c->type.scale))
					return NULL;
				found = c;
			}
	return found;
}

/* A column of the statement's tables by name (first match), or NULL. */
EngineColumn *
find_column(EngineXlate *x, const char *name)
{
	int			i,
				k;

	for (i = 0; i < x->ntables; i++)
		for (k = 0; k < x->tables[i]->ncols; k++)
			if (engine_strcasecmp(x->tables[i]->cols[k].name, name) == 0)
				return &x->tables[i]->cols[k];
	return NULL;
}

/* Is the operand starting at token i a string (for + -> ||)? */
static bool
operand_is_string(EngineXlate *x, int i)
{
	const EngineStmt *st = x->st;
	const EngineToken *t;

	while (op_is(st, i, "("))
		i++;
	if (i >= st->ntok)
		return false;
	t = &st->tok[i];
	if (t->type == TK_STRING || t->type == TK_NSTRING)
		return true;
	if (t->type == TK_VAR)
	{
		EngineVar  *v = engine_var_find(x->s, t->text);

		return v && is_string_type(v->type.id);
	}
	if (t->type == TK_WORD && op_is(st, i + 1, "("))
	{
		if (word_in(t->text, string_funcs))
			return true;
		if (engine_strcasecmp(t->text, "CAST") == 0 || engine_strcasecmp(t->text, "CONVERT") == 0)
		{
			int			end = engine_skip_parens(st, i + 1);
			int			k;

			for (k = i + 2; k < end; k++)
				if (st->tok[k].type == TK_WORD &&
					(word_in(st->tok[k].text, (const char *[]) {"varchar", "nvarchar", "char", "nchar", "text", "ntext", "sysname", NULL})))
					return true;
		}
		if (engine_strcasecmp(t->text, "ISNULL") == 0 || engine_strcasecmp(t->text, "COALESCE") == 0)
			return operand_is_string(x, i + 2);
		return false;
	}
	if (t->type == TK_WORD || t->type == TK_QIDENT)
	{
		int			end = engine_name_end(st, i);
		EngineColumn *c = find_column(x, st->tok[end - 1].text);

		return c && is_string_type(c->type.id);
	}
	return false;
}

/*
 * End of the operand that starts at i (what '/' and '%' apply to on their
 * right): unary signs, then a parenthesised group, CASE..END, a name
 * (possibly a function call) or a single literal/variable.
 */
static int
operand_end(const EngineStmt *st, int i, int to)
{
	while (i < to && (op_is(st, i, "-") || op_is(st, i, "+") || op_is(st, i, "~")))
		i++;
	if (i >= to)
		return to;
	if (op_is(st, i, "("))
		return engine_skip_parens(st, i);
	if (word_is(st, i, "CASE"))
	{
		int			depth = 0;

		for (; i < to; i++)
		{
			if (word_is(st, i, "CASE"))
				depth++;
			else if (word_is(st, i, "END") && --depth == 0)
				return i + 1;
		}
		return to;
	}
	if (is_name_tok(st, i))
	{
		int			e = engine_name_end(st, i);

		if (op_is(st, e, "("))
			return engine_skip_parens(st, e);
		return e;
	}
	return i + 1;
}

/* ------------------------------------------------------------------------
 * Table references
 * ------------------------------------------------------------------------
 */

static bool
is_cte(EngineXlate *x, const char *name)
{
	int			i;

	for (i = 0; i < x->nctes; i++)
		if (engine_strcasecmp(x->ctes[i], name) == 0)
			return true;
	return false;
}

/* Load a table of the statement (once); returns its index or -1. */
static int
add_table(EngineXlate *x, const char *schema, const char *name)
{
	EngineTable *t;
	int			i;

	for (i = 0; i < x->ntables; i++)
		if (engine_strcasecmp(x->tables[i]->name, name) == 0 &&
			engine_strcasecmp(x->tables[i]->schema, schema[0] ? schema : "dbo") == 0)
			return i;
	if (x->ntables >= 16)
		return -1;
	t = engine_table_lookup(x->s, schema, name);
	if (t)
	{
		if (t->type[0] == 'V')
			x->may_null = true;
		x->tables[x->ntables++] = t;
		return x->ntables - 1;
	}
	return -1;
}

/* Skip table hints: WITH (NOLOCK, ...) or (NOLOCK) */
static int
skip_hints(const EngineStmt *st, int i)
{
	if (word_is(st, i, "WITH") && op_is(st, i + 1, "("))
		return engine_skip_parens(st, i + 1);
	if (op_is(st, i, "(") && (word_is(st, i + 1, "NOLOCK") || word_is(st, i + 1, "READPAST") ||
							  word_is(st, i + 1, "UPDLOCK") || word_is(st, i + 1, "ROWLOCK") ||
							  word_is(st, i + 1, "HOLDLOCK") || word_is(st, i + 1, "TABLOCK")))
		return engine_skip_parens(st, i);
	return i;
}

/* Parse an optional alias at *i; returns it (points into tokens) or NULL. */
static const char *
parse_alias(const EngineStmt *st, int *i)
{
	if (word_is(st, *i, "AS") && (is_name_tok(st, *i + 1) || st->tok[*i + 1].type == TK_STRING))
	{
		*i += 2;
		return st->tok[*i - 1].text;
	}
	if (*i < st->ntok && ((st->tok[*i].type == TK_WORD && !word_in(st->tok[*i].text, not_alias)) ||
						  st->tok[*i].type == TK_QIDENT))
	{
		(*i)++;
		return st->tok[*i - 1].text;
	}
	return NULL;
}

/* A table-valued function in FROM: hand it to its registered handler. */
static int
table_function(Walk *w, int i, int name_end, const char *lower_dotted)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	void	   *arg;
	EngineTvfFn fn = engine_tvf_lookup(lower_dotted, &arg);
	EngineTvfCall call;
	int			close = engine_skip_parens(st, name_end);
	int			k,
				start,
				depth = 0;
	char	   *argt[32],
			   *args[32];
	int			nargs = 0;
	EngineBuf	out;
	EngineBuf	on;
	const char *alias;
	int			j;
	bool		ok;

	if (fn == NULL)
	{
		char	   *txt = engine_name_text(st, i, name_end);

		engine_error(x->s, 208, "Invalid object name '%s'.", txt);
		free(txt);
		x->failed = true;
		return close;
	}
	start = name_end + 1;
	for (k = name_end + 1; k < close; k++)
	{
		if (op_is(st, k, "("))
			depth++;
		else if (op_is(st, k, ")"))
		{
			if (depth == 0)
				break;
			depth--;
		}
		else if (op_is(st, k, ",") && depth == 0 && nargs < 31)
		{
			argt[nargs] = engine_tok_text(st, start, k);
			args[nargs] = NULL;
			{
				EngineBuf	eb;

				ebuf_init(&eb);
				if (engine_translate_expr(x->s, st, start, k, &eb, NULL))
					args[nargs] = eb.data;
				else
					ebuf_free(&eb);
			}
			nargs++;
			start = k + 1;
		}
	}
	if (start < close - 1 && nargs < 32)
	{
		EngineBuf	eb;

		argt[nargs] = engine_tok_text(st, start, close - 1);
		ebuf_init(&eb);
		args[nargs] = engine_translate_expr(x->s, st, start, close - 1, &eb, NULL) ? eb.data : NULL;
		if (args[nargs] == NULL)
			ebuf_free(&eb);
		nargs++;
	}
	/* argument translation may have reported errors for non-expressions */
	x->s->stmt_failed = false;
	x->s->batch_abort = false;
	j = close;
	alias = parse_alias(st, &j);
	memset(&call, 0, sizeof(call));
	call.session = x->s;
	call.name = lower_dotted;
	call.nargs = nargs;
	call.arg_tsql = argt;
	call.arg_sql = args;
	call.alias = alias;
	ebuf_init(&out);
	ebuf_init(&on);
	call.apply = w->apply_pending;
	call.join_on = &on;
	ok = fn(&call, &out, arg);
	if (ok)
	{
		emit(w, out.data);
		if (alias)
		{
			emit(w, "AS");
			emit_ident(w, alias);
		}
		if (w->apply_pending)
		{
			emit(w, "ON (");
			ebuf_append(&x->sql, on.len ? on.data : "1");
			ebuf_appendc(&x->sql, ')');
			w->apply_pending = false;
		}
	}
	else
		x->failed = true;
	ebuf_free(&out);
	ebuf_free(&on);
	for (k = 0; k < nargs; k++)
	{
		free(argt[k]);
		free(args[k]);
	}
	return j;
}

/*
 * After a table's name, ending at j: its hints and [AS] alias, emitted as
 * "AS alias" (the name when there is none) and recorded as a qualifier; "ON 1"
 * for a pending APPLY.  Returns the index after the trailing hints.
 */
static int
table_alias(Walk *w, int j, const char *name)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	const char *alias;

	j = skip_hints(st, j);
	alias = parse_alias(st, &j);
	emit(w, "AS");
	emit_ident(w, alias ? alias : name);
	engine_add_qualifier(x->s, alias ? alias : name);
	if (w->apply_pending)
	{
		emit(w, "ON 1");
		w->apply_pending = false;
	}
	return skip_hints(st, j);
}

/* A table reference at i (FROM, JOIN, UPDATE, DELETE FROM).  Returns next i. */
static int
table_ref(Walk *w, int i)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	char		db[ENGINE_NAME_LEN],
				schema[ENGINE_NAME_LEN],
				name[ENGINE_NAME_LEN];
	int			j = i;
	const char *alias;
	char		sqlname[ENGINE_NAME_LEN * 2 + 2];

	if (st->tok[i].type == TK_TEMP)
	{
		emit(w, "temp.");
		ebuf_append_ident(&x->sql, st->tok[i].text);
		j = i + 1;
		j = skip_hints(st, j);
		alias = parse_alias(st, &j);
		emit(w, "AS");
		emit_ident(w, alias ? alias : st->tok[i].text);
		engine_add_qualifier(x->s, alias ? alias : st->tok[i].text);
		return skip_hints(st, j);
	}
	if (!engine_parse_name_tokens(st, &j, db, schema, name, sizeof(name)))
		return i;				/* not a name: let the caller emit it */
	if (op_is(st, j, "("))
	{
		char		dotted[ENGINE_NAME_LEN * 3];
		char	   *p;

		snprintf(dotted, sizeof(dotted), "%s%s%s", schema, schema[0] ? "." : "", name);
		for (p = dotted; *p; p++)
			*p = (char) tolower((unsigned char) *p);
		return table_function(w, i, j, dotted);
	}
	if (db[0] && engine_strcasecmp(db, x->s->dbname) != 0)
	{
		/* another database: its file attached under its own schema name */
		const char *as = engine_attach_database(x->s, db);
		char	   *txt = engine_name_text(st, i, j);

		if (as == NULL)
		{
			engine_error(x->s, 208, "Invalid object name '%s'.", txt);
			free(txt);
			x->failed = true;
			return j;
		}
		snprintf(sqlname, sizeof(sqlname), "%s.%s", schema[0] ? schema : "dbo", name);
		{
			/* SQLite names a missing table "<attached schema>.<table>" */
			char	   *key = emalloc(strlen(as) + strlen(sqlname) + 2);

			sprintf(key, "%s.%s", as, sqlname);
			add_name_map(x->s, key, txt);
			free(key);
		}
		free(txt);
		emit_ident(w, as);
		ebuf_appendc(&x->sql, '.');
		ebuf_append_ident(&x->sql, sqlname);
		return table_alias(w, j, name);
	}
	if (!schema[0] && !db[0] && is_cte(x, name))
	{
		emit_ident(w, name);
	}
	else if (engine_strcasecmp(schema, "sys") == 0 ||
			 engine_strcasecmp(schema, "INFORMATION_SCHEMA") == 0)
	{
		snprintf(sqlname, sizeof(sqlname), "%s.%s",
				 engine_strcasecmp(schema, "sys") == 0 ? "sys" : "INFORMATION_SCHEMA", name);
		if (!engine_catalog_is_view(sqlname))
		{
			char	   *txt = engine_name_text(st, i, j);

			engine_error(x->s, 208, "Invalid object name '%s'.", txt);
			free(txt);
			x->failed = true;
			return j;
		}
		emit(w, "temp.");
		ebuf_append_ident(&x->sql, sqlname);
		x->touches_catalog = true;
		if (engine_strcasecmp(sqlname, "sys.partitions") == 0)
			x->s->want_partitions = true;
	}
	else
	{
		snprintf(sqlname, sizeof(sqlname), "%s.%s", schema[0] ? schema : "dbo", name);
		{
			char	   *txt = engine_name_text(st, i, j);

			add_name_map(x->s, sqlname, txt);
			free(txt);
		}
		emit(w, "");
		ebuf_append_ident(&x->sql, sqlname);
		add_table(x, schema, name);
	}
	return table_alias(w, j, name);
}

/* ------------------------------------------------------------------------
 * Special forms
 * ------------------------------------------------------------------------
 */

static bool
is_date_type(SimTypeId id)
{
	return id == SIM_DATE || id == SIM_DATETIME || id == SIM_SMALLDATETIME ||
		id == SIM_DATETIME2 || id == SIM_DATETIMEOFFSET || id == SIM_TIME;
}

/*
 * CONVERT's style: a date/time value converted to a string is formatted
 * by __sim_datestyle, a string converted to a date read in the style's
 * order by __sim_parsestyle (engine_datefuncs.c).  Takes and returns the
 * translated expression (malloc'd); other conversions keep it.
 */
static char *
style_wrap(EngineXlate *x, char *expr, int from, int to, const SimType *target, int style)
{
	SimType		src;
	bool		known = engine_expr_type(x, from, to, &src);
	EngineBuf	b;

	ebuf_init(&b);
	if (is_string_type(target->id) && known && is_date_type(src.id))
	{
		int			kind = src.id == SIM_DATE ? 1 : src.id == SIM_DATETIME ? 2 :
			src.id == SIM_SMALLDATETIME ? 3 : src.id == SIM_DATETIME2 ? 4 :
			src.id == SIM_DATETIMEOFFSET ? 5 : 6;

		ebuf_printf(&b, "__sim_datestyle((%s), %d, %d, %d)", expr, style, kind, src.scale);
	}
	else if (is_date_type(target->id) && target->id != SIM_TIME &&
			 (!known || is_string_type(src.id)))
		ebuf_printf(&b, "__sim_parsestyle((%s), %d)", expr, style);
	else if (is_string_type(target->id) && known && (style == 1 || style == 2) &&
			 (src.id == SIM_BINARY || src.id == SIM_VARBINARY || src.id == SIM_IMAGE ||
			  src.id == SIM_ROWVERSION))
	{
		/* binary to text: style 1 '0x1A2B', style 2 '1A2B' (upper-case hex) */
		ebuf_printf(&b, "(CASE WHEN (%s) IS NULL THEN NULL ELSE %shex(%s) END)", expr,
					style == 1 ? "'0x' || " : "", expr);
	}
	else
	{
		ebuf_free(&b);
		return expr;
	}
	free(expr);
	return b.data;
}

/*
 * Contract in engine_int.h.
 */
int
engine_expr_src_flags(EngineXlate *x, int a, int b)
{
	SimType		t;

	if (!engine_expr_type(x, a, b, &t))
		return 0;
	return engine_type_src_flags(&t);
}

/* CAST(expr AS type) / TRY_CAST; CONVERT(type, expr [, style]) / TRY_CONVERT */
static int
cast_form(Walk *w, int i, bool is_convert, bool is_try, SimType *type_out)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			close = engine_skip_parens(st, i + 1) - 1;
	int			k,
				depth = 0,
				split = -1;
	int			expr_from,
				expr_to,
				type_from,
				type_to,
				style = -1;
	char	   *typetext;
	SimType		t;
	char		err[256];
	char	   *expr;
	char		buf[128];

	for (k = i + 2; k < close; k++)
	{
		if (op_is(st, k, "("))
			depth++;
		else if (op_is(st, k, ")"))
			depth--;
		else if (depth == 0 && ((!is_convert && word_is(st, k, "AS")) ||
								(is_convert && op_is(st, k, ","))))
		{
			split = k;
			break;
		}
	}
	if (split < 0)
	{
		engine_error(x->s, 102, "Incorrect syntax near '%s'.", st->tok[close].text);
		x->failed = true;
		return close + 1;
	}
	if (is_convert)
	{
		type_from = i + 2;
		type_to = split;
		expr_from = split + 1;
		expr_to = close;
		depth = 0;
		for (k = expr_from; k < close; k++)
		{
			if (op_is(st, k, "("))
				depth++;
			else if (op_is(st, k, ")"))
				depth--;
			else if (depth == 0 && op_is(st, k, ","))
			{
				expr_to = k;
				/* a literal style number (others are ignored) */
				if (k + 2 == close && st->tok[k + 1].type == TK_NUMBER)
					style = atoi(st->tok[k + 1].text);
				break;
			}
		}
	}
	else
	{
		expr_from = i + 2;
		expr_to = split;
		type_from = split + 1;
		type_to = close;
	}
	typetext = engine_tok_text(st, type_from, type_to);
	if (!sim_type_parse(typetext, &t, err, sizeof(err)))
	{
		engine_error(x->s, 243, "Type %s is not a defined system type.", typetext);
		free(typetext);
		x->failed = true;
		return close + 1;
	}
	free(typetext);
	/* CAST(x AS varchar) without length means varchar(30) */
	if ((t.id == SIM_VARCHAR || t.id == SIM_NVARCHAR || t.id == SIM_CHAR || t.id == SIM_NCHAR) &&
		!op_is(st, type_to - 1, ")"))
		t.length = 30;
	expr = NULL;
	if (is_decimal_type(&t))
	{
		/*
		 * a numeric literal with more digits than a double keeps reaches
		 * the conversion exactly, as text (shorter ones convert exactly
		 * from their double, and overflow errors then name numeric)
		 */
		EngineBuf	save = x->sql;
		int			lit = expr_from + (expr_to - expr_from == 2 ? 1 : 0);
		int			digits = 0;
		const char *p;

		for (p = st->tok[lit].text; *p; p++)
			digits += isdigit((unsigned char) *p) ? 1 : 0;
		ebuf_init(&x->sql);
		if (digits > 15 && emit_decimal_literal(w, expr_from, expr_to))
			expr = x->sql.data;
		else
			ebuf_free(&x->sql);
		x->sql = save;
	}
	if (expr == NULL)
		expr = sub_translate(x, expr_from, expr_to);
	if (style < 0 && is_string_type(t.id))
	{
		SimType		src;

		/* datetime and smalldatetime become text in style 0 by default */
		if (engine_expr_type(x, expr_from, expr_to, &src) &&
			(src.id == SIM_DATETIME || src.id == SIM_SMALLDATETIME))
			style = 0;
	}
	if (style >= 0)
		expr = style_wrap(x, expr, expr_from, expr_to, &t, style);
	snprintf(buf, sizeof(buf), ", %d, %d, %d, %d, %d)", (int) t.id, t.length, t.precision, t.scale,
			 CV_EXPLICIT | engine_expr_src_flags(x, expr_from, expr_to));
	emit(w, is_try ? "__sim_try_cv(" : "__sim_cv(");
	ebuf_append(&x->sql, expr);
	ebuf_append(&x->sql, buf);
	free(expr);
	if (type_out)
		*type_out = t;
	w->last_string = is_string_type(t.id);
	return close + 1;
}

/*
 * LEN(x) / DATALENGTH(x) at token i: what they count depends on x's type,
 * which the SQLite value does not carry (every string is UTF-8 text), so
 * the translator passes it on: len(x, 1) counts characters of a
 * char/varchar, len(x) UTF-16 code units; datalength(x, kind, size) as
 * fn_datalength (engine_funcs.c) describes.  Returns the index after the
 * call.
 */
static int
length_call(Walk *w, int i, bool is_len)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			close = engine_skip_parens(st, i + 1) - 1;
	SimType		t;
	int			kind = 0,
				size = 0;
	char	   *arg;
	char		buf[64];

	if (engine_expr_type(x, i + 2, close, &t))
	{
		switch (t.id)
		{
			case SIM_CHAR:
			case SIM_VARCHAR:
			case SIM_TEXT:
				kind = 1;
				break;
			case SIM_NCHAR:
			case SIM_NVARCHAR:
			case SIM_NTEXT:
			case SIM_SYSNAME:
			case SIM_XML:
				kind = 2;
				break;
			case SIM_BINARY:
			case SIM_VARBINARY:
			case SIM_IMAGE:
				kind = 3;
				break;
			default:
				kind = 4;
				size = sim_type_max_length(&t);
				if (size <= 0)
					kind = 0;
				break;
		}
	}
	arg = sub_translate(x, i + 2, close);
	if (is_len)
		snprintf(buf, sizeof(buf), kind == 1 ? ", 1)" : ")");
	else
		snprintf(buf, sizeof(buf), ", %d, %d)", kind, size);
	emit(w, is_len ? "len(" : "datalength(");
	ebuf_append(&x->sql, arg);
	ebuf_append(&x->sql, buf);
	free(arg);
	w->last_string = false;
	return close + 1;
}

/* @@globals become literals */
static void
global_value(Walk *w, const char *g)
{
	SimSession *s = w->x->s;
	char		buf[64];

	if (engine_strcasecmp(g, "@@version") == 0)
		emit_literal(w, version_text);
	else if (engine_strcasecmp(g, "@@spid") == 0)
	{
		snprintf(buf, sizeof(buf), "%d", s->spid);
		emit(w, buf);
	}
	else if (engine_strcasecmp(g, "@@rowcount") == 0)
	{
		snprintf(buf, sizeof(buf), "%lld", (long long) s->last_rowcount);
		emit(w, buf);
	}
	else if (engine_strcasecmp(g, "@@trancount") == 0)
	{
		snprintf(buf, sizeof(buf), "%d", s->trancount);
		emit(w, buf);
	}
	else if (engine_strcasecmp(g, "@@error") == 0)
	{
		snprintf(buf, sizeof(buf), "%d", s->last_error);
		emit(w, buf);
	}
	else if (engine_strcasecmp(g, "@@identity") == 0)
	{
		if (s->have_identity)
		{
			snprintf(buf, sizeof(buf), "%lld", (long long) s->last_identity);
			emit(w, buf);
		}
		else
			emit(w, "NULL");
	}
	else if (engine_strcasecmp(g, "@@servername") == 0)
		emit_literal(w, engine_server_name());
	else if (engine_strcasecmp(g, "@@servicename") == 0)
		emit_literal(w, "MSSQLSERVER");
	else if (engine_strcasecmp(g, "@@language") == 0)
		emit_literal(w, "us_english");
	else if (engine_strcasecmp(g, "@@datefirst") == 0)
	{
		char		buf[16];

		snprintf(buf, sizeof(buf), "%d", w->x->s->datefirst);
		emit(w, buf);
	}
	else if (engine_strcasecmp(g, "@@max_precision") == 0)
		emit(w, "38");
	else if (engine_strcasecmp(g, "@@textsize") == 0)
		emit(w, "2147483647");
	else if (engine_strcasecmp(g, "@@lock_timeout") == 0)
	{
		char		buf[32];

		snprintf(buf, sizeof(buf), "%lld", (long long) w->x->s->lock_timeout_ms);
		emit(w, buf);
	}
	else if (engine_strcasecmp(g, "@@microsoftversion") == 0)
		emit(w, "268436456");
	else if (engine_strcasecmp(g, "@@options") == 0)
		emit(w, "5496");
	else
		emit(w, "0");			/* @@NESTLEVEL, @@PROCID, @@FETCH_STATUS ... */
	w->last_string = engine_strcasecmp(g, "@@version") == 0 ||
		engine_strcasecmp(g, "@@servername") == 0 || engine_strcasecmp(g, "@@language") == 0 ||
		engine_strcasecmp(g, "@@servicename") == 0;
}

/* TOP n | TOP (expr) [PERCENT] [WITH TIES]; returns next i */
static int
top_clause(Walk *w, int i, Level *lv)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			j = i + 1;

	if (op_is(st, j, "("))
	{
		int			end = engine_skip_parens(st, j);

		free(lv->limit);
		lv->limit = sub_translate(x, j + 1, end - 1);
		j = end;
	}
	else
	{
		free(lv->limit);
		lv->limit = sub_translate(x, j, j + 1);
		j++;
	}
	if (word_is(st, j, "PERCENT"))
		j++;
	if (word_is(st, j, "WITH") && word_is(st, j + 1, "TIES"))
		j += 2;
	return j;
}

/* OFFSET n ROW[S] [FETCH FIRST|NEXT m ROW[S] ONLY] */
static int
offset_clause(Walk *w, int i, Level *lv)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			j = i + 1;
	int			k = j;

	while (k < st->ntok && !word_is(st, k, "ROWS") && !word_is(st, k, "ROW"))
		k++;
	free(lv->offset);
	lv->offset = sub_translate(x, j, k);
	j = k + 1;
	if (word_is(st, j, "FETCH"))
	{
		j += 2;					/* FETCH FIRST|NEXT */
		k = j;
		while (k < st->ntok && !word_is(st, k, "ROWS") && !word_is(st, k, "ROW"))
			k++;
		free(lv->limit);
		lv->limit = sub_translate(x, j, k);
		j = k + 1;
		if (word_is(st, j, "ONLY"))
			j++;
	}
	return j;
}

/* End of the select list starting at i (depth-0 FROM, INTO, WHERE ...). */
static int
select_list_end(const EngineStmt *st, int i, int to)
{
	static const char *enders[] = {"from", "into", "where", "group", "having", "order",
		"union", "except", "intersect", "option", "for", "offset", "window", NULL};
	int			depth = 0;

	for (; i < to; i++)
	{
		if (op_is(st, i, "("))
			depth++;
		else if (op_is(st, i, ")"))
		{
			if (depth == 0)
				return i;
			depth--;
		}
		else if (depth == 0 && st->tok[i].type == TK_WORD && word_in(st->tok[i].text, enders) &&
				 !(word_is(st, i, "GROUP") && i > 0 && word_is(st, i - 1, "WITHIN")))
			return i;
		else if (depth == 0 && op_is(st, i, ";"))
			return i;
	}
	return to;
}

/*
 * Is the select item [a, b) a bare column reference ('*', name, t.name,
 * t.*) rather than an expression?  A bare NULL is an expression.
 */
static bool
is_plain_column(const EngineStmt *st, int a, int b)
{
	int			e;

	if (b - a == 1 && op_is(st, a, "*"))
		return true;
	e = engine_name_end(st, a);
	if (e == b && st->tok[a].type != TK_WORD)
		return true;
	if (e == b && !op_is(st, a + 1, "("))
	{
		/* a bare keyword-like word (NULL) is an expression */
		if (b - a == 1 && engine_strcasecmp(st->tok[a].text, "NULL") == 0)
			return false;
		return true;
	}
	if (e + 2 == b && op_is(st, e, ".") && op_is(st, e + 1, "*"))
		return true;
	return false;
}

/*
 * Type hint for a select item expression [a, b): what engine_expr_type
 * tells (engine_exprtype.c); a bare NULL is int, as in SQL Server.  Plain
 * column references get none: SQLite's declared type is exact for them,
 * and a name looked up by itself could be another table's column (of a
 * derived table, say).  No hint (id 0): engine_stream types the column
 * from its first value.
 */
static void
item_hint(EngineXlate *x, int a, int b, SimType *hint)
{
	const EngineStmt *st = x->st;

	memset(hint, 0, sizeof(*hint));
	if (b - a == 1 && word_is(st, a, "NULL"))
	{
		hint->id = SIM_INT;		/* a bare NULL is an int NULL */
		return;
	}
	/*
	 * (A plain column's own declared type comes first where SQLite has it;
	 * a view's computed column has none, its catalog type is used then.)
	 */
	if (!engine_expr_type(x, a, b, hint))
		memset(hint, 0, sizeof(*hint));
}

/* The top-level select list [i, end); returns end. */
static int
select_list(Walk *w, int i, int end)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			a = i;

	while (a < end)
	{
		int			b = a,
					depth = 0;
		EngineSelectItem *it;
		int			ea,
					eb;
		const char *alias = NULL;

		while (b < end)
		{
			if (op_is(st, b, "("))
				depth++;
			else if (op_is(st, b, ")"))
				depth--;
			else if (depth == 0 && op_is(st, b, ","))
				break;
			b++;
		}
		if (x->nitems >= 256)
			break;
		it = &x->items[x->nitems++];
		memset(it, 0, sizeof(*it));
		ea = a;
		eb = b;
		if (st->tok[a].type == TK_VAR && (op_is(st, a + 1, "=") || op_is(st, a + 1, "+=")))
		{
			it->assign_var = estrdup(st->tok[a].text);
			x->has_assign = true;
			ea = a + 2;
			if (op_is(st, a + 1, "+="))
				ea = a;			/* @v += x: evaluate @v + x */
		}
		else if ((st->tok[a].type == TK_WORD || st->tok[a].type == TK_QIDENT ||
				  st->tok[a].type == TK_STRING) && op_is(st, a + 1, "=") && b - a > 2)
		{
			it->name = estrdup(st->tok[a].text);
			ea = a + 2;
		}
		else if (b - a >= 3 && word_is(st, b - 2, "AS"))
		{
			alias = st->tok[b - 1].text;
			eb = b - 2;
		}
		else if (b - a >= 2 && (st->tok[b - 1].type == TK_QIDENT || st->tok[b - 1].type == TK_STRING ||
								(st->tok[b - 1].type == TK_WORD &&
								 !word_in(st->tok[b - 1].text, not_alias))) &&
				 !op_is(st, b - 2, ".") && st->tok[b - 2].type != TK_OP)
		{
			alias = st->tok[b - 1].text;
			eb = b - 1;
		}
		else if (b - a >= 2 && (st->tok[b - 1].type == TK_QIDENT || st->tok[b - 1].type == TK_STRING ||
								(st->tok[b - 1].type == TK_WORD &&
								 !word_in(st->tok[b - 1].text, not_alias))) &&
				 op_is(st, b - 2, ")"))
		{
			alias = st->tok[b - 1].text;
			eb = b - 1;
		}
		if (alias)
			it->name = estrdup(alias);
		item_hint(x, ea, eb, &it->hint);
		it->expr_from = ea;
		it->expr_to = eb;
		if (it->assign_var == NULL && it->name == NULL && !is_plain_column(st, ea, eb))
			it->unnamed = true;
		if (a > i)
			ebuf_appendc(&x->sql, ',');
		/* CAST/CONVERT items: the hint comes from the translation */
		if (st->tok[ea].type == TK_WORD && op_is(st, ea + 1, "(") &&
			engine_skip_parens(st, ea + 1) == eb &&
			(word_is(st, ea, "CAST") || word_is(st, ea, "CONVERT") ||
			 word_is(st, ea, "TRY_CAST") || word_is(st, ea, "TRY_CONVERT")))
		{
			w->depth = 0;
			cast_form(w, ea, word_is(st, ea, "CONVERT") || word_is(st, ea, "TRY_CONVERT"),
					  word_is(st, ea, "TRY_CAST") || word_is(st, ea, "TRY_CONVERT"), &it->hint);
		}
		else
		{
			char	   *e = sub_translate(x, ea, eb);

			emit(w, e);
			free(e);
		}
		if (it->assign_var && ea == a)
		{
			/* "+=" rewrote nothing yet: a + expr */
		}
		if (it->name)
		{
			emit(w, "AS");
			emit_ident(w, it->name);
		}
		else if (it->unnamed)
			emit(w, "AS \"\"");
		a = b + 1;
	}
	return end;
}

/* Collect the CTE names of "WITH a AS (...), b (cols) AS (...)" */
static void
collect_ctes(EngineXlate *x, int i, int to)
{
	const EngineStmt *st = x->st;

	i++;
	while (i < to && is_name_tok(st, i) && x->nctes < 16)
	{
		x->ctes[x->nctes++] = estrdup(st->tok[i].text);
		i++;
		if (op_is(st, i, "("))
			i = engine_skip_parens(st, i);
		if (!word_is(st, i, "AS") || !op_is(st, i + 1, "("))
			return;
		i = engine_skip_parens(st, i + 1);
		if (!op_is(st, i, ","))
			return;
		i++;
	}
}

/* Load the tables a statement names, for column types (+ on strings). */
static void
prescan_tables(EngineXlate *x, int from, int to)
{
	const EngineStmt *st = x->st;
	int			i;

	for (i = from; i < to; i++)
	{
		if (st->tok[i].type == TK_WORD &&
			word_in(st->tok[i].text, (const char *[]) {"left", "right", "full", "outer", "union",
						"except", "intersect", "apply", NULL}))
			x->may_null = true;
		if (word_is(st, i, "FROM") || word_is(st, i, "JOIN") || word_is(st, i, "UPDATE") ||
			word_is(st, i, "INTO"))
		{
			int			j = i + 1;
			char		db[ENGINE_NAME_LEN],
						schema[ENGINE_NAME_LEN],
						name[ENGINE_NAME_LEN];

			int			t = -1;

			if (st->tok[j].type == TK_TEMP)
				t = add_table(x, "", st->tok[j++].text);
			else if (engine_parse_name_tokens(st, &j, db, schema, name, sizeof(name)) &&
				!op_is(st, j, "(") && engine_strcasecmp(schema, "sys") != 0 &&
				engine_strcasecmp(schema, "INFORMATION_SCHEMA") != 0 && !is_cte(x, name))
				t = add_table(x, schema, name);
			if (t >= 0)
			{
				/* its alias, for the types of qualified column names */
				const char *alias;

				j = skip_hints(st, j);
				alias = parse_alias(st, &j);
				if (alias)
					engine_xlate_add_alias(x, alias, t);
			}
		}
	}
}

/*
 * STRING_AGG(value, sep) WITHIN GROUP (ORDER BY k1 [ASC|DESC], ...) at token
 * i (the name): __sim_string_agg_ord(value, sep, k1, desc1, ...), an
 * aggregate that orders the values (engine_stringagg.c; SQLite 3.40 has no
 * ORDER BY in aggregates).  Returns the index after the WITHIN GROUP
 * clause, or i when there is none (plain STRING_AGG).
 */
static int
string_agg_ordered(Walk *w, int i)
{
	EngineXlate *x = w->x;
	const EngineStmt *st = x->st;
	int			close = engine_skip_parens(st, i + 1);
	int			gclose,
				k,
				depth = 0,
				start,
				comma = -1,
				nkeys = 0;
	char	   *sql;

	if (!word_is(st, close, "WITHIN") || !word_is(st, close + 1, "GROUP") ||
		!op_is(st, close + 2, "(") || !word_is(st, close + 3, "ORDER") ||
		!word_is(st, close + 4, "BY"))
		return i;
	gclose = engine_skip_parens(st, close + 2);
	for (k = i + 2; k < close - 1; k++)
	{
		if (op_is(st, k, "("))
			depth++;
		else if (op_is(st, k, ")"))
			depth--;
		else if (depth == 0 && op_is(st, k, ","))
		{
			comma = k;
			break;
		}
	}
	if (comma < 0)
		return i;
	emit(w, "__sim_string_agg_ord(");
	sql = sub_translate(x, i + 2, comma);
	ebuf_append(&x->sql, sql);
	free(sql);
	ebuf_append(&x->sql, ", ");
	sql = sub_translate(x, comma + 1, close - 1);
	ebuf_append(&x->sql, sql);
	free(sql);
	/* the keys */
	start = close + 5;
	depth = 0;
	for (k = start; k <= gclose - 1 && nkeys < 3; k++)
	{
		if (k < gclose - 1 && op_is(st, k, "("))
			depth++;
		else if (k < gclose - 1 && op_is(st, k, ")"))
			depth--;
		else if (k == gclose - 1 || (depth == 0 && op_is(st, k, ",")))
		{
			int			e = k;
			bool		desc = false;

			if (e > start && (word_is(st, e - 1, "DESC") || word_is(st, e - 1, "ASC")))
			{
				desc = word_is(st, e - 1, "DESC");
				e--;
			}
			if (e > start)
			{
				sql = sub_translate(x, start, e);
				ebuf_append(&x->sql, ", ");
				ebuf_append(&x->sql, sql);
				ebuf_append(&x->sql, desc ? ", 1" : ", 0");
				free(sql);
				nkeys++;
			}
			start = k + 1;
		}
	}
	ebuf_appendc(&x->sql, ')');
	w->last_string = true;
	return gclose;
}

/* ------------------------------------------------------------------------
 * The walk
 * ------------------------------------------------------------------------
 */

/*
 * The translator proper: tokens [from, to) appended to x->sql.  top_stmt:
 * [from, to) is a whole statement (collect its CTE names and tables; the
 * first SELECT's list gets names and type hints).
 */
static bool
walk_range(EngineXlate *x, int from, int to, bool top_stmt)
{
	const EngineStmt *st = x->st;
	Walk		w;
	int			i = from;

	memset(&w, 0, sizeof(w));
	w.x = x;
	if (top_stmt)
	{
		if (word_is(st, from, "WITH"))
			collect_ctes(x, from, to);
		prescan_tables(x, from, to);
	}
	while (i < to && !x->failed)
	{
		const EngineToken *t = &st->tok[i];
		Level	   *lv = &w.lv[w.depth];

		if (w.expect_table)
		{
			int			j;

			w.expect_table = false;
			if (t->type == TK_WORD || t->type == TK_QIDENT || t->type == TK_TEMP)
			{
				/* LATERAL/APPLY forms and keywords are not table names */
				if (!(t->type == TK_WORD && word_in(t->text, not_alias) &&
					  !op_is(st, i + 1, ".")))
				{
					j = table_ref(&w, i);
					if (j > i)
					{
						i = j;
						continue;
					}
				}
			}
		}
		if (!lv->in_from)
		{
			int			j = decimal_arith(&w, i, from, to);

			if (j == i)
				j = mixed_arith(&w, i, from, to);
			if (j == i)
				j = string_vs_integer(&w, i, from, to);
			if (j > i)
			{
				i = j;
				continue;
			}
		}
		switch (t->type)
		{
			case TK_WORD:
				{
					const char *kw = t->text;

					if (engine_strcasecmp(kw, "SELECT") == 0)
					{
						emit(&w, "SELECT");
						i++;
						lv->in_from = false;
						if (word_is(st, i, "DISTINCT") || word_is(st, i, "ALL"))
						{
							emit(&w, st->tok[i].text);
							i++;
						}
						if (word_is(st, i, "TOP"))
							i = top_clause(&w, i, lv);
						if (w.depth == 0 && !x->select_seen && top_stmt)
						{
							int			end = select_list_end(st, i, to);

							x->select_seen = true;
							i = select_list(&w, i, end);
						}
						continue;
					}
					if (engine_strcasecmp(kw, "FROM") == 0)
					{
						emit(&w, "FROM");
						lv->in_from = true;
						w.expect_table = true;
						i++;
						continue;
					}
					if (engine_strcasecmp(kw, "JOIN") == 0)
					{
						emit(&w, "JOIN");
						w.expect_table = true;
						i++;
						continue;
					}
					if ((engine_strcasecmp(kw, "CROSS") == 0 || engine_strcasecmp(kw, "OUTER") == 0) &&
						word_is(st, i + 1, "APPLY"))
					{
						/* no LATERAL in SQLite: a join the TVF handler conditions */
						emit(&w, engine_strcasecmp(kw, "CROSS") == 0 ? "JOIN" : "LEFT JOIN");
						w.expect_table = true;
						w.apply_pending = true;
						i += 2;
						continue;
					}
					if (word_in(kw, (const char *[]) {"where", "group", "having", "order", "on", NULL}))
					{
						lv->in_from = false;
						emit(&w, kw);
						i++;
						continue;
					}
					if (word_in(kw, (const char *[]) {"union", "except", "intersect", NULL}))
					{
						lv->in_from = false;
						emit(&w, kw);
						i++;
						continue;
					}
					if (engine_strcasecmp(kw, "OFFSET") == 0 && w.depth >= 0 &&
						(st->tok[i + 1].type == TK_NUMBER || st->tok[i + 1].type == TK_VAR ||
						 op_is(st, i + 1, "(")))
					{
						i = offset_clause(&w, i, lv);
						continue;
					}
					if (engine_strcasecmp(kw, "COLLATE") == 0 && is_name_tok(st, i + 1))
					{
						/* SQL Server collation names: binary/case-sensitive ones compare bytewise */
						const char *c = st->tok[i + 1].text;

						emit(&w, strstr(c, "_BIN") || strstr(c, "_bin") || strstr(c, "_CS_") ||
							 strstr(c, "_cs_") ? "COLLATE BINARY" : "COLLATE SIM_CI");
						i += 2;
						continue;
					}
					if (engine_strcasecmp(kw, "OPTION") == 0 && op_is(st, i + 1, "("))
					{
						i = engine_skip_parens(st, i + 1);
						continue;
					}
					if (engine_strcasecmp(kw, "UPDATE") == 0 && i == from)
					{
						emit(&w, "UPDATE");
						w.expect_table = true;
						i++;
						if (word_is(st, i, "TOP"))
							i = top_clause(&w, i, lv);
						continue;
					}
					if (engine_strcasecmp(kw, "DELETE") == 0 && i == from)
					{
						emit(&w, "DELETE FROM");
						i++;
						if (word_is(st, i, "TOP"))
							i = top_clause(&w, i, lv);
						if (word_is(st, i, "FROM"))
							i++;
						w.expect_table = true;
						continue;
					}
					if ((engine_strcasecmp(kw, "CAST") == 0 || engine_strcasecmp(kw, "TRY_CAST") == 0) &&
						op_is(st, i + 1, "("))
					{
						i = cast_form(&w, i, false, engine_strcasecmp(kw, "TRY_CAST") == 0, NULL);
						continue;
					}
					if ((engine_strcasecmp(kw, "CONVERT") == 0 || engine_strcasecmp(kw, "TRY_CONVERT") == 0) &&
						op_is(st, i + 1, "("))
					{
						i = cast_form(&w, i, true, engine_strcasecmp(kw, "TRY_CONVERT") == 0, NULL);
						continue;
					}
					if (engine_strcasecmp(kw, "CURRENT_TIMESTAMP") == 0)
					{
						emit(&w, "getdate()");
						i++;
						continue;
					}
					if (engine_strcasecmp(kw, "SYSTEM_USER") == 0 && !op_is(st, i + 1, "("))
					{
						emit(&w, "suser_sname()");
						i++;
						w.last_string = true;
						continue;
					}
					if (engine_strcasecmp(kw, "SESSION_USER") == 0 ||
						(engine_strcasecmp(kw, "CURRENT_USER") == 0 && !op_is(st, i + 1, "(")))
					{
						emit(&w, "user_name()");
						i++;
						w.last_string = true;
						continue;
					}
					if (op_is(st, i + 1, "("))
					{
						/* function call */
						const char *fn = kw;
						const EngineFuncDef *f;
						char		lower[ENGINE_NAME_LEN];
						size_t		k;
						int			j;

						for (k = 0; kw[k] && k < sizeof(lower) - 1; k++)
							lower[k] = (char) tolower((unsigned char) kw[k]);
						lower[k] = '\0';
						if (strcmp(lower, "isnull") == 0)
							fn = "ifnull";
						else if (strcmp(lower, "count_big") == 0)
							fn = "count";
						else if (strcmp(lower, "ceiling") == 0)
							fn = "ceil";
						else if (strcmp(lower, "log") == 0)
							fn = "ln";
						else if (strcmp(lower, "ascii") == 0)
							fn = "unicode";
						else if (strcmp(lower, "unicode") == 0)
							fn = "__sim_unicode";
						else if (strcmp(lower, "nchar") == 0)
							fn = "__sim_nchar";
						else if (strcmp(lower, "string_agg") == 0 && (j = string_agg_ordered(&w, i)) > i)
						{
							i = j;
							continue;
						}
						else if (strcmp(lower, "string_agg") == 0)
							fn = "group_concat";
						else if (strcmp(lower, "left") == 0)
							fn = "sim_left";	/* LEFT/RIGHT are SQLite keywords */
						else if (strcmp(lower, "right") == 0)
							fn = "sim_right";
						else if (strcmp(lower, "scope_identity") == 0 && op_is(st, i + 2, ")"))
						{
							SimSession *s = x->s;
							char		buf[32];

							if (s->have_identity)
							{
								snprintf(buf, sizeof(buf), "%lld", (long long) s->last_identity);
								emit(&w, buf);
							}
							else
								emit(&w, "NULL");
							i += 3;
							continue;
						}
						else if (strcmp(lower, "len") == 0 || strcmp(lower, "datalength") == 0)
						{
							i = length_call(&w, i, strcmp(lower, "len") == 0);
							continue;
						}
						else if (word_in(lower, (const char *[]) {"sum", "avg", "round", "abs", NULL}) &&
								 (j = decimal_call(&w, i, lower)) > i)
						{
							i = j;
							continue;
						}
						else if (word_in(lower, (const char *[]) {"sum", "avg", NULL}) &&
								 (j = integer_aggregate(&w, i, lower)) > i)
						{
							i = j;
							continue;
						}
						else if ((f = engine_func_lookup(lower)) != NULL)
							fn = f->sql_name;
						emit(&w, fn);
						ebuf_appendc(&x->sql, '(');
						w.depth++;
						if (w.depth >= MAX_DEPTH)
						{
							engine_error(x->s, 191, "Some part of your SQL statement is nested too deeply.");
							x->failed = true;
							break;
						}
						memset(&w.lv[w.depth], 0, sizeof(Level));
						w.lv[w.depth].opener_string = word_in(lower, string_funcs);
						i += 2;
						/* date part keywords become strings */
						if (word_in(lower, (const char *[]) {"dateadd", "datediff", "datepart", "datename", "datediff_big", NULL}) &&
							st->tok[i].type == TK_WORD)
						{
							ebuf_append_literal(&x->sql, st->tok[i].text);
							i++;
						}
						continue;
					}
					if (op_is(st, i + 1, "."))
					{
						int			e = engine_name_end(st, i);

						if (op_is(st, e, "("))
						{
							/* dotted function: a registered one, e.g. sys.fn_cdc_get_max_lsn */
							char		lower[ENGINE_NAME_LEN * 2] = "";
							int			k;
							const EngineFuncDef *f;

							for (k = i; k < e; k++)
								strncat(lower, st->tok[k].text, sizeof(lower) - strlen(lower) - 1);
							for (k = 0; lower[k]; k++)
								lower[k] = (char) tolower((unsigned char) lower[k]);
							f = engine_func_lookup(lower);
							if (f == NULL)
							{
								engine_error(x->s, 4121, "Cannot find either column \"%s\" or the user-defined function or aggregate \"%s\", or the name is ambiguous.",
											 st->tok[i].text, lower);
								x->failed = true;
								break;
							}
							emit(&w, f->sql_name);
							i = e;
							continue;
						}
						/* column reference: keep the last two parts */
						{
							int			nparts = (e - i + 1) / 2;
							int			first = nparts >= 3 ? e - 3 : i;

							if (op_is(st, e, ".") && op_is(st, e + 1, "*"))
							{
								first = (e - i + 1) / 2 >= 2 ? e - 1 : i;
								emit_ident(&w, st->tok[first].text);
								ebuf_append(&x->sql, ".*");
								i = e + 2;
								continue;
							}
							emit_ident(&w, st->tok[first].text);
							ebuf_appendc(&x->sql, '.');
							ebuf_append_ident(&x->sql, st->tok[e - 1].text);
							{
								EngineColumn *c = find_column(x, st->tok[e - 1].text);

								w.last_string = c && is_string_type(c->type.id);
							}
							i = e;
							continue;
						}
					}
					/* plain word: keyword or column */
					{
						EngineColumn *c = find_column(x, kw);

						if (c)
						{
							emit_ident(&w, kw);
							w.last_string = is_string_type(c->type.id);
						}
						else
						{
							emit(&w, kw);
							w.last_string = false;
						}
					}
					i++;
					continue;
				}
			case TK_QIDENT:
				{
					int			e = engine_name_end(st, i);

					if (e > i + 1)
					{
						int			nparts = (e - i + 1) / 2;
						int			first = nparts >= 3 ? e - 3 : i;

						emit_ident(&w, st->tok[first].text);
						ebuf_appendc(&x->sql, '.');
						ebuf_append_ident(&x->sql, st->tok[e - 1].text);
					}
					else
						emit_ident(&w, t->text);
					{
						EngineColumn *c = find_column(x, st->tok[e - 1].text);

						w.last_string = c && is_string_type(c->type.id);
					}
					if (op_is(st, e, ".") && op_is(st, e + 1, "*"))
					{
						ebuf_append(&x->sql, ".*");
						e += 2;
					}
					i = e;
					continue;
				}
			case TK_STRING:
			case TK_NSTRING:
				emit_literal(&w, t->text);
				ci_compare(&w, i, from);
				w.last_string = true;
				i++;
				continue;
			case TK_NUMBER:
				{
					/*
					 * SQLite reads "1.5" as a double: keep decimal literals
					 * with more digits than a double holds exact, as text
					 */
					int			digits = 0;
					const char *p;

					for (p = t->text; *p; p++)
						if (isdigit((unsigned char) *p))
							digits++;
					if (number_compared_with_decimal(&w, i, from))
					{
						emit_literal(&w, t->text);
						emit(&w, " COLLATE SIM_NUM");
					}
					else if (strchr(t->text, '.') && !strpbrk(t->text, "eE") && digits > 15)
						emit_literal(&w, t->text);
					else
						emit(&w, t->text);
					w.last_string = false;
					i++;
					continue;
				}
			case TK_BINARY:
				{
					EngineBuf  *b = &x->sql;

					emit(&w, "X'");
					if (strlen(t->text) % 2)
						ebuf_appendc(b, '0');
					ebuf_append(b, t->text);
					ebuf_appendc(b, '\'');
					w.last_string = false;
					i++;
					continue;
				}
			case TK_VAR:
				{
					EngineVar  *v = engine_var_find(x->s, t->text);
					char		lower[ENGINE_NAME_LEN];
					size_t		k;

					if (v == NULL)
					{
						engine_error(x->s, 137, "Must declare the scalar variable \"%s\".", t->text);
						x->failed = true;
						break;
					}
					for (k = 0; t->text[k] && k < sizeof(lower) - 1; k++)
						lower[k] = (char) tolower((unsigned char) t->text[k]);
					lower[k] = '\0';
					emit(&w, lower);
					if (is_string_type(v->type.id))
						ci_compare(&w, i, from);
					w.last_string = is_string_type(v->type.id);
					i++;
					continue;
				}
			case TK_GLOBAL:
				global_value(&w, t->text);
				i++;
				continue;
			case TK_TEMP:
				emit(&w, "temp.");
				ebuf_append_ident(&x->sql, t->text);
				i++;
				continue;
			case TK_OP:
				{
					const char *op = t->text;

					if (strcmp(op, "(") == 0)
					{
						emit(&w, "(");
						w.depth++;
						if (w.depth >= MAX_DEPTH)
						{
							engine_error(x->s, 191, "Some part of your SQL statement is nested too deeply.");
							x->failed = true;
							break;
						}
						memset(&w.lv[w.depth], 0, sizeof(Level));
						i++;
						continue;
					}
					if (strcmp(op, ")") == 0)
					{
						bool		was_string = false;

						if (w.depth > 0)
						{
							flush_limit(&w, lv);
							was_string = lv->opener_string;
							w.depth--;
						}
						ebuf_appendc(&x->sql, ')');
						w.last_string = was_string;
						i++;
						continue;
					}
					if (strcmp(op, ",") == 0)
					{
						ebuf_appendc(&x->sql, ',');
						if (lv->in_from)
							w.expect_table = true;
						i++;
						continue;
					}
					if (strcmp(op, "+") == 0)
					{
						bool		str = w.last_string || operand_is_string(x, i + 1);

						emit(&w, str ? "||" : "+");
						i++;
						continue;
					}
					if (strcmp(op, ";") == 0)
					{
						i = to;
						continue;
					}
					if (strcmp(op, "-") == 0 && st->tok[i + 1].type == TK_NUMBER && i + 1 < to &&
						(i == from || (st->tok[i - 1].type == TK_OP && strcmp(st->tok[i - 1].text, ")") != 0) ||
						 (st->tok[i - 1].type == TK_WORD && word_in(st->tok[i - 1].text, not_alias))))
					{
						/* unary minus on a long decimal literal: keep it exact */
						const char *num = st->tok[i + 1].text;
						int			digits = 0;
						const char *p;

						for (p = num; *p; p++)
							if (isdigit((unsigned char) *p))
								digits++;
						if (strchr(num, '.') && !strpbrk(num, "eE") && digits > 15)
						{
							char	   *neg = emalloc(strlen(num) + 2);

							sprintf(neg, "-%s", num);
							emit_literal(&w, neg);
							free(neg);
							i += 2;
							continue;
						}
					}
					if ((strcmp(op, "/") == 0 || strcmp(op, "%") == 0) && i + 1 < to)
					{
						/* x / y: SQL Server raises 8134 where SQLite gives NULL */
						int			e = operand_end(st, i + 1, to);
						char	   *rhs = sub_translate(x, i + 1, e);

						emit(&w, op);
						emit(&w, "__sim_nz(");
						ebuf_append(&x->sql, rhs);
						ebuf_appendc(&x->sql, ')');
						free(rhs);
						w.last_string = false;
						i = e;
						continue;
					}
					if (strcmp(op, "!<") == 0)
						op = ">=";
					else if (strcmp(op, "!>") == 0)
						op = "<=";
					else if (strcmp(op, ".") == 0)
					{
						ebuf_appendc(&x->sql, '.');
						i++;
						continue;
					}
					emit(&w, op);
					w.last_string = false;
					i++;
					continue;
				}
			case TK_EOF:
				i = to;
				continue;
		}
		if (x->failed)
			break;
	}
	while (w.depth > 0)
	{
		free(w.lv[w.depth].limit);
		free(w.lv[w.depth].offset);
		w.depth--;
	}
	flush_limit(&w, &w.lv[0]);
	return !x->failed;
}

/* Translate a whole statement [from, to) into x->sql. */
bool
engine_xlate_range(EngineXlate *x, int from, int to)
{
	return walk_range(x, from, to, true);
}

/*
 * Translate one expression (with its type hint when hint is given).
 */
bool
engine_translate_expr(SimSession *s, const EngineStmt *st, int from, int to, EngineBuf *out,
					  SimType *hint)
{
	EngineXlate x;
	bool		ok;

	engine_xlate_init(&x, s, st);
	x.select_seen = true;
	if (hint)
	{
		item_hint(&x, from, to, hint);
		if (st->tok[from].type == TK_WORD && op_is(st, from + 1, "(") &&
			engine_skip_parens(st, from + 1) == to &&
			(word_is(st, from, "CAST") || word_is(st, from, "CONVERT")))
		{
			Walk		w;

			memset(&w, 0, sizeof(w));
			w.x = &x;
			cast_form(&w, from, word_is(st, from, "CONVERT"), false, hint);
			ok = !x.failed;
			goto done;
		}
	}
	ok = walk_range(&x, from, to, false);
done:
	ebuf_append(out, x.sql.data);
	engine_xlate_free(&x);
	return ok;
}
