/*
 * The epair backend's own header (epair.c, epair_link.c): its per-command state and what
 * the two files share. See epair.c for the backend.
 */
#ifndef JNET_EPAIR_H
#define JNET_EPAIR_H

#include "backend.h"
#include "common.h"
#include "fbsd.h"

#define GROUP FBC_GROUP   /* interface group of everything jnet creates */
#define EP_NEW_MTU 1500   /* a new epair's MTU: ETHERMTU (if_ethersubr.c ether_ifattach) */

/*
 * Per command: which kernel modules are known to be loaded (fbc_kld), and the if_get
 * answers of an addm (it asks for its uplink and that uplink's bridge once per argument):
 * kept while a jail is open (jail_open .. jail_close: the span of addm, attach, detach -J)
 * and only then, so nothing outlives the command that read it. Any change this backend
 * makes drops the interfaces it may touch (link_create only its own two names, and it
 * tells the bridge's entry the MTU the bridge now has). priv may be NULL (tests): no cache.
 */
#define EP_IFCACHE 4
struct eppriv {
	bool if_epair, if_bridge, if_vlan;
	int open_jails;   /* jail_open not closed yet: the cache is on while > 0 */
	struct jnet_ifinfo ifs[EP_IFCACHE];
	int nifs, nextif;
};

void ep_drop_ifs(struct eppriv *p);
void ep_drop_if(struct eppriv *p, const char *name);
struct jnet_ifinfo *ep_cached_if(struct eppriv *p, const char *name);

/*
 * be[] slots of struct jnet_link_info (what link_get saw, for the verbs that act on that
 * link in the same command): the jail end's flags word + 1 when it is on the host (0: not
 * read); 1 when the host has no interface named as the jail end (its jnet name).
 */
#define BE_FLAGS 0
#define BE_HOST_FREE 1
#define BE_JID 2       /* the JID + 1 of the jail that holds the jail end (0: not looked up) */
#define BE_DYING 3     /* that jail is dying */

/* The jail holding l's jail end: what link_get found (BE_JID), else looked up. */
int ep_jid_of(const struct jnet_link_info *l, int *jid, bool *dying, struct jnet_err *e);

/* BRDGADD, explaining FreeBSD 15's refusal of members with IP addresses. */
int ep_brdgadd(const char *bridge, const char *member, struct jnet_err *e);

/* epair_link.c: the link operations of the backend. */
int ep_link_create(void *priv, const struct jnet_link_req *req, struct jnet_err *e);
int ep_link_get(void *priv, const char *host_if, struct jnet_link_info *out,
    struct jnet_err *e);
int ep_link_stale(void *priv, const struct jnet_link_info *l, struct jnet_err *e);
int ep_link_list(void *priv, int (*cb)(const struct jnet_link_info *, void *), void *arg,
    struct jnet_err *e);
int ep_link_destroy(void *priv, const struct jnet_link_info *l, struct jnet_err *e);
int ep_link_move(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    const struct jnet_jail *from, struct jnet_err *e);
int ep_link_set_up(void *priv, const struct jnet_link_info *l, bool up, struct jnet_err *e);

#endif
