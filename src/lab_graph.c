/*
 * Graphviz dot of a lab: jails are boxes, bridges ellipses, uplinks (existing host
 * interfaces) hexagons; an edge per bridge port labelled with the jail end's addresses,
 * and an edge per point-to-point link with each end's addresses at that end.
 *
 * Node IDs are "jail:NAME", "bridge:NAME", "uplink:NAME", so a jail and a bridge of the
 * same name stay distinct. Every string goes through dot_escape(): jail names may hold
 * '"' or '\' (they only exclude whitespace, '/' and control characters).
 */
#include "lab.h"
#include "lab_hosts.h"
#include "mac.h"

#include <errno.h>
#include <string.h>

/* Body of a dot double-quoted string; also valid as an escString (labels). */
static void
dot_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void
dot_id(FILE *out, const char *kind, const char *name)
{
	fputc('"', out);
	fputs(kind, out);
	fputc(':', out);
	dot_escape(out, name);
	fputc('"', out);
}

/* Lines of an interface label: its addresses, then mac and mtu when the file sets them. */
static void
iface_label(FILE *out, const struct jnet_lab_iface *f)
{
	const char *sep = "";

	for (int i = 0; i < f->naddrs; i++) {
		fputs(sep, out);
		dot_escape(out, f->addrs[i].text);
		sep = "\\n";
	}
	if (f->has_mac) {
		char mac[JNET_MACSTRLEN];

		jnet_mac_format(f->mac, mac);
		fprintf(out, "%smac %s", sep, mac);
		sep = "\\n";
	}
	if (f->mtu)
		fprintf(out, "%smtu %u", sep, f->mtu);
}

/* Bridges (ellipses) and their uplinks (hexagons, a dashed edge). */
static void
graph_bridges(const struct jnet_lab *lab, FILE *out)
{
	for (int b = 0; b < lab->nbridges; b++) {
		const struct jnet_lab_bridge *br = &lab->bridges[b];

		fputc('\t', out);
		dot_id(out, "bridge", br->name);
		fputs(" [shape=ellipse, label=\"", out);
		dot_escape(out, br->name);
		fputs("\"];\n", out);
		if (br->uplink[0] != '\0') {
			fputc('\t', out);
			dot_id(out, "uplink", br->uplink);
			fputs(" [shape=hexagon, label=\"", out);
			dot_escape(out, br->uplink);
			fputs("\"];\n\t", out);
			dot_id(out, "bridge", br->name);
			fputs(" -- ", out);
			dot_id(out, "uplink", br->uplink);
			fputs(" [style=dashed, label=\"uplink\"];\n", out);
		}
	}
}

/* Jails (boxes): name, forwarding, routes. */
static void
graph_jails(const struct jnet_lab *lab, FILE *out)
{
	for (int j = 0; j < lab->njails; j++) {
		const struct jnet_lab_jail *jl = &lab->jails[j];

		fputc('\t', out);
		dot_id(out, "jail", jl->name);
		fputs(" [shape=box, label=\"", out);
		dot_escape(out, jl->name);
		if (jl->forwarding)
			fputs("\\nforwarding", out);
		for (int r = 0; r < jl->nroutes; r++) {
			const struct jnet_lab_route *rt = &jl->routes[r];

			fputs("\\n", out);
			dot_escape(out, rt->is_default ? "default" : rt->dst.text);
			fputs(" via ", out);
			dot_escape(out, rt->via.text);
		}
		fputs("\"];\n", out);
	}
}

/* An edge per bridge port, then one per point-to-point link. */
static void
graph_edges(const struct jnet_lab *lab, FILE *out)
{
	for (int j = 0; j < lab->njails; j++) {
		const struct jnet_lab_jail *jl = &lab->jails[j];

		for (int i = 0; i < jl->nbridged; i++) {
			const struct jnet_lab_iface *f = &jl->ifaces[i];

			fputc('\t', out);
			dot_id(out, "jail", jl->name);
			fputs(" -- ", out);
			dot_id(out, "bridge", lab->bridges[f->bridge].name);
			fputs(" [label=\"", out);
			iface_label(out, f);
			fputs("\"];\n", out);
		}
	}
	for (int l = 0; l < lab->nlinks; l++) {
		const struct jnet_lab_link *lk = &lab->links[l];
		const struct jnet_lab_jail *a = &lab->jails[lk->jail[0]];
		const struct jnet_lab_jail *b = &lab->jails[lk->jail[1]];

		fputc('\t', out);
		dot_id(out, "jail", a->name);
		fputs(" -- ", out);
		dot_id(out, "jail", b->name);
		fputs(" [taillabel=\"", out);
		iface_label(out, &a->ifaces[lk->iface[0]]);
		fputs("\", headlabel=\"", out);
		iface_label(out, &b->ifaces[lk->iface[1]]);
		fputs("\"];\n", out);
	}
}

int
jnet_lab_graph_dot(const struct jnet_lab *lab, FILE *out)
{
	fputs("graph ", out);
	fputc('"', out);
	dot_escape(out, lab->name);
	fputs("\" {\n", out);
	fputs("\tgraph [label=\"lab ", out);
	dot_escape(out, lab->name);
	fputs("\", labelloc=t, fontname=\"Helvetica\"];\n", out);
	fputs("\tnode [fontname=\"Helvetica\"];\n", out);
	fputs("\tedge [fontname=\"Helvetica\", fontsize=10];\n", out);
	graph_bridges(lab, out);
	graph_jails(lab, out);
	graph_edges(lab, out);
	jnet_lab_graph_hosts(lab, out); /* lab_hosts.c */
	fputs("}\n", out);
	if (fflush(out) != 0 || ferror(out))
		return -EIO;
	return 0;
}
