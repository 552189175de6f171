/*
 * engine_snapshot.c
 *		SNAPSHOT isolation for the stand-in: ALTER DATABASE ... SET
 *		ALLOW_SNAPSHOT_ISOLATION ON|OFF, error 3952 when a SNAPSHOT
 *		transaction touches a database that does not allow it, pinning the
 *		transaction's view at its first read, and update conflicts (3960).
 *
 * Reads.  The engine opens a SNAPSHOT transaction with a deferred BEGIN;
 * the WAL read transaction that SQLite starts at the first data access is
 * SQL Server's "one consistent state from the first data access on": every
 * table, CHANGE_TRACKING_CURRENT_VERSION() and the CDC tables are read from
 * that one WAL snapshot (S0) while other connections keep committing.
 *
 * Writes, and why they cannot simply be row-versioned.  SQL Server lets a
 * SNAPSHOT transaction write on top of S0 and raises 3960 only when a row
 * it updates or deletes was changed by a transaction that committed after
 * S0 (an insert of a key that such a transaction inserted is 2627, checked
 * against current data).  SQLite's WAL is one linear history with one
 * writer: a write transaction always works on the newest state, and a read
 * transaction on S0 cannot be upgraded once another connection committed
 * (SQLITE_BUSY_SNAPSHOT).  So the stand-in cannot have "S0 plus my own
 * writes" in one SQLite transaction; a faithful copy would need a private
 * branch of the database (a copy of S0 written by the transaction, merged
 * into the newest state at COMMIT with per-row conflict checks), which
 * would also have to re-derive identity values, rowversions, CT versions,
 * CDC LSNs and the side tables written by triggers: not done.
 *
 * What the stand-in does instead, soundly: every commit logs which tables
 * it wrote (__sim_snap_log: commit sequence, SQLite table name; collected
 * by an SQLite pre-update hook, written at PRE_COMMIT).  A SNAPSHOT
 * transaction records the sequence it started at.  When its first write
 * statement comes, it gives up S0 for the newest state (ends the read
 * transaction, BEGIN IMMEDIATE, so no one else can commit any more) and
 * reads the log: the set R of tables that others changed since S0.  From
 * then on the newest state equals S0 except in the tables of R, so:
 *   - R empty: nothing was lost (the plain case, as before);
 *   - a statement (this one or any later one of the transaction) that
 *     names a table of R, or reads something derived from them (CT
 *     functions when CT data changed, CDC objects when CDC data changed,
 *     any view, a procedure, another database) cannot be given S0 and
 *     gets 3960, ending the transaction;
 *   - everything else runs and sees exactly what SQL Server would show.
 * The rebase is refused (3960 at once) when the log cannot tell (history
 * pruned), when other transactions changed the catalog (DDL), when the
 * transaction holds savepoints or reads other databases.
 *
 * Left conservative, and why: 3960 is raised per table, not per row -- a
 * write to another row of a table that someone changed since S0 fails
 * where SQL Server succeeds (after the rebase the transaction would read
 * the other transaction's rows of that table), and an INSERT of a key that
 * another transaction inserted gets 3960, not 2627.  A write that the
 * statement check does not recognise as one (say, inside a procedure)
 * still meets SQLITE_BUSY_SNAPSHOT, which the engine reports as 3960.
 * Also unlike SQL Server, a SNAPSHOT transaction that wrote holds the
 * database's only write lock until it ends, so other writers wait.
 *
 * The flag lives in master's __sim_databases.snapshot_isolation_state
 * (0 OFF, 1 ON), which sys.databases shows.
 */
/* the system SQLite is built with the pre-update hook; declare it */
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine_int.h"
#include "engine_feat.h"

/* tables remembered per transaction; more than that logs "*" (everything) */
#define SNAP_MAX_NAMES 64
/* commits kept in __sim_snap_log; an older snapshot cannot be rebased */
#define SNAP_KEEP_COMMITS 10000

typedef struct SnapSession
{
	/* SQLite tables of "main" written by the open transaction */
	int			nwritten;
	bool		written_overflow;
	char		written[SNAP_MAX_NAMES][ENGINE_NAME_BUF];

	/* the open SNAPSHOT transaction */
	bool		have_start;		/* start_cseq is valid */
	int64_t		start_cseq;		/* last commit in the log at its snapshot */
	bool		rebased;		/* it now works on the newest state */
	bool		user_savepoint; /* SAVE TRAN seen: no rebase */
	int			nstale;			/* user tables others changed since S0 */
	char		stale[SNAP_MAX_NAMES][ENGINE_NAME_BUF];	/* bare names */
	bool		stale_ct;		/* CT data changed since S0 */
	bool		stale_cdc;		/* CDC data changed since S0 */
} SnapSession;

static int	snap_slot = -1;

static SnapSession *
snap_state(SimSession *s)
{
	SnapSession *ss = engine_ext_get(s, snap_slot);

	if (ss == NULL)
	{
		ss = emalloc(sizeof(SnapSession));
		memset(ss, 0, sizeof(SnapSession));
		engine_ext_set(s, snap_slot, ss);
	}
	return ss;
}

/* Forget the transaction's state (it committed or rolled back). */
static void
snap_txn_reset(SnapSession *ss)
{
	ss->nwritten = 0;
	ss->written_overflow = false;
	ss->have_start = false;
	ss->start_cseq = 0;
	ss->rebased = false;
	ss->user_savepoint = false;
	ss->nstale = 0;
	ss->stale_ct = false;
	ss->stale_cdc = false;
}

/* snapshot_isolation_state of the session's database (0 when unknown). */
static int64_t
snapshot_state(SimSession *s)
{
	char		sql[256];
	int64_t		v = 0;
	int64_t		id = s->database_id;

	snprintf(sql, sizeof(sql),
			 "SELECT snapshot_isolation_state FROM %s.__sim_databases WHERE database_id = ?1",
			 s->master_schema);
	feat_query_int(engine_db(s), sql, &id, &v);
	return v;
}

/* True if text starts with prefix (ASCII, case-insensitive). */
static bool
has_prefix_ci(const char *text, const char *prefix)
{
	size_t		n = strlen(prefix);

	return strlen(text) >= n && strncasecmp(text, prefix, n) == 0;
}

/*
 * True if the statement reads or writes a user table of the current
 * database: a name after FROM, JOIN, APPLY, UPDATE, INTO, DELETE, TABLE or
 * CHANGETABLE's CHANGES/VERSION that is not a catalog view or a function,
 * or a CDC query function (cdc.fn_cdc_get_all_changes_<ci>, _net_changes_),
 * which reads the capture instance's change table.  Scalar functions that
 * read internal data (CHANGE_TRACKING_CURRENT_VERSION(), sys.fn_cdc_*)
 * do not count, like catalog reads.
 */
static bool
touches_user_table(SimSession *s, const EngineStmt *st)
{
	static const char *const kw[] = {"FROM", "JOIN", "APPLY", "UPDATE", "INTO", "DELETE",
	"TABLE", "CHANGES", "VERSION", NULL};
	int			i;

	for (i = 0; i < st->ntok; i++)
	{
		int			k;
		int			j = i + 1;
		char		schema[ENGINE_NAME_BUF];
		char		name[ENGINE_NAME_BUF];
		EngineTable *t;
		bool		user;

		if (st->tok[i].type != TK_WORD)
			continue;
		for (k = 0; kw[k]; k++)
			if (engine_strcasecmp(st->tok[i].text, kw[k]) == 0)
				break;
		if (kw[k] == NULL || !feat_parse_name(st, &j, schema, name, sizeof(name)))
			continue;
		/* cdc.fn_cdc_get_all_changes_<ci>(...), _net_changes_: read cdc.<ci>_CT */
		if (engine_tok_op(st, j, "(") && engine_strcasecmp(schema, "cdc") == 0 &&
			has_prefix_ci(name, "fn_cdc_get_"))
			return true;
		if (engine_tok_op(st, j, "(") || engine_strcasecmp(schema, "sys") == 0 ||
			engine_strcasecmp(schema, "INFORMATION_SCHEMA") == 0)
			continue;
		t = engine_table_lookup(s, schema[0] ? schema : NULL, name);
		user = t != NULL;
		if (t)
			engine_table_free(t);
		if (user)
			return true;
	}
	return false;
}

/*
 * 3960: SQL Server's text, naming the table (schema.name as SQLite names
 * it); the transaction ends, as on SQL Server.
 */
static EngineHookResult
snap_conflict(SimSession *s, const char *table)
{
	engine_error(s, 3960, "Snapshot isolation transaction aborted due to update conflict. You cannot use"
				 " snapshot isolation to access table '%s' directly or indirectly in database '%s' to"
				 " update, delete, or insert the row that has been modified or deleted by another"
				 " transaction. Retry the transaction or change the isolation level for the"
				 " update/delete statement.", table, sim_session_database(s));
	engine_rollback_tran(s, true);
	return ENGINE_HOOK_ERROR;
}

/*
 * True if the statement may write: it starts with a DML, DDL or EXEC
 * keyword, or is a SELECT ... INTO.  A miss only costs precision (the
 * write then meets SQLITE_BUSY_SNAPSHOT: 3960 as before), a false hit
 * only an early rebase, which is checked like any rebase.
 */
static bool
stmt_may_write(const EngineStmt *st)
{
	static const char *const kw[] = {"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "CREATE",
	"ALTER", "DROP", "EXEC", "EXECUTE", "WITH", NULL};
	int			k;
	int			i;

	for (k = 0; kw[k]; k++)
		if (engine_tok_is(st, 0, kw[k]))
			return true;
	if (engine_tok_is(st, 0, "SELECT"))
		for (i = 1; i < st->ntok; i++)
			if (st->tok[i].type == TK_WORD && engine_strcasecmp(st->tok[i].text, "INTO") == 0)
				return true;
	return false;
}

/* Case-insensitive substring test (ASCII). */
static bool
contains_ci(const char *text, const char *part)
{
	size_t		n = strlen(part);
	const char *p;

	for (p = text; *p; p++)
	{
		size_t		k;

		for (k = 0; k < n && p[k] &&
			 tolower((unsigned char) p[k]) == tolower((unsigned char) part[k]); k++)
			;
		if (k == n)
			return true;
	}
	return false;
}

/*
 * After a rebase: true (and the table to name in *bad) if the statement
 * may read data that differs from the transaction's snapshot S0, i.e.
 * anything in the stale set.  Deliberately coarse: any identifier equal
 * to a stale table's name; CT functions and views when CT data changed;
 * anything naming CDC when CDC data changed; any view (it reads tables the
 * statement does not name); a three-part name (another database, whose
 * snapshot was given up too); EXEC of anything but sp_executesql (whose
 * statements come through this hook themselves).
 */
static bool
stmt_reads_stale(SimSession *s, const SnapSession *ss, const EngineStmt *st,
				 char *bad, size_t badlen)
{
	static const char *const kw[] = {"FROM", "JOIN", "APPLY", "UPDATE", "INTO", "DELETE",
	"TABLE", "MERGE", NULL};
	int			i;

	if (ss->nstale == 0 && !ss->stale_ct && !ss->stale_cdc)
		return false;
	for (i = 0; i < st->ntok; i++)
	{
		const char *text = st->tok[i].text;
		int			k;

		if (st->tok[i].type != TK_WORD && st->tok[i].type != TK_QIDENT)
			continue;
		snprintf(bad, badlen, "%s", text);
		for (k = 0; k < ss->nstale; k++)
			if (engine_strcasecmp(text, ss->stale[k]) == 0)
				return true;
		if (ss->stale_ct && (contains_ci(text, "CHANGE_TRACKING") || contains_ci(text, "CHANGETABLE")))
			return true;
		if (ss->stale_cdc && contains_ci(text, "cdc"))
			return true;
		if (engine_tok_op(st, i + 1, ".") && st->tok[i + 2].type != TK_OP &&
			engine_tok_op(st, i + 3, "."))
			return true;		/* db.schema.name */
		if (st->tok[i].type == TK_WORD &&
			(engine_strcasecmp(text, "EXEC") == 0 || engine_strcasecmp(text, "EXECUTE") == 0))
		{
			int			j = i + 1;
			char		schema[ENGINE_NAME_BUF];
			char		name[ENGINE_NAME_BUF];

			if (st->tok[j].type == TK_VAR && engine_tok_op(st, j + 1, "="))
				j += 2;
			if (!feat_parse_name(st, &j, schema, name, sizeof(name)) ||
				engine_strcasecmp(name, "sp_executesql") != 0)
			{
				snprintf(bad, badlen, "%s", name);
				return true;
			}
		}
		for (k = 0; kw[k]; k++)
			if (engine_strcasecmp(text, kw[k]) == 0)
				break;
		if (kw[k] != NULL && st->tok[i].type == TK_WORD)
		{
			int			j = i + 1;
			char		schema[ENGINE_NAME_BUF];
			char		name[ENGINE_NAME_BUF];
			EngineTable *t;
			bool		view;

			if (!feat_parse_name(st, &j, schema, name, sizeof(name)) ||
				engine_strcasecmp(schema, "sys") == 0 ||
				engine_strcasecmp(schema, "INFORMATION_SCHEMA") == 0)
				continue;
			t = engine_table_lookup(s, schema[0] ? schema : NULL, name);
			view = t != NULL && t->type[0] == 'V';
			if (t)
				engine_table_free(t);
			if (view)
			{
				snprintf(bad, badlen, "%s", name);
				return true;
			}
		}
	}
	return false;
}

/*
 * The first write of a SNAPSHOT transaction: give up S0 for the newest
 * state (see the head comment) and work out what others changed since.
 * Returns PASS to let the statement run, or ERROR after 3960.  Refused
 * (PASS without a rebase: SQLite then upgrades S0 if nobody committed,
 * else the engine reports 3960) when a savepoint is open (a COMMIT of the
 * read transaction would drop it) or another database is attached (its
 * snapshot would be lost as well).
 */
static EngineHookResult
snap_rebase(SimSession *s, SnapSession *ss, const EngineStmt *st)
{
	sqlite3    *db = engine_db(s);
	sqlite3_stmt *q;
	int64_t		oldest = 0;
	char		bad[ENGINE_NAME_BUF];
	int			rc;

	if (s->stmt_savepoints > 0 || ss->user_savepoint || s->nattached > 0)
		return ENGINE_HOOK_PASS;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return ENGINE_HOOK_PASS;	/* still on S0: the engine goes on as before */
	rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
	{
		/* lock timeout or attention while waiting: S0 is gone, so is the transaction */
		engine_error_sqlite(s, rc);
		if (!engine_failed(s))
			engine_error(s, 1222, "Lock request time out period exceeded.");
		engine_rollback_tran(s, true);
		return ENGINE_HOOK_ERROR;
	}
	ss->rebased = true;

	/* history pruned past our start: cannot tell what changed */
	if (feat_query_int(db, "SELECT min(cseq) FROM main.__sim_snap_log", NULL, &oldest) &&
		oldest > ss->start_cseq + 1)
		return snap_conflict(s, "?");
	if (sqlite3_prepare_v2(db, "SELECT DISTINCT name FROM main.__sim_snap_log WHERE cseq > ?1",
						   -1, &q, NULL) != SQLITE_OK)
		return snap_conflict(s, "?");
	sqlite3_bind_int64(q, 1, ss->start_cseq);
	while (sqlite3_step(q) == SQLITE_ROW)
	{
		const char *name = (const char *) sqlite3_column_text(q, 0);
		const char *dot = strchr(name, '.');

		if (strcmp(name, "*") == 0)
		{
			sqlite3_finalize(q);
			return snap_conflict(s, "?");
		}
		if (strncmp(name, "__sim_ct_", 9) == 0)
			ss->stale_ct = true;
		else if (strncmp(name, "__sim_cdc_", 10) == 0 || strncmp(name, "cdc.", 4) == 0)
			ss->stale_cdc = true;
		else if (strcmp(name, "__sim_meta") == 0 || strcmp(name, "__sim_identity") == 0 ||
				 strncmp(name, "sqlite_", 7) == 0)
			continue;			/* counters SQL Server does not version either */
		else if (strncmp(name, "__sim_", 6) == 0)
		{
			/* the catalog changed (DDL): not worth a partial answer */
			snprintf(bad, sizeof(bad), "%s", name);
			sqlite3_finalize(q);
			return snap_conflict(s, bad);
		}
		if (strncmp(name, "cdc.", 4) == 0 || strncmp(name, "__sim_", 6) == 0)
			continue;
		if (ss->nstale >= SNAP_MAX_NAMES)
		{
			sqlite3_finalize(q);
			return snap_conflict(s, name);
		}
		snprintf(ss->stale[ss->nstale++], ENGINE_NAME_BUF, "%s", dot ? dot + 1 : name);
	}
	sqlite3_finalize(q);
	if (stmt_reads_stale(s, ss, st, bad, sizeof(bad)))
		return snap_conflict(s, bad);
	return ENGINE_HOOK_PASS;
}

/*
 * Writes of a SNAPSHOT transaction (see the head comment): the first one
 * rebases, and every statement after a rebase is checked against what
 * others changed since the snapshot.
 */
static EngineHookResult
snap_check_statement(SimSession *s, const EngineStmt *st)
{
	SnapSession *ss;
	char		bad[ENGINE_NAME_BUF];

	if (engine_isolation(s) != ENGINE_ISO_SNAPSHOT || !s->sqlite_txn)
		return ENGINE_HOOK_PASS;
	ss = snap_state(s);
	if (!ss->have_start)
		return ENGINE_HOOK_PASS;
	if (engine_tok_is(st, 0, "SAVE"))
		ss->user_savepoint = true;
	if (ss->rebased)
	{
		if (stmt_reads_stale(s, ss, st, bad, sizeof(bad)))
			return snap_conflict(s, bad);
		return ENGINE_HOOK_PASS;
	}
	if (stmt_may_write(st) && sqlite3_txn_state(engine_db(s), "main") == SQLITE_TXN_READ)
		return snap_rebase(s, ss, st);
	return ENGINE_HOOK_PASS;
}

static EngineHookResult snapshot_alter_database(SimSession *s, const char *dbname,
												const EngineStmt *st, void *arg);

/*
 * Statement hook: ALTER DATABASE <db> SET ALLOW_SNAPSHOT_ISOLATION
 * { ON | OFF }, and 3952 for a SNAPSHOT statement that touches a user table
 * of a database that does not allow snapshot isolation.  3952 comes at
 * the first user-table access: SET TRANSACTION ISOLATION LEVEL SNAPSHOT,
 * BEGIN TRAN and catalog reads succeed (the reference's reading).
 */
static EngineHookResult
snapshot_stmt_hook(SimSession *s, const EngineStmt *st, int *skip, void *arg)
{
	char		target[ENGINE_NAME_BUF];

	if (engine_isolation(s) == ENGINE_ISO_SNAPSHOT && snapshot_state(s) != 1 &&
		touches_user_table(s, st))
	{
		engine_error(s, 3952, "Snapshot isolation transaction failed accessing database '%s' because"
					 " snapshot isolation is not allowed in this database. Use ALTER DATABASE to allow"
					 " snapshot isolation.", sim_session_database(s));
		return ENGINE_HOOK_ERROR;
	}
	if (snap_check_statement(s, st) == ENGINE_HOOK_ERROR)
		return ENGINE_HOOK_ERROR;
	if (!(engine_tok_is(st, 0, "ALTER") && engine_tok_is(st, 1, "DATABASE") &&
		  engine_tok_is(st, 3, "SET") && engine_tok_is(st, 4, "ALLOW_SNAPSHOT_ISOLATION")))
		return ENGINE_HOOK_PASS;
	if (!(engine_tok_is(st, 5, "ON") || engine_tok_is(st, 5, "OFF")) ||
		(st->tok[6].type != TK_EOF && !engine_tok_op(st, 6, ";")))
	{
		engine_error(s, 102, "Incorrect syntax near 'ALLOW_SNAPSHOT_ISOLATION'.");
		return ENGINE_HOOK_ERROR;
	}
	if (!feat_alter_database_target(s, st, target, sizeof(target)))
		return ENGINE_HOOK_ERROR;
	return feat_in_database(s, target, snapshot_alter_database, st, NULL);
}

/* FeatDbFn: ALTER DATABASE ... SET ALLOW_SNAPSHOT_ISOLATION in its database. */
static EngineHookResult
snapshot_alter_database(SimSession *s, const char *dbname, const EngineStmt *st, void *arg)
{
	bool		on = engine_tok_is(st, 5, "ON");
	char		sql[256];
	bool		ok;

	if (engine_trancount(s) > 0)
	{
		engine_error(s, 226, "ALTER DATABASE statement not allowed within multi-statement transaction.");
		return ENGINE_HOOK_ERROR;
	}
	snprintf(sql, sizeof(sql),
			 "UPDATE %s.__sim_databases SET snapshot_isolation_state = %d WHERE database_id = %d",
			 s->master_schema, on ? 1 : 0, s->database_id);
	if (!engine_stmt_begin(s))
		return ENGINE_HOOK_ERROR;
	ok = feat_exec(s, engine_db(s), sql);
	if (!engine_stmt_end(s, ok) || !ok)
		return ENGINE_HOOK_ERROR;
	return ENGINE_HOOK_DONE;
}

/*
 * SQLite pre-update hook of every session handle: remember which tables of
 * the current database ("main") the open transaction writes.  Triggers'
 * writes (CT side tables, CDC change tables) come through here too.
 */
static void
snap_preupdate(void *arg, sqlite3 *db, int op, const char *zdb, const char *zname,
			   sqlite3_int64 key1, sqlite3_int64 key2)
{
	SnapSession *ss;
	int			i;

	if (strcmp(zdb, "main") != 0 || strcmp(zname, "__sim_snap_log") == 0)
		return;
	ss = snap_state((SimSession *) arg);
	for (i = 0; i < ss->nwritten; i++)
		if (strcmp(ss->written[i], zname) == 0)
			return;
	if (ss->nwritten >= SNAP_MAX_NAMES || strlen(zname) >= ENGINE_NAME_BUF)
	{
		ss->written_overflow = true;
		return;
	}
	snprintf(ss->written[ss->nwritten++], ENGINE_NAME_BUF, "%s", zname);
}

/* Create __sim_snap_log when missing and install the pre-update hook. */
static bool
snapshot_conn_init(SimSession *s, sqlite3 *db, void *arg, char *errbuf, size_t errlen)
{
	char	   *err = NULL;

	if (!feat_table_exists(db, "__sim_snap_log") &&
		sqlite3_exec(db, "BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS __sim_snap_log"
					 " (cseq INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (cseq, name)); COMMIT;",
					 NULL, NULL, &err) != SQLITE_OK)
	{
		snprintf(errbuf, errlen, "snapshot log: %s", err ? err : "?");
		sqlite3_free(err);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	sqlite3_preupdate_hook(db, snap_preupdate, s);
	return true;
}

/*
 * PRE_COMMIT: log the tables this transaction wrote under the next commit
 * sequence (one writer at a time: sequences follow commit order), and now
 * and then drop entries older than SNAP_KEEP_COMMITS commits.
 */
static bool
snap_log_commit(SimSession *s, SnapSession *ss)
{
	sqlite3    *db = engine_db(s);
	int64_t		next = 0;
	EngineBuf	b;
	int			i;
	bool		ok;

	if (ss->nwritten == 0 && !ss->written_overflow)
		return true;
	if (!feat_query_int(db, "SELECT ifnull(max(cseq), 0) + 1 FROM main.__sim_snap_log", NULL, &next))
		return true;			/* no log in this database (cannot happen after conn init) */
	ebuf_init(&b);
	ebuf_append(&b, "INSERT OR IGNORE INTO main.__sim_snap_log(cseq, name) VALUES ");
	for (i = 0; i < ss->nwritten; i++)
	{
		ebuf_printf(&b, "%s(%lld, ", i ? ", " : "", (long long) next);
		ebuf_append_literal(&b, ss->written[i]);
		ebuf_append(&b, ")");
	}
	if (ss->written_overflow)
		ebuf_printf(&b, "%s(%lld, '*')", i ? ", " : "", (long long) next);
	if (next % 256 == 0)
		ebuf_printf(&b, "; DELETE FROM main.__sim_snap_log WHERE cseq <= %lld",
					(long long) (next - SNAP_KEEP_COMMITS));
	ok = feat_exec(s, db, b.data);
	ebuf_free(&b);
	return ok;
}

/*
 * BEGIN of a SNAPSHOT transaction in a database that allows it: read the
 * last logged commit, which starts the WAL read transaction (S0) now, so
 * that the whole transaction reads one state and knows where it began.
 * PRE_COMMIT: log the written tables.  COMMITTED / ROLLED_BACK: forget.
 */
static bool
snapshot_txn_hook(SimSession *s, EngineTxnEvent ev, void *arg)
{
	SnapSession *ss = snap_state(s);

	switch (ev)
	{
		case ENGINE_TXN_BEGIN:
			snap_txn_reset(ss);
			if (engine_isolation(s) != ENGINE_ISO_SNAPSHOT || snapshot_state(s) != 1)
				return true;	/* 3952 comes from the statement hook */
			ss->have_start = feat_query_int(engine_db(s),
											"SELECT ifnull(max(cseq), 0) FROM main.__sim_snap_log",
											NULL, &ss->start_cseq);
			return true;
		case ENGINE_TXN_PRE_COMMIT:
			return snap_log_commit(s, ss);
		case ENGINE_TXN_COMMITTED:
		case ENGINE_TXN_ROLLED_BACK:
			snap_txn_reset(ss);
			return true;
	}
	return true;
}

void
engine_snapshot_register(void)
{
	snap_slot = engine_ext_slot(free);
	engine_register_stmt_hook(snapshot_stmt_hook, NULL);
	engine_register_conn_init(snapshot_conn_init, NULL);
	engine_register_txn_hook(snapshot_txn_hook, NULL);
}
