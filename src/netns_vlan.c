/*
 * 802.1Q VLAN interfaces of the netns backend (issue 12): an RTM_NEWLINK of kind "vlan" on
 * the parent (IFLA_LINK) with its VLAN ID (IFLA_VLAN_ID), in jnet's group, then tagged and
 * set up. A kernel without 802.1Q (CONFIG_VLAN_8021Q, module 8021q) answers EOPNOTSUPP
 * ("Unknown device type"): said as such.
 */
#include "netns.h"

#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <string.h>

int
nn_vlan_create(void *priv, const char *name, const char *parent, int vid, const char *tag,
    struct jnet_err *e)
{
	struct nn *n = priv;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct nlattr *li, *data;
	struct nl_link p, v;
	struct jnet_err ignore;
	int r;

	if ((r = nl_get_link(&n->host, parent, 0, -1, &p, e)) < 0)
		return r == -ENODEV ? jnet_err_set(e, ENODEV, parent, "no such interface") : r;
	nlh = nl_req(&n->host, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_LINK, (uint32_t)p.ifindex);
	mnl_attr_put_u32(nlh, IFLA_GROUP, JNET_GROUP);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u16(nlh, IFLA_VLAN_ID, (uint16_t)vid);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	r = nl_talk(&n->host, nlh, NULL, NULL, name, "create VLAN interface", e);
	if (r == -EOPNOTSUPP)
		return jnet_err_set(e, EOPNOTSUPP, name,
		    "cannot make VLAN %d of %s: this kernel has no 802.1Q VLAN support "
		    "(module 8021q, CONFIG_VLAN_8021Q)", vid, parent);
	if (r < 0)
		return r;
	/* Tagged and up in one request: a kill before it leaves an untagged interface of our group
	 * and name, which the next run makes anew. */
	if ((r = nl_get_link(&n->host, name, 0, -1, &v, e)) < 0)
		return r;
	r = nn_set_link(&n->host, &(struct nn_change){ .ifindex = v.ifindex, .name = name,
	    .up = NN_UP, .alias = tag, .what = "tag VLAN interface and set it up" }, e);
	if (r < 0)
		nn_del_link(&n->host, v.ifindex, name, &ignore);
	return r;
}

int
nn_vlan_destroy(void *priv, const char *name, struct jnet_err *e)
{
	return nn_del_link(&((struct nn *)priv)->host, 0, name, e);
}
