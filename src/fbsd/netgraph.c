/*
 * The FreeBSD netgraph primitives (see fbsd.h): each is one message on this process's
 * netgraph control socket (NgSendMsg), plus the reply for those that have one
 * (NgAllocRecvMsg). Compiled on FreeBSD only, against the target's own headers, linked
 * with libnetgraph.
 *
 * The control socket is made on first use and kept: it is the node "." that holds a new
 * eiface or ng_bridge by a hook while jnet builds it. It is close-on-exec, so that hooks
 * (start_if/stop_if) run by jnet do not keep it (and its node) alive. libnetgraph's own
 * warnings are silenced: errors travel back as -errno, only the CLI prints.
 *
 * The kernel answers a failing message with the errno of sendto(2) (ng_socket.c ngc_send
 * delivers the message before it returns), and sends no reply then.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <net/ethernet.h>
#include <net/if_dl.h>

#include <netgraph.h>
#include <netgraph/ng_message.h>
#include <netgraph/ng_bridge.h>
#include <netgraph/ng_eiface.h>
#include <netgraph/ng_ether.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fbsd.h"

static int cs = -1;

static void
quiet(const char *fmt, ...)
{
	(void)fmt;
}

/* The control socket, made on first use. */
static int
ctl(void)
{
	if (cs >= 0)
		return cs;
	NgSetErrLog(quiet, quiet);
	if (NgMkSockNode(NULL, &cs, NULL) < 0) {
		int r = -errno;

		cs = -1;
		return r;
	}
	(void)fcntl(cs, F_SETFD, FD_CLOEXEC);
	return cs;
}

void
fbsd_ng_close(void)
{
	if (cs >= 0)
		close(cs);
	cs = -1;
}

/* Send one message; 0 or -errno. *token (if not NULL) is its token for the reply. */
static int
send_msg(const char *path, int cookie, int cmd, const void *arg, size_t len, int *token)
{
	int s = ctl(), t;

	if (s < 0)
		return s;
	t = NgSendMsg(s, path, cookie, cmd, arg, len);
	if (t < 0)
		return -errno;
	if (token != NULL)
		*token = t;
	return 0;
}

/* Send one message and receive its reply (allocated: free() it). */
static int
ask(const char *path, int cookie, int cmd, const void *arg, size_t len, struct ng_mesg **resp)
{
	int r, token;

	*resp = NULL;
	if ((r = send_msg(path, cookie, cmd, arg, len, &token)) < 0)
		return r;
	/* Replies come in order; skip any stale one (a reply to another token). */
	for (int tries = 0; tries < 8; tries++) {
		if (NgAllocRecvMsg(cs, resp, NULL) < 0)
			return -errno;
		if ((int)(*resp)->header.token == token && (*resp)->header.cmd == (u_int32_t)cmd)
			return 0;
		free(*resp);
		*resp = NULL;
	}
	return -EPROTO;
}

int
fbsd_ng_mkpeer(const char *path, const char *type, const char *ourhook, const char *peerhook)
{
	struct ngm_mkpeer m;

	memset(&m, 0, sizeof(m));
	if (strlcpy(m.type, type, sizeof(m.type)) >= sizeof(m.type) ||
	    strlcpy(m.ourhook, ourhook, sizeof(m.ourhook)) >= sizeof(m.ourhook) ||
	    strlcpy(m.peerhook, peerhook, sizeof(m.peerhook)) >= sizeof(m.peerhook))
		return -ENAMETOOLONG;
	return send_msg(path, NGM_GENERIC_COOKIE, NGM_MKPEER, &m, sizeof(m), NULL);
}

int
fbsd_ng_connect(const char *path, const char *peerpath, const char *ourhook,
    const char *peerhook)
{
	struct ngm_connect m;

	memset(&m, 0, sizeof(m));
	if (strlcpy(m.path, peerpath, sizeof(m.path)) >= sizeof(m.path) ||
	    strlcpy(m.ourhook, ourhook, sizeof(m.ourhook)) >= sizeof(m.ourhook) ||
	    strlcpy(m.peerhook, peerhook, sizeof(m.peerhook)) >= sizeof(m.peerhook))
		return -ENAMETOOLONG;
	return send_msg(path, NGM_GENERIC_COOKIE, NGM_CONNECT, &m, sizeof(m), NULL);
}

int
fbsd_ng_name(const char *path, const char *name)
{
	struct ngm_name m;

	memset(&m, 0, sizeof(m));
	if (strlcpy(m.name, name, sizeof(m.name)) >= sizeof(m.name))
		return -EINVAL; /* what ng_name_node says of a name that does not fit */
	return send_msg(path, NGM_GENERIC_COOKIE, NGM_NAME, &m, sizeof(m), NULL);
}

int
fbsd_ng_rmhook(const char *path, const char *hook)
{
	struct ngm_rmhook m;

	memset(&m, 0, sizeof(m));
	if (strlcpy(m.ourhook, hook, sizeof(m.ourhook)) >= sizeof(m.ourhook))
		return -ENAMETOOLONG;
	return send_msg(path, NGM_GENERIC_COOKIE, NGM_RMHOOK, &m, sizeof(m), NULL);
}

int
fbsd_ng_shutdown(const char *path)
{
	return send_msg(path, NGM_GENERIC_COOKIE, NGM_SHUTDOWN, NULL, 0, NULL);
}

static void
node_from(const struct nodeinfo *ni, struct fbsd_ng_node *out)
{
	memset(out, 0, sizeof(*out));
	strlcpy(out->name, ni->name, sizeof(out->name));
	strlcpy(out->type, ni->type, sizeof(out->type));
	out->id = ni->id;
	out->hooks = ni->hooks;
}

int
fbsd_ng_nodeinfo(const char *path, struct fbsd_ng_node *out)
{
	struct ng_mesg *resp;
	int r = ask(path, NGM_GENERIC_COOKIE, NGM_NODEINFO, NULL, 0, &resp);

	if (r < 0)
		return r;
	if (resp->header.arglen < sizeof(struct nodeinfo)) {
		free(resp);
		return -EPROTO;
	}
	node_from((const struct nodeinfo *)(void *)resp->data, out);
	free(resp);
	return 0;
}

int
fbsd_ng_listhooks(const char *path, struct fbsd_ng_node *node, struct fbsd_ng_hook *hooks,
    int max)
{
	const struct hooklist *hl;
	struct ng_mesg *resp;
	int r = ask(path, NGM_GENERIC_COOKIE, NGM_LISTHOOKS, NULL, 0, &resp);
	u_int32_t n;

	if (r < 0)
		return r;
	hl = (const struct hooklist *)(void *)resp->data;
	if (resp->header.arglen < sizeof(*hl)) {
		free(resp);
		return -EPROTO;
	}
	n = hl->nodeinfo.hooks;
	if (resp->header.arglen < sizeof(*hl) + (size_t)n * sizeof(hl->link[0])) {
		free(resp);
		return -EPROTO;
	}
	if (node != NULL)
		node_from(&hl->nodeinfo, node);
	for (u_int32_t i = 0; i < n && (int)i < max; i++) {
		memset(&hooks[i], 0, sizeof(hooks[i]));
		strlcpy(hooks[i].hook, hl->link[i].ourhook, sizeof(hooks[i].hook));
		strlcpy(hooks[i].peerhook, hl->link[i].peerhook, sizeof(hooks[i].peerhook));
		node_from(&hl->link[i].nodeinfo, &hooks[i].peer);
	}
	free(resp);
	return (int)n;
}

int
fbsd_ng_listnodes(bool named_only, struct fbsd_ng_node *nodes, int max)
{
	const struct namelist *nl;
	struct ng_mesg *resp;
	int r = ask(".", NGM_GENERIC_COOKIE, named_only ? NGM_LISTNAMES : NGM_LISTNODES, NULL,
	    0, &resp);
	u_int32_t n;

	if (r < 0)
		return r;
	nl = (const struct namelist *)(void *)resp->data;
	if (resp->header.arglen < sizeof(*nl)) {
		free(resp);
		return -EPROTO;
	}
	n = nl->numnames;
	if (resp->header.arglen < sizeof(*nl) + (size_t)n * sizeof(nl->nodeinfo[0])) {
		free(resp);
		return -EPROTO;
	}
	for (u_int32_t i = 0; i < n && (int)i < max; i++)
		node_from(&nl->nodeinfo[i], &nodes[i]);
	free(resp);
	return (int)n;
}

int
fbsd_ng_eiface_ifname(const char *path, char ifname[JNET_IFNAMSIZ])
{
	struct ng_mesg *resp;
	int r = ask(path, NGM_EIFACE_COOKIE, NGM_EIFACE_GET_IFNAME, NULL, 0, &resp);

	if (r < 0)
		return r;
	if (resp->header.arglen == 0) {
		free(resp);
		return -EPROTO;
	}
	/* The kernel sends IFNAMSIZ bytes, NUL-terminated (ng_eiface.c strlcpy). */
	memset(ifname, 0, JNET_IFNAMSIZ);
	memcpy(ifname, resp->data,
	    resp->header.arglen < JNET_IFNAMSIZ ? resp->header.arglen : JNET_IFNAMSIZ - 1);
	free(resp);
	return 0;
}

/* What the kernel's SA_SIZE (net/route.h) gives: the length rounded up to a long. */
static size_t
sa_size(const struct sockaddr *sa)
{
	if (sa->sa_len == 0)
		return sizeof(long);
	return 1 + ((sa->sa_len - 1) | (sizeof(long) - 1));
}

int
fbsd_ng_eiface_mac(const char *path, uint8_t mac[6])
{
	struct ng_mesg *resp;
	int r = ask(path, NGM_EIFACE_COOKIE, NGM_EIFACE_GET_IFADDRS, NULL, 0, &resp);
	size_t off = 0;

	if (r < 0)
		return r;
	/* The interface's addresses, each a sockaddr of SA_SIZE bytes (ng_eiface.c
	 * NGM_EIFACE_GET_IFADDRS); the link-level one carries the MAC. */
	r = -ENOENT;
	while (off + sizeof(struct sockaddr) <= resp->header.arglen) {
		const struct sockaddr *sa = (const struct sockaddr *)(void *)(resp->data + off);
		size_t n = sa_size(sa);

		if (off + n > resp->header.arglen)
			break;
		if (sa->sa_family == AF_LINK &&
		    sa->sa_len >= offsetof(struct sockaddr_dl, sdl_data)) {
			const struct sockaddr_dl *sdl = (const struct sockaddr_dl *)(const void *)sa;

			if (sdl->sdl_alen == ETHER_ADDR_LEN &&
			    offsetof(struct sockaddr_dl, sdl_data) + sdl->sdl_nlen +
			    ETHER_ADDR_LEN <= sa->sa_len) {
				memcpy(mac, LLADDR(sdl), ETHER_ADDR_LEN);
				r = 0;
				break;
			}
		}
		off += n;
	}
	free(resp);
	return r;
}

int
fbsd_ng_eiface_set_mac(const char *path, const uint8_t mac[6])
{
	return send_msg(path, NGM_EIFACE_COOKIE, NGM_EIFACE_SET, mac, ETHER_ADDR_LEN, NULL);
}

int
fbsd_ng_ether_set_promisc(const char *path, bool on)
{
	u_int32_t v = on ? 1 : 0;

	return send_msg(path, NGM_ETHER_COOKIE, NGM_ETHER_SET_PROMISC, &v, sizeof(v), NULL);
}

int
fbsd_ng_ether_set_autosrc(const char *path, bool on)
{
	u_int32_t v = on ? 1 : 0;

	return send_msg(path, NGM_ETHER_COOKIE, NGM_ETHER_SET_AUTOSRC, &v, sizeof(v), NULL);
}

int
fbsd_ng_bridge_stats(const char *path, int link, struct fbsd_ng_bridge_stats *out)
{
	const struct ng_bridge_link_stats *s;
	struct ng_mesg *resp;
	int32_t num = link; /* negative: uplink<-num> (ng_bridge.c NGM_BRIDGE_GET_STATS) */
	int r = ask(path, NGM_BRIDGE_COOKIE, NGM_BRIDGE_GET_STATS, &num, sizeof(num), &resp);

	if (r < 0)
		return r;
	if (resp->header.arglen < sizeof(*s)) {
		free(resp);
		return -EPROTO;
	}
	s = (const struct ng_bridge_link_stats *)(void *)resp->data;
	*out = (struct fbsd_ng_bridge_stats){
		.recv_octets = s->recvOctets, .recv_packets = s->recvPackets,
		.recv_multicasts = s->recvMulticasts, .recv_broadcasts = s->recvBroadcasts,
		.recv_unknown = s->recvUnknown, .recv_runts = s->recvRunts,
		.recv_invalid = s->recvInvalid, .xmit_octets = s->xmitOctets,
		.xmit_packets = s->xmitPackets, .xmit_multicasts = s->xmitMulticasts,
		.xmit_broadcasts = s->xmitBroadcasts, .loop_drops = s->loopDrops,
		.loop_detects = s->loopDetects, .memory_failures = s->memoryFailures,
	};
	free(resp);
	return 0;
}

int
fbsd_ng_bridge_set_persistent(const char *path)
{
	return send_msg(path, NGM_BRIDGE_COOKIE, NGM_BRIDGE_SET_PERSISTENT, NULL, 0, NULL);
}
