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
 *
 * epair.c: the command's state, interfaces and bridges, labs; epair_link.c: the links.
 */
#include "epair.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- open / jails */

void
ep_drop_ifs(struct eppriv *p)
{
	if (p != NULL)
		p->nifs = 0;
}

void
ep_drop_if(struct eppriv *p, const char *name)
{
	for (int i = 0; p != NULL && i < p->nifs; i++)
		if (strcmp(p->ifs[i].name, name) == 0)
			p->ifs[i--] = p->ifs[--p->nifs];
}

struct jnet_ifinfo *
ep_cached_if(struct eppriv *p, const char *name)
{
	for (int i = 0; p != NULL && i < p->nifs; i++)
		if (strcmp(p->ifs[i].name, name) == 0)
			return &p->ifs[i];
	return NULL;
}

static void
cache_if(struct eppriv *p, const struct jnet_ifinfo *info)
{
	if (p == NULL || p->open_jails <= 0)
		return;
	ep_drop_if(p, info->name);
	if (p->nifs < EP_IFCACHE)
		p->ifs[p->nifs++] = *info;
	else
		p->ifs[p->nextif++ % EP_IFCACHE] = *info;
}

static void
ep_end_command(void *priv)
{
	struct eppriv *p = priv;

	ep_drop_ifs(p);
	p->open_jails = 0;
}

static int
ep_jail_open(void *priv, const char *spec, unsigned flags, struct jnet_jail *j,
    struct jnet_err *e)
{
	struct eppriv *p = priv;
	int r = fbc_jail_open(priv, spec, flags, j, e);

	if (r == 0 && p != NULL && p->open_jails++ == 0)
		ep_drop_ifs(p); /* a new span: nothing read before it */
	return r;
}

static void
ep_jail_close(void *priv, struct jnet_jail *j)
{
	struct eppriv *p = priv;

	fbc_jail_close(priv, j);
	if (p != NULL && p->open_jails > 0 && --p->open_jails == 0)
		ep_drop_ifs(p);
}

static int
ep_vlan_create(void *priv, const char *name, const char *parent, int vid, const char *tag,
    struct jnet_err *e)
{
	ep_drop_ifs(priv);
	return fbc_vlan_create(name, parent, vid, tag, &((struct eppriv *)priv)->if_vlan, e);
}

/* backend if_ensure_up, if_set_up: fbc_'s, and the interface read anew after. */
static int
ep_if_ensure_up(void *priv, const char *ifname, struct jnet_err *e)
{
	ep_drop_if(priv, ifname);
	return fbc_if_ensure_up(priv, ifname, e);
}

static int
ep_if_set_up(void *priv, const char *ifname, bool up, struct jnet_err *e)
{
	ep_drop_if(priv, ifname);
	return fbc_if_set_up(priv, ifname, up, e);
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
read_ifinfo(const char *ifname, struct jnet_ifinfo *out, struct jnet_err *e)
{
	struct fbc_if x;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = fbc_read_if(ifname, &x, e)) < 0)
		return r;
	fbc_ifinfo(&x, out);
	/* Bridges are not members of bridges: skip the scan for them. */
	if (!x.bridge && (r = fbc_if_bridge(ifname, out->master, e)) < 0)
		return r;
	return 0;
}

static void
ep_if_forget(void *priv, const char *ifname)
{
	ep_drop_if(priv, ifname);
}

static int
ep_if_get(void *priv, const char *ifname, struct jnet_ifinfo *out, struct jnet_err *e)
{
	struct eppriv *p = priv;
	const struct jnet_ifinfo *c = ep_cached_if(p, ifname);
	int r;

	if (c != NULL) {
		*out = *c;
		return 0;
	}
	if ((r = read_ifinfo(ifname, out, e)) == 0)
		cache_if(p, out);
	return r;
}

static int
ep_bridge_list(void *priv, int (*cb)(const struct jnet_ifinfo *, void *), void *arg,
    struct jnet_err *e)
{
	char (*br)[JNET_IFNAMSIZ];
	int n, r;

	(void)priv;
	if ((r = fbc_group_list("bridge", &br, &n, e)) < 0)
		return r;
	for (int i = 0; i < n && r == 0; i++) {
		struct jnet_ifinfo info;

		r = read_ifinfo(br[i], &info, e);
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
int
ep_brdgadd(const char *bridge, const char *member, struct jnet_err *e)
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

	ep_drop_ifs(p);
	/* Tagged before it takes its final name (see the top of this file). */
	if ((r = fbc_clone_new("if_bridge", &p->if_bridge, "bridge", name, tag, cur, e)) < 0)
		return r;
	if (mac != NULL && (r = fbsd_if_set_mac(cur, mac)) < 0)
		r = fbc_kerr(e, r, cur, "SIOCSIFLLADDR");
	if (r == 0 && uplink != NULL)
		r = ep_brdgadd(cur, uplink, e);
	return fbc_clone_finish(cur, r, e);
}

/* backend bridge_destroy, vlan_destroy (their members, parents: other entries change). */
static int
ep_if_destroy(void *priv, const char *name, struct jnet_err *e)
{
	ep_drop_ifs(priv);
	return fbc_vlan_destroy(priv, name, e);
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
		if ((r = ep_jid_of(&l, &jid, &dying, e)) < 0)
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

	ep_drop_ifs(priv);
	if (fbsd_bridge_has_member(bridge, ifname) == 1)
		return 0;
	/* A port of another bridge (a link addm moves; the core asks this only of jnet's
	 * links): it leaves that one first, as if_bridge takes a member in one bridge only. */
	if (fbc_if_bridge(ifname, old, e) == 0 && old[0] != '\0' &&
	    (r = fbsd_bridge_del(old, ifname)) < 0)
		return fbc_kerr(e, r, ifname, "BRDGDEL from %s", old);
	jnet_err_clear(e);
	r = ep_brdgadd(bridge, ifname, e);
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
	ep_drop_if(priv, ifname);
	return fbc_if_set_descr(ifname, tag, e);
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
ep_jail_create(void *priv, const char *name, const char *tag, struct jnet_err *e)
{
	ep_drop_ifs(priv);
	return fbc_jail_create(priv, name, tag, e);
}

static int
ep_jail_destroy(void *priv, const char *name, struct jnet_err *e)
{
	ep_drop_ifs(priv); /* its interfaces go */
	return fbc_lab_jail_destroy(name, destroy_inner_links, e);
}

static const struct jnet_lab_ops ep_lab = {
	.jail_create = ep_jail_create,
	.jail_destroy = ep_jail_destroy,
	FBC_SHARED_LAB_OPS,
};

const struct jnet_backend_ops jnet_epair_backend = {
	.name = "epair",
	.summary = "epair(4) pairs + if_bridge(4) + VNET jails (FreeBSD)",
	.names = JNET_NAMES_PAIR,
	.paired = true,
	.open = ep_open,
	.close = ep_close,
	.end_command = ep_end_command,
	.jail_open = ep_jail_open,
	.jail_close = ep_jail_close,
	.if_get = ep_if_get,
	.if_forget = ep_if_forget,
	.bridge_list = ep_bridge_list,
	.bridge_create = ep_bridge_create,
	.vlan_create = ep_vlan_create,
	.vlan_destroy = ep_if_destroy,
	.bridge_destroy = ep_if_destroy,
	.bridge_members = ep_bridge_members,
	.if_set_master = ep_if_set_master,
	.if_set_tag = ep_if_set_tag,
	.if_ensure_up = ep_if_ensure_up,
	.if_set_up = ep_if_set_up,
	.link_create = ep_link_create,
	.link_get = ep_link_get,
	.link_list = ep_link_list,
	.link_destroy = ep_link_destroy,
	.link_move = ep_link_move,
	.link_set_up = ep_link_set_up,
	.link_stale = ep_link_stale,
	.masq = fbc_masq,
	.lab = &ep_lab,
};
