/*
 * The netns backend's links (veth pairs): found by the host end's name, listed, made with
 * the jail end born inside its jail, destroyed (one by one or in bulk).
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/veth.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "netns.h"

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
	if ((r = nn_master_name(n, h->master, out->bridge, e)) < 0)
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

int
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

int
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

/* The request that makes the pair: the host end on its bridge (bridge > 0), the jail end
 * born inside its jail, both in jnet's group. */
static struct nlmsghdr *
veth_request(struct nn *n, const struct jnet_link_req *req, int bridge)
{
	struct nlmsghdr *nlh = nl_req(&n->host, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct ifinfomsg *pifm;
	struct nlattr *li, *data, *peer;

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, req->host_if);
	mnl_attr_put_u32(nlh, IFLA_GROUP, JNET_GROUP);
	if (req->set_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, req->host_mac);
	if (req->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, req->mtu);
	if (bridge > 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)bridge);
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
	return nlh;
}

/*
 * A new pair made complete: tag the host end and take IPv6 off bridge ports, then (no hooks
 * to wait for) set the ends up. Address generation mode must be set before a device comes
 * up (the kernel applies flags before IFLA_AF_SPEC in one request), hence separate requests
 * where it is turned off. Below IPv6's minimum MTU (1280) a device has no IPv6 at all, so
 * nothing to turn off (and the kernel refuses IPv6 settings with EAFNOSUPPORT).
 */
static int
link_finish(struct nn *n, const struct jnet_link_req *req, int bridge, struct jnet_err *e)
{
	bool v6 = req->mtu == 0 || req->mtu >= 1280;
	struct nl *jnl = &n->host, *hnl = NULL;
	int r;

	r = host_sock(n, req, &hnl, e);
	if (r == 0)
		r = nn_set_link(hnl, &(struct nn_change){ .name = req->host_if,
		    .alias = req->host_tag, .what = "tag host end",
		    .no_ipv6 = v6 && (req->host_into == NULL || req->jail_no_ipv6) }, e);
	if (r == 0 && req->set_mac && req->host_into == NULL && bridge > 0)
		r = nn_mac_register(&n->host, req, bridge, e);
	if (r == 0 && req->into != NULL)
		r = nn_jail_sock(n, req->into->name, req->into->fd, &jnl, e);
	if (r == 0)
		r = nn_set_link(jnl, &(struct nn_change){ .name = req->jail_if,
		    .up = req->up && !req->jail_no_ipv6 ? NN_UP : NN_KEEP, .alias = req->jail_tag,
		    .no_ipv6 = v6 && req->jail_no_ipv6, .what = "tag jail end" }, e);
	if (r == 0 && req->up && req->jail_no_ipv6)
		r = nn_set_link(jnl, &(struct nn_change){ .name = req->jail_if, .up = NN_UP,
		    .what = "set jail end up" }, e);
	if (r == 0 && v6 && req->host_into == NULL && bridge > 0)
		port_ipv6_off(req->host_if);
	/* Asked again: the jail socket may have taken the host end's cache slot. */
	if (r == 0 && req->up && (r = host_sock(n, req, &hnl, e)) == 0)
		r = nn_set_link(hnl, &(struct nn_change){ .name = req->host_if, .up = NN_UP,
		    .what = "set up" }, e);
	return r;
}

int
nn_link_create(void *priv, const struct jnet_link_req *req, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nl_link br, h;
	struct jnet_err ignore;
	struct nl *hnl;
	int r;

	memset(&br, 0, sizeof(br));
	if (req->bridge[0] != '\0') {
		r = nl_get_link(&n->host, req->bridge, 0, -1, &br, e);
		if (r == -ENODEV)
			return jnet_err_set(e, ENODEV, req->bridge, "bridge vanished");
		if (r < 0)
			return r;
	}
	r = nl_talk(&n->host, veth_request(n, req, br.ifindex), NULL, NULL, req->host_if,
	    "create veth pair", e);
	if (r < 0)
		return r;
	r = link_finish(n, req, br.ifindex, e);
	if (r < 0 && host_sock(n, req, &hnl, &ignore) == 0) {
		/* Deleting either end of a veth deletes both, wherever the peer is. */
		if (nl_get_link(hnl, req->host_if, 0, -1, &h, &ignore) == 0)
			nn_del_link(hnl, h.ifindex, req->host_if, &ignore);
	}
	return r;
}

int
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

int
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
