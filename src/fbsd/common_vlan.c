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

	/* No vlan cloner before if_vlan is loaded; ifconfig(8) loads it the same way. */
	if ((r = fbc_kld("if_vlan", kld_done, e)) < 0)
		return r;
	if ((r = fbsd_if_create("vlan", cur)) < 0)
		return fbc_kerr(e, r, name, "SIOCIFCREATE2 vlan");
	if ((r = fbsd_if_add_group(cur, FBC_GROUP)) < 0) {
		r = fbc_kerr(e, r, cur, "SIOCAIFGROUP %s", FBC_GROUP);
		goto fail;
	}
	if ((r = fbsd_if_rename(cur, name)) < 0) {
		r = r == -EEXIST ? jnet_err_set(e, EEXIST, name, "exists") :
		    fbc_kerr(e, r, cur, "SIOCSIFNAME %s -> %s", cur, name);
		goto fail;
	}
	jnet_strlcpy(cur, name, sizeof(cur));
	if ((r = fbsd_vlan_set(cur, parent, vid)) < 0) {
		if (r == -EEXIST)
			r = jnet_err_set(e, EEXIST, parent,
			    "SIOCSETVLAN %s: %s carries VLAN %d on another interface already",
			    cur, parent, vid);
		else if (r == -ENOENT)
			r = jnet_err_set(e, ENODEV, parent, "no such interface (SIOCSETVLAN %s)", cur);
		else
			r = fbc_kerr(e, r, cur, "SIOCSETVLAN %s vlan %d", parent, vid);
		goto fail;
	}
	if ((r = fbc_if_set_descr(cur, tag, e)) < 0)
		goto fail;
	if ((r = fbsd_if_set_up(FBSD_HOST, cur, true)) < 0) {
		r = fbc_kerr(e, r, cur, "SIOCSIFFLAGS up");
		goto fail;
	}
	return 0;
fail:
	(void)fbsd_if_destroy(cur);
	return r;
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
