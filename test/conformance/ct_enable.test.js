'use strict';
/*
 * Change Tracking: turning it on and off, its errors and its catalog views.
 *
 * Follows:
 *   https://learn.microsoft.com/sql/relational-databases/track-changes/enable-and-disable-change-tracking-sql-server
 *   https://learn.microsoft.com/sql/t-sql/statements/alter-database-transact-sql-set-options  (CHANGE_TRACKING)
 *   https://learn.microsoft.com/sql/relational-databases/system-catalog-views/change-tracking-catalog-views-sys-change-tracking-databases
 *   https://learn.microsoft.com/sql/relational-databases/system-catalog-views/change-tracking-catalog-views-sys-change-tracking-tables
 *   https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-current-version-transact-sql
 *   https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-min-valid-version-transact-sql
 */

const { test } = require('node:test');
const sql = require('./lib/sql');
const { columns, rowsEqual, errorNumber, assert } = require('./lib/check');

test('database level: ON with options, catalog row, 5088, option change, OFF', async () => {
	const db = await sql.createDatabase('ctdb');
	try
	{
		const c = db.conn;

		/* Before CT is on: the version is NULL and the view has no row. */
		assert.equal(await sql.scalar(c, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()'), null);
		assert.equal(await sql.scalar(c,
			'SELECT COUNT(*) FROM sys.change_tracking_databases WHERE database_id = DB_ID()'), 0);

		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON)`);

		const sets = await sql.exec(c,
			`SELECT database_id, is_auto_cleanup_on, retention_period,
					retention_period_units_desc, retention_period_units
			   FROM sys.change_tracking_databases WHERE database_id = DB_ID()`);
		columns(sets[0], [
			'database_id int', 'is_auto_cleanup_on bit', 'retention_period int',
			'retention_period_units_desc nvarchar(60)', 'retention_period_units tinyint',
		]);
		const dbid = await sql.scalar(c, 'SELECT DB_ID()');
		rowsEqual(sets[0], [[dbid, true, 2, 'DAYS', 3]]);

		/* A fresh CT database has a current version, not NULL. */
		const v = await sql.scalar(c, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()');
		assert.equal(typeof v, 'string', 'bigint arrives as a string in tedious');
		assert.ok(BigInt(v) >= 0n);

		/* ON again: 5088 (change tracking is already enabled). */
		errorNumber(await sql.error(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = ON`), 5088);

		/* Options may be changed later without turning CT off. */
		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING (CHANGE_RETENTION = 90 MINUTES, AUTO_CLEANUP = OFF)`);
		rowsEqual(await sql.rows(c,
			`SELECT is_auto_cleanup_on, retention_period, retention_period_units_desc, retention_period_units
			   FROM sys.change_tracking_databases WHERE database_id = DB_ID()`),
			[[false, 90, 'MINUTES', 1]]);
		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING (CHANGE_RETENTION = 5 HOURS)`);
		rowsEqual(await sql.rows(c,
			`SELECT is_auto_cleanup_on, retention_period, retention_period_units_desc, retention_period_units
			   FROM sys.change_tracking_databases WHERE database_id = DB_ID()`),
			[[false, 5, 'HOURS', 2]]);

		/* OFF with no tracked table works; everything returns to NULL. */
		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = OFF`);
		assert.equal(await sql.scalar(c, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()'), null);
		assert.equal(await sql.scalar(c,
			'SELECT COUNT(*) FROM sys.change_tracking_databases WHERE database_id = DB_ID()'), 0);
	}
	finally
	{
		await db.drop();
	}
});

test('table level: 1718, 4997, enable, 4996, catalog row, 22115, disable, 4998', async () => {
	const db = await sql.createDatabase('cttab');
	try
	{
		const c = db.conn;
		await sql.exec(c, `CREATE TABLE dbo.Products (ProductID int NOT NULL PRIMARY KEY, Name nvarchar(50) NOT NULL, ListPrice money NULL);
						   CREATE TABLE dbo.NoKey (a int NOT NULL, b int NULL);`);

		/* Table before database: 1718. */
		errorNumber(await sql.error(c, 'ALTER TABLE dbo.Products ENABLE CHANGE_TRACKING'), 1718);

		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON)`);

		/* No primary key: 4997. */
		errorNumber(await sql.error(c, 'ALTER TABLE dbo.NoKey ENABLE CHANGE_TRACKING'), 4997);

		const before = BigInt(await sql.scalar(c, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()'));
		await sql.exec(c, 'ALTER TABLE dbo.Products ENABLE CHANGE_TRACKING WITH (TRACK_COLUMNS_UPDATED = ON)');
		const after = BigInt(await sql.scalar(c, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()'));

		/* Already tracked: 4996. */
		errorNumber(await sql.error(c, 'ALTER TABLE dbo.Products ENABLE CHANGE_TRACKING'), 4996);

		const sets = await sql.exec(c,
			`SELECT object_id, is_track_columns_updated_on, begin_version, cleanup_version, min_valid_version
			   FROM sys.change_tracking_tables`);
		columns(sets[0], [
			'object_id int', 'is_track_columns_updated_on bit', 'begin_version bigint',
			'cleanup_version bigint', 'min_valid_version bigint',
		]);
		assert.equal(sets[0].rows.length, 1);
		const [objid, trackCols, beginV, , minValid] = sets[0].rows[0];
		assert.equal(objid, await sql.scalar(c, "SELECT OBJECT_ID(N'dbo.Products')"));
		assert.equal(trackCols, true);
		/* Tracking begins at the database version current when it was enabled. */
		assert.ok(BigInt(beginV) >= before && BigInt(beginV) <= after, `begin_version ${beginV} in [${before}, ${after}]`);
		/* The function and the view agree, and nothing older is valid. */
		assert.equal(await sql.scalar(c, "SELECT CHANGE_TRACKING_MIN_VALID_VERSION(OBJECT_ID(N'dbo.Products'))"), minValid);
		assert.ok(BigInt(minValid) >= BigInt(beginV));

		/* Not a valid object in this database: NULL. */
		assert.equal(await sql.scalar(c, "SELECT CHANGE_TRACKING_MIN_VALID_VERSION(OBJECT_ID(N'dbo.NoSuchTable'))"), null);
		/* A table that is not tracked: NULL as well. */
		assert.equal(await sql.scalar(c, "SELECT CHANGE_TRACKING_MIN_VALID_VERSION(OBJECT_ID(N'dbo.NoKey'))"), null);

		/* Database OFF while a table is still tracked: 22115. */
		errorNumber(await sql.error(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = OFF`), 22115);

		await sql.exec(c, 'ALTER TABLE dbo.Products DISABLE CHANGE_TRACKING');
		assert.equal(await sql.scalar(c, 'SELECT COUNT(*) FROM sys.change_tracking_tables'), 0);

		/* Disable an untracked table: 4998. */
		errorNumber(await sql.error(c, 'ALTER TABLE dbo.Products DISABLE CHANGE_TRACKING'), 4998);

		/* CHANGETABLE on an untracked table: 22105. */
		errorNumber(await sql.error(c, 'SELECT * FROM CHANGETABLE(CHANGES dbo.Products, 0) AS ct'), 22105);

		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = OFF`);
	}
	finally
	{
		await db.drop();
	}
});

test('TRACK_COLUMNS_UPDATED defaults to OFF', async () => {
	const db = await sql.createDatabase('ctdef');
	try
	{
		const c = db.conn;
		await sql.exec(c, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = ON`);
		await sql.exec(c, 'CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, v int NULL)');
		await sql.exec(c, 'ALTER TABLE dbo.t ENABLE CHANGE_TRACKING');
		rowsEqual(await sql.rows(c,
			"SELECT is_track_columns_updated_on FROM sys.change_tracking_tables WHERE object_id = OBJECT_ID(N'dbo.t')"),
			[[false]]);
		/* Defaults of the database options: 2 DAYS (documented). */
		rowsEqual(await sql.rows(c,
			'SELECT retention_period, retention_period_units_desc FROM sys.change_tracking_databases WHERE database_id = DB_ID()'),
			[[2, 'DAYS']]);
	}
	finally
	{
		await db.drop();
	}
});

/*
 * sys.change_tracking_databases is server-wide: "one row for each database
 * that has change tracking enabled" (its doc page), whatever database the
 * session is in.  ALTER DATABASE names its target, so it works from any
 * current database; so does ALLOW_SNAPSHOT_ISOLATION.
 */
test('sys.change_tracking_databases lists every CT database; ALTER DATABASE from another database', async () => {
	const d1 = await sql.createDatabase('ctsrv1');
	const d2 = await sql.createDatabase('ctsrv2');
	const m = await sql.connect('master');
	try
	{
		const id1 = await sql.scalar(d1.conn, 'SELECT DB_ID()');
		const id2 = await sql.scalar(d2.conn, 'SELECT DB_ID()');
		const both = `SELECT database_id, is_auto_cleanup_on, retention_period, retention_period_units_desc
						FROM sys.change_tracking_databases WHERE database_id IN (${id1}, ${id2}) ORDER BY database_id`;

		/* From master, turn CT on in both and allow snapshot in the second. */
		await sql.exec(m, `ALTER DATABASE ${sql.q(d1.name)} SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 3 HOURS, AUTO_CLEANUP = OFF)`);
		await sql.exec(m, `ALTER DATABASE ${sql.q(d2.name)} SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON)`);
		await sql.exec(m, `ALTER DATABASE ${sql.q(d2.name)} SET ALLOW_SNAPSHOT_ISOLATION ON`);
		assert.equal(await sql.scalar(m, 'SELECT DB_NAME()'), 'master', 'the session stays in master');

		const expected = [[id1, false, 3, 'HOURS'], [id2, true, 2, 'DAYS']];
		rowsEqual(await sql.rows(m, both), expected, 'seen from master');
		rowsEqual(await sql.rows(d1.conn, both), expected, 'seen from the first database');
		rowsEqual(await sql.rows(d2.conn, both), expected, 'seen from the second database');
		rowsEqual(await sql.rows(m, `SELECT name, snapshot_isolation_state FROM sys.databases
									  WHERE database_id IN (${id1}, ${id2}) ORDER BY database_id`),
			[[d1.name, 0], [d2.name, 1]]);

		/* The setting took effect in the target database itself. */
		assert.notEqual(await sql.scalar(d1.conn, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()'), null);
		await sql.exec(d2.conn, 'CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY); INSERT INTO dbo.t VALUES (7);');
		rowsEqual(await sql.rows(d2.conn, 'SET TRANSACTION ISOLATION LEVEL SNAPSHOT; BEGIN TRAN; SELECT id FROM dbo.t; COMMIT;'), [[7]]);
		await sql.exec(d2.conn, 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');

		/* From the second database, change the first one's options, then turn it off. */
		await sql.exec(d2.conn, `ALTER DATABASE ${sql.q(d1.name)} SET CHANGE_TRACKING (CHANGE_RETENTION = 45 MINUTES)`);
		rowsEqual(await sql.rows(m, both), [[id1, false, 45, 'MINUTES'], [id2, true, 2, 'DAYS']]);
		await sql.exec(d2.conn, `ALTER DATABASE ${sql.q(d1.name)} SET CHANGE_TRACKING = OFF`);
		assert.equal(await sql.scalar(d2.conn, 'SELECT DB_NAME()'), d2.name);
		rowsEqual(await sql.rows(d1.conn, both), [[id2, true, 2, 'DAYS']]);
		assert.equal(await sql.scalar(d1.conn, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()'), null);

		/* Errors keep their numbers from another database: 5089, 911, 226. */
		errorNumber(await sql.error(m, `ALTER DATABASE ${sql.q(d1.name)} SET CHANGE_TRACKING = OFF`), 5089);
		errorNumber(await sql.error(m, `ALTER DATABASE ${sql.q(d1.name + '_none')} SET CHANGE_TRACKING = ON`), 911);
		errorNumber(await sql.error(m, `BEGIN TRAN; ALTER DATABASE ${sql.q(d1.name)} SET CHANGE_TRACKING = ON`), 226);
		await sql.exec(m, 'IF @@TRANCOUNT > 0 ROLLBACK');

		await sql.exec(m, `ALTER DATABASE ${sql.q(d2.name)} SET CHANGE_TRACKING = OFF`);
		rowsEqual(await sql.rows(m, both), []);
	}
	finally
	{
		await sql.close(m);
		await d1.drop();
		await d2.drop();
	}
});
