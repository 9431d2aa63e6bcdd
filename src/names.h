/*
 * Interface names for jail links.
 *
 * jib/jng-compatible when possible: e{i}a_NAME / e{i}b_NAME (pairs) and ng{i}_NAME
 * (netgraph), used verbatim when NAME matches [A-Za-z0-9_]+ and the result fits in 15
 * characters. Otherwise a deterministic short form that can never equal a verbatim name:
 *
 *     <prefix> '-' <stem> <hash>       e.g. e0a-wb7q2m4k9xa   (<= 15 characters)
 *
 * prefix is "e{i}a"/"e{i}b" or "ng{i}"; stem is the first alphanumeric characters of NAME
 * (as many as fit, possibly none); hash is the first 45 bits of jnet_hash64(NAME) written as
 * 9 characters of lower-case RFC 4648 base32. A verbatim name has '_' after its prefix, a
 * short name '-', so the two forms never meet. The full jail name is kept in the ownership
 * tag, which is how every short name maps back to its jail.
 */
#ifndef JNET_NAMES_H
#define JNET_NAMES_H

#include "jnet.h"

enum jnet_name_style {
	JNET_NAMES_PAIR, /* e{i}a_NAME and e{i}b_NAME: epair, netns (veth) */
	JNET_NAMES_NG,   /* ng{i}_NAME: netgraph ng_eiface */
};

/*
 * Refuse jail names that could escape a path or a shell, or that no backend can carry:
 * empty, longer than JNET_JAILNAMSIZ-1, "." or "..", containing '/', whitespace, control
 * characters, or bytes outside printable ASCII. Returns 0 or -EINVAL with e filled.
 */
int jnet_jail_name_check(const char *jail, struct jnet_err *e);

/*
 * Write the interface name of link `index` (0..JNET_MAXLINKS-1) of `jail`, end 'a' (host)
 * or 'b' (jail). The netgraph style ignores `end`. Returns 0 or -EINVAL (bad index/end).
 * The jail name must have passed jnet_jail_name_check().
 */
int jnet_ifname(char out[JNET_IFNAMSIZ], enum jnet_name_style style, const char *jail,
    int index, char end);

/* True when jnet_ifname() uses NAME verbatim (jib/jng-compatible form). */
bool jnet_ifname_verbatim(enum jnet_name_style style, const char *jail, int index);

/*
 * The documented 64-bit hash used for short names and stable MACs: FNV-1a 64 over the
 * bytes, then the splitmix64 finalizer for avalanche. Never changes between versions.
 */
uint64_t jnet_hash64(const void *data, size_t len);

/* Check an interface name we are given (bridge, uplink): 1..15 chars, no '/', ':', space. */
int jnet_ifname_check(const char *ifname, struct jnet_err *e);

/*
 * A VLAN uplink: PARENT:VID, VID 1..4094 in decimal without leading zeros (e.g. em0:20).
 * ':' is never part of an interface name jnet takes (jnet_ifname_check), so a spec cannot
 * be mistaken for an interface; a VLAN interface the administrator made (em0.20, vlan20)
 * is a plain uplink. Returns 1 with parent and *vid filled for a spec, 0 for a name
 * without ':', -EINVAL (e filled, naming the spec) for anything else with a ':'.
 */
int jnet_vlan_spec(const char *spec, char parent[JNET_IFNAMSIZ], int *vid, struct jnet_err *e);

/*
 * The VLAN interface jnet makes for PARENT:VID: PARENT 'v' VID (em0v20). One name per
 * spec (the VID is the digits after the last 'v'), never a FreeBSD rc.conf (em0.20) or
 * cloner (vlan20) name. -ENAMETOOLONG (e filled) when it would exceed 15 characters.
 */
int jnet_vlan_ifname(char out[JNET_IFNAMSIZ], const char *parent, int vid, struct jnet_err *e);

/* An uplink argument: an interface name or a PARENT:VID spec whose VLAN interface name
 * fits. 0 or -errno with e filled. */
int jnet_uplink_check(const char *spec, struct jnet_err *e);

/*
 * The interface an uplink argument stands for: `spec` itself, or for PARENT:VID the
 * name of jnet's VLAN interface. Returns 1 for a VLAN spec, 0 for a plain name, -errno.
 */
int jnet_uplink_ifname(const char *spec, char out[JNET_IFNAMSIZ], struct jnet_err *e);

#endif
