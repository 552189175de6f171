/*
 * tds_alloc.c
 *		Heap memory for the protocol side: allocations that cannot fail,
 *		and the growable string built on them.
 *
 * A connection thread that runs out of memory has no sensible way to go on
 * (it may be half way through a token), so every allocation of the
 * protocol side goes through these functions, which report "mssql_sim: out
 * of memory" on stderr and abort the process.  Callers never test for NULL.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tds_int.h"

/* Report an allocation of n bytes that failed, and abort. */
static void
out_of_memory(size_t n)
{
	fprintf(stderr, "mssql_sim: out of memory (%zu bytes)\n", n);
	abort();
}

/* malloc that aborts instead of returning NULL (n == 0 gives a valid pointer). */
void *
tds_xmalloc(size_t n)
{
	void	   *p = malloc(n > 0 ? n : 1);

	if (p == NULL)
		out_of_memory(n);
	return p;
}

/* calloc of nmemb * size zeroed bytes that aborts instead of returning NULL. */
void *
tds_xcalloc(size_t nmemb, size_t size)
{
	void	   *p = calloc(nmemb > 0 ? nmemb : 1, size > 0 ? size : 1);

	if (p == NULL)
		out_of_memory(nmemb * size);
	return p;
}

/* realloc that aborts instead of returning NULL. */
void *
tds_xrealloc(void *p, size_t n)
{
	void	   *r = realloc(p, n > 0 ? n : 1);

	if (r == NULL)
		out_of_memory(n);
	return r;
}

/* A malloc'd copy of the first n bytes of s, NUL-terminated. */
char *
tds_xstrndup(const char *s, size_t n)
{
	char	   *r = tds_xmalloc(n + 1);

	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

/* A malloc'd copy of s. */
char *
tds_xstrdup(const char *s)
{
	return tds_xstrndup(s, strlen(s));
}

/*
 * Append n bytes to b (which starts zeroed: {0}); b->s stays
 * NUL-terminated.  The caller frees b->s.
 */
void
tds_sb_append(TdsStrBuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
	{
		b->cap = (b->len + n + 1) * 2 + 64;
		b->s = tds_xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Append the string s to b. */
void
tds_sb_puts(TdsStrBuf *b, const char *s)
{
	tds_sb_append(b, s, strlen(s));
}
