/*
 * engine_util.c
 *		Memory helpers and the growable string buffer of the engine.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* malloc that aborts the process on failure (a test fixture may do that). */
void *
emalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
	{
		fprintf(stderr, "mssql_sim: out of memory\n");
		abort();
	}
	return p;
}

char *
estrdup(const char *s)
{
	return estrndup(s, strlen(s));
}

/* Copy of the first n bytes of s, NUL-terminated. */
char *
estrndup(const char *s, size_t n)
{
	char	   *p = emalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
engine_strcasecmp(const char *a, const char *b)
{
	for (;; a++, b++)
	{
		int			ca = tolower((unsigned char) *a);
		int			cb = tolower((unsigned char) *b);

		if (ca != cb || ca == 0)
			return ca - cb;
	}
}

void
ebuf_init(EngineBuf *b)
{
	b->cap = 256;
	b->len = 0;
	b->data = emalloc(b->cap);
	b->data[0] = '\0';
}

void
ebuf_free(EngineBuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
ebuf_reset(EngineBuf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

static void
ebuf_reserve(EngineBuf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
	{
		size_t		ncap = b->cap * 2;
		char	   *nd;

		while (ncap < b->len + extra + 1)
			ncap *= 2;
		nd = realloc(b->data, ncap);
		if (nd == NULL)
		{
			fprintf(stderr, "mssql_sim: out of memory\n");
			abort();
		}
		b->data = nd;
		b->cap = ncap;
	}
}

void
ebuf_appendn(EngineBuf *b, const char *s, size_t n)
{
	ebuf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
ebuf_append(EngineBuf *b, const char *s)
{
	ebuf_appendn(b, s, strlen(s));
}

void
ebuf_appendc(EngineBuf *b, char c)
{
	ebuf_appendn(b, &c, 1);
}

void
ebuf_printf(EngineBuf *b, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	ebuf_reserve(b, (size_t) n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
}

void
ebuf_append_ident(EngineBuf *b, const char *s)
{
	ebuf_appendc(b, '"');
	for (; *s; s++)
	{
		if (*s == '"')
			ebuf_appendc(b, '"');
		ebuf_appendc(b, *s);
	}
	ebuf_appendc(b, '"');
}

void
ebuf_append_literal(EngineBuf *b, const char *s)
{
	ebuf_appendc(b, '\'');
	for (; *s; s++)
	{
		if (*s == '\'')
			ebuf_appendc(b, '\'');
		ebuf_appendc(b, *s);
	}
	ebuf_appendc(b, '\'');
}
