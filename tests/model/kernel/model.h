/*
 * A behavioural model of the FreeBSD kernel, for the primitives of src/fbsd/fbsd.h.
 *
 * Data: interfaces (ifnets) living in vnets, and jails. The host's vnet is vnet 0; a vnet
 * jail's vnet is numbered by its JID. Every interface has a home vnet (where it was
 * created: if_home_vnet) and a current vnet (if_vnet).
 *
 * Every primitive passes through one gate (model_begin / model_end):
 *   - it is counted (per process) and traced ($JNET_MODEL_TRACE),
 *   - it can be made to fail ($JNET_MODEL_FAIL="K:ERRNO": the K-th primitive call of this
 *     process fails with ERRNO, before it touches anything),
 *   - a group list can grow under it ($JNET_MODEL_GROW=K, model_set_grow),
 *   - with $JNET_MODEL_STATE=FILE the state lives in FILE (JSON, jansson), and each
 *     primitive takes an exclusive flock(2) on FILE.lock around load, apply, save: several
 *     processes interleave at primitive granularity, as threads do on a real kernel.
 *     Without it, the state lives in the process (unit tests).
 *
 * Extensions (the netgraph part, tests/model/kernel/model_ng.c) keep their own state as JSON under
 * a key of `ext` (model_ext()), saved with everything else, and can hook vnet teardown and
 * interface destruction through struct model_ext_ops (registered in model.c's table).
 */
#ifndef JNET_MODEL_H
#define JNET_MODEL_H

#include <jansson.h>

#include "fbsd.h"

#define MODEL_MAXGROUPS 16
#define MODEL_DESCRMAX  1024  /* net.ifdescr_maxlen default (sys/net/if.c ifdescr_maxlen) */
#define MODEL_HOST      0     /* vnet of the host (prison0) */
#define MODEL_MAXADDRS  8     /* addresses per interface (a model limit) */
#define MODEL_MAXROUTES 32    /* gateway routes per vnet (a model limit) */
#define MODEL_HOSTNAMESIZ 256 /* MAXHOSTNAMELEN */

/* An IPv4/IPv6 address of an interface (labs). */
struct m_addr {
	int family;                       /* AF_INET / AF_INET6 */
	uint8_t addr[16];
	int prefix;
};

/* A gateway route of a vnet (labs): through the interface whose subnet holds gw. */
struct m_route {
	int family;
	uint8_t dst[16];
	int prefix;
	uint8_t gw[16];
	int ifid;                         /* m_if.id it goes out of */
};

struct m_if {
	int id;                           /* model-unique, never reused */
	char name[JNET_IFNAMSIZ];         /* if_xname */
	char kind[16];                    /* "epair", "bridge", "lo", "phys" (em0...), "ngeth",
	                                   * "vlan" */
	bool cloned;                      /* made by a cloner: SIOCIFDESTROY works */
	int unit;                         /* cloner unit (if_dunit), -1 if none */
	int index;                        /* if_index (global since FreeBSD 14) */
	int vnet;                         /* current vnet (jid, 0 = host) */
	int home;                         /* home vnet (if_home_vnet) */
	int peer;                         /* id of the other epair end, 0 if none */
	int vlan_parent;                  /* vlan(4): id of its parent, 0 when unconfigured */
	int vlan_tag;                     /* vlan(4): its VLAN ID (with a parent) */
	bool has_mac;
	uint8_t mac[6];
	bool up;                          /* IFF_UP */
	unsigned mtu;
	char *descr;                      /* if_description, NULL if none */
	char groups[MODEL_MAXGROUPS][JNET_IFNAMSIZ];
	int ngroups;
	int bridge;                       /* id of the bridge it is a member of, 0 if none */
	bool inaddr;                      /* carries an IPv4/IPv6 address */
	struct m_addr addrs[MODEL_MAXADDRS]; /* labs: the addresses (inaddr when any) */
	int naddrs;
};

struct m_jail {
	int jid;
	char name[JNET_JAILNAMSIZ];
	bool vnet;                        /* has its own vnet ("vnet" / "vnet=new") */
	bool dying;                       /* removed, vnet still held: jls -d */
	bool shutting_down;               /* its vnet is being torn down (VNET_IS_SHUTTING_DOWN) */
	int parent;                       /* parent jail's jid, 0: the host (prison0) */
	char hostname[MODEL_HOSTNAMESIZ]; /* host.hostname */
	bool fwd4, fwd6;                  /* vnet jails: net.inet.ip.forwarding, ip6.forwarding */
	struct m_route routes[MODEL_MAXROUTES]; /* vnet jails: gateway routes */
	int nroutes;
};

struct model {
	struct m_if *ifs;
	int nifs, capifs;
	struct m_jail *jails;
	int njails, capjails;
	int next_id;
	int next_jid;
	unsigned macseq;                  /* for kernel-chosen MACs */
	int version;                      /* FreeBSD major release modelled: 14 or 15 */
	bool member_ifaddrs;              /* sysctl net.link.bridge.member_ifaddrs (15) */
	unsigned kmods;                   /* loaded kernel modules (bits of model_kmods) */
	int kld_refuse;                   /* errno kldload(2) answers (EPERM: in a jail,
	                                   * securelevel > 0), 0: loading allowed */
	json_t *ext;                      /* extensions' state, by key */
};

/* ---------------------------------------------------------------- the gate */

/*
 * Start primitive `op` (e.g. "SIOCSIFNAME") on object `obj`: count, trace, inject a fault,
 * lock and load. Returns 0 with *m set, or -errno (an injected fault: nothing was touched,
 * model_end must not be called).
 */
int model_begin(struct model **m, const char *op, const char *obj);
/* The same for an operation in jail `jid`'s vnet (0: the host's). `forks`: the real
 * primitive forks a child for it (to jail_attach(2) there: src/fbsd/ifnet.c in_vnet for a
 * jail, src/fbsd/lab.c in_jail always), traced as " fork=JID". */
int model_begin_in(struct model **m, const char *op, const char *obj, int jid, bool forks);
/* model_begin of a call on jail JID (traced with the JID); *J: the jail. No such jail: the
 * call ends with NONE (-errno). */
int model_begin_jail(struct model **m, const char *op, int jid, struct m_jail **j, int none);
/* SIOCSIFNAME of interface `name` in vnet `vnet` (if_rename's checks): 0 or -errno. */
int model_rename(struct model *m, int vnet, const char *name, const char *newname);
/* A listing primitive returns n entries: traced as "PID K LIST N" with
 * $JNET_MODEL_TRACE_LISTS (so that a count can see what grows with the host's size);
 * with it every call's answer is traced too ("PID K RET R", by model_end). */
void model_trace_list(int n);
/* Any such note: "PID K WHAT V" (KLDLOAD 1: the kldload(2) after a modfind(2) missed). */
void model_trace_note(const char *what, int v);
/* Finish: save (when r >= 0), unlock. Returns r. */
int model_end(struct model *m, int r);
/* Finish and save even though r < 0 (the world changed while the call failed). */
int model_end_dirty(struct model *m, int r);

/* ---------------------------------------------------------------- for primitives */

struct m_if *model_ifunit(struct model *m, int vnet, const char *name);
struct m_if *model_if_byid(struct model *m, int id);
struct m_jail *model_jail_byjid(struct model *m, int jid);
/* Jail by name: a live one first, else (dying_ok) a dying one (prison_find_name). */
struct m_jail *model_jail_byname(struct model *m, const char *name, bool dying_ok);
/* A new interface in `vnet` (home = vnet), index allocated, groups "all" (+ kind if cloned). */
/* "host", "JAIL#JID" or "vnet#N": where vnet VNET is, as the dumps say it. */
const char *model_vnet_name(const struct model *m, int vnet, char *buf, size_t len);
/* An epair (ends A and B, cross-referenced, down, kernel MACs) on the host; end A. */
/* SIOCGIFDESCR of I into BUF: 0, -ENOMSG (none) or -ENAMETOOLONG. */
int model_descr_get(const struct m_if *i, char *buf, size_t len);
struct m_if *model_epair_make(struct model *m, const char *a, const char *b, int unit);
struct m_if *model_if_new(struct model *m, int vnet, const char *name, const char *kind,
    bool cloned, int unit);
/* Remove one interface (departure: leaves its bridge; a bridge releases its members). */
void model_if_remove(struct model *m, struct m_if *i);
bool model_if_in_group(const struct m_if *i, const char *group);
int model_if_add_group(struct m_if *i, const char *group);
/* if_vmove: detach (groups reset, down, addresses and bridge membership dropped), attach. */
void model_if_vmove(struct model *m, struct m_if *i, int vnet);
/* The vnet of jail j for interface lookups (a jail without its own vnet shares the host's). */
int model_jail_vnet(const struct m_jail *j);
/* Tear down a jail's vnet and forget the jail (vnet_if_return, then cloned ifs destroyed). */
void model_jail_destroy(struct model *m, struct m_jail *j);
struct m_jail *model_jail_new(struct model *m, const char *name, bool vnet);
/* Drop an interface's addresses and the routes through it (if_purgeaddrs, rt_flushifroutes). */
void model_if_purge(struct model *m, struct m_if *i);
/* A kernel-chosen locally administered unicast MAC. */
void model_gen_mac(struct model *m, uint8_t mac[6]);

/* The extension state object for `key` (created empty on first use; owned by the model). */
json_t *model_ext(struct model *m, const char *key);

struct model_ext_ops {
	const char *key;
	/* A jail's vnet is being torn down (before its interfaces are returned/destroyed). */
	void (*vnet_teardown)(struct model *m, int vnet);
	/* Interface i is about to be removed (destroyed). */
	void (*if_removed)(struct model *m, const struct m_if *i);
	/* The observable part of the extension's state for model_dump (NULL: its raw state). */
	json_t *(*dump)(const struct model *m);
	/* Kernel module `module` is being unloaded (kldunload by the administrator). */
	void (*kmod_unload)(struct model *m, const char *module);
};

/* ---------------------------------------------------------------- kernel modules */

/*
 * The modules the model knows: if_epair, if_bridge, ng_socket, ng_eiface, ng_bridge,
 * ng_ether. A fresh model has none loaded (a freshly booted GENERIC kernel loads them on
 * demand only): SIOCIFCREATE2 of an unloaded cloner is EINVAL (if_clone.c
 * if_clone_create), netgraph needs ng_socket for its control socket.
 */
bool model_kmod_loaded(const struct model *m, const char *module);
/*
 * kldload(2) of `module` (kern_linker.c kern_kldload, linker_load_module): -m->kld_refuse
 * when loading is refused, -EEXIST when loaded, -ENOENT when the model knows no such
 * module; else 0, loaded.
 */
int model_kmod_load(struct model *m, const char *module);
/* Mark `module` loaded or not (no side effects). */
void model_kmod_set(struct model *m, const char *module, bool loaded);

/* ---------------------------------------------------------------- control (tests, modelctl) */

/* kldload (loaded) or kldunload `module` ("all": every module), by the administrator. */
int model_ctl_kld(const char *module, bool loaded);
/* Make kldload(2) fail with err (EPERM: as in a jail or at securelevel > 0); 0: allow. */
int model_ctl_kld_refuse(int err);
/* The loaded modules, space-separated, into buf. */
int model_ctl_kld_list(char *buf, size_t len);

/* Forget everything: host vnet with lo0 only; FreeBSD 15 defaults. (In-process state, or
 * the state file when $JNET_MODEL_STATE is set.) */
int model_ctl_reset(void);
/* Run fn on the locked, loaded state and save it (not counted as a primitive call). */
int model_ctl(int (*fn)(struct model *m, void *arg), void *arg);

/* Observable state as JSON (no internal ids or counters): for dumps and equality tests. */
json_t *model_dump(const struct model *m);
/* Dump of the current state (locked). Caller owns the reference. */
json_t *model_ctl_dump(void);

/* Primitive calls made by this process so far; and set a fault (k >= 1, errno), k = 0 off. */
long model_calls(void);
void model_set_fault(long k, int err);
/*
 * $JNET_MODEL_GROW=K, or model_set_grow(K) (0: off): if call K of this process is a group
 * list (SIOCGIFGMEMB of a group that has members, SIOCGIFGROUP), somebody adds a member
 * between its size query and its fetch, and it fails with EINVAL, as if.c does then
 * (traced as a line "PID K GREW"). "K+": every group list from call K on.
 */
void model_set_grow(long k);
/* Name of the last primitive that failed by injection, "" if none (for assertions). */
const char *model_fault_op(void);

#endif
