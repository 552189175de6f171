/*-------------------------------------------------------------------------
 *
 * scan.c
 *		Executing foreign scans: send the remote SELECT, stream its rows
 *		into tuples (and show the SELECT in EXPLAIN).
 *
 * Rows are streamed: db-lib reads one row at a time from the socket, every
 * value is converted straight into a Datum in a per-row memory context that
 * is reset for each row, and interrupts are checked on every row.  Memory
 * therefore stays flat whatever the size of the result.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "foreign/fdwapi.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "mssql_cdc.h"

typedef struct MssqlScanState
{
	Oid			relid;			/* foreign table */
	UserMapping *user;
	TupleDesc	tupdesc;		/* of the scan tuple */
	char	   *sql;			/* remote SQL with @Pn placeholders */
	List	   *retrieved_attrs;
	List	   *param_offsets;
	List	   *sorted_cols;	/* retrieved positions SQL Server sorts by */
	List	   *param_cmps;		/* comparisons with a parameter (see
								 * MSSQL_PRIV_PARAM_CMPS) */
	List	   *typmods;		/* see MSSQL_PRIV_TYPMODS */
	bool		binary_dates;	/* date/time values arrive binary (TDS 7.4) */
	List	   *param_exprs;	/* ExprStates */
	Oid		   *param_types;
	int			nparams;

	MssqlConn  *conn;
	char	   *sent_sql;		/* what was sent (parameters filled in) */
	int			nest_level;		/* transaction nesting level at BeginForeignScan */
	bool		started;
	bool		finished;
	bool		reading;		/* inside a read: still true if it failed */

	int			ncols;
	int		   *attidx;			/* remote column i -> tuple index */
	MssqlColumnConv *convs;

	MemoryContext scan_cxt;		/* lives as long as the scan */
	MemoryContext exec_cxt;		/* one execution (reset at each rescan) */
	MemoryContext row_cxt;		/* one row */
} MssqlScanState;

/*
 * Fill in parameter values: the SQL with each "@Pn" replaced by a literal,
 * and each comparison with a parameter, "([col] op @Pn)", by the condition
 * mssql_deparse_param_cmp() writes for the value.
 */
static char *
build_sql(MssqlScanState *st, ExprContext *econtext)
{
	StringInfoData buf;
	char	  **literals;
	Datum	   *values;
	bool	   *nulls;
	ListCell   *lc;
	int			pos = 0;
	int			i = 0;
	MemoryContext old;

	if (st->nparams == 0)
		return st->sql;

	literals = palloc(sizeof(char *) * st->nparams);
	values = palloc(sizeof(Datum) * st->nparams);
	nulls = palloc(sizeof(bool) * st->nparams);

	/* the values stay in the per-tuple context until the SQL is built */
	old = MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
	foreach(lc, st->param_exprs)
	{
		ExprState  *es = (ExprState *) lfirst(lc);
		StringInfoData lit;

		values[i] = ExecEvalExpr(es, econtext, &nulls[i]);
		initStringInfo(&lit);
		/* in IN lists and "text = @P": unrepresentable values match nothing */
		if (nulls[i] ||
			!mssql_append_datum_literal(&lit, values[i], st->param_types[i], false))
		{
			resetStringInfo(&lit);
			appendStringInfoString(&lit, "NULL");
		}
		literals[i] = lit.data;
		i++;
	}

	initStringInfo(&buf);
	for (lc = list_head(st->param_offsets); lc; lc = lnext(st->param_offsets, lc))
	{
		int			off = lfirst_int(lc);
		int			idx;
		int			cmp;
		char		placeholder[32];

		lc = lnext(st->param_offsets, lc);
		idx = lfirst_int(lc);
		lc = lnext(st->param_offsets, lc);
		cmp = lfirst_int(lc);
		appendBinaryStringInfo(&buf, st->sql + pos, off - pos);
		if (cmp < 0)
		{
			appendStringInfoString(&buf, literals[idx - 1]);
			snprintf(placeholder, sizeof(placeholder), "@P%d", idx);
			pos = off + strlen(placeholder);
		}
		else
		{
			List	   *c = (List *) list_nth(st->param_cmps, cmp);

			mssql_deparse_param_cmp(&buf, strVal(linitial(c)), strVal(lsecond(c)),
									(Oid) intVal(lthird(c)), intVal(lfourth(c)),
									st->binary_dates, values[idx - 1],
									st->param_types[idx - 1], nulls[idx - 1]);
			pos = off + intVal(list_nth(c, 4));
		}
	}
	appendStringInfoString(&buf, st->sql + pos);
	MemoryContextSwitchTo(st->exec_cxt);
	{
		char	   *result = pstrdup(buf.data);

		MemoryContextSwitchTo(old);
		return result;
	}
}

/*
 * Executor: set up the scan state and its memory contexts.  Nothing is sent
 * to SQL Server before the first row is asked for.
 */
void
mssqlBeginForeignScan(ForeignScanState *node, int eflags)
{
	ForeignScan *fsplan = (ForeignScan *) node->ss.ps.plan;
	EState	   *estate = node->ss.ps.state;
	MssqlScanState *st;
	RangeTblEntry *rte;
	int			rtindex;
	Oid			userid;
	ForeignTable *table;
	ListCell   *lc;
	int			i;

	st = palloc0(sizeof(MssqlScanState));
	node->fdw_state = st;

	st->sql = strVal(list_nth(fsplan->fdw_private, MSSQL_PRIV_SQL));
	st->retrieved_attrs = (List *) list_nth(fsplan->fdw_private, MSSQL_PRIV_RETRIEVED);
	st->param_offsets = (List *) list_nth(fsplan->fdw_private, MSSQL_PRIV_PARAM_OFFSETS);
	st->relid = (Oid) intVal(list_nth(fsplan->fdw_private, MSSQL_PRIV_RELID));
	st->sorted_cols = (List *) list_nth(fsplan->fdw_private, MSSQL_PRIV_SORTED);
	st->param_cmps = (List *) list_nth(fsplan->fdw_private, MSSQL_PRIV_PARAM_CMPS);
	st->typmods = (List *) list_nth(fsplan->fdw_private, MSSQL_PRIV_TYPMODS);
	if (st->sorted_cols != NIL || st->param_cmps != NIL)
	{
		MssqlTableOptions topts;

		mssql_get_table_options(st->relid, &topts);
		st->binary_dates = topts.binary_dates;
	}
	st->nest_level = GetCurrentTransactionNestLevel();

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	rtindex = fsplan->scan.scanrelid > 0 ? fsplan->scan.scanrelid :
		bms_next_member(fsplan->fs_relids, -1);
	rte = exec_rt_fetch(rtindex, estate);
	userid = OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
	table = GetForeignTable(st->relid);
	st->user = mssql_get_user_mapping(userid, table->serverid);

	st->tupdesc = node->ss.ss_ScanTupleSlot->tts_tupleDescriptor;

	st->scan_cxt = AllocSetContextCreate(estate->es_query_cxt,
										 "mssql_cdc scan",
										 ALLOCSET_DEFAULT_SIZES);
	st->exec_cxt = AllocSetContextCreate(st->scan_cxt,
										 "mssql_cdc execution",
										 ALLOCSET_SMALL_SIZES);
	st->row_cxt = AllocSetContextCreate(st->scan_cxt,
										"mssql_cdc row",
										ALLOCSET_DEFAULT_SIZES);

	st->nparams = list_length(fsplan->fdw_exprs);
	if (st->nparams > 0)
	{
		st->param_exprs = ExecInitExprList(fsplan->fdw_exprs, (PlanState *) node);
		st->param_types = palloc(sizeof(Oid) * st->nparams);
		i = 0;
		foreach(lc, fsplan->fdw_exprs)
			st->param_types[i++] = exprType((Node *) lfirst(lc));
	}

	st->ncols = list_length(st->retrieved_attrs);
	st->attidx = palloc(sizeof(int) * Max(st->ncols, 1));
	st->convs = palloc0(sizeof(MssqlColumnConv) * Max(st->ncols, 1));
	i = 0;
	foreach(lc, st->retrieved_attrs)
		st->attidx[i++] = lfirst_int(lc) - 1;
}

/*
 * Send the query and prepare the converters from the result's columns.
 */
static void
start_query(ForeignScanState *node)
{
	MssqlScanState *st = (MssqlScanState *) node->fdw_state;
	TdsConn    *tds;
	TdsResultStatus rs;
	MemoryContext old;
	int			i;

	/*
	 * Everything of one execution (SQL text with the parameter values,
	 * converters) lives in exec_cxt, reset here: a nested loop may run the
	 * scan once per outer row.
	 */
	MemoryContextReset(st->exec_cxt);
	old = MemoryContextSwitchTo(st->exec_cxt);
	if (st->conn == NULL)
	{
		MemoryContextSwitchTo(st->scan_cxt);
		st->conn = mssql_get_connection(st->user, st->nest_level);
		MemoryContextSwitchTo(st->exec_cxt);
	}
	st->sent_sql = build_sql(st, node->ss.ps.ps_ExprContext);

	mssql_execute(st->conn, st->sent_sql);
	tds = mssql_tds(st->conn);
	st->started = true;
	st->finished = false;

	while ((rs = tds_next_result(tds)) == TDS_RESULT_NOROWS)
		;
	if (rs == TDS_RESULT_ERROR)
		mssql_report_error(ERROR, st->sent_sql);
	if (rs == TDS_RESULT_END)
	{
		st->finished = true;
		mssql_release_connection(st->conn);
		st->conn = NULL;
		MemoryContextSwitchTo(old);
		return;
	}

	if (tds_num_columns(tds) != st->ncols && !(st->ncols == 0 && tds_num_columns(tds) == 1))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INCONSISTENT_DESCRIPTOR_INFORMATION),
				 errmsg("remote query returned %d columns where %d were expected",
						tds_num_columns(tds), st->ncols),
				 errcontext("remote SQL command: %s", st->sent_sql)));

	for (i = 0; i < st->ncols; i++)
	{
		TdsColumnInfo ci;
		Form_pg_attribute att = TupleDescAttr(st->tupdesc, st->attidx[i]);

		int32		typmod = att->atttypmod;

		if (!tds_column_info(tds, i + 1, &ci))
			mssql_report_error(ERROR, st->sent_sql);
		if (st->typmods != NIL && list_nth_int(st->typmods, i) >= 0)
			typmod = list_nth_int(st->typmods, i);
		mssql_init_column_conv(&st->convs[i], ci.type, att->atttypid,
							   typmod, NameStr(att->attname));

		/*
		 * The ORDER BY was sent assuming the remote column sorts like the
		 * local type (a varchar of digits declared as integer would come
		 * back in text order): refuse rather than return a wrong order.
		 */
		if (list_member_int(st->sorted_cols, i) &&
			!mssql_sorts_alike(ci.type, att->atttypid, st->binary_dates))
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("column \"%s\" cannot be sorted by SQL Server as %s",
							NameStr(att->attname), format_type_be(att->atttypid)),
					 errdetail("Its SQL Server type does not sort like the local type, but the query's ORDER BY was sent to SQL Server."),
					 errhint("Declare the column with the type IMPORT FOREIGN SCHEMA gives it, or read it through the \"query\" option with a CAST."),
					 errcontext("remote SQL command: %s", st->sent_sql)));
	}
	MemoryContextSwitchTo(old);
}

/*
 * Read the remaining results so that the session is idle again, and give
 * it back: a query with many scans of one server (UNION ALL, subplans) then
 * needs only as many sessions as scans that are open at the same time.
 */
static void
finish_query(MssqlScanState *st)
{
	TdsConn    *tds = mssql_tds(st->conn);
	TdsResultStatus rs;

	while ((rs = tds_next_result(tds)) != TDS_RESULT_END)
	{
		if (rs == TDS_RESULT_ERROR)
			mssql_report_error(ERROR, st->sent_sql);
		if (rs == TDS_RESULT_ROWS)
		{
			TdsRowStatus r;

			while ((r = tds_next_row(tds)) == TDS_ROW_OK)
				CHECK_FOR_INTERRUPTS();
			if (r == TDS_ROW_ERROR)
				mssql_report_error(ERROR, st->sent_sql);
		}
	}
	st->finished = true;
	mssql_release_connection(st->conn);
	st->conn = NULL;
}

/*
 * Executor: the next row, converted in the per-row context, or an empty
 * slot at the end (the session is then given back at once).
 */
TupleTableSlot *
mssqlIterateForeignScan(ForeignScanState *node)
{
	MssqlScanState *st = (MssqlScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	TdsConn    *tds;
	TdsRowStatus rs;
	MemoryContext old;
	int			i;

	/*
	 * A read that failed (the error was caught by a savepoint the cursor
	 * outlives) leaves the remote request in an unknown state: refuse to go
	 * on rather than return a truncated result.
	 */
	if (st->reading || (st->started && !st->finished &&
						!tds_is_busy(mssql_tds(st->conn))))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot continue the scan of foreign table \"%s\"",
						get_rel_name(st->relid)),
				 errdetail("An earlier error interrupted its request to SQL Server."),
				 errhint("Close the cursor and open it again.")));
	st->reading = true;

	if (!st->started)
		start_query(node);

	ExecClearTuple(slot);
	if (st->finished)
	{
		st->reading = false;
		return slot;
	}

	CHECK_FOR_INTERRUPTS();
	MemoryContextReset(st->row_cxt);
	tds = mssql_tds(st->conn);

	rs = tds_next_row(tds);
	if (rs == TDS_ROW_ERROR)
	{
		CHECK_FOR_INTERRUPTS();
		mssql_report_error(ERROR, st->sent_sql);
	}
	if (rs == TDS_ROW_END)
	{
		finish_query(st);
		st->reading = false;
		return slot;
	}

	old = MemoryContextSwitchTo(st->row_cxt);
	memset(slot->tts_isnull, true, sizeof(bool) * slot->tts_tupleDescriptor->natts);
	for (i = 0; i < st->ncols; i++)
	{
		TdsValue	v;
		int			a = st->attidx[i];

		if (!tds_get_value(tds, i + 1, st->convs[i].ttype, &v))
			mssql_report_error(ERROR, st->sent_sql);
		if (v.isnull)
			continue;
		slot->tts_values[a] = mssql_value_to_datum(&st->convs[i], &v);
		slot->tts_isnull[a] = false;
	}
	MemoryContextSwitchTo(old);
	ExecStoreVirtualTuple(slot);
	st->reading = false;
	return slot;
}

/*
 * Executor: start again (new parameter values, or the inner side of a
 * nested loop): what is left of the running request is cancelled and the
 * next row sends the query anew.
 */
void
mssqlReScanForeignScan(ForeignScanState *node)
{
	MssqlScanState *st = (MssqlScanState *) node->fdw_state;

	if (!st->started)
		return;
	/* throw away what is left of the previous run; send the query again */
	if (st->conn && tds_is_busy(mssql_tds(st->conn)))
		mssql_cancel(st->conn);
	st->started = false;
	st->finished = false;
	st->reading = false;
}

/* Executor: give the session back (pending results are cancelled) */
void
mssqlEndForeignScan(ForeignScanState *node)
{
	MssqlScanState *st = (MssqlScanState *) node->fdw_state;

	if (st == NULL || st->conn == NULL)
		return;
	mssql_release_connection(st->conn);
	st->conn = NULL;
}

/*
 * EXPLAIN VERBOSE: the remote SQL, with @Pn where parameters go; with
 * ANALYZE, also the statement last sent with the parameters filled in
 * (comparisons of date/times become their rounding bounds).
 */
void
mssqlExplainForeignScan(ForeignScanState *node, ExplainState *es)
{
	MssqlScanState *st = (MssqlScanState *) node->fdw_state;

	if (!es->verbose)
		return;
	ExplainPropertyText("Remote SQL", st->sql, es);
	if (es->analyze && st->sent_sql != NULL && strcmp(st->sent_sql, st->sql) != 0)
		ExplainPropertyText("Remote SQL sent last", st->sent_sql, es);
}
