/*
 * ipMasq internals shared by src/cni_masq.c (the nftables changes, through libnftables) and
 * src/cni_masq_nl.c (the read that libnftables cannot do without dumping a set: one element
 * by its key; through libnftnl). Linux only.
 */
#ifndef JNET_CNI_MASQ_H
#define JNET_CNI_MASQ_H

#include <stdbool.h>
#include <stdint.h>

#include "jnet.h"

#define JNET_MASQ_TABLE "jnet-cni"  /* family inet */
#define JNET_MASQ_OWNER "jnet"      /* the comment of the table jnet made */
#define JNET_MASQ_COMMENT_MAX 127   /* nftables: 128 bytes of comment, NUL included */
#define JNET_MASQ_CHAIN_MAX 63      /* out6-IPV6/PREFIX fits */
#define JNET_MASQ_RECORD_MAX 16     /* addresses one attachment's record holds at most */

/* An element of a map, as the kernel has it. */
struct jnet_masq_elem {
	bool found;
	char comment[JNET_MASQ_COMMENT_MAX + 1];
	char chain[JNET_MASQ_CHAIN_MAX + 1];      /* its jump target ("" if not a jump) */
	uint8_t data[16];                         /* its data (not a verdict) */
	uint32_t datalen;
};

/*
 * Read the element of key `key` (keylen bytes) in map `set` of the table with one netlink
 * NFT_MSG_GETSETELEM of its key: a hash lookup in the kernel, never a dump. out->found is
 * false when the element, the map or the table is absent. -errno on another failure.
 */
int jnet_cni_masq_elem(const char *set, const void *key, size_t keylen,
    struct jnet_masq_elem *out, struct jnet_err *e);

/*
 * Read table inet jnet-cni itself (one netlink NFT_MSG_GETTABLE of its name, no listing):
 * out->found, and its comment in out->comment (JNET_MASQ_OWNER: jnet made it).
 */
int jnet_cni_masq_table(struct jnet_masq_elem *out, struct jnet_err *e);

#endif
