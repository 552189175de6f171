/*
 * engine_lex.c
 *		T-SQL tokenizer: turns a batch into an array of EngineTokens.
 *
 * Handles [bracketed] and "double-quoted" identifiers, 'strings' with ''
 * escapes, N'unicode strings', 0x binary literals, numbers, @variables,
 * @@globals, #temp names, -- and nested block comments.  Token texts are
 * decoded (quotes removed, escapes undone) and owned by the EngineLexed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

static bool
is_word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c == '#' || c == '@' || c >= 0x80;
}

static bool
is_word_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static void
push(EngineLexed *lx, EngineTokType type, char *text, int start, int end)
{
	if (lx->ntok + 1 >= lx->cap)
	{
		lx->cap = lx->cap ? lx->cap * 2 : 64;
		lx->tok = realloc(lx->tok, sizeof(EngineToken) * (size_t) lx->cap);
		if (lx->tok == NULL)
			abort();
	}
	lx->tok[lx->ntok].type = type;
	lx->tok[lx->ntok].text = text;
	lx->tok[lx->ntok].start = start;
	lx->tok[lx->ntok].end = end;
	lx->ntok++;
}

/* Decode a quoted run starting at src[i] (the opening quote) into a copy. */
static char *
decode_quoted(const char *src, int *pos, char close, bool *ok)
{
	EngineBuf	b;
	int			i = *pos + 1;

	ebuf_init(&b);
	*ok = false;
	while (src[i])
	{
		if (src[i] == close)
		{
			if (src[i + 1] == close)
			{
				ebuf_appendc(&b, close);
				i += 2;
				continue;
			}
			i++;
			*ok = true;
			break;
		}
		ebuf_appendc(&b, src[i]);
		i++;
	}
	*pos = i;
	return b.data;
}

/*
 * If the identifier text (UTF-8) has more than 128 characters, SQL
 * Server's limit for names and variables, set error 103 (showing its first
 * 128 characters) and return true.
 */
static bool
identifier_too_long(const char *text, int *errnum, char *errbuf, size_t errlen)
{
	const unsigned char *p;
	int			chars = 0;
	size_t		prefix = 0;

	for (p = (const unsigned char *) text; *p; p++)
		if ((*p & 0xC0) != 0x80)
		{
			if (chars == 128)
				prefix = (size_t) ((const char *) p - text);
			chars++;
		}
	if (chars <= 128)
		return false;
	*errnum = 103;
	snprintf(errbuf, errlen, "The identifier that starts with '%.*s' is too long. Maximum length is 128.",
			 (int) prefix, text);
	return true;
}

/*
 * Tokenize src into lx (free with engine_lex_free).  On a lexical error
 * (105 unclosed quote, 113 unclosed comment, 103 identifier longer than 128
 * characters) returns false with *errnum and errbuf set, and lx empty.
 */
bool
engine_lex(const char *src, EngineLexed *lx, int *errnum, char *errbuf, size_t errlen)
{
	int			i = 0;
	int			start = 0;
	char	   *text = NULL;

	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	while (src[i])
	{
		unsigned char c = (unsigned char) src[i];
		bool		ok;

		start = i;

		if (isspace(c))
		{
			i++;
			continue;
		}
		if (c == '-' && src[i + 1] == '-')
		{
			while (src[i] && src[i] != '\n')
				i++;
			continue;
		}
		if (c == '/' && src[i + 1] == '*')
		{
			int			depth = 1;

			i += 2;
			while (src[i] && depth > 0)
			{
				if (src[i] == '/' && src[i + 1] == '*')
				{
					depth++;
					i += 2;
				}
				else if (src[i] == '*' && src[i + 1] == '/')
				{
					depth--;
					i += 2;
				}
				else
					i++;
			}
			if (depth > 0)
			{
				*errnum = 113;
				snprintf(errbuf, errlen, "Missing end comment mark '*/'.");
				engine_lex_free(lx);
				return false;
			}
			continue;
		}
		if (c == '\'' || ((c == 'N' || c == 'n') && src[i + 1] == '\''))
		{
			/* 'string' or N'string' */
			bool		national = (c != '\'');

			if (national)
				i++;
			text = decode_quoted(src, &i, '\'', &ok);
			if (!ok)
				goto unclosed;
			push(lx, national ? TK_NSTRING : TK_STRING, text, start, i);
			continue;
		}
		if (c == '[' || c == '"')
		{
			/* [identifier] or "identifier" */
			text = decode_quoted(src, &i, c == '[' ? ']' : '"', &ok);
			if (!ok)
				goto unclosed;
			if (identifier_too_long(text, errnum, errbuf, errlen))
				goto fail;
			push(lx, TK_QIDENT, text, start, i);
			continue;
		}
		if (c == '0' && (src[i + 1] == 'x' || src[i + 1] == 'X'))
		{
			i += 2;
			while (isxdigit((unsigned char) src[i]))
				i++;
			push(lx, TK_BINARY, estrndup(src + start + 2, (size_t) (i - start - 2)), start, i);
			continue;
		}
		if (isdigit(c) || (c == '.' && isdigit((unsigned char) src[i + 1])))
		{
			while (isdigit((unsigned char) src[i]))
				i++;
			if (src[i] == '.')
			{
				i++;
				while (isdigit((unsigned char) src[i]))
					i++;
			}
			if ((src[i] == 'e' || src[i] == 'E') &&
				(isdigit((unsigned char) src[i + 1]) ||
				 ((src[i + 1] == '+' || src[i + 1] == '-') && isdigit((unsigned char) src[i + 2]))))
			{
				i += 2;
				while (isdigit((unsigned char) src[i]))
					i++;
			}
			push(lx, TK_NUMBER, estrndup(src + start, (size_t) (i - start)), start, i);
			continue;
		}
		if (c == '@')
		{
			EngineTokType t = TK_VAR;

			i++;
			if (src[i] == '@')
			{
				t = TK_GLOBAL;
				i++;
			}
			while (src[i] && is_word_char((unsigned char) src[i]))
				i++;
			text = estrndup(src + start, (size_t) (i - start));
			if (identifier_too_long(text, errnum, errbuf, errlen))
				goto fail;
			push(lx, t, text, start, i);
			continue;
		}
		if (c == '#')
		{
			i++;
			while (src[i] && is_word_char((unsigned char) src[i]))
				i++;
			push(lx, TK_TEMP, estrndup(src + start, (size_t) (i - start)), start, i);
			continue;
		}
		if (is_word_start(c))
		{
			while (src[i] && is_word_char((unsigned char) src[i]))
				i++;
			text = estrndup(src + start, (size_t) (i - start));
			if (identifier_too_long(text, errnum, errbuf, errlen))
				goto fail;
			push(lx, TK_WORD, text, start, i);
			continue;
		}
		/* operators */
		{
			static const char *two[] = {"<>", "<=", ">=", "!=", "!<", "!>", "+=", "-=",
			"*=", "/=", "%=", "&=", "|=", "^=", "::", NULL};
			int			k;
			int			len = 1;

			for (k = 0; two[k]; k++)
				if (src[i] == two[k][0] && src[i + 1] == two[k][1])
				{
					len = 2;
					break;
				}
			i += len;
			push(lx, TK_OP, estrndup(src + start, (size_t) len), start, i);
		}
	}
	for (int k = 0; k < ENGINE_LEX_PAD; k++)
		push(lx, TK_EOF, estrdup(""), i, i);
	lx->ntok -= ENGINE_LEX_PAD; /* the sentinels are not counted */
	lx->npad = ENGINE_LEX_PAD;
	return true;

unclosed:
	free(text);
	*errnum = 105;
	snprintf(errbuf, errlen, "Unclosed quotation mark after the character string '%s'.", src + start + 1);
	engine_lex_free(lx);
	return false;

fail:
	/* *errnum and errbuf are set */
	free(text);
	engine_lex_free(lx);
	return false;
}

void
engine_lex_free(EngineLexed *lx)
{
	int			i;

	/* tokens [0, ntok) and the sentinels after them */
	for (i = 0; i < lx->ntok + lx->npad && lx->tok; i++)
		free((char *) lx->tok[i].text);
	free(lx->tok);
	memset(lx, 0, sizeof(*lx));
}

bool
engine_tok_is(const EngineStmt *st, int i, const char *kw)
{
	if (i < 0 || i >= st->ntok)
		return false;
	return st->tok[i].type == TK_WORD && engine_strcasecmp(st->tok[i].text, kw) == 0;
}

bool
engine_tok_op(const EngineStmt *st, int i, const char *op)
{
	if (i < 0 || i >= st->ntok)
		return false;
	return st->tok[i].type == TK_OP && strcmp(st->tok[i].text, op) == 0;
}

char *
engine_tok_text(const EngineStmt *st, int from, int to)
{
	if (from >= to)
		return estrdup("");
	return estrndup(st->src + st->tok[from].start,
					(size_t) (st->tok[to - 1].end - st->tok[from].start));
}

/*
 * A multi-part name in tokens [from, to) as SQL Server writes it in
 * messages such as 208: the parts as written, without their brackets or
 * double quotes and without the spaces around the dots ("[db] . dbo..[t]"
 * is "db.dbo..t").  Returns a malloc'd string.
 */
char *
engine_name_text(const EngineStmt *st, int from, int to)
{
	EngineBuf	b;
	int			i;

	ebuf_init(&b);
	for (i = from; i < to; i++)
		ebuf_append(&b, st->tok[i].text);
	return b.data;
}
