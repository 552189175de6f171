'use strict';
/*
 * SNAPSHOT isolation: allowing it, 3952 when it is not allowed, one
 * consistent view (tables and CHANGE_TRACKING_CURRENT_VERSION()) while
 * another connection keeps writing, and 3960 on an update conflict.
 *
 * Follows:
 *   https://learn.microsoft.com/sql/t-sql/statements/set-transaction-isolation-level-transact-sql
 *   https://learn.microsoft.com/sql/t-sql/statements/alter-database-transact-sql-set-options  (ALLOW_SNAPSHOT_ISOLATION)
 *   https://learn.microsoft.com/sql/relational-databases/sql-server-transaction-locking-and-row-versioning-guide  (update conflicts)
 *   https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server  (why CT reads use SNAPSHOT)
 */

const { test } = require('node:test');
const sql = require('./lib/sql');
const { rowsEqual, errorNumber, assert } = require('./lib/check');

test('3952 when snapshot isolation is not allowed; catalog reads still work', async () => {
	const db = await sql.createDatabase('snapoff');
	try
	{
		const c = db.conn;
		await sql.exec(c, 'CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY); INSERT INTO dbo.t VALUES (1);');
		rowsEqual(await sql.rows(c, 'SELECT snapshot_isolation_state, snapshot_isolation_state_desc FROM sys.databases WHERE name = DB_NAME()'),
			[[0, 'OFF']]);
		/* SET and BEGIN succeed; the first user-table access fails. */
		await sql.exec(c, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT');
		await sql.exec(c, 'BEGIN TRANSACTION');
		rowsEqual(await sql.rows(c, "SELECT name FROM sys.tables WHERE name = N't'"), [['t']]);
		errorNumber(await sql.error(c, 'SELECT id FROM dbo.t'), 3952);
		await sql.exec(c, 'IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION');
		await sql.exec(c, 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');

		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET ALLOW_SNAPSHOT_ISOLATION ON`);
		rowsEqual(await sql.rows(c, 'SELECT snapshot_isolation_state, snapshot_isolation_state_desc FROM sys.databases WHERE name = DB_NAME()'),
			[[1, 'ON']]);
		rowsEqual(await sql.rows(c, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRAN; SELECT id FROM dbo.t; COMMIT;'), [[1]]);
		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET ALLOW_SNAPSHOT_ISOLATION OFF`);
		errorNumber(await sql.error(c, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRAN; SELECT id FROM dbo.t; COMMIT;'), 3952);
		await sql.exec(c, 'IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION');
	}
	finally
	{
		await db.drop();
	}
});

test('a SNAPSHOT transaction sees one state while another connection writes', async () => {
	const db = await sql.createDatabase('snapread');
	try
	{
		const reader = db.conn;
		const writer = await db.open();
		await sql.exec(reader, `ALTER DATABASE ${sql.q(db.name)} SET ALLOW_SNAPSHOT_ISOLATION ON;
				ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON);`);
		await sql.exec(reader, `CREATE TABLE dbo.accounts (id int NOT NULL PRIMARY KEY, balance int NOT NULL);
				CREATE TABLE dbo.audit (id int NOT NULL PRIMARY KEY, note nvarchar(20) NULL);
				ALTER TABLE dbo.accounts ENABLE CHANGE_TRACKING;
				INSERT INTO dbo.accounts VALUES (1, 100), (2, 100);
				INSERT INTO dbo.audit VALUES (1, N'start');`);

		await sql.exec(reader, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION;');
		const v = await sql.scalar(reader, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()');
		rowsEqual(await sql.rows(reader, 'SELECT id, balance FROM dbo.accounts ORDER BY id'), [[1, 100], [2, 100]]);

		/* The writer commits several transactions meanwhile, on both tables. */
		for (let i = 0; i < 5; i++)
			await sql.exec(writer, `BEGIN TRAN;
					UPDATE dbo.accounts SET balance = balance - 10 WHERE id = 1;
					UPDATE dbo.accounts SET balance = balance + 10 WHERE id = 2;
					INSERT INTO dbo.audit VALUES (${i + 2}, N'move');
					COMMIT TRAN;`);
		await sql.exec(writer, 'INSERT INTO dbo.accounts VALUES (3, 5)');
		const vw = await sql.scalar(writer, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()');
		assert.ok(BigInt(vw) > BigInt(v));

		/* The reader still sees the state of its first read, on every table. */
		rowsEqual(await sql.rows(reader, 'SELECT id, balance FROM dbo.accounts ORDER BY id'), [[1, 100], [2, 100]]);
		rowsEqual(await sql.rows(reader, 'SELECT COUNT(*) FROM dbo.audit'), [[1]]);
		assert.equal(await sql.scalar(reader, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()'), v);
		rowsEqual(await sql.rows(reader, `SELECT COUNT(*) FROM CHANGETABLE(CHANGES dbo.accounts, ${v}) AS ct`), [[0]]);
		await sql.exec(reader, 'COMMIT TRANSACTION');

		/* A new transaction sees everything. */
		rowsEqual(await sql.rows(reader, 'SELECT id, balance FROM dbo.accounts ORDER BY id'), [[1, 50], [2, 150], [3, 5]]);
		rowsEqual(await sql.rows(reader, 'SELECT COUNT(*) FROM dbo.audit'), [[6]]);
		assert.equal(await sql.scalar(reader, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()'), vw);
		rowsEqual(await sql.rows(reader, `SELECT id, SYS_CHANGE_OPERATION FROM CHANGETABLE(CHANGES dbo.accounts, ${v}) AS ct ORDER BY id`),
			[[1, 'U'], [2, 'U'], [3, 'I']]);

	}
	finally
	{
		await db.drop();
	}
});

test('3960: update conflict in a SNAPSHOT transaction', async () => {
	const db = await sql.createDatabase('snapconf');
	try
	{
		const a = db.conn;
		const b = await db.open();
		await sql.exec(a, `ALTER DATABASE ${sql.q(db.name)} SET ALLOW_SNAPSHOT_ISOLATION ON`);
		await sql.exec(a, 'CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, v int NOT NULL); INSERT INTO dbo.t VALUES (1, 0), (2, 0);');

		await sql.exec(a, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION;');
		rowsEqual(await sql.rows(a, 'SELECT v FROM dbo.t WHERE id = 1'), [[0]]);
		/* b changes row 1 and commits after a's snapshot began. */
		await sql.exec(b, 'UPDATE dbo.t SET v = 1 WHERE id = 1');
		/* a now updates the same row: 3960, and its transaction is gone. */
		const e = await sql.error(a, 'UPDATE dbo.t SET v = 2 WHERE id = 1');
		errorNumber(e, 3960);
		assert.equal(await sql.scalar(a, 'SELECT @@TRANCOUNT'), 0);
		await sql.exec(a, 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 1], [2, 0]]);

		/* A snapshot writer with no concurrent change commits normally. */
		await sql.exec(a, `SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION;
				UPDATE dbo.t SET v = 5 WHERE id = 2; COMMIT TRANSACTION;
				SET TRANSACTION ISOLATION LEVEL READ COMMITTED;`);
		rowsEqual(await sql.rows(b, 'SELECT v FROM dbo.t WHERE id = 2'), [[5]]);
	}
	finally
	{
		await db.drop();
	}
});

/*
 * The update-conflict rule of the row versioning guide: a SNAPSHOT
 * transaction gets 3960 only for a row (to update or delete) that another
 * transaction changed and committed after the snapshot began.  Writes
 * after other commits to other tables succeed, and the transaction keeps
 * reading its snapshot where nobody wrote.
 */
test('SNAPSHOT writes after other transactions committed elsewhere succeed; conflicts only where they wrote', async () => {
	const db = await sql.createDatabase('snapfine');
	try
	{
		const a = db.conn;
		const b = await db.open();
		await sql.exec(a, `ALTER DATABASE ${sql.q(db.name)} SET ALLOW_SNAPSHOT_ISOLATION ON`);
		await sql.exec(a, `CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, v int NOT NULL);
						   CREATE TABLE dbo.u (id int NOT NULL PRIMARY KEY, v int NOT NULL);
						   INSERT INTO dbo.t VALUES (1, 0), (2, 0);
						   INSERT INTO dbo.u VALUES (1, 0);`);

		/* b commits to u after a's snapshot; a writes t and reads t: fine. */
		await sql.exec(a, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION;');
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 0], [2, 0]]);
		await sql.exec(b, 'UPDATE dbo.u SET v = 7 WHERE id = 1; INSERT INTO dbo.u VALUES (2, 7);');
		await sql.exec(a, 'UPDATE dbo.t SET v = 1 WHERE id = 1; INSERT INTO dbo.t VALUES (3, 1);');
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 1], [2, 0], [3, 1]]);
		assert.equal(await sql.scalar(a, 'SELECT @@TRANCOUNT'), 1);
		await sql.exec(a, 'COMMIT TRANSACTION');
		rowsEqual(await sql.rows(b, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 1], [2, 0], [3, 1]]);
		rowsEqual(await sql.rows(b, 'SELECT id, v FROM dbo.u ORDER BY id'), [[1, 7], [2, 7]]);

		/* b deletes a row a then deletes: 3960, a's transaction is gone. */
		await sql.exec(a, 'BEGIN TRANSACTION;');
		rowsEqual(await sql.rows(a, 'SELECT COUNT(*) FROM dbo.t'), [[3]]);
		await sql.exec(b, 'DELETE FROM dbo.t WHERE id = 3');
		errorNumber(await sql.error(a, 'DELETE FROM dbo.t WHERE id = 3'), 3960);
		assert.equal(await sql.scalar(a, 'SELECT @@TRANCOUNT'), 0);
		await sql.exec(a, 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 1], [2, 0]]);
	}
	finally
	{
		await db.drop();
	}
});

/*
 * 3952 comes at the first user-table access, and reading change data is
 * one: CHANGETABLE reads the table's change tracking data and the CDC
 * query functions read the capture instance's change table.  (Run the
 * reads in a database that has CT and CDC but does not allow snapshot
 * isolation; the LSN range is taken outside the SNAPSHOT transaction.)
 */
test('3952 for CHANGETABLE and the CDC query functions when snapshot isolation is not allowed', async () => {
	const db = await sql.createDatabase('snapchg');
	try
	{
		const c = db.conn;
		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = ON`);
		await sql.exec(c, 'EXEC sys.sp_cdc_enable_db');
		await sql.exec(c, `CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, v int NULL);
						   ALTER TABLE dbo.t ENABLE CHANGE_TRACKING;`);
		await sql.exec(c, `EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N't',
						   @role_name = NULL, @supports_net_changes = 1`);
		await sql.exec(c, 'INSERT INTO dbo.t VALUES (1, 10)');
		await sql.waitForCapture(c, 'dbo_t', 1);
		const [[from, to]] = await sql.rows(c, "SELECT sys.fn_cdc_get_min_lsn(N'dbo_t'), sys.fn_cdc_get_max_lsn()");
		const all = `SELECT id FROM cdc.fn_cdc_get_all_changes_dbo_t(${sql.hex(from)}, ${sql.hex(to)}, N'all')`;
		const net = `SELECT id FROM cdc.fn_cdc_get_net_changes_dbo_t(${sql.hex(from)}, ${sql.hex(to)}, N'all')`;

		/* Outside SNAPSHOT every read works. */
		rowsEqual(await sql.rows(c, 'SELECT id, SYS_CHANGE_OPERATION FROM CHANGETABLE(CHANGES dbo.t, 0) AS ct'), [[1, 'I']]);
		rowsEqual(await sql.rows(c, all), [[1]]);
		rowsEqual(await sql.rows(c, net), [[1]]);

		for (const read of [
			'SELECT id FROM CHANGETABLE(CHANGES dbo.t, 0) AS ct',
			'SELECT ct.id FROM CHANGETABLE(VERSION dbo.t, (id), (1)) AS ct',
			all,
			net,
		])
		{
			await sql.exec(c, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION;');
			errorNumber(await sql.error(c, read), 3952);
			await sql.exec(c, 'IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION; SET TRANSACTION ISOLATION LEVEL READ COMMITTED;');
		}

		/* Allowed, the same reads work inside SNAPSHOT. */
		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET ALLOW_SNAPSHOT_ISOLATION ON`);
		await sql.exec(c, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION;');
		rowsEqual(await sql.rows(c, 'SELECT id, SYS_CHANGE_OPERATION FROM CHANGETABLE(CHANGES dbo.t, 0) AS ct'), [[1, 'I']]);
		rowsEqual(await sql.rows(c, all), [[1]]);
		rowsEqual(await sql.rows(c, net), [[1]]);
		await sql.exec(c, 'COMMIT TRANSACTION; SET TRANSACTION ISOLATION LEVEL READ COMMITTED;');
		await sql.exec(c, `EXEC sys.sp_cdc_disable_table @source_schema = N'dbo', @source_name = N't', @capture_instance = N'dbo_t'`);
	}
	finally
	{
		await db.drop();
	}
});

/*
 * Per row, as the row versioning guide states it: another transaction's
 * commit to some rows of a table does not stop a SNAPSHOT transaction from
 * updating other rows of it, and the transaction keeps reading the table
 * as of its snapshot plus its own changes; an insert of a key the other
 * transaction inserted fails on the key (2627, the transaction goes on);
 * updating the row the other transaction changed is the update conflict.
 */
test('update conflicts are per row: other rows of a changed table can be written', async () => {
	const db = await sql.createDatabase('snaprow');
	try
	{
		const a = db.conn;
		const b = await db.open();
		await sql.exec(a, `ALTER DATABASE ${sql.q(db.name)} SET ALLOW_SNAPSHOT_ISOLATION ON`);
		await sql.exec(a, `CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, v int NOT NULL, s nvarchar(10) NULL);
						   INSERT INTO dbo.t VALUES (1, 0, N'a'), (2, 0, N'b'), (3, 0, N'c');`);

		await sql.exec(a, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION;');
		rowsEqual(await sql.rows(a, 'SELECT COUNT(*) FROM dbo.t'), [[3]]);
		await sql.exec(b, "UPDATE dbo.t SET v = 9 WHERE id = 2; INSERT INTO dbo.t VALUES (4, 4, N'd');");

		/* another row of the same table: fine; a still reads its snapshot */
		await sql.exec(a, 'DECLARE @k int = 1; UPDATE dbo.t SET v = 1 WHERE id = @k;');
		await sql.exec(a, 'DELETE FROM dbo.t WHERE id = 3');
		rowsEqual(await sql.rows(a, 'SELECT id, v, s FROM dbo.t ORDER BY id'), [[1, 1, 'a'], [2, 0, 'b']]);
		rowsEqual(await sql.rows(a, "SELECT id FROM dbo.t WHERE s = N'B'"), [[2]]);

		/* the key b inserted: 2627, and the transaction is still there */
		errorNumber(await sql.error(a, "INSERT INTO dbo.t VALUES (4, 40, N'x')"), 2627);
		assert.equal(await sql.scalar(a, 'SELECT @@TRANCOUNT'), 1);
		await sql.exec(a, "INSERT INTO dbo.t VALUES (5, 5, N'e')");
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 1], [2, 0], [5, 5]]);

		/* the row b changed: 3960, a's transaction is gone with its changes */
		errorNumber(await sql.error(a, 'UPDATE dbo.t SET v = 7 WHERE id = 2'), 3960);
		assert.equal(await sql.scalar(a, 'SELECT @@TRANCOUNT'), 0);
		await sql.exec(a, 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 0], [2, 9], [3, 0], [4, 4]]);

		/* and a transaction that only touches other rows commits them */
		await sql.exec(a, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION;');
		rowsEqual(await sql.rows(a, 'SELECT COUNT(*) FROM dbo.t'), [[4]]);
		await sql.exec(b, 'UPDATE dbo.t SET v = 10 WHERE id = 4');
		await sql.exec(a, 'UPDATE dbo.t SET v = 3 WHERE id = 3');
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 0], [2, 9], [3, 3], [4, 4]]);
		await sql.exec(a, 'COMMIT TRANSACTION; SET TRANSACTION ISOLATION LEVEL READ COMMITTED;');
		rowsEqual(await sql.rows(b, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 0], [2, 9], [3, 3], [4, 10]]);
	}
	finally
	{
		await db.drop();
	}
});

/*
 * Two SNAPSHOT writers at once.  SQL Server locks rows, so b's update of
 * another row does not wait for a; the stand-in has one writer per
 * database, so there b's update waits until a commits.  The test does not
 * depend on the wait: it sends b's update, commits a, then looks at b's
 * result.  Either way b may update a row a did not touch, reads its own
 * snapshot afterwards, and gets 3960 for the row a changed.
 */
test('two SNAPSHOT writers: other rows succeed, the same row is a conflict', async () => {
	const db = await sql.createDatabase('snaptwo');
	try
	{
		const a = db.conn;
		const b = await db.open();
		await sql.exec(a, `ALTER DATABASE ${sql.q(db.name)} SET ALLOW_SNAPSHOT_ISOLATION ON`);
		await sql.exec(a, 'CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, v int NOT NULL); INSERT INTO dbo.t VALUES (1, 0), (2, 0), (3, 0);');
		for (const c of [a, b])
		{
			await sql.exec(c, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION;');
			rowsEqual(await sql.rows(c, 'SELECT SUM(v) FROM dbo.t'), [[0]]);
		}
		await sql.exec(a, 'UPDATE dbo.t SET v = 1 WHERE id = 1; UPDATE dbo.t SET v = 1 WHERE id = 3;');
		const pending = sql.exec(b, 'UPDATE dbo.t SET v = 2 WHERE id = 2');
		await sql.exec(a, 'COMMIT TRANSACTION');
		await pending;
		rowsEqual(await sql.rows(b, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 0], [2, 2], [3, 0]]);
		errorNumber(await sql.error(b, 'UPDATE dbo.t SET v = 2 WHERE id = 3'), 3960);
		assert.equal(await sql.scalar(b, 'SELECT @@TRANCOUNT'), 0);
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 1], [2, 0], [3, 1]]);

		/* the same, committed: b's change to another row stays */
		for (const c of [a, b])
		{
			await sql.exec(c, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION;');
			rowsEqual(await sql.rows(c, 'SELECT SUM(v) FROM dbo.t'), [[2]]);
		}
		await sql.exec(a, 'UPDATE dbo.t SET v = 5 WHERE id = 1');
		const pending2 = sql.exec(b, 'DELETE FROM dbo.t WHERE id = 2');
		await sql.exec(a, 'COMMIT TRANSACTION');
		await pending2;
		await sql.exec(b, 'COMMIT TRANSACTION');
		for (const c of [a, b])
			await sql.exec(c, 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 5], [3, 1]]);
	}
	finally
	{
		await db.drop();
	}
});

/*
 * Another transaction deletes a row after the snapshot: the SNAPSHOT
 * transaction still sees it, may insert and change rows of its own (in the
 * stand-in the new row may even get the deleted row's storage slot), and
 * gets 3960 for deleting the row that is gone.
 */
test('a row deleted by another transaction stays in the snapshot; own new rows work beside it', async () => {
	const db = await sql.createDatabase('snapdel');
	try
	{
		const a = db.conn;
		const b = await db.open();
		await sql.exec(a, `ALTER DATABASE ${sql.q(db.name)} SET ALLOW_SNAPSHOT_ISOLATION ON`);
		await sql.exec(a, 'CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, v int NOT NULL); INSERT INTO dbo.t VALUES (1, 0), (2, 0), (3, 0);');
		await sql.exec(a, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRANSACTION;');
		rowsEqual(await sql.rows(a, 'SELECT COUNT(*) FROM dbo.t'), [[3]]);
		await sql.exec(b, 'DELETE FROM dbo.t WHERE id = 3');

		await sql.exec(a, 'INSERT INTO dbo.t VALUES (5, 5)');
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 0], [2, 0], [3, 0], [5, 5]]);
		await sql.exec(a, 'UPDATE dbo.t SET v = 55 WHERE id = 5; UPDATE dbo.t SET v = 1 WHERE id = 1;');
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 1], [2, 0], [3, 0], [5, 55]]);
		errorNumber(await sql.error(a, 'DELETE FROM dbo.t WHERE id = 3'), 3960);
		assert.equal(await sql.scalar(a, 'SELECT @@TRANCOUNT'), 0);

		/* once more, committed this time */
		await sql.exec(a, 'BEGIN TRANSACTION');
		rowsEqual(await sql.rows(a, 'SELECT COUNT(*) FROM dbo.t'), [[2]]);
		await sql.exec(b, 'DELETE FROM dbo.t WHERE id = 2');
		await sql.exec(a, 'INSERT INTO dbo.t VALUES (6, 6)');
		rowsEqual(await sql.rows(a, 'SELECT id FROM dbo.t ORDER BY id'), [[1], [2], [6]]);
		await sql.exec(a, 'COMMIT TRANSACTION; SET TRANSACTION ISOLATION LEVEL READ COMMITTED;');
		rowsEqual(await sql.rows(a, 'SELECT id, v FROM dbo.t ORDER BY id'), [[1, 0], [6, 6]]);
	}
	finally
	{
		await db.drop();
	}
});
