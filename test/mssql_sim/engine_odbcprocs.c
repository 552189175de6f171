/*
 * engine_odbcprocs.c
 *		The catalog procedures ODBC drivers and tools call: sp_tables,
 *		sp_columns, sp_pkeys, sp_fkeys, sp_statistics, sp_special_columns,
 *		sp_stored_procedures, sp_datatype_info (and _100), sp_helpindex,
 *		sp_who; and a bare procedure call as the first statement of a batch
 *		("sp_who", "sp_datatype_info_100 12, 3"), which T-SQL runs as EXEC.
 *
 * Each procedure builds one T-SQL query over INFORMATION_SCHEMA / sys.*
 * (so that the catalog is read the usual way) and runs it in the
 * procedure's scope; the result set has the column names and types of
 * Microsoft's page for the procedure (CASTs fix the types).  Patterns
 * (@table_name '%', 'ord%') are LIKE patterns, as with @fUsePattern = 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

extern void engine_odbcprocs_register(void);

/* Append v as an N'...' literal, or NULL when v is NULL. */
static void
append_nlit(EngineBuf *b, const char *v)
{
	const char *p;

	if (v == NULL)
	{
		ebuf_append(b, "NULL");
		return;
	}
	ebuf_append(b, "N'");
	for (p = v; *p; p++)
	{
		if (*p == '\'')
			ebuf_appendc(b, '\'');
		ebuf_appendc(b, *p);
	}
	ebuf_appendc(b, '\'');
}

/* Append " AND col LIKE pattern" when the parameter is given. */
static void
append_filter(EngineBuf *b, const char *col, const char *pattern)
{
	if (pattern == NULL || pattern[0] == '\0')
		return;
	ebuf_printf(b, " AND %s LIKE ", col);
	append_nlit(b, pattern);
}

/* A qualifier naming another database than the current one: no rows. */
static bool
other_database(EngineProcCall *call, int position)
{
	const char *q = engine_proc_param_text(call, "@table_qualifier", position);

	return q && q[0] && strcmp(q, "%") != 0 &&
		engine_strcasecmp(q, sim_session_database(call->session)) != 0;
}

/*
 * ODBC type attributes of INFORMATION_SCHEMA.COLUMNS row "c", as T-SQL
 * expressions: SQL data type code, precision, length, scale, radix.
 */
#define ODBC_TYPE \
	"CASE c.DATA_TYPE WHEN 'bit' THEN -7 WHEN 'tinyint' THEN -6 WHEN 'smallint' THEN 5" \
	" WHEN 'int' THEN 4 WHEN 'bigint' THEN -5 WHEN 'decimal' THEN 3 WHEN 'numeric' THEN 2" \
	" WHEN 'money' THEN 3 WHEN 'smallmoney' THEN 3 WHEN 'float' THEN 6 WHEN 'real' THEN 7" \
	" WHEN 'datetime' THEN 11 WHEN 'smalldatetime' THEN 11 WHEN 'date' THEN -9" \
	" WHEN 'time' THEN -9 WHEN 'datetime2' THEN -9 WHEN 'datetimeoffset' THEN -9" \
	" WHEN 'char' THEN 1 WHEN 'varchar' THEN CASE WHEN c.CHARACTER_MAXIMUM_LENGTH = -1 THEN -1 ELSE 12 END" \
	" WHEN 'nchar' THEN -8 WHEN 'nvarchar' THEN CASE WHEN c.CHARACTER_MAXIMUM_LENGTH = -1 THEN -10 ELSE -9 END" \
	" WHEN 'text' THEN -1 WHEN 'ntext' THEN -10 WHEN 'xml' THEN -10 WHEN 'binary' THEN -2" \
	" WHEN 'varbinary' THEN CASE WHEN c.CHARACTER_MAXIMUM_LENGTH = -1 THEN -4 ELSE -3 END" \
	" WHEN 'image' THEN -4 WHEN 'timestamp' THEN -2 WHEN 'rowversion' THEN -2" \
	" WHEN 'uniqueidentifier' THEN -11 ELSE 12 END"

#define ODBC_PRECISION \
	"CASE WHEN c.CHARACTER_MAXIMUM_LENGTH = -1 THEN 2147483647" \
	" WHEN c.CHARACTER_MAXIMUM_LENGTH IS NOT NULL THEN c.CHARACTER_MAXIMUM_LENGTH" \
	" WHEN c.DATA_TYPE = 'float' THEN 15 WHEN c.DATA_TYPE = 'real' THEN 7" \
	" WHEN c.DATA_TYPE = 'bit' THEN 1 WHEN c.DATA_TYPE = 'datetime' THEN 23" \
	" WHEN c.DATA_TYPE = 'smalldatetime' THEN 16 WHEN c.DATA_TYPE = 'date' THEN 10" \
	" WHEN c.DATA_TYPE = 'time' THEN 8 + CASE WHEN c.DATETIME_PRECISION > 0 THEN c.DATETIME_PRECISION + 1 ELSE 0 END" \
	" WHEN c.DATA_TYPE = 'datetime2' THEN 19 + CASE WHEN c.DATETIME_PRECISION > 0 THEN c.DATETIME_PRECISION + 1 ELSE 0 END" \
	" WHEN c.DATA_TYPE = 'datetimeoffset' THEN 26 + CASE WHEN c.DATETIME_PRECISION > 0 THEN c.DATETIME_PRECISION + 1 ELSE 0 END" \
	" WHEN c.DATA_TYPE = 'uniqueidentifier' THEN 36 WHEN c.DATA_TYPE IN ('timestamp', 'rowversion') THEN 8" \
	" ELSE c.NUMERIC_PRECISION END"

#define ODBC_LENGTH \
	"CASE WHEN c.CHARACTER_OCTET_LENGTH = -1 THEN 2147483647" \
	" WHEN c.CHARACTER_OCTET_LENGTH IS NOT NULL THEN c.CHARACTER_OCTET_LENGTH" \
	" WHEN c.DATA_TYPE IN ('decimal', 'numeric') THEN c.NUMERIC_PRECISION + 2" \
	" WHEN c.DATA_TYPE = 'money' THEN 21 WHEN c.DATA_TYPE = 'smallmoney' THEN 12" \
	" WHEN c.DATA_TYPE IN ('bit', 'tinyint') THEN 1 WHEN c.DATA_TYPE = 'smallint' THEN 2" \
	" WHEN c.DATA_TYPE IN ('int', 'real', 'smalldatetime') THEN 4" \
	" WHEN c.DATA_TYPE IN ('bigint', 'float') THEN 8 WHEN c.DATA_TYPE = 'datetime' THEN 16" \
	" WHEN c.DATA_TYPE = 'uniqueidentifier' THEN 16 WHEN c.DATA_TYPE IN ('timestamp', 'rowversion') THEN 8" \
	" ELSE 2 * (" ODBC_PRECISION ") END"

#define ODBC_SCALE \
	"CASE WHEN c.DATA_TYPE IN ('decimal', 'numeric', 'money', 'smallmoney', 'tinyint', 'smallint', 'int', 'bigint')" \
	" THEN c.NUMERIC_SCALE WHEN c.DATA_TYPE = 'datetime' THEN 3 WHEN c.DATA_TYPE = 'smalldatetime' THEN 0" \
	" WHEN c.DATA_TYPE IN ('time', 'datetime2', 'datetimeoffset') THEN c.DATETIME_PRECISION END"

#define ODBC_RADIX \
	"CASE WHEN c.DATA_TYPE IN ('decimal', 'numeric', 'money', 'smallmoney', 'tinyint', 'smallint'," \
	" 'int', 'bigint', 'float', 'real') THEN 10 END"

/* sp_tables [@table_name][, @table_owner][, @table_qualifier][, @table_type] */
static int
proc_sp_tables(EngineProcCall *call, void *arg)
{
	const char *types = engine_proc_param_text(call, "@table_type", 3);
	bool		want_tables = types == NULL || strstr(types, "'TABLE'") != NULL ||
		strstr(types, "TABLE") == types;
	bool		want_views = types == NULL || strstr(types, "VIEW") != NULL;
	EngineBuf	b;

	(void) arg;
	ebuf_init(&b);
	ebuf_append(&b,
				"SELECT CAST(DB_NAME() AS sysname) AS TABLE_QUALIFIER,"
				" CAST(TABLE_SCHEMA AS sysname) AS TABLE_OWNER,"
				" CAST(TABLE_NAME AS sysname) AS TABLE_NAME,"
				" CAST(CASE WHEN TABLE_TYPE = 'VIEW' THEN 'VIEW' ELSE 'TABLE' END AS varchar(32)) AS TABLE_TYPE,"
				" CAST(NULL AS varchar(254)) AS REMARKS"
				" FROM INFORMATION_SCHEMA.TABLES WHERE 1 = 1");
	append_filter(&b, "TABLE_NAME", engine_proc_param_text(call, "@table_name", 0));
	append_filter(&b, "TABLE_SCHEMA", engine_proc_param_text(call, "@table_owner", 1));
	if (!want_tables)
		ebuf_append(&b, " AND TABLE_TYPE <> 'BASE TABLE'");
	if (!want_views)
		ebuf_append(&b, " AND TABLE_TYPE <> 'VIEW'");
	if (other_database(call, 2))
		ebuf_append(&b, " AND 1 = 0");
	ebuf_append(&b, " ORDER BY TABLE_TYPE, TABLE_OWNER, TABLE_NAME");
	engine_exec_nested_text(call->session, b.data);
	ebuf_free(&b);
	return 0;
}

/* sp_columns @table_name [, @table_owner][, @table_qualifier][, @column_name][, @ODBCVer] */
static int
proc_sp_columns(EngineProcCall *call, void *arg)
{
	const char *table = engine_proc_param_text(call, "@table_name", 0);
	EngineBuf	b;

	(void) arg;
	if (table == NULL)
	{
		engine_error(call->session, 201,
					 "Procedure or function 'sp_columns' expects parameter '@table_name', which was not supplied.");
		return 1;
	}
	ebuf_init(&b);
	ebuf_append(&b,
				"SELECT CAST(c.TABLE_CATALOG AS sysname) AS TABLE_QUALIFIER,"
				" CAST(c.TABLE_SCHEMA AS sysname) AS TABLE_OWNER,"
				" CAST(c.TABLE_NAME AS sysname) AS TABLE_NAME,"
				" CAST(c.COLUMN_NAME AS sysname) AS COLUMN_NAME,"
				" CAST(" ODBC_TYPE " AS smallint) AS DATA_TYPE,"
				" CAST(CONCAT(c.DATA_TYPE, CASE WHEN COLUMNPROPERTY(OBJECT_ID(CONCAT('[', c.TABLE_SCHEMA, '].[',"
				" c.TABLE_NAME, ']')), c.COLUMN_NAME, 'IsIdentity') = 1 THEN ' identity' ELSE '' END)"
				" AS sysname) AS TYPE_NAME,"
				" CAST(" ODBC_PRECISION " AS int) AS PRECISION,"
				" CAST(" ODBC_LENGTH " AS int) AS LENGTH,"
				" CAST(" ODBC_SCALE " AS smallint) AS SCALE,"
				" CAST(" ODBC_RADIX " AS smallint) AS RADIX,"
				" CAST(CASE WHEN c.IS_NULLABLE = 'YES' THEN 1 ELSE 0 END AS smallint) AS NULLABLE,"
				" CAST(NULL AS varchar(254)) AS REMARKS,"
				" CAST(c.COLUMN_DEFAULT AS nvarchar(4000)) AS COLUMN_DEF,"
				" CAST(CASE WHEN c.DATA_TYPE IN ('datetime', 'smalldatetime') THEN 9 ELSE " ODBC_TYPE
				" END AS smallint) AS SQL_DATA_TYPE,"
				" CAST(CASE WHEN c.DATA_TYPE IN ('datetime', 'smalldatetime') THEN 3 END AS smallint)"
				" AS SQL_DATETIME_SUB,"
				" CAST(CASE WHEN c.CHARACTER_OCTET_LENGTH = -1 THEN 2147483647 ELSE c.CHARACTER_OCTET_LENGTH END"
				" AS int) AS CHAR_OCTET_LENGTH,"
				" CAST(c.ORDINAL_POSITION AS int) AS ORDINAL_POSITION,"
				" CAST(c.IS_NULLABLE AS varchar(254)) AS IS_NULLABLE,"
				" CAST(CASE c.DATA_TYPE WHEN 'tinyint' THEN 48 WHEN 'smallint' THEN 52 WHEN 'int' THEN 56"
				" WHEN 'bit' THEN 50 WHEN 'float' THEN 62 WHEN 'real' THEN 59 WHEN 'money' THEN 60"
				" WHEN 'datetime' THEN 61 WHEN 'smalldatetime' THEN 58 WHEN 'decimal' THEN 106"
				" WHEN 'numeric' THEN 108 WHEN 'char' THEN 47 WHEN 'varchar' THEN 39 WHEN 'binary' THEN 45"
				" WHEN 'varbinary' THEN 37 WHEN 'text' THEN 35 WHEN 'image' THEN 34 ELSE 0 END AS tinyint)"
				" AS SS_DATA_TYPE"
				" FROM INFORMATION_SCHEMA.COLUMNS c WHERE 1 = 1");
	append_filter(&b, "c.TABLE_NAME", table);
	append_filter(&b, "c.TABLE_SCHEMA", engine_proc_param_text(call, "@table_owner", 1));
	append_filter(&b, "c.COLUMN_NAME", engine_proc_param_text(call, "@column_name", 3));
	if (other_database(call, 2))
		ebuf_append(&b, " AND 1 = 0");
	ebuf_append(&b, " ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION");
	engine_exec_nested_text(call->session, b.data);
	ebuf_free(&b);
	return 0;
}

/* sp_pkeys @table_name [, @table_owner][, @table_qualifier] */
static int
proc_sp_pkeys(EngineProcCall *call, void *arg)
{
	EngineBuf	b;

	(void) arg;
	ebuf_init(&b);
	ebuf_append(&b,
				"SELECT CAST(k.TABLE_CATALOG AS sysname) AS TABLE_QUALIFIER,"
				" CAST(k.TABLE_SCHEMA AS sysname) AS TABLE_OWNER,"
				" CAST(k.TABLE_NAME AS sysname) AS TABLE_NAME,"
				" CAST(k.COLUMN_NAME AS sysname) AS COLUMN_NAME,"
				" CAST(k.ORDINAL_POSITION AS smallint) AS KEY_SEQ,"
				" CAST(k.CONSTRAINT_NAME AS sysname) AS PK_NAME"
				" FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE k"
				" JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
				" AND tc.TABLE_SCHEMA = k.TABLE_SCHEMA AND tc.TABLE_NAME = k.TABLE_NAME"
				" WHERE tc.CONSTRAINT_TYPE = 'PRIMARY KEY'");
	append_filter(&b, "k.TABLE_NAME", engine_proc_param_text(call, "@table_name", 0));
	append_filter(&b, "k.TABLE_SCHEMA", engine_proc_param_text(call, "@table_owner", 1));
	if (other_database(call, 2))
		ebuf_append(&b, " AND 1 = 0");
	ebuf_append(&b, " ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.ORDINAL_POSITION");
	engine_exec_nested_text(call->session, b.data);
	ebuf_free(&b);
	return 0;
}

/* sp_fkeys: foreign keys are not kept by the stand-in; the empty result set */
static int
proc_sp_fkeys(EngineProcCall *call, void *arg)
{
	(void) arg;
	engine_exec_nested_text(call->session,
			 "SELECT CAST(NULL AS sysname) AS PKTABLE_QUALIFIER, CAST(NULL AS sysname) AS PKTABLE_OWNER,"
			 " CAST(NULL AS sysname) AS PKTABLE_NAME, CAST(NULL AS sysname) AS PKCOLUMN_NAME,"
			 " CAST(NULL AS sysname) AS FKTABLE_QUALIFIER, CAST(NULL AS sysname) AS FKTABLE_OWNER,"
			 " CAST(NULL AS sysname) AS FKTABLE_NAME, CAST(NULL AS sysname) AS FKCOLUMN_NAME,"
			 " CAST(NULL AS smallint) AS KEY_SEQ, CAST(NULL AS smallint) AS UPDATE_RULE,"
			 " CAST(NULL AS smallint) AS DELETE_RULE, CAST(NULL AS sysname) AS FK_NAME,"
			 " CAST(NULL AS sysname) AS PK_NAME, CAST(NULL AS smallint) AS DEFERRABILITY"
			 " WHERE 1 = 0");
	return 0;
}

/*
 * sp_special_columns @table_name [, @table_owner][, @qualifier][, @col_type]
 * ...: 'R' (default) the best row identifier, the primary key columns;
 * 'V' the columns updated by the server (rowversion).
 */
static int
proc_sp_special_columns(EngineProcCall *call, void *arg)
{
	const char *coltype = engine_proc_param_text(call, "@col_type", 3);
	bool		version = coltype && (coltype[0] == 'V' || coltype[0] == 'v');
	EngineBuf	b;

	(void) arg;
	ebuf_init(&b);
	ebuf_printf(&b,
				"SELECT CAST(%s AS smallint) AS SCOPE,"
				" CAST(c.COLUMN_NAME AS sysname) AS COLUMN_NAME,"
				" CAST(" ODBC_TYPE " AS smallint) AS DATA_TYPE,"
				" CAST(c.DATA_TYPE AS sysname) AS TYPE_NAME,"
				" CAST(" ODBC_PRECISION " AS int) AS PRECISION,"
				" CAST(" ODBC_LENGTH " AS int) AS LENGTH,"
				" CAST(" ODBC_SCALE " AS smallint) AS SCALE,"
				" CAST(%d AS smallint) AS PSEUDO_COLUMN"
				" FROM INFORMATION_SCHEMA.COLUMNS c WHERE 1 = 1",
				version ? "NULL" : "1", 1);
	append_filter(&b, "c.TABLE_NAME", engine_proc_param_text(call, "@table_name", 0));
	append_filter(&b, "c.TABLE_SCHEMA", engine_proc_param_text(call, "@table_owner", 1));
	if (version)
		ebuf_append(&b, " AND c.DATA_TYPE IN ('timestamp', 'rowversion')");
	else
		ebuf_append(&b,
					" AND EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE k"
					" JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
					" AND tc.TABLE_SCHEMA = k.TABLE_SCHEMA AND tc.TABLE_NAME = k.TABLE_NAME"
					" WHERE tc.CONSTRAINT_TYPE = 'PRIMARY KEY' AND k.TABLE_SCHEMA = c.TABLE_SCHEMA"
					" AND k.TABLE_NAME = c.TABLE_NAME AND k.COLUMN_NAME = c.COLUMN_NAME)");
	ebuf_append(&b, " ORDER BY c.ORDINAL_POSITION");
	engine_exec_nested_text(call->session, b.data);
	ebuf_free(&b);
	return 0;
}

/* sp_statistics @table_name [, @table_owner][, @table_qualifier] ... */
static int
proc_sp_statistics(EngineProcCall *call, void *arg)
{
	EngineBuf	b;
	const char *name = engine_proc_param_text(call, "@table_name", 0);
	const char *owner = engine_proc_param_text(call, "@table_owner", 1);

	(void) arg;
	ebuf_init(&b);
	/* the table's own row (TYPE 0), then one row per index key column */
	ebuf_append(&b,
				"SELECT CAST(DB_NAME() AS sysname) AS TABLE_QUALIFIER,"
				" CAST(SCHEMA_NAME(t.schema_id) AS sysname) AS TABLE_OWNER,"
				" CAST(t.name AS sysname) AS TABLE_NAME,"
				" CAST(NULL AS smallint) AS NON_UNIQUE, CAST(NULL AS sysname) AS INDEX_QUALIFIER,"
				" CAST(NULL AS sysname) AS INDEX_NAME, CAST(0 AS smallint) AS TYPE,"
				" CAST(NULL AS smallint) AS SEQ_IN_INDEX, CAST(NULL AS sysname) AS COLUMN_NAME,"
				" CAST(NULL AS char(1)) AS COLLATION,"
				" CAST((SELECT SUM(p.rows) FROM sys.partitions p WHERE p.object_id = t.object_id"
				" AND p.index_id IN (0, 1)) AS int) AS CARDINALITY,"
				" CAST(NULL AS int) AS PAGES, CAST(NULL AS varchar(128)) AS FILTER_CONDITION"
				" FROM sys.tables t WHERE 1 = 1");
	append_filter(&b, "t.name", name);
	append_filter(&b, "SCHEMA_NAME(t.schema_id)", owner);
	ebuf_append(&b,
				" UNION ALL"
				" SELECT DB_NAME(), SCHEMA_NAME(t.schema_id), t.name,"
				" CASE WHEN i.is_unique = 1 THEN 0 ELSE 1 END, t.name, i.name,"
				" CASE WHEN i.type = 1 THEN 1 ELSE 3 END, ic.key_ordinal, c.name, 'A',"
				" NULL, NULL, NULL"
				" FROM sys.tables t JOIN sys.indexes i ON i.object_id = t.object_id"
				" JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id"
				" JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id"
				" WHERE i.index_id > 0");
	append_filter(&b, "t.name", name);
	append_filter(&b, "SCHEMA_NAME(t.schema_id)", owner);
	ebuf_append(&b, " ORDER BY 4, 7, 6, 8");
	engine_exec_nested_text(call->session, b.data);
	ebuf_free(&b);
	return 0;
}

/* The procedures the stand-in answers, for sp_stored_procedures. */
static const char *const listed_procs[] = {
	"sp_columns", "sp_datatype_info", "sp_datatype_info_100", "sp_executesql", "sp_execute",
	"sp_fkeys", "sp_helpindex", "sp_pkeys", "sp_prepare", "sp_prepexec", "sp_special_columns",
	"sp_statistics", "sp_stored_procedures", "sp_tables", "sp_unprepare", "sp_who", NULL
};

/* sp_stored_procedures [@sp_name][, @sp_owner][, @sp_qualifier] */
static int
proc_sp_stored_procedures(EngineProcCall *call, void *arg)
{
	EngineBuf	b;
	int			k;

	(void) arg;
	ebuf_init(&b);
	ebuf_append(&b,
				"SELECT CAST(DB_NAME() AS sysname) AS PROCEDURE_QUALIFIER,"
				" CAST('sys' AS sysname) AS PROCEDURE_OWNER,"
				" CAST(n + ';1' AS nvarchar(134)) AS PROCEDURE_NAME,"
				" CAST(-1 AS int) AS NUM_INPUT_PARAMS, CAST(-1 AS int) AS NUM_OUTPUT_PARAMS,"
				" CAST(-1 AS int) AS NUM_RESULT_SETS, CAST(NULL AS varchar(254)) AS REMARKS,"
				" CAST(2 AS smallint) AS PROCEDURE_TYPE FROM (");
	for (k = 0; listed_procs[k]; k++)
		ebuf_printf(&b, "%sSELECT N'%s' AS n", k ? " UNION ALL " : "", listed_procs[k]);
	ebuf_append(&b, ") AS p WHERE 1 = 1");
	append_filter(&b, "n", engine_proc_param_text(call, "@sp_name", 0));
	{
		const char *owner = engine_proc_param_text(call, "@sp_owner", 1);

		if (owner && owner[0] && strcmp(owner, "%") != 0 && engine_strcasecmp(owner, "sys") != 0)
			ebuf_append(&b, " AND 1 = 0");
	}
	ebuf_append(&b, " ORDER BY PROCEDURE_NAME");
	engine_exec_nested_text(call->session, b.data);
	ebuf_free(&b);
	return 0;
}

/*
 * sp_datatype_info [@data_type][, @ODBCVer] (and sp_datatype_info_100):
 * one row per type, ordered by DATA_TYPE.
 */
typedef struct TypeInfo
{
	const char *name;
	int			data_type;
	long		precision;		/* -1: NULL */
	const char *prefix;
	const char *suffix;
	const char *create_params;
	int			case_sensitive;
	int			searchable;
	int			unsigned_attr;	/* -1: NULL */
	int			money;
	int			auto_increment; /* -1: NULL */
	int			min_scale;		/* -1: NULL */
	int			max_scale;		/* -1: NULL */
	int			sql_data_type;
	int			datetime_sub;	/* -1: NULL */
	int			radix;			/* -1: NULL */
	int			usertype;
} TypeInfo;

static const TypeInfo type_info[] = {
	{"sql_variant", -150, 8000, NULL, NULL, NULL, 0, 2, -1, 0, -1, 0, 0, -150, -1, 10, 0},
	{"uniqueidentifier", -11, 36, "'", "'", NULL, 0, 2, -1, 0, -1, -1, -1, -11, -1, -1, 0},
	{"ntext", -10, 1073741823, "N'", "'", NULL, 0, 1, -1, 0, -1, -1, -1, -10, -1, -1, 0},
	{"xml", -10, 1073741823, "N'", "'", NULL, 0, 1, -1, 0, -1, -1, -1, -10, -1, -1, 0},
	{"nvarchar", -9, 4000, "N'", "'", "max length", 0, 3, -1, 0, -1, -1, -1, -9, -1, -1, 0},
	{"sysname", -9, 128, "N'", "'", NULL, 0, 3, -1, 0, -1, -1, -1, -9, -1, -1, 18},
	{"date", -9, 10, "'", "'", NULL, 0, 3, -1, 0, -1, -1, -1, -9, -1, -1, 0},
	{"time", -9, 16, "'", "'", "scale", 0, 3, -1, 0, -1, -1, -1, -9, -1, -1, 0},
	{"datetime2", -9, 27, "'", "'", "scale", 0, 3, -1, 0, -1, -1, -1, -9, -1, -1, 0},
	{"datetimeoffset", -9, 34, "'", "'", "scale", 0, 3, -1, 0, -1, -1, -1, -9, -1, -1, 0},
	{"nchar", -8, 4000, "N'", "'", "length", 0, 3, -1, 0, -1, -1, -1, -8, -1, -1, 0},
	{"bit", -7, 1, NULL, NULL, NULL, 0, 2, -1, 0, -1, 0, 0, -7, -1, -1, 16},
	{"tinyint", -6, 3, NULL, NULL, NULL, 0, 2, 1, 0, 0, 0, 0, -6, -1, 10, 5},
	{"tinyint identity", -6, 3, NULL, NULL, NULL, 0, 2, 1, 0, 1, 0, 0, -6, -1, 10, 5},
	{"bigint", -5, 19, NULL, NULL, NULL, 0, 2, 0, 0, 0, 0, 0, -5, -1, 10, 0},
	{"bigint identity", -5, 19, NULL, NULL, NULL, 0, 2, 0, 0, 1, 0, 0, -5, -1, 10, 0},
	{"image", -4, 2147483647, "0x", NULL, NULL, 0, 0, -1, 0, -1, -1, -1, -4, -1, -1, 20},
	{"varbinary", -3, 8000, "0x", NULL, "max length", 0, 2, -1, 0, -1, -1, -1, -3, -1, -1, 4},
	{"binary", -2, 8000, "0x", NULL, "length", 0, 2, -1, 0, -1, -1, -1, -2, -1, -1, 3},
	{"timestamp", -2, 8, "0x", NULL, NULL, 0, 2, -1, 0, -1, -1, -1, -2, -1, -1, 80},
	{"text", -1, 2147483647, "'", "'", NULL, 0, 1, -1, 0, -1, -1, -1, -1, -1, -1, 19},
	{"char", 1, 8000, "'", "'", "length", 0, 3, -1, 0, -1, -1, -1, 1, -1, -1, 1},
	{"numeric", 2, 38, NULL, NULL, "precision,scale", 0, 2, 0, 0, 0, 0, 38, 2, -1, 10, 10},
	{"numeric() identity", 2, 38, NULL, NULL, "precision", 0, 2, 0, 0, 1, 0, 0, 2, -1, 10, 10},
	{"decimal", 3, 38, NULL, NULL, "precision,scale", 0, 2, 0, 0, 0, 0, 38, 3, -1, 10, 24},
	{"money", 3, 19, "$", NULL, NULL, 0, 2, 0, 1, 0, 4, 4, 3, -1, 10, 11},
	{"smallmoney", 3, 10, "$", NULL, NULL, 0, 2, 0, 1, 0, 4, 4, 3, -1, 10, 21},
	{"decimal() identity", 3, 38, NULL, NULL, "precision", 0, 2, 0, 0, 1, 0, 0, 3, -1, 10, 24},
	{"int", 4, 10, NULL, NULL, NULL, 0, 2, 0, 0, 0, 0, 0, 4, -1, 10, 7},
	{"int identity", 4, 10, NULL, NULL, NULL, 0, 2, 0, 0, 1, 0, 0, 4, -1, 10, 7},
	{"smallint", 5, 5, NULL, NULL, NULL, 0, 2, 0, 0, 0, 0, 0, 5, -1, 10, 6},
	{"smallint identity", 5, 5, NULL, NULL, NULL, 0, 2, 0, 0, 1, 0, 0, 5, -1, 10, 6},
	{"float", 6, 53, NULL, NULL, NULL, 0, 2, 0, 0, 0, -1, -1, 6, -1, 2, 8},
	{"real", 7, 24, NULL, NULL, NULL, 0, 2, 0, 0, 0, -1, -1, 7, -1, 2, 23},
	{"datetime", 11, 23, "'", "'", NULL, 0, 3, -1, 0, -1, 3, 3, 9, 3, -1, 12},
	{"smalldatetime", 11, 16, "'", "'", NULL, 0, 3, -1, 0, -1, 0, 0, 9, 3, -1, 22},
	{"varchar", 12, 8000, "'", "'", "max length", 0, 3, -1, 0, -1, -1, -1, 12, -1, -1, 2},
	{NULL}
};

static void
append_int_or_null(EngineBuf *b, long v)
{
	if (v == -1)
		ebuf_append(b, "NULL");
	else
		ebuf_printf(b, "%ld", v);
}

static void
append_text_or_null(EngineBuf *b, const char *v)
{
	if (v == NULL)
		ebuf_append(b, "NULL");
	else
		ebuf_append_literal(b, v);	/* T-SQL and SQLite quote alike */
}

static int
proc_sp_datatype_info(EngineProcCall *call, void *arg)
{
	const char *dt = engine_proc_param_text(call, "@data_type", 0);
	int			want = dt ? atoi(dt) : 0;
	EngineBuf	b;
	const TypeInfo *t;
	bool		first = true;

	(void) arg;
	ebuf_init(&b);
	ebuf_append(&b,
				"SELECT CAST(c1 AS sysname) AS TYPE_NAME, CAST(c2 AS smallint) AS DATA_TYPE,"
				" CAST(c3 AS int) AS PRECISION, CAST(c4 AS varchar(32)) AS LITERAL_PREFIX,"
				" CAST(c5 AS varchar(32)) AS LITERAL_SUFFIX, CAST(c6 AS varchar(32)) AS CREATE_PARAMS,"
				" CAST(1 AS smallint) AS NULLABLE, CAST(c7 AS smallint) AS CASE_SENSITIVE,"
				" CAST(c8 AS smallint) AS SEARCHABLE, CAST(c9 AS smallint) AS UNSIGNED_ATTRIBUTE,"
				" CAST(c10 AS smallint) AS MONEY, CAST(c11 AS smallint) AS AUTO_INCREMENT,"
				" CAST(c1 AS sysname) AS LOCAL_TYPE_NAME, CAST(c12 AS smallint) AS MINIMUM_SCALE,"
				" CAST(c13 AS smallint) AS MAXIMUM_SCALE, CAST(c14 AS smallint) AS SQL_DATA_TYPE,"
				" CAST(c15 AS smallint) AS SQL_DATETIME_SUB, CAST(c16 AS int) AS NUM_PREC_RADIX,"
				" CAST(NULL AS smallint) AS INTERVAL_PRECISION, CAST(c17 AS smallint) AS USERTYPE"
				" FROM (");
	for (t = type_info; t->name; t++)
	{
		char		num[32];

		if (want != 0 && t->data_type != want)
			continue;
		ebuf_append(&b, first ? "SELECT " : " UNION ALL SELECT ");
		first = false;
		ebuf_append_literal(&b, t->name);
		ebuf_printf(&b, " AS c1, %d AS c2, %ld AS c3, ", t->data_type, t->precision);
		append_text_or_null(&b, t->prefix);
		ebuf_append(&b, " AS c4, ");
		append_text_or_null(&b, t->suffix);
		ebuf_append(&b, " AS c5, ");
		append_text_or_null(&b, t->create_params);
		ebuf_printf(&b, " AS c6, %d AS c7, %d AS c8, ", t->case_sensitive, t->searchable);
		append_int_or_null(&b, t->unsigned_attr);
		ebuf_printf(&b, " AS c9, %d AS c10, ", t->money);
		append_int_or_null(&b, t->auto_increment);
		ebuf_append(&b, " AS c11, ");
		append_int_or_null(&b, t->min_scale);
		ebuf_append(&b, " AS c12, ");
		append_int_or_null(&b, t->max_scale);
		ebuf_printf(&b, " AS c13, %d AS c14, ", t->sql_data_type);
		append_int_or_null(&b, t->datetime_sub);
		ebuf_append(&b, " AS c15, ");
		append_int_or_null(&b, t->radix);
		snprintf(num, sizeof(num), " AS c16, %d AS c17", t->usertype);
		ebuf_append(&b, num);
	}
	if (first)
		ebuf_append(&b, "SELECT NULL AS c1, NULL AS c2, NULL AS c3, NULL AS c4, NULL AS c5,"
					" NULL AS c6, NULL AS c7, NULL AS c8, NULL AS c9, NULL AS c10, NULL AS c11,"
					" NULL AS c12, NULL AS c13, NULL AS c14, NULL AS c15, NULL AS c16, NULL AS c17"
					" WHERE 1 = 0");
	ebuf_append(&b, ") AS v");
	engine_exec_nested_text(call->session, b.data);
	ebuf_free(&b);
	return 0;
}

/* sp_helpindex @objname: index_name, index_description, index_keys */
static int
proc_sp_helpindex(EngineProcCall *call, void *arg)
{
	const char *obj = engine_proc_param_text(call, "@objname", 0);
	EngineBuf	b;

	(void) arg;
	if (obj == NULL)
	{
		engine_error(call->session, 201,
					 "Procedure or function 'sp_helpindex' expects parameter '@objname', which was not supplied.");
		return 1;
	}
	ebuf_init(&b);
	ebuf_append(&b, "IF OBJECT_ID(");
	append_nlit(&b, obj);
	ebuf_append(&b, ") IS NULL RAISERROR(15009, 16, 1, ");
	append_nlit(&b, obj);
	ebuf_append(&b, ", 'master') ELSE "
				"SELECT CAST(i.name AS sysname) AS index_name,"
				" CAST(CONCAT(CASE WHEN i.type = 1 THEN 'clustered' ELSE 'nonclustered' END,"
				" CASE WHEN i.is_unique = 1 THEN ', unique' ELSE '' END,"
				" CASE WHEN i.is_primary_key = 1 THEN ', primary key'"
				" WHEN i.is_unique_constraint = 1 THEN ', unique key' ELSE '' END,"
				" ' located on PRIMARY') AS varchar(210)) AS index_description,"
				" CAST((SELECT STRING_AGG(CONCAT(c.name, CASE WHEN ic.is_descending_key = 1 THEN '(-)' ELSE '' END), ', ')"
				" FROM sys.index_columns ic JOIN sys.columns c ON c.object_id = ic.object_id"
				" AND c.column_id = ic.column_id WHERE ic.object_id = i.object_id"
				" AND ic.index_id = i.index_id) AS nvarchar(2126)) AS index_keys"
				" FROM sys.indexes i WHERE i.index_id > 0 AND i.object_id = OBJECT_ID(");
	append_nlit(&b, obj);
	ebuf_append(&b, ") ORDER BY i.name");
	engine_exec_nested_text(call->session, b.data);
	ebuf_free(&b);
	return 0;
}

/* sp_who: this session's row */
static int
proc_sp_who(EngineProcCall *call, void *arg)
{
	(void) arg;
	engine_exec_nested_text(call->session,
			 "SELECT CAST(@@SPID AS smallint) AS spid, CAST(0 AS smallint) AS ecid,"
			 " CAST('runnable' AS nchar(30)) AS status, CAST(SUSER_SNAME() AS nvarchar(128)) AS loginame,"
			 " CAST(HOST_NAME() AS nchar(128)) AS hostname, CAST('0' AS char(5)) AS blk,"
			 " CAST(DB_NAME() AS nvarchar(128)) AS dbname, CAST('SELECT' AS nchar(16)) AS cmd,"
			 " CAST(0 AS int) AS request_id");
	return 0;
}

/* ------------------------------------------------------------------------
 * A procedure called without EXEC as the first statement of a batch
 * ------------------------------------------------------------------------
 */

/* Is everything before byte `upto` of src blank or a comment? */
static bool
only_blank_before(const char *src, int upto)
{
	int			i = 0;

	while (i < upto)
	{
		if (src[i] == ' ' || src[i] == '\t' || src[i] == '\r' || src[i] == '\n' || src[i] == ';')
			i++;
		else if (src[i] == '-' && src[i + 1] == '-')
		{
			while (i < upto && src[i] != '\n')
				i++;
		}
		else if (src[i] == '/' && src[i + 1] == '*')
		{
			i += 2;
			while (i < upto && !(src[i] == '*' && src[i + 1] == '/'))
				i++;
			i += 2;
		}
		else
			return false;
	}
	return true;
}

static EngineHookResult
bare_call_hook(SimSession *s, const EngineStmt *st, int *skip, void *arg)
{
	char		name[ENGINE_NAME_LEN * 4] = "";
	void	   *parg;
	const char *regname;
	EngineStmt	sub;
	EngineToken *copy;
	int			e = engine_name_end(st, 0),
				k;

	(void) skip;
	(void) arg;
	if (st->ntok == 0 || e == 0 || (st->tok[0].type != TK_WORD && st->tok[0].type != TK_QIDENT))
		return ENGINE_HOOK_PASS;
	if (s->proc_depth > 0 || !only_blank_before(st->src, st->tok[0].start))
		return ENGINE_HOOK_PASS;
	/* a name, then nothing or arguments (not an operator: "x = 1" is no call) */
	if (e < st->ntok && st->tok[e].type == TK_OP && strcmp(st->tok[e].text, ";") != 0 &&
		strcmp(st->tok[e].text, "-") != 0)
		return ENGINE_HOOK_PASS;
	for (k = 0; k < e; k++)
		strncat(name, st->tok[k].text, sizeof(name) - strlen(name) - 1);
	if (engine_proc_lookup(name, &parg, &regname) == NULL)
		return ENGINE_HOOK_PASS;
	/* run it as "EXEC <statement>" */
	copy = emalloc(sizeof(EngineToken) * (size_t) (st->ntok + 1 + ENGINE_LEX_PAD));
	copy[0] = st->tok[0];
	copy[0].type = TK_WORD;
	copy[0].text = "EXEC";
	copy[0].end = copy[0].start;
	memcpy(copy + 1, st->tok, sizeof(EngineToken) * (size_t) st->ntok);
	for (k = 0; k < ENGINE_LEX_PAD; k++)
	{
		copy[st->ntok + 1 + k].type = TK_EOF;
		copy[st->ntok + 1 + k].text = "";
		copy[st->ntok + 1 + k].start = copy[st->ntok + 1 + k].end = st->ntok ? st->tok[st->ntok - 1].end : 0;
	}
	sub.src = st->src;
	sub.tok = copy;
	sub.ntok = st->ntok + 1;
	engine_exec_exec(s, &sub, 0, sub.ntok);
	free(copy);
	return ENGINE_HOOK_DONE_SENT;
}

/* Register function: see engine_extensions.c. */
void
engine_odbcprocs_register(void)
{
	engine_register_proc("sys.sp_tables", proc_sp_tables, NULL);
	engine_register_proc("sys.sp_columns", proc_sp_columns, NULL);
	engine_register_proc("sys.sp_columns_100", proc_sp_columns, NULL);
	engine_register_proc("sys.sp_pkeys", proc_sp_pkeys, NULL);
	engine_register_proc("sys.sp_fkeys", proc_sp_fkeys, NULL);
	engine_register_proc("sys.sp_special_columns", proc_sp_special_columns, NULL);
	engine_register_proc("sys.sp_special_columns_100", proc_sp_special_columns, NULL);
	engine_register_proc("sys.sp_statistics", proc_sp_statistics, NULL);
	engine_register_proc("sys.sp_statistics_100", proc_sp_statistics, NULL);
	engine_register_proc("sys.sp_stored_procedures", proc_sp_stored_procedures, NULL);
	engine_register_proc("sys.sp_datatype_info", proc_sp_datatype_info, NULL);
	engine_register_proc("sys.sp_datatype_info_100", proc_sp_datatype_info, NULL);
	engine_register_proc("sys.sp_helpindex", proc_sp_helpindex, NULL);
	engine_register_proc("sys.sp_who", proc_sp_who, NULL);
	engine_register_stmt_hook(bare_call_hook, NULL);
}
