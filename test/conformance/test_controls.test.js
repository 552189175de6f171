'use strict';
/*
 * The stand-in's test-only controls (schema sim_test, documented in
 * test/mssql_sim/TEST_CONTROLS.md).  They do not exist on a real SQL
 * Server: every test here skips itself there.
 *
 * The faults they inject imitate documented SQL Server behaviour:
 *   1205 deadlock victim: https://learn.microsoft.com/sql/relational-databases/errors-events/mssqlserver-1205-database-engine-error
 */

const { test } = require('node:test');
const sql = require('./lib/sql');
const { rowsEqual, errorNumber, assert } = require('./lib/check');

async function standInOrSkip(t, c)
{
	if (await sql.isStandIn(c))
		return true;
	t.skip('test-only controls exist only on the stand-in');
	return false;
}

test('fail_next_statement: 1205 with SQL Server text, once, on another connection', async (t) => {
	const db = await sql.createDatabase('tcfail');
	try
	{
		const ctl = db.conn;
		if (!(await standInOrSkip(t, ctl)))
			return;
		const victim = await db.open();
		await sql.exec(ctl, 'CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY); INSERT INTO dbo.t VALUES (1);');
		await sql.exec(victim, 'BEGIN TRANSACTION');
		/* Armed now, the victim's next statement fails, whatever it is. */
		await sql.exec(ctl, `EXEC sim_test.fail_next_statement @error_number = 1205, @database = ${sql.lit(db.name)}`);
		const e = await sql.error(victim, 'SELECT id FROM dbo.t');
		errorNumber(e, 1205);
		assert.match(e.message, /^Transaction \(Process ID \d+\) was deadlocked on lock resources with another process and has been chosen as the deadlock victim\. Rerun the transaction\.$/);
		assert.equal(e.class, 13);
		/* The deadlock victim's transaction is rolled back. */
		assert.equal(await sql.scalar(victim, 'SELECT @@TRANCOUNT'), 0);
		/* Only once. */
		rowsEqual(await sql.rows(victim, 'SELECT id FROM dbo.t'), [[1]]);

		/* @match limits the fault to statements containing a text. */
		await sql.exec(ctl, `EXEC sim_test.fail_next_statement @error_number = 1222, @database = ${sql.lit(db.name)}, @match = N'CHANGETABLE'`);
		rowsEqual(await sql.rows(victim, 'SELECT id FROM dbo.t'), [[1]]);
		errorNumber(await sql.error(victim, 'SELECT * FROM CHANGETABLE(CHANGES dbo.t, 0) AS ct'), 1222);
	}
	finally
	{
		await db.drop();
	}
});

test('drop_connection_after_rows closes the connection mid-result', async (t) => {
	const db = await sql.createDatabase('tcdrop');
	try
	{
		const ctl = db.conn;
		if (!(await standInOrSkip(t, ctl)))
			return;
		await sql.exec(ctl, `CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY);
				INSERT INTO dbo.t VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10);`);
		const victim = await db.open();
		/*
		 * The fault is process-wide: 500 rows, which only this test's
		 * 1000-row cross join reaches (other files may run in parallel).
		 */
		await sql.exec(ctl, 'EXEC sim_test.drop_connection_after_rows @rows = 500');
		let rows = 0;
		const err = await new Promise((resolve) => {
			const req = new sql.tedious.Request('SELECT a.id FROM dbo.t AS a CROSS JOIN dbo.t AS b CROSS JOIN dbo.t AS c', (e) => resolve(e));
			req.on('row', () => rows++);
			victim.execSql(req);
		});
		assert.ok(err, 'the request fails');
		assert.ok(rows <= 500, `at most 500 of 1000 rows arrived (${rows})`);
		/* The fault is used up: a new connection reads everything. */
		const again = await db.open();
		rowsEqual(await sql.rows(again, 'SELECT COUNT(*) FROM dbo.t'), [[10]]);
	}
	finally
	{
		await db.drop();
	}
});

test('set_delay delays responses; 0 clears it', async (t) => {
	const db = await sql.createDatabase('tcdelay');
	try
	{
		const ctl = db.conn;
		if (!(await standInOrSkip(t, ctl)))
			return;
		await sql.exec(ctl, 'EXEC sim_test.set_delay @ms = 300');
		const t0 = Date.now();
		rowsEqual(await sql.rows(ctl, 'SELECT 1'), [[1]]);
		/* A lower bound only: never a wall-clock limit. */
		assert.ok(Date.now() - t0 >= 280, 'the response waited for the delay');
		await sql.exec(ctl, 'EXEC sim_test.set_delay @ms = 0');
	}
	finally
	{
		await db.drop();
	}
});

test('force_cdc_cleanup and a capture delay', async (t) => {
	const db = await sql.createDatabase('tccdc');
	try
	{
		const c = db.conn;
		if (!(await standInOrSkip(t, c)))
			return;
		await sql.exec(c, 'EXEC sys.sp_cdc_enable_db');
		await sql.exec(c, 'CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, v int NULL)');
		await sql.exec(c, "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N't', @role_name = NULL");
		await sql.exec(c, 'INSERT INTO dbo.t VALUES (1, 1)');
		await sql.exec(c, 'INSERT INTO dbo.t VALUES (2, 2)');
		const max = await sql.scalar(c, 'SELECT sys.fn_cdc_get_max_lsn()');

		/* Cleanup of everything: the low end moves past the last change. */
		await sql.exec(c, "EXEC sim_test.force_cdc_cleanup @capture_instance = N'dbo_t'");
		rowsEqual(await sql.rows(c, 'SELECT COUNT(*) FROM cdc.dbo_t_CT'), [[0]]);
		const min = await sql.scalar(c, "SELECT sys.fn_cdc_get_min_lsn(N'dbo_t')");
		assert.ok(Buffer.compare(min, max) > 0, 'min LSN above the cleaned changes');
		errorNumber(await sql.error(c, `SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_t(${sql.hex(max)}, ${sql.hex(max)}, N'all')`), 313);

		/* With a capture delay, a recent commit is not yet below the max LSN. */
		await sql.exec(c, 'EXEC sim_test.set_capture_delay @ms = 60000');
		try
		{
			await sql.exec(c, 'INSERT INTO dbo.t VALUES (3, 3)');
			const l3 = await sql.scalar(c, 'SELECT __$start_lsn FROM cdc.dbo_t_CT WHERE id = 3');
			assert.ok(Buffer.compare(await sql.scalar(c, 'SELECT sys.fn_cdc_get_max_lsn()'), l3) < 0,
				'the new change is above the max LSN while the capture delay lasts');
		}
		finally
		{
			await sql.exec(c, 'EXEC sim_test.set_capture_delay @ms = 0');
		}
		assert.ok(Buffer.compare(await sql.scalar(c, 'SELECT sys.fn_cdc_get_max_lsn()'), max) > 0);
		rowsEqual(await sql.rows(c, `SELECT __$operation, id FROM cdc.fn_cdc_get_all_changes_dbo_t(sys.fn_cdc_get_min_lsn(N'dbo_t'), sys.fn_cdc_get_max_lsn(), N'all')`),
			[[2, 3]]);
	}
	finally
	{
		await db.drop();
	}
});
