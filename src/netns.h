/* Internals of the netns backend shared by its files: netns.c (interfaces, bridges, jails
 * opened), netns_link.c, netns_move.c, netns_mac.c, netns_jail.c, netns_lab.c, ... */
#ifndef JNET_NETNS_H
#define JNET_NETNS_H

#include "backend.h"
#include "netns_nl.h"

/* Interface group of everything jnet creates ("jn" in ASCII; `ip link show group 27246`). */
#define JNET_GROUP 0x6a6eU
/* Transient groups for bulk deletes: 0x6a6e0001..0x6a6effff (documented in jnet(8)). */
#define JNET_GROUP_TRANSIENT_BASE 0x6a6e0000U

#define NETNS_DIR "/run/netns"
/* A lab's namespaces are mounted in a tmpfs of its own, NETNS_LAB_DIR/LAB (netns_jail.c). */
#define NETNS_LAB_PARENT "/run/jnet"
#define NETNS_LAB_DIR NETNS_LAB_PARENT "/netns"
#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif
#define NN_JAILSOCKS 4

struct nn_jailsock {
	struct nl nl;
	char name[JNET_JAILNAMSIZ];
	int fd;
};

struct nn {
	struct nl host;     /* rtnetlink in our own netns */
	int self_fd;        /* our netns, to come home and to bring interfaces home */
	/* netlink sockets inside jails' namespaces, a small cache (labs use two at once) */
	struct nn_jailsock js[NN_JAILSOCKS];
	int js_next;
	bool netns_dir_ready;   /* /run/netns made a shared mount (once per process) */
	char lab_dir[128];      /* the lab tmpfs made ready by this process ("": none) */
};

/* A link message's attributes as a backend ifinfo (tag parsed). */
void nn_ifinfo_from(const struct nl_link *l, struct jnet_ifinfo *out);
int nn_jail_open(void *priv, const char *s, unsigned flags, struct jnet_jail *j,
    struct jnet_err *e);
void nn_jail_close(void *priv, struct jnet_jail *j);
/* A netlink socket inside the netns of jail `spec` (fd >= 0: its open netns fd). */
int nn_jail_sock(struct nn *n, const char *spec, int fd, struct nl **out, struct jnet_err *e);
/*
 * What one RTM_NEWLINK changes on an existing device. Every member left out (zero) leaves
 * that property alone, so a call site names only what it changes:
 *   nn_set_link(nl, &(struct nn_change){ .name = "eth0", .up = NN_UP, .what = "set up" }, e)
 */
enum nn_updown { NN_KEEP = 0, NN_UP, NN_DOWN };
struct nn_change {
	int ifindex;         /* the device, by index (0: by name) */
	const char *name;    /* its name (lookup when ifindex is 0; error messages) */
	enum nn_updown up;
	const char *alias;   /* the tag (IFLA_IFALIAS) */
	const int *nsfd;     /* move into the netns of *nsfd */
	int master;          /* > 0: enslave to that ifindex */
	unsigned mtu;
	bool no_ipv6;        /* IPv6 address generation off (ignored below IPv6's 1280 MTU) */
	const char *what;    /* the step, for the error */
};
int nn_set_link(struct nl *nl, const struct nn_change *c, struct jnet_err *e);
int nn_del_link(struct nl *nl, int ifindex, const char *name, struct jnet_err *e);
/* The name of the master ifindex `master` ("" when none or gone). */
int nn_master_name(struct nn *n, int master, char out[JNET_IFNAMSIZ], struct jnet_err *e);

/* be[] slots of struct jnet_link_info for this backend. */
enum { BE_HOST_IFINDEX, BE_PEER_IFINDEX, BE_PEER_NSID };

/* Links (netns_link.c). */
int nn_link_get(void *priv, const char *host_if, struct jnet_link_info *out, struct jnet_err *e);
int nn_link_list(void *priv, int (*cb)(const struct jnet_link_info *, void *), void *arg,
    struct jnet_err *e);
int nn_link_create(void *priv, const struct jnet_link_req *req, struct jnet_err *e);
int nn_link_destroy(void *priv, const struct jnet_link_info *l, struct jnet_err *e);
int nn_link_destroy_many(void *priv, const struct jnet_link_info *l, int cnt,
    struct jnet_err *e);

/* Changes to existing links (netns_move.c). */
int nn_link_in(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    struct jnet_err *e);
int nn_link_move(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    const struct jnet_jail *from, struct jnet_err *e);
int nn_link_set_up(void *priv, const struct jnet_link_info *l, bool up, struct jnet_err *e);
int nn_link_set_mtu(void *priv, const struct jnet_link_info *l, unsigned mtu,
    struct jnet_err *e);

/* A link's MACs on a bridge (netns_mac.c). */
int nn_mac_register(struct nl *nl, const struct jnet_link_req *req, int bridge,
    struct jnet_err *e);
int nn_mac_move(struct nn *n, const char *ifname, int bridge, const char *brname,
    struct jnet_err *e);
int nn_mac_holder(void *priv, const char *bridge, const uint8_t mac[6],
    char host_if[JNET_IFNAMSIZ], struct jnet_err *e);

/* netns_vlan.c: 802.1Q VLAN interfaces (backend vlan_create / vlan_destroy). */
int nn_vlan_create(void *priv, const char *name, const char *parent, int vid, const char *tag,
    struct jnet_err *e);
int nn_vlan_destroy(void *priv, const char *name, struct jnet_err *e);
/* netns_vxlan.c: VXLAN ports of lab bridges that span hosts (backend vxlan_create). */
int nn_vxlan_remotes(void *priv, const char *name, int ifindex, uint8_t (*dst)[16],
    uint16_t *port, int max, struct jnet_err *e);
int nn_vxlan_repair(void *priv, const struct jnet_vxlan_req *q, const bool *add,
    struct jnet_err *e);
int nn_vxlan_create(void *priv, const struct jnet_vxlan_req *req, struct jnet_err *e);
/* Move the given host-side devices into a transient group and delete that group. */
int nn_delete_bulk(struct nn *n, const int *ifindex, int cnt, struct jnet_err *e);

/* Lab jails (netns_jail.c). */
int nn_jail_create(void *priv, const char *name, const char *tag, struct jnet_err *e);
int nn_jail_tag(void *priv, const char *name, char *tag, size_t len, struct jnet_err *e);
int nn_jail_destroy(void *priv, const char *name, struct jnet_err *e);
int nn_jail_list(void *priv, const char *prefix, int (*cb)(const char *, const char *, void *),
    void *arg,
    struct jnet_err *e);
int nn_lab_jails_destroy(void *priv, const char *lab, char (*names)[JNET_JAILNAMSIZ], int n,
    struct jnet_err *e);

/* Other lab operations (netns_lab.c). */
int nn_jail_if_destroy(void *priv, const struct jnet_jail *j, int ifindex, const char *ifname,
    struct jnet_err *e);
int nn_addr_add(void *priv, const struct jnet_jail *j, const char *ifname, int family,
    const uint8_t *addr, int prefix, struct jnet_err *e);
int nn_addr_list(void *priv, const struct jnet_jail *j, const char *ifname,
    int (*cb)(const char *, int, const uint8_t *, int, void *), void *arg, struct jnet_err *e);
int nn_route_add(void *priv, const struct jnet_jail *j, int family, const uint8_t *dst,
    int prefix, const uint8_t *via, struct jnet_err *e);
int nn_forwarding(void *priv, const struct jnet_jail *j, bool on, struct jnet_err *e);
int nn_jail_exec(void *priv, const struct jnet_jail *j, char *const argv[], bool *entered,
    struct jnet_err *e);
int nn_link_destroy_jails(void *priv, char (*jails)[JNET_JAILNAMSIZ], int n, struct jnet_err *e);
int nn_jail_if_get(void *priv, const struct jnet_jail *j, const char *ifname,
    struct jnet_ifinfo *out, struct jnet_err *e);
int nn_route_list(void *priv, const struct jnet_jail *j,
    int (*cb)(int, const uint8_t *, int, const uint8_t *, void *), void *arg,
    struct jnet_err *e);

/* CNI plugin mode's bridge-port settings (netns_cni.c). */
int nn_port_hairpin(void *priv, const char *ifname, bool on, struct jnet_err *e);
int nn_if_set_promisc(void *priv, const char *ifname, bool on, struct jnet_err *e);

#endif
