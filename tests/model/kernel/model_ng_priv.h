/*
 * What the files of the netgraph part of the kernel model (model_ng.c, model_ng_graph.c,
 * model_ng_msg.c) share and nothing else sees.
 */
#ifndef JNET_MODEL_NG_PRIV_H
#define JNET_MODEL_NG_PRIV_H

#include "model.h"

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

struct ngop {
	struct model *m;
	struct ngs s;
	uint32_t here;            /* this process's control socket node */
	bool kld;                 /* a module was loaded: kept even if the message fails */
};

/* The state being worked on, for the callbacks model.c makes while a primitive runs. */
extern struct ngs *ngm_cur;

/* model_ng.c */
struct ngn *ngm_byid(struct ngs *s, uint32_t id);
struct ngn *ngm_byname(struct ngs *s, int vnet, const char *name);
struct nge *ngm_edge_add(struct ngs *s);
void ngm_free(struct ngs *s);
void ngm_load(struct model *m, struct ngs *s);
void ngm_save(struct model *m, struct ngs *s);
struct ngn *ngm_node_add(struct ngs *s);

/* model_ng_graph.c */
void ngm_connect(struct ngs *s, uint32_t a, const char *ah, uint32_t b, const char *bh);
int ngm_edge_at(struct ngs *s, uint32_t id, const char *hook, uint32_t *peer,
    const char **peerhook);
void ngm_edge_remove(struct ngs *s, int k);
int ngm_hook_ok(struct ngs *s, const struct ngn *n, const char *name, uint32_t peer,
    char out[NAMSIZ]);
int ngm_hooks_of(struct ngs *s, uint32_t id);
void ngm_info_of(struct ngs *s, const struct ngn *n, struct fbsd_ng_node *out);
int ngm_name_ok(const char *name);
int ngm_begin(struct ngop *o, const char *op, const char *obj);
int ngm_end(struct ngop *o, int r);
void ngm_node_remove(struct ngs *s, uint32_t id);
int ngm_resolve(struct ngs *s, int vnet, uint32_t here, const char *path, uint32_t *out);
int ngm_target(struct ngop *o, const char *path, struct ngn **n);

/* model_ng_msg.c */
void ngm_kmod_unload(struct model *m, const char *module);

#endif
