/*
 * What the cmocka suites of the FreeBSD backends on the kernel model share (test_epair.c,
 * test_netgraph.c): scenario helpers (interfaces, jails, kernel version), snapshots of the
 * model as JSON and lookups in them, addm/hooks/links through the core API, the fixtures,
 * the commands of the fault sweep and the sweep itself. Include after <cmocka.h>.
 */
#ifndef JNET_MTEST_H
#define JNET_MTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core.h"

extern struct jnet_ctx ctx;  /* the context every command of a test runs in */
extern char hookdir[];       /* its hook directory (and lock directory) */
extern json_t *D;            /* the last snapshot (snap()) */

/* ---- scenarios (through model_ctl, as somebody else than jnet) */
void phys(const char *name, const char *mac, bool inet); /* a host NIC, up */
void phys_kind(const char *name, const char *mac, const char *kind, bool inet);
/* jail NAME WHAT: "create", "create-novnet", "kill" (dying), "shutdown", "gone"; its JID */
int jail(const char *name, const char *what);
void kernel(int version);      /* the FreeBSD version the model behaves as */

/* ---- snapshots */
void snap(void);
json_t *IF(const char *name, const char *in); /* in: "host", "JAIL#JID", "JAIL" or NULL */
const char *tagcore(const char *tag); /* a tag without its KEY=VALUE fields */
const char *S(json_t *o, const char *k);
bool B(json_t *o, const char *k);
bool in_group(json_t *o, const char *g);
int count_kind(const char *kind);
void macs_equal(json_t *o, const uint8_t m[6]);

/* ---- commands */
int addm(const char *jail_name, const char *const *ifs, int n);
int addm_on(const char *jail_name, const char *iface);
int addm1(const char *jail_name); /* addm JAIL em0 */
void hook(const char *event, const char *ifname, const char *body);

struct links {
	int n;
	struct jnet_link_info v[16];
};
int collect(const struct jnet_link_info *l, void *arg); /* into a struct links */
struct links links_of(const char *jail_name);
int count_cb(const struct jnet_link_info *l, void *arg); /* (*(int *)arg)++ */

/* ---- fixtures: a fresh model with em0, a context on the suite's backend */
int setup(void **state);
int teardown(void **state);
/* Runs the suite NAME on BACKEND in a fresh hook directory, removed afterwards. */
int mt_run(const char *name, const char *backend, const struct CMUnitTest *tests, size_t n);

/* ---- fault injection: every primitive call of a command failed in turn */
struct mt_cmd {
	const char *name;
	void (*prepare)(void); /* state before (not counted) */
	int (*run)(void);      /* the command */
};
void prep_none(void);
void prep_jail(void);
void prep_link(void);      /* addm web em0 */
void prep_link_jail(void); /* ... and jail web */
void prep_attached(void);  /* ... and attach web */
void prep_bridge(void);    /* bridge add lab0 em0 */
int run_addm(void);
int run_addm2(void);
int run_attach(void);
int run_detach(void);
int run_destroy(void);
int run_bridge_add(void);
int run_bridge_del(void);
/*
 * For each command: a clean run counts its primitive calls and its end state; then for
 * every k, call k fails (EIO): the command must fail, leave the model as it was, name the
 * failed call; run again it must succeed and end where the clean run ended. `fresh` (may
 * be NULL) runs after setup, before prepare: the kernel to sweep on; `label` prefixes
 * every message.
 */
void mt_fault_sweep(const struct mt_cmd *cmds, size_t n, void (*fresh)(void),
    const char *label);

#endif
