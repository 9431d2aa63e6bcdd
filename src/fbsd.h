/*
 * The FreeBSD primitives: the only door from the epair and netgraph backends to the kernel.
 *
 * One function = one kernel operation (one ioctl, one sysctl, one libjail call, one
 * netgraph message). Implemented twice, with the same names:
 *   - for real in src/fbsd_*.c (compiled on FreeBSD only, against the target's own headers);
 *   - as a behavioural model of the FreeBSD kernel in tests/model/ (compiled everywhere), so
 *     the backends are built and tested on Linux.
 * The signatures use jnet's own plain types (names as char *, MACs as uint8_t[6], flags as
 * bool), never FreeBSD structures, so this header compiles on every system.
 *
 * Every function returns 0 (or a count, where it says so) or -errno, the errno the kernel
 * gave. It never prints. The caller (a backend) turns an errno into a message that names the
 * operation: the names in brackets below ([SIOCIFCREATE2]) are what messages should say.
 *
 * `jid` parameters: FBSD_HOST (0) is the host's own vnet; any other JID runs the operation
 * inside that jail's vnet (real: fork, jail_attach(2) in the child, one ioctl there on a
 * socket created there, exit status carries the errno). jail_attach refuses a dying jail
 * (EINVAL), so in-jail operations fail for dying jails.
 */
#ifndef JNET_FBSD_H
#define JNET_FBSD_H

#include "jnet.h"

#define FBSD_HOST 0    /* the host's vnet (prison0) */

/* ================================================================ ifnet: interfaces */

/*
 * [SIOCIFCREATE2] Create a cloned interface: cloner "epair" or "bridge" (a plain cloner
 * name: the kernel picks the lowest free unit). On return `name` holds the new name; for
 * epair that is the a end "epairNa", the b end is the same text ending in 'b'.
 */
int fbsd_if_create(const char *cloner, char name[JNET_IFNAMSIZ]);

/* [SIOCIFDESTROY] Destroy a cloned interface (an epair end destroys both ends). */
int fbsd_if_destroy(const char *name);

/* [SIOCSIFNAME] Rename; newname at most 15 characters. */
int fbsd_if_rename(const char *name, const char *newname);

/* [SIOCGIFINDEX] The interface's index: the cheap "does it exist" test (-ENXIO if not). */
int fbsd_if_index(int jid, const char *name, int *index);

/* [SIOCGIFFLAGS] Is IFF_UP set. */
int fbsd_if_get_up(int jid, const char *name, bool *up);

/* [SIOCGIFFLAGS + SIOCSIFFLAGS] Set or clear IFF_UP (read-modify-write of the flags). */
int fbsd_if_set_up(int jid, const char *name, bool up);

/* [sysctl NET_RT_IFLIST] The link-level (MAC) address; -ENOENT if it has none. */
int fbsd_if_get_mac(const char *name, uint8_t mac[6]);

/* [SIOCSIFLLADDR] Set the link-level (MAC) address. */
int fbsd_if_set_mac(const char *name, const uint8_t mac[6]);

/* [SIOCSIFMTU] */
int fbsd_if_set_mtu(const char *name, unsigned mtu);

/*
 * [SIOCGIFDESCR] The interface description (jnet's ownership tag). -ENOMSG when the
 * interface has none (that is what the kernel answers).
 */
int fbsd_if_get_descr(const char *name, char *buf, size_t len);

/* [SIOCSIFDESCR] Set the description ("" clears it). */
int fbsd_if_set_descr(const char *name, const char *descr);

/* [SIOCAIFGROUP] Add the interface to a group (-EEXIST if it already is a member). */
int fbsd_if_add_group(const char *name, const char *group);

/*
 * [SIOCGIFGROUP] The groups of an interface: fills up to max names, returns how many
 * there are (may be more than max).
 */
int fbsd_if_groups(const char *name, char (*groups)[JNET_IFNAMSIZ], int max);

/*
 * [SIOCGIFGMEMB] The members of an interface group in the host's vnet ("bridge": every
 * if_bridge; "jnet": everything jnet made). Fills up to max names, returns how many there
 * are. A group nobody is in: 0 (the kernel answers ENOENT; mapped to an empty list).
 */
int fbsd_group_members(const char *group, char (*names)[JNET_IFNAMSIZ], int max);

/*
 * [getifaddrs] Does the interface carry an IPv4 or IPv6 address. Used to explain a refused
 * BRDGADD on FreeBSD 15 (members with addresses are refused by default).
 */
int fbsd_if_has_inaddr(const char *name, bool *has);

/* ================================================================ vnet: moves */

/* [SIOCSIFVNET] Move an interface of the host into jail `jid`'s vnet. */
int fbsd_if_vnet(const char *name, int jid);

/* [SIOCSIFRVNET] Bring interface `name` of jail `jid`'s vnet back to the host. */
int fbsd_if_rvnet(const char *name, int jid);

/* ================================================================ if_bridge(4) */

/* [SIOCSDRVSPEC BRDGADD] Add `member` to `bridge`. */
int fbsd_bridge_add(const char *bridge, const char *member);

/* [SIOCSDRVSPEC BRDGDEL] Remove `member` from `bridge`. */
int fbsd_bridge_del(const char *bridge, const char *member);

/*
 * [SIOCGDRVSPEC BRDGGIFS] The members of a bridge: fills up to max names, returns how many
 * there are.
 */
int fbsd_bridge_members(const char *bridge, char (*names)[JNET_IFNAMSIZ], int max);

/*
 * [SIOCGDRVSPEC BRDGGIFFLGS] Is `member` a member of `bridge`: 1 yes, 0 no (the kernel
 * answers ENOENT for a non-member), -errno otherwise. O(1), unlike listing the members.
 */
int fbsd_bridge_has_member(const char *bridge, const char *member);

/*
 * [sysctl net.link.bridge.member_ifaddrs] FreeBSD 15 refuses bridge members that carry IP
 * addresses unless this is 1. Systems without the sysctl (14 and older) allow them:
 * *allowed = true.
 */
int fbsd_bridge_member_ifaddrs(bool *allowed);

/* ================================================================ jails (libjail) */

/*
 * [jail_get(2) with JAIL_DYING] Resolve a jail by name or by JID (all digits): *jid, and
 * *dying when the jail was removed but still holds its vnet (jls -d). A live jail is
 * preferred over a dying one of the same name. -ENOENT: no such jail.
 */
int fbsd_jail_getid(const char *spec, int *jid, bool *dying);

/* [jail_set(2) JAIL_CREATE] A persistent vnet jail ("vnet=new persist path=/"). */
int fbsd_jail_create_vnet(const char *name, int *jid);

/* [jail_remove(2)] */
int fbsd_jail_remove(int jid);

/* ================================================================ netgraph */

/*
 * netgraph(4) primitives (one function = one netgraph message on a control socket:
 * NGM_MKPEER, NGM_CONNECT, NGM_NAME, NGM_SHUTDOWN, NGM_RMHOOK, NGM_EIFACE_*, NGM_BRIDGE_*,
 * ...) go here, implemented in src/fbsd_netgraph.c and modelled in tests/model/model_ng.c.
 */

#endif
