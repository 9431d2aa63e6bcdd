/*
 * vlan(4) interfaces for both FreeBSD backends (issue 12): jnet's VLAN interface on an
 * uplink, the uplink of the bridge made for it. The netgraph backend uses the same vlan(4)
 * interface rather than an ng_vlan(4) node: the interface carries jnet's tag in its
 * description (an ng_bridge and an ng_vlan node have nowhere to keep one, netgraph.c), and
 * ng_ether attaches to it as to any Ethernet interface (ng_ether.c: IFT_L2VLAN), so the
 * netgraph bridge takes it as an uplink unchanged, as jng does with any interface.
 *
 * In this order, each step undone by SIOCIFDESTROY:
 *   kldload if_vlan -> SIOCIFCREATE2 vlan (vlanN) -> SIOCAIFGROUP jnet -> SIOCSIFNAME
 *   PARENTvVID -> SIOCSETVLAN parent, vid -> SIOCSIFDESCR tag -> SIOCSIFFLAGS up
 * Tagged last but for up: a tagged one is configured (jnet reuses it as it finds it). A
 * kill after the rename leaves an untagged interface of jnet's group and name, which the
 * next run makes anew (jnet_ownership JNET_OWN_CRASH); a kill between the creation and
 * the rename leaves an untagged vlanN (in group jnet after SIOCAIFGROUP), which nothing
 * proves jnet's: it stays, as an epair does in the same window.
 */
#include "common.h"
#include "fbsd.h"

#include <errno.h>

int
fbc_vlan_create(const char *name, const char *parent, int vid, const char *tag,
    bool *kld_done, struct jnet_err *e)
{
	char cur[JNET_IFNAMSIZ];
	int r;

	/* The tag last: a tagged vlan is a configured one. */
	if ((r = fbc_clone_new("if_vlan", kld_done, "vlan", name, NULL, cur, e)) < 0)
		return r;
	if ((r = fbsd_vlan_set(cur, parent, vid)) < 0) {
		if (r == -EEXIST)
			r = jnet_err_set(e, EEXIST, parent,
			    "SIOCSETVLAN %s: %s carries VLAN %d on another interface already",
			    cur, parent, vid);
		else if (r == -ENOENT)
			r = jnet_err_set(e, ENODEV, parent, "no such interface (SIOCSETVLAN %s)", cur);
		else
			r = fbc_kerr(e, r, cur, "SIOCSETVLAN %s vlan %d", parent, vid);
	}
	if (r == 0)
		r = fbc_if_set_descr(cur, tag, e);
	return fbc_clone_finish(cur, r, e);
}

int
fbc_vlan_destroy(void *priv, const char *name, struct jnet_err *e)
{
	int r = fbsd_if_destroy(name);

	(void)priv;
	if (fbc_gone(r))
		return 0;
	return r < 0 ? fbc_kerr(e, r, name, "SIOCIFDESTROY") : 0;
}
