/* The bridge of an addm argument: the bridge named, or the one jnet makes for an uplink
 * (jib's IFACE + suffix; a VLAN uplink PARENT:VID through its VLAN interface). */
#include "core_int.h"
#include "lock.h"
#include "vlan.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

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

/* The steps of joining a bridge made for an uplink (resolve_locked). */
enum bridge_step {
	STEP_JOIN,      /* shared lock: join it as it is, or 1: it needs STEP_MAKE */
	STEP_MAKE,      /* exclusive lock: make, complete or repair it */
	STEP_RECHECK,   /* shared lock again: still there (1: deleted since) */
};

static int resolve_uplink_bridge(struct jnet_ctx *ctx, struct addm_state *st,
    const char *iface, struct bridge_choice *bc, enum bridge_step step);
static void bridge_fill(struct bridge_choice *bc, const struct jnet_ifinfo *br);

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

/* A VLAN uplink PARENT:VID: jnet's VLAN interface `vif` made if need be (under the
 * exclusive lock of its bridge). Made now, it goes again on a rollback unless a bridge kept
 * it (a parallel addm's). */
static int
vlan_make(struct jnet_ctx *ctx, struct addm_state *st, const char *spec, const char *vif)
{
	char out[JNET_IFNAMSIZ];
	struct jnet_err ignore;
	bool created;
	int r, vlock;

	if ((r = vlock = jnet_vlan_lock(ctx, vif)) >= 0) {
		r = jnet_vlan_ensure(ctx, spec, out, &created); /* out: vif again */
		jnet_unlock(vlock);
	}
	if (r == 0 && created &&
	    (r = jnet_txn_push_str(&st->txn, jnet_vlan_undo, vif, "VLAN interface create")) < 0)
		jnet_vlan_release(ctx, vif, NULL, &ignore);
	return r;
}

/* One step of resolve_locked: the uplink (a VLAN one made first), read again but where
 * core_resolve_bridge has just read it, then its bridge. */
static int
uplink_step(struct jnet_ctx *ctx, struct addm_state *st, const char *spec, const char *iface,
    struct bridge_choice *bc, enum bridge_step step)
{
	int r;

	if (spec != NULL && step == STEP_MAKE && (r = vlan_make(ctx, st, spec, iface)) < 0)
		return r;
	if (spec != NULL || step != STEP_JOIN) {
		r = ctx->be->if_get(ctx->priv, iface, &bc->iface, &ctx->err);
		if (r == -ENODEV && spec != NULL && step != STEP_MAKE) {
			jnet_err_clear(&ctx->err);
			return 1; /* jnet's VLAN interface: made in STEP_MAKE */
		}
		if (r == -ENODEV)
			return jnet_err_set(&ctx->err, ENODEV, iface, "no such interface");
		if (r < 0)
			return r;
		if (bc->iface.master[0] != '\0' && strcmp(bc->iface.master, bc->name) != 0)
			return jnet_err_set(&ctx->err, EBUSY, iface,
			    "already a port of %s; refusing to take it", bc->iface.master);
	}
	return resolve_uplink_bridge(ctx, st, iface, bc, step);
}

/*
 * The bridge of uplink `iface` (spec: a VLAN uplink's PARENT:VID, else NULL), found or made,
 * and its lock held shared in bc->lock until the link is on it: `bridge del` (which holds it
 * exclusively) cannot destroy it in between. Made, completed or repaired under the lock
 * held exclusively, one process at a time; then joined under the shared lock if it is still
 * there, else made again (a `bridge del` in between), at most JOIN_MAKES times.
 */
#define JOIN_MAKES 3
static int
resolve_locked(struct jnet_ctx *ctx, struct addm_state *st, const char *spec, const char *iface,
    struct bridge_choice *bc)
{
	enum bridge_step step = STEP_JOIN;
	int r, lock, makes = 0;

	for (;;) {
		lock = step == STEP_MAKE ?
		    jnet_lock(ctx->rundir, "bridge", bc->name, core_lock_wait(ctx), &ctx->err) :
		    jnet_lock_shared(ctx->rundir, "bridge", bc->name, core_lock_wait(ctx), &ctx->err);
		if (lock < 0)
			return lock;
		if (step != STEP_JOIN && ctx->be->if_forget != NULL) {
			/* What this command read of them may have changed while it waited. */
			ctx->be->if_forget(ctx->priv, bc->name);
			ctx->be->if_forget(ctx->priv, iface);
		}
		r = uplink_step(ctx, st, spec, iface, bc, step);
		if (r == 0 && step != STEP_MAKE) {
			bc->lock = lock;
			return 0;
		}
		if (step == STEP_MAKE)
			jnet_unlock(lock);
		else
			jnet_unlock_shared(lock);
		if (r < 0)
			return r;
		if (step == STEP_MAKE)
			step = STEP_RECHECK;
		else if (makes++ < JOIN_MAKES)
			step = STEP_MAKE;
		else
			return jnet_err_set(&ctx->err, EAGAIN, bc->name,
			    "deleted each time it was made for this addm (%d times; a `bridge del` "
			    "in a loop?); try again", JOIN_MAKES);
	}
}

/* Find (or create, recording the undo) the bridge for an addm argument; its lock held
 * shared in bc->lock (to release with jnet_unlock_shared once the link is on it). */
int
core_resolve_bridge(struct jnet_ctx *ctx, struct addm_state *st, const char *iface,
    struct bridge_choice *bc)
{
	struct jnet_ifinfo *ifi = &bc->iface;
	char vif[JNET_IFNAMSIZ];
	int r, lock;

	memset(bc, 0, sizeof(*bc));
	bc->lock = -1;
	if ((r = jnet_uplink_ifname(iface, vif, &ctx->err)) < 0)
		return r;
	if (r == 1)
		return (r = uplink_bridge_name(ctx, st, vif, bc)) < 0 ? r :
		    resolve_locked(ctx, st, iface, vif, bc);
	/* Read under the lock of a bridge of that name, kept if it is one: a bridge named is
	 * joined as it is, and `bridge del` waits (or came first: then it is not there). */
	if ((lock = jnet_lock_shared(ctx->rundir, "bridge", iface, core_lock_wait(ctx),
	    &ctx->err)) < 0)
		return lock;
	r = ctx->be->if_get(ctx->priv, iface, ifi, &ctx->err);
	if (r == 0 && ifi->is_bridge) {
		jnet_strlcpy(bc->name, iface, sizeof(bc->name));
		bridge_fill(bc, ifi);
		bc->lock = lock;
		return 0;
	}
	jnet_unlock_shared(lock);
	if (r == -ENODEV)
		return jnet_err_set(&ctx->err, ENODEV, iface,
		    "no such interface (neither a bridge to join nor an uplink to bridge)");
	if (r < 0)
		return r;
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
	return resolve_locked(ctx, st, NULL, iface, bc);
}

/* What addm may do with existing bridge br: its MTU, and whether it is jnet's. */
static void
bridge_fill(struct bridge_choice *bc, const struct jnet_ifinfo *br)
{
	bc->mtu = br->mtu;
	bc->ours = jnet_ownership(br->tagtext, br->jnet_group, br->name, JNET_TAG_BRIDGE,
	    br->name, NULL) != JNET_OWN_NONE;
}

/*
 * Like jib, bring the uplink up; but only if it is down: never toggle it (Bastille #1201).
 * It goes down again on a rollback, and when a bridge jnet made for it is deleted. The
 * uplink of a bridge jnet did not make (jib's) is left as it is.
 */
static int
uplink_up(struct jnet_ctx *ctx, struct addm_state *st, const char *iface,
    const struct jnet_ifinfo *ifi)
{
	int r;

	if (ifi->up)
		return 0;
	if ((r = ctx->be->if_ensure_up(ctx->priv, iface, &ctx->err)) < 0)
		return r;
	return core_undo_uplink_up(&st->txn, iface);
}

/* Bridge br, ours by its name and group, untagged: a kill inside its creation (creation
 * holds the bridge's lock exclusively, so no creator is still at work). */
static bool
bridge_crashed(const struct jnet_ctx *ctx, const struct jnet_ifinfo *br, const char *name)
{
	return !ctx->be->bridges_untagged && jnet_ownership(br->tagtext, br->jnet_group,
	    br->name, JNET_TAG_BRIDGE, name, NULL) == JNET_OWN_CRASH;
}

/*
 * A crashed bridge (bridge_crashed) is made anew (destroyed here: br->name emptied, the
 * uplink looked at again) when nothing but its uplink is on it (its tag, MTU and uplink
 * then right); otherwise it is in use: left as it is.
 */
static int
bridge_crash_remake(struct jnet_ctx *ctx, const char *iface, struct bridge_choice *bc,
    struct jnet_ifinfo *br)
{
	char m[2][JNET_IFNAMSIZ];
	int n, r;

	if (!bridge_crashed(ctx, br, bc->name))
		return 0;
	if ((n = ctx->be->bridge_members(ctx->priv, bc->name, m, 2, &ctx->err)) < 0)
		return n;
	if (n > 1 || (n == 1 && strcmp(m[0], iface) != 0))
		return 0;
	if ((r = ctx->be->bridge_destroy(ctx->priv, bc->name, &ctx->err)) < 0)
		return r;
	br->name[0] = '\0';
	return ctx->be->if_get(ctx->priv, iface, &bc->iface, &ctx->err);
}

/* Create the bridge for uplink iface, recording the undo; -EEXIST when one of that name
 * exists (made since it was looked for). Its tag records the uplink's state before
 * anything changes it. */
static int
bridge_new(struct jnet_ctx *ctx, struct addm_state *st, const char *iface,
    struct bridge_choice *bc)
{
	struct jnet_ifinfo *ifi = &bc->iface;
	char tagtext[JNET_TAGSIZ];
	struct jnet_tag tag;
	uint8_t mac[6];
	int r;

	if ((r = jnet_ctx_salt(ctx)) < 0)
		return r;
	jnet_mac_stable(mac, ctx->salt, bc->name, 0, 'r');
	jnet_tag_bridge(&tag, ctx->be->name, "-");
	jnet_strlcpy(tag.uplink, iface, sizeof(tag.uplink));
	tag.uplink_was_down = !ifi->up;
	jnet_tag_format(tagtext, sizeof(tagtext), &tag);
	if ((r = ctx->be->bridge_create(ctx->priv, bc->name, iface, mac, tagtext, &ctx->err)) < 0)
		return r;
	bc->mtu = ifi->mtu;
	bc->ours = true;
	if ((r = core_undo_bridge(&st->txn, bc->name)) < 0)
		return r;
	return uplink_up(ctx, st, iface, ifi);
}

/* The rest of core_resolve_bridge for an uplink, under the bridge's lock (held as `step`
 * says): 1 when the bridge must be made or repaired first (STEP_MAKE). */
static int
resolve_uplink_bridge(struct jnet_ctx *ctx, struct addm_state *st, const char *iface,
    struct bridge_choice *bc, enum bridge_step step)
{
	struct jnet_ifinfo br = { .name = "" };
	int r;

	r = ctx->be->if_get(ctx->priv, bc->name, &br, &ctx->err);
	if (r == 0 && (r = bridge_usable(ctx, &br, &bc->iface)) < 0)
		return r;
	if (r == 0 && step == STEP_JOIN && bridge_crashed(ctx, &br, bc->name))
		return 1;
	if (r == 0 && step == STEP_MAKE && (r = bridge_crash_remake(ctx, iface, bc, &br)) < 0)
		return r;
	if (r != 0 && r != -ENODEV)
		return r;
	jnet_err_clear(&ctx->err);
	if (br.name[0] != '\0') {
		/* STEP_RECHECK: still there; what STEP_MAKE found out (the MTU of a bridge it
		 * made: an ng_bridge has none) stays. */
		if (step != STEP_RECHECK)
			bridge_fill(bc, &br);
		return bc->ours ? uplink_up(ctx, st, iface, &bc->iface) : 0;
	}
	if (step != STEP_MAKE)
		return 1;
	if ((r = bridge_new(ctx, st, iface, bc)) != -EEXIST)
		return r;
	/* Made since it was looked for (by a parallel addm of another jail, `bridge add`):
	 * used as found, if it may be. */
	jnet_err_clear(&ctx->err);
	if ((r = ctx->be->if_get(ctx->priv, bc->name, &br, &ctx->err)) < 0 ||
	    (r = bridge_usable(ctx, &br, &bc->iface)) < 0)
		return r;
	bridge_fill(bc, &br);
	return 0;
}
