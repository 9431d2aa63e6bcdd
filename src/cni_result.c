/*
 * CNI plugin mode: the result ADD prints, and CHECK's comparison of the kernel's state with
 * it (prevResult). Result fields per version: 0.3.x and 0.4.0 give each address a "version"
 * ("4" or "6"); 1.0.0 and 1.1.0 do not.
 */
#include "cni.h"
#include "mac.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

static json_t *
cidr(int family, const uint8_t *a, int prefix)
{
	char s[INET6_ADDRSTRLEN + 8];

	inet_ntop(family, a, s, INET6_ADDRSTRLEN);
	snprintf(s + strlen(s), 8, "/%d", prefix);
	return json_string(s);
}

static json_t *
addr(int family, const uint8_t *a)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(family, a, s, sizeof(s));
	return json_string(s);
}

static json_t *
iface(const char *name, const uint8_t *mac, const char *sandbox)
{
	json_t *o = json_object();
	char m[JNET_MACSTRLEN];

	json_object_set_new(o, "name", json_string(name));
	if (mac != NULL) {
		jnet_mac_format(mac, m);
		json_object_set_new(o, "mac", json_string(m));
	}
	if (sandbox != NULL)
		json_object_set_new(o, "sandbox", json_string(sandbox));
	return o;
}

/* A prevResult's array `key` copied (ADD chained after another plugin), or a new one. */
static json_t *
base_array(struct jnet_cni_run *r, const char *key)
{
	json_t *a = r->conf.prev ? json_object_get(r->conf.prev, key) : NULL;

	return json_is_array(a) ? json_deep_copy(a) : json_array();
}

static void
result_ips(struct jnet_cni_run *r, json_t *ips, json_t *routes, int ifindex,
    const struct jnet_cni_ipam *ipam)
{
	static const uint8_t any[16];

	for (int i = 0; ipam != NULL && i < ipam->nips; i++) {
		const struct jnet_cni_ip *ip = &ipam->ips[i];
		json_t *o = json_object();

		if (r->conf.ver < CNI_V100)
			json_object_set_new(o, "version", json_string(ip->family == AF_INET ? "4" : "6"));
		json_object_set_new(o, "interface", json_integer(ifindex));
		json_object_set_new(o, "address", cidr(ip->family, ip->addr, ip->prefix));
		if (ip->has_gw)
			json_object_set_new(o, "gateway", addr(ip->family, ip->gw));
		json_array_append_new(ips, o);
		if (r->conf.is_default_gateway && ip->has_gw) {
			json_t *d = json_object();

			json_object_set_new(d, "dst", cidr(ip->family, any, 0));
			json_object_set_new(d, "gw", addr(ip->family, ip->gw));
			json_array_append_new(routes, d);
		}
	}
	for (int i = 0; ipam != NULL && i < ipam->nroutes; i++) {
		const struct jnet_cni_route *rt = &ipam->routes[i];
		json_t *o = json_object();

		json_object_set_new(o, "dst", cidr(rt->family, rt->dst, rt->prefix));
		if (rt->has_gw)
			json_object_set_new(o, "gw", addr(rt->family, rt->gw));
		json_array_append_new(routes, o);
	}
}

/* prevResult's addresses in the result's version: "version" only before 1.0.0. */
static void
prev_ips_convert(struct jnet_cni_run *r, json_t *ips)
{
	size_t i;
	json_t *o;

	json_array_foreach(ips, i, o) {
		const char *a = json_string_value(json_object_get(o, "address"));

		if (!json_is_object(o))
			continue;
		if (r->conf.ver >= CNI_V100)
			json_object_del(o, "version");
		else if (json_object_get(o, "version") == NULL && a != NULL)
			json_object_set_new(o, "version", json_string(strchr(a, ':') ? "6" : "4"));
	}
}

/* dns: prevResult's, with IPAM's appended (a list's new entries; a domain prevResult has
 * not). */
static json_t *
dns_merge(json_t *prev, json_t *ipam)
{
	json_t *o = json_is_object(prev) ? json_deep_copy(prev) : json_object(), *v, *have, *x;
	const char *k;
	size_t i, j;

	if (!json_is_object(ipam))
		return o;
	json_object_foreach(ipam, k, v) {
		have = json_object_get(o, k);
		if (have == NULL) {
			json_object_set_new(o, k, json_deep_copy(v));
			continue;
		}
		if (!json_is_array(have) || !json_is_array(v))
			continue;
		json_array_foreach(v, i, x) {
			bool dup = false;
			json_t *y;

			json_array_foreach(have, j, y)
				dup = dup || json_equal(x, y);
			if (!dup)
				json_array_append(have, x);
		}
	}
	return o;
}

json_t *
jnet_cni_result(struct jnet_cni_run *r, const struct jnet_link_info *l,
    const struct jnet_ifinfo *br, const struct jnet_cni_ipam *ipam)
{
	json_t *o = json_object(), *ifs = base_array(r, "interfaces");
	json_t *ips = base_array(r, "ips"), *routes = base_array(r, "routes");
	int cidx;

	prev_ips_convert(r, ips);

	json_object_set_new(o, "cniVersion", json_string(r->conf.version));
	/* As the reference bridge plugin: the bridge, the host end, the container end. */
	json_array_append_new(ifs, iface(br->name, br->has_mac ? br->mac : NULL, NULL));
	json_array_append_new(ifs, iface(l->host_if, l->host_mac, NULL));
	cidx = (int)json_array_size(ifs);
	json_array_append_new(ifs, iface(r->env->ifname, l->jail_mac_known ? l->jail_mac : NULL,
	    r->env->netns));
	result_ips(r, ips, routes, cidx, ipam);
	json_object_set_new(o, "interfaces", ifs);
	json_object_set_new(o, "ips", ips);
	if (json_array_size(routes) > 0)
		json_object_set_new(o, "routes", routes);
	else
		json_decref(routes);
	json_object_set_new(o, "dns", dns_merge(r->conf.prev ? json_object_get(r->conf.prev,
	    "dns") : NULL, ipam && ipam->raw ? json_object_get(ipam->raw, "dns") : NULL));
	return o;
}

/* ------------------------------------------------------------------ CHECK */

/* prevResult's entry for our container end: its MAC, and its index (-1: none). */
static int
prev_iface(struct jnet_cni_run *r, uint8_t mac[6], bool *has_mac)
{
	json_t *ifs = json_object_get(r->conf.prev, "interfaces"), *i;
	struct jnet_err e;
	size_t k;

	*has_mac = false;
	json_array_foreach(ifs, k, i) {
		const char *name = json_string_value(json_object_get(i, "name"));
		const char *sb = json_string_value(json_object_get(i, "sandbox"));
		const char *m = json_string_value(json_object_get(i, "mac"));

		if (name == NULL || sb == NULL || strcmp(name, r->env->ifname) != 0)
			continue;
		if (m != NULL && jnet_mac_parse(m, mac, &e) == 0)
			*has_mac = true;
		return (int)k;
	}
	return -1;
}

struct addr_find {
	int family;
	const uint8_t *addr;
	int prefix;
	bool found;
};

static int
addr_find_cb(const char *ifname, int family, const uint8_t *a, int prefix, void *arg)
{
	struct addr_find *f = arg;

	(void)ifname;
	if (family == f->family && prefix == f->prefix &&
	    memcmp(a, f->addr, family == AF_INET ? 4 : 16) == 0)
		f->found = true;
	return 0;
}

/* Every address prevResult gives our container end is on it. */
static int
check_addrs(struct jnet_cni_run *r, const struct jnet_jail *j, int idx)
{
	json_t *ips = json_object_get(r->conf.prev, "ips");
	struct jnet_cni_ipam prev;
	struct jnet_err e;
	int rc = 0;

	if (json_array_size(ips) == 0)
		return 0;
	memset(&prev, 0, sizeof(prev));
	if (jnet_cni_ipam_parse(r->conf.prev, &prev, &e) < 0)
		return jnet_cni_fail(&r->ce, CNI_ERR_CONFIG, e.msg, "prevResult: %s", e.msg);
	for (int i = 0; rc == 0 && i < prev.nips; i++) {
		struct addr_find f = { prev.ips[i].family, prev.ips[i].addr, prev.ips[i].prefix, false };
		char s[INET6_ADDRSTRLEN];

		if (prev.ips[i].interface != idx)
			continue;
		if (r->ctx->be->lab->addr_list(r->ctx->priv, j, r->env->ifname, addr_find_cb, &f,
		    &r->ctx->err) < 0)
			rc = jnet_cni_kernel_fail(r, "CHECK: addresses");
		else if (!f.found)
			rc = jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, NULL,
			    "CHECK: %s has no address %s/%d (prevResult)", r->env->ifname,
			    inet_ntop(f.family, f.addr, s, sizeof(s)) ? s : "?", f.prefix);
	}
	jnet_cni_ipam_free(&prev);
	return rc;
}

/* The container end, found inside the jail by CNI_IFNAME and believed by its tag only. */
static int
check_container_end(struct jnet_cni_run *r, const struct jnet_jail *j, struct jnet_ifinfo *ci)
{
	const struct jnet_backend_ops *be = r->ctx->be;
	int rc = be->lab->jail_if_get(r->ctx->priv, j, r->env->ifname, ci, &r->ctx->err);

	if (rc == -ENODEV)
		return jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, NULL, "CHECK: no %s inside %s",
		    r->env->ifname, r->env->netns);
	if (rc < 0)
		return jnet_cni_kernel_fail(r, "CHECK: the container end");
	if (!ci->tagged || ci->tag.kind != JNET_TAG_LINK || ci->tag.end != 'b' ||
	    strcmp(ci->tag.name, r->jail) != 0 || strcmp(ci->tag.cni, r->conf.name) != 0)
		return jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, NULL,
		    "CHECK: %s inside %s is not this attachment's (its tag: '%s')", r->env->ifname,
		    r->env->netns, ci->tagtext);
	if (!ci->up)
		return jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, NULL, "CHECK: %s is down",
		    r->env->ifname);
	return 0;
}

/* The link as ADD made it: the host end tagged for this attachment, up, on the bridge; its
 * peer (where the backend can tell from the host) and the container end inside CNI_NETNS,
 * named CNI_IFNAME, tagged for it, up, with prevResult's MAC and addresses. */
static int
check_link(struct jnet_cni_run *r, const struct jnet_jail *j, const struct jnet_link_info *l)
{
	const struct jnet_backend_ops *be = r->ctx->be;
	char have[JNET_MACSTRLEN], want[JNET_MACSTRLEN];
	struct jnet_ifinfo ci;
	uint8_t mac[6];
	bool has_mac;
	int idx, in;

	if (be->link_in != NULL) {
		if ((in = be->link_in(r->ctx->priv, l, j, &r->ctx->err)) < 0)
			return jnet_cni_kernel_fail(r, "CHECK: where is the container end");
		if (!in || l->where != JNET_WHERE_JAIL)
			return jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, NULL,
			    "CHECK: the container end of %s is not inside %s", r->host_if,
			    r->env->netns);
		if (strcmp(l->jail_if, r->env->ifname) != 0)
			return jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, NULL,
			    "CHECK: the container end of %s is named %s, not %s", r->host_if,
			    l->jail_if, r->env->ifname);
	}
	if (!l->host_up)
		return jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, NULL, "CHECK: %s is down", r->host_if);
	if (strcmp(l->bridge, r->conf.bridge) != 0)
		return jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, NULL,
		    "CHECK: %s is on bridge '%s', not on %s", r->host_if, l->bridge, r->conf.bridge);
	if (check_container_end(r, j, &ci) < 0)
		return -1;
	if ((idx = prev_iface(r, mac, &has_mac)) < 0)
		return jnet_cni_fail(&r->ce, CNI_ERR_CONFIG, NULL,
		    "prevResult: no interface %s with a sandbox", r->env->ifname);
	if (has_mac && ci.has_mac && memcmp(mac, ci.mac, 6) != 0) {
		jnet_mac_format(ci.mac, have);
		jnet_mac_format(mac, want);
		return jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, NULL,
		    "CHECK: %s has MAC %s, prevResult says %s", r->env->ifname, have, want);
	}
	return check_addrs(r, j, idx);
}

int
jnet_cni_check(struct jnet_cni_run *r)
{
	struct jnet_link_info l;
	struct jnet_jail j;
	int rc;

	if (r->ctx->be->jail_open(r->ctx->priv, r->env->netns, JNET_JAIL_SPEC, &j,
	    &r->ctx->err) < 0)
		return jnet_cni_netns_fail(r);
	if (!j.exists)
		return jnet_cni_fail(&r->ce, CNI_ERR_CONTAINER, r->env->netns,
		    "CNI_NETNS: %s: no such network namespace", r->env->netns);
	if ((rc = jnet_cni_own(r, &l, false)) == 0)
		rc = jnet_cni_fail(&r->ce, CNI_ERR_KERNEL, NULL,
		    "CHECK: no link %s for container %s, interface %s", r->host_if,
		    r->env->containerid, r->env->ifname);
	if (rc == 1)
		rc = check_link(r, &j, &l);
	if (rc == 0)
		rc = jnet_cni_ipam_run(r, "CHECK", NULL);
	r->ctx->be->jail_close(r->ctx->priv, &j);
	return rc < 0 ? -1 : 0;
}
