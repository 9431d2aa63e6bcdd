/*
 * The netgraph part of the FreeBSD kernel model: the fbsd_ng_* primitives of fbsd.h.
 *
 * Sources (freebsd/freebsd-src, read 2025): sys/netgraph/ng_base.c (names, paths, hooks,
 * mkpeer/connect/rmhook/shutdown, node IDs), ng_eiface.c, ng_bridge.c, ng_ether.c,
 * ng_socket.c, sys/net/if_ethersubr.c (ether_reassign); man pages netgraph(4),
 * ng_eiface(4), ng_bridge(4), ng_ether(4). FreeBSD 15's automatic ng_bridge link numbers
 * (commits 86a6393, 46f38a6, described in freebsd/vm-bhyve#133 and bellhyve/ngbuddy#14)
 * are modelled from that description: the source of that change was not available.
 *
 * State (model_ext "netgraph", JSON):
 *   nodes   the nodes made by messages (eiface, bridge) and the control sockets of
 *           processes (type "socket", with the owner's pid), each in a vnet;
 *   ether   non-default state of ng_ether nodes (promisc, autosrc, a name given by NGM_NAME);
 *   edges   connected hook pairs, with the bridge side's link counters.
 * ng_ether nodes themselves are not stored: like the kernel (ng_ether_attach, called from
 * ether_ifattach, and ether_reassign on a vnet move), there is one for every Ethernet
 * interface (kinds phys, epair; ngeth only while it is away from its eiface node's vnet:
 * see ngs_load) in the interface's current vnet, while ng_ether is loaded. Its ID is
 * derived from the interface (0x80000000 + model id), its name is the interface's name
 * unless another node holds that name -- a simplification: the kernel decides at
 * attach/rename time (ng_ether_attach makes no node at all then,
 * ng_ether_ifnet_arrival_event keeps the old name), the model at every look.
 *
 * Node IDs of the other nodes come from a counter and are never reused (ng_base.c
 * ng_make_node_common: V_nextID++). A process's control socket node exists from its first
 * netgraph primitive until fbsd_ng_close() or its death (ng_socket.c: closing the control
 * socket shuts the node down): nodes of processes that no longer exist are removed at the
 * next primitive, as the kernel would have done at their exit.
 */
#include "model.h"
#include "model_ng.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY          "netgraph"
#define NAMSIZ       FBSD_NG_NAMSIZ
#define ETHER_ID(ifid) (0x80000000u | (uint32_t)(ifid))
#define NSTATS       14

struct ngn {
	uint32_t id;
	int vnet;
	char type[NAMSIZ];
	char name[NAMSIZ];
	int ifid;                 /* eiface, ether: the interface (model id) */
	int unit;                 /* eiface: ngeth unit */
	bool persistent;          /* bridge: NGM_BRIDGE_SET_PERSISTENT */
	bool promisc, autosrc;    /* ether */
	bool named;               /* ether: name set by NGM_NAME (kept in state) */
	long pid;                 /* socket: owner */
	bool ether;               /* derived ng_ether node */
};

struct nge {
	uint32_t a, b;
	char ah[NAMSIZ], bh[NAMSIZ];
	uint64_t st[NSTATS];      /* counters of the bridge side (a bridge's link) */
};

struct ngs {
	struct ngn *n;
	int nn, capn;
	struct nge *e;
	int ne, cape;
	uint32_t next_id;
	bool ether_loaded;
	struct model *m;
};

/* The state being worked on, for the callbacks model.c makes while a primitive runs. */
static struct ngs *cur;

static void node_remove(struct ngs *s, uint32_t id);

/* ================================================================ state */

static struct ngn *
node_add(struct ngs *s)
{
	if (s->nn == s->capn) {
		int cap = s->capn ? 2 * s->capn : 16;
		struct ngn *v = realloc(s->n, (size_t)cap * sizeof(*v));

		if (v == NULL)
			abort();
		s->n = v;
		s->capn = cap;
	}
	memset(&s->n[s->nn], 0, sizeof(s->n[0]));
	return &s->n[s->nn++];
}

static struct nge *
edge_add(struct ngs *s)
{
	if (s->ne == s->cape) {
		int cap = s->cape ? 2 * s->cape : 16;
		struct nge *v = realloc(s->e, (size_t)cap * sizeof(*v));

		if (v == NULL)
			abort();
		s->e = v;
		s->cape = cap;
	}
	memset(&s->e[s->ne], 0, sizeof(s->e[0]));
	return &s->e[s->ne++];
}

static struct ngn *
byid(struct ngs *s, uint32_t id)
{
	for (int k = 0; k < s->nn; k++)
		if (s->n[k].id == id)
			return &s->n[k];
	return NULL;
}

static struct ngn *
byname(struct ngs *s, int vnet, const char *name)
{
	for (int k = 0; k < s->nn; k++)
		if (s->n[k].vnet == vnet && s->n[k].name[0] != '\0' &&
		    strcmp(s->n[k].name, name) == 0)
			return &s->n[k];
	return NULL;
}

static bool
ethernet_kind(const char *kind)
{
	/* IFT_ETHER interfaces get an ng_ether node (ng_ether_attach via ether_ifattach);
	 * if_bridge (IFT_BRIDGE) and lo0 do not. */
	return strcmp(kind, "phys") == 0 || strcmp(kind, "epair") == 0 ||
	    strcmp(kind, "ngeth") == 0 || strcmp(kind, "vlan") == 0; /* IFT_L2VLAN too */
}

static uint64_t
ju(json_t *o, const char *k)
{
	return (uint64_t)json_integer_value(json_object_get(o, k));
}

static const char *
js(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

static bool
jb(json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

static int hooks_of(struct ngs *s, uint32_t id);
static void edge_remove(struct ngs *s, int k);

static void
ngs_free(struct ngs *s)
{
	free(s->n);
	free(s->e);
	memset(s, 0, sizeof(*s));
}

/* Is process `pid` gone? (Its control socket closed with it.) */
static bool
pid_gone(long pid)
{
	return pid != (long)getpid() && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* The saved nodes (not the ether nodes: ngs_ether_nodes makes those). */
static void
ngs_load_nodes(struct ngs *s, json_t *st)
{
	json_t *v;
	size_t k;

	json_array_foreach(json_object_get(st, "nodes"), k, v) {
		struct ngn *n = node_add(s);

		n->id = (uint32_t)ju(v, "id");
		n->vnet = (int)ju(v, "vnet");
		jnet_strlcpy(n->type, js(v, "type"), sizeof(n->type));
		jnet_strlcpy(n->name, js(v, "name"), sizeof(n->name));
		n->ifid = (int)ju(v, "ifid");
		n->unit = (int)ju(v, "unit");
		n->persistent = jb(v, "persistent");
		n->pid = (long)ju(v, "pid");
	}
}

/*
 * ng_ether: one node per Ethernet interface, in the interface's vnet -- but none for
 * an eiface's interface where its eiface node is. sys/netgraph/ng_eiface.c
 * ng_eiface_constructor names the node after the interface ("ngethN") before
 * ether_ifattach, and sys/netgraph/ng_ether.c ng_ether_attach (FreeBSD 14, read at
 * commit cd698c5) makes no node when a node of the interface's name exists; a later
 * rename finds no node to rename (ng_ether_ifnet_arrival_event: IFP2NG(ifp) == NULL).
 * Moved into a jail (ether_reassign -> ng_ether_attach there) it gets one in the
 * jail's vnet. (The model decides by where the interface is, not by names at attach
 * time: jnet always names node and interface alike.)
 */
static void
ngs_ether_nodes(struct model *m, struct ngs *s)
{
	for (int i = 0; s->ether_loaded && i < m->nifs; i++) {
		const struct m_if *f = &m->ifs[i];
		struct ngn *n;
		bool at_node = false;

		if (!ethernet_kind(f->kind))
			continue;
		if (strcmp(f->kind, "ngeth") == 0)
			for (int j = 0; j < s->nn && !at_node; j++)
				at_node = strcmp(s->n[j].type, "eiface") == 0 &&
				    s->n[j].ifid == f->id && s->n[j].vnet == f->vnet;
		if (at_node)
			continue;
		n = node_add(s);
		n->id = ETHER_ID(f->id);
		n->vnet = f->vnet;
		n->ifid = f->id;
		n->ether = true;
		/* ng_ether_attach: priv from malloc(M_ZERO), autoSrcAddr never set: 0. (Only
		 * ng_ether_shutdown sets it to 1.) */
		n->autosrc = false;
		jnet_strlcpy(n->type, "ether", sizeof(n->type));
	}
}

/* The ether nodes' saved state and names. */
static void
ngs_ether_state(struct model *m, struct ngs *s, json_t *st)
{
	json_t *v;
	size_t k;

	json_array_foreach(json_object_get(st, "ether"), k, v) {
		struct ngn *n = byid(s, ETHER_ID(ju(v, "ifid")));

		/* State of an ether node left behind in another vnet went with that node
		 * (ether_reassign: ng_ether_detach there, a fresh ng_ether_attach here). */
		if (n == NULL || n->vnet != (int)ju(v, "vnet"))
			continue;
		n->promisc = jb(v, "promisc");
		n->autosrc = jb(v, "autosrc");
		if (jb(v, "named")) {
			n->named = true;
			jnet_strlcpy(n->name, js(v, "name"), sizeof(n->name));
		}
	}
	/* Their names: the interface's (sanitized: '.' and ':' become '_', as
	 * ng_ether_sanitize_ifname does) unless another node of the vnet has it. */
	for (int i = 0; i < s->nn; i++) {
		struct ngn *n = &s->n[i];
		struct m_if *f;
		char want[NAMSIZ];

		if (!n->ether || n->named || (f = model_if_byid(m, n->ifid)) == NULL)
			continue;
		jnet_strlcpy(want, f->name, sizeof(want));
		for (char *p = want; *p; p++)
			if (*p == '.' || *p == ':')
				*p = '_';
		if (byname(s, n->vnet, want) == NULL)
			jnet_strlcpy(n->name, want, sizeof(n->name));
	}
}

static void
ngs_load_edges(struct ngs *s, json_t *st)
{
	json_t *v;
	size_t k;

	json_array_foreach(json_object_get(st, "edges"), k, v) {
		struct nge *e = edge_add(s);
		json_t *sv = json_object_get(v, "stats"), *x;
		size_t j;

		e->a = (uint32_t)ju(v, "a");
		e->b = (uint32_t)ju(v, "b");
		jnet_strlcpy(e->ah, js(v, "ah"), sizeof(e->ah));
		jnet_strlcpy(e->bh, js(v, "bh"), sizeof(e->bh));
		json_array_foreach(sv, j, x)
			if (j < NSTATS)
				e->st[j] = (uint64_t)json_integer_value(x);
	}
}

/*
 * Edges whose ends are no longer in one vnet: an ng_ether node went with its interface
 * (if_vmove -> ether_reassign detaches the old node, breaking its hooks). And control
 * sockets of processes that are gone: the kernel shut their nodes down at close.
 */
static void
ngs_prune(struct ngs *s)
{
	for (int i = 0; i < s->ne;) {
		struct ngn *a = byid(s, s->e[i].a), *b = byid(s, s->e[i].b);

		if (a == NULL || b == NULL || a->vnet != b->vnet) {
			edge_remove(s, i);
			i = 0;
			continue;
		}
		i++;
	}
	for (int i = 0; i < s->nn; i++)
		if (strcmp(s->n[i].type, "socket") == 0 && pid_gone(s->n[i].pid)) {
			node_remove(s, s->n[i].id);
			i = -1;
		}
}

static void
ngs_load(struct model *m, struct ngs *s)
{
	json_t *st = json_object_get(m->ext, KEY); /* NULL: nothing yet */

	memset(s, 0, sizeof(*s));
	s->m = m;
	s->next_id = (uint32_t)ju(st, "next_id");
	if (s->next_id == 0)
		s->next_id = 1;
	s->ether_loaded = model_kmod_loaded(m, "ng_ether");
	ngs_load_nodes(s, st);
	ngs_ether_nodes(m, s);
	ngs_ether_state(m, s, st);
	ngs_load_edges(s, st);
	ngs_prune(s);
}

static void
ngs_save(struct model *m, struct ngs *s)
{
	json_t *st = json_object(), *nodes = json_array(), *ether = json_array();
	json_t *edges = json_array();

	json_object_set_new(st, "next_id", json_integer(s->next_id));
	for (int k = 0; k < s->nn; k++) {
		struct ngn *n = &s->n[k];
		json_t *o = json_object();

		if (n->ether) {
			if (!n->promisc && !n->autosrc && !n->named) { /* as attached */
				json_decref(o);
				continue;
			}
			json_object_set_new(o, "ifid", json_integer(n->ifid));
			json_object_set_new(o, "vnet", json_integer(n->vnet));
			json_object_set_new(o, "promisc", json_boolean(n->promisc));
			json_object_set_new(o, "autosrc", json_boolean(n->autosrc));
			if (n->named) {
				json_object_set_new(o, "named", json_true());
				json_object_set_new(o, "name", json_string(n->name));
			}
			json_array_append_new(ether, o);
			continue;
		}
		json_object_set_new(o, "id", json_integer(n->id));
		json_object_set_new(o, "vnet", json_integer(n->vnet));
		json_object_set_new(o, "type", json_string(n->type));
		json_object_set_new(o, "name", json_string(n->name));
		if (n->ifid)
			json_object_set_new(o, "ifid", json_integer(n->ifid));
		if (strcmp(n->type, "eiface") == 0)
			json_object_set_new(o, "unit", json_integer(n->unit));
		if (n->persistent)
			json_object_set_new(o, "persistent", json_true());
		if (n->pid)
			json_object_set_new(o, "pid", json_integer(n->pid));
		json_array_append_new(nodes, o);
	}
	for (int k = 0; k < s->ne; k++) {
		struct nge *e = &s->e[k];
		json_t *o = json_object(), *sv = json_array();
		bool any = false;

		json_object_set_new(o, "a", json_integer(e->a));
		json_object_set_new(o, "ah", json_string(e->ah));
		json_object_set_new(o, "b", json_integer(e->b));
		json_object_set_new(o, "bh", json_string(e->bh));
		for (int j = 0; j < NSTATS; j++) {
			any |= e->st[j] != 0;
			json_array_append_new(sv, json_integer((json_int_t)e->st[j]));
		}
		if (any)
			json_object_set_new(o, "stats", sv);
		else
			json_decref(sv);
		json_array_append_new(edges, o);
	}
	json_object_set_new(st, "nodes", nodes);
	json_object_set_new(st, "ether", ether);
	json_object_set_new(st, "edges", edges);
	json_object_set_new(m->ext, KEY, st);
}

/* ================================================================ graph operations */

static int
hooks_of(struct ngs *s, uint32_t id)
{
	int n = 0;

	for (int k = 0; k < s->ne; k++)
		n += (s->e[k].a == id) + (s->e[k].b == id);
	return n;
}

/* The edge at hook `hook` of node `id`, or -1; *peer and *peerhook set. */
static int
edge_at(struct ngs *s, uint32_t id, const char *hook, uint32_t *peer, const char **peerhook)
{
	for (int k = 0; k < s->ne; k++) {
		struct nge *e = &s->e[k];

		if (e->a == id && strcmp(e->ah, hook) == 0) {
			if (peer) *peer = e->b;
			if (peerhook) *peerhook = e->bh;
			return k;
		}
		if (e->b == id && strcmp(e->bh, hook) == 0) {
			if (peer) *peer = e->a;
			if (peerhook) *peerhook = e->ah;
			return k;
		}
	}
	return -1;
}

/* A node lost hook: what its type does then. */
static void
after_disconnect(struct ngs *s, uint32_t id)
{
	struct ngn *n = byid(s, id);

	if (n == NULL || hooks_of(s, id) > 0)
		return;
	if (strcmp(n->type, "ether") == 0) {
		/*
		 * ng_ether.c (FreeBSD 14, cd698c5) ng_ether_disconnect: no hooks left ->
		 * ng_rmnode_self, and ng_ether_shutdown resets the node instead of removing it
		 * (NG_NODE_REVIVE): promiscuous mode off, autoSrcAddr set to 1 -- which is not
		 * the 0 ng_ether_attach left it at.
		 */
		n->promisc = false;
		n->autosrc = true;
	} else if (strcmp(n->type, "bridge") == 0) {
		/* ng_bridge.c ng_bridge_disconnect: "If no more hooks, go away", unless
		 * persistent (ng_bridge(4) SHUTDOWN). */
		if (!n->persistent)
			node_remove(s, id);
	} else if (strcmp(n->type, "eiface") != 0 && strcmp(n->type, "socket") != 0) {
		/* Most node types go with their last hook (e.g. ng_hole); eiface does not
		 * (ng_eiface(4): "does not go away when all hooks have been disconnected"),
		 * a socket node lives as long as its socket. */
		node_remove(s, id);
	}
}

static void
edge_remove(struct ngs *s, int k)
{
	uint32_t a = s->e[k].a, b = s->e[k].b;

	s->e[k] = s->e[--s->ne];
	after_disconnect(s, a);
	after_disconnect(s, b);
}

/*
 * Remove a node: ng_rmnode breaks every edge (peers react), then the type's shutdown.
 * An eiface takes its interface with it, from whatever vnet it is in (ng_eiface.c
 * ng_eiface_rmnode: CURVNET_SET_QUIET(ifp->if_vnet); ether_ifdetach; if_free).
 */
static void
node_remove(struct ngs *s, uint32_t id)
{
	struct ngn *n = byid(s, id);
	int ifid;
	bool eiface;

	if (n == NULL)
		return;
	ifid = n->ifid;
	eiface = strcmp(n->type, "eiface") == 0;
	/* Take it out first, so that peers reacting to the lost edges do not find it. */
	*n = s->n[--s->nn];
	for (int k = 0; k < s->ne;) {
		if (s->e[k].a == id || s->e[k].b == id) {
			uint32_t other = s->e[k].a == id ? s->e[k].b : s->e[k].a;

			s->e[k] = s->e[--s->ne];
			after_disconnect(s, other);
			k = 0;
			continue;
		}
		k++;
	}
	if (eiface) {
		struct m_if *f = model_if_byid(s->m, ifid);

		if (f != NULL)
			model_if_remove(s->m, f); /* calls ng_if_removed (its ether node goes) */
	}
}

/* ---------------------------------------------------------------- names and paths */

/* ng_base.c ng_decodeidname: "[hex]" with 1..8 hex digits is an ID, not a name. */
static bool
id_form(const char *s, uint32_t *id)
{
	size_t n = strlen(s);
	unsigned long v;
	char *end;

	if (n < 3 || n > 10 || s[0] != '[' || s[n - 1] != ']')
		return false;
	for (size_t i = 1; i < n - 1; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	v = strtoul(s + 1, &end, 16);
	if (end != s + n - 1 || v == 0)
		return false;
	if (id)
		*id = (uint32_t)v;
	return true;
}

/*
 * ng_base.c ng_name_node: 1..NG_NODESIZ-1 characters, none of them '.' or ':', and not
 * an ID ("[1f]") -- else EINVAL.
 */
static int
name_ok(const char *name)
{
	size_t n = strnlen(name, NAMSIZ);

	if (n == 0 || n >= NAMSIZ || strpbrk(name, ".:") != NULL || id_form(name, NULL))
		return -EINVAL;
	return 0;
}

/* Has this process a control socket node in `vnet`? */
static bool
has_local_node(struct ngs *s, int vnet)
{
	long pid = (long)getpid();

	for (int k = 0; k < s->nn; k++)
		if (strcmp(s->n[k].type, "socket") == 0 && s->n[k].pid == pid &&
		    s->n[k].vnet == vnet)
			return true;
	return false;
}

/* The control socket node of this process in `vnet` (made on first use: NgMkSockNode). */
static struct ngn *
local_node(struct ngs *s, int vnet)
{
	long pid = (long)getpid();
	struct ngn *n;

	for (int k = 0; k < s->nn; k++)
		if (strcmp(s->n[k].type, "socket") == 0 && s->n[k].pid == pid &&
		    s->n[k].vnet == vnet)
			return &s->n[k];
	n = node_add(s);
	n->id = s->next_id++;
	n->vnet = vnet;
	n->pid = pid;
	jnet_strlcpy(n->type, "socket", sizeof(n->type));
	return n;
}

/*
 * ng_base.c ng_path_parse / ng_path2noderef: "NODE:HOOK.HOOK..." where NODE is a name,
 * "[ID]" or "." (the local node), or a relative "HOOK.HOOK" / "." from `here`. ENOENT: no
 * such node, or no such hook on the way; EINVAL: not a path.
 */
static int
resolve(struct ngs *s, int vnet, uint32_t here, const char *path, uint32_t *out)
{
	char buf[FBSD_NG_PATHSIZ], *colon, *hooks, *node;
	uint32_t at = here;

	if (path == NULL || path[0] == '\0' || strlen(path) >= sizeof(buf))
		return -EINVAL;
	jnet_strlcpy(buf, path, sizeof(buf));
	colon = strchr(buf, ':');
	if (colon != NULL) {
		*colon = '\0';
		node = buf;
		hooks = colon + 1;
		if (strchr(hooks, ':') != NULL || node[0] == '\0')
			return -EINVAL;
		if (strcmp(node, ".") != 0) {
			uint32_t id;
			struct ngn *n;

			if (id_form(node, &id))
				n = byid(s, id);
			else
				n = byname(s, vnet, node);
			if (n == NULL || n->vnet != vnet)
				return -ENOENT;
			at = n->id;
		}
	} else {
		hooks = strcmp(buf, ".") == 0 ? buf + 1 : buf;
	}
	while (*hooks != '\0') {
		char *dot = strchr(hooks, '.');
		uint32_t peer;

		if (dot != NULL)
			*dot = '\0';
		if (hooks[0] == '\0')
			return -EINVAL;
		if (edge_at(s, at, hooks, &peer, NULL) < 0)
			return -ENOENT;
		at = peer;
		hooks = dot ? dot + 1 : hooks + strlen(hooks);
	}
	*out = at;
	return 0;
}

/* ---------------------------------------------------------------- hooks */

/* "link12" / "uplink3" -> prefix length and number; false if not of that exact form. */
static bool
link_name(const char *name, const char **prefix, unsigned long *num)
{
	const char *p = name[0] == 'u' ? "uplink" : "link";
	size_t pl = strlen(p);
	char rebuilt[NAMSIZ];
	char *end;

	/* ng_bridge.c ng_bridge_newhook: longer than the prefix, decimal number that reads
	 * back identically ("link01" is refused). */
	if (strlen(name) <= strlen("link") || strncmp(name, p, pl) != 0)
		return false;
	*num = strtoul(name + pl, &end, 10);
	snprintf(rebuilt, sizeof(rebuilt), "%s%lu", p, *num);
	*prefix = p;
	return strcmp(rebuilt, name) == 0;
}

/*
 * May node `n` get a hook called `name` (ng_base.c ng_add_hook, then the type's newhook
 * method)? On success `out` holds the hook's final name (FreeBSD 15's ng_bridge numbers a
 * plain "link"/"uplink" itself). `peer` is the node on the other side (for ELOOP).
 */
static int
hook_ok(struct ngs *s, const struct ngn *n, const char *name, uint32_t peer, char out[NAMSIZ])
{
	size_t len = strnlen(name, NAMSIZ);

	/* ng_add_hook: a name is 1..NG_HOOKSIZ-1 characters without '.' or ':' (EINVAL);
	 * one that the node already has: EEXIST. */
	if (len == 0 || len >= NAMSIZ || strpbrk(name, ".:") != NULL)
		return -EINVAL;
	if (edge_at(s, n->id, name, NULL, NULL) >= 0)
		return -EEXIST;
	jnet_strlcpy(out, name, NAMSIZ);
	if (strcmp(n->type, "eiface") == 0) {
		/* ng_eiface.c ng_eiface_newhook: only "ether" (EPFNOSUPPORT), once (EISCONN). */
		if (strcmp(name, "ether") != 0)
			return -EPFNOSUPPORT;
		return 0;
	}
	if (strcmp(n->type, "ether") == 0) {
		/* ng_ether.c ng_ether_newhook: "divert" is another name for "lower"; upper,
		 * lower, orphans; each once (EISCONN); anything else EINVAL. */
		const char *slot = strcmp(name, "divert") == 0 ? "lower" : name;

		if (strcmp(slot, "lower") != 0 && strcmp(slot, "upper") != 0 &&
		    strcmp(slot, "orphans") != 0)
			return -EINVAL;
		if (strcmp(slot, "lower") == 0 && (edge_at(s, n->id, "lower", NULL, NULL) >= 0 ||
		    edge_at(s, n->id, "divert", NULL, NULL) >= 0))
			return -EISCONN;
		return 0;
	}
	if (strcmp(n->type, "bridge") == 0) {
		const char *prefix;
		unsigned long num;

		if (s->m->version >= 15 && (strcmp(name, "link") == 0 || strcmp(name, "uplink") == 0)) {
			/*
			 * FreeBSD 15: a plain "link" (or "uplink") hook gets the lowest free
			 * number from the bridge (vm-bhyve#133: "let kernel choose lowest
			 * available link"); uplinks start at 1 (uplink0 is invalid).
			 */
			for (unsigned long k = name[0] == 'u' ? 1 : 0;; k++) {
				snprintf(out, NAMSIZ, "%s%lu", name, k);
				if (edge_at(s, n->id, out, NULL, NULL) < 0)
					break;
			}
		} else if (!link_name(name, &prefix, &num)) {
			/* 14 and older: "link" alone is shorter-or-equal to the prefix: EINVAL. */
			return -EINVAL;
		} else if (num == 0 && strcmp(prefix, "uplink") == 0) {
			return -EINVAL;
		}
		if (peer == n->id)
			return -ELOOP;
		return 0;
	}
	/* socket and the rest: any name (ng_socket.c ngs_newhook). */
	return 0;
}

static void
connect_nodes(struct ngs *s, uint32_t a, const char *ah, uint32_t b, const char *bh)
{
	struct nge *e = edge_add(s);

	e->a = a;
	e->b = b;
	jnet_strlcpy(e->ah, ah, sizeof(e->ah));
	jnet_strlcpy(e->bh, bh, sizeof(e->bh));
}

/* ================================================================ the gate */

struct ngop {
	struct model *m;
	struct ngs s;
	uint32_t here;            /* this process's control socket node */
	bool kld;                 /* a module was loaded: kept even if the message fails */
};

static int
ng_begin(struct ngop *o, const char *op, const char *obj)
{
	int r = model_begin(&o->m, op, obj);

	if (r < 0)
		return r;
	o->kld = false;
	ngs_load(o->m, &o->s);
	cur = &o->s;
	if (!has_local_node(&o->s, MODEL_HOST) && !model_kmod_loaded(o->m, "ng_socket")) {
		/*
		 * The control socket is made on first use (NgMkSockNode). Without ng_socket,
		 * socket(AF_NETGRAPH) is EAFNOSUPPORT; lib/libnetgraph/sock.c NgMkSockNode
		 * (FreeBSD 14) then kldloads ng_socket.ko itself and fails with kldload's errno
		 * (EPERM in a jail or at securelevel > 0).
		 */
		if ((r = model_kmod_load(o->m, "ng_socket")) < 0) {
			cur = NULL;
			ngs_free(&o->s);
			return model_end(o->m, r);
		}
		o->kld = true;
	}
	o->here = local_node(&o->s, MODEL_HOST)->id;
	return 0;
}

static int
ng_end(struct ngop *o, int r)
{
	/* Primitives change nothing when they fail (model.h): only successes are kept. */
	if (r >= 0)
		ngs_save(o->m, &o->s);
	cur = NULL;
	ngs_free(&o->s);
	/* A module loaded on the way stays loaded though the message failed (kldload is not
	 * undone); nothing else of the failed message is kept. */
	if (r < 0 && o->kld)
		return model_end_dirty(o->m, r);
	return model_end(o->m, r);
}

static int
target(struct ngop *o, const char *path, struct ngn **n)
{
	uint32_t id;
	int r = resolve(&o->s, MODEL_HOST, o->here, path, &id);

	if (r < 0)
		return r;
	*n = byid(&o->s, id);
	return 0;
}

static void
info_of(struct ngs *s, const struct ngn *n, struct fbsd_ng_node *out)
{
	memset(out, 0, sizeof(*out));
	jnet_strlcpy(out->name, n->name, sizeof(out->name));
	jnet_strlcpy(out->type, n->type, sizeof(out->type));
	out->id = n->id;
	out->hooks = (unsigned)hooks_of(s, n->id);
}

/* ================================================================ primitives */

/* A new node of `type` in `vnet` (not yet connected); -errno if the type cannot be made. */
static int
type_ok(const char *type)
{
	/*
	 * ng_base.c ng_make_node: an unknown type is ENXIO (ngc_send loaded its module
	 * first: type_load). ng_ether.c (FreeBSD 14, cd698c5) ng_ether_constructor: "It is
	 * not possible or allowable to create a node of this type": EINVAL.
	 * ng_socket.c ngs_constructor: sockets are made with socket(2) only (EINVAL). The
	 * model knows eiface, bridge and hole.
	 */
	if (strcmp(type, "ether") == 0)
		return -EINVAL;
	if (strcmp(type, "socket") == 0)
		return -EINVAL;
	if (strcmp(type, "eiface") != 0 && strcmp(type, "bridge") != 0 &&
	    strcmp(type, "hole") != 0)
		return -ENXIO;
	return 0;
}

/*
 * sys/netgraph/ng_socket.c ngc_send (FreeBSD 14): NGM_MKPEER of a type the kernel does not
 * know loads module ng_TYPE (kern_kldload: EPERM in a jail or at securelevel > 0, ENOENT
 * when there is no such module) and fails with that error; ENXIO only when the module
 * loads but brings no such type. Types of the model: eiface, bridge, ether (modules of
 * their own), socket and hole (always there).
 */
static int
type_load(struct ngop *o, const char *type)
{
	char mod[NAMSIZ + 4];
	int r;

	if (strcmp(type, "socket") == 0 || strcmp(type, "hole") == 0)
		return 0;
	snprintf(mod, sizeof(mod), "ng_%s", type);
	if (model_kmod_loaded(o->m, mod))
		return 0;
	if ((r = model_kmod_load(o->m, mod)) < 0)
		return r;
	o->kld = true;
	if (strcmp(type, "ether") == 0) {
		/* ng_ether's load attaches a node to every Ethernet interface (ng_ether_mod_event):
		 * the model makes them at its next look. */
		o->s.ether_loaded = true;
	}
	return 0;
}

static struct ngn *
make_node(struct ngs *s, int vnet, const char *type)
{
	struct ngn *n = node_add(s);
	uint32_t id = s->next_id++;

	n->id = id;
	n->vnet = vnet;
	jnet_strlcpy(n->type, type, sizeof(n->type));
	if (strcmp(type, "eiface") == 0) {
		char ifname[JNET_IFNAMSIZ];
		struct m_if *f;
		int unit;

		/*
		 * ng_eiface.c ng_eiface_constructor: the lowest free unit of the vnet's
		 * V_ng_eiface_unit (ng_eiface(4): "New nodes always take the first unused
		 * interface"), an Ethernet interface "ngeth<unit>" in the node's vnet, down,
		 * with a kernel MAC; the node is named after it when that name is free.
		 */
		for (unit = 0;; unit++) {
			bool used = false;

			for (int k = 0; k < s->nn && !used; k++)
				used = s->n[k].vnet == vnet && s->n[k].id != id &&
				    strcmp(s->n[k].type, "eiface") == 0 && s->n[k].unit == unit;
			if (!used)
				break;
		}
		snprintf(ifname, sizeof(ifname), "ngeth%d", unit);
		f = model_if_new(s->m, vnet, ifname, "ngeth", false, -1);
		f->has_mac = true;
		model_gen_mac(s->m, f->mac);
		n = byid(s, id);
		n->unit = unit;
		n->ifid = f->id;
		if (byname(s, vnet, ifname) == NULL)
			jnet_strlcpy(n->name, ifname, sizeof(n->name));
		/* ether_ifattach -> ng_ether_attach: no ether node, the name is the eiface
		 * node's (see ngs_load). */
	}
	return n;
}

int
fbsd_ng_mkpeer(const char *path, const char *type, const char *ourhook, const char *peerhook)
{
	struct ngop o;
	struct ngn *here, probe;
	char h1[NAMSIZ], h2[NAMSIZ];
	uint32_t hid, nid;
	int r;

	if ((r = ng_begin(&o, "NGM_MKPEER", path)) < 0)
		return r;
	if ((r = target(&o, path, &here)) < 0)
		return ng_end(&o, r);
	/*
	 * ng_base.c ng_mkpeer: make the node (type errors first), add our hook, add its hook;
	 * on an error the new node is removed again. The model checks everything before it
	 * makes anything, which leaves the same state.
	 */
	if ((r = type_load(&o, type)) < 0 || (r = type_ok(type)) < 0)
		return ng_end(&o, r);
	if ((r = hook_ok(&o.s, here, ourhook, 0, h1)) < 0)
		return ng_end(&o, r);
	memset(&probe, 0, sizeof(probe));
	jnet_strlcpy(probe.type, type, sizeof(probe.type));
	probe.id = 0xffffffffu;
	if ((r = hook_ok(&o.s, &probe, peerhook, here->id, h2)) < 0)
		return ng_end(&o, r);
	hid = here->id;
	nid = make_node(&o.s, here->vnet, type)->id;
	connect_nodes(&o.s, hid, h1, nid, h2);
	return ng_end(&o, 0);
}

int
fbsd_ng_connect(const char *path, const char *peerpath, const char *ourhook,
    const char *peerhook)
{
	struct ngop o;
	struct ngn *here, *there;
	char h1[NAMSIZ], h2[NAMSIZ];
	uint32_t tid;
	int r;

	if ((r = ng_begin(&o, "NGM_CONNECT", path)) < 0)
		return r;
	if ((r = target(&o, path, &here)) < 0)
		return ng_end(&o, r);
	/* ng_base.c ng_generic_msg NGM_CONNECT: the peer path is relative to the receiving
	 * node; ng_con_nodes adds our hook, then the peer's. */
	if ((r = resolve(&o.s, here->vnet, here->id, peerpath, &tid)) < 0)
		return ng_end(&o, r);
	there = byid(&o.s, tid);
	if ((r = hook_ok(&o.s, here, ourhook, there->id, h1)) < 0)
		return ng_end(&o, r);
	if ((r = hook_ok(&o.s, there, peerhook, here->id, h2)) < 0)
		return ng_end(&o, r);
	connect_nodes(&o.s, here->id, h1, there->id, h2);
	return ng_end(&o, 0);
}

int
fbsd_ng_name(const char *path, const char *name)
{
	struct ngop o;
	struct ngn *n;
	int r;

	if ((r = ng_begin(&o, "NGM_NAME", path)) < 0)
		return r;
	if ((r = target(&o, path, &n)) < 0)
		return ng_end(&o, r);
	/* ng_base.c ng_name_node: EINVAL for a bad name; EADDRINUSE when any node of the
	 * vnet has it -- the node itself included. A named node can be renamed. */
	if ((r = name_ok(name)) < 0)
		return ng_end(&o, r);
	if (byname(&o.s, n->vnet, name) != NULL)
		return ng_end(&o, -EADDRINUSE);
	jnet_strlcpy(n->name, name, sizeof(n->name));
	if (n->ether)
		n->named = true;
	return ng_end(&o, 0);
}

int
fbsd_ng_rmhook(const char *path, const char *hook)
{
	struct ngop o;
	struct ngn *n;
	int r, k;

	if ((r = ng_begin(&o, "NGM_RMHOOK", path)) < 0)
		return r;
	if ((r = target(&o, path, &n)) < 0)
		return ng_end(&o, r);
	/* ng_base.c ng_generic_msg NGM_RMHOOK: destroys the hook if the node has it; no
	 * such hook is not an error. */
	if ((k = edge_at(&o.s, n->id, hook, NULL, NULL)) >= 0)
		edge_remove(&o.s, k);
	return ng_end(&o, 0);
}

int
fbsd_ng_shutdown(const char *path)
{
	struct ngop o;
	struct ngn *n;
	int r;

	if ((r = ng_begin(&o, "NGM_SHUTDOWN", path)) < 0)
		return r;
	if ((r = target(&o, path, &n)) < 0)
		return ng_end(&o, r);
	if (n->ether) {
		/* ng_ether(4) SHUTDOWN: "all hooks are disconnected, promiscuous mode is
		 * disabled, but the node is not removed". */
		uint32_t id = n->id;

		for (int k = 0; k < o.s.ne;) {
			if (o.s.e[k].a == id || o.s.e[k].b == id) {
				edge_remove(&o.s, k);
				k = 0;
				continue;
			}
			k++;
		}
		n = byid(&o.s, id);
		n->promisc = false;
		n->autosrc = true;
		return ng_end(&o, 0);
	}
	node_remove(&o.s, n->id);
	return ng_end(&o, 0);
}

int
fbsd_ng_nodeinfo(const char *path, struct fbsd_ng_node *out)
{
	struct ngop o;
	struct ngn *n;
	int r;

	if ((r = ng_begin(&o, "NGM_NODEINFO", path)) < 0)
		return r;
	if ((r = target(&o, path, &n)) < 0)
		return ng_end(&o, r);
	info_of(&o.s, n, out);
	return ng_end(&o, 0);
}

int
fbsd_ng_listhooks(const char *path, struct fbsd_ng_node *node, struct fbsd_ng_hook *hooks,
    int max)
{
	struct ngop o;
	struct ngn *n;
	int r, cnt = 0;

	if ((r = ng_begin(&o, "NGM_LISTHOOKS", path)) < 0)
		return r;
	if ((r = target(&o, path, &n)) < 0)
		return ng_end(&o, r);
	if (node != NULL)
		info_of(&o.s, n, node);
	for (int k = 0; k < o.s.ne; k++) {
		struct nge *e = &o.s.e[k];
		bool a = e->a == n->id, b = e->b == n->id;

		for (int side = 0; side < 2; side++) {
			if (!(side == 0 ? a : b))
				continue;
			if (cnt < max) {
				struct fbsd_ng_hook *h = &hooks[cnt];

				memset(h, 0, sizeof(*h));
				jnet_strlcpy(h->hook, side == 0 ? e->ah : e->bh, sizeof(h->hook));
				jnet_strlcpy(h->peerhook, side == 0 ? e->bh : e->ah,
				    sizeof(h->peerhook));
				info_of(&o.s, byid(&o.s, side == 0 ? e->b : e->a), &h->peer);
			}
			cnt++;
		}
	}
	model_trace_list(cnt);
	return ng_end(&o, cnt);
}

int
fbsd_ng_listnodes(bool named_only, struct fbsd_ng_node *nodes, int max)
{
	struct ngop o;
	int r, cnt = 0;

	if ((r = ng_begin(&o, named_only ? "NGM_LISTNAMES" : "NGM_LISTNODES", "")) < 0)
		return r;
	/* ng_base.c ng_generic_msg NGM_LISTNODES/NGM_LISTNAMES: the nodes of the vnet
	 * (ours too), named ones only for LISTNAMES. */
	for (int k = 0; k < o.s.nn; k++) {
		struct ngn *n = &o.s.n[k];

		if (n->vnet != MODEL_HOST || (named_only && n->name[0] == '\0'))
			continue;
		if (cnt < max)
			info_of(&o.s, n, &nodes[cnt]);
		cnt++;
	}
	model_trace_list(cnt);
	return ng_end(&o, cnt);
}

static int
typed(struct ngop *o, const char *path, const char *type, struct ngn **n)
{
	int r = target(o, path, n);

	if (r < 0)
		return r;
	/* A message of another type's cookie: the node's rcvmsg answers EINVAL
	 * (ng_ether.c ng_ether_rcvmsg, FreeBSD 14 cd698c5: "default: error = EINVAL" for an
	 * unknown cookie or command; ng_eiface.c and ng_bridge.c alike). */
	return strcmp((*n)->type, type) == 0 ? 0 : -EINVAL;
}

int
fbsd_ng_eiface_ifname(const char *path, char ifname[JNET_IFNAMSIZ])
{
	struct ngop o;
	struct ngn *n;
	struct m_if *f;
	int r;

	if ((r = ng_begin(&o, "NGM_EIFACE_GET_IFNAME", path)) < 0)
		return r;
	if ((r = typed(&o, path, "eiface", &n)) < 0)
		return ng_end(&o, r);
	/* ng_eiface.c NGM_EIFACE_GET_IFNAME: if_xname, in whatever vnet the interface is. */
	if ((f = model_if_byid(o.m, n->ifid)) == NULL)
		return ng_end(&o, -ENXIO);
	jnet_strlcpy(ifname, f->name, JNET_IFNAMSIZ);
	return ng_end(&o, 0);
}

int
fbsd_ng_eiface_mac(const char *path, uint8_t mac[6])
{
	struct ngop o;
	struct ngn *n;
	struct m_if *f;
	int r;

	if ((r = ng_begin(&o, "NGM_EIFACE_GET_IFADDRS", path)) < 0)
		return r;
	if ((r = typed(&o, path, "eiface", &n)) < 0)
		return ng_end(&o, r);
	/* ng_eiface.c NGM_EIFACE_GET_IFADDRS: the interface's addresses, the link-level
	 * one first, from whatever vnet it is in. */
	if ((f = model_if_byid(o.m, n->ifid)) == NULL || !f->has_mac)
		return ng_end(&o, -ENOENT);
	memcpy(mac, f->mac, 6);
	return ng_end(&o, 0);
}

int
fbsd_ng_eiface_set_mac(const char *path, const uint8_t mac[6])
{
	struct ngop o;
	struct ngn *n;
	struct m_if *f;
	int r;

	if ((r = ng_begin(&o, "NGM_EIFACE_SET", path)) < 0)
		return r;
	if ((r = typed(&o, path, "eiface", &n)) < 0)
		return ng_end(&o, r);
	/* ng_eiface.c NGM_EIFACE_SET: 6 bytes, if_setlladdr (any address is taken). */
	if ((f = model_if_byid(o.m, n->ifid)) == NULL)
		return ng_end(&o, -ENXIO);
	memcpy(f->mac, mac, 6);
	return ng_end(&o, 0);
}

static int
ether_flag(const char *op, const char *path, bool on, bool promisc)
{
	struct ngop o;
	struct ngn *n;
	int r;

	if ((r = ng_begin(&o, op, path)) < 0)
		return r;
	if ((r = typed(&o, path, "ether", &n)) < 0)
		return ng_end(&o, r);
	/* ng_ether.c NGM_ETHER_SET_PROMISC / _AUTOSRC: a 32-bit flag, non-zero is on. */
	if (promisc)
		n->promisc = on;
	else
		n->autosrc = on;
	return ng_end(&o, 0);
}

int
fbsd_ng_ether_set_promisc(const char *path, bool on)
{
	return ether_flag("NGM_ETHER_SET_PROMISC", path, on, true);
}

int
fbsd_ng_ether_set_autosrc(const char *path, bool on)
{
	return ether_flag("NGM_ETHER_SET_AUTOSRC", path, on, false);
}

int
fbsd_ng_bridge_stats(const char *path, int link, struct fbsd_ng_bridge_stats *out)
{
	struct ngop o;
	struct ngn *n;
	char hook[NAMSIZ];
	uint32_t peer;
	int r, k;

	if ((r = ng_begin(&o, "NGM_BRIDGE_GET_STATS", path)) < 0)
		return r;
	if ((r = typed(&o, path, "bridge", &n)) < 0)
		return ng_end(&o, r);
	/* ng_bridge.c NGM_BRIDGE_GET_STATS: a negative number names uplink<-n>; no such
	 * hook: ENOTCONN. */
	if (link < 0)
		snprintf(hook, sizeof(hook), "uplink%d", -link);
	else
		snprintf(hook, sizeof(hook), "link%d", link);
	if ((k = edge_at(&o.s, n->id, hook, &peer, NULL)) < 0)
		return ng_end(&o, -ENOTCONN);
	{
		const uint64_t *v = o.s.e[k].st;

		*out = (struct fbsd_ng_bridge_stats){ v[0], v[1], v[2], v[3], v[4], v[5], v[6],
		    v[7], v[8], v[9], v[10], v[11], v[12], v[13] };
	}
	return ng_end(&o, 0);
}

int
fbsd_ng_bridge_set_persistent(const char *path)
{
	struct ngop o;
	struct ngn *n;
	int r;

	if ((r = ng_begin(&o, "NGM_BRIDGE_SET_PERSISTENT", path)) < 0)
		return r;
	if ((r = typed(&o, path, "bridge", &n)) < 0)
		return ng_end(&o, r);
	n->persistent = true;
	return ng_end(&o, 0);
}

static int
close_fn(struct model *m, void *arg)
{
	struct ngs s;
	long pid = (long)getpid();

	(void)arg;
	ngs_load(m, &s);
	cur = &s;
	for (int k = 0; k < s.nn; k++)
		if (strcmp(s.n[k].type, "socket") == 0 && s.n[k].pid == pid) {
			node_remove(&s, s.n[k].id);
			k = -1;
		}
	ngs_save(m, &s);
	cur = NULL;
	ngs_free(&s);
	return 0;
}

void
fbsd_ng_close(void)
{
	/* close(2) of the control socket: ng_socket shuts its node down. Not a message, so
	 * not a counted (faultable) primitive. */
	(void)model_ctl(close_fn, NULL);
}

/* ================================================================ model.c's callbacks */

static void
ng_if_removed(struct model *m, const struct m_if *i)
{
	struct ngs own, *s = cur;

	if (s == NULL) {
		/* Called from an ifnet primitive: work on our own copy (and let the callbacks
		 * this makes, e.g. an eiface's interface going, see the same copy). */
		ngs_load(m, &own);
		s = cur = &own;
	}
	/* ether_ifdetach -> ng_ether_detach: the interface's ether node goes, with its
	 * hooks. An eiface whose interface goes some other way goes too. */
	node_remove(s, ETHER_ID(i->id));
	for (int k = 0; k < s->nn; k++)
		if (strcmp(s->n[k].type, "eiface") == 0 && s->n[k].ifid == i->id) {
			s->n[k].ifid = 0; /* its interface is going already: do not remove it twice */
			node_remove(s, s->n[k].id);
			break;
		}
	if (s == &own) {
		ngs_save(m, s);
		ngs_free(s);
		cur = NULL;
	}
}

static void
ng_vnet_teardown(struct model *m, int vnet)
{
	struct ngs own, *s = cur;

	if (s == NULL) {
		/* Called from an ifnet primitive: work on our own copy (and let the callbacks
		 * this makes, e.g. an eiface's interface going, see the same copy). */
		ngs_load(m, &own);
		s = cur = &own;
	}
	/* Netgraph is per vnet (VNET_SYSUNINIT of ng_base): the vnet's nodes are shut down;
	 * an eiface takes its interface along, wherever that is. */
	for (int k = 0; k < s->nn; k++)
		if (s->n[k].vnet == vnet && !s->n[k].ether) {
			node_remove(s, s->n[k].id);
			k = -1;
		}
	if (s == &own) {
		ngs_save(m, s);
		ngs_free(s);
		cur = NULL;
	}
}

/* ---------------------------------------------------------------- observable dump */

static void
label_of(const struct model *m, const struct ngn *n, char *buf, size_t len)
{
	const struct m_if *f = model_if_byid((struct model *)m, n->ifid);

	if (n->name[0] != '\0')
		snprintf(buf, len, "%s", n->name);
	else if (f != NULL)
		snprintf(buf, len, "%s(%s)", n->type, f->name);
	else
		snprintf(buf, len, "%s", n->type);
}

static int
cmp_json_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
	    json_string_value(*(json_t *const *)b));
}

/* Sort an array of strings (in place, through a copy). */
static json_t *
sorted(json_t *a)
{
	size_t n = json_array_size(a);
	json_t **v = calloc(n + 1, sizeof(*v)), *out = json_array();

	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(a, i);
	qsort(v, n, sizeof(*v), cmp_json_str);
	for (size_t i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	json_decref(a);
	return out;
}

/* What can be seen of node N, or NULL: control sockets (they belong to processes, not to
 * the configuration) and untouched ng_ether nodes (one per Ethernet interface, always
 * there) are not. No IDs: they differ between equal states. */
static json_t *
ng_dump_node(const struct model *m, struct ngs *s, const struct ngn *n)
{
	char la[64], in[JNET_JAILNAMSIZ + 16], line[JNET_JAILNAMSIZ + 96];
	json_t *j;

	if (strcmp(n->type, "socket") == 0)
		return NULL;
	/* autoSrcAddr only acts on frames from the lower hook: with no hook it is not
	 * observable (and the last hook's going sets it to 1: ng_ether_shutdown). */
	if (n->ether && !n->promisc && !n->named && hooks_of(s, n->id) == 0)
		return NULL;
	label_of(m, n, la, sizeof(la));
	j = json_object();
	snprintf(line, sizeof(line), "%s %s", model_vnet_name(m, n->vnet, in, sizeof(in)), la);
	json_object_set_new(j, "node", json_string(line));
	json_object_set_new(j, "type", json_string(n->type));
	if (strcmp(n->type, "eiface") == 0) {
		const struct m_if *f = model_if_byid((struct model *)m, n->ifid);

		json_object_set_new(j, "ifname", f ? json_string(f->name) : json_null());
	}
	if (strcmp(n->type, "bridge") == 0)
		json_object_set_new(j, "persistent", json_boolean(n->persistent));
	if (n->ether) {
		json_object_set_new(j, "promisc", json_boolean(n->promisc));
		json_object_set_new(j, "autosrc", json_boolean(n->autosrc));
	}
	return j;
}

/* Edge E as "A:HOOK -- B:HOOK", the ends in order. */
static json_t *
ng_dump_edge(const struct model *m, struct ngs *s, const struct nge *e)
{
	char la[64], lb[64], line[300], x[128], y[128];

	label_of(m, byid(s, e->a), la, sizeof(la));
	label_of(m, byid(s, e->b), lb, sizeof(lb));
	snprintf(x, sizeof(x), "%s:%s", la, e->ah);
	snprintf(y, sizeof(y), "%s:%s", lb, e->bh);
	if (strcmp(x, y) < 0)
		snprintf(line, sizeof(line), "%s -- %s", x, y);
	else
		snprintf(line, sizeof(line), "%s -- %s", y, x);
	return json_string(line);
}

/* NODES sorted by their "node" line (NODES is consumed). */
static json_t *
sorted_by_node(json_t *nodes)
{
	size_t n = json_array_size(nodes);
	json_t *out = json_array();

	for (size_t i = 0; i < n; i++) {
		size_t best = 0;
		const char *bs = NULL;

		for (size_t j = 0; j < json_array_size(nodes); j++) {
			const char *t = json_string_value(json_object_get(json_array_get(nodes, j), "node"));

			if (bs == NULL || strcmp(t, bs) < 0) {
				bs = t;
				best = j;
			}
		}
		json_array_append(out, json_array_get(nodes, best));
		json_array_remove(nodes, best);
	}
	json_decref(nodes);
	return out;
}

static json_t *
ng_dump(const struct model *m)
{
	json_t *o = json_object(), *nodes = json_array(), *edges = json_array(), *j;
	struct ngs s;

	ngs_load((struct model *)m, &s);
	for (int k = 0; k < s.nn; k++)
		if ((j = ng_dump_node(m, &s, &s.n[k])) != NULL)
			json_array_append_new(nodes, j);
	for (int k = 0; k < s.ne; k++)
		json_array_append_new(edges, ng_dump_edge(m, &s, &s.e[k]));
	json_object_set_new(o, "ether_loaded", json_boolean(s.ether_loaded));
	json_object_set_new(o, "nodes", sorted_by_node(nodes));
	json_object_set_new(o, "edges", sorted(edges));
	ngs_free(&s);
	return o;
}

static void ng_kmod_unload(struct model *m, const char *module);

const struct model_ext_ops model_ng_ext = {
	.key = KEY,
	.vnet_teardown = ng_vnet_teardown,
	.if_removed = ng_if_removed,
	.dump = ng_dump,
	.kmod_unload = ng_kmod_unload,
};

/* ================================================================ controls */

static void
ng_kmod_unload(struct model *m, const char *module)
{
	struct ngs s;

	if (strcmp(module, "ng_ether") != 0)
		return;
	ngs_load(m, &s);
	cur = &s;
	/* kldunload ng_ether: every ether node goes, with its hooks. */
	for (int k = 0; k < s.nn; k++)
		if (s.n[k].ether) {
			node_remove(&s, s.n[k].id);
			k = -1;
		}
	ngs_save(m, &s);
	cur = NULL;
	ngs_free(&s);
}

static int
ether_fn(struct model *m, void *arg)
{
	if (!*(bool *)arg && model_kmod_loaded(m, "ng_ether"))
		ng_kmod_unload(m, "ng_ether");
	model_kmod_set(m, "ng_ether", *(bool *)arg);
	return 0;
}

int
model_ng_ctl_ether(bool loaded)
{
	return model_ctl(ether_fn, &loaded);
}

struct flags_arg {
	const char *path;
	bool promisc, autosrc;
};

static int
flags_fn(struct model *m, void *arg)
{
	struct flags_arg *a = arg;
	struct ngs s;
	uint32_t id;
	struct ngn *n;
	int r;

	ngs_load(m, &s);
	r = resolve(&s, MODEL_HOST, 0, a->path, &id);
	if (r == 0 && ((n = byid(&s, id)) == NULL || !n->ether))
		r = -EINVAL;
	if (r == 0) {
		a->promisc = n->promisc;
		a->autosrc = n->autosrc;
	}
	ngs_free(&s);
	return r < 0 ? r : 1;
}

int
model_ng_ctl_ether_flags(const char *path, bool *promisc, bool *autosrc)
{
	struct flags_arg a = { path, false, false };
	int r = model_ctl(flags_fn, &a);

	*promisc = a.promisc;
	*autosrc = a.autosrc;
	return r;
}

struct stats_arg {
	const char *bridge, *hook;
	uint64_t base;
};

static int
stats_fn(struct model *m, void *arg)
{
	struct stats_arg *a = arg;
	struct ngs s;
	struct ngn *b;
	int k, r = 0;

	ngs_load(m, &s);
	b = byname(&s, MODEL_HOST, a->bridge);
	if (b == NULL || strcmp(b->type, "bridge") != 0)
		r = -ENOENT;
	else if ((k = edge_at(&s, b->id, a->hook, NULL, NULL)) < 0)
		r = -ENOTCONN;
	else
		for (int j = 0; j < NSTATS; j++)
			s.e[k].st[j] = a->base + (uint64_t)j;
	if (r == 0)
		ngs_save(m, &s);
	ngs_free(&s);
	return r;
}

int
model_ng_ctl_stats(const char *bridge, const char *hook, uint64_t base)
{
	struct stats_arg a = { bridge, hook, base };

	return model_ctl(stats_fn, &a);
}
