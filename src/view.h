/*
 * What `jnet stats` and `jnet graph` show, as data: a backend fills it (backend.h
 * link_stats, graph), the core returns it (core.h jnet_stats, jnet_graph), and the CLI
 * renders it (cmd_view.c: JSON, DOT). Nothing here prints.
 */
#ifndef JNET_VIEW_H
#define JNET_VIEW_H

#include "jnet.h"

#define JNET_COUNTERS_MAX 16
#define JNET_VIEW_NAMSIZ 48            /* a node or port name (netgraph: 31 + "[id]") */

/* One counter of a bridge port; `name` is a static string of the backend's. */
struct jnet_counter {
	const char *name;
	uint64_t value;
};

/* The bridge counters of one link. */
struct jnet_link_stats {
	char host_if[JNET_IFNAMSIZ];
	char bridge[JNET_IFNAMSIZ];        /* "" when on no bridge */
	char port[JNET_VIEW_NAMSIZ];       /* its port on the bridge (netgraph hook), "" if none */
	int ncounters;                     /* 0: no counters to show */
	struct jnet_counter c[JNET_COUNTERS_MAX];
};

/* The links of one jail, in index order. Free with jnet_stats_free. */
struct jnet_stats {
	struct jnet_link_stats *v;
	size_t n, cap;
};

enum jnet_gnode_kind {
	JNET_GNODE_BRIDGE,
	JNET_GNODE_UPLINK,
	JNET_GNODE_LINK,                   /* a jnet link's interface */
	JNET_GNODE_FOREIGN,                /* an interface of the link's kind, not jnet's */
	JNET_GNODE_OTHER,
};

/* A node; nodes and edges come in groups (a bridge with its ports and their edges, or one
 * link on no bridge), each group's nodes before its edges. */
struct jnet_gnode {
	char name[JNET_VIEW_NAMSIZ];
	char type[JNET_VIEW_NAMSIZ];       /* the backend's word for it ("ng_bridge", ...) */
	enum jnet_gnode_kind kind;
	int group;
	/* JNET_GNODE_LINK: */
	bool tagged;                       /* false: jnet's by name, untagged */
	char jail[JNET_JAILNAMSIZ];
	int index;
	bool in_jail;
};

struct jnet_gedge {
	char a[JNET_VIEW_NAMSIZ], b[JNET_VIEW_NAMSIZ];           /* nodes */
	char a_port[JNET_VIEW_NAMSIZ], b_port[JNET_VIEW_NAMSIZ]; /* their ends' names */
	int group;
};

/* The topology jnet works with. Free with jnet_graph_free. */
struct jnet_graph {
	struct jnet_gnode *nodes;
	size_t nn, capn;
	struct jnet_gedge *edges;
	size_t ne, cape;
	int ngroups;
	const char *what;                  /* what it shows, in words (static) */
};

/* Append (a copy of) one entry: a pointer to it, or NULL when out of memory. */
struct jnet_link_stats *jnet_stats_add(struct jnet_stats *s);
struct jnet_gnode *jnet_graph_node(struct jnet_graph *g);
struct jnet_gedge *jnet_graph_edge(struct jnet_graph *g);
void jnet_stats_free(struct jnet_stats *s);
void jnet_graph_free(struct jnet_graph *g);

#endif
