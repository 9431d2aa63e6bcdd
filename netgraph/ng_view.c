/* The netgraph backend: link stats (NGM_BRIDGE_GET_STATS) and the graph, as data. */
#include "ng_priv.h"

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
int
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

int
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
