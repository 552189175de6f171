/*-------------------------------------------------------------------------
 *
 * tds_client.h
 *		The FreeTDS side of mssql_cdc, behind opaque handles.
 *
 * tds_client.c is the only file that includes <sybdb.h>.  It never calls
 * ereport() or palloc(): it allocates with malloc(), and reports every
 * failure through one funnel, tds_last_error(), that the PostgreSQL side
 * turns into an ereport with a mapped SQLSTATE (see errors.c).
 *
 * This header must stay free of PostgreSQL and FreeTDS includes.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TDS_CLIENT_H
#define TDS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct TdsConn TdsConn;

/* How a failure came about */
typedef enum TdsErrorKind
{
	TDS_ERR_NONE = 0,
	TDS_ERR_SERVER,				/* an error message from SQL Server */
	TDS_ERR_CLIENT,				/* a db-lib error (network, protocol, ...) */
	TDS_ERR_CONNECT,			/* could not reach or log in to the server */
	TDS_ERR_TIMEOUT,			/* login_timeout or query_timeout expired */
	TDS_ERR_CANCELED,			/* the caller asked to cancel (attention) */
	TDS_ERR_DEAD,				/* the connection is gone */
	TDS_ERR_NOMEM,				/* malloc failed */
	TDS_ERR_UNSUPPORTED			/* a type or feature this client cannot handle */
} TdsErrorKind;

/*
 * The error funnel.  The first server error of severity > 10 since the last
 * tds_clear_error() is kept (later ones are usually consequences, such as
 * 18456 after 4060), together with the last db-lib error.
 */
typedef struct TdsError
{
	TdsErrorKind kind;
	int			number;			/* SQL Server message number, or 0 */
	int			severity;		/* SQL Server severity (class) */
	int			state;
	int			line;
	char		message[2048];	/* SQL Server message text (UTF-8) */
	char		proc[256];
	int			client_number;	/* db-lib error number (SYBE...), or 0 */
	int			client_severity;
	int			os_errno;
	char		client_message[512];
	bool		tls_related;	/* the failure looks like a TLS problem */
} TdsError;

extern const TdsError *tds_last_error(void);
extern void tds_clear_error(void);

/* Connection parameters; strings may be NULL where optional */
typedef struct TdsConnectParams
{
	const char *host;
	int			port;			/* 0: use instance or the default 1433 */
	const char *instance;		/* SQL Server Browser instance name */
	const char *database;
	const char *username;
	const char *password;
	const char *app_name;
	const char *encryption;		/* "off", "request", "require" */
	const char *tds_version;	/* "7.1" .. "7.4" */
	const char *ca_file;		/* verify the server certificate with it */
	const char *conf_prefix;	/* path prefix of the private freetds.conf
								 * (directory and file name start) */
	int			login_timeout;	/* seconds, 0 = none */
	int			query_timeout;	/* seconds, 0 = none */
	int			packet_size;	/* 0 = default */
	bool		readonly_intent;
} TdsConnectParams;

/*
 * Called every second (and on signals) while db-lib waits for the server;
 * returns true when the caller wants the running request cancelled.
 */
typedef bool (*TdsInterruptCheck) (void);

extern bool tds_client_init(TdsInterruptCheck check);

/* Returns NULL on failure (see tds_last_error). */
extern TdsConn *tds_connect(const TdsConnectParams *params);
extern void tds_close(TdsConn *conn);
extern bool tds_is_dead(TdsConn *conn);

/*
 * Send a batch and wait for its first result.  Returns false on failure.
 * Afterwards call tds_next_result()/tds_next_row() to read results, or
 * tds_cancel() to throw them away.
 */
extern bool tds_execute(TdsConn *conn, const char *sql);

/* Result of tds_next_result */
typedef enum TdsResultStatus
{
	TDS_RESULT_ROWS,			/* a result with columns follows */
	TDS_RESULT_NOROWS,			/* a statement without a result set */
	TDS_RESULT_END,				/* no more results */
	TDS_RESULT_ERROR
} TdsResultStatus;

extern TdsResultStatus tds_next_result(TdsConn *conn);

/* Result of tds_next_row */
typedef enum TdsRowStatus
{
	TDS_ROW_OK,
	TDS_ROW_END,
	TDS_ROW_ERROR
} TdsRowStatus;

extern TdsRowStatus tds_next_row(TdsConn *conn);

/* Send an attention and discard pending results; false if that failed. */
extern bool tds_cancel(TdsConn *conn);

/* true while a request's results have not all been read or cancelled */
extern bool tds_is_busy(TdsConn *conn);

/* Run a batch and discard its results (for SET statements). */
extern bool tds_execute_discard(TdsConn *conn, const char *sql);

/* Column types as this client reports them */
typedef enum TdsType
{
	TDS_T_UNKNOWN = 0,
	TDS_T_BIT,
	TDS_T_TINYINT,
	TDS_T_SMALLINT,
	TDS_T_INT,
	TDS_T_BIGINT,
	TDS_T_REAL,
	TDS_T_FLOAT,
	TDS_T_DECIMAL,				/* decimal and numeric */
	TDS_T_MONEY,				/* money and smallmoney (scale 4) */
	TDS_T_DATETIME,				/* datetime and smalldatetime */
	TDS_T_DATE,
	TDS_T_TIME,
	TDS_T_DATETIME2,
	TDS_T_DATETIMEOFFSET,
	TDS_T_CHAR,					/* char, varchar, nchar, nvarchar, text,
								 * ntext: UTF-8 text after conversion */
	TDS_T_XML,					/* xml: UTF-8 text */
	TDS_T_BINARY,				/* binary, varbinary, image, rowversion */
	TDS_T_UUID,
	TDS_T_VARIANT				/* sql_variant: text form */
} TdsType;

typedef struct TdsColumnInfo
{
	const char *name;			/* owned by the connection, valid until the
								 * next result */
	TdsType		type;
	int			native_type;	/* the db-lib type code, for messages */
	int			max_length;
	int			precision;
	int			scale;
} TdsColumnInfo;

extern int	tds_num_columns(TdsConn *conn);
extern bool tds_column_info(TdsConn *conn, int col, TdsColumnInfo *info);

/*
 * A value of the current row in a neutral form.  Pointers refer to db-lib's
 * row buffer and stay valid until the next tds_next_row().
 */
typedef struct TdsValue
{
	bool		isnull;
	union
	{
		int64_t		i;			/* BIT, TINYINT .. BIGINT; MONEY: value x 10^4 */
		double		f;			/* REAL, FLOAT */
		struct
		{
			bool		negative;
			int			precision;
			int			scale;
			int			nbytes;	/* bytes used in mag */
			uint8_t		mag[17];	/* magnitude, big-endian */
		}			num;		/* DECIMAL */
		struct
		{
			int32_t		days;	/* days since 1900-01-01 (may be negative) */
			int64_t		ticks;	/* 100 ns units since midnight */
			int16_t		offset; /* minutes east of UTC (DATETIMEOFFSET; days
								 * and ticks are then UTC) */
		}			dt;			/* DATETIME, DATE, TIME, DATETIME2, ... */
		struct
		{
			const char *data;
			size_t		len;
		}			bytes;		/* CHAR, XML, BINARY, VARIANT */
		uint8_t		uuid[16];	/* UUID in RFC 4122 byte order */
	}			v;
} TdsValue;

/* Fetch column col (1-based) of the current row; false if it cannot. */
extern bool tds_get_value(TdsConn *conn, int col, TdsType type, TdsValue *val);

#endif							/* TDS_CLIENT_H */
