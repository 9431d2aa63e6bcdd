/*
 * jnet-bench-floor: the physical reference of the benchmark. The fewest netlink requests
 * that give N existing network namespaces a veth link on a bridge, and remove them again.
 *
 *   jnet-bench-floor [options] up N     jail K (0 <= K < N) is /run/netns/<jail-prefix>K
 *   jnet-bench-floor [options] down
 *
 * up: per jail TWO RTM_NEWLINK requests, no device ever changes namespace (so no request
 * waits for an RCU grace period): #1 creates the pair with the jail end born inside the
 * jail's netns as eth0, MAC 02:bb:00:00:K>>8:K&255, up, and the host end <jail-prefix>hK
 * born in the host with MAC 02:ba:00:00:K>>8:K&255 in interface group G; #2 puts the host
 * end on bridge <bridge-prefix>(K / per-bridge) and sets it up (why two: see put_create).
 * Requests are pipelined: the requests of B jails go out in one sendmsg, then their
 * acknowledgements are read.
 * With -6 the host end gets no IPv6 link-local address (addrgenmode none, a third request:
 * see floor_up): bridge ports then send no IPv6 autoconfiguration traffic that the bridge
 * floods to every other port.
 *
 * down: ONE RTM_DELLINK for interface group G (ifindex 0): the kernel unregisters every host
 * end, and with it every peer, in one batch with one grace period.
 *
 * Errors carry the kernel's extended-ACK text. Exit 0 when every request succeeded, 1
 * otherwise, 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define MSGMAX  1024            /* one request, rounded up generously */
#define MAXBATCH 1024

struct floor {
	struct mnl_socket *nl;
	unsigned portid;
	unsigned seq;
	const char *jail_prefix;
	const char *bridge_prefix;
	unsigned per_bridge;
	unsigned batch;
	uint32_t group;
	bool no_ipv6;
	bool nodev_ok;          /* group delete: an empty group is not an error */
	char *buf;              /* requests of one batch */
	char rbuf[16384];         /* acks: one per datagram */
	int failures;
};

static _Noreturn void
usage(void)
{
	fprintf(stderr,
	    "usage: jnet-bench-floor [-j JAIL_PREFIX] [-b BRIDGE_PREFIX] [-P PER_BRIDGE]\n"
	    "                        [-B BATCH] [-g GROUP] [-6] up N\n"
	    "       jnet-bench-floor [-g GROUP] down\n"
	    "defaults: -j bj -b bjbr -P 500 -B 64 -g 0x6a62\n");
	exit(2);
}

static unsigned long
number(const char *s, const char *what, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end != '\0' || v > max) {
		fprintf(stderr, "jnet-bench-floor: %s: '%s' is not a number up to %lu\n", what, s,
		    max);
		exit(2);
	}
	return v;
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

static int
floor_open(struct floor *f)
{
	int one = 1;

	f->nl = mnl_socket_open(NETLINK_ROUTE);
	if (f->nl == NULL) {
		perror("jnet-bench-floor: netlink socket");
		return -1;
	}
	/* The kernel's reason for a failure, and acks that do not echo the request. */
	mnl_socket_setsockopt(f->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(f->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(f->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("jnet-bench-floor: netlink bind");
		return -1;
	}
	f->portid = mnl_socket_get_portid(f->nl);
	f->seq = (unsigned)time(NULL);
	return 0;
}

/*
 * Read acknowledgements until every sequence number in [first, first + n) has one.
 * what[i] names request first + i in error messages.
 */
static int
floor_acks(struct floor *f, unsigned first, unsigned n, char (*what)[64])
{
	unsigned got = 0;

	while (got < n) {
		const struct nlmsghdr *m;
		ssize_t r = mnl_socket_recvfrom(f->nl, f->rbuf, sizeof(f->rbuf));
		int len;

		if (r < 0) {
			perror("jnet-bench-floor: netlink receive");
			return -1;
		}
		len = (int)r;
		for (m = (const struct nlmsghdr *)f->rbuf; mnl_nlmsg_ok(m, len);
		    m = mnl_nlmsg_next(m, &len)) {
			const struct nlmsgerr *e;
			unsigned i = m->nlmsg_seq - first;
			const char *msg;

			if (m->nlmsg_type != NLMSG_ERROR || m->nlmsg_pid != f->portid || i >= n)
				continue;
			got++;
			e = mnl_nlmsg_get_payload(m);
			if (e->error == 0 || (e->error == -ENODEV && f->nodev_ok))
				continue;
			f->failures++;
			msg = ext_ack_msg(m);
			fprintf(stderr, "jnet-bench-floor: %s: %s%s%s%s\n", what[i],
			    strerror(-e->error), msg ? " (kernel: " : "", msg ? msg : "",
			    msg ? ")" : "");
		}
	}
	return 0;
}

static struct nlmsghdr *
put_req(struct floor *f, size_t *off, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(f->buf + *off);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = f->seq++;
	return nlh;
}

static void
mac_of(uint8_t mac[6], uint8_t kind, unsigned k)
{
	mac[0] = 0x02;          /* locally administered, unicast */
	mac[1] = kind;
	mac[2] = 0;
	mac[3] = (uint8_t)(k >> 16);
	mac[4] = (uint8_t)(k >> 8);
	mac[5] = (uint8_t)k;
}

/*
 * RTM_NEWLINK #1 creates the pair: the jail end is the device the request names, born in
 * the jail's netns (IFLA_NET_NS_FD at the top level) as eth0, with its MAC, up; its peer,
 * the host end, is born in the host namespace (no namespace attribute) with its MAC in
 * group G. The other way round is impossible: veth configures the peer before the two
 * halves know each other, so a peer cannot be born up (veth_open: ENOTCONN); and a bridge
 * port must be the requested device to take IFLA_MASTER. So the host end needs
 * RTM_NEWLINK #2 (master + up), sent in the same datagram from the same socket.
 */
static void
put_create(struct floor *f, size_t *off, unsigned k, int nsfd)
{
	struct nlmsghdr *nlh = put_req(f, off, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct nlattr *li, *data, *peer;
	struct ifinfomsg *pifm;
	char name[IFNAMSIZ];
	uint8_t mac[6];

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mac_of(mac, 0xbb, k);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)nsfd);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	snprintf(name, sizeof(name), "%sh%u", f->jail_prefix, k);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mac_of(mac, 0xba, k);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	mnl_attr_put_u32(nlh, IFLA_GROUP, f->group);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	*off += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* RTM_NEWLINK on the host end by name: any of master, up, addrgenmode none. */
static void
put_host(struct floor *f, size_t *off, unsigned k, int bridge, bool up, bool no_ipv6)
{
	struct nlmsghdr *nlh = put_req(f, off, RTM_NEWLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	char name[IFNAMSIZ];

	ifm->ifi_family = AF_UNSPEC;
	if (up) {
		ifm->ifi_change = IFF_UP;
		ifm->ifi_flags = IFF_UP;
	}
	snprintf(name, sizeof(name), "%sh%u", f->jail_prefix, k);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (bridge > 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)bridge);
	if (no_ipv6) {
		struct nlattr *af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
		struct nlattr *in6 = mnl_attr_nest_start(nlh, AF_INET6);

		mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
		mnl_attr_nest_end(nlh, in6);
		mnl_attr_nest_end(nlh, af);
	}
	*off += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* The requests of jail K (its namespace FD, its bridge's index): into f->buf at *OFF, what
 * each is for into WHAT; how many. */
static unsigned
put_jail(struct floor *f, size_t *off, unsigned k, int fd, int bridge, char (*what)[64])
{
	unsigned n = 0;

	snprintf(what[n++], sizeof(what[0]), "%s%u: create veth", f->jail_prefix, k);
	put_create(f, off, k, fd);
	if (f->no_ipv6) {
		/* Within one request the kernel applies IFF_UP before IFLA_AF_SPEC, and up is
		 * when the link-local address is made. */
		snprintf(what[n++], sizeof(what[0]), "%s%u: host end: bridge, addrgenmode none",
		    f->jail_prefix, k);
		put_host(f, off, k, bridge, false, true);
		snprintf(what[n++], sizeof(what[0]), "%s%u: host end up", f->jail_prefix, k);
		put_host(f, off, k, 0, true, false);
	} else {
		snprintf(what[n++], sizeof(what[0]), "%s%u: host end: bridge, up", f->jail_prefix, k);
		put_host(f, off, k, bridge, true, false);
	}
	return n;
}

static int
floor_up(struct floor *f, unsigned n)
{
	unsigned nbridges = (n + f->per_bridge - 1) / f->per_bridge;
	unsigned per_jail = f->no_ipv6 ? 3 : 2;
	int *bridges, *fds;
	char (*what)[64];
	int rc = -1;

	bridges = calloc(nbridges ? nbridges : 1, sizeof(*bridges));
	fds = calloc(f->batch, sizeof(*fds));
	what = calloc((size_t)f->batch * per_jail, sizeof(*what));
	f->buf = calloc((size_t)f->batch * per_jail, MSGMAX);
	if (bridges == NULL || fds == NULL || what == NULL || f->buf == NULL) {
		fprintf(stderr, "jnet-bench-floor: out of memory\n");
		goto out;
	}
	for (unsigned b = 0; b < nbridges; b++) {
		char name[IFNAMSIZ];

		snprintf(name, sizeof(name), "%s%u", f->bridge_prefix, b);
		bridges[b] = (int)if_nametoindex(name);
		if (bridges[b] == 0) {
			fprintf(stderr, "jnet-bench-floor: bridge %s: %s\n", name, strerror(errno));
			goto out;
		}
	}
	for (unsigned k0 = 0; k0 < n; k0 += f->batch) {
		unsigned cnt = n - k0 < f->batch ? n - k0 : f->batch;
		unsigned first = f->seq, nreq = 0;
		size_t off = 0;

		/* libmnl does not zero attribute padding: start the batch from zeroes. */
		memset(f->buf, 0, (size_t)f->batch * per_jail * MSGMAX);
		for (unsigned i = 0; i < cnt; i++) {
			unsigned k = k0 + i;
			char path[128];

			snprintf(path, sizeof(path), "/run/netns/%s%u", f->jail_prefix, k);
			fds[i] = open(path, O_RDONLY | O_CLOEXEC);
			if (fds[i] < 0) {
				fprintf(stderr, "jnet-bench-floor: %s: %s\n", path, strerror(errno));
				for (unsigned j = 0; j < i; j++)
					close(fds[j]);
				goto out;
			}
			nreq += put_jail(f, &off, k, fds[i], bridges[k / f->per_bridge], what + nreq);
		}
		/* rtnetlink runs every message of the datagram before sendmsg returns: the
		 * namespace descriptors are no longer needed afterwards. */
		if (mnl_socket_sendto(f->nl, f->buf, off) < 0) {
			perror("jnet-bench-floor: netlink send");
			for (unsigned i = 0; i < cnt; i++)
				close(fds[i]);
			goto out;
		}
		for (unsigned i = 0; i < cnt; i++)
			close(fds[i]);
		if (floor_acks(f, first, nreq, what) < 0)
			goto out;
	}
	rc = 0;
out:
	free(bridges);
	free(fds);
	free(what);
	free(f->buf);
	f->buf = NULL;
	return rc;
}

static int
floor_down(struct floor *f)
{
	char what[1][64];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	unsigned first = f->seq;
	size_t off = 0;
	int rc;

	f->buf = calloc(1, MSGMAX);
	if (f->buf == NULL) {
		fprintf(stderr, "jnet-bench-floor: out of memory\n");
		return -1;
	}
	nlh = put_req(f, &off, RTM_DELLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = 0;     /* no device: the group selects them all */
	mnl_attr_put_u32(nlh, IFLA_GROUP, f->group);
	off += NLMSG_ALIGN(nlh->nlmsg_len);
	snprintf(what[0], sizeof(what[0]), "delete group %#x", f->group);
	f->nodev_ok = true;     /* the kernel says ENODEV when the group is empty */
	if (mnl_socket_sendto(f->nl, f->buf, off) < 0) {
		perror("jnet-bench-floor: netlink send");
		rc = -1;
	} else {
		rc = floor_acks(f, first, 1, what);
	}
	free(f->buf);
	f->buf = NULL;
	return rc;
}

int
main(int argc, char **argv)
{
	struct floor f = {
		.jail_prefix = "bj",
		.bridge_prefix = "bjbr",
		.per_bridge = 500,
		.batch = 64,
		.group = 0x6a62,        /* "jb" */
	};
	int ch, r;

	while ((ch = getopt(argc, argv, "j:b:P:B:g:6")) != -1) {
		switch (ch) {
		case 'j':
			f.jail_prefix = optarg;
			break;
		case 'b':
			f.bridge_prefix = optarg;
			break;
		case 'P':
			f.per_bridge = (unsigned)number(optarg, "-P", 1023);
			break;
		case 'B':
			f.batch = (unsigned)number(optarg, "-B", MAXBATCH);
			break;
		case 'g':
			f.group = (uint32_t)number(optarg, "-g", 0xffffffffUL);
			break;
		case '6':
			f.no_ipv6 = true;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (f.per_bridge == 0 || f.batch == 0 || f.group == 0 ||
	    strlen(f.jail_prefix) > 8 || strlen(f.bridge_prefix) > 10)
		usage();
	if (argc == 2 && strcmp(argv[0], "up") == 0) {
		unsigned n = (unsigned)number(argv[1], "N", 65535);

		if (floor_open(&f) < 0)
			return 1;
		r = floor_up(&f, n);
	} else if (argc == 1 && strcmp(argv[0], "down") == 0) {
		if (floor_open(&f) < 0)
			return 1;
		r = floor_down(&f);
	} else {
		usage();
	}
	mnl_socket_close(f.nl);
	return r < 0 || f.failures > 0 ? 1 : 0;
}
