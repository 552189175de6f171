/*
 * engine_convert.h
 *		Decimal and date/time text helpers shared by engine_convert.c and the
 *		collations/functions of engine_funcs.c.
 */
#ifndef ENGINE_CONVERT_H
#define ENGINE_CONVERT_H

#include "engine.h"

typedef struct EngineDateTime
{
	int			year,
				month,
				day;
	int			hour,
				minute,
				second;
	int64_t		nanos;
	int			offset_min;
	bool		has_date;
	bool		has_time;
	bool		has_offset;
} EngineDateTime;

extern bool engine_parse_decimal(const char *s, bool *neg, char *digits, int *ndigits,
								 int *point);

/*
 * The shortest spelling ("%.15g" .. "%.17g") of v that reads back as v, so
 * that a REAL 0.1 converts to the decimal 0.1 (engine_decimal.c).
 */
extern void engine_double_text(double v, char *buf, size_t buflen);

/*
 * The running session's SET DATEFORMAT ("mdy" by default): how
 * engine_parse_datetime reads nn/nn/yyyy.  Set from the session at the
 * start of each request (one session per thread at a time).
 */
extern __thread char engine_dateformat[4];
extern int	engine_decimal_cmp(const char *a, int alen, const char *b, int blen);
extern int64_t engine_days_from_civil(int y, int m, int d);
extern void engine_civil_from_days(int64_t days, int *y, int *m, int *d);
extern bool engine_parse_datetime(const char *s, EngineDateTime *dt);
extern bool engine_format_datetime(EngineDateTime *dt, const SimType *t, char *buf,
								   size_t len);
extern void engine_datetime_key(const EngineDateTime *dt, int64_t *secs, int64_t *nanos);

#endif							/* ENGINE_CONVERT_H */
