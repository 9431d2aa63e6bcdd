/*
 * What the core's files (core.c, core_*.c) share and nothing else sees: the probe over a
 * jail's links, locks, hooks, the undo steps, addm's state and its bridge choice.
 */
#ifndef JNET_CORE_INT_H
#define JNET_CORE_INT_H

#include "core.h"

/* ---------------------------------------------------------------- core.c */

void core_undo_report(struct jnet_ctx *ctx, const char *what, const struct jnet_err *e);
int core_lock_wait(const struct jnet_ctx *ctx);
int core_lock_jail(struct jnet_ctx *ctx, const char *jail, int wait_ms);
int core_lock_jail_check(struct jnet_ctx *ctx, const char *jail, bool *crashed);

typedef int (*core_probe_cb)(struct jnet_ctx *ctx, int r, struct jnet_link_info *l, void *arg);

/* What a probe learnt besides the links it reported. */
struct core_probe_out {
	bool seen[JNET_MAXLINKS];   /* index found (by name or by the dump) */
	int hi;                     /* size of the set, from the tags' n= */
};

int core_probe_links_how(struct jnet_ctx *ctx, const char *jail, core_probe_cb cb, void *arg,
    struct core_probe_out *out, bool thorough, bool list);
int core_probe_links(struct jnet_ctx *ctx, const char *jail, core_probe_cb cb, void *arg,
    struct core_probe_out *out);
bool core_crash_peer_ok(struct jnet_ctx *ctx, const struct jnet_link_info *l, const char *jail,
    int i);
int core_not_ours(struct jnet_ctx *ctx, int r, const struct jnet_link_info *l);
int core_link_stale(struct jnet_ctx *ctx, const struct jnet_link_info *l);
bool core_any_hook(struct jnet_ctx *ctx, const char *event, const char *a, const char *b);
int core_run_hooks(struct jnet_ctx *ctx, const char *event, const struct jnet_link_info *l,
    struct jnet_err *e);
void core_stop_hooks(struct jnet_ctx *ctx, struct jnet_link_info *l);
int core_destroy_link(struct jnet_ctx *ctx, struct jnet_link_info *l);

/* ---------------------------------------------------------------- core_undo.c */

/*
 * Record the undo of one kernel change in txn (0 or -ENOMEM): link host_if created (jail
 * and index find it by its tag if a hook renamed it; jail NULL: not searched; stop_hooks:
 * its start_if hooks ran), bridge `name` created, uplink `iface` brought up, host_if
 * moved off `bridge`, given another MTU or tag, its jail end moved (back_to_jail: from
 * `jail`, opened with jail_open `flags`; else from the host).
 */
int core_undo_link(struct jnet_txn *txn, const char *host_if, const char *jail, int index,
    bool stop_hooks, const char *what);
int core_undo_bridge(struct jnet_txn *txn, const char *name);
int core_undo_uplink_up(struct jnet_txn *txn, const char *iface);
int core_undo_master(struct jnet_txn *txn, const char *host_if, const char *bridge);
int core_undo_mtu(struct jnet_txn *txn, const char *host_if, unsigned mtu);
int core_undo_tag(struct jnet_txn *txn, const char *host_if, const char *text);
int core_undo_move(struct jnet_txn *txn, const char *host_if, const char *jail,
    unsigned flags, bool back_to_jail, const char *what);
/* Unwind txn after a failure, keeping ctx->err (the failure's own error). */
void core_txn_abort(struct jnet_ctx *ctx, struct jnet_txn *txn);

/* The link tagged as link `index` of `jail`, wherever it is (a listing of the host): 1 and
 * *out, 0 when there is none, or -errno. */
int core_find_tagged(struct jnet_ctx *ctx, const char *jail, int index,
    struct jnet_link_info *out, struct jnet_err *e);

/* ---------------------------------------------------------------- addm */

struct addm_state {
	const char *jail;
	const struct jnet_addm_opts *opts;
	int nargs;
	struct jnet_jail into;
	unsigned into_flags;
	struct jnet_txn txn;
	int64_t now;
	char counted[JNET_MAXLINKS][JNET_IFNAMSIZ]; /* jib MAC counter per uplink */
	unsigned counts[JNET_MAXLINKS];
	int ncounted;
	int old_count[JNET_MAXLINKS];               /* n= of links that existed, -1: new */
};

/* The bridge an addm argument names, what addm may do with it, and its MTU. */
struct bridge_choice {
	char name[JNET_IFNAMSIZ];
	unsigned mtu;
	bool ours;                  /* made by jnet (its MTU is pinned) */
	struct jnet_ifinfo iface;   /* the argument's interface (uplink or bridge) */
	int lock;                   /* its lock, shared, until the link is on it (-1: none) */
};


/* Find (or create, recording the undo) the bridge for an addm argument (core_addm_bridge.c);
 * on success bc->lock holds the bridge's lock shared: jnet_unlock_shared once the link is
 * on the bridge (or failed to get there), so that `bridge del` cannot come in between. */
int core_resolve_bridge(struct jnet_ctx *ctx, struct addm_state *st, const char *iface,
    struct bridge_choice *bc);

#endif
