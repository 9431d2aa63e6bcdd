/*
 * VLAN uplinks (issue 12): an uplink spec PARENT:VID (names.h jnet_vlan_spec) stands for
 * the 802.1Q interface jnet makes on PARENT for VLAN VID (names.h jnet_vlan_ifname),
 * tagged `jnet/2 vlan BACKEND OWNER parent=PARENT vid=VID`. It is made with the bridge
 * that takes it as its uplink and goes when that bridge goes: its removal belongs with
 * the bridge's. A VLAN interface jnet did not make is never changed nor removed.
 */
#ifndef JNET_VLAN_H
#define JNET_VLAN_H

#include "core.h"

/* Lock VLAN interface `vif` (jnet_lock kind "vlan"): one process at a time makes or
 * takes it, so that under the lock an untagged one of ours is a crash's. Taken inside a
 * bridge's lock, never the other way round. An fd for jnet_unlock, or -errno. */
int jnet_vlan_lock(struct jnet_ctx *ctx, const char *vif);

/*
 * For a VLAN spec: make jnet's VLAN interface exist (call under jnet_vlan_lock of it). *created is true when this call made it. A foreign interface of that name,
 * or one of ours for another parent or VID, is refused; one a killed run left untagged
 * (jnet_ownership: JNET_OWN_CRASH) and on no bridge is made anew.
 */
int jnet_vlan_ensure(struct jnet_ctx *ctx, const char *spec, char out[JNET_IFNAMSIZ],
    bool *created);

/*
 * Remove `ifname` if it is a VLAN interface jnet made (its tag says so, or a killed run's
 * untagged one of that name) and it is on no bridge but `bridge` (NULL: on none); anything
 * else is left alone. Called just before the bridge it is the uplink of is destroyed, and
 * by rollbacks. Gone: 0.
 */
int jnet_vlan_release(struct jnet_ctx *ctx, const char *ifname, const char *bridge,
    struct jnet_err *e);

/* A txn undo step for a VLAN interface made now (data: its name). */
int jnet_vlan_undo(struct jnet_ctx *ctx, const void *data, struct jnet_err *e);

#endif
