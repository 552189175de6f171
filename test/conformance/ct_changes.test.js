'use strict';
/*
 * Change Tracking: CHANGETABLE(CHANGES ...) and CHANGETABLE(VERSION ...)
 * results, net-change folding relative to the baseline, column masks and
 * change context.
 *
 * Follows:
 *   https://learn.microsoft.com/sql/relational-databases/system-functions/changetable-transact-sql
 *   https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-is-column-in-mask-transact-sql
 *   https://learn.microsoft.com/sql/relational-databases/system-functions/with-change-tracking-context-transact-sql
 *   https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-current-version-transact-sql
 *
 * Where Microsoft's pages leave a result open (marked UNCONFIRMED in
 * shared/reference/sqlserver-ct-cdc.md), the assertion runs only against the
 * stand-in, through chosen(), and the comment says which reading it pins.
 */

const { test } = require('node:test');
const sql = require('./lib/sql');
const { columns, rowsEqual, errorNumber, assert } = require('./lib/check');

async function ctDatabase(prefix)
{
	const db = await sql.createDatabase(prefix);
	await sql.exec(db.conn, `ALTER DATABASE ${sql.q(db.name)} SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON)`);
	return db;
}

async function version(c)
{
	return sql.scalar(c, 'SELECT CHANGE_TRACKING_CURRENT_VERSION()');
}

/*
 * Assert a reading Microsoft does not document, on the stand-in only.  On a
 * real server it prints what the server said, so the reading can be checked.
 */
function chosen(standIn, actual, expected, what)
{
	if (standIn)
		assert.deepEqual(actual, expected, what);
	else
		console.log(`# not pinned on a real server (${what}): got ${JSON.stringify(actual)}`);
}

const CHANGES_COLUMNS = [
	'SYS_CHANGE_VERSION bigint',
	'SYS_CHANGE_CREATION_VERSION bigint',
	'SYS_CHANGE_OPERATION nchar(1)',
	'SYS_CHANGE_COLUMNS varbinary(4100)',
	'SYS_CHANGE_CONTEXT varbinary(128)',
];

test('CHANGETABLE(CHANGES) shape with a composite key', async () => {
	const db = await ctDatabase('ctshape');
	try
	{
		const c = db.conn;
		/* The doc's Employees example: [Emp ID] and SSN form the key. */
		await sql.exec(c, `CREATE TABLE dbo.Employees (
				[Emp ID] int NOT NULL, SSN char(11) NOT NULL,
				FirstName nvarchar(50) NULL, LastName nvarchar(50) NULL,
				CONSTRAINT PK_Employees PRIMARY KEY ([Emp ID], SSN))`);
		await sql.exec(c, 'ALTER TABLE dbo.Employees ENABLE CHANGE_TRACKING');
		const v0 = await version(c);
		await sql.exec(c, "INSERT INTO dbo.Employees VALUES (7, '123-45-6789', N'Ann', N'Lee')");
		const v1 = await version(c);
		assert.ok(BigInt(v1) > BigInt(v0));

		const sets = await sql.exec(c, `SELECT * FROM CHANGETABLE(CHANGES dbo.Employees, ${v0}) AS C`);
		/* Key columns follow, in key order (= table order here). */
		columns(sets[0], [...CHANGES_COLUMNS, 'Emp ID int', 'SSN char(11)']);
		rowsEqual(sets[0], [[v1, v1, 'I', null, null, 7, '123-45-6789']]);

		/* Example B of the doc: named columns, a variable baseline. */
		rowsEqual(await sql.rows(c, `DECLARE @last_sync_version bigint;
				SET @last_sync_version = ${v0};
				SELECT [Emp ID], SSN, SYS_CHANGE_VERSION, SYS_CHANGE_OPERATION,
					   SYS_CHANGE_COLUMNS, SYS_CHANGE_CONTEXT
				FROM CHANGETABLE (CHANGES Employees, @last_sync_version) AS C`),
			[[7, '123-45-6789', v1, 'I', null, null]]);

		/* Example C: LEFT OUTER JOIN to the table. */
		rowsEqual(await sql.rows(c, `SELECT e.FirstName, e.LastName, c.[Emp ID], c.SSN,
					c.SYS_CHANGE_VERSION, c.SYS_CHANGE_OPERATION
				FROM CHANGETABLE (CHANGES Employees, ${v0}) AS c
					LEFT OUTER JOIN Employees AS e
						ON e.[Emp ID] = c.[Emp ID] AND e.SSN = c.SSN`),
			[['Ann', 'Lee', 7, '123-45-6789', v1, 'I']]);

		/* NULL baseline: every tracked change. */
		rowsEqual(await sql.rows(c,
			'SELECT [Emp ID], SYS_CHANGE_OPERATION FROM CHANGETABLE(CHANGES dbo.Employees, NULL) AS C'),
			[[7, 'I']]);

		/* A baseline at the current version: nothing. */
		rowsEqual(await sql.rows(c, `SELECT * FROM CHANGETABLE(CHANGES dbo.Employees, ${v1}) AS C`), []);

		/* No alias: 22104. */
		errorNumber(await sql.error(c, `SELECT * FROM CHANGETABLE(CHANGES dbo.Employees, ${v0})`), 22104);
	}
	finally
	{
		await db.drop();
	}
});

test('net changes are relative to the baseline (insert, update, delete, pk change)', async () => {
	const db = await ctDatabase('ctfold');
	try
	{
		const c = db.conn;
		const standIn = await sql.isStandIn(c);
		await sql.exec(c, `CREATE TABLE dbo.Emp (EmpID int NOT NULL PRIMARY KEY,
				Name nvarchar(50) NULL, Dept nvarchar(50) NULL, Salary int NULL)`);
		/* Rows 10 and 11 exist before tracking starts. */
		await sql.exec(c, "INSERT INTO dbo.Emp VALUES (10, N'Old', N'Ops', 10), (11, N'Older', N'Ops', 11)");
		await sql.exec(c, 'ALTER TABLE dbo.Emp ENABLE CHANGE_TRACKING WITH (TRACK_COLUMNS_UPDATED = ON)');
		const v0 = await version(c);

		/* vA: one transaction inserting three rows */
		await sql.exec(c, "INSERT INTO dbo.Emp VALUES (1, N'Ann', N'Dev', 100), (2, N'Bob', N'Dev', 200), (3, N'Cy', N'Ops', 300)");
		const vA = await version(c);
		/* vB: update one column of row 2 */
		await sql.exec(c, 'UPDATE dbo.Emp SET Salary = 250 WHERE EmpID = 2');
		const vB = await version(c);
		/* vC: delete row 3 */
		await sql.exec(c, 'DELETE FROM dbo.Emp WHERE EmpID = 3');
		const vC = await version(c);
		/* vD: one explicit transaction, two statements */
		await sql.exec(c, `BEGIN TRANSACTION;
				INSERT INTO dbo.Emp VALUES (4, N'Dee', N'Dev', 400);
				UPDATE dbo.Emp SET Dept = N'QA' WHERE EmpID = 1;
				UPDATE dbo.Emp SET Name = N'Olds' WHERE EmpID = 10;
				COMMIT TRANSACTION;`);
		const vD = await version(c);
		/* vE: delete row 4, inserted after vA */
		await sql.exec(c, 'DELETE FROM dbo.Emp WHERE EmpID = 4');
		const vE = await version(c);
		/* vF: change the key of row 11 to 12 */
		await sql.exec(c, 'UPDATE dbo.Emp SET EmpID = 12 WHERE EmpID = 11');
		const vF = await version(c);

		const all = [v0, vA, vB, vC, vD, vE, vF].map(BigInt);
		for (let i = 1; i < all.length; i++)
			assert.ok(all[i] > all[i - 1], 'one new version per committed transaction');

		/* A rolled-back transaction leaves no change and no version. */
		await sql.exec(c, 'BEGIN TRANSACTION; UPDATE dbo.Emp SET Salary = 0; ROLLBACK TRANSACTION;');
		assert.equal(await version(c), vF);

		const q = (base) => sql.rows(c, `SELECT EmpID, SYS_CHANGE_VERSION, SYS_CHANGE_OPERATION, SYS_CHANGE_CONTEXT
				FROM CHANGETABLE(CHANGES dbo.Emp, ${base}) AS ct ORDER BY EmpID`);
		const cre = (base) => sql.rows(c, `SELECT EmpID, SYS_CHANGE_CREATION_VERSION
				FROM CHANGETABLE(CHANGES dbo.Emp, ${base}) AS ct ORDER BY EmpID`);

		/*
		 * Baseline v0: rows inserted after it are I whatever happened later;
		 * rows that existed at v0 and were changed are U; a changed key is D
		 * of the old key plus I of the new one.  Row 4 was inserted and
		 * deleted after v0: UNCONFIRMED in the docs; the stand-in reports D
		 * (consumers treat a D for an unknown key as a no-op).
		 */
		const fromV0 = await q(v0);
		const expectV0 = [
			[1, vD, 'I', null],
			[2, vB, 'I', null],
			[3, vC, 'D', null],
			[4, vE, 'D', null],
			[10, vD, 'U', null],
			[11, vF, 'D', null],
			[12, vF, 'I', null],
		];
		rowsEqual(fromV0.filter((r) => r[0] !== 4), expectV0.filter((r) => r[0] !== 4));
		chosen(standIn, fromV0.filter((r) => r[0] === 4), [[4, vE, 'D', null]], 'insert+delete after baseline');

		/*
		 * SYS_CHANGE_CREATION_VERSION is "the version of the last insert":
		 * vA for rows inserted at vA.  Rows inserted before tracking began,
		 * and deleted rows, are not pinned by the docs; the stand-in gives
		 * NULL for a key with no tracked insert and keeps the insert's version
		 * for a key deleted afterwards.
		 */
		const creV0 = await cre(v0);
		rowsEqual(creV0.filter((r) => [1, 2, 12].includes(r[0])), [[1, vA], [2, vA], [12, vF]]);
		chosen(standIn, creV0.filter((r) => ![1, 2, 12].includes(r[0])),
			[[3, vA], [4, vD], [10, null], [11, null]], 'creation version of D rows and pre-tracking rows');

		/* Baseline vA: rows 1 and 2 existed, so they are now updates. */
		rowsEqual(await q(vA), [
			[1, vD, 'U', null],
			[2, vB, 'U', null],
			[3, vC, 'D', null],
			...(standIn ? [[4, vE, 'D', null]] : (await q(vA)).filter((r) => r[0] === 4)),
			[10, vD, 'U', null],
			[11, vF, 'D', null],
			[12, vF, 'I', null],
		]);

		/* Baseline vD: row 4 existed at vD and was deleted. */
		rowsEqual(await q(vD), [
			[4, vE, 'D', null],
			[11, vF, 'D', null],
			[12, vF, 'I', null],
		]);
		rowsEqual(await q(vF), []);

		/*
		 * Column masks, read back with CHANGE_TRACKING_IS_COLUMN_IN_MASK and
		 * column ids from sys.columns: each U row lists exactly the columns
		 * changed after the baseline; I and D rows have NULL.
		 */
		const colid = async (name) => sql.scalar(c,
			`SELECT column_id FROM sys.columns WHERE object_id = OBJECT_ID(N'dbo.Emp') AND name = N'${name}'`);
		const idName = await colid('Name');
		const idDept = await colid('Dept');
		const idSalary = await colid('Salary');
		const masks = await sql.rows(c, `SELECT EmpID, SYS_CHANGE_OPERATION,
					CASE WHEN SYS_CHANGE_COLUMNS IS NULL THEN 1 ELSE 0 END,
					CHANGE_TRACKING_IS_COLUMN_IN_MASK(${idName}, SYS_CHANGE_COLUMNS),
					CHANGE_TRACKING_IS_COLUMN_IN_MASK(${idDept}, SYS_CHANGE_COLUMNS),
					CHANGE_TRACKING_IS_COLUMN_IN_MASK(${idSalary}, SYS_CHANGE_COLUMNS)
				FROM CHANGETABLE(CHANGES dbo.Emp, ${vA}) AS ct
				WHERE SYS_CHANGE_OPERATION = N'U' ORDER BY EmpID`);
		rowsEqual(masks, [
			[1, 'U', 0, false, true, false],
			[2, 'U', 0, false, false, true],
			[10, 'U', 0, true, false, false],
		]);
		/* From vB, row 2's update is older than the baseline: gone. */
		rowsEqual(await sql.rows(c, `SELECT EmpID FROM CHANGETABLE(CHANGES dbo.Emp, ${vB}) AS ct
				WHERE SYS_CHANGE_OPERATION = N'U' ORDER BY EmpID`), [[1], [10]]);
		/* I and D rows carry no mask. */
		rowsEqual(await sql.rows(c, `SELECT COUNT(*) FROM CHANGETABLE(CHANGES dbo.Emp, ${v0}) AS ct
				WHERE SYS_CHANGE_OPERATION IN (N'I', N'D') AND SYS_CHANGE_COLUMNS IS NOT NULL`), [[0]]);
	}
	finally
	{
		await db.drop();
	}
});

test('all columns updated at once, delete then re-insert, TRACK_COLUMNS_UPDATED OFF', async () => {
	const db = await ctDatabase('ctall');
	try
	{
		const c = db.conn;
		await sql.exec(c, `CREATE TABLE dbo.a (id int NOT NULL PRIMARY KEY, x int NULL, y int NULL);
				CREATE TABLE dbo.b (id int NOT NULL PRIMARY KEY, x int NULL, y int NULL);
				INSERT INTO dbo.a VALUES (1, 1, 1), (2, 2, 2);
				INSERT INTO dbo.b VALUES (1, 1, 1);`);
		await sql.exec(c, `ALTER TABLE dbo.a ENABLE CHANGE_TRACKING WITH (TRACK_COLUMNS_UPDATED = ON);
				ALTER TABLE dbo.b ENABLE CHANGE_TRACKING WITH (TRACK_COLUMNS_UPDATED = OFF);`);
		const v0 = await version(c);
		/* Every non-key column in one statement: SYS_CHANGE_COLUMNS is NULL. */
		await sql.exec(c, 'UPDATE dbo.a SET x = 10, y = 10 WHERE id = 1');
		const v1 = await version(c);
		/* Delete, then insert the same key: an update (of all columns). */
		await sql.exec(c, 'DELETE FROM dbo.a WHERE id = 2');
		await sql.exec(c, 'INSERT INTO dbo.a VALUES (2, 20, 20)');
		const v3 = await version(c);
		/* Column tracking off: no mask even for a one-column update. */
		await sql.exec(c, 'UPDATE dbo.b SET x = 5 WHERE id = 1');
		const v4 = await version(c);

		rowsEqual(await sql.rows(c, `SELECT id, SYS_CHANGE_VERSION, SYS_CHANGE_OPERATION, SYS_CHANGE_COLUMNS
				FROM CHANGETABLE(CHANGES dbo.a, ${v0}) AS ct ORDER BY id`),
			[[1, v1, 'U', null], [2, v3, 'U', null]]);
		rowsEqual(await sql.rows(c, `SELECT id, SYS_CHANGE_VERSION, SYS_CHANGE_OPERATION, SYS_CHANGE_COLUMNS
				FROM CHANGETABLE(CHANGES dbo.b, ${v0}) AS ct`),
			[[1, v4, 'U', null]]);
		/* Each table reports only its own changes. */
		rowsEqual(await sql.rows(c, `SELECT COUNT(*) FROM CHANGETABLE(CHANGES dbo.b, ${v1}) AS ct`), [[1]]);
	}
	finally
	{
		await db.drop();
	}
});

test('WITH CHANGE_TRACKING_CONTEXT and CHANGETABLE(VERSION ...)', async () => {
	const db = await ctDatabase('ctctx');
	try
	{
		const c = db.conn;
		await sql.exec(c, `CREATE TABLE dbo.Product (ProductID int NOT NULL PRIMARY KEY, ListPrice int NULL);
				INSERT INTO dbo.Product VALUES (1, 10), (2, 20), (3, 30);`);
		await sql.exec(c, 'ALTER TABLE dbo.Product ENABLE CHANGE_TRACKING');
		const v0 = await version(c);

		/* The doc's example: a variable holding the context. */
		await sql.exec(c, `DECLARE @originator_id varbinary(128);
				SET @originator_id = CAST('MyApplicationID' AS varbinary(128));
				WITH CHANGE_TRACKING_CONTEXT (@originator_id)
				UPDATE dbo.Product SET ListPrice = 11 WHERE ProductID = 1;`);
		const v1 = await version(c);
		/* A constant context. */
		await sql.exec(c, 'WITH CHANGE_TRACKING_CONTEXT (0x0102) DELETE FROM dbo.Product WHERE ProductID = 2');
		const v2 = await version(c);

		const sets = await sql.exec(c, `SELECT ProductID, SYS_CHANGE_OPERATION, SYS_CHANGE_CONTEXT
				FROM CHANGETABLE(CHANGES dbo.Product, ${v0}) AS ct ORDER BY ProductID`);
		rowsEqual(sets[0], [
			[1, 'U', Buffer.from('MyApplicationID', 'latin1')],
			[2, 'D', Buffer.from([1, 2])],
		]);

		/* VERSION: SYS_CHANGE_VERSION, SYS_CHANGE_CONTEXT, then the key. */
		const vs = await sql.exec(c, 'SELECT * FROM CHANGETABLE(VERSION dbo.Product, (ProductID), (1)) AS ct');
		columns(vs[0], ['SYS_CHANGE_VERSION bigint', 'SYS_CHANGE_CONTEXT varbinary(128)', 'ProductID int']);
		rowsEqual(vs[0], [[v1, Buffer.from('MyApplicationID', 'latin1'), 1]]);
		/* Not changed since tracking began: NULL version. */
		rowsEqual(await sql.rows(c, 'SELECT * FROM CHANGETABLE(VERSION dbo.Product, (ProductID), (3)) AS ct'),
			[[null, null, 3]]);
		/* A key that does not exist: no row. */
		rowsEqual(await sql.rows(c, 'SELECT * FROM CHANGETABLE(VERSION dbo.Product, (ProductID), (99)) AS ct'), []);

	}
	finally
	{
		await db.drop();
	}
});

test('CHANGETABLE(VERSION) example A: initial synchronization with CROSS APPLY', async () => {
	const db = await ctDatabase('ctapply');
	try
	{
		const c = db.conn;
		await sql.exec(c, `CREATE TABLE dbo.Product (ProductID int NOT NULL PRIMARY KEY, ListPrice int NULL);
				INSERT INTO dbo.Product VALUES (1, 10), (3, 30);`);
		await sql.exec(c, 'ALTER TABLE dbo.Product ENABLE CHANGE_TRACKING');
		await sql.exec(c, 'UPDATE dbo.Product SET ListPrice = 11 WHERE ProductID = 1');
		const v1 = await version(c);
		/* Every current row with its version (NULL: unchanged since tracking began). */
		rowsEqual(await sql.rows(c, `SELECT p.ProductID, p.ListPrice, c.SYS_CHANGE_VERSION
				FROM dbo.Product AS p
				CROSS APPLY CHANGETABLE(VERSION dbo.Product, (ProductID), (p.ProductID)) AS c
				ORDER BY p.ProductID`),
			[[1, 11, v1], [3, 30, null]]);

		/* The doc's own form: a composite key, columns listed in another order. */
		await sql.exec(c, `CREATE TABLE dbo.Employees ([Emp ID] int NOT NULL, SSN char(11) NOT NULL,
				FirstName nvarchar(50) NULL, CONSTRAINT PK_Emp PRIMARY KEY ([Emp ID], SSN));
				INSERT INTO dbo.Employees VALUES (1, '111-11-1111', N'Ann'), (2, '222-22-2222', N'Bob');`);
		await sql.exec(c, 'ALTER TABLE dbo.Employees ENABLE CHANGE_TRACKING');
		await sql.exec(c, "UPDATE dbo.Employees SET FirstName = N'Bo' WHERE [Emp ID] = 2");
		const v2 = await version(c);
		rowsEqual(await sql.rows(c, `SELECT e.[Emp ID], e.SSN, e.FirstName, c.SYS_CHANGE_VERSION, c.SYS_CHANGE_CONTEXT
				FROM dbo.Employees AS e
				CROSS APPLY CHANGETABLE (VERSION dbo.Employees, (SSN, [Emp ID]), (e.SSN, e.[Emp ID])) AS c
				ORDER BY e.[Emp ID]`),
			[[1, '111-11-1111', 'Ann', null, null], [2, '222-22-2222', 'Bo', v2, null]]);
	}
	finally
	{
		await db.drop();
	}
});

test('CHANGETABLE(VERSION) example D: update only if unchanged since the last sync', async () => {
	const db = await ctDatabase('ctconfl');
	try
	{
		const c = db.conn;
		await sql.exec(c, `CREATE SCHEMA SalesLT`);
		await sql.exec(c, `CREATE TABLE SalesLT.Product (ProductID int NOT NULL PRIMARY KEY, ListPrice int NULL);
				INSERT INTO SalesLT.Product VALUES (1, 10), (2, 20);`);
		await sql.exec(c, 'ALTER TABLE SalesLT.Product ENABLE CHANGE_TRACKING');
		const v0 = await version(c);
		await sql.exec(c, 'UPDATE SalesLT.Product SET ListPrice = 11 WHERE ProductID = 1');
		const v1 = await version(c);
		const upd = (id) => sql.exec(c, `DECLARE @last_sync_version bigint = ${v0};
				UPDATE SalesLT.Product SET ListPrice = 99
				FROM SalesLT.Product AS P
				WHERE ProductID = ${id} AND
					@last_sync_version >= ISNULL(
						(SELECT CT.SYS_CHANGE_VERSION FROM
							CHANGETABLE(VERSION SalesLT.Product, (ProductID), (P.ProductID)) AS CT), 0);`);
		/* Row 1 changed after the baseline: a conflict, nothing updated. */
		assert.deepEqual((await upd(1)).rowCounts.slice(-1), [0]);
		assert.equal(await version(c), v1);
		/* Row 2 did not: updated. */
		assert.deepEqual((await upd(2)).rowCounts.slice(-1), [1]);
		rowsEqual(await sql.rows(c, 'SELECT ProductID, ListPrice FROM SalesLT.Product ORDER BY ProductID'), [[1, 11], [2, 99]]);
	}
	finally
	{
		await db.drop();
	}
});

/*
 * https://learn.microsoft.com/sql/relational-databases/system-functions/change-tracking-current-version-transact-sql
 * ("the version that is associated with the last committed transaction")
 */
test('one version per committed transaction, with two writers at once', async () => {
	const db = await ctDatabase('ctconc');
	try
	{
		const a = db.conn;
		const b = await db.open();
		await sql.exec(a, 'CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, w nchar(1) NOT NULL)');
		await sql.exec(a, 'ALTER TABLE dbo.t ENABLE CHANGE_TRACKING');
		const v0 = await version(a);
		const writer = async (c, tag, base) => {
			for (let i = 0; i < 20; i++)
				await sql.exec(c, `INSERT INTO dbo.t VALUES (${base + i}, N'${tag}')`);
		};
		/* Two connections commit 20 single-row transactions each, interleaved. */
		await Promise.all([writer(a, 'a', 0), writer(b, 'b', 100)]);
		/* Plus one transaction with two rows: one version for both. */
		await sql.exec(a, "BEGIN TRAN; INSERT INTO dbo.t VALUES (500, N'a'); INSERT INTO dbo.t VALUES (501, N'a'); COMMIT;");
		const vEnd = await version(a);
		const rows = await sql.rows(a, `SELECT id, SYS_CHANGE_VERSION FROM CHANGETABLE(CHANGES dbo.t, ${v0}) AS ct ORDER BY id`);
		assert.equal(rows.length, 42);
		const versions = rows.slice(0, 40).map((r) => BigInt(r[1]));
		assert.equal(new Set(versions.map(String)).size, 40, 'each transaction has its own version');
		for (const v of versions)
			assert.ok(v > BigInt(v0) && v < BigInt(vEnd));
		/* Each writer's own commits are in order. */
		for (const base of [0, 20])
			for (let i = base + 1; i < base + 20; i++)
				assert.ok(versions[i] > versions[i - 1]);
		rowsEqual(rows.slice(40), [[500, vEnd], [501, vEnd]]);
	}
	finally
	{
		await db.drop();
	}
});

/*
 * A column counts as updated when the UPDATE assigns it, also to the value
 * it already has: Microsoft's archived blog post "SQL Server 2008 Column
 * Change Tracking" (learn.microsoft.com/archive/blogs/davidhardin) shows a
 * column set to its own value reported in SYS_CHANGE_COLUMNS ("SQL appears
 * to just record that the column was involved in the update statement").
 * Columns not in the SET list are not reported, and compound assignment,
 * a qualified column and an alias target count like plain ones.
 */
test('SYS_CHANGE_COLUMNS: the columns the UPDATE assigned, even to the same value', async () => {
	const db = await ctDatabase('ctassign');
	try
	{
		const c = db.conn;
		await sql.exec(c, `CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, a int NULL, b int NULL, c int NULL);
						   ALTER TABLE dbo.t ENABLE CHANGE_TRACKING WITH (TRACK_COLUMNS_UPDATED = ON);
						   INSERT INTO dbo.t VALUES (1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3);`);
		const v = await version(c);
		await sql.exec(c, `UPDATE dbo.t SET a = a WHERE id = 1;
						   UPDATE x SET x.b += 0 FROM dbo.t AS x WHERE x.id = 2;
						   UPDATE dbo.t SET c = 30, a = a WHERE id = 3;`);
		const mask = (col) => `CHANGE_TRACKING_IS_COLUMN_IN_MASK(COLUMNPROPERTY(OBJECT_ID(N'dbo.t'), N'${col}', 'ColumnId'), ct.SYS_CHANGE_COLUMNS)`;
		rowsEqual(await sql.rows(c, `SELECT ct.id, ct.SYS_CHANGE_OPERATION, ${mask('a')}, ${mask('b')}, ${mask('c')}
									 FROM CHANGETABLE(CHANGES dbo.t, ${v}) AS ct ORDER BY ct.id`),
			[[1, 'U', true, false, false], [2, 'U', false, true, false], [3, 'U', true, false, true]]);
		/* The values themselves did not change, except c of row 3. */
		rowsEqual(await sql.rows(c, 'SELECT id, a, b, c FROM dbo.t ORDER BY id'), [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 30]]);
	}
	finally
	{
		await db.drop();
	}
});
