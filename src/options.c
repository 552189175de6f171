/*-------------------------------------------------------------------------
 *
 * options.c
 *		Validation of mssql_cdc's FDW options, and reading them back.
 *
 * One table lists every option: the catalog it belongs to and the type of
 * its value.  The validator rejects unknown names (with a hint listing the
 * valid ones for that object) and malformed values at CREATE/ALTER time, so
 * that a connection never fails later because of a typo.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/reloptions.h"
#include "catalog/pg_foreign_data_wrapper.h"
#include "catalog/pg_foreign_server.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_user_mapping.h"
#include "catalog/pg_attribute.h"
#include "commands/defrem.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "mssql_cdc.h"

typedef enum MssqlOptionType
{
	OPT_STRING,					/* any non-empty string */
	OPT_NAME,					/* non-empty, no control characters */
	OPT_INT,					/* integer in [min, max] */
	OPT_REAL,					/* non-negative real */
	OPT_BOOL,
	OPT_ENUM					/* one of a comma-separated list */
} MssqlOptionType;

typedef struct MssqlOption
{
	const char *name;
	Oid			context;		/* catalog the option belongs to */
	MssqlOptionType type;
	int			min;
	int			max;
	const char *values;			/* OPT_ENUM: allowed values */
	bool		superuser_only;
} MssqlOption;

static const MssqlOption mssql_options[] = {
	/* server */
	{"host", ForeignServerRelationId, OPT_NAME},
	{"port", ForeignServerRelationId, OPT_INT, 1, 65535},
	{"instance", ForeignServerRelationId, OPT_NAME},
	{"database", ForeignServerRelationId, OPT_STRING},
	{"encryption", ForeignServerRelationId, OPT_ENUM, 0, 0, "off,request,require"},
	{"tds_version", ForeignServerRelationId, OPT_ENUM, 0, 0, "7.1,7.2,7.3,7.4,auto"},
	{"ca_file", ForeignServerRelationId, OPT_NAME, 0, 0, NULL, true},
	{"login_timeout", ForeignServerRelationId, OPT_INT, 0, 3600},
	{"query_timeout", ForeignServerRelationId, OPT_INT, 0, 86400},
	{"app_name", ForeignServerRelationId, OPT_NAME},
	{"packet_size", ForeignServerRelationId, OPT_INT, 512, 32767},
	{"application_intent", ForeignServerRelationId, OPT_ENUM, 0, 0, "readwrite,readonly"},
	{"use_remote_estimate", ForeignServerRelationId, OPT_BOOL},
	{"fdw_startup_cost", ForeignServerRelationId, OPT_REAL},
	{"fdw_tuple_cost", ForeignServerRelationId, OPT_REAL},
	{"analyze_sampling", ForeignServerRelationId, OPT_ENUM, 0, 0, "auto,off"},
	/* user mapping */
	{"username", UserMappingRelationId, OPT_STRING},
	{"password", UserMappingRelationId, OPT_STRING},
	{"password_required", UserMappingRelationId, OPT_BOOL, 0, 0, NULL, true},
	/* foreign table */
	{"schema_name", ForeignTableRelationId, OPT_STRING},
	{"table_name", ForeignTableRelationId, OPT_STRING},
	{"query", ForeignTableRelationId, OPT_STRING},
	{"use_remote_estimate", ForeignTableRelationId, OPT_BOOL},
	{"analyze_sampling", ForeignTableRelationId, OPT_ENUM, 0, 0, "auto,off"},
	/* column */
	{"column_name", AttributeRelationId, OPT_STRING},
	{NULL}
};

PG_FUNCTION_INFO_V1(mssql_cdc_fdw_validator);

static const MssqlOption *
find_option(const char *name, Oid context)
{
	const MssqlOption *opt;

	for (opt = mssql_options; opt->name; opt++)
		if (opt->context == context && strcmp(opt->name, name) == 0)
			return opt;
	return NULL;
}

static const char *
context_name(Oid context)
{
	switch (context)
	{
		case ForeignServerRelationId:
			return "server";
		case UserMappingRelationId:
			return "user mapping";
		case ForeignTableRelationId:
			return "foreign table";
		case AttributeRelationId:
			return "column";
		default:
			return "foreign-data wrapper";
	}
}

static bool
enum_value_ok(const char *values, const char *value)
{
	const char *p = values;
	size_t		len = strlen(value);

	while (*p)
	{
		const char *e = strchr(p, ',');
		size_t		l = e ? (size_t) (e - p) : strlen(p);

		if (l == len && pg_strncasecmp(p, value, len) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

static void
check_value(const MssqlOption *opt, DefElem *def)
{
	char	   *value = defGetString(def);

	switch (opt->type)
	{
		case OPT_STRING:
			if (value[0] == '\0' && strcmp(opt->name, "password") != 0)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_STRING_FORMAT),
						 errmsg("value of option \"%s\" must not be empty",
								opt->name)));
			break;
		case OPT_NAME:
			{
				const char *p;

				if (value[0] == '\0')
					ereport(ERROR,
							(errcode(ERRCODE_FDW_INVALID_STRING_FORMAT),
							 errmsg("value of option \"%s\" must not be empty",
									opt->name)));
				for (p = value; *p; p++)
				{
					if ((unsigned char) *p < 0x20 || *p == '[' || *p == ']' ||
						*p == ';' || *p == '#')
						ereport(ERROR,
								(errcode(ERRCODE_FDW_INVALID_STRING_FORMAT),
								 errmsg("value of option \"%s\" contains an invalid character",
										opt->name),
								 errdetail("Control characters, brackets, \";\" and \"#\" are not allowed.")));
				}
				break;
			}
		case OPT_INT:
			{
				char	   *end;
				long		v;

				errno = 0;
				v = strtol(value, &end, 10);
				if (value[0] == '\0' || *end != '\0' || errno != 0 ||
					v < opt->min || v > opt->max)
					ereport(ERROR,
							(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
							 errmsg("invalid value for option \"%s\": \"%s\"",
									opt->name, value),
							 errhint("Valid values are integers from %d to %d.",
									 opt->min, opt->max)));
				break;
			}
		case OPT_REAL:
			{
				char	   *end;
				double		v;

				errno = 0;
				v = strtod(value, &end);
				if (value[0] == '\0' || *end != '\0' || errno != 0 ||
					v < 0 || isnan(v) || isinf(v))
					ereport(ERROR,
							(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
							 errmsg("invalid value for option \"%s\": \"%s\"",
									opt->name, value),
							 errhint("Valid values are non-negative numbers.")));
				break;
			}
		case OPT_BOOL:
			(void) mssql_option_bool(def);
			break;
		case OPT_ENUM:
			if (!enum_value_ok(opt->values, value))
			{
				StringInfoData list;
				const char *p;

				/* "a,b,c" shown as "a, b, c" */
				initStringInfo(&list);
				for (p = opt->values; *p; p++)
				{
					appendStringInfoChar(&list, *p);
					if (*p == ',')
						appendStringInfoChar(&list, ' ');
				}
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
						 errmsg("invalid value for option \"%s\": \"%s\"",
								opt->name, value),
						 errhint("Valid values are: %s.", list.data)));
			}
			break;
	}
}

/*
 * The value of a Boolean option (of any object, or of IMPORT FOREIGN
 * SCHEMA), in the spellings PostgreSQL accepts for booleans; anything else
 * is an error that lists them.
 */
bool
mssql_option_bool(DefElem *def)
{
	char	   *value = defGetString(def);
	bool		result;

	if (!parse_bool(value, &result))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"",
						def->defname, value),
				 errhint("Valid values are: true, false, on, off, yes, no, 1, 0.")));
	return result;
}

/*
 * The query option runs as a derived table, "SELECT ... FROM (query) AS
 * [q]", where T-SQL does not allow a WITH clause: say so now rather than
 * with a syntax error at the first scan.
 */
static void
check_query(const char *query)
{
	const char *p = query;

	while (*p && isspace((unsigned char) *p))
		p++;
	if (pg_strncasecmp(p, "with", 4) == 0 &&
		(p[4] == '\0' || isspace((unsigned char) p[4])))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_STRING_FORMAT),
				 errmsg("value of option \"query\" cannot start with WITH"),
				 errdetail("The query is sent as a derived table, which cannot contain a common table expression."),
				 errhint("Create a view on SQL Server and give it as \"table_name\", or rewrite the query with subqueries.")));
}

/*
 * The FDW validator: called for CREATE/ALTER of the wrapper, servers, user
 * mappings, foreign tables and their columns.
 */
Datum
mssql_cdc_fdw_validator(PG_FUNCTION_ARGS)
{
	List	   *options_list = untransformRelOptions(PG_GETARG_DATUM(0));
	Oid			catalog = PG_GETARG_OID(1);
	ListCell   *cell;
	bool		has_table = false,
				has_schema = false,
				has_query = false,
				has_port = false,
				has_instance = false;

	foreach(cell, options_list)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		const MssqlOption *opt = find_option(def->defname, catalog);

		if (opt == NULL)
		{
			StringInfoData buf;
			const MssqlOption *o;

			initStringInfo(&buf);
			for (o = mssql_options; o->name; o++)
			{
				if (o->context != catalog)
					continue;
				appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", o->name);
			}
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("invalid option \"%s\" for a %s of mssql_cdc",
							def->defname, context_name(catalog)),
					 buf.len > 0
					 ? errhint("Valid options in this context are: %s.", buf.data)
					 : errhint("There are no valid options in this context.")));
		}
		check_value(opt, def);

		if (opt->superuser_only && !superuser())
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to set option \"%s\"", opt->name),
					 errhint("Only a superuser can set this option.")));

		if (strcmp(opt->name, "query") == 0)
			check_query(defGetString(def));

		if (strcmp(opt->name, "table_name") == 0)
			has_table = true;
		else if (strcmp(opt->name, "schema_name") == 0)
			has_schema = true;
		else if (strcmp(opt->name, "query") == 0)
			has_query = true;
		else if (strcmp(opt->name, "port") == 0)
			has_port = true;
		else if (strcmp(opt->name, "instance") == 0)
			has_instance = true;
	}

	if (catalog == ForeignTableRelationId)
	{
		if (has_query && (has_table || has_schema))
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("options \"query\" and \"table_name\"/\"schema_name\" cannot be used together"),
					 errhint("Give either a remote table or a query.")));
	}
	if (catalog == ForeignServerRelationId && has_port && has_instance)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("options \"port\" and \"instance\" cannot be used together"),
				 errhint("A named instance is found through the SQL Server Browser; give either a port or an instance name.")));

	PG_RETURN_VOID();
}

/*
 * A palloc'd lower-case copy of an ASCII value of a fixed list: the
 * validator accepts any case, FreeTDS's configuration file is given the
 * spelling it documents.
 */
static char *
lower_copy(const char *value)
{
	char	   *res = pstrdup(value);
	char	   *p;

	for (p = res; *p; p++)
		*p = pg_ascii_tolower((unsigned char) *p);
	return res;
}

/*
 * Collect connection settings from a server and a user mapping.  Strings are
 * palloc'd in the current memory context.
 */
void
mssql_get_conn_options(ForeignServer *server, UserMapping *user,
					   MssqlConnOptions *opts)
{
	ListCell   *lc;

	memset(opts, 0, sizeof(*opts));
	opts->host = "localhost";
	opts->encryption = "request";
	opts->tds_version = "7.4";
	opts->app_name = "mssql_cdc";
	opts->login_timeout = 30;
	opts->password_required = true;

	foreach(lc, server->options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);
		char	   *v = defGetString(def);

		if (strcmp(def->defname, "host") == 0)
			opts->host = v;
		else if (strcmp(def->defname, "port") == 0)
			opts->port = atoi(v);
		else if (strcmp(def->defname, "instance") == 0)
			opts->instance = v;
		else if (strcmp(def->defname, "database") == 0)
			opts->database = v;
		else if (strcmp(def->defname, "encryption") == 0)
			opts->encryption = lower_copy(v);
		else if (strcmp(def->defname, "tds_version") == 0)
			opts->tds_version = lower_copy(v);
		else if (strcmp(def->defname, "ca_file") == 0)
			opts->ca_file = v;
		else if (strcmp(def->defname, "app_name") == 0)
			opts->app_name = v;
		else if (strcmp(def->defname, "login_timeout") == 0)
			opts->login_timeout = atoi(v);
		else if (strcmp(def->defname, "query_timeout") == 0)
			opts->query_timeout = atoi(v);
		else if (strcmp(def->defname, "packet_size") == 0)
			opts->packet_size = atoi(v);
		else if (strcmp(def->defname, "application_intent") == 0)
			opts->readonly_intent = (pg_strcasecmp(v, "readonly") == 0);
	}
	if (user)
	{
		foreach(lc, user->options)
		{
			DefElem    *def = (DefElem *) lfirst(lc);

			if (strcmp(def->defname, "username") == 0)
				opts->username = defGetString(def);
			else if (strcmp(def->defname, "password") == 0)
				opts->password = defGetString(def);
			else if (strcmp(def->defname, "password_required") == 0)
				opts->password_required = mssql_option_bool(def);
		}
	}
}

/*
 * Planner options of a foreign table: table options over server options
 * over defaults.
 */
void
mssql_get_table_options(Oid foreigntableid, MssqlTableOptions *opts)
{
	ForeignTable *table = GetForeignTable(foreigntableid);
	ForeignServer *server = GetForeignServer(table->serverid);
	ListCell   *lc;

	memset(opts, 0, sizeof(*opts));
	opts->use_remote_estimate = true;
	opts->analyze_sampling = true;
	opts->binary_dates = true;
	opts->fdw_startup_cost = 100.0;
	opts->fdw_tuple_cost = 0.01;

	foreach(lc, server->options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, "use_remote_estimate") == 0)
			opts->use_remote_estimate = mssql_option_bool(def);
		else if (strcmp(def->defname, "analyze_sampling") == 0)
			opts->analyze_sampling = (pg_strcasecmp(defGetString(def), "off") != 0);
		else if (strcmp(def->defname, "fdw_startup_cost") == 0)
			opts->fdw_startup_cost = strtod(defGetString(def), NULL);
		else if (strcmp(def->defname, "fdw_tuple_cost") == 0)
			opts->fdw_tuple_cost = strtod(defGetString(def), NULL);
		else if (strcmp(def->defname, "tds_version") == 0)
		{
			const char *v = defGetString(def);

			opts->binary_dates = (strcmp(v, "7.4") == 0 ||
								  pg_strcasecmp(v, "auto") == 0);
		}
	}
	foreach(lc, table->options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, "schema_name") == 0)
			opts->schema_name = defGetString(def);
		else if (strcmp(def->defname, "table_name") == 0)
			opts->table_name = defGetString(def);
		else if (strcmp(def->defname, "query") == 0)
			opts->query = defGetString(def);
		else if (strcmp(def->defname, "use_remote_estimate") == 0)
			opts->use_remote_estimate = mssql_option_bool(def);
		else if (strcmp(def->defname, "analyze_sampling") == 0)
			opts->analyze_sampling = (pg_strcasecmp(defGetString(def), "off") != 0);
	}
	if (opts->query == NULL)
	{
		if (opts->table_name == NULL)
			opts->table_name = get_rel_name(foreigntableid);
		if (opts->schema_name == NULL)
			opts->schema_name = "dbo";
	}
}

/*
 * Remote name of a column: its column_name option, else its local name.
 * The result is palloc'd.
 */
char *
mssql_column_name(Oid relid, AttrNumber attnum)
{
	List	   *options = GetForeignColumnOptions(relid, attnum);
	ListCell   *lc;

	foreach(lc, options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, "column_name") == 0)
			return defGetString(def);
	}
	return get_attname(relid, attnum, false);
}

/*
 * The user mapping a query of userid on serverid uses (the user's own, else
 * the one for PUBLIC), as GetUserMapping() returns it; a missing one is an
 * error that names the server and says how to create it.
 */
UserMapping *
mssql_get_user_mapping(Oid userid, Oid serverid)
{
	if (!SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(userid),
							   ObjectIdGetDatum(serverid)) &&
		!SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(InvalidOid),
							   ObjectIdGetDatum(serverid)))
	{
		ForeignServer *server = GetForeignServer(serverid);

		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("user mapping not found for user \"%s\" and server \"%s\"",
						MappingUserName(userid), server->servername),
				 errhint("Create one with CREATE USER MAPPING FOR %s SERVER %s OPTIONS (username '...', password '...').",
						 quote_identifier(MappingUserName(userid)),
						 quote_identifier(server->servername))));
	}
	return GetUserMapping(userid, serverid);
}
