#include "vlan.h"

#include <errno.h>
#include <string.h>

#include "lock.h"
#include "names.h"
#include "tag.h"

/* Is `i` the VLAN interface jnet made for parent/vid: 1 ours, 0 a killed run's untagged
 * one, -errno (e filled) when it is not ours to use. */
static int
vlan_usable(const struct jnet_ifinfo *i, const char *parent, int vid, struct jnet_err *e)
{
	struct jnet_tag t;

	if (!i->is_vlan || !i->jnet_group)
		/* A tag alone does not make a VLAN interface jnet's: it must be one, in
		 * jnet's group (a forged tag on anything else must not get it bridged, then
		 * destroyed with its peer). */
		return jnet_err_set(e, EEXIST, i->name,
		    "exists and was not made by jnet (not a VLAN interface in jnet's group); "
		    "refusing to use it for VLAN %d of %s", vid, parent);
	switch (jnet_ownership(i->tagtext, i->jnet_group, i->name, JNET_TAG_VLAN, i->name, &t)) {
	case JNET_OWN_TAGGED:
		if (strcmp(t.uplink, parent) != 0 || t.vid != vid)
			return jnet_err_set(e, EEXIST, i->name,
			    "is jnet's VLAN %d of %s, not VLAN %d of %s; refusing to use it", t.vid,
			    t.uplink, vid, parent);
		return 1;
	case JNET_OWN_CRASH:
		return 0;
	default:
		return jnet_err_set(e, EEXIST, i->name,
		    "exists and was not made by jnet; refusing to use it for VLAN %d of %s "
		    "(name it as a plain uplink to bridge it as it is)", vid, parent);
	}
}

int
jnet_vlan_lock(struct jnet_ctx *ctx, const char *vif)
{
	return jnet_lock(ctx->rundir, "vlan", vif, ctx->lock_wait_ms > 0 ? ctx->lock_wait_ms :
	    JNET_LOCK_WAIT_MS_DEFAULT, &ctx->err);
}

int
jnet_vlan_ensure(struct jnet_ctx *ctx, const char *spec, char out[JNET_IFNAMSIZ],
    bool *created)
{
	char parent[JNET_IFNAMSIZ], tagtext[JNET_TAGSIZ];
	struct jnet_ifinfo i;
	struct jnet_tag tag;
	int vid, r;

	*created = false;
	if ((r = jnet_vlan_spec(spec, parent, &vid, &ctx->err)) <= 0)
		return r < 0 ? r : jnet_err_set(&ctx->err, EINVAL, spec, "not a VLAN uplink");
	if ((r = jnet_vlan_ifname(out, parent, vid, &ctx->err)) < 0)
		return r;
	if (ctx->be->vlan_create == NULL || ctx->be->vlan_destroy == NULL)
		return jnet_err_set(&ctx->err, EOPNOTSUPP, spec,
		    "the %s backend cannot make VLAN interfaces", ctx->be->name);
	r = ctx->be->if_get(ctx->priv, out, &i, &ctx->err);
	if (r == 0) {
		if ((r = vlan_usable(&i, parent, vid, &ctx->err)) != 0)
			return r < 0 ? r : 0;
		/* A kill between its creation and its tag: make it anew, unless a bridge
		 * holds it (then it is in use: leave it, untagged, as it is). */
		if (i.master[0] != '\0')
			return jnet_err_set(&ctx->err, EBUSY, out,
			    "untagged VLAN interface on %s; refusing to take it", i.master);
		if ((r = ctx->be->vlan_destroy(ctx->priv, out, &ctx->err)) < 0)
			return r;
	} else if (r != -ENODEV) {
		return r;
	}
	jnet_err_clear(&ctx->err);
	r = ctx->be->if_get(ctx->priv, parent, &i, &ctx->err);
	if (r == -ENODEV)
		return jnet_err_set(&ctx->err, ENODEV, parent,
		    "no such interface (the parent of VLAN %d)", vid);
	if (r < 0)
		return r;
	if (i.is_bridge || i.tagged)
		return jnet_err_set(&ctx->err, EINVAL, parent,
		    "is %s, not an interface to carry VLAN %d", i.is_bridge ? "a bridge" :
		    "a jnet interface", vid);
	jnet_tag_vlan(&tag, ctx->be->name, "-", parent, vid);
	if ((r = jnet_tag_format(tagtext, sizeof(tagtext), &tag)) < 0)
		return jnet_err_set(&ctx->err, -r, out, "VLAN tag too long");
	r = ctx->be->vlan_create(ctx->priv, out, parent, vid, tagtext, &ctx->err);
	if (r == -EEXIST) {
		/* Made meanwhile (a parallel bridge add): use it if it is ours, for this VLAN. */
		jnet_err_clear(&ctx->err);
		if ((r = ctx->be->if_get(ctx->priv, out, &i, &ctx->err)) < 0)
			return r;
		r = vlan_usable(&i, parent, vid, &ctx->err);
		return r == 1 ? 0 : r < 0 ? r : jnet_err_set(&ctx->err, EEXIST, out,
		    "exists untagged (being made by another jnet?); try again");
	}
	if (r < 0)
		return r;
	*created = true;
	return 0;
}

/* PARENTvVID, as jnet_vlan_ifname writes it: an untagged interface is taken for a VLAN
 * interface a killed run left only under such a name. */
static bool
vlan_name_shape(const char *ifname)
{
	const char *v = strrchr(ifname, 'v');
	char parent[JNET_IFNAMSIZ], spec[JNET_IFNAMSIZ];
	int vid;

	if (v == NULL || v == ifname || (size_t)(v - ifname) >= sizeof(parent))
		return false;
	memcpy(spec, ifname, sizeof(spec));
	spec[v - ifname] = ':';
	return jnet_vlan_spec(spec, parent, &vid, NULL) == 1;
}

int
jnet_vlan_release(struct jnet_ctx *ctx, const char *ifname, const char *bridge,
    struct jnet_err *e)
{
	enum jnet_own own;
	struct jnet_ifinfo i;
	int r;

	if (ctx->be->vlan_destroy == NULL || ifname == NULL || ifname[0] == '\0')
		return 0;
	r = ctx->be->if_get(ctx->priv, ifname, &i, e);
	if (r == -ENODEV) {
		jnet_err_clear(e);
		return 0;
	}
	if (r < 0)
		return r;
	if (i.master[0] != '\0' && (bridge == NULL || strcmp(i.master, bridge) != 0))
		return 0;
	own = jnet_ownership(i.tagtext, i.jnet_group, i.name, JNET_TAG_VLAN, i.name, NULL);
	if (own == JNET_OWN_NONE || (own == JNET_OWN_CRASH && !vlan_name_shape(ifname)) ||
	    !i.is_vlan || !i.jnet_group)
		return 0;
	return ctx->be->vlan_destroy(ctx->priv, ifname, e);
}

int
jnet_vlan_undo(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	return jnet_vlan_release(ctx, (const char *)data, NULL, e);
}
