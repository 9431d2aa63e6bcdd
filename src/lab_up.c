/* lab up: build (or complete) a lab, and unwind what this up made when a step fails. */
#include "lab_run_int.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"

static void
lab_up_state_free(struct lab_up_state *s)
{
	free(s->bridge_exists);
	free(s->bridge_untagged);
	free(s->bridge_made);
	free(s->jail_exists);
	free(s->jail_made);
	free(s->hostifs.v);
}
static void
tagtext(struct jnet_ctx *ctx, enum jnet_tag_kind kind, const char *owner, char *out, size_t len)
{
	struct jnet_tag t;

	if (kind == JNET_TAG_JAIL)
		jnet_tag_jail(&t, ctx->be->name, owner);
	else
		jnet_tag_bridge(&t, ctx->be->name, owner);
	jnet_tag_format(out, len, &t);
}

static int
up_bridge(struct jnet_ctx *ctx, const struct jnet_lab *lab, int b, struct lab_up_state *s)
{
	const struct jnet_lab_bridge *br = &lab->bridges[b];
	char ifname[JNET_IFNAMSIZ], tag[JNET_TAGSIZ];
	int r;

	jnet_lab_bridge_ifname(lab, b, ifname);
	if (s->bridge_untagged[b]) {
		/* Created by jnet, tag not set yet: an up that was killed in between. */
		tagtext(ctx, JNET_TAG_BRIDGE, lab->name, tag, sizeof(tag));
		if (ctx->be->if_set_tag(ctx->priv, ifname, tag, &ctx->err) < 0)
			return lab_fail(ctx, "bridge", br->name);
		return 0;
	}
	if (s->bridge_exists[b])
		return 0;
	if (lab_journal_add(ctx, lab->name, ifname) < 0)
		return lab_fail(ctx, "bridge", br->name);
	r = jnet_bridge_add(ctx, ifname, br->uplink[0] ? br->uplink : NULL, lab->name);
	if (r < 0)
		return lab_fail(ctx, "bridge", br->name);
	s->bridge_made[b] = true;
	return 0;
}

static int
up_jail(struct jnet_ctx *ctx, const struct jnet_lab *lab, int ji, struct lab_up_state *s)
{
	const struct jnet_lab_jail *jl = &lab->jails[ji];
	char want[JNET_TAGSIZ];
	int r;

	if (s->jail_exists[ji])
		return 0;
	tagtext(ctx, JNET_TAG_JAIL, lab->name, want, sizeof(want));
	r = ctx->be->lab->jail_create(ctx->priv, jl->scoped, want, &ctx->err);
	if (r < 0)
		return lab_fail(ctx, "jail", jl->name);
	s->jail_made[ji] = true;
	/* A new jail: links tagged for its name belong to an earlier one (deleted by hand a
	 * moment ago, its teardown still running); they cannot be completed, only replaced. */
	if (jnet_destroy_named(ctx, jl->scoped) < 0)
		return lab_fail(ctx, "jail", jl->name);
	return 0;
}

static int
up_bridged_links(struct jnet_ctx *ctx, const struct jnet_lab *lab, int ji, struct lab_up_state *s)
{
	const struct jnet_lab_jail *jl = &lab->jails[ji];
	struct jnet_addm_arg args[JNET_MAXLINKS];
	/* Lab jail ends generate no IPv6 addresses themselves: their autoconfiguration
	 * traffic, flooded to every port of a bridge, makes big labs slow down
	 * quadratically. Jails with IPv6 get a link-local address without DAD (up_l3). */
	struct jnet_addm_opts o = { .bridge_suffix = "bridge", .jail_no_ipv6 = true,
		.macs_checked = true }; /* preflight_macs */
	int r;

	if (jl->nbridged == 0)
		return 0;
	memset(args, 0, sizeof(args));
	for (int i = 0; i < jl->nbridged; i++) {
		const struct jnet_lab_iface *f = &jl->ifaces[i];

		jnet_lab_bridge_ifname(lab, f->bridge, args[i].iface);
		args[i].has_mac = f->has_mac;
		memcpy(args[i].mac, f->mac, 6);
		args[i].mtu = f->mtu;
		/* In a jail that was there before, remember the host ends this up makes: a
		 * failure later removes them (a new jail's links go with the jail). */
		if (s->jail_exists[ji] && ctx->be->paired) {
			char h[JNET_IFNAMSIZ];
			struct jnet_ifinfo hi;

			jnet_link_ifname(ctx, h, jl->scoped, f->index, 'a');
			if (ctx->be->if_get(ctx->priv, h, &hi, &ctx->err) == -ENODEV &&
			    lab_names_add(&s->hostifs, h) < 0)
				return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
			jnet_err_clear(&ctx->err);
		}
	}
	r = jnet_addm(ctx, jl->scoped, args, jl->nbridged, &o);
	/* A one-ended backend (netgraph) leaves its interfaces on the host, for jail(8) to
	 * move when it starts the jail; a lab's jail exists already: move them now. */
	if (r == 0 && !ctx->be->paired)
		r = jnet_attach(ctx, jl->scoped, NULL);
	return r < 0 ? lab_fail(ctx, "jail", jl->name) : 0;
}

static int
up_p2p(struct jnet_ctx *ctx, const struct jnet_lab *lab, int k)
{
	const struct jnet_lab_link *lk = &lab->links[k];
	const struct jnet_lab_jail *ja = &lab->jails[lk->jail[0]], *jb = &lab->jails[lk->jail[1]];
	const struct jnet_lab_iface *fa = &ja->ifaces[lk->iface[0]], *fb = &jb->ifaces[lk->iface[1]];
	struct jnet_link_req req;
	struct jnet_jail a, b;
	struct jnet_ifinfo ia, ib;
	struct jnet_tag t;
	char what[80];
	int ra, rb, r;

	if (snprintf(what, sizeof(what), "%s-%s", ja->name, jb->name) < 0)
		what[0] = '\0';
	if ((r = lab_open_jail(ctx, ja, &a)) < 0)
		return lab_fail(ctx, "link", what);
	if ((r = lab_open_jail(ctx, jb, &b)) < 0) {
		ctx->be->jail_close(ctx->priv, &a);
		return lab_fail(ctx, "link", what);
	}
	memset(&req, 0, sizeof(req));
	req.jail = ja->scoped;
	req.index = fa->index;
	jnet_lab_iface_name(ctx, ja, lk->iface[0], req.host_if);
	jnet_lab_iface_name(ctx, jb, lk->iface[1], req.jail_if);
	ra = ctx->be->lab->jail_if_get(ctx->priv, &a, req.host_if, &ia, &ctx->err);
	rb = ctx->be->lab->jail_if_get(ctx->priv, &b, req.jail_if, &ib, &ctx->err);
	if ((ra < 0 && ra != -ENODEV) || (rb < 0 && rb != -ENODEV)) {
		r = ra < 0 && ra != -ENODEV ? ra : rb;
		goto out;
	}
	jnet_err_clear(&ctx->err);
	if (ra == 0 || rb == 0) {
		/* One end exists: the preflight found it the lab's; the pair exists whole (a
		 * veth cannot be half). */
		r = 0;
		goto out;
	}
	if ((r = jnet_ctx_salt(ctx)) < 0)
		goto out;
	req.set_mac = true;
	if (fa->has_mac)
		memcpy(req.host_mac, fa->mac, 6);
	else
		jnet_mac_stable(req.host_mac, ctx->salt, ja->scoped, fa->index, 'b');
	if (fb->has_mac)
		memcpy(req.jail_mac, fb->mac, 6);
	else
		jnet_mac_stable(req.jail_mac, ctx->salt, jb->scoped, fb->index, 'b');
	jnet_tag_link(&t, ctx->be->name, ja->scoped, fa->index, 'b');
	jnet_tag_format(req.host_tag, sizeof(req.host_tag), &t);
	jnet_tag_link(&t, ctx->be->name, jb->scoped, fb->index, 'b');
	jnet_tag_format(req.jail_tag, sizeof(req.jail_tag), &t);
	req.host_into = &a;
	req.into = &b;
	req.up = true;
	req.jail_no_ipv6 = true;
	req.mtu = fa->mtu ? fa->mtu : fb->mtu;
	r = ctx->be->link_create(ctx->priv, &req, &ctx->err);
out:
	ctx->be->jail_close(ctx->priv, &a);
	ctx->be->jail_close(ctx->priv, &b);
	return r < 0 ? lab_fail(ctx, "link", what) : 0;
}

static bool
iface_uses_ipv6(const struct jnet_lab_iface *f)
{
	for (int a = 0; a < f->naddrs; a++)
		if (f->addrs[a].family == AF_INET6)
			return true;
	return false;
}

static int
up_l3(struct jnet_ctx *ctx, const struct jnet_lab_jail *jl)
{
	struct jnet_jail j;
	char ifname[JNET_IFNAMSIZ];
	int r;

	if ((r = lab_open_jail(ctx, jl, &j)) < 0)
		return lab_fail(ctx, "jail", jl->name);
	for (int i = 0; r == 0 && i < jl->nifaces; i++) {
		jnet_lab_iface_name(ctx, jl, i, ifname);
		if (iface_uses_ipv6(&jl->ifaces[i])) {
			/* IPv6 needs a link-local address (a router solicits neighbours from it):
			 * the modified EUI-64 one the kernel would have made, without DAD. */
			struct jnet_ifinfo info;
			uint8_t ll[16] = { 0xfe, 0x80 };

			r = ctx->be->lab->jail_if_get(ctx->priv, &j, ifname, &info, &ctx->err);
			if (r == 0) {
				ll[8] = info.mac[0] ^ 0x02;
				ll[9] = info.mac[1];
				ll[10] = info.mac[2];
				ll[11] = 0xff;
				ll[12] = 0xfe;
				ll[13] = info.mac[3];
				ll[14] = info.mac[4];
				ll[15] = info.mac[5];
				r = ctx->be->lab->addr_add(ctx->priv, &j, ifname, AF_INET6, ll, 64,
				    &ctx->err);
			}
		}
		for (int a = 0; r == 0 && a < jl->ifaces[i].naddrs; a++) {
			const struct jnet_lab_addr *ad = &jl->ifaces[i].addrs[a];

			r = ctx->be->lab->addr_add(ctx->priv, &j, ifname, ad->family, ad->addr,
			    ad->prefix, &ctx->err);
		}
	}
	for (int i = 0; r == 0 && i < jl->nroutes; i++) {
		const struct jnet_lab_route *rt = &jl->routes[i];

		r = ctx->be->lab->route_add(ctx->priv, &j, rt->dst.family, rt->dst.addr,
		    rt->dst.prefix, rt->via.addr, &ctx->err);
		if (r < 0) {
			/* Name the route as the file does, with the kernel's reason. */
			char obj[sizeof(ctx->err.object)];

			if (snprintf(obj, sizeof(obj), "route to %s via %s",
			    rt->is_default ? "default" : rt->dst.text, rt->via.text) < 0)
				obj[0] = '\0';
			jnet_strlcpy(ctx->err.object, obj, sizeof(ctx->err.object));
		}
	}
	if (r == 0 && jl->forwarding)
		r = ctx->be->lab->forwarding(ctx->priv, &j, true, &ctx->err);
	ctx->be->jail_close(ctx->priv, &j);
	return r < 0 ? lab_fail(ctx, "jail", jl->name) : 0;
}

/*
 * Undo what this up created, newest first: the host ends it added to jails that were
 * there before, the jails it created (their links first, in one teardown), the bridges it
 * created. A point-to-point link it made between two jails that were both there before
 * stays (tagged, complete; `down` removes it), as do addresses and routes it added there.
 */
static void
rollback(struct jnet_ctx *ctx, const struct jnet_lab *lab, struct lab_up_state *s)
{
	struct jnet_err saved = ctx->err;
	struct lab_names made = { NULL, 0, 0 };
	char ifname[JNET_IFNAMSIZ];

	for (int i = s->hostifs.n - 1; i >= 0; i--) {
		struct jnet_link_info l;

		memset(&l, 0, sizeof(l));
		if (ctx->be->link_get(ctx->priv, s->hostifs.v[i], &l, &ctx->err) == 0)
			ctx->be->link_destroy(ctx->priv, &l, &ctx->err);
		if (ctx->err.code && ctx->warn)
			ctx->warn(ctx, &ctx->err);
		jnet_err_clear(&ctx->err);
	}
	for (int i = 0; i < lab->njails; i++)
		if (s->jail_made[i] && lab_names_add(&made, lab->jails[i].scoped) < 0)
			break;
	if (made.n > 1)
		qsort(made.v, (size_t)made.n, JNET_JAILNAMSIZ, lab_name_cmp);
	if (made.n > 0) {
		if (ctx->be->lab->link_destroy_jails != NULL)
			ctx->be->lab->link_destroy_jails(ctx->priv, made.v, made.n, &ctx->err);
		else
			for (int i = 0; i < made.n; i++)
				jnet_destroy_named(ctx, made.v[i]);
		if (ctx->err.code && ctx->warn)
			ctx->warn(ctx, &ctx->err);
		jnet_err_clear(&ctx->err);
	}
	for (int i = made.n - 1; i >= 0; i--) {
		if (ctx->be->lab->jail_destroy(ctx->priv, made.v[i], &ctx->err) < 0 && ctx->warn)
			ctx->warn(ctx, &ctx->err);
		jnet_err_clear(&ctx->err);
	}
	free(made.v);
	for (int b = lab->nbridges - 1; b >= 0; b--) {
		if (!s->bridge_made[b])
			continue;
		jnet_lab_bridge_ifname(lab, b, ifname);
		if (jnet_bridge_release(ctx, ifname) < 0 && ctx->warn)
			ctx->warn(ctx, &ctx->err);
		jnet_err_clear(&ctx->err);
	}
	ctx->err = saved;
}

static int
up_locked(struct jnet_ctx *ctx, const struct jnet_lab *lab, jnet_lab_progress p, void *arg,
    struct lab_up_state *s)
{
	int r;

	if ((r = lab_preflight(ctx, lab, s)) < 0)
		return r;
	for (int b = 0; b < lab->nbridges; b++) {
		if ((r = up_bridge(ctx, lab, b, s)) < 0)
			return r;
		lab_progress(p, arg, "bridges", b + 1, lab->nbridges);
	}
	for (int i = 0; i < lab->njails; i++) {
		if ((r = up_jail(ctx, lab, i, s)) < 0)
			return r;
		lab_progress(p, arg, "jails", i + 1, lab->njails);
	}
	for (int i = 0; i < lab->njails; i++) {
		if ((r = up_bridged_links(ctx, lab, i, s)) < 0)
			return r;
		lab_progress(p, arg, "interfaces", i + 1, lab->njails);
	}
	for (int k = 0; k < lab->nlinks; k++) {
		if ((r = up_p2p(ctx, lab, k)) < 0)
			return r;
		lab_progress(p, arg, "links", k + 1, lab->nlinks);
	}
	for (int i = 0; i < lab->njails; i++) {
		if ((r = up_l3(ctx, &lab->jails[i])) < 0)
			return r;
		lab_progress(p, arg, "addresses", i + 1, lab->njails);
	}
	return 0;
}

int
jnet_lab_up(struct jnet_ctx *ctx, const struct jnet_lab *lab, jnet_lab_progress p, void *arg)
{
	struct lab_up_state s;
	int r, lock;

	jnet_err_clear(&ctx->err);
	if ((r = lab_need(ctx)) < 0)
		return r;
	memset(&s, 0, sizeof(s));
	s.bridge_exists = calloc((size_t)lab->nbridges + 1, sizeof(bool));
	s.bridge_untagged = calloc((size_t)lab->nbridges + 1, sizeof(bool));
	s.bridge_made = calloc((size_t)lab->nbridges + 1, sizeof(bool));
	s.jail_exists = calloc((size_t)lab->njails + 1, sizeof(bool));
	s.jail_made = calloc((size_t)lab->njails + 1, sizeof(bool));
	if (s.bridge_exists == NULL || s.bridge_untagged == NULL || s.bridge_made == NULL ||
	    s.jail_exists == NULL || s.jail_made == NULL) {
		lab_up_state_free(&s);
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	}
	/* One command at a time on a lab: a second up waits, then finds it complete. */
	if ((lock = lab_lock(ctx, lab->name)) < 0) {
		lab_up_state_free(&s);
		return lock;
	}
	r = up_locked(ctx, lab, p, arg, &s);
	if (r < 0)
		rollback(ctx, lab, &s);
	jnet_unlock(lock);
	lab_up_state_free(&s);
	return r;
}
