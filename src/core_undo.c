/* The undo steps of the core's commands (txn.h): each the inverse of one kernel change. */
#include "core_int.h"

#include <errno.h>
#include <string.h>

/* ---------------------------------------------------------------- undo steps */

int
core_find_tagged_cb(const struct jnet_link_info *l, void *arg)
{
	struct core_find_tagged *f = arg;

	if (!l->tagged || l->index != f->index || strcmp(l->jail, f->jail) != 0)
		return 0;
	f->found = *l;
	f->hit = true;
	return 1;
}

int
core_undo_link_create(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct core_undo_link *u = data;
	struct jnet_link_info l;
	int r;

	memset(&l, 0, sizeof(l));
	r = ctx->be->link_get(ctx->priv, u->host_if, &l, e);
	if (r == -ENODEV && u->jail[0] != '\0') {
		struct core_find_tagged f = { .jail = u->jail, .index = u->index };

		jnet_err_clear(e);
		if ((r = ctx->be->link_list(ctx->priv, core_find_tagged_cb, &f, e)) < 0)
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
		core_stop_hooks(ctx, &l);
	return ctx->be->link_destroy(ctx->priv, &l, e);
}

int
core_undo_bridge_create(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
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
int
core_undo_uplink_up(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	if (ctx->be->if_set_up == NULL)
		return 0;
	return ctx->be->if_set_up(ctx->priv, (const char *)data, false, e);
}

int
core_undo_master(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct core_undo_master *u = data;

	return ctx->be->if_set_master(ctx->priv, u->host_if, u->bridge, e);
}

int
core_undo_mtu(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct core_undo_mtu *u = data;
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

int
core_push_move_undo(struct jnet_txn *txn, const char *host_if, const char *jail, unsigned flags,
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

int
core_undo_tag(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct core_undo_tag *u = data;

	return ctx->be->if_set_tag(ctx->priv, u->host_if, u->text, e);
}
