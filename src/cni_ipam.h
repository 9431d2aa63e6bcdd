/*
 * CNI plugin mode: delegation to an IPAM plugin (cni_ipam.c), applying its result inside
 * a jail, and ipMasq (cni_masq.c). Self-contained modules that src/cni.c calls.
 */
#ifndef JNET_CNI_IPAM_H
#define JNET_CNI_IPAM_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "backend.h"
#include "jnet.h"

/* Largest stdout an IPAM plugin may print: beyond it the plugin is killed, -EFBIG. */
#define JNET_CNI_IPAM_MAXOUT (1024 * 1024)
/*
 * The CNI spec sets no time limit on a delegated plugin and the reference plugins wait
 * forever. jnet waits this long, then kills the plugin (SIGKILL) and fails with
 * -ETIMEDOUT, so that a plugin that never exits cannot hang jnet (and the runtime's
 * lock) forever. Generous: the dhcp plugin's lease acquisition can take many seconds.
 */
#define JNET_CNI_IPAM_TIMEOUT_MS_DEFAULT (5 * 60 * 1000)

struct jnet_cni_ip {            /* one entry of a CNI result's "ips" */
	int family;                 /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	int prefix;
	bool has_gw;
	uint8_t gw[16];
	int interface;              /* index into the result's "interfaces", -1 if absent */
};

struct jnet_cni_route {         /* one entry of "routes" */
	int family;
	uint8_t dst[16];            /* the network: host bits of "dst" are cleared */
	int prefix;
	bool has_gw;
	uint8_t gw[16];
};

struct jnet_cni_ipam {          /* what an IPAM plugin returned */
	struct jnet_cni_ip *ips;
	int nips;
	struct jnet_cni_route *routes;
	int nroutes;
	json_t *raw;                /* the plugin's whole result (owned), for dns and pass-through */
};

/*
 * Run IPAM plugin `type` found in cni_path (colon list) with CNI_COMMAND=cmd ("ADD", "DEL",
 * "CHECK"). env is the plugin's whole environment (NULL-terminated "K=V" list that the
 * caller built: the CNI_* variables jnet received, PATH if wanted); a CNI_COMMAND entry in
 * it is replaced by CNI_COMMAND=cmd. conf (the network config JSON) goes to its stdin; its
 * stderr is jnet's stderr (the spec's rule for delegated plugins).
 * ADD: fills *out (free with jnet_cni_ipam_free). DEL/CHECK: out may be NULL (the output
 * is then not parsed).
 * Errors: -ENOENT not found in cni_path (or a '/' in type: -EINVAL); -EIO the plugin
 * failed: e->msg "ipam TYPE: MSG (DETAILS)" and e->cni_code its CNI error code (0 when it
 * printed no error object); -EBADMSG a result that is not a valid CNI result; -EFBIG
 * output over JNET_CNI_IPAM_MAXOUT; -ETIMEDOUT it ran longer than the timeout.
 */
int jnet_cni_ipam_exec(const char *type, const char *cmd, const char *cni_path,
    char *const env[], const char *conf, struct jnet_cni_ipam *out, struct jnet_err *e);
/* Change the timeout of jnet_cni_ipam_exec (ms > 0); returns the previous one. */
int jnet_cni_ipam_set_timeout(int ms);
void jnet_cni_ipam_free(struct jnet_cni_ipam *r);
/*
 * Parse a CNI result object (any supported version; 0.4.0 has "version" in ips, checked
 * against the address when present) into *out (used for prevResult too). -EBADMSG with
 * the bad entry named; *out is left empty on error.
 */
int jnet_cni_ipam_parse(json_t *result, struct jnet_cni_ipam *out, struct jnet_err *e);
/*
 * Apply addresses and routes inside jail j on ifname with the backend's addr_add and
 * route_add. The addresses applied are those without "interface" (an IPAM result) and
 * those whose interface entry is named ifname; an index out of range is an error (-EINVAL),
 * as in the reference plugins. A route without "gw" goes via the first gateway of its
 * family among the applied addresses (the reference plugins' ConfigureIface); with no
 * such gateway it is refused (-EOPNOTSUPP): route_add always routes via a next hop.
 * Already-present addresses and routes are success.
 */
int jnet_cni_apply(const struct jnet_backend_ops *b, void *priv, const struct jnet_jail *j,
    const char *ifname, const struct jnet_cni_ipam *r, struct jnet_err *e);

/*
 * ipMasq. Linux: nftables through libnftables, a table of jnet's own ("jnet-cni", family
 * inet): verdict maps saddr4/saddr6 hold one element per container address (commented
 * "jnet-cni NETWORK CONTAINERID IFNAME", the attachment that owns it), each jumping to a
 * masquerade chain per subnet ("daddr != SUBNET masquerade"); chain postrouting skips
 * multicast, then looks the source up in the maps. Each attachment has a record, chain
 * "a/NETWORK/CONTAINERID/IFNAME" with a rule per address it added (never jumped to), so
 * that DEL finds its addresses in the kernel. Add and del are lookups by key or name and
 * one fixed-size transaction, whatever the number of containers (src/cni_masq_nl.c).
 * Network name, container ID and ifname are the spec's characters only (-EINVAL
 * otherwise) and the comment must fit nftables' 128 bytes (-ENAMETOOLONG otherwise).
 * Idempotent: add twice = once; del of a missing one, or of one another attachment holds,
 * = success; the table goes when nothing jumps to its chains any more. Serialised on the
 * lock RUNDIR/cni.masq (RUNDIR: jnet_cni_masq_set_rundir, by default JNET_RUNDIR_DEFAULT).
 * No other table is ever read or changed. On the FreeBSD backends CNI mode uses the
 * backend's masq op (a pf table) instead.
 * FreeBSD: -EOPNOTSUPP "ipMasq on FreeBSD: pf table (not in this build)".
 */
struct jnet_masq_who {          /* an attachment */
	const char *network;
	const char *container_id;
	const char *ifname;
};
/* add: the address's element and record; del: the element (if who owns it), the record
 * left to jnet_cni_masq_del_all (which goes by it: a record whose element is gone or
 * another's is just removed). */
int jnet_cni_masq(bool add, const struct jnet_masq_who *who, int family, const uint8_t *addr,
    int prefix, struct jnet_err *e);
/* del of every address of who's record (owned elements, the record): DEL without
 * prevResult. Success when there is nothing. */
int jnet_cni_masq_del_all(const struct jnet_masq_who *who, struct jnet_err *e);
/* The directory of the masq lock file (the caller's JNET_RUNDIR); NULL: the default. */
void jnet_cni_masq_set_rundir(const char *dir);
/* GC: remove the masq entries (elements, records) of `network` whose attachment
 * (container ID, ifname) is not among keep[] (n; network ignored there). */
int jnet_cni_masq_gc(const char *network, const struct jnet_masq_who *keep, int n,
    struct jnet_err *e);

#endif
