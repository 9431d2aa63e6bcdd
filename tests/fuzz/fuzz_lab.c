/*
 * Lab files (src/lab.h), YAML and JSON, through jnet_lab_load(): the entry point of
 * `jnet lab` (cmd_lab.c), reading the input from a file. Properties:
 *   - never crashes or leaks; a refused file has code EINVAL and a message
 *     "FILE:LINE:COL: ..." with a plausible position;
 *   - an accepted lab passes the project's own validators and keeps the structure lab.h
 *     documents: names (jnet_jail_name_check on the scoped jail name,
 *     jnet_ifname_check on bridges and uplinks (a VLAN uplink PARENT:VID: on its interface), lab/bridge name rules), every interface
 *     name jnet_ifname makes for it, the ownership tags of its links, bridges (with
 *     uplink=IF and uplink-was=down, as tag.h documents) and jails (fit the kernel's
 *     255-byte alias and re-parse to the same fields), addresses (canonical text that
 *     re-parses to the same bytes, usable on an interface, no duplicates on a segment
 *     or in a jail), MACs (unicast, round-trip), MTUs, routes (no host bits, next hop on
 *     a subnet of the named interface), indexes and peers of links, port counts;
 *   - an accepted lab, written back as JSON (jansson, here) and parsed again, is the
 *     same lab (positions aside): JSON input types and reads the same way.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "lab.h"
#include "mac.h"
#include "names.h"
#include "tag.h"

static char path[128];
static int fd = -1;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char name[96];

	(void)argc;
	(void)argv;
#ifdef __linux__
	/* Linux: a memory file, read by its /proc name: nothing on disk, nothing left behind. */
	if ((fd = memfd_create("jnet-fuzz-lab", 0)) >= 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (access(path, R_OK) == 0)
			return 0;
		close(fd);
	}
#endif
	snprintf(name, sizeof(name), "%s/jnet-fuzz-lab-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if ((fd = mkstemp(name)) < 0) {
		perror(name);
		abort();
	}
	snprintf(path, sizeof(path), "%s", name);
	return 0;
}

/* Letters, digits, '_' and '-' only. */
static bool
word_dash(const char *s)
{
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")] ==
	    '\0';
}

static int
addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static bool
in_prefix(const uint8_t *a, const uint8_t *b, int prefix)
{
	for (int i = 0; i < prefix; i++)
		if ((a[i / 8] ^ b[i / 8]) & (0x80 >> (i % 8)))
			return false;
	return true;
}

static void
check_addr(const struct jnet_lab_addr *a, bool iface, bool via)
{
	char buf[INET6_ADDRSTRLEN], want[JNET_LAB_ADDRSTRLEN];
	uint8_t back[16] = { 0 };
	int max = a->family == AF_INET ? 32 : 128;

	FUZZ_CHECK(a->family == AF_INET || a->family == AF_INET6, "family %d", a->family);
	FUZZ_CHECK(a->prefix >= (iface ? 1 : 0) && a->prefix <= max, "%s: prefix %d", a->text,
	    a->prefix);
	for (int i = addr_len(a->family); i < 16; i++)
		FUZZ_CHECK(a->addr[i] == 0, "%s: bytes after the address", a->text);
	FUZZ_CHECK(inet_ntop(a->family, a->addr, buf, sizeof(buf)) != NULL, "inet_ntop");
	if (via) {
		FUZZ_CHECK(a->prefix == max, "via %s: prefix %d", a->text, a->prefix);
		snprintf(want, sizeof(want), "%s", buf);
	} else {
		snprintf(want, sizeof(want), "%s/%d", buf, a->prefix);
	}
	FUZZ_CHECK(strcmp(a->text, want) == 0, "text \"%s\", canonical \"%s\"", a->text, want);
	FUZZ_CHECK(inet_pton(a->family, buf, back) == 1 && memcmp(back, a->addr, 16) == 0,
	    "%s does not re-parse", a->text);
	FUZZ_CHECK(a->pos.line >= 1 && a->pos.col >= 1, "position");
	if (iface) {
		const uint8_t *b = a->addr;

		if (a->family == AF_INET) {
			FUZZ_CHECK(b[0] != 0 && b[0] != 127 && b[0] < 224, "%s: not unicast", a->text);
			if (a->prefix <= 30) {
				int hostbits = 32 - a->prefix;
				uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
				    (uint32_t)b[2] << 8 | b[3];
				uint32_t m = (uint32_t)((1ull << hostbits) - 1);

				FUZZ_CHECK((v & m) != 0 && (v & m) != m,
				    "%s: network or broadcast address", a->text);
			}
		} else {
			FUZZ_CHECK(b[0] != 0xff && !(b[0] == 0xfe && (b[1] & 0xc0) == 0x80),
			    "%s: multicast or link-local", a->text);
		}
	}
}

/* The ownership tag of an object of the lab re-parses to what was formatted. */
static void
check_tag(const struct jnet_tag *t)
{
	char s[JNET_TAGSIZ];
	struct jnet_tag u;

	FUZZ_CHECK(jnet_tag_format(s, sizeof(s), t) == 0 && strlen(s) <= 255,
	    "tag of \"%s\" does not fit the kernel's alias", t->name);
	FUZZ_CHECK(jnet_tag_parse(s, &u) == 0, "tag \"%s\" does not parse back", s);
	FUZZ_CHECK(u.kind == t->kind && strcmp(u.name, t->name) == 0 && u.index == t->index &&
	    u.end == t->end && strcmp(u.uplink, t->uplink) == 0 &&
	    u.uplink_was_down == t->uplink_was_down && u.vid == t->vid,
	    "tag \"%s\" parses back differently", s);
}

/* Bridge b: its name, its uplink, its tags. */
static void
check_bridge(const struct jnet_lab *lab, int b)
{
	struct jnet_err e;
	struct jnet_tag t;
	char up[JNET_IFNAMSIZ];
	const struct jnet_lab_bridge *br = &lab->bridges[b];

	FUZZ_CHECK(br->name[0] != '\0' && strlen(br->name) <= JNET_LAB_BRIDGENAMEMAX &&
	    word_dash(br->name) && br->name[0] != '-', "bridge name \"%s\"", br->name);
	FUZZ_CHECK(jnet_ifname_check(br->name, &e) == 0, "bridge \"%s\": %s", br->name,
	    e.msg);
	FUZZ_CHECK(jnet_lab_bridge_find(lab, br->name) == b, "duplicate bridge %s",
	    br->name);
	up[0] = '\0';
	if (br->uplink[0] != '\0') {
		char parent[JNET_IFNAMSIZ];
		int vid, v = jnet_vlan_spec(br->uplink, parent, &vid, &e);

		/* an interface, or PARENT:VID whose VLAN interface name fits */
		FUZZ_CHECK(v == 0 ? jnet_ifname_check(br->uplink, &e) == 0 : v == 1 &&
		    jnet_uplink_ifname(br->uplink, up, &e) == 1 &&
		    jnet_ifname_check(up, &e) == 0, "uplink \"%s\": %s", br->uplink, e.msg);
		if (v == 0)
			jnet_strlcpy(up, br->uplink, sizeof(up));
		if (v == 1) {
			jnet_tag_vlan(&t, "epair", lab->name, parent, vid);
			check_tag(&t);
		}
		for (int o = 0; o < b; o++)
			FUZZ_CHECK(strcmp(lab->bridges[o].uplink, br->uplink) != 0,
			    "uplink %s on two bridges", br->uplink);
	}
	/* the bridge's tag, as the backends write it, with the uplink recorded */
	for (int down = 0; down < 2; down++) {
		jnet_tag_bridge(&t, "netgraph", lab->name);
		jnet_strlcpy(t.uplink, up, sizeof(t.uplink));
		t.uplink_was_down = up[0] != '\0' && down;
		check_tag(&t);
	}
}

/* Interface i of jail j; counts bridge ports into ports[]. */
static void
check_iface(const struct jnet_lab *lab, int j, int i, int *ports)
{
	const struct jnet_lab_jail *jl = &lab->jails[j];
	struct jnet_err e;
	struct jnet_tag t;
	const struct jnet_lab_iface *f = &jl->ifaces[i];
	char ifn[JNET_IFNAMSIZ];
	bool v6 = false;

	FUZZ_CHECK(f->index == i, "%s iface %d has index %d", jl->name, i, f->index);
	for (int st = 0; st < 2; st++)
		for (int end = 0; end < 2; end++) {
			FUZZ_CHECK(jnet_ifname(ifn, st ? JNET_NAMES_NG : JNET_NAMES_PAIR,
			    jl->scoped, i, end ? 'b' : 'a') == 0 && strlen(ifn) <= 15 &&
			    jnet_ifname_check(ifn, &e) == 0, "ifname of %s %d", jl->scoped,
			    i);
			jnet_tag_link(&t, "netgraph", jl->scoped, i, end ? 'b' : 'a');
			t.count = JNET_MAXLINKS;
			t.born = 9999999999LL;
			check_tag(&t);
		}
	if (i < jl->nbridged) {
		FUZZ_CHECK(f->bridge >= 0 && f->bridge < lab->nbridges && f->link == -1 &&
		    f->peer_jail == -1 && f->peer_iface == -1, "bridge port %s %d",
		    jl->name, i);
		ports[f->bridge]++;
	} else {
		const struct jnet_lab_link *l;
		int s;

		FUZZ_CHECK(f->bridge == -1 && f->link >= 0 && f->link < lab->nlinks,
		    "link end %s %d", jl->name, i);
		l = &lab->links[f->link];
		s = l->jail[0] == j && l->iface[0] == i ? 0 : 1;
		FUZZ_CHECK(l->jail[s] == j && l->iface[s] == i, "link %d does not name %s %d",
		    f->link, jl->name, i);
		FUZZ_CHECK(f->peer_jail == l->jail[1 - s] && f->peer_iface == l->iface[1 - s],
		    "peer of %s %d", jl->name, i);
	}
	FUZZ_CHECK(f->naddrs >= 0 && f->naddrs <= JNET_LAB_MAXADDRS, "naddrs");
	for (int k = 0; k < f->naddrs; k++) {
		check_addr(&f->addrs[k], true, false);
		v6 |= f->addrs[k].family == AF_INET6;
		/* once per jail, and once per segment (below) */
		for (int i2 = 0; i2 <= i; i2++)
			for (int k2 = 0; k2 < (i2 == i ? k : jl->ifaces[i2].naddrs); k2++)
				FUZZ_CHECK(jl->ifaces[i2].addrs[k2].family != f->addrs[k].family ||
				    memcmp(jl->ifaces[i2].addrs[k2].addr, f->addrs[k].addr, 16) != 0,
				    "%s twice in jail %s", f->addrs[k].text, jl->name);
	}
	if (f->has_mac) {
		char m[JNET_MACSTRLEN];
		uint8_t back[6];

		FUZZ_CHECK(!(f->mac[0] & 1), "multicast MAC");
		jnet_mac_format(f->mac, m);
		FUZZ_CHECK(jnet_mac_parse(m, back, &e) == 0 && memcmp(back, f->mac, 6) == 0,
		    "MAC %s", m);
	}
	FUZZ_CHECK(f->mtu == 0 || (f->mtu >= (v6 ? JNET_LAB_MTU_MIN6 : JNET_LAB_MTU_MIN) &&
	    f->mtu <= JNET_LAB_MTU_MAX), "mtu %u", f->mtu);
}

/* Route r of jail jl. */
static void
check_route(const struct jnet_lab_jail *jl, int r)
{
	const struct jnet_lab_route *rt = &jl->routes[r];
	const struct jnet_lab_iface *f;
	bool on = false;

	check_addr(&rt->via, false, true);
	check_addr(&rt->dst, false, false);
	FUZZ_CHECK(rt->dst.family == rt->via.family, "route families");
	if (rt->is_default) {
		static const uint8_t zero[16];

		FUZZ_CHECK(rt->dst.prefix == 0 && memcmp(rt->dst.addr, zero, 16) == 0,
		    "default route %s", rt->dst.text);
	}
	for (int b = rt->dst.prefix; b < 128; b++)
		FUZZ_CHECK(!(rt->dst.addr[b / 8] & (0x80 >> (b % 8))),
		    "route %s has host bits", rt->dst.text);
	FUZZ_CHECK(rt->iface >= 0 && rt->iface < jl->nifaces, "route iface %d",
	    rt->iface);
	f = &jl->ifaces[rt->iface];
	for (int k = 0; k < f->naddrs; k++) {
		FUZZ_CHECK(f->addrs[k].family != rt->via.family ||
		    memcmp(f->addrs[k].addr, rt->via.addr, 16) != 0,
		    "route via the jail's own %s", rt->via.text);
		on |= f->addrs[k].family == rt->via.family &&
		    in_prefix(f->addrs[k].addr, rt->via.addr, f->addrs[k].prefix);
	}
	FUZZ_CHECK(on, "via %s not on a subnet of iface %d", rt->via.text, rt->iface);
	for (int o = 0; o < r; o++)
		FUZZ_CHECK(jl->routes[o].dst.family != rt->dst.family ||
		    jl->routes[o].dst.prefix != rt->dst.prefix ||
		    memcmp(jl->routes[o].dst.addr, rt->dst.addr, 16) != 0,
		    "duplicate route %s", rt->dst.text);
}

static void
check_jail(const struct jnet_lab *lab, int j, int *ports)
{
	struct jnet_err e;
	const struct jnet_lab_jail *jl = &lab->jails[j];
	char scoped[JNET_JAILNAMSIZ + 80];

	FUZZ_CHECK(jl->name[0] != '\0' && strchr(jl->name, '.') == NULL,
	    "jail name \"%s\"", jl->name);
	snprintf(scoped, sizeof(scoped), "%s.%s", lab->name, jl->name);
	FUZZ_CHECK(strcmp(scoped, jl->scoped) == 0, "scoped \"%s\"", jl->scoped);
	FUZZ_CHECK(jnet_jail_name_check(jl->scoped, &e) == 0, "jail \"%s\": %s",
	    jl->scoped, e.msg);
	FUZZ_CHECK(jnet_lab_jail_find(lab, jl->name) == j, "duplicate jail %s", jl->name);
	FUZZ_CHECK(jl->nifaces >= 0 && jl->nifaces <= JNET_MAXLINKS &&
	    jl->nbridged >= 0 && jl->nbridged <= jl->nifaces, "jail %s: %d ifaces",
	    jl->name, jl->nifaces);
	FUZZ_CHECK(jl->nroutes >= 0 && jl->nroutes <= JNET_LAB_MAXROUTES, "routes");
	for (int i = 0; i < jl->nifaces; i++)
		check_iface(lab, j, i, ports);
	for (int r = 0; r < jl->nroutes; r++)
		check_route(jl, r);
}

/* Point-to-point links: both ends, and no address twice on the link's segment. */
static void
check_links(const struct jnet_lab *lab)
{
	for (int l = 0; l < lab->nlinks; l++) {
		const struct jnet_lab_link *lk = &lab->links[l];

		for (int s = 0; s < 2; s++) {
			FUZZ_CHECK(lk->jail[s] >= 0 && lk->jail[s] < lab->njails &&
			    lk->iface[s] >= lab->jails[lk->jail[s]].nbridged &&
			    lk->iface[s] < lab->jails[lk->jail[s]].nifaces &&
			    lab->jails[lk->jail[s]].ifaces[lk->iface[s]].link == l, "link %d end %d",
			    l, s);
		}
		FUZZ_CHECK(lk->jail[0] != lk->jail[1], "link %d joins a jail to itself", l);
		/* no address twice on the link's segment */
		for (int k = 0; k < lab->jails[lk->jail[0]].ifaces[lk->iface[0]].naddrs; k++)
			for (int k2 = 0; k2 < lab->jails[lk->jail[1]].ifaces[lk->iface[1]].naddrs; k2++) {
				const struct jnet_lab_addr *x = &lab->jails[lk->jail[0]].ifaces[lk->iface[0]].addrs[k];
				const struct jnet_lab_addr *y = &lab->jails[lk->jail[1]].ifaces[lk->iface[1]].addrs[k2];

				FUZZ_CHECK(x->family != y->family || memcmp(x->addr, y->addr, 16) != 0,
				    "%s twice on link %d", x->text, l);
			}
	}
}

/* No address twice on one bridge. */
static void
check_bridge_addrs(const struct jnet_lab *lab)
{
	for (int j = 0; j < lab->njails; j++)
		for (int i = 0; i < lab->jails[j].nbridged; i++)
			for (int j2 = j + 1; j2 < lab->njails; j2++)
				for (int i2 = 0; i2 < lab->jails[j2].nbridged; i2++) {
					const struct jnet_lab_iface *f = &lab->jails[j].ifaces[i];
					const struct jnet_lab_iface *g = &lab->jails[j2].ifaces[i2];

					if (f->bridge != g->bridge)
						continue;
					for (int k = 0; k < f->naddrs; k++)
						for (int k2 = 0; k2 < g->naddrs; k2++)
							FUZZ_CHECK(f->addrs[k].family != g->addrs[k2].family ||
							    memcmp(f->addrs[k].addr, g->addrs[k2].addr, 16) != 0,
							    "%s twice on bridge %s", f->addrs[k].text,
							    lab->bridges[f->bridge].name);
				}
}

static void
check_lab(const struct jnet_lab *lab)
{
	struct jnet_tag t;
	int *ports;

	FUZZ_CHECK(lab->name[0] != '\0' && strlen(lab->name) <= JNET_LAB_NAMEMAX &&
	    word_dash(lab->name) && lab->name[0] != '-', "lab name \"%s\"", lab->name);
	FUZZ_CHECK(lab->backend[0] == '\0' || strcmp(lab->backend, "netns") == 0 ||
	    strcmp(lab->backend, "epair") == 0 || strcmp(lab->backend, "netgraph") == 0,
	    "backend \"%s\"", lab->backend);
	FUZZ_CHECK(lab->nbridges >= 0 && lab->njails >= 0 && lab->nlinks >= 0, "counts");
	jnet_tag_jail(&t, "netgraph", lab->name);
	check_tag(&t);
	for (int b = 0; b < lab->nbridges; b++)
		check_bridge(lab, b);
	ports = calloc((size_t)lab->nbridges + 1, sizeof(*ports));
	FUZZ_CHECK(ports != NULL, "calloc");
	for (int j = 0; j < lab->njails; j++)
		check_jail(lab, j, ports);
	for (int b = 0; b < lab->nbridges; b++)
		FUZZ_CHECK(ports[b] == lab->bridges[b].nports, "bridge %s: nports %d, counted %d",
		    lab->bridges[b].name, lab->bridges[b].nports, ports[b]);
	free(ports);
	check_links(lab);
	check_bridge_addrs(lab);
}

/* ---------------------------------------------------------------- JSON round trip */

static json_t *
addrs_json(const struct jnet_lab_iface *f)
{
	json_t *a = json_array();

	for (int k = 0; k < f->naddrs; k++)
		json_array_append_new(a, json_string(f->addrs[k].text));
	return a;
}

static void
iface_json(json_t *o, const struct jnet_lab_iface *f)
{
	if (f->naddrs > 0)
		json_object_set_new(o, "address", addrs_json(f));
	if (f->has_mac) {
		char m[JNET_MACSTRLEN];

		jnet_mac_format(f->mac, m);
		json_object_set_new(o, "mac", json_string(m));
	}
	if (f->mtu != 0)
		json_object_set_new(o, "mtu", json_integer(f->mtu));
}

static char *
lab_json(const struct jnet_lab *lab)
{
	json_t *root = json_object(), *br = json_object(), *jails = json_object();
	json_t *links = json_array();
	char *s;

	json_object_set_new(root, "lab", json_string(lab->name));
	if (lab->backend[0] != '\0')
		json_object_set_new(root, "backend", json_string(lab->backend));
	for (int b = 0; b < lab->nbridges; b++) {
		json_t *o = json_object();

		if (lab->bridges[b].uplink[0] != '\0')
			json_object_set_new(o, "uplink", json_string(lab->bridges[b].uplink));
		json_object_set_new(br, lab->bridges[b].name, o);
	}
	json_object_set_new(root, "bridges", br);
	for (int j = 0; j < lab->njails; j++) {
		const struct jnet_lab_jail *jl = &lab->jails[j];
		json_t *o = json_object(), *ifs = json_array(), *rts = json_array();

		json_object_set_new(o, "forwarding", json_boolean(jl->forwarding));
		for (int i = 0; i < jl->nbridged; i++) {
			json_t *f = json_object();

			json_object_set_new(f, "bridge", json_string(lab->bridges[jl->ifaces[i].bridge].name));
			iface_json(f, &jl->ifaces[i]);
			json_array_append_new(ifs, f);
		}
		json_object_set_new(o, "interfaces", ifs);
		for (int r = 0; r < jl->nroutes; r++) {
			json_t *rt = json_object();

			json_object_set_new(rt, "to", json_string(jl->routes[r].is_default ?
			    "default" : jl->routes[r].dst.text));
			json_object_set_new(rt, "via", json_string(jl->routes[r].via.text));
			json_array_append_new(rts, rt);
		}
		json_object_set_new(o, "routes", rts);
		json_object_set_new(jails, jl->name, o);
	}
	json_object_set_new(root, "jails", jails);
	for (int l = 0; l < lab->nlinks; l++) {
		json_t *pair = json_array();

		for (int end = 0; end < 2; end++) {
			const struct jnet_lab_jail *jl = &lab->jails[lab->links[l].jail[end]];
			json_t *f = json_object();

			json_object_set_new(f, "jail", json_string(jl->name));
			iface_json(f, &jl->ifaces[lab->links[l].iface[end]]);
			json_array_append_new(pair, f);
		}
		json_array_append_new(links, pair);
	}
	json_object_set_new(root, "links", links);
	s = json_dumps(root, JSON_PRESERVE_ORDER | JSON_INDENT(1));
	FUZZ_CHECK(s != NULL, "json_dumps");
	json_decref(root);
	return s;
}

static bool
same_addr(const struct jnet_lab_addr *a, const struct jnet_lab_addr *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, 16) == 0 &&
	    a->prefix == b->prefix && strcmp(a->text, b->text) == 0;
}

static void
same_lab(const struct jnet_lab *a, const struct jnet_lab *b, const char *json)
{
	FUZZ_CHECK(strcmp(a->name, b->name) == 0 && strcmp(a->backend, b->backend) == 0 &&
	    a->nbridges == b->nbridges && a->njails == b->njails && a->nlinks == b->nlinks,
	    "JSON form reads differently:\n%s", json);
	for (int i = 0; i < a->nbridges; i++)
		FUZZ_CHECK(strcmp(a->bridges[i].name, b->bridges[i].name) == 0 &&
		    strcmp(a->bridges[i].uplink, b->bridges[i].uplink) == 0 &&
		    a->bridges[i].nports == b->bridges[i].nports, "bridge %d differs:\n%s", i, json);
	for (int i = 0; i < a->nlinks; i++)
		FUZZ_CHECK(memcmp(a->links[i].jail, b->links[i].jail, sizeof(a->links[i].jail)) == 0 &&
		    memcmp(a->links[i].iface, b->links[i].iface, sizeof(a->links[i].iface)) == 0,
		    "link %d differs:\n%s", i, json);
	for (int j = 0; j < a->njails; j++) {
		const struct jnet_lab_jail *x = &a->jails[j], *y = &b->jails[j];

		FUZZ_CHECK(strcmp(x->name, y->name) == 0 && strcmp(x->scoped, y->scoped) == 0 &&
		    x->forwarding == y->forwarding && x->nifaces == y->nifaces &&
		    x->nbridged == y->nbridged && x->nroutes == y->nroutes,
		    "jail %d differs:\n%s", j, json);
		for (int i = 0; i < x->nifaces; i++) {
			const struct jnet_lab_iface *f = &x->ifaces[i], *g = &y->ifaces[i];

			FUZZ_CHECK(f->index == g->index && f->bridge == g->bridge && f->link == g->link &&
			    f->peer_jail == g->peer_jail && f->peer_iface == g->peer_iface &&
			    f->naddrs == g->naddrs && f->has_mac == g->has_mac &&
			    (!f->has_mac || memcmp(f->mac, g->mac, 6) == 0) && f->mtu == g->mtu,
			    "jail %d iface %d differs:\n%s", j, i, json);
			for (int k = 0; k < f->naddrs; k++)
				FUZZ_CHECK(same_addr(&f->addrs[k], &g->addrs[k]), "address differs:\n%s",
				    json);
		}
		for (int r = 0; r < x->nroutes; r++)
			FUZZ_CHECK(x->routes[r].is_default == y->routes[r].is_default &&
			    same_addr(&x->routes[r].dst, &y->routes[r].dst) &&
			    same_addr(&x->routes[r].via, &y->routes[r].via) &&
			    x->routes[r].iface == y->routes[r].iface, "route differs:\n%s", json);
	}
}

/* ---------------------------------------------------------------- errors */

/*
 * A refusal is EINVAL with "FILE:LINE:COL: message", and the position lies inside the
 * input: LINE at most 1 + the line breaks (libyaml also breaks at '\r', NEL, LS and PS,
 * so every byte that may end a line counts), COL at most 1 + the longest run of bytes
 * without a '\n' (reader errors are placed by counting '\n' only, lab_parse.c);
 * or LINE:1 on the line after the last, where libyaml puts the end of a stream that does
 * not end with a line break.
 */
static void
check_error(int r, const struct jnet_err *e, const uint8_t *data, size_t size)
{
	unsigned line = 0, col = 0, maxline = 1, maxcol = 1, run = 0;
	int used = 0;
	size_t plen = strlen(path);

	for (size_t i = 0; i < size; i++) {
		if (data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 || data[i] == 0xa8 ||
		    data[i] == 0xa9)
			maxline++;
		if (data[i] == '\n')
			run = 0;
		else if (++run + 1 > maxcol)
			maxcol = run + 1;
	}
	FUZZ_CHECK(r == -EINVAL && e->code == EINVAL, "refused with %d (code %d): %s", r,
	    e->code, e->msg);
	FUZZ_CHECK(strncmp(e->msg, path, plen) == 0 &&
	    sscanf(e->msg + plen, ":%u:%u: %n", &line, &col, &used) == 2 && used > 0 &&
	    e->msg[plen + (size_t)used] != '\0', "message not FILE:LINE:COL: ...: \"%s\"", e->msg);
	FUZZ_CHECK(line >= 1 && col >= 1 && (line <= maxline || (line == maxline + 1 && col == 1)) &&
	    col <= maxcol,
	    "position %u:%u outside the input (%u lines, longest %u bytes): %s", line, col,
	    maxline, maxcol - 1, e->msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jnet_lab *lab = NULL, *lab2 = NULL;
	struct jnet_err e;
	char *json;
	int r;

	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	jnet_err_clear(&e);
	r = jnet_lab_load(path, &lab, &e);
	if (r < 0) {
		FUZZ_CHECK(lab == NULL, "refused, yet a lab");
		check_error(r, &e, data, size);
		return 0;
	}
	FUZZ_CHECK(r == 0 && lab != NULL && strcmp(lab->file, path) == 0, "jnet_lab_load = %d",
	    r);
	check_lab(lab);

	json = lab_json(lab);
	r = jnet_lab_parse_string(json, strlen(json), "<json>", &lab2, &e);
	FUZZ_CHECK(r == 0, "the JSON form of an accepted lab is refused: %s\n%s", e.msg, json);
	same_lab(lab, lab2, json);
	jnet_lab_free(lab2);
	free(json);
	jnet_lab_free(lab);
	return 0;
}
