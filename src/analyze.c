/*-------------------------------------------------------------------------
 *
 * analyze.c
 *		ANALYZE of foreign tables: a random sample of the remote rows.
 *
 * ANALYZE needs targrows rows (300 x the statistics target) chosen at
 * random.  Reading the whole remote table and sampling locally moves every
 * row over the network; instead SQL Server is asked for a random part of
 * the rows, a little more than targrows, and a reservoir keeps exactly
 * targrows of them.  The size of that part comes from the remote row count:
 * sys.partitions for a table (the figure the planner uses), else, for a
 * view or the query option, SELECT COUNT_BIG(*).  A source of at most
 * targrows rows is read whole, as is everything with analyze_sampling
 * 'off'.
 *
 * How SQL Server picks the rows.  Two ways exist in T-SQL on SQL Server
 * 2016+ and Azure SQL:
 *
 *	- TABLESAMPLE SYSTEM (p PERCENT) picks whole 8 KB pages.  It reads only
 *	  the chosen pages, but Microsoft's documentation says what it costs:
 *	  the sample is random per page, not per row, the number of rows varies
 *	  (a small table may give none), rows that share a page come together
 *	  (a clustered index puts neighbouring keys and, usually, rows inserted
 *	  together on one page, which skews n_distinct and the most common
 *	  values), and it cannot be applied to views or derived tables, so not
 *	  to the query option.
 *	- A row-level Bernoulli filter, "WHERE (CHECKSUM(NEWID()) & 2147483647)
 *	  < k": NEWID() is new for every row, so each row is kept independently
 *	  with probability k / 2^31.  This is what the same documentation
 *	  recommends for "a random sample of individual rows".  SQL Server still
 *	  reads every row, but only the sample crosses the network and is
 *	  converted, which is where a foreign scan spends its time.
 *
 * We use the row filter: per-row randomness is what PostgreSQL's
 * statistics assume, it works for tables, views and queries alike, and it
 * never returns an empty sample for a non-empty table.  The expected sample
 * is targrows plus six standard deviations (and 10), so that it is almost
 * never short of targrows: at the default target that is 3 % more rows.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/sampling.h"

#include "mssql_cdc.h"

static int	mssql_acquire_sample_rows(Relation relation, int elevel,
									  HeapTuple *rows, int targrows,
									  double *totalrows,
									  double *totaldeadrows);

/* ANALYZE: sample rows with mssql_acquire_sample_rows (below) */
bool
mssqlAnalyzeForeignTable(Relation relation, AcquireSampleRowsFunc *func,
						 BlockNumber *totalpages)
{
	*func = mssql_acquire_sample_rows;
	*totalpages = 1;
	return true;
}

/*
 * The number of rows SQL Server should send for a sample of targrows out of
 * about remote_rows, as the filter's bound k (rows are kept with
 * probability k / 2^31); 0 when the whole source should be read.
 */
static uint32
sample_bound(double remote_rows, int targrows)
{
	double		want;
	double		k;

	if (remote_rows <= targrows)
		return 0;
	want = targrows + 6.0 * sqrt((double) targrows) + 10.0;
	k = ceil(want / remote_rows * 2147483648.0);
	if (k >= 2147483648.0 * 0.9)
		return 0;				/* nearly everything: no filter */
	return (uint32) Max(k, 1.0);
}

/*
 * Up to targrows rows into rows[] (heap tuples in the caller's context),
 * from a random part of the remote rows (see the head of this file) or
 * from all of them, sampled with a reservoir.  *totalrows is the remote
 * row count when a sample was asked for, else the number of rows read.
 */
static int
mssql_acquire_sample_rows(Relation relation, int elevel, HeapTuple *rows,
						  int targrows, double *totalrows, double *totaldeadrows)
{
	ForeignTable *table = GetForeignTable(RelationGetRelid(relation));
	UserMapping *user = mssql_get_user_mapping(relation->rd_rel->relowner, table->serverid);
	MssqlTableOptions topts;
	MssqlConn  *volatile conn = NULL;
	StringInfoData sql;
	List	   *retrieved;
	TupleDesc	tupdesc = RelationGetDescr(relation);
	int			numrows = 0;
	double		samplerows = 0;
	double		remote_rows = -1;
	uint32		sample_below = 0;
	MemoryContext row_cxt;
	MemoryContext caller_cxt = CurrentMemoryContext;

	mssql_get_table_options(RelationGetRelid(relation), &topts);
	initStringInfo(&sql);

	row_cxt = AllocSetContextCreate(CurrentMemoryContext, "mssql_cdc analyze row",
									ALLOCSET_SMALL_SIZES);

	conn = mssql_get_connection(user, 0);
	PG_TRY();
	{
		TdsConn    *tds;
		int			ncols;
		MssqlColumnConv *convs;
		int		   *attidx;
		Datum	   *values = palloc(sizeof(Datum) * tupdesc->natts);
		bool	   *nulls = palloc(sizeof(bool) * tupdesc->natts);
		ReservoirStateData rstate;
		double		rowstoskip = -1;
		ListCell   *lc;
		int			i = 0;
		TdsRowStatus r;

		/* how many rows are there? the catalog's figure, else a count */
		if (topts.analyze_sampling)
		{
			StringInfoData count;

			initStringInfo(&count);
			if (topts.query == NULL)
			{
				mssql_deparse_rowcount(&count, &topts);
				remote_rows = mssql_fetch_count(conn, count.data);
			}
			if (remote_rows < 0)
			{
				resetStringInfo(&count);
				mssql_deparse_count(&count, &topts);
				remote_rows = mssql_fetch_count(conn, count.data);
			}
			sample_below = sample_bound(remote_rows, targrows);
		}
		mssql_deparse_analyze(&sql, relation, &topts, sample_below, &retrieved);
		if (sample_below > 0)
			ereport(elevel,
					(errmsg("\"%s\": asking SQL Server for a random sample of about %.0f of its %.0f rows",
							RelationGetRelationName(relation),
							ceil(remote_rows * sample_below / 2147483648.0),
							remote_rows),
					 errdetail_internal("Remote SQL: %s", sql.data)));
		else if (remote_rows >= 0)
			ereport(elevel,
					(errmsg("\"%s\": reading all of its %.0f rows",
							RelationGetRelationName(relation), remote_rows),
					 errdetail_internal("Remote SQL: %s", sql.data)));
		else
			ereport(elevel,
					(errmsg("\"%s\": reading all of its rows",
							RelationGetRelationName(relation)),
					 errdetail_internal("Remote SQL: %s", sql.data)));

		ncols = list_length(retrieved);
		convs = palloc0(sizeof(MssqlColumnConv) * Max(ncols, 1));
		attidx = palloc(sizeof(int) * Max(ncols, 1));
		foreach(lc, retrieved)
			attidx[i++] = lfirst_int(lc) - 1;

		mssql_execute(conn, sql.data);
		tds = mssql_tds(conn);
		if (tds_next_result(tds) != TDS_RESULT_ROWS)
			mssql_report_error(ERROR, sql.data);
		for (i = 0; i < ncols; i++)
		{
			TdsColumnInfo ci;
			Form_pg_attribute att = TupleDescAttr(tupdesc, attidx[i]);

			if (!tds_column_info(tds, i + 1, &ci))
				mssql_report_error(ERROR, sql.data);
			mssql_init_column_conv(&convs[i], ci.type, att->atttypid,
								   att->atttypmod, NameStr(att->attname));
		}

		reservoir_init_selection_state(&rstate, targrows);
		while ((r = tds_next_row(tds)) == TDS_ROW_OK)
		{
			int			pos = -1;

			CHECK_FOR_INTERRUPTS();
			samplerows += 1;
			if (numrows < targrows)
				pos = numrows++;
			else
			{
				if (rowstoskip < 0)
					rowstoskip = reservoir_get_next_S(&rstate, samplerows, targrows);
				if (rowstoskip <= 0)
				{
					pos = (int) (targrows * sampler_random_fract(&rstate.randstate));
					heap_freetuple(rows[pos]);
				}
				rowstoskip -= 1;
			}
			if (pos < 0)
				continue;

			MemoryContextReset(row_cxt);
			MemoryContextSwitchTo(row_cxt);
			memset(nulls, true, sizeof(bool) * tupdesc->natts);
			for (i = 0; i < ncols; i++)
			{
				TdsValue	v;

				if (!tds_get_value(tds, i + 1, convs[i].ttype, &v))
					mssql_report_error(ERROR, sql.data);
				if (v.isnull)
					continue;
				values[attidx[i]] = mssql_value_to_datum(&convs[i], &v);
				nulls[attidx[i]] = false;
			}
			MemoryContextSwitchTo(caller_cxt);
			rows[pos] = heap_form_tuple(tupdesc, values, nulls);
		}
		if (r == TDS_ROW_ERROR)
			mssql_report_error(ERROR, sql.data);
		while (tds_next_result(tds) == TDS_RESULT_NOROWS)
			;
	}
	PG_FINALLY();
	{
		MemoryContextSwitchTo(caller_cxt);
		mssql_release_connection(conn);
	}
	PG_END_TRY();

	MemoryContextDelete(row_cxt);
	*totalrows = sample_below > 0 ? Max(remote_rows, samplerows) : samplerows;
	*totaldeadrows = 0;
	ereport(elevel,
			(errmsg("\"%s\": table contains %.0f rows, %d rows in sample",
					RelationGetRelationName(relation), *totalrows, numrows)));
	return numrows;
}
