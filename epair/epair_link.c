/*
 * The epair backend's links (see epair.c): create, find (link_get: where the jail end is),
 * list, move, set up, destroy.
 */
#include "epair.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
read_end(const char *name, const char *expect, bool groups, struct end *b, struct jnet_err *e)
{
	/* Without its groups (!groups) where the caller decides by the tag alone. */
	int r = fbc_read_if_what(name, groups ? 0 : FBC_READ_NOGROUPS, &b->x, e);

	if (r < 0)
		return r;
	b->own = fbc_owner(&b->x, JNET_TAG_LINK, expect, &b->tag);
	return 0;
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
		if ((q = read_end(v[i], NULL, false, found, e)) == 0)
			r = 0;
		else if (q != -ENODEV)
			r = q;
	}
	free(v);
	if (r == -ENODEV)
		jnet_err_clear(e);
	return r;
}

/* The jail holding l's jail end: what link_get found, else looked up (fbc_jid_of). */
int
ep_jid_of(const struct jnet_link_info *l, int *jid, bool *dying, struct jnet_err *e)
{
	if (l->be[BE_JID] > 0) {
		*jid = (int)(l->be[BE_JID] - 1);
		*dying = l->be[BE_DYING] != 0;
		return 0;
	}
	return fbc_jid_of(l->where_jail, jid, dying, e);
}

static void
set_jail_end(struct jnet_link_info *out, const struct end *b)
{
	jnet_strlcpy(out->jail_if, b->x.name, sizeof(out->jail_if));
	memcpy(out->jail_mac, b->x.mac, 6);
	out->jail_mac_known = b->x.has_mac;
	out->jail_up = b->x.up;
	out->where = JNET_WHERE_HOST;
	out->be[BE_FLAGS] = (int64_t)b->x.flags + 1;
}

/* The bridge host end `host_if` is on: the one its tag names, asked first (BRDGGIFFLGS),
 * else a walk over the bridges. */
static int
link_bridge(const char *host_if, const struct end *a, char out[JNET_IFNAMSIZ],
    struct jnet_err *e)
{
	int r;

	if (a->own == JNET_OWN_TAGGED && a->tag.bridge[0] != '\0') {
		r = fbsd_bridge_has_member(a->tag.bridge, host_if);
		if (r == 1) {
			jnet_strlcpy(out, a->tag.bridge, JNET_IFNAMSIZ);
			return 0;
		}
		/* Not a member, or no such bridge (any more): walk. */
		if (r < 0 && !fbc_gone(r) && r != -EINVAL)
			return fbc_kerr(e, r, a->tag.bridge, "BRDGGIFFLGS %s", host_if);
	}
	return fbc_if_bridge(host_if, out, e);
}

/*
 * link_get, step 1: the host end, and whether it is jnet's -- only by jnet_ownership(): its
 * link tag (an a end of this backend), or in the crash window before SIOCSIFDESCR,
 * untagged in group jnet and still named epairNa (`unrenamed`). -EPERM when not ours.
 * `canon` gets the jail end's jnet name ("" when untagged).
 */
static int
get_host_end(const char *host_if, bool unrenamed, struct jnet_link_info *out,
    char canon[JNET_IFNAMSIZ], struct jnet_err *e)
{
	struct end a;
	int r;

	if ((r = read_end(host_if, unrenamed ? host_if : NULL, true, &a, e)) < 0)
		return r;
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
	return link_bridge(host_if, &a, out->bridge, e);
}

/*
 * Step 2: the jail end on the host, under its jnet name `canon`, or still named after the
 * unit (`bname`, next to an unrenamed host end: epairNb is epairNa's peer by the kernel's
 * naming, if_epair.c makes both; tagged as its peer, or still as unmarked as the kernel
 * made it -- a crash before its SIOCAIFGROUP --, or in group jnet untagged, before its
 * SIOCSIFDESCR). 1 found, 0 not on the host, -errno.
 */
static int
get_jail_end_here(const char *canon, const char *bname, struct jnet_link_info *out,
    struct jnet_err *e)
{
	struct end b;
	int r;

	if (canon[0] != '\0') {
		r = read_end(canon, NULL, false, &b, e);
		if (r == 0 && is_peer_tag(&b, out)) {
			set_jail_end(out, &b);
			return 1;
		}
		if (r < 0 && r != -ENODEV)
			return r;
		out->be[BE_HOST_FREE] = r == -ENODEV;
		jnet_err_clear(e);
	}
	if (bname != NULL) {
		r = read_end(bname, bname, true, &b, e);
		if (r == 0 && b.x.epair && (is_peer_tag(&b, out) || b.own == JNET_OWN_CRASH ||
		    (!b.x.jnet && b.x.descr[0] == '\0'))) {
			set_jail_end(out, &b);
			return 1;
		}
		if (r < 0 && r != -ENODEV)
			return r;
		jnet_err_clear(e);
	}
	return 0;
}

/* Step 3 (a tagged link whose jail end is not on the host): inside the jail the link
 * belongs to, if that jail exists (dying or not), or left as epairNb by a crash. */
static int
get_jail_end_away(const char *canon, struct jnet_link_info *out, struct jnet_err *e)
{
	struct end b;
	bool dying, jail_found;
	int r, jid;

	r = fbsd_jail_getid(out->jail, &jid, &dying);
	if (r < 0 && r != -ENOENT)
		return fbc_kerr(e, r, out->jail, "jail_get");
	if ((jail_found = r == 0)) {
		out->be[BE_JID] = (int64_t)jid + 1;
		out->be[BE_DYING] = dying;
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

int
ep_link_get(void *priv, const char *host_if, struct jnet_link_info *out, struct jnet_err *e)
{
	char canon[JNET_IFNAMSIZ] = "", bname[JNET_IFNAMSIZ];
	bool unrenamed;
	int r;

	(void)priv;
	memset(out, 0, sizeof(*out));
	jnet_strlcpy(out->host_if, host_if, sizeof(out->host_if));
	unrenamed = unrenamed_a(host_if, bname);
	if ((r = get_host_end(host_if, unrenamed, out, canon, e)) < 0)
		return r;
	out->where = JNET_WHERE_UNKNOWN;
	if ((r = get_jail_end_here(canon, unrenamed ? bname : NULL, out, e)) != 0)
		return r < 0 ? r : 0;
	return out->tagged ? get_jail_end_away(canon, out, e) : 0;
}

/*
 * backend link_stale: is the jail end, in a jail of the name its tag gives, inside a dying
 * older instance of that jail while a new one runs (fbc_stale)? That takes a walk over
 * every jail (jail_get "lastjid"): addm and attach ask it, for a link whose end is in a
 * jail; link_get, and with it destroy, detach and show, does not.
 */
int
ep_link_stale(void *priv, const struct jnet_link_info *l, struct jnet_err *e)
{
	int old;

	(void)priv;
	if (l->where != JNET_WHERE_JAIL)
		return 0;
	return fbc_stale(l->where_jail, l->jail_if, &old, e);
}

int
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

/*
 * link_create, step by step. `pair` is the new pair as it stands: its ends' current names
 * and where each is (FBSD_HOST or a JID), for the one destroy that undoes it all.
 */
struct pair {
	char a[JNET_IFNAMSIZ], b[JNET_IFNAMSIZ];
	int a_in, b_in;
};

/* SIOCIFCREATE2: epairNa, and its peer epairNb. */
static int
pair_create(struct eppriv *p, const struct jnet_link_req *req, struct pair *pr,
    struct jnet_err *e)
{
	int r;

	/* No cloner before if_epair is loaded (SIOCIFCREATE2: EINVAL); ifconfig loads it. */
	if ((r = fbc_kld("if_epair", &p->if_epair, e)) < 0)
		return r;
	if ((r = fbsd_if_create("epair", pr->a)) < 0) {
		if (r == -EEXIST)
			return jnet_err_set(e, EEXIST, req->host_if,
			    "SIOCIFCREATE2 epair: the kernel's next epair unit is blocked by an "
			    "interface named epairNa or epairNb that is not an epair (rename it)");
		return fbc_kerr(e, r, req->host_if, "SIOCIFCREATE2 epair");
	}
	jnet_strlcpy(pr->b, pr->a, sizeof(pr->b));
	pr->b[strlen(pr->b) - 1] = 'b';
	pr->a_in = pr->b_in = FBSD_HOST;
	return 0;
}

/* Group jnet and the tag on one end (before anything else can fail). */
static int
mark_end(const char *name, const char *tag, struct jnet_err *e)
{
	int r;

	if ((r = fbsd_if_add_group(name, GROUP)) < 0)
		return fbc_kerr(e, r, name, "SIOCAIFGROUP %s", GROUP);
	if ((r = fbsd_if_set_descr(name, tag)) < 0)
		return fbc_kerr(e, r, name, "SIOCSIFDESCR");
	return 0;
}

/* SIOCSIFNAME `cur` -> `name` on the host, cur then holding the new name. */
static int
rename_end(char cur[JNET_IFNAMSIZ], const char *name, struct jnet_err *e)
{
	int r = fbsd_if_rename(cur, name);

	if (r == -EEXIST)
		return jnet_err_set(e, EEXIST, name,
		    "SIOCSIFNAME %s: an interface of that name exists", cur);
	if (r < 0)
		return fbc_kerr(e, r, cur, "SIOCSIFNAME %s -> %s", cur, name);
	jnet_strlcpy(cur, name, JNET_IFNAMSIZ);
	return 0;
}

/* Marks, names, MACs and MTU of both ends, on the host. */
static int
pair_setup(const struct jnet_link_req *req, struct pair *pr, struct jnet_err *e)
{
	char bname[JNET_IFNAMSIZ];
	int r;

	if ((r = mark_end(pr->a, req->host_tag, e)) < 0 ||
	    (r = mark_end(pr->b, req->jail_tag, e)) < 0)
		return r;
	/* The host end first: the peer of a renamed host end is found by its tag. A jail end
	 * bound for a jail is named on the host by jnet's scheme (unique to the link) and gets
	 * req->jail_if inside the jail, after the move: a name of the jail's own (CNI_IFNAME
	 * eth0 for many containers at once, or em0) collides on the host. (A lab's
	 * point-to-point link: both ends are named by the lab, for jails.) */
	if (req->into != NULL && req->host_into == NULL)
		jnet_ifname(bname, JNET_NAMES_PAIR, req->jail, req->index, 'b');
	else
		jnet_strlcpy(bname, req->jail_if, sizeof(bname));
	if ((r = rename_end(pr->a, req->host_if, e)) < 0 ||
	    (r = rename_end(pr->b, bname, e)) < 0)
		return r;
	if (req->set_mac && (r = fbsd_if_set_mac(pr->a, req->host_mac)) < 0)
		return fbc_kerr(e, r, pr->a, "SIOCSIFLLADDR");
	if (req->set_mac && (r = fbsd_if_set_mac(pr->b, req->jail_mac)) < 0)
		return fbc_kerr(e, r, pr->b, "SIOCSIFLLADDR");
	/* Both ends, before joining the bridge: members cannot change their MTU (if.c). A new
	 * epair has ETHERMTU (if_ethersubr.c ether_ifattach): set only another. */
	if (req->mtu && req->mtu != EP_NEW_MTU && ((r = fbc_if_set_mtu(pr->a, req->mtu, e)) < 0 ||
	    (r = fbc_if_set_mtu(pr->b, req->mtu, e)) < 0))
		return r;
	return 0;
}

/*
 * The host end joins req->bridge (before up: a member must not pick up an IPv6 link-local
 * address first), and the jail end takes the MTU the bridge gave it (bridge_ioctl_add: a
 * member gets the bridge's MTU, an empty bridge takes its first member's). With req->mtu
 * set both ends have it already and it is what the bridge has or takes (the core refuses
 * another MTU on a bridge with ports: link_mtu): nothing to ask.
 */
static int
pair_bridge(struct eppriv *p, const struct jnet_link_req *req, struct pair *pr,
    struct jnet_err *e)
{
	struct jnet_ifinfo *br;
	unsigned ma, mb = req->mtu ? req->mtu : EP_NEW_MTU;
	int r;

	if (req->bridge[0] == '\0')
		return 0;
	if ((r = ep_brdgadd(req->bridge, pr->a, e)) < 0)
		return r;
	if (req->mtu != 0)
		ma = req->mtu;
	else if ((r = fbsd_if_get_mtu(FBSD_HOST, pr->a, &ma)) < 0)
		return fbc_kerr(e, r, pr->a, "SIOCGIFMTU");
	if (ma != mb && (r = fbc_if_set_mtu(pr->b, ma, e)) < 0)
		return r;
	if ((br = ep_cached_if(p, req->bridge)) != NULL)
		br->mtu = ma; /* the bridge's MTU (it had it, or took it from a) */
	return 0;
}

/* SIOCSIFVNET end `cur` into jail j (pr's *in then says it is there). */
static int
move_end(char cur[JNET_IFNAMSIZ], const struct jnet_jail *j, int *in, struct jnet_err *e)
{
	int r = fbsd_if_vnet(cur, j->jid);

	if (r < 0)
		return fbc_kerr(e, r, cur, "SIOCSIFVNET into jail %s (JID %d)", j->name, j->jid);
	*in = j->jid;
	return 0;
}

/*
 * Set end `name` up where it is (`in`, jail j or the host): one SIOCSIFFLAGS, the flags
 * known: a new epair's are all the kernel's own (if_epair.c epair_setup_ifp; BRDGADD
 * adds IFF_PROMISC, its own too), and a move clears IFF_UP only (if_vmove -> if_down).
 */
static int
up_end(const char *name, int in, const struct jnet_jail *j, struct jnet_err *e)
{
	int r = fbsd_if_set_flags(in, name, FBSD_IFF_UP);

	if (r < 0 && in != FBSD_HOST)
		return fbc_kerr(e, r, name, "SIOCSIFFLAGS up inside jail %s", j->name);
	return r < 0 ? fbc_kerr(e, r, name, "SIOCSIFFLAGS up") : 0;
}

/* Each end where it goes (a lab's "host" end into a jail too), up when req->up. */
static int
pair_place(const struct jnet_link_req *req, struct pair *pr, struct jnet_err *e)
{
	int r;

	if (req->host_into != NULL && (r = move_end(pr->a, req->host_into, &pr->a_in, e)) < 0)
		return r;
	if (req->up && (r = up_end(pr->a, pr->a_in, req->host_into, e)) < 0)
		return r;
	if (req->into != NULL) {
		if ((r = move_end(pr->b, req->into, &pr->b_in, e)) < 0)
			return r;
		if (strcmp(pr->b, req->jail_if) != 0) {
			r = fbsd_jail_if_rename(pr->b_in, pr->b, req->jail_if);
			if (r == -EEXIST)
				return jnet_err_set(e, EEXIST, req->jail_if,
				    "SIOCSIFNAME %s inside jail %s: an interface of that name exists there",
				    pr->b, req->into->name);
			if (r < 0)
				return fbc_kerr(e, r, pr->b, "SIOCSIFNAME %s -> %s inside jail %s",
				    pr->b, req->jail_if, req->into->name);
			jnet_strlcpy(pr->b, req->jail_if, sizeof(pr->b));
		}
	}
	if (req->up && (r = up_end(pr->b, pr->b_in, req->into, e)) < 0)
		return r;
	return 0;
}

int
ep_link_create(void *priv, const struct jnet_link_req *req, struct jnet_err *e)
{
	struct eppriv *p = priv;
	struct pair pr;
	int r;

	/* req->jail_no_ipv6 is not needed here: see src/fbsd/common_lab.c. */
	ep_drop_if(p, req->host_if);
	ep_drop_if(p, req->jail_if);
	if ((r = pair_create(p, req, &pr, e)) < 0)
		return r;
	if ((r = pair_setup(req, &pr, e)) == 0 && (r = pair_bridge(p, req, &pr, e)) == 0 &&
	    (r = pair_place(req, &pr, e)) == 0)
		return 0;
	/* One destroy undoes it all: both ends go, wherever the jail end is by now. With
	 * both ends in jails, one comes home first to be destroyed. */
	if (pr.a_in == FBSD_HOST)
		(void)fbsd_if_destroy(pr.a);
	else if (pr.b_in == FBSD_HOST)
		(void)fbsd_if_destroy(pr.b);
	else if (fbsd_if_rvnet(pr.b, pr.b_in) == 0)
		(void)fbsd_if_destroy(pr.b);
	return r;
}

int
ep_link_destroy(void *priv, const struct jnet_link_info *l, struct jnet_err *e)
{
	int r = fbsd_if_destroy(l->host_if);

	ep_drop_ifs(priv);
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

int
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
	ep_drop_ifs(priv);
	cur = *l;
	if (j != NULL) {
		was_up = cur.jail_up;
		if (cur.where != JNET_WHERE_HOST)
			return jnet_err_set(e, EBUSY, cur.jail_if[0] ? cur.jail_if : l->host_if,
			    "the jail end is not on the host");
		if ((r = canon_jail_end(&cur, e)) < 0)
			return r;
		/* Its flags as link_get read them: up in the jail with one SIOCSIFFLAGS. */
		if (l->be[BE_FLAGS] > 0)
			return fbc_into_jail_flags(cur.jail_if, j, (unsigned)(l->be[BE_FLAGS] - 1),
			    e);
		return fbc_into_jail(cur.jail_if, j, was_up, e);
	}
	if (cur.where == JNET_WHERE_HOST)
		return 0;
	if (cur.where != JNET_WHERE_JAIL)
		return jnet_err_set(e, ENOENT, cur.jail_if[0] ? cur.jail_if : l->host_if,
		    "the jail end is neither on the host nor in jail %s", cur.jail);
	if ((r = ep_jid_of(&cur, &jid, &dying, e)) < 0)
		return r;
	/* link_get saw no interface of its name on the host: not asked again. */
	return fbc_from_jail_known(cur.jail_if, jid, cur.where_jail, dying,
	    l->be[BE_HOST_FREE] == 1, e);
}

int
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
		if ((r = ep_jid_of(&cur, &jid, &dying, e)) < 0)
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

