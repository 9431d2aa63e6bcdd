/*
 * The core: what every command does, written once over the backend interface.
 * Knows nothing about any OS. Never prints: results go to callbacks, errors to ctx->err.
 */
#ifndef JNET_CORE_H
#define JNET_CORE_H

#include "backend.h"
#include "hooks.h"
#include "ipconf.h"
#include "mac.h"
#include "txn.h"

#define JNET_GC_MIN_AGE_DEFAULT 600 /* s: exec.prestart to exec.created, with margin */

struct jnet_ctx {
	const struct jnet_backend_ops *be;
	void *priv;                     /* the backend's open state */
	const char *hookdir;            /* default JNET_HOOKDIR_DEFAULT */
	int hook_timeout_ms;
	enum jnet_mac_mode mac_mode;
	char salt[256];                 /* host salt for stable MACs; "" until needed */
	const char *rundir;             /* lock files; NULL: JNET_RUNDIR_DEFAULT (lock.h) */
	int lock_wait_ms;               /* how long to wait for a same-jail command; 0: default */
	int64_t now;                    /* epoch seconds for tags' t=; 0: the clock (tests pin it) */
	int gc_min_age_s;               /* gc keeps never-attached links younger than this;
	                                   < 0: default (JNET_GC_MIN_AGE_DEFAULT) */
	struct jnet_err err;            /* the error of the last failing call */
	/* Non-fatal problems (a failing stop_if, an undo step that failed) go here. */
	void (*warn)(struct jnet_ctx *ctx, const struct jnet_err *w);
	void *user;
};

/* Open the backend `name` (NULL: $JNET_BACKEND, else the OS default). */
int jnet_ctx_open(struct jnet_ctx *ctx, const char *backend);
void jnet_ctx_close(struct jnet_ctx *ctx);
/*
 * Between two commands that share one open context (jnet -f): every field back to
 * `settings` (the context as the settings resolver filled it, never opened), but the open
 * backend and the host salt once loaded; the backend drops its per-command state. A field
 * added to struct jnet_ctx is reset with the others.
 */
void jnet_ctx_reset(struct jnet_ctx *ctx, const struct jnet_ctx *settings);

/* One IFACE argument of addm: "[!]IFACE[=MAC]" ("!": no derived MAC, jib's syntax). */
struct jnet_addm_arg {
	char iface[JNET_IFNAMSIZ];
	bool no_derive;
	bool has_mac;
	uint8_t mac[6];                 /* explicit MAC of the jail end */
	unsigned mtu;                   /* 0: opts->mtu */
};
int jnet_addm_arg_parse(const char *s, struct jnet_addm_arg *out, struct jnet_err *e);

struct jnet_addm_opts {
	const char *bridge_suffix;      /* default "bridge" */
	const char *into;               /* jail spec for the jail ends (default: the jail name) */
	unsigned mtu;                   /* 0: default */
	bool jail_no_ipv6;              /* labs: no IPv6 address generation on jail ends */
	const struct jnet_ipconf *ip;   /* addresses and routes for the jail ends (the jail
	                                   must exist: they are applied inside it), or NULL */
	bool macs_checked;              /* labs: the caller checked the bridges' MACs at once */
};

/*
 * addm: for each argument i, make link i of `jail` exist and be complete. Idempotent;
 * completes a partial set; any failure rolls back what this call created.
 */
int jnet_addm(struct jnet_ctx *ctx, const char *jail, const struct jnet_addm_arg *args,
    int nargs, const struct jnet_addm_opts *opts);
/* attach: move the jail ends of `jail` into `spec` (default: the jail named `jail`). */
int jnet_attach(struct jnet_ctx *ctx, const char *jail, const char *spec);
/* The same, then give the jail ends addresses and routes (ip may be NULL). */
int jnet_attach_ip(struct jnet_ctx *ctx, const char *jail, const char *spec,
    const struct jnet_ipconf *ip);
/* detach: bring the jail ends of `jail` back to the host (spec: only those inside that
 * jail, which is where attach NAME SPEC put them; NULL: from wherever they are). */
int jnet_detach(struct jnet_ctx *ctx, const char *jail, const char *spec);
/*
 * destroy: remove every link of `jail`, found by the names jnet gives them and, when they
 * do not tell the whole story (nothing there, an index of the set missing), by their tags
 * on the whole host; success when nothing of it is left.
 */
int jnet_destroy(struct jnet_ctx *ctx, const char *jail);
/* The same for the links found by their names only (O(links); labs, for jails they just
 * made, and for lab jails whose point-to-point ends have no host end). */
int jnet_destroy_named(struct jnet_ctx *ctx, const char *jail);

/* The links of one jail (by name probing, O(links)) or of all jails (enumeration). */
int jnet_links(struct jnet_ctx *ctx, const char *jail,
    int (*cb)(const struct jnet_link_info *, void *), void *arg);

/* A growing array of links; jnet_link_vec_push fits jnet_links' callback. Free v. */
struct jnet_link_vec {
	struct jnet_link_info *v;
	size_t n, cap;
};
int jnet_link_vec_push(const struct jnet_link_info *l, void *vec);

/* gc: destroy links whose jail does not exist; cb is told of each one removed. */
int jnet_gc(struct jnet_ctx *ctx, int (*cb)(const struct jnet_link_info *, void *), void *arg);

/* Bridges. */
int jnet_bridge_add(struct jnet_ctx *ctx, const char *name, const char *uplink,
    const char *owner);
int jnet_bridge_del(struct jnet_ctx *ctx, const char *name);
/* Destroy bridge `name`, which the caller knows is jnet's and holds no link, giving its
 * uplink back the state its tag records (labs). */
int jnet_bridge_release(struct jnet_ctx *ctx, const char *name);
int jnet_bridge_list(struct jnet_ctx *ctx, int (*cb)(const struct jnet_ifinfo *, void *),
    void *arg);

/* check/repair: the kinds of drift between what exists and what the tags say. */
enum jnet_drift {
	JNET_DRIFT_HOST_DOWN,           /* a link's host end is down */
	JNET_DRIFT_JAIL_DOWN,           /* its jail end is down */
	JNET_DRIFT_OFF_BRIDGE,          /* its host end is not a port of its bridge (br=) */
	JNET_DRIFT_BRIDGE_GONE,         /* its bridge does not exist */
	JNET_DRIFT_MTU,                 /* its host end's MTU is not mtu= (or its bridge's) */
	JNET_DRIFT_JAIL_END_GONE,       /* half a pair */
	JNET_DRIFT_STALE,               /* its jail end is in an older instance of the jail */
	JNET_DRIFT_BRIDGE_DOWN,         /* a bridge holding our links, or ours, is down */
	JNET_DRIFT_UPLINK_LOST,         /* a jnet bridge's uplink (uplink=) is not its port */
	JNET_DRIFT_LINK_GONE,           /* a link of the set (the tags' n=) is not there */
};

enum jnet_repair { JNET_REPAIR_NONE, JNET_REPAIR_DONE, JNET_REPAIR_FAILED };

struct jnet_drift_info {
	enum jnet_drift kind;
	const char *name;               /* "host-end-down", ... (jnet_drift_name) */
	char jail[JNET_JAILNAMSIZ];     /* "" for a bridge's drift */
	int index;                      /* link index, -1 for a bridge's drift */
	char object[JNET_IFNAMSIZ];     /* the interface concerned */
	char detail[512];               /* what is wrong, in words */
	enum jnet_repair repair;        /* NONE under check */
	struct jnet_err err;            /* FAILED (or cannot be repaired): why */
};

const char *jnet_drift_name(enum jnet_drift k);

/*
 * check (repair false) / repair (true): the links of `jail` (NULL: of every jail, and
 * every jnet bridge) and the bridges they are on, against their tags. cb is told of each
 * drift, after the attempt to repair it. Returns the number of drifts found (>= 0) or
 * -errno (ctx->err); *left (may be NULL) gets how many repair could not fix.
 */
int jnet_check(struct jnet_ctx *ctx, const char *jail, bool repair,
    int (*cb)(const struct jnet_drift_info *, void *), void *arg, int *left);

/* l's host end as an interface (on the host, or inside the jail a one-ended backend
 * moved it into): 0, -ENODEV, or -errno. */
int jnet_link_host_end(struct jnet_ctx *ctx, const struct jnet_link_info *l,
    struct jnet_ifinfo *h, struct jnet_err *e);
/* Copy br= and mtu= of l's host end's current tag into t (a tag made anew keeps them). */
void jnet_link_tag_keep(struct jnet_ctx *ctx, const struct jnet_link_info *l,
    struct jnet_tag *t);

/* Name of link `index` end `end` of `jail` for this backend. */
int jnet_link_ifname(const struct jnet_ctx *ctx, char out[JNET_IFNAMSIZ], const char *jail,
    int index, char end);

/* Whether l's jail end (when the backend sees it) is named as jnet names end 'b' of link i
 * of `jail`, or `peer` when not NULL (a name the caller chose: CNI_IFNAME). An untagged
 * pair is jnet's crash leftover only so; a CNI attachment's link only so. */
bool jnet_link_peer_ok(struct jnet_ctx *ctx, const struct jnet_link_info *l, const char *jail,
    int i, const char *peer);

/* stats: the bridge counters of the links of `jail` (found by their names); graph: the
 * topology jnet works with. -EOPNOTSUPP where the backend has none. Free out (view.h). */
int jnet_stats(struct jnet_ctx *ctx, const char *jail, struct jnet_stats *out);
int jnet_graph(struct jnet_ctx *ctx, struct jnet_graph *out);

/* Load the host salt into ctx->salt if not done yet. */
int jnet_ctx_salt(struct jnet_ctx *ctx);

#endif
