#include "netns_nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int
nl_open(struct nl *nl, int nsfd, struct jnet_err *e)
{
	int self = -1, one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(NL_BUFSIZE);
	if (nl->buf == NULL)
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	if (nsfd >= 0) {
		/* A netlink socket belongs to the netns it was created in. */
		self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
			err = errno;
			if (self >= 0)
				close(self);
			free(nl->buf);
			nl->buf = NULL;
			return jnet_err_sys(e, err, "", "entering network namespace");
		}
	}
	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	err = errno;
	if (self >= 0) {
		if (setns(self, CLONE_NEWNET) < 0)
			abort(); /* cannot go home: continuing would act on the wrong netns */
		close(self);
	}
	if (nl->sock == NULL) {
		free(nl->buf);
		nl->buf = NULL;
		return jnet_err_sys(e, err, "", "netlink socket");
	}
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = errno;
		nl_close(nl);
		return jnet_err_sys(e, err, "", "netlink bind");
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned)time(NULL);
	return 0;
}

void
nl_close(struct nl *nl)
{
	if (nl->sock != NULL)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
}

struct nlmsghdr *
nl_req(struct nl *nl, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	/* libmnl 1.0.4 does not zero attribute padding: start every request from zeroes. */
	memset(nl->buf, 0, NL_REQSIZE);
	nlh = mnl_nlmsg_put_header(nl->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

static const char *
ext_ack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	size_t off = sizeof(*err);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	mnl_attr_for_each(a, nlh, off)
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
			return mnl_attr_get_str(a);
	return NULL;
}

int
nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, const char *object,
    const char *what, struct jnet_err *e)
{
	unsigned seq = nlh->nlmsg_seq;
	ssize_t n;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return jnet_err_sys(e, errno, object, "%s: netlink send", what);
	for (;;) {
		const struct nlmsghdr *m;
		int len;

		n = mnl_socket_recvfrom(nl->sock, nl->buf, NL_BUFSIZE);
		if (n < 0)
			return jnet_err_sys(e, errno, object, "%s: netlink receive", what);
		len = (int)n;
		for (m = (const struct nlmsghdr *)nl->buf; mnl_nlmsg_ok(m, len);
		    m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq || m->nlmsg_pid != nl->portid)
				continue; /* a stale answer to an earlier request */
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(m);
				const char *msg;

				if (err->error == 0)
					return 0;
				msg = ext_ack_msg(m);
				if (msg != NULL && msg[0])
					return jnet_err_set(e, -err->error, object, "%s: %s (kernel: %s)",
					    what, strerror(-err->error), msg);
				return jnet_err_sys(e, -err->error, object, "%s", what);
			}
			if (m->nlmsg_type == NLMSG_DONE)
				return 0;
			if (cb != NULL && m->nlmsg_type >= NLMSG_MIN_TYPE) {
				int r = cb(m, data);

				if (r < MNL_CB_STOP)
					return jnet_err_set(e, EIO, object, "%s: bad netlink answer", what);
			}
		}
	}
}

struct linkinfo_ctx {
	struct nl_link *out;
};

static int
vxlan_attr(const struct nlattr *a, void *data)
{
	struct nl_link *out = data;
	size_t len = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case IFLA_VXLAN_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			out->vxlan_id = mnl_attr_get_u32(a);
		break;
	case IFLA_VXLAN_LOCAL:
	case IFLA_VXLAN_LOCAL6:
		if (len == 4 || len == 16)
			memcpy(out->vxlan_local, mnl_attr_get_payload(a), len);
		break;
	case IFLA_VXLAN_PORT:
		if (mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			out->vxlan_port = ntohs(mnl_attr_get_u16(a));
		break;
	}
	return MNL_CB_OK;
}

static int
linkinfo_attr(const struct nlattr *a, void *data)
{
	struct nl_link *out = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND && mnl_attr_validate(a, MNL_TYPE_STRING) >= 0)
		jnet_strlcpy(out->kind, mnl_attr_get_str(a), sizeof(out->kind));
	/* The kernel puts IFLA_INFO_KIND before IFLA_INFO_DATA. */
	if (mnl_attr_get_type(a) == IFLA_INFO_DATA && strcmp(out->kind, "vxlan") == 0)
		mnl_attr_parse_nested(a, vxlan_attr, out);
	return MNL_CB_OK;
}

static int
link_attr(const struct nlattr *a, void *data)
{
	struct nl_link *out = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_STRING) >= 0)
			jnet_strlcpy(out->name, mnl_attr_get_str(a), sizeof(out->name));
		break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(a) == 6) {
			memcpy(out->mac, mnl_attr_get_payload(a), 6);
			out->has_mac = 1;
		}
		break;
	case IFLA_MASTER:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			out->master = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_GROUP:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			out->group = mnl_attr_get_u32(a);
		break;
	case IFLA_IFALIAS:
		if (mnl_attr_validate(a, MNL_TYPE_STRING) >= 0)
			jnet_strlcpy(out->alias, mnl_attr_get_str(a), sizeof(out->alias));
		break;
	case IFLA_LINK:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			out->link = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_LINK_NETNSID:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			out->link_netnsid = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			out->mtu = mnl_attr_get_u32(a);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(a, linkinfo_attr, out);
		break;
	}
	return MNL_CB_OK;
}

int
nl_parse_link(const struct nlmsghdr *nlh, struct nl_link *out)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	memset(out, 0, sizeof(*out));
	out->link_netnsid = -1;
	out->ifindex = ifm->ifi_index;
	out->flags = ifm->ifi_flags;
	return mnl_attr_parse(nlh, sizeof(*ifm), link_attr, out) < 0 ? -EIO : 0;
}

static int
one_link(const struct nlmsghdr *nlh, void *data)
{
	return nl_parse_link(nlh, data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int
nl_get_link(struct nl *nl, const char *name, int ifindex, int netnsid, struct nl_link *out,
    struct jnet_err *e)
{
	struct nlmsghdr *nlh = nl_req(nl, RTM_GETLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	int r;

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (name != NULL)
		/* Longer than an interface name: an alternative name (see ip-link(8)). */
		mnl_attr_put_strz(nlh, strlen(name) < IFNAMSIZ ? IFLA_IFNAME : IFLA_ALT_IFNAME, name);
	if (netnsid >= 0)
		mnl_attr_put_u32(nlh, IFLA_TARGET_NETNSID, (uint32_t)netnsid);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	memset(out, 0, sizeof(*out));
	r = nl_talk(nl, nlh, one_link, out, name ? name : "", "get link", e);
	if (r == -ENODEV)
		jnet_err_clear(e);
	return r;
}

struct dump_ctx {
	int (*cb)(const struct nl_link *, void *);
	void *arg;
	int r;
};

static int
dump_one(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct nl_link l;

	if (nlh->nlmsg_type != RTM_NEWLINK || d->r != 0)
		return MNL_CB_OK;
	if (nl_parse_link(nlh, &l) < 0)
		return MNL_CB_ERROR;
	d->r = d->cb(&l, d->arg);
	return MNL_CB_OK;
}

int
nl_dump_links(struct nl *nl, int master, int (*cb)(const struct nl_link *, void *), void *arg,
    struct jnet_err *e)
{
	struct nlmsghdr *nlh = nl_req(nl, RTM_GETLINK, NLM_F_DUMP);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct dump_ctx d = { cb, arg, 0 };
	int r;

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (master > 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	r = nl_talk(nl, nlh, dump_one, &d, "", "list links", e);
	return r < 0 ? r : d.r;
}

static int
nsid_attr(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct rtgenmsg))
		if (mnl_attr_get_type(a) == NETNSA_NSID)
			*(int *)data = (int)mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

int
nl_peek_nsid(struct nl *nl, int fd, int *nsid, struct jnet_err *e)
{
	struct nlmsghdr *nlh = nl_req(nl, RTM_GETNSID, 0);
	struct rtgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	*nsid = -1;
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	return nl_talk(nl, nlh, nsid_attr, nsid, "", "get netns id", e);
}

int
nl_get_nsid(struct nl *nl, int fd, int *nsid, struct jnet_err *e)
{
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	int r;

	*nsid = -1;
	nlh = nl_req(nl, RTM_GETNSID, 0);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	if ((r = nl_talk(nl, nlh, nsid_attr, nsid, "", "get netns id", e)) < 0)
		return r;
	if (*nsid >= 0)
		return 0;
	/* None assigned yet: ask the kernel to pick one. */
	nlh = nl_req(nl, RTM_NEWNSID, 0);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)-1);
	r = nl_talk(nl, nlh, NULL, NULL, "", "assign netns id", e);
	if (r < 0 && r != -EEXIST)
		return r;
	nlh = nl_req(nl, RTM_GETNSID, 0);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	return nl_talk(nl, nlh, nsid_attr, nsid, "", "get netns id", e);
}
