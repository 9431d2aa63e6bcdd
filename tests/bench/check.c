/*
 * jnet-bench-check: verify the end state a benchmark contender left, through libnl-route-3
 * (a netlink library that neither the floor nor jnet uses), so a fast wrong answer cannot
 * win.
 *
 *   jnet-bench-check up   < SPEC
 *   jnet-bench-check [-g] down < SPEC
 *
 * SPEC: one line per jail, "NETNS IFNAME MAC BRIDGE HOSTMAC [ADDR [HOSTNAME [HOSTTAG]]]";
 * "*" in any column but NETNS means "any" (IFNAME "*": the one interface of the jail other
 * than lo); the optional columns default to "*".
 *   ADDR      "-": the jail end holds no IPv4 address; "A.B.C.D/P": it holds exactly one,
 *             inside that subnet, and no two jails hold the same one (IPAM contenders)
 *   HOSTNAME  a glob (fnmatch) the host end's name must match (e.g. "veth*")
 *   HOSTTAG   "jnet": the host end carries a jnet link tag (IFLA_IFALIAS "jnet/V link ...",
 *             src/tag.h); "none": it carries no alias at all
 *
 * up: in every NETNS exactly one interface besides lo, named IFNAME, a veth, UP, with MAC;
 *     its peer is a veth in this (the host) namespace, pointing back at it, UP, a port of
 *     BRIDGE (a bridge), with HOSTMAC, named HOSTNAME, tagged HOSTTAG; the jail end's IPv4
 *     addresses as ADDR says; no two jails share a host end or an address; and the host
 *     holds exactly as many veth devices as there are jails (nothing extra, nothing left).
 * down: every NETNS holds nothing but lo (-g: or is gone), the host holds no veth at all,
 *     and every BRIDGE named in SPEC has no ports (-g: or is gone).
 *
 * Prints "ok: ..." and exits 0, or prints up to 10 problems and "FAILED: ..." and exits 1.
 * Exit 2 on a usage or environment error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/if.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAXPROBLEMS 10

struct spec {
	char netns[256];
	char ifname[IFNAMSIZ];
	char mac[32];
	char bridge[IFNAMSIZ];
	char hostmac[32];
	char addr[64];          /* "*", "-" or A.B.C.D/P */
	char hostname[64];      /* glob */
	char hosttag[16];       /* "*", "jnet" or "none" */
	uint32_t net, mask;     /* ADDR as numbers (host order) */
};

static int problems;

static void
problem(const char *jail, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
problem(const char *jail, const char *fmt, ...)
{
	va_list ap;

	if (++problems > MAXPROBLEMS)
		return;
	fprintf(stderr, "check: %s: ", jail);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
die(const char *what, int err)
{
	fprintf(stderr, "jnet-bench-check: %s: %s\n", what, err ? nl_geterror(err) : strerror(errno));
	exit(2);
}

/* ADDR "A.B.C.D/P" into net/mask; "*" and "-" need nothing. */
static bool
parse_addr(struct spec *s)
{
	char ip[64], *slash;
	struct in_addr a;
	int p;

	if (strcmp(s->addr, "*") == 0 || strcmp(s->addr, "-") == 0)
		return true;
	snprintf(ip, sizeof(ip), "%s", s->addr);
	if ((slash = strchr(ip, '/')) == NULL)
		return false;
	*slash = '\0';
	p = atoi(slash + 1);
	if (inet_pton(AF_INET, ip, &a) != 1 || p < 1 || p > 32)
		return false;
	s->mask = p == 32 ? 0xffffffffu : ~(0xffffffffu >> p);
	s->net = ntohl(a.s_addr) & s->mask;
	return true;
}

static struct spec *
read_spec(size_t *np)
{
	struct spec *v = NULL;
	size_t n = 0, cap = 0;
	char line[1024];

	while (fgets(line, sizeof(line), stdin) != NULL) {
		struct spec s = { .addr = "*", .hostname = "*", .hosttag = "*" };

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%255s %15s %31s %15s %31s %63s %63s %15s", s.netns, s.ifname,
		    s.mac, s.bridge, s.hostmac, s.addr, s.hostname, s.hosttag) < 5 ||
		    !parse_addr(&s) || (strcmp(s.hosttag, "*") != 0 &&
		    strcmp(s.hosttag, "jnet") != 0 && strcmp(s.hosttag, "none") != 0)) {
			fprintf(stderr, "jnet-bench-check: bad spec line: %s", line);
			exit(2);
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			if ((v = realloc(v, cap * sizeof(*v))) == NULL)
				die("out of memory", 0);
		}
		v[n++] = s;
	}
	*np = n;
	return v;
}

static bool
any(const char *s)
{
	return strcmp(s, "*") == 0;
}

static const char *
mac_of(struct rtnl_link *l, char *buf, size_t len)
{
	struct nl_addr *a = rtnl_link_get_addr(l);

	return a != NULL ? nl_addr2str(a, buf, len) : "none";
}

static bool
is_kind(struct rtnl_link *l, const char *kind)
{
	const char *t = rtnl_link_get_type(l);

	return t != NULL && strcmp(t, kind) == 0;
}

/* A link cache of the namespace at `path` (NULL: ours), and its address cache when `addrs`
 * is not NULL. Sets *gone when it does not exist. */
static struct nl_cache *
ns_links(const char *path, int home, bool *gone, struct nl_cache **addrs)
{
	struct nl_cache *cache = NULL;
	struct nl_sock *sk;
	int fd = -1, err;

	*gone = false;
	if (path != NULL) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT) {
				*gone = true;
				return NULL;
			}
			die(path, 0);
		}
		/* A netlink socket belongs to the namespace it is created in. */
		if (setns(fd, CLONE_NEWNET) < 0)
			die(path, 0);
	}
	if ((sk = nl_socket_alloc()) == NULL)
		die("nl_socket_alloc", 0);
	if ((err = nl_connect(sk, NETLINK_ROUTE)) < 0)
		die("netlink connect", err);
	if (path != NULL) {
		if (setns(home, CLONE_NEWNET) < 0)
			abort();        /* never go on in the wrong namespace */
		close(fd);
	}
	if ((err = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache)) < 0)
		die(path ? path : "host links", err);
	if (addrs != NULL && (err = rtnl_addr_alloc_cache(sk, addrs)) < 0)
		die(path ? path : "host addresses", err);
	nl_socket_free(sk);
	return cache;
}

struct jailview {
	struct rtnl_link *found;        /* IFNAME (or the only non-lo link) */
	int others;                     /* links besides lo */
	const char *want;
};

static void
jail_link(struct nl_object *o, void *arg)
{
	struct rtnl_link *l = (struct rtnl_link *)o;
	struct jailview *v = arg;

	if (rtnl_link_get_flags(l) & IFF_LOOPBACK)
		return;
	v->others++;
	if (any(v->want) || strcmp(rtnl_link_get_name(l), v->want) == 0)
		v->found = l;
}

struct tally {
	int veth;
	int ports;              /* links whose master is `master` */
	int master;
};

static void
count_link(struct nl_object *o, void *arg)
{
	struct rtnl_link *l = (struct rtnl_link *)o;
	struct tally *t = arg;

	if (is_kind(l, "veth"))
		t->veth++;
	if (t->master > 0 && rtnl_link_get_master(l) == t->master)
		t->ports++;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

struct addrview {
	int ifindex;
	int count;              /* IPv4 addresses on ifindex */
	uint32_t first;         /* the first of them (host order) */
};

static void
jail_addr(struct nl_object *o, void *arg)
{
	struct rtnl_addr *a = (struct rtnl_addr *)o;
	struct addrview *v = arg;
	struct nl_addr *local = rtnl_addr_get_local(a);
	uint32_t ip;

	if (rtnl_addr_get_family(a) != AF_INET || rtnl_addr_get_ifindex(a) != v->ifindex ||
	    local == NULL || nl_addr_get_len(local) != 4)
		return;
	memcpy(&ip, nl_addr_get_binary_addr(local), 4);
	if (v->count++ == 0)
		v->first = ntohl(ip);
}

/* The IPv4 addresses of jail end l as s->addr says; the address in use goes to *out (0:
 * none). */
static void
check_jail_addr(const struct spec *s, struct nl_cache *ac, struct rtnl_link *l, uint32_t *out)
{
	struct addrview av = { rtnl_link_get_ifindex(l), 0, 0 };
	struct in_addr ia;

	*out = 0;
	if (strcmp(s->addr, "*") == 0)
		return;
	nl_cache_foreach(ac, jail_addr, &av);
	ia.s_addr = htonl(av.first);
	if (strcmp(s->addr, "-") == 0) {
		if (av.count != 0)
			problem(s->netns, "%s holds %d IPv4 address(es) (%s...), expected none",
			    rtnl_link_get_name(l), av.count, inet_ntoa(ia));
		return;
	}
	if (av.count != 1) {
		problem(s->netns, "%s holds %d IPv4 addresses, expected one in %s",
		    rtnl_link_get_name(l), av.count, s->addr);
		return;
	}
	if ((av.first & s->mask) != s->net) {
		problem(s->netns, "%s holds %s, not in %s", rtnl_link_get_name(l), inet_ntoa(ia),
		    s->addr);
		return;
	}
	*out = av.first;
}

/* Host end h of the jail of s: up, HOSTMAC, HOSTNAME, HOSTTAG, a port of BRIDGE. */
static void
check_host_end(const struct spec *s, struct nl_cache *host, struct rtnl_link *h)
{
	const char *hn = rtnl_link_get_name(h), *alias = rtnl_link_get_ifalias(h);
	char buf[64], name[IFNAMSIZ];
	int m;

	if (!(rtnl_link_get_flags(h) & IFF_UP))
		problem(s->netns, "host end %s is not up", hn);
	if (!any(s->hostmac) && strcasecmp(mac_of(h, buf, sizeof(buf)), s->hostmac) != 0)
		problem(s->netns, "host end %s has MAC %s, expected %s", hn, buf, s->hostmac);
	if (fnmatch(s->hostname, hn, 0) != 0)
		problem(s->netns, "host end %s: the name does not match %s", hn, s->hostname);
	if (strcmp(s->hosttag, "jnet") == 0 && (alias == NULL ||
	    fnmatch("jnet/[0-9]* link *", alias, 0) != 0))
		problem(s->netns, "host end %s carries no jnet link tag (alias: %s)", hn,
		    alias ? alias : "none");
	if (strcmp(s->hosttag, "none") == 0 && alias != NULL && alias[0] != '\0')
		problem(s->netns, "host end %s carries an alias (%s), expected none", hn, alias);
	m = rtnl_link_get_master(h);
	if (m <= 0) {
		problem(s->netns, "host end %s is on no bridge", hn);
	} else {
		struct rtnl_link *br = rtnl_link_get(host, m);

		if (br == NULL || !is_kind(br, "bridge"))
			problem(s->netns, "host end %s: its master is not a bridge", hn);
		else if (!any(s->bridge) &&
		    strcmp(rtnl_link_i2name(host, m, name, sizeof(name)), s->bridge) != 0)
			problem(s->netns, "host end %s is on %s, expected %s", hn, name, s->bridge);
		if (br != NULL)
			rtnl_link_put(br);
	}
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* No two jails share a host end (ifindex) or an address (0s ignored). */
static void
check_distinct(int *hostidx, size_t nidx, uint32_t *addrs, size_t n)
{
	struct in_addr ia;

	qsort(hostidx, nidx, sizeof(*hostidx), cmp_int);
	for (size_t i = 1; i < nidx; i++)
		if (hostidx[i] == hostidx[i - 1])
			problem("host", "ifindex %d is the host end of two jails", hostidx[i]);
	qsort(addrs, n, sizeof(*addrs), cmp_u32);
	for (size_t i = 1; i < n; i++) {
		if (addrs[i] == 0 || addrs[i] != addrs[i - 1])
			continue;
		ia.s_addr = htonl(addrs[i]);
		problem("host", "address %s is held by two jails", inet_ntoa(ia));
	}
}

static void
check_up(const struct spec *v, size_t n, int home, struct nl_cache *host)
{
	int *hostidx = calloc(n ? n : 1, sizeof(*hostidx));
	uint32_t *addrs = calloc(n ? n : 1, sizeof(*addrs));
	struct tally t = { 0, 0, 0 };
	size_t nidx = 0;

	if (hostidx == NULL || addrs == NULL)
		die("out of memory", 0);
	for (size_t i = 0; i < n; i++) {
		const struct spec *s = &v[i];
		struct jailview jv = { NULL, 0, s->ifname };
		struct nl_cache *jc, *ac = NULL;
		struct rtnl_link *l, *h;
		char buf[64];
		bool gone;
		int peer;

		jc = ns_links(s->netns, home, &gone, &ac);
		if (gone) {
			problem(s->netns, "namespace does not exist");
			continue;
		}
		nl_cache_foreach(jc, jail_link, &jv);
		l = jv.found;
		if (jv.others != 1 || l == NULL) {
			problem(s->netns, "%d interfaces besides lo, %s %s", jv.others,
			    l ? "including" : "none named", s->ifname);
			goto next;
		}
		if (!is_kind(l, "veth"))
			problem(s->netns, "%s is not a veth", rtnl_link_get_name(l));
		if (!any(s->mac) && strcasecmp(mac_of(l, buf, sizeof(buf)), s->mac) != 0)
			problem(s->netns, "%s has MAC %s, expected %s", rtnl_link_get_name(l), buf,
			    s->mac);
		if (!(rtnl_link_get_flags(l) & IFF_UP))
			problem(s->netns, "%s is not up", rtnl_link_get_name(l));
		check_jail_addr(s, ac, l, &addrs[i]);
		peer = rtnl_link_get_link(l);
		h = peer > 0 ? rtnl_link_get(host, peer) : NULL;
		if (h == NULL || !is_kind(h, "veth") || rtnl_link_get_link(h) != rtnl_link_get_ifindex(l)) {
			problem(s->netns, "the peer of %s (ifindex %d) is not a veth of the host pointing back at it",
			    rtnl_link_get_name(l), peer);
			if (h != NULL)
				rtnl_link_put(h);
			goto next;
		}
		hostidx[nidx++] = peer;
		check_host_end(s, host, h);
		rtnl_link_put(h);
next:
		nl_cache_free(ac);
		nl_cache_free(jc);
	}
	check_distinct(hostidx, nidx, addrs, n);
	nl_cache_foreach(host, count_link, &t);
	if ((size_t)t.veth != n)
		problem("host", "%d veth devices, expected %zu (one per jail)", t.veth, n);
	free(hostidx);
	free(addrs);
}

static void
check_down(const struct spec *v, size_t n, int home, struct nl_cache *host, bool allow_gone)
{
	struct tally t = { 0, 0, 0 };

	for (size_t i = 0; i < n; i++) {
		struct jailview jv = { NULL, 0, "*" };
		struct nl_cache *jc;
		bool gone;

		jc = ns_links(v[i].netns, home, &gone, NULL);
		if (gone) {
			if (!allow_gone)
				problem(v[i].netns, "namespace vanished");
			continue;
		}
		nl_cache_foreach(jc, jail_link, &jv);
		if (jv.others != 0)
			problem(v[i].netns, "%d interfaces left besides lo", jv.others);
		nl_cache_free(jc);
	}
	nl_cache_foreach(host, count_link, &t);
	if (t.veth != 0)
		problem("host", "%d veth devices left", t.veth);
	for (size_t i = 0; i < n; i++) {
		bool seen = false;

		if (any(v[i].bridge))
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(v[j].bridge, v[i].bridge) == 0;
		if (seen)
			continue;
		t.master = rtnl_link_name2i(host, v[i].bridge);
		if (t.master <= 0) {
			if (!allow_gone)
				problem(v[i].bridge, "bridge vanished");
			continue;
		}
		t.ports = 0;
		nl_cache_foreach(host, count_link, &t);
		if (t.ports != 0)
			problem(v[i].bridge, "%d ports left", t.ports);
	}
}

int
main(int argc, char **argv)
{
	bool allow_gone = false, up;
	struct nl_cache *host;
	struct spec *v;
	size_t n;
	int ch, home;

	while ((ch = getopt(argc, argv, "g")) != -1) {
		if (ch != 'g')
			goto usage;
		allow_gone = true;
	}
	if (argc - optind != 1)
		goto usage;
	if (strcmp(argv[optind], "up") == 0)
		up = true;
	else if (strcmp(argv[optind], "down") == 0)
		up = false;
	else
		goto usage;
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0)
		die("/proc/self/ns/net", 0);
	v = read_spec(&n);
	if (n == 0) {
		fprintf(stderr, "jnet-bench-check: empty spec\n");
		return 2;
	}
	{
		bool gone;

		host = ns_links(NULL, home, &gone, NULL);
	}
	if (up)
		check_up(v, n, home, host);
	else
		check_down(v, n, home, host, allow_gone);
	nl_cache_free(host);
	free(v);
	close(home);
	if (problems > MAXPROBLEMS)
		fprintf(stderr, "check: ... and %d more\n", problems - MAXPROBLEMS);
	if (problems > 0) {
		printf("FAILED: %s: %d problem(s) over %zu jails\n", up ? "up" : "down", problems, n);
		return 1;
	}
	printf("ok: %s: %zu jails\n", up ? "up" : "down", n);
	return 0;
usage:
	fprintf(stderr, "usage: jnet-bench-check [-g] up|down < SPEC\n");
	return 2;
}
