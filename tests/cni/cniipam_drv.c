/*
 * Test driver for src/cni_ipam.c and src/cni_masq.c (the t_ipam_* and t_masq_* tests).
 *
 *   cniipam_drv exec TYPE CMD CNI_PATH [TIMEOUT_MS]  network config on stdin, environment
 *                                                    passed on as the plugin's
 *   cniipam_drv apply NETNS IFNAME                   a CNI result on stdin, applied in NETNS
 *   cniipam_drv masq add|del NETWORK CID[@IFNAME] ADDR/PREFIX
 *   cniipam_drv masq delall NETWORK CID[@IFNAME]      (DEL without prevResult: the record's)
 *   cniipam_drv gc NETWORK [KEEP_CID[@IFNAME]...]
 * (IFNAME: eth0 when not given)
 *
 * exec prints "ip ADDR/P gw GW|- if N" and "route DST/P gw GW|-" lines, then "raw JSON".
 * On failure: "errno=N cni=C: OBJECT: MESSAGE" on stderr and exit status N (the errno).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "cni_ipam.h"

extern char **environ;

static int
fail(int r, const struct jnet_err *e)
{
	fprintf(stderr, "errno=%d cni=%d: %s: %s\n", -r, e->cni_code, e->object, e->msg);
	return -r;
}

static void
print_result(const struct jnet_cni_ipam *r)
{
	char a[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
	char *raw;

	for (int i = 0; i < r->nips; i++) {
		inet_ntop(r->ips[i].family, r->ips[i].addr, a, sizeof(a));
		if (r->ips[i].has_gw)
			inet_ntop(r->ips[i].family, r->ips[i].gw, g, sizeof(g));
		printf("ip %s/%d gw %s if %d\n", a, r->ips[i].prefix, r->ips[i].has_gw ? g : "-",
		    r->ips[i].interface);
	}
	for (int i = 0; i < r->nroutes; i++) {
		inet_ntop(r->routes[i].family, r->routes[i].dst, a, sizeof(a));
		if (r->routes[i].has_gw)
			inet_ntop(r->routes[i].family, r->routes[i].gw, g, sizeof(g));
		printf("route %s/%d gw %s\n", a, r->routes[i].prefix, r->routes[i].has_gw ? g : "-");
	}
	raw = json_dumps(r->raw, JSON_COMPACT);
	printf("raw %s\n", raw ? raw : "null");
	free(raw);
}

static char *
read_stdin(void)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap + 1);
	size_t n;

	while (buf != NULL && (n = fread(buf + len, 1, cap - len, stdin)) > 0) {
		len += n;
		if (len == cap && (buf = realloc(buf, (cap *= 2) + 1)) == NULL)
			break;
	}
	if (buf != NULL)
		buf[len] = '\0';
	return buf;
}

static int
do_exec(int argc, char **argv)
{
	struct jnet_cni_ipam res;
	struct jnet_err e;
	char *conf = read_stdin();
	int r;

	if (argc > 5)
		jnet_cni_ipam_set_timeout(atoi(argv[5]));
	jnet_err_clear(&e);
	r = jnet_cni_ipam_exec(argv[2], argv[3], argv[4], environ, conf,
	    strcmp(argv[3], "ADD") == 0 ? &res : NULL, &e);
	free(conf);
	if (r < 0)
		return fail(r, &e);
	if (strcmp(argv[3], "ADD") == 0) {
		print_result(&res);
		jnet_cni_ipam_free(&res);
	}
	return 0;
}

static int
do_apply(char **argv)
{
	const struct jnet_backend_ops *b = jnet_backend_find("netns");
	struct jnet_cni_ipam res;
	struct jnet_jail j;
	struct jnet_err e;
	json_error_t je;
	void *priv = NULL;
	json_t *in = json_loadf(stdin, 0, &je);
	int r;

	jnet_err_clear(&e);
	if (in == NULL) {
		fprintf(stderr, "stdin: %s\n", je.text);
		return 1;
	}
	r = jnet_cni_ipam_parse(in, &res, &e);
	json_decref(in);
	if (r < 0)
		return fail(r, &e);
	if ((r = b->open(&priv, &e)) == 0 && (r = b->jail_open(priv, argv[2], 0, &j, &e)) == 0) {
		r = jnet_cni_apply(b, priv, &j, argv[3], &res, &e);
		b->jail_close(priv, &j);
	}
	if (priv != NULL)
		b->close(priv);
	jnet_cni_ipam_free(&res);
	return r < 0 ? fail(r, &e) : 0;
}

/* "CID[@IFNAME]" (split in place) as an attachment of network. */
static struct jnet_masq_who
who_of(const char *network, char *arg)
{
	struct jnet_masq_who w = { network, arg, "eth0" };
	char *at = strchr(arg, '@');

	if (at != NULL) {
		*at = '\0';
		w.ifname = at + 1;
	}
	return w;
}

static int
do_gc(int argc, char **argv)
{
	struct jnet_masq_who *keep = calloc((size_t)argc, sizeof(*keep));
	struct jnet_err e;
	int r, n = argc - 3;

	if (keep == NULL)
		return fprintf(stderr, "out of memory\n"), 2;
	for (int i = 0; i < n; i++)
		keep[i] = who_of(argv[2], argv[3 + i]);
	jnet_err_clear(&e);
	r = jnet_cni_masq_gc(argv[2], keep, n, &e);
	free(keep);
	return r < 0 ? fail(r, &e) : 0;
}

static int
do_masq(char **argv)
{
	char host[INET6_ADDRSTRLEN + 1], *slash = strchr(argv[5], '/');
	uint8_t addr[16] = { 0 };
	struct jnet_masq_who who = who_of(argv[3], argv[4]);
	struct jnet_err e;
	int family, r;

	jnet_err_clear(&e);
	if (slash == NULL || (size_t)(slash - argv[5]) >= sizeof(host))
		return fprintf(stderr, "ADDR/PREFIX expected\n"), 2;
	memcpy(host, argv[5], (size_t)(slash - argv[5]));
	host[slash - argv[5]] = '\0';
	family = strchr(host, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, host, addr) != 1)
		return fprintf(stderr, "bad address %s\n", host), 2;
	r = jnet_cni_masq(strcmp(argv[2], "add") == 0, &who, family, addr, atoi(slash + 1), &e);
	return r < 0 ? fail(r, &e) : 0;
}

int
main(int argc, char **argv)
{
	struct jnet_err e;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	jnet_cni_masq_set_rundir(getenv("JNET_RUNDIR"));
	if (argc >= 5 && strcmp(argv[1], "exec") == 0)
		return do_exec(argc, argv);
	if (argc == 4 && strcmp(argv[1], "apply") == 0)
		return do_apply(argv);
	if (argc == 6 && strcmp(argv[1], "masq") == 0)
		return do_masq(argv);
	if (argc == 5 && strcmp(argv[1], "masq") == 0 && strcmp(argv[2], "delall") == 0) {
		struct jnet_masq_who who = who_of(argv[3], argv[4]);

		jnet_err_clear(&e);
		r = jnet_cni_masq_del_all(&who, &e);
		return r < 0 ? fail(r, &e) : 0;
	}
	if (argc >= 3 && strcmp(argv[1], "gc") == 0)
		return do_gc(argc, argv);
	fprintf(stderr, "usage: cniipam_drv exec TYPE CMD CNI_PATH [TIMEOUT_MS] | apply NETNS "
	    "IFNAME | masq add|del NETWORK CID[@IFNAME] ADDR/PREFIX | masq delall NETWORK "
	    "CID[@IFNAME] | gc NETWORK [KEEP...]\n");
	return 2;
}
