/*
 * Addresses and routes a jail end gets from the host (addm/attach -a, -g, -r): for jails
 * with nothing inside to configure their interface (thin jails, one daemon). Applied
 * inside the jail's vnet / namespace with the backends' addr_add and route_add (the lab
 * code's primitives) once the jail end is there; they go with the link.
 */
#ifndef JNET_IPCONF_H
#define JNET_IPCONF_H

#include "addr.h"

struct jnet_ctx;
struct jnet_jail;

struct jnet_ipconf_addr {
	int index;                      /* link index whose jail end gets it */
	struct jnet_lab_addr a;
};

struct jnet_ipconf_route {
	bool is_default;
	struct jnet_lab_addr dst;       /* 0.0.0.0/0 or ::/0 for a default route */
	struct jnet_lab_addr via;
};

struct jnet_ipconf {
	struct jnet_ipconf_addr *addrs;
	int naddrs;
	struct jnet_ipconf_route *routes;
	int nroutes;
};

#define JNET_IPCONF_MAX 64 /* addresses, and routes, per command */

/* -a "[INDEX=]ADDRESS/PREFIX" (INDEX default 0) */
int jnet_ipconf_addr(struct jnet_ipconf *ip, const char *arg, struct jnet_err *e);
/* -g "GATEWAY": a default route of the gateway's family */
int jnet_ipconf_gateway(struct jnet_ipconf *ip, const char *arg, struct jnet_err *e);
/* -r "NETWORK/PREFIX=GATEWAY" */
int jnet_ipconf_route(struct jnet_ipconf *ip, const char *arg, struct jnet_err *e);
/* Everything fits together: each index < nlinks, no address twice, each gateway on the
 * subnet of an address of its family, one default route per family. */
int jnet_ipconf_check(const struct jnet_ipconf *ip, int nlinks, struct jnet_err *e);
bool jnet_ipconf_empty(const struct jnet_ipconf *ip);
void jnet_ipconf_free(struct jnet_ipconf *ip);
/* Apply to the jail ends of `jail`'s links inside j. */
int jnet_ipconf_apply(struct jnet_ctx *ctx, const struct jnet_jail *j, const char *jail,
    const struct jnet_ipconf *ip);

#endif
