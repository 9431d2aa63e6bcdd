/*
 * What the files of the kernel model (model.c, model_state.c, model_obj.c, model_if.c,
 * model_bridge.c, model_lab.c) share and nothing else sees.
 */
#ifndef JNET_MODEL_PRIV_H
#define JNET_MODEL_PRIV_H

#include "model.h"

/* The extensions (netgraph), NULL-terminated (model.c). */
extern const struct model_ext_ops *const model_exts[];

/* The state (model_state.c): an empty model, freeing one, and its JSON form. */
void model_state_init(struct model *m);
void model_state_free(struct model *m);
json_t *model_state_save(const struct model *m);
int model_state_load(struct model *m, json_t *o);
/* strcmp for qsort of an array of strings. */
int model_cmp_str(const void *a, const void *b);

/* Whether the group list of the current call grows ($JNET_MODEL_GROW, model.c). */
bool model_grow_due(void);

/* Destroy a cloned interface as its cloner does (model_obj.c). */
void model_clone_destroy(struct model *m, struct m_if *i);

/*
 * The vnet an in-jail primitive of jail JID acts on (model_obj.c): EINVAL for an unknown
 * or dying jail (jail_attach(2)); with CHANGE (the operation needs the jail's own network
 * stack) EPERM for a jail without vnet.
 */
int model_op_vnet(struct model *m, int jid, bool change, int *vnet);

#endif
