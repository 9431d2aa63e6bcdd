#include "mac.h"
#include "names.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
jnet_mac_mode_parse(const char *s, enum jnet_mac_mode *out)
{
	if (strcmp(s, "stable") == 0)
		*out = JNET_MAC_STABLE;
	else if (strcmp(s, "jib") == 0)
		*out = JNET_MAC_JIB;
	else if (strcmp(s, "random") == 0)
		*out = JNET_MAC_RANDOM;
	else
		return -EINVAL;
	return 0;
}

const char *
jnet_mac_mode_name(enum jnet_mac_mode m)
{
	switch (m) {
	case JNET_MAC_STABLE: return "stable";
	case JNET_MAC_JIB: return "jib";
	case JNET_MAC_RANDOM: return "random";
	}
	return "?";
}

void
jnet_mac_stable(uint8_t out[6], const char *salt, const char *name, int index, char end)
{
	char buf[64 + 2 * JNET_JAILNAMSIZ];
	int n = snprintf(buf, sizeof(buf), "jnet-mac-v1%c%s%c%s%c%d%c%c", 0, salt, 0, name, 0,
	    index, 0, end);
	uint64_t h;

	if (n < 0 || (size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	h = jnet_hash64(buf, (size_t)n);
	out[0] = (uint8_t)(((h >> 56) & 0xfc) | 0x02);
	for (int i = 1; i < 6; i++)
		out[i] = (uint8_t)(h >> (56 - 8 * i));
}

uint16_t
jnet_bsd_sum(const char *s)
{
	unsigned c = 0;

	for (; *s; s++) {
		c = (c >> 1) + ((c & 1) << 15);
		c = (c + (unsigned char)*s) & 0xffff;
	}
	return (uint16_t)c;
}

void
jnet_mac_jib(uint8_t a[6], uint8_t b[6], const uint8_t uplink[6], const char *name,
    unsigned counter)
{
	uint16_t sum = jnet_bsd_sum(name);
	unsigned pa = 0x2, pb = 0xe;
	unsigned lo = uplink[0] & 0x0f;

	if (lo == 0x2) {
		pa = 0xa;
		pb = 0xe;
	} else if (lo == 0xe) {
		pa = 0x2;
		pb = 0x6;
	}
	a[0] = (uint8_t)(((counter & 15) << 4) | pa);
	b[0] = (uint8_t)(((counter & 15) << 4) | pb);
	a[1] = b[1] = (uint8_t)(sum >> 8);
	a[2] = b[2] = (uint8_t)(sum & 0xff);
	for (int i = 3; i < 6; i++)
		a[i] = b[i] = uplink[i];
}

int
jnet_mac_parse(const char *s, uint8_t out[6], struct jnet_err *e)
{
	unsigned v[6];
	char sep[5], tail;
	int n = sscanf(s, "%2x%c%2x%c%2x%c%2x%c%2x%c%2x%c", &v[0], &sep[0], &v[1], &sep[1],
	    &v[2], &sep[2], &v[3], &sep[3], &v[4], &sep[4], &v[5], &tail);

	if (n != 11 || strlen(s) != 17)
		return jnet_err_set(e, EINVAL, s[0] ? s : "''",
			    "not a MAC address (want xx:xx:xx:xx:xx:xx or xx-xx-xx-xx-xx-xx)");
	for (int i = 0; i < 5; i++)
		if (sep[i] != sep[0] || (sep[i] != ':' && sep[i] != '-'))
			return jnet_err_set(e, EINVAL, s[0] ? s : "''",
			    "not a MAC address (want xx:xx:xx:xx:xx:xx or xx-xx-xx-xx-xx-xx)");
	for (int i = 0; i < 17; i++)
		if (i % 3 != 2 && !isxdigit((unsigned char)s[i]))
			return jnet_err_set(e, EINVAL, s[0] ? s : "''",
			    "not a MAC address (want xx:xx:xx:xx:xx:xx or xx-xx-xx-xx-xx-xx)");
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)v[i];
	if (out[0] & 1)
		return jnet_err_set(e, EINVAL, s,
		    "multicast MAC address (lowest bit of the first octet set); bridges do not learn it");
	if (!(out[0] | out[1] | out[2] | out[3] | out[4] | out[5]))
		return jnet_err_set(e, EINVAL, s, "all-zero MAC address");
	return 0;
}

void
jnet_mac_format(const uint8_t m[6], char out[JNET_MACSTRLEN])
{
	snprintf(out, JNET_MACSTRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
	    m[4], m[5]);
}

static int
read_first_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return -errno;
	if (fgets(out, (int)len, f) == NULL) {
		fclose(f);
		return -ENOENT;
	}
	fclose(f);
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	return n > 0 ? 0 : -ENOENT;
}

int
jnet_host_salt(char *out, size_t len, struct jnet_err *e)
{
	static const char *const files[] = {
		"/etc/machine-id", "/var/lib/dbus/machine-id", "/etc/hostid",
	};

	/* A pinned salt (--mac-salt, JNET_MAC_SALT) comes in ctx->salt: no environment here. */
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (read_first_line(files[i], out, len) == 0)
			return 0;
	return jnet_err_set(e, ENOENT, "/etc/machine-id",
	    "no host identity to salt stable MACs; set JNET_MAC_SALT or use --mac-salt");
}
