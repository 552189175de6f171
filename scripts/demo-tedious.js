// scripts/demo-tedious.js: the demo's Node client.  Connects with TLS to
// MSSQL_HOST:MSSQL_PORT, runs a parameterized query (sp_executesql) and
// prints the rows.  tedious comes from test/node_modules (test/package.json).
'use strict';

const path = require('node:path');
const { Connection, Request, TYPES } = require(path.join(__dirname, '..', 'test', 'node_modules', 'tedious'));

const conn = new Connection({
  server: process.env.MSSQL_HOST,
  authentication: {
    type: 'default',
    options: { userName: process.env.MSSQL_USER, password: process.env.MSSQL_PASSWORD },
  },
  options: {
    port: Number(process.env.MSSQL_PORT),
    database: process.env.MSSQL_DATABASE,
    encrypt: true,
    trustServerCertificate: true, // the demo's certificate is self-signed
  },
});

conn.connect((err) => {
  if (err) {
    console.error('tedious: connect failed:', err.message);
    process.exit(1);
  }
  console.log(`tedious: connected (TLS: ${conn.messageIo.tlsNegotiationComplete})`);
  const sql = 'SELECT id, customer, amount, status FROM dbo.orders WHERE status = @status ORDER BY id';
  console.log(`tedious: sp_executesql "${sql}" with @status = N'open'`);
  const req = new Request(sql, (err2, rowCount) => {
    if (err2) {
      console.error('tedious: query failed:', err2.message);
      process.exit(1);
    }
    console.log(`tedious: ${rowCount} row(s)`);
    conn.close();
  });
  req.addParameter('status', TYPES.NVarChar, 'open');
  req.on('row', (cols) => {
    console.log('  ' + JSON.stringify(Object.fromEntries(cols.map((c) => [c.metadata.colName, c.value]))));
  });
  conn.execSql(req);
});
