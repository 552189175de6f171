/*-------------------------------------------------------------------------
 *
 * errors.c
 *		Turning SQL Server and db-lib failures into PostgreSQL errors.
 *
 * tds_client.c records every failure in one TdsError; this file is the one
 * table that maps SQL Server message numbers to SQLSTATEs and hints, and
 * raises the ereport.  SQL Server's number, severity and state always go in
 * the detail, and the remote statement in the context.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "mssql_cdc.h"

typedef struct MssqlErrorMap
{
	int			number;			/* SQL Server message number */
	int			sqlstate;
	const char *hint;
} MssqlErrorMap;

static const MssqlErrorMap error_map[] = {
	{18456, ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
	"Check the username and password of the user mapping, and that the login exists and may use this database."},
	{18452, ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
	"The login is from an untrusted domain; check the user mapping."},
	{4060, ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
	"Check the \"database\" option of the foreign server and that the login has access to that database."},
	{4064, ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
	"The login's default database is not available; set the \"database\" option of the foreign server."},
	{208, ERRCODE_UNDEFINED_TABLE,
	"Check the \"schema_name\" and \"table_name\" (or \"query\") options of the foreign table."},
	{207, ERRCODE_UNDEFINED_COLUMN,
	"Check the column names of the foreign table and their \"column_name\" options."},
	{2627, ERRCODE_UNIQUE_VIOLATION, NULL},
	{2601, ERRCODE_UNIQUE_VIOLATION, NULL},
	{547, ERRCODE_FOREIGN_KEY_VIOLATION, NULL},
	{515, ERRCODE_NOT_NULL_VIOLATION, NULL},
	{1205, ERRCODE_T_R_DEADLOCK_DETECTED,
	"SQL Server chose this statement as a deadlock victim; retry the transaction."},
	{1222, ERRCODE_LOCK_NOT_AVAILABLE, NULL},
	{3960, ERRCODE_T_R_SERIALIZATION_FAILURE, NULL},
	{229, ERRCODE_INSUFFICIENT_PRIVILEGE,
	"Grant the SQL Server login the permission it needs on the remote object."},
	{230, ERRCODE_INSUFFICIENT_PRIVILEGE,
	"Grant the SQL Server login the permission it needs on the remote column."},
	{262, ERRCODE_INSUFFICIENT_PRIVILEGE, NULL},
	{102, ERRCODE_SYNTAX_ERROR, NULL},
	{156, ERRCODE_SYNTAX_ERROR, NULL},
	{8114, ERRCODE_DATA_EXCEPTION, NULL},
	{245, ERRCODE_INVALID_TEXT_REPRESENTATION, NULL},
	{241, ERRCODE_INVALID_DATETIME_FORMAT, NULL},
	{242, ERRCODE_DATETIME_VALUE_OUT_OF_RANGE, NULL},
	{8115, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, NULL},
	{220, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, NULL},
	{8134, ERRCODE_DIVISION_BY_ZERO, NULL},
	{2812, ERRCODE_UNDEFINED_FUNCTION, NULL},
	{40613, ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
	"The Azure SQL database is not currently available; retry later."},
	{40501, ERRCODE_CONNECTION_FAILURE, "The Azure SQL service is busy; retry later."},
	{0, 0, NULL}
};

static const MssqlErrorMap *
lookup(int number)
{
	const MssqlErrorMap *m;

	for (m = error_map; m->number != 0; m++)
		if (m->number == number)
			return m;
	return NULL;
}

/*
 * True when PostgreSQL wants the running statement to stop (Ctrl-C,
 * statement_timeout, termination).  Called by db-lib while it waits.
 */
bool
mssql_interrupt_requested(void)
{
	return InterruptPending && (QueryCancelPending || ProcDiePending);
}

static int
remote_sql_context_sql(const char *sql)
{
	if (sql)
		return errcontext("remote SQL command: %s", sql);
	return 0;
}

/*
 * Raise the error recorded by tds_client for a failed request.  sql (may be
 * NULL) is shown in the context.
 */
void
mssql_report_error(int elevel, const char *sql)
{
	const TdsError *e = tds_last_error();

	/* a cancel we asked for: let PostgreSQL report it in its own words */
	if (e->kind == TDS_ERR_CANCELED)
	{
		CHECK_FOR_INTERRUPTS();
		ereport(elevel,
				(errcode(ERRCODE_QUERY_CANCELED),
				 errmsg("canceling statement on SQL Server due to user request"),
				 remote_sql_context_sql(sql)));
	}

	switch (e->kind)
	{
		case TDS_ERR_SERVER:
			{
				const MssqlErrorMap *m = lookup(e->number);
				int			code = m ? m->sqlstate : ERRCODE_FDW_ERROR;

				ereport(elevel,
						(errcode(code),
						 errmsg_internal("%s", e->message),
						 errdetail("SQL Server error %d, severity %d, state %d%s%s.",
								   e->number, e->severity, e->state,
								   e->proc[0] ? ", procedure " : "",
								   e->proc),
						 (m && m->hint) ? errhint("%s", m->hint) : 0,
						 remote_sql_context_sql(sql)));
				break;
			}
		case TDS_ERR_TIMEOUT:
			ereport(elevel,
					(errcode(ERRCODE_QUERY_CANCELED),
					 errmsg("SQL Server query timed out"),
					 errdetail("The statement ran longer than the \"query_timeout\" option of the foreign server allows; it was cancelled on SQL Server."),
					 errhint("Raise \"query_timeout\", or set it to 0 to wait without limit."),
					 remote_sql_context_sql(sql)));
			break;
		case TDS_ERR_DEAD:
			ereport(elevel,
					(errcode(ERRCODE_CONNECTION_FAILURE),
					 errmsg("lost connection to SQL Server"),
					 errdetail_internal("%s (db-lib error %d)",
										e->client_message, e->client_number),
					 remote_sql_context_sql(sql)));
			break;
		case TDS_ERR_NOMEM:
			ereport(elevel,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory in FreeTDS")));
			break;
		case TDS_ERR_UNSUPPORTED:
			ereport(elevel,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("cannot read a value from SQL Server"),
					 errdetail_internal("%s", e->client_message),
					 remote_sql_context_sql(sql)));
			break;
		default:
			ereport(elevel,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("SQL Server request failed"),
					 errdetail_internal("%s (db-lib error %d)",
										e->client_message[0] ? e->client_message : "unknown error",
										e->client_number),
					 remote_sql_context_sql(sql)));
			break;
	}
	pg_unreachable();
}

/*
 * Raise the error for a failed connection attempt.  Never shows the
 * password.
 */
void
mssql_report_connect_error(const char *servername, const MssqlConnOptions *opts)
{
	const TdsError *e = tds_last_error();
	char		where[512];

	if (opts->port > 0)
		snprintf(where, sizeof(where), "%s:%d", opts->host, opts->port);
	else if (opts->instance)
		snprintf(where, sizeof(where), "%s\\%s", opts->host, opts->instance);
	else
		snprintf(where, sizeof(where), "%s:1433", opts->host);

	if (e->kind == TDS_ERR_CANCELED)
		CHECK_FOR_INTERRUPTS();

	if (e->kind == TDS_ERR_SERVER)
	{
		const MssqlErrorMap *m = lookup(e->number);

		ereport(ERROR,
				(errcode(m ? m->sqlstate : ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
				 errmsg("could not connect to SQL Server \"%s\"", servername),
				 errdetail("SQL Server error %d, severity %d, state %d: %s",
						   e->number, e->severity, e->state, e->message),
				 (m && m->hint) ? errhint("%s", m->hint) : 0));
	}
	if (e->kind == TDS_ERR_TIMEOUT)
		ereport(ERROR,
				(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
				 errmsg("could not connect to SQL Server \"%s\"", servername),
				 errdetail("The login to %s did not complete within \"login_timeout\" (%d seconds).",
						   where, opts->login_timeout),
				 errhint("Check that the server is reachable and raise \"login_timeout\" if it is slow.")));

	ereport(ERROR,
			(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
			 errmsg("could not connect to SQL Server \"%s\"", servername),
			 errdetail_internal("%s: %s (db-lib error %d)", where,
								e->client_message[0] ? e->client_message : "connection failed",
								e->client_number),
			 (strcmp(opts->encryption, "require") == 0)
			 ? errhint("The server option \"encryption\" is \"require\": the server must support TLS. Check its certificate configuration, or use encryption 'request'.")
			 : (strcmp(opts->encryption, "off") == 0)
			 ? errhint("The server option \"encryption\" is \"off\": a server that forces encryption refuses such clients; use encryption 'request' or 'require'.")
			 : errhint("Check the \"host\", \"port\" or \"instance\" options of the foreign server and that SQL Server accepts TCP connections.")));
	pg_unreachable();
}
