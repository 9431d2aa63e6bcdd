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
#include "test_netgraph.h"

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

json_t *
NG(void)
{
	return json_object_get(json_object_get(D, "ext"), "netgraph");
}

/* A node of the host's netgraph by label ("em0bridge", "eiface(ngeth0)"), or NULL. */
json_t *
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

bool
EDGE(const char *line)
{
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(NG(), "edges"), i, v)
		if (strcmp(json_string_value(v), line) == 0)
			return true;
	return false;
}

int
count_edges(void)
{
	return (int)json_array_size(json_object_get(NG(), "edges"));
}

int
count_type(const char *type)
{
	size_t i;
	json_t *v;
	int n = 0;

	json_array_foreach(json_object_get(NG(), "nodes"), i, v)
		n += strcmp(S(v, "type"), type) == 0;
	return n;
}

void
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

bool ether_autosrc(const char *ifname) { return ether_flag(ifname, false); }
bool ether_promisc(const char *ifname) { return ether_flag(ifname, true); }

/* kldload ng_ether by the administrator (a fresh model has no module loaded). */
void
ether_module(void)
{
	assert_int_equal(model_ctl_kld("ng_ether", true), 0);
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
void
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

const struct jnet_backend_ops *
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
