/*
 * engine_session.c
 *		Engine start-up, logins, sessions (one SQLite handle each), the
 *		session's variables, and transactions (BEGIN/COMMIT/ROLLBACK with
 *		@@TRANCOUNT, statement atomicity, TM requests).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <ctype.h>
#include <time.h>
#include <unistd.h>

#include "engine_int.h"

#define DEFAULT_SA_PASSWORD "Sim_Passw0rd!"

typedef struct Login
{
	char	   *user;
	char	   *password;
} Login;

static char *data_dir;
static char *sa_password;
static char *server_name;
static Login *logins;
static int	nlogins;
static uint64_t next_descriptor = 1;

/* One shared handle on master for database lookups, under a mutex. */
static sqlite3 *master_db;
static pthread_mutex_t master_lock = PTHREAD_MUTEX_INITIALIZER;

const char *
engine_data_dir(void)
{
	return data_dir;
}

const char *
engine_server_name(void)
{
	return server_name;
}

static uint64_t
new_txn_descriptor(void)
{
	return __atomic_fetch_add(&next_descriptor, 1, __ATOMIC_RELAXED);
}

static void
db_path(const char *name, char *buf, size_t len)
{
	char		lower[ENGINE_NAME_LEN];
	size_t		i;

	for (i = 0; name[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char) tolower((unsigned char) name[i]);
	lower[i] = '\0';
	snprintf(buf, len, "%s/%s.db", data_dir, lower);
}

/* Open a database file with the engine's settings (no session functions). */
static int
open_handle(const char *path, bool create, sqlite3 **db)
{
	int			rc;

	rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
						 (create ? SQLITE_OPEN_CREATE : 0), NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_busy_timeout(*db, 10000);
	/* "x" is always an identifier (never SQLite's legacy string fallback) */
	sqlite3_db_config(*db, SQLITE_DBCONFIG_DQS_DML, 0, (int *) NULL);
	sqlite3_db_config(*db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *) NULL);
	sqlite3_exec(*db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
				 " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;", NULL, NULL, NULL);
	sqlite3_extended_result_codes(*db, 1);
	engine_collations_create(*db);
	return SQLITE_OK;
}

/*
 * Create the SQLite file of database name if needed and make sure its
 * __sim_* catalog tables exist; false with errbuf filled.  Does not add it
 * to master's list of databases.
 */
bool
engine_create_database_file(const char *name, char *errbuf, size_t errlen)
{
	char		path[4096];
	sqlite3    *db;

	db_path(name, path, sizeof(path));
	if (open_handle(path, true, &db) != SQLITE_OK)
	{
		snprintf(errbuf, errlen, "cannot create %s: %s", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return false;
	}
	if (!engine_catalog_init_db(db, name, errbuf, errlen))
	{
		sqlite3_close(db);
		return false;
	}
	sqlite3_close(db);
	return true;
}

/* True if the database exists; canon receives its name as created. */
bool
engine_database_exists(const char *name, char *canon, size_t len)
{
	sqlite3_stmt *stmt;
	bool		found = false;

	pthread_mutex_lock(&master_lock);
	if (sqlite3_prepare_v2(master_db, "SELECT name, database_id FROM __sim_databases"
						   " WHERE name = ?1 AND database_id NOT IN (2, 3, 4)", -1, &stmt,
						   NULL) == SQLITE_OK)
	{
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
		{
			found = true;
			if (canon)
				snprintf(canon, len, "%s", (const char *) sqlite3_column_text(stmt, 0));
		}
		sqlite3_finalize(stmt);
	}
	pthread_mutex_unlock(&master_lock);
	return found;
}

/*
 * database_id of name in master's catalog (0 when unknown); takes master_lock.
 */
static int
database_id_of(const char *name)
{
	sqlite3_stmt *stmt;
	int			id = 0;

	pthread_mutex_lock(&master_lock);
	if (sqlite3_prepare_v2(master_db, "SELECT database_id FROM __sim_databases WHERE name = ?1",
						   -1, &stmt, NULL) == SQLITE_OK)
	{
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			id = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
	}
	pthread_mutex_unlock(&master_lock);
	return id;
}

/*
 * Read "user:password" lines (# comments) from file.
 */
static void
load_logins(const char *file)
{
	FILE	   *f = fopen(file, "r");
	char		line[1024];

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f))
	{
		char	   *colon;
		size_t		n = strlen(line);

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		colon = strchr(line, ':');
		if (colon == NULL)
			continue;
		*colon = '\0';
		logins = realloc(logins, sizeof(Login) * (size_t) (nlogins + 1));
		if (logins == NULL)
			abort();
		logins[nlogins].user = estrdup(line);
		logins[nlogins].password = estrdup(colon + 1);
		nlogins++;
	}
	fclose(f);
}

/*
 * Contract in sim.h: once, before any thread starts; creates or opens
 * master, loads the logins file, registers the extensions.
 */
bool
sim_engine_init(const SimConfig *cfg, char *errbuf, size_t errlen)
{
	char		path[4096];

	data_dir = estrdup(cfg->data_dir ? cfg->data_dir : ".");
	sa_password = estrdup(cfg->sa_password ? cfg->sa_password : DEFAULT_SA_PASSWORD);
	server_name = estrdup(cfg->server_name ? cfg->server_name : "MSSQL_SIM");
	if (mkdir(data_dir, 0777) != 0 && errno != EEXIST)
	{
		snprintf(errbuf, errlen, "cannot create %s: %s", data_dir, strerror(errno));
		return false;
	}
	if (!engine_create_database_file("master", errbuf, errlen))
		return false;
	db_path("master", path, sizeof(path));
	if (open_handle(path, false, &master_db) != SQLITE_OK)
	{
		snprintf(errbuf, errlen, "cannot open %s", path);
		return false;
	}
	if (cfg->logins_file)
		load_logins(cfg->logins_file);
	engine_register_extensions();
	return true;
}

bool
sim_engine_check_login(const char *user, const char *password)
{
	int			i;

	if (user == NULL || password == NULL)
		return false;
	if (engine_strcasecmp(user, "sa") == 0)
		return strcmp(password, sa_password) == 0;
	for (i = 0; i < nlogins; i++)
		if (engine_strcasecmp(user, logins[i].user) == 0)
			return strcmp(password, logins[i].password) == 0;
	return false;
}

/*
 * SQLite progress callback: interrupt the running statement once the
 * client sent an attention (or went away).
 */
static int
progress_cb(void *arg)
{
	SimSession *s = arg;

	if (s->out && !s->internal && sim_out_cancel_requested(s->out))
	{
		s->cancelled = true;
		return 1;
	}
	return 0;
}

static int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * SQLite busy handler of a session's handle: the lock another session
 * holds is waited for the way SQL Server waits, for ever by default, or
 * SET LOCK_TIMEOUT milliseconds (0: not at all).  The wait sleeps in small
 * steps and ends early when the client sends an attention, so that a
 * cancelled statement does not hang; s->cancelled then tells
 * engine_error_sqlite to report nothing.  Returning 0 makes SQLite give
 * up with SQLITE_BUSY, which becomes error 1222.
 */
static int
busy_cb(void *arg, int count)
{
	SimSession *s = arg;
	int64_t		now = monotonic_ms();
	int64_t		step;

	if (count == 0)
		s->busy_since_ms = now;
	if (s->out && !s->internal && sim_out_cancel_requested(s->out))
	{
		s->cancelled = true;
		return 0;
	}
	step = count < 10 ? 1 : count < 50 ? 5 : 20;
	if (s->lock_timeout_ms >= 0)
	{
		int64_t		left = s->busy_since_ms + s->lock_timeout_ms - now;

		if (left <= 0)
			return 0;
		if (step > left)
			step = left;
	}
	usleep((useconds_t) (step * 1000));
	return 1;
}

/*
 * Open (or switch) the session's handle to database dbname.  On failure
 * the session keeps its old handle and *errnum/errbuf say why.
 */
bool
engine_session_open_db(SimSession *s, const char *dbname, int *errnum, char *errbuf,
					   size_t errlen)
{
	char		canon[ENGINE_NAME_LEN];
	char		path[4096];
	sqlite3    *db;
	sqlite3    *old_db = s->db;
	char	   *old_name = s->dbname;
	const char *old_master = s->master_schema;
	int			old_id = s->database_id;

	if (!engine_database_exists(dbname, canon, sizeof(canon)))
	{
		*errnum = 4060;
		snprintf(errbuf, errlen, "Cannot open database \"%s\" requested by the login. The login failed.",
				 dbname);
		return false;
	}
	db_path(canon, path, sizeof(path));
	if (open_handle(path, false, &db) != SQLITE_OK)
	{
		*errnum = 4060;
		snprintf(errbuf, errlen, "Cannot open database \"%s\" requested by the login. The login failed.",
				 dbname);
		sqlite3_close(db);
		return false;
	}
	s->db = db;
	s->dbname = estrdup(canon);
	s->database_id = database_id_of(canon);
	s->master_schema = "main";
	if (engine_strcasecmp(canon, "master") != 0)
	{
		char		sql[4200];

		db_path("master", path, sizeof(path));
		snprintf(sql, sizeof(sql), "ATTACH DATABASE '%s' AS sim_master", path);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
		s->master_schema = "sim_master";
	}
	engine_funcs_create(s, db);
	sqlite3_progress_handler(db, 20000, progress_cb, s);
	sqlite3_busy_handler(db, busy_cb, s);
	if (!engine_catalog_create_temp(s, errbuf, errlen) ||
		!engine_run_conn_init(s, db, errbuf, errlen))
	{
		*errnum = 4060;
		sqlite3_close(db);
		free(s->dbname);
		s->db = old_db;
		s->dbname = old_name;
		s->master_schema = old_master;
		s->database_id = old_id;
		return false;
	}
	/* #temp tables belong to the session, not to the database */
	if (old_db && !engine_temp_move(s, old_db, db))
		engine_temp_clear(s, false);
	if (old_db)
		sqlite3_close(old_db);
	free(old_name);
	while (s->nattached > 0)
		free(s->attached[--s->nattached]);
	return true;
}

/*
 * Attach database dbname to the session's handle (once) for three-part
 * names; returns the schema name it is attached as, or NULL if it does not
 * exist or cannot be attached now (inside a transaction).  The name is
 * stored in the session (valid until the handle is reopened).
 */
const char *
engine_attach_database(SimSession *s, const char *dbname)
{
	char		canon[ENGINE_NAME_LEN];
	char		path[4096];
	char		lower[ENGINE_NAME_LEN];
	EngineBuf	b;
	size_t		k;
	int			i;
	int			rc;

	if (engine_strcasecmp(dbname, "master") == 0 && strcmp(s->master_schema, "sim_master") == 0)
		return "sim_master";
	if (!engine_database_exists(dbname, canon, sizeof(canon)))
		return NULL;
	for (k = 0; canon[k] && k < sizeof(lower) - 6; k++)
		lower[k] = (char) tolower((unsigned char) canon[k]);
	lower[k] = '\0';
	for (i = 0; i < s->nattached; i++)
		if (strcmp(s->attached[i] + 3, lower) == 0)
			return s->attached[i];
	if (s->nattached >= 8 || sqlite3_get_autocommit(s->db) == 0)
		return NULL;
	db_path(canon, path, sizeof(path));
	ebuf_init(&b);
	ebuf_append(&b, "ATTACH DATABASE ");
	ebuf_append_literal(&b, path);
	ebuf_append(&b, " AS ");
	s->attached[s->nattached] = emalloc(strlen(lower) + 4);
	sprintf(s->attached[s->nattached], "db_%s", lower);
	ebuf_append_ident(&b, s->attached[s->nattached]);
	rc = sqlite3_exec(s->db, b.data, NULL, NULL, NULL);
	ebuf_free(&b);
	if (rc != SQLITE_OK)
	{
		free(s->attached[s->nattached]);
		return NULL;
	}
	return s->attached[s->nattached++];
}

/* Detach a database attached by engine_attach_database (DROP DATABASE). */
void
engine_detach_database(SimSession *s, const char *dbname)
{
	int			i;

	for (i = 0; i < s->nattached; i++)
		if (engine_strcasecmp(s->attached[i] + 3, dbname) == 0)
		{
			EngineBuf	b;

			ebuf_init(&b);
			ebuf_append(&b, "DETACH DATABASE ");
			ebuf_append_ident(&b, s->attached[i]);
			sqlite3_exec(s->db, b.data, NULL, NULL, NULL);
			ebuf_free(&b);
			free(s->attached[i]);
			s->attached[i] = s->attached[--s->nattached];
			return;
		}
}

static void
session_defaults(SimSession *s)
{
	s->nocount = false;
	s->xact_abort = false;
	s->showplan_all = false;
	s->implicit_transactions = false;
	s->rowcount_limit = 0;
	s->datefirst = 7;
	memcpy(s->dateformat, "mdy", 4);
	s->isolation = ENGINE_ISO_READ_COMMITTED;
	s->identity_insert_object = 0;
	s->lock_timeout_ms = -1;
}

/* Contract in sim.h. */
SimSession *
sim_session_open(const char *user, const char *database, int spid, int *err_number,
				 char *errbuf, size_t errlen)
{
	SimSession *s = emalloc(sizeof(SimSession));

	memset(s, 0, sizeof(*s));
	s->user = estrdup(user ? user : "sa");
	s->spid = spid;
	session_defaults(s);
	s->login_db = estrdup(database && database[0] ? database : "master");
	s->next_handle = 1;
	if (!engine_session_open_db(s, s->login_db, err_number, errbuf, errlen))
	{
		free(s->user);
		free(s->login_db);
		free(s);
		return NULL;
	}
	return s;
}

static void
free_prepared(SimSession *s)
{
	int			i;

	for (i = 0; i < s->nprepared; i++)
	{
		free(s->prepared[i].params_decl);
		free(s->prepared[i].sql);
	}
	free(s->prepared);
	s->prepared = NULL;
	s->nprepared = 0;
}

/* Contract in sim.h: rolls back what is open and frees the session. */
void
sim_session_close(SimSession *s)
{
	if (s == NULL)
		return;
	if (s->sqlite_txn)
	{
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->sqlite_txn = false;
		engine_run_txn_hooks(s, ENGINE_TXN_ROLLED_BACK);
	}
	engine_ext_free_all(s);
	engine_vars_clear(s);
	free(s->vars);
	free_prepared(s);
	engine_temp_clear(s, false);
	while (s->nattached > 0)
		free(s->attached[--s->nattached]);
	sqlite3_close(s->db);
	free(s->dbname);
	free(s->login_db);
	free(s->user);
	free(s);
}

const char *
sim_session_database(SimSession *s)
{
	return s->dbname;
}

uint64_t
sim_session_transaction(SimSession *s)
{
	return s->trancount > 0 ? s->txn_descriptor : 0;
}

/*
 * Contract in sim.h (sp_reset_connection): roll back, forget variables,
 * prepared statements, #temp tables and SET options, go back to the login
 * database.  Messages go to o.
 */
void
sim_session_reset(SimSession *s, SimOutput *o)
{
	int			errnum;
	char		err[512];
	SimOutput  *save_out = s->out;

	s->out = o;
	if (s->trancount > 0 || s->sqlite_txn)
		engine_rollback_tran(s, false);
	engine_vars_clear(s);
	free_prepared(s);
	engine_temp_clear(s, true);
	session_defaults(s);
	engine_ext_free_all(s);
	if (engine_strcasecmp(s->dbname, s->login_db) != 0)
		engine_session_open_db(s, s->login_db, &errnum, err, sizeof(err));
	else
	{
		sqlite3_exec(s->db, "DROP TABLE IF EXISTS temp.__sim_dummy", NULL, NULL, NULL);
		engine_run_conn_init(s, s->db, err, sizeof(err));
	}
	s->out = save_out;
}

sqlite3 *
engine_db(SimSession *s)
{
	return s->db;
}

const char *
engine_user(SimSession *s)
{
	return s->user;
}

int
engine_spid(SimSession *s)
{
	return s->spid;
}

EngineIsolation
engine_isolation(SimSession *s)
{
	return s->isolation;
}

int
engine_trancount(SimSession *s)
{
	return s->trancount;
}

/* ------------------------------------------------------------------------
 * Variables
 * ------------------------------------------------------------------------
 */

EngineVar *
engine_var_find(SimSession *s, const char *name)
{
	int			i;

	for (i = 0; i < s->nvars; i++)
		if (engine_strcasecmp(s->vars[i].name, name) == 0)
			return &s->vars[i];
	return NULL;
}

/* Declare a variable (NULL value); returns NULL if it already exists. */
EngineVar *
engine_var_declare(SimSession *s, const char *name, const SimType *t)
{
	EngineVar  *v;
	char	   *p;

	if (engine_var_find(s, name))
		return NULL;
	if (s->nvars == s->capvars)
	{
		s->capvars = s->capvars ? s->capvars * 2 : 16;
		s->vars = realloc(s->vars, sizeof(EngineVar) * (size_t) s->capvars);
		if (s->vars == NULL)
			abort();
	}
	v = &s->vars[s->nvars++];
	v->name = estrdup(name);
	for (p = v->name; *p; p++)
		*p = (char) tolower((unsigned char) *p);
	v->type = *t;
	v->value = NULL;
	return v;
}

/* Store a copy of val (NULL pointer = SQL NULL). */
void
engine_var_set(EngineVar *v, sqlite3_value *val)
{
	if (v->value)
		sqlite3_value_free(v->value);
	v->value = val ? sqlite3_value_dup(val) : NULL;
}

/*
 * Store ev (converted already; still the caller's to free) into v, as the
 * sqlite3_value SQLite makes of it.  v is left unchanged if SQLite fails.
 */
static void
var_set_engine_value(SimSession *s, EngineVar *v, EngineValue *ev)
{
	sqlite3_stmt *tmp;

	if (sqlite3_prepare_v2(s->db, "SELECT ?1", -1, &tmp, NULL) == SQLITE_OK)
	{
		engine_value_bind(tmp, 1, ev);
		if (sqlite3_step(tmp) == SQLITE_ROW)
			engine_var_set(v, sqlite3_column_value(tmp, 0));
		sqlite3_finalize(tmp);
	}
}

/*
 * Convert val (with the engine_convert_from source flags) to v's type and
 * store it.  On failure raise the conversion's own error, or, when
 * param_sent is given (an RPC parameter sent as that type), error 8114 as
 * SQL Server words parameter conversions.
 */
static bool
assign_converted(SimSession *s, EngineVar *v, sqlite3_value *val, int src_flags,
				 const SimType *param_sent)
{
	EngineValue ev;
	int			errnum;
	char		err[512];

	if (!engine_convert_from(val, src_flags, &v->type, true, &ev, &errnum, err, sizeof(err)))
	{
		if (param_sent)
		{
			char		from[64],
						to[64];

			sim_type_format(param_sent, from, sizeof(from));
			sim_type_format(&v->type, to, sizeof(to));
			from[strcspn(from, "(")] = '\0';
			to[strcspn(to, "(")] = '\0';
			engine_error(s, 8114, "Error converting data type %s to %s.", from, to);
		}
		else
			engine_error(s, errnum, "%s", err);
		return false;
	}
	var_set_engine_value(s, v, &ev);
	engine_value_free(&ev);
	return true;
}

/*
 * Assign val to v as SET/SELECT @v = ... does: converted to v's type (an
 * explicit conversion; src_flags as for engine_convert_from).  False after
 * reporting the conversion error (v unchanged).  val stays the caller's.
 */
bool
engine_var_assign(SimSession *s, EngineVar *v, sqlite3_value *val, int src_flags)
{
	return assign_converted(s, v, val, src_flags, NULL);
}

/*
 * Assign an RPC parameter's value, sent as type *sent, to the declared
 * parameter v.  SQL Server reports a failed parameter conversion as 8114
 * "Error converting data type nvarchar to int." (naming the base types),
 * not with the 245 text of a conversion inside a statement.
 */
bool
engine_var_assign_param(SimSession *s, EngineVar *v, sqlite3_value *val,
						const SimType *sent)
{
	return assign_converted(s, v, val, engine_type_src_flags(sent), sent);
}

/* Store the integer value in v (as an SQLite integer; no conversion). */
void
engine_var_set_int(SimSession *s, EngineVar *v, int value)
{
	sqlite3_stmt *tmp;

	if (sqlite3_prepare_v2(s->db, "SELECT ?1", -1, &tmp, NULL) == SQLITE_OK)
	{
		sqlite3_bind_int(tmp, 1, value);
		if (sqlite3_step(tmp) == SQLITE_ROW)
			engine_var_set(v, sqlite3_column_value(tmp, 0));
		sqlite3_finalize(tmp);
	}
}

void
engine_vars_clear(SimSession *s)
{
	int			i;

	for (i = 0; i < s->nvars; i++)
	{
		free(s->vars[i].name);
		if (s->vars[i].value)
			sqlite3_value_free(s->vars[i].value);
	}
	s->nvars = 0;
}

/* ------------------------------------------------------------------------
 * Transactions
 * ------------------------------------------------------------------------
 */

static bool
exec_simple(SimSession *s, const char *sql)
{
	int			rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
	{
		engine_error_sqlite(s, rc);
		return false;
	}
	return true;
}

/*
 * Open the SQLite transaction (BEGIN IMMEDIATE, or deferred BEGIN under
 * SNAPSHOT) and run the BEGIN hooks; false after reporting an error, with no
 * transaction left open.
 */
static bool
open_sqlite_txn(SimSession *s)
{
	const char *sql = s->isolation == ENGINE_ISO_SNAPSHOT ? "BEGIN" : "BEGIN IMMEDIATE";

	if (!exec_simple(s, sql))
		return false;
	s->sqlite_txn = true;
	if (!engine_run_txn_hooks(s, ENGINE_TXN_BEGIN))
	{
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->sqlite_txn = false;
		if (!s->stmt_failed)
			engine_error(s, 50000, "the transaction could not be started");
		return false;
	}
	return true;
}

/* Commit the open SQLite transaction with the commit hooks. */
static bool
commit_sqlite_txn(SimSession *s)
{
	int			rc;

	if (!s->sqlite_txn)
		return true;
	if (!engine_run_txn_hooks(s, ENGINE_TXN_PRE_COMMIT))
	{
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->sqlite_txn = false;
		engine_run_txn_hooks(s, ENGINE_TXN_ROLLED_BACK);
		return false;
	}
	rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
	{
		engine_error_sqlite(s, rc);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->sqlite_txn = false;
		engine_run_txn_hooks(s, ENGINE_TXN_ROLLED_BACK);
		return false;
	}
	s->sqlite_txn = false;
	engine_run_txn_hooks(s, ENGINE_TXN_COMMITTED);
	return true;
}

/* Contract in engine.h. */
bool
engine_txn_ensure(SimSession *s, bool write)
{
	if (s->sqlite_txn)
		return true;
	if (s->trancount == 0 && !write)
		return true;
	/*
	 * READ COMMITTED (and READ UNCOMMITTED) reads in an explicit transaction
	 * that has not written yet read the latest committed data, statement by
	 * statement, as SQL Server's locking read committed does: no SQLite
	 * transaction (which would be a snapshot, or a write lock) until the
	 * first write.
	 */
	if (!write && (s->isolation == ENGINE_ISO_READ_COMMITTED ||
				   s->isolation == ENGINE_ISO_READ_UNCOMMITTED))
		return true;
	if (s->trancount == 0)
		return engine_stmt_begin(s);
	return open_sqlite_txn(s);
}

/* Contract in engine.h. */
bool
engine_stmt_begin(SimSession *s)
{
	if (s->trancount == 0 && !s->sqlite_txn)
	{
		if (!open_sqlite_txn(s))
			return false;
		s->autocommit_txn = true;
		return true;
	}
	if (!s->sqlite_txn && !open_sqlite_txn(s))
		return false;
	if (!exec_simple(s, "SAVEPOINT sim_stmt"))
		return false;
	s->stmt_savepoints++;
	return true;
}

/*
 * Statements nest (a SELECT INTO's INSERT, MERGE's parts, a DDL hook's
 * own writes): an inner engine_stmt_begin in an open transaction takes a
 * savepoint, and its engine_stmt_end releases (or rolls back to) that
 * savepoint before anything else, so that only the outermost end commits
 * an autocommit transaction.
 */
bool
engine_stmt_end(SimSession *s, bool ok)
{
	engine_rowversion_flush(s, ok);
	if (s->stmt_savepoints > 0 && s->sqlite_txn)
	{
		s->stmt_savepoints--;
		if (!ok)
			sqlite3_exec(s->db, "ROLLBACK TO sim_stmt", NULL, NULL, NULL);
		sqlite3_exec(s->db, "RELEASE sim_stmt", NULL, NULL, NULL);
		return true;
	}
	if (s->autocommit_txn)
	{
		s->autocommit_txn = false;
		if (ok)
			return commit_sqlite_txn(s);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->sqlite_txn = false;
		engine_run_txn_hooks(s, ENGINE_TXN_ROLLED_BACK);
		return true;
	}
	if (s->stmt_savepoints > 0)
	{
		s->stmt_savepoints--;
		if (!ok)
			sqlite3_exec(s->db, "ROLLBACK TO sim_stmt", NULL, NULL, NULL);
		sqlite3_exec(s->db, "RELEASE sim_stmt", NULL, NULL, NULL);
	}
	return true;
}

bool
engine_begin_tran(SimSession *s)
{
	if (s->trancount == 0)
	{
		s->txn_descriptor = new_txn_descriptor();
		if (s->out && !s->internal)
			sim_out_env_transaction(s->out, SIM_ENV_BEGIN_TRAN, s->txn_descriptor);
	}
	s->trancount++;
	return true;
}

/*
 * COMMIT: 3902 without a transaction; an inner COMMIT only decrements
 * @@TRANCOUNT, the outermost commits SQLite and sends the ENVCHANGE.
 */
bool
engine_commit_tran(SimSession *s)
{
	bool		ok = true;

	if (s->trancount == 0)
	{
		engine_error(s, 3902, "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.");
		return false;
	}
	if (s->trancount > 1)
	{
		s->trancount--;
		return true;
	}
	ok = commit_sqlite_txn(s);
	s->trancount = 0;
	if (s->out && !s->internal)
		sim_out_env_transaction(s->out, ok ? SIM_ENV_COMMIT_TRAN : SIM_ENV_ROLLBACK_TRAN,
								s->txn_descriptor);
	s->txn_descriptor = 0;
	return ok;
}

/* Roll the whole transaction back; envchange: send ENVCHANGE 10. */
bool
engine_rollback_tran(SimSession *s, bool envchange)
{
	if (s->trancount == 0 && !s->sqlite_txn)
	{
		engine_error(s, 3903, "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.");
		return false;
	}
	if (s->sqlite_txn)
	{
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->sqlite_txn = false;
		s->autocommit_txn = false;
		s->stmt_savepoints = 0;
		engine_run_txn_hooks(s, ENGINE_TXN_ROLLED_BACK);
	}
	if (s->trancount > 0 && envchange && s->out && !s->internal)
		sim_out_env_transaction(s->out, SIM_ENV_ROLLBACK_TRAN, s->txn_descriptor);
	s->trancount = 0;
	s->txn_descriptor = 0;
	return true;
}

/*
 * Transaction manager request (contract in sim.h); SAVE with a name sets a
 * savepoint, ROLLBACK with a name rolls back to it (the transaction stays
 * open), as SAVE TRAN / ROLLBACK TRAN name do.  SAVE also checks that a
 * transaction is open.
 */
void
sim_session_tm_request(SimSession *s, int request_type, int isolation, const char *name,
					   bool begin_new, SimOutput *o)
{
	EngineBuf	sql;

	s->out = o;
	s->stmt_failed = false;
	if (isolation > 0 && isolation <= 5)
		s->isolation = (EngineIsolation) isolation;
	ebuf_init(&sql);
	if (request_type == SIM_TM_ROLLBACK && name && name[0] && s->trancount > 0)
	{
		/* TM_ROLLBACK_XACT naming a savepoint: ROLLBACK TRAN name */
		ebuf_append(&sql, "ROLLBACK TO ");
		ebuf_append_ident(&sql, name);
		if (s->sqlite_txn && sqlite3_exec(s->db, sql.data, NULL, NULL, NULL) == SQLITE_OK)
		{
			ebuf_free(&sql);
			s->out = NULL;
			return;
		}
		ebuf_reset(&sql);
	}
	switch (request_type)
	{
		case SIM_TM_BEGIN:
			engine_begin_tran(s);
			break;
		case SIM_TM_COMMIT:
			if (engine_commit_tran(s) && begin_new)
				engine_begin_tran(s);
			break;
		case SIM_TM_ROLLBACK:
			if (engine_rollback_tran(s, true) && begin_new)
				engine_begin_tran(s);
			break;
		case SIM_TM_SAVE:
			if (s->trancount == 0)
				engine_error(s, 628, "Cannot issue SAVE TRANSACTION when there is no active transaction.");
			else if (name && name[0] && engine_txn_ensure(s, true))
			{
				/* SAVE TRAN name */
				ebuf_append(&sql, "SAVEPOINT ");
				ebuf_append_ident(&sql, name);
				sqlite3_exec(s->db, sql.data, NULL, NULL, NULL);
			}
			break;
	}
	ebuf_free(&sql);
	s->out = NULL;
}
