/*
 * The netns backend's lab operations inside lab jails (named network namespaces, made in
 * netns_jail.c): addresses, routes, forwarding, exec; the teardown of their links.
 */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
write_sysctl(const char *path, const char *value, struct jnet_err *e)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return jnet_err_sys(e, errno, path, "open");
	if (write(fd, value, strlen(value)) < 0)
		r = jnet_err_sys(e, errno, path, "write");
	close(fd);
	return r;
}

static int
jail_nl(struct nn *n, const struct jnet_jail *j, struct nl **nl, struct jnet_err *e)
{
	if (j == NULL) {
		*nl = &n->host; /* the host itself (CNI's isGateway: an address on a bridge) */
		return 0;
	}
	if (!j->exists)
		return jnet_err_set(e, ENOENT, j->name, "no such jail");
	return nn_jail_sock(n, j->name, j->fd, nl, e);
}

/* A socket inside jail j and the interface ifname there (-ENODEV with a message if none). */
static int
jail_link(struct nn *n, const struct jnet_jail *j, const char *ifname, struct nl **nl,
    struct nl_link *l, struct jnet_err *e)
{
	int r;

	if ((r = jail_nl(n, j, nl, e)) < 0)
		return r;
	if ((r = nl_get_link(*nl, ifname, 0, -1, l, e)) < 0)
		return r == -ENODEV ? jnet_err_set(e, ENODEV, ifname, "no such interface in %s",
		    j ? j->name : "the host") : r;
	return 0;
}

int
nn_addr_add(void *priv, const struct jnet_jail *j, const char *ifname, int family,
    const uint8_t *addr, int prefix, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	struct nl_link l;
	struct nl *nl;
	int r;

	if ((r = jail_link(n, j, ifname, &nl, &l, e)) < 0)
		return r;
	nlh = nl_req(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)prefix;
	ifa->ifa_index = (unsigned)l.ifindex;
	/* No duplicate address detection: a lab's addresses are planned, and DAD would keep
	 * an IPv6 address tentative (unusable) for a second or more. */
	ifa->ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0;
	mnl_attr_put(nlh, IFA_LOCAL, family == AF_INET ? 4 : 16, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, family == AF_INET ? 4 : 16, addr);
	r = nl_talk(nl, nlh, NULL, NULL, ifname, "add address", e);
	if (r == -EEXIST) {
		jnet_err_clear(e);
		return 0;
	}
	return r;
}

struct addr_cb {
	struct nl *nl;
	int ifindex;
	int (*cb)(const char *, int, const uint8_t *, int, void *);
	void *arg;
	int r;
	char names[64][IFNAMSIZ];
	int idx[64];
	int nnames;
};

static int
addr_one(const struct nlmsghdr *nlh, void *data)
{
	struct addr_cb *a = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *at;
	const uint8_t *addr = NULL;
	const char *name = "";

	if (nlh->nlmsg_type != RTM_NEWADDR || a->r != 0)
		return MNL_CB_OK;
	if (a->ifindex > 0 && (int)ifa->ifa_index != a->ifindex)
		return MNL_CB_OK;
	mnl_attr_for_each(at, nlh, sizeof(*ifa)) {
		int t = mnl_attr_get_type(at);
		if (t == IFA_LOCAL || (t == IFA_ADDRESS && addr == NULL))
			addr = mnl_attr_get_payload(at);
	}
	if (addr == NULL)
		return MNL_CB_OK;
	for (int i = 0; i < a->nnames; i++)
		if (a->idx[i] == (int)ifa->ifa_index)
			name = a->names[i];
	a->r = a->cb(name, ifa->ifa_family, addr, ifa->ifa_prefixlen, a->arg);
	return MNL_CB_OK;
}

static int
name_one(const struct nl_link *l, void *arg)
{
	struct addr_cb *a = arg;

	if (a->nnames < 64) {
		jnet_strlcpy(a->names[a->nnames], l->name, IFNAMSIZ);
		a->idx[a->nnames++] = l->ifindex;
	}
	return 0;
}

int
nn_addr_list(void *priv, const struct jnet_jail *j, const char *ifname,
    int (*cb)(const char *, int, const uint8_t *, int, void *), void *arg, struct jnet_err *e)
{
	struct nn *n = priv;
	struct addr_cb *a;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	struct nl_link l;
	struct nl *nl;
	int r;

	if ((r = jail_nl(n, j, &nl, e)) < 0)
		return r;
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	a->cb = cb;
	a->arg = arg;
	if (ifname != NULL) {
		if ((r = nl_get_link(nl, ifname, 0, -1, &l, e)) < 0)
			goto out;
		a->ifindex = l.ifindex;
		name_one(&l, a);
	} else if ((r = nl_dump_links(nl, 0, name_one, a, e)) < 0) {
		goto out;
	}
	nlh = nl_req(nl, RTM_GETADDR, NLM_F_DUMP);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	r = nl_talk(nl, nlh, addr_one, a, ifname ? ifname : "", "list addresses", e);
	if (r == 0)
		r = a->r;
out:
	free(a);
	return r;
}

struct route_same {
	int family;
	const uint8_t *dst;
	int prefix;
	const uint8_t *via;
	bool found;
};

static int
route_same_one(int family, const uint8_t *dst, int prefix, const uint8_t *via, void *arg)
{
	struct route_same *s = arg;
	size_t len = family == AF_INET ? 4 : 16;

	if (family == s->family && prefix == s->prefix && memcmp(via, s->via, len) == 0 &&
	    (prefix == 0 || memcmp(dst, s->dst, len) == 0))
		s->found = true;
	return 0;
}

int
nn_route_add(void *priv, const struct jnet_jail *j, int family, const uint8_t *dst,
    int prefix, const uint8_t *via, struct jnet_err *e)
{
	struct nn *n = priv;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct nl *nl;
	int len = family == AF_INET ? 4 : 16, r;

	if ((r = jail_nl(n, j, &nl, e)) < 0)
		return r;
	nlh = nl_req(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)prefix;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	if (prefix > 0)
		mnl_attr_put(nlh, RTA_DST, (size_t)len, dst);
	mnl_attr_put(nlh, RTA_GATEWAY, (size_t)len, via);
	r = nl_talk(nl, nlh, NULL, NULL, j->name, "add route", e);
	if (r == -EEXIST) {
		/* Success only if the route there is this one: the kernel also says EEXIST for
		 * another route to the same destination (such as the connected route of the
		 * jail's own subnet), and that is a route this command did not make. */
		struct route_same same = { family, dst, prefix, via, false };
		struct jnet_err e2, kernel = *e;

		if (nn_route_list(priv, j, route_same_one, &same, &e2) == 0 && same.found) {
			jnet_err_clear(e);
			return 0;
		}
		return jnet_err_set(e, EEXIST, j->name,
		    "the kernel refused it: another route to that destination exists (%s)",
		    kernel.msg);
	}
	return r;
}

int
nn_forwarding(void *priv, const struct jnet_jail *j, bool on, struct jnet_err *e)
{
	struct nn *n = priv;
	int r;

	if (!j->exists)
		return jnet_err_set(e, ENOENT, j->name, "no such jail");
	/* /proc/sys/net shows the namespace of the thread that opens it. */
	if (setns(j->fd, CLONE_NEWNET) < 0)
		return jnet_err_sys(e, errno, j->name, "enter network namespace");
	r = write_sysctl("/proc/sys/net/ipv4/ip_forward", on ? "1" : "0", e);
	if (r == 0)
		r = write_sysctl("/proc/sys/net/ipv6/conf/all/forwarding", on ? "1" : "0", e);
	if (setns(n->self_fd, CLONE_NEWNET) < 0)
		abort();
	return r;
}

int
nn_jail_exec(void *priv, const struct jnet_jail *j, char *const argv[], bool *entered,
    struct jnet_err *e)
{
	(void)priv;
	*entered = false;
	if (!j->exists)
		return jnet_err_set(e, ENOENT, j->name, "no such jail");
	if (setns(j->fd, CLONE_NEWNET) < 0)
		return jnet_err_sys(e, errno, j->name, "enter network namespace");
	*entered = true;
	execvp(argv[0], argv);
	return jnet_err_sys(e, errno, argv[0], "exec");
}

struct jails_ctx {
	char (*jails)[JNET_JAILNAMSIZ];
	int njails;
	int *idx;
	int n, cap;
	/* untagged veths of jnet's group whose peer is in some namespace (crash leftovers):
	 * ifindex and the peer's namespace id, pairwise */
	int *uidx, *unsid;
	int un, ucap, un2, ucap2;
};

static int
jail_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int
push(int **v, int *n, int *cap, int x)
{
	if (*n == *cap) {
		int c = *cap ? 2 * *cap : 256;
		int *w = realloc(*v, (size_t)c * sizeof(*w));

		if (w == NULL)
			return -ENOMEM;
		*v = w;
		*cap = c;
	}
	(*v)[(*n)++] = x;
	return 0;
}

static int
jails_one(const struct nl_link *l, void *arg)
{
	struct jails_ctx *p = arg;
	struct jnet_tag t;

	if (l->alias[0] == '\0' && l->group == JNET_GROUP && strcmp(l->kind, "veth") == 0 &&
	    l->link_netnsid >= 0) {
		if (push(&p->uidx, &p->un, &p->ucap, l->ifindex) < 0 ||
		    push(&p->unsid, &p->un2, &p->ucap2, l->link_netnsid) < 0)
			return -ENOMEM;
		return 0;
	}
	if (jnet_tag_parse(l->alias, &t) < 0 || t.kind != JNET_TAG_LINK ||
	    bsearch(t.name, p->jails, (size_t)p->njails, JNET_JAILNAMSIZ, jail_cmp) == NULL)
		return 0;
	return push(&p->idx, &p->n, &p->cap, l->ifindex);
}

/*
 * The host ends of the given jails' links, by tag; and the untagged host ends (a crash
 * between creating a pair and tagging it) whose peer is inside one of those jails. Without
 * the latter, the namespace's teardown would remove them only later, asynchronously.
 */
int
nn_link_destroy_jails(void *priv, char (*jails)[JNET_JAILNAMSIZ], int njails,
    struct jnet_err *e)
{
	struct nn *n = priv;
	struct jails_ctx p;
	int r;

	memset(&p, 0, sizeof(p));
	p.jails = jails;
	p.njails = njails;
	r = nl_dump_links(&n->host, 0, jails_one, &p, e);
	if (r == -ENOMEM)
		jnet_err_set(e, ENOMEM, "", "out of memory");
	for (int i = 0; r == 0 && p.un > 0 && i < njails; i++) {
		struct jnet_jail j;
		int nsid = -1;

		if (nn_jail_open(n, jails[i], 0, &j, e) < 0 || !j.exists) {
			jnet_err_clear(e);
			continue;
		}
		if (nl_get_nsid(&n->host, j.fd, &nsid, e) < 0)
			jnet_err_clear(e);
		nn_jail_close(n, &j);
		for (int k = 0; nsid >= 0 && k < p.un; k++)
			if (p.unsid[k] == nsid && push(&p.idx, &p.n, &p.cap, p.uidx[k]) < 0)
				r = jnet_err_set(e, ENOMEM, "", "out of memory");
	}
	if (r == 0)
		r = nn_delete_bulk(n, p.idx, p.n, e);
	free(p.idx);
	free(p.uidx);
	free(p.unsid);
	return r;
}

int
nn_jail_if_get(void *priv, const struct jnet_jail *j, const char *ifname,
    struct jnet_ifinfo *out, struct jnet_err *e)
{
	struct nl_link l;
	struct nl *nl;
	int r;

	if ((r = jail_link(priv, j, ifname, &nl, &l, e)) < 0)
		return r;
	nn_ifinfo_from(&l, out);
	return 0;
}

int
nn_jail_if_destroy(void *priv, const struct jnet_jail *j, int ifindex, const char *ifname,
    struct jnet_err *e)
{
	struct nl *nl;
	int r;

	if ((r = nn_jail_sock(priv, j->name, j->fd, &nl, e)) < 0)
		return r;
	return nn_del_link(nl, ifindex, ifname, e);
}

struct route_cb {
	int (*cb)(int, const uint8_t *, int, const uint8_t *, void *);
	void *arg;
	int r;
};

static int
route_one(const struct nlmsghdr *nlh, void *data)
{
	struct route_cb *rc = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	static const uint8_t zero[16];
	const uint8_t *dst = zero, *via = NULL;
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rc->r != 0 || rtm->rtm_table != RT_TABLE_MAIN)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		if (mnl_attr_get_type(a) == RTA_DST)
			dst = mnl_attr_get_payload(a);
		else if (mnl_attr_get_type(a) == RTA_GATEWAY)
			via = mnl_attr_get_payload(a);
	}
	if (via != NULL)
		rc->r = rc->cb(rtm->rtm_family, dst, rtm->rtm_dst_len, via, rc->arg);
	return MNL_CB_OK;
}

int
nn_route_list(void *priv, const struct jnet_jail *j,
    int (*cb)(int, const uint8_t *, int, const uint8_t *, void *), void *arg,
    struct jnet_err *e)
{
	struct nn *n = priv;
	struct route_cb rc = { cb, arg, 0 };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct nl *nl;
	int r;

	if ((r = jail_nl(n, j, &nl, e)) < 0)
		return r;
	nlh = nl_req(nl, RTM_GETROUTE, NLM_F_DUMP);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_UNSPEC;
	r = nl_talk(nl, nlh, route_one, &rc, j->name, "list routes", e);
	return r < 0 ? r : rc.r;
}
