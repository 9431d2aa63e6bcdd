/*
 * CNI plugin mode: ADD, DEL, CHECK and GC of one attachment (network, container ID,
 * ifname) through jnet's backends. The attachment is jnet link 0 of the jail named
 * CONTAINERID@IFNAME: its host end has jnet's deterministic name for that jail, its
 * container end is CNI_IFNAME inside CNI_NETNS, and both carry the tag
 * "jnet/2 link BACKEND 0 a|b CONTAINERID@IFNAME n=1 t=BORN cni=NETWORK".
 * DEL, CHECK and GC go by that name and that tag: an interface whose tag says otherwise
 * is not the attachment, and is never touched.
 */
#include "cni.h"
#include "lock.h"
#include "mac.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Refuse to touch r->host_if: it is not this attachment's (-2, ce filled). */
static int
not_ours(struct jnet_cni_run *r, const char *tagtext, const char *why)
{
	jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, tagtext[0] ? tagtext : NULL,
	    "%s exists and %s; refusing to touch it", r->host_if, why);
	return -2;
}

/* An untagged pair (a kill between creating and tagging it) is this attachment's only with
 * its jail end inside CNI_NETNS (where ADD makes it): 1 yes, 0 no or cannot tell. */
static int
crash_in_netns(struct jnet_cni_run *r, const struct jnet_link_info *l)
{
	const struct jnet_backend_ops *be = r->ctx->be;
	struct jnet_jail j;
	struct jnet_err e;
	int in = 0;

	if (r->env->netns == NULL || be->link_in == NULL)
		return 0;
	memset(&j, 0, sizeof(j));
	j.fd = j.jid = -1;
	if (be->jail_open(r->ctx->priv, r->env->netns, JNET_JAIL_SPEC, &j, &e) < 0)
		return 0;
	if (j.exists)
		in = be->link_in(r->ctx->priv, l, &j, &e) == 1;
	if (j.exists)
		be->jail_close(r->ctx->priv, &j);
	return in;
}

/*
 * Is host interface r->host_if (jnet's name for the attachment, computed by the caller) this
 * attachment's link? 1 yes (l filled), 0 absent, -2 (ce filled) when it exists and is not
 * (the tag, the kind or the peer's name says otherwise), -1 (ce filled) when the kernel
 * failed. The one rule of the CLI: jnet_ownership on the host end, a link of the kind jnet
 * makes (the backend's link_get refuses any other), its peer named as jnet names it
 * (jnet_link_peer_ok: CNI_IFNAME). `crash`: an untagged pair of jnet's group so named, with
 * its jail end inside CNI_NETNS, counts as ours (a kill between creating and tagging it).
 */
int
jnet_cni_own(struct jnet_cni_run *r, struct jnet_link_info *l, bool crash)
{
	char cid[JNET_CNI_CIDMAX + 1], ifname[JNET_IFNAMSIZ];
	struct jnet_ifinfo i;
	struct jnet_tag t;
	enum jnet_own own;
	int rc;

	memset(l, 0, sizeof(*l));
	if (!jnet_cni_jail_split(r->jail, cid, sizeof(cid), ifname, sizeof(ifname)))
		return jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, NULL, "%s: not an attachment", r->jail);
	rc = r->ctx->be->if_get(r->ctx->priv, r->host_if, &i, &r->ctx->err);
	if (rc == -ENODEV)
		return 0;
	if (rc < 0)
		return jnet_cni_kernel_fail(r, "look up the host end");
	own = jnet_ownership(i.tagtext, i.jnet_group, i.name, JNET_TAG_LINK, r->host_if, &t);
	if (own == JNET_OWN_TAGGED && (t.end != 'a' || strcmp(t.name, r->jail) != 0 ||
	    strcmp(t.cni, r->conf.name) != 0))
		return not_ours(r, i.tagtext, "is not this attachment (see its tag)");
	if (own == JNET_OWN_NONE || (own == JNET_OWN_CRASH && !crash))
		return not_ours(r, i.tagtext, "was not made by jnet for this attachment");
	rc = r->ctx->be->link_get(r->ctx->priv, r->host_if, l, &r->ctx->err);
	if (rc == -ENODEV)
		return 0;
	if (rc == -EPERM) {
		jnet_err_clear(&r->ctx->err);
		return not_ours(r, i.tagtext, "is not a link jnet makes (its kind or its tag)");
	}
	if (rc < 0)
		return jnet_cni_kernel_fail(r, "look up the link");
	jnet_strlcpy(l->host_if, r->host_if, sizeof(l->host_if));
	/* CNI_IFNAME as seen (Linux sees into the namespace), or the scheme's name a backend
	 * that cannot see into the jail reports for an end inside it (FreeBSD) */
	if (!jnet_link_peer_ok(r->ctx, l, r->jail, 0, ifname) &&
	    !jnet_link_peer_ok(r->ctx, l, r->jail, 0, NULL)) {
		char why[96];

		snprintf(why, sizeof(why), "its peer %s is not named as jnet names it (%s)",
		    l->jail_if, ifname);
		return not_ours(r, i.tagtext, why);
	}
	if (!l->tagged && !crash_in_netns(r, l))
		return not_ours(r, i.tagtext, "is untagged with its peer outside CNI_NETNS");
	return 1;
}

/* The attachment's lock (as jnet's commands on a jail), waiting for another holder up to
 * the lock wait; past it, error 11. */
static int
lock_attachment(struct jnet_cni_run *r)
{
	int wait = r->ctx->lock_wait_ms > 0 ? r->ctx->lock_wait_ms : JNET_LOCK_WAIT_MS_DEFAULT;
	int fd = jnet_lock(r->ctx->rundir, "jail", r->jail, wait, &r->ctx->err);

	if (fd < 0)
		jnet_cni_kernel_fail(r, "lock");
	return fd;
}

/* ------------------------------------------------------------------ ADD */

struct add_state {
	struct jnet_jail j;            /* CNI_NETNS */
	bool bridge_made;
	bool link_made;
	bool ipam_done;
	struct jnet_cni_ipam ipam;
	struct jnet_link_info l;       /* the link as made */
	struct jnet_ifinfo br;
};

/* The bridge: made (tagged as jnet's, with the uplink) when missing; an existing one is
 * joined whoever made it, as the reference plugin does (jnet changes nothing of a bridge it
 * did not make but its ports and, with isGateway, the gateway address). */
static int
add_bridge_locked(struct jnet_cni_run *r, struct add_state *st, int rc)
{
	const struct jnet_backend_ops *be = r->ctx->be;

	if (rc == 0 && !st->br.is_bridge)
		return jnet_cni_fail(&r->ce, CNI_ERR_CONFIG, NULL,
		    "bridge: %s exists and is not a bridge", r->conf.bridge);
	/* A bridge jnet did not make is used as it is (its uplink is its owner's business). */
	if (rc == 0 && (r->conf.uplink == NULL || jnet_ownership(st->br.tagtext,
	    st->br.jnet_group, st->br.name, JNET_TAG_BRIDGE, st->br.name, NULL) == JNET_OWN_NONE))
		return 0;
	/* Missing: made, tagged as jnet's; jnet's own: completed with the uplink. */
	if (jnet_bridge_add(r->ctx, r->conf.bridge, r->conf.uplink, "-") < 0)
		return jnet_cni_kernel_fail(r, "bridge");
	st->bridge_made = rc == -ENODEV;
	if (be->if_get(r->ctx->priv, r->conf.bridge, &st->br, &r->ctx->err) < 0)
		return jnet_cni_kernel_fail(r, "bridge");
	return 0;
}

static enum jnet_own
bridge_own(const struct jnet_ifinfo *b)
{
	return b->is_bridge ? jnet_ownership(b->tagtext, b->jnet_group, b->name,
	    JNET_TAG_BRIDGE, b->name, NULL) : JNET_OWN_NONE;
}

/* Under the bridge's lock: the bridge under its name in jnet's group but untagged and
 * without ports is a creation killed before its tag (Linux: MTU one below, never pinned):
 * removed, so that the ADD makes it anew, complete. -ENODEV then, else rc. */
static int
remake_half_made(struct jnet_cni_run *r, struct add_state *st, int rc)
{
	const struct jnet_backend_ops *be = r->ctx->be;
	char m[1][JNET_IFNAMSIZ];

	if (rc != 0 || bridge_own(&st->br) != JNET_OWN_CRASH ||
	    be->bridge_members(r->ctx->priv, r->conf.bridge, m, 1, &r->ctx->err) != 0) {
		jnet_err_clear(&r->ctx->err);
		return rc;
	}
	if (be->bridge_destroy(r->ctx->priv, r->conf.bridge, &r->ctx->err) < 0)
		return jnet_cni_kernel_fail(r, "bridge: remove a half-made bridge");
	return -ENODEV;
}

/* A missing bridge, or jnet's and down or untagged (an ADD killed making it?), is seen to
 * under the bridge's lock: after a killed holder, its leftovers go first (cni_bridge.c). */
static int
add_bridge(struct jnet_cni_run *r, struct add_state *st)
{
	const struct jnet_backend_ops *be = r->ctx->be;
	int rc = be->if_get(r->ctx->priv, r->conf.bridge, &st->br, &r->ctx->err), lock = -1;
	bool crashed = false;
	enum jnet_own own = rc == 0 ? bridge_own(&st->br) : JNET_OWN_NONE;

	if (rc < 0 && rc != -ENODEV)
		return jnet_cni_kernel_fail(r, "bridge");
	if (rc == -ENODEV || (own != JNET_OWN_NONE && (!st->br.up || own == JNET_OWN_CRASH))) {
		if ((lock = jnet_cni_bridge_lock(r, &crashed)) < 0)
			return -1;
		if (crashed && jnet_cni_bridge_sweep(r) < 0) {
			close(lock); /* (stays marked) */
			return -1;
		}
		rc = be->if_get(r->ctx->priv, r->conf.bridge, &st->br, &r->ctx->err);
		if (rc < 0 && rc != -ENODEV) {
			jnet_unlock(lock);
			return jnet_cni_kernel_fail(r, "bridge");
		}
		if ((rc = remake_half_made(r, st, rc)) < 0 && rc != -ENODEV) {
			jnet_unlock(lock);
			return rc;
		}
	}
	jnet_err_clear(&r->ctx->err);
	rc = add_bridge_locked(r, st, rc);
	jnet_unlock(lock);
	return rc;
}

static int
add_macs(struct jnet_cni_run *r, struct jnet_link_req *req)
{
	struct jnet_ctx *ctx = r->ctx;
	struct jnet_ifinfo up;

	req->set_mac = ctx->mac_mode != JNET_MAC_RANDOM || r->conf.has_mac;
	if (ctx->mac_mode == JNET_MAC_JIB) {
		if (r->conf.uplink == NULL)
			return jnet_cni_fail(&r->ce, CNI_ERR_CONFIG, NULL,
			    "macMode: jib derives MACs from the uplink's, and there is no uplink");
		if (ctx->be->if_get(ctx->priv, r->conf.uplink, &up, &ctx->err) < 0 || !up.has_mac)
			return jnet_cni_kernel_fail(r, "uplink's MAC (macMode jib)");
		jnet_mac_jib(req->host_mac, req->jail_mac, up.mac, r->jail, 0);
	} else if (req->set_mac) {
		if (jnet_ctx_salt(ctx) < 0)
			return jnet_cni_kernel_fail(r, "MAC salt");
		jnet_mac_stable(req->host_mac, ctx->salt, r->jail, 0, 'a');
		jnet_mac_stable(req->jail_mac, ctx->salt, r->jail, 0, 'b');
	}
	if (r->conf.has_mac)
		memcpy(ctx->be->paired ? req->jail_mac : req->host_mac, r->conf.mac, 6);
	if (r->conf.has_mac && !ctx->be->paired)
		memcpy(req->jail_mac, r->conf.mac, 6);
	return 0;
}

static int
add_link(struct jnet_cni_run *r, struct add_state *st)
{
	struct jnet_ctx *ctx = r->ctx;
	struct jnet_link_req req;
	struct jnet_tag tag;

	memset(&req, 0, sizeof(req));
	req.jail = r->jail;
	req.index = 0;
	jnet_strlcpy(req.host_if, r->host_if, sizeof(req.host_if));
	jnet_strlcpy(req.jail_if, r->env->ifname, sizeof(req.jail_if));
	jnet_strlcpy(req.bridge, r->conf.bridge, sizeof(req.bridge));
	if (add_macs(r, &req) < 0)
		return -1;
	jnet_tag_link(&tag, ctx->be->name, r->jail, 0, 'a');
	tag.count = 1;
	tag.born = ctx->now ? ctx->now : (int64_t)time(NULL);
	jnet_strlcpy(tag.cni, r->conf.name, sizeof(tag.cni));
	if (jnet_tag_format(req.host_tag, sizeof(req.host_tag), &tag) < 0 ||
	    strlen(req.host_tag) > 255)
		return jnet_cni_fail(&r->ce, CNI_ERR_CONFIG, req.host_tag,
		    "name: the tag would be longer than 255 bytes");
	tag.end = 'b';
	jnet_tag_format(req.jail_tag, sizeof(req.jail_tag), &tag);
	req.into = &st->j;
	req.up = true;
	/* The bridge's MTU unless mtu says otherwise (a port never lowers its bridge). */
	req.mtu = r->conf.mtu ? r->conf.mtu : st->br.mtu;
	if (ctx->be->link_create(ctx->priv, &req, &ctx->err) < 0)
		return jnet_cni_kernel_fail(r, "create the link");
	st->link_made = true;
	if (ctx->mac_mode != JNET_MAC_RANDOM && ctx->be->paired) {
		/* What the result needs is what was asked (the names, both MACs): no lookup
		 * (the backend's, which looks into the jail too, is three netlink requests). */
		jnet_strlcpy(st->l.jail, r->jail, sizeof(st->l.jail));
		jnet_strlcpy(st->l.host_if, r->host_if, sizeof(st->l.host_if));
		jnet_strlcpy(st->l.jail_if, r->env->ifname, sizeof(st->l.jail_if));
		jnet_strlcpy(st->l.bridge, r->conf.bridge, sizeof(st->l.bridge));
		memcpy(st->l.host_mac, req.host_mac, 6);
		memcpy(st->l.jail_mac, req.jail_mac, 6);
		st->l.jail_mac_known = st->l.tagged = true;
		return 0;
	}
	if (ctx->be->link_get(ctx->priv, r->host_if, &st->l, &ctx->err) < 0)
		return jnet_cni_kernel_fail(r, "look up the new link");
	return 0;
}

/* isGateway: each gateway on the bridge (host side); isDefaultGateway: default routes. */
static int
add_gateway(struct jnet_cni_run *r, struct add_state *st)
{
	const struct jnet_backend_ops *be = r->ctx->be;
	static const uint8_t any[16];

	for (int i = 0; i < st->ipam.nips; i++) {
		const struct jnet_cni_ip *ip = &st->ipam.ips[i];

		if (!ip->has_gw)
			continue;
		if (r->conf.is_gateway && be->lab->addr_add(r->ctx->priv, NULL, r->conf.bridge,
		    ip->family, ip->gw, ip->prefix, &r->ctx->err) < 0)
			return jnet_cni_kernel_fail(r, "isGateway: gateway address on the bridge");
		if (r->conf.is_default_gateway && be->lab->route_add(r->ctx->priv, &st->j, ip->family,
		    any, 0, ip->gw, &r->ctx->err) < 0)
			return jnet_cni_kernel_fail(r, "isDefaultGateway: default route");
	}
	return 0;
}

/* ipMasq of one address: the backend's (FreeBSD: a pf table), else nftables (Linux). */
static int
masq(struct jnet_cni_run *r, bool add, int family, const uint8_t *addr, int prefix,
    struct jnet_err *e)
{
	const struct jnet_backend_ops *be = r->ctx->be;
	struct jnet_masq_who who = { r->conf.name, r->env->containerid, r->env->ifname };

	if (be->masq != NULL)
		return be->masq(r->ctx->priv, add, NULL, r->conf.name, r->env->containerid, family,
		    addr, prefix, e);
	return jnet_cni_masq(add, &who, family, addr, prefix, e);
}

/* DEL's ipMasq: prevResult's addresses, and (nftables) what the attachment's record in the
 * kernel holds, so that a DEL without prevResult (a runtime that has no result: an ADD
 * killed after its masquerading) removes it all the same. */
static int
del_masq(struct jnet_cni_run *r)
{
	struct jnet_masq_who who = { r->conf.name, r->env->containerid, r->env->ifname };
	struct jnet_cni_ipam prev;
	struct jnet_err e;
	int rc = 0;

	memset(&prev, 0, sizeof(prev));
	if (r->conf.prev != NULL && jnet_cni_ipam_parse(r->conf.prev, &prev, &e) < 0)
		return jnet_cni_fail(&r->ce, CNI_ERR_CONFIG, e.msg, "prevResult: %s", e.msg);
	for (int i = 0; rc == 0 && i < prev.nips; i++)
		if (masq(r, false, prev.ips[i].family, prev.ips[i].addr, prev.ips[i].prefix,
		    &e) < 0)
			rc = jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, e.msg, "ipMasq: %s", e.msg);
	jnet_cni_ipam_free(&prev);
	if (rc == 0 && r->ctx->be->masq == NULL && jnet_cni_masq_del_all(&who, &e) < 0)
		rc = jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, e.msg, "ipMasq: %s", e.msg);
	return rc;
}

static int
add_masq(struct jnet_cni_run *r, struct add_state *st, bool add)
{
	struct jnet_err e;

	for (int i = 0; r->conf.ip_masq && i < st->ipam.nips; i++) {
		const struct jnet_cni_ip *ip = &st->ipam.ips[i];

		if (masq(r, add, ip->family, ip->addr, ip->prefix, &e) < 0 && add)
			return jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, e.msg, "ipMasq: %s%s%s",
			    e.object, e.object[0] ? ": " : "", e.msg);
	}
	return 0;
}

/* hairpinMode on the host end; promiscMode on the bridge (as the reference plugin; last,
 * the one change to a bridge jnet did not make that a later failure would not undo). */
static int
add_port(struct jnet_cni_run *r)
{
	const struct jnet_backend_ops *be = r->ctx->be;

	if (r->conf.hairpin && be->port_hairpin(r->ctx->priv, r->host_if, true, &r->ctx->err) < 0)
		return jnet_cni_kernel_fail(r, "hairpinMode");
	if (r->conf.promisc && be->if_set_promisc(r->ctx->priv, r->conf.bridge, true,
	    &r->ctx->err) < 0)
		return jnet_cni_kernel_fail(r, "promiscMode");
	return 0;
}

/* Undo what this ADD made, in reverse (nothing half-made is left on error). */
static void
add_rollback(struct jnet_cni_run *r, struct add_state *st)
{
	struct jnet_err saved = r->ctx->err;
	struct jnet_cni_err ce = r->ce;

	if (st->ipam_done) {
		add_masq(r, st, false);
		jnet_cni_ipam_run(r, "DEL", NULL);
	}
	if (st->link_made) {
		jnet_strlcpy(st->l.host_if, r->host_if, sizeof(st->l.host_if));
		r->ctx->be->link_destroy(r->ctx->priv, &st->l, &r->ctx->err);
	}
	if (st->bridge_made)
		jnet_bridge_del(r->ctx, r->conf.bridge); /* refused if another ADD joined it */
	r->ctx->err = saved;
	r->ce = ce;
}

static int
add_steps(struct jnet_cni_run *r, struct add_state *st)
{
	struct jnet_link_info old;
	int rc;

	if (r->ctx->be->jail_open(r->ctx->priv, r->env->netns, JNET_JAIL_SPEC, &st->j,
	    &r->ctx->err) < 0)
		return jnet_cni_netns_fail(r);
	if (!st->j.exists)
		return jnet_cni_fail(&r->ce, CNI_ERR_CONTAINER, r->env->netns,
		    "CNI_NETNS: %s: no such network namespace", r->env->netns);
	/* An ADD again without DEL (the spec forbids it): refused, the attachment untouched.
	 * A crash's untagged leftover of this attachment goes, and the link is made anew. */
	if ((rc = jnet_cni_own(r, &old, true)) < 0)
		return -1; /* kernel trouble, or the name is something else's: refused */
	if (rc == 1 && old.tagged)
		return jnet_cni_fail(&r->ce, CNI_ERR_EXISTS, r->host_if,
		    "attachment %s of network %s exists (its host end %s): ADD again without DEL "
		    "is refused", r->jail, r->conf.name, r->host_if);
	if (rc == 1 && r->ctx->be->link_destroy(r->ctx->priv, &old, &r->ctx->err) < 0)
		return jnet_cni_kernel_fail(r, "replace the crash's leftover link");
	if (add_bridge(r, st) < 0 || add_link(r, st) < 0)
		return -1;
	if (jnet_cni_ipam_run(r, "ADD", &st->ipam) < 0)
		return -1;
	st->ipam_done = r->conf.ipam_type != NULL;
	if (st->ipam_done && jnet_cni_apply(r->ctx->be,
	    r->ctx->priv, &st->j, r->env->ifname, &st->ipam, &r->ctx->err) < 0)
		return jnet_cni_kernel_fail(r, "addresses and routes");
	if (add_gateway(r, st) < 0 || add_masq(r, st, true) < 0 || add_port(r) < 0)
		return -1;
	r->result = jnet_cni_result(r, &st->l, &st->br, st->ipam_done ? &st->ipam : NULL);
	return 0;
}

int
jnet_cni_add(struct jnet_cni_run *r)
{
	struct add_state *st = calloc(1, sizeof(*st));
	int lock, rc;

	if (st == NULL)
		return jnet_cni_fail(&r->ce, CNI_ERR_IO, NULL, "out of memory");
	st->j.fd = st->j.jid = -1;
	if ((lock = lock_attachment(r)) < 0) {
		free(st);
		return -1;
	}
	rc = add_steps(r, st);
	if (rc < 0)
		add_rollback(r, st);
	if (st->j.exists)
		r->ctx->be->jail_close(r->ctx->priv, &st->j);
	if (st->ipam_done)
		jnet_cni_ipam_free(&st->ipam);
	jnet_unlock(lock);
	free(st);
	return rc;
}

/* ------------------------------------------------------------------ DEL */

int
jnet_cni_del(struct jnet_cni_run *r)
{
	struct jnet_link_info l;
	int lock, rc;

	if ((lock = lock_attachment(r)) < 0)
		return -1;
	if (jnet_cni_bridge_check(r) < 0) {
		jnet_unlock(lock);
		return -1;
	}
	/* IPAM first (its DEL succeeds when nothing is left), then the masquerading of the
	 * addresses ADD returned, then the link; the bridge stays (as the reference's). */
	rc = jnet_cni_ipam_run(r, "DEL", NULL);
	if (rc == 0 && r->conf.ip_masq)
		rc = del_masq(r);
	/* Not this attachment's (another network's, a foreign one): left alone, and as this
	 * attachment is not there, DEL succeeds. */
	if (rc == 0 && (rc = jnet_cni_own(r, &l, true)) == -2) {
		memset(&r->ce, 0, sizeof(r->ce));
		rc = 0;
	} else if (rc == 1) {
		rc = r->ctx->be->link_destroy(r->ctx->priv, &l, &r->ctx->err);
		if (rc == -ENODEV)
			rc = 0; /* gone with its namespace meanwhile */
		else if (rc < 0)
			jnet_cni_kernel_fail(r, "destroy the link");
	}
	jnet_unlock(lock);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ GC */

struct gc_state {
	struct jnet_cni_run *r;
	struct jnet_link_vec v;
};

static bool
gc_valid(json_t *valid, const char *cid, const char *ifname)
{
	size_t i;
	json_t *a;

	json_array_foreach(valid, i, a)
		if (strcmp(json_string_value(json_object_get(a, "containerID")), cid) == 0 &&
		    strcmp(json_string_value(json_object_get(a, "ifname")), ifname) == 0)
			return true;
	return false;
}

/* A link of this network (by its tag) that no valid attachment names. */
static int
gc_collect(const struct jnet_link_info *l, void *arg)
{
	struct gc_state *g = arg;
	char cid[JNET_CNI_CIDMAX + 1], ifname[JNET_IFNAMSIZ];
	struct jnet_ifinfo i;
	struct jnet_tag t;

	if (!l->tagged || !jnet_cni_jail_split(l->jail, cid, sizeof(cid), ifname, sizeof(ifname)))
		return 0;
	if (g->r->ctx->be->if_get(g->r->ctx->priv, l->host_if, &i, &g->r->ctx->err) < 0) {
		jnet_err_clear(&g->r->ctx->err);
		return 0; /* gone meanwhile */
	}
	if (jnet_tag_parse(i.tagtext, &t) < 0 || strcmp(t.cni, g->r->conf.name) != 0)
		return 0;
	if (gc_valid(g->r->conf.valid, cid, ifname))
		return 0;
	return jnet_link_vec_push(l, &g->v);
}

/* Remove one stale attachment under its lock (an ADD of it right now wins: skipped). */
static int
gc_one(struct jnet_cni_run *r, const struct jnet_link_info *l)
{
	struct jnet_link_info now;
	int lock, rc;

	/* The name jnet gives this attachment's host end, never the listing's: an interface
	 * of another name carrying the tag is not the attachment. */
	jnet_strlcpy(r->jail, l->jail, sizeof(r->jail));
	if (l->index != 0 || jnet_link_ifname(r->ctx, r->host_if, r->jail, 0, 'a') < 0 ||
	    strcmp(r->host_if, l->host_if) != 0)
		return 0;
	if ((lock = jnet_lock(r->ctx->rundir, "jail", r->jail, 0, &r->ctx->err)) < 0) {
		jnet_err_clear(&r->ctx->err);
		return 0;
	}
	if ((rc = jnet_cni_own(r, &now, false)) == -2)
		rc = 0; /* no longer an attachment of this network: not GC's */
	if (rc == 1 && r->ctx->be->link_destroy(r->ctx->priv, &now, &r->ctx->err) < 0 &&
	    r->ctx->err.code != ENODEV)
		rc = jnet_cni_kernel_fail(r, "GC: destroy");
	jnet_unlock(lock);
	return rc < 0 ? -1 : 0;
}

int
jnet_cni_gc(struct jnet_cni_run *r)
{
	struct gc_state g = { r, { NULL, 0, 0 } };
	struct jnet_masq_who *keep;
	struct jnet_err e;
	size_t n, i;
	json_t *a;
	int rc;

	if (jnet_cni_bridge_check(r) < 0)
		return -1;
	if (r->ctx->be->link_list(r->ctx->priv, gc_collect, &g, &r->ctx->err) < 0) {
		free(g.v.v);
		return jnet_cni_kernel_fail(r, "GC: list links");
	}
	rc = 0;
	for (i = 0; i < g.v.n; i++)
		if (gc_one(r, &g.v.v[i]) < 0)
			rc = -1;
	free(g.v.v);
	n = json_array_size(r->conf.valid);
	keep = calloc(n + 1, sizeof(*keep));
	if (keep == NULL)
		return jnet_cni_fail(&r->ce, CNI_ERR_IO, NULL, "out of memory");
	json_array_foreach(r->conf.valid, i, a) {
		keep[i].container_id = json_string_value(json_object_get(a, "containerID"));
		keep[i].ifname = json_string_value(json_object_get(a, "ifname"));
	}
	/* (a pf entry names no container: on FreeBSD, DEL removes it, GC cannot) */
	if (rc == 0 && r->ctx->be->masq == NULL &&
	    jnet_cni_masq_gc(r->conf.name, keep, (int)n, &e) < 0)
		rc = jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, e.msg, "GC: ipMasq: %s", e.msg);
	free(keep);
	if (rc == 0)
		rc = jnet_cni_ipam_run(r, "GC", NULL);
	return rc;
}
