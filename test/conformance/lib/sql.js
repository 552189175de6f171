'use strict';
/*
 * sql.js
 *		Small helpers shared by the conformance tests: connect with tedious,
 *		run a batch and collect every result set with its metadata, capture
 *		SQL Server errors by number, and make a uniquely named database.
 *
 * Everything here sends plain T-SQL that a real SQL Server accepts, so the
 * suite runs unchanged against the stand-in (the default) or a real server
 * (MSSQL_HOST / MSSQL_PORT / MSSQL_USER / MSSQL_PASSWORD / MSSQL_ENCRYPT).
 */

const path = require('node:path');

function loadTedious()
{
	/*
	 * test/package.json pins tedious@19 (Node 20); it lives in
	 * test/node_modules.  Fall back to a normal resolution (NODE_PATH).
	 */
	try
	{
		return require(path.join(__dirname, '..', '..', 'node_modules', 'tedious'));
	}
	catch (e)
	{
		return require('tedious');
	}
}

const tedious = loadTedious();

const settings = {
	host: process.env.MSSQL_HOST || '127.0.0.1',
	port: parseInt(process.env.MSSQL_PORT || '51433', 10),
	user: process.env.MSSQL_USER || 'sa',
	password: process.env.MSSQL_PASSWORD || 'Sim_Passw0rd!',
	encrypt: process.env.MSSQL_ENCRYPT === 'true',
};

/*
 * Open a connection to the given database (master when omitted).  Resolves
 * to a tedious Connection; informational messages are collected on
 * conn.infos.  extra: more tedious connection options (e.g. appName).
 */
function connect(database, extra)
{
	return new Promise((resolve, reject) => {
		const conn = new tedious.Connection({
			server: settings.host,
			authentication: {
				type: 'default',
				options: { userName: settings.user, password: settings.password },
			},
			options: {
				port: settings.port,
				database: database || 'master',
				encrypt: settings.encrypt,
				trustServerCertificate: true,
				rowCollectionOnRequestCompletion: false,
				useColumnNames: false,
				requestTimeout: 120000,
				connectTimeout: 30000,
				...(extra || {}),
			},
		});
		conn.infos = [];
		conn.on('infoMessage', (m) => conn.infos.push(m));
		conn.on('error', () => {});
		conn.connect((err) => (err ? reject(err) : resolve(conn)));
	});
}

function close(conn)
{
	return new Promise((resolve) => {
		if (!conn || conn.closed)
			return resolve();
		conn.on('end', () => resolve());
		conn.close();
	});
}

/*
 * Normalise tedious column metadata to a T-SQL type spelling, so a test can
 * say "bigint" or "varbinary(4100)" whatever wire type (fixed or nullable
 * variant) the server chose.
 */
function typeName(col)
{
	const t = col.type.name;
	const len = col.dataLength;
	switch (t)
	{
		case 'IntN':
			return { 1: 'tinyint', 2: 'smallint', 4: 'int', 8: 'bigint' }[len];
		case 'TinyInt': return 'tinyint';
		case 'SmallInt': return 'smallint';
		case 'Int': return 'int';
		case 'BigInt': return 'bigint';
		case 'Bit':
		case 'BitN': return 'bit';
		case 'FloatN': return len === 4 ? 'real' : 'float';
		case 'Float': return 'float';
		case 'Real': return 'real';
		case 'DateTime': return 'datetime';
		case 'SmallDateTime': return 'smalldatetime';
		case 'DateTimeN': return len === 4 ? 'smalldatetime' : 'datetime';
		case 'MoneyN': return len === 4 ? 'smallmoney' : 'money';
		case 'DecimalN':
		case 'Decimal':
			return `decimal(${col.precision},${col.scale})`;
		case 'NumericN':
		case 'Numeric':
			return `numeric(${col.precision},${col.scale})`;
		case 'DateTime2': return `datetime2(${col.scale})`;
		case 'Time': return `time(${col.scale})`;
		case 'DateTimeOffset': return `datetimeoffset(${col.scale})`;
		case 'Date': return 'date';
		case 'UniqueIdentifier': return 'uniqueidentifier';
		case 'NVarChar':
			return len === 0xFFFF ? 'nvarchar(max)' : `nvarchar(${len / 2})`;
		case 'NChar': return `nchar(${len / 2})`;
		case 'VarChar':
			return len === 0xFFFF ? 'varchar(max)' : `varchar(${len})`;
		case 'Char': return `char(${len})`;
		case 'VarBinary':
			return len === 0xFFFF ? 'varbinary(max)' : `varbinary(${len})`;
		case 'Binary': return `binary(${len})`;
		default:
			return t;
	}
}

/*
 * Run one batch.  Resolves to an array of result sets, each
 * { columns: [{name, type}], rows: [[value, ...]] }, plus .rowCounts (one per
 * DONE that carried a count).  Rejects with the first SQL Server error
 * (err.number, err.message) when the batch raised one.
 */
function exec(conn, sql, params)
{
	return new Promise((resolve, reject) => {
		const sets = [];
		const rowCounts = [];
		let current = null;
		const req = new tedious.Request(sql, (err) => {
			if (err)
			{
				/*
				 * Several ERROR tokens (5088 then 5069, say) arrive as an
				 * AggregateError: .number is the first, .numbers all.
				 */
				const all = err.errors ? err.errors : [err];
				err.numbers = all.map((e) => e.number);
				err.number = err.numbers[0];
				err.sets = sets;
				return reject(err);
			}
			sets.rowCounts = rowCounts;
			resolve(sets);
		});
		req.on('columnMetadata', (cols) => {
			current = {
				columns: cols.map((c) => ({ name: c.colName, type: typeName(c) })),
				rows: [],
			};
			sets.push(current);
		});
		req.on('row', (cols) => {
			current.rows.push(cols.map((c) => c.value));
		});
		req.on('doneInProc', (rc) => { if (rc !== undefined) rowCounts.push(rc); });
		req.on('done', (rc) => { if (rc !== undefined) rowCounts.push(rc); });
		if (params)
		{
			for (const p of params)
				req.addParameter(p.name, p.type, p.value, p.options);
			conn.execSql(req);
		}
		else
			conn.execSqlBatch(req);
	});
}

/* Run a batch and return the rows of its only (or last) result set. */
async function rows(conn, sql)
{
	const sets = await exec(conn, sql);
	if (sets.length === 0)
		return [];
	return sets[sets.length - 1].rows;
}

/* Run a batch that must return one value; return it. */
async function scalar(conn, sql)
{
	const r = await rows(conn, sql);
	if (r.length !== 1 || r[0].length !== 1)
		throw new Error(`expected one value from: ${sql}\ngot ${JSON.stringify(r)}`);
	return r[0][0];
}

/*
 * Run a batch that must fail; resolve to the error (with .number).  Rejects
 * if the batch succeeded.
 */
async function error(conn, sql)
{
	try
	{
		await exec(conn, sql);
	}
	catch (e)
	{
		return e;
	}
	throw new Error(`batch succeeded but an error was expected: ${sql}`);
}

/* [name] quoting, ']' doubled. */
function q(name)
{
	return '[' + String(name).replace(/]/g, ']]') + ']';
}

/* N'...' literal, quote doubled. */
function lit(s)
{
	return "N'" + String(s).replace(/'/g, "''") + "'";
}

/* 0x... literal of a Buffer (for LSNs). */
function hex(buf)
{
	return '0x' + Buffer.from(buf).toString('hex').toUpperCase();
}

let dbCounter = 0;

/*
 * Create a database with a unique name for one test and return
 * { name, conn, open(), drop() }: conn is connected to it; open() gives
 * further connections; drop() closes them all and drops the database.
 */
async function createDatabase(prefix)
{
	const name = `conf_${prefix}_${process.pid}_${Date.now().toString(36)}_${++dbCounter}`;
	const master = await connect('master');
	try
	{
		await exec(master, `CREATE DATABASE ${q(name)}`);
	}
	finally
	{
		await close(master);
	}
	const opened = [];
	const db = {
		name,
		async open()
		{
			const c = await connect(name);
			opened.push(c);
			return c;
		},
		async drop()
		{
			for (const c of opened)
				await close(c);
			const m = await connect('master');
			try
			{
				await exec(m, `DROP DATABASE ${q(name)}`);
			}
			catch (e)
			{
				/* best effort: a leftover database does not affect results */
			}
			finally
			{
				await close(m);
			}
		},
	};
	db.conn = await db.open();
	return db;
}

/*
 * True when the server is the mssql_cdc stand-in: it has the test-only
 * control procedure sim_test.is_stand_in.  A real server answers 2812
 * (could not find stored procedure).
 */
async function isStandIn(conn)
{
	try
	{
		await exec(conn, 'EXEC sim_test.is_stand_in');
		return true;
	}
	catch (e)
	{
		if (e.number === 2812)
			return false;
		throw e;
	}
}

/*
 * Wait until the CDC change table cdc.<ci>_CT holds at least `count` rows.
 * On a real server the capture job reads the log asynchronously; the
 * stand-in captures at commit, so this returns at once there.
 */
async function waitForCapture(conn, ci, count, timeoutMs)
{
	const deadline = Date.now() + (timeoutMs || 120000);
	for (;;)
	{
		const n = await scalar(conn, `SELECT COUNT(*) FROM cdc.${q(ci + '_CT')}`);
		if (n >= count)
			return n;
		if (Date.now() > deadline)
			throw new Error(`capture of ${ci} did not reach ${count} rows (has ${n})`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

module.exports = {
	tedious, settings, connect, close, exec, rows, scalar, error, q, lit, hex,
	createDatabase, isStandIn, waitForCapture, typeName,
};
