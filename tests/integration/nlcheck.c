/*
 * nlcheck: an independent view of kernel state for the integration tests, through
 * libnl-route-3 (not through jnet's own netlink code).
 *
 *   nlcheck [-n NETNS] link NAME [checks...]     exit 0 if NAME exists and every check holds
 *   nlcheck [-n NETNS] absent NAME...            exit 0 if none of the names exists
 *   nlcheck [-n NETNS] count [group N|kind K|master BR]   print how many links match
 *   nlcheck [-n NETNS] get NAME FIELD            print mac|alias|master|group|kind|up|mtu|addrgenmode
 *
 * checks: master=BR  nomaster  up  down  mac=xx:..  alias=TEXT  group=N  kind=K  mtu=N
 *         netns-peer (the peer is in another namespace)  addrgenmode=none|eui64
 *         FIELD^=TEXT (the field starts with TEXT and a word ends there, or TEXT ends
 *         with a space: alias^=jnet/2 link netns 0 a web matches the tag with its n=, t=)
 * Every failed check prints one line on stderr saying what was expected and found.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet6.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct nl_sock *sk;
static struct nl_cache *cache;

static void
die(const char *m)
{
	fprintf(stderr, "nlcheck: %s\n", m);
	exit(2);
}

static const char *
field(struct rtnl_link *l, const char *f, char *buf, size_t len)
{
	if (strcmp(f, "mac") == 0) {
		struct nl_addr *a = rtnl_link_get_addr(l);
		return a ? nl_addr2str(a, buf, len) : "";
	}
	if (strcmp(f, "alias") == 0) {
		const char *s = rtnl_link_get_ifalias(l);
		return s ? s : "";
	}
	if (strcmp(f, "master") == 0) {
		int m = rtnl_link_get_master(l);
		if (m <= 0)
			return "";
		return rtnl_link_i2name(cache, m, buf, len) ? buf : "?";
	}
	if (strcmp(f, "group") == 0) {
		snprintf(buf, len, "%u", rtnl_link_get_group(l));
		return buf;
	}
	if (strcmp(f, "kind") == 0) {
		const char *t = rtnl_link_get_type(l);
		return t ? t : "";
	}
	if (strcmp(f, "up") == 0)
		return (rtnl_link_get_flags(l) & IFF_UP) ? "1" : "0";
	if (strcmp(f, "mtu") == 0) {
		snprintf(buf, len, "%u", rtnl_link_get_mtu(l));
		return buf;
	}
	if (strcmp(f, "addrgenmode") == 0) {
		uint8_t mode = 0;
		if (rtnl_link_inet6_get_addr_gen_mode(l, &mode) < 0)
			return "?";
		return mode == 1 ? "none" : mode == 0 ? "eui64" : "other";
	}
	if (strcmp(f, "netns-peer") == 0) {
		int32_t id = -1;
		return rtnl_link_get_link_netnsid(l, &id) == 0 && id >= 0 ? "1" : "0";
	}
	die("unknown field");
	return "";
}

static int
check(struct rtnl_link *l, const char *name, const char *c)
{
	char buf[256], want[256];
	const char *eq = strchr(c, '=');
	const char *f, *got;
	size_t flen;
	int prefix;

	if (strcmp(c, "up") == 0 || strcmp(c, "down") == 0) {
		got = field(l, "up", buf, sizeof(buf));
		if (strcmp(got, c[0] == 'u' ? "1" : "0") == 0)
			return 0;
		fprintf(stderr, "nlcheck: %s: expected %s, found %s\n", name, c,
		    got[0] == '1' ? "up" : "down");
		return 1;
	}
	if (strcmp(c, "nomaster") == 0) {
		got = field(l, "master", buf, sizeof(buf));
		if (got[0] == '\0')
			return 0;
		fprintf(stderr, "nlcheck: %s: expected no master, found %s\n", name, got);
		return 1;
	}
	if (strcmp(c, "netns-peer") == 0) {
		if (strcmp(field(l, c, buf, sizeof(buf)), "1") == 0)
			return 0;
		fprintf(stderr, "nlcheck: %s: expected its peer in another namespace\n", name);
		return 1;
	}
	if (eq == NULL)
		die("check without '='");
	flen = (size_t)(eq - c);
	prefix = flen > 0 && c[flen - 1] == '^';
	snprintf(want, sizeof(want), "%.*s", (int)(flen - (size_t)prefix), c);
	f = want;
	got = field(l, f, buf, sizeof(buf));
	/* A prefix ends where a word does: "jnet/2 link netns 0 a web" matches the tag
	 * "jnet/2 link netns 0 a web n=1 t=..." but not "... a web2". */
	if (prefix ? strncmp(got, eq + 1, strlen(eq + 1)) == 0 &&
	    (got[strlen(eq + 1)] == '\0' || got[strlen(eq + 1)] == ' ' || eq[strlen(eq + 1)] == ' ') :
	    strcmp(got, eq + 1) == 0)
		return 0;
	fprintf(stderr, "nlcheck: %s: expected %s%s%s, found '%s'\n", name, f,
	    prefix ? " to start with " : "=", eq + 1, got);
	return 1;
}

/* Enter the named network namespace NAME (/run/netns/NAME). */
static int
enter_netns(const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "nlcheck: cannot enter netns %s: %s\n", name, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* How many links have FIELD equal to VALUE (FIELD NULL: all of them). */
static int
count(const char *fld, const char *value)
{
	int n = 0;

	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		char buf[256];

		if (fld != NULL && strcmp(field(l, fld, buf, sizeof(buf)), value) != 0)
			continue;
		n++;
	}
	return n;
}

int
main(int argc, char **argv)
{
	int i = 1, bad = 0;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		if (enter_netns(argv[2]) < 0)
			return 2;
		i = 3;
	}
	if (argc - i < 1)
		die("usage: nlcheck [-n NETNS] link|absent|count|get ...");
	sk = nl_socket_alloc();
	if (sk == NULL || nl_connect(sk, NETLINK_ROUTE) < 0)
		die("cannot connect to rtnetlink");
	if (rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache) < 0)
		die("cannot dump links");

	if (strcmp(argv[i], "link") == 0) {
		struct rtnl_link *l;

		if (argc - i < 2)
			die("link NAME [checks]");
		l = rtnl_link_get_by_name(cache, argv[i + 1]);
		if (l == NULL) {
			fprintf(stderr, "nlcheck: %s: expected to exist, not found\n", argv[i + 1]);
			bad = 1;
		} else {
			for (int k = i + 2; k < argc; k++)
				bad |= check(l, argv[i + 1], argv[k]);
			rtnl_link_put(l);
		}
	} else if (strcmp(argv[i], "absent") == 0) {
		for (int k = i + 1; k < argc; k++) {
			struct rtnl_link *l = rtnl_link_get_by_name(cache, argv[k]);

			if (l != NULL) {
				fprintf(stderr, "nlcheck: %s: expected to be absent, found it\n", argv[k]);
				rtnl_link_put(l);
				bad = 1;
			}
		}
	} else if (strcmp(argv[i], "count") == 0) {
		printf("%d\n", count(argc - i >= 3 ? argv[i + 1] : NULL, argv[i + 2]));
	} else if (strcmp(argv[i], "get") == 0) {
		struct rtnl_link *l;
		char buf[256];

		if (argc - i != 3)
			die("get NAME FIELD");
		l = rtnl_link_get_by_name(cache, argv[i + 1]);
		if (l == NULL) {
			fprintf(stderr, "nlcheck: %s: not found\n", argv[i + 1]);
			bad = 1;
		} else {
			printf("%s\n", field(l, argv[i + 2], buf, sizeof(buf)));
			rtnl_link_put(l);
		}
	} else {
		die("unknown verb");
	}
	nl_cache_free(cache);
	nl_socket_free(sk);
	return bad;
}
