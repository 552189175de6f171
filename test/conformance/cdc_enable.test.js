'use strict';
/*
 * CDC: enabling a database and a table, the metadata tables, the change
 * table's shape, and the errors of the enabling procedures.
 *
 * Follows:
 *   https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sys-sp-cdc-enable-db-transact-sql
 *   https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sys-sp-cdc-enable-table-transact-sql
 *   https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sys-sp-cdc-disable-table-transact-sql
 *   https://learn.microsoft.com/sql/relational-databases/system-tables/cdc-change-tables-transact-sql
 *   https://learn.microsoft.com/sql/relational-databases/system-tables/cdc-captured-columns-transact-sql
 *   https://learn.microsoft.com/sql/relational-databases/system-tables/cdc-index-columns-transact-sql
 *   https://learn.microsoft.com/sql/relational-databases/system-tables/cdc-capture-instance-ct-transact-sql
 */

const { test } = require('node:test');
const sql = require('./lib/sql');
const { columns, rowsEqual, errorNumber, assert } = require('./lib/check');

test('sp_cdc_enable_db / sp_cdc_disable_db and sys.databases.is_cdc_enabled', async () => {
	const db = await sql.createDatabase('cdcdb');
	try
	{
		const c = db.conn;
		const flag = () => sql.scalar(c, 'SELECT is_cdc_enabled FROM sys.databases WHERE name = DB_NAME()');
		assert.equal(await flag(), false);
		/* Table-level enable before the database: 22901. */
		await sql.exec(c, 'CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, v int NULL)');
		errorNumber(await sql.error(c,
			"EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N't', @role_name = NULL"), 22901);

		const r = await sql.exec(c, 'DECLARE @rc int; EXEC @rc = sys.sp_cdc_enable_db; SELECT @rc;');
		rowsEqual(r[r.length - 1], [[0]]);
		assert.equal(await flag(), true);
		/* The cdc schema exists with the metadata tables. */
		rowsEqual(await sql.rows(c, `SELECT t.name FROM sys.tables AS t JOIN sys.schemas AS s ON s.schema_id = t.schema_id
				WHERE s.name = N'cdc' AND t.name IN (N'change_tables', N'captured_columns', N'index_columns', N'ddl_history', N'lsn_time_mapping')
				ORDER BY t.name`),
			[['captured_columns'], ['change_tables'], ['ddl_history'], ['index_columns'], ['lsn_time_mapping']]);

		await sql.exec(c, 'EXEC sys.sp_cdc_disable_db');
		assert.equal(await flag(), false);
		assert.equal(await sql.scalar(c, "SELECT COUNT(*) FROM sys.schemas WHERE name = N'cdc'"), 0);
	}
	finally
	{
		await db.drop();
	}
});

test('sp_cdc_enable_table: metadata rows and the change table', async () => {
	const db = await sql.createDatabase('cdctab');
	try
	{
		const c = db.conn;
		await sql.exec(c, 'EXEC sys.sp_cdc_enable_db');
		await sql.exec(c, `CREATE TABLE dbo.Orders (OrderID int NOT NULL, Customer nvarchar(50) NULL,
				Amount decimal(10,2) NULL, Note varchar(20) NULL,
				CONSTRAINT PK_Orders PRIMARY KEY (OrderID))`);
		await sql.exec(c, `EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Orders',
				@role_name = NULL, @supports_net_changes = 1`);

		rowsEqual(await sql.rows(c, "SELECT is_tracked_by_cdc FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.Orders')"), [[true]]);

		const ct = await sql.exec(c, `SELECT capture_instance, source_object_id, object_id, version, end_lsn,
					supports_net_changes, has_drop_pending, role_name, index_name
				FROM cdc.change_tables`);
		columns(ct[0], [
			'capture_instance nvarchar(128)', 'source_object_id int', 'object_id int', 'version int',
			'end_lsn binary(10)', 'supports_net_changes bit', 'has_drop_pending bit',
			'role_name nvarchar(128)', 'index_name nvarchar(128)',
		]);
		const srcId = await sql.scalar(c, "SELECT OBJECT_ID(N'dbo.Orders')");
		const ctId = await sql.scalar(c, "SELECT OBJECT_ID(N'cdc.dbo_Orders_CT')");
		assert.ok(ctId !== null, 'cdc.dbo_Orders_CT exists');
		/* has_drop_pending is NULL in practice: not pinned (not documented as 0). */
		rowsEqual(ct[0].rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[7], r[8]]),
			[['dbo_Orders', srcId, ctId, 0, null, true, null, 'PK_Orders']]);

		const cc = await sql.exec(c, `SELECT column_name, column_id, column_type, column_ordinal, is_computed
				FROM cdc.captured_columns ORDER BY column_ordinal`);
		columns(cc[0], ['column_name nvarchar(128)', 'column_id int', 'column_type nvarchar(128)', 'column_ordinal int', 'is_computed bit']);
		rowsEqual(cc[0], [
			['OrderID', 1, 'int', 1, false],
			['Customer', 2, 'nvarchar', 2, false],
			['Amount', 3, 'decimal', 3, false],
			['Note', 4, 'varchar', 4, false],
		]);
		/* captured_columns.object_id: the change table (as cdc.index_columns and common practice). */
		rowsEqual(await sql.rows(c, 'SELECT DISTINCT object_id FROM cdc.captured_columns'), [[ctId]]);

		rowsEqual(await sql.rows(c, 'SELECT object_id, column_name, index_ordinal, column_id FROM cdc.index_columns'),
			[[ctId, 'OrderID', 1, 1]]);

		/* The change table: metadata columns, captured columns, __$command_id. */
		const shape = await sql.exec(c, 'SELECT * FROM cdc.dbo_Orders_CT');
		columns(shape[0], [
			'__$start_lsn binary(10)', '__$end_lsn binary(10)', '__$seqval binary(10)',
			'__$operation int', '__$update_mask varbinary(128)',
			'OrderID int', 'Customer nvarchar(50)', 'Amount decimal(10,2)', 'Note varchar(20)',
			'__$command_id int',
		]);
		rowsEqual(shape[0], []);

		/* Same capture instance name again: 22926. */
		errorNumber(await sql.error(c, `EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Orders',
				@role_name = NULL, @capture_instance = N'dbo_Orders'`), 22926);
		/* A second instance is allowed, a third is not: 22962. */
		await sql.exec(c, `EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Orders',
				@role_name = NULL, @capture_instance = N'orders_v2', @captured_column_list = N'OrderID, [Amount]'`);
		errorNumber(await sql.error(c, `EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Orders',
				@role_name = NULL, @capture_instance = N'orders_v3'`), 22962);
		rowsEqual(await sql.rows(c, `SELECT cc.column_name, cc.column_ordinal FROM cdc.captured_columns AS cc
				JOIN cdc.change_tables AS t ON t.object_id = cc.object_id
				WHERE t.capture_instance = N'orders_v2' ORDER BY cc.column_ordinal`),
			[['OrderID', 1], ['Amount', 2]]);
		columns((await sql.exec(c, 'SELECT * FROM cdc.orders_v2_CT'))[0], [
			'__$start_lsn binary(10)', '__$end_lsn binary(10)', '__$seqval binary(10)',
			'__$operation int', '__$update_mask varbinary(128)',
			'OrderID int', 'Amount decimal(10,2)', '__$command_id int',
		]);

		/* Disable one instance: its objects go, the other stays. */
		await sql.exec(c, "EXEC sys.sp_cdc_disable_table @source_schema = N'dbo', @source_name = N'Orders', @capture_instance = N'orders_v2'");
		rowsEqual(await sql.rows(c, 'SELECT capture_instance FROM cdc.change_tables'), [['dbo_Orders']]);
		assert.equal(await sql.scalar(c, "SELECT OBJECT_ID(N'cdc.orders_v2_CT')"), null);
		/* Unknown capture instance: 22960. */
		errorNumber(await sql.error(c, "EXEC sys.sp_cdc_disable_table @source_schema = N'dbo', @source_name = N'Orders', @capture_instance = N'nope'"), 22960);
		/* @capture_instance = N'all' removes every instance of the table. */
		await sql.exec(c, "EXEC sys.sp_cdc_disable_table @source_schema = N'dbo', @source_name = N'Orders', @capture_instance = N'all'");
		rowsEqual(await sql.rows(c, 'SELECT COUNT(*) FROM cdc.change_tables'), [[0]]);
		rowsEqual(await sql.rows(c, "SELECT is_tracked_by_cdc FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.Orders')"), [[false]]);
	}
	finally
	{
		await db.drop();
	}
});

test('sp_cdc_enable_table errors', async () => {
	const db = await sql.createDatabase('cdcerr');
	try
	{
		const c = db.conn;
		await sql.exec(c, 'EXEC sys.sp_cdc_enable_db');
		await sql.exec(c, `CREATE TABLE dbo.heap (a int NOT NULL, b int NULL);
				CREATE TABLE dbo.k (id int NOT NULL PRIMARY KEY, v int NULL);`);
		/* @role_name must be supplied (it may be NULL): 201. */
		errorNumber(await sql.error(c, "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'k'"), 201);
		/* A table that does not exist: 22931. */
		errorNumber(await sql.error(c, "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'nope', @role_name = NULL"), 22931);
		/* Net changes without a key: 22939. */
		errorNumber(await sql.error(c, `EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'heap',
				@role_name = NULL, @supports_net_changes = 1`), 22939);
		/* A captured column list without the key: 22943. */
		errorNumber(await sql.error(c, `EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'k',
				@role_name = NULL, @captured_column_list = N'v'`), 22943);
		/* A column list naming an unknown column: 22942. */
		errorNumber(await sql.error(c, `EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'k',
				@role_name = NULL, @captured_column_list = N'id, nope'`), 22942);
		/* A heap is fine without net changes; supports_net_changes defaults to 0 for it. */
		await sql.exec(c, "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'heap', @role_name = NULL");
		rowsEqual(await sql.rows(c, 'SELECT capture_instance, supports_net_changes, index_name FROM cdc.change_tables'),
			[['dbo_heap', false, null]]);
		/* The net changes function exists only with supports_net_changes = 1: 208. */
		errorNumber(await sql.error(c, `SELECT * FROM cdc.fn_cdc_get_net_changes_dbo_heap(sys.fn_cdc_get_min_lsn(N'dbo_heap'), sys.fn_cdc_get_max_lsn(), N'all')`), 208);
		/* The key table: supports_net_changes defaults to 1. */
		await sql.exec(c, "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'k', @role_name = NULL");
		rowsEqual(await sql.rows(c, "SELECT supports_net_changes FROM cdc.change_tables WHERE capture_instance = N'dbo_k'"), [[true]]);
		/* A table enabled for CDC cannot be truncated: 4711. */
		errorNumber(await sql.error(c, 'TRUNCATE TABLE dbo.k'), 4711);
		/* Disable a table that is not enabled: 22985... but only once no instance remains. */
		await sql.exec(c, "EXEC sys.sp_cdc_disable_table @source_schema = N'dbo', @source_name = N'k', @capture_instance = N'dbo_k'");
		errorNumber(await sql.error(c, "EXEC sys.sp_cdc_disable_table @source_schema = N'dbo', @source_name = N'k', @capture_instance = N'all'"), 22985);
	}
	finally
	{
		await db.drop();
	}
});

/*
 * https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sys-sp-cdc-get-captured-columns-transact-sql
 * https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sys-sp-cdc-help-change-data-capture-transact-sql
 */
test('sp_cdc_get_captured_columns and sp_cdc_help_change_data_capture', async () => {
	const db = await sql.createDatabase('cdchelp');
	try
	{
		const c = db.conn;
		await sql.exec(c, 'EXEC sys.sp_cdc_enable_db');
		await sql.exec(c, `CREATE TABLE dbo.Orders (OrderID int NOT NULL, Amount decimal(10,2) NULL, Note nvarchar(20) NULL,
				CONSTRAINT PK_Orders PRIMARY KEY (OrderID))`);
		await sql.exec(c, "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Orders', @role_name = NULL");

		const cols = await sql.exec(c, "EXEC sys.sp_cdc_get_captured_columns @capture_instance = N'dbo_Orders'");
		columns(cols[0], [
			'source_schema nvarchar(128)', 'source_table nvarchar(128)', 'capture_instance nvarchar(128)',
			'column_name nvarchar(128)', 'column_id int', 'column_ordinal int', 'data_type nvarchar(128)',
			'character_maximum_length int', 'numeric_precision tinyint', 'numeric_precision_radix smallint',
			'numeric_scale int', 'datetime_precision smallint',
		]);
		rowsEqual(cols[0], [
			['dbo', 'Orders', 'dbo_Orders', 'OrderID', 1, 1, 'int', null, 10, 10, 0, null],
			['dbo', 'Orders', 'dbo_Orders', 'Amount', 2, 2, 'decimal', null, 10, 10, 2, null],
			['dbo', 'Orders', 'dbo_Orders', 'Note', 3, 3, 'nvarchar', 20, null, null, null, null],
		]);

		const help = await sql.exec(c, "EXEC sys.sp_cdc_help_change_data_capture @source_schema = N'dbo', @source_name = N'Orders'");
		columns(help[0], [
			'source_schema nvarchar(128)', 'source_table nvarchar(128)', 'capture_instance nvarchar(128)',
			'object_id int', 'source_object_id int', 'start_lsn binary(10)', 'end_lsn binary(10)',
			'supports_net_changes bit', 'has_drop_pending bit', 'role_name nvarchar(128)', 'index_name nvarchar(128)',
			'filegroup_name nvarchar(128)', 'create_date datetime', 'index_column_list nvarchar(max)',
			'captured_column_list nvarchar(max)',
		]);
		assert.equal(help[0].rows.length, 1);
		const r = help[0].rows[0];
		rowsEqual([[r[0], r[1], r[2], r[3], r[4], r[6], r[7], r[9], r[10], r[13], r[14]]], [[
			'dbo', 'Orders', 'dbo_Orders',
			await sql.scalar(c, "SELECT OBJECT_ID(N'cdc.dbo_Orders_CT')"),
			await sql.scalar(c, "SELECT OBJECT_ID(N'dbo.Orders')"),
			null, true, null, 'PK_Orders', '[OrderID]', '[OrderID], [Amount], [Note]',
		]]);
		/* start_lsn: this instance's low end, as sys.fn_cdc_get_min_lsn reports it. */
		assert.equal(Buffer.compare(r[5], await sql.scalar(c, "SELECT sys.fn_cdc_get_min_lsn(N'dbo_Orders')")), 0);
		assert.ok(r[12] instanceof Date);
	}
	finally
	{
		await db.drop();
	}
});
