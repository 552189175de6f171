/*-------------------------------------------------------------------------
 *
 * connection.c
 *		The cache of SQL Server sessions, keyed by user mapping.
 *
 * db-lib runs one request at a time per session, so a query that scans two
 * foreign tables of one server at once needs two sessions.  Each cache
 * entry (one per user mapping) therefore holds a short list of sessions;
 * a scan takes an idle one, or opens another, and gives it back when it
 * ends.  Sessions stay open across transactions.
 *
 * At the end of every transaction (commit or abort) and subtransaction
 * abort, sessions still in use are cancelled with a TDS attention and made
 * idle again; a session that does not come back from that is closed.
 * Changes to the foreign server or user mapping invalidate the entry
 * through syscache callbacks; its sessions are closed as soon as they are
 * idle.  A cached session found dead (the server restarted) is replaced
 * transparently when a request is sent.
 *
 * mssql_cdc.get_connections(), disconnect() and disconnect_all() show and
 * close sessions, like postgres_fdw's functions of the same purpose.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_tablespace_d.h"
#include "catalog/pg_user_mapping.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "mssql_cdc.h"

typedef struct ConnCacheEntry ConnCacheEntry;

struct MssqlConn
{
	TdsConn    *tds;
	ConnCacheEntry *entry;
	bool		busy;
	int			nest_level;		/* transaction nesting level of the user */
	MssqlConn  *next;
};

struct ConnCacheEntry
{
	Oid			key;			/* user mapping OID: hash key */
	Oid			serverid;
	Oid			userid;
	MssqlConn  *conns;
	bool		invalidated;
	uint32		server_hashvalue;
	uint32		mapping_hashvalue;
};

static HTAB *ConnectionHash = NULL;

static void mssql_xact_callback(XactEvent event, void *arg);
static void mssql_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
								   SubTransactionId parentSubid, void *arg);
static void mssql_inval_callback(Datum arg, int cacheid, uint32 hashvalue);
static TdsConn *open_session(ConnCacheEntry *entry);
static void close_conn(ConnCacheEntry *entry, MssqlConn *conn);
static void cleanup_entry(ConnCacheEntry *entry, int nest_level);

/* SET options every session starts with, so that SQL Server evaluates
 * pushed-down clauses the way the deparser expects (ANSI NULL semantics). */
static const char *session_setup_sql =
"SET ANSI_NULLS ON;\n"
"SET ANSI_WARNINGS ON;\n"
"SET ANSI_PADDING ON;\n"
"SET CONCAT_NULL_YIELDS_NULL ON;\n"
"SET QUOTED_IDENTIFIER ON;\n"
"SET ARITHABORT ON;\n"
"SET NOCOUNT ON;\n"
"SET TEXTSIZE 2147483647;\n";

/*
 * Set up the hash table and callbacks (first use in a backend).
 */
static void
init_hash(void)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(Oid);
	ctl.entrysize = sizeof(ConnCacheEntry);
	ConnectionHash = hash_create("mssql_cdc connections", 8, &ctl,
								 HASH_ELEM | HASH_BLOBS);

	RegisterXactCallback(mssql_xact_callback, NULL);
	RegisterSubXactCallback(mssql_subxact_callback, NULL);
	CacheRegisterSyscacheCallback(FOREIGNSERVEROID, mssql_inval_callback, (Datum) 0);
	CacheRegisterSyscacheCallback(USERMAPPINGOID, mssql_inval_callback, (Datum) 0);

	if (!tds_client_init(mssql_interrupt_requested))
		mssql_report_error(ERROR, NULL);
}

/*
 * Get an idle session for the user mapping, opening one if needed.  The
 * caller must give it back with mssql_release_connection(); at transaction
 * end it is given back in any case, and so it is when the subtransaction of
 * nest_level (0: the current one) aborts.
 *
 * A scan passes the level at which it began: a cursor declared in the
 * transaction but first read inside a savepoint keeps its session when
 * ROLLBACK TO that savepoint, because the cursor itself survives it.
 */
MssqlConn *
mssql_get_connection(UserMapping *user, int nest_level)
{
	ConnCacheEntry *entry;
	MssqlConn  *conn;
	MssqlConn  *next;
	bool		found;
	int			nconns = 0;

	if (ConnectionHash == NULL)
		init_hash();

	entry = hash_search(ConnectionHash, &user->umid, HASH_ENTER, &found);
	if (!found)
	{
		entry->conns = NULL;
		entry->invalidated = false;
	}
	entry->serverid = user->serverid;
	entry->userid = user->userid;
	entry->server_hashvalue =
		GetSysCacheHashValue1(FOREIGNSERVEROID, ObjectIdGetDatum(user->serverid));
	entry->mapping_hashvalue =
		GetSysCacheHashValue1(USERMAPPINGOID, ObjectIdGetDatum(user->umid));

	/* drop idle sessions that are invalidated or dead */
	for (conn = entry->conns; conn; conn = next)
	{
		next = conn->next;
		if (!conn->busy && (entry->invalidated || tds_is_dead(conn->tds)))
			close_conn(entry, conn);
	}
	if (entry->invalidated)
	{
		bool		any_busy = false;

		for (conn = entry->conns; conn; conn = conn->next)
			any_busy |= conn->busy;
		if (!any_busy)
			entry->invalidated = false;
	}

	for (conn = entry->conns; conn; conn = conn->next)
	{
		nconns++;
		if (!conn->busy && !entry->invalidated)
			break;
	}

	if (conn == NULL)
	{
		if (nconns >= mssql_max_connections_per_server)
			ereport(ERROR,
					(errcode(ERRCODE_TOO_MANY_CONNECTIONS),
					 errmsg("too many concurrent SQL Server sessions for server \"%s\"",
							GetForeignServer(user->serverid)->servername),
					 errdetail_plural("A backend may open at most %d session per user mapping.",
									  "A backend may open at most %d sessions per user mapping.",
									  mssql_max_connections_per_server,
									  mssql_max_connections_per_server),
					 errhint("Raise \"mssql_cdc.max_connections_per_server\".")));

		conn = MemoryContextAllocZero(TopMemoryContext, sizeof(MssqlConn));
		conn->entry = entry;
		PG_TRY();
		{
			conn->tds = open_session(entry);
		}
		PG_CATCH();
		{
			pfree(conn);
			PG_RE_THROW();
		}
		PG_END_TRY();
		conn->next = entry->conns;
		entry->conns = conn;
	}

	conn->busy = true;
	conn->nest_level = (nest_level > 0 &&
						nest_level < GetCurrentTransactionNestLevel())
		? nest_level : GetCurrentTransactionNestLevel();
	elog(DEBUG2, "mssql_cdc: session %p taken", conn);
	return conn;
}

/*
 * Give a session back.  Pending results are cancelled first.
 */
void
mssql_release_connection(MssqlConn *conn)
{
	if (conn == NULL)
		return;
	if (conn->tds && tds_is_busy(conn->tds))
		mssql_cancel(conn);
	conn->busy = false;
	elog(DEBUG2, "mssql_cdc: session %p given back", conn);
}

/* The db-lib session of a taken MssqlConn (NULL if it was lost) */
TdsConn *
mssql_tds(MssqlConn *conn)
{
	return conn->tds;
}

/*
 * Open a session for the entry's user mapping.  Raises an error on failure.
 */
static TdsConn *
open_session(ConnCacheEntry *entry)
{
	ForeignServer *server = GetForeignServer(entry->serverid);
	UserMapping *user = GetUserMapping(entry->userid, entry->serverid);
	MssqlConnOptions opts;
	TdsConnectParams params;
	TdsConn    *tds;
	char		tmpdir[MAXPGPATH];

	mssql_get_conn_options(server, user, &opts);

	/*
	 * As postgres_fdw does: a non-superuser must authenticate with a
	 * password, or the session would run with whatever credentials the
	 * PostgreSQL server process has (Kerberos, for instance).
	 */
	if (!superuser_arg(entry->userid) && opts.password_required &&
		(opts.password == NULL || opts.password[0] == '\0'))
		ereport(ERROR,
				(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
				 errmsg("password is required"),
				 errdetail("Non-superusers must give a password in the user mapping of server \"%s\".",
						   server->servername),
				 errhint("Add the option \"password\" to the user mapping, or let a superuser set \"password_required\" to false.")));

	if (opts.username == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("user mapping for server \"%s\" has no \"username\" option",
						server->servername),
				 errhint("Create the user mapping with OPTIONS (username '...', password '...').")));

	/*
	 * The private freetds.conf goes to the temporary-files directory, with
	 * the prefix that lets the postmaster remove leftovers after a crash.
	 */
	TempTablespacePath(tmpdir, DEFAULTTABLESPACE_OID);
	(void) MakePGDirectory(tmpdir);
	strlcat(tmpdir, "/" PG_TEMP_FILE_PREFIX ".", sizeof(tmpdir));

	memset(&params, 0, sizeof(params));
	params.host = opts.host;
	params.port = opts.port;
	params.instance = opts.instance;
	params.database = opts.database;
	params.username = opts.username;
	params.password = opts.password;
	params.app_name = opts.app_name;
	params.encryption = opts.encryption;
	params.tds_version = opts.tds_version;
	params.ca_file = opts.ca_file;
	params.conf_prefix = tmpdir;
	params.login_timeout = opts.login_timeout;
	params.query_timeout = opts.query_timeout;
	params.packet_size = opts.packet_size;
	params.readonly_intent = opts.readonly_intent;

	tds = tds_connect(&params);
	if (tds == NULL)
		mssql_report_connect_error(server->servername, &opts);

	if (!tds_execute_discard(tds, session_setup_sql))
	{
		/* tds_close() leaves the recorded error alone */
		tds_close(tds);
		mssql_report_error(ERROR, session_setup_sql);
	}
	elog(DEBUG1, "mssql_cdc: new session for server \"%s\"", server->servername);
	return tds;
}

/* Close a session and unlink it from its entry; conn is freed */
static void
close_conn(ConnCacheEntry *entry, MssqlConn *conn)
{
	MssqlConn **p;

	for (p = &entry->conns; *p; p = &(*p)->next)
	{
		if (*p == conn)
		{
			*p = conn->next;
			break;
		}
	}
	tds_close(conn->tds);
	pfree(conn);
}

/*
 * Send a request; if the session turns out to be dead (server restarted,
 * network cut), open a new one and send it again.  This is safe because
 * mssql_cdc's requests are reads in autocommit mode.
 */
void
mssql_execute(MssqlConn *conn, const char *sql)
{
	const TdsError *e;

	if (tds_execute(conn->tds, sql))
		return;

	e = tds_last_error();
	if (e->kind != TDS_ERR_DEAD && !tds_is_dead(conn->tds))
		mssql_report_error(ERROR, sql);

	ereport(DEBUG1,
			(errmsg_internal("mssql_cdc: session lost (%s), reconnecting",
							 e->client_message)));
	tds_close(conn->tds);
	conn->tds = NULL;
	conn->tds = open_session(conn->entry);
	if (!tds_execute(conn->tds, sql))
		mssql_report_error(ERROR, sql);
}

/* Like mssql_execute, but returns false instead of raising an error. */
bool
mssql_execute_noerror(MssqlConn *conn, const char *sql)
{
	volatile bool ok = true;

	if (tds_execute(conn->tds, sql))
		return true;
	if (!tds_is_dead(conn->tds))
		return false;
	PG_TRY();
	{
		tds_close(conn->tds);
		conn->tds = NULL;
		conn->tds = open_session(conn->entry);
		ok = tds_execute(conn->tds, sql);
	}
	PG_CATCH();
	{
		FlushErrorState();
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/*
 * Cancel pending results; a session that does not recover is closed (and
 * replaced at its next use).
 */
void
mssql_cancel(MssqlConn *conn)
{
	if (conn->tds == NULL)
		return;
	if (!tds_cancel(conn->tds))
	{
		tds_close(conn->tds);
		conn->tds = NULL;
	}
}

/*
 * Give back every session taken at nest_level or deeper.
 */
static void
cleanup_entry(ConnCacheEntry *entry, int nest_level)
{
	MssqlConn  *conn;
	MssqlConn  *next;

	for (conn = entry->conns; conn; conn = next)
	{
		next = conn->next;
		if (conn->busy && conn->nest_level >= nest_level)
		{
			if (conn->tds && tds_is_busy(conn->tds))
				mssql_cancel(conn);
			conn->busy = false;
		}
		if (!conn->busy && (conn->tds == NULL || entry->invalidated ||
							tds_is_dead(conn->tds)))
		{
			if (conn->tds == NULL)
			{
				MssqlConn **p;

				for (p = &entry->conns; *p; p = &(*p)->next)
					if (*p == conn)
					{
						*p = conn->next;
						break;
					}
				pfree(conn);
			}
			else
				close_conn(entry, conn);
		}
	}
	if (entry->invalidated && entry->conns == NULL)
		entry->invalidated = false;
}

/*
 * At the end of every top-level transaction, give back (and cancel) the
 * sessions that scans still hold, and close invalidated or dead ones.
 */
static void
mssql_xact_callback(XactEvent event, void *arg)
{
	HASH_SEQ_STATUS scan;
	ConnCacheEntry *entry;

	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			break;
		default:
			return;
	}
	if (ConnectionHash == NULL)
		return;

	hash_seq_init(&scan, ConnectionHash);
	while ((entry = (ConnCacheEntry *) hash_seq_search(&scan)))
		cleanup_entry(entry, 0);
}

/*
 * Subtransaction end: on commit, the sessions of its scans pass to the
 * parent; on abort, those taken at its level are given back (cancelled).
 */
static void
mssql_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid, void *arg)
{
	HASH_SEQ_STATUS scan;
	ConnCacheEntry *entry;

	if (ConnectionHash == NULL)
		return;

	if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		int			level = GetCurrentTransactionNestLevel();

		/*
		 * Sessions of scans begun in the committed subtransaction now belong
		 * to its parent: a cursor declared after SAVEPOINT a and kept after
		 * RELEASE a must survive a later ROLLBACK TO another savepoint.
		 */
		hash_seq_init(&scan, ConnectionHash);
		while ((entry = (ConnCacheEntry *) hash_seq_search(&scan)))
		{
			MssqlConn  *conn;

			for (conn = entry->conns; conn; conn = conn->next)
				if (conn->busy && conn->nest_level >= level)
					conn->nest_level = level - 1;
		}
		return;
	}
	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;

	hash_seq_init(&scan, ConnectionHash);
	while ((entry = (ConnCacheEntry *) hash_seq_search(&scan)))
		cleanup_entry(entry, GetCurrentTransactionNestLevel());
}

/*
 * A foreign server or user mapping changed: mark the entries that use it.
 * Their sessions are closed once idle.
 */
static void
mssql_inval_callback(Datum arg, int cacheid, uint32 hashvalue)
{
	HASH_SEQ_STATUS scan;
	ConnCacheEntry *entry;

	if (ConnectionHash == NULL)
		return;
	hash_seq_init(&scan, ConnectionHash);
	while ((entry = (ConnCacheEntry *) hash_seq_search(&scan)))
	{
		if (hashvalue == 0 ||
			(cacheid == FOREIGNSERVEROID && entry->server_hashvalue == hashvalue) ||
			(cacheid == USERMAPPINGOID && entry->mapping_hashvalue == hashvalue))
			entry->invalidated = true;
	}
}

/* ------------------------------------------------------------------------
 * SQL-callable functions
 * ------------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(mssql_cdc_get_connections);
PG_FUNCTION_INFO_V1(mssql_cdc_disconnect);
PG_FUNCTION_INFO_V1(mssql_cdc_disconnect_all);

/*
 * mssql_cdc.get_connections(): one row per open session:
 * server_name, user_name, valid (not invalidated), in_use.
 */
Datum
mssql_cdc_get_connections(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	HASH_SEQ_STATUS scan;
	ConnCacheEntry *entry;

	InitMaterializedSRF(fcinfo, 0);
	if (ConnectionHash == NULL)
		PG_RETURN_VOID();

	hash_seq_init(&scan, ConnectionHash);
	while ((entry = (ConnCacheEntry *) hash_seq_search(&scan)))
	{
		MssqlConn  *conn;
		ForeignServer *server = GetForeignServerExtended(entry->serverid,
														 FSV_MISSING_OK);

		for (conn = entry->conns; conn; conn = conn->next)
		{
			Datum		values[4];
			bool		nulls[4] = {false, false, false, false};

			if (conn->tds == NULL)
				continue;
			if (server)
				values[0] = CStringGetTextDatum(server->servername);
			else
				nulls[0] = true;
			if (OidIsValid(entry->userid))
				values[1] = CStringGetTextDatum(GetUserNameFromId(entry->userid, true) ?
												GetUserNameFromId(entry->userid, true) : "?");
			else
				values[1] = CStringGetTextDatum("public");
			values[2] = BoolGetDatum(!entry->invalidated && server != NULL);
			values[3] = BoolGetDatum(conn->busy);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	PG_RETURN_VOID();
}

/*
 * Close the idle sessions of entries matching serverid (InvalidOid: all).
 * Returns true if any session was closed.
 */
static bool
disconnect_cached(Oid serverid)
{
	HASH_SEQ_STATUS scan;
	ConnCacheEntry *entry;
	bool		result = false;

	if (ConnectionHash == NULL)
		return false;

	hash_seq_init(&scan, ConnectionHash);
	while ((entry = (ConnCacheEntry *) hash_seq_search(&scan)))
	{
		MssqlConn  *conn;
		MssqlConn  *next;

		if (OidIsValid(serverid) && entry->serverid != serverid)
			continue;
		for (conn = entry->conns; conn; conn = next)
		{
			next = conn->next;
			if (conn->busy)
			{
				ForeignServer *server = GetForeignServerExtended(entry->serverid,
																 FSV_MISSING_OK);

				ereport(WARNING,
						(errcode(ERRCODE_OBJECT_IN_USE),
						 errmsg("cannot close a session of server \"%s\" because it is still in use",
								server ? server->servername : "?")));
				continue;
			}
			if (conn->tds)
				close_conn(entry, conn);
			result = true;
		}
	}
	return result;
}

Datum
mssql_cdc_disconnect(PG_FUNCTION_ARGS)
{
	char	   *servername = text_to_cstring(PG_GETARG_TEXT_PP(0));
	ForeignServer *server = GetForeignServerByName(servername, false);

	PG_RETURN_BOOL(disconnect_cached(server->serverid));
}

Datum
mssql_cdc_disconnect_all(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(disconnect_cached(InvalidOid));
}
