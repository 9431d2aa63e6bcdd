/*
 * CNI mode: the bridge lock and what a killed ADD left of a bridge it was making.
 *
 * An ADD makes a missing bridge (jnet_bridge_add) under the lock RUNDIR/cnibr.BRIDGE. The
 * kernel cannot create a bridge under its final name: FreeBSD's SIOCIFCREATE2 gives it
 * the cloner's name (bridge0), which jnet marks (group jnet, then its tag) and then
 * renames, gives its MAC and brings up. A kill -9 in between leaves a bridgeN in group
 * jnet, or the bridge under its name but down. A holder that died leaves the lock file
 * marked (src/lock.c), so the next ADD, DEL or GC of the network that takes the lock knows,
 * and only then looks (a listing of the host's bridges, after a crash only):
 *   - a bridge in group jnet still under a cloner's name (bridgeN), without members, untagged
 *     or tagged as a jnet bridge: removed, once it is still so a second later (a live
 *     creator renames it at once);
 *   - the configured bridge, jnet's (its tag or its group) without jail links: removed
 *     (jnet_bridge_del), and the ADD makes it anew, complete.
 * A bridge outside group jnet (a kill before SIOCAIFGROUP leaves a plain bridgeN: nothing
 * says it is jnet's) is never touched.
 */
#include "cni.h"
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CNI_BRIDGE_SETTLE_MS 1000   /* a live creator renames its bridgeN well within this */

/* A bridge in group jnet under a cloner's name, without a tag other than a bridge's. */
static bool
leftover(const struct jnet_ifinfo *b)
{
	const char *d = b->name + 6;

	if (!b->is_bridge || !b->jnet_group || strncmp(b->name, "bridge", 6) != 0 ||
	    *d == '\0' || strspn(d, "0123456789") != strlen(d))
		return false;
	return b->tagtext[0] == '\0' || (b->tagged && b->tag.kind == JNET_TAG_BRIDGE);
}

struct sweep {
	char (*names)[JNET_IFNAMSIZ];
	int n, cap;
};

static int
sweep_cb(const struct jnet_ifinfo *b, void *arg)
{
	struct sweep *s = arg;

	if (!leftover(b) || s->n == s->cap)
		return 0;
	jnet_strlcpy(s->names[s->n++], b->name, JNET_IFNAMSIZ);
	return 0;
}

/* Remove the leftovers found (still leftovers a second later, and without members). */
static int
sweep_kernel_named(struct jnet_cni_run *r)
{
	const struct jnet_backend_ops *be = r->ctx->be;
	char names[16][JNET_IFNAMSIZ], m[1][JNET_IFNAMSIZ];
	struct sweep s = { names, 0, 16 };
	struct timespec settle = { CNI_BRIDGE_SETTLE_MS / 1000, 0 };
	struct jnet_ifinfo b;

	if (be->bridge_list(r->ctx->priv, sweep_cb, &s, &r->ctx->err) < 0)
		return jnet_cni_kernel_fail(r, "bridge: list the bridges (after a killed ADD)");
	if (s.n == 0)
		return 0;
	nanosleep(&settle, NULL);
	for (int i = 0; i < s.n; i++) {
		if (be->if_get(r->ctx->priv, names[i], &b, &r->ctx->err) < 0 || !leftover(&b) ||
		    be->bridge_members(r->ctx->priv, names[i], m, 1, &r->ctx->err) != 0) {
			jnet_err_clear(&r->ctx->err);
			continue; /* gone, taken, or in use: not a leftover */
		}
		if (be->bridge_destroy(r->ctx->priv, names[i], &r->ctx->err) < 0)
			return jnet_cni_kernel_fail(r, "bridge: remove a killed ADD's leftover");
	}
	return 0;
}

int
jnet_cni_bridge_lock(struct jnet_cni_run *r, bool *crashed)
{
	int wait = r->ctx->lock_wait_ms > 0 ? r->ctx->lock_wait_ms : JNET_LOCK_WAIT_MS_DEFAULT;
	int fd = jnet_lock_check(r->ctx->rundir, "cnibr", r->conf.bridge, wait, crashed,
	    &r->ctx->err);

	if (fd < 0)
		jnet_cni_kernel_fail(r, "bridge lock");
	return fd;
}

int
jnet_cni_bridge_sweep(struct jnet_cni_run *r)
{
	struct jnet_ifinfo b;
	int rc = r->ctx->be->if_get(r->ctx->priv, r->conf.bridge, &b, &r->ctx->err);

	if (rc < 0 && rc != -ENODEV)
		return jnet_cni_kernel_fail(r, "bridge");
	jnet_err_clear(&r->ctx->err);
	/* The configured bridge, jnet's: a killed ADD may have left it down, without its MAC.
	 * Without jail links it goes (refused with links: then it is in use, left as it is). */
	if (rc == 0 && b.is_bridge && jnet_ownership(b.tagtext, b.jnet_group, b.name,
	    JNET_TAG_BRIDGE, b.name, NULL) != JNET_OWN_NONE &&
	    jnet_bridge_del(r->ctx, r->conf.bridge) < 0 && r->ctx->err.code != EBUSY)
		return jnet_cni_kernel_fail(r, "bridge: remove a killed ADD's bridge");
	jnet_err_clear(&r->ctx->err);
	return sweep_kernel_named(r);
}

/* Is the lock file marked (a holder's pid in it: a live one, or one that was killed)? A
 * missing or empty file is neither: nothing to wait for or to look at (three system calls
 * instead of the lock's eight, for every DEL and GC). */
static bool
marked(struct jnet_cni_run *r)
{
	const char *dir = r->ctx->rundir && r->ctx->rundir[0] ? r->ctx->rundir :
	    JNET_RUNDIR_DEFAULT;
	char path[512], c;
	int fd;
	ssize_t n;

	if (snprintf(path, sizeof(path), "%s/cnibr.%s", dir, r->conf.bridge) >= (int)sizeof(path))
		return true; /* (the lock says what is wrong) */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno != ENOENT;
	n = pread(fd, &c, 1, 0);
	close(fd);
	return n != 0;
}

int
jnet_cni_bridge_check(struct jnet_cni_run *r)
{
	bool crashed = false;
	int fd, rc = 0;

	if (!marked(r))
		return 0;
	if ((fd = jnet_cni_bridge_lock(r, &crashed)) < 0)
		return -1;
	if (crashed)
		rc = jnet_cni_bridge_sweep(r);
	if (rc < 0)
		close(fd); /* (the lock stays marked: the next one looks again) */
	else
		jnet_unlock(fd);
	return rc;
}
