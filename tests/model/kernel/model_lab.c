/*
 * The kernel model's part for labs (jnet lab on the epair backend): the primitives of
 * fbsd.h that look at or change the inside of a jail's vnet -- addresses, gateway routes,
 * forwarding sysctls, interface descriptions -- and the jail hierarchy queries.
 *
 * As in model.c, each behaviour cites where it comes from (freebsd/freebsd-src, 2025);
 * where the model simplifies or decides without a source, the comment says so.
 */
#include "model.h"
#include "model_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct m_jail *
vnet_jail(struct model *m, int vnet)
{
	return vnet == MODEL_HOST ? NULL : model_jail_byjid(m, vnet);
}

static int
alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* Does a/prefix hold b? */
static bool
in_prefix(int family, const uint8_t *a, int prefix, const uint8_t *b)
{
	int bits = prefix, n = 0;

	(void)family;
	for (; bits >= 8; bits -= 8, n++)
		if (a[n] != b[n])
			return false;
	if (bits > 0) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits));

		return (a[n] & mask) == (b[n] & mask);
	}
	return true;
}

static void
mask_to(int family, uint8_t *a, int prefix)
{
	for (int n = 0; n < alen(family); n++) {
		int bits = prefix - 8 * n;

		if (bits <= 0)
			a[n] = 0;
		else if (bits < 8)
			a[n] &= (uint8_t)(0xff << (8 - bits));
	}
}

/* ================================================================ the jail hierarchy */

int
fbsd_jail_hostname(int jid, char *buf, size_t len)
{
	struct model *m;
	struct m_jail *j;
	int r;

	/* jail_get(2): no such jid -> ENOENT ("jail %d not found"). */
	if ((r = model_begin_jail(&m, "jail_get host.hostname", jid, &j, -ENOENT)) < 0)
		return r;
	if (strlen(j->hostname) + 1 > len)
		return model_end(m, -ENAMETOOLONG);
	memcpy(buf, j->hostname, strlen(j->hostname) + 1);
	return model_end(m, 0);
}

int
fbsd_jail_children(int jid, int *n)
{
	struct model *m;
	struct m_jail *j;
	int r, c = 0;

	if ((r = model_begin_jail(&m, "jail_get children.cur", jid, &j, -ENOENT)) < 0)
		return r;
	/* pr_childcount counts descendants, dying ones too (kern_jail.c kern_jail_set adds
	 * to every ancestor; prison_deref subtracts when the prison is freed). */
	for (int k = 0; k < m->njails; k++)
		for (int p = m->jails[k].parent; p != 0;) {
			struct m_jail *pj = model_jail_byjid(m, p);

			if (p == jid) {
				c++;
				break;
			}
			p = pj ? pj->parent : 0;
		}
	*n = c;
	return model_end(m, 0);
}

int
fbsd_jail_list(struct fbsd_jail_info *v, int max)
{
	struct model *m;
	int r;

	if ((r = model_begin(&m, "jail_get lastjid", "")) < 0)
		return r;
	for (int k = 0; k < m->njails && k < max; k++) {
		memset(&v[k], 0, sizeof(v[k]));
		v[k].jid = m->jails[k].jid;
		jnet_strlcpy(v[k].name, m->jails[k].name, sizeof(v[k].name));
		v[k].dying = m->jails[k].dying;
		v[k].vnet = m->jails[k].vnet;
	}
	model_trace_list(m->njails);
	return model_end(m, m->njails);
}

/* ================================================================ interfaces in a jail */

int
fbsd_jail_if_info(int jid, const char *name, struct fbsd_jif *out)
{
	struct model *m;
	struct m_if *i;
	int r, vnet;

	if ((r = model_begin_in(&m, "getifaddrs", name, jid, true)) < 0)
		return r;
	if ((r = model_op_vnet(m, jid, false, &vnet)) < 0)
		return model_end(m, r);
	if ((i = model_ifunit(m, vnet, name)) == NULL)
		return model_end(m, -ENXIO);
	memset(out, 0, sizeof(*out));
	jnet_strlcpy(out->name, i->name, sizeof(out->name));
	out->index = i->index;
	out->up = i->up;
	out->has_mac = i->has_mac;
	memcpy(out->mac, i->mac, 6);
	out->mtu = i->mtu;
	return model_end(m, 0);
}

int
fbsd_jail_if_list(int jid, char (*names)[JNET_IFNAMSIZ], int max)
{
	struct model *m;
	int r, vnet, n = 0;

	if ((r = model_begin_in(&m, "getifaddrs", "", jid, true)) < 0)
		return r;
	if ((r = model_op_vnet(m, jid, false, &vnet)) < 0)
		return model_end(m, r);
	for (int k = 0; k < m->nifs; k++) {
		if (m->ifs[k].vnet != vnet)
			continue;
		if (n < max)
			jnet_strlcpy(names[n], m->ifs[k].name, JNET_IFNAMSIZ);
		n++;
	}
	model_trace_list(n);
	return model_end(m, n);
}

/* Interface `name` in jail jid: its up flag (up: NULL, not wanted) and its description
 * into buf, after model_begin_in (the caller's op). */
static int
jail_if_read(struct model *m, int jid, const char *name, bool *up, char *buf, size_t len)
{
	struct m_if *i;
	int r, vnet;

	if ((r = model_op_vnet(m, jid, false, &vnet)) < 0)
		return model_end(m, r);
	if ((i = model_ifunit(m, vnet, name)) == NULL)
		return model_end(m, -ENXIO);
	if (up != NULL)
		*up = i->up;
	return model_end(m, model_descr_get(i, buf, len)); /* as on the host */
}

int
fbsd_jail_if_get_descr(int jid, const char *name, char *buf, size_t len)
{
	struct model *m;
	int r;

	if ((r = model_begin_in(&m, "SIOCGIFDESCR", name, jid, true)) < 0)
		return r;
	return jail_if_read(m, jid, name, NULL, buf, len);
}

int
fbsd_jail_if_probe(int jid, const char *name, bool *up, char *descr, size_t len)
{
	struct model *m;
	int r;

	/* Two ioctls in one child (kcalls.awk counts each of an op joined by '+'). */
	if ((r = model_begin_in(&m, "SIOCGIFFLAGS+SIOCGIFDESCR", name, jid, true)) < 0)
		return r;
	return jail_if_read(m, jid, name, up, descr, len);
}

int
fbsd_jail_if_rename(int jid, const char *name, const char *newname)
{
	struct model *m;
	int r, vnet;

	if ((r = model_begin_in(&m, "SIOCSIFNAME", name, jid, true)) < 0)
		return r;
	if ((r = model_op_vnet(m, jid, true, &vnet)) < 0)
		return model_end(m, r);
	/* if_rename checks the name against the jail's vnet only */
	return model_end(m, model_rename(m, vnet, name, newname));
}

int
fbsd_jail_if_set_descr(int jid, const char *name, const char *descr)
{
	struct model *m;
	struct m_if *i;
	int r, vnet;

	if ((r = model_begin_in(&m, "SIOCSIFDESCR", name, jid, true)) < 0)
		return r;
	/* sys/net/if.c ifhwioctl SIOCSIFDESCR: priv_check(PRIV_NET_SETIFDESCR), granted to
	 * VNET jails only (prison_priv_check). */
	if ((r = model_op_vnet(m, jid, true, &vnet)) < 0)
		return model_end(m, r);
	if ((i = model_ifunit(m, vnet, name)) == NULL)
		return model_end(m, -ENXIO);
	if (strlen(descr) + 1 > MODEL_DESCRMAX)
		return model_end(m, -ENAMETOOLONG);
	free(i->descr);
	i->descr = descr[0] ? strdup(descr) : NULL;
	return model_end(m, 0);
}

/* ================================================================ addresses */

int
fbsd_jail_addr_add(int jid, const char *ifname, int family, const uint8_t *addr, int prefix)
{
	struct model *m;
	struct m_if *i;
	struct m_addr *x = NULL;
	int r, vnet;

	if ((r = model_begin_in(&m, family == AF_INET ? "SIOCAIFADDR" : "SIOCAIFADDR_IN6",
	    ifname, jid, true)) < 0)
		return r;
	if ((r = model_op_vnet(m, jid, true, &vnet)) < 0)
		return model_end(m, r);
	/* sys/net/if.c ifioctl: no interface of that name in this vnet -> ENXIO. */
	if ((i = model_ifunit(m, vnet, ifname)) == NULL)
		return model_end(m, -ENXIO);
	if ((family != AF_INET && family != AF_INET6) || prefix < 0 ||
	    prefix > 8 * alen(family))
		return model_end(m, -EINVAL);
	/*
	 * sys/netinet/in.c in_aifaddr_ioctl: "See whether address already exist" on this
	 * interface; if so it is deleted (in_difaddr_ioctl) and added again: success, with
	 * the new mask. IPv6 (sys/netinet6/in6.c in6_update_ifa) updates an existing address
	 * in place. The same address on another interface of the vnet: the model refuses it
	 * with EEXIST (the kernel's answer there depends on its loopback route: unverified).
	 */
	for (int k = 0; k < m->nifs; k++) {
		struct m_if *o = &m->ifs[k];

		if (o->vnet != vnet)
			continue;
		for (int n = 0; n < o->naddrs; n++)
			if (o->addrs[n].family == family &&
			    memcmp(o->addrs[n].addr, addr, (size_t)alen(family)) == 0) {
				if (o != i)
					return model_end(m, -EEXIST);
				x = &o->addrs[n];
			}
	}
	if (x == NULL) {
		if (i->naddrs == MODEL_MAXADDRS)
			return model_end(m, -ENOSPC); /* a model limit */
		x = &i->addrs[i->naddrs++];
		memset(x, 0, sizeof(*x));
		x->family = family;
		memcpy(x->addr, addr, (size_t)alen(family));
	}
	x->prefix = prefix;
	i->inaddr = true;
	return model_end(m, 0);
}

int
fbsd_jail_addrs(int jid, const char *ifname, struct fbsd_addr *v, int max)
{
	struct model *m;
	int r, vnet, n = 0;

	if ((r = model_begin_in(&m, "getifaddrs", ifname ? ifname : "", jid, true)) < 0)
		return r;
	if ((r = model_op_vnet(m, jid, false, &vnet)) < 0)
		return model_end(m, r);
	if (ifname != NULL && model_ifunit(m, vnet, ifname) == NULL)
		return model_end(m, -ENXIO);
	for (int k = 0; k < m->nifs; k++) {
		const struct m_if *i = &m->ifs[k];

		if (i->vnet != vnet || (ifname != NULL && strcmp(i->name, ifname) != 0))
			continue;
		for (int a = 0; a < i->naddrs; a++, n++) {
			if (n >= max)
				continue;
			memset(&v[n], 0, sizeof(v[n]));
			jnet_strlcpy(v[n].ifname, i->name, sizeof(v[n].ifname));
			v[n].family = i->addrs[a].family;
			memcpy(v[n].addr, i->addrs[a].addr, 16);
			v[n].prefix = i->addrs[a].prefix;
		}
	}
	model_trace_list(n);
	return model_end(m, n);
}

/* ================================================================ routes */

int
fbsd_jail_route_add(int jid, int family, const uint8_t *dst, int prefix, const uint8_t *gw)
{
	struct model *m;
	struct m_jail *j;
	struct m_route *rt;
	uint8_t d[16] = { 0 };
	int r, vnet, ifid = 0;

	if ((r = model_begin_in(&m, "RTM_ADD", "", jid, true)) < 0)
		return r;
	if ((r = model_op_vnet(m, jid, true, &vnet)) < 0)
		return model_end(m, r);
	if ((family != AF_INET && family != AF_INET6) || prefix < 0 ||
	    prefix > 8 * alen(family))
		return model_end(m, -EINVAL);
	/* sys/net/rtsock.c: the destination is masked with the netmask (rt_maskedcopy). */
	memcpy(d, dst, (size_t)alen(family));
	mask_to(family, d, prefix);
	/*
	 * sys/net/route/route_ctl.c rib_add_route -> fill_pxmask / rt_getifa_fib: the
	 * gateway must be on a connected network of this vnet (ifa_ifwithnet), else
	 * ENETUNREACH ("route: writing to routing socket: Network is unreachable").
	 */
	for (int k = 0; k < m->nifs && ifid == 0; k++) {
		const struct m_if *i = &m->ifs[k];

		if (i->vnet != vnet)
			continue;
		for (int a = 0; a < i->naddrs && ifid == 0; a++)
			if (i->addrs[a].family == family &&
			    in_prefix(family, i->addrs[a].addr, i->addrs[a].prefix, gw))
				ifid = i->id;
	}
	if (ifid == 0)
		return model_end(m, -ENETUNREACH);
	/* The host's vnet has no route table in the model (jnet adds routes in jails only). */
	if ((j = vnet_jail(m, vnet)) == NULL)
		return model_end(m, -EOPNOTSUPP);
	/* route_ctl.c add_route_flags: a route to the same prefix exists -> EEXIST. */
	for (int n = 0; n < j->nroutes; n++)
		if (j->routes[n].family == family && j->routes[n].prefix == prefix &&
		    memcmp(j->routes[n].dst, d, 16) == 0)
			return model_end(m, -EEXIST);
	if (j->nroutes == MODEL_MAXROUTES)
		return model_end(m, -ENOBUFS); /* a model limit */
	rt = &j->routes[j->nroutes++];
	memset(rt, 0, sizeof(*rt));
	rt->family = family;
	memcpy(rt->dst, d, 16);
	rt->prefix = prefix;
	memcpy(rt->gw, gw, (size_t)alen(family));
	rt->ifid = ifid;
	return model_end(m, 0);
}

int
fbsd_jail_routes(int jid, struct fbsd_route *v, int max)
{
	struct model *m;
	struct m_jail *j;
	int r, vnet, n = 0;

	if ((r = model_begin_in(&m, "NET_RT_DUMP", "", jid, true)) < 0)
		return r;
	if ((r = model_op_vnet(m, jid, false, &vnet)) < 0)
		return model_end(m, r);
	if ((j = vnet_jail(m, vnet)) == NULL)
		return model_end(m, 0);
	for (; n < j->nroutes; n++) {
		if (n >= max)
			continue;
		memset(&v[n], 0, sizeof(v[n]));
		v[n].family = j->routes[n].family;
		memcpy(v[n].dst, j->routes[n].dst, 16);
		v[n].prefix = j->routes[n].prefix;
		memcpy(v[n].gw, j->routes[n].gw, 16);
	}
	model_trace_list(n);
	return model_end(m, n);
}

/* ================================================================ sysctls, exec */

int
fbsd_jail_set_forwarding(int jid, int family, bool on)
{
	struct model *m;
	struct m_jail *j;
	int r, vnet;

	if ((r = model_begin_in(&m, family == AF_INET ? "sysctl net.inet.ip.forwarding" :
	    "sysctl net.inet6.ip6.forwarding", "", jid, true)) < 0)
		return r;
	/* CTLFLAG_VNET sysctls are writable from a VNET jail only (kern_sysctl.c
	 * sysctl_root: a jailed writer needs CTLFLAG_PRISON or a vnet jail) -> EPERM. */
	if ((r = model_op_vnet(m, jid, true, &vnet)) < 0)
		return model_end(m, r);
	if ((j = vnet_jail(m, vnet)) == NULL)
		return model_end(m, -EOPNOTSUPP); /* jnet never sets the host's */
	if (family == AF_INET)
		j->fwd4 = on;
	else if (family == AF_INET6)
		j->fwd6 = on;
	else
		return model_end(m, -EINVAL);
	return model_end(m, 0);
}

int
fbsd_jail_exec(int jid, char *const argv[])
{
	struct model *m;
	struct m_jail *j;
	char name[JNET_JAILNAMSIZ];
	int r;

	if ((r = model_begin(&m, "jail_attach", argv[0])) < 0)
		return r;
	if ((j = model_jail_byjid(m, jid)) == NULL || j->dying)
		return model_end(m, -EINVAL);
	jnet_strlcpy(name, j->name, sizeof(name));
	model_end(m, 0);
	/*
	 * A model artefact: a modelled jail is no place a process can enter. The command
	 * runs on the host, told which jail it stands for through $JNET_MODEL_JAIL, so tests
	 * can see that jnet picked the right one and passed the exit status through. The
	 * real primitive (src/fbsd/lab.c) is jail_attach(2) + execvp(3).
	 */
	if (setenv("JNET_MODEL_JAIL", name, 1) < 0)
		return -errno;
	execvp(argv[0], argv);
	return -errno;
}
