/* Addresses as users write them (addr.h). */
#include "addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static bool
all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

bool
jnet_addr_prefix_match(const uint8_t *a, const uint8_t *b, int prefix)
{
	int full = prefix / 8, rest = prefix % 8;

	if (memcmp(a, b, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ b[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

void
jnet_addr_text(struct jnet_lab_addr *a, bool with_prefix)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(a->family, a->addr, buf, sizeof(buf));
	if (with_prefix)
		snprintf(a->text, sizeof(a->text), "%s/%d", buf, a->prefix);
	else
		snprintf(a->text, sizeof(a->text), "%s", buf);
}

/*
 * Parse "ADDRESS/PREFIX" (JNET_ADDR_IFACE, JNET_ADDR_ROUTE_DST) or a plain "ADDRESS" (JNET_ADDR_VIA).
 * Interface addresses must be usable on an interface; route destinations must have no
 * host bits set (the kernel refuses them).
 */
int
jnet_addr_parse(const char *s, enum jnet_addr_use use, const char *what,
    struct jnet_lab_addr *a, struct jnet_err *e)
{
	const char *slash;
	char host[INET6_ADDRSTRLEN + 1];
	size_t hl;
	int max;

	memset(a, 0, sizeof(*a));
	slash = strchr(s, '/');
	hl = slash ? (size_t)(slash - s) : strlen(s);
	if (hl >= sizeof(host))
		return jnet_err_set(e, EINVAL, "", "'%s' is not an IPv4 or IPv6 address", s);
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, a->addr) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, host, a->addr) == 1)
		a->family = AF_INET6;
	else
		return jnet_err_set(e, EINVAL, "", "'%s' is not an IPv4 or IPv6 address", s);
	max = a->family == AF_INET ? 32 : 128;
	if (use == JNET_ADDR_VIA) {
		if (slash != NULL)
			return jnet_err_set(e, EINVAL, "",
			    "%s '%s' must be an address without a prefix length",
			    what, s);
		a->prefix = max;
		jnet_addr_text(a, false);
		return 0;
	}
	if (slash == NULL)
		return jnet_err_set(e, EINVAL, "",
		    "%s '%s' needs a prefix length, as in '%s/%d'", what, s, s,
		    a->family == AF_INET ? 24 : 64);
	if (slash[1] == '\0' || strlen(slash + 1) > 3 || !all_digits(slash + 1) ||
	    slash[1] == '+' || slash[1] == '-')
		return jnet_err_set(e, EINVAL, "", "'%s': prefix length must be a number", s);
	a->prefix = atoi(slash + 1);
	if (a->prefix > max || (use == JNET_ADDR_IFACE && a->prefix == 0))
		return jnet_err_set(e, EINVAL, "",
		    "'%s': prefix length must be %d..%d for %s", s,
		    use == JNET_ADDR_IFACE ? 1 : 0, max, a->family == AF_INET ? "IPv4" : "IPv6");
	if (use == JNET_ADDR_ROUTE_DST) {
		struct jnet_lab_addr net = *a;

		memset(net.addr, 0, sizeof(net.addr));
		for (int b = 0; b < a->prefix; b++)
			net.addr[b / 8] |= a->addr[b / 8] & (0x80 >> (b % 8));
		if (memcmp(net.addr, a->addr, 16) != 0) {
			jnet_addr_text(&net, true);
			return jnet_err_set(e, EINVAL, "",
			    "route destination '%s' has host bits set (the network is %s)",
			    s, net.text);
		}
		jnet_addr_text(a, true);
		return 0;
	}
	/* JNET_ADDR_IFACE */
	if (a->family == AF_INET) {
		const uint8_t *b = a->addr;
		uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
		uint32_t hostmask = a->prefix == 32 ? 0 : 0xffffffffu >> a->prefix;

		if (b[0] == 0 || b[0] == 127 || b[0] >= 224)
			return jnet_err_set(e, EINVAL, "",
			    "'%s' is not a unicast address usable on an interface", s);
		if (a->prefix <= 30 && (v & hostmask) == 0)
			return jnet_err_set(e, EINVAL, "",
			    "'%s' is the network address of its subnet", s);
		if (a->prefix <= 30 && (v & hostmask) == hostmask)
			return jnet_err_set(e, EINVAL, "",
			    "'%s' is the broadcast address of its subnet", s);
	} else {
		static const uint8_t zero[16], loop[16] = { [15] = 1 };
		const uint8_t *b = a->addr;

		if (memcmp(b, zero, 16) == 0 || memcmp(b, loop, 16) == 0 || b[0] == 0xff)
			return jnet_err_set(e, EINVAL, "",
			    "'%s' is not a unicast address usable on an interface", s);
		if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
			return jnet_err_set(e, EINVAL, "",
			    "'%s' is link-local; the kernel assigns link-local addresses itself", s);
		if (a->prefix < 127) {
			/* All host bits zero: the subnet's network address, its Subnet-Router
			 * anycast address (RFC 4291 2.6.1), not one for a host. */
			int k = a->prefix;

			while (k < 128 && (b[k / 8] & (0x80 >> (k % 8))) == 0)
				k++;
			if (k == 128)
				return jnet_err_set(e, EINVAL, "",
				    "'%s' is the network address of its subnet", s);
		}
	}
	jnet_addr_text(a, true);
	return 0;
}

