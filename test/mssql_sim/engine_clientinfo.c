/*
 * engine_clientinfo.c
 *		What the client said about itself in LOGIN7: APP_NAME() and
 *		HOST_NAME().
 *
 * The protocol side hands the LOGIN7 AppName and HostName to the engine
 * with sim_session_set_client_info() (sim.h) right after opening the
 * session.  As in SQL Server they are properties of the session: they do
 * not change with USE and survive RESETCONNECTION (sp_reset_connection
 * keeps program_name and host_name).  A client that sent an empty name
 * gets ''; a session that never got the call (sim_cli) gets '' from
 * APP_NAME() and 'localhost' from HOST_NAME(), as before this file.
 *
 * The values live in a per-session extension slot (engine.h, point 8).
 * The engine frees extension slots on RESETCONNECTION as well as on close,
 * and calls the per-connection init hooks right after a reset but not after
 * a close.  So the slot's free function does not free: it parks the value
 * in a thread-local variable, and the init hook takes it back when the same
 * session (same pointer and SPID) is re-initialized on the same thread.  A
 * value parked by a close is freed by the next park on that thread or when
 * the thread (one per connection) ends.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

extern void engine_clientinfo_register(void);

typedef struct ClientInfo
{
	SimSession *owner;
	int			spid;
	char	   *app_name;
	char	   *host_name;
} ClientInfo;

static int	ci_slot = -1;
static pthread_key_t parked_key;	/* ClientInfo detached by the last reset
									 * or close on this thread */

static const SimType name_type = {SIM_NVARCHAR, 128, 0, 0};

static void
ci_free(void *p)
{
	ClientInfo *ci = p;

	if (ci == NULL)
		return;
	free(ci->app_name);
	free(ci->host_name);
	free(ci);
}

/* Slot free function: park instead of freeing (see the header comment). */
static void
ci_park(void *p)
{
	ClientInfo *old = pthread_getspecific(parked_key);

	if (old != NULL && old != p)
		ci_free(old);
	pthread_setspecific(parked_key, p);
}

/* Per-connection init: a reset session takes its parked value back. */
static bool
ci_conn_init(SimSession *s, sqlite3 *db, void *arg, char *errbuf, size_t errlen)
{
	ClientInfo *parked = pthread_getspecific(parked_key);

	(void) db;
	(void) arg;
	(void) errbuf;
	(void) errlen;
	if (parked != NULL && parked->owner == s && parked->spid == engine_spid(s) &&
		engine_ext_get(s, ci_slot) == NULL)
	{
		pthread_setspecific(parked_key, NULL);
		engine_ext_set(s, ci_slot, parked);
	}
	return true;
}

/* Keep at most 128 characters (nvarchar(128)), never splitting a UTF-8 sequence. */
static char *
name_dup(const char *v)
{
	size_t		n = 0;
	int			chars = 0;

	if (v == NULL)
		v = "";
	while (v[n] && chars < 128)
	{
		n++;
		while ((v[n] & 0xC0) == 0x80)
			n++;
		chars++;
	}
	return estrndup(v, n);
}

void
sim_session_set_client_info(SimSession *s, const char *app_name, const char *host_name)
{
	ClientInfo *ci;

	if (s == NULL || ci_slot < 0)
		return;
	ci = engine_ext_get(s, ci_slot);
	if (ci == NULL)
	{
		ci = emalloc(sizeof(ClientInfo));
		memset(ci, 0, sizeof(*ci));
		engine_ext_set(s, ci_slot, ci);
	}
	ci->owner = s;
	ci->spid = engine_spid(s);
	free(ci->app_name);
	free(ci->host_name);
	ci->app_name = name_dup(app_name);
	ci->host_name = name_dup(host_name);
}

static void
fn_app_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = sqlite3_user_data(ctx);
	ClientInfo *ci = engine_ext_get(s, ci_slot);

	(void) argc;
	(void) argv;
	sqlite3_result_text(ctx, ci ? ci->app_name : "", -1, SQLITE_TRANSIENT);
}

static void
fn_host_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	SimSession *s = sqlite3_user_data(ctx);
	ClientInfo *ci = engine_ext_get(s, ci_slot);

	(void) argc;
	(void) argv;
	sqlite3_result_text(ctx, ci ? ci->host_name : "localhost", -1, SQLITE_TRANSIENT);
}

void
engine_clientinfo_register(void)
{
	if (pthread_key_create(&parked_key, ci_free) != 0)
		abort();
	ci_slot = engine_ext_slot(ci_park);
	engine_register_conn_init(ci_conn_init, NULL);
	/* registered functions are created after the built-ins: this HOST_NAME wins */
	engine_register_function("APP_NAME", 0, SQLITE_UTF8, fn_app_name, &name_type);
	engine_register_function("HOST_NAME", 0, SQLITE_UTF8, fn_host_name, &name_type);
}
