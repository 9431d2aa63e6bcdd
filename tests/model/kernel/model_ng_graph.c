/*
 * The netgraph part of the kernel model: graph operations (hooks, edges, node removal,
 * path resolution, connect) and the gate of its primitives. Part of model_ng.c.
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

/* ================================================================ graph operations */

int
ngm_hooks_of(struct ngs *s, uint32_t id)
{
	int n = 0;

	for (int k = 0; k < s->ne; k++)
		n += (s->e[k].a == id) + (s->e[k].b == id);
	return n;
}

/* The edge at hook `hook` of node `id`, or -1; *peer and *peerhook set. */
int
ngm_edge_at(struct ngs *s, uint32_t id, const char *hook, uint32_t *peer, const char **peerhook)
{
	for (int k = 0; k < s->ne; k++) {
		struct nge *e = &s->e[k];

		if (e->a == id && strcmp(e->ah, hook) == 0) {
			if (peer) *peer = e->b;
			if (peerhook) *peerhook = e->bh;
			return k;
		}
		if (e->b == id && strcmp(e->bh, hook) == 0) {
			if (peer) *peer = e->a;
			if (peerhook) *peerhook = e->ah;
			return k;
		}
	}
	return -1;
}

/* A node lost hook: what its type does then. */
static void
after_disconnect(struct ngs *s, uint32_t id)
{
	struct ngn *n = ngm_byid(s, id);

	if (n == NULL || ngm_hooks_of(s, id) > 0)
		return;
	if (strcmp(n->type, "ether") == 0) {
		/*
		 * ng_ether.c (FreeBSD 14, cd698c5) ng_ether_disconnect: no hooks left ->
		 * ng_rmnode_self, and ng_ether_shutdown resets the node instead of removing it
		 * (NG_NODE_REVIVE): promiscuous mode off, autoSrcAddr set to 1 -- which is not
		 * the 0 ng_ether_attach left it at.
		 */
		n->promisc = false;
		n->autosrc = true;
	} else if (strcmp(n->type, "bridge") == 0) {
		/* ng_bridge.c ng_bridge_disconnect: "If no more hooks, go away", unless
		 * persistent (ng_bridge(4) SHUTDOWN). */
		if (!n->persistent)
			ngm_node_remove(s, id);
	} else if (strcmp(n->type, "eiface") != 0 && strcmp(n->type, "socket") != 0) {
		/* Most node types go with their last hook (e.g. ng_hole); eiface does not
		 * (ng_eiface(4): "does not go away when all hooks have been disconnected"),
		 * a socket node lives as long as its socket. */
		ngm_node_remove(s, id);
	}
}

void
ngm_edge_remove(struct ngs *s, int k)
{
	uint32_t a = s->e[k].a, b = s->e[k].b;

	s->e[k] = s->e[--s->ne];
	after_disconnect(s, a);
	after_disconnect(s, b);
}

/*
 * Remove a node: ng_rmnode breaks every edge (peers react), then the type's shutdown.
 * An eiface takes its interface with it, from whatever vnet it is in (ng_eiface.c
 * ng_eiface_rmnode: CURVNET_SET_QUIET(ifp->if_vnet); ether_ifdetach; if_free).
 */
void
ngm_node_remove(struct ngs *s, uint32_t id)
{
	struct ngn *n = ngm_byid(s, id);
	int ifid;
	bool eiface;

	if (n == NULL)
		return;
	ifid = n->ifid;
	eiface = strcmp(n->type, "eiface") == 0;
	/* Take it out first, so that peers reacting to the lost edges do not find it. */
	*n = s->n[--s->nn];
	for (int k = 0; k < s->ne;) {
		if (s->e[k].a == id || s->e[k].b == id) {
			uint32_t other = s->e[k].a == id ? s->e[k].b : s->e[k].a;

			s->e[k] = s->e[--s->ne];
			after_disconnect(s, other);
			k = 0;
			continue;
		}
		k++;
	}
	if (eiface) {
		struct m_if *f = model_if_byid(s->m, ifid);

		if (f != NULL)
			model_if_remove(s->m, f); /* calls ng_if_removed (its ether node goes) */
	}
}

/* ---------------------------------------------------------------- names and paths */

/* ng_base.c ng_decodeidname: "[hex]" with 1..8 hex digits is an ID, not a name. */
static bool
id_form(const char *s, uint32_t *id)
{
	size_t n = strlen(s);
	unsigned long v;
	char *end;

	if (n < 3 || n > 10 || s[0] != '[' || s[n - 1] != ']')
		return false;
	for (size_t i = 1; i < n - 1; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	v = strtoul(s + 1, &end, 16);
	if (end != s + n - 1 || v == 0)
		return false;
	if (id)
		*id = (uint32_t)v;
	return true;
}

/*
 * ng_base.c ng_name_node: 1..NG_NODESIZ-1 characters, none of them '.' or ':', and not
 * an ID ("[1f]") -- else EINVAL.
 */
int
ngm_name_ok(const char *name)
{
	size_t n = strnlen(name, NAMSIZ);

	if (n == 0 || n >= NAMSIZ || strpbrk(name, ".:") != NULL || id_form(name, NULL))
		return -EINVAL;
	return 0;
}

/* Has this process a control socket node in `vnet`? */
static bool
has_local_node(struct ngs *s, int vnet)
{
	long pid = (long)getpid();

	for (int k = 0; k < s->nn; k++)
		if (strcmp(s->n[k].type, "socket") == 0 && s->n[k].pid == pid &&
		    s->n[k].vnet == vnet)
			return true;
	return false;
}

/* The control socket node of this process in `vnet` (made on first use: NgMkSockNode). */
static struct ngn *
local_node(struct ngs *s, int vnet)
{
	long pid = (long)getpid();
	struct ngn *n;

	for (int k = 0; k < s->nn; k++)
		if (strcmp(s->n[k].type, "socket") == 0 && s->n[k].pid == pid &&
		    s->n[k].vnet == vnet)
			return &s->n[k];
	n = ngm_node_add(s);
	n->id = s->next_id++;
	n->vnet = vnet;
	n->pid = pid;
	jnet_strlcpy(n->type, "socket", sizeof(n->type));
	return n;
}

/*
 * ng_base.c ng_path_parse / ng_path2noderef: "NODE:HOOK.HOOK..." where NODE is a name,
 * "[ID]" or "." (the local node), or a relative "HOOK.HOOK" / "." from `here`. ENOENT: no
 * such node, or no such hook on the way; EINVAL: not a path.
 */
int
ngm_resolve(struct ngs *s, int vnet, uint32_t here, const char *path, uint32_t *out)
{
	char buf[FBSD_NG_PATHSIZ], *colon, *hooks, *node;
	uint32_t at = here;

	if (path == NULL || path[0] == '\0' || strlen(path) >= sizeof(buf))
		return -EINVAL;
	jnet_strlcpy(buf, path, sizeof(buf));
	colon = strchr(buf, ':');
	if (colon != NULL) {
		*colon = '\0';
		node = buf;
		hooks = colon + 1;
		if (strchr(hooks, ':') != NULL || node[0] == '\0')
			return -EINVAL;
		if (strcmp(node, ".") != 0) {
			uint32_t id;
			struct ngn *n;

			if (id_form(node, &id))
				n = ngm_byid(s, id);
			else
				n = ngm_byname(s, vnet, node);
			if (n == NULL || n->vnet != vnet)
				return -ENOENT;
			at = n->id;
		}
	} else {
		hooks = strcmp(buf, ".") == 0 ? buf + 1 : buf;
	}
	while (*hooks != '\0') {
		char *dot = strchr(hooks, '.');
		uint32_t peer;

		if (dot != NULL)
			*dot = '\0';
		if (hooks[0] == '\0')
			return -EINVAL;
		if (ngm_edge_at(s, at, hooks, &peer, NULL) < 0)
			return -ENOENT;
		at = peer;
		hooks = dot ? dot + 1 : hooks + strlen(hooks);
	}
	*out = at;
	return 0;
}

/* ---------------------------------------------------------------- hooks */

/* "link12" / "uplink3" -> prefix length and number; false if not of that exact form. */
static bool
link_name(const char *name, const char **prefix, unsigned long *num)
{
	const char *p = name[0] == 'u' ? "uplink" : "link";
	size_t pl = strlen(p);
	char rebuilt[NAMSIZ];
	char *end;

	/* ng_bridge.c ng_bridge_newhook: longer than the prefix, decimal number that reads
	 * back identically ("link01" is refused). */
	if (strlen(name) <= strlen("link") || strncmp(name, p, pl) != 0)
		return false;
	*num = strtoul(name + pl, &end, 10);
	snprintf(rebuilt, sizeof(rebuilt), "%s%lu", p, *num);
	*prefix = p;
	return strcmp(rebuilt, name) == 0;
}

/*
 * May node `n` get a hook called `name` (ng_base.c ng_add_hook, then the type's newhook
 * method)? On success `out` holds the hook's final name (FreeBSD 15's ng_bridge numbers a
 * plain "link"/"uplink" itself). `peer` is the node on the other side (for ELOOP).
 */
int
ngm_hook_ok(struct ngs *s, const struct ngn *n, const char *name, uint32_t peer, char out[NAMSIZ])
{
	size_t len = strnlen(name, NAMSIZ);

	/* ng_add_hook: a name is 1..NG_HOOKSIZ-1 characters without '.' or ':' (EINVAL);
	 * one that the node already has: EEXIST. */
	if (len == 0 || len >= NAMSIZ || strpbrk(name, ".:") != NULL)
		return -EINVAL;
	if (ngm_edge_at(s, n->id, name, NULL, NULL) >= 0)
		return -EEXIST;
	jnet_strlcpy(out, name, NAMSIZ);
	if (strcmp(n->type, "eiface") == 0) {
		/* ng_eiface.c ng_eiface_newhook: only "ether" (EPFNOSUPPORT), once (EISCONN). */
		if (strcmp(name, "ether") != 0)
			return -EPFNOSUPPORT;
		return 0;
	}
	if (strcmp(n->type, "ether") == 0) {
		/* ng_ether.c ng_ether_newhook: "divert" is another name for "lower"; upper,
		 * lower, orphans; each once (EISCONN); anything else EINVAL. */
		const char *slot = strcmp(name, "divert") == 0 ? "lower" : name;

		if (strcmp(slot, "lower") != 0 && strcmp(slot, "upper") != 0 &&
		    strcmp(slot, "orphans") != 0)
			return -EINVAL;
		if (strcmp(slot, "lower") == 0 && (ngm_edge_at(s, n->id, "lower", NULL, NULL) >= 0 ||
		    ngm_edge_at(s, n->id, "divert", NULL, NULL) >= 0))
			return -EISCONN;
		return 0;
	}
	if (strcmp(n->type, "bridge") == 0) {
		const char *prefix;
		unsigned long num;

		if (s->m->version >= 15 && (strcmp(name, "link") == 0 || strcmp(name, "uplink") == 0)) {
			/*
			 * FreeBSD 15: a plain "link" (or "uplink") hook gets the lowest free
			 * number from the bridge (vm-bhyve#133: "let kernel choose lowest
			 * available link"); uplinks start at 1 (uplink0 is invalid).
			 */
			for (unsigned long k = name[0] == 'u' ? 1 : 0;; k++) {
				snprintf(out, NAMSIZ, "%s%lu", name, k);
				if (ngm_edge_at(s, n->id, out, NULL, NULL) < 0)
					break;
			}
		} else if (!link_name(name, &prefix, &num)) {
			/* 14 and older: "link" alone is shorter-or-equal to the prefix: EINVAL. */
			return -EINVAL;
		} else if (num == 0 && strcmp(prefix, "uplink") == 0) {
			return -EINVAL;
		}
		if (peer == n->id)
			return -ELOOP;
		return 0;
	}
	/* socket and the rest: any name (ng_socket.c ngs_newhook). */
	return 0;
}

void
ngm_connect(struct ngs *s, uint32_t a, const char *ah, uint32_t b, const char *bh)
{
	struct nge *e = ngm_edge_add(s);

	e->a = a;
	e->b = b;
	jnet_strlcpy(e->ah, ah, sizeof(e->ah));
	jnet_strlcpy(e->bh, bh, sizeof(e->bh));
}

/* ================================================================ the gate */

int
ngm_begin(struct ngop *o, const char *op, const char *obj)
{
	int r = model_begin(&o->m, op, obj);

	if (r < 0)
		return r;
	o->kld = false;
	ngm_load(o->m, &o->s);
	ngm_cur = &o->s;
	if (!has_local_node(&o->s, MODEL_HOST) && !model_kmod_loaded(o->m, "ng_socket")) {
		/*
		 * The control socket is made on first use (NgMkSockNode). Without ng_socket,
		 * socket(AF_NETGRAPH) is EAFNOSUPPORT; lib/libnetgraph/sock.c NgMkSockNode
		 * (FreeBSD 14) then kldloads ng_socket.ko itself and fails with kldload's errno
		 * (EPERM in a jail or at securelevel > 0).
		 */
		if ((r = model_kmod_load(o->m, "ng_socket")) < 0) {
			ngm_cur = NULL;
			ngm_free(&o->s);
			return model_end(o->m, r);
		}
		o->kld = true;
	}
	o->here = local_node(&o->s, MODEL_HOST)->id;
	return 0;
}

int
ngm_end(struct ngop *o, int r)
{
	/* Primitives change nothing when they fail (model.h): only successes are kept. */
	if (r >= 0)
		ngm_save(o->m, &o->s);
	ngm_cur = NULL;
	ngm_free(&o->s);
	/* A module loaded on the way stays loaded though the message failed (kldload is not
	 * undone); nothing else of the failed message is kept. */
	if (r < 0 && o->kld)
		return model_end_dirty(o->m, r);
	return model_end(o->m, r);
}

int
ngm_target(struct ngop *o, const char *path, struct ngn **n)
{
	uint32_t id;
	int r = ngm_resolve(&o->s, MODEL_HOST, o->here, path, &id);

	if (r < 0)
		return r;
	*n = ngm_byid(&o->s, id);
	return 0;
}

void
ngm_info_of(struct ngs *s, const struct ngn *n, struct fbsd_ng_node *out)
{
	memset(out, 0, sizeof(*out));
	jnet_strlcpy(out->name, n->name, sizeof(out->name));
	jnet_strlcpy(out->type, n->type, sizeof(out->type));
	out->id = n->id;
	out->hooks = (unsigned)ngm_hooks_of(s, n->id);
}
