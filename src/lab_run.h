/* Running labs: up, down, status, exec over the backend's lab operations. */
#ifndef JNET_LAB_RUN_H
#define JNET_LAB_RUN_H

#include <jansson.h>

#include "core.h"
#include "lab.h"

/* Kernel name of lab bridge b: "<lab>_<bridge>" when it fits, else "jb-" stem + hash. */
void jnet_lab_bridge_ifname(const struct jnet_lab *lab, int b, char out[JNET_IFNAMSIZ]);
/* Kernel name of interface i of jail jl: its jail end. */
int jnet_lab_iface_name(const struct jnet_ctx *ctx, const struct jnet_lab_jail *jl, int i,
    char out[JNET_IFNAMSIZ]);

typedef void (*jnet_lab_progress)(void *arg, const char *stage, int done, int total);

/*
 * Build (or complete) the lab. Idempotent. Holds the lab's lock (lock.h, "lab" LAB) so
 * commands on one lab take turns. Checks first that every object of the lab that exists
 * is the lab's (jnet_ownership), that uplinks exist and are free and that the limits hold,
 * and creates nothing when they do not; a later failure removes what this call created.
 */
int jnet_lab_up(struct jnet_ctx *ctx, const struct jnet_lab *lab, jnet_lab_progress p,
    void *arg);
/* Remove everything lab `name` created, found by tags (and, for bridges left untagged by
 * a killed up, by the lab's journal); file: the lab's file, or NULL. Holds the lab's lock. */
int jnet_lab_down(struct jnet_ctx *ctx, const char *name, const struct jnet_lab *file,
    jnet_lab_progress p, void *arg);
/* Compare the kernel with the file: *out gets the JSON report, *complete whether all is there. */
int jnet_lab_status(struct jnet_ctx *ctx, const struct jnet_lab *lab, json_t **out,
    bool *complete);
/* Replace this process by argv inside lab jail `jail` (the name as in the file). Holds
 * the lab's lock while it checks and opens the jail, not while argv runs. Status takes no
 * lock: it only reads. */
int jnet_lab_exec(struct jnet_ctx *ctx, const struct jnet_lab *lab, const char *jail,
    char *const argv[]);

#endif
