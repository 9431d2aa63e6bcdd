/* lab up, first step: what can be checked before anything is created (lab_preflight). */
#include "lab_run_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* An interface `ifname` that is there (host or jail): is it link `index` of `jail`? */
static int
check_link_end(struct jnet_ctx *ctx, const struct jnet_ifinfo *i, const char *ifname,
    const char *jail, int index, const char *where)
{
	struct jnet_tag t;
	enum jnet_own own = jnet_ownership(i->tagtext, i->jnet_group, i->name, JNET_TAG_LINK,
	    ifname, &t);

	if (own == JNET_OWN_CRASH)
		return 0;
	if (own == JNET_OWN_TAGGED && strcmp(t.name, jail) == 0 && t.index == index &&
	    strcmp(t.backend, ctx->be->name) == 0)
		return 0;
	return jnet_err_set(&ctx->err, EEXIST, ifname,
	    "%s exists and is not link %d of %s (%s): refusing to touch it", where, index, jail,
	    i->tagtext[0] ? i->tagtext : "no jnet tag");
}

/*
 * The lab's explicit MACs on bridge b (one that is there already) against its ports: a
 * port that is not one of the lab's own links must not hold one (the lab file has no two
 * on one bridge: lab_parse.c). One listing per bridge instead of one per link in addm
 * (mac_taken), which made up of N jails on one bridge cost N^2 lookups.
 */
static int
preflight_macs(struct jnet_ctx *ctx, const struct jnet_lab *lab, int b, const char *ifname)
{
	char (*m)[JNET_IFNAMSIZ] = calloc(1024, JNET_IFNAMSIZ), want[JNET_IFNAMSIZ];
	int n, r = 0;

	if (m == NULL)
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	n = ctx->be->bridge_members(ctx->priv, ifname, m, 1024, &ctx->err);
	for (int k = 0; k < n && k < 1024 && r == 0; k++) {
		struct jnet_link_info l;

		memset(&l, 0, sizeof(l));
		if (ctx->be->link_get(ctx->priv, m[k], &l, &ctx->err) != 0) {
			jnet_err_clear(&ctx->err);
			continue; /* not a link */
		}
		for (int j = 0; j < lab->njails && r == 0; j++)
			for (int i = 0; i < lab->jails[j].nbridged && r == 0; i++) {
				const struct jnet_lab_iface *f = &lab->jails[j].ifaces[i];

				/* The port itself (as mac_taken skips the link being made). */
				if (jnet_link_ifname(ctx, want, lab->jails[j].scoped, f->index, 'a') == 0 &&
				    strcmp(want, m[k]) == 0)
					continue;
				if (f->bridge == b && f->has_mac &&
				    (memcmp(l.host_mac, f->mac, 6) == 0 ||
				    (l.jail_mac_known && memcmp(l.jail_mac, f->mac, 6) == 0)))
					r = jnet_err_set(&ctx->err, EEXIST, m[k],
					    "already has the MAC address of jail %s's port on bridge %s (link %d of jail '%s')",
					    lab->jails[j].name, lab->bridges[b].name, l.index, l.jail);
			}
	}
	free(m);
	if (n < 0 && r == 0)
		jnet_err_clear(&ctx->err); /* cannot list its ports: the kernel decides */
	return r < 0 ? lab_fail(ctx, "bridge", lab->bridges[b].name) : 0;
}

/* A VLAN uplink PARENT:VID: the parent exists, and jnet's VLAN interface is absent or
 * jnet's and on no bridge but this one (vlan.c makes or reuses it). */
static int
preflight_vlan(struct jnet_ctx *ctx, const struct jnet_lab *lab,
    const struct jnet_lab_bridge *br, const char *ifname)
{
	char parent[JNET_IFNAMSIZ], vif[JNET_IFNAMSIZ];
	struct jnet_ifinfo i;
	int vid, r;

	if ((r = jnet_vlan_spec(br->uplink, parent, &vid, &ctx->err)) < 0 ||
	    (r = jnet_vlan_ifname(vif, parent, vid, &ctx->err)) < 0)
		return r;
	if ((r = ctx->be->if_get(ctx->priv, parent, &i, &ctx->err)) == -ENODEV)
		return jnet_err_set(&ctx->err, ENODEV, parent,
		    "no such interface (the parent of VLAN %d, the uplink of bridge %s, %s:%u:%u)",
		    vid, br->name, lab->file, br->pos.line, br->pos.col);
	if (r < 0)
		return r;
	if (ctx->be->vlan_create == NULL)
		return jnet_err_set(&ctx->err, EOPNOTSUPP, br->uplink,
		    "the %s backend cannot make VLAN interfaces", ctx->be->name);
	if ((r = ctx->be->if_get(ctx->priv, vif, &i, &ctx->err)) == -ENODEV) {
		jnet_err_clear(&ctx->err);
		return 0;
	}
	if (r < 0)
		return r;
	if (jnet_ownership(i.tagtext, i.jnet_group, i.name, JNET_TAG_VLAN, vif, NULL) ==
	    JNET_OWN_NONE)
		return jnet_err_set(&ctx->err, EEXIST, vif,
		    "exists and was not made by jnet; refusing to use it for VLAN %d of %s", vid,
		    parent);
	if (i.master[0] != '\0' && strcmp(i.master, ifname) != 0)
		return jnet_err_set(&ctx->err, EBUSY, vif,
		    "is already a member of %s (an interface can be on one bridge only)", i.master);
	return 0;
}

static int
preflight_bridge(struct jnet_ctx *ctx, const struct jnet_lab *lab, int b, struct lab_up_state *s)
{
	const struct jnet_lab_bridge *br = &lab->bridges[b];
	char ifname[JNET_IFNAMSIZ];
	struct jnet_ifinfo i;
	struct jnet_tag t;
	int r;

	jnet_lab_bridge_ifname(lab, b, ifname);
	/* The uplink takes a port too. */
	if (ctx->be->max_bridge_ports > 0 &&
	    br->nports + (br->uplink[0] != '\0') > ctx->be->max_bridge_ports)
		return jnet_lab_err(lab, br->pos, &ctx->err, ENOSPC,
		    "bridge %s has %d ports%s; a %s bridge holds at most %d: split it into several bridges",
		    br->name, br->nports + (br->uplink[0] != '\0'),
		    br->uplink[0] ? " with its uplink" : "", ctx->be->name,
		    ctx->be->max_bridge_ports);
	r = ctx->be->if_get(ctx->priv, ifname, &i, &ctx->err);
	if (r == 0) {
		enum jnet_own own = jnet_ownership(i.tagtext, i.jnet_group, i.name,
		    JNET_TAG_BRIDGE, lab_bridge_expect(ctx, lab->name, ifname), &t);

		if (!i.is_bridge || own == JNET_OWN_NONE || (own == JNET_OWN_TAGGED &&
		    (strcmp(t.name, lab->name) != 0 || strcmp(t.backend, ctx->be->name) != 0))) {
			jnet_err_set(&ctx->err, EEXIST, ifname,
			    "exists and is not lab %s's bridge (%s%s): refusing to touch it",
			    lab->name, i.is_bridge ? "" : "not a bridge; ",
			    i.tagtext[0] ? i.tagtext : "no jnet tag");
			return lab_fail(ctx, "bridge", br->name);
		}
		if (own == JNET_OWN_CRASH && ctx->be->if_set_tag == NULL) {
			jnet_err_set(&ctx->err, EEXIST, ifname,
			    "exists untagged, and the %s backend cannot tag it", ctx->be->name);
			return lab_fail(ctx, "bridge", br->name);
		}
		s->bridge_exists[b] = true;
		s->bridge_untagged[b] = own == JNET_OWN_CRASH;
		if ((r = preflight_macs(ctx, lab, b, ifname)) < 0)
			return r;
	} else if (r != -ENODEV) {
		return lab_fail(ctx, "bridge", br->name);
	}
	jnet_err_clear(&ctx->err);
	if (br->uplink[0] == '\0')
		return 0;
	if (strchr(br->uplink, ':') != NULL)
		return preflight_vlan(ctx, lab, br, ifname) < 0 ? lab_fail(ctx, "bridge", br->name) :
		    0;
	r = ctx->be->if_get(ctx->priv, br->uplink, &i, &ctx->err);
	if (r == -ENODEV) {
		jnet_err_set(&ctx->err, ENODEV, br->uplink,
		    "no such interface (the uplink of bridge %s, %s:%u:%u)", br->name, lab->file,
		    br->pos.line, br->pos.col);
		return lab_fail(ctx, "bridge", br->name);
	}
	if (r < 0)
		return lab_fail(ctx, "bridge", br->name);
	if (i.is_bridge || i.tagtext[0] != '\0') {
		jnet_err_set(&ctx->err, EINVAL, br->uplink, "%s, not an uplink",
		    i.is_bridge ? "is a bridge" : "is a jnet interface");
		return lab_fail(ctx, "bridge", br->name);
	}
	if (i.master[0] != '\0' && strcmp(i.master, ifname) != 0) {
		jnet_err_set(&ctx->err, EBUSY, br->uplink,
		    "is already a member of %s (an interface can be on one bridge only)", i.master);
		return lab_fail(ctx, "bridge", br->name);
	}
	return 0;
}

/* Is jail jl there, and the lab's? Anything else with its name stops up. */
static int
preflight_jail(struct jnet_ctx *ctx, const struct jnet_lab *lab, int ji, struct lab_up_state *s)
{
	const struct jnet_lab_jail *jl = &lab->jails[ji];
	char have[JNET_TAGSIZ];
	struct jnet_tag t;
	int r;

	r = ctx->be->lab->jail_tag(ctx->priv, jl->scoped, have, sizeof(have), &ctx->err);
	if (r == -ENOENT) {
		jnet_err_clear(&ctx->err);
		return 0;
	}
	if (r < 0)
		return lab_fail(ctx, "jail", jl->name);
	/* A lab jail is made whole (tagged) before it is named: no crash window, no group. */
	if (jnet_ownership(have, false, jl->scoped, JNET_TAG_JAIL, NULL, &t) != JNET_OWN_TAGGED ||
	    strcmp(t.name, lab->name) != 0 || strcmp(t.backend, ctx->be->name) != 0) {
		jnet_err_set(&ctx->err, EEXIST, jl->scoped,
		    "exists and is not lab %s's jail (%s): refusing to touch it", lab->name,
		    have[0] ? have : "no jnet tag");
		return lab_fail(ctx, "jail", jl->name);
	}
	s->jail_exists[ji] = true;
	return 0;
}

/* The interfaces of jail jl that are there already (host ends; jail ends inside it). */
static int
preflight_ifaces(struct jnet_ctx *ctx, const struct jnet_lab *lab, int ji,
    const struct lab_up_state *s)
{
	const struct jnet_lab_jail *jl = &lab->jails[ji];
	char ifname[JNET_IFNAMSIZ];
	struct jnet_ifinfo i;
	struct jnet_jail j;
	int r = 0;

	if (ctx->be->paired)
		for (int k = 0; r == 0 && k < jl->nbridged; k++) {
			jnet_link_ifname(ctx, ifname, jl->scoped, jl->ifaces[k].index, 'a');
			r = ctx->be->if_get(ctx->priv, ifname, &i, &ctx->err);
			if (r == -ENODEV)
				r = 0;
			else if (r == 0)
				r = check_link_end(ctx, &i, ifname, jl->scoped, jl->ifaces[k].index,
				    "host interface");
		}
	if (r == 0 && s->jail_exists[ji]) {
		if ((r = lab_open_jail(ctx, jl, &j)) < 0)
			return lab_fail(ctx, "jail", jl->name);
		for (int k = 0; r == 0 && k < jl->nifaces; k++) {
			jnet_lab_iface_name(ctx, jl, k, ifname);
			r = ctx->be->lab->jail_if_get(ctx->priv, &j, ifname, &i, &ctx->err);
			if (r == -ENODEV)
				r = 0;
			else if (r == 0)
				r = check_link_end(ctx, &i, ifname, jl->scoped, jl->ifaces[k].index,
				    "interface in the jail");
		}
		ctx->be->jail_close(ctx->priv, &j);
	}
	if (r < 0)
		return lab_fail(ctx, "jail", jl->name);
	jnet_err_clear(&ctx->err);
	return 0;
}

/* Whatever is in the way stops up here, named, with nothing created. */
int
lab_preflight(struct jnet_ctx *ctx, const struct jnet_lab *lab, struct lab_up_state *s)
{
	int r;

	for (int b = 0; b < lab->nbridges; b++)
		if ((r = preflight_bridge(ctx, lab, b, s)) < 0)
			return r;
	for (int i = 0; i < lab->njails; i++)
		if ((r = preflight_jail(ctx, lab, i, s)) < 0)
			return r;
	for (int i = 0; i < lab->njails; i++)
		if ((r = preflight_ifaces(ctx, lab, i, s)) < 0)
			return r;
	return 0;
}
