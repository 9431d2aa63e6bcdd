/*
 * Labs that span hosts: 'hosts', 'host', 'vni' (src/lab_hosts.h). The file's validation
 * with its exact FILE:LINE:COL messages, the derived VNI, one host's view of a lab.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "lab_hosts.h"

static struct jnet_lab *
parse_ok(const char *text)
{
	struct jnet_lab *lab = NULL;
	struct jnet_err e;
	int r;

	jnet_err_clear(&e);
	r = jnet_lab_parse_string(text, strlen(text), "t.yaml", &lab, &e);
	if (r != 0)
		print_error("%s\n", e.msg);
	assert_int_equal(r, 0);
	return lab;
}

static const char three[] =
    "lab: mh\n"
    "hosts:\n"
    "  h1: 192.0.2.1\n"
    "  h2: { address: 192.0.2.2 }\n"
    "  h3: { address: 192.0.2.3, port: 4790 }\n"
    "bridges:\n"
    "  lan0: {}\n"
    "  lan1: { vni: 4242 }\n"
    "  local0: {}\n"
    "jails:\n"
    "  a: { host: h1, interfaces: [ { bridge: lan0, address: 10.0.0.1/24 },\n"
    "                               { bridge: lan1, address: 10.1.0.1/24 } ] }\n"
    "  b: { host: h2, interfaces: [ { bridge: lan0 }, { bridge: lan1 } ] }\n"
    "  c: { host: h3, interfaces: [ { bridge: lan0 }, { bridge: local0, address: 10.2.0.3/24 } ] }\n"
    "  d: { host: h3, interfaces: [ { bridge: local0 } ] }\n"
    "links:\n"
    "  - [ { jail: c, address: 10.9.0.1/30 }, { jail: d, address: 10.9.0.2/30 } ]\n";

static void
test_parse(void **state)
{
	struct jnet_lab *lab = parse_ok(three);

	(void)state;
	assert_int_equal(lab->nhosts, 3);
	assert_string_equal(lab->hosts[0].name, "h1");
	assert_int_equal(lab->hosts[0].family, AF_INET);
	assert_memory_equal(lab->hosts[1].addr, "\xc0\x00\x02\x02", 4);
	assert_int_equal(lab->hosts[0].port, JNET_VXLAN_PORT);
	assert_int_equal(lab->hosts[2].port, 4790);
	assert_int_equal(lab->jails[0].host, 0);
	assert_int_equal(lab->jails[3].host, 2);
	assert_int_equal(lab->bridges[1].vni, 4242);
	assert_int_equal(lab->bridges[0].vni, jnet_lab_vni_derive("mh", "lan0"));
	assert_true(lab->bridges[0].spans);
	assert_true(lab->bridges[1].spans);
	assert_false(lab->bridges[2].spans);
	assert_int_equal(lab->view, 0);
	jnet_lab_free(lab);
}

/* The derived VNI is part of the file format: hosts must agree on it. */
static void
test_vni_derive(void **state)
{
	(void)state;
	assert_int_equal(jnet_lab_vni_derive("mh", "lan0"), 1199709);
	assert_int_equal(jnet_lab_vni_derive("t", "b3179"), 6440792);
	assert_int_equal(jnet_lab_vni_derive("t", "b4452"), 6440792);
	for (int i = 0; i < 1000; i++) {
		char b[16];
		uint32_t v;

		snprintf(b, sizeof(b), "br%d", i);
		v = jnet_lab_vni_derive("lab", b);
		assert_true(v >= 1 && v <= JNET_VNI_MAX);
	}
}

static void
test_view(void **state)
{
	struct jnet_lab *lab = parse_ok(three), *v = NULL;
	struct jnet_err e;

	(void)state;
	assert_int_equal(jnet_lab_host_view(lab, 2, &v, &e), 0);
	assert_int_equal(v->view, 3);
	assert_int_equal(v->njails, 2);
	assert_string_equal(v->jails[0].name, "c");
	assert_string_equal(v->jails[1].scoped, "mh.d");
	assert_int_equal(v->nbridges, 2);             /* lan0 and local0, not lan1 */
	assert_string_equal(v->bridges[0].name, "lan0");
	assert_true(v->bridges[0].spans);
	assert_string_equal(v->bridges[1].name, "local0");
	assert_int_equal(v->jails[0].ifaces[1].bridge, 1);
	assert_int_equal(v->jails[1].ifaces[0].bridge, 1);
	assert_int_equal(v->bridges[1].nports, 2);
	assert_int_equal(v->nlinks, 1);
	assert_int_equal(v->links[0].jail[0], 0);
	assert_int_equal(v->links[0].jail[1], 1);
	assert_int_equal(v->jails[0].ifaces[2].peer_jail, 1);
	assert_string_equal(v->jails[0].ifaces[1].addrs[0].text, "10.2.0.3/24");
	assert_int_equal(v->nhosts, 3);
	jnet_lab_free(v);
	assert_int_equal(jnet_lab_host_view(lab, 0, &v, &e), 0);
	assert_int_equal(v->njails, 1);
	assert_int_equal(v->nbridges, 2);              /* lan0, lan1 */
	assert_int_equal(v->nlinks, 0);
	jnet_lab_free(v);
	jnet_lab_free(lab);
	/* A bridge without ports (an uplink's alone) is on every host; a one-host lab's
	 * jails need no 'host'. */
	lab = parse_ok("lab: t\nhosts:\n  h1: 192.0.2.1\n  h2: 192.0.2.2\nbridges:\n"
	    "  w: { uplink: em0 }\n  l: {}\njails:\n  a: { host: h1, interfaces: [ { bridge: l } ] }\n");
	assert_int_equal(jnet_lab_host_view(lab, 1, &v, &e), 0);
	assert_int_equal(v->njails, 0);
	assert_int_equal(v->nbridges, 1);
	assert_string_equal(v->bridges[0].name, "w");
	jnet_lab_free(v);
	jnet_lab_free(lab);
	lab = parse_ok("lab: t\nhosts:\n  h1: 192.0.2.1\njails:\n  a:\n");
	assert_int_equal(lab->jails[0].host, 0);
	jnet_lab_free(lab);
}

/* Picking the host: a name not in the file, an address not on this machine. */
static void
test_pick(void **state)
{
	struct jnet_lab *lab = parse_ok(three);
	struct jnet_err e;

	(void)state;
	assert_int_equal(jnet_lab_host_pick(lab, "h9", &e), -EINVAL);
	assert_string_equal(e.object, "h9");
	jnet_lab_free(lab);
	/* TEST-NET-3: on no machine this runs on (a CI VM may have 192.0.2.x itself). */
	lab = parse_ok("lab: t\nhosts:\n  h1: 203.0.113.77\n  h2: { address: 203.0.113.78 }\n"
	    "jails:\n  a: { host: h1 }\n");
	assert_int_equal(jnet_lab_host_pick(lab, "h2", &e), -EADDRNOTAVAIL);
	assert_string_equal(e.msg,
	    "t.yaml:4:18: host 'h2': its underlay address 203.0.113.78 is not an address of this machine");
	assert_int_equal(jnet_lab_host_pick(lab, NULL, &e), -EADDRNOTAVAIL);
	jnet_lab_free(lab);
	lab = parse_ok("lab: one\njails: { a: }\n");
	assert_int_equal(jnet_lab_host_pick(lab, NULL, &e), 0);
	assert_int_equal(jnet_lab_host_pick(lab, "h1", &e), -EINVAL);
	jnet_lab_free(lab);
}

/* lab graph: a cluster per host with its jails and its own bridges; VXLAN bridges
 * between them, labelled with their VNI. */
static void
test_graph(void **state)
{
	struct jnet_lab *lab = parse_ok(three);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(jnet_lab_graph_dot(lab, f), 0);
	fclose(f);
	assert_non_null(strstr(buf,
	    "\tsubgraph \"cluster_host:h1\" {\n\t\tlabel=\"host h1\\n192.0.2.1\";\n"
	    "\t\tstyle=rounded;\n\t\t\"jail:a\";\n\t}\n"));
	assert_non_null(strstr(buf,
	    "\tsubgraph \"cluster_host:h3\" {\n\t\tlabel=\"host h3\\n192.0.2.3 port 4790\";\n"
	    "\t\tstyle=rounded;\n\t\t\"jail:c\";\n\t\t\"jail:d\";\n\t\t\"bridge:local0\";\n\t}\n"));
	assert_non_null(strstr(buf, "\t\"bridge:lan1\" [xlabel=\"VXLAN 4242\"];\n}\n"));
	free(buf);
	jnet_lab_free(lab);
}

struct bad {
	const char *name;
	const char *text;
	const char *msg;
};

#define H2 "lab: t\nhosts:\n  h1: 192.0.2.1\n  h2: 192.0.2.2\n"
static const struct bad bad[] = {
	{ "unknown host", H2 "jails:\n  a: { host: h3 }\n",
	  "t.yaml:6:14: host 'h3' is not defined under 'hosts'" },
	{ "no host with two hosts", H2 "jails:\n  a: { host: h1 }\n  b: {}\n",
	  "t.yaml:7:3: jail 'b' has no 'host' (the lab has 2 hosts)" },
	{ "host without hosts", "lab: t\njails:\n  a: { host: h1 }\n",
	  "t.yaml:3:14: jail 'a' has a 'host' but the lab has no 'hosts'" },
	{ "duplicate vni", "lab: t\nbridges:\n  a: { vni: 5 }\n  b: { vni: 5 }\n",
	  "t.yaml:4:13: bridge 'b' has VNI 5, as bridge 'a' (line 3)" },
	{ "derived vni collision", "lab: t\nbridges:\n  b3179:\n  b4452:\n",
	  "t.yaml:4:3: bridge 'b4452' has VNI 6440792, as bridge 'b3179' (line 3): give one of them a 'vni'" },
	{ "vni 0", "lab: t\nbridges:\n  a: { vni: 0 }\n",
	  "t.yaml:3:13: vni 0 is out of range (1..16777215)" },
	{ "vni too big", "lab: t\nbridges:\n  a: { vni: 16777216 }\n",
	  "t.yaml:3:13: vni 16777216 is out of range (1..16777215)" },
	{ "vni not a number", "lab: t\nbridges:\n  a: { vni: x }\n",
	  "t.yaml:3:13: vni must be an integer" },
	{ "mixed families", "lab: t\nhosts:\n  h1: 192.0.2.1\n  h2: '2001:db8::2'\n",
	  "t.yaml:4:7: host 'h2' has an IPv6 underlay address, host 'h1' an IPv4 one: one family for all hosts" },
	{ "same address", "lab: t\nhosts:\n  h1: 192.0.2.1\n  h2: { address: 192.0.2.1 }\n",
	  "t.yaml:4:18: host 'h2' has the underlay address of host 'h1' (192.0.2.1)" },
	{ "multicast underlay", "lab: t\nhosts:\n  h1: 239.1.1.1\n",
	  "t.yaml:3:7: host 'h1': underlay address '239.1.1.1' is not a unicast address a VXLAN tunnel can use (multicast, loopback, link-local or unspecified)" },
	{ "link-local underlay", "lab: t\nhosts:\n  h1: 'fe80::1'\n",
	  "t.yaml:3:7: host 'h1': underlay address 'fe80::1' is not a unicast address a VXLAN tunnel can use (multicast, loopback, link-local or unspecified)" },
	{ "unknown host key", "lab: t\nhosts:\n  h1: { address: 192.0.2.1, prot: 1 }\n",
	  "t.yaml:3:29: unknown key 'prot' in host 'h1' (allowed: address, port)" },
	{ "no address", "lab: t\nhosts:\n  h1: { port: 1 }\n",
	  "t.yaml:3:7: host 'h1' has no 'address' (its underlay address)" },
	{ "port 0", "lab: t\nhosts:\n  h1: { address: 192.0.2.1, port: 0 }\n",
	  "t.yaml:3:35: port 0 is out of range (1..65535)" },
	{ "bad host name", "lab: t\nhosts:\n  'h 1': 192.0.2.1\n",
	  "t.yaml:3:3: host name must be 1..64 letters, digits, '_' or '-'" },
	{ "hosts not a map", "lab: t\nhosts: [ 192.0.2.1 ]\n",
	  "t.yaml:2:8: 'hosts' must be a mapping (host name: underlay address)" },
	{ "spanning bridge with uplink",
	  H2 "bridges:\n  w: { uplink: em0 }\njails:\n"
	  "  a: { host: h1, interfaces: [ { bridge: w } ] }\n"
	  "  b: { host: h2, interfaces: [ { bridge: w } ] }\n",
	  "t.yaml:6:3: bridge 'w' has jails on several hosts and an uplink: not supported (the uplinks and the VXLAN tunnel would loop the segment)" },
	{ "link across hosts",
	  H2 "jails:\n  a: { host: h1 }\n  b: { host: h2 }\nlinks:\n  - [ { jail: a }, { jail: b } ]\n",
	  "t.yaml:9:5: a point-to-point link between jails on hosts 'h1' and 'h2' is not supported yet: put the two ends on a bridge (a bridge that spans hosts is carried by VXLAN)" },
};

static void
test_bad(void **state)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jnet_lab *lab = NULL;
		struct jnet_err e;
		int r;

		(void)state;
		jnet_err_clear(&e);
		r = jnet_lab_parse_string(bad[i].text, strlen(bad[i].text), "t.yaml", &lab, &e);
		if (r != -EINVAL || strcmp(e.msg, bad[i].msg) != 0)
			print_error("case '%s'\n want: %s\n got:  %s (%d)\n", bad[i].name,
			    bad[i].msg, e.msg, r);
		assert_int_equal(r, -EINVAL);
		assert_string_equal(e.msg, bad[i].msg);
		assert_null(lab);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_vni_derive),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_graph),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
