/*
 * tds_types.c
 *		How each SQL Server type travels in COLMETADATA/RETURNVALUE (TYPE_INFO)
 *		and in ROW/NBCROW (values).
 *
 * tds_colinfo_init() picks the wire form of a column once: fixed-length
 * types for NOT NULL int/bit/float/money/datetime, the N-types when NULL is
 * possible, the BIG* types for character and binary data, PLP for (max),
 * and the down-level mappings for older clients (date/time as nvarchar
 * below TDS 7.3, (max) and xml as text/ntext/image below 7.2).
 *
 * tds_put_value() encodes one sqlite3_value of any storage class into that
 * form, converting as SQL Server converts implicitly.  A value that cannot
 * be converted goes out as NULL (or zero in a NOT NULL fixed-length column):
 * the encoder never fails half way through a row.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tds_int.h"

const uint8_t tds_default_collation[5] = {0x09, 0x04, 0xD0, 0x00, 0x34};

#define PLP_CHUNK 8000


/* A wire form: TdsForm, TYPE_INFO token, MaxLen */
typedef struct WireForm
{
	TdsForm		form;
	uint8_t		token;
	int			maxlen;
} WireForm;

/*
 * Types whose wire form depends only on nullability: the fixed-length form
 * for NOT NULL columns, the N-type for nullable ones.  float(n <= 24) uses
 * the SIM_REAL entry.
 */
static const struct
{
	WireForm	not_null;
	WireForm	nullable;
}			fixed_forms[] = {
	[SIM_BIT] = {{TF_BIT, 0x32, 1}, {TF_BITN, 0x68, 1}},
	[SIM_TINYINT] = {{TF_INT1, 0x30, 1}, {TF_INTN, 0x26, 1}},
	[SIM_SMALLINT] = {{TF_INT2, 0x34, 2}, {TF_INTN, 0x26, 2}},
	[SIM_INT] = {{TF_INT4, 0x38, 4}, {TF_INTN, 0x26, 4}},
	[SIM_BIGINT] = {{TF_INT8, 0x7F, 8}, {TF_INTN, 0x26, 8}},
	[SIM_MONEY] = {{TF_MONEY8, 0x3C, 8}, {TF_MONEYN, 0x6E, 8}},
	[SIM_SMALLMONEY] = {{TF_MONEY4, 0x7A, 4}, {TF_MONEYN, 0x6E, 4}},
	[SIM_FLOAT] = {{TF_FLT8, 0x3E, 8}, {TF_FLTN, 0x6D, 8}},
	[SIM_REAL] = {{TF_FLT4, 0x3B, 4}, {TF_FLTN, 0x6D, 4}},
	[SIM_DATETIME] = {{TF_DATETIME8, 0x3D, 8}, {TF_DATETIMN, 0x6F, 8}},
	[SIM_SMALLDATETIME] = {{TF_DATETIME4, 0x3A, 4}, {TF_DATETIMN, 0x6F, 4}},
};

/*
 * The character and binary families: char/varchar/text, nchar/nvarchar/
 * ntext, binary/varbinary/image.  Lengths of the SimType are in units
 * (bytes, or UCS-2 characters for the n-types).
 */
typedef struct StringFamily
{
	int			unit;			/* bytes per length unit */
	int			limit;			/* longest length short of (max), in units */
	WireForm	fixed;			/* char(n); MaxLen from the length */
	WireForm	var;			/* varchar(n); MaxLen from the length */
	WireForm	plp;			/* (max) from TDS 7.2 on */
	WireForm	lob;			/* (max) below 7.2, and text/ntext/image */
} StringFamily;

static const StringFamily char_family = {
	1, 8000, {TF_CHAR, 0xAF, 0}, {TF_VARCHAR, 0xA7, 0},
	{TF_PLP_VARCHAR, 0xA7, 0xFFFF}, {TF_TEXT, 0x23, 0x7FFFFFFF}
};
static const StringFamily nchar_family = {
	2, 4000, {TF_NCHAR, 0xEF, 0}, {TF_NVARCHAR, 0xE7, 0},
	{TF_PLP_NVARCHAR, 0xE7, 0xFFFF}, {TF_NTEXT, 0x63, 0x7FFFFFFE}
};
static const StringFamily binary_family = {
	1, 8000, {TF_BINARY, 0xAD, 0}, {TF_VARBINARY, 0xA5, 0},
	{TF_PLP_VARBINARY, 0xA5, 0xFFFF}, {TF_IMAGE, 0x22, 0x7FFFFFFF}
};

static const WireForm xml_form = {TF_PLP_XML, 0xF1, 0xFFFF};
static const WireForm guid_form = {TF_GUID, 0x24, 16};
static const WireForm rowversion_form = {TF_BINARY, 0xAD, 8};
static const WireForm datestr_form = {TF_DATESTR, 0xE7, 0};
static const WireForm temporal_forms[] = {
	[SIM_DATE] = {TF_DATE, 0x28, 0},
	[SIM_TIME] = {TF_TIME, 0x29, 0},
	[SIM_DATETIME2] = {TF_DATETIME2, 0x2A, 0},
	[SIM_DATETIMEOFFSET] = {TF_DTO, 0x2B, 0},
};
static const WireForm fallback_form = {TF_NVARCHAR, 0xE7, 8000};	/* nvarchar(4000) */

/* DECIMALN MaxLen by precision */
static int
decimal_maxlen(int precision)
{
	if (precision <= 9)
		return 5;
	if (precision <= 19)
		return 9;
	if (precision <= 28)
		return 13;
	return 17;
}

/* Character length of a date/time type in its string (down-level) form */
static int
datestr_chars(const SimType *t)
{
	int			frac = t->scale > 0 ? t->scale + 1 : 0;

	switch (t->id)
	{
		case SIM_DATE:
			return 10;
		case SIM_TIME:
			return 8 + frac;
		case SIM_DATETIME2:
			return 19 + frac;
		default:
			return 26 + frac;
	}
}

/* Copy a wire form into ci. */
static void
set_form(TdsColInfo *ci, const WireForm *wf)
{
	ci->form = wf->form;
	ci->token = wf->token;
	ci->maxlen = wf->maxlen;
}

/* char(n), nchar(n), binary(n): MaxLen is n units, n within 1..limit */
static void
set_fixed_string(TdsColInfo *ci, const StringFamily *fam, int len)
{
	set_form(ci, &fam->fixed);
	ci->maxlen = fam->unit * (len <= 0 ? 1 : len > fam->limit ? fam->limit : len);
}

/* varchar(n), nvarchar(n), varbinary(n), (max) as PLP or (below 7.2) LOB */
static void
set_var_string(TdsColInfo *ci, const StringFamily *fam, int len, bool plp_ok)
{
	if (len == SIM_MAX_LENGTH || len > fam->limit)
		set_form(ci, plp_ok ? &fam->plp : &fam->lob);
	else
	{
		set_form(ci, &fam->var);
		ci->maxlen = fam->unit * (len > 0 ? len : fam->limit);
	}
}

/*
 * Choose the wire form of a column of type t for a client speaking tdsver.
 * Fills every field of *ci; an out-of-range precision or scale is replaced
 * by SQL Server's default in ci->type.
 */
void
tds_colinfo_init(TdsColInfo *ci, const SimType *t, bool nullable,
				 uint32_t tdsver)
{
	bool		plp_ok = tdsver >= TDSVER_72;
	SimTypeId	fixed_id = t->id;

	memset(ci, 0, sizeof(*ci));
	ci->type = *t;
	ci->nullable = nullable;

	switch (t->id)
	{
		case SIM_FLOAT:
		case SIM_REAL:
			if (t->id == SIM_REAL || (t->precision > 0 && t->precision <= 24))
				fixed_id = SIM_REAL;
			/* FALLTHROUGH */
		case SIM_BIT:
		case SIM_TINYINT:
		case SIM_SMALLINT:
		case SIM_INT:
		case SIM_BIGINT:
		case SIM_MONEY:
		case SIM_SMALLMONEY:
		case SIM_DATETIME:
		case SIM_SMALLDATETIME:
			set_form(ci, nullable ? &fixed_forms[fixed_id].nullable :
					 &fixed_forms[fixed_id].not_null);
			break;
		case SIM_DECIMAL:
		case SIM_NUMERIC:
			if (ci->type.precision < 1 || ci->type.precision > 38)
				ci->type.precision = 18;
			if (ci->type.scale < 0 || ci->type.scale > ci->type.precision)
				ci->type.scale = 0;
			ci->form = TF_DECIMAL;
			ci->token = t->id == SIM_DECIMAL ? 0x6A : 0x6C;
			ci->maxlen = decimal_maxlen(ci->type.precision);
			break;
		case SIM_DATE:
		case SIM_TIME:
		case SIM_DATETIME2:
		case SIM_DATETIMEOFFSET:
			if (ci->type.scale < 0 || ci->type.scale > 7)
				ci->type.scale = t->id == SIM_DATE ? 0 : 7;
			if (tdsver < TDSVER_73A)
			{
				set_form(ci, &datestr_form);
				ci->maxlen = 2 * datestr_chars(&ci->type);
			}
			else
				set_form(ci, &temporal_forms[t->id]);
			break;
		case SIM_CHAR:
			set_fixed_string(ci, &char_family, t->length);
			break;
		case SIM_VARCHAR:
			set_var_string(ci, &char_family, t->length, plp_ok);
			break;
		case SIM_TEXT:
			set_form(ci, &char_family.lob);
			break;
		case SIM_NCHAR:
			set_fixed_string(ci, &nchar_family, t->length);
			break;
		case SIM_NVARCHAR:
			set_var_string(ci, &nchar_family, t->length, plp_ok);
			break;
		case SIM_SYSNAME:
			set_var_string(ci, &nchar_family, 128, plp_ok);
			break;
		case SIM_NTEXT:
			set_form(ci, &nchar_family.lob);
			break;
		case SIM_BINARY:
			set_fixed_string(ci, &binary_family, t->length);
			break;
		case SIM_VARBINARY:
			set_var_string(ci, &binary_family, t->length, plp_ok);
			break;
		case SIM_IMAGE:
			set_form(ci, &binary_family.lob);
			break;
		case SIM_ROWVERSION:
			set_form(ci, &rowversion_form);
			ci->usertype = 0x50;
			break;
		case SIM_UNIQUEIDENTIFIER:
			set_form(ci, &guid_form);
			break;
		case SIM_XML:
			set_form(ci, plp_ok ? &xml_form : &nchar_family.lob);
			break;
		default:
			/* unknown to this encoder: nvarchar(4000) text */
			set_form(ci, &fallback_form);
			break;
	}
}

/* Write TYPE_INFO (token and type metadata, without a TableName). */
void
tds_put_typeinfo(TdsConn *c, const TdsColInfo *ci)
{
	tds_put_u8(c, ci->token);
	switch (ci->form)
	{
		case TF_INT1:
		case TF_INT2:
		case TF_INT4:
		case TF_INT8:
		case TF_BIT:
		case TF_FLT4:
		case TF_FLT8:
		case TF_MONEY4:
		case TF_MONEY8:
		case TF_DATETIME4:
		case TF_DATETIME8:
		case TF_DATE:
			break;
		case TF_INTN:
		case TF_BITN:
		case TF_FLTN:
		case TF_MONEYN:
		case TF_DATETIMN:
		case TF_GUID:
			tds_put_u8(c, (uint8_t) ci->maxlen);
			break;
		case TF_DECIMAL:
			tds_put_u8(c, (uint8_t) ci->maxlen);
			tds_put_u8(c, (uint8_t) ci->type.precision);
			tds_put_u8(c, (uint8_t) ci->type.scale);
			break;
		case TF_TIME:
		case TF_DATETIME2:
		case TF_DTO:
			tds_put_u8(c, (uint8_t) ci->type.scale);
			break;
		case TF_VARCHAR:
		case TF_CHAR:
		case TF_NVARCHAR:
		case TF_NCHAR:
		case TF_PLP_VARCHAR:
		case TF_PLP_NVARCHAR:
		case TF_DATESTR:
			tds_put_u16(c, (uint16_t) ci->maxlen);
			tds_put(c, tds_default_collation, 5);
			break;
		case TF_VARBINARY:
		case TF_BINARY:
		case TF_PLP_VARBINARY:
			tds_put_u16(c, (uint16_t) ci->maxlen);
			break;
		case TF_TEXT:
		case TF_NTEXT:
			tds_put_u32(c, (uint32_t) ci->maxlen);
			tds_put(c, tds_default_collation, 5);
			break;
		case TF_IMAGE:
			tds_put_u32(c, (uint32_t) ci->maxlen);
			break;
		case TF_PLP_XML:
			tds_put_u8(c, 0);	/* no schema */
			break;
	}
}

/*
 * Write the NULL form of a column (zero in the fixed-length forms, which
 * have none).
 */
static void
put_null(TdsConn *c, const TdsColInfo *ci)
{
	switch (ci->form)
	{
		/* fixed-length types cannot be NULL: send zero */
		case TF_INT1:
		case TF_BIT:
			tds_put_u8(c, 0);
			break;
		case TF_INT2:
			tds_put_u16(c, 0);
			break;
		case TF_INT4:
		case TF_FLT4:
		case TF_MONEY4:
		case TF_DATETIME4:
			tds_put_u32(c, 0);
			break;
		case TF_INT8:
		case TF_FLT8:
		case TF_MONEY8:
		case TF_DATETIME8:
			tds_put_u64(c, 0);
			break;
		case TF_VARCHAR:
		case TF_CHAR:
		case TF_NVARCHAR:
		case TF_NCHAR:
		case TF_VARBINARY:
		case TF_BINARY:
		case TF_DATESTR:
			tds_put_u16(c, 0xFFFF);
			break;
		case TF_PLP_VARCHAR:
		case TF_PLP_NVARCHAR:
		case TF_PLP_VARBINARY:
		case TF_PLP_XML:
			tds_put_u64(c, UINT64_MAX);
			break;
		default:
			/* N-types (length byte 0) and text/ntext/image (TextPtrLen 0) */
			tds_put_u8(c, 0);
			break;
	}
}

/*
 * The low len bytes (1 to 8) of u, little-endian.  The common lengths go
 * through the inline fixed-size writers: this is on the row path.
 */
static inline void
put_le(TdsConn *c, uint64_t u, int len)
{
	switch (len)
	{
		case 1:
			tds_put_u8(c, (uint8_t) u);
			return;
		case 2:
			tds_put_u16(c, (uint16_t) u);
			return;
		case 4:
			tds_put_u32(c, (uint32_t) u);
			return;
		case 8:
			tds_put_u64(c, u);
			return;
		default:
			{
				uint8_t		b[8];

				for (int i = 0; i < len; i++)
					b[i] = (uint8_t) (u >> (8 * i));
				tds_put(c, b, (size_t) len);
				return;
			}
	}
}

/*
 * Bytes of a value taken as binary: BLOB as is, text as its UTF-8 bytes,
 * integers as 8 bytes big-endian (SQL Server's int-to-binary order).
 */
static const uint8_t *
value_bytes(TdsConn *c, sqlite3_value *v, size_t *n)
{
	switch (sqlite3_value_type(v))
	{
		case SQLITE_INTEGER:
			{
				uint8_t    *b = tds_scratch(c, 8);
				uint64_t	i = (uint64_t) sqlite3_value_int64(v);

				for (int k = 0; k < 8; k++)
					b[k] = (uint8_t) (i >> (8 * (7 - k)));
				*n = 8;
				return b;
			}
		case SQLITE_TEXT:
			*n = (size_t) sqlite3_value_bytes(v);
			return sqlite3_value_text(v);
		default:
			{
				const uint8_t *p = sqlite3_value_blob(v);

				*n = (size_t) sqlite3_value_bytes(v);
				return p ? p : (const uint8_t *) "";
			}
	}
}

/* UTF-8 text of a value (numbers as SQLite renders them). */
static const char *
value_text(sqlite3_value *v, size_t *n)
{
	const char *t;

	if (sqlite3_value_type(v) == SQLITE_BLOB)
	{
		t = sqlite3_value_blob(v);
		*n = (size_t) sqlite3_value_bytes(v);
		return t ? t : "";
	}
	t = (const char *) sqlite3_value_text(v);
	*n = (size_t) sqlite3_value_bytes(v);
	return t ? t : "";
}

/* Write a PLP body of n bytes in chunks (n may be 0). */
static void
put_plp(TdsConn *c, const uint8_t *p, size_t n)
{
	tds_put_u64(c, n);
	while (n > 0)
	{
		size_t		k = n < PLP_CHUNK ? n : PLP_CHUNK;

		tds_put_u32(c, (uint32_t) k);
		tds_put(c, p, k);
		p += k;
		n -= k;
	}
	tds_put_u32(c, 0);
}

/* text/ntext/image value: TextPtr, Timestamp, Length, data */
static void
put_textptr_value(TdsConn *c, const uint8_t *p, size_t n)
{
	static const uint8_t ptr[16] = {
		0x54, 0x45, 0x58, 0x54, 0x50, 0x54, 0x52, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01
	};
	static const uint8_t ts[8] = {0, 0, 0, 0, 0, 0, 0, 1};

	tds_put_u8(c, 16);
	tds_put(c, ptr, 16);
	tds_put(c, ts, 8);
	tds_put_u32(c, (uint32_t) n);
	tds_put(c, p, n);
}

/* Convert UTF-8 to UCS-2LE in scratch; returns the byte count. */
static size_t
to_ucs2(TdsConn *c, const char *s, size_t n, uint8_t **out)
{
	*out = tds_scratch(c, 2 * n + 2);
	return tds_utf8_to_ucs2(s, n, *out);
}

/* Cut a UCS-2LE byte string to at most max bytes, not splitting a pair. */
static size_t
ucs2_cut(const uint8_t *p, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max & ~(size_t) 1;
	if (n >= 2)
	{
		uint16_t	last = tds_get_u16le(p + n - 2);

		if (last >= 0xD800 && last <= 0xDBFF)
			n -= 2;
	}
	return n;
}

/*
 * Write a character or binary value already in its wire encoding (len
 * bytes of Windows-1252, UCS-2LE or binary) in the column's form: PLP
 * chunks, a text pointer, or a USHORT length.  The USHORT forms are cut to
 * MaxLen (UCS-2 without splitting a surrogate pair), and the fixed-length
 * ones (char, nchar, binary) padded to it with spaces or zeros.
 */
static void
put_sized(TdsConn *c, const TdsColInfo *ci, const uint8_t *p, size_t len)
{
	size_t		maxlen = (size_t) ci->maxlen;

	switch (ci->form)
	{
		case TF_PLP_VARCHAR:
		case TF_PLP_NVARCHAR:
		case TF_PLP_VARBINARY:
		case TF_PLP_XML:
			put_plp(c, p, len);
			return;
		case TF_TEXT:
		case TF_NTEXT:
		case TF_IMAGE:
			put_textptr_value(c, p, len);
			return;
		case TF_NVARCHAR:
		case TF_NCHAR:
			len = ucs2_cut(p, len, maxlen);
			break;
		default:
			if (len > maxlen)
				len = maxlen;
			break;
	}
	switch (ci->form)
	{
		case TF_CHAR:
			tds_put_u16(c, (uint16_t) maxlen);
			tds_put(c, p, len);
			for (; len < maxlen; len++)
				tds_put_u8(c, ' ');
			break;
		case TF_NCHAR:
			tds_put_u16(c, (uint16_t) (maxlen & ~(size_t) 1));
			tds_put(c, p, len);
			for (; len + 1 < maxlen; len += 2)
				tds_put_u16(c, ' ');
			break;
		case TF_BINARY:
			tds_put_u16(c, (uint16_t) maxlen);
			tds_put(c, p, len);
			tds_put_zeros(c, maxlen - len);
			break;
		default:
			tds_put_u16(c, (uint16_t) len);
			tds_put(c, p, len);
			break;
	}
}

/*
 * Encode a date/time value in the column's form.  False if the value is no
 * valid date/time in range (the caller sends NULL then).
 */
static bool
put_temporal(TdsConn *c, const TdsColInfo *ci, sqlite3_value *v)
{
	TdsDateTime dt;
	int			scale = ci->type.scale;

	if (!tds_value_to_datetime(v, &dt))
		return false;
	if (!dt.has_date)
		dt.days = TDS_DAYS_1900;

	switch (ci->form)
	{
		case TF_DATETIME4:
		case TF_DATETIMN:
		case TF_DATETIME8:
			if (ci->maxlen == 4 || ci->form == TF_DATETIME4)
			{
				int64_t		minutes = (dt.ticks + 299990000LL) / 600000000LL;
				int64_t		days = dt.days - TDS_DAYS_1900;

				if (minutes >= 1440)
				{
					minutes -= 1440;
					days++;
				}
				if (days < 0 || days > 65535)
					return false;
				if (ci->form == TF_DATETIMN)
					tds_put_u8(c, 4);
				tds_put_u16(c, (uint16_t) days);
				tds_put_u16(c, (uint16_t) minutes);
			}
			else
			{
				int64_t		t300 = (dt.ticks * 3 + 50000) / 100000;
				int64_t		days = dt.days - TDS_DAYS_1900;

				if (t300 >= 25920000)
				{
					t300 -= 25920000;
					days++;
				}
				/* 1753-01-01 .. 9999-12-31 */
				if (days < -53690 || days > 2958463)
					return false;
				if (ci->form == TF_DATETIMN)
					tds_put_u8(c, 8);
				tds_put_u32(c, (uint32_t) (int32_t) days);
				tds_put_u32(c, (uint32_t) t300);
			}
			return true;
		case TF_DATE:
			if (dt.days < 0 || dt.days > 3652058)
				return false;
			tds_put_u8(c, 3);
			put_le(c, (uint64_t) dt.days, 3);
			return true;
		case TF_TIME:
		case TF_DATETIME2:
		case TF_DTO:
			{
				int64_t		div = tds_ticks_per_unit(scale);
				int64_t		per_day = TDS_TICKS_PER_DAY / div;
				int64_t		total = dt.days * TDS_TICKS_PER_DAY + dt.ticks;
				int64_t		units,
							days,
							t;
				int			tl = tds_time_bytes(scale);

				if (ci->form == TF_DTO)
					total -= (int64_t) dt.offset_min * 600000000LL;
				if (total < 0)
					return false;
				units = (total + div / 2) / div;
				days = units / per_day;
				t = units % per_day;
				if (ci->form == TF_TIME)
				{
					tds_put_u8(c, (uint8_t) tl);
					put_le(c, (uint64_t) t, tl);
					return true;
				}
				if (days > 3652058)
					return false;
				tds_put_u8(c, (uint8_t) (tl + 3 + (ci->form == TF_DTO ? 2 : 0)));
				put_le(c, (uint64_t) t, tl);
				put_le(c, (uint64_t) days, 3);
				if (ci->form == TF_DTO)
					tds_put_u16(c, (uint16_t) (int16_t) dt.offset_min);
				return true;
			}
		case TF_DATESTR:
			{
				char		buf[64];
				uint8_t    *u;
				size_t		n;
				int64_t		div = tds_ticks_per_unit(scale);

				dt.ticks = (dt.ticks + div / 2) / div * div;
				if (dt.ticks >= TDS_TICKS_PER_DAY)
				{
					dt.ticks -= TDS_TICKS_PER_DAY;
					if (ci->type.id != SIM_TIME)
						dt.days++;
				}
				tds_format_datetime(&dt, ci->type.id != SIM_TIME,
									ci->type.id != SIM_DATE, scale,
									ci->type.id == SIM_DATETIMEOFFSET,
									buf, sizeof(buf));
				n = to_ucs2(c, buf, strlen(buf), &u);
				tds_put_u16(c, (uint16_t) n);
				tds_put(c, u, n);
				return true;
			}
		default:
			return false;
	}
}

/* Parse a GUID (text with optional dashes/braces, or 16 raw bytes). */
static bool
guid_bytes(sqlite3_value *v, uint8_t out[16])
{
	uint8_t		raw[16];
	const char *t;
	int			nd = 0;

	if (sqlite3_value_type(v) == SQLITE_BLOB && sqlite3_value_bytes(v) == 16)
	{
		memcpy(out, sqlite3_value_blob(v), 16);
		return true;
	}
	t = (const char *) sqlite3_value_text(v);
	if (t == NULL)
		return false;
	for (; *t && nd < 32; t++)
	{
		int			h;

		if (*t == '-' || *t == '{' || *t == '}' || *t == ' ')
			continue;
		if (*t >= '0' && *t <= '9')
			h = *t - '0';
		else if (*t >= 'a' && *t <= 'f')
			h = *t - 'a' + 10;
		else if (*t >= 'A' && *t <= 'F')
			h = *t - 'A' + 10;
		else
			return false;
		if (nd % 2 == 0)
			raw[nd / 2] = (uint8_t) (h << 4);
		else
			raw[nd / 2] |= (uint8_t) h;
		nd++;
	}
	if (nd != 32)
		return false;
	/* Data1, Data2, Data3 little-endian; Data4 as written */
	out[0] = raw[3];
	out[1] = raw[2];
	out[2] = raw[1];
	out[3] = raw[0];
	out[4] = raw[5];
	out[5] = raw[4];
	out[6] = raw[7];
	out[7] = raw[6];
	memcpy(out + 8, raw + 8, 8);
	return true;
}

/*
 * Encode one non-NULL value in the column's form.  Returns false if it
 * could not be converted, without having written anything.
 */
static bool
put_value(TdsConn *c, const TdsColInfo *ci, sqlite3_value *v)
{
	switch (ci->form)
	{
		case TF_INT1:
		case TF_INT2:
		case TF_INT4:
		case TF_INT8:
		case TF_INTN:
			if (ci->form == TF_INTN)
				tds_put_u8(c, (uint8_t) ci->maxlen);
			put_le(c, (uint64_t) tds_value_to_int(v), ci->maxlen);
			return true;
		case TF_BIT:
		case TF_BITN:
			if (ci->form == TF_BITN)
				tds_put_u8(c, 1);
			tds_put_u8(c, tds_value_to_double(v) != 0 ||
					   tds_value_to_int(v) != 0 ? 1 : 0);
			return true;
		case TF_FLT4:
		case TF_FLT8:
		case TF_FLTN:
			{
				double		d = tds_value_to_double(v);

				if (ci->maxlen == 4)
				{
					float		f = (float) d;
					uint32_t	u;

					memcpy(&u, &f, 4);
					if (ci->form == TF_FLTN)
						tds_put_u8(c, 4);
					tds_put_u32(c, u);
				}
				else
				{
					uint64_t	u;

					memcpy(&u, &d, 8);
					if (ci->form == TF_FLTN)
						tds_put_u8(c, 8);
					tds_put_u64(c, u);
				}
				return true;
			}
		case TF_MONEY4:
		case TF_MONEY8:
		case TF_MONEYN:
			{
				bool		neg;
				tds_u128	mag;
				int64_t		m;

				if (!tds_value_to_decimal(v, 4, &neg, &mag) ||
					mag > (tds_u128) INT64_MAX + (neg ? 1 : 0))
					return false;
				m = neg ? (int64_t) (0 - (uint64_t) mag) : (int64_t) mag;
				if (ci->maxlen == 4)
				{
					if (m < INT32_MIN || m > INT32_MAX)
						return false;
					if (ci->form == TF_MONEYN)
						tds_put_u8(c, 4);
					tds_put_u32(c, (uint32_t) (int32_t) m);
				}
				else
				{
					if (ci->form == TF_MONEYN)
						tds_put_u8(c, 8);
					tds_put_u32(c, (uint32_t) ((uint64_t) m >> 32));
					tds_put_u32(c, (uint32_t) ((uint64_t) m & 0xFFFFFFFF));
				}
				return true;
			}
		case TF_DECIMAL:
			{
				bool		neg;
				tds_u128	mag,
							limit = 1;
				uint8_t		b[17];
				int			n = ci->maxlen - 1;

				if (!tds_value_to_decimal(v, ci->type.scale, &neg, &mag))
					return false;
				for (int i = 0; i < ci->type.precision; i++)
					limit *= 10;
				if (mag >= limit)
					return false;	/* arithmetic overflow in SQL Server */
				tds_put_u8(c, (uint8_t) ci->maxlen);
				b[0] = neg ? 0 : 1;
				for (int i = 0; i < n; i++)
					b[1 + i] = (uint8_t) (mag >> (8 * i));
				tds_put(c, b, 1 + n);
				return true;
			}
		case TF_GUID:
			{
				uint8_t		g[16];

				if (!guid_bytes(v, g))
					return false;
				tds_put_u8(c, 16);
				tds_put(c, g, 16);
				return true;
			}
		case TF_DATETIME4:
		case TF_DATETIME8:
		case TF_DATETIMN:
		case TF_DATE:
		case TF_TIME:
		case TF_DATETIME2:
		case TF_DTO:
		case TF_DATESTR:
			return put_temporal(c, ci, v);
		case TF_VARCHAR:
		case TF_CHAR:
		case TF_PLP_VARCHAR:
		case TF_TEXT:
			{
				size_t		n;
				const char *s = value_text(v, &n);
				uint8_t    *b = tds_scratch(c, n + 1);

				put_sized(c, ci, b, tds_utf8_to_cp1252(s, n, b));
				return true;
			}
		case TF_NVARCHAR:
		case TF_NCHAR:
		case TF_PLP_NVARCHAR:
		case TF_PLP_XML:
		case TF_NTEXT:
			{
				size_t		n;
				const char *s = value_text(v, &n);
				uint8_t    *u = tds_scratch(c, 2 * n + 2);

				put_sized(c, ci, u, tds_utf8_to_ucs2(s, n, u));
				return true;
			}
		case TF_VARBINARY:
		case TF_BINARY:
		case TF_PLP_VARBINARY:
		case TF_IMAGE:
			{
				size_t		n;
				const uint8_t *p = value_bytes(c, v, &n);

				put_sized(c, ci, p, n);
				return true;
			}
	}
	return false;
}

/*
 * Write the value of one column (NULL form for an SQL NULL or an
 * unconvertible value).
 */
void
tds_put_value(TdsConn *c, const TdsColInfo *ci, sqlite3_value *v)
{
	if (v == NULL || sqlite3_value_type(v) == SQLITE_NULL || !put_value(c, ci, v))
		put_null(c, ci);
}
