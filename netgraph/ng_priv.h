/*
 * The netgraph backend's private header: what its files (netgraph.c and the ng_*.c
 * files beside it) share. The backend itself is described at the top of netgraph.c.
 * Files, by job:
 *   netgraph.c   open/close and the backend table
 *   ng_path.c    node names and paths, listings of nodes and hooks
 *   ng_bridge.c  ng_bridge nodes, uplinks, ports (bridge verbs, if_get)
 *   ng_link.c    links: read (get_link), listed, made, shut down
 *   ng_move.c    a link's interface between host and jail, its flags and MTU
 *   ng_lab.c     labs: a lab jail's eifaces shut down
 *   ng_view.c    stats and graph
 */
#ifndef JNET_NG_PRIV_H
#define JNET_NG_PRIV_H

#include "backend.h"
#include "common.h"
#include "fbsd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TMPHOOK   "jnet"  /* hook of our control socket while a node is being built */
#define PROBE_GAP 4       /* as the core: links are probed past this many missing indices */
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

/* What link_get learns beyond struct jnet_link_info. */
struct lx {
	char ifname[JNET_IFNAMSIZ];   /* the eiface's interface, where it is */
	char path[FBSD_NG_PATHSIZ];   /* the node ("NAME:" or "[ID]:") */
	char hook[FBSD_NG_NAMSIZ];    /* its bridge hook ("" if not on a bridge) */
	bool on_host;
	int jid;                      /* jail holding it (when known), else -1 */
	bool dying;
	bool up_known, up;            /* its IFF_UP where it is, when read */
	bool has_peer;                /* a lab's point-to-point end: */
	uint32_t peer;                /* the ID of the eiface at its ether hook */
};


/* ng_path.c */
void npath(char out[FBSD_NG_PATHSIZ], const char *name);
bool ng_nameable(const char *name);
int ng_name_check(const char *name, struct jnet_err *e);
void node_label(const struct fbsd_ng_node *n, char *out, size_t len);
int list_nodes(bool named, struct fbsd_ng_node **out, int *n, struct jnet_err *e);
int list_hooks(const char *path, struct fbsd_ng_node *node, struct fbsd_ng_hook **out, int *n,
    struct jnet_err *e);
void holder(const char *path, const char *hook, char *out, size_t len);
bool is_ngeth(const char *name);
int parse_ngname(const char *name, char *jail, size_t len);

/* ng_bridge.c */
int join_bridge(struct ngpriv *p, const char *bridge, const char *node_path,
    const char *peerhook, int first, struct jnet_err *e);
int ng_if_get(void *priv, const char *ifname, struct jnet_ifinfo *out, struct jnet_err *e);
int ng_bridge_list(void *priv, int (*cb)(const struct jnet_ifinfo *, void *), void *arg,
    struct jnet_err *e);
int ng_bridge_create(void *priv, const char *name, const char *uplink, const uint8_t *mac,
    const char *tag, struct jnet_err *e);
int ng_bridge_destroy(void *priv, const char *name, struct jnet_err *e);
int ng_bridge_members(void *priv, const char *name, char (*names)[JNET_IFNAMSIZ], int max,
    struct jnet_err *e);
int ng_if_set_master(void *priv, const char *ifname, const char *bridge, struct jnet_err *e);
int ng_if_set_tag(void *priv, const char *ifname, const char *tag, struct jnet_err *e);

/* ng_link.c */
int get_link(const char *host_if, struct jnet_link_info *out, struct lx *lx,
    struct jnet_err *e);
int link_now(const struct jnet_link_info *l, struct jnet_link_info *cur, struct lx *lx,
    struct jnet_err *e);
int shutdown_link(const char *path, const char *what, struct jnet_err *e);
bool lx_load(const struct jnet_link_info *l, struct lx *lx);
int ng_link_get(void *priv, const char *host_if, struct jnet_link_info *out,
    struct jnet_err *e);
int ng_link_list(void *priv, int (*cb)(const struct jnet_link_info *, void *), void *arg,
    struct jnet_err *e);
int ng_link_create(void *priv, const struct jnet_link_req *req, struct jnet_err *e);
int ng_link_destroy(void *priv, const struct jnet_link_info *l, struct jnet_err *e);

/* ng_move.c */
int ng_link_move(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    const struct jnet_jail *from, struct jnet_err *e);
int ng_link_set_up(void *priv, const struct jnet_link_info *l, bool up, struct jnet_err *e);
int ng_link_set_mtu(void *priv, const struct jnet_link_info *l, unsigned mtu,
    struct jnet_err *e);

/* ng_lab.c */
int ng_jail_destroy(void *priv, const char *name, struct jnet_err *e);

/* ng_view.c */
int ng_link_stats(void *priv, const struct jnet_link_info *l, struct jnet_link_stats *out,
    struct jnet_err *e);
int ng_graph(void *priv, struct jnet_graph *g, struct jnet_err *e);

#endif
