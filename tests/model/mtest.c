/*
 * What the cmocka suites of the FreeBSD backends on the kernel model share (mtest.h).
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
#include "mtest.h"

struct jnet_ctx ctx;
char hookdir[] = "/tmp/jnet-model-hooks.XXXXXX";
json_t *D;
const char *mt_backend; /* mt_run's */

/* ---------------------------------------------------------------- scenarios */

struct phys_arg {
	const char *name, *mac, *kind;
	bool inet;
};

static int
phys_fn(struct model *m, void *arg)
{
	struct phys_arg *a = arg;
	struct m_if *i = model_if_new(m, MODEL_HOST, a->name, a->kind, false, -1);
	unsigned v[6];

	sscanf(a->mac, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]);
	for (int k = 0; k < 6; k++)
		i->mac[k] = (uint8_t)v[k];
	i->has_mac = true;
	i->up = true;
	i->inaddr = a->inet;
	return 0;
}

void
phys_kind(const char *name, const char *mac, const char *kind, bool inet)
{
	struct phys_arg a = { name, mac, kind, inet };

	assert_int_equal(model_ctl(phys_fn, &a), 0);
}

void
phys(const char *name, const char *mac, bool inet)
{
	phys_kind(name, mac, "phys", inet);
}

struct jail_arg {
	const char *name;
	const char *what;
	int jid;
};

static int
jail_fn(struct model *m, void *arg)
{
	struct jail_arg *a = arg;
	struct m_jail *j;

	if (strcmp(a->what, "create") == 0) {
		a->jid = model_jail_new(m, a->name, true)->jid;
		return 0;
	}
	if (strcmp(a->what, "create-novnet") == 0) {
		a->jid = model_jail_new(m, a->name, false)->jid;
		return 0;
	}
	j = model_jail_byname(m, a->name, true);
	if (j == NULL)
		return -ENOENT;
	a->jid = j->jid;
	if (strcmp(a->what, "kill") == 0)
		j->dying = true;
	else if (strcmp(a->what, "shutdown") == 0)
		j->dying = j->shutting_down = true;
	else if (strcmp(a->what, "gone") == 0)
		model_jail_destroy(m, j);
	return 0;
}

int
jail(const char *name, const char *what)
{
	struct jail_arg a = { name, what, -1 };

	assert_int_equal(model_ctl(jail_fn, &a), 0);
	return a.jid;
}

static int
version_fn(struct model *m, void *arg)
{
	m->version = *(int *)arg;
	return 0;
}

void
kernel(int version)
{
	assert_int_equal(model_ctl(version_fn, &version), 0);
}

/* ---------------------------------------------------------------- snapshots */

void
snap(void)
{
	json_decref(D);
	D = model_ctl_dump();
	assert_non_null(D);
}

json_t *
IF(const char *name, const char *in)
{
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(D, "interfaces"), i, v) {
		const char *where = json_string_value(json_object_get(v, "in"));

		if (strcmp(json_string_value(json_object_get(v, "name")), name) != 0)
			continue;
		if (in == NULL || strcmp(where, in) == 0 ||
		    (strchr(in, '#') == NULL && strncmp(where, in, strlen(in)) == 0 &&
		    where[strlen(in)] == '#'))
			return v;
	}
	return NULL;
}

const char *
tagcore(const char *tag)
{
	static char buf[512];
	char *sp;

	jnet_strlcpy(buf, tag, sizeof(buf));
	while ((sp = strrchr(buf, ' ')) != NULL && strchr(sp, '=') != NULL)
		*sp = '\0';
	return buf;
}

const char *
S(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

bool
B(json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

bool
in_group(json_t *o, const char *g)
{
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(o, "groups"), i, v)
		if (strcmp(json_string_value(v), g) == 0)
			return true;
	return false;
}

int
count_kind(const char *kind)
{
	size_t i;
	json_t *v;
	int n = 0;

	json_array_foreach(json_object_get(D, "interfaces"), i, v)
		n += strcmp(S(v, "kind"), kind) == 0;
	return n;
}

void
macs_equal(json_t *o, const uint8_t m[6])
{
	char s[JNET_MACSTRLEN];

	jnet_mac_format(m, s);
	assert_string_equal(S(o, "mac"), s);
}

/* ---------------------------------------------------------------- commands */

int
addm(const char *jail_name, const char *const *ifs, int n)
{
	struct jnet_addm_arg args[8];
	struct jnet_addm_opts o = { .bridge_suffix = "bridge" };

	for (int i = 0; i < n; i++)
		assert_int_equal(jnet_addm_arg_parse(ifs[i], &args[i], &ctx.err), 0);
	return jnet_addm(&ctx, jail_name, args, n, &o);
}

int
addm_on(const char *jail_name, const char *iface)
{
	const char *ifs[] = { iface };

	return addm(jail_name, ifs, 1);
}

int
addm1(const char *jail_name)
{
	return addm_on(jail_name, "em0");
}

void
hook(const char *event, const char *ifname, const char *body)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", hookdir, event, ifname);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(body, f);
	fclose(f);
}

int
collect(const struct jnet_link_info *l, void *arg)
{
	struct links *k = arg;

	if (k->n < 16)
		k->v[k->n++] = *l;
	return 0;
}

struct links
links_of(const char *jail_name)
{
	struct links k;

	memset(&k, 0, sizeof(k));
	assert_int_equal(jnet_links(&ctx, jail_name, collect, &k), 0);
	return k;
}

int
count_cb(const struct jnet_link_info *l, void *arg)
{
	(void)l;
	(*(int *)arg)++;
	return 0;
}

/* ---------------------------------------------------------------- fixtures */

int
setup(void **state)
{
	(void)state;
	model_set_fault(0, 0);
	assert_int_equal(model_ctl_reset(), 0);
	phys("em0", "00:11:22:33:44:55", false);
	memset(&ctx, 0, sizeof(ctx));
	ctx.hookdir = hookdir;
	ctx.rundir = hookdir; /* lock files: not the machine's /run */
	ctx.gc_min_age_s = 0; /* gc's grace period has its own test */
	ctx.now = 1700000000; /* tags' t=: the same in every run, so states compare */
	ctx.hook_timeout_ms = 10000;
	ctx.mac_mode = JNET_MAC_STABLE;
	jnet_strlcpy(ctx.salt, "model-salt", sizeof(ctx.salt));
	assert_int_equal(jnet_ctx_open(&ctx, mt_backend), 0);
	return 0;
}

int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	jnet_ctx_close(&ctx);
	snprintf(cmd, sizeof(cmd), "rm -f %s/*", hookdir);
	if (system(cmd) != 0)
		return -1;
	json_decref(D);
	D = NULL;
	return 0;
}

int
mt_run(const char *name, const char *be, const struct CMUnitTest *tests, size_t n)
{
	char cmd[128];
	int r;

	mt_backend = be;
	if (mkdtemp(hookdir) == NULL)
		return 1;
	r = _cmocka_run_group_tests(name, tests, n, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", hookdir);
	if (system(cmd) != 0)
		r = r ? r : 1;
	return r;
}

/* ---------------------------------------------------------------- snapshots to compare */

/* Two states that should be equal: if not, both printed and the test fails. */
void
states_equal(json_t *want, json_t *got, const char *what)
{
	char *s1, *s2;

	if (json_equal(want, got))
		return;
	s1 = json_dumps(want, JSON_INDENT(1));
	s2 = json_dumps(got, JSON_INDENT(1));
	print_message("%s\nwant %s\ngot %s\n", what, s1, s2);
	free(s1);
	free(s2);
	fail();
}


json_t *
snap_keep(void)
{
	snap();
	return json_deep_copy(D);
}

void
assert_unchanged(json_t *before)
{
	snap();
	states_equal(before, D, "the model changed");
	json_decref(before);
}
