/*
 * The backend interface: one struct of function pointers per backend, registered in one
 * explicit table (backend.c) and chosen at run time (-t, $JNET_BACKEND, else the OS default).
 *
 * Contract for every operation:
 *   - returns 0 or -errno, and on failure fills `e` (object + reason, kernel text included);
 *   - never prints, never exits;
 *   - is atomic as seen by the core: when it fails it leaves nothing of its own behind
 *     (a backend undoes its own partial steps). The core composes operations and keeps
 *     an undo log (txn.h) for rollback across operations.
 *   - never touches an object whose ownership tag does not say it is jnet's, except
 *     where the operation says so (uplinks are only added to / removed from bridges).
 */
#ifndef JNET_BACKEND_H
#define JNET_BACKEND_H

#include "jnet.h"
#include "names.h"
#include "tag.h"
#include "view.h"

struct jnet_backend;

#define JNET_JAIL_SPEC 0x1 /* jail_open: `s` may be a spec, not only a name */

/* jail_list's tag for a left-over name that holds nothing; jail_destroy removes it. */
#define JNET_JAIL_STALE "stale"

/* A jail (FreeBSD jail, Linux network namespace) resolved by the backend. */
struct jnet_jail {
	char name[JNET_JAILNAMSIZ]; /* as the user gave it */
	bool exists;                /* false: no such jail (yet) */
	bool dying;                 /* FreeBSD: jail is being removed */
	int jid;                    /* FreeBSD JID, -1 if none */
	int fd;                     /* Linux: open netns fd, -1 if none */
};

/* An interface as the backend sees it in the host (or in a given jail). */
struct jnet_ifinfo {
	char name[JNET_IFNAMSIZ];
	int ifindex;                 /* Linux ifindex / FreeBSD if_index / netgraph node ID */
	uint8_t mac[6];
	bool has_mac;
	bool up;
	bool is_bridge;
	bool is_vlan;                 /* an 802.1Q VLAN interface (Linux kind vlan, FreeBSD vlan(4)) */
	bool is_vxlan;               /* a VXLAN interface (Linux kind vxlan, FreeBSD vxlan(4)) */
	bool jnet_group;             /* in jnet's interface group: created by jnet */
	char master[JNET_IFNAMSIZ];  /* bridge it is a member of, "" if none */
	bool tagged;                 /* `tag` parsed from the interface's tag text */
	struct jnet_tag tag;
	char tagtext[JNET_TAGSIZ];   /* raw alias/description, may be "" */
	unsigned mtu;
	/* is_vxlan (netns): its VNI, local address (network order; IPv4 in the first 4
	 * bytes) and UDP port (host order), as the kernel has them */
	uint32_t vni;
	uint8_t vx_local[16];
	uint16_t vx_port;
};

/* A VXLAN port of a lab bridge (vxlan_create). Addresses in network byte order. */
struct jnet_vxlan_req {
	const char *name;
	const char *bridge;
	const char *tag;
	uint32_t vni;
	int family;                  /* of the underlay: AF_INET or AF_INET6 */
	uint8_t local[16];
	uint16_t port;               /* this host's UDP port (host byte order) */
	unsigned mtu;
	int nremotes;
	const uint8_t (*remote)[16];
	const uint16_t *remote_port; /* host byte order */
};

/* Where the jail end of a link is. */
enum jnet_where {
	JNET_WHERE_HOST,    /* on the host, not yet attached */
	JNET_WHERE_JAIL,    /* inside a jail (its vnet / netns) */
	JNET_WHERE_GONE,    /* no jail end (netgraph has none; or the pair is half-gone) */
	JNET_WHERE_UNKNOWN,
};

/* One link of a jail, found through the host end's tag. */
struct jnet_link_info {
	char jail[JNET_JAILNAMSIZ];
	int index;
	char host_if[JNET_IFNAMSIZ];
	char jail_if[JNET_IFNAMSIZ];   /* "" when the backend has one end only */
	char bridge[JNET_IFNAMSIZ];    /* "" when not on a bridge */
	uint8_t host_mac[6];
	uint8_t jail_mac[6];
	bool jail_mac_known;
	bool host_up;
	bool jail_up;                  /* valid when jail_mac_known */
	enum jnet_where where;
	char where_jail[JNET_JAILNAMSIZ]; /* jail that holds the jail end, when known */
	bool tagged;                      /* false: in jnet's group but the tag is not set yet */
	/*
	 * The jail end is inside an older instance of the jail: a jail of that name exists
	 * now, but it is not the one that holds the jail end (netns deleted and made again;
	 * FreeBSD jail restarted while the old one is dying). addm/attach replace such links.
	 */
	bool stale;
	bool jail_untagged;               /* the jail end has no tag (a crash before it was set) */
	int count;                        /* tag's n= (links in the set), 0 if unknown */
	int64_t born;                     /* tag's t= (creation, epoch seconds), 0 if unknown */
	int64_t be[4];                    /* backend-private (e.g. peer ifindex, netns id) */
};

/* Everything needed to create one link; filled by the core. */
struct jnet_link_req {
	const char *jail;                 /* jail name (goes into the tags) */
	int index;
	char host_if[JNET_IFNAMSIZ];      /* final names */
	char jail_if[JNET_IFNAMSIZ];      /* unused by one-ended backends */
	char bridge[JNET_IFNAMSIZ];       /* bridge to join, "" for none */
	bool set_mac;                     /* false: kernel default MACs */
	uint8_t host_mac[6];
	uint8_t jail_mac[6];
	char host_tag[JNET_TAGSIZ];
	char jail_tag[JNET_TAGSIZ];
	const struct jnet_jail *into;     /* jail end goes here; NULL: stays on the host */
	const struct jnet_jail *host_into; /* labs' point-to-point links: the "host" end goes
	                                      into this jail too; NULL: on the host */
	bool up;                          /* create both ends up (no start_if hooks to run) */
	bool jail_no_ipv6;                /* no IPv6 address generation on the jail end(s) */
	unsigned mtu;                     /* 0: default */
};

/*
 * Labs, and the operations that act inside jails (which CNI, check and destroy use too).
 * A lab jail is a persistent jail with its own network stack (netns: a named network
 * namespace; FreeBSD: a persistent vnet jail), tagged `jnet/1 jail BACKEND LAB`. A backend
 * whose `lab` is set sets every member here not marked Optional.
 */
struct jnet_lab_ops {
	/* Create jail `name` with its loopback up and the tag set. -EEXIST if it exists. */
	int (*jail_create)(void *priv, const char *name, const char *tag, struct jnet_err *e);
	/* The tag of jail `name` ("" if none): 0, or -ENOENT when there is no such jail. */
	int (*jail_tag)(void *priv, const char *name, char *tag, size_t len, struct jnet_err *e);
	/* Remove jail `name` and every interface inside it. */
	int (*jail_destroy)(void *priv, const char *name, struct jnet_err *e);
	/* Call cb for every jail whose name starts with `prefix` and that carries a jnet tag
	 * (the prefix keeps a lab's teardown from opening every other jail on the host), and
	 * with tag JNET_JAIL_STALE for a name left by a crash that holds nothing (netns: an
	 * empty file in /run/netns with no namespace mounted on it). */
	int (*jail_list)(void *priv, const char *prefix,
	    int (*cb)(const char *name, const char *tag, void *), void *arg, struct jnet_err *e);
	/* Optional: remove lab `lab`'s jails `names` (all that jail_list found for it; n may
	 * be 0) as jail_destroy would, with whatever the backend keeps for the lab besides
	 * them, in one go (netns: one detach of the lab's tmpfs, see netns_jail.c). */
	int (*lab_jails_destroy)(void *priv, const char *lab, char (*names)[JNET_JAILNAMSIZ],
	    int n, struct jnet_err *e);
	/* Add an address (family AF_INET/AF_INET6, network byte order) to ifname inside j
	 * (j NULL: on the host; netns only, for CNI's isGateway). An address that is
	 * already there is success. */
	int (*addr_add)(void *priv, const struct jnet_jail *j, const char *ifname, int family,
	    const uint8_t *addr, int prefix, struct jnet_err *e);
	/* Call cb for every address of ifname inside j (ifname NULL: every interface). */
	int (*addr_list)(void *priv, const struct jnet_jail *j, const char *ifname,
	    int (*cb)(const char *ifname, int family, const uint8_t *addr, int prefix, void *),
	    void *arg, struct jnet_err *e);
	/* Look up an interface inside j: 0, or -ENODEV. */
	int (*jail_if_get)(void *priv, const struct jnet_jail *j, const char *ifname,
	    struct jnet_ifinfo *out, struct jnet_err *e);
	/* Optional: destroy interface `ifindex` (named ifname) inside j (a jail end whose
	 * host end was moved out of reach: destroying it takes its peer too). */
	int (*jail_if_destroy)(void *priv, const struct jnet_jail *j, int ifindex,
	    const char *ifname, struct jnet_err *e);
	/* Call cb for every static/gateway route inside j. */
	int (*route_list)(void *priv, const struct jnet_jail *j,
	    int (*cb)(int family, const uint8_t *dst, int prefix, const uint8_t *via, void *),
	    void *arg, struct jnet_err *e);
	/* Add a route inside j: dst/prefix via gateway `via`. An existing route is success. */
	int (*route_add)(void *priv, const struct jnet_jail *j, int family, const uint8_t *dst,
	    int prefix, const uint8_t *via, struct jnet_err *e);
	/* Turn IPv4 and IPv6 forwarding on or off inside j. */
	int (*forwarding)(void *priv, const struct jnet_jail *j, bool on, struct jnet_err *e);
	/* Replace this process with argv run inside j (never returns on success). On failure
	 * *entered tells whether this process was inside j already (only the exec of argv
	 * failed: -errno of execvp) or not (entering j failed). */
	int (*jail_exec)(void *priv, const struct jnet_jail *j, char *const argv[],
	    bool *entered, struct jnet_err *e);
	/* Remove, in as few kernel teardowns as possible, every link whose tag names one of
	 * the n jails (sorted with strcmp). Optional. */
	int (*link_destroy_jails)(void *priv, char (*jails)[JNET_JAILNAMSIZ], int n,
	    struct jnet_err *e);

	/*
	 * Optional (NULL: "not supported yet on this backend"; labs that span hosts, issue 14):
	 * create VXLAN interface req->name as a port of bridge req->bridge, in jnet's group,
	 * learning off, with a static all-zeros FDB entry to each remote VTEP (head-end
	 * replication), tagged and up. Atomic: on error nothing is left. vxlan_destroy: gone
	 * is success (the caller has checked the tag).
	 */
	int (*vxlan_create)(void *priv, const struct jnet_vxlan_req *req, struct jnet_err *e);
	int (*vxlan_destroy)(void *priv, const char *name, struct jnet_err *e);
	/* Optional (with vxlan_create): the all-zeros FDB entries of VXLAN port `name`
	 * (ifindex), their NDA_DST (network order) and NDA_PORT (host order, 0 when the
	 * entry has none: the port's own), up to max; returns how many there are. */
	int (*vxlan_remotes)(void *priv, const char *name, int ifindex, uint8_t (*dst)[16],
	    uint16_t *port, int max, struct jnet_err *e);
	/* Optional: make port req->name a port of req->bridge again, up, with req->mtu, and
	 * add the FDB entry of each remote i with add[i]. */
	int (*vxlan_repair)(void *priv, const struct jnet_vxlan_req *req, const bool *add,
	    struct jnet_err *e);
};

struct jnet_backend_ops {
	const char *name;                 /* "epair", "netgraph", "netns" */
	const char *summary;              /* one line for `jnet help` */
	enum jnet_name_style names;
	bool paired;                      /* two ends (a host end and a jail end) */
	int max_bridge_ports;             /* ports one bridge holds (Linux: 1023); 0: no limit */
	/*
	 * A port may have a smaller MTU than its bridge without lowering it (Linux, on a
	 * bridge whose MTU was set: jnet sets it on the bridges it makes); false where the
	 * kernel sets every member to the bridge's MTU (FreeBSD's if_bridge).
	 */
	bool port_mtu_below_bridge;
	/* Its bridges carry no tag (an ng_bridge has no description): an untagged bridge is
	 * not a crash leftover there. */
	bool bridges_untagged;

	/* Open kernel handles. `priv` is the backend's state for one command. */
	int (*open)(void **priv, struct jnet_err *e);
	void (*close)(void *priv);
	/* Between two commands of a batch (jnet -f), which share one `priv`: drop what must
	 * not outlive a command (handles inside jails, which keep them alive and may name a
	 * jail that has been replaced since). NULL: nothing to drop. */
	void (*end_command)(void *priv);

	/*
	 * Resolve a jail. Without JNET_JAIL_SPEC `s` is a jail name and nothing else (a jail
	 * NAME of `pid:1` or `/proc/1/ns/net` is a name, never the host's namespace); with it,
	 * `s` may also be a backend-specific spec (netns: pid:N or a path to an nsfs file;
	 * FreeBSD: a JID). Only `-J` passes specs.
	 */
	int (*jail_open)(void *priv, const char *s, unsigned flags, struct jnet_jail *j,
	    struct jnet_err *e);
	void (*jail_close)(void *priv, struct jnet_jail *j);

	/* Look up one interface on the host by name: 0, or -ENODEV when there is none. */
	int (*if_get)(void *priv, const char *ifname, struct jnet_ifinfo *out, struct jnet_err *e);
	/* Optional: forget what this command's if_get answers kept of ifname (a cache), so
	 * that the next if_get asks the kernel: called where another process may have changed
	 * it (addm, after waiting for a bridge's lock). NULL: if_get keeps nothing. */
	void (*if_forget)(void *priv, const char *ifname);
	/* Call cb for every bridge on the host (any owner). Stops early if cb returns nonzero. */
	int (*bridge_list)(void *priv, int (*cb)(const struct jnet_ifinfo *, void *), void *arg,
	    struct jnet_err *e);
	/*
	 * Create bridge `name` (tagged with `tag`, MAC pinned to `mac` if not NULL, with
	 * `uplink` as a member if not NULL). -EEXIST when an interface of that name exists
	 * (the caller decides whether it can use it).
	 */
	int (*bridge_create)(void *priv, const char *name, const char *uplink, const uint8_t *mac,
	    const char *tag, struct jnet_err *e);
	/* Destroy a bridge (the core has checked the tag). Members are released, not destroyed. */
	int (*bridge_destroy)(void *priv, const char *name, struct jnet_err *e);
	/* Number of members of a bridge, and their names (up to max). */
	int (*bridge_members)(void *priv, const char *name, char (*names)[JNET_IFNAMSIZ], int max,
	    struct jnet_err *e);
	/* Optional: put host interface ifname on bridge (repairs a link whose bridge was
	 * deleted and made again). */
	int (*if_set_master)(void *priv, const char *ifname, const char *bridge,
	    struct jnet_err *e);
	/* Optional: set the ownership tag of a host interface jnet created (a bridge whose
	 * creation was interrupted before it was tagged). */
	int (*if_set_tag)(void *priv, const char *ifname, const char *tag, struct jnet_err *e);
	/* Set an interface up on the host if it is not already (uplinks): never toggles. */
	int (*if_ensure_up)(void *priv, const char *ifname, struct jnet_err *e);
	/* Optional: set a host interface up or down (an uplink given back in the state it
	 * had before jnet brought it up). */
	int (*if_set_up)(void *priv, const char *ifname, bool up, struct jnet_err *e);
	/*
	 * Optional (NULL: the backend makes no VLANs): create 802.1Q VLAN interface `name`
	 * carrying VLAN `vid` of `parent`, tagged `tag` (a vlan tag) and up. Atomic. -EEXIST
	 * when an interface of that name exists; -EOPNOTSUPP (with the reason) when the
	 * kernel cannot make VLANs.
	 */
	int (*vlan_create)(void *priv, const char *name, const char *parent, int vid,
	    const char *tag, struct jnet_err *e);
	/* Destroy a VLAN interface (the core has checked its tag). Gone is success. */
	int (*vlan_destroy)(void *priv, const char *name, struct jnet_err *e);
	/* Create one link as described (names, MACs, tags, bridge, jail). Atomic. */
	int (*link_create)(void *priv, const struct jnet_link_req *req, struct jnet_err *e);
	/*
	 * Find the link whose host end is `host_if`: 0 and `out` filled; -ENODEV if there is
	 * no such interface; -EPERM if it exists but is not a jnet link (out->host_if set).
	 */
	int (*link_get)(void *priv, const char *host_if, struct jnet_link_info *out,
	    struct jnet_err *e);
	/*
	 * Optional: the host end of a link on `bridge` one of whose ends has `mac`, found
	 * without listing the bridge's ports (1 and host_if set; 0 when none). Without it the
	 * core lists the bridge's ports, a cost that grows with the bridge.
	 */
	int (*mac_holder)(void *priv, const char *bridge, const uint8_t mac[6],
	    char host_if[JNET_IFNAMSIZ], struct jnet_err *e);
	/* Call cb for every jnet link on the host (enumerates: show, gc). */
	int (*link_list)(void *priv, int (*cb)(const struct jnet_link_info *, void *), void *arg,
	    struct jnet_err *e);
	/* Destroy a link (both ends), wherever its jail end is. */
	int (*link_destroy)(void *priv, const struct jnet_link_info *l, struct jnet_err *e);
	/*
	 * Move the jail end into `j` (attach) or back to the host (j == NULL, detach), from
	 * the host or from jail `from` (NULL: where the backend finds it; the core passes a
	 * jail the user named when the end is in a jail other than its own, e.g. after
	 * `attach NAME OTHER`).
	 */
	int (*link_move)(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
	    const struct jnet_jail *from, struct jnet_err *e);
	/* Set the link's ends up or down (host end; jail end wherever it is). */
	int (*link_set_up)(void *priv, const struct jnet_link_info *l, bool up,
	    struct jnet_err *e);
	/* Optional: set the MTU of both ends (jail end wherever it is). */
	int (*link_set_mtu)(void *priv, const struct jnet_link_info *l, unsigned mtu,
	    struct jnet_err *e);
	/*
	 * Optional: 1 when the jail end of `l` is inside jail `j` (decided from host-side
	 * facts: netns id, JID), 0 when it is elsewhere (another jail, an older instance of
	 * this one), -errno when that cannot be told. NULL: the core uses `l->stale`.
	 */
	int (*link_in)(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
	    struct jnet_err *e);
	/*
	 * Optional: 1 when the jail end of `l` (where == JNET_WHERE_JAIL) is inside an older,
	 * dying instance of its jail, 0 when not, -errno. For a backend whose link_get leaves
	 * `l->stale` false because telling costs a walk over every jail (FreeBSD): the core
	 * asks only where it needs it (addm, attach). NULL: `l->stale` as link_get set it.
	 */
	int (*link_stale)(void *priv, const struct jnet_link_info *l, struct jnet_err *e);

	/*
	 * Optional (may be NULL): destroy several links at once, paying the kernel's
	 * per-teardown wait once instead of once per link. Same contract as link_destroy.
	 */
	int (*link_destroy_many)(void *priv, const struct jnet_link_info *l, int n,
	    struct jnet_err *e);

	/* Labs and what acts inside jails (struct jnet_lab_ops); NULL: the backend cannot
	 * build labs. */
	const struct jnet_lab_ops *lab;

	/* Optional (CNI plugin mode's hairpinMode, promiscMode): hairpin mode of bridge port
	 * ifname (frames may leave by the port they came in), and the promiscuous flag of a
	 * host interface. */
	int (*port_hairpin)(void *priv, const char *ifname, bool on, struct jnet_err *e);
	int (*if_set_promisc)(void *priv, const char *ifname, bool on, struct jnet_err *e);
	/*
	 * Optional (NULL: the caller masquerades otherwise; netns: src/cni_masq.c): CNI
	 * ipMasq of a container's address `addr` (family AF_INET/AF_INET6, network byte
	 * order; prefix: its network's, as in the CNI result) for the container
	 * `container_id` on network `network`. FreeBSD: the address alone (/32, /128) in pf
	 * table `table` (NULL: "cni-nat") that the administrator's NAT rule uses. add twice
	 * = once; removing what is not there, or what jnet did not add, is success and
	 * leaves it as it is.
	 */
	int (*masq)(void *priv, bool add, const char *table, const char *network,
	    const char *container_id, int family, const uint8_t *addr, int prefix,
	    struct jnet_err *e);

	/* Optional (may be NULL; netgraph has them), data for `jnet stats` and `jnet graph`
	 * (view.h): the bridge counters of link l (out->host_if set by the core), and the
	 * topology jnet works with (g empty on entry). */
	int (*link_stats)(void *priv, const struct jnet_link_info *l, struct jnet_link_stats *out,
	    struct jnet_err *e);
	int (*graph)(void *priv, struct jnet_graph *g, struct jnet_err *e);
};

/* The registry. */
const struct jnet_backend_ops *jnet_backend_find(const char *name);
const struct jnet_backend_ops *jnet_backend_default(void);
/* NULL-terminated list of every backend known to this build. */
const struct jnet_backend_ops *const *jnet_backends(void);
/*
 * If a backend is known but cannot run on this system, return its reason
 * (e.g. "the epair backend needs FreeBSD"), else NULL.
 */
const char *jnet_backend_unsupported(const char *name);

#endif
