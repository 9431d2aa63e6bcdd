/*
 * jnet-model-ngctl: ngctl(8) for the kernel model's netgraph ($JNET_MODEL_STATE). Tests use
 * it to look at the graph and to play somebody else (jng, an admin with ngctl) through the
 * same primitives jnet uses; it closes its control socket when it exits, as ngctl does.
 */
#include "model_ng.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
usage(void)
{
	fprintf(stderr,
	    "usage: jnet-model-ngctl COMMAND [ARGS]\n"
	    "  ls [-n]                           nodes: NAME TYPE ID HOOKS (-n: named only)\n"
	    "  show PATH                         hooks: HOOK PEER PEERTYPE PEERHOOK\n"
	    "  info PATH                         NAME TYPE ID HOOKS\n"
	    "  mkpeer PATH TYPE HOOK PEERHOOK    NGM_MKPEER\n"
	    "  connect PATH PEERPATH HOOK PEERHOOK\n"
	    "  name PATH NAME | rmhook PATH HOOK | shutdown PATH\n"
	    "  setpersistent PATH | promisc PATH 0|1 | autosrc PATH 0|1\n"
	    "  ifname PATH                       NGM_EIFACE_GET_IFNAME\n"
	    "  getstats PATH LINK                NGM_BRIDGE_GET_STATS (LINK < 0: uplink)\n"
	    "  traffic BRIDGE HOOK BASE          set the hook's 14 counters to BASE, BASE+1, ...\n"
	    "  ether load|unload                 kldload / kldunload ng_ether\n"
	    "  rename IFACE NEWNAME              ifconfig IFACE name NEWNAME (SIOCSIFNAME)\n");
	exit(2);
}

static int
cmp_node(const void *a, const void *b)
{
	const struct fbsd_ng_node *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r ? r : (x->id > y->id) - (x->id < y->id);
}

static void
print_node(const struct fbsd_ng_node *n)
{
	printf("%s %s %" PRIx32 " %u\n", n->name[0] ? n->name : "<unnamed>", n->type, n->id,
	    n->hooks);
}

#define NOT_MINE INT_MIN /* look/change: not a command of theirs */
#define NEED(n) do { if (argc != (n)) usage(); } while (0)

/* The commands that only read: ls, show, info, ifname, getstats. */
static int
look(int argc, char **argv)
{
	const char *c = argv[0];

	if (strcmp(c, "ls") == 0) {
		struct fbsd_ng_node v[512];
		bool named = argc > 1 && strcmp(argv[1], "-n") == 0;
		int n = fbsd_ng_listnodes(named, v, 512);

		if (n < 0)
			return n;
		if (n > 512)
			n = 512;
		qsort(v, (size_t)n, sizeof(v[0]), cmp_node);
		for (int i = 0; i < n; i++)
			if (strcmp(v[i].type, "socket") != 0) /* ours, and other processes' */
				print_node(&v[i]);
		return 0;
	}
	if (strcmp(c, "show") == 0) {
		struct fbsd_ng_hook h[256];
		int n;

		NEED(2);
		if ((n = fbsd_ng_listhooks(argv[1], NULL, h, 256)) < 0)
			return n;
		for (int i = 0; i < n && i < 256; i++)
			printf("%s %s %s %s\n", h[i].hook, h[i].peer.name[0] ? h[i].peer.name :
			    "<unnamed>", h[i].peer.type, h[i].peerhook);
		return 0;
	}
	if (strcmp(c, "info") == 0) {
		struct fbsd_ng_node ni;
		int r;

		NEED(2);
		if ((r = fbsd_ng_nodeinfo(argv[1], &ni)) < 0)
			return r;
		print_node(&ni);
		return 0;
	}
	if (strcmp(c, "ifname") == 0) {
		char ifname[JNET_IFNAMSIZ];
		int r;

		NEED(2);
		if ((r = fbsd_ng_eiface_ifname(argv[1], ifname)) < 0)
			return r;
		printf("%s\n", ifname);
		return 0;
	}
	if (strcmp(c, "getstats") == 0) {
		struct fbsd_ng_bridge_stats s;
		int r;

		NEED(3);
		if ((r = fbsd_ng_bridge_stats(argv[1], atoi(argv[2]), &s)) < 0)
			return r;
		printf("recvOctets=%" PRIu64 " recvPackets=%" PRIu64 " xmitOctets=%" PRIu64
		    " xmitPackets=%" PRIu64 "\n", s.recv_octets, s.recv_packets, s.xmit_octets,
		    s.xmit_packets);
		return 0;
	}
	return NOT_MINE;
}

/* The commands that change the graph (or play somebody else: traffic, ether). */
static int
change(int argc, char **argv)
{
	const char *c = argv[0];

	if (strcmp(c, "mkpeer") == 0) {
		NEED(5);
		return fbsd_ng_mkpeer(argv[1], argv[2], argv[3], argv[4]);
	}
	if (strcmp(c, "connect") == 0) {
		NEED(5);
		return fbsd_ng_connect(argv[1], argv[2], argv[3], argv[4]);
	}
	if (strcmp(c, "name") == 0) {
		NEED(3);
		return fbsd_ng_name(argv[1], argv[2]);
	}
	if (strcmp(c, "rmhook") == 0) {
		NEED(3);
		return fbsd_ng_rmhook(argv[1], argv[2]);
	}
	if (strcmp(c, "shutdown") == 0) {
		NEED(2);
		return fbsd_ng_shutdown(argv[1]);
	}
	if (strcmp(c, "setpersistent") == 0) {
		NEED(2);
		return fbsd_ng_bridge_set_persistent(argv[1]);
	}
	if (strcmp(c, "promisc") == 0 || strcmp(c, "autosrc") == 0) {
		NEED(3);
		return c[0] == 'p' ? fbsd_ng_ether_set_promisc(argv[1], atoi(argv[2]) != 0) :
		    fbsd_ng_ether_set_autosrc(argv[1], atoi(argv[2]) != 0);
	}
	if (strcmp(c, "traffic") == 0) {
		NEED(4);
		return model_ng_ctl_stats(argv[1], argv[2], strtoull(argv[3], NULL, 10));
	}
	if (strcmp(c, "rename") == 0) {
		NEED(3);
		return fbsd_if_rename(argv[1], argv[2]);
	}
	if (strcmp(c, "ether") == 0) {
		NEED(2);
		if (strcmp(argv[1], "load") != 0 && strcmp(argv[1], "unload") != 0)
			usage();
		return model_ng_ctl_ether(strcmp(argv[1], "load") == 0);
	}
	return NOT_MINE;
}

static int
run(int argc, char **argv)
{
	int r = look(argc, argv);

	if (r == NOT_MINE)
		r = change(argc, argv);
	if (r == NOT_MINE)
		usage();
	return r;
}
#undef NEED

int
main(int argc, char **argv)
{
	int r;

	if (argc < 2)
		usage();
	r = run(argc - 1, argv + 1);
	fbsd_ng_close();
	if (r < 0) {
		fprintf(stderr, "jnet-model-ngctl: %s: %s\n", argv[1], strerror(-r));
		return 1;
	}
	return 0;
}
