#include "core.h"
#include "lock.h"
#include "vlan.h"

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

static int
lock_wait(const struct jnet_ctx *ctx)
{
	return ctx->lock_wait_ms > 0 ? ctx->lock_wait_ms : JNET_LOCK_WAIT_MS_DEFAULT;
}

static int
lock_jail(struct jnet_ctx *ctx, const char *jail, int wait_ms)
{
	return jnet_lock(ctx->rundir, "jail", jail, wait_ms, &ctx->err);
}

/* The lock of a jail, and whether the previous command on it died half-way. */
static int
lock_jail_check(struct jnet_ctx *ctx, const char *jail, bool *crashed)
{
	return jnet_lock_check(ctx->rundir, "jail", jail, lock_wait(ctx), crashed, &ctx->err);
}


/* ---------------------------------------------------------------- finding a jail's links */

typedef int (*probe_cb)(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg);

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

static bool
crash_peer_ok(struct jnet_ctx *ctx, const struct jnet_link_info *l, const char *jail, int i)
{
	return jnet_link_peer_ok(ctx, l, jail, i, NULL);
}

/* What a probe learnt besides the links it reported. */
struct probe_out {
	bool seen[JNET_MAXLINKS];   /* index found (by name or by the dump) */
	int hi;                     /* size of the set, from the tags' n= */
};

struct probe {
	struct jnet_ctx *ctx;
	const char *jail;
	probe_cb cb;
	void *arg;
	struct probe_out out;
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
static int
probe_links_how(struct jnet_ctx *ctx, const char *jail, probe_cb cb, void *arg,
    struct probe_out *out, bool thorough, bool list)
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
		if (r == 0 && !l.tagged && !crash_peer_ok(ctx, &l, jail, i)) {
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

static int
probe_links(struct jnet_ctx *ctx, const char *jail, probe_cb cb, void *arg,
    struct probe_out *out)
{
	return probe_links_how(ctx, jail, cb, arg, out, true, false);
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
static int destroy_link(struct jnet_ctx *ctx, struct jnet_link_info *l);

/* ---------------------------------------------------------------- undo steps */

struct undo_link {
	char host_if[JNET_IFNAMSIZ];
	char jail[JNET_JAILNAMSIZ];
	int index;
	bool stop_hooks; /* start_if ran: run stop_if before destroying */
};

/* A link this command made, renamed since (by a start_if hook): found by its tag. */
struct find_tagged {
	const char *jail;
	int index;
	struct jnet_link_info found;
	bool hit;
};

static int
find_tagged_cb(const struct jnet_link_info *l, void *arg)
{
	struct find_tagged *f = arg;

	if (!l->tagged || l->index != f->index || strcmp(l->jail, f->jail) != 0)
		return 0;
	f->found = *l;
	f->hit = true;
	return 1;
}

static int
undo_link_create(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct undo_link *u = data;
	struct jnet_link_info l;
	int r;

	memset(&l, 0, sizeof(l));
	r = ctx->be->link_get(ctx->priv, u->host_if, &l, e);
	if (r == -ENODEV && u->jail[0] != '\0') {
		struct find_tagged f = { .jail = u->jail, .index = u->index };

		jnet_err_clear(e);
		if ((r = ctx->be->link_list(ctx->priv, find_tagged_cb, &f, e)) < 0)
			return r;
		if (!f.hit)
			return 0;
		l = f.found;
		return ctx->be->link_destroy(ctx->priv, &l, e);
	}
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

/* An uplink jnet brought up goes down again (it was down before). */
static int
undo_uplink_up(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	if (ctx->be->if_set_up == NULL)
		return 0;
	return ctx->be->if_set_up(ctx->priv, (const char *)data, false, e);
}

struct undo_master {
	char host_if[JNET_IFNAMSIZ];
	char bridge[JNET_IFNAMSIZ];
};

static int
undo_master(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct undo_master *u = data;

	return ctx->be->if_set_master(ctx->priv, u->host_if, u->bridge, e);
}

struct undo_mtu {
	char host_if[JNET_IFNAMSIZ];
	unsigned mtu;
};

static int
undo_mtu(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct undo_mtu *u = data;
	struct jnet_link_info l;
	int r;

	memset(&l, 0, sizeof(l));
	if ((r = ctx->be->link_get(ctx->priv, u->host_if, &l, e)) < 0)
		return r == -ENODEV ? 0 : r;
	return ctx->be->link_set_mtu(ctx->priv, &l, u->mtu, e);
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
		return ctx->be->link_move(ctx->priv, &l, NULL, NULL, e);
	memset(&j, 0, sizeof(j));
	r = ctx->be->jail_open(ctx->priv, u->jail, u->jail_flags, &j, e);
	if (r < 0)
		return r;
	r = j.exists ? ctx->be->link_move(ctx->priv, &l, &j, NULL, e) : 0;
	ctx->be->jail_close(ctx->priv, &j);
	return r;
}

static int
push_move_undo(struct jnet_txn *txn, const char *host_if, const char *jail, unsigned flags,
    bool back_to_jail, const char *what)
{
	struct undo_move um;

	memset(&um, 0, sizeof(um));
	jnet_strlcpy(um.host_if, host_if, sizeof(um.host_if));
	if (jail != NULL)
		jnet_strlcpy(um.jail, jail, sizeof(um.jail));
	um.jail_flags = flags;
	um.back_to_jail = back_to_jail;
	return jnet_txn_push(txn, undo_link_move, &um, sizeof(um), what);
}

/* ---------------------------------------------------------------- addm */

struct addm_state {
	const char *jail;
	const struct jnet_addm_opts *opts;
	int nargs;
	struct jnet_jail into;
	unsigned into_flags;
	struct jnet_txn txn;
	int64_t now;
	char counted[JNET_MAXLINKS][JNET_IFNAMSIZ]; /* jib MAC counter per uplink */
	unsigned counts[JNET_MAXLINKS];
	int ncounted;
	int old_count[JNET_MAXLINKS];               /* n= of links that existed, -1: new */
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

/* The bridge an addm argument names, what addm may do with it, and its MTU. */
struct bridge_choice {
	char name[JNET_IFNAMSIZ];
	unsigned mtu;
	bool ours;                  /* made by jnet (its MTU is pinned) */
	struct jnet_ifinfo iface;   /* the argument's interface (uplink or bridge) */
};

/* Is bridge `br` (which exists) one jnet may add ports to for uplink `uplink`? */
static int
bridge_usable(struct jnet_ctx *ctx, const struct jnet_ifinfo *br, const struct jnet_ifinfo *up)
{
	if (!br->is_bridge)
		return jnet_err_set(&ctx->err, EEXIST, br->name, "exists and is not a bridge");
	if (jnet_ownership(br->tagtext, br->jnet_group, br->name, JNET_TAG_BRIDGE, br->name,
	    NULL) != JNET_OWN_NONE)
		return 0;
	/* A bridge jnet did not make: only jib's own layout (the uplink is its port). */
	if (strcmp(up->master, br->name) == 0)
		return 0;
	return jnet_err_set(&ctx->err, EEXIST, br->name,
	    "exists, was not made by jnet and does not hold %s; refusing to use it "
	    "(name the bridge itself to join it, or choose another suffix with -b)", up->name);
}

static int resolve_uplink_bridge(struct jnet_ctx *ctx, struct addm_state *st,
    const char *iface, struct bridge_choice *bc);

/* The name of the bridge jnet makes for uplink `iface`: IFACE + suffix (jib's). */
static int
uplink_bridge_name(struct jnet_ctx *ctx, const struct addm_state *st, const char *iface,
    struct bridge_choice *bc)
{
	const char *suffix = st->opts && st->opts->bridge_suffix ? st->opts->bridge_suffix : "bridge";

	if (snprintf(bc->name, sizeof(bc->name), "%s%s", iface, suffix) >= JNET_IFNAMSIZ)
		return jnet_err_set(&ctx->err, ENAMETOOLONG, iface,
		    "bridge name '%s%s' would be longer than %d characters; choose a shorter suffix with -b",
		    iface, suffix, JNET_IFNAMSIZ - 1);
	return 0;
}

/*
 * A VLAN uplink PARENT:VID: jnet's VLAN interface `vif` is made (if need be) under the
 * lock of its bridge, then it is the bridge's uplink like any other. Made now, it goes
 * again on a rollback unless a bridge kept it (a parallel addm's).
 */
static int
resolve_vlan_bridge(struct jnet_ctx *ctx, struct addm_state *st, const char *spec,
    char vif[JNET_IFNAMSIZ], struct bridge_choice *bc)
{
	struct jnet_err ignore;
	bool created;
	int r, lock, vlock;

	if ((r = uplink_bridge_name(ctx, st, vif, bc)) < 0)
		return r;
	if ((lock = jnet_lock(ctx->rundir, "bridge", bc->name, lock_wait(ctx), &ctx->err)) < 0)
		return lock;
	if ((r = vlock = jnet_vlan_lock(ctx, vif)) >= 0) {
		r = jnet_vlan_ensure(ctx, spec, vif, &created);
		jnet_unlock(vlock);
	}
	if (r == 0 && created && (r = jnet_txn_push(&st->txn, jnet_vlan_undo, vif,
	    strlen(vif) + 1, "VLAN interface create")) < 0)
		jnet_vlan_release(ctx, vif, NULL, &ignore);
	if (r == 0)
		r = ctx->be->if_get(ctx->priv, vif, &bc->iface, &ctx->err);
	if (r == 0 && bc->iface.master[0] != '\0' && strcmp(bc->iface.master, bc->name) != 0)
		r = jnet_err_set(&ctx->err, EBUSY, vif, "already a port of %s; refusing to take it",
		    bc->iface.master);
	if (r == 0)
		r = resolve_uplink_bridge(ctx, st, vif, bc);
	jnet_unlock(lock);
	return r;
}

/* Find (or create, recording the undo) the bridge for an addm argument. */
static int
resolve_bridge(struct jnet_ctx *ctx, struct addm_state *st, const char *iface,
    struct bridge_choice *bc)
{
	struct jnet_ifinfo *ifi = &bc->iface;
	char vif[JNET_IFNAMSIZ];
	int r, lock;

	memset(bc, 0, sizeof(*bc));
	if ((r = jnet_uplink_ifname(iface, vif, &ctx->err)) < 0)
		return r;
	if (r == 1)
		return resolve_vlan_bridge(ctx, st, iface, vif, bc);
	r = ctx->be->if_get(ctx->priv, iface, ifi, &ctx->err);
	if (r == -ENODEV)
		return jnet_err_set(&ctx->err, ENODEV, iface,
		    "no such interface (neither a bridge to join nor an uplink to bridge)");
	if (r < 0)
		return r;
	if (ifi->is_bridge) {
		jnet_strlcpy(bc->name, iface, sizeof(bc->name));
		bc->mtu = ifi->mtu;
		bc->ours = jnet_ownership(ifi->tagtext, ifi->jnet_group, ifi->name,
		    JNET_TAG_BRIDGE, ifi->name, NULL) != JNET_OWN_NONE;
		return 0;
	}
	if (ifi->tagged && ifi->tag.kind == JNET_TAG_LINK)
		return jnet_err_set(&ctx->err, EBUSY, iface,
		    "is an end of link %d of jail '%s', not an uplink; refusing to take it",
		    ifi->tag.index, ifi->tag.name);
	if ((r = uplink_bridge_name(ctx, st, iface, bc)) < 0)
		return r;
	/* An uplink another bridge holds is not ours to take (a hand-made br0, another jail's
	 * host end, another jnet bridge). */
	if (ifi->master[0] != '\0' && strcmp(ifi->master, bc->name) != 0)
		return jnet_err_set(&ctx->err, EBUSY, iface, "already a port of %s; refusing to take it",
		    ifi->master);
	/* Creating, completing or repairing the bridge, one process at a time (other jails'
	 * addm stay parallel but for this step): under this lock an untagged bridge of ours
	 * can only be one whose creator died. */
	if ((lock = jnet_lock(ctx->rundir, "bridge", bc->name, lock_wait(ctx), &ctx->err)) < 0)
		return lock;
	r = resolve_uplink_bridge(ctx, st, iface, bc);
	jnet_unlock(lock);
	return r;
}

/* The rest of resolve_bridge for an uplink, under the bridge's lock. */
static int
resolve_uplink_bridge(struct jnet_ctx *ctx, struct addm_state *st, const char *iface,
    struct bridge_choice *bc)
{
	struct jnet_ifinfo *ifi = &bc->iface, br = { .name = "" };
	char tagtext[JNET_TAGSIZ];
	struct jnet_tag tag;
	uint8_t mac[6];
	int r;

	r = ctx->be->if_get(ctx->priv, bc->name, &br, &ctx->err);
	if (r == 0 && (r = bridge_usable(ctx, &br, ifi)) < 0)
		return r;
	if (r == 0 && !ctx->be->bridges_untagged &&
	    jnet_ownership(br.tagtext, br.jnet_group, br.name, JNET_TAG_BRIDGE, bc->name,
	    NULL) == JNET_OWN_CRASH) {
		/* Ours by its name and group, untagged: a kill inside its creation. Made
		 * anew when nothing but its uplink is on it (its tag, MTU and uplink then
		 * right); otherwise it is in use: leave it as it is. */
		char m[2][JNET_IFNAMSIZ];
		int n = ctx->be->bridge_members(ctx->priv, bc->name, m, 2, &ctx->err);

		if (n < 0)
			return n;
		if (n == 0 || (n == 1 && strcmp(m[0], iface) == 0)) {
			if ((r = ctx->be->bridge_destroy(ctx->priv, bc->name, &ctx->err)) < 0)
				return r;
			br.name[0] = '\0';
			if ((r = ctx->be->if_get(ctx->priv, iface, ifi, &ctx->err)) < 0)
				return r;
		}
	}
	if (r != 0 && r != -ENODEV)
		return r;
	jnet_err_clear(&ctx->err);
	/* Like jib, bring the uplink up; but only if it is down: never toggle it (Bastille
	 * #1201). It goes down again on a rollback, and when a bridge jnet made for it is
	 * deleted. The uplink of a bridge jnet did not make (jib's) is left as it is. A new
	 * bridge first: its tag records the uplink's state before anything changes it. */
	if (!ifi->up && br.name[0] != '\0' &&
	    jnet_ownership(br.tagtext, br.jnet_group, br.name, JNET_TAG_BRIDGE, br.name, NULL) !=
	    JNET_OWN_NONE) {
		if ((r = ctx->be->if_ensure_up(ctx->priv, iface, &ctx->err)) < 0)
			return r;
		if ((r = jnet_txn_push(&st->txn, undo_uplink_up, iface, strlen(iface) + 1,
		    "uplink up")) < 0)
			return r;
	}
	if (br.name[0] != '\0') {
		bc->mtu = br.mtu;
		bc->ours = jnet_ownership(br.tagtext, br.jnet_group, br.name, JNET_TAG_BRIDGE,
		    br.name, NULL) != JNET_OWN_NONE;
		return 0;
	}
	if ((r = jnet_ctx_salt(ctx)) < 0)
		return r;
	jnet_mac_stable(mac, ctx->salt, bc->name, 0, 'r');
	jnet_tag_bridge(&tag, ctx->be->name, "-");
	jnet_strlcpy(tag.uplink, iface, sizeof(tag.uplink));
	tag.uplink_was_down = !ifi->up;
	jnet_tag_format(tagtext, sizeof(tagtext), &tag);
	r = ctx->be->bridge_create(ctx->priv, bc->name, iface, mac, tagtext, &ctx->err);
	if (r == -EEXIST) {
		/* A parallel addm (of another jail) created it first: use it if it is ours. */
		jnet_err_clear(&ctx->err);
		if ((r = ctx->be->if_get(ctx->priv, bc->name, &br, &ctx->err)) < 0)
			return r;
		if ((r = bridge_usable(ctx, &br, ifi)) < 0)
			return r;
		bc->mtu = br.mtu;
		bc->ours = jnet_ownership(br.tagtext, br.jnet_group, br.name, JNET_TAG_BRIDGE,
		    br.name, NULL) != JNET_OWN_NONE;
		return 0;
	}
	if (r < 0)
		return r;
	bc->mtu = ifi->mtu;
	bc->ours = true;
	if ((r = jnet_txn_push(&st->txn, undo_bridge_create, bc->name, strlen(bc->name) + 1,
	    "bridge create")) < 0)
		return r;
	if (!ifi->up) {
		if ((r = ctx->be->if_ensure_up(ctx->priv, iface, &ctx->err)) < 0)
			return r;
		return jnet_txn_push(&st->txn, undo_uplink_up, iface, strlen(iface) + 1,
		    "uplink up");
	}
	return 0;
}

/*
 * The MTU of a new port: its bridge's, so that a new port never lowers a bridge others use
 * (Bastille #523). -M larger than the bridge's is refused while the bridge has ports (it
 * would carry nothing larger); smaller is fine on a bridge jnet made (its MTU is pinned:
 * the port does not lower it) where the kernel lets a port be smaller, else refused too.
 */
static int
link_mtu(struct jnet_ctx *ctx, const struct bridge_choice *bc, unsigned want, unsigned *mtu)
{
	char members[2][JNET_IFNAMSIZ];
	int n;

	*mtu = want ? want : bc->mtu;
	if (want == 0 || bc->mtu == 0 || want == bc->mtu)
		return 0;
	if (want < bc->mtu && bc->ours && ctx->be->port_mtu_below_bridge)
		return 0;
	n = ctx->be->bridge_members(ctx->priv, bc->name, members, 2, &ctx->err);
	if (n < 0)
		return n;
	if (n > 0)
		return jnet_err_set(&ctx->err, EINVAL, bc->name,
		    "MTU %u asked, but the bridge's MTU is %u and it has ports (%s%s); %s",
		    want, bc->mtu, members[0], n > 1 ? ", ..." : "",
		    want > bc->mtu ? "a port cannot be larger than its bridge" :
		    ctx->be->port_mtu_below_bridge ? "a smaller port would lower this bridge (not made by jnet)" :
		    "this kernel gives every port its bridge's MTU");
	return 0;
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
link_tags(struct jnet_ctx *ctx, struct addm_state *st, struct jnet_link_req *req)
{
	struct jnet_tag tag;

	jnet_tag_link(&tag, ctx->be->name, st->jail, req->index, 'a');
	tag.count = st->nargs;
	tag.born = st->now;
	jnet_strlcpy(tag.bridge, req->bridge, sizeof(tag.bridge));
	tag.mtu = req->mtu;
	if (jnet_tag_format(req->host_tag, sizeof(req->host_tag), &tag) < 0)
		return jnet_err_set(&ctx->err, ENAMETOOLONG, req->host_if, "tag too long");
	tag.end = 'b';
	jnet_tag_format(req->jail_tag, sizeof(req->jail_tag), &tag);
	return 0;
}

/* Is the jail end of l in an older instance of its jail (backend.h link_stale)? */
static int
link_stale(struct jnet_ctx *ctx, const struct jnet_link_info *l)
{
	if (ctx->be->link_stale == NULL)
		return l->stale;
	return ctx->be->link_stale(ctx->priv, l, &ctx->err);
}

/* Is the jail end of an existing link somewhere other than where this addm puts it? */
static int
elsewhere(struct jnet_ctx *ctx, struct addm_state *st, const struct jnet_link_info *l)
{
	int r;

	if (!ctx->be->paired || l->where != JNET_WHERE_JAIL)
		return 0;
	if (!st->into.exists)
		return 1; /* in a jail, but this jail does not exist (any more) */
	if (ctx->be->link_in == NULL)
		return link_stale(ctx, l);
	r = ctx->be->link_in(ctx->priv, l, &st->into, &ctx->err);
	return r < 0 ? r : !r;
}

/* The tag a converged link had, for its undo. */
struct undo_tag {
	char host_if[JNET_IFNAMSIZ];
	char text[JNET_TAGSIZ];
};

static int
undo_tag(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct undo_tag *u = data;

	return ctx->be->if_set_tag(ctx->priv, u->host_if, u->text, e);
}

/* A link moved to another bridge or given another MTU says so in its tag (check/repair
 * compare with it). Best effort where the backend cannot rewrite a tag. */
static int
converge_retag(struct jnet_ctx *ctx, struct addm_state *st, const struct jnet_link_info *l,
    unsigned mtu)
{
	struct jnet_ifinfo h;
	struct jnet_tag tag;
	struct undo_tag u;
	char text[JNET_TAGSIZ];
	int r;

	if (ctx->be->if_set_tag == NULL || jnet_link_host_end(ctx, l, &h, &ctx->err) < 0 ||
	    jnet_tag_parse(h.tagtext, &tag) < 0 || tag.kind != JNET_TAG_LINK) {
		jnet_err_clear(&ctx->err);
		return 0;
	}
	jnet_strlcpy(tag.bridge, l->bridge, sizeof(tag.bridge));
	if (mtu != 0)
		tag.mtu = mtu;
	if (jnet_tag_format(text, sizeof(text), &tag) < 0 || strcmp(text, h.tagtext) == 0)
		return 0;
	if ((r = ctx->be->if_set_tag(ctx->priv, l->host_if, text, &ctx->err)) == -ENODEV) {
		jnet_err_clear(&ctx->err); /* an end inside a jail (netgraph): kept as it was */
		return 0;
	}
	if (r < 0)
		return r;
	memset(&u, 0, sizeof(u));
	jnet_strlcpy(u.host_if, l->host_if, sizeof(u.host_if));
	jnet_strlcpy(u.text, h.tagtext, sizeof(u.text));
	return jnet_txn_push(&st->txn, undo_tag, &u, sizeof(u), "retag");
}

/* Bring an existing, complete link to what this addm asks for, recording the undo. */
static int
addm_converge(struct jnet_ctx *ctx, struct addm_state *st, const struct jnet_addm_arg *a,
    struct jnet_link_info *l)
{
	const struct jnet_backend_ops *be = ctx->be;
	struct bridge_choice bc;
	struct jnet_ifinfo h;
	unsigned want = a->mtu ? a->mtu : st->opts ? st->opts->mtu : 0, mtu;
	int r;

	if (a->has_mac && l->jail_mac_known &&
	    memcmp(be->paired ? l->jail_mac : l->host_mac, a->mac, 6) != 0) {
		char have[JNET_MACSTRLEN];

		char asked[JNET_MACSTRLEN];

		jnet_mac_format(be->paired ? l->jail_mac : l->host_mac, have);
		jnet_mac_format(a->mac, asked);
		return jnet_err_set(&ctx->err, EEXIST, be->paired ? l->jail_if : l->host_if,
		    "exists with MAC %s, not the %s asked; a link's MAC is not changed in place: destroy it first",
		    have, asked);
	}
	if ((r = resolve_bridge(ctx, st, a->iface, &bc)) < 0)
		return r;
	/* Its bridge's MTU, or -M where the bridge allows it (its own port counts). */
	if ((r = link_mtu(ctx, &bc, want, &mtu)) < 0)
		return r;
	if (mtu != 0 && be->if_get(ctx->priv, l->host_if, &h, &ctx->err) == 0 && h.mtu != mtu) {
		/* Before a bridge change: a port of another MTU would lower the new bridge. */
		struct undo_mtu uu;

		if (be->link_set_mtu == NULL)
			return jnet_err_set(&ctx->err, EOPNOTSUPP, l->host_if,
			    "has MTU %u, not %u; this backend cannot change it: destroy it first",
			    h.mtu, mtu);
		if ((r = be->link_set_mtu(ctx->priv, l, mtu, &ctx->err)) < 0)
			return r;
		memset(&uu, 0, sizeof(uu));
		jnet_strlcpy(uu.host_if, l->host_if, sizeof(uu.host_if));
		uu.mtu = h.mtu;
		if ((r = jnet_txn_push(&st->txn, undo_mtu, &uu, sizeof(uu), "MTU")) < 0)
			return r;
	}
	if (strcmp(l->bridge, bc.name) != 0) {
		/* Another bridge asked for (or its bridge was deleted and made again). */
		struct undo_master um;

		if (be->if_set_master == NULL)
			return jnet_err_set(&ctx->err, EOPNOTSUPP, l->host_if,
			    "is on bridge '%s', not '%s'; this backend cannot move it: destroy it first",
			    l->bridge, bc.name);
		if ((r = be->if_set_master(ctx->priv, l->host_if, bc.name, &ctx->err)) < 0)
			return r;
		memset(&um, 0, sizeof(um));
		jnet_strlcpy(um.host_if, l->host_if, sizeof(um.host_if));
		jnet_strlcpy(um.bridge, l->bridge, sizeof(um.bridge));
		if (l->bridge[0] != '\0' &&
		    (r = jnet_txn_push(&st->txn, undo_master, &um, sizeof(um), "change bridge")) < 0)
			return r;
		jnet_strlcpy(l->bridge, bc.name, sizeof(l->bridge));
	}
	jnet_err_clear(&ctx->err);
	if ((r = converge_retag(ctx, st, l, mtu)) < 0)
		return r;
	if (be->paired && l->where == JNET_WHERE_HOST && st->into.exists) {
		if ((r = be->link_move(ctx->priv, l, &st->into, NULL, &ctx->err)) < 0)
			return r;
		if ((r = push_move_undo(&st->txn, l->host_if, NULL, 0, false, "move")) < 0)
			return r;
		l->where = JNET_WHERE_JAIL;
		jnet_strlcpy(l->where_jail, st->into.name, sizeof(l->where_jail));
	}
	if (!l->host_up || (l->jail_mac_known && !l->jail_up)) {
		if (any_hook(ctx, "start_if", l->host_if, l->jail_if) &&
		    (r = run_hooks(ctx, "start_if", l, &ctx->err)) < 0)
			return r;
		return be->link_set_up(ctx->priv, l, true, &ctx->err);
	}
	return 0;
}

/* An explicit MAC another link on that bridge already has is refused (like a duplicate
 * address): two ports with one MAC break the bridge's forwarding for both. Costs a look
 * at the bridge's ports, only when a MAC is given. */
static int
mac_taken(struct jnet_ctx *ctx, const char *bridge, const uint8_t mac[6], const char *self)
{
	char (*m)[JNET_IFNAMSIZ] = calloc(1024, JNET_IFNAMSIZ);
	int n, r = 0;

	if (m == NULL)
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	if (ctx->be->mac_holder != NULL)
		/* One lookup by MAC: the holder (if any) is checked below like a listed port. */
		n = ctx->be->mac_holder(ctx->priv, bridge, mac, m[0], &ctx->err);
	else
		n = ctx->be->bridge_members(ctx->priv, bridge, m, 1024, &ctx->err);
	for (int k = 0; k < n && k < 1024 && r == 0; k++) {
		struct jnet_link_info l;

		memset(&l, 0, sizeof(l));
		if (strcmp(m[k], self) == 0 ||
		    ctx->be->link_get(ctx->priv, m[k], &l, &ctx->err) != 0) {
			jnet_err_clear(&ctx->err);
			continue;
		}
		if (memcmp(l.host_mac, mac, 6) == 0 ||
		    (l.jail_mac_known && memcmp(l.jail_mac, mac, 6) == 0))
			r = jnet_err_set(&ctx->err, EEXIST, m[k],
			    "already has that MAC address on bridge %s (link %d of jail '%s')",
			    bridge, l.index, l.jail);
	}
	free(m);
	if (n < 0 && r == 0)
		jnet_err_clear(&ctx->err); /* cannot list its ports: the kernel decides */
	return r;
}

static int
addm_create(struct jnet_ctx *ctx, struct addm_state *st, const struct jnet_addm_arg *a,
    struct jnet_link_req *req)
{
	const struct jnet_backend_ops *be = ctx->be;
	struct bridge_choice bc;
	struct jnet_link_info l;
	struct jnet_ifinfo h;
	struct undo_link ul, *up;
	bool hooks;
	int r;

	if ((r = resolve_bridge(ctx, st, a->iface, &bc)) < 0)
		return r;
	jnet_strlcpy(req->bridge, bc.name, sizeof(req->bridge));
	if ((r = link_mtu(ctx, &bc, a->mtu ? a->mtu : st->opts ? st->opts->mtu : 0,
	    &req->mtu)) < 0)
		return r;
	if ((r = link_macs(ctx, st, a, &bc.iface, req)) < 0)
		return r;
	if (a->has_mac && !(st->opts && st->opts->macs_checked) &&
	    (r = mac_taken(ctx, bc.name, a->mac, req->host_if)) < 0)
		return r;
	if ((r = link_tags(ctx, st, req)) < 0)
		return r;
	req->into = st->into.exists ? &st->into : NULL;
	req->jail_no_ipv6 = st->opts ? st->opts->jail_no_ipv6 : false;
	hooks = any_hook(ctx, "start_if", req->host_if, req->jail_if);
	req->up = !hooks;

	r = be->link_create(ctx->priv, req, &ctx->err);
	if (r == -EEXIST && be->paired && req->into != NULL &&
	    be->if_get(ctx->priv, req->host_if, &h, NULL) == -ENODEV) {
		/* Not our name on the host: the jail holds one of that name. Ours, with its
		 * host end renamed by hand (found by its tag)? Then replace it; else refuse. */
		struct find_tagged f = { .jail = st->jail, .index = req->index };

		jnet_err_clear(&ctx->err);
		if (be->link_list(ctx->priv, find_tagged_cb, &f, &ctx->err) >= 0 && f.hit &&
		    f.found.where == JNET_WHERE_JAIL && strcmp(f.found.jail_if, req->jail_if) == 0 &&
		    be->link_destroy(ctx->priv, &f.found, &ctx->err) == 0)
			r = be->link_create(ctx->priv, req, &ctx->err);
		else
			return jnet_err_set(&ctx->err, EEXIST, req->jail_if,
			    "an interface of that name already exists inside jail '%s'; refusing to touch it",
			    st->into.name);
	}
	if (r < 0)
		return r;
	memset(&ul, 0, sizeof(ul));
	jnet_strlcpy(ul.host_if, req->host_if, sizeof(ul.host_if));
	jnet_strlcpy(ul.jail, st->jail, sizeof(ul.jail));
	ul.index = req->index;
	if ((r = jnet_txn_push(&st->txn, undo_link_create, &ul, sizeof(ul), "create")) < 0)
		return r;
	if (!hooks)
		return 0;
	info_from_req(req, be, &l);
	/* From here on, a rollback runs stop_if for this link too (also for the end whose
	 * start_if ran when the other end's failed). */
	up = jnet_txn_last(&st->txn);
	up->stop_hooks = true;
	if ((r = run_hooks(ctx, "start_if", &l, &ctx->err)) < 0)
		return r;
	/* A hook may have renamed, moved or deleted what it was given. */
	memset(&h, 0, sizeof(h));
	if ((r = be->if_get(ctx->priv, req->host_if, &h, &ctx->err)) == -ENODEV)
		return jnet_err_set(&ctx->err, ENODEV, req->host_if,
		    "no longer on the host after the start_if hooks (renamed, moved or deleted by a hook?)");
	if (r < 0)
		return r;
	return be->link_set_up(ctx->priv, &l, true, &ctx->err);
}

static int
addm_one(struct jnet_ctx *ctx, struct addm_state *st, int i, const struct jnet_addm_arg *a)
{
	const struct jnet_backend_ops *be = ctx->be;
	struct jnet_link_req req;
	struct jnet_link_info l;
	int r;

	memset(&req, 0, sizeof(req));
	req.jail = st->jail;
	req.index = i;
	jnet_link_ifname(ctx, req.host_if, st->jail, i, 'a');
	if (be->paired)
		jnet_link_ifname(ctx, req.jail_if, st->jail, i, 'b');

	memset(&l, 0, sizeof(l));
	st->old_count[i] = -1;
	r = be->link_get(ctx->priv, req.host_if, &l, &ctx->err);
	if (r == 0 && l.tagged && (strcmp(l.jail, st->jail) != 0 || l.index != i))
		r = -EEXIST;
	if (r == 0 && !l.tagged && !crash_peer_ok(ctx, &l, st->jail, i))
		r = -EPERM;
	if (r == -EPERM || r == -EEXIST) {
		jnet_strlcpy(l.host_if, req.host_if, sizeof(l.host_if));
		return not_ours(ctx, r, &l);
	}
	if (r < 0 && r != -ENODEV)
		return r;
	jnet_strlcpy(l.host_if, req.host_if, sizeof(l.host_if));
	if (r == 0) {
		int away = elsewhere(ctx, st, &l);

		if (away < 0)
			return away;
		if (!l.tagged || l.jail_untagged || (be->paired && l.where == JNET_WHERE_GONE) ||
		    away) {
			/*
			 * Replace it: a link a crash left untagged (ours by name and group) or
			 * with an untagged jail end (killed between its two tags), half
			 * of a pair whose jail end went with its jail, or one whose jail end is in
			 * an older instance of the jail (namespace deleted and made again, jail
			 * restarted while the old one dies) or in another jail than asked.
			 */
			stop_hooks(ctx, &l);
			if ((r = be->link_destroy(ctx->priv, &l, &ctx->err)) < 0)
				return r;
			r = -ENODEV;
		}
	}
	if (r == 0) {
		st->old_count[i] = l.count;
		return addm_converge(ctx, st, a, &l);
	}
	jnet_err_clear(&ctx->err);
	return addm_create(ctx, st, a, &req);
}

/* After a command on the jail died half-way: its links tagged for it but not under the name
 * jnet gives them (a FreeBSD pair tagged before its rename) are leftovers; remove them, so
 * that what addm makes is the jail's only set. A listing of the host, after a crash only. */
struct sweep {
	struct jnet_ctx *ctx;
	const char *jail;
	struct jnet_link_vec v;
};

static int
sweep_cb(const struct jnet_link_info *l, void *arg)
{
	struct sweep *sw = arg;
	char want[JNET_IFNAMSIZ];

	if (!l->tagged || strcmp(l->jail, sw->jail) != 0 ||
	    jnet_link_ifname(sw->ctx, want, sw->jail, l->index, 'a') < 0 ||
	    strcmp(want, l->host_if) == 0)
		return 0;
	return jnet_link_vec_push(l, &sw->v);
}

static int
addm_sweep(struct jnet_ctx *ctx, const char *jail)
{
	struct sweep sw = { ctx, jail, { NULL, 0, 0 } };
	int r = ctx->be->link_list(ctx->priv, sweep_cb, &sw, &ctx->err);

	for (size_t i = 0; r == 0 && i < sw.v.n; i++)
		r = destroy_link(ctx, &sw.v.v[i]);
	free(sw.v.v);
	return r;
}

/* Links that existed before this addm learn the set's new size (their n=). */
static int
addm_recount(struct jnet_ctx *ctx, struct addm_state *st)
{
	struct jnet_tag tag;
	char text[JNET_TAGSIZ], ifname[JNET_IFNAMSIZ];
	int r;

	for (int i = 0; i < st->nargs; i++) {
		struct jnet_link_info l;

		if (st->old_count[i] <= 0 || st->old_count[i] >= st->nargs ||
		    ctx->be->if_set_tag == NULL)
			continue;
		jnet_link_ifname(ctx, ifname, st->jail, i, 'a');
		memset(&l, 0, sizeof(l));
		if ((r = ctx->be->link_get(ctx->priv, ifname, &l, &ctx->err)) < 0)
			return r;
		jnet_tag_link(&tag, ctx->be->name, st->jail, i, 'a');
		jnet_link_tag_keep(ctx, &l, &tag);
		tag.count = st->nargs;
		tag.born = l.born;
		jnet_tag_format(text, sizeof(text), &tag);
		if ((r = ctx->be->if_set_tag(ctx->priv, ifname, text, &ctx->err)) < 0)
			return r;
	}
	return 0;
}

int
jnet_addm(struct jnet_ctx *ctx, const char *jail, const struct jnet_addm_arg *args, int nargs,
    const struct jnet_addm_opts *opts)
{
	struct addm_state *st;
	const char *into;
	bool crashed = false;
	int r = 0, lock;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	if (nargs <= 0 || nargs > JNET_MAXLINKS)
		return jnet_err_set(&ctx->err, EINVAL, "", "between 1 and %d interfaces, please",
		    JNET_MAXLINKS);
	if ((lock = lock_jail_check(ctx, jail, &crashed)) < 0)
		return lock;
	if (crashed && (r = addm_sweep(ctx, jail)) < 0) {
		jnet_unlock(lock);
		return r;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		jnet_unlock(lock);
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	}
	st->jail = jail;
	st->opts = opts;
	st->nargs = nargs;
	st->now = ctx->now ? ctx->now : (int64_t)time(NULL);
	jnet_txn_init(&st->txn);
	st->into.fd = -1;
	st->into.jid = -1;
	into = opts && opts->into ? opts->into : NULL;
	if (ctx->be->paired) {
		st->into_flags = into ? JNET_JAIL_SPEC : 0;
		r = ctx->be->jail_open(ctx->priv, into ? into : jail, st->into_flags, &st->into,
		    &ctx->err);
		if (r < 0)
			goto out;
		if (into != NULL && !st->into.exists) {
			/* -J names a jail that must exist now; only NAME may be a jail to come. */
			r = jnet_err_set(&ctx->err, ENOENT, into, "no such jail (-J)");
			goto close;
		}
		if (st->into.dying) {
			r = jnet_err_set(&ctx->err, EBUSY, st->into.name,
			    "jail is being removed; try again when it is gone");
			goto close;
		}
	}
	if (opts != NULL && !jnet_ipconf_empty(opts->ip) &&
	    ((r = jnet_ipconf_check(opts->ip, nargs, &ctx->err)) < 0 ||
	    (!(ctx->be->paired && st->into.exists) &&
	    (r = jnet_err_set(&ctx->err, EINVAL, jail, ctx->be->paired ?
	    "no such jail yet: addresses and routes go inside it (give -a, -g, -r to attach)" :
	    "the %s backend moves the interface at attach: give -a, -g, -r to attach",
	    ctx->be->name)) < 0)))
		goto close;
	for (int i = 0; i < nargs && r == 0; i++)
		r = addm_one(ctx, st, i, &args[i]);
	if (r == 0)
		r = addm_recount(ctx, st);
	if (r == 0 && opts != NULL)
		r = jnet_ipconf_apply(ctx, &st->into, jail, opts->ip);
	if (r < 0) {
		struct jnet_err saved = ctx->err;

		jnet_txn_rollback(ctx, &st->txn, undo_report);
		ctx->err = saved;
	}
close:
	if (ctx->be->paired)
		ctx->be->jail_close(ctx->priv, &st->into);
out:
	jnet_txn_commit(&st->txn);
	free(st);
	jnet_unlock(lock);
	return r;
}

/* ---------------------------------------------------------------- attach / detach */

struct move_state {
	struct jnet_jail *j;        /* attach: the target; detach: where the ends are, or NULL */
	unsigned jflags;
	struct jnet_txn txn;
	int found;
};

/* Rebuild a link whose jail end is in an older instance of its jail (gone with it). */
static int
recreate(struct jnet_ctx *ctx, struct jnet_link_info *l, struct jnet_jail *into,
    struct jnet_txn *txn)
{
	struct jnet_link_req req;
	struct jnet_tag tag;
	struct undo_link ul;
	int r;

	memset(&req, 0, sizeof(req));
	req.jail = l->jail;
	req.index = l->index;
	jnet_link_ifname(ctx, req.host_if, l->jail, l->index, 'a');
	jnet_link_ifname(ctx, req.jail_if, l->jail, l->index, 'b');
	jnet_strlcpy(req.bridge, l->bridge, sizeof(req.bridge));
	memcpy(req.host_mac, l->host_mac, 6);
	memcpy(req.jail_mac, l->jail_mac, 6);
	req.set_mac = l->jail_mac_known;
	if (!l->jail_mac_known && ctx->mac_mode == JNET_MAC_STABLE && jnet_ctx_salt(ctx) == 0) {
		/* The MACs the link had, when they are jnet's stable ones (DHCP leases). */
		jnet_mac_stable(req.host_mac, ctx->salt, l->jail, l->index, 'a');
		jnet_mac_stable(req.jail_mac, ctx->salt, l->jail, l->index, 'b');
		req.set_mac = true;
	}
	jnet_err_clear(&ctx->err);
	jnet_tag_link(&tag, ctx->be->name, l->jail, l->index, 'a');
	jnet_link_tag_keep(ctx, l, &tag);
	tag.count = l->count;
	tag.born = l->born;
	jnet_strlcpy(tag.bridge, l->bridge, sizeof(tag.bridge));
	jnet_tag_format(req.host_tag, sizeof(req.host_tag), &tag);
	tag.end = 'b';
	jnet_tag_format(req.jail_tag, sizeof(req.jail_tag), &tag);
	req.into = into;
	req.up = true;
	if (tag.mtu != 0) {
		req.mtu = tag.mtu; /* the MTU it was given (-M) */
	} else if (l->bridge[0] != '\0') {
		struct jnet_ifinfo br;

		if (ctx->be->if_get(ctx->priv, l->bridge, &br, &ctx->err) == 0)
			req.mtu = br.mtu;
		jnet_err_clear(&ctx->err);
	}
	stop_hooks(ctx, l);
	if ((r = ctx->be->link_destroy(ctx->priv, l, &ctx->err)) < 0)
		return r;
	if ((r = ctx->be->link_create(ctx->priv, &req, &ctx->err)) < 0)
		return r;
	memset(&ul, 0, sizeof(ul));
	jnet_strlcpy(ul.host_if, req.host_if, sizeof(ul.host_if));
	return jnet_txn_push(txn, undo_link_create, &ul, sizeof(ul), "recreate");
}

static int
attach_cb(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg)
{
	struct move_state *ms = arg;

	if (r < 0)
		return not_ours(ctx, r, l);
	ms->found++;
	if (l->where == JNET_WHERE_JAIL) {
		/* One-ended backends (netgraph) report their interface as in the jail. */
		if (ctx->be->link_in == NULL && (r = link_stale(ctx, l)) < 0)
			return r;
		if (ctx->be->link_in == NULL && r == 0)
			/* Already there: up (a kill may have come between the move and the set
			 * up; the backend reads the state first and changes only what differs). */
			return ctx->be->link_set_up(ctx->priv, l, true, &ctx->err);
		r = ctx->be->link_in ? ctx->be->link_in(ctx->priv, l, ms->j, &ctx->err) : 0;
		if (r < 0)
			return r;
		if (r == 1) {
			/* Already there; down if a kill came between the move and the set up. */
			if (l->jail_mac_known && !l->jail_up)
				return ctx->be->link_set_up(ctx->priv, l, true, &ctx->err);
			return 0;
		}
		/* In an older instance of the jail, or in another jail: the end goes where it
		 * is asked to be. A pair whose end is beyond reach is made anew. */
		r = ctx->be->link_move(ctx->priv, l, NULL, NULL, &ctx->err);
		if (r < 0) {
			jnet_err_clear(&ctx->err);
			return recreate(ctx, l, ms->j, &ms->txn);
		}
		/* Home now, maybe under another index: look at it again. */
		if ((r = ctx->be->link_get(ctx->priv, l->host_if, l, &ctx->err)) < 0)
			return r;
	}
	r = ctx->be->link_move(ctx->priv, l, ms->j, NULL, &ctx->err);
	if (r < 0)
		return r;
	return push_move_undo(&ms->txn, l->host_if, NULL, 0, false, "attach");
}

static int
moves_finish(struct jnet_ctx *ctx, struct move_state *ms, const char *jail, int r,
    const char *none)
{
	if (r == 0 && ms->found == 0)
		r = jnet_err_set(&ctx->err, ENOENT, jail, "%s", none);
	if (r < 0) {
		struct jnet_err saved = ctx->err;

		jnet_txn_rollback(ctx, &ms->txn, undo_report);
		ctx->err = saved;
	}
	jnet_txn_commit(&ms->txn);
	return r;
}

int
jnet_attach(struct jnet_ctx *ctx, const char *jail, const char *spec)
{
	return jnet_attach_ip(ctx, jail, spec, NULL);
}

int
jnet_attach_ip(struct jnet_ctx *ctx, const char *jail, const char *spec,
    const struct jnet_ipconf *ip)
{
	struct move_state ms;
	struct jnet_jail j;
	int r, lock;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	if ((lock = lock_jail(ctx, jail, lock_wait(ctx))) < 0)
		return lock;
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	r = ctx->be->jail_open(ctx->priv, spec ? spec : jail, spec ? JNET_JAIL_SPEC : 0, &j,
	    &ctx->err);
	if (r < 0)
		goto out;
	if (!j.exists) {
		r = jnet_err_set(&ctx->err, ENOENT, j.name, "no such jail");
		goto close;
	}
	memset(&ms, 0, sizeof(ms));
	ms.j = &j;
	jnet_txn_init(&ms.txn);
	r = probe_links(ctx, jail, attach_cb, &ms, NULL);
	if (r == 0 && ms.found > 0 && !jnet_ipconf_empty(ip) &&
	    (r = jnet_ipconf_check(ip, ms.found, &ctx->err)) == 0)
		r = jnet_ipconf_apply(ctx, &j, jail, ip);
	r = moves_finish(ctx, &ms, jail, r, "jail has no jnet links (run addm first)");
close:
	ctx->be->jail_close(ctx->priv, &j);
out:
	jnet_unlock(lock);
	return r;
}

static int
detach_cb(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg)
{
	struct move_state *ms = arg;
	const char *back;

	if (r < 0)
		return not_ours(ctx, r, l);
	ms->found++;
	if (l->where != JNET_WHERE_JAIL)
		return 0;
	if (ms->j != NULL && ctx->be->link_in != NULL) {
		/* `detach NAME JAIL` takes back only what is inside JAIL. */
		if ((r = ctx->be->link_in(ctx->priv, l, ms->j, &ctx->err)) < 0)
			return r;
		if (r == 0)
			return 0;
	}
	r = ctx->be->link_move(ctx->priv, l, NULL, ms->j, &ctx->err);
	if (r < 0)
		return r;
	back = ms->j ? ms->j->name : l->where_jail[0] ? l->where_jail : l->jail;
	return push_move_undo(&ms->txn, l->host_if, back, ms->j ? ms->jflags : 0, true, "detach");
}

int
jnet_detach(struct jnet_ctx *ctx, const char *jail, const char *spec)
{
	struct move_state ms;
	struct jnet_jail j;
	int r, lock;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	if ((lock = lock_jail(ctx, jail, lock_wait(ctx))) < 0)
		return lock;
	memset(&ms, 0, sizeof(ms));
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	if (spec != NULL) {
		if ((r = ctx->be->jail_open(ctx->priv, spec, JNET_JAIL_SPEC, &j, &ctx->err)) < 0)
			goto out;
		if (!j.exists) {
			r = jnet_err_set(&ctx->err, ENOENT, spec, "no such jail");
			goto close;
		}
		ms.j = &j;
		ms.jflags = JNET_JAIL_SPEC;
		if (ctx->be->link_in == NULL && strcmp(j.name, jail) != 0) {
			r = jnet_err_set(&ctx->err, EOPNOTSUPP, spec,
			    "the %s backend brings jail ends back from the jail they belong to only (jnet detach %s); an end in another jail comes home when that jail goes",
			    ctx->be->name, jail);
			goto close;
		}
	}
	jnet_txn_init(&ms.txn);
	r = probe_links(ctx, jail, detach_cb, &ms, NULL);
	r = moves_finish(ctx, &ms, jail, r, "jail has no jnet links");
close:
	if (spec != NULL)
		ctx->be->jail_close(ctx->priv, &j);
out:
	jnet_unlock(lock);
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
		/* Our name held by something not ours: left alone, and said. */
		not_ours(ctx, r, l);
		destroy_failed(ctx, ds);
	} else if (ds->n < JNET_MAXLINKS) {
		ds->v[ds->n++] = *l;
	}
	return 0;
}

/*
 * An index of the set that nothing on the host stands for any more: if the jail still
 * holds its jail end (tagged n=, as addm makes them), the host end was moved or renamed out
 * of reach. The jail end is destroyed inside the jail, which takes its peer with it. That
 * acts on the jail's word (its root can forge names and tags), but only inside the jail
 * and on what that jail's end is paired with: nothing of the host or of another jail. A
 * backend that cannot destroy inside a jail says what is left (rc 1).
 */
static int
destroy_check_jail(struct jnet_ctx *ctx, const char *jail, const struct probe_out *po,
    struct destroy_state *ds)
{
	struct jnet_jail j;
	int r;

	if (!ctx->be->paired || ctx->be->jail_if_get == NULL)
		return 0;
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	/* Cannot tell whether the jail holds any of it: fail before removing anything. */
	if ((r = ctx->be->jail_open(ctx->priv, jail, 0, &j, &ctx->err)) < 0)
		return r;
	if (!j.exists) {
		ctx->be->jail_close(ctx->priv, &j);
		return 0;
	}
	for (int i = 0, bound = po->hi; i < bound && i < JNET_MAXLINKS; i++) {
		struct jnet_ifinfo in;
		char name[JNET_IFNAMSIZ];

		if (po->seen[i])
			continue;
		jnet_link_ifname(ctx, name, jail, i, 'b');
		/* Only ends addm made (n=): a lab's point-to-point ends have no host end. */
		if (ctx->be->jail_if_get(ctx->priv, &j, name, &in, &ctx->err) != 0 ||
		    !in.tagged || in.tag.kind != JNET_TAG_LINK || in.tag.index != i ||
		    in.tag.count == 0 || strcmp(in.tag.name, jail) != 0) {
			jnet_err_clear(&ctx->err);
			continue;
		}
		if (in.tag.count > bound)
			bound = in.tag.count;
		if (ctx->be->jail_if_destroy != NULL &&
		    ctx->be->jail_if_destroy(ctx->priv, &j, in.ifindex, name, &ctx->err) == 0)
			continue;
		if (ctx->be->jail_if_destroy == NULL)
			jnet_err_set(&ctx->err, EBUSY, name,
			    "link %d: the jail end is still inside the jail but its host end is not on the host (renamed into another namespace?); remove it there",
			    i);
		destroy_failed(ctx, ds);
	}
	ctx->be->jail_close(ctx->priv, &j);
	return 0;
}

static int
destroy_jail(struct jnet_ctx *ctx, const char *jail, bool thorough)
{
	struct destroy_state *ds;
	struct probe_out po;
	bool crashed = false;
	int r, lock;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	if ((lock = lock_jail_check(ctx, jail, &crashed)) < 0)
		return lock;
	ds = calloc(1, sizeof(*ds));
	if (ds == NULL) {
		jnet_unlock(lock);
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	}
	/* After a command on this jail died half-way, its leftovers may sit under names the
	 * probe does not try (an epair tagged, not renamed yet): list the host then. */
	r = probe_links_how(ctx, jail, destroy_cb, ds, &po, thorough, crashed);
	if (r == 0 && thorough)
		r = destroy_check_jail(ctx, jail, &po, ds);
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
	jnet_unlock(lock);
	return r;
}

int
jnet_destroy(struct jnet_ctx *ctx, const char *jail)
{
	return destroy_jail(ctx, jail, true);
}

int
jnet_destroy_named(struct jnet_ctx *ctx, const char *jail)
{
	return destroy_jail(ctx, jail, false);
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
	return probe_links(ctx, jail, links_cb, &ls, NULL);
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

/*
 * The jail an untagged link (a crash between creating and tagging it) belongs to, when its
 * name proves it: a name that carries the jail's (jib's e<i>a_NAME, jng's ng<i>_NAME) and
 * that jnet would give link i of that jail, exactly. A hashed short name cannot be read
 * back: such a leftover is for `destroy NAME` or `addm NAME`, which know the name.
 */
static bool
crash_owner(struct jnet_ctx *ctx, struct jnet_link_info *l)
{
	const char *p = l->host_if;
	char want[JNET_IFNAMSIZ];
	struct jnet_err e;
	int i = 0;

	if (p[0] == 'e')
		p++;
	else if (p[0] == 'n' && p[1] == 'g')
		p += 2;
	else
		return false;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9' && i < JNET_MAXLINKS)
		i = i * 10 + (*p++ - '0');
	if (*p == 'a')
		p++;
	if (*p++ != '_' || i >= JNET_MAXLINKS || jnet_jail_name_check(p, &e) < 0 ||
	    jnet_link_ifname(ctx, want, p, i, 'a') < 0 || strcmp(want, l->host_if) != 0)
		return false;
	if (!crash_peer_ok(ctx, l, p, i))
		return false;
	jnet_strlcpy(l->jail, p, sizeof(l->jail));
	l->index = i;
	return true;
}

/*
 * Whether gc may remove link l: its jail is gone (or dying), and it is not a link that
 * exec.prestart made for a jail about to be created (never attached, younger than the
 * minimum age). Decided from the host end's tag, never from anything inside a jail.
 */
static bool
gc_orphan(struct jnet_ctx *ctx, struct jnet_link_info *l, int64_t now, int min_age)
{
	struct jnet_jail j;

	if (!l->tagged && !crash_owner(ctx, l))
		return false; /* nothing proves whose it is */
	if (l->where == JNET_WHERE_JAIL && !jail_dying(ctx, l->where_jail))
		return false;
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	if (ctx->be->jail_open(ctx->priv, l->jail, 0, &j, &ctx->err) < 0)
		return false; /* cannot tell: leave it (ctx->err says why: gc fails) */
	ctx->be->jail_close(ctx->priv, &j);
	if (j.exists && !j.dying)
		return false;
	/* Made by exec.prestart, its jail not created yet (a birth "in the future", after the
	 * clock was stepped back, counts as now). */
	if (min_age > 0 && l->where == JNET_WHERE_HOST && l->born > 0 &&
	    (l->born > now ? 0 : now - l->born) < min_age)
		return false;
	return true;
}

int
jnet_gc(struct jnet_ctx *ctx, int (*cb)(const struct jnet_link_info *, void *), void *arg)
{
	struct jnet_link_vec g = { NULL, 0, 0 };
	int64_t now = ctx->now ? ctx->now : (int64_t)time(NULL);
	int min_age = ctx->gc_min_age_s >= 0 ? ctx->gc_min_age_s : JNET_GC_MIN_AGE_DEFAULT;
	int r, failed = 0;
	struct jnet_err first;

	jnet_err_clear(&ctx->err);
	jnet_err_clear(&first);
	r = ctx->be->link_list(ctx->priv, jnet_link_vec_push, &g, &ctx->err);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < g.n; i++) {
		struct jnet_link_info *l = &g.v[i], now_l;
		int lock;

		jnet_err_clear(&ctx->err);
		if (!gc_orphan(ctx, l, now, min_age)) {
			if (ctx->err.code != 0 && failed++ == 0)
				first = ctx->err; /* a kernel call failed: said, the link kept */
			continue;
		}
		/* A command on that jail right now (an addm from exec.prestart): leave it to
		 * it. Then look again under the lock: the link may have changed since. */
		if ((lock = lock_jail(ctx, l->jail, 0)) < 0) {
			jnet_err_clear(&ctx->err);
			continue;
		}
		memset(&now_l, 0, sizeof(now_l));
		jnet_strlcpy(now_l.host_if, l->host_if, sizeof(now_l.host_if));
		if (ctx->be->link_get(ctx->priv, l->host_if, &now_l, &ctx->err) < 0 ||
		    !gc_orphan(ctx, &now_l, now, min_age) || strcmp(now_l.jail, l->jail) != 0) {
			jnet_err_clear(&ctx->err);
			jnet_unlock(lock);
			continue;
		}
		jnet_strlcpy(now_l.host_if, l->host_if, sizeof(now_l.host_if));
		r = destroy_link(ctx, &now_l);
		jnet_unlock(lock);
		if (r < 0) {
			if (failed++ == 0)
				first = ctx->err;
			continue;
		}
		if (cb != NULL)
			cb(&now_l, arg);
	}
	r = 0;
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
our_bridge(const struct jnet_ifinfo *i, struct jnet_tag *tag)
{
	return i->is_bridge && jnet_ownership(i->tagtext, i->jnet_group, i->name,
	    JNET_TAG_BRIDGE, i->name, tag) != JNET_OWN_NONE;
}

/*
 * A bridge of ours that exists: finish what a killed `bridge add` left undone (the tag,
 * the uplink as a port). Never takes an uplink another bridge holds.
 */
static int
bridge_complete(struct jnet_ctx *ctx, const struct jnet_ifinfo *br, const char *uplink,
    const char *owner)
{
	struct jnet_ifinfo up;
	struct jnet_tag tag;
	char text[JNET_TAGSIZ];
	bool was_down = false;
	int r;

	if (uplink != NULL && br->tagged && br->tag.uplink[0] != '\0' &&
	    strcmp(br->tag.uplink, uplink) != 0)
		/* One uplink per bridge: a second would join two networks (two VLANs) and be
		 * left behind when the bridge goes. */
		return jnet_err_set(&ctx->err, EEXIST, br->name,
		    "exists with uplink %s, not %s: one uplink per bridge", br->tag.uplink, uplink);
	if (uplink != NULL) {
		if ((r = ctx->be->if_get(ctx->priv, uplink, &up, &ctx->err)) < 0)
			return r == -ENODEV ? jnet_err_set(&ctx->err, ENODEV, uplink,
			    "no such interface") : r;
		if (up.master[0] != '\0' && strcmp(up.master, br->name) != 0)
			return jnet_err_set(&ctx->err, EBUSY, uplink,
			    "already a port of %s; refusing to take it", up.master);
		was_down = !up.up;
	}
	if (!br->tagged) {
		jnet_tag_bridge(&tag, ctx->be->name, owner);
		if (uplink != NULL) {
			jnet_strlcpy(tag.uplink, uplink, sizeof(tag.uplink));
			tag.uplink_was_down = was_down;
		}
		jnet_tag_format(text, sizeof(text), &tag);
		if (ctx->be->if_set_tag == NULL)
			return jnet_err_set(&ctx->err, EOPNOTSUPP, br->name, "untagged; cannot tag it");
		if ((r = ctx->be->if_set_tag(ctx->priv, br->name, text, &ctx->err)) < 0)
			return r;
	}
	if (uplink == NULL || strcmp(up.master, br->name) == 0)
		return 0;
	if (ctx->be->if_set_master == NULL)
		return jnet_err_set(&ctx->err, EOPNOTSUPP, br->name,
		    "exists without its uplink %s; delete it and add it again", uplink);
	if (was_down && (r = ctx->be->if_ensure_up(ctx->priv, uplink, &ctx->err)) < 0)
		return r;
	return ctx->be->if_set_master(ctx->priv, uplink, br->name, &ctx->err);
}

static int
bridge_add(struct jnet_ctx *ctx, const char *name, const char *uplink, const char *owner)
{
	struct jnet_ifinfo i;
	struct jnet_tag tag;
	char tagtext[JNET_TAGSIZ];
	uint8_t mac[6];
	bool was_down = false;
	int r;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_ifname_check(name, &ctx->err)) < 0)
		return r;
	if (uplink && (r = jnet_ifname_check(uplink, &ctx->err)) < 0)
		return r;
	r = ctx->be->if_get(ctx->priv, name, &i, &ctx->err);
	if (r == 0) {
		if (our_bridge(&i, NULL))
			return bridge_complete(ctx, &i, uplink, owner);
		return jnet_err_set(&ctx->err, EEXIST, name,
		    i.is_bridge ? "exists and is not a jnet bridge" : "exists and is not a bridge");
	}
	if (r != -ENODEV)
		return r;
	jnet_err_clear(&ctx->err);
	if (uplink) {
		r = ctx->be->if_get(ctx->priv, uplink, &i, &ctx->err);
		if (r == -ENODEV)
			return jnet_err_set(&ctx->err, ENODEV, uplink, "no such interface");
		if (r < 0)
			return r;
		if (i.is_bridge)
			return jnet_err_set(&ctx->err, EINVAL, uplink, "is a bridge, not an uplink");
		if (i.master[0] != '\0')
			return jnet_err_set(&ctx->err, EBUSY, uplink,
			    "already a port of %s; refusing to take it", i.master);
		was_down = !i.up;
	}
	if ((r = jnet_ctx_salt(ctx)) < 0)
		return r;
	jnet_mac_stable(mac, ctx->salt, name, 0, 'r');
	jnet_tag_bridge(&tag, ctx->be->name, owner);
	if (uplink) {
		jnet_strlcpy(tag.uplink, uplink, sizeof(tag.uplink));
		tag.uplink_was_down = was_down;
	}
	jnet_tag_format(tagtext, sizeof(tagtext), &tag);
	if (was_down && (r = ctx->be->if_ensure_up(ctx->priv, uplink, &ctx->err)) < 0)
		return r;
	r = ctx->be->bridge_create(ctx->priv, name, uplink, mac, tagtext, &ctx->err);
	if (r == -EEXIST) {
		jnet_err_clear(&ctx->err);
		r = ctx->be->if_get(ctx->priv, name, &i, &ctx->err);
		if (r == 0 && !our_bridge(&i, NULL))
			r = jnet_err_set(&ctx->err, EEXIST, name, "exists and is not a jnet bridge");
	}
	if (r < 0 && was_down && ctx->be->if_set_up != NULL) {
		struct jnet_err ignore;

		ctx->be->if_set_up(ctx->priv, uplink, false, &ignore);
	}
	return r;
}

/* An uplink PARENT:VID is jnet's VLAN interface, made first and gone again when the
 * bridge cannot be made. */
int
jnet_bridge_add(struct jnet_ctx *ctx, const char *name, const char *uplink, const char *owner)
{
	char vif[JNET_IFNAMSIZ];
	struct jnet_err ignore;
	bool created = false;
	int r, lock;

	jnet_err_clear(&ctx->err);
	if (uplink == NULL || strchr(uplink, ':') == NULL)
		return bridge_add(ctx, name, uplink, owner);
	if ((r = jnet_ifname_check(name, &ctx->err)) < 0 ||
	    (r = jnet_uplink_ifname(uplink, vif, &ctx->err)) < 0)
		return r;
	/* Held over the bridge's creation too: parallel runs find it complete. */
	if ((lock = jnet_vlan_lock(ctx, vif)) < 0)
		return lock;
	if ((r = jnet_vlan_ensure(ctx, uplink, vif, &created)) == 0)
		r = bridge_add(ctx, name, vif, owner);
	if (r < 0 && created)
		jnet_vlan_release(ctx, vif, NULL, &ignore);
	jnet_unlock(lock);
	return r;
}

/* Destroy a bridge jnet made (tag read by the caller) and give its uplink back the state it
 * had: no master (the kernel releases it), and down if jnet brought it up. */
static int
bridge_release(struct jnet_ctx *ctx, const char *name, const struct jnet_tag *tag)
{
	char m[2][JNET_IFNAMSIZ] = { "", "" };
	struct jnet_ifinfo up;
	int r;

	/* Bridges that carry no tag (netgraph) say not which member is their uplink. */
	if (tag->uplink[0] == '\0' && ctx->be->bridges_untagged && ctx->be->vlan_destroy &&
	    (r = ctx->be->bridge_members(ctx->priv, name, m, 2, &ctx->err)) < 0 &&
	    r != -ENODEV)
		return r;
	jnet_err_clear(&ctx->err);
	/* Its uplink, if it is a VLAN interface jnet made, goes with it: first, so that a
	 * failure after it leaves the bridge, which the same command run again removes
	 * (the other way round, a VLAN interface nothing names any more would stay). */
	if ((r = jnet_vlan_release(ctx, tag->uplink[0] ? tag->uplink : m[0], name,
	    &ctx->err)) < 0)
		return r;
	if ((r = ctx->be->bridge_destroy(ctx->priv, name, &ctx->err)) < 0)
		return r;
	if (tag->uplink_was_down && ctx->be->if_set_up != NULL &&
	    ctx->be->if_get(ctx->priv, tag->uplink, &up, &ctx->err) == 0 &&
	    up.master[0] == '\0' && up.up)
		return ctx->be->if_set_up(ctx->priv, tag->uplink, false, &ctx->err);
	jnet_err_clear(&ctx->err);
	return 0;
}

int
jnet_bridge_release(struct jnet_ctx *ctx, const char *name)
{
	struct jnet_ifinfo i;
	struct jnet_tag tag;
	int r;

	r = ctx->be->if_get(ctx->priv, name, &i, &ctx->err);
	if (r == -ENODEV) {
		jnet_err_clear(&ctx->err);
		return 0;
	}
	if (r < 0)
		return r;
	/* The caller proved it is ours (a lab's journal for an untagged one): no tag, no
	 * uplink to give back. */
	if (jnet_ownership(i.tagtext, i.jnet_group, i.name, JNET_TAG_BRIDGE, i.name, &tag) ==
	    JNET_OWN_NONE)
		memset(&tag, 0, sizeof(tag));
	return bridge_release(ctx, name, &tag);
}

int
jnet_bridge_del(struct jnet_ctx *ctx, const char *name)
{
	char members[JNET_MAXLINKS][JNET_IFNAMSIZ];
	struct jnet_ifinfo i;
	struct jnet_tag tag;
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
	if (!our_bridge(&i, &tag))
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
			if (r == 0 && l.tagged && links++ == 0)
				first = l;
			/* Not a link (uplink, foreign) or gone: fine. Cannot tell: do not destroy. */
			if (r < 0 && r != -ENODEV && r != -EPERM)
				return r;
			jnet_err_clear(&ctx->err);
		}
		if (links > 0)
			return jnet_err_set(&ctx->err, EBUSY, name,
			    "still has jail links (%s of jail '%s'%s); destroy them first",
			    first.host_if, first.jail, links > 1 ? " and more" : "");
	}
	return bridge_release(ctx, name, &tag);
}

int
jnet_bridge_list(struct jnet_ctx *ctx, int (*cb)(const struct jnet_ifinfo *, void *), void *arg)
{
	jnet_err_clear(&ctx->err);
	return ctx->be->bridge_list(ctx->priv, cb, arg, &ctx->err);
}
