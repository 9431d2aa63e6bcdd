/*
 * MAC addresses (src/mac.h). Properties:
 *   - jnet_mac_parse accepts exactly "xx:xx:xx:xx:xx:xx" or "xx-xx-xx-xx-xx-xx" (one
 *     separator throughout, hex digits of either case) that is neither multicast nor
 *     all-zero: checked against an independent oracle, both ways;
 *   - an accepted text round-trips: jnet_mac_format gives the same text lower-cased with
 *     ':', and that re-parses to the same bytes;
 *   - from bytes: formatting any 6 bytes re-parses iff they are unicast and not zero;
 *   - the derived MACs (stable, jib) are locally administered unicast and accepted by
 *     jnet_mac_parse; stable is deterministic; jib's two ends differ.
 */
#include <ctype.h>
#include <errno.h>

#include "fuzz.h"
#include "mac.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The documented grammar, written independently of mac.c. */
static bool
oracle(const char *s, uint8_t out[6])
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		if (i < 5 && (s[3 * i + 2] != s[2] || (s[2] != ':' && s[2] != '-')))
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	if (out[0] & 1)
		return false;
	return (out[0] | out[1] | out[2] | out[3] | out[4] | out[5]) != 0;
}

static void
check_derived(const uint8_t m[6], const char *what)
{
	char text[JNET_MACSTRLEN];
	uint8_t back[6];
	struct jnet_err e;

	FUZZ_CHECK((m[0] & 0x03) == 0x02, "%s MAC %02x:..: not locally administered unicast",
	    what, m[0]);
	jnet_mac_format(m, text);
	FUZZ_CHECK(jnet_mac_parse(text, back, &e) == 0, "%s MAC %s refused: %s", what, text,
	    e.msg);
	FUZZ_CHECK(memcmp(back, m, 6) == 0, "%s MAC %s re-parses differently", what, text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	uint8_t got[6] = { 0 }, want[6] = { 0 };
	struct jnet_err e;
	bool ok;
	int r;

	/* 1. the text as a MAC */
	jnet_err_clear(&e);
	r = jnet_mac_parse(s, got, &e);
	ok = oracle(s, want);
	FUZZ_CHECK((r == 0) == ok, "jnet_mac_parse(\"%s\") = %d, the grammar says %s", s, r,
	    ok ? "valid" : "invalid");
	if (r == 0) {
		char text[JNET_MACSTRLEN], low[18];
		uint8_t back[6];

		FUZZ_CHECK(memcmp(got, want, 6) == 0, "jnet_mac_parse(\"%s\"): wrong bytes", s);
		FUZZ_CHECK(!(got[0] & 1), "accepted multicast %s", s);
		jnet_mac_format(got, text);
		for (int i = 0; i < 17; i++)
			low[i] = (char)(i % 3 == 2 ? ':' : tolower((unsigned char)s[i]));
		low[17] = '\0';
		FUZZ_CHECK(strcmp(text, low) == 0, "format(parse(\"%s\")) = \"%s\"", s, text);
		FUZZ_CHECK(jnet_mac_parse(text, back, &e) == 0 && memcmp(back, got, 6) == 0,
		    "\"%s\" does not re-parse", text);
	} else {
		FUZZ_CHECK(r == -EINVAL && e.code == EINVAL && e.msg[0] != '\0',
		    "refusal of \"%s\" without a message (r=%d)", s, r);
	}

	/* 2. the first 6 bytes as a MAC: format, then parse */
	if (size >= 6) {
		char text[JNET_MACSTRLEN];
		bool valid = !(data[0] & 1) && (data[0] | data[1] | data[2] | data[3] | data[4] |
		    data[5]);

		jnet_mac_format(data, text);
		FUZZ_CHECK(strlen(text) == 17, "format gave \"%s\"", text);
		r = jnet_mac_parse(text, got, &e);
		FUZZ_CHECK((r == 0) == valid, "parse(format(bytes)) \"%s\" = %d", text, r);
		if (r == 0)
			FUZZ_CHECK(memcmp(got, data, 6) == 0, "\"%s\" round-trips wrongly", text);
	}

	/* 3. derived MACs: bytes 0..5 an uplink MAC, byte 6 index/counter, then salt\0name */
	if (size >= 7) {
		const char *salt = s + 7;
		const char *name = salt + strlen(salt);
		uint8_t a[6], b[6], a2[6];
		int index = data[6] % JNET_MAXLINKS;
		char end = data[6] & 0x80 ? 'b' : 'a';

		if ((size_t)(name - s) < size)
			name++; /* after the NUL that ended salt */
		jnet_mac_stable(a, salt, name, index, end);
		jnet_mac_stable(a2, salt, name, index, end);
		FUZZ_CHECK(memcmp(a, a2, 6) == 0, "jnet_mac_stable is not deterministic");
		check_derived(a, "stable");
		jnet_mac_jib(a, b, data, name, data[6]);
		check_derived(a, "jib a");
		check_derived(b, "jib b");
		FUZZ_CHECK(a[0] != b[0], "jib ends have the same MAC");
		FUZZ_CHECK(memcmp(a + 3, data + 3, 3) == 0, "jib: not the uplink's last 3 bytes");
	}

	/* 4. mode names */
	{
		enum jnet_mac_mode m;

		if (jnet_mac_mode_parse(s, &m) == 0)
			FUZZ_CHECK(strcmp(jnet_mac_mode_name(m), s) == 0, "mode \"%s\" round trip",
			    s);
	}
	free(s);
	return 0;
}
