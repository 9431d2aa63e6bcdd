/*
 * The netgraph backend through the core API (core.h), on the in-process kernel model; and
 * the netgraph part of the model itself (the kernel behaviours the backend relies on).
 * Every command, jng compatibility (names, the a-variant of derive_mac, bridges on ng_ether
 * lower/upper), the interface in every place, crash leftovers, foreign nodes, both link
 * numbering rules, stats, graph, and fault injection at every primitive call of a command.
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

/* jail(8)'s vnet.interface: SIOCSIFVNET by somebody else. */
struct vnet_arg {
	const char *ifname, *jail;
};

static int
vnet_fn(struct model *m, void *arg)
{
	struct vnet_arg *a = arg;
	struct m_jail *j = model_jail_byname(m, a->jail, false);
	struct m_if *i = model_ifunit(m, MODEL_HOST, a->ifname);

	if (j == NULL || i == NULL)
		return -ENOENT;
	model_if_vmove(m, i, model_jail_vnet(j));
	return 0;
}

static void
vnet_interface(const char *ifname, const char *jail_name)
{
	struct vnet_arg a = { ifname, jail_name };

	assert_int_equal(model_ctl(vnet_fn, &a), 0);
}

static json_t *
NG(void)
{
	return json_object_get(json_object_get(D, "ext"), "netgraph");
}

/* A node of the host's netgraph by label ("em0bridge", "eiface(ngeth0)"), or NULL. */
static json_t *
NODE(const char *label)
{
	char want[128];
	size_t i;
	json_t *v;

	snprintf(want, sizeof(want), "host %s", label);
	json_array_foreach(json_object_get(NG(), "nodes"), i, v)
		if (strcmp(json_string_value(json_object_get(v, "node")), want) == 0)
			return v;
	return NULL;
}

static bool
EDGE(const char *line)
{
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(NG(), "edges"), i, v)
		if (strcmp(json_string_value(v), line) == 0)
			return true;
	return false;
}

static int
count_edges(void)
{
	return (int)json_array_size(json_object_get(NG(), "edges"));
}

static int
count_type(const char *type)
{
	size_t i;
	json_t *v;
	int n = 0;

	json_array_foreach(json_object_get(NG(), "nodes"), i, v)
		n += strcmp(S(v, "type"), type) == 0;
	return n;
}

static void
assert_no_links(void)
{
	snap();
	assert_int_equal(count_kind("ngeth"), 0);
	assert_int_equal(count_type("eiface"), 0);
}

/* ---------------------------------------------------------------- fixtures */

/* IFNAME's ng_ether flags: promiscuous (PROMISC true) or autosrc (PROMISC false). */
static bool
ether_flag(const char *ifname, bool promisc)
{
	char path[32];
	bool p, a;

	snprintf(path, sizeof(path), "%s:", ifname);
	assert_int_equal(model_ng_ctl_ether_flags(path, &p, &a), 0);
	return promisc ? p : a;
}

static bool ether_autosrc(const char *ifname) { return ether_flag(ifname, false); }
static bool ether_promisc(const char *ifname) { return ether_flag(ifname, true); }

/* kldload ng_ether by the administrator (a fresh model has no module loaded). */
static void
ether_module(void)
{
	assert_int_equal(model_ctl_kld("ng_ether", true), 0);
}

/* ================================================================ the model's netgraph */

static void
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

static void
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

static void
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

/* ================================================================ the backend */

static void
addm_jng_flow(void **state)
{
	uint8_t m[6];
	json_t *a;

	(void)state;
	/* exec.prestart "jnet -t netgraph addm web em0": the jail does not exist yet. */
	assert_int_equal(addm1("web"), 0);
	snap();
	/* jng's shape: em0bridge on em0's lower and upper hooks, promisc, no autosrc. */
	assert_non_null(NODE("em0bridge"));
	assert_false(B(NODE("em0bridge"), "persistent"));
	assert_true(EDGE("em0:lower -- em0bridge:link0"));
	assert_true(EDGE("em0:upper -- em0bridge:link1"));
	assert_true(EDGE("em0bridge:link2 -- ng0_web:ether"));
	assert_true(B(NODE("em0"), "promisc"));
	assert_false(B(NODE("em0"), "autosrc"));
	/* The eiface: node and interface named ng0_web, tagged, in group jnet, up. */
	assert_string_equal(S(NODE("ng0_web"), "ifname"), "ng0_web");
	a = IF("ng0_web", "host");
	assert_non_null(a);
	assert_string_equal(S(a, "kind"), "ngeth");
	assert_string_equal(tagcore(S(a, "descr")), "jnet/2 link netgraph 0 a web");
	assert_true(in_group(a, "jnet"));
	assert_true(B(a, "up"));
	jnet_mac_stable(m, "model-salt", "web", 0, 'a');
	{
		char s[JNET_MACSTRLEN];

		jnet_mac_format(m, s);
		assert_string_equal(S(a, "mac"), s);
	}
	/* A second addm changes nothing. */
	assert_addm_idempotent("web");
	/* jail(8): vnet.interface = "ng0_web". The host still knows the link by its node. */
	jail("web", "create");
	vnet_interface("ng0_web", "web");
	{
		struct links k = links_of("web");

		assert_int_equal(k.n, 1);
		assert_int_equal(k.v[0].where, JNET_WHERE_JAIL);
		assert_string_equal(k.v[0].where_jail, "web");
		assert_string_equal(k.v[0].bridge, "em0bridge");
		assert_true(k.v[0].tagged);
		/* Its MAC, from the node (NGM_EIFACE_GET_IFADDRS), not from inside the jail. */
		assert_memory_equal(k.v[0].host_mac, m, 6);
	}
	assert_int_equal(addm1("web"), 0); /* still a no-op */
	/* exec.poststop "jnet destroy web", jail still there: the node goes, with the
	 * interface inside the jail. The bridge stays, as with jng. */
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_no_links();
	assert_non_null(NODE("em0bridge"));
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
}

static void
addm_several_and_show(void **state)
{
	const char *ifs[] = { "em0", "em1", "em0" };
	struct links k;

	(void)state;
	phys("em1", "02:00:00:aa:bb:cc", false);
	assert_int_equal(addm("multi", ifs, 3), 0);
	assert_int_equal(addm1("web"), 0);
	snap();
	assert_true(EDGE("em0bridge:link2 -- ng0_multi:ether"));
	assert_true(EDGE("em1bridge:link2 -- ng1_multi:ether"));
	assert_true(EDGE("em0bridge:link3 -- ng2_multi:ether"));
	assert_true(EDGE("em0bridge:link4 -- ng0_web:ether"));
	assert_int_equal(count_type("bridge"), 2);
	k = links_of("multi");
	assert_int_equal(k.n, 3);
	assert_string_equal(k.v[1].host_if, "ng1_multi");
	assert_string_equal(k.v[1].bridge, "em1bridge");
	assert_string_equal(k.v[1].jail_if, "");
	assert_int_equal(k.v[1].where, JNET_WHERE_HOST);
	k = links_of(NULL);
	assert_int_equal(k.n, 4);
	assert_int_equal(jnet_destroy(&ctx, "multi"), 0);
	snap();
	assert_int_equal(count_type("eiface"), 1);
	assert_true(EDGE("em0bridge:link4 -- ng0_web:ether"));
}

static void
attach_detach(void **state)
{
	char in[64];
	int jid;

	(void)state;
	jid = attach_fresh("ng0_web", in);
	/* The node stays in the host's netgraph, on the bridge. */
	assert_true(EDGE("em0bridge:link2 -- ng0_web:ether"));
	detach_reattach("ng0_web", jid, in);
}

static void
attach_errors(void **state)
{
	struct links k;
	char n1[JNET_IFNAMSIZ];
	const char *l1 = "a-very-long-jail-name-for-testing-000001";

	(void)state;
	attach_refusals("ng0_web");
	/* Into a jail of another name: the host sees it is in a jail, not which. */
	jail("other", "create");
	assert_int_equal(jnet_attach(&ctx, "web", "other"), 0);
	k = links_of("web");
	assert_int_equal(k.v[0].where, JNET_WHERE_JAIL);
	assert_string_equal(k.v[0].where_jail, "");
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_no_links();
	/* A hashed short name inside its jail: jnet's (only jnet makes '-' names), the jail
	 * is the one being asked about -- detach and destroy work. */
	assert_int_equal(addm1(l1), 0);
	jail(l1, "create");
	assert_int_equal(jnet_attach(&ctx, l1, NULL), 0);
	jnet_ifname(n1, JNET_NAMES_NG, l1, 0, 'a');
	k = links_of(l1);
	assert_int_equal(k.n, 1);
	assert_int_equal(k.v[0].where, JNET_WHERE_JAIL);
	assert_false(k.v[0].tagged); /* the description cannot be read from the host */
	assert_int_equal(jnet_detach(&ctx, l1, NULL), 0);
	snap();
	assert_non_null(IF(n1, "host"));
	assert_int_equal(jnet_attach(&ctx, l1, NULL), 0);
	assert_int_equal(jnet_destroy(&ctx, l1), 0);
	assert_no_links();
}

static void
destroy_every_state(void **state)
{
	struct links k;

	(void)state;
	/* On the host. */
	assert_int_equal(addm1("a"), 0);
	assert_int_equal(jnet_destroy(&ctx, "a"), 0);
	assert_no_links();
	/* Inside a live jail. */
	jail("b", "create");
	assert_int_equal(addm1("b"), 0);
	assert_int_equal(jnet_attach(&ctx, "b", NULL), 0);
	assert_int_equal(jnet_destroy(&ctx, "b"), 0);
	assert_no_links();
	/* Inside a dying jail: still there, still destroyable (ng_eiface_rmnode switches
	 * to the interface's vnet). */
	jail("c", "create");
	assert_int_equal(addm1("c"), 0);
	assert_int_equal(jnet_attach(&ctx, "c", NULL), 0);
	jail("c", "kill");
	k = links_of("c");
	assert_int_equal(k.n, 1);
	assert_int_equal(k.v[0].where, JNET_WHERE_JAIL);
	assert_int_equal(jnet_destroy(&ctx, "c"), 0);
	assert_no_links();
	jail("c", "gone");
	assert_no_links();
	/* The jail gone: the interface came home (down, without group jnet). */
	jail("d", "create");
	assert_int_equal(addm1("d"), 0);
	assert_int_equal(jnet_attach(&ctx, "d", NULL), 0);
	jail("d", "gone");
	snap();
	assert_non_null(IF("ng0_d", "host"));
	assert_false(B(IF("ng0_d", "host"), "up"));
	k = links_of("d");
	assert_int_equal(k.v[0].where, JNET_WHERE_HOST);
	assert_true(k.v[0].tagged);
	assert_int_equal(jnet_destroy(&ctx, "d"), 0);
	assert_no_links();
	/* Half-destroyed by somebody else (node shut down by hand): destroy succeeds. */
	assert_int_equal(addm1("e"), 0);
	assert_int_equal(fbsd_ng_shutdown("ng0_e:"), 0);
	assert_int_equal(jnet_destroy(&ctx, "e"), 0);
}

/* The states a crash (SIGKILL) can leave, made with the primitives in jnet's order. */
static void
crash_after(int steps, const char *jail_name)
{
	char cur[JNET_IFNAMSIZ], name[JNET_IFNAMSIZ], tag[JNET_TAGSIZ], p[32];
	struct fbsd_ng_node ni;
	struct jnet_tag t;

	assert_int_equal(jnet_bridge_add(&ctx, "em0bridge", "em0", NULL), 0);
	jnet_ifname(name, JNET_NAMES_NG, jail_name, 0, 'a');
	jnet_tag_link(&t, "netgraph", jail_name, 0, 'a');
	jnet_tag_format(tag, sizeof(tag), &t);
	assert_int_equal(fbsd_ng_mkpeer(".", "eiface", "jnet", "ether"), 0);
	assert_int_equal(fbsd_ng_nodeinfo(".:jnet", &ni), 0);
	snprintf(p, sizeof(p), "[%x]:", ni.id);
	assert_int_equal(fbsd_ng_eiface_ifname(p, cur), 0);
	if (steps > 0)
		assert_int_equal(fbsd_if_add_group(cur, "jnet"), 0);
	if (steps > 1)
		assert_int_equal(fbsd_if_set_descr(cur, tag), 0);
	if (steps > 2) {
		assert_int_equal(fbsd_ng_rmhook(".", "jnet"), 0);
		assert_int_equal(fbsd_ng_connect("em0bridge:", p, "link", "ether"), 0);
	}
	if (steps > 3)
		assert_int_equal(fbsd_ng_name(p, name), 0);
	if (steps > 4)
		assert_int_equal(fbsd_if_rename(cur, name), 0);
	fbsd_ng_close(); /* the process dies: its socket (and hooks on it) go */
}

/* ---------------------------------------------------------------- safety (issue 9) */

static const struct jnet_backend_ops *
NGB(void)
{
	return jnet_backend_find("netgraph");
}

/* An eiface made by somebody else, put in group jnet and named like a link of ours, no
 * tag: never ours. */
static void
ng_ownership_untagged_in_group(void **state)
{
	char cur[JNET_IFNAMSIZ], p[32];
	struct fbsd_ng_node ni;

	(void)state;
	assert_int_equal(fbsd_ng_mkpeer(".", "eiface", "jnet", "ether"), 0);
	assert_int_equal(fbsd_ng_nodeinfo(".:jnet", &ni), 0);
	snprintf(p, sizeof(p), "[%x]:", ni.id);
	assert_int_equal(fbsd_ng_eiface_ifname(p, cur), 0);
	assert_int_equal(fbsd_if_add_group(cur, "jnet"), 0);
	assert_int_equal(fbsd_ng_name(p, "ng0_web"), 0);
	assert_int_equal(fbsd_if_rename(cur, "ng0_web"), 0);
	assert_int_equal(fbsd_ng_rmhook(".", "jnet"), 0);
	assert_not_ours("ng0_web");
}

/* count and born come from the tag. */
static void
ng_count_born(void **state)
{
	char cur[JNET_IFNAMSIZ], p[32];
	struct fbsd_ng_node ni;
	struct jnet_link_info l;

	(void)state;
	assert_int_equal(fbsd_ng_mkpeer(".", "eiface", "jnet", "ether"), 0);
	assert_int_equal(fbsd_ng_nodeinfo(".:jnet", &ni), 0);
	snprintf(p, sizeof(p), "[%x]:", ni.id);
	assert_int_equal(fbsd_ng_eiface_ifname(p, cur), 0);
	assert_int_equal(fbsd_if_add_group(cur, "jnet"), 0);
	assert_int_equal(fbsd_if_set_descr(cur, "jnet/2 link netgraph 0 a web n=2 t=1700000001"), 0);
	assert_int_equal(fbsd_ng_name(p, "ng0_web"), 0);
	assert_int_equal(fbsd_if_rename(cur, "ng0_web"), 0);
	assert_int_equal(fbsd_ng_rmhook(".", "jnet"), 0);
	assert_int_equal(NGB()->link_get(ctx.priv, "ng0_web", &l, &ctx.err), 0);
	assert_true(l.tagged);
	assert_int_equal(l.count, 2);
	assert_true(l.born == 1700000001);
}

/* An uplink whose ng_ether hooks somebody else's node holds: if_get says who. */
static void
ng_if_get_master(void **state)
{
	struct jnet_ifinfo info;

	(void)state;
	ether_module(); /* em0's ether node exists once ng_ether is loaded */
	assert_int_equal(NGB()->if_get(ctx.priv, "em0", &info, &ctx.err), 0);
	assert_string_equal(info.master, "");
	assert_int_equal(fbsd_ng_mkpeer("em0:", "bridge", "lower", "link0"), 0);
	assert_int_equal(fbsd_ng_name("em0:lower", "other"), 0);
	assert_int_equal(NGB()->if_get(ctx.priv, "em0", &info, &ctx.err), 0);
	assert_string_equal(info.master, "other");
	assert_int_equal(fbsd_ng_shutdown("other:"), 0);
	assert_int_equal(jnet_bridge_add(&ctx, "em0bridge", "em0", NULL), 0);
	assert_int_equal(NGB()->if_get(ctx.priv, "em0", &info, &ctx.err), 0);
	assert_string_equal(info.master, "em0bridge");
}

/* detach refuses to bring an interface home under a name the host already has. */
static void
ng_detach_name_taken(void **state)
{
	(void)state;
	detach_name_taken_by("ng0_web");
}

/* The interface inside a dying older jail of the name while a new one runs: stale. */
static void
ng_stale_instance(void **state)
{
	struct jnet_link_info l;

	(void)state;
	jail("web", "create");
	assert_int_equal(addm1("web"), 0);
	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0);
	assert_int_equal(NGB()->link_get(ctx.priv, "ng0_web", &l, &ctx.err), 0);
	assert_false(l.stale);
	jail("web", "kill");
	jail("web", "create");
	assert_int_equal(NGB()->link_get(ctx.priv, "ng0_web", &l, &ctx.err), 0);
	assert_true(l.stale);
	assert_int_equal(l.where, JNET_WHERE_JAIL);
	assert_string_equal(l.where_jail, "web");
}

/*
 * A jail's root is not trusted: jail evil renames its interface to web's name and forges
 * web's tag on it. Detaching evil must not bring it to the host under web's name (where
 * web's link would then take it for its own), and web's link is untouched throughout.
 */
static void
ng_jail_root_forges(void **state)
{
	int evil;

	(void)state;
	evil = web_and_evil_attached();
	jail_if_forge(evil, "ng0_evil", "ng0_web");
	jail_tag_forge(evil, "ng0_web", "web", 'a');
	assert_true(jnet_detach(&ctx, "evil", NULL) < 0);
	snap();
	assert_null(IF("ng0_web", "host"));
	assert_non_null(IF("ng0_web", "evil"));
	assert_non_null(IF("ng0_web", "web"));
	/* web: detach and attach move web's own interface only. */
	assert_int_equal(jnet_detach(&ctx, "web", NULL), 0);
	snap();
	assert_non_null(IF("ng0_web", "host"));
	assert_non_null(IF("ng0_web", "evil"));
	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0);
	snap();
	assert_non_null(IF("ng0_web", "web"));
	assert_non_null(IF("ng0_web", "evil"));
	/* destroy evil removes evil's eiface (its node), renamed or not; web's stays. */
	assert_int_equal(jnet_destroy(&ctx, "evil"), 0);
	snap();
	assert_null(IF("ng0_web", "evil"));
	assert_non_null(IF("ng0_web", "web"));
}

/* Make lab jail `name` of lab "lab" and one link (index 0) into it; its JID. */
static int
lab_jail_link(const char *name)
{
	struct jnet_link_req req;
	struct jnet_jail j;
	struct jnet_tag t;
	char tag[JNET_TAGSIZ];

	jnet_tag_jail(&t, "netgraph", "lab");
	jnet_tag_format(tag, sizeof(tag), &t);
	assert_int_equal(NGB()->lab->jail_create(ctx.priv, name, tag, &ctx.err), 0);
	assert_int_equal(NGB()->jail_open(ctx.priv, name, 0, &j, &ctx.err), 0);
	memset(&req, 0, sizeof(req));
	req.jail = name;
	assert_int_equal(jnet_ifname(req.host_if, JNET_NAMES_NG, name, 0, 'a'), 0);
	jnet_tag_link(&t, "netgraph", name, 0, 'b');
	jnet_tag_format(req.host_tag, sizeof(req.host_tag), &t);
	req.into = &j;
	req.up = true;
	assert_int_equal(NGB()->link_create(ctx.priv, &req, &ctx.err), 0);
	return j.jid;
}

/*
 * Lab teardown: a lab jail that renames its interface to another lab jail's interface
 * name and forges that one's tag must not get the other's link shut down with it.
 */
static void
ng_lab_destroy_forged(void **state)
{
	char web[JNET_IFNAMSIZ], evil[JNET_IFNAMSIZ], p[FBSD_NG_PATHSIZ];
	struct fbsd_ng_node ni;
	int ejid;

	(void)state;
	lab_jail_link("lab.web");
	ejid = lab_jail_link("lab.evil");
	jnet_ifname(web, JNET_NAMES_NG, "lab.web", 0, 'a');
	jnet_ifname(evil, JNET_NAMES_NG, "lab.evil", 0, 'a');
	jail_if_forge(ejid, evil, web);
	jail_tag_forge(ejid, web, "lab.web", 'b');
	assert_int_equal(NGB()->lab->jail_destroy(ctx.priv, "lab.evil", &ctx.err), 0);
	snprintf(p, sizeof(p), "%s:", web);
	assert_int_equal(fbsd_ng_nodeinfo(p, &ni), 0); /* web's link is still there */
	snap();
	assert_non_null(IF(web, "lab.web"));
}

static void
crash_leftovers(void **state)
{
	(void)state;
	/*
	 * steps 1: in group jnet, no description, the kernel's ngethN name: nothing proves it
	 *          is jnet's: gc leaves it.
	 * steps 2, 3: tagged, still ngethN (on the bridge or not): gc removes it once its
	 *             jail is gone.
	 * steps 4, 5: named ng0_web (interface renamed or not), never set up: addm completes
	 *             it (renames, sets up); destroy removes it.
	 */
	crash_gc_sweep(crash_after, 3, assert_no_links);
	for (int steps = 4; steps <= 5; steps++) {
		setup(NULL);
		crash_after(steps, "web");
		assert_int_equal(addm1("web"), 0);
		snap();
		assert_non_null(IF("ng0_web", "host"));
		assert_true(B(IF("ng0_web", "host"), "up"));
		assert_string_equal(S(NODE("ng0_web"), "ifname"), "ng0_web");
		assert_int_equal(count_type("eiface"), 1);
		assert_int_equal(jnet_destroy(&ctx, "web"), 0);
		assert_no_links();
		teardown(NULL);

		setup(NULL);
		crash_after(steps, "web");
		assert_int_equal(jnet_destroy(&ctx, "web"), 0);
		assert_no_links();
		teardown(NULL);
	}
	/* A tagged leftover of a live jail is kept by gc. */
	setup(NULL);
	crash_after(3, "web");
	jail("web", "create");
	assert_int_equal(gc_count(), 0);
	teardown(NULL);
}

static void
gc_links_of_gone_jails(void **state)
{
	int removed = 0;

	(void)state;
	assert_int_equal(addm1("never"), 0);
	jail("alive", "create");
	assert_int_equal(addm1("alive"), 0);
	assert_int_equal(jnet_attach(&ctx, "alive", NULL), 0);
	jail("was", "create");
	assert_int_equal(addm1("was"), 0);
	assert_int_equal(jnet_attach(&ctx, "was", NULL), 0);
	jail("was", "gone");
	assert_int_equal(jnet_gc(&ctx, count_cb, &removed), 0);
	assert_int_equal(removed, 2);
	snap();
	assert_int_equal(count_type("eiface"), 1);
	assert_non_null(NODE("ng0_alive"));
}

static void
jng_macs(void **state)
{
	const char *ifs[] = { "em0", "em0" };

	(void)state;
	ctx.mac_mode = JNET_MAC_JIB;
	assert_int_equal(addm("web", ifs, 2), 0);
	snap();
	/*
	 * jng's derive_mac, a-variant only: sum("web") = 0x40b2 (by hand: 119; rotate+101 =
	 * 32928; rotate+98 = 16562; t_ng_jng.sh checks it against sum(1)); em0 is
	 * 00:11:22:33:44:55 (?0: P = 2); N counts the links on em0 in this call.
	 */
	assert_string_equal(S(IF("ng0_web", "host"), "mac"), "02:40:b2:33:44:55");
	assert_string_equal(S(IF("ng1_web", "host"), "mac"), "12:40:b2:33:44:55");
	/* An uplink whose first octet is ?2: P = a. sum("db") = 100 rotated + 98 = 0x0094. */
	phys("em5", "02:aa:bb:cc:dd:ee", false);
	assert_int_equal(addm_on("db", "em5"), 0);
	snap();
	assert_string_equal(S(IF("ng0_db", "host"), "mac"), "0a:00:94:cc:dd:ee");
	/* An explicit MAC wins. */
	assert_int_equal(addm_on("ex", "em0=02:00:00:00:00:07"), 0);
	snap();
	assert_string_equal(S(IF("ng0_ex", "host"), "mac"), "02:00:00:00:00:07");
}

static void
long_and_odd_names(void **state)
{
	char n1[JNET_IFNAMSIZ], n2[JNET_IFNAMSIZ];

	(void)state;
	long_names_made(JNET_NAMES_NG, n1, n2);
	assert_non_null(NODE(n1));
	assert_non_null(IF(n2, "host"));
	assert_non_null(NODE("ng0_x_1"));
	(void)long_names_listed();
	assert_null(NODE(n1));
	assert_non_null(NODE(n2));
	assert_int_equal(addm1("../etc"), -EINVAL);
	/* A bridge name netgraph cannot carry is refused before any message. */
	assert_int_equal(jnet_bridge_add(&ctx, "br.0", NULL, NULL), -EINVAL);
	assert_non_null(strstr(ctx.err.msg, "netgraph node name"));
}

/* jng's own way (no tag): mkpeer on the bridge, name, rename. */
static void
jng_made(const char *bridge, const char *name)
{
	char hook[16], ifname[JNET_IFNAMSIZ], p[FBSD_NG_PATHSIZ];

	for (int n = 2;; n++) {
		snprintf(hook, sizeof(hook), "link%d", n);
		if (fbsd_ng_mkpeer(bridge, "eiface", hook, "ether") == 0)
			break;
	}
	snprintf(p, sizeof(p), "%s%s", bridge, hook);
	assert_int_equal(fbsd_ng_eiface_ifname(p, ifname), 0);
	assert_int_equal(fbsd_ng_name(p, name), 0);
	assert_int_equal(fbsd_if_rename(ifname, name), 0);
}

static void
refuses_foreign(void **state)
{
	(void)state;
	assert_int_equal(jnet_bridge_add(&ctx, "em0bridge", "em0", NULL), 0);
	jng_made("em0bridge:", "ng0_web");
	fbsd_ng_close();
	refused_foreign("web");
	/* A node of another type named like a link: not ours either. */
	assert_int_equal(fbsd_ng_mkpeer(".", "hole", "h", "x"), 0);
	assert_int_equal(fbsd_ng_name(".:h", "ng0_db"), 0);
	assert_int_equal(addm1("db"), -EPERM);
	assert_int_equal(jnet_destroy(&ctx, "db"), -EPERM);
	/* A foreign Ethernet interface named like a link: its ng_ether node has the name. */
	phys("ng0_eth", "02:00:00:00:00:98", false);
	assert_int_equal(addm1("eth"), -EPERM);
	/* A foreign interface squatting the name, without a node (not Ethernet): addm cannot
	 * rename, and leaves nothing. */
	phys_kind("ng0_sq", "02:00:00:00:00:99", "tun", false);
	refused_rename("sq");
	/* The bridge with jng's eiface on it is not jnet's to delete. */
	assert_int_equal(jnet_bridge_del(&ctx, "em0bridge"), -EBUSY);
	assert_non_null(strstr(ctx.err.msg, "ng0_web"));
}

static void
bridges(void **state)
{
	struct fbsd_ng_node ni;

	(void)state;
	assert_int_equal(jnet_bridge_add(&ctx, "lab0", NULL, NULL), 0);
	assert_int_equal(jnet_bridge_add(&ctx, "lab0", NULL, NULL), 0); /* idempotent */
	snap();
	assert_true(B(NODE("lab0"), "persistent"));
	assert_int_equal(count_edges(), 0); /* isolated, kept by the persistent flag */
	assert_int_equal(jnet_bridge_add(&ctx, "br1", "em0", NULL), 0);
	snap();
	assert_true(EDGE("br1:link0 -- em0:lower"));
	assert_true(EDGE("br1:link1 -- em0:upper"));
	/* em0's hooks are taken: a second bridge on it is refused, nothing left. */
	assert_int_equal(jnet_bridge_add(&ctx, "br2", "em0", NULL), -EBUSY);
	/* Refused by the core before any message: em0 is held by br1's hooks. */
	assert_string_equal(ctx.err.object, "em0");
	assert_non_null(strstr(ctx.err.msg, "already a port of br1"));
	assert_int_equal(fbsd_ng_nodeinfo("br2:", &ni), -ENOENT);
	/* addm onto an existing bridge joins it. */
	assert_int_equal(addm_on("web", "lab0"), 0);
	snap();
	assert_true(EDGE("lab0:link0 -- ng0_web:ether"));
	assert_int_equal(jnet_bridge_del(&ctx, "lab0"), -EBUSY);
	assert_non_null(strstr(ctx.err.msg, "ng0_web"));
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_int_equal(jnet_bridge_del(&ctx, "lab0"), 0);
	assert_int_equal(jnet_bridge_del(&ctx, "br1"), 0);
	snap();
	assert_null(NODE("lab0"));
	assert_null(NODE("br1"));
	assert_null(NODE("em0")); /* reset: promisc off, autosrc on, no hooks */
	assert_int_equal(jnet_bridge_del(&ctx, "br1"), 0); /* gone: done */
	/* Not a bridge. */
	assert_int_equal(jnet_bridge_del(&ctx, "em0"), -EPERM);
	/* Two processes make the same bridge: the name decides. The loser (here: the
	 * backend, after somebody else named theirs) drops its own and says EEXIST, which
	 * the core takes as "join it". */
	assert_int_equal(fbsd_ng_mkpeer(".", "bridge", "other", "link0"), 0);
	assert_int_equal(fbsd_ng_name(".:other", "em0bridge"), 0);
	{
		json_t *before = snap_keep();

		assert_int_equal(ctx.be->bridge_create(ctx.priv, "em0bridge", "em0", NULL, "t",
		    &ctx.err), -EEXIST);
		assert_unchanged(before);
	}
	assert_int_equal(fbsd_ng_rmhook(".", "other"), 0);
	/* An uplink that has no ether node (ng_ether unloaded behind the back of a command
	 * that has loaded it already: as for an interface that is not Ethernet). */
	assert_int_equal(model_ng_ctl_ether(false), 0);
	assert_int_equal(addm1("web"), -ENOENT);
	assert_non_null(strstr(ctx.err.msg, "not an Ethernet interface"));
	assert_int_equal(model_ng_ctl_ether(true), 0);
	snap();
	assert_int_equal(count_type("bridge"), 0);
}

static void
numbering_14_and_15(void **state)
{
	(void)state;
	for (int v = 14; v <= 15; v++) {
		setup(NULL);
		kernel(v);
		assert_int_equal(jnet_bridge_add(&ctx, "em0bridge", "em0", NULL), 0);
		/* Somebody else took link2 and link4. */
		jng_made("em0bridge:", "other2");
		jng_made("em0bridge:", "other3");
		jng_made("em0bridge:", "other4");
		assert_int_equal(fbsd_ng_shutdown("other3:"), 0);
		assert_int_equal(addm1("a"), 0);
		assert_int_equal(addm1("b"), 0);
		snap();
		/* 15: the kernel's lowest free number; 14: from the hook count (4), up. */
		if (v == 15) {
			assert_true(EDGE("em0bridge:link3 -- ng0_a:ether"));
			assert_true(EDGE("em0bridge:link5 -- ng0_b:ether"));
		} else {
			assert_true(EDGE("em0bridge:link5 -- ng0_a:ether"));
			assert_true(EDGE("em0bridge:link6 -- ng0_b:ether"));
		}
		assert_int_equal(jnet_destroy(&ctx, "a"), 0);
		assert_int_equal(jnet_destroy(&ctx, "b"), 0);
		teardown(NULL);
	}
}

static void
hooks_order_and_rollback(void **state)
{
	char lines[8][160], mac[JNET_MACSTRLEN], want[160];
	uint8_t m[6];

	(void)state;
	hook_logging("start_if", "ng0_web",
	    "start $1 $JNET_EVENT $JNET_JAIL $JNET_END $JNET_BRIDGE $JNET_BACKEND $JNET_MAC");
	hook_logging("stop_if", "ng0_web", "stop $1");
	assert_int_equal(addm1("web"), 0);
	snap();
	assert_true(B(IF("ng0_web", "host"), "up"));
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	jnet_mac_stable(m, "model-salt", "web", 0, 'a');
	jnet_mac_format(m, mac);
	snprintf(want, sizeof(want), "start ng0_web start_if web host em0bridge netgraph %s", mac);
	assert_int_equal(hook_log(lines, 8), 2);
	assert_string_equal(lines[0], want);
	assert_string_equal(lines[1], "stop ng0_web");
	hook_rollback("ng0_web");
}

/* The counter `name` of stats entry l, or -1. */
static long long
counter(const struct jnet_link_stats *l, const char *name)
{
	for (int k = 0; k < l->ncounters; k++)
		if (strcmp(l->c[k].name, name) == 0)
			return (long long)l->c[k].value;
	return -1;
}

static void
stats(void **state)
{
	struct jnet_stats o;
	const struct jnet_link_stats *l;

	(void)state;
	assert_non_null(ctx.be->link_stats);
	assert_int_equal(jnet_stats(&ctx, "web", &o), -ENOENT);
	assert_int_equal(addm1("web"), 0);
	assert_int_equal(addm_on("web2", "em0"), 0);
	assert_int_equal(model_ng_ctl_stats("em0bridge", "link2", 1000), 0);
	assert_int_equal(jnet_stats(&ctx, "web", &o), 0);
	assert_int_equal(o.n, 1);
	l = &o.v[0];
	assert_string_equal(l->host_if, "ng0_web");
	assert_string_equal(l->bridge, "em0bridge");
	assert_string_equal(l->port, "link2");
	assert_int_equal(l->ncounters, 14);
	assert_int_equal(counter(l, "recvOctets"), 1000);
	assert_int_equal(counter(l, "recvPackets"), 1001);
	assert_int_equal(counter(l, "xmitOctets"), 1007);
	assert_int_equal(counter(l, "memoryFailures"), 1013);
	jnet_stats_free(&o);
	/* Works while the interface is in its jail (the bridge is in the host). */
	jail("web", "create");
	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0);
	assert_int_equal(jnet_stats(&ctx, "web", &o), 0);
	assert_int_equal(o.n, 1);
	assert_int_equal(counter(&o.v[0], "loopDetects"), 1012);
	jnet_stats_free(&o);
}

/* The graph as lines "GROUP KIND NAME TYPE [JAIL INDEX in|out]" and "GROUP A -- B APORT
 * BPORT" (the DOT the CLI makes of it is pinned by t_ng_view.sh). */
static char *
graph_lines(const struct jnet_graph *g)
{
	static const char *kinds[] = { "bridge", "uplink", "link", "foreign", "other" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	for (size_t i = 0; i < g->nn; i++) {
		const struct jnet_gnode *n = &g->nodes[i];

		fprintf(f, "%d %s %s %s", n->group, kinds[n->kind], n->name, n->type);
		if (n->kind == JNET_GNODE_LINK)
			fprintf(f, " %s %d %s", n->tagged ? n->jail : "-", n->index,
			    n->in_jail ? "in" : "out");
		fputc('\n', f);
	}
	for (size_t i = 0; i < g->ne; i++)
		fprintf(f, "%d %s -- %s %s %s\n", g->edges[i].group, g->edges[i].a, g->edges[i].b,
		    g->edges[i].a_port, g->edges[i].b_port);
	fclose(f);
	return buf;
}

static void
graph(void **state)
{
	const char *want =
	    "0 bridge em0bridge ng_bridge\n"
	    "0 uplink em0 ng_ether\n"
	    "0 link ng0_web ng_eiface web 0 in\n"
	    "0 foreign other2 ng_eiface\n"
	    "0 link ng0_db ng_eiface db 0 out\n"
	    "1 bridge lab0 ng_bridge\n"
	    "2 link ng0_lone ng_eiface lone 0 out\n"
	    "0 em0bridge -- em0 link0 lower\n"
	    "0 em0bridge -- em0 link1 upper\n"
	    "0 em0bridge -- ng0_web link2 ether\n"
	    "0 em0bridge -- other2 link3 ether\n"
	    "0 em0bridge -- ng0_db link10 ether\n";
	struct jnet_graph g;
	char *buf;

	(void)state;
	kernel(14);
	assert_int_equal(addm1("web"), 0);
	jng_made("em0bridge:", "other2");
	for (int i = 4; i < 10; i++) { /* take link4..link9 so that db gets link10 */
		char h[16];

		snprintf(h, sizeof(h), "link%d", i);
		assert_int_equal(fbsd_ng_mkpeer("em0bridge:", "eiface", h, "ether"), 0);
	}
	assert_int_equal(addm1("db"), 0);
	for (int i = 4; i < 10; i++) {
		char p[32];

		snprintf(p, sizeof(p), "em0bridge:link%d", i);
		assert_int_equal(fbsd_ng_shutdown(p), 0);
	}
	jail("web", "create");
	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0);
	assert_int_equal(jnet_bridge_add(&ctx, "lab0", NULL, NULL), 0);
	assert_int_equal(addm_on("lone", "lab0"), 0);
	/* lone's link leaves its bridge (somebody disconnects it): shown on its own. */
	assert_int_equal(fbsd_ng_rmhook("ng0_lone:", "ether"), 0);
	assert_int_equal(jnet_graph(&ctx, &g), 0);
	assert_int_equal(g.ngroups, 3);
	buf = graph_lines(&g);
	jnet_graph_free(&g);
	if (strcmp(buf, want) != 0)
		print_message("got:\n%s\nwant:\n%s\n", buf, want);
	assert_string_equal(buf, want);
	free(buf);
}

/* ---------------------------------------------------------------- fault injection */

static void prep_isolated(void) { assert_int_equal(jnet_bridge_add(&ctx, "lab0", NULL, NULL), 0); }
static void prep_hooks(void) { hook("start_if", "ng0_web", "exit 0\n"); }
static void prep_other(void) { assert_int_equal(addm1("other"), 0); }

static int run_addm_lab(void) { return addm_on("web", "lab0"); }
static int run_bridge_add_iso(void) { return jnet_bridge_add(&ctx, "lab0", NULL, NULL); }

static const struct mt_cmd cmds[] = {
	{ "addm (new bridge)", prep_none, run_addm },
	{ "addm two links", prep_none, run_addm2 },
	{ "addm (existing bridge)", prep_other, run_addm },
	{ "addm onto an isolated bridge", prep_isolated, run_addm_lab },
	{ "addm with start_if hooks", prep_hooks, run_addm },
	{ "attach", prep_link_jail, run_attach },
	{ "detach", prep_attached, run_detach },
	{ "destroy (on the host)", prep_link, run_destroy },
	{ "destroy (in the jail)", prep_attached, run_destroy },
	{ "bridge add (uplink)", prep_none, run_bridge_add },
	{ "bridge add (isolated)", prep_none, run_bridge_add_iso },
	{ "bridge del", prep_bridge, run_bridge_del },
};

static int sweep_version;

/* The sweep's kernel. Loaded modules stay loaded, whatever fails later (kldload is not
 * undone): states compare on a box that has them. (A fresh box: t_ng_kld.sh.) */
static void
sweep_fresh(void)
{
	kernel(sweep_version);
	assert_int_equal(model_ctl_kld("all", true), 0);
}

static void
fault_injection(void **state)
{
	(void)state;
	for (sweep_version = 14; sweep_version <= 15; sweep_version++) {
		char label[32];

		snprintf(label, sizeof(label), "FreeBSD %d, ", sweep_version);
		mt_fault_sweep(cmds, sizeof(cmds) / sizeof(cmds[0]), sweep_fresh, label);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		MT(model_names_paths), MT(model_hooks), MT(model_lifecycles),
		MT(addm_jng_flow), MT(addm_several_and_show), MT(attach_detach),
		MT(attach_errors), MT(destroy_every_state), cmocka_unit_test(crash_leftovers),
		MT(gc_links_of_gone_jails), MT(jng_macs), MT(long_and_odd_names),
		MT(refuses_foreign), MT(bridges), cmocka_unit_test(numbering_14_and_15),
		MT(hooks_order_and_rollback), MT(stats), MT(graph),
		MT(ng_ownership_untagged_in_group), MT(ng_count_born), MT(ng_if_get_master),
		MT(ng_detach_name_taken), MT(ng_stale_instance), MT(ng_jail_root_forges),
		MT(ng_lab_destroy_forged), cmocka_unit_test(fault_injection),
	};

	return mt_run("netgraph on the kernel model", "netgraph", tests,
	    sizeof(tests) / sizeof(tests[0]));
}
