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
 * Writes.  SQL Server lets a SNAPSHOT transaction write on top of S0 and
 * raises 3960 only when a row it updates or deletes was changed by a
 * transaction that committed after S0 (row versioning guide); an insert of
 * a key that such a transaction inserted fails on the key (2627).  SQLite's
 * WAL is one linear history with one writer: a write transaction always
 * works on the newest state (S1), and a read transaction on S0 cannot be
 * upgraded once another connection committed (SQLITE_BUSY_SNAPSHOT).  So
 * "S0 plus my own writes" cannot live in one SQLite transaction; the
 * stand-in rebuilds it:
 *
 *   - Every commit logs what it wrote: __sim_snap_log (commit sequence,
 *     SQLite table name) always, and __sim_snap_rows (commit sequence,
 *     table, rowid; NULL = "too many / not recorded") in databases that
 *     allow snapshot isolation.  An SQLite pre-update hook collects them
 *     per transaction, PRE_COMMIT writes them; commit sequences follow
 *     commit order (one writer at a time).
 *   - A SNAPSHOT transaction records the last sequence in S0.  At its
 *     first write it reads, on a second handle (the newest state; it holds
 *     the write lock there meanwhile, so a writer still at work finishes
 *     first), what others changed since: the set D of (table, rowid).
 *     Still on S0, it copies the S0 versions of those rows into TEMP
 *     tables (temp.__snap0_<n>, and their rowids into temp.__snapd_<n>),
 *     then ends its read transaction and takes the write lock (BEGIN
 *     IMMEDIATE: from now on nobody else commits), so S1 is fixed.  In S1
 *     a changed table differs from S0 exactly in the rows of D.
 *   - Reads of such a table go through a TEMP view of the same name,
 *     which shadows the main table for unqualified names: the table's rows
 *     outside D (S0, plus the transaction's own writes, which never touch
 *     D) and the S0 copies of the rows in D.  That is S0 plus own writes.
 *   - An UPDATE or DELETE of such a table evaluates its WHERE clause on the
 *     S0 copies of D: a match is a row the statement updates in SQL Server
 *     that another transaction changed, so 3960 (the exact rule).  If the
 *     WHERE clause matches a row of D in its newest version, SQL Server
 *     would leave it alone but SQLite would update it: 3960 too
 *     (conservative).  Otherwise the statement runs on the main table and
 *     touches only rows outside D, where S0 and S1 agree.  An INSERT runs
 *     on the main table, so a key another transaction inserted gives 2627,
 *     as on SQL Server.  The pre-update hook checks that the transaction's
 *     own writes stay outside D (rowid reuse, or a WHERE clause that the
 *     check read differently): if not, 3960 at the next statement or at
 *     COMMIT.
 *
 * Left conservative (3960 where SQL Server may succeed), and why:
 *   - other writes that the log cannot describe row by row (more than
 *     SNAP_MAX_ROWIDS rows of a table in one transaction, commits between
 *     the side read and the lock, pruned history, snapshot isolation
 *     turned off meanwhile), DDL by others, and changes to CT or CDC data
 *     (CHANGETABLE, the CT functions and anything naming cdc then cannot be
 *     given their S0 state: their side tables are not shadowed);
 *   - statements the row check does not parse: UPDATE/DELETE with a FROM
 *     clause or TOP, MERGE, a changed table named twice, views (their
 *     SQLite definitions bypass the TEMP shadows), procedures other than
 *     sp_executesql, three-part names;
 *   - an INSERT (or key update) of a key that an S0 row had which others
 *     deleted since: allowed to run, then found (own_key_clash) and 3960
 *     at the next statement or at COMMIT, not at the INSERT itself;
 *   - a SNAPSHOT transaction that needs a savepoint it holds, or reads
 *     another database, is not rebased: its first write after other
 *     commits meets SQLITE_BUSY_SNAPSHOT, reported by the engine as 3960.
 * Also unlike SQL Server, a SNAPSHOT transaction that wrote holds the
 * database's write lock until it ends, so other writers wait.
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
/* rowids remembered per table and transaction; more: the whole table */
#define SNAP_MAX_ROWIDS 10000
/* commits kept in the log; an older snapshot cannot be rebased */
#define SNAP_KEEP_COMMITS 10000

/* A table of "main" written by the open transaction. */
typedef struct SnapWritten
{
	char		name[ENGINE_NAME_BUF];	/* SQLite name, "dbo.t" */
	bool		all_rows;		/* too many rowids: the whole table */
	int			nrows;
	int			caprows;
	int64_t    *rows;
} SnapWritten;

/* A user table that other transactions changed since the snapshot. */
typedef struct SnapStale
{
	char		sqlite_name[ENGINE_NAME_BUF];	/* "dbo.t" */
	char		bare[ENGINE_NAME_BUF];	/* "t": what statements name */
	bool		shadow;			/* S0 copies made: readable, row-checked */
	bool		others_deleted; /* some S0 row is gone or has a new key */
	int			ndelta;
	int64_t    *delta;			/* sorted rowids changed by others */
	int			nreused;		/* rowids of delta that own inserts took */
	int			capreused;		/* (others deleted those rows) */
	int64_t    *reused;
	bool		reused_dirty;	/* temp.__snapo_<n> is behind */
} SnapStale;

typedef struct SnapSession
{
	/* what the open transaction writes (pre-update hook) */
	int			nwritten;
	bool		written_overflow;
	SnapWritten written[SNAP_MAX_NAMES];

	/* the open SNAPSHOT transaction */
	bool		have_start;		/* start_cseq is valid */
	int64_t		start_cseq;		/* last logged commit in its snapshot */
	bool		rebased;		/* it now works on the newest state */
	bool		user_savepoint; /* SAVE TRAN seen: no rebase */
	int			nstale;
	SnapStale	stale[SNAP_MAX_NAMES];
	bool		stale_ct;		/* CT data changed since S0 */
	bool		stale_cdc;		/* CDC data changed since S0 */
	bool		shadows_on;		/* the TEMP views exist now */
	char		own_hit[ENGINE_NAME_BUF];	/* a table whose changed rows it wrote */
} SnapSession;

static int	snap_slot = -1;

static void sync_reused(SimSession *s, SnapSession *ss);

/* Free the per-table arrays (not the temp objects: see snap_txn_reset). */
static void
snap_free_arrays(SnapSession *ss)
{
	int			i;

	for (i = 0; i < ss->nwritten; i++)
		free(ss->written[i].rows);
	for (i = 0; i < ss->nstale; i++)
	{
		free(ss->stale[i].delta);
		free(ss->stale[i].reused);
	}
	ss->nwritten = 0;
	ss->nstale = 0;
}

static void
snap_session_free(void *p)
{
	SnapSession *ss = p;

	if (ss)
		snap_free_arrays(ss);
	free(ss);
}

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

static int
cmp_i64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a;
	int64_t		y = *(const int64_t *) b;

	return x < y ? -1 : x > y;
}

/* Sort and deduplicate v[0..*n). */
static void
sort_unique(int64_t *v, int *n)
{
	int			i;
	int			k = 0;

	if (*n == 0)
		return;
	qsort(v, (size_t) *n, sizeof(int64_t), cmp_i64);
	for (i = 1; i < *n; i++)
		if (v[i] != v[k])
			v[++k] = v[i];
	*n = k + 1;
}

static bool
i64_member(const int64_t *v, int n, int64_t x)
{
	return n > 0 && bsearch(&x, v, (size_t) n, sizeof(int64_t), cmp_i64) != NULL;
}

/*
 * Append x to the array *v of *n values and capacity *cap, which doubles
 * when full (first_cap the first time).  *v stays owned by the caller.
 */
static void
i64_append(int64_t **v, int *n, int *cap, int first_cap, int64_t x)
{
	if (*n == *cap)
	{
		int			newcap = *cap ? *cap * 2 : first_cap;
		int64_t    *nv = emalloc(sizeof(int64_t) * (size_t) newcap);

		if (*n > 0)
			memcpy(nv, *v, sizeof(int64_t) * (size_t) *n);
		free(*v);
		*v = nv;
		*cap = newcap;
	}
	(*v)[(*n)++] = x;
}

/* Switch the TEMP shadow views of the changed tables on or off. */
static void
shadows_set(SimSession *s, SnapSession *ss, bool on)
{
	sqlite3    *db = engine_db(s);
	int			i;

	if (ss->shadows_on == on)
		return;
	for (i = 0; i < ss->nstale; i++)
	{
		SnapStale  *t = &ss->stale[i];
		EngineBuf	b;
		EngineBuf	cols;
		sqlite3_stmt *q;

		if (!t->shadow)
			continue;
		ebuf_init(&b);
		ebuf_append(&b, "DROP VIEW IF EXISTS temp.");
		ebuf_append_ident(&b, t->sqlite_name);
		sqlite3_exec(db, b.data, NULL, NULL, NULL);
		if (!on)
		{
			ebuf_free(&b);
			continue;
		}
		/* the table's columns, in order */
		ebuf_init(&cols);
		ebuf_reset(&b);
		ebuf_append(&b, "SELECT name FROM pragma_table_info(");
		ebuf_append_literal(&b, t->sqlite_name);
		ebuf_append(&b, ", 'main')");
		if (sqlite3_prepare_v2(db, b.data, -1, &q, NULL) == SQLITE_OK)
		{
			while (sqlite3_step(q) == SQLITE_ROW)
			{
				if (cols.len > 0)
					ebuf_append(&cols, ", ");
				ebuf_append_ident(&cols, (const char *) sqlite3_column_text(q, 0));
			}
			sqlite3_finalize(q);
		}
		ebuf_reset(&b);
		ebuf_append(&b, "CREATE TEMP VIEW ");
		ebuf_append_ident(&b, t->sqlite_name);
		ebuf_printf(&b, " AS SELECT %s FROM main.", cols.data ? cols.data : "*");
		ebuf_append_ident(&b, t->sqlite_name);
		ebuf_printf(&b, " WHERE rowid NOT IN (SELECT r FROM temp.\"__snapd_%d\")"
					" OR rowid IN (SELECT r FROM temp.\"__snapo_%d\")"
					" UNION ALL SELECT %s FROM temp.\"__snap0_%d\"", i, i,
					cols.data ? cols.data : "*", i);
		if (cols.len == 0 || sqlite3_exec(db, b.data, NULL, NULL, NULL) != SQLITE_OK)
			t->shadow = false;	/* then statements naming it get 3960 */
		ebuf_free(&cols);
		ebuf_free(&b);
	}
	ss->shadows_on = on;
}

/*
 * Forget the transaction's state (it committed or rolled back, or a new
 * one begins): drop the shadows and S0 copies, free the arrays.
 */
static void
snap_txn_reset(SimSession *s, SnapSession *ss)
{
	int			i;

	if (ss->nstale > 0 && engine_db(s) != NULL)
	{
		shadows_set(s, ss, false);
		for (i = 0; i < ss->nstale; i++)
		{
			char		sql[192];

			snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS temp.\"__snap0_%d\";"
					 " DROP TABLE IF EXISTS temp.\"__snapd_%d\";"
					 " DROP TABLE IF EXISTS temp.\"__snapo_%d\";", i, i, i);
			sqlite3_exec(engine_db(s), sql, NULL, NULL, NULL);
		}
	}
	snap_free_arrays(ss);
	ss->written_overflow = false;
	ss->have_start = false;
	ss->start_cseq = 0;
	ss->rebased = false;
	ss->user_savepoint = false;
	ss->stale_ct = false;
	ss->stale_cdc = false;
	ss->shadows_on = false;
	ss->own_hit[0] = '\0';
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
 * keyword or WITH CHANGE_TRACKING_CONTEXT, or is a SELECT ... INTO or a
 * WITH ... (common table expressions) followed by DML.  A miss only costs precision (the
 * write then meets SQLITE_BUSY_SNAPSHOT: 3960 as before), a false hit
 * only an early rebase, which is checked like any rebase.
 */
static bool
stmt_may_write(const EngineStmt *st)
{
	static const char *const kw[] = {"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "CREATE",
	"ALTER", "DROP", "EXEC", "EXECUTE", NULL};
	static const char *const dml[] = {"INSERT", "UPDATE", "DELETE", "MERGE", "INTO", NULL};
	int			k;
	int			i;

	for (k = 0; kw[k]; k++)
		if (engine_tok_is(st, 0, kw[k]))
			return true;
	if (engine_tok_is(st, 0, "WITH") && engine_tok_is(st, 1, "CHANGE_TRACKING_CONTEXT"))
		return true;
	/* SELECT ... INTO; WITH cte AS (...) followed by DML (not by SELECT) */
	if (engine_tok_is(st, 0, "SELECT") || engine_tok_is(st, 0, "WITH"))
		for (i = 1; i < st->ntok && st->tok[i].type != TK_EOF;)
		{
			if (engine_tok_op(st, i, "("))
			{
				i = engine_skip_parens(st, i);
				continue;
			}
			for (k = 0; dml[k]; k++)
				if (st->tok[i].type == TK_WORD && engine_strcasecmp(st->tok[i].text, dml[k]) == 0)
					return true;
			i++;
		}
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

/* The changed table a statement names by bare name, or -1. */
static int
stale_index(const SnapSession *ss, const char *name)
{
	int			i;

	for (i = 0; i < ss->nstale; i++)
		if (engine_strcasecmp(name, ss->stale[i].bare) == 0)
			return i;
	return -1;
}

/*
 * After a rebase: true (and what to name in bad) if the statement may read
 * data that cannot be given as of the snapshot.  Deliberately coarse: a
 * changed table named (any identifier equal to its name) unless it is
 * shadowed and read_ok, or it is the write target (target >= 0) named
 * once; CT functions and views when CT data changed; anything naming CDC
 * when CDC data changed; any view (its SQLite definition reads the main
 * tables, not the shadows); a three-part name (another database, whose
 * snapshot was given up too); EXEC of anything but sp_executesql (whose
 * statements come through this hook themselves).
 */
static bool
stmt_reads_stale(SimSession *s, const SnapSession *ss, const EngineStmt *st,
				 bool read_ok, int target, char *bad, size_t badlen)
{
	static const char *const kw[] = {"FROM", "JOIN", "APPLY", "UPDATE", "INTO", "DELETE",
	"TABLE", "MERGE", NULL};
	int			i;
	int			target_seen = 0;

	for (i = 0; i < st->ntok; i++)
	{
		const char *text = st->tok[i].text;
		int			k;

		if (st->tok[i].type != TK_WORD && st->tok[i].type != TK_QIDENT)
			continue;
		snprintf(bad, badlen, "%s", text);
		k = stale_index(ss, text);
		if (k >= 0)
		{
			if (k == target && target_seen++ == 0)
				continue;
			if (!(read_ok && ss->stale[k].shadow && k != target))
			{
				snprintf(bad, badlen, "%s", ss->stale[k].sqlite_name);
				return true;
			}
		}
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
 * Run a row-check query (SQLite SQL over the session's variables); true
 * if it returned a row.  *failed is set when it could not run.
 */
static bool
row_query_hit(SimSession *s, const char *sql, bool *failed)
{
	sqlite3_stmt *q;
	bool		hit = false;

	if (sqlite3_prepare_v2(engine_db(s), sql, -1, &q, NULL) != SQLITE_OK)
	{
		*failed = true;
		return false;
	}
	if (!engine_bind_vars(s, q))
		*failed = true;
	else
	{
		int			rc = sqlite3_step(q);

		if (rc == SQLITE_ROW)
			hit = true;
		else if (rc != SQLITE_DONE)
			*failed = true;
	}
	sqlite3_finalize(q);
	return hit;
}

/*
 * Row check of an UPDATE or DELETE of changed table k: the target is
 * tokens [tfrom, tto), its WHERE condition [wfrom, wto) (wfrom < 0: none).
 * Returns 0 when the statement touches no row that others changed, else 1
 * (after reporting nothing: the caller raises 3960).  The condition is
 * translated by the engine as "SELECT rowid FROM <target> WHERE <cond>"
 * and evaluated on the S0 copies of the changed rows (a match: SQL
 * Server's update conflict) and on their newest versions (a match: SQLite
 * would touch a row SQL Server leaves alone).  Anything unexpected counts
 * as a conflict.
 */
static int
row_check(SimSession *s, SnapSession *ss, int k, const EngineStmt *st,
		  int tfrom, int tto, int wfrom, int wto)
{
	SnapStale  *t = &ss->stale[k];
	char	   *target = engine_tok_text(st, tfrom, tto);
	char	   *cond = wfrom >= 0 ? engine_tok_text(st, wfrom, wto) : NULL;
	EngineBuf	tsql;
	EngineBuf	prefix;
	EngineBuf	q;
	EngineLexed lx;
	int			errnum;
	char		errbuf[256];
	int			result = 1;

	ebuf_init(&tsql);
	ebuf_init(&prefix);
	ebuf_init(&q);
	ebuf_printf(&tsql, "SELECT rowid FROM %s", target);
	if (cond)
		ebuf_printf(&tsql, " WHERE %s", cond);
	if (engine_lex(tsql.data, &lx, &errnum, errbuf, sizeof(errbuf)))
	{
		EngineStmt	sub;
		EngineXlate x;

		sub.src = lx.src;
		sub.tok = lx.tok;
		sub.ntok = lx.ntok;
		engine_xlate_init(&x, s, &sub);
		ebuf_append(&prefix, "SELECT rowid FROM ");
		ebuf_append_ident(&prefix, t->sqlite_name);
		ebuf_append(&prefix, " AS \"");
		if (engine_xlate_range(&x, 0, sub.ntok) && x.sql.data &&
			strncmp(x.sql.data, prefix.data, prefix.len) == 0)
		{
			const char *alias = x.sql.data + prefix.len - 1;	/* at the quote */
			const char *end = strchr(alias + 1, '"');

			if (end != NULL && strchr(alias + 1, '"') == end)
			{
				const char *rest = end + 1;
				int			alen = (int) (end + 1 - alias);
				bool		failed = false;
				bool		hit;

				/* S0 versions of the changed rows */
				ebuf_printf(&q, "SELECT 1 FROM (SELECT %.*s.__snap_rowid AS r FROM temp.\"__snap0_%d\" AS %.*s%s) LIMIT 1",
							alen, alias, k, alen, alias, rest);
				hit = row_query_hit(s, q.data, &failed);
				if (!hit && !failed)
				{
					/* their newest versions */
					ebuf_reset(&q);
					ebuf_printf(&q, "SELECT 1 FROM (SELECT %.*s.__snap_rowid AS r FROM"
								" (SELECT rowid AS __snap_rowid, * FROM main.", alen, alias);
					ebuf_append_ident(&q, t->sqlite_name);
					ebuf_printf(&q, ") AS %.*s%s) WHERE r IN (SELECT r FROM temp.\"__snapd_%d\")"
								" AND r NOT IN (SELECT r FROM temp.\"__snapo_%d\") LIMIT 1",
								alen, alias, rest, k, k);
					hit = row_query_hit(s, q.data, &failed);
				}
				if (!hit && !failed)
					result = 0;
			}
		}
		engine_xlate_free(&x);
		engine_lex_free(&lx);
	}
	ebuf_free(&tsql);
	ebuf_free(&prefix);
	ebuf_free(&q);
	free(target);
	free(cond);
	return result;
}

/* Index of the first top-level word kw in [from, ntok), or -1. */
static int
find_top_word(const EngineStmt *st, int from, const char *kw)
{
	int			i = from;

	while (i < st->ntok && st->tok[i].type != TK_EOF)
	{
		if (engine_tok_op(st, i, "("))
		{
			i = engine_skip_parens(st, i);
			continue;
		}
		if (engine_tok_is(st, i, kw))
			return i;
		i++;
	}
	return -1;
}

/* End of a WHERE condition starting at from: OPTION (...), ';' or the end. */
static int
cond_end(const EngineStmt *st, int from)
{
	int			opt = find_top_word(st, from, "OPTION");
	int			i;

	if (opt >= 0)
		return opt;
	for (i = from; i < st->ntok && st->tok[i].type != TK_EOF; i++)
		if (engine_tok_op(st, i, ";"))
			return i;
	return st->ntok;
}

/*
 * A write statement after the rebase (shadows are off).  PASS if it may
 * run on the main tables, else 3960.
 */
static EngineHookResult
check_write(SimSession *s, SnapSession *ss, const EngineStmt *st)
{
	char		bad[ENGINE_NAME_BUF];
	char		schema[ENGINE_NAME_BUF];
	char		name[ENGINE_NAME_BUF];
	int			i = 1;
	int			tfrom;
	int			k = -1;
	int			w;
	enum
	{
		W_OTHER, W_INSERT, W_UPDATE, W_DELETE
	}			kind = W_OTHER;

	/* the target: INSERT [INTO] t, UPDATE t, DELETE [FROM] t */
	if (engine_tok_is(st, 0, "INSERT"))
		kind = W_INSERT;
	else if (engine_tok_is(st, 0, "UPDATE"))
		kind = W_UPDATE;
	else if (engine_tok_is(st, 0, "DELETE"))
		kind = W_DELETE;
	if ((kind == W_INSERT && engine_tok_is(st, i, "INTO")) ||
		(kind == W_DELETE && engine_tok_is(st, i, "FROM")))
		i++;
	tfrom = i;
	if (kind != W_OTHER && !engine_tok_is(st, i, "TOP") &&
		feat_parse_name(st, &i, schema, name, sizeof(name)))
		k = stale_index(ss, name);
	if (stmt_reads_stale(s, ss, st, false, k, bad, sizeof(bad)))
		return snap_conflict(s, bad);
	if (k < 0)
		return ENGINE_HOOK_PASS;	/* no changed table in sight */
	if (!ss->stale[k].shadow)
		return snap_conflict(s, ss->stale[k].sqlite_name);
	if (kind == W_INSERT)
		return ENGINE_HOOK_PASS;	/* a clash with a deleted S0 key: own_key_clash */
	if (kind == W_UPDATE)
	{
		int			set = i;

		if (engine_tok_is(st, set, "WITH") && engine_tok_op(st, set + 1, "("))
			set = engine_skip_parens(st, set + 1);
		if (!engine_tok_is(st, set, "SET") || find_top_word(st, set, "FROM") >= 0)
			return snap_conflict(s, ss->stale[k].sqlite_name);
	}
	else if (find_top_word(st, i, "FROM") >= 0)
		return snap_conflict(s, ss->stale[k].sqlite_name);	/* DELETE t FROM ... */
	w = find_top_word(st, i, "WHERE");
	if (w >= 0 && engine_tok_is(st, w + 1, "CURRENT"))
		return snap_conflict(s, ss->stale[k].sqlite_name);
	if (row_check(s, ss, k, st, tfrom, tfrom + (i - tfrom),
				  w >= 0 ? w + 1 : -1, w >= 0 ? cond_end(st, w + 1) : -1) != 0)
		return snap_conflict(s, ss->stale[k].sqlite_name);
	return ENGINE_HOOK_PASS;
}

/* Add (or find) the changed table with that SQLite name. */
static SnapStale *
stale_add(SnapSession *ss, const char *sqlite_name)
{
	const char *dot = strchr(sqlite_name, '.');
	int			i;
	SnapStale  *t;

	for (i = 0; i < ss->nstale; i++)
		if (strcmp(ss->stale[i].sqlite_name, sqlite_name) == 0)
			return &ss->stale[i];
	if (ss->nstale >= SNAP_MAX_NAMES)
		return NULL;
	t = &ss->stale[ss->nstale++];
	memset(t, 0, sizeof(*t));
	snprintf(t->sqlite_name, sizeof(t->sqlite_name), "%s", sqlite_name);
	snprintf(t->bare, sizeof(t->bare), "%s", dot ? dot + 1 : sqlite_name);
	return t;
}

/* Classes of logged table names. */
typedef enum
{
	NAME_USER, NAME_CT, NAME_CDC, NAME_COUNTER, NAME_CATALOG, NAME_UNKNOWN
} NameClass;

static NameClass
classify(const char *name)
{
	if (strcmp(name, "*") == 0)
		return NAME_UNKNOWN;
	if (strncmp(name, "__sim_ct_", 9) == 0)
		return NAME_CT;
	if (strncmp(name, "__sim_cdc_", 10) == 0 || strncmp(name, "cdc.", 4) == 0)
		return NAME_CDC;
	if (strcmp(name, "__sim_meta") == 0 || strcmp(name, "__sim_identity") == 0 ||
		strncmp(name, "sqlite_", 7) == 0)
		return NAME_COUNTER;	/* counters SQL Server does not version either */
	if (strncmp(name, "__sim_", 6) == 0)
		return NAME_CATALOG;
	return NAME_USER;
}

/*
 * Before leaving S0: read on a second handle (the newest state, with the
 * write lock held there so that it stays the newest) which user tables
 * and rows others changed since the snapshot, and copy the S0 versions of
 * those rows (the session's handle is still on S0).
 * Sets *upto to the last commit seen there (-1 when nothing could be
 * read; then the rebase works per table only).
 */
static void
read_changes(SimSession *s, SnapSession *ss, int64_t *upto)
{
	sqlite3    *db = engine_db(s);
	const char *path = sqlite3_db_filename(db, "main");
	sqlite3    *side = NULL;
	sqlite3_stmt *q;
	int			i;

	*upto = -1;
	if (path == NULL || path[0] == '\0' ||
		sqlite3_open_v2(path, &side, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
	{
		sqlite3_close(side);
		return;
	}

	/*
	 * Take the write lock on the side handle (nothing is written): a writer
	 * still at work finishes first, and nobody commits between this read
	 * and our own BEGIN IMMEDIATE but in the short gap after the side lets
	 * go (caught below, per table).  If the lock does not come within the
	 * session's lock timeout (at most 30 s), read without it.
	 */
	sqlite3_busy_timeout(side, s->lock_timeout_ms < 0 || s->lock_timeout_ms > 30000 ?
						 30000 : (int) s->lock_timeout_ms);
	if (sqlite3_exec(side, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK &&
		sqlite3_exec(side, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
	{
		sqlite3_close(side);
		return;
	}
	if (!feat_query_int(side, "SELECT ifnull(max(cseq), 0) FROM __sim_snap_log", NULL, upto))
	{
		*upto = -1;
		sqlite3_exec(side, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(side);
		return;
	}
	/* user tables changed in (start, upto], with their rows */
	if (sqlite3_prepare_v2(side, "SELECT l.name, (SELECT count(DISTINCT cseq) FROM __sim_snap_log AS c"
						   " WHERE c.name = l.name AND c.cseq > ?1 AND c.cseq <= ?2),"
						   " (SELECT count(DISTINCT cseq) FROM __sim_snap_rows AS r"
						   " WHERE r.name = l.name AND r.cseq > ?1 AND r.cseq <= ?2)"
						   " FROM __sim_snap_log AS l WHERE l.cseq > ?1 AND l.cseq <= ?2 GROUP BY l.name",
						   -1, &q, NULL) == SQLITE_OK)
	{
		sqlite3_bind_int64(q, 1, ss->start_cseq);
		sqlite3_bind_int64(q, 2, *upto);
		while (sqlite3_step(q) == SQLITE_ROW)
		{
			const char *name = (const char *) sqlite3_column_text(q, 0);
			SnapStale  *t;

			if (classify(name) != NAME_USER || (t = stale_add(ss, name)) == NULL)
				continue;
			/* every commit must have logged its rows */
			t->shadow = sqlite3_column_int64(q, 1) == sqlite3_column_int64(q, 2);
		}
		sqlite3_finalize(q);
	}
	for (i = 0; i < ss->nstale; i++)
	{
		SnapStale  *t = &ss->stale[i];
		int			cap = 64;

		if (!t->shadow ||
			sqlite3_prepare_v2(side, "SELECT r FROM __sim_snap_rows WHERE name = ?1 AND cseq > ?2"
							   " AND cseq <= ?3", -1, &q, NULL) != SQLITE_OK)
		{
			t->shadow = false;
			continue;
		}
		sqlite3_bind_text(q, 1, t->sqlite_name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, ss->start_cseq);
		sqlite3_bind_int64(q, 3, *upto);
		t->delta = emalloc(sizeof(int64_t) * (size_t) cap);
		while (sqlite3_step(q) == SQLITE_ROW)
		{
			if (sqlite3_column_type(q, 0) == SQLITE_NULL)
			{
				t->shadow = false;	/* the whole table */
				break;
			}
			if (t->ndelta == cap)
			{
				int64_t    *n = emalloc(sizeof(int64_t) * (size_t) cap * 2);

				memcpy(n, t->delta, sizeof(int64_t) * (size_t) cap);
				free(t->delta);
				t->delta = n;
				cap *= 2;
			}
			t->delta[t->ndelta++] = sqlite3_column_int64(q, 0);
		}
		sqlite3_finalize(q);
		sort_unique(t->delta, &t->ndelta);
	}
	/* still on S0: copy the S0 versions of the changed rows */
	for (i = 0; i < ss->nstale; i++)
	{
		SnapStale  *t = &ss->stale[i];
		EngineBuf	b;
		char	   *create = NULL;
		const char *paren;
		bool		ok;
		int			j;

		if (!t->shadow)
			continue;
		ebuf_init(&b);
		ebuf_printf(&b, "DROP TABLE IF EXISTS temp.\"__snap0_%d\"; DROP TABLE IF EXISTS temp.\"__snapd_%d\";"
					" DROP TABLE IF EXISTS temp.\"__snapo_%d\";"
					" CREATE TEMP TABLE \"__snapd_%d\" (r INTEGER PRIMARY KEY);"
					" CREATE TEMP TABLE \"__snapo_%d\" (r INTEGER PRIMARY KEY);", i, i, i, i, i);
		ok = sqlite3_exec(db, b.data, NULL, NULL, NULL) == SQLITE_OK;
		/* the copy has the table's own column declarations (types, collations) */
		if (ok && sqlite3_prepare_v2(db, "SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?1",
									 -1, &q, NULL) == SQLITE_OK)
		{
			sqlite3_bind_text(q, 1, t->sqlite_name, -1, SQLITE_STATIC);
			if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
				create = estrdup((const char *) sqlite3_column_text(q, 0));
			sqlite3_finalize(q);
		}
		paren = create ? strchr(create, '(') : NULL;
		ok = ok && paren != NULL && strchr(t->sqlite_name, '(') == NULL;
		if (ok)
		{
			ebuf_reset(&b);
			ebuf_printf(&b, "CREATE TEMP TABLE \"__snap0_%d\" (__snap_rowid INTEGER, %s",
						i, paren + 1);
			ok = sqlite3_exec(db, b.data, NULL, NULL, NULL) == SQLITE_OK;
		}
		if (ok)
		{
			ebuf_reset(&b);
			ebuf_printf(&b, "INSERT INTO temp.\"__snapd_%d\" VALUES (?1)", i);
			q = NULL;
			ok = sqlite3_prepare_v2(db, b.data, -1, &q, NULL) == SQLITE_OK;
			for (j = 0; ok && j < t->ndelta; j++)
			{
				sqlite3_bind_int64(q, 1, t->delta[j]);
				ok = sqlite3_step(q) == SQLITE_DONE;
				sqlite3_reset(q);
			}
			if (q)
				sqlite3_finalize(q);
		}
		if (ok)
		{
			ebuf_reset(&b);
			ebuf_printf(&b, "INSERT INTO temp.\"__snap0_%d\" SELECT rowid, * FROM main.", i);
			ebuf_append_ident(&b, t->sqlite_name);
			ebuf_printf(&b, " WHERE rowid IN (SELECT r FROM temp.\"__snapd_%d\")", i);
			ok = sqlite3_exec(db, b.data, NULL, NULL, NULL) == SQLITE_OK;
		}
		if (!ok)
			t->shadow = false;
		free(create);
		ebuf_free(&b);
	}
	sqlite3_exec(side, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(side);
}

/*
 * After the lock: does some S0 row of changed table k no longer exist with
 * the same key?  (Then an INSERT or UPDATE could put a key into the table
 * that the shadow also shows from S0.)
 */
static bool
s0_rows_gone(SimSession *s, SnapStale *t, int k)
{
	char		schema[ENGINE_NAME_BUF];
	const char *dot = strchr(t->sqlite_name, '.');
	EngineTable *et;
	EngineBuf	b;
	int			j;
	int64_t		n = 1;

	snprintf(schema, sizeof(schema), "%.*s", dot ? (int) (dot - t->sqlite_name) : 0, t->sqlite_name);
	et = engine_table_lookup(s, schema[0] ? schema : NULL, t->bare);
	if (et == NULL || et->npk == 0)
	{
		if (et)
			engine_table_free(et);
		return true;
	}
	ebuf_init(&b);
	ebuf_printf(&b, "SELECT count(*) FROM temp.\"__snap0_%d\" AS c WHERE NOT EXISTS (SELECT 1 FROM main.", k);
	ebuf_append_ident(&b, t->sqlite_name);
	ebuf_append(&b, " AS m WHERE m.rowid = c.__snap_rowid");
	for (j = 0; j < et->npk; j++)
	{
		ebuf_append(&b, " AND m.");
		ebuf_append_ident(&b, et->cols[et->pk[j]].name);
		ebuf_append(&b, " IS c.");
		ebuf_append_ident(&b, et->cols[et->pk[j]].name);
	}
	ebuf_append(&b, ")");
	if (!feat_query_int(engine_db(s), b.data, NULL, &n))
		n = 1;
	ebuf_free(&b);
	engine_table_free(et);
	return n > 0;
}

/*
 * The first write of a SNAPSHOT transaction: give up S0 for the newest
 * state, keeping what is needed to answer as of S0 (see the head
 * comment).  Returns PASS to let the statement run, or ERROR after 3960.
 * Not done (PASS: SQLite then upgrades S0 if nobody committed, else the
 * engine reports 3960) when a savepoint is open (a COMMIT of the read
 * transaction would drop it) or another database is attached (its
 * snapshot would be lost as well).
 */
static EngineHookResult
snap_rebase(SimSession *s, SnapSession *ss, const EngineStmt *st)
{
	sqlite3    *db = engine_db(s);
	sqlite3_stmt *q;
	int64_t		oldest = 0;
	int64_t		upto;
	int			rc;
	int			i;

	if (s->stmt_savepoints > 0 || ss->user_savepoint || s->nattached > 0)
		return ENGINE_HOOK_PASS;
	read_changes(s, ss, &upto);
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

	/* everything committed since S0, now that nobody else can commit */
	if (feat_query_int(db, "SELECT min(cseq) FROM main.__sim_snap_log", NULL, &oldest) &&
		oldest > ss->start_cseq + 1)
		return snap_conflict(s, "?");	/* history pruned past our start */
	if (sqlite3_prepare_v2(db, "SELECT name, max(cseq) FROM main.__sim_snap_log WHERE cseq > ?1 GROUP BY name",
						   -1, &q, NULL) != SQLITE_OK)
		return snap_conflict(s, "?");
	sqlite3_bind_int64(q, 1, ss->start_cseq);
	while (sqlite3_step(q) == SQLITE_ROW)
	{
		const char *name = (const char *) sqlite3_column_text(q, 0);
		SnapStale  *t;
		char		bad[ENGINE_NAME_BUF];

		switch (classify(name))
		{
			case NAME_CT:
				ss->stale_ct = true;
				break;
			case NAME_CDC:
				ss->stale_cdc = true;
				break;
			case NAME_COUNTER:
				break;
			case NAME_USER:
				if ((t = stale_add(ss, name)) == NULL)
				{
					sqlite3_finalize(q);
					return snap_conflict(s, name);
				}
				/* committed after the side read: its S0 rows were not copied */
				if (upto < 0 || sqlite3_column_int64(q, 1) > upto)
					t->shadow = false;
				break;
			case NAME_CATALOG:
			case NAME_UNKNOWN:
				/* DDL by others, or too much to tell: no partial answer */
				snprintf(bad, sizeof(bad), "%s", name);
				sqlite3_finalize(q);
				return snap_conflict(s, bad);
		}
	}
	sqlite3_finalize(q);
	for (i = 0; i < ss->nstale; i++)
		if (ss->stale[i].shadow)
			ss->stale[i].others_deleted = s0_rows_gone(s, &ss->stale[i], i);
	return ENGINE_HOOK_PASS;
}

/*
 * After the rebase: did the transaction's own writes put into changed
 * table k a key that an S0 row, since deleted (or re-keyed) by others,
 * still has in the shadow?  A row of the main table with that key and a
 * rowid outside the changed rows can only be the transaction's own: at
 * S0 the key was the S0 row's.  True (table in *bad) on such a clash, or
 * when it cannot be checked.
 */
static bool
own_key_clash(SimSession *s, SnapSession *ss, char *bad, size_t badlen)
{
	int			k;

	for (k = 0; k < ss->nstale; k++)
	{
		SnapStale  *t = &ss->stale[k];
		char		schema[ENGINE_NAME_BUF];
		const char *dot = strchr(t->sqlite_name, '.');
		EngineTable *et;
		EngineBuf	b;
		int			j;
		int64_t		n = 1;
		bool		written = false;

		if (!t->shadow || !t->others_deleted)
			continue;
		for (j = 0; j < ss->nwritten; j++)
			if (strcmp(ss->written[j].name, t->sqlite_name) == 0)
				written = true;
		if (!written)
			continue;
		snprintf(schema, sizeof(schema), "%.*s", dot ? (int) (dot - t->sqlite_name) : 0, t->sqlite_name);
		et = engine_table_lookup(s, schema[0] ? schema : NULL, t->bare);
		if (et != NULL && et->npk > 0)
		{
			ebuf_init(&b);
			ebuf_printf(&b, "SELECT count(*) FROM temp.\"__snap0_%d\" AS c JOIN main.", k);
			ebuf_append_ident(&b, t->sqlite_name);
			ebuf_append(&b, " AS m ON 1");
			for (j = 0; j < et->npk; j++)
			{
				ebuf_append(&b, " AND m.");
				ebuf_append_ident(&b, et->cols[et->pk[j]].name);
				ebuf_append(&b, " = c.");
				ebuf_append_ident(&b, et->cols[et->pk[j]].name);
			}
			ebuf_printf(&b, " WHERE m.rowid NOT IN (SELECT r FROM temp.\"__snapd_%d\")"
						" OR m.rowid IN (SELECT r FROM temp.\"__snapo_%d\")", k, k);
			if (!feat_query_int(engine_db(s), b.data, NULL, &n))
				n = 1;
			ebuf_free(&b);
		}
		if (et)
			engine_table_free(et);
		if (n > 0)
		{
			snprintf(bad, badlen, "%s", t->sqlite_name);
			return true;
		}
	}
	return false;
}

/*
 * Writes of a SNAPSHOT transaction (see the head comment): the first one
 * rebases; after that, reads of changed tables go through their shadows
 * and writes are checked row by row.
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
	if (!ss->rebased)
	{
		EngineHookResult r;

		if (!stmt_may_write(st) || sqlite3_txn_state(engine_db(s), "main") != SQLITE_TXN_READ)
			return ENGINE_HOOK_PASS;
		r = snap_rebase(s, ss, st);
		if (r != ENGINE_HOOK_PASS || !ss->rebased)
			return r;
	}
	if (ss->own_hit[0])
		return snap_conflict(s, ss->own_hit);
	sync_reused(s, ss);
	if (own_key_clash(s, ss, bad, sizeof(bad)))
		return snap_conflict(s, bad);
	if (stmt_may_write(st))
	{
		shadows_set(s, ss, false);
		return check_write(s, ss, st);
	}
	if (stmt_reads_stale(s, ss, st, true, -1, bad, sizeof(bad)))
		return snap_conflict(s, bad);
	shadows_set(s, ss, true);
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

/* Remember rowid of table w, or give up on its rows when there are too many. */
static void
written_add_row(SnapWritten *w, int64_t rowid)
{
	if (w->all_rows)
		return;
	if (w->nrows >= SNAP_MAX_ROWIDS)
	{
		w->all_rows = true;
		free(w->rows);
		w->rows = NULL;
		w->nrows = w->caprows = 0;
		return;
	}
	i64_append(&w->rows, &w->nrows, &w->caprows, 16, rowid);
}

/* Is rowid one of t's reused rowids (linear: there are few)? */
static int
reused_index(const SnapStale *t, int64_t rowid)
{
	int			i;

	for (i = 0; i < t->nreused; i++)
		if (t->reused[i] == rowid)
			return i;
	return -1;
}

/*
 * A rebased transaction writes rowid of table name (inserted: a new row).
 * A changed row (rowid in delta) must not be touched, but an insert may
 * get the rowid of a row that others deleted (SQLite reuses the largest
 * rowid): that row is the transaction's own, remembered so the shadow
 * shows it (temp.__snapo_<n>, synced by sync_reused).
 */
static void
check_own_write(SnapSession *ss, const char *name, int64_t rowid, bool inserted)
{
	int			i;

	for (i = 0; i < ss->nstale; i++)
	{
		SnapStale  *t = &ss->stale[i];

		if (strcmp(t->sqlite_name, name) != 0 || !i64_member(t->delta, t->ndelta, rowid))
			continue;
		if (inserted)
		{
			if (reused_index(t, rowid) >= 0)
				continue;
			i64_append(&t->reused, &t->nreused, &t->capreused, 8, rowid);
			t->reused_dirty = true;
		}
		else if (reused_index(t, rowid) < 0)
			snprintf(ss->own_hit, sizeof(ss->own_hit), "%s", name);
	}
}

/* Bring temp.__snapo_<n> up to date with the reused rowids. */
static void
sync_reused(SimSession *s, SnapSession *ss)
{
	int			i;
	int			j;

	for (i = 0; i < ss->nstale; i++)
	{
		SnapStale  *t = &ss->stale[i];
		char		sql[128];
		sqlite3_stmt *q = NULL;

		if (!t->reused_dirty || !t->shadow)
			continue;
		t->reused_dirty = false;
		snprintf(sql, sizeof(sql), "DELETE FROM temp.\"__snapo_%d\"", i);
		sqlite3_exec(engine_db(s), sql, NULL, NULL, NULL);
		snprintf(sql, sizeof(sql), "INSERT OR IGNORE INTO temp.\"__snapo_%d\" VALUES (?1)", i);
		if (sqlite3_prepare_v2(engine_db(s), sql, -1, &q, NULL) != SQLITE_OK)
		{
			t->shadow = false;	/* then statements naming it get 3960 */
			continue;
		}
		for (j = 0; j < t->nreused; j++)
		{
			sqlite3_bind_int64(q, 1, t->reused[j]);
			sqlite3_step(q);
			sqlite3_reset(q);
		}
		sqlite3_finalize(q);
	}
}

/*
 * SQLite pre-update hook of every session handle: remember which tables
 * of the current database ("main") and which rowids the open transaction
 * writes (triggers' writes to CT side tables and CDC change tables come
 * through here too), and check a rebased SNAPSHOT transaction's writes.
 */
static void
snap_preupdate(void *arg, sqlite3 *db, int op, const char *zdb, const char *zname,
			   sqlite3_int64 key1, sqlite3_int64 key2)
{
	SnapSession *ss;
	SnapWritten *w = NULL;
	int			i;

	if (strcmp(zdb, "main") != 0 || strncmp(zname, "__sim_snap_", 11) == 0)
		return;
	ss = snap_state((SimSession *) arg);
	for (i = 0; i < ss->nwritten; i++)
		if (strcmp(ss->written[i].name, zname) == 0)
			w = &ss->written[i];
	if (w == NULL)
	{
		if (ss->nwritten >= SNAP_MAX_NAMES || strlen(zname) >= ENGINE_NAME_BUF)
		{
			ss->written_overflow = true;
			return;
		}
		w = &ss->written[ss->nwritten++];
		memset(w, 0, sizeof(*w));
		snprintf(w->name, sizeof(w->name), "%s", zname);
	}
	/* key1: the row before (UPDATE, DELETE); key2: after (INSERT, UPDATE) */
	if (op != SQLITE_INSERT)
		written_add_row(w, key1);
	if (op != SQLITE_DELETE && (op != SQLITE_UPDATE || key2 != key1))
		written_add_row(w, key2);
	if (ss->rebased)
	{
		if (op != SQLITE_INSERT)
			check_own_write(ss, zname, key1, false);
		if (op != SQLITE_DELETE)
			check_own_write(ss, zname, key2, op == SQLITE_INSERT);
	}
}

/* Create the log tables when missing and install the pre-update hook. */
static bool
snapshot_conn_init(SimSession *s, sqlite3 *db, void *arg, char *errbuf, size_t errlen)
{
	char	   *err = NULL;

	if (!feat_table_exists(db, "__sim_snap_rows") &&
		sqlite3_exec(db, "BEGIN IMMEDIATE;"
					 " CREATE TABLE IF NOT EXISTS __sim_snap_log"
					 " (cseq INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (cseq, name));"
					 " CREATE TABLE IF NOT EXISTS __sim_snap_rows (cseq INTEGER NOT NULL, name TEXT NOT NULL, r INTEGER);"
					 " CREATE INDEX IF NOT EXISTS __sim_snap_rows_cseq ON __sim_snap_rows (cseq, name); COMMIT;",
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
 * PRE_COMMIT: a rebased SNAPSHOT transaction that wrote a row others
 * changed fails here (3960; the engine rolls back).  Otherwise log the
 * tables this transaction wrote under the next commit sequence, and their
 * rowids when the database allows snapshot isolation (only SNAPSHOT
 * transactions read them; r NULL: all rows); now and then drop entries
 * older than SNAP_KEEP_COMMITS commits.
 */
static bool
snap_log_commit(SimSession *s, SnapSession *ss)
{
	sqlite3    *db = engine_db(s);
	sqlite3_stmt *ins = NULL;
	sqlite3_stmt *rows = NULL;
	int64_t		next = 0;
	bool		with_rows;
	bool		ok = true;
	int			i;
	int			j;

	if (ss->own_hit[0])
	{
		engine_error(s, 3960, "Snapshot isolation transaction aborted due to update conflict. You cannot use"
					 " snapshot isolation to access table '%s' directly or indirectly in database '%s' to"
					 " update, delete, or insert the row that has been modified or deleted by another"
					 " transaction. Retry the transaction or change the isolation level for the"
					 " update/delete statement.", ss->own_hit, sim_session_database(s));
		return false;
	}
	if (ss->nwritten == 0 && !ss->written_overflow)
		return true;
	if (!feat_query_int(db, "SELECT ifnull(max(cseq), 0) + 1 FROM main.__sim_snap_log", NULL, &next))
		return true;			/* no log in this database (cannot happen after conn init) */
	with_rows = snapshot_state(s) == 1;
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO main.__sim_snap_log(cseq, name) VALUES (?1, ?2)",
						   -1, &ins, NULL) != SQLITE_OK ||
		(with_rows &&
		 sqlite3_prepare_v2(db, "INSERT INTO main.__sim_snap_rows(cseq, name, r) VALUES (?1, ?2, ?3)",
							-1, &rows, NULL) != SQLITE_OK))
		ok = false;
	for (i = 0; ok && i <= ss->nwritten; i++)
	{
		SnapWritten *w = i < ss->nwritten ? &ss->written[i] : NULL;
		const char *name = w ? w->name : "*";

		if (w == NULL && !ss->written_overflow)
			break;
		sqlite3_bind_int64(ins, 1, next);
		sqlite3_bind_text(ins, 2, name, -1, SQLITE_STATIC);
		ok = sqlite3_step(ins) == SQLITE_DONE;
		sqlite3_reset(ins);
		if (!ok || !with_rows || w == NULL)
			continue;
		sqlite3_bind_int64(rows, 1, next);
		sqlite3_bind_text(rows, 2, name, -1, SQLITE_STATIC);
		if (w->all_rows)
		{
			sqlite3_bind_null(rows, 3);
			ok = sqlite3_step(rows) == SQLITE_DONE;
			sqlite3_reset(rows);
			continue;
		}
		sort_unique(w->rows, &w->nrows);
		for (j = 0; ok && j < w->nrows; j++)
		{
			sqlite3_bind_int64(rows, 3, w->rows[j]);
			ok = sqlite3_step(rows) == SQLITE_DONE;
			sqlite3_reset(rows);
		}
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(rows);
	if (ok && next % 256 == 0)
	{
		char		sql[256];

		snprintf(sql, sizeof(sql), "DELETE FROM main.__sim_snap_log WHERE cseq <= %lld;"
				 " DELETE FROM main.__sim_snap_rows WHERE cseq <= %lld;",
				 (long long) (next - SNAP_KEEP_COMMITS), (long long) (next - SNAP_KEEP_COMMITS));
		ok = feat_exec(s, db, sql);
	}
	else if (!ok)
		engine_error(s, 50000, "snapshot log: %s", sqlite3_errmsg(db));
	return ok;
}

/*
 * BEGIN of a SNAPSHOT transaction in a database that allows it: read the
 * last logged commit, which starts the WAL read transaction (S0) now, so
 * that the whole transaction reads one state and knows where it began.
 * PRE_COMMIT: check and log.  COMMITTED / ROLLED_BACK: forget.
 */
static bool
snapshot_txn_hook(SimSession *s, EngineTxnEvent ev, void *arg)
{
	SnapSession *ss = snap_state(s);

	switch (ev)
	{
		case ENGINE_TXN_BEGIN:
			snap_txn_reset(s, ss);
			if (engine_isolation(s) != ENGINE_ISO_SNAPSHOT || snapshot_state(s) != 1)
				return true;	/* 3952 comes from the statement hook */
			ss->have_start = feat_query_int(engine_db(s),
											"SELECT ifnull(max(cseq), 0) FROM main.__sim_snap_log",
											NULL, &ss->start_cseq);
			return true;
		case ENGINE_TXN_PRE_COMMIT:
			/* the shadows must not hide the tables from the commit hooks */
			shadows_set(s, ss, false);
			if (ss->rebased && ss->own_hit[0] == '\0')
			{
				sync_reused(s, ss);
				own_key_clash(s, ss, ss->own_hit, sizeof(ss->own_hit));
			}
			return snap_log_commit(s, ss);
		case ENGINE_TXN_COMMITTED:
		case ENGINE_TXN_ROLLED_BACK:
			snap_txn_reset(s, ss);
			return true;
	}
	return true;
}

void
engine_snapshot_register(void)
{
	snap_slot = engine_ext_slot(snap_session_free);
	engine_register_stmt_hook(snapshot_stmt_hook, NULL);
	engine_register_conn_init(snapshot_conn_init, NULL);
	engine_register_txn_hook(snapshot_txn_hook, NULL);
}
