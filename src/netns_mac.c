/*
 * The netns backend's MAC registry: a link's MACs held as alternative names of its host end,
 * per bridge, so that a duplicate MAC on a bridge is refused without listing its ports.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netns.h"

/*
 * A link's MACs on its bridge, as alternative names of its host end: "MAC.jnet.B" (MAC in
 * hex, B the bridge's ifindex). The kernel keeps alternative names unique and finds one by
 * a hash lookup, so a duplicate MAC on a bridge is found without listing its ports, and two
 * addm racing for one MAC cannot both get it. The names go with the device.
 *
 * The MAC comes first: the kernel hashes only the first 16 bytes of a name (IFNAMSIZ, in
 * dev_name_hash), so names that share those (the former "jnet.mac.B.MAC": every MAC
 * 02:bb:00:00:... on bridge B) all fall into one hash chain, which every lookup and every
 * new name walks with strcmp: a cost that grew with the bridge's ports.
 */
static void
mac_altname(char out[40], int bridge, const uint8_t mac[6])
{
	snprintf(out, 40, "%02x%02x%02x%02x%02x%02x.jnet.%d", mac[0], mac[1], mac[2], mac[3],
	    mac[4], mac[5], bridge);
}

int
nn_mac_register(struct nl *nl, const struct jnet_link_req *req, int bridge, struct jnet_err *e)
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

int
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
int
nn_mac_move(struct nn *n, const char *ifname, int bridge, const char *brname, struct jnet_err *e)
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
