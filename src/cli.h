/* The command line: shared state of main.c and the cmd_*.c files. */
#ifndef JNET_CLI_H
#define JNET_CLI_H

#include "core.h"

struct cli {
	struct jnet_ctx ctx;            /* filled by main.c's settings resolver */
	const char *backend;            /* -t, else $JNET_BACKEND; NULL: the OS default */
	const char *backend_from;       /* "-t" or "JNET_BACKEND" when backend is set */
	bool json;                      /* -j */
	bool opened;
	const char *cmd;                /* for messages: "addm", "bridge add", ... */
	const char *jail;               /* for messages */
	/* Batch mode (-f, batch.c): where the running line is, and what it said. */
	const char *where;              /* "FILE:LINE": prefix of messages instead of "jnet" */
	char why[1024];                  /* the line's last error message (for -j) */
};

struct cli_cmd {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *usage;              /* one or more lines, '\n' between them */
	const char *desc;
};

/*
 * Options of a command. They may come anywhere before "--" (interface and jail names never
 * start with '-'); "--" ends them and everything after it is an operand. Short options
 * cluster (-lj) and take their argument attached (-M1400) or as the next word; long ones
 * take it as --name=VALUE or --name VALUE. getopt(3) is not used: its messages have not
 * the shape of jnet's, and FreeBSD's does not reorder.
 */
struct cli_opt {
	int key;                        /* what cli_opt_next returns for it */
	char shrt;                      /* 'b' for -b, or 0 */
	const char *lng;                /* "min-age" for --min-age, or NULL */
	bool arg;                       /* takes an argument */
};

struct cli_args {
	int argc;
	char **argv;                    /* argv[0] is the command word */
	const struct cli_opt *opts;     /* ends with key 0 */
	bool stop_at_operand;           /* main's options: stop at the command word */
	int i;                          /* next word of argv */
	const char *cluster;            /* rest of a "-abc" word */
	char *arg;                      /* argument of the option just returned */
	char **ops;                     /* operands in order (compacted into argv + 1) */
	int nops;
	int dashdash;                   /* operands before "--"; -1 when there was none */
};

#define CLI_OPT_END 0                /* no more options: operands are in ops[0..nops) */
#define CLI_OPT_ERR (-1)             /* a usage error was printed: exit 2 */

void cli_args_init(struct cli_args *a, int argc, char **argv, const struct cli_opt *opts);
int cli_opt_next(struct cli *c, struct cli_args *a);
/* A command without options: a->ops/a->nops are its operands. Returns 0 or 2 (printed). */
int cli_no_options(struct cli *c, int argc, char **argv, struct cli_args *a);

/* Print "jnet: <cmd> <jail>: <object>: <reason>" for c->ctx.err; returns 1. */
int cli_fail(struct cli *c);
/* Print "jnet: <cmd>: <reason>" and the command's usage lines; returns 2. */
int cli_usage(struct cli *c, const char *fmt, ...) JNET_PRINTF(2, 3);
/* Open the backend (once). Returns 0 or the exit status to use. */
int cli_open(struct cli *c);
/* Print a JSON value to stdout (compact when not a TTY is fine) and free it. */
void cli_json_print(void *json);
/* Batch -j: while slot is not NULL, cli_json_print stores its value in *slot (json_t *,
 * the caller's to free) instead of printing it. */
void cli_json_capture(void **slot);

const struct cli_cmd *cli_commands(void);
const struct cli_cmd *cli_find_cmd(const char *name);

/* Batch mode: run the commands of `file` ("-": standard input), one a line, in c (settings
 * resolved); stop at the first failing line when stop is true. Returns the worst status. */
int cli_batch(struct cli *c, const char *file, bool stop);

int cmd_addm(struct cli *, int, char **);
int cmd_attach(struct cli *, int, char **);
int cmd_detach(struct cli *, int, char **);
int cmd_destroy(struct cli *, int, char **);
int cmd_show(struct cli *, int, char **);
int cmd_gc(struct cli *, int, char **);
int cmd_check(struct cli *, int, char **);
int cmd_repair(struct cli *, int, char **);
int cmd_name(struct cli *, int, char **);
int cmd_bridge(struct cli *, int, char **);
int cmd_stats(struct cli *, int, char **);
int cmd_graph(struct cli *, int, char **);
int cmd_lab(struct cli *, int, char **);

#endif
