/* Running labs: up, down, status, exec over the backend's lab operations. */
#ifndef JNET_LAB_RUN_H
#define JNET_LAB_RUN_H

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
/*
 * What `lab status` found: the kernel compared with the file, one entry per object of the
 * lab in file order (bridges[b] is lab->bridges[b], jails[i] is lab->jails[i], and so on
 * down to addresses and routes). The lab must outlive it. cmd_lab.c renders it.
 */
struct jnet_lab_status_host {      /* the host end of a bridge port (paired backends) */
	char ifname[JNET_IFNAMSIZ];
	bool present;
	bool up;                       /* when present */
	char bridge[JNET_IFNAMSIZ];    /* when present: the bridge it is on, "" for none */
};

struct jnet_lab_status_iface {
	char ifname[JNET_IFNAMSIZ];    /* the jail end */
	bool present;
	bool up;                       /* when present */
	uint8_t mac[6];                /* when present */
	bool addr_present[JNET_LAB_MAXADDRS]; /* per address of the file's interface */
	struct jnet_lab_status_host host; /* for a bridge port (lab iface bridge >= 0) */
};

struct jnet_lab_status_jail {
	bool present;                  /* there, tagged as the lab's */
	bool foreign;                  /* there with a name of the lab's but not the lab's */
	char tag[JNET_TAGSIZ];         /* when foreign: its tag, "" for none */
	struct jnet_lab_status_iface *ifaces; /* [jail's nifaces] */
	bool *route_present;           /* [jail's nroutes] */
};

struct jnet_lab_status_vxlan {     /* a bridge's VXLAN port (lab_vxlan.c) */
	char ifname[JNET_IFNAMSIZ];    /* "": the bridge does not span hosts */
	uint32_t vni;
	bool present;                  /* there and the lab's */
	char problem[256];             /* present but not as it should be: what ("" if not) */
};
struct jnet_lab_status_bridge {
	char ifname[JNET_IFNAMSIZ];
	bool present;
	bool untagged;                 /* present, made by an up killed before it tagged it */
	struct jnet_lab_status_vxlan vxlan;
};

struct jnet_lab_status {
	const struct jnet_lab *lab;
	const char *backend;           /* the backend's name */
	bool complete;                 /* everything there, up, on its bridge, tagged */
	const char *host;              /* the host whose part this is (labs on several hosts),
	                                  NULL for a one-host lab */
	struct jnet_lab_status_bridge *bridges; /* [lab->nbridges] */
	struct jnet_lab_status_jail *jails;     /* [lab->njails] */
};

/* Compare the kernel with the file. Takes no lock: it only reads. On success *out must be
 * freed with jnet_lab_status_free. */
int jnet_lab_status(struct jnet_ctx *ctx, const struct jnet_lab *lab,
    struct jnet_lab_status **out);
void jnet_lab_status_free(struct jnet_lab_status *st);

/*
 * Replace this process by argv inside lab jail `jail` (the name as in the file). Holds
 * the lab's lock while it checks and opens the jail, not while argv runs. Returns only on
 * failure: -errno with ctx->err filled, and *exit_status the status to exit with, as
 * env(1) does: 127 when the command was not found, 126 when it could not be run, 125
 * when jnet failed before (so that none is taken for the command's own status).
 */
int jnet_lab_exec(struct jnet_ctx *ctx, const struct jnet_lab *lab, const char *jail,
    char *const argv[], int *exit_status);

#endif
