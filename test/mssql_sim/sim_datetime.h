/*
 * sim_datetime.h
 *		Calendar arithmetic shared by the protocol and engine halves of the
 *		stand-in: proleptic Gregorian dates as day numbers.
 *
 * Day numbers count days since 0001-01-01 (day 0), the epoch of SQL
 * Server's date, datetime2 and datetimeoffset types; 1900-01-01, the
 * epoch of datetime and smalldatetime, is day SIM_DAYS_0001_TO_1900.
 */
#ifndef SIM_DATETIME_H
#define SIM_DATETIME_H

#include <stdint.h>

#define SIM_DAYS_0001_TO_1900	693595

/* Day number of y-m-d (m 1..12, d 1..31; not range-checked). */
extern int64_t sim_days_from_civil(int y, int m, int d);

/* The date of a day number: the inverse of sim_days_from_civil. */
extern void sim_civil_from_days(int64_t days, int *y, int *m, int *d);

/* Days in month m (1..12) of year y, leap years included. */
extern int	sim_days_in_month(int y, int m);

#endif							/* SIM_DATETIME_H */
