'use strict';
/*
 * check.js
 *		Assertions over result sets: column names and types in order, then
 *		every row.  Buffers (binary columns) compare by content.
 */

const assert = require('node:assert/strict');

/*
 * Assert that a result set has exactly these columns, in order, each given
 * as "name type" (type spelled as lib/sql.js typeName() spells it).
 */
function columns(set, expected)
{
	const got = set.columns.map((c) => `${c.name} ${c.type}`);
	assert.deepEqual(got, expected, 'column names and types');
}

/* Normalise values so deepEqual works: Buffers to 0x..., Dates kept. */
function norm(v)
{
	if (Buffer.isBuffer(v))
		return '0x' + v.toString('hex').toUpperCase();
	return v;
}

/* Assert that a result set holds exactly these rows, in order. */
function rowsEqual(set, expected, msg)
{
	const rows = (Array.isArray(set) ? set : set.rows).map((r) => r.map(norm));
	assert.deepEqual(rows, expected.map((r) => r.map(norm)), msg);
}

/*
 * Assert that a SQL Server error carries this number (or one of several:
 * errors that come followed by a generic "statement failed" message have
 * the specific number first).
 */
function errorNumber(err, number)
{
	assert.ok(err.numbers, `not a SQL Server error: ${err.message}`);
	assert.equal(err.numbers[0], number, `expected error ${number}, got ${err.numbers.join(',')}: ${err.message}`);
}

module.exports = { columns, rowsEqual, errorNumber, norm, assert };
