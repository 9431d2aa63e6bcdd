/*
 * The pf(4) part of the FreeBSD kernel model (model_pf.c): tables of the main ruleset and
 * their addresses, and whether pf is loaded (/dev/pf exists). The primitives are the
 * fbsd_pf_* functions of fbsd.h; these are the administrator's controls for tests and
 * jnet-modelctl.
 *
 * State: ext key "pf": {"loaded": bool, "tables": {NAME: ["ADDR/PREFIX", ...]}} (a fresh
 * model has pf not loaded, as a GENERIC kernel without pf_enable).
 */
#ifndef JNET_MODEL_PF_H
#define JNET_MODEL_PF_H

#include <stdio.h>

#include "model.h"

/* kldload pf / kldunload pf (unloading drops every table). */
int model_pf_ctl_load(bool loaded);

/* Somebody else's `pfctl -t TABLE -T add|delete ADDR[/PREFIX]` (add creates the table):
 * the kernel's nadd / ndel, or -errno (-ENOENT: pf not loaded; -EINVAL: bad address). */
int model_pf_ctl_change(const char *table, const char *addr, bool add);

/* `pfctl -t TABLE -T show` into f: one address a line (a host address without its
 * prefix, as pfctl prints it). -ESRCH no such table, -ENOENT pf not loaded. */
int model_pf_ctl_show(const char *table, FILE *f);

#endif
