/*
 * tds_params.c
 *		Decoding of RPC parameter values (TYPE_INFO + value) into a SimType
 *		and a sqlite3_value in the storage form that sim.h documents.
 *
 * Bulk load (tds_bulk.c) uses the same decoder for its row values.  The
 * values are minted by tds_values.c; the caller frees each one with
 * sqlite3_value_free().
 */
#include <stdio.h>
#include <stdlib.h>

#include "tds_int.h"

/* Little-endian unsigned integer of n (<= 8) bytes */
static uint64_t
le_uint(const uint8_t *p, int n)
{
	uint64_t	v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* The integer type whose values are n bytes wide */
static SimTypeId
int_type_of_width(int n)
{
	return n == 1 ? SIM_TINYINT : n == 2 ? SIM_SMALLINT : n == 4 ? SIM_INT : SIM_BIGINT;
}

/* An integer value n bytes wide: tinyint unsigned, the others signed */
static int64_t
int_of_width(const uint8_t *p, int n)
{
	return n == 1 ? p[0] : n == 2 ? (int16_t) le_uint(p, 2) :
		n == 4 ? (int32_t) le_uint(p, 4) : (int64_t) le_uint(p, 8);
}

/* Read a PLP body into a malloc'd buffer; *isnull for the NULL length. */
static uint8_t *
read_plp(TdsReader *r, size_t *n, bool *isnull)
{
	uint64_t	total = tds_r_u64(r);
	uint8_t    *buf = NULL;
	size_t		len = 0,
				cap = 0;

	*isnull = false;
	*n = 0;
	if (r->err)
		return NULL;
	if (total == UINT64_MAX)
	{
		*isnull = true;
		return NULL;
	}
	for (;;)
	{
		uint32_t	chunk = tds_r_u32(r);
		const uint8_t *p;

		if (r->err)
			break;
		if (chunk == 0)
			break;
		p = tds_r_bytes(r, chunk);
		if (p == NULL)
			break;
		if (len + chunk > cap)
		{
			cap = (len + chunk) * 2;
			buf = tds_xrealloc(buf, cap);
		}
		memcpy(buf + len, p, chunk);
		len += chunk;
	}
	if (r->err)
	{
		free(buf);
		return NULL;
	}
	if (buf == NULL)
		buf = tds_xmalloc(1);
	*n = len;
	return buf;
}

/* A character value in the parameter's collation, as a UTF-8 sqlite value */
static sqlite3_value *
char_value(TdsConn *c, const uint8_t *p, size_t n, bool unicode,
		   const uint8_t *collation)
{
	sqlite3_value *v;
	char	   *s;
	size_t		len;

	if (!unicode && collation && (collation[3] & 0x04))
		return tds_value_text(c, (const char *) p, n);	/* UTF-8 collation */
	s = unicode ? tds_ucs2_to_utf8(p, n, &len) : tds_cp1252_to_utf8(p, n, &len);
	v = tds_value_text(c, s, len);
	free(s);
	return v;
}

/* Decimal magnitude bytes to canonical text */
static sqlite3_value *
decimal_value(TdsConn *c, const uint8_t *p, size_t n, int scale)
{
	tds_u128	mag = 0;
	char		buf[64];

	for (size_t i = n; i > 1; i--)
		mag = (mag << 8) | p[i - 1];
	tds_format_decimal(p[0] == 0, mag, scale, buf, sizeof(buf));
	return tds_value_text(c, buf, strlen(buf));
}

/* MONEY/SMALLMONEY bytes (n is 8 or 4) as canonical text, 4 decimals */
static sqlite3_value *
money_value(TdsConn *c, const uint8_t *p, size_t n)
{
	int64_t		m;
	char		buf[64];

	if (n == 4)
		m = (int32_t) tds_get_u32le(p);
	else
		m = (int64_t) (((uint64_t) tds_get_u32le(p) << 32) | tds_get_u32le(p + 4));
	tds_format_decimal(m < 0, m < 0 ? (tds_u128) (-(m + 1)) + 1 : (tds_u128) m,
					   4, buf, sizeof(buf));
	return tds_value_text(c, buf, strlen(buf));
}

/* DATETIME/SMALLDATETIME bytes (n is 8 or 4) as 'YYYY-MM-DD hh:mm:ss[.fff]' */
static sqlite3_value *
datetime_value(TdsConn *c, const uint8_t *p, size_t n)
{
	TdsDateTime dt;
	char		buf[64];

	memset(&dt, 0, sizeof(dt));
	if (n == 4)
	{
		dt.days = TDS_DAYS_1900 + tds_get_u16le(p);
		dt.ticks = (int64_t) tds_get_u16le(p + 2) * 600000000LL;
		tds_format_datetime(&dt, true, true, 0, false, buf, sizeof(buf));
	}
	else
	{
		int64_t		t300 = tds_get_u32le(p + 4);

		dt.days = TDS_DAYS_1900 + (int32_t) tds_get_u32le(p);
		dt.ticks = (t300 * 10 + 1) / 3 * 10000;
		tds_format_datetime(&dt, true, true, 3, false, buf, sizeof(buf));
	}
	return tds_value_text(c, buf, strlen(buf));
}

/* 16 GUID bytes (first three groups little-endian) as upper-case text */
static sqlite3_value *
guid_value(TdsConn *c, const uint8_t *g)
{
	char		buf[40];

	snprintf(buf, sizeof(buf),
			 "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
			 g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6],
			 g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
	return tds_value_text(c, buf, strlen(buf));
}

/* date / time / datetime2 / datetimeoffset bytes (n = value length) */
static sqlite3_value *
temporal_value(TdsConn *c, uint8_t tok, int scale, const uint8_t *p, size_t n)
{
	TdsDateTime dt;
	char		buf[64];
	int			tl = tds_time_bytes(scale);

	memset(&dt, 0, sizeof(dt));
	if (tok == 0x28)
	{
		dt.days = (int64_t) le_uint(p, 3);
		tds_format_datetime(&dt, true, false, 0, false, buf, sizeof(buf));
		return tds_value_text(c, buf, strlen(buf));
	}
	if ((size_t) tl > n)
		tl = (int) n;
	dt.ticks = (int64_t) le_uint(p, tl) * tds_ticks_per_unit(scale);
	if (tok == 0x29)
	{
		tds_format_datetime(&dt, false, true, scale, false, buf, sizeof(buf));
		return tds_value_text(c, buf, strlen(buf));
	}
	dt.days = n >= (size_t) tl + 3 ? (int64_t) le_uint(p + tl, 3) : 0;
	if (tok == 0x2B && n >= (size_t) tl + 5)
	{
		int64_t		total;

		dt.offset_min = (int16_t) tds_get_u16le(p + tl + 3);
		total = dt.days * TDS_TICKS_PER_DAY + dt.ticks +
			(int64_t) dt.offset_min * 600000000LL;
		if (total < 0)
			total = 0;
		dt.days = total / TDS_TICKS_PER_DAY;
		dt.ticks = total % TDS_TICKS_PER_DAY;
	}
	tds_format_datetime(&dt, true, true, scale, tok == 0x2B, buf, sizeof(buf));
	return tds_value_text(c, buf, strlen(buf));
}

/* Fill in the SimType of a decoded parameter. */
static void
set_type(SimParam *param, SimTypeId id, int length, int precision, int scale)
{
	param->type.id = id;
	param->type.length = length;
	param->type.precision = precision;
	param->type.scale = scale;
}

/*
 * Decode TYPE_INFO and value at the reader's position into param->type and
 * param->value (a new sqlite3_value the caller frees).  False, with
 * r->err/r->errmsg set, on a malformed or unsupported parameter.
 */
bool
tds_read_param_value(TdsConn *c, TdsReader *r, SimParam *param)
{
	uint8_t		tok = tds_r_u8(r);
	const uint8_t *p;
	sqlite3_value *v = NULL;

	param->value = NULL;
	memset(&param->type, 0, sizeof(param->type));
	if (r->err)
		return false;

	switch (tok)
	{
		case 0x30:				/* INT1 */
		case 0x34:				/* INT2 */
		case 0x38:				/* INT4 */
		case 0x7F:				/* INT8 */
			{
				int			n = tok == 0x30 ? 1 : tok == 0x34 ? 2 : tok == 0x38 ? 4 : 8;

				p = tds_r_bytes(r, n);
				if (p == NULL)
					return false;
				set_type(param, int_type_of_width(n), 0, 0, 0);
				v = tds_value_int(c, int_of_width(p, n));
				break;
			}
		case 0x32:				/* BIT */
			p = tds_r_bytes(r, 1);
			if (p == NULL)
				return false;
			set_type(param, SIM_BIT, 0, 0, 0);
			v = tds_value_int(c, p[0] != 0);
			break;
		case 0x1F:				/* NULLTYPE */
			set_type(param, SIM_INT, 0, 0, 0);
			v = tds_value_null(c);
			break;
		case 0x3B:				/* FLT4 */
		case 0x3E:				/* FLT8 */
		case 0x7A:				/* MONEY4 */
		case 0x3C:				/* MONEY */
		case 0x3A:				/* DATETIME4 */
		case 0x3D:				/* DATETIME */
		case 0x26:				/* INTN */
		case 0x68:				/* BITN */
		case 0x6D:				/* FLTN */
		case 0x6E:				/* MONEYN */
		case 0x6F:				/* DATETIMN */
		case 0x24:				/* GUID */
			{
				int			len;
				int			maxlen;

				if (tok == 0x3B || tok == 0x7A || tok == 0x3A)
					maxlen = len = 4;
				else if (tok == 0x3E || tok == 0x3C || tok == 0x3D)
					maxlen = len = 8;
				else
				{
					maxlen = tds_r_u8(r);
					len = tds_r_u8(r);
				}
				p = tds_r_bytes(r, len);
				if (p == NULL)
					return false;
				if (tok == 0x26 && len != 0 && len != 1 && len != 2 && len != 4 && len != 8)
				{
					tds_r_fail(r, "Invalid length of an integer parameter.");
					return false;
				}
				switch (tok)
				{
					case 0x26:
						set_type(param, int_type_of_width(maxlen), 0, 0, 0);
						if (len > 0)
							v = tds_value_int(c, int_of_width(p, len));
						break;
					case 0x68:
						set_type(param, SIM_BIT, 0, 0, 0);
						if (len > 0)
							v = tds_value_int(c, p[0] != 0);
						break;
					case 0x3B:
					case 0x3E:
					case 0x6D:
						set_type(param, maxlen == 4 ? SIM_REAL : SIM_FLOAT, 0,
								 maxlen == 4 ? 24 : 53, 0);
						if (len == 4)
						{
							float		f;

							memcpy(&f, p, 4);
							v = tds_value_double(c, f);
						}
						else if (len == 8)
						{
							double		d;

							memcpy(&d, p, 8);
							v = tds_value_double(c, d);
						}
						break;
					case 0x7A:
					case 0x3C:
					case 0x6E:
						set_type(param, maxlen == 4 ? SIM_SMALLMONEY : SIM_MONEY, 0, 19, 4);
						if (len == 4 || len == 8)
							v = money_value(c, p, len);
						break;
					case 0x3A:
					case 0x3D:
					case 0x6F:
						set_type(param, maxlen == 4 ? SIM_SMALLDATETIME : SIM_DATETIME, 0, 0,
								 maxlen == 4 ? 0 : 3);
						if (len == 4 || len == 8)
							v = datetime_value(c, p, len);
						break;
					case 0x24:
						set_type(param, SIM_UNIQUEIDENTIFIER, 0, 0, 0);
						if (len == 16)
							v = guid_value(c, p);
						break;
				}
				if (v == NULL)
					v = tds_value_null(c);
				break;
			}
		case 0x6A:				/* DECIMALN */
		case 0x6C:				/* NUMERICN */
		case 0x37:				/* legacy DECIMAL */
		case 0x3F:				/* legacy NUMERIC */
			{
				int			prec,
							scale,
							len;

				(void) tds_r_u8(r);	/* MaxLen */
				prec = tds_r_u8(r);
				scale = tds_r_u8(r);
				len = tds_r_u8(r);
				p = tds_r_bytes(r, len);
				if (p == NULL)
					return false;
				if (len > 17)
				{
					tds_r_fail(r, "Invalid decimal parameter length.");
					return false;
				}
				if (prec > 38 || scale > 38)
				{
					tds_r_fail(r, "Invalid precision or scale of a decimal parameter.");
					return false;
				}
				set_type(param, (tok == 0x6A || tok == 0x37) ? SIM_DECIMAL : SIM_NUMERIC,
						 0, prec, scale);
				v = len > 0 ? decimal_value(c, p, len, scale) : tds_value_null(c);
				break;
			}
		case 0x28:				/* DATEN */
		case 0x29:				/* TIMEN */
		case 0x2A:				/* DATETIME2N */
		case 0x2B:				/* DATETIMEOFFSETN */
			{
				int			scale = tok == 0x28 ? 0 : tds_r_u8(r);
				int			len = tds_r_u8(r);

				if (scale > 7)
				{
					tds_r_fail(r, "Invalid scale of a time parameter.");
					return false;
				}
				if (tok == 0x28 && len != 0 && len != 3)
				{
					tds_r_fail(r, "Invalid length of a date parameter.");
					return false;
				}
				p = tds_r_bytes(r, len);
				if (p == NULL)
					return false;
				set_type(param, tok == 0x28 ? SIM_DATE : tok == 0x29 ? SIM_TIME :
						 tok == 0x2A ? SIM_DATETIME2 : SIM_DATETIMEOFFSET, 0, 0, scale);
				v = len > 0 ? temporal_value(c, tok, scale, p, len) : tds_value_null(c);
				break;
			}
		case 0xA7:				/* BIGVARCHR */
		case 0xAF:				/* BIGCHAR */
		case 0xE7:				/* NVARCHAR */
		case 0xEF:				/* NCHAR */
		case 0xA5:				/* BIGVARBIN */
		case 0xAD:				/* BIGBINARY */
			{
				int			maxlen = tds_r_u16(r);
				bool		ischar = tok != 0xA5 && tok != 0xAD;
				bool		unicode = tok == 0xE7 || tok == 0xEF;
				const uint8_t *coll = ischar ? tds_r_bytes(r, 5) : NULL;
				SimTypeId	id = tok == 0xA7 ? SIM_VARCHAR : tok == 0xAF ? SIM_CHAR :
					tok == 0xE7 ? SIM_NVARCHAR : tok == 0xEF ? SIM_NCHAR :
					tok == 0xA5 ? SIM_VARBINARY : SIM_BINARY;

				if (r->err)
					return false;
				if (maxlen == 0xFFFF)
				{
					size_t		n;
					bool		isnull;
					uint8_t    *buf = read_plp(r, &n, &isnull);

					if (r->err)
						return false;
					set_type(param, id, SIM_MAX_LENGTH, 0, 0);
					if (isnull)
						v = tds_value_null(c);
					else if (ischar)
						v = char_value(c, buf, n, unicode, coll);
					else
						v = tds_value_blob(c, buf, n);
					free(buf);
				}
				else
				{
					int			len = tds_r_u16(r);

					set_type(param, id, unicode ? maxlen / 2 : maxlen, 0, 0);
					if (len == 0xFFFF)
						v = tds_value_null(c);
					else
					{
						p = tds_r_bytes(r, len);
						if (p == NULL)
							return false;
						v = ischar ? char_value(c, p, len, unicode, coll) :
							tds_value_blob(c, p, len);
					}
				}
				break;
			}
		case 0x27:				/* legacy VARCHAR */
		case 0x2F:				/* legacy CHAR */
		case 0x25:				/* legacy VARBINARY */
		case 0x2D:				/* legacy BINARY */
			{
				int			maxlen = tds_r_u8(r);
				int			len = tds_r_u8(r);
				bool		ischar = tok == 0x27 || tok == 0x2F;

				p = tds_r_bytes(r, len);
				if (p == NULL)
					return false;
				set_type(param, tok == 0x27 ? SIM_VARCHAR : tok == 0x2F ? SIM_CHAR :
						 tok == 0x25 ? SIM_VARBINARY : SIM_BINARY, maxlen, 0, 0);
				if (len == 0)
					v = tds_value_null(c);
				else
					v = ischar ? char_value(c, p, len, false, NULL) :
						tds_value_blob(c, p, len);
				break;
			}
		case 0x23:				/* TEXT */
		case 0x63:				/* NTEXT */
		case 0x22:				/* IMAGE */
			{
				const uint8_t *coll = NULL;
				uint32_t	len;

				(void) tds_r_u32(r);	/* MaxLen */
				if (tok != 0x22)
					coll = tds_r_bytes(r, 5);
				len = tds_r_u32(r);
				if (r->err)
					return false;
				set_type(param, tok == 0x23 ? SIM_TEXT : tok == 0x63 ? SIM_NTEXT : SIM_IMAGE,
						 SIM_MAX_LENGTH, 0, 0);
				if (len == 0xFFFFFFFF)
					v = tds_value_null(c);
				else
				{
					p = tds_r_bytes(r, len);
					if (p == NULL)
						return false;
					v = tok == 0x22 ? tds_value_blob(c, p, len) :
						char_value(c, p, len, tok == 0x63, coll);
				}
				break;
			}
		case 0xF1:				/* XML */
			{
				size_t		n;
				bool		isnull;
				uint8_t    *buf;

				if (tds_r_u8(r) == 1)
				{
					/* schema collection: db, owner (B_VARCHAR), name (US_VARCHAR) */
					tds_r_bytes(r, 2 * (size_t) tds_r_u8(r));
					tds_r_bytes(r, 2 * (size_t) tds_r_u8(r));
					tds_r_bytes(r, 2 * (size_t) tds_r_u16(r));
				}
				buf = read_plp(r, &n, &isnull);
				if (r->err)
					return false;
				set_type(param, SIM_XML, SIM_MAX_LENGTH, 0, 0);
				if (isnull)
					v = tds_value_null(c);
				else if (n >= 2 && buf[0] == 0xFF && buf[1] == 0xFE)
					v = char_value(c, buf + 2, n - 2, true, NULL);
				else
					v = char_value(c, buf, n, true, NULL);
				free(buf);
				break;
			}
		default:
			{
				char		msg[160];

				snprintf(msg, sizeof(msg), "Data type 0x%02X is unknown.", tok);
				tds_r_fail(r, msg);
				return false;
			}
	}
	param->value = v;
	return true;
}
