/*
 * jnet: network plumbing for VNET jails and network namespaces.
 * The only layer that prints or exits: parse, call the core, print, exit
 * (0 success, 1 failure, 2 usage error).
 */
#include "cli.h"
#include "json.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cli_cmd commands[] = {
	{ "addm", cmd_addm, "addm [-b SUFFIX] [-J JAIL] [-M MTU] NAME [!]IFACE[=MAC]...",
	  "create link i of jail NAME on IFACE's bridge (IFACE+SUFFIX for an uplink)", true },
	{ "attach", cmd_attach, "attach NAME [JAIL]", "move the jail ends of NAME into the jail", true },
	{ "detach", cmd_detach, "detach NAME [JAIL]", "bring the jail ends of NAME back to the host", true },
	{ "destroy", cmd_destroy, "destroy NAME", "remove every link of NAME", true },
	{ "show", cmd_show, "show [-l] [NAME]", "list jails with links, or the links of NAME", true },
	{ "gc", cmd_gc, "gc", "remove links whose jail no longer exists", true },
	{ "name", cmd_name, "name NAME [INDEX] [a|b]", "print the name of an interface of NAME", false },
	{ "bridge", cmd_bridge, "bridge add NAME [UPLINK] | bridge del NAME | bridge list",
	  "manage bridges", true },
	{ "stats", cmd_stats, "stats NAME", "per-link bridge counters (netgraph)", true },
	{ "graph", cmd_graph, "graph", "Graphviz dot of the topology jnet owns (netgraph)", true },
	{ "lab", cmd_lab, "lab up|down|status|exec|graph FILE ...", "lab networks from one file", false },
	{ "help", NULL, "help [COMMAND]", "show help", false },
	{ "version", NULL, "version", "print the version", false },
	{ NULL, NULL, NULL, NULL, false },
};

const struct cli_cmd *
cli_commands(void)
{
	return commands;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: jnet [-t epair|netgraph|netns] [-H hookdir] [-m stable|jib|random]\n"
	    "            [--mac-salt SALT] [-j] COMMAND [ARGS]\n\ncommands:\n");
	for (const struct cli_cmd *c = commands; c->name; c++)
		fprintf(f, "  %-58s %s\n", c->usage, c->desc);
	fprintf(f, "\nbackends in this build:");
	for (const struct jnet_backend_ops *const *b = jnet_backends(); *b; b++)
		fprintf(f, " %s%s", (*b)->name, *b == jnet_backend_default() ? " (default)" : "");
	fprintf(f, "\nenvironment: JNET_BACKEND, JNET_HOOKDIR, JNET_HOOK_TIMEOUT (s), JNET_MAC_SALT\n"
	    "see jnet(8)\n");
}

int
cli_fail(struct cli *c)
{
	const struct jnet_err *e = &c->ctx.err;
	const char *msg = e->msg[0] ? e->msg : strerror(e->code ? e->code : EIO);

	fprintf(stderr, "jnet: %s%s%s: ", c->cmd, c->jail ? " " : "", c->jail ? c->jail : "");
	if (e->object[0])
		fprintf(stderr, "%s: ", e->object);
	fprintf(stderr, "%s\n", msg);
	return 1;
}

int
cli_usage(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "jnet: %s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	for (const struct cli_cmd *k = commands; k->name; k++)
		if (strncmp(c->cmd, k->name, strlen(k->name)) == 0)
			fprintf(stderr, "usage: jnet %s\n", k->usage);
	return 2;
}

int
cli_open(struct cli *c)
{
	if (c->opened)
		return 0;
	if (jnet_ctx_open(&c->ctx, c->backend) < 0)
		return cli_fail(c);
	c->opened = true;
	return 0;
}

void
cli_json_print(void *json)
{
	json_t *j = json;

	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
}

static void
print_warning(struct jnet_ctx *ctx, const struct jnet_err *w)
{
	struct cli *c = ctx->user;

	fprintf(stderr, "jnet: %s%s%s: warning: ", c->cmd, c->jail ? " " : "",
	    c->jail ? c->jail : "");
	if (w->object[0])
		fprintf(stderr, "%s: ", w->object);
	fprintf(stderr, "%s\n", w->msg);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "backend", required_argument, NULL, 't' },
		{ "hookdir", required_argument, NULL, 'H' },
		{ "mac", required_argument, NULL, 'm' },
		{ "mac-salt", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c;
	const char *env;
	int ch, r;

	memset(&c, 0, sizeof(c));
	c.ctx.gc_min_age_s = -1;
	/* Reproducible tags (t=): the reproducible-builds convention, used by the tests. */
	if ((env = getenv("SOURCE_DATE_EPOCH")) != NULL && env[0])
		c.ctx.now = strtoll(env, NULL, 10);
	c.cmd = "jnet";
	c.ctx.user = &c;
	c.ctx.warn = print_warning;
	if ((env = getenv("JNET_MAC")) != NULL && env[0] &&
	    jnet_mac_mode_parse(env, &c.ctx.mac_mode) < 0) {
		fprintf(stderr, "jnet: JNET_MAC: '%s' is not stable, jib or random\n", env);
		return 2;
	}
	while ((ch = getopt_long(argc, argv, "+t:H:m:jhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			c.backend = optarg;
			break;
		case 'H':
			c.ctx.hookdir = optarg;
			break;
		case 'm':
			if (jnet_mac_mode_parse(optarg, &c.ctx.mac_mode) < 0) {
				fprintf(stderr, "jnet: -m: '%s' is not stable, jib or random\n", optarg);
				return 2;
			}
			break;
		case 'S':
			if (optarg[0] == '\0') {
				fprintf(stderr, "jnet: --mac-salt: empty salt\n");
				return 2;
			}
			jnet_strlcpy(c.ctx.salt, optarg, sizeof(c.ctx.salt));
			break;
		case 'j':
			c.json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("jnet %s\n", JNET_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "version") == 0) {
		printf("jnet %s\n", JNET_VERSION);
		return 0;
	}
	if (strcmp(argv[0], "help") == 0) {
		if (argc > 1) {
			for (const struct cli_cmd *k = commands; k->name; k++)
				if (strcmp(k->name, argv[1]) == 0) {
					printf("usage: jnet %s\n  %s\n", k->usage, k->desc);
					return 0;
				}
			fprintf(stderr, "jnet: help: unknown command '%s'\n", argv[1]);
			return 2;
		}
		usage(stdout);
		return 0;
	}
	for (const struct cli_cmd *k = commands; k->name; k++) {
		if (k->fn == NULL || strcmp(k->name, argv[0]) != 0)
			continue;
		c.cmd = k->name;
		/* Commands parse their own options, then open the backend (cli_open). */
#ifdef __GLIBC__
		optind = 0;
#else
		optreset = 1;
		optind = 1;
#endif
		r = k->fn(&c, argc, argv);
		if (c.opened)
			jnet_ctx_close(&c.ctx);
		return r;
	}
	fprintf(stderr, "jnet: unknown command '%s' (try jnet help)\n", argv[0]);
	return 2;
}
