/*
 * The netgraph backend on the kernel model: untrusted jail roots, crash leftovers, gc, jng
 * compatibility (MACs, names), foreign nodes, bridges, both link numberings, hook order,
 * stats, graph. Part of test_netgraph (test_netgraph.c).
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

/*
 * A jail's root is not trusted: jail evil renames its interface to web's name and forges
 * web's tag on it. Detaching evil must not bring it to the host under web's name (where
 * web's link would then take it for its own), and web's link is untouched throughout.
 */
void
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
void
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

void
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

void
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

void
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

void
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

void
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

void
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

void
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

void
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

void
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

void
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
