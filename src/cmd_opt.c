/* The command line's option parser (cli.h cli_opt_next): short options, clusters of them,
 * long ones with "=" or a separate argument, "--", operands. */
#include "cli.h"

#include <string.h>

void
cli_args_init(struct cli_args *a, int argc, char **argv, const struct cli_opt *opts)
{
	memset(a, 0, sizeof(*a));
	a->argc = argc;
	a->argv = argv;
	a->opts = opts;
	a->i = 1;
	a->ops = argv + 1;
	a->dashdash = -1;
}

/* The next option of a cluster of short ones (-jt netns): its key, or CLI_OPT_ERR. */
static int
opt_short(struct cli *c, struct cli_args *a)
{
	const struct cli_opt *o;
	char ch = *a->cluster++;

	for (o = a->opts; o->key && o->shrt != ch; o++)
		;
	if (o->key == 0) {
		if ((unsigned char)ch > 0x20 && (unsigned char)ch < 0x7f)
			return cli_usage(c, "unknown option -%c", ch), CLI_OPT_ERR;
		return cli_usage(c, "unknown option (byte 0x%02x)",
		    (unsigned char)ch), CLI_OPT_ERR;
	}
	if (o->arg) {
		if (*a->cluster != '\0')
			a->arg = (char *)a->cluster;
		else if (a->i < a->argc)
			a->arg = a->argv[a->i++];
		else
			return cli_usage(c, "option -%c needs an argument", ch),
			    CLI_OPT_ERR;
		a->cluster = NULL;
	}
	return o->key;
}

/* A long option --name[=value] (s is its word): its key, or CLI_OPT_ERR. */
static int
opt_long(struct cli *c, struct cli_args *a, const char *s)
{
	const struct cli_opt *o;
	const char *name = s + 2, *eq = strchr(name, '=');
	size_t n = eq ? (size_t)(eq - name) : strlen(name);

	for (o = a->opts; o->key; o++)
		if (o->lng && strlen(o->lng) == n && strncmp(o->lng, name, n) == 0)
			break;
	if (o->key == 0)
		return cli_usage(c, "unknown option --%.*s", (int)n, name),
		    CLI_OPT_ERR;
	if (o->arg) {
		if (eq != NULL)
			a->arg = (char *)eq + 1;
		else if (a->i < a->argc)
			a->arg = a->argv[a->i++];
		else
			return cli_usage(c, "option --%s needs an argument", o->lng),
			    CLI_OPT_ERR;
	} else if (eq != NULL) {
		return cli_usage(c, "option --%s takes no argument", o->lng),
		    CLI_OPT_ERR;
	}
	return o->key;
}

int
cli_opt_next(struct cli *c, struct cli_args *a)
{
	a->arg = NULL;
	for (;;) {
		char *s;

		if (a->cluster != NULL && *a->cluster != '\0')
			return opt_short(c, a);
		a->cluster = NULL;
		if (a->i >= a->argc) {
			/* ops[nops] is at most argv[argc], which is NULL: keep the list ending so. */
			if (!a->stop_at_operand)
				a->ops[a->nops] = NULL;
			return CLI_OPT_END;
		}
		s = a->argv[a->i];
		if (a->dashdash >= 0 || s[0] != '-' || s[1] == '\0') {
			/* An operand ("-" alone is one too). */
			if (a->stop_at_operand)
				return CLI_OPT_END;
			a->ops[a->nops++] = s;
			a->i++;
			continue;
		}
		a->i++;
		if (strcmp(s, "--") == 0) {
			a->dashdash = a->nops;
			if (a->stop_at_operand)
				return CLI_OPT_END;
			continue;
		}
		if (s[1] == '-')
			return opt_long(c, a, s);
		a->cluster = s + 1;
	}
}

int
cli_no_options(struct cli *c, int argc, char **argv, struct cli_args *a)
{
	static const struct cli_opt none[] = { { 0, 0, NULL, false } };

	cli_args_init(a, argc, argv, none);
	return cli_opt_next(c, a) == CLI_OPT_END ? 0 : 2;
}
