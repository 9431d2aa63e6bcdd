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
#include "common.h"
#include "fbsd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROUP FBC_GROUP   /* interface group of everything jnet creates */

/* ---------------------------------------------------------------- errors */

/* ---------------------------------------------------------------- one interface */

/* One end of a pair as the host sees it, and whether it is jnet's (jnet_ownership). */
struct end {
	struct fbc_if x;
	enum jnet_own own;
	struct jnet_tag tag;   /* own == JNET_OWN_TAGGED */
};

/* Read end `name`; `expect`: the name it has if jnet made it and crashed before tagging
 * it (its kernel name epairN[ab]), NULL when an untagged `name` cannot be jnet's. */
static int
read_end(const char *name, const char *expect, struct end *b, struct jnet_err *e)
{
	int r = fbc_read_if_mtu(name, false, &b->x, e);

	if (r < 0)
		return r;
	b->own = fbc_owner(&b->x, JNET_TAG_LINK, expect, &b->tag);
	return 0;
}

/* ---------------------------------------------------------------- open / jails */

/* Per command: which kernel modules are known to be loaded (fbc_kld). */
struct eppriv {
	bool if_epair, if_bridge, if_vlan;
};

static int
ep_vlan_create(void *priv, const char *name, const char *parent, int vid, const char *tag,
    struct jnet_err *e)
{
	return fbc_vlan_create(name, parent, vid, tag, &((struct eppriv *)priv)->if_vlan, e);
}

static int
ep_open(void **priv, struct jnet_err *e)
{
	/* Otherwise no state: every primitive opens what it needs. */
	if ((*priv = calloc(1, sizeof(struct eppriv))) == NULL)
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	return 0;
}

static void
ep_close(void *priv)
{
	free(priv);
}

/* ---------------------------------------------------------------- interfaces, bridges */

static int
ep_if_get(void *priv, const char *ifname, struct jnet_ifinfo *out, struct jnet_err *e)
{
	struct fbc_if x;
	int r;

	(void)priv;
	memset(out, 0, sizeof(*out));
	if ((r = fbc_read_if(ifname, &x, e)) < 0)
		return r;
	fbc_ifinfo(&x, out);
	/* Bridges are not members of bridges: skip the scan for them. */
	if (!x.bridge && (r = fbc_if_bridge(ifname, out->master, e)) < 0)
		return r;
	return 0;
}

static int
ep_bridge_list(void *priv, int (*cb)(const struct jnet_ifinfo *, void *), void *arg,
    struct jnet_err *e)
{
	char (*br)[JNET_IFNAMSIZ];
	int n, r;

	if ((r = fbc_group_list("bridge", &br, &n, e)) < 0)
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
	return fbc_kerr(e, r, member, "BRDGADD to %s", bridge);
}

static int
ep_bridge_create(void *priv, const char *name, const char *uplink, const uint8_t *mac,
    const char *tag, struct jnet_err *e)
{
	struct eppriv *p = priv;
	char cur[JNET_IFNAMSIZ];
	int r;

	/* No cloner before if_bridge is loaded (SIOCIFCREATE2: EINVAL); ifconfig loads it. */
	if ((r = fbc_kld("if_bridge", &p->if_bridge, e)) < 0)
		return r;
	if ((r = fbsd_if_create("bridge", cur)) < 0)
		return fbc_kerr(e, r, name, "SIOCIFCREATE2 bridge");
	/* Tag first (see the top of this file), then take the final name. */
	if ((r = fbsd_if_add_group(cur, GROUP)) < 0) {
		r = fbc_kerr(e, r, cur, "SIOCAIFGROUP %s", GROUP);
		goto fail;
	}
	if ((r = fbsd_if_set_descr(cur, tag)) < 0) {
		r = fbc_kerr(e, r, cur, "SIOCSIFDESCR");
		goto fail;
	}
	if ((r = fbsd_if_rename(cur, name)) < 0) {
		if (r == -EEXIST)
			r = jnet_err_set(e, EEXIST, name, "exists");
		else
			r = fbc_kerr(e, r, cur, "SIOCSIFNAME %s -> %s", cur, name);
		goto fail;
	}
	jnet_strlcpy(cur, name, sizeof(cur));
	if (mac != NULL && (r = fbsd_if_set_mac(cur, mac)) < 0) {
		r = fbc_kerr(e, r, cur, "SIOCSIFLLADDR");
		goto fail;
	}
	if (uplink != NULL && (r = brdgadd(cur, uplink, e)) < 0)
		goto fail;
	if ((r = fbsd_if_set_up(FBSD_HOST, cur, true)) < 0) {
		r = fbc_kerr(e, r, cur, "SIOCSIFFLAGS up");
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
	if (fbc_gone(r))
		return 0;
	return r < 0 ? fbc_kerr(e, r, name, "SIOCIFDESTROY") : 0;
}

static int
ep_bridge_members(void *priv, const char *name, char (*names)[JNET_IFNAMSIZ], int max,
    struct jnet_err *e)
{
	int r = fbsd_bridge_members(name, names, max);

	(void)priv;
	if (fbc_gone(r))
		return jnet_err_set(e, ENODEV, name, "no such interface");
	if (r == -EINVAL)
		return jnet_err_set(e, EINVAL, name, "not a bridge");
	return r < 0 ? fbc_kerr(e, r, name, "BRDGGIFS") : r;
}

static int ep_link_get(void *priv, const char *host_if, struct jnet_link_info *out,
    struct jnet_err *e);

/*
 * Give the jail end of link `host_if` the MTU of its host end (which a bridge has just
 * set), wherever the jail end is: on the host, or inside the jail the host end's tag names
 * (a dying jail cannot be entered; its end goes with it). Not a link: nothing to match.
 */
static int
peer_mtu(void *priv, const char *host_if, struct jnet_err *e)
{
	struct jnet_link_info l;
	unsigned ma, mb;
	bool dying = false;
	int r, jid = FBSD_HOST;

	r = ep_link_get(priv, host_if, &l, e);
	if (r == -EPERM || r == -ENODEV) {
		jnet_err_clear(e);
		return 0;
	}
	if (r < 0)
		return r;
	if (l.where == JNET_WHERE_JAIL && !l.stale) {
		if ((r = fbc_jid_of(l.where_jail, &jid, &dying, e)) < 0)
			return r;
		if (dying)
			return 0;
	} else if (l.where != JNET_WHERE_HOST) {
		return 0;
	}
	if ((r = fbsd_if_get_mtu(FBSD_HOST, host_if, &ma)) < 0)
		return fbc_kerr(e, r, host_if, "SIOCGIFMTU");
	if ((r = fbsd_if_get_mtu(jid, l.jail_if, &mb)) < 0)
		return fbc_kerr(e, r, l.jail_if, "SIOCGIFMTU%s%s", jid ? " inside jail " : "",
		    jid ? l.where_jail : "");
	if (ma == mb)
		return 0;
	r = fbsd_if_set_mtu(jid, l.jail_if, ma);
	return r < 0 ? fbc_kerr(e, r, l.jail_if, "SIOCSIFMTU %u%s%s", ma,
	    jid ? " inside jail " : "", jid ? l.where_jail : "") : 0;
}

/* Put a host interface on a bridge again (a link whose bridge was made anew); its jail
 * end follows the MTU the bridge gives it. */
static int
ep_if_set_master(void *priv, const char *ifname, const char *bridge, struct jnet_err *e)
{
	char old[JNET_IFNAMSIZ];
	int r;

	if (fbsd_bridge_has_member(bridge, ifname) == 1)
		return 0;
	/* A port of another bridge (a link addm moves; the core asks this only of jnet's
	 * links): it leaves that one first, as if_bridge takes a member in one bridge only. */
	if (fbc_if_bridge(ifname, old, e) == 0 && old[0] != '\0' &&
	    (r = fbsd_bridge_del(old, ifname)) < 0)
		return fbc_kerr(e, r, ifname, "BRDGDEL from %s", old);
	jnet_err_clear(e);
	r = brdgadd(bridge, ifname, e);
	if (r == -EEXIST) {
		jnet_err_clear(e);
		return 0;
	}
	if (r < 0)
		return r;
	if ((r = peer_mtu(priv, ifname, e)) < 0)
		(void)fbsd_bridge_del(bridge, ifname); /* atomic: as it was */
	return r;
}

/* Tag an interface jnet made (a bridge whose creation stopped before SIOCSIFDESCR). */
static int
ep_if_set_tag(void *priv, const char *ifname, const char *tag, struct jnet_err *e)
{
	(void)priv;
	return fbc_if_set_descr(ifname, tag, e);
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
	return b->own == JNET_OWN_TAGGED && b->tag.end == 'b' && b->tag.index == l->index &&
	    strcmp(b->tag.name, l->jail) == 0;
}

/* Look through group "jnet" for the still unrenamed b end of link l. */
static int
scan_unrenamed_b(const struct jnet_link_info *l, struct end *found, struct jnet_err *e)
{
	char (*v)[JNET_IFNAMSIZ];
	int n, r;

	if ((r = fbc_group_list(GROUP, &v, &n, e)) < 0)
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
		if (q < 0 || jnet_ownership(descr, true, v[i], JNET_TAG_LINK, NULL, &t) !=
		    JNET_OWN_TAGGED || t.end != 'b' || t.index != l->index ||
		    strcmp(t.name, l->jail) != 0)
			continue;
		if ((q = read_end(v[i], NULL, found, e)) == 0)
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
	jnet_strlcpy(out->jail_if, b->x.name, sizeof(out->jail_if));
	memcpy(out->jail_mac, b->x.mac, 6);
	out->jail_mac_known = b->x.has_mac;
	out->jail_up = b->x.up;
	out->where = JNET_WHERE_HOST;
}

static int
ep_link_get(void *priv, const char *host_if, struct jnet_link_info *out, struct jnet_err *e)
{
	char canon[JNET_IFNAMSIZ] = "", bname[JNET_IFNAMSIZ];
	struct end a, b;
	bool jail_found = false, unrenamed;
	int r;

	(void)priv;
	memset(out, 0, sizeof(*out));
	jnet_strlcpy(out->host_if, host_if, sizeof(out->host_if));
	unrenamed = unrenamed_a(host_if, bname);
	if ((r = read_end(host_if, unrenamed ? host_if : NULL, &a, e)) < 0)
		return r;
	/*
	 * Ours only by jnet_ownership(): its link tag (an a end of this backend), or in the
	 * crash window before SIOCSIFDESCR, untagged in group jnet and still named epairNa.
	 */
	if (a.own == JNET_OWN_NONE || !a.x.epair)
		return -EPERM;
	if (a.own == JNET_OWN_TAGGED) {
		if (a.tag.end != 'a' || strcmp(a.tag.backend, "epair") != 0)
			return -EPERM;
		out->tagged = true;
		jnet_strlcpy(out->jail, a.tag.name, sizeof(out->jail));
		out->index = a.tag.index;
		out->count = a.tag.count;
		out->born = a.tag.born;
		jnet_ifname(canon, JNET_NAMES_PAIR, out->jail, out->index, 'b');
	}
	memcpy(out->host_mac, a.x.mac, 6);
	out->host_up = a.x.up;
	if ((r = fbc_if_bridge(host_if, out->bridge, e)) < 0)
		return r;
	out->where = JNET_WHERE_UNKNOWN;

	/* The jail end on the host, under its name... */
	if (canon[0] != '\0') {
		r = read_end(canon, NULL, &b, e);
		if (r == 0 && is_peer_tag(&b, out)) {
			set_jail_end(out, &b);
			return 0;
		}
		if (r < 0 && r != -ENODEV)
			return r;
		jnet_err_clear(e);
	}
	/* ... or still named after the unit, next to an unrenamed host end ... */
	if (unrenamed) {
		/*
		 * epairNb is epairNa's peer by the kernel's naming (if_epair.c makes both):
		 * tagged as its peer, or still as unmarked as the kernel made it (a crash before
		 * its SIOCAIFGROUP), or in group jnet untagged (before its SIOCSIFDESCR).
		 */
		r = read_end(bname, bname, &b, e);
		if (r == 0 && b.x.epair && (is_peer_tag(&b, out) || b.own == JNET_OWN_CRASH ||
		    (!b.x.jnet && b.x.descr[0] == '\0'))) {
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
			return fbc_kerr(e, r, out->jail, "jail_get");
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
		/* Whether that is a dying older instance of the jail: ep_link_stale, asked
		 * only by the verbs that need it (it walks every jail). */
	}
	return 0;
}

/*
 * backend link_stale: is the jail end, in a jail of the name its tag gives, inside a dying
 * older instance of that jail while a new one runs (fbc_stale)? That takes a walk over
 * every jail (jail_get "lastjid"): addm and attach ask it, for a link whose end is in a
 * jail; link_get, and with it destroy, detach and show, does not.
 */
static int
ep_link_stale(void *priv, const struct jnet_link_info *l, struct jnet_err *e)
{
	int old;

	(void)priv;
	if (l->where != JNET_WHERE_JAIL)
		return 0;
	return fbc_stale(l->where_jail, l->jail_if, &old, e);
}

static int
ep_link_list(void *priv, int (*cb)(const struct jnet_link_info *, void *), void *arg,
    struct jnet_err *e)
{
	char (*v)[JNET_IFNAMSIZ], b[JNET_IFNAMSIZ];
	int n, r;

	/* Everything jnet made is in group "jnet": no walk over every interface. */
	if ((r = fbc_group_list(GROUP, &v, &n, e)) < 0)
		return r;
	for (int i = 0; i < n && r == 0; i++) {
		char descr[JNET_TAGSIZ];
		struct jnet_tag t;
		enum jnet_own own;
		int q = fbsd_if_get_descr(v[i], descr, sizeof(descr));

		if (fbc_gone(q))
			continue;
		if (q == -ENOMSG || q == -ENAMETOOLONG) {
			descr[0] = '\0';
		} else if (q < 0) {
			r = fbc_kerr(e, q, v[i], "SIOCGIFDESCR");
			break;
		}
		/* A link's a end stands for it: tagged, or an untagged epairNa (a crash). */
		own = jnet_ownership(descr, true, v[i], JNET_TAG_LINK,
		    unrenamed_a(v[i], b) ? v[i] : NULL, &t);
		if (own == JNET_OWN_NONE || (own == JNET_OWN_TAGGED && t.end != 'a'))
			continue;
		r = fbc_link_visit(ep_link_get, priv, v[i], cb, arg, e);
	}
	free(v);
	return r;
}

static int
ep_link_create(void *priv, const struct jnet_link_req *req, struct jnet_err *e)
{
	struct eppriv *p = priv;
	char a[JNET_IFNAMSIZ], b[JNET_IFNAMSIZ], bname[JNET_IFNAMSIZ];
	int r, a_in = FBSD_HOST, b_in = FBSD_HOST;

	/* req->jail_no_ipv6 is not needed here: see src/fbsd/common_lab.c. */
	/* No cloner before if_epair is loaded (SIOCIFCREATE2: EINVAL); ifconfig loads it. */
	if ((r = fbc_kld("if_epair", &p->if_epair, e)) < 0)
		return r;
	if ((r = fbsd_if_create("epair", a)) < 0) {
		if (r == -EEXIST)
			return jnet_err_set(e, EEXIST, req->host_if,
			    "SIOCIFCREATE2 epair: the kernel's next epair unit is blocked by an "
			    "interface named epairNa or epairNb that is not an epair (rename it)");
		return fbc_kerr(e, r, req->host_if, "SIOCIFCREATE2 epair");
	}
	jnet_strlcpy(b, a, sizeof(b));
	b[strlen(b) - 1] = 'b';

	/* Mark both ends as ours before anything else can fail. */
	if ((r = fbsd_if_add_group(a, GROUP)) < 0) {
		r = fbc_kerr(e, r, a, "SIOCAIFGROUP %s", GROUP);
		goto fail;
	}
	if ((r = fbsd_if_set_descr(a, req->host_tag)) < 0) {
		r = fbc_kerr(e, r, a, "SIOCSIFDESCR");
		goto fail;
	}
	if ((r = fbsd_if_add_group(b, GROUP)) < 0) {
		r = fbc_kerr(e, r, b, "SIOCAIFGROUP %s", GROUP);
		goto fail;
	}
	if ((r = fbsd_if_set_descr(b, req->jail_tag)) < 0) {
		r = fbc_kerr(e, r, b, "SIOCSIFDESCR");
		goto fail;
	}
	/* The host end first: the peer of a renamed host end is found by its tag. */
	if ((r = fbsd_if_rename(a, req->host_if)) < 0) {
		r = r == -EEXIST ?
		    jnet_err_set(e, EEXIST, req->host_if, "SIOCSIFNAME %s: an interface of that name exists", a) :
		    fbc_kerr(e, r, a, "SIOCSIFNAME %s -> %s", a, req->host_if);
		goto fail;
	}
	jnet_strlcpy(a, req->host_if, sizeof(a));
	/* A jail end bound for a jail is named on the host by jnet's scheme (unique to the
	 * link) and gets req->jail_if inside the jail, after the move: a name of the jail's
	 * own (CNI_IFNAME eth0 for many containers at once, or em0) collides on the host. */
	if (req->into != NULL && req->host_into == NULL)
		/* (a lab's point-to-point link: both ends are named by the lab, for jails) */
		jnet_ifname(bname, JNET_NAMES_PAIR, req->jail, req->index, 'b');
	else
		jnet_strlcpy(bname, req->jail_if, sizeof(bname));
	if ((r = fbsd_if_rename(b, bname)) < 0) {
		r = r == -EEXIST ?
		    jnet_err_set(e, EEXIST, bname, "SIOCSIFNAME %s: an interface of that name exists", b) :
		    fbc_kerr(e, r, b, "SIOCSIFNAME %s -> %s", b, bname);
		goto fail;
	}
	jnet_strlcpy(b, bname, sizeof(b));
	if (req->set_mac) {
		if ((r = fbsd_if_set_mac(a, req->host_mac)) < 0) {
			r = fbc_kerr(e, r, a, "SIOCSIFLLADDR");
			goto fail;
		}
		if ((r = fbsd_if_set_mac(b, req->jail_mac)) < 0) {
			r = fbc_kerr(e, r, b, "SIOCSIFLLADDR");
			goto fail;
		}
	}
	/* Both ends, before joining the bridge: members cannot change their MTU (if.c). */
	if (req->mtu && ((r = fbc_if_set_mtu(a, req->mtu, e)) < 0 ||
	    (r = fbc_if_set_mtu(b, req->mtu, e)) < 0))
		goto fail;
	/* Bridge before up: a member must not pick up an IPv6 link-local address first. */
	if (req->bridge[0] != '\0') {
		unsigned ma, mb;

		if ((r = brdgadd(req->bridge, a, e)) < 0)
			goto fail;
		/* The bridge gave a its MTU (bridge_ioctl_add); the peer must have the same. */
		if ((r = fbsd_if_get_mtu(FBSD_HOST, a, &ma)) < 0) {
			r = fbc_kerr(e, r, a, "SIOCGIFMTU");
			goto fail;
		}
		/* b has the MTU set just above, if one was: no need to ask. */
		if (req->mtu != 0)
			mb = req->mtu;
		else if ((r = fbsd_if_get_mtu(FBSD_HOST, b, &mb)) < 0) {
			r = fbc_kerr(e, r, b, "SIOCGIFMTU");
			goto fail;
		}
		if (ma != mb && (r = fbc_if_set_mtu(b, ma, e)) < 0)
			goto fail;
	}
	if (req->host_into != NULL) {
		/* A lab's point-to-point link: the "host" end goes into a jail too. */
		if ((r = fbsd_if_vnet(a, req->host_into->jid)) < 0) {
			r = fbc_kerr(e, r, a, "SIOCSIFVNET into jail %s (JID %d)", req->host_into->name,
			    req->host_into->jid);
			goto fail;
		}
		a_in = req->host_into->jid;
		if (req->up && (r = fbsd_if_set_up(a_in, a, true)) < 0) {
			r = fbc_kerr(e, r, a, "SIOCSIFFLAGS up inside jail %s", req->host_into->name);
			goto fail;
		}
	} else if (req->up && (r = fbsd_if_set_up(FBSD_HOST, a, true)) < 0) {
		r = fbc_kerr(e, r, a, "SIOCSIFFLAGS up");
		goto fail;
	}
	if (req->into != NULL) {
		if ((r = fbsd_if_vnet(b, req->into->jid)) < 0) {
			r = fbc_kerr(e, r, b, "SIOCSIFVNET into jail %s (JID %d)", req->into->name,
			    req->into->jid);
			goto fail;
		}
		b_in = req->into->jid;
		if (strcmp(b, req->jail_if) != 0) {
			if ((r = fbsd_jail_if_rename(b_in, b, req->jail_if)) < 0) {
				r = r == -EEXIST ? jnet_err_set(e, EEXIST, req->jail_if,
				    "SIOCSIFNAME %s inside jail %s: an interface of that name exists there",
				    b, req->into->name) : fbc_kerr(e, r, b,
				    "SIOCSIFNAME %s -> %s inside jail %s", b, req->jail_if, req->into->name);
				goto fail;
			}
			jnet_strlcpy(b, req->jail_if, sizeof(b));
		}
		/* The move took it down (if_vmove -> if_down); set it up in there. */
		if (req->up && (r = fbsd_if_set_up(req->into->jid, b, true)) < 0) {
			r = fbc_kerr(e, r, b, "SIOCSIFFLAGS up inside jail %s", req->into->name);
			goto fail;
		}
	} else if (req->up && (r = fbsd_if_set_up(FBSD_HOST, b, true)) < 0) {
		r = fbc_kerr(e, r, b, "SIOCSIFFLAGS up");
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
	if (fbc_gone(r))
		return 0; /* nothing left: what we wanted */
	return r < 0 ? fbc_kerr(e, r, l->host_if, "SIOCIFDESTROY") : 0;
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
		return fbc_kerr(e, r, cur->jail_if, "SIOCSIFNAME %s -> %s", cur->jail_if, canon);
	jnet_strlcpy(cur->jail_if, canon, sizeof(cur->jail_if));
	return 0;
}

static int
ep_link_move(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    const struct jnet_jail *from, struct jnet_err *e)
{
	(void)from; /* the jail end is found from the host end's peer (JID) */
	struct jnet_link_info cur;
	bool dying, was_up = false;
	int r, jid;

	/*
	 * l is what ep_link_get answered for this link in this command, just before (every
	 * caller in core.c: attach_cb, detach_cb, addm_converge, undo_link_move): no second
	 * read of both ends. What changed since, the kernel calls below find (ENXIO).
	 */
	(void)priv;
	cur = *l;
	if (j != NULL) {
		was_up = cur.jail_up;
		if (cur.where != JNET_WHERE_HOST)
			return jnet_err_set(e, EBUSY, cur.jail_if[0] ? cur.jail_if : l->host_if,
			    "the jail end is not on the host");
		if ((r = canon_jail_end(&cur, e)) < 0)
			return r;
		return fbc_into_jail(cur.jail_if, j, was_up, e);
	}
	if (cur.where == JNET_WHERE_HOST)
		return 0;
	if (cur.where != JNET_WHERE_JAIL)
		return jnet_err_set(e, ENOENT, cur.jail_if[0] ? cur.jail_if : l->host_if,
		    "the jail end is neither on the host nor in jail %s", cur.jail);
	if ((r = fbc_jid_of(cur.where_jail, &jid, &dying, e)) < 0)
		return r;
	return fbc_from_jail(cur.jail_if, jid, cur.where_jail, dying, e);
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
		if ((r = fbc_jid_of(cur.where_jail, &jid, &dying, e)) < 0)
			return r;
		if (dying && up)
			return jnet_err_set(e, EBUSY, cur.where_jail,
			    "jail is being removed; its interfaces cannot be set up");
		/* A dying jail cannot be entered; its end goes down with it anyway. */
		if (!dying) {
			r = fbsd_if_get_up(jid, cur.jail_if, &jail_was);
			if (r < 0)
				return fbc_kerr(e, r, cur.jail_if, "SIOCGIFFLAGS inside jail %s",
				    cur.where_jail);
			if (jail_was != up) {
				r = fbsd_if_set_up(jid, cur.jail_if, up);
				if (r < 0)
					return fbc_kerr(e, r, cur.jail_if,
					    "SIOCSIFFLAGS %s inside jail %s", how, cur.where_jail);
				jail_done = true;
			}
		}
	} else if (cur.where == JNET_WHERE_HOST && cur.jail_up != up) {
		if ((r = fbsd_if_set_up(FBSD_HOST, cur.jail_if, up)) < 0)
			return fbc_kerr(e, r, cur.jail_if, "SIOCSIFFLAGS %s", how);
		jail_done = true;
	}
	if (cur.host_up == up)
		return 0;
	if ((r = fbsd_if_set_up(FBSD_HOST, cur.host_if, up)) < 0) {
		r = fbc_kerr(e, r, cur.host_if, "SIOCSIFFLAGS %s", how);
		if (jail_done) /* atomic: put the jail end back */
			(void)fbsd_if_set_up(jid, cur.jail_if, !up);
		return r;
	}
	return 0;
}

/* ---------------------------------------------------------------- labs */

/* Bring the jnet link ends inside jail `jid` home and destroy them (with their peers):
 * the point-to-point links of a lab have no end on the host to destroy them by. */
static int
destroy_inner_links(int jid, const char *name, struct jnet_err *e)
{
	char ifs[64][JNET_IFNAMSIZ], descr[JNET_TAGSIZ], want[JNET_IFNAMSIZ];
	int n = fbsd_jail_if_list(jid, ifs, 64), r;

	if (n < 0)
		return fbc_kerr(e, n, name, "getifaddrs inside the jail");
	for (int i = 0; i < n && i < 64; i++) {
		struct jnet_tag t;

		if (strcmp(ifs[i], "lo0") == 0)
			continue;
		r = fbsd_jail_if_get_descr(jid, ifs[i], descr, sizeof(descr));
		if (r == -ENXIO || r == -ENOMSG || r == -ENAMETOOLONG)
			continue; /* gone with a peer destroyed just before, or not ours */
		if (r < 0)
			return fbc_kerr(e, r, ifs[i], "SIOCGIFDESCR inside jail %s", name);
		/*
		 * What a jail shows is its own word: only an interface tagged as a link of this
		 * jail and named as jnet names that link is taken out, so a jail can make jnet
		 * act on nothing but names of its own links.
		 */
		if (jnet_ownership(descr, false, ifs[i], JNET_TAG_LINK, NULL, &t) !=
		    JNET_OWN_TAGGED || strcmp(t.name, name) != 0 ||
		    jnet_ifname(want, JNET_NAMES_PAIR, name, t.index, 'b') < 0 ||
		    strcmp(want, ifs[i]) != 0)
			continue;
		if ((r = fbc_home_free(ifs[i], name, e)) < 0)
			return r;
		r = fbsd_if_rvnet(ifs[i], jid);
		if (r == -ENXIO)
			continue;
		if (r < 0)
			return fbc_kerr(e, r, ifs[i], "SIOCSIFRVNET from jail %s", name);
		r = fbsd_if_destroy(ifs[i]);
		if (r < 0 && r != -ENXIO)
			return fbc_kerr(e, r, ifs[i], "SIOCIFDESTROY");
	}
	return 0;
}

static int
ep_jail_destroy(void *priv, const char *name, struct jnet_err *e)
{
	(void)priv;
	return fbc_lab_jail_destroy(name, destroy_inner_links, e);
}

const struct jnet_backend_ops jnet_epair_backend = {
	.name = "epair",
	.summary = "epair(4) pairs + if_bridge(4) + VNET jails (FreeBSD)",
	.names = JNET_NAMES_PAIR,
	.paired = true,
	.open = ep_open,
	.close = ep_close,
	.jail_open = fbc_jail_open,
	.jail_close = fbc_jail_close,
	.if_get = ep_if_get,
	.bridge_list = ep_bridge_list,
	.bridge_create = ep_bridge_create,
	.vlan_create = ep_vlan_create,
	.vlan_destroy = fbc_vlan_destroy,
	.bridge_destroy = ep_bridge_destroy,
	.bridge_members = ep_bridge_members,
	.if_set_master = ep_if_set_master,
	.if_set_tag = ep_if_set_tag,
	.if_ensure_up = fbc_if_ensure_up,
	.if_set_up = fbc_if_set_up,
	.link_create = ep_link_create,
	.link_get = ep_link_get,
	.link_list = ep_link_list,
	.link_destroy = ep_link_destroy,
	.link_move = ep_link_move,
	.link_set_up = ep_link_set_up,
	.link_stale = ep_link_stale,
	.jail_create = fbc_jail_create,
	.jail_tag = fbc_jail_tag,
	.jail_destroy = ep_jail_destroy,
	.jail_list = fbc_jail_list,
	.addr_add = fbc_addr_add,
	.addr_list = fbc_addr_list,
	.jail_if_get = fbc_jail_if_get,
	.route_list = fbc_route_list,
	.route_add = fbc_route_add,
	.forwarding = fbc_forwarding,
	.jail_exec = fbc_jail_exec,
	.masq = fbc_masq,
};
