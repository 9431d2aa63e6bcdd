/* Addresses and routes from the host (ipconf.h). */
#include "ipconf.h"
#include "core.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

bool
jnet_ipconf_empty(const struct jnet_ipconf *ip)
{
	return ip == NULL || (ip->naddrs == 0 && ip->nroutes == 0);
}

void
jnet_ipconf_free(struct jnet_ipconf *ip)
{
	free(ip->addrs);
	free(ip->routes);
	memset(ip, 0, sizeof(*ip));
}

static void *
grow(void *v, int n, size_t size)
{
	return realloc(v, (size_t)(n + 1) * size);
}

int
jnet_ipconf_addr(struct jnet_ipconf *ip, const char *arg, struct jnet_err *e)
{
	const char *eq = strchr(arg, '='), *s = arg;
	struct jnet_ipconf_addr *v;
	int index = 0;

	if (ip->naddrs >= JNET_IPCONF_MAX)
		return jnet_err_set(e, E2BIG, arg, "at most %d addresses", JNET_IPCONF_MAX);
	if (eq != NULL) {
		char *end;
		long k = arg[0] >= '0' && arg[0] <= '9' ? strtol(arg, &end, 10) : -1;

		if (k < 0 || k >= JNET_MAXLINKS || end != eq)
			return jnet_err_set(e, EINVAL, arg,
			    "-a: '%.*s' is not a link index (0..%d) before '='", (int)(eq - arg), arg,
			    JNET_MAXLINKS - 1);
		index = (int)k;
		s = eq + 1;
	}
	if ((v = grow(ip->addrs, ip->naddrs, sizeof(*v))) == NULL)
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	ip->addrs = v;
	v += ip->naddrs;
	memset(v, 0, sizeof(*v));
	v->index = index;
	if (jnet_addr_parse(s, JNET_ADDR_IFACE, "-a address", &v->a, e) < 0)
		return -EINVAL;
	ip->naddrs++;
	return 0;
}

static int
route_add(struct jnet_ipconf *ip, const char *dst, size_t dstlen, const char *via,
    const char *arg, struct jnet_err *e)
{
	struct jnet_ipconf_route *v;
	char d[JNET_ADDRSTRLEN + 8];

	if (ip->nroutes >= JNET_IPCONF_MAX)
		return jnet_err_set(e, E2BIG, arg, "at most %d routes", JNET_IPCONF_MAX);
	if ((v = grow(ip->routes, ip->nroutes, sizeof(*v))) == NULL)
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	ip->routes = v;
	v += ip->nroutes;
	memset(v, 0, sizeof(*v));
	if (jnet_addr_parse(via, JNET_ADDR_VIA, "gateway", &v->via, e) < 0)
		return -EINVAL;
	if (dst == NULL) {
		v->is_default = true;
		v->dst.family = v->via.family;
		jnet_addr_text(&v->dst, true);
	} else {
		if (dstlen >= sizeof(d))
			return jnet_err_set(e, EINVAL, arg, "-r: '%s' is not NETWORK/PREFIX=GATEWAY",
			    arg);
		memcpy(d, dst, dstlen);
		d[dstlen] = '\0';
		if (jnet_addr_parse(d, JNET_ADDR_ROUTE_DST, "-r destination", &v->dst, e) < 0)
			return -EINVAL;
		if (v->dst.family != v->via.family)
			return jnet_err_set(e, EINVAL, arg,
			    "-r: destination and gateway are of different families");
		v->is_default = v->dst.prefix == 0;
	}
	ip->nroutes++;
	return 0;
}

int
jnet_ipconf_gateway(struct jnet_ipconf *ip, const char *arg, struct jnet_err *e)
{
	return route_add(ip, NULL, 0, arg, arg, e);
}

int
jnet_ipconf_route(struct jnet_ipconf *ip, const char *arg, struct jnet_err *e)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg)
		return jnet_err_set(e, EINVAL, arg, "-r: '%s' is not NETWORK/PREFIX=GATEWAY", arg);
	return route_add(ip, arg, (size_t)(eq - arg), eq + 1, arg, e);
}

int
jnet_ipconf_check(const struct jnet_ipconf *ip, int nlinks, struct jnet_err *e)
{
	bool dflt[2] = { false, false };

	for (int i = 0; i < ip->naddrs; i++) {
		const struct jnet_ipconf_addr *a = &ip->addrs[i];

		if (a->index >= nlinks)
			return jnet_err_set(e, EINVAL, a->a.text,
			    "-a: link %d does not exist (the jail has %d link%s: 0..%d)", a->index,
			    nlinks, nlinks == 1 ? "" : "s", nlinks - 1);
		for (int k = 0; k < i; k++)
			if (ip->addrs[k].a.family == a->a.family &&
			    memcmp(ip->addrs[k].a.addr, a->a.addr, 16) == 0)
				return jnet_err_set(e, EINVAL, a->a.text, "-a: address given twice");
	}
	for (int i = 0; i < ip->nroutes; i++) {
		const struct jnet_ipconf_route *r = &ip->routes[i];
		bool on = false;

		for (int k = 0; k < ip->naddrs && !on; k++) {
			const struct jnet_lab_addr *a = &ip->addrs[k].a;

			on = a->family == r->via.family &&
			    jnet_addr_prefix_match(a->addr, r->via.addr, a->prefix) &&
			    memcmp(a->addr, r->via.addr, 16) != 0;
		}
		if (!on)
			return jnet_err_set(e, EINVAL, r->via.text,
			    "gateway %s is not on the subnet of any -a address of the jail (other "
			    "than the jail's own)", r->via.text);
		if (r->is_default) {
			int f = r->via.family == AF_INET6;

			if (dflt[f])
				return jnet_err_set(e, EINVAL, r->via.text,
				    "a second default route for %s", f ? "IPv6" : "IPv4");
			dflt[f] = true;
		}
	}
	return 0;
}

int
jnet_ipconf_apply(struct jnet_ctx *ctx, const struct jnet_jail *j, const char *jail,
    const struct jnet_ipconf *ip)
{
	const struct jnet_backend_ops *be = ctx->be;
	char ifname[JNET_IFNAMSIZ];
	int r;

	if (jnet_ipconf_empty(ip))
		return 0;
	if (be->lab == NULL)
		return jnet_err_set(&ctx->err, EOPNOTSUPP, jail,
		    "the %s backend cannot configure addresses inside a jail", be->name);
	for (int i = 0; i < ip->naddrs; i++) {
		const struct jnet_ipconf_addr *a = &ip->addrs[i];

		jnet_link_ifname(ctx, ifname, jail, a->index, be->paired ? 'b' : 'a');
		if ((r = be->lab->addr_add(ctx->priv, j, ifname, a->a.family, a->a.addr, a->a.prefix,
		    &ctx->err)) < 0)
			return r;
	}
	for (int i = 0; i < ip->nroutes; i++) {
		const struct jnet_ipconf_route *rt = &ip->routes[i];

		if ((r = be->lab->route_add(ctx->priv, j, rt->via.family, rt->dst.addr, rt->dst.prefix,
		    rt->via.addr, &ctx->err)) < 0)
			return r;
	}
	return 0;
}
