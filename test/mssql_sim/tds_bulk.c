/*
 * tds_bulk.c
 *		Bulk load: the "INSERT BULK" statement and the bulk load data
 *		message (packet type 0x07) that follows it [MS-TDS 2.2.6.1].
 *
 * Clients (FreeTDS freebcp/bcp_*(), tedious BulkLoad, the npm mssql
 * package's request.bulk()) first send a SQL batch
 *
 *     insert bulk <table> ([col] type, ...) [with (...)]
 *
 * and then a message of type 0x07 holding COLMETADATA, one ROW token per
 * row and a DONE token.  SQL Server answers the statement with DONE and the
 * data message with DONE(COUNT, rows inserted).
 *
 * The stand-in keeps the target named by the statement on the connection
 * (the engine never sees the statement) and turns the data into ordinary
 * parameterized inserts: each ROW's values are decoded with the RPC
 * parameter decoder (the column's TYPE_INFO followed by the value has the
 * layout of an RPC parameter, except text/ntext/image, whose row form is
 * rewritten), and chunks of rows go to the engine as sp_executesql of
 * "INSERT INTO <table> (<cols>) VALUES (@p1, ...), (...)".  The engine's
 * tokens for those inserts are swallowed (SimOutput.quiet) except errors and
 * messages; the first error stops the load, as SQL Server stops the batch.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "tds_int.h"

/* Rows per INSERT and a cap on parameters per INSERT */
#define BULK_CHUNK_ROWS		200
#define BULK_CHUNK_PARAMS	64		/* the engine takes at most 64 sp_executesql parameters */

/* Forget the target of the last INSERT BULK (after a load, at close). */
void
tds_bulk_clear(TdsConn *c)
{
	free(c->bulk_table);
	c->bulk_table = NULL;
	for (int i = 0; i < c->bulk_ncols; i++)
		free(c->bulk_cols[i]);
	free(c->bulk_cols);
	c->bulk_cols = NULL;
	c->bulk_ncols = 0;
}

/* Skip white space and -- and slash-star comments at p. */
static const char *
skip_space(const char *p)
{
	for (;;)
	{
		while (*p && isspace((unsigned char) *p))
			p++;
		if (p[0] == '-' && p[1] == '-')
		{
			while (*p && *p != '\n')
				p++;
		}
		else if (p[0] == '/' && p[1] == '*')
		{
			const char *e = strstr(p + 2, "*/");

			p = e ? e + 2 : p + strlen(p);
		}
		else
			return p;
	}
}

/* True if the keyword w (any case) starts at p as a whole word. */
static bool
word_at(const char *p, const char *w)
{
	size_t		n = strlen(w);

	return strncasecmp(p, w, n) == 0 &&
		!(isalnum((unsigned char) p[n]) || p[n] == '_' || p[n] == '@' ||
		  p[n] == '#' || p[n] == '$');
}

/*
 * One identifier part at p ([bracketed], "quoted" or plain), copied as
 * written into *out (malloc'd).  Returns the position after it, or NULL.
 */
static const char *
ident_part(const char *p, char **out)
{
	const char *s = p;

	if (*p == '[' || *p == '"')
	{
		char		close = *p == '[' ? ']' : '"';

		for (p++; *p; p++)
		{
			if (*p == close)
			{
				if (p[1] == close)
					p++;
				else
					break;
			}
		}
		if (*p != close)
			return NULL;
		p++;
	}
	else
	{
		while (*p && (isalnum((unsigned char) *p) || *p == '_' || *p == '@' ||
					  *p == '#' || *p == '$' || (unsigned char) *p >= 0x80))
			p++;
		if (p == s)
			return NULL;
	}
	*out = tds_xstrndup(s, (size_t) (p - s));
	return p;
}

/*
 * If sql is an INSERT BULK statement, remember its target and columns on
 * the connection, answer it and return true.  Anything else: false (the
 * engine runs the batch).
 */
bool
tds_bulk_statement(TdsConn *c, const char *sql)
{
	const char *p = skip_space(sql);
	TdsStrBuf	table = {0};
	char	   *part;

	if (!word_at(p, "insert"))
		return false;
	p = skip_space(p + 6);
	if (!word_at(p, "bulk"))
		return false;
	p = skip_space(p + 4);

	tds_bulk_clear(c);
	/* table: up to three dotted parts */
	for (;;)
	{
		p = ident_part(p, &part);
		if (p == NULL)
		{
			free(table.s);
			sim_out_message(&c->out, true, 102, 1, 15,
							"Incorrect syntax near 'bulk'.", NULL, 1);
			return true;
		}
		tds_sb_puts(&table, part);
		free(part);
		if (*p != '.')
			break;
		tds_sb_puts(&table, ".");
		p++;
	}
	c->bulk_table = table.s;

	/* optional column list: the first identifier of each item */
	p = skip_space(p);
	if (*p == '(')
	{
		p++;
		for (;;)
		{
			int			depth = 0;

			p = skip_space(p);
			if (*p == ')')
				break;
			p = ident_part(p, &part);
			if (p == NULL)
				break;
			c->bulk_cols = tds_xrealloc(c->bulk_cols,
										sizeof(char *) * (c->bulk_ncols + 1));
			c->bulk_cols[c->bulk_ncols++] = part;
			/* skip the type up to the next comma outside parentheses */
			for (; *p; p++)
			{
				if (*p == '(')
					depth++;
				else if (*p == ')')
				{
					if (depth == 0)
						break;
					depth--;
				}
				else if (*p == ',' && depth == 0)
					break;
			}
			if (*p != ',')
				break;
			p++;
		}
	}
	sim_out_done(&c->out, SIM_DONE, 0, 0, 0);
	return true;
}

/* One column of the bulk COLMETADATA */
typedef struct BulkCol
{
	const uint8_t *ti;			/* TYPE_INFO bytes in the request */
	size_t		tilen;
	uint8_t		tok;
	bool		plp;			/* (max) or xml: PLP values */
	bool		textlike;		/* text/ntext/image: textptr form in rows */
	char	   *name;			/* UTF-8, from COLMETADATA */
} BulkCol;

/* Length of the TYPE_INFO at r (not consumed); 0 if unknown */
static size_t
typeinfo_len(const TdsReader *r, BulkCol *col)
{
	const uint8_t *p = r->p + r->pos;
	size_t		left = r->len - r->pos;

	if (left < 1)
		return 0;
	col->tok = p[0];
	switch (p[0])
	{
		case 0x30: case 0x32: case 0x34: case 0x38: case 0x7F:
		case 0x3B: case 0x3E: case 0x7A: case 0x3C: case 0x3A:
		case 0x3D: case 0x28:
			return 1;
		case 0x26: case 0x68: case 0x6D: case 0x6E: case 0x6F:
		case 0x24: case 0x29: case 0x2A: case 0x2B:
			return 2;
		case 0x6A: case 0x6C:
			return 4;
		case 0xA7: case 0xAF: case 0xE7: case 0xEF:
			if (left < 3)
				return 0;
			col->plp = p[1] == 0xFF && p[2] == 0xFF;
			return 8;
		case 0xA5: case 0xAD:
			if (left < 3)
				return 0;
			col->plp = p[1] == 0xFF && p[2] == 0xFF;
			return 3;
		case 0x23: case 0x63:
			col->textlike = true;
			return 10;
		case 0x22:
			col->textlike = true;
			return 5;
		case 0xF1:
			if (left < 2 || p[1] != 0)
				return 0;		/* schema-bound xml: not supported */
			col->plp = true;
			return 2;
		default:
			return 0;
	}
}

/* Bytes of one value of col at r (not consumed); false if malformed */
static bool
value_len(const TdsReader *r, const BulkCol *col, size_t *n)
{
	const uint8_t *p = r->p + r->pos;
	size_t		left = r->len - r->pos;
	size_t		k;

	switch (col->tok)
	{
		case 0x30: case 0x32: *n = 1; break;
		case 0x34: *n = 2; break;
		case 0x38: case 0x3B: case 0x7A: case 0x3A: *n = 4; break;
		case 0x7F: case 0x3E: case 0x3C: case 0x3D: *n = 8; break;
		case 0xA7: case 0xAF: case 0xE7: case 0xEF: case 0xA5: case 0xAD: case 0xF1:
			if (!col->plp)
			{
				if (left < 2)
					return false;
				k = p[0] | (p[1] << 8);
				*n = k == 0xFFFF ? 2 : 2 + k;
				break;
			}
			/* PLP: total length, then chunks until a zero terminator */
			if (left < 8)
				return false;
			if (memcmp(p, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 8) == 0)
			{
				*n = 8;
				break;
			}
			for (k = 8;;)
			{
				uint32_t	cl;

				if (left - k < 4)
					return false;
				cl = p[k] | (p[k + 1] << 8) | (p[k + 2] << 16) | ((uint32_t) p[k + 3] << 24);
				k += 4;
				if (cl == 0)
					break;
				if (left - k < cl)
					return false;
				k += cl;
			}
			*n = k;
			break;
		default:				/* one length byte, then that many bytes */
			if (left < 1)
				return false;
			*n = 1 + (size_t) p[0];
			break;
	}
	return *n <= left;
}

/*
 * Rewrite the value of col at r as an RPC parameter, i.e. its TYPE_INFO
 * followed by the value (text/ntext/image lose their text pointer and
 * timestamp), into *buf, which grows as needed.  Returns the length, or 0
 * if the row is cut short or malformed.
 */
static size_t
value_as_param(TdsReader *r, const BulkCol *col, uint8_t **buf, size_t *cap)
{
	const uint8_t *v = NULL;
	size_t		vlen = 0;
	uint8_t		longlen[4];
	size_t		prefix = 0;
	size_t		need;

	if (col->textlike)
	{
		/* TextPointer length, pointer, timestamp, then LONGLEN data */
		uint8_t		tplen = tds_r_u8(r);
		uint32_t	dlen = 0xFFFFFFFF;	/* NULL */

		if (tplen != 0)
		{
			tds_r_bytes(r, tplen);
			tds_r_bytes(r, 8);
			dlen = tds_r_u32(r);
			v = tds_r_bytes(r, dlen);
			vlen = dlen;
		}
		if (r->err)
			return 0;
		for (int k = 0; k < 4; k++)
			longlen[k] = (uint8_t) (dlen >> (8 * k));
		prefix = 4;
	}
	else
	{
		if (!value_len(r, col, &vlen))
			return 0;
		v = tds_r_bytes(r, vlen);
	}
	need = col->tilen + prefix + vlen;
	if (need > *cap)
	{
		*cap = need * 2;
		*buf = tds_xrealloc(*buf, *cap);
	}
	memcpy(*buf, col->ti, col->tilen);
	memcpy(*buf + col->tilen, longlen, prefix);
	if (vlen > 0)
		memcpy(*buf + col->tilen + prefix, v, vlen);
	return need;
}

/* Free the values of n parameters (those not yet freed) and clear them. */
static void
free_values(SimParam *params, int n)
{
	for (int k = 0; k < n; k++)
	{
		if (params[k].value)
			sqlite3_value_free(params[k].value);
		params[k].value = NULL;
	}
}

/* Send error 4813 (TDS stream incorrect) with detail, for the load. */
static void
bulk_error(TdsConn *c, const char *detail)
{
	char		msg[600];

	snprintf(msg, sizeof(msg),
			 "The incoming tabular data stream (TDS) protocol stream is incorrect. Bulk load: %s",
			 detail);
	sim_out_message(&c->out, true, 4813, 1, 16, msg, NULL, 1);
}

/* Run one chunk of rows; false if the engine reported an error */
static bool
flush_chunk(TdsConn *c, const BulkCol *cols, int ncols, SimParam *params,
			int nrows, uint64_t *inserted)
{
	TdsStrBuf	stmt = {0};
	TdsStrBuf	decl = {0};
	SimRpc		rpc;
	SimParam   *all;
	int			np = nrows * ncols;
	char		tmp[160];

	tds_sb_puts(&stmt, "INSERT INTO ");
	tds_sb_puts(&stmt, c->bulk_table);
	tds_sb_puts(&stmt, " (");
	for (int i = 0; i < ncols; i++)
	{
		tds_sb_puts(&stmt, i ? ", " : "");
		tds_sb_puts(&stmt, cols[i].name);
	}
	tds_sb_puts(&stmt, ") VALUES ");
	for (int rw = 0; rw < nrows; rw++)
	{
		tds_sb_puts(&stmt, rw ? ", (" : "(");
		for (int i = 0; i < ncols; i++)
		{
			int			k = rw * ncols + i;
			char		ty[64];

			snprintf(tmp, sizeof(tmp), "%s@b%d", i ? ", " : "", k + 1);
			tds_sb_puts(&stmt, tmp);
			sim_type_format(&params[k].type, ty, sizeof(ty));
			snprintf(tmp, sizeof(tmp), "%s@b%d %s", k ? ", " : "", k + 1, ty);
			tds_sb_puts(&decl, tmp);
		}
		tds_sb_puts(&stmt, ")");
	}

	all = tds_xcalloc(np + 2, sizeof(SimParam));
	all[0].name = "@statement";
	all[0].type.id = SIM_NVARCHAR;
	all[0].type.length = SIM_MAX_LENGTH;
	all[0].value = tds_value_text(c, stmt.s, stmt.len);
	all[1].name = "@params";
	all[1].type.id = SIM_NVARCHAR;
	all[1].type.length = SIM_MAX_LENGTH;
	all[1].value = tds_value_text(c, decl.s, decl.len);
	for (int k = 0; k < np; k++)
	{
		char	   *nm = tds_xmalloc(16);

		snprintf(nm, 16, "@b%d", k + 1);
		all[k + 2] = params[k];
		all[k + 2].name = nm;
	}
	memset(&rpc, 0, sizeof(rpc));
	rpc.proc_name = "sp_executesql";
	rpc.nparams = np + 2;
	rpc.params = all;

	c->out.quiet = true;
	c->out.quiet_rows = 0;
	c->out.quiet_error = false;
	sim_session_exec_rpc(c->session, &rpc, &c->out);
	c->out.quiet = false;
	*inserted += c->out.quiet_rows;

	sqlite3_value_free(all[0].value);
	sqlite3_value_free(all[1].value);
	for (int k = 0; k < np; k++)
	{
		free((char *) all[k + 2].name);
		sqlite3_value_free(all[k + 2].value);
		params[k].value = NULL;
	}
	free(all);
	free(stmt.s);
	free(decl.s);
	return !c->out.quiet_error;
}

/* Run a statement of the load's own (BEGIN/COMMIT/ROLLBACK) without output */
static void
quiet_batch(TdsConn *c, const char *sql)
{
	c->out.quiet = true;
	sim_session_exec_batch(c->session, sql, &c->out);
	c->out.quiet = false;
}

/*
 * Answer a bulk load data message (c->req).  The caller has begun the
 * response and ends it.
 */
void
tds_handle_bulk(TdsConn *c)
{
	TdsReader	r = {.p = c->req,.len = c->reqlen};
	BulkCol    *cols = NULL;
	SimParam   *params = NULL;
	int			ncols = 0,
				nrows = 0,
				chunk_rows;
	uint64_t	inserted = 0;
	bool		ok = true;
	uint8_t    *vbuf = NULL;
	size_t		vcap = 0;
	bool		own_tran = false;

	if (c->bulk_table == NULL)
	{
		sim_out_message(&c->out, true, 4813, 1, 16,
						"Bulk load data was sent without a preceding INSERT BULK statement.",
						NULL, 1);
		return;
	}
	sim_log_statement("bulk", c->bulk_table);

	/*
	 * Outside a transaction the load is one transaction of its own, as a
	 * bulk load batch is in SQL Server: all rows or none.
	 */
	own_tran = sim_session_transaction(c->session) == 0;
	if (own_tran)
		quiet_batch(c, "BEGIN TRANSACTION");

	if (tds_r_u8(&r) != TDS_TOK_COLMETADATA)
	{
		bulk_error(c, "the data does not begin with COLMETADATA.");
		ok = false;
		goto done;
	}
	ncols = tds_r_u16(&r);
	if (ncols == 0 || ncols == 0xFFFF)
	{
		bulk_error(c, "no columns.");
		ok = false;
		goto done;
	}
	cols = tds_xcalloc(ncols, sizeof(BulkCol));
	for (int i = 0; i < ncols; i++)
	{
		uint8_t		nlen;

		if (c->tds_version >= TDSVER_72)
			(void) tds_r_u32(&r);	/* UserType */
		else
			(void) tds_r_u16(&r);
		(void) tds_r_u16(&r);	/* Flags */
		if (r.err || (cols[i].tilen = typeinfo_len(&r, &cols[i])) == 0)
		{
			char		d[80];

			snprintf(d, sizeof(d), "column %d has a type the stand-in cannot load (0x%02X).",
					 i + 1, r.pos < r.len ? r.p[r.pos] : 0);
			bulk_error(c, d);
			ok = false;
			goto done;
		}
		cols[i].ti = tds_r_bytes(&r, cols[i].tilen);
		if (cols[i].textlike)
		{
			/* TableName: NumParts (7.2+), then US_VARCHAR parts */
			int			parts = c->tds_version >= TDSVER_72 ? tds_r_u8(&r) : 1;

			for (int k = 0; k < parts && !r.err; k++)
				tds_r_bytes(&r, 2 * (size_t) tds_r_u16(&r));
		}
		nlen = tds_r_u8(&r);
		if (r.err || cols[i].ti == NULL)
			break;
		cols[i].name = NULL;
		if (nlen > 0)
		{
			const uint8_t *nb = tds_r_bytes(&r, 2 * (size_t) nlen);
			char	   *u;
			TdsStrBuf	q = {0};

			if (nb == NULL || cols[i].ti == NULL)
				break;			/* cut short: reported below */
			u = tds_ucs2_to_utf8(nb, 2 * (size_t) nlen, NULL);

			/* bracket-quote the name */
			tds_sb_puts(&q, "[");
			for (const char *s = u; *s; s++)
			{
				tds_sb_append(&q, s, 1);
				if (*s == ']')
					tds_sb_append(&q, "]", 1);	/* ]] inside brackets */
			}
			tds_sb_puts(&q, "]");
			free(u);
			cols[i].name = q.s;
		}
		else if (i < c->bulk_ncols)
			cols[i].name = tds_xstrdup(c->bulk_cols[i]);
		if (cols[i].name == NULL)
		{
			bulk_error(c, "a column has no name.");
			ok = false;
			goto done;
		}
	}
	if (r.err)
	{
		bulk_error(c, "COLMETADATA is cut short.");
		ok = false;
		goto done;
	}

	chunk_rows = BULK_CHUNK_PARAMS / ncols;
	if (chunk_rows < 1)
		chunk_rows = 1;
	if (chunk_rows > BULK_CHUNK_ROWS)
		chunk_rows = BULK_CHUNK_ROWS;
	params = tds_xcalloc((size_t) chunk_rows * ncols, sizeof(SimParam));

	while (ok && r.pos < r.len && !c->dead)
	{
		uint8_t		tok = tds_r_u8(&r);

		if (tok == TDS_TOK_DONE || tok == TDS_TOK_DONEPROC || tok == TDS_TOK_DONEINPROC)
			break;
		if (tok != TDS_TOK_ROW)
		{
			char		d[64];

			snprintf(d, sizeof(d), "unexpected token 0x%02X.", tok);
			bulk_error(c, d);
			ok = false;
			break;
		}
		for (int i = 0; i < ncols; i++)
		{
			SimParam   *pm = &params[nrows * ncols + i];
			size_t		plen = value_as_param(&r, &cols[i], &vbuf, &vcap);
			TdsReader	pr = {.p = vbuf,.len = plen};

			if (plen == 0)
			{
				bulk_error(c, "a row is cut short.");
				ok = false;
				break;
			}
			memset(pm, 0, sizeof(*pm));
			if (!tds_read_param_value(c, &pr, pm))
			{
				char		d[300];

				snprintf(d, sizeof(d), "column %d: %.200s", i + 1, pr.errmsg);
				bulk_error(c, d);
				ok = false;
				break;
			}
		}
		if (!ok)
		{
			/* the values of this row read so far; complete rows are dropped */
			free_values(&params[nrows * ncols], ncols);
			break;
		}
		nrows++;
		if (nrows == chunk_rows)
		{
			ok = flush_chunk(c, cols, ncols, params, nrows, &inserted);
			nrows = 0;
		}
	}
	if (ok && nrows > 0)
	{
		ok = flush_chunk(c, cols, ncols, params, nrows, &inserted);
		nrows = 0;
	}

done:
	if (params)
	{
		free_values(params, nrows * ncols);
		free(params);
	}
	if (cols)
	{
		for (int i = 0; i < ncols; i++)
			free(cols[i].name);
		free(cols);
	}
	free(vbuf);
	tds_bulk_clear(c);
	if (own_tran && sim_session_transaction(c->session) != 0)
	{
		quiet_batch(c, ok ? "COMMIT TRANSACTION" : "ROLLBACK TRANSACTION");
		if (!ok)
			inserted = 0;
	}
	sim_out_done(&c->out, SIM_DONE, TDS_DONE_COUNT, 0, inserted);
}
