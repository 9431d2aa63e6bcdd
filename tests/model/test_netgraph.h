/*
 * What the files of the test_netgraph suite (test_netgraph.c, test_netgraph_model.c,
 * test_netgraph_lab.c) share.
 */
#ifndef JNET_TEST_NETGRAPH_H
#define JNET_TEST_NETGRAPH_H

#include <stdbool.h>

#include <jansson.h>

#include "core.h"

/* The helpers (test_netgraph.c). On the last snapshot (snap()): the model's netgraph state,
 * a node of the host's netgraph by label ("em0bridge", "eiface(ngeth0)") or NULL, whether
 * an edge line is there, the number of edges, of nodes of a type. */
json_t *NG(void);
json_t *NODE(const char *label);
bool EDGE(const char *line);
int count_edges(void);
int count_type(const char *type);
/* The netgraph backend's ops. */
const struct jnet_backend_ops *NGB(void);
/* No ngeth interface and no eiface node (takes a snapshot). */
void assert_no_links(void);
/* IFNAME's ng_ether flags. */
bool ether_autosrc(const char *ifname);
bool ether_promisc(const char *ifname);
/* kldload ng_ether by the administrator (a fresh model has no module loaded). */
void ether_module(void);
/* The state a crash (SIGKILL) after STEPS of jnet's primitives for JAIL_NAME leaves. */
void crash_after(int steps, const char *jail_name);

/* The tests of the other files. */
void model_names_paths(void **state);
void model_hooks(void **state);
void model_lifecycles(void **state);
void ng_jail_root_forges(void **state);
void ng_lab_destroy_forged(void **state);
void crash_leftovers(void **state);
void gc_links_of_gone_jails(void **state);
void jng_macs(void **state);
void long_and_odd_names(void **state);
void refuses_foreign(void **state);
void bridges(void **state);
void numbering_14_and_15(void **state);
void hooks_order_and_rollback(void **state);
void stats(void **state);
void graph(void **state);

#endif
