/*
 * MAC addresses for link ends and bridges.
 *
 * stable (default): locally administered unicast, from
 *     h = jnet_hash64("jnet-mac-v1" NUL salt NUL jail NUL index-as-decimal NUL end)
 *     mac[0] = ((h >> 56) & 0xfc) | 0x02, mac[1..5] = the next 40 bits of h (big-endian).
 *   The salt is the host's identity (JNET_MAC_SALT, else /etc/machine-id on Linux,
 *   kern.hostuuid on FreeBSD) so the same jail name on two hosts gets different MACs, and
 *   pinning the salt keeps a migrated jail's MAC (and its DHCP lease). Bridges use the
 *   same formula with end 'r' and the bridge name in place of the jail name.
 * jib: bit-for-bit the derive_mac of FreeBSD's jib/jng (see mac.c).
 * random: the kernel's default.
 */
#ifndef JNET_MAC_H
#define JNET_MAC_H

#include "jnet.h"

enum jnet_mac_mode {
	JNET_MAC_STABLE,
	JNET_MAC_JIB,
	JNET_MAC_RANDOM,
};

int jnet_mac_mode_parse(const char *s, enum jnet_mac_mode *out);
const char *jnet_mac_mode_name(enum jnet_mac_mode m);

void jnet_mac_stable(uint8_t out[6], const char *salt, const char *name, int index, char end);

/* BSD sum(1) checksum (the default algorithm of sum(1)): rotate right, add, 16 bits. */
uint16_t jnet_bsd_sum(const char *s);

/*
 * jib's derive_mac: NP:SS:SS:II:II:II with N = counter & 15, SS:SS = jnet_bsd_sum(name)
 * (high byte first), II = last three bytes of the uplink's MAC, P chosen from the uplink's
 * first octet (?2 -> a:'a' b:'e'; ?e/?E -> a:'2' b:'6'; else a:'2' b:'e').
 */
void jnet_mac_jib(uint8_t a[6], uint8_t b[6], const uint8_t uplink[6], const char *name,
    unsigned counter);

/* Parse "xx:xx:xx:xx:xx:xx" (also '-' separated). Rejects multicast and all-zero. */
int jnet_mac_parse(const char *s, uint8_t out[6], struct jnet_err *e);
void jnet_mac_format(const uint8_t m[6], char out[JNET_MACSTRLEN]);

/*
 * The host salt: the machine id (/etc/machine-id, /var/lib/dbus/machine-id, FreeBSD
 * /etc/hostid). A pinned salt (--mac-salt, $JNET_MAC_SALT) is resolved by the CLI into
 * ctx->salt and never reaches this. Returns 0 or -errno.
 */
int jnet_host_salt(char *out, size_t len, struct jnet_err *e);

#endif
