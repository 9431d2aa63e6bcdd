/*
 * Ownership tags. Every object jnet creates carries one (Linux: IFLA_IFALIAS; FreeBSD:
 * the interface description, plus interface group "jnet"; netgraph: node name + eiface
 * description). Version 2 text forms, fields separated by one space:
 *
 *     jnet/2 link   BACKEND INDEX END JAIL [KEY=VALUE...]   a link end; END 'a' host, 'b' jail
 *     jnet/2 bridge BACKEND OWNER [KEY=VALUE...]            OWNER is '-' or the lab's name
 *     jnet/2 jail   BACKEND OWNER [KEY=VALUE...]            a jail made for lab OWNER
 *     jnet/2 vlan   BACKEND OWNER parent=IF vid=N           an 802.1Q VLAN interface jnet
 *                                                           made on uplink IF (issue 12)
 *     jnet/2 vxlan  BACKEND OWNER vni=N               a VXLAN port jnet made on a bridge
 *                                                           of lab OWNER (issue 14)
 *
 * Names hold no whitespace, so KEY=VALUE fields may follow them; unknown keys are ignored
 * (a newer jnet may add some). Keys of version 2:
 *     links:   n=COUNT   links the set had when this link was made or last converged
 *                        (destroy knows a set is incomplete without listing the host)
 *              br=BRIDGE the bridge jnet made the host end a port of (check/repair)
 *              mtu=MTU   the MTU jnet gave the link (check/repair)
 *              t=BORN    creation time, seconds since the epoch (gc's grace period)
 *              cni=NET   a CNI attachment of network NET (CNI plugin mode, docs/cni.md);
 *                        JAIL is then CONTAINERID@IFNAME: the full identity is in the tag
 *              (br= and mtu= are left out of a tag that would not fit JNET_TAG_MAX with them:
 *              jail names near the 200-character limit; check then cannot tell them)
 *     bridges: uplink=IF  the uplink jnet made a member (the rest of the field: an
 *                        interface name may hold ',' or '=')
 *              uplink-was=down  it was down before; jnet sets it down again when it
 *                        lets go of it
 *     vlans:   parent=IF  the interface it tags frames on (the rest of the field)
 *              vid=N     the VLAN ID, 1..4094 (both required: a vlan tag without them
 *                        does not parse, so the interface is not jnet's)
 * Version 1 tags (no KEY=VALUE fields) still parse: objects made by jnet 0.1 stay ours.
 * Tools list, destroy and garbage-collect objects by these tags, never by guessing from
 * names, and refuse to touch anything whose tag does not parse (jnet_ownership below).
 */
#ifndef JNET_TAG_H
#define JNET_TAG_H

#include "jnet.h"

#define JNET_TAG_VERSION 2
#define JNET_TAG_MAX 254 /* longest tag jnet writes: Linux takes an alias of IFALIASZ - 1
                            * bytes with its NUL (255 characters and a NUL are refused) */

enum jnet_tag_kind {
	JNET_TAG_LINK,
	JNET_TAG_BRIDGE,
	JNET_TAG_JAIL,
	JNET_TAG_VLAN,
	JNET_TAG_VXLAN,
};

struct jnet_tag {
	int version;
	enum jnet_tag_kind kind;
	char backend[16];
	int index;                   /* links */
	char end;                    /* links: 'a' or 'b' */
	char name[JNET_JAILNAMSIZ];  /* links: jail name; bridges and jails: owner ("-" or lab) */
	int count;                   /* links: n=, 0 when absent */
	int64_t born;                /* links: t=, 0 when absent */
	char bridge[JNET_IFNAMSIZ];  /* links: br=, "" when absent */
	unsigned mtu;                /* links: mtu=, 0 when absent */
	char cni[JNET_CNI_NETSIZ];   /* links: cni= (CNI network name), "" when absent */
	char uplink[JNET_IFNAMSIZ];  /* bridges: uplink=, "" when absent; vlans: parent= */
	bool uplink_was_down;        /* bridges: uplink-was=down */
	int vid;                     /* vlans: vid= */
	uint32_t vni;                /* vxlans: vni= (required), 1..16777215 */
};

/*
 * The one ownership rule (every backend and every command asks this, nothing else):
 *   - JNET_OWN_TAGGED: the tag parses and is of the kind asked for;
 *   - JNET_OWN_CRASH: no tag at all, in jnet's group, and named exactly `expect` (the
 *     name jnet gives that object, which the caller computed): the window of a crash
 *     between creating an object and tagging it;
 *   - JNET_OWN_NONE otherwise: a group membership, a name or a tag of another kind alone
 *     proves nothing, and jnet must neither change nor remove the object.
 * `expect` NULL: the caller cannot name the object (an enumeration), so an untagged
 * object is never ours. `t` (may be NULL) receives the parsed tag.
 */
enum jnet_own {
	JNET_OWN_NONE = 0,
	JNET_OWN_TAGGED,
	JNET_OWN_CRASH,
};
enum jnet_own jnet_ownership(const char *tagtext, bool in_group, const char *name,
    enum jnet_tag_kind kind, const char *expect, struct jnet_tag *t);

int jnet_tag_format(char *out, size_t len, const struct jnet_tag *t);
/* 0 on success; -EINVAL if s is not a jnet tag we understand. */
int jnet_tag_parse(const char *s, struct jnet_tag *t);

void jnet_tag_link(struct jnet_tag *t, const char *backend, const char *jail, int index,
    char end);
void jnet_tag_bridge(struct jnet_tag *t, const char *backend, const char *owner);
void jnet_tag_jail(struct jnet_tag *t, const char *backend, const char *owner);
void jnet_tag_vlan(struct jnet_tag *t, const char *backend, const char *owner,
    const char *parent, int vid);
void jnet_tag_vxlan(struct jnet_tag *t, const char *backend, const char *owner, uint32_t vni);

#endif
