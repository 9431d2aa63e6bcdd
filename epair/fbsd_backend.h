/*
 * What the two FreeBSD backends (epair, netgraph) share above the primitives seam
 * (src/fbsd.h): error wording and jail lookup. Built into jnet_epair, which the netgraph
 * backend links.
 */
#ifndef JNET_FBSD_BACKEND_H
#define JNET_FBSD_BACKEND_H

#include "backend.h"

/* Fill e with "<what>: <strerror(-r)>" about obj; returns -|r|. */
int fbb_kerr(struct jnet_err *e, int r, const char *obj, const char *fmt, ...) JNET_PRINTF(4, 5);
/* The interface is not there (any more): ENXIO or ENODEV from an ifnet ioctl. */
bool fbb_gone(int r);
/* backend jail_open / jail_close: a jail by name or JID through libjail. */
int fbb_jail_open(void *priv, const char *s, unsigned flags, struct jnet_jail *j,
    struct jnet_err *e);
void fbb_jail_close(void *priv, struct jnet_jail *j);

#endif
