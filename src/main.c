/*
 * jnet: network plumbing for VNET jails and network namespaces.
 * The only layer that prints or exits: parse, call the core, print, exit
 * (0 success, 1 failure, 2 usage error).
 *
 * Settings are resolved here, once, and nowhere else (nothing below main.c reads the
 * environment). For each, the command-line option wins over the environment variable,
 * which wins over the default; an empty variable counts as unset:
 *
 *   backend        -t NAME          JNET_BACKEND       the OS default (netns / epair)
 *   hook dir       -H DIR           JNET_HOOKDIR       /etc
 *   hook timeout                    JNET_HOOK_TIMEOUT  30 s (1..86400)
 *   MAC mode       -m MODE          JNET_MAC_MODE      stable (JNET_MAC: its old name)
 *   MAC salt       --mac-salt SALT  JNET_MAC_SALT      the machine's identity
 *   lock dir                        JNET_RUNDIR        /run/jnet, /var/run/jnet
 *   lock wait                       JNET_LOCK_WAIT     120 s (1..86400)
 *   gc minimum age gc --min-age S                      600 s
 *
 * CNI plugin mode (docs/cni.md): when CNI_COMMAND is set, jnet is a CNI plugin run by a
 * container runtime; main.c reads CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME,
 * CNI_ARGS and CNI_PATH here and hands them to cni.c, with the settings above (from the
 * environment only: a runtime passes no arguments).
 *
 * A bad value (of an option or of a variable) is a usage error naming it (exit 2).
 */
#include "cli.h"
#include "cni.h"
#include "json.h"
#include "lock.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOOK_TIMEOUT_MAX_S 86400
#define SETTING_MAX 255            /* longest salt or run directory */

static const struct cli_cmd commands[] = {
	{ "addm", cmd_addm, "addm [-b SUFFIX] [-J JAIL] [-M MTU] NAME [!]IFACE[=MAC]...\n"
	  "addm ... [-a ADDR/LEN] [-g GW] [-r NET/LEN=GW] ...",
	  "create link i of NAME on IFACE's bridge (IFACE+SUFFIX for an uplink)" },
	{ "attach", cmd_attach, "attach NAME [JAIL]\nattach ... [-a ADDR/LEN] [-g GW] [-r NET/LEN=GW] ...",
	  "move NAME's jail ends into the jail (-a -g -r: their addresses, routes)" },
	{ "detach", cmd_detach, "detach NAME [JAIL]", "bring the jail ends of NAME back to the host" },
	{ "destroy", cmd_destroy, "destroy NAME", "remove every link of NAME" },
	{ "show", cmd_show, "show [-l] [NAME]", "list jails with links, or the links of NAME" },
	{ "gc", cmd_gc, "gc [--min-age SECONDS]",
	  "remove links whose jail is gone (unattached ones once older than 600 s)" },
	{ "check", cmd_check, "check [NAME]",
	  "report links and bridges that drifted from what jnet made (exit 1 if any)" },
	{ "repair", cmd_repair, "repair [NAME]",
	  "bring drifted links and bridges back: up, port of their bridge, MTU" },
	{ "name", cmd_name, "name NAME [INDEX] [a|b]", "print the name of an interface of NAME" },
	{ "bridge", cmd_bridge, "bridge add NAME [UPLINK]\nbridge del NAME\nbridge list",
	  "manage bridges" },
	{ "stats", cmd_stats, "stats NAME", "per-link bridge counters (netgraph)" },
	{ "graph", cmd_graph, "graph", "Graphviz dot of the topology jnet owns (netgraph)" },
	{ "lab", cmd_lab, "lab up|down|status [--host HOST] FILE\nlab graph FILE\n"
	  "lab down -n LAB\nlab exec [--host HOST] FILE JAIL -- CMD...", "lab networks from one file" },
	{ "help", NULL, "help [COMMAND]", "show help" },
	{ "version", NULL, "version", "print the version" },
	{ NULL, NULL, NULL, NULL },
};

static const char global_usage[] =
    "usage: jnet [-j] [-t epair|netgraph|netns] [-H HOOKDIR] [-m stable|jib|random]\n"
    "            [--mac-salt SALT] COMMAND [ARGS]\n"
    "       jnet [-j] [-t ...] [-H ...] [-m ...] [--mac-salt ...] [-e] -f FILE|-\n";

const struct cli_cmd *
cli_commands(void)
{
	return commands;
}

const struct cli_cmd *
cli_find_cmd(const char *name)
{
	for (const struct cli_cmd *k = commands; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

/* Each usage line of k, the first after `first`, the others after `more`. */
static void
print_usage_lines(FILE *f, const struct cli_cmd *k, const char *first, const char *more)
{
	const char *s = k->usage;

	while (*s) {
		size_t n = strcspn(s, "\n");

		fprintf(f, "%s%.*s\n", s == k->usage ? first : more, (int)n, s);
		s += n;
		if (*s == '\n')
			s++;
	}
}

static void
usage(FILE *f)
{
	fprintf(f, "%s\ncommands:\n", global_usage);
	for (const struct cli_cmd *c = commands; c->name; c++) {
		print_usage_lines(f, c, "  ", "  ");
		fprintf(f, "      %s\n", c->desc);
	}
	fprintf(f, "\nbackends in this build:");
	for (const struct jnet_backend_ops *const *b = jnet_backends(); *b; b++)
		fprintf(f, " %s%s", (*b)->name, *b == jnet_backend_default() ? " (default)" : "");
	fprintf(f, "\n\nenvironment (an option wins over its variable; empty means unset):\n"
	    "  JNET_BACKEND       backend, as -t\n"
	    "  JNET_HOOKDIR       start_if/stop_if directory, as -H (default /etc)\n"
	    "  JNET_HOOK_TIMEOUT  seconds a hook may run, 1 to %d (default %d)\n"
	    "  JNET_MAC_MODE      MAC mode, as -m (default stable)\n"
	    "  JNET_MAC_SALT      salt of stable MACs, as --mac-salt (default: machine id)\n"
	    "  JNET_RUNDIR        directory of the lock files (default %s)\n"
	    "  JNET_LOCK_WAIT     seconds to wait for a command on the same jail (120)\n"
	    "\n-f FILE: the commands of FILE (-: standard input), one a line, in one process;\n"
	    "-e: stop at the first failing line. See BATCH MODE in jnet(8).\n"
	    "\nexit status: 0 success, 1 failure, 2 usage error; see jnet(8)\n",
	    HOOK_TIMEOUT_MAX_S, JNET_HOOK_TIMEOUT_MS_DEFAULT / 1000, JNET_RUNDIR_DEFAULT);
}

/* The start of every message: "jnet: ", or in a batch "FILE:LINE: ". */
static void
msg_start(const struct cli *c)
{
	fprintf(stderr, "%s: ", c->where != NULL ? c->where : "jnet");
}

/* A name from the command line or the kernel, printed on one line: control bytes as '?'. */
static void
put_name(const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, stderr);
}

int
cli_fail(struct cli *c)
{
	const struct jnet_err *e = &c->ctx.err;
	const char *msg = e->msg[0] ? e->msg : strerror(e->code ? e->code : EIO);

	/* For batch -j; a long message is cut there only, not on stderr. */
	if (snprintf(c->why, sizeof(c->why), "%s%s%s", e->object, e->object[0] ? ": " : "",
	    msg) >= (int)sizeof(c->why))
		c->why[sizeof(c->why) - 1] = '\0';
	msg_start(c);
	fprintf(stderr, "%s", c->cmd);
	if (c->jail) {
		fputc(' ', stderr);
		put_name(c->jail);
	}
	fputs(": ", stderr);
	if (e->object[0]) {
		put_name(e->object);
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s\n", msg);
	return 1;
}

/* "jnet: <cmd>: <reason>", then the command's usage lines (or, with global or no command,
 * main's usage line). Returns 2. */
static int JNET_PRINTF(3, 0)
vusage(struct cli *c, bool global, const char *fmt, va_list ap)
{
	const struct cli_cmd *k = NULL;

	if (c->cmd != NULL) {
		size_t n = strcspn(c->cmd, " ");  /* "bridge add": the usage of bridge */

		for (k = commands; k->name; k++)
			if (strlen(k->name) == n && strncmp(c->cmd, k->name, n) == 0)
				break;
		if (k->name == NULL || global)
			k = NULL;
	}
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	msg_start(c);
	if (c->cmd != NULL)
		fprintf(stderr, "%s: ", c->cmd);
	fprintf(stderr, "%s\n", c->why);
	if (k != NULL)
		print_usage_lines(stderr, k, "usage: jnet ", "       jnet ");
	else if (c->cmd == NULL || strcmp(c->cmd, "cni") != 0) /* (CNI mode: the line alone) */
		fputs(global_usage, stderr);
	return 2;
}

int
cli_usage(struct cli *c, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vusage(c, false, fmt, ap);
	va_end(ap);
	return r;
}

/* A usage error about main's options or the environment. */
static int JNET_PRINTF(2, 3)
global_usage_error(struct cli *c, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vusage(c, true, fmt, ap);
	va_end(ap);
	return r;
}

/* ----------------------------------------------------------------- settings */

/* Raw values of main's options; NULL when not given. */
struct cli_settings {
	const char *backend;
	const char *hookdir;
	const char *mac;
	const char *salt;
};

/* $name, or NULL when unset or empty. */
static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* $name as a number of seconds from 1 to HOOK_TIMEOUT_MAX_S, in ms into *ms (unset: kept). */
static int
env_seconds(struct cli *c, const char *name, int *ms)
{
	const char *v = env(name);
	char *end = (char *)v;
	long s;

	if (v == NULL)
		return 0;
	errno = 0;
	s = v[0] >= '0' && v[0] <= '9' ? strtol(v, &end, 10) : -1;
	if (s < 1 || s > HOOK_TIMEOUT_MAX_S || errno != 0 || *end != '\0')
		return global_usage_error(c, "%s: '%s' is not a number of seconds "
		    "from 1 to %d", name, v, HOOK_TIMEOUT_MAX_S);
	*ms = (int)s * 1000;
	return 0;
}

/* Backend: its name only; cli_open looks it up (the command's options first). */
static int
resolve_backend(struct cli *c, const struct cli_settings *o)
{
	const char *v;

	if (o->backend != NULL) {
		if (o->backend[0] == '\0')
			return global_usage_error(c, "-t: empty backend name");
		c->backend = o->backend;
		c->backend_from = "-t";
	} else if ((v = env("JNET_BACKEND")) != NULL) {
		c->backend = v;
		c->backend_from = "JNET_BACKEND";
	}
	/* A name no build knows is a usage error; a known one this system cannot run is a
	 * failure ("not supported on this platform"), when a command opens it. */
	if (c->backend != NULL && jnet_backend_find(c->backend) == NULL &&
	    jnet_backend_unsupported(c->backend) == NULL)
		return global_usage_error(c, "%s: unknown backend '%s' (try epair, netgraph or netns)",
		    c->backend_from, c->backend);
	return 0;
}

/* The MAC mode, and the salt ("" leaves it to the core: the machine's identity, when
 * needed). */
static int
resolve_mac(struct cli *c, const struct cli_settings *o)
{
	const char *v;

	c->ctx.mac_mode = JNET_MAC_STABLE;
	if (o->mac != NULL) {
		if (jnet_mac_mode_parse(o->mac, &c->ctx.mac_mode) < 0)
			return global_usage_error(c, "-m: '%s' is not stable, jib or random", o->mac);
	} else if ((v = env("JNET_MAC_MODE")) != NULL) {
		if (jnet_mac_mode_parse(v, &c->ctx.mac_mode) < 0)
			return global_usage_error(c, "JNET_MAC_MODE: '%s' is not stable, jib or random",
			    v);
	} else if ((v = env("JNET_MAC")) != NULL &&
	    jnet_mac_mode_parse(v, &c->ctx.mac_mode) < 0) {
		/* The old name of JNET_MAC_MODE. A hook's JNET_MAC is its interface's MAC
		 * address: a jnet run by a hook does not take that for a mode. */
		uint8_t mac[6];

		if (jnet_mac_parse(v, mac, NULL) < 0)
			return global_usage_error(c, "JNET_MAC_MODE (JNET_MAC): '%s' is not stable, "
			    "jib or random", v);
	}
	c->ctx.salt[0] = '\0';
	if (o->salt != NULL) {
		if (o->salt[0] == '\0')
			return global_usage_error(c, "--mac-salt: empty salt");
		if (strlen(o->salt) > SETTING_MAX)
			return global_usage_error(c, "--mac-salt: longer than %d characters", SETTING_MAX);
		jnet_strlcpy(c->ctx.salt, o->salt, sizeof(c->ctx.salt));
	} else if ((v = env("JNET_MAC_SALT")) != NULL) {
		if (strlen(v) > SETTING_MAX)
			return global_usage_error(c, "JNET_MAC_SALT: longer than %d characters", SETTING_MAX);
		jnet_strlcpy(c->ctx.salt, v, sizeof(c->ctx.salt));
	}
	return 0;
}

/* Settings from the environment only: the lock directory and wait, the tags' birth time. */
static int
resolve_env(struct cli *c)
{
	const char *v;
	int r;

	c->ctx.rundir = NULL;
	if ((v = env("JNET_RUNDIR")) != NULL) {
		if (v[0] != '/')
			return global_usage_error(c, "JNET_RUNDIR: '%s' is not an absolute path", v);
		if (strlen(v) > SETTING_MAX)
			return global_usage_error(c, "JNET_RUNDIR: longer than %d characters", SETTING_MAX);
		c->ctx.rundir = v;
	}
	c->ctx.lock_wait_ms = 0;
	if ((r = env_seconds(c, "JNET_LOCK_WAIT", &c->ctx.lock_wait_ms)) != 0)
		return r;
	c->ctx.gc_min_age_s = -1;     /* gc --min-age */

	/* Tags' birth time (t=): SOURCE_DATE_EPOCH pins it, the reproducible-builds
	 * convention (the tests compare whole kernel states of two runs). */
	c->ctx.now = 0;
	if ((v = env("SOURCE_DATE_EPOCH")) != NULL) {
		char *end = (char *)v;
		long long t;

		errno = 0;
		t = v[0] >= '0' && v[0] <= '9' ? strtoll(v, &end, 10) : -1;
		if (t < 0 || errno != 0 || *end != '\0')
			return global_usage_error(c, "SOURCE_DATE_EPOCH: '%s' is not a number of seconds", v);
		c->ctx.now = t;
	}
	return 0;
}

/* The one resolver: option > environment > default, into c and c->ctx. */
static int
resolve_settings(struct cli *c, const struct cli_settings *o)
{
	const char *v;
	int r;

	if ((r = resolve_backend(c, o)) != 0)
		return r;
	if (o->hookdir != NULL) {
		if (o->hookdir[0] == '\0')
			return global_usage_error(c, "-H: empty hook directory");
		c->ctx.hookdir = o->hookdir;
	} else {
		c->ctx.hookdir = (v = env("JNET_HOOKDIR")) != NULL ? v : JNET_HOOKDIR_DEFAULT;
	}
	c->ctx.hook_timeout_ms = JNET_HOOK_TIMEOUT_MS_DEFAULT;
	if ((r = env_seconds(c, "JNET_HOOK_TIMEOUT", &c->ctx.hook_timeout_ms)) != 0)
		return r;
	if ((r = resolve_mac(c, o)) != 0)
		return r;
	return resolve_env(c);
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

static void **json_slot;

void
cli_json_capture(void **slot)
{
	json_slot = slot;
}

void
cli_json_print(void *json)
{
	json_t *j = json;

	if (json_slot != NULL) {
		json_decref(*json_slot);
		*json_slot = j;
		return;
	}
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
}

static void
print_warning(struct jnet_ctx *ctx, const struct jnet_err *w)
{
	struct cli *c = ctx->user;

	msg_start(c);
	fprintf(stderr, "%s%s%s: warning: ", c->cmd, c->jail ? " " : "",
	    c->jail ? c->jail : "");
	if (w->object[0])
		fprintf(stderr, "%s: ", w->object);
	fprintf(stderr, "%s\n", w->msg);
}

static int
help(struct cli *c, int argc, char **argv)
{
	const struct cli_cmd *k;

	if (argc > 2)
		return cli_usage(c, "at most one command");
	if (argc == 1) {
		usage(stdout);
		return 0;
	}
	if ((k = cli_find_cmd(argv[1])) == NULL)
		return cli_usage(c, "unknown command '%s'", argv[1]);
	print_usage_lines(stdout, k, "usage: jnet ", "       jnet ");
	printf("  %s\n", k->desc);
	return 0;
}

/* jnet [options] -f FILE: no command word; the commands come from FILE. */
static int
main_batch(struct cli *c, const struct cli_settings *set, const char *file, bool stop,
    int argc, char **argv)
{
	int r;

	if (file == NULL)
		return global_usage_error(c, "-e: only with -f FILE");
	if (file[0] == '\0')
		return global_usage_error(c, "-f: empty file name");
	if (argc > 0)
		return global_usage_error(c, "-f: no command after it ('%s'): the commands come "
		    "from the file, one a line", argv[0]);
	if ((r = resolve_settings(c, set)) != 0)
		return r;
	r = cli_batch(c, file, stop);
	if (c->opened)
		jnet_ctx_close(&c->ctx);
	return r;
}

/* CNI plugin mode: everything from the environment, the answer as JSON on stdout. */
static int
cni_mode(struct cli *c)
{
	struct cli_settings none = { NULL, NULL, NULL, NULL };
	struct jnet_cni_env e = {
		env("CNI_COMMAND"), env("CNI_CONTAINERID"), env("CNI_NETNS"), env("CNI_IFNAME"),
		env("CNI_ARGS"), env("CNI_PATH"),
	};

	c->cmd = "cni";
	if (resolve_settings(c, &none) != 0)
		return jnet_cni_print_error(stdout, CNI_ERR_ENV,
		    "invalid jnet setting in the environment (the message is on stderr)");
	return jnet_cni_main(&c->ctx, c->backend, &e, stdin, stdout);
}

/* main's own options (before the command word). */
struct main_opts {
	struct cli_settings set;
	const char *batch;          /* -f FILE */
	bool stop;                  /* -e */
};

/* Parse main's options into m (a->i: the command word): -1, or the exit status (-h, -V,
 * a usage error). */
static int
main_options(struct cli *c, struct cli_args *a, int argc, char **argv, struct main_opts *m)
{
	enum { O_MAC_SALT = 1000, O_STOP };
	static const struct cli_opt opts[] = {
		{ 't', 't', "backend", true },
		{ 'H', 'H', "hookdir", true },
		{ 'm', 'm', "mac", true },
		{ O_MAC_SALT, 0, "mac-salt", true },
		{ 'j', 'j', "json", false },
		{ 'f', 'f', "file", true },
		{ O_STOP, 'e', "stop-on-error", false },
		{ 'h', 'h', "help", false },
		{ 'V', 'V', "version", false },
		{ 0, 0, NULL, false },
	};
	int ch;

	cli_args_init(a, argc, argv, opts);
	a->stop_at_operand = true;
	while ((ch = cli_opt_next(c, a)) != CLI_OPT_END) {
		switch (ch) {
		case 't':
			m->set.backend = a->arg;
			break;
		case 'H':
			m->set.hookdir = a->arg;
			break;
		case 'm':
			m->set.mac = a->arg;
			break;
		case O_MAC_SALT:
			m->set.salt = a->arg;
			break;
		case 'j':
			c->json = true;
			break;
		case 'f':
			m->batch = a->arg;
			break;
		case O_STOP:
			m->stop = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("jnet %s\n", JNET_VERSION);
			return 0;
		default:
			return 2;
		}
	}
	return -1;
}

int
main(int argc, char **argv)
{
	struct main_opts m = { { NULL, NULL, NULL, NULL }, NULL, false };
	const struct cli_cmd *k;
	struct cli_args a;
	struct cli c;
	int r;

	memset(&c, 0, sizeof(c));
	c.ctx.user = &c;
	c.ctx.warn = print_warning;
	if (getenv("CNI_COMMAND") != NULL)
		return cni_mode(&c);
	if (argc < 1)
		return cli_usage(&c, "no command");
	if ((r = main_options(&c, &a, argc, argv, &m)) >= 0)
		return r;
	argc -= a.i;
	argv += a.i;
	if (m.batch != NULL || m.stop)
		return main_batch(&c, &m.set, m.batch, m.stop, argc, argv);
	if (argc < 1)
		return cli_usage(&c, "no command (try jnet help)");
	if ((k = cli_find_cmd(argv[0])) == NULL) {
		c.cmd = argv[0];
		return global_usage_error(&c, "unknown command (try jnet help)");
	}
	c.cmd = k->name;
	if (strcmp(k->name, "version") == 0) {
		if (argc > 1)
			return cli_usage(&c, "no arguments");
		printf("jnet %s\n", JNET_VERSION);
		return 0;
	}
	if (strcmp(k->name, "help") == 0)
		return help(&c, argc, argv);
	if ((r = resolve_settings(&c, &m.set)) != 0)
		return r;
	/* Commands parse their own options, then open the backend (cli_open). */
	r = k->fn(&c, argc, argv);
	if (c.opened)
		jnet_ctx_close(&c.ctx);
	return r;
}
