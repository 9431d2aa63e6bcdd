/*
 * The undo log of one command. Every step that changes the kernel records its inverse;
 * on failure the log is unwound newest-first and the command leaves nothing behind.
 */
#ifndef JNET_TXN_H
#define JNET_TXN_H

#include "jnet.h"

struct jnet_ctx;
typedef int (*jnet_undo_fn)(struct jnet_ctx *ctx, const void *data, struct jnet_err *e);

struct jnet_txn_entry {
	jnet_undo_fn fn;
	void *data;
	char what[96];
};

struct jnet_txn {
	struct jnet_txn_entry *v;
	size_t n, cap;
};

void jnet_txn_init(struct jnet_txn *t);
/* Record an inverse step; data (len bytes) is copied. Returns 0 or -ENOMEM. */
int jnet_txn_push(struct jnet_txn *t, jnet_undo_fn fn, const void *data, size_t len,
    const char *what);
/* The data of the newest step (to amend what its undo must do), NULL if the log is empty. */
void *jnet_txn_last(struct jnet_txn *t);
/* Undo everything, newest first. Failures of undo steps are reported through `report`. */
void jnet_txn_rollback(struct jnet_ctx *ctx, struct jnet_txn *t,
    void (*report)(struct jnet_ctx *, const char *what, const struct jnet_err *));
/* Forget the log (the command succeeded). */
void jnet_txn_commit(struct jnet_txn *t);

#endif
