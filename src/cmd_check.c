/* check and repair: drift between what exists and what jnet's tags say. */
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct check_out {
	struct cli *c;
	json_t *arr;                    /* -j */
};

static const char *
repair_word(enum jnet_repair r)
{
	return r == JNET_REPAIR_DONE ? "repaired" : r == JNET_REPAIR_FAILED ? "not repaired" : "";
}

static int
check_print(const struct jnet_drift_info *d, void *arg)
{
	struct check_out *o = arg;
	char where[JNET_JAILNAMSIZ + 32];

	if (d->index >= 0)
		snprintf(where, sizeof(where), "%s link %d", d->jail, d->index);
	else
		snprintf(where, sizeof(where), "bridge");
	if (o->arr != NULL) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "drift", d->name, "object", d->object,
		    "detail", d->detail);

		if (j == NULL)
			return -1;
		json_object_set_new(j, "jail", d->index >= 0 ? json_string(d->jail) : json_null());
		json_object_set_new(j, "index", d->index >= 0 ? json_integer(d->index) : json_null());
		if (d->repair != JNET_REPAIR_NONE)
			json_object_set_new(j, "repaired", json_boolean(d->repair == JNET_REPAIR_DONE));
		if (d->err.code != 0 && d->repair != JNET_REPAIR_DONE)
			json_object_set_new(j, "why", json_string(d->err.msg));
		json_array_append_new(o->arr, j);
		return 0;
	}
	printf("%s: %s %s: %s", d->name, where, d->object, d->detail);
	if (d->repair != JNET_REPAIR_NONE)
		printf(": %s", repair_word(d->repair));
	if (d->err.code != 0 && d->repair != JNET_REPAIR_DONE)
		printf(" (%s%s%s)", d->err.object[0] ? d->err.object : "", d->err.object[0] ? ": " : "",
		    d->err.msg);
	putchar('\n');
	return 0;
}

static int
check_or_repair(struct cli *c, int argc, char **argv, bool repair)
{
	struct check_out o = { c, NULL };
	struct cli_args a;
	int r, left = 0;

	if ((r = cli_no_options(c, argc, argv, &a)) != 0)
		return r;
	if (a.nops > 1)
		return cli_usage(c, "at most one jail NAME");
	if (a.nops == 1)
		c->jail = a.ops[0];
	if ((r = cli_open(c)) != 0)
		return r;
	if (c->json && (o.arr = json_array()) == NULL)
		return cli_usage(c, "out of memory");
	r = jnet_check(&c->ctx, a.nops == 1 ? a.ops[0] : NULL, repair, check_print, &o, &left);
	if (r < 0) {
		json_decref(o.arr);
		return cli_fail(c);
	}
	if (o.arr != NULL)
		cli_json_print(o.arr);
	/* check: 1 when anything drifted; repair: 1 when anything is left. */
	return (repair ? left : r) > 0 ? 1 : 0;
}

int
cmd_check(struct cli *c, int argc, char **argv)
{
	return check_or_repair(c, argc, argv, false);
}

int
cmd_repair(struct cli *c, int argc, char **argv)
{
	return check_or_repair(c, argc, argv, true);
}
