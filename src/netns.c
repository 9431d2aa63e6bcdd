/*
 * The netns backend (Linux): a jail is a network namespace, a link is a veth pair, a
 * bridge is a Linux bridge. All kernel work is rtnetlink through libmnl: no fork/exec.
 *
 * Ownership: every interface jnet creates is born in interface group JNET_GROUP (set in the
 * creating RTM_NEWLINK itself, so even a crash right after creation leaves it recognisable)
 * and gets its tag in IFLA_IFALIAS by the next request (the kernel does not accept an
 * alias at creation).
 *
 * When the jail exists, the pair is made with one RTM_NEWLINK: the jail end is born inside
 * the jail's netns (IFLA_NET_NS_FD in the peer) and the host end on its bridge
 * (IFLA_MASTER). Moving a device between namespaces costs an RCU grace period; never
 * create-then-move when the target is known.
 *
 * This file: the backend's open/close and operations table, jails opened, interfaces and
 * bridges. Links: netns_link.c (made, found, destroyed), netns_move.c (moved, changed),
 * netns_mac.c (their MACs on a bridge); namespaces: netns_jail.c.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "netns.h"

static int
nn_open(void **priv, struct jnet_err *e)
{
	struct nn *n = calloc(1, sizeof(*n));
	int r;

	if (n == NULL)
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	for (int i = 0; i < NN_JAILSOCKS; i++)
		n->js[i].fd = -1;
	n->self_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (n->self_fd < 0) {
		r = jnet_err_sys(e, errno, "/proc/self/ns/net", "open");
		free(n);
		return r;
	}
	if ((r = nl_open(&n->host, -1, e)) < 0) {
		close(n->self_fd);
		free(n);
		return r;
	}
	*priv = n;
	return 0;
}

static void
jail_sock_close(struct nn_jailsock *js)
{
	if (js->nl.sock != NULL)
		nl_close(&js->nl);
	if (js->fd >= 0)
		close(js->fd);
	js->fd = -1;
	js->name[0] = '\0';
}

/* The jail sockets are per command: a name may mean another namespace in the next one. */
static void
nn_end_command(void *priv)
{
	struct nn *n = priv;

	for (int i = 0; i < NN_JAILSOCKS; i++)
		jail_sock_close(&n->js[i]);
}

static void
nn_close(void *priv)
{
	struct nn *n = priv;

	nn_end_command(n);
	nl_close(&n->host);
	close(n->self_fd);
	free(n);
}

/* ---------------------------------------------------------------- jails */

static bool
same_netns(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	    sa.st_ino == sb.st_ino;
}

static int
ns_path(const char *spec, unsigned flags, char *path, size_t len, struct jnet_err *e)
{
	int r;

	if (!(flags & JNET_JAIL_SPEC)) {
		/* A name: /run/netns/NAME, whatever it looks like (names hold no '/'). */
		if (strchr(spec, '/') != NULL)
			return jnet_err_set(e, EINVAL, spec, "a jail name cannot contain '/'");
		r = snprintf(path, len, "%s/%s", NETNS_DIR, spec);
	} else if (strncmp(spec, "pid:", 4) == 0) {
		char *end;
		long pid = strtol(spec + 4, &end, 10);

		if (spec[4] == '\0' || *end != '\0' || pid <= 0)
			return jnet_err_set(e, EINVAL, spec, "want pid:N with a process ID");
		r = snprintf(path, len, "/proc/%ld/ns/net", pid);
	} else if (strchr(spec, '/') != NULL) {
		r = snprintf(path, len, "%s", spec);
	} else {
		r = snprintf(path, len, "%s/%s", NETNS_DIR, spec);
	}
	if (r < 0 || (size_t)r >= len)
		return jnet_err_set(e, ENAMETOOLONG, spec, "path too long");
	return 0;
}

int
nn_jail_open(void *priv, const char *spec, unsigned flags, struct jnet_jail *j,
    struct jnet_err *e)
{
	char path[4096];
	struct statfs sfs;
	int r, fd;

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->jid = -1;
	jnet_strlcpy(j->name, spec, sizeof(j->name));
	if ((r = ns_path(spec, flags, path, sizeof(path), e)) < 0)
		return r;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return 0; /* no such jail (yet) */
		return jnet_err_sys(e, errno, path, "open network namespace");
	}
	if (fstatfs(fd, &sfs) < 0 || (unsigned long)sfs.f_type != NSFS_MAGIC) {
		close(fd);
		return jnet_err_set(e, EINVAL, path,
		    "exists but is not a network namespace (stale file? try `ip netns delete`)");
	}
	/* Another kind of namespace (/proc/self/ns/mnt): nsfs too; NS_GET_NSTYPE (Linux 4.11)
	 * tells. An older kernel's ENOTTY: setns() refuses it later. */
	r = ioctl(fd, NS_GET_NSTYPE);
	if (r >= 0 && r != CLONE_NEWNET) {
		close(fd);
		return jnet_err_set(e, EINVAL, path, "is a namespace, but not a network namespace");
	}
	if (priv != NULL && same_netns(fd, ((struct nn *)priv)->self_fd)) {
		close(fd);
		return jnet_err_set(e, EINVAL, spec,
		    "is jnet's own network namespace (the host's), not a jail");
	}
	j->fd = fd;
	j->exists = true;
	return 0;
}

void
nn_jail_close(void *priv, struct jnet_jail *j)
{
	(void)priv;
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
}

int
nn_jail_sock(struct nn *n, const char *spec, int fd, struct nl **out, struct jnet_err *e)
{
	struct nn_jailsock *js;
	struct jnet_jail j;
	int r;

	for (int i = 0; i < NN_JAILSOCKS; i++)
		if (n->js[i].nl.sock != NULL && strcmp(n->js[i].name, spec) == 0 &&
		    (fd < 0 || same_netns(fd, n->js[i].fd))) {
			/* With an fd, a cached socket of the same name must be in the same
			 * namespace: a jail named "pid:5" is not the namespace of `-J pid:5`. */
			*out = &n->js[i].nl;
			return 0;
		}
	js = &n->js[n->js_next];
	n->js_next = (n->js_next + 1) % NN_JAILSOCKS;
	jail_sock_close(js);
	if (fd < 0) {
		if ((r = nn_jail_open(n, spec, 0, &j, e)) < 0)
			return r;
		if (!j.exists)
			return jnet_err_set(e, ENOENT, spec, "no such network namespace");
		fd = j.fd;
	} else if ((fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		return jnet_err_sys(e, errno, spec, "dup");
	}
	if ((r = nl_open(&js->nl, fd, e)) < 0) {
		close(fd);
		return r;
	}
	js->fd = fd;
	jnet_strlcpy(js->name, spec, sizeof(js->name));
	*out = &js->nl;
	return 0;
}

/* ---------------------------------------------------------------- interfaces */

void
nn_ifinfo_from(const struct nl_link *l, struct jnet_ifinfo *out)
{
	memset(out, 0, sizeof(*out));
	jnet_strlcpy(out->name, l->name, sizeof(out->name));
	out->ifindex = l->ifindex;
	memcpy(out->mac, l->mac, 6);
	out->has_mac = l->has_mac;
	out->up = (l->flags & IFF_UP) != 0;
	out->is_bridge = strcmp(l->kind, "bridge") == 0;
	out->is_vlan = strcmp(l->kind, "vlan") == 0;
	out->is_vxlan = strcmp(l->kind, "vxlan") == 0;
	out->jnet_group = l->group == JNET_GROUP;
	jnet_strlcpy(out->tagtext, l->alias, sizeof(out->tagtext));
	out->tagged = jnet_tag_parse(l->alias, &out->tag) == 0;
	out->mtu = l->mtu;
	out->vni = l->vxlan_id;
	memcpy(out->vx_local, l->vxlan_local, 16);
	out->vx_port = l->vxlan_port;
}

int
nn_master_name(struct nn *n, int master, char out[JNET_IFNAMSIZ], struct jnet_err *e)
{
	struct nl_link m;
	int r;

	out[0] = '\0';
	if (master <= 0)
		return 0;
	r = nl_get_link(&n->host, NULL, master, -1, &m, e);
	if (r == -ENODEV)
		return 0;
	if (r < 0)
		return r;
	jnet_strlcpy(out, m.name, JNET_IFNAMSIZ);
	return 0;
}

static int
nn_if_get(void *priv, const char *ifname, struct jnet_ifinfo *out, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nl_link l;
	int r;

	r = nl_get_link(&n->host, ifname, 0, -1, &l, e);
	if (r < 0)
		return r;
	nn_ifinfo_from(&l, out);
	return nn_master_name(n, l.master, out->master, e);
}

struct blist {
	struct nn *n;
	int (*cb)(const struct jnet_ifinfo *, void *);
	void *arg;
};

static int
bridge_one(const struct nl_link *l, void *arg)
{
	struct blist *b = arg;
	struct jnet_ifinfo i;

	if (strcmp(l->kind, "bridge") != 0)
		return 0;
	nn_ifinfo_from(l, &i);
	return b->cb(&i, b->arg);
}

static int
nn_bridge_list(void *priv, int (*cb)(const struct jnet_ifinfo *, void *), void *arg,
    struct jnet_err *e)
{
	struct blist b = { priv, cb, arg };

	return nl_dump_links(&((struct nn *)priv)->host, 0, bridge_one, &b, e);
}

int
nn_set_link(struct nl *nl, const struct nn_change *c, struct jnet_err *e)
{
	struct nlmsghdr *nlh = nl_req(nl, RTM_NEWLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	const char *name = c->name;

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = c->ifindex;
	if (c->ifindex == 0 && name != NULL)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (c->up != NN_KEEP) {
		ifm->ifi_change = IFF_UP;
		ifm->ifi_flags = c->up == NN_UP ? IFF_UP : 0;
	}
	if (c->alias != NULL)
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, c->alias);
	if (c->nsfd != NULL)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)*c->nsfd);
	if (c->master > 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)c->master);
	if (c->mtu > 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, c->mtu);
	if (c->no_ipv6) {
		/* Host ends and bridge ports need no IPv6 link-local address (and no RS/DAD
		 * traffic flooded to every other port). */
		struct nlattr *af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
		struct nlattr *in6 = mnl_attr_nest_start(nlh, AF_INET6);

		mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
		mnl_attr_nest_end(nlh, in6);
		mnl_attr_nest_end(nlh, af);
	}
	return nl_talk(nl, nlh, NULL, NULL, name ? name : "", c->what, e);
}

int
nn_del_link(struct nl *nl, int ifindex, const char *name, struct jnet_err *e)
{
	struct nlmsghdr *nlh = nl_req(nl, RTM_DELLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	int r;

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (ifindex == 0)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	r = nl_talk(nl, nlh, NULL, NULL, name ? name : "", "delete", e);
	if (r == -ENODEV) {
		jnet_err_clear(e);
		return 0; /* already gone: what we wanted */
	}
	return r;
}

static int
nn_if_ensure_up(void *priv, const char *ifname, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nl_link l;
	int r;

	if ((r = nl_get_link(&n->host, ifname, 0, -1, &l, e)) < 0)
		return r == -ENODEV ? jnet_err_set(e, ENODEV, ifname, "no such interface") : r;
	if (l.flags & IFF_UP)
		return 0;
	return nn_set_link(&n->host, &(struct nn_change){ .ifindex = l.ifindex, .name = ifname,
	    .up = NN_UP, .what = "set up" }, e);
}

static int
nn_if_set_master(void *priv, const char *ifname, const char *bridge, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nl_link br;
	int r;

	if ((r = nl_get_link(&n->host, bridge, 0, -1, &br, e)) < 0)
		return r == -ENODEV ? jnet_err_set(e, ENODEV, bridge, "no such bridge") : r;
	if ((r = nn_mac_move(n, ifname, br.ifindex, bridge, e)) < 0)
		return r;
	return nn_set_link(&n->host, &(struct nn_change){ .name = ifname, .master = br.ifindex,
	    .what = "join bridge" }, e);
}

static int
nn_if_set_tag(void *priv, const char *ifname, const char *tag, struct jnet_err *e)
{
	return nn_set_link(&((struct nn *)priv)->host, &(struct nn_change){ .name = ifname,
	    .alias = tag, .what = "tag" }, e);
}

/* ---------------------------------------------------------------- bridges */

static int
nn_bridge_create(void *priv, const char *name, const char *uplink, const uint8_t *mac,
    const char *tag, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nlmsghdr *nlh = nl_req(&n->host, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct nlattr *li;
	struct nl_link br, up;
	struct jnet_err ignore;
	unsigned mtu;
	int r;

	if (uplink != NULL) {
		r = nl_get_link(&n->host, uplink, 0, -1, &up, e);
		if (r == -ENODEV)
			return jnet_err_set(e, ENODEV, uplink, "no such interface");
		if (r < 0)
			return r;
		nlh = nl_req(&n->host, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
		ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	}
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_GROUP, JNET_GROUP);
	if (mac != NULL)
		/* Pinned: otherwise the bridge takes the lowest port MAC and changes it as
		 * jails come and go (netavark #833). */
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);

	/* Born one below its MTU, which the request after the tag sets (see there). */
	mtu = uplink != NULL && up.mtu > 68 && up.mtu <= 65535 ? up.mtu : 1500;
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu - 1);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, li);
	r = nl_talk(&n->host, nlh, NULL, NULL, name, "create bridge", e);
	if (r < 0)
		return r;
	if ((r = nl_get_link(&n->host, name, 0, -1, &br, e)) < 0)
		return r;
	/* Its MTU set by a request of its own, to a value other than the one it has: only a
	 * change counts, for the kernel, as set by the user (not the MTU given at creation,
	 * not a request for the MTU it already has), and only then does it stop lowering the
	 * bridge to its smallest port's. The uplink's MTU, so that a smaller port never
	 * lowers it. */
	r = nn_set_link(&n->host, &(struct nn_change){ .ifindex = br.ifindex, .name = name,
	    .mtu = mtu, .what = "set the bridge's MTU" }, e);
	if (r == 0 && uplink != NULL)
		r = nn_set_link(&n->host, &(struct nn_change){ .ifindex = up.ifindex,
		    .name = uplink, .master = br.ifindex, .what = "add uplink to bridge" }, e);
	/* The tag last: a tagged bridge is a complete one; a kill before leaves an untagged
	 * one of our group and name, which the next addm makes anew. */
	if (r == 0)
		r = nn_set_link(&n->host, &(struct nn_change){ .ifindex = br.ifindex, .name = name,
		    .alias = tag, .what = "tag bridge" }, e);
	if (r < 0)
		nn_del_link(&n->host, br.ifindex, name, &ignore);
	return r;
}

static int
nn_bridge_destroy(void *priv, const char *name, struct jnet_err *e)
{
	return nn_del_link(&((struct nn *)priv)->host, 0, name, e);
}

struct members {
	char (*names)[JNET_IFNAMSIZ];
	int max, n;
};

static int
member_one(const struct nl_link *l, void *arg)
{
	struct members *m = arg;

	if (m->n < m->max)
		jnet_strlcpy(m->names[m->n], l->name, JNET_IFNAMSIZ);
	m->n++;
	return 0;
}

static int
nn_bridge_members(void *priv, const char *name, char (*names)[JNET_IFNAMSIZ], int max,
    struct jnet_err *e)
{
	struct nn *n = priv;
	struct members m = { names, max, 0 };
	struct nl_link br;
	int r;

	if ((r = nl_get_link(&n->host, name, 0, -1, &br, e)) < 0)
		return r;
	if (strcmp(br.kind, "bridge") != 0)
		return jnet_err_set(e, EINVAL, name, "not a bridge");
	r = nl_dump_links(&n->host, br.ifindex, member_one, &m, e);
	return r < 0 ? r : m.n;
}

static int
nn_if_set_up(void *priv, const char *ifname, bool up, struct jnet_err *e)
{
	return nn_set_link(&((struct nn *)priv)->host, &(struct nn_change){ .name = ifname,
	    .up = up ? NN_UP : NN_DOWN, .what = up ? "set up" : "set down" }, e);
}

static const struct jnet_lab_ops nn_lab = {
	.jail_create = nn_jail_create,
	.jail_tag = nn_jail_tag,
	.jail_destroy = nn_jail_destroy,
	.jail_list = nn_jail_list,
	.lab_jails_destroy = nn_lab_jails_destroy,
	.addr_add = nn_addr_add,
	.addr_list = nn_addr_list,
	.jail_if_get = nn_jail_if_get,
	.jail_if_destroy = nn_jail_if_destroy,
	.route_list = nn_route_list,
	.route_add = nn_route_add,
	.forwarding = nn_forwarding,
	.jail_exec = nn_jail_exec,
	.link_destroy_jails = nn_link_destroy_jails,
	.vxlan_create = nn_vxlan_create,
	.vxlan_remotes = nn_vxlan_remotes,
	.vxlan_repair = nn_vxlan_repair,
	.vxlan_destroy = nn_vlan_destroy, /* a link deleted by name */
};

const struct jnet_backend_ops jnet_netns_backend = {
	.name = "netns",
	.summary = "veth pairs + Linux bridges + network namespaces (Linux)",
	.names = JNET_NAMES_PAIR,
	.paired = true,
	.max_bridge_ports = 1023, /* BR_MAX_PORTS: the 1024th port fails with EXFULL */
	.port_mtu_below_bridge = true,
	.open = nn_open,
	.close = nn_close,
	.end_command = nn_end_command,
	.jail_open = nn_jail_open,
	.jail_close = nn_jail_close,
	.if_get = nn_if_get,
	.bridge_list = nn_bridge_list,
	.bridge_create = nn_bridge_create,
	.vlan_create = nn_vlan_create,
	.vlan_destroy = nn_vlan_destroy,
	.bridge_destroy = nn_bridge_destroy,
	.bridge_members = nn_bridge_members,
	.if_ensure_up = nn_if_ensure_up,
	.link_create = nn_link_create,
	.link_get = nn_link_get,
	.link_list = nn_link_list,
	.mac_holder = nn_mac_holder,
	.link_destroy = nn_link_destroy,
	.link_move = nn_link_move,
	.link_set_up = nn_link_set_up,
	.link_set_mtu = nn_link_set_mtu,
	.link_in = nn_link_in,
	.if_set_up = nn_if_set_up,
	.link_destroy_many = nn_link_destroy_many,
	.port_hairpin = nn_port_hairpin,
	.if_set_promisc = nn_if_set_promisc,
	.if_set_master = nn_if_set_master,
	.if_set_tag = nn_if_set_tag,
	.lab = &nn_lab,
};
