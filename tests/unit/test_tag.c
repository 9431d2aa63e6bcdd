/* Ownership tags round-trip; anything else is not ours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "tag.h"

static void
roundtrip(void **state)
{
	struct jnet_tag t, u;
	char s[JNET_TAGSIZ];

	(void)state;
	jnet_tag_link(&t, "netns", "web.example-1", 3, 'b');
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_string_equal(s, "jnet/1 link netns 3 b web.example-1");
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_int_equal(u.kind, JNET_TAG_LINK);
	assert_string_equal(u.backend, "netns");
	assert_int_equal(u.index, 3);
	assert_int_equal(u.end, 'b');
	assert_string_equal(u.name, "web.example-1");

	jnet_tag_bridge(&t, "epair", NULL);
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_string_equal(s, "jnet/1 bridge epair -");
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_int_equal(u.kind, JNET_TAG_BRIDGE);
	assert_string_equal(u.name, "-");
	jnet_tag_bridge(&t, "netns", "demo");
	jnet_tag_format(s, sizeof(s), &t);
	assert_string_equal(s, "jnet/1 bridge netns demo");
	jnet_tag_jail(&t, "netns", "demo");
	jnet_tag_format(s, sizeof(s), &t);
	assert_string_equal(s, "jnet/1 jail netns demo");
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_int_equal(u.kind, JNET_TAG_JAIL);
	assert_string_equal(u.name, "demo");
}

static void
not_ours(void **state)
{
	static const char *const bad[] = {
		"", "host interface for web", "jnet/2 link netns 0 a web", "jnet/1 link netns 0 c web",
		"jnet/1 link netns 64 a web", "jnet/1 link netns -1 a web", "jnet/1 link netns x a web",
		"jnet/1 link netns 0 a", "jnet/1 link netns 0 a web extra", "jnet/1 tunnel netns 0 a web",
		"jnet/1 bridge netns", "jnet/1 link netns 0 a ", "jnet/1", "jnet/1x link netns 0 a web",
	};
	struct jnet_tag t;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i]);
		assert_int_equal(jnet_tag_parse(bad[i], &t), -EINVAL);
	}
	assert_int_equal(jnet_tag_parse(NULL, &t), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip),
		cmocka_unit_test(not_ours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
