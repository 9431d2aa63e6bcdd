/* Ownership tags round-trip; anything else is not ours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
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
	assert_string_equal(s, "jnet/2 link netns 3 b web.example-1");
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_int_equal(u.kind, JNET_TAG_LINK);
	assert_string_equal(u.backend, "netns");
	assert_int_equal(u.index, 3);
	assert_int_equal(u.end, 'b');
	assert_string_equal(u.name, "web.example-1");

	jnet_tag_bridge(&t, "epair", NULL);
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_string_equal(s, "jnet/2 bridge epair -");
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_int_equal(u.kind, JNET_TAG_BRIDGE);
	assert_string_equal(u.name, "-");
	jnet_tag_bridge(&t, "netns", "demo");
	jnet_tag_format(s, sizeof(s), &t);
	assert_string_equal(s, "jnet/2 bridge netns demo");
	jnet_tag_jail(&t, "netns", "demo");
	jnet_tag_format(s, sizeof(s), &t);
	assert_string_equal(s, "jnet/2 jail netns demo");
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_int_equal(u.kind, JNET_TAG_JAIL);
	assert_string_equal(u.name, "demo");
}

/* check/repair's fields: br= and mtu= on links, left out (mtu= first) of a tag that
 * would not fit with them. */
static void
check_fields(void **state)
{
	struct jnet_tag t, u;
	char s[JNET_TAGSIZ], name[JNET_JAILNAMSIZ];

	(void)state;
	jnet_tag_link(&t, "netns", "web", 0, 'a');
	t.count = 1;
	t.born = 1795000000;
	jnet_strlcpy(t.bridge, "em0bridge", sizeof(t.bridge));
	t.mtu = 9000;
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_string_equal(s, "jnet/2 link netns 0 a web n=1 br=em0bridge mtu=9000 t=1795000000");
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_string_equal(u.bridge, "em0bridge");
	assert_int_equal(u.mtu, 9000);
	assert_true(u.born == 1795000000);
	assert_int_equal(jnet_tag_parse("jnet/2 link netns 0 a web mtu=12", &u), -EINVAL);
	assert_int_equal(jnet_tag_parse("jnet/2 link netns 0 a web mtu=+1500", &u), -EINVAL);
	assert_int_equal(jnet_tag_parse("jnet/2 link netns 0 a web br=", &u), -EINVAL);
	assert_int_equal(jnet_tag_parse("jnet/2 link netns 0 a web br=0123456789abcdef", &u),
	    -EINVAL);
	/* bridges ignore them (unknown keys for that kind) */
	assert_int_equal(jnet_tag_parse("jnet/2 bridge netns - br=x mtu=1", &u), 0);
	/* the longest jail name: the tag still fits, without br= and mtu= */
	memset(name, 'x', 200);
	name[200] = '\0';
	jnet_tag_link(&t, "netgraph", name, JNET_MAXLINKS - 1, 'a');
	t.count = JNET_MAXLINKS;
	t.born = 1795000000;
	jnet_strlcpy(t.bridge, "0123456789abcde", sizeof(t.bridge));
	t.mtu = 65535;
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_string_equal(u.bridge, "");
	assert_int_equal(u.mtu, 0);
	assert_true(u.born == 1795000000);
	/* a name that leaves room for br= but not mtu= keeps br= */
	name[198] = '\0'; /* 247 bytes without mtu=, 257 with */
	jnet_tag_link(&t, "netgraph", name, JNET_MAXLINKS - 1, 'a');
	t.count = JNET_MAXLINKS;
	t.born = 1795000000;
	jnet_strlcpy(t.bridge, "br0", sizeof(t.bridge));
	t.mtu = 65535;
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_string_equal(u.bridge, "br0");
	assert_int_equal(u.mtu, 0);
}

static void
v2_fields(void **state)
{
	struct jnet_tag t, u;
	char s[JNET_TAGSIZ];

	(void)state;
	jnet_tag_link(&t, "netns", "web", 2, 'a');
	t.count = 3;
	t.born = 1795000000;
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_string_equal(s, "jnet/2 link netns 2 a web n=3 t=1795000000");
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_int_equal(u.count, 3);
	assert_true(u.born == 1795000000);
	assert_string_equal(u.name, "web");
	/* version 1 (jnet 0.1) still parses, with no fields */
	assert_int_equal(jnet_tag_parse("jnet/1 link netns 2 a web", &u), 0);
	assert_int_equal(u.count, 0);
	assert_int_equal(jnet_tag_parse("jnet/1 link netns 2 a web n=3", &u), -EINVAL);
	/* unknown keys of a newer jnet are ignored */
	assert_int_equal(jnet_tag_parse("jnet/2 link netns 2 a web zz=1 n=2", &u), 0);
	assert_int_equal(u.count, 2);
	jnet_tag_bridge(&t, "netns", "-");
	jnet_strlcpy(t.uplink, "em0", sizeof(t.uplink));
	t.uplink_was_down = true;
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_string_equal(s, "jnet/2 bridge netns - uplink=em0 uplink-was=down");
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_string_equal(u.uplink, "em0");
	assert_true(u.uplink_was_down);
	assert_int_equal(jnet_tag_parse("jnet/2 bridge netns lab uplink=em1", &u), 0);
	assert_false(u.uplink_was_down);
	assert_string_equal(u.name, "lab");
	/* Interface names may hold ',' and '=' (the fuzzer's find): the value is the rest. */
	jnet_strlcpy(t.uplink, "em0,down", sizeof(t.uplink));
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_string_equal(u.uplink, "em0,down");
	assert_true(u.uplink_was_down);
	jnet_strlcpy(t.uplink, "a=b", sizeof(t.uplink));
	t.uplink_was_down = false;
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_string_equal(u.uplink, "a=b");
	assert_false(u.uplink_was_down);
}

/* The longest jail name's tag, with every field at its widest, fits the kernel's alias. */
static void
longest_fits(void **state)
{
	struct jnet_tag t;
	char name[JNET_JAILNAME_MAX + 1], s[JNET_TAGSIZ];

	(void)state;
	memset(name, 'x', JNET_JAILNAME_MAX);
	name[JNET_JAILNAME_MAX] = '\0';
	jnet_tag_link(&t, "netgraph", name, JNET_MAXLINKS - 1, 'b');
	t.count = JNET_MAXLINKS;
	t.born = 9999999999LL;
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_true(strlen(s) <= 255);
}

/* CNI attachments: cni=NETWORK round-trips; the longest identity jnet accepts fits the
 * kernel's 255 bytes (container ID 128, ifname 15, network 63, on every backend). */
static void
cni_field(void **state)
{
	struct jnet_tag t, u;
	char name[JNET_JAILNAMSIZ], net[JNET_CNI_NETSIZ], s[JNET_TAGSIZ];

	(void)state;
	jnet_tag_link(&t, "netns", "abc123@eth0", 0, 'a');
	t.count = 1;
	t.born = 1795000000;
	jnet_strlcpy(t.cni, "podman", sizeof(t.cni));
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_string_equal(s, "jnet/2 link netns 0 a abc123@eth0 n=1 t=1795000000 cni=podman");
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_string_equal(u.cni, "podman");
	assert_string_equal(u.name, "abc123@eth0");
	assert_int_equal(jnet_tag_parse("jnet/2 link netns 0 a x@eth0 cni=", &u), -EINVAL);
	assert_int_equal(jnet_tag_parse("jnet/1 link netns 0 a x@eth0 cni=n", &u), -EINVAL);
	assert_int_equal(jnet_tag_parse("jnet/2 link netns 0 a web", &u), 0);
	assert_string_equal(u.cni, "");
	memset(name, 'c', JNET_CNI_CIDMAX);
	snprintf(name + JNET_CNI_CIDMAX, sizeof(name) - JNET_CNI_CIDMAX, "@%s", "eeeeeeeeeeeeeee");
	memset(net, 'n', JNET_CNI_NETMAX);
	net[JNET_CNI_NETMAX] = '\0';
	jnet_tag_link(&t, "netgraph", name, 0, 'b');
	t.count = 1;
	t.born = 9999999999LL;
	jnet_strlcpy(t.cni, net, sizeof(t.cni));
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_true(strlen(s) <= 255);
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_string_equal(u.cni, net);
}

/* VLAN interfaces jnet made (issue 12): parent= and vid= both required, version 2 only,
 * and a vlan tag is no other kind's. */
static void
vlan_tags(void **state)
{
	static const char *const bad[] = {
		"jnet/2 vlan netns -", "jnet/2 vlan netns - parent=em0", "jnet/2 vlan netns - vid=20",
		"jnet/2 vlan netns - parent=em0 vid=0", "jnet/2 vlan netns - parent=em0 vid=4095",
		"jnet/2 vlan netns - parent=em0 vid=+20", "jnet/2 vlan netns - parent=em0 vid=2x",
		"jnet/2 vlan netns - parent= vid=20", "jnet/1 vlan netns -",
		"jnet/2 vlan netns - parent=abcdefghijklmnop vid=20",
		"jnet/2 bridge netns - parent=em0 vid=20 uplink-was=down",
	};
	struct jnet_tag t, u;
	char s[JNET_TAGSIZ];

	(void)state;
	jnet_tag_vlan(&t, "epair", NULL, "em0", 20);
	assert_int_equal(jnet_tag_format(s, sizeof(s), &t), 0);
	assert_string_equal(s, "jnet/2 vlan epair - parent=em0 vid=20");
	assert_int_equal(jnet_tag_parse(s, &u), 0);
	assert_int_equal(u.kind, JNET_TAG_VLAN);
	assert_string_equal(u.uplink, "em0");
	assert_int_equal(u.vid, 20);
	assert_int_equal(jnet_tag_parse("jnet/2 vlan netns lab1 vid=4094 parent=a,b=c x=y", &u), 0);
	assert_string_equal(u.uplink, "a,b=c");
	assert_string_equal(u.name, "lab1");
	assert_int_equal(u.vid, 4094);
	assert_int_equal(jnet_ownership(s, true, "em0v20", JNET_TAG_VLAN, "em0v20", NULL),
	    JNET_OWN_TAGGED);
	assert_int_equal(jnet_ownership(s, true, "em0v20", JNET_TAG_BRIDGE, "em0v20", NULL),
	    JNET_OWN_NONE);
	assert_int_equal(jnet_ownership("jnet/2 bridge epair - uplink=em0", true, "em0v20",
	    JNET_TAG_VLAN, "em0v20", NULL), JNET_OWN_NONE);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i]);
		assert_int_equal(jnet_tag_parse(bad[i], &t), -EINVAL);
	}
}

/* The one ownership rule. */
static void
ownership(void **state)
{
	struct jnet_tag t;

	(void)state;
	assert_int_equal(jnet_ownership("jnet/2 link netns 0 a web", false, "x", JNET_TAG_LINK, NULL, &t),
	    JNET_OWN_TAGGED);
	assert_string_equal(t.name, "web");
	/* a tag of another kind is not a link */
	assert_int_equal(jnet_ownership("jnet/2 bridge netns -", true, "e0a_web", JNET_TAG_LINK,
	    "e0a_web", NULL), JNET_OWN_NONE);
	/* a foreign text in the alias: never ours, whatever the group and name */
	assert_int_equal(jnet_ownership("mine", true, "e0a_web", JNET_TAG_LINK, "e0a_web", NULL),
	    JNET_OWN_NONE);
	/* untagged: only in the group AND with exactly the expected name */
	assert_int_equal(jnet_ownership("", true, "e0a_web", JNET_TAG_LINK, "e0a_web", NULL),
	    JNET_OWN_CRASH);
	assert_int_equal(jnet_ownership(NULL, true, "e0a_web", JNET_TAG_LINK, "e0a_web", NULL),
	    JNET_OWN_CRASH);
	assert_int_equal(jnet_ownership("", false, "e0a_web", JNET_TAG_LINK, "e0a_web", NULL),
	    JNET_OWN_NONE);
	assert_int_equal(jnet_ownership("", true, "vethfoo", JNET_TAG_LINK, "e0a_web", NULL),
	    JNET_OWN_NONE);
	assert_int_equal(jnet_ownership("", true, "e0a_web", JNET_TAG_LINK, NULL, NULL),
	    JNET_OWN_NONE);
}

static void
not_ours(void **state)
{
	static const char *const bad[] = {
		"", "host interface for web", "jnet/3 link netns 0 a web", "jnet/0 link netns 0 a web",
		"jnet/2 link netns 0 a web extra", "jnet/2 link netns 0 a web n=0", "jnet/2 link netns 0 a web n=65",
		"jnet/2 link netns 0 a web t=-1", "jnet/2 link netns 0 a web n=1  t=5", "jnet/2 link netns 0 a web =x",
		"jnet/2 bridge netns - uplink=", "jnet/2 bridge netns - uplink=em0 uplink-was=up",
		"jnet/2 bridge netns - uplink-was=down", "jnet/2 bridge netns - uplink=abcdefghijklmnop",
		"jnet/1 link netns 0 c web",
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
		cmocka_unit_test(v2_fields),
		cmocka_unit_test(check_fields),
		cmocka_unit_test(longest_fits),
		cmocka_unit_test(cni_field),
		cmocka_unit_test(vlan_tags),
		cmocka_unit_test(ownership),
		cmocka_unit_test(not_ours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
