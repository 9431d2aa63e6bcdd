/*
 * The undo steps of the core's commands (txn.h): each the inverse of one kernel change,
 * recorded by one core_undo_* function right after the change. Their data stays here.
 */
#include "core_int.h"
#include "lock.h"

#include <errno.h>
#include <string.h>

/* A link this command made, renamed since (by a start_if hook): found by its tag. */
struct find_tagged {
	const char *jail;
	int index;
	struct jnet_link_info found;
	bool hit;
};

static int
find_tagged_cb(const struct jnet_link_info *l, void *arg)
{
	struct find_tagged *f = arg;

	if (!l->tagged || l->index != f->index || strcmp(l->jail, f->jail) != 0)
		return 0;
	f->found = *l;
	f->hit = true;
	return 1;
}

int
core_find_tagged(struct jnet_ctx *ctx, const char *jail, int index, struct jnet_link_info *out,
    struct jnet_err *e)
{
	struct find_tagged f = { .jail = jail, .index = index };
	int r;

	if ((r = ctx->be->link_list(ctx->priv, find_tagged_cb, &f, e)) < 0)
		return r;
	if (f.hit)
		*out = f.found;
	return f.hit;
}

/* ---------------------------------------------------------------- link created */

struct undo_link {
	char host_if[JNET_IFNAMSIZ];
	char jail[JNET_JAILNAMSIZ];
	int index;
	bool stop_hooks; /* start_if ran: run stop_if before destroying */
};

static int
undo_link_create(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct undo_link *u = data;
	struct jnet_link_info l;
	int r;

	memset(&l, 0, sizeof(l));
	r = ctx->be->link_get(ctx->priv, u->host_if, &l, e);
	if (r == -ENODEV && u->jail[0] != '\0') {
		jnet_err_clear(e);
		if ((r = core_find_tagged(ctx, u->jail, u->index, &l, e)) <= 0)
			return r;
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
core_undo_link(struct jnet_txn *txn, const char *host_if, const char *jail, int index,
    bool stop_hooks, const char *what)
{
	struct undo_link u;

	memset(&u, 0, sizeof(u));
	jnet_strlcpy(u.host_if, host_if, sizeof(u.host_if));
	if (jail != NULL)
		jnet_strlcpy(u.jail, jail, sizeof(u.jail));
	u.index = index;
	u.stop_hooks = stop_hooks;
	return jnet_txn_push(txn, undo_link_create, &u, sizeof(u), what);
}

/* ---------------------------------------------------------------- bridges and uplinks */

/* Under the bridge's lock, held exclusively: an addm joining it is done (its link on the
 * bridge, which is kept then) or waits and finds it gone (and makes it anew). */
static int
undo_bridge_create(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const char *name = data;
	char members[4][JNET_IFNAMSIZ];
	int n, lock;

	if ((lock = jnet_lock(ctx->rundir, "bridge", name, core_lock_wait(ctx), e)) < 0)
		return lock;
	n = ctx->be->bridge_members(ctx->priv, name, members, 4, e);
	/* Another jnet run may have joined the bridge since we created it: keep it then. */
	if (n == 0 || n == 1)
		n = ctx->be->bridge_destroy(ctx->priv, name, e);
	jnet_unlock(lock);
	return n == -ENODEV || n > 0 ? 0 : n;
}

int
core_undo_bridge(struct jnet_txn *txn, const char *name)
{
	return jnet_txn_push_str(txn, undo_bridge_create, name, "bridge create");
}

/* An uplink jnet brought up goes down again (it was down before). */
static int
undo_uplink_up(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	if (ctx->be->if_set_up == NULL)
		return 0;
	return ctx->be->if_set_up(ctx->priv, (const char *)data, false, e);
}

int
core_undo_uplink_up(struct jnet_txn *txn, const char *iface)
{
	return jnet_txn_push_str(txn, undo_uplink_up, iface, "uplink up");
}

/* ---------------------------------------------------------------- a link changed */

struct undo_master {
	char host_if[JNET_IFNAMSIZ];
	char bridge[JNET_IFNAMSIZ];
};

static int
undo_master(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct undo_master *u = data;

	return ctx->be->if_set_master(ctx->priv, u->host_if, u->bridge, e);
}

int
core_undo_master(struct jnet_txn *txn, const char *host_if, const char *bridge)
{
	struct undo_master u;

	memset(&u, 0, sizeof(u));
	jnet_strlcpy(u.host_if, host_if, sizeof(u.host_if));
	jnet_strlcpy(u.bridge, bridge, sizeof(u.bridge));
	return jnet_txn_push(txn, undo_master, &u, sizeof(u), "change bridge");
}

struct undo_mtu {
	char host_if[JNET_IFNAMSIZ];
	unsigned mtu;
};

static int
undo_mtu(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct undo_mtu *u = data;
	struct jnet_link_info l;
	int r;

	memset(&l, 0, sizeof(l));
	if ((r = ctx->be->link_get(ctx->priv, u->host_if, &l, e)) < 0)
		return r == -ENODEV ? 0 : r;
	return ctx->be->link_set_mtu(ctx->priv, &l, u->mtu, e);
}

int
core_undo_mtu(struct jnet_txn *txn, const char *host_if, unsigned mtu)
{
	struct undo_mtu u;

	memset(&u, 0, sizeof(u));
	jnet_strlcpy(u.host_if, host_if, sizeof(u.host_if));
	u.mtu = mtu;
	return jnet_txn_push(txn, undo_mtu, &u, sizeof(u), "MTU");
}

/* The tag a converged link had. */
struct undo_tag {
	char host_if[JNET_IFNAMSIZ];
	char text[JNET_TAGSIZ];
};

static int
undo_tag(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	const struct undo_tag *u = data;

	return ctx->be->if_set_tag(ctx->priv, u->host_if, u->text, e);
}

int
core_undo_tag(struct jnet_txn *txn, const char *host_if, const char *text)
{
	struct undo_tag u;

	memset(&u, 0, sizeof(u));
	jnet_strlcpy(u.host_if, host_if, sizeof(u.host_if));
	jnet_strlcpy(u.text, text, sizeof(u.text));
	return jnet_txn_push(txn, undo_tag, &u, sizeof(u), "retag");
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
core_undo_move(struct jnet_txn *txn, const char *host_if, const char *jail, unsigned flags,
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

/* ---------------------------------------------------------------- rolling back */

void
core_txn_abort(struct jnet_ctx *ctx, struct jnet_txn *txn)
{
	struct jnet_err saved = ctx->err;

	jnet_txn_rollback(ctx, txn, core_undo_report);
	ctx->err = saved;
}
