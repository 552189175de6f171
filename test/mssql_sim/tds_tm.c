/*
 * tds_tm.c
 *		Transaction manager requests (0x0E): begin, commit, rollback and
 *		save, as tedious and ODBC drivers send them instead of T-SQL.
 *
 * The request is decoded, logged as "tm: BEGIN|COMMIT|ROLLBACK|SAVE [name]
 * iso=<n>" and handed to the engine (sim_session_tm_request).  Other
 * request types (promote, DTC enlistment, ...) get error 8009.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tds_int.h"

/* A B_VARBYTE transaction name (bytes of UCS-2) as malloc'd UTF-8. */
static char *
read_tm_name(TdsReader *r)
{
	uint8_t		n = tds_r_u8(r);
	const uint8_t *p = tds_r_bytes(r, n);

	return p ? tds_ucs2_to_utf8(p, n, NULL) : tds_xstrdup("");
}

/*
 * Answer a transaction manager request (begin/commit/rollback/save) inside
 * the response the caller has begun.
 */
void
tds_handle_tm(TdsConn *c)
{
	TdsReader	r = {.p = c->req,.len = c->reqlen};
	uint16_t	type;
	int			iso = 0;
	bool		begin_new = false;
	char	   *name = NULL;
	char		logbuf[300];

	tds_skip_all_headers(c, &r);
	type = tds_r_u16(&r);
	switch (type)
	{
		case SIM_TM_BEGIN:
			iso = tds_r_u8(&r);
			name = read_tm_name(&r);
			break;
		case SIM_TM_COMMIT:
		case SIM_TM_ROLLBACK:
			name = read_tm_name(&r);
			if (r.pos < r.len)
			{
				begin_new = (tds_r_u8(&r) & 0x01) != 0;
				if (begin_new && r.pos < r.len)
				{
					char	   *newname;

					iso = tds_r_u8(&r);
					newname = read_tm_name(&r);
					free(newname);
				}
			}
			break;
		case SIM_TM_SAVE:
			name = read_tm_name(&r);
			break;
		default:
			break;
	}

	snprintf(logbuf, sizeof(logbuf), "%s%s%s iso=%d%s",
			 type == SIM_TM_BEGIN ? "BEGIN" : type == SIM_TM_COMMIT ? "COMMIT" :
			 type == SIM_TM_ROLLBACK ? "ROLLBACK" : type == SIM_TM_SAVE ? "SAVE" : "UNSUPPORTED",
			 name && name[0] ? " " : "", name ? name : "", iso,
			 begin_new ? " begin_new" : "");
	sim_log_statement("tm", logbuf);

	if (r.err || (type != SIM_TM_BEGIN && type != SIM_TM_COMMIT &&
				  type != SIM_TM_ROLLBACK && type != SIM_TM_SAVE))
		sim_out_message(&c->out, true, 8009, 1, 16,
						"The transaction manager request is not supported by this server.",
						NULL, 1);
	else
		sim_session_tm_request(c->session, type, iso, name ? name : "",
							   begin_new, &c->out);
	free(name);
}
