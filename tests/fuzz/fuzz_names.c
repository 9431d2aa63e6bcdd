/*
 * Jail and interface names (src/names.h). The input is up to two names separated by a
 * NUL. Properties:
 *   - jnet_jail_name_check and jnet_ifname_check accept exactly what their documented
 *     rules allow (independent oracles, both ways); a refusal has a message;
 *   - for a valid jail name, jnet_ifname for both styles, both ends and the indexes in
 *     idx[] (the edges of the one- and two-digit ranges): succeeds, is at most 15
 *     characters, passes jnet_ifname_check, is deterministic, is the verbatim
 *     "PREFIX_NAME" exactly when jnet_ifname_verbatim says so, and is exactly the name
 *     names.h documents (verbatim, or "PREFIX-STEMHASH": stem the name's first
 *     alphanumerics lower-cased, as many as fit; hash 9 base32 characters of
 *     jnet_hash64); no two (index, end) of one jail share a name; netgraph ignores `end`;
 *   - a bad index or end is refused with -EINVAL;
 *   - two different valid jail names never get the same interface name;
 *   - the ownership tag of a link of a valid jail, every field at its widest, fits the
 *     kernel's 255-byte alias and re-parses.
 */
#include <ctype.h>
#include <errno.h>

#include "fuzz.h"
#include "names.h"
#include "tag.h"

static bool
jail_oracle(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > JNET_JAILNAME_MAX || s[0] == '-' || strstr(s, "..") != NULL ||
	    strcmp(s, ".") == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || (unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

static bool
ifname_oracle(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 15 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || (unsigned char)s[i] <= 0x20 ||
		    (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* The documented name, built independently of names.c. */
static void
expected(char out[64], enum jnet_name_style style, const char *jail, int index, char end)
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	char p[16];
	bool word = true;
	size_t len, room;
	uint64_t h;

	if (style == JNET_NAMES_NG)
		snprintf(p, sizeof(p), "ng%d", index);
	else
		snprintf(p, sizeof(p), "e%d%c", index, end);
	for (const char *c = jail; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			word = false;
	if (word && strlen(p) + 1 + strlen(jail) <= 15) {
		snprintf(out, 64, "%s_%s", p, jail);
		return;
	}
	len = (size_t)snprintf(out, 64, "%s-", p);
	room = 15 - 9 - len;
	for (const char *c = jail; *c && room > 0; c++)
		if (isalnum((unsigned char)*c)) {
			out[len++] = (char)tolower((unsigned char)*c);
			room--;
		}
	h = jnet_hash64(jail, strlen(jail));
	for (int i = 0; i < 9; i++)
		out[len++] = b32[(h >> (59 - 5 * i)) & 31];
	out[len] = '\0';
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The indexes tried: both ends of the one- and two-digit ranges, where the room left for
 * the stem changes (all 64 cost ten times as much for no new branch).
 */
static const int idx[] = { 0, 1, 2, 9, 10, 11, 62, 63 };
#define NINDEX ((int)(sizeof(idx) / sizeof(idx[0])))

/* All interface names of one valid jail: [style][idx][end] */
static char names[2][NINDEX][2][JNET_IFNAMSIZ];

static void
check_jail(const char *jail, char out[2][NINDEX][2][JNET_IFNAMSIZ])
{
	static const enum jnet_name_style styles[] = { JNET_NAMES_PAIR, JNET_NAMES_NG };
	struct jnet_err e;

	for (int si = 0; si < 2; si++) {
		enum jnet_name_style st = styles[si];

		for (int ii = 0; ii < NINDEX; ii++) {
			int i = idx[ii];

			for (int ei = 0; ei < 2; ei++) {
				char end = ei ? 'b' : 'a', again[JNET_IFNAMSIZ], want[64];
				char *got = out[si][ii][ei];
				bool verb;

				memset(got, 0x7f, JNET_IFNAMSIZ);
				FUZZ_CHECK(jnet_ifname(got, st, jail, i, end) == 0,
				    "jnet_ifname(%d, \"%s\", %d, %c) failed", si, jail, i, end);
				FUZZ_CHECK(memchr(got, '\0', JNET_IFNAMSIZ) != NULL &&
				    strlen(got) <= 15, "\"%s\": ifname longer than 15", jail);
				FUZZ_CHECK(jnet_ifname_check(got, &e) == 0,
				    "\"%s\" -> \"%s\" is not a valid interface name: %s", jail, got,
				    e.msg);
				FUZZ_CHECK(jnet_ifname(again, st, jail, i, end) == 0 &&
				    strcmp(again, got) == 0, "jnet_ifname not deterministic");
				expected(want, st, jail, i, end);
				FUZZ_CHECK(strcmp(want, got) == 0,
				    "jnet_ifname(%d, \"%s\", %d, %c) = \"%s\", documented \"%s\"", si,
				    jail, i, end, got, want);
				verb = jnet_ifname_verbatim(st, jail, i);
				FUZZ_CHECK(verb == (got[strcspn(got, "_-")] == '_'),
				    "jnet_ifname_verbatim(\"%s\") = %d but the name is \"%s\"", jail,
				    verb, got);
			}
			FUZZ_CHECK(jnet_ifname(out[si][ii][0], st, jail, i, 'c') == (st == JNET_NAMES_NG ? 0 : -EINVAL),
			    "end 'c' accepted/refused wrongly");
			if (st == JNET_NAMES_NG)
				FUZZ_CHECK(strcmp(out[si][ii][0], out[si][ii][1]) == 0,
				    "netgraph name depends on end");
		}
		{
			char x[JNET_IFNAMSIZ];

			FUZZ_CHECK(jnet_ifname(x, st, jail, -1, 'a') == -EINVAL &&
			    jnet_ifname(x, st, jail, JNET_MAXLINKS, 'a') == -EINVAL,
			    "bad index accepted");
		}
	}
	/* distinct within the jail: sort the names, then compare neighbours */
	{
		const char *v[2 * NINDEX];
		int n = 0;

		for (int si = 0; si < 2; si++) {
			n = 0;
			for (int i = 0; i < NINDEX; i++)
				for (int ei = 0; ei < (si == 0 ? 2 : 1); ei++) /* netgraph: b is a */
					v[n++] = out[si][i][ei];
			qsort(v, (size_t)n, sizeof(v[0]), cmp_str);
			for (int k = 1; k < n; k++)
				FUZZ_CHECK(strcmp(v[k - 1], v[k]) != 0, "\"%s\": two links named \"%s\"",
				    jail, v[k]);
		}
	}
	/* the widest tag of this jail's links fits the kernel's alias and re-parses */
	{
		struct jnet_tag t, u;
		char s[JNET_TAGSIZ];

		jnet_tag_link(&t, "netgraph", jail, JNET_MAXLINKS - 1, 'b');
		t.count = JNET_MAXLINKS;
		t.born = 9999999999LL;
		FUZZ_CHECK(jnet_tag_format(s, sizeof(s), &t) == 0 && strlen(s) <= 255,
		    "tag of jail \"%s\" does not fit 255 bytes", jail);
		FUZZ_CHECK(jnet_tag_parse(s, &u) == 0 && strcmp(u.name, jail) == 0 &&
		    u.count == t.count && u.born == t.born, "tag \"%s\" does not re-parse", s);
	}
}

static void
check_name(const char *s, bool *valid)
{
	struct jnet_err e;
	int r;

	jnet_err_clear(&e);
	r = jnet_jail_name_check(s, &e);
	*valid = r == 0;
	FUZZ_CHECK(*valid == jail_oracle(s), "jnet_jail_name_check(\"%s\") = %d", s, r);
	if (r < 0)
		FUZZ_CHECK((r == -EINVAL || r == -ENAMETOOLONG) && e.msg[0] != '\0',
		    "refusal without a message");
	jnet_err_clear(&e);
	r = jnet_ifname_check(s, &e);
	FUZZ_CHECK((r == 0) == ifname_oracle(s), "jnet_ifname_check(\"%s\") = %d", s, r);
	if (r < 0)
		FUZZ_CHECK(e.msg[0] != '\0', "refusal without a message");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char names2[2][NINDEX][2][JNET_IFNAMSIZ];
	char *s = fuzz_cstr(data, size);
	const char *s2 = s + strlen(s);
	bool v1, v2 = false;

	if ((size_t)(s2 - s) < size)
		s2++;
	else
		s2 = NULL;
	check_name(s, &v1);
	if (v1)
		check_jail(s, names);
	if (s2 != NULL) {
		check_name(s2, &v2);
		if (v2)
			check_jail(s2, names2);
	}
	if (v1 && v2 && strcmp(s, s2) != 0)
		for (int si = 0; si < 2; si++)
			for (int i = 0; i < NINDEX; i++)
				for (int ei = 0; ei < 2; ei++)
					FUZZ_CHECK(strcmp(names[si][i][ei], names2[si][i][ei]) != 0,
					    "jails \"%s\" and \"%s\" both get \"%s\"", s, s2,
					    names[si][i][ei]);
	free(s);
	return 0;
}
