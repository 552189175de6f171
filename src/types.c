/*-------------------------------------------------------------------------
 *
 * types.c
 *		SQL Server types to PostgreSQL types: the mapping used by IMPORT
 *		FOREIGN SCHEMA, and the conversion of row values into Datums.
 *
 * Values arrive from tds_client in a neutral binary form (integers,
 * doubles, decimal magnitudes, day/tick pairs, byte strings) and are turned
 * into Datums directly: no detour through text for numbers, dates, uuids or
 * binary data.  Only when a foreign table declares a column with a type
 * that has no direct path (say, a remote int read into a local text
 * column) does a value go through the output function of its natural type
 * and the input function of the declared one.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "mssql_cdc.h"

/* conversion paths */
enum
{
	HOW_BOOL,					/* BIT/int -> bool */
	HOW_INT2,
	HOW_INT4,
	HOW_INT8,					/* integer kinds -> int2/4/8, range checked */
	HOW_FLOAT4,
	HOW_FLOAT8,					/* REAL/FLOAT/integers -> float */
	HOW_NUMERIC,				/* DECIMAL/MONEY/integers/floats -> numeric */
	HOW_DATE,					/* DATE -> date */
	HOW_TIMESTAMP,				/* DATETIME/DATETIME2/DATE -> timestamp */
	HOW_TIMESTAMPTZ,			/* DATETIMEOFFSET -> timestamptz */
	HOW_TIME,					/* TIME -> time */
	HOW_UUID,
	HOW_BYTEA,
	HOW_TEXT,					/* CHAR/XML/VARIANT -> text, varchar, bpchar */
	HOW_INPUT,					/* CHAR/XML/VARIANT -> any type's input */
	HOW_VIA_TEXT				/* natural Datum -> text -> input function */
};

/* days from 1900-01-01 (db-lib's day 0) to 2000-01-01 (PostgreSQL's) */
#define DAYS_1900_TO_2000 36524

static Datum natural_datum(TdsType ttype, const TdsValue *val, Oid *natural_type);

static bool
is_integer_kind(TdsType t)
{
	return t == TDS_T_BIT || t == TDS_T_TINYINT || t == TDS_T_SMALLINT ||
		t == TDS_T_INT || t == TDS_T_BIGINT;
}

static bool
is_char_kind(TdsType t)
{
	return t == TDS_T_CHAR || t == TDS_T_XML || t == TDS_T_VARIANT;
}

/*
 * Choose how values of remote type class ttype become Datums of
 * pgtype/typmod.  conv lives as long as the scan.
 */
void
mssql_init_column_conv(MssqlColumnConv *conv, TdsType ttype, Oid pgtype,
					   int32 typmod, const char *colname)
{
	int			how = -1;

	memset(conv, 0, sizeof(*conv));
	conv->ttype = ttype;
	conv->pgtype = pgtype;
	conv->typmod = typmod;
	conv->colname = colname;

	if (ttype == TDS_T_UNKNOWN)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("column \"%s\" has a SQL Server type that mssql_cdc cannot read",
						colname),
				 errhint("Use the \"query\" option with a CAST of the column to a supported type.")));

	switch (pgtype)
	{
		case BOOLOID:
			if (ttype == TDS_T_BIT || is_integer_kind(ttype))
				how = HOW_BOOL;
			break;
		case INT2OID:
			if (is_integer_kind(ttype))
				how = HOW_INT2;
			break;
		case INT4OID:
			if (is_integer_kind(ttype))
				how = HOW_INT4;
			break;
		case INT8OID:
			if (is_integer_kind(ttype))
				how = HOW_INT8;
			break;
		case FLOAT4OID:
			if (ttype == TDS_T_REAL || ttype == TDS_T_FLOAT || is_integer_kind(ttype))
				how = HOW_FLOAT4;
			break;
		case FLOAT8OID:
			if (ttype == TDS_T_REAL || ttype == TDS_T_FLOAT || is_integer_kind(ttype))
				how = HOW_FLOAT8;
			break;
		case NUMERICOID:
			if (ttype == TDS_T_DECIMAL || ttype == TDS_T_MONEY ||
				ttype == TDS_T_REAL || ttype == TDS_T_FLOAT ||
				is_integer_kind(ttype))
				how = HOW_NUMERIC;
			break;
		case DATEOID:
			if (ttype == TDS_T_DATE)
				how = HOW_DATE;
			break;

			/*
			 * Between the zoned and the unzoned types, a value is taken as
			 * UTC, as SQL Server converts datetime2 to datetimeoffset
			 * (+00:00) when it compares them: what a pushed-down condition
			 * sees, and the same whatever the session's TimeZone.
			 */
		case TIMESTAMPOID:
			if (ttype == TDS_T_DATETIME || ttype == TDS_T_DATETIME2 ||
				ttype == TDS_T_DATE || ttype == TDS_T_DATETIMEOFFSET)
				how = HOW_TIMESTAMP;
			break;
		case TIMESTAMPTZOID:
			if (ttype == TDS_T_DATETIMEOFFSET || ttype == TDS_T_DATETIME ||
				ttype == TDS_T_DATETIME2 || ttype == TDS_T_DATE)
				how = HOW_TIMESTAMPTZ;
			break;
		case TIMEOID:
			if (ttype == TDS_T_TIME)
				how = HOW_TIME;
			break;
		case UUIDOID:
			if (ttype == TDS_T_UUID)
				how = HOW_UUID;
			break;
		case BYTEAOID:
			if (ttype == TDS_T_BINARY)
				how = HOW_BYTEA;
			break;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			if (is_char_kind(ttype))
				how = HOW_TEXT;
			break;
		default:
			break;
	}

	if (how < 0)
		how = is_char_kind(ttype) ? HOW_INPUT : HOW_VIA_TEXT;

	if (how == HOW_INPUT || how == HOW_VIA_TEXT)
	{
		Oid			infunc;

		getTypeInputInfo(pgtype, &infunc, &conv->in_ioparam);
		fmgr_info(infunc, &conv->in_func);
	}
	if (how == HOW_VIA_TEXT)
	{
		Oid			natural;
		Oid			outfunc;
		bool		isvarlena;
		TdsValue	dummy;

		memset(&dummy, 0, sizeof(dummy));
		dummy.isnull = true;
		(void) natural_datum(ttype, &dummy, &natural);
		getTypeOutputInfo(natural, &outfunc, &isvarlena);
		fmgr_info(outfunc, &conv->out_func);
	}
	conv->how = how;
}

/* append a 16-bit big-endian integer to a buffer known to be big enough */
static inline void
put_int16(StringInfo buf, int v)
{
	Assert(buf->len + 2 <= buf->maxlen);
	buf->data[buf->len++] = (char) ((v >> 8) & 0xff);
	buf->data[buf->len++] = (char) (v & 0xff);
}

/* floor(x / 4) for negative x too */
static inline int
floor_div4(int x)
{
	return x >= 0 ? x / 4 : -((-x + 3) / 4);
}

/*
 * Build a numeric from a magnitude (big-endian bytes) and a scale, through
 * numeric's binary receive function.  typmod is applied as a cast would.
 */
static Datum
make_numeric(bool negative, const uint8 *mag, int nbytes, int scale, int32 typmod)
{
	uint8		digits[48];		/* decimal digits, least significant first */
	int			nd = 0;
	uint64		lo,
				hi;
	int			i;
	StringInfoData buf;
	char		wire[64];
	int			gmin,
				gmax,
				g;

#ifdef HAVE_INT128
	{
		uint128		v = 0;

		for (i = 0; i < nbytes; i++)
			v = (v << 8) | mag[i];
		hi = (uint64) (v / UINT64CONST(10000000000000000000));
		lo = (uint64) (v % UINT64CONST(10000000000000000000));
	}
#else
#error "mssql_cdc needs a compiler with 128-bit integers"
#endif

	/* lo holds the 19 lowest digits, hi the rest (at most 20 digits) */
	if (hi > 0)
	{
		for (i = 0; i < 19; i++)
		{
			digits[nd++] = lo % 10;
			lo /= 10;
		}
		while (hi > 0)
		{
			digits[nd++] = hi % 10;
			hi /= 10;
		}
	}
	else
	{
		while (lo > 0)
		{
			digits[nd++] = lo % 10;
			lo /= 10;
		}
	}

	/*
	 * numeric's binary input: ndigits, weight, sign, dscale, then base-10000
	 * digits, all 16-bit big-endian.  38 decimal digits need at most 11
	 * groups (12 with the scale's padding).
	 */
	buf.data = wire;
	buf.len = 0;
	buf.maxlen = sizeof(wire);
	if (nd == 0)
	{
		put_int16(&buf, 0);
		put_int16(&buf, 0);
		put_int16(&buf, 0x0000);
		put_int16(&buf, scale);
	}
	else
	{
		/*
		 * Decimal digit i stands for 10^(i - scale); it belongs to base-10000
		 * group floor((i - scale) / 4).
		 */
		gmin = floor_div4(0 - scale);
		gmax = floor_div4(nd - 1 - scale);
		put_int16(&buf, gmax - gmin + 1);
		put_int16(&buf, gmax);
		put_int16(&buf, negative ? 0x4000 : 0x0000);
		put_int16(&buf, scale);
		for (g = gmax; g >= gmin; g--)
		{
			int			value = 0;
			int			e;

			for (e = 3; e >= 0; e--)
			{
				int			di = g * 4 + e + scale;

				value = value * 10 + ((di >= 0 && di < nd) ? digits[di] : 0);
			}
			put_int16(&buf, value);
		}
	}
	buf.cursor = 0;
	return DirectFunctionCall3(numeric_recv, PointerGetDatum(&buf),
							   ObjectIdGetDatum(InvalidOid),
							   Int32GetDatum(typmod));
}

static Datum
int64_to_numeric_scaled(int64 v, int scale, int32 typmod)
{
	uint64		u = v < 0 ? (uint64) (-(v + 1)) + 1 : (uint64) v;
	uint8		mag[8];
	int			i;

	for (i = 7; i >= 0; i--)
	{
		mag[i] = u & 0xff;
		u >>= 8;
	}
	return make_numeric(v < 0, mag, 8, scale, typmod);
}

/* days from 1900-01-01 to 9999-12-31, SQL Server's last day */
#define DAYS_1900_TO_9999_12_31 2958463

/*
 * Day and 100 ns ticks to a timestamp, rounded to microseconds.  The last
 * tick of 9999-12-31 is truncated instead, so that a value never leaves
 * SQL Server's range (SQL Server would refuse it back).
 */
static Timestamp
dt_to_timestamp(const TdsValue *val)
{
	int64		us = (val->v.dt.ticks + 5) / 10;

	if (us >= USECS_PER_DAY && val->v.dt.days >= DAYS_1900_TO_9999_12_31)
		us = USECS_PER_DAY - 1;
	return (Timestamp) (val->v.dt.days - DAYS_1900_TO_2000) * USECS_PER_DAY + us;
}

/* 100 ns ticks since midnight to time, rounded, at most 23:59:59.999999 */
static TimeADT
ticks_to_time(int64 ticks)
{
	int64		us = (ticks + 5) / 10;

	return us >= USECS_PER_DAY ? USECS_PER_DAY - 1 : us;
}

static Datum
text_datum(const TdsValue *val)
{
	const char *s = val->v.bytes.data;
	size_t		len = val->v.bytes.len;
	char	   *conv;

	/* db-lib delivers UTF-8; verify it and convert to the database encoding */
	conv = pg_any_to_server(s, (int) len, PG_UTF8);
	if (conv != s)
		len = strlen(conv);
	return PointerGetDatum(cstring_to_text_with_len(conv, (int) len));
}

/*
 * The value as a Datum of its natural PostgreSQL type (see the mapping
 * table in README.md).  With val->isnull only *natural_type is set.
 */
static Datum
natural_datum(TdsType ttype, const TdsValue *val, Oid *natural_type)
{
	switch (ttype)
	{
		case TDS_T_BIT:
			*natural_type = BOOLOID;
			return val->isnull ? 0 : BoolGetDatum(val->v.i != 0);
		case TDS_T_TINYINT:
		case TDS_T_SMALLINT:
		case TDS_T_INT:
		case TDS_T_BIGINT:
			*natural_type = INT8OID;
			return val->isnull ? 0 : Int64GetDatum(val->v.i);
		case TDS_T_REAL:
		case TDS_T_FLOAT:
			*natural_type = FLOAT8OID;
			return val->isnull ? 0 : Float8GetDatum(val->v.f);
		case TDS_T_DECIMAL:
			*natural_type = NUMERICOID;
			return val->isnull ? 0 :
				make_numeric(val->v.num.negative, val->v.num.mag, val->v.num.nbytes,
							 val->v.num.scale, -1);
		case TDS_T_MONEY:
			*natural_type = NUMERICOID;
			return val->isnull ? 0 : int64_to_numeric_scaled(val->v.i, 4, -1);
		case TDS_T_DATETIME:
		case TDS_T_DATETIME2:
			*natural_type = TIMESTAMPOID;
			return val->isnull ? 0 : TimestampGetDatum(dt_to_timestamp(val));
		case TDS_T_DATE:
			*natural_type = DATEOID;
			return val->isnull ? 0 : DateADTGetDatum(val->v.dt.days - DAYS_1900_TO_2000);
		case TDS_T_TIME:
			*natural_type = TIMEOID;
			return val->isnull ? 0 : TimeADTGetDatum(ticks_to_time(val->v.dt.ticks));
		case TDS_T_DATETIMEOFFSET:
			*natural_type = TIMESTAMPTZOID;
			return val->isnull ? 0 : TimestampTzGetDatum(dt_to_timestamp(val));
		case TDS_T_UUID:
			*natural_type = UUIDOID;
			if (val->isnull)
				return 0;
			else
			{
				pg_uuid_t  *u = palloc(sizeof(pg_uuid_t));

				memcpy(u->data, val->v.uuid, UUID_LEN);
				return UUIDPGetDatum(u);
			}
		case TDS_T_BINARY:
			*natural_type = BYTEAOID;
			if (val->isnull)
				return 0;
			else
			{
				bytea	   *b = palloc(VARHDRSZ + val->v.bytes.len);

				SET_VARSIZE(b, VARHDRSZ + val->v.bytes.len);
				memcpy(VARDATA(b), val->v.bytes.data, val->v.bytes.len);
				return PointerGetDatum(b);
			}
		case TDS_T_CHAR:
		case TDS_T_XML:
		case TDS_T_VARIANT:
			*natural_type = TEXTOID;
			return val->isnull ? 0 : text_datum(val);
		default:
			elog(ERROR, "unexpected SQL Server type class %d", (int) ttype);
	}
	return 0;					/* keep compiler quiet */
}

static void
out_of_range(MssqlColumnConv *conv)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("value of column \"%s\" is out of range for type %s",
					conv->colname, format_type_be(conv->pgtype))));
}

/*
 * Convert one non-NULL value.  Memory comes from the current context (the
 * caller's per-row context).
 */
Datum
mssql_value_to_datum(MssqlColumnConv *conv, const TdsValue *val)
{
	switch (conv->how)
	{
		case HOW_BOOL:
			return BoolGetDatum(val->v.i != 0);
		case HOW_INT2:
			if (val->v.i < PG_INT16_MIN || val->v.i > PG_INT16_MAX)
				out_of_range(conv);
			return Int16GetDatum((int16) val->v.i);
		case HOW_INT4:
			if (val->v.i < PG_INT32_MIN || val->v.i > PG_INT32_MAX)
				out_of_range(conv);
			return Int32GetDatum((int32) val->v.i);
		case HOW_INT8:
			return Int64GetDatum(val->v.i);
		case HOW_FLOAT4:
			if (conv->ttype == TDS_T_FLOAT)
			{
				/* a double that does not fit a real: PostgreSQL's own error */
				return DirectFunctionCall1(dtof, Float8GetDatum(val->v.f));
			}
			return Float4GetDatum(is_integer_kind(conv->ttype) ?
								  (float4) val->v.i : (float4) val->v.f);
		case HOW_FLOAT8:
			return Float8GetDatum(is_integer_kind(conv->ttype) ?
								  (float8) val->v.i : val->v.f);
		case HOW_NUMERIC:
			switch (conv->ttype)
			{
				case TDS_T_DECIMAL:
					return make_numeric(val->v.num.negative, val->v.num.mag,
										val->v.num.nbytes, val->v.num.scale,
										conv->typmod);
				case TDS_T_MONEY:
					return int64_to_numeric_scaled(val->v.i, 4, conv->typmod);
				case TDS_T_REAL:
				case TDS_T_FLOAT:
					{
						Datum		d = DirectFunctionCall1(float8_numeric,
															Float8GetDatum(val->v.f));

						if (conv->typmod >= 0)
							d = DirectFunctionCall2(numeric, d,
													Int32GetDatum(conv->typmod));
						return d;
					}
				default:
					return int64_to_numeric_scaled(val->v.i, 0, conv->typmod);
			}
		case HOW_DATE:
			return DateADTGetDatum(val->v.dt.days - DAYS_1900_TO_2000);
		case HOW_TIMESTAMP:
			{
				Datum		d = TimestampGetDatum(dt_to_timestamp(val));

				if (conv->typmod >= 0 && conv->typmod < MAX_TIMESTAMP_PRECISION)
					d = DirectFunctionCall2(timestamp_scale, d,
											Int32GetDatum(conv->typmod));
				return d;
			}
		case HOW_TIMESTAMPTZ:
			{
				Datum		d = TimestampTzGetDatum(dt_to_timestamp(val));

				if (conv->typmod >= 0 && conv->typmod < MAX_TIMESTAMP_PRECISION)
					d = DirectFunctionCall2(timestamptz_scale, d,
											Int32GetDatum(conv->typmod));
				return d;
			}
		case HOW_TIME:
			{
				Datum		d = TimeADTGetDatum(ticks_to_time(val->v.dt.ticks));

				if (conv->typmod >= 0 && conv->typmod < MAX_TIME_PRECISION)
					d = DirectFunctionCall2(time_scale, d,
											Int32GetDatum(conv->typmod));
				return d;
			}
		case HOW_UUID:
		case HOW_BYTEA:
			{
				Oid			natural;

				return natural_datum(conv->ttype, val, &natural);
			}
		case HOW_TEXT:
			{
				Datum		d = text_datum(val);

				if (conv->typmod >= 0)
				{
					if (conv->pgtype == VARCHAROID)
						d = DirectFunctionCall3(varchar, d,
												Int32GetDatum(conv->typmod),
												BoolGetDatum(false));
					else if (conv->pgtype == BPCHAROID)
						d = DirectFunctionCall3(bpchar, d,
												Int32GetDatum(conv->typmod),
												BoolGetDatum(false));
				}
				return d;
			}
		case HOW_INPUT:
			{
				char	   *s = pg_any_to_server(val->v.bytes.data,
												 (int) val->v.bytes.len, PG_UTF8);

				if (s == val->v.bytes.data)
					s = pnstrdup(val->v.bytes.data, val->v.bytes.len);
				return InputFunctionCall(&conv->in_func, s, conv->in_ioparam,
										 conv->typmod);
			}
		case HOW_VIA_TEXT:
			{
				Oid			natural;
				Datum		d = natural_datum(conv->ttype, val, &natural);
				char	   *s = OutputFunctionCall(&conv->out_func, d);

				return InputFunctionCall(&conv->in_func, s, conv->in_ioparam,
										 conv->typmod);
			}
	}
	elog(ERROR, "unexpected conversion path %d", conv->how);
	return 0;					/* keep compiler quiet */
}

/*
 * Does a remote value of class ttype sort (on SQL Server) like the local
 * type pgtype?  Only asked for columns whose ORDER BY was pushed down,
 * which remote_sql.c allows for numbers and date/time types.
 * Without binary_dates (TDS before 7.4) date, time, datetime2 and
 * datetimeoffset values arrive as strings, so a string passes for them.
 */
bool
mssql_sorts_alike(TdsType ttype, Oid pgtype, bool binary_dates)
{
	if (!binary_dates && ttype == TDS_T_CHAR &&
		(pgtype == DATEOID || pgtype == TIMESTAMPOID ||
		 pgtype == TIMESTAMPTZOID || pgtype == TIMEOID))
		return true;

	switch (pgtype)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case NUMERICOID:
		case FLOAT4OID:
		case FLOAT8OID:
			return is_integer_kind(ttype) || ttype == TDS_T_REAL ||
				ttype == TDS_T_FLOAT || ttype == TDS_T_DECIMAL ||
				ttype == TDS_T_MONEY;
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			return ttype == TDS_T_DATE || ttype == TDS_T_DATETIME ||
				ttype == TDS_T_DATETIME2 || ttype == TDS_T_DATETIMEOFFSET;
		case TIMEOID:
			return ttype == TDS_T_TIME;
		default:
			return false;
	}
}

/*
 * PostgreSQL type for a SQL Server column, as IMPORT FOREIGN SCHEMA writes
 * it.  Arguments are INFORMATION_SCHEMA.COLUMNS values (char_len in
 * characters, -1 for (max); -1 where NULL).  Returns NULL for a type with no
 * mapping.  See README.md ("Type mapping") for the table and its reasons.
 */
char *
mssql_map_type_for_import(const char *t, int char_len, int precision,
						  int scale, int dtprec)
{
	int			p6 = (dtprec < 0 || dtprec > 6) ? 6 : dtprec;

	if (strcmp(t, "bit") == 0)
		return "boolean";
	if (strcmp(t, "tinyint") == 0 || strcmp(t, "smallint") == 0)
		return "smallint";
	if (strcmp(t, "int") == 0)
		return "integer";
	if (strcmp(t, "bigint") == 0)
		return "bigint";
	if (strcmp(t, "decimal") == 0 || strcmp(t, "numeric") == 0)
		return psprintf("numeric(%d,%d)", precision > 0 ? precision : 18,
						scale >= 0 ? scale : 0);
	if (strcmp(t, "money") == 0)
		return "numeric(19,4)";
	if (strcmp(t, "smallmoney") == 0)
		return "numeric(10,4)";
	if (strcmp(t, "real") == 0)
		return "real";
	if (strcmp(t, "float") == 0)
		return (precision > 0 && precision <= 24) ? "real" : "double precision";
	if (strcmp(t, "date") == 0)
		return "date";
	if (strcmp(t, "time") == 0)
		return psprintf("time(%d)", p6);
	if (strcmp(t, "datetime") == 0)
		return "timestamp(3)";
	if (strcmp(t, "smalldatetime") == 0)
		return "timestamp(0)";
	if (strcmp(t, "datetime2") == 0)
		return psprintf("timestamp(%d)", p6);
	if (strcmp(t, "datetimeoffset") == 0)
		return psprintf("timestamp(%d) with time zone", p6);
	if (strcmp(t, "char") == 0 || strcmp(t, "nchar") == 0)
		return char_len > 0 ? psprintf("character(%d)", char_len) : "text";
	if (strcmp(t, "varchar") == 0 || strcmp(t, "nvarchar") == 0)
		return char_len > 0 ? psprintf("character varying(%d)", char_len) : "text";
	if (strcmp(t, "sysname") == 0)
		return "character varying(128)";
	if (strcmp(t, "text") == 0 || strcmp(t, "ntext") == 0)
		return "text";
	if (strcmp(t, "binary") == 0 || strcmp(t, "varbinary") == 0 ||
		strcmp(t, "image") == 0 || strcmp(t, "timestamp") == 0 ||
		strcmp(t, "rowversion") == 0)
		return "bytea";
	if (strcmp(t, "uniqueidentifier") == 0)
		return "uuid";
	if (strcmp(t, "xml") == 0)
		return "xml";
	if (strcmp(t, "sql_variant") == 0)
		return "text";
	if (strcmp(t, "hierarchyid") == 0 || strcmp(t, "geometry") == 0 ||
		strcmp(t, "geography") == 0)
		return "bytea";
	return NULL;
}
