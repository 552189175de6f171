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
