/*
 * The netgraph backend (FreeBSD): a link is an ng_eiface(4) node, its interface ngethN
 * renamed ng{i}_NAME, connected to an ng_bridge(4) node. An uplink IFACE gets the bridge
 * IFACEbridge, hanging off the ng_ether(4) node IFACE: by its lower and upper hooks
 * (promiscuous mode on, source address override off), as jng does. One interface per
 * link: the eiface goes into the jail (jail(8)'s vnet.interface, or jnet attach); its
 * netgraph node stays in the host's netgraph, so shutting it down (destroy) works while
 * the interface is inside a jail, live or dying (ng_eiface.c ng_eiface_rmnode).
 *
 * All kernel work goes through the primitives of fbsd.h (one netgraph message, ioctl or
 * libjail call each), so this file builds everywhere and is tested on Linux against the
 * kernel model (tests/model/kernel/model_ng.c).
 *
 * Creating a link, in this order (each step undone by shutting the node down):
 *
 *   NGM_MKPEER . eiface  -> NGM_NODEINFO (its ID) -> NGM_EIFACE_GET_IFNAME (ngethN)
 *   -> SIOCAIFGROUP jnet -> SIOCSIFDESCR tag -> NGM_EIFACE_SET (MAC) [-> SIOCSIFMTU]
 *   -> NGM_RMHOOK (let go of it) -> NGM_CONNECT to the bridge -> NGM_NAME ng{i}_NAME
 *   -> SIOCSIFNAME ng{i}_NAME -> up
 *
 * The node is named before the interface is renamed, so that a refused NGM_NAME (the name
 * is another node's) leaves no interface renamed. There is no ng_ether node to race for
 * the name: ng_eiface.c ng_eiface_constructor names its node "ngethN" before
 * ether_ifattach, and ng_ether.c ng_ether_attach (FreeBSD 14) makes no ether node for an
 * interface whose name a node has, so an eiface's interface has none on the host (a
 * rename finds none to rename: ng_ether_ifnet_arrival_event). Moved into a jail it gets
 * one there (ether_reassign), in the jail's netgraph, which jnet does not use.
 *
 * Bridge links are numbered safely under parallel starts: on FreeBSD 15 the hook is called
 * plain "link" and the kernel picks the number; on 14 (which refuses "link" with EINVAL)
 * jnet tries linkN and takes N+1 on EEXIST, starting from the bridge's hook count. It never
 * asks which numbers are free first: that answer is stale by the time it is used.
 *
 * Ownership. The eiface's interface carries the tag in its description and is in group
 * jnet (while it is on the host); the node is named like the interface. Inside a jail the
 * description cannot be read from the host, so there the node tells: ng{i}_NAME is link i
 * of jail NAME; a short hashed name ng{i}-... (only jnet makes those) is a jnet link whose
 * jail the host cannot name. ng_bridge nodes have no description or other place for a tag:
 * jnet manages any ng_bridge, and destroys one only when nothing but its uplink is
 * connected to it; one named LAB_BRIDGE counts as lab LAB's (bridge_owner).
 *
 * Labs (jnet lab): jails, addresses, routes, forwarding and exec are the FreeBSD common
 * layer's (src/fbsd/common_lab.c). A lab's
 * point-to-point link is two eifaces connected ether to ether, each tagged as a 'b' end of
 * its jail; destroying one end shuts its peer down too.
 *
 * Crash windows (SIGKILL between two steps), as with epair:
 *   - after NGM_MKPEER, before SIOCAIFGROUP: an unnamed ngethN, not recognisably jnet's;
 *   - in group jnet, tagged or not, still ngethN: `gc` finds it (through the node list);
 *   - named, interface not yet renamed or not up: addm completes it (renames, sets up).
 */
#include "ng_priv.h"

/* A VLAN uplink is a vlan(4) interface with its own ng_ether node (src/fbsd/common_vlan.c). */
static int
ng_vlan_create(void *priv, const char *name, const char *parent, int vid, const char *tag,
    struct jnet_err *e)
{
	return fbc_vlan_create(name, parent, vid, tag, &((struct ngpriv *)priv)->if_vlan, e);
}

/* ---------------------------------------------------------------- open / jails */

static int
ng_open(void **priv, struct jnet_err *e)
{
	struct ngpriv *p = calloc(1, sizeof(*p));

	int r;

	if (p == NULL)
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	/*
	 * Every command talks through the control socket, which needs ng_socket.
	 * libnetgraph's NgMkSockNode would kldload it itself, but its error would name no
	 * module.
	 */
	if ((r = fbc_kld("ng_socket", &p->ng_socket, e)) < 0) {
		free(p);
		return r;
	}
	*priv = p;
	return 0;
}

static void
ng_close(void *priv)
{
	fbsd_ng_close();
	free(priv);
}

static const struct jnet_lab_ops ng_lab = {
	.jail_create = fbc_jail_create,
	.jail_destroy = ng_jail_destroy,
	FBC_SHARED_LAB_OPS,
};

const struct jnet_backend_ops jnet_netgraph_backend = {
	.name = "netgraph",
	.summary = "ng_eiface(4) + ng_bridge(4) (+ ng_ether uplinks) + VNET jails (FreeBSD)",
	.names = JNET_NAMES_NG,
	.paired = false,
	.bridges_untagged = true,
	.open = ng_open,
	.close = ng_close,
	.jail_open = fbc_jail_open,
	.jail_close = fbc_jail_close,
	.if_get = ng_if_get,
	.bridge_list = ng_bridge_list,
	.bridge_create = ng_bridge_create,
	.vlan_create = ng_vlan_create,
	.vlan_destroy = fbc_vlan_destroy,
	.bridge_destroy = ng_bridge_destroy,
	.bridge_members = ng_bridge_members,
	.if_ensure_up = fbc_if_ensure_up,
	.if_set_up = fbc_if_set_up,
	.link_create = ng_link_create,
	.link_get = ng_link_get,
	.link_list = ng_link_list,
	.link_destroy = ng_link_destroy,
	.link_move = ng_link_move,
	.link_set_up = ng_link_set_up,
	.link_set_mtu = ng_link_set_mtu,
	.if_set_tag = ng_if_set_tag,
	.if_set_master = ng_if_set_master,
	.masq = fbc_masq,
	.link_stats = ng_link_stats,
	.graph = ng_graph,
	.lab = &ng_lab,
};
