#include "names.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

uint64_t
jnet_hash64(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64 offset basis */

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL; /* FNV-1a 64 prime */
	}
	/* splitmix64 finalizer */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

int
jnet_jail_name_check(const char *jail, struct jnet_err *e)
{
	size_t n;

	if (jail == NULL || jail[0] == '\0')
		return jnet_err_set(e, EINVAL, "", "empty jail name");
	n = strlen(jail);
	if (n > JNET_JAILNAME_MAX)
		return jnet_err_set(e, ENAMETOOLONG, "", "jail name longer than %d characters",
		    JNET_JAILNAME_MAX);
	if (strcmp(jail, ".") == 0)
		return jnet_err_set(e, EINVAL, "",
		    "jail name '.' is refused: in a path it means the directory itself");
	if (strstr(jail, "..") != NULL)
		return jnet_err_set(e, EINVAL, "", "jail name '%s' contains '..'", jail);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)jail[i];

		if (c == '/')
			return jnet_err_set(e, EINVAL, "", "jail name '%s' contains '/'", jail);
		if (c <= 0x20 || c >= 0x7f)
			return jnet_err_set(e, EINVAL, "",
			    "jail name contains whitespace, a control character or a non-ASCII byte (0x%02x at offset %zu)",
			    c, i);
	}
	if (jail[0] == '-')
		return jnet_err_set(e, EINVAL, "", "jail name '%s' starts with '-'", jail);
	return 0;
}

int
jnet_ifname_check(const char *ifname, struct jnet_err *e)
{
	size_t n = ifname ? strlen(ifname) : 0;

	if (n == 0)
		return jnet_err_set(e, EINVAL, "", "empty interface name");
	if (n >= JNET_IFNAMSIZ)
		return jnet_err_set(e, ENAMETOOLONG, ifname,
		    "interface name longer than %d characters", JNET_IFNAMSIZ - 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)ifname[i];
		if (c == '/' || c == ':' || c <= 0x20 || c >= 0x7f)
			return jnet_err_set(e, EINVAL, ifname,
			    "interface name contains '/', ':', whitespace or a non-ASCII byte");
	}
	if (strcmp(ifname, ".") == 0 || strcmp(ifname, "..") == 0)
		return jnet_err_set(e, EINVAL, ifname, "invalid interface name");
	return 0;
}

static bool
word_chars(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static int
prefix(char *out, size_t len, enum jnet_name_style style, int index, char end)
{
	if (index < 0 || index >= JNET_MAXLINKS)
		return -EINVAL;
	if (style == JNET_NAMES_NG)
		return snprintf(out, len, "ng%d", index);
	if (end != 'a' && end != 'b')
		return -EINVAL;
	return snprintf(out, len, "e%d%c", index, end);
}

bool
jnet_ifname_verbatim(enum jnet_name_style style, const char *jail, int index)
{
	char p[8];
	int n = prefix(p, sizeof(p), style, index, 'a');

	return n > 0 && word_chars(jail) && (size_t)n + 1 + strlen(jail) < JNET_IFNAMSIZ;
}

int
jnet_ifname(char out[JNET_IFNAMSIZ], enum jnet_name_style style, const char *jail,
    int index, char end)
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	char p[8];
	int n = prefix(p, sizeof(p), style, index, end);
	uint64_t h;
	size_t len, room;

	if (n < 0)
		return n;
	if (jnet_ifname_verbatim(style, jail, index)) {
		snprintf(out, JNET_IFNAMSIZ, "%s_%s", p, jail);
		return 0;
	}
	/* prefix '-' stem hash(9) */
	len = (size_t)n;
	memcpy(out, p, len);
	out[len++] = '-';
	room = JNET_IFNAMSIZ - 1 - len - 9;
	for (const char *s = jail; *s && room > 0; s++) {
		if (isalnum((unsigned char)*s)) {
			out[len++] = (char)tolower((unsigned char)*s);
			room--;
		}
	}
	h = jnet_hash64(jail, strlen(jail));
	for (int i = 0; i < 9; i++)
		out[len++] = b32[(h >> (59 - 5 * i)) & 31];
	out[len] = '\0';
	return 0;
}

int
jnet_vlan_spec(const char *spec, char parent[JNET_IFNAMSIZ], int *vid, struct jnet_err *e)
{
	const char *colon = spec ? strrchr(spec, ':') : NULL;
	const char *d;
	size_t n;
	long v = 0;

	if (colon == NULL)
		return 0;
	n = (size_t)(colon - spec);
	for (d = colon + 1; isdigit((unsigned char)*d) && v <= JNET_VID_MAX; d++)
		v = v * 10 + (*d - '0');
	if (d == colon + 1 || *d != '\0' || (colon[1] == '0') || v < JNET_VID_MIN ||
	    v > JNET_VID_MAX)
		return jnet_err_set(e, EINVAL, spec,
		    "not a VLAN uplink: write PARENT:VID with a VLAN ID from %d to %d (e.g. em0:20)",
		    JNET_VID_MIN, JNET_VID_MAX);
	if (n == 0 || n >= JNET_IFNAMSIZ)
		return jnet_err_set(e, EINVAL, spec, "not a VLAN uplink: bad parent interface name");
	memcpy(parent, spec, n);
	parent[n] = '\0';
	if (jnet_ifname_check(parent, e) < 0)
		return -EINVAL;
	*vid = (int)v;
	return 1;
}

int
jnet_vlan_ifname(char out[JNET_IFNAMSIZ], const char *parent, int vid, struct jnet_err *e)
{
	if (snprintf(out, JNET_IFNAMSIZ, "%sv%d", parent, vid) >= JNET_IFNAMSIZ)
		return jnet_err_set(e, ENAMETOOLONG, parent,
		    "the VLAN interface name '%sv%d' would be longer than %d characters",
		    parent, vid, JNET_IFNAMSIZ - 1);
	return 0;
}

int
jnet_uplink_ifname(const char *spec, char out[JNET_IFNAMSIZ], struct jnet_err *e)
{
	char parent[JNET_IFNAMSIZ];
	int vid, r;

	if ((r = jnet_vlan_spec(spec, parent, &vid, e)) <= 0) {
		if (r == 0)
			jnet_strlcpy(out, spec, JNET_IFNAMSIZ);
		return r;
	}
	if ((r = jnet_vlan_ifname(out, parent, vid, e)) < 0)
		return r;
	return 1;
}

int
jnet_uplink_check(const char *spec, struct jnet_err *e)
{
	char name[JNET_IFNAMSIZ];
	int r;

	if (spec != NULL && strchr(spec, ':') == NULL)
		return jnet_ifname_check(spec, e);
	r = jnet_uplink_ifname(spec, name, e);
	return r < 0 ? r : 0;
}
