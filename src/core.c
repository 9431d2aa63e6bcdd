#include "core.h"

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

static void
undo_report(struct jnet_ctx *ctx, const char *what, const struct jnet_err *e)
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
	if (jnet_ifname_check(out->iface, e) < 0)
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

/* ---------------------------------------------------------------- probing */

typedef int (*probe_cb)(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg);

/*
 * Visit every link of `jail` found by name. cb gets r = 0 for a link of this jail,
 * -EPERM for an interface with our name that jnet does not own (l->host_if set), -EEXIST for
 * one owned by another jail or index (l filled from its tag).
 */
static int
probe_links(struct jnet_ctx *ctx, const char *jail, probe_cb cb, void *arg)
{
	int misses = 0;

	for (int i = 0; i < JNET_MAXLINKS && misses < PROBE_GAP; i++) {
		struct jnet_link_info l;
		char host_if[JNET_IFNAMSIZ];
		int r;

		jnet_link_ifname(ctx, host_if, jail, i, 'a');
		memset(&l, 0, sizeof(l));
		r = ctx->be->link_get(ctx->priv, host_if, &l, &ctx->err);
		if (r == -ENODEV) {
			misses++;
			continue;
		}
		misses = 0;
		if (r == 0 && !l.tagged) {
			/* In jnet's group, named like ours, tag not set yet: a crash window. */
			jnet_strlcpy(l.jail, jail, sizeof(l.jail));
			l.index = i;
		} else if (r == 0 && (strcmp(l.jail, jail) != 0 || l.index != i)) {
			r = -EEXIST;
		} else if (r < 0 && r != -EPERM) {
			return r;
		}
		jnet_strlcpy(l.host_if, host_if, sizeof(l.host_if));
		jnet_err_clear(&ctx->err);
		r = cb(ctx, r, &l, arg);
		if (r != 0)
			return r;
	}
	return 0;
}

static int
not_ours(struct jnet_ctx *ctx, int r, const struct jnet_link_info *l)
{
	if (r == -EPERM)
		return jnet_err_set(&ctx->err, EPERM, l->host_if,
		    "exists but is not a jnet interface (no jnet tag); refusing to touch it");
	return jnet_err_set(&ctx->err, EEXIST, l->host_if,
	    "belongs to link %d of jail '%s', not to this jail", l->index, l->jail);
}

/* ---------------------------------------------------------------- hooks */

static bool
any_hook(struct jnet_ctx *ctx, const char *event, const char *a, const char *b)
{
	char p[4096];

	return jnet_hook_exists(ctx->hookdir, event, a, p, sizeof(p)) ||
	    (b[0] != '\0' && jnet_hook_exists(ctx->hookdir, event, b, p, sizeof(p)));
}

static int
run_hooks(struct jnet_ctx *ctx, const char *event, const struct jnet_link_info *l,
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

static void stop_hooks(struct jnet_ctx *ctx, struct jnet_link_info *l);

/* ---------------------------------------------------------------- undo steps */

struct undo_link {
	char host_if[JNET_IFNAMSIZ];
	bool stop_hooks; /* start_if ran: run stop_if before destroying */
};

static int
undo_link_create(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct undo_link *u = data;
	struct jnet_link_info l;
	int r;

	memset(&l, 0, sizeof(l));
	r = ctx->be->link_get(ctx->priv, u->host_if, &l, e);
	if (r == -ENODEV)
		return 0;
	if (r < 0)
		return r;
	jnet_strlcpy(l.host_if, u->host_if, sizeof(l.host_if));
	if (u->stop_hooks)
		stop_hooks(ctx, &l);
	return ctx->be->link_destroy(ctx->priv, &l, e);
}

static int
undo_bridge_create(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const char *name = data;
	char members[4][JNET_IFNAMSIZ];
	int n = ctx->be->bridge_members(ctx->priv, name, members, 4, e);

	if (n == -ENODEV)
		return 0;
	if (n < 0)
		return n;
	/* Another jnet run may have joined the bridge since we created it: keep it then. */
	if (n > 1)
		return 0;
	return ctx->be->bridge_destroy(ctx->priv, name, e);
}

struct undo_move {
	char host_if[JNET_IFNAMSIZ];
	char jail[JNET_JAILNAMSIZ];
	unsigned jail_flags;   /* jail_open flags for `jail` */
	bool back_to_jail;
};

static int
undo_link_move(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct undo_move *u = data;
	struct jnet_link_info l;
	struct jnet_jail j;
	int r;

	memset(&l, 0, sizeof(l));
	r = ctx->be->link_get(ctx->priv, u->host_if, &l, e);
	if (r < 0)
		return r;
	jnet_strlcpy(l.host_if, u->host_if, sizeof(l.host_if));
	if (!u->back_to_jail)
		return ctx->be->link_move(ctx->priv, &l, NULL, e);
	memset(&j, 0, sizeof(j));
	r = ctx->be->jail_open(ctx->priv, u->jail, u->jail_flags, &j, e);
	if (r < 0)
		return r;
	r = j.exists ? ctx->be->link_move(ctx->priv, &l, &j, e) : 0;
	ctx->be->jail_close(ctx->priv, &j);
	return r;
}

/* ---------------------------------------------------------------- addm */

struct addm_state {
	const char *jail;
	const struct jnet_addm_opts *opts;
	struct jnet_jail into;
	struct jnet_txn txn;
	char counted[JNET_MAXLINKS][JNET_IFNAMSIZ]; /* jib MAC counter per uplink */
	unsigned counts[JNET_MAXLINKS];
	int ncounted;
};

static unsigned
jib_counter(struct addm_state *st, const char *iface)
{
	for (int i = 0; i < st->ncounted; i++)
		if (strcmp(st->counted[i], iface) == 0)
			return st->counts[i]++;
	jnet_strlcpy(st->counted[st->ncounted], iface, JNET_IFNAMSIZ);
	st->counts[st->ncounted] = 1;
	st->ncounted++;
	return 0;
}

/* Find (or create, recording the undo) the bridge for an addm argument. */
static int
resolve_bridge(struct jnet_ctx *ctx, struct addm_state *st, const char *iface,
    char bridge[JNET_IFNAMSIZ], struct jnet_ifinfo *ifi)
{
	const char *suffix = st->opts && st->opts->bridge_suffix ? st->opts->bridge_suffix : "bridge";
	struct jnet_ifinfo br;
	struct jnet_tag tag;
	char tagtext[JNET_TAGSIZ];
	uint8_t mac[6];
	int r;

	r = ctx->be->if_get(ctx->priv, iface, ifi, &ctx->err);
	if (r == -ENODEV)
		return jnet_err_set(&ctx->err, ENODEV, iface,
		    "no such interface (neither a bridge to join nor an uplink to bridge)");
	if (r < 0)
		return r;
	if (ifi->is_bridge) {
		jnet_strlcpy(bridge, iface, JNET_IFNAMSIZ);
		return 0;
	}
	if (snprintf(bridge, JNET_IFNAMSIZ, "%s%s", iface, suffix) >= JNET_IFNAMSIZ)
		return jnet_err_set(&ctx->err, ENAMETOOLONG, iface,
		    "bridge name '%s%s' would be longer than %d characters; choose a shorter suffix with -b",
		    iface, suffix, JNET_IFNAMSIZ - 1);
	/* Like jib, bring the uplink up; but only if it is down: never toggle it
	 * (Bastille #1201). */
	if (!ifi->up && (r = ctx->be->if_ensure_up(ctx->priv, iface, &ctx->err)) < 0)
		return r;
	r = ctx->be->if_get(ctx->priv, bridge, &br, &ctx->err);
	if (r == 0) {
		if (!br.is_bridge)
			return jnet_err_set(&ctx->err, EEXIST, bridge,
			    "exists and is not a bridge");
		return 0;
	}
	if (r != -ENODEV)
		return r;
	if ((r = jnet_ctx_salt(ctx)) < 0)
		return r;
	jnet_mac_stable(mac, ctx->salt, bridge, 0, 'r');
	jnet_tag_bridge(&tag, ctx->be->name, "-");
	jnet_tag_format(tagtext, sizeof(tagtext), &tag);
	r = ctx->be->bridge_create(ctx->priv, bridge, iface, mac, tagtext, &ctx->err);
	if (r == -EEXIST) {
		/* A parallel addm created it first: use theirs if it is a bridge. */
		jnet_err_clear(&ctx->err);
		r = ctx->be->if_get(ctx->priv, bridge, &br, &ctx->err);
		if (r < 0)
			return r;
		if (!br.is_bridge)
			return jnet_err_set(&ctx->err, EEXIST, bridge, "exists and is not a bridge");
		return 0;
	}
	if (r < 0)
		return r;
	return jnet_txn_push(&st->txn, undo_bridge_create, bridge, strlen(bridge) + 1,
	    "bridge create");
}

static int
link_macs(struct jnet_ctx *ctx, struct addm_state *st, const struct jnet_addm_arg *a,
    const struct jnet_ifinfo *ifi, struct jnet_link_req *req)
{
	int r;

	req->set_mac = false;
	if (a->no_derive && !a->has_mac)
		return 0;
	switch (ctx->mac_mode) {
	case JNET_MAC_RANDOM:
		if (!a->has_mac)
			return 0;
		/* The host end gets a stable MAC next to an explicit jail MAC. */
		/* FALLTHROUGH */
	case JNET_MAC_STABLE:
		if ((r = jnet_ctx_salt(ctx)) < 0)
			return r;
		jnet_mac_stable(req->host_mac, ctx->salt, st->jail, req->index, 'a');
		jnet_mac_stable(req->jail_mac, ctx->salt, st->jail, req->index, 'b');
		break;
	case JNET_MAC_JIB:
		if (!ifi->has_mac)
			return jnet_err_set(&ctx->err, EINVAL, ifi->name,
			    "has no MAC address to derive jib MACs from (use -m stable)");
		jnet_mac_jib(req->host_mac, req->jail_mac, ifi->mac, st->jail,
		    jib_counter(st, ifi->name));
		break;
	}
	if (a->has_mac) {
		memcpy(ctx->be->paired ? req->jail_mac : req->host_mac, a->mac, 6);
		if (!ctx->be->paired)
			memcpy(req->jail_mac, a->mac, 6);
	}
	req->set_mac = true;
	return 0;
}

static void
info_from_req(const struct jnet_link_req *req, const struct jnet_backend_ops *be,
    struct jnet_link_info *l)
{
	memset(l, 0, sizeof(*l));
	jnet_strlcpy(l->jail, req->jail, sizeof(l->jail));
	l->index = req->index;
	jnet_strlcpy(l->host_if, req->host_if, sizeof(l->host_if));
	jnet_strlcpy(l->jail_if, req->jail_if, sizeof(l->jail_if));
	jnet_strlcpy(l->bridge, req->bridge, sizeof(l->bridge));
	memcpy(l->host_mac, req->host_mac, 6);
	memcpy(l->jail_mac, req->jail_mac, 6);
	l->jail_mac_known = req->set_mac && be->paired;
	l->where = !be->paired ? JNET_WHERE_GONE : req->into ? JNET_WHERE_JAIL : JNET_WHERE_HOST;
	if (req->into != NULL)
		jnet_strlcpy(l->where_jail, req->into->name, sizeof(l->where_jail));
	l->tagged = true;
}

static int
addm_one(struct jnet_ctx *ctx, struct addm_state *st, int i, const struct jnet_addm_arg *a)
{
	const struct jnet_backend_ops *be = ctx->be;
	struct jnet_link_req req;
	struct jnet_link_info l;
	struct jnet_ifinfo ifi;
	struct jnet_tag tag;
	struct undo_link ul;
	bool hooks;
	int r;

	memset(&req, 0, sizeof(req));
	req.jail = st->jail;
	req.index = i;
	jnet_link_ifname(ctx, req.host_if, st->jail, i, 'a');
	if (be->paired)
		jnet_link_ifname(ctx, req.jail_if, st->jail, i, 'b');

	memset(&l, 0, sizeof(l));
	r = be->link_get(ctx->priv, req.host_if, &l, &ctx->err);
	if (r == 0 && l.tagged && (strcmp(l.jail, st->jail) != 0 || l.index != i))
		r = -EEXIST;
	if (r == -EPERM || r == -EEXIST) {
		jnet_strlcpy(l.host_if, req.host_if, sizeof(l.host_if));
		return not_ours(ctx, r, &l);
	}
	if (r == 0 && ((be->paired && l.where == JNET_WHERE_GONE) || !l.tagged)) {
		/* Half of a pair whose jail end is gone with its jail (a namespace deleted a
		 * moment ago: the kernel is removing it), or a link a crash left untagged (ours
		 * by name and group): remove it now and make it anew. */
		jnet_strlcpy(l.host_if, req.host_if, sizeof(l.host_if));
		if ((r = be->link_destroy(ctx->priv, &l, &ctx->err)) < 0)
			return r;
		r = -ENODEV;
	}
	if (r == 0) {
		/* Already there (a second addm, or a crash half-way): complete it. */
		jnet_strlcpy(l.host_if, req.host_if, sizeof(l.host_if));
		if (!l.tagged) {
			jnet_strlcpy(l.jail, st->jail, sizeof(l.jail));
			l.index = i;
		}
		if (l.bridge[0] == '\0' && be->if_set_master != NULL) {
			/* Its bridge was deleted (and maybe made again): put it back. */
			if ((r = resolve_bridge(ctx, st, a->iface, req.bridge, &ifi)) < 0)
				return r;
			if ((r = be->if_set_master(ctx->priv, l.host_if, req.bridge, &ctx->err)) < 0)
				return r;
			jnet_strlcpy(l.bridge, req.bridge, sizeof(l.bridge));
		}
		if (be->paired && l.where == JNET_WHERE_HOST && st->into.exists) {
			struct undo_move um;

			r = be->link_move(ctx->priv, &l, &st->into, &ctx->err);
			if (r < 0)
				return r;
			memset(&um, 0, sizeof(um));
			jnet_strlcpy(um.host_if, l.host_if, sizeof(um.host_if));
			r = jnet_txn_push(&st->txn, undo_link_move, &um, sizeof(um), "move");
			if (r < 0)
				return r;
			l.where = JNET_WHERE_JAIL;
			jnet_strlcpy(l.where_jail, st->into.name, sizeof(l.where_jail));
		}
		if (!l.host_up || (l.jail_mac_known && !l.jail_up)) {
			if (any_hook(ctx, "start_if", l.host_if, l.jail_if) &&
			    (r = run_hooks(ctx, "start_if", &l, &ctx->err)) < 0)
				return r;
			return be->link_set_up(ctx->priv, &l, true, &ctx->err);
		}
		return 0;
	}
	if (r != -ENODEV)
		return r;
	jnet_err_clear(&ctx->err);

	if ((r = resolve_bridge(ctx, st, a->iface, req.bridge, &ifi)) < 0)
		return r;
	if ((r = link_macs(ctx, st, a, &ifi, &req)) < 0)
		return r;
	jnet_tag_link(&tag, be->name, st->jail, i, 'a');
	if ((r = jnet_tag_format(req.host_tag, sizeof(req.host_tag), &tag)) < 0)
		return jnet_err_set(&ctx->err, ENAMETOOLONG, req.host_if, "tag too long");
	jnet_tag_link(&tag, be->name, st->jail, i, 'b');
	jnet_tag_format(req.jail_tag, sizeof(req.jail_tag), &tag);
	req.into = st->into.exists ? &st->into : NULL;
	req.mtu = a->mtu ? a->mtu : st->opts ? st->opts->mtu : 0;
	req.jail_no_ipv6 = st->opts ? st->opts->jail_no_ipv6 : false;
	hooks = any_hook(ctx, "start_if", req.host_if, req.jail_if);
	req.up = !hooks;

	r = be->link_create(ctx->priv, &req, &ctx->err);
	if (r < 0)
		return r;
	memset(&ul, 0, sizeof(ul));
	jnet_strlcpy(ul.host_if, req.host_if, sizeof(ul.host_if));
	if ((r = jnet_txn_push(&st->txn, undo_link_create, &ul, sizeof(ul), "create")) < 0)
		return r;
	if (!hooks)
		return 0;
	info_from_req(&req, be, &l);
	if ((r = run_hooks(ctx, "start_if", &l, &ctx->err)) < 0)
		return r;
	/* From here on, a rollback runs stop_if for this link too. */
	((struct undo_link *)st->txn.v[st->txn.n - 1].data)->stop_hooks = true;
	return be->link_set_up(ctx->priv, &l, true, &ctx->err);
}

int
jnet_addm(struct jnet_ctx *ctx, const char *jail, const struct jnet_addm_arg *args, int nargs,
    const struct jnet_addm_opts *opts)
{
	struct addm_state *st;
	int r = 0;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	if (nargs <= 0 || nargs > JNET_MAXLINKS)
		return jnet_err_set(&ctx->err, EINVAL, "", "between 1 and %d interfaces, please",
		    JNET_MAXLINKS);
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	st->jail = jail;
	st->opts = opts;
	jnet_txn_init(&st->txn);
	st->into.fd = -1;
	st->into.jid = -1;
	if (ctx->be->paired) {
		const char *into = opts && opts->into ? opts->into : NULL;

		r = ctx->be->jail_open(ctx->priv, into ? into : jail, into ? JNET_JAIL_SPEC : 0,
		    &st->into, &ctx->err);
		if (r < 0)
			goto out;
		if (into != NULL && !st->into.exists) {
			/* -J names a jail that must exist now; only NAME may be a jail to come. */
			r = jnet_err_set(&ctx->err, ENOENT, into, "no such jail (-J)");
			goto out;
		}
		if (st->into.dying) {
			r = jnet_err_set(&ctx->err, EBUSY, st->into.name,
			    "jail is being removed; try again when it is gone");
			goto out;
		}
	}
	for (int i = 0; i < nargs && r == 0; i++)
		r = addm_one(ctx, st, i, &args[i]);
	if (r < 0) {
		struct jnet_err saved = ctx->err;

		jnet_txn_rollback(ctx, &st->txn, undo_report);
		ctx->err = saved;
	} else {
		jnet_txn_commit(&st->txn);
	}
	if (ctx->be->paired)
		ctx->be->jail_close(ctx->priv, &st->into);
out:
	jnet_txn_commit(&st->txn);
	free(st);
	return r;
}

/* ---------------------------------------------------------------- attach / detach */

struct move_state {
	struct jnet_jail *j;
	struct jnet_txn txn;
	int found;
};

static int
attach_cb(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg)
{
	struct move_state *ms = arg;
	struct undo_move um;

	if (r < 0)
		return not_ours(ctx, r, l);
	ms->found++;
	/* One-ended backends (netgraph) move their only interface: link_move knows how. */
	if (l->where == JNET_WHERE_JAIL)
		return 0;
	r = ctx->be->link_move(ctx->priv, l, ms->j, &ctx->err);
	if (r < 0)
		return r;
	memset(&um, 0, sizeof(um));
	jnet_strlcpy(um.host_if, l->host_if, sizeof(um.host_if));
	return jnet_txn_push(&ms->txn, undo_link_move, &um, sizeof(um), "attach");
}

int
jnet_attach(struct jnet_ctx *ctx, const char *jail, const char *spec)
{
	struct move_state ms;
	struct jnet_jail j;
	int r;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	r = ctx->be->jail_open(ctx->priv, spec ? spec : jail, spec ? JNET_JAIL_SPEC : 0, &j,
	    &ctx->err);
	if (r < 0)
		return r;
	if (!j.exists) {
		r = jnet_err_set(&ctx->err, ENOENT, j.name, "no such jail");
		goto out;
	}
	memset(&ms, 0, sizeof(ms));
	ms.j = &j;
	jnet_txn_init(&ms.txn);
	r = probe_links(ctx, jail, attach_cb, &ms);
	if (r == 0 && ms.found == 0)
		r = jnet_err_set(&ctx->err, ENOENT, "", "jail has no jnet links (run addm first)");
	if (r < 0) {
		struct jnet_err saved = ctx->err;

		jnet_txn_rollback(ctx, &ms.txn, undo_report);
		ctx->err = saved;
	}
	jnet_txn_commit(&ms.txn);
out:
	ctx->be->jail_close(ctx->priv, &j);
	return r;
}

static int
detach_cb(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg)
{
	struct move_state *ms = arg;
	struct undo_move um;

	if (r < 0)
		return not_ours(ctx, r, l);
	ms->found++;
	if (l->where != JNET_WHERE_JAIL)
		return 0;
	memset(&um, 0, sizeof(um));
	jnet_strlcpy(um.host_if, l->host_if, sizeof(um.host_if));
	jnet_strlcpy(um.jail, l->where_jail[0] ? l->where_jail : l->jail, sizeof(um.jail));
	um.back_to_jail = true;
	r = ctx->be->link_move(ctx->priv, l, NULL, &ctx->err);
	if (r < 0)
		return r;
	return jnet_txn_push(&ms->txn, undo_link_move, &um, sizeof(um), "detach");
}

int
jnet_detach(struct jnet_ctx *ctx, const char *jail)
{
	struct move_state ms;
	int r;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	memset(&ms, 0, sizeof(ms));
	jnet_txn_init(&ms.txn);
	r = probe_links(ctx, jail, detach_cb, &ms);
	if (r == 0 && ms.found == 0)
		r = jnet_err_set(&ctx->err, ENOENT, "", "jail has no jnet links");
	if (r < 0) {
		struct jnet_err saved = ctx->err;

		jnet_txn_rollback(ctx, &ms.txn, undo_report);
		ctx->err = saved;
	}
	jnet_txn_commit(&ms.txn);
	return r;
}

/* ---------------------------------------------------------------- destroy */

struct destroy_state {
	struct jnet_err first;   /* first error; teardown goes on past errors */
	int failed;
	struct jnet_link_info v[JNET_MAXLINKS];
	int n;
};

/* Set down and run stop_if (reported only), if the link has stop_if hooks. */
static void
stop_hooks(struct jnet_ctx *ctx, struct jnet_link_info *l)
{
	struct jnet_err he;

	if (!any_hook(ctx, "stop_if", l->host_if, l->jail_if))
		return;
	jnet_err_clear(&he);
	if (ctx->be->link_set_up(ctx->priv, l, false, &he) < 0)
		warn(ctx, &he);
	jnet_err_clear(&he);
	if (run_hooks(ctx, "stop_if", l, &he) < 0)
		warn(ctx, &he); /* reported; the teardown goes on */
}

static int
destroy_link(struct jnet_ctx *ctx, struct jnet_link_info *l)
{
	stop_hooks(ctx, l);
	return ctx->be->link_destroy(ctx->priv, l, &ctx->err);
}

static void
destroy_failed(struct jnet_ctx *ctx, struct destroy_state *ds)
{
	if (ds->failed++ == 0)
		ds->first = ctx->err;
}

static int
destroy_cb(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg)
{
	struct destroy_state *ds = arg;

	if (r < 0) {
		not_ours(ctx, r, l);
		destroy_failed(ctx, ds);
	} else if (ds->n < JNET_MAXLINKS) {
		ds->v[ds->n++] = *l;
	}
	return 0;
}

int
jnet_destroy(struct jnet_ctx *ctx, const char *jail)
{
	struct destroy_state *ds;
	int r;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	ds = calloc(1, sizeof(*ds));
	if (ds == NULL)
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	r = probe_links(ctx, jail, destroy_cb, ds);
	if (r < 0)
		goto out;
	for (int i = 0; i < ds->n; i++)
		stop_hooks(ctx, &ds->v[i]);
	if (ds->n > 1 && ctx->be->link_destroy_many != NULL) {
		/* One kernel teardown for the whole jail, not one per link. */
		if (ctx->be->link_destroy_many(ctx->priv, ds->v, ds->n, &ctx->err) < 0)
			destroy_failed(ctx, ds);
	} else {
		for (int i = 0; i < ds->n; i++)
			if (ctx->be->link_destroy(ctx->priv, &ds->v[i], &ctx->err) < 0)
				destroy_failed(ctx, ds);
	}
	if (ds->failed) {
		ctx->err = ds->first;
		r = -ds->first.code;
	}
out:
	free(ds);
	return r;
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

int
jnet_links(struct jnet_ctx *ctx, const char *jail,
    int (*cb)(const struct jnet_link_info *, void *), void *arg)
{
	struct links_state ls = { cb, arg };
	int r;

	jnet_err_clear(&ctx->err);
	if (jail == NULL)
		return ctx->be->link_list(ctx->priv, cb, arg, &ctx->err);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	return probe_links(ctx, jail, links_cb, &ls);
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

/* True when jail `name` exists and is being removed (only FreeBSD has such jails). */
static bool
jail_dying(struct jnet_ctx *ctx, const char *name)
{
	struct jnet_jail j;
	bool dying;

	if (name[0] == '\0')
		return false;
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	if (ctx->be->jail_open(ctx->priv, name, 0, &j, &ctx->err) < 0) {
		jnet_err_clear(&ctx->err);
		return false; /* cannot tell: keep it */
	}
	dying = j.exists && j.dying;
	ctx->be->jail_close(ctx->priv, &j);
	return dying;
}

int
jnet_gc(struct jnet_ctx *ctx, int (*cb)(const struct jnet_link_info *, void *), void *arg)
{
	struct jnet_link_vec g = { NULL, 0, 0 };
	int r, failed = 0;
	struct jnet_err first;

	jnet_err_clear(&ctx->err);
	jnet_err_clear(&first);
	r = ctx->be->link_list(ctx->priv, jnet_link_vec_push, &g, &ctx->err);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < g.n; i++) {
		struct jnet_link_info *l = &g.v[i];
		struct jnet_jail j;

		/*
		 * Its jail end lives in a jail: keep it, unless that jail is dying (FreeBSD):
		 * it is going away, and destroying the host end frees both ends now instead of
		 * when the kernel finally lets go of the jail, minutes later (iocage #59).
		 */
		if (l->where == JNET_WHERE_JAIL && !jail_dying(ctx, l->where_jail))
			continue;
		if (!l->tagged) {
			/*
			 * Created, not tagged yet: either a crash in that window or an addm
			 * running right now. Look again a moment later before removing it.
			 */
			struct timespec ts = { 1, 0 };
			struct jnet_link_info again;

			nanosleep(&ts, NULL);
			memset(&again, 0, sizeof(again));
			if (ctx->be->link_get(ctx->priv, l->host_if, &again, &ctx->err) < 0 ||
			    again.tagged)
				continue;
		} else {
			memset(&j, 0, sizeof(j));
			j.fd = j.jid = -1;
			if (ctx->be->jail_open(ctx->priv, l->jail, 0, &j, &ctx->err) < 0) {
				jnet_err_clear(&ctx->err);
				continue; /* cannot tell: leave it */
			}
			ctx->be->jail_close(ctx->priv, &j);
			if (j.exists && !j.dying)
				continue;
		}
		if (destroy_link(ctx, l) < 0) {
			if (failed++ == 0)
				first = ctx->err;
			continue;
		}
		if (cb != NULL)
			cb(l, arg);
	}
	if (failed) {
		ctx->err = first;
		r = -first.code;
	}
out:
	free(g.v);
	return r;
}

/* ---------------------------------------------------------------- bridges */

static bool
our_bridge(const struct jnet_ifinfo *i)
{
	return i->is_bridge && ((i->tagged && i->tag.kind == JNET_TAG_BRIDGE) || i->jnet_group);
}

int
jnet_bridge_add(struct jnet_ctx *ctx, const char *name, const char *uplink, const char *owner)
{
	struct jnet_ifinfo i;
	struct jnet_tag tag;
	char tagtext[JNET_TAGSIZ];
	uint8_t mac[6];
	int r;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_ifname_check(name, &ctx->err)) < 0)
		return r;
	if (uplink && (r = jnet_ifname_check(uplink, &ctx->err)) < 0)
		return r;
	r = ctx->be->if_get(ctx->priv, name, &i, &ctx->err);
	if (r == 0) {
		if (our_bridge(&i))
			return 0;
		return jnet_err_set(&ctx->err, EEXIST, name,
		    i.is_bridge ? "exists and is not a jnet bridge" : "exists and is not a bridge");
	}
	if (r != -ENODEV)
		return r;
	if (uplink) {
		r = ctx->be->if_get(ctx->priv, uplink, &i, &ctx->err);
		if (r == -ENODEV)
			return jnet_err_set(&ctx->err, ENODEV, uplink, "no such interface");
		if (r < 0)
			return r;
		if (i.is_bridge)
			return jnet_err_set(&ctx->err, EINVAL, uplink, "is a bridge, not an uplink");
		if (!i.up && (r = ctx->be->if_ensure_up(ctx->priv, uplink, &ctx->err)) < 0)
			return r;
	}
	if ((r = jnet_ctx_salt(ctx)) < 0)
		return r;
	jnet_mac_stable(mac, ctx->salt, name, 0, 'r');
	jnet_tag_bridge(&tag, ctx->be->name, owner);
	jnet_tag_format(tagtext, sizeof(tagtext), &tag);
	r = ctx->be->bridge_create(ctx->priv, name, uplink, mac, tagtext, &ctx->err);
	if (r == -EEXIST) {
		jnet_err_clear(&ctx->err);
		r = ctx->be->if_get(ctx->priv, name, &i, &ctx->err);
		if (r == 0 && !our_bridge(&i))
			r = jnet_err_set(&ctx->err, EEXIST, name, "exists and is not a jnet bridge");
	}
	return r;
}

int
jnet_bridge_del(struct jnet_ctx *ctx, const char *name)
{
	char members[JNET_MAXLINKS][JNET_IFNAMSIZ];
	struct jnet_ifinfo i;
	int r, n;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_ifname_check(name, &ctx->err)) < 0)
		return r;
	r = ctx->be->if_get(ctx->priv, name, &i, &ctx->err);
	if (r == -ENODEV) {
		jnet_err_clear(&ctx->err);
		return 0; /* nothing left: done */
	}
	if (r < 0)
		return r;
	if (!our_bridge(&i))
		return jnet_err_set(&ctx->err, EPERM, name,
		    i.is_bridge ? "not created by jnet; refusing to destroy it" :
		    "not a bridge");
	n = ctx->be->bridge_members(ctx->priv, name, members, JNET_MAXLINKS, &ctx->err);
	if (n < 0)
		return n;
	{
		struct jnet_link_info l, first;
		int links = 0;

		for (int k = 0; k < n && k < JNET_MAXLINKS; k++) {
			memset(&l, 0, sizeof(l));
			r = ctx->be->link_get(ctx->priv, members[k], &l, &ctx->err);
			if (r == 0 && links++ == 0)
				first = l;
			/* Not a link (uplink, foreign) or gone: fine. Cannot tell: do not destroy. */
			if (r < 0 && r != -ENODEV && r != -EPERM)
				return r;
			jnet_err_clear(&ctx->err);
		}
		if (links > 0)
			return jnet_err_set(&ctx->err, EBUSY, name,
			    "still has jail links (%s of jail '%s'%s); destroy them first",
			    first.host_if, first.tagged ? first.jail : "?",
			    links > 1 ? " and more" : "");
	}
	return ctx->be->bridge_destroy(ctx->priv, name, &ctx->err);
}

int
jnet_bridge_list(struct jnet_ctx *ctx, int (*cb)(const struct jnet_ifinfo *, void *), void *arg)
{
	jnet_err_clear(&ctx->err);
	return ctx->be->bridge_list(ctx->priv, cb, arg, &ctx->err);
}
