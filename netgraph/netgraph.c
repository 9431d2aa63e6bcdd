/*
 * The netgraph backend (FreeBSD): a link is an ng_eiface(4) node, its interface ngethN
 * renamed ng{i}_NAME, connected to an ng_bridge(4) node. An uplink IFACE gets the bridge
 * IFACEbridge, hanging off the ng_ether(4) node IFACE: by its lower and upper hooks
 * (promiscuous mode on, source address override off), as jng does. One interface per
 * link: the eiface goes into the jail (jail(8)'s vnet.interface, or jnet attach); its
 * netgraph node stays in the host's netgraph, so shutting it down (destroy) works while
 * the interface is inside a jail, live or dying (ng_eiface.c ng_eiface_rmnode).
 *
 * All kernel work goes through the primitives of fbsd.h (one netgraph message, ioctl or
 * libjail call each), so this file builds everywhere and is tested on Linux against the
 * kernel model (tests/model/model_ng.c).
 *
 * Creating a link, in this order (each step undone by shutting the node down):
 *
 *   NGM_MKPEER . eiface  -> NGM_NODEINFO (its ID) -> NGM_EIFACE_GET_IFNAME (ngethN)
 *   -> SIOCAIFGROUP jnet -> SIOCSIFDESCR tag -> NGM_EIFACE_SET (MAC) [-> SIOCSIFMTU]
 *   -> NGM_RMHOOK (let go of it) -> NGM_CONNECT to the bridge -> NGM_NAME ng{i}_NAME
 *   -> SIOCSIFNAME ng{i}_NAME -> up
 *
 * The node is named before the interface is renamed, so that a refused NGM_NAME (the name
 * is another node's) leaves no interface renamed. There is no ng_ether node to race for
 * the name: ng_eiface.c ng_eiface_constructor names its node "ngethN" before
 * ether_ifattach, and ng_ether.c ng_ether_attach (FreeBSD 14) makes no ether node for an
 * interface whose name a node has, so an eiface's interface has none on the host (a
 * rename finds none to rename: ng_ether_ifnet_arrival_event). Moved into a jail it gets
 * one there (ether_reassign), in the jail's netgraph, which jnet does not use.
 *
 * Bridge links are numbered safely under parallel starts: on FreeBSD 15 the hook is called
 * plain "link" and the kernel picks the number; on 14 (which refuses "link" with EINVAL)
 * jnet tries linkN and takes N+1 on EEXIST, starting from the bridge's hook count. It never
 * asks which numbers are free first: that answer is stale by the time it is used.
 *
 * Ownership. The eiface's interface carries the tag in its description and is in group
 * jnet (while it is on the host); the node is named like the interface. Inside a jail the
 * description cannot be read from the host, so there the node tells: ng{i}_NAME is link i
 * of jail NAME; a short hashed name ng{i}-... (only jnet makes those) is a jnet link whose
 * jail the host cannot name. ng_bridge nodes have no description or other place for a tag:
 * jnet manages any ng_bridge, and destroys one only when nothing but its uplink is
 * connected to it; one named LAB_BRIDGE counts as lab LAB's (bridge_owner).
 *
 * Labs (jnet lab): jails, addresses, routes, forwarding and exec are the FreeBSD common
 * layer's (src/fbsd/common_lab.c). A lab's
 * point-to-point link is two eifaces connected ether to ether, each tagged as a 'b' end of
 * its jail; destroying one end shuts its peer down too.
 *
 * Crash windows (SIGKILL between two steps), as with epair:
 *   - after NGM_MKPEER, before SIOCAIFGROUP: an unnamed ngethN, not recognisably jnet's;
 *   - in group jnet, tagged or not, still ngethN: `gc` finds it (through the node list);
 *   - named, interface not yet renamed or not up: addm completes it (renames, sets up).
 */
#include "backend.h"
#include "common.h"
#include "fbsd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROUP     FBC_GROUP /* interface group of everything jnet creates */
#define TMPHOOK   "jnet"  /* hook of our control socket while a node is being built */
#define MAX_TRIES 4096    /* linkN attempts before giving up (14's numbering) */
/* sys/netgraph/ng_eiface.h (FreeBSD 14): the MTU range of an eiface's interface
 * (NG_EIFACE_MTU_MAX = ETHER_MAX_LEN_JUMBO); the header is FreeBSD's only. */
#define NG_EIFACE_MTU_MIN 72
#define NG_EIFACE_MTU_MAX 9018

enum numbering {
	NUM_UNKNOWN,
	NUM_KERNEL,       /* FreeBSD 15: hook "link" gets its number from the bridge */
	NUM_CALLER,       /* 13/14: the caller names linkN */
};

struct ngpriv {
	enum numbering numbering;
	/* Kernel modules known to be loaded in this command (fbc_kld). */
	bool ng_socket, ng_eiface, ng_bridge, ng_ether, if_vlan;
};

/* A VLAN uplink is a vlan(4) interface with its own ng_ether node (src/fbsd/common_vlan.c). */
static int
ng_vlan_create(void *priv, const char *name, const char *parent, int vid, const char *tag,
    struct jnet_err *e)
{
	return fbc_vlan_create(name, parent, vid, tag, &((struct ngpriv *)priv)->if_vlan, e);
}

/* ---------------------------------------------------------------- errors, paths */

/* The netgraph address of a node called `name` ("[id]" stays an ID). */
static void
npath(char out[FBSD_NG_PATHSIZ], const char *name)
{
	snprintf(out, FBSD_NG_PATHSIZ, "%s:", name);
}

/* Can `name` be a netgraph node name (and so be used in a path)? */
static bool
ng_nameable(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n < FBSD_NG_NAMSIZ && strpbrk(name, ".:[]") == NULL;
}

static int
ng_name_check(const char *name, struct jnet_err *e)
{
	if (!ng_nameable(name))
		return jnet_err_set(e, EINVAL, name,
		    "not usable as a netgraph node name (1..%d characters, none of '.', ':', '[', ']')",
		    FBSD_NG_NAMSIZ - 1);
	return 0;
}

/*
 * "name" or "[id]" for a node (what jnet calls it in messages and link names). A name
 * longer than `len` allows (node names go to 31, interface names to 15) becomes the ID:
 * a cut name would address another node, or none.
 */
static void
node_label(const struct fbsd_ng_node *n, char *out, size_t len)
{
	if (n->name[0] != '\0' && strlen(n->name) < len)
		jnet_strlcpy(out, n->name, len);
	else
		snprintf(out, len, "[%" PRIx32 "]", n->id);
}

/* ---------------------------------------------------------------- lists */

struct hooks_of {
	const char *path;
	struct fbsd_ng_node *node;
};

static int
fill_nodes(void *v, int max, void *arg)
{
	return fbsd_ng_listnodes(*(bool *)arg, v, max);
}

static int
fill_hooks(void *v, int max, void *arg)
{
	struct hooks_of *q = arg;

	return fbsd_ng_listhooks(q->path, q->node, v, max);
}

static int
list_nodes(bool named, struct fbsd_ng_node **out, int *n, struct jnet_err *e)
{
	int r = fbc_fetch(sizeof(**out), 64, fill_nodes, &named, (void **)out);

	if (r < 0)
		return fbc_kerr(e, r, "", named ? "NGM_LISTNAMES" : "NGM_LISTNODES");
	*n = r;
	return 0;
}

/* The hooks of node `path` (allocated). -ENOENT (e not filled) when there is no node. */
static int
list_hooks(const char *path, struct fbsd_ng_node *node, struct fbsd_ng_hook **out, int *n,
    struct jnet_err *e)
{
	struct hooks_of q = { path, node };
	int r = fbc_fetch(sizeof(**out), 8, fill_hooks, &q, (void **)out);

	if (r == -ENOENT)
		return r;
	if (r < 0)
		return fbc_kerr(e, r, path, "NGM_LISTHOOKS %s", path);
	*n = r;
	return 0;
}

/* ---------------------------------------------------------------- open / jails */

static int
ng_open(void **priv, struct jnet_err *e)
{
	struct ngpriv *p = calloc(1, sizeof(*p));

	int r;

	if (p == NULL)
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	/*
	 * Every command talks through the control socket, which needs ng_socket.
	 * libnetgraph's NgMkSockNode would kldload it itself, but its error would name no
	 * module.
	 */
	if ((r = fbc_kld("ng_socket", &p->ng_socket, e)) < 0) {
		free(p);
		return r;
	}
	*priv = p;
	return 0;
}

static void
ng_close(void *priv)
{
	fbsd_ng_close();
	free(priv);
}

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
	/* No tag can be put on an ng_bridge: every one counts as manageable (top of file). */
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

static int
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

static int
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

/* Who holds hook `hook` of the node at `path`: "NAME (type)" into out, or "". */
static void
holder(const char *path, const char *hook, char *out, size_t len)
{
	struct fbsd_ng_hook h[8];
	int n = fbsd_ng_listhooks(path, NULL, h, 8);

	out[0] = '\0';
	for (int i = 0; i < n && i < 8; i++)
		if (strcmp(h[i].hook, hook) == 0) {
			char l[FBSD_NG_NAMSIZ + 12];

			node_label(&h[i].peer, l, sizeof(l));
			snprintf(out, len, "%s (%s, hook %s)", l, h[i].peer.type, h[i].peerhook);
		}
}

/*
 * Connect hook `peerhook` of the node at `node_path` to a new link hook of ng_bridge
 * `bridge`. FreeBSD 15: hook "link", the bridge numbers it. 13/14: linkN, N+1 on EEXIST,
 * from N = `first` (< 0: the bridge's hook count, a good guess). EISCONN: the node's own
 * hook is taken (not a numbering problem).
 */
static int
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

static int
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

static int
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

static int
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

/* ---------------------------------------------------------------- links */

/* What link_get learns beyond struct jnet_link_info. */
struct lx {
	char ifname[JNET_IFNAMSIZ];   /* the eiface's interface, where it is */
	char path[FBSD_NG_PATHSIZ];   /* the node ("NAME:" or "[ID]:") */
	char hook[FBSD_NG_NAMSIZ];    /* its bridge hook ("" if not on a bridge) */
	bool on_host;
	int jid;                      /* jail holding it (when known), else -1 */
	bool dying;
};

/* "ngeth12": the name the kernel gives an eiface's interface (ng_eiface.c). */
static bool
is_ngeth(const char *name)
{
	size_t n = strlen(name);

	return strncmp(name, "ngeth", 5) == 0 && n > 5 && strspn(name + 5, "0123456789") == n - 5;
}

/* "ng3_web" -> 3 and "web" (verbatim form); "ng3-..." -> 3 and "" (short form); -1. */
static int
parse_ngname(const char *name, char *jail, size_t len)
{
	char want[JNET_IFNAMSIZ];
	char *end;
	long i;

	jail[0] = '\0';
	if (strncmp(name, "ng", 2) != 0)
		return -1;
	i = strtol(name + 2, &end, 10);
	if (end == name + 2 || i < 0 || i >= JNET_MAXLINKS || (*end != '_' && *end != '-'))
		return -1;
	if (*end == '_') {
		jnet_strlcpy(jail, end + 1, len);
		/* Only if jnet would call that jail's link i so (no truncation, no odd name). */
		if (jnet_jail_name_check(jail, NULL) < 0 ||
		    jnet_ifname(want, JNET_NAMES_NG, jail, (int)i, 'a') < 0 ||
		    strcmp(want, name) != 0) {
			jail[0] = '\0';
			return -1;
		}
	}
	return (int)i;
}

static int
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
	for (int i = 0; i < n; i++)
		if (strcmp(h[i].hook, "ether") == 0 && strcmp(h[i].peer.type, "bridge") == 0) {
			node_label(&h[i].peer, out->bridge, sizeof(out->bridge));
			jnet_strlcpy(lx->hook, h[i].peerhook, sizeof(lx->hook));
		}
	free(h);
	r = fbsd_ng_eiface_ifname(lx->path, lx->ifname);
	if (r == -ENOENT)
		return jnet_err_set(e, ENODEV, host_if, "no such netgraph node");
	if (r < 0)
		return fbc_kerr(e, r, host_if, "NGM_EIFACE_GET_IFNAME %s", lx->path);

	r = fbc_read_if_mtu(lx->ifname, false, &x, e);
	if (r == 0) {
		/*
		 * An interface of that name on the host is this node's only if it has the
		 * node's MAC and a name jnet gives it (the node's, or ngethN before the rename):
		 * else it is another interface (the host's, or one a jail renamed to this name
		 * and was brought home), and this node's interface is in a jail.
		 */
		uint8_t mac[6];
		int q = fbsd_ng_eiface_mac(lx->path, mac);

		if (q < 0 && q != -ENOENT)
			return fbc_kerr(e, q, host_if, "NGM_EIFACE_GET_IFADDRS %s", lx->path);
		if ((q == 0 && x.has_mac && memcmp(mac, x.mac, 6) != 0) ||
		    (strcmp(lx->ifname, host_if) != 0 && !is_ngeth(lx->ifname)))
			r = jnet_err_set(e, ENODEV, lx->ifname, "not this node's interface");
	}
	if (r == 0) {
		struct jnet_tag t;
		enum jnet_own own;

		lx->on_host = true;
		/*
		 * Ours only by jnet_ownership(): a link tag of this backend, or in the crash
		 * window before SIOCSIFDESCR, untagged in group jnet and still named ngethN.
		 */
		own = fbc_owner(&x, JNET_TAG_LINK, is_ngeth(lx->ifname) ? lx->ifname : NULL, &t);
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
		memcpy(out->host_mac, x.mac, 6);
		/* Up, and named like its node: complete. A half-built link reads as down, so
		 * that addm completes it (link_set_up renames it). */
		out->host_up = x.up && strcmp(lx->ifname, host_if) == 0;
		out->where = JNET_WHERE_HOST;
		return 0;
	}
	if (r != -ENODEV)
		return r;
	jnet_err_clear(e);
	/*
	 * Not on the host: inside a jail (an interface of a jail that is gone comes home,
	 * vnet_if_return). Its description cannot be read from here; the node name says whose
	 * it is (see the top of this file).
	 */
	out->where = JNET_WHERE_JAIL;
	out->host_up = true; /* cannot tell without entering the jail: never toggle it */
	r = fbsd_ng_eiface_mac(lx->path, out->host_mac);
	if (r < 0 && r != -ENOENT)
		return fbc_kerr(e, r, host_if, "NGM_EIFACE_GET_IFADDRS %s", lx->path);
	{
		char jail[JNET_JAILNAMSIZ];
		int i = parse_ngname(host_if, jail, sizeof(jail));

		if (i < 0)
			return -EPERM;
		out->index = i;
		if (jail[0] != '\0') {
			bool dying = false, up;
			int jid;

			out->tagged = true;
			jnet_strlcpy(out->jail, jail, sizeof(out->jail));
			r = fbsd_jail_getid(jail, &jid, &dying);
			if (r < 0 && r != -ENOENT)
				return fbc_kerr(e, r, jail, "jail_get");
			if (r == 0 && dying) {
				lx->jid = jid;
				lx->dying = true;
				jnet_strlcpy(out->where_jail, jail, sizeof(out->where_jail));
			} else if (r == 0) {
				/* In that jail? (attach NAME OTHER puts it elsewhere.) */
				r = fbsd_if_get_up(jid, lx->ifname, &up);
				if (r == 0) {
					char d[JNET_TAGSIZ];
					struct jnet_tag t;

					/*
					 * The node name alone does not make it ours: jng names its
					 * eifaces ng0_NAME too, and leaves them undescribed, where
					 * jnet always tags its own. No description inside the jail:
					 * not ours. A description of any kind: the node name (which
					 * no jail can change) decides, as the jail's root may have
					 * rewritten the text (on its own interface only).
					 */
					r = fbsd_jail_if_get_descr(jid, lx->ifname, d, sizeof(d));
					if (r == -ENOMSG)
						return -EPERM;
					if (r < 0)
						return fbc_kerr(e, r, lx->ifname,
						    "SIOCGIFDESCR inside jail %s", jail);
					if (jnet_ownership(d, false, lx->ifname, JNET_TAG_LINK, NULL,
					    &t) == JNET_OWN_TAGGED && t.index == i &&
					    strcmp(t.name, jail) == 0) {
						out->count = t.count;
						out->born = t.born;
					}
					lx->jid = jid;
					out->host_up = up;
					jnet_strlcpy(out->where_jail, jail, sizeof(out->where_jail));
				} else if (!fbc_gone(r) && r != -EINVAL) {
					return fbc_kerr(e, r, lx->ifname, "SIOCGIFFLAGS inside jail %s", jail);
				} else {
					/* Not in it: in a dying older instance of it? */
					int old;

					if ((r = fbc_stale(jail, lx->ifname, &old, e)) < 0)
						return r;
					if (r == 1) {
						out->stale = true;
						lx->jid = old;
						lx->dying = true;
						jnet_strlcpy(out->where_jail, jail, sizeof(out->where_jail));
					}
				}
			}
		}
	}
	return 0;
}

/*
 * What get_link found out about where the interface is, kept in the link's backend-private
 * words (struct jnet_link_info be[4]: the interface name in be[0..1], the JID in be[2],
 * flags in be[3]), so that link_move and link_set_up, which the core calls with the link
 * link_get just gave it, need not read the link again (each read of a link in a jail
 * enters the jail twice).
 */
#define LX_VALID  0x1
#define LX_HOST   0x2
#define LX_DYING  0x4

static void
lx_save(const struct lx *lx, struct jnet_link_info *out)
{
	_Static_assert(JNET_IFNAMSIZ <= 2 * sizeof(out->be[0]), "be[0..1] hold a name");
	memset(out->be, 0, sizeof(out->be));
	memcpy(&out->be[0], lx->ifname, JNET_IFNAMSIZ);
	out->be[2] = lx->jid;
	out->be[3] = LX_VALID | (lx->on_host ? LX_HOST : 0) | (lx->dying ? LX_DYING : 0);
}

/* The lx of link l as ng_link_get saved it: false when it did not (read it again). */
static bool
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
	return true;
}

static int
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
static int
link_now(const struct jnet_link_info *l, struct jnet_link_info *cur, struct lx *lx,
    struct jnet_err *e)
{
	if (lx_load(l, lx)) {
		*cur = *l;
		return 0;
	}
	return get_link(l->host_if, cur, lx, e);
}

static int
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
 * `bridge` if not "" (see the top of this file for the order). Left on the host, down.
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
	if ((r = fbsd_if_add_group(cur, GROUP)) < 0) {
		r = fbc_kerr(e, r, cur, "SIOCAIFGROUP %s", GROUP);
		goto fail;
	}
	if ((r = fbsd_if_set_descr(cur, tag)) < 0) {
		r = fbc_kerr(e, r, cur, "SIOCSIFDESCR");
		goto fail;
	}
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
	/* The node's name first, then the interface's (see the top of this file). */
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

static int
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
static int
shutdown_link(const char *path, const char *what, struct jnet_err *e)
{
	char peer[FBSD_NG_PATHSIZ] = "";
	struct fbsd_ng_hook h[4];
	int n = fbsd_ng_listhooks(path, NULL, h, 4), r;

	if (n == -ENOENT)
		return 0; /* nothing left: what we wanted */
	if (n < 0)
		return fbc_kerr(e, n, what, "NGM_LISTHOOKS %s", path);
	for (int i = 0; i < n && i < 4; i++)
		if (strcmp(h[i].hook, "ether") == 0 && strcmp(h[i].peer.type, "eiface") == 0)
			snprintf(peer, sizeof(peer), "[%" PRIx32 "]:", h[i].peer.id);
	r = fbsd_ng_shutdown(path);
	if (r < 0 && r != -ENOENT)
		return fbc_kerr(e, r, what, "NGM_SHUTDOWN %s", path);
	if (peer[0] != '\0' && (r = fbsd_ng_shutdown(peer)) < 0 && r != -ENOENT)
		return fbc_kerr(e, r, what, "NGM_SHUTDOWN %s (its point-to-point peer)", peer);
	return 0;
}

static int
ng_link_destroy(void *priv, const struct jnet_link_info *l, struct jnet_err *e)
{
	char path[FBSD_NG_PATHSIZ];

	(void)priv;
	if (l->host_if[0] != '[' && !ng_nameable(l->host_if))
		return 0;
	npath(path, l->host_if);
	return shutdown_link(path, l->host_if, e);
}

/* The jail the link's interface is in, for moves and flags: from get_link, else l->jail. */
static int
away_jail(const struct jnet_link_info *l, const struct jnet_link_info *cur,
    const struct lx *lx, int *jid, bool *dying, const char **name, struct jnet_err *e)
{
	*name = cur->where_jail[0] ? cur->where_jail : l->jail[0] ? l->jail : cur->jail;
	if (lx->jid >= 0) {
		*jid = lx->jid;
		*dying = lx->dying;
		return 0;
	}
	if ((*name)[0] == '\0')
		return jnet_err_set(e, ENOENT, cur->host_if,
		    "its interface is in a jail the host cannot name");
	return fbc_jid_of(*name, jid, dying, e);
}

/* Complete a link a crash left half-built: the interface renamed like its node. */
static int
complete(struct jnet_link_info *cur, struct lx *lx, struct jnet_err *e)
{
	int r;

	if (!lx->on_host || !ng_nameable(cur->host_if) || strcmp(lx->ifname, cur->host_if) == 0)
		return 0;
	if ((r = fbsd_if_rename(lx->ifname, cur->host_if)) < 0)
		return fbc_kerr(e, r, lx->ifname, "SIOCSIFNAME %s -> %s", lx->ifname, cur->host_if);
	jnet_strlcpy(lx->ifname, cur->host_if, sizeof(lx->ifname));
	return 0;
}

static int
ng_link_move(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    const struct jnet_jail *from, struct jnet_err *e)
{
	(void)from; /* the eiface is found by its node, wherever it is */
	struct jnet_link_info cur;
	struct lx lx;
	const char *jname;
	bool dying, was_up;
	int r, jid;

	(void)priv;
	if ((r = link_now(l, &cur, &lx, e)) < 0)
		return r;
	if (j != NULL) {
		if (!lx.on_host) {
			if (strcmp(cur.where_jail, j->name) == 0)
				return 0;
			return jnet_err_set(e, EBUSY, lx.ifname, "already inside a jail%s%s",
			    cur.where_jail[0] ? ": " : "", cur.where_jail);
		}
		if ((r = complete(&cur, &lx, e)) < 0)
			return r;
		if ((r = fbsd_if_get_up(FBSD_HOST, lx.ifname, &was_up)) < 0)
			return fbc_kerr(e, r, lx.ifname, "SIOCGIFFLAGS");
		return fbc_into_jail(lx.ifname, j, was_up, e);
	}
	if (lx.on_host)
		return 0;
	if ((r = away_jail(l, &cur, &lx, &jid, &dying, &jname, e)) < 0)
		return r;
	/*
	 * A jail's root may rename the interface (to another link's name, say): what it is
	 * called in there is the jail's word. It comes home only under its node's name, the
	 * host's fact, or another link would take it for its own interface.
	 */
	if (cur.host_if[0] != '[' && strcmp(lx.ifname, cur.host_if) != 0)
		return jnet_err_set(e, EPERM, cur.host_if,
		    "its interface is called %s inside jail %s, not %s: jnet brings it home only "
		    "under its own name (rename it back inside the jail)", lx.ifname, jname,
		    cur.host_if);
	return fbc_from_jail(lx.ifname, jid, jname, dying, e);
}

static int
ng_link_set_up(void *priv, const struct jnet_link_info *l, bool up, struct jnet_err *e)
{
	struct jnet_link_info cur;
	struct lx lx;
	const char *how = up ? "up" : "down";
	const char *jname;
	bool dying, now;
	int r, jid;

	(void)priv;
	if ((r = link_now(l, &cur, &lx, e)) < 0)
		return r;
	if (lx.on_host) {
		if (up && (r = complete(&cur, &lx, e)) < 0)
			return r;
		if ((r = fbsd_if_get_up(FBSD_HOST, lx.ifname, &now)) < 0)
			return fbc_kerr(e, r, lx.ifname, "SIOCGIFFLAGS");
		if (now == up)
			return 0;
		r = fbsd_if_set_up(FBSD_HOST, lx.ifname, up);
		return r < 0 ? fbc_kerr(e, r, lx.ifname, "SIOCSIFFLAGS %s", how) : 0;
	}
	if ((r = away_jail(l, &cur, &lx, &jid, &dying, &jname, e)) < 0)
		return r;
	if (dying) {
		if (up)
			return jnet_err_set(e, EBUSY, jname,
			    "jail is being removed; its interfaces cannot be set up");
		return 0; /* a dying jail cannot be entered; its interfaces go down with it */
	}
	if ((r = fbsd_if_get_up(jid, lx.ifname, &now)) < 0)
		return fbc_kerr(e, r, lx.ifname, "SIOCGIFFLAGS inside jail %s", jname);
	if (now == up)
		return 0;
	r = fbsd_if_set_up(jid, lx.ifname, up);
	return r < 0 ? fbc_kerr(e, r, lx.ifname, "SIOCSIFFLAGS %s inside jail %s", how, jname) : 0;
}

/* The MTU of a link's eiface, on the host or inside its jail (repair, addm -M). */
static int
ng_link_set_mtu(void *priv, const struct jnet_link_info *l, unsigned mtu, struct jnet_err *e)
{
	struct jnet_link_info cur;
	struct lx lx;
	const char *jname = "";
	bool dying = false;
	int r, jid = FBSD_HOST;

	(void)priv;
	if ((r = get_link(l->host_if, &cur, &lx, e)) < 0)
		return r;
	if (!lx.on_host) {
		if ((r = away_jail(l, &cur, &lx, &jid, &dying, &jname, e)) < 0)
			return r;
		if (dying)
			return jnet_err_set(e, EBUSY, jname,
			    "jail is being removed; its interfaces cannot be changed");
	}
	r = fbsd_if_set_mtu(jid, lx.ifname, mtu);
	return r < 0 ? fbc_kerr(e, r, lx.ifname, "SIOCSIFMTU %u%s%s", mtu,
	    jid != FBSD_HOST ? " inside jail " : "", jname) : 0;
}

/* ---------------------------------------------------------------- labs */

/*
 * Labs use the FreeBSD lab operations of src/fbsd/common_lab.c (jails, addresses, routes,
 * forwarding, exec), which do not depend on the kind of interface. What is netgraph's:
 * an eiface inside a jail is removed by shutting its node down (which the host can do
 * while the interface is in the jail), not by SIOCIFDESTROY.
 *
 * Shut down every eiface node whose interface is inside jail `jid` and is a jnet link (its
 * description there is a link tag). jnet names each node like its interface, and those
 * names are unique on the host (they hash the jail's name), so a node called like a tagged
 * interface of the jail is that interface's.
 */
static int
shutdown_inner(int jid, const char *name, struct jnet_err *e)
{
	struct fbsd_ng_node *v = NULL;
	int n = 0, r;

	if ((r = list_nodes(true, &v, &n, e)) < 0)
		return r;
	for (int i = 0; i < n; i++) {
		char path[FBSD_NG_PATHSIZ], ifname[JNET_IFNAMSIZ], descr[JNET_TAGSIZ];
		char want[JNET_IFNAMSIZ], jail[JNET_JAILNAMSIZ];
		struct jnet_tag t;
		int idx;

		if (strcmp(v[i].type, "eiface") != 0 || !ng_nameable(v[i].name))
			continue;
		/*
		 * Only a node named as a link of this jail (the host's fact: a jail cannot name
		 * netgraph nodes); what the jail shows (names, descriptions) is a hint only, or a
		 * jail could have another jail's link shut down.
		 */
		if ((idx = parse_ngname(v[i].name, jail, sizeof(jail))) < 0 ||
		    jnet_ifname(want, JNET_NAMES_NG, name, idx, 'a') < 0 ||
		    strcmp(want, v[i].name) != 0)
			continue;
		npath(path, v[i].name);
		r = fbsd_ng_eiface_ifname(path, ifname);
		if (r == -ENOENT)
			continue; /* gone meanwhile */
		if (r < 0) {
			r = fbc_kerr(e, r, v[i].name, "NGM_EIFACE_GET_IFNAME %s", path);
			goto out;
		}
		if (strcmp(ifname, v[i].name) != 0)
			continue;
		r = fbsd_jail_if_get_descr(jid, ifname, descr, sizeof(descr));
		if (r < 0 || jnet_ownership(descr, false, ifname, JNET_TAG_LINK, NULL, &t) !=
		    JNET_OWN_TAGGED || strcmp(t.name, name) != 0)
			continue; /* not in this jail, or not ours */
		if ((r = shutdown_link(path, ifname, e)) < 0)
			goto out;
	}
	r = 0;
out:
	free(v);
	return r;
}

static int
ng_jail_destroy(void *priv, const char *name, struct jnet_err *e)
{
	(void)priv;
	return fbc_lab_jail_destroy(name, shutdown_inner, e);
}

/*
 * Make the eiface `ifname` a port of ng_bridge `bridge` again (repair: its ether hook was
 * disconnected by hand). A port of another bridge is not moved: netgraph has no such
 * operation, and taking the hook from a foreign node is not jnet's to do.
 */
static int
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
static int
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

/* ---------------------------------------------------------------- stats */

/* "link12" -> 12, "uplink3" -> -3 (NGM_BRIDGE_GET_STATS numbering); false otherwise. */
static bool
link_number(const char *hook, int *num)
{
	const char *d;
	char *end;
	long v;

	if (strncmp(hook, "uplink", 6) == 0)
		d = hook + 6;
	else if (strncmp(hook, "link", 4) == 0)
		d = hook + 4;
	else
		return false;
	v = strtol(d, &end, 10);
	if (end == d || *end != '\0' || v < 0 || v > 0x7fffffff)
		return false;
	*num = hook[0] == 'u' ? -(int)v : (int)v;
	return true;
}

static void
stats_counters(struct jnet_link_stats *out, const struct fbsd_ng_bridge_stats *s)
{
	/* The field names ngctl prints for getstats (ng_bridge.h NG_BRIDGE_STATS_TYPE_INFO),
	 * which is what jng stats shows. */
	const struct jnet_counter f[] = {
		{ "recvOctets", s->recv_octets }, { "recvPackets", s->recv_packets },
		{ "recvMulticast", s->recv_multicasts }, { "recvBroadcast", s->recv_broadcasts },
		{ "recvUnknown", s->recv_unknown }, { "recvRunts", s->recv_runts },
		{ "recvInvalid", s->recv_invalid }, { "xmitOctets", s->xmit_octets },
		{ "xmitPackets", s->xmit_packets }, { "xmitMulticasts", s->xmit_multicasts },
		{ "xmitBroadcasts", s->xmit_broadcasts }, { "loopDrops", s->loop_drops },
		{ "loopDetects", s->loop_detects }, { "memoryFailures", s->memory_failures },
	};

	_Static_assert(sizeof(f) / sizeof(f[0]) <= JNET_COUNTERS_MAX, "counters fit");
	memcpy(out->c, f, sizeof(f));
	out->ncounters = (int)(sizeof(f) / sizeof(f[0]));
}

/* The counters ng_bridge keeps for the hook of link l's eiface (NGM_BRIDGE_GET_STATS). */
static int
ng_link_stats(void *priv, const struct jnet_link_info *l, struct jnet_link_stats *out,
    struct jnet_err *e)
{
	char bpath[FBSD_NG_PATHSIZ];
	struct jnet_link_info cur;
	struct fbsd_ng_bridge_stats st;
	struct lx lx;
	int num, r;

	(void)priv;
	if ((r = get_link(l->host_if, &cur, &lx, e)) < 0)
		return r;
	jnet_strlcpy(out->bridge, cur.bridge, sizeof(out->bridge));
	jnet_strlcpy(out->port, lx.hook, sizeof(out->port));
	if (cur.bridge[0] == '\0' || !link_number(lx.hook, &num))
		return 0;
	npath(bpath, cur.bridge);
	if ((r = fbsd_ng_bridge_stats(bpath, num, &st)) < 0)
		return fbc_kerr(e, r, cur.bridge, "NGM_BRIDGE_GET_STATS %s %d", bpath, num);
	stats_counters(out, &st);
	return 0;
}

/* ---------------------------------------------------------------- graph */

static int
cmp_node(const void *a, const void *b)
{
	const struct fbsd_ng_node *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r ? r : (x->id > y->id) - (x->id < y->id);
}

/* Hooks in a stable order: link2 before link10. */
static int
cmp_hook(const void *a, const void *b)
{
	const struct fbsd_ng_hook *x = a, *y = b;
	int nx, ny;

	if (link_number(x->hook, &nx) && link_number(y->hook, &ny) &&
	    (x->hook[0] == 'u') == (y->hook[0] == 'u'))
		return (nx > ny) - (nx < ny);
	return strcmp(x->hook, y->hook);
}

/* One node: what it is, and whose, for jnet's eifaces; NULL when out of memory. */
static struct jnet_gnode *
graph_node(struct jnet_graph *g, const struct fbsd_ng_node *n, struct jnet_err *e)
{
	struct jnet_gnode *o = jnet_graph_node(g);
	struct jnet_link_info li;
	struct lx lx;

	if (o == NULL) {
		jnet_err_set(e, ENOMEM, "", "out of memory");
		return NULL;
	}
	node_label(n, o->name, sizeof(o->name));
	o->group = g->ngroups - 1;
	snprintf(o->type, sizeof(o->type), "ng_%s", n->type);
	if (strcmp(n->type, "bridge") == 0) {
		o->kind = JNET_GNODE_BRIDGE;
	} else if (strcmp(n->type, "ether") == 0) {
		o->kind = JNET_GNODE_UPLINK;
	} else if (strcmp(n->type, "eiface") == 0) {
		int r = get_link(o->name, &li, &lx, e);

		jnet_err_clear(e);
		o->kind = r == 0 ? JNET_GNODE_LINK : JNET_GNODE_FOREIGN;
		o->tagged = r == 0 && li.tagged;
		jnet_strlcpy(o->jail, r == 0 ? li.jail : "", sizeof(o->jail));
		o->index = r == 0 ? li.index : 0;
		o->in_jail = r == 0 && li.where == JNET_WHERE_JAIL;
	} else {
		o->kind = JNET_GNODE_OTHER;
		jnet_strlcpy(o->type, n->type, sizeof(o->type));
	}
	return o;
}

/* Bridge v: itself, its peers not seen yet (seen: nseen of them), an edge per hook. */
static int
graph_bridge(struct jnet_graph *g, const struct fbsd_ng_node *v, struct fbsd_ng_node *seen,
    int *nseen, struct jnet_err *e)
{
	char path[FBSD_NG_PATHSIZ], l[FBSD_NG_NAMSIZ + 12];
	struct fbsd_ng_hook *h = NULL;
	int nh = 0, r;

	node_label(v, l, sizeof(l));
	npath(path, l);
	if ((r = list_hooks(path, NULL, &h, &nh, e)) == -ENOENT)
		return 0; /* gone meanwhile */
	if (r < 0)
		return r;
	qsort(h, (size_t)nh, sizeof(*h), cmp_hook);
	g->ngroups++;
	r = graph_node(g, v, e) ? 0 : -ENOMEM;
	seen[(*nseen)++] = *v;
	for (int k = 0; k < nh && r == 0; k++) {
		bool dup = false;

		for (int s = 0; s < *nseen && !dup; s++)
			dup = seen[s].id == h[k].peer.id;
		if (!dup) {
			r = graph_node(g, &h[k].peer, e) ? 0 : -ENOMEM;
			seen[(*nseen)++] = h[k].peer;
		}
	}
	for (int k = 0; k < nh && r == 0; k++) {
		struct jnet_gedge *d = jnet_graph_edge(g);

		if (d == NULL) {
			r = jnet_err_set(e, ENOMEM, "", "out of memory");
			break;
		}
		d->group = g->ngroups - 1;
		jnet_strlcpy(d->a, l, sizeof(d->a));
		node_label(&h[k].peer, d->b, sizeof(d->b));
		jnet_strlcpy(d->a_port, h[k].hook, sizeof(d->a_port));
		jnet_strlcpy(d->b_port, h[k].peerhook, sizeof(d->b_port));
	}
	free(h);
	return r;
}

static int
ng_graph(void *priv, struct jnet_graph *g, struct jnet_err *e)
{
	struct fbsd_ng_node *v = NULL, *seen;
	int n = 0, nseen = 0, r;

	(void)priv;
	/*
	 * The part of the host's netgraph jnet works with: every ng_bridge, what is
	 * connected to it (uplinks, jnet's eifaces, anything else), and jnet's eifaces that
	 * are on no bridge. Undirected, like ngctl dot; hooks name the ends.
	 */
	g->what = "ng_bridge nodes, their links, jnet's eifaces";
	if ((r = list_nodes(false, &v, &n, e)) < 0)
		return r;
	qsort(v, (size_t)n, sizeof(*v), cmp_node);
	seen = calloc((size_t)n + 1, sizeof(*seen));
	if (seen == NULL) {
		free(v);
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	}
	for (int i = 0; i < n && r == 0; i++)
		if (strcmp(v[i].type, "bridge") == 0)
			r = graph_bridge(g, &v[i], seen, &nseen, e);
	for (int i = 0; i < n && r == 0; i++) {
		struct jnet_link_info li;
		struct lx lx;
		char l[FBSD_NG_NAMSIZ + 12];
		bool dup = false;

		if (strcmp(v[i].type, "eiface") != 0)
			continue;
		for (int s = 0; s < nseen && !dup; s++)
			dup = seen[s].id == v[i].id;
		node_label(&v[i], l, sizeof(l));
		if (dup || get_link(l, &li, &lx, e) < 0) {
			jnet_err_clear(e);
			continue;
		}
		g->ngroups++;
		if (graph_node(g, &v[i], e) == NULL)
			r = -ENOMEM;
	}
	free(seen);
	free(v);
	return r;
}

const struct jnet_backend_ops jnet_netgraph_backend = {
	.name = "netgraph",
	.summary = "ng_eiface(4) + ng_bridge(4) (+ ng_ether uplinks) + VNET jails (FreeBSD)",
	.names = JNET_NAMES_NG,
	.paired = false,
	.bridges_untagged = true,
	.open = ng_open,
	.close = ng_close,
	.jail_open = fbc_jail_open,
	.jail_close = fbc_jail_close,
	.if_get = ng_if_get,
	.bridge_list = ng_bridge_list,
	.bridge_create = ng_bridge_create,
	.vlan_create = ng_vlan_create,
	.vlan_destroy = fbc_vlan_destroy,
	.bridge_destroy = ng_bridge_destroy,
	.bridge_members = ng_bridge_members,
	.if_ensure_up = fbc_if_ensure_up,
	.if_set_up = fbc_if_set_up,
	.link_create = ng_link_create,
	.link_get = ng_link_get,
	.link_list = ng_link_list,
	.link_destroy = ng_link_destroy,
	.link_move = ng_link_move,
	.link_set_up = ng_link_set_up,
	.link_set_mtu = ng_link_set_mtu,
	.if_set_tag = ng_if_set_tag,
	.if_set_master = ng_if_set_master,
	.jail_create = fbc_jail_create,
	.jail_tag = fbc_jail_tag,
	.jail_destroy = ng_jail_destroy,
	.jail_list = fbc_jail_list,
	.addr_add = fbc_addr_add,
	.addr_list = fbc_addr_list,
	.jail_if_get = fbc_jail_if_get,
	.route_list = fbc_route_list,
	.route_add = fbc_route_add,
	.forwarding = fbc_forwarding,
	.jail_exec = fbc_jail_exec,
	.masq = fbc_masq,
	.link_stats = ng_link_stats,
	.graph = ng_graph,
};
