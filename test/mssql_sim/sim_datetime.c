/*
 * sim_datetime.c
 *		Proleptic Gregorian calendar arithmetic (day numbers since
 *		0001-01-01), shared by the protocol and engine halves.
 *
 * The conversions are Howard Hinnant's days_from_civil/civil_from_days
 * algorithms (exact for every year, no tables), shifted from his epoch
 * 1970-01-01 to 0001-01-01.  See sim_datetime.h for the contracts.
 */
#include "sim_datetime.h"

/* days from 0001-01-01 to 1970-01-01, and from 0000-03-01 to 1970-01-01 */
#define DAYS_0001_TO_1970	719162
#define DAYS_0000_03_TO_1970	719468

/* sim_datetime.h */
int64_t
sim_days_from_civil(int y, int m, int d)
{
	int64_t		yy = y - (m <= 2);
	int64_t		era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t		yoe = yy - era * 400;
	int64_t		doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - DAYS_0000_03_TO_1970 + DAYS_0001_TO_1970;
}

/* sim_datetime.h */
void
sim_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t		z = days - DAYS_0001_TO_1970 + DAYS_0000_03_TO_1970;
	int64_t		era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		yy = yoe + era * 400;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	int			dd = (int) (doy - (153 * mp + 2) / 5 + 1);
	int			mm = (int) (mp < 10 ? mp + 3 : mp - 9);

	*y = (int) (yy + (mm <= 2));
	*m = mm;
	*d = dd;
}

/* sim_datetime.h */
int
sim_days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}
