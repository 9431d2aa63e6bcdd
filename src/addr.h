/* IPv4/IPv6 addresses as jnet takes them from users: labs, addm/attach -a/-g/-r. */
#ifndef JNET_ADDR_H
#define JNET_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "jnet.h"

#define JNET_ADDRSTRLEN 52   /* "ipv6/128" + NUL */

/* Where something was written in a lab file; 1-based (0: not from a file). */
struct jnet_lab_pos {
	unsigned line;
	unsigned col;
};

struct jnet_lab_addr {
	int family;                    /* AF_INET or AF_INET6 */
	uint8_t addr[16];              /* network byte order; IPv4 in the first 4 bytes */
	int prefix;                    /* 0..32 or 0..128 */
	char text[JNET_ADDRSTRLEN];    /* canonical "address/prefix" (inet_ntop) */
	struct jnet_lab_pos pos;
};

enum jnet_addr_use {
	JNET_ADDR_IFACE,      /* "ADDRESS/PREFIX" usable on an interface */
	JNET_ADDR_ROUTE_DST,  /* "NETWORK/PREFIX", no host bits */
	JNET_ADDR_VIA,        /* a plain "ADDRESS" (a gateway) */
};

/*
 * Parse s for `use`. Interface addresses must be usable on an interface (unicast, not the
 * network or broadcast address of their subnet, not link-local); route destinations must
 * have no host bits set (the kernel refuses them). `what` names the value in messages.
 * 0, or -EINVAL with e's message quoting s.
 */
int jnet_addr_parse(const char *s, enum jnet_addr_use use, const char *what,
    struct jnet_lab_addr *a, struct jnet_err *e);
/* a->text from a->addr (with "/prefix" or not). */
void jnet_addr_text(struct jnet_lab_addr *a, bool with_prefix);
/* Do a and b agree on their first `prefix` bits? */
bool jnet_addr_prefix_match(const uint8_t *a, const uint8_t *b, int prefix);

#endif
