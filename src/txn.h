/*
 * The undo log of one command. Every step that changes the kernel records its inverse;
 * on failure the log is unwound newest-first and the command leaves nothing behind.
 */
#ifndef JNET_TXN_H
#define JNET_TXN_H

#include "jnet.h"

struct jnet_ctx;
typedef int (*jnet_undo_fn)(struct jnet_ctx *ctx, const void *data, struct jnet_err *e);

struct jnet_txn_entry;             /* private to txn.c */

/* Callers hold one by value and touch it only through the functions below. */
struct jnet_txn {
	struct jnet_txn_entry *v;
	size_t n, cap;
};

void jnet_txn_init(struct jnet_txn *t);
/* Record an inverse step; data (len bytes) is copied. Returns 0 or -ENOMEM. */
int jnet_txn_push(struct jnet_txn *t, jnet_undo_fn fn, const void *data, size_t len,
    const char *what);
/* The same for a step whose data is one string (an interface name), copied. */
int jnet_txn_push_str(struct jnet_txn *t, jnet_undo_fn fn, const char *s, const char *what);
/* Undo everything, newest first. Failures of undo steps are reported through `report`. */
void jnet_txn_rollback(struct jnet_ctx *ctx, struct jnet_txn *t,
    void (*report)(struct jnet_ctx *, const char *what, const struct jnet_err *));
/* Forget the log (the command succeeded). */
void jnet_txn_commit(struct jnet_txn *t);

#endif
