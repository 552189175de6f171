/*
 * main.c
 *		mssql_sim: the SQL Server stand-in.  Command line, listener, and one
 *		thread per client connection.
 *
 *   mssql_sim --port P --dir D [--sa-password PW] [--logins F]
 *             [--tls-cert F --tls-key F] [--force-encryption]
 *             [--log-statements F]
 *             [--browser-port N [--instance-name NAME]]
 *
 * Listens on 127.0.0.1:P only, runs in the foreground, prints one line
 * "mssql_sim: ready on 127.0.0.1:P" to stderr once it accepts connections,
 * and exits with status 0 on SIGTERM or SIGINT.
 */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tds_int.h"
#include "tds_browser.h"

#define DEFAULT_SA_PASSWORD "Sim_Passw0rd!"
#define FIRST_SPID 51
#define LAST_SPID 32767

static volatile sig_atomic_t stop_requested;
static bool force_encryption;

typedef struct ConnArgs
{
	int			sock;
	int			spid;
} ConnArgs;

/* SIGTERM, SIGINT: ask the accept loop to stop. */
static void
handle_stop(int signo)
{
	(void) signo;
	stop_requested = 1;
}

/* The option summary, to f. */
static void
usage(FILE *f)
{
	fprintf(f,
			"usage: mssql_sim --port P --dir D [options]\n"
			"\n"
			"  --port P              TCP port on 127.0.0.1\n"
			"  --dir D               data directory (created if missing)\n"
			"  --sa-password PW      password of login sa (default %s)\n"
			"  --logins F            more logins, one user:password per line\n"
			"  --tls-cert F          PEM certificate (enables encryption)\n"
			"  --tls-key F           PEM private key of that certificate\n"
			"  --force-encryption    require encryption of every connection\n"
			"  --log-statements F    append every request to F\n"
			"  --browser-port N      answer SQL Server Browser requests on UDP N\n"
			"  --instance-name NAME  instance name the browser reports (default %s)\n",
			DEFAULT_SA_PASSWORD, TDS_BROWSER_DEFAULT_INSTANCE);
}

/* Thread body: serve one accepted connection; frees its ConnArgs. */
static void *
conn_thread(void *arg)
{
	ConnArgs	a = *(ConnArgs *) arg;

	free(arg);
	tds_serve(a.sock, a.spid, force_encryption);
	return NULL;
}

/* The command line */
typedef struct Options
{
	int			port;
	const char *dir;
	const char *sa_password;
	const char *logins;
	const char *cert;
	const char *key;
	const char *logfile;
	int			browser_port;
	const char *instance_name;
} Options;

/*
 * Read the command line into *o (and force_encryption).  Returns -1 if the
 * server is to run, else the exit status: 0 after --help, 2 for wrong
 * options (usage or a message on stderr).
 */
static int
parse_options(int argc, char **argv, Options *o)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"dir", required_argument, NULL, 'd'},
		{"sa-password", required_argument, NULL, 'P'},
		{"logins", required_argument, NULL, 'L'},
		{"tls-cert", required_argument, NULL, 'c'},
		{"tls-key", required_argument, NULL, 'k'},
		{"force-encryption", no_argument, NULL, 'f'},
		{"log-statements", required_argument, NULL, 'l'},
		{"browser-port", required_argument, NULL, 'B'},
		{"instance-name", required_argument, NULL, 'I'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int			opt;

	memset(o, 0, sizeof(*o));
	o->sa_password = DEFAULT_SA_PASSWORD;
	o->instance_name = TDS_BROWSER_DEFAULT_INSTANCE;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1)
	{
		switch (opt)
		{
			case 'p':
				o->port = atoi(optarg);
				break;
			case 'd':
				o->dir = optarg;
				break;
			case 'P':
				o->sa_password = optarg;
				break;
			case 'L':
				o->logins = optarg;
				break;
			case 'c':
				o->cert = optarg;
				break;
			case 'k':
				o->key = optarg;
				break;
			case 'f':
				force_encryption = true;
				break;
			case 'l':
				o->logfile = optarg;
				break;
			case 'B':
				o->browser_port = atoi(optarg);
				break;
			case 'I':
				o->instance_name = optarg;
				break;
			case 'h':
				usage(stdout);
				return 0;
			default:
				usage(stderr);
				return 2;
		}
	}
	if (optind < argc || o->port <= 0 || o->port > 65535 || o->dir == NULL)
	{
		usage(stderr);
		return 2;
	}
	if (o->browser_port < 0 || o->browser_port > 65535 ||
		!tds_browser_name_ok(o->instance_name))
	{
		usage(stderr);
		return 2;
	}
	if ((o->cert == NULL) != (o->key == NULL))
	{
		fprintf(stderr, "mssql_sim: --tls-cert and --tls-key go together\n");
		return 2;
	}
	if (force_encryption && o->cert == NULL)
	{
		fprintf(stderr, "mssql_sim: --force-encryption needs --tls-cert and --tls-key\n");
		return 2;
	}
	return -1;
}

/*
 * Create the data directory, load the certificate, open the statement log
 * and start the engine.  False (with a message on stderr) on failure.
 */
static bool
start_services(const Options *o)
{
	char		errbuf[512];
	SimConfig	cfg;

	if (mkdir(o->dir, 0777) != 0 && errno != EEXIST)
	{
		fprintf(stderr, "mssql_sim: cannot create \"%s\": %s\n", o->dir, strerror(errno));
		return false;
	}
	if (o->cert && !tds_tls_init(o->cert, o->key, errbuf, sizeof(errbuf)))
	{
		fprintf(stderr, "mssql_sim: %s\n", errbuf);
		return false;
	}
	if (o->logfile && !tds_log_open(o->logfile, errbuf, sizeof(errbuf)))
	{
		fprintf(stderr, "mssql_sim: %s\n", errbuf);
		return false;
	}

	memset(&cfg, 0, sizeof(cfg));
	cfg.data_dir = o->dir;
	cfg.sa_password = o->sa_password;
	cfg.logins_file = o->logins;
	cfg.server_name = tds_server_name;
	errbuf[0] = '\0';
	if (!sim_engine_init(&cfg, errbuf, sizeof(errbuf)))
	{
		fprintf(stderr, "mssql_sim: %s\n", errbuf);
		return false;
	}
	return true;
}

/* SIGPIPE ignored; SIGTERM and SIGINT end the accept loop. */
static void
install_signal_handlers(void)
{
	struct sigaction sa;

	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handle_stop;	/* no SA_RESTART: poll() returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

/*
 * A socket listening on 127.0.0.1:port, or -1 (with a message on stderr)
 * if the port cannot be had.
 */
static int
open_listener(int port)
{
	int			lsock;
	int			one = 1;
	struct sockaddr_in addr;

	lsock = socket(AF_INET, SOCK_STREAM, 0);
	if (lsock < 0)
	{
		perror("mssql_sim: socket");
		return -1;
	}
	setsockopt(lsock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t) port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lsock, (struct sockaddr *) &addr, sizeof(addr)) != 0 ||
		listen(lsock, 128) != 0)
	{
		fprintf(stderr, "mssql_sim: cannot listen on 127.0.0.1:%d: %s\n",
				port, strerror(errno));
		return -1;
	}
	return lsock;
}

/*
 * Accept connections on lsock, each served by a detached thread of its own
 * with the next SPID (51..32767, then 51 again), until SIGTERM/SIGINT.
 */
static void
accept_connections(int lsock)
{
	int			next_spid = FIRST_SPID;

	while (!stop_requested)
	{
		struct pollfd pfd = {.fd = lsock,.events = POLLIN};
		int			sock;
		ConnArgs   *a;
		pthread_t	th;
		pthread_attr_t attr;

		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		sock = accept(lsock, NULL, NULL);
		if (sock < 0)
		{
			if (errno != EINTR)
				usleep(10000);	/* e.g. out of file descriptors: do not spin */
			continue;
		}
		a = malloc(sizeof(ConnArgs));
		if (a == NULL)
		{
			close(sock);		/* refuse this one client, keep serving */
			continue;
		}
		a->sock = sock;
		a->spid = next_spid;
		next_spid = next_spid >= LAST_SPID ? FIRST_SPID : next_spid + 1;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&th, &attr, conn_thread, a) != 0)
		{
			close(sock);
			free(a);
		}
		pthread_attr_destroy(&attr);
	}
}

/*
 * Check the options, start the engine, TLS, statement log and Browser,
 * then accept connections until SIGTERM/SIGINT.  Exit status: 0 after a
 * signal, 2 for wrong options, 1 for start-up failures.
 */
int
main(int argc, char **argv)
{
	Options		o;
	char		errbuf[512];
	int			lsock;
	int			status = parse_options(argc, argv, &o);

	if (status >= 0)
		return status;
	if (!start_services(&o))
		return 1;
	install_signal_handlers();
	lsock = open_listener(o.port);
	if (lsock < 0)
		return 1;
	if (o.browser_port > 0 &&
		!tds_browser_start(o.browser_port, o.instance_name, o.port,
						   errbuf, sizeof(errbuf)))
	{
		fprintf(stderr, "mssql_sim: %s\n", errbuf);
		return 1;
	}
	fprintf(stderr, "mssql_sim: ready on 127.0.0.1:%d\n", o.port);
	fflush(stderr);

	accept_connections(lsock);

	close(lsock);
	fprintf(stderr, "mssql_sim: shutting down\n");
	fflush(stderr);
	/* connection threads may be inside SQLite; committed work is on disk */
	_exit(0);
}
