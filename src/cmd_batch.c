/*
 * Batch mode: `jnet -f FILE` (FILE "-": standard input) runs one jnet command per line in
 * one process, like `ip -batch`: the backend is opened once and shared by every line; each
 * line is its own command (its own lock, its own transaction: a failing line undoes only
 * itself), reports its own status, and the exit status is the worst of the lines'.
 *
 * A line: words separated by blanks (spaces, tabs; a CR before the newline is a blank
 * too). A word that starts with '#' starts a comment to the end of the line; empty lines
 * are skipped. There is no quoting: no name jnet takes (jails, interfaces, bridges, MACs)
 * can hold a blank, so none is needed, and a quote or a backslash is refused (it would
 * otherwise end up inside a name).
 */
#include "cli.h"
#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_BLANKS " \t\r"

/* The commands a batch may run: each is one command on one jail or bridge (or a read). */
static const char *const batch_verbs[] = {
	"addm", "attach", "detach", "destroy", "bridge", "show", "gc", "check", "repair", "stats",
	NULL,
};

struct batch_line {
	char *buf;                      /* the line, cut into words in place */
	size_t cap;
	char **argv;                    /* the words, NULL-terminated */
	int argc, argcap;
};

/* Cut buf into words. Returns 0, or -1 with a message in why (a usage error). */
static int
split(struct batch_line *l, char *why, size_t whylen)
{
	char *p = l->buf;

	l->argc = 0;
	for (;;) {
		char *w;

		p += strspn(p, BATCH_BLANKS "\n");
		if (*p == '\0' || *p == '#')
			break;
		w = p;
		p += strcspn(p, BATCH_BLANKS "\n");
		if (*p != '\0')
			*p++ = '\0';
		if (strpbrk(w, "\"'\\") != NULL) {
			snprintf(why, whylen, "'%s': quotes and backslashes are "
			    "refused in a batch (no quoting: names cannot hold blanks)", w);
			return -1;
		}
		if (l->argc + 2 > l->argcap) {
			int n = l->argcap ? l->argcap * 2 : 16;
			char **v = realloc(l->argv, (size_t)n * sizeof(*v));

			if (v == NULL) {
				snprintf(why, whylen, "out of memory");
				return -1;
			}
			l->argv = v;
			l->argcap = n;
		}
		l->argv[l->argc++] = w;
	}
	if (l->argv != NULL)
		l->argv[l->argc] = NULL;
	return 0;
}

/* Is argv[0] a command a batch runs? Returns it, or NULL with a message in why. */
static const struct cli_cmd *
batch_verb(const char *w, char *why, size_t whylen)
{
	const struct cli_cmd *k;

	if (strcmp(w, "-f") == 0 || strcmp(w, "--file") == 0 || strncmp(w, "--file=", 7) == 0) {
		snprintf(why, whylen, "nested -f is refused: a batch line is one command");
		return NULL;
	}
	if (w[0] == '-') {
		snprintf(why, whylen, "'%s': options before the command are refused in a batch: "
		    "give jnet's options (-t, -j, -H, -m, --mac-salt) on its command line, "
		    "they apply to every line", w);
		return NULL;
	}
	if (strcmp(w, "lab") == 0) {
		snprintf(why, whylen, "lab is refused in a batch: a lab is many jails in one "
		    "transaction of its own; run `jnet lab` by itself");
		return NULL;
	}
	if ((k = cli_find_cmd(w)) == NULL) {
		snprintf(why, whylen, "unknown command '%s'%s", w, strcmp(w, "jnet") == 0 ?
		    " (a line holds what follows `jnet` and its options: addm web em0)" : "");
		return NULL;
	}
	for (const char *const *v = batch_verbs; *v; v++)
		if (strcmp(*v, w) == 0)
			return k;
	snprintf(why, whylen, "%s is refused in a batch (batch commands: addm, attach, detach, "
	    "destroy, bridge, show, gc, check, repair, stats)", w);
	return NULL;
}

/* -j: one JSON object per line of output (JSON Lines) for each command line. */
static void
json_status(const struct cli *c, long lineno, const char *cmd, int status, json_t *out)
{
	json_t *o = json_object();

	json_object_set_new(o, "line", json_integer(lineno));
	json_object_set_new(o, "command", cmd ? json_string(cmd) : json_null());
	json_object_set_new(o, "jail", c->jail ? json_string(c->jail) : json_null());
	json_object_set_new(o, "status", json_integer(status));
	if (status != 0)
		json_object_set_new(o, "error", json_string(c->why));
	if (out != NULL)
		json_object_set(o, "output", out);
	json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
	json_decref(o);
}

/* Run one line that split into words. Returns its status (0, 1, 2). */
static int
run_line(struct cli *c, const struct jnet_ctx *settings, struct batch_line *l, long lineno)
{
	const struct cli_cmd *k;
	void *out = NULL;
	int r;

	jnet_ctx_reset(&c->ctx, settings);
	c->cmd = NULL;
	c->jail = NULL;
	c->why[0] = '\0';
	if ((k = batch_verb(l->argv[0], c->why, sizeof(c->why))) == NULL) {
		fprintf(stderr, "%s: %s\n", c->where, c->why);
		r = 2;
	} else {
		c->cmd = k->name;
		if (c->json)
			cli_json_capture(&out);
		r = k->fn(c, l->argc, l->argv);
		cli_json_capture(NULL);
	}
	if (c->json)
		json_status(c, lineno, c->cmd ? c->cmd : l->argv[0], r, out);
	json_decref(out);
	return r;
}

int
cli_batch(struct cli *c, const char *file, bool stop)
{
	struct batch_line l = { NULL, 0, NULL, 0, 0 };
	struct jnet_ctx settings = c->ctx;
	const char *name = strcmp(file, "-") == 0 ? "stdin" : file;
	char where[1100];
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	long lineno = 0;
	ssize_t n;
	int worst = 0, err;

	if (f == NULL) {
		fprintf(stderr, "jnet: %s: %s\n", file, strerror(errno));
		return 1;
	}
	c->where = where;
	while ((n = getline(&l.buf, &l.cap, f)) >= 0) {
		int r;

		lineno++;
		snprintf(where, sizeof(where), "%s:%ld", name, lineno);
		r = -1;
		if ((size_t)n != strlen(l.buf)) {
			snprintf(c->why, sizeof(c->why), "a NUL byte in the line");
			r = 2;
		} else if (split(&l, c->why, sizeof(c->why)) < 0) {
			r = 2;
		} else if (l.argc == 0) {
			continue;       /* blank or comment */
		}
		if (r < 0) {
			r = run_line(c, &settings, &l, lineno);
		} else {
			fprintf(stderr, "%s: %s\n", where, c->why);
			if (c->json) {
				c->jail = NULL;
				json_status(c, lineno, NULL, r, NULL);
			}
		}
		fflush(stdout);
		if (r > worst)
			worst = r;
		if (r != 0 && stop) {
			fprintf(stderr, "jnet: %s: stopped at line %ld (-e): the lines after it did "
			    "not run\n", name, lineno);
			break;
		}
	}
	err = errno;
	c->where = NULL;
	if (ferror(f)) {
		fprintf(stderr, "jnet: %s: cannot read after line %ld: %s\n", name, lineno,
		    strerror(err));
		worst = worst > 1 ? worst : 1;
	}
	if (f != stdin)
		fclose(f);
	free(l.buf);
	free(l.argv);
	return worst;
}
