/*
 * check and repair: compare what exists with what jnet's tags say should exist, and bring
 * back what can be brought back. Written once over the backend interface.
 *
 * What a link's tag says: its jail and index, the bridge jnet made its host end a port of
 * (br=) and the MTU it gave it (mtu=); a bridge's tag: the uplink jnet made a port (uplink=).
 * Everything else is read from the kernel. repair only ever sets an interface up, makes a
 * port of a bridge again, or sets an MTU, and only on objects whose tags say they are
 * jnet's; a foreign bridge that holds a link of ours is reported, never touched.
 */
#include "core.h"
#include "lock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const drift_names[] = {
	[JNET_DRIFT_HOST_DOWN] = "host-end-down",
	[JNET_DRIFT_JAIL_DOWN] = "jail-end-down",
	[JNET_DRIFT_OFF_BRIDGE] = "off-bridge",
	[JNET_DRIFT_BRIDGE_GONE] = "bridge-gone",
	[JNET_DRIFT_MTU] = "mtu",
	[JNET_DRIFT_JAIL_END_GONE] = "jail-end-gone",
	[JNET_DRIFT_STALE] = "stale",
	[JNET_DRIFT_BRIDGE_DOWN] = "bridge-down",
	[JNET_DRIFT_UPLINK_LOST] = "uplink-lost",
	[JNET_DRIFT_LINK_GONE] = "link-gone",
};

const char *
jnet_drift_name(enum jnet_drift k)
{
	return (unsigned)k < sizeof(drift_names) / sizeof(drift_names[0]) ? drift_names[k] : "?";
}

/* The host end of l as an interface: on the host, or (one-ended backends: netgraph's
 * eiface) inside the jail it was moved into. */
int
jnet_link_host_end(struct jnet_ctx *ctx, const struct jnet_link_info *l, struct jnet_ifinfo *h,
    struct jnet_err *e)
{
	const struct jnet_backend_ops *be = ctx->be;
	struct jnet_jail j;
	int r;

	memset(h, 0, sizeof(*h));
	if (be->paired || l->where != JNET_WHERE_JAIL || be->lab == NULL)
		return be->if_get(ctx->priv, l->host_if, h, e);
	memset(&j, 0, sizeof(j));
	if ((r = be->jail_open(ctx->priv, l->where_jail[0] ? l->where_jail : l->jail, 0, &j,
	    e)) < 0)
		return r;
	r = j.exists ? be->lab->jail_if_get(ctx->priv, &j, l->host_if, h, e) :
	    jnet_err_set(e, ENODEV, l->host_if, "no such interface");
	be->jail_close(ctx->priv, &j);
	return r;
}

void
jnet_link_tag_keep(struct jnet_ctx *ctx, const struct jnet_link_info *l, struct jnet_tag *t)
{
	struct jnet_ifinfo h;
	struct jnet_tag old;
	struct jnet_err e;

	if (jnet_link_host_end(ctx, l, &h, &e) < 0 || jnet_tag_parse(h.tagtext, &old) < 0 ||
	    old.kind != JNET_TAG_LINK)
		return;
	jnet_strlcpy(t->bridge, old.bridge, sizeof(t->bridge));
	t->mtu = old.mtu;
}

struct chk {
	struct jnet_ctx *ctx;
	bool repair;
	int (*cb)(const struct jnet_drift_info *, void *);
	void *arg;
	int ndrift;                          /* found */
	int nleft;                           /* not repaired */
	char (*bridges)[JNET_IFNAMSIZ];      /* the bridges to look at */
	size_t nbridges, capbridges;
};

static int
add_bridge(struct chk *c, const char *name)
{
	if (name[0] == '\0')
		return 0;
	for (size_t i = 0; i < c->nbridges; i++)
		if (strcmp(c->bridges[i], name) == 0)
			return 0;
	if (c->nbridges == c->capbridges) {
		size_t cap = c->capbridges ? 2 * c->capbridges : 16;
		void *p = realloc(c->bridges, cap * JNET_IFNAMSIZ);

		if (p == NULL)
			return jnet_err_set(&c->ctx->err, ENOMEM, name, "out of memory");
		c->bridges = p;
		c->capbridges = cap;
	}
	jnet_strlcpy(c->bridges[c->nbridges++], name, JNET_IFNAMSIZ);
	return 0;
}

/* Report drift d; under repair, first try fix (NULL: nothing jnet can do, d->err says why). */
static int
drift(struct chk *c, struct jnet_drift_info *d, int (*fix)(struct chk *, struct jnet_drift_info *,
    const void *), const void *fixarg)
{
	c->ndrift++;
	d->repair = JNET_REPAIR_NONE;
	if (c->repair) {
		if (fix != NULL && fix(c, d, fixarg) == 0) {
			d->repair = JNET_REPAIR_DONE;
		} else {
			d->repair = JNET_REPAIR_FAILED;
			c->nleft++;
		}
	}
	return c->cb != NULL ? c->cb(d, c->arg) : 0;
}

static void
drift_init(struct jnet_drift_info *d, enum jnet_drift k, const char *jail, int index,
    const char *object)
{
	memset(d, 0, sizeof(*d));
	d->kind = k;
	d->name = jnet_drift_name(k);
	jnet_strlcpy(d->jail, jail, sizeof(d->jail));
	d->index = index;
	jnet_strlcpy(d->object, object, sizeof(d->object));
}

/* ------------------------------------------------------------------ fixes */

static int
fix_link_up(struct chk *c, struct jnet_drift_info *d, const void *arg)
{
	return c->ctx->be->link_set_up(c->ctx->priv, arg, true, &d->err);
}

static int
fix_master(struct chk *c, struct jnet_drift_info *d, const void *arg)
{
	const char *bridge = arg;

	if (c->ctx->be->if_set_master == NULL)
		return jnet_err_set(&d->err, EOPNOTSUPP, d->object,
		    "the %s backend cannot make it a port again: destroy the link and addm it again",
		    c->ctx->be->name);
	return c->ctx->be->if_set_master(c->ctx->priv, d->object, bridge, &d->err);
}

struct mtu_fix {
	const struct jnet_link_info *l;
	unsigned mtu;
};

static int
fix_mtu(struct chk *c, struct jnet_drift_info *d, const void *arg)
{
	const struct mtu_fix *m = arg;

	if (c->ctx->be->link_set_mtu == NULL)
		return jnet_err_set(&d->err, EOPNOTSUPP, d->object,
		    "the %s backend cannot change a link's MTU: destroy the link and addm it again",
		    c->ctx->be->name);
	return c->ctx->be->link_set_mtu(c->ctx->priv, m->l, m->mtu, &d->err);
}

static int
fix_bridge_up(struct chk *c, struct jnet_drift_info *d, const void *arg)
{
	(void)arg;
	if (c->ctx->be->if_set_up != NULL)
		return c->ctx->be->if_set_up(c->ctx->priv, d->object, true, &d->err);
	return c->ctx->be->if_ensure_up(c->ctx->priv, d->object, &d->err);
}

static int
fix_uplink(struct chk *c, struct jnet_drift_info *d, const void *arg)
{
	const char *uplink = arg;

	if (c->ctx->be->if_set_master == NULL)
		return jnet_err_set(&d->err, EOPNOTSUPP, uplink,
		    "the %s backend cannot make it a port again: delete the bridge and add it again",
		    c->ctx->be->name);
	return c->ctx->be->if_set_master(c->ctx->priv, uplink, d->object, &d->err);
}

/* ------------------------------------------------------------------ links */

/* The MTU a link should have: its tag's, else its bridge's. */
static unsigned
want_mtu(struct chk *c, const struct jnet_tag *t, const char *bridge)
{
	struct jnet_ifinfo b;
	struct jnet_err e;

	if (t->mtu != 0)
		return t->mtu;
	memset(&b, 0, sizeof(b));
	if (bridge[0] == '\0' || c->ctx->be->if_get(c->ctx->priv, bridge, &b, &e) < 0)
		return 0;
	return b.mtu;
}

/*
 * A port's MTU moves its bridge's on Linux (a bridge whose MTU nobody set follows its
 * smallest port) and a tag can be edited by hand: repair sets an MTU only where it cannot
 * change a bridge that is not jnet's (then only its bridge's own MTU) nor make a port
 * larger than its bridge.
 */
static bool
mtu_fixable(struct chk *c, const struct jnet_link_info *l, const struct mtu_fix *m,
    struct jnet_err *e)
{
	struct jnet_ifinfo b;

	memset(&b, 0, sizeof(b));
	if (l->bridge[0] == '\0' || c->ctx->be->if_get(c->ctx->priv, l->bridge, &b, e) < 0) {
		jnet_err_clear(e);
		return true; /* no bridge to move */
	}
	if (b.mtu != 0 && m->mtu > b.mtu) {
		jnet_err_set(e, EINVAL, l->host_if, "MTU %u is larger than its bridge %s's (%u)",
		    m->mtu, l->bridge, b.mtu);
		return false;
	}
	if (b.mtu != 0 && m->mtu != b.mtu && !(b.tagged && b.tag.kind == JNET_TAG_BRIDGE)) {
		jnet_err_set(e, EPERM, l->host_if,
		    "MTU %u would change the MTU of bridge %s, which is not jnet's", m->mtu,
		    l->bridge);
		return false;
	}
	return true;
}

static int
check_bridge_of(struct chk *c, const struct jnet_link_info *l, const struct jnet_tag *t)
{
	struct jnet_drift_info d;
	struct jnet_ifinfo b;
	struct jnet_err e;

	if (t->bridge[0] == '\0' || strcmp(t->bridge, l->bridge) == 0)
		return add_bridge(c, l->bridge);
	memset(&b, 0, sizeof(b));
	if (c->ctx->be->if_get(c->ctx->priv, t->bridge, &b, &e) < 0 || !b.is_bridge) {
		drift_init(&d, JNET_DRIFT_BRIDGE_GONE, l->jail, l->index, l->host_if);
		snprintf(d.detail, sizeof(d.detail), "its bridge %s is gone", t->bridge);
		jnet_err_set(&d.err, ENODEV, t->bridge,
		    "no such bridge: run the jail's addm again to make it anew");
		return drift(c, &d, NULL, NULL);
	}
	drift_init(&d, JNET_DRIFT_OFF_BRIDGE, l->jail, l->index, l->host_if);
	if (l->bridge[0] != '\0')
		snprintf(d.detail, sizeof(d.detail), "a port of %s, not of its bridge %s",
		    l->bridge, t->bridge);
	else
		snprintf(d.detail, sizeof(d.detail), "not a port of its bridge %s", t->bridge);
	if (l->bridge[0] != '\0') {
		/* Another bridge took it: not ours to take back from (maybe the admin's). */
		jnet_err_set(&d.err, EBUSY, l->host_if,
		    "is a port of bridge %s now; remove it from there first", l->bridge);
		return drift(c, &d, NULL, NULL);
	}
	add_bridge(c, t->bridge);
	return drift(c, &d, fix_master, t->bridge);
}

/* Is the jail end inside an older instance of its jail (made again since)? As addm and
 * attach ask it: the jail of that name exists, and the end is not inside it. */
static int
stale_look(struct chk *c, struct jnet_link_info *l)
{
	const struct jnet_backend_ops *be = c->ctx->be;
	struct jnet_jail j;
	int r = 0;

	if (l->stale || l->where != JNET_WHERE_JAIL ||
	    (be->link_in == NULL && be->link_stale == NULL))
		return 0;
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	if ((r = be->jail_open(c->ctx->priv, l->jail, 0, &j, &c->ctx->err)) < 0)
		return r;
	if (j.exists && !j.dying) {
		r = be->link_in != NULL ? be->link_in(c->ctx->priv, l, &j, &c->ctx->err) :
		    !be->link_stale(c->ctx->priv, l, &c->ctx->err);
		if (r >= 0)
			l->stale = r == 0;
	}
	be->jail_close(c->ctx->priv, &j);
	return r < 0 ? r : 0;
}

/* A backend that does not look into jails for link_get (epair): the jail end's state. */
static int
jail_end_look(struct chk *c, struct jnet_link_info *l)
{
	const struct jnet_backend_ops *be = c->ctx->be;
	struct jnet_ifinfo i;
	struct jnet_jail j;
	int r;

	if (be->lab == NULL)
		return 0;
	memset(&j, 0, sizeof(j));
	if ((r = be->jail_open(c->ctx->priv, l->where_jail[0] ? l->where_jail : l->jail, 0, &j,
	    &c->ctx->err)) < 0)
		return r;
	memset(&i, 0, sizeof(i));
	r = j.exists && !j.dying ? be->lab->jail_if_get(c->ctx->priv, &j, l->jail_if, &i, &c->ctx->err) :
	    -ENODEV;
	be->jail_close(c->ctx->priv, &j);
	if (r == -ENODEV) {
		jnet_err_clear(&c->ctx->err);
		return 0;
	}
	if (r < 0)
		return r;
	l->jail_mac_known = true;
	l->jail_up = i.up;
	return 0;
}

static int
check_link(struct chk *c, struct jnet_link_info *l)
{
	const struct jnet_backend_ops *be = c->ctx->be;
	struct jnet_drift_info d;
	struct jnet_ifinfo h;
	struct jnet_tag t;
	struct mtu_fix mf;
	int r;

	if ((r = jnet_link_host_end(c->ctx, l, &h, &c->ctx->err)) == -ENODEV) {
		jnet_err_clear(&c->ctx->err);
		return 0; /* gone since it was listed */
	}
	if (r < 0)
		return r;
	if (jnet_tag_parse(h.tagtext, &t) < 0 || t.kind != JNET_TAG_LINK)
		memset(&t, 0, sizeof(t)); /* a crash window: nothing to compare with */
	if (be->paired && l->where == JNET_WHERE_GONE) {
		drift_init(&d, JNET_DRIFT_JAIL_END_GONE, l->jail, l->index, l->host_if);
		snprintf(d.detail, sizeof(d.detail), "its jail end is gone");
		jnet_err_set(&d.err, ENODEV, l->host_if,
		    "half a pair: destroy the jail's links and addm them again");
		if ((r = drift(c, &d, NULL, NULL)) != 0)
			return r;
	}
	if ((r = stale_look(c, l)) < 0)
		return r;
	if (l->stale) {
		drift_init(&d, JNET_DRIFT_STALE, l->jail, l->index, l->host_if);
		snprintf(d.detail, sizeof(d.detail),
		    "its jail end is inside an older instance of jail %s", l->jail);
		jnet_err_set(&d.err, ESTALE, l->host_if,
		    "`jnet attach %s` (or addm) makes it anew in the jail of that name", l->jail);
		if ((r = drift(c, &d, NULL, NULL)) != 0)
			return r;
	}
	if (!l->host_up) {
		drift_init(&d, JNET_DRIFT_HOST_DOWN, l->jail, l->index, l->host_if);
		snprintf(d.detail, sizeof(d.detail), "the host end is down");
		if ((r = drift(c, &d, fix_link_up, l)) != 0)
			return r;
	}
	if (be->paired && l->where == JNET_WHERE_JAIL && !l->stale && !l->jail_mac_known &&
	    (r = jail_end_look(c, l)) < 0)
		return r;
	if (be->paired && l->where == JNET_WHERE_JAIL && l->jail_mac_known && !l->jail_up &&
	    !l->stale) {
		drift_init(&d, JNET_DRIFT_JAIL_DOWN, l->jail, l->index, l->jail_if);
		snprintf(d.detail, sizeof(d.detail), "the jail end is down in jail %s",
		    l->where_jail[0] ? l->where_jail : l->jail);
		if ((r = drift(c, &d, fix_link_up, l)) != 0)
			return r;
	}
	if ((r = check_bridge_of(c, l, &t)) != 0)
		return r;
	mf.l = l;
	mf.mtu = want_mtu(c, &t, t.bridge[0] ? t.bridge : l->bridge);
	if (mf.mtu != 0 && h.mtu != 0 && h.mtu != mf.mtu) {
		drift_init(&d, JNET_DRIFT_MTU, l->jail, l->index, l->host_if);
		snprintf(d.detail, sizeof(d.detail), "MTU %u, not %u (%s)", h.mtu, mf.mtu,
		    t.mtu ? "the MTU jnet gave it" : "its bridge's");
		if ((r = drift(c, &d, mtu_fixable(c, l, &mf, &d.err) ? fix_mtu : NULL, &mf)) != 0)
			return r;
	}
	return 0;
}

/* ------------------------------------------------------------------ bridges */

/* A VLAN uplink jnet made whose parent is gone (FreeBSD keeps the vlan(4) interface,
 * unconfigured; Linux removes it with its parent: then the uplink is gone). Not
 * repairable in place: the parent must come back, and the bridge be made again. */
static int
vlan_parent_lost(struct chk *c, const char *name, const struct jnet_ifinfo *u)
{
	struct jnet_drift_info d;
	struct jnet_ifinfo p;
	int r;

	if (!u->tagged || u->tag.kind != JNET_TAG_VLAN)
		return 0;
	r = c->ctx->be->if_get(c->ctx->priv, u->tag.uplink, &p, &c->ctx->err);
	if (r != -ENODEV) {
		if (r == 0)
			return 0;
		return r;
	}
	jnet_err_clear(&c->ctx->err);
	drift_init(&d, JNET_DRIFT_UPLINK_LOST, "", -1, name);
	snprintf(d.detail, sizeof(d.detail), "its VLAN uplink %s lost its parent %s (VLAN %d)",
	    u->name, u->tag.uplink, u->tag.vid);
	jnet_err_set(&d.err, ENODEV, u->tag.uplink,
	    "no such interface: bring it back, then delete and add the bridge again");
	return drift(c, &d, NULL, NULL);
}

static int
check_bridge(struct chk *c, const char *name)
{
	const struct jnet_backend_ops *be = c->ctx->be;
	struct jnet_drift_info d;
	struct jnet_ifinfo b, u;
	bool ours;
	int r;

	memset(&b, 0, sizeof(b));
	if ((r = be->if_get(c->ctx->priv, name, &b, &c->ctx->err)) == -ENODEV) {
		jnet_err_clear(&c->ctx->err);
		return 0; /* reported with its links */
	}
	if (r < 0)
		return r;
	ours = b.tagged && b.tag.kind == JNET_TAG_BRIDGE;
	if (!b.up) {
		drift_init(&d, JNET_DRIFT_BRIDGE_DOWN, "", -1, name);
		snprintf(d.detail, sizeof(d.detail), "bridge %s is down", name);
		if (!ours)
			jnet_err_set(&d.err, EPERM, name,
			    "not a jnet bridge (no jnet tag): not touched; set it up yourself");
		if ((r = drift(c, &d, ours ? fix_bridge_up : NULL, NULL)) != 0)
			return r;
	}
	if (!ours || b.tag.uplink[0] == '\0')
		return 0;
	memset(&u, 0, sizeof(u));
	r = be->if_get(c->ctx->priv, b.tag.uplink, &u, &c->ctx->err);
	if (r < 0 && r != -ENODEV)
		return r;
	jnet_err_clear(&c->ctx->err);
	if (r == 0 && strcmp(u.master, name) == 0)
		return vlan_parent_lost(c, name, &u);
	drift_init(&d, JNET_DRIFT_UPLINK_LOST, "", -1, name);
	if (r == -ENODEV) {
		snprintf(d.detail, sizeof(d.detail), "its uplink %s is gone", b.tag.uplink);
		jnet_err_set(&d.err, ENODEV, b.tag.uplink, "no such interface");
		return drift(c, &d, NULL, NULL);
	}
	snprintf(d.detail, sizeof(d.detail), "its uplink %s is not a port of it", b.tag.uplink);
	if (u.master[0] != '\0') {
		jnet_err_set(&d.err, EBUSY, b.tag.uplink,
		    "is a port of bridge %s now: not taken from there", u.master);
		return drift(c, &d, NULL, NULL);
	}
	return drift(c, &d, fix_uplink, b.tag.uplink);
}

static int
bridge_list_cb(const struct jnet_ifinfo *b, void *arg)
{
	struct chk *c = arg;

	if (!b->tagged || b->tag.kind != JNET_TAG_BRIDGE)
		return 0;
	return add_bridge(c, b->name);
}

/* ------------------------------------------------------------------ the command */

static int
cmp_jail(const void *a, const void *b)
{
	const struct jnet_link_info *x = a, *y = b;
	int r = strcmp(x->jail, y->jail);

	return r != 0 ? r : x->index - y->index;
}

/* Every link of the set the tags' n= speak of is there. */
static int
check_set(struct chk *c, const char *jail, const struct jnet_link_vec *v)
{
	bool seen[JNET_MAXLINKS] = { false };
	int count = 0, r;

	for (size_t i = 0; i < v->n; i++) {
		if (v->v[i].index >= 0 && v->v[i].index < JNET_MAXLINKS)
			seen[v->v[i].index] = true;
		if (v->v[i].count > count)
			count = v->v[i].count;
	}
	for (int i = 0; i < count && i < JNET_MAXLINKS; i++) {
		struct jnet_drift_info d;
		char host_if[JNET_IFNAMSIZ];

		if (seen[i])
			continue;
		jnet_link_ifname(c->ctx, host_if, jail, i, 'a');
		drift_init(&d, JNET_DRIFT_LINK_GONE, jail, i, host_if);
		snprintf(d.detail, sizeof(d.detail), "link %d of the jail's %d is gone", i, count);
		jnet_err_set(&d.err, ENODEV, host_if, "run the jail's addm again to make it anew");
		if ((r = drift(c, &d, NULL, NULL)) != 0)
			return r;
	}
	return 0;
}

/* The links of one jail, checked (and repaired under the jail's lock). */
static int
check_jail(struct chk *c, const char *jail)
{
	struct jnet_link_vec v = { 0 };
	int fd = -1, r;

	if (c->repair &&
	    (fd = jnet_lock(c->ctx->rundir, "jail", jail, c->ctx->lock_wait_ms > 0 ?
	    c->ctx->lock_wait_ms : JNET_LOCK_WAIT_MS_DEFAULT, &c->ctx->err)) < 0)
		return fd;
	r = jnet_links(c->ctx, jail, jnet_link_vec_push, &v);
	for (size_t i = 0; r == 0 && i < v.n; i++)
		r = check_link(c, &v.v[i]);
	if (r == 0)
		r = check_set(c, jail, &v);
	free(v.v);
	if (fd >= 0)
		jnet_unlock(fd);
	return r;
}

static int
check_bridges(struct chk *c)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < c->nbridges; i++) {
		int fd = -1;

		if (c->repair && (fd = jnet_lock(c->ctx->rundir, "bridge", c->bridges[i],
		    c->ctx->lock_wait_ms > 0 ? c->ctx->lock_wait_ms : JNET_LOCK_WAIT_MS_DEFAULT,
		    &c->ctx->err)) < 0)
			return fd;
		r = check_bridge(c, c->bridges[i]);
		if (fd >= 0)
			jnet_unlock(fd);
	}
	return r;
}

int
jnet_check(struct jnet_ctx *ctx, const char *jail, bool repair,
    int (*cb)(const struct jnet_drift_info *, void *), void *arg, int *left)
{
	struct chk c;
	struct jnet_link_vec all = { 0 };
	int r;

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.repair = repair;
	c.cb = cb;
	c.arg = arg;
	jnet_err_clear(&ctx->err);
	if (jail != NULL && (r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r; /* before its lock file is made */
	if (jail != NULL) {
		r = check_jail(&c, jail);
	} else {
		/* Everything: every link (a listing of the host) and every jnet bridge. */
		r = jnet_links(ctx, NULL, jnet_link_vec_push, &all);
		if (r == 0 && all.n > 1)
			qsort(all.v, all.n, sizeof(all.v[0]), cmp_jail);
		for (size_t i = 0; r == 0 && i < all.n; i++)
			if (i == 0 || strcmp(all.v[i].jail, all.v[i - 1].jail) != 0)
				r = check_jail(&c, all.v[i].jail);
		free(all.v);
		if (r == 0)
			r = ctx->be->bridge_list(ctx->priv, bridge_list_cb, &c, &ctx->err);
	}
	if (r == 0)
		r = check_bridges(&c);
	free(c.bridges);
	if (left != NULL)
		*left = c.nleft;
	return r < 0 ? r : c.ndrift;
}
