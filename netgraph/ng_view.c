/* The netgraph backend: stats (NGM_BRIDGE_GET_STATS) and the Graphviz graph. */
#include "ng_priv.h"

#include <jansson.h>

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
stats_json(json_t *o, const struct fbsd_ng_bridge_stats *s)
{
	/* The field names ngctl prints for getstats (ng_bridge.h NG_BRIDGE_STATS_TYPE_INFO),
	 * which is what jng stats shows. */
	const struct { const char *k; uint64_t v; } f[] = {
		{ "recvOctets", s->recv_octets }, { "recvPackets", s->recv_packets },
		{ "recvMulticast", s->recv_multicasts }, { "recvBroadcast", s->recv_broadcasts },
		{ "recvUnknown", s->recv_unknown }, { "recvRunts", s->recv_runts },
		{ "recvInvalid", s->recv_invalid }, { "xmitOctets", s->xmit_octets },
		{ "xmitPackets", s->xmit_packets }, { "xmitMulticasts", s->xmit_multicasts },
		{ "xmitBroadcasts", s->xmit_broadcasts }, { "loopDrops", s->loop_drops },
		{ "loopDetects", s->loop_detects }, { "memoryFailures", s->memory_failures },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		json_object_set_new(o, f[i].k, json_integer((json_int_t)f[i].v));
}

int
ng_stats(void *priv, const char *jail, void *json_out, struct jnet_err *e)
{
	json_t *out = json_out;
	int misses = 0, found = 0, r;

	(void)priv;
	if ((r = jnet_jail_name_check(jail, e)) < 0)
		return r;
	for (int i = 0; i < JNET_MAXLINKS && misses < PROBE_GAP; i++) {
		char name[JNET_IFNAMSIZ], bpath[FBSD_NG_PATHSIZ];
		struct jnet_link_info l;
		struct fbsd_ng_bridge_stats st;
		struct lx lx;
		json_t *o;
		int num;

		jnet_ifname(name, JNET_NAMES_NG, jail, i, 'a');
		r = get_link(name, &l, &lx, e);
		if (r == -ENODEV || r == -EPERM) {
			jnet_err_clear(e);
			misses += r == -ENODEV;
			continue;
		}
		if (r < 0)
			return r;
		misses = 0;
		if (l.tagged && (strcmp(l.jail, jail) != 0 || l.index != i))
			continue; /* somebody else's */
		found++;
		o = json_object();
		json_object_set_new(o, "bridge", l.bridge[0] ? json_string(l.bridge) : json_null());
		json_object_set_new(o, "hook", lx.hook[0] ? json_string(lx.hook) : json_null());
		if (l.bridge[0] != '\0' && link_number(lx.hook, &num)) {
			npath(bpath, l.bridge);
			r = fbsd_ng_bridge_stats(bpath, num, &st);
			if (r < 0) {
				json_decref(o);
				return fbc_kerr(e, r, l.bridge, "NGM_BRIDGE_GET_STATS %s %d", bpath, num);
			}
			stats_json(o, &st);
		}
		json_object_set_new(out, name, o);
	}
	if (found == 0)
		return jnet_err_set(e, ENOENT, jail, "jail has no jnet links");
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

static void
dot_id(FILE *f, const struct fbsd_ng_node *n)
{
	char l[FBSD_NG_NAMSIZ + 12];

	node_label(n, l, sizeof(l));
	fprintf(f, "\"%s\"", l);
}

/* One node's declaration: what it is, and whose, for jnet's eifaces. */
static void
dot_node(FILE *f, const struct fbsd_ng_node *n, struct jnet_err *e)
{
	char l[FBSD_NG_NAMSIZ + 12];

	node_label(n, l, sizeof(l));
	fputc('\t', f);
	dot_id(f, n);
	if (strcmp(n->type, "bridge") == 0) {
		fprintf(f, " [shape=box, style=\"rounded,bold\", label=\"%s\\nng_bridge\"];\n", l);
	} else if (strcmp(n->type, "ether") == 0) {
		fprintf(f, " [shape=box, label=\"%s\\nng_ether (uplink)\"];\n", l);
	} else if (strcmp(n->type, "eiface") == 0) {
		struct jnet_link_info li;
		struct lx lx;
		int r = get_link(l, &li, &lx, e);

		jnet_err_clear(e);
		if (r == 0 && li.tagged) {
			/* A jail name may hold '"' and '\\': escaped for DOT. */
			char jail[2 * JNET_JAILNAMSIZ];
			size_t o = 0;

			for (const char *c = li.jail; *c && o + 2 < sizeof(jail); c++) {
				if (*c == '"' || *c == '\\')
					jail[o++] = '\\';
				jail[o++] = *c;
			}
			jail[o] = '\0';
			fprintf(f, " [shape=ellipse, label=\"%s\\njail %s, link %d\\n%s\"];\n", l,
			    jail, li.index, li.where == JNET_WHERE_JAIL ? "in the jail" :
			    "on the host");
		} else if (r == 0)
			fprintf(f, " [shape=ellipse, label=\"%s\\njnet link %d (untagged)\"];\n", l,
			    li.index);
		else
			fprintf(f, " [shape=ellipse, style=dashed, label=\"%s\\nng_eiface (not jnet's)\"];\n", l);
	} else {
		fprintf(f, " [shape=box, style=dashed, label=\"%s\\n%s\"];\n", l, n->type);
	}
}

int
ng_graph(void *priv, void *file, struct jnet_err *e)
{
	FILE *f = file;
	struct fbsd_ng_node *v = NULL, *seen;
	int n = 0, nseen = 0, r;

	(void)priv;
	/*
	 * The part of the host's netgraph jnet works with: every ng_bridge, what is
	 * connected to it (uplinks, jnet's eifaces, anything else, dashed), and jnet's
	 * eifaces that are on no bridge. Undirected, like ngctl dot; hooks label the ends.
	 */
	if ((r = list_nodes(false, &v, &n, e)) < 0)
		return r;
	qsort(v, (size_t)n, sizeof(*v), cmp_node);
	seen = calloc((size_t)n + 1, sizeof(*seen));
	if (seen == NULL) {
		free(v);
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	}
	fprintf(f, "graph jnet {\n");
	fprintf(f, "\t// jnet -t netgraph graph: ng_bridge nodes, their links, jnet's eifaces\n");
	fprintf(f, "\trankdir=LR;\n");
	fprintf(f, "\tnode [fontname=\"Helvetica\", fontsize=10];\n");
	fprintf(f, "\tedge [fontname=\"Helvetica\", fontsize=8];\n");
	for (int i = 0; i < n; i++) {
		char path[FBSD_NG_PATHSIZ], l[FBSD_NG_NAMSIZ + 12];
		struct fbsd_ng_hook *h = NULL;
		int nh = 0;

		if (strcmp(v[i].type, "bridge") != 0)
			continue;
		node_label(&v[i], l, sizeof(l));
		npath(path, l);
		r = list_hooks(path, NULL, &h, &nh, e);
		if (r == -ENOENT) {
			r = 0;
			continue; /* gone meanwhile */
		}
		if (r < 0)
			goto out;
		qsort(h, (size_t)nh, sizeof(*h), cmp_hook);
		fprintf(f, "\n");
		dot_node(f, &v[i], e);
		seen[nseen++] = v[i];
		for (int k = 0; k < nh; k++) {
			bool dup = false;

			for (int s = 0; s < nseen && !dup; s++)
				dup = seen[s].id == h[k].peer.id;
			if (!dup) {
				dot_node(f, &h[k].peer, e);
				seen[nseen++] = h[k].peer;
			}
		}
		for (int k = 0; k < nh; k++) {
			fputc('\t', f);
			dot_id(f, &v[i]);
			fprintf(f, " -- ");
			dot_id(f, &h[k].peer);
			fprintf(f, " [taillabel=\"%s\", headlabel=\"%s\"];\n", h[k].hook, h[k].peerhook);
		}
		free(h);
	}
	for (int i = 0; i < n; i++) {
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
		fprintf(f, "\n");
		dot_node(f, &v[i], e);
	}
	fprintf(f, "}\n");
out:
	free(seen);
	free(v);
	return r;
}
