/*
 * What the cmocka suites of the FreeBSD backends on the kernel model share (mtest.h): the
 * steps both suites test, parametrised by the backend's interface names, and the fault
 * sweep.
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

#include "core.h"
#include "fbsd.h"
#include "model.h"
#include "mtest.h"

/* A second addm of JAIL (on em0) changes nothing. */
void
assert_addm_idempotent(const char *jail_name)
{
	json_t *before = snap_keep();

	assert_int_equal(addm1(jail_name), 0);
	assert_unchanged(before);
}

/* ---------------------------------------------------------------- steps both suites test */

int
gc_count(void)
{
	int removed = 0;

	assert_int_equal(jnet_gc(&ctx, count_cb, &removed), 0);
	return removed;
}

void
crash_gc_sweep(void (*crash_after)(int steps, const char *jail_name), int last,
    void (*assert_none)(void))
{
	for (int steps = 1; steps <= last; steps++) {
		setup(NULL);
		crash_after(steps, "web");
		assert_int_equal(gc_count(), steps == 1 ? 0 : 1);
		if (steps > 1)
			assert_none();
		teardown(NULL);
	}
}

int
attach_fresh(const char *jend, char in[64])
{
	int jid;

	assert_int_equal(addm1("web"), 0);
	assert_int_equal(jnet_attach(&ctx, "web", NULL), -ENOENT); /* no such jail yet */
	jid = jail("web", "create");
	snprintf(in, 64, "web#%d", jid);
	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0);
	snap();
	assert_non_null(IF(jend, in));
	assert_true(B(IF(jend, in), "up")); /* it was up on the host: kept up */
	assert_null(IF(jend, "host"));
	return jid;
}

void
detach_reattach(const char *jend, int jid, const char *in)
{
	char spec[16];

	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0); /* again: nothing to do */
	assert_int_equal(jnet_detach(&ctx, "web", NULL), 0);
	snap();
	assert_non_null(IF(jend, "host"));
	/* The kernel brings it back down and without groups; jnet restores both. */
	assert_true(B(IF(jend, "host"), "up"));
	assert_true(in_group(IF(jend, "host"), "jnet"));
	assert_int_equal(jnet_detach(&ctx, "web", NULL), 0);
	snprintf(spec, sizeof(spec), "%d", jid); /* by JID */
	assert_int_equal(jnet_attach(&ctx, "web", spec), 0);
	snap();
	assert_non_null(IF(jend, in));
}

static int
squat_fn(struct model *m, void *arg)
{
	const char *const *a = arg; /* jail, interface */
	struct m_jail *j = model_jail_byname(m, a[0], false);

	model_if_new(m, model_jail_vnet(j), a[1], "phys", false, -1);
	return 0;
}

void
attach_refusals(const char *jend)
{
	const char *squat[] = { "busy", jend };

	assert_int_equal(addm1("web"), 0);
	/* A jail without its own vnet: SIOCSIFVNET says EEXIST (same vnet); explained. */
	jail("flat", "create-novnet");
	assert_int_equal(jnet_attach(&ctx, "web", "flat"), -EEXIST);
	assert_non_null(strstr(ctx.err.msg, "no vnet of its own"));
	/* A jail that already has an interface of that name: EEXIST, nothing moved. */
	jail("busy", "create");
	assert_int_equal(model_ctl(squat_fn, squat), 0);
	assert_int_equal(jnet_attach(&ctx, "web", "busy"), -EEXIST);
	assert_non_null(strstr(ctx.err.msg, "already has an interface of that name"));
	snap();
	assert_non_null(IF(jend, "host"));
}

void
detach_name_taken_by(const char *jend)
{
	json_t *before;

	jail("web", "create");
	assert_int_equal(addm1("web"), 0);
	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0);
	phys(jend, "00:00:5e:00:53:01", false);
	before = snap_keep();
	assert_int_equal(jnet_detach(&ctx, "web", NULL), -EEXIST);
	assert_non_null(strstr(ctx.err.msg, "PR 185619"));
	assert_unchanged(before);
}

void
assert_not_ours(const char *host_if)
{
	struct jnet_link_info l;
	json_t *before = snap_keep();
	int n = 0;

	assert_int_equal(ctx.be->link_get(ctx.priv, host_if, &l, &ctx.err), -EPERM);
	assert_int_equal(ctx.be->link_list(ctx.priv, count_cb, &n, &ctx.err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(gc_count(), 0);
	assert_true(jnet_destroy(&ctx, "web") < 0);
	assert_unchanged(before);
}

void
refused_foreign(const char *jail_name)
{
	json_t *before = snap_keep();

	assert_int_equal(addm1(jail_name), -EPERM);
	assert_non_null(strstr(ctx.err.msg, "not a jnet interface"));
	assert_int_equal(jnet_destroy(&ctx, jail_name), -EPERM);
	assert_unchanged(before);
}

int
web_and_evil_attached(void)
{
	int evil;

	jail("web", "create");
	evil = jail("evil", "create");
	assert_int_equal(addm1("web"), 0);
	assert_int_equal(addm1("evil"), 0);
	assert_int_equal(jnet_attach(&ctx, "web", NULL), 0);
	assert_int_equal(jnet_attach(&ctx, "evil", NULL), 0);
	return evil;
}

void
long_names_made(int style, char n1[JNET_IFNAMSIZ], char n2[JNET_IFNAMSIZ])
{
	assert_int_equal(strlen(LONG1), 40);
	assert_int_equal(addm1(LONG1), 0);
	assert_int_equal(addm1(LONG2), 0);
	assert_int_equal(addm1("web.example.org"), 0); /* '.': never in a node name */
	assert_int_equal(addm1("x_1"), 0);
	jnet_ifname(n1, style, LONG1, 0, 'a');
	jnet_ifname(n2, style, LONG2, 0, 'a');
	assert_string_not_equal(n1, n2);
	assert_true(strlen(n1) <= 15 && strlen(n2) <= 15);
	snap();
}

struct links
long_names_listed(void)
{
	struct links k = links_of(LONG1), all = links_of(NULL);

	/* The full name is in the tag: show maps the short name back to its jail. */
	assert_int_equal(k.n, 1);
	assert_string_equal(k.v[0].jail, LONG1);
	assert_int_equal(all.n, 4);
	assert_int_equal(jnet_destroy(&ctx, LONG1), 0);
	snap();
	return k;
}

void
hook_rollback(const char *ifname)
{
	json_t *before;

	/* A failing start_if rolls back everything, the new bridge included. */
	assert_int_equal(jnet_bridge_del(&ctx, "em0bridge"), 0);
	before = snap_keep();
	hook("start_if", ifname, "echo no >&2; exit 3\n");
	assert_true(addm1("web") < 0);
	assert_non_null(strstr(ctx.err.msg, "no"));
	assert_unchanged(before);
}

void
hook_logging(const char *event, const char *ifname, const char *fmt)
{
	char body[512];

	snprintf(body, sizeof(body), "echo \"%s\" >> %s/log\n", fmt, hookdir);
	hook(event, ifname, body);
}

int
hook_log(char lines[][160], int max)
{
	char path[160];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/log", hookdir);
	f = fopen(path, "r");
	assert_non_null(f);
	while (n < max && fgets(lines[n], 160, f) != NULL) {
		lines[n][strcspn(lines[n], "\n")] = '\0';
		n++;
	}
	fclose(f);
	return n;
}

void
refused_rename(const char *jail_name)
{
	json_t *before = snap_keep();

	assert_int_equal(addm1(jail_name), -EEXIST);
	assert_non_null(strstr(ctx.err.msg, "SIOCSIFNAME"));
	assert_unchanged(before);
}

struct forge_arg {
	int jid;
	const char *from, *to; /* rename inside the jail (from NULL: create `to`) */
};

static int
forge_fn(struct model *m, void *arg)
{
	struct forge_arg *a = arg;
	struct m_jail *j = model_jail_byjid(m, a->jid);
	struct m_if *i;

	if (j == NULL)
		return -ENOENT;
	if (a->from == NULL) {
		model_if_new(m, model_jail_vnet(j), a->to, "epair", true, 99);
		return 0;
	}
	if ((i = model_ifunit(m, model_jail_vnet(j), a->from)) == NULL)
		return -ENXIO;
	jnet_strlcpy(i->name, a->to, sizeof(i->name));
	return 0;
}

void
jail_if_forge(int jid, const char *from, const char *to)
{
	struct forge_arg f = { jid, from, to };

	assert_int_equal(model_ctl(forge_fn, &f), 0);
}

void
jail_tag_forge(int jid, const char *ifname, const char *jail_name, char end)
{
	char tag[JNET_TAGSIZ];
	struct jnet_tag t;

	jnet_tag_link(&t, mt_backend, jail_name, 0, end);
	jnet_tag_format(tag, sizeof(tag), &t);
	assert_int_equal(fbsd_jail_if_set_descr(jid, ifname, tag), 0);
}

/* ---------------------------------------------------------------- fault injection */

void prep_none(void) {}
void prep_jail(void) { jail("web", "create"); }
void prep_link(void) { assert_int_equal(addm1("web"), 0); }
void prep_link_jail(void) { prep_link(); jail("web", "create"); }
void prep_attached(void) { prep_link_jail(); assert_int_equal(jnet_attach(&ctx, "web", NULL), 0); }
void prep_bridge(void) { assert_int_equal(jnet_bridge_add(&ctx, "lab0", "em0", NULL), 0); }

int run_addm(void) { return addm1("web"); }
int run_addm2(void) { const char *ifs[] = { "em0", "em0" }; return addm("web", ifs, 2); }
int run_attach(void) { return jnet_attach(&ctx, "web", NULL); }
int run_detach(void) { return jnet_detach(&ctx, "web", NULL); }
int run_destroy(void) { return jnet_destroy(&ctx, "web"); }
int run_bridge_add(void) { return jnet_bridge_add(&ctx, "lab0", "em0", NULL); }
int run_bridge_del(void) { return jnet_bridge_del(&ctx, "lab0"); }

/* A fresh model in the sweep's kernel, the command's state before it. */
static void
sweep_prepare(const struct mt_cmd *c, void (*fresh)(void))
{
	setup(NULL);
	if (fresh != NULL)
		fresh();
	c->prepare();
}

/* Call k of command c fails: nothing changed, the error names the call; a rerun works. */
static void
sweep_one(const struct mt_cmd *c, void (*fresh)(void), const char *label, long k, long n,
    json_t *after_ok)
{
	char op[64], what[256];
	json_t *before;
	int r;

	sweep_prepare(c, fresh);
	snap();
	before = json_deep_copy(D);
	model_set_fault(model_calls() + k, EIO);
	r = c->run();
	jnet_strlcpy(op, model_fault_op(), sizeof(op));
	model_set_fault(0, 0);
	snap();
	if (r == 0) {
		print_message("%s%s: call %ld (%s) failed but the command succeeded\n", label,
		    c->name, k, op);
		fail();
	}
	snprintf(what, sizeof(what), "%s%s: fault at call %ld/%ld (%s): state changed", label,
	    c->name, k, n, op);
	states_equal(before, D, what);
	if (strstr(ctx.err.msg, op) == NULL) {
		print_message("%s%s: fault at call %ld (%s): error does not name it: %s: %s\n",
		    label, c->name, k, op, ctx.err.object, ctx.err.msg);
		fail();
	}
	assert_int_equal(c->run(), 0);
	snap();
	snprintf(what, sizeof(what), "%s%s: rerun after fault %ld (%s) differs from a clean run",
	    label, c->name, k, op);
	states_equal(after_ok, D, what);
	json_decref(before);
	teardown(NULL);
}

void
mt_fault_sweep(const struct mt_cmd *cmds, size_t n, void (*fresh)(void), const char *label)
{
	for (size_t c = 0; c < n; c++) {
		long before_calls, calls;
		json_t *after_ok;

		/* A clean run: how many primitive calls does the command make? */
		sweep_prepare(&cmds[c], fresh);
		before_calls = model_calls();
		assert_int_equal(cmds[c].run(), 0);
		calls = model_calls() - before_calls;
		snap();
		after_ok = json_deep_copy(D);
		teardown(NULL);
		assert_true(calls > 0);
		print_message("%s%s: %ld primitive calls, each failed in turn\n", label,
		    cmds[c].name, calls);
		for (long k = 1; k <= calls; k++)
			sweep_one(&cmds[c], fresh, label, k, calls, after_ok);
		json_decref(after_ok);
	}
}
