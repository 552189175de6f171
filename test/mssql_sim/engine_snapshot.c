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

/* ALTER DATABASE <db> SET ALLOW_SNAPSHOT_ISOLATION { ON | OFF } */
static EngineHookResult
snapshot_stmt_hook(SimSession *s, const EngineStmt *st, int *skip, void *arg)
{
	const char *dbname;
	bool		on;
	char		sql[256];
	bool		ok;

	if (!(engine_tok_is(st, 0, "ALTER") && engine_tok_is(st, 1, "DATABASE") &&
		  engine_tok_is(st, 3, "SET") && engine_tok_is(st, 4, "ALLOW_SNAPSHOT_ISOLATION")))
		return ENGINE_HOOK_PASS;
	if (!(engine_tok_is(st, 5, "ON") || engine_tok_is(st, 5, "OFF")) ||
		(st->tok[6].type != TK_EOF && !engine_tok_op(st, 6, ";")))
	{
		engine_error(s, 102, "Incorrect syntax near 'ALLOW_SNAPSHOT_ISOLATION'.");
		return ENGINE_HOOK_ERROR;
	}
	on = engine_tok_is(st, 5, "ON");
	dbname = st->tok[2].text;
	if (st->tok[2].type == TK_WORD && engine_strcasecmp(dbname, "CURRENT") == 0)
		dbname = sim_session_database(s);
	if (engine_strcasecmp(dbname, sim_session_database(s)) != 0)
	{
		char		canon[ENGINE_NAME_BUF];

		if (!engine_database_exists(dbname, canon, sizeof(canon)))
			engine_error(s, 911, "Database '%s' does not exist. Make sure that the name is entered correctly.",
						 dbname);
		else
			engine_error(s, 50000, "mssql_sim: ALTER DATABASE ... SET ALLOW_SNAPSHOT_ISOLATION is supported"
						 " for the current database only (USE %s first).", dbname);
		return ENGINE_HOOK_ERROR;
	}
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
 * BEGIN of a SNAPSHOT transaction: 3952 unless the database allows it;
 * otherwise start the WAL read transaction now, so that the whole
 * transaction reads one state.
 */
static bool
snapshot_txn_hook(SimSession *s, EngineTxnEvent ev, void *arg)
{
	sqlite3_stmt *stmt;

	if (ev != ENGINE_TXN_BEGIN || engine_isolation(s) != ENGINE_ISO_SNAPSHOT)
		return true;
	if (snapshot_state(s) != 1)
	{
		engine_error(s, 3952, "Snapshot isolation transaction failed accessing database '%s' because"
					 " snapshot isolation is not allowed in this database. Use ALTER DATABASE to allow"
					 " snapshot isolation.", sim_session_database(s));
		return false;
	}
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
