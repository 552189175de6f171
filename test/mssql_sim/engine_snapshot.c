/*
 * engine_snapshot.c
 *		SNAPSHOT isolation for the stand-in: ALTER DATABASE ... SET
 *		ALLOW_SNAPSHOT_ISOLATION ON|OFF, error 3952 when a SNAPSHOT
 *		transaction touches a database that does not allow it, and pinning
 *		the transaction's view at its first read.
 *
 * The engine opens a SNAPSHOT transaction with a deferred BEGIN; the WAL
 * read transaction that SQLite starts at the first read is exactly SQL
 * Server's "one consistent state from the first data access on": every
 * table, CHANGE_TRACKING_CURRENT_VERSION() and the CDC tables are read from
 * that one WAL snapshot while other connections keep committing.  A write
 * after another connection committed fails with SQLITE_BUSY_SNAPSHOT,
 * which the engine reports as 3960 (update conflict).  That is coarser than
 * SQL Server, which raises 3960 only when the same row was changed: the
 * stand-in raises it for any concurrent commit to the database.
 *
 * The flag lives in master's __sim_databases.snapshot_isolation_state
 * (0 OFF, 1 ON), which sys.databases shows.
 */
#include <stdio.h>
#include <string.h>

#include "engine_int.h"
#include "engine_feat.h"

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

/*
 * True if the statement reads or writes a user table of the current
 * database: a name after FROM, JOIN, APPLY, UPDATE, INTO, DELETE, TABLE or
 * CHANGETABLE's CHANGES/VERSION that is not a catalog view or a function.
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
 * BEGIN of a SNAPSHOT transaction in a database that allows it: start the
 * WAL read transaction now, so that the whole transaction reads one state.
 */
static bool
snapshot_txn_hook(SimSession *s, EngineTxnEvent ev, void *arg)
{
	sqlite3_stmt *stmt;

	if (ev != ENGINE_TXN_BEGIN || engine_isolation(s) != ENGINE_ISO_SNAPSHOT)
		return true;
	if (snapshot_state(s) != 1)
		return true;			/* 3952 comes from the statement hook */
	if (sqlite3_prepare_v2(engine_db(s), "SELECT count(*) FROM main.__sim_meta", -1, &stmt, NULL) == SQLITE_OK)
	{
		sqlite3_step(stmt);
		sqlite3_finalize(stmt);
	}
	return true;
}

void
engine_snapshot_register(void)
{
	engine_register_stmt_hook(snapshot_stmt_hook, NULL);
	engine_register_txn_hook(snapshot_txn_hook, NULL);
}
