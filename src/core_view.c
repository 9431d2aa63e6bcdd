/* stats and graph: the data of `jnet stats` and `jnet graph` (view.h), from the backend. */
#include "core_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Room for one more element of size `size` in *v (n used, *cap allocated): false when
 * out of memory. The new element is zeroed. */
static void *
grow(void **v, size_t n, size_t *cap, size_t size)
{
	if (n == *cap) {
		size_t c = *cap ? 2 * *cap : 8;
		void *p = realloc(*v, c * size);

		if (p == NULL)
			return NULL;
		*v = p;
		*cap = c;
	}
	return memset((char *)*v + n * size, 0, size);
}

struct jnet_link_stats *
jnet_stats_add(struct jnet_stats *s)
{
	struct jnet_link_stats *l = grow((void **)&s->v, s->n, &s->cap, sizeof(*s->v));

	if (l != NULL)
		s->n++;
	return l;
}

struct jnet_gnode *
jnet_graph_node(struct jnet_graph *g)
{
	struct jnet_gnode *n = grow((void **)&g->nodes, g->nn, &g->capn, sizeof(*g->nodes));

	if (n != NULL)
		g->nn++;
	return n;
}

struct jnet_gedge *
jnet_graph_edge(struct jnet_graph *g)
{
	struct jnet_gedge *d = grow((void **)&g->edges, g->ne, &g->cape, sizeof(*g->edges));

	if (d != NULL)
		g->ne++;
	return d;
}

void
jnet_stats_free(struct jnet_stats *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void
jnet_graph_free(struct jnet_graph *g)
{
	free(g->nodes);
	free(g->edges);
	memset(g, 0, sizeof(*g));
}

struct stats_walk {
	struct jnet_stats *out;
};

static int
stats_cb(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg)
{
	struct stats_walk *w = arg;
	struct jnet_link_stats *s;

	if (r < 0)
		return 0; /* not ours (somebody else's name, another jail's link): not shown */
	if ((s = jnet_stats_add(w->out)) == NULL)
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	jnet_strlcpy(s->host_if, l->host_if, sizeof(s->host_if));
	return ctx->be->link_stats(ctx->priv, l, s, &ctx->err);
}

int
jnet_stats(struct jnet_ctx *ctx, const char *jail, struct jnet_stats *out)
{
	struct stats_walk w = { out };
	int r;

	jnet_err_clear(&ctx->err);
	memset(out, 0, sizeof(*out));
	if (ctx->be->link_stats == NULL)
		return jnet_err_set(&ctx->err, EOPNOTSUPP, "", "the %s backend has no bridge counters",
		    ctx->be->name);
	if ((r = jnet_jail_name_check(jail, &ctx->err)) < 0)
		return r;
	/* By the names jnet gives the links (O(links)), never a listing of the host. */
	r = core_probe_links_how(ctx, jail, stats_cb, &w, NULL, false, false);
	if (r == 0 && out->n == 0)
		r = jnet_err_set(&ctx->err, ENOENT, jail, "jail has no jnet links");
	if (r < 0)
		jnet_stats_free(out);
	return r;
}

int
jnet_graph(struct jnet_ctx *ctx, struct jnet_graph *out)
{
	int r;

	jnet_err_clear(&ctx->err);
	memset(out, 0, sizeof(*out));
	if (ctx->be->graph == NULL)
		return jnet_err_set(&ctx->err, EOPNOTSUPP, "", "the %s backend has no graph",
		    ctx->be->name);
	if ((r = ctx->be->graph(ctx->priv, out, &ctx->err)) < 0)
		jnet_graph_free(out);
	return r;
}
