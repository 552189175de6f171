/*-------------------------------------------------------------------------
 *
 * tds_client.c
 *		FreeTDS db-lib sessions: connect, run batches, read rows, cancel.
 *
 * This is the only file that includes <sybdb.h>.  It knows nothing of
 * PostgreSQL: memory comes from malloc(), and every failure is recorded in
 * one place (tds_last_error) for the PostgreSQL side to report.
 *
 * db-lib's error and message handlers only record what they are told and
 * return INT_CANCEL, or INT_TIMEOUT for a timeout (which makes db-lib send
 * an attention and keep reading).  They never return a value that would make
 * dbperror() call exit().
 *
 * Encryption: FreeTDS 1.3's db-lib has no call that sets it (DBSETLENCRYPT
 * is unimplemented), so every connection gets a private freetds.conf with a
 * uniquely named section holding host, port, instance, TDS version,
 * encryption, CA file and client charset.  FREETDSCONF points at it for the
 * duration of dbopen() only, and the file is removed right after; it never
 * contains the password, which goes through the LOGINREC.
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sybfront.h>
#include <sybdb.h>

#include "tds_client.h"

/* TDS type codes sybdb.h does not name in FreeTDS 1.3 */
#ifndef SYBUNIQUE
#define SYBUNIQUE 36			/* uniqueidentifier, 0x24 */
#endif
#ifndef SYBVARIANT
#define SYBVARIANT 98			/* sql_variant, 0x62 */
#endif

struct TdsConn
{
	DBPROCESS  *dbproc;
	bool		busy;			/* results pending */
	int			query_timeout;
	char	   *varbuf;			/* buffer for converted sql_variant values */
	size_t		varbuf_size;
	bool		server_error;	/* SQL Server sent an error (severity > 10)
								 * for the request in progress */
};

static TdsError last_error;
static TdsInterruptCheck interrupt_check = NULL;
static bool initialized = false;

/* state of the request in progress (db-lib is used by one thread) */
static bool in_login = false;
static bool cancel_requested = false;	/* our interrupt hook asked to cancel */
static bool attention_sent = false; /* err_handler had db-lib send one */
static unsigned long conf_counter = 0;

/* seconds to wait for the acknowledgement of an attention */
#define CANCEL_TIMEOUT 15

/* bytes needed for the magnitude of a decimal of precision p (1..38) */
static int	numeric_mag_bytes[39];

static int	err_handler(DBPROCESS *dbproc, int severity, int dberr, int oserr,
						char *dberrstr, char *oserrstr);
static int	msg_handler(DBPROCESS *dbproc, DBINT msgno, int msgstate,
						int severity, char *msgtext, char *srvname,
						char *procname, int line);
static int	check_interrupt(void *dbproc);
static int	handle_interrupt(void *dbproc);
static void set_timeout(TdsConn *conn);
static void note_call_failed(TdsConn *conn, const char *text);
static bool write_conf(const char *path, const char *section,
					   const TdsConnectParams *p);
static bool conf_value_ok(const char *s);

/* ------------------------------------------------------------------------
 * Error funnel
 * ------------------------------------------------------------------------
 */
const TdsError *
tds_last_error(void)
{
	return &last_error;
}

void
tds_clear_error(void)
{
	memset(&last_error, 0, sizeof(last_error));
	cancel_requested = false;
	attention_sent = false;
}

static void
copy_str(char *dst, size_t dstlen, const char *src)
{
	if (src == NULL)
		src = "";
	strncpy(dst, src, dstlen - 1);
	dst[dstlen - 1] = '\0';
}

static void
set_client_error(TdsErrorKind kind, int number, const char *text)
{
	if (last_error.kind == TDS_ERR_NONE || last_error.kind == TDS_ERR_CLIENT)
		last_error.kind = kind;
	last_error.client_number = number;
	copy_str(last_error.client_message, sizeof(last_error.client_message), text);
}

/*
 * A db-lib call on conn failed: unless a handler already recorded why, record
 * text as a client error (TDS_ERR_DEAD when the connection is gone).
 */
static void
note_call_failed(TdsConn *conn, const char *text)
{
	if (last_error.kind == TDS_ERR_NONE)
		set_client_error(DBDEAD(conn->dbproc) ? TDS_ERR_DEAD : TDS_ERR_CLIENT,
						 0, text);
}

/*
 * db-lib error handler: record, then INT_CANCEL (or INT_TIMEOUT to send an
 * attention and keep the connection).
 */
static int
err_handler(DBPROCESS *dbproc, int severity, int dberr, int oserr,
			char *dberrstr, char *oserrstr)
{
	(void) dbproc;

	if (dberr == SYBETIME)
	{
		if (in_login)
		{
			set_client_error(cancel_requested ? TDS_ERR_CANCELED : TDS_ERR_TIMEOUT,
							 dberr, dberrstr);
			return INT_CANCEL;
		}
		if (attention_sent)
		{
			/* the attention was not acknowledged in time: give up */
			set_client_error(TDS_ERR_DEAD, dberr, dberrstr);
			last_error.kind = TDS_ERR_DEAD;
			return INT_CANCEL;
		}
		/* our interrupt hook asked for a cancel, or query_timeout expired */
		attention_sent = true;
		if (cancel_requested)
			last_error.kind = TDS_ERR_CANCELED;
		else
			set_client_error(TDS_ERR_TIMEOUT, dberr, dberrstr);
		return INT_TIMEOUT;
	}

	/* SYBESMSG accompanies every server error; the message handler has it */
	if (dberr == SYBESMSG && last_error.kind == TDS_ERR_SERVER)
		return INT_CANCEL;

	if (last_error.kind == TDS_ERR_NONE || last_error.kind == TDS_ERR_CLIENT)
	{
		TdsErrorKind kind = TDS_ERR_CLIENT;

		if (in_login || dberr == SYBECONN || dberr == SYBEFCON)
			kind = TDS_ERR_CONNECT;
		else if (dberr == SYBESEOF || dberr == SYBEREAD || dberr == SYBEWRIT ||
				 dberr == SYBEDDNE)
			kind = TDS_ERR_DEAD;
		else if (dberr == SYBEMEM)
			kind = TDS_ERR_NOMEM;
		last_error.kind = kind;
	}
	last_error.client_number = dberr;
	last_error.client_severity = severity;
	last_error.os_errno = oserr;
	copy_str(last_error.client_message, sizeof(last_error.client_message), dberrstr);
	if (oserrstr && oserr != 0 && oserr != DBNOERR)
	{
		size_t		l = strlen(last_error.client_message);

		snprintf(last_error.client_message + l,
				 sizeof(last_error.client_message) - l, " (%s)", oserrstr);
	}
	if (dberrstr && (strstr(dberrstr, "SSL") || strstr(dberrstr, "TLS") ||
					 strstr(dberrstr, "ncrypt")))
		last_error.tls_related = true;

	return INT_CANCEL;
}

/*
 * db-lib message handler: keep the first server error (severity > 10).
 * Informational messages (5701 "changed database context", PRINT) are
 * dropped.
 */
static int
msg_handler(DBPROCESS *dbproc, DBINT msgno, int msgstate, int severity,
			char *msgtext, char *srvname, char *procname, int line)
{
	(void) srvname;

	if (severity <= 10)
		return 0;

	/*
	 * Remember on the session that its request failed: an error that comes
	 * after some rows ends the rows like a normal end would (dbnextrow
	 * returns NO_MORE_ROWS), and must not pass for one.
	 */
	if (dbproc != NULL)
	{
		TdsConn    *conn = (TdsConn *) dbgetuserdata(dbproc);

		if (conn != NULL)
			conn->server_error = true;
	}
	if (last_error.kind == TDS_ERR_SERVER)
		return 0;

	last_error.kind = TDS_ERR_SERVER;
	last_error.number = msgno;
	last_error.severity = severity;
	last_error.state = msgstate;
	last_error.line = line;
	copy_str(last_error.message, sizeof(last_error.message), msgtext);
	copy_str(last_error.proc, sizeof(last_error.proc), procname);
	return 0;
}

/*
 * Interrupt hooks: db-lib calls check_interrupt every second and on signals
 * while it waits for the server.  When the PostgreSQL side wants to cancel,
 * handle_interrupt returns INT_CANCEL; db-lib then raises SYBETIME, and
 * err_handler answers INT_TIMEOUT, which sends the attention.
 */
static int
check_interrupt(void *dbproc)
{
	(void) dbproc;

	if (cancel_requested || attention_sent || interrupt_check == NULL)
		return FALSE;
	return interrupt_check() ? TRUE : FALSE;
}

static int
handle_interrupt(void *dbproc)
{
	(void) dbproc;

	cancel_requested = true;
	last_error.kind = TDS_ERR_CANCELED;
	return INT_CANCEL;
}

/*
 * db-lib's handlers are process-wide, and another db-lib user in the same
 * backend (tds_fdw, for one) replaces them with its own.  Put ours back
 * before every call that can report something.
 */
static inline void
claim_handlers(void)
{
	dberrhandle(err_handler);
	dbmsghandle(msg_handler);
}

/* ------------------------------------------------------------------------
 * Setup
 * ------------------------------------------------------------------------
 */
bool
tds_client_init(TdsInterruptCheck check)
{
	int			p;

	interrupt_check = check;
	if (initialized)
		return true;

	tds_clear_error();
	if (dbinit() == FAIL)
	{
		set_client_error(TDS_ERR_CLIENT, 0, "dbinit() failed");
		return false;
	}
	claim_handlers();

	/* smallest byte count holding 10^p - 1, for decimals */
	for (p = 1; p <= 38; p++)
	{
		/* 10^p - 1 < 2^(8n)  <=>  8n >= p * log2(10) */
		int			bits = (p * 3322 + 999) / 1000;

		numeric_mag_bytes[p] = (bits + 7) / 8;
	}
	initialized = true;
	return true;
}

/*
 * FreeTDS config values are single words on a line: refuse anything that
 * could start a new line, section or comment.
 */
static bool
conf_value_ok(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c < 0x20 || c == 0x7f || c == '[' || c == ']' || c == ';' || c == '#')
			return false;
	}
	return true;
}

static bool
write_conf(const char *path, const char *section, const TdsConnectParams *p)
{
	FILE	   *f;
	int			fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return false;
	f = fdopen(fd, "w");
	if (f == NULL)
	{
		close(fd);
		unlink(path);
		return false;
	}
	fprintf(f, "[global]\n");
	fprintf(f, "[%s]\n", section);
	fprintf(f, "\thost = %s\n", p->host);
	if (p->port > 0)
		fprintf(f, "\tport = %d\n", p->port);
	else if (p->instance && p->instance[0])
		fprintf(f, "\tinstance = %s\n", p->instance);
	else
		fprintf(f, "\tport = 1433\n");
	fprintf(f, "\ttds version = %s\n", p->tds_version ? p->tds_version : "7.4");
	fprintf(f, "\tencryption = %s\n", p->encryption ? p->encryption : "request");
	if (p->ca_file && p->ca_file[0])
		fprintf(f, "\tca file = %s\n", p->ca_file);
	fprintf(f, "\tclient charset = UTF-8\n");
	fprintf(f, "\ttext size = 2147483647\n");
	if (fclose(f) != 0)
	{
		unlink(path);
		return false;
	}
	return true;
}

/*
 * Open a session.  Returns NULL on failure; tds_last_error() says why.
 */
TdsConn *
tds_connect(const TdsConnectParams *p)
{
	LOGINREC   *login;
	DBPROCESS  *dbproc;
	TdsConn    *conn;
	char		section[64];
	char		path[1024];
	char	   *old_conf = NULL;
	const char *env;

	tds_clear_error();
	if (!initialized)
	{
		set_client_error(TDS_ERR_CLIENT, 0, "FreeTDS is not initialized");
		return NULL;
	}
	claim_handlers();
	if (!conf_value_ok(p->host) || !conf_value_ok(p->instance) ||
		!conf_value_ok(p->ca_file) || !conf_value_ok(p->tds_version) ||
		!conf_value_ok(p->encryption))
	{
		set_client_error(TDS_ERR_CONNECT, 0,
						 "connection option contains a forbidden character");
		return NULL;
	}

	conn = calloc(1, sizeof(TdsConn));
	if (conn == NULL)
	{
		set_client_error(TDS_ERR_NOMEM, SYBEMEM, "out of memory");
		return NULL;
	}

	login = dblogin();
	if (login == NULL)
	{
		free(conn);
		set_client_error(TDS_ERR_NOMEM, SYBEMEM, "dblogin() failed");
		return NULL;
	}
	DBSETLUSER(login, p->username ? p->username : "");
	DBSETLPWD(login, p->password ? p->password : "");
	DBSETLAPP(login, p->app_name ? p->app_name : "mssql_cdc");
	DBSETLCHARSET(login, "UTF-8");
	if (p->database && p->database[0])
		DBSETLDBNAME(login, p->database);
	if (p->packet_size > 0)
		DBSETLPACKET(login, p->packet_size);
	if (p->readonly_intent)
		DBSETLREADONLY(login, TRUE);

	dbsetlogintime(p->login_timeout > 0 ? p->login_timeout : 0);

	conf_counter++;
	snprintf(section, sizeof(section), "mssql_cdc_%ld_%lu",
			 (long) getpid(), conf_counter);
	snprintf(path, sizeof(path), "%s%s.conf",
			 p->conf_prefix ? p->conf_prefix : "/tmp/", section);
	if (!write_conf(path, section, p))
	{
		dbloginfree(login);
		free(conn);
		set_client_error(TDS_ERR_CONNECT, 0,
						 "could not write the private FreeTDS configuration file");
		last_error.os_errno = errno;
		return NULL;
	}

	env = getenv("FREETDSCONF");
	if (env)
		old_conf = strdup(env);
	setenv("FREETDSCONF", path, 1);

	in_login = true;
	dbproc = dbopen(login, section);
	in_login = false;

	if (old_conf)
	{
		setenv("FREETDSCONF", old_conf, 1);
		free(old_conf);
	}
	else
		unsetenv("FREETDSCONF");
	unlink(path);
	dbloginfree(login);

	if (dbproc == NULL)
	{
		if (last_error.kind == TDS_ERR_NONE || last_error.kind == TDS_ERR_CLIENT)
			last_error.kind = TDS_ERR_CONNECT;
		free(conn);
		return NULL;
	}

	dbsetinterrupt(dbproc, check_interrupt, handle_interrupt);
	dbsetuserdata(dbproc, (BYTE *) conn);
	conn->dbproc = dbproc;
	conn->query_timeout = p->query_timeout > 0 ? p->query_timeout : 0;
	return conn;
}

/*
 * Close a session and free it.  The recorded error (tds_last_error) is
 * kept, so that a caller may close first and report afterwards.
 */
void
tds_close(TdsConn *conn)
{
	TdsError	saved = last_error;

	if (conn == NULL)
		return;
	if (conn->dbproc)
		dbclose(conn->dbproc);
	free(conn->varbuf);
	free(conn);
	last_error = saved;
}

bool
tds_is_dead(TdsConn *conn)
{
	return conn == NULL || conn->dbproc == NULL || DBDEAD(conn->dbproc);
}

bool
tds_is_busy(TdsConn *conn)
{
	return conn != NULL && conn->busy;
}

/*
 * db-lib's query timeout is process-wide (and other db-lib users change it
 * too): set it for this connection before each request.
 */
static void
set_timeout(TdsConn *conn)
{
	dbsettime(conn->query_timeout);
}

/* ------------------------------------------------------------------------
 * Requests and results
 * ------------------------------------------------------------------------
 */
bool
tds_execute(TdsConn *conn, const char *sql)
{
	tds_clear_error();
	if (tds_is_dead(conn))
	{
		set_client_error(TDS_ERR_DEAD, 0, "the connection is closed");
		return false;
	}
	claim_handlers();
	if (conn->busy)
		tds_cancel(conn);
	set_timeout(conn);
	conn->server_error = false;
	dbfreebuf(conn->dbproc);
	if (dbcmd(conn->dbproc, sql) == FAIL)
	{
		if (last_error.kind == TDS_ERR_NONE)
			set_client_error(TDS_ERR_CLIENT, 0, "dbcmd() failed");
		return false;
	}
	conn->busy = true;
	if (dbsqlexec(conn->dbproc) == FAIL)
	{
		note_call_failed(conn, "dbsqlexec() failed");
		if (!DBDEAD(conn->dbproc))
		{
			TdsError	saved = last_error;

			/* throw away whatever the batch still has to say */
			dbcancel(conn->dbproc);
			last_error = saved;
		}
		conn->busy = false;
		return false;
	}
	return true;
}

TdsResultStatus
tds_next_result(TdsConn *conn)
{
	RETCODE		rc;

	claim_handlers();
	set_timeout(conn);
	rc = dbresults(conn->dbproc);
	if (rc == SUCCEED && !conn->server_error)
		return dbnumcols(conn->dbproc) > 0 ? TDS_RESULT_ROWS : TDS_RESULT_NOROWS;
	if (rc == NO_MORE_RESULTS && !conn->server_error)
	{
		conn->busy = false;
		return TDS_RESULT_END;
	}
	if (rc == NO_MORE_RESULTS)
		conn->busy = false;
	note_call_failed(conn, "dbresults() failed");
	return TDS_RESULT_ERROR;
}

TdsRowStatus
tds_next_row(TdsConn *conn)
{
	STATUS		st;

	claim_handlers();
	for (;;)
	{
		st = dbnextrow(conn->dbproc);
		if (st == REG_ROW)
			return TDS_ROW_OK;
		if (st == NO_MORE_ROWS)
		{
			/*
			 * An attention acknowledged mid-result ends the rows too, and so
			 * does an error SQL Server sends after some rows (a division by
			 * zero in row 50,000): neither is the end of the result.
			 */
			if (attention_sent || conn->server_error)
				return TDS_ROW_ERROR;
			return TDS_ROW_END;
		}
		if (st == FAIL || st == BUF_FULL)
		{
			note_call_failed(conn, "dbnextrow() failed");
			return TDS_ROW_ERROR;
		}
		/* a COMPUTE row: not ours, skip it */
	}
}

bool
tds_cancel(TdsConn *conn)
{
	TdsError	saved = last_error;
	bool		saved_requested = cancel_requested;
	bool		saved_sent = attention_sent;
	bool		ok;

	if (tds_is_dead(conn))
		return false;
	claim_handlers();

	/*
	 * dbcancel() sends the attention itself and reads up to its
	 * acknowledgement; do not wait for that forever.
	 */
	cancel_requested = true;
	attention_sent = false;
	dbsettime(CANCEL_TIMEOUT);
	ok = (dbcancel(conn->dbproc) == SUCCEED) && !DBDEAD(conn->dbproc);
	conn->busy = false;
	/* keep the error that made us cancel */
	last_error = saved;
	cancel_requested = saved_requested;
	attention_sent = saved_sent;
	return ok;
}

bool
tds_execute_discard(TdsConn *conn, const char *sql)
{
	TdsResultStatus rs;

	if (!tds_execute(conn, sql))
		return false;
	while ((rs = tds_next_result(conn)) != TDS_RESULT_END)
	{
		if (rs == TDS_RESULT_ERROR)
		{
			tds_cancel(conn);
			return false;
		}
		if (rs == TDS_RESULT_ROWS)
		{
			TdsRowStatus r;

			while ((r = tds_next_row(conn)) == TDS_ROW_OK)
				;
			if (r == TDS_ROW_ERROR)
			{
				tds_cancel(conn);
				return false;
			}
		}
	}
	return last_error.kind == TDS_ERR_NONE;
}

/* ------------------------------------------------------------------------
 * Columns and values
 * ------------------------------------------------------------------------
 */
int
tds_num_columns(TdsConn *conn)
{
	return dbnumcols(conn->dbproc);
}

static TdsType
map_type(int t)
{
	switch (t)
	{
		case SYBBIT:
		case SYBBITN:
			return TDS_T_BIT;
		case SYBINT1:
			return TDS_T_TINYINT;
		case SYBINT2:
			return TDS_T_SMALLINT;
		case SYBINT4:
			return TDS_T_INT;
		case SYBINT8:
			return TDS_T_BIGINT;
		case SYBREAL:
			return TDS_T_REAL;
		case SYBFLT8:
			return TDS_T_FLOAT;
		case SYBDECIMAL:
		case SYBNUMERIC:
			return TDS_T_DECIMAL;
		case SYBMONEY:
		case SYBMONEY4:
			return TDS_T_MONEY;
		case SYBDATETIME:
		case SYBDATETIME4:
			return TDS_T_DATETIME;
		case SYBMSDATE:
			return TDS_T_DATE;
		case SYBMSTIME:
			return TDS_T_TIME;
		case SYBMSDATETIME2:
			return TDS_T_DATETIME2;
		case SYBMSDATETIMEOFFSET:
			return TDS_T_DATETIMEOFFSET;
		case SYBCHAR:
		case SYBVARCHAR:
		case SYBTEXT:
		case SYBNTEXT:
		case SYBNVARCHAR:
			return TDS_T_CHAR;
		case SYBBINARY:
		case SYBVARBINARY:
		case SYBIMAGE:
			return TDS_T_BINARY;
		case SYBUNIQUE:
			return TDS_T_UUID;
		case SYBVARIANT:
			return TDS_T_VARIANT;
		default:
			return TDS_T_UNKNOWN;
	}
}

bool
tds_column_info(TdsConn *conn, int col, TdsColumnInfo *info)
{
	int			t = dbcoltype(conn->dbproc, col);
	DBTYPEINFO *ti;

	if (t < 0)
		return false;
	info->name = dbcolname(conn->dbproc, col);
	info->native_type = t;
	info->type = map_type(t);
	info->max_length = dbcollen(conn->dbproc, col);
	ti = dbcoltypeinfo(conn->dbproc, col);
	info->precision = ti ? ti->precision : 0;
	info->scale = ti ? ti->scale : 0;
	return true;
}

/*
 * Read column col of the current row in the neutral form of its TdsType.
 * The caller passes the type tds_column_info() reported.
 */
bool
tds_get_value(TdsConn *conn, int col, TdsType type, TdsValue *val)
{
	DBPROCESS  *dbproc = conn->dbproc;
	BYTE	   *data = dbdata(dbproc, col);
	DBINT		len;

	if (data == NULL)
	{
		val->isnull = true;
		return true;
	}
	val->isnull = false;
	len = dbdatlen(dbproc, col);

	switch (type)
	{
		case TDS_T_BIT:
		case TDS_T_TINYINT:
		case TDS_T_SMALLINT:
		case TDS_T_INT:
		case TDS_T_BIGINT:
			switch (len)
			{
				case 1:
					val->v.i = *(const uint8_t *) data;
					break;
				case 2:
					{
						int16_t		v;

						memcpy(&v, data, 2);
						val->v.i = v;
						break;
					}
				case 4:
					{
						int32_t		v;

						memcpy(&v, data, 4);
						val->v.i = v;
						break;
					}
				case 8:
					memcpy(&val->v.i, data, 8);
					break;
				default:
					set_client_error(TDS_ERR_UNSUPPORTED, 0, "unexpected integer size");
					return false;
			}
			return true;

		case TDS_T_REAL:
		case TDS_T_FLOAT:
			if (len == 4)
			{
				float		f;

				memcpy(&f, data, 4);
				val->v.f = f;
			}
			else
				memcpy(&val->v.f, data, 8);
			return true;

		case TDS_T_MONEY:
			if (len == 4)
			{
				DBMONEY4	m;

				memcpy(&m, data, sizeof(m));
				val->v.i = m.mny4;
			}
			else
			{
				DBMONEY		m;

				memcpy(&m, data, sizeof(m));
				val->v.i = (int64_t) (((uint64_t) (uint32_t) m.mnyhigh << 32) | m.mnylow);
			}
			return true;

		case TDS_T_DECIMAL:
			{
				const DBNUMERIC *n = (const DBNUMERIC *) data;
				int			nb;

				if (n->precision < 1 || n->precision > 38)
				{
					set_client_error(TDS_ERR_UNSUPPORTED, 0, "decimal precision out of range");
					return false;
				}
				nb = numeric_mag_bytes[n->precision];
				val->v.num.negative = (n->array[0] != 0);
				val->v.num.precision = n->precision;
				val->v.num.scale = n->scale;
				val->v.num.nbytes = nb;
				memcpy(val->v.num.mag, n->array + 1, nb);
				return true;
			}

		case TDS_T_DATETIME:
			if (len == 4)
			{
				DBDATETIME4 d;

				memcpy(&d, data, sizeof(d));
				val->v.dt.days = d.days;
				val->v.dt.ticks = (int64_t) d.minutes * 60 * 10000000;
			}
			else
			{
				DBDATETIME d;

				memcpy(&d, data, sizeof(d));
				val->v.dt.days = d.dtdays;
				/* 1/300 s ticks to 100 ns, rounded */
				val->v.dt.ticks = ((int64_t) (uint32_t) d.dttime * 100000 + 1) / 3;
			}
			val->v.dt.offset = 0;
			return true;

		case TDS_T_DATE:
		case TDS_T_TIME:
		case TDS_T_DATETIME2:
		case TDS_T_DATETIMEOFFSET:
			{
				DBDATETIMEALL d;

				memcpy(&d, data, sizeof(d));
				val->v.dt.days = d.date;
				val->v.dt.ticks = (int64_t) d.time;
				val->v.dt.offset = d.offset;
				return true;
			}

		case TDS_T_CHAR:
		case TDS_T_XML:
		case TDS_T_BINARY:
			val->v.bytes.data = (const char *) data;
			val->v.bytes.len = (size_t) len;
			return true;

		case TDS_T_UUID:
			{
				DBBINARY	u[16];
				uint32_t	d1;
				uint16_t	d2,
							d3;

				if (len != 16)
				{
					set_client_error(TDS_ERR_UNSUPPORTED, 0, "unexpected uniqueidentifier size");
					return false;
				}
				memcpy(u, data, 16);
				memcpy(&d1, u, 4);
				memcpy(&d2, u + 4, 2);
				memcpy(&d3, u + 6, 2);
				val->v.uuid[0] = d1 >> 24;
				val->v.uuid[1] = d1 >> 16;
				val->v.uuid[2] = d1 >> 8;
				val->v.uuid[3] = d1;
				val->v.uuid[4] = d2 >> 8;
				val->v.uuid[5] = d2;
				val->v.uuid[6] = d3 >> 8;
				val->v.uuid[7] = d3;
				memcpy(val->v.uuid + 8, u + 8, 8);
				return true;
			}

		case TDS_T_VARIANT:
			{
				size_t		need = 8192;
				DBINT		r;

				if (conn->varbuf_size < need)
				{
					char	   *nb = realloc(conn->varbuf, need);

					if (nb == NULL)
					{
						set_client_error(TDS_ERR_NOMEM, SYBEMEM, "out of memory");
						return false;
					}
					conn->varbuf = nb;
					conn->varbuf_size = need;
				}
				r = dbconvert(dbproc, dbcoltype(dbproc, col), data, len,
							  SYBCHAR, (BYTE *) conn->varbuf,
							  (DBINT) conn->varbuf_size - 1);
				if (r < 0)
				{
					set_client_error(TDS_ERR_UNSUPPORTED, 0, "cannot convert sql_variant value");
					return false;
				}
				val->v.bytes.data = conn->varbuf;
				val->v.bytes.len = (size_t) r;
				return true;
			}

		default:
			set_client_error(TDS_ERR_UNSUPPORTED, 0, "unsupported column type");
			return false;
	}
}
