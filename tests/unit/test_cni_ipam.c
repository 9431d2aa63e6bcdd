/* jnet_cni_ipam_parse on CNI results of versions 0.4.0, 1.0.0, 1.1.0 and bad ones;
 * jnet_cni_apply's choices (which addresses, which next hop) against a recording backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cni_ipam.h"

static int
parse_text(const char *text, struct jnet_cni_ipam *out, struct jnet_err *e)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	int r;

	assert_non_null(j);
	jnet_err_clear(e);
	r = jnet_cni_ipam_parse(j, out, e);
	json_decref(j);
	return r;
}

static const char *
ntop(int family, const uint8_t *a)
{
	static char buf[4][INET6_ADDRSTRLEN];
	static int k;

	k = (k + 1) % 4;
	return inet_ntop(family, a, buf[k], sizeof(buf[k]));
}

static void
v040(void **state)
{
	struct jnet_cni_ipam r;
	struct jnet_err e;

	(void)state;
	assert_int_equal(parse_text("{\"cniVersion\":\"0.4.0\","
	    "\"interfaces\":[{\"name\":\"cni0\"},{\"name\":\"eth0\",\"sandbox\":\"/x\"}],"
	    "\"ips\":[{\"version\":\"4\",\"address\":\"10.1.0.5/16\",\"gateway\":\"10.1.0.1\","
	    "\"interface\":1},{\"version\":\"6\",\"address\":\"fd00::5/64\"}],"
	    "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"10.2.3.4/8\",\"gw\":\"10.1.0.254\"}],"
	    "\"dns\":{\"nameservers\":[\"10.1.0.1\"]}}", &r, &e), 0);
	assert_int_equal(r.nips, 2);
	assert_int_equal(r.ips[0].family, AF_INET);
	assert_string_equal(ntop(AF_INET, r.ips[0].addr), "10.1.0.5");
	assert_int_equal(r.ips[0].prefix, 16);
	assert_true(r.ips[0].has_gw);
	assert_string_equal(ntop(AF_INET, r.ips[0].gw), "10.1.0.1");
	assert_int_equal(r.ips[0].interface, 1);
	assert_int_equal(r.ips[1].family, AF_INET6);
	assert_string_equal(ntop(AF_INET6, r.ips[1].addr), "fd00::5");
	assert_false(r.ips[1].has_gw);
	assert_int_equal(r.ips[1].interface, -1);
	assert_int_equal(r.nroutes, 2);
	assert_int_equal(r.routes[0].prefix, 0);
	assert_false(r.routes[0].has_gw);
	/* host bits of a route's dst are cleared */
	assert_string_equal(ntop(AF_INET, r.routes[1].dst), "10.0.0.0");
	assert_int_equal(r.routes[1].prefix, 8);
	assert_string_equal(ntop(AF_INET, r.routes[1].gw), "10.1.0.254");
	/* the whole result is kept, dns included */
	assert_non_null(json_object_get(r.raw, "dns"));
	jnet_cni_ipam_free(&r);
	assert_null(r.raw);
	assert_int_equal(r.nips, 0);
}

static void
v100_v110(void **state)
{
	struct jnet_cni_ipam r;
	struct jnet_err e;

	(void)state;
	/* 1.0.0: an IPAM plugin's abbreviated result (no interfaces, no version) */
	assert_int_equal(parse_text("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":"
	    "\"192.168.1.3/24\",\"gateway\":\"192.168.1.1\"}],\"routes\":[{\"dst\":\"::/0\","
	    "\"gw\":\"fe80::1\"}]}", &r, &e), 0);
	assert_int_equal(r.nips, 1);
	assert_int_equal(r.ips[0].interface, -1);
	assert_int_equal(r.routes[0].family, AF_INET6);
	assert_string_equal(ntop(AF_INET6, r.routes[0].gw), "fe80::1");
	jnet_cni_ipam_free(&r);
	/* 1.1.0: routes may carry mtu, advmss, priority, table, scope (not used here) */
	assert_int_equal(parse_text("{\"cniVersion\":\"1.1.0\",\"interfaces\":[{\"name\":"
	    "\"eth0\",\"mtu\":1400,\"socketPath\":\"/s\"}],\"ips\":[{\"address\":\"10.9.0.2/30\","
	    "\"interface\":0}],\"routes\":[{\"dst\":\"10.10.0.0/16\",\"gw\":\"10.9.0.1\",\"mtu\":"
	    "1300,\"advmss\":1200,\"priority\":5,\"table\":100,\"scope\":0}]}", &r, &e), 0);
	assert_int_equal(r.nips, 1);
	assert_int_equal(r.ips[0].interface, 0);
	assert_int_equal(r.ips[0].prefix, 30);
	assert_int_equal(r.nroutes, 1);
	jnet_cni_ipam_free(&r);
	/* an empty result is a result with nothing */
	assert_int_equal(parse_text("{\"cniVersion\":\"1.0.0\"}", &r, &e), 0);
	assert_int_equal(r.nips, 0);
	assert_int_equal(r.nroutes, 0);
	assert_non_null(r.raw);
	jnet_cni_ipam_free(&r);
}

static void
bad_inputs(void **state)
{
	static const struct {
		const char *json, *msg;
	} cases[] = {
		{ "[]", "not a JSON object" },
		{ "{\"ips\":{}}", "ips is not an array" },
		{ "{\"routes\":\"x\"}", "routes is not an array" },
		{ "{\"ips\":[1]}", "ips[0]: is not an object" },
		{ "{\"ips\":[{}]}", "ips[0]: address must be ADDRESS/PREFIX, not 'absent" },
		{ "{\"ips\":[{\"address\":\"10.0.0.1\"}]}", "ips[0]: address" },
		{ "{\"ips\":[{\"address\":\"10.0.0.1/33\"}]}", "'10.0.0.1/33'" },
		{ "{\"ips\":[{\"address\":\"fd00::1/129\"}]}", "'fd00::1/129'" },
		{ "{\"ips\":[{\"address\":\"10.0.0.1/-1\"}]}", "'10.0.0.1/-1'" },
		{ "{\"ips\":[{\"address\":\"10.0.0.1/24x\"}]}", "'10.0.0.1/24x'" },
		{ "{\"ips\":[{\"address\":\"10.0.0.1/\"}]}", "'10.0.0.1/'" },
		{ "{\"ips\":[{\"address\":\"host/24\"}]}", "'host/24'" },
		{ "{\"ips\":[{\"address\":5}]}", "not a string" },
		{ "{\"ips\":[{\"address\":\"10.0.0.1/24\"},{\"version\":\"6\",\"address\":"
		  "\"10.0.0.2/24\"}]}", "ips[1]: version does not match the address: '6'" },
		{ "{\"ips\":[{\"version\":4,\"address\":\"10.0.0.2/24\"}]}", "version does not match" },
		{ "{\"ips\":[{\"address\":\"10.0.0.1/24\",\"gateway\":\"fd00::1\"}]}",
		  "next hop of the other family" },
		{ "{\"ips\":[{\"address\":\"10.0.0.1/24\",\"gateway\":\"10.0.0.1/24\"}]}",
		  "gateway '10.0.0.1/24'" },
		{ "{\"ips\":[{\"address\":\"10.0.0.1/24\",\"interface\":-1}]}", "interface must be" },
		{ "{\"ips\":[{\"address\":\"10.0.0.1/24\",\"interface\":\"0\"}]}", "interface must be" },
		{ "{\"routes\":[{\"gw\":\"10.0.0.1\"}]}", "routes[0]: dst must be" },
		{ "{\"routes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"x\"}]}", "routes[0]: gw 'x'" },
		{ "{\"routes\":[{\"dst\":\"::/0\",\"gw\":\"10.0.0.1\"}]}", "other family" },
	};
	struct jnet_cni_ipam r;
	struct jnet_err e;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse_text(cases[i].json, &r, &e);

		if (rc != -EBADMSG || strstr(e.msg, cases[i].msg) == NULL)
			fail_msg("case %zu %s: rc %d, msg '%s', expected '%s'", i, cases[i].json, rc,
			    e.msg, cases[i].msg);
		assert_null(r.ips);
		assert_null(r.raw);
		assert_int_equal(r.nips, 0);
	}
}

/* A backend that records addr_add/route_add. */
static char calls[1024];

static int
rec_addr(void *priv, const struct jnet_jail *j, const char *ifname, int family,
    const uint8_t *addr, int prefix, struct jnet_err *e)
{
	size_t n = strlen(calls);

	(void)priv, (void)j, (void)e;
	snprintf(calls + n, sizeof(calls) - n, "addr %s %s/%d;", ifname, ntop(family, addr), prefix);
	return 0;
}

static int
rec_route(void *priv, const struct jnet_jail *j, int family, const uint8_t *dst, int prefix,
    const uint8_t *via, struct jnet_err *e)
{
	size_t n = strlen(calls);

	(void)priv, (void)j, (void)e;
	snprintf(calls + n, sizeof(calls) - n, "route %s/%d via %s;", ntop(family, dst), prefix,
	    ntop(family, via));
	return 0;
}

/* Only the lab ops jnet_cni_apply calls. */
static const struct jnet_lab_ops rec_lab = { .addr_add = rec_addr, .route_add = rec_route };

static const struct jnet_backend_ops rec = { .name = "rec", .lab = &rec_lab };

static int
apply_text(const char *text, const char *ifname, struct jnet_err *e)
{
	struct jnet_cni_ipam r;
	struct jnet_jail j = { .name = "j" };
	int rc;

	calls[0] = '\0';
	assert_int_equal(parse_text(text, &r, e), 0);
	rc = jnet_cni_apply(&rec, NULL, &j, ifname, &r, e);
	jnet_cni_ipam_free(&r);
	return rc;
}

static void
apply(void **state)
{
	struct jnet_err e;

	(void)state;
	/* routes without gw: the first gateway of their family among the applied addresses */
	assert_int_equal(apply_text("{\"ips\":[{\"address\":\"10.0.0.5/24\"},{\"address\":"
	    "\"10.1.0.5/24\",\"gateway\":\"10.1.0.1\"},{\"address\":\"10.2.0.5/24\",\"gateway\":"
	    "\"10.2.0.1\"},{\"address\":\"fd00::5/64\",\"gateway\":\"fd00::1\"}],\"routes\":["
	    "{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"},{\"dst\":\"10.8.0.0/16\",\"gw\":"
	    "\"10.0.0.9\"}]}", "eth0", &e), 0);
	assert_string_equal(calls, "addr eth0 10.0.0.5/24;addr eth0 10.1.0.5/24;"
	    "addr eth0 10.2.0.5/24;addr eth0 fd00::5/64;route 0.0.0.0/0 via 10.1.0.1;"
	    "route ::/0 via fd00::1;route 10.8.0.0/16 via 10.0.0.9;");
	/* addresses of other interfaces are skipped, and their gateways not used */
	assert_int_equal(apply_text("{\"interfaces\":[{\"name\":\"br\"},{\"name\":\"eth1\"}],"
	    "\"ips\":[{\"address\":\"10.3.0.1/24\",\"gateway\":\"10.3.0.254\",\"interface\":0},"
	    "{\"address\":\"10.4.0.5/24\",\"gateway\":\"10.4.0.1\",\"interface\":1}],"
	    "\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}", "eth1", &e), 0);
	assert_string_equal(calls, "addr eth1 10.4.0.5/24;route 0.0.0.0/0 via 10.4.0.1;");
	/* refused before any change */
	assert_int_equal(apply_text("{\"ips\":[{\"address\":\"10.0.0.5/24\",\"gateway\":"
	    "\"10.0.0.1\"}],\"routes\":[{\"dst\":\"::/0\"}]}", "eth0", &e), -EOPNOTSUPP);
	assert_string_equal(calls, "");
	assert_non_null(strstr(e.msg, "route ::/0 has no gw"));
	assert_int_equal(apply_text("{\"interfaces\":[{\"name\":\"eth0\"}],\"ips\":[{\"address\":"
	    "\"10.0.0.5/24\"},{\"address\":\"10.0.0.6/24\",\"interface\":1}]}", "eth0", &e),
	    -EINVAL);
	assert_string_equal(calls, "");
	assert_non_null(strstr(e.msg, "ips[1]: interface 1 is not an index"));
}

static void
exec_refusals(void **state)
{
	struct jnet_err e;
	char *env[] = { "CNI_COMMAND=ADD", NULL };

	(void)state;
	jnet_err_clear(&e);
	assert_int_equal(jnet_cni_ipam_exec("a/b", "ADD", "/usr/lib/cni", env, "{}", NULL, &e),
	    -EINVAL);
	assert_int_equal(jnet_cni_ipam_exec("..", "ADD", "/", env, "{}", NULL, &e), -EINVAL);
	assert_int_equal(jnet_cni_ipam_exec("", "ADD", "/", env, "{}", NULL, &e), -EINVAL);
	assert_int_equal(jnet_cni_ipam_exec("jnet-no-such-plugin", "ADD", "/nonexistent::",
	    env, "{}", NULL, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "no executable 'jnet-no-such-plugin' in CNI_PATH"));
	assert_int_equal(jnet_cni_ipam_exec("x", "ADD", NULL, env, "{}", NULL, &e), -ENOENT);
	assert_int_equal(e.cni_code, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v040),
		cmocka_unit_test(v100_v110),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(apply),
		cmocka_unit_test(exec_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
