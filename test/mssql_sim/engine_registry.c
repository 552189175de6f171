/*
 * engine_registry.c
 *		The registries behind engine.h's extension points: procedures,
 *		scalar functions, table-valued function rewrites, statement hooks,
 *		connection-init hooks, DDL hooks, transaction hooks and per-session
 *		slots.
 *
 * Filled once by sim_engine_init() (single-threaded), read-only afterwards.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

#define MAX_ENTRIES 256

typedef struct ProcEntry
{
	char	   *name;			/* lower case, "sys.sp_x" or "sp_x" */
	EngineProcFn fn;
	void	   *arg;
} ProcEntry;

typedef struct TvfEntry
{
	char	   *prefix;
	EngineTvfFn fn;
	void	   *arg;
} TvfEntry;

typedef struct HookEntry
{
	void	   *fn;
	void	   *arg;
} HookEntry;

static ProcEntry procs[MAX_ENTRIES];
static int	nprocs;
static EngineFuncDef funcs[MAX_ENTRIES];
static int	nfuncs;
static TvfEntry tvfs[MAX_ENTRIES];
static int	ntvfs;
static HookEntry stmt_hooks[MAX_ENTRIES];
static int	nstmt_hooks;
static HookEntry conn_hooks[MAX_ENTRIES];
static int	nconn_hooks;
static HookEntry ddl_hooks[MAX_ENTRIES];
static int	nddl_hooks;
static HookEntry txn_hooks[MAX_ENTRIES];
static int	ntxn_hooks;
static void (*slot_free[ENGINE_MAX_EXT_SLOTS]) (void *);
static int	nslots;

static char *
lower_dup(const char *s)
{
	char	   *d = estrdup(s);
	char	   *p;

	for (p = d; *p; p++)
		*p = (char) tolower((unsigned char) *p);
	return d;
}

static void
check_room(int n, const char *what)
{
	if (n >= MAX_ENTRIES)
	{
		fprintf(stderr, "mssql_sim: too many %s registered\n", what);
		abort();
	}
}

/* ---------------- procedures ---------------- */

void
engine_register_proc(const char *name, EngineProcFn fn, void *arg)
{
	check_room(nprocs, "procedures");
	procs[nprocs].name = lower_dup(name);
	procs[nprocs].fn = fn;
	procs[nprocs].arg = arg;
	nprocs++;
}

static const ProcEntry *
proc_find_exact(const char *lname)
{
	int			i;

	for (i = 0; i < nprocs; i++)
		if (strcmp(procs[i].name, lname) == 0)
			return &procs[i];
	return NULL;
}

/*
 * Look a procedure up by a (dotted, unquoted) name as written.  Drops a
 * database part, tries the name as is, "sys."+name, and name without a
 * "sys."/"dbo." schema.
 */
EngineProcFn
engine_proc_lookup(const char *name, void **arg, const char **regname)
{
	char	   *l = lower_dup(name);
	char	   *p = l;
	char		buf[ENGINE_NAME_LEN * 2];
	const ProcEntry *e;
	int			dots = 0;
	char	   *q;

	for (q = l; *q; q++)
		if (*q == '.')
			dots++;
	/* "master.sys.x" or "master..x": drop the database */
	if (dots >= 2)
		p = strchr(l, '.') + 1;
	if (p[0] == '.')
		p++;
	e = proc_find_exact(p);
	if (e == NULL && strchr(p, '.') == NULL)
	{
		snprintf(buf, sizeof(buf), "sys.%s", p);
		e = proc_find_exact(buf);
	}
	if (e == NULL && (strncmp(p, "sys.", 4) == 0 || strncmp(p, "dbo.", 4) == 0))
		e = proc_find_exact(p + 4);
	free(l);
	if (e == NULL)
		return NULL;
	*arg = e->arg;
	if (regname)
		*regname = e->name;
	return e->fn;
}

/* ---------------- scalar functions ---------------- */

/*
 * Contract in engine.h: the SQLite name of a registered function (lower
 * case, '.' as "__"), cut to fit buflen.
 */
void
engine_func_sqlname(const char *tsql_name, char *buf, size_t buflen)
{
	size_t		n = 0;
	const char *p;

	for (p = tsql_name; *p && n + 3 < buflen; p++)
	{
		if (*p == '.')
		{
			buf[n++] = '_';
			buf[n++] = '_';
		}
		else
			buf[n++] = (char) tolower((unsigned char) *p);
	}
	buf[n] = '\0';
}

/*
 * Contract in engine.h.  The T-SQL name is kept in lower case (lookups go
 * by it); flags 0 means SQLITE_UTF8.
 */
void
engine_register_function(const char *tsql_name, int nargs, int flags,
						 void (*fn) (sqlite3_context *, int, sqlite3_value **),
						 const SimType *result_type)
{
	char		sqlname[ENGINE_NAME_LEN];

	check_room(nfuncs, "functions");
	funcs[nfuncs].tsql_name = lower_dup(tsql_name);
	engine_func_sqlname(tsql_name, sqlname, sizeof(sqlname));
	funcs[nfuncs].sql_name = estrdup(sqlname);
	funcs[nfuncs].nargs = nargs;
	funcs[nfuncs].flags = flags ? flags : SQLITE_UTF8;
	funcs[nfuncs].fn = fn;
	if (result_type)
	{
		funcs[nfuncs].result_type = *result_type;
		funcs[nfuncs].has_result_type = true;
	}
	nfuncs++;
}

const EngineFuncDef *
engine_func_lookup(const char *lower_dotted)
{
	int			i;

	for (i = 0; i < nfuncs; i++)
		if (strcmp(funcs[i].tsql_name, lower_dotted) == 0)
			return &funcs[i];
	/* "dbo.f" and "sys.f" also find an unqualified registration */
	if (strncmp(lower_dotted, "sys.", 4) == 0 || strncmp(lower_dotted, "dbo.", 4) == 0)
		for (i = 0; i < nfuncs; i++)
			if (strcmp(funcs[i].tsql_name, lower_dotted + 4) == 0)
				return &funcs[i];
	return NULL;
}

void
engine_funcs_create_registered(SimSession *s, sqlite3 *db)
{
	int			i;

	for (i = 0; i < nfuncs; i++)
		sqlite3_create_function_v2(db, funcs[i].sql_name, funcs[i].nargs,
								   funcs[i].flags, s, funcs[i].fn, NULL, NULL, NULL);
}

/* ---------------- TVFs ---------------- */

void
engine_register_tvf(const char *name_prefix, EngineTvfFn fn, void *arg)
{
	check_room(ntvfs, "table-valued functions");
	tvfs[ntvfs].prefix = lower_dup(name_prefix);
	tvfs[ntvfs].fn = fn;
	tvfs[ntvfs].arg = arg;
	ntvfs++;
}

EngineTvfFn
engine_tvf_lookup(const char *lower_dotted, void **arg)
{
	int			i;

	for (i = 0; i < ntvfs; i++)
		if (strncmp(lower_dotted, tvfs[i].prefix, strlen(tvfs[i].prefix)) == 0)
		{
			*arg = tvfs[i].arg;
			return tvfs[i].fn;
		}
	return NULL;
}

/* ---------------- hooks ---------------- */

void
engine_register_stmt_hook(EngineStmtHookFn fn, void *arg)
{
	check_room(nstmt_hooks, "statement hooks");
	stmt_hooks[nstmt_hooks].fn = (void *) fn;
	stmt_hooks[nstmt_hooks].arg = arg;
	nstmt_hooks++;
}

/*
 * Offer statement st to the statement hooks in registration order; the first
 * that does not pass (or consumes tokens, *skip > 0) decides.
 */
EngineHookResult
engine_run_stmt_hooks(SimSession *s, const EngineStmt *st, int *skip)
{
	int			i;

	*skip = 0;
	for (i = 0; i < nstmt_hooks; i++)
	{
		EngineStmtHookFn fn = (EngineStmtHookFn) stmt_hooks[i].fn;
		EngineHookResult r = fn(s, st, skip, stmt_hooks[i].arg);

		if (r != ENGINE_HOOK_PASS || *skip > 0)
			return r;
	}
	return ENGINE_HOOK_PASS;
}

void
engine_register_conn_init(EngineConnInitFn fn, void *arg)
{
	check_room(nconn_hooks, "connection hooks");
	conn_hooks[nconn_hooks].fn = (void *) fn;
	conn_hooks[nconn_hooks].arg = arg;
	nconn_hooks++;
}

bool
engine_run_conn_init(SimSession *s, sqlite3 *db, char *errbuf, size_t errlen)
{
	int			i;

	for (i = 0; i < nconn_hooks; i++)
	{
		EngineConnInitFn fn = (EngineConnInitFn) conn_hooks[i].fn;

		if (!fn(s, db, conn_hooks[i].arg, errbuf, errlen))
			return false;
	}
	return true;
}

void
engine_register_ddl_hook(EngineDdlHookFn fn, void *arg)
{
	check_room(nddl_hooks, "DDL hooks");
	ddl_hooks[nddl_hooks].fn = (void *) fn;
	ddl_hooks[nddl_hooks].arg = arg;
	nddl_hooks++;
}

bool
engine_run_ddl_hooks(SimSession *s, EngineDdlEvent ev, const EngineTable *t,
					 const char *detail)
{
	int			i;

	for (i = 0; i < nddl_hooks; i++)
	{
		EngineDdlHookFn fn = (EngineDdlHookFn) ddl_hooks[i].fn;

		if (!fn(s, ev, t, detail, ddl_hooks[i].arg))
			return false;
	}
	return true;
}

void
engine_register_txn_hook(EngineTxnHookFn fn, void *arg)
{
	check_room(ntxn_hooks, "transaction hooks");
	txn_hooks[ntxn_hooks].fn = (void *) fn;
	txn_hooks[ntxn_hooks].arg = arg;
	ntxn_hooks++;
}

/*
 * Tell every transaction hook about ev; false if one failed.  For BEGIN
 * and PRE_COMMIT the first failure stops the others (the transaction does
 * not go on).
 */
bool
engine_run_txn_hooks(SimSession *s, EngineTxnEvent ev)
{
	int			i;
	bool		ok = true;

	for (i = 0; i < ntxn_hooks; i++)
	{
		EngineTxnHookFn fn = (EngineTxnHookFn) txn_hooks[i].fn;

		if (!fn(s, ev, txn_hooks[i].arg))
			ok = false;
		if (!ok && (ev == ENGINE_TXN_BEGIN || ev == ENGINE_TXN_PRE_COMMIT))
			return false;
	}
	return ok;
}

/* ---------------- per-session slots ---------------- */

int
engine_ext_slot(void (*free_fn) (void *))
{
	if (nslots >= ENGINE_MAX_EXT_SLOTS)
	{
		fprintf(stderr, "mssql_sim: too many extension slots\n");
		abort();
	}
	slot_free[nslots] = free_fn;
	return nslots++;
}

void *
engine_ext_get(SimSession *s, int slot)
{
	return (slot >= 0 && slot < nslots) ? s->ext[slot] : NULL;
}

void
engine_ext_set(SimSession *s, int slot, void *ptr)
{
	if (slot < 0 || slot >= nslots)
		return;
	if (s->ext[slot] && s->ext[slot] != ptr && slot_free[slot])
		slot_free[slot] (s->ext[slot]);
	s->ext[slot] = ptr;
}

void
engine_ext_free_all(SimSession *s)
{
	int			i;

	for (i = 0; i < nslots; i++)
	{
		if (s->ext[i] && slot_free[i])
			slot_free[i] (s->ext[i]);
		s->ext[i] = NULL;
	}
}
