/*
 * CNI IPAM delegation and ipMasq (cniipam's modules; the interface is fixed in the CNI
 * design: docs/cni.md).
 */
#ifndef JNET_CNI_IPAM_H
#define JNET_CNI_IPAM_H

#include <jansson.h>

#include "backend.h"

struct jnet_cni_ip {            /* one entry of a CNI result's "ips" */
	int family;                 /* AF_INET or AF_INET6 */
	uint8_t addr[16]; int prefix;
	bool has_gw; uint8_t gw[16];
	int interface;              /* index into the result's "interfaces", -1 if absent */
};
struct jnet_cni_route {         /* one entry of "routes" */
	int family; uint8_t dst[16]; int prefix;
	bool has_gw; uint8_t gw[16];
};
struct jnet_cni_ipam {          /* what an IPAM plugin returned */
	struct jnet_cni_ip *ips; int nips;
	struct jnet_cni_route *routes; int nroutes;
	json_t *raw;                /* the plugin's whole result (owned), for dns and pass-through */
};
/* Run IPAM plugin `type` found in cni_path (colon list) with CNI_COMMAND=cmd ("ADD", "DEL",
 * "CHECK"), the same CNI_* environment as ours (env: NULL-terminated "K=V" list that the
 * caller built), and `conf` (the network config JSON, written to its stdin).
 * ADD: fills *out (free with jnet_cni_ipam_free). DEL/CHECK: out may be NULL.
 * A plugin error: -EIO with e holding the plugin's code and msg. Not found in cni_path:
 * -ENOENT. */
int jnet_cni_ipam_exec(const char *type, const char *cmd, const char *cni_path,
    char *const env[], const char *conf, struct jnet_cni_ipam *out, struct jnet_err *e);
void jnet_cni_ipam_free(struct jnet_cni_ipam *r);
/* Parse a CNI result object (any supported version; 0.4.0 has "version" in ips) into *out
 * (used for prevResult too). */
int jnet_cni_ipam_parse(json_t *result, struct jnet_cni_ipam *out, struct jnet_err *e);
/* Apply addresses (those for the container interface) and routes inside jail j on ifname
 * with the backend's addr_add/route_add (the lab code's primitives, src/backend.h). */
int jnet_cni_apply(const struct jnet_backend *b, void *priv, const struct jnet_jail *j,
    const char *ifname, const struct jnet_cni_ipam *r, struct jnet_err *e);

/* ipMasq: Linux nftables table "jnet-cni"; FreeBSD: -EOPNOTSUPP until pf tables. */
int jnet_cni_masq(bool add, const char *network, const char *container_id, int family,
    const uint8_t *addr, int prefix, struct jnet_err *e);
/* GC: remove the masq entries of `network` whose container ID is not in keep[] (n). */
int jnet_cni_masq_gc(const char *network, const char *const keep[], int n,
    struct jnet_err *e);

#endif
