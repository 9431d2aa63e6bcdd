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
	if ((lock = jnet_lock(ctx->rundir, "bridge", bc->name, core_lock_wait(ctx), &ctx->err)) < 0)
		return lock;
	if ((r = vlock = jnet_vlan_lock(ctx, vif)) >= 0) {
		r = jnet_vlan_ensure(ctx, spec, vif, &created);
		jnet_unlock(vlock);
	}
	if (r == 0 && created &&
	    (r = jnet_txn_push_str(&st->txn, jnet_vlan_undo, vif, "VLAN interface create")) < 0)
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
int
core_resolve_bridge(struct jnet_ctx *ctx, struct addm_state *st, const char *iface,
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
	if ((lock = jnet_lock(ctx->rundir, "bridge", bc->name, core_lock_wait(ctx), &ctx->err)) < 0)
		return lock;
	r = resolve_uplink_bridge(ctx, st, iface, bc);
	jnet_unlock(lock);
	return r;
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

/*
 * Bridge br, ours by its name and group, untagged: a kill inside its creation. Made anew
 * (destroyed here: br->name emptied, the uplink looked at again) when nothing but its
 * uplink is on it (its tag, MTU and uplink then right); otherwise it is in use: left as it
 * is.
 */
static int
bridge_crash_remake(struct jnet_ctx *ctx, const char *iface, struct bridge_choice *bc,
    struct jnet_ifinfo *br)
{
	char m[2][JNET_IFNAMSIZ];
	int n, r;

	if (ctx->be->bridges_untagged ||
	    jnet_ownership(br->tagtext, br->jnet_group, br->name, JNET_TAG_BRIDGE, bc->name,
	    NULL) != JNET_OWN_CRASH)
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

/* The rest of core_resolve_bridge for an uplink, under the bridge's lock. */
static int
resolve_uplink_bridge(struct jnet_ctx *ctx, struct addm_state *st, const char *iface,
    struct bridge_choice *bc)
{
	struct jnet_ifinfo br = { .name = "" };
	int r;

	r = ctx->be->if_get(ctx->priv, bc->name, &br, &ctx->err);
	if (r == 0 && ((r = bridge_usable(ctx, &br, &bc->iface)) < 0 ||
	    (r = bridge_crash_remake(ctx, iface, bc, &br)) < 0))
		return r;
	if (r != 0 && r != -ENODEV)
		return r;
	jnet_err_clear(&ctx->err);
	if (br.name[0] != '\0') {
		bridge_fill(bc, &br);
		return bc->ours ? uplink_up(ctx, st, iface, &bc->iface) : 0;
	}
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
