/*
 * engine_sysinfo.c
 *		What tools ask the server about itself and its objects:
 *		SERVERPROPERTY(), OBJECTPROPERTY(), COL_NAME(), and the catalog
 *		views sys.database_principals, sys.procedures, sys.all_columns,
 *		sys.dm_exec_sessions and sys.dm_exec_connections.
 *
 * The dynamic management views show the session that reads them only
 * (the engine keeps no list of the other sessions).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "engine_int.h"

extern void engine_sysinfo_register(void);

static const SimType variant_type = {SIM_NVARCHAR, 128, 0, 0};
static const SimType int_type = {SIM_INT, 0, 0, 0};
static const SimType sysname_type = {SIM_NVARCHAR, 128, 0, 0};

/*
 * SERVERPROPERTY(property): the properties of "SERVERPROPERTY
 * (Transact-SQL)" a SQL Server 2022 RTM Developer Edition gives; NULL for
 * the others (as for an unknown name).
 */
static void
fn_serverproperty(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	static const struct
	{
		const char *name;
		const char *text;		/* NULL: integer value */
		int			value;
	}			props[] = {
		{"ProductVersion", "16.0.1000.6", 0},
		{"ProductMajorVersion", "16", 0},
		{"ProductMinorVersion", "0", 0},
		{"ProductBuild", "1000", 0},
		{"ProductLevel", "RTM", 0},
		{"Edition", "Developer Edition (64-bit)", 0},
		{"EngineEdition", NULL, 3},
		{"EditionID", NULL, -2117995310},
		{"Collation", "SQL_Latin1_General_CP1_CI_AS", 0},
		{"SqlCharSetName", "iso_1", 0},
		{"SqlSortOrderName", "nocase_iso", 0},
		{"LCID", NULL, 1033},
		{"IsHadrEnabled", NULL, 0},
		{"HadrManagerStatus", NULL, 2},
		{"IsClustered", NULL, 0},
		{"IsFullTextInstalled", NULL, 0},
		{"IsIntegratedSecurityOnly", NULL, 0},
		{"IsSingleUser", NULL, 0},
		{"IsLocalDB", NULL, 0},
		{"IsPolyBaseInstalled", NULL, 0},
		{"IsXTPSupported", NULL, 1},
		{"IsAdvancedAnalyticsInstalled", NULL, 0},
		{"FilestreamConfiguredLevel", NULL, 0},
		{"FilestreamEffectiveLevel", NULL, 0},
		{"ResourceVersion", "16.00.1000", 0},
		{"BuildClrVersion", "v4.0.30319", 0},
		{NULL, NULL, 0}
	};
	const char *p;
	int			k;

	(void) argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT)
		return;
	p = (const char *) sqlite3_value_text(argv[0]);
	if (engine_strcasecmp(p, "ServerName") == 0 || engine_strcasecmp(p, "MachineName") == 0 ||
		engine_strcasecmp(p, "ComputerNamePhysicalNetBIOS") == 0)
	{
		sqlite3_result_text(ctx, engine_server_name(), -1, SQLITE_TRANSIENT);
		return;
	}
	if (engine_strcasecmp(p, "ProcessID") == 0)
	{
		sqlite3_result_int(ctx, 1);
		return;
	}
	for (k = 0; props[k].name; k++)
		if (engine_strcasecmp(p, props[k].name) == 0)
		{
			if (props[k].text)
				sqlite3_result_text(ctx, props[k].text, -1, SQLITE_STATIC);
			else
				sqlite3_result_int(ctx, props[k].value);
			return;
		}
	/* InstanceName (default instance), ProductUpdateLevel (no CU), unknown: NULL */
}

/* Run a one-value query with one integer parameter; false if no row. */
static bool
query_int(sqlite3 *db, const char *sql, int64_t arg, int64_t *out)
{
	sqlite3_stmt *stmt;
	bool		found = false;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(stmt, 1, arg);
	if (sqlite3_step(stmt) == SQLITE_ROW)
	{
		*out = sqlite3_column_int64(stmt, 0);
		found = true;
	}
	sqlite3_finalize(stmt);
	return found;
}

/*
 * OBJECTPROPERTY(id, property): IsUserTable, IsTable, IsView, IsProcedure,
 * IsSystemTable, IsMSShipped, IsPrimaryKey, IsUniqueCnst, IsDefaultCnst,
 * IsConstraint, TableHasPrimaryKey, TableHasIdentity, TableHasClustIndex,
 * TableHasIndex, TableHasUniqueCnst, TableHasRowGuidCol, OwnerId, SchemaId,
 * IsTableFunction, IsScalarFunction, IsTrigger: 1/0, NULL for an object
 * that does not exist or a property the stand-in does not know.
 */
static void
fn_objectproperty(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = sqlite3_user_data(ctx);
	sqlite3    *db = engine_db(s);
	int64_t		id,
				v;
	char		type[3] = "";
	const char *p;
	sqlite3_stmt *stmt;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) != SQLITE_TEXT)
		return;
	id = sqlite3_value_int64(argv[0]);
	p = (const char *) sqlite3_value_text(argv[1]);
	if (sqlite3_prepare_v2(db, "SELECT type FROM main.__sim_objects WHERE object_id = ?1", -1,
						   &stmt, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		snprintf(type, sizeof(type), "%.2s", (const char *) sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	if (type[0] == '\0')
		return;					/* no such object */
	if (type[1] == ' ')
		type[1] = '\0';
#define RESULT(cond) sqlite3_result_int(ctx, (cond) ? 1 : 0)
	if (engine_strcasecmp(p, "IsUserTable") == 0 || engine_strcasecmp(p, "IsTable") == 0)
		RESULT(strcmp(type, "U") == 0);
	else if (engine_strcasecmp(p, "IsView") == 0)
		RESULT(strcmp(type, "V") == 0);
	else if (engine_strcasecmp(p, "IsProcedure") == 0)
		RESULT(strcmp(type, "P") == 0);
	else if (engine_strcasecmp(p, "IsSystemTable") == 0)
		RESULT(strcmp(type, "S") == 0);
	else if (engine_strcasecmp(p, "IsPrimaryKey") == 0)
		RESULT(strcmp(type, "PK") == 0);
	else if (engine_strcasecmp(p, "IsUniqueCnst") == 0)
		RESULT(strcmp(type, "UQ") == 0);
	else if (engine_strcasecmp(p, "IsDefaultCnst") == 0)
		RESULT(strcmp(type, "D") == 0);
	else if (engine_strcasecmp(p, "IsConstraint") == 0)
		RESULT(strcmp(type, "PK") == 0 || strcmp(type, "UQ") == 0 || strcmp(type, "D") == 0 ||
			   strcmp(type, "C") == 0 || strcmp(type, "F") == 0);
	else if (engine_strcasecmp(p, "IsTableFunction") == 0 || engine_strcasecmp(p, "IsScalarFunction") == 0 ||
			 engine_strcasecmp(p, "IsTrigger") == 0 || engine_strcasecmp(p, "IsMSShipped") == 0 ||
			 engine_strcasecmp(p, "TableHasRowGuidCol") == 0)
		RESULT(false);
	else if (engine_strcasecmp(p, "OwnerId") == 0)
		sqlite3_result_int(ctx, 1);
	else if (engine_strcasecmp(p, "SchemaId") == 0)
	{
		if (query_int(db, "SELECT schema_id FROM main.__sim_objects WHERE object_id = ?1", id, &v))
			sqlite3_result_int64(ctx, v);
	}
	else if (strcmp(type, "U") != 0 && strncasecmp(p, "TableHas", 8) == 0)
		;						/* NULL for an object that is no table */
	else if (engine_strcasecmp(p, "TableHasPrimaryKey") == 0)
		RESULT(query_int(db, "SELECT 1 FROM main.__sim_objects WHERE parent_object_id = ?1 AND type = 'PK'",
						 id, &v));
	else if (engine_strcasecmp(p, "TableHasUniqueCnst") == 0)
		RESULT(query_int(db, "SELECT 1 FROM main.__sim_objects WHERE parent_object_id = ?1 AND type = 'UQ'",
						 id, &v));
	else if (engine_strcasecmp(p, "TableHasIdentity") == 0)
		RESULT(query_int(db, "SELECT 1 FROM main.__sim_columns WHERE object_id = ?1 AND is_identity = 1",
						 id, &v));
	else if (engine_strcasecmp(p, "TableHasClustIndex") == 0)
		RESULT(query_int(db, "SELECT 1 FROM main.__sim_indexes WHERE object_id = ?1 AND type = 1",
						 id, &v));
	else if (engine_strcasecmp(p, "TableHasIndex") == 0)
		RESULT(query_int(db, "SELECT 1 FROM main.__sim_indexes WHERE object_id = ?1", id, &v));
#undef RESULT
}

/* COL_NAME(table_id, column_id): the column's name, NULL if none */
static void
fn_col_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = sqlite3_user_data(ctx);
	sqlite3_stmt *stmt;

	(void) argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	if (sqlite3_prepare_v2(engine_db(s),
						   "SELECT name FROM main.__sim_columns WHERE object_id = ?1 AND column_id = ?2",
						   -1, &stmt, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(stmt, 1, sqlite3_value_int64(argv[0]));
	sqlite3_bind_int64(stmt, 2, sqlite3_value_int64(argv[1]));
	if (sqlite3_step(stmt) == SQLITE_ROW)
		sqlite3_result_value(ctx, sqlite3_column_value(stmt, 0));
	sqlite3_finalize(stmt);
}

/* __sim_spid(): the session's id, for the dm_exec views */
static void
fn_spid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void) argc;
	(void) argv;
	sqlite3_result_int(ctx, engine_spid(sqlite3_user_data(ctx)));
}

/* Register function: see engine_extensions.c. */
void
engine_sysinfo_register(void)
{
	/* registered functions are created after the built-ins: these win */
	engine_register_function("SERVERPROPERTY", 1, SQLITE_UTF8, fn_serverproperty, &variant_type);
	engine_register_function("OBJECTPROPERTY", 2, SQLITE_UTF8, fn_objectproperty, &int_type);
	engine_register_function("COL_NAME", 2, SQLITE_UTF8, fn_col_name, &sysname_type);
	engine_register_function("__sim_spid", 0, SQLITE_UTF8, fn_spid, NULL);

	engine_register_catalog_view("sys.database_principals",
								 "name nvarchar(128), principal_id int, type char(1), type_desc nvarchar(60),"
								 " default_schema_name nvarchar(128), create_date datetime_text,"
								 " modify_date datetime_text, owning_principal_id int, sid varbinary(85),"
								 " is_fixed_role bit, authentication_type int,"
								 " authentication_type_desc nvarchar(60), default_language_name nvarchar(128),"
								 " default_language_lcid int, allow_encrypted_value_modifications bit",
								 "SELECT column1, column2, column3, column4, column5,"
								 " '2003-04-08 09:10:42.287', '2003-04-08 09:10:42.287', column6, column7, column8,"
								 " column9, column10, NULL, NULL, 0 FROM (VALUES"
								 " ('public', 0, 'R', 'DATABASE_ROLE', NULL, 1, X'01050000000000090400000083741B006749C04BA943C02702F2A762', 0, 0, 'NONE'),"
								 " ('dbo', 1, 'S', 'SQL_USER', 'dbo', NULL, X'01', 0, 1, 'INSTANCE'),"
								 " ('guest', 2, 'S', 'SQL_USER', 'guest', NULL, X'00', 0, 0, 'NONE'),"
								 " ('INFORMATION_SCHEMA', 3, 'S', 'SQL_USER', NULL, NULL, NULL, 0, 0, 'NONE'),"
								 " ('sys', 4, 'S', 'SQL_USER', NULL, NULL, NULL, 0, 0, 'NONE'),"
								 " ('db_owner', 16384, 'R', 'DATABASE_ROLE', NULL, 1, X'01050000000000090400000000000000000000000000000000400000', 1, 0, 'NONE'),"
								 " ('db_datareader', 16390, 'R', 'DATABASE_ROLE', NULL, 1, X'01050000000000090400000000000000000000000000000006400000', 1, 0, 'NONE'),"
								 " ('db_datawriter', 16391, 'R', 'DATABASE_ROLE', NULL, 1, X'01050000000000090400000000000000000000000000000007400000', 1, 0, 'NONE'))");
	engine_register_catalog_view("sys.procedures",
								 "name nvarchar(128), object_id int, principal_id int, schema_id int,"
								 " parent_object_id int, type char(2), type_desc nvarchar(60),"
								 " create_date datetime_text, modify_date datetime_text, is_ms_shipped bit,"
								 " is_published bit, is_schema_published bit, is_auto_executed bit,"
								 " is_execution_replicated bit, is_repl_serializable_only bit,"
								 " skips_repl_constraints bit",
								 "SELECT o.name, o.object_id, NULL, o.schema_id, o.parent_object_id, o.type,"
								 " o.type_desc, o.create_date, o.modify_date, o.is_ms_shipped, 0, 0, 0, 0, 0, 0"
								 " FROM main.__sim_objects o WHERE o.type IN ('P ', 'PC', 'RF', 'X ')");
	engine_register_catalog_view("sys.all_columns",
								 "object_id int, name nvarchar(128), column_id int, system_type_id tinyint,"
								 " user_type_id int, max_length smallint, precision tinyint, scale tinyint,"
								 " collation_name nvarchar(128), is_nullable bit, is_ansi_padded bit,"
								 " is_rowguidcol bit, is_identity bit, is_computed bit, is_filestream bit,"
								 " is_replicated bit, is_non_sql_subscribed bit, is_merge_published bit,"
								 " is_dts_replicated bit, is_xml_document bit, xml_collection_id int,"
								 " default_object_id int, rule_object_id int, is_sparse bit, is_column_set bit,"
								 " generated_always_type tinyint, generated_always_type_desc nvarchar(60),"
								 " is_hidden bit, is_masked bit",
								 "SELECT object_id, name, column_id, system_type_id, user_type_id, max_length,"
								 " precision, scale, collation_name, is_nullable,"
								 " CASE WHEN system_type_id IN (167,175,231,239,165,173) THEN 1 ELSE 0 END, 0,"
								 " is_identity, 0, 0, 0, 0, 0, 0, 0, 0, coalesce(default_object_id, 0), 0, 0, 0,"
								 " 0, 'NOT_APPLICABLE', 0, 0 FROM main.__sim_columns");
	engine_register_catalog_view("sys.dm_exec_sessions",
								 "session_id smallint, login_time datetime_text, host_name nvarchar(128),"
								 " program_name nvarchar(128), host_process_id int, client_version int,"
								 " client_interface_name nvarchar(32), login_name nvarchar(128),"
								 " nt_domain nvarchar(128), nt_user_name nvarchar(128), status nvarchar(30),"
								 " cpu_time int, memory_usage int, total_scheduled_time int,"
								 " total_elapsed_time int, last_request_start_time datetime_text,"
								 " last_request_end_time datetime_text, reads bigint, writes bigint,"
								 " logical_reads bigint, is_user_process bit, text_size int,"
								 " language nvarchar(128), date_format nvarchar(3), date_first smallint,"
								 " quoted_identifier bit, arithabort bit, ansi_null_dflt_on bit,"
								 " ansi_defaults bit, ansi_warnings bit, ansi_padding bit, ansi_nulls bit,"
								 " concat_null_yields_null bit, transaction_isolation_level smallint,"
								 " lock_timeout int, deadlock_priority int, row_count bigint,"
								 " prev_error int, original_login_name nvarchar(128),"
								 " database_id smallint, open_transaction_count int",
								 "SELECT __sim_spid(), strftime('%Y-%m-%d %H:%M:%f', 'now'), HOST_NAME(),"
								 " APP_NAME(), 0, 7, 'ODBC', suser_sname(), '', '', 'running', 0, 0, 0, 0,"
								 " strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'),"
								 " 0, 0, 0, 1, 2147483647, 'us_english', 'mdy', 7, 1, 1, 1, 0, 1, 1, 1, 1, 2,"
								 " -1, 0, 0, 0, suser_sname(), 1, 0");
	engine_register_catalog_view("sys.dm_exec_connections",
								 "session_id int, most_recent_session_id int, connect_time datetime_text,"
								 " net_transport nvarchar(40), protocol_type nvarchar(40), protocol_version int,"
								 " endpoint_id int, encrypt_option nvarchar(40), auth_scheme nvarchar(40),"
								 " node_affinity smallint, num_reads int, num_writes int,"
								 " last_read datetime_text, last_write datetime_text, net_packet_size int,"
								 " client_net_address varchar(48), client_tcp_port int,"
								 " local_net_address varchar(48), local_tcp_port int,"
								 " connection_id uniqueidentifier, parent_connection_id uniqueidentifier,"
								 " most_recent_sql_handle varbinary(64)",
								 "SELECT __sim_spid(), __sim_spid(), strftime('%Y-%m-%d %H:%M:%f', 'now'), 'TCP',"
								 " 'TSQL', 1946157060, 4, 'FALSE', 'SQL', 0, 0, 0,"
								 " strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'),"
								 " 4096, '127.0.0.1', NULL, '127.0.0.1', NULL,"
								 " '00000000-0000-0000-0000-000000000000', NULL, NULL");
}
