/*
 * Ownership tags (src/tag.h). Two views of every input:
 *
 * Text: the input as a tag text.
 *   - jnet_tag_parse never crashes; what it accepts is a sane struct (version 1..2, a
 *     known kind, non-empty backend and name without spaces, link index 0..63, end a/b,
 *     n= 0..64, t= >= 0, fields only of the kind they belong to, none in version 1);
 *   - parse∘format round-trips: the accepted struct formats (always within JNET_TAGSIZ)
 *     and the text re-parses to the same struct (as version 2), and formatting again
 *     gives the same text;
 *     (vlan tags: version 2, parent= an interface name and vid= 1..4094, both present);
 *   - jnet_ownership agrees with jnet_tag_parse for every kind, and an empty tag is ours
 *     only in the group and with exactly the expected name.
 * Struct: bytes 0..15 choose kind (link, bridge, jail, vlan), backend, index, end, n=, t=, uplink-was=down; the rest is
 *   NAME NUL UPLINK. Names are what jnet creates tags for: a jail name that passes
 *   jnet_jail_name_check (or "-" for an owner), an uplink that passes jnet_ifname_check.
 *   - the tag formats, its text re-parses to the same struct, and jnet_ownership calls
 *     it ours.
 */
#include <errno.h>

#include "fuzz.h"
#include "names.h"
#include "tag.h"

static const char *const backends[] = { "netns", "epair", "netgraph" };

static void
same(const struct jnet_tag *a, const struct jnet_tag *b, const char *text)
{
	FUZZ_CHECK(a->version == b->version && a->kind == b->kind &&
	    strcmp(a->backend, b->backend) == 0 && a->index == b->index && a->end == b->end &&
	    strcmp(a->name, b->name) == 0 && a->count == b->count && a->born == b->born &&
	    strcmp(a->uplink, b->uplink) == 0 && a->uplink_was_down == b->uplink_was_down &&
	    strcmp(a->bridge, b->bridge) == 0 && a->mtu == b->mtu && a->vid == b->vid,
	    "\"%s\" re-parses to another tag (kind %d/%d name \"%s\"/\"%s\" uplink \"%s\"/\"%s\" down %d/%d n %d/%d t %lld/%lld)",
	    text, a->kind, b->kind, a->name, b->name, a->uplink, b->uplink, a->uplink_was_down,
	    b->uplink_was_down, a->count, b->count, (long long)a->born, (long long)b->born);
}

static void
sane(const struct jnet_tag *t, const char *s)
{
	FUZZ_CHECK(t->version >= 1 && t->version <= JNET_TAG_VERSION, "\"%s\": version %d", s,
	    t->version);
	FUZZ_CHECK(t->kind == JNET_TAG_LINK || t->kind == JNET_TAG_BRIDGE ||
	    t->kind == JNET_TAG_JAIL || t->kind == JNET_TAG_VLAN, "\"%s\": kind %d", s, t->kind);
	if (t->kind == JNET_TAG_VLAN)
		FUZZ_CHECK(t->version == 2 && t->uplink[0] != '\0' && !t->uplink_was_down &&
		    t->vid >= JNET_VID_MIN && t->vid <= JNET_VID_MAX, "\"%s\": vlan", s);
	else
		FUZZ_CHECK(t->vid == 0, "\"%s\": vid= off a vlan", s);
	FUZZ_CHECK(t->backend[0] != '\0' && strchr(t->backend, ' ') == NULL &&
	    strlen(t->backend) < sizeof(t->backend), "\"%s\": backend", s);
	FUZZ_CHECK(t->name[0] != '\0' && strchr(t->name, ' ') == NULL &&
	    strlen(t->name) < sizeof(t->name), "\"%s\": name", s);
	FUZZ_CHECK(t->count >= 0 && t->count <= JNET_MAXLINKS && t->born >= 0, "\"%s\": n/t", s);
	FUZZ_CHECK(strlen(t->uplink) < sizeof(t->uplink) && strchr(t->uplink, ' ') == NULL &&
	    (!t->uplink_was_down || t->uplink[0] != '\0'), "\"%s\": uplink", s);
	if (t->kind == JNET_TAG_LINK)
		FUZZ_CHECK(t->index >= 0 && t->index < JNET_MAXLINKS &&
		    (t->end == 'a' || t->end == 'b') && t->uplink[0] == '\0', "\"%s\": link", s);
	else
		FUZZ_CHECK(t->index == 0 && t->end == 0 && t->count == 0 && t->born == 0,
		    "\"%s\": link fields on a bridge or jail", s);
	if (t->kind != JNET_TAG_BRIDGE && t->kind != JNET_TAG_VLAN)
		FUZZ_CHECK(t->uplink[0] == '\0' && !t->uplink_was_down, "\"%s\": uplink", s);
	FUZZ_CHECK(strlen(t->bridge) < sizeof(t->bridge) && strchr(t->bridge, ' ') == NULL &&
	    (t->mtu == 0 || (t->mtu >= 68 && t->mtu <= 65535)), "\"%s\": br/mtu", s);
	if (t->kind != JNET_TAG_LINK)
		FUZZ_CHECK(t->bridge[0] == '\0' && t->mtu == 0, "\"%s\": br/mtu off a link", s);
	if (t->version < 2)
		FUZZ_CHECK(t->count == 0 && t->born == 0 && t->uplink[0] == '\0',
		    "\"%s\": fields in a version 1 tag", s);
}

/* format, parse back, compare; returns nothing: every failure aborts */
static void
round_trip(const struct jnet_tag *t, const char *from)
{
	char text[JNET_TAGSIZ], again[JNET_TAGSIZ];
	struct jnet_tag u, v;
	int r;

	r = jnet_tag_format(text, sizeof(text), t);
	FUZZ_CHECK(r == 0, "tag from \"%s\" does not format (%d)", from, r);
	r = jnet_tag_parse(text, &u);
	FUZZ_CHECK(r == 0, "formatted tag \"%s\" (from \"%s\") does not parse", text, from);
	v = *t;
	v.version = JNET_TAG_VERSION;
	same(&v, &u, text);
	FUZZ_CHECK(jnet_tag_format(again, sizeof(again), &u) == 0 && strcmp(again, text) == 0,
	    "format is not stable: \"%s\" then \"%s\"", text, again);
	FUZZ_CHECK(jnet_ownership(text, false, NULL, t->kind, NULL, NULL) == JNET_OWN_TAGGED,
	    "\"%s\" is not ours", text);
}

static void
text_view(const char *s)
{
	struct jnet_tag t;
	int r = jnet_tag_parse(s, &t);

	FUZZ_CHECK(r == 0 || r == -EINVAL, "jnet_tag_parse returned %d", r);
	for (int k = JNET_TAG_LINK; k <= JNET_TAG_VLAN; k++) {
		enum jnet_own o = jnet_ownership(s, true, "x", (enum jnet_tag_kind)k, "x", NULL);

		if (s[0] != '\0')
			FUZZ_CHECK(o == (r == 0 && t.kind == (enum jnet_tag_kind)k ?
			    JNET_OWN_TAGGED : JNET_OWN_NONE), "ownership of \"%s\" as kind %d", s, k);
		else
			FUZZ_CHECK(o == JNET_OWN_CRASH, "untagged, in group, expected name: %d", o);
	}
	if (s[0] == '\0') {
		FUZZ_CHECK(jnet_ownership(s, false, "x", JNET_TAG_LINK, "x", NULL) == JNET_OWN_NONE &&
		    jnet_ownership(s, true, "x", JNET_TAG_LINK, "y", NULL) == JNET_OWN_NONE &&
		    jnet_ownership(s, true, "x", JNET_TAG_LINK, NULL, NULL) == JNET_OWN_NONE,
		    "an untagged object is ours without proof");
	}
	if (r != 0)
		return;
	sane(&t, s);
	if (strlen(s) <= JNET_TAG_MAX) {
		round_trip(&t, s);
	} else {
		/* a text longer than a kernel keeps: jnet never writes one */
		char text[JNET_TAGSIZ];

		r = jnet_tag_format(text, sizeof(text), &t);
		FUZZ_CHECK(r == 0 ? strlen(text) <= JNET_TAG_MAX : r == -ENAMETOOLONG,
		    "over-long \"%s\" formats to %d", s, r);
	}
}

/* A link tag with br=/mtu=: it formats within JNET_TAG_MAX, dropping mtu= first, then br=,
 * and nothing else. */
static void
fit(const struct jnet_tag *t)
{
	char text[JNET_TAGSIZ];
	struct jnet_tag u, v;

	FUZZ_CHECK(jnet_tag_format(text, sizeof(text), t) == 0 && strlen(text) <= JNET_TAG_MAX,
	    "a link tag with br=/mtu= does not fit");
	FUZZ_CHECK(jnet_tag_parse(text, &u) == 0, "\"%s\" does not parse", text);
	FUZZ_CHECK(u.mtu == t->mtu || u.mtu == 0, "\"%s\": mtu changed", text);
	FUZZ_CHECK(strcmp(u.bridge, t->bridge) == 0 || (u.bridge[0] == '\0' && u.mtu == 0),
	    "\"%s\": br= dropped before mtu=", text);
	v = *t;
	v.version = JNET_TAG_VERSION;
	jnet_strlcpy(v.bridge, u.bridge, sizeof(v.bridge));
	v.mtu = u.mtu;
	same(&v, &u, text);
}

static void
struct_view(const uint8_t *data, size_t size)
{
	uint8_t h[16] = { 0 };
	char *rest, *name, *uplink;
	struct jnet_tag t;
	struct jnet_err e;
	size_t n = size > 16 ? size - 16 : 0;

	memcpy(h, data, size < 16 ? size : 16);
	rest = fuzz_cstr(data + (size - n), n);
	name = rest;
	uplink = rest + strlen(rest);
	if ((size_t)(uplink - rest) < n)
		uplink++;
	switch (h[0] % 4) {
	case 0:
		if (jnet_jail_name_check(name, &e) < 0)
			goto out;
		jnet_tag_link(&t, backends[h[1] % 3], name, h[2] % JNET_MAXLINKS,
		    h[3] & 1 ? 'b' : 'a');
		t.count = h[4] % (JNET_MAXLINKS + 1);
		memcpy(&t.born, h + 8, sizeof(t.born));
		if (t.born < 0)
			t.born = -(t.born + 1);
		if ((h[5] & 1) && uplink[0] != '\0' && jnet_ifname_check(uplink, &e) == 0) {
			jnet_strlcpy(t.bridge, uplink, sizeof(t.bridge));
			t.mtu = 68 + (unsigned)(h[6] | h[7] << 8) % (65535 - 68 + 1);
			fit(&t);
			goto out;
		}
		break;
	case 1:
	case 2:
		if (name[0] != '\0' && jnet_jail_name_check(name, &e) < 0)
			goto out;
		if (h[0] % 4 == 1) {
			jnet_tag_bridge(&t, backends[h[1] % 3], name);
			if (uplink[0] != '\0' && jnet_ifname_check(uplink, &e) == 0) {
				jnet_strlcpy(t.uplink, uplink, sizeof(t.uplink));
				t.uplink_was_down = h[5] & 1;
			}
		} else {
			jnet_tag_jail(&t, backends[h[1] % 3], name);
		}
		break;
	case 3:
		if ((name[0] != '\0' && jnet_jail_name_check(name, &e) < 0) || uplink[0] == '\0' ||
		    jnet_ifname_check(uplink, &e) < 0)
			goto out;
		jnet_tag_vlan(&t, backends[h[1] % 3], name, uplink,
		    JNET_VID_MIN + (h[6] | h[7] << 8) % JNET_VID_MAX);
		break;
	}
	round_trip(&t, "a struct");
out:
	free(rest);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	text_view(s);
	struct_view(data, size);
	free(s);
	return 0;
}
