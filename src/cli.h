/* The command line: shared state of main.c and the cmd_*.c files. */
#ifndef JNET_CLI_H
#define JNET_CLI_H

#include "core.h"

struct cli {
	struct jnet_ctx ctx;
	const char *backend;   /* -t */
	bool json;             /* -j */
	bool opened;
	const char *cmd;       /* for messages: "addm", "bridge add", ... */
	const char *jail;      /* for messages */
};

struct cli_cmd {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *usage;
	const char *desc;
	bool needs_backend;
};

/* Print "jnet: <cmd> <jail>: <object>: <reason>" for c->ctx.err; returns 1. */
int cli_fail(struct cli *c);
/* Print a usage error for the current command; returns 2. */
int cli_usage(struct cli *c, const char *fmt, ...) JNET_PRINTF(2, 3);
/* Open the backend (once). Returns 0 or the exit status to use. */
int cli_open(struct cli *c);
/* Print a JSON value to stdout (compact when not a TTY is fine) and free it. */
void cli_json_print(void *json);

const struct cli_cmd *cli_commands(void);

int cmd_addm(struct cli *, int, char **);
int cmd_attach(struct cli *, int, char **);
int cmd_detach(struct cli *, int, char **);
int cmd_destroy(struct cli *, int, char **);
int cmd_show(struct cli *, int, char **);
int cmd_gc(struct cli *, int, char **);
int cmd_name(struct cli *, int, char **);
int cmd_bridge(struct cli *, int, char **);
int cmd_stats(struct cli *, int, char **);
int cmd_graph(struct cli *, int, char **);
int cmd_lab(struct cli *, int, char **);

#endif
