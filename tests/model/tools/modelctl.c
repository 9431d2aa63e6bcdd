/*
 * jnet-modelctl: set up scenarios in the kernel model's state file and look at it.
 * The state file is $JNET_MODEL_STATE (or -s FILE); every command takes the model's lock,
 * so it can run next to jnet-model processes.
 */
#include "model.h"
#include "model_pf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr,
	    "usage: jnet-modelctl [-s STATEFILE] COMMAND [ARGS]\n"
	    "  reset                          a fresh host: lo0 only, FreeBSD 15 defaults\n"
	    "  ifadd NAME [MAC] [inet] [down] a physical Ethernet interface (em0 ...)\n"
	    "  inet NAME on|off               give it an IP address, or take it away\n"
	    "  epair NAME_A NAME_B            an epair made by somebody else (no jnet tags)\n"
	    "  describe NAME TEXT             set a description (SIOCSIFDESCR by somebody else)\n"
	    "  jail-create NAME [novnet]      a persistent jail; prints its JID\n"
	    "  jail-kill NAME                 remove it while something holds it: dying\n"
	    "  jail-shutdown NAME             its vnet starts tearing down (EBUSY window)\n"
	    "  jail-gone NAME                 the (dying) jail goes: interfaces come home\n"
	    "  vnet IFACE JAIL                what jail(8)'s vnet.interface does (SIOCSIFVNET)\n"
	    "  sysctl member_ifaddrs 0|1      net.link.bridge.member_ifaddrs\n"
	    "  version 14|15                  FreeBSD release to model\n"
	    "  dump                           the observable state as JSON\n"
	    "  ls [JAIL]                      interface names in the host's or a jail's vnet\n"
	    "  get IFACE FIELD [JAIL]         mac up mtu descr groups bridge peer kind inaddr\n"
	    "                                 vlan (PARENT:VID of a configured vlan(4))\n"
	    "  ifdestroy NAME                 the interface goes (ifconfig NAME destroy, a NIC\n"
	    "                                 detached): its vlans lose their parent\n"
	    "  members BRIDGE                 members of a bridge, one a line\n"
	    "  ifset IFACE [@JAIL] SETTING... the administrator's ifconfig: up, down, mtu=N,\n"
	    "                                 nomaster (ifconfig BRIDGE deletem IFACE),\n"
	    "                                 master=BRIDGE (ifconfig BRIDGE addm IFACE)\n"
	    "  kld load|unload MODULE|all     kldload / kldunload by the administrator (a fresh\n"
	    "                                 model has none of if_epair if_bridge ng_socket\n"
	    "                                 ng_eiface ng_bridge ng_ether if_vlan loaded)\n"
	    "  kld refuse EPERM|off           kldload(2) fails (as in a jail, securelevel > 0)\n"
	    "  kld list                       the loaded modules\n"
	    "  pf load|unload                 kldload / kldunload pf (/dev/pf; unload drops every\n"
	    "                                 table; a fresh model has pf unloaded)\n"
	    "  pf add|del TABLE ADDR[/PREFIX] somebody else's pfctl -t TABLE -T add / delete\n"
	    "  pf show TABLE                  pfctl -t TABLE -T show\n");
	exit(2);
}

/* pf load|unload, pf add|del TABLE ADDR, pf show TABLE */
static int
do_pf(int argc, char **argv)
{
	int r = 0;

	if (argc == 2 && (strcmp(argv[1], "load") == 0 || strcmp(argv[1], "unload") == 0))
		return model_pf_ctl_load(strcmp(argv[1], "load") == 0) < 0;
	if (argc == 3 && strcmp(argv[1], "show") == 0)
		r = model_pf_ctl_show(argv[2], stdout);
	else if (argc == 4 && (strcmp(argv[1], "add") == 0 || strcmp(argv[1], "del") == 0))
		r = model_pf_ctl_change(argv[2], argv[3], strcmp(argv[1], "add") == 0);
	else
		usage();
	if (r < 0) {
		fprintf(stderr, "jnet-modelctl: pf %s %s: %s\n", argv[1], argv[2], strerror(-r));
		return 1;
	}
	return 0;
}

struct args {
	int argc;
	char **argv;
};

static int
fail(const char *what, const char *obj)
{
	fprintf(stderr, "jnet-modelctl: %s: %s\n", what, obj);
	return -EINVAL;
}

static int
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

static struct m_jail *
jail_arg(struct model *m, const char *name)
{
	struct m_jail *j = model_jail_byname(m, name, true);

	if (j == NULL)
		fail("no such jail", name);
	return j;
}

static int
do_ifadd(struct model *m, void *arg)
{
	struct args *a = arg;
	struct m_if *i;

	if (model_ifunit(m, MODEL_HOST, a->argv[1]) != NULL)
		return fail("interface exists", a->argv[1]);
	i = model_if_new(m, MODEL_HOST, a->argv[1], "phys", false, -1);
	i->has_mac = true;
	i->up = true;
	model_gen_mac(m, i->mac);
	for (int k = 2; k < a->argc; k++) {
		if (strcmp(a->argv[k], "inet") == 0)
			i->inaddr = true;
		else if (strcmp(a->argv[k], "down") == 0)
			i->up = false;
		else if (parse_mac(a->argv[k], i->mac) < 0)
			return fail("bad argument", a->argv[k]);
	}
	return 0;
}

/* The host interface argv[1] of a command of ARGC words (else usage), or NULL (said). */
static struct m_if *
arg_if(struct model *m, struct args *a, int argc)
{
	struct m_if *i;

	if (a->argc != argc)
		usage();
	if ((i = model_ifunit(m, MODEL_HOST, a->argv[1])) == NULL)
		fail("no such interface", a->argv[1]);
	return i;
}

static int
do_inet(struct model *m, void *arg)
{
	struct args *a = arg;
	struct m_if *i;

	if ((i = arg_if(m, a, 3)) == NULL)
		return -EINVAL;
	i->inaddr = strcmp(a->argv[2], "on") == 0;
	return 0;
}

static int
do_epair(struct model *m, void *arg)
{
	struct args *a = arg;

	if (a->argc != 3)
		usage();
	if (model_ifunit(m, MODEL_HOST, a->argv[1]) || model_ifunit(m, MODEL_HOST, a->argv[2]))
		return fail("interface exists", a->argv[1]);
	/* A unit far away from the ones jnet's own creations will use. */
	model_epair_make(m, a->argv[1], a->argv[2], 900 + m->next_id);
	model_kmod_set(m, "if_epair", true); /* ifconfig epair create loads it */
	return 0;
}

static int
do_describe(struct model *m, void *arg)
{
	struct args *a = arg;
	struct m_if *i;

	if ((i = arg_if(m, a, 3)) == NULL)
		return -EINVAL;
	free(i->descr);
	i->descr = a->argv[2][0] ? strdup(a->argv[2]) : NULL;
	return 0;
}

static int
do_jail_create(struct model *m, void *arg)
{
	struct args *a = arg;
	struct m_jail *j;

	if (a->argc < 2 || a->argc > 3)
		usage();
	if (model_jail_byname(m, a->argv[1], false) != NULL)
		return fail("jail exists", a->argv[1]);
	j = model_jail_new(m, a->argv[1], !(a->argc == 3 && strcmp(a->argv[2], "novnet") == 0));
	printf("%d\n", j->jid);
	return 0;
}

static int
do_jail_state(struct model *m, void *arg)
{
	struct args *a = arg;
	struct m_jail *j;

	if (a->argc != 2)
		usage();
	if ((j = jail_arg(m, a->argv[1])) == NULL)
		return -ENOENT;
	if (strcmp(a->argv[0], "jail-kill") == 0) {
		j->dying = true;
	} else if (strcmp(a->argv[0], "jail-shutdown") == 0) {
		j->dying = true;
		j->shutting_down = true;
	} else {
		model_jail_destroy(m, j);
	}
	return 0;
}

static int
do_vnet(struct model *m, void *arg)
{
	struct args *a = arg;
	struct m_jail *j;
	struct m_if *i;

	if (a->argc != 3)
		usage();
	if ((j = jail_arg(m, a->argv[2])) == NULL)
		return -ENOENT;
	if ((i = model_ifunit(m, MODEL_HOST, a->argv[1])) == NULL)
		return fail("no such interface", a->argv[1]);
	if (model_ifunit(m, model_jail_vnet(j), a->argv[1]) != NULL)
		return fail("name taken in the jail", a->argv[1]);
	model_if_vmove(m, i, model_jail_vnet(j));
	return 0;
}

static int
do_sysctl(struct model *m, void *arg)
{
	struct args *a = arg;

	if (a->argc != 3 || strcmp(a->argv[1], "member_ifaddrs") != 0)
		usage();
	m->member_ifaddrs = atoi(a->argv[2]) != 0;
	return 0;
}

static int
do_version(struct model *m, void *arg)
{
	struct args *a = arg;

	if (a->argc != 2)
		usage();
	m->version = atoi(a->argv[1]);
	return 0;
}

static int
vnet_arg(struct model *m, struct args *a, int k, int *vnet)
{
	struct m_jail *j;

	*vnet = MODEL_HOST;
	if (a->argc <= k)
		return 0;
	if ((j = jail_arg(m, a->argv[k])) == NULL)
		return -ENOENT;
	*vnet = model_jail_vnet(j);
	return 0;
}

static int
do_ls(struct model *m, void *arg)
{
	struct args *a = arg;
	int vnet, r;

	if ((r = vnet_arg(m, a, 1, &vnet)) < 0)
		return r;
	for (int k = 0; k < m->nifs; k++)
		if (m->ifs[k].vnet == vnet)
			printf("%s\n", m->ifs[k].name);
	return 1; /* read only */
}

static int
do_get(struct model *m, void *arg)
{
	struct args *a = arg;
	const char *f;
	struct m_if *i, *o;
	int vnet, r;

	if (a->argc < 3)
		usage();
	if ((r = vnet_arg(m, a, 3, &vnet)) < 0)
		return r;
	if ((i = model_ifunit(m, vnet, a->argv[1])) == NULL)
		return fail("no such interface", a->argv[1]);
	f = a->argv[2];
	if (strcmp(f, "mac") == 0)
		printf("%02x:%02x:%02x:%02x:%02x:%02x\n", i->mac[0], i->mac[1], i->mac[2],
		    i->mac[3], i->mac[4], i->mac[5]);
	else if (strcmp(f, "up") == 0)
		printf("%s\n", i->up ? "up" : "down");
	else if (strcmp(f, "mtu") == 0)
		printf("%u\n", i->mtu);
	else if (strcmp(f, "descr") == 0)
		printf("%s\n", i->descr ? i->descr : "");
	else if (strcmp(f, "kind") == 0)
		printf("%s\n", i->kind);
	else if (strcmp(f, "inaddr") == 0)
		printf("%s\n", i->inaddr ? "yes" : "no");
	else if (strcmp(f, "groups") == 0) {
		for (int n = 0; n < i->ngroups; n++)
			printf("%s%s", n ? " " : "", i->groups[n]);
		printf("\n");
	} else if (strcmp(f, "bridge") == 0 || strcmp(f, "peer") == 0) {
		o = model_if_byid(m, f[0] == 'b' ? i->bridge : i->peer);
		printf("%s\n", o ? o->name : "");
	} else if (strcmp(f, "vlan") == 0) {
		/* ifconfig's "vlan: VID vlanproto 802.1q ... parent interface: PARENT" */
		o = model_if_byid(m, i->vlan_parent);
		if (o != NULL)
			printf("%s:%d\n", o->name, i->vlan_tag);
		else
			printf("\n");
	} else {
		return fail("unknown field", f);
	}
	return 1;
}

static int
do_members(struct model *m, void *arg)
{
	struct args *a = arg;
	struct m_if *b;

	if (a->argc != 2)
		usage();
	if ((b = model_ifunit(m, MODEL_HOST, a->argv[1])) == NULL)
		return fail("no such interface", a->argv[1]);
	for (int k = 0; k < m->nifs; k++)
		if (m->ifs[k].bridge == b->id)
			printf("%s\n", m->ifs[k].name);
	return 1;
}

/* The administrator's `ifconfig NAME destroy` (or a NIC that goes away): the kernel's
 * departure of an interface, whatever made it. */
static int
do_ifdestroy(struct model *m, void *arg)
{
	struct args *a = arg;
	struct m_if *i;

	if ((i = model_ifunit(m, MODEL_HOST, a->argv[1])) == NULL)
		return fail("no such interface", a->argv[1]);
	model_if_remove(m, i);
	return 0;
}

static int
do_ifset(struct model *m, void *arg)
{
	struct args *a = arg;
	struct m_if *i, *b;
	int vnet = MODEL_HOST, k = 2;

	if (a->argv[2][0] == '@') {
		struct m_jail *j = jail_arg(m, a->argv[2] + 1);

		if (j == NULL)
			return -EINVAL;
		vnet = model_jail_vnet(j);
		k = 3;
	}
	if ((i = model_ifunit(m, vnet, a->argv[1])) == NULL)
		return fail("no such interface", a->argv[1]);
	for (; k < a->argc; k++) {
		const char *s = a->argv[k];

		if (strcmp(s, "up") == 0 || strcmp(s, "down") == 0) {
			i->up = s[0] == 'u';
		} else if (strncmp(s, "mtu=", 4) == 0 && atoi(s + 4) >= 68) {
			i->mtu = (unsigned)atoi(s + 4);
		} else if (strcmp(s, "nomaster") == 0) {
			i->bridge = 0;
		} else if (strncmp(s, "master=", 7) == 0) {
			if ((b = model_ifunit(m, vnet, s + 7)) == NULL || strcmp(b->kind, "bridge") != 0)
				return fail("no such bridge", s + 7);
			i->bridge = b->id;
		} else {
			return fail("bad setting", s);
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct model *, void *);
		int minargs;
	} cmds[] = {
		{ "ifadd", do_ifadd, 2 }, { "inet", do_inet, 3 }, { "epair", do_epair, 3 },
		{ "describe", do_describe, 3 },
		{ "jail-create", do_jail_create, 2 }, { "jail-kill", do_jail_state, 2 },
		{ "jail-shutdown", do_jail_state, 2 }, { "jail-gone", do_jail_state, 2 },
		{ "vnet", do_vnet, 3 }, { "sysctl", do_sysctl, 3 }, { "version", do_version, 2 }, { "ls", do_ls, 1 },
		{ "get", do_get, 3 }, { "members", do_members, 2 }, { "ifset", do_ifset, 3 },
		{ "ifdestroy", do_ifdestroy, 2 },
	};
	struct args a;
	int ch;

	while ((ch = getopt(argc, argv, "+s:")) != -1) {
		if (ch != 's')
			usage();
		setenv("JNET_MODEL_STATE", optarg, 1);
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (getenv("JNET_MODEL_STATE") == NULL || getenv("JNET_MODEL_STATE")[0] == '\0') {
		fprintf(stderr, "jnet-modelctl: set JNET_MODEL_STATE or use -s FILE\n");
		return 2;
	}
	if (strcmp(argv[0], "reset") == 0)
		return model_ctl_reset() < 0;
	if (strcmp(argv[0], "kld") == 0) {
		char buf[256];

		if (argc == 2 && strcmp(argv[1], "list") == 0) {
			if (model_ctl_kld_list(buf, sizeof(buf)) < 0)
				return 1;
			printf("%s\n", buf);
			return 0;
		}
		if (argc == 3 && strcmp(argv[1], "refuse") == 0) {
			int err = strcmp(argv[2], "off") == 0 ? 0 : strcmp(argv[2], "EPERM") == 0 ?
			    EPERM : atoi(argv[2]);

			return model_ctl_kld_refuse(err) < 0;
		}
		if (argc < 3 || (strcmp(argv[1], "load") != 0 && strcmp(argv[1], "unload") != 0))
			usage();
		for (int k = 2; k < argc; k++)
			if (model_ctl_kld(argv[k], strcmp(argv[1], "load") == 0) < 0)
				return fail("no such module", argv[k]) < 0;
		return 0;
	}
	if (strcmp(argv[0], "pf") == 0)
		return do_pf(argc, argv);
	if (strcmp(argv[0], "dump") == 0) {
		json_t *o = model_ctl_dump();

		if (o == NULL)
			return 1;
		json_dumpf(o, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(o);
		return 0;
	}
	a.argc = argc;
	a.argv = argv;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmds[i].name, argv[0]) == 0) {
			if (argc < cmds[i].minargs)
				usage();
			return model_ctl(cmds[i].fn, &a) < 0 ? 1 : 0;
		}
	usage();
	return 2;
}
