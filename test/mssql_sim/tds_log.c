/*
 * tds_log.c
 *		The statement log (--log-statements): one line per request, so tests
 *		can see exactly what a client sent.
 *
 * Line format:  <spid> <kind>: <text>
 * kind is "batch" (SQL batch text), "rpc" (name(@p=value, ...)), "tm"
 * (transaction manager request) or "reset" (RESETCONNECTION, before the
 * request that carried it).  Backslash, newline and carriage return in
 * the text are written as \\, \n and \r so that every entry stays on one
 * line.  Lines are written whole under a mutex and flushed at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "tds_int.h"

static FILE *log_file;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* SPID of the connection served by this thread (0 outside connections) */
__thread int tds_log_spid;

/* Open the log for appending.  False with a message in errbuf on failure. */
bool
tds_log_open(const char *path, char *errbuf, size_t errlen)
{
	log_file = fopen(path, "a");
	if (log_file == NULL)
	{
		snprintf(errbuf, errlen, "cannot open statement log \"%s\": %s",
				 path, strerror(errno));
		return false;
	}
	return true;
}

/* Append one entry (no-op without --log-statements).  Thread-safe. */
void
sim_log_statement(const char *kind, const char *text)
{
	if (log_file == NULL)
		return;
	pthread_mutex_lock(&log_lock);
	fprintf(log_file, "%d %s: ", tds_log_spid, kind);
	for (const char *p = text ? text : ""; *p; p++)
	{
		if (*p == '\\')
			fputs("\\\\", log_file);
		else if (*p == '\n')
			fputs("\\n", log_file);
		else if (*p == '\r')
			fputs("\\r", log_file);
		else
			fputc(*p, log_file);
	}
	fputc('\n', log_file);
	fflush(log_file);
	pthread_mutex_unlock(&log_lock);
}
