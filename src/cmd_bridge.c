/* bridge add|del|list. */
#include "cli.h"
#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int
bridge_print(const struct jnet_ifinfo *i, void *arg)
{
	json_t *a = arg;

	if (a != NULL) {
		json_array_append_new(a, jnet_json_ifinfo(i));
		return 0;
	}
	printf("%-15s %s\n", i->name,
	    i->tagged && i->tag.kind == JNET_TAG_BRIDGE ?
	    (strcmp(i->tag.name, "-") == 0 ? "jnet" : i->tag.name) :
	    i->jnet_group ? "jnet" : "-");
	return 0;
}

int
cmd_bridge(struct cli *c, int argc, char **argv)
{
	struct cli_args ca;
	const char *sub;
	int r;

	if ((r = cli_no_options(c, argc, argv, &ca)) != 0)
		return r;
	argc = ca.nops;
	argv = ca.ops;
	if (argc < 1)
		return cli_usage(c, "add, del or list?");
	sub = argv[0];
	if (strcmp(sub, "add") == 0) {
		c->cmd = "bridge add";
		if (argc < 2 || argc > 3)
			return cli_usage(c, "wrong number of arguments");
		c->jail = argv[1];
		if ((r = cli_open(c)) != 0)
			return r;
		r = jnet_bridge_add(&c->ctx, argv[1], argc == 3 ? argv[2] : NULL, NULL);
	} else if (strcmp(sub, "del") == 0) {
		c->cmd = "bridge del";
		if (argc != 2)
			return cli_usage(c, "wrong number of arguments");
		c->jail = argv[1];
		if ((r = cli_open(c)) != 0)
			return r;
		r = jnet_bridge_del(&c->ctx, argv[1]);
	} else if (strcmp(sub, "list") == 0) {
		json_t *a = NULL;

		c->cmd = "bridge list";
		if (argc != 1)
			return cli_usage(c, "no arguments");
		if ((r = cli_open(c)) != 0)
			return r;
		if (c->json)
			a = json_array();
		r = jnet_bridge_list(&c->ctx, bridge_print, a);
		if (a != NULL) {
			if (r < 0)
				json_decref(a);
			else
				cli_json_print(a);
		}
	} else {
		return cli_usage(c, "unknown bridge command '%s'", sub);
	}
	return r < 0 ? cli_fail(c) : 0;
}
