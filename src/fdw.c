/*-------------------------------------------------------------------------
 *
 * fdw.c
 *		The foreign-data wrapper handler and its planner callbacks: scans,
 *		parameterized scans, and the pushed-down joins, aggregations and
 *		LIMITs.
 *
 * Scans are in scan.c, ANALYZE in analyze.c, IMPORT FOREIGN SCHEMA in
 * import.c; the T-SQL text is written by remote_sql.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "access/htup_details.h"
#include "access/sysattr.h"
#include "access/table.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "optimizer/tlist.h"
#include "parser/parsetree.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/selfuncs.h"

#include "mssql_cdc.h"

PG_FUNCTION_INFO_V1(mssql_cdc_fdw_handler);

static void mssqlGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel,
								   Oid foreigntableid);
static void mssqlGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel,
								 Oid foreigntableid);
static ForeignScan *mssqlGetForeignPlan(PlannerInfo *root, RelOptInfo *rel,
										Oid foreigntableid, ForeignPath *best_path,
										List *tlist, List *scan_clauses,
										Plan *outer_plan);
static void mssqlGetForeignUpperPaths(PlannerInfo *root, UpperRelationKind stage,
									  RelOptInfo *input_rel, RelOptInfo *output_rel,
									  void *extra);
static void add_agg_path(PlannerInfo *root, RelOptInfo *input_rel,
						 RelOptInfo *output_rel, GroupPathExtraData *extra);
static void mssqlGetForeignJoinPaths(PlannerInfo *root, RelOptInfo *joinrel,
									 RelOptInfo *outerrel, RelOptInfo *innerrel,
									 JoinType jointype, JoinPathExtraData *extra);
static List *name_scan_columns(List *fdw_scan_tlist, Oid relid);

Datum
mssql_cdc_fdw_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *routine = makeNode(FdwRoutine);

	routine->GetForeignRelSize = mssqlGetForeignRelSize;
	routine->GetForeignPaths = mssqlGetForeignPaths;
	routine->GetForeignPlan = mssqlGetForeignPlan;
	routine->GetForeignUpperPaths = mssqlGetForeignUpperPaths;
	routine->GetForeignJoinPaths = mssqlGetForeignJoinPaths;
	routine->BeginForeignScan = mssqlBeginForeignScan;
	routine->IterateForeignScan = mssqlIterateForeignScan;
	routine->ReScanForeignScan = mssqlReScanForeignScan;
	routine->EndForeignScan = mssqlEndForeignScan;
	routine->ExplainForeignScan = mssqlExplainForeignScan;
	routine->AnalyzeForeignTable = mssqlAnalyzeForeignTable;
	routine->ImportForeignSchema = mssqlImportForeignSchema;

	PG_RETURN_POINTER(routine);
}

/*
 * Run sql, a query whose first column of its first row is a count (int or
 * bigint), on conn, and return that count, or -1 when it cannot be had (an
 * error, a NULL such as sys.partitions gives for a view).  Errors are not
 * raised: the caller has a fallback.  conn stays the caller's.
 */
double
mssql_fetch_count(MssqlConn *conn, const char *sql)
{
	double		result = -1;

	if (mssql_execute_noerror(conn, sql))
	{
		TdsConn    *tds = mssql_tds(conn);
		TdsResultStatus rs;

		while ((rs = tds_next_result(tds)) == TDS_RESULT_NOROWS)
			;
		if (rs == TDS_RESULT_ROWS && tds_next_row(tds) == TDS_ROW_OK)
		{
			TdsColumnInfo ci;
			TdsValue	v;

			if (tds_column_info(tds, 1, &ci) &&
				(ci.type == TDS_T_BIGINT || ci.type == TDS_T_INT) &&
				tds_get_value(tds, 1, ci.type, &v) && !v.isnull)
				result = (double) v.v.i;
		}
		/* read what is left, so that the session is idle again */
		if (rs == TDS_RESULT_ROWS)
		{
			while (tds_next_row(tds) == TDS_ROW_OK)
				;
			while ((rs = tds_next_result(tds)) == TDS_RESULT_NOROWS ||
				   rs == TDS_RESULT_ROWS)
			{
				while (rs == TDS_RESULT_ROWS && tds_next_row(tds) == TDS_ROW_OK)
					;
			}
		}
		if (tds_is_busy(tds))
			mssql_cancel(conn);
	}
	else
		elog(DEBUG1, "mssql_cdc: no remote row count: %s",
			 tds_last_error()->message);
	return result;
}

/*
 * Row count of the remote table from SQL Server's catalog, or -1 when it
 * cannot be had (a view, no permission, an old server): the planner then
 * falls back to ANALYZE's figure or a default.
 */
static double
remote_row_count(MssqlRelInfo *fpinfo)
{
	MssqlConn  *conn;
	StringInfoData sql;
	double		result = -1;

	initStringInfo(&sql);
	mssql_deparse_rowcount(&sql, &fpinfo->topts);

	conn = mssql_get_connection(fpinfo->user, 0);
	PG_TRY();
	{
		result = mssql_fetch_count(conn, sql.data);
	}
	PG_FINALLY();
	{
		mssql_release_connection(conn);
	}
	PG_END_TRY();
	return result;
}

/*
 * Planner: sort the restriction clauses into pushed (exact), pushed and
 * rechecked, and local ones; note the columns to fetch; estimate rows and
 * costs.  The MssqlRelInfo is palloc'd in the planner's context and hung on
 * baserel->fdw_private.
 */
static void
mssqlGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	MssqlRelInfo *fpinfo = palloc0(sizeof(MssqlRelInfo));
	RangeTblEntry *rte = planner_rt_fetch(baserel->relid, root);
	Oid			userid = OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
	ListCell   *lc;
	double		ntuples = -1;
	Selectivity remote_sel;
	List	   *pushed = NIL;
	double		retrieved;

	baserel->fdw_private = fpinfo;
	fpinfo->relid = foreigntableid;
	fpinfo->baserel = baserel;
	fpinfo->table = GetForeignTable(foreigntableid);
	fpinfo->server = GetForeignServer(fpinfo->table->serverid);
	fpinfo->user = mssql_get_user_mapping(userid, fpinfo->server->serverid);
	mssql_get_table_options(foreigntableid, &fpinfo->topts);

	foreach(lc, baserel->baserestrictinfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);

		switch (mssql_classify_expr(root, baserel, ri->clause))
		{
			case MSSQL_PUSH_EXACT:
				fpinfo->remote_conds = lappend(fpinfo->remote_conds, ri);
				break;
			case MSSQL_PUSH_RECHECK:
				fpinfo->recheck_conds = lappend(fpinfo->recheck_conds, ri);
				break;
			default:
				fpinfo->local_conds = lappend(fpinfo->local_conds, ri);
				break;
		}
	}

	/* columns to fetch: those in the target list and in local conditions */
	pull_varattnos((Node *) baserel->reltarget->exprs, baserel->relid,
				   &fpinfo->attrs_used);
	foreach(lc, fpinfo->local_conds)
		pull_varattnos((Node *) lfirst_node(RestrictInfo, lc)->clause,
					   baserel->relid, &fpinfo->attrs_used);
	foreach(lc, fpinfo->recheck_conds)
		pull_varattnos((Node *) lfirst_node(RestrictInfo, lc)->clause,
					   baserel->relid, &fpinfo->attrs_used);

	if (fpinfo->topts.use_remote_estimate && fpinfo->topts.query == NULL)
		ntuples = remote_row_count(fpinfo);
	if (ntuples < 0)
		ntuples = baserel->tuples >= 0 ? baserel->tuples : 1000;
	baserel->tuples = ntuples;
	baserel->rows = clamp_row_est(ntuples *
								  clauselist_selectivity(root, baserel->baserestrictinfo,
														 0, JOIN_INNER, NULL));

	/* rows SQL Server sends back */
	pushed = list_concat(list_copy(fpinfo->remote_conds), fpinfo->recheck_conds);
	remote_sel = clauselist_selectivity(root, pushed, baserel->relid, JOIN_INNER, NULL);
	retrieved = clamp_row_est(ntuples * remote_sel);

	fpinfo->rows = baserel->rows;
	fpinfo->startup_cost = fpinfo->topts.fdw_startup_cost;
	fpinfo->total_cost = fpinfo->startup_cost +
		ntuples * cpu_operator_cost +	/* remote filtering */
		retrieved * (fpinfo->topts.fdw_tuple_cost + cpu_tuple_cost) +
		retrieved * cpu_operator_cost *
		(list_length(fpinfo->local_conds) + list_length(fpinfo->recheck_conds));
}

/* Remember which EC members have been used for parameterized paths */
typedef struct EcMemberArg
{
	Expr	   *current;
	List	   *already_used;
} EcMemberArg;

/*
 * Callback of generate_implied_equalities_for_column: one equivalence
 * member per call, each used once (see mssqlGetForeignPaths).
 */
static bool
ec_member_matches(PlannerInfo *root, RelOptInfo *rel, EquivalenceClass *ec,
				  EquivalenceMember *em, void *arg)
{
	EcMemberArg *state = (EcMemberArg *) arg;
	Expr	   *expr = em->em_expr;

	if (state->current != NULL)
		return equal(expr, state->current);
	if (list_member(state->already_used, expr))
		return false;
	state->current = expr;
	return true;
}

/*
 * Add to *ppis the parameterization a join clause would give this scan, if
 * SQL Server can evaluate the clause with the other side as a parameter.
 */
static void
add_param_path(PlannerInfo *root, RelOptInfo *baserel, MssqlRelInfo *fpinfo,
			   RestrictInfo *ri, List **ppis)
{
	Relids		required_outer;
	ParamPathInfo *ppi;

	if (!join_clause_is_movable_to(ri, baserel))
		return;
	if (mssql_classify_expr(root, baserel, ri->clause) == MSSQL_PUSH_NO)
		return;
	required_outer = bms_union(ri->clause_relids, baserel->lateral_relids);
	required_outer = bms_del_members(required_outer, baserel->relids);
	if (bms_is_empty(required_outer))
		return;
	ppi = get_baserel_parampathinfo(root, baserel, required_outer);
	*ppis = list_append_unique_ptr(*ppis, ppi);
}

/*
 * Planner: the plain scan, the scan sorted by SQL Server (when the query's
 * ORDER BY can be pushed), and one parameterized scan per usable join
 * clause.
 */
static void
mssqlGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	MssqlRelInfo *fpinfo = (MssqlRelInfo *) baserel->fdw_private;
	ListCell   *lc;
	List	   *ppis = NIL;

	add_path(baserel, (Path *)
			 create_foreignscan_path(root, baserel, NULL,
									 fpinfo->rows, fpinfo->startup_cost,
									 fpinfo->total_cost, NIL,
									 baserel->lateral_relids, NULL, NIL));

	/* the query's ORDER BY, done by SQL Server */
	if (root->query_pathkeys != NIL &&
		mssql_pathkeys_pushable(root, baserel, root->query_pathkeys))
	{
		add_path(baserel, (Path *)
				 create_foreignscan_path(root, baserel, NULL, fpinfo->rows,
										 fpinfo->startup_cost,
										 fpinfo->startup_cost +
										 (fpinfo->total_cost - fpinfo->startup_cost) * 1.05 + 0.01,
										 root->query_pathkeys,
										 baserel->lateral_relids, NULL, NIL));
	}

	/* parameterized paths: join clauses sent as "column = value" */
	foreach(lc, baserel->joininfo)
		add_param_path(root, baserel, fpinfo, lfirst_node(RestrictInfo, lc), &ppis);
	if (baserel->has_eclass_joins)
	{
		EcMemberArg arg;

		arg.already_used = NIL;
		for (;;)
		{
			List	   *clauses;
			ListCell   *lc2;

			arg.current = NULL;
			clauses = generate_implied_equalities_for_column(root, baserel,
															 ec_member_matches,
															 (void *) &arg,
															 baserel->lateral_referencers);
			foreach(lc2, clauses)
				add_param_path(root, baserel, fpinfo, lfirst_node(RestrictInfo, lc2),
							   &ppis);
			if (arg.current == NULL)
				break;
			arg.already_used = lappend(arg.already_used, arg.current);
		}
	}
	foreach(lc, ppis)
	{
		ParamPathInfo *ppi = (ParamPathInfo *) lfirst(lc);
		double		rows = ppi->ppi_rows;
		Cost		total = fpinfo->startup_cost +
			rows * (fpinfo->topts.fdw_tuple_cost + cpu_tuple_cost);

		add_path(baserel, (Path *)
				 create_foreignscan_path(root, baserel, NULL, rows,
										 fpinfo->startup_cost, total, NIL,
										 ppi->ppi_req_outer, NULL, NIL));
	}
}

/*
 * Name each entry of fdw_scan_tlist that is a column of relid after that
 * column, for messages about its values (the entries are changed in place),
 * and return a new list of the entries' expressions, in order.
 */
static List *
name_scan_columns(List *fdw_scan_tlist, Oid relid)
{
	List	   *exprs = NIL;
	ListCell   *lc;

	foreach(lc, fdw_scan_tlist)
	{
		TargetEntry *tle = lfirst_node(TargetEntry, lc);

		if (IsA(tle->expr, Var) && ((Var *) tle->expr)->varattno > 0)
			tle->resname = get_attname(relid,
									   ((Var *) tle->expr)->varattno, false);
		exprs = lappend(exprs, tle->expr);
	}
	return exprs;
}

/*
 * Planner: build the ForeignScan with the remote SELECT in fdw_private (see
 * enum MssqlScanPrivate) and the parameter expressions in fdw_exprs.  For
 * a base relation, clauses that are not exact stay in the local qual; for
 * the upper relation of a pushed LIMIT, every condition was exact.
 */
static ForeignScan *
mssqlGetForeignPlan(PlannerInfo *root, RelOptInfo *rel, Oid foreigntableid,
					ForeignPath *best_path, List *tlist, List *scan_clauses,
					Plan *outer_plan)
{
	MssqlRelInfo *fpinfo = (MssqlRelInfo *) rel->fdw_private;
	List	   *remote_conds = NIL;
	List	   *remote_exprs = NIL;
	List	   *local_exprs = NIL;
	List	   *params_list = NIL;
	List	   *param_offsets = NIL;
	List	   *param_cmps = NIL;
	List	   *typmods = NIL;
	List	   *retrieved_attrs = NIL;
	List	   *sorted_cols = NIL;
	List	   *fdw_scan_tlist = NIL;
	StringInfoData sql;
	ListCell   *lc;
	Index		scan_relid;
	int64		limit = -1,
				offset = 0;

	initStringInfo(&sql);

	if (IS_SIMPLE_REL(rel))
	{
		scan_relid = rel->relid;
		foreach(lc, scan_clauses)
		{
			RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
			MssqlPushability p;

			if (ri->pseudoconstant)
				continue;
			if (list_member_ptr(fpinfo->remote_conds, ri))
				p = MSSQL_PUSH_EXACT;
			else if (list_member_ptr(fpinfo->recheck_conds, ri))
				p = MSSQL_PUSH_RECHECK;
			else if (list_member_ptr(fpinfo->local_conds, ri))
				p = MSSQL_PUSH_NO;
			else
				p = mssql_classify_expr(root, rel, ri->clause);

			if (p != MSSQL_PUSH_NO)
			{
				remote_conds = lappend(remote_conds, ri);
				remote_exprs = lappend(remote_exprs, ri->clause);
			}
			if (p != MSSQL_PUSH_EXACT)
				local_exprs = lappend(local_exprs, ri->clause);
		}
		mssql_deparse_select(&sql, root, rel, NIL, fpinfo->attrs_used,
							 remote_conds, best_path->path.pathkeys, -1, 0,
							 &retrieved_attrs, &sorted_cols,
							 &params_list, &param_offsets, &param_cmps, NIL, NIL);
	}
	else if (IS_JOIN_REL(rel))
	{
		/* a join of two foreign tables of one server */
		MssqlRelInfo *o = (MssqlRelInfo *) fpinfo->outerrel->fdw_private;
		MssqlRelInfo *in = (MssqlRelInfo *) fpinfo->innerrel->fdw_private;
		List	   *join_conds;
		List	   *where_conds;
		List	   *vars;

		scan_relid = 0;

		/*
		 * What is checked here (a join has no scan_clauses of its own):
		 * clauses sent as a superset, conditions above the join that cannot
		 * be sent, and the conditions of a side that are not sent or sent
		 * as a superset; for a LEFT JOIN only the preserved side can have
		 * those (see mssqlGetForeignJoinPaths).
		 */
		local_exprs = extract_actual_clauses(list_concat(list_copy(fpinfo->recheck_conds),
														 fpinfo->local_conds), false);
		local_exprs = list_concat(local_exprs,
								  extract_actual_clauses(list_concat(list_copy(o->local_conds),
																	 o->recheck_conds), false));
		local_exprs = list_concat(local_exprs,
								  extract_actual_clauses(list_concat(list_copy(in->local_conds),
																	 in->recheck_conds), false));
		/* the scan returns the columns needed above and by those checks */
		vars = pull_var_clause((Node *) rel->reltarget->exprs, PVC_RECURSE_PLACEHOLDERS);
		vars = list_concat(vars, pull_var_clause((Node *) local_exprs,
												 PVC_RECURSE_PLACEHOLDERS));
		fdw_scan_tlist = add_to_flat_tlist(NIL, vars);
		vars = NIL;
		foreach(lc, fdw_scan_tlist)
			vars = lappend(vars, lfirst_node(TargetEntry, lc)->expr);

		/*
		 * The conditions of the nullable side of a LEFT JOIN filter it
		 * before the join: they belong in the ON clause.
		 */
		join_conds = list_copy(fpinfo->join_conds);
		where_conds = list_concat(list_copy(fpinfo->where_conds),
								  list_concat(list_copy(o->remote_conds), o->recheck_conds));
		if (fpinfo->left_join)
			join_conds = list_concat(join_conds, in->remote_conds);
		else if (fpinfo->full_join)
		{
			/* no side has conditions of its own, see mssqlGetForeignJoinPaths */
			Assert(o->remote_conds == NIL && in->remote_conds == NIL);
		}
		else
		{
			where_conds = list_concat(where_conds, in->remote_conds);
			where_conds = list_concat(where_conds, in->recheck_conds);
		}
		mssql_deparse_join(&sql, root, rel, fpinfo->outerrel, fpinfo->innerrel,
						   fpinfo->full_join ? "FULL" :
						   fpinfo->left_join ? "LEFT" : "INNER",
						   vars, join_conds, where_conds,
						   &retrieved_attrs, &params_list, &param_offsets,
						   &param_cmps);
		foreigntableid = o->relid;
	}
	else if (fpinfo->agg_tlist != NIL)
	{
		/* an aggregation of a single foreign table */
		MssqlRelInfo *base = (MssqlRelInfo *) fpinfo->baserel->fdw_private;
		List	   *items;

		scan_relid = 0;
		fdw_scan_tlist = copyObject(fpinfo->agg_tlist);
		items = name_scan_columns(fdw_scan_tlist, base->relid);
		mssql_deparse_select(&sql, root, fpinfo->baserel, items, NULL,
							 base->remote_conds, NIL, -1, 0,
							 &retrieved_attrs, &sorted_cols,
							 &params_list, &param_offsets, &param_cmps,
							 fpinfo->group_exprs, fpinfo->having);

		/*
		 * min() and max() of a timestamp(3) column are timestamp without a
		 * typmod: convert their values with the column's, as the column's
		 * own values are, or a datetime's 1/300 s would not be rounded.
		 */
		foreach(lc, items)
		{
			Node	   *e = (Node *) lfirst(lc);
			int32		typmod = -1;

			if (IsA(e, Aggref) && list_length(((Aggref *) e)->args) == 1)
			{
				Node	   *arg = (Node *) ((TargetEntry *) linitial(((Aggref *) e)->args))->expr;

				if (exprType(arg) == ((Aggref *) e)->aggtype)
					typmod = exprTypmod(arg);
			}
			typmods = lappend_int(typmods, typmod);
		}
		foreigntableid = base->relid;
	}
	else
	{
		/* LIMIT/OFFSET (and ORDER BY) of a single foreign table */
		MssqlRelInfo *base = (MssqlRelInfo *) fpinfo->baserel->fdw_private;
		List	   *vars;

		scan_relid = 0;
		limit = DatumGetInt64(((Const *) linitial(best_path->fdw_private))->constvalue);
		offset = DatumGetInt64(((Const *) lsecond(best_path->fdw_private))->constvalue);
		vars = pull_var_clause((Node *) tlist, PVC_RECURSE_PLACEHOLDERS);
		fdw_scan_tlist = add_to_flat_tlist(NIL, vars);
		vars = name_scan_columns(fdw_scan_tlist, base->relid);
		mssql_deparse_select(&sql, root, fpinfo->baserel, vars, NULL,
							 base->remote_conds, best_path->path.pathkeys,
							 limit, offset,
							 &retrieved_attrs, &sorted_cols,
							 &params_list, &param_offsets, &param_cmps, NIL, NIL);
		foreach(lc, base->remote_conds)
			remote_exprs = lappend(remote_exprs, lfirst_node(RestrictInfo, lc)->clause);
		foreigntableid = base->relid;
	}

	return make_foreignscan(tlist, local_exprs, scan_relid, params_list,
							list_concat(list_make5(makeString(sql.data), retrieved_attrs,
											   param_offsets,
											   makeInteger((int) foreigntableid),
											   sorted_cols),
									list_make2(param_cmps, typmods)),
							fdw_scan_tlist, scan_relid ? remote_exprs : NIL,
							outer_plan);
}

/*
 * Join pushdown: an inner, left (right) or full join of two foreign tables of
 * the same server and user mapping.
 *
 * Inner join: every join clause must run on SQL Server (exactly, or as a
 * superset checked again here); the conditions of either side that run
 * remotely go to the WHERE, the others are checked here on the joined rows,
 * which is correct because a filter can come before or after an inner
 * join.
 *
 * Left join: the ON clauses must run exactly (a superset would match rows
 * that should have been NULL-extended); the nullable side must have no
 * condition checked here (that would remove NULL-extended rows instead of
 * making them), its remote ones join the ON clause; the preserved side's
 * are as for an inner join; conditions above the join (WHERE ... over both
 * tables) are sent to the WHERE when they can be, else checked here.  A
 * right join is a left join with the sides swapped.
 *
 * Full join: both sides are nullable, so neither may have a condition of
 * its own (one checked here would remove NULL-extended rows, one sent in
 * the ON clause would NULL-extend rows that PostgreSQL removes; a derived
 * table would be needed); the ON clauses must run exactly; conditions
 * above the join are as for a left join.
 *
 * Not semi/anti joins, joins of joins, or queries with row marks.
 */
static void
mssqlGetForeignJoinPaths(PlannerInfo *root, RelOptInfo *joinrel,
						 RelOptInfo *outerrel, RelOptInfo *innerrel,
						 JoinType jointype, JoinPathExtraData *extra)
{
	MssqlRelInfo *o;
	MssqlRelInfo *in;
	MssqlRelInfo *j;
	ListCell   *lc;
	double		rows;
	Cost		startup,
				total;
	int			nlocal;
	bool		left_join = (jointype == JOIN_LEFT || jointype == JOIN_RIGHT);
	bool		full_join = (jointype == JOIN_FULL);
	bool		outer_join = left_join || full_join;
	List	   *vars;
	List	   *conds;

	if (joinrel->fdw_private != NULL || root->parse->rowMarks != NIL ||
		(jointype != JOIN_INNER && !outer_join))
		return;
	/* the preserved side first */
	if (jointype == JOIN_RIGHT)
	{
		RelOptInfo *tmp = outerrel;

		outerrel = innerrel;
		innerrel = tmp;
	}
	o = (MssqlRelInfo *) outerrel->fdw_private;
	in = (MssqlRelInfo *) innerrel->fdw_private;
	if (outerrel->reloptkind != RELOPT_BASEREL ||
		innerrel->reloptkind != RELOPT_BASEREL ||
		o == NULL || in == NULL || o->agg_tlist != NIL || in->agg_tlist != NIL ||
		o->server->serverid != in->server->serverid ||
		o->user->umid != in->user->umid)
		return;
	/* nothing lateral: both sides are plain scans */
	if (!bms_is_empty(outerrel->lateral_relids) ||
		!bms_is_empty(innerrel->lateral_relids))
		return;
	if (left_join && (in->local_conds != NIL || in->recheck_conds != NIL))
		return;
	if (full_join &&
		(o->remote_conds != NIL || o->recheck_conds != NIL || o->local_conds != NIL ||
		 in->remote_conds != NIL || in->recheck_conds != NIL || in->local_conds != NIL))
		return;

	/*
	 * A value computed below the join (a PlaceHolderVar, such as a constant
	 * of a subquery on the nullable side) must be NULL in NULL-extended
	 * rows; the scan could only compute it from its contents.  As
	 * postgres_fdw does, such joins are done locally.
	 */
	foreach(lc, root->placeholder_list)
	{
		PlaceHolderInfo *phinfo = lfirst_node(PlaceHolderInfo, lc);

		if (bms_is_subset(phinfo->ph_eval_at, joinrel->relids))
			return;
	}

	j = palloc0(sizeof(MssqlRelInfo));
	*j = *o;
	j->remote_conds = NIL;
	j->recheck_conds = NIL;
	j->local_conds = NIL;
	j->outerrel = outerrel;
	j->innerrel = innerrel;
	j->left_join = left_join;
	j->full_join = full_join;
	j->baserel = NULL;
	j->agg_tlist = NIL;
	j->group_exprs = NIL;
	j->join_conds = NIL;
	j->where_conds = NIL;
	joinrel->fdw_private = j;	/* also for binary_dates() in classify */

	foreach(lc, extra->restrictlist)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
		MssqlPushability p;

		if (ri->pseudoconstant)
		{
			joinrel->fdw_private = NULL;
			return;
		}
		p = mssql_classify_expr(root, joinrel, ri->clause);
		if (outer_join && RINFO_IS_PUSHED_DOWN(ri, joinrel->relids))
		{
			/* a condition above the outer join: a filter of its rows */
			if (p != MSSQL_PUSH_NO)
				j->where_conds = lappend(j->where_conds, ri);
			if (p == MSSQL_PUSH_RECHECK)
				j->recheck_conds = lappend(j->recheck_conds, ri);
			else if (p == MSSQL_PUSH_NO)
				j->local_conds = lappend(j->local_conds, ri);
			continue;
		}
		if (p == MSSQL_PUSH_EXACT)
			j->join_conds = lappend(j->join_conds, ri);
		else if (p == MSSQL_PUSH_RECHECK && !outer_join)
		{
			j->join_conds = lappend(j->join_conds, ri);
			j->recheck_conds = lappend(j->recheck_conds, ri);
		}
		else
		{
			/* a join condition SQL Server cannot evaluate (exactly) */
			joinrel->fdw_private = NULL;
			return;
		}
	}

	/* only plain columns are fetched (no whole-row or system columns) */
	vars = pull_var_clause((Node *) joinrel->reltarget->exprs,
						   PVC_RECURSE_PLACEHOLDERS);
	conds = list_concat(list_copy(o->local_conds), o->recheck_conds);
	conds = list_concat(conds, in->local_conds);
	conds = list_concat(conds, in->recheck_conds);
	conds = list_concat(conds, j->local_conds);
	vars = list_concat(vars,
					   pull_var_clause((Node *) extract_actual_clauses(conds, false),
									   PVC_RECURSE_PLACEHOLDERS));
	foreach(lc, vars)
	{
		Var		   *v = (Var *) lfirst(lc);

		if (!IsA(v, Var) || v->varattno <= 0)
		{
			joinrel->fdw_private = NULL;
			return;
		}
	}

	/*
	 * SQL Server reads both tables and sends the joined rows; the local
	 * checks run on those.
	 */
	rows = joinrel->rows;
	nlocal = list_length(j->recheck_conds) + list_length(j->local_conds) +
		list_length(o->local_conds) + list_length(o->recheck_conds) +
		list_length(in->local_conds) + list_length(in->recheck_conds);
	startup = o->topts.fdw_startup_cost;
	total = startup + (outerrel->tuples + innerrel->tuples) * cpu_operator_cost +
		rows * (o->topts.fdw_tuple_cost + cpu_tuple_cost) +
		rows * nlocal * cpu_operator_cost;
	j->rows = rows;
	j->startup_cost = startup;
	j->total_cost = total;

	add_path(joinrel, (Path *)
			 create_foreign_join_path(root, joinrel, NULL, rows, startup, total,
									  NIL, joinrel->lateral_relids, NULL, NIL));
}

/*
 * Aggregate pushdown: GROUP BY and aggregates of a query on one foreign
 * table whose conditions all run remotely, when every grouping expression
 * and every aggregate is one SQL Server computes exactly as PostgreSQL
 * does (see remote_sql.c).  The scan returns the grouping columns and the
 * aggregates; expressions over them are computed locally on top.  No
 * HAVING, grouping sets or partial aggregation.
 */
static void
add_agg_path(PlannerInfo *root, RelOptInfo *input_rel, RelOptInfo *output_rel,
			 GroupPathExtraData *extra)
{
	Query	   *parse = root->parse;
	PathTarget *target = root->upper_targets[UPPERREL_GROUP_AGG];
	MssqlRelInfo *base;
	MssqlRelInfo *upper;
	List	   *tlist = NIL;
	List	   *group_exprs = NIL;
	ListCell   *lc;
	int			i;
	double		rows;
	Cost		startup,
				total;

	if (input_rel->reloptkind != RELOPT_BASEREL || input_rel->fdw_private == NULL ||
		bms_membership(root->all_baserels) != BMS_SINGLETON)
		return;
	if (parse->groupingSets != NIL ||
		extra->patype != PARTITIONWISE_AGGREGATE_NONE ||
		(!parse->hasAggs && parse->groupClause == NIL))
		return;
	base = (MssqlRelInfo *) input_rel->fdw_private;
	if (base->local_conds != NIL || base->recheck_conds != NIL)
		return;

	/* grouping columns first, then the aggregates found in the target */
	i = 0;
	foreach(lc, target->exprs)
	{
		Expr	   *expr = (Expr *) lfirst(lc);
		Index		sgref = get_pathtarget_sortgroupref(target, i);

		i++;
		if (sgref != 0 && get_sortgroupref_clause_noerr(sgref, parse->groupClause) != NULL)
		{
			TargetEntry *tle;

			if (!mssql_group_pushable(root, input_rel, expr))
				return;
			tle = makeTargetEntry(copyObject(expr), list_length(tlist) + 1, NULL, false);
			tle->ressortgroupref = sgref;
			tlist = lappend(tlist, tle);
			group_exprs = lappend(group_exprs, expr);
		}
	}
	/* every GROUP BY item must be a column sent */
	if (list_length(group_exprs) != list_length(parse->groupClause))
		return;
	/* every HAVING condition must run on SQL Server */
	foreach(lc, (List *) parse->havingQual)
	{
		if (!mssql_having_pushable(root, input_rel, (Expr *) lfirst(lc)))
			return;
	}
	foreach(lc, target->exprs)
	{
		List	   *vars = pull_var_clause((Node *) lfirst(lc),
										   PVC_INCLUDE_AGGREGATES |
										   PVC_RECURSE_PLACEHOLDERS);
		ListCell   *lv;

		foreach(lv, vars)
		{
			Node	   *v = (Node *) lfirst(lv);

			if (IsA(v, Aggref))
			{
				if (!mssql_agg_pushable(root, input_rel, (Aggref *) v))
					return;
				if (!tlist_member((Expr *) v, tlist))
					tlist = lappend(tlist,
									makeTargetEntry((Expr *) copyObject(v),
													list_length(tlist) + 1,
													NULL, false));
			}
			else if (!tlist_member((Expr *) v, tlist))
				return;			/* a column that is not grouped by */
		}
	}

	/*
	 * SQL Server filters and aggregates the rows and sends one per group:
	 * the base scan's cost without the transfer of its rows, plus the
	 * aggregation, plus the transfer of the groups.
	 */
	rows = group_exprs == NIL ? 1 :
		estimate_num_groups(root, group_exprs, input_rel->rows, NULL, NULL);
	startup = base->total_cost -
		input_rel->rows * (base->topts.fdw_tuple_cost + cpu_tuple_cost) +
		input_rel->rows * cpu_operator_cost;
	startup = Max(startup, base->startup_cost);
	total = startup + rows * (base->topts.fdw_tuple_cost + cpu_tuple_cost);

	upper = palloc0(sizeof(MssqlRelInfo));
	*upper = *base;
	upper->baserel = input_rel;
	upper->agg_tlist = tlist;
	upper->group_exprs = group_exprs;
	upper->having = (List *) parse->havingQual;
	upper->rows = rows;
	output_rel->fdw_private = upper;

	add_path(output_rel, (Path *)
			 create_foreign_upper_path(root, output_rel, target, rows,
									   startup, total, NIL, NULL, NIL));
}

/*
 * LIMIT/OFFSET pushdown (as TOP or OFFSET ... FETCH): only for a query on
 * one foreign table whose conditions all run remotely, with a constant
 * limit, and an ORDER BY that SQL Server does itself (or none).
 */
static void
mssqlGetForeignUpperPaths(PlannerInfo *root, UpperRelationKind stage,
						  RelOptInfo *input_rel, RelOptInfo *output_rel,
						  void *extra)
{
	FinalPathExtraData *fextra = (FinalPathExtraData *) extra;
	Query	   *parse = root->parse;
	RelOptInfo *baserel = NULL;
	MssqlRelInfo *base;
	MssqlRelInfo *upper;
	List	   *pathkeys = NIL;
	int64		limit = -1,
				offset = 0;
	double		rows;
	Cost		startup,
				total;
	ListCell   *lc;
	List	   *vars;
	PathTarget *target = root->upper_targets[UPPERREL_FINAL];

	if (stage == UPPERREL_GROUP_AGG && output_rel->fdw_private == NULL)
	{
		add_agg_path(root, input_rel, output_rel, (GroupPathExtraData *) extra);
		return;
	}
	if (stage != UPPERREL_FINAL || output_rel->fdw_private != NULL)
		return;
	if (!fextra->limit_needed ||
		parse->limitOption == LIMIT_OPTION_WITH_TIES ||
		parse->rowMarks != NIL || parse->hasTargetSRFs)
		return;
	/* constants only; a negative one is left to PostgreSQL's error */
	if (parse->limitCount)
	{
		Const	   *c = (Const *) parse->limitCount;

		if (!IsA(c, Const) || c->consttype != INT8OID)
			return;
		limit = c->constisnull ? -1 : DatumGetInt64(c->constvalue);
		if (!c->constisnull && limit < 0)
			return;
	}
	if (parse->limitOffset)
	{
		Const	   *c = (Const *) parse->limitOffset;

		if (!IsA(c, Const) || c->consttype != INT8OID)
			return;
		offset = c->constisnull ? 0 : DatumGetInt64(c->constvalue);
		if (offset < 0)
			return;
	}
	if (limit < 0 && offset <= 0)
		return;

	/* a plain scan of one table: no grouping, aggregates, windows, DISTINCT */
	if (parse->groupClause != NIL || parse->groupingSets != NIL ||
		parse->hasAggs || parse->hasWindowFuncs || parse->havingQual != NULL ||
		parse->distinctClause != NIL || bms_membership(root->all_baserels) != BMS_SINGLETON)
		return;
	if (input_rel->reloptkind == RELOPT_BASEREL)
	{
		if (root->sort_pathkeys != NIL)
			return;
		baserel = input_rel;
	}
	else if (input_rel == fetch_upper_rel(root, UPPERREL_ORDERED, NULL))
	{
		/* the ORDER BY must be one SQL Server can do */
		baserel = find_base_rel(root, bms_singleton_member(root->all_baserels));
		if (baserel->fdwroutine != input_rel->fdwroutine ||
			!mssql_pathkeys_pushable(root, baserel, root->sort_pathkeys))
			return;
		pathkeys = root->sort_pathkeys;
	}
	if (baserel == NULL || baserel->fdw_private == NULL)
		return;
	base = (MssqlRelInfo *) baserel->fdw_private;
	if (base->local_conds != NIL || base->recheck_conds != NIL)
		return;
	if (!bms_equal(root->all_baserels, baserel->relids))
		return;

	/* the scan must return plain columns of the table */
	vars = pull_var_clause((Node *) target->exprs, PVC_INCLUDE_PLACEHOLDERS);
	foreach(lc, vars)
	{
		Var		   *v = (Var *) lfirst(lc);

		if (!IsA(v, Var) || v->varno != baserel->relid || v->varattno <= 0)
			return;
	}

	rows = Max(base->rows - offset, 1);
	if (limit >= 0)
		rows = Min((double) limit, rows);
	startup = base->startup_cost;
	/* fewer rows cross the network than with a local Limit */
	total = startup + rows * (base->topts.fdw_tuple_cost + cpu_tuple_cost) +
		offset * cpu_tuple_cost * 0.5;

	upper = palloc0(sizeof(MssqlRelInfo));
	*upper = *base;
	upper->baserel = baserel;
	output_rel->fdw_private = upper;

	add_path(output_rel, (Path *)
			 create_foreign_upper_path(root, output_rel, target, rows,
									   startup, total, pathkeys, NULL,
									   list_make2(makeConst(INT8OID, -1, InvalidOid, 8,
															Int64GetDatum(limit),
															false, true),
												  makeConst(INT8OID, -1, InvalidOid, 8,
															Int64GetDatum(offset),
															false, true))));
}
