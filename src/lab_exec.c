/* lab exec: run a command inside one jail of a lab. */
#include "lab_run_int.h"

#include <errno.h>
#include <string.h>

#include "lock.h"

int
jnet_lab_exec(struct jnet_ctx *ctx, const struct jnet_lab *lab, const char *jail,
    char *const argv[], int *exit_status)
{
	const struct jnet_lab_jail *jl;
	char have[JNET_TAGSIZ];
	struct jnet_tag t;
	struct jnet_jail j;
	bool entered = false;
	int i, r, lock;

	*exit_status = 125;
	jnet_err_clear(&ctx->err);
	if ((r = lab_need(ctx)) < 0)
		return r;
	if ((i = jnet_lab_jail_find(lab, jail)) < 0)
		return jnet_err_set(&ctx->err, ENOENT, jail, "no such jail in lab %s", lab->name);
	jl = &lab->jails[i];
	/* Held while the jail is checked and opened, so that a running up or down is not
	 * seen half-way; let go before the command runs (it may run for long, and it runs
	 * in the namespace it entered even if a down removes the name meanwhile). */
	if ((lock = lab_lock(ctx, lab->name)) < 0)
		return lock;
	r = ctx->be->lab->jail_tag(ctx->priv, jl->scoped, have, sizeof(have), &ctx->err);
	if (r == -ENOENT)
		r = jnet_err_set(&ctx->err, ENOENT, jl->scoped, "not up (run jnet lab up)");
	else if (r == 0 && (jnet_ownership(have, false, jl->scoped, JNET_TAG_JAIL, NULL, &t) !=
	    JNET_OWN_TAGGED || strcmp(t.name, lab->name) != 0 ||
	    strcmp(t.backend, ctx->be->name) != 0))
		r = jnet_err_set(&ctx->err, EPERM, jl->scoped, "is not lab %s's jail (%s)",
		    lab->name, have[0] ? have : "no jnet tag");
	if (r == 0)
		r = lab_open_jail(ctx, jl, &j);
	jnet_unlock(lock);
	if (r < 0)
		return r;
	r = ctx->be->lab->jail_exec(ctx->priv, &j, argv, &entered, &ctx->err);
	ctx->be->jail_close(ctx->priv, &j);
	/* In the jail, the command itself could not be run. */
	if (entered)
		*exit_status = r == -ENOENT ? 127 : 126;
	return r;
}
