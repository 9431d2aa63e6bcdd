/* The FreeBSD lab operations (epair_lab.c), used by the epair and netgraph backends; see
 * backend.h "Labs". */
#ifndef JNET_EPAIR_LAB_H
#define JNET_EPAIR_LAB_H

#include "backend.h"

int ep_jail_create(void *priv, const char *name, const char *tag, struct jnet_err *e);
int ep_jail_tag(void *priv, const char *name, char *tag, size_t len, struct jnet_err *e);
int ep_jail_destroy(void *priv, const char *name, struct jnet_err *e);
/* Remove jail `name` after inner(jid, name, e) has removed the backend's interfaces in it
 * (inner may be NULL), then its lab parent when that was its last child. */
int fbsd_lab_jail_destroy(const char *name,
    int (*inner)(int jid, const char *name, struct jnet_err *e), struct jnet_err *e);
int ep_jail_list(void *priv, const char *prefix,
    int (*cb)(const char *, const char *, void *), void *arg, struct jnet_err *e);
int ep_addr_add(void *priv, const struct jnet_jail *j, const char *ifname, int family,
    const uint8_t *addr, int prefix, struct jnet_err *e);
int ep_addr_list(void *priv, const struct jnet_jail *j, const char *ifname,
    int (*cb)(const char *, int, const uint8_t *, int, void *), void *arg,
    struct jnet_err *e);
int ep_jail_if_get(void *priv, const struct jnet_jail *j, const char *ifname,
    struct jnet_ifinfo *out, struct jnet_err *e);
int ep_route_list(void *priv, const struct jnet_jail *j,
    int (*cb)(int, const uint8_t *, int, const uint8_t *, void *), void *arg,
    struct jnet_err *e);
int ep_route_add(void *priv, const struct jnet_jail *j, int family, const uint8_t *dst,
    int prefix, const uint8_t *via, struct jnet_err *e);
int ep_forwarding(void *priv, const struct jnet_jail *j, bool on, struct jnet_err *e);
int ep_jail_exec(void *priv, const struct jnet_jail *j, char *const argv[],
    struct jnet_err *e);

#endif
