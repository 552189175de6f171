/*
 * tds_int.h
 *		Internal interface of the protocol half of the SQL Server stand-in.
 *
 * Everything the tds_*.c files share: the per-connection state (TdsConn),
 * the output buffer with its inline writers, the request reader, the column
 * encoding descriptors and the text/number/date conversion helpers.  Nothing
 * here is visible to the engine half, which only sees sim.h.
 */
#ifndef TDS_INT_H
#define TDS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <openssl/ssl.h>

#include "sim.h"
#include "sim_datetime.h"

/* Packet types (MS-TDS 2.2.3.1.1) */
#define TDS_PKT_SQLBATCH	0x01
#define TDS_PKT_RPC			0x03
#define TDS_PKT_REPLY		0x04
#define TDS_PKT_ATTENTION	0x06
#define TDS_PKT_BULK		0x07
#define TDS_PKT_TM			0x0E
#define TDS_PKT_LOGIN7		0x10
#define TDS_PKT_SSPI		0x11
#define TDS_PKT_PRELOGIN	0x12

/* Packet status bits */
#define TDS_ST_EOM			0x01
#define TDS_ST_IGNORE		0x02
#define TDS_ST_RESET		0x08
#define TDS_ST_RESET_SKIPTRAN 0x10

#define TDS_HEADER_LEN		8
#define TDS_MAX_PACKET		32767
#define TDS_MIN_PACKET		512
#define TDS_LOGIN_PACKET	4096

/* TDS versions, as the integer read little-endian from LOGIN7 */
#define TDSVER_71			0x71000001u
#define TDSVER_72			0x72090002u
#define TDSVER_73A			0x730A0003u
#define TDSVER_73B			0x730B0003u
#define TDSVER_74			0x74000004u

/* Tokens */
#define TDS_TOK_RETURNSTATUS	0x79
#define TDS_TOK_COLMETADATA		0x81
#define TDS_TOK_ERROR			0xAA
#define TDS_TOK_INFO			0xAB
#define TDS_TOK_RETURNVALUE		0xAC
#define TDS_TOK_LOGINACK		0xAD
#define TDS_TOK_ROW				0xD1
#define TDS_TOK_NBCROW			0xD2
#define TDS_TOK_ENVCHANGE		0xE3
#define TDS_TOK_DONE			0xFD
#define TDS_TOK_DONEPROC		0xFE
#define TDS_TOK_DONEINPROC		0xFF

#define TDS_DONE_MORE		0x0001
#define TDS_DONE_ERROR		0x0002
#define TDS_DONE_INXACT		0x0004
#define TDS_DONE_COUNT		0x0010
#define TDS_DONE_ATTN		0x0020

/* SQL_Latin1_General_CP1_CI_AS */
extern const uint8_t tds_default_collation[5];

/* ------------------------------------------------------------------------
 * Column encoding
 * ------------------------------------------------------------------------
 * How one SimType travels on the wire for one connection (its TDS version
 * decides a few down-level mappings).  Computed once per COLMETADATA, used
 * for every row.
 */
typedef enum TdsForm
{
	TF_INT1, TF_INT2, TF_INT4, TF_INT8,		/* fixed NOT NULL integers */
	TF_INTN,								/* INTN, maxlen 1/2/4/8 */
	TF_BIT, TF_BITN,
	TF_FLT4, TF_FLT8, TF_FLTN,
	TF_MONEY4, TF_MONEY8, TF_MONEYN,
	TF_DATETIME4, TF_DATETIME8, TF_DATETIMN,
	TF_DECIMAL,								/* DECIMALN / NUMERICN */
	TF_GUID,
	TF_DATE, TF_TIME, TF_DATETIME2, TF_DTO,
	TF_VARCHAR, TF_CHAR,					/* USHORT length, code page 1252 */
	TF_NVARCHAR, TF_NCHAR,					/* USHORT length, UCS-2LE */
	TF_VARBINARY, TF_BINARY,
	TF_PLP_VARCHAR, TF_PLP_NVARCHAR, TF_PLP_VARBINARY, TF_PLP_XML,
	TF_TEXT, TF_NTEXT, TF_IMAGE,
	TF_DATESTR								/* date/time as nvarchar (< 7.3) */
} TdsForm;

typedef struct TdsColInfo
{
	SimType		type;
	bool		nullable;
	TdsForm		form;
	uint8_t		token;			/* TYPE_INFO token */
	int			maxlen;			/* TYPE_INFO MaxLen (bytes) where present */
	uint32_t	usertype;
} TdsColInfo;

/* ------------------------------------------------------------------------
 * Connection and response state
 * ------------------------------------------------------------------------
 */
typedef struct TdsConn TdsConn;

struct SimOutput
{
	TdsConn    *conn;
	/* held-back DONE (MORE is decided when the next token comes) */
	bool		done_pending;
	uint8_t		done_token;
	uint16_t	done_status;
	uint16_t	done_curcmd;
	uint64_t	done_rowcount;
	bool		any_token;		/* something written in this response */
	bool		error_since_done;	/* ERROR token since the last DONE */
	bool		cancelled;		/* attention received for this response */
	bool		in_rpc;			/* response to an RPC request */
	/* current result set */
	int			ncols;
	int			colcap;
	TdsColInfo *cols;
	int64_t		rows;			/* rows sent in the current result set */

	/* bulk load (tds_bulk.c): swallow the engine's tokens except messages */
	bool		quiet;
	uint64_t	quiet_rows;		/* row counts of the swallowed DONEs */
	bool		quiet_error;	/* an error (severity > 10) was sent meanwhile */
};

struct TdsConn
{
	int			sock;
	int			spid;
	uint32_t	tds_version;	/* negotiated (TDSVER_*) */
	bool		dead;			/* socket closed or broken: stop writing */

	/* TLS */
	SSL		   *ssl;
	BIO		   *rbio;			/* ciphertext from the client */
	BIO		   *wbio;			/* ciphertext to the client */
	bool		tls_on;			/* TLS on the raw stream */

	/* plaintext input */
	uint8_t    *ibuf;
	size_t		icap;
	size_t		istart;
	size_t		iend;

	/* output: whole packets laid out one after another, sent in bulk */
	uint8_t    *obuf;
	size_t		ocap;
	size_t		pkt_start;		/* header offset of the packet being filled */
	size_t		pkt_end;		/* pkt_start + packet size */
	size_t		opos;			/* next free byte */
	uint8_t		out_type;
	uint8_t		packet_id;
	int			packet_size;	/* negotiated; used for new packets */

	/* request being read */
	uint8_t    *req;
	size_t		reqcap;
	size_t		reqlen;
	uint8_t		req_type;
	uint8_t		req_status;		/* status of the first packet */
	bool		req_ignored;	/* ended with IGNORE */

	/* scratch for conversions */
	uint8_t    *scratch;
	size_t		scratchcap;

	/* after login */
	SimSession *session;
	char		user[129];
	sqlite3    *valdb;			/* ":memory:" handle to mint sqlite3_values */
	sqlite3_stmt *valstmt;		/* SELECT ?1 */
	uint32_t	rows_since_poll;

	SimOutput	out;

	/* target of the last INSERT BULK statement (tds_bulk.c) */
	char	   *bulk_table;
	char	  **bulk_cols;
	int			bulk_ncols;
};

/* tds_alloc.c: allocations that abort the process when memory runs out */
extern void *tds_xmalloc(size_t n);
extern void *tds_xcalloc(size_t nmemb, size_t size);
extern void *tds_xrealloc(void *p, size_t n);
extern char *tds_xstrdup(const char *s);
extern char *tds_xstrndup(const char *s, size_t n);

/* A growable NUL-terminated string; start with {0}, free s when done */
typedef struct TdsStrBuf
{
	char	   *s;
	size_t		len;
	size_t		cap;
} TdsStrBuf;

extern void tds_sb_append(TdsStrBuf *b, const char *s, size_t n);
extern void tds_sb_puts(TdsStrBuf *b, const char *s);

/* tds_packet.c */
extern void tds_conn_init(TdsConn *c, int sock, int spid);
extern void tds_conn_free(TdsConn *c);
extern bool tds_read_message(TdsConn *c);
extern int	tds_read_packet(TdsConn *c, uint8_t *type, uint8_t *status,
							const uint8_t **data, size_t *len);
extern void tds_begin_message(TdsConn *c, uint8_t type);
extern void tds_end_message(TdsConn *c);
extern void tds_abort_message(TdsConn *c);
extern void tds_put_slow(TdsConn *c, const void *p, size_t n);
extern bool tds_poll_attention(TdsConn *c);
extern void tds_set_packet_size(TdsConn *c, int size);
extern bool tds_send_raw(TdsConn *c, const uint8_t *p, size_t n);
extern void *tds_scratch(TdsConn *c, size_t n);

/* tds_bulk.c */
extern bool tds_bulk_statement(TdsConn *c, const char *sql);
extern void tds_handle_bulk(TdsConn *c);
extern void tds_bulk_clear(TdsConn *c);

/* tds_tls.c */
extern bool tds_tls_init(const char *certfile, const char *keyfile,
						 char *errbuf, size_t errlen);
extern bool tds_tls_available(void);
extern bool tds_tls_handshake(TdsConn *c);
extern void tds_tls_stop(TdsConn *c);
extern int	tds_tls_read(TdsConn *c, uint8_t *buf, size_t len, bool wait);
extern bool tds_tls_write(TdsConn *c, const uint8_t *buf, size_t len);
extern bool tds_tls_has_pending(TdsConn *c);

/* tds_login.c */
extern bool tds_login(TdsConn *c, bool force_encryption);

/* tds_tokens.c */
extern void tds_response_begin(TdsConn *c, bool in_rpc);
extern void tds_response_end(TdsConn *c);
extern void tds_send_attention_ack(TdsConn *c);
extern void tds_put_reset_ack(TdsConn *c);
extern void tds_put_message_token(TdsConn *c, bool is_error, int32_t number,
								  uint8_t state, uint8_t severity,
								  const char *text, const char *proc,
								  int32_t line);
extern void tds_put_envchange_str(TdsConn *c, uint8_t type, const char *newv,
								  const char *oldv);
extern void tds_put_done_raw(TdsConn *c, uint8_t token, uint16_t status,
							 uint16_t curcmd, uint64_t rowcount);
extern const char *tds_server_name;

/* tds_types.c */
extern void tds_colinfo_init(TdsColInfo *ci, const SimType *t, bool nullable,
							 uint32_t tdsver);
extern void tds_put_typeinfo(TdsConn *c, const TdsColInfo *ci);
extern void tds_put_value(TdsConn *c, const TdsColInfo *ci, sqlite3_value *v);

/* tds_reader.c: bounds-checked reading of a request payload */
typedef struct TdsReader
{
	const uint8_t *p;
	size_t		len;
	size_t		pos;
	bool		err;
	char		errmsg[256];
} TdsReader;

extern uint8_t tds_r_u8(TdsReader *r);
extern uint16_t tds_r_u16(TdsReader *r);
extern uint32_t tds_r_u32(TdsReader *r);
extern uint64_t tds_r_u64(TdsReader *r);
extern const uint8_t *tds_r_bytes(TdsReader *r, size_t n);
extern char *tds_r_ucs2(TdsReader *r, size_t nchars);
extern void tds_r_fail(TdsReader *r, const char *msg);
extern void tds_skip_all_headers(TdsConn *c, TdsReader *r);

/* tds_params.c */
extern bool tds_read_param_value(TdsConn *c, TdsReader *r, SimParam *param);

/* tds_values.c */
extern sqlite3_value *tds_value_int(TdsConn *c, int64_t v);
extern sqlite3_value *tds_value_double(TdsConn *c, double v);
extern sqlite3_value *tds_value_text(TdsConn *c, const char *s, size_t n);
extern sqlite3_value *tds_value_blob(TdsConn *c, const void *p, size_t n);
extern sqlite3_value *tds_value_null(TdsConn *c);

/* tds_text.c */
extern char *tds_ucs2_to_utf8(const uint8_t *p, size_t nbytes, size_t *outlen);
extern size_t tds_utf8_to_ucs2(const char *s, size_t n, uint8_t *out);
extern size_t tds_utf8_to_cp1252(const char *s, size_t n, uint8_t *out);
extern char *tds_cp1252_to_utf8(const uint8_t *p, size_t n, size_t *outlen);
extern size_t tds_ucs2_units(const char *s, size_t n);

/* tds_numeric.c */
typedef unsigned __int128 tds_u128;
extern void tds_format_decimal(bool neg, tds_u128 mag, int scale, char *buf,
							   size_t buflen);
extern bool tds_value_to_decimal(sqlite3_value *v, int scale, bool *neg,
								 tds_u128 *mag);
extern int64_t tds_value_to_int(sqlite3_value *v);
extern double tds_value_to_double(sqlite3_value *v);

/* tds_datetime.c */
typedef struct TdsDateTime
{
	int64_t		days;			/* since 0001-01-01 */
	int64_t		ticks;			/* 100 ns units since midnight */
	int			offset_min;		/* time zone offset (datetimeoffset) */
	bool		has_date;
	bool		has_time;
	bool		has_offset;
} TdsDateTime;

#define TDS_DAYS_1900	SIM_DAYS_0001_TO_1900
#define TDS_TICKS_PER_DAY 864000000000LL

/*
 * Wire layout of time values (TIME, and the time part of DATETIME2 and
 * DATETIMEOFFSET) with `scale` fractional digits (0..7): the value is a
 * count of 10^-scale second units in tds_time_bytes(scale) bytes, and one
 * unit is tds_ticks_per_unit(scale) 100 ns ticks.
 */
static inline int
tds_time_bytes(int scale)
{
	return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
}

static inline int64_t
tds_ticks_per_unit(int scale)
{
	static const int64_t ticks[8] = {
		10000000, 1000000, 100000, 10000, 1000, 100, 10, 1
	};

	return ticks[scale];
}

extern bool tds_value_to_datetime(sqlite3_value *v, TdsDateTime *dt);
extern void tds_format_datetime(const TdsDateTime *dt, bool date, bool time,
								int scale, bool offset, char *buf, size_t buflen);

/* tds_rpc.c */
extern void tds_handle_rpc(TdsConn *c);

/* tds_tm.c */
extern void tds_handle_tm(TdsConn *c);

/* tds_log.c */
extern bool tds_log_open(const char *path, char *errbuf, size_t errlen);
extern __thread int tds_log_spid;

/* tds_conn.c */
extern void tds_serve(int sock, int spid, bool force_encryption);

/* ------------------------------------------------------------------------
 * Inline output writers: the fast path copies into the current packet, the
 * slow path (tds_put_slow) closes full packets and sends full buffers.
 * ------------------------------------------------------------------------
 */
static inline void
tds_put(TdsConn *c, const void *p, size_t n)
{
	if (c->opos + n <= c->pkt_end)
	{
		memcpy(c->obuf + c->opos, p, n);
		c->opos += n;
	}
	else
		tds_put_slow(c, p, n);
}

static inline void
tds_put_u8(TdsConn *c, uint8_t v)
{
	if (c->opos < c->pkt_end)
		c->obuf[c->opos++] = v;
	else
		tds_put_slow(c, &v, 1);
}

static inline void
tds_put_u16(TdsConn *c, uint16_t v)
{
	uint8_t		b[2] = {v & 0xFF, v >> 8};

	tds_put(c, b, 2);
}

static inline void
tds_put_u32(TdsConn *c, uint32_t v)
{
	uint8_t		b[4] = {v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24};

	tds_put(c, b, 4);
}

static inline void
tds_put_u64(TdsConn *c, uint64_t v)
{
	uint8_t		b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (v >> (8 * i)) & 0xFF;
	tds_put(c, b, 8);
}

static inline void
tds_put_zeros(TdsConn *c, size_t n)
{
	static const uint8_t z[64];

	while (n > 0)
	{
		size_t		k = n < sizeof(z) ? n : sizeof(z);

		tds_put(c, z, k);
		n -= k;
	}
}

static inline uint16_t
tds_get_u16le(const uint8_t *p)
{
	return p[0] | (p[1] << 8);
}

static inline uint32_t
tds_get_u32le(const uint8_t *p)
{
	return (uint32_t) p[0] | ((uint32_t) p[1] << 8) |
		((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24);
}

#endif							/* TDS_INT_H */
