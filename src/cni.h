/*
 * CNI plugin mode (docs/cni.md): jnet run by a container runtime with CNI_COMMAND set.
 * main.c reads the environment (nothing else does) and hands it over in struct jnet_cni_env;
 * the plugin reads the network configuration on stdin and writes the result or the error
 * JSON on stdout, as the CNI specification (0.4.0, 1.0.0, 1.1.0) asks.
 */
#ifndef JNET_CNI_H
#define JNET_CNI_H

#include <stdio.h>

#include <jansson.h>

#include "cni_ipam.h"
#include "core.h"

/* The CNI environment, as main.c found it (NULL: unset or empty). */
struct jnet_cni_env {
	const char *command;      /* CNI_COMMAND */
	const char *containerid;  /* CNI_CONTAINERID */
	const char *netns;        /* CNI_NETNS: a netns path (Linux), a jail name (FreeBSD) */
	const char *ifname;       /* CNI_IFNAME */
	const char *args;         /* CNI_ARGS */
	const char *path;         /* CNI_PATH */
};

/* The spec's error codes (SPEC.md, "Error"). jnet's own start at 100. */
enum jnet_cni_code {
	CNI_ERR_VERSION = 1,      /* incompatible CNI version */
	CNI_ERR_FIELD = 2,        /* unsupported field in the network configuration */
	CNI_ERR_CONTAINER = 3,    /* container unknown or does not exist */
	CNI_ERR_ENV = 4,          /* invalid necessary environment variables */
	CNI_ERR_IO = 5,           /* I/O failure */
	CNI_ERR_DECODE = 6,       /* failed to decode content */
	CNI_ERR_CONFIG = 7,       /* invalid network configuration */
	CNI_ERR_AGAIN = 11,       /* try again later */
	CNI_ERR_UNAVAILABLE = 50, /* STATUS: the plugin cannot service ADD */
	CNI_ERR_LIMITED = 51,     /* STATUS: not available, existing containers limited */
	CNI_ERR_KERNEL = 100,     /* jnet: the kernel refused a step (msg has its text) */
	CNI_ERR_IPAM = 101,       /* jnet: the IPAM plugin failed (msg has its message) */
	CNI_ERR_EXISTS = 102,     /* jnet: ADD of an attachment that exists (no DEL between) */
};

struct jnet_cni_err {
	int code;                 /* enum jnet_cni_code, 0 when clear */
	char msg[256];
	char details[1024];
};

int jnet_cni_fail(struct jnet_cni_err *ce, int code, const char *details, const char *fmt, ...)
	JNET_PRINTF(4, 5);

/* Versions, oldest first. */
enum jnet_cni_ver { CNI_V030, CNI_V031, CNI_V040, CNI_V100, CNI_V110, CNI_NVERSIONS };
extern const char *const jnet_cni_versions[CNI_NVERSIONS];

enum jnet_cni_macmode { CNI_MAC_DEFAULT = -1 }; /* else an enum jnet_mac_mode */

/* The network configuration jnet understands (a parsed stdin). */
struct jnet_cni_conf {
	json_t *root;             /* the whole configuration (owned) */
	enum jnet_cni_ver ver;
	const char *version;      /* cniVersion as given */
	const char *name;         /* network name */
	const char *type;
	char bridge[JNET_IFNAMSIZ];
	const char *uplink;       /* NULL: none */
	const char *backend;      /* NULL: the OS default (FreeBSD: epair or netgraph) */
	bool is_gateway, is_default_gateway, force_address, ip_masq;
	bool hairpin, promisc;
	int vlan;                 /* 0: none */
	unsigned mtu;             /* 0: the bridge's */
	int mac_mode;             /* CNI_MAC_DEFAULT or enum jnet_mac_mode */
	bool has_mac;             /* runtimeConfig.mac or CNI_ARGS MAC= */
	uint8_t mac[6];
	const char *ipam_type;    /* NULL: no IPAM */
	json_t *prev;             /* prevResult, NULL when absent (borrowed from root) */
	json_t *valid;            /* GC: cni.dev/valid-attachments (borrowed), NULL if absent */
	char *text;               /* the configuration text as read (for IPAM's stdin) */
};

/* Read and check the configuration for env->command (stdin text `text`, owned by the
 * result). 0, or -1 with ce filled. */
int jnet_cni_conf_parse(char *text, const struct jnet_cni_env *env,
    struct jnet_cni_conf *c, struct jnet_cni_err *ce);
void jnet_cni_conf_free(struct jnet_cni_conf *c);
/* The environment a command needs (spec: per command), checked; 0 or -1 with ce. */
int jnet_cni_env_check(const struct jnet_cni_env *env, struct jnet_cni_err *ce);

/*
 * Run the plugin: read stdin, do env->command, print the result or the error on out.
 * ctx carries main's resolved settings (salt, rundir, MAC mode; not opened yet); backend:
 * -t / JNET_BACKEND, NULL for the configuration's or the OS default. Returns the exit status.
 */
int jnet_cni_main(struct jnet_ctx *ctx, const char *backend, const struct jnet_cni_env *env,
    FILE *in, FILE *out);

#endif

/* Print an error object (cniVersion 1.1.0) on out; returns 1, the exit status. */
int jnet_cni_print_error(FILE *out, int code, const char *msg);

/* ---- shared by cni.c and cni_attach.c (the plugin's own files) ---- */
struct jnet_cni_run {
	struct jnet_ctx *ctx;
	const struct jnet_cni_env *env;
	struct jnet_cni_conf conf;
	struct jnet_cni_err ce;
	char jail[JNET_JAILNAMSIZ];   /* the attachment's jail name: CONTAINERID@IFNAME */
	char host_if[JNET_IFNAMSIZ];  /* its host end, by jnet's naming scheme */
	json_t *result;               /* ADD: the result to print */
};

/* A failure of the kernel side (ctx->err) as a CNI error: 11 for a busy lock, else 100. */
int jnet_cni_kernel_fail(struct jnet_cni_run *r, const char *what);
/* CNI_NETNS could not be opened (ctx->err): error 4 when it names no namespace or the
 * host's own, else as jnet_cni_kernel_fail. */
int jnet_cni_netns_fail(struct jnet_cni_run *r);
/* The CNI_* environment for a delegated plugin (IPAM) with CNI_COMMAND=cmd; free with
 * jnet_cni_env_free. */
char **jnet_cni_env_build(const struct jnet_cni_env *env, const char *cmd);
void jnet_cni_env_free(char **v);
/* Run IPAM command `cmd` for the configuration (no-op without ipam.type). */
int jnet_cni_ipam_run(struct jnet_cni_run *r, const char *cmd, struct jnet_cni_ipam *out);
/* Split CONTAINERID@IFNAME; false when `jail` is not a CNI attachment's name. */
bool jnet_cni_jail_split(const char *jail, char *cid, size_t cidlen, char *ifname,
    size_t iflen);

/* Is host interface r->host_if this attachment's link? 1 (l filled), 0 absent, -2 (ce
 * filled) when it is something else, -1 (ce filled) when the kernel failed. crash: an
 * untagged pair of jnet's group named so, its jail end in CNI_NETNS, counts (cni_attach.c). */
int jnet_cni_own(struct jnet_cni_run *r, struct jnet_link_info *l, bool crash);
/* ADD's result (cni_result.c). */
json_t *jnet_cni_result(struct jnet_cni_run *r, const struct jnet_link_info *l,
    const struct jnet_ifinfo *br, const struct jnet_cni_ipam *ipam);

/* The bridge's lock (cni_bridge.c): the fd, or -1 (ce filled); *crashed: its last holder
 * was killed making the bridge. jnet_cni_bridge_sweep removes what such an ADD left (ce
 * filled on failure); jnet_cni_bridge_check takes the lock and sweeps when needed (DEL, GC). */
int jnet_cni_bridge_lock(struct jnet_cni_run *r, bool *crashed);
int jnet_cni_bridge_sweep(struct jnet_cni_run *r);
int jnet_cni_bridge_check(struct jnet_cni_run *r);

int jnet_cni_add(struct jnet_cni_run *r);
int jnet_cni_del(struct jnet_cni_run *r);
int jnet_cni_check(struct jnet_cni_run *r);
int jnet_cni_gc(struct jnet_cni_run *r);
