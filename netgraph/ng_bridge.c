/* The netgraph backend: ng_bridge(4) nodes, their uplinks (ng_ether) and ports. */
#include "ng_priv.h"

/* ---------------------------------------------------------------- bridges */

/* Is there a live jail `name` tagged as a netgraph lab's (parent) jail of lab `name`? */
static bool
lab_parent_is(const char *name)
{
	char have[JNET_TAGSIZ], want[JNET_TAGSIZ];
	struct jnet_tag t;
	bool dying;
	int jid;

	if (fbsd_jail_getid(name, &jid, &dying) < 0 || dying ||
	    fbsd_jail_hostname(jid, have, sizeof(have)) < 0)
		return false;
	jnet_tag_jail(&t, "netgraph", name);
	jnet_tag_format(want, sizeof(want), &t);
	return strcmp(have, want) == 0;
}

/*
 * The lab an ng_bridge belongs to, from its name alone (an ng_bridge has nowhere to keep
 * a tag): a lab's bridge is named LAB_BRIDGE (lab_run.c jnet_lab_bridge_ifname). One '_'
 * splits it; with several, the split whose LAB has a live netgraph lab parent jail wins,
 * and with none the owner stays unknown. Hashed names (jb-...) cannot be attributed.
 */
static bool
bridge_owner(const char *name, char owner[JNET_JAILNAMSIZ])
{
	const char *first = strchr(name, '_'), *last = strrchr(name, '_');

	if (first == NULL || first == name || last[1] == '\0' || strncmp(name, "jb-", 3) == 0)
		return false;
	if (first == last) {
		snprintf(owner, JNET_JAILNAMSIZ, "%.*s", (int)(first - name), name);
		return true;
	}
	for (const char *u = first; u != NULL; u = strchr(u + 1, '_')) {
		if (u[1] == '\0')
			break;
		snprintf(owner, JNET_JAILNAMSIZ, "%.*s", (int)(u - name), name);
		if (lab_parent_is(owner))
			return true;
	}
	return false;
}

static void
bridge_info(const struct fbsd_ng_node *n, struct jnet_ifinfo *out)
{
	char owner[JNET_JAILNAMSIZ];

	memset(out, 0, sizeof(*out));
	node_label(n, out->name, sizeof(out->name));
	out->ifindex = (int)n->id;
	out->up = true;
	out->is_bridge = true;
	/* No tag can be put on an ng_bridge: every one counts as manageable (top of netgraph.c). */
	out->jnet_group = true;
	/* A lab's bridge, by its name: report the tag it would carry. */
	if (n->name[0] != '\0' && bridge_owner(n->name, owner)) {
		jnet_tag_bridge(&out->tag, "netgraph", owner);
		out->tagged = true;
		jnet_tag_format(out->tagtext, sizeof(out->tagtext), &out->tag);
	}
}

/*
 * Who holds the ng_ether node at `path` (an interface's): the node its `lower` or `upper`
 * hook is connected to (an ng_bridge, jnet's or not, or anything else), into out ("" if
 * none). The core refuses an uplink held by another bridge than the one it is for.
 */
static int
ether_holder(const char *path, char out[JNET_IFNAMSIZ], struct jnet_err *e)
{
	struct fbsd_ng_hook *h = NULL;
	int n = 0, r;

	out[0] = '\0';
	if ((r = list_hooks(path, NULL, &h, &n, e)) == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	for (int i = 0; i < n && out[0] == '\0'; i++)
		if (strcmp(h[i].hook, "lower") == 0 || strcmp(h[i].hook, "upper") == 0)
			node_label(&h[i].peer, out, JNET_IFNAMSIZ);
	free(h);
	return 0;
}

int
ng_if_get(void *priv, const char *ifname, struct jnet_ifinfo *out, struct jnet_err *e)
{
	char path[FBSD_NG_PATHSIZ];
	struct fbsd_ng_node ni;
	struct fbc_if x;
	bool node = false;
	int r;

	(void)priv;
	memset(out, 0, sizeof(*out));
	if (ng_nameable(ifname)) {
		npath(path, ifname);
		r = fbsd_ng_nodeinfo(path, &ni);
		if (r == 0 && strcmp(ni.type, "bridge") == 0) {
			bridge_info(&ni, out);
			return 0;
		}
		if (r < 0 && r != -ENOENT)
			return fbc_kerr(e, r, ifname, "NGM_NODEINFO %s", path);
		node = r == 0;
	}
	r = fbc_read_if(ifname, &x, e);
	if (r == -ENODEV && node) {
		/* A netgraph node of another type by that name, no interface: it exists. */
		jnet_err_clear(e);
		jnet_strlcpy(out->name, ifname, sizeof(out->name));
		out->ifindex = (int)ni.id;
		return 0;
	}
	if (r == -ENODEV)
		return jnet_err_set(e, ENODEV, ifname, "no such interface or ng_bridge");
	if (r < 0)
		return r;
	fbc_ifinfo(&x, out);
	/* An uplink candidate: is it held already, by netgraph or by an if_bridge? */
	if (node && strcmp(ni.type, "ether") == 0 && (r = ether_holder(path, out->master, e)) < 0)
		return r;
	if (out->master[0] == '\0' && (r = fbc_if_bridge(ifname, out->master, e)) < 0)
		return r;
	return 0;
}

int
ng_bridge_list(void *priv, int (*cb)(const struct jnet_ifinfo *, void *), void *arg,
    struct jnet_err *e)
{
	struct fbsd_ng_node *v = NULL;
	int n = 0, r;

	(void)priv;
	if ((r = list_nodes(true, &v, &n, e)) < 0)
		return r;
	for (int i = 0; i < n && r == 0; i++) {
		struct jnet_ifinfo info;

		if (strcmp(v[i].type, "bridge") != 0)
			continue;
		bridge_info(&v[i], &info);
		r = cb(&info, arg);
	}
	free(v);
	return r;
}

/*
 * Connect hook `peerhook` of the node at `node_path` to a new link hook of ng_bridge
 * `bridge`. FreeBSD 15: hook "link", the bridge numbers it. 13/14: linkN, N+1 on EEXIST,
 * from N = `first` (< 0: the bridge's hook count, a good guess). EISCONN: the node's own
 * hook is taken (not a numbering problem).
 */
int
join_bridge(struct ngpriv *p, const char *bridge, const char *node_path, const char *peerhook,
    int first, struct jnet_err *e)
{
	char bpath[FBSD_NG_PATHSIZ], hook[FBSD_NG_NAMSIZ];
	struct fbsd_ng_node bi;
	int r;

	npath(bpath, bridge);
	if (p->numbering != NUM_CALLER) {
		r = fbsd_ng_connect(bpath, node_path, "link", peerhook);
		if (r == 0) {
			p->numbering = NUM_KERNEL;
			return 0;
		}
		if (r == -EEXIST) {
			/* The bridge names the hook itself: the other side's hook is taken. */
			char who[128];

			holder(node_path, peerhook, who, sizeof(who));
			return jnet_err_set(e, EISCONN, node_path,
			    "NGM_CONNECT to %s: hook %s is already connected%s%s", bridge,
			    peerhook, who[0] ? " to " : "", who);
		}
		if (r != -EINVAL || p->numbering == NUM_KERNEL)
			return fbc_kerr(e, r, bridge, "NGM_CONNECT %s link <- %s%s", bpath, node_path,
			    peerhook);
		p->numbering = NUM_CALLER; /* 13/14: "link" alone is not a hook name */
	}
	if (first < 0) {
		r = fbsd_ng_nodeinfo(bpath, &bi);
		if (r == -ENOENT)
			return jnet_err_set(e, ENOENT, bridge, "NGM_NODEINFO: no such ng_bridge");
		if (r < 0)
			return fbc_kerr(e, r, bridge, "NGM_NODEINFO %s", bpath);
		first = (int)bi.hooks;
	}
	for (int n = first; n < first + MAX_TRIES; n++) {
		snprintf(hook, sizeof(hook), "link%d", n);
		r = fbsd_ng_connect(bpath, node_path, hook, peerhook);
		if (r == 0)
			return 0;
		if (r != -EEXIST)
			return fbc_kerr(e, r, bridge, "NGM_CONNECT %s %s <- %s%s", bpath, hook,
			    node_path, peerhook);
		/* EEXIST: linkN is taken -- or the other node's hook is (tell them apart). */
		{
			char who[128];

			holder(node_path, peerhook, who, sizeof(who));
			if (who[0] != '\0')
				return jnet_err_set(e, EISCONN, node_path,
				    "NGM_CONNECT to %s: hook %s is already connected to %s", bridge,
				    peerhook, who);
		}
	}
	return jnet_err_set(e, ENOSPC, bridge, "NGM_CONNECT: no free link hook in %d tries",
	    MAX_TRIES);
}

/* Explain a failed connection to an uplink's ng_ether node. */
static int
uplink_err(int r, const char *uplink, const char *upath, struct jnet_err *e)
{
	struct fbsd_ng_node ni;
	char msg[sizeof(e->msg)];
	int q;

	if (r == -EISCONN) {
		jnet_strlcpy(msg, e->msg, sizeof(msg));
		return jnet_err_set(e, EBUSY, uplink, "%s; jnet will not take it over", msg);
	}
	if (r != -ENOENT && r != -EINVAL)
		return r;
	q = fbsd_ng_nodeinfo(upath, &ni);
	if (q == -ENOENT)
		return jnet_err_set(e, ENOENT, uplink,
		    "NGM_CONNECT: no netgraph node %s: not an Ethernet interface (ng_ether "
		    "attaches a node to Ethernet interfaces only)", upath);
	if (q == 0 && strcmp(ni.type, "ether") != 0)
		return jnet_err_set(e, EINVAL, uplink,
		    "NGM_CONNECT: netgraph node %s is a %s node, not ng_ether", upath, ni.type);
	return r;
}

int
ng_bridge_create(void *priv, const char *name, const char *uplink, const uint8_t *mac,
    const char *tag, struct jnet_err *e)
{
	struct ngpriv *p = priv;
	char bpath[FBSD_NG_PATHSIZ], upath[FBSD_NG_PATHSIZ], tmp[FBSD_NG_PATHSIZ];
	int r;

	/* An ng_bridge has no MAC of its own and nowhere to put a tag. */
	(void)mac;
	(void)tag;
	if ((r = ng_name_check(name, e)) < 0)
		return r;
	if (uplink != NULL && (r = ng_name_check(uplink, e)) < 0)
		return r;
	snprintf(tmp, sizeof(tmp), ".:%s", TMPHOOK);
	npath(bpath, name);
	/*
	 * Made hanging off our control socket (so it cannot vanish under us), then named:
	 * the name is the lock. Of several jnet processes making the same bridge at once,
	 * one names it and the others get EADDRINUSE, drop theirs and join the winner's.
	 */
	/*
	 * NGM_MKPEER would load ng_bridge itself (ng_socket.c ngc_send), but a refusal would
	 * name no module; an uplink's node exists only with ng_ether loaded (ng_ether.c
	 * ng_ether_mod_event attaches one to every Ethernet interface).
	 */
	if ((r = fbc_kld("ng_bridge", &p->ng_bridge, e)) < 0 ||
	    (uplink != NULL && (r = fbc_kld("ng_ether", &p->ng_ether, e)) < 0))
		return r;
	r = fbsd_ng_mkpeer(".", "bridge", TMPHOOK, "link2");
	if (r == -ENXIO)
		return jnet_err_set(e, ENXIO, name,
		    "NGM_MKPEER bridge: node type ng_bridge not available (kldload ng_bridge)");
	if (r < 0)
		return fbc_kerr(e, r, name, "NGM_MKPEER bridge");
	r = fbsd_ng_name(tmp, name);
	if (r == -EADDRINUSE) {
		(void)fbsd_ng_shutdown(tmp);
		return jnet_err_set(e, EEXIST, name, "NGM_NAME: a netgraph node of that name exists");
	}
	if (r < 0) {
		r = fbc_kerr(e, r, name, "NGM_NAME %s", name);
		(void)fbsd_ng_shutdown(tmp);
		return r;
	}
	if (uplink != NULL) {
		/*
		 * jng: lower (frames from the wire) and upper (the host's own stack) of the
		 * uplink's ng_ether node on two bridge links; promiscuous, and frames keep the
		 * source address they have (the jails' MACs).
		 */
		npath(upath, uplink);
		if ((r = join_bridge(p, name, upath, "lower", 0, e)) < 0) {
			r = uplink_err(r, uplink, upath, e);
			goto fail;
		}
		if ((r = join_bridge(p, name, upath, "upper", 1, e)) < 0) {
			r = uplink_err(r, uplink, upath, e);
			goto fail;
		}
		if ((r = fbsd_ng_ether_set_promisc(upath, true)) < 0) {
			r = fbc_kerr(e, r, uplink, "NGM_ETHER_SET_PROMISC %s 1", upath);
			goto fail;
		}
		if ((r = fbsd_ng_ether_set_autosrc(upath, false)) < 0) {
			r = fbc_kerr(e, r, uplink, "NGM_ETHER_SET_AUTOSRC %s 0", upath);
			goto fail;
		}
	} else if ((r = fbsd_ng_bridge_set_persistent(bpath)) < 0) {
		/* No uplink keeps it alive: without this it would go with our last hook. */
		r = fbc_kerr(e, r, name, "NGM_BRIDGE_SET_PERSISTENT %s", bpath);
		goto fail;
	}
	if ((r = fbsd_ng_rmhook(".", TMPHOOK)) < 0) {
		r = fbc_kerr(e, r, name, "NGM_RMHOOK . %s", TMPHOOK);
		goto fail;
	}
	return 0;
fail:
	/* Shutting it down disconnects the uplink, whose ether node then resets itself
	 * (promiscuous mode off, autosrc on: ng_ether.c ng_ether_shutdown). */
	(void)fbsd_ng_shutdown(bpath);
	return r;
}

int
ng_bridge_destroy(void *priv, const char *name, struct jnet_err *e)
{
	char path[FBSD_NG_PATHSIZ];
	struct fbsd_ng_node ni;
	struct fbsd_ng_hook *h = NULL;
	int n = 0, r;

	(void)priv;
	if (!ng_nameable(name))
		return jnet_err_set(e, EINVAL, name, "not an ng_bridge name");
	npath(path, name);
	r = list_hooks(path, &ni, &h, &n, e);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (strcmp(ni.type, "bridge") != 0) {
		free(h);
		return jnet_err_set(e, EINVAL, name, "not an ng_bridge (a netgraph %s node)", ni.type);
	}
	for (int i = 0; i < n; i++) {
		char l[FBSD_NG_NAMSIZ + 12];

		if (strcmp(h[i].peer.type, "ether") == 0)
			continue; /* its uplink */
		node_label(&h[i].peer, l, sizeof(l));
		r = jnet_err_set(e, EBUSY, name,
		    "still has links (%s, a netgraph %s node on %s%s); jnet only removes an "
		    "ng_bridge that nothing but its uplink is connected to", l, h[i].peer.type,
		    h[i].hook, n > 1 ? ", and more" : "");
		free(h);
		return r;
	}
	free(h);
	r = fbsd_ng_shutdown(path);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? fbc_kerr(e, r, name, "NGM_SHUTDOWN %s", path) : 0;
}

int
ng_bridge_members(void *priv, const char *name, char (*names)[JNET_IFNAMSIZ], int max,
    struct jnet_err *e)
{
	char path[FBSD_NG_PATHSIZ];
	char (*seen)[JNET_IFNAMSIZ];
	struct fbsd_ng_node ni;
	struct fbsd_ng_hook *h = NULL;
	int n = 0, r, cnt = 0;

	(void)priv;
	if (!ng_nameable(name))
		return jnet_err_set(e, ENODEV, name, "no such ng_bridge");
	npath(path, name);
	r = list_hooks(path, &ni, &h, &n, e);
	if (r == -ENOENT)
		return jnet_err_set(e, ENODEV, name, "no such ng_bridge");
	if (r < 0)
		return r;
	if (strcmp(ni.type, "bridge") != 0) {
		free(h);
		return jnet_err_set(e, EINVAL, name, "not a bridge");
	}
	seen = calloc((size_t)n + 1, JNET_IFNAMSIZ);
	if (seen == NULL) {
		free(h);
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	}
	/* One member per peer node: an uplink's ether node holds two links. */
	for (int i = 0; i < n; i++) {
		char l[JNET_IFNAMSIZ];
		bool dup = false;

		node_label(&h[i].peer, l, sizeof(l));
		for (int k = 0; k < cnt && !dup; k++)
			dup = strcmp(seen[k], l) == 0;
		if (dup)
			continue;
		jnet_strlcpy(seen[cnt], l, JNET_IFNAMSIZ);
		if (cnt < max)
			jnet_strlcpy(names[cnt], l, JNET_IFNAMSIZ);
		cnt++;
	}
	free(seen);
	free(h);
	return cnt;
}

/*
 * Make the eiface `ifname` a port of ng_bridge `bridge` again (repair: its ether hook was
 * disconnected by hand). A port of another bridge is not moved: netgraph has no such
 * operation, and taking the hook from a foreign node is not jnet's to do.
 */
int
ng_if_set_master(void *priv, const char *ifname, const char *bridge, struct jnet_err *e)
{
	char path[FBSD_NG_PATHSIZ], who[128];
	struct fbsd_ng_node ni;
	int r;

	if (!ng_nameable(ifname) || bridge[0] == '\0')
		return jnet_err_set(e, EOPNOTSUPP, ifname,
		    "the netgraph backend makes ports of eifaces only");
	npath(path, ifname);
	if ((r = fbsd_ng_nodeinfo(path, &ni)) < 0)
		return fbc_kerr(e, r, ifname, "NGM_NODEINFO %s", path);
	if (strcmp(ni.type, "eiface") != 0)
		return jnet_err_set(e, EOPNOTSUPP, ifname,
		    "is a netgraph %s node: the netgraph backend makes ports of eifaces only", ni.type);
	holder(path, "ether", who, sizeof(who));
	if (who[0] != '\0')
		return jnet_err_set(e, EOPNOTSUPP, ifname,
		    "its ether hook is connected to %s; the netgraph backend does not move a port "
		    "to another bridge: destroy it first", who);
	return join_bridge(priv, bridge, path, "ether", -1, e);
}

/* A bridge jnet made whose up was interrupted: an ng_bridge cannot carry a tag (its name
 * says whose it is, bridge_owner), so there is nothing to set. Interfaces get theirs. */
int
ng_if_set_tag(void *priv, const char *ifname, const char *tag, struct jnet_err *e)
{
	char path[FBSD_NG_PATHSIZ];
	struct fbsd_ng_node ni;

	(void)priv;
	if (ng_nameable(ifname)) {
		npath(path, ifname);
		if (fbsd_ng_nodeinfo(path, &ni) == 0 && strcmp(ni.type, "bridge") == 0)
			return 0;
	}
	return fbc_if_set_descr(ifname, tag, e);
}
