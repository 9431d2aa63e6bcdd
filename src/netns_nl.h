/*
 * rtnetlink over libmnl for the netns backend (and the lab code): one socket per network
 * namespace, extended ACK on, requests pipelined where it helps.
 */
#ifndef JNET_NETNS_NL_H
#define JNET_NETNS_NL_H

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "jnet.h"

/* Receive buffer: large enough for a dump batch (libmnl 1.0.4 has no DUMP_SIZE). */
#define NL_BUFSIZE 32768
#define NL_REQSIZE 4096   /* largest request we build */

struct nl {
	struct mnl_socket *sock;
	unsigned portid;
	unsigned seq;
	char *buf;          /* NL_BUFSIZE bytes */
};

/* Open a rtnetlink socket in the current netns, or in the netns of nsfd (>= 0). */
int nl_open(struct nl *nl, int nsfd, struct jnet_err *e);
void nl_close(struct nl *nl);

/* Start a request in nl->buf: returns the header, with seq set and flags |= NLM_F_ACK. */
struct nlmsghdr *nl_req(struct nl *nl, uint16_t type, uint16_t flags);

/*
 * Send one request and read its answer(s) until the ACK (or NLMSG_DONE for dumps).
 * cb (may be NULL) sees every data message. On a kernel error returns -errno and fills e
 * with `what` and the kernel's extended-ACK message.
 */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, const char *object,
    const char *what, struct jnet_err *e);

/* The attributes of a link message, parsed. */
struct nl_link {
	int ifindex;
	unsigned flags;
	char name[16];
	unsigned char mac[6];
	int has_mac;
	int master;         /* ifindex of the master, 0 if none */
	unsigned group;
	char alias[320];
	char kind[16];      /* IFLA_INFO_KIND: "veth", "bridge", ... */
	int link;           /* IFLA_LINK: peer ifindex (veth), 0 if none */
	int link_netnsid;   /* IFLA_LINK_NETNSID, -1 if none (peer in the same netns) */
	unsigned mtu;
	/* kind "vxlan": IFLA_VXLAN_ID, LOCAL (4 bytes) or LOCAL6 (16), PORT (host order) */
	uint32_t vxlan_id;
	uint8_t vxlan_local[16];
	uint16_t vxlan_port;
};
int nl_parse_link(const struct nlmsghdr *nlh, struct nl_link *out);

/* RTM_GETLINK by name (or alternative name, when longer than IFNAMSIZ - 1) or index
 * (netnsid >= 0: in that peer netns). -ENODEV if absent. */
int nl_get_link(struct nl *nl, const char *name, int ifindex, int netnsid, struct nl_link *out,
    struct jnet_err *e);

/* Dump all links (optionally only those enslaved to master > 0); cb per link. */
int nl_dump_links(struct nl *nl, int master, int (*cb)(const struct nl_link *, void *),
    void *arg, struct jnet_err *e);

/* nsid of the netns `fd` as seen from nl's netns, assigning one if needed. */
int nl_get_nsid(struct nl *nl, int fd, int *nsid, struct jnet_err *e);
/* The same without assigning one (-1 when none is): for looking at foreign namespaces. */
int nl_peek_nsid(struct nl *nl, int fd, int *nsid, struct jnet_err *e);

#endif
