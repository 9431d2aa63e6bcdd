/* attach and detach: moving the jail ends of a jail in and out. */
#include "core_int.h"
#include "lock.h"

#include <errno.h>
#include <string.h>

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
	core_stop_hooks(ctx, l);
	if ((r = ctx->be->link_destroy(ctx->priv, l, &ctx->err)) < 0)
		return r;
	if ((r = ctx->be->link_create(ctx->priv, &req, &ctx->err)) < 0)
		return r;
	return core_undo_link(txn, req.host_if, NULL, 0, false, "recreate");
}

static int
attach_cb(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg)
{
	struct move_state *ms = arg;

	if (r < 0)
		return core_not_ours(ctx, r, l);
	ms->found++;
	if (l->where == JNET_WHERE_JAIL) {
		/* One-ended backends (netgraph) report their interface as in the jail. */
		if (ctx->be->link_in == NULL && (r = core_link_stale(ctx, l)) < 0)
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
	return core_undo_move(&ms->txn, l->host_if, NULL, 0, false, "attach");
}

static int
moves_finish(struct jnet_ctx *ctx, struct move_state *ms, const char *jail, int r,
    const char *none)
{
	if (r == 0 && ms->found == 0)
		r = jnet_err_set(&ctx->err, ENOENT, jail, "%s", none);
	if (r < 0)
		core_txn_abort(ctx, &ms->txn);
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
	if ((lock = core_lock_jail(ctx, jail, core_lock_wait(ctx))) < 0)
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
	r = core_probe_links(ctx, jail, attach_cb, &ms, NULL);
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
		return core_not_ours(ctx, r, l);
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
	return core_undo_move(&ms->txn, l->host_if, back, ms->j ? ms->jflags : 0, true, "detach");
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
	if ((lock = core_lock_jail(ctx, jail, core_lock_wait(ctx))) < 0)
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
	r = core_probe_links(ctx, jail, detach_cb, &ms, NULL);
	r = moves_finish(ctx, &ms, jail, r, "jail has no jnet links");
close:
	if (spec != NULL)
		ctx->be->jail_close(ctx->priv, &j);
out:
	jnet_unlock(lock);
	return r;
}

