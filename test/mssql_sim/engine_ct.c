/*
 * engine_ct.c
 *		SQL Server Change Tracking for the stand-in, built on the engine's
 *		extension points (engine.h): ALTER DATABASE ... SET CHANGE_TRACKING,
 *		ALTER TABLE ... ENABLE/DISABLE CHANGE_TRACKING, CHANGETABLE(CHANGES
 *		...) and CHANGETABLE(VERSION ...), CHANGE_TRACKING_CURRENT_VERSION(),
 *		CHANGE_TRACKING_MIN_VALID_VERSION(), CHANGE_TRACKING_IS_COLUMN_IN_MASK(),
 *		WITH CHANGE_TRACKING_CONTEXT, sys.change_tracking_databases/_tables,
 *		retention cleanup.
 *
 * Storage, in each database file:
 *   __sim_ct_db        one row: enabled flag, retention, auto cleanup, and
 *                      the database-wide version counter;
 *   __sim_ct_tables    one row per tracked table (begin/cleanup/min valid
 *                      versions, TRACK_COLUMNS_UPDATED);
 *   __sim_ct_<objid>   the side table of one tracked table: one row per
 *                      change event (seq, version, I/U/D, changed columns,
 *                      context, key values), written by SQLite triggers on
 *                      the user table, so a change exists exactly when the
 *                      write commits;
 *   __sim_ct_pending   tables changed by the open transaction;
 *   __sim_ct_commits   version -> commit time (the syscommittab of the
 *                      stand-in), for retention.
 *
 * Versions are per committed transaction: triggers write events with a NULL
 * version, and the PRE_COMMIT transaction hook bumps the counter once and
 * stamps the transaction's events.  SQLite lets one writer in at a time, so
 * the order of versions is the order of commits, and a rolled-back write
 * leaves nothing.
 *
 * CHANGETABLE(CHANGES t, B) folds the events after B per key at query time
 * (the rules of Microsoft's CHANGETABLE page):
 *   first event after B is an insert -> the key did not exist at B;
 *   last event is a delete          -> it does not exist now;
 *   existed and exists -> U (columns: union of the updates after B; NULL
 *   when a delete/re-insert or an all-column update is among them);
 *   not existed, exists -> I; existed, gone -> D.
 * UNCONFIRMED in the docs, chosen here: a key inserted and deleted after B
 * is reported as D (consumers treat a D for an unknown key as a no-op);
 * SYS_CHANGE_CREATION_VERSION is the version of the key's last tracked
 * insert ("version of the last insert operation"), NULL when the key has
 * none (it existed before tracking began, or cleanup removed the insert).
 *
 * Changed columns: the columns the UPDATE assigned, as SQL Server reports
 * them, also when the value stays (SET c = c); the statement hook notes
 * the SET list for the triggers (feat_note_update, engine_featutil.c,
 * which also says why this reading).  MERGE's updates fall back to the
 * columns whose value changed.  The mask
 * format is the stand-in's own (the doc says it must not be interpreted):
 * a 4-byte count followed by 4-byte little-endian column ids, sorted.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "engine_int.h"
#include "engine_feat.h"

typedef struct CtSession
{
	bool		has_ctx;		/* WITH CHANGE_TRACKING_CONTEXT of this statement */
	int			ctxlen;
	unsigned char ctx[128];
	int64_t		truncating;		/* object_id under TRUNCATE TABLE, or 0 */
	time_t		last_auto_cleanup;
} CtSession;

static int	ct_slot = -1;

static const char *ct_tables_ddl =
"CREATE TABLE IF NOT EXISTS __sim_ct_db (id INTEGER PRIMARY KEY, enabled int NOT NULL DEFAULT 0,"
" is_auto_cleanup_on bit, retention_period int, retention_period_units_desc \"nvarchar(60)\","
" retention_period_units tinyint, version bigint NOT NULL DEFAULT 0);"
"INSERT OR IGNORE INTO __sim_ct_db(id, enabled, version) VALUES (1, 0, 0);"
"CREATE TABLE IF NOT EXISTS __sim_ct_tables (object_id int PRIMARY KEY,"
" is_track_columns_updated_on bit, begin_version bigint, cleanup_version bigint,"
" min_valid_version bigint);"
"CREATE TABLE IF NOT EXISTS __sim_ct_pending (object_id INTEGER PRIMARY KEY);"
"CREATE TABLE IF NOT EXISTS __sim_ct_commits (version INTEGER PRIMARY KEY, ts TEXT);";

/* ------------------------------------------------------------------------
 * Session state
 * ------------------------------------------------------------------------
 */

static CtSession *
ct_state(SimSession *s)
{
	CtSession  *cs = engine_ext_get(s, ct_slot);

	if (cs == NULL)
	{
		cs = emalloc(sizeof(CtSession));
		memset(cs, 0, sizeof(CtSession));
		engine_ext_set(s, ct_slot, cs);
	}
	return cs;
}

/* ------------------------------------------------------------------------
 * Masks
 * ------------------------------------------------------------------------
 */

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16) |
		((uint32_t) p[3] << 24);
}

/* Build a mask blob from a sorted id list into ctx's result. */
static void
mask_result(sqlite3_context *ctx, const uint32_t *ids, int n)
{
	unsigned char *buf = sqlite3_malloc(4 + 4 * n);
	int			i;

	put32(buf, (uint32_t) n);
	for (i = 0; i < n; i++)
		put32(buf + 4 + 4 * i, ids[i]);
	sqlite3_result_blob(ctx, buf, 4 + 4 * n, sqlite3_free);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *) a;
	uint32_t	y = *(const uint32_t *) b;

	return x < y ? -1 : x > y;
}

/*
 * sim_ct_mask(n_nonkey, id1, changed1, id2, changed2, ...): the mask of an
 * UPDATE event.  NULL when every non-key column changed (Microsoft: "All
 * nonprimary key columns were updated in one operation").
 */
static void
fn_ct_mask(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int			nonkey = sqlite3_value_int(argv[0]);
	uint32_t	ids[1000];
	int			n = 0;
	int			i;

	for (i = 1; i + 1 < argc && n < 1000; i += 2)
		if (sqlite3_value_int(argv[i + 1]))
			ids[n++] = (uint32_t) sqlite3_value_int(argv[i]);
	if (nonkey > 0 && n == nonkey)
	{
		sqlite3_result_null(ctx);
		return;
	}
	qsort(ids, n, sizeof(uint32_t), cmp_u32);
	mask_result(ctx, ids, n);
}

typedef struct MaskAgg
{
	bool		null_result;
	bool		started;
	int			n;
	uint32_t	ids[1024];
} MaskAgg;

/*
 * sim_ct_mask_union(op, cols) aggregate: union of the masks of U events;
 * NULL as soon as one event is not a U with a mask.
 */
static void
fn_ct_mask_union_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	MaskAgg    *a = sqlite3_aggregate_context(ctx, sizeof(MaskAgg));
	const unsigned char *op;
	const unsigned char *m;
	int			len;
	uint32_t	k;
	uint32_t	cnt;

	if (a == NULL || a->null_result)
		return;
	a->started = true;
	op = sqlite3_value_text(argv[0]);
	if (op == NULL || op[0] != 'U' || sqlite3_value_type(argv[1]) == SQLITE_NULL)
	{
		a->null_result = true;
		return;
	}
	m = sqlite3_value_blob(argv[1]);
	len = sqlite3_value_bytes(argv[1]);
	if (len < 4)
		return;
	cnt = get32(m);
	for (k = 0; k < cnt && 4 + 4 * (int) k + 4 <= len; k++)
	{
		uint32_t	id = get32(m + 4 + 4 * k);
		int			j;
		bool		found = false;

		for (j = 0; j < a->n; j++)
			if (a->ids[j] == id)
				found = true;
		if (!found && a->n < 1024)
			a->ids[a->n++] = id;
	}
}

static void
fn_ct_mask_union_final(sqlite3_context *ctx)
{
	MaskAgg    *a = sqlite3_aggregate_context(ctx, 0);

	if (a == NULL || !a->started || a->null_result)
	{
		sqlite3_result_null(ctx);
		return;
	}
	qsort(a->ids, a->n, sizeof(uint32_t), cmp_u32);
	mask_result(ctx, a->ids, a->n);
}

/*
 * CHANGE_TRACKING_IS_COLUMN_IN_MASK(column_id, change_columns) -> bit.
 * A NULL mask gives NULL (the doc does not say; NULL in, NULL out).
 */
static void
fn_is_column_in_mask(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *m;
	int			len;
	uint32_t	id;
	uint32_t	cnt;
	uint32_t	k;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
		sqlite3_value_type(argv[1]) == SQLITE_NULL)
	{
		sqlite3_result_null(ctx);
		return;
	}
	id = (uint32_t) sqlite3_value_int(argv[0]);
	m = sqlite3_value_blob(argv[1]);
	len = sqlite3_value_bytes(argv[1]);
	if (len < 4)
	{
		sqlite3_result_int(ctx, 0);
		return;
	}
	cnt = get32(m);
	for (k = 0; k < cnt && 8 + 4 * (int) k <= len; k++)
		if (get32(m + 4 + 4 * k) == id)
		{
			sqlite3_result_int(ctx, 1);
			return;
		}
	sqlite3_result_int(ctx, 0);
}

/* sim_ct_context(): the WITH CHANGE_TRACKING_CONTEXT value of the statement. */
static void
fn_ct_context(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	CtSession  *cs = ct_state(sqlite3_user_data(ctx));

	if (cs->has_ctx)
		sqlite3_result_blob(ctx, cs->ctx, cs->ctxlen, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
}

/* sim_ct_on(object_id): 0 while that table is being truncated (not tracked). */
static void
fn_ct_on(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	CtSession  *cs = ct_state(sqlite3_user_data(ctx));

	sqlite3_result_int(ctx, cs->truncating != sqlite3_value_int64(argv[0]));
}

/* ------------------------------------------------------------------------
 * Version functions
 * ------------------------------------------------------------------------
 */

/* CHANGE_TRACKING_CURRENT_VERSION(): NULL when the database has CT off. */
static void
fn_current_version(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t		v;

	if (feat_query_int(sqlite3_context_db_handle(ctx),
					   "SELECT version FROM main.__sim_ct_db WHERE enabled = 1", NULL, &v))
		sqlite3_result_int64(ctx, v);
	else
		sqlite3_result_null(ctx);
}

/*
 * CHANGE_TRACKING_MIN_VALID_VERSION(object_id): NULL for CT off, an unknown
 * object or an untracked table.
 */
static void
fn_min_valid_version(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t		id;
	int64_t		v;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
	{
		sqlite3_result_null(ctx);
		return;
	}
	id = sqlite3_value_int64(argv[0]);
	if (feat_query_int(sqlite3_context_db_handle(ctx),
					   "SELECT t.min_valid_version FROM main.__sim_ct_tables t, main.__sim_ct_db d"
					   " WHERE t.object_id = ?1 AND d.enabled = 1", &id, &v))
		sqlite3_result_int64(ctx, v);
	else
		sqlite3_result_null(ctx);
}

/* ------------------------------------------------------------------------
 * Side tables and triggers
 * ------------------------------------------------------------------------
 */

static void
side_name(char *buf, size_t len, int64_t objid)
{
	snprintf(buf, len, "__sim_ct_%lld", (long long) objid);
}

static bool
ct_db_enabled(sqlite3 *db)
{
	int64_t		v;

	return feat_query_int(db, "SELECT enabled FROM main.__sim_ct_db", NULL, &v) && v == 1;
}

static bool
ct_table_tracked(sqlite3 *db, int64_t objid, bool *track_columns)
{
	int64_t		v;

	if (!feat_query_int(db, "SELECT is_track_columns_updated_on FROM main.__sim_ct_tables WHERE object_id = ?1",
						&objid, &v))
		return false;
	if (track_columns)
		*track_columns = v != 0;
	return true;
}

static int64_t
ct_current_version(sqlite3 *db)
{
	int64_t		v = 0;

	feat_query_int(db, "SELECT version FROM main.__sim_ct_db", NULL, &v);
	return v;
}

/* Append the declared type (and collation) of a column for a side table. */
static void
append_coldecl(EngineBuf *b, const EngineColumn *c)
{
	char		decl[96];
	SimType		t = c->type;
	const char *coll;

	if (t.id == SIM_ROWVERSION)
	{
		t.id = SIM_BINARY;
		t.length = 8;
	}
	engine_decltype(&t, decl, sizeof(decl));
	ebuf_append_ident(b, decl);
	coll = engine_type_collation(&t);
	if (coll)
		ebuf_printf(b, " COLLATE %s", coll);
}

/* Drop and create the change triggers of a tracked table. */
static bool
ct_make_triggers(SimSession *s, const EngineTable *t, bool track_columns)
{
	sqlite3    *db = engine_db(s);
	char		side[64];
	EngineBuf	b;
	EngineBuf	keys_new;
	EngineBuf	keys_old;
	EngineBuf	keycols;
	EngineBuf	same;
	EngineBuf	mask;
	long long	id = (long long) t->object_id;
	int			k;
	int			i;
	int			nonkey = 0;
	bool		ok;

	side_name(side, sizeof(side), t->object_id);
	ebuf_init(&b);
	ebuf_init(&keys_new);
	ebuf_init(&keys_old);
	ebuf_init(&keycols);
	ebuf_init(&same);
	ebuf_init(&mask);
	for (k = 0; k < t->npk; k++)
	{
		const char *cn = t->cols[t->pk[k]].name;

		ebuf_printf(&keycols, ", pk%d", k);
		ebuf_append(&keys_new, ", NEW.");
		ebuf_append_ident(&keys_new, cn);
		ebuf_append(&keys_old, ", OLD.");
		ebuf_append_ident(&keys_old, cn);
		if (k > 0)
			ebuf_append(&same, " AND ");
		ebuf_append(&same, "OLD.");
		ebuf_append_ident(&same, cn);
		ebuf_append(&same, " IS NEW.");
		ebuf_append_ident(&same, cn);
	}
	if (track_columns)
	{
		EngineBuf	args;

		ebuf_init(&args);
		for (i = 0; i < t->ncols; i++)
		{
			bool		is_key = false;

			for (k = 0; k < t->npk; k++)
				if (t->pk[k] == i)
					is_key = true;
			if (is_key)
				continue;
			nonkey++;
			/* assigned by the UPDATE (see feat_note_update) */
			ebuf_printf(&args, ", %d, sim_col_assigned(%lld, %d, OLD.", t->cols[i].column_id,
						id, t->cols[i].column_id);
			ebuf_append_ident(&args, t->cols[i].name);
			ebuf_append(&args, " IS NOT NEW.");
			ebuf_append_ident(&args, t->cols[i].name);
			ebuf_append(&args, ")");
		}
		ebuf_printf(&mask, "sim_ct_mask(%d%s)", nonkey, args.data);
		ebuf_free(&args);
	}
	else
		ebuf_append(&mask, "NULL");

	ebuf_printf(&b, "DROP TRIGGER IF EXISTS \"%s_i\"; DROP TRIGGER IF EXISTS \"%s_d\";"
				" DROP TRIGGER IF EXISTS \"%s_u\"; DROP TRIGGER IF EXISTS \"%s_k\";",
				side, side, side, side);
	/* INSERT */
	ebuf_printf(&b, "CREATE TRIGGER \"%s_i\" AFTER INSERT ON ", side);
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_printf(&b, " WHEN sim_ct_on(%lld) BEGIN INSERT INTO \"%s\"(ver, op, cols, ctx%s)"
				" VALUES (NULL, 'I', NULL, sim_ct_context()%s);"
				" INSERT OR IGNORE INTO __sim_ct_pending VALUES (%lld); END;",
				id, side, keycols.data, keys_new.data, id);
	/* DELETE */
	ebuf_printf(&b, "CREATE TRIGGER \"%s_d\" AFTER DELETE ON ", side);
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_printf(&b, " WHEN sim_ct_on(%lld) BEGIN INSERT INTO \"%s\"(ver, op, cols, ctx%s)"
				" VALUES (NULL, 'D', NULL, sim_ct_context()%s);"
				" INSERT OR IGNORE INTO __sim_ct_pending VALUES (%lld); END;",
				id, side, keycols.data, keys_old.data, id);
	/* UPDATE keeping the key */
	ebuf_printf(&b, "CREATE TRIGGER \"%s_u\" AFTER UPDATE ON ", side);
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_printf(&b, " WHEN sim_ct_on(%lld) AND (%s) BEGIN INSERT INTO \"%s\"(ver, op, cols, ctx%s)"
				" VALUES (NULL, 'U', %s, sim_ct_context()%s);"
				" INSERT OR IGNORE INTO __sim_ct_pending VALUES (%lld); END;",
				id, same.data, side, keycols.data, mask.data, keys_new.data, id);
	/* UPDATE of the key: a delete of the old key and an insert of the new */
	ebuf_printf(&b, "CREATE TRIGGER \"%s_k\" AFTER UPDATE ON ", side);
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_printf(&b, " WHEN sim_ct_on(%lld) AND NOT (%s) BEGIN"
				" INSERT INTO \"%s\"(ver, op, cols, ctx%s) VALUES (NULL, 'D', NULL, sim_ct_context()%s);"
				" INSERT INTO \"%s\"(ver, op, cols, ctx%s) VALUES (NULL, 'I', NULL, sim_ct_context()%s);"
				" INSERT OR IGNORE INTO __sim_ct_pending VALUES (%lld); END;",
				id, same.data, side, keycols.data, keys_old.data,
				side, keycols.data, keys_new.data, id);
	ok = feat_exec(s, db, b.data);
	ebuf_free(&b);
	ebuf_free(&keys_new);
	ebuf_free(&keys_old);
	ebuf_free(&keycols);
	ebuf_free(&same);
	ebuf_free(&mask);
	return ok;
}

/* Create the side table of a newly tracked table. */
static bool
ct_make_side_table(SimSession *s, const EngineTable *t)
{
	char		side[64];
	EngineBuf	b;
	int			k;
	bool		ok;

	side_name(side, sizeof(side), t->object_id);
	ebuf_init(&b);
	ebuf_printf(&b, "DROP TABLE IF EXISTS \"%s\"; CREATE TABLE \"%s\" (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
				" ver bigint, op \"nchar(1)\", cols \"varbinary(4100)\", ctx \"varbinary(128)\"",
				side, side);
	for (k = 0; k < t->npk; k++)
	{
		ebuf_printf(&b, ", pk%d ", k);
		append_coldecl(&b, &t->cols[t->pk[k]]);
	}
	ebuf_printf(&b, "); CREATE INDEX \"%s_key\" ON \"%s\"(", side, side);
	for (k = 0; k < t->npk; k++)
		ebuf_printf(&b, "pk%d, ", k);
	ebuf_printf(&b, "seq); CREATE INDEX \"%s_ver\" ON \"%s\"(ver);", side, side);
	ok = feat_exec(s, engine_db(s), b.data);
	ebuf_free(&b);
	return ok;
}

/* Remove everything CT keeps for a table (side table, triggers, rows). */
static bool
ct_forget_table(SimSession *s, const EngineTable *t)
{
	char		side[64];
	char		sql[1024];

	side_name(side, sizeof(side), t->object_id);
	snprintf(sql, sizeof(sql),
			 "DROP TRIGGER IF EXISTS \"%s_i\"; DROP TRIGGER IF EXISTS \"%s_d\";"
			 " DROP TRIGGER IF EXISTS \"%s_u\"; DROP TRIGGER IF EXISTS \"%s_k\";"
			 " DROP TABLE IF EXISTS \"%s\";"
			 " DELETE FROM __sim_ct_tables WHERE object_id = %lld;"
			 " DELETE FROM __sim_ct_pending WHERE object_id = %lld;",
			 side, side, side, side, side, (long long) t->object_id,
			 (long long) t->object_id);
	return feat_exec(s, engine_db(s), sql);
}

/* ------------------------------------------------------------------------
 * Cleanup
 * ------------------------------------------------------------------------
 */

/*
 * Remove change information with versions <= upto from every tracked table
 * and raise cleanup_version / min_valid_version.  Inside a write
 * transaction.  (A client whose last sync version is upto still gets every
 * change after it, so min_valid_version becomes upto.)
 */
static bool
ct_cleanup_to(SimSession *s, int64_t upto)
{
	sqlite3    *db = engine_db(s);
	sqlite3_stmt *stmt;
	EngineBuf	b;
	bool		ok;

	ebuf_init(&b);
	if (sqlite3_prepare_v2(db, "SELECT object_id FROM main.__sim_ct_tables WHERE cleanup_version < ?1",
						   -1, &stmt, NULL) != SQLITE_OK)
	{
		ebuf_free(&b);
		return feat_exec(s, db, "SELECT * FROM main.__sim_ct_tables");
	}
	sqlite3_bind_int64(stmt, 1, upto);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		ebuf_printf(&b, "DELETE FROM \"__sim_ct_%lld\" WHERE ver <= %lld;",
					(long long) sqlite3_column_int64(stmt, 0), (long long) upto);
	sqlite3_finalize(stmt);
	ebuf_printf(&b, "UPDATE main.__sim_ct_tables SET cleanup_version = %lld,"
				" min_valid_version = max(begin_version, %lld) WHERE cleanup_version < %lld;"
				" DELETE FROM main.__sim_ct_commits WHERE version <= %lld;",
				(long long) upto, (long long) upto, (long long) upto, (long long) upto);
	ok = feat_exec(s, db, b.data);
	ebuf_free(&b);
	if (ok)
		engine_catalog_changed(s);
	return ok;
}

/*
 * Automatic cleanup (AUTO_CLEANUP = ON): drop what is older than the
 * retention period.  SQL Server runs it every 30 minutes; the stand-in runs
 * it at most every 10 seconds per session, from the commit of a tracked
 * write (so it never writes inside a read-only or SNAPSHOT reader).
 */
static void
ct_auto_cleanup(SimSession *s)
{
	sqlite3    *db = engine_db(s);
	CtSession  *cs = ct_state(s);
	sqlite3_stmt *stmt;
	int64_t		minutes = -1;
	int64_t		upto;
	time_t		now = time(NULL);
	char		sql[256];

	if (now - cs->last_auto_cleanup < 10)
		return;
	cs->last_auto_cleanup = now;
	if (sqlite3_prepare_v2(db, "SELECT retention_period * CASE retention_period_units WHEN 1 THEN 1"
						   " WHEN 2 THEN 60 ELSE 1440 END FROM main.__sim_ct_db"
						   " WHERE enabled = 1 AND is_auto_cleanup_on = 1", -1, &stmt, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		minutes = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (minutes < 0)
		return;
	snprintf(sql, sizeof(sql),
			 "SELECT max(version) FROM main.__sim_ct_commits"
			 " WHERE ts < strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '-%lld minutes')",
			 (long long) minutes);
	if (feat_query_int(db, sql, NULL, &upto))
		ct_cleanup_to(s, upto);
}

/* sim_test.force_ct_cleanup: cleanup up to a version, now. */
bool
ct_force_cleanup(SimSession *s, int64_t up_to)
{
	sqlite3    *db = engine_db(s);
	bool		ok;

	if (!ct_db_enabled(db))
	{
		engine_error(s, 22122, "Change tracking is not enabled on database '%s'.",
					 sim_session_database(s));
		return false;
	}
	if (!engine_stmt_begin(s))
		return false;
	if (up_to < 0)
		up_to = ct_current_version(db);
	ok = ct_cleanup_to(s, up_to);
	return engine_stmt_end(s, ok) && ok;
}

/* ------------------------------------------------------------------------
 * Statements
 * ------------------------------------------------------------------------
 */

typedef struct CtOptions
{
	bool		have_retention;
	int64_t		retention;
	int			units;			/* 1 minutes, 2 hours, 3 days */
	bool		have_auto;
	bool		auto_cleanup;
} CtOptions;

/*
 * Parse "( CHANGE_RETENTION = n [DAYS|HOURS|MINUTES] [, AUTO_CLEANUP = ON|OFF] )"
 * starting at the '('.  Advances *pos past ')'.  False after reporting 102.
 */
static bool
parse_ct_options(SimSession *s, const EngineStmt *st, int *pos, CtOptions *o)
{
	int			i = *pos + 1;

	for (;;)
	{
		if (engine_tok_is(st, i, "CHANGE_RETENTION") && engine_tok_op(st, i + 1, "=") &&
			st->tok[i + 2].type == TK_NUMBER)
		{
			o->have_retention = true;
			o->retention = atoll(st->tok[i + 2].text);
			o->units = 3;
			i += 3;
			if (engine_tok_is(st, i, "DAYS"))
				i++;
			else if (engine_tok_is(st, i, "HOURS"))
			{
				o->units = 2;
				i++;
			}
			else if (engine_tok_is(st, i, "MINUTES"))
			{
				o->units = 1;
				i++;
			}
		}
		else if (engine_tok_is(st, i, "AUTO_CLEANUP") && engine_tok_op(st, i + 1, "=") &&
				 (engine_tok_is(st, i + 2, "ON") || engine_tok_is(st, i + 2, "OFF")))
		{
			o->have_auto = true;
			o->auto_cleanup = engine_tok_is(st, i + 2, "ON");
			i += 3;
		}
		else
			break;
		if (engine_tok_op(st, i, ","))
		{
			i++;
			continue;
		}
		break;
	}
	if (!engine_tok_op(st, i, ")"))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.",
					 st->tok[i].type == TK_EOF ? ")" : st->tok[i].text);
		return false;
	}
	*pos = i + 1;
	return true;
}

static const char *
units_desc(int units)
{
	return units == 1 ? "MINUTES" : units == 2 ? "HOURS" : "DAYS";
}

/*
 * ALTER DATABASE <db> SET CHANGE_TRACKING { = ON [(opts)] | = OFF | (opts) };
 * i is the index of CHANGE_TRACKING.
 */
/*
 * sys.change_tracking_databases is server-wide (one row per CT-enabled
 * database), but each database keeps its CT settings in its own file.  The
 * view reads master's __sim_ct_databases, a copy of every database's
 * __sim_ct_db row while CT is on there, kept by this function inside the
 * ALTER DATABASE statement's transaction.  The row carries the database's
 * name: the view shows it only while db_id(name) still gives its id, so a
 * dropped database (or a new one that reuses the id) does not show.
 */
static bool
ct_publish_database(SimSession *s, bool quiet)
{
	const char *m = s->master_schema;
	int			id = s->database_id;
	char		sql[1024];

	snprintf(sql, sizeof(sql),
			 "DELETE FROM %s.__sim_ct_databases WHERE database_id = %d;"
			 " INSERT INTO %s.__sim_ct_databases SELECT %d,"
			 " (SELECT name FROM %s.__sim_databases WHERE database_id = %d), is_auto_cleanup_on,"
			 " retention_period, retention_period_units_desc, retention_period_units"
			 " FROM main.__sim_ct_db WHERE enabled = 1;",
			 m, id, m, id, m, id);
	return feat_exec(quiet ? NULL : s, engine_db(s), sql);
}

static EngineHookResult
ct_alter_database(SimSession *s, const char *dbname, const EngineStmt *st, int i)
{
	sqlite3    *db = engine_db(s);
	CtOptions	o;
	int			mode;			/* 1 ON, 0 OFF, 2 options only */
	bool		ok = true;
	int64_t		ntables = 0;
	char		sql[512];

	memset(&o, 0, sizeof(o));
	i++;
	if (engine_tok_op(st, i, "=") && engine_tok_is(st, i + 1, "ON"))
	{
		mode = 1;
		i += 2;
		if (engine_tok_op(st, i, "(") && !parse_ct_options(s, st, &i, &o))
			return ENGINE_HOOK_ERROR;
	}
	else if (engine_tok_op(st, i, "=") && engine_tok_is(st, i + 1, "OFF"))
	{
		mode = 0;
		i += 2;
	}
	else if (engine_tok_op(st, i, "("))
	{
		mode = 2;
		if (!parse_ct_options(s, st, &i, &o))
			return ENGINE_HOOK_ERROR;
	}
	else
	{
		engine_error(s, 102, "Incorrect syntax near 'CHANGE_TRACKING'.");
		return ENGINE_HOOK_ERROR;
	}
	if (st->tok[i].type != TK_EOF && !engine_tok_op(st, i, ";"))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		return ENGINE_HOOK_ERROR;
	}
	if (o.have_retention && (o.retention < 1 || (o.units == 1 && o.retention < 1)))
	{
		engine_error(s, 5096, "The retention period must be at least 1 minute.");
		return ENGINE_HOOK_ERROR;
	}
	if (engine_trancount(s) > 0)
	{
		engine_error(s, 226, "ALTER DATABASE statement not allowed within multi-statement transaction.");
		return ENGINE_HOOK_ERROR;
	}
	if (feat_is_system_db(dbname))
	{
		engine_error(s, 5090, "Change tracking cannot be enabled on system database '%s'.", dbname);
		return ENGINE_HOOK_ERROR;
	}

	if (!engine_stmt_begin(s))
		return ENGINE_HOOK_ERROR;
	feat_query_int(db, "SELECT count(*) FROM main.__sim_ct_tables", NULL, &ntables);
	if (mode == 1 && ct_db_enabled(db))
	{
		engine_error(s, 5088, "Change tracking is already enabled for database '%s'.", dbname);
		engine_error(s, 5069, "ALTER DATABASE statement failed.");
		ok = false;
	}
	else if (mode != 1 && !ct_db_enabled(db))
	{
		engine_error(s, 5089, "Change tracking is disabled for database '%s'.", dbname);
		engine_error(s, 5069, "ALTER DATABASE statement failed.");
		ok = false;
	}
	else if (mode == 0 && ntables > 0)
	{
		engine_error(s, 22115, "Change tracking is enabled for one or more tables in database '%s'."
					 " Disable change tracking on each table before disabling it for the database."
					 " Use the sys.change_tracking_tables catalog view to obtain a list of tables"
					 " for which change tracking is enabled.", dbname);
		engine_error(s, 5069, "ALTER DATABASE statement failed.");
		ok = false;
	}
	else if (mode == 1)
	{
		/*
		 * Defaults: CHANGE_RETENTION 2 DAYS (ALTER DATABASE SET options
		 * page).  The AUTO_CLEANUP default is not stated there
		 * (UNCONFIRMED): ON is chosen, the setting under which the
		 * retention period means anything, and what every example sets.
		 */
		snprintf(sql, sizeof(sql),
				 "UPDATE main.__sim_ct_db SET enabled = 1, retention_period = %lld,"
				 " retention_period_units = %d, retention_period_units_desc = '%s',"
				 " is_auto_cleanup_on = %d",
				 (long long) (o.have_retention ? o.retention : 2),
				 o.have_retention ? o.units : 3,
				 units_desc(o.have_retention ? o.units : 3),
				 o.have_auto ? (int) o.auto_cleanup : 1);
		ok = feat_exec(s, db, sql);
	}
	else if (mode == 0)
		ok = feat_exec(s, db, "UPDATE main.__sim_ct_db SET enabled = 0;"
					   " DELETE FROM main.__sim_ct_commits;");
	else
	{
		if (o.have_retention)
		{
			snprintf(sql, sizeof(sql),
					 "UPDATE main.__sim_ct_db SET retention_period = %lld,"
					 " retention_period_units = %d, retention_period_units_desc = '%s'",
					 (long long) o.retention, o.units, units_desc(o.units));
			ok = feat_exec(s, db, sql);
		}
		if (ok && o.have_auto)
		{
			snprintf(sql, sizeof(sql), "UPDATE main.__sim_ct_db SET is_auto_cleanup_on = %d",
					 (int) o.auto_cleanup);
			ok = feat_exec(s, db, sql);
		}
	}
	if (ok)
		ok = ct_publish_database(s, false);
	if (ok)
		engine_catalog_changed(s);
	if (!engine_stmt_end(s, ok) || !ok)
		return ENGINE_HOOK_ERROR;
	return ENGINE_HOOK_DONE;
}

/* FeatDbFn: ALTER DATABASE ... SET CHANGE_TRACKING run in its database. */
static EngineHookResult
ct_alter_database_in(SimSession *s, const char *dbname, const EngineStmt *st, void *arg)
{
	return ct_alter_database(s, dbname, st, 4);
}

/*
 * ALTER TABLE <t> ENABLE CHANGE_TRACKING [WITH (TRACK_COLUMNS_UPDATED = ON|OFF)]
 * ALTER TABLE <t> DISABLE CHANGE_TRACKING
 * i indexes ENABLE/DISABLE; schema/name are the table as written.
 */
static EngineHookResult
ct_alter_table(SimSession *s, const char *schema, const char *name,
			   const EngineStmt *st, int i)
{
	sqlite3    *db = engine_db(s);
	bool		enable = engine_tok_is(st, i, "ENABLE");
	bool		track_columns = false;
	bool		tracked;
	EngineTable *t;
	bool		ok = true;
	char		shown[2 * ENGINE_NAME_BUF + 2];
	int			k;

	i += 2;
	if (enable && engine_tok_is(st, i, "WITH"))
	{
		if (!(engine_tok_op(st, i + 1, "(") && engine_tok_is(st, i + 2, "TRACK_COLUMNS_UPDATED") &&
			  engine_tok_op(st, i + 3, "=") &&
			  (engine_tok_is(st, i + 4, "ON") || engine_tok_is(st, i + 4, "OFF")) &&
			  engine_tok_op(st, i + 5, ")")))
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i + 1].text ? st->tok[i + 1].text : "WITH");
			return ENGINE_HOOK_ERROR;
		}
		track_columns = engine_tok_is(st, i + 4, "ON");
		i += 6;
	}
	if (st->tok[i].type != TK_EOF && !engine_tok_op(st, i, ";"))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[i].text);
		return ENGINE_HOOK_ERROR;
	}
	t = engine_table_lookup(s, schema[0] ? schema : NULL, name);
	if (t == NULL || t->type[0] != 'U')
	{
		engine_error(s, 4902, "Cannot find the object \"%s\" because it does not exist or you do not have permissions.",
					 name);
		if (t)
			engine_table_free(t);
		return ENGINE_HOOK_ERROR;
	}
	snprintf(shown, sizeof(shown), "%s", t->name);
	tracked = ct_table_tracked(db, t->object_id, NULL);

	if (enable)
	{
		if (!ct_db_enabled(db))
		{
			engine_error(s, 1718, "Change tracking must be enabled on database '%s' before it can be enabled on table '%s'.",
						 sim_session_database(s), shown);
			ok = false;
		}
		else if (t->npk == 0)
		{
			engine_error(s, 4997, "Cannot enable change tracking on table '%s'. Change tracking requires a primary key"
						 " on the table. Create a primary key on the table before enabling change tracking.", shown);
			ok = false;
		}
		else if (tracked)
		{
			engine_error(s, 4996, "Change tracking is already enabled for table '%s'.", shown);
			ok = false;
		}
		for (k = 0; ok && k < t->npk; k++)
			if (t->cols[t->pk[k]].type.id == SIM_ROWVERSION)
			{
				engine_error(s, 4999, "Cannot enable change tracking on table '%s'. Change tracking does not"
							 " support a primary key of type timestamp on a table.", shown);
				ok = false;
			}
		if (ok && engine_stmt_begin(s))
		{
			int64_t		v = ct_current_version(db);
			char		sql[256];

			snprintf(sql, sizeof(sql),
					 "INSERT INTO main.__sim_ct_tables VALUES (%lld, %d, %lld, 0, %lld)",
					 (long long) t->object_id, (int) track_columns, (long long) v, (long long) v);
			ok = feat_exec(s, db, sql) && ct_make_side_table(s, t) &&
				ct_make_triggers(s, t, track_columns);
			if (ok)
				engine_catalog_changed(s);
			ok = engine_stmt_end(s, ok) && ok;
		}
		else
			ok = false;
	}
	else
	{
		if (!tracked)
		{
			engine_error(s, 4998, "Change tracking is not enabled on table '%s'.", shown);
			ok = false;
		}
		else if (engine_stmt_begin(s))
		{
			ok = ct_forget_table(s, t);
			if (ok)
				engine_catalog_changed(s);
			ok = engine_stmt_end(s, ok) && ok;
		}
		else
			ok = false;
	}
	engine_table_free(t);
	return ok ? ENGINE_HOOK_DONE : ENGINE_HOOK_ERROR;
}

/*
 * WITH CHANGE_TRACKING_CONTEXT ( expr ) <dml>: evaluate the context, keep it
 * for the triggers of this statement, and let the engine run the DML.
 */
static EngineHookResult
ct_with_context(SimSession *s, const EngineStmt *st, int *skip)
{
	CtSession  *cs = ct_state(s);
	int			close = engine_skip_parens(st, 2);
	sqlite3_value *v = NULL;
	SimType		hint;

	if (!engine_tok_op(st, 2, "(") || close <= 3)
	{
		engine_error(s, 102, "Incorrect syntax near 'CHANGE_TRACKING_CONTEXT'.");
		return ENGINE_HOOK_ERROR;
	}
	memset(&hint, 0, sizeof(hint));
	if (!engine_eval_expr(s, st, 3, close - 1, &v, &hint))
		return ENGINE_HOOK_ERROR;
	if (sqlite3_value_type(v) == SQLITE_NULL)
	{
		sqlite3_value_free(v);
		engine_error(s, 22108, "The change tracking context value cannot be NULL.");
		return ENGINE_HOOK_ERROR;
	}
	if (sqlite3_value_type(v) != SQLITE_BLOB)
	{
		sqlite3_value_free(v);
		engine_error(s, 22109, "The change tracking context value must be of type varbinary(128).");
		return ENGINE_HOOK_ERROR;
	}
	cs->ctxlen = sqlite3_value_bytes(v);
	if (cs->ctxlen > 128)
		cs->ctxlen = 128;
	memcpy(cs->ctx, sqlite3_value_blob(v), cs->ctxlen);
	cs->has_ctx = true;
	sqlite3_value_free(v);
	*skip = close;
	return ENGINE_HOOK_PASS;
}

/*
 * ALTER TABLE t DROP [CONSTRAINT] [IF EXISTS] name [, ...] on a tracked
 * table: dropping its PRIMARY KEY constraint is refused ("fails; disable
 * change tracking first", manage-change-tracking doc; the number 3735 is
 * the reference's, the text is the stand-in's), followed by 3727 as for
 * any failed DROP CONSTRAINT.  i indexes the token after DROP.  Anything
 * else passes to the engine.  (DROP COLUMN of a key column needs no check
 * here: the engine refuses it for every table with 5074 + 4922, as SQL
 * Server does.)
 */
static EngineHookResult
ct_drop_constraint(SimSession *s, const char *schema, const char *name,
				   const EngineStmt *st, int i)
{
	EngineTable *t;
	EngineHookResult r = ENGINE_HOOK_PASS;

	if (engine_tok_is(st, i, "CONSTRAINT"))
		i++;
	if (engine_tok_is(st, i, "IF") && engine_tok_is(st, i + 1, "EXISTS"))
		i += 2;
	t = engine_table_lookup(s, schema[0] ? schema : NULL, name);
	if (t == NULL || t->temp || t->pk_name == NULL ||
		!ct_table_tracked(engine_db(s), t->object_id, NULL))
	{
		if (t)
			engine_table_free(t);
		return ENGINE_HOOK_PASS;
	}
	for (; st->tok[i].type == TK_WORD || st->tok[i].type == TK_QIDENT; i++)
	{
		if (engine_strcasecmp(st->tok[i].text, t->pk_name) == 0)
		{
			engine_error(s, 3735, "Cannot drop the PRIMARY KEY constraint '%s' of table '%s' because change"
						 " tracking is enabled for the table. Disable change tracking on the table before"
						 " dropping the constraint.", t->pk_name, t->name);
			engine_error(s, 3727, "Could not drop constraint. See previous errors.");
			r = ENGINE_HOOK_ERROR;
			break;
		}
		if (!engine_tok_op(st, i + 1, ","))
			break;
		i++;
		if (engine_tok_is(st, i + 1, "CONSTRAINT"))
			i++;
	}
	engine_table_free(t);
	return r;
}

/* Statement hook: the CT statements, and the per-statement context reset. */
static EngineHookResult
ct_stmt_hook(SimSession *s, const EngineStmt *st, int *skip, void *arg)
{
	CtSession  *cs = ct_state(s);

	cs->has_ctx = false;
	cs->truncating = 0;
	feat_note_update(s, st, 0);
	if (st->ntok < 3)
		return ENGINE_HOOK_PASS;
	if (engine_tok_is(st, 0, "WITH") && engine_tok_is(st, 1, "CHANGE_TRACKING_CONTEXT"))
	{
		EngineHookResult r = ct_with_context(s, st, skip);

		if (r == ENGINE_HOOK_PASS)
			feat_note_update(s, st, *skip);
		return r;
	}
	if (!engine_tok_is(st, 0, "ALTER"))
		return ENGINE_HOOK_PASS;
	if (engine_tok_is(st, 1, "DATABASE"))
	{
		if (engine_tok_is(st, 3, "SET") && engine_tok_is(st, 4, "CHANGE_TRACKING") &&
			(st->tok[2].type == TK_WORD || st->tok[2].type == TK_QIDENT))
		{
			char		target[ENGINE_NAME_BUF];

			if (!feat_alter_database_target(s, st, target, sizeof(target)))
				return ENGINE_HOOK_ERROR;
			return feat_in_database(s, target, ct_alter_database_in, st, NULL);
		}
		return ENGINE_HOOK_PASS;
	}
	if (engine_tok_is(st, 1, "TABLE"))
	{
		int			i = 2;
		char		schema[ENGINE_NAME_BUF];
		char		name[ENGINE_NAME_BUF];

		if (!feat_parse_name(st, &i, schema, name, sizeof(name)))
			return ENGINE_HOOK_PASS;
		if ((engine_tok_is(st, i, "ENABLE") || engine_tok_is(st, i, "DISABLE")) &&
			engine_tok_is(st, i + 1, "CHANGE_TRACKING"))
			return ct_alter_table(s, schema, name, st, i);
		if (engine_tok_is(st, i, "DROP") && !engine_tok_is(st, i + 1, "COLUMN"))
			return ct_drop_constraint(s, schema, name, st, i + 1);
	}
	return ENGINE_HOOK_PASS;
}

/* ------------------------------------------------------------------------
 * CHANGETABLE
 * ------------------------------------------------------------------------
 */

/* "a.pk0 = b.pk0 AND a.pk1 = b.pk1" */
static void
append_key_match(EngineBuf *b, const char *a, const char *bb, int npk)
{
	int			k;

	for (k = 0; k < npk; k++)
		ebuf_printf(b, "%s%s.pk%d = %s.pk%d", k ? " AND " : "", a, k, bb, k);
}

/* The typed empty arm that gives the result its declared types. */
static void
append_type_arm(EngineBuf *b, const char *side, const char *cols, int npk)
{
	int			k;

	ebuf_printf(b, " UNION ALL SELECT %s", cols);
	for (k = 0; k < npk; k++)
		ebuf_printf(b, ", pk%d", k);
	ebuf_printf(b, " FROM \"%s\" WHERE 0", side);
}

/* SQL for CHANGETABLE(CHANGES t, baseline). */
static void
changes_sql(EngineBuf *out, const EngineTable *t, const char *baseline)
{
	char		side[64];
	EngineBuf	blb;
	const char *bl;
	int			k;

	side_name(side, sizeof(side), t->object_id);
	ebuf_init(&blb);
	ebuf_printf(&blb, "(%s)", baseline);
	bl = blb.data;
	ebuf_append(out, "(SELECT l.ver AS \"SYS_CHANGE_VERSION\",");
	ebuf_printf(out, " (SELECT i.ver FROM \"%s\" AS i WHERE ", side);
	append_key_match(out, "i", "l", t->npk);
	ebuf_append(out, " AND i.op = 'I' AND i.ver IS NOT NULL ORDER BY i.seq DESC LIMIT 1)"
				" AS \"SYS_CHANGE_CREATION_VERSION\","
				" CASE WHEN l.op = 'D' THEN 'D' WHEN f.op = 'I' THEN 'I' ELSE 'U' END"
				" AS \"SYS_CHANGE_OPERATION\","
				" CASE WHEN l.op = 'D' OR f.op = 'I' THEN NULL ELSE");
	ebuf_printf(out, " (SELECT sim_ct_mask_union(m.op, m.cols) FROM \"%s\" AS m WHERE ", side);
	append_key_match(out, "m", "l", t->npk);
	ebuf_printf(out, " AND m.ver IS NOT NULL AND (%s IS NULL OR m.ver > %s)) END"
				" AS \"SYS_CHANGE_COLUMNS\", l.ctx AS \"SYS_CHANGE_CONTEXT\"", bl, bl);
	for (k = 0; k < t->npk; k++)
	{
		ebuf_printf(out, ", l.pk%d AS ", k);
		ebuf_append_ident(out, t->cols[t->pk[k]].name);
	}
	ebuf_printf(out, " FROM (SELECT max(seq) AS lseq, min(seq) AS fseq FROM \"%s\""
				" WHERE ver IS NOT NULL AND (%s IS NULL OR ver > %s) GROUP BY ", side, bl, bl);
	for (k = 0; k < t->npk; k++)
		ebuf_printf(out, "%spk%d", k ? ", " : "", k);
	ebuf_printf(out, ") AS g JOIN \"%s\" AS l ON l.seq = g.lseq JOIN \"%s\" AS f ON f.seq = g.fseq",
				side, side);
	append_type_arm(out, side, "ver, ver, op, cols, ctx", t->npk);
	ebuf_append(out, ")");
	ebuf_free(&blb);
}

/* Split "(a, b)" (T-SQL text) into top-level comma-separated token ranges. */
static int
split_paren_list(const EngineStmt *st, int *from, int *to, int max)
{
	int			n = 0;
	int			i;
	int			depth = 0;
	int			start;

	if (!engine_tok_op(st, 0, "("))
		return -1;
	start = 1;
	for (i = 1; i < st->ntok; i++)
	{
		if (engine_tok_op(st, i, "("))
			depth++;
		else if (engine_tok_op(st, i, ")"))
		{
			if (depth == 0)
			{
				if (n < max && i > start)
				{
					from[n] = start;
					to[n] = i;
					n++;
				}
				return n;
			}
			depth--;
		}
		else if (depth == 0 && engine_tok_op(st, i, ","))
		{
			if (n < max)
			{
				from[n] = start;
				to[n] = i;
				n++;
			}
			start = i + 1;
		}
	}
	return -1;
}

/* SQL for CHANGETABLE(VERSION t, (cols), (values)). */
static bool
version_sql(SimSession *s, EngineBuf *out, const EngineTable *t,
			const char *cols_tsql, const char *vals_tsql, EngineTvfCall *call)
{
	EngineLexed lc;
	EngineLexed lv;
	EngineStmt	sc;
	EngineStmt	sv;
	int			cf[64], ct[64], vf[64], vt[64];
	int			nc;
	int			nv;
	int			errnum;
	char		errbuf[256];
	char		side[64];
	int			k;
	int			j;
	bool		ok = false;
	int			colpos[64];

	memset(&lc, 0, sizeof(lc));
	memset(&lv, 0, sizeof(lv));
	if (!engine_lex(cols_tsql, &lc, &errnum, errbuf, sizeof(errbuf)) ||
		!engine_lex(vals_tsql, &lv, &errnum, errbuf, sizeof(errbuf)))
	{
		engine_error(s, 102, "Incorrect syntax near 'VERSION'.");
		goto done;
	}
	sc.src = lc.src;
	sc.tok = lc.tok;
	sc.ntok = lc.ntok;
	sv.src = lv.src;
	sv.tok = lv.tok;
	sv.ntok = lv.ntok;
	nc = split_paren_list(&sc, cf, ct, 64);
	nv = split_paren_list(&sv, vf, vt, 64);
	if (nc < 0 || nv < 0)
	{
		engine_error(s, 102, "Incorrect syntax near 'VERSION'.");
		goto done;
	}
	if (nc != nv)
	{
		engine_error(s, 22103, "The number of values in the primary key value list does not match the number of columns in the column list.");
		goto done;
	}
	if (nc != t->npk)
	{
		engine_error(s, 22110, "The number of columns specified in the CHANGETABLE(VERSION ...) function does not match the number of primary key columns for table '%s'.",
					 t->name);
		goto done;
	}
	/* which key position each listed column is */
	for (j = 0; j < nc; j++)
	{
		const char *cn = sc.tok[ct[j] - 1].text;

		colpos[j] = -1;
		if (ct[j] - cf[j] < 1)
			break;
		for (k = 0; k < t->npk; k++)
			if (engine_strcasecmp(t->cols[t->pk[k]].name, cn) == 0)
				colpos[j] = k;
		if (colpos[j] < 0)
		{
			engine_error(s, 22111, "Column '%s' is not a primary key column of table '%s'.", cn, t->name);
			goto done;
		}
	}
	side_name(side, sizeof(side), t->object_id);
	ebuf_printf(out, "(SELECT (SELECT l.ver FROM \"%s\" AS l WHERE ", side);
	for (k = 0; k < t->npk; k++)
	{
		ebuf_printf(out, "%sl.pk%d = t.", k ? " AND " : "", k);
		ebuf_append_ident(out, t->cols[t->pk[k]].name);
	}
	ebuf_printf(out, " AND l.ver IS NOT NULL ORDER BY l.seq DESC LIMIT 1) AS \"SYS_CHANGE_VERSION\","
				" (SELECT l.ctx FROM \"%s\" AS l WHERE ", side);
	for (k = 0; k < t->npk; k++)
	{
		ebuf_printf(out, "%sl.pk%d = t.", k ? " AND " : "", k);
		ebuf_append_ident(out, t->cols[t->pk[k]].name);
	}
	ebuf_append(out, " AND l.ver IS NOT NULL ORDER BY l.seq DESC LIMIT 1) AS \"SYS_CHANGE_CONTEXT\"");
	for (k = 0; k < t->npk; k++)
	{
		ebuf_append(out, ", t.");
		ebuf_append_ident(out, t->cols[t->pk[k]].name);
		ebuf_append(out, " AS ");
		ebuf_append_ident(out, t->cols[t->pk[k]].name);
	}
	ebuf_append(out, " FROM ");
	ebuf_append_ident(out, t->sqlite_name);
	/*
	 * Under CROSS/OUTER APPLY the values usually refer to the outer row,
	 * which a subquery in FROM cannot see in SQLite: the subquery then
	 * covers every row and the key match goes to the join condition.
	 */
	ebuf_append(out, call->apply ? " AS t WHERE 1" : " AS t WHERE ");
	for (j = 0; j < nv; j++)
	{
		EngineBuf	e;
		SimType		hint;

		ebuf_init(&e);
		memset(&hint, 0, sizeof(hint));
		if (!engine_translate_expr(s, &sv, vf[j], vt[j], &e, &hint))
		{
			ebuf_free(&e);
			goto done;
		}
		if (call->apply && call->join_on)
		{
			if (call->join_on->len > 0)
				ebuf_append(call->join_on, " AND ");
			ebuf_append_ident(call->join_on, call->alias);
			ebuf_append(call->join_on, ".");
			ebuf_append_ident(call->join_on, t->cols[t->pk[colpos[j]]].name);
			ebuf_printf(call->join_on, " = (%s)", e.data);
		}
		else
		{
			ebuf_append(out, j ? " AND t." : "t.");
			ebuf_append_ident(out, t->cols[t->pk[colpos[j]]].name);
			ebuf_printf(out, " = (%s)", e.data);
		}
		ebuf_free(&e);
	}
	append_type_arm(out, side, "ver, ctx", t->npk);
	ebuf_append(out, ")");
	ok = true;
done:
	engine_lex_free(&lc);
	engine_lex_free(&lv);
	return ok;
}

/* TVF handler for CHANGETABLE(CHANGES ...) and CHANGETABLE(VERSION ...). */
static bool
ct_changetable(EngineTvfCall *call, EngineBuf *out, void *arg)
{
	SimSession *s = call->session;
	const char *a0;
	bool		is_changes;
	EngineTable *t;
	bool		ok;

	if (engine_strcasecmp(call->name, "changetable") != 0)
	{
		engine_error(s, 208, "Invalid object name '%s'.", call->name);
		return false;
	}
	if (call->nargs < 1)
	{
		engine_error(s, 102, "Incorrect syntax near ')'.");
		return false;
	}
	a0 = call->arg_tsql[0];
	while (isspace((unsigned char) *a0))
		a0++;
	if (strncasecmp(a0, "CHANGES", 7) == 0 && isspace((unsigned char) a0[7]))
		is_changes = true;
	else if (strncasecmp(a0, "VERSION", 7) == 0 && isspace((unsigned char) a0[7]))
		is_changes = false;
	else
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", a0);
		return false;
	}
	if ((is_changes && call->nargs != 2) || (!is_changes && call->nargs != 3))
	{
		engine_error(s, 102, "Incorrect syntax near 'CHANGETABLE'.");
		return false;
	}
	if (call->alias == NULL)
	{
		engine_error(s, 22104, "A table returned by the CHANGETABLE function must be aliased.");
		return false;
	}
	a0 += 7;
	while (isspace((unsigned char) *a0))
		a0++;
	t = feat_table_by_text(s, a0);
	if (t == NULL)
	{
		engine_error(s, 208, "Invalid object name '%s'.", a0);
		return false;
	}
	if (t->type[0] != 'U')
	{
		engine_error(s, 22107, "Object '%s' is of a data type that is not supported by the CHANGETABLE function. The object must be a user-defined table.",
					 t->name);
		engine_table_free(t);
		return false;
	}
	if (!ct_db_enabled(engine_db(s)) || !ct_table_tracked(engine_db(s), t->object_id, NULL))
	{
		engine_error(s, 22105, "Change tracking is not enabled on table '%s'.", t->name);
		engine_table_free(t);
		return false;
	}
	if (is_changes)
	{
		if (call->arg_sql[1] == NULL)
		{
			engine_error(s, 102, "Incorrect syntax near '%s'.", call->arg_tsql[1]);
			ok = false;
		}
		else
		{
			changes_sql(out, t, call->arg_sql[1]);
			ok = true;
		}
	}
	else
		ok = version_sql(s, out, t, call->arg_tsql[1], call->arg_tsql[2], call);
	engine_table_free(t);
	return ok;
}

/* ------------------------------------------------------------------------
 * Hooks
 * ------------------------------------------------------------------------
 */

/*
 * master's __sim_ct_databases (see ct_publish_database), created when
 * missing.  A database whose CT was turned on before the table existed
 * gets its row here, so the view is right after an upgrade too.
 */
static bool
ct_master_table(SimSession *s, sqlite3 *db, char *errbuf, size_t errlen)
{
	char		sql[1024];
	char	   *err = NULL;
	int64_t		n = 0;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s.sqlite_master WHERE name = '__sim_ct_databases'",
			 s->master_schema);
	if (feat_query_int(db, sql, NULL, &n) && n == 0)
	{
		snprintf(sql, sizeof(sql),
				 "CREATE TABLE IF NOT EXISTS %s.__sim_ct_databases (database_id INTEGER PRIMARY KEY,"
				 " name TEXT, is_auto_cleanup_on bit, retention_period int,"
				 " retention_period_units_desc \"nvarchar(60)\", retention_period_units tinyint)",
				 s->master_schema);
		if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		{
			snprintf(errbuf, errlen, "change tracking tables: %s", err ? err : "?");
			sqlite3_free(err);
			return false;
		}
	}
	if (ct_db_enabled(db))
	{
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s.__sim_ct_databases WHERE database_id = %d",
				 s->master_schema, s->database_id);
		/* best effort: a failure (master busy) is mended by the next ALTER */
		if (feat_query_int(db, sql, NULL, &n) && n == 0)
			(void) ct_publish_database(s, true);
	}
	return true;
}

/* Create the CT tables (if missing) and the internal functions on a handle. */
static bool
ct_conn_init(SimSession *s, sqlite3 *db, void *arg, char *errbuf, size_t errlen)
{
	char	   *err = NULL;

	if (!feat_table_exists(db, "__sim_ct_commits"))
	{
		char		sql[2048];

		snprintf(sql, sizeof(sql), "BEGIN IMMEDIATE; %s COMMIT;", ct_tables_ddl);
		if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		{
			snprintf(errbuf, errlen, "change tracking tables: %s", err ? err : "?");
			sqlite3_free(err);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return false;
		}
	}
	if (!ct_master_table(s, db, errbuf, errlen))
		return false;
	feat_assigned_create(s, db);
	sqlite3_create_function_v2(db, "sim_ct_mask", -1, SQLITE_UTF8, s, fn_ct_mask, NULL, NULL, NULL);
	sqlite3_create_function_v2(db, "sim_ct_mask_union", 2, SQLITE_UTF8, s, NULL,
							   fn_ct_mask_union_step, fn_ct_mask_union_final, NULL);
	sqlite3_create_function_v2(db, "sim_ct_context", 0, SQLITE_UTF8, s, fn_ct_context, NULL, NULL, NULL);
	sqlite3_create_function_v2(db, "sim_ct_on", 1, SQLITE_UTF8, s, fn_ct_on, NULL, NULL, NULL);
	return true;
}

/* DDL on tracked tables: keep triggers, drop CT data, TRUNCATE resets. */
static bool
ct_ddl_hook(SimSession *s, EngineDdlEvent ev, const EngineTable *t,
			const char *detail, void *arg)
{
	sqlite3    *db = engine_db(s);
	bool		track_columns;
	char		sql[512];
	int64_t		v;

	if (ev == ENGINE_DDL_DATABASE_CREATED && detail != NULL)
	{
		EngineBuf	b;
		bool		ok;

		/* a row left by a dropped database of that name is not the new one's */
		ebuf_init(&b);
		ebuf_printf(&b, "DELETE FROM %s.__sim_ct_databases WHERE name = ", s->master_schema);
		ebuf_append_literal(&b, detail);
		ebuf_append(&b, " COLLATE NOCASE");
		ok = feat_exec(s, db, b.data);
		ebuf_free(&b);
		return ok;
	}
	if (t == NULL || !ct_table_tracked(db, t->object_id, &track_columns))
		return true;
	switch (ev)
	{
		case ENGINE_DDL_TABLE_ALTERED:
			/* a dropped key column is refused by the engine (5074-style) */
			return ct_make_triggers(s, t, track_columns);
		case ENGINE_DDL_TABLE_DROPPING:
			if (!ct_forget_table(s, t))
				return false;
			engine_catalog_changed(s);
			return true;
		case ENGINE_DDL_TABLE_TRUNCATING:

			/*
			 * "reset as if change tracking has just been enabled": the
			 * deleted rows are not tracked, begin_version and
			 * min_valid_version move to a new version, so every client's
			 * validation fails (CHANGETABLE and manage-change-tracking
			 * docs).  The version is bumped so no client can already hold
			 * it.
			 */
			ct_state(s)->truncating = t->object_id;
			v = ct_current_version(db) + 1;
			snprintf(sql, sizeof(sql),
					 "DELETE FROM \"__sim_ct_%lld\";"
					 " UPDATE main.__sim_ct_db SET version = %lld;"
					 " INSERT OR REPLACE INTO main.__sim_ct_commits VALUES (%lld, strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now'));"
					 " UPDATE main.__sim_ct_tables SET begin_version = %lld, min_valid_version = %lld"
					 " WHERE object_id = %lld;",
					 (long long) t->object_id, (long long) v, (long long) v,
					 (long long) v, (long long) v, (long long) t->object_id);
			if (!feat_exec(s, db, sql))
				return false;
			engine_catalog_changed(s);
			return true;
		default:
			return true;
	}
}

/*
 * PRE_COMMIT: give the transaction's change events one new version.
 * ROLLED_BACK/COMMITTED: forget per-transaction state.
 */
static bool
ct_txn_hook(SimSession *s, EngineTxnEvent ev, void *arg)
{
	sqlite3    *db = engine_db(s);
	sqlite3_stmt *stmt;
	EngineBuf	b;
	int64_t		v;
	int			n = 0;
	bool		ok;

	if (ev == ENGINE_TXN_ROLLED_BACK || ev == ENGINE_TXN_COMMITTED)
	{
		ct_state(s)->truncating = 0;
		return true;
	}
	if (ev != ENGINE_TXN_PRE_COMMIT)
		return true;
	if (sqlite3_prepare_v2(db, "SELECT object_id FROM main.__sim_ct_pending", -1, &stmt, NULL) != SQLITE_OK)
		return true;			/* no CT tables in this database */
	ebuf_init(&b);
	v = ct_current_version(db) + 1;
	while (sqlite3_step(stmt) == SQLITE_ROW)
	{
		ebuf_printf(&b, "UPDATE \"__sim_ct_%lld\" SET ver = %lld WHERE ver IS NULL;",
					(long long) sqlite3_column_int64(stmt, 0), (long long) v);
		n++;
	}
	sqlite3_finalize(stmt);
	if (n == 0)
	{
		ebuf_free(&b);
		return true;
	}
	ebuf_printf(&b, "UPDATE main.__sim_ct_db SET version = %lld;"
				" INSERT OR REPLACE INTO main.__sim_ct_commits VALUES (%lld, strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now'));"
				" DELETE FROM main.__sim_ct_pending;",
				(long long) v, (long long) v);
	ok = feat_exec(s, db, b.data);
	ebuf_free(&b);
	if (ok)
		ct_auto_cleanup(s);
	return ok;
}

/* ------------------------------------------------------------------------
 * Registration
 * ------------------------------------------------------------------------
 */

void
engine_ct_register(void)
{
	static const SimType bigint = {SIM_BIGINT, 0, 0, 0};
	static const SimType bit = {SIM_BIT, 0, 0, 0};

	ct_slot = engine_ext_slot(free);
	feat_assigned_register();
	engine_register_stmt_hook(ct_stmt_hook, NULL);
	engine_register_conn_init(ct_conn_init, NULL);
	engine_register_ddl_hook(ct_ddl_hook, NULL);
	engine_register_txn_hook(ct_txn_hook, NULL);
	engine_register_tvf("changetable", ct_changetable, NULL);
	engine_register_function("CHANGE_TRACKING_CURRENT_VERSION", 0, SQLITE_UTF8,
							 fn_current_version, &bigint);
	engine_register_function("CHANGE_TRACKING_MIN_VALID_VERSION", 1, SQLITE_UTF8,
							 fn_min_valid_version, &bigint);
	engine_register_function("CHANGE_TRACKING_IS_COLUMN_IN_MASK", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
							 fn_is_column_in_mask, &bit);
	engine_register_catalog_view("sys.change_tracking_databases",
								 "database_id int, is_auto_cleanup_on bit, retention_period int,"
								 " retention_period_units_desc nvarchar(60), retention_period_units tinyint",
								 "SELECT database_id, is_auto_cleanup_on, retention_period,"
								 " retention_period_units_desc, retention_period_units"
								 " FROM @MASTER@.__sim_ct_databases WHERE db_id(name) = database_id"
								 " ORDER BY database_id");
	engine_register_catalog_view("sys.change_tracking_tables",
								 "object_id int, is_track_columns_updated_on bit, begin_version bigint,"
								 " cleanup_version bigint, min_valid_version bigint",
								 "SELECT object_id, is_track_columns_updated_on, begin_version,"
								 " cleanup_version, min_valid_version FROM main.__sim_ct_tables");
}
