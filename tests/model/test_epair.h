/*
 * What the files of the test_epair suite (test_epair.c, test_epair_safety.c) share.
 */
#ifndef JNET_TEST_EPAIR_H
#define JNET_TEST_EPAIR_H

#include <stdbool.h>

/* The FreeBSD version, and whether it lets a bridge member keep addresses (test_epair.c). */
void kernel_ifaddrs(int version, bool member_ifaddrs);

/* The tests of test_epair_safety.c. */
void ownership_untagged_in_group(void **state);
void link_count_born(void **state);
void if_get_master(void **state);
void mtu_both_ends(void **state);
void mtu_set_master(void **state);
void detach_name_taken(void **state);
void stale_instance(void **state);
void jail_root_forges(void **state);
void lab_destroy_forged(void **state);
void jib_macs(void **state);
void long_and_odd_names(void **state);
void kernel_modules(void **state);
void refuses_foreign(void **state);
void member_ifaddrs(void **state);
void bridges(void **state);
void hooks_order_and_rollback(void **state);

#endif
