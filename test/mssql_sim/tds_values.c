/*
 * tds_values.c
 *		sqlite3_values made from C values, for decoded RPC parameters and
 *		bulk load rows.
 *
 * sqlite3_values have no public constructor, so each connection keeps a
 * private ":memory:" handle with a prepared "SELECT ?1" (opened on first
 * use, closed by tds_conn_free): a value is bound, stepped and copied out
 * with sqlite3_value_dup().  Each function returns a new value that the
 * caller frees with sqlite3_value_free(); none returns NULL (failure of the
 * helper statement aborts the process with a message).
 */
#include <stdio.h>
#include <stdlib.h>

#include "tds_int.h"

/* The connection's "SELECT ?1", prepared on first use */
static sqlite3_stmt *
value_stmt(TdsConn *c)
{
	if (c->valstmt == NULL)
	{
		if (sqlite3_open_v2(":memory:", &c->valdb,
							SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
							SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
			sqlite3_prepare_v2(c->valdb, "SELECT ?1", -1, &c->valstmt, NULL) != SQLITE_OK)
		{
			fprintf(stderr, "mssql_sim: cannot open the value helper database\n");
			abort();
		}
	}
	return c->valstmt;
}

/* Step the statement with its bound parameter and copy the result out. */
static sqlite3_value *
mint(TdsConn *c)
{
	sqlite3_stmt *st = c->valstmt;
	sqlite3_value *v;

	if (sqlite3_step(st) != SQLITE_ROW)
	{
		fprintf(stderr, "mssql_sim: the value helper statement failed: %s\n",
				sqlite3_errmsg(c->valdb));
		abort();
	}
	v = sqlite3_value_dup(sqlite3_column_value(st, 0));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (v == NULL)
	{
		fprintf(stderr, "mssql_sim: out of memory (sqlite3_value_dup)\n");
		abort();
	}
	return v;
}

/* An INTEGER value */
sqlite3_value *
tds_value_int(TdsConn *c, int64_t v)
{
	sqlite3_bind_int64(value_stmt(c), 1, v);
	return mint(c);
}

/* A REAL value */
sqlite3_value *
tds_value_double(TdsConn *c, double v)
{
	sqlite3_bind_double(value_stmt(c), 1, v);
	return mint(c);
}

/* A TEXT value: n bytes of UTF-8 at s, copied */
sqlite3_value *
tds_value_text(TdsConn *c, const char *s, size_t n)
{
	sqlite3_bind_text(value_stmt(c), 1, s, (int) n, SQLITE_TRANSIENT);
	return mint(c);
}

/* A BLOB value: n bytes at p, copied (n may be 0) */
sqlite3_value *
tds_value_blob(TdsConn *c, const void *p, size_t n)
{
	sqlite3_bind_blob(value_stmt(c), 1, n ? p : "", (int) n, SQLITE_TRANSIENT);
	return mint(c);
}

/* An SQL NULL */
sqlite3_value *
tds_value_null(TdsConn *c)
{
	sqlite3_bind_null(value_stmt(c), 1);
	return mint(c);
}
