/*
 * Labs that span hosts: the 'hosts' map, each jail's 'host', each bridge's 'vni'
 * (lab_hosts.h). Read from the YAML document lab_parse.c has validated the rest of; the
 * same FILE:LINE:COL errors, nothing created.
 */
#include "lab_hosts.h"
#include "names.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

struct hctx {
	yaml_document_t *doc;
	struct jnet_lab *lab;
	struct jnet_err *e;
};

static struct jnet_lab_pos
hpos(const yaml_node_t *n)
{
	struct jnet_lab_pos pos = { (unsigned)n->start_mark.line + 1,
		(unsigned)n->start_mark.column + 1 };

	return pos;
}

static yaml_node_t *
hnode(struct hctx *h, int id)
{
	return yaml_document_get_node(h->doc, id);
}

/* A scalar's text, or NULL for a non-scalar. */
static const char *
scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The value of key `key` in mapping `map` (the parser has refused duplicate keys). */
static yaml_node_t *
lookup(struct hctx *h, const yaml_node_t *map, const char *key)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
	    pr < map->data.mapping.pairs.top; pr++) {
		const char *k = scalar(hnode(h, pr->key));

		if (k != NULL && strcmp(k, key) == 0)
			return hnode(h, pr->value);
	}
	return NULL;
}

/* Key `key` of the value of the i-th pair of mapping `map` (a jail's, a bridge's). */
static yaml_node_t *
nth_key(struct hctx *h, const yaml_node_t *map, int i, const char *key)
{
	return lookup(h, hnode(h, map->data.mapping.pairs.start[i].value), key);
}

static bool
is_null(const yaml_node_t *n)
{
	const char *s = scalar(n);

	return s != NULL && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0);
}

/* An integer in lo..hi written as a plain scalar of digits. */
static int
get_uint(struct hctx *h, const yaml_node_t *n, const char *what, unsigned long lo,
    unsigned long hi, unsigned long *out)
{
	const char *s = scalar(n);
	char *end;

	if (s == NULL || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || s[0] < '0' ||
	    s[0] > '9')
		return jnet_lab_err(h->lab, hpos(n), h->e, EINVAL, "%s must be an integer", what);
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (*end != '\0' || errno != 0 || *out < lo || *out > hi)
		return jnet_lab_err(h->lab, hpos(n), h->e, EINVAL, "%s %s is out of range (%lu..%lu)",
		    what, s, lo, hi);
	return 0;
}

uint32_t
jnet_lab_vni_derive(const char *lab, const char *bridge)
{
	char key[JNET_LAB_NAMEMAX + JNET_LAB_BRIDGENAMEMAX + 8];
	int n = snprintf(key, sizeof(key), "vni%c%s%c%s", 0, lab, 0, bridge);

	return (uint32_t)(jnet_hash64(key, (size_t)n) % JNET_VNI_MAX) + 1;
}

/* Unicast, global or private: the kernel's VXLAN needs no interface to send from it. */
static bool
underlay_ok(const struct jnet_lab_addr *a)
{
	static const uint8_t zero[16], one[16] = { [15] = 1 };
	const uint8_t *b = a->addr;

	if (a->family == AF_INET)
		return b[0] != 0 && b[0] != 127 && b[0] < 224 &&
		    !(b[0] == 169 && b[1] == 254);
	return b[0] != 0xff && !(b[0] == 0xfe && (b[1] & 0xc0) == 0x80) &&
	    memcmp(b, zero, 16) != 0 && memcmp(b, one, 16) != 0;
}

/* hosts: NAME: ADDRESS | { address: ADDRESS, port: PORT } */
static int
parse_host(struct hctx *h, yaml_node_t *k, yaml_node_t *v, struct jnet_lab_host *hs)
{
	const char *name = scalar(k), *s;
	yaml_node_t *addr = v, *port = NULL;
	struct jnet_lab_addr a;
	struct jnet_err e2;
	unsigned long pv = JNET_VXLAN_PORT;

	if (name == NULL || name[0] == '\0' || strlen(name) > JNET_HOSTNAMEMAX ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
	    strlen(name))
		return jnet_lab_err(h->lab, hpos(k), h->e, EINVAL,
		    "host name must be 1..%d letters, digits, '_' or '-'", JNET_HOSTNAMEMAX);
	jnet_strlcpy(hs->name, name, sizeof(hs->name));
	hs->pos = hpos(k);
	if (v->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *pr = v->data.mapping.pairs.start;
		    pr < v->data.mapping.pairs.top; pr++) {
			const char *key = scalar(hnode(h, pr->key));

			if (key == NULL || (strcmp(key, "address") != 0 && strcmp(key, "port") != 0))
				return jnet_lab_err(h->lab, hpos(hnode(h, pr->key)), h->e, EINVAL,
				    "unknown key '%s' in host '%s' (allowed: address, port)",
				    key ? key : "?", name);
		}
		addr = lookup(h, v, "address");
		port = lookup(h, v, "port");
		if (addr == NULL)
			return jnet_lab_err(h->lab, hpos(v), h->e, EINVAL,
			    "host '%s' has no 'address' (its underlay address)", name);
	}
	if ((s = scalar(addr)) == NULL || is_null(addr))
		return jnet_lab_err(h->lab, hpos(addr), h->e, EINVAL,
		    "host '%s': the underlay address must be a string", name);
	if (jnet_addr_parse(s, JNET_ADDR_VIA, "underlay address", &a, &e2) < 0)
		return jnet_lab_err(h->lab, hpos(addr), h->e, EINVAL, "host '%s': %s", name, e2.msg);
	if (!underlay_ok(&a))
		return jnet_lab_err(h->lab, hpos(addr), h->e, EINVAL,
		    "host '%s': underlay address '%s' is not a unicast address a VXLAN tunnel can use (multicast, loopback, link-local or unspecified)",
		    name, s);
	if (port != NULL && get_uint(h, port, "port", 1, 65535, &pv) < 0)
		return -EINVAL;
	hs->family = a.family;
	memcpy(hs->addr, a.addr, sizeof(hs->addr));
	jnet_strlcpy(hs->addrstr, s, sizeof(hs->addrstr));
	hs->port = (uint16_t)pv;
	hs->addr_pos = hpos(addr);
	return 0;
}

static int
parse_hosts(struct hctx *h, yaml_node_t *map)
{
	struct jnet_lab *lab = h->lab;
	size_t n;

	if (map == NULL || is_null(map))
		return 0;
	if (map->type != YAML_MAPPING_NODE)
		return jnet_lab_err(lab, hpos(map), h->e, EINVAL,
		    "'hosts' must be a mapping (host name: underlay address)");
	n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	if ((lab->hosts = calloc(n ? n : 1, sizeof(*lab->hosts))) == NULL)
		return jnet_err_set(h->e, ENOMEM, "", "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *pr = &map->data.mapping.pairs.start[i];
		struct jnet_lab_host *hs = &lab->hosts[i];

		if (parse_host(h, hnode(h, pr->key), hnode(h, pr->value), hs) < 0)
			return -EINVAL;
		lab->nhosts++;
		for (size_t o = 0; o < i; o++) {
			const struct jnet_lab_host *p = &lab->hosts[o];

			if (strcmp(p->name, hs->name) == 0)
				return jnet_lab_err(lab, hs->pos, h->e, EINVAL,
				    "duplicate host '%s' (first at line %u, column %u)", hs->name,
				    p->pos.line, p->pos.col);
			if (p->family != hs->family)
				return jnet_lab_err(lab, hs->addr_pos, h->e, EINVAL,
				    "host '%s' has an IPv%c underlay address, host '%s' an IPv%c one: one family for all hosts",
				    hs->name, hs->family == AF_INET ? '4' : '6', p->name,
				    p->family == AF_INET ? '4' : '6');
			if (memcmp(p->addr, hs->addr, sizeof(p->addr)) == 0)
				return jnet_lab_err(lab, hs->addr_pos, h->e, EINVAL,
				    "host '%s' has the underlay address of host '%s' (%s)", hs->name,
				    p->name, p->addrstr);
		}
	}
	return 0;
}

/* Each jail's 'host' (the value nodes of 'jails' are in lab->jails order). */
static int
parse_jail_hosts(struct hctx *h, yaml_node_t *jails)
{
	struct jnet_lab *lab = h->lab;

	for (int j = 0; j < lab->njails; j++) {
		yaml_node_t *hn = nth_key(h, jails, j, "host");
		struct jnet_lab_jail *jl = &lab->jails[j];
		const char *s;
		int k;

		if (hn == NULL) {
			if (lab->nhosts > 1)
				return jnet_lab_err(lab, jl->pos, h->e, EINVAL,
				    "jail '%s' has no 'host' (the lab has %d hosts)", jl->name,
				    lab->nhosts);
			continue;
		}
		if (lab->nhosts == 0)
			return jnet_lab_err(lab, hpos(hn), h->e, EINVAL,
			    "jail '%s' has a 'host' but the lab has no 'hosts'", jl->name);
		if ((s = scalar(hn)) == NULL)
			return jnet_lab_err(lab, hpos(hn), h->e, EINVAL, "'host' must be a string");
		for (k = 0; k < lab->nhosts; k++)
			if (strcmp(lab->hosts[k].name, s) == 0)
				break;
		if (k == lab->nhosts)
			return jnet_lab_err(lab, hpos(hn), h->e, EINVAL,
			    "host '%s' is not defined under 'hosts'", s);
		jl->host = k;
	}
	return 0;
}

/* Each bridge's VNI (given or derived), refused when two bridges share one. */
static int
parse_vnis(struct hctx *h, yaml_node_t *bridges)
{
	struct jnet_lab *lab = h->lab;

	for (int b = 0; b < lab->nbridges; b++) {
		struct jnet_lab_bridge *br = &lab->bridges[b];
		yaml_node_t *vn = nth_key(h, bridges, b, "vni");
		unsigned long vni;

		if (vn != NULL && get_uint(h, vn, "vni", 1, JNET_VNI_MAX, &vni) < 0)
			return -EINVAL;
		br->vni = vn != NULL ? (uint32_t)vni : jnet_lab_vni_derive(lab->name, br->name);
		for (int o = 0; o < b; o++)
			if (lab->bridges[o].vni == br->vni)
				return jnet_lab_err(lab, vn ? hpos(vn) : br->pos, h->e, EINVAL,
				    "bridge '%s' has VNI %u, as bridge '%s' (line %u)%s", br->name,
				    (unsigned)br->vni, lab->bridges[o].name, lab->bridges[o].pos.line,
				    vn ? "" : ": give one of them a 'vni'");
	}
	return 0;
}

/* Which bridges span hosts; what multi-host labs do not support (yet). */
static int
check_spans(struct hctx *h)
{
	struct jnet_lab *lab = h->lab;
	int *first = malloc(sizeof(int) * (size_t)(lab->nbridges + 1));

	if (first == NULL)
		return jnet_err_set(h->e, ENOMEM, "", "out of memory");
	for (int b = 0; b < lab->nbridges; b++)
		first[b] = -1;
	for (int j = 0; j < lab->njails; j++) {
		const struct jnet_lab_jail *jl = &lab->jails[j];

		for (int i = 0; i < jl->nbridged; i++) {
			int b = jl->ifaces[i].bridge;

			if (first[b] < 0)
				first[b] = jl->host;
			else if (first[b] != jl->host)
				lab->bridges[b].spans = true;
		}
	}
	free(first);
	for (int b = 0; b < lab->nbridges; b++)
		if (lab->bridges[b].spans && lab->bridges[b].uplink[0] != '\0')
			return jnet_lab_err(lab, lab->bridges[b].pos, h->e, EINVAL,
			    "bridge '%s' has jails on several hosts and an uplink: not supported (the uplinks and the VXLAN tunnel would loop the segment)",
			    lab->bridges[b].name);
	for (int k = 0; k < lab->nlinks; k++) {
		const struct jnet_lab_link *l = &lab->links[k];

		if (lab->jails[l->jail[0]].host != lab->jails[l->jail[1]].host)
			return jnet_lab_err(lab, l->pos, h->e, EINVAL,
			    "a point-to-point link between jails on hosts '%s' and '%s' is not supported yet: put the two ends on a bridge (a bridge that spans hosts is carried by VXLAN)",
			    lab->hosts[lab->jails[l->jail[0]].host].name,
			    lab->hosts[lab->jails[l->jail[1]].host].name);
	}
	return 0;
}

int
jnet_lab_hosts_parse(yaml_document_t *doc, struct jnet_lab *lab, struct jnet_err *e)
{
	struct hctx h = { doc, lab, e };
	yaml_node_t *root = yaml_document_get_root_node(doc);
	yaml_node_t *jails = lookup(&h, root, "jails"), *bridges = lookup(&h, root, "bridges");
	int r;

	if ((r = parse_hosts(&h, lookup(&h, root, "hosts"))) < 0)
		return r;
	if (lab->njails > 0 && (r = parse_jail_hosts(&h, jails)) < 0)
		return r;
	if (lab->nbridges > 0 && (r = parse_vnis(&h, bridges)) < 0)
		return r;
	return lab->nhosts > 0 ? check_spans(&h) : 0;
}

/* Is addr (family f) an address of an interface of this machine (this network namespace)? */
static int
addr_is_local(int f, const uint8_t *addr, char ifname[JNET_IFNAMSIZ], struct jnet_err *e)
{
	struct ifaddrs *ifa, *i;
	int found = 0;

	if (getifaddrs(&ifa) < 0)
		return jnet_err_sys(e, errno, "", "cannot list this machine's addresses");
	for (i = ifa; i != NULL && !found; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != f)
			continue;
		if (f == AF_INET)
			found = memcmp(&((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr,
			    addr, 4) == 0;
		else
			found = memcmp(&((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr,
			    addr, 16) == 0;
		if (found && ifname != NULL)
			jnet_strlcpy(ifname, i->ifa_name, JNET_IFNAMSIZ);
	}
	freeifaddrs(ifa);
	return found;
}

int
jnet_lab_host_pick(const struct jnet_lab *lab, const char *name, struct jnet_err *e)
{
	int pick = -1, r;

	if (lab->nhosts == 0) {
		if (name != NULL)
			return jnet_err_set(e, EINVAL, name, "--host: the lab %s has no 'hosts'",
			    lab->file);
		return 0;
	}
	for (int k = 0; k < lab->nhosts; k++) {
		const struct jnet_lab_host *hs = &lab->hosts[k];

		if (name != NULL && strcmp(hs->name, name) != 0)
			continue;
		if ((r = addr_is_local(hs->family, hs->addr, NULL, e)) < 0)
			return r;
		if (name != NULL && r == 0)
			return jnet_lab_err(lab, hs->addr_pos, e, EADDRNOTAVAIL,
			    "host '%s': its underlay address %s is not an address of this machine",
			    name, hs->addrstr);
		if (r == 0)
			continue;
		if (pick >= 0)
			return jnet_lab_err(lab, hs->addr_pos, e, EINVAL,
			    "hosts '%s' and '%s' both have an underlay address on this machine: say which with --host",
			    lab->hosts[pick].name, hs->name);
		pick = k;
	}
	if (pick < 0 && name != NULL)
		return jnet_err_set(e, EINVAL, name, "--host: no such host in %s (hosts:%s%s%s)",
		    lab->file, " ", lab->hosts[0].name, lab->nhosts > 1 ? ", ..." : "");
	if (pick < 0)
		return jnet_err_set(e, EADDRNOTAVAIL, lab->file,
		    "no host of the lab has its underlay address on this machine: say which with --host");
	return pick;
}

int
jnet_lab_host_underlay(const struct jnet_lab *lab, int h, char ifname[JNET_IFNAMSIZ],
    struct jnet_err *e)
{
	const struct jnet_lab_host *hs = &lab->hosts[h];
	int r = addr_is_local(hs->family, hs->addr, ifname, e);

	if (r == 0)
		return jnet_lab_err(lab, hs->addr_pos, e, EADDRNOTAVAIL,
		    "host '%s': its underlay address %s is not an address of this machine",
		    hs->name, hs->addrstr);
	return r < 0 ? r : 0;
}

/* Deep copies for the view. */
static void *
dup_mem(const void *p, size_t n)
{
	void *q = malloc(n ? n : 1);

	if (q != NULL && n)
		memcpy(q, p, n);
	return q;
}

static int
view_jails(const struct jnet_lab *lab, int h, struct jnet_lab *v, const int *jmap,
    const int *bmap, const int *lmap)
{
	for (int j = 0; j < lab->njails; j++) {
		const struct jnet_lab_jail *jl = &lab->jails[j];
		struct jnet_lab_jail *nj;

		if (jl->host != h)
			continue;
		nj = &v->jails[v->njails++];
		*nj = *jl;
		nj->routes = dup_mem(jl->routes, sizeof(*jl->routes) * (size_t)jl->nroutes);
		nj->ifaces = dup_mem(jl->ifaces, sizeof(*jl->ifaces) * (size_t)jl->nifaces);
		if (nj->ifaces == NULL) {
			nj->nifaces = 0;
			return -ENOMEM;
		}
		for (int i = 0; i < jl->nifaces; i++)
			nj->ifaces[i].addrs = NULL;
		if (nj->routes == NULL)
			return -ENOMEM;
		for (int i = 0; i < jl->nifaces; i++) {
			struct jnet_lab_iface *f = &nj->ifaces[i];

			f->addrs = dup_mem(jl->ifaces[i].addrs, sizeof(*f->addrs) * (size_t)f->naddrs);
			if (f->addrs == NULL)
				return -ENOMEM;
			if (f->bridge >= 0)
				f->bridge = bmap[f->bridge];
			if (f->link >= 0)
				f->link = lmap[f->link];
			if (f->peer_jail >= 0)
				f->peer_jail = jmap[f->peer_jail];
		}
	}
	return 0;
}

static int
view_fill(const struct jnet_lab *lab, int h, struct jnet_lab *v, int *jmap, int *bmap,
    int *lmap)
{
	for (int b = 0; b < lab->nbridges; b++)
		bmap[b] = -1;
	for (int j = 0, n = 0; j < lab->njails; j++) {
		jmap[j] = lab->jails[j].host == h ? n++ : -1;
		for (int i = 0; jmap[j] >= 0 && i < lab->jails[j].nbridged; i++)
			bmap[lab->jails[j].ifaces[i].bridge] = 0;
	}
	for (int b = 0; b < lab->nbridges; b++)
		/* A bridge without ports (an uplink's only) is built on every host. */
		if (bmap[b] == 0 || lab->bridges[b].nports == 0) {
			bmap[b] = v->nbridges;
			v->bridges[v->nbridges++] = lab->bridges[b];
		}
	for (int k = 0; k < lab->nlinks; k++) {
		const struct jnet_lab_link *l = &lab->links[k];

		lmap[k] = -1;
		if (jmap[l->jail[0]] < 0)
			continue;
		lmap[k] = v->nlinks;
		v->links[v->nlinks] = *l;
		v->links[v->nlinks].jail[0] = jmap[l->jail[0]];
		v->links[v->nlinks++].jail[1] = jmap[l->jail[1]];
	}
	if (v->hosts == NULL)
		return -ENOMEM;
	memcpy(v->hosts, lab->hosts, sizeof(*lab->hosts) * (size_t)lab->nhosts);
	v->nhosts = lab->nhosts;
	return view_jails(lab, h, v, jmap, bmap, lmap);
}

int
jnet_lab_host_view(const struct jnet_lab *lab, int h, struct jnet_lab **out,
    struct jnet_err *e)
{
	size_t nb = (size_t)lab->nbridges + 1, nj = (size_t)lab->njails + 1;
	size_t nl = (size_t)lab->nlinks + 1;
	int *jmap = calloc(nj, sizeof(int)), *bmap = calloc(nb, sizeof(int));
	int *lmap = calloc(nl, sizeof(int)), r = -ENOMEM;
	struct jnet_lab *v = calloc(1, sizeof(*v));

	*out = NULL;
	if (v != NULL) {
		memcpy(v->name, lab->name, sizeof(v->name));
		memcpy(v->backend, lab->backend, sizeof(v->backend));
		v->file = strdup(lab->file);
		v->view = h + 1;
		v->bridges = calloc(nb, sizeof(*v->bridges));
		v->jails = calloc(nj, sizeof(*v->jails));
		v->links = calloc(nl, sizeof(*v->links));
		v->hosts = calloc((size_t)lab->nhosts + 1, sizeof(*v->hosts));
	}
	if (v != NULL && jmap && bmap && lmap && v->file && v->bridges && v->jails && v->links)
		r = view_fill(lab, h, v, jmap, bmap, lmap);
	free(jmap);
	free(bmap);
	free(lmap);
	if (r < 0) {
		jnet_lab_free(v);
		return jnet_err_set(e, ENOMEM, "", "out of memory");
	}
	*out = v;
	return 0;
}

void
jnet_lab_vxlan_ifname(const char *bridge_ifname, char out[JNET_IFNAMSIZ])
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	uint64_t hv = jnet_hash64(bridge_ifname, strlen(bridge_ifname));

	memcpy(out, "jx-", 3);
	for (int i = 0; i < 12; i++)
		out[3 + i] = b32[(hv >> (59 - 5 * i)) & 31];
	out[15] = '\0';
}

/* The host of the first jail with a port on bridge b, or -1. */
static int
bridge_host(const struct jnet_lab *lab, int b)
{
	for (int j = 0; j < lab->njails; j++)
		for (int i = 0; i < lab->jails[j].nbridged; i++)
			if (lab->jails[j].ifaces[i].bridge == b)
				return lab->jails[j].host;
	return -1;
}

/* A jail name in a dot string: '"' and '\' escaped (jail names hold no newline). */
static void
dot_name(FILE *out, const char *s)
{
	for (size_t n; *s; s += n) {
		n = strcspn(s, "\"\\");
		fwrite(s, 1, n, out);
		if (s[n] != '\0') {
			fprintf(out, "\\%c", s[n]);
			n++;
		}
	}
}

void
jnet_lab_graph_hosts(const struct jnet_lab *lab, FILE *out)
{
	for (int h = 0; h < lab->nhosts; h++) {
		const struct jnet_lab_host *hs = &lab->hosts[h];

		fprintf(out, "\tsubgraph \"cluster_host:%s\" {\n\t\tlabel=\"host %s\\n%s",
		    hs->name, hs->name, hs->addrstr);
		if (hs->port != JNET_VXLAN_PORT)
			fprintf(out, " port %u", (unsigned)hs->port);
		fputs("\";\n\t\tstyle=rounded;\n", out);
		for (int j = 0; j < lab->njails; j++) {
			if (lab->jails[j].host != h)
				continue;
			fputs("\t\t\"jail:", out);
			dot_name(out, lab->jails[j].name);
			fputs("\";\n", out);
		}
		/* A bridge of one host's jails only is that host's; one that spans hosts
		 * (VXLAN) stays between the clusters. */
		for (int b = 0; b < lab->nbridges; b++)
			if (!lab->bridges[b].spans && bridge_host(lab, b) == h)
				fprintf(out, "\t\t\"bridge:%s\";\n", lab->bridges[b].name);
		fputs("\t}\n", out);
	}
	for (int b = 0; b < lab->nbridges; b++)
		if (lab->bridges[b].spans)
			fprintf(out, "\t\"bridge:%s\" [xlabel=\"VXLAN %u\"];\n", lab->bridges[b].name,
			    (unsigned)lab->bridges[b].vni);
}
