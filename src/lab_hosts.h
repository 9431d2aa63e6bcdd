/*
 * Labs that span hosts (issue 14): one lab file, each host builds its part, and bridges
 * with jails on more than one host are stitched together with the kernel's VXLAN.
 *
 *     hosts:                          # name -> underlay address (or { address, port })
 *       h1: 192.0.2.1
 *       h2: { address: 192.0.2.2, port: 4790 }   # UDP port, default 4789
 *     bridges:
 *       lan0: { vni: 100 }            # optional; else derived from the lab and bridge names
 *     jails:
 *       a: { host: h1, interfaces: [ { bridge: lan0, address: 10.0.0.1/24 } ] }
 *
 * Parsing is pure (like lab_parse.c): jnet_lab_hosts_parse reads the keys lab_parse.c
 * accepts and leaves to it ('hosts', a jail's 'host', a bridge's 'vni') from the same
 * YAML document, and refuses with FILE:LINE:COL: an unknown host, a jail without 'host'
 * in a lab of several hosts, a duplicate VNI, hosts of mixed address families, a bridge
 * that spans hosts and has an uplink, a point-to-point link between hosts.
 */
#ifndef JNET_LAB_HOSTS_H
#define JNET_LAB_HOSTS_H

#include <yaml.h>

#include "lab.h"

#define JNET_VXLAN_PORT     4789       /* IANA's VXLAN port */
#define JNET_VNI_MAX        16777215u  /* 24 bits; 0 is not used */
#define JNET_HOSTNAMEMAX    64
#define JNET_VXLAN_OVERHEAD4 50        /* outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 */
#define JNET_VXLAN_OVERHEAD6 70        /* the same with IPv6's 40 */

struct jnet_lab_host {
	char name[JNET_HOSTNAMEMAX + 1];
	int family;                    /* AF_INET or AF_INET6 */
	uint8_t addr[16];              /* network byte order */
	char addrstr[JNET_ADDRSTRLEN];
	uint16_t port;                 /* host byte order */
	struct jnet_lab_pos pos;       /* of the name */
	struct jnet_lab_pos addr_pos;  /* of the address */
};

/* The VNI derived from the lab and bridge names: FNV-1a into 1..JNET_VNI_MAX. */
uint32_t jnet_lab_vni_derive(const char *lab, const char *bridge);

/* Called by the parser once the rest of the file is valid (see above). */
int jnet_lab_hosts_parse(yaml_document_t *doc, struct jnet_lab *lab, struct jnet_err *e);

/*
 * Host `name`'s index in lab, or, name NULL, the host whose underlay address is on this
 * machine (exactly one must be). Errors: not a host of the file; no / several local hosts.
 */
int jnet_lab_host_pick(const struct jnet_lab *lab, const char *name, struct jnet_err *e);

/* The interface that holds host h's underlay address here (refused when none does). */
int jnet_lab_host_underlay(const struct jnet_lab *lab, int h, char ifname[JNET_IFNAMSIZ],
    struct jnet_err *e);

/*
 * The part of `lab` that host h builds: its jails, the links between them, the bridges
 * they use (with spans/vni kept). *out is a lab of its own (jnet_lab_free), view = h + 1.
 */
int jnet_lab_host_view(const struct jnet_lab *lab, int h, struct jnet_lab **out,
    struct jnet_err *e);

/* Kernel name of the VXLAN port of lab bridge `bridge_ifname`: "jx-" + hash. */
void jnet_lab_vxlan_ifname(const char *bridge_ifname, char out[JNET_IFNAMSIZ]);

/* lab graph: each host as a cluster of its jails (and of the bridges of its jails alone);
 * the bridges that span hosts labelled with their VNI. Nothing for a one-host lab. */
void jnet_lab_graph_hosts(const struct jnet_lab *lab, FILE *out);

#endif
