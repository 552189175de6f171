/*
 * tds_tls.c
 *		TLS for TDS 7.x through OpenSSL: the handshake carried inside
 *		PRELOGIN (0x12) packets, then TLS records straight on the stream.
 *
 * The SSL object works on two memory BIOs, so this file decides where the
 * ciphertext goes: during the handshake each server flight leaves as ONE
 * 0x12 message (tedious expects exactly one reply message per flight);
 * afterwards it goes to the socket as is.  TLS is capped at 1.2, because
 * FreeTDS 1.3 built with GnuTLS stalls on a TLS 1.3 handshake.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>

#include <openssl/err.h>

#include "tds_int.h"

static SSL_CTX *tls_ctx;

/*
 * OpenSSL's reason for the last failure, taken off its error queue, or a
 * plain phrase when it gives none (e.g. a file that does not exist).
 */
static const char *
openssl_reason(void)
{
	const char *r = ERR_reason_error_string(ERR_get_error());

	return r ? r : "unusable file";
}

/*
 * Load the certificate chain and key once at startup.  False with a message
 * in errbuf if either cannot be used.
 */
bool
tds_tls_init(const char *certfile, const char *keyfile, char *errbuf,
			 size_t errlen)
{
	SSL_CTX    *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL)
	{
		snprintf(errbuf, errlen, "cannot create TLS context");
		return false;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
	if (SSL_CTX_use_certificate_chain_file(ctx, certfile) != 1)
	{
		snprintf(errbuf, errlen, "cannot load certificate \"%s\": %s", certfile,
				 openssl_reason());
		SSL_CTX_free(ctx);
		return false;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, keyfile, SSL_FILETYPE_PEM) != 1 ||
		SSL_CTX_check_private_key(ctx) != 1)
	{
		snprintf(errbuf, errlen, "cannot load private key \"%s\": %s", keyfile,
				 openssl_reason());
		SSL_CTX_free(ctx);
		return false;
	}
	tls_ctx = ctx;
	return true;
}

/* True if a certificate was loaded, i.e. the server can offer encryption. */
bool
tds_tls_available(void)
{
	return tls_ctx != NULL;
}

/* Send whatever the SSL object wrote to wbio straight to the socket. */
static bool
drain_to_socket(TdsConn *c)
{
	char	   *p;
	long		n = BIO_get_mem_data(c->wbio, &p);
	bool		ok = true;

	if (n > 0)
	{
		ok = tds_send_raw(c, (uint8_t *) p, (size_t) n);
		(void) BIO_reset(c->wbio);
	}
	return ok;
}

/*
 * Run the server side of the TLS handshake wrapped in PRELOGIN packets.
 * On success TLS is on for the raw stream (the caller turns it off again
 * after LOGIN7 for login-only encryption).  False if the handshake failed;
 * the caller closes the connection.
 */
bool
tds_tls_handshake(TdsConn *c)
{
	c->ssl = SSL_new(tls_ctx);
	c->rbio = BIO_new(BIO_s_mem());
	c->wbio = BIO_new(BIO_s_mem());
	if (c->ssl == NULL || c->rbio == NULL || c->wbio == NULL)
		return false;
	SSL_set_bio(c->ssl, c->rbio, c->wbio);
	SSL_set_accept_state(c->ssl);

	for (;;)
	{
		int			r = SSL_do_handshake(c->ssl);
		char	   *p;
		long		n = BIO_get_mem_data(c->wbio, &p);

		if (n > 0)
		{
			/* one server flight = one 0x12 message */
			tds_begin_message(c, TDS_PKT_PRELOGIN);
			tds_put(c, p, (size_t) n);
			(void) BIO_reset(c->wbio);
			tds_end_message(c);
			if (c->dead)
				return false;
		}
		if (r == 1)
			break;
		if (SSL_get_error(c->ssl, r) != SSL_ERROR_WANT_READ)
			return false;
		if (!tds_read_message(c))
			return false;
		if (BIO_write(c->rbio, c->req, (int) c->reqlen) != (int) c->reqlen)
			return false;
	}

	/* anything already read past the handshake is TLS application data */
	if (c->iend > c->istart)
	{
		BIO_write(c->rbio, c->ibuf + c->istart, (int) (c->iend - c->istart));
		c->istart = c->iend = 0;
	}
	c->tls_on = true;
	return true;
}

/* Drop TLS (after the login packet with login-only encryption, or at close). */
void
tds_tls_stop(TdsConn *c)
{
	if (c->ssl)
		SSL_free(c->ssl);		/* frees both BIOs */
	c->ssl = NULL;
	c->rbio = c->wbio = NULL;
	c->tls_on = false;
}

/* True if decrypted or undecrypted input is already buffered. */
bool
tds_tls_has_pending(TdsConn *c)
{
	return SSL_pending(c->ssl) > 0 || BIO_ctrl_pending(c->rbio) > 0;
}

/*
 * Read plaintext.  Returns the byte count, 0 if nothing is available (only
 * without wait), -1 at end of stream or on a TLS error.
 */
int
tds_tls_read(TdsConn *c, uint8_t *buf, size_t len, bool wait)
{
	uint8_t		raw[32768];

	for (;;)
	{
		int			n = SSL_read(c->ssl, buf, len > INT32_MAX ? INT32_MAX : (int) len);
		ssize_t		r;

		if (n > 0)
			return n;
		if (SSL_get_error(c->ssl, n) != SSL_ERROR_WANT_READ)
			return -1;
		if (!drain_to_socket(c))
			return -1;
		r = recv(c->sock, raw, sizeof(raw), wait ? 0 : MSG_DONTWAIT);
		if (r > 0)
		{
			BIO_write(c->rbio, raw, (int) r);
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && !wait && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return -1;
	}
}

/* Encrypt len bytes and send them.  False if the peer is gone. */
bool
tds_tls_write(TdsConn *c, const uint8_t *buf, size_t len)
{
	while (len > 0)
	{
		int			k = len > 65536 ? 65536 : (int) len;
		int			n = SSL_write(c->ssl, buf, k);

		if (n <= 0)
		{
			c->dead = true;
			return false;
		}
		buf += n;
		len -= (size_t) n;
		if (!drain_to_socket(c))
			return false;
	}
	return true;
}
