/* The netgraph backend: links (ng_eiface nodes), read, listed, made and shut down. */
#include "ng_priv.h"

/*
 * The link's interface is on the host (x: its reading, lx->ifname its name): whose it is,
 * from its tag. -EPERM: not a jnet link of this backend.
 */
static int
link_on_host(const char *host_if, const struct fbc_if *x, struct jnet_link_info *out,
    struct lx *lx)
{
	struct jnet_tag t;
	enum jnet_own own;

	lx->on_host = true;
	/*
	 * Ours only by jnet_ownership(): a link tag of this backend, or in the crash
	 * window before SIOCSIFDESCR, untagged in group jnet and still named ngethN.
	 */
	own = fbc_owner(x, JNET_TAG_LINK, is_ngeth(lx->ifname) ? lx->ifname : NULL, &t);
	if (own == JNET_OWN_NONE)
		return -EPERM;
	if (own == JNET_OWN_TAGGED) {
		/* 'b': an end of a lab's point-to-point link, home from a jail that went. */
		if ((t.end != 'a' && t.end != 'b') || strcmp(t.backend, "netgraph") != 0)
			return -EPERM;
		out->tagged = true;
		jnet_strlcpy(out->jail, t.name, sizeof(out->jail));
		out->index = t.index;
		out->count = t.count;
		out->born = t.born;
	}
	memcpy(out->host_mac, x->mac, 6);
	lx->up_known = true;
	lx->up = x->up;
	/* Up, and named like its node: complete. A half-built link reads as down, so
	 * that addm completes it (link_set_up renames it). */
	out->host_up = x->up && strcmp(lx->ifname, host_if) == 0;
	out->where = JNET_WHERE_HOST;
	return 0;
}

/*
 * Link i's interface, named in its node as a link of live jail `jail` (JID jid): is it in
 * there, and jnet's? Not in it: in a dying older instance of it (stale)?
 */
static int
link_in_live_jail(const char *jail, int jid, int i, struct jnet_link_info *out,
    struct lx *lx, struct jnet_err *e)
{
	char d[JNET_TAGSIZ];
	struct jnet_tag t;
	bool up;
	int r, old;

	/*
	 * In that jail? (attach NAME OTHER puts it elsewhere.) Its flags and description in
	 * one look inside the jail (one child).
	 */
	r = fbsd_jail_if_probe(jid, lx->ifname, &up, d, sizeof(d));
	if (r < 0 && r != -ENOMSG && !fbc_gone(r) && r != -EINVAL)
		return fbc_kerr(e, r, lx->ifname, "SIOCGIFFLAGS+SIOCGIFDESCR inside jail %s", jail);
	if (r < 0 && r != -ENOMSG) {
		if ((r = fbc_stale(jail, lx->ifname, &old, e)) < 0)
			return r;
		if (r == 1) {
			out->stale = true;
			lx->jid = old;
			lx->dying = true;
			jnet_strlcpy(out->where_jail, jail, sizeof(out->where_jail));
		}
		return 0;
	}
	/*
	 * The node name alone does not make it ours: jng names its eifaces ng0_NAME too, and
	 * leaves them undescribed, where jnet always tags its own. No description inside the
	 * jail: not ours. A description of any kind: the node name (which no jail can change)
	 * decides, as the jail's root may have rewritten the text (on its own interface only).
	 */
	if (r == -ENOMSG)
		return -EPERM;
	if (jnet_ownership(d, false, lx->ifname, JNET_TAG_LINK, NULL, &t) == JNET_OWN_TAGGED &&
	    t.index == i && strcmp(t.name, jail) == 0) {
		out->count = t.count;
		out->born = t.born;
	}
	lx->jid = jid;
	lx->up_known = true;
	lx->up = up;
	out->host_up = up;
	jnet_strlcpy(out->where_jail, jail, sizeof(out->where_jail));
	return 0;
}

/*
 * The link's interface is not on the host: inside a jail (an interface of a jail that is
 * gone comes home, vnet_if_return). Its description cannot be read from here; the node
 * name says whose it is (see the top of netgraph.c).
 */
static int
link_in_jail(const char *host_if, struct jnet_link_info *out, struct lx *lx,
    struct jnet_err *e)
{
	char jail[JNET_JAILNAMSIZ];
	bool dying = false;
	int r, i, jid;

	out->where = JNET_WHERE_JAIL;
	out->host_up = true; /* cannot tell without entering the jail: never toggle it */
	r = fbsd_ng_eiface_mac(lx->path, out->host_mac);
	if (r < 0 && r != -ENOENT)
		return fbc_kerr(e, r, host_if, "NGM_EIFACE_GET_IFADDRS %s", lx->path);
	if ((i = parse_ngname(host_if, jail, sizeof(jail))) < 0)
		return -EPERM;
	out->index = i;
	if (jail[0] == '\0')
		return 0;
	out->tagged = true;
	jnet_strlcpy(out->jail, jail, sizeof(out->jail));
	r = fbsd_jail_getid(jail, &jid, &dying);
	if (r < 0 && r != -ENOENT)
		return fbc_kerr(e, r, jail, "jail_get");
	if (r < 0)
		return 0;
	if (!dying)
		return link_in_live_jail(jail, jid, i, out, lx, e);
	lx->jid = jid;
	lx->dying = true;
	jnet_strlcpy(out->where_jail, jail, sizeof(out->where_jail));
	return 0;
}

/*
 * Is the interface called lx->ifname on the host (read into x) this node's? Only if it has
 * the node's MAC and a name jnet gives it (the node's, or ngethN before the rename): else
 * it is another interface (the host's, or one a jail renamed to this name and was brought
 * home), and this node's interface is in a jail (-ENODEV).
 */
static int
host_if_of(const char *host_if, const struct lx *lx, struct fbc_if *x, struct jnet_err *e)
{
	uint8_t mac[6];
	int r = fbc_read_if_mtu(lx->ifname, false, x, e), q;

	if (r < 0)
		return r;
	q = fbsd_ng_eiface_mac(lx->path, mac);
	if (q < 0 && q != -ENOENT)
		return fbc_kerr(e, q, host_if, "NGM_EIFACE_GET_IFADDRS %s", lx->path);
	if ((q == 0 && x->has_mac && memcmp(mac, x->mac, 6) != 0) ||
	    (strcmp(lx->ifname, host_if) != 0 && !is_ngeth(lx->ifname)))
		return jnet_err_set(e, ENODEV, lx->ifname, "not this node's interface");
	return 0;
}

/*
 * Link host_if (a node name or "[ID]"): its eiface node, its bridge, and its interface,
 * on the host or in a jail. -EPERM: not a jnet link; -ENODEV (e filled): no such node.
 */
int
get_link(const char *host_if, struct jnet_link_info *out, struct lx *lx, struct jnet_err *e)
{
	struct fbsd_ng_node ni;
	struct fbsd_ng_hook *h = NULL;
	struct fbc_if x;
	int n = 0, r;

	memset(out, 0, sizeof(*out));
	memset(lx, 0, sizeof(*lx));
	lx->jid = -1;
	jnet_strlcpy(out->host_if, host_if, sizeof(out->host_if));
	if (host_if[0] != '[' && !ng_nameable(host_if))
		return jnet_err_set(e, ENODEV, host_if, "no such netgraph node");
	npath(lx->path, host_if);
	r = list_hooks(lx->path, &ni, &h, &n, e);
	if (r == -ENOENT)
		return jnet_err_set(e, ENODEV, host_if, "no such netgraph node");
	if (r < 0)
		return r;
	if (strcmp(ni.type, "eiface") != 0) {
		free(h);
		return -EPERM;
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(h[i].hook, "ether") == 0 && strcmp(h[i].peer.type, "bridge") == 0) {
			node_label(&h[i].peer, out->bridge, sizeof(out->bridge));
			jnet_strlcpy(lx->hook, h[i].peerhook, sizeof(lx->hook));
		}
		if (strcmp(h[i].hook, "ether") == 0 && strcmp(h[i].peer.type, "eiface") == 0) {
			lx->has_peer = true;
			lx->peer = h[i].peer.id;
		}
	}
	free(h);
	r = fbsd_ng_eiface_ifname(lx->path, lx->ifname);
	if (r == -ENOENT)
		return jnet_err_set(e, ENODEV, host_if, "no such netgraph node");
	if (r < 0)
		return fbc_kerr(e, r, host_if, "NGM_EIFACE_GET_IFNAME %s", lx->path);
	r = host_if_of(host_if, lx, &x, e);
	if (r == 0)
		return link_on_host(host_if, &x, out, lx);
	if (r != -ENODEV)
		return r;
	jnet_err_clear(e);
	return link_in_jail(host_if, out, lx, e);
}

/*
 * What get_link found out about where the interface is, kept in the link's backend-private
 * words (struct jnet_link_info be[4]: the interface name in be[0..1], the JID in be[2],
 * flags in be[3]'s low half, a point-to-point peer's node ID in its high half), so that
 * link_move, link_set_up and link_destroy, which the core calls with the link link_get
 * just gave it, need not read the link again (a read of a link in a jail enters the jail).
 */
#define LX_VALID  0x1
#define LX_HOST   0x2
#define LX_DYING  0x4
#define LX_UPKNOWN 0x8
#define LX_UP     0x10
#define LX_PEER   0x20

static void
lx_save(const struct lx *lx, struct jnet_link_info *out)
{
	_Static_assert(JNET_IFNAMSIZ <= 2 * sizeof(out->be[0]), "be[0..1] hold a name");
	memset(out->be, 0, sizeof(out->be));
	memcpy(&out->be[0], lx->ifname, JNET_IFNAMSIZ);
	out->be[2] = lx->jid;
	out->be[3] = (int64_t)((uint64_t)lx->peer << 32 | LX_VALID |
	    (lx->on_host ? LX_HOST : 0) | (lx->dying ? LX_DYING : 0) |
	    (lx->up_known ? LX_UPKNOWN : 0) | (lx->up ? LX_UP : 0) |
	    (lx->has_peer ? LX_PEER : 0));
}

/* The lx of link l as ng_link_get saved it: false when it did not (read it again). */
bool
lx_load(const struct jnet_link_info *l, struct lx *lx)
{
	if (!(l->be[3] & LX_VALID) || (l->host_if[0] != '[' && !ng_nameable(l->host_if)))
		return false;
	memset(lx, 0, sizeof(*lx));
	memcpy(lx->ifname, &l->be[0], JNET_IFNAMSIZ);
	lx->ifname[JNET_IFNAMSIZ - 1] = '\0';
	npath(lx->path, l->host_if);
	lx->jid = (int)l->be[2];
	lx->on_host = (l->be[3] & LX_HOST) != 0;
	lx->dying = (l->be[3] & LX_DYING) != 0;
	lx->up_known = (l->be[3] & LX_UPKNOWN) != 0;
	lx->up = (l->be[3] & LX_UP) != 0;
	lx->has_peer = (l->be[3] & LX_PEER) != 0;
	lx->peer = (uint32_t)((uint64_t)l->be[3] >> 32);
	return true;
}

int
ng_link_get(void *priv, const char *host_if, struct jnet_link_info *out, struct jnet_err *e)
{
	struct lx lx;
	int r;

	(void)priv;
	if ((r = get_link(host_if, out, &lx, e)) == 0)
		lx_save(&lx, out);
	return r;
}

/* The link as the core has it from ng_link_get (this command, just before), or read. */
int
link_now(const struct jnet_link_info *l, struct jnet_link_info *cur, struct lx *lx,
    struct jnet_err *e)
{
	if (lx_load(l, lx)) {
		*cur = *l;
		return 0;
	}
	return get_link(l->host_if, cur, lx, e);
}

int
ng_link_list(void *priv, int (*cb)(const struct jnet_link_info *, void *), void *arg,
    struct jnet_err *e)
{
	struct fbsd_ng_node *v = NULL;
	int n = 0, r;

	(void)priv;
	/* Every eiface node, named or not: half-built links are still called ngethN. */
	if ((r = list_nodes(false, &v, &n, e)) < 0)
		return r;
	for (int i = 0; i < n && r == 0; i++) {
		char label[JNET_IFNAMSIZ];

		if (strcmp(v[i].type, "eiface") != 0)
			continue;
		node_label(&v[i], label, sizeof(label));
		r = fbc_link_visit(ng_link_get, priv, label, cb, arg, e);
	}
	free(v);
	return r;
}

/*
 * Build one eiface, named `name` (node and interface), tagged, with its MAC and MTU, on
 * `bridge` if not "" (see the top of netgraph.c for the order). Left on the host, down.
 * epath: its "[ID]:" path, for the caller's further steps and its undo (a shutdown).
 */
static int
make_eiface(struct ngpriv *p, const char *name, const char *tag, const uint8_t *mac,
    unsigned mtu, const char *bridge, char epath[FBSD_NG_PATHSIZ], struct jnet_err *e)
{
	char tmp[FBSD_NG_PATHSIZ], cur[JNET_IFNAMSIZ];
	struct fbsd_ng_node ni;
	int r;

	epath[0] = '\0';
	if ((r = ng_name_check(name, e)) < 0)
		return r;
	snprintf(tmp, sizeof(tmp), ".:%s", TMPHOOK);
	if ((r = fbc_kld("ng_eiface", &p->ng_eiface, e)) < 0)
		return r;
	r = fbsd_ng_mkpeer(".", "eiface", TMPHOOK, "ether");
	if (r == -ENXIO)
		return jnet_err_set(e, ENXIO, name,
		    "NGM_MKPEER eiface: node type ng_eiface not available (kldload ng_eiface)");
	if (r < 0)
		return fbc_kerr(e, r, name, "NGM_MKPEER eiface");
	/* From here on it is addressed by its ID: its name changes on the way. */
	r = fbsd_ng_nodeinfo(tmp, &ni);
	if (r < 0) {
		r = fbc_kerr(e, r, name, "NGM_NODEINFO %s", tmp);
		(void)fbsd_ng_shutdown(tmp);
		return r;
	}
	snprintf(epath, FBSD_NG_PATHSIZ, "[%" PRIx32 "]:", ni.id);
	if ((r = fbsd_ng_eiface_ifname(epath, cur)) < 0) {
		r = fbc_kerr(e, r, name, "NGM_EIFACE_GET_IFNAME %s", epath);
		goto fail;
	}
	/* Mark it as ours before anything else can fail. */
	if ((r = fbc_mark_new(cur, tag, e)) < 0)
		goto fail;
	if (mac != NULL && (r = fbsd_ng_eiface_set_mac(epath, mac)) < 0) {
		r = fbc_kerr(e, r, cur, "NGM_EIFACE_SET (MAC)");
		goto fail;
	}
	if (mtu && (r = fbsd_if_set_mtu(FBSD_HOST, cur, mtu)) < 0) {
		r = fbc_kerr(e, r, cur, "SIOCSIFMTU %u", mtu);
		goto fail;
	}
	if ((r = fbsd_ng_rmhook(".", TMPHOOK)) < 0) {
		r = fbc_kerr(e, r, cur, "NGM_RMHOOK . %s", TMPHOOK);
		goto fail;
	}
	if (bridge[0] != '\0' && (r = join_bridge(p, bridge, epath, "ether", -1, e)) < 0)
		goto fail;
	/* The node's name first, then the interface's (see the top of netgraph.c). */
	r = fbsd_ng_name(epath, name);
	if (r == -EADDRINUSE) {
		r = jnet_err_set(e, EEXIST, name, "NGM_NAME: a netgraph node of that name exists");
		goto fail;
	}
	if (r < 0) {
		r = fbc_kerr(e, r, name, "NGM_NAME %s", name);
		goto fail;
	}
	if ((r = fbsd_if_rename(cur, name)) < 0) {
		r = r == -EEXIST ?
		    jnet_err_set(e, EEXIST, name, "SIOCSIFNAME %s: an interface of that name exists", cur) :
		    fbc_kerr(e, r, cur, "SIOCSIFNAME %s -> %s", cur, name);
		goto fail;
	}
	return 0;
fail:
	/* One shutdown undoes it all: the interface goes with the node, wherever it is. */
	(void)fbsd_ng_shutdown(epath);
	return r;
}

/* Set interface `name` up (if `up`) and move it into jail j, up there too. */
static int
into_jail(const char *name, const struct jnet_jail *j, bool up, struct jnet_err *e)
{
	int r;

	if (up && (r = fbsd_if_set_up(FBSD_HOST, name, true)) < 0)
		return fbc_kerr(e, r, name, "SIOCSIFFLAGS up");
	if (j == NULL)
		return 0;
	if ((r = fbsd_if_vnet(name, j->jid)) < 0)
		return fbc_kerr(e, r, name, "SIOCSIFVNET into jail %s (JID %d)", j->name, j->jid);
	if (up && (r = fbsd_if_set_up(j->jid, name, true)) < 0)
		return fbc_kerr(e, r, name, "SIOCSIFFLAGS up inside jail %s", j->name);
	return 0;
}

/*
 * A lab's point-to-point link: two eifaces, their ether hooks connected to each other
 * (no bridge: two Ethernet interfaces back to back, as an epair), one named and tagged as
 * req->host_if going into req->host_into, the other as req->jail_if into req->into.
 */
static int
p2p_create(struct ngpriv *p, const struct jnet_link_req *req, struct jnet_err *e)
{
	char apath[FBSD_NG_PATHSIZ], bpath[FBSD_NG_PATHSIZ];
	int r;

	if ((r = make_eiface(p, req->host_if, req->host_tag, req->set_mac ? req->host_mac : NULL,
	    req->mtu, "", apath, e)) < 0)
		return r;
	if ((r = make_eiface(p, req->jail_if, req->jail_tag, req->set_mac ? req->jail_mac : NULL,
	    req->mtu, "", bpath, e)) < 0)
		goto fail;
	if ((r = fbsd_ng_connect(apath, bpath, "ether", "ether")) < 0) {
		r = fbc_kerr(e, r, req->host_if, "NGM_CONNECT %s ether <- %s ether", apath, bpath);
		goto fail;
	}
	if ((r = into_jail(req->host_if, req->host_into, req->up, e)) < 0 ||
	    (r = into_jail(req->jail_if, req->into, req->up, e)) < 0)
		goto fail;
	return 0;
fail:
	(void)fbsd_ng_shutdown(apath);
	if (bpath[0] != '\0')
		(void)fbsd_ng_shutdown(bpath);
	return r;
}

int
ng_link_create(void *priv, const struct jnet_link_req *req, struct jnet_err *e)
{
	struct ngpriv *p = priv;
	char epath[FBSD_NG_PATHSIZ];
	int r;

	/* Refused up front, not by SIOCSIFMTU half-way through the link. */
	if (req->mtu && (req->mtu < NG_EIFACE_MTU_MIN || req->mtu > NG_EIFACE_MTU_MAX))
		return jnet_err_set(e, EINVAL, req->host_if,
		    "MTU %u: an ng_eiface interface takes %d..%d (ng_eiface.h NG_EIFACE_MTU_MIN, "
		    "NG_EIFACE_MTU_MAX); the epair backend takes up to 65535", req->mtu,
		    NG_EIFACE_MTU_MIN, NG_EIFACE_MTU_MAX);
	if (req->host_into != NULL)
		return p2p_create(p, req, e);
	if ((r = make_eiface(p, req->host_if, req->host_tag, req->set_mac ? req->host_mac : NULL,
	    req->mtu, req->bridge, epath, e)) < 0)
		return r;
	if ((r = into_jail(req->host_if, req->into, req->up, e)) < 0) {
		(void)fbsd_ng_shutdown(epath);
		return r;
	}
	return 0;
}

/*
 * Shut down the eiface at `path` (called `what` in messages) and, for a lab's
 * point-to-point link, the eiface its ether hook is connected to (the link's other end, in
 * another jail). No node: 0.
 */
static int shutdown_pair(const char *path, const char *peer, const char *what,
    struct jnet_err *e);

int
shutdown_link(const char *path, const char *what, struct jnet_err *e)
{
	char peer[FBSD_NG_PATHSIZ] = "";
	struct fbsd_ng_hook h[4];
	int n = fbsd_ng_listhooks(path, NULL, h, 4);

	if (n == -ENOENT)
		return 0; /* nothing left: what we wanted */
	if (n < 0)
		return fbc_kerr(e, n, what, "NGM_LISTHOOKS %s", path);
	for (int i = 0; i < n && i < 4; i++)
		if (strcmp(h[i].hook, "ether") == 0 && strcmp(h[i].peer.type, "eiface") == 0)
			snprintf(peer, sizeof(peer), "[%" PRIx32 "]:", h[i].peer.id);
	return shutdown_pair(path, peer, what, e);
}

/* Shut down the node at `path` and its point-to-point peer (path `peer`, "" if none). */
static int
shutdown_pair(const char *path, const char *peer, const char *what, struct jnet_err *e)
{
	int r = fbsd_ng_shutdown(path);

	if (r < 0 && r != -ENOENT)
		return fbc_kerr(e, r, what, "NGM_SHUTDOWN %s", path);
	if (peer[0] != '\0' && (r = fbsd_ng_shutdown(peer)) < 0 && r != -ENOENT)
		return fbc_kerr(e, r, what, "NGM_SHUTDOWN %s (its point-to-point peer)", peer);
	return 0;
}

int
ng_link_destroy(void *priv, const struct jnet_link_info *l, struct jnet_err *e)
{
	char path[FBSD_NG_PATHSIZ], peer[FBSD_NG_PATHSIZ] = "";
	struct lx lx;

	(void)priv;
	if (l->host_if[0] != '[' && !ng_nameable(l->host_if))
		return 0;
	npath(path, l->host_if);
	/* Its hooks as ng_link_get listed them in this command: not listed again, when the
	 * saved words are this link's (its interface has its name); else listed now. */
	if (!lx_load(l, &lx) || strcmp(lx.ifname, l->host_if) != 0)
		return shutdown_link(path, l->host_if, e);
	if (lx.has_peer)
		snprintf(peer, sizeof(peer), "[%" PRIx32 "]:", lx.peer);
	return shutdown_pair(path, peer, l->host_if, e);
}
