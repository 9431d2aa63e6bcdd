#include "lab_run.h"
#include "lab_vxlan.h"

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

static int
need_labs(struct jnet_ctx *ctx)
{
	const struct jnet_backend_ops *b = ctx->be;

	if (b->jail_create == NULL || b->jail_tag == NULL || b->jail_destroy == NULL ||
	    b->jail_list == NULL || b->addr_add == NULL || b->route_add == NULL ||
	    b->forwarding == NULL || b->jail_if_get == NULL)
		return jnet_err_set(&ctx->err, EOPNOTSUPP, "", "the %s backend cannot build labs",
		    b->name);
	return 0;
}

void
jnet_lab_bridge_ifname(const struct jnet_lab *lab, int b, char out[JNET_IFNAMSIZ])
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	const char *br = lab->bridges[b].name;
	char key[JNET_LAB_NAMEMAX + JNET_LAB_BRIDGENAMEMAX + 2];
	size_t n = 0, room;
	uint64_t h;

	if (snprintf(out, JNET_IFNAMSIZ, "%s_%s", lab->name, br) < JNET_IFNAMSIZ)
		return;
	/* "jb-" stem hash9: the hash covers lab and bridge, the stem helps a human. */
	n = (size_t)snprintf(key, sizeof(key), "%s%c%s", lab->name, 0, br);
	h = jnet_hash64(key, n);
	memcpy(out, "jb-", 3);
	n = 3;
	room = JNET_IFNAMSIZ - 1 - 3 - 9;
	for (const char *s = br; *s && room > 0; s++)
		if (isalnum((unsigned char)*s)) {
			out[n++] = (char)tolower((unsigned char)*s);
			room--;
		}
	for (int i = 0; i < 9; i++)
		out[n++] = b32[(h >> (59 - 5 * i)) & 31];
	out[n] = '\0';
}

int
jnet_lab_iface_name(const struct jnet_ctx *ctx, const struct jnet_lab_jail *jl, int i,
    char out[JNET_IFNAMSIZ])
{
	return jnet_link_ifname(ctx, out, jl->scoped, jl->ifaces[i].index, 'b');
}

static void
progress(jnet_lab_progress p, void *arg, const char *stage, int done, int total)
{
	if (p != NULL)
		p(arg, stage, done, total);
}

/* Prefix an error with the lab object it is about. */
static int
lab_fail(struct jnet_ctx *ctx, const char *what, const char *name)
{
	struct jnet_err e = ctx->err;
	char obj[sizeof(e.object)];

	int n;

	if (e.object[0])
		n = snprintf(obj, sizeof(obj), "%s %s: %s", what, name, e.object);
	else
		n = snprintf(obj, sizeof(obj), "%s %s", what, name);
	if (n < 0)
		obj[0] = '\0'; /* a long name is cut; the message stays useful */
	jnet_strlcpy(ctx->err.object, obj, sizeof(ctx->err.object));
	return -(ctx->err.code ? ctx->err.code : EIO);
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

struct names {
	char (*v)[JNET_JAILNAMSIZ];
	int n, cap;
};

static int
names_add(struct names *k, const char *name)
{
	if (k->n == k->cap) {
		int cap = k->cap ? 2 * k->cap : 64;
		char (*v)[JNET_JAILNAMSIZ] = realloc(k->v, (size_t)cap * JNET_JAILNAMSIZ);

		if (v == NULL)
			return -ENOMEM;
		k->v = v;
		k->cap = cap;
	}
	jnet_strlcpy(k->v[k->n++], name, JNET_JAILNAMSIZ);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* ---------------------------------------------------------------- locks, journal */

static int
lab_lock(struct jnet_ctx *ctx, const char *name)
{
	return jnet_lock(ctx->rundir, "lab", name,
	    ctx->lock_wait_ms ? ctx->lock_wait_ms : JNET_LOCK_WAIT_MS_DEFAULT, &ctx->err);
}

/*
 * The bridge journal, RUNDIR/lab.LAB.bridges: the kernel names of the bridges `up` is
 * about to create, one a line, written before each is created. Linux takes no alias in
 * the request that creates a bridge (IFLA_IFALIAS is ignored there), so a SIGKILL between
 * creating a bridge and tagging it leaves an untagged bridge; the journal is what lets
 * `down -n LAB`, which has no file to compute names from, know that jnet would have named
 * a bridge exactly so (jnet_ownership's crash window). It means nothing by itself: a
 * name in it is removed only if the bridge is untagged, in jnet's group and a bridge.
 */
static void
journal_path(struct jnet_ctx *ctx, const char *lab, char *path, size_t len)
{
	const char *dir = ctx->rundir && ctx->rundir[0] ? ctx->rundir : JNET_RUNDIR_DEFAULT;

	if (snprintf(path, len, "%s/lab.%s.bridges", dir, lab) >= (int)len)
		path[0] = '\0';
}

static bool
journal_has(struct jnet_ctx *ctx, const char *lab, const char *ifname)
{
	char path[512], line[64];
	bool found = false;
	FILE *f;

	journal_path(ctx, lab, path, sizeof(path));
	if (path[0] == '\0' || (f = fopen(path, "re")) == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		found = strcmp(line, ifname) == 0;
	}
	fclose(f);
	return found;
}

static int
journal_add(struct jnet_ctx *ctx, const char *lab, const char *ifname)
{
	const char *dir = ctx->rundir && ctx->rundir[0] ? ctx->rundir : JNET_RUNDIR_DEFAULT;
	char path[512];
	FILE *f;
	int r = 0;

	if (journal_has(ctx, lab, ifname))
		return 0;
	journal_path(ctx, lab, path, sizeof(path));
	if (path[0] == '\0')
		return jnet_err_set(&ctx->err, ENAMETOOLONG, lab, "journal file name too long");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return jnet_err_sys(&ctx->err, errno, dir, "create the run directory");
	if ((f = fopen(path, "ae")) == NULL)
		return jnet_err_sys(&ctx->err, errno, path, "open the bridge journal");
	if (fprintf(f, "%s\n", ifname) < 0)
		r = jnet_err_sys(&ctx->err, errno ? errno : EIO, path, "write the bridge journal");
	if (fclose(f) != 0 && r == 0)
		r = jnet_err_sys(&ctx->err, errno, path, "write the bridge journal");
	return r;
}

/*
 * The name jnet would have given an untagged bridge `ifname` of lab `lab`, for
 * jnet_ownership's crash window: its own name if `up` wrote it into the journal before
 * creating it, else NULL (a name alone, even the lab's, proves nothing: someone may have
 * made that bridge and put it into jnet's group).
 */
static const char *
bridge_expect(struct jnet_ctx *ctx, const char *lab, const char *ifname)
{
	return journal_has(ctx, lab, ifname) ? ifname : NULL;
}

static void
journal_remove(struct jnet_ctx *ctx, const char *lab)
{
	char path[512];

	journal_path(ctx, lab, path, sizeof(path));
	if (path[0] != '\0')
		unlink(path);
}

/* ---------------------------------------------------------------- up */

/*
 * What this `up` found and what it created: the preflight fills the first, the steps the
 * second, and a failure unwinds the second (rollback).
 */
struct up_state {
	bool *bridge_exists;         /* per lab bridge: there before (tagged or crash window) */
	bool *bridge_untagged;       /* per lab bridge: there, untagged: adopt it */
	bool *bridge_made;           /* per lab bridge: created by this up */
	bool *jail_exists;           /* per lab jail */
	bool *jail_made;             /* per lab jail: created by this up */
	struct names hostifs;        /* host ends this up created in jails that existed */
};

static void
up_state_free(struct up_state *s)
{
	free(s->bridge_exists);
	free(s->bridge_untagged);
	free(s->bridge_made);
	free(s->jail_exists);
	free(s->jail_made);
	free(s->hostifs.v);
}

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
preflight_bridge(struct jnet_ctx *ctx, const struct jnet_lab *lab, int b, struct up_state *s)
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
		    JNET_TAG_BRIDGE, bridge_expect(ctx, lab->name, ifname), &t);

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

static int
open_jail(struct jnet_ctx *ctx, const struct jnet_lab_jail *jl, struct jnet_jail *j)
{
	int r;

	memset(j, 0, sizeof(*j));
	j->fd = j->jid = -1;
	r = ctx->be->jail_open(ctx->priv, jl->scoped, 0, j, &ctx->err);
	if (r == 0 && !j->exists)
		r = jnet_err_set(&ctx->err, ENOENT, jl->scoped, "jail vanished");
	return r;
}

/* Is jail jl there, and the lab's? Anything else with its name stops up. */
static int
preflight_jail(struct jnet_ctx *ctx, const struct jnet_lab *lab, int ji, struct up_state *s)
{
	const struct jnet_lab_jail *jl = &lab->jails[ji];
	char have[JNET_TAGSIZ];
	struct jnet_tag t;
	int r;

	r = ctx->be->jail_tag(ctx->priv, jl->scoped, have, sizeof(have), &ctx->err);
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
    const struct up_state *s)
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
		if ((r = open_jail(ctx, jl, &j)) < 0)
			return lab_fail(ctx, "jail", jl->name);
		for (int k = 0; r == 0 && k < jl->nifaces; k++) {
			jnet_lab_iface_name(ctx, jl, k, ifname);
			r = ctx->be->jail_if_get(ctx->priv, &j, ifname, &i, &ctx->err);
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

/*
 * Everything that can be known before creating anything: every object of the lab that is
 * there already is the lab's (jnet_ownership), every uplink exists and is free, every
 * limit holds. Whatever is in the way stops up here, named, with nothing created.
 */
static int
preflight(struct jnet_ctx *ctx, const struct jnet_lab *lab, struct up_state *s)
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

static int
up_bridge(struct jnet_ctx *ctx, const struct jnet_lab *lab, int b, struct up_state *s)
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
	if (journal_add(ctx, lab->name, ifname) < 0)
		return lab_fail(ctx, "bridge", br->name);
	r = jnet_bridge_add(ctx, ifname, br->uplink[0] ? br->uplink : NULL, lab->name);
	if (r < 0)
		return lab_fail(ctx, "bridge", br->name);
	s->bridge_made[b] = true;
	return 0;
}

static int
up_jail(struct jnet_ctx *ctx, const struct jnet_lab *lab, int ji, struct up_state *s)
{
	const struct jnet_lab_jail *jl = &lab->jails[ji];
	char want[JNET_TAGSIZ];
	int r;

	if (s->jail_exists[ji])
		return 0;
	tagtext(ctx, JNET_TAG_JAIL, lab->name, want, sizeof(want));
	r = ctx->be->jail_create(ctx->priv, jl->scoped, want, &ctx->err);
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
up_bridged_links(struct jnet_ctx *ctx, const struct jnet_lab *lab, int ji, struct up_state *s)
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
			    names_add(&s->hostifs, h) < 0)
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
	if ((r = open_jail(ctx, ja, &a)) < 0)
		return lab_fail(ctx, "link", what);
	if ((r = open_jail(ctx, jb, &b)) < 0) {
		ctx->be->jail_close(ctx->priv, &a);
		return lab_fail(ctx, "link", what);
	}
	memset(&req, 0, sizeof(req));
	req.jail = ja->scoped;
	req.index = fa->index;
	jnet_lab_iface_name(ctx, ja, lk->iface[0], req.host_if);
	jnet_lab_iface_name(ctx, jb, lk->iface[1], req.jail_if);
	ra = ctx->be->jail_if_get(ctx->priv, &a, req.host_if, &ia, &ctx->err);
	rb = ctx->be->jail_if_get(ctx->priv, &b, req.jail_if, &ib, &ctx->err);
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

	if ((r = open_jail(ctx, jl, &j)) < 0)
		return lab_fail(ctx, "jail", jl->name);
	for (int i = 0; r == 0 && i < jl->nifaces; i++) {
		jnet_lab_iface_name(ctx, jl, i, ifname);
		if (iface_uses_ipv6(&jl->ifaces[i])) {
			/* IPv6 needs a link-local address (a router solicits neighbours from it):
			 * the modified EUI-64 one the kernel would have made, without DAD. */
			struct jnet_ifinfo info;
			uint8_t ll[16] = { 0xfe, 0x80 };

			r = ctx->be->jail_if_get(ctx->priv, &j, ifname, &info, &ctx->err);
			if (r == 0) {
				ll[8] = info.mac[0] ^ 0x02;
				ll[9] = info.mac[1];
				ll[10] = info.mac[2];
				ll[11] = 0xff;
				ll[12] = 0xfe;
				ll[13] = info.mac[3];
				ll[14] = info.mac[4];
				ll[15] = info.mac[5];
				r = ctx->be->addr_add(ctx->priv, &j, ifname, AF_INET6, ll, 64, &ctx->err);
			}
		}
		for (int a = 0; r == 0 && a < jl->ifaces[i].naddrs; a++) {
			const struct jnet_lab_addr *ad = &jl->ifaces[i].addrs[a];

			r = ctx->be->addr_add(ctx->priv, &j, ifname, ad->family, ad->addr, ad->prefix,
			    &ctx->err);
		}
	}
	for (int i = 0; r == 0 && i < jl->nroutes; i++) {
		const struct jnet_lab_route *rt = &jl->routes[i];

		r = ctx->be->route_add(ctx->priv, &j, rt->dst.family, rt->dst.addr, rt->dst.prefix,
		    rt->via.addr, &ctx->err);
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
		r = ctx->be->forwarding(ctx->priv, &j, true, &ctx->err);
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
rollback(struct jnet_ctx *ctx, const struct jnet_lab *lab, struct up_state *s)
{
	struct jnet_err saved = ctx->err;
	struct names made = { NULL, 0, 0 };
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
		if (s->jail_made[i] && names_add(&made, lab->jails[i].scoped) < 0)
			break;
	if (made.n > 1)
		qsort(made.v, (size_t)made.n, JNET_JAILNAMSIZ, name_cmp);
	if (made.n > 0) {
		if (ctx->be->link_destroy_jails != NULL)
			ctx->be->link_destroy_jails(ctx->priv, made.v, made.n, &ctx->err);
		else
			for (int i = 0; i < made.n; i++)
				jnet_destroy_named(ctx, made.v[i]);
		if (ctx->err.code && ctx->warn)
			ctx->warn(ctx, &ctx->err);
		jnet_err_clear(&ctx->err);
	}
	for (int i = made.n - 1; i >= 0; i--) {
		if (ctx->be->jail_destroy(ctx->priv, made.v[i], &ctx->err) < 0 && ctx->warn)
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
    struct up_state *s)
{
	int r;

	if ((r = preflight(ctx, lab, s)) < 0)
		return r;
	for (int b = 0; b < lab->nbridges; b++) {
		if ((r = up_bridge(ctx, lab, b, s)) < 0)
			return r;
		progress(p, arg, "bridges", b + 1, lab->nbridges);
	}
	for (int i = 0; i < lab->njails; i++) {
		if ((r = up_jail(ctx, lab, i, s)) < 0)
			return r;
		progress(p, arg, "jails", i + 1, lab->njails);
	}
	for (int i = 0; i < lab->njails; i++) {
		if ((r = up_bridged_links(ctx, lab, i, s)) < 0)
			return r;
		progress(p, arg, "interfaces", i + 1, lab->njails);
	}
	for (int k = 0; k < lab->nlinks; k++) {
		if ((r = up_p2p(ctx, lab, k)) < 0)
			return r;
		progress(p, arg, "links", k + 1, lab->nlinks);
	}
	for (int i = 0; i < lab->njails; i++) {
		if ((r = up_l3(ctx, &lab->jails[i])) < 0)
			return r;
		progress(p, arg, "addresses", i + 1, lab->njails);
	}
	return 0;
}

int
jnet_lab_up(struct jnet_ctx *ctx, const struct jnet_lab *lab, jnet_lab_progress p, void *arg)
{
	struct up_state s;
	int r, lock;

	jnet_err_clear(&ctx->err);
	if ((r = need_labs(ctx)) < 0)
		return r;
	memset(&s, 0, sizeof(s));
	s.bridge_exists = calloc((size_t)lab->nbridges + 1, sizeof(bool));
	s.bridge_untagged = calloc((size_t)lab->nbridges + 1, sizeof(bool));
	s.bridge_made = calloc((size_t)lab->nbridges + 1, sizeof(bool));
	s.jail_exists = calloc((size_t)lab->njails + 1, sizeof(bool));
	s.jail_made = calloc((size_t)lab->njails + 1, sizeof(bool));
	if (s.bridge_exists == NULL || s.bridge_untagged == NULL || s.bridge_made == NULL ||
	    s.jail_exists == NULL || s.jail_made == NULL) {
		up_state_free(&s);
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	}
	/* One command at a time on a lab: a second up waits, then finds it complete. */
	if ((lock = lab_lock(ctx, lab->name)) < 0) {
		up_state_free(&s);
		return lock;
	}
	r = up_locked(ctx, lab, p, arg, &s);
	if (r < 0)
		rollback(ctx, lab, &s);
	jnet_unlock(lock);
	up_state_free(&s);
	return r;
}

/* ---------------------------------------------------------------- down */

struct down_ctx {
	struct jnet_ctx *ctx;
	const char *lab;
	const struct jnet_lab *file;     /* NULL for down -n */
	const char *backend;
	struct names jails, bridges;
};

static int
down_jail(const char *name, const char *tag, void *arg)
{
	struct down_ctx *d = arg;
	struct jnet_tag t;

	/* A name the backend found unusable as a jail (netns: an empty file left by a
	 * crash before the namespace was mounted on it) holds nothing: remove it. */
	if (strcmp(tag, JNET_JAIL_STALE) == 0)
		return names_add(&d->jails, name);
	if (jnet_ownership(tag, false, name, JNET_TAG_JAIL, NULL, &t) == JNET_OWN_TAGGED &&
	    strcmp(t.name, d->lab) == 0 && strcmp(t.backend, d->backend) == 0)
		return names_add(&d->jails, name);
	return 0;
}

static int
down_bridge(const struct jnet_ifinfo *i, void *arg)
{
	struct down_ctx *d = arg;
	struct jnet_tag t;
	enum jnet_own own;

	if (!i->is_bridge)
		return 0;
	own = jnet_ownership(i->tagtext, i->jnet_group, i->name, JNET_TAG_BRIDGE,
	    i->tagtext[0] == '\0' && i->jnet_group ? bridge_expect(d->ctx, d->lab, i->name) :
	    NULL, &t);
	if ((own == JNET_OWN_TAGGED && strcmp(t.name, d->lab) == 0 &&
	    strcmp(t.backend, d->backend) == 0) || own == JNET_OWN_CRASH)
		return names_add(&d->bridges, i->name);
	return 0;
}

/* 4. The lab's bridges: tagged for it, or (crash window) untagged, in jnet's group and
 *    named as the file or the journal names them. */
static int
down_bridges(struct jnet_ctx *ctx, struct down_ctx *d, jnet_lab_progress p, void *arg,
    int *failed, struct jnet_err *first)
{
	int r;

	if ((r = ctx->be->bridge_list(ctx->priv, down_bridge, d, &ctx->err)) < 0)
		return r;
	for (int i = 0; i < d->bridges.n; i++)
		if ((jnet_lab_vxlan_release(ctx, d->lab, d->bridges.v[i]) < 0 || /* lab_vxlan.c */
		    jnet_bridge_release(ctx, d->bridges.v[i]) < 0) && (*failed)++ == 0)
			*first = ctx->err;
	progress(p, arg, "bridges", d->bridges.n, d->bridges.n);
	return 0;
}

static int
down_locked(struct jnet_ctx *ctx, struct down_ctx *d, jnet_lab_progress p, void *arg)
{
	char prefix[JNET_LAB_NAMEMAX + 2];
	int r, failed = 0;
	struct jnet_err first;

	jnet_err_clear(&first);
	snprintf(prefix, sizeof(prefix), "%s.", d->lab);
	/* 1. The lab's jails, known by their tags (never by their names alone). */
	if ((r = ctx->be->jail_list(ctx->priv, prefix, down_jail, d, &ctx->err)) < 0)
		return r;
	if (d->jails.n > 1)
		qsort(d->jails.v, (size_t)d->jails.n, JNET_JAILNAMSIZ, name_cmp);
	/* 2. Their links' host ends, in one kernel teardown. */
	if (d->jails.n > 0 && ctx->be->link_destroy_jails != NULL) {
		if ((r = ctx->be->link_destroy_jails(ctx->priv, d->jails.v, d->jails.n,
		    &ctx->err)) < 0)
			return r;
	} else {
		for (int i = 0; i < d->jails.n; i++)
			if (jnet_destroy_named(ctx, d->jails.v[i]) < 0 && failed++ == 0)
				first = ctx->err;
	}
	progress(p, arg, "links", 1, 1);
	/* 3. The jails, and with them everything inside. At once where the backend can, and
	 *    then last: the kernel tears the namespaces down after that, asynchronously and
	 *    under the lock that removing a bridge takes too. */
	if (ctx->be->lab_jails_destroy != NULL) {
		if ((r = down_bridges(ctx, d, p, arg, &failed, &first)) < 0)
			return r;
		if (ctx->be->lab_jails_destroy(ctx->priv, d->lab, d->jails.v, d->jails.n,
		    &ctx->err) < 0 && failed++ == 0)
			first = ctx->err;
		if (d->jails.n > 0)
			progress(p, arg, "jails", d->jails.n, d->jails.n);
	} else {
		for (int i = 0; i < d->jails.n; i++) {
			if (ctx->be->jail_destroy(ctx->priv, d->jails.v[i], &ctx->err) < 0 &&
			    failed++ == 0)
				first = ctx->err;
			progress(p, arg, "jails", i + 1, d->jails.n);
		}
		if ((r = down_bridges(ctx, d, p, arg, &failed, &first)) < 0)
			return r;
	}
	if (failed) {
		ctx->err = first;
		return -(first.code ? first.code : EIO);
	}
	journal_remove(ctx, d->lab);
	return 0;
}

int
jnet_lab_down(struct jnet_ctx *ctx, const char *name, const struct jnet_lab *file,
    jnet_lab_progress p, void *arg)
{
	struct down_ctx d = { ctx, name, file, ctx->be->name, { NULL, 0, 0 }, { NULL, 0, 0 } };
	int r, lock;

	jnet_err_clear(&ctx->err);
	if ((r = need_labs(ctx)) < 0)
		return r;
	if (name[0] == '\0' || strlen(name) > JNET_LAB_NAMEMAX)
		return jnet_err_set(&ctx->err, EINVAL, name, "not a lab name");
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
			return jnet_err_set(&ctx->err, EINVAL, name,
			    "not a lab name (letters, digits, '_' and '-' only)");
	if ((lock = lab_lock(ctx, name)) < 0)
		return lock;
	r = down_locked(ctx, &d, p, arg);
	jnet_unlock(lock);
	free(d.jails.v);
	free(d.bridges.v);
	return r;
}

/* ---------------------------------------------------------------- status */

struct addr_seen {
	const struct jnet_lab_iface *f;
	bool seen[JNET_LAB_MAXADDRS];
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
	bool seen[JNET_LAB_MAXROUTES];
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

static json_t *
status_jail(struct jnet_ctx *ctx, const struct jnet_lab *lab, const struct jnet_lab_jail *jl,
    bool *complete)
{
	char have[JNET_TAGSIZ], ifname[JNET_IFNAMSIZ], mac[JNET_MACSTRLEN];
	json_t *o = json_object(), *ifs = json_array(), *routes = json_array();
	struct jnet_tag t;
	struct jnet_jail j;
	bool present;
	int r;

	r = ctx->be->jail_tag(ctx->priv, jl->scoped, have, sizeof(have), &ctx->err);
	present = r == 0 &&
	    jnet_ownership(have, false, jl->scoped, JNET_TAG_JAIL, NULL, &t) == JNET_OWN_TAGGED &&
	    strcmp(t.name, lab->name) == 0 && strcmp(t.backend, ctx->be->name) == 0;
	json_object_set_new(o, "name", json_string(jl->name));
	json_object_set_new(o, "jail", json_string(jl->scoped));
	json_object_set_new(o, "present", json_boolean(present));
	if (r == 0 && !present)
		json_object_set_new(o, "foreign", json_string(have));
	json_object_set_new(o, "forwarding", json_boolean(jl->forwarding));
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	if (present && open_jail(ctx, jl, &j) < 0)
		present = false;
	if (!present)
		*complete = false;
	for (int i = 0; i < jl->nifaces; i++) {
		const struct jnet_lab_iface *f = &jl->ifaces[i];
		json_t *fo = json_object(), *addrs = json_array(), *missing = json_array();
		struct jnet_ifinfo info;
		bool fp = false;

		jnet_lab_iface_name(ctx, jl, i, ifname);
		json_object_set_new(fo, "index", json_integer(f->index));
		json_object_set_new(fo, "ifname", json_string(ifname));
		json_object_set_new(fo, "bridge", f->bridge >= 0 ?
		    json_string(lab->bridges[f->bridge].name) : json_null());
		json_object_set_new(fo, "peer", f->peer_jail >= 0 ?
		    json_string(lab->jails[f->peer_jail].name) : json_null());
		if (present && ctx->be->jail_if_get(ctx->priv, &j, ifname, &info, &ctx->err) == 0) {
			struct addr_seen s;

			fp = true;
			jnet_mac_format(info.mac, mac);
			json_object_set_new(fo, "up", json_boolean(info.up));
			json_object_set_new(fo, "mac", json_string(mac));
			if (!info.up)
				*complete = false;
			memset(&s, 0, sizeof(s));
			s.f = f;
			if (ctx->be->addr_list != NULL)
				ctx->be->addr_list(ctx->priv, &j, ifname, addr_seen, &s, &ctx->err);
			for (int a = 0; a < f->naddrs; a++)
				json_array_append_new(s.seen[a] ? addrs : missing,
				    json_string(f->addrs[a].text));
		} else {
			for (int a = 0; a < f->naddrs; a++)
				json_array_append_new(missing, json_string(f->addrs[a].text));
		}
		if (!fp || json_array_size(missing) > 0)
			*complete = false;
		if (f->bridge >= 0) {
			/* The host end: present, up, on its bridge. */
			char hname[JNET_IFNAMSIZ], want_br[JNET_IFNAMSIZ];
			json_t *ho = json_object();
			struct jnet_ifinfo hi;
			bool hp;

			jnet_link_ifname(ctx, hname, jl->scoped, f->index, 'a');
			jnet_lab_bridge_ifname(lab, f->bridge, want_br);
			hp = ctx->be->paired && ctx->be->if_get(ctx->priv, hname, &hi, &ctx->err) == 0;
			json_object_set_new(ho, "ifname", json_string(hname));
			json_object_set_new(ho, "present", json_boolean(hp));
			if (hp) {
				json_object_set_new(ho, "up", json_boolean(hi.up));
				json_object_set_new(ho, "bridge", hi.master[0] ?
				    json_string(hi.master) : json_null());
				if (!hi.up || strcmp(hi.master, want_br) != 0)
					*complete = false;
			} else if (ctx->be->paired) {
				*complete = false;
			}
			json_object_set_new(fo, "host", ho);
			jnet_err_clear(&ctx->err);
		}
		json_object_set_new(fo, "present", json_boolean(fp));
		json_object_set_new(fo, "addresses", addrs);
		json_object_set_new(fo, "missing_addresses", missing);
		json_array_append_new(ifs, fo);
	}
	if (jl->nroutes > 0) {
		struct route_seen *s = calloc(1, sizeof(*s));

		if (s != NULL) {
			s->jl = jl;
			if (present && ctx->be->route_list != NULL)
				ctx->be->route_list(ctx->priv, &j, route_seen, s, &ctx->err);
			for (int i = 0; i < jl->nroutes; i++) {
				json_t *ro = json_object();
				char to[JNET_LAB_ADDRSTRLEN];

				snprintf(to, sizeof(to), "%s", jl->routes[i].is_default ? "default" :
				    jl->routes[i].dst.text);
				json_object_set_new(ro, "to", json_string(to));
				json_object_set_new(ro, "via", json_string(jl->routes[i].via.text));
				json_object_set_new(ro, "present", json_boolean(s->seen[i]));
				if (!s->seen[i])
					*complete = false;
				json_array_append_new(routes, ro);
			}
			free(s);
		}
	}
	if (present)
		ctx->be->jail_close(ctx->priv, &j);
	json_object_set_new(o, "interfaces", ifs);
	json_object_set_new(o, "routes", routes);
	jnet_err_clear(&ctx->err);
	return o;
}

int
jnet_lab_status(struct jnet_ctx *ctx, const struct jnet_lab *lab, json_t **out, bool *complete)
{
	json_t *o, *brs, *jails;
	int r;

	jnet_err_clear(&ctx->err);
	if ((r = need_labs(ctx)) < 0)
		return r;
	*complete = true;
	o = json_object();
	brs = json_array();
	jails = json_array();
	json_object_set_new(o, "lab", json_string(lab->name));
	json_object_set_new(o, "backend", json_string(ctx->be->name));
	for (int b = 0; b < lab->nbridges; b++) {
		char ifname[JNET_IFNAMSIZ];
		struct jnet_ifinfo i;
		json_t *bo = json_object();
		bool present;

		enum jnet_own own = JNET_OWN_NONE;
		struct jnet_tag t;

		jnet_lab_bridge_ifname(lab, b, ifname);
		if (ctx->be->if_get(ctx->priv, ifname, &i, &ctx->err) == 0 && i.is_bridge)
			own = jnet_ownership(i.tagtext, i.jnet_group, i.name, JNET_TAG_BRIDGE,
			    bridge_expect(ctx, lab->name, ifname), &t);
		/* Untagged, in jnet's group, named as this lab names it: made by an up killed
		 * before it could tag it. There, but the lab is not complete (up tags it). */
		present = (own == JNET_OWN_TAGGED && strcmp(t.name, lab->name) == 0 &&
		    strcmp(t.backend, ctx->be->name) == 0) || own == JNET_OWN_CRASH;
		if (!present || own == JNET_OWN_CRASH)
			*complete = false;
		if (own == JNET_OWN_CRASH)
			json_object_set_new(bo, "tagged", json_false());
		json_object_set_new(bo, "name", json_string(lab->bridges[b].name));
		json_object_set_new(bo, "ifname", json_string(ifname));
		json_object_set_new(bo, "present", json_boolean(present));
		json_object_set_new(bo, "uplink", lab->bridges[b].uplink[0] ?
		    json_string(lab->bridges[b].uplink) : json_null());
		json_array_append_new(brs, bo);
	}
	jnet_err_clear(&ctx->err);
	for (int i = 0; i < lab->njails; i++)
		json_array_append_new(jails, status_jail(ctx, lab, &lab->jails[i], complete));
	json_object_set_new(o, "complete", json_boolean(*complete));
	json_object_set_new(o, "bridges", brs);
	json_object_set_new(o, "jails", jails);
	*out = o;
	return 0;
}

/* ---------------------------------------------------------------- exec */

int
jnet_lab_exec(struct jnet_ctx *ctx, const struct jnet_lab *lab, const char *jail,
    char *const argv[])
{
	const struct jnet_lab_jail *jl;
	char have[JNET_TAGSIZ];
	struct jnet_tag t;
	struct jnet_jail j;
	int i, r, lock;

	jnet_err_clear(&ctx->err);
	if ((r = need_labs(ctx)) < 0)
		return r;
	if ((i = jnet_lab_jail_find(lab, jail)) < 0)
		return jnet_err_set(&ctx->err, ENOENT, jail, "no such jail in lab %s", lab->name);
	jl = &lab->jails[i];
	/* Held while the jail is checked and opened, so that a running up or down is not
	 * seen half-way; let go before the command runs (it may run for long, and it runs
	 * in the namespace it entered even if a down removes the name meanwhile). */
	if ((lock = lab_lock(ctx, lab->name)) < 0)
		return lock;
	r = ctx->be->jail_tag(ctx->priv, jl->scoped, have, sizeof(have), &ctx->err);
	if (r == -ENOENT)
		r = jnet_err_set(&ctx->err, ENOENT, jl->scoped, "not up (run jnet lab up)");
	else if (r == 0 && (jnet_ownership(have, false, jl->scoped, JNET_TAG_JAIL, NULL, &t) !=
	    JNET_OWN_TAGGED || strcmp(t.name, lab->name) != 0 ||
	    strcmp(t.backend, ctx->be->name) != 0))
		r = jnet_err_set(&ctx->err, EPERM, jl->scoped, "is not lab %s's jail (%s)",
		    lab->name, have[0] ? have : "no jnet tag");
	if (r == 0)
		r = open_jail(ctx, jl, &j);
	jnet_unlock(lock);
	if (r < 0)
		return r;
	r = ctx->be->jail_exec(ctx->priv, &j, argv, &ctx->err);
	ctx->be->jail_close(ctx->priv, &j);
	return r;
}
