/*
 * jnet-pfdrv: drive a FreeBSD backend's ipMasq op (masq = fbc_masq) from the shell, for
 * tests. Linked with the real pf primitives on FreeBSD (jnet-pfdrv, tests/freebsd/
 * pf_real.sh) and with the kernel model elsewhere (jnet-model-pfdrv, tests/model/t_pf.sh).
 *
 *   jnet-pfdrv [-t BACKEND] add|del TABLE|- ADDR/PREFIX   masq (-: the default table)
 *   jnet-pfdrv show TABLE                                 its addresses, ADDR/PREFIX a line
 *
 * Exit 0, or 1 with "jnet-pfdrv: OBJECT: MESSAGE" on stderr; show of no table: 3.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend.h"
#include "fbsd.h"

static int
usage(void)
{
	fprintf(stderr, "usage: jnet-pfdrv [-t BACKEND] add|del TABLE|- ADDR/PREFIX\n"
	    "       jnet-pfdrv show TABLE\n");
	return 2;
}

static int
show(const char *table)
{
	static struct fbsd_pfaddr v[4096];
	char t[INET6_ADDRSTRLEN];
	int n = fbsd_pf_addrs(table, v, 4096);

	if (n < 0) {
		fprintf(stderr, "jnet-pfdrv: %s: %s\n", table, strerror(-n));
		return n == -ESRCH ? 3 : 1;
	}
	for (int i = 0; i < n && i < 4096; i++) {
		inet_ntop(v[i].family, v[i].addr, t, sizeof(t));
		printf("%s/%d\n", t, v[i].prefix);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *bname = "epair";
	const struct jnet_backend_ops *b;
	struct jnet_err e = { 0 };
	uint8_t a[16] = { 0 };
	char s[64], *slash;
	void *priv;
	int ch, r, family;

	while ((ch = getopt(argc, argv, "t:")) != -1) {
		if (ch != 't')
			return usage();
		bname = optarg;
	}
	argc -= optind;
	argv += optind;
	if (argc == 2 && strcmp(argv[0], "show") == 0)
		return show(argv[1]);
	if (argc != 3 || (strcmp(argv[0], "add") != 0 && strcmp(argv[0], "del") != 0))
		return usage();
	jnet_strlcpy(s, argv[2], sizeof(s));
	if ((slash = strchr(s, '/')) == NULL)
		return usage();
	*slash = '\0';
	family = strchr(s, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, s, a) != 1)
		return usage();
	if ((b = jnet_backend_find(bname)) == NULL || b->masq == NULL) {
		fprintf(stderr, "jnet-pfdrv: %s: no such backend with masq\n", bname);
		return 1;
	}
	if ((r = b->open(&priv, &e)) == 0) {
		r = b->masq(priv, strcmp(argv[0], "add") == 0,
		    strcmp(argv[1], "-") == 0 ? NULL : argv[1], "pfdrv", "pfdrv-container", family,
		    a, atoi(slash + 1), &e);
		b->close(priv);
	}
	if (r < 0) {
		fprintf(stderr, "jnet-pfdrv: %s: %s\n", e.object, e.msg);
		return 1;
	}
	return 0;
}
