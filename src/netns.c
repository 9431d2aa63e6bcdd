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
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/nsfs.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/random.h>
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
}

static int
master_name(struct nn *n, int master, char out[JNET_IFNAMSIZ], struct jnet_err *e)
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
	return master_name(n, l.master, out->master, e);
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

void
nn_change_init(struct nn_change *c, int ifindex, const char *name, const char *what)
{
	memset(c, 0, sizeof(*c));
	c->ifindex = ifindex;
	c->name = name;
	c->up = -1;
	c->nsfd = -1;
	c->master = -1;
	c->what = what;
}

int
nn_set_link(struct nl *nl, int ifindex, const char *name, int up, const char *alias, int nsfd,
    int master, bool no_ipv6, const char *what, struct jnet_err *e)
{
	struct nn_change c;

	nn_change_init(&c, ifindex, name, what);
	c.up = up;
	c.alias = alias;
	c.nsfd = nsfd;
	c.master = master;
	c.no_ipv6 = no_ipv6;
	return nn_change(nl, &c, e);
}

int
nn_change(struct nl *nl, const struct nn_change *c, struct jnet_err *e)
{
	struct nlmsghdr *nlh = nl_req(nl, RTM_NEWLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	const char *name = c->name;

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = c->ifindex;
	if (c->ifindex == 0 && name != NULL)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (c->up >= 0) {
		ifm->ifi_change = IFF_UP;
		ifm->ifi_flags = c->up ? IFF_UP : 0;
	}
	if (c->alias != NULL)
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, c->alias);
	if (c->nsfd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)c->nsfd);
	if (c->master >= 0)
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
	return nn_set_link(&n->host, l.ifindex, ifname, 1, NULL, -1, -1, false, "set up", e);
}

static int mac_move(struct nn *n, const char *ifname, int bridge, const char *brname,
    struct jnet_err *e);

static int
nn_if_set_master(void *priv, const char *ifname, const char *bridge, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nl_link br;
	int r;

	if ((r = nl_get_link(&n->host, bridge, 0, -1, &br, e)) < 0)
		return r == -ENODEV ? jnet_err_set(e, ENODEV, bridge, "no such bridge") : r;
	if ((r = mac_move(n, ifname, br.ifindex, bridge, e)) < 0)
		return r;
	return nn_set_link(&n->host, 0, ifname, -1, NULL, -1, br.ifindex, false, "join bridge", e);
}

static int
nn_if_set_tag(void *priv, const char *ifname, const char *tag, struct jnet_err *e)
{
	return nn_set_link(&((struct nn *)priv)->host, 0, ifname, -1, tag, -1, -1, false, "tag", e);
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
	{
		/* Its MTU set by a request of its own, to a value other than the one it has:
		 * only a change counts, for the kernel, as set by the user (not the MTU given at
		 * creation, not a request for the MTU it already has), and only then does it
		 * stop lowering the bridge to its smallest port's. The uplink's MTU, so that a
		 * smaller port never lowers it. */
		struct nn_change c;

		nn_change_init(&c, br.ifindex, name, "set the bridge's MTU");
		c.mtu = mtu;
		r = nn_change(&n->host, &c, e);
	}
	if (r == 0 && uplink != NULL)
		r = nn_set_link(&n->host, up.ifindex, uplink, -1, NULL, -1, br.ifindex, false,
		    "add uplink to bridge", e);
	/* The tag last: a tagged bridge is a complete one; a kill before leaves an untagged
	 * one of our group and name, which the next addm makes anew. */
	if (r == 0)
		r = nn_set_link(&n->host, br.ifindex, name, -1, tag, -1, -1, false, "tag bridge", e);
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

/* ---------------------------------------------------------------- links */

/* be[] slots of struct jnet_link_info for this backend. */
enum { BE_HOST_IFINDEX, BE_PEER_IFINDEX, BE_PEER_NSID };

/* Fill a link_info from the host end's attributes (peer looked up too). */
static int
link_from(struct nn *n, const struct nl_link *h, struct jnet_link_info *out,
    struct jnet_err *e)
{
	struct jnet_tag tag;
	struct nl_link p;
	int r;

	memset(out, 0, sizeof(*out));
	jnet_strlcpy(out->host_if, h->name, sizeof(out->host_if));
	/* jnet_ownership: a link tag, or no alias at all on a veth of our group (the crash
	 * window; the caller checks the name). Any other alias is somebody else's. */
	switch (jnet_ownership(h->alias, h->group == JNET_GROUP && strcmp(h->kind, "veth") == 0,
	    h->name, JNET_TAG_LINK, h->name, &tag)) {
	case JNET_OWN_NONE:
		return -EPERM;
	case JNET_OWN_CRASH:
		break;
	case JNET_OWN_TAGGED:
		/* jnet's links are veth pairs: a link tag on anything else is forged */
		if (tag.end != 'a' || strcmp(h->kind, "veth") != 0)
			return -EPERM;
		out->tagged = true;
		jnet_strlcpy(out->jail, tag.name, sizeof(out->jail));
		out->index = tag.index;
		out->count = tag.count;
		out->born = tag.born;
		break;
	}
	memcpy(out->host_mac, h->mac, 6);
	out->host_up = (h->flags & IFF_UP) != 0;
	out->be[BE_HOST_IFINDEX] = h->ifindex;
	out->be[BE_PEER_IFINDEX] = h->link;
	out->be[BE_PEER_NSID] = h->link_netnsid;
	if ((r = master_name(n, h->master, out->bridge, e)) < 0)
		return r;
	out->where = JNET_WHERE_GONE;
	if (h->link <= 0)
		return 0;
	r = nl_get_link(&n->host, NULL, h->link, h->link_netnsid, &p, e);
	if (r == -ENODEV || r == -EINVAL) {
		jnet_err_clear(e);
		return 0; /* peer netns going away */
	}
	if (r < 0)
		return r;
	/*
	 * Trust the peer only if it points back at us. While the peer's namespace is being
	 * torn down the host end can report a peer ifindex without a namespace id, and that
	 * index then names some unrelated device of the host (a bridge, the NIC).
	 */
	if (strcmp(p.kind, "veth") != 0 || p.link != h->ifindex ||
	    (h->link_netnsid < 0 && p.link_netnsid >= 0)) {
		out->be[BE_PEER_IFINDEX] = 0;
		return 0; /* JNET_WHERE_GONE: half of a pair whose other half is going away */
	}
	jnet_strlcpy(out->jail_if, p.name, sizeof(out->jail_if));
	memcpy(out->jail_mac, p.mac, 6);
	out->jail_mac_known = true;
	out->jail_up = (p.flags & IFF_UP) != 0;
	out->jail_untagged = p.alias[0] == '\0';
	out->where = h->link_netnsid >= 0 ? JNET_WHERE_JAIL : JNET_WHERE_HOST;
	return 0;
}

/* Name the jail that holds the jail end, when it is the jail the link belongs to. */
static void
where_jail(struct nn *n, struct jnet_link_info *l)
{
	struct jnet_jail j;
	struct jnet_err e;
	int nsid;

	if (l->where != JNET_WHERE_JAIL || !l->tagged)
		return;
	if (nn_jail_open(n, l->jail, 0, &j, &e) < 0 || !j.exists)
		return;
	if (nl_get_nsid(&n->host, j.fd, &nsid, &e) == 0 && nsid == l->be[BE_PEER_NSID])
		jnet_strlcpy(l->where_jail, l->jail, sizeof(l->where_jail));
	nn_jail_close(n, &j);
}

static int
nn_link_get(void *priv, const char *host_if, struct jnet_link_info *out, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nl_link h;
	int r;

	if ((r = nl_get_link(&n->host, host_if, 0, -1, &h, e)) < 0)
		return r;
	r = link_from(n, &h, out, e);
	if (r == -EPERM) {
		memset(out, 0, sizeof(*out));
		jnet_strlcpy(out->host_if, host_if, sizeof(out->host_if));
		return r;
	}
	if (r == 0)
		where_jail(n, out);
	return r;
}

/* The host ends found by a dump, kept until the dump is over. */
struct llist {
	struct nl_link *v;
	size_t cnt, cap;
};

static int
collect_host_end(const struct nl_link *l, void *arg)
{
	struct llist *ll = arg;
	struct jnet_tag tag;
	bool ours = (jnet_tag_parse(l->alias, &tag) == 0 && tag.kind == JNET_TAG_LINK &&
	    tag.end == 'a') || (l->group == JNET_GROUP && strcmp(l->kind, "veth") == 0 &&
	    l->alias[0] == '\0');

	if (!ours)
		return 0;
	if (ll->cnt == ll->cap) {
		size_t cap = ll->cap ? 2 * ll->cap : 32;
		struct nl_link *v = realloc(ll->v, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		ll->v = v;
		ll->cap = cap;
	}
	ll->v[ll->cnt++] = *l;
	return 0;
}

static int
nn_link_list(void *priv, int (*cb)(const struct jnet_link_info *, void *), void *arg,
    struct jnet_err *e)
{
	struct nn *n = priv;
	struct llist ll = { NULL, 0, 0 };
	int r;

	/* Collect first: the dump's buffer is reused by the per-link lookups. */
	r = nl_dump_links(&n->host, 0, collect_host_end, &ll, e);
	if (r == -ENOMEM)
		jnet_err_set(e, ENOMEM, "", "out of memory");
	for (size_t i = 0; r == 0 && i < ll.cnt; i++) {
		struct jnet_link_info info;

		r = link_from(n, &ll.v[i], &info, e);
		if (r == -EPERM) {
			r = 0;
			continue;
		}
		if (r < 0)
			break;
		/* An untagged member of our group is reported with tagged = false. */
		where_jail(n, &info);
		r = cb(&info, arg);
	}
	free(ll.v);
	return r;
}

/* The socket that reaches a new link's "host" end: the host's, or a lab jail's. */
static int
host_sock(struct nn *n, const struct jnet_link_req *req, struct nl **out, struct jnet_err *e)
{
	if (req->host_into == NULL) {
		*out = &n->host;
		return 0;
	}
	return nn_jail_sock(n, req->host_into->name, req->host_into->fd, out, e);
}

/*
 * A link's MACs on its bridge, as alternative names of its host end: "jnet.mac.B.MAC" (B the
 * bridge's ifindex, MAC in hex). The kernel keeps alternative names unique and finds one by
 * a hash lookup, so a duplicate MAC on a bridge is found without listing its ports, and two
 * addm racing for one MAC cannot both get it. The names go with the device.
 */
static void
mac_altname(char out[40], int bridge, const uint8_t mac[6])
{
	snprintf(out, 40, "jnet.mac.%d.%02x%02x%02x%02x%02x%02x", bridge, mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
}

static int
mac_register(struct nl *nl, const struct jnet_link_req *req, int bridge, struct jnet_err *e)
{
	struct nlmsghdr *nlh = nl_req(nl, RTM_NEWLINKPROP, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct nlattr *pl;
	char a[40];
	int r;

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, req->host_if);
	pl = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
	mac_altname(a, bridge, req->jail_mac);
	mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, a);
	mac_altname(a, bridge, req->host_mac);
	mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, a);
	mnl_attr_nest_end(nlh, pl);
	r = nl_talk(nl, nlh, NULL, NULL, req->host_if, "register its MACs", e);
	if (r == -EEXIST)
		return jnet_err_set(e, EEXIST, req->host_if,
		    "a MAC address of this link is already on bridge %s", req->bridge);
	if (r < 0)
		jnet_err_clear(e); /* a kernel without alternative names (before 5.5) */
	return 0;
}

/* Add (RTM_NEWLINKPROP) or remove (RTM_DELLINKPROP) alternative names of ifname. */
static int
altnames(struct nl *nl, bool add, const char *ifname, char (*names)[40], int n,
    struct jnet_err *e)
{
	struct nlmsghdr *nlh = nl_req(nl, add ? RTM_NEWLINKPROP : RTM_DELLINKPROP, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct nlattr *pl;

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	pl = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
	for (int i = 0; i < n; i++)
		mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, names[i]);
	mnl_attr_nest_end(nlh, pl);
	return nl_talk(nl, nlh, NULL, NULL, ifname, add ? "register its MACs" :
	    "forget its MACs", e);
}

static int
nn_mac_holder(void *priv, const char *bridge, const uint8_t mac[6], char host_if[JNET_IFNAMSIZ],
    struct jnet_err *e)
{
	struct nn *n = priv;
	struct nl_link br, l;
	char a[1][40];
	int r;

	if ((r = nl_get_link(&n->host, bridge, 0, -1, &br, e)) < 0)
		return r == -ENODEV ? 0 : r;
	mac_altname(a[0], br.ifindex, mac);
	if ((r = nl_get_link(&n->host, a[0], 0, -1, &l, e)) < 0)
		return r == -ENODEV ? 0 : r;
	if (l.master != br.ifindex) {
		/* A port taken off that bridge (by hand) no longer holds the MAC there: the
		 * name goes, so that the link being made can take it. A name only jnet gives,
		 * on a device the name shows it registered. */
		if ((r = altnames(&n->host, false, l.name, a, 1, e)) < 0 && r != -ENODEV &&
		    r != -ENOENT)
			return r;
		jnet_err_clear(e);
		return 0;
	}
	jnet_strlcpy(host_if, l.name, JNET_IFNAMSIZ);
	return 1;
}

/*
 * A jnet link's host end joins bridge `bridge`: its MACs are registered there first (the
 * kernel refuses a name another port holds: a duplicate MAC on that bridge), and forgotten
 * on the bridge it leaves. Not a jnet link (an uplink, a foreign port): nothing to do.
 */
static int
mac_move(struct nn *n, const char *ifname, int bridge, const char *brname, struct jnet_err *e)
{
	struct jnet_link_info l;
	char names[2][40];
	int r, k = 0;

	memset(&l, 0, sizeof(l));
	if (nn_link_get(n, ifname, &l, e) < 0 || !l.tagged) {
		jnet_err_clear(e);
		return 0;
	}
	if (l.jail_mac_known)
		mac_altname(names[k++], bridge, l.jail_mac);
	mac_altname(names[k++], bridge, l.host_mac);
	for (int i = 0; i < k; i++) {
		struct nl_link h;

		/* Held already: by this link (it was a port of that bridge before), by a port
		 * of that bridge (a duplicate), or by one that left it (stale: taken over). */
		r = nl_get_link(&n->host, names[i], 0, -1, &h, e);
		if (r == 0 && strcmp(h.name, ifname) == 0)
			continue;
		if (r == 0 && h.master == bridge)
			return jnet_err_set(e, EEXIST, ifname,
			    "a MAC address of this link is already on bridge %s (%s holds it)",
			    brname, h.name);
		if (r == 0)
			altnames(&n->host, false, h.name, &names[i], 1, e);
		jnet_err_clear(e);
		r = altnames(&n->host, true, ifname, &names[i], 1, e);
		if (r == -EEXIST)
			return jnet_err_set(e, EEXIST, ifname,
			    "a MAC address of this link is already on bridge %s", brname);
		jnet_err_clear(e); /* other errors: a kernel without alternative names */
	}
	if (l.bridge[0] != '\0' && strcmp(l.bridge, brname) != 0) {
		struct nl_link old;

		k = 0;
		if (nl_get_link(&n->host, l.bridge, 0, -1, &old, e) == 0) {
			if (l.jail_mac_known)
				mac_altname(names[k++], old.ifindex, l.jail_mac);
			mac_altname(names[k++], old.ifindex, l.host_mac);
			altnames(&n->host, false, ifname, names, k, e);
		}
		jnet_err_clear(e);
	}
	return 0;
}

/*
 * A bridge port needs no IPv6 at all: disabled before it comes up, its NETDEV_UP adds no
 * ff00::/8 multicast route to the host's table, where the kernel walks the routes of every
 * other port with that prefix (an insertion that grows with the number of ports). Best
 * effort: a kernel without IPv6 has no such file, and addrgenmode none (set with the tag)
 * already keeps the port without addresses.
 */
static void
port_ipv6_off(const char *ifname)
{
	char path[96];
	int fd;

	if (snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname) >=
	    (int)sizeof(path))
		return;
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return;
	if (write(fd, "1", 1) != 1) {
		/* nothing to undo: the port keeps addrgenmode none */
	}
	close(fd);
}

static int
nn_link_create(void *priv, const struct jnet_link_req *req, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm, *pifm;
	struct nlattr *li, *data, *peer;
	struct nl_link br, h;
	struct jnet_err ignore;
	struct nl *jnl = NULL, *hnl = NULL;
	bool v6;
	int r;

	memset(&br, 0, sizeof(br));
	if (req->bridge[0] != '\0') {
		r = nl_get_link(&n->host, req->bridge, 0, -1, &br, e);
		if (r == -ENODEV)
			return jnet_err_set(e, ENODEV, req->bridge, "bridge vanished");
		if (r < 0)
			return r;
	}
	nlh = nl_req(&n->host, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, req->host_if);
	mnl_attr_put_u32(nlh, IFLA_GROUP, JNET_GROUP);
	if (req->set_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, req->host_mac);
	if (req->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, req->mtu);
	if (br.ifindex > 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)br.ifindex);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	memset(pifm, 0, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, req->jail_if);
	mnl_attr_put_u32(nlh, IFLA_GROUP, JNET_GROUP);
	if (req->set_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, req->jail_mac);
	if (req->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, req->mtu);
	if (req->into != NULL)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)req->into->fd);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	if (req->host_into != NULL)
		/* A point-to-point link of a lab: this end is born in its jail too. */
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)req->host_into->fd);
	r = nl_talk(&n->host, nlh, NULL, NULL, req->host_if, "create veth pair", e);
	if (r < 0)
		return r;

	/* Tag the host end and take IPv6 off bridge ports, then (no hooks to wait for) set
	 * the ends up. Address generation mode must be set before a device comes up (the
	 * kernel applies flags before IFLA_AF_SPEC in one request), hence separate requests
	 * where it is turned off. */
	/* Below IPv6's minimum MTU (1280) a device has no IPv6 at all, so nothing to turn
	 * off (and the kernel refuses IPv6 settings with EAFNOSUPPORT). */
	v6 = req->mtu == 0 || req->mtu >= 1280;
	r = host_sock(n, req, &hnl, e);
	if (r == 0)
		r = nn_set_link(hnl, 0, req->host_if, -1, req->host_tag, -1, -1,
		    v6 && (req->host_into == NULL || req->jail_no_ipv6), "tag host end", e);
	if (r == 0 && req->set_mac && req->host_into == NULL && br.ifindex > 0)
		r = mac_register(&n->host, req, br.ifindex, e);
	if (r == 0 && req->into != NULL)
		r = nn_jail_sock(n, req->into->name, req->into->fd, &jnl, e);
	else
		jnl = &n->host;
	if (r == 0)
		r = nn_set_link(jnl, 0, req->jail_if, req->up && !req->jail_no_ipv6 ? 1 : -1,
		    req->jail_tag, -1, -1, v6 && req->jail_no_ipv6, "tag jail end", e);
	if (r == 0 && req->up && req->jail_no_ipv6)
		r = nn_set_link(jnl, 0, req->jail_if, 1, NULL, -1, -1, false, "set jail end up", e);
	if (r == 0 && v6 && req->host_into == NULL && br.ifindex > 0)
		port_ipv6_off(req->host_if);
	if (r == 0 && req->up && (r = host_sock(n, req, &hnl, e)) == 0)
		r = nn_set_link(hnl, 0, req->host_if, 1, NULL, -1, -1, false, "set up", e);
	if (r < 0 && host_sock(n, req, &hnl, &ignore) == 0) {
		/* Deleting either end of a veth deletes both, wherever the peer is. */
		if (nl_get_link(hnl, req->host_if, 0, -1, &h, &ignore) == 0)
			nn_del_link(hnl, h.ifindex, req->host_if, &ignore);
	}
	return r;
}

static int
refresh(struct nn *n, const struct jnet_link_info *l, struct jnet_link_info *out,
    struct jnet_err *e)
{
	int r;

	if (l->be[BE_HOST_IFINDEX] > 0) {
		*out = *l;
		return 0;
	}
	if ((r = nn_link_get(n, l->host_if, out, e)) < 0)
		return r;
	/* The caller may know the jail better (e.g. a pid:N spec). */
	if (out->where_jail[0] == '\0' && l->where_jail[0] != '\0')
		jnet_strlcpy(out->where_jail, l->where_jail, sizeof(out->where_jail));
	return 0;
}

static int
nn_link_destroy(void *priv, const struct jnet_link_info *l, struct jnet_err *e)
{
	struct nn *n = priv;

	/* The host end never leaves the host; deleting it deletes the peer too. */
	return nn_del_link(&n->host, (int)l->be[BE_HOST_IFINDEX], l->host_if, e);
}

/*
 * Deleting a device waits for an RCU grace period (~20 ms), once per delete request. A
 * delete by interface group unregisters every device of the group in one batch, with one
 * wait: move the devices into a transient group, then delete that group. Transient groups
 * come from a range jnet reserves (documented in jnet(8)); two deletes that happen to
 * pick the same group only delete devices that both are deleting anyway.
 */
int
nn_delete_bulk(struct nn *n, const int *ifindex, int cnt, struct jnet_err *e)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	unsigned group;
	int r = 0;

	if (cnt <= 0)
		return 0;
	if (getrandom(&group, sizeof(group), 0) != (ssize_t)sizeof(group))
		group = (unsigned)getpid();
	group = JNET_GROUP_TRANSIENT_BASE | (group & 0xffffU) | 1U;
	for (int i = 0; i < cnt && r == 0; i++) {
		nlh = nl_req(&n->host, RTM_NEWLINK, 0);
		ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
		ifm->ifi_family = AF_UNSPEC;
		ifm->ifi_index = ifindex[i];
		mnl_attr_put_u32(nlh, IFLA_GROUP, group);
		r = nl_talk(&n->host, nlh, NULL, NULL, "", "group for deletion", e);
		if (r == -ENODEV) {
			jnet_err_clear(e);
			r = 0; /* already gone */
		}
	}
	if (r == 0) {
		nlh = nl_req(&n->host, RTM_DELLINK, 0);
		ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
		ifm->ifi_family = AF_UNSPEC;
		mnl_attr_put_u32(nlh, IFLA_GROUP, group);
		r = nl_talk(&n->host, nlh, NULL, NULL, "", "delete", e);
	}
	if (r < 0) {
		/* Fall back to one delete per device: slower, same result. */
		jnet_err_clear(e);
		r = 0;
		for (int i = 0; i < cnt; i++)
			if (nn_del_link(&n->host, ifindex[i], NULL, e) < 0)
				r = -e->code;
	}
	return r;
}

static int
nn_link_destroy_many(void *priv, const struct jnet_link_info *l, int cnt, struct jnet_err *e)
{
	struct nn *n = priv;
	int idx[JNET_MAXLINKS], m = 0;
	struct nl_link h;
	int r;

	for (int i = 0; i < cnt && m < JNET_MAXLINKS; i++) {
		if (l[i].be[BE_HOST_IFINDEX] > 0) {
			idx[m++] = (int)l[i].be[BE_HOST_IFINDEX];
			continue;
		}
		r = nl_get_link(&n->host, l[i].host_if, 0, -1, &h, e);
		if (r == -ENODEV)
			continue;
		if (r < 0)
			return r;
		idx[m++] = h.ifindex;
	}
	return nn_delete_bulk(n, idx, m, e);
}

static int
nn_link_in(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    struct jnet_err *e)
{
	struct nn *n = priv;
	struct jnet_link_info cur;
	int r, nsid;

	if (j == NULL || !j->exists || j->fd < 0)
		return 0;
	if ((r = refresh(n, l, &cur, e)) < 0)
		return r;
	if (cur.where != JNET_WHERE_JAIL)
		return 0;
	if ((r = nl_get_nsid(&n->host, j->fd, &nsid, e)) < 0)
		return r;
	return nsid == cur.be[BE_PEER_NSID];
}

/*
 * A socket in the namespace that holds the jail end of `cur`, found from host-side facts
 * (the netns id the host end reports for its peer): `hint` if that is where the end is,
 * else a cached jail socket in that namespace (the jail this command opened), else the
 * link's own jail when its namespace is that one (where_jail).
 */
/*
 * The named namespace (in /run/netns) that has netns id `nsid`: for a jail end that
 * `attach NAME OTHER` put in another jail. Looks at every name only then; asks for ids
 * without assigning any to namespaces that have none (the peer's has one).
 */
static int
find_netns(struct nn *n, int nsid, struct nl **out, struct jnet_err *e)
{
	DIR *d;
	struct dirent *de;
	int r = -ENOENT;

	if (nsid < 0 || (d = opendir(NETNS_DIR)) == NULL)
		return -ENOENT;
	while (r == -ENOENT && (de = readdir(d)) != NULL) {
		struct jnet_jail j;
		int id;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= JNET_JAILNAMSIZ)
			continue;
		if (nn_jail_open(n, de->d_name, 0, &j, e) < 0 || !j.exists) {
			jnet_err_clear(e);
			continue;
		}
		if (nl_peek_nsid(&n->host, j.fd, &id, e) == 0 && id == nsid)
			r = nn_jail_sock(n, de->d_name, j.fd, out, e);
		jnet_err_clear(r == -ENOENT ? e : NULL);
		nn_jail_close(n, &j);
	}
	closedir(d);
	return r;
}

static int
peer_sock(struct nn *n, const struct jnet_link_info *cur, const struct jnet_jail *hint,
    struct nl **out, struct jnet_err *e)
{
	int nsid, r;

	if (cur->where != JNET_WHERE_JAIL) {
		*out = &n->host;
		return 0;
	}
	if (hint != NULL && hint->exists && hint->fd >= 0) {
		if ((r = nl_get_nsid(&n->host, hint->fd, &nsid, e)) < 0)
			return r;
		if (nsid == cur->be[BE_PEER_NSID])
			return nn_jail_sock(n, hint->name, hint->fd, out, e);
		return jnet_err_set(e, ENOENT, cur->jail_if, "the jail end is not inside jail '%s'",
		    hint->name);
	}
	for (int i = 0; i < NN_JAILSOCKS; i++)
		if (n->js[i].nl.sock != NULL &&
		    nl_get_nsid(&n->host, n->js[i].fd, &nsid, e) == 0 &&
		    nsid == cur->be[BE_PEER_NSID]) {
			*out = &n->js[i].nl;
			return 0;
		}
	jnet_err_clear(e);
	if (cur->where_jail[0] != '\0')
		return nn_jail_sock(n, cur->where_jail, -1, out, e);
	if ((r = find_netns(n, (int)cur->be[BE_PEER_NSID], out, e)) != -ENOENT)
		return r;
	return jnet_err_set(e, ENOENT, cur->jail_if,
	    "the jail end is in a network namespace that has no name in %s (pid:N?); name it: jnet detach %s JAIL",
	    NETNS_DIR, cur->jail);
}

/* The kernel takes no target netns id in requests that change or move a device, so the
 * jail end is changed from a socket inside the namespace it is in (by its index there,
 * whatever a jail renamed it to). */
static int
nn_link_move(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    const struct jnet_jail *from, struct jnet_err *e)
{
	struct nn *n = priv;
	struct jnet_link_info cur;
	struct nn_change c;
	struct nl *src, *jnl;
	int r;

	if ((r = refresh(n, l, &cur, e)) < 0)
		return r;
	if (cur.be[BE_PEER_IFINDEX] <= 0)
		return jnet_err_set(e, ENODEV, l->host_if, "the pair has no jail end");
	if (j == NULL && cur.where == JNET_WHERE_HOST)
		return 0;
	if ((r = peer_sock(n, &cur, from, &src, e)) < 0)
		return r;
	nn_change_init(&c, (int)cur.be[BE_PEER_IFINDEX], cur.jail_if,
	    j ? "move into jail" : "move back to host");
	c.nsfd = j ? j->fd : n->self_fd;
	if ((r = nn_change(src, &c, e)) < 0) {
		if (r == -EEXIST)
			return jnet_err_set(e, EEXIST, cur.jail_if,
			    "an interface of that name is already in the %s; refusing to move it",
			    j ? "jail" : "host");
		return r;
	}
	if (j == NULL)
		return 0;
	/* A move takes the device down; no rc(8) inside a netns brings it up again. */
	if ((r = nn_jail_sock(n, j->name, j->fd, &jnl, e)) < 0)
		return r;
	return nn_set_link(jnl, 0, cur.jail_if, 1, NULL, -1, -1, false, "set up in jail", e);
}

/* One change (up/down, MTU) to both ends of a link: the jail end wherever it is, then the
 * host end. */
static int
both_ends(struct nn *n, const struct jnet_link_info *l, int up, unsigned mtu,
    const char *jail_what, const char *host_what, struct jnet_err *e)
{
	struct jnet_link_info cur;
	struct nn_change c;
	struct nl *pnl;
	int r;

	if ((r = refresh(n, l, &cur, e)) < 0)
		return r;
	if (cur.be[BE_PEER_IFINDEX] > 0) {
		if ((r = peer_sock(n, &cur, NULL, &pnl, e)) < 0)
			return r;
		nn_change_init(&c, (int)cur.be[BE_PEER_IFINDEX], cur.jail_if, jail_what);
		c.up = up;
		c.mtu = mtu;
		if ((r = nn_change(pnl, &c, e)) < 0)
			return r;
	}
	nn_change_init(&c, (int)cur.be[BE_HOST_IFINDEX], cur.host_if, host_what);
	c.up = up;
	c.mtu = mtu;
	return nn_change(&n->host, &c, e);
}

static int
nn_link_set_up(void *priv, const struct jnet_link_info *l, bool up, struct jnet_err *e)
{
	return both_ends(priv, l, up, 0, up ? "set jail end up" : "set jail end down",
	    up ? "set up" : "set down", e);
}

static int
nn_link_set_mtu(void *priv, const struct jnet_link_info *l, unsigned mtu, struct jnet_err *e)
{
	return both_ends(priv, l, -1, mtu, "set the jail end's MTU", "set MTU", e);
}

static int
nn_if_set_up(void *priv, const char *ifname, bool up, struct jnet_err *e)
{
	return nn_set_link(&((struct nn *)priv)->host, 0, ifname, up, NULL, -1, -1, false,
	    up ? "set up" : "set down", e);
}

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
	.vxlan_create = nn_vxlan_create,
	.vxlan_destroy = nn_vlan_destroy, /* a link deleted by name */
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
	.jail_create = nn_jail_create,
	.jail_tag = nn_jail_tag,
	.jail_destroy = nn_jail_destroy,
	.jail_list = nn_jail_list,
	.lab_jails_destroy = nn_lab_jails_destroy,
	.addr_add = nn_addr_add,
	.addr_list = nn_addr_list,
	.route_add = nn_route_add,
	.forwarding = nn_forwarding,
	.jail_exec = nn_jail_exec,
	.link_destroy_jails = nn_link_destroy_jails,
	.if_set_master = nn_if_set_master,
	.if_set_tag = nn_if_set_tag,
	.jail_if_get = nn_jail_if_get,
	.jail_if_destroy = nn_jail_if_destroy,
	.route_list = nn_route_list,
};
