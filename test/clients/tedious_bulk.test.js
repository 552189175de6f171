// test/clients/tedious_bulk.test.js: bulk load (INSERT BULK + TDS bulk load
// data, packet type 0x07) through tedious's execBulkLoad, the path the npm
// mssql package's request.bulk() takes, against SQL Server or the stand-in.
//
// Checks typed values with NULLs (int, nvarchar, varchar, decimal, datetime2,
// varbinary(max), bit, uniqueidentifier), a load spread over many packets,
// a duplicate key failing the whole load, and a load inside a transaction
// undone by its rollback.
//
// Run: node --test test/clients/tedious_bulk.test.js   (MSSQL_* variables)
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Connection, Request, TYPES } = require('tedious');

const env = process.env;
const HOST = env.MSSQL_HOST || '127.0.0.1';
const PORT = Number(env.MSSQL_PORT || 1433);
const USER = env.MSSQL_USER || 'sa';
const PASSWORD = env.MSSQL_PASSWORD || 'Sim_Passw0rd!';
const DATABASE = env.MSSQL_DATABASE || 'master';

function connect(options = {}) {
  return new Promise((resolve, reject) => {
    const conn = new Connection({
      server: HOST,
      authentication: { type: 'default', options: { userName: USER, password: PASSWORD } },
      options: { port: PORT, database: DATABASE, encrypt: false, trustServerCertificate: true,
        connectTimeout: 60000, requestTimeout: 0, ...options },
    });
    conn.on('connect', (err) => (err ? reject(err) : resolve(conn)));
    conn.connect();
  });
}

function exec(conn, sql) {
  return new Promise((resolve, reject) => {
    const rows = [];
    const req = new Request(sql, (err) => (err ? reject(err) : resolve(rows)));
    req.on('row', (cols) => rows.push(cols.map((c) => c.value)));
    conn.execSqlBatch(req);
  });
}

function bulk(conn, table, columns, rows) {
  return new Promise((resolve, reject) => {
    const bl = conn.newBulkLoad(table, (err, n) => (err ? reject(err) : resolve(n)));
    for (const [name, type, opts] of columns) bl.addColumn(name, type, opts);
    conn.execBulkLoad(bl, rows);
  });
}

function tx(conn, what) {
  return new Promise((resolve, reject) => conn[what]((err) => (err ? reject(err) : resolve())));
}

const T = 'dbo.tedious_bulk';
const COLUMNS = [
  ['id', TYPES.Int, { nullable: false }],
  ['s', TYPES.NVarChar, { length: 20, nullable: true }],
  ['v', TYPES.VarChar, { length: 10, nullable: true }],
  ['d', TYPES.Decimal, { precision: 12, scale: 3, nullable: true }],
  ['t', TYPES.DateTime2, { scale: 3, nullable: true }],
  ['b', TYPES.VarBinary, { length: Infinity, nullable: true }],
  ['f', TYPES.Bit, { nullable: true }],
  ['g', TYPES.UniqueIdentifier, { nullable: true }],
];

test('tedious execBulkLoad', async (t) => {
  const conn = await connect({ packetSize: 512 });
  t.after(() => conn.close());
  await exec(conn, `IF OBJECT_ID('${T}') IS NOT NULL DROP TABLE ${T}`);
  await exec(conn, `CREATE TABLE ${T} (id int NOT NULL PRIMARY KEY, s nvarchar(20) NULL,
    v varchar(10) NULL, d decimal(12,3) NULL, t datetime2(3) NULL, b varbinary(max) NULL,
    f bit NULL, g uniqueidentifier NULL)`);

  await t.test('typed values and NULLs', async () => {
    const n = await bulk(conn, T, COLUMNS, [
      { id: 1, s: 'één ✓', v: 'café', d: 123456789.125, t: new Date('2024-02-29T23:59:59.997Z'),
        b: Buffer.from([0, 1, 255]), f: true, g: '6F9619FF-8B86-D011-B42D-00C04FC964FF' },
      { id: 2, s: null, v: null, d: null, t: null, b: null, f: null, g: null },
    ]);
    assert.equal(n, 2);
    const rows = await exec(conn, `SELECT id, s, v, CAST(d AS varchar(20)),
      CONVERT(varchar(30), t, 121), DATALENGTH(b), f, CAST(g AS char(36)) FROM ${T} ORDER BY id`);
    assert.deepEqual(rows, [
      [1, 'één ✓', 'café', '123456789.125', '2024-02-29 23:59:59.997', '3', true,
        '6F9619FF-8B86-D011-B42D-00C04FC964FF'],
      [2, null, null, null, null, null, null, null],
    ]);
  });

  await t.test('3000 rows over 512-byte packets', async () => {
    const rows = [];
    for (let i = 10; i < 3010; i++) rows.push({ id: i, s: `row ${i}`, v: 'x', d: i / 8, t: null, b: Buffer.alloc(i % 7, 7), f: i % 2 === 0, g: null });
    assert.equal(await bulk(conn, T, COLUMNS, rows), 3000);
    assert.deepEqual(await exec(conn, `SELECT COUNT(*), SUM(CAST(d AS decimal(18,3))), SUM(DATALENGTH(b)) FROM ${T} WHERE id >= 10`),
      [[3000, 566062.5, '9006']]);  // DATALENGTH of a (max) type is bigint
  });

  await t.test('a duplicate key fails the whole load', async () => {
    const rows = [{ id: 5000 }, { id: 5001 }, { id: 1 }].map((r) => ({ s: null, v: null, d: null, t: null, b: null, f: null, g: null, ...r }));
    await assert.rejects(bulk(conn, T, COLUMNS, rows), (err) => err.number === 2627);
    assert.deepEqual(await exec(conn, `SELECT COUNT(*) FROM ${T} WHERE id >= 5000`), [[0]]);
  });

  await t.test('inside a transaction, undone by its rollback', async () => {
    await tx(conn, 'beginTransaction');
    assert.equal(await bulk(conn, T, COLUMNS, [{ id: 6000, s: 'tx', v: null, d: null, t: null, b: null, f: null, g: null }]), 1);
    assert.deepEqual(await exec(conn, `SELECT COUNT(*) FROM ${T} WHERE id = 6000`), [[1]]);
    await tx(conn, 'rollbackTransaction');
    assert.deepEqual(await exec(conn, `SELECT COUNT(*) FROM ${T} WHERE id = 6000`), [[0]]);
  });

  await exec(conn, `DROP TABLE ${T}`);
});
