/* bridge add, del, release and list. */
#include "core_int.h"
#include "lock.h"
#include "vlan.h"

#include <errno.h>
#include <string.h>

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

/* Run f on bridge `name` under its lock, held exclusively: an addm joining it (which holds
 * the lock shared from finding the bridge until its link is on it) is done, or finds it
 * gone. */
static int
bridge_locked(struct jnet_ctx *ctx, const char *name,
    int (*f)(struct jnet_ctx *, const char *))
{
	int r, lock;

	if ((lock = jnet_lock(ctx->rundir, "bridge", name, core_lock_wait(ctx), &ctx->err)) < 0)
		return lock;
	r = f(ctx, name);
	jnet_unlock(lock);
	return r;
}

static int
release_locked(struct jnet_ctx *ctx, const char *name)
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
jnet_bridge_release(struct jnet_ctx *ctx, const char *name)
{
	return bridge_locked(ctx, name, release_locked);
}

/* Refused (EBUSY) while a jail link is on it. */
static int
no_links(struct jnet_ctx *ctx, const char *name)
{
	char members[JNET_MAXLINKS][JNET_IFNAMSIZ];
	struct jnet_link_info l, first;
	int r, n, links = 0;

	n = ctx->be->bridge_members(ctx->priv, name, members, JNET_MAXLINKS, &ctx->err);
	if (n < 0)
		return n;
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
	return 0;
}

static int
del_locked(struct jnet_ctx *ctx, const char *name)
{
	struct jnet_ifinfo i;
	struct jnet_tag tag;
	int r;

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
	if ((r = no_links(ctx, name)) < 0)
		return r;
	return bridge_release(ctx, name, &tag);
}

int
jnet_bridge_del(struct jnet_ctx *ctx, const char *name)
{
	int r;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_ifname_check(name, &ctx->err)) < 0)
		return r;
	return bridge_locked(ctx, name, del_locked);
}

int
jnet_bridge_list(struct jnet_ctx *ctx, int (*cb)(const struct jnet_ifinfo *, void *), void *arg)
{
	jnet_err_clear(&ctx->err);
	return ctx->be->bridge_list(ctx->priv, cb, arg, &ctx->err);
}

