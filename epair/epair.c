/*
 * The epair backend (FreeBSD): a link is an epair(4) pair, a bridge is an if_bridge(4).
 * The host end (e{i}a_NAME) stays on the host, on its bridge; the jail end (e{i}b_NAME) is
 * moved into the jail's vnet (SIOCSIFVNET), by jnet or by jail(8)'s vnet.interface.
 *
 * All kernel work goes through the primitives of fbsd.h (one ioctl / libjail call each),
 * so this file builds everywhere and is tested on Linux against the kernel model.
 *
 * Ownership. Both ends get the interface group "jnet" and their tag in the description
 * right after SIOCIFCREATE2, before anything else and before they are renamed:
 *
 *     create epairNa/b -> group a -> describe a -> group b -> describe b
 *                      -> rename a -> rename b -> MACs, MTU -> bridge -> up -> into jail
 *
 * The kernel has no "create with a description", so one window remains: between
 * SIOCIFCREATE2 and SIOCAIFGROUP (a single ioctl), a crash leaves a plain, unmarked
 * epairNa/epairNb that jnet cannot tell from anybody else's. Every later crash leaves
 * objects that are recognisably jnet's:
 *   - in group "jnet" without a description (crash before SIOCSIFDESCR): `gc` removes it
 *     (the core looks twice, a second apart, before removing an untagged link);
 *   - tagged but still named epairNa/b: `gc` removes it once its jail is gone; `addm` of
 *     the same jail simply makes a new pair (the leftover holds no name jnet needs);
 *   - e{i}a_NAME renamed, its peer still epairNb: found through the tag (a scan of group
 *     "jnet"), renamed to e{i}b_NAME when addm completes the link; destroy works as usual.
 * destroy always goes through the host end: SIOCIFDESTROY of either end destroys both,
 * wherever the other end is -- in a live jail, in a dying one (if_epair.c).
 *
 * Where is the jail end? The host cannot look inside a jail without entering it, and a
 * dying jail cannot be entered. So: on the host under its name (or as epairNb, above) ->
 * "host"; else, if the jail named in the tag exists (alive or dying) -> "jail", in it;
 * else "unknown". A jail end moved into a jail of another name (`attach NAME OTHER`) is
 * therefore reported as "unknown" while it is there, and detach cannot find it.
 */
#include "backend.h"
#include "epair_lab.h"
#include "fbsd.h"
#include "fbsd_backend.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROUP "jnet"      /* interface group of everything jnet creates */
#define MAXGROUPS 32

/* ---------------------------------------------------------------- errors */

/* An error of primitive `op`: "<op ...>: <strerror>", with a hint for the usual causes. */
/* ---------------------------------------------------------------- one interface */

struct end {
	char name[JNET_IFNAMSIZ];
	char descr[JNET_TAGSIZ];
	bool tagged;
	struct jnet_tag tag;
	bool jnet, epair, bridge;     /* groups */
	bool up;
	bool has_mac;
	uint8_t mac[6];
};

/* Read what the host knows of interface `name`: 0, -ENODEV if there is none, or -errno. */
static int
read_end(const char *name, struct end *x, struct jnet_err *e)
{
	char groups[MAXGROUPS][JNET_IFNAMSIZ];
	int r, n;

	memset(x, 0, sizeof(*x));
	jnet_strlcpy(x->name, name, sizeof(x->name));
	r = fbsd_if_get_descr(name, x->descr, sizeof(x->descr));
	if (fbb_gone(r))
		return jnet_err_set(e, ENODEV, name, "no such interface");
	if (r == -ENOMSG || r == -ENAMETOOLONG)
		x->descr[0] = '\0'; /* none, or longer than any tag of ours: not a tag */
	else if (r < 0)
		return fbb_kerr(e, r, name, "SIOCGIFDESCR");
	x->tagged = jnet_tag_parse(x->descr, &x->tag) == 0;
	n = fbsd_if_groups(name, groups, MAXGROUPS);
	if (fbb_gone(n))
		return jnet_err_set(e, ENODEV, name, "no such interface");
	if (n < 0)
		return fbb_kerr(e, n, name, "SIOCGIFGROUP");
	for (int i = 0; i < n && i < MAXGROUPS; i++) {
		x->jnet |= strcmp(groups[i], GROUP) == 0;
		x->epair |= strcmp(groups[i], "epair") == 0;
		x->bridge |= strcmp(groups[i], "bridge") == 0;
	}
	r = fbsd_if_get_up(FBSD_HOST, name, &x->up);
	if (fbb_gone(r))
		return jnet_err_set(e, ENODEV, name, "no such interface");
	if (r < 0)
		return fbb_kerr(e, r, name, "SIOCGIFFLAGS");
	r = fbsd_if_get_mac(name, x->mac);
	if (fbb_gone(r))
		return jnet_err_set(e, ENODEV, name, "no such interface");
	if (r < 0 && r != -ENOENT)
		return fbb_kerr(e, r, name, "NET_RT_IFLIST (link-level address)");
	x->has_mac = r == 0;
	return 0;
}

/* The names in an interface group (allocated; *n set). */
static int
group_list(const char *group, char (**out)[JNET_IFNAMSIZ], int *n, struct jnet_err *e)
{
	char (*v)[JNET_IFNAMSIZ] = NULL;
	int cap = 64, r;

	for (;;) {
		free(v);
		v = calloc((size_t)cap, JNET_IFNAMSIZ);
		if (v == NULL)
			return jnet_err_set(e, ENOMEM, "", "out of memory");
		r = fbsd_group_members(group, v, cap);
		if (r < 0) {
			free(v);
			return fbb_kerr(e, r, group, "SIOCGIFGMEMB group %s", group);
		}
		if (r <= cap)
			break;
		cap = r + 16; /* grew meanwhile: ask again with room */
	}
	*out = v;
	*n = r;
	return 0;
}

/* The bridge `member` is on: one BRDGGIFFLGS per bridge, no member lists. */
static int
find_bridge(const char *member, char out[JNET_IFNAMSIZ], struct jnet_err *e)
{
	char (*br)[JNET_IFNAMSIZ];
	int n, r;

	out[0] = '\0';
	if ((r = group_list("bridge", &br, &n, e)) < 0)
		return r;
	for (int i = 0; i < n; i++) {
		r = fbsd_bridge_has_member(br[i], member);
		if (fbb_gone(r)) {
			r = 0; /* that bridge went away (or was renamed) meanwhile */
			continue;
		}
		if (r < 0) {
			r = fbb_kerr(e, r, br[i], "BRDGGIFFLGS %s", member);
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

static void
ifinfo_from(const struct end *x, int ifindex, struct jnet_ifinfo *out)
{
	memset(out, 0, sizeof(*out));
	jnet_strlcpy(out->name, x->name, sizeof(out->name));
	out->ifindex = ifindex;
	memcpy(out->mac, x->mac, 6);
	out->has_mac = x->has_mac;
	out->up = x->up;
	out->is_bridge = x->bridge;
	out->jnet_group = x->jnet;
	out->tagged = x->tagged;
	out->tag = x->tag;
	jnet_strlcpy(out->tagtext, x->descr, sizeof(out->tagtext));
}

/* ---------------------------------------------------------------- open / jails */

static int
ep_open(void **priv, struct jnet_err *e)
{
	(void)e;
	*priv = NULL; /* no state: every primitive opens what it needs */
	return 0;
}

static void
ep_close(void *priv)
{
	(void)priv;
}

/* ---------------------------------------------------------------- interfaces, bridges */

static int
ep_if_get(void *priv, const char *ifname, struct jnet_ifinfo *out, struct jnet_err *e)
{
	struct end x;
	int r, idx = 0;

	(void)priv;
	memset(out, 0, sizeof(*out));
	if ((r = read_end(ifname, &x, e)) < 0)
		return r;
	r = fbsd_if_index(FBSD_HOST, ifname, &idx);
	if (fbb_gone(r))
		return jnet_err_set(e, ENODEV, ifname, "no such interface");
	if (r < 0)
		return fbb_kerr(e, r, ifname, "SIOCGIFINDEX");
	ifinfo_from(&x, idx, out);
	/* Bridges are not members of bridges: skip the scan for them. */
	if (!x.bridge && (r = find_bridge(ifname, out->master, e)) < 0)
		return r;
	return 0;
}

static int
ep_bridge_list(void *priv, int (*cb)(const struct jnet_ifinfo *, void *), void *arg,
    struct jnet_err *e)
{
	char (*br)[JNET_IFNAMSIZ];
	int n, r;

	if ((r = group_list("bridge", &br, &n, e)) < 0)
		return r;
	for (int i = 0; i < n && r == 0; i++) {
		struct jnet_ifinfo info;

		r = ep_if_get(priv, br[i], &info, e);
		if (r == -ENODEV) {
			jnet_err_clear(e);
			r = 0;
			continue;
		}
		if (r == 0)
			r = cb(&info, arg);
	}
	free(br);
	return r;
}

/*
 * BRDGADD, explaining FreeBSD 15's refusal of members that carry IP addresses: the kernel
 * says only EINVAL, which is also its answer to other problems, so ask the sysctl and
 * the member before blaming the addresses.
 */
static int
brdgadd(const char *bridge, const char *member, struct jnet_err *e)
{
	bool allowed = true, has = false;
	int r = fbsd_bridge_add(bridge, member);

	if (r == 0)
		return 0;
	if (r == -EINVAL && fbsd_bridge_member_ifaddrs(&allowed) == 0 && !allowed &&
	    fbsd_if_has_inaddr(member, &has) == 0 && has)
		return jnet_err_set(e, EINVAL, member,
		    "BRDGADD to %s refused: %s carries IP addresses and FreeBSD 15 does not bridge "
		    "such interfaces (sysctl net.link.bridge.member_ifaddrs=0). Move the addresses "
		    "from %s to the bridge %s (rc.conf: ifconfig_%s=\"inet ...\"), or allow it with "
		    "sysctl net.link.bridge.member_ifaddrs=1 (and in /etc/sysctl.conf)",
		    bridge, member, member, bridge, bridge);
	if (r == -EBUSY)
		return jnet_err_set(e, EBUSY, member,
		    "BRDGADD to %s: already a member of another bridge", bridge);
	return fbb_kerr(e, r, member, "BRDGADD to %s", bridge);
}

static int
ep_bridge_create(void *priv, const char *name, const char *uplink, const uint8_t *mac,
    const char *tag, struct jnet_err *e)
{
	char cur[JNET_IFNAMSIZ];
	int r;

	(void)priv;
	if ((r = fbsd_if_create("bridge", cur)) < 0)
		return fbb_kerr(e, r, name, "SIOCIFCREATE2 bridge");
	/* Tag first (see the top of this file), then take the final name. */
	if ((r = fbsd_if_add_group(cur, GROUP)) < 0) {
		r = fbb_kerr(e, r, cur, "SIOCAIFGROUP %s", GROUP);
		goto fail;
	}
	if ((r = fbsd_if_set_descr(cur, tag)) < 0) {
		r = fbb_kerr(e, r, cur, "SIOCSIFDESCR");
		goto fail;
	}
	if ((r = fbsd_if_rename(cur, name)) < 0) {
		if (r == -EEXIST)
			r = jnet_err_set(e, EEXIST, name, "exists");
		else
			r = fbb_kerr(e, r, cur, "SIOCSIFNAME %s -> %s", cur, name);
		goto fail;
	}
	jnet_strlcpy(cur, name, sizeof(cur));
	if (mac != NULL && (r = fbsd_if_set_mac(cur, mac)) < 0) {
		r = fbb_kerr(e, r, cur, "SIOCSIFLLADDR");
		goto fail;
	}
	if (uplink != NULL && (r = brdgadd(cur, uplink, e)) < 0)
		goto fail;
	if ((r = fbsd_if_set_up(FBSD_HOST, cur, true)) < 0) {
		r = fbb_kerr(e, r, cur, "SIOCSIFFLAGS up");
		goto fail;
	}
	return 0;
fail:
	/* Destroying the bridge releases the uplink again (bridge_clone_destroy). */
	(void)fbsd_if_destroy(cur);
	return r;
}

static int
ep_bridge_destroy(void *priv, const char *name, struct jnet_err *e)
{
	int r = fbsd_if_destroy(name);

	(void)priv;
	if (fbb_gone(r))
		return 0;
	return r < 0 ? fbb_kerr(e, r, name, "SIOCIFDESTROY") : 0;
}

static int
ep_bridge_members(void *priv, const char *name, char (*names)[JNET_IFNAMSIZ], int max,
    struct jnet_err *e)
{
	int r = fbsd_bridge_members(name, names, max);

	(void)priv;
	if (fbb_gone(r))
		return jnet_err_set(e, ENODEV, name, "no such interface");
	if (r == -EINVAL)
		return jnet_err_set(e, EINVAL, name, "not a bridge");
	return r < 0 ? fbb_kerr(e, r, name, "BRDGGIFS") : r;
}

/* Put a host interface on a bridge again (a link whose bridge was made anew). */
static int
ep_if_set_master(void *priv, const char *ifname, const char *bridge, struct jnet_err *e)
{
	int r;

	(void)priv;
	if (fbsd_bridge_has_member(bridge, ifname) == 1)
		return 0;
	r = brdgadd(bridge, ifname, e);
	if (r == -EEXIST) {
		jnet_err_clear(e);
		return 0;
	}
	return r;
}

/* Tag an interface jnet made (a bridge whose creation stopped before SIOCSIFDESCR). */
static int
ep_if_set_tag(void *priv, const char *ifname, const char *tag, struct jnet_err *e)
{
	int r = fbsd_if_set_descr(ifname, tag);

	(void)priv;
	if (fbb_gone(r))
		return jnet_err_set(e, ENODEV, ifname, "no such interface");
	return r < 0 ? fbb_kerr(e, r, ifname, "SIOCSIFDESCR") : 0;
}

static int
ep_if_ensure_up(void *priv, const char *ifname, struct jnet_err *e)
{
	bool up;
	int r = fbsd_if_get_up(FBSD_HOST, ifname, &up);

	(void)priv;
	if (fbb_gone(r))
		return jnet_err_set(e, ENODEV, ifname, "no such interface");
	if (r < 0)
		return fbb_kerr(e, r, ifname, "SIOCGIFFLAGS");
	if (up)
		return 0;
	r = fbsd_if_set_up(FBSD_HOST, ifname, true);
	return r < 0 ? fbb_kerr(e, r, ifname, "SIOCSIFFLAGS up") : 0;
}

/* ---------------------------------------------------------------- links */

/* "epair12a" -> 12 and the b name; false if `name` is not an unrenamed epair a end. */
static bool
unrenamed_a(const char *name, char b[JNET_IFNAMSIZ])
{
	size_t n = strlen(name);

	if (strncmp(name, "epair", 5) != 0 || n < 7 || name[n - 1] != 'a')
		return false;
	for (size_t i = 5; i < n - 1; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	jnet_strlcpy(b, name, JNET_IFNAMSIZ);
	b[n - 1] = 'b';
	return true;
}

static bool
is_peer_tag(const struct end *b, const struct jnet_link_info *l)
{
	return b->tagged && b->tag.kind == JNET_TAG_LINK && b->tag.end == 'b' &&
	    b->tag.index == l->index && strcmp(b->tag.name, l->jail) == 0;
}

/* Look through group "jnet" for the still unrenamed b end of link l. */
static int
scan_unrenamed_b(const struct jnet_link_info *l, struct end *found, struct jnet_err *e)
{
	char (*v)[JNET_IFNAMSIZ];
	int n, r;

	if ((r = group_list(GROUP, &v, &n, e)) < 0)
		return r;
	r = -ENODEV;
	for (int i = 0; i < n && r == -ENODEV; i++) {
		size_t len = strlen(v[i]);
		char descr[JNET_TAGSIZ];
		struct jnet_tag t;
		int q;

		if (strncmp(v[i], "epair", 5) != 0 || len < 7 || v[i][len - 1] != 'b')
			continue;
		q = fbsd_if_get_descr(v[i], descr, sizeof(descr));
		if (q < 0 || jnet_tag_parse(descr, &t) < 0 || t.kind != JNET_TAG_LINK ||
		    t.end != 'b' || t.index != l->index || strcmp(t.name, l->jail) != 0)
			continue;
		if ((q = read_end(v[i], found, e)) == 0)
			r = 0;
		else if (q != -ENODEV)
			r = q;
	}
	free(v);
	if (r == -ENODEV)
		jnet_err_clear(e);
	return r;
}

static void
set_jail_end(struct jnet_link_info *out, const struct end *b)
{
	jnet_strlcpy(out->jail_if, b->name, sizeof(out->jail_if));
	memcpy(out->jail_mac, b->mac, 6);
	out->jail_mac_known = b->has_mac;
	out->jail_up = b->up;
	out->where = JNET_WHERE_HOST;
}

static int
ep_link_get(void *priv, const char *host_if, struct jnet_link_info *out, struct jnet_err *e)
{
	char canon[JNET_IFNAMSIZ] = "", bname[JNET_IFNAMSIZ];
	struct end a, b;
	bool jail_found = false;
	int r;

	(void)priv;
	memset(out, 0, sizeof(*out));
	jnet_strlcpy(out->host_if, host_if, sizeof(out->host_if));
	if ((r = read_end(host_if, &a, e)) < 0)
		return r;
	if (a.tagged) {
		if (a.tag.kind != JNET_TAG_LINK || a.tag.end != 'a' || !a.epair)
			return -EPERM;
		out->tagged = true;
		jnet_strlcpy(out->jail, a.tag.name, sizeof(out->jail));
		out->index = a.tag.index;
		out->count = a.tag.count;
		out->born = a.tag.born;
		jnet_ifname(canon, JNET_NAMES_PAIR, out->jail, out->index, 'b');
	} else if (!(a.jnet && a.epair && a.descr[0] == '\0')) {
		return -EPERM;
	}
	/* else: in group jnet, no description yet: a crash window (tagged = false). */
	memcpy(out->host_mac, a.mac, 6);
	out->host_up = a.up;
	if ((r = find_bridge(host_if, out->bridge, e)) < 0)
		return r;
	out->where = JNET_WHERE_UNKNOWN;

	/* The jail end on the host, under its name... */
	if (canon[0] != '\0') {
		r = read_end(canon, &b, e);
		if (r == 0 && is_peer_tag(&b, out)) {
			set_jail_end(out, &b);
			return 0;
		}
		if (r < 0 && r != -ENODEV)
			return r;
		jnet_err_clear(e);
	}
	/* ... or still named after the unit, next to an unrenamed host end ... */
	if (unrenamed_a(host_if, bname)) {
		r = read_end(bname, &b, e);
		if (r == 0 && b.epair && (is_peer_tag(&b, out) || !b.tagged)) {
			set_jail_end(out, &b);
			return 0;
		}
		if (r < 0 && r != -ENODEV)
			return r;
		jnet_err_clear(e);
	}
	if (!out->tagged)
		return 0;
	/* ... or inside the jail the link belongs to, if that jail exists (dying or not). */
	{
		bool dying;
		int jid;

		r = fbsd_jail_getid(out->jail, &jid, &dying);
		if (r < 0 && r != -ENOENT)
			return fbb_kerr(e, r, out->jail, "jail_get");
		jail_found = r == 0;
	}
	/*
	 * A crash between the two renames leaves the jail end as epairNb. Look for it when
	 * the link cannot be complete: no jail to hold the jail end, or the host end was
	 * never set up (the last step of creation). A group scan, so not on the fast path.
	 */
	if (!jail_found || !out->host_up) {
		r = scan_unrenamed_b(out, &b, e);
		if (r == 0) {
			set_jail_end(out, &b);
			return 0;
		}
		if (r != -ENODEV)
			return r;
	}
	jnet_strlcpy(out->jail_if, canon, sizeof(out->jail_if));
	if (jail_found) {
		out->where = JNET_WHERE_JAIL;
		jnet_strlcpy(out->where_jail, out->jail, sizeof(out->where_jail));
	}
	return 0;
}

static int
ep_link_list(void *priv, int (*cb)(const struct jnet_link_info *, void *), void *arg,
    struct jnet_err *e)
{
	char (*v)[JNET_IFNAMSIZ], b[JNET_IFNAMSIZ];
	int n, r;

	/* Everything jnet made is in group "jnet": no walk over every interface. */
	if ((r = group_list(GROUP, &v, &n, e)) < 0)
		return r;
	for (int i = 0; i < n && r == 0; i++) {
		struct jnet_link_info l;
		char descr[JNET_TAGSIZ];
		struct jnet_tag t;
		int q = fbsd_if_get_descr(v[i], descr, sizeof(descr));

		if (fbb_gone(q))
			continue;
		if (q == -ENOMSG) {
			/* Untagged: only an unrenamed a end stands for its pair. */
			if (!unrenamed_a(v[i], b))
				continue;
		} else if (q < 0) {
			r = fbb_kerr(e, q, v[i], "SIOCGIFDESCR");
			break;
		} else if (jnet_tag_parse(descr, &t) < 0 || t.kind != JNET_TAG_LINK ||
		    t.end != 'a') {
			continue;
		}
		r = ep_link_get(priv, v[i], &l, e);
		if (r == -ENODEV || r == -EPERM) {
			jnet_err_clear(e);
			r = 0;
			continue;
		}
		if (r == 0)
			r = cb(&l, arg);
	}
	free(v);
	return r;
}

static int
ep_link_create(void *priv, const struct jnet_link_req *req, struct jnet_err *e)
{
	char a[JNET_IFNAMSIZ], b[JNET_IFNAMSIZ];
	int r, a_in = FBSD_HOST, b_in = FBSD_HOST;

	(void)priv;
	/* req->jail_no_ipv6 is not needed here: see epair_lab.c. */
	if ((r = fbsd_if_create("epair", a)) < 0) {
		if (r == -EEXIST)
			return jnet_err_set(e, EEXIST, req->host_if,
			    "SIOCIFCREATE2 epair: the kernel's next epair unit is blocked by an "
			    "interface named epairNa or epairNb that is not an epair (rename it)");
		return fbb_kerr(e, r, req->host_if, "SIOCIFCREATE2 epair");
	}
	jnet_strlcpy(b, a, sizeof(b));
	b[strlen(b) - 1] = 'b';

	/* Mark both ends as ours before anything else can fail. */
	if ((r = fbsd_if_add_group(a, GROUP)) < 0) {
		r = fbb_kerr(e, r, a, "SIOCAIFGROUP %s", GROUP);
		goto fail;
	}
	if ((r = fbsd_if_set_descr(a, req->host_tag)) < 0) {
		r = fbb_kerr(e, r, a, "SIOCSIFDESCR");
		goto fail;
	}
	if ((r = fbsd_if_add_group(b, GROUP)) < 0) {
		r = fbb_kerr(e, r, b, "SIOCAIFGROUP %s", GROUP);
		goto fail;
	}
	if ((r = fbsd_if_set_descr(b, req->jail_tag)) < 0) {
		r = fbb_kerr(e, r, b, "SIOCSIFDESCR");
		goto fail;
	}
	/* The host end first: the peer of a renamed host end is found by its tag. */
	if ((r = fbsd_if_rename(a, req->host_if)) < 0) {
		r = r == -EEXIST ?
		    jnet_err_set(e, EEXIST, req->host_if, "SIOCSIFNAME %s: an interface of that name exists", a) :
		    fbb_kerr(e, r, a, "SIOCSIFNAME %s -> %s", a, req->host_if);
		goto fail;
	}
	jnet_strlcpy(a, req->host_if, sizeof(a));
	if ((r = fbsd_if_rename(b, req->jail_if)) < 0) {
		r = r == -EEXIST ?
		    jnet_err_set(e, EEXIST, req->jail_if, "SIOCSIFNAME %s: an interface of that name exists", b) :
		    fbb_kerr(e, r, b, "SIOCSIFNAME %s -> %s", b, req->jail_if);
		goto fail;
	}
	jnet_strlcpy(b, req->jail_if, sizeof(b));
	if (req->set_mac) {
		if ((r = fbsd_if_set_mac(a, req->host_mac)) < 0) {
			r = fbb_kerr(e, r, a, "SIOCSIFLLADDR");
			goto fail;
		}
		if ((r = fbsd_if_set_mac(b, req->jail_mac)) < 0) {
			r = fbb_kerr(e, r, b, "SIOCSIFLLADDR");
			goto fail;
		}
	}
	if (req->mtu) {
		/* Before joining the bridge: members cannot change their MTU (if.c). */
		if ((r = fbsd_if_set_mtu(a, req->mtu)) < 0) {
			r = fbb_kerr(e, r, a, "SIOCSIFMTU %u", req->mtu);
			goto fail;
		}
		if ((r = fbsd_if_set_mtu(b, req->mtu)) < 0) {
			r = fbb_kerr(e, r, b, "SIOCSIFMTU %u", req->mtu);
			goto fail;
		}
	}
	/* Bridge before up: a member must not pick up an IPv6 link-local address first. */
	if (req->bridge[0] != '\0' && (r = brdgadd(req->bridge, a, e)) < 0)
		goto fail;
	if (req->host_into != NULL) {
		/* A lab's point-to-point link: the "host" end goes into a jail too. */
		if ((r = fbsd_if_vnet(a, req->host_into->jid)) < 0) {
			r = fbb_kerr(e, r, a, "SIOCSIFVNET into jail %s (JID %d)", req->host_into->name,
			    req->host_into->jid);
			goto fail;
		}
		a_in = req->host_into->jid;
		if (req->up && (r = fbsd_if_set_up(a_in, a, true)) < 0) {
			r = fbb_kerr(e, r, a, "SIOCSIFFLAGS up inside jail %s", req->host_into->name);
			goto fail;
		}
	} else if (req->up && (r = fbsd_if_set_up(FBSD_HOST, a, true)) < 0) {
		r = fbb_kerr(e, r, a, "SIOCSIFFLAGS up");
		goto fail;
	}
	if (req->into != NULL) {
		if ((r = fbsd_if_vnet(b, req->into->jid)) < 0) {
			r = fbb_kerr(e, r, b, "SIOCSIFVNET into jail %s (JID %d)", req->into->name,
			    req->into->jid);
			goto fail;
		}
		b_in = req->into->jid;
		/* The move took it down (if_vmove -> if_down); set it up in there. */
		if (req->up && (r = fbsd_if_set_up(req->into->jid, b, true)) < 0) {
			r = fbb_kerr(e, r, b, "SIOCSIFFLAGS up inside jail %s", req->into->name);
			goto fail;
		}
	} else if (req->up && (r = fbsd_if_set_up(FBSD_HOST, b, true)) < 0) {
		r = fbb_kerr(e, r, b, "SIOCSIFFLAGS up");
		goto fail;
	}
	return 0;
fail:
	/* One destroy undoes it all: both ends go, wherever the jail end is by now. With
	 * both ends in jails, one comes home first to be destroyed. */
	if (a_in == FBSD_HOST)
		(void)fbsd_if_destroy(a);
	else if (b_in == FBSD_HOST)
		(void)fbsd_if_destroy(b);
	else if (fbsd_if_rvnet(b, b_in) == 0)
		(void)fbsd_if_destroy(b);
	return r;
}

static int
ep_link_destroy(void *priv, const struct jnet_link_info *l, struct jnet_err *e)
{
	int r = fbsd_if_destroy(l->host_if);

	(void)priv;
	if (fbb_gone(r))
		return 0; /* nothing left: what we wanted */
	return r < 0 ? fbb_kerr(e, r, l->host_if, "SIOCIFDESTROY") : 0;
}

/* Give a jail end left as epairNb by a crash its proper name (completing the link). */
static int
canon_jail_end(struct jnet_link_info *cur, struct jnet_err *e)
{
	char canon[JNET_IFNAMSIZ];
	int r;

	if (!cur->tagged || cur->where != JNET_WHERE_HOST)
		return 0;
	jnet_ifname(canon, JNET_NAMES_PAIR, cur->jail, cur->index, 'b');
	if (strcmp(canon, cur->jail_if) == 0)
		return 0;
	if ((r = fbsd_if_rename(cur->jail_if, canon)) < 0)
		return fbb_kerr(e, r, cur->jail_if, "SIOCSIFNAME %s -> %s", cur->jail_if, canon);
	jnet_strlcpy(cur->jail_if, canon, sizeof(cur->jail_if));
	return 0;
}

static int
jid_of(const char *jail, int *jid, bool *dying, struct jnet_err *e)
{
	int r = fbsd_jail_getid(jail, jid, dying);

	if (r == -ENOENT)
		return jnet_err_set(e, ENOENT, jail, "no such jail");
	return r < 0 ? fbb_kerr(e, r, jail, "jail_get") : 0;
}

/* Bring a jail end home from jail `jid` as addm left it: in group jnet, up if it was. */
static int
come_home(const char *b, int jid, const char *jail, bool up, struct jnet_err *e)
{
	int r = fbsd_if_rvnet(b, jid);

	if (r == -ENXIO)
		return jnet_err_set(e, ENXIO, b, "SIOCSIFRVNET: not in jail %s", jail);
	if (r == -EBUSY)
		return jnet_err_set(e, EBUSY, b,
		    "SIOCSIFRVNET: the network stack of jail %s is shutting down; it comes back "
		    "by itself when it is gone", jail);
	if (r < 0)
		return fbb_kerr(e, r, b, "SIOCSIFRVNET from jail %s", jail);
	/* The move dropped its groups and set it down (if_vmove). */
	r = fbsd_if_add_group(b, GROUP);
	if (r < 0 && r != -EEXIST) {
		r = fbb_kerr(e, r, b, "SIOCAIFGROUP %s", GROUP);
		goto undo;
	}
	if (up && (r = fbsd_if_set_up(FBSD_HOST, b, true)) < 0) {
		r = fbb_kerr(e, r, b, "SIOCSIFFLAGS up");
		goto undo;
	}
	return 0;
undo:
	if (fbsd_if_vnet(b, jid) == 0 && up)
		(void)fbsd_if_set_up(jid, b, true);
	return r;
}

static int
ep_link_move(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    const struct jnet_jail *from, struct jnet_err *e)
{
	(void)from; /* the jail end is found from the host end's peer (JID) */
	struct jnet_link_info cur;
	bool dying, was_up = false;
	int r, jid;

	if ((r = ep_link_get(priv, l->host_if, &cur, e)) < 0)
		return r;
	if (j != NULL) {
		was_up = cur.jail_up;
		if (cur.where != JNET_WHERE_HOST)
			return jnet_err_set(e, EBUSY, cur.jail_if[0] ? cur.jail_if : l->host_if,
			    "the jail end is not on the host");
		if ((r = canon_jail_end(&cur, e)) < 0)
			return r;
		r = fbsd_if_vnet(cur.jail_if, j->jid);
		if (r == -ENXIO)
			return jnet_err_set(e, ENXIO, cur.jail_if,
			    "SIOCSIFVNET: no jail with JID %d (%s)", j->jid, j->name);
		if (r == -EEXIST)
			return jnet_err_set(e, EEXIST, cur.jail_if,
			    "SIOCSIFVNET into jail %s: it already has an interface of that name, or it "
			    "has no vnet of its own (start it with `vnet`)", j->name);
		if (r == -EBUSY)
			return jnet_err_set(e, EBUSY, cur.jail_if,
			    "SIOCSIFVNET into jail %s: its network stack is shutting down", j->name);
		if (r < 0)
			return fbb_kerr(e, r, cur.jail_if, "SIOCSIFVNET into jail %s", j->name);
		/* The move set it down; keep the state it had. */
		if (was_up && (r = fbsd_if_set_up(j->jid, cur.jail_if, true)) < 0) {
			struct jnet_err ignore;

			r = fbb_kerr(e, r, cur.jail_if, "SIOCSIFFLAGS up inside jail %s", j->name);
			(void)come_home(cur.jail_if, j->jid, j->name, true, &ignore);
		}
		return r;
	}
	if (cur.where == JNET_WHERE_HOST)
		return 0;
	if (cur.where != JNET_WHERE_JAIL)
		return jnet_err_set(e, ENOENT, cur.jail_if[0] ? cur.jail_if : l->host_if,
		    "the jail end is neither on the host nor in jail %s", cur.jail);
	if ((r = jid_of(cur.where_jail, &jid, &dying, e)) < 0)
		return r;
	/* Keep its up/down state across the move; a dying jail cannot be entered to ask. */
	if (!dying && (r = fbsd_if_get_up(jid, cur.jail_if, &was_up)) < 0)
		return fbb_kerr(e, r, cur.jail_if, "SIOCGIFFLAGS inside jail %s", cur.where_jail);
	return come_home(cur.jail_if, jid, cur.where_jail, was_up, e);
}

static int
ep_link_set_up(void *priv, const struct jnet_link_info *l, bool up, struct jnet_err *e)
{
	struct jnet_link_info cur;
	const char *how = up ? "up" : "down";
	int r, jid = FBSD_HOST;
	bool dying = false, jail_done = false, jail_was = false;

	if ((r = ep_link_get(priv, l->host_if, &cur, e)) < 0)
		return r;
	if (up && (r = canon_jail_end(&cur, e)) < 0)
		return r;
	if (cur.where == JNET_WHERE_JAIL) {
		if ((r = jid_of(cur.where_jail, &jid, &dying, e)) < 0)
			return r;
		if (dying && up)
			return jnet_err_set(e, EBUSY, cur.where_jail,
			    "jail is being removed; its interfaces cannot be set up");
		/* A dying jail cannot be entered; its end goes down with it anyway. */
		if (!dying) {
			r = fbsd_if_get_up(jid, cur.jail_if, &jail_was);
			if (r < 0)
				return fbb_kerr(e, r, cur.jail_if, "SIOCGIFFLAGS inside jail %s",
				    cur.where_jail);
			if (jail_was != up) {
				r = fbsd_if_set_up(jid, cur.jail_if, up);
				if (r < 0)
					return fbb_kerr(e, r, cur.jail_if,
					    "SIOCSIFFLAGS %s inside jail %s", how, cur.where_jail);
				jail_done = true;
			}
		}
	} else if (cur.where == JNET_WHERE_HOST && cur.jail_up != up) {
		if ((r = fbsd_if_set_up(FBSD_HOST, cur.jail_if, up)) < 0)
			return fbb_kerr(e, r, cur.jail_if, "SIOCSIFFLAGS %s", how);
		jail_done = true;
	}
	if (cur.host_up == up)
		return 0;
	if ((r = fbsd_if_set_up(FBSD_HOST, cur.host_if, up)) < 0) {
		r = fbb_kerr(e, r, cur.host_if, "SIOCSIFFLAGS %s", how);
		if (jail_done) /* atomic: put the jail end back */
			(void)fbsd_if_set_up(jid, cur.jail_if, !up);
		return r;
	}
	return 0;
}

const struct jnet_backend_ops jnet_epair_backend = {
	.name = "epair",
	.summary = "epair(4) pairs + if_bridge(4) + VNET jails (FreeBSD)",
	.names = JNET_NAMES_PAIR,
	.paired = true,
	.open = ep_open,
	.close = ep_close,
	.jail_open = fbb_jail_open,
	.jail_close = fbb_jail_close,
	.if_get = ep_if_get,
	.bridge_list = ep_bridge_list,
	.bridge_create = ep_bridge_create,
	.bridge_destroy = ep_bridge_destroy,
	.bridge_members = ep_bridge_members,
	.if_set_master = ep_if_set_master,
	.if_set_tag = ep_if_set_tag,
	.if_ensure_up = ep_if_ensure_up,
	.link_create = ep_link_create,
	.link_get = ep_link_get,
	.link_list = ep_link_list,
	.link_destroy = ep_link_destroy,
	.link_move = ep_link_move,
	.link_set_up = ep_link_set_up,
	.jail_create = ep_jail_create,
	.jail_tag = ep_jail_tag,
	.jail_destroy = ep_jail_destroy,
	.jail_list = ep_jail_list,
	.addr_add = ep_addr_add,
	.addr_list = ep_addr_list,
	.jail_if_get = ep_jail_if_get,
	.route_list = ep_route_list,
	.route_add = ep_route_add,
	.forwarding = ep_forwarding,
	.jail_exec = ep_jail_exec,
};
