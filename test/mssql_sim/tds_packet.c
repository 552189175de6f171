/*
 * tds_packet.c
 *		TDS packet framing and socket I/O for one connection.
 *
 * Input: bytes (plaintext, after TLS if it is on) collect in c->ibuf and
 * are cut into packets; tds_read_message() joins the packets of one request
 * into c->req.
 *
 * Output: tokens are written straight into c->obuf, which holds whole
 * packets one after the other (header reserved first, filled in when the
 * packet is closed).  The buffer goes to the socket (or through TLS) only
 * when it is nearly full or the message ends, so streaming a result costs a
 * few large writes rather than one per row or per packet.  Each flush also
 * peeks at the socket for an attention packet.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tds_int.h"

#define IBUF_INITIAL	(64 * 1024)
#define OBUF_SIZE		(256 * 1024)

static void close_packet(TdsConn *c, bool eom);
static void close_connection(TdsConn *c);
static void open_packet(TdsConn *c);
static void send_buffer(TdsConn *c);
static void flush_wire(TdsConn *c);

/* Length field of the packet header at the head of the input */
static inline size_t
input_packet_length(const TdsConn *c)
{
	return ((size_t) c->ibuf[c->istart + 2] << 8) | c->ibuf[c->istart + 3];
}

/* Move the unread input to the start of ibuf. */
static void
compact_input(TdsConn *c)
{
	memmove(c->ibuf, c->ibuf + c->istart, c->iend - c->istart);
	c->iend -= c->istart;
	c->istart = 0;
}

/*
 * Set up the buffers of a new connection.  Output starts with the login
 * packet size (4096).
 */
void
tds_conn_init(TdsConn *c, int sock, int spid)
{
	memset(c, 0, sizeof(*c));
	c->sock = sock;
	c->spid = spid;
	c->tds_version = TDSVER_74;
	c->icap = IBUF_INITIAL;
	c->ibuf = tds_xrealloc(NULL, c->icap);
	c->ocap = OBUF_SIZE + TDS_MAX_PACKET + TDS_HEADER_LEN;
	c->obuf = tds_xrealloc(NULL, c->ocap);
	c->packet_size = TDS_LOGIN_PACKET;
	c->out.conn = c;
}

/* Release everything tds_conn_init and later stages allocated. */
void
tds_conn_free(TdsConn *c)
{
	tds_tls_stop(c);
	if (c->sock >= 0)
		close(c->sock);
	c->sock = -1;
	free(c->ibuf);
	free(c->obuf);
	free(c->req);
	free(c->scratch);
	free(c->out.cols);
	tds_bulk_clear(c);
	if (c->valstmt)
		sqlite3_finalize(c->valstmt);
	if (c->valdb)
		sqlite3_close(c->valdb);
}

/* Close the socket now (client gone, or a test fault); later writes are dropped. */
static void
close_connection(TdsConn *c)
{
	if (!c->dead && c->sock >= 0)
		shutdown(c->sock, SHUT_RDWR);
	c->dead = true;
}

/* A scratch buffer of at least n bytes, valid until the next call. */
void *
tds_scratch(TdsConn *c, size_t n)
{
	if (n > c->scratchcap)
	{
		size_t		cap = c->scratchcap ? c->scratchcap : 4096;

		while (cap < n)
			cap *= 2;
		c->scratch = tds_xrealloc(c->scratch, cap);
		c->scratchcap = cap;
	}
	return c->scratch;
}

/*
 * Write n raw bytes to the socket (no TLS).  False, with the connection
 * marked dead, if the peer is gone.
 */
bool
tds_send_raw(TdsConn *c, const uint8_t *p, size_t n)
{
	while (n > 0 && !c->dead)
	{
		ssize_t		w = send(c->sock, p, n, MSG_NOSIGNAL);

		if (w < 0)
		{
			if (errno == EINTR)
				continue;
			c->dead = true;
			return false;
		}
		p += w;
		n -= (size_t) w;
	}
	return !c->dead;
}

/*
 * Get more plaintext input into ibuf.  With wait, block until something
 * arrives; without, return at once.  Returns the number of bytes added, 0
 * if none (only without wait), -1 on end of stream or error.
 */
static int
fill_input(TdsConn *c, bool wait)
{
	ssize_t		n;

	if (c->dead)
		return -1;
	if (c->istart > 0 && c->istart == c->iend)
		c->istart = c->iend = 0;
	if (c->iend == c->icap)
	{
		if (c->istart > 0)
			compact_input(c);
		else
		{
			c->icap *= 2;
			c->ibuf = tds_xrealloc(c->ibuf, c->icap);
		}
	}

	if (c->tls_on)
	{
		int			r = tds_tls_read(c, c->ibuf + c->iend, c->icap - c->iend, wait);

		if (r < 0)
		{
			c->dead = true;
			return -1;
		}
		c->iend += r;
		return r;
	}

	for (;;)
	{
		n = recv(c->sock, c->ibuf + c->iend, c->icap - c->iend,
				 wait ? 0 : MSG_DONTWAIT);
		if (n > 0)
		{
			c->iend += n;
			return (int) n;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && !wait && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		c->dead = true;
		return -1;
	}
}

/*
 * Read one packet.  *data points into the input buffer and stays valid
 * until the next read.  Returns 1, or 0 at end of stream / on a malformed
 * header (the connection is then dead).
 */
int
tds_read_packet(TdsConn *c, uint8_t *type, uint8_t *status,
				const uint8_t **data, size_t *len)
{
	size_t		plen;

	while (c->iend - c->istart < TDS_HEADER_LEN)
		if (fill_input(c, true) < 0)
			return 0;
	plen = input_packet_length(c);
	if (plen < TDS_HEADER_LEN)
	{
		c->dead = true;
		return 0;
	}
	while (c->iend - c->istart < plen)
	{
		/* make room for a whole packet at the end of the buffer */
		if (c->icap - c->istart < plen && c->istart > 0)
			compact_input(c);
		if (fill_input(c, true) < 0)
			return 0;
	}
	*type = c->ibuf[c->istart];
	*status = c->ibuf[c->istart + 1];
	*data = c->ibuf + c->istart + TDS_HEADER_LEN;
	*len = plen - TDS_HEADER_LEN;
	c->istart += plen;
	return 1;
}

/*
 * Read one whole request message (all packets up to EOM) into c->req.
 * Sets req_type, req_status (of the first packet) and req_ignored (a packet
 * carried IGNORE).  An attention packet is returned as a message of its
 * own.  False at end of stream.
 */
bool
tds_read_message(TdsConn *c)
{
	bool		first = true;

	c->reqlen = 0;
	c->req_ignored = false;
	for (;;)
	{
		uint8_t		type,
					status;
		const uint8_t *data;
		size_t		len;

		if (!tds_read_packet(c, &type, &status, &data, &len))
			return false;
		if (first)
		{
			c->req_type = type;
			c->req_status = status;
			first = false;
		}
		if (c->reqlen + len > c->reqcap)
		{
			size_t		cap = c->reqcap ? c->reqcap : 8192;

			while (cap < c->reqlen + len)
				cap *= 2;
			c->req = tds_xrealloc(c->req, cap);
			c->reqcap = cap;
		}
		if (len > 0)			/* an empty first packet leaves req NULL */
			memcpy(c->req + c->reqlen, data, len);
		c->reqlen += len;
		if (status & TDS_ST_IGNORE)
			c->req_ignored = true;
		if ((status & TDS_ST_EOM) || type == TDS_PKT_ATTENTION)
			return true;
	}
}

/*
 * Look, without blocking, for an attention packet from the client.  True
 * (and the packet consumed) if one is at the head of the input.
 */
bool
tds_poll_attention(TdsConn *c)
{
	if (c->dead)
		return false;
	if (c->iend - c->istart < TDS_HEADER_LEN)
	{
		if (!c->tls_on || !tds_tls_has_pending(c))
		{
			struct pollfd pfd = {.fd = c->sock,.events = POLLIN};

			if (poll(&pfd, 1, 0) <= 0)
				return false;
		}
		while (c->iend - c->istart < TDS_HEADER_LEN)
			if (fill_input(c, false) <= 0)
				return false;
	}
	if (c->ibuf[c->istart] == TDS_PKT_ATTENTION)
	{
		size_t		plen = input_packet_length(c);

		if (plen < TDS_HEADER_LEN)
			plen = TDS_HEADER_LEN;
		while (c->iend - c->istart < plen)
			if (fill_input(c, true) < 0)
				return false;
		c->istart += plen;
		return true;
	}
	return false;
}

/* Use a new packet size for messages begun from now on. */
void
tds_set_packet_size(TdsConn *c, int size)
{
	if (size < TDS_MIN_PACKET)
		size = TDS_MIN_PACKET;
	if (size > TDS_MAX_PACKET)
		size = TDS_MAX_PACKET;
	c->packet_size = size;
}

/* Start a server message of the given packet type. */
void
tds_begin_message(TdsConn *c, uint8_t type)
{
	c->out_type = type;
	c->packet_id = 1;
	open_packet(c);
}

/*
 * Cut the connection in the middle of a message (test fault): what is
 * written so far goes out as complete non-final packets, then the socket
 * is shut down.
 */
void
tds_abort_message(TdsConn *c)
{
	close_packet(c, false);
	send_buffer(c);
	c->pkt_start = 0;
	c->pkt_end = c->packet_size;
	c->opos = TDS_HEADER_LEN;
	close_connection(c);
}

/* Close the last packet (EOM) of the current message and send everything. */
void
tds_end_message(TdsConn *c)
{
	close_packet(c, true);
	flush_wire(c);
}

/* Fill in the header of the packet being written. */
static void
close_packet(TdsConn *c, bool eom)
{
	uint8_t    *h = c->obuf + c->pkt_start;
	size_t		len = c->opos - c->pkt_start;

	h[0] = c->out_type;
	h[1] = eom ? TDS_ST_EOM : 0;
	h[2] = (len >> 8) & 0xFF;
	h[3] = len & 0xFF;
	h[4] = (c->spid >> 8) & 0xFF;
	h[5] = c->spid & 0xFF;
	h[6] = c->packet_id++;
	h[7] = 0;
}

/*
 * Start a new packet after the last one, flushing the buffer first when it
 * cannot hold a whole packet more.
 */
static void
open_packet(TdsConn *c)
{
	if (c->opos + c->packet_size > c->ocap)
		flush_wire(c);
	c->pkt_start = c->opos;
	c->pkt_end = c->pkt_start + c->packet_size;
	c->opos = c->pkt_start + TDS_HEADER_LEN;
}

/* Send the whole output buffer (through TLS if on) and empty it. */
static void
send_buffer(TdsConn *c)
{
	if (c->opos > 0 && !c->dead)
	{
		if (c->tls_on)
			tds_tls_write(c, c->obuf, c->opos);
		else
			tds_send_raw(c, c->obuf, c->opos);
	}
	c->opos = 0;
}

/* send_buffer, then look for an attention that arrived meanwhile. */
static void
flush_wire(TdsConn *c)
{
	send_buffer(c);
	if (!c->dead && !c->out.cancelled && tds_poll_attention(c))
		c->out.cancelled = true;
}

/*
 * Slow path of tds_put: the data does not fit in the current packet.  Close
 * full packets (without EOM) and start new ones, flushing the buffer when
 * it cannot hold another packet.
 */
void
tds_put_slow(TdsConn *c, const void *p, size_t n)
{
	const uint8_t *src = p;

	while (n > 0)
	{
		size_t		room = c->pkt_end - c->opos;
		size_t		k = n < room ? n : room;

		memcpy(c->obuf + c->opos, src, k);
		c->opos += k;
		src += k;
		n -= k;
		if (n == 0)
			break;
		close_packet(c, false);
		open_packet(c);
	}
}
