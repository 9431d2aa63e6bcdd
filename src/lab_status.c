/* lab status: compare the kernel with the lab file (struct jnet_lab_status, lab_run.h). */
#include "lab_run_int.h"

#include <sys/socket.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct addr_seen {
	const struct jnet_lab_iface *f;
	bool *seen;
};

static int
addr_seen(const char *ifname, int family, const uint8_t *addr, int prefix, void *arg)
{
	struct addr_seen *s = arg;

	(void)ifname;
	for (int a = 0; a < s->f->naddrs; a++) {
		const struct jnet_lab_addr *w = &s->f->addrs[a];

		if (w->family == family && w->prefix == prefix &&
		    memcmp(w->addr, addr, family == AF_INET ? 4 : 16) == 0)
			s->seen[a] = true;
	}
	return 0;
}

struct route_seen {
	const struct jnet_lab_jail *jl;
	bool *seen;
};

static int
route_seen(int family, const uint8_t *dst, int prefix, const uint8_t *via, void *arg)
{
	struct route_seen *s = arg;
	int len = family == AF_INET ? 4 : 16;

	for (int i = 0; i < s->jl->nroutes; i++) {
		const struct jnet_lab_route *r = &s->jl->routes[i];

		if (r->dst.family == family && r->dst.prefix == prefix &&
		    memcmp(r->dst.addr, dst, (size_t)len) == 0 &&
		    memcmp(r->via.addr, via, (size_t)len) == 0)
			s->seen[i] = true;
	}
	return 0;
}

/* The host end of bridge port f of jail jl: present, up, on its bridge. */
static void
status_host(struct jnet_ctx *ctx, const struct jnet_lab *lab, const struct jnet_lab_jail *jl,
    const struct jnet_lab_iface *f, struct jnet_lab_status_host *h, bool *complete)
{
	char want_br[JNET_IFNAMSIZ];
	struct jnet_ifinfo hi;

	jnet_link_ifname(ctx, h->ifname, jl->scoped, f->index, 'a');
	jnet_lab_bridge_ifname(lab, f->bridge, want_br);
	h->present = ctx->be->paired && ctx->be->if_get(ctx->priv, h->ifname, &hi, &ctx->err) == 0;
	if (h->present) {
		h->up = hi.up;
		jnet_strlcpy(h->bridge, hi.master, sizeof(h->bridge));
		if (!hi.up || strcmp(hi.master, want_br) != 0)
			*complete = false;
	} else if (ctx->be->paired) {
		*complete = false;
	}
	jnet_err_clear(&ctx->err);
}

/* Interface i of jail jl, inside the jail j (NULL when the jail is not there). */
static void
status_iface(struct jnet_ctx *ctx, const struct jnet_lab *lab, const struct jnet_lab_jail *jl,
    int i, struct jnet_jail *j, struct jnet_lab_status_iface *fs, bool *complete)
{
	const struct jnet_lab_iface *f = &jl->ifaces[i];
	struct jnet_ifinfo info;

	jnet_lab_iface_name(ctx, jl, i, fs->ifname);
	if (j != NULL && ctx->be->lab->jail_if_get(ctx->priv, j, fs->ifname, &info, &ctx->err) == 0) {
		struct addr_seen s = { f, fs->addr_present };

		fs->present = true;
		fs->up = info.up;
		memcpy(fs->mac, info.mac, 6);
		if (!info.up)
			*complete = false;
		if (ctx->be->lab->addr_list != NULL)
			ctx->be->lab->addr_list(ctx->priv, j, fs->ifname, addr_seen, &s, &ctx->err);
	}
	if (!fs->present)
		*complete = false;
	for (int a = 0; a < f->naddrs; a++)
		if (!fs->addr_present[a])
			*complete = false;
	if (f->bridge >= 0)
		status_host(ctx, lab, jl, f, &fs->host, complete);
}

static int
status_jail(struct jnet_ctx *ctx, const struct jnet_lab *lab, const struct jnet_lab_jail *jl,
    struct jnet_lab_status_jail *js, bool *complete)
{
	char have[JNET_TAGSIZ];
	struct jnet_tag t;
	struct jnet_jail j;
	bool opened;
	int r;

	js->ifaces = calloc((size_t)jl->nifaces + 1, sizeof(*js->ifaces));
	js->route_present = calloc((size_t)jl->nroutes + 1, sizeof(*js->route_present));
	if (js->ifaces == NULL || js->route_present == NULL)
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	r = ctx->be->lab->jail_tag(ctx->priv, jl->scoped, have, sizeof(have), &ctx->err);
	js->present = r == 0 &&
	    jnet_ownership(have, false, jl->scoped, JNET_TAG_JAIL, NULL, &t) == JNET_OWN_TAGGED &&
	    strcmp(t.name, lab->name) == 0 && strcmp(t.backend, ctx->be->name) == 0;
	if (r == 0 && !js->present) {
		js->foreign = true;
		jnet_strlcpy(js->tag, have, sizeof(js->tag));
	}
	opened = js->present && lab_open_jail(ctx, jl, &j) == 0;
	if (!opened)
		*complete = false;
	for (int i = 0; i < jl->nifaces; i++)
		status_iface(ctx, lab, jl, i, opened ? &j : NULL, &js->ifaces[i], complete);
	if (opened && ctx->be->lab->route_list != NULL && jl->nroutes > 0) {
		struct route_seen s = { jl, js->route_present };

		ctx->be->lab->route_list(ctx->priv, &j, route_seen, &s, &ctx->err);
	}
	for (int i = 0; i < jl->nroutes; i++)
		if (!js->route_present[i])
			*complete = false;
	if (opened)
		ctx->be->jail_close(ctx->priv, &j);
	jnet_err_clear(&ctx->err);
	return 0;
}

static void
status_bridge(struct jnet_ctx *ctx, const struct jnet_lab *lab, int b,
    struct jnet_lab_status_bridge *bs, bool *complete)
{
	enum jnet_own own = JNET_OWN_NONE;
	struct jnet_ifinfo i;
	struct jnet_tag t;

	jnet_lab_bridge_ifname(lab, b, bs->ifname);
	if (ctx->be->if_get(ctx->priv, bs->ifname, &i, &ctx->err) == 0 && i.is_bridge)
		own = jnet_ownership(i.tagtext, i.jnet_group, i.name, JNET_TAG_BRIDGE,
		    lab_bridge_expect(ctx, lab->name, bs->ifname), &t);
	/* Untagged, in jnet's group, named as this lab names it: made by an up killed
	 * before it could tag it. There, but the lab is not complete (up tags it). */
	bs->present = (own == JNET_OWN_TAGGED && strcmp(t.name, lab->name) == 0 &&
	    strcmp(t.backend, ctx->be->name) == 0) || own == JNET_OWN_CRASH;
	bs->untagged = own == JNET_OWN_CRASH;
	if (!bs->present || bs->untagged)
		*complete = false;
}

void
jnet_lab_status_free(struct jnet_lab_status *st)
{
	if (st == NULL)
		return;
	for (int i = 0; st->jails != NULL && i < st->lab->njails; i++) {
		free(st->jails[i].ifaces);
		free(st->jails[i].route_present);
	}
	free(st->jails);
	free(st->bridges);
	free(st);
}

int
jnet_lab_status(struct jnet_ctx *ctx, const struct jnet_lab *lab, struct jnet_lab_status **out)
{
	struct jnet_lab_status *st;
	int r;

	*out = NULL;
	jnet_err_clear(&ctx->err);
	if ((r = lab_need(ctx)) < 0)
		return r;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	st->lab = lab;
	st->backend = ctx->be->name;
	st->complete = true;
	st->bridges = calloc((size_t)lab->nbridges + 1, sizeof(*st->bridges));
	st->jails = calloc((size_t)lab->njails + 1, sizeof(*st->jails));
	if (st->bridges == NULL || st->jails == NULL) {
		jnet_lab_status_free(st);
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	}
	for (int b = 0; b < lab->nbridges; b++)
		status_bridge(ctx, lab, b, &st->bridges[b], &st->complete);
	jnet_err_clear(&ctx->err);
	for (int i = 0; i < lab->njails; i++)
		if ((r = status_jail(ctx, lab, &lab->jails[i], &st->jails[i], &st->complete)) < 0) {
			jnet_lab_status_free(st);
			return r;
		}
	*out = st;
	return 0;
}
