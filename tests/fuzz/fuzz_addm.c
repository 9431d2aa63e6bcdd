/*
 * addm's argument "[!]IFACE[=MAC]" (jnet_addm_arg_parse, src/core.h). Properties:
 *   - never crashes; a refusal has a message and -EINVAL or -ENAMETOOLONG;
 *   - an accepted argument means what it says: no_derive iff it starts with '!', has_mac
 *     iff it holds '=', never both; iface is the text between them, 1..15 characters,
 *     and passes jnet_ifname_check; the MAC is what jnet_mac_parse makes of the text
 *     after '=' (so never multicast or zero); mtu is left 0;
 *   - the argument rebuilt from the struct ("!"? IFACE ("=" MAC)?) parses to the same
 *     struct.
 */
#include <errno.h>

#include "core.h"
#include "fuzz.h"
#include "mac.h"
#include "names.h"

static void
same(const struct jnet_addm_arg *a, const struct jnet_addm_arg *b, const char *s)
{
	FUZZ_CHECK(strcmp(a->iface, b->iface) == 0 && a->no_derive == b->no_derive &&
	    a->has_mac == b->has_mac && (!a->has_mac || memcmp(a->mac, b->mac, 6) == 0) &&
	    a->mtu == b->mtu, "\"%s\" parses differently once rebuilt", s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct jnet_addm_arg a, b;
	struct jnet_err e;
	int r;

	jnet_err_clear(&e);
	r = jnet_addm_arg_parse(s, &a, &e);
	if (r < 0) {
		FUZZ_CHECK((r == -EINVAL || r == -ENAMETOOLONG) && e.msg[0] != '\0',
		    "refusal of \"%s\": r=%d msg=\"%s\"", s, r, e.msg);
	} else {
		const char *p = s + (s[0] == '!');
		const char *eq = strchr(p, '=');
		size_t n = eq ? (size_t)(eq - p) : strlen(p);
		char rebuilt[2 + JNET_IFNAMSIZ + JNET_MACSTRLEN];
		struct jnet_err e2;
		char vparent[JNET_IFNAMSIZ];
		int vid;

		FUZZ_CHECK(r == 0, "jnet_addm_arg_parse returned %d", r);
		FUZZ_CHECK(a.no_derive == (s[0] == '!'), "\"%s\": no_derive=%d", s, a.no_derive);
		FUZZ_CHECK(a.has_mac == (eq != NULL), "\"%s\": has_mac=%d", s, a.has_mac);
		FUZZ_CHECK(!(a.no_derive && a.has_mac), "\"%s\": '!' and '=MAC' both taken", s);
		FUZZ_CHECK(n >= 1 && n < JNET_IFNAMSIZ && strlen(a.iface) == n &&
		    memcmp(a.iface, p, n) == 0, "\"%s\": iface \"%s\"", s, a.iface);
		FUZZ_CHECK(jnet_ifname_check(a.iface, &e2) == 0 ||
		    jnet_vlan_spec(a.iface, vparent, &vid, NULL) == 1, "\"%s\": iface \"%s\": %s", s,
		    a.iface, e2.msg);
		FUZZ_CHECK(a.mtu == 0, "\"%s\": mtu %u", s, a.mtu);
		if (a.has_mac) {
			uint8_t m[6];

			FUZZ_CHECK(jnet_mac_parse(eq + 1, m, &e2) == 0 && memcmp(m, a.mac, 6) == 0,
			    "\"%s\": MAC differs from jnet_mac_parse's", s);
			FUZZ_CHECK(!(a.mac[0] & 1), "\"%s\": multicast MAC accepted", s);
		}
		snprintf(rebuilt, sizeof(rebuilt), "%s%s", a.no_derive ? "!" : "", a.iface);
		if (a.has_mac) {
			char m[JNET_MACSTRLEN];

			jnet_mac_format(a.mac, m);
			strcat(rebuilt, "=");
			strcat(rebuilt, m);
		}
		FUZZ_CHECK(jnet_addm_arg_parse(rebuilt, &b, &e2) == 0, "rebuilt \"%s\" refused: %s",
		    rebuilt, e2.msg);
		same(&a, &b, s);
	}
	free(s);
	return 0;
}
