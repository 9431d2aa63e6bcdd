/*
 * ipMasq on FreeBSD (backend op masq = fbc_masq, src/fbsd/common_pf.c) on the epair and
 * the netgraph backend, over the model's pf tables (model_pf.c): add, add again, delete,
 * delete what is not there, pf not loaded, somebody else's entries, and a fault at every
 * kernel call of an add and of a delete.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "backend.h"
#include "fbsd.h"
#include "model.h"
#include "model_pf.h"

static const char *const backends[] = {
	"epair",
#ifdef JNET_HAVE_NETGRAPH
	"netgraph",
#endif
};
#define NBACKENDS ((int)(sizeof(backends) / sizeof(backends[0])))

static const struct jnet_backend_ops *B;
static void *P;
static struct jnet_err E;

static void
open_backend(int k)
{
	model_set_fault(0, 0);
	assert_int_equal(model_ctl_reset(), 0);
	B = jnet_backend_find(backends[k]);
	assert_non_null(B);
	assert_non_null(B->masq);
	assert_int_equal(B->open(&P, &E), 0);
}

static void
close_backend(void)
{
	B->close(P);
	P = NULL;
}

/* masq of "ADDR/PREFIX" in table (NULL: the default). */
static int
masq(bool add, const char *table, const char *cidr)
{
	char s[64];
	uint8_t a[16] = { 0 };
	int family, prefix;
	char *slash;

	jnet_strlcpy(s, cidr, sizeof(s));
	slash = strchr(s, '/');
	assert_non_null(slash);
	*slash = '\0';
	prefix = atoi(slash + 1);
	family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(family, s, a), 1);
	memset(&E, 0, sizeof(E));
	return B->masq(P, add, table, "net1", "c0ffee", family, a, prefix, &E);
}

/* The tables that hold addresses, as JSON (empty tables left out). */
static json_t *
tables(void)
{
	json_t *d = model_ctl_dump(), *t, *out = json_object(), *v;
	const char *k;

	t = json_object_get(json_object_get(json_object_get(d, "ext"), "pf"), "tables");
	json_object_foreach(t, k, v)
		if (json_array_size(v) > 0)
			json_object_set(out, k, v);
	json_decref(d);
	return out;
}

/* Does `table` hold exactly the addresses of the space-separated list? */
static void
assert_table(const char *table, const char *want)
{
	struct fbsd_pfaddr v[16];
	char got[512] = "", t[64];
	int n = fbsd_pf_addrs(table, v, 16);

	if (want == NULL) {
		assert_int_equal(n, -ESRCH);
		return;
	}
	assert_true(n >= 0 && n <= 16);
	for (int i = 0; i < n; i++) {
		inet_ntop(v[i].family, v[i].addr, t, sizeof(t));
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s/%d", i ? " " : "", t,
		    v[i].prefix);
	}
	if (strcmp(got, want) != 0) {
		print_message("table %s: got \"%s\", want \"%s\"\n", table, got, want);
		fail();
	}
}

static void
pf_not_loaded(void **state)
{
	(void)state;
	for (int k = 0; k < NBACKENDS; k++) {
		json_t *before;

		open_backend(k);
		before = model_ctl_dump();
		assert_int_equal(masq(true, NULL, "10.88.0.5/16"), -ENOENT);
		assert_non_null(strstr(E.msg, "pf is not loaded (kldload pf, pf_enable=YES)"));
		/* ... and names the address, network, container and table. */
		assert_non_null(strstr(E.msg, "ipMasq of 10.88.0.5 (network net1, container c0ffee) "
		    "needs pf table cni-nat"));
		/* Nothing can be in a table of an unloaded pf: a delete has nothing to do. */
		assert_int_equal(masq(false, NULL, "10.88.0.5/16"), 0);
		assert_int_equal(E.code, 0);
		/* Neither changed the model's state (not even an empty pf part in the dump). */
		{
			json_t *after = model_ctl_dump();

			assert_true(json_equal(before, after));
			json_decref(after);
		}
		json_decref(before);
		close_backend();
	}
}

static void
add_twice_del_twice(void **state)
{
	(void)state;
	for (int k = 0; k < NBACKENDS; k++) {
		open_backend(k);
		assert_int_equal(model_pf_ctl_load(true), 0);
		assert_table("cni-nat", NULL);
		/* The address alone (/32, /128), the table made persistent when missing. */
		assert_int_equal(masq(true, NULL, "10.88.0.5/16"), 0);
		assert_table("cni-nat", "10.88.0.5/32");
		assert_table("jnet-cni-nat", "10.88.0.5/32");
		assert_int_equal(masq(true, NULL, "10.88.0.5/16"), 0);
		assert_table("cni-nat", "10.88.0.5/32");
		assert_int_equal(masq(true, NULL, "fd00:88::5/64"), 0);
		assert_table("cni-nat", "10.88.0.5/32 fd00:88::5/128");
		assert_int_equal(masq(false, NULL, "10.88.0.5/16"), 0);
		assert_table("cni-nat", "fd00:88::5/128");
		assert_table("jnet-cni-nat", "fd00:88::5/128");
		assert_int_equal(masq(false, NULL, "10.88.0.5/16"), 0);
		assert_int_equal(masq(false, NULL, "fd00:88::5/64"), 0);
		assert_table("cni-nat", "");
		assert_table("jnet-cni-nat", "");
		/* Deleting from tables that do not exist is success too. */
		assert_int_equal(masq(false, "none", "10.88.0.9/16"), 0);
		assert_table("none", NULL);
		close_backend();
	}
}

static void
leaves_others_alone(void **state)
{
	(void)state;
	for (int k = 0; k < NBACKENDS; k++) {
		open_backend(k);
		assert_int_equal(model_pf_ctl_load(true), 0);
		/* pf.conf's network and podman's plugin's container (pfctl -T add). */
		assert_int_equal(model_pf_ctl_change("cni-nat", "10.89.0.0/24", true), 1);
		assert_int_equal(model_pf_ctl_change("cni-nat", "10.88.0.7", true), 1);
		assert_int_equal(masq(true, NULL, "10.88.0.7/16"), 0);   /* there already */
		assert_int_equal(masq(true, NULL, "10.88.0.8/16"), 0);
		assert_table("cni-nat", "10.89.0.0/24 10.88.0.7/32 10.88.0.8/32");
		assert_table("jnet-cni-nat", "10.88.0.8/32");
		/* jnet added 10.88.0.7 nowhere: its delete leaves it to its owner. */
		assert_int_equal(masq(false, NULL, "10.88.0.7/16"), 0);
		assert_int_equal(masq(false, NULL, "10.88.0.8/16"), 0);
		assert_table("cni-nat", "10.89.0.0/24 10.88.0.7/32");
		/* Another table, by name: cni-nat untouched. */
		assert_int_equal(masq(true, "jnet-scratch", "10.90.0.2/24"), 0);
		assert_table("jnet-scratch", "10.90.0.2/32");
		assert_table("jnet-jnet-scratch", "10.90.0.2/32");
		assert_table("cni-nat", "10.89.0.0/24 10.88.0.7/32");
		close_backend();
	}
}

static void
bad_input(void **state)
{
	uint8_t a[16] = { 10, 88, 0, 5 };

	(void)state;
	for (int k = 0; k < NBACKENDS; k++) {
		open_backend(k);
		assert_int_equal(model_pf_ctl_load(true), 0);
		assert_int_equal(masq(true, NULL, "10.88.0.5/33"), -EINVAL);
		assert_int_equal(B->masq(P, true, NULL, "n", "c", AF_UNIX, a, 8, &E), -EINVAL);
		/* 27 characters: "jnet-" + it is over PF_TABLE_NAME_SIZE - 1. */
		assert_int_equal(masq(true, "abcdefghijklmnopqrstuvwxyz0", "10.88.0.5/16"), -EINVAL);
		assert_non_null(strstr(E.msg, "1 to 26 characters"));
		assert_int_equal(masq(true, "abcdefghijklmnopqrstuvwxyz", "10.88.0.5/16"), 0);
		assert_int_equal(masq(true, "", "10.88.0.5/16"), -EINVAL);
		close_backend();
	}
}

/* A fault (EIO) at kernel call k of the operation: it fails naming the call, the
 * tables' addresses are as they were, and it works when run again. */
static void
fault_each_call(bool add, bool table_exists)
{
	for (int b = 0; b < NBACKENDS; b++) {
		long n;
		json_t *ok;

		open_backend(b);
		assert_int_equal(model_pf_ctl_load(true), 0);
		if (table_exists)
			assert_int_equal(model_pf_ctl_change("cni-nat", "10.89.0.0/24", true), 1);
		if (!add)
			assert_int_equal(masq(true, NULL, "10.88.0.5/16"), 0);
		n = model_calls();
		assert_int_equal(masq(add, NULL, "10.88.0.5/16"), 0);
		n = model_calls() - n;
		ok = tables();
		close_backend();
		assert_true(n >= 2);
		for (long k = 1; k <= n; k++) {
			json_t *before, *after;
			char op[64];

			open_backend(b);
			assert_int_equal(model_pf_ctl_load(true), 0);
			if (table_exists)
				assert_int_equal(model_pf_ctl_change("cni-nat", "10.89.0.0/24", true), 1);
			if (!add)
				assert_int_equal(masq(true, NULL, "10.88.0.5/16"), 0);
			before = tables();
			model_set_fault(model_calls() + k, EIO);
			assert_int_equal(masq(add, NULL, "10.88.0.5/16"), -EIO);
			jnet_strlcpy(op, model_fault_op(), sizeof(op));
			model_set_fault(0, 0);
			after = tables();
			if (!json_equal(before, after) || strstr(E.msg, op) == NULL) {
				print_message("%s %s: fault at call %ld (%s): %s\n", backends[b],
				    add ? "add" : "del", k, op, E.msg);
				fail();
			}
			assert_int_equal(masq(add, NULL, "10.88.0.5/16"), 0);
			after = (json_decref(after), tables());
			assert_true(json_equal(ok, after));
			json_decref(before);
			json_decref(after);
			close_backend();
		}
		json_decref(ok);
	}
}

static void
faults_add(void **state)
{
	(void)state;
	fault_each_call(true, false);
	fault_each_call(true, true);
}

static void
faults_del(void **state)
{
	(void)state;
	fault_each_call(false, true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pf_not_loaded),
		cmocka_unit_test(add_twice_del_twice),
		cmocka_unit_test(leaves_others_alone),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(faults_add),
		cmocka_unit_test(faults_del),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
