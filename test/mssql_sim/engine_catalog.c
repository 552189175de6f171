/*
 * engine_catalog.c
 *		The engine's catalog: the __sim_* tables inside each database file,
 *		the TEMP copies that present them as sys.* and INFORMATION_SCHEMA.*
 *		views with SQL Server's column names and types, and lookups.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "engine_catalog.h"

/* Tables of every database file. */
static const char *catalog_ddl =
"CREATE TABLE IF NOT EXISTS __sim_meta(key TEXT PRIMARY KEY, value);"
"CREATE TABLE IF NOT EXISTS __sim_schemas(schema_id INTEGER PRIMARY KEY,"
" name nvarchar(128) COLLATE SIM_CI UNIQUE, principal_id int);"
"CREATE TABLE IF NOT EXISTS __sim_objects(object_id INTEGER PRIMARY KEY,"
" name nvarchar(128) COLLATE SIM_CI, schema_id int, parent_object_id int DEFAULT 0,"
" type char(2), type_desc nvarchar(60), create_date datetime_text, modify_date datetime_text,"
" is_ms_shipped bit DEFAULT 0, is_tracked_by_cdc bit DEFAULT 0, is_system_named bit DEFAULT 0,"
" definition nvarchar_max);"
"CREATE INDEX IF NOT EXISTS __sim_objects_name ON __sim_objects(name, schema_id);"
"CREATE TABLE IF NOT EXISTS __sim_columns(object_id int, column_id int,"
" name nvarchar(128) COLLATE SIM_CI, type_text varchar(64), data_type nvarchar(128),"
" system_type_id tinyint, user_type_id int, max_length smallint, precision tinyint, scale tinyint,"
" collation_name nvarchar(128), is_nullable bit, is_identity bit, seed bigint, increment bigint,"
" is_rowversion bit, default_sql nvarchar(4000), default_object_id int,"
" char_max_length int, char_octet_length int, num_precision tinyint, num_radix smallint,"
" num_scale int, dt_precision smallint, PRIMARY KEY(object_id, column_id));"
"CREATE TABLE IF NOT EXISTS __sim_identity(object_id INTEGER PRIMARY KEY, last_value bigint);"
"CREATE TABLE IF NOT EXISTS __sim_indexes(object_id int, index_id int,"
" name nvarchar(128) COLLATE SIM_CI, type tinyint, is_unique bit, is_primary_key bit,"
" is_unique_constraint bit, constraint_object_id int, PRIMARY KEY(object_id, index_id));"
"CREATE TABLE IF NOT EXISTS __sim_index_columns(object_id int, index_id int,"
" index_column_id int, column_id int, key_ordinal tinyint, is_descending_key bit);"
"INSERT OR IGNORE INTO __sim_meta VALUES ('next_object_id', 245575913),"
" ('rowversion', 2000), ('catalog_version', 1);"
"INSERT OR IGNORE INTO __sim_schemas VALUES (1, 'dbo', 1), (2, 'guest', 2),"
" (3, 'INFORMATION_SCHEMA', 3), (4, 'sys', 4), (16384, 'db_owner', 16384),"
" (16385, 'db_accessadmin', 16385), (16386, 'db_securityadmin', 16386),"
" (16387, 'db_ddladmin', 16387), (16389, 'db_backupoperator', 16389),"
" (16390, 'db_datareader', 16390), (16391, 'db_datawriter', 16391),"
" (16392, 'db_denydatareader', 16392), (16393, 'db_denydatawriter', 16393);";

static const char *master_ddl =
"CREATE TABLE IF NOT EXISTS __sim_databases(database_id INTEGER PRIMARY KEY,"
" name nvarchar(128) COLLATE SIM_CI UNIQUE, create_date datetime_text,"
" compatibility_level tinyint DEFAULT 160, snapshot_isolation_state tinyint DEFAULT 0,"
" is_read_committed_snapshot_on bit DEFAULT 0, is_cdc_enabled bit DEFAULT 0);"
"INSERT OR IGNORE INTO __sim_databases(database_id, name, create_date) VALUES"
" (1, 'master', '2003-04-08 09:13:36.390'), (2, 'tempdb', '2003-04-08 09:13:36.390'),"
" (3, 'model', '2003-04-08 09:13:36.390'), (4, 'msdb', '2003-04-08 09:13:36.390');";

/* ------------------------------------------------------------------------
 * Catalog views (TEMP copies)
 * ------------------------------------------------------------------------
 */

typedef struct CatalogView
{
	const char *name;
	const char *columns;
	const char *select_sql;
} CatalogView;

#define OBJ_COLS \
	"name nvarchar(128), object_id int, principal_id int, schema_id int," \
	" parent_object_id int, type char(2), type_desc nvarchar(60), create_date datetime_text," \
	" modify_date datetime_text, is_ms_shipped bit, is_published bit, is_schema_published bit"
#define OBJ_SELECT \
	"o.name, o.object_id, NULL, o.schema_id, o.parent_object_id, o.type, o.type_desc," \
	" o.create_date, o.modify_date, o.is_ms_shipped, 0, 0"

static const CatalogView builtin_views[] = {
	{"sys.schemas", "name nvarchar(128), schema_id int, principal_id int",
	"SELECT name, schema_id, principal_id FROM main.__sim_schemas"},
	{"sys.objects", OBJ_COLS,
	"SELECT " OBJ_SELECT " FROM main.__sim_objects o"},
	{"sys.all_objects", OBJ_COLS,
	"SELECT " OBJ_SELECT " FROM main.__sim_objects o"},
	{"sys.tables", OBJ_COLS ", lob_data_space_id int, filestream_data_space_id int,"
		" max_column_id_used int, lock_on_bulk_load bit, uses_ansi_nulls bit, is_replicated bit,"
		" has_replication_filter bit, is_merge_published bit, is_sync_tran_subscribed bit,"
		" has_unchecked_assembly_data bit, text_in_row_limit int,"
		" large_value_types_out_of_row bit, is_tracked_by_cdc bit, lock_escalation tinyint,"
		" lock_escalation_desc nvarchar(60), is_filetable bit, is_memory_optimized bit,"
		" durability tinyint, durability_desc nvarchar(60), temporal_type tinyint,"
		" temporal_type_desc nvarchar(60), history_table_id int, is_remote_data_archive_enabled bit,"
		" is_external bit, is_node bit, is_edge bit",
		"SELECT " OBJ_SELECT ", 0, NULL,"
		" (SELECT max(column_id) FROM main.__sim_columns c WHERE c.object_id = o.object_id),"
		" 0, 1, 0, 0, 0, 0, 0, 0, 0, o.is_tracked_by_cdc, 0, 'TABLE', 0, 0, 0, 'SCHEMA_AND_DATA',"
		" 0, 'NON_TEMPORAL_TABLE', NULL, 0, 0, 0, 0"
	" FROM main.__sim_objects o WHERE o.type = 'U '"},
	{"sys.views", OBJ_COLS ", is_replicated bit, has_replication_filter bit,"
		" has_opaque_metadata bit, has_unchecked_assembly_data bit, with_check_option bit,"
		" is_date_correlation_view bit, is_tracked_by_cdc bit",
		"SELECT " OBJ_SELECT ", 0, 0, 0, 0, 0, 0, 0"
	" FROM main.__sim_objects o WHERE o.type = 'V '"},
	{"sys.columns", "object_id int, name nvarchar(128), column_id int, system_type_id tinyint,"
		" user_type_id int, max_length smallint, precision tinyint, scale tinyint,"
		" collation_name nvarchar(128), is_nullable bit, is_ansi_padded bit, is_rowguidcol bit,"
		" is_identity bit, is_computed bit, is_filestream bit, is_replicated bit,"
		" is_non_sql_subscribed bit, is_merge_published bit, is_dts_replicated bit,"
		" is_xml_document bit, xml_collection_id int, default_object_id int,"
		" rule_object_id int, is_sparse bit, is_column_set bit, generated_always_type tinyint,"
		" generated_always_type_desc nvarchar(60), is_hidden bit, is_masked bit",
		"SELECT object_id, name, column_id, system_type_id, user_type_id, max_length, precision,"
		" scale, collation_name, is_nullable, CASE WHEN system_type_id IN (167,175,231,239,165,173)"
		" THEN 1 ELSE 0 END, 0, is_identity, 0, 0, 0, 0, 0, 0, 0, 0, coalesce(default_object_id, 0),"
		" 0, 0, 0, 0, 'NOT_APPLICABLE', 0, 0 FROM main.__sim_columns"},
	{"sys.types", "name nvarchar(128), system_type_id tinyint, user_type_id int, schema_id int,"
		" principal_id int, max_length smallint, precision tinyint, scale tinyint,"
		" collation_name nvarchar(128), is_nullable bit, is_user_defined bit,"
		" is_assembly_type bit, default_object_id int, rule_object_id int, is_table_type bit",
		"SELECT column1, column2, column3, 4, NULL, column4, column5, column6,"
		" CASE WHEN column2 IN (35,99,167,175,231,239) THEN 'SQL_Latin1_General_CP1_CI_AS' END,"
		" 1, 0, 0, 0, 0, 0 FROM (VALUES"
		" ('image',34,34,16,0,0), ('text',35,35,16,0,0), ('uniqueidentifier',36,36,16,0,0),"
		" ('date',40,40,3,10,0), ('time',41,41,5,16,7), ('datetime2',42,42,8,27,7),"
		" ('datetimeoffset',43,43,10,34,7), ('tinyint',48,48,1,3,0), ('smallint',52,52,2,5,0),"
		" ('int',56,56,4,10,0), ('smalldatetime',58,58,4,16,0), ('real',59,59,4,24,0),"
		" ('money',60,60,8,19,4), ('datetime',61,61,8,23,3), ('float',62,62,8,53,0),"
		" ('sql_variant',98,98,8016,0,0), ('ntext',99,99,16,0,0), ('bit',104,104,1,1,0),"
		" ('decimal',106,106,17,38,38), ('numeric',108,108,17,38,38),"
		" ('smallmoney',122,122,4,10,4), ('bigint',127,127,8,19,0),"
		" ('varbinary',165,165,8000,0,0), ('varchar',167,167,8000,0,0),"
		" ('binary',173,173,8000,0,0), ('char',175,175,8000,0,0),"
		" ('timestamp',189,189,8,0,0), ('nvarchar',231,231,8000,0,0),"
		" ('nchar',239,239,8000,0,0), ('xml',241,241,-1,0,0), ('sysname',231,256,256,0,0))"},
	{"sys.indexes", "object_id int, name nvarchar(128), index_id int, type tinyint,"
		" type_desc nvarchar(60), is_unique bit, data_space_id int, ignore_dup_key bit,"
		" is_primary_key bit, is_unique_constraint bit, fill_factor tinyint, is_padded bit,"
		" is_disabled bit, is_hypothetical bit, is_ignored_in_optimization bit,"
		" allow_row_locks bit, allow_page_locks bit, has_filter bit,"
		" filter_definition nvarchar(max), auto_created bit",
		"SELECT object_id, name, index_id, type, CASE type WHEN 0 THEN 'HEAP' WHEN 1 THEN"
		" 'CLUSTERED' ELSE 'NONCLUSTERED' END, is_unique, 1, 0, is_primary_key,"
		" is_unique_constraint, 0, 0, 0, 0, 0, 1, 1, 0, NULL, 0 FROM main.__sim_indexes"},
	{"sys.index_columns", "object_id int, index_id int, index_column_id int, column_id int,"
		" key_ordinal tinyint, partition_ordinal tinyint, is_descending_key bit,"
		" is_included_column bit",
		"SELECT object_id, index_id, index_column_id, column_id, key_ordinal, 0,"
	" is_descending_key, 0 FROM main.__sim_index_columns"},
	{"sys.key_constraints", OBJ_COLS ", unique_index_id int, is_system_named bit, is_enforced bit",
		"SELECT " OBJ_SELECT ", (SELECT i.index_id FROM main.__sim_indexes i WHERE"
		" i.constraint_object_id = o.object_id), o.is_system_named, 1"
	" FROM main.__sim_objects o WHERE o.type IN ('PK', 'UQ')"},
	{"sys.default_constraints", OBJ_COLS ", parent_column_id int, definition nvarchar(max),"
		" is_system_named bit",
		"SELECT " OBJ_SELECT ", c.column_id, o.definition, o.is_system_named"
		" FROM main.__sim_objects o JOIN main.__sim_columns c ON c.default_object_id = o.object_id"
	" WHERE o.type = 'D '"},
	{"sys.databases", "name nvarchar(128), database_id int, source_database_id int,"
		" owner_sid varbinary(85), create_date datetime_text, compatibility_level tinyint,"
		" collation_name nvarchar(128), user_access tinyint, user_access_desc nvarchar(60),"
		" is_read_only bit, is_auto_close_on bit, is_auto_shrink_on bit, state tinyint,"
		" state_desc nvarchar(60), is_in_standby bit, is_cleanly_shutdown bit,"
		" snapshot_isolation_state tinyint, snapshot_isolation_state_desc nvarchar(60),"
		" is_read_committed_snapshot_on bit, recovery_model tinyint,"
		" recovery_model_desc nvarchar(60), is_cdc_enabled bit",
		"SELECT name, database_id, NULL, X'01', create_date, compatibility_level,"
		" 'SQL_Latin1_General_CP1_CI_AS', 0, 'MULTI_USER', 0, 0, 0, 0, 'ONLINE', 0, 0,"
		" snapshot_isolation_state, CASE snapshot_isolation_state WHEN 1 THEN 'ON' ELSE 'OFF' END,"
		" is_read_committed_snapshot_on, 1, 'FULL', is_cdc_enabled"
	" FROM @MASTER@.__sim_databases"},
	/* rows: filled by refresh_partitions() with live counts */
	{"sys.partitions", "partition_id bigint, object_id int, index_id int, partition_number int,"
		" hobt_id bigint, rows bigint, filestream_filegroup_id smallint, data_compression tinyint,"
		" data_compression_desc nvarchar(60)", NULL},
	{"INFORMATION_SCHEMA.SCHEMATA", "CATALOG_NAME nvarchar(128), SCHEMA_NAME nvarchar(128),"
		" SCHEMA_OWNER nvarchar(128), DEFAULT_CHARACTER_SET_CATALOG varchar(6),"
		" DEFAULT_CHARACTER_SET_SCHEMA varchar(3), DEFAULT_CHARACTER_SET_NAME nvarchar(128)",
		"SELECT db_name(), name, CASE WHEN schema_id < 16384 THEN name ELSE 'dbo' END,"
	" NULL, NULL, 'iso_1' FROM main.__sim_schemas"},
	{"INFORMATION_SCHEMA.TABLES", "TABLE_CATALOG nvarchar(128), TABLE_SCHEMA nvarchar(128),"
		" TABLE_NAME nvarchar(128), TABLE_TYPE varchar(10)",
		"SELECT db_name(), s.name, o.name, CASE o.type WHEN 'U ' THEN 'BASE TABLE' ELSE 'VIEW' END"
		" FROM main.__sim_objects o JOIN main.__sim_schemas s ON s.schema_id = o.schema_id"
	" WHERE o.type IN ('U ', 'V ')"},
	{"INFORMATION_SCHEMA.COLUMNS", "TABLE_CATALOG nvarchar(128), TABLE_SCHEMA nvarchar(128),"
		" TABLE_NAME nvarchar(128), COLUMN_NAME nvarchar(128), ORDINAL_POSITION int,"
		" COLUMN_DEFAULT nvarchar(4000), IS_NULLABLE varchar(3), DATA_TYPE nvarchar(128),"
		" CHARACTER_MAXIMUM_LENGTH int, CHARACTER_OCTET_LENGTH int, NUMERIC_PRECISION tinyint,"
		" NUMERIC_PRECISION_RADIX smallint, NUMERIC_SCALE int, DATETIME_PRECISION smallint,"
		" CHARACTER_SET_CATALOG nvarchar(128), CHARACTER_SET_SCHEMA nvarchar(128),"
		" CHARACTER_SET_NAME nvarchar(128), COLLATION_CATALOG nvarchar(128),"
		" COLLATION_SCHEMA nvarchar(128), COLLATION_NAME nvarchar(128),"
		" DOMAIN_CATALOG nvarchar(128), DOMAIN_SCHEMA nvarchar(128), DOMAIN_NAME nvarchar(128)",
		"SELECT db_name(), s.name, o.name, c.name, c.column_id,"
		" (SELECT d.definition FROM main.__sim_objects d WHERE d.object_id = c.default_object_id),"
		" CASE WHEN c.is_nullable THEN 'YES' ELSE 'NO' END, c.data_type, c.char_max_length,"
		" c.char_octet_length, c.num_precision, c.num_radix, c.num_scale, c.dt_precision,"
		" NULL, NULL, CASE WHEN c.collation_name IS NOT NULL THEN"
		" CASE WHEN c.system_type_id IN (99, 231, 239) THEN 'UNICODE' ELSE 'iso_1' END END,"
		" NULL, NULL, c.collation_name, NULL, NULL, NULL"
		" FROM main.__sim_columns c JOIN main.__sim_objects o ON o.object_id = c.object_id"
	" JOIN main.__sim_schemas s ON s.schema_id = o.schema_id WHERE o.type IN ('U ', 'V ')"},
	{"INFORMATION_SCHEMA.TABLE_CONSTRAINTS", "CONSTRAINT_CATALOG nvarchar(128),"
		" CONSTRAINT_SCHEMA nvarchar(128), CONSTRAINT_NAME nvarchar(128),"
		" TABLE_CATALOG nvarchar(128), TABLE_SCHEMA nvarchar(128), TABLE_NAME nvarchar(128),"
		" CONSTRAINT_TYPE varchar(11), IS_DEFERRABLE varchar(2), INITIALLY_DEFERRED varchar(2)",
		"SELECT db_name(), s.name, k.name, db_name(), s.name, t.name,"
		" CASE k.type WHEN 'PK' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END, 'NO', 'NO'"
		" FROM main.__sim_objects k JOIN main.__sim_objects t ON t.object_id = k.parent_object_id"
	" JOIN main.__sim_schemas s ON s.schema_id = k.schema_id WHERE k.type IN ('PK', 'UQ')"},
	{"INFORMATION_SCHEMA.KEY_COLUMN_USAGE", "CONSTRAINT_CATALOG nvarchar(128),"
		" CONSTRAINT_SCHEMA nvarchar(128), CONSTRAINT_NAME nvarchar(128),"
		" TABLE_CATALOG nvarchar(128), TABLE_SCHEMA nvarchar(128), TABLE_NAME nvarchar(128),"
		" COLUMN_NAME nvarchar(128), ORDINAL_POSITION int",
		"SELECT db_name(), s.name, i.name, db_name(), s.name, t.name, c.name, ic.key_ordinal"
		" FROM main.__sim_indexes i JOIN main.__sim_index_columns ic ON ic.object_id = i.object_id"
		" AND ic.index_id = i.index_id JOIN main.__sim_objects t ON t.object_id = i.object_id"
		" JOIN main.__sim_schemas s ON s.schema_id = t.schema_id"
		" JOIN main.__sim_columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id"
	" WHERE i.constraint_object_id IS NOT NULL"},
	{"INFORMATION_SCHEMA.VIEWS", "TABLE_CATALOG nvarchar(128), TABLE_SCHEMA nvarchar(128),"
		" TABLE_NAME nvarchar(128), VIEW_DEFINITION nvarchar(4000), CHECK_OPTION varchar(7),"
		" IS_UPDATABLE varchar(2)",
		"SELECT db_name(), s.name, o.name, o.definition, 'NONE', 'NO' FROM main.__sim_objects o"
	" JOIN main.__sim_schemas s ON s.schema_id = o.schema_id WHERE o.type = 'V '"},
	{NULL, NULL, NULL}
};

static CatalogView ext_views[64];
static int	n_ext_views;

void
engine_register_catalog_view(const char *name, const char *columns, const char *select_sql)
{
	if (n_ext_views >= 64)
	{
		fprintf(stderr, "mssql_sim: too many catalog views\n");
		abort();
	}
	ext_views[n_ext_views].name = estrdup(name);
	ext_views[n_ext_views].columns = estrdup(columns);
	ext_views[n_ext_views].select_sql = estrdup(select_sql);
	n_ext_views++;
}

static const CatalogView *
view_at(int i)
{
	int			nb = (int) (sizeof(builtin_views) / sizeof(builtin_views[0])) - 1;

	if (i < nb)
		return &builtin_views[i];
	if (i < nb + n_ext_views)
		return &ext_views[i - nb];
	return NULL;
}

/* True if a lower-cased SQLite table name is one of the catalog views. */
bool
engine_catalog_is_view(const char *lower_name)
{
	const CatalogView *v;
	int			i;

	for (i = 0; (v = view_at(i)) != NULL; i++)
		if (engine_strcasecmp(v->name, lower_name) == 0)
			return true;
	return false;
}

static bool
exec_sql(sqlite3 *db, const char *sql, char *errbuf, size_t errlen)
{
	char	   *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
	{
		snprintf(errbuf, errlen, "%s", err ? err : "SQLite error");
		sqlite3_free(err);
		return false;
	}
	return true;
}

/*
 * Create the __sim_* tables in a database file if they are missing (and
 * the master-only tables when dbname is "master").
 */
bool
engine_catalog_init_db(sqlite3 *db, const char *dbname, char *errbuf, size_t errlen)
{
	if (!exec_sql(db, "BEGIN IMMEDIATE", errbuf, errlen))
		return false;
	if (!exec_sql(db, catalog_ddl, errbuf, errlen) ||
		(engine_strcasecmp(dbname, "master") == 0 && !exec_sql(db, master_ddl, errbuf, errlen)))
	{
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return exec_sql(db, "COMMIT", errbuf, errlen);
}

/* Create the empty TEMP copies of every catalog view on the session's handle. */
bool
engine_catalog_create_temp(SimSession *s, char *errbuf, size_t errlen)
{
	const CatalogView *v;
	int			i;
	EngineBuf	b;
	bool		ok = true;

	ebuf_init(&b);
	for (i = 0; (v = view_at(i)) != NULL; i++)
	{
		ebuf_reset(&b);
		ebuf_append(&b, "CREATE TEMP TABLE IF NOT EXISTS ");
		ebuf_append_ident(&b, v->name);
		ebuf_appendc(&b, '(');
		{
			const char *p = v->columns;
			const char *m;

			/* SQLite type names take numbers only: "(max)" -> "_max" */
			while ((m = strstr(p, "(max)")) != NULL)
			{
				ebuf_appendn(&b, p, (size_t) (m - p));
				ebuf_append(&b, "_max");
				p = m + 5;
			}
			ebuf_append(&b, p);
		}
		ebuf_appendc(&b, ')');
		if (!exec_sql(s->db, b.data, errbuf, errlen))
		{
			ok = false;
			break;
		}
	}
	ebuf_free(&b);
	s->catalog_seen = -1;
	return ok;
}

/* sys.partitions: one row per index of every table, with its row count. */
static bool
refresh_partitions(SimSession *s)
{
	sqlite3_stmt *tabs;
	EngineBuf	b;
	bool		ok = true;

	if (sqlite3_exec(s->db, "DELETE FROM temp.\"sys.partitions\"", NULL, NULL, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_prepare_v2(s->db, "SELECT o.object_id, sc.name || '.' || o.name FROM main.__sim_objects o"
						   " JOIN main.__sim_schemas sc ON sc.schema_id = o.schema_id"
						   " WHERE o.type = 'U '", -1, &tabs, NULL) != SQLITE_OK)
		return false;
	ebuf_init(&b);
	while (ok && sqlite3_step(tabs) == SQLITE_ROW)
	{
		ebuf_reset(&b);
		ebuf_printf(&b, "INSERT INTO temp.\"sys.partitions\" SELECT i.object_id * 65536 + i.index_id,"
					" i.object_id, i.index_id, 1, i.object_id * 65536 + i.index_id,"
					" (SELECT count(*) FROM main.");
		ebuf_append_ident(&b, (const char *) sqlite3_column_text(tabs, 1));
		ebuf_printf(&b, "), NULL, 0, 'NONE' FROM main.__sim_indexes i WHERE i.object_id = %lld",
					(long long) sqlite3_column_int64(tabs, 0));
		ok = sqlite3_exec(s->db, b.data, NULL, NULL, NULL) == SQLITE_OK;
	}
	sqlite3_finalize(tabs);
	ebuf_free(&b);
	return ok;
}

/*
 * Refill the TEMP copies if the catalog changed since the last refill
 * (sys.databases and other views whose source is master are refilled
 * every time).
 * Errors are reported to the client.
 */
bool
engine_catalog_refresh(SimSession *s)
{
	int64_t		version = engine_meta_get(s, "catalog_version", 0);
	const CatalogView *v;
	int			i;
	EngineBuf	b;
	bool		all = (version != s->catalog_seen);
	char	   *err = NULL;

	ebuf_init(&b);
	for (i = 0; (v = view_at(i)) != NULL; i++)
	{
		const char *m;

		if (v->select_sql == NULL)
			continue;			/* filled in C below */
		/* views over master's tables (@MASTER@) change with other databases */
		if (!all && strcmp(v->name, "sys.databases") != 0 &&
			strstr(v->select_sql, "@MASTER@") == NULL)
			continue;
		ebuf_reset(&b);
		ebuf_append(&b, "DELETE FROM temp.");
		ebuf_append_ident(&b, v->name);
		ebuf_append(&b, "; INSERT INTO temp.");
		ebuf_append_ident(&b, v->name);
		ebuf_appendc(&b, ' ');
		/* @MASTER@ stands for the schema that holds master's tables */
		m = strstr(v->select_sql, "@MASTER@");
		if (m)
		{
			ebuf_appendn(&b, v->select_sql, (size_t) (m - v->select_sql));
			ebuf_append(&b, s->master_schema);
			ebuf_append(&b, m + 8);
		}
		else
			ebuf_append(&b, v->select_sql);
		if (sqlite3_exec(s->db, b.data, NULL, NULL, &err) != SQLITE_OK)
		{
			engine_error(s, 50000, "catalog view %s: %s", v->name, err ? err : "?");
			sqlite3_free(err);
			ebuf_free(&b);
			return false;
		}
	}
	ebuf_free(&b);
	s->catalog_seen = version;
	if (s->want_partitions)
	{
		s->want_partitions = false;
		if (!refresh_partitions(s))
		{
			engine_error(s, 50000, "catalog view sys.partitions: %s", sqlite3_errmsg(s->db));
			return false;
		}
	}
	return true;
}

/* ------------------------------------------------------------------------
 * __sim_meta
 * ------------------------------------------------------------------------
 */

int64_t
engine_meta_get(SimSession *s, const char *key, int64_t dflt)
{
	sqlite3_stmt *stmt;
	int64_t		v = dflt;

	if (sqlite3_prepare_v2(s->db, "SELECT value FROM main.__sim_meta WHERE key = ?1", -1,
						   &stmt, NULL) != SQLITE_OK)
		return dflt;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

void
engine_meta_set(SimSession *s, const char *key, int64_t value)
{
	sqlite3_stmt *stmt;

	if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO main.__sim_meta VALUES (?1, ?2)", -1,
						   &stmt, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, value);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
}

/* Add 1 to a counter in __sim_meta and return the new value (in a write txn). */
static int64_t
meta_increment(SimSession *s, const char *key)
{
	sqlite3_stmt *stmt;
	int64_t		v = 0;

	if (sqlite3_prepare_v2(s->db, "UPDATE main.__sim_meta SET value = value + 1 WHERE key = ?1"
						   " RETURNING value", -1, &stmt, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

int64_t
engine_next_object_id(SimSession *s)
{
	/* SQL Server's ids look random; stepping by a prime keeps them spread */
	int64_t		v = engine_meta_get(s, "next_object_id", 245575913);

	engine_meta_set(s, "next_object_id", v + 16048057);
	/* an id used again (after a rollback or in a re-created database) */
	engine_identity_forget(s->db, v);
	return v;
}

void
engine_catalog_bump(SimSession *s)
{
	meta_increment(s, "catalog_version");
}

void
engine_catalog_changed(SimSession *s)
{
	engine_catalog_bump(s);
}

/* ------------------------------------------------------------------------
 * Names and lookups
 * ------------------------------------------------------------------------
 */

/*
 * Split a 1..4-part name (contract in engine.h).
 */
bool
engine_split_name(const char *text, char *db, char *schema, char *name, size_t partlen)
{
	char		parts[4][ENGINE_NAME_LEN];
	int			n = 0;
	const char *p = text;

	while (isspace((unsigned char) *p))
		p++;
	for (;;)
	{
		size_t		k = 0;

		if (n >= 4)
			return false;
		if (*p == '[' || *p == '"')
		{
			char		close = *p == '[' ? ']' : '"';

			p++;
			while (*p)
			{
				if (*p == close)
				{
					if (p[1] == close)
						p++;
					else
						break;
				}
				if (k < ENGINE_NAME_LEN - 1)
					parts[n][k++] = *p;
				p++;
			}
			if (*p != close)
				return false;
			p++;
		}
		else
		{
			while (*p && *p != '.' && !isspace((unsigned char) *p))
			{
				if (k < ENGINE_NAME_LEN - 1)
					parts[n][k++] = *p;
				p++;
			}
		}
		parts[n][k] = '\0';
		n++;
		while (isspace((unsigned char) *p))
			p++;
		if (*p == '.')
		{
			p++;
			continue;
		}
		break;
	}
	if (*p != '\0' || parts[n - 1][0] == '\0')
		return false;
	snprintf(name, partlen, "%s", parts[n - 1]);
	snprintf(schema, partlen, "%s", n >= 2 ? parts[n - 2] : "");
	snprintf(db, partlen, "%s", n >= 3 ? parts[n - 3] : "");
	return true;
}

int
engine_schema_id(SimSession *s, const char *name)
{
	sqlite3_stmt *stmt;
	int			id = -1;

	if (sqlite3_prepare_v2(s->db, "SELECT schema_id FROM main.__sim_schemas WHERE name = ?1", -1,
						   &stmt, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		id = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return id;
}

/* Contract in engine.h. */
bool
engine_schema_ensure(SimSession *s, const char *name)
{
	sqlite3_stmt *stmt;
	int			rc;

	if (engine_schema_id(s, name) >= 0)
		return true;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO main.__sim_schemas(schema_id, name, principal_id)"
						   " SELECT max(max(schema_id) + 1, 5), ?1, 1 FROM main.__sim_schemas"
						   " WHERE schema_id < 16384", -1, &stmt, NULL) != SQLITE_OK)
	{
		engine_error_sqlite(s, SQLITE_ERROR);
		return false;
	}
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
	{
		engine_error_sqlite(s, rc);
		return false;
	}
	engine_catalog_bump(s);
	return true;
}

static char *
col_text(sqlite3_stmt *stmt, int i)
{
	const unsigned char *t = sqlite3_column_text(stmt, i);

	return t ? estrdup((const char *) t) : NULL;
}

/* Load columns and primary key of a table whose header fields are set. */
static void
load_table_details(SimSession *s, EngineTable *t)
{
	sqlite3_stmt *stmt;
	int			cap = 16;

	t->cols = emalloc(sizeof(EngineColumn) * (size_t) cap);
	if (sqlite3_prepare_v2(s->db, "SELECT column_id, name, type_text, is_nullable, is_identity,"
						   " seed, increment, is_rowversion, default_sql FROM main.__sim_columns"
						   " WHERE object_id = ?1 ORDER BY column_id", -1, &stmt, NULL) == SQLITE_OK)
	{
		sqlite3_bind_int64(stmt, 1, t->object_id);
		while (sqlite3_step(stmt) == SQLITE_ROW)
		{
			EngineColumn *c;

			if (t->ncols == cap)
			{
				cap *= 2;
				t->cols = realloc(t->cols, sizeof(EngineColumn) * (size_t) cap);
				if (t->cols == NULL)
					abort();
			}
			c = &t->cols[t->ncols++];
			memset(c, 0, sizeof(*c));
			c->column_id = sqlite3_column_int(stmt, 0);
			c->name = col_text(stmt, 1);
			if (!engine_decltype_parse((const char *) sqlite3_column_text(stmt, 2), &c->type))
				c->type.id = SIM_NVARCHAR, c->type.length = SIM_MAX_LENGTH;
			c->nullable = sqlite3_column_int(stmt, 3) != 0;
			c->identity = sqlite3_column_int(stmt, 4) != 0;
			c->ident_seed = sqlite3_column_int64(stmt, 5);
			c->ident_incr = sqlite3_column_int64(stmt, 6);
			c->rowversion = sqlite3_column_int(stmt, 7) != 0;
			c->default_sql = col_text(stmt, 8);
		}
		sqlite3_finalize(stmt);
	}
	t->pk = emalloc(sizeof(int) * (size_t) (t->ncols + 1));
	if (sqlite3_prepare_v2(s->db, "SELECT ic.column_id, i.name FROM main.__sim_indexes i"
						   " JOIN main.__sim_index_columns ic ON ic.object_id = i.object_id"
						   " AND ic.index_id = i.index_id WHERE i.object_id = ?1"
						   " AND i.is_primary_key = 1 ORDER BY ic.key_ordinal", -1, &stmt,
						   NULL) == SQLITE_OK)
	{
		sqlite3_bind_int64(stmt, 1, t->object_id);
		while (sqlite3_step(stmt) == SQLITE_ROW)
		{
			int			cid = sqlite3_column_int(stmt, 0);
			int			k;

			if (t->pk_name == NULL)
				t->pk_name = col_text(stmt, 1);
			for (k = 0; k < t->ncols; k++)
				if (t->cols[k].column_id == cid)
					t->pk[t->npk++] = k;
		}
		sqlite3_finalize(stmt);
	}
}

/*
 * An EngineTable from a row (object_id, schema, name, type) of the catalog
 * query, with its columns and primary key loaded; caller frees with
 * engine_table_free.
 */
static EngineTable *
table_from_row(SimSession *s, sqlite3_stmt *stmt)
{
	EngineTable *t = emalloc(sizeof(EngineTable));
	const char *type;

	memset(t, 0, sizeof(*t));
	t->object_id = sqlite3_column_int64(stmt, 0);
	t->schema = col_text(stmt, 1);
	t->name = col_text(stmt, 2);
	type = (const char *) sqlite3_column_text(stmt, 3);
	snprintf(t->type, sizeof(t->type), "%c", type ? type[0] : 'U');
	t->sqlite_name = emalloc(strlen(t->schema) + strlen(t->name) + 2);
	sprintf(t->sqlite_name, "%s.%s", t->schema, t->name);
	load_table_details(s, t);
	return t;
}

/* Contract in engine.h. */
EngineTable *
engine_table_lookup(SimSession *s, const char *schema, const char *name)
{
	sqlite3_stmt *stmt;
	EngineTable *t = NULL;

	if (name[0] == '#')
	{
		EngineTempTable *tt = engine_temp_find(s, name);

		return tt ? engine_table_copy(tt->table) : NULL;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT o.object_id, sc.name, o.name, o.type"
						   " FROM main.__sim_objects o JOIN main.__sim_schemas sc"
						   " ON sc.schema_id = o.schema_id WHERE sc.name = ?1 AND o.name = ?2"
						   " AND o.type IN ('U ', 'V ')", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(stmt, 1, schema && schema[0] ? schema : "dbo", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		t = table_from_row(s, stmt);
	sqlite3_finalize(stmt);
	return t;
}

/* Contract in engine.h: like engine_table_lookup, by object_id. */
EngineTable *
engine_table_lookup_id(SimSession *s, int64_t object_id)
{
	sqlite3_stmt *stmt;
	EngineTable *t = NULL;

	if (sqlite3_prepare_v2(s->db, "SELECT o.object_id, sc.name, o.name, o.type"
						   " FROM main.__sim_objects o JOIN main.__sim_schemas sc"
						   " ON sc.schema_id = o.schema_id WHERE o.object_id = ?1"
						   " AND o.type IN ('U ', 'V ')", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(stmt, 1, object_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		t = table_from_row(s, stmt);
	sqlite3_finalize(stmt);
	return t;
}

/* Contract in engine.h: frees t and everything it owns (NULL is fine). */
void
engine_table_free(EngineTable *t)
{
	int			i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncols; i++)
	{
		free(t->cols[i].name);
		free(t->cols[i].default_sql);
	}
	free(t->cols);
	free(t->pk);
	free(t->pk_name);
	free(t->schema);
	free(t->name);
	free(t->sqlite_name);
	free(t);
}

/*
 * Insert the __sim_columns row for column c of object_id, with the
 * derived INFORMATION_SCHEMA values.  Returns the SQLite result code.
 */
int
engine_catalog_insert_column(SimSession *s, int64_t object_id, const EngineColumn *c,
							 int64_t default_object_id)
{
	sqlite3_stmt *stmt;
	char		decl[96];
	char		base[64];
	const SimType *t = &c->type;
	int			rc;
	int			maxlen = sim_type_max_length(t);
	bool		ischar = false;
	bool		isnum = false;

	engine_decltype(t, decl, sizeof(decl));
	{
		SimType		b = *t;

		sim_type_format(&b, base, sizeof(base));
		if (strchr(base, '('))
			*strchr(base, '(') = '\0';
		if (t->id == SIM_SYSNAME)
			strcpy(base, "nvarchar");
	}
	rc = sqlite3_prepare_v2(s->db, "INSERT INTO main.__sim_columns(object_id, column_id, name,"
							" type_text, data_type, system_type_id, user_type_id, max_length,"
							" precision, scale, collation_name, is_nullable, is_identity, seed,"
							" increment, is_rowversion, default_sql, default_object_id,"
							" char_max_length, char_octet_length, num_precision, num_radix,"
							" num_scale, dt_precision) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
							" coalesce(?9, 0), coalesce(?10, 0), ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
							" ?22, ?23, ?24)", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, object_id);
	sqlite3_bind_int(stmt, 2, c->column_id);
	sqlite3_bind_text(stmt, 3, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, decl, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, base, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 6, sim_type_system_type_id(t));
	sqlite3_bind_int(stmt, 7, t->id == SIM_SYSNAME ? 256 : sim_type_system_type_id(t));
	sqlite3_bind_int(stmt, 8, maxlen);
	switch (t->id)
	{
		case SIM_BIT:
			sqlite3_bind_int(stmt, 9, 1);
			break;
		case SIM_TINYINT:
			sqlite3_bind_int(stmt, 9, 3);
			isnum = true;
			break;
		case SIM_SMALLINT:
			sqlite3_bind_int(stmt, 9, 5);
			isnum = true;
			break;
		case SIM_INT:
			sqlite3_bind_int(stmt, 9, 10);
			isnum = true;
			break;
		case SIM_BIGINT:
			sqlite3_bind_int(stmt, 9, 19);
			isnum = true;
			break;
		case SIM_DECIMAL:
		case SIM_NUMERIC:
		case SIM_MONEY:
		case SIM_SMALLMONEY:
			sqlite3_bind_int(stmt, 9, t->precision);
			sqlite3_bind_int(stmt, 10, t->scale);
			isnum = true;
			break;
		case SIM_FLOAT:
			sqlite3_bind_int(stmt, 9, 53);
			break;
		case SIM_REAL:
			sqlite3_bind_int(stmt, 9, 24);
			break;
		case SIM_DATE:
			sqlite3_bind_int(stmt, 9, 10);
			break;
		case SIM_TIME:
			sqlite3_bind_int(stmt, 9, t->scale == 0 ? 8 : 9 + t->scale);
			sqlite3_bind_int(stmt, 10, t->scale);
			break;
		case SIM_DATETIME:
			sqlite3_bind_int(stmt, 9, 23);
			sqlite3_bind_int(stmt, 10, 3);
			break;
		case SIM_SMALLDATETIME:
			sqlite3_bind_int(stmt, 9, 16);
			break;
		case SIM_DATETIME2:
			sqlite3_bind_int(stmt, 9, t->scale == 0 ? 19 : 20 + t->scale);
			sqlite3_bind_int(stmt, 10, t->scale);
			break;
		case SIM_DATETIMEOFFSET:
			sqlite3_bind_int(stmt, 9, t->scale == 0 ? 26 : 27 + t->scale);
			sqlite3_bind_int(stmt, 10, t->scale);
			break;
		case SIM_CHAR:
		case SIM_VARCHAR:
		case SIM_NCHAR:
		case SIM_NVARCHAR:
		case SIM_TEXT:
		case SIM_NTEXT:
		case SIM_SYSNAME:
			ischar = true;
			sqlite3_bind_int(stmt, 9, 0);
			sqlite3_bind_int(stmt, 10, 0);
			break;
		default:
			sqlite3_bind_int(stmt, 9, 0);
			sqlite3_bind_int(stmt, 10, 0);
			break;
	}
	if (ischar)
		sqlite3_bind_text(stmt, 11, "SQL_Latin1_General_CP1_CI_AS", -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 12, c->nullable);
	sqlite3_bind_int(stmt, 13, c->identity);
	if (c->identity)
	{
		sqlite3_bind_int64(stmt, 14, c->ident_seed);
		sqlite3_bind_int64(stmt, 15, c->ident_incr);
	}
	sqlite3_bind_int(stmt, 16, c->rowversion);
	if (c->default_sql)
		sqlite3_bind_text(stmt, 17, c->default_sql, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 18, default_object_id);
	/* INFORMATION_SCHEMA.COLUMNS values */
	switch (t->id)
	{
		case SIM_CHAR:
		case SIM_VARCHAR:
		case SIM_BINARY:
		case SIM_VARBINARY:
			sqlite3_bind_int(stmt, 19, t->length);
			sqlite3_bind_int(stmt, 20, t->length);
			break;
		case SIM_NCHAR:
		case SIM_NVARCHAR:
		case SIM_SYSNAME:
			sqlite3_bind_int(stmt, 19, t->length);
			sqlite3_bind_int(stmt, 20, t->length == SIM_MAX_LENGTH ? -1 : t->length * 2);
			break;
		case SIM_TEXT:
		case SIM_IMAGE:
			sqlite3_bind_int(stmt, 19, 2147483647);
			sqlite3_bind_int(stmt, 20, 2147483647);
			break;
		case SIM_NTEXT:
			sqlite3_bind_int(stmt, 19, 1073741823);
			sqlite3_bind_int(stmt, 20, 2147483646);
			break;
		case SIM_XML:
			sqlite3_bind_int(stmt, 19, -1);
			sqlite3_bind_int(stmt, 20, -1);
			break;
		default:
			break;
	}
	switch (t->id)
	{
		case SIM_TINYINT:
		case SIM_SMALLINT:
		case SIM_INT:
		case SIM_BIGINT:
		case SIM_DECIMAL:
		case SIM_NUMERIC:
		case SIM_MONEY:
		case SIM_SMALLMONEY:
			sqlite3_bind_int(stmt, 21, t->id == SIM_TINYINT ? 3 : t->id == SIM_SMALLINT ? 5 :
							 t->id == SIM_INT ? 10 : t->id == SIM_BIGINT ? 19 : t->precision);
			sqlite3_bind_int(stmt, 22, 10);
			sqlite3_bind_int(stmt, 23, t->scale);
			break;
		case SIM_FLOAT:
		case SIM_REAL:
			sqlite3_bind_int(stmt, 21, t->id == SIM_FLOAT ? 53 : 24);
			sqlite3_bind_int(stmt, 22, 2);
			break;
		case SIM_DATE:
		case SIM_SMALLDATETIME:
			sqlite3_bind_int(stmt, 24, 0);
			break;
		case SIM_DATETIME:
			sqlite3_bind_int(stmt, 24, 3);
			break;
		case SIM_TIME:
		case SIM_DATETIME2:
		case SIM_DATETIMEOFFSET:
			sqlite3_bind_int(stmt, 24, t->scale);
			break;
		default:
			break;
	}
	(void) isnum;
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}
