/* destroy (one jail's links) and gc (links whose jail is gone). */
#include "core_int.h"
#include "lock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- destroy */

struct destroy_state {
	struct jnet_err first;   /* first error; teardown goes on past errors */
	int failed;
	struct jnet_link_info v[JNET_MAXLINKS];
	int n;
};

static void
destroy_failed(struct jnet_ctx *ctx, struct destroy_state *ds)
{
	if (ds->failed++ == 0)
		ds->first = ctx->err;
}

static int
destroy_cb(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg)
{
	struct destroy_state *ds = arg;

	if (r < 0) {
		/* Our name held by something not ours: left alone, and said. */
		core_not_ours(ctx, r, l);
		destroy_failed(ctx, ds);
	} else if (ds->n < JNET_MAXLINKS) {
		ds->v[ds->n++] = *l;
	}
	return 0;
}

/*
 * An index of the set that nothing on the host stands for any more: if the jail still
 * holds its jail end (tagged n=, as addm makes them), the host end was moved or renamed out
 * of reach. The jail end is destroyed inside the jail, which takes its peer with it. That
 * acts on the jail's word (its root can forge names and tags), but only inside the jail
 * and on what that jail's end is paired with: nothing of the host or of another jail. A
 * backend that cannot destroy inside a jail says what is left (rc 1).
 */
static int
destroy_check_jail(struct jnet_ctx *ctx, const char *jail, const struct core_probe_out *po,
    struct destroy_state *ds)
{
	struct jnet_jail j;
	int r;

	if (!ctx->be->paired || ctx->be->lab == NULL)
		return 0;
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	/* Cannot tell whether the jail holds any of it: fail before removing anything. */
	if ((r = ctx->be->jail_open(ctx->priv, jail, 0, &j, &ctx->err)) < 0)
		return r;
	if (!j.exists) {
		ctx->be->jail_close(ctx->priv, &j);
		return 0;
	}
	for (int i = 0, bound = po->hi; i < bound && i < JNET_MAXLINKS; i++) {
		struct jnet_ifinfo in;
		char name[JNET_IFNAMSIZ];

		if (po->seen[i])
			continue;
		jnet_link_ifname(ctx, name, jail, i, 'b');
		/* Only ends addm made (n=): a lab's point-to-point ends have no host end. */
		if (ctx->be->lab->jail_if_get(ctx->priv, &j, name, &in, &ctx->err) != 0 ||
		    !in.tagged || in.tag.kind != JNET_TAG_LINK || in.tag.index != i ||
		    in.tag.count == 0 || strcmp(in.tag.name, jail) != 0) {
			jnet_err_clear(&ctx->err);
			continue;
		}
		if (in.tag.count > bound)
			bound = in.tag.count;
		if (ctx->be->lab->jail_if_destroy != NULL &&
		    ctx->be->lab->jail_if_destroy(ctx->priv, &j, in.ifindex, name, &ctx->err) == 0)
			continue;
		if (ctx->be->lab->jail_if_destroy == NULL)
			jnet_err_set(&ctx->err, EBUSY, name,
			    "link %d: the jail end is still inside the jail but its host end is not on the host (renamed into another namespace?); remove it there",
			    i);
		destroy_failed(ctx, ds);
	}
	ctx->be->jail_close(ctx->priv, &j);
	return 0;
}

static int
destroy_jail(struct jnet_ctx *ctx, const char *jail, bool thorough)
{
	struct destroy_state *ds;
	struct core_probe_out po;
	bool crashed = false;
	int r, lock;

	jnet_err_clear(&ctx->err);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	if ((lock = core_lock_jail_check(ctx, jail, &crashed)) < 0)
		return lock;
	ds = calloc(1, sizeof(*ds));
	if (ds == NULL) {
		jnet_unlock(lock);
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	}
	/* After a command on this jail died half-way, its leftovers may sit under names the
	 * probe does not try (an epair tagged, not renamed yet): list the host then. */
	r = core_probe_links_how(ctx, jail, destroy_cb, ds, &po, thorough, crashed);
	if (r == 0 && thorough)
		r = destroy_check_jail(ctx, jail, &po, ds);
	if (r < 0)
		goto out;
	for (int i = 0; i < ds->n; i++)
		core_stop_hooks(ctx, &ds->v[i]);
	if (ds->n > 1 && ctx->be->link_destroy_many != NULL) {
		/* One kernel teardown for the whole jail, not one per link. */
		if (ctx->be->link_destroy_many(ctx->priv, ds->v, ds->n, &ctx->err) < 0)
			destroy_failed(ctx, ds);
	} else {
		for (int i = 0; i < ds->n; i++)
			if (ctx->be->link_destroy(ctx->priv, &ds->v[i], &ctx->err) < 0)
				destroy_failed(ctx, ds);
	}
	if (ds->failed) {
		ctx->err = ds->first;
		r = -ds->first.code;
	}
out:
	free(ds);
	jnet_unlock(lock);
	return r;
}

int
jnet_destroy(struct jnet_ctx *ctx, const char *jail)
{
	return destroy_jail(ctx, jail, true);
}

int
jnet_destroy_named(struct jnet_ctx *ctx, const char *jail)
{
	return destroy_jail(ctx, jail, false);
}

/* ---------------------------------------------------------------- gc */

/* True when jail `name` exists and is being removed (only FreeBSD has such jails). */
static bool
jail_dying(struct jnet_ctx *ctx, const char *name)
{
	struct jnet_jail j;
	bool dying;

	if (name[0] == '\0')
		return false;
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	if (ctx->be->jail_open(ctx->priv, name, 0, &j, &ctx->err) < 0) {
		jnet_err_clear(&ctx->err);
		return false; /* cannot tell: keep it */
	}
	dying = j.exists && j.dying;
	ctx->be->jail_close(ctx->priv, &j);
	return dying;
}

/*
 * The jail an untagged link (a crash between creating and tagging it) belongs to, when its
 * name proves it: a name that carries the jail's (jib's e<i>a_NAME, jng's ng<i>_NAME) and
 * that jnet would give link i of that jail, exactly. A hashed short name cannot be read
 * back: such a leftover is for `destroy NAME` or `addm NAME`, which know the name.
 */
static bool
crash_owner(struct jnet_ctx *ctx, struct jnet_link_info *l)
{
	const char *p = l->host_if;
	char want[JNET_IFNAMSIZ];
	struct jnet_err e;
	int i = 0;

	if (p[0] == 'e')
		p++;
	else if (p[0] == 'n' && p[1] == 'g')
		p += 2;
	else
		return false;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9' && i < JNET_MAXLINKS)
		i = i * 10 + (*p++ - '0');
	if (*p == 'a')
		p++;
	if (*p++ != '_' || i >= JNET_MAXLINKS || jnet_jail_name_check(p, &e) < 0 ||
	    jnet_link_ifname(ctx, want, p, i, 'a') < 0 || strcmp(want, l->host_if) != 0)
		return false;
	if (!core_crash_peer_ok(ctx, l, p, i))
		return false;
	jnet_strlcpy(l->jail, p, sizeof(l->jail));
	l->index = i;
	return true;
}

/*
 * Whether gc may remove link l: its jail is gone (or dying), and it is not a link that
 * exec.prestart made for a jail about to be created (never attached, younger than the
 * minimum age). Decided from the host end's tag, never from anything inside a jail.
 */
static bool
gc_orphan(struct jnet_ctx *ctx, struct jnet_link_info *l, int64_t now, int min_age)
{
	struct jnet_jail j;

	if (!l->tagged && !crash_owner(ctx, l))
		return false; /* nothing proves whose it is */
	if (l->where == JNET_WHERE_JAIL && !jail_dying(ctx, l->where_jail))
		return false;
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	if (ctx->be->jail_open(ctx->priv, l->jail, 0, &j, &ctx->err) < 0)
		return false; /* cannot tell: leave it (ctx->err says why: gc fails) */
	ctx->be->jail_close(ctx->priv, &j);
	if (j.exists && !j.dying)
		return false;
	/* Made by exec.prestart, its jail not created yet (a birth "in the future", after the
	 * clock was stepped back, counts as now). */
	if (min_age > 0 && l->where == JNET_WHERE_HOST && l->born > 0 &&
	    (l->born > now ? 0 : now - l->born) < min_age)
		return false;
	return true;
}

int
jnet_gc(struct jnet_ctx *ctx, int (*cb)(const struct jnet_link_info *, void *), void *arg)
{
	struct jnet_link_vec g = { NULL, 0, 0 };
	int64_t now = ctx->now ? ctx->now : (int64_t)time(NULL);
	int min_age = ctx->gc_min_age_s >= 0 ? ctx->gc_min_age_s : JNET_GC_MIN_AGE_DEFAULT;
	int r, failed = 0;
	struct jnet_err first;

	jnet_err_clear(&ctx->err);
	jnet_err_clear(&first);
	r = ctx->be->link_list(ctx->priv, jnet_link_vec_push, &g, &ctx->err);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < g.n; i++) {
		struct jnet_link_info *l = &g.v[i], now_l;
		int lock;

		jnet_err_clear(&ctx->err);
		if (!gc_orphan(ctx, l, now, min_age)) {
			if (ctx->err.code != 0 && failed++ == 0)
				first = ctx->err; /* a kernel call failed: said, the link kept */
			continue;
		}
		/* A command on that jail right now (an addm from exec.prestart): leave it to
		 * it. Then look again under the lock: the link may have changed since. */
		if ((lock = core_lock_jail(ctx, l->jail, 0)) < 0) {
			jnet_err_clear(&ctx->err);
			continue;
		}
		memset(&now_l, 0, sizeof(now_l));
		jnet_strlcpy(now_l.host_if, l->host_if, sizeof(now_l.host_if));
		if (ctx->be->link_get(ctx->priv, l->host_if, &now_l, &ctx->err) < 0 ||
		    !gc_orphan(ctx, &now_l, now, min_age) || strcmp(now_l.jail, l->jail) != 0) {
			jnet_err_clear(&ctx->err);
			jnet_unlock(lock);
			continue;
		}
		jnet_strlcpy(now_l.host_if, l->host_if, sizeof(now_l.host_if));
		r = core_destroy_link(ctx, &now_l);
		jnet_unlock(lock);
		if (r < 0) {
			if (failed++ == 0)
				first = ctx->err;
			continue;
		}
		if (cb != NULL)
			cb(&now_l, arg);
	}
	r = 0;
	if (failed) {
		ctx->err = first;
		r = -first.code;
	}
out:
	free(g.v);
	return r;
}

