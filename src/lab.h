/*
 * Lab files: a whole network of bridged jails described in one YAML (or JSON) file.
 *
 *     lab: demo                      # [A-Za-z0-9_-]{1,64}; scopes everything the lab creates
 *     backend: netns                 # optional: netns | epair | netgraph
 *     bridges:
 *       lan0: {}                     # or "lan0:" (null); [A-Za-z0-9_-]{1,15}
 *       wan0: { uplink: em0 }        # bridged to an existing interface
 *     jails:
 *       web:                         # jail "demo.web"; no '.' in the lab's own part
 *         forwarding: false          # optional boolean: IPv4 and IPv6 forwarding
 *         interfaces:
 *           - { bridge: lan0, address: [10.0.0.2/24, "fd00::2/64"], mac: "02:..", mtu: 1400 }
 *         routes:
 *           - { to: default, via: 10.0.0.1 }   # to: default | CIDR (no host bits)
 *     links:                         # point-to-point, no bridge
 *       - [ { jail: r1, address: 10.9.0.1/30 }, { jail: r2, address: 10.9.0.2/30 } ]
 *
 * Every jail is listed under 'jails', also one that only has links ("r1: {}" or "r1:"), so
 * a misspelt name in a link is an error, not a new jail.
 *
 * The parser is pure: it reads and validates the whole file and creates nothing, so a
 * malformed file is refused before any kernel object exists. Every error names the place:
 *
 *     FILE:LINE:COLUMN: message          (lines and columns count from 1)
 *
 * written into jnet_err.msg (object left empty, code EINVAL; ENOENT etc. when the file
 * cannot be read). The first error stops the parse.
 *
 * Typing follows the YAML 1.2 core schema on plain scalars only: true/false are booleans,
 * digits are integers, null/~/empty is null; quoted scalars are always strings (so JSON
 * input types the same way). Aliases are followed; tags are ignored.
 */
#ifndef JNET_LAB_H
#define JNET_LAB_H

#include <stdio.h>

#include "addr.h"
#include "jnet.h"

#define JNET_LAB_NAMEMAX      64   /* longest lab name */
#define JNET_LAB_BRIDGENAMEMAX 15  /* longest bridge name in a lab (an interface name) */
#define JNET_LAB_MAXADDRS     64   /* addresses per interface */
#define JNET_LAB_MAXROUTES    1024 /* routes per jail */
#define JNET_LAB_ADDRSTRLEN   JNET_ADDRSTRLEN
#define JNET_LAB_MTU_MIN      68   /* IPv4 minimum (RFC 791) */
#define JNET_LAB_MTU_MIN6     1280 /* IPv6 minimum (RFC 8200): enforced when an IPv6 address is set */
#define JNET_LAB_MTU_MAX      65535
/*
 * A Linux bridge holds at most 1023 ports (BR_MAX_PORTS; the 1024th port fails with
 * EXFULL). The parser records the port count of each bridge but does not refuse: planning
 * splits or refuses a bridge over this limit with the backend's own limit in hand.
 */
#define JNET_LAB_LINUX_BRIDGE_MAXPORTS 1023

/*
 * One interface of a jail: a port on a lab bridge (bridge >= 0) or one end of a
 * point-to-point link (link >= 0).
 */
struct jnet_lab_iface {
	int index;                     /* link index within the jail, for jnet_ifname(): bridge
	                                  interfaces first in list order, then p2p link ends in
	                                  file order; equals the position in jail->ifaces */
	int bridge;                    /* index into lab->bridges, or -1 */
	int link;                      /* index into lab->links, or -1 */
	int peer_jail;                 /* p2p: index into lab->jails of the other end, else -1 */
	int peer_iface;                /* p2p: index into that jail's ifaces, else -1 */
	struct jnet_lab_addr *addrs;
	int naddrs;
	bool has_mac;
	uint8_t mac[6];
	struct jnet_lab_pos mac_pos;   /* where the mac was written, when has_mac */
	unsigned mtu;                  /* 0: default */
	struct jnet_lab_pos pos;
};

struct jnet_lab_route {
	bool is_default;               /* "to: default"; dst is then 0.0.0.0/0 or ::/0 */
	struct jnet_lab_addr dst;      /* network address (host bits are refused) */
	struct jnet_lab_addr via;      /* prefix = full length; same family as dst */
	int iface;                     /* index into the jail's ifaces whose subnet holds via */
	struct jnet_lab_pos pos;
};

struct jnet_lab_jail {
	char name[JNET_JAILNAMSIZ];    /* as written in the file */
	char scoped[JNET_JAILNAMSIZ];  /* "<lab>.<name>": the jail / netns that is created */
	bool forwarding;
	struct jnet_lab_iface *ifaces; /* at most JNET_MAXLINKS */
	int nifaces;
	int nbridged;                  /* ifaces[0..nbridged-1] are bridge ports */
	struct jnet_lab_route *routes;
	int nroutes;
	int host;                      /* index into lab->hosts ('host:', lab_hosts.h), 0 without hosts */
	struct jnet_lab_pos pos;
};

struct jnet_lab_bridge {
	char name[JNET_LAB_BRIDGENAMEMAX + 1];
	char uplink[JNET_IFNAMSIZ];    /* existing interface to bridge with, "" for none */
	int nports;                    /* jail interfaces on this bridge (uplink not counted);
	                                  see JNET_LAB_LINUX_BRIDGE_MAXPORTS */
	uint32_t vni;                  /* VXLAN network identifier (lab_hosts.h), 0 without hosts */
	bool spans;                    /* has jails on more than one host: carried by VXLAN */
	struct jnet_lab_pos pos;
};

/* A point-to-point link: a pair with one end in each of two different jails. */
struct jnet_lab_link {
	int jail[2];                   /* indexes into lab->jails */
	int iface[2];                  /* indexes into those jails' ifaces */
	struct jnet_lab_pos pos;
};

struct jnet_lab {
	char name[JNET_LAB_NAMEMAX + 1];
	char backend[16];              /* "" when the file does not say */
	char *file;                    /* name used in messages */
	struct jnet_lab_bridge *bridges;
	int nbridges;
	struct jnet_lab_jail *jails;   /* in file order */
	int njails;
	struct jnet_lab_link *links;   /* in file order */
	int nlinks;
	struct jnet_lab_host *hosts;   /* 'hosts:' (lab_hosts.h); NULL, 0 for a one-host lab */
	int nhosts;
	int view;                      /* jnet_lab_host_view: 1 + index of the host this lab is
	                                  the part of; 0: the whole file */
};

/* Read and validate the lab file at `path`. On success *out must be freed with jnet_lab_free. */
int jnet_lab_load(const char *path, struct jnet_lab **out, struct jnet_err *e);
/* Same from memory; `filename` is only used in messages (NULL: "<string>"). */
int jnet_lab_parse_string(const char *text, size_t len, const char *filename,
    struct jnet_lab **out, struct jnet_err *e);
void jnet_lab_free(struct jnet_lab *lab);

/* Lookups by name: index or -1. */
int jnet_lab_jail_find(const struct jnet_lab *lab, const char *name);
int jnet_lab_bridge_find(const struct jnet_lab *lab, const char *name);

/*
 * For later stages (planning) that find a problem in a valid file: fill e with
 * "FILE:LINE:COL: <fmt>" for a position of this lab, and return -code.
 */
int jnet_lab_err(const struct jnet_lab *lab, struct jnet_lab_pos pos, struct jnet_err *e,
    int code, const char *fmt, ...) JNET_PRINTF(5, 6);

/* Graphviz dot of the topology: jails (boxes), bridges (ellipses), uplinks, links. */
int jnet_lab_graph_dot(const struct jnet_lab *lab, FILE *out);

#endif
