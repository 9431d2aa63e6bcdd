/* The jib-compatible verbs: addm, attach, detach, destroy, show, gc, name. */
#include "cli.h"
#include "json.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
cmd_addm(struct cli *c, int argc, char **argv)
{
	struct jnet_addm_opts o = { .bridge_suffix = "bridge" };
	struct jnet_addm_arg *args;
	int ch, n, r;

	while ((ch = getopt(argc, argv, "+b:J:M:")) != -1) {
		switch (ch) {
		case 'b':
			o.bridge_suffix = optarg[0] ? optarg : "bridge";
			break;
		case 'J':
			o.into = optarg;
			break;
		case 'M': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end != '\0' || v < 68 || v > 65535)
				return cli_usage(c, "-M: MTU must be a number from 68 to 65535");
			o.mtu = (unsigned)v;
			break;
		}
		default:
			return cli_usage(c, "unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		return cli_usage(c, "need a jail name and at least one interface");
	c->jail = argv[0];
	n = argc - 1;
	if (n > JNET_MAXLINKS)
		return cli_usage(c, "at most %d interfaces", JNET_MAXLINKS);
	if (jnet_jail_name_check(argv[0], &c->ctx.err) < 0)
		return cli_fail(c);
	args = calloc((size_t)n, sizeof(*args));
	if (args == NULL)
		return jnet_err_set(&c->ctx.err, ENOMEM, "", "out of memory"), cli_fail(c);
	for (int i = 0; i < n; i++)
		if (jnet_addm_arg_parse(argv[i + 1], &args[i], &c->ctx.err) < 0) {
			free(args);
			return cli_fail(c);
		}
	if ((r = cli_open(c)) != 0) {
		free(args);
		return r;
	}
	r = jnet_addm(&c->ctx, argv[0], args, n, &o);
	free(args);
	return r < 0 ? cli_fail(c) : 0;
}

static int
name_only(struct cli *c, int argc, char **argv, int maxargs)
{
	if (getopt(argc, argv, "+") != -1)
		return cli_usage(c, "unknown option");
	if (argc - optind < 1 || argc - optind > maxargs)
		return cli_usage(c, "wrong number of arguments");
	c->jail = argv[optind];
	return cli_open(c);
}

int
cmd_attach(struct cli *c, int argc, char **argv)
{
	int r = name_only(c, argc, argv, 2);

	if (r != 0)
		return r;
	r = jnet_attach(&c->ctx, argv[optind], optind + 1 < argc ? argv[optind + 1] : NULL);
	return r < 0 ? cli_fail(c) : 0;
}

int
cmd_detach(struct cli *c, int argc, char **argv)
{
	int r = name_only(c, argc, argv, 2);

	if (r != 0)
		return r;
	return jnet_detach(&c->ctx, argv[optind], argc - optind > 1 ? argv[optind + 1] : NULL) < 0 ?
	    cli_fail(c) : 0;
}

int
cmd_destroy(struct cli *c, int argc, char **argv)
{
	int r = name_only(c, argc, argv, 1);

	if (r != 0)
		return r;
	return jnet_destroy(&c->ctx, argv[optind]) < 0 ? cli_fail(c) : 0;
}

static int
by_jail_index(const void *a, const void *b)
{
	const struct jnet_link_info *x = a, *y = b;
	int r = strcmp(x->jail, y->jail);

	return r ? r : x->index - y->index;
}

static void
print_long(const struct jnet_link_info *l)
{
	char mac[JNET_MACSTRLEN];

	jnet_mac_format(l->jail_mac_known ? l->jail_mac : l->host_mac, mac);
	printf("%-20s %3d  %-15s %-15s %-15s %-5s %s%s\n", l->jail, l->index, l->host_if,
	    l->jail_if[0] ? l->jail_if : "-", l->bridge[0] ? l->bridge : "-",
	    jnet_where_name(l->where), mac, l->tagged ? "" : "  (untagged: crash leftover?)");
}

int
cmd_show(struct cli *c, int argc, char **argv)
{
	struct jnet_link_vec k = { NULL, 0, 0 };
	bool lng = false;
	int ch, r;

	while ((ch = getopt(argc, argv, "+l")) != -1) {
		if (ch != 'l')
			return cli_usage(c, "unknown option");
		lng = true;
	}
	if (argc - optind > 1)
		return cli_usage(c, "at most one jail name");
	c->jail = argc - optind == 1 ? argv[optind] : NULL;
	if ((r = cli_open(c)) != 0)
		return r;
	r = jnet_links(&c->ctx, c->jail, jnet_link_vec_push, &k);
	if (r < 0) {
		free(k.v);
		return cli_fail(c);
	}
	qsort(k.v, k.n, sizeof(*k.v), by_jail_index);
	if (c->json) {
		json_t *a = json_array();

		for (size_t i = 0; i < k.n; i++)
			json_array_append_new(a, jnet_json_link(&k.v[i]));
		cli_json_print(a);
	} else if (lng) {
		printf("%-20s %3s  %-15s %-15s %-15s %-5s %s\n", "JAIL", "IDX", "HOST END",
		    "JAIL END", "BRIDGE", "WHERE", "MAC (jail end)");
		for (size_t i = 0; i < k.n; i++)
			print_long(&k.v[i]);
	} else if (c->jail != NULL) {
		/* jib: `show NAME` lists the host ends of NAME. */
		for (size_t i = 0; i < k.n; i++)
			printf("%s\n", k.v[i].host_if);
	} else {
		/* jib: `show` lists the NAME values. */
		for (size_t i = 0; i < k.n; i++)
			if (i == 0 || strcmp(k.v[i].jail, k.v[i - 1].jail) != 0)
				printf("%s\n", k.v[i].jail);
	}
	free(k.v);
	return 0;
}

static int
gc_print(const struct jnet_link_info *l, void *arg)
{
	struct cli *c = arg;

	if (c->json)
		return 0;
	printf("removed %s%s%s (jail %s, link %d)\n", l->host_if, l->jail_if[0] ? "/" : "",
	    l->jail_if, l->jail, l->index);
	return 0;
}

int
cmd_gc(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "min-age", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, r;

	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		char *end;
		long v;

		if (ch != 'a')
			return cli_usage(c, "unknown option");
		v = strtol(optarg, &end, 10);
		if (optarg[0] == '\0' || *end != '\0' || v < 0 || v > 100000000)
			return cli_usage(c, "--min-age: seconds, a number from 0");
		c->ctx.gc_min_age_s = (int)v;
	}
	if (argc - optind != 0)
		return cli_usage(c, "no arguments");
	if ((r = cli_open(c)) != 0)
		return r;
	return jnet_gc(&c->ctx, gc_print, c) < 0 ? cli_fail(c) : 0;
}

int
cmd_name(struct cli *c, int argc, char **argv)
{
	char out[JNET_IFNAMSIZ];
	const struct jnet_backend_ops *be;
	long index = 0;
	char end = 'b';
	int r;

	if (getopt(argc, argv, "+") != -1)
		return cli_usage(c, "unknown option");
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 3)
		return cli_usage(c, "wrong number of arguments");
	c->jail = argv[0];
	if (argc >= 2) {
		char *e;

		index = strtol(argv[1], &e, 10);
		if (*e != '\0' || index < 0 || index >= JNET_MAXLINKS)
			return cli_usage(c, "INDEX must be 0..%d", JNET_MAXLINKS - 1);
	}
	if (argc == 3) {
		if (strcmp(argv[2], "a") != 0 && strcmp(argv[2], "b") != 0)
			return cli_usage(c, "the end is a (host) or b (jail)");
		end = argv[2][0];
	}
	if (jnet_jail_name_check(argv[0], &c->ctx.err) < 0)
		return cli_fail(c);
	/* Naming needs no kernel: pick the backend's style without opening it. */
	be = c->backend ? jnet_backend_find(c->backend) : NULL;
	if (be == NULL && c->backend == NULL && getenv("JNET_BACKEND") && getenv("JNET_BACKEND")[0])
		be = jnet_backend_find(getenv("JNET_BACKEND"));
	if (be == NULL && c->backend == NULL && !(getenv("JNET_BACKEND") && getenv("JNET_BACKEND")[0]))
		be = jnet_backend_default();
	if (be == NULL) {
		const char *n = c->backend ? c->backend : getenv("JNET_BACKEND");

		/* Names are pure: answer even for backends this system cannot run. */
		if (n && strcmp(n, "netgraph") == 0)
			r = jnet_ifname(out, JNET_NAMES_NG, argv[0], (int)index, 'a');
		else if (n && (strcmp(n, "epair") == 0 || strcmp(n, "netns") == 0))
			r = jnet_ifname(out, JNET_NAMES_PAIR, argv[0], (int)index, end);
		else
			return cli_usage(c, "unknown backend '%s'", n ? n : "");
	} else {
		r = jnet_ifname(out, be->names, argv[0], (int)index, be->paired ? end : 'a');
	}
	if (r < 0)
		return cli_usage(c, "bad index or end");
	printf("%s\n", out);
	return 0;
}
