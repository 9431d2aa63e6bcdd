/*
 * The netgraph part of the FreeBSD kernel model (model_ng.c): scenario controls for tests
 * and for jnet-model-ngctl. The primitives themselves are the fbsd_ng_* functions of fbsd.h.
 */
#ifndef JNET_MODEL_NG_H
#define JNET_MODEL_NG_H

#include "model.h"

/* kldload / kldunload ng_ether: with it unloaded, Ethernet interfaces have no ether node. */
int model_ng_ctl_ether(bool loaded);

/*
 * Pretend traffic went through hook `hook` of ng_bridge `bridge` (host vnet): its 14
 * counters become base, base + 1, ..., base + 13 (in struct ng_bridge_link_stats order).
 * -ENOENT: no such bridge; -ENOTCONN: no such hook.
 */
int model_ng_ctl_stats(const char *bridge, const char *hook, uint64_t base);

/* NGM_ETHER_GET_PROMISC / _GET_AUTOSRC of the host's ether node at `path` ("em0:"). */
int model_ng_ctl_ether_flags(const char *path, bool *promisc, bool *autosrc);

#endif
