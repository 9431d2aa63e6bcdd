/*
 * The epair backend on the kernel model: safety (issue 9: ownership, counts, MTU, stale
 * instances, untrusted jail roots) and names, MACs, kernel modules, foreign interfaces,
 * bridges, hook order. Part of test_epair (test_epair.c).
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
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"
#include "fbsd.h"
#include "model.h"
#include "mtest.h"
#include "test_epair.h"

/* ---------------------------------------------------------------- safety (issue 9) */

static const struct jnet_backend_ops *
EP(void)
{
	return jnet_backend_find("epair");
}

/* A foreign pair in group jnet, named like a link of ours, untagged: never ours. */
void
ownership_untagged_in_group(void **state)
{
	char a[JNET_IFNAMSIZ];

	(void)state;
	/* as ifconfig(8) does: load the module first (ifmaybeload) */
	assert_int_equal(fbsd_kld_ensure("if_epair"), 0);
	assert_int_equal(fbsd_if_create("epair", a), 0);
	assert_int_equal(fbsd_if_add_group(a, "jnet"), 0);
	assert_int_equal(fbsd_if_rename(a, "e0a_web"), 0);
	a[strlen(a) - 1] = 'b';
	assert_int_equal(fbsd_if_add_group(a, "jnet"), 0);
	assert_int_equal(fbsd_if_rename(a, "e0b_web"), 0);
	assert_not_ours("e0a_web");
}

/* count and born come from the host end's tag (n=, t=). */
void
link_count_born(void **state)
{
	struct jnet_link_info l;
	char a[JNET_IFNAMSIZ];

	(void)state;
	/* as ifconfig(8) does: load the module first (ifmaybeload) */
	assert_int_equal(fbsd_kld_ensure("if_epair"), 0);
	assert_int_equal(fbsd_if_create("epair", a), 0);
	assert_int_equal(fbsd_if_add_group(a, "jnet"), 0);
	assert_int_equal(fbsd_if_set_descr(a, "jnet/2 link epair 0 a web n=3 t=1700000000"), 0);
	assert_int_equal(fbsd_if_rename(a, "e0a_web"), 0);
	assert_int_equal(EP()->link_get(NULL, "e0a_web", &l, &ctx.err), 0);
	assert_true(l.tagged);
	assert_int_equal(l.count, 3);
	assert_true(l.born == 1700000000);
}

/* if_get names the bridge an uplink candidate is on. */
void
if_get_master(void **state)
{
	struct jnet_ifinfo info;

	(void)state;
	assert_int_equal(EP()->if_get(NULL, "em0", &info, &ctx.err), 0);
	assert_string_equal(info.master, "");
	assert_int_equal(addm1("web"), 0);
	assert_int_equal(EP()->if_get(NULL, "em0", &info, &ctx.err), 0);
	assert_string_equal(info.master, "em0bridge");
	assert_int_equal(EP()->if_get(NULL, "e0a_web", &info, &ctx.err), 0);
	assert_string_equal(info.master, "em0bridge");
}

/* Both ends of a pair have the same MTU: the bridge's, when it sets the host end's. */
void
mtu_both_ends(void **state)
{
	(void)state;
	assert_int_equal(addm1("web"), 0);
	assert_int_equal(fbsd_if_set_mtu(FBSD_HOST, "em0bridge", 9000), 0);
	assert_int_equal(addm1("db"), 0);
	snap();
	assert_int_equal(json_integer_value(json_object_get(IF("e0a_db", "host"), "mtu")), 9000);
	assert_int_equal(json_integer_value(json_object_get(IF("e0b_db", "host"), "mtu")), 9000);
}

/* A host end put on its bridge again: the jail end, in its jail, gets the bridge's MTU. */
void
mtu_set_master(void **state)
{
	int jid;
	char in[32];

	(void)state;
	jid = jail("web", "create");
	snprintf(in, sizeof(in), "web#%d", jid);
	assert_int_equal(addm1("web"), 0);
	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0);
	assert_int_equal(fbsd_bridge_del("em0bridge", "e0a_web"), 0);
	assert_int_equal(fbsd_if_set_mtu(FBSD_HOST, "em0bridge", 9000), 0);
	assert_int_equal(EP()->if_set_master(NULL, "e0a_web", "em0bridge", &ctx.err), 0);
	snap();
	assert_int_equal(json_integer_value(json_object_get(IF("e0a_web", "host"), "mtu")), 9000);
	assert_int_equal(json_integer_value(json_object_get(IF("e0b_web", in), "mtu")), 9000);
}

/* detach refuses to bring a jail end home under a name the host already has. */
void
detach_name_taken(void **state)
{
	(void)state;
	detach_name_taken_by("e0b_web");
}

/* The jail end inside a dying older jail of the name while a new one runs: stale. */
void
stale_instance(void **state)
{
	struct jnet_link_info l;

	(void)state;
	jail("web", "create");
	assert_int_equal(addm1("web"), 0);
	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0);
	assert_int_equal(EP()->link_get(NULL, "e0a_web", &l, &ctx.err), 0);
	assert_int_equal(EP()->link_stale(NULL, &l, &ctx.err), 0);
	jail("web", "kill");
	assert_int_equal(EP()->link_get(NULL, "e0a_web", &l, &ctx.err), 0);
	assert_int_equal(EP()->link_stale(NULL, &l, &ctx.err), 0); /* no new one yet */
	jail("web", "create");
	assert_int_equal(EP()->link_get(NULL, "e0a_web", &l, &ctx.err), 0);
	/* link_get does not walk the jails (destroy, show need not); link_stale does. */
	assert_false(l.stale);
	assert_int_equal(EP()->link_stale(NULL, &l, &ctx.err), 1);
	assert_int_equal(l.where, JNET_WHERE_JAIL);
	assert_string_equal(l.where_jail, "web");
	/* addm and attach ask it: the stale end is replaced by one in the new jail. */
	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0);
	assert_int_equal(EP()->link_get(NULL, "e0a_web", &l, &ctx.err), 0);
	assert_int_equal(EP()->link_stale(NULL, &l, &ctx.err), 0);
}

/*
 * A jail's root is not trusted: jail evil forges web's tag on its end, creates an
 * e0b_web of its own, renames its end: nothing jnet does for web, for evil or for
 * everybody (show, gc) touches an interface outside the jail it is for.
 */
void
jail_root_forges(void **state)
{
	int evil, web, n = 0, removed = 0;

	(void)state;
	evil = web_and_evil_attached();
	web = jail("web", "jid");
	jail_tag_forge(evil, "e0b_evil", "web", 'b');
	jail_if_forge(evil, NULL, "e0b_web");

	assert_int_equal(EP()->link_list(NULL, count_cb, &n, &ctx.err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(jnet_gc(&ctx, count_cb, &removed), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(jnet_detach(&ctx, "web", NULL), 0);
	snap();
	assert_non_null(IF("e0b_web", "host"));
	assert_non_null(IF("e0b_web", "evil"));  /* evil's own stays in evil */
	assert_non_null(IF("e0b_evil", "evil"));
	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0);
	snap();
	assert_non_null(IF("e0b_web", "web"));
	assert_non_null(IF("e0b_web", "evil"));
	(void)web;

	/* evil renames its real end away: detach evil finds nothing to bring home... */
	jail_if_forge(evil, "e0b_evil", "hidden0");
	assert_true(jnet_detach(&ctx, "evil", NULL) < 0);
	snap();
	assert_null(IF("hidden0", "host"));
	assert_null(IF("e0b_web", "host"));
	/* ... and destroy evil removes evil's pair only, wherever its end is. */
	assert_int_equal(jnet_destroy(&ctx, "evil"), 0);
	snap();
	assert_null(IF("hidden0", NULL));
	assert_null(IF("e0a_evil", NULL));
	assert_non_null(IF("e0a_web", "host"));
	assert_non_null(IF("e0b_web", "web"));
	assert_non_null(IF("e0b_web", "evil"));
}

static int
junk_fn(struct model *m, void *arg)
{
	struct m_jail *j = model_jail_byjid(m, *(int *)arg);

	if (j == NULL)
		return -ENOENT;
	model_if_new(m, model_jail_vnet(j), "junk0", "phys", false, -1);
	return 0;
}

/*
 * Lab teardown: what a lab jail shows is its own word. An interface it made and tagged as
 * a link of its own is not brought to the host (and left there when it cannot be
 * destroyed): only names jnet gives this jail's links are taken out.
 */
void
lab_destroy_forged(void **state)
{
	struct jnet_tag t;
	char tag[JNET_TAGSIZ];
	int jid;

	(void)state;
	jnet_tag_jail(&t, "epair", "lab");
	jnet_tag_format(tag, sizeof(tag), &t);
	assert_int_equal(EP()->lab->jail_create(NULL, "lab.evil", tag, &ctx.err), 0);
	jid = jail("lab.evil", "lookup");
	assert_int_equal(model_ctl(junk_fn, &jid), 0);
	jail_tag_forge(jid, "junk0", "lab.evil", 'b');
	(void)EP()->lab->jail_destroy(NULL, "lab.evil", &ctx.err);
	snap();
	assert_null(IF("junk0", "host"));
}

/* ---------------------------------------------------------------- names, MACs, ownership */

void
jib_macs(void **state)
{
	const char *ifs[] = { "em0", "em0" };
	json_t *a;

	(void)state;
	ctx.mac_mode = JNET_MAC_JIB;
	assert_int_equal(addm("web", ifs, 2), 0);
	snap();
	/*
	 * By hand: sum("web") = 0x40b2 (tests/model/t_jib.sh checks this against GNU sum,
	 * which is BSD sum(1)); em0 is 00:11:22:33:44:55, first octet ?0: a gets P=2, b P=e;
	 * N = 0 then 1 for the second link on the same uplink.
	 */
	a = IF("e0a_web", "host");
	assert_string_equal(S(a, "mac"), "02:40:b2:33:44:55");
	assert_string_equal(S(IF("e0b_web", "host"), "mac"), "0e:40:b2:33:44:55");
	assert_string_equal(S(IF("e1a_web", "host"), "mac"), "12:40:b2:33:44:55");
	assert_string_equal(S(IF("e1b_web", "host"), "mac"), "1e:40:b2:33:44:55");
}

void
long_and_odd_names(void **state)
{
	char n1[JNET_IFNAMSIZ], n2[JNET_IFNAMSIZ];
	struct links k;

	(void)state;
	long_names_made(JNET_NAMES_PAIR, n1, n2);
	assert_non_null(IF(n1, "host"));
	assert_non_null(IF(n2, "host"));
	assert_non_null(IF("e0a_x_1", "host"));
	k = long_names_listed();
	assert_string_equal(k.v[0].host_if, n1);
	assert_null(IF(n1, "host"));
	assert_non_null(IF(n2, "host"));
	/* Names that could escape a path or a shell never reach the kernel. */
	assert_int_equal(addm1("../etc"), -EINVAL);
	assert_int_equal(addm1("a b"), -EINVAL);
}

/* A fresh kernel has no if_epair/if_bridge: no cloner (EINVAL) until they are loaded;
 * kldload refused (a jail, securelevel > 0) is EPERM; a command loads what it needs. */
void
kernel_modules(void **state)
{
	char a[JNET_IFNAMSIZ];

	(void)state;
	assert_int_equal(fbsd_if_create("epair", a), -EINVAL);
	assert_int_equal(fbsd_if_create("bridge", a), -EINVAL);
	assert_int_equal(model_ctl_kld_refuse(EPERM), 0);
	assert_int_equal(fbsd_kld_ensure("if_epair"), -EPERM);
	assert_int_equal(addm1("web"), -EPERM);
	assert_non_null(strstr(ctx.err.msg, "kld_list"));
	assert_int_equal(model_ctl_kld_refuse(0), 0);
	assert_int_equal(fbsd_kld_ensure("no_such_module"), -ENOENT);
	assert_int_equal(addm1("web"), 0);
	assert_int_equal(fbsd_kld_ensure("if_epair"), 0); /* modfind: there */
	assert_int_equal(fbsd_if_create("epair", a), 0);
}

void
refuses_foreign(void **state)
{
	char a[JNET_IFNAMSIZ];

	(void)state;
	/* Somebody else's epair, named like ours, no tag. */
	/* as ifconfig(8) does: load the module first (ifmaybeload) */
	assert_int_equal(fbsd_kld_ensure("if_epair"), 0);
	assert_int_equal(fbsd_if_create("epair", a), 0);
	assert_int_equal(fbsd_if_rename(a, "e0a_web"), 0);
	a[strlen(a) - 1] = 'b';
	assert_int_equal(fbsd_if_rename(a, "e0b_web"), 0);
	refused_foreign("web");
	/* A foreign e0b_db with a free e0a_db: addm db cannot rename and leaves nothing. */
	/* as ifconfig(8) does: load the module first (ifmaybeload) */
	assert_int_equal(fbsd_kld_ensure("if_epair"), 0);
	assert_int_equal(fbsd_if_create("epair", a), 0);
	assert_int_equal(fbsd_if_rename(a, "x0"), 0);
	a[strlen(a) - 1] = 'b';
	assert_int_equal(fbsd_if_rename(a, "e0b_db"), 0);
	refused_rename("db"); /* the bridge made for it went too (the core's undo) */
}

void
member_ifaddrs(void **state)
{
	json_t *before;

	(void)state;
	phys("em1", "00:aa:bb:cc:dd:ee", true);
	before = snap_keep();
	assert_int_equal(addm_on("web", "em1"), -EINVAL);
	assert_non_null(strstr(ctx.err.msg, "net.link.bridge.member_ifaddrs"));
	assert_non_null(strstr(ctx.err.msg, "em1bridge"));
	assert_string_equal(ctx.err.object, "em1");
	assert_unchanged(before);
	/* Allowed by sysctl, or on 14: works. */
	kernel_ifaddrs(15, true);
	assert_int_equal(addm_on("web", "em1"), 0);
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_int_equal(jnet_bridge_del(&ctx, "em1bridge"), 0);
	kernel_ifaddrs(14, false);
	assert_int_equal(addm_on("web", "em1"), 0);
}

void
bridges(void **state)
{
	(void)state;
	assert_int_equal(jnet_bridge_add(&ctx, "lab0", NULL, NULL), 0);
	assert_int_equal(jnet_bridge_add(&ctx, "lab0", NULL, NULL), 0); /* idempotent */
	assert_int_equal(jnet_bridge_add(&ctx, "br1", "em0", NULL), 0);
	snap();
	assert_string_equal(S(IF("em0", "host"), "bridge"), "br1");
	assert_true(in_group(IF("lab0", "host"), "jnet"));
	/* addm onto an existing bridge joins it. */
	assert_int_equal(addm_on("web", "lab0"), 0);
	snap();
	assert_string_equal(S(IF("e0a_web", "host"), "bridge"), "lab0");
	assert_int_equal(jnet_bridge_del(&ctx, "lab0"), -EBUSY);
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_int_equal(jnet_bridge_del(&ctx, "lab0"), 0);
	assert_int_equal(jnet_bridge_del(&ctx, "br1"), 0);
	snap();
	assert_null(IF("lab0", "host"));
	assert_null(IF("br1", "host"));
	assert_true(json_is_null(json_object_get(IF("em0", "host"), "bridge")));
	/* Not ours: refused. */
	{
		char b[JNET_IFNAMSIZ];

		/* as ifconfig(8) does: load the module first (ifmaybeload) */
		assert_int_equal(fbsd_kld_ensure("if_bridge"), 0);
		assert_int_equal(fbsd_if_create("bridge", b), 0);
		assert_int_equal(jnet_bridge_del(&ctx, b), -EPERM);
	}
}

void
hooks_order_and_rollback(void **state)
{
	const char *start = "start $1 $JNET_EVENT $JNET_JAIL $JNET_END $JNET_BRIDGE $JNET_BACKEND";
	char lines[8][160];

	(void)state;
	hook_logging("start_if", "e0a_web", start);
	hook_logging("start_if", "e0b_web", start);
	hook_logging("stop_if", "e0a_web", "stop $1");
	assert_int_equal(addm1("web"), 0);
	snap();
	assert_true(B(IF("e0a_web", "host"), "up"));
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_int_equal(hook_log(lines, 8), 3);
	assert_string_equal(lines[0], "start e0a_web start_if web host em0bridge epair");
	assert_string_equal(lines[1], "start e0b_web start_if web jail em0bridge epair");
	assert_string_equal(lines[2], "stop e0a_web");
	hook_rollback("e0b_web");
}
