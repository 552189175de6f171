/*
 * cli.c
 *		sim_cli: a text-mode driver for the stand-in's engine.
 *
 *	sim_cli --dir D [--db NAME] [--user U] [--sa-password PW] [-v] [-c SQL]...
 *
 * Runs T-SQL against the data directory D without any network: batches
 * from each -c argument, or from stdin split at lines holding only "GO"
 * (as sqlcmd does).  A line ":session N" (N = 1..8) ends the batch too
 * and switches to session N, opened on first use (same login and
 * database; SPID 50 + N), so that a script can show what one session's
 * locks do to another.  Results are printed as text: a header with each
 * column's name and type (plus NOT NULL / IDENTITY), rows with " | " between values, messages as
 * "Msg N, Level L, State S, Line X" plus the text, "(n rows affected)".
 * -v also prints every DONE token and ENVCHANGE.  It implements the
 * SimOutput functions of sim.h, and the test-only globals the protocol
 * side normally provides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

struct SimOutput
{
	bool		verbose;
	int			ncols;
	SimType		types[1024];
};

SimFaults	sim_faults;

void
sim_log_statement(const char *kind, const char *text)
{
	(void) kind;
	(void) text;
}

/*
 * Print a value: NULL, integers, floats (%.15g, real %.7g), blobs as 0x hex.
 */
static void
print_value(sqlite3_value *v, const SimType *t)
{
	switch (sqlite3_value_type(v))
	{
		case SQLITE_NULL:
			fputs("NULL", stdout);
			break;
		case SQLITE_INTEGER:
			printf("%lld", (long long) sqlite3_value_int64(v));
			break;
		case SQLITE_FLOAT:
			printf(t->id == SIM_REAL ? "%.7g" : "%.15g", sqlite3_value_double(v));
			break;
		case SQLITE_BLOB:
			{
				const unsigned char *b = sqlite3_value_blob(v);
				int			n = sqlite3_value_bytes(v),
							i;

				fputs("0x", stdout);
				for (i = 0; i < n; i++)
					printf("%02X", b[i]);
				break;
			}
		default:
			fputs((const char *) sqlite3_value_text(v), stdout);
			break;
	}
}

void
sim_out_colmetadata(SimOutput *o, int ncols, const SimColumn *cols)
{
	int			i;

	o->ncols = ncols;
	for (i = 0; i < ncols; i++)
	{
		char		buf[64];

		if (i < 1024)
			o->types[i] = cols[i].type;
		sim_type_format(&cols[i].type, buf, sizeof(buf));
		printf("%s%s:%s%s%s", i ? " | " : "", cols[i].name[0] ? cols[i].name : "(no name)", buf,
			   cols[i].nullable ? "" : " NOT NULL", cols[i].identity ? " IDENTITY" : "");
	}
	printf("\n");
}

int
sim_out_row(SimOutput *o, sqlite3_value **vals)
{
	int			i;

	for (i = 0; i < o->ncols; i++)
	{
		if (i)
			fputs(" | ", stdout);
		print_value(vals[i], i < 1024 ? &o->types[i] : &o->types[0]);
	}
	putchar('\n');
	return SIM_ROW_OK;
}

void
sim_out_done(SimOutput *o, SimDoneKind kind, uint16_t status, uint16_t curcmd, uint64_t rowcount)
{
	if (o->verbose)
		printf("[%s status=0x%02x cmd=0x%02x count=%llu]\n",
			   kind == SIM_DONE ? "DONE" : kind == SIM_DONEPROC ? "DONEPROC" : "DONEINPROC",
			   status, curcmd, (unsigned long long) rowcount);
	if (status & SIM_DONE_COUNT)
		printf("(%llu row%s affected)\n", (unsigned long long) rowcount, rowcount == 1 ? "" : "s");
}

void
sim_out_message(SimOutput *o, bool is_error, int32_t number, uint8_t state, uint8_t severity,
				const char *text, const char *proc, int32_t line)
{
	(void) o;
	if (is_error || number != 0)
		printf("Msg %d, Level %d, State %d%s%s, Line %d\n", number, severity, state,
			   proc ? ", Procedure " : "", proc ? proc : "", line);
	printf("%s\n", text);
}

void
sim_out_env_database(SimOutput *o, const char *newdb, const char *olddb)
{
	if (o->verbose)
		printf("[ENVCHANGE database %s -> %s]\n", olddb, newdb);
}

void
sim_out_env_transaction(SimOutput *o, int envtype, uint64_t descriptor)
{
	if (o->verbose)
		printf("[ENVCHANGE %s %llu]\n", envtype == SIM_ENV_BEGIN_TRAN ? "begin" :
			   envtype == SIM_ENV_COMMIT_TRAN ? "commit" : "rollback",
			   (unsigned long long) descriptor);
}

void
sim_out_return_status(SimOutput *o, int32_t status)
{
	if (o->verbose)
		printf("[RETURNSTATUS %d]\n", status);
}

void
sim_out_return_value(SimOutput *o, int ordinal, const char *name, const SimType *type,
					 sqlite3_value *value)
{
	(void) o;
	printf("[OUTPUT %d %s = ", ordinal, name ? name : "");
	print_value(value, type);
	printf("]\n");
}

bool
sim_out_cancel_requested(SimOutput *o)
{
	(void) o;
	return false;
}

#define CLI_MAX_SESSIONS 8

/* The sessions of a run; sessions[cur] runs the batches. */
typedef struct Cli
{
	const char *user;
	const char *db;
	SimSession *sessions[CLI_MAX_SESSIONS];
	int			cur;
} Cli;

/* Switch to session n (1-based), opening it if needed; false on failure. */
static bool
switch_session(Cli *c, int n)
{
	char		err[512];
	int			errnum;

	if (n < 1 || n > CLI_MAX_SESSIONS)
	{
		printf("sim_cli: no session %d (1..%d)\n", n, CLI_MAX_SESSIONS);
		return false;
	}
	if (c->sessions[n - 1] == NULL)
	{
		c->sessions[n - 1] = sim_session_open(c->user, c->db, 50 + n, &errnum, err, sizeof(err));
		if (c->sessions[n - 1] == NULL)
		{
			printf("Msg %d, Level 11, State 1, Line 1\n%s\n", errnum, err);
			return false;
		}
	}
	c->cur = n - 1;
	printf("-- session %d\n", n);
	return true;
}

/* Run the batches of text split at "GO" (and ":session N") lines. */
static void
run_script(Cli *c, SimOutput *o, char *text)
{
	char	   *batch_start = text;
	char	   *p = text;

	while (*p)
	{
		char	   *eol = strchr(p, '\n');
		char	   *line_end = eol ? eol : p + strlen(p);
		char	   *q = p;
		bool		is_go;

		while (q < line_end && (*q == ' ' || *q == '\t'))
			q++;
		is_go = (line_end - q >= 2 && (q[0] == 'G' || q[0] == 'g') && (q[1] == 'O' || q[1] == 'o'));
		if (is_go)
		{
			char	   *r = q + 2;

			while (r < line_end && (*r == ' ' || *r == '\t' || *r == '\r' || *r == ';'))
				r++;
			is_go = (r == line_end);
		}
		if (is_go || (line_end - q > 9 && strncmp(q, ":session ", 9) == 0))
		{
			char		save = *p;

			*p = '\0';
			if (strspn(batch_start, " \t\r\n") < strlen(batch_start))
				sim_session_exec_batch(c->sessions[c->cur], batch_start, o);
			*p = save;
			batch_start = eol ? eol + 1 : line_end;
			if (!is_go)
				switch_session(c, atoi(q + 9));
		}
		p = eol ? eol + 1 : line_end;
	}
	if (strspn(batch_start, " \t\r\n") < strlen(batch_start))
		sim_session_exec_batch(c->sessions[c->cur], batch_start, o);
}

/*
 * Parse options, start the engine, open a session, run -c batches or stdin.
 */
int
main(int argc, char **argv)
{
	SimConfig	cfg;
	SimOutput	out;
	Cli			cli;
	const char *db = "master";
	const char *user = "sa";
	char		err[512];
	int			errnum;
	int			i;
	bool		ran = false;

	memset(&cfg, 0, sizeof(cfg));
	memset(&out, 0, sizeof(out));
	cfg.data_dir = ".";
	cfg.server_name = "MSSQL_SIM";
	for (i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			cfg.data_dir = argv[++i];
		else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
			user = argv[++i];
		else if (strcmp(argv[i], "--sa-password") == 0 && i + 1 < argc)
			cfg.sa_password = argv[++i];
		else if (strcmp(argv[i], "--logins") == 0 && i + 1 < argc)
			cfg.logins_file = argv[++i];
		else if (strcmp(argv[i], "-v") == 0)
			out.verbose = true;
		else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			i++;
		else
		{
			fprintf(stderr, "usage: sim_cli --dir D [--db NAME] [--user U] [-v] [-c SQL]...\n");
			return 2;
		}
	}
	if (!sim_engine_init(&cfg, err, sizeof(err)))
	{
		fprintf(stderr, "sim_cli: %s\n", err);
		return 1;
	}
	memset(&cli, 0, sizeof(cli));
	cli.user = user;
	cli.db = db;
	cli.sessions[0] = sim_session_open(user, db, 51, &errnum, err, sizeof(err));
	if (cli.sessions[0] == NULL)
	{
		printf("Msg %d, Level 11, State 1, Line 1\n%s\n", errnum, err);
		return 1;
	}
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
		{
			char	   *copy = strdup(argv[++i]);

			run_script(&cli, &out, copy);
			free(copy);
			ran = true;
		}
		else if (strcmp(argv[i], "--dir") == 0 || strcmp(argv[i], "--db") == 0 ||
				 strcmp(argv[i], "--user") == 0 || strcmp(argv[i], "--sa-password") == 0 ||
				 strcmp(argv[i], "--logins") == 0)
			i++;
	if (!ran)
	{
		size_t		cap = 65536,
					len = 0,
					n;
		char	   *text = malloc(cap);

		while ((n = fread(text + len, 1, cap - len - 1, stdin)) > 0)
		{
			len += n;
			if (len + 1 >= cap)
			{
				cap *= 2;
				text = realloc(text, cap);
			}
		}
		text[len] = '\0';
		run_script(&cli, &out, text);
		free(text);
	}
	fflush(stdout);
	for (i = CLI_MAX_SESSIONS - 1; i >= 0; i--)
		sim_session_close(cli.sessions[i]);
	return 0;
}
