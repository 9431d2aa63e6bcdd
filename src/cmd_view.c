/*
 * stats and graph: the one place that renders the core's view data (view.h): stats as
 * JSON (with or without -j: jng's stats is JSON), graph as Graphviz DOT.
 */
#include "cli.h"
#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static json_t *
stats_json(const struct jnet_stats *s)
{
	json_t *out = json_object();

	for (size_t i = 0; i < s->n; i++) {
		const struct jnet_link_stats *l = &s->v[i];
		json_t *o = json_object();

		json_object_set_new(o, "bridge", l->bridge[0] ? json_string(l->bridge) : json_null());
		json_object_set_new(o, "hook", l->port[0] ? json_string(l->port) : json_null());
		for (int k = 0; k < l->ncounters; k++)
			json_object_set_new(o, l->c[k].name, json_integer((json_int_t)l->c[k].value));
		json_object_set_new(out, l->host_if, o);
	}
	return out;
}

int
cmd_stats(struct cli *c, int argc, char **argv)
{
	struct jnet_stats s;
	struct cli_args a;
	int r;

	if ((r = cli_no_options(c, argc, argv, &a)) != 0)
		return r;
	if (a.nops != 1)
		return cli_usage(c, "wrong number of arguments");
	c->jail = a.ops[0];
	if ((r = cli_open(c)) != 0)
		return r;
	if (jnet_stats(&c->ctx, a.ops[0], &s) < 0)
		return cli_fail(c);
	cli_json_print(stats_json(&s));
	jnet_stats_free(&s);
	return 0;
}

/* A name in DOT's double quotes: '"' and '\\' escaped. */
static void
dot_quoted(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void
dot_node(FILE *f, const struct jnet_gnode *n)
{
	fprintf(f, "\t\"%s\"", n->name);
	switch (n->kind) {
	case JNET_GNODE_BRIDGE:
		fprintf(f, " [shape=box, style=\"rounded,bold\", label=\"%s\\n%s\"];\n", n->name,
		    n->type);
		break;
	case JNET_GNODE_UPLINK:
		fprintf(f, " [shape=box, label=\"%s\\n%s (uplink)\"];\n", n->name, n->type);
		break;
	case JNET_GNODE_LINK:
		if (!n->tagged) {
			fprintf(f, " [shape=ellipse, label=\"%s\\njnet link %d (untagged)\"];\n",
			    n->name, n->index);
			break;
		}
		fprintf(f, " [shape=ellipse, label=\"%s\\njail ", n->name);
		dot_quoted(f, n->jail);
		fprintf(f, ", link %d\\n%s\"];\n", n->index, n->in_jail ? "in the jail" :
		    "on the host");
		break;
	case JNET_GNODE_FOREIGN:
		fprintf(f, " [shape=ellipse, style=dashed, label=\"%s\\n%s (not jnet's)\"];\n",
		    n->name, n->type);
		break;
	case JNET_GNODE_OTHER:
		fprintf(f, " [shape=box, style=dashed, label=\"%s\\n%s\"];\n", n->name, n->type);
		break;
	}
}

static void
graph_dot(FILE *f, const struct jnet_graph *g, const char *backend)
{
	fprintf(f, "graph jnet {\n");
	fprintf(f, "\t// jnet -t %s graph: %s\n", backend, g->what ? g->what : "");
	fprintf(f, "\trankdir=LR;\n");
	fprintf(f, "\tnode [fontname=\"Helvetica\", fontsize=10];\n");
	fprintf(f, "\tedge [fontname=\"Helvetica\", fontsize=8];\n");
	for (int k = 0; k < g->ngroups; k++) {
		fprintf(f, "\n");
		for (size_t i = 0; i < g->nn; i++)
			if (g->nodes[i].group == k)
				dot_node(f, &g->nodes[i]);
		for (size_t i = 0; i < g->ne; i++)
			if (g->edges[i].group == k)
				fprintf(f, "\t\"%s\" -- \"%s\" [taillabel=\"%s\", headlabel=\"%s\"];\n",
				    g->edges[i].a, g->edges[i].b, g->edges[i].a_port,
				    g->edges[i].b_port);
	}
	fprintf(f, "}\n");
}

int
cmd_graph(struct cli *c, int argc, char **argv)
{
	struct jnet_graph g;
	struct cli_args a;
	int r;

	if ((r = cli_no_options(c, argc, argv, &a)) != 0)
		return r;
	if (a.nops != 0)
		return cli_usage(c, "no arguments");
	if ((r = cli_open(c)) != 0)
		return r;
	if (jnet_graph(&c->ctx, &g) < 0)
		return cli_fail(c);
	graph_dot(stdout, &g, c->ctx.be->name);
	jnet_graph_free(&g);
	return 0;
}
