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
extern const char *mt_backend; /* the suite's backend (mt_run) */

/* ---- scenarios (through model_ctl, as somebody else than jnet) */
void phys(const char *name, const char *mac, bool inet); /* a host NIC, up */
void phys_kind(const char *name, const char *mac, const char *kind, bool inet);
/* jail NAME WHAT: "create", "create-novnet", "kill" (dying), "shutdown", "gone", "jid"
 * (nothing); its JID */
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
/* WANT and GOT equal, or both printed after WHAT and the test fails. */
void states_equal(json_t *want, json_t *got, const char *what);
json_t *snap_keep(void);              /* snap(), and a copy of it to compare with later */
void assert_unchanged(json_t *before); /* snap() equals BEFORE (printed if not); frees it */
void assert_addm_idempotent(const char *jail_name); /* addm JAIL em0 again: no change */

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

/* ---- steps both suites test (JEND: the jail end of web's link 0, e0b_web or ng0_web) */
#define LONG1 "a-very-long-jail-name-for-testing-000001"
#define LONG2 "a-very-long-jail-name-for-testing-000002"
int gc_count(void); /* jnet_gc: how many links it removed */
/* For steps 1..LAST of a crash (crash_after(steps, "web") on a fresh model): gc removes the
 * leftover except at step 1 (untagged: nothing proves it is jnet's); assert_none after. */
void crash_gc_sweep(void (*crash_after)(int steps, const char *jail_name), int last,
    void (*assert_none)(void));
/* addm web, attach before the jail exists (ENOENT), then into it: JEND inside, up. IN gets
 * "web#JID"; returns JID. */
int attach_fresh(const char *jend, char in[64]);
/* Then: attach again, detach (JEND home, up, in group jnet), detach again, attach by JID. */
void detach_reattach(const char *jend, int jid, const char *in);
/* addm web; attach into a jail without vnet, into a jail that has a JEND: refused. */
void attach_refusals(const char *jend);
/* detach refuses to bring JEND home under a name the host already has; no change. */
void detach_name_taken_by(const char *jend);
/* HOST_IF is not jnet's: link_get EPERM, not listed, gc and destroy web leave it alone. */
void assert_not_ours(const char *host_if);
/* addm and destroy JAIL refused (EPERM, "not a jnet interface"), nothing changed. */
void refused_foreign(const char *jail_name);
/* addm JAIL cannot rename (a foreign interface has the name): EEXIST, nothing changed. */
void refused_rename(const char *jail_name);
int web_and_evil_attached(void); /* two jails with a link each, attached; evil's JID */
/* Root of jail JID renames its FROM to TO (FROM NULL: makes an epair end TO). */
void jail_if_forge(int jid, const char *from, const char *to);
/* ... or writes on its IFNAME the tag of link 0, END, of jail JAIL_NAME (this backend). */
void jail_tag_forge(int jid, const char *ifname, const char *jail_name, char end);
/* addm LONG1, LONG2, web.example.org, x_1; N1, N2: the first two's host names (STYLE). */
void long_names_made(int style, char n1[JNET_IFNAMSIZ], char n2[JNET_IFNAMSIZ]);
struct links long_names_listed(void); /* LONG1 listed by its name, then destroyed */
void hook_rollback(const char *ifname); /* a failing start_if on IFNAME undoes all of addm */
void hook_logging(const char *event, const char *ifname, const char *fmt); /* echo FMT >> log */
int hook_log(char lines[][160], int max); /* the log's lines */

/* ---- fixtures: a fresh model with em0, a context on the suite's backend */
int setup(void **state);
int teardown(void **state);
/* Runs the suite NAME on BACKEND in a fresh hook directory, removed afterwards. */
/* A test with the fixtures. */
#define MT(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
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
