/*
 * tds_conn.c
 *		The life of one client connection: login, then the request loop.
 *
 * Each request message gets exactly one response message (plus the
 * attention acknowledgement when one is due).  RESETCONNECTION in the first
 * packet of a request resets the session before the request runs; a request
 * ended with IGNORE is dropped and answered with DONE(ERROR).  The test
 * faults of sim.h are acted on here (delay) and in the row writer (drop).
 * After a response that carried a fatal error (severity 20 or more) the
 * connection is closed, as SQL Server does.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "tds_int.h"

/* Test-only fault controls (sim.h), set by the engine's sim_test procedures */
SimFaults	sim_faults;

/* Monotonic clock, in milliseconds. */
static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The delay fault: wait ms milliseconds before answering, watching for an
 * attention meanwhile.  True if one arrived (the request is then not run).
 */
static bool
fault_delay(TdsConn *c, int64_t ms)
{
	int64_t		end = now_ms() + ms;

	for (;;)
	{
		int64_t		left = end - now_ms();
		struct pollfd pfd = {.fd = c->sock,.events = POLLIN};

		if (tds_poll_attention(c))
			return true;
		if (left <= 0 || c->dead)
			return false;
		poll(&pfd, 1, left > 50 ? 50 : (int) left);
	}
}

/* SQL batch: ALL_HEADERS, then UCS-2LE text. */
static void
handle_batch(TdsConn *c)
{
	TdsReader	r = {.p = c->req,.len = c->reqlen};
	char	   *sql;

	tds_skip_all_headers(c, &r);
	sql = tds_ucs2_to_utf8(r.p + r.pos, r.len - r.pos, NULL);
	sim_log_statement("batch", sql);
	if (!tds_bulk_statement(c, sql))
		sim_session_exec_batch(c->session, sql, &c->out);
	free(sql);
}

/* Answer one request message held in c->req. */
static void
handle_request(TdsConn *c)
{
	int64_t		delay;
	uint8_t		type = c->req_type;

	if (type == TDS_PKT_ATTENTION)
	{
		/* the request it meant to cancel had already been answered */
		tds_send_attention_ack(c);
		return;
	}

	tds_response_begin(c, type == TDS_PKT_RPC);
	if (c->req_ignored)
	{
		/* the client gave up sending this request */
		c->out.error_since_done = true;
		c->out.in_rpc = false;
		tds_response_end(c);
		return;
	}

	delay = sim_fault_delay_ms(c->session);
	if (delay > 0 && fault_delay(c, delay))
	{
		c->out.cancelled = true;
		c->out.in_rpc = false;
		tds_response_end(c);
		return;
	}

	if ((type == TDS_PKT_SQLBATCH || type == TDS_PKT_RPC || type == TDS_PKT_TM) &&
		(c->req_status & (TDS_ST_RESET | TDS_ST_RESET_SKIPTRAN)))
	{
		sim_log_statement("reset", "");
		sim_session_reset(c->session, &c->out);
		tds_put_reset_ack(c);
	}

	switch (type)
	{
		case TDS_PKT_SQLBATCH:
			handle_batch(c);
			break;
		case TDS_PKT_RPC:
			tds_handle_rpc(c);
			break;
		case TDS_PKT_TM:
			tds_handle_tm(c);
			break;
		case TDS_PKT_BULK:
			tds_handle_bulk(c);
			break;
		default:
			{
				char		msg[128];

				snprintf(msg, sizeof(msg),
						 "The stand-in does not support TDS requests of type 0x%02X.",
						 type);
				sim_out_message(&c->out, true, 8009, 1, 16, msg, NULL, 1);
				break;
			}
	}
	tds_response_end(c);
	/* a fatal error (severity 20 or more) ends the connection once sent */
	if (c->session && sim_session_must_close(c->session))
		c->dead = true;
}

/*
 * Serve one accepted connection until the client leaves (or breaks the
 * protocol).  Closes the socket and frees everything before returning.
 */
void
tds_serve(int sock, int spid, bool force_encryption)
{
	TdsConn    *c = tds_xmalloc(sizeof(TdsConn));
	int			one = 1;

	tds_log_spid = spid;
	setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	tds_conn_init(c, sock, spid);

	if (tds_login(c, force_encryption))
	{
		while (!c->dead && tds_read_message(c))
			handle_request(c);
	}
	if (c->session)
		sim_session_close(c->session);
	c->session = NULL;
	tds_conn_free(c);
	free(c);
}
