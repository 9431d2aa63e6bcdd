/*
 * The FreeBSD primitives: the only door from the epair and netgraph backends to the kernel.
 *
 * One function = one kernel operation (one ioctl, one sysctl, one libjail call, one
 * netgraph message). Implemented twice, with the same names:
 *   - for real in src/fbsd/{ifnet,jail,lab,netgraph,pf}.c (compiled on FreeBSD only, against the target's own headers);
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

/* ================================================================ kernel modules */

/*
 * [modfind(2) + kldload(2)] Make sure kernel module `module` ("if_epair", "if_bridge",
 * "if_vlan", "ng_socket", "ng_eiface", "ng_bridge", "ng_ether") is present, as ifconfig(8)
 * does before it clones (ifconfig.c ifmaybeload): 0 when modfind finds it or kldload loads
 * it (EEXIST from kldload: loaded meanwhile, 0 too); else kldload's -errno: -EPERM where
 * loading is not allowed (inside a jail, or securelevel > 0: kern_linker.c
 * kern_kldload), -ENOENT no such module file. Without the module the kernel does not
 * know the cloner: SIOCIFCREATE2 answers EINVAL (if_clone.c if_clone_create).
 */
int fbsd_kld_ensure(const char *module);

/* ================================================================ ifnet: interfaces */

/*
 * [SIOCIFCREATE2] Create a cloned interface: cloner "epair", "bridge" or "vlan" (a plain cloner
 * name: the kernel picks the lowest free unit). On return `name` holds the new name; for
 * epair that is the a end "epairNa", the b end is the same text ending in 'b'.
 */
int fbsd_if_create(const char *cloner, char name[JNET_IFNAMSIZ]);

/*
 * [SIOCSETVLAN] Make vlan(4) interface `name` (made by fbsd_if_create("vlan"), module
 * if_vlan) carry VLAN `vid` of `parent` (struct vlanreq: vlr_parent, vlr_tag; if_vlan.c
 * vlan_ioctl -> vlan_config). -ENOENT no such parent; -EEXIST the parent has a vlan with
 * that tag already (vlan_inshash); -EBUSY `name` has a parent already; -EPROTONOSUPPORT
 * the parent cannot carry VLANs; -EINVAL a tag over 4095. A parent that goes away
 * unconfigures its vlans (vlan_ifdetach), it does not destroy them.
 */
int fbsd_vlan_set(const char *name, const char *parent, int vid);

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

/*
 * The flags word (ifr_flags | ifr_flagshigh << 16) for callers that know it, so that
 * setting IFF_UP is one ioctl instead of fbsd_if_set_up's two. The word is opaque but for
 * FBSD_IFF_UP. SIOCSIFFLAGS keeps the kernel's own bits (IFF_CANTCHANGE: broadcast,
 * running, promisc, ...) whatever is written (if.c ifhwioctl), so a word known up to
 * those is exact: the one just read, or 0 for an interface whose changeable flags are
 * all clear (a new epair or bridge: if_epair.c epair_setup_ifp, if_bridge.c
 * bridge_clone_create; SIOCSIFVNET and SIOCSIFRVNET clear only IFF_UP: if.c if_vmove ->
 * if_detach_internal -> if_down).
 */
#define FBSD_IFF_UP 0x1u
/* [SIOCGIFFLAGS] */
int fbsd_if_get_flags(int jid, const char *name, unsigned *flags);
/* [SIOCSIFFLAGS] Write `flags` (no read first). */
int fbsd_if_set_flags(int jid, const char *name, unsigned flags);

/* [sysctl NET_RT_IFLIST] The link-level (MAC) address; -ENOENT if it has none. */
int fbsd_if_get_mac(const char *name, uint8_t mac[6]);

/* [SIOCSIFLLADDR] Set the link-level (MAC) address. */
int fbsd_if_set_mac(const char *name, const uint8_t mac[6]);

/* [SIOCGIFMTU] */
int fbsd_if_get_mtu(int jid, const char *name, unsigned *mtu);

/* [SIOCSIFMTU] Only this end: an epair's peer keeps its own (if_epair.c epair_ioctl). A
 * bridge member cannot change it (EOPNOTSUPP); a bridge sets its members' too. */
int fbsd_if_set_mtu(int jid, const char *name, unsigned mtu);

/*
 * [SIOCGIFDESCR] The interface description (jnet's ownership tag). -ENOMSG when the
 * interface has none (that is what the kernel answers); -ENAMETOOLONG when it does not
 * fit in len (the kernel clears the buffer pointer then: if.c ifioctl).
 */
int fbsd_if_get_descr(const char *name, char *buf, size_t len);

/* [SIOCSIFDESCR] Set the description ("" clears it). */
int fbsd_if_set_descr(const char *name, const char *descr);

/* [SIOCAIFGROUP] Add the interface to a group (-EEXIST if it already is a member). */
int fbsd_if_add_group(const char *name, const char *group);

/*
 * [SIOCGIFGROUP] The groups of an interface: fills up to max names, returns how many
 * there are (may be more than max). Two ioctls (size, then list): -EINVAL when the list
 * grew in between (if.c if_getgroup); ask again.
 */
int fbsd_if_groups(const char *name, char (*groups)[JNET_IFNAMSIZ], int max);

/*
 * [SIOCGIFGMEMB] The members of an interface group in the host's vnet ("bridge": every
 * if_bridge; "jnet": everything jnet made). Fills up to max names, returns how many there
 * are. A group nobody is in: 0 (the kernel answers ENOENT; mapped to an empty list).
 * -EINVAL: the group grew between the size query and the fetch (if.c
 * if_getgroupmembers); ask again.
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

/* ================================================================ labs: jails and their vnets */

/*
 * Lab jails (jnet lab) are hierarchical: a parent "LAB" (persistent, no vnet of its own)
 * holds the lab's vnet jails "LAB.NAME". jail_set(2) with a dotted name creates the child
 * of the jail named by the part before the last dot (ENOENT when there is none).
 * fbsd_jail_create_vnet() above takes such names too.
 */

/* [jail_set(2) JAIL_CREATE] A persistent jail without a vnet of its own, path "/", with
 * host.hostname = `hostname` (set in the same call: the jail never exists without it). */
int fbsd_jail_create_parent(const char *name, const char *hostname, int *jid);

/* [jail_get(2) host.hostname] The jail's host.hostname. */
int fbsd_jail_hostname(int jid, char *buf, size_t len);

/* [jail_get(2) children.cur] How many child jails it has (dying ones included). */
int fbsd_jail_children(int jid, int *n);

struct fbsd_jail_info {
	int jid;
	char name[JNET_JAILNAMSIZ];   /* full name as the host sees it ("LAB.NAME") */
	bool dying;
	bool vnet;
};

/* [jail_get(2) "lastjid" walk with JAIL_DYING] Every jail: fills up to max, returns how
 * many there are. */
int fbsd_jail_list(struct fbsd_jail_info *v, int max);

/* One interface as seen inside a jail's vnet. */
struct fbsd_jif {
	char name[JNET_IFNAMSIZ];
	int index;
	bool up;
	bool has_mac;
	uint8_t mac[6];
	unsigned mtu;
};

/* [getifaddrs inside jail jid] One interface (-ENXIO: none of that name). */
int fbsd_jail_if_info(int jid, const char *name, struct fbsd_jif *out);

/* [getifaddrs inside jail jid] The interfaces' names: fills up to max, returns how many. */
int fbsd_jail_if_list(int jid, char (*names)[JNET_IFNAMSIZ], int max);

/* [SIOCGIFDESCR inside jail jid] As fbsd_if_get_descr (-ENOMSG: no description). */
int fbsd_jail_if_get_descr(int jid, const char *name, char *buf, size_t len);

/*
 * [SIOCGIFFLAGS + SIOCGIFDESCR inside jail jid, one child] An interface's up flag and its
 * description at once (the netgraph backend's read of a link in a jail). -ENOMSG: no
 * description (*up is set); other errors as fbsd_if_get_up (*up not set).
 */
int fbsd_jail_if_probe(int jid, const char *name, bool *up, char *descr, size_t len);

/* [SIOCSIFDESCR inside jail jid] */
int fbsd_jail_if_set_descr(int jid, const char *name, const char *descr);

/* [SIOCSIFNAME inside jail jid] As fbsd_if_rename, in the jail's vnet (-EEXIST: the name
 * is taken there). */
int fbsd_jail_if_rename(int jid, const char *name, const char *newname);

/* An address of an interface. family AF_INET / AF_INET6, network byte order. */
struct fbsd_addr {
	char ifname[JNET_IFNAMSIZ];
	int family;
	uint8_t addr[16];
	int prefix;
};

/*
 * [SIOCAIFADDR / SIOCAIFADDR_IN6 inside jail jid] Add an address (IPv6: IN6_IFF_NODAD,
 * infinite lifetimes). The same address on the same interface is replaced (0).
 */
int fbsd_jail_addr_add(int jid, const char *ifname, int family, const uint8_t *addr,
    int prefix);

/* [getifaddrs inside jail jid] IPv4/IPv6 addresses of ifname (NULL: of every interface):
 * fills up to max, returns how many there are. */
int fbsd_jail_addrs(int jid, const char *ifname, struct fbsd_addr *v, int max);

/* A gateway route. prefix 0: default. */
struct fbsd_route {
	int family;
	uint8_t dst[16];
	int prefix;
	uint8_t gw[16];
};

/* [RTM_ADD on a routing socket inside jail jid] dst/prefix via gateway gw (RTF_GATEWAY |
 * RTF_STATIC). EEXIST: that destination exists; ENETUNREACH: gw is on no connected net. */
int fbsd_jail_route_add(int jid, int family, const uint8_t *dst, int prefix,
    const uint8_t *gw);

/* [sysctl NET_RT_DUMP inside jail jid] The gateway routes: fills up to max, returns how
 * many there are. */
int fbsd_jail_routes(int jid, struct fbsd_route *v, int max);

/* [sysctl net.inet.ip.forwarding (AF_INET) / net.inet6.ip6.forwarding (AF_INET6) inside
 * jail jid] */
int fbsd_jail_set_forwarding(int jid, int family, bool on);

/* [jail_attach(2) + execvp(3)] Run argv inside jail jid in this process: returns only on
 * failure. */
int fbsd_jail_exec(int jid, char *const argv[]);

/* ================================================================ pf(4) tables */

/*
 * pf tables of the main ruleset (anchor ""), through ioctls on /dev/pf (one open, one
 * ioctl, close: src/fbsd/pf.c; modelled in tests/model/kernel/model_pf.c). The masquerade of CNI
 * containers (fbc_masq) keeps their addresses in a table that the administrator's pf.conf
 * NAT rule uses (`nat on $ext_if inet from <cni-nat> to any -> ($ext_if)`), as FreeBSD's
 * CNI plugins do with `pfctl -t cni-nat -T add ADDR`.
 * Errors common to all: -ENOENT no /dev/pf (pf(4) is not loaded, or no such device in
 * this jail); -EACCES / -EPERM not allowed (not root, securelevel); -EINVAL a bad name
 * or address (pf_table.c pfr_validate_table / pfr_validate_addr: host bits set beyond the
 * prefix are refused); -ESRCH no such table, or one that only a rule references (not
 * PFR_TFLAG_ACTIVE).
 */
#define FBSD_PF_TABLESIZ 32  /* PF_TABLE_NAME_SIZE, with the NUL */

struct fbsd_pfaddr {
	int family;          /* AF_INET / AF_INET6 */
	uint8_t addr[16];    /* network byte order */
	int prefix;          /* pfra_net */
};

/* [DIOCRADDTABLES] Create table `table` persistent (PFR_TFLAG_PERSIST): 1 created, 0 it
 * existed (the kernel's pfrio_nadd). */
int fbsd_pf_table_create(const char *table);

/* [DIOCRADDADDRS] Add one address: 1 added, 0 it was there already (pfrio_nadd: a
 * duplicate is no error). */
int fbsd_pf_addr_add(const char *table, const struct fbsd_pfaddr *a);

/* [DIOCRDELADDRS] Delete one address (exact address and prefix): 1 deleted, 0 it was not
 * there (pfrio_ndel). */
int fbsd_pf_addr_del(const char *table, const struct fbsd_pfaddr *a);

/* [DIOCRGETADDRS] The table's addresses: returns how many there are; fills v when they
 * fit in max (the kernel fills nothing when they do not: pf_table.c pfr_get_addrs). */
int fbsd_pf_addrs(const char *table, struct fbsd_pfaddr *v, int max);

/* ================================================================ netgraph */

/*
 * netgraph(4): one function = one message on this process's netgraph control socket
 * (NgSendMsg, and NgAllocRecvMsg for the reply when there is one). Implemented in
 * src/fbsd/netgraph.c with libnetgraph, modelled in tests/model/kernel/model_ng.c.
 *
 * The control socket is itself a node (type "socket", unnamed), made on first use and kept
 * until fbsd_ng_close() or the end of the process; the kernel removes it, with its hooks,
 * when the socket closes. It is the node "." of relative paths. Netgraph is per vnet: these
 * work in the host's.
 *
 * Paths are netgraph addresses: "NAME:", "[ID]:" (hex node ID), ".", and any of those
 * followed by hooks to traverse ("em0bridge:link2", ".:e"). A node name is 1..31
 * characters without '.' or ':' and not of the form "[hex]"; jnet also avoids '[' and ']',
 * which paths give a meaning. Usual errors: ENOENT no such node (or hook on the path),
 * EEXIST a hook of that name exists, EADDRINUSE a node of that name exists, EINVAL a name
 * or message the node refuses; NGM_MKPEER of a type not loaded loads module ng_TYPE and
 * fails with kldload's error (EPERM, ENOENT: ng_socket.c ngc_send).
 */
#define FBSD_NG_NAMSIZ 32    /* NG_NODESIZ = NG_HOOKSIZ = NG_TYPESIZ (with the NUL) */
#define FBSD_NG_PATHSIZ 512  /* NG_PATHSIZ */

struct fbsd_ng_node {
	char name[FBSD_NG_NAMSIZ];   /* "" when unnamed */
	char type[FBSD_NG_NAMSIZ];   /* "eiface", "bridge", "ether", "socket", ... */
	uint32_t id;                 /* unique in its vnet: path "[id]:" */
	unsigned hooks;              /* connected hooks */
};

struct fbsd_ng_hook {
	char hook[FBSD_NG_NAMSIZ];      /* the hook on the node asked about */
	char peerhook[FBSD_NG_NAMSIZ];  /* its peer's hook */
	struct fbsd_ng_node peer;
};

/* struct ng_bridge_link_stats, field for field. */
struct fbsd_ng_bridge_stats {
	uint64_t recv_octets, recv_packets, recv_multicasts, recv_broadcasts, recv_unknown,
	    recv_runts, recv_invalid, xmit_octets, xmit_packets, xmit_multicasts,
	    xmit_broadcasts, loop_drops, loop_detects, memory_failures;
};

/*
 * [NGM_MKPEER] Make a new node of `type` and connect it: hook `ourhook` of the node at
 * `path` to hook `peerhook` of the new node. The new node is then reachable as
 * "PATH.OURHOOK" (or "PATH:OURHOOK" for a bare node path).
 */
int fbsd_ng_mkpeer(const char *path, const char *type, const char *ourhook,
    const char *peerhook);

/* [NGM_CONNECT] Connect hook `ourhook` of the node at `path` to hook `peerhook` of the
 * node at `peerpath` (absolute, or relative to the node at `path`). */
int fbsd_ng_connect(const char *path, const char *peerpath, const char *ourhook,
    const char *peerhook);

/* [NGM_NAME] Name (or rename) the node at `path`. */
int fbsd_ng_name(const char *path, const char *name);

/* [NGM_RMHOOK] Disconnect hook `hook` of the node at `path` (no such hook: 0). */
int fbsd_ng_rmhook(const char *path, const char *hook);

/* [NGM_SHUTDOWN] Shut the node down (its type decides what that means: an eiface goes
 * with its interface wherever that is; an ether node only drops its hooks and resets). */
int fbsd_ng_shutdown(const char *path);

/* [NGM_NODEINFO] */
int fbsd_ng_nodeinfo(const char *path, struct fbsd_ng_node *out);

/*
 * [NGM_LISTHOOKS] The node (node may be NULL) and its hooks with their peers: fills up to
 * max hooks, returns how many there are.
 */
int fbsd_ng_listhooks(const char *path, struct fbsd_ng_node *node, struct fbsd_ng_hook *hooks,
    int max);

/* [NGM_LISTNODES, or NGM_LISTNAMES when named_only] Nodes of the vnet: fills up to max,
 * returns how many there are. */
int fbsd_ng_listnodes(bool named_only, struct fbsd_ng_node *nodes, int max);

/* [NGM_EIFACE_GET_IFNAME] The interface of an eiface node, wherever (vnet) it is. */
int fbsd_ng_eiface_ifname(const char *path, char ifname[JNET_IFNAMSIZ]);

/* [NGM_EIFACE_GET_IFADDRS] The MAC of the eiface's interface, wherever (vnet) it is (the
 * link-level address among the interface's addresses). -ENOENT if it has none. */
int fbsd_ng_eiface_mac(const char *path, uint8_t mac[6]);

/* [NGM_EIFACE_SET] Set the eiface interface's MAC. */
int fbsd_ng_eiface_set_mac(const char *path, const uint8_t mac[6]);

/* [NGM_ETHER_SET_PROMISC] ng_ether: promiscuous mode of the interface, on or off. */
int fbsd_ng_ether_set_promisc(const char *path, bool on);

/* [NGM_ETHER_SET_AUTOSRC] ng_ether: overwrite the source MAC of frames sent down, or not. */
int fbsd_ng_ether_set_autosrc(const char *path, bool on);

/* [NGM_BRIDGE_GET_STATS] Counters of hook "link<link>" (link >= 0) or "uplink<-link>"
 * (link < 0) of an ng_bridge; ENOTCONN when there is no such hook. */
int fbsd_ng_bridge_stats(const char *path, int link, struct fbsd_ng_bridge_stats *out);

/* [NGM_BRIDGE_SET_PERSISTENT] Keep the ng_bridge when its last hook goes. */
int fbsd_ng_bridge_set_persistent(const char *path);

/* Close this process's control socket (its node goes, and with it its hooks). */
void fbsd_ng_close(void);

#endif
