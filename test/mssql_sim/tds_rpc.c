/*
 * tds_rpc.c
 *		RPC requests (0x03), batched RPCs included: decode them, log them,
 *		hand them to the engine.
 *
 * An RPC message may hold several RPCs separated by 0xFF (BatchFlag), 0xFE
 * (NoExecFlag) or, before TDS 7.2, 0x80; all of them are answered in one
 * response message.  A ProcID is mapped to its procedure name.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tds_int.h"

static const char *const procid_names[] = {
	NULL, "sp_cursor", "sp_cursoropen", "sp_cursorprepare", "sp_cursorexecute",
	"sp_cursorprepexec", "sp_cursorunprepare", "sp_cursorfetch",
	"sp_cursoroption", "sp_cursorclose", "sp_executesql", "sp_prepare",
	"sp_execute", "sp_prepexec", "sp_prepexecrpc", "sp_unprepare"
};

/* Append a parameter value in T-SQL literal form (for the log). */
static void
log_value(TdsStrBuf *b, const SimParam *p)
{
	sqlite3_value *v = p->value;
	char		num[64];

	switch (sqlite3_value_type(v))
	{
		case SQLITE_NULL:
			tds_sb_puts(b, "NULL");
			break;
		case SQLITE_INTEGER:
			snprintf(num, sizeof(num), "%lld", (long long) sqlite3_value_int64(v));
			tds_sb_puts(b, num);
			break;
		case SQLITE_FLOAT:
			snprintf(num, sizeof(num), "%.17g", sqlite3_value_double(v));
			tds_sb_puts(b, num);
			break;
		case SQLITE_BLOB:
			{
				const uint8_t *d = sqlite3_value_blob(v);
				int			n = sqlite3_value_bytes(v);

				tds_sb_puts(b, "0x");
				for (int i = 0; i < n; i++)
				{
					snprintf(num, sizeof(num), "%02X", d[i]);
					tds_sb_append(b, num, 2);
				}
				break;
			}
		default:
			{
				const char *t = (const char *) sqlite3_value_text(v);
				SimTypeId	id = p->type.id;

				if (id == SIM_DECIMAL || id == SIM_NUMERIC || id == SIM_MONEY ||
					id == SIM_SMALLMONEY)
				{
					tds_sb_puts(b, t);
					break;
				}
				if (id == SIM_NCHAR || id == SIM_NVARCHAR || id == SIM_NTEXT ||
					id == SIM_XML || id == SIM_SYSNAME)
					tds_sb_puts(b, "N");
				tds_sb_puts(b, "'");
				for (const char *q = t; *q; q++)
				{
					if (*q == '\'')
						tds_sb_puts(b, "''");
					else
						tds_sb_append(b, q, 1);
				}
				tds_sb_puts(b, "'");
				break;
			}
	}
}

/* Write the statement log line of one RPC: name(@p=value, ...). */
static void
log_rpc(const SimRpc *rpc)
{
	TdsStrBuf	b = {0};

	tds_sb_puts(&b, rpc->proc_name);
	tds_sb_puts(&b, "(");
	for (int i = 0; i < rpc->nparams; i++)
	{
		if (i > 0)
			tds_sb_puts(&b, ", ");
		if (rpc->params[i].name[0])
		{
			tds_sb_puts(&b, rpc->params[i].name);
			tds_sb_puts(&b, "=");
		}
		log_value(&b, &rpc->params[i]);
		if (rpc->params[i].output)
			tds_sb_puts(&b, " OUTPUT");
	}
	tds_sb_puts(&b, ")");
	sim_log_statement("rpc", b.s);
	free(b.s);
}

/* Free the names and values of n decoded parameters, and the array. */
static void
free_params(SimParam *params, int n)
{
	for (int i = 0; i < n; i++)
	{
		free((char *) params[i].name);
		if (params[i].value)
			sqlite3_value_free(params[i].value);
	}
	free(params);
}

/*
 * Parse one RPC at the reader's position.  On success fills *rpc (caller
 * frees proc_name and params with free_params); false with r->err set.
 */
static bool
parse_one_rpc(TdsConn *c, TdsReader *r, SimRpc *rpc)
{
	uint16_t	namelen = tds_r_u16(r);
	uint16_t	flags;
	int			cap = 0;
	uint8_t		sep = c->tds_version >= TDSVER_72 ? 0xFF : 0x80;

	memset(rpc, 0, sizeof(*rpc));
	if (namelen == 0xFFFF)
	{
		uint16_t	id = tds_r_u16(r);
		char		buf[32];

		if (id < sizeof(procid_names) / sizeof(procid_names[0]) && procid_names[id])
			rpc->proc_name = tds_xstrdup(procid_names[id]);
		else
		{
			snprintf(buf, sizeof(buf), "procid_%u", id);
			rpc->proc_name = tds_xstrdup(buf);
		}
	}
	else
		rpc->proc_name = tds_r_ucs2(r, namelen);
	flags = tds_r_u16(r);
	if (r->err)
		return false;
	rpc->no_metadata = (flags & 0x02) != 0;

	while (r->pos < r->len && r->p[r->pos] != sep && r->p[r->pos] != 0xFE)
	{
		SimParam   *p;
		uint8_t		nlen;
		uint8_t		status;
		char	   *name;

		if (rpc->nparams == cap)
		{
			cap = cap ? cap * 2 : 8;
			rpc->params = tds_xrealloc(rpc->params, sizeof(SimParam) * cap);
		}
		nlen = tds_r_u8(r);
		name = tds_r_ucs2(r, nlen);
		status = tds_r_u8(r);
		if (r->err)
		{
			free(name);
			return false;
		}
		p = &rpc->params[rpc->nparams++];
		memset(p, 0, sizeof(*p));
		p->name = name;
		p->output = (status & 0x01) != 0;
		if (!tds_read_param_value(c, r, p))
		{
			char		detail[sizeof(r->errmsg)];

			memcpy(detail, r->errmsg, sizeof(detail));
			snprintf(r->errmsg, sizeof(r->errmsg),
					 "The incoming tabular data stream (TDS) remote procedure call (RPC) protocol stream is incorrect. Parameter %d (\"%.40s\"): %.60s",
					 rpc->nparams, name, detail);
			return false;
		}
	}
	return true;
}

/*
 * Answer an RPC request message (c->req): every RPC in it, in order.  The
 * caller has begun the response and ends it.
 */
void
tds_handle_rpc(TdsConn *c)
{
	TdsReader	r = {.p = c->req,.len = c->reqlen};

	tds_skip_all_headers(c, &r);
	while (r.pos < r.len && !c->dead)
	{
		SimRpc		rpc;
		bool		ok = parse_one_rpc(c, &r, &rpc);

		if (!ok)
		{
			sim_log_statement("rpc", rpc.proc_name ? rpc.proc_name : "?");
			sim_out_message(&c->out, true, 8009, 1, 16, r.errmsg, NULL, 1);
			free((char *) rpc.proc_name);
			free_params(rpc.params, rpc.nparams);
			break;
		}
		log_rpc(&rpc);
		sim_session_exec_rpc(c->session, &rpc, &c->out);
		free((char *) rpc.proc_name);
		free_params(rpc.params, rpc.nparams);
		if (c->out.cancelled)
			break;
		/* batch separator: another RPC follows */
		if (r.pos < r.len)
			r.pos++;
	}
}
