#include "txn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct jnet_txn_entry {
	jnet_undo_fn fn;
	void *data;
	char what[96];
};

void
jnet_txn_init(struct jnet_txn *t)
{
	memset(t, 0, sizeof(*t));
}

int
jnet_txn_push(struct jnet_txn *t, jnet_undo_fn fn, const void *data, size_t len,
    const char *what)
{
	struct jnet_txn_entry *en;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		struct jnet_txn_entry *v = realloc(t->v, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	en = &t->v[t->n];
	en->data = malloc(len ? len : 1);
	if (en->data == NULL)
		return -ENOMEM;
	if (len)
		memcpy(en->data, data, len);
	en->fn = fn;
	jnet_strlcpy(en->what, what ? what : "", sizeof(en->what));
	t->n++;
	return 0;
}

void
jnet_txn_rollback(struct jnet_ctx *ctx, struct jnet_txn *t,
    void (*report)(struct jnet_ctx *, const char *, const struct jnet_err *))
{
	while (t->n > 0) {
		struct jnet_txn_entry *en = &t->v[--t->n];
		struct jnet_err e;

		jnet_err_clear(&e);
		if (en->fn(ctx, en->data, &e) < 0 && report != NULL)
			report(ctx, en->what, &e);
		free(en->data);
	}
	jnet_txn_commit(t);
}

void
jnet_txn_commit(struct jnet_txn *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].data);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

int
jnet_txn_push_str(struct jnet_txn *t, jnet_undo_fn fn, const char *s, const char *what)
{
	return jnet_txn_push(t, fn, s, strlen(s) + 1, what);
}
