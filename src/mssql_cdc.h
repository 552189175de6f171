/*-------------------------------------------------------------------------
 *
 * mssql_cdc.h
 *		Declarations shared by the PostgreSQL side of mssql_cdc.
 *
 * The FreeTDS side lives behind tds_client.h; nothing here includes
 * <sybdb.h>.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MSSQL_CDC_H
#define MSSQL_CDC_H

#include "commands/explain.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "lib/stringinfo.h"
#include "nodes/execnodes.h"
#include "nodes/pathnodes.h"
#include "utils/relcache.h"

#include "tds_client.h"

/* ------------------------------------------------------------------------
 * options.c
 * ------------------------------------------------------------------------
 */

/* Everything needed to connect, merged from server and user mapping */
typedef struct MssqlConnOptions
{
	char	   *host;
	int			port;			/* 0 = not set */
	char	   *instance;
	char	   *database;
	char	   *encryption;
	char	   *tds_version;
	char	   *ca_file;
	char	   *app_name;
	int			login_timeout;
	int			query_timeout;
	int			packet_size;
	bool		readonly_intent;
	char	   *username;
	char	   *password;
	bool		password_required;
} MssqlConnOptions;

/* Planner options of a foreign table, merged with its server's */
typedef struct MssqlTableOptions
{
	char	   *schema_name;	/* NULL when query is set */
	char	   *table_name;
	char	   *query;
	bool		use_remote_estimate;
	bool		analyze_sampling;	/* ANALYZE asks for a remote sample */
	bool		binary_dates;	/* TDS 7.4: date/time values arrive binary */
	double		fdw_startup_cost;
	double		fdw_tuple_cost;
} MssqlTableOptions;

extern void mssql_get_conn_options(ForeignServer *server, UserMapping *user,
								   MssqlConnOptions *opts);
extern void mssql_get_table_options(Oid foreigntableid, MssqlTableOptions *opts);
extern char *mssql_column_name(Oid relid, AttrNumber attnum);
extern bool mssql_option_bool(DefElem *def);
extern UserMapping *mssql_get_user_mapping(Oid userid, Oid serverid);

/* ------------------------------------------------------------------------
 * connection.c
 * ------------------------------------------------------------------------
 */
typedef struct MssqlConn MssqlConn;

extern MssqlConn *mssql_get_connection(UserMapping *user, int nest_level);
extern void mssql_release_connection(MssqlConn *conn);
extern TdsConn *mssql_tds(MssqlConn *conn);
extern void mssql_execute(MssqlConn *conn, const char *sql);
extern bool mssql_execute_noerror(MssqlConn *conn, const char *sql);
extern void mssql_cancel(MssqlConn *conn);

/* ------------------------------------------------------------------------
 * errors.c
 * ------------------------------------------------------------------------
 */
extern void mssql_report_error(int elevel, const char *sql) pg_attribute_noreturn();
extern void mssql_report_connect_error(const char *servername,
									   const MssqlConnOptions *opts) pg_attribute_noreturn();
extern bool mssql_interrupt_requested(void);

/* ------------------------------------------------------------------------
 * types.c
 * ------------------------------------------------------------------------
 */

/* How one remote column becomes one local Datum */
typedef struct MssqlColumnConv
{
	TdsType		ttype;			/* remote type class */
	int			how;			/* conversion path, see types.c */
	Oid			pgtype;
	int32		typmod;
	FmgrInfo	in_func;		/* input function of pgtype, when needed */
	Oid			in_ioparam;
	FmgrInfo	out_func;		/* output function of the natural type */
	const char *colname;		/* for messages */
} MssqlColumnConv;

extern void mssql_init_column_conv(MssqlColumnConv *conv, TdsType ttype,
								   Oid pgtype, int32 typmod, const char *colname);
extern Datum mssql_value_to_datum(MssqlColumnConv *conv, const TdsValue *val);
extern bool mssql_sorts_alike(TdsType ttype, Oid pgtype, bool binary_dates);
extern char *mssql_map_type_for_import(const char *data_type, int char_len,
									   int precision, int scale,
									   int datetime_precision);

/* ------------------------------------------------------------------------
 * remote_sql.c
 * ------------------------------------------------------------------------
 */

/* What the planner knows about a foreign base relation */
typedef struct MssqlRelInfo
{
	Oid			relid;
	MssqlTableOptions topts;
	ForeignTable *table;
	ForeignServer *server;
	UserMapping *user;

	List	   *remote_conds;	/* pushed, not checked locally */
	List	   *recheck_conds;	/* pushed as a superset, checked again
								 * locally */
	List	   *local_conds;	/* only checked locally */
	Bitmapset  *attrs_used;
	double		rows;
	int			width;
	Cost		startup_cost;
	Cost		total_cost;
	RelOptInfo *baserel;		/* for upper relations: the base relation */
	List	   *agg_tlist;		/* for a pushed aggregation: the scan's
								 * target list (grouping columns and
								 * aggregates) */
	List	   *group_exprs;	/* ... and its GROUP BY columns */
	List	   *having;			/* ... and its HAVING conditions */
	RelOptInfo *outerrel;		/* for a pushed join: its two sides, the
								 * preserved one first for LEFT JOIN */
	RelOptInfo *innerrel;
	bool		left_join;		/* ... LEFT JOIN rather than INNER JOIN */
	bool		full_join;		/* ... FULL JOIN rather than INNER JOIN */
	List	   *join_conds;		/* ... the ON clauses sent (RestrictInfos) */
	List	   *where_conds;	/* ... conditions above an outer join sent
								 * to the WHERE */
} MssqlRelInfo;

/* Classification of an expression for pushdown */
typedef enum MssqlPushability
{
	MSSQL_PUSH_NO,
	MSSQL_PUSH_EXACT,			/* SQL Server evaluates it like PostgreSQL */
	MSSQL_PUSH_RECHECK			/* SQL Server returns a superset */
} MssqlPushability;

extern MssqlPushability mssql_classify_expr(PlannerInfo *root, RelOptInfo *baserel,
											Expr *expr);
extern bool mssql_pathkeys_pushable(PlannerInfo *root, RelOptInfo *baserel,
									List *pathkeys);
extern void mssql_deparse_select(StringInfo buf, PlannerInfo *root,
								 RelOptInfo *baserel, List *tlist_vars,
								 Bitmapset *attrs_used, List *conds,
								 List *pathkeys, int64 limit, int64 offset,
								 List **retrieved_attrs, List **sorted_cols,
								 List **params_list, List **param_offsets,
								 List **param_cmps, List *group_exprs,
								 List *having);
extern bool mssql_having_pushable(PlannerInfo *root, RelOptInfo *baserel,
								  Expr *expr);
extern void mssql_deparse_join(StringInfo buf, PlannerInfo *root,
							   RelOptInfo *joinrel, RelOptInfo *outerrel,
							   RelOptInfo *innerrel, const char *join_kind,
							   List *tlist_vars,
							   List *join_conds, List *where_conds,
							   List **retrieved_attrs, List **params_list,
							   List **param_offsets, List **param_cmps);
extern bool mssql_agg_pushable(PlannerInfo *root, RelOptInfo *baserel,
							   Aggref *agg);
extern bool mssql_group_pushable(PlannerInfo *root, RelOptInfo *baserel,
								 Expr *expr);
extern void mssql_deparse_param_cmp(StringInfo buf, const char *col,
									const char *opname, Oid coltype,
									int32 coltypmod, bool binary_dates,
									Datum value, Oid valtype, bool isnull);
extern void mssql_deparse_table_name(StringInfo buf, MssqlTableOptions *topts);
extern void mssql_deparse_analyze(StringInfo buf, Relation rel,
								  MssqlTableOptions *topts, uint32 sample_below,
								  List **retrieved_attrs);
extern void mssql_deparse_count(StringInfo buf, MssqlTableOptions *topts);
extern void mssql_append_ident(StringInfo buf, const char *ident);
extern void mssql_append_nstring(StringInfo buf, const char *str);
extern bool mssql_append_datum_literal(StringInfo buf, Datum value, Oid type,
									   bool isnull);
extern void mssql_deparse_rowcount(StringInfo buf, MssqlTableOptions *topts);
extern void mssql_deparse_import(StringInfo buf, const char *schema,
								 ImportForeignSchemaStmt *stmt);

/* ------------------------------------------------------------------------
 * fdw.c
 * ------------------------------------------------------------------------
 */
extern double mssql_fetch_count(MssqlConn *conn, const char *sql);

/* ------------------------------------------------------------------------
 * scan.c
 * ------------------------------------------------------------------------
 */
extern void mssqlBeginForeignScan(ForeignScanState *node, int eflags);
extern TupleTableSlot *mssqlIterateForeignScan(ForeignScanState *node);
extern void mssqlReScanForeignScan(ForeignScanState *node);
extern void mssqlEndForeignScan(ForeignScanState *node);
extern void mssqlExplainForeignScan(ForeignScanState *node, ExplainState *es);

/* ------------------------------------------------------------------------
 * analyze.c, import.c
 * ------------------------------------------------------------------------
 */
extern bool mssqlAnalyzeForeignTable(Relation relation,
									 AcquireSampleRowsFunc *func,
									 BlockNumber *totalpages);
extern List *mssqlImportForeignSchema(ImportForeignSchemaStmt *stmt,
									  Oid serverOid);

/* fdw_private indexes of a ForeignScan */
enum MssqlScanPrivate
{
	MSSQL_PRIV_SQL,				/* remote SQL (String) */
	MSSQL_PRIV_RETRIEVED,		/* attnums or tlist positions (List of Integer) */
	MSSQL_PRIV_PARAM_OFFSETS,	/* (offset, param index, comparison index or
								 * -1) triples (List of Integer) */
	MSSQL_PRIV_RELID,			/* foreign table OID (Integer) */
	MSSQL_PRIV_SORTED,			/* retrieved positions sorted by SQL Server
								 * (List of Integer) */
	MSSQL_PRIV_PARAM_CMPS,		/* comparisons with a parameter, written when
								 * its value is known: one List (column SQL,
								 * operator, column type, typmod, length of
								 * the placeholder text) each */
	MSSQL_PRIV_TYPMODS			/* for a pushed aggregation: typmod to
								 * convert each retrieved value with, or -1
								 * for the scan tuple's (List of Integer) */
};

/* ------------------------------------------------------------------------
 * mssql_cdc.c (GUCs)
 * ------------------------------------------------------------------------
 */
extern int	mssql_max_connections_per_server;

#endif							/* MSSQL_CDC_H */
