/*
 * engine_waitfor.c
 *		WAITFOR DELAY 'hh:mm[:ss[.mmm]]' and WAITFOR TIME 'hh:mm[:ss[.mmm]]'.
 *
 * A statement hook: the session sleeps in steps of at most 20 ms and stops
 * as soon as the client sends an attention (the request is then cancelled,
 * with no error, like any cancelled statement).  The time may be a string
 * literal or a variable; a wrong one is error 148.  Other WAITFOR forms
 * (RECEIVE, ...) are left to the engine.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine_int.h"

extern void engine_waitfor_register(void);

/* Parse 'hh:mm[:ss[.fff]]' (hh < 24) into milliseconds; false if invalid. */
static bool
parse_clock(const char *txt, int64_t *ms)
{
	int			h = 0,
				m = 0,
				sec = 0,
				n = 0,
				k;
	int64_t		frac = 0;
	int			fdigits = 0;
	const char *p;

	if (txt == NULL)
		return false;
	while (*txt == ' ')
		txt++;
	k = sscanf(txt, "%d:%d%n", &h, &m, &n);
	if (k < 2)
		return false;
	p = txt + n;
	if (*p == ':')
	{
		if (sscanf(p + 1, "%d%n", &sec, &n) < 1)
			return false;
		p += 1 + n;
		if (*p == '.')
		{
			for (p++; *p >= '0' && *p <= '9'; p++)
				if (fdigits < 3)
				{
					frac = frac * 10 + (*p - '0');
					fdigits++;
				}
			while (fdigits < 3)
			{
				frac *= 10;
				fdigits++;
			}
		}
	}
	while (*p == ' ')
		p++;
	if (*p != '\0' || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
		return false;
	*ms = ((int64_t) h * 3600 + m * 60 + sec) * 1000 + frac;
	return true;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds from now until the next local time of day `at_ms`. */
static int64_t
until_time_of_day(int64_t at_ms)
{
	struct timespec ts;
	struct tm	tm;
	int64_t		cur;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	cur = ((int64_t) tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec) * 1000 + ts.tv_nsec / 1000000;
	return at_ms >= cur ? at_ms - cur : at_ms + 86400000 - cur;
}

/*
 * Sleep for `ms`, in small steps; returns false if an attention arrived
 * (the session is then marked cancelled).
 */
static bool
wait_ms(SimSession *s, int64_t ms)
{
	int64_t		end = now_ms() + ms;

	for (;;)
	{
		int64_t		left = end - now_ms();
		struct timespec ts;

		if (s->out && !s->internal && sim_out_cancel_requested(s->out))
		{
			s->cancelled = true;
			s->batch_abort = true;
			return false;
		}
		if (left <= 0)
			return true;
		if (left > 20)
			left = 20;
		ts.tv_sec = 0;
		ts.tv_nsec = (long) left * 1000000L;
		nanosleep(&ts, NULL);
	}
}

static EngineHookResult
waitfor_hook(SimSession *s, const EngineStmt *st, int *skip, void *arg)
{
	bool		is_time;
	sqlite3_value *v = NULL;
	const char *txt = NULL;
	int64_t		ms;
	int			end = st->ntok;

	(void) skip;
	(void) arg;
	if (!engine_tok_is(st, 0, "WAITFOR"))
		return ENGINE_HOOK_PASS;
	if (engine_tok_is(st, 1, "DELAY"))
		is_time = false;
	else if (engine_tok_is(st, 1, "TIME"))
		is_time = true;
	else
		return ENGINE_HOOK_PASS;
	while (end > 2 && st->tok[end - 1].type == TK_OP && strcmp(st->tok[end - 1].text, ";") == 0)
		end--;
	if (end == 3 && st->tok[2].type == TK_STRING)
		txt = st->tok[2].text;
	else if (end > 2 && engine_eval_expr(s, st, 2, end, &v, NULL))
		txt = (const char *) sqlite3_value_text(v);
	else if (end <= 2)
	{
		engine_error(s, 102, "Incorrect syntax near '%s'.", st->tok[1].text);
		return ENGINE_HOOK_ERROR;
	}
	else
		return ENGINE_HOOK_ERROR;	/* the expression's error is reported */
	if (!parse_clock(txt, &ms))
	{
		engine_error_sev(s, 148, 15, 1, "Incorrect time syntax in time string '%s' used with WAITFOR.",
					 txt ? txt : "");
		if (v)
			sqlite3_value_free(v);
		return ENGINE_HOOK_ERROR;
	}
	if (v)
		sqlite3_value_free(v);
	if (is_time)
		ms = until_time_of_day(ms);
	if (!wait_ms(s, ms))
		return ENGINE_HOOK_DONE_SENT;	/* cancelled: the attention is answered */
	return ENGINE_HOOK_DONE;
}

/* Register function: see engine_extensions.c. */
void
engine_waitfor_register(void)
{
	engine_register_stmt_hook(waitfor_hook, NULL);
}
