/*
 * netns backend: the bridge-port settings of the CNI plugin mode (docs/cni.md):
 * hairpinMode (IFLA_BRPORT_MODE of the host end, as `ip link set dev X type bridge_slave
 * hairpin on`) and promiscMode (IFF_PROMISC of the bridge, as `ip link set dev X promisc on`).
 */
#include <errno.h>
#include <linux/if.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <string.h>
#include <sys/socket.h>

#include "netns.h"

int
nn_port_hairpin(void *priv, const char *ifname, bool on, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct nlattr *pi;
	struct nl_link l;
	int r;

	if ((r = nl_get_link(&n->host, ifname, 0, -1, &l, e)) < 0)
		return r;
	nlh = nl_req(&n->host, RTM_SETLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_BRIDGE;
	ifm->ifi_index = l.ifindex;
	pi = mnl_attr_nest_start(nlh, IFLA_PROTINFO);   /* NLA_F_NESTED: the port's options */
	mnl_attr_put_u8(nlh, IFLA_BRPORT_MODE, on ? BRIDGE_MODE_HAIRPIN : 0);
	mnl_attr_nest_end(nlh, pi);
	return nl_talk(&n->host, nlh, NULL, NULL, ifname, "set hairpin mode", e);
}

int
nn_if_set_promisc(void *priv, const char *ifname, bool on, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nlmsghdr *nlh = nl_req(&n->host, RTM_NEWLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_change = IFF_PROMISC;
	ifm->ifi_flags = on ? IFF_PROMISC : 0;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return nl_talk(&n->host, nlh, NULL, NULL, ifname, "set promiscuous mode", e);
}
