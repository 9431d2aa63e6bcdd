/* jnet lab up|down|status|exec|graph: lab networks from one file. */
#include "cli.h"
#include "lab_run.h"

#include <errno.h>
#include <getopt.h>
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
	const char *chosen = c->backend;

	if (chosen == NULL && getenv("JNET_BACKEND") && getenv("JNET_BACKEND")[0])
		chosen = getenv("JNET_BACKEND");
	if (lab->backend[0] && chosen && strcmp(chosen, lab->backend) != 0) {
		jnet_err_set(&c->ctx.err, EINVAL, lab->file,
		    "the lab asks for backend %s, the command line for %s", lab->backend, chosen);
		return cli_fail(c);
	}
	if (chosen == NULL && lab->backend[0])
		c->backend = lab->backend;
	return cli_open(c);
}

static int
load(struct cli *c, const char *file, struct jnet_lab **lab)
{
	if (jnet_lab_load(file, lab, &c->ctx.err) < 0)
		return cli_fail(c);
	c->jail = (*lab)->name;
	return 0;
}

int
cmd_lab(struct cli *c, int argc, char **argv)
{
	struct prog p = { isatty(STDERR_FILENO), "", "", 0 };
	struct jnet_lab *lab = NULL;
	const char *verb;
	int r = 0;

	if (argc < 2)
		return cli_usage(c, "lab up|down|status|exec|graph FILE");
	verb = argv[1];
	p.verb = verb;
	if (strcmp(verb, "down") == 0 && argc == 4 && strcmp(argv[2], "-n") == 0) {
		c->cmd = "lab down";
		c->jail = argv[3];
		p.lab = argv[3];
		if ((r = cli_open(c)) != 0)
			return r;
		r = jnet_lab_down(&c->ctx, argv[3], NULL, show_progress, &p);
		end_progress(&p);
		return r < 0 ? cli_fail(c) : 0;
	}
	if (strcmp(verb, "up") == 0 || strcmp(verb, "down") == 0 ||
	    strcmp(verb, "status") == 0 || strcmp(verb, "graph") == 0) {
		static char cmd[16];

		snprintf(cmd, sizeof(cmd), "lab %s", verb);
		c->cmd = cmd;
		if (argc != 3)
			return cli_usage(c, "lab %s FILE%s", verb,
			    strcmp(verb, "down") == 0 ? " | lab down -n LAB" : "");
		if ((r = load(c, argv[2], &lab)) != 0)
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
			r = jnet_lab_up(&c->ctx, lab, show_progress, &p) < 0 ? cli_fail(c) : 0;
		} else if (strcmp(verb, "down") == 0) {
			r = jnet_lab_down(&c->ctx, lab->name, lab, show_progress, &p) < 0 ? cli_fail(c) : 0;
		} else {
			json_t *st = NULL;
			bool complete = false;

			if (jnet_lab_status(&c->ctx, lab, &st, &complete) < 0) {
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
	if (strcmp(verb, "exec") == 0) {
		c->cmd = "lab exec";
		/* lab exec FILE JAIL -- CMD... */
		if (argc < 6 || strcmp(argv[4], "--") != 0)
			return cli_usage(c, "lab exec FILE JAIL -- CMD...");
		if ((r = load(c, argv[2], &lab)) != 0)
			return r;
		if ((r = lab_open(c, lab)) != 0) {
			jnet_lab_free(lab);
			return r;
		}
		fflush(NULL);
		/* On success this does not return: the command replaces jnet. */
		jnet_lab_exec(&c->ctx, lab, argv[3], &argv[5]);
		cli_fail(c);
		jnet_lab_free(lab);
		/* As env(1): 127 when the command is not found, 126 when it cannot run, 125
		 * when jnet itself failed, so none is taken for the command's own status. */
		if (strcmp(c->ctx.err.object, argv[5]) == 0 && strncmp(c->ctx.err.msg, "exec", 4) == 0)
			return c->ctx.err.code == ENOENT ? 127 : 126;
		return 125;
	}
	return cli_usage(c, "unknown lab command '%s'", verb);
}
