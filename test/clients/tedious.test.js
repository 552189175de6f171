// test/clients/tedious.test.js: the Node driver tedious (19.x, pinned in
// test/package.json) against SQL Server or the stand-in.
//
// Connects with and without TLS, runs sp_executesql with typed parameters
// (what tedious's execSql sends), and reads dbo.all_types
// (test/clients/alltypes.sql, loaded here through tedious itself), checking
// every value and the column metadata the server announced.
//
// Run: node --test test/clients/   (connection from MSSQL_* variables)
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Connection, Request, TYPES } = require('tedious');

const env = process.env;
const HOST = env.MSSQL_HOST || '127.0.0.1';
const PORT = Number(env.MSSQL_PORT || 1433);
const USER = env.MSSQL_USER || 'sa';
const PASSWORD = env.MSSQL_PASSWORD || 'Sim_Passw0rd!';
const DATABASE = env.MSSQL_DATABASE || 'master';
const SIM = env.MSSQL_SIM === '1';
const DB = 'mssql_cdc_clients';

// Open a connection; resolves with it once logged in.
function connect(options = {}, port = PORT, password = PASSWORD) {
  return new Promise((resolve, reject) => {
    const conn = new Connection({
      server: HOST,
      authentication: { type: 'default', options: { userName: USER, password } },
      options: {
        port,
        database: DATABASE,
        encrypt: false,
        trustServerCertificate: true,
        connectTimeout: 60000,
        requestTimeout: 0, // no wall-clock limit on statements
        ...options,
      },
    });
    conn.on('error', () => {}); // reported through connect's callback
    conn.connect((err) => (err ? reject(err) : resolve(conn)));
  });
}

function close(conn) {
  return new Promise((resolve) => {
    if (conn.closed) return resolve();
    conn.on('end', resolve);
    conn.close();
  });
}

// Run sql (a batch, or sp_executesql when params are given).  Resolves with
// { rows: [ {col: value} ], columns: [metadata] } of the last result set.
function run(conn, sql, params = []) {
  return new Promise((resolve, reject) => {
    let columns = [];
    let rows = [];
    const req = new Request(sql, (err) => (err ? reject(err) : resolve({ rows, columns })));
    req.on('columnMetadata', (cols) => {
      columns = cols;
      rows = [];
    });
    req.on('row', (cols) => {
      const row = {};
      for (const c of cols) row[c.metadata.colName] = c.value;
      rows.push(row);
    });
    for (const [name, type, value, opts] of params) req.addParameter(name, type, value, opts);
    if (params.length) conn.execSql(req);
    else conn.execSqlBatch(req);
  });
}

// Load a GO-separated T-SQL file; errors whose number is in `allowed` are
// expected (1801 database exists, 3701 table does not exist).
async function loadFile(conn, file, allowed) {
  const text = fs.readFileSync(file, 'utf8');
  for (const batch of text.split(/^\s*GO\s*$/im)) {
    if (!batch.replace(/--.*$/gm, '').trim()) continue;
    try {
      await run(conn, batch);
    } catch (err) {
      if (!allowed.includes(err.number)) throw err;
    }
  }
}

test('encrypt: false logs in without TLS and runs a batch', async () => {
  const conn = await connect({ encrypt: false });
  try {
    assert.equal(conn.messageIo.tlsNegotiationComplete, false);
    const { rows } = await run(conn, "SELECT 1 + 1 AS two, N'héllo' AS greeting, DB_NAME() AS db");
    assert.deepEqual(rows, [{ two: 2, greeting: 'héllo', db: DATABASE }]);
  } finally {
    await close(conn);
  }
});

test('encrypt: true negotiates TLS and runs a batch', async () => {
  const conn = await connect({ encrypt: true, trustServerCertificate: true });
  try {
    assert.equal(conn.messageIo.tlsNegotiationComplete, true);
    const { rows } = await run(conn, 'SELECT 42 AS answer');
    assert.deepEqual(rows, [{ answer: 42 }]);
  } finally {
    await close(conn);
  }
});

test('a wrong password is refused with "Login failed"', async () => {
  await assert.rejects(connect({}, PORT, 'Wrong_Passw0rd!x'), (err) => {
    assert.equal(err.code, 'ELOGIN');
    assert.match(err.message, new RegExp(`Login failed for user '${USER}'`));
    return true;
  });
});

test('stand-in with --force-encryption: TLS works, encrypt: false is refused',
  { skip: !SIM && 'only with the stand-in (MSSQL_SIM=1)' }, async () => {
    const port = Number(env.MSSQL_SIM_FORCE_TLS_PORT);
    const conn = await connect({ encrypt: true }, port);
    try {
      assert.equal(conn.messageIo.tlsNegotiationComplete, true);
      const { rows } = await run(conn, "SELECT N'über TLS' AS s");
      assert.deepEqual(rows, [{ s: 'über TLS' }]);
    } finally {
      await close(conn);
    }
    // Negative: the server requires encryption and the client will not.
    await assert.rejects(connect({ encrypt: false }, port), /requires encryption/);
  });

test('sp_executesql with typed parameters round-trips every value', async () => {
  const conn = await connect({ encrypt: true });
  try {
    const long = 'ÄÖÜ-'.repeat(5000); // 20,000 characters: nvarchar(max), PLP both ways
    const when = new Date(Date.UTC(2024, 1, 29, 13, 45, 30, 123));
    const bytes = Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xff]);
    const { rows, columns } = await run(conn,
      'SELECT @i AS i, @s AS s, @long AS long, LEN(@long) AS long_len, @d AS d, ' +
      '@dt AS dt, @g AS g, @b AS b, @n AS n', [
        ['i', TYPES.Int, -42],
        ['s', TYPES.NVarChar, 'Grüße, 世界'],
        ['long', TYPES.NVarChar, long, { length: Infinity }],
        ['d', TYPES.Decimal, 12345.6789, { precision: 18, scale: 4 }],
        ['dt', TYPES.DateTime2, when, { scale: 7 }],
        ['g', TYPES.UniqueIdentifier, '6F9619FF-8B86-D011-B42D-00C04FC964FF'],
        ['b', TYPES.VarBinary, bytes],
        ['n', TYPES.Int, null],
      ]);
    assert.equal(rows.length, 1);
    const r = rows[0];
    assert.equal(r.i, -42);
    assert.equal(r.s, 'Grüße, 世界');
    assert.equal(Number(r.long_len), 20000); // LEN(nvarchar(max)) is bigint
    assert.equal(r.long.length, long.length);
    assert.ok(r.long === long, 'nvarchar(max) parameter came back unchanged');
    assert.equal(r.d, 12345.6789);
    assert.equal(r.dt.toISOString(), '2024-02-29T13:45:30.123Z');
    assert.equal(r.g, '6F9619FF-8B86-D011-B42D-00C04FC964FF');
    assert.deepEqual(r.b, bytes);
    assert.equal(r.n, null);
    const types = Object.fromEntries(columns.map((c) => [c.colName, c.type.name]));
    assert.deepEqual(types, {
      i: 'IntN', s: 'NVarChar', long: 'NVarChar', long_len: 'IntN', d: 'DecimalN',
      dt: 'DateTime2', g: 'UniqueIdentifier', b: 'VarBinary', n: 'IntN',
    });
  } finally {
    await close(conn);
  }
});

// Expected content of dbo.all_types (see alltypes.sql).
const VARCHAR_MAX = 'abcdefghij'.repeat(1000);
const NVARCHAR_MAX = 'Ωμέγα-'.repeat(1000);
const VARBINARY_MAX = Buffer.from(Array.from({ length: 10240 }, (_, i) => i % 256));

// Date with tedious's sub-millisecond remainder (nanosecondsDelta, seconds).
function at(iso, nanosecondsDelta = 0) {
  return { iso, nanosecondsDelta };
}
const ROWS = [
  {
    id: 1, c_bit: true, c_tinyint: 255, c_smallint: -32768, c_int: 2147483647,
    c_bigint: '9223372036854775807',
    c_decimal: 12345678901234.5678, c_numeric: -1234567890123456789012345678.0123456789,
    c_money: 922337203685477.5807, c_smallmoney: -214748.3648,
    c_float: 3.141592653589793, c_real: Math.fround(3.14),
    c_date: at('2024-02-29T00:00:00.000Z'),
    c_time: at('1970-01-01T13:45:30.123Z', 0.0004567),
    c_time0: at('1970-01-01T23:59:59.000Z'),
    c_datetime: at('2024-02-29T13:45:30.997Z'),
    c_datetime2: at('2024-02-29T13:45:30.123Z', 0.0004567),
    c_datetime2_2: at('2024-02-29T13:45:30.120Z'),
    c_smalldatetime: at('2024-02-29T13:46:00.000Z'),
    c_dto: at('2024-02-29T08:15:30.123Z', 0.0004567), // +05:30 → UTC
    c_dto0: at('2024-03-01T07:59:59.000Z'), // -08:00 → UTC
    c_char: 'abc       ', c_varchar: 'café, naïve', c_varchar_max: VARCHAR_MAX,
    c_nchar: 'ñandú     ', c_nvarchar: 'Grüße, 世界 🌍', c_nvarchar_max: NVARCHAR_MAX,
    c_text: 'legacy text', c_ntext: 'legacy ntext ü',
    c_binary: Buffer.from('DEADBEEF', 'hex'), c_varbinary: Buffer.from('0001FF', 'hex'),
    c_varbinary_max: VARBINARY_MAX, c_image: Buffer.from('89504E470D0A1A0A', 'hex'),
    c_uuid: '6F9619FF-8B86-D011-B42D-00C04FC964FF', c_xml: '<a b="1"><c>text</c></a>',
  },
  { id: 2 }, // every nullable column NULL
  {
    id: 3, c_bit: false, c_tinyint: 0, c_smallint: 32767, c_int: -2147483648,
    c_bigint: '-9223372036854775808',
    c_decimal: 0, c_numeric: 0.0000000001,
    c_money: -922337203685477.5808, c_smallmoney: 214748.3647,
    c_float: -1.5e300, c_real: Math.fround(1.5e38),
    c_date: at('0001-01-01T00:00:00.000Z'),
    c_time: at('1970-01-01T00:00:00.000Z'),
    c_time0: at('1970-01-01T00:00:00.000Z'),
    c_datetime: at('1753-01-01T00:00:00.000Z'),
    c_datetime2: at('9999-12-31T23:59:59.999Z', 0.0009999),
    c_datetime2_2: at('0001-01-01T00:00:00.000Z'),
    c_smalldatetime: at('1900-01-01T00:00:00.000Z'),
    c_dto: at('9999-12-31T23:59:59.999Z', 0.0009999),
    c_dto0: at('1999-12-31T10:00:00.000Z'), // +14:00 → UTC
    c_char: '          ', c_varchar: '', c_varchar_max: '',
    c_nchar: '          ', c_nvarchar: '', c_nvarchar_max: '',
    c_text: '', c_ntext: '',
    c_binary: Buffer.alloc(4), c_varbinary: Buffer.alloc(0),
    c_varbinary_max: Buffer.alloc(0), c_image: Buffer.alloc(0),
    c_uuid: '00000000-0000-0000-0000-000000000000', c_xml: '',
  },
];

// Values that JavaScript numbers cannot hold exactly, compared within the
// precision of a double (tedious computes them in floating point).
const APPROX = new Set(['c_decimal', 'c_numeric', 'c_money']);

// What the server must announce for each column: tedious type name, then
// the length / precision / scale that matter for it.
const METADATA = {
  c_bit: ['BitN', { dataLength: 1 }],
  c_tinyint: ['IntN', { dataLength: 1 }],
  c_smallint: ['IntN', { dataLength: 2 }],
  c_int: ['IntN', { dataLength: 4 }],
  c_bigint: ['IntN', { dataLength: 8 }],
  c_decimal: ['DecimalN', { precision: 18, scale: 4 }],
  c_numeric: ['NumericN', { precision: 38, scale: 10 }],
  c_money: ['MoneyN', { dataLength: 8 }],
  c_smallmoney: ['MoneyN', { dataLength: 4 }],
  c_float: ['FloatN', { dataLength: 8 }],
  c_real: ['FloatN', { dataLength: 4 }],
  c_date: ['Date', {}],
  c_time: ['Time', { scale: 7 }],
  c_time0: ['Time', { scale: 0 }],
  c_datetime: ['DateTimeN', { dataLength: 8 }],
  c_datetime2: ['DateTime2', { scale: 7 }],
  c_datetime2_2: ['DateTime2', { scale: 2 }],
  c_smalldatetime: ['DateTimeN', { dataLength: 4 }],
  c_dto: ['DateTimeOffset', { scale: 7 }],
  c_dto0: ['DateTimeOffset', { scale: 0 }],
  c_char: ['Char', { dataLength: 10 }],
  c_varchar: ['VarChar', { dataLength: 50 }],
  c_varchar_max: ['VarChar', { dataLength: 65535 }],
  c_nchar: ['NChar', { dataLength: 20 }],
  c_nvarchar: ['NVarChar', { dataLength: 100 }],
  c_nvarchar_max: ['NVarChar', { dataLength: 65535 }],
  c_text: ['Text', {}],
  c_ntext: ['NText', {}],
  c_binary: ['Binary', { dataLength: 4 }],
  c_varbinary: ['VarBinary', { dataLength: 50 }],
  c_varbinary_max: ['VarBinary', { dataLength: 65535 }],
  c_image: ['Image', {}],
  c_uuid: ['UniqueIdentifier', {}],
  c_xml: ['Xml', {}],
  c_rowversion: ['Binary', { dataLength: 8 }],
};

test('dbo.all_types: every type read back as inserted', async () => {
  const conn = await connect({ encrypt: true });
  let result;
  try {
    await loadFile(conn, path.join(__dirname, 'alltypes.sql'), [1801, 3701]);
    result = await run(conn, `SELECT * FROM ${DB}.dbo.all_types ORDER BY id`);
  } finally {
    await close(conn);
  }
  const { rows, columns } = result;

  const names = columns.map((c) => c.colName);
  assert.deepEqual(names, ['id', ...Object.keys(METADATA)], 'column order');
  for (const c of columns) {
    if (c.colName === 'id') continue;
    const [typeName, props] = METADATA[c.colName];
    assert.equal(c.type.name, typeName, `${c.colName}: type`);
    for (const [k, v] of Object.entries(props)) assert.equal(c[k], v, `${c.colName}: ${k}`);
    assert.ok(c.flags & 0x01 || c.colName === 'c_rowversion', `${c.colName}: nullable flag`);
  }

  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((r) => r.id), [1, 2, 3]);
  for (let i = 0; i < ROWS.length; i++) {
    const want = ROWS[i];
    const got = rows[i];
    for (const name of Object.keys(METADATA)) {
      if (name === 'c_rowversion') continue;
      const where = `row ${want.id}, ${name}`;
      const w = want[name] === undefined ? null : want[name];
      const g = got[name];
      if (w === null) {
        assert.equal(g, null, where);
      } else if (w && w.iso) {
        assert.ok(g instanceof Date, `${where}: a Date`);
        assert.equal(g.toISOString(), w.iso, where);
        const delta = g.nanosecondsDelta || 0;
        assert.ok(Math.abs(delta - w.nanosecondsDelta) < 1e-10,
          `${where}: nanosecondsDelta ${delta}, expected ${w.nanosecondsDelta}`);
      } else if (Buffer.isBuffer(w)) {
        assert.ok(Buffer.isBuffer(g), `${where}: a Buffer`);
        assert.ok(g.equals(w), `${where}: ${g.length} bytes, expected ${w.length}`);
      } else if (APPROX.has(name)) {
        assert.equal(typeof g, 'number', where);
        assert.ok(Math.abs(g - w) <= Math.abs(w) * 1e-14, `${where}: ${g}, expected ${w}`);
      } else if (typeof w === 'string' && w.length > 100) {
        assert.ok(g === w, `${where}: ${g && g.length} characters, expected ${w.length}`);
      } else {
        assert.equal(g, w, where);
      }
    }
  }

  // rowversion: 8 bytes, never NULL, different on every row.
  const versions = rows.map((r) => r.c_rowversion);
  for (const v of versions) assert.ok(Buffer.isBuffer(v) && v.length === 8);
  assert.equal(new Set(versions.map((v) => v.toString('hex'))).size, 3);
});

test('sp_executesql parameter in a WHERE clause selects the matching row', async () => {
  const conn = await connect({ encrypt: false, database: DB });
  try {
    const { rows } = await run(conn,
      'SELECT id, c_nvarchar FROM dbo.all_types WHERE c_int = @v ORDER BY id',
      [['v', TYPES.Int, -2147483648]]);
    assert.deepEqual(rows, [{ id: 3, c_nvarchar: '' }]);
  } finally {
    await close(conn);
  }
});

test('transaction manager savepoints: saveTransaction / rollbackTransaction(name)', async () => {
  const conn = await connect({ encrypt: false });
  const tx = (what, ...args) => new Promise((resolve, reject) =>
    conn[what]((err) => (err ? reject(err) : resolve()), ...args));
  try {
    await run(conn, 'CREATE TABLE #tm_sp (n int)');
    await tx('beginTransaction');
    await run(conn, 'INSERT #tm_sp VALUES (1)');
    await tx('saveTransaction', 'sp1');
    await run(conn, 'INSERT #tm_sp VALUES (2)');
    await tx('rollbackTransaction', 'sp1');
    assert.deepEqual((await run(conn, 'SELECT @@TRANCOUNT AS tc')).rows, [{ tc: 1 }]);
    await tx('commitTransaction');
    const { rows } = await run(conn, 'SELECT n FROM #tm_sp ORDER BY n');
    assert.deepEqual(rows, [{ n: 1 }]);
  } finally {
    await close(conn);
  }
});
