/*
 * tds_reader.c
 *		Bounds-checked little-endian reading of a request payload.
 *
 * Every reader function checks the remaining length; on a short payload it
 * sets r->err (with a message for the client) and returns zero/NULL, so
 * callers can read a whole structure and test r->err once at the end.
 * tds_skip_all_headers() steps over the ALL_HEADERS block that starts SQL
 * batch, RPC and transaction manager requests from TDS 7.2 on.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tds_int.h"

/* Mark the payload malformed; the first message wins. */
void
tds_r_fail(TdsReader *r, const char *msg)
{
	if (!r->err)
		snprintf(r->errmsg, sizeof(r->errmsg), "%s", msg);
	r->err = true;
}

/* n bytes at the current position, or NULL (and err) if fewer remain. */
const uint8_t *
tds_r_bytes(TdsReader *r, size_t n)
{
	const uint8_t *p;

	if (r->err || n > r->len - r->pos)
	{
		tds_r_fail(r, "The incoming tabular data stream (TDS) protocol stream is incorrect. The stream ended unexpectedly.");
		return NULL;
	}
	p = r->p + r->pos;
	r->pos += n;
	return p;
}

/*
 * The next 1-, 2-, 4- or 8-byte little-endian integer; 0 (with r->err
 * set) if the payload ends first.
 */
uint8_t
tds_r_u8(TdsReader *r)
{
	const uint8_t *p = tds_r_bytes(r, 1);

	return p ? p[0] : 0;
}

uint16_t
tds_r_u16(TdsReader *r)
{
	const uint8_t *p = tds_r_bytes(r, 2);

	return p ? tds_get_u16le(p) : 0;
}

uint32_t
tds_r_u32(TdsReader *r)
{
	const uint8_t *p = tds_r_bytes(r, 4);

	return p ? tds_get_u32le(p) : 0;
}

uint64_t
tds_r_u64(TdsReader *r)
{
	const uint8_t *p = tds_r_bytes(r, 8);

	return p ? (uint64_t) tds_get_u32le(p) |
		((uint64_t) tds_get_u32le(p + 4) << 32) : 0;
}

/* nchars UCS-2LE characters as a malloc'd UTF-8 string (NULL on error). */
char *
tds_r_ucs2(TdsReader *r, size_t nchars)
{
	const uint8_t *p = tds_r_bytes(r, 2 * nchars);

	return p ? tds_ucs2_to_utf8(p, 2 * nchars, NULL) : NULL;
}

/* Skip ALL_HEADERS (sent from TDS 7.2 on) at the start of a request. */
void
tds_skip_all_headers(TdsConn *c, TdsReader *r)
{
	uint32_t	total;

	if (c->tds_version < TDSVER_72 || r->len < 4)
		return;
	total = tds_get_u32le(r->p);
	if (total >= 4 && total <= r->len)
		r->pos = total;
}
