/*
 * The FreeBSD primitives for interfaces, bridges and vnet moves (see fbsd.h): each is one
 * ioctl (or sysctl) on the running kernel, nothing more. Compiled on FreeBSD only, against
 * the target system's own headers: FreeBSD 15 changed struct ifbreq (bridge VLAN
 * filtering), so a binary built with 14's headers must not drive 15's if_bridge.
 *
 * Interface ioctls go through one datagram socket per process. A socket belongs to the vnet
 * it was created in, so operations inside a jail (jid != FBSD_HOST) fork, jail_attach(2)
 * in the child, make a socket there, do the one ioctl, and report back through a pipe.
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
#include <net/ethernet.h>
#include <net/route.h>
#include <net/if_bridgevar.h>
#include <net/if_vlan_var.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fbsd.h"

static int sock = -1;

static int
sk(void)
{
	if (sock < 0)
		sock = socket(AF_LOCAL, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return sock;
}

/* ioctl on socket s; 0 or -errno. */
static int
ioc(int s, unsigned long req, void *arg)
{
	if (s < 0)
		return -errno;
	return ioctl(s, req, arg) < 0 ? -errno : 0;
}

static void
ifr_init(struct ifreq *ifr, const char *name)
{
	memset(ifr, 0, sizeof(*ifr));
	strlcpy(ifr->ifr_name, name, sizeof(ifr->ifr_name));
}

/* ---------------------------------------------------------------- in a jail's vnet */

typedef int (*vnet_fn)(int s, const char *name, int *val);

struct vnet_res {
	int r;
	int val;
};

/* Run fn on a socket of jail jid's vnet (or of ours for FBSD_HOST). */
static int
in_vnet(int jid, vnet_fn fn, const char *name, int *val)
{
	struct vnet_res res = { -EIO, 0 };
	ssize_t n;
	pid_t pid;
	int p[2], st;

	if (jid == FBSD_HOST)
		return fn(sk(), name, val);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	res.val = *val;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid == 0) {
		int s;

		if (jail_attach(jid) < 0)
			res.r = -errno;
		else if ((s = socket(AF_LOCAL, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
			res.r = -errno;
		else
			res.r = fn(s, name, &res.val);
		n = write(p[1], &res, sizeof(res));
		_exit(n == (ssize_t)sizeof(res) ? 0 : 1);
	}
	close(p[1]);
	do
		n = read(p[0], &res, sizeof(res));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(res))
		return -EIO;
	*val = res.val;
	return res.r;
}

static int
do_index(int s, const char *name, int *val)
{
	struct ifreq ifr;
	int r;

	ifr_init(&ifr, name);
	if ((r = ioc(s, SIOCGIFINDEX, &ifr)) == 0)
		*val = ifr.ifr_index;
	return r;
}

static int
get_flags(int s, const char *name, struct ifreq *ifr, int *flags)
{
	int r;

	ifr_init(ifr, name);
	if ((r = ioc(s, SIOCGIFFLAGS, ifr)) == 0)
		*flags = (ifr->ifr_flags & 0xffff) | (ifr->ifr_flagshigh << 16);
	return r;
}

static int
do_get_up(int s, const char *name, int *val)
{
	struct ifreq ifr;
	int r, flags;

	if ((r = get_flags(s, name, &ifr, &flags)) == 0)
		*val = (flags & IFF_UP) != 0;
	return r;
}

static int
do_set_up(int s, const char *name, int *val)
{
	struct ifreq ifr;
	int r, flags;

	if ((r = get_flags(s, name, &ifr, &flags)) < 0)
		return r;
	if (*val)
		flags |= IFF_UP;
	else
		flags &= ~IFF_UP;
	ifr.ifr_flags = flags & 0xffff;
	ifr.ifr_flagshigh = flags >> 16;
	return ioc(s, SIOCSIFFLAGS, &ifr);
}

static int
do_get_flags(int s, const char *name, int *val)
{
	struct ifreq ifr;

	return get_flags(s, name, &ifr, val);
}

static int
do_set_flags(int s, const char *name, int *val)
{
	struct ifreq ifr;

	ifr_init(&ifr, name);
	ifr.ifr_flags = *val & 0xffff;
	ifr.ifr_flagshigh = (unsigned)*val >> 16;
	return ioc(s, SIOCSIFFLAGS, &ifr);
}

static int
do_get_mtu(int s, const char *name, int *val)
{
	struct ifreq ifr;
	int r;

	ifr_init(&ifr, name);
	if ((r = ioc(s, SIOCGIFMTU, &ifr)) == 0)
		*val = ifr.ifr_mtu;
	return r;
}

static int
do_set_mtu(int s, const char *name, int *val)
{
	struct ifreq ifr;

	ifr_init(&ifr, name);
	ifr.ifr_mtu = *val;
	return ioc(s, SIOCSIFMTU, &ifr);
}

int
fbsd_if_index(int jid, const char *name, int *index)
{
	int v = 0, r = in_vnet(jid, do_index, name, &v);

	if (r == 0)
		*index = v;
	return r;
}

int
fbsd_if_get_up(int jid, const char *name, bool *up)
{
	int v = 0, r = in_vnet(jid, do_get_up, name, &v);

	if (r == 0)
		*up = v != 0;
	return r;
}

int
fbsd_if_set_up(int jid, const char *name, bool up)
{
	int v = up;

	return in_vnet(jid, do_set_up, name, &v);
}

int
fbsd_if_get_flags(int jid, const char *name, unsigned *flags)
{
	int v = 0, r = in_vnet(jid, do_get_flags, name, &v);

	if (r == 0)
		*flags = (unsigned)v;
	return r;
}

int
fbsd_if_set_flags(int jid, const char *name, unsigned flags)
{
	int v = (int)flags;

	return in_vnet(jid, do_set_flags, name, &v);
}

/* ---------------------------------------------------------------- ifnet */

int
fbsd_if_create(const char *cloner, char name[JNET_IFNAMSIZ])
{
	struct ifreq ifr;
	int r;

	ifr_init(&ifr, cloner);
	if ((r = ioc(sk(), SIOCIFCREATE2, &ifr)) == 0)
		strlcpy(name, ifr.ifr_name, JNET_IFNAMSIZ);
	return r;
}

int
fbsd_if_destroy(const char *name)
{
	struct ifreq ifr;

	ifr_init(&ifr, name);
	return ioc(sk(), SIOCIFDESTROY, &ifr);
}

int
fbsd_if_rename(const char *name, const char *newname)
{
	char buf[IFNAMSIZ];
	struct ifreq ifr;

	if (strlcpy(buf, newname, sizeof(buf)) >= sizeof(buf))
		return -ENAMETOOLONG;
	ifr_init(&ifr, name);
	ifr.ifr_data = buf;
	return ioc(sk(), SIOCSIFNAME, &ifr);
}

int
fbsd_vlan_set(const char *name, const char *parent, int vid)
{
	struct vlanreq vlr;
	struct ifreq ifr;

	memset(&vlr, 0, sizeof(vlr));
	if (strlcpy(vlr.vlr_parent, parent, sizeof(vlr.vlr_parent)) >= sizeof(vlr.vlr_parent))
		return -ENAMETOOLONG;
	vlr.vlr_tag = (u_short)vid;
	ifr_init(&ifr, name);
	ifr.ifr_data = (caddr_t)&vlr;
	return ioc(sk(), SIOCSETVLAN, &ifr);
}

/* The link-level address in a NET_RT_IFLIST answer of len bytes (-ENOENT: none). */
static int
lladdr_of(char *buf, size_t len, uint8_t mac[6])
{
	char *p;
	int r;

	r = -ENOENT;
	for (p = buf; p < buf + len; p += ((struct if_msghdr *)(void *)p)->ifm_msglen) {
		struct if_msghdr *ifm = (struct if_msghdr *)(void *)p;
		struct sockaddr_dl *sdl = (struct sockaddr_dl *)(void *)(ifm + 1);

		if (ifm->ifm_msglen == 0)
			break;
		if (ifm->ifm_type != RTM_IFINFO || !(ifm->ifm_addrs & RTA_IFP) ||
		    sdl->sdl_family != AF_LINK || sdl->sdl_alen != ETHER_ADDR_LEN)
			continue;
		memcpy(mac, LLADDR(sdl), ETHER_ADDR_LEN);
		r = 0;
		break;
	}
	return r;
}

int
fbsd_if_get_mac(const char *name, uint8_t mac[6])
{
	int mib[6] = { CTL_NET, PF_ROUTE, 0, AF_LINK, NET_RT_IFLIST, 0 };
	long small[2048 / sizeof(long)]; /* aligned for struct if_msghdr */
	size_t len;
	char *buf;
	int r;

	/* NET_RT_IFLIST for one interface (mib[5] = its index): its RTM_IFINFO message
	 * carries the link-level sockaddr (sysctl(3)), as libc's getifaddrs reads it. */
	if ((r = do_index(sk(), name, &mib[5])) < 0)
		return r;
	/* One sysctl into a buffer that holds an interface with a few addresses; the size
	 * query only when it does not fit (ENOMEM: kern_sysctl.c, the data did not fit). */
	len = sizeof(small);
	if (sysctl(mib, 6, small, &len, NULL, 0) == 0)
		return lladdr_of((char *)small, len, mac);
	if (errno != ENOMEM)
		return -errno;
	len = 0;
	if (sysctl(mib, 6, NULL, &len, NULL, 0) < 0)
		return -errno;
	len += 1024; /* room for an address added meanwhile */
	if ((buf = malloc(len)) == NULL)
		return -ENOMEM;
	if (sysctl(mib, 6, buf, &len, NULL, 0) < 0) {
		r = -errno;
		free(buf);
		return r;
	}
	r = lladdr_of(buf, len, mac);
	free(buf);
	return r;
}

int
fbsd_if_set_mac(const char *name, const uint8_t mac[6])
{
	struct ifreq ifr;

	ifr_init(&ifr, name);
	ifr.ifr_addr.sa_family = AF_LINK;
	ifr.ifr_addr.sa_len = ETHER_ADDR_LEN;
	memcpy(ifr.ifr_addr.sa_data, mac, ETHER_ADDR_LEN);
	return ioc(sk(), SIOCSIFLLADDR, &ifr);
}

int
fbsd_if_get_mtu(int jid, const char *name, unsigned *mtu)
{
	int v = 0, r = in_vnet(jid, do_get_mtu, name, &v);

	if (r == 0)
		*mtu = (unsigned)v;
	return r;
}

int
fbsd_if_set_mtu(int jid, const char *name, unsigned mtu)
{
	int v = (int)mtu;

	return in_vnet(jid, do_set_mtu, name, &v);
}

int
fbsd_if_get_descr(const char *name, char *buf, size_t len)
{
	struct ifreq ifr;
	int r;

	ifr_init(&ifr, name);
	ifr.ifr_buffer.buffer = buf;
	ifr.ifr_buffer.length = len;
	if ((r = ioc(sk(), SIOCGIFDESCR, &ifr)) < 0)
		return r; /* -ENOMSG: no description */
	/* Too small a buffer: the kernel clears the pointer and says how much it needs. */
	if (ifr.ifr_buffer.buffer == NULL)
		return -ENAMETOOLONG;
	return 0;
}

int
fbsd_if_set_descr(const char *name, const char *descr)
{
	struct ifreq ifr;
	char *copy = NULL;
	int r;

	ifr_init(&ifr, name);
	if (descr[0] != '\0') {
		if ((copy = strdup(descr)) == NULL)
			return -ENOMEM;
		ifr.ifr_buffer.buffer = copy;
		ifr.ifr_buffer.length = strlen(copy) + 1; /* with the NUL */
	}
	r = ioc(sk(), SIOCSIFDESCR, &ifr); /* length 0 clears it */
	free(copy);
	return r;
}

int
fbsd_if_add_group(const char *name, const char *group)
{
	struct ifgroupreq ifgr;

	memset(&ifgr, 0, sizeof(ifgr));
	strlcpy(ifgr.ifgr_name, name, sizeof(ifgr.ifgr_name));
	if (strlcpy(ifgr.ifgr_group, group, sizeof(ifgr.ifgr_group)) >= sizeof(ifgr.ifgr_group))
		return -EINVAL;
	return ioc(sk(), SIOCAIFGROUP, &ifgr);
}

/* Copy the names of n entries out; returns n. */
static int
group_names(const struct ifg_req *g, int n, bool members, char (*out)[JNET_IFNAMSIZ], int max)
{
	for (int i = 0; i < n && i < max; i++)
		strlcpy(out[i], members ? g[i].ifgrq_member : g[i].ifgrq_group, JNET_IFNAMSIZ);
	return n;
}

#define GROUP_FIRST 16 /* entries the first ioctl has room for: most lists fit */

/*
 * SIOCGIFGROUP (members = false) or SIOCGIFGMEMB (true). First one ioctl with room for
 * GROUP_FIRST entries, zeroed: the kernel copies out the entries there are and nothing
 * else, or answers EINVAL when they do not fit (if.c if_getgroup, if_getgroupmembers:
 * "if (len < sizeof(ifgrq)) return (EINVAL)"); names are never empty, so the entries
 * written are the non-empty ones. Only a longer list takes the size query and the fetch.
 */
static int
group_query(const char *name, bool members, char (*out)[JNET_IFNAMSIZ], int max)
{
	unsigned long req = members ? SIOCGIFGMEMB : SIOCGIFGROUP;
	struct ifg_req first[GROUP_FIRST];
	struct ifgroupreq ifgr;
	struct ifg_req *g;
	int r, n;

	memset(&ifgr, 0, sizeof(ifgr));
	memset(first, 0, sizeof(first));
	strlcpy(ifgr.ifgr_name, name, sizeof(ifgr.ifgr_name));
	ifgr.ifgr_len = sizeof(first);
	ifgr.ifgr_groups = first;
	if ((r = ioc(sk(), req, &ifgr)) == 0) {
		for (n = 0; n < GROUP_FIRST && first[n].ifgrq_group[0] != '\0'; n++)
			;
		return group_names(first, n, members, out, max);
	}
	if (r != -EINVAL)
		return members && r == -ENOENT ? 0 : r;
	/* More than GROUP_FIRST: the size, then the list. */
	memset(&ifgr, 0, sizeof(ifgr));
	strlcpy(ifgr.ifgr_name, name, sizeof(ifgr.ifgr_name));
	if ((r = ioc(sk(), req, &ifgr)) < 0)
		return members && r == -ENOENT ? 0 : r;
	if (ifgr.ifgr_len == 0)
		return 0;
	if ((g = calloc(1, ifgr.ifgr_len)) == NULL)
		return -ENOMEM;
	ifgr.ifgr_groups = g;
	/* EINVAL here: the list grew since the size query (if.c if_getgroupmembers /
	 * if_getgroup); the caller asks again (common.c fbc_group_list, fbc_if_groups). */
	if ((r = ioc(sk(), req, &ifgr)) < 0) {
		free(g);
		return members && r == -ENOENT ? 0 : r;
	}
	n = group_names(g, (int)(ifgr.ifgr_len / sizeof(*g)), members, out, max);
	free(g);
	return n;
}

int
fbsd_if_groups(const char *name, char (*groups)[JNET_IFNAMSIZ], int max)
{
	return group_query(name, false, groups, max);
}

int
fbsd_group_members(const char *group, char (*names)[JNET_IFNAMSIZ], int max)
{
	return group_query(group, true, names, max);
}

int
fbsd_if_has_inaddr(const char *name, bool *has)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	*has = false;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (strcmp(i->ifa_name, name) != 0)
			continue;
		found = true;
		if (i->ifa_addr != NULL &&
		    (i->ifa_addr->sa_family == AF_INET || i->ifa_addr->sa_family == AF_INET6))
			*has = true;
	}
	freeifaddrs(ifa);
	return found ? 0 : -ENXIO;
}

/* ---------------------------------------------------------------- vnet moves */

int
fbsd_if_vnet(const char *name, int jid)
{
	struct ifreq ifr;

	ifr_init(&ifr, name);
	ifr.ifr_jid = jid;
	return ioc(sk(), SIOCSIFVNET, &ifr);
}

int
fbsd_if_rvnet(const char *name, int jid)
{
	struct ifreq ifr;

	ifr_init(&ifr, name);
	ifr.ifr_jid = jid;
	return ioc(sk(), SIOCSIFRVNET, &ifr);
}

/* ---------------------------------------------------------------- if_bridge */

static int
drvspec(const char *bridge, unsigned long req, unsigned long cmd, void *data, size_t len)
{
	struct ifdrv ifd;

	memset(&ifd, 0, sizeof(ifd));
	strlcpy(ifd.ifd_name, bridge, sizeof(ifd.ifd_name));
	ifd.ifd_cmd = cmd;
	ifd.ifd_len = len;
	ifd.ifd_data = data;
	return ioc(sk(), req, &ifd);
}

static int
member_cmd(const char *bridge, const char *member, unsigned long req, unsigned long cmd)
{
	struct ifbreq br;

	memset(&br, 0, sizeof(br));
	strlcpy(br.ifbr_ifsname, member, sizeof(br.ifbr_ifsname));
	return drvspec(bridge, req, cmd, &br, sizeof(br));
}

int
fbsd_bridge_add(const char *bridge, const char *member)
{
	return member_cmd(bridge, member, SIOCSDRVSPEC, BRDGADD);
}

int
fbsd_bridge_del(const char *bridge, const char *member)
{
	return member_cmd(bridge, member, SIOCSDRVSPEC, BRDGDEL);
}

int
fbsd_bridge_has_member(const char *bridge, const char *member)
{
	int r = member_cmd(bridge, member, SIOCGDRVSPEC, BRDGGIFFLGS);

	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : 1;
}

int
fbsd_bridge_members(const char *bridge, char (*names)[JNET_IFNAMSIZ], int max)
{
	struct ifbifconf bifc;
	struct ifbreq *req = NULL;
	int r, n;

	/* Length 0 asks how much room the list needs (if_bridge.c bridge_ioctl_gifs). */
	memset(&bifc, 0, sizeof(bifc));
	if ((r = drvspec(bridge, SIOCGDRVSPEC, BRDGGIFS, &bifc, sizeof(bifc))) < 0)
		return r;
	if (bifc.ifbic_len == 0)
		return 0;
	bifc.ifbic_len += 8 * sizeof(*req); /* room for members joining meanwhile */
	if ((req = calloc(1, bifc.ifbic_len)) == NULL)
		return -ENOMEM;
	bifc.ifbic_req = req;
	if ((r = drvspec(bridge, SIOCGDRVSPEC, BRDGGIFS, &bifc, sizeof(bifc))) < 0) {
		free(req);
		return r;
	}
	n = (int)(bifc.ifbic_len / sizeof(*req));
	for (int i = 0; i < n && i < max; i++)
		strlcpy(names[i], req[i].ifbr_ifsname, JNET_IFNAMSIZ);
	free(req);
	return n;
}

int
fbsd_bridge_member_ifaddrs(bool *allowed)
{
	size_t len;
	int v = 1;

	len = sizeof(v);
	if (sysctlbyname("net.link.bridge.member_ifaddrs", &v, &len, NULL, 0) < 0) {
		if (errno != ENOENT)
			return -errno;
		v = 1; /* before FreeBSD 15: no such sysctl, no such refusal */
	}
	*allowed = v != 0;
	return 0;
}
