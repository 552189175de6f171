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

/* Run a batch on c and resolve to the milliseconds it took. */
async function timed(c, batch)
{
	const t0 = Date.now();
	await sql.exec(c, batch);
	return Date.now() - t0;
}

/*
 * Faults narrowed to one session, database or application name, so that
 * tests running in parallel do not disturb each other.  Timing checks are
 * lower bounds for the delayed session; the sessions that must not be
 * delayed get a delay far longer than any sane response (60 s) armed for
 * someone else and are checked against half of it.
 */
test('set_delay and drop_connection_after_rows with @spid, @database, @app_name', async (t) => {
	const db = await sql.createDatabase('tctarget');
	const other = await sql.createDatabase('tctargeto');
	const ctl = await sql.connect('master');
	try
	{
		if (!(await standInOrSkip(t, ctl)))
			return;
		const victim = db.conn;
		const bystander = other.conn;
		const app = `conf_app_${process.pid}`;
		const named = await sql.connect(other.name, { appName: app });
		const spid = await sql.scalar(victim, 'SELECT @@SPID');

		/* @spid: only that session waits. */
		await sql.exec(ctl, `EXEC sim_test.set_delay @ms = 300, @spid = ${spid}`);
		assert.ok(await timed(victim, 'SELECT 1') >= 280, 'the targeted session waited');
		await sql.exec(ctl, `EXEC sim_test.set_delay @ms = 60000, @spid = ${spid}`);
		assert.ok(await timed(bystander, 'SELECT 1') < 30000, 'another session did not wait');
		assert.ok(await timed(ctl, 'SELECT 1') < 30000, 'nor did the one that armed it');
		await sql.exec(ctl, `EXEC sim_test.set_delay @ms = 0, @spid = ${spid}`);
		assert.ok(await timed(victim, 'SELECT 1') < 30000, 'cleared');

		/* @database: sessions in that database; @app_name: that client. */
		await sql.exec(ctl, `EXEC sim_test.set_delay @ms = 300, @database = ${sql.lit(db.name)}`);
		assert.ok(await timed(victim, 'SELECT 1') >= 280);
		await sql.exec(ctl, `EXEC sim_test.set_delay @ms = 0, @database = ${sql.lit(db.name)}`);
		await sql.exec(ctl, `EXEC sim_test.set_delay @ms = 300, @app_name = ${sql.lit(app)}`);
		rowsEqual(await sql.rows(named, 'SELECT APP_NAME()'), [[app]]);
		assert.ok(await timed(named, 'SELECT 1') >= 280);
		await sql.exec(ctl, `EXEC sim_test.set_delay @ms = 60000, @app_name = ${sql.lit(app)}`);
		assert.ok(await timed(bystander, 'SELECT 1') < 30000, 'same database, other application');
		await sql.exec(ctl, `EXEC sim_test.set_delay @ms = 0, @app_name = ${sql.lit(app)}`);

		/* drop_connection_after_rows @database: the bystander's result is whole. */
		const cross = 'SELECT a.id FROM dbo.t AS a CROSS JOIN dbo.t AS b';
		for (const c of [victim, bystander])
			await sql.exec(c, `CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY);
					INSERT INTO dbo.t VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10);`);
		await sql.exec(ctl, `EXEC sim_test.drop_connection_after_rows @rows = 20, @database = ${sql.lit(db.name)}`);
		rowsEqual(await sql.rows(bystander, 'SELECT COUNT(*) FROM (' + cross + ') AS x'), [[100]]);
		assert.equal((await sql.rows(bystander, cross)).length, 100, 'another database is not cut');
		let rows = 0;
		const err = await new Promise((resolve) => {
			const req = new sql.tedious.Request(cross, (e) => resolve(e));
			req.on('row', () => rows++);
			victim.execSql(req);
		});
		assert.ok(err, 'the targeted session is cut');
		assert.ok(rows <= 20, `at most 20 of 100 rows arrived (${rows})`);
		/* Used up. */
		const again = await db.open();
		assert.equal((await sql.rows(again, cross)).length, 100);

		/* Errors: a target database that does not exist. */
		errorNumber(await sql.error(ctl, `EXEC sim_test.set_delay @ms = 10, @database = N'no_such_db_${process.pid}'`), 911);
		await sql.close(named);
	}
	finally
	{
		await sql.exec(ctl, 'EXEC sim_test.set_delay @ms = 0').catch(() => {});
		await sql.close(ctl);
		await db.drop();
		await other.drop();
	}
});
