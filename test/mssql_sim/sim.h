/*
 * sim.h
 *		The one header shared by the two halves of the SQL Server stand-in.
 *
 * The stand-in is split in two, and this header is the whole contract
 * between them:
 *
 *   protocol side (tds_*.c, main.c)  - sockets, TDS packets, PRELOGIN, TLS,
 *       LOGIN7, token encoding, RPC decoding, attention.  Knows nothing of
 *       T-SQL.
 *   engine side (engine_*.c)         - sessions, T-SQL parsing and
 *       translation to SQLite, catalog, CT/CDC.  Knows nothing of bytes on
 *       the wire.
 *
 * The engine calls the SimOutput functions (implemented by the protocol
 * side) to emit results; the protocol side calls the sim_engine/sim_session
 * functions (implemented by the engine side) to run requests.
 *
 * Values cross the boundary as sqlite3_value pointers in the storage forms
 * listed below, together with a SimType that says which SQL Server type the
 * value must be sent as.  The encoder is lenient: it converts whatever
 * storage class it gets (an INTEGER for a decimal column, TEXT for a date,
 * ...) to the column's type, the way SQL Server converts implicitly.
 */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

/* ------------------------------------------------------------------------
 * SQL Server types
 * ------------------------------------------------------------------------
 *
 * Storage forms in SQLite (what the engine stores, what the encoder expects):
 *
 *   bit, tinyint, smallint, int, bigint        INTEGER
 *   decimal, numeric, money, smallmoney        TEXT, canonical decimal
 *                                              ("-12.3400", scale digits kept)
 *   float, real                                REAL
 *   date                                       TEXT 'YYYY-MM-DD'
 *   time(n)                                    TEXT 'hh:mm:ss[.fffffff]'
 *   datetime, smalldatetime, datetime2(n)      TEXT 'YYYY-MM-DD hh:mm:ss[.fffffff]'
 *   datetimeoffset(n)                          TEXT 'YYYY-MM-DD hh:mm:ss[.fffffff] +hh:mm'
 *                                              (local time and its offset)
 *   char, varchar, nchar, nvarchar,
 *   text, ntext, xml                           TEXT, UTF-8
 *   binary, varbinary, image, rowversion       BLOB
 *   uniqueidentifier                           TEXT 'XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX'
 *                                              (upper case)
 */
typedef enum SimTypeId
{
	SIM_BIT = 1,
	SIM_TINYINT,
	SIM_SMALLINT,
	SIM_INT,
	SIM_BIGINT,
	SIM_DECIMAL,
	SIM_NUMERIC,
	SIM_MONEY,
	SIM_SMALLMONEY,
	SIM_FLOAT,
	SIM_REAL,
	SIM_DATE,
	SIM_TIME,
	SIM_DATETIME,
	SIM_DATETIME2,
	SIM_SMALLDATETIME,
	SIM_DATETIMEOFFSET,
	SIM_CHAR,
	SIM_VARCHAR,
	SIM_NCHAR,
	SIM_NVARCHAR,
	SIM_TEXT,
	SIM_NTEXT,
	SIM_BINARY,
	SIM_VARBINARY,
	SIM_IMAGE,
	SIM_UNIQUEIDENTIFIER,
	SIM_XML,
	SIM_ROWVERSION,				/* a.k.a. timestamp: binary(8), UserType 0x50 */
	SIM_SYSNAME					/* nvarchar(128) NOT NULL, user_type_id 256 */
} SimTypeId;

#define SIM_MAX_LENGTH (-1)		/* length of varchar(max), nvarchar(max), ... */

typedef struct SimType
{
	SimTypeId	id;
	int			length;			/* char/varchar/binary: bytes; nchar/nvarchar:
								 * characters; SIM_MAX_LENGTH for (max);
								 * 0 where it does not apply */
	int			precision;		/* decimal/numeric precision (1..38);
								 * float: 24 or 53 */
	int			scale;			/* decimal/numeric scale; time, datetime2,
								 * datetimeoffset: fractional digits (0..7) */
} SimType;

/*
 * Parse a T-SQL type spelling ("int", "NVARCHAR(50)", "decimal(10, 2)",
 * "varchar(max)", "datetime2(3)", "float(24)", "timestamp") into *out.
 * Defaults follow SQL Server (decimal = (18,0), varchar = (1), datetime2 =
 * (7), float = (53)).  Returns false and fills errbuf on unknown types or bad
 * arguments.
 */
extern bool sim_type_parse(const char *text, SimType *out, char *errbuf, size_t errlen);

/* Canonical T-SQL spelling of a type, e.g. "nvarchar(50)". */
extern void sim_type_format(const SimType *t, char *buf, size_t buflen);

/* sys.types system_type_id (56 for int, 231 for nvarchar, ...). */
extern int	sim_type_system_type_id(const SimType *t);

/* sys.columns.max_length: bytes, -1 for (max), 16 for text/ntext/image. */
extern int	sim_type_max_length(const SimType *t);

/* ------------------------------------------------------------------------
 * Output: implemented by the protocol side, called by the engine
 * ------------------------------------------------------------------------
 */
typedef struct SimOutput SimOutput;

typedef struct SimColumn
{
	const char *name;			/* UTF-8; "" for an unnamed expression */
	SimType		type;
	bool		nullable;
	bool		identity;
	bool		computed;
} SimColumn;

/* DONE status bits the engine may pass (MORE is added by the protocol side) */
#define SIM_DONE_ERROR	0x0002
#define SIM_DONE_INXACT 0x0004
#define SIM_DONE_COUNT	0x0010

/* DONE CurCmd values (copied from SQL Server traces) */
#define SIM_CMD_SELECT	0x00C1
#define SIM_CMD_INSERT	0x00C3
#define SIM_CMD_DELETE	0x00C4
#define SIM_CMD_UPDATE	0x00C5
#define SIM_CMD_SET		0x00BE
#define SIM_CMD_BEGINTRAN 0x00D4
#define SIM_CMD_COMMIT	0x00D5
#define SIM_CMD_ROLLBACK 0x00D2
#define SIM_CMD_EXECUTE 0x00E0
#define SIM_CMD_OTHER	0x0002

typedef enum SimDoneKind
{
	SIM_DONE,					/* 0xFD: end of a statement in a batch */
	SIM_DONEINPROC,				/* 0xFF: end of a statement inside an RPC */
	SIM_DONEPROC				/* 0xFE: end of an RPC */
} SimDoneKind;

/* Return codes of sim_out_row */
#define SIM_ROW_OK			0
#define SIM_ROW_CANCELLED	1	/* attention arrived: stop producing rows */
#define SIM_ROW_IO_ERROR	2	/* client gone (or a test control dropped it) */

/* Begin a result set: COLMETADATA. */
extern void sim_out_colmetadata(SimOutput *o, int ncols, const SimColumn *cols);

/*
 * Send one row of the current result set (ROW, or NBCROW when any value is
 * NULL).  vals[i] may be an unprotected sqlite3_value from
 * sqlite3_column_value(); it is encoded before this returns.
 */
extern int	sim_out_row(SimOutput *o, sqlite3_value **vals);

/* End of a statement: DONE / DONEINPROC / DONEPROC. */
extern void sim_out_done(SimOutput *o, SimDoneKind kind, uint16_t status,
						 uint16_t curcmd, uint64_t rowcount);

/*
 * ERROR (is_error) or INFO token.  number/state/severity as SQL Server uses
 * them (severity <= 10 is informational); text is UTF-8.  proc may be NULL.
 */
extern void sim_out_message(SimOutput *o, bool is_error, int32_t number,
							uint8_t state, uint8_t severity, const char *text,
							const char *proc, int32_t line);

/* ENVCHANGE 1: current database changed (USE, login). */
extern void sim_out_env_database(SimOutput *o, const char *newdb, const char *olddb);

/*
 * ENVCHANGE 8 (begin), 9 (commit), 10 (rollback) for transaction state
 * changes made by T-SQL or TM requests.  The descriptor is the one the
 * clients echo back in ALL_HEADERS.
 */
#define SIM_ENV_BEGIN_TRAN		8
#define SIM_ENV_COMMIT_TRAN		9
#define SIM_ENV_ROLLBACK_TRAN	10
extern void sim_out_env_transaction(SimOutput *o, int envtype, uint64_t descriptor);

/* RETURNSTATUS (every RPC ends with one) */
extern void sim_out_return_status(SimOutput *o, int32_t status);

/* RETURNVALUE for an OUTPUT parameter of an RPC */
extern void sim_out_return_value(SimOutput *o, int ordinal, const char *name,
								 const SimType *type, sqlite3_value *value);

/* True once an attention has arrived for the request being answered. */
extern bool sim_out_cancel_requested(SimOutput *o);

/* ------------------------------------------------------------------------
 * Requests: implemented by the engine side, called by the protocol side
 * ------------------------------------------------------------------------
 */
typedef struct SimSession SimSession;

typedef struct SimConfig
{
	const char *data_dir;		/* --dir: one SQLite file per database */
	const char *sa_password;	/* --sa-password (NULL: default) */
	const char *logins_file;	/* --logins: "user:password" lines, or NULL */
	const char *server_name;	/* reported by @@SERVERNAME and in messages */
} SimConfig;

/* Once at startup, before any thread starts.  False (with errbuf) on failure. */
extern bool sim_engine_init(const SimConfig *cfg, char *errbuf, size_t errlen);

/* True if user/password is a valid login. */
extern bool sim_engine_check_login(const char *user, const char *password);

/*
 * Open a session for a logged-in user on the given database ("" or NULL =
 * master).  On failure returns NULL and sets *err_number to SQL Server's
 * error (4060 for an unknown database) and errbuf to its text.
 */
extern SimSession *sim_session_open(const char *user, const char *database,
								   int spid, int *err_number,
								   char *errbuf, size_t errlen);
extern void sim_session_close(SimSession *s);
extern const char *sim_session_database(SimSession *s);

/*
 * What the client sent about itself in LOGIN7 (AppName, HostName; UTF-8,
 * "" or NULL when empty), right after sim_session_open.  APP_NAME() and
 * HOST_NAME() return them; they survive USE and RESETCONNECTION.
 */
extern void sim_session_set_client_info(SimSession *s, const char *app_name,
										const char *host_name);

/*
 * True once the session sent an error of severity 20 or more (RAISERROR
 * ... WITH LOG included): SQL Server then ends the connection, so the
 * protocol side closes it after the response that carried the error.
 */
extern bool sim_session_must_close(SimSession *s);

/* Current transaction descriptor (0 when none), for DONE INXACT and ENVCHANGE. */
extern uint64_t sim_session_transaction(SimSession *s);

/*
 * RESETCONNECTION: roll back, drop variables and temp state, restore SET
 * options and the login database.
 */
extern void sim_session_reset(SimSession *s, SimOutput *o);

/*
 * Run a SQL batch (UTF-8 text).  Emits every token of the response except
 * the final flush; the protocol side ends the message.
 */
extern void sim_session_exec_batch(SimSession *s, const char *sql, SimOutput *o);

/* One decoded RPC parameter */
typedef struct SimParam
{
	const char *name;			/* "@x" or "" when sent by position */
	SimType		type;
	bool		output;			/* ByRef / OUTPUT */
	sqlite3_value *value;		/* storage form (see above); never NULL:
								 * an SQL NULL is a NULL sqlite3_value */
} SimParam;

typedef struct SimRpc
{
	const char *proc_name;		/* "sp_executesql", "sys.sp_cdc_enable_db",
								 * ...; a ProcID is mapped to its name */
	int			nparams;
	SimParam   *params;
	bool		no_metadata;	/* OptionFlags 0x02 */
} SimRpc;

/*
 * Run one RPC.  The engine sends the RPC's results, DONEINPROC tokens,
 * RETURNVALUEs, RETURNSTATUS and the final DONEPROC.
 */
extern void sim_session_exec_rpc(SimSession *s, const SimRpc *rpc, SimOutput *o);

/*
 * Transaction manager request (begin/commit/rollback/save).  isolation uses
 * the TM codes (0 no change, 1 RU, 2 RC, 3 RR, 4 SERIALIZABLE, 5 SNAPSHOT).
 */
#define SIM_TM_BEGIN	5
#define SIM_TM_COMMIT	7
#define SIM_TM_ROLLBACK 8
#define SIM_TM_SAVE		9
extern void sim_session_tm_request(SimSession *s, int request_type, int isolation,
								   const char *name, bool begin_new, SimOutput *o);

/* ------------------------------------------------------------------------
 * Test-only fault controls (shared by both sides)
 * ------------------------------------------------------------------------
 * Set by the sim_test.* procedures of the engine, acted on by the protocol
 * side.  Process-wide, because the test that sets them uses another
 * connection than the client under test.  Access with the __atomic builtins.
 */
typedef struct SimFaults
{
	int64_t		drop_after_rows;	/* > 0: the next result that reaches this
									 * many rows closes its connection */
	int64_t		delay_ms;			/* sleep this long before each response */
} SimFaults;

extern SimFaults sim_faults;

/*
 * The faults as they apply to one session (engine_testctl.c; they may be
 * narrowed to a session, database or application name): the delay before
 * each response of session s, and whether a result of s that has reached
 * rows rows must close its connection now (true once: the fault is used
 * up).  Both include the untargeted values of sim_faults.  s may be NULL.
 */
extern int64_t sim_fault_delay_ms(SimSession *s);
extern bool sim_fault_drop_now(SimSession *s, int64_t rows);

/* Statement log (--log-statements): protocol side writes, one entry per request */
extern void sim_log_statement(const char *kind, const char *text);

#endif							/* SIM_H */
