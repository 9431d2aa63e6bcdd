/*
 * Lab file parser and validator (see lab.h for the format).
 *
 * libyaml's document API gives a tree whose every node keeps its start mark, so each error
 * can name its line and column. The tree is checked in a fixed semantic order (lab name,
 * backend, bridges, jails, links, routes, then whole-lab checks such as duplicate
 * addresses), so the same file always gives the same first error whatever the order of
 * its top-level keys.
 */
#include "lab.h"
#include "lab_hosts.h"
#include "mac.h"
#include "names.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <yaml.h>

#define LAB_FILE_MAX (64u << 20) /* refuse lab files larger than this (bytes) */

struct pctx {
	yaml_document_t *doc;
	const char *file;
	struct jnet_err *e;
	struct jnet_lab *lab;
	struct jnet_lab_jail **jail_idx;     /* jails sorted by name */
	struct jnet_lab_bridge **bridge_idx; /* bridges sorted by name */
	yaml_node_t **jail_routes;           /* per jail: its 'routes' node or NULL */
	int *iface_cap;                      /* per jail: allocated ifaces */
};

enum kind { K_NULL, K_BOOL, K_INT, K_STR, K_MAP, K_SEQ };

static const char *const kind_names[] = {
	[K_NULL] = "null", [K_BOOL] = "a boolean", [K_INT] = "an integer",
	[K_STR] = "a string", [K_MAP] = "a mapping", [K_SEQ] = "a list",
};

static const char *const backends[] = { "netns", "epair", "netgraph" };

static int perr(struct pctx *p, const yaml_node_t *n, const char *fmt, ...) JNET_PRINTF(3, 4);
static int verr(const char *file, struct jnet_lab_pos pos, struct jnet_err *e, int code,
    const char *fmt, va_list ap) JNET_PRINTF(5, 0);

static struct jnet_lab_pos
npos(const yaml_node_t *n)
{
	struct jnet_lab_pos pos = { (unsigned)n->start_mark.line + 1,
		(unsigned)n->start_mark.column + 1 };

	return pos;
}

static int
verr(const char *file, struct jnet_lab_pos pos, struct jnet_err *e, int code,
    const char *fmt, va_list ap)
{
	char buf[sizeof(e->msg)];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	return jnet_err_set(e, code, "", "%s:%u:%u: %s", file, pos.line, pos.col, buf);
}

static int
perr(struct pctx *p, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = verr(p->file, npos(n), p->e, EINVAL, fmt, ap);
	va_end(ap);
	return r;
}

static int perr_pos(struct pctx *p, struct jnet_lab_pos pos, const char *fmt, ...)
	JNET_PRINTF(3, 4);

static int
perr_pos(struct pctx *p, struct jnet_lab_pos pos, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = verr(p->file, pos, p->e, EINVAL, fmt, ap);
	va_end(ap);
	return r;
}

int
jnet_lab_err(const struct jnet_lab *lab, struct jnet_lab_pos pos, struct jnet_err *e,
    int code, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = verr(lab->file ? lab->file : "<lab>", pos, e, code, fmt, ap);
	va_end(ap);
	return r;
}

static yaml_node_t *
node(struct pctx *p, int id)
{
	return yaml_document_get_node(p->doc, id);
}

static const char *
sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool
all_digits(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* YAML 1.2 core schema, applied to plain scalars only. */
static enum kind
kind_of(const yaml_node_t *n)
{
	const char *s;

	if (n->type == YAML_MAPPING_NODE)
		return K_MAP;
	if (n->type == YAML_SEQUENCE_NODE)
		return K_SEQ;
	if (n->type != YAML_SCALAR_NODE)
		return K_NULL;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return K_STR;
	s = sval(n);
	if (s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0)
		return K_NULL;
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0 ||
	    strcmp(s, "false") == 0 || strcmp(s, "False") == 0 || strcmp(s, "FALSE") == 0)
		return K_BOOL;
	if (all_digits(s))
		return K_INT;
	return K_STR;
}

/* Check the node's kind. A string is wanted: integers qualify (a name may be "42"). */
static int
want(struct pctx *p, const yaml_node_t *n, enum kind k, const char *what)
{
	enum kind got = kind_of(n);

	if (got == k || (k == K_STR && got == K_INT))
		return 0;
	return perr(p, n, "%s must be %s, not %s", what, kind_names[k], kind_names[got]);
}

static int
get_str(struct pctx *p, const yaml_node_t *n, const char *what, const char **out)
{
	int r = want(p, n, K_STR, what);

	if (r < 0)
		return r;
	if (strlen(sval(n)) != n->data.scalar.length)
		return perr(p, n, "%s contains a NUL character", what);
	*out = sval(n);
	return 0;
}

/* A list, or null meaning an empty list. Returns the item count or -errno. */
static int
get_list(struct pctx *p, const yaml_node_t *n, const char *what)
{
	if (n == NULL || kind_of(n) == K_NULL)
		return 0;
	if (want(p, n, K_SEQ, what) < 0)
		return -EINVAL;
	return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *
item(struct pctx *p, const yaml_node_t *seq, int i)
{
	return node(p, seq->data.sequence.items.start[i]);
}

/* The fixed keys of one mapping. */
struct field {
	const char *key;
	yaml_node_t *k;
	yaml_node_t *v;
};

/*
 * Fill f[i].k/.v from mapping `map` (null counts as an empty mapping). Refuses keys that
 * are not strings, unknown keys (listing the allowed ones) and duplicate keys.
 */
static int
fields(struct pctx *p, const yaml_node_t *map, const char *what, struct field *f, size_t nf)
{
	char allowed[256];
	size_t len = 0;

	for (size_t i = 0; i < nf; i++)
		f[i].k = f[i].v = NULL;
	if (kind_of(map) == K_NULL)
		return 0;
	if (want(p, map, K_MAP, what) < 0)
		return -EINVAL;
	allowed[0] = '\0';
	for (size_t i = 0; i < nf; i++)
		len += (size_t)snprintf(allowed + len, sizeof(allowed) - len, "%s%s",
		    i ? ", " : "", f[i].key);
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
	    pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = node(p, pr->key);
		const char *s;
		size_t i;

		if (get_str(p, k, "a key", &s) < 0)
			return -EINVAL;
		for (i = 0; i < nf; i++)
			if (strcmp(s, f[i].key) == 0)
				break;
		if (i == nf)
			return perr(p, k, "unknown key '%s' in %s (allowed: %s)", s, what, allowed);
		if (f[i].k != NULL)
			return perr(p, k, "duplicate key '%s' (first at line %u, column %u)", s,
			    npos(f[i].k).line, npos(f[i].k).col);
		f[i].k = k;
		f[i].v = node(p, pr->value);
	}
	return 0;
}

static bool
word_dash(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

/* Lab and bridge names: [A-Za-z0-9_-]{1,max}, not starting with '-' (it reads as an option). */
static int
check_word_name(struct pctx *p, const yaml_node_t *n, const char *what, const char *s,
    size_t max)
{
	if (s[0] == '\0')
		return perr(p, n, "%s name is empty", what);
	if (!word_dash(s))
		return perr(p, n, "%s name '%s' may contain only letters, digits, '_' and '-'",
		    what, s);
	if (s[0] == '-')
		return perr(p, n, "%s name '%s' must not start with '-'", what, s);
	if (strlen(s) > max)
		return perr(p, n, "%s name '%s' is longer than %zu characters", what, s, max);
	return 0;
}

/* Addresses. */

/* Addresses: jnet_addr_parse (addr.c), with the error at the node. */
static int
parse_addr(struct pctx *p, const yaml_node_t *n, enum jnet_addr_use use, const char *what,
    struct jnet_lab_addr *a)
{
	struct jnet_err e;
	const char *s;

	if (get_str(p, n, what, &s) < 0)
		return -EINVAL;
	if (jnet_addr_parse(s, use, what, a, &e) < 0)
		return perr(p, n, "%s", e.msg);
	a->pos = npos(n);
	return 0;
}

/* Interfaces (bridge ports and link ends share mac/mtu/address). */

static struct jnet_lab_iface *
iface_new(struct pctx *p, int j, const yaml_node_t *at)
{
	struct jnet_lab_jail *jl = &p->lab->jails[j];
	struct jnet_lab_iface *f;

	if (jl->nifaces >= JNET_MAXLINKS) {
		perr(p, at, "jail '%s' has more than %d interfaces", jl->name, JNET_MAXLINKS);
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
	f->pos = npos(at);
	return f;
}

static int
iface_common(struct pctx *p, struct jnet_lab_iface *f, yaml_node_t *addr, yaml_node_t *mac,
    yaml_node_t *mtu)
{
	const struct jnet_lab_addr *v6 = NULL;

	if (addr != NULL && kind_of(addr) != K_NULL) {
		int n = kind_of(addr) == K_SEQ ?
		    (int)(addr->data.sequence.items.top - addr->data.sequence.items.start) : 1;

		if (n > JNET_LAB_MAXADDRS)
			return perr(p, addr, "more than %d addresses on one interface",
			    JNET_LAB_MAXADDRS);
		f->addrs = calloc((size_t)(n ? n : 1), sizeof(*f->addrs));
		if (f->addrs == NULL)
			return jnet_err_set(p->e, ENOMEM, "", "out of memory");
		for (int i = 0; i < n; i++) {
			yaml_node_t *an = kind_of(addr) == K_SEQ ? item(p, addr, i) : addr;
			struct jnet_lab_addr *a = &f->addrs[i];

			if (kind_of(an) == K_SEQ || kind_of(an) == K_MAP)
				return perr(p, an, "an address must be a string, not %s",
				    kind_names[kind_of(an)]);
			if (parse_addr(p, an, JNET_ADDR_IFACE, "address", a) < 0)
				return -EINVAL;
			for (int k = 0; k < i; k++)
				if (f->addrs[k].family == a->family &&
				    memcmp(f->addrs[k].addr, a->addr, 16) == 0)
					return perr(p, an, "address %s is listed twice (first at line %u, column %u)",
					    a->text, f->addrs[k].pos.line, f->addrs[k].pos.col);
			if (a->family == AF_INET6 && v6 == NULL)
				v6 = a;
			f->naddrs++;
		}
	}
	if (mac != NULL) {
		const char *s;
		struct jnet_err e2;

		if (get_str(p, mac, "'mac'", &s) < 0)
			return -EINVAL;
		if (jnet_mac_parse(s, f->mac, &e2) < 0)
			return perr(p, mac, "mac '%s': %s", s, e2.msg);
		f->has_mac = true;
		f->mac_pos = npos(mac);
	}
	if (mtu != NULL) {
		const char *s;
		long v;

		if (want(p, mtu, K_INT, "'mtu'") < 0)
			return -EINVAL;
		s = sval(mtu);
		v = strlen(s) > 7 ? -1 : strtol(s, NULL, 10);
		if (v < JNET_LAB_MTU_MIN || v > JNET_LAB_MTU_MAX)
			return perr(p, mtu, "mtu %s is out of range (%d..%d)", s, JNET_LAB_MTU_MIN,
			    JNET_LAB_MTU_MAX);
		if (v6 != NULL && v < JNET_LAB_MTU_MIN6)
			return perr(p, mtu,
			    "mtu %ld is below %d, the IPv6 minimum, and the interface has IPv6 address %s",
			    v, JNET_LAB_MTU_MIN6, v6->text);
		f->mtu = (unsigned)v;
	}
	return 0;
}

/* Name indexes: sorted pointers, ties in file order, for duplicates and lookups. */

static int
jail_cmp(const void *a, const void *b)
{
	const struct jnet_lab_jail *x = *(const struct jnet_lab_jail *const *)a;
	const struct jnet_lab_jail *y = *(const struct jnet_lab_jail *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x < y ? -1 : x > y);
}

static int
bridge_cmp(const void *a, const void *b)
{
	const struct jnet_lab_bridge *x = *(const struct jnet_lab_bridge *const *)a;
	const struct jnet_lab_bridge *y = *(const struct jnet_lab_bridge *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x < y ? -1 : x > y);
}

static int
find_jail(struct pctx *p, const char *name)
{
	int lo = 0, hi = p->lab->njails;

	while (lo < hi) {
		int mid = (lo + hi) / 2, c = strcmp(p->jail_idx[mid]->name, name);

		if (c == 0)
			return (int)(p->jail_idx[mid] - p->lab->jails);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
find_bridge(struct pctx *p, const char *name)
{
	int lo = 0, hi = p->lab->nbridges;

	while (lo < hi) {
		int mid = (lo + hi) / 2, c = strcmp(p->bridge_idx[mid]->name, name);

		if (c == 0)
			return (int)(p->bridge_idx[mid] - p->lab->bridges);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static bool
pos_before(struct jnet_lab_pos a, struct jnet_lab_pos b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

/*
 * After sorting, equal names are adjacent in file order. Report the duplicate whose second
 * occurrence comes first in the file, so the message is the one a reader meets first.
 */
#define CHECK_DUPS(p, idx, n, what) do {                                              \
	int _best = -1;                                                               \
	for (int _i = 1; _i < (n); _i++)                                              \
		if (strcmp((idx)[_i]->name, (idx)[_i - 1]->name) == 0 &&              \
		    (_best < 0 || pos_before((idx)[_i]->pos, (idx)[_best]->pos)))     \
			_best = _i;                                                   \
	if (_best >= 0) {                                                             \
		int _f = _best - 1;                                                   \
		while (_f > 0 && strcmp((idx)[_f - 1]->name, (idx)[_best]->name) == 0) \
			_f--;                                                         \
		return perr_pos((p), (idx)[_best]->pos,                               \
		    "duplicate " what " '%s' (first at line %u, column %u)",          \
		    (idx)[_best]->name, (idx)[_f]->pos.line, (idx)[_f]->pos.col);      \
	}                                                                             \
} while (0)

/* Sections. */

static int
parse_bridges(struct pctx *p, yaml_node_t *map)
{
	struct jnet_lab *lab = p->lab;
	size_t n;

	if (map == NULL || kind_of(map) == K_NULL)
		return 0;
	if (want(p, map, K_MAP, "'bridges'") < 0)
		return -EINVAL;
	n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	lab->bridges = calloc(n ? n : 1, sizeof(*lab->bridges));
	p->bridge_idx = calloc(n ? n : 1, sizeof(*p->bridge_idx));
	if (lab->bridges == NULL || p->bridge_idx == NULL)
		return jnet_err_set(p->e, ENOMEM, "", "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *pr = &map->data.mapping.pairs.start[i];
		yaml_node_t *k = node(p, pr->key), *v = node(p, pr->value);
		struct jnet_lab_bridge *b = &lab->bridges[i];
		struct field f[] = { { "uplink", NULL, NULL },
			{ "vni", NULL, NULL } }; /* vni: lab_hosts.c */
		char what[64];
		const char *s;

		if (get_str(p, k, "a bridge name", &s) < 0 ||
		    check_word_name(p, k, "bridge", s, JNET_LAB_BRIDGENAMEMAX) < 0)
			return -EINVAL;
		jnet_strlcpy(b->name, s, sizeof(b->name));
		b->pos = npos(k);
		snprintf(what, sizeof(what), "bridge '%s'", b->name);
		if (fields(p, v, what, f, 2) < 0)
			return -EINVAL;
		if (f[0].v != NULL) {
			struct jnet_err e2;

			if (get_str(p, f[0].v, "'uplink'", &s) < 0)
				return -EINVAL;
			if (jnet_uplink_check(s, &e2) < 0)
				return perr(p, f[0].v, "uplink '%s': %s", s, e2.msg);
			for (size_t o = 0; o < i; o++)
				if (strcmp(lab->bridges[o].uplink, s) == 0)
					return perr(p, f[0].v,
					    "uplink '%s' is already the uplink of bridge '%s' (line %u); an interface can be on one bridge only",
					    s, lab->bridges[o].name, lab->bridges[o].pos.line);
			jnet_strlcpy(b->uplink, s, sizeof(b->uplink));
		}
		p->bridge_idx[i] = b;
		lab->nbridges++;
	}
	qsort(p->bridge_idx, n, sizeof(*p->bridge_idx), bridge_cmp);
	CHECK_DUPS(p, p->bridge_idx, lab->nbridges, "bridge");
	return 0;
}

static int
parse_jail_names(struct pctx *p, yaml_node_t *map)
{
	struct jnet_lab *lab = p->lab;
	size_t n;

	if (map == NULL || kind_of(map) == K_NULL)
		return 0;
	if (want(p, map, K_MAP, "'jails'") < 0)
		return -EINVAL;
	n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	lab->jails = calloc(n ? n : 1, sizeof(*lab->jails));
	p->jail_idx = calloc(n ? n : 1, sizeof(*p->jail_idx));
	p->jail_routes = calloc(n ? n : 1, sizeof(*p->jail_routes));
	p->iface_cap = calloc(n ? n : 1, sizeof(*p->iface_cap));
	if (lab->jails == NULL || p->jail_idx == NULL || p->jail_routes == NULL ||
	    p->iface_cap == NULL)
		return jnet_err_set(p->e, ENOMEM, "", "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *k = node(p, map->data.mapping.pairs.start[i].key);
		struct jnet_lab_jail *j = &lab->jails[i];
		struct jnet_err e2;
		const char *s;

		if (get_str(p, k, "a jail name", &s) < 0)
			return -EINVAL;
		if (s[0] == '\0')
			return perr(p, k, "jail name is empty");
		/* On FreeBSD "<lab>.a.b" would be a grandchild jail needing a jail "<lab>.a". */
		if (strchr(s, '.') != NULL)
			return perr(p, k,
			    "jail name '%s' must not contain '.' (FreeBSD reads dots as a jail hierarchy)",
			    s);
		/* The kernel's limits are wider (a netns name is a file name: 255; the longest
		 * link tag with a 200-character jail name is 241 of IFALIASZ's 255): jnet's
		 * JNET_JAILNAME_MAX is the one that binds. */
		if (strlen(lab->name) + 1 + strlen(s) > JNET_JAILNAME_MAX)
			return perr(p, k,
			    "jail name '%s' is too long: '%s.<jail>' would have %zu characters, at most %d",
			    s, lab->name, strlen(lab->name) + 1 + strlen(s), JNET_JAILNAME_MAX);
		jnet_strlcpy(j->name, s, sizeof(j->name));
		snprintf(j->scoped, sizeof(j->scoped), "%s.%s", lab->name, s);
		if (jnet_jail_name_check(j->scoped, &e2) < 0)
			return perr(p, k, "invalid jail name '%s': %s", s, e2.msg);
		j->pos = npos(k);
		p->jail_idx[i] = j;
		lab->njails++;
	}
	qsort(p->jail_idx, n, sizeof(*p->jail_idx), jail_cmp);
	CHECK_DUPS(p, p->jail_idx, lab->njails, "jail");
	return 0;
}

static int
parse_jail_bodies(struct pctx *p, yaml_node_t *map)
{
	struct jnet_lab *lab = p->lab;

	for (int ji = 0; ji < lab->njails; ji++) {
		yaml_node_t *v = node(p, map->data.mapping.pairs.start[ji].value);
		struct jnet_lab_jail *j = &lab->jails[ji];
		struct field f[] = { { "interfaces", NULL, NULL }, { "routes", NULL, NULL },
			{ "forwarding", NULL, NULL }, { "host", NULL, NULL } }; /* host: lab_hosts.c */
		char what[JNET_JAILNAMSIZ + 16];
		int n;

		snprintf(what, sizeof(what), "jail '%s'", j->name);
		if (fields(p, v, what, f, 4) < 0)
			return -EINVAL;
		if (f[2].v != NULL) {
			if (want(p, f[2].v, K_BOOL, "'forwarding'") < 0)
				return -EINVAL;
			j->forwarding = sval(f[2].v)[0] == 't' || sval(f[2].v)[0] == 'T';
		}
		p->jail_routes[ji] = f[1].v;
		if ((n = get_list(p, f[0].v, "'interfaces'")) < 0)
			return n;
		for (int i = 0; i < n; i++) {
			yaml_node_t *in = item(p, f[0].v, i);
			struct field g[] = { { "bridge", NULL, NULL }, { "address", NULL, NULL },
				{ "mac", NULL, NULL }, { "mtu", NULL, NULL } };
			struct jnet_lab_iface *fc;
			const char *s;
			int b;

			if (want(p, in, K_MAP, "an 'interfaces' entry") < 0 ||
			    fields(p, in, "an interface", g, 4) < 0)
				return -EINVAL;
			if (g[0].v == NULL)
				return perr(p, in, "interface of jail '%s' has no 'bridge' (links between two jails go under 'links')",
				    j->name);
			if (get_str(p, g[0].v, "'bridge'", &s) < 0)
				return -EINVAL;
			if ((b = find_bridge(p, s)) < 0)
				return perr(p, g[0].v, "bridge '%s' is not defined under 'bridges'", s);
			if ((fc = iface_new(p, ji, in)) == NULL)
				return -p->e->code;
			fc->bridge = b;
			lab->bridges[b].nports++;
			if (iface_common(p, fc, g[1].v, g[2].v, g[3].v) < 0)
				return -p->e->code;
		}
		j->nbridged = j->nifaces;
	}
	return 0;
}

static int
parse_links(struct pctx *p, yaml_node_t *seq)
{
	struct jnet_lab *lab = p->lab;
	int n = get_list(p, seq, "'links'");

	if (n <= 0)
		return n;
	lab->links = calloc((size_t)n, sizeof(*lab->links));
	if (lab->links == NULL)
		return jnet_err_set(p->e, ENOMEM, "", "out of memory");
	for (int li = 0; li < n; li++) {
		yaml_node_t *ln = item(p, seq, li);
		struct jnet_lab_link *l = &lab->links[li];
		int ne;

		if (kind_of(ln) != K_SEQ)
			return perr(p, ln, "a link must be a list of two ends, not %s",
			    kind_names[kind_of(ln)]);
		ne = (int)(ln->data.sequence.items.top - ln->data.sequence.items.start);
		if (ne != 2)
			return perr(p, ln, "a link must have exactly two ends, not %d", ne);
		l->pos = npos(ln);
		for (int s = 0; s < 2; s++) {
			yaml_node_t *en = item(p, ln, s);
			struct field g[] = { { "jail", NULL, NULL }, { "address", NULL, NULL },
				{ "mac", NULL, NULL }, { "mtu", NULL, NULL } };
			struct jnet_lab_iface *fc;
			const char *name;
			int j;

			if (want(p, en, K_MAP, "a link end") < 0 ||
			    fields(p, en, "a link end", g, 4) < 0)
				return -EINVAL;
			if (g[0].v == NULL)
				return perr(p, en, "link end has no 'jail'");
			if (get_str(p, g[0].v, "'jail'", &name) < 0)
				return -EINVAL;
			if ((j = find_jail(p, name)) < 0)
				return perr(p, g[0].v, "jail '%s' is not defined under 'jails'", name);
			if (s == 1 && j == l->jail[0])
				return perr(p, g[0].v, "link joins jail '%s' to itself", name);
			if ((fc = iface_new(p, j, en)) == NULL)
				return -p->e->code;
			fc->link = li;
			l->jail[s] = j;
			l->iface[s] = fc->index;
			if (iface_common(p, fc, g[1].v, g[2].v, g[3].v) < 0)
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

static int
parse_routes(struct pctx *p, int ji)
{
	struct jnet_lab_jail *j = &p->lab->jails[ji];
	yaml_node_t *seq = p->jail_routes[ji];
	int n = get_list(p, seq, "'routes'");

	if (n <= 0)
		return n;
	if (n > JNET_LAB_MAXROUTES)
		return perr(p, seq, "jail '%s' has more than %d routes", j->name, JNET_LAB_MAXROUTES);
	j->routes = calloc((size_t)n, sizeof(*j->routes));
	if (j->routes == NULL)
		return jnet_err_set(p->e, ENOMEM, "", "out of memory");
	for (int ri = 0; ri < n; ri++) {
		yaml_node_t *rn = item(p, seq, ri);
		struct jnet_lab_route *r = &j->routes[ri];
		struct field g[] = { { "to", NULL, NULL }, { "via", NULL, NULL } };
		const char *fam;
		char list[400];

		if (want(p, rn, K_MAP, "a 'routes' entry") < 0 || fields(p, rn, "a route", g, 2) < 0)
			return -EINVAL;
		if (g[0].v == NULL)
			return perr(p, rn, "route has no 'to' (default or a network such as 10.1.0.0/24)");
		if (g[1].v == NULL)
			return perr(p, rn, "route has no 'via' (the next hop's address)");
		r->pos = npos(rn);
		if (parse_addr(p, g[1].v, JNET_ADDR_VIA, "'via'", &r->via) < 0)
			return -EINVAL;
		fam = r->via.family == AF_INET ? "IPv4" : "IPv6";
		if (kind_of(g[0].v) == K_STR && strcmp(sval(g[0].v), "default") == 0) {
			r->is_default = true;
			r->dst.family = r->via.family;
			r->dst.pos = npos(g[0].v);
			jnet_addr_text(&r->dst, true);
		} else {
			if (parse_addr(p, g[0].v, JNET_ADDR_ROUTE_DST, "'to'", &r->dst) < 0)
				return -EINVAL;
			if (r->dst.family != r->via.family)
				return perr(p, g[1].v, "route to %s via %s: address families differ",
				    r->dst.text, r->via.text);
		}
		r->iface = -1;
		for (int i = 0; i < j->nifaces && r->iface < 0; i++)
			for (int k = 0; k < j->ifaces[i].naddrs; k++) {
				const struct jnet_lab_addr *a = &j->ifaces[i].addrs[k];

				if (a->family != r->via.family)
					continue;
				if (memcmp(a->addr, r->via.addr, 16) == 0)
					return perr(p, g[1].v, "route via %s: that is an address of jail '%s' itself",
					    r->via.text, j->name);
				if (jnet_addr_prefix_match(a->addr, r->via.addr, a->prefix)) {
					r->iface = i;
					break;
				}
			}
		if (r->iface < 0) {
			family_addrs(j, r->via.family, list, sizeof(list));
			if (list[0] == '\0')
				return perr(p, g[1].v, "route via %s: jail '%s' has no %s address",
				    r->via.text, j->name, fam);
			return perr(p, g[1].v, "route via %s is not on any subnet of jail '%s' (%s)",
			    r->via.text, j->name, list);
		}
		/* The kernel refuses (EEXIST) a gateway route to a subnet the jail is on: its
		 * connected route is there already. */
		for (int i = 0; !r->is_default && i < j->nifaces; i++)
			for (int k = 0; k < j->ifaces[i].naddrs; k++) {
				const struct jnet_lab_addr *a = &j->ifaces[i].addrs[k];

				if (a->family == r->dst.family && a->prefix == r->dst.prefix &&
				    jnet_addr_prefix_match(a->addr, r->dst.addr, a->prefix))
					return perr(p, g[0].v,
					    "route to %s: jail '%s' is on that subnet itself (address %s at line %u, column %u): the kernel has a route to it already",
					    r->dst.text, j->name, a->text, a->pos.line, a->pos.col);
			}
		for (int o = 0; o < ri; o++) {
			const struct jnet_lab_route *q = &j->routes[o];

			if (q->dst.family == r->dst.family && q->dst.prefix == r->dst.prefix &&
			    memcmp(q->dst.addr, r->dst.addr, 16) == 0)
				return perr(p, rn, "duplicate route to %s (first at line %u, column %u)",
				    r->dst.text, q->pos.line, q->pos.col);
		}
		j->nroutes++;
	}
	return 0;
}

/*
 * An address may appear once per layer-2 segment (a bridge, a link) and once per jail:
 * two equal addresses there break ARP/ND or the jail's own routing. Equal addresses on
 * separate segments of separate jails are allowed (isolated networks may reuse a plan).
 */
struct aref {
	const struct jnet_lab_addr *a;
	int jail;
	int segment;       /* bridge index, or nbridges + link index */
};

static int
aref_cmp(const void *x, const void *y)
{
	const struct aref *a = x, *b = y;
	int c = a->a->family - b->a->family;

	if (c == 0)
		c = memcmp(a->a->addr, b->a->addr, 16);
	if (c == 0)
		c = pos_before(a->a->pos, b->a->pos) ? -1 : pos_before(b->a->pos, a->a->pos);
	return c;
}

static int
check_dup_addrs(struct pctx *p)
{
	struct jnet_lab *lab = p->lab;
	struct aref *v;
	size_t n = 0, k = 0;
	int r = 0;

	for (int j = 0; j < lab->njails; j++)
		for (int i = 0; i < lab->jails[j].nifaces; i++)
			n += (size_t)lab->jails[j].ifaces[i].naddrs;
	if (n < 2)
		return 0;
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return jnet_err_set(p->e, ENOMEM, "", "out of memory");
	for (int j = 0; j < lab->njails; j++)
		for (int i = 0; i < lab->jails[j].nifaces; i++) {
			const struct jnet_lab_iface *f = &lab->jails[j].ifaces[i];

			for (int a = 0; a < f->naddrs; a++)
				v[k++] = (struct aref){ &f->addrs[a], j,
				    f->bridge >= 0 ? f->bridge : lab->nbridges + f->link };
		}
	qsort(v, n, sizeof(*v), aref_cmp);
	/* Among all conflicts, report the one whose later address comes first in the file. */
	{
		size_t bi = 0, bj = 0;
		bool found = false;

		for (size_t s = 0, e; s < n; s = e) {
			for (e = s + 1; e < n && v[e].a->family == v[s].a->family &&
			    memcmp(v[e].a->addr, v[s].a->addr, 16) == 0; e++)
				;
			for (size_t y = s + 1; y < e; y++)
				for (size_t x = s; x < y; x++)
					if ((v[x].jail == v[y].jail || v[x].segment == v[y].segment) &&
					    (!found || pos_before(v[y].a->pos, v[bj].a->pos))) {
						bi = x;
						bj = y;
						found = true;
						break;
					}
		}
		if (found) {
			const struct aref *x = &v[bi], *y = &v[bj];
			char where[JNET_JAILNAMSIZ + 32];

			if (y->segment != x->segment)
				snprintf(where, sizeof(where), "in jail '%s'", lab->jails[y->jail].name);
			else if (y->segment < lab->nbridges)
				snprintf(where, sizeof(where), "on bridge '%s'",
				    lab->bridges[y->segment].name);
			else
				snprintf(where, sizeof(where), "on the same link");
			r = perr_pos(p, y->a->pos, "address %s is already used %s (line %u, column %u)",
			    y->a->text, where, x->a->pos.line, x->a->pos.col);
		}
	}
	free(v);
	return r;
}

/*
 * An explicit MAC may appear once per layer-2 segment (a bridge, a link), as an address:
 * two equal MACs on one bridge make its forwarding table flap between the two ports.
 */
struct mref {
	const struct jnet_lab_iface *f;
	int segment;
};

static int
mref_cmp(const void *x, const void *y)
{
	const struct mref *a = x, *b = y;
	int c = a->segment - b->segment;

	if (c == 0)
		c = memcmp(a->f->mac, b->f->mac, 6);
	if (c == 0)
		c = pos_before(a->f->mac_pos, b->f->mac_pos) ? -1 :
		    pos_before(b->f->mac_pos, a->f->mac_pos);
	return c;
}

static int
check_dup_macs(struct pctx *p)
{
	struct jnet_lab *lab = p->lab;
	struct mref *v;
	size_t n = 0, k = 0;
	const struct mref *bx = NULL, *by = NULL;
	char mac[JNET_MACSTRLEN], where[64];
	int r = 0;

	for (int j = 0; j < lab->njails; j++)
		for (int i = 0; i < lab->jails[j].nifaces; i++)
			n += lab->jails[j].ifaces[i].has_mac;
	if (n < 2)
		return 0;
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return jnet_err_set(p->e, ENOMEM, "", "out of memory");
	for (int j = 0; j < lab->njails; j++)
		for (int i = 0; i < lab->jails[j].nifaces; i++) {
			const struct jnet_lab_iface *f = &lab->jails[j].ifaces[i];

			if (f->has_mac)
				v[k++] = (struct mref){ f,
				    f->bridge >= 0 ? f->bridge : lab->nbridges + f->link };
		}
	qsort(v, n, sizeof(*v), mref_cmp);
	/* Report the conflict whose later MAC comes first in the file. */
	for (size_t y = 1; y < n; y++)
		if (v[y].segment == v[y - 1].segment && memcmp(v[y].f->mac, v[y - 1].f->mac, 6) == 0 &&
		    (by == NULL || pos_before(v[y].f->mac_pos, by->f->mac_pos))) {
			size_t x = y - 1;

			while (x > 0 && v[x - 1].segment == v[y].segment &&
			    memcmp(v[x - 1].f->mac, v[y].f->mac, 6) == 0)
				x--;
			bx = &v[x];
			by = &v[y];
		}
	if (by != NULL) {
		jnet_mac_format(by->f->mac, mac);
		if (by->segment < lab->nbridges)
			snprintf(where, sizeof(where), "on bridge '%s'", lab->bridges[by->segment].name);
		else
			snprintf(where, sizeof(where), "on the same link");
		r = perr_pos(p, by->f->mac_pos, "mac %s is already used %s (line %u, column %u)",
		    mac, where, bx->f->mac_pos.line, bx->f->mac_pos.col);
	}
	free(v);
	return r;
}

static int
parse_root(struct pctx *p, yaml_node_t *root)
{
	struct jnet_lab *lab = p->lab;
	struct field f[] = { { "lab", NULL, NULL }, { "backend", NULL, NULL },
		{ "bridges", NULL, NULL }, { "jails", NULL, NULL }, { "links", NULL, NULL },
		{ "hosts", NULL, NULL } }; /* hosts: lab_hosts.c */
	const char *s;
	int r;

	if (kind_of(root) != K_MAP)
		return perr(p, root, "a lab file must be a mapping (with 'lab', 'bridges', 'jails', 'links'), not %s",
		    kind_names[kind_of(root)]);
	if (fields(p, root, "the lab", f, 6) < 0)
		return -EINVAL;
	if (f[0].v == NULL)
		return perr(p, root, "missing 'lab' (the lab's name)");
	if (get_str(p, f[0].v, "'lab'", &s) < 0 ||
	    check_word_name(p, f[0].v, "lab", s, JNET_LAB_NAMEMAX) < 0)
		return -EINVAL;
	jnet_strlcpy(lab->name, s, sizeof(lab->name));
	if (f[1].v != NULL) {
		size_t i;

		if (get_str(p, f[1].v, "'backend'", &s) < 0)
			return -EINVAL;
		for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
			if (strcmp(s, backends[i]) == 0)
				break;
		if (i == sizeof(backends) / sizeof(backends[0]))
			return perr(p, f[1].v, "unknown backend '%s' (known: netns, epair, netgraph)", s);
		jnet_strlcpy(lab->backend, s, sizeof(lab->backend));
	}
	if ((r = parse_bridges(p, f[2].v)) < 0 || (r = parse_jail_names(p, f[3].v)) < 0)
		return r;
	if (lab->njails > 0 && (r = parse_jail_bodies(p, f[3].v)) < 0)
		return r;
	if ((r = parse_links(p, f[4].v)) < 0)
		return r;
	for (int j = 0; j < lab->njails; j++)
		if ((r = parse_routes(p, j)) < 0)
			return r;
	if ((r = check_dup_addrs(p)) < 0 || (r = check_dup_macs(p)) < 0)
		return r;
	return jnet_lab_hosts_parse(p->doc, lab, p->e);
}

/* libyaml's own errors, as FILE:LINE:COL. Reader errors carry a byte offset only. */
static int
yaml_error(yaml_parser_t *ps, const char *file, const char *text, size_t len,
    struct jnet_err *e)
{
	struct jnet_lab_pos pos = { 1, 1 };
	const char *what = ps->problem ? ps->problem : "YAML error";

	if (ps->error == YAML_MEMORY_ERROR)
		return jnet_err_set(e, ENOMEM, "", "%s: out of memory", file);
	if (ps->error == YAML_READER_ERROR) {
		for (size_t i = 0; i < ps->problem_offset && i < len; i++) {
			if (text[i] == '\n') {
				pos.line++;
				pos.col = 1;
			} else {
				pos.col++;
			}
		}
		if (ps->problem_value != -1)
			return jnet_err_set(e, EINVAL, "", "%s:%u:%u: %s (#%X)", file, pos.line,
			    pos.col, what, (unsigned)ps->problem_value);
		return jnet_err_set(e, EINVAL, "", "%s:%u:%u: %s", file, pos.line, pos.col, what);
	}
	pos.line = (unsigned)ps->problem_mark.line + 1;
	pos.col = (unsigned)ps->problem_mark.column + 1;
	if (ps->context != NULL)
		return jnet_err_set(e, EINVAL, "", "%s:%u:%u: %s (%s at line %zu, column %zu)",
		    file, pos.line, pos.col, what, ps->context, ps->context_mark.line + 1,
		    ps->context_mark.column + 1);
	return jnet_err_set(e, EINVAL, "", "%s:%u:%u: %s", file, pos.line, pos.col, what);
}

int
jnet_lab_parse_string(const char *text, size_t len, const char *filename,
    struct jnet_lab **out, struct jnet_err *e)
{
	yaml_parser_t ps;
	yaml_document_t doc, doc2;
	struct pctx p = { 0 };
	struct jnet_err scratch;
	yaml_node_t *root;
	int r;

	*out = NULL;
	if (e == NULL)
		e = &scratch;	/* the parser reads back e->code */
	if (filename == NULL)
		filename = "<string>";
	if (text == NULL)
		text = "";
	if (!yaml_parser_initialize(&ps))
		return jnet_err_set(e, ENOMEM, "", "%s: out of memory", filename);
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	if (!yaml_parser_load(&ps, &doc)) {
		r = yaml_error(&ps, filename, text, len, e);
		yaml_parser_delete(&ps);
		return r;
	}
	p.doc = &doc;
	p.file = filename;
	p.e = e;
	if ((root = yaml_document_get_root_node(&doc)) == NULL) {
		r = jnet_err_set(e, EINVAL, "", "%s:1:1: the lab file is empty", filename);
		goto out;
	}
	/* A second document would be silently ignored: refuse it. */
	if (!yaml_parser_load(&ps, &doc2)) {
		r = yaml_error(&ps, filename, text, len, e);
		goto out;
	}
	if (yaml_document_get_root_node(&doc2) != NULL) {
		yaml_node_t *r2 = yaml_document_get_root_node(&doc2);

		r = jnet_err_set(e, EINVAL, "", "%s:%zu:%zu: a lab file holds one YAML document; this is a second one",
		    filename, r2->start_mark.line + 1, r2->start_mark.column + 1);
		yaml_document_delete(&doc2);
		goto out;
	}
	yaml_document_delete(&doc2);
	if ((p.lab = calloc(1, sizeof(*p.lab))) == NULL ||
	    (p.lab->file = strdup(filename)) == NULL) {
		r = jnet_err_set(e, ENOMEM, "", "%s: out of memory", filename);
		goto out;
	}
	if ((r = parse_root(&p, root)) < 0)
		goto out;
	*out = p.lab;
	p.lab = NULL;
	r = 0;
out:
	jnet_lab_free(p.lab);
	free(p.jail_idx);
	free(p.bridge_idx);
	free(p.jail_routes);
	free(p.iface_cap);
	yaml_document_delete(&doc);
	yaml_parser_delete(&ps);
	return r;
}

int
jnet_lab_load(const char *path, struct jnet_lab **out, struct jnet_err *e)
{
	struct stat st;
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int r;

	*out = NULL;
	if ((f = fopen(path, "r")) == NULL)
		return jnet_err_sys(e, errno, path, "cannot open lab file");
	/* fopen opens a directory for reading; its read fails with EISDIR, not to be
	 * reported as an I/O error. */
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return jnet_err_sys(e, EISDIR, path, "cannot read lab file");
	}
	for (;;) {
		size_t got;

		if (cap - len < 4096) {
			char *nb;

			if (cap >= LAB_FILE_MAX) {
				r = jnet_err_set(e, EFBIG, path, "lab file larger than %u MiB",
				    LAB_FILE_MAX >> 20);
				goto out;
			}
			cap = cap ? 2 * cap : 65536;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				r = jnet_err_set(e, ENOMEM, path, "out of memory");
				goto out;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		r = jnet_err_sys(e, errno ? errno : EIO, path, "cannot read lab file");
		goto out;
	}
	r = jnet_lab_parse_string(buf, len, path, out, e);
out:
	free(buf);
	fclose(f);
	return r;
}

void
jnet_lab_free(struct jnet_lab *lab)
{
	if (lab == NULL)
		return;
	for (int j = 0; j < lab->njails; j++) {
		for (int i = 0; i < lab->jails[j].nifaces; i++)
			free(lab->jails[j].ifaces[i].addrs);
		free(lab->jails[j].ifaces);
		free(lab->jails[j].routes);
	}
	free(lab->jails);
	free(lab->bridges);
	free(lab->links);
	free(lab->hosts);
	free(lab->file);
	free(lab);
}

int
jnet_lab_jail_find(const struct jnet_lab *lab, const char *name)
{
	for (int j = 0; j < lab->njails; j++)
		if (strcmp(lab->jails[j].name, name) == 0)
			return j;
	return -1;
}

int
jnet_lab_bridge_find(const struct jnet_lab *lab, const char *name)
{
	for (int b = 0; b < lab->nbridges; b++)
		if (strcmp(lab->bridges[b].name, name) == 0)
			return b;
	return -1;
}
