/*
 * engine_errors.c
 *		SQL Server error numbers, severities and states, the reporting
 *		funnel (engine_error), and the mapping of SQLite errors to them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine_int.h"

typedef struct ErrorDef
{
	int			number;
	int			severity;
	int			state;
	bool		aborts_batch;	/* terminates the batch (not only the statement) */
} ErrorDef;

static const ErrorDef errors[] = {
	{102, 15, 1, true},			/* Incorrect syntax near '%s'. */
	{103, 15, 4, true},			/* The identifier that starts with ... is too long */
	{105, 15, 1, true},			/* Unclosed quotation mark ... */
	{109, 15, 1, true},			/* more columns than values */
	{110, 15, 1, true},			/* fewer columns than values */
	{113, 15, 1, true},			/* Missing end comment mark */
	{128, 15, 1, true},			/* name not permitted in this context */
	{137, 15, 2, true},			/* Must declare the scalar variable */
	{134, 15, 1, true},			/* variable name already declared */
	{155, 15, 1, true},			/* not a recognized datepart option */
	{156, 15, 1, true},			/* Incorrect syntax near the keyword */
	{174, 15, 1, true},			/* function requires N arguments */
	{195, 15, 10, true},		/* not a recognized built-in function */
	{201, 16, 4, false},		/* expects parameter ... not supplied */
	{207, 16, 1, true},			/* Invalid column name */
	{208, 16, 1, true},			/* Invalid object name */
	{209, 16, 1, true},			/* Ambiguous column name */
	{213, 16, 1, true},			/* column name or number of values mismatch */
	{241, 16, 1, true},			/* date conversion failed */
	{242, 16, 3, true},			/* date out of range */
	{245, 16, 1, true},			/* Conversion failed when converting ... */
	{266, 16, 2, false},		/* transaction count mismatch */
	{515, 16, 2, false},		/* NULL into NOT NULL */
	{517, 16, 1, false},		/* dateadd overflow */
	{529, 16, 2, true},			/* explicit conversion not allowed */
	{535, 16, 0, false},		/* datediff overflow */
	{536, 16, 1, false},
	{537, 16, 1, false},
	{544, 16, 1, false},		/* explicit value for identity column */
	{911, 16, 1, false},		/* Database does not exist (USE) */
	{1205, 13, 51, true},		/* deadlock victim */
	{1222, 16, 56, false},		/* lock request time out */
	{1505, 16, 1, false},		/* CREATE UNIQUE INDEX found duplicates */
	{1750, 16, 0, false},		/* Could not create constraint */
	{1801, 16, 3, false},		/* Database already exists */
	{1913, 16, 1, false},		/* index already exists */
	{2601, 14, 1, false},		/* duplicate key in unique index */
	{2627, 14, 1, false},		/* Violation of PRIMARY KEY / UNIQUE KEY */
	{2628, 16, 1, false},		/* String or binary data would be truncated in table */
	{2705, 16, 4, false},		/* column names must be unique */
	{2714, 16, 6, false},		/* There is already an object named */
	{2812, 16, 62, false},		/* Could not find stored procedure */
	{3701, 11, 5, false},		/* Cannot drop ... does not exist */
	{3902, 16, 1, false},		/* COMMIT without BEGIN */
	{3903, 16, 1, false},		/* ROLLBACK without BEGIN */
	{3952, 16, 1, false},		/* snapshot isolation not allowed */
	{3960, 16, 2, true},		/* snapshot update conflict */
	{4060, 11, 1, false},		/* Cannot open database */
	{4104, 16, 1, true},		/* multi-part identifier could not be bound */
	{4145, 15, 1, true},		/* non-boolean expression */
	{4701, 16, 1, false},		/* TRUNCATE: cannot find the object */
	{4902, 16, 1, false},		/* ALTER TABLE: cannot find the object */
	{4922, 16, 9, false},		/* ALTER TABLE ALTER COLUMN failed */
	{4924, 16, 1, false},		/* ALTER TABLE ALTER COLUMN: column does not exist */
	{8101, 16, 1, false},		/* identity value needs a column list */
	{8102, 16, 1, false},		/* Cannot update identity column */
	{8111, 16, 1, false},		/* PRIMARY KEY on a nullable column */
	{8114, 16, 5, true},		/* Error converting data type */
	{8115, 16, 2, true},		/* Arithmetic overflow */
	{8134, 16, 1, false},		/* Divide by zero */
	{8144, 16, 2, false},		/* too many arguments */
	{8152, 16, 30, false},		/* String or binary data would be truncated. */
	{8169, 16, 2, true},		/* uniqueidentifier conversion */
	{8180, 16, 1, false},		/* Statement(s) could not be prepared */
	{15151, 16, 1, false},		/* Cannot find the object/user */
	{0, 16, 1, false}
};

void
engine_error_lookup(int number, int *severity, int *state)
{
	const ErrorDef *e;

	for (e = errors; e->number; e++)
		if (e->number == number)
		{
			*severity = e->severity;
			*state = e->state;
			return;
		}
	*severity = 16;
	*state = 1;
}

bool
engine_error_aborts_batch(int number)
{
	const ErrorDef *e;

	for (e = errors; e->number; e++)
		if (e->number == number)
			return e->aborts_batch;
	return false;
}

/* The funnel: every error and message of the engine goes through here. */
static void
report(SimSession *s, bool is_error, int number, int severity, int state, const char *text)
{
	if (is_error && severity >= 20)
	{
		/* fatal: not caught by TRY; the connection ends after this response */
		s->must_close = true;
		s->batch_abort = true;
	}
	if (is_error && severity > 10 && severity < 20 && s->try_depth > 0)
	{
		/* inside BEGIN TRY: remember it for the CATCH block, send nothing */
		if (!s->try_failed)
		{
			s->try_failed = true;
			s->caught_number = number;
			s->caught_severity = severity;
			s->caught_state = state;
			snprintf(s->caught_message, sizeof(s->caught_message), "%s", text);
			s->caught_line = s->cur_line;
			snprintf(s->caught_proc, sizeof(s->caught_proc), "%s",
					 s->cur_proc ? s->cur_proc : "");
		}
		s->stmt_failed = true;
		s->last_error = number;
		s->batch_abort = true;
		return;
	}
	if (is_error && severity > 10)
	{
		s->stmt_failed = true;
		s->last_error = number;
		if (engine_error_aborts_batch(number) || s->xact_abort)
			s->batch_abort = true;
	}
	if (s->internal)
	{
		if (is_error && severity > 10 && s->internal_err[0] == '\0')
			snprintf(s->internal_err, sizeof(s->internal_err), "Msg %d: %s", number, text);
		return;
	}
	if (s->out)
		sim_out_message(s->out, is_error && severity > 10, number, (uint8_t) state,
						(uint8_t) severity, text, s->cur_proc, s->cur_line);
}

void
engine_error(SimSession *s, int number, const char *fmt,...)
{
	char		text[2048];
	va_list		ap;
	int			severity,
				state;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	engine_error_lookup(number, &severity, &state);
	report(s, true, number, severity, state, text);
}

void
engine_error_sev(SimSession *s, int number, int severity, int state, const char *fmt,...)
{
	char		text[2048];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	report(s, severity > 10, number, severity, state, text);
}

void
engine_info(SimSession *s, int number, const char *text)
{
	report(s, false, number, 0, 1, text);
}

bool
engine_failed(SimSession *s)
{
	return s->stmt_failed;
}

/* Is q[0..n) a table name or alias of the statement (engine_add_qualifier)? */
static bool
known_qualifier(SimSession *s, const char *q, size_t n)
{
	int			i;

	for (i = 0; i + 1 < s->nname_map; i += 2)
		if (s->name_map[i][0] == '\1' && strlen(s->name_map[i] + 1) == n &&
			strncasecmp(s->name_map[i] + 1, q, n) == 0)
			return true;
	return false;
}

/* The name a SQLite table name came from, as the user wrote it. */
static const char *
written_name(SimSession *s, const char *sqlite_name)
{
	int			i;

	for (i = 0; i + 1 < s->nname_map; i += 2)
		if (engine_strcasecmp(s->name_map[i], sqlite_name) == 0)
			return s->name_map[i + 1];
	return sqlite_name;
}

/*
 * Report the handle's last error as SQL Server would.  rc is the SQLite
 * result code that signalled it (extended codes are read from the handle).
 */
void
engine_error_sqlite(SimSession *s, int rc)
{
	const char *msg = sqlite3_errmsg(s->db);
	int			xrc = sqlite3_extended_errcode(s->db);
	int			number;
	const char *text;
	const char *p;

	if (engine_parse_func_error(msg, &number, &text))
	{
		engine_error(s, number, "%s", text);
		return;
	}
	if (xrc == SQLITE_BUSY_SNAPSHOT)
	{
		engine_error(s, 3960, "Snapshot isolation transaction aborted due to update conflict. "
					 "You cannot use snapshot isolation to access table directly or indirectly "
					 "in database '%s' to update, delete, or insert the row that has been "
					 "modified or deleted by another transaction. Retry the transaction or "
					 "change the isolation level for the update/delete statement.", s->dbname);
		/* SQL Server terminates the transaction on an update conflict */
		if (s->trancount > 0 || s->sqlite_txn)
			engine_rollback_tran(s, true);
		return;
	}
	if (((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) && s->cancelled)
	{
		/* the lock wait ended by an attention: no message, as for an interrupt */
		s->stmt_failed = true;
		s->batch_abort = true;
		return;
	}
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
	{
		engine_error(s, 1222, "Lock request time out period exceeded.");
		return;
	}
	if ((p = strstr(msg, "no such table: ")) != NULL)
	{
		p += 15;
		if (strncmp(p, "main.", 5) == 0 || strncmp(p, "temp.", 5) == 0)
			p += 5;
		engine_error(s, 208, "Invalid object name '%s'.", written_name(s, p));
		return;
	}
	if ((p = strstr(msg, "no such column: ")) != NULL)
	{
		const char *dot;

		p += 16;
		dot = strrchr(p, '.');
		if (dot && known_qualifier(s, p, (size_t) (dot - p)))
			engine_error(s, 207, "Invalid column name '%s'.", dot + 1);	/* t.nosuch */
		else if (dot)
			engine_error(s, 4104, "The multi-part identifier \"%s\" could not be bound.", p);
		else
			engine_error(s, 207, "Invalid column name '%s'.", p);
		return;
	}
	if ((p = strstr(msg, "ambiguous column name: ")) != NULL)
	{
		p += 23;
		if (strchr(p, '.'))
			p = strrchr(p, '.') + 1;
		engine_error(s, 209, "Ambiguous column name '%s'.", p);
		return;
	}
	if ((p = strstr(msg, "no such function: ")) != NULL)
	{
		engine_error(s, 195, "'%s' is not a recognized built-in function name.", p + 18);
		return;
	}
	if ((p = strstr(msg, "wrong number of arguments to function ")) != NULL)
	{
		char		fn[128];

		snprintf(fn, sizeof(fn), "%s", p + 38);
		if (strchr(fn, '('))
			*strchr(fn, '(') = '\0';
		engine_error(s, 174, "The %s function requires a different number of arguments.", fn);
		return;
	}
	if ((p = strstr(msg, "near \"")) != NULL && strstr(msg, "syntax error"))
	{
		char		tok[256];
		const char *q = strchr(p + 6, '"');

		snprintf(tok, sizeof(tok), "%.*s", q ? (int) (q - p - 6) : 0, p + 6);
		engine_error(s, 102, "Incorrect syntax near '%s'.", tok);
		return;
	}
	if (strstr(msg, "incomplete input"))
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.",
					 s->cur_last_token ? s->cur_last_token : "");
		return;
	}
	if ((p = strstr(msg, "NOT NULL constraint failed: ")) != NULL)
	{
		const char *col;

		p += 28;
		col = strrchr(p, '.');
		engine_error(s, 515, "Cannot insert the value NULL into column '%s', table '%s.%.*s'; "
					 "column does not allow nulls. %s fails.", col ? col + 1 : p, s->dbname,
					 col ? (int) (col - p) : (int) strlen(p), p,
					 s->cur_cmd == SIM_CMD_UPDATE ? "UPDATE" : "INSERT");
		return;
	}
	if (strstr(msg, "UNIQUE constraint failed") || strstr(msg, "PRIMARY KEY"))
	{
		engine_error(s, 2627, "Violation of UNIQUE KEY constraint. Cannot insert duplicate key.");
		return;
	}
	if (strstr(msg, "integer overflow"))
	{
		engine_error(s, 8115, "Arithmetic overflow error converting expression to data type bigint.");
		return;
	}
	if ((rc & 0xff) == SQLITE_INTERRUPT || xrc == SQLITE_INTERRUPT)
	{
		/* an attention: no message, the protocol side acknowledges it */
		s->cancelled = true;
		s->stmt_failed = true;
		s->batch_abort = true;
		return;
	}
	engine_error(s, 8180, "%s", msg);
}

/*
 * Contract in sim.h.
 */
bool
sim_session_must_close(SimSession *s)
{
	return s != NULL && s->must_close;
}
