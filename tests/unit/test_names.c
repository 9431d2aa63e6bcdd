/* Interface names: jib/jng-compatible forms, short forms, refusals, collisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

static void
name_is(enum jnet_name_style st, const char *jail, int i, char end, const char *want)
{
	char out[JNET_IFNAMSIZ];

	assert_int_equal(jnet_ifname(out, st, jail, i, end), 0);
	assert_string_equal(out, want);
}

static void
jib_names(void **state)
{
	(void)state;
	name_is(JNET_NAMES_PAIR, "web", 0, 'a', "e0a_web");
	name_is(JNET_NAMES_PAIR, "web", 0, 'b', "e0b_web");
	name_is(JNET_NAMES_PAIR, "web", 7, 'b', "e7b_web");
	name_is(JNET_NAMES_PAIR, "Web_01", 1, 'a', "e1a_Web_01");
	/* 15 characters exactly: still verbatim. */
	name_is(JNET_NAMES_PAIR, "abcdefghijk", 0, 'a', "e0a_abcdefghijk");
	name_is(JNET_NAMES_NG, "web", 2, 'x', "ng2_web");
	name_is(JNET_NAMES_NG, "abcdefghijk", 0, 'a', "ng0_abcdefghijk");
	assert_true(jnet_ifname_verbatim(JNET_NAMES_PAIR, "web", 0));
	assert_false(jnet_ifname_verbatim(JNET_NAMES_PAIR, "abcdefghijkl", 0));
	/* index 10 makes the prefix longer: 11 chars no longer fit */
	assert_false(jnet_ifname_verbatim(JNET_NAMES_PAIR, "abcdefghijk", 10));
}

static void
short_names(void **state)
{
	(void)state;
	/* Vectors from the documented algorithm (FNV-1a 64 + splitmix64, base32), computed
	 * independently of this code. */
	name_is(JNET_NAMES_PAIR, "abcdefghijklmnopqrstuvwxyz0123456789abcd", 0, 'a', "e0a-abgbuakrzsb");
	name_is(JNET_NAMES_PAIR, "web.example.com", 0, 'b', "e0b-wei7ltn4g3v");
	name_is(JNET_NAMES_NG, "a-very-long-jail-name", 0, 'a', "ng0-avm6uec27a7");
	name_is(JNET_NAMES_PAIR, "xxxxxxxxxxxxxxxxxxxx", 12, 'a', "e12a-xph5wnuxpk");
	assert_true(jnet_hash64("web", 3) == 0xc850f03f92a375f3ULL);
}

static void
short_names_never_verbatim(void **state)
{
	char a[JNET_IFNAMSIZ], b[JNET_IFNAMSIZ];

	(void)state;
	/* A jail literally named like a short form's tail gets '_', the short form '-'. */
	assert_int_equal(jnet_ifname(a, JNET_NAMES_PAIR, "abcdefghijklmnopqrstuvwxyz0123456789abcd", 0, 'a'), 0);
	assert_int_equal(jnet_ifname(b, JNET_NAMES_PAIR, a + 4, 0, 'a'), 0);
	assert_string_not_equal(a, b);
	assert_true(strlen(a) <= 15 && strlen(b) <= 15);
}

static int
cmp(const void *x, const void *y)
{
	return strcmp(x, y);
}

static void
no_collisions(void **state)
{
	enum { N = 100000 };
	char (*v)[JNET_IFNAMSIZ] = malloc((size_t)N * JNET_IFNAMSIZ);
	char jail[64];

	(void)state;
	assert_non_null(v);
	/* 100,000 long names sharing a 40-character prefix: all distinct, none truncated. */
	for (int i = 0; i < N; i++) {
		snprintf(jail, sizeof(jail), "customer-environment-production-web-%06d", i);
		assert_int_equal(jnet_ifname(v[i], JNET_NAMES_PAIR, jail, 0, 'b'), 0);
		assert_true(strlen(v[i]) <= 15);
	}
	qsort(v, N, JNET_IFNAMSIZ, cmp);
	for (int i = 1; i < N; i++)
		assert_string_not_equal(v[i - 1], v[i]);
	free(v);
}

static void
refusals(void **state)
{
	struct jnet_err e;
	char big[300];

	(void)state;
	assert_int_equal(jnet_jail_name_check("web", &e), 0);
	assert_int_equal(jnet_jail_name_check("web.example-1:x", &e), 0);
	assert_int_equal(jnet_jail_name_check("", &e), -EINVAL);
	assert_string_equal(e.msg, "empty jail name");
	assert_int_equal(jnet_jail_name_check(NULL, &e), -EINVAL);
	assert_int_equal(jnet_jail_name_check("a/b", &e), -EINVAL);
	assert_string_equal(e.msg, "jail name 'a/b' contains '/'");
	assert_int_equal(jnet_jail_name_check("..", &e), -EINVAL);
	assert_string_equal(e.msg, "jail name '..' contains '..'");
	assert_int_equal(jnet_jail_name_check(".", &e), -EINVAL);
	assert_string_equal(e.msg,
	    "jail name '.' is refused: in a path it means the directory itself");
	assert_int_equal(jnet_jail_name_check(".web", &e), 0);
	assert_int_equal(jnet_jail_name_check("a..b", &e), -EINVAL);
	assert_int_equal(jnet_jail_name_check("a b", &e), -EINVAL);
	assert_non_null(strstr(e.msg, "whitespace"));
	assert_int_equal(jnet_jail_name_check("a\nb", &e), -EINVAL);
	assert_int_equal(jnet_jail_name_check("caf\xc3\xa9", &e), -EINVAL);
	assert_int_equal(jnet_jail_name_check("-rf", &e), -EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(jnet_jail_name_check(big, &e), -ENAMETOOLONG);
	/* the longest name whose tag still fits the kernel's 255-byte alias, and one more */
	memset(big, 'a', sizeof(big));
	big[JNET_JAILNAME_MAX] = '\0';
	assert_int_equal(jnet_jail_name_check(big, &e), 0);
	big[JNET_JAILNAME_MAX] = 'a';
	big[JNET_JAILNAME_MAX + 1] = '\0';
	assert_int_equal(jnet_jail_name_check(big, &e), -ENAMETOOLONG);
	assert_int_equal(jnet_ifname_check("em0", &e), 0);
	assert_int_equal(jnet_ifname_check("abcdefghijklmnop", &e), -ENAMETOOLONG);
	assert_int_equal(jnet_ifname_check("a:b", &e), -EINVAL);
	assert_int_equal(jnet_ifname_check("", &e), -EINVAL);
	{
		char out[JNET_IFNAMSIZ];
		assert_int_equal(jnet_ifname(out, JNET_NAMES_PAIR, "web", 0, 'c'), -EINVAL);
		assert_int_equal(jnet_ifname(out, JNET_NAMES_PAIR, "web", JNET_MAXLINKS, 'a'), -EINVAL);
		assert_int_equal(jnet_ifname(out, JNET_NAMES_PAIR, "web", -1, 'a'), -EINVAL);
	}
}

/* VLAN uplinks: PARENT:VID, and the one name jnet gives its VLAN interface. */
static void
vlan_specs(void **state)
{
	static const char *const bad[] = {
		"em0:", ":20", "em0:0", "em0:4095", "em0:020", "em0:+20", "em0:2x", "em0:20:1",
		"e/0:20", "em 0:20", "em0:99999999999999999999", "abcdefghijklmnop:1",
	};
	char parent[JNET_IFNAMSIZ], out[JNET_IFNAMSIZ];
	struct jnet_err e;
	int vid;

	(void)state;
	assert_int_equal(jnet_vlan_spec("em0", parent, &vid, &e), 0);
	assert_int_equal(jnet_vlan_spec("em0.20", parent, &vid, &e), 0); /* the admin's: plain */
	assert_int_equal(jnet_vlan_spec("em0:20", parent, &vid, &e), 1);
	assert_string_equal(parent, "em0");
	assert_int_equal(vid, 20);
	assert_int_equal(jnet_vlan_spec("vlan5:4094", parent, &vid, &e), 1);
	assert_string_equal(parent, "vlan5");
	assert_int_equal(vid, 4094);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i]);
		assert_int_equal(jnet_vlan_spec(bad[i], parent, &vid, &e), -EINVAL);
		assert_int_equal(e.code, EINVAL);
	}
	assert_int_equal(jnet_vlan_ifname(out, "em0", 20, &e), 0);
	assert_string_equal(out, "em0v20");
	/* one name per spec: the VID is the digits after the last 'v' */
	assert_int_equal(jnet_vlan_ifname(out, "em0v2", 1, &e), 0);
	assert_string_equal(out, "em0v2v1");
	assert_int_equal(jnet_vlan_ifname(out, "enp0s31f6", 4094, &e), 0);
	assert_string_equal(out, "enp0s31f6v4094");
	assert_int_equal(jnet_vlan_ifname(out, "abcdefghijkl", 100, &e), -ENAMETOOLONG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jib_names),
		cmocka_unit_test(short_names),
		cmocka_unit_test(short_names_never_verbatim),
		cmocka_unit_test(no_collisions),
		cmocka_unit_test(refusals),
		cmocka_unit_test(vlan_specs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
