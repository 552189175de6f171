/*
 * tds_login.c
 *		Connection start-up: PRELOGIN with encryption negotiation, the TLS
 *		handshake when agreed, LOGIN7, the login check and the login
 *		response.
 *
 * Encryption follows the MS-TDS table.  Without a certificate the server
 * answers NOT_SUP.  With one it behaves as a server set to OFF: a client
 * OFF gets OFF (only the LOGIN7 packet is encrypted), ON or REQ gets ON
 * (everything encrypted).  With --force-encryption it behaves as ON: a
 * client OFF gets REQ (everything encrypted), a client NOT_SUP gets REQ and
 * the connection is closed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tds_int.h"

#define ENC_OFF		0x00
#define ENC_ON		0x01
#define ENC_NOT_SUP 0x02
#define ENC_REQ		0x03

typedef enum
{
	TLS_NONE,
	TLS_LOGIN_ONLY,
	TLS_FULL
} TlsMode;

/* Parsed LOGIN7 fields the stand-in uses */
typedef struct Login7
{
	uint32_t	tds_version;
	uint32_t	packet_size;
	char	   *user;
	char	   *password;
	char	   *database;
	char	   *app;
	char	   *host;
} Login7;

/*
 * The client's ENCRYPTION option from a PRELOGIN payload, or ENC_NOT_SUP if
 * it sent none (as FreeTDS treats a missing option).
 */
static int
prelogin_client_encryption(const uint8_t *p, size_t len)
{
	size_t		i = 0;

	while (i < len && p[i] != 0xFF)
	{
		uint8_t		tok;
		size_t		off,
					olen;

		if (i + 5 > len)
			break;
		tok = p[i];
		off = ((size_t) p[i + 1] << 8) | p[i + 2];
		olen = ((size_t) p[i + 3] << 8) | p[i + 4];
		if (tok == 0x01 && olen >= 1 && off < len)
			return p[off] & 0x0F;	/* drop the client-certificate flag */
		i += 5;
	}
	return ENC_NOT_SUP;
}

/* Send the PRELOGIN reply (one packet, type 0x04). */
static void
send_prelogin_reply(TdsConn *c, uint8_t encryption)
{
	static const uint8_t table[26] = {
		0x00, 0x00, 0x1A, 0x00, 0x06,	/* VERSION at 26, 6 bytes */
		0x01, 0x00, 0x20, 0x00, 0x01,	/* ENCRYPTION at 32 */
		0x02, 0x00, 0x21, 0x00, 0x01,	/* INSTOPT at 33 */
		0x03, 0x00, 0x22, 0x00, 0x00,	/* THREADID, empty */
		0x04, 0x00, 0x22, 0x00, 0x01,	/* MARS at 34 */
		0xFF
	};
	static const uint8_t version[6] = {16, 0, 0x03, 0xE8, 0, 0};	/* 16.0.1000.0 */

	tds_begin_message(c, TDS_PKT_REPLY);
	tds_put(c, table, sizeof(table));
	tds_put(c, version, sizeof(version));
	tds_put_u8(c, encryption);
	tds_put_u8(c, 0);			/* INSTOPT: instance matches */
	tds_put_u8(c, 0);			/* MARS off */
	tds_end_message(c);
}

/* A LOGIN7 string field (offset/length pair at fieldpos) as malloc'd UTF-8. */
static char *
login_string(const uint8_t *p, size_t len, size_t fieldpos, bool password)
{
	size_t		ib,
				cch;
	uint8_t    *tmp;
	char	   *s;

	if (fieldpos + 4 > len)
		return tds_xstrdup("");
	ib = tds_get_u16le(p + fieldpos);
	cch = tds_get_u16le(p + fieldpos + 2);
	if (ib + 2 * cch > len)
		return tds_xstrdup("");
	if (!password)
		return tds_ucs2_to_utf8(p + ib, 2 * cch, NULL);
	tmp = tds_xmalloc(2 * cch + 1);
	for (size_t i = 0; i < 2 * cch; i++)
	{
		uint8_t		b = p[ib + i] ^ 0xA5;

		tmp[i] = (uint8_t) ((b << 4) | (b >> 4));
	}
	s = tds_ucs2_to_utf8(tmp, 2 * cch, NULL);
	free(tmp);
	return s;
}

/*
 * Pick the fields the stand-in uses out of a LOGIN7 payload into *l
 * (strings malloc'd; release with free_login7).  False if the payload is
 * shorter than LOGIN7's fixed part.
 */
static bool
parse_login7(const uint8_t *p, size_t len, Login7 *l)
{
	memset(l, 0, sizeof(*l));
	if (len < 86)
		return false;
	l->tds_version = tds_get_u32le(p + 4);
	l->packet_size = tds_get_u32le(p + 8);
	l->user = login_string(p, len, 40, false);
	l->password = login_string(p, len, 44, true);
	l->host = login_string(p, len, 36, false);
	l->app = login_string(p, len, 48, false);
	l->database = login_string(p, len, 68, false);
	return true;
}

/* Free the strings of a parsed LOGIN7. */
static void
free_login7(Login7 *l)
{
	free(l->user);
	free(l->password);
	free(l->database);
	free(l->app);
	free(l->host);
}

/* The version the server answers with for a client's LOGIN7 version. */
static uint32_t
negotiate_version(uint32_t v)
{
	if (v >= TDSVER_74)
		return TDSVER_74;
	if (v >= TDSVER_73B)
		return TDSVER_73B;
	if (v >= TDSVER_73A)
		return TDSVER_73A;
	if (v >= TDSVER_72)
		return TDSVER_72;
	return TDSVER_71;
}

/* ERROR tokens and DONE(ERROR) of a failed login; the caller closes. */
static void
send_login_failure(TdsConn *c, const char *user, int number, const char *text)
{
	char		msg[512];

	tds_begin_message(c, TDS_PKT_REPLY);
	if (number != 0)
		tds_put_message_token(c, true, number, 1, 11, text, "", 1);
	snprintf(msg, sizeof(msg), "Login failed for user '%s'.", user);
	tds_put_message_token(c, true, 18456, 1, 14, msg, "", 1);
	tds_put_done_raw(c, TDS_TOK_DONE, TDS_DONE_ERROR, 0, 0);
	tds_end_message(c);
}

/* The successful login response, in the order of the MS-TDS example. */
static void
send_login_ack(TdsConn *c, int packet_size)
{
	static const char progname[] = "Microsoft SQL Server";
	const char *db = sim_session_database(c->session);
	char		msg[300];
	char		size[16];
	uint32_t	v = c->tds_version;

	tds_begin_message(c, TDS_PKT_REPLY);
	tds_put_envchange_str(c, 1, db, "master");
	snprintf(msg, sizeof(msg), "Changed database context to '%s'.", db);
	tds_put_message_token(c, false, 5701, 2, 0, msg, "", 1);

	tds_put_u8(c, TDS_TOK_ENVCHANGE);	/* collation */
	tds_put_u16(c, 8);
	tds_put_u8(c, 7);
	tds_put_u8(c, 5);
	tds_put(c, tds_default_collation, 5);
	tds_put_u8(c, 0);

	tds_put_envchange_str(c, 2, "us_english", "");
	snprintf(size, sizeof(size), "%d", packet_size);
	tds_put_envchange_str(c, 4, size, "4096");
	tds_put_message_token(c, false, 5703, 1, 0,
						  "Changed language setting to us_english.", "", 1);

	tds_put_u8(c, TDS_TOK_LOGINACK);
	tds_put_u16(c, (uint16_t) (1 + 4 + 1 + 2 * (sizeof(progname) - 1) + 4));
	tds_put_u8(c, 1);			/* SQL_TSQL */
	tds_put_u8(c, (uint8_t) (v >> 24));	/* version, most significant first */
	tds_put_u8(c, (uint8_t) (v >> 16));
	tds_put_u8(c, (uint8_t) (v >> 8));
	tds_put_u8(c, (uint8_t) v);
	tds_put_u8(c, (uint8_t) (sizeof(progname) - 1));
	for (const char *p = progname; *p; p++)
		tds_put_u16(c, (uint8_t) *p);
	tds_put_u8(c, 16);			/* 16.0.1000 */
	tds_put_u8(c, 0);
	tds_put_u8(c, 0x03);
	tds_put_u8(c, 0xE8);

	tds_put_done_raw(c, TDS_TOK_DONE, 0, 0, 0);
	tds_end_message(c);
}

/*
 * Read the LOGIN7 message.  With login-only encryption its first packet
 * comes through TLS, after which TLS is dropped.
 */
static bool
read_login7(TdsConn *c, TlsMode mode)
{
	uint8_t		type,
				status;
	const uint8_t *data;
	size_t		len;

	if (mode != TLS_LOGIN_ONLY)
		return tds_read_message(c);

	if (!tds_read_packet(c, &type, &status, &data, &len))
		return false;
	c->req_type = type;
	c->req_status = status;
	c->req = tds_xrealloc(c->req, len > 0 ? len : 1);
	c->reqcap = len > 0 ? len : 1;
	memcpy(c->req, data, len);
	c->reqlen = len;
	tds_tls_stop(c);
	if (!(status & TDS_ST_EOM))
	{
		/* the rest of a long LOGIN7 is in clear text */
		uint8_t    *first = c->req;
		size_t		firstlen = c->reqlen;

		c->req = NULL;
		c->reqcap = 0;
		if (!tds_read_message(c))
		{
			free(first);
			return false;
		}
		first = tds_xrealloc(first, firstlen + c->reqlen);
		memcpy(first + firstlen, c->req, c->reqlen);
		free(c->req);
		c->req = first;
		c->reqlen += firstlen;
		c->reqcap = c->reqlen;
		c->req_type = type;
	}
	return true;
}

/*
 * Run PRELOGIN, TLS and LOGIN7.  True with c->session open and the packet
 * size negotiated; false when the connection must be closed (the client has
 * been told why where the protocol allows).
 */
bool
tds_login(TdsConn *c, bool force_encryption)
{
	TlsMode		mode = TLS_NONE;
	Login7		l;
	int			err_number = 0;
	char		errbuf[512];
	int			packet_size;

	if (!tds_read_message(c))
		return false;

	if (c->req_type == TDS_PKT_PRELOGIN)
	{
		int			client = prelogin_client_encryption(c->req, c->reqlen);
		uint8_t		answer;
		bool		terminate = false;

		if (!tds_tls_available())
			answer = ENC_NOT_SUP;
		else if (!force_encryption)
		{
			answer = client == ENC_OFF ? ENC_OFF :
				client == ENC_NOT_SUP ? ENC_NOT_SUP : ENC_ON;
			mode = client == ENC_OFF ? TLS_LOGIN_ONLY :
				client == ENC_NOT_SUP ? TLS_NONE : TLS_FULL;
		}
		else
		{
			answer = (client == ENC_ON || client == ENC_REQ) ? ENC_ON : ENC_REQ;
			mode = TLS_FULL;
			terminate = client == ENC_NOT_SUP;
		}
		send_prelogin_reply(c, answer);
		if (terminate || c->dead)
			return false;
		if (mode != TLS_NONE && !tds_tls_handshake(c))
			return false;
		if (!read_login7(c, mode))
			return false;
	}
	else if (force_encryption)
		return false;			/* no PRELOGIN, so no encryption */

	if (c->req_type != TDS_PKT_LOGIN7 || !parse_login7(c->req, c->reqlen, &l))
		return false;
	if (l.tds_version < 0x71000000u)
	{
		free_login7(&l);
		return false;			/* TDS 7.0 and older are not served */
	}
	c->tds_version = negotiate_version(l.tds_version);
	snprintf(c->user, sizeof(c->user), "%s", l.user);

	if (!sim_engine_check_login(l.user, l.password))
	{
		send_login_failure(c, l.user, 0, NULL);
		free_login7(&l);
		return false;
	}
	errbuf[0] = '\0';
	c->session = sim_session_open(l.user, l.database, c->spid, &err_number,
								  errbuf, sizeof(errbuf));
	if (c->session == NULL)
	{
		send_login_failure(c, l.user, err_number ? err_number : 4060, errbuf);
		free_login7(&l);
		return false;
	}
	sim_session_set_client_info(c->session, l.app, l.host);	/* APP_NAME(), HOST_NAME() */

	if (l.packet_size == 0)
		packet_size = TDS_LOGIN_PACKET;
	else if (l.packet_size < TDS_MIN_PACKET)
		packet_size = TDS_MIN_PACKET;
	else if (l.packet_size > TDS_MAX_PACKET)
		packet_size = TDS_MAX_PACKET;
	else
		packet_size = (int) l.packet_size;
	send_login_ack(c, packet_size);
	tds_set_packet_size(c, packet_size);
	free_login7(&l);
	return !c->dead;
}
