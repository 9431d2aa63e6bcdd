/*
 * Running labs (lab_run.h), private to its files: lab_run.c (names, journal, down),
 * lab_preflight.c (what up checks before it creates anything), lab_up.c (up),
 * lab_status.c (status) and lab_exec.c (exec).
 */
#ifndef JNET_LAB_RUN_INT_H
#define JNET_LAB_RUN_INT_H

#include "lab_run.h"

/* A growing list of jail or interface names. */
struct lab_names {
	char (*v)[JNET_JAILNAMSIZ];
	int n, cap;
};

/*
 * What this `up` found and what it created: the preflight fills the first, the steps the
 * second, and a failure unwinds the second (rollback).
 */
struct lab_up_state {
	bool *bridge_exists;         /* per lab bridge: there before (tagged or crash window) */
	bool *bridge_untagged;       /* per lab bridge: there, untagged: adopt it */
	bool *bridge_made;           /* per lab bridge: created by this up */
	bool *jail_exists;           /* per lab jail */
	bool *jail_made;             /* per lab jail: created by this up */
	struct lab_names hostifs;    /* host ends this up created in jails that existed */
};

/* 0, or -EOPNOTSUPP with ctx->err filled when the backend cannot build labs. */
int lab_need(struct jnet_ctx *ctx);
void lab_progress(jnet_lab_progress p, void *arg, const char *stage, int done, int total);
/* Prefix ctx->err with the lab object it is about ("jail a1"); returns -code. */
int lab_fail(struct jnet_ctx *ctx, const char *what, const char *name);
int lab_names_add(struct lab_names *k, const char *name);
int lab_name_cmp(const void *a, const void *b); /* strcmp, for qsort over lab_names.v */
/* The lab's lock (lock.h, "lab" LAB): commands on one lab take turns. */
int lab_lock(struct jnet_ctx *ctx, const char *name);
/* The bridge journal (lab_run.c): a name `up` is about to create a bridge with. */
int lab_journal_add(struct jnet_ctx *ctx, const char *lab, const char *ifname);
const char *lab_bridge_expect(struct jnet_ctx *ctx, const char *lab, const char *ifname);
/* Open lab jail jl, which must exist (ENOENT "jail vanished" otherwise). */
int lab_open_jail(struct jnet_ctx *ctx, const struct jnet_lab_jail *jl, struct jnet_jail *j);
/*
 * Everything that can be known before creating anything (lab_preflight.c): every object
 * of the lab that is there already is the lab's, every uplink exists and is free, every
 * limit holds. Fills s->bridge_exists, bridge_untagged, jail_exists.
 */
int lab_preflight(struct jnet_ctx *ctx, const struct jnet_lab *lab, struct lab_up_state *s);

#endif
