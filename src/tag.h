/*
 * Ownership tags. Every object jnet creates carries one (Linux: IFLA_IFALIAS; FreeBSD:
 * the interface description, plus interface group "jnet"; netgraph: node name + eiface
 * description). Version 1 text forms, fields separated by one space:
 *
 *     jnet/1 link   BACKEND INDEX END JAIL      a link end; END is 'a' (host) or 'b' (jail)
 *     jnet/1 bridge BACKEND OWNER               a bridge; OWNER is '-' or the lab's name
 *     jnet/1 jail   BACKEND OWNER               a jail jnet created for lab OWNER
 *
 * JAIL comes last and runs to the end of the text (jail names hold no whitespace).
 * Tools list, destroy and garbage-collect objects by these tags, never by guessing from
 * names, and refuse to touch anything whose tag does not parse.
 */
#ifndef JNET_TAG_H
#define JNET_TAG_H

#include "jnet.h"

#define JNET_TAG_VERSION 1

enum jnet_tag_kind {
	JNET_TAG_LINK,
	JNET_TAG_BRIDGE,
	JNET_TAG_JAIL,
};

struct jnet_tag {
	int version;
	enum jnet_tag_kind kind;
	char backend[16];
	int index;                   /* links */
	char end;                    /* links: 'a' or 'b' */
	char name[JNET_JAILNAMSIZ];  /* links: jail name; bridges and jails: owner ("-" or lab) */
};

int jnet_tag_format(char *out, size_t len, const struct jnet_tag *t);
/* 0 on success; -EINVAL if s is not a jnet tag we understand. */
int jnet_tag_parse(const char *s, struct jnet_tag *t);

void jnet_tag_link(struct jnet_tag *t, const char *backend, const char *jail, int index,
    char end);
void jnet_tag_bridge(struct jnet_tag *t, const char *backend, const char *owner);
void jnet_tag_jail(struct jnet_tag *t, const char *backend, const char *owner);

#endif
