/* Lab file parser (lab_parse.c): addresses, interfaces, bridges, links and routes. */
#include "lab_parse_int.h"
#include "mac.h"
#include "names.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Addresses: jnet_addr_parse (addr.c), with the error at the node. */
static int
parse_addr(struct pctx *p, const yaml_node_t *n, enum jnet_addr_use use, const char *what,
    struct jnet_lab_addr *a)
{
	struct jnet_err e;
	const char *s;

	if (lp_get_str(p, n, what, &s) < 0)
		return -EINVAL;
	if (jnet_addr_parse(s, use, what, a, &e) < 0)
		return lp_perr(p, n, "%s", e.msg);
	a->pos = lp_npos(n);
	return 0;
}

/* Interfaces (bridge ports and link ends share mac/mtu/address). */

struct jnet_lab_iface *
lp_iface_new(struct pctx *p, int j, const yaml_node_t *at)
{
	struct jnet_lab_jail *jl = &p->lab->jails[j];
	struct jnet_lab_iface *f;

	if (jl->nifaces >= JNET_MAXLINKS) {
		lp_perr(p, at, "jail '%s' has more than %d interfaces", jl->name, JNET_MAXLINKS);
		return NULL;
	}
	if (jl->nifaces == p->iface_cap[j]) {
		int cap = p->iface_cap[j] ? 2 * p->iface_cap[j] : 4;
		void *v = realloc(jl->ifaces, (size_t)cap * sizeof(*jl->ifaces));

		if (v == NULL) {
			jnet_err_set(p->e, ENOMEM, "", "out of memory");
			return NULL;
		}
		jl->ifaces = v;
		p->iface_cap[j] = cap;
	}
	f = &jl->ifaces[jl->nifaces];
	memset(f, 0, sizeof(*f));
	f->index = jl->nifaces++;
	f->bridge = f->link = f->peer_jail = f->peer_iface = -1;
	f->pos = lp_npos(at);
	return f;
}

int
lp_iface_common(struct pctx *p, struct jnet_lab_iface *f, yaml_node_t *addr, yaml_node_t *mac,
    yaml_node_t *mtu)
{
	const struct jnet_lab_addr *v6 = NULL;

	if (addr != NULL && lp_kind_of(addr) != K_NULL) {
		int n = lp_kind_of(addr) == K_SEQ ?
		    (int)(addr->data.sequence.items.top - addr->data.sequence.items.start) : 1;

		if (n > JNET_LAB_MAXADDRS)
			return lp_perr(p, addr, "more than %d addresses on one interface",
			    JNET_LAB_MAXADDRS);
		f->addrs = calloc((size_t)(n ? n : 1), sizeof(*f->addrs));
		if (f->addrs == NULL)
			return jnet_err_set(p->e, ENOMEM, "", "out of memory");
		for (int i = 0; i < n; i++) {
			yaml_node_t *an = lp_kind_of(addr) == K_SEQ ? lp_item(p, addr, i) : addr;
			struct jnet_lab_addr *a = &f->addrs[i];

			if (lp_kind_of(an) == K_SEQ || lp_kind_of(an) == K_MAP)
				return lp_perr(p, an, "an address must be a string, not %s",
				    lp_kind_names[lp_kind_of(an)]);
			if (parse_addr(p, an, JNET_ADDR_IFACE, "address", a) < 0)
				return -EINVAL;
			for (int k = 0; k < i; k++)
				if (f->addrs[k].family == a->family &&
				    memcmp(f->addrs[k].addr, a->addr, 16) == 0)
					return lp_perr(p, an, "address %s is listed twice (first at line %u, column %u)",
					    a->text, f->addrs[k].pos.line, f->addrs[k].pos.col);
			if (a->family == AF_INET6 && v6 == NULL)
				v6 = a;
			f->naddrs++;
		}
	}
	if (mac != NULL) {
		const char *s;
		struct jnet_err e2;

		if (lp_get_str(p, mac, "'mac'", &s) < 0)
			return -EINVAL;
		if (jnet_mac_parse(s, f->mac, &e2) < 0)
			return lp_perr(p, mac, "mac '%s': %s", s, e2.msg);
		f->has_mac = true;
		f->mac_pos = lp_npos(mac);
	}
	if (mtu != NULL) {
		const char *s;
		long v;

		if (lp_want(p, mtu, K_INT, "'mtu'") < 0)
			return -EINVAL;
		s = lp_sval(mtu);
		v = strlen(s) > 7 ? -1 : strtol(s, NULL, 10);
		if (v < JNET_LAB_MTU_MIN || v > JNET_LAB_MTU_MAX)
			return lp_perr(p, mtu, "mtu %s is out of range (%d..%d)", s, JNET_LAB_MTU_MIN,
			    JNET_LAB_MTU_MAX);
		if (v6 != NULL && v < JNET_LAB_MTU_MIN6)
			return lp_perr(p, mtu,
			    "mtu %ld is below %d, the IPv6 minimum, and the interface has IPv6 address %s",
			    v, JNET_LAB_MTU_MIN6, v6->text);
		f->mtu = (unsigned)v;
	}
	return 0;
}

int
lp_parse_bridges(struct pctx *p, yaml_node_t *map)
{
	struct jnet_lab *lab = p->lab;
	int n = lp_get_map(p, map, "'bridges'");

	if (n <= 0)
		return n;
	lab->bridges = calloc((size_t)n, sizeof(*lab->bridges));
	p->bridge_idx = calloc((size_t)n, sizeof(*p->bridge_idx));
	if (lab->bridges == NULL || p->bridge_idx == NULL)
		return jnet_err_set(p->e, ENOMEM, "", "out of memory");
	for (int i = 0; i < n; i++) {
		yaml_node_pair_t *pr = &map->data.mapping.pairs.start[i];
		yaml_node_t *k = lp_node(p, pr->key), *v = lp_node(p, pr->value);
		struct jnet_lab_bridge *b = &lab->bridges[i];
		struct field f[] = { { "uplink", NULL, NULL },
			{ "vni", NULL, NULL } }; /* vni: lab_hosts.c */
		char what[64];
		const char *s;

		if (lp_get_str(p, k, "a bridge name", &s) < 0 ||
		    lp_check_word_name(p, k, "bridge", s, JNET_LAB_BRIDGENAMEMAX) < 0)
			return -EINVAL;
		jnet_strlcpy(b->name, s, sizeof(b->name));
		b->pos = lp_npos(k);
		snprintf(what, sizeof(what), "bridge '%s'", b->name);
		if (lp_fields(p, v, what, f, 2) < 0)
			return -EINVAL;
		if (f[0].v != NULL) {
			struct jnet_err e2;

			if (lp_get_str(p, f[0].v, "'uplink'", &s) < 0)
				return -EINVAL;
			if (jnet_uplink_check(s, &e2) < 0)
				return lp_perr(p, f[0].v, "uplink '%s': %s", s, e2.msg);
			for (int o = 0; o < i; o++)
				if (strcmp(lab->bridges[o].uplink, s) == 0)
					return lp_perr(p, f[0].v,
					    "uplink '%s' is already the uplink of bridge '%s' (line %u); an interface can be on one bridge only",
					    s, lab->bridges[o].name, lab->bridges[o].pos.line);
			jnet_strlcpy(b->uplink, s, sizeof(b->uplink));
		}
		p->bridge_idx[i] = (struct lab_named){ b->name, b->pos, i };
		lab->nbridges++;
	}
	return lp_index_names(p, p->bridge_idx, lab->nbridges, "bridge");
}

int
lp_parse_links(struct pctx *p, yaml_node_t *seq)
{
	struct jnet_lab *lab = p->lab;
	int n = lp_get_list(p, seq, "'links'");

	if (n <= 0)
		return n;
	lab->links = calloc((size_t)n, sizeof(*lab->links));
	if (lab->links == NULL)
		return jnet_err_set(p->e, ENOMEM, "", "out of memory");
	for (int li = 0; li < n; li++) {
		yaml_node_t *ln = lp_item(p, seq, li);
		struct jnet_lab_link *l = &lab->links[li];
		int ne;

		if (lp_kind_of(ln) != K_SEQ)
			return lp_perr(p, ln, "a link must be a list of two ends, not %s",
			    lp_kind_names[lp_kind_of(ln)]);
		ne = (int)(ln->data.sequence.items.top - ln->data.sequence.items.start);
		if (ne != 2)
			return lp_perr(p, ln, "a link must have exactly two ends, not %d", ne);
		l->pos = lp_npos(ln);
		for (int s = 0; s < 2; s++) {
			yaml_node_t *en = lp_item(p, ln, s);
			struct field g[] = { { "jail", NULL, NULL }, { "address", NULL, NULL },
				{ "mac", NULL, NULL }, { "mtu", NULL, NULL } };
			struct jnet_lab_iface *fc;
			const char *name;
			int j;

			if (lp_want(p, en, K_MAP, "a link end") < 0 ||
			    lp_fields(p, en, "a link end", g, 4) < 0)
				return -EINVAL;
			if (g[0].v == NULL)
				return lp_perr(p, en, "link end has no 'jail'");
			if (lp_get_str(p, g[0].v, "'jail'", &name) < 0)
				return -EINVAL;
			if ((j = lp_find_named(p->jail_idx, lab->njails, name)) < 0)
				return lp_perr(p, g[0].v, "jail '%s' is not defined under 'jails'", name);
			if (s == 1 && j == l->jail[0])
				return lp_perr(p, g[0].v, "link joins jail '%s' to itself", name);
			if ((fc = lp_iface_new(p, j, en)) == NULL)
				return -p->e->code;
			fc->link = li;
			l->jail[s] = j;
			l->iface[s] = fc->index;
			if (lp_iface_common(p, fc, g[1].v, g[2].v, g[3].v) < 0)
				return -p->e->code;
		}
		for (int s = 0; s < 2; s++) {
			struct jnet_lab_iface *fc = &lab->jails[l->jail[s]].ifaces[l->iface[s]];

			fc->peer_jail = l->jail[1 - s];
			fc->peer_iface = l->iface[1 - s];
		}
		lab->nlinks++;
	}
	return 0;
}

static void
family_addrs(const struct jnet_lab_jail *j, int family, char *out, size_t len)
{
	size_t n = 0;
	int count = 0;

	out[0] = '\0';
	for (int i = 0; i < j->nifaces; i++)
		for (int k = 0; k < j->ifaces[i].naddrs; k++) {
			const struct jnet_lab_addr *a = &j->ifaces[i].addrs[k];
			int w;

			if (a->family != family)
				continue;
			if (count == 8) {
				if (n + 5 < len)
					memcpy(out + n, ", ...", 6);
				return;
			}
			w = snprintf(out + n, len - n, "%s%s", count ? ", " : "", a->text);
			if (w < 0 || (size_t)w >= len - n)
				return;
			n += (size_t)w;
			count++;
		}
}

/* A route's 'to' and 'via' (g[0], g[1]) from its mapping rn. */
static int
route_ends(struct pctx *p, yaml_node_t *rn, struct field g[2], struct jnet_lab_route *r)
{
	if (lp_want(p, rn, K_MAP, "a 'routes' entry") < 0 || lp_fields(p, rn, "a route", g, 2) < 0)
		return -EINVAL;
	if (g[0].v == NULL)
		return lp_perr(p, rn, "route has no 'to' (default or a network such as 10.1.0.0/24)");
	if (g[1].v == NULL)
		return lp_perr(p, rn, "route has no 'via' (the next hop's address)");
	r->pos = lp_npos(rn);
	if (parse_addr(p, g[1].v, JNET_ADDR_VIA, "'via'", &r->via) < 0)
		return -EINVAL;
	if (lp_kind_of(g[0].v) == K_STR && strcmp(lp_sval(g[0].v), "default") == 0) {
		r->is_default = true;
		r->dst.family = r->via.family;
		r->dst.pos = lp_npos(g[0].v);
		jnet_addr_text(&r->dst, true);
		return 0;
	}
	if (parse_addr(p, g[0].v, JNET_ADDR_ROUTE_DST, "'to'", &r->dst) < 0)
		return -EINVAL;
	if (r->dst.family != r->via.family)
		return lp_perr(p, g[1].v, "route to %s via %s: address families differ",
		    r->dst.text, r->via.text);
	return 0;
}

/* The interface of jail j whose subnet holds the next hop (node via): r->iface. */
static int
route_iface(struct pctx *p, const struct jnet_lab_jail *j, struct jnet_lab_route *r,
    const yaml_node_t *via)
{
	char list[400];

	r->iface = -1;
	for (int i = 0; i < j->nifaces && r->iface < 0; i++)
		for (int k = 0; k < j->ifaces[i].naddrs; k++) {
			const struct jnet_lab_addr *a = &j->ifaces[i].addrs[k];

			if (a->family != r->via.family)
				continue;
			if (memcmp(a->addr, r->via.addr, 16) == 0)
				return lp_perr(p, via, "route via %s: that is an address of jail '%s' itself",
				    r->via.text, j->name);
			if (jnet_addr_prefix_match(a->addr, r->via.addr, a->prefix)) {
				r->iface = i;
				break;
			}
		}
	if (r->iface >= 0)
		return 0;
	family_addrs(j, r->via.family, list, sizeof(list));
	if (list[0] == '\0')
		return lp_perr(p, via, "route via %s: jail '%s' has no %s address", r->via.text,
		    j->name, r->via.family == AF_INET ? "IPv4" : "IPv6");
	return lp_perr(p, via, "route via %s is not on any subnet of jail '%s' (%s)",
	    r->via.text, j->name, list);
}

/* Route ri of jail j (node rn, its 'to' node to) against the jail's subnets and its
 * earlier routes. */
static int
route_new(struct pctx *p, const struct jnet_lab_jail *j, int ri, const yaml_node_t *rn,
    const yaml_node_t *to)
{
	const struct jnet_lab_route *r = &j->routes[ri];

	/* The kernel refuses (EEXIST) a gateway route to a subnet the jail is on: its
	 * connected route is there already. */
	for (int i = 0; !r->is_default && i < j->nifaces; i++)
		for (int k = 0; k < j->ifaces[i].naddrs; k++) {
			const struct jnet_lab_addr *a = &j->ifaces[i].addrs[k];

			if (a->family == r->dst.family && a->prefix == r->dst.prefix &&
			    jnet_addr_prefix_match(a->addr, r->dst.addr, a->prefix))
				return lp_perr(p, to,
				    "route to %s: jail '%s' is on that subnet itself (address %s at line %u, column %u): the kernel has a route to it already",
				    r->dst.text, j->name, a->text, a->pos.line, a->pos.col);
		}
	for (int o = 0; o < ri; o++) {
		const struct jnet_lab_route *q = &j->routes[o];

		if (q->dst.family == r->dst.family && q->dst.prefix == r->dst.prefix &&
		    memcmp(q->dst.addr, r->dst.addr, 16) == 0)
			return lp_perr(p, rn, "duplicate route to %s (first at line %u, column %u)",
			    r->dst.text, q->pos.line, q->pos.col);
	}
	return 0;
}

int
lp_parse_routes(struct pctx *p, int ji)
{
	struct jnet_lab_jail *j = &p->lab->jails[ji];
	yaml_node_t *seq = p->jail_routes[ji];
	int n = lp_get_list(p, seq, "'routes'");

	if (n <= 0)
		return n;
	if (n > JNET_LAB_MAXROUTES)
		return lp_perr(p, seq, "jail '%s' has more than %d routes", j->name, JNET_LAB_MAXROUTES);
	j->routes = calloc((size_t)n, sizeof(*j->routes));
	if (j->routes == NULL)
		return jnet_err_set(p->e, ENOMEM, "", "out of memory");
	for (int ri = 0; ri < n; ri++) {
		yaml_node_t *rn = lp_item(p, seq, ri);
		struct field g[] = { { "to", NULL, NULL }, { "via", NULL, NULL } };

		if (route_ends(p, rn, g, &j->routes[ri]) < 0 ||
		    route_iface(p, j, &j->routes[ri], g[1].v) < 0 ||
		    route_new(p, j, ri, rn, g[0].v) < 0)
			return -EINVAL;
		j->nroutes++;
	}
	return 0;
}
