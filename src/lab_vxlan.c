/*
 * Labs that span hosts, at run time (issue 14): `lab up --host` builds one host's part of
 * the lab (jnet_lab_host_view) and gives every bridge with jails on other hosts too a
 * VXLAN port (backend vxlan_create) with static FDB entries for the other hosts' VTEPs.
 *
 * MTU rule: a VXLAN frame carries the inner Ethernet frame plus 50 bytes (IPv4 underlay:
 * outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14) or 70 (IPv6 underlay). The VXLAN
 * port and every interface of the lab on a bridge that spans hosts (the bridge end and
 * the jail end) get the MTU of the underlay interface here minus that, unless the file
 * gives a smaller `mtu`; a larger one is refused (FILE:LINE:COL) before anything is made.
 */
#include "lab_vxlan.h"
#include "lab_hosts.h"
#include "tag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int
jnet_lab_for_host(struct jnet_lab **lab, const char *host, struct jnet_err *e)
{
	struct jnet_lab *v;
	int h;

	if ((*lab)->nhosts == 0 && host == NULL)
		return 0;
	if ((h = jnet_lab_host_pick(*lab, host, e)) < 0)
		return h;
	if (jnet_lab_host_view(*lab, h, &v, e) < 0)
		return -e->code;
	jnet_lab_free(*lab);
	*lab = v;
	return 0;
}

/* An IPv6 address of f, or NULL. */
static const struct jnet_lab_addr *
v6_addr(const struct jnet_lab_iface *f)
{
	for (int a = 0; a < f->naddrs; a++)
		if (f->addrs[a].family == AF_INET6)
			return &f->addrs[a];
	return NULL;
}

/* The MTU rule (above) on the view's interfaces; a derived MTU below IPv6's minimum on an
 * interface with an IPv6 address is refused. under: the underlay interface. */
static int
apply_mtu(struct jnet_ctx *ctx, struct jnet_lab *lab, unsigned vxmtu, const char *under)
{
	const struct jnet_lab_host *me = &lab->hosts[lab->view - 1];
	unsigned over = me->family == AF_INET ? JNET_VXLAN_OVERHEAD4 : JNET_VXLAN_OVERHEAD6;

	for (int j = 0; j < lab->njails; j++) {
		struct jnet_lab_jail *jl = &lab->jails[j];

		for (int i = 0; i < jl->nbridged; i++) {
			struct jnet_lab_iface *f = &jl->ifaces[i];
			const struct jnet_lab_addr *v6 = v6_addr(f);

			if (!lab->bridges[f->bridge].spans)
				continue;
			if (f->mtu > vxmtu)
				return jnet_lab_err(lab, f->pos, &ctx->err, EINVAL,
				    "mtu %u of jail '%s' on bridge '%s' is over %u, what VXLAN over this host's underlay carries",
				    f->mtu, jl->name, lab->bridges[f->bridge].name, vxmtu);
			if (f->mtu == 0 && vxmtu < JNET_LAB_MTU_MIN6 && v6 != NULL)
				return jnet_lab_err(lab, f->pos, &ctx->err, EINVAL,
				    "jail '%s' on bridge '%s' has IPv6 address %s, but VXLAN leaves it MTU %u "
				    "(underlay %s: MTU %u minus %u), below %d, the IPv6 minimum: raise the "
				    "underlay's MTU to %u or more", jl->name,
				    lab->bridges[f->bridge].name, v6->text, vxmtu, under, vxmtu + over,
				    over, JNET_LAB_MTU_MIN6, JNET_LAB_MTU_MIN6 + over);
			if (f->mtu == 0)
				f->mtu = vxmtu;
		}
	}
	return 0;
}

/* Does VXLAN interface i carry what the file gives bridge b's port here: the VNI, this
 * host's address and UDP port? */
static bool
vxlan_matches(const struct jnet_lab *lab, int b, const struct jnet_ifinfo *i)
{
	const struct jnet_lab_host *me = &lab->hosts[lab->view - 1];

	return i->vni == lab->bridges[b].vni && i->vx_port == me->port &&
	    memcmp(i->vx_local, me->addr, me->family == AF_INET ? 4 : 16) == 0;
}

/*
 * What is there of bridge b's VXLAN port: 0 absent, 1 the lab's, 2 left untagged by a
 * killed up (in jnet's group, with the port's name, on the lab's bridge, with the
 * lab's VNI, local address and port: removed to be made again), 3 anything else (not
 * the lab's: refused and left), or -errno. *ip: what if_get said (may be NULL).
 */
static int
vxlan_peek(struct jnet_ctx *ctx, const struct jnet_lab *lab, int b, struct jnet_ifinfo *ip)
{
	char br[JNET_IFNAMSIZ], vx[JNET_IFNAMSIZ];
	struct jnet_ifinfo ibuf, *i = ip != NULL ? ip : &ibuf;
	struct jnet_tag t;
	enum jnet_own own;
	int r;

	jnet_lab_bridge_ifname(lab, b, br);
	jnet_lab_vxlan_ifname(br, vx);
	if ((r = ctx->be->if_get(ctx->priv, vx, i, &ctx->err)) == -ENODEV) {
		jnet_err_clear(&ctx->err);
		return 0;
	}
	if (r < 0)
		return r;
	own = i->is_vxlan ? jnet_ownership(i->tagtext, i->jnet_group, i->name, JNET_TAG_VXLAN,
	    vx, &t) : JNET_OWN_NONE;
	if (own == JNET_OWN_TAGGED && strcmp(t.name, lab->name) == 0)
		return 1;
	if (own == JNET_OWN_CRASH && strcmp(i->master, br) == 0 && vxlan_matches(lab, b, i))
		return 2;
	return 3;
}

static int
vxlan_state(struct jnet_ctx *ctx, const struct jnet_lab *lab, int b)
{
	char br[JNET_IFNAMSIZ], vx[JNET_IFNAMSIZ];
	struct jnet_ifinfo i;
	int r = vxlan_peek(ctx, lab, b, &i);

	jnet_lab_bridge_ifname(lab, b, br);
	jnet_lab_vxlan_ifname(br, vx);
	if (r == 1 && !vxlan_matches(lab, b, &i))
		return jnet_err_set(&ctx->err, EEXIST, vx,
		    "lab %s's VXLAN port of bridge %s has VNI %lu and port %u or a local address "
		    "that differ from the file (VNI %lu, port %u): `lab down` and `lab up` make "
		    "it again", lab->name, lab->bridges[b].name, (unsigned long)i.vni,
		    i.vx_port, (unsigned long)lab->bridges[b].vni, lab->hosts[lab->view - 1].port);
	if (r == 2)
		return ctx->be->lab->vxlan_destroy(ctx->priv, vx, &ctx->err);
	if (r == 3)
		return jnet_err_set(&ctx->err, EEXIST, vx,
		    "exists and is not lab %s's VXLAN port (not tagged for it, or not on its "
		    "bridge %s with its VNI %u, local address and port): left alone",
		    lab->name, br, (unsigned)lab->bridges[b].vni);
	return r;
}

/* Bridge b's VXLAN port as the file and this host give it (vx_fill; vx_free). */
struct vx {
	struct jnet_vxlan_req q;
	char br[JNET_IFNAMSIZ], vx[JNET_IFNAMSIZ], tagtext[JNET_TAGSIZ];
	uint8_t (*remote)[16];
	uint16_t *port;
	int *host;                   /* remote i is host host[i] */
	bool *add;                   /* vxlan_check: remote i has no FDB entry */
};

static void
vx_free(struct vx *v)
{
	free(v->remote);
	free(v->port);
	free(v->host);
	free(v->add);
}

static int
vx_fill(struct jnet_ctx *ctx, const struct jnet_lab *lab, int b, unsigned mtu, struct vx *v)
{
	const struct jnet_lab_host *me = &lab->hosts[lab->view - 1];
	size_t n = (size_t)lab->nhosts;
	struct jnet_tag t;

	memset(v, 0, sizeof(*v));
	v->remote = calloc(n, 16);
	v->port = calloc(n, sizeof(uint16_t));
	v->host = calloc(n, sizeof(int));
	v->add = calloc(n, sizeof(bool));
	if (v->remote == NULL || v->port == NULL || v->host == NULL || v->add == NULL) {
		vx_free(v);
		return jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	}
	jnet_lab_bridge_ifname(lab, b, v->br);
	jnet_lab_vxlan_ifname(v->br, v->vx);
	jnet_tag_vxlan(&t, ctx->be->name, lab->name, lab->bridges[b].vni);
	jnet_tag_format(v->tagtext, sizeof(v->tagtext), &t);
	v->q = (struct jnet_vxlan_req){ v->vx, v->br, v->tagtext, lab->bridges[b].vni,
		me->family, { 0 }, me->port, mtu, 0, NULL, NULL };
	memcpy(v->q.local, me->addr, 16);
	/* Every other host: a bridge spans only the hosts it has jails on in the file, but
	 * an entry for a host without them costs one flooded copy, never a wrong delivery. */
	for (int h = 0; h < lab->nhosts; h++)
		if (h != lab->view - 1) {
			memcpy(v->remote[v->q.nremotes], lab->hosts[h].addr, 16);
			v->host[v->q.nremotes] = h;
			v->port[v->q.nremotes++] = lab->hosts[h].port;
		}
	v->q.remote = (const uint8_t (*)[16])v->remote;
	v->q.remote_port = v->port;
	return 0;
}

/* The FDB entries of the lab's port i that are not there: v->add[i], named in why. */
static int
fdb_check(struct jnet_ctx *ctx, const struct jnet_lab *lab, const struct jnet_ifinfo *i,
    struct vx *v, char *why, size_t len)
{
	int max = lab->nhosts + 64, n, bad = 0;
	uint8_t (*dst)[16] = calloc((size_t)max, 16);
	uint16_t *port = calloc((size_t)max, sizeof(uint16_t));
	size_t alen = lab->hosts[lab->view - 1].family == AF_INET ? 4 : 16;

	if (dst == NULL || port == NULL)
		n = jnet_err_set(&ctx->err, ENOMEM, "", "out of memory");
	else
		n = ctx->be->lab->vxlan_remotes(ctx->priv, v->vx, i->ifindex, dst, port, max,
		    &ctx->err);
	for (int k = 0; n >= 0 && k < v->q.nremotes; k++) {
		bool have = false;

		for (int m = 0; m < n && m < max && !have; m++)
			have = memcmp(dst[m], v->remote[k], alen) == 0 &&
			    (port[m] != 0 ? port[m] : i->vx_port) == v->port[k];
		v->add[k] = !have;
		if (!have && bad++ == 0)
			snprintf(why + strlen(why), len - strlen(why), "%sno FDB entry for %s",
			    why[0] != '\0' ? ", " : "", lab->hosts[v->host[k]].addrstr);
	}
	free(dst);
	free(port);
	return n < 0 ? n : bad;
}

/*
 * The lab's port i compared with the kernel: 0 as it should be; 1 off its bridge, down,
 * with another MTU (mtu > 0) or without some of its FDB entries (up repairs it); 2 its
 * VNI, local address or port differ from the file (up refuses: down and up remake it).
 * why: what is wrong.
 */
static int
vxlan_check(struct jnet_ctx *ctx, const struct jnet_lab *lab, int b,
    const struct jnet_ifinfo *i, struct vx *v, char *why, size_t len)
{
	int r;

	why[0] = '\0';
	if (!vxlan_matches(lab, b, i)) {
		snprintf(why, len, "VNI %lu, port %u or local address differ from the file "
		    "(VNI %lu, port %u)", (unsigned long)i->vni, i->vx_port,
		    (unsigned long)lab->bridges[b].vni, v->q.port);
		return 2;
	}
	if (strcmp(i->master, v->br) != 0)
		snprintf(why, len, "not on bridge %s", v->br);
	if (!i->up)
		snprintf(why + strlen(why), len - strlen(why), "%sdown",
		    why[0] != '\0' ? ", " : "");
	if (v->q.mtu > 0 && i->mtu != v->q.mtu)
		snprintf(why + strlen(why), len - strlen(why), "%sMTU %u, not %u",
		    why[0] != '\0' ? ", " : "", i->mtu, v->q.mtu);
	if (ctx->be->lab != NULL && ctx->be->lab->vxlan_remotes != NULL &&
	    (r = fdb_check(ctx, lab, i, v, why, len)) < 0)
		return r;
	return why[0] != '\0';
}

static int
vxlan_make(struct jnet_ctx *ctx, const struct jnet_lab *lab, int b, unsigned mtu)
{
	struct jnet_ifinfo i;
	struct vx v;
	char why[256];
	int r;

	if ((r = vx_fill(ctx, lab, b, mtu, &v)) < 0)
		return r;
	r = vxlan_state(ctx, lab, b);
	if (r == 0)
		r = ctx->be->lab->vxlan_create(ctx->priv, &v.q, &ctx->err);
	/* Another up of this lab on this host made it in the meantime: fine if it is ours. */
	if (r == -EEXIST) {
		struct jnet_err e = ctx->err;

		if ((r = vxlan_peek(ctx, lab, b, NULL)) != 1) {
			ctx->err = e;
			r = -EEXIST;
		}
	}
	/* There: compared with the kernel, repaired, or refused when it is another port. */
	if (r == 1 && (r = vxlan_peek(ctx, lab, b, &i)) == 1 &&
	    (r = vxlan_check(ctx, lab, b, &i, &v, why, sizeof(why))) == 2)
		r = jnet_err_set(&ctx->err, EEXIST, v.vx,
		    "lab %s's VXLAN port of bridge %s: %s; `lab down` and `lab up` make it again",
		    lab->name, lab->bridges[b].name, why);
	else if (r == 1)
		r = ctx->be->lab != NULL && ctx->be->lab->vxlan_repair != NULL ?
		    ctx->be->lab->vxlan_repair(ctx->priv, &v.q, v.add, &ctx->err) :
		    jnet_err_set(&ctx->err, EOPNOTSUPP, v.vx, "%s: cannot repair it here", why);
	vx_free(&v);
	return r < 0 ? r : 0;
}

/* The VXLAN ports' MTU: the underlay interface's minus the headers. */
static int
vx_mtu(struct jnet_ctx *ctx, const struct jnet_lab *lab, unsigned *mtu,
    char under[JNET_IFNAMSIZ])
{
	const struct jnet_lab_host *me = &lab->hosts[lab->view - 1];
	unsigned over = me->family == AF_INET ? JNET_VXLAN_OVERHEAD4 : JNET_VXLAN_OVERHEAD6;
	struct jnet_ifinfo u;
	int r;

	if ((r = jnet_lab_host_underlay(lab, lab->view - 1, under, &ctx->err)) < 0 ||
	    (r = ctx->be->if_get(ctx->priv, under, &u, &ctx->err)) < 0)
		return r;
	if (u.mtu < JNET_LAB_MTU_MIN + over)
		return jnet_err_set(&ctx->err, EINVAL, under,
		    "MTU %u of the underlay is too small for VXLAN (%u bytes of headers)", u.mtu,
		    over);
	*mtu = u.mtu - over;
	return 0;
}

/* Before anything is made: the backend can, the underlay is here, the MTUs fit, no
 * foreign interface holds a VXLAN port's name. *mtu: the VXLAN ports' MTU. */
static int
preflight(struct jnet_ctx *ctx, struct jnet_lab *lab, unsigned *mtu)
{
	char under[JNET_IFNAMSIZ];
	int r;

	if (ctx->be->lab == NULL || ctx->be->lab->vxlan_create == NULL ||
	    ctx->be->lab->vxlan_destroy == NULL)
		return jnet_err_set(&ctx->err, EOPNOTSUPP, lab->file,
		    "a lab that spans hosts needs VXLAN ports: not supported yet on the %s backend",
		    ctx->be->name);
	if ((r = vx_mtu(ctx, lab, mtu, under)) < 0)
		return r;
	if ((r = apply_mtu(ctx, lab, *mtu, under)) < 0)
		return r;
	for (int b = 0; b < lab->nbridges; b++)
		if (lab->bridges[b].spans && (r = vxlan_state(ctx, lab, b)) < 0)
			return r;
	return 0;
}

int
jnet_lab_up_host(struct jnet_ctx *ctx, struct jnet_lab *lab, jnet_lab_progress p, void *arg)
{
	unsigned mtu = 0;
	bool spans = false;
	int r;

	for (int b = 0; b < lab->nbridges; b++)
		spans |= lab->bridges[b].spans;
	if (lab->view == 0 || !spans)
		return jnet_lab_up(ctx, lab, p, arg);
	jnet_err_clear(&ctx->err);
	if ((r = preflight(ctx, lab, &mtu)) < 0 || (r = jnet_lab_up(ctx, lab, p, arg)) < 0)
		return r;
	/* A port the kernel refuses (another VXLAN interface with this VNI and UDP port on
	 * this host) fails up, named; the host's part stays for up to complete or down to
	 * remove (status: incomplete). */
	for (int b = 0; b < lab->nbridges; b++)
		if (lab->bridges[b].spans && (r = vxlan_make(ctx, lab, b, mtu)) < 0)
			return r;
	return 0;
}

int
jnet_lab_vxlan_release(struct jnet_ctx *ctx, const char *lab, const char *bridge)
{
	char vx[JNET_IFNAMSIZ];
	struct jnet_ifinfo i;
	struct jnet_tag t;
	enum jnet_own own;
	int r;

	if (ctx->be->lab->vxlan_destroy == NULL)
		return 0;
	jnet_lab_vxlan_ifname(bridge, vx);
	if ((r = ctx->be->if_get(ctx->priv, vx, &i, &ctx->err)) < 0) {
		if (r == -ENODEV)
			jnet_err_clear(&ctx->err);
		return r == -ENODEV ? 0 : r;
	}
	/* Ours: a VXLAN interface tagged for this lab, or (killed before its tag) untagged,
	 * in jnet's group, named as this bridge's port and on it. Anything else stays. */
	own = i.is_vxlan ? jnet_ownership(i.tagtext, i.jnet_group, i.name, JNET_TAG_VXLAN, vx,
	    &t) : JNET_OWN_NONE;
	if ((own == JNET_OWN_TAGGED && strcmp(t.name, lab) == 0) ||
	    (own == JNET_OWN_CRASH && strcmp(i.master, bridge) == 0))
		return ctx->be->lab->vxlan_destroy(ctx->priv, vx, &ctx->err);
	return 0;
}

int
jnet_lab_vxlan_status(struct jnet_ctx *ctx, const struct jnet_lab *lab,
    struct jnet_lab_status *st)
{
	struct jnet_ifinfo i;
	struct vx v;
	char under[JNET_IFNAMSIZ];
	unsigned mtu = 0;

	if (lab->view == 0)
		return 0;
	st->host = lab->hosts[lab->view - 1].name;
	/* The MTU the ports should have; not compared when the underlay is not here. */
	if (ctx->be->lab != NULL && ctx->be->lab->vxlan_destroy != NULL &&
	    vx_mtu(ctx, lab, &mtu, under) < 0)
		mtu = 0;
	for (int b = 0; b < lab->nbridges; b++) {
		struct jnet_lab_status_vxlan *vs = &st->bridges[b].vxlan;
		char br[JNET_IFNAMSIZ];
		int r;

		if (!lab->bridges[b].spans)
			continue;
		jnet_lab_bridge_ifname(lab, b, br);
		jnet_lab_vxlan_ifname(br, vs->ifname);
		vs->vni = lab->bridges[b].vni;
		/* A crash-window port is there but not the lab's yet: missing until up. */
		r = ctx->be->lab != NULL && ctx->be->lab->vxlan_destroy != NULL ? vxlan_peek(ctx, lab, b, &i) : 0;
		vs->present = r == 1;
		if (r == 1 && vx_fill(ctx, lab, b, mtu, &v) == 0) {
			if (vxlan_check(ctx, lab, b, &i, &v, vs->problem, sizeof(vs->problem)) < 0)
				jnet_strlcpy(vs->problem, ctx->err.msg, sizeof(vs->problem));
			vx_free(&v);
		}
		if (r != 1 || vs->problem[0] != '\0')
			st->complete = false;
	}
	jnet_err_clear(&ctx->err);
	return 0;
}
