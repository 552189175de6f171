'use strict';
/*
 * CDC and CT: a changed row key, every common column type through the
 * change functions, and parameterized reads (sp_executesql), the way
 * drivers send them.
 *
 * Follows:
 *   https://learn.microsoft.com/sql/relational-databases/system-functions/cdc-fn-cdc-get-net-changes-capture-instance-transact-sql
 *     ("Modifications on the unique identifier of a row will cause fn_cdc_get_net_changes to show the
 *       initial UPDATE command with a DELETE and then INSERT command instead.")
 *   https://learn.microsoft.com/sql/relational-databases/system-tables/cdc-capture-instance-ct-transact-sql  (column types)
 *   https://learn.microsoft.com/sql/relational-databases/system-functions/changetable-transact-sql
 *     ("If a primary key value changes, it is considered to be a delete of the old value and an insert of the new value.")
 *   https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sp-executesql-transact-sql
 */

const { test } = require('node:test');
const sql = require('./lib/sql');
const { columns, rowsEqual, assert } = require('./lib/check');

const TYPES = sql.tedious.TYPES;

test('CDC: an update of the key is an update in all_changes, DELETE + INSERT in net_changes', async () => {
	const db = await sql.createDatabase('cdckey');
	try
	{
		const c = db.conn;
		await sql.exec(c, 'EXEC sys.sp_cdc_enable_db');
		await sql.exec(c, 'CREATE TABLE dbo.k (id int NOT NULL PRIMARY KEY, v nvarchar(10) NULL); INSERT INTO dbo.k VALUES (1, N\'a\');');
		await sql.exec(c, "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'k', @role_name = NULL");
		await sql.exec(c, 'UPDATE dbo.k SET id = 2 WHERE id = 1');
		await sql.waitForCapture(c, 'dbo_k', 2);
		const range = "sys.fn_cdc_get_min_lsn(N'dbo_k'), sys.fn_cdc_get_max_lsn()";
		rowsEqual(await sql.rows(c, `SELECT __$operation, id, v FROM cdc.fn_cdc_get_all_changes_dbo_k(${range}, N'all update old')`),
			[[3, 1, 'a'], [4, 2, 'a']]);
		rowsEqual(await sql.rows(c, `SELECT __$operation, id, v FROM cdc.fn_cdc_get_net_changes_dbo_k(${range}, N'all') ORDER BY __$operation`),
			[[1, 1, 'a'], [2, 2, 'a']]);
	}
	finally
	{
		await db.drop();
	}
});

const TYPED_TABLE = `CREATE TABLE dbo.typed (
		id int NOT NULL PRIMARY KEY,
		i64 bigint NULL, sm smallint NULL, ti tinyint NULL, b bit NULL,
		d decimal(12,3) NULL, m money NULL, f float NULL, r real NULL,
		dt datetime NULL, dt2 datetime2(3) NULL, dd date NULL, tm time(0) NULL,
		dto datetimeoffset(0) NULL,
		vc varchar(20) NULL, nvc nvarchar(20) NULL, nmax nvarchar(max) NULL,
		vb varbinary(16) NULL, g uniqueidentifier NULL)`;
const TYPED_COLUMNS = [
	'id int', 'i64 bigint', 'sm smallint', 'ti tinyint', 'b bit',
	'd decimal(12,3)', 'm money', 'f float', 'r real',
	'dt datetime', 'dt2 datetime2(3)', 'dd date', 'tm time(0)', 'dto datetimeoffset(0)',
	'vc varchar(20)', 'nvc nvarchar(20)', 'nmax nvarchar(max)', 'vb varbinary(16)', 'g uniqueidentifier',
];
const TYPED_ROW = `(1, 9007199254740993, -32768, 255, 1, 123456789.125, 12.3456, 1.5, 2.25,
		'2024-02-29 13:14:15.997', '2024-02-29 13:14:15.123', '2024-02-29', '13:14:15',
		'2024-02-29 13:14:15 +02:00', 'abc', N'äöü€', N'long text', 0x00FF10, '6F9619FF-8B86-D011-B42D-00C04FC964FF')`;

test('CDC and CT carry every common column type unchanged', async () => {
	const db = await sql.createDatabase('cdctypes');
	try
	{
		const c = db.conn;
		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = ON`);
		await sql.exec(c, 'EXEC sys.sp_cdc_enable_db');
		await sql.exec(c, TYPED_TABLE);
		await sql.exec(c, 'ALTER TABLE dbo.typed ENABLE CHANGE_TRACKING');
		await sql.exec(c, "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'typed', @role_name = NULL");
		await sql.exec(c, `INSERT INTO dbo.typed VALUES ${TYPED_ROW}`);
		await sql.waitForCapture(c, 'dbo_typed', 1);

		const source = await sql.exec(c, 'SELECT * FROM dbo.typed');
		const captured = await sql.exec(c, `SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_typed(
				sys.fn_cdc_get_min_lsn(N'dbo_typed'), sys.fn_cdc_get_max_lsn(), N'all')`);
		/* The captured columns have the source's types and values. */
		columns({ columns: captured[0].columns.slice(4) }, TYPED_COLUMNS);
		rowsEqual(captured[0].rows.map((r) => r.slice(4)), source[0].rows);
		const net = await sql.exec(c, `SELECT * FROM cdc.fn_cdc_get_net_changes_dbo_typed(
				sys.fn_cdc_get_min_lsn(N'dbo_typed'), sys.fn_cdc_get_max_lsn(), N'all')`);
		columns({ columns: net[0].columns.slice(3) }, TYPED_COLUMNS);
		rowsEqual(net[0].rows.map((r) => r.slice(3)), source[0].rows);
		/* The values as read back through the driver (spot checks of the conversions). */
		const row = source[0].rows[0];
		assert.equal(row[1], '9007199254740993');
		assert.equal(row[5], 123456789.125);
		assert.equal(row[15], 'äöü€');
		assert.equal(row[18], '6F9619FF-8B86-D011-B42D-00C04FC964FF');

		/* CT: the key with its own type, and the join back to the row. */
		const ct = await sql.exec(c, `SELECT ct.id, t.nvc, ct.SYS_CHANGE_OPERATION
				FROM CHANGETABLE(CHANGES dbo.typed, 0) AS ct JOIN dbo.typed AS t ON t.id = ct.id`);
		columns(ct[0], ['id int', 'nvc nvarchar(20)', 'SYS_CHANGE_OPERATION nchar(1)']);
		rowsEqual(ct[0], [[1, 'äöü€', 'I']]);
	}
	finally
	{
		await db.drop();
	}
});

test('parameterized reads (sp_executesql): CT version and CDC LSNs as parameters', async () => {
	const db = await sql.createDatabase('cdcparam');
	try
	{
		const c = db.conn;
		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = ON`);
		await sql.exec(c, 'EXEC sys.sp_cdc_enable_db');
		await sql.exec(c, 'CREATE TABLE dbo.p (id int NOT NULL PRIMARY KEY, v int NULL)');
		await sql.exec(c, 'ALTER TABLE dbo.p ENABLE CHANGE_TRACKING');
		await sql.exec(c, "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'p', @role_name = NULL");
		const v0 = await sql.scalar(c, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()');
		await sql.exec(c, 'INSERT INTO dbo.p VALUES (1, 10), (2, 20)');
		await sql.waitForCapture(c, 'dbo_p', 2);

		const ct = await sql.exec(c, 'SELECT id, SYS_CHANGE_OPERATION FROM CHANGETABLE(CHANGES dbo.p, @last_sync) AS ct ORDER BY id',
			[{ name: 'last_sync', type: TYPES.BigInt, value: v0 }]);
		rowsEqual(ct[0], [[1, 'I'], [2, 'I']]);

		const from = await sql.scalar(c, "SELECT sys.fn_cdc_get_min_lsn(N'dbo_p')");
		const to = await sql.scalar(c, 'SELECT sys.fn_cdc_get_max_lsn()');
		const cdc = await sql.exec(c, "SELECT __$operation, id, v FROM cdc.fn_cdc_get_all_changes_dbo_p(@from, @to, N'all')",
			[
				{ name: 'from', type: TYPES.Binary, value: from, options: { length: 10 } },
				{ name: 'to', type: TYPES.Binary, value: to, options: { length: 10 } },
			]);
		rowsEqual(cdc[0], [[2, 1, 10], [2, 2, 20]]);
		/* increment_lsn on a parameter, as the documented consumer loop does. */
		const next = await sql.exec(c, 'SELECT sys.fn_cdc_increment_lsn(@to)',
			[{ name: 'to', type: TYPES.Binary, value: to, options: { length: 10 } }]);
		assert.ok(Buffer.compare(next[0].rows[0][0], to) > 0);
	}
	finally
	{
		await db.drop();
	}
});
