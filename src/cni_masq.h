/*
 * ipMasq internals shared by src/cni_masq.c (the nftables changes, through libnftables) and
 * src/cni_masq_nl.c (the one lookup that libnftables cannot do without dumping the set).
 * Linux only.
 */
#ifndef JNET_CNI_MASQ_H
#define JNET_CNI_MASQ_H

#include <stdbool.h>
#include <stdint.h>

#include "jnet.h"

#define JNET_MASQ_TABLE "jnet-cni"  /* family inet */
#define JNET_MASQ_COMMENT_MAX 127   /* nftables: 128 bytes of comment, NUL included */
#define JNET_MASQ_CHAIN_MAX 63      /* out6-IPV6/PREFIX fits */

/* The element of one address in map saddr4/saddr6, as the kernel has it. */
struct jnet_masq_elem {
	bool found;
	char comment[JNET_MASQ_COMMENT_MAX + 1];
	char chain[JNET_MASQ_CHAIN_MAX + 1];      /* its jump target ("" if not a jump) */
};

/*
 * Read the element of addr (family AF_INET: map saddr4, AF_INET6: saddr6) with one netlink
 * NFT_MSG_GETSETELEM of its key: a hash lookup in the kernel, never a dump. out->found is
 * false when the element, the map or the table is absent. -errno on another failure.
 */
int jnet_cni_masq_elem(int family, const uint8_t *addr, struct jnet_masq_elem *out,
    struct jnet_err *e);

#endif
