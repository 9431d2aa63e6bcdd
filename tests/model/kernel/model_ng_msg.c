/*
 * The netgraph part of the kernel model: the fbsd_ng_* primitives (the messages) and the
 * scenario controls of model_ng.h. Part of model_ng.c.
 */
#include "model.h"
#include "model_ng.h"
#include "model_ng_priv.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ================================================================ primitives */

/* A new node of `type` in `vnet` (not yet connected); -errno if the type cannot be made. */
static int
type_ok(const char *type)
{
	/*
	 * ng_base.c ng_make_node: an unknown type is ENXIO (ngc_send loaded its module
	 * first: type_load). ng_ether.c (FreeBSD 14, cd698c5) ng_ether_constructor: "It is
	 * not possible or allowable to create a node of this type": EINVAL.
	 * ng_socket.c ngs_constructor: sockets are made with socket(2) only (EINVAL). The
	 * model knows eiface, bridge and hole.
	 */
	if (strcmp(type, "ether") == 0)
		return -EINVAL;
	if (strcmp(type, "socket") == 0)
		return -EINVAL;
	if (strcmp(type, "eiface") != 0 && strcmp(type, "bridge") != 0 &&
	    strcmp(type, "hole") != 0)
		return -ENXIO;
	return 0;
}

/*
 * sys/netgraph/ng_socket.c ngc_send (FreeBSD 14): NGM_MKPEER of a type the kernel does not
 * know loads module ng_TYPE (kern_kldload: EPERM in a jail or at securelevel > 0, ENOENT
 * when there is no such module) and fails with that error; ENXIO only when the module
 * loads but brings no such type. Types of the model: eiface, bridge, ether (modules of
 * their own), socket and hole (always there).
 */
static int
type_load(struct ngop *o, const char *type)
{
	char mod[NAMSIZ + 4];
	int r;

	if (strcmp(type, "socket") == 0 || strcmp(type, "hole") == 0)
		return 0;
	snprintf(mod, sizeof(mod), "ng_%s", type);
	if (model_kmod_loaded(o->m, mod))
		return 0;
	if ((r = model_kmod_load(o->m, mod)) < 0)
		return r;
	o->kld = true;
	if (strcmp(type, "ether") == 0) {
		/* ng_ether's load attaches a node to every Ethernet interface (ng_ether_mod_event):
		 * the model makes them at its next look. */
		o->s.ether_loaded = true;
	}
	return 0;
}

static struct ngn *
make_node(struct ngs *s, int vnet, const char *type)
{
	struct ngn *n = ngm_node_add(s);
	uint32_t id = s->next_id++;

	n->id = id;
	n->vnet = vnet;
	jnet_strlcpy(n->type, type, sizeof(n->type));
	if (strcmp(type, "eiface") == 0) {
		char ifname[JNET_IFNAMSIZ];
		struct m_if *f;
		int unit;

		/*
		 * ng_eiface.c ng_eiface_constructor: the lowest free unit of the vnet's
		 * V_ng_eiface_unit (ng_eiface(4): "New nodes always take the first unused
		 * interface"), an Ethernet interface "ngeth<unit>" in the node's vnet, down,
		 * with a kernel MAC; the node is named after it when that name is free.
		 */
		for (unit = 0;; unit++) {
			bool used = false;

			for (int k = 0; k < s->nn && !used; k++)
				used = s->n[k].vnet == vnet && s->n[k].id != id &&
				    strcmp(s->n[k].type, "eiface") == 0 && s->n[k].unit == unit;
			if (!used)
				break;
		}
		snprintf(ifname, sizeof(ifname), "ngeth%d", unit);
		f = model_if_new(s->m, vnet, ifname, "ngeth", false, -1);
		f->has_mac = true;
		model_gen_mac(s->m, f->mac);
		n = ngm_byid(s, id);
		n->unit = unit;
		n->ifid = f->id;
		if (ngm_byname(s, vnet, ifname) == NULL)
			jnet_strlcpy(n->name, ifname, sizeof(n->name));
		/* ether_ifattach -> ng_ether_attach: no ether node, the name is the eiface
		 * node's (see ngs_load). */
	}
	return n;
}

int
fbsd_ng_mkpeer(const char *path, const char *type, const char *ourhook, const char *peerhook)
{
	struct ngop o;
	struct ngn *here, probe;
	char h1[NAMSIZ], h2[NAMSIZ];
	uint32_t hid, nid;
	int r;

	if ((r = ngm_begin(&o, "NGM_MKPEER", path)) < 0)
		return r;
	if ((r = ngm_target(&o, path, &here)) < 0)
		return ngm_end(&o, r);
	/*
	 * ng_base.c ng_mkpeer: make the node (type errors first), add our hook, add its hook;
	 * on an error the new node is removed again. The model checks everything before it
	 * makes anything, which leaves the same state.
	 */
	if ((r = type_load(&o, type)) < 0 || (r = type_ok(type)) < 0)
		return ngm_end(&o, r);
	if ((r = ngm_hook_ok(&o.s, here, ourhook, 0, h1)) < 0)
		return ngm_end(&o, r);
	memset(&probe, 0, sizeof(probe));
	jnet_strlcpy(probe.type, type, sizeof(probe.type));
	probe.id = 0xffffffffu;
	if ((r = ngm_hook_ok(&o.s, &probe, peerhook, here->id, h2)) < 0)
		return ngm_end(&o, r);
	hid = here->id;
	nid = make_node(&o.s, here->vnet, type)->id;
	ngm_connect(&o.s, hid, h1, nid, h2);
	return ngm_end(&o, 0);
}

int
fbsd_ng_connect(const char *path, const char *peerpath, const char *ourhook,
    const char *peerhook)
{
	struct ngop o;
	struct ngn *here, *there;
	char h1[NAMSIZ], h2[NAMSIZ];
	uint32_t tid;
	int r;

	if ((r = ngm_begin(&o, "NGM_CONNECT", path)) < 0)
		return r;
	if ((r = ngm_target(&o, path, &here)) < 0)
		return ngm_end(&o, r);
	/* ng_base.c ng_generic_msg NGM_CONNECT: the peer path is relative to the receiving
	 * node; ng_con_nodes adds our hook, then the peer's. */
	if ((r = ngm_resolve(&o.s, here->vnet, here->id, peerpath, &tid)) < 0)
		return ngm_end(&o, r);
	there = ngm_byid(&o.s, tid);
	if ((r = ngm_hook_ok(&o.s, here, ourhook, there->id, h1)) < 0)
		return ngm_end(&o, r);
	if ((r = ngm_hook_ok(&o.s, there, peerhook, here->id, h2)) < 0)
		return ngm_end(&o, r);
	ngm_connect(&o.s, here->id, h1, there->id, h2);
	return ngm_end(&o, 0);
}

int
fbsd_ng_name(const char *path, const char *name)
{
	struct ngop o;
	struct ngn *n;
	int r;

	if ((r = ngm_begin(&o, "NGM_NAME", path)) < 0)
		return r;
	if ((r = ngm_target(&o, path, &n)) < 0)
		return ngm_end(&o, r);
	/* ng_base.c ng_name_node: EINVAL for a bad name; EADDRINUSE when any node of the
	 * vnet has it -- the node itself included. A named node can be renamed. */
	if ((r = ngm_name_ok(name)) < 0)
		return ngm_end(&o, r);
	if (ngm_byname(&o.s, n->vnet, name) != NULL)
		return ngm_end(&o, -EADDRINUSE);
	jnet_strlcpy(n->name, name, sizeof(n->name));
	if (n->ether)
		n->named = true;
	return ngm_end(&o, 0);
}

int
fbsd_ng_rmhook(const char *path, const char *hook)
{
	struct ngop o;
	struct ngn *n;
	int r, k;

	if ((r = ngm_begin(&o, "NGM_RMHOOK", path)) < 0)
		return r;
	if ((r = ngm_target(&o, path, &n)) < 0)
		return ngm_end(&o, r);
	/* ng_base.c ng_generic_msg NGM_RMHOOK: destroys the hook if the node has it; no
	 * such hook is not an error. */
	if ((k = ngm_edge_at(&o.s, n->id, hook, NULL, NULL)) >= 0)
		ngm_edge_remove(&o.s, k);
	return ngm_end(&o, 0);
}

int
fbsd_ng_shutdown(const char *path)
{
	struct ngop o;
	struct ngn *n;
	int r;

	if ((r = ngm_begin(&o, "NGM_SHUTDOWN", path)) < 0)
		return r;
	if ((r = ngm_target(&o, path, &n)) < 0)
		return ngm_end(&o, r);
	if (n->ether) {
		/* ng_ether(4) SHUTDOWN: "all hooks are disconnected, promiscuous mode is
		 * disabled, but the node is not removed". */
		uint32_t id = n->id;

		for (int k = 0; k < o.s.ne;) {
			if (o.s.e[k].a == id || o.s.e[k].b == id) {
				ngm_edge_remove(&o.s, k);
				k = 0;
				continue;
			}
			k++;
		}
		n = ngm_byid(&o.s, id);
		n->promisc = false;
		n->autosrc = true;
		return ngm_end(&o, 0);
	}
	ngm_node_remove(&o.s, n->id);
	return ngm_end(&o, 0);
}

int
fbsd_ng_nodeinfo(const char *path, struct fbsd_ng_node *out)
{
	struct ngop o;
	struct ngn *n;
	int r;

	if ((r = ngm_begin(&o, "NGM_NODEINFO", path)) < 0)
		return r;
	if ((r = ngm_target(&o, path, &n)) < 0)
		return ngm_end(&o, r);
	ngm_info_of(&o.s, n, out);
	return ngm_end(&o, 0);
}

int
fbsd_ng_listhooks(const char *path, struct fbsd_ng_node *node, struct fbsd_ng_hook *hooks,
    int max)
{
	struct ngop o;
	struct ngn *n;
	int r, cnt = 0;

	if ((r = ngm_begin(&o, "NGM_LISTHOOKS", path)) < 0)
		return r;
	if ((r = ngm_target(&o, path, &n)) < 0)
		return ngm_end(&o, r);
	if (node != NULL)
		ngm_info_of(&o.s, n, node);
	for (int k = 0; k < o.s.ne; k++) {
		struct nge *e = &o.s.e[k];
		bool a = e->a == n->id, b = e->b == n->id;

		for (int side = 0; side < 2; side++) {
			if (!(side == 0 ? a : b))
				continue;
			if (cnt < max) {
				struct fbsd_ng_hook *h = &hooks[cnt];

				memset(h, 0, sizeof(*h));
				jnet_strlcpy(h->hook, side == 0 ? e->ah : e->bh, sizeof(h->hook));
				jnet_strlcpy(h->peerhook, side == 0 ? e->bh : e->ah,
				    sizeof(h->peerhook));
				ngm_info_of(&o.s, ngm_byid(&o.s, side == 0 ? e->b : e->a), &h->peer);
			}
			cnt++;
		}
	}
	model_trace_list(cnt);
	return ngm_end(&o, cnt);
}

int
fbsd_ng_listnodes(bool named_only, struct fbsd_ng_node *nodes, int max)
{
	struct ngop o;
	int r, cnt = 0;

	if ((r = ngm_begin(&o, named_only ? "NGM_LISTNAMES" : "NGM_LISTNODES", "")) < 0)
		return r;
	/* ng_base.c ng_generic_msg NGM_LISTNODES/NGM_LISTNAMES: the nodes of the vnet
	 * (ours too), named ones only for LISTNAMES. */
	for (int k = 0; k < o.s.nn; k++) {
		struct ngn *n = &o.s.n[k];

		if (n->vnet != MODEL_HOST || (named_only && n->name[0] == '\0'))
			continue;
		if (cnt < max)
			ngm_info_of(&o.s, n, &nodes[cnt]);
		cnt++;
	}
	model_trace_list(cnt);
	return ngm_end(&o, cnt);
}

static int
typed(struct ngop *o, const char *path, const char *type, struct ngn **n)
{
	int r = ngm_target(o, path, n);

	if (r < 0)
		return r;
	/* A message of another type's cookie: the node's rcvmsg answers EINVAL
	 * (ng_ether.c ng_ether_rcvmsg, FreeBSD 14 cd698c5: "default: error = EINVAL" for an
	 * unknown cookie or command; ng_eiface.c and ng_bridge.c alike). */
	return strcmp((*n)->type, type) == 0 ? 0 : -EINVAL;
}

int
fbsd_ng_eiface_ifname(const char *path, char ifname[JNET_IFNAMSIZ])
{
	struct ngop o;
	struct ngn *n;
	struct m_if *f;
	int r;

	if ((r = ngm_begin(&o, "NGM_EIFACE_GET_IFNAME", path)) < 0)
		return r;
	if ((r = typed(&o, path, "eiface", &n)) < 0)
		return ngm_end(&o, r);
	/* ng_eiface.c NGM_EIFACE_GET_IFNAME: if_xname, in whatever vnet the interface is. */
	if ((f = model_if_byid(o.m, n->ifid)) == NULL)
		return ngm_end(&o, -ENXIO);
	jnet_strlcpy(ifname, f->name, JNET_IFNAMSIZ);
	return ngm_end(&o, 0);
}

int
fbsd_ng_eiface_mac(const char *path, uint8_t mac[6])
{
	struct ngop o;
	struct ngn *n;
	struct m_if *f;
	int r;

	if ((r = ngm_begin(&o, "NGM_EIFACE_GET_IFADDRS", path)) < 0)
		return r;
	if ((r = typed(&o, path, "eiface", &n)) < 0)
		return ngm_end(&o, r);
	/* ng_eiface.c NGM_EIFACE_GET_IFADDRS: the interface's addresses, the link-level
	 * one first, from whatever vnet it is in. */
	if ((f = model_if_byid(o.m, n->ifid)) == NULL || !f->has_mac)
		return ngm_end(&o, -ENOENT);
	memcpy(mac, f->mac, 6);
	return ngm_end(&o, 0);
}

int
fbsd_ng_eiface_set_mac(const char *path, const uint8_t mac[6])
{
	struct ngop o;
	struct ngn *n;
	struct m_if *f;
	int r;

	if ((r = ngm_begin(&o, "NGM_EIFACE_SET", path)) < 0)
		return r;
	if ((r = typed(&o, path, "eiface", &n)) < 0)
		return ngm_end(&o, r);
	/* ng_eiface.c NGM_EIFACE_SET: 6 bytes, if_setlladdr (any address is taken). */
	if ((f = model_if_byid(o.m, n->ifid)) == NULL)
		return ngm_end(&o, -ENXIO);
	memcpy(f->mac, mac, 6);
	return ngm_end(&o, 0);
}

static int
ether_flag(const char *op, const char *path, bool on, bool promisc)
{
	struct ngop o;
	struct ngn *n;
	int r;

	if ((r = ngm_begin(&o, op, path)) < 0)
		return r;
	if ((r = typed(&o, path, "ether", &n)) < 0)
		return ngm_end(&o, r);
	/* ng_ether.c NGM_ETHER_SET_PROMISC / _AUTOSRC: a 32-bit flag, non-zero is on. */
	if (promisc)
		n->promisc = on;
	else
		n->autosrc = on;
	return ngm_end(&o, 0);
}

int
fbsd_ng_ether_set_promisc(const char *path, bool on)
{
	return ether_flag("NGM_ETHER_SET_PROMISC", path, on, true);
}

int
fbsd_ng_ether_set_autosrc(const char *path, bool on)
{
	return ether_flag("NGM_ETHER_SET_AUTOSRC", path, on, false);
}

int
fbsd_ng_bridge_stats(const char *path, int link, struct fbsd_ng_bridge_stats *out)
{
	struct ngop o;
	struct ngn *n;
	char hook[NAMSIZ];
	uint32_t peer;
	int r, k;

	if ((r = ngm_begin(&o, "NGM_BRIDGE_GET_STATS", path)) < 0)
		return r;
	if ((r = typed(&o, path, "bridge", &n)) < 0)
		return ngm_end(&o, r);
	/* ng_bridge.c NGM_BRIDGE_GET_STATS: a negative number names uplink<-n>; no such
	 * hook: ENOTCONN. */
	if (link < 0)
		snprintf(hook, sizeof(hook), "uplink%d", -link);
	else
		snprintf(hook, sizeof(hook), "link%d", link);
	if ((k = ngm_edge_at(&o.s, n->id, hook, &peer, NULL)) < 0)
		return ngm_end(&o, -ENOTCONN);
	{
		const uint64_t *v = o.s.e[k].st;

		*out = (struct fbsd_ng_bridge_stats){ v[0], v[1], v[2], v[3], v[4], v[5], v[6],
		    v[7], v[8], v[9], v[10], v[11], v[12], v[13] };
	}
	return ngm_end(&o, 0);
}

int
fbsd_ng_bridge_set_persistent(const char *path)
{
	struct ngop o;
	struct ngn *n;
	int r;

	if ((r = ngm_begin(&o, "NGM_BRIDGE_SET_PERSISTENT", path)) < 0)
		return r;
	if ((r = typed(&o, path, "bridge", &n)) < 0)
		return ngm_end(&o, r);
	n->persistent = true;
	return ngm_end(&o, 0);
}

static int
close_fn(struct model *m, void *arg)
{
	struct ngs s;
	long pid = (long)getpid();

	(void)arg;
	ngm_load(m, &s);
	ngm_cur = &s;
	for (int k = 0; k < s.nn; k++)
		if (strcmp(s.n[k].type, "socket") == 0 && s.n[k].pid == pid) {
			ngm_node_remove(&s, s.n[k].id);
			k = -1;
		}
	ngm_save(m, &s);
	ngm_cur = NULL;
	ngm_free(&s);
	return 0;
}

void
fbsd_ng_close(void)
{
	/* close(2) of the control socket: ng_socket shuts its node down. Not a message, so
	 * not a counted (faultable) primitive. */
	(void)model_ctl(close_fn, NULL);
}

/* ================================================================ controls */

void
ngm_kmod_unload(struct model *m, const char *module)
{
	struct ngs s;

	if (strcmp(module, "ng_ether") != 0)
		return;
	ngm_load(m, &s);
	ngm_cur = &s;
	/* kldunload ng_ether: every ether node goes, with its hooks. */
	for (int k = 0; k < s.nn; k++)
		if (s.n[k].ether) {
			ngm_node_remove(&s, s.n[k].id);
			k = -1;
		}
	ngm_save(m, &s);
	ngm_cur = NULL;
	ngm_free(&s);
}

static int
ether_fn(struct model *m, void *arg)
{
	if (!*(bool *)arg && model_kmod_loaded(m, "ng_ether"))
		ngm_kmod_unload(m, "ng_ether");
	model_kmod_set(m, "ng_ether", *(bool *)arg);
	return 0;
}

int
model_ng_ctl_ether(bool loaded)
{
	return model_ctl(ether_fn, &loaded);
}

struct flags_arg {
	const char *path;
	bool promisc, autosrc;
};

static int
flags_fn(struct model *m, void *arg)
{
	struct flags_arg *a = arg;
	struct ngs s;
	uint32_t id;
	struct ngn *n;
	int r;

	ngm_load(m, &s);
	r = ngm_resolve(&s, MODEL_HOST, 0, a->path, &id);
	if (r == 0 && ((n = ngm_byid(&s, id)) == NULL || !n->ether))
		r = -EINVAL;
	if (r == 0) {
		a->promisc = n->promisc;
		a->autosrc = n->autosrc;
	}
	ngm_free(&s);
	return r < 0 ? r : 1;
}

int
model_ng_ctl_ether_flags(const char *path, bool *promisc, bool *autosrc)
{
	struct flags_arg a = { path, false, false };
	int r = model_ctl(flags_fn, &a);

	*promisc = a.promisc;
	*autosrc = a.autosrc;
	return r;
}

struct stats_arg {
	const char *bridge, *hook;
	uint64_t base;
};

static int
stats_fn(struct model *m, void *arg)
{
	struct stats_arg *a = arg;
	struct ngs s;
	struct ngn *b;
	int k, r = 0;

	ngm_load(m, &s);
	b = ngm_byname(&s, MODEL_HOST, a->bridge);
	if (b == NULL || strcmp(b->type, "bridge") != 0)
		r = -ENOENT;
	else if ((k = ngm_edge_at(&s, b->id, a->hook, NULL, NULL)) < 0)
		r = -ENOTCONN;
	else
		for (int j = 0; j < NSTATS; j++)
			s.e[k].st[j] = a->base + (uint64_t)j;
	if (r == 0)
		ngm_save(m, &s);
	ngm_free(&s);
	return r;
}

int
model_ng_ctl_stats(const char *bridge, const char *hook, uint64_t base)
{
	struct stats_arg a = { bridge, hook, base };

	return model_ctl(stats_fn, &a);
}
