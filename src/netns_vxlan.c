/*
 * VXLAN ports of lab bridges that span hosts (issue 14): an RTM_NEWLINK of kind "vxlan"
 * (IFLA_VXLAN_ID, LOCAL/LOCAL6, PORT, LEARNING 0) made a port of the lab's bridge, in
 * jnet's group, with its MTU, in one request; then one static FDB entry per remote VTEP
 * with the all-zeros MAC (RTM_NEWNEIGH, NTF_SELF, NLM_F_APPEND: unicast head-end
 * replication, no multicast in the underlay); then tagged and up. A kill before the tag
 * leaves an untagged port of jnet's group and name, which lab down removes (the crash
 * rule of tag.h). A kernel without CONFIG_VXLAN answers EOPNOTSUPP: said as such.
 */
#include "netns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <net/if.h>
#include <string.h>

static int
vxlan_link(struct nn *n, const struct jnet_vxlan_req *q, int master, struct jnet_err *e)
{
	struct nlmsghdr *nlh = nl_req(&n->host, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct nlattr *li, *data;
	int r;

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, q->name);
	mnl_attr_put_u32(nlh, IFLA_GROUP, JNET_GROUP);
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	if (q->mtu > 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, q->mtu);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vxlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, q->vni);
	if (q->family == AF_INET)
		mnl_attr_put(nlh, IFLA_VXLAN_LOCAL, 4, q->local);
	else
		mnl_attr_put(nlh, IFLA_VXLAN_LOCAL6, 16, q->local);
	mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons(q->port));
	mnl_attr_put_u8(nlh, IFLA_VXLAN_LEARNING, 0);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	r = nl_talk(&n->host, nlh, NULL, NULL, q->name, "create VXLAN interface", e);
	if (r == -EOPNOTSUPP)
		return jnet_err_set(e, EOPNOTSUPP, q->name,
		    "cannot make a VXLAN interface: this kernel has no VXLAN support "
		    "(module vxlan, CONFIG_VXLAN)");
	return r;
}

/* bridge fdb append 00:00:00:00:00:00 dev NAME dst REMOTE port PORT self permanent */
static int
vxlan_fdb(struct nn *n, const struct jnet_vxlan_req *q, int ifindex, int i, struct jnet_err *e)
{
	static const uint8_t zero[6];
	struct nlmsghdr *nlh = nl_req(&n->host, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));

	nd->ndm_family = AF_BRIDGE;
	nd->ndm_ifindex = ifindex;
	nd->ndm_state = NUD_NOARP | NUD_PERMANENT;
	nd->ndm_flags = NTF_SELF;
	mnl_attr_put(nlh, NDA_LLADDR, sizeof(zero), zero);
	mnl_attr_put(nlh, NDA_DST, q->family == AF_INET ? 4 : 16, q->remote[i]);
	mnl_attr_put_u16(nlh, NDA_PORT, htons(q->remote_port[i]));
	return nl_talk(&n->host, nlh, NULL, NULL, q->name, "add the remote VTEP's FDB entry", e);
}

int
nn_vxlan_create(void *priv, const struct jnet_vxlan_req *q, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nl_link br, v;
	struct jnet_err ignore;
	int r;

	if ((r = nl_get_link(&n->host, q->bridge, 0, -1, &br, e)) < 0)
		return r == -ENODEV ? jnet_err_set(e, ENODEV, q->bridge, "no such bridge") : r;
	if ((r = vxlan_link(n, q, br.ifindex, e)) < 0)
		return r;
	if ((r = nl_get_link(&n->host, q->name, 0, -1, &v, e)) < 0)
		return r;
	for (int i = 0; i < q->nremotes && r == 0; i++)
		r = vxlan_fdb(n, q, v.ifindex, i, e);
	if (r == 0)
		r = nn_set_link(&n->host, &(struct nn_change){ .ifindex = v.ifindex,
		    .name = q->name, .up = NN_UP, .alias = q->tag, .no_ipv6 = true,
		    .what = "tag the VXLAN interface and set it up" }, e);
	if (r < 0)
		nn_del_link(&n->host, v.ifindex, q->name, &ignore);
	return r;
}

struct fdb_ctx {
	int ifindex;
	uint8_t (*dst)[16];
	uint16_t *port;
	int max, n;
};

static int
fdb_one(const struct nlmsghdr *nlh, void *data)
{
	static const uint8_t zero[6];
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	struct fdb_ctx *c = data;
	const struct nlattr *a;
	uint8_t dst[16] = { 0 };
	uint16_t port = 0;
	bool zeros = false;

	if (nd->ndm_family != AF_BRIDGE || nd->ndm_ifindex != c->ifindex)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*nd)) {
		size_t len = mnl_attr_get_payload_len(a);

		if (mnl_attr_get_type(a) == NDA_LLADDR)
			zeros = len == 6 && memcmp(mnl_attr_get_payload(a), zero, 6) == 0;
		else if (mnl_attr_get_type(a) == NDA_DST && (len == 4 || len == 16))
			memcpy(dst, mnl_attr_get_payload(a), len);
		else if (mnl_attr_get_type(a) == NDA_PORT && len == 2)
			port = ntohs(mnl_attr_get_u16(a));
	}
	if (zeros) {
		if (c->n < c->max) {
			memcpy(c->dst[c->n], dst, 16);
			c->port[c->n] = port;
		}
		c->n++;
	}
	return MNL_CB_OK;
}

/* bridge fdb show dev NAME: an AF_BRIDGE dump filtered on the port's ifindex (the kernel
 * lists only that port's entries). */
int
nn_vxlan_remotes(void *priv, const char *name, int ifindex, uint8_t (*dst)[16],
    uint16_t *port, int max, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nlmsghdr *nlh = nl_req(&n->host, RTM_GETNEIGH, NLM_F_DUMP);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	struct fdb_ctx c = { ifindex, dst, port, max, 0 };
	int r;

	nd->ndm_family = AF_BRIDGE;
	nd->ndm_ifindex = ifindex;
	r = nl_talk(&n->host, nlh, fdb_one, &c, name, "list the VXLAN port's FDB entries", e);
	return r < 0 ? r : c.n;
}

int
nn_vxlan_repair(void *priv, const struct jnet_vxlan_req *q, const bool *add,
    struct jnet_err *e)
{
	struct nn *n = priv;
	struct nl_link br, v;
	int r;

	if ((r = nl_get_link(&n->host, q->bridge, 0, -1, &br, e)) < 0 ||
	    (r = nl_get_link(&n->host, q->name, 0, -1, &v, e)) < 0)
		return r;
	for (int i = 0; i < q->nremotes && r == 0; i++)
		if (add[i])
			r = vxlan_fdb(n, q, v.ifindex, i, e);
	if (r == 0)
		r = nn_set_link(&n->host, &(struct nn_change){ .ifindex = v.ifindex,
		    .name = q->name, .up = NN_UP, .master = br.ifindex, .mtu = q->mtu,
		    .what = "repair the VXLAN port (bridge, up, MTU)" }, e);
	return r;
}
