/*
 * dblib_drain.c: the ceiling of any db-lib based FDW.  Runs one query and
 * reads every row with dbnextrow() without looking at the values, then
 * prints the row count.  Built and used by test/bench/fdw_scan.sh.
 *
 *   dblib_drain SERVER USER PASSWORD DATABASE QUERY
 * (SERVER is a section of the freetds.conf that FREETDSCONF names)
 */
#include <stdio.h>
#include <stdlib.h>

#include <sybfront.h>
#include <sybdb.h>

static int
err_handler(DBPROCESS *dbproc, int severity, int dberr, int oserr,
			char *dberrstr, char *oserrstr)
{
	fprintf(stderr, "db-lib error %d: %s\n", dberr, dberrstr ? dberrstr : "");
	return INT_CANCEL;
}

static int
msg_handler(DBPROCESS *dbproc, DBINT msgno, int msgstate, int severity,
			char *msgtext, char *srvname, char *procname, int line)
{
	if (severity > 10)
		fprintf(stderr, "SQL Server error %d: %s\n", (int) msgno, msgtext);
	return 0;
}

int
main(int argc, char **argv)
{
	LOGINREC   *login;
	DBPROCESS  *dbproc;
	long		rows = 0;

	if (argc != 6)
	{
		fprintf(stderr, "usage: %s SERVER USER PASSWORD DATABASE QUERY\n", argv[0]);
		return 2;
	}
	if (dbinit() == FAIL)
		return 1;
	dberrhandle(err_handler);
	dbmsghandle(msg_handler);
	login = dblogin();
	DBSETLUSER(login, argv[2]);
	DBSETLPWD(login, argv[3]);
	DBSETLCHARSET(login, "UTF-8");
	DBSETLDBNAME(login, argv[4]);
	dbproc = dbopen(login, argv[1]);
	if (dbproc == NULL)
		return 1;
	if (dbcmd(dbproc, argv[5]) == FAIL || dbsqlexec(dbproc) == FAIL)
		return 1;
	while (dbresults(dbproc) == SUCCEED)
		while (dbnextrow(dbproc) != NO_MORE_ROWS)
			rows++;
	printf("%ld\n", rows);
	dbclose(dbproc);
	dbexit();
	return 0;
}
