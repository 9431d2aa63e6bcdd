/*
 * The netgraph part of the kernel model itself (names, paths, hooks, lifecycles): the kernel
 * behaviours the netgraph backend relies on. Part of test_netgraph (test_netgraph.c).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "fbsd.h"
#include "model.h"
#include "model_ng.h"
#include "mtest.h"
#include "test_netgraph.h"

/* ================================================================ the model's netgraph */

void
model_names_paths(void **state)
{
	struct fbsd_ng_node ni;
	char name[64];

	(void)state;
	ether_module(); /* em0's ether node exists once ng_ether is loaded */
	assert_int_equal(fbsd_ng_mkpeer(".", "bridge", "b", "link0"), 0);
	assert_int_equal(fbsd_ng_nodeinfo(".:b", &ni), 0);
	assert_string_equal(ni.type, "bridge");
	assert_string_equal(ni.name, "");
	assert_int_equal(ni.hooks, 1);
	/* ng_name_node: no '.', no ':', 1..31 characters, not an ID -- EINVAL. */
	assert_int_equal(fbsd_ng_name(".:b", "a.b"), -EINVAL);
	assert_int_equal(fbsd_ng_name(".:b", "a:b"), -EINVAL);
	assert_int_equal(fbsd_ng_name(".:b", ""), -EINVAL);
	assert_int_equal(fbsd_ng_name(".:b", "[1f]"), -EINVAL);
	memset(name, 'x', 32);
	name[32] = '\0';
	assert_int_equal(fbsd_ng_name(".:b", name), -EINVAL);
	name[31] = '\0';
	assert_int_equal(fbsd_ng_name(".:b", name), 0);
	assert_int_equal(fbsd_ng_name(".:b", "br0"), 0); /* renaming is allowed */
	/* EADDRINUSE: the node's own name too (ng_name_node finds it). */
	assert_int_equal(fbsd_ng_name(".:b", "br0"), -EADDRINUSE);
	assert_int_equal(fbsd_ng_name(".:b", "em0"), -EADDRINUSE); /* em0's ether node */
	/* Paths: by name, by ID, through hooks; ENOENT for what is not there. */
	assert_int_equal(fbsd_ng_nodeinfo("br0:", &ni), 0);
	{
		char p[32];
		struct fbsd_ng_node by;

		snprintf(p, sizeof(p), "[%x]:", ni.id);
		assert_int_equal(fbsd_ng_nodeinfo(p, &by), 0);
		assert_string_equal(by.name, "br0");
	}
	assert_int_equal(fbsd_ng_nodeinfo("nosuch:", &ni), -ENOENT);
	assert_int_equal(fbsd_ng_nodeinfo("br0:link7", &ni), -ENOENT);
	assert_int_equal(fbsd_ng_nodeinfo("[ffff]:", &ni), -ENOENT);
	assert_int_equal(fbsd_ng_nodeinfo("br0:link0", &ni), 0);
	assert_string_equal(ni.type, "socket");
	/* Without a name or a hook the bridge goes (ng_bridge_disconnect). */
	assert_int_equal(fbsd_ng_rmhook(".", "b"), 0);
	assert_int_equal(fbsd_ng_nodeinfo("br0:", &ni), -ENOENT);
	assert_int_equal(fbsd_ng_rmhook(".", "nosuch"), 0); /* no such hook: not an error */
}

void
model_hooks(void **state)
{
	struct fbsd_ng_hook h[8];
	int n;

	(void)state;
	ether_module(); /* em0's ether node exists once ng_ether is loaded */
	/* Types: an unknown one is kldload's ENOENT (ng_socket.c ngc_send loads ng_TYPE
	 * first); ether is EINVAL (ng_ether.c ng_ether_constructor: only attach makes
	 * those). */
	assert_int_equal(fbsd_ng_mkpeer(".", "nosuchtype", "x", "y"), -ENOENT);
	assert_int_equal(fbsd_ng_mkpeer(".", "ether", "x", "lower"), -EINVAL);
	/* A message an ether node does not know: EINVAL (ng_ether_rcvmsg default). */
	assert_int_equal(fbsd_ng_bridge_set_persistent("em0:"), -EINVAL);
	assert_int_equal(fbsd_ng_eiface_set_mac("em0:", (const uint8_t *)"\x02\0\0\0\0\1"), -EINVAL);
	/* ng_ether_attach leaves autoSrcAddr 0; ng_ether_shutdown (also what the last hook
	 * going does) sets it to 1 and promiscuous mode off. */
	snap();
	assert_false(ether_autosrc("em0"));
	assert_int_equal(fbsd_ng_ether_set_promisc("em0:", true), 0);
	assert_int_equal(fbsd_ng_shutdown("em0:"), 0);
	{
		struct fbsd_ng_node ni;

		assert_int_equal(fbsd_ng_nodeinfo("em0:", &ni), 0); /* it stays */
	}
	snap();
	assert_true(ether_autosrc("em0"));
	assert_false(ether_promisc("em0"));
	/* eiface: hook "ether" only. */
	assert_int_equal(fbsd_ng_mkpeer(".", "eiface", "e", "data"), -EPFNOSUPPORT);
	snap();
	assert_int_equal(count_kind("ngeth"), 0); /* nothing made on the way */
	assert_int_equal(fbsd_ng_mkpeer(".", "eiface", "e", "ether"), 0);
	assert_int_equal(fbsd_ng_mkpeer(".", "eiface", "e", "ether"), -EEXIST);
	/* Bridge hook names, FreeBSD 14: linkN/uplinkN exactly. */
	kernel(14);
	assert_int_equal(fbsd_ng_mkpeer(".", "bridge", "b", "link"), -EINVAL);
	assert_int_equal(fbsd_ng_mkpeer(".", "bridge", "b", "link01"), -EINVAL);
	assert_int_equal(fbsd_ng_mkpeer(".", "bridge", "b", "uplink0"), -EINVAL);
	assert_int_equal(fbsd_ng_mkpeer(".", "bridge", "b", "bogus"), -EINVAL);
	assert_int_equal(fbsd_ng_mkpeer(".", "bridge", "b", "link5"), 0);
	assert_int_equal(fbsd_ng_name(".:b", "br"), 0);
	/* The peer path is relative to the receiving node: ".:e" is the bridge's hook e. */
	assert_int_equal(fbsd_ng_connect("br:", ".:e", "link6", "ether"), -ENOENT);
	assert_int_equal(fbsd_ng_connect("br:", "ngeth0:", "link5", "ether"), -EEXIST);
	assert_int_equal(fbsd_ng_connect("br:", "ngeth0:", "link", "ether"), -EINVAL);
	/* ... and "ether" of the eiface is taken (by our socket): EEXIST from its side. */
	assert_int_equal(fbsd_ng_connect("br:", "ngeth0:", "link6", "ether"), -EEXIST);
	/* 15: the bridge numbers a plain "link" / "uplink" itself, lowest free. */
	kernel(15);
	assert_int_equal(fbsd_ng_rmhook(".", "e"), 0); /* the eiface stays (ng_eiface(4)) */
	assert_int_equal(fbsd_ng_connect("br:", "ngeth0:", "link", "ether"), 0);
	n = fbsd_ng_listhooks("ngeth0:", NULL, h, 8);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].peerhook, "link0");
	assert_string_equal(h[0].peer.name, "br");
	assert_int_equal(fbsd_ng_connect("br:", "em0:", "uplink", "lower"), 0);
	n = fbsd_ng_listhooks("em0:", NULL, h, 8);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].peerhook, "uplink1");
	/* ether: lower/upper/orphans, "divert" is lower (EISCONN), anything else EINVAL. */
	assert_int_equal(fbsd_ng_connect("br:", "em0:", "link", "divert"), -EISCONN);
	assert_int_equal(fbsd_ng_connect("br:", "em0:", "link", "middle"), -EINVAL);
	assert_int_equal(fbsd_ng_connect("br:", "em0:", "link", "upper"), 0);
	/* A bridge does not connect to itself (ELOOP). */
	assert_int_equal(fbsd_ng_connect("br:", "br:", "link", "link"), -ELOOP);
	/* Stats: ENOTCONN for a hook that is not there; the counters of one that is. */
	{
		struct fbsd_ng_bridge_stats st;

		assert_int_equal(fbsd_ng_bridge_stats("br:", 9, &st), -ENOTCONN);
		assert_int_equal(model_ng_ctl_stats("br", "uplink1", 100), 0);
		assert_int_equal(fbsd_ng_bridge_stats("br:", -1, &st), 0);
		assert_int_equal(st.recv_octets, 100);
		assert_int_equal(st.memory_failures, 113);
		assert_int_equal(fbsd_ng_bridge_stats("ngeth0:", 0, &st), -EINVAL);
	}
}

/* model_lifecycles, continued: bridges and ng_ether nodes. */
static void
lifecycles_bridge_ether(void)
{
	struct fbsd_ng_node ni;
	char ifname[JNET_IFNAMSIZ];

	/* Bridges: the last hook takes a bridge along unless it is persistent. */
	assert_int_equal(fbsd_ng_mkpeer(".", "bridge", "p", "link0"), 0);
	assert_int_equal(fbsd_ng_name(".:p", "keep"), 0);
	assert_int_equal(fbsd_ng_bridge_set_persistent("keep:"), 0);
	assert_int_equal(fbsd_ng_rmhook(".", "p"), 0);
	assert_int_equal(fbsd_ng_nodeinfo("keep:", &ni), 0);
	assert_int_equal(ni.hooks, 0);
	/* ng_ether: promiscuous mode and autosrc reset when its last hook goes; a shutdown
	 * message resets it too, and the node stays. */
	assert_int_equal(fbsd_ng_connect("keep:", "em0:", "link0", "lower"), 0);
	assert_int_equal(fbsd_ng_ether_set_promisc("em0:", true), 0);
	assert_int_equal(fbsd_ng_ether_set_autosrc("em0:", false), 0);
	snap();
	assert_true(B(NODE("em0"), "promisc"));
	assert_int_equal(fbsd_ng_rmhook("em0:", "lower"), 0);
	snap();
	assert_null(NODE("em0")); /* pristine again: not shown */
	assert_int_equal(fbsd_ng_connect("keep:", "em0:", "link0", "lower"), 0);
	assert_int_equal(fbsd_ng_ether_set_promisc("em0:", true), 0);
	assert_int_equal(fbsd_ng_shutdown("em0:"), 0);
	assert_int_equal(fbsd_ng_nodeinfo("em0:", &ni), 0);
	assert_int_equal(ni.hooks, 0);
	snap();
	assert_null(NODE("em0"));
	/* Without ng_ether loaded there is no em0: node. */
	assert_int_equal(model_ng_ctl_ether(false), 0);
	assert_int_equal(fbsd_ng_nodeinfo("em0:", &ni), -ENOENT);
	assert_int_equal(model_ng_ctl_ether(true), 0);
	assert_int_equal(fbsd_ng_nodeinfo("em0:", &ni), 0);
	/* Messages of another type: EINVAL. */
	assert_int_equal(fbsd_ng_ether_set_promisc("keep:", true), -EINVAL);
	assert_int_equal(fbsd_ng_eiface_ifname("keep:", ifname), -EINVAL);
}

void
model_lifecycles(void **state)
{
	struct fbsd_ng_node ni;
	char ifname[JNET_IFNAMSIZ];
	int jid;

	(void)state;
	ether_module(); /* em0's ether node exists once ng_ether is loaded */
	/* ng_eiface units: the lowest free one; the node is named after its interface. */
	assert_int_equal(fbsd_ng_mkpeer(".", "eiface", "a", "ether"), 0);
	assert_int_equal(fbsd_ng_mkpeer(".", "eiface", "b", "ether"), 0);
	assert_int_equal(fbsd_ng_nodeinfo(".:b", &ni), 0);
	assert_string_equal(ni.name, "ngeth1");
	assert_int_equal(fbsd_ng_shutdown(".:a"), 0);
	assert_int_equal(fbsd_ng_mkpeer(".", "eiface", "a", "ether"), 0);
	assert_int_equal(fbsd_ng_eiface_ifname(".:a", ifname), 0);
	assert_string_equal(ifname, "ngeth0");
	/* No ng_ether trap on the host: an eiface's interface has no ether node
	 * (ng_eiface_constructor names the node "ngethN" before ether_ifattach, and
	 * ng_ether_attach makes none when the name is taken), so renaming the interface
	 * before the node gives nobody its name; the eiface takes it after. */
	assert_int_equal(fbsd_if_rename("ngeth0", "ng0_x"), 0);
	assert_int_equal(fbsd_ng_nodeinfo("ng0_x:", &ni), -ENOENT);
	assert_int_equal(fbsd_ng_name(".:a", "ng0_x"), 0);
	assert_int_equal(fbsd_ng_nodeinfo("ng0_x:", &ni), 0);
	assert_string_equal(ni.type, "eiface");
	snap();
	assert_int_equal(count_type("ether"), 0); /* em0's is untouched: not in the dump */
	/* Node first, then the interface: the eiface keeps the name. */
	assert_int_equal(fbsd_ng_name(".:b", "ng1_x"), 0);
	assert_int_equal(fbsd_if_rename("ngeth1", "ng1_x"), 0);
	assert_int_equal(fbsd_ng_nodeinfo("ng1_x:", &ni), 0);
	assert_string_equal(ni.type, "eiface");
	/* The interface goes into a jail; the node stays here and still answers. */
	jid = jail("j", "create");
	assert_int_equal(fbsd_if_vnet("ng1_x", jid), 0);
	assert_int_equal(fbsd_ng_eiface_ifname("ng1_x:", ifname), 0);
	assert_string_equal(ifname, "ng1_x");
	/* Our socket closes: its hooks go, the eifaces stay. */
	fbsd_ng_close();
	snap();
	assert_int_equal(count_type("eiface"), 2);
	assert_int_equal(count_edges(), 0);
	/* Shutdown takes the interface along, from inside the jail too. */
	assert_int_equal(fbsd_ng_shutdown("ng1_x:"), 0);
	snap();
	assert_null(IF("ng1_x", NULL));
	/* A jail that goes: its interfaces come home (vnet_if_return), the node stays. */
	assert_int_equal(fbsd_if_vnet("ng0_x", jid), 0);
	jail("j", "gone");
	snap();
	assert_non_null(IF("ng0_x", "host"));
	assert_non_null(NODE("ng0_x")); /* its node kept the name it was given */
	lifecycles_bridge_ether();
}
