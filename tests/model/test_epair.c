/*
 * The epair backend through the core API (core.h), on the in-process kernel model:
 * every command, states of the jail end, crash leftovers, hooks, FreeBSD 15's refusal of
 * addressed bridge members, and fault injection at every primitive call of a command.
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

static void assert_no_epairs(void);

static int
sysctl_fn(struct model *m, void *arg)
{
	int *v = arg;

	m->member_ifaddrs = v[0];
	m->version = v[1];
	return 0;
}

/* The FreeBSD version, and whether it lets a bridge member keep addresses. */
void
kernel_ifaddrs(int version, bool member_ifaddrs)
{
	int v[2] = { member_ifaddrs, version };

	assert_int_equal(model_ctl(sysctl_fn, v), 0);
}

/* ---------------------------------------------------------------- commands */

static void
addm_jib_flow(void **state)
{
	uint8_t ma[6], mb[6];
	json_t *a, *b, *br, *em0;

	(void)state;
	/* exec.prestart: the jail does not exist yet. */
	assert_int_equal(addm1("web"), 0);
	snap();
	br = IF("em0bridge", "host");
	a = IF("e0a_web", "host");
	b = IF("e0b_web", "host");
	em0 = IF("em0", "host");
	assert_non_null(br);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(S(br, "kind"), "bridge");
	assert_string_equal(tagcore(S(br, "descr")), "jnet/2 bridge epair -");
	assert_true(in_group(br, "jnet"));
	assert_true(B(br, "up"));
	assert_string_equal(S(em0, "bridge"), "em0bridge");
	assert_string_equal(S(a, "bridge"), "em0bridge");
	assert_string_equal(S(a, "peer"), "e0b_web");
	assert_string_equal(tagcore(S(a, "descr")), "jnet/2 link epair 0 a web");
	assert_string_equal(tagcore(S(b, "descr")), "jnet/2 link epair 0 b web");
	assert_true(in_group(a, "jnet") && in_group(a, "epair"));
	assert_true(in_group(b, "jnet"));
	assert_true(B(a, "up") && B(b, "up"));
	assert_true(json_is_null(json_object_get(b, "bridge")));
	jnet_mac_stable(ma, "model-salt", "web", 0, 'a');
	jnet_mac_stable(mb, "model-salt", "web", 0, 'b');
	macs_equal(a, ma);
	macs_equal(b, mb);
	/* The bridge MAC is pinned (stable, from the bridge's name). */
	jnet_mac_stable(ma, "model-salt", "em0bridge", 0, 'r');
	macs_equal(br, ma);
	/* jail(8) moves e0b_web itself (vnet.interface); a second addm changes nothing. */
	assert_addm_idempotent("web");
}

static void
addm_into_existing_jail(void **state)
{
	char in[64];
	int jid;
	json_t *b;

	(void)state;
	jid = jail("db", "create");
	snprintf(in, sizeof(in), "db#%d", jid);
	assert_int_equal(addm1("db"), 0);
	snap();
	assert_null(IF("e0b_db", "host"));
	b = IF("e0b_db", in);
	assert_non_null(b);
	/* Moved: up again inside (the move set it down), the jnet group is gone (if_vmove
	 * drops every group) but the description (tag) travelled with it. */
	assert_true(B(b, "up"));
	assert_false(in_group(b, "jnet"));
	assert_true(in_group(b, "epair"));
	assert_string_equal(tagcore(S(b, "descr")), "jnet/2 link epair 0 b db");
	assert_true(B(IF("e0a_db", "host"), "up"));
}

static void
addm_several(void **state)
{
	const char *ifs[] = { "em0", "em1", "em0" };
	struct links k;

	(void)state;
	phys("em1", "02:00:00:aa:bb:cc", false);
	assert_int_equal(addm("multi", ifs, 3), 0);
	snap();
	assert_string_equal(S(IF("e0a_multi", "host"), "bridge"), "em0bridge");
	assert_string_equal(S(IF("e1a_multi", "host"), "bridge"), "em1bridge");
	assert_string_equal(S(IF("e2a_multi", "host"), "bridge"), "em0bridge");
	assert_int_equal(count_kind("bridge"), 2);
	assert_int_equal(count_kind("epair"), 6);
	k = links_of("multi");
	assert_int_equal(k.n, 3);
	assert_int_equal(jnet_destroy(&ctx, "multi"), 0);
	assert_no_epairs();
}

static void
show_links(void **state)
{
	const char *ifs[] = { "em0", "em0" };
	struct links k;
	int jid;

	(void)state;
	assert_int_equal(addm("web", ifs, 2), 0);
	jid = jail("db", "create");
	(void)jid;
	assert_int_equal(addm1("db"), 0);

	k = links_of("web");
	assert_int_equal(k.n, 2);
	assert_string_equal(k.v[0].host_if, "e0a_web");
	assert_string_equal(k.v[1].host_if, "e1a_web");
	assert_string_equal(k.v[1].jail_if, "e1b_web");
	assert_int_equal(k.v[1].where, JNET_WHERE_HOST);
	assert_string_equal(k.v[0].bridge, "em0bridge");
	assert_true(k.v[0].tagged && k.v[0].jail_mac_known);

	k = links_of("db");
	assert_int_equal(k.n, 1);
	assert_int_equal(k.v[0].where, JNET_WHERE_JAIL);
	assert_string_equal(k.v[0].where_jail, "db");
	assert_string_equal(k.v[0].jail_if, "e0b_db");

	k = links_of(NULL);
	assert_int_equal(k.n, 3);
}

static void
attach_detach(void **state)
{
	char in[64];
	int jid;

	(void)state;
	jid = attach_fresh("e0b_web", in);
	detach_reattach("e0b_web", jid, in);
}

static void
attach_errors(void **state)
{
	struct links k;

	(void)state;
	attach_refusals("e0b_web");
	/* Into a jail of another name: works, but the host cannot tell where (documented). */
	jail("other", "create");
	assert_int_equal(jnet_attach(&ctx, "web", "other"), 0);
	k = links_of("web");
	assert_int_equal(k.v[0].where, JNET_WHERE_UNKNOWN);
	/* destroy still works: through the host end. */
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_no_epairs();
	/* addm for a dying jail is refused (it is going away). */
	jail("dying", "create");
	jail("dying", "kill");
	assert_int_equal(addm1("dying"), -EBUSY);
}

/* ---------------------------------------------------------------- destroy in every state */

static void
assert_no_epairs(void)
{
	snap();
	assert_int_equal(count_kind("epair"), 0);
}

static void
destroy_on_host(void **state)
{
	(void)state;
	assert_int_equal(addm1("web"), 0);
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_no_epairs();
	/* The bridge stays (jib does the same); its uplink stays in it. */
	assert_non_null(IF("em0bridge", "host"));
	assert_int_equal(jnet_destroy(&ctx, "web"), 0); /* again: success */
}

static void
destroy_jail_alive(void **state)
{
	(void)state;
	jail("web", "create");
	assert_int_equal(addm1("web"), 0);
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_no_epairs();
}

static void
destroy_jail_dying(void **state)
{
	struct links k;

	(void)state;
	jail("web", "create");
	assert_int_equal(addm1("web"), 0);
	jail("web", "kill");
	k = links_of("web");
	assert_int_equal(k.n, 1);
	assert_int_equal(k.v[0].where, JNET_WHERE_JAIL);
	/* Through the host end: both ends go although the jail end is in a dying jail. */
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_no_epairs();
	/* The dying jail finally goes: nothing comes back. */
	jail("web", "gone");
	assert_no_epairs();
}

static void
destroy_jail_gone(void **state)
{
	struct links k;

	(void)state;
	jail("web", "create");
	assert_int_equal(addm1("web"), 0);
	jail("web", "gone");
	/* vnet_if_return: the jail end is back on the host, down, without group jnet. */
	snap();
	assert_non_null(IF("e0b_web", "host"));
	assert_false(B(IF("e0b_web", "host"), "up"));
	k = links_of("web");
	assert_int_equal(k.v[0].where, JNET_WHERE_HOST);
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_no_epairs();
}

/* The states a crash (SIGKILL) can leave, made with the primitives in jnet's own order. */
static void
crash_after(int steps, const char *jail_name)
{
	char a[JNET_IFNAMSIZ], b[JNET_IFNAMSIZ], ta[JNET_TAGSIZ], tb[JNET_TAGSIZ];
	struct jnet_tag t;

	/* as ifconfig(8) does: load the module first (ifmaybeload) */
	assert_int_equal(fbsd_kld_ensure("if_epair"), 0);
	assert_int_equal(fbsd_if_create("epair", a), 0);
	jnet_strlcpy(b, a, sizeof(b));
	b[strlen(b) - 1] = 'b';
	jnet_tag_link(&t, "epair", jail_name, 0, 'a');
	jnet_tag_format(ta, sizeof(ta), &t);
	jnet_tag_link(&t, "epair", jail_name, 0, 'b');
	jnet_tag_format(tb, sizeof(tb), &t);
	if (steps > 0)
		assert_int_equal(fbsd_if_add_group(a, "jnet"), 0);
	if (steps > 1)
		assert_int_equal(fbsd_if_set_descr(a, ta), 0);
	if (steps > 2)
		assert_int_equal(fbsd_if_add_group(b, "jnet"), 0);
	if (steps > 3)
		assert_int_equal(fbsd_if_set_descr(b, tb), 0);
	if (steps > 4) {
		char n[JNET_IFNAMSIZ];

		jnet_ifname(n, JNET_NAMES_PAIR, jail_name, 0, 'a');
		assert_int_equal(fbsd_if_rename(a, n), 0);
	}
	if (steps > 5) {
		char n[JNET_IFNAMSIZ];

		jnet_ifname(n, JNET_NAMES_PAIR, jail_name, 0, 'b');
		assert_int_equal(fbsd_if_rename(b, n), 0);
	}
}

static void
crash_leftovers(void **state)
{
	(void)state;
	/*
	 * steps 1: in group jnet, no description, the kernel's epairN name: nothing proves it
	 *          is jnet's (anyone can put an interface in a group): gc leaves it.
	 * steps 2..4: tagged, unrenamed: gc removes it once its jail is gone.
	 * steps 5: e0a_web renamed, peer still epairNb: addm completes it (renames the peer),
	 *          destroy removes it.
	 */
	crash_gc_sweep(crash_after, 4, assert_no_epairs);
	setup(NULL);
	crash_after(5, "web");
	assert_int_equal(addm1("web"), 0);
	snap();
	assert_non_null(IF("e0a_web", "host"));
	assert_non_null(IF("e0b_web", "host"));
	assert_string_equal(S(IF("e0a_web", "host"), "peer"), "e0b_web");
	assert_true(B(IF("e0a_web", "host"), "up"));
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_no_epairs();
	teardown(NULL);

	setup(NULL);
	crash_after(5, "web");
	assert_int_equal(jnet_destroy(&ctx, "web"), 0);
	assert_no_epairs();
	teardown(NULL);

	/* Fully named, never set up: addm completes it (sets it up). */
	setup(NULL);
	crash_after(6, "web");
	assert_int_equal(addm1("web"), 0);
	snap();
	assert_true(B(IF("e0a_web", "host"), "up"));
	assert_true(B(IF("e0b_web", "host"), "up"));
	/* A tagged leftover of a live jail is kept by gc. */
	jail("web", "create");
	assert_int_equal(gc_count(), 0);
	teardown(NULL);
}

static void
gc_removes_links_of_gone_jails(void **state)
{
	int removed = 0;

	(void)state;
	assert_int_equal(addm1("gone1"), 0); /* never had a jail */
	jail("alive", "create");
	assert_int_equal(addm1("alive"), 0);
	jail("was", "create");
	assert_int_equal(addm1("was"), 0);
	jail("was", "gone");
	/* A dying jail's links go too: through the host end, now. */
	jail("dy", "create");
	assert_int_equal(addm1("dy"), 0);
	jail("dy", "kill");
	assert_int_equal(jnet_gc(&ctx, count_cb, &removed), 0);
	assert_int_equal(removed, 3);
	snap();
	assert_int_equal(count_kind("epair"), 2);
	assert_non_null(IF("e0a_alive", "host"));
	assert_null(IF("e0a_dy", "host"));
}

/* ---------------------------------------------------------------- fault injection */

static void prep_hooks(void) { hook("start_if", "e0b_web", "exit 0\n"); }

static const struct mt_cmd cmds[] = {
	{ "addm (new bridge)", prep_none, run_addm },
	{ "addm two links", prep_none, run_addm2 },
	{ "addm into a jail", prep_jail, run_addm },
	{ "addm with start_if hooks", prep_hooks, run_addm },
	{ "attach", prep_link_jail, run_attach },
	{ "detach", prep_attached, run_detach },
	{ "destroy (jail end on host)", prep_link, run_destroy },
	{ "destroy (jail end in jail)", prep_attached, run_destroy },
	{ "bridge add", prep_none, run_bridge_add },
	{ "bridge del", prep_bridge, run_bridge_del },
};

static void
fault_injection(void **state)
{
	(void)state;
	mt_fault_sweep(cmds, sizeof(cmds) / sizeof(cmds[0]), NULL, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		MT(kernel_modules), MT(addm_jib_flow), MT(addm_into_existing_jail),
		MT(addm_several), MT(show_links), MT(attach_detach), MT(attach_errors),
		MT(destroy_on_host), MT(destroy_jail_alive), MT(destroy_jail_dying),
		MT(destroy_jail_gone), cmocka_unit_test(crash_leftovers),
		MT(gc_removes_links_of_gone_jails), MT(jib_macs), MT(long_and_odd_names),
		MT(refuses_foreign), MT(ownership_untagged_in_group), MT(link_count_born),
		MT(if_get_master), MT(mtu_both_ends), MT(mtu_set_master),
		MT(detach_name_taken), MT(stale_instance), MT(jail_root_forges),
		MT(lab_destroy_forged), MT(member_ifaddrs), MT(bridges),
		MT(hooks_order_and_rollback), cmocka_unit_test(fault_injection),
	};

	return mt_run("epair on the kernel model", "epair", tests,
	    sizeof(tests) / sizeof(tests[0]));
}
