/*
 * tds_browser.c
 *		The stand-in's SQL Server Browser: the SQL Server Resolution
 *		Protocol (SSRP, [MS-SQLR]) on UDP, so that clients can find a named
 *		instance's TCP port (FreeTDS "instance =", tedious instanceName, the
 *		FDW's "instance" option).
 *
 * Started by main.c when --browser-port is given.  Answers, from a thread
 * of its own, the requests a client sends to the Browser:
 *
 *   CLNT_BCAST_EX   0x02                    -> SVR_RESP listing every instance
 *   CLNT_UCAST_EX   0x03                    -> SVR_RESP listing every instance
 *   CLNT_UCAST_INST 0x04 name NUL           -> SVR_RESP for that instance, or
 *                                              nothing if there is no such
 *                                              instance (as SQL Server Browser)
 *
 * SVR_RESP is 0x05, the size of what follows (2 bytes, little-endian), then
 * for each instance
 *
 *   ServerName;MSSQL_SIM;InstanceName;NAME;IsClustered;No;Version;16.0.1000.6;tcp;PORT;;
 *
 * The stand-in is one instance, so "every instance" is that one.  Anything
 * else (CLNT_UCAST_DAC 0x0F: there is no DAC endpoint; unknown or malformed
 * requests) gets no answer.  Like the TCP listener it binds 127.0.0.1 only.
 * Real SQL Server Browser listens on UDP 1434, and FreeTDS (net.c,
 * tds7_get_instance_port) and tedious always send there.
 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tds_int.h"
#include "tds_browser.h"

#define SSRP_CLNT_BCAST_EX		0x02
#define SSRP_CLNT_UCAST_EX		0x03
#define SSRP_CLNT_UCAST_INST	0x04
#define SSRP_SVR_RESP			0x05
#define SSRP_MAX_INSTANCE_NAME	32	/* bytes, without the NUL (MS-SQLR 2.2.3) */

typedef struct Browser
{
	int			sock;
	char		instance[SSRP_MAX_INSTANCE_NAME + 1];
	int			tcp_port;
} Browser;

static Browser browser;

/* Contract in tds_browser.h. */
bool
tds_browser_name_ok(const char *name)
{
	size_t		n = strlen(name);

	if (n == 0 || n > SSRP_MAX_INSTANCE_NAME)
		return false;
	for (; *name; name++)
	{
		unsigned char c = (unsigned char) *name;

		if (c <= 0x20 || c >= 0x7f || c == ';' || c == '\\')
			return false;
	}
	return true;
}

/* RESP_DATA of our one instance, appended to buf (NUL-terminated). */
static size_t
instance_data(char *buf, size_t buflen)
{
	int			n = snprintf(buf, buflen,
							 "ServerName;%s;InstanceName;%s;IsClustered;No;"
							 "Version;16.0.1000.6;tcp;%d;;",
							 tds_server_name, browser.instance, browser.tcp_port);

	return n < 0 ? 0 : (size_t) n < buflen ? (size_t) n : buflen - 1;
}

/*
 * The answer to one request in out (at least 1027 bytes), or 0 for no
 * answer.
 */
static size_t
answer(const uint8_t *req, size_t len, uint8_t *out)
{
	size_t		n;

	if (len == 0)
		return 0;
	switch (req[0])
	{
		case SSRP_CLNT_BCAST_EX:
		case SSRP_CLNT_UCAST_EX:
			if (len != 1)
				return 0;
			break;
		case SSRP_CLNT_UCAST_INST:
			{
				char		name[SSRP_MAX_INSTANCE_NAME + 1];
				size_t		k;

				/* the name runs to its NUL (or to the end of a sloppy request) */
				for (k = 1; k < len && req[k] != 0; k++)
					;
				if (k - 1 == 0 || k - 1 > SSRP_MAX_INSTANCE_NAME)
					return 0;
				memcpy(name, req + 1, k - 1);
				name[k - 1] = '\0';
				if (strcasecmp(name, browser.instance) != 0)
					return 0;	/* unknown instance: SQL Server Browser is silent */
				break;
			}
		default:
			return 0;
	}
	n = instance_data((char *) out + 3, 1024 + 1);
	out[0] = SSRP_SVR_RESP;
	out[1] = (uint8_t) (n & 0xFF);
	out[2] = (uint8_t) (n >> 8);
	return 3 + n;
}

/*
 * Thread body: answer SSRP requests on browser.sock for the rest of the
 * process's life (SIGTERM and SIGINT blocked: they are the main thread's).
 */
static void *
browser_thread(void *arg)
{
	sigset_t	block;
	uint8_t		req[2048];
	uint8_t		out[3 + 1024 + 1];

	(void) arg;
	/* SIGTERM and SIGINT are for the main thread's accept loop */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, NULL);

	for (;;)
	{
		struct sockaddr_storage from;
		socklen_t	fromlen = sizeof(from);
		ssize_t		got;
		size_t		n;

		got = recvfrom(browser.sock, req, sizeof(req), 0,
					   (struct sockaddr *) &from, &fromlen);
		if (got < 0)
		{
			if (errno != EINTR)
				usleep(10000);
			continue;
		}
		n = answer(req, (size_t) got, out);
		if (n > 0)
			(void) sendto(browser.sock, out, n, 0, (struct sockaddr *) &from, fromlen);
	}
	return NULL;
}

/* Contract in tds_browser.h. */
bool
tds_browser_start(int udp_port, const char *instance_name, int tcp_port,
				  char *errbuf, size_t errlen)
{
	struct sockaddr_in addr;
	pthread_t	th;
	pthread_attr_t attr;
	int			rc;

	if (!tds_browser_name_ok(instance_name))
	{
		snprintf(errbuf, errlen, "invalid instance name \"%s\"", instance_name);
		return false;
	}
	snprintf(browser.instance, sizeof(browser.instance), "%s", instance_name);
	browser.tcp_port = tcp_port;

	browser.sock = socket(AF_INET, SOCK_DGRAM, 0);
	if (browser.sock < 0)
	{
		snprintf(errbuf, errlen, "cannot create a UDP socket: %s", strerror(errno));
		return false;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t) udp_port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(browser.sock, (struct sockaddr *) &addr, sizeof(addr)) != 0)
	{
		snprintf(errbuf, errlen, "cannot listen on UDP 127.0.0.1:%d (SQL Server Browser): %s",
				 udp_port, strerror(errno));
		close(browser.sock);
		return false;
	}

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&th, &attr, browser_thread, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0)
	{
		snprintf(errbuf, errlen, "cannot start the SQL Server Browser thread: %s",
				 strerror(rc));
		close(browser.sock);
		return false;
	}
	return true;
}
