/*
 * The lab file parser (lab.h), private to its files: lab_parse.c (the YAML document, its
 * typed access, names, jails, the whole parse), lab_parse_net.c (addresses, interfaces,
 * bridges, links, routes) and lab_validate.c (checks over the whole lab).
 */
#ifndef JNET_LAB_PARSE_INT_H
#define JNET_LAB_PARSE_INT_H

#include <yaml.h>

#include "lab.h"

/* A name index entry: sorted by name, ties in file order, for duplicates and lookups. */
struct lab_named {
	const char *name;
	struct jnet_lab_pos pos;
	int index;                           /* into lab->jails or lab->bridges */
};

struct pctx {
	yaml_document_t *doc;
	const char *file;
	struct jnet_err *e;
	struct jnet_lab *lab;
	struct lab_named *jail_idx;          /* jails sorted by name */
	struct lab_named *bridge_idx;        /* bridges sorted by name */
	yaml_node_t **jail_routes;           /* per jail: its 'routes' node or NULL */
	int *iface_cap;                      /* per jail: allocated ifaces */
};

enum kind { K_NULL, K_BOOL, K_INT, K_STR, K_MAP, K_SEQ };

extern const char *const lp_kind_names[]; /* "null", "a boolean", ... */

/* The fixed keys of one mapping. */
struct field {
	const char *key;
	yaml_node_t *k;
	yaml_node_t *v;
};

/* Errors: "FILE:LINE:COL: message" in p->e, code EINVAL; they return -EINVAL. */
int lp_perr(struct pctx *p, const yaml_node_t *n, const char *fmt, ...) JNET_PRINTF(3, 4);
int lp_perr_pos(struct pctx *p, struct jnet_lab_pos pos, const char *fmt, ...)
	JNET_PRINTF(3, 4);
struct jnet_lab_pos lp_npos(const yaml_node_t *n);
bool lp_pos_before(struct jnet_lab_pos a, struct jnet_lab_pos b);

/* Typed access to the document (YAML 1.2 core schema on plain scalars). */
yaml_node_t *lp_node(struct pctx *p, int id);
yaml_node_t *lp_item(struct pctx *p, const yaml_node_t *seq, int i);
const char *lp_sval(const yaml_node_t *n);
enum kind lp_kind_of(const yaml_node_t *n);
int lp_want(struct pctx *p, const yaml_node_t *n, enum kind k, const char *what);
int lp_get_str(struct pctx *p, const yaml_node_t *n, const char *what, const char **out);
/* A list / a mapping, or null meaning an empty one: its size, or -EINVAL. */
int lp_get_list(struct pctx *p, const yaml_node_t *n, const char *what);
int lp_get_map(struct pctx *p, const yaml_node_t *n, const char *what);
int lp_fields(struct pctx *p, const yaml_node_t *map, const char *what, struct field *f,
    size_t nf);
int lp_check_word_name(struct pctx *p, const yaml_node_t *n, const char *what, const char *s,
    size_t max);

/* Name indexes: sort idx[0..n-1] and refuse a duplicate name ("duplicate WHAT 'x'"); find
 * a name in a sorted index (its index, or -1). */
int lp_index_names(struct pctx *p, struct lab_named *idx, int n, const char *what);
int lp_find_named(const struct lab_named *idx, int n, const char *name);

/* lab_parse_net.c */
struct jnet_lab_iface *lp_iface_new(struct pctx *p, int j, const yaml_node_t *at);
int lp_iface_common(struct pctx *p, struct jnet_lab_iface *f, yaml_node_t *addr,
    yaml_node_t *mac, yaml_node_t *mtu);
int lp_parse_bridges(struct pctx *p, yaml_node_t *map);
int lp_parse_links(struct pctx *p, yaml_node_t *seq);
int lp_parse_routes(struct pctx *p, int ji);

/* lab_validate.c: equal addresses or MACs where they would clash. */
int lp_check_dup_addrs(struct pctx *p);
int lp_check_dup_macs(struct pctx *p);

#endif
