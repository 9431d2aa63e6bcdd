/* MACs: stable vectors, jib's derive_mac vectors (computed by hand), parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mac.h"

static void
mac_is(const uint8_t m[6], const char *want)
{
	char s[JNET_MACSTRLEN];

	jnet_mac_format(m, s);
	assert_string_equal(s, want);
}

static void
stable_vectors(void **state)
{
	uint8_t m[6];

	(void)state;
	/* Computed independently from the documented formula (see mac.h). These must never
	 * change between versions: a changed MAC loses DHCP leases. */
	jnet_mac_stable(m, "test-salt", "web", 0, 'a');
	mac_is(m, "b2:fc:8f:12:bf:5f");
	jnet_mac_stable(m, "test-salt", "web", 0, 'b');
	mac_is(m, "22:e9:a3:13:d1:f7");
	jnet_mac_stable(m, "test-salt", "web", 1, 'a');
	mac_is(m, "06:1c:33:3d:d0:df");
	jnet_mac_stable(m, "other", "web", 0, 'a');
	mac_is(m, "be:53:fe:e4:d2:2e");
	jnet_mac_stable(m, "test-salt", "em0bridge", 0, 'r');
	mac_is(m, "ba:83:c6:09:16:98");
}

static void
stable_properties(void **state)
{
	char jail[32];
	uint8_t m[6];

	(void)state;
	for (int i = 0; i < 10000; i++) {
		snprintf(jail, sizeof(jail), "j%d", i);
		jnet_mac_stable(m, "salt", jail, i % 4, i % 2 ? 'a' : 'b');
		assert_int_equal(m[0] & 1, 0); /* unicast */
		assert_int_equal(m[0] & 2, 2); /* locally administered */
	}
}

static void
bsd_sum(void **state)
{
	(void)state;
	/* By hand: c=0; 'w'(119) -> 119; rotate 119 -> 32827, +101 -> 32928;
	 * rotate -> 16464, +98 -> 16562. */
	assert_int_equal(jnet_bsd_sum("web"), 16562);
	assert_int_equal(jnet_bsd_sum(""), 0);
	/* 'a'(97): 97. */
	assert_int_equal(jnet_bsd_sum("a"), 97);
	/* "ab": rotate 97 -> (97>>1)=48 + (1<<15)=32816, +98 = 32914. */
	assert_int_equal(jnet_bsd_sum("ab"), 32914);
}

static void
jib_vectors(void **state)
{
	static const uint8_t plain[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t x2[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
	static const uint8_t xe[6] = { 0x0e, 0x00, 0x00, 0x01, 0x02, 0x03 };
	uint8_t a[6], b[6];

	(void)state;
	/* NP:SS:SS:II:II:II; "web" sums to 0x40b2; plain uplink: a=2, b=e. */
	jnet_mac_jib(a, b, plain, "web", 0);
	mac_is(a, "02:40:b2:33:44:55");
	mac_is(b, "0e:40:b2:33:44:55");
	/* second link on the same uplink: N = 1 */
	jnet_mac_jib(a, b, plain, "web", 1);
	mac_is(a, "12:40:b2:33:44:55");
	mac_is(b, "1e:40:b2:33:44:55");
	/* N is masked to 4 bits */
	jnet_mac_jib(a, b, plain, "web", 17);
	mac_is(a, "12:40:b2:33:44:55");
	/* uplink first octet ?2 -> a=a, b=e */
	jnet_mac_jib(a, b, x2, "web", 0);
	mac_is(a, "0a:40:b2:aa:bb:cc");
	mac_is(b, "0e:40:b2:aa:bb:cc");
	/* uplink first octet ?e -> a=2, b=6 */
	jnet_mac_jib(a, b, xe, "ab", 0);
	mac_is(a, "02:80:92:01:02:03");
	mac_is(b, "06:80:92:01:02:03");
}

static void
parse(void **state)
{
	struct jnet_err e;
	uint8_t m[6];

	(void)state;
	assert_int_equal(jnet_mac_parse("02:00:5e:10:00:01", m, &e), 0);
	mac_is(m, "02:00:5e:10:00:01");
	assert_int_equal(jnet_mac_parse("02-00-5E-10-00-0A", m, &e), 0);
	mac_is(m, "02:00:5e:10:00:0a");
	assert_int_equal(jnet_mac_parse("01:00:5e:10:00:01", m, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "multicast"));
	assert_int_equal(jnet_mac_parse("00:00:00:00:00:00", m, &e), -EINVAL);
	assert_int_equal(jnet_mac_parse("02:00:5e:10:00", m, &e), -EINVAL);
	assert_int_equal(jnet_mac_parse("02:00:5e:10:00:011", m, &e), -EINVAL);
	assert_int_equal(jnet_mac_parse("02:00-5e:10:00:01", m, &e), -EINVAL);
	assert_int_equal(jnet_mac_parse("0g:00:5e:10:00:01", m, &e), -EINVAL);
	assert_int_equal(jnet_mac_parse(" 2:00:5e:10:00:01", m, &e), -EINVAL);
}

static void
modes_and_salt(void **state)
{
	enum jnet_mac_mode mm;
	struct jnet_err e;
	char salt[64];

	(void)state;
	assert_int_equal(jnet_mac_mode_parse("jib", &mm), 0);
	assert_int_equal(mm, JNET_MAC_JIB);
	assert_string_equal(jnet_mac_mode_name(mm), "jib");
	assert_int_equal(jnet_mac_mode_parse("Stable", &mm), -EINVAL);
	/* The environment is the CLI's to read: a pinned salt reaches the core through
	 * ctx->salt, never through jnet_host_salt (the machine's identity only). */
	setenv("JNET_MAC_SALT", "pinned", 1);
	salt[0] = '\0';
	if (jnet_host_salt(salt, sizeof(salt), &e) == 0)
		assert_string_not_equal(salt, "pinned");
	else
		assert_int_equal(e.code, ENOENT);
	unsetenv("JNET_MAC_SALT");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stable_vectors),
		cmocka_unit_test(stable_properties),
		cmocka_unit_test(bsd_sum),
		cmocka_unit_test(jib_vectors),
		cmocka_unit_test(parse),
		cmocka_unit_test(modes_and_salt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
