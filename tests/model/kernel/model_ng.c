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
#include "model_ng_priv.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The state being worked on, for the callbacks model.c makes while a primitive runs. */
struct ngs *ngm_cur;

/* ================================================================ state */

struct ngn *
ngm_node_add(struct ngs *s)
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

struct nge *
ngm_edge_add(struct ngs *s)
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

struct ngn *
ngm_byid(struct ngs *s, uint32_t id)
{
	for (int k = 0; k < s->nn; k++)
		if (s->n[k].id == id)
			return &s->n[k];
	return NULL;
}

struct ngn *
ngm_byname(struct ngs *s, int vnet, const char *name)
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

void
ngm_free(struct ngs *s)
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
		struct ngn *n = ngm_node_add(s);

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
		n = ngm_node_add(s);
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
		struct ngn *n = ngm_byid(s, ETHER_ID(ju(v, "ifid")));

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
		if (ngm_byname(s, n->vnet, want) == NULL)
			jnet_strlcpy(n->name, want, sizeof(n->name));
	}
}

static void
ngs_load_edges(struct ngs *s, json_t *st)
{
	json_t *v;
	size_t k;

	json_array_foreach(json_object_get(st, "edges"), k, v) {
		struct nge *e = ngm_edge_add(s);
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
		struct ngn *a = ngm_byid(s, s->e[i].a), *b = ngm_byid(s, s->e[i].b);

		if (a == NULL || b == NULL || a->vnet != b->vnet) {
			ngm_edge_remove(s, i);
			i = 0;
			continue;
		}
		i++;
	}
	for (int i = 0; i < s->nn; i++)
		if (strcmp(s->n[i].type, "socket") == 0 && pid_gone(s->n[i].pid)) {
			ngm_node_remove(s, s->n[i].id);
			i = -1;
		}
}

void
ngm_load(struct model *m, struct ngs *s)
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

void
ngm_save(struct model *m, struct ngs *s)
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

/* ================================================================ model.c's callbacks */

static void
ng_if_removed(struct model *m, const struct m_if *i)
{
	struct ngs own, *s = ngm_cur;

	if (s == NULL) {
		/* Called from an ifnet primitive: work on our own copy (and let the callbacks
		 * this makes, e.g. an eiface's interface going, see the same copy). */
		ngm_load(m, &own);
		s = ngm_cur = &own;
	}
	/* ether_ifdetach -> ng_ether_detach: the interface's ether node goes, with its
	 * hooks. An eiface whose interface goes some other way goes too. */
	ngm_node_remove(s, ETHER_ID(i->id));
	for (int k = 0; k < s->nn; k++)
		if (strcmp(s->n[k].type, "eiface") == 0 && s->n[k].ifid == i->id) {
			s->n[k].ifid = 0; /* its interface is going already: do not remove it twice */
			ngm_node_remove(s, s->n[k].id);
			break;
		}
	if (s == &own) {
		ngm_save(m, s);
		ngm_free(s);
		ngm_cur = NULL;
	}
}

static void
ng_vnet_teardown(struct model *m, int vnet)
{
	struct ngs own, *s = ngm_cur;

	if (s == NULL) {
		/* Called from an ifnet primitive: work on our own copy (and let the callbacks
		 * this makes, e.g. an eiface's interface going, see the same copy). */
		ngm_load(m, &own);
		s = ngm_cur = &own;
	}
	/* Netgraph is per vnet (VNET_SYSUNINIT of ng_base): the vnet's nodes are shut down;
	 * an eiface takes its interface along, wherever that is. */
	for (int k = 0; k < s->nn; k++)
		if (s->n[k].vnet == vnet && !s->n[k].ether) {
			ngm_node_remove(s, s->n[k].id);
			k = -1;
		}
	if (s == &own) {
		ngm_save(m, s);
		ngm_free(s);
		ngm_cur = NULL;
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
	if (n->ether && !n->promisc && !n->named && ngm_hooks_of(s, n->id) == 0)
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

	label_of(m, ngm_byid(s, e->a), la, sizeof(la));
	label_of(m, ngm_byid(s, e->b), lb, sizeof(lb));
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

	ngm_load((struct model *)m, &s);
	for (int k = 0; k < s.nn; k++)
		if ((j = ng_dump_node(m, &s, &s.n[k])) != NULL)
			json_array_append_new(nodes, j);
	for (int k = 0; k < s.ne; k++)
		json_array_append_new(edges, ng_dump_edge(m, &s, &s.e[k]));
	json_object_set_new(o, "ether_loaded", json_boolean(s.ether_loaded));
	json_object_set_new(o, "nodes", sorted_by_node(nodes));
	json_object_set_new(o, "edges", sorted(edges));
	ngm_free(&s);
	return o;
}

const struct model_ext_ops model_ng_ext = {
	.key = KEY,
	.vnet_teardown = ng_vnet_teardown,
	.if_removed = ng_if_removed,
	.dump = ng_dump,
	.kmod_unload = ngm_kmod_unload,
};
