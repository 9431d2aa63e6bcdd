/* The undo log and the addm argument syntax. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "core.h"

static char order[16];

static int
undo_step(struct jnet_ctx *ctx, const void *data, struct jnet_err *e)
{
	(void)ctx;
	strncat(order, data, sizeof(order) - strlen(order) - 1);
	if (strcmp(data, "B") == 0)
		return jnet_err_set(e, EIO, "b", "undo of B failed");
	return 0;
}

static int reports;

static void
report(struct jnet_ctx *ctx, const char *what, const struct jnet_err *e)
{
	(void)ctx;
	assert_string_equal(what, "step B");
	assert_string_equal(e->msg, "undo of B failed");
	reports++;
}

static void
txn_unwinds_newest_first(void **state)
{
	struct jnet_txn t;

	(void)state;
	jnet_txn_init(&t);
	assert_int_equal(jnet_txn_push(&t, undo_step, "A", 2, "step A"), 0);
	assert_int_equal(jnet_txn_push(&t, undo_step, "B", 2, "step B"), 0);
	for (int i = 0; i < 20; i++) /* grows past its first allocation */
		assert_int_equal(jnet_txn_push(&t, undo_step, "", 1, "nothing"), 0);
	assert_int_equal(jnet_txn_push(&t, undo_step, "C", 2, "step C"), 0);
	order[0] = '\0';
	reports = 0;
	jnet_txn_rollback(NULL, &t, report);
	/* A failing undo step is reported and the unwinding goes on. */
	assert_string_equal(order, "CBA");
	assert_int_equal(reports, 1);
	assert_int_equal(t.n, 0);
}

static void
txn_commit_forgets(void **state)
{
	struct jnet_txn t;

	(void)state;
	jnet_txn_init(&t);
	assert_int_equal(jnet_txn_push(&t, undo_step, "A", 2, "A"), 0);
	jnet_txn_commit(&t);
	order[0] = '\0';
	jnet_txn_rollback(NULL, &t, NULL);
	assert_string_equal(order, "");
}

static void
addm_args(void **state)
{
	struct jnet_addm_arg a;
	struct jnet_err e;

	(void)state;
	assert_int_equal(jnet_addm_arg_parse("em0", &a, &e), 0);
	assert_string_equal(a.iface, "em0");
	assert_false(a.no_derive);
	assert_false(a.has_mac);
	assert_int_equal(jnet_addm_arg_parse("!igb1", &a, &e), 0);
	assert_string_equal(a.iface, "igb1");
	assert_true(a.no_derive);
	assert_int_equal(jnet_addm_arg_parse("em0=02:00:00:00:00:07", &a, &e), 0);
	assert_true(a.has_mac);
	assert_int_equal(a.mac[5], 7);
	assert_int_equal(jnet_addm_arg_parse("!em0=02:00:00:00:00:07", &a, &e), -EINVAL);
	assert_string_equal(e.msg, "'!' (kernel MAC) and '=MAC' contradict");
	assert_int_equal(jnet_addm_arg_parse("em0=03:00:00:00:00:07", &a, &e), -EINVAL);
	assert_int_equal(jnet_addm_arg_parse("=02:00:00:00:00:07", &a, &e), -EINVAL);
	assert_int_equal(jnet_addm_arg_parse("averyverylongname0", &a, &e), -ENAMETOOLONG);
	assert_int_equal(jnet_addm_arg_parse("em/0", &a, &e), -EINVAL);
}

static void
errors_format(void **state)
{
	struct jnet_err e;

	(void)state;
	assert_int_equal(jnet_err_sys(&e, ENODEV, "e0a_web", "delete %s", "now"), -ENODEV);
	assert_string_equal(e.object, "e0a_web");
	assert_string_equal(e.msg, "delete now: No such device");
	assert_int_equal(jnet_err_set(NULL, -EPERM, NULL, "x"), -EPERM);
	jnet_err_clear(&e);
	assert_int_equal(e.code, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(txn_unwinds_newest_first),
		cmocka_unit_test(txn_commit_forgets),
		cmocka_unit_test(addm_args),
		cmocka_unit_test(errors_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
