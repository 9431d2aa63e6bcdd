/* The jib-compatible verbs: addm, attach, detach, destroy, show, gc, name. */
#include "cli.h"
#include "json.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* -b SUFFIX: refused here (exit 2) when no interface name could hold it. */
static int
suffix_check(struct cli *c, const char *s)
{
	if (s[0] == '\0')
		return cli_usage(c, "-b: empty suffix");
	for (const char *p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch <= 0x20 || ch >= 0x7f)
			return cli_usage(c, "-b: suffix has a byte 0x%02x (whitespace, control or "
			    "non-ASCII), which an interface name cannot hold", ch);
		if (ch == '/' || ch == ':' || ch == '%')
			return cli_usage(c, "-b: suffix '%s' has '%c', which an interface name "
			    "cannot hold", s, ch);
	}
	return 0;
}

/* -a, -g, -r of addm and attach: one of them into ip (exit status, 0 when taken). */
static int
ip_option(struct cli *c, int ch, const char *arg, struct jnet_ipconf *ip)
{
	int r = ch == 'a' ? jnet_ipconf_addr(ip, arg, &c->ctx.err) :
	    ch == 'g' ? jnet_ipconf_gateway(ip, arg, &c->ctx.err) :
	    jnet_ipconf_route(ip, arg, &c->ctx.err);

	return r < 0 ? cli_usage(c, "-%c: %s", ch, c->ctx.err.msg) : 0;
}

/* addm's operands, checked before anything is made, then the work. */
static int
addm_run(struct cli *c, struct cli_args *a, const struct jnet_addm_opts *o)
{
	struct jnet_addm_arg *args;
	int n, r;

	if (a->nops < 2)
		return cli_usage(c, "need a jail name and at least one interface");
	c->jail = a->ops[0];
	n = a->nops - 1;
	if (n > JNET_MAXLINKS)
		return cli_usage(c, "at most %d interfaces", JNET_MAXLINKS);
	if (jnet_jail_name_check(a->ops[0], &c->ctx.err) < 0 ||
	    jnet_ipconf_check(o->ip, n, &c->ctx.err) < 0)
		return cli_fail(c);
	args = calloc((size_t)n, sizeof(*args));
	if (args == NULL)
		return jnet_err_set(&c->ctx.err, ENOMEM, "", "out of memory"), cli_fail(c);
	for (int i = 0; i < n; i++)
		if (jnet_addm_arg_parse(a->ops[i + 1], &args[i], &c->ctx.err) < 0) {
			free(args);
			return cli_fail(c);
		}
	if ((r = cli_open(c)) != 0) {
		free(args);
		return r;
	}
	r = jnet_addm(&c->ctx, a->ops[0], args, n, o);
	free(args);
	return r < 0 ? cli_fail(c) : 0;
}

int
cmd_addm(struct cli *c, int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ 'b', 'b', NULL, true },
		{ 'J', 'J', NULL, true },
		{ 'M', 'M', NULL, true },
		{ 'a', 'a', NULL, true },
		{ 'g', 'g', NULL, true },
		{ 'r', 'r', NULL, true },
		{ 0, 0, NULL, false },
	};
	struct jnet_addm_opts o = { .bridge_suffix = "bridge" };
	struct jnet_ipconf ip = { 0 };
	struct cli_args a;
	int ch, r;

	cli_args_init(&a, argc, argv, opts);
	while ((ch = cli_opt_next(c, &a)) != CLI_OPT_END) {
		switch (ch) {
		case 'a':
		case 'g':
		case 'r':
			if ((r = ip_option(c, ch, a.arg, &ip)) != 0) {
				jnet_ipconf_free(&ip);
				return r;
			}
			break;
		case 'b':
			if ((r = suffix_check(c, a.arg)) != 0)
				return r;
			o.bridge_suffix = a.arg;
			break;
		case 'J':
			if (a.arg[0] == '\0')
				return cli_usage(c, "-J: empty jail");
			o.into = a.arg;
			break;
		case 'M': {
			char *end = a.arg;
			unsigned long v = a.arg[0] >= '0' && a.arg[0] <= '9' ?
			    strtoul(a.arg, &end, 10) : 0;

			if (v < 68 || v > 65535 || *end != '\0')
				return cli_usage(c, "-M: MTU must be a number from 68 to 65535");
			o.mtu = (unsigned)v;
			break;
		}
		default:
			jnet_ipconf_free(&ip);
			return 2;
		}
	}
	o.ip = &ip;
	r = addm_run(c, &a, &o);
	jnet_ipconf_free(&ip);
	return r;
}

/* NAME and up to maxargs - 1 more operands, no options. */
static int
name_only(struct cli *c, int argc, char **argv, int maxargs, struct cli_args *a)
{
	int r;

	if ((r = cli_no_options(c, argc, argv, a)) != 0)
		return r;
	if (a->nops < 1 || a->nops > maxargs)
		return cli_usage(c, "wrong number of arguments");
	c->jail = a->ops[0];
	return cli_open(c);
}

int
cmd_attach(struct cli *c, int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ 'a', 'a', NULL, true },
		{ 'g', 'g', NULL, true },
		{ 'r', 'r', NULL, true },
		{ 0, 0, NULL, false },
	};
	struct jnet_ipconf ip = { 0 };
	struct cli_args a;
	int ch, r = 0;

	cli_args_init(&a, argc, argv, opts);
	while (r == 0 && (ch = cli_opt_next(c, &a)) != CLI_OPT_END)
		r = ch == CLI_OPT_ERR ? 2 : ip_option(c, ch, a.arg, &ip);
	if (r == 0 && (a.nops < 1 || a.nops > 2))
		r = cli_usage(c, "wrong number of arguments");
	if (r == 0) {
		c->jail = a.ops[0];
		/* Before anything moves: each gateway on a subnet of an address (the indices
		 * are checked against the links found). */
		if (jnet_ipconf_check(&ip, JNET_MAXLINKS, &c->ctx.err) < 0)
			r = cli_fail(c);
		else if ((r = cli_open(c)) == 0 &&
		    jnet_attach_ip(&c->ctx, a.ops[0], a.nops > 1 ? a.ops[1] : NULL, &ip) < 0)
			r = cli_fail(c);
	}
	jnet_ipconf_free(&ip);
	return r;
}

int
cmd_detach(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	int r = name_only(c, argc, argv, 2, &a);

	if (r != 0)
		return r;
	return jnet_detach(&c->ctx, a.ops[0], a.nops > 1 ? a.ops[1] : NULL) < 0 ? cli_fail(c) : 0;
}

int
cmd_destroy(struct cli *c, int argc, char **argv)
{
	struct cli_args a;
	int r = name_only(c, argc, argv, 1, &a);

	if (r != 0)
		return r;
	return jnet_destroy(&c->ctx, a.ops[0]) < 0 ? cli_fail(c) : 0;
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
	char mac[JNET_MACSTRLEN] = "-";

	/* Only the jail end's own MAC: epair cannot always see it (the jail end is in a
	 * jail), and the host end's would be a wrong answer. */
	if (l->jail_mac_known)
		jnet_mac_format(l->jail_mac, mac);
	printf("%-20s %3d  %-15s %-15s %-15s %-5s %s%s\n", l->jail, l->index, l->host_if,
	    l->jail_if[0] ? l->jail_if : "-", l->bridge[0] ? l->bridge : "-",
	    jnet_where_name(l->where), mac, l->tagged ? "" : "  (untagged: crash leftover?)");
}

int
cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ 'l', 'l', NULL, false },
		{ 0, 0, NULL, false },
	};
	struct jnet_link_vec k = { NULL, 0, 0 };
	struct cli_args a;
	bool lng = false;
	int ch, r;

	cli_args_init(&a, argc, argv, opts);
	while ((ch = cli_opt_next(c, &a)) != CLI_OPT_END) {
		if (ch != 'l')
			return 2;
		lng = true;
	}
	if (a.nops > 1)
		return cli_usage(c, "at most one jail name");
	c->jail = a.nops == 1 ? a.ops[0] : NULL;
	if ((r = cli_open(c)) != 0)
		return r;
	r = jnet_links(&c->ctx, c->jail, jnet_link_vec_push, &k);
	if (r < 0) {
		free(k.v);
		return cli_fail(c);
	}
	/* qsort(NULL, 0, ...) is undefined: nothing to list leaves k.v NULL. */
	if (k.n > 1)
		qsort(k.v, k.n, sizeof(*k.v), by_jail_index);
	if (c->json) {
		json_t *j = json_array();

		for (size_t i = 0; i < k.n; i++)
			json_array_append_new(j, jnet_json_link(&k.v[i]));
		cli_json_print(j);
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
	static const struct cli_opt opts[] = {
		{ 'a', 0, "min-age", true },
		{ 0, 0, NULL, false },
	};
	struct cli_args a;
	int ch, r;

	cli_args_init(&a, argc, argv, opts);
	while ((ch = cli_opt_next(c, &a)) != CLI_OPT_END) {
		char *end = a.arg;
		long v;

		if (ch != 'a')
			return 2;
		errno = 0;
		v = a.arg[0] >= '0' && a.arg[0] <= '9' ? strtol(a.arg, &end, 10) : -1;
		if (v < 0 || v > INT_MAX || errno != 0 || *end != '\0')
			return cli_usage(c, "--min-age: '%s' is not a number of seconds (0 or more)",
			    a.arg);
		c->ctx.gc_min_age_s = (int)v;
	}
	if (a.nops != 0)
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
	enum jnet_name_style names;
	struct cli_args a;
	bool paired;
	long index = 0;
	char end = 'b';
	int r;

	if ((r = cli_no_options(c, argc, argv, &a)) != 0)
		return r;
	if (a.nops < 1 || a.nops > 3)
		return cli_usage(c, "wrong number of arguments");
	c->jail = a.ops[0];
	if (a.nops >= 2) {
		char *e = a.ops[1];

		index = a.ops[1][0] >= '0' && a.ops[1][0] <= '9' ? strtol(a.ops[1], &e, 10) : -1;
		if (*e != '\0' || index < 0 || index >= JNET_MAXLINKS)
			return cli_usage(c, "INDEX must be 0..%d", JNET_MAXLINKS - 1);
	}
	if (a.nops == 3) {
		if (strcmp(a.ops[2], "a") != 0 && strcmp(a.ops[2], "b") != 0)
			return cli_usage(c, "the end is a (host) or b (jail)");
		end = a.ops[2][0];
	}
	if (jnet_jail_name_check(a.ops[0], &c->ctx.err) < 0)
		return cli_fail(c);
	/*
	 * Naming needs no kernel: the backend's naming style, without opening it, and also
	 * for backends this system cannot run (c->backend: -t or JNET_BACKEND, resolved once
	 * by main.c).
	 */
	be = c->backend != NULL ? jnet_backend_find(c->backend) : jnet_backend_default();
	if (be != NULL) {
		names = be->names;
		paired = be->paired;
	} else if (c->backend != NULL && strcmp(c->backend, "netgraph") == 0) {
		names = JNET_NAMES_NG;
		paired = false;
	} else if (c->backend != NULL &&
	    (strcmp(c->backend, "epair") == 0 || strcmp(c->backend, "netns") == 0)) {
		names = JNET_NAMES_PAIR;
		paired = true;
	} else if (c->backend != NULL) {
		return cli_usage(c, "%s: unknown backend '%s' (try epair, netgraph or netns)",
		    c->backend_from, c->backend);
	} else {
		names = JNET_NAMES_PAIR;  /* a build without backends */
		paired = true;
	}
	r = jnet_ifname(out, names, a.ops[0], (int)index, paired ? end : 'a');
	if (r < 0)
		return cli_usage(c, "bad index or end");
	printf("%s\n", out);
	return 0;
}
