/* Running labs: the names of lab objects, helpers shared by up/status/exec, the bridge
 * journal, and down. */
#include "lab_run_int.h"
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

int
lab_need(struct jnet_ctx *ctx)
{
	const struct jnet_backend_ops *b = ctx->be;

	if (b->lab == NULL)
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

void
lab_progress(jnet_lab_progress p, void *arg, const char *stage, int done, int total)
{
	if (p != NULL)
		p(arg, stage, done, total);
}

/* Prefix an error with the lab object it is about. */
int
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

int
lab_names_add(struct lab_names *k, const char *name)
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

int
lab_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* ---------------------------------------------------------------- locks, journal */

int
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

int
lab_journal_add(struct jnet_ctx *ctx, const char *lab, const char *ifname)
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
const char *
lab_bridge_expect(struct jnet_ctx *ctx, const char *lab, const char *ifname)
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

int
lab_open_jail(struct jnet_ctx *ctx, const struct jnet_lab_jail *jl, struct jnet_jail *j)
{
	int r;

	memset(j, 0, sizeof(*j));
	j->fd = j->jid = -1;
	r = ctx->be->jail_open(ctx->priv, jl->scoped, 0, j, &ctx->err);
	if (r == 0 && !j->exists)
		r = jnet_err_set(&ctx->err, ENOENT, jl->scoped, "jail vanished");
	return r;
}

/* ---------------------------------------------------------------- down */

struct down_ctx {
	struct jnet_ctx *ctx;
	const char *lab;
	const struct jnet_lab *file;     /* NULL for down -n */
	const char *backend;
	struct lab_names jails, bridges;
};

static int
down_jail(const char *name, const char *tag, void *arg)
{
	struct down_ctx *d = arg;
	struct jnet_tag t;

	/* A name the backend found unusable as a jail (netns: an empty file left by a
	 * crash before the namespace was mounted on it) holds nothing: remove it. */
	if (strcmp(tag, JNET_JAIL_STALE) == 0)
		return lab_names_add(&d->jails, name);
	if (jnet_ownership(tag, false, name, JNET_TAG_JAIL, NULL, &t) == JNET_OWN_TAGGED &&
	    strcmp(t.name, d->lab) == 0 && strcmp(t.backend, d->backend) == 0)
		return lab_names_add(&d->jails, name);
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
	    i->tagtext[0] == '\0' && i->jnet_group ? lab_bridge_expect(d->ctx, d->lab, i->name) :
	    NULL, &t);
	if ((own == JNET_OWN_TAGGED && strcmp(t.name, d->lab) == 0 &&
	    strcmp(t.backend, d->backend) == 0) || own == JNET_OWN_CRASH)
		return lab_names_add(&d->bridges, i->name);
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
	lab_progress(p, arg, "bridges", d->bridges.n, d->bridges.n);
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
	if ((r = ctx->be->lab->jail_list(ctx->priv, prefix, down_jail, d, &ctx->err)) < 0)
		return r;
	if (d->jails.n > 1)
		qsort(d->jails.v, (size_t)d->jails.n, JNET_JAILNAMSIZ, lab_name_cmp);
	/* 2. Their links' host ends, in one kernel teardown. */
	if (d->jails.n > 0 && ctx->be->lab->link_destroy_jails != NULL) {
		if ((r = ctx->be->lab->link_destroy_jails(ctx->priv, d->jails.v, d->jails.n,
		    &ctx->err)) < 0)
			return r;
	} else {
		for (int i = 0; i < d->jails.n; i++)
			if (jnet_destroy_named(ctx, d->jails.v[i]) < 0 && failed++ == 0)
				first = ctx->err;
	}
	lab_progress(p, arg, "links", 1, 1);
	/* 3. The jails, and with them everything inside. At once where the backend can, and
	 *    then last: the kernel tears the namespaces down after that, asynchronously and
	 *    under the lock that removing a bridge takes too. */
	if (ctx->be->lab->lab_jails_destroy != NULL) {
		if ((r = down_bridges(ctx, d, p, arg, &failed, &first)) < 0)
			return r;
		if (ctx->be->lab->lab_jails_destroy(ctx->priv, d->lab, d->jails.v, d->jails.n,
		    &ctx->err) < 0 && failed++ == 0)
			first = ctx->err;
		if (d->jails.n > 0)
			lab_progress(p, arg, "jails", d->jails.n, d->jails.n);
	} else {
		for (int i = 0; i < d->jails.n; i++) {
			if (ctx->be->lab->jail_destroy(ctx->priv, d->jails.v[i], &ctx->err) < 0 &&
			    failed++ == 0)
				first = ctx->err;
			lab_progress(p, arg, "jails", i + 1, d->jails.n);
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
	if ((r = lab_need(ctx)) < 0)
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
