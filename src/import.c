/*-------------------------------------------------------------------------
 *
 * import.c
 *		IMPORT FOREIGN SCHEMA: foreign tables from SQL Server's catalog.
 *
 * The catalog query is written by remote_sql.c, the type mapping is in
 * types.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/defrem.h"
#include "foreign/foreign.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"

#include "mssql_cdc.h"

/* A text value of the current row (palloc'd), or NULL */
static char *
row_text(TdsConn *tds, int col)
{
	TdsColumnInfo ci;
	TdsValue	v;

	if (!tds_column_info(tds, col, &ci) || !tds_get_value(tds, col, ci.type, &v))
		mssql_report_error(ERROR, NULL);
	if (v.isnull)
		return NULL;
	if (ci.type == TDS_T_CHAR)
		return pg_any_to_server(pnstrdup(v.v.bytes.data, v.v.bytes.len),
								(int) v.v.bytes.len, PG_UTF8);
	if (ci.type >= TDS_T_BIT && ci.type <= TDS_T_BIGINT)
		return psprintf(INT64_FORMAT, (int64) v.v.i);
	elog(ERROR, "unexpected type of catalog column %d", col);
	return NULL;
}

/* An integer value of the current row, -1 for NULL */
static int
row_int(TdsConn *tds, int col)
{
	char	   *s = row_text(tds, col);

	return s ? atoi(s) : -1;
}

/*
 * IMPORT FOREIGN SCHEMA: read tables and views of the remote schema from
 * INFORMATION_SCHEMA and return one CREATE FOREIGN TABLE command (palloc'd
 * string) per table.  A missing remote schema is an error.
 */
List *
mssqlImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	ForeignServer *server = GetForeignServer(serverOid);
	UserMapping *user = mssql_get_user_mapping(GetUserId(), serverOid);
	MssqlConn  *volatile conn = NULL;
	List	   *commands = NIL;
	bool		import_not_null = true;
	ListCell   *lc;

	foreach(lc, stmt->options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, "import_not_null") == 0)
			import_not_null = mssql_option_bool(def);
		else
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("invalid option \"%s\" for IMPORT FOREIGN SCHEMA",
							def->defname),
					 errhint("Valid options in this context are: import_not_null.")));
	}

	conn = mssql_get_connection(user, 0);
	PG_TRY();
	{
		TdsConn    *tds;
		StringInfoData sql;
		StringInfoData cmd;
		char	   *cur_table = NULL;
		bool		found = false;
		TdsRowStatus rs;

		/* does the schema exist? */
		initStringInfo(&sql);
		appendStringInfoString(&sql, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = ");
		mssql_append_nstring(&sql, stmt->remote_schema);
		mssql_execute(conn, sql.data);
		tds = mssql_tds(conn);
		if (tds_next_result(tds) != TDS_RESULT_ROWS ||
			tds_next_row(tds) != TDS_ROW_OK)
			mssql_report_error(ERROR, sql.data);
		found = row_int(tds, 1) > 0;
		while (tds_next_row(tds) == TDS_ROW_OK)
			;
		while (tds_next_result(tds) == TDS_RESULT_NOROWS)
			;
		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_SCHEMA_NOT_FOUND),
					 errmsg("schema \"%s\" does not exist on server \"%s\"",
							stmt->remote_schema, server->servername)));

		resetStringInfo(&sql);
		mssql_deparse_import(&sql, stmt->remote_schema, stmt);
		mssql_execute(conn, sql.data);
		if (tds_next_result(tds) != TDS_RESULT_ROWS)
			mssql_report_error(ERROR, sql.data);

		initStringInfo(&cmd);
		for (;;)
		{
			char	   *table;
			char	   *column;
			char	   *type;
			char	   *pgtype;
			char	   *nullable;

			CHECK_FOR_INTERRUPTS();
			rs = tds_next_row(tds);
			if (rs == TDS_ROW_ERROR)
				mssql_report_error(ERROR, sql.data);
			table = (rs == TDS_ROW_OK) ? row_text(tds, 1) : NULL;

			/* finish the previous table */
			if (cur_table && (table == NULL || strcmp(table, cur_table) != 0))
			{
				appendStringInfo(&cmd, "\n) SERVER %s OPTIONS (schema_name %s, table_name %s)",
								 quote_identifier(server->servername),
								 quote_literal_cstr(stmt->remote_schema),
								 quote_literal_cstr(cur_table));
				commands = lappend(commands, pstrdup(cmd.data));
				cur_table = NULL;
			}
			if (rs != TDS_ROW_OK)
				break;

			if (cur_table == NULL)
			{
				cur_table = table;
				resetStringInfo(&cmd);
				appendStringInfo(&cmd, "CREATE FOREIGN TABLE %s (",
								 quote_identifier(table));
			}
			else
				appendStringInfoChar(&cmd, ',');

			column = row_text(tds, 2);
			type = row_text(tds, 3);
			nullable = row_text(tds, 8);
			pgtype = mssql_map_type_for_import(type, row_int(tds, 4),
											   row_int(tds, 5), row_int(tds, 6),
											   row_int(tds, 7));
			if (pgtype == NULL)
			{
				ereport(NOTICE,
						(errmsg("column \"%s\" of remote table \"%s\" has type \"%s\", imported as text",
								column, table, type)));
				pgtype = "text";
			}
			appendStringInfo(&cmd, "\n  %s %s", quote_identifier(column), pgtype);
			if (import_not_null && nullable && strcmp(nullable, "NO") == 0)
				appendStringInfoString(&cmd, " NOT NULL");
		}
		while (tds_next_result(tds) == TDS_RESULT_NOROWS)
			;
	}
	PG_FINALLY();
	{
		mssql_release_connection(conn);
	}
	PG_END_TRY();

	return commands;
}
