/*
 * engine_cdc.c
 *		SQL Server Change Data Capture for the stand-in, built on the
 *		engine's extension points (engine.h): sys.sp_cdc_enable_db /
 *		_disable_db, sys.sp_cdc_enable_table / _disable_table,
 *		sys.sp_cdc_cleanup_change_table, the change tables cdc.<ci>_CT, the
 *		metadata tables (cdc.change_tables, captured_columns, index_columns,
 *		ddl_history, lsn_time_mapping), cdc.fn_cdc_get_all_changes_<ci>,
 *		cdc.fn_cdc_get_net_changes_<ci> and the sys.fn_cdc_* functions.
 *
 * Capture: SQL Server's capture job reads the log after the commit; the
 * stand-in writes change rows from SQLite triggers on the source table, in
 * the same SQLite transaction as the write, with a NULL __$start_lsn.  The
 * PRE_COMMIT transaction hook then gives the transaction its commit LSN,
 * numbers the rows (__$seqval) and adds the cdc.lsn_time_mapping row.  A
 * rolled-back write leaves no change row, and one writer at a time means
 * LSN order is commit order.  Changes are visible at commit; a test can
 * ask for a capture latency (sim_test.set_capture_delay), which hides
 * recent transactions from sys.fn_cdc_get_max_lsn() and so from the
 * documented query pattern (the _CT table itself still shows them).
 *
 * LSNs are binary(10), VLF(4) | block(4) | slot(2) big-endian.  The stand-in
 * treats them as an 80-bit integer: transaction N commits at
 * 0x20 << 48 | N << 20, and its change rows get __$seqval values just below
 * it (commit LSN - 2^19 + k); increment/decrement add/subtract 1 (the
 * reference's reading of "the next LSN, nothing in between").
 *
 * __$update_mask: one bit per captured column by column_ordinal; the mask
 * reads as a big-endian bit string, ordinal 1 being bit 0 of the last byte
 * (UNCONFIRMED layout; chosen as the reference's "likely" reading, and only
 * sys.fn_cdc_is_bit_set is meant to read it).  Updates mark the columns
 * the UPDATE assigned, also to their own value (SET c = c), like CT: the
 * statement hook of CT notes the SET list for the triggers (see
 * feat_note_update in engine_featutil.c; UNCONFIRMED for CDC).
 *
 * Choices where the docs leave room (each noted where implemented):
 * cdc.captured_columns.object_id is the change table's object_id (as in
 * cdc.index_columns and in common practice); 'all with mask' gives a NULL
 * mask for net inserts and deletes; sp_cdc_enable_table consumes one LSN,
 * so a new instance's start_lsn is a real entry of cdc.lsn_time_mapping
 * and [min, max] is a valid (empty) range at once.
 */
#define _GNU_SOURCE				/* strcasestr */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/time.h>

#include "engine_int.h"
#include "engine_feat.h"

#define LSN_LEN 10
#define LSN_VLF_BASE 0x20ULL
#define LSN_TXN_SHIFT 20

typedef struct CdcSession
{
	char	   *last_ddl;		/* text of the running ALTER TABLE statement */
} CdcSession;

static int	cdc_slot = -1;

static void
cdc_session_free(void *p)
{
	CdcSession *cs = p;

	if (cs)
		free(cs->last_ddl);
	free(cs);
}

static CdcSession *
cdc_state(SimSession *s)
{
	CdcSession *cs = engine_ext_get(s, cdc_slot);

	if (cs == NULL)
	{
		cs = emalloc(sizeof(CdcSession));
		memset(cs, 0, sizeof(CdcSession));
		engine_ext_set(s, cdc_slot, cs);
	}
	return cs;
}

/*
 * Capture latency of the session's database (sim_test.set_capture_delay),
 * kept in its __sim_meta so that tests of other databases are unaffected.
 */
bool
cdc_set_capture_delay(SimSession *s, int64_t ms)
{
	if (!engine_stmt_begin(s))
		return false;
	engine_meta_set(s, "cdc_capture_delay_ms", ms);
	return engine_stmt_end(s, true);
}

/* ------------------------------------------------------------------------
 * LSN arithmetic
 * ------------------------------------------------------------------------
 */

/* 80-bit value as hi (16 bits) and lo (64 bits) */
typedef struct Lsn
{
	uint16_t	hi;
	uint64_t	lo;
} Lsn;

static void
lsn_to_bytes(Lsn l, unsigned char *b)
{
	int			i;

	b[0] = (unsigned char) (l.hi >> 8);
	b[1] = (unsigned char) l.hi;
	for (i = 0; i < 8; i++)
		b[2 + i] = (unsigned char) (l.lo >> (56 - 8 * i));
}

static Lsn
lsn_from_bytes(const unsigned char *b)
{
	Lsn			l;
	int			i;

	l.hi = (uint16_t) ((b[0] << 8) | b[1]);
	l.lo = 0;
	for (i = 0; i < 8; i++)
		l.lo = (l.lo << 8) | b[2 + i];
	return l;
}

/* Commit LSN of transaction n: VLF 0x20 (bits 79..48 = hi:lo>>48), n << 20. */
static Lsn
lsn_of_txn(int64_t n)
{
	Lsn			l;

	l.hi = 0;
	l.lo = (LSN_VLF_BASE << 48) + ((uint64_t) n << LSN_TXN_SHIFT);
	return l;
}

static void
lsn_add(Lsn *l, int64_t d)
{
	uint64_t	old = l->lo;

	l->lo += (uint64_t) d;
	if (d > 0 && l->lo < old)
		l->hi++;
	else if (d < 0 && l->lo > old)
		l->hi--;
}

static void
result_lsn(sqlite3_context *ctx, Lsn l)
{
	unsigned char b[LSN_LEN];

	lsn_to_bytes(l, b);
	sqlite3_result_blob(ctx, b, LSN_LEN, SQLITE_TRANSIENT);
}

/* Local time text (datetime storage form), minus ms milliseconds. */
static void
local_time_minus(char *buf, size_t len, int64_t ms)
{
	struct timeval tv;
	struct tm	tm;
	int64_t		us;
	time_t		sec;

	gettimeofday(&tv, NULL);
	us = (int64_t) tv.tv_sec * 1000000 + tv.tv_usec - ms * 1000;
	sec = (time_t) (us / 1000000);
	localtime_r(&sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%03d",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec, (int) ((us % 1000000) / 1000));
}

/* ------------------------------------------------------------------------
 * Metadata helpers
 * ------------------------------------------------------------------------
 */

static bool
cdc_db_enabled(sqlite3 *db)
{
	int64_t		v;

	return feat_query_int(db, "SELECT txn FROM main.__sim_cdc_state", NULL, &v);
}

/* 22901: the session's database is not enabled for CDC. */
static void
error_db_not_enabled(SimSession *s)
{
	engine_error(s, 22901, "The database '%s' is not enabled for Change Data Capture. Ensure that the"
				 " correct database context is set and retry the operation. To report on the databases"
				 " enabled for Change Data Capture, query the is_cdc_enabled column in the sys.databases"
				 " catalog view.", sim_session_database(s));
}

static int64_t
cdc_last_txn(sqlite3 *db)
{
	int64_t		v = 0;

	feat_query_int(db, "SELECT txn FROM main.__sim_cdc_state", NULL, &v);
	return v;
}

/* One capture instance, as cdc.change_tables describes it. */
typedef struct CaptureInstance
{
	char		name[ENGINE_NAME_BUF];
	int64_t		ct_object_id;
	int64_t		source_object_id;
	bool		supports_net_changes;
	unsigned char start_lsn[LSN_LEN];
	bool		has_start;
} CaptureInstance;

/* Look up a capture instance by name (case-insensitive). */
static bool
ci_lookup(sqlite3 *db, const char *name, CaptureInstance *ci)
{
	sqlite3_stmt *stmt;
	bool		found = false;

	if (sqlite3_prepare_v2(db, "SELECT capture_instance, object_id, source_object_id, supports_net_changes,"
						   " start_lsn FROM main.\"cdc.change_tables\" WHERE capture_instance = ?1 COLLATE NOCASE",
						   -1, &stmt, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) == SQLITE_ROW)
	{
		memset(ci, 0, sizeof(*ci));
		snprintf(ci->name, sizeof(ci->name), "%s", (const char *) sqlite3_column_text(stmt, 0));
		ci->ct_object_id = sqlite3_column_int64(stmt, 1);
		ci->source_object_id = sqlite3_column_int64(stmt, 2);
		ci->supports_net_changes = sqlite3_column_int(stmt, 3) != 0;
		if (sqlite3_column_type(stmt, 4) == SQLITE_BLOB && sqlite3_column_bytes(stmt, 4) == LSN_LEN)
		{
			memcpy(ci->start_lsn, sqlite3_column_blob(stmt, 4), LSN_LEN);
			ci->has_start = true;
		}
		found = true;
	}
	sqlite3_finalize(stmt);
	return found;
}

/* Captured columns of an instance, in column_ordinal order (malloc'd names). */
typedef struct CapCols
{
	int			n;
	char	  **names;
} CapCols;

static void
capcols_free(CapCols *c)
{
	int			i;

	for (i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	c->n = 0;
	c->names = NULL;
}

static bool
capcols_load(sqlite3 *db, int64_t ct_object_id, const char *table, const char *col, CapCols *c)
{
	sqlite3_stmt *stmt;
	char		sql[256];
	int			cap = 16;

	c->n = 0;
	c->names = emalloc(cap * sizeof(char *));
	snprintf(sql, sizeof(sql), "SELECT column_name FROM main.\"%s\" WHERE object_id = ?1 ORDER BY %s",
			 table, col);
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(stmt, 1, ct_object_id);
	while (sqlite3_step(stmt) == SQLITE_ROW)
	{
		if (c->n == cap)
		{
			cap *= 2;
			c->names = realloc(c->names, cap * sizeof(char *));
		}
		c->names[c->n++] = estrdup((const char *) sqlite3_column_text(stmt, 0));
	}
	sqlite3_finalize(stmt);
	return true;
}

/* Names of the capture instances of a source table (up to 2). */
static int
cis_of_source(sqlite3 *db, int64_t source_object_id, char names[][ENGINE_NAME_BUF], int max)
{
	sqlite3_stmt *stmt;
	int			n = 0;

	if (sqlite3_prepare_v2(db, "SELECT capture_instance FROM main.\"cdc.change_tables\""
						   " WHERE source_object_id = ?1 ORDER BY create_date, object_id",
						   -1, &stmt, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(stmt, 1, source_object_id);
	while (sqlite3_step(stmt) == SQLITE_ROW && n < max)
		snprintf(names[n++], ENGINE_NAME_BUF, "%s", (const char *) sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return n;
}

/* ------------------------------------------------------------------------
 * SQLite functions
 * ------------------------------------------------------------------------
 */

/* sim_cdc_mask(n, changed1, ..., changedn): big-endian bit string. */
static void
fn_cdc_mask(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int			n = sqlite3_value_int(argv[0]);
	int			len = (n + 7) / 8;
	unsigned char *m;
	int			i;

	if (len == 0)
		len = 1;
	m = sqlite3_malloc(len);
	memset(m, 0, len);
	for (i = 1; i <= n && i < argc; i++)
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL || sqlite3_value_int(argv[i]))
			m[len - 1 - (i - 1) / 8] |= (unsigned char) (1 << ((i - 1) % 8));
	sqlite3_result_blob(ctx, m, len, sqlite3_free);
}

/* sim_cdc_seqval(txn, k): commit LSN of txn - 2^19 + k */
static void
fn_cdc_seqval(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	Lsn			l = lsn_of_txn(sqlite3_value_int64(argv[0]));

	lsn_add(&l, -(int64_t) (1 << 19) + sqlite3_value_int64(argv[1]));
	result_lsn(ctx, l);
}

typedef struct MaskOr
{
	int			len;
	unsigned char m[128];
} MaskOr;

/* sim_cdc_mask_or(mask) aggregate: bytewise OR, aligned at the end. */
static void
fn_cdc_mask_or_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	MaskOr	   *a = sqlite3_aggregate_context(ctx, sizeof(MaskOr));
	const unsigned char *m;
	int			len;
	int			i;

	if (a == NULL || sqlite3_value_type(argv[0]) != SQLITE_BLOB)
		return;
	m = sqlite3_value_blob(argv[0]);
	len = sqlite3_value_bytes(argv[0]);
	if (len > 128)
		len = 128;
	if (len > a->len)
	{
		memmove(a->m + (len - a->len), a->m, a->len);
		memset(a->m, 0, len - a->len);
		a->len = len;
	}
	for (i = 0; i < len; i++)
		a->m[a->len - len + i] |= m[i];
}

static void
fn_cdc_mask_or_final(sqlite3_context *ctx)
{
	MaskOr	   *a = sqlite3_aggregate_context(ctx, 0);

	if (a == NULL || a->len == 0)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_blob(ctx, a->m, a->len, SQLITE_TRANSIENT);
}

/* Max LSN visible now (capture delay applied); false when there is none. */
static bool
visible_max_lsn(sqlite3 *db, unsigned char *out)
{
	sqlite3_stmt *stmt;
	int64_t		delay = 0;
	char		cutoff[64];
	bool		found = false;

	feat_query_int(db, "SELECT value FROM main.__sim_meta WHERE key = 'cdc_capture_delay_ms'", NULL, &delay);
	if (sqlite3_prepare_v2(db, "SELECT max(start_lsn) FROM main.\"cdc.lsn_time_mapping\""
						   " WHERE ?1 IS NULL OR tran_end_time <= ?1", -1, &stmt, NULL) != SQLITE_OK)
		return false;
	if (delay > 0)
	{
		local_time_minus(cutoff, sizeof(cutoff), delay);
		sqlite3_bind_text(stmt, 1, cutoff, -1, SQLITE_TRANSIENT);
	}
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) == SQLITE_BLOB &&
		sqlite3_column_bytes(stmt, 0) == LSN_LEN)
	{
		memcpy(out, sqlite3_column_blob(stmt, 0), LSN_LEN);
		found = true;
	}
	sqlite3_finalize(stmt);
	return found;
}

/* sys.fn_cdc_get_max_lsn(): high end of the validity interval of the database. */
static void
fn_get_max_lsn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	unsigned char b[LSN_LEN];

	if (visible_max_lsn(sqlite3_context_db_handle(ctx), b))
		sqlite3_result_blob(ctx, b, LSN_LEN, SQLITE_TRANSIENT);
	else
		sqlite3_result_blob(ctx, "\0\0\0\0\0\0\0\0\0\0", LSN_LEN, SQLITE_STATIC);
}

/*
 * sys.fn_cdc_get_min_lsn(ci): cdc.change_tables.start_lsn; ten zero bytes
 * for an unknown instance (sys-fn-cdc-get-min-lsn doc).
 */
static void
fn_get_min_lsn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	CaptureInstance ci;
	const char *name = (const char *) sqlite3_value_text(argv[0]);

	if (name && ci_lookup(sqlite3_context_db_handle(ctx), name, &ci) && ci.has_start)
		sqlite3_result_blob(ctx, ci.start_lsn, LSN_LEN, SQLITE_TRANSIENT);
	else
		sqlite3_result_blob(ctx, "\0\0\0\0\0\0\0\0\0\0", LSN_LEN, SQLITE_STATIC);
}

static void
lsn_step(sqlite3_context *ctx, sqlite3_value *v, int d)
{
	Lsn			l;

	if (sqlite3_value_type(v) == SQLITE_NULL)
	{
		sqlite3_result_null(ctx);
		return;
	}
	if (sqlite3_value_type(v) != SQLITE_BLOB || sqlite3_value_bytes(v) != LSN_LEN)
	{
		engine_func_error(ctx, 8114, "Error converting data type to binary(10).");
		return;
	}
	l = lsn_from_bytes(sqlite3_value_blob(v));
	lsn_add(&l, d);
	result_lsn(ctx, l);
}

static void
fn_increment_lsn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	lsn_step(ctx, argv[0], 1);
}

static void
fn_decrement_lsn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	lsn_step(ctx, argv[0], -1);
}

/* sys.fn_cdc_map_lsn_to_time(lsn): tran_end_time of that LSN, or NULL. */
static void
fn_map_lsn_to_time(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sqlite3_stmt *stmt;
	sqlite3    *db = sqlite3_context_db_handle(ctx);

	if (sqlite3_prepare_v2(db, "SELECT tran_end_time FROM main.\"cdc.lsn_time_mapping\" WHERE start_lsn = ?1",
						   -1, &stmt, NULL) != SQLITE_OK)
	{
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_bind_value(stmt, 1, argv[0]);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		sqlite3_result_value(ctx, sqlite3_column_value(stmt, 0));
	else
		sqlite3_result_null(ctx);
	sqlite3_finalize(stmt);
}

/*
 * sys.fn_cdc_map_time_to_lsn(relational_operator, tracking_time): the
 * smallest/largest start_lsn of cdc.lsn_time_mapping whose tran_end_time
 * compares as asked; NULL when none qualifies.
 */
static void
fn_map_time_to_lsn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	static const struct
	{
		const char *op;
		const char *sql;
	}			ops[] = {
		{"largest less than", "SELECT max(start_lsn) FROM main.\"cdc.lsn_time_mapping\" WHERE tran_end_time < ?1"},
		{"largest less than or equal", "SELECT max(start_lsn) FROM main.\"cdc.lsn_time_mapping\" WHERE tran_end_time <= ?1"},
		{"smallest greater than", "SELECT min(start_lsn) FROM main.\"cdc.lsn_time_mapping\" WHERE tran_end_time > ?1"},
		{"smallest greater than or equal", "SELECT min(start_lsn) FROM main.\"cdc.lsn_time_mapping\" WHERE tran_end_time >= ?1"},
	};
	const char *op = (const char *) sqlite3_value_text(argv[0]);
	sqlite3    *db = sqlite3_context_db_handle(ctx);
	sqlite3_stmt *stmt;
	SimType		dt = {SIM_DATETIME, 0, 0, 3};
	EngineValue ev;
	int			errnum;
	char		errbuf[256];
	size_t		i;

	if (op == NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
	{
		sqlite3_result_null(ctx);
		return;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcasecmp(op, ops[i].op) == 0)
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
	{
		engine_func_error(ctx, 22986, "An invalid value was specified for the @relational_operator parameter.");
		return;
	}
	memset(&ev, 0, sizeof(ev));
	if (!engine_convert(argv[1], &dt, true, &ev, &errnum, errbuf, sizeof(errbuf)))
	{
		engine_func_error(ctx, errnum, errbuf);
		return;
	}
	if (sqlite3_prepare_v2(db, ops[i].sql, -1, &stmt, NULL) != SQLITE_OK)
	{
		engine_value_free(&ev);
		sqlite3_result_null(ctx);
		return;
	}
	engine_value_bind(stmt, 1, &ev);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		sqlite3_result_value(ctx, sqlite3_column_value(stmt, 0));
	else
		sqlite3_result_null(ctx);
	sqlite3_finalize(stmt);
	engine_value_free(&ev);
}

/* column_ordinal of a captured column, or 0 when unknown */
static int
column_ordinal(sqlite3 *db, const char *ci, const char *col)
{
	sqlite3_stmt *stmt;
	int			ord = 0;

	if (ci == NULL || col == NULL)
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT cc.column_ordinal FROM main.\"cdc.captured_columns\" cc"
						   " JOIN main.\"cdc.change_tables\" t ON t.object_id = cc.object_id"
						   " WHERE t.capture_instance = ?1 COLLATE NOCASE AND cc.column_name = ?2 COLLATE NOCASE",
						   -1, &stmt, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(stmt, 1, ci, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, col, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		ord = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return ord;
}

/* sys.fn_cdc_get_column_ordinal(ci, column): 1-based; -1 when not captured. */
static void
fn_get_column_ordinal(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int			ord = column_ordinal(sqlite3_context_db_handle(ctx),
									 (const char *) sqlite3_value_text(argv[0]),
									 (const char *) sqlite3_value_text(argv[1]));

	sqlite3_result_int(ctx, ord > 0 ? ord : -1);
}

static int
mask_bit(sqlite3_value *mask, int pos)
{
	const unsigned char *m;
	int			len;
	int			byte;

	if (sqlite3_value_type(mask) == SQLITE_NULL || pos < 1)
		return 0;
	m = sqlite3_value_blob(mask);
	len = sqlite3_value_bytes(mask);
	byte = len - 1 - (pos - 1) / 8;
	if (byte < 0)
		return 0;
	return (m[byte] >> ((pos - 1) % 8)) & 1;
}

/* sys.fn_cdc_is_bit_set(position, update_mask) -> bit */
static void
fn_is_bit_set(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
	{
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int(ctx, mask_bit(argv[1], sqlite3_value_int(argv[0])));
}

/* sys.fn_cdc_has_column_changed(ci, column, update_mask) -> bit */
static void
fn_has_column_changed(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int			ord;

	if (sqlite3_value_type(argv[2]) == SQLITE_NULL)
	{
		sqlite3_result_null(ctx);
		return;
	}
	ord = column_ordinal(sqlite3_context_db_handle(ctx),
						 (const char *) sqlite3_value_text(argv[0]),
						 (const char *) sqlite3_value_text(argv[1]));
	sqlite3_result_int(ctx, mask_bit(argv[2], ord));
}

/*
 * sim_cdc_check(ci, net, from, to, option): validate a TVF call once per
 * query; returns the option code (all: 0, all update old: 1; net: all 0,
 * all with mask 1, all with merge 2) or raises 313 as SQL Server does for
 * NULL, inverted or out-of-interval ranges and bad options
 * (work-with-change-data doc; older revisions said 208, the current one and
 * observed behaviour say 313).
 */
static void
fn_cdc_check(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sqlite3    *db = sqlite3_context_db_handle(ctx);
	const char *name = (const char *) sqlite3_value_text(argv[0]);
	bool		net = sqlite3_value_int(argv[1]) != 0;
	const char *opt = (const char *) sqlite3_value_text(argv[4]);
	CaptureInstance ci;
	unsigned char max[LSN_LEN];
	int			mode = -1;
	char		msg[256];
	char		trimmed[64];
	size_t		n;

	snprintf(msg, sizeof(msg),
			 "An insufficient number of arguments were supplied for the procedure or function %s ... .",
			 net ? "cdc.fn_cdc_get_net_changes_" : "cdc.fn_cdc_get_all_changes_");
	if (opt)
	{
		while (isspace((unsigned char) *opt))
			opt++;
		snprintf(trimmed, sizeof(trimmed), "%s", opt);
		n = strlen(trimmed);
		while (n > 0 && isspace((unsigned char) trimmed[n - 1]))
			trimmed[--n] = '\0';
		if (strcasecmp(trimmed, "all") == 0)
			mode = 0;
		else if (!net && strcasecmp(trimmed, "all update old") == 0)
			mode = 1;
		else if (net && strcasecmp(trimmed, "all with mask") == 0)
			mode = 1;
		else if (net && strcasecmp(trimmed, "all with merge") == 0)
			mode = 2;
	}
	if (mode < 0 || name == NULL || !ci_lookup(db, name, &ci) || !ci.has_start ||
		sqlite3_value_type(argv[2]) != SQLITE_BLOB || sqlite3_value_type(argv[3]) != SQLITE_BLOB ||
		sqlite3_value_bytes(argv[2]) != LSN_LEN || sqlite3_value_bytes(argv[3]) != LSN_LEN ||
		!visible_max_lsn(db, max))
	{
		engine_func_error(ctx, 313, msg);
		return;
	}
	{
		const unsigned char *from = sqlite3_value_blob(argv[2]);
		const unsigned char *to = sqlite3_value_blob(argv[3]);

		if (memcmp(from, ci.start_lsn, LSN_LEN) < 0 || memcmp(to, max, LSN_LEN) > 0 ||
			memcmp(from, to, LSN_LEN) > 0)
		{
			engine_func_error(ctx, 313, msg);
			return;
		}
	}
	sqlite3_result_int(ctx, mode);
}

/* ------------------------------------------------------------------------
 * Triggers
 * ------------------------------------------------------------------------
 */

/* Trigger name prefix of an instance: "__sim_cdc_<ci>" */
static void
trigger_prefix(char *buf, size_t len, const char *ci)
{
	snprintf(buf, len, "__sim_cdc_%s", ci);
}

static void
drop_triggers(EngineBuf *b, const char *ci)
{
	char		p[ENGINE_NAME_BUF + 16];

	trigger_prefix(p, sizeof(p), ci);
	ebuf_printf(b, "DROP TRIGGER IF EXISTS \"%s_i\"; DROP TRIGGER IF EXISTS \"%s_d\";"
				" DROP TRIGGER IF EXISTS \"%s_u\";", p, p, p);
}

/*
 * (Re)create the capture triggers of an instance on its source table.
 * Captured columns that no longer exist in the source get NULL (a dropped
 * captured column: "NULL in later change rows", about-cdc doc).
 */
static bool
make_triggers(SimSession *s, const char *ci_name, int64_t ct_object_id, const EngineTable *src)
{
	sqlite3    *db = engine_db(s);
	CapCols		cc;
	EngineBuf	b;
	EngineBuf	cols;
	EngineBuf	vnew;
	EngineBuf	vold;
	EngineBuf	changed;
	char		ctname[ENGINE_NAME_BUF + 8];
	char		p[ENGINE_NAME_BUF + 16];
	int			i;
	int			j;
	bool		ok;

	if (!capcols_load(db, ct_object_id, "cdc.captured_columns", "column_ordinal", &cc))
	{
		engine_error(s, 22946, "Could not read cdc.captured_columns: %s", sqlite3_errmsg(db));
		capcols_free(&cc);
		return false;
	}
	snprintf(ctname, sizeof(ctname), "cdc.%s_CT", ci_name);
	trigger_prefix(p, sizeof(p), ci_name);
	ebuf_init(&b);
	ebuf_init(&cols);
	ebuf_init(&vnew);
	ebuf_init(&vold);
	ebuf_init(&changed);
	for (i = 0; i < cc.n; i++)
	{
		int			found = -1;

		for (j = 0; j < src->ncols; j++)
			if (engine_strcasecmp(src->cols[j].name, cc.names[i]) == 0)
				found = j;
		ebuf_append(&cols, ", ");
		ebuf_append_ident(&cols, cc.names[i]);
		if (found < 0)
		{
			ebuf_append(&vnew, ", NULL");
			ebuf_append(&vold, ", NULL");
			ebuf_append(&changed, ", 0");
		}
		else
		{
			ebuf_append(&vnew, ", NEW.");
			ebuf_append_ident(&vnew, src->cols[found].name);
			ebuf_append(&vold, ", OLD.");
			ebuf_append_ident(&vold, src->cols[found].name);
			/* assigned by the UPDATE (see feat_note_update) */
			ebuf_printf(&changed, ", sim_col_assigned(%lld, %d, OLD.",
						(long long) src->object_id, src->cols[found].column_id);
			ebuf_append_ident(&changed, src->cols[found].name);
			ebuf_append(&changed, " IS NOT NEW.");
			ebuf_append_ident(&changed, src->cols[found].name);
			ebuf_append(&changed, ")");
		}
	}
	drop_triggers(&b, ci_name);
#define CT_INSERT(op, mask, vals) \
	do { \
		ebuf_append(&b, " INSERT INTO "); \
		ebuf_append_ident(&b, ctname); \
		ebuf_printf(&b, "(\"__$start_lsn\", \"__$end_lsn\", \"__$seqval\", \"__$operation\"," \
					" \"__$update_mask\"%s, \"__$command_id\") VALUES (NULL, NULL, NULL, %d, %s%s, 1);", \
					cols.data, op, mask, vals); \
	} while (0)
	{
		EngineBuf	chmask;
		EngineBuf	all;

		/* every bit set for inserts and deletes, changed columns for updates */
		ebuf_init(&chmask);
		ebuf_printf(&chmask, "sim_cdc_mask(%d%s)", cc.n, changed.data);
		ebuf_init(&all);
		ebuf_printf(&all, "sim_cdc_mask(%d", cc.n);
		for (i = 0; i < cc.n; i++)
			ebuf_append(&all, ", 1");
		ebuf_append(&all, ")");
		ebuf_printf(&b, " CREATE TRIGGER \"%s_i\" AFTER INSERT ON ", p);
		ebuf_append_ident(&b, src->sqlite_name);
		ebuf_append(&b, " BEGIN");
		CT_INSERT(2, all.data, vnew.data);
		ebuf_printf(&b, " INSERT OR IGNORE INTO __sim_cdc_pending VALUES ('%s'); END;", ci_name);
		ebuf_printf(&b, " CREATE TRIGGER \"%s_d\" AFTER DELETE ON ", p);
		ebuf_append_ident(&b, src->sqlite_name);
		ebuf_append(&b, " BEGIN");
		CT_INSERT(1, all.data, vold.data);
		ebuf_printf(&b, " INSERT OR IGNORE INTO __sim_cdc_pending VALUES ('%s'); END;", ci_name);
		ebuf_printf(&b, " CREATE TRIGGER \"%s_u\" AFTER UPDATE ON ", p);
		ebuf_append_ident(&b, src->sqlite_name);
		ebuf_append(&b, " BEGIN");
		CT_INSERT(3, chmask.data, vold.data);
		CT_INSERT(4, chmask.data, vnew.data);
		ebuf_printf(&b, " INSERT OR IGNORE INTO __sim_cdc_pending VALUES ('%s'); END;", ci_name);
		ebuf_free(&all);
		ebuf_free(&chmask);
	}
#undef CT_INSERT
	ok = feat_exec(s, db, b.data);
	ebuf_free(&b);
	ebuf_free(&cols);
	ebuf_free(&vnew);
	ebuf_free(&vold);
	ebuf_free(&changed);
	capcols_free(&cc);
	return ok;
}

/* ------------------------------------------------------------------------
 * Commit: LSNs
 * ------------------------------------------------------------------------
 */

/*
 * Take the next transaction number, record it in cdc.lsn_time_mapping and
 * return it.  Inside a write transaction.
 */
static bool
next_lsn(SimSession *s, int64_t *txn_out, unsigned char *lsn_out)
{
	sqlite3    *db = engine_db(s);
	sqlite3_stmt *stmt;
	int64_t		n = cdc_last_txn(db) + 1;
	unsigned char lsn[LSN_LEN];
	unsigned char tid[LSN_LEN];
	char		now[64];
	bool		ok;

	lsn_to_bytes(lsn_of_txn(n), lsn);
	memset(tid, 0, sizeof(tid));
	tid[6] = (unsigned char) (n >> 24);
	tid[7] = (unsigned char) (n >> 16);
	tid[8] = (unsigned char) (n >> 8);
	tid[9] = (unsigned char) n;
	engine_now_text(now, sizeof(now), false, 3, false);
	if (sqlite3_prepare_v2(db, "INSERT INTO main.\"cdc.lsn_time_mapping\"(start_lsn, tran_begin_time,"
						   " tran_end_time, tran_id, tran_begin_lsn) VALUES (?1, ?2, ?2, ?3, ?1)",
						   -1, &stmt, NULL) != SQLITE_OK)
	{
		engine_error(s, 22858, "Unable to add entries to the Change Data Capture LSN time mapping table: %s",
					 sqlite3_errmsg(db));
		return false;
	}
	sqlite3_bind_blob(stmt, 1, lsn, LSN_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(stmt, 3, tid, LSN_LEN, SQLITE_TRANSIENT);
	ok = sqlite3_step(stmt) == SQLITE_DONE;
	sqlite3_finalize(stmt);
	if (!ok)
	{
		engine_error(s, 22858, "Unable to add entries to the Change Data Capture LSN time mapping table: %s",
					 sqlite3_errmsg(db));
		return false;
	}
	{
		char		sql[128];

		snprintf(sql, sizeof(sql), "UPDATE main.__sim_cdc_state SET txn = %lld", (long long) n);
		if (!feat_exec(s, db, sql))
			return false;
	}
	*txn_out = n;
	if (lsn_out)
		memcpy(lsn_out, lsn, LSN_LEN);
	return true;
}

/* PRE_COMMIT: stamp the transaction's change rows with its commit LSN. */
static bool
cdc_txn_hook(SimSession *s, EngineTxnEvent ev, void *arg)
{
	sqlite3    *db = engine_db(s);
	sqlite3_stmt *stmt;
	char		names[64][ENGINE_NAME_BUF];
	int			n = 0;
	int			i;
	int64_t		txn;
	unsigned char lsn[LSN_LEN];

	if (ev != ENGINE_TXN_PRE_COMMIT)
		return true;
	if (sqlite3_prepare_v2(db, "SELECT ci FROM main.__sim_cdc_pending", -1, &stmt, NULL) != SQLITE_OK)
		return true;			/* CDC not enabled in this database */
	while (sqlite3_step(stmt) == SQLITE_ROW && n < 64)
		snprintf(names[n++], ENGINE_NAME_BUF, "%s", (const char *) sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	if (n == 0)
		return true;
	if (!next_lsn(s, &txn, lsn))
		return false;
	for (i = 0; i < n; i++)
	{
		EngineBuf	b;
		char		ctname[ENGINE_NAME_BUF + 8];
		int64_t		minrow = 0;
		bool		ok;

		snprintf(ctname, sizeof(ctname), "cdc.%.240s_CT", names[i]);
		ebuf_init(&b);
		ebuf_append(&b, "SELECT min(rowid) FROM main.");
		ebuf_append_ident(&b, ctname);
		ebuf_append(&b, " WHERE \"__$start_lsn\" IS NULL");
		if (!feat_query_int(db, b.data, NULL, &minrow))
		{
			ebuf_free(&b);
			continue;
		}
		ebuf_reset(&b);
		ebuf_append(&b, "UPDATE main.");
		ebuf_append_ident(&b, ctname);
		ebuf_printf(&b, " SET \"__$start_lsn\" = ?1, \"__$seqval\" = sim_cdc_seqval(%lld,"
					" (CASE WHEN \"__$operation\" = 4 THEN rowid - 1 ELSE rowid END) - %lld + 1)"
					" WHERE \"__$start_lsn\" IS NULL",
					(long long) txn, (long long) minrow);
		ok = sqlite3_prepare_v2(db, b.data, -1, &stmt, NULL) == SQLITE_OK;
		if (ok)
		{
			sqlite3_bind_blob(stmt, 1, lsn, LSN_LEN, SQLITE_TRANSIENT);
			ok = sqlite3_step(stmt) == SQLITE_DONE;
			sqlite3_finalize(stmt);
		}
		ebuf_free(&b);
		if (!ok)
		{
			engine_error(s, 22863, "Failed to insert rows into Change Data Capture change tables: %s",
						 sqlite3_errmsg(db));
			return false;
		}
	}
	return feat_exec(s, db, "DELETE FROM main.__sim_cdc_pending");
}

/* ------------------------------------------------------------------------
 * Procedures
 * ------------------------------------------------------------------------
 */

static const char *cdc_metadata_ddl[] = {
	"CREATE TABLE cdc.change_tables (object_id int NOT NULL, version int NULL,"
	" source_object_id int NULL, capture_instance sysname NOT NULL, start_lsn binary(10) NULL,"
	" end_lsn binary(10) NULL, supports_net_changes bit NULL, has_drop_pending bit NULL,"
	" role_name sysname NULL, index_name sysname NULL, filegroup_name sysname NULL,"
	" create_date datetime NULL, partition_switch bit NOT NULL)",
	"CREATE TABLE cdc.captured_columns (object_id int NOT NULL, column_name sysname NOT NULL,"
	" column_id int NULL, column_type sysname NOT NULL, column_ordinal int NOT NULL,"
	" is_computed bit NULL)",
	"CREATE TABLE cdc.index_columns (object_id int NOT NULL, column_name sysname NOT NULL,"
	" index_ordinal tinyint NOT NULL, column_id int NOT NULL)",
	"CREATE TABLE cdc.ddl_history (source_object_id int NULL, object_id int NOT NULL,"
	" required_column_update bit NULL, ddl_command nvarchar(max) NULL, ddl_lsn binary(10) NOT NULL,"
	" ddl_time datetime NULL)",
	"CREATE TABLE cdc.lsn_time_mapping (start_lsn binary(10) NOT NULL, tran_begin_time datetime NULL,"
	" tran_end_time datetime NULL, tran_id varbinary(10) NULL, tran_begin_lsn binary(10) NULL)",
	NULL
};

static bool
internal(SimSession *s, const char *tsql)
{
	char		err[512];

	if (engine_exec_internal(s, tsql, err, sizeof(err)))
		return true;
	engine_error(s, 22908, "Could not create the Change Data Capture objects in database '%s'. %s",
				 sim_session_database(s), err);
	return false;
}

static bool
set_db_flag(SimSession *s, int on)
{
	char		sql[256];

	snprintf(sql, sizeof(sql), "UPDATE %s.__sim_databases SET is_cdc_enabled = %d WHERE database_id = %d",
			 s->master_schema, on, s->database_id);
	return feat_exec(s, engine_db(s), sql);
}

/* sys.sp_cdc_enable_db */
static int
proc_enable_db(EngineProcCall *call, void *arg)
{
	SimSession *s = call->session;
	sqlite3    *db = engine_db(s);
	bool		ok = true;
	int			i;

	if (feat_is_system_db(sim_session_database(s)))
	{
		engine_error(s, 22989, "Could not enable Change Data Capture for database '%s'. Change data capture"
					 " is not supported on system databases, or on a distribution database.",
					 sim_session_database(s));
		return 1;
	}
	if (cdc_db_enabled(db))
		return 0;
	if (engine_schema_id(s, "cdc") >= 0)
	{
		engine_error(s, 22906, "The database '%s' cannot be enabled for Change Data Capture because a"
					 " database user named 'cdc' or a schema named 'cdc' already exists in the current"
					 " database. These objects are required exclusively by Change Data Capture. Drop or"
					 " rename the user or schema and retry the operation.", sim_session_database(s));
		return 1;
	}
	if (!engine_stmt_begin(s))
		return 1;
	ok = internal(s, "CREATE SCHEMA cdc");
	for (i = 0; ok && cdc_metadata_ddl[i]; i++)
		ok = internal(s, cdc_metadata_ddl[i]);
	ok = ok && feat_exec(s, db,
						 "CREATE TABLE IF NOT EXISTS main.__sim_cdc_state (id INTEGER PRIMARY KEY, txn bigint NOT NULL);"
						 "INSERT OR IGNORE INTO main.__sim_cdc_state VALUES (1, 0);"
						 "CREATE TABLE IF NOT EXISTS main.__sim_cdc_pending (ci TEXT PRIMARY KEY);"
						 "UPDATE main.\"__sim_objects\" SET is_ms_shipped = 1 WHERE schema_id ="
						 " (SELECT schema_id FROM main.__sim_schemas WHERE name = 'cdc');");
	ok = ok && set_db_flag(s, 1);
	if (ok)
		engine_catalog_changed(s);
	if (!engine_stmt_end(s, ok) || !ok)
		return 1;
	return 0;
}

/* Remove one capture instance (objects and metadata). */
static bool
drop_instance(SimSession *s, const char *ci_name, int64_t ct_object_id, int64_t source_object_id)
{
	sqlite3    *db = engine_db(s);
	EngineBuf	b;
	char		tsql[ENGINE_NAME_BUF * 2 + 64];
	char		left[ENGINE_NAME_BUF];
	bool		ok;

	ebuf_init(&b);
	drop_triggers(&b, ci_name);
	ebuf_printf(&b, " DELETE FROM main.\"cdc.captured_columns\" WHERE object_id = %lld;"
				" DELETE FROM main.\"cdc.index_columns\" WHERE object_id = %lld;"
				" DELETE FROM main.\"cdc.ddl_history\" WHERE object_id = %lld;"
				" DELETE FROM main.\"cdc.change_tables\" WHERE object_id = %lld;"
				" DELETE FROM main.__sim_cdc_pending WHERE ci = ",
				(long long) ct_object_id, (long long) ct_object_id, (long long) ct_object_id,
				(long long) ct_object_id);
	ebuf_append_literal(&b, ci_name);
	ebuf_append(&b, ";");
	ok = feat_exec(s, db, b.data);
	ebuf_free(&b);
	if (!ok)
		return false;
	snprintf(tsql, sizeof(tsql), "DROP TABLE cdc.[%s_CT]", ci_name);
	if (!engine_exec_internal(s, tsql, left, sizeof(left)))
	{
		engine_error(s, 22933, "Could not drop change table objects for capture instance '%s'. %s", ci_name, left);
		return false;
	}
	{
		int64_t		remaining = 0;
		char		sql[256];

		feat_query_int(db, "SELECT count(*) FROM main.\"cdc.change_tables\" WHERE source_object_id = ?1",
					   &source_object_id, &remaining);
		if (remaining == 0)
		{
			snprintf(sql, sizeof(sql), "UPDATE main.__sim_objects SET is_tracked_by_cdc = 0 WHERE object_id = %lld",
					 (long long) source_object_id);
			if (!feat_exec(s, db, sql))
				return false;
		}
	}
	engine_catalog_changed(s);
	return true;
}

/* sys.sp_cdc_disable_db */
static int
proc_disable_db(EngineProcCall *call, void *arg)
{
	SimSession *s = call->session;
	sqlite3    *db = engine_db(s);
	sqlite3_stmt *stmt;
	char		names[64][ENGINE_NAME_BUF];
	int64_t		ids[64];
	int64_t		srcs[64];
	int			n = 0;
	int			i;
	bool		ok = true;
	static const char *tables[] = {"change_tables", "captured_columns", "index_columns",
	"ddl_history", "lsn_time_mapping", NULL};

	if (!cdc_db_enabled(db))
		return 0;
	if (!engine_stmt_begin(s))
		return 1;
	if (sqlite3_prepare_v2(db, "SELECT capture_instance, object_id, source_object_id FROM main.\"cdc.change_tables\"",
						   -1, &stmt, NULL) == SQLITE_OK)
	{
		while (sqlite3_step(stmt) == SQLITE_ROW && n < 64)
		{
			snprintf(names[n], ENGINE_NAME_BUF, "%s", (const char *) sqlite3_column_text(stmt, 0));
			ids[n] = sqlite3_column_int64(stmt, 1);
			srcs[n] = sqlite3_column_int64(stmt, 2);
			n++;
		}
		sqlite3_finalize(stmt);
	}
	for (i = 0; ok && i < n; i++)
		ok = drop_instance(s, names[i], ids[i], srcs[i]);
	for (i = 0; ok && tables[i]; i++)
	{
		char		tsql[128];
		char		err[256];

		snprintf(tsql, sizeof(tsql), "DROP TABLE cdc.%s", tables[i]);
		if (!engine_exec_internal(s, tsql, err, sizeof(err)))
		{
			engine_error(s, 22913, "Could not drop the Change Data Capture objects in database '%s'. %s",
						 sim_session_database(s), err);
			ok = false;
		}
	}
	if (ok)
	{
		char		err[256];

		if (!engine_exec_internal(s, "DROP SCHEMA cdc", err, sizeof(err)))
		{
			engine_error(s, 22913, "Could not drop the Change Data Capture objects in database '%s'. %s",
						 sim_session_database(s), err);
			ok = false;
		}
	}
	ok = ok && feat_exec(s, db, "DROP TABLE IF EXISTS main.__sim_cdc_state;"
						 " DROP TABLE IF EXISTS main.__sim_cdc_pending;") && set_db_flag(s, 0);
	if (ok)
		engine_catalog_changed(s);
	if (!engine_stmt_end(s, ok) || !ok)
		return 1;
	return 0;
}

/* Split a @captured_column_list into names ("a, [b c], \"d\""). */
static int
split_column_list(const char *list, char names[][ENGINE_NAME_BUF], int max, bool *bad_quote)
{
	const char *p = list;
	int			n = 0;

	*bad_quote = false;
	while (*p)
	{
		size_t		k = 0;

		while (isspace((unsigned char) *p) || *p == ',')
			p++;
		if (!*p)
			break;
		if (n >= max)
			break;
		if (*p == '[' || *p == '"')
		{
			char		close = *p == '[' ? ']' : '"';

			p++;
			while (*p && !(*p == close && p[1] != close))
			{
				if (*p == close)
					p++;
				if (k < ENGINE_NAME_BUF - 1)
					names[n][k++] = *p;
				p++;
			}
			if (*p != close)
			{
				*bad_quote = true;
				return n;
			}
			p++;
		}
		else
		{
			while (*p && *p != ',')
			{
				if (k < ENGINE_NAME_BUF - 1)
					names[n][k++] = *p;
				p++;
			}
			while (k > 0 && isspace((unsigned char) names[n][k - 1]))
				k--;
		}
		names[n][k] = '\0';
		n++;
		while (isspace((unsigned char) *p))
			p++;
		if (*p == ',')
			p++;
	}
	return n;
}

/* Base type name for cdc.captured_columns.column_type ("nvarchar", "decimal"). */
static void
base_type_name(const SimType *t, char *buf, size_t len)
{
	char	   *paren;

	sim_type_format(t, buf, len);
	paren = strchr(buf, '(');
	if (paren)
		*paren = '\0';
}

/*
 * sys.sp_cdc_enable_table @source_schema, @source_name, @role_name
 *		[, @capture_instance] [, @supports_net_changes] [, @index_name]
 *		[, @captured_column_list] [, @filegroup_name] [, @allow_partition_switch]
 */
static int
proc_enable_table(EngineProcCall *call, void *arg)
{
	SimSession *s = call->session;
	sqlite3    *db = engine_db(s);
	const char *schema = engine_proc_param_text(call, "@source_schema", 0);
	const char *name = engine_proc_param_text(call, "@source_name", 1);
	const SimParam *role_p = engine_proc_param(call, "@role_name", 2);
	const char *role = engine_proc_param_text(call, "@role_name", 2);
	const char *ci_given = engine_proc_param_text(call, "@capture_instance", 3);
	const SimParam *net_p = engine_proc_param(call, "@supports_net_changes", 4);
	const char *index_name = engine_proc_param_text(call, "@index_name", 5);
	const char *col_list = engine_proc_param_text(call, "@captured_column_list", 6);
	const char *filegroup = engine_proc_param_text(call, "@filegroup_name", 7);
	EngineTable *t = NULL;
	char		ci[ENGINE_NAME_BUF];
	char		existing[2][ENGINE_NAME_BUF];
	CaptureInstance dummy;
	bool		net;
	int			keycols[64];
	int			nkey = 0;
	char		(*listed)[ENGINE_NAME_BUF] = NULL;
	int			captured[1024];
	int			ncap = 0;
	int			i;
	int			j;
	bool		ok = false;
	EngineBuf	b;
	char		err[512];
	EngineTable *ctt = NULL;
	int64_t		txn;
	unsigned char lsn[LSN_LEN];
	char		idxname[ENGINE_NAME_BUF] = "";
	char		now[64];

	if (role_p == NULL)
	{
		engine_error(s, 201, "Procedure or function 'sp_cdc_enable_table' expects parameter '@role_name',"
					 " which was not supplied.");
		return 1;
	}
	if (schema == NULL || name == NULL || !schema[0] || !name[0])
	{
		engine_error(s, 22963, "Parameter '%s' cannot be null or empty. Specify a value for the named"
					 " parameter and retry the operation.",
					 schema == NULL || !schema[0] ? "@source_schema" : "@source_name");
		return 1;
	}
	if (role && !role[0])
	{
		engine_error(s, 22907, "Parameter @role_name cannot be empty. Specify a value for @role_name and"
					 " retry the operation. Supply null as the value if no role is to be used to gate"
					 " access to captured change data.");
		return 1;
	}
	if (!cdc_db_enabled(db))
	{
		error_db_not_enabled(s);
		return 1;
	}
	if (engine_strcasecmp(schema, "cdc") == 0)
	{
		engine_error(s, 22974, "Tables contained in the cdc schema cannot be enabled for Change Data Capture.");
		return 1;
	}
	t = engine_table_lookup(s, schema, name);
	if (t == NULL || t->type[0] != 'U')
	{
		engine_error(s, 22931, "Source table '%s.%s' does not exist in the current database. Ensure that the"
					 " correct database context is set. Specify a valid schema and table name for the"
					 " database.", schema, name);
		goto done;
	}
	if (ci_given)
	{
		size_t		n;

		snprintf(ci, sizeof(ci), "%s", ci_given);
		n = strlen(ci);
		while (n > 0 && ci[n - 1] == ' ')
			ci[--n] = '\0';		/* right-trimmed (sp_cdc_enable_table doc) */
	}
	else
		snprintf(ci, sizeof(ci), "%s_%s", t->schema, t->name);
	if (strlen(ci) > 100)
	{
		engine_error(s, 22927, "Capture instance name '%s' exceeds the length limit of 100 characters."
					 " Specify a name that satisfies the length constraint.", ci);
		goto done;
	}
	for (i = 0; ci[i]; i++)
		if (!(isalnum((unsigned char) ci[i]) || ci[i] == '_' || ci[i] == '@' || ci[i] == '#' ||
			  ci[i] == '$' || (unsigned char) ci[i] >= 0x80))
		{
			engine_error(s, 22932, "Capture instance name '%s' is invalid. Specify a valid name. See the topic"
						 " 'Identifiers' in SQL Server Books Online for object name rules.", ci);
			goto done;
		}
	if (ci_lookup(db, ci, &dummy))
	{
		engine_error(s, 22926, "Could not create a capture instance because the capture instance name '%s'"
					 " already exists in the current database. Specify an explicit unique name for the"
					 " parameter @capture_instance.", ci);
		goto done;
	}
	if (cis_of_source(db, t->object_id, existing, 2) >= 2)
	{
		engine_error(s, 22962, "Two capture instances already exist for source table '%s.%s'. A table can"
					 " have at most two capture instances. If the current tracking options are not"
					 " appropriate, disable change tracking for the obsolete instance by using"
					 " sys.sp_cdc_disable_table and retry the operation.", t->schema, t->name);
		goto done;
	}

	/* the row key: @index_name (a unique index) or the primary key */
	if (index_name)
	{
		sqlite3_stmt *stmt;
		int64_t		index_id = -1;
		bool		unique = false;

		if (sqlite3_prepare_v2(db, "SELECT index_id, is_unique FROM main.__sim_indexes WHERE object_id = ?1"
							   " AND name = ?2", -1, &stmt, NULL) == SQLITE_OK)
		{
			sqlite3_bind_int64(stmt, 1, t->object_id);
			sqlite3_bind_text(stmt, 2, index_name, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(stmt) == SQLITE_ROW)
			{
				index_id = sqlite3_column_int64(stmt, 0);
				unique = sqlite3_column_int(stmt, 1) != 0;
			}
			sqlite3_finalize(stmt);
		}
		if (index_id < 0)
		{
			engine_error(s, 22928, "Index name '%s' is not an index for table '%s.%s'. Specify a valid index"
						 " name for the table.", index_name, t->schema, t->name);
			goto done;
		}
		if (!unique)
		{
			engine_error(s, 22929, "Index '%s' must be either a primary key or a unique index for table"
						 " '%s.%s'. Specify an index that meets at least one of these requirements.",
						 index_name, t->schema, t->name);
			goto done;
		}
		if (sqlite3_prepare_v2(db, "SELECT column_id FROM main.__sim_index_columns WHERE object_id = ?1"
							   " AND index_id = ?2 ORDER BY key_ordinal", -1, &stmt, NULL) == SQLITE_OK)
		{
			sqlite3_bind_int64(stmt, 1, t->object_id);
			sqlite3_bind_int64(stmt, 2, index_id);
			while (sqlite3_step(stmt) == SQLITE_ROW && nkey < 64)
			{
				int			cid = sqlite3_column_int(stmt, 0);

				for (j = 0; j < t->ncols; j++)
					if (t->cols[j].column_id == cid)
						keycols[nkey++] = j;
			}
			sqlite3_finalize(stmt);
		}
		snprintf(idxname, sizeof(idxname), "%s", index_name);
	}
	else if (t->npk > 0)
	{
		for (i = 0; i < t->npk && i < 64; i++)
			keycols[nkey++] = t->pk[i];
		snprintf(idxname, sizeof(idxname), "%s", t->pk_name ? t->pk_name : "");
	}
	/* @supports_net_changes: defaults to 1 when there is a key */
	if (net_p && sqlite3_value_type(net_p->value) != SQLITE_NULL)
		net = sqlite3_value_int(net_p->value) != 0;
	else
		net = nkey > 0;
	if (net && nkey == 0)
	{
		engine_error(s, 22939, "The parameter @supports_net_changes is set to 1, but the source table does"
					 " not have a primary key defined and no alternate unique index has been specified.");
		goto done;
	}

	/* captured columns, in source column order */
	if (col_list && col_list[0])
	{
		bool		bad_quote;
		int			n;
		bool		want[1024];

		listed = emalloc(1024 * sizeof(*listed));
		n = split_column_list(col_list, listed, 1024, &bad_quote);
		if (bad_quote)
		{
			engine_error(s, 22965, "A quoted column in the column list is not properly terminated. Verify"
						 " that columns are correctly delimited and retry the operation. For more"
						 " information, see 'Delimited Identifiers' in Books Online.");
			goto done;
		}
		memset(want, 0, sizeof(want));
		for (i = 0; i < n; i++)
		{
			int			found = -1;

			for (j = 0; j < t->ncols && j < 1024; j++)
				if (engine_strcasecmp(t->cols[j].name, listed[i]) == 0)
					found = j;
			if (found < 0)
			{
				engine_error(s, 22942, "Columns specified in the captured column list could not be mapped to"
							 " columns in source table '%s.%s'. Verify that the columns specified in the"
							 " parameter @captured_column_list are delimited properly and match columns in"
							 " the source table.", t->schema, t->name);
				goto done;
			}
			want[found] = true;
		}
		if (net)
			for (i = 0; i < nkey; i++)
				if (!want[keycols[i]])
				{
					engine_error(s, 22943, "Columns used to uniquely identify a row for net change tracking"
								 " must be included in the list of captured columns. Add either the primary"
								 " key columns of the source table, or the columns defined for the index"
								 " specified in the parameter @index_name to the list of captured columns"
								 " and retry the operation.");
					goto done;
				}
		for (j = 0; j < t->ncols && j < 1024; j++)
			if (want[j])
				captured[ncap++] = j;
	}
	else
	{
		for (j = 0; j < t->ncols && j < 1024; j++)
		{
			const char *cn = t->cols[j].name;

			if (strcmp(cn, "__$start_lsn") == 0 || strcmp(cn, "__$end_lsn") == 0 ||
				strcmp(cn, "__$seqval") == 0 || strcmp(cn, "__$operation") == 0 ||
				strcmp(cn, "__$update_mask") == 0)
			{
				engine_error(s, 22975, "Source table '%s' contains one of the following reserved column"
							 " names: __$start_lsn, __$end_lsn, __$seqval, __$operation, and __$update_mask."
							 " To enable Change Data Capture for this table, specify a captured column list"
							 " and ensure that these columns are excluded from the list.", t->name);
				goto done;
			}
			captured[ncap++] = j;
		}
	}

	if (!engine_stmt_begin(s))
		goto done;
	/* the change table */
	ebuf_init(&b);
	ebuf_printf(&b, "CREATE TABLE cdc.[%s_CT] ([__$start_lsn] binary(10) NULL, [__$end_lsn] binary(10) NULL,"
				" [__$seqval] binary(10) NULL, [__$operation] int NOT NULL, [__$update_mask] varbinary(128) NULL",
				ci);
	for (i = 0; i < ncap; i++)
	{
		char		ty[64];
		SimType		tt = t->cols[captured[i]].type;
		const char *cn = t->cols[captured[i]].name;
		const char *p;

		/* timestamp columns are stored as binary(8) (cdc-capture-instance-ct doc) */
		if (tt.id == SIM_ROWVERSION)
		{
			tt.id = SIM_BINARY;
			tt.length = 8;
		}
		sim_type_format(&tt, ty, sizeof(ty));
		ebuf_append(&b, ", [");
		for (p = cn; *p; p++)
		{
			if (*p == ']')
				ebuf_appendc(&b, ']');
			ebuf_appendc(&b, *p);
		}
		ebuf_printf(&b, "] %s NULL", ty);
	}
	ebuf_append(&b, ", [__$command_id] int NULL)");
	ok = engine_exec_internal(s, b.data, err, sizeof(err));
	ebuf_free(&b);
	if (!ok)
	{
		engine_error(s, 22947, "Could not create the change table for capture instance '%s' and source table"
					 " '%s.%s'. %s", ci, t->schema, t->name, err);
		engine_stmt_end(s, false);
		goto done;
	}
	{
		char		ctn[ENGINE_NAME_BUF + 8];

		snprintf(ctn, sizeof(ctn), "%s_CT", ci);
		ctt = engine_table_lookup(s, "cdc", ctn);
	}
	ok = ctt != NULL;
	if (ok)
	{
		char		sql[ENGINE_NAME_BUF * 2 + 512];

		snprintf(sql, sizeof(sql), "CREATE INDEX \"cdc.%s_CT__sim_lsn\" ON \"cdc.%s_CT\"(\"__$start_lsn\", \"__$seqval\");"
				 " UPDATE main.__sim_objects SET is_ms_shipped = 1 WHERE object_id = %lld;"
				 " UPDATE main.__sim_objects SET is_tracked_by_cdc = 1 WHERE object_id = %lld;",
				 ci, ci, (long long) ctt->object_id, (long long) t->object_id);
		ok = feat_exec(s, db, sql);
	}
	/* the instance starts at an LSN of its own (see the head comment) */
	ok = ok && next_lsn(s, &txn, lsn);
	if (ok)
	{
		sqlite3_stmt *stmt;

		engine_now_text(now, sizeof(now), false, 3, false);
		ok = sqlite3_prepare_v2(db, "INSERT INTO main.\"cdc.change_tables\" VALUES (?1, 0, ?2, ?3, ?4, NULL,"
								" ?5, NULL, ?6, ?7, ?8, ?9, 1)", -1, &stmt, NULL) == SQLITE_OK;
		if (ok)
		{
			sqlite3_bind_int64(stmt, 1, ctt->object_id);
			sqlite3_bind_int64(stmt, 2, t->object_id);
			sqlite3_bind_text(stmt, 3, ci, -1, SQLITE_TRANSIENT);
			sqlite3_bind_blob(stmt, 4, lsn, LSN_LEN, SQLITE_TRANSIENT);
			sqlite3_bind_int(stmt, 5, net ? 1 : 0);
			if (role)
				sqlite3_bind_text(stmt, 6, role, -1, SQLITE_TRANSIENT);
			if (idxname[0])
				sqlite3_bind_text(stmt, 7, idxname, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 8, filegroup ? filegroup : "PRIMARY", -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 9, now, -1, SQLITE_TRANSIENT);
			ok = sqlite3_step(stmt) == SQLITE_DONE;
			sqlite3_finalize(stmt);
		}
	}
	/* captured_columns.object_id: the change table (UNCONFIRMED; see head comment) */
	for (i = 0; ok && i < ncap; i++)
	{
		sqlite3_stmt *stmt;
		char		ty[64];
		const EngineColumn *c = &t->cols[captured[i]];

		base_type_name(&c->type, ty, sizeof(ty));
		ok = sqlite3_prepare_v2(db, "INSERT INTO main.\"cdc.captured_columns\" VALUES (?1, ?2, ?3, ?4, ?5, 0)",
								-1, &stmt, NULL) == SQLITE_OK;
		if (ok)
		{
			sqlite3_bind_int64(stmt, 1, ctt->object_id);
			sqlite3_bind_text(stmt, 2, c->name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(stmt, 3, c->column_id);
			sqlite3_bind_text(stmt, 4, ty, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(stmt, 5, i + 1);
			ok = sqlite3_step(stmt) == SQLITE_DONE;
			sqlite3_finalize(stmt);
		}
	}
	for (i = 0; ok && i < nkey; i++)
	{
		sqlite3_stmt *stmt;
		const EngineColumn *c = &t->cols[keycols[i]];

		ok = sqlite3_prepare_v2(db, "INSERT INTO main.\"cdc.index_columns\" VALUES (?1, ?2, ?3, ?4)",
								-1, &stmt, NULL) == SQLITE_OK;
		if (ok)
		{
			sqlite3_bind_int64(stmt, 1, ctt->object_id);
			sqlite3_bind_text(stmt, 2, c->name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(stmt, 3, i + 1);
			sqlite3_bind_int(stmt, 4, c->column_id);
			ok = sqlite3_step(stmt) == SQLITE_DONE;
			sqlite3_finalize(stmt);
		}
	}
	if (!ok && !engine_failed(s))
		engine_error(s, 22949, "Could not update the Change Data Capture metadata for capture instance '%s'"
					 " and source table '%s.%s'. %s", ci, t->schema, t->name, sqlite3_errmsg(db));
	ok = ok && make_triggers(s, ci, ctt->object_id, t);
	if (ok)
		engine_catalog_changed(s);
	ok = engine_stmt_end(s, ok) && ok;
done:
	free(listed);
	if (t)
		engine_table_free(t);
	if (ctt)
		engine_table_free(ctt);
	return ok ? 0 : 1;
}

/* sys.sp_cdc_disable_table @source_schema, @source_name, @capture_instance */
static int
proc_disable_table(EngineProcCall *call, void *arg)
{
	SimSession *s = call->session;
	sqlite3    *db = engine_db(s);
	const char *schema = engine_proc_param_text(call, "@source_schema", 0);
	const char *name = engine_proc_param_text(call, "@source_name", 1);
	const char *ci = engine_proc_param_text(call, "@capture_instance", 2);
	EngineTable *t;
	char		names[2][ENGINE_NAME_BUF];
	int			n;
	int			i;
	bool		ok = true;
	bool		any = false;

	if (!cdc_db_enabled(db))
	{
		error_db_not_enabled(s);
		return 1;
	}
	if (schema == NULL || name == NULL || ci == NULL)
	{
		engine_error(s, 22963, "Parameter '%s' cannot be null or empty. Specify a value for the named"
					 " parameter and retry the operation.",
					 schema == NULL ? "@source_schema" : name == NULL ? "@source_name" : "@capture_instance");
		return 1;
	}
	t = engine_table_lookup(s, schema, name);
	if (t == NULL)
	{
		engine_error(s, 22931, "Source table '%s.%s' does not exist in the current database. Ensure that the"
					 " correct database context is set. Specify a valid schema and table name for the"
					 " database.", schema, name);
		return 1;
	}
	n = cis_of_source(db, t->object_id, names, 2);
	if (n == 0)
	{
		engine_error(s, 22985, "Change data capture has not been enabled for source table '%s.%s'. Specify"
					 " the name of a table enabled for Change Data Capture. To report on the tables enabled"
					 " for Change Data Capture, query the is_tracked_by_cdc column in the sys.tables catalog"
					 " view.", t->schema, t->name);
		engine_table_free(t);
		return 1;
	}
	if (!engine_stmt_begin(s))
	{
		engine_table_free(t);
		return 1;
	}
	for (i = 0; ok && i < n; i++)
	{
		CaptureInstance c;

		if (engine_strcasecmp(ci, "all") != 0 && engine_strcasecmp(ci, names[i]) != 0)
			continue;
		any = true;
		ok = ci_lookup(db, names[i], &c) && drop_instance(s, c.name, c.ct_object_id, t->object_id);
	}
	if (ok && !any)
	{
		engine_error(s, 22960, "Change data capture instance '%s' has not been enabled for the source table"
					 " '%s.%s'. Use sys.sp_cdc_help_change_data_capture to verify the capture instance name"
					 " and retry the operation.", ci, t->schema, t->name);
		ok = false;
	}
	ok = engine_stmt_end(s, ok) && ok;
	engine_table_free(t);
	return ok ? 0 : 1;
}

/*
 * Cleanup of an instance's change rows below a new low end (NULL: past the
 * max LSN, i.e. everything), moving cdc.change_tables.start_lsn up.
 * ci NULL: every instance.
 */
static bool
cleanup_instance(SimSession *s, const CaptureInstance *ci, const unsigned char *low)
{
	sqlite3    *db = engine_db(s);
	sqlite3_stmt *stmt;
	EngineBuf	b;
	bool		ok;

	ebuf_init(&b);
	ebuf_append(&b, "DELETE FROM main.");
	{
		char		ctn[ENGINE_NAME_BUF + 8];

		snprintf(ctn, sizeof(ctn), "cdc.%s_CT", ci->name);
		ebuf_append_ident(&b, ctn);
	}
	ebuf_append(&b, " WHERE \"__$start_lsn\" < ?1");
	ok = sqlite3_prepare_v2(db, b.data, -1, &stmt, NULL) == SQLITE_OK;
	ebuf_free(&b);
	if (ok)
	{
		sqlite3_bind_blob(stmt, 1, low, LSN_LEN, SQLITE_TRANSIENT);
		ok = sqlite3_step(stmt) == SQLITE_DONE;
		sqlite3_finalize(stmt);
	}
	if (ok)
	{
		ok = sqlite3_prepare_v2(db, "UPDATE main.\"cdc.change_tables\" SET start_lsn = ?1 WHERE object_id = ?2"
								" AND (start_lsn IS NULL OR start_lsn < ?1)", -1, &stmt, NULL) == SQLITE_OK;
		if (ok)
		{
			sqlite3_bind_blob(stmt, 1, low, LSN_LEN, SQLITE_TRANSIENT);
			sqlite3_bind_int64(stmt, 2, ci->ct_object_id);
			ok = sqlite3_step(stmt) == SQLITE_DONE;
			sqlite3_finalize(stmt);
		}
	}
	if (!ok)
		engine_error(s, 22954, "Could not cleanup change tables for capture instance '%s'. %s",
					 ci->name, sqlite3_errmsg(db));
	return ok;
}

bool
cdc_cleanup(SimSession *s, const char *capture_instance, const unsigned char *low_water_mark)
{
	sqlite3    *db = engine_db(s);
	unsigned char low[LSN_LEN];
	char		names[64][ENGINE_NAME_BUF];
	int			n = 0;
	int			i;
	bool		ok = true;

	if (!cdc_db_enabled(db))
	{
		engine_error(s, 22910, "The cleanup request for database '%s' failed. The database is not enabled for"
					 " Change Data Capture.", sim_session_database(s));
		return false;
	}
	if (low_water_mark)
		memcpy(low, low_water_mark, LSN_LEN);
	else
	{
		Lsn			l;

		/* everything: the low end moves just past the max LSN */
		if (!visible_max_lsn(db, low))
			return true;
		l = lsn_from_bytes(low);
		lsn_add(&l, 1);
		lsn_to_bytes(l, low);
	}
	if (capture_instance)
		snprintf(names[n++], ENGINE_NAME_BUF, "%s", capture_instance);
	else
	{
		sqlite3_stmt *stmt;

		if (sqlite3_prepare_v2(db, "SELECT capture_instance FROM main.\"cdc.change_tables\"", -1, &stmt, NULL) == SQLITE_OK)
		{
			while (sqlite3_step(stmt) == SQLITE_ROW && n < 64)
				snprintf(names[n++], ENGINE_NAME_BUF, "%s", (const char *) sqlite3_column_text(stmt, 0));
			sqlite3_finalize(stmt);
		}
	}
	if (!engine_stmt_begin(s))
		return false;
	for (i = 0; ok && i < n; i++)
	{
		CaptureInstance ci;

		if (!ci_lookup(db, names[i], &ci))
		{
			engine_error(s, 22960, "Change data capture instance '%s' has not been enabled for the source"
						 " table. Use sys.sp_cdc_help_change_data_capture to verify the capture instance"
						 " name and retry the operation.", names[i]);
			ok = false;
			break;
		}
		ok = cleanup_instance(s, &ci, low);
	}
	return engine_stmt_end(s, ok) && ok;
}

/*
 * sys.sp_cdc_cleanup_change_table @capture_instance, @low_water_mark
 *		[, @threshold]: the new low end must be a start_lsn of
 *		cdc.lsn_time_mapping (22964) inside the timeline (22957).
 */
static int
proc_cleanup_change_table(EngineProcCall *call, void *arg)
{
	SimSession *s = call->session;
	sqlite3    *db = engine_db(s);
	const char *ci_name = engine_proc_param_text(call, "@capture_instance", 0);
	const SimParam *lw = engine_proc_param(call, "@low_water_mark", 1);
	CaptureInstance ci;
	unsigned char low[LSN_LEN];
	unsigned char max[LSN_LEN];
	sqlite3_stmt *stmt;
	bool		in_mapping = false;

	if (ci_name == NULL || !ci_lookup(db, ci_name, &ci))
	{
		engine_error(s, 22960, "Change data capture instance '%s' has not been enabled for the source table."
					 " Use sys.sp_cdc_help_change_data_capture to verify the capture instance name and retry"
					 " the operation.", ci_name ? ci_name : "");
		return 1;
	}
	if (lw == NULL || sqlite3_value_type(lw->value) == SQLITE_NULL)
	{
		/* NULL: the current low end stays (nothing to remove) */
		return 0;
	}
	if (sqlite3_value_type(lw->value) != SQLITE_BLOB || sqlite3_value_bytes(lw->value) != LSN_LEN)
	{
		engine_error(s, 22964, "LSN specified as the new low end point for change table cleanup must represent"
					 " the start_lsn value of a current entry in the cdc.lsn_time_mapping table.");
		return 1;
	}
	memcpy(low, sqlite3_value_blob(lw->value), LSN_LEN);
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM main.\"cdc.lsn_time_mapping\" WHERE start_lsn = ?1", -1, &stmt, NULL) == SQLITE_OK)
	{
		sqlite3_bind_blob(stmt, 1, low, LSN_LEN, SQLITE_TRANSIENT);
		in_mapping = sqlite3_step(stmt) == SQLITE_ROW;
		sqlite3_finalize(stmt);
	}
	if (!in_mapping)
	{
		engine_error(s, 22964, "LSN specified as the new low end point for change table cleanup must represent"
					 " the start_lsn value of a current entry in the cdc.lsn_time_mapping table. Choose an"
					 " LSN value that satisfies this requirement.");
		return 1;
	}
	if (!visible_max_lsn(db, max) || (ci.has_start && memcmp(low, ci.start_lsn, LSN_LEN) < 0) ||
		memcmp(low, max, LSN_LEN) > 0)
	{
		engine_error(s, 22957, "LSN specified as the new low end point for the change table associated with"
					 " capture instance '%s' is not within the Change Data Capture timeline.", ci.name);
		return 1;
	}
	return cdc_cleanup(s, ci.name, low) ? 0 : 1;
}

/* Run a metadata query with one text parameter and send its rows. */
static int
send_query(SimSession *s, const char *sql, const char *p1, const char *p2,
		   const SimType *hints, int nhints)
{
	sqlite3_stmt *stmt;
	bool		ok;

	if (sqlite3_prepare_v2(engine_db(s), sql, -1, &stmt, NULL) != SQLITE_OK)
	{
		engine_error(s, 22981, "Object does not exist or access is denied.");
		return 1;
	}
	if (p1)
		sqlite3_bind_text(stmt, 1, p1, -1, SQLITE_TRANSIENT);
	if (p2)
		sqlite3_bind_text(stmt, 2, p2, -1, SQLITE_TRANSIENT);
	ok = engine_send_result(s, stmt, hints, nhints);
	sqlite3_finalize(stmt);
	return ok ? 0 : 1;
}

#define SYSNAME_T {SIM_SYSNAME, 128, 0, 0}
#define INT_T {SIM_INT, 0, 0, 0}

/*
 * sys.sp_cdc_get_captured_columns @capture_instance: the captured columns
 * with their source types (sys-sp-cdc-get-captured-columns doc).
 */
static int
proc_get_captured_columns(EngineProcCall *call, void *arg)
{
	static const SimType hints[] = {
		SYSNAME_T, SYSNAME_T, SYSNAME_T, SYSNAME_T, INT_T, INT_T, SYSNAME_T, INT_T,
		{SIM_TINYINT, 0, 0, 0}, {SIM_SMALLINT, 0, 0, 0}, INT_T, {SIM_SMALLINT, 0, 0, 0}
	};
	SimSession *s = call->session;
	const char *ci = engine_proc_param_text(call, "@capture_instance", 0);
	CaptureInstance c;

	if (ci == NULL || !ci_lookup(engine_db(s), ci, &c))
	{
		engine_error(s, 22981, "Object does not exist or access is denied.");
		return 1;
	}
	return send_query(s,
					  "SELECT sc.name AS source_schema, o.name AS source_table, t.capture_instance,"
					  " cc.column_name, cc.column_id, cc.column_ordinal, cc.column_type AS data_type,"
					  " col.char_max_length AS character_maximum_length, col.num_precision AS numeric_precision,"
					  " col.num_radix AS numeric_precision_radix, col.num_scale AS numeric_scale,"
					  " col.dt_precision AS datetime_precision"
					  " FROM main.\"cdc.captured_columns\" cc JOIN main.\"cdc.change_tables\" t ON t.object_id = cc.object_id"
					  " JOIN main.__sim_objects o ON o.object_id = t.source_object_id"
					  " JOIN main.__sim_schemas sc ON sc.schema_id = o.schema_id"
					  " LEFT JOIN main.__sim_columns col ON col.object_id = t.source_object_id AND col.column_id = cc.column_id"
					  " WHERE t.capture_instance = ?1 COLLATE NOCASE ORDER BY cc.column_ordinal",
					  c.name, NULL, hints, 12);
}

/*
 * sys.sp_cdc_help_change_data_capture [@source_schema, @source_name]: the
 * capture instances of one table or of all (sys-sp-cdc-help-change-data-capture doc).
 */
static int
proc_help_change_data_capture(EngineProcCall *call, void *arg)
{
	static const SimType hints[] = {
		SYSNAME_T, SYSNAME_T, SYSNAME_T, INT_T, INT_T, {SIM_BINARY, 10, 0, 0}, {SIM_BINARY, 10, 0, 0},
		{SIM_BIT, 0, 0, 0}, {SIM_BIT, 0, 0, 0}, SYSNAME_T, SYSNAME_T, SYSNAME_T, {SIM_DATETIME, 0, 0, 3},
		{SIM_NVARCHAR, SIM_MAX_LENGTH, 0, 0}, {SIM_NVARCHAR, SIM_MAX_LENGTH, 0, 0}
	};
	SimSession *s = call->session;
	const char *schema = engine_proc_param_text(call, "@source_schema", 0);
	const char *name = engine_proc_param_text(call, "@source_name", 1);

	if ((schema == NULL) != (name == NULL))
	{
		engine_error(s, 22972, "When calling stored procedure [sys].sp_cdc_help_change_data capture, if either"
					 " @source_schema or @source_name is non-null and non-empty, the other parameter must also"
					 " be non-null and non-empty.");
		return 1;
	}
	if (!cdc_db_enabled(engine_db(s)))
	{
		error_db_not_enabled(s);
		return 1;
	}
	return send_query(s,
					  "SELECT sc.name AS source_schema, o.name AS source_table, t.capture_instance, t.object_id,"
					  " t.source_object_id, t.start_lsn, t.end_lsn, t.supports_net_changes, t.has_drop_pending,"
					  " t.role_name, t.index_name, t.filegroup_name, t.create_date,"
					  " (SELECT group_concat('[' || replace(ic.column_name, ']', ']]') || ']', ', ') FROM"
					  "   (SELECT column_name FROM main.\"cdc.index_columns\" WHERE object_id = t.object_id"
					  "    ORDER BY index_ordinal) ic) AS index_column_list,"
					  " (SELECT group_concat('[' || replace(cc.column_name, ']', ']]') || ']', ', ') FROM"
					  "   (SELECT column_name FROM main.\"cdc.captured_columns\" WHERE object_id = t.object_id"
					  "    ORDER BY column_ordinal) cc) AS captured_column_list"
					  " FROM main.\"cdc.change_tables\" t JOIN main.__sim_objects o ON o.object_id = t.source_object_id"
					  " JOIN main.__sim_schemas sc ON sc.schema_id = o.schema_id"
					  " WHERE (?1 IS NULL OR (sc.name = ?1 COLLATE NOCASE AND o.name = ?2 COLLATE NOCASE))"
					  " ORDER BY sc.name, o.name, t.capture_instance",
					  schema, name, hints, 15);
}

/* ------------------------------------------------------------------------
 * Table-valued functions
 * ------------------------------------------------------------------------
 */

/* The WITH chk ... head shared by both functions. */
static void
append_check(EngineBuf *out, const char *ci, bool net, EngineTvfCall *call)
{
	ebuf_append(out, "WITH chk AS MATERIALIZED (SELECT sim_cdc_check(");
	ebuf_append_literal(out, ci);
	ebuf_printf(out, ", %d, (%s), (%s), (%s)) AS mode)", net ? 1 : 0,
				call->arg_sql[0], call->arg_sql[1], call->arg_sql[2]);
}

static bool
cdc_tvf(EngineTvfCall *call, EngineBuf *out, void *arg)
{
	SimSession *s = call->session;
	sqlite3    *db = engine_db(s);
	bool		net = arg != NULL;
	const char *prefix = net ? "cdc.fn_cdc_get_net_changes_" : "cdc.fn_cdc_get_all_changes_";
	CaptureInstance ci;
	CapCols		cc;
	CapCols		keys;
	char		ctn[ENGINE_NAME_BUF + 8];
	int			i;
	int			k;

	if (strncasecmp(call->name, prefix, strlen(prefix)) != 0 ||
		!ci_lookup(db, call->name + strlen(prefix), &ci) || (net && !ci.supports_net_changes))
	{
		engine_error(s, 208, "Invalid object name '%s'.", call->name);
		return false;
	}
	if (call->nargs != 3 || !call->arg_sql[0] || !call->arg_sql[1] || !call->arg_sql[2])
	{
		engine_error(s, 313, "An insufficient number of arguments were supplied for the procedure or function %s ... .",
					 prefix);
		return false;
	}
	if (!capcols_load(db, ci.ct_object_id, "cdc.captured_columns", "column_ordinal", &cc))
	{
		engine_error(s, 208, "Invalid object name '%s'.", call->name);
		return false;
	}
	snprintf(ctn, sizeof(ctn), "cdc.%s_CT", ci.name);
	ebuf_append(out, "(");
	append_check(out, ci.name, net, call);
	if (!net)
	{
		ebuf_append(out, " SELECT ct.\"__$start_lsn\" AS \"__$start_lsn\", ct.\"__$seqval\" AS \"__$seqval\","
					" ct.\"__$operation\" AS \"__$operation\", ct.\"__$update_mask\" AS \"__$update_mask\"");
		for (i = 0; i < cc.n; i++)
		{
			ebuf_append(out, ", ct.");
			ebuf_append_ident(out, cc.names[i]);
			ebuf_append(out, " AS ");
			ebuf_append_ident(out, cc.names[i]);
		}
		ebuf_append(out, " FROM chk CROSS JOIN main.");
		ebuf_append_ident(out, ctn);
		ebuf_printf(out, " AS ct WHERE ct.\"__$start_lsn\" >= (%s) AND ct.\"__$start_lsn\" <= (%s)"
					" AND (ct.\"__$operation\" <> 3 OR chk.mode = 1)"
					" ORDER BY ct.\"__$start_lsn\", ct.\"__$seqval\", ct.\"__$operation\")",
					call->arg_sql[0], call->arg_sql[1]);
		capcols_free(&cc);
		return true;
	}

	/* net changes: one row per key with its final content */
	if (!capcols_load(db, ci.ct_object_id, "cdc.index_columns", "index_ordinal", &keys) || keys.n == 0)
	{
		capcols_free(&cc);
		engine_error(s, 208, "Invalid object name '%s'.", call->name);
		return false;
	}
	/*
	 * r: the range's rows with their effective operation.  An update that
	 * changed the row key is a delete of the old key and an insert of the
	 * new one ("Modifications on the unique identifier of a row will cause
	 * fn_cdc_get_net_changes to show ... a DELETE and then INSERT", net
	 * changes doc); other before images (3) are dropped.
	 */
	{
		EngineBuf	same;

		ebuf_init(&same);
		for (k = 0; k < keys.n; k++)
		{
			if (k)
				ebuf_append(&same, " AND ");
			ebuf_append(&same, "ct.");
			ebuf_append_ident(&same, keys.names[k]);
			ebuf_append(&same, " IS pr.");
			ebuf_append_ident(&same, keys.names[k]);
		}
		ebuf_printf(out, ", r AS (SELECT ct.rowid AS \"__sim_rid\", CASE WHEN ct.\"__$operation\" IN (3, 4)"
					" AND NOT (%s) THEN (CASE ct.\"__$operation\" WHEN 3 THEN 1 ELSE 2 END)"
					" ELSE ct.\"__$operation\" END AS \"__sim_op\", ct.* FROM chk CROSS JOIN main.",
					same.data);
		ebuf_append_ident(out, ctn);
		ebuf_append(out, " AS ct LEFT JOIN main.");
		ebuf_append_ident(out, ctn);
		ebuf_printf(out, " AS pr ON pr.\"__$start_lsn\" = ct.\"__$start_lsn\" AND pr.\"__$seqval\" = ct.\"__$seqval\""
					" AND pr.\"__$operation\" = (CASE ct.\"__$operation\" WHEN 3 THEN 4 WHEN 4 THEN 3 END)"
					" WHERE ct.\"__$start_lsn\" >= (%s) AND ct.\"__$start_lsn\" <= (%s)"
					" AND (ct.\"__$operation\" <> 3 OR NOT (%s)))",
					call->arg_sql[0], call->arg_sql[1], same.data);
		ebuf_free(&same);
	}
	ebuf_append(out, ", w AS (SELECT r.*, row_number() OVER (PARTITION BY ");
	for (k = 0; k < keys.n; k++)
	{
		if (k)
			ebuf_append(out, ", ");
		ebuf_append_ident(out, keys.names[k]);
	}
	ebuf_append(out, " ORDER BY \"__$start_lsn\" DESC, \"__$seqval\" DESC, \"__$operation\" DESC) AS \"__sim_rn\","
				" first_value(\"__sim_op\") OVER (PARTITION BY ");
	for (k = 0; k < keys.n; k++)
	{
		if (k)
			ebuf_append(out, ", ");
		ebuf_append_ident(out, keys.names[k]);
	}
	ebuf_append(out, " ORDER BY \"__$start_lsn\", \"__$seqval\", \"__$operation\""
				" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS \"__sim_fop\" FROM r)");
	ebuf_append(out, ", mk AS MATERIALIZED (SELECT ");
	for (k = 0; k < keys.n; k++)
	{
		ebuf_append_ident(out, keys.names[k]);
		ebuf_append(out, ", ");
	}
	ebuf_append(out, "sim_cdc_mask_or(\"__$update_mask\") AS m FROM r WHERE \"__sim_op\" = 4 GROUP BY ");
	for (k = 0; k < keys.n; k++)
	{
		if (k)
			ebuf_append(out, ", ");
		ebuf_append_ident(out, keys.names[k]);
	}
	ebuf_append(out, ")");
	/*
	 * op: 1 when the key is gone at the end; else 5 under 'all with
	 * merge'; else 2 when its first change in the range was the insert;
	 * else 4.  mask only for 4 under 'all with mask' (NULL for 1 and 2:
	 * chosen, see head comment).
	 */
	ebuf_append(out, " SELECT w.\"__$start_lsn\" AS \"__$start_lsn\","
				" CASE WHEN w.\"__sim_op\" = 1 THEN 1 WHEN (SELECT mode FROM chk) = 2 THEN 5"
				" WHEN w.\"__sim_fop\" = 2 THEN 2 ELSE 4 END AS \"__$operation\","
				" CASE WHEN (SELECT mode FROM chk) = 1 AND w.\"__sim_op\" <> 1 AND w.\"__sim_fop\" <> 2 THEN"
				" (SELECT mk.m FROM mk WHERE ");
	for (k = 0; k < keys.n; k++)
	{
		if (k)
			ebuf_append(out, " AND ");
		ebuf_append(out, "mk.");
		ebuf_append_ident(out, keys.names[k]);
		ebuf_append(out, " IS w.");
		ebuf_append_ident(out, keys.names[k]);
	}
	ebuf_append(out, ") END AS \"__$update_mask\"");
	for (i = 0; i < cc.n; i++)
	{
		ebuf_append(out, ", w.");
		ebuf_append_ident(out, cc.names[i]);
		ebuf_append(out, " AS ");
		ebuf_append_ident(out, cc.names[i]);
	}
	ebuf_append(out, " FROM w WHERE w.\"__sim_rn\" = 1 AND NOT (w.\"__sim_op\" = 1 AND w.\"__sim_fop\" = 2)");
	/* typed empty arm: gives the computed columns their declared types */
	ebuf_append(out, " UNION ALL SELECT \"__$start_lsn\", \"__$operation\", \"__$update_mask\"");
	for (i = 0; i < cc.n; i++)
	{
		ebuf_append(out, ", ");
		ebuf_append_ident(out, cc.names[i]);
	}
	ebuf_append(out, " FROM main.");
	ebuf_append_ident(out, ctn);
	ebuf_append(out, " WHERE 0)");
	capcols_free(&cc);
	capcols_free(&keys);
	return true;
}

/* ------------------------------------------------------------------------
 * Hooks
 * ------------------------------------------------------------------------
 */

/* Remember the text of ALTER TABLE statements for cdc.ddl_history. */
static EngineHookResult
cdc_stmt_hook(SimSession *s, const EngineStmt *st, int *skip, void *arg)
{
	CdcSession *cs;

	if (!(engine_tok_is(st, 0, "ALTER") && engine_tok_is(st, 1, "TABLE")))
		return ENGINE_HOOK_PASS;
	cs = cdc_state(s);
	free(cs->last_ddl);
	{
		int			end = st->ntok;

		/* the statement as written, without its terminator */
		while (end > 0 && engine_tok_op(st, end - 1, ";"))
			end--;
		cs->last_ddl = engine_tok_text(st, 0, end);
	}
	return ENGINE_HOOK_PASS;
}

/*
 * DDL on a captured source table: ALTER TABLE is recorded in
 * cdc.ddl_history and the capture triggers are rebuilt (the change table
 * keeps its shape, so new columns are not captured); DROP TABLE removes the
 * table's capture instances; TRUNCATE TABLE is refused (4711).
 */
static bool
cdc_ddl_hook(SimSession *s, EngineDdlEvent ev, const EngineTable *t, const char *detail, void *arg)
{
	sqlite3    *db = engine_db(s);
	char		names[2][ENGINE_NAME_BUF];
	int			n;
	int			i;

	if (t == NULL || !cdc_db_enabled(db))
		return true;
	n = cis_of_source(db, t->object_id, names, 2);
	if (n == 0)
		return true;
	if (ev == ENGINE_DDL_TABLE_TRUNCATING)
	{
		engine_error(s, 4711, "Cannot truncate table '%s' because it is published for replication or"
					 " enabled for Change Data Capture.", t->name);
		return false;
	}
	for (i = 0; i < n; i++)
	{
		CaptureInstance ci;

		if (!ci_lookup(db, names[i], &ci))
			continue;
		if (ev == ENGINE_DDL_TABLE_DROPPING)
		{
			if (!drop_instance(s, ci.name, ci.ct_object_id, t->object_id))
				return false;
		}
		else if (ev == ENGINE_DDL_TABLE_ALTERED)
		{
			sqlite3_stmt *stmt;
			unsigned char lsn[LSN_LEN];
			char		now[64];
			/* a copy: the ALTER of the change table below replaces last_ddl */
			char	   *text = cdc_state(s)->last_ddl ? estrdup(cdc_state(s)->last_ddl) : NULL;
			int64_t		required = 0;
			int			c;
			bool		ok;

			/* a type change of a captured column sets required_column_update */
			if (detail && text && strcasestr(text, "ALTER COLUMN"))
			{
				int64_t		ct = ci.ct_object_id;
				char		sql[512];

				snprintf(sql, sizeof(sql), "SELECT count(*) FROM main.\"cdc.captured_columns\" WHERE object_id = ?1"
						 " AND column_name = '%s' COLLATE NOCASE", detail);
				if (strchr(detail, '\'') == NULL)
					feat_query_int(db, sql, &ct, &required);
				/*
				 * "A data type change to a captured column is applied to
				 * the change table" (about-cdc doc)
				 */
				for (c = 0; required > 0 && c < t->ncols; c++)
				{
					char		ty[64];
					char		base[64];
					char		tsql[ENGINE_NAME_BUF * 3 + 128];
					char		err[256];

					if (engine_strcasecmp(t->cols[c].name, detail) != 0)
						continue;
					sim_type_format(&t->cols[c].type, ty, sizeof(ty));
					base_type_name(&t->cols[c].type, base, sizeof(base));
					snprintf(tsql, sizeof(tsql), "ALTER TABLE cdc.[%s_CT] ALTER COLUMN [%s] %s NULL",
							 ci.name, detail, ty);
					if (!engine_exec_internal(s, tsql, err, sizeof(err)))
					{
						engine_error(s, 22976, "Could not alter column '%s' of change table 'cdc.%s_CT' in response"
									 " to a data type change in the corresponding column of the source table"
									 " '%s'. %s", detail, ci.name, t->name, err);
						free(text);
						return false;
					}
					snprintf(sql, sizeof(sql), "UPDATE main.\"cdc.captured_columns\" SET column_type = '%s'"
							 " WHERE object_id = %lld AND column_name = '%s' COLLATE NOCASE",
							 base, (long long) ci.ct_object_id, detail);
					if (!feat_exec(s, db, sql))
					{
						free(text);
						return false;
					}
				}
			}
			lsn_to_bytes(lsn_of_txn(cdc_last_txn(db)), lsn);
			engine_now_text(now, sizeof(now), false, 3, false);
			ok = sqlite3_prepare_v2(db, "INSERT INTO main.\"cdc.ddl_history\" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
									-1, &stmt, NULL) == SQLITE_OK;
			if (ok)
			{
				sqlite3_bind_int64(stmt, 1, t->object_id);
				sqlite3_bind_int64(stmt, 2, ci.ct_object_id);
				sqlite3_bind_int(stmt, 3, required > 0);
				if (text)
					sqlite3_bind_text(stmt, 4, text, -1, SQLITE_TRANSIENT);
				sqlite3_bind_blob(stmt, 5, lsn, LSN_LEN, SQLITE_TRANSIENT);
				sqlite3_bind_text(stmt, 6, now, -1, SQLITE_TRANSIENT);
				ok = sqlite3_step(stmt) == SQLITE_DONE;
				sqlite3_finalize(stmt);
			}
			free(text);
			if (!ok)
			{
				engine_error(s, 22977, "Unable to update DDL history information: %s", sqlite3_errmsg(db));
				return false;
			}
			if (!make_triggers(s, ci.name, ci.ct_object_id, t))
				return false;
		}
	}
	return true;
}

/* Internal functions on each handle. */
static bool
cdc_conn_init(SimSession *s, sqlite3 *db, void *arg, char *errbuf, size_t errlen)
{
	feat_assigned_create(s, db);
	sqlite3_create_function_v2(db, "sim_cdc_mask", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
							   fn_cdc_mask, NULL, NULL, NULL);
	sqlite3_create_function_v2(db, "sim_cdc_seqval", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
							   fn_cdc_seqval, NULL, NULL, NULL);
	sqlite3_create_function_v2(db, "sim_cdc_mask_or", 1, SQLITE_UTF8, NULL, NULL,
							   fn_cdc_mask_or_step, fn_cdc_mask_or_final, NULL);
	sqlite3_create_function_v2(db, "sim_cdc_check", 5, SQLITE_UTF8, s, fn_cdc_check, NULL, NULL, NULL);
	return true;
}

void
engine_cdc_register(void)
{
	static const SimType lsn = {SIM_BINARY, LSN_LEN, 0, 0};
	static const SimType dt = {SIM_DATETIME, 0, 0, 3};
	static const SimType intt = {SIM_INT, 0, 0, 0};
	static const SimType bit = {SIM_BIT, 0, 0, 0};

	cdc_slot = engine_ext_slot(cdc_session_free);
	feat_assigned_register();
	engine_register_stmt_hook(cdc_stmt_hook, NULL);
	engine_register_conn_init(cdc_conn_init, NULL);
	engine_register_ddl_hook(cdc_ddl_hook, NULL);
	engine_register_txn_hook(cdc_txn_hook, NULL);
	engine_register_proc("sys.sp_cdc_enable_db", proc_enable_db, NULL);
	engine_register_proc("sys.sp_cdc_disable_db", proc_disable_db, NULL);
	engine_register_proc("sys.sp_cdc_enable_table", proc_enable_table, NULL);
	engine_register_proc("sys.sp_cdc_disable_table", proc_disable_table, NULL);
	engine_register_proc("sys.sp_cdc_cleanup_change_table", proc_cleanup_change_table, NULL);
	engine_register_proc("sys.sp_cdc_get_captured_columns", proc_get_captured_columns, NULL);
	engine_register_proc("sys.sp_cdc_help_change_data_capture", proc_help_change_data_capture, NULL);
	engine_register_tvf("cdc.fn_cdc_get_all_changes_", cdc_tvf, NULL);
	engine_register_tvf("cdc.fn_cdc_get_net_changes_", cdc_tvf, (void *) 1);
	engine_register_function("sys.fn_cdc_get_min_lsn", 1, SQLITE_UTF8, fn_get_min_lsn, &lsn);
	engine_register_function("sys.fn_cdc_get_max_lsn", 0, SQLITE_UTF8, fn_get_max_lsn, &lsn);
	engine_register_function("sys.fn_cdc_increment_lsn", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, fn_increment_lsn, &lsn);
	engine_register_function("sys.fn_cdc_decrement_lsn", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, fn_decrement_lsn, &lsn);
	engine_register_function("sys.fn_cdc_map_time_to_lsn", 2, SQLITE_UTF8, fn_map_time_to_lsn, &lsn);
	engine_register_function("sys.fn_cdc_map_lsn_to_time", 1, SQLITE_UTF8, fn_map_lsn_to_time, &dt);
	engine_register_function("sys.fn_cdc_get_column_ordinal", 2, SQLITE_UTF8, fn_get_column_ordinal, &intt);
	engine_register_function("sys.fn_cdc_is_bit_set", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, fn_is_bit_set, &bit);
	engine_register_function("sys.fn_cdc_has_column_changed", 3, SQLITE_UTF8, fn_has_column_changed, &bit);
}
