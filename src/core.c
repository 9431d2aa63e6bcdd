#include "core_int.h"
#include "lock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Links of a jail are found by probing their deterministic names (O(1) each, no
 * enumeration). A crash during rollback can leave a gap in the indices, so probing goes
 * on past a missing index until this many in a row are missing. */
#define PROBE_GAP 4

/*
 * Settings arrive filled in (the CLI resolves options and environment, once): the core
 * reads no environment. NULL or "" backend: the OS default; NULL hookdir and a timeout
 * <= 0: the defaults of hooks.h.
 */
int
jnet_ctx_open(struct jnet_ctx *ctx, const char *backend)
{
	const char *why;
	int r;

	if (backend != NULL && backend[0] != '\0') {
		ctx->be = jnet_backend_find(backend);
		if (ctx->be == NULL) {
			why = jnet_backend_unsupported(backend);
			if (why != NULL)
				return jnet_err_set(&ctx->err, EOPNOTSUPP, backend, "%s", why);
			return jnet_err_set(&ctx->err, EINVAL, backend,
			    "unknown backend (try epair, netgraph or netns)");
		}
	} else {
		ctx->be = jnet_backend_default();
		if (ctx->be == NULL)
			return jnet_err_set(&ctx->err, EOPNOTSUPP, "",
			    "no backend is supported on this system");
	}
	if (ctx->hookdir == NULL)
		ctx->hookdir = JNET_HOOKDIR_DEFAULT;
	if (ctx->hook_timeout_ms <= 0)
		ctx->hook_timeout_ms = JNET_HOOK_TIMEOUT_MS_DEFAULT;
	r = ctx->be->open(&ctx->priv, &ctx->err);
	if (r < 0)
		ctx->priv = NULL;
	return r;
}

void
jnet_ctx_close(struct jnet_ctx *ctx)
{
	if (ctx->be != NULL && ctx->priv != NULL)
		ctx->be->close(ctx->priv);
	ctx->priv = NULL;
}

void
jnet_ctx_reset(struct jnet_ctx *ctx, const struct jnet_ctx *settings)
{
	const struct jnet_backend_ops *be = ctx->be;
	void *priv = ctx->priv;
	char salt[sizeof(ctx->salt)];

	memcpy(salt, ctx->salt, sizeof(salt));
	*ctx = *settings;
	ctx->be = be;
	ctx->priv = priv;
	if (ctx->salt[0] == '\0')      /* the machine's identity: the same for every command */
		memcpy(ctx->salt, salt, sizeof(salt));
	jnet_err_clear(&ctx->err);
	if (be != NULL && priv != NULL && be->end_command != NULL)
		be->end_command(priv);
}

int
jnet_ctx_salt(struct jnet_ctx *ctx)
{
	if (ctx->salt[0] != '\0')
		return 0;
	return jnet_host_salt(ctx->salt, sizeof(ctx->salt), &ctx->err);
}

static void
warn(struct jnet_ctx *ctx, const struct jnet_err *w)
{
	if (ctx->warn != NULL)
		ctx->warn(ctx, w);
}

void
core_undo_report(struct jnet_ctx *ctx, const char *what, const struct jnet_err *e)
{
	struct jnet_err w = *e;
	size_t n = strlen(w.msg);

	snprintf(w.msg + n, sizeof(w.msg) - n, " (while undoing: %s)", what);
	warn(ctx, &w);
}

int
jnet_link_ifname(const struct jnet_ctx *ctx, char out[JNET_IFNAMSIZ], const char *jail,
    int index, char end)
{
	return jnet_ifname(out, ctx->be->names, jail, index, ctx->be->paired ? end : 'a');
}

int
jnet_addm_arg_parse(const char *s, struct jnet_addm_arg *out, struct jnet_err *e)
{
	const char *eq;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (s[0] == '!') {
		out->no_derive = true;
		s++;
	}
	eq = strchr(s, '=');
	n = eq ? (size_t)(eq - s) : strlen(s);
	if (n == 0)
		return jnet_err_set(e, EINVAL, "", "empty interface name");
	if (n >= JNET_IFNAMSIZ)
		return jnet_err_set(e, ENAMETOOLONG, s, "interface name longer than %d characters",
		    JNET_IFNAMSIZ - 1);
	memcpy(out->iface, s, n);
	out->iface[n] = '\0';
	if (jnet_uplink_check(out->iface, e) < 0)
		return -EINVAL;
	if (eq != NULL) {
		if (out->no_derive)
			return jnet_err_set(e, EINVAL, s, "'!' (kernel MAC) and '=MAC' contradict");
		if (jnet_mac_parse(eq + 1, out->mac, e) < 0)
			return -EINVAL;
		out->has_mac = true;
	}
	return 0;
}

/* ---------------------------------------------------------------- locking */

int
core_lock_wait(const struct jnet_ctx *ctx)
{
	return ctx->lock_wait_ms > 0 ? ctx->lock_wait_ms : JNET_LOCK_WAIT_MS_DEFAULT;
}

int
core_lock_jail(struct jnet_ctx *ctx, const char *jail, int wait_ms)
{
	return jnet_lock(ctx->rundir, "jail", jail, wait_ms, &ctx->err);
}

/* The lock of a jail, and whether the previous command on it died half-way. */
int
core_lock_jail_check(struct jnet_ctx *ctx, const char *jail, bool *crashed)
{
	return jnet_lock_check(ctx->rundir, "jail", jail, core_lock_wait(ctx), crashed, &ctx->err);
}


/* ---------------------------------------------------------------- finding a jail's links */

/*
 * The crash window's other half: an untagged pair is ours only if its peer, too, has the
 * name jnet gives that end (or there is no peer to see). A foreign veth named e0a_web in
 * our group, paired with an end of its own name, is not. `peer`: the jail end's name when
 * the caller gave it one (CNI: CNI_IFNAME), NULL for jnet's scheme.
 */
bool
jnet_link_peer_ok(struct jnet_ctx *ctx, const struct jnet_link_info *l, const char *jail, int i,
    const char *peer)
{
	char want[JNET_IFNAMSIZ];

	if (!ctx->be->paired || l->jail_if[0] == '\0')
		return true;
	if (peer != NULL)
		return strcmp(peer, l->jail_if) == 0;
	return jnet_link_ifname(ctx, want, jail, i, 'b') == 0 && strcmp(want, l->jail_if) == 0;
}

bool
core_crash_peer_ok(struct jnet_ctx *ctx, const struct jnet_link_info *l, const char *jail, int i)
{
	return jnet_link_peer_ok(ctx, l, jail, i, NULL);
}

struct probe {
	struct jnet_ctx *ctx;
	const char *jail;
	core_probe_cb cb;
	void *arg;
	struct core_probe_out out;
};

/* The dump's filter: links tagged for this jail that the names did not find. */
static int
probe_dump_cb(const struct jnet_link_info *l, void *arg)
{
	struct probe *p = arg;
	struct jnet_link_info copy;

	if (!l->tagged || strcmp(l->jail, p->jail) != 0 || l->index < 0 ||
	    l->index >= JNET_MAXLINKS || p->out.seen[l->index])
		return 0;
	p->out.seen[l->index] = true;
	if (l->count > p->out.hi)
		p->out.hi = l->count;
	copy = *l;
	return p->cb(p->ctx, 0, &copy, p->arg);
}

/*
 * Visit every link of `jail`. Its host ends are looked up by the names jnet gives them
 * (O(links), no listing of the host); the tags' n= says how many there should be. Only
 * when that is not the whole story (nothing found by name, an index of the set missing, a
 * name held by something else) is the host listed, to find the links by tag wherever they
 * are (renamed by hand, left by a crash at another index). cb gets r = 0 for a link of
 * this jail, -EPERM for an interface with our name that jnet does not own (l->host_if
 * set), -EEXIST for one owned by another jail or index (l filled from its tag).
 * `out` (may be NULL) gets which indices were found and the set's size.
 */
int
core_probe_links_how(struct jnet_ctx *ctx, const char *jail, core_probe_cb cb, void *arg,
    struct core_probe_out *out, bool thorough, bool list)
{
	struct probe p;
	bool v1 = false, anomaly = false;
	int misses = 0, found = 0, r;

	memset(&p, 0, sizeof(p));
	p.ctx = ctx;
	p.jail = jail;
	p.cb = cb;
	p.arg = arg;
	p.out.hi = 1;
	for (int i = 0; i < JNET_MAXLINKS; i++) {
		struct jnet_link_info l;
		char host_if[JNET_IFNAMSIZ];

		/* One past the set's size too: a larger set made by an earlier addm. */
		if (v1 ? i >= p.out.hi && misses >= PROBE_GAP : i > p.out.hi)
			break;
		jnet_link_ifname(ctx, host_if, jail, i, 'a');
		memset(&l, 0, sizeof(l));
		r = ctx->be->link_get(ctx->priv, host_if, &l, &ctx->err);
		if (r == -ENODEV) {
			misses++;
			if (i < p.out.hi)
				anomaly = true;
			continue;
		}
		misses = 0;
		if (r == 0 && !l.tagged && !core_crash_peer_ok(ctx, &l, jail, i)) {
			r = -EPERM; /* its peer is not named as ours: somebody else's */
		} else if (r == 0 && !l.tagged) {
			/* Untagged, in jnet's group, named exactly as ours: a crash window. */
			jnet_strlcpy(l.jail, jail, sizeof(l.jail));
			l.index = i;
		} else if (r == 0 && (strcmp(l.jail, jail) != 0 || l.index != i)) {
			r = -EEXIST;
		} else if (r < 0 && r != -EPERM) {
			return r;
		}
		jnet_strlcpy(l.host_if, host_if, sizeof(l.host_if));
		jnet_err_clear(&ctx->err);
		if (r == 0) {
			found++;
			p.out.seen[i] = true;
			if (l.tagged && l.count == 0)
				v1 = true; /* made by jnet 0.1: no n=, probe past gaps */
			if (l.count > p.out.hi)
				p.out.hi = l.count;
			if (i + 1 > p.out.hi)
				p.out.hi = i + 1;
		} else {
			anomaly = true;
		}
		if ((r = cb(ctx, r, &l, arg)) != 0)
			return r;
	}
	if (thorough && (found == 0 || anomaly || list)) {
		r = ctx->be->link_list(ctx->priv, probe_dump_cb, &p, &ctx->err);
		if (r != 0)
			return r;
	}
	if (out != NULL)
		*out = p.out;
	return 0;
}

int
core_probe_links(struct jnet_ctx *ctx, const char *jail, core_probe_cb cb, void *arg,
    struct core_probe_out *out)
{
	return core_probe_links_how(ctx, jail, cb, arg, out, true, false);
}

int
core_not_ours(struct jnet_ctx *ctx, int r, const struct jnet_link_info *l)
{
	if (r == -EPERM)
		return jnet_err_set(&ctx->err, EPERM, l->host_if,
		    "exists but is not a jnet interface (no jnet tag); refusing to touch it");
	return jnet_err_set(&ctx->err, EEXIST, l->host_if,
	    "belongs to link %d of jail '%s', not to this jail", l->index, l->jail);
}

/* Is the jail end of l in an older instance of its jail (backend.h link_stale)? */
int
core_link_stale(struct jnet_ctx *ctx, const struct jnet_link_info *l)
{
	if (ctx->be->link_stale == NULL)
		return l->stale;
	return ctx->be->link_stale(ctx->priv, l, &ctx->err);
}

/* ---------------------------------------------------------------- hooks */

bool
core_any_hook(struct jnet_ctx *ctx, const char *event, const char *a, const char *b)
{
	char p[4096];

	return jnet_hook_exists(ctx->hookdir, event, a, p, sizeof(p)) ||
	    (b[0] != '\0' && jnet_hook_exists(ctx->hookdir, event, b, p, sizeof(p)));
}

int
core_run_hooks(struct jnet_ctx *ctx, const char *event, const struct jnet_link_info *l,
    struct jnet_err *e)
{
	char mac[2][JNET_MACSTRLEN];
	int r;

	jnet_mac_format(l->host_mac, mac[0]);
	jnet_mac_format(l->jail_mac, mac[1]);
	for (int end = 0; end < 2; end++) {
		const char *ifn = end ? l->jail_if : l->host_if;
		struct jnet_hook_env env = {
			.event = event,
			.iface = ifn,
			.jail = l->jail,
			.peer = end ? l->host_if : l->jail_if,
			.bridge = l->bridge,
			.mac = end ? (l->jail_mac_known ? mac[1] : "") : mac[0],
			.backend = ctx->be->name,
			.end = end ? "jail" : "host",
			.index = l->index,
		};

		if (ifn[0] == '\0')
			continue;
		r = jnet_hook_run(ctx->hookdir, &env, ctx->hook_timeout_ms, e);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Set down and run stop_if (reported only), if the link has stop_if hooks. */
void
core_stop_hooks(struct jnet_ctx *ctx, struct jnet_link_info *l)
{
	struct jnet_err he;

	if (!core_any_hook(ctx, "stop_if", l->host_if, l->jail_if))
		return;
	jnet_err_clear(&he);
	if (ctx->be->link_set_up(ctx->priv, l, false, &he) < 0)
		warn(ctx, &he);
	jnet_err_clear(&he);
	if (core_run_hooks(ctx, "stop_if", l, &he) < 0)
		warn(ctx, &he); /* reported; the teardown goes on */
}

int
core_destroy_link(struct jnet_ctx *ctx, struct jnet_link_info *l)
{
	core_stop_hooks(ctx, l);
	return ctx->be->link_destroy(ctx->priv, l, &ctx->err);
}

/* ---------------------------------------------------------------- show / gc */

struct links_state {
	int (*cb)(const struct jnet_link_info *, void *);
	void *arg;
};

static int
links_cb(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg)
{
	struct links_state *ls = arg;

	(void)ctx;
	if (r < 0)
		return 0; /* not ours: not listed */
	return ls->cb(l, ls->arg);
}

/* Listing the host: an untagged link is never listed, as nothing proves whose it is
 * (`show NAME` and `destroy NAME` find one by the name jnet gives it). */
static int
list_cb(const struct jnet_link_info *l, void *arg)
{
	struct links_state *ls = arg;

	if (!l->tagged)
		return 0;
	return ls->cb(l, ls->arg);
}

int
jnet_links(struct jnet_ctx *ctx, const char *jail,
    int (*cb)(const struct jnet_link_info *, void *), void *arg)
{
	struct links_state ls = { cb, arg };
	int r;

	jnet_err_clear(&ctx->err);
	if (jail == NULL)
		return ctx->be->link_list(ctx->priv, list_cb, &ls, &ctx->err);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	return core_probe_links(ctx, jail, links_cb, &ls, NULL);
}

int
jnet_link_vec_push(const struct jnet_link_info *l, void *arg)
{
	struct jnet_link_vec *k = arg;

	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 16;
		struct jnet_link_info *v = realloc(k->v, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		k->v = v;
		k->cap = cap;
	}
	k->v[k->n++] = *l;
	return 0;
}

