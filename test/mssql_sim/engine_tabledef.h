/*
 * engine_tabledef.h
 *		Table definitions as DDL works on them (engine_tabledef.c), shared by
 *		CREATE/DROP (engine_ddl.c) and ALTER TABLE/TRUNCATE (engine_alter.c).
 */
#ifndef ENGINE_TABLEDEF_H
#define ENGINE_TABLEDEF_H

#include "engine_int.h"

#define MAX_COLS 1024
#define MAX_KEYS 32
#define MAX_KEYCOLS 32

typedef struct ColDef
{
	EngineColumn c;
	char	   *default_name;	/* CONSTRAINT name of the DEFAULT, or NULL */
	char	   *copy_expr;		/* ALTER: SQLite expr that fills it from the old table */
} ColDef;

typedef struct KeyDef
{
	char		name[ENGINE_NAME_LEN];
	bool		primary;
	bool		constraint;		/* PK/UNIQUE constraint (else CREATE INDEX) */
	bool		clustered;
	bool		system_named;
	bool		unique;			/* CREATE UNIQUE INDEX (constraints are unique) */
	int			index_id;
	int			ncols;
	int			cols[MAX_KEYCOLS];	/* indexes into TableDef.cols */
	bool		desc[MAX_KEYCOLS];
} KeyDef;

typedef struct TableDef
{
	char		schema[ENGINE_NAME_LEN];
	char		name[ENGINE_NAME_LEN];
	int			ncols;
	ColDef		cols[MAX_COLS];
	int			nkeys;
	KeyDef		keys[MAX_KEYS];
} TableDef;

/* memory */
extern void td_free(TableDef *d);
extern int	td_find_col(TableDef *d, const char *name);

/* parsing CREATE TABLE / ALTER TABLE ADD elements; -1 or false after an error */
extern int	td_parse_key_cols(SimSession *s, const EngineStmt *st, int i, TableDef *d, KeyDef *k);
extern KeyDef *td_new_key(SimSession *s, TableDef *d, const char *cname, bool primary);
extern int	td_parse_table_constraint(SimSession *s, const EngineStmt *st, int i, int end,
									  TableDef *d);
extern int	td_parse_column_def(SimSession *s, const EngineStmt *st, int i, int end,
								TableDef *d, bool *explicit_null);
extern bool td_parse_elements(SimSession *s, const EngineStmt *st, int open, TableDef *d);

/* SQLite DDL */
extern void td_build_create_sql(TableDef *d, const char *sqlite_name, EngineBuf *b);
extern bool td_create_plain_indexes(SimSession *s, TableDef *d, const char *sqlite_name, int only);
extern bool td_exec_sql(SimSession *s, const char *sql);

/* catalog rows */
extern bool td_insert_object(SimSession *s, int64_t object_id, const char *name, int schema_id,
							 int64_t parent, const char *type, const char *type_desc,
							 bool system_named, const char *definition);
extern bool td_run_bound(SimSession *s, const char *sql, int64_t a, int64_t b, int64_t c,
						 int64_t d2, int64_t e, int64_t f, const char *text);
extern bool td_delete_catalog(SimSession *s, int64_t object_id, bool keep_object);
extern bool td_write_catalog(SimSession *s, TableDef *d, int64_t object_id, int schema_id);
extern TableDef *td_from_catalog(SimSession *s, EngineTable *t);
extern EngineTable *td_to_table(TableDef *d, const char *sqlite_name);

/* DDL hooks for a table by object_id; false (error reported) to refuse */
extern bool td_ddl_hook(SimSession *s, EngineDdlEvent ev, int64_t object_id, const char *detail);

#endif							/* ENGINE_TABLEDEF_H */
