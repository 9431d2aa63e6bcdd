/*
 * The lab operations of the FreeBSD backends (jnet lab, epair and netgraph): persistent
 * vnet jails, addresses, routes, forwarding, exec -- all through the primitives of fbsd.h.
 *
 * Naming: a lab jail "LAB.NAME" is the child NAME of a parent jail "LAB", as jail(8)
 * names hierarchical jails. The parent is persistent, has no vnet of its own and never
 * runs a process; it exists so that the lab's jails share a name space of their own (two
 * labs may both have a jail "r1") and `jls` shows what belongs together. It is tagged in
 * its host.hostname, set in the jail_set(2) call that creates it (no window where it is
 * untagged; nothing runs in it to see the name). Its children.max stays 0: kern_jail.c
 * checks the *creator's* chain of children.max (prison0's for jnet), so the host can make
 * children in it, while nothing inside it could.
 *
 * A lab jail's tag is the description of its lo0 (SIOCSIFDESCR inside the jail), set as
 * the last step of jail_create, after lo0 is up and has 127.0.0.1: a tagged jail is a
 * complete one. It survives as long as the jail's vnet, works on every release with
 * VIMAGE (a jail parameter such as `meta` exists only from 15), and leaves the jail's
 * hostname alone. Reading it costs one fork + jail_attach. A child of a jnet parent
 * without that tag is what a crash inside jail_create leaves: it counts as absent
 * (JNET_JAIL_STALE in jail_list) and jail_create replaces it.
 *
 * Everything here but ep_jail_destroy's removal of the epair ends inside a jail is
 * independent of epair: the netgraph backend uses these functions for its labs too (with
 * its own hook for the interfaces inside a jail, fbc_lab_jail_destroy).
 *
 * `jail_no_ipv6` is ignored: FreeBSD gives an epair end an IPv6 link-local address when
 * it goes up (with DAD); labs add the same EUI-64 address again with IN6_IFF_NODAD, which
 * replaces it without the tentative state (in6.c in6_update_ifa).
 */
#include "common.h"
#include "fbsd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define LOOPBACK "lo0"

static bool
is_jnet_jail_tag(const char *text)
{
	struct jnet_tag t;

	/* Any FreeBSD backend's: the netgraph backend builds its labs with these functions. */
	return jnet_tag_parse(text, &t) == 0 && t.kind == JNET_TAG_JAIL &&
	    (strcmp(t.backend, "epair") == 0 || strcmp(t.backend, "netgraph") == 0);
}

/* "LAB.NAME" -> "LAB"; false for a name without a dot. */
static bool
parent_of(const char *name, char out[JNET_JAILNAMSIZ])
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL || dot == name)
		return false;
	snprintf(out, JNET_JAILNAMSIZ, "%.*s", (int)(dot - name), name);
	return true;
}

/* Is `pname` a live jnet lab parent: 1 yes, 0 no (absent, dying or foreign), -errno. */
static int
our_parent(const char *pname, int *jid, char *tag, size_t len)
{
	bool dying;
	int r = fbsd_jail_getid(pname, jid, &dying);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (dying)
		return 0;
	if ((r = fbsd_jail_hostname(*jid, tag, len)) < 0)
		return r == -ENOENT ? 0 : r;
	return is_jnet_jail_tag(tag) ? 1 : 0;
}

/* Read jail `jid`'s tag (lo0's description) into tag: 0, or -errno. "" if none. */
static int
lo_tag(int jid, char *tag, size_t len)
{
	int r = fbsd_jail_if_get_descr(jid, LOOPBACK, tag, len);

	tag[0] = r == 0 ? tag[0] : '\0';
	if (r == -ENOMSG || r == -ENAMETOOLONG || r == -ENXIO)
		return 0;
	return r;
}

/* Live jails named PARENT.* (not counting `except`). */
static int
live_children(const char *pname, const char *except, int *n)
{
	struct fbsd_jail_info *v;
	size_t plen = strlen(pname);
	int r = fbc_jails(&v);

	*n = 0;
	for (int i = 0; i < r; i++)
		if (!v[i].dying && strncmp(v[i].name, pname, plen) == 0 &&
		    v[i].name[plen] == '.' && (except == NULL || strcmp(v[i].name, except) != 0))
			(*n)++;
	free(v);
	return r < 0 ? r : 0;
}

/* Remove the lab parent `pname` when it is ours and no live child is left. */
static int
parent_gc(const char *pname, struct jnet_err *e)
{
	char tag[JNET_TAGSIZ];
	int jid, n, r;

	if ((r = our_parent(pname, &jid, tag, sizeof(tag))) <= 0)
		return r < 0 ? fbc_kerr(e, r, pname, "jail_get") : 0;
	if ((r = live_children(pname, NULL, &n)) < 0)
		return fbc_kerr(e, r, pname, "jail_get (children)");
	if (n > 0)
		return 0;
	r = fbsd_jail_remove(jid);
	return r < 0 && r != -EINVAL ? fbc_kerr(e, r, pname, "jail_remove") : 0;
}

/* ---------------------------------------------------------------- jails */

static int
ensure_parent(const char *pname, const char *tag, bool *made, struct jnet_err *e)
{
	char have[JNET_TAGSIZ];
	bool dying;
	int jid, r;

	*made = false;
	r = fbsd_jail_getid(pname, &jid, &dying);
	if (r == 0 && !dying) {
		if ((r = fbsd_jail_hostname(jid, have, sizeof(have))) < 0)
			return fbc_kerr(e, r, pname, "jail_get host.hostname");
		if (strcmp(have, tag) != 0)
			return jnet_err_set(e, EEXIST, pname,
			    "a jail of that name exists and is not this lab's parent jail (%s)",
			    is_jnet_jail_tag(have) ? have : "no jnet tag");
		return 0;
	}
	if (r < 0 && r != -ENOENT)
		return fbc_kerr(e, r, pname, "jail_get");
	r = fbsd_jail_create_parent(pname, tag, &jid);
	if (r == -EEXIST) /* made meanwhile by another jnet: check it */
		return ensure_parent(pname, tag, made, e);
	if (r < 0)
		return fbc_kerr(e, r, pname, "jail_set (create the lab's parent jail)");
	*made = true;
	return 0;
}

int
fbc_jail_create(void *priv, const char *name, const char *tag, struct jnet_err *e)
{
	static const uint8_t lo4[4] = { 127, 0, 0, 1 };
	char pname[JNET_JAILNAMSIZ], have[JNET_TAGSIZ];
	bool lab = parent_of(name, pname), made = false;
	int jid, r;

	(void)priv;
	if (lab && (r = ensure_parent(pname, tag, &made, e)) < 0)
		return r;
	r = fbsd_jail_create_vnet(name, &jid);
	if (r == -EEXIST && lab) {
		/* An untagged child of our parent: left by a crash in here. Replace it. */
		bool dying;

		if (fbsd_jail_getid(name, &jid, &dying) == 0 && !dying &&
		    lo_tag(jid, have, sizeof(have)) == 0 && have[0] == '\0' &&
		    fbsd_jail_remove(jid) == 0)
			r = fbsd_jail_create_vnet(name, &jid);
		else
			r = -EEXIST;
	}
	if (r == -EEXIST)
		return jnet_err_set(e, EEXIST, name, "jail exists");
	if (r < 0) {
		r = fbc_kerr(e, r, name, "jail_set (create a vnet jail)");
		goto fail_parent;
	}
	if ((r = fbsd_if_set_up(jid, LOOPBACK, true)) < 0) {
		r = fbc_kerr(e, r, name, "SIOCSIFFLAGS lo0 up inside the jail");
		goto fail;
	}
	if ((r = fbsd_jail_addr_add(jid, LOOPBACK, AF_INET, lo4, 8)) < 0) {
		r = fbc_kerr(e, r, name, "SIOCAIFADDR 127.0.0.1/8 on lo0 inside the jail");
		goto fail;
	}
	/* The tag last: a tagged jail is a complete one. */
	if ((r = fbsd_jail_if_set_descr(jid, LOOPBACK, tag)) < 0) {
		r = fbc_kerr(e, r, name, "SIOCSIFDESCR lo0 inside the jail");
		goto fail;
	}
	return 0;
fail:
	(void)fbsd_jail_remove(jid);
fail_parent:
	if (made) {
		struct jnet_err ignore;

		(void)parent_gc(pname, &ignore);
	}
	return r;
}

int
fbc_jail_tag(void *priv, const char *name, char *tag, size_t len, struct jnet_err *e)
{
	char pname[JNET_JAILNAMSIZ], ptag[JNET_TAGSIZ];
	bool dying;
	int jid, pjid, r;

	(void)priv;
	tag[0] = '\0';
	r = fbsd_jail_getid(name, &jid, &dying);
	if (r == -ENOENT || (r == 0 && dying))
		return -ENOENT; /* a dying jail is on its way out: as good as absent */
	if (r < 0)
		return fbc_kerr(e, r, name, "jail_get");
	if ((r = lo_tag(jid, tag, len)) < 0)
		return fbc_kerr(e, r, name, "SIOCGIFDESCR lo0 inside the jail");
	/* Untagged child of a lab parent: a crash inside jail_create; jail_create replaces it. */
	if (tag[0] == '\0' && parent_of(name, pname) &&
	    our_parent(pname, &pjid, ptag, sizeof(ptag)) == 1)
		return -ENOENT;
	return 0;
}

int
fbc_lab_jail_destroy(const char *name,
    int (*inner)(int jid, const char *name, struct jnet_err *e), struct jnet_err *e)
{
	char pname[JNET_JAILNAMSIZ];
	bool dying;
	int jid, r;

	r = fbsd_jail_getid(name, &jid, &dying);
	if (r == 0 && !dying) {
		if (inner != NULL && (r = inner(jid, name, e)) < 0)
			return r;
		r = fbsd_jail_remove(jid);
		if (r < 0 && r != -EINVAL) /* EINVAL: gone meanwhile */
			return fbc_kerr(e, r, name, "jail_remove");
	} else if (r < 0 && r != -ENOENT) {
		return fbc_kerr(e, r, name, "jail_get");
	}
	if (parent_of(name, pname))
		return parent_gc(pname, e);
	return 0;
}

int
fbc_jail_list(void *priv, const char *prefix, int (*cb)(const char *, const char *, void *),
    void *arg, struct jnet_err *e)
{
	char tag[JNET_TAGSIZ], pname[JNET_JAILNAMSIZ], ptag[JNET_TAGSIZ];
	struct fbsd_jail_info *v;
	size_t plen = strlen(prefix);
	int r, q, pjid, nlive = 0;
	bool parent_ours = false;

	(void)priv;
	if ((r = fbc_jails(&v)) < 0)
		return fbc_kerr(e, r, prefix, "jail_get (list jails)");
	/* prefix "LAB.": the lab's parent is "LAB". */
	if (plen > 1 && prefix[plen - 1] == '.') {
		snprintf(pname, sizeof(pname), "%.*s", (int)(plen - 1), prefix);
		parent_ours = our_parent(pname, &pjid, ptag, sizeof(ptag)) == 1;
	}
	for (int i = 0, n = r; i < n; i++) {
		if (v[i].dying || strncmp(v[i].name, prefix, plen) != 0)
			continue;
		nlive++;
		q = lo_tag(v[i].jid, tag, sizeof(tag));
		if (q == -EINVAL)
			continue; /* died meanwhile */
		if (q < 0) {
			r = fbc_kerr(e, q, v[i].name, "SIOCGIFDESCR lo0 inside the jail");
			goto out;
		}
		if (strncmp(tag, "jnet/", 5) == 0)
			r = cb(v[i].name, tag, arg);
		else if (tag[0] == '\0' && parent_ours)
			r = cb(v[i].name, JNET_JAIL_STALE, arg);
		else
			r = 0;
		if (r != 0)
			goto out;
	}
	/*
	 * A lab parent with no child: left by a crash between making it and its first
	 * child. It holds nothing; reporting it as stale lets `lab down` remove it (its
	 * name is the prefix without the dot).
	 */
	r = parent_ours && nlive == 0 ? cb(pname, JNET_JAIL_STALE, arg) : 0;
out:
	free(v);
	return r;
}

/* ---------------------------------------------------------------- inside a jail */

static int
need_jail(const struct jnet_jail *j, struct jnet_err *e)
{
	if (!j->exists)
		return jnet_err_set(e, ENOENT, j->name, "no such jail");
	if (j->dying)
		return jnet_err_set(e, EBUSY, j->name, "jail is being removed");
	return 0;
}

/* What fbc_fetch's fills of a jail's lists need. */
struct in_jail {
	int jid;
	const char *ifname;
};

static int
fill_addrs(void *v, int max, void *arg)
{
	struct in_jail *q = arg;

	return fbsd_jail_addrs(q->jid, q->ifname, v, max);
}

static int
fill_routes(void *v, int max, void *arg)
{
	struct in_jail *q = arg;

	return fbsd_jail_routes(q->jid, v, max);
}

int
fbc_addr_add(void *priv, const struct jnet_jail *j, const char *ifname, int family,
    const uint8_t *addr, int prefix, struct jnet_err *e)
{
	const char *where;
	int r;

	(void)priv;
	/* j == NULL: on the host (CNI isGateway: the gateway address on the bridge). */
	if (j != NULL && (r = need_jail(j, e)) < 0)
		return r;
	where = j != NULL ? j->name : "the host";
	r = fbsd_jail_addr_add(j != NULL ? j->jid : FBSD_HOST, ifname, family, addr, prefix);
	if (r == -ENXIO)
		return jnet_err_set(e, ENODEV, ifname, "no such interface in %s", where);
	if (r == -EEXIST)
		return jnet_err_set(e, EEXIST, ifname,
		    "%s: the address is already on another interface of %s",
		    family == AF_INET ? "SIOCAIFADDR" : "SIOCAIFADDR_IN6", where);
	return r < 0 ? fbc_kerr(e, r, ifname, "%s in %s",
	    family == AF_INET ? "SIOCAIFADDR" : "SIOCAIFADDR_IN6", where) : 0;
}

int
fbc_addr_list(void *priv, const struct jnet_jail *j, const char *ifname,
    int (*cb)(const char *, int, const uint8_t *, int, void *), void *arg,
    struct jnet_err *e)
{
	struct fbsd_addr *v;
	struct in_jail q = { j->jid, ifname };
	int r;

	(void)priv;
	if ((r = need_jail(j, e)) < 0)
		return r;
	r = fbc_fetch(sizeof(*v), 32, fill_addrs, &q, (void **)&v);
	if (r == -ENXIO)
		r = jnet_err_set(e, ENODEV, ifname ? ifname : "", "no such interface in %s",
		    j->name);
	else if (r < 0)
		r = fbc_kerr(e, r, ifname ? ifname : j->name, "getifaddrs inside jail %s", j->name);
	for (int i = 0, n = r; i < n; i++)
		if ((r = cb(v[i].ifname, v[i].family, v[i].addr, v[i].prefix, arg)) != 0)
			break;
	free(v);
	return r < 0 ? r : 0;
}

int
fbc_jail_if_get(void *priv, const struct jnet_jail *j, const char *ifname,
    struct jnet_ifinfo *out, struct jnet_err *e)
{
	struct fbsd_jif f;
	int r;

	(void)priv;
	memset(out, 0, sizeof(*out));
	if ((r = need_jail(j, e)) < 0)
		return r;
	r = fbsd_jail_if_info(j->jid, ifname, &f);
	if (r == -ENXIO)
		return jnet_err_set(e, ENODEV, ifname, "no such interface in %s", j->name);
	if (r < 0)
		return fbc_kerr(e, r, ifname, "getifaddrs inside jail %s", j->name);
	jnet_strlcpy(out->name, f.name, sizeof(out->name));
	out->ifindex = f.index;
	memcpy(out->mac, f.mac, 6);
	out->has_mac = f.has_mac;
	out->up = f.up;
	out->mtu = f.mtu;
	r = fbsd_jail_if_get_descr(j->jid, ifname, out->tagtext, sizeof(out->tagtext));
	if (r == -ENOMSG || r == -ENAMETOOLONG)
		out->tagtext[0] = '\0';
	else if (r == -ENXIO)
		return jnet_err_set(e, ENODEV, ifname, "no such interface in %s", j->name);
	else if (r < 0)
		return fbc_kerr(e, r, ifname, "SIOCGIFDESCR inside jail %s", j->name);
	out->tagged = jnet_tag_parse(out->tagtext, &out->tag) == 0;
	return 0;
}

int
fbc_route_list(void *priv, const struct jnet_jail *j,
    int (*cb)(int, const uint8_t *, int, const uint8_t *, void *), void *arg,
    struct jnet_err *e)
{
	struct fbsd_route *v;
	struct in_jail q = { j->jid, NULL };
	int r;

	(void)priv;
	if ((r = need_jail(j, e)) < 0)
		return r;
	r = fbc_fetch(sizeof(*v), 32, fill_routes, &q, (void **)&v);
	if (r < 0)
		r = fbc_kerr(e, r, j->name, "NET_RT_DUMP inside the jail");
	for (int i = 0, n = r; i < n; i++)
		if ((r = cb(v[i].family, v[i].dst, v[i].prefix, v[i].gw, arg)) != 0)
			break;
	free(v);
	return r < 0 ? r : 0;
}

int
fbc_route_add(void *priv, const struct jnet_jail *j, int family, const uint8_t *dst,
    int prefix, const uint8_t *via, struct jnet_err *e)
{
	int r;

	(void)priv;
	if ((r = need_jail(j, e)) < 0)
		return r;
	r = fbsd_jail_route_add(j->jid, family, dst, prefix, via);
	if (r == -EEXIST)
		return 0;
	if (r == -ENETUNREACH)
		return jnet_err_set(e, ENETUNREACH, j->name,
		    "RTM_ADD: the gateway is on no network of the jail's interfaces");
	return r < 0 ? fbc_kerr(e, r, j->name, "RTM_ADD inside the jail") : 0;
}

int
fbc_forwarding(void *priv, const struct jnet_jail *j, bool on, struct jnet_err *e)
{
	int r;

	(void)priv;
	if ((r = need_jail(j, e)) < 0)
		return r;
	if ((r = fbsd_jail_set_forwarding(j->jid, AF_INET, on)) < 0)
		return fbc_kerr(e, r, j->name, "sysctl net.inet.ip.forwarding inside the jail");
	if ((r = fbsd_jail_set_forwarding(j->jid, AF_INET6, on)) < 0)
		return fbc_kerr(e, r, j->name, "sysctl net.inet6.ip6.forwarding inside the jail");
	return 0;
}

int
fbc_jail_exec(void *priv, const struct jnet_jail *j, char *const argv[], bool *entered,
    struct jnet_err *e)
{
	int r;

	(void)priv;
	*entered = false;
	if ((r = need_jail(j, e)) < 0)
		return r;
	/* jail_attach(2) fails with EINVAL (no such jail) or EPERM; anything else is
	 * execvp's, in the jail. */
	r = fbsd_jail_exec(j->jid, argv);
	if (r == -EINVAL || r == -EPERM)
		return fbc_kerr(e, r, j->name, "jail_attach");
	*entered = true;
	return jnet_err_sys(e, -r, argv[0], "exec");
}
