/* jnet lab up|down|status|exec|graph: lab networks from one file. */
#include "cli.h"
#include "lab_run.h"
#include "lab_vxlan.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct prog {
	bool tty;
	const char *lab;
	const char *verb;
	long long last_ms;
};

static long long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Progress on a terminal only, at most every 100 ms; quiet when not a TTY. */
static void
show_progress(void *arg, const char *stage, int done, int total)
{
	struct prog *p = arg;
	long long now;

	if (!p->tty)
		return;
	now = ms_now();
	if (done != total && now - p->last_ms < 100)
		return;
	p->last_ms = now;
	fprintf(stderr, "\r\033[Kjnet: lab %s %s: %s %d/%d", p->verb, p->lab, stage, done, total);
	if (done == total)
		fputc('\r', stderr);
}

static void
end_progress(struct prog *p)
{
	if (p->tty)
		fprintf(stderr, "\r\033[K");
}

/* Open the backend the lab asks for (or -t / $JNET_BACKEND, which must agree). */
static int
lab_open(struct cli *c, const struct jnet_lab *lab)
{
	if (lab->backend[0] && c->backend && strcmp(c->backend, lab->backend) != 0) {
		jnet_err_set(&c->ctx.err, EINVAL, lab->file,
		    "the lab asks for backend %s, %s for %s", lab->backend, c->backend_from,
		    c->backend);
		return cli_fail(c);
	}
	if (c->backend == NULL && lab->backend[0])
		c->backend = lab->backend;
	return cli_open(c);
}

/* host: --host; part: this host's part of a lab that spans hosts (lab_vxlan.h). */
static int
load(struct cli *c, const char *file, const char *host, bool part, struct jnet_lab **lab)
{
	if (jnet_lab_load(file, lab, &c->ctx.err) < 0 ||
	    (part && jnet_lab_for_host(lab, host, &c->ctx.err) < 0)) {
		jnet_lab_free(*lab);
		*lab = NULL;
		return cli_fail(c);
	}
	c->jail = (*lab)->name;
	return 0;
}

static bool
is_verb(const char *s)
{
	return strcmp(s, "up") == 0 || strcmp(s, "down") == 0 || strcmp(s, "status") == 0 ||
	    strcmp(s, "graph") == 0 || strcmp(s, "exec") == 0;
}

int
cmd_lab(struct cli *c, int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ 'n', 'n', NULL, true },
		{ 'H', 0, "host", true },
		{ 0, 0, NULL, false },
	};
	static char cmd[16];
	struct prog p = { isatty(STDERR_FILENO), "", "", 0 };
	struct jnet_lab *lab = NULL;
	const char *verb, *name = NULL, *host = NULL;
	struct cli_args ca;
	int ch, r = 0;

	/* Name the verb in messages as soon as it is known, also for option errors. */
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (argv[i][0] != '-' && (i == 1 || strcmp(argv[i - 1], "-n") != 0)) {
			if (is_verb(argv[i])) {
				snprintf(cmd, sizeof(cmd), "lab %s", argv[i]);
				c->cmd = cmd;
			}
			break;
		}
	cli_args_init(&ca, argc, argv, opts);
	while ((ch = cli_opt_next(c, &ca)) != CLI_OPT_END) {
		if (ch == 'H')
			host = ca.arg;
		else if (ch == 'n')
			name = ca.arg;
		else
			return 2;
	}
	if (ca.nops < 1)
		return cli_usage(c, "up, down, status, exec or graph?");
	argc = ca.nops;
	argv = ca.ops;
	verb = argv[0];
	p.verb = verb;
	if (!is_verb(verb))
		return cli_usage(c, "unknown lab command '%s'", verb);
	snprintf(cmd, sizeof(cmd), "lab %s", verb);
	c->cmd = cmd;
	if (name != NULL && strcmp(verb, "down") != 0)
		return cli_usage(c, "-n is for lab down only");
	if (ca.dashdash >= 0 && strcmp(verb, "exec") != 0)
		return cli_usage(c, "'--' is for lab exec only");
	if (name != NULL) {
		if (argc != 1)
			return cli_usage(c, "-n LAB or FILE, not both");
		if (name[0] == '\0')
			return cli_usage(c, "-n: empty lab name");
		c->jail = name;
		p.lab = name;
		if ((r = cli_open(c)) != 0)
			return r;
		r = jnet_lab_down(&c->ctx, name, NULL, show_progress, &p);
		end_progress(&p);
		return r < 0 ? cli_fail(c) : 0;
	}
	if (strcmp(verb, "exec") != 0) {
		if (argc != 2)
			return cli_usage(c, "%s", argc < 2 ? "no FILE" : "one FILE only");
		if ((r = load(c, argv[1], host, strcmp(verb, "graph") != 0, &lab)) != 0)
			return r;
		p.lab = lab->name;
		if (strcmp(verb, "graph") == 0) {
			r = jnet_lab_graph_dot(lab, stdout) < 0 ? 1 : 0;
			if (r)
				fprintf(stderr, "jnet: lab graph: write error\n");
			jnet_lab_free(lab);
			return r;
		}
		if ((r = lab_open(c, lab)) != 0) {
			jnet_lab_free(lab);
			return r;
		}
		if (strcmp(verb, "up") == 0) {
			r = jnet_lab_up_host(&c->ctx, lab, show_progress, &p) < 0 ? cli_fail(c) : 0;
		} else if (strcmp(verb, "down") == 0) {
			r = jnet_lab_down(&c->ctx, lab->name, lab, show_progress, &p) < 0 ? cli_fail(c) : 0;
		} else {
			json_t *st = NULL;
			bool complete = false;

			if (jnet_lab_status(&c->ctx, lab, &st, &complete) < 0 ||
			    jnet_lab_vxlan_status(&c->ctx, lab, st, &complete) < 0) {
				r = cli_fail(c);
			} else {
				if (c->json) {
					cli_json_print(st);
				} else {
					size_t i, k;
					json_t *b, *j, *f;

					printf("lab %s: %s\n", lab->name, complete ? "complete" : "incomplete");
					json_array_foreach(json_object_get(st, "bridges"), i, b)
						printf("  bridge %-12s %-15s %s\n",
						    json_string_value(json_object_get(b, "name")),
						    json_string_value(json_object_get(b, "ifname")),
						    json_is_true(json_object_get(b, "present")) ? "present" : "MISSING");
					json_array_foreach(json_object_get(st, "bridges"), i, b)
						if ((j = json_object_get(b, "vxlan")) != NULL) /* lab_vxlan.c */
							printf("  vxlan  %-12s %-15s %s vni %lld\n",
							    json_string_value(json_object_get(b, "name")),
							    json_string_value(json_object_get(j, "ifname")),
							    json_is_true(json_object_get(j, "present")) ? "present" : "MISSING",
							    (long long)json_integer_value(json_object_get(j, "vni")));
					json_array_foreach(json_object_get(st, "jails"), i, j) {
						printf("  jail   %-12s %-15s %s\n",
						    json_string_value(json_object_get(j, "name")),
						    json_string_value(json_object_get(j, "jail")),
						    json_is_true(json_object_get(j, "present")) ? "present" : "MISSING");
						json_array_foreach(json_object_get(j, "interfaces"), k, f) {
							json_t *a;
							size_t m;

							printf("    %-15s %s", json_string_value(json_object_get(f, "ifname")),
							    json_is_true(json_object_get(f, "present")) ?
							    (json_is_true(json_object_get(f, "up")) ? "up" : "DOWN") : "MISSING");
							json_array_foreach(json_object_get(f, "addresses"), m, a)
								printf(" %s", json_string_value(a));
							json_array_foreach(json_object_get(f, "missing_addresses"), m, a)
								printf(" %s(MISSING)", json_string_value(a));
							printf("\n");
						}
						json_array_foreach(json_object_get(j, "routes"), k, f)
							if (!json_is_true(json_object_get(f, "present")))
								printf("    route %s via %s MISSING\n",
								    json_string_value(json_object_get(f, "to")),
								    json_string_value(json_object_get(f, "via")));
					}
					json_decref(st);
				}
				r = complete ? 0 : 1;
			}
		}
		end_progress(&p);
		jnet_lab_free(lab);
		return r;
	}
	/* lab exec FILE JAIL -- CMD...: argv is exec FILE JAIL CMD... (NULL-terminated) */
	if (ca.dashdash != 3 || argc < 4)
		return cli_usage(c, "%s", ca.dashdash < 0 ? "no '--' before the command" :
		    ca.dashdash != 3 ? "FILE and JAIL come before '--'" : "no command after '--'");
	if ((r = load(c, argv[1], host, true, &lab)) != 0)
		return r;
	if ((r = lab_open(c, lab)) != 0) {
		jnet_lab_free(lab);
		return r;
	}
	fflush(NULL);
	/* On success this does not return: the command replaces jnet. */
	jnet_lab_exec(&c->ctx, lab, argv[2], &argv[3]);
	cli_fail(c);
	jnet_lab_free(lab);
	/* As env(1): 127 when the command is not found, 126 when it cannot run, 125 when jnet
	 * itself failed, so none is taken for the command's own status. */
	if (strcmp(c->ctx.err.object, argv[3]) == 0 && strncmp(c->ctx.err.msg, "exec", 4) == 0)
		return c->ctx.err.code == ENOENT ? 127 : 126;
	return 125;
}
