/* addm: make the links of a jail exist and be complete (idempotent, rolled back on failure). */
#include "core_int.h"
#include "lock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- addm */

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
		return core_link_stale(ctx, l);
	r = ctx->be->link_in(ctx->priv, l, &st->into, &ctx->err);
	return r < 0 ? r : !r;
}

/* A link moved to another bridge or given another MTU says so in its tag (check/repair
 * compare with it). Best effort where the backend cannot rewrite a tag. */
static int
converge_retag(struct jnet_ctx *ctx, struct addm_state *st, const struct jnet_link_info *l,
    unsigned mtu)
{
	struct jnet_ifinfo h;
	struct jnet_tag tag;
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
	return core_undo_tag(&st->txn, l->host_if, h.tagtext);
}

/* The MTU asked for (the bridge's, or -M where the bridge allows it), before a bridge
 * change: a port of another MTU would lower the new bridge. */
static int
converge_mtu(struct jnet_ctx *ctx, struct addm_state *st, const struct jnet_link_info *l,
    unsigned mtu)
{
	const struct jnet_backend_ops *be = ctx->be;
	struct jnet_ifinfo h;
	int r;

	if (mtu == 0 || be->if_get(ctx->priv, l->host_if, &h, &ctx->err) != 0 || h.mtu == mtu)
		return 0;
	if (be->link_set_mtu == NULL)
		return jnet_err_set(&ctx->err, EOPNOTSUPP, l->host_if,
		    "has MTU %u, not %u; this backend cannot change it: destroy it first",
		    h.mtu, mtu);
	if ((r = be->link_set_mtu(ctx->priv, l, mtu, &ctx->err)) < 0)
		return r;
	return core_undo_mtu(&st->txn, l->host_if, h.mtu);
}

/* Another bridge asked for (or its bridge was deleted and made again). */
static int
converge_bridge(struct jnet_ctx *ctx, struct addm_state *st, struct jnet_link_info *l,
    const char *bridge)
{
	int r;

	if (strcmp(l->bridge, bridge) == 0)
		return 0;
	if (ctx->be->if_set_master == NULL)
		return jnet_err_set(&ctx->err, EOPNOTSUPP, l->host_if,
		    "is on bridge '%s', not '%s'; this backend cannot move it: destroy it first",
		    l->bridge, bridge);
	if ((r = ctx->be->if_set_master(ctx->priv, l->host_if, bridge, &ctx->err)) < 0)
		return r;
	if (l->bridge[0] != '\0' && (r = core_undo_master(&st->txn, l->host_if, l->bridge)) < 0)
		return r;
	jnet_strlcpy(l->bridge, bridge, sizeof(l->bridge));
	return 0;
}

/* Repair: bring an existing, complete link to what this addm asks for, recording the
 * undo. */
static int
addm_converge(struct jnet_ctx *ctx, struct addm_state *st, const struct jnet_addm_arg *a,
    struct jnet_link_info *l)
{
	const struct jnet_backend_ops *be = ctx->be;
	struct bridge_choice bc;
	unsigned want = a->mtu ? a->mtu : st->opts ? st->opts->mtu : 0, mtu;
	int r;

	if (a->has_mac && l->jail_mac_known &&
	    memcmp(be->paired ? l->jail_mac : l->host_mac, a->mac, 6) != 0) {
		char have[JNET_MACSTRLEN], asked[JNET_MACSTRLEN];

		jnet_mac_format(be->paired ? l->jail_mac : l->host_mac, have);
		jnet_mac_format(a->mac, asked);
		return jnet_err_set(&ctx->err, EEXIST, be->paired ? l->jail_if : l->host_if,
		    "exists with MAC %s, not the %s asked; a link's MAC is not changed in place: destroy it first",
		    have, asked);
	}
	if ((r = core_resolve_bridge(ctx, st, a->iface, &bc)) < 0)
		return r;
	/* Its bridge's MTU, or -M where the bridge allows it (its own port counts). */
	if ((r = link_mtu(ctx, &bc, want, &mtu)) == 0 &&
	    (r = converge_mtu(ctx, st, l, mtu)) == 0)
		r = converge_bridge(ctx, st, l, bc.name);
	jnet_unlock_shared(bc.lock);
	if (r < 0)
		return r;
	jnet_err_clear(&ctx->err);
	if ((r = converge_retag(ctx, st, l, mtu)) < 0)
		return r;
	if (be->paired && l->where == JNET_WHERE_HOST && st->into.exists) {
		if ((r = be->link_move(ctx->priv, l, &st->into, NULL, &ctx->err)) < 0)
			return r;
		if ((r = core_undo_move(&st->txn, l->host_if, NULL, 0, false, "move")) < 0)
			return r;
		l->where = JNET_WHERE_JAIL;
		jnet_strlcpy(l->where_jail, st->into.name, sizeof(l->where_jail));
	}
	if (!l->host_up || (l->jail_mac_known && !l->jail_up)) {
		if (core_any_hook(ctx, "start_if", l->host_if, l->jail_if) &&
		    (r = core_run_hooks(ctx, "start_if", l, &ctx->err)) < 0)
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

/*
 * link_create found req->jail_if taken inside the jail (not our name on the host): ours,
 * with its host end renamed by hand (found by its tag)? Then replace it; else refuse.
 */
static int
create_over_renamed(struct jnet_ctx *ctx, struct addm_state *st, const struct jnet_link_req *req)
{
	const struct jnet_backend_ops *be = ctx->be;
	struct jnet_link_info f;

	jnet_err_clear(&ctx->err);
	if (core_find_tagged(ctx, st->jail, req->index, &f, &ctx->err) > 0 &&
	    f.where == JNET_WHERE_JAIL && strcmp(f.jail_if, req->jail_if) == 0 &&
	    be->link_destroy(ctx->priv, &f, &ctx->err) == 0)
		return be->link_create(ctx->priv, req, &ctx->err);
	return jnet_err_set(&ctx->err, EEXIST, req->jail_if,
	    "an interface of that name already exists inside jail '%s'; refusing to touch it",
	    st->into.name);
}

/* The request for a new link: bridge, MTU, MACs, tags, where its jail end goes. */
static int
create_req(struct jnet_ctx *ctx, struct addm_state *st, const struct jnet_addm_arg *a,
    struct jnet_link_req *req, struct bridge_choice *bc)
{
	int r;

	if ((r = core_resolve_bridge(ctx, st, a->iface, bc)) < 0)
		return r;
	jnet_strlcpy(req->bridge, bc->name, sizeof(req->bridge));
	if ((r = link_mtu(ctx, bc, a->mtu ? a->mtu : st->opts ? st->opts->mtu : 0,
	    &req->mtu)) < 0)
		return r;
	if ((r = link_macs(ctx, st, a, &bc->iface, req)) < 0)
		return r;
	if (a->has_mac && !(st->opts && st->opts->macs_checked) &&
	    (r = mac_taken(ctx, bc->name, a->mac, req->host_if)) < 0)
		return r;
	if ((r = link_tags(ctx, st, req)) < 0)
		return r;
	req->into = st->into.exists ? &st->into : NULL;
	req->jail_no_ipv6 = st->opts ? st->opts->jail_no_ipv6 : false;
	return 0;
}

/* Create: make link req->index anew, recording the undo, and run its start_if hooks. */
static int
addm_create(struct jnet_ctx *ctx, struct addm_state *st, const struct jnet_addm_arg *a,
    struct jnet_link_req *req)
{
	const struct jnet_backend_ops *be = ctx->be;
	struct bridge_choice bc;
	struct jnet_link_info l;
	struct jnet_ifinfo h;
	bool hooks;
	int r;

	if ((r = create_req(ctx, st, a, req, &bc)) < 0) {
		jnet_unlock_shared(bc.lock);
		return r;
	}
	hooks = core_any_hook(ctx, "start_if", req->host_if, req->jail_if);
	req->up = !hooks;

	r = be->link_create(ctx->priv, req, &ctx->err);
	if (r == -EEXIST && be->paired && req->into != NULL &&
	    be->if_get(ctx->priv, req->host_if, &h, NULL) == -ENODEV)
		r = create_over_renamed(ctx, st, req);
	/* On its bridge (or not made): `bridge del` may come now, and sees the link. */
	jnet_unlock_shared(bc.lock);
	if (r < 0)
		return r;
	/* With hooks, a rollback runs stop_if for this link too (also for the end whose
	 * start_if ran when the other end's failed). */
	if ((r = core_undo_link(&st->txn, req->host_if, st->jail, req->index, hooks,
	    "create")) < 0)
		return r;
	if (!hooks)
		return 0;
	info_from_req(req, be, &l);
	if ((r = core_run_hooks(ctx, "start_if", &l, &ctx->err)) < 0)
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

/*
 * The link that holds the name of link i's host end: 0 and *l when it is this jail's and
 * fit to repair; -ENODEV when there is none (or there was one only fit to be replaced,
 * now destroyed); -errno (ctx->err) when the name is held by something not ours.
 */
static int
addm_find(struct jnet_ctx *ctx, struct addm_state *st, int i, const char *host_if,
    struct jnet_link_info *l)
{
	const struct jnet_backend_ops *be = ctx->be;
	int r, away;

	memset(l, 0, sizeof(*l));
	r = be->link_get(ctx->priv, host_if, l, &ctx->err);
	if (r == 0 && l->tagged && (strcmp(l->jail, st->jail) != 0 || l->index != i))
		r = -EEXIST;
	if (r == 0 && !l->tagged && !core_crash_peer_ok(ctx, l, st->jail, i))
		r = -EPERM;
	jnet_strlcpy(l->host_if, host_if, sizeof(l->host_if));
	if (r == -EPERM || r == -EEXIST)
		return core_not_ours(ctx, r, l);
	if (r < 0)
		return r;
	if ((away = elsewhere(ctx, st, l)) < 0)
		return away;
	if (l->tagged && !l->jail_untagged && !(be->paired && l->where == JNET_WHERE_GONE) &&
	    !away)
		return 0;
	/*
	 * Replace it: a link a crash left untagged (ours by name and group) or with an
	 * untagged jail end (killed between its two tags), half of a pair whose jail end went
	 * with its jail, or one whose jail end is in an older instance of the jail (namespace
	 * deleted and made again, jail restarted while the old one dies) or in another jail
	 * than asked.
	 */
	core_stop_hooks(ctx, l);
	if ((r = be->link_destroy(ctx->priv, l, &ctx->err)) < 0)
		return r;
	return -ENODEV;
}

/* Link i: repaired if it exists, else created. */
static int
addm_one(struct jnet_ctx *ctx, struct addm_state *st, int i, const struct jnet_addm_arg *a)
{
	struct jnet_link_req req;
	struct jnet_link_info l;
	int r;

	memset(&req, 0, sizeof(req));
	req.jail = st->jail;
	req.index = i;
	jnet_link_ifname(ctx, req.host_if, st->jail, i, 'a');
	if (ctx->be->paired)
		jnet_link_ifname(ctx, req.jail_if, st->jail, i, 'b');
	st->old_count[i] = -1;
	r = addm_find(ctx, st, i, req.host_if, &l);
	if (r == 0) {
		st->old_count[i] = l.count;
		return addm_converge(ctx, st, a, &l);
	}
	if (r != -ENODEV)
		return r;
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
		r = core_destroy_link(ctx, &sw.v.v[i]);
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
	if ((lock = core_lock_jail_check(ctx, jail, &crashed)) < 0)
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
	if (r < 0)
		core_txn_abort(ctx, &st->txn);
close:
	if (ctx->be->paired)
		ctx->be->jail_close(ctx->priv, &st->into);
out:
	jnet_txn_commit(&st->txn);
	free(st);
	jnet_unlock(lock);
	return r;
}

