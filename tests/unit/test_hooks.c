/* Hooks: argv and environment, exit status, stderr in the error, timeout, no file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hooks.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/jnet-hooks-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
write_hook(const char *name, const char *body)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(body, f);
	fclose(f);
}

static const struct jnet_hook_env ENV = {
	.event = "start_if", .iface = "e0a_web", .jail = "web", .peer = "e0b_web",
	.bridge = "em0bridge", .mac = "02:00:00:00:00:01", .backend = "netns", .end = "host",
	.index = 0,
};

static void
no_hook(void **state)
{
	struct jnet_err e;

	(void)state;
	assert_int_equal(jnet_hook_run(dir, &ENV, 1000, &e), 0);
}

static void
args_and_env(void **state)
{
	char out[256], p[256], line[512];
	struct jnet_err e;
	FILE *f;

	(void)state;
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(line, sizeof(line),
	    "echo \"$# $1 $JNET_EVENT $JNET_IFACE $JNET_JAIL $JNET_PEER $JNET_BRIDGE $JNET_MAC "
	    "$JNET_BACKEND $JNET_END $JNET_INDEX\" > %s\n", out);
	write_hook("start_if.e0a_web", line);
	assert_int_equal(jnet_hook_run(dir, &ENV, 5000, &e), 0);
	f = fopen(out, "r");
	assert_non_null(f);
	assert_non_null(fgets(p, sizeof(p), f));
	fclose(f);
	assert_string_equal(p, "1 e0a_web start_if e0a_web web e0b_web em0bridge 02:00:00:00:00:01 netns host 0\n");
	assert_true(jnet_hook_exists(dir, "start_if", "e0a_web", p, sizeof(p)));
	assert_false(jnet_hook_exists(dir, "stop_if", "e0a_web", p, sizeof(p)));
}

static void
failure_carries_stderr(void **state)
{
	struct jnet_err e;

	(void)state;
	write_hook("start_if.e0a_web", "echo 'first line' >&2\necho 'no DHCP server' >&2\nexit 4\n");
	assert_int_equal(jnet_hook_run(dir, &ENV, 5000, &e), -ECANCELED);
	assert_non_null(strstr(e.object, "start_if.e0a_web"));
	assert_string_equal(e.msg, "hook exited with status 4: first line\nno DHCP server");
}

static void
timeout_kills_group(void **state)
{
	struct jnet_err e;
	struct timespec a, b;

	(void)state;
	write_hook("start_if.e0a_web", "sleep 20 &\nsleep 20\n");
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(jnet_hook_run(dir, &ENV, 300, &e), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 5);
	assert_string_equal(e.msg, "hook killed after 300 ms");
}

static void
envp(void **state)
{
	char v[16][JNET_JAILNAMSIZ + 32];
	int n;

	(void)state;
	n = jnet_hook_envp(&ENV, v, 16);
	assert_int_equal(n, 9);
	assert_string_equal(v[0], "JNET_EVENT=start_if");
	assert_string_equal(v[8], "JNET_INDEX=0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(no_hook, setup, teardown),
		cmocka_unit_test_setup_teardown(args_and_env, setup, teardown),
		cmocka_unit_test_setup_teardown(failure_carries_stderr, setup, teardown),
		cmocka_unit_test_setup_teardown(timeout_kills_group, setup, teardown),
		cmocka_unit_test(envp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
