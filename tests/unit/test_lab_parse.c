/*
 * Lab file parser, validator and dot emitter (src/lab.h).
 *
 * The examples are read from the source tree (located from __FILE__, or $JNET_SRCDIR);
 * every malformed case is a string here with the exact message it must produce.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lab.h"

static char srcdir[4096];

static void
find_srcdir(void)
{
	const char *env = getenv("JNET_SRCDIR");
	const char *f = __FILE__;
	const char *tail = strstr(f, "tests/unit/test_lab_parse.c");

	if (env != NULL && env[0] != '\0')
		snprintf(srcdir, sizeof(srcdir), "%s", env);
	else if (tail != NULL && tail == f)
		snprintf(srcdir, sizeof(srcdir), ".");
	else if (tail != NULL)
		snprintf(srcdir, sizeof(srcdir), "%.*s", (int)(tail - f - 1), f);
	else
		snprintf(srcdir, sizeof(srcdir), ".");
}

static struct jnet_lab *
load_example(const char *name)
{
	char path[4200];
	struct jnet_lab *lab = NULL;
	struct jnet_err e;
	int r;

	jnet_err_clear(&e);
	snprintf(path, sizeof(path), "%s/examples/labs/%s", srcdir, name);
	r = jnet_lab_load(path, &lab, &e);
	if (r != 0)
		print_error("%s: %s\n", path, e.msg);
	assert_int_equal(r, 0);
	assert_non_null(lab);
	assert_string_equal(lab->file, path);
	return lab;
}

static struct jnet_lab *
parse_ok(const char *text)
{
	struct jnet_lab *lab = NULL;
	struct jnet_err e;
	int r;

	jnet_err_clear(&e);
	r = jnet_lab_parse_string(text, strlen(text), "t.yaml", &lab, &e);
	if (r != 0)
		print_error("unexpected error: %s\n", e.msg);
	assert_int_equal(r, 0);
	assert_non_null(lab);
	return lab;
}

static const struct jnet_lab_jail *
jail(const struct jnet_lab *lab, const char *name)
{
	int j = jnet_lab_jail_find(lab, name);

	assert_true(j >= 0);
	return &lab->jails[j];
}

/* Examples. */

static void
test_pair(void **state)
{
	struct jnet_lab *lab = load_example("pair.yaml");
	const struct jnet_lab_jail *a, *b;

	(void)state;
	assert_string_equal(lab->name, "pair");
	assert_string_equal(lab->backend, "");
	assert_int_equal(lab->nbridges, 1);
	assert_string_equal(lab->bridges[0].name, "lan0");
	assert_string_equal(lab->bridges[0].uplink, "");
	assert_int_equal(lab->bridges[0].nports, 2);
	assert_int_equal(lab->njails, 2);
	assert_int_equal(lab->nlinks, 0);
	a = &lab->jails[0];
	b = &lab->jails[1];
	assert_string_equal(a->name, "a");
	assert_string_equal(a->scoped, "pair.a");
	assert_string_equal(b->scoped, "pair.b");
	assert_false(a->forwarding);
	assert_int_equal(a->nifaces, 1);
	assert_int_equal(a->nbridged, 1);
	assert_int_equal(a->ifaces[0].index, 0);
	assert_int_equal(a->ifaces[0].bridge, 0);
	assert_int_equal(a->ifaces[0].link, -1);
	assert_int_equal(a->ifaces[0].naddrs, 2);
	assert_int_equal(a->ifaces[0].addrs[0].family, AF_INET);
	assert_int_equal(a->ifaces[0].addrs[0].prefix, 24);
	assert_string_equal(a->ifaces[0].addrs[0].text, "10.0.0.1/24");
	assert_memory_equal(a->ifaces[0].addrs[0].addr, "\x0a\x00\x00\x01", 4);
	assert_int_equal(a->ifaces[0].addrs[1].family, AF_INET6);
	/* canonical form of "fd00:0:0:1::1/64" */
	assert_string_equal(a->ifaces[0].addrs[1].text, "fd00:0:0:1::1/64");
	assert_string_equal(b->ifaces[0].addrs[0].text, "10.0.0.2/24");
	assert_false(a->ifaces[0].has_mac);
	assert_int_equal(a->ifaces[0].mtu, 0);
	assert_int_equal(a->nroutes, 0);
	jnet_lab_free(lab);
}

static void
test_router(void **state)
{
	struct jnet_lab *lab = load_example("router.yaml");
	const struct jnet_lab_jail *r, *a1, *b2;
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0x02, 0x01 };

	(void)state;
	assert_string_equal(lab->name, "router");
	assert_int_equal(lab->nbridges, 2);
	assert_int_equal(lab->njails, 5);
	assert_int_equal(jnet_lab_bridge_find(lab, "lan0"), 0);
	assert_int_equal(jnet_lab_bridge_find(lab, "lan1"), 1);
	assert_int_equal(jnet_lab_bridge_find(lab, "lan2"), -1);
	assert_int_equal(lab->bridges[0].nports, 3);
	assert_int_equal(lab->bridges[1].nports, 3);
	r = jail(lab, "router");
	assert_true(r->forwarding);
	assert_int_equal(r->nifaces, 2);
	assert_int_equal(r->ifaces[1].index, 1);
	assert_int_equal(r->ifaces[1].bridge, 1);
	assert_true(r->ifaces[1].has_mac);
	assert_memory_equal(r->ifaces[1].mac, mac, 6);
	assert_false(r->ifaces[0].has_mac);
	a1 = jail(lab, "a1");
	assert_false(a1->forwarding);
	assert_int_equal(a1->nroutes, 2);
	assert_true(a1->routes[0].is_default);
	assert_int_equal(a1->routes[0].dst.family, AF_INET);
	assert_int_equal(a1->routes[0].dst.prefix, 0);
	assert_string_equal(a1->routes[0].dst.text, "0.0.0.0/0");
	assert_string_equal(a1->routes[0].via.text, "10.0.1.1");
	assert_int_equal(a1->routes[0].iface, 0);
	assert_true(a1->routes[1].is_default);
	assert_int_equal(a1->routes[1].dst.family, AF_INET6);
	assert_string_equal(a1->routes[1].dst.text, "::/0");
	assert_string_equal(a1->routes[1].via.text, "fd00:0:0:1::1");
	b2 = jail(lab, "b2");
	assert_int_equal(b2->ifaces[0].bridge, 1);
	assert_string_equal(b2->routes[0].via.text, "10.0.2.1");
	assert_int_equal(jnet_lab_jail_find(lab, "nope"), -1);
	jnet_lab_free(lab);
}

static void
test_p2p(void **state)
{
	struct jnet_lab *lab = load_example("p2p.yaml");
	const struct jnet_lab_jail *r1, *r2, *r3;

	(void)state;
	assert_int_equal(lab->nbridges, 0);
	assert_int_equal(lab->njails, 4);
	assert_int_equal(lab->nlinks, 3);
	r1 = jail(lab, "r1");
	r2 = jail(lab, "r2");
	r3 = jail(lab, "r3");
	/* Link ends are numbered per jail in file order. */
	assert_int_equal(r1->nifaces, 1);
	assert_int_equal(r2->nifaces, 2);
	assert_int_equal(r2->nbridged, 0);
	assert_int_equal(r2->ifaces[0].link, 0);
	assert_int_equal(r2->ifaces[0].index, 0);
	assert_int_equal(r2->ifaces[1].link, 1);
	assert_int_equal(r2->ifaces[1].index, 1);
	assert_int_equal(r2->ifaces[1].bridge, -1);
	assert_int_equal(lab->links[1].jail[0], jnet_lab_jail_find(lab, "r2"));
	assert_int_equal(lab->links[1].iface[0], 1);
	assert_int_equal(lab->links[1].jail[1], jnet_lab_jail_find(lab, "r3"));
	assert_int_equal(lab->links[1].iface[1], 0);
	assert_int_equal(r2->ifaces[1].peer_jail, jnet_lab_jail_find(lab, "r3"));
	assert_int_equal(r2->ifaces[1].peer_iface, 0);
	assert_string_equal(r2->ifaces[1].addrs[0].text, "10.9.2.1/30");
	/* r2's route to the far subnet leaves through its second link. */
	assert_int_equal(r2->nroutes, 2);
	assert_false(r2->routes[0].is_default);
	assert_string_equal(r2->routes[0].dst.text, "10.9.3.0/30");
	assert_int_equal(r2->routes[0].iface, 1);
	assert_string_equal(r2->routes[1].dst.text, "fd00:0:9:3::/64");
	assert_int_equal(r2->routes[1].iface, 1);
	assert_int_equal(r3->routes[0].iface, 0);
	assert_true(r2->forwarding);
	assert_false(r1->forwarding);
	jnet_lab_free(lab);
}

static struct jnet_lab *
gen_big(int n)
{
	char cmd[4300];
	struct jnet_lab *lab = NULL;
	struct jnet_err e;
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "sh '%s/examples/labs/gen-big.sh' %d", srcdir, n);
	f = popen(cmd, "r");
	assert_non_null(f);
	do {
		if (cap - len < 65536) {
			cap = cap ? 2 * cap : 1 << 20;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	assert_int_equal(pclose(f), 0);
	jnet_err_clear(&e);
	if (jnet_lab_parse_string(buf, len, "big.yaml", &lab, &e) != 0)
		print_error("%s\n", e.msg);
	free(buf);
	assert_non_null(lab);
	return lab;
}

static void
test_gen_big(void **state)
{
	static const struct { int n, bridges, maxports; } cases[] = {
		{ 1, 1, 1 }, { 1000, 1, 1000 }, { 1001, 2, 501 }, { 2500, 3, 834 },
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct jnet_lab *lab = gen_big(cases[c].n);
		int sum = 0, max = 0;

		assert_string_equal(lab->name, "big");
		assert_int_equal(lab->njails, cases[c].n);
		assert_int_equal(lab->nbridges, cases[c].bridges);
		for (int b = 0; b < lab->nbridges; b++) {
			assert_true(lab->bridges[b].nports <= 1000);
			sum += lab->bridges[b].nports;
			if (lab->bridges[b].nports > max)
				max = lab->bridges[b].nports;
		}
		assert_int_equal(sum, cases[c].n);
		assert_int_equal(max, cases[c].maxports);
		for (int j = 0; j < lab->njails; j++) {
			assert_int_equal(lab->jails[j].nifaces, 1);
			assert_int_equal(lab->jails[j].ifaces[0].naddrs, 1);
		}
		jnet_lab_free(lab);
	}
}

/* Valid inputs beyond the examples. */

static void
test_json(void **state)
{
	/* JSON is YAML: tabs inside flow collections, no space after ':', duplicate checks. */
	static const char text[] =
	    "{\n"
	    "\t\"lab\":\"j\",\n"
	    "\t\"backend\": \"netns\",\n"
	    "\t\"bridges\": {\"lan0\": {}, \"wan0\": {\"uplink\": \"eth0\"}},\n"
	    "\t\"jails\": {\n"
	    "\t\t\"r\": {\"forwarding\": true, \"interfaces\": [\n"
	    "\t\t\t{\"bridge\": \"lan0\", \"address\": \"192.168.1.1/24\", \"mtu\": 1500},\n"
	    "\t\t\t{\"bridge\": \"wan0\", \"address\": [\"198.51.100.2/24\"]}]},\n"
	    "\t\t\"h\": {\"interfaces\": [{\"bridge\": \"lan0\", \"address\": \"192.168.1.2/24\"}],\n"
	    "\t\t\t\"routes\": [{\"to\": \"default\", \"via\": \"192.168.1.1\"}]}\n"
	    "\t}\n"
	    "}\n";
	struct jnet_lab *lab = parse_ok(text);

	(void)state;
	assert_string_equal(lab->name, "j");
	assert_string_equal(lab->backend, "netns");
	assert_string_equal(lab->bridges[1].uplink, "eth0");
	assert_int_equal(lab->bridges[1].nports, 1);
	assert_true(jail(lab, "r")->forwarding);
	assert_int_equal(jail(lab, "r")->ifaces[0].mtu, 1500);
	assert_string_equal(jail(lab, "r")->ifaces[1].addrs[0].text, "198.51.100.2/24");
	assert_int_equal(jail(lab, "h")->routes[0].iface, 0);
	jnet_lab_free(lab);
}

static void
test_index_order(void **state)
{
	/* Bridge interfaces first in list order, then link ends in file order. */
	static const char text[] =
	    "lab: o\n"
	    "links:\n"
	    "  - [ {jail: x, address: 10.1.0.1/31}, {jail: y, address: 10.1.0.0/31} ]\n"
	    "  - [ {jail: y, mtu: 9000}, {jail: x} ]\n"
	    "bridges: { b0: , b1: {} }\n"
	    "jails:\n"
	    "  x:\n"
	    "    interfaces: [ {bridge: b1}, {bridge: b0, mac: '02-aa-bb-cc-dd-ee'} ]\n"
	    "  y: ~\n";
	struct jnet_lab *lab = parse_ok(text);
	const struct jnet_lab_jail *x, *y;

	(void)state;
	x = jail(lab, "x");
	y = jail(lab, "y");
	assert_int_equal(x->nifaces, 4);
	assert_int_equal(x->nbridged, 2);
	assert_int_equal(x->ifaces[0].bridge, 1);
	assert_int_equal(x->ifaces[1].bridge, 0);
	assert_int_equal(x->ifaces[1].mac[5], 0xee);
	assert_int_equal(x->ifaces[2].link, 0);
	assert_int_equal(x->ifaces[2].index, 2);
	assert_int_equal(x->ifaces[3].link, 1);
	assert_int_equal(x->ifaces[3].naddrs, 0);
	assert_int_equal(y->nifaces, 2);
	assert_int_equal(y->ifaces[0].link, 0);
	assert_int_equal(y->ifaces[1].link, 1);
	assert_int_equal(y->ifaces[1].mtu, 9000);
	assert_int_equal(y->ifaces[1].peer_jail, jnet_lab_jail_find(lab, "x"));
	assert_int_equal(y->ifaces[1].peer_iface, 3);
	assert_int_equal(lab->links[1].jail[0], 1);
	assert_int_equal(lab->links[1].iface[0], 1);
	assert_int_equal(lab->links[1].iface[1], 3);
	/* positions are 1-based */
	assert_int_equal(x->pos.line, 7);
	assert_int_equal(x->pos.col, 3);
	assert_int_equal(lab->links[0].pos.line, 3);
	assert_int_equal(lab->links[0].pos.col, 5);
	jnet_lab_free(lab);
}

static void
test_aliases_and_reuse(void **state)
{
	/* Anchors are followed; the same address on two isolated bridges is allowed. */
	static const char text[] =
	    "lab: al\n"
	    "bridges: {n1: {}, n2: {}}\n"
	    "jails:\n"
	    "  a:\n"
	    "    interfaces: [{bridge: n1, address: 10.0.0.1/24}]\n"
	    "    routes: &r [{to: 10.2.0.0/16, via: 10.0.0.9}]\n"
	    "  b:\n"
	    "    interfaces: [{bridge: n2, address: 10.0.0.1/24}]\n"
	    "    routes: *r\n";
	struct jnet_lab *lab = parse_ok(text);

	(void)state;
	assert_int_equal(jail(lab, "b")->nroutes, 1);
	assert_string_equal(jail(lab, "b")->routes[0].dst.text, "10.2.0.0/16");
	jnet_lab_free(lab);
}

static void
test_load_errors(void **state)
{
	struct jnet_lab *lab = (struct jnet_lab *)&lab;
	struct jnet_err e;
	char path[] = "/tmp/jnet-lab-XXXXXX";
	int fd;

	(void)state;
	jnet_err_clear(&e);
	assert_int_equal(jnet_lab_load("/nonexistent/lab.yaml", &lab, &e), -ENOENT);
	assert_null(lab);
	assert_string_equal(e.object, "/nonexistent/lab.yaml");
	assert_string_equal(e.msg, "cannot open lab file: No such file or directory");
	/* A directory is EISDIR, not an I/O error. */
	assert_int_equal(jnet_lab_load("/tmp", &lab, &e), -EISDIR);
	assert_null(lab);
	assert_string_equal(e.object, "/tmp");
	assert_string_equal(e.msg, "cannot read lab file: Is a directory");

	/* Messages name the path the file was loaded from. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "lab: x\njails: [1]\n", 18), 18);
	close(fd);
	assert_int_equal(jnet_lab_load(path, &lab, &e), -EINVAL);
	unlink(path);
	{
		char want[128];

		snprintf(want, sizeof(want), "%s:2:8: 'jails' must be a mapping, not a list", path);
		assert_string_equal(e.msg, want);
		assert_string_equal(e.object, "");
		assert_int_equal(e.code, EINVAL);
	}
}

static void
test_lab_err(void **state)
{
	struct jnet_lab *lab = parse_ok("lab: x\nbridges: {b: {}}\n");
	struct jnet_err e;

	(void)state;
	assert_int_equal(jnet_lab_err(lab, lab->bridges[0].pos, &e, EXFULL,
	    "bridge '%s' has %d ports", "b", 2000), -EXFULL);
	assert_string_equal(e.msg, "t.yaml:2:11: bridge 'b' has 2000 ports");
	assert_int_equal(e.code, EXFULL);
	jnet_lab_free(lab);
}

/* Malformed files: each gives exactly this first error. */

struct bad {
	const char *name;
	const char *text;
	size_t len;          /* 0: strlen(text) */
	const char *msg;
};

#define L(s) "lab: x\n" s

static char too_many_ifaces[8192];
static char too_many_links[16384];
static char long_lab[256];
static char long_jail[512];
static char too_many_addrs[4096];
static char too_many_routes[65536];

#include "lab_bad_cases.h"

static void
test_bad(void **state)
{
	const struct bad *b = *state;
	struct jnet_lab *lab = (struct jnet_lab *)&lab;
	struct jnet_err e;
	int r;

	jnet_err_clear(&e);
	r = jnet_lab_parse_string(b->text, b->len ? b->len : strlen(b->text), "t.yaml", &lab, &e);
	if (r != -EINVAL || strcmp(e.msg, b->msg) != 0)
		print_error("case '%s'\n want: %s\n got:  %s (%d)\n", b->name, b->msg, e.msg, r);
	assert_int_equal(r, -EINVAL);
	assert_int_equal(e.code, EINVAL);
	assert_string_equal(e.object, "");
	assert_string_equal(e.msg, b->msg);
	assert_null(lab);
}

/* Dot output. */

static char *
dot_of(const struct jnet_lab *lab)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(jnet_lab_graph_dot(lab, f), 0);
	fclose(f);
	return buf;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void
test_dot_router(void **state)
{
	struct jnet_lab *lab = load_example("router.yaml");
	char *dot = dot_of(lab);
	static const char *const lines[] = {
		"graph \"router\" {\n",
		"\t\"bridge:lan0\" [shape=ellipse, label=\"lan0\"];\n",
		"\t\"bridge:lan1\" [shape=ellipse, label=\"lan1\"];\n",
		"\t\"jail:router\" [shape=box, label=\"router\\nforwarding\"];\n",
		"\t\"jail:a1\" [shape=box, label=\"a1\\ndefault via 10.0.1.1\\ndefault via fd00:0:0:1::1\"];\n",
		"\t\"jail:router\" -- \"bridge:lan0\" [label=\"10.0.1.1/24\\nfd00:0:0:1::1/64\"];\n",
		"\t\"jail:router\" -- \"bridge:lan1\" [label=\"10.0.2.1/24\\nfd00:0:0:2::1/64\\nmac 02:00:00:00:02:01\"];\n",
		"\t\"jail:a1\" -- \"bridge:lan0\" [label=\"10.0.1.11/24\\nfd00:0:0:1::11/64\"];\n",
		"\t\"jail:a2\" -- \"bridge:lan0\" [label=\"10.0.1.12/24\\nfd00:0:0:1::12/64\"];\n",
		"\t\"jail:b1\" -- \"bridge:lan1\" [label=\"10.0.2.11/24\\nfd00:0:0:2::11/64\"];\n",
		"\t\"jail:b2\" -- \"bridge:lan1\" [label=\"10.0.2.12/24\\nfd00:0:0:2::12/64\"];\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (strstr(dot, lines[i]) == NULL)
			print_error("missing line: %s\nin:\n%s", lines[i], dot);
		assert_non_null(strstr(dot, lines[i]));
	}
	/* Exactly: 7 nodes (5 jails, 2 bridges), 6 edges, nothing else. */
	assert_int_equal(count(dot, "shape=box"), 5);
	assert_int_equal(count(dot, "shape=ellipse"), 2);
	assert_int_equal(count(dot, " -- "), 6);
	assert_int_equal(count(dot, "uplink"), 0);
	assert_int_equal(strcmp(dot + strlen(dot) - 2, "}\n"), 0);
	free(dot);
	jnet_lab_free(lab);
}

static void
test_dot_p2p_uplink(void **state)
{
	static const char text[] =
	    "lab: g\n"
	    "bridges: { wan: { uplink: eth0 } }\n"
	    "jails:\n"
	    "  r1: { interfaces: [ { bridge: wan, mtu: 1400 } ] }\n"
	    "  r2:\n"
	    "links:\n"
	    "  - [ { jail: r1, address: 10.9.0.1/30 }, { jail: r2, address: [10.9.0.2/30, 'fd00::2/64'] } ]\n";
	struct jnet_lab *lab = parse_ok(text);
	char *dot = dot_of(lab);

	(void)state;
	assert_non_null(strstr(dot, "\t\"uplink:eth0\" [shape=hexagon, label=\"eth0\"];\n"));
	assert_non_null(strstr(dot, "\t\"bridge:wan\" -- \"uplink:eth0\" [style=dashed, label=\"uplink\"];\n"));
	assert_non_null(strstr(dot, "\t\"jail:r1\" -- \"bridge:wan\" [label=\"mtu 1400\"];\n"));
	assert_non_null(strstr(dot,
	    "\t\"jail:r1\" -- \"jail:r2\" [taillabel=\"10.9.0.1/30\", headlabel=\"10.9.0.2/30\\nfd00::2/64\"];\n"));
	free(dot);
	jnet_lab_free(lab);
}

static void
test_dot_escape(void **state)
{
	/* Jail names may hold '"' and '\': they must not end the string or escape a quote. */
	static const char text[] =
	    "lab: e\n"
	    "bridges: { b: }\n"
	    "jails:\n"
	    "  'q\"x\\': { interfaces: [ { bridge: b } ] }\n";
	struct jnet_lab *lab = parse_ok(text);
	char *dot = dot_of(lab);

	(void)state;
	assert_string_equal(lab->jails[0].name, "q\"x\\");
	assert_non_null(strstr(dot,
	    "\t\"jail:q\\\"x\\\\\" [shape=box, label=\"q\\\"x\\\\\"];\n"));
	assert_non_null(strstr(dot, "\t\"jail:q\\\"x\\\\\" -- \"bridge:b\" [label=\"\"];\n"));
	free(dot);
	jnet_lab_free(lab);
}

/* Graphviz itself must accept what we emit (router.yaml and the escaping case). */
static void
run_dot(const struct jnet_lab *lab, const char *expect_in_svg)
{
	char in[] = "/tmp/jnet-dot-XXXXXX";
	char cmd[256], *svg = NULL, line[4096];
	size_t svglen = 0;
	FILE *f, *p, *m;
	int fd, st;

	fd = mkstemp(in);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(jnet_lab_graph_dot(lab, f), 0);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "dot -Tsvg '%s' 2>&1", in);
	p = popen(cmd, "r");
	assert_non_null(p);
	m = open_memstream(&svg, &svglen);
	while (fgets(line, sizeof(line), p) != NULL)
		fputs(line, m);
	fclose(m);
	st = pclose(p);
	unlink(in);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		free(svg);
		print_message("dot(1) not installed (apt-get install graphviz)\n");
		skip();
	}
	if (st != 0)
		print_error("dot failed: %s\n", svg);
	assert_int_equal(st, 0);
	assert_non_null(strstr(svg, "<svg"));
	if (strstr(svg, expect_in_svg) == NULL)
		print_error("'%s' not in svg\n", expect_in_svg);
	assert_non_null(strstr(svg, expect_in_svg));
	free(svg);
}

static void
test_dot_graphviz(void **state)
{
	struct jnet_lab *lab = load_example("router.yaml");

	(void)state;
	run_dot(lab, "<title>jail:router&#45;&#45;bridge:lan1</title>");
	jnet_lab_free(lab);
	lab = parse_ok("lab: e\nbridges: { b: }\njails:\n  'q\"x\\': { interfaces: [ { bridge: b } ] }\n");
	run_dot(lab, "<title>jail:q&quot;x\\\\</title>");
	jnet_lab_free(lab);
}

static void
build_cases(struct bad *cases, size_t n)
{
	static char want_long_lab[256], want_long_jail[512], want_ifaces[256], want_links[256];
	static char want_addrs[256], want_routes[256];
	size_t len;

	/* 65-character lab name */
	snprintf(long_lab, sizeof(long_lab), "lab: %065d\n", 7);
	snprintf(want_long_lab, sizeof(want_long_lab),
	    "t.yaml:1:6: lab name '%065d' is longer than 64 characters", 7);
	/* "x." + 199 characters = 201 > JNET_JAILNAME_MAX (200) */
	len = (size_t)snprintf(long_jail, sizeof(long_jail), "lab: x\njails:\n  ");
	memset(long_jail + len, 'j', 199);
	strcpy(long_jail + len + 199, ": {}\n");
	snprintf(want_long_jail, sizeof(want_long_jail),
	    "t.yaml:3:3: jail name '%.199s' is too long: 'x.<jail>' would have 201 characters, at most 200",
	    long_jail + len);
	/* JNET_MAXLINKS + 1 bridge interfaces: the error is at the 65th entry. */
	len = (size_t)snprintf(too_many_ifaces, sizeof(too_many_ifaces),
	    "lab: x\nbridges: {b: }\njails:\n  a:\n    interfaces:\n");
	for (int i = 0; i <= JNET_MAXLINKS; i++)
		len += (size_t)snprintf(too_many_ifaces + len, sizeof(too_many_ifaces) - len,
		    "      - { bridge: b }\n");
	snprintf(want_ifaces, sizeof(want_ifaces),
	    "t.yaml:%d:9: jail 'a' has more than %d interfaces", 6 + JNET_MAXLINKS, JNET_MAXLINKS);
	/* 60 bridge ports then 5 links: the 65th interface is the 5th link's end in 'a'. */
	len = (size_t)snprintf(too_many_links, sizeof(too_many_links),
	    "lab: x\nbridges: {b: }\njails:\n  a:\n    interfaces:\n");
	for (int i = 0; i < JNET_MAXLINKS - 4; i++)
		len += (size_t)snprintf(too_many_links + len, sizeof(too_many_links) - len,
		    "      - { bridge: b }\n");
	len += (size_t)snprintf(too_many_links + len, sizeof(too_many_links) - len,
	    "  c:\nlinks:\n");
	for (int i = 0; i < 5; i++)
		len += (size_t)snprintf(too_many_links + len, sizeof(too_many_links) - len,
		    "  - [ { jail: c }, { jail: a } ]\n");
	snprintf(want_links, sizeof(want_links),
	    "t.yaml:%d:20: jail 'a' has more than %d interfaces", 5 + JNET_MAXLINKS - 4 + 2 + 5,
	    JNET_MAXLINKS);
	/* JNET_LAB_MAXADDRS + 1 addresses on one interface */
	len = (size_t)snprintf(too_many_addrs, sizeof(too_many_addrs),
	    "lab: x\nbridges: {b: }\njails:\n  a: { interfaces: [ { bridge: b, address: [");
	for (int i = 0; i <= JNET_LAB_MAXADDRS; i++)
		len += (size_t)snprintf(too_many_addrs + len, sizeof(too_many_addrs) - len,
		    "%s10.0.0.%d/24", i ? ", " : "", i + 1);
	snprintf(too_many_addrs + len, sizeof(too_many_addrs) - len, "] } ] }\n");
	snprintf(want_addrs, sizeof(want_addrs),
	    "t.yaml:4:44: more than %d addresses on one interface", JNET_LAB_MAXADDRS);
	/* JNET_LAB_MAXROUTES + 1 routes */
	len = (size_t)snprintf(too_many_routes, sizeof(too_many_routes),
	    "lab: x\njails:\n  a:\n    routes:\n");
	for (int i = 0; i <= JNET_LAB_MAXROUTES; i++)
		len += (size_t)snprintf(too_many_routes + len, sizeof(too_many_routes) - len,
		    "    - {to: default, via: 10.0.0.1}\n");
	snprintf(want_routes, sizeof(want_routes),
	    "t.yaml:5:5: jail 'a' has more than %d routes", JNET_LAB_MAXROUTES);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(cases[i].name, "too many addresses") == 0)
			cases[i].msg = want_addrs;
		else if (strcmp(cases[i].name, "too many routes") == 0)
			cases[i].msg = want_routes;
		else if (strcmp(cases[i].name, "lab name long") == 0)
			cases[i].msg = want_long_lab;
		else if (strcmp(cases[i].name, "jail long") == 0)
			cases[i].msg = want_long_jail;
		else if (strcmp(cases[i].name, "too many interfaces") == 0)
			cases[i].msg = want_ifaces;
		else if (strcmp(cases[i].name, "too many links") == 0)
			cases[i].msg = want_links;
	}
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair),
		cmocka_unit_test(test_router),
		cmocka_unit_test(test_p2p),
		cmocka_unit_test(test_gen_big),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_index_order),
		cmocka_unit_test(test_aliases_and_reuse),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_lab_err),
		cmocka_unit_test(test_dot_router),
		cmocka_unit_test(test_dot_p2p_uplink),
		cmocka_unit_test(test_dot_escape),
		cmocka_unit_test(test_dot_graphviz),
	};
	enum { NBAD = sizeof(bad) / sizeof(bad[0]) };
	static struct bad cases[NBAD];
	static struct CMUnitTest badtests[NBAD];
	int fails;

	find_srcdir();
	memcpy(cases, bad, sizeof(bad));
	build_cases(cases, NBAD);
	for (size_t i = 0; i < NBAD; i++)
		badtests[i] = (struct CMUnitTest){ cases[i].name, test_bad, NULL, NULL, &cases[i] };
	fails = cmocka_run_group_tests_name("lab", tests, NULL, NULL);
	fails += _cmocka_run_group_tests("lab_errors", badtests, NBAD, NULL, NULL);
	return fails ? 1 : 0;
}
