/*
 * tds_tokens.c
 *		The response token writers: every sim_out_* function of sim.h, plus
 *		the framing of one response message.
 *
 * DONE handling: each DONE/DONEINPROC/DONEPROC is held back until the next
 * token is written (it then goes out with MORE) or the response ends (it
 * goes out without MORE, as the last token of the message).  INXACT comes
 * from the session's transaction state when the engine reports the DONE;
 * ERROR is added when an error (severity > 10) was sent since the last DONE.
 *
 * Attention: rows check the socket every few hundred rows and at every
 * buffer flush.  Once an attention is seen, sim_out_row answers
 * SIM_ROW_CANCELLED; the response is finished normally (final DONE, EOM)
 * and the acknowledgement DONE(ATTN) follows as a message of its own.
 */
#include <stdlib.h>
#include <unistd.h>

#include "tds_int.h"

#define ROWS_PER_POLL 512

const char *tds_server_name = "MSSQL_SIM";

static void flush_pending_done(SimOutput *o, bool more);

/* Whatever comes next is a token: release a held DONE with MORE set. */
static inline void
before_token(SimOutput *o)
{
	if (o->done_pending)
		flush_pending_done(o, true);
	o->any_token = true;
}

/* Begin the response message to a request. */
void
tds_response_begin(TdsConn *c, bool in_rpc)
{
	SimOutput  *o = &c->out;

	o->done_pending = false;
	o->any_token = false;
	o->error_since_done = false;
	o->cancelled = false;
	o->in_rpc = in_rpc;
	o->ncols = 0;
	o->rows = 0;
	c->rows_since_poll = 0;
	tds_begin_message(c, TDS_PKT_REPLY);
}

/*
 * End the response: the held DONE goes out without MORE (or a final DONE is
 * added if the last token was no DONE), EOM, and the attention
 * acknowledgement if an attention came in meanwhile.
 */
void
tds_response_end(TdsConn *c)
{
	SimOutput  *o = &c->out;

	if (o->done_pending)
		flush_pending_done(o, false);
	else
	{
		uint16_t	status = o->error_since_done ? TDS_DONE_ERROR : 0;

		if (c->session && sim_session_transaction(c->session) != 0)
			status |= TDS_DONE_INXACT;
		tds_put_done_raw(c, o->in_rpc ? TDS_TOK_DONEPROC : TDS_TOK_DONE, status, 0, 0);
	}
	tds_end_message(c);
	if (o->cancelled)
		tds_send_attention_ack(c);
	o->cancelled = false;
}

/* ENVCHANGE 18: RESETCONNECTION acknowledged. */
void
tds_put_reset_ack(TdsConn *c)
{
	before_token(&c->out);
	tds_put_u8(c, TDS_TOK_ENVCHANGE);
	tds_put_u16(c, 3);
	tds_put_u8(c, 18);
	tds_put_u8(c, 0);
	tds_put_u8(c, 0);
}

/* The attention acknowledgement: a message holding DONE(ATTN). */
void
tds_send_attention_ack(TdsConn *c)
{
	tds_begin_message(c, TDS_PKT_REPLY);
	tds_put_done_raw(c, TDS_TOK_DONE, TDS_DONE_ATTN, 0, 0);
	tds_end_message(c);
}

/*
 * Write a DONE-type token now, not held back (the login response, the end
 * of a response, the attention acknowledgement); the row count is 8 bytes
 * from TDS 7.2 on, 4 before.
 */
void
tds_put_done_raw(TdsConn *c, uint8_t token, uint16_t status, uint16_t curcmd,
				 uint64_t rowcount)
{
	tds_put_u8(c, token);
	tds_put_u16(c, status);
	tds_put_u16(c, curcmd);
	if (c->tds_version >= TDSVER_72)
		tds_put_u64(c, rowcount);
	else
		tds_put_u32(c, (uint32_t) rowcount);
}

/* Write the held DONE, with MORE if more tokens follow. */
static void
flush_pending_done(SimOutput *o, bool more)
{
	o->done_pending = false;
	tds_put_done_raw(o->conn, o->done_token,
			 o->done_status | (more ? TDS_DONE_MORE : 0),
			 o->done_curcmd, o->done_rowcount);
}

/* B_VARCHAR: length in characters (at most 255), then UCS-2LE. */
static void
put_bvarchar(TdsConn *c, const char *s)
{
	uint8_t		buf[1024];
	size_t		n = s ? strlen(s) : 0;
	size_t		len;

	if (n > 255 * 3)
		n = 255 * 3;
	len = tds_utf8_to_ucs2(s ? s : "", n, buf);
	if (len > 510)
		len = 510;
	tds_put_u8(c, (uint8_t) (len / 2));
	tds_put(c, buf, len);
}

/* Byte length of a string as UCS-2 (capped like put_bvarchar). */
static size_t
bvarchar_bytes(const char *s)
{
	size_t		n = s ? strlen(s) : 0;
	size_t		units;

	if (n > 255 * 3)
		n = 255 * 3;
	units = tds_ucs2_units(s ? s : "", n);
	return 2 * (units > 255 ? 255 : units);
}

/*
 * ENVCHANGE with B_VARCHAR new and old values (database, language, packet
 * size).
 */
void
tds_put_envchange_str(TdsConn *c, uint8_t type, const char *newv,
					  const char *oldv)
{
	size_t		len = 1 + 1 + bvarchar_bytes(newv) + 1 + bvarchar_bytes(oldv);

	tds_put_u8(c, TDS_TOK_ENVCHANGE);
	tds_put_u16(c, (uint16_t) len);
	tds_put_u8(c, type);
	put_bvarchar(c, newv);
	put_bvarchar(c, oldv);
}

/* INFO or ERROR token. */
void
tds_put_message_token(TdsConn *c, bool is_error, int32_t number,
					  uint8_t state, uint8_t severity, const char *text,
					  const char *proc, int32_t line)
{
	size_t		tlen = text ? strlen(text) : 0;
	uint8_t    *t = tds_scratch(c, 2 * tlen + 2);
	size_t		tbytes = tds_utf8_to_ucs2(text ? text : "", tlen, t);
	bool		longline = c->tds_version >= TDSVER_72;
	size_t		len;

	if (tbytes > 2 * 65535)
		tbytes = 2 * 65535;
	len = 4 + 1 + 1 + 2 + tbytes + 1 + bvarchar_bytes(tds_server_name) +
		1 + bvarchar_bytes(proc) + (longline ? 4 : 2);
	tds_put_u8(c, is_error ? TDS_TOK_ERROR : TDS_TOK_INFO);
	tds_put_u16(c, (uint16_t) len);
	tds_put_u32(c, (uint32_t) number);
	tds_put_u8(c, state);
	tds_put_u8(c, severity);
	tds_put_u16(c, (uint16_t) (tbytes / 2));
	tds_put(c, t, tbytes);
	put_bvarchar(c, tds_server_name);
	put_bvarchar(c, proc);
	if (longline)
		tds_put_u32(c, (uint32_t) line);
	else
		tds_put_u16(c, (uint16_t) line);
}

/* ------------------------------------------------------------------------
 * sim.h output interface
 * ------------------------------------------------------------------------
 */

/*
 * sim.h.  Also computes each column's wire form (o->cols) for the rows
 * that follow.  Swallowed during a bulk load (o->quiet).
 */
void
sim_out_colmetadata(SimOutput *o, int ncols, const SimColumn *cols)
{
	TdsConn    *c = o->conn;

	if (o->quiet)
		return;

	before_token(o);
	if (ncols > o->colcap)
	{
		o->cols = tds_xrealloc(o->cols, sizeof(TdsColInfo) * ncols);
		o->colcap = ncols;
	}
	o->ncols = ncols;
	o->rows = 0;

	tds_put_u8(c, TDS_TOK_COLMETADATA);
	tds_put_u16(c, (uint16_t) ncols);
	for (int i = 0; i < ncols; i++)
	{
		TdsColInfo *ci = &o->cols[i];
		uint16_t	flags = 0;

		tds_colinfo_init(ci, &cols[i].type, cols[i].nullable, c->tds_version);
		if (cols[i].nullable)
			flags |= 0x0001;
		if (cols[i].identity)
			flags |= 0x0010;
		if (cols[i].computed)
			flags |= 0x0020;
		else
			flags |= 0x0008;	/* updateable: unknown */
		if (c->tds_version >= TDSVER_72)
			tds_put_u32(c, ci->usertype);
		else
			tds_put_u16(c, (uint16_t) ci->usertype);
		tds_put_u16(c, flags);
		tds_put_typeinfo(c, ci);
		if (ci->form == TF_TEXT || ci->form == TF_NTEXT || ci->form == TF_IMAGE)
		{
			/* TableName: one empty part */
			if (c->tds_version >= TDSVER_72)
				tds_put_u8(c, 1);
			tds_put_u16(c, 0);
		}
		put_bvarchar(c, cols[i].name);
	}
}

/*
 * sim.h.  NBCROW from TDS 7.3B on when a value is NULL, else ROW.  Looks
 * for an attention every ROWS_PER_POLL rows, and acts on the
 * drop-connection test fault.
 */
int
sim_out_row(SimOutput *o, sqlite3_value **vals)
{
	TdsConn    *c = o->conn;
	int			n = o->ncols;
	bool		anynull = false;

	if (o->quiet)
		return c->dead ? SIM_ROW_IO_ERROR : SIM_ROW_OK;

	if (c->dead)
		return SIM_ROW_IO_ERROR;
	if (o->cancelled)
		return SIM_ROW_CANCELLED;
	before_token(o);

	if (c->tds_version >= TDSVER_73B)
	{
		for (int i = 0; i < n; i++)
			if (vals[i] == NULL || sqlite3_value_type(vals[i]) == SQLITE_NULL)
			{
				anynull = true;
				break;
			}
	}
	if (anynull)
	{
		uint8_t		bitmap[(n + 7) / 8];

		memset(bitmap, 0, sizeof(bitmap));
		for (int i = 0; i < n; i++)
			if (vals[i] == NULL || sqlite3_value_type(vals[i]) == SQLITE_NULL)
				bitmap[i / 8] |= (uint8_t) (1 << (i % 8));
		tds_put_u8(c, TDS_TOK_NBCROW);
		tds_put(c, bitmap, sizeof(bitmap));
		for (int i = 0; i < n; i++)
			if (!(bitmap[i / 8] & (1 << (i % 8))))
				tds_put_value(c, &o->cols[i], vals[i]);
	}
	else
	{
		tds_put_u8(c, TDS_TOK_ROW);
		for (int i = 0; i < n; i++)
			tds_put_value(c, &o->cols[i], vals[i]);
	}
	o->rows++;

	/* test fault: drop the connection once a result reaches N rows */
	if (sim_fault_drop_now(c->session, o->rows))
	{
		tds_abort_message(c);
		return SIM_ROW_IO_ERROR;
	}

	if (++c->rows_since_poll >= ROWS_PER_POLL)
	{
		c->rows_since_poll = 0;
		if (!o->cancelled && tds_poll_attention(c))
			o->cancelled = true;
	}
	if (c->dead)
		return SIM_ROW_IO_ERROR;
	return o->cancelled ? SIM_ROW_CANCELLED : SIM_ROW_OK;
}

/*
 * sim.h.  Held back until the next token (MORE) or the end of the response;
 * ERROR and INXACT are set here from the response and session state.  In
 * a bulk load only the row count is kept.
 */
void
sim_out_done(SimOutput *o, SimDoneKind kind, uint16_t status,
			 uint16_t curcmd, uint64_t rowcount)
{
	TdsConn    *c = o->conn;

	if (o->quiet)
	{
		if (status & TDS_DONE_COUNT)
			o->quiet_rows += rowcount;
		return;
	}

	before_token(o);
	status &= (uint16_t) ~(TDS_DONE_MORE | TDS_DONE_ATTN);
	if (o->error_since_done)
		status |= TDS_DONE_ERROR;
	if (c->session && sim_session_transaction(c->session) != 0)
		status |= TDS_DONE_INXACT;
	else
		status &= (uint16_t) ~TDS_DONE_INXACT;
	o->error_since_done = false;
	o->done_token = kind == SIM_DONEPROC ? TDS_TOK_DONEPROC :
		kind == SIM_DONEINPROC ? TDS_TOK_DONEINPROC : TDS_TOK_DONE;
	o->done_status = status;
	o->done_curcmd = curcmd;
	o->done_rowcount = rowcount;
	o->done_pending = true;
}

/* sim.h.  An error of severity > 10 marks the next DONE with ERROR. */
void
sim_out_message(SimOutput *o, bool is_error, int32_t number, uint8_t state,
				uint8_t severity, const char *text, const char *proc,
				int32_t line)
{
	if (o->quiet && is_error && severity > 10)
		o->quiet_error = true;
	before_token(o);
	if (is_error && severity > 10)
		o->error_since_done = true;
	tds_put_message_token(o->conn, is_error, number, state, severity, text,
						  proc, line);
}

/* sim.h */
void
sim_out_env_database(SimOutput *o, const char *newdb, const char *olddb)
{
	before_token(o);
	tds_put_envchange_str(o->conn, 1, newdb, olddb ? olddb : "");
}

/* sim.h.  Not sent for a bulk load's own transaction. */
void
sim_out_env_transaction(SimOutput *o, int envtype, uint64_t descriptor)
{
	TdsConn    *c = o->conn;

	if (o->quiet)
		return;					/* bulk load's own transaction */

	before_token(o);
	tds_put_u8(c, TDS_TOK_ENVCHANGE);
	tds_put_u16(c, 11);
	tds_put_u8(c, (uint8_t) envtype);
	if (envtype == SIM_ENV_BEGIN_TRAN)
	{
		tds_put_u8(c, 8);
		tds_put_u64(c, descriptor);
		tds_put_u8(c, 0);
	}
	else
	{
		tds_put_u8(c, 0);
		tds_put_u8(c, 8);
		tds_put_u64(c, descriptor);
	}
}

/* sim.h */
void
sim_out_return_status(SimOutput *o, int32_t status)
{
	if (o->quiet)
		return;
	before_token(o);
	tds_put_u8(o->conn, TDS_TOK_RETURNSTATUS);
	tds_put_u32(o->conn, (uint32_t) status);
}

/* sim.h.  The value goes in its N-type (nullable) form. */
void
sim_out_return_value(SimOutput *o, int ordinal, const char *name,
					 const SimType *type, sqlite3_value *value)
{
	TdsConn    *c = o->conn;
	TdsColInfo	ci;

	if (o->quiet)
		return;

	before_token(o);
	tds_colinfo_init(&ci, type, true, c->tds_version);
	tds_put_u8(c, TDS_TOK_RETURNVALUE);
	tds_put_u16(c, (uint16_t) ordinal);
	put_bvarchar(c, name);
	tds_put_u8(c, 0x01);		/* output parameter */
	if (c->tds_version >= TDSVER_72)
		tds_put_u32(c, ci.usertype);
	else
		tds_put_u16(c, (uint16_t) ci.usertype);
	tds_put_u16(c, 0x0001);		/* nullable */
	tds_put_typeinfo(c, &ci);
	tds_put_value(c, &ci, value);
}

/* sim.h.  Polls the socket without blocking. */
bool
sim_out_cancel_requested(SimOutput *o)
{
	if (!o->cancelled && tds_poll_attention(o->conn))
		o->cancelled = true;
	return o->cancelled;
}
