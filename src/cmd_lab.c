/* jnet lab: being built (issue 5); until then the verb says so plainly. */
#include "cli.h"

#include <errno.h>

int
cmd_lab(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	jnet_err_set(&c->ctx.err, ENOSYS, "", "lab networks are not in this build yet");
	return cli_fail(c);
}
