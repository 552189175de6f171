/*
 * tds_browser.h
 *		The stand-in's SQL Server Browser (SSRP, [MS-SQLR]): a UDP responder
 *		that tells clients the TCP port of a named instance.
 */
#ifndef TDS_BROWSER_H
#define TDS_BROWSER_H

#include <stdbool.h>
#include <stddef.h>

#define TDS_BROWSER_DEFAULT_INSTANCE "MSSQLSERVER"

/* True if name can be an instance name (1..32 bytes, printable, no ';'). */
extern bool tds_browser_name_ok(const char *name);

/*
 * Bind UDP 127.0.0.1:udp_port and answer SSRP requests from a thread of its
 * own for the rest of the process's life: the one instance instance_name
 * listens on TCP tcp_port.  False (with errbuf) if the port cannot be bound.
 */
extern bool tds_browser_start(int udp_port, const char *instance_name,
							  int tcp_port, char *errbuf, size_t errlen);

#endif							/* TDS_BROWSER_H */
