/* Labs that span hosts, at run time (lab_vxlan.c; the file format: lab_hosts.h). */
#ifndef JNET_LAB_VXLAN_H
#define JNET_LAB_VXLAN_H

#include "lab_run.h"

/*
 * Replace *lab by the part of it this host builds: host `host` (NULL: the host whose
 * underlay address is on this machine). A lab without 'hosts' stays whole (and a `host`
 * for it is refused).
 */
int jnet_lab_for_host(struct jnet_lab **lab, const char *host, struct jnet_err *e);

/* jnet_lab_up of one host's part (jnet_lab_for_host), with the VXLAN ports of its bridges
 * that span hosts (checked first: backend, underlay, MTU rule, names). */
int jnet_lab_up_host(struct jnet_ctx *ctx, struct jnet_lab *lab, jnet_lab_progress p,
    void *arg);

/* lab down, for each of the lab's bridges before it goes: its VXLAN port, when it is lab
 * `lab`'s (tag; crash window: jnet's group, name and master). Found by name, no listing. */
int jnet_lab_vxlan_release(struct jnet_ctx *ctx, const char *lab, const char *bridge);

/* lab status of one host's part: each bridge that spans hosts gets its VXLAN port's state,
 * the status the host's name; a missing VXLAN port makes the lab incomplete. */
int jnet_lab_vxlan_status(struct jnet_ctx *ctx, const struct jnet_lab *lab,
    struct jnet_lab_status *st);

#endif
