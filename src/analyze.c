/*-------------------------------------------------------------------------
 *
 * analyze.c
 *		ANALYZE of foreign tables: a random sample of the remote rows.
 *
 * The remote table is read once (SELECT of every column); rows are
 * converted in a context reset for every sampled row.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

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
 * Reservoir sampling over a full remote scan: up to targrows rows into
 * rows[] (heap tuples in the caller's context); *totalrows is the number of
 * rows SQL Server returned.
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
	MemoryContext row_cxt;
	MemoryContext caller_cxt = CurrentMemoryContext;

	mssql_get_table_options(RelationGetRelid(relation), &topts);
	initStringInfo(&sql);
	mssql_deparse_analyze(&sql, relation, &topts, &retrieved);

	row_cxt = AllocSetContextCreate(CurrentMemoryContext, "mssql_cdc analyze row",
									ALLOCSET_SMALL_SIZES);

	conn = mssql_get_connection(user, 0);
	PG_TRY();
	{
		TdsConn    *tds;
		int			ncols = list_length(retrieved);
		MssqlColumnConv *convs = palloc0(sizeof(MssqlColumnConv) * Max(ncols, 1));
		int		   *attidx = palloc(sizeof(int) * Max(ncols, 1));
		Datum	   *values = palloc(sizeof(Datum) * tupdesc->natts);
		bool	   *nulls = palloc(sizeof(bool) * tupdesc->natts);
		ReservoirStateData rstate;
		double		rowstoskip = -1;
		ListCell   *lc;
		int			i = 0;
		TdsRowStatus r;

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
	*totalrows = samplerows;
	*totaldeadrows = 0;
	ereport(elevel,
			(errmsg("\"%s\": table contains %.0f rows, %d rows in sample",
					RelationGetRelationName(relation), samplerows, numrows)));
	return numrows;
}
