/*
 * The code both FreeBSD backends share (common.h): over the primitives of fbsd.h only.
 */
#include "common.h"
#include "fbsd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- errors */

int
fbc_kerr(struct jnet_err *e, int r, const char *obj, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return jnet_err_sys(e, r < 0 ? -r : r, obj, "%s", what);
}

bool
fbc_gone(int r)
{
	return r == -ENXIO || r == -ENODEV;
}

/* ---------------------------------------------------------------- kernel modules */

int
fbc_kld(const char *module, bool *done, struct jnet_err *e)
{
	int r;

	if (*done)
		return 0;
	r = fbsd_kld_ensure(module);
	if (r == -EEXIST)
		r = 0; /* loaded by somebody else meanwhile (kern_linker.c): what we wanted */
	if (r == -EPERM)
		return jnet_err_set(e, EPERM, module,
		    "kldload %s: not permitted here (inside a jail, at securelevel > 0, or not "
		    "root); kldload %s as root on the host, or add it to kld_list in rc.conf",
		    module, module);
	if (r == -ENOENT)
		return jnet_err_set(e, ENOENT, module,
		    "kldload %s: no such kernel module (kern.module_path); a kernel built "
		    "without it cannot run this backend", module);
	if (r < 0)
		return fbc_kerr(e, r, module, "kldload %s", module);
	*done = true;
	return 0;
}

/* ---------------------------------------------------------------- lists */

static int
fetch(size_t size, int cap, int (*fill)(void *v, int max, void *arg), void *arg,
    void **out, bool einval_grew)
{
	void *v = NULL;
	int r, grew = 0;

	*out = NULL;
	for (;;) {
		free(v);
		if ((v = calloc((size_t)cap + 1, size)) == NULL)
			return -ENOMEM;
		r = fill(v, cap, arg);
		if (r == -EINVAL && einval_grew && ++grew < FBC_GREW_TRIES) {
			cap *= 2; /* grew between the size query and the fetch: again */
			continue;
		}
		if (r < 0) {
			free(v);
			return r;
		}
		if (r <= cap)
			break;
		cap = r + 16; /* grew meanwhile: ask again with room */
	}
	*out = v;
	return r;
}

int
fbc_fetch(size_t size, int cap, int (*fill)(void *v, int max, void *arg), void *arg,
    void **out)
{
	return fetch(size, cap, fill, arg, out, false);
}

static int
fill_group(void *v, int max, void *arg)
{
	return fbsd_group_members(arg, v, max);
}

int
fbc_if_groups(const char *name, char (*groups)[JNET_IFNAMSIZ], int max)
{
	int r;

	/* EINVAL: the list grew between SIOCGIFGROUP's size query and its fetch (if.c
	 * if_getgroup): ask again, a bounded number of times. */
	for (int tries = 0; tries < FBC_GREW_TRIES; tries++)
		if ((r = fbsd_if_groups(name, groups, max)) != -EINVAL)
			break;
	return r;
}

int
fbc_group_list(const char *group, char (**out)[JNET_IFNAMSIZ], int *n, struct jnet_err *e)
{
	void *v;
	/* EINVAL: the group grew between SIOCGIFGMEMB's size query and its fetch (if.c
	 * if_getgroupmembers): ask again. */
	int r = fetch(JNET_IFNAMSIZ, 64, fill_group, (void *)group, &v, true);

	if (r == -ENOMEM)
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	if (r == -EINVAL)
		return jnet_err_set(e, EAGAIN, group,
		    "SIOCGIFGMEMB group %s: its member list kept changing between the size query and the fetch (%d tries); try again",
		    group, FBC_GREW_TRIES);
	if (r < 0)
		return fbc_kerr(e, r, group, "SIOCGIFGMEMB group %s", group);
	*out = v;
	*n = r;
	return 0;
}

int
fbc_link_visit(int (*get)(void *, const char *, struct jnet_link_info *, struct jnet_err *),
    void *priv, const char *name, int (*cb)(const struct jnet_link_info *, void *), void *arg,
    struct jnet_err *e)
{
	struct jnet_link_info l;
	int r = get(priv, name, &l, e);

	if (r == -ENODEV || r == -EPERM) {
		jnet_err_clear(e);
		return 0;
	}
	return r < 0 ? r : cb(&l, arg);
}

/* ---------------------------------------------------------------- jails */

int
fbc_jail_open(void *priv, const char *spec, unsigned flags, struct jnet_jail *j,
    struct jnet_err *e)
{
	bool dying = false;
	int r, jid = -1;

	(void)priv;
	/* libjail reads an all-digit string as a JID: only a spec (-J) may be one. */
	if (!(flags & JNET_JAIL_SPEC) && spec[0] != '\0' &&
	    strspn(spec, "0123456789") == strlen(spec))
		return jnet_err_set(e, EINVAL, spec,
		    "a jail name cannot be a number (give a JID with -J)");
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->jid = -1;
	jnet_strlcpy(j->name, spec, sizeof(j->name));
	r = fbsd_jail_getid(spec, &jid, &dying);
	if (r == -ENOENT)
		return 0; /* no such jail (yet) */
	if (r < 0)
		return fbc_kerr(e, r, spec, "jail_get");
	j->exists = true;
	j->dying = dying;
	j->jid = jid;
	return 0;
}

void
fbc_jail_close(void *priv, struct jnet_jail *j)
{
	(void)priv;
	(void)j;
}

int
fbc_jid_of(const char *jail, int *jid, bool *dying, struct jnet_err *e)
{
	int r = fbsd_jail_getid(jail, jid, dying);

	if (r == -ENOENT)
		return jnet_err_set(e, ENOENT, jail, "no such jail");
	return r < 0 ? fbc_kerr(e, r, jail, "jail_get") : 0;
}

static int
fill_jails(void *v, int max, void *arg)
{
	(void)arg;
	return fbsd_jail_list(v, max);
}

int
fbc_jails(struct fbsd_jail_info **out)
{
	return fbc_fetch(sizeof(**out), 64, fill_jails, NULL, (void **)out);
}

int
fbc_stale(const char *jail, const char *ifname, int *old_jid, struct jnet_err *e)
{
	struct fbsd_jail_info *v;
	int n = fbc_jails(&v), live = -1, idx, r;

	*old_jid = -1;
	if (n < 0)
		return fbc_kerr(e, n, jail, "jail_get lastjid (list the jails)");
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i].name, jail) != 0)
			continue;
		if (!v[i].dying)
			live = v[i].jid;
		else if (v[i].jid > *old_jid)
			*old_jid = v[i].jid; /* the newest of the old ones */
	}
	free(v);
	if (live < 0 || *old_jid < 0)
		return 0;
	r = fbsd_if_index(live, ifname, &idx);
	if (r == 0)
		return 0;
	if (fbc_gone(r))
		return 1;
	return fbc_kerr(e, r, ifname, "SIOCGIFINDEX inside jail %s", jail);
}

/* ---------------------------------------------------------------- one interface */

int
fbc_read_if(const char *name, struct fbc_if *x, struct jnet_err *e)
{
	return fbc_read_if_mtu(name, true, x, e);
}

int
fbc_read_if_mtu(const char *name, bool mtu, struct fbc_if *x, struct jnet_err *e)
{
	return fbc_read_if_what(name, mtu ? FBC_READ_MTU : 0, x, e);
}

/* The groups of x->name into x's flags: 0, or -errno (e filled). */
static int
read_groups(struct fbc_if *x, struct jnet_err *e)
{
	char groups[FBC_MAXGROUPS][JNET_IFNAMSIZ];
	int n = fbc_if_groups(x->name, groups, FBC_MAXGROUPS);

	if (fbc_gone(n))
		return jnet_err_set(e, ENODEV, x->name, "no such interface");
	if (n < 0)
		return fbc_kerr(e, n, x->name, "SIOCGIFGROUP");
	for (int i = 0; i < n && i < FBC_MAXGROUPS; i++) {
		x->jnet |= strcmp(groups[i], FBC_GROUP) == 0;
		x->epair |= strcmp(groups[i], "epair") == 0;
		x->bridge |= strcmp(groups[i], "bridge") == 0;
		x->vlan |= strcmp(groups[i], "vlan") == 0;
	}
	return 0;
}

int
fbc_read_if_what(const char *name, unsigned what, struct fbc_if *x, struct jnet_err *e)
{
	int r;

	memset(x, 0, sizeof(*x));
	jnet_strlcpy(x->name, name, sizeof(x->name));
	/* SIOCGIFDESCR first: it is also the "is it there" test (ENXIO), no SIOCGIFINDEX. */
	r = fbsd_if_get_descr(name, x->descr, sizeof(x->descr));
	if (fbc_gone(r))
		return jnet_err_set(e, ENODEV, name, "no such interface");
	if (r == -ENOMSG || r == -ENAMETOOLONG)
		x->descr[0] = '\0'; /* none, or longer than any tag of ours: not a tag */
	else if (r < 0)
		return fbc_kerr(e, r, name, "SIOCGIFDESCR");
	if (!(what & FBC_READ_NOGROUPS) && (r = read_groups(x, e)) < 0)
		return r;
	r = fbsd_if_get_flags(FBSD_HOST, name, &x->flags);
	if (fbc_gone(r))
		return jnet_err_set(e, ENODEV, name, "no such interface");
	if (r < 0)
		return fbc_kerr(e, r, name, "SIOCGIFFLAGS");
	x->up = (x->flags & FBSD_IFF_UP) != 0;
	r = fbsd_if_get_mac(name, x->mac);
	if (fbc_gone(r))
		return jnet_err_set(e, ENODEV, name, "no such interface");
	if (r < 0 && r != -ENOENT)
		return fbc_kerr(e, r, name, "NET_RT_IFLIST (link-level address)");
	x->has_mac = r == 0;
	if (!(what & FBC_READ_MTU))
		return 0;
	r = fbsd_if_get_mtu(FBSD_HOST, name, &x->mtu);
	if (fbc_gone(r))
		return jnet_err_set(e, ENODEV, name, "no such interface");
	if (r < 0)
		return fbc_kerr(e, r, name, "SIOCGIFMTU");
	return 0;
}

enum jnet_own
fbc_owner(const struct fbc_if *x, enum jnet_tag_kind kind, const char *expect,
    struct jnet_tag *t)
{
	return jnet_ownership(x->descr, x->jnet, x->name, kind, expect, t);
}

void
fbc_ifinfo(const struct fbc_if *x, struct jnet_ifinfo *out)
{
	memset(out, 0, sizeof(*out));
	jnet_strlcpy(out->name, x->name, sizeof(out->name));
	memcpy(out->mac, x->mac, 6);
	out->has_mac = x->has_mac;
	out->up = x->up;
	out->is_bridge = x->bridge;
	out->is_vlan = x->vlan;
	out->mtu = x->mtu;
	out->jnet_group = x->jnet;
	out->tagged = jnet_tag_parse(x->descr, &out->tag) == 0;
	if (!out->tagged)
		memset(&out->tag, 0, sizeof(out->tag));
	jnet_strlcpy(out->tagtext, x->descr, sizeof(out->tagtext));
}

int
fbc_if_set_up(void *priv, const char *ifname, bool up, struct jnet_err *e)
{
	int r = fbsd_if_set_up(FBSD_HOST, ifname, up);

	(void)priv;
	if (fbc_gone(r))
		return jnet_err_set(e, ENODEV, ifname, "no such interface");
	return r < 0 ? fbc_kerr(e, r, ifname, up ? "SIOCSIFFLAGS up" : "SIOCSIFFLAGS down") : 0;
}

int
fbc_if_ensure_up(void *priv, const char *ifname, struct jnet_err *e)
{
	bool up;
	int r = fbsd_if_get_up(FBSD_HOST, ifname, &up);

	(void)priv;
	if (fbc_gone(r))
		return jnet_err_set(e, ENODEV, ifname, "no such interface");
	if (r < 0)
		return fbc_kerr(e, r, ifname, "SIOCGIFFLAGS");
	if (up)
		return 0;
	r = fbsd_if_set_up(FBSD_HOST, ifname, true);
	return r < 0 ? fbc_kerr(e, r, ifname, "SIOCSIFFLAGS up") : 0;
}

int
fbc_if_set_descr(const char *ifname, const char *descr, struct jnet_err *e)
{
	int r = fbsd_if_set_descr(ifname, descr);

	if (fbc_gone(r))
		return jnet_err_set(e, ENODEV, ifname, "no such interface");
	return r < 0 ? fbc_kerr(e, r, ifname, "SIOCSIFDESCR") : 0;
}

int
fbc_if_set_mtu(const char *ifname, unsigned mtu, struct jnet_err *e)
{
	int r = fbsd_if_set_mtu(FBSD_HOST, ifname, mtu);

	return r < 0 ? fbc_kerr(e, r, ifname, "SIOCSIFMTU %u", mtu) : 0;
}

int
fbc_clone_new(const char *module, bool *kld_done, const char *cloner, const char *name,
    const char *tag, char cur[JNET_IFNAMSIZ], struct jnet_err *e)
{
	int r;

	/* No cloner before its module is loaded (SIOCIFCREATE2: EINVAL); ifconfig loads it. */
	if ((r = fbc_kld(module, kld_done, e)) < 0)
		return r;
	if ((r = fbsd_if_create(cloner, cur)) < 0)
		return fbc_kerr(e, r, name, "SIOCIFCREATE2 %s", cloner);
	/* Marked first (group, tag), then the final name. */
	if ((r = fbsd_if_add_group(cur, FBC_GROUP)) < 0)
		r = fbc_kerr(e, r, cur, "SIOCAIFGROUP %s", FBC_GROUP);
	else if (tag != NULL && (r = fbsd_if_set_descr(cur, tag)) < 0)
		r = fbc_kerr(e, r, cur, "SIOCSIFDESCR");
	else if ((r = fbsd_if_rename(cur, name)) == -EEXIST)
		r = jnet_err_set(e, EEXIST, name, "exists");
	else if (r < 0)
		r = fbc_kerr(e, r, cur, "SIOCSIFNAME %s -> %s", cur, name);
	if (r < 0) {
		(void)fbsd_if_destroy(cur);
		return r;
	}
	jnet_strlcpy(cur, name, JNET_IFNAMSIZ);
	return 0;
}

int
fbc_clone_finish(const char *cur, int r, struct jnet_err *e)
{
	if (r == 0 && (r = fbsd_if_set_up(FBSD_HOST, cur, true)) < 0)
		r = fbc_kerr(e, r, cur, "SIOCSIFFLAGS up");
	/* Destroying a bridge releases its uplink again (bridge_clone_destroy). */
	if (r < 0)
		(void)fbsd_if_destroy(cur);
	return r;
}

int
fbc_if_bridge(const char *member, char out[JNET_IFNAMSIZ], struct jnet_err *e)
{
	char (*br)[JNET_IFNAMSIZ];
	int n, r;

	out[0] = '\0';
	if ((r = fbc_group_list("bridge", &br, &n, e)) < 0)
		return r;
	for (int i = 0; i < n; i++) {
		r = fbsd_bridge_has_member(br[i], member);
		if (fbc_gone(r)) {
			r = 0; /* that bridge went away (or was renamed) meanwhile */
			continue;
		}
		if (r < 0) {
			r = fbc_kerr(e, r, br[i], "BRDGGIFFLGS %s", member);
			break;
		}
		if (r == 1) {
			jnet_strlcpy(out, br[i], JNET_IFNAMSIZ);
			break;
		}
		r = 0;
	}
	free(br);
	return r < 0 ? r : 0;
}

/* ---------------------------------------------------------------- moves */

/* Set IFF_UP of `name` in `jid` as `up` says: with one SIOCSIFFLAGS when its flags word
 * is known (flags), else read-modify-write. */
static int
set_up_as(int jid, const char *name, const unsigned *flags, bool up)
{
	if (flags == NULL)
		return fbsd_if_set_up(jid, name, up);
	return fbsd_if_set_flags(jid, name, up ? *flags | FBSD_IFF_UP : *flags & ~FBSD_IFF_UP);
}

static int into_jail(const char *name, const struct jnet_jail *j, bool up,
    const unsigned *flags, struct jnet_err *e);

int
fbc_into_jail(const char *name, const struct jnet_jail *j, bool up, struct jnet_err *e)
{
	return into_jail(name, j, up, NULL, e);
}

int
fbc_into_jail_flags(const char *name, const struct jnet_jail *j, unsigned flags,
    struct jnet_err *e)
{
	return into_jail(name, j, (flags & FBSD_IFF_UP) != 0, &flags, e);
}

static int
into_jail(const char *name, const struct jnet_jail *j, bool up, const unsigned *flags,
    struct jnet_err *e)
{
	int r = fbsd_if_vnet(name, j->jid);

	if (r == -ENXIO)
		return jnet_err_set(e, ENXIO, name, "SIOCSIFVNET: no jail with JID %d (%s)", j->jid,
		    j->name);
	if (r == -EEXIST)
		return jnet_err_set(e, EEXIST, name,
		    "SIOCSIFVNET into jail %s: it already has an interface of that name, or it "
		    "has no vnet of its own (start it with `vnet`)", j->name);
	if (r == -EBUSY)
		return jnet_err_set(e, EBUSY, name,
		    "SIOCSIFVNET into jail %s: its network stack is shutting down", j->name);
	if (r < 0)
		return fbc_kerr(e, r, name, "SIOCSIFVNET into jail %s", j->name);
	/* The move set it down (if_vmove); keep the state it had. */
	if (up && (r = set_up_as(j->jid, name, flags, true)) < 0) {
		r = fbc_kerr(e, r, name, "SIOCSIFFLAGS up inside jail %s", j->name);
		if (fbsd_if_rvnet(name, j->jid) == 0) {
			(void)fbsd_if_add_group(name, FBC_GROUP);
			(void)set_up_as(FBSD_HOST, name, flags, true);
		}
	}
	return r;
}

int
fbc_home_free(const char *name, const char *jail, struct jnet_err *e)
{
	int idx, r = fbsd_if_index(FBSD_HOST, name, &idx);

	if (r == 0)
		return jnet_err_set(e, EEXIST, name,
		    "cannot bring it home from jail %s: the host has an interface of that name "
		    "(SIOCSIFRVNET does not check, FreeBSD PR 185619); rename the host's first", jail);
	return fbc_gone(r) ? 0 : fbc_kerr(e, r, name, "SIOCGIFINDEX");
}

static int from_jail(const char *name, int jid, const char *jail, bool dying, bool host_free,
    bool known, struct jnet_err *e);
static int home_move(const char *name, int jid, const char *jail, bool up, const unsigned *flags,
    struct jnet_err *e);

int
fbc_from_jail(const char *name, int jid, const char *jail, bool dying, struct jnet_err *e)
{
	return from_jail(name, jid, jail, dying, false, false, e);
}

int
fbc_from_jail_known(const char *name, int jid, const char *jail, bool dying, bool host_free,
    struct jnet_err *e)
{
	return from_jail(name, jid, jail, dying, host_free, true, e);
}

/* known: write the flags word read inside the jail back (one SIOCSIFFLAGS), not
 * read-modify-write. */
static int
from_jail(const char *name, int jid, const char *jail, bool dying, bool host_free, bool known,
    struct jnet_err *e)
{
	unsigned word = 0;
	const unsigned *flags = known ? &word : NULL;
	bool up;
	int r;

	if (!host_free && (r = fbc_home_free(name, jail, e)) < 0)
		return r;
	/* Keep its up/down state across the move; a dying jail cannot be entered to ask. */
	if (!dying && (r = fbsd_if_get_flags(jid, name, &word)) < 0) {
		if (fbc_gone(r))
			return jnet_err_set(e, ENXIO, name, "not in jail %s", jail);
		return fbc_kerr(e, r, name, "SIOCGIFFLAGS inside jail %s", jail);
	}
	up = (word & FBSD_IFF_UP) != 0;
	return home_move(name, jid, jail, up, flags, e);
}

int
fbc_from_jail_up(const char *name, int jid, const char *jail, bool up, struct jnet_err *e)
{
	return home_move(name, jid, jail, up, NULL, e);
}

/* The jail end brought home (SIOCSIFRVNET), in group jnet again, and up again if it was
 * (flags: the word read inside the jail, written back with one SIOCSIFFLAGS; NULL:
 * read-modify-write). */
static int
home_move(const char *name, int jid, const char *jail, bool up, const unsigned *flags,
    struct jnet_err *e)
{
	int r = fbsd_if_rvnet(name, jid);

	if (r == -ENXIO)
		return jnet_err_set(e, ENXIO, name, "SIOCSIFRVNET: not in jail %s", jail);
	if (r == -EBUSY)
		return jnet_err_set(e, EBUSY, name,
		    "SIOCSIFRVNET: the network stack of jail %s is shutting down; it comes back "
		    "by itself when it is gone", jail);
	if (r < 0)
		return fbc_kerr(e, r, name, "SIOCSIFRVNET from jail %s", jail);
	/* The move dropped its groups and set it down (if_vmove). */
	r = fbsd_if_add_group(name, FBC_GROUP);
	if (r < 0 && r != -EEXIST) {
		r = fbc_kerr(e, r, name, "SIOCAIFGROUP %s", FBC_GROUP);
		goto undo;
	}
	if (up && (r = set_up_as(FBSD_HOST, name, flags, true)) < 0) {
		r = fbc_kerr(e, r, name, "SIOCSIFFLAGS up");
		goto undo;
	}
	return 0;
undo:
	if (fbsd_if_vnet(name, jid) == 0 && up)
		(void)set_up_as(jid, name, flags, true);
	return r;
}
