/*
 * The FreeBSD primitives for labs (see fbsd.h, "labs"): the jail hierarchy through libjail,
 * and the inside of a jail's vnet. Compiled on FreeBSD only.
 *
 * An in-jail primitive forks; the child jail_attach(2)es to the jail, does its one kernel
 * operation there (ioctl on a socket made there, a routing-socket write, a sysctl,
 * getifaddrs), writes its result into a pipe and exits. The parent reads it back.
 */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/jail.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/sysctl.h>
#include <sys/wait.h>

#include <net/if.h>
#include <net/if_dl.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet6/in6_var.h>
#include <netinet6/nd6.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <jail.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fbsd.h"

/* ---------------------------------------------------------------- running in a jail */

/* fn runs inside the jail and fills buf (at most len bytes); returns a count or -errno. */
typedef int (*jail_fn)(void *arg, void *buf, size_t len);

static int
in_jail(int jid, jail_fn fn, void *arg, void *buf, size_t len)
{
	int p[2], st, r = -EIO;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	if ((pid = fork()) < 0) {
		r = -errno;
		close(p[0]);
		close(p[1]);
		return r;
	}
	if (pid == 0) {
		close(p[0]);
		r = jid == FBSD_HOST || jail_attach(jid) == 0 ? fn(arg, buf, len) : -errno;
		if (write(p[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
		if (r > 0 && buf != NULL) {
			size_t want = (size_t)r < len ? (size_t)r : len;

			if (write(p[1], buf, want) != (ssize_t)want)
				_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	do
		n = read(p[0], &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(r))
		r = -EIO;
	while (r > 0 && buf != NULL && got < len && got < (size_t)r) {
		n = read(p[0], (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return r;
}

/* ---------------------------------------------------------------- jails */

int
fbsd_jail_create_parent(const char *name, const char *hostname, int *jid)
{
	int r = jail_setv(JAIL_CREATE, "name", name, "path", "/", "persist", "true",
	    "host.hostname", hostname, (char *)NULL);

	if (r < 0)
		return -(errno ? errno : EINVAL);
	*jid = r;
	return 0;
}

int
fbsd_jail_hostname(int jid, char *buf, size_t len)
{
	char j[16], h[MAXHOSTNAMELEN];

	snprintf(j, sizeof(j), "%d", jid);
	if (jail_getv(0, "jid", j, "host.hostname", h, (char *)NULL) < 0)
		return -(errno ? errno : ENOENT);
	if (strlcpy(buf, h, len) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int
fbsd_jail_children(int jid, int *n)
{
	char j[16], c[16];

	snprintf(j, sizeof(j), "%d", jid);
	if (jail_getv(JAIL_DYING, "jid", j, "children.cur", c, (char *)NULL) < 0)
		return -(errno ? errno : ENOENT);
	*n = atoi(c);
	return 0;
}

int
fbsd_jail_list(struct fbsd_jail_info *v, int max)
{
	char last[16] = "0", name[MAXHOSTNAMELEN], dying[8], vnet[16];
	int n = 0, jid;

	/* jls(8)'s walk: jail_get "lastjid" returns the next jail after it. */
	for (;;) {
		jid = jail_getv(JAIL_DYING, "lastjid", last, "name", name, "dying", dying,
		    "vnet", vnet, (char *)NULL);
		if (jid < 0)
			return errno == ENOENT ? n : -errno;
		if (n < max) {
			memset(&v[n], 0, sizeof(v[n]));
			v[n].jid = jid;
			strlcpy(v[n].name, name, sizeof(v[n].name));
			v[n].dying = strcmp(dying, "true") == 0 || strcmp(dying, "1") == 0;
			v[n].vnet = strcmp(vnet, "new") == 0 || strcmp(vnet, "1") == 0;
		}
		n++;
		snprintf(last, sizeof(last), "%d", jid);
	}
}

/* ---------------------------------------------------------------- interfaces */

struct ifq {
	const char *name;
	const char *descr;
};

static int
do_if_info(void *arg, void *buf, size_t len)
{
	const struct ifq *q = arg;
	struct fbsd_jif *out = buf;
	struct ifaddrs *ifa, *i;
	int r = -ENXIO;

	if (len < sizeof(*out) || getifaddrs(&ifa) < 0)
		return -errno;
	memset(out, 0, sizeof(*out));
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (strcmp(i->ifa_name, q->name) != 0 || i->ifa_addr == NULL ||
		    i->ifa_addr->sa_family != AF_LINK)
			continue;
		const struct sockaddr_dl *sdl = (const struct sockaddr_dl *)i->ifa_addr;

		strlcpy(out->name, i->ifa_name, sizeof(out->name));
		out->index = sdl->sdl_index;
		out->up = (i->ifa_flags & IFF_UP) != 0;
		if (sdl->sdl_alen == 6) {
			out->has_mac = true;
			memcpy(out->mac, LLADDR(sdl), 6);
		}
		if (i->ifa_data != NULL)
			out->mtu = ((const struct if_data *)i->ifa_data)->ifi_mtu;
		r = (int)sizeof(*out);
	}
	freeifaddrs(ifa);
	return r;
}

int
fbsd_jail_if_info(int jid, const char *name, struct fbsd_jif *out)
{
	struct ifq q = { name, NULL };
	int r = in_jail(jid, do_if_info, &q, out, sizeof(*out));

	return r < 0 ? r : 0;
}

static int
do_if_list(void *arg, void *buf, size_t len)
{
	char (*names)[JNET_IFNAMSIZ] = buf;
	size_t max = len / JNET_IFNAMSIZ, n = 0;
	struct ifaddrs *ifa, *i;

	(void)arg;
	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (i = ifa; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_LINK && n < max)
			strlcpy(names[n++], i->ifa_name, JNET_IFNAMSIZ);
	freeifaddrs(ifa);
	return (int)(n * JNET_IFNAMSIZ);
}

int
fbsd_jail_if_list(int jid, char (*names)[JNET_IFNAMSIZ], int max)
{
	int r = in_jail(jid, do_if_list, NULL, names, (size_t)max * JNET_IFNAMSIZ);

	return r < 0 ? r : r / JNET_IFNAMSIZ;
}

/* SIOCGIFDESCR of `name` on socket s (in the child). */
static int
get_descr_on(int s, const char *name, char *buf, size_t len)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	ifr.ifr_buffer.buffer = buf;
	ifr.ifr_buffer.length = len;
	/* sys/net/if.c (FreeBSD 14) ifioctl SIOCGIFDESCR: no description is ENOMSG; a buffer
	 * too small for it is no error: the kernel clears the buffer pointer and sets the
	 * length it needs. That is -ENAMETOOLONG here, as in ifnet.c fbsd_if_get_descr. */
	if (ioctl(s, SIOCGIFDESCR, &ifr) < 0)
		return -errno;
	if (ifr.ifr_buffer.buffer == NULL || ifr.ifr_buffer.length > len)
		return -ENAMETOOLONG;
	return (int)strnlen(buf, len) + 1;
}

static int
do_get_descr(void *arg, void *buf, size_t len)
{
	const struct ifq *q = arg;
	int s = socket(AF_LOCAL, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	return s < 0 ? -errno : get_descr_on(s, q->name, buf, len);
}

int
fbsd_jail_if_get_descr(int jid, const char *name, char *buf, size_t len)
{
	struct ifq q = { name, NULL };
	int r = in_jail(jid, do_get_descr, &q, buf, len);

	return r < 0 ? r : 0;
}

/* In the child: buf[0] the up flag, then the description (SIOCGIFDESCR as above). */
static int
do_probe(void *arg, void *buf, size_t len)
{
	const struct ifq *q = arg;
	struct ifreq ifr;
	char *b = buf;
	int s = socket(AF_LOCAL, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, q->name, sizeof(ifr.ifr_name));
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	b[0] = (ifr.ifr_flags & IFF_UP) != 0;
	r = get_descr_on(s, q->name, b + 1, len - 1);
	return r == -ENOMSG ? 1 : r < 0 ? r : r + 1;
}

int
fbsd_jail_if_probe(int jid, const char *name, bool *up, char *descr, size_t len)
{
	struct ifq q = { name, NULL };
	char b[1 + 1024];
	size_t n;
	int r;

	if (len > sizeof(b) - 1)
		len = sizeof(b) - 1;
	if ((r = in_jail(jid, do_probe, &q, b, 1 + len)) < 0)
		return r;
	*up = b[0] != 0;
	if (r == 1)
		return -ENOMSG;
	n = (size_t)r - 1 < len ? (size_t)r - 1 : len;
	memcpy(descr, b + 1, n);
	descr[n > 0 ? n - 1 : 0] = '\0';
	return 0;
}

static int
do_set_descr(void *arg, void *buf, size_t len)
{
	const struct ifq *q = arg;
	struct ifreq ifr;
	int s = socket(AF_LOCAL, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	(void)buf;
	(void)len;
	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, q->name, sizeof(ifr.ifr_name));
	ifr.ifr_buffer.buffer = (char *)(uintptr_t)q->descr;
	ifr.ifr_buffer.length = q->descr[0] ? strlen(q->descr) + 1 : 0;
	return ioctl(s, SIOCSIFDESCR, &ifr) < 0 ? -errno : 0;
}

int
fbsd_jail_if_set_descr(int jid, const char *name, const char *descr)
{
	struct ifq q = { name, descr };

	return in_jail(jid, do_set_descr, &q, NULL, 0);
}

static int
do_rename(void *arg, void *buf, size_t len)
{
	const struct ifq *q = arg;
	char nbuf[IFNAMSIZ];
	struct ifreq ifr;
	int s, r;

	(void)buf;
	(void)len;
	if (strlcpy(nbuf, q->descr, sizeof(nbuf)) >= sizeof(nbuf))
		return -ENAMETOOLONG;
	if ((s = socket(AF_LOCAL, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, q->name, sizeof(ifr.ifr_name));
	ifr.ifr_data = nbuf;
	r = ioctl(s, SIOCSIFNAME, &ifr) < 0 ? -errno : 0;
	close(s);
	return r;
}

int
fbsd_jail_if_rename(int jid, const char *name, const char *newname)
{
	struct ifq q = { name, newname }; /* descr: the new name */

	return in_jail(jid, do_rename, &q, NULL, 0);
}

/* ---------------------------------------------------------------- addresses */

struct addrq {
	const char *ifname;
	int family;
	const uint8_t *addr;
	int prefix;
};

static void
mask_bytes(uint8_t *m, int bytes, int prefix)
{
	memset(m, 0, (size_t)bytes);
	for (int i = 0; i < bytes; i++) {
		int b = prefix - 8 * i;

		m[i] = b >= 8 ? 0xff : b > 0 ? (uint8_t)(0xff << (8 - b)) : 0;
	}
}

static int
do_addr_add(void *arg, void *buf, size_t len)
{
	const struct addrq *q = arg;
	int s, r;

	(void)buf;
	(void)len;
	if (q->family == AF_INET) {
		struct in_aliasreq ia;

		memset(&ia, 0, sizeof(ia));
		strlcpy(ia.ifra_name, q->ifname, sizeof(ia.ifra_name));
		ia.ifra_addr.sin_len = sizeof(ia.ifra_addr);
		ia.ifra_addr.sin_family = AF_INET;
		memcpy(&ia.ifra_addr.sin_addr, q->addr, 4);
		ia.ifra_mask.sin_len = sizeof(ia.ifra_mask);
		ia.ifra_mask.sin_family = AF_INET;
		mask_bytes((uint8_t *)&ia.ifra_mask.sin_addr, 4, q->prefix);
		if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
			return -errno;
		r = ioctl(s, SIOCAIFADDR, &ia) < 0 ? -errno : 0;
	} else {
		struct in6_aliasreq ia;

		memset(&ia, 0, sizeof(ia));
		strlcpy(ia.ifra_name, q->ifname, sizeof(ia.ifra_name));
		ia.ifra_addr.sin6_len = sizeof(ia.ifra_addr);
		ia.ifra_addr.sin6_family = AF_INET6;
		memcpy(&ia.ifra_addr.sin6_addr, q->addr, 16);
		/* A link-local address names its zone: the interface. */
		if (q->addr[0] == 0xfe && (q->addr[1] & 0xc0) == 0x80)
			ia.ifra_addr.sin6_scope_id = if_nametoindex(q->ifname);
		ia.ifra_prefixmask.sin6_len = sizeof(ia.ifra_prefixmask);
		ia.ifra_prefixmask.sin6_family = AF_INET6;
		mask_bytes((uint8_t *)&ia.ifra_prefixmask.sin6_addr, 16, q->prefix);
		ia.ifra_flags = IN6_IFF_NODAD;
		ia.ifra_lifetime.ia6t_vltime = ND6_INFINITE_LIFETIME;
		ia.ifra_lifetime.ia6t_pltime = ND6_INFINITE_LIFETIME;
		if ((s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
			return -errno;
		r = ioctl(s, SIOCAIFADDR_IN6, &ia) < 0 ? -errno : 0;
	}
	close(s);
	return r;
}

int
fbsd_jail_addr_add(int jid, const char *ifname, int family, const uint8_t *addr, int prefix)
{
	struct addrq q = { ifname, family, addr, prefix };

	return in_jail(jid, do_addr_add, &q, NULL, 0);
}

static int
mask_len(const uint8_t *m, int bytes)
{
	int n = 0;

	for (int i = 0; i < bytes; i++)
		for (int b = 7; b >= 0 && (m[i] >> b) & 1; b--)
			n++;
	return n;
}

static int
do_addrs(void *arg, void *buf, size_t len)
{
	const char *ifname = arg;
	struct fbsd_addr *v = buf;
	size_t max = len / sizeof(*v), n = 0;
	struct ifaddrs *ifa, *i;
	bool found = ifname == NULL;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		int fam = i->ifa_addr ? i->ifa_addr->sa_family : AF_UNSPEC;

		if (ifname != NULL && strcmp(i->ifa_name, ifname) != 0)
			continue;
		found = true;
		if ((fam != AF_INET && fam != AF_INET6) || n >= max)
			continue;
		memset(&v[n], 0, sizeof(v[n]));
		strlcpy(v[n].ifname, i->ifa_name, sizeof(v[n].ifname));
		v[n].family = fam;
		if (fam == AF_INET) {
			memcpy(v[n].addr, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
			v[n].prefix = i->ifa_netmask ? mask_len((uint8_t *)
			    &((struct sockaddr_in *)i->ifa_netmask)->sin_addr, 4) : 32;
		} else {
			struct in6_addr a = ((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;

			/* getifaddrs shows the kernel's embedded zone of a link-local: drop it. */
			if (IN6_IS_ADDR_LINKLOCAL(&a))
				a.s6_addr[2] = a.s6_addr[3] = 0;
			memcpy(v[n].addr, &a, 16);
			v[n].prefix = i->ifa_netmask ? mask_len((uint8_t *)
			    &((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr, 16) : 128;
		}
		n++;
	}
	freeifaddrs(ifa);
	return found ? (int)(n * sizeof(*v)) : -ENXIO;
}

int
fbsd_jail_addrs(int jid, const char *ifname, struct fbsd_addr *v, int max)
{
	int r = in_jail(jid, do_addrs, (void *)(uintptr_t)ifname, v,
	    (size_t)max * sizeof(*v));

	/* A list that filled the buffer may have been cut: ask for more room. */
	if (r >= 0 && r / (int)sizeof(*v) == max)
		return max + 1;
	return r < 0 ? r : r / (int)sizeof(*v);
}

/* ---------------------------------------------------------------- routes */

struct routeq {
	int family;
	const uint8_t *dst;
	int prefix;
	const uint8_t *gw;
};

/* Write address a of `family` as a sockaddr at p; returns the room it takes there. */
static size_t
sa_put(char *p, int family, const uint8_t *a)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in sin;
		struct sockaddr_in6 sin6;
	} u;

	memset(&u, 0, sizeof(u));
	u.sa.sa_family = (sa_family_t)family;
	if (family == AF_INET) {
		u.sa.sa_len = sizeof(u.sin);
		memcpy(&u.sin.sin_addr, a, 4);
	} else {
		u.sa.sa_len = sizeof(u.sin6);
		memcpy(&u.sin6.sin6_addr, a, 16);
	}
	memcpy(p, &u, u.sa.sa_len);
	return SA_SIZE(&u.sa);
}

static int
do_route_add(void *arg, void *buf, size_t len)
{
	const struct routeq *q = arg;
	char msg[512];
	struct rt_msghdr *rtm = (struct rt_msghdr *)msg;
	uint8_t mask[16];
	size_t off = sizeof(*rtm);
	int s, r;

	(void)buf;
	(void)len;
	memset(msg, 0, sizeof(msg));
	rtm->rtm_version = RTM_VERSION;
	rtm->rtm_type = RTM_ADD;
	rtm->rtm_flags = RTF_UP | RTF_GATEWAY | RTF_STATIC;
	rtm->rtm_addrs = RTA_DST | RTA_GATEWAY | RTA_NETMASK;
	rtm->rtm_seq = 1;
	rtm->rtm_pid = getpid();
	off += sa_put(msg + off, q->family, q->dst);
	off += sa_put(msg + off, q->family, q->gw);
	mask_bytes(mask, q->family == AF_INET ? 4 : 16, q->prefix);
	off += sa_put(msg + off, q->family, mask);
	rtm->rtm_msglen = (u_short)off;
	if ((s = socket(PF_ROUTE, SOCK_RAW | SOCK_CLOEXEC, AF_UNSPEC)) < 0)
		return -errno;
	r = write(s, msg, off) < 0 ? -errno : 0;
	close(s);
	return r;
}

int
fbsd_jail_route_add(int jid, int family, const uint8_t *dst, int prefix, const uint8_t *gw)
{
	struct routeq q = { family, dst, prefix, gw };

	return in_jail(jid, do_route_add, &q, NULL, 0);
}

static int
do_routes(void *arg, void *buf, size_t len)
{
	int mib[6] = { CTL_NET, PF_ROUTE, 0, AF_UNSPEC, NET_RT_DUMP, 0 };
	struct fbsd_route *v = buf;
	size_t max = len / sizeof(*v), n = 0, need;
	char *dump, *p;

	(void)arg;
	if (sysctl(mib, 6, NULL, &need, NULL, 0) < 0)
		return -errno;
	need += need / 4;
	if ((dump = malloc(need)) == NULL)
		return -ENOMEM;
	if (sysctl(mib, 6, dump, &need, NULL, 0) < 0) {
		free(dump);
		return -errno;
	}
	for (p = dump; p < dump + need;) {
		struct rt_msghdr *rtm = (struct rt_msghdr *)p;
		struct sockaddr *sa = (struct sockaddr *)(rtm + 1), *dst = NULL, *gw = NULL,
		    *mask = NULL;

		p += rtm->rtm_msglen;
		if (!(rtm->rtm_flags & RTF_GATEWAY))
			continue;
		for (int b = 0; b < RTAX_MAX; b++) {
			if (!(rtm->rtm_addrs & (1 << b)))
				continue;
			if (b == RTAX_DST)
				dst = sa;
			else if (b == RTAX_GATEWAY)
				gw = sa;
			else if (b == RTAX_NETMASK)
				mask = sa;
			sa = (struct sockaddr *)((char *)sa + SA_SIZE(sa));
		}
		if (dst == NULL || gw == NULL || dst->sa_family != gw->sa_family ||
		    (dst->sa_family != AF_INET && dst->sa_family != AF_INET6) || n >= max)
			continue;
		memset(&v[n], 0, sizeof(v[n]));
		v[n].family = dst->sa_family;
		if (dst->sa_family == AF_INET) {
			memcpy(v[n].dst, &((struct sockaddr_in *)dst)->sin_addr, 4);
			memcpy(v[n].gw, &((struct sockaddr_in *)gw)->sin_addr, 4);
			v[n].prefix = mask == NULL ? 32 : mask->sa_len <= 4 ? 0 :
			    mask_len((uint8_t *)&((struct sockaddr_in *)mask)->sin_addr,
			    mask->sa_len - 4 < 4 ? mask->sa_len - 4 : 4);
		} else {
			memcpy(v[n].dst, &((struct sockaddr_in6 *)dst)->sin6_addr, 16);
			memcpy(v[n].gw, &((struct sockaddr_in6 *)gw)->sin6_addr, 16);
			v[n].prefix = mask == NULL ? 128 : mask->sa_len <= 8 ? 0 :
			    mask_len((uint8_t *)&((struct sockaddr_in6 *)mask)->sin6_addr,
			    mask->sa_len - 8 < 16 ? mask->sa_len - 8 : 16);
		}
		n++;
	}
	free(dump);
	return (int)(n * sizeof(*v));
}

int
fbsd_jail_routes(int jid, struct fbsd_route *v, int max)
{
	int r = in_jail(jid, do_routes, NULL, v, (size_t)max * sizeof(*v));

	if (r >= 0 && r / (int)sizeof(*v) == max)
		return max + 1;
	return r < 0 ? r : r / (int)sizeof(*v);
}

/* ---------------------------------------------------------------- sysctls, exec */

static int
do_forwarding(void *arg, void *buf, size_t len)
{
	const int *q = arg;
	int on = q[1];

	(void)buf;
	(void)len;
	return sysctlbyname(q[0] == AF_INET ? "net.inet.ip.forwarding" :
	    "net.inet6.ip6.forwarding", NULL, NULL, &on, sizeof(on)) < 0 ? -errno : 0;
}

int
fbsd_jail_set_forwarding(int jid, int family, bool on)
{
	int q[2] = { family, on };

	return in_jail(jid, do_forwarding, q, NULL, 0);
}

int
fbsd_jail_exec(int jid, char *const argv[])
{
	if (jail_attach(jid) < 0)
		return -errno;
	execvp(argv[0], argv);
	return -errno;
}
