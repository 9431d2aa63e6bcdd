/*
 * fbc_: what the two FreeBSD backends (epair/, netgraph/) share above the primitives seam
 * (fbsd.h). Built on every system into jnet_fbsdcommon, which both backends link; like the
 * backends it reaches the kernel through fbsd.h only (real on FreeBSD, the model on Linux).
 *
 *   common.c       errors, jails, lists, one host interface, bridges' members, moves
 *   common_lab.c   the lab operations (jails, addresses, routes, forwarding, exec)
 *
 * Conventions as backend.h: 0 or -errno with `e` filled (unless a function says
 * otherwise), never prints.
 */
#ifndef JNET_FBSD_COMMON_H
#define JNET_FBSD_COMMON_H

#include "backend.h"
#include "fbsd.h"

#define FBC_GROUP     "jnet"  /* interface group of everything jnet creates */
#define FBC_MAXGROUPS 32

/* ---------------------------------------------------------------- errors */

/* Fill e with "<what>: <strerror(-r)>" about obj; returns -|r|. */
int fbc_kerr(struct jnet_err *e, int r, const char *obj, const char *fmt, ...) JNET_PRINTF(4, 5);
/* The interface is not there (any more): ENXIO or ENODEV from an ifnet ioctl. */
bool fbc_gone(int r);

/* ---------------------------------------------------------------- kernel modules */

/*
 * Make sure kernel module `module` is loaded (fbsd_kld_ensure: modfind, else kldload, as
 * ifconfig(8) does), once per command: *done (the backend's, per open) remembers it.
 * A refused load (EPERM: inside a jail, securelevel > 0, not root) gets a message that
 * names the module and the fix.
 */
int fbc_kld(const char *module, bool *done, struct jnet_err *e);

/* ---------------------------------------------------------------- lists */

/*
 * The kernel's lists are read into a buffer of `max` elements and answer how many there
 * are, which may be more (the list grew meanwhile): ask again with room until it fits.
 * fill(v, max, arg) fills up to max elements of `size` bytes and returns how many there
 * are, or -errno. Returns the count and *out (allocated, the caller frees it; NULL on
 * error), or -ENOMEM, or fill's -errno. Does not fill an error.
 */
int fbc_fetch(size_t size, int cap, int (*fill)(void *v, int max, void *arg), void *arg,
    void **out);

/*
 * Group lists take two ioctls (the size, then the list); if the list grows in between the
 * second answers EINVAL (sys/net/if.c if_getgroupmembers, if_getgroup). fbc_group_list
 * and fbc_if_groups then ask again, at most FBC_GREW_TRIES times in all.
 */
#define FBC_GREW_TRIES 8

/* fbsd_if_groups, asked again while the list grows under it. */
int fbc_if_groups(const char *name, char (*groups)[JNET_IFNAMSIZ], int max);

/* The names in interface group `group` of the host (allocated, *n set). */
int fbc_group_list(const char *group, char (**out)[JNET_IFNAMSIZ], int *n,
    struct jnet_err *e);

/*
 * One step of a backend's link_list: get(priv, name) (its link_get) and, when that is a
 * jnet link, cb. A name that went meanwhile (-ENODEV) or is not a link (-EPERM) is
 * skipped: 0. Otherwise get's or cb's answer.
 */
int fbc_link_visit(int (*get)(void *, const char *, struct jnet_link_info *, struct jnet_err *),
    void *priv, const char *name, int (*cb)(const struct jnet_link_info *, void *), void *arg,
    struct jnet_err *e);

/* ---------------------------------------------------------------- jails */

/* backend jail_open / jail_close: a jail by name (a JID only with JNET_JAIL_SPEC). */
int fbc_jail_open(void *priv, const char *s, unsigned flags, struct jnet_jail *j,
    struct jnet_err *e);
void fbc_jail_close(void *priv, struct jnet_jail *j);
/* A jail's JID by name: -ENOENT ("no such jail") when there is none. */
int fbc_jid_of(const char *jail, int *jid, bool *dying, struct jnet_err *e);

/* Every jail, dying ones too (allocated): the count, or -errno (e not filled). */
int fbc_jails(struct fbsd_jail_info **out);

/*
 * Is the jail end `ifname` of a link of jail `jail`, not on the host, inside an older
 * instance of the jail (stale: the jail was restarted while the old one is dying)? The
 * host's facts decide: only when a live jail and a dying jail of that name both exist
 * (JIDs) can it be; then it is unless the live jail shows an interface of that name. What
 * a jail shows is a hint only: a jail that hides its end gets its own link replaced, one
 * that shows a forged one keeps its stale link; neither touches anything else.
 * Returns 1 stale (*old_jid: the dying jail's JID), 0 not, -errno (e filled).
 */
int fbc_stale(const char *jail, const char *ifname, int *old_jid, struct jnet_err *e);

/* ---------------------------------------------------------------- one interface */

/* What the host knows of one of its interfaces. */
struct fbc_if {
	char name[JNET_IFNAMSIZ];
	char descr[JNET_TAGSIZ];  /* "" when none (or longer than any tag) */
	bool jnet, epair, bridge, vlan; /* groups (not read: all false, FBC_READ_NOGROUPS) */
	bool up;
	unsigned flags;           /* the flags word (fbsd_if_get_flags) */
	bool has_mac;
	uint8_t mac[6];
	unsigned mtu;
};

/*
 * Read interface `name` of the host: 0, -ENODEV (e filled) if there is none, or -errno.
 * Description, groups, flags, MAC and MTU; fbc_read_if_mtu without the MTU when `mtu` is
 * false (a link end: struct jnet_link_info has none). No if_index (nothing uses it).
 */
int fbc_read_if(const char *name, struct fbc_if *x, struct jnet_err *e);
int fbc_read_if_mtu(const char *name, bool mtu, struct fbc_if *x, struct jnet_err *e);
/* The same, what `what` says (FBC_READ_*: fbc_read_if_mtu(name, true) is FBC_READ_MTU). */
#define FBC_READ_MTU      0x1  /* SIOCGIFMTU too */
#define FBC_READ_NOGROUPS 0x2  /* no SIOCGIFGROUP: the caller decides by the tag alone */
int fbc_read_if_what(const char *name, unsigned what, struct fbc_if *x, struct jnet_err *e);
/*
 * Is it a jnet object of `kind`: jnet_ownership() (tag.h) over its description, group and
 * name; `expect` is the name jnet would have given it untagged (its kernel name in the
 * crash window), NULL if none.
 */
enum jnet_own fbc_owner(const struct fbc_if *x, enum jnet_tag_kind kind, const char *expect,
    struct jnet_tag *t);
/* Fill a struct jnet_ifinfo from x (master left ""). */
void fbc_ifinfo(const struct fbc_if *x, struct jnet_ifinfo *out);

/* backend if_set_up: set a host interface up or down (an uplink given back). */
int fbc_if_set_up(void *priv, const char *ifname, bool up, struct jnet_err *e);
/* backend if_ensure_up: set a host interface up if it is not (never toggles). */
int fbc_if_ensure_up(void *priv, const char *ifname, struct jnet_err *e);
/* SIOCSIFDESCR on a host interface ("no such interface" as ENODEV). */
int fbc_if_set_descr(const char *ifname, const char *descr, struct jnet_err *e);
/* A new interface made jnet's: into group jnet, then tagged (common_mark.c). */
int fbc_mark_new(const char *ifname, const char *tag, struct jnet_err *e);
/* SIOCSIFMTU, with the error message. */
int fbc_if_set_mtu(const char *ifname, unsigned mtu, struct jnet_err *e);

/*
 * A new host interface jnet makes (a bridge, a vlan): module `module` loaded (*kld_done as
 * fbc_kld), SIOCIFCREATE2 of `cloner`, group jnet, the tag `tag` (NULL: the caller sets
 * it later), renamed `name` (EEXIST: "exists"). `cur` holds its name as it stands; on
 * failure it is destroyed again. fbc_clone_finish: the last step, up (r: the steps in
 * between, 0 or -errno), and the interface destroyed when r or that failed.
 */
int fbc_clone_new(const char *module, bool *kld_done, const char *cloner, const char *name,
    const char *tag, char cur[JNET_IFNAMSIZ], struct jnet_err *e);
int fbc_clone_finish(const char *cur, int r, struct jnet_err *e);

/* common_vlan.c: jnet's vlan(4) interface `name`, VLAN `vid` of `parent`, tagged and up
 * (backend vlan_create; *kld_done: if_vlan known loaded in this command). */
int fbc_vlan_create(const char *name, const char *parent, int vid, const char *tag,
    bool *kld_done, struct jnet_err *e);
/* backend vlan_destroy: SIOCIFDESTROY (gone: 0). */
int fbc_vlan_destroy(void *priv, const char *name, struct jnet_err *e);

/*
 * The if_bridge(4) `member` is a member of ("" if none): no ioctl names an interface's
 * bridge, so the members of the interfaces in group "bridge" are walked (BRDGGIFFLGS
 * per bridge): O(bridges).
 */
int fbc_if_bridge(const char *member, char out[JNET_IFNAMSIZ], struct jnet_err *e);

/* ---------------------------------------------------------------- moves */

/*
 * Move host interface `name` into jail j (SIOCSIFVNET, errors explained), and set it up
 * in there when `up` (the move set it down). On failure it is back on the host.
 */
int fbc_into_jail(const char *name, const struct jnet_jail *j, bool up, struct jnet_err *e);
/* The same for a caller that read the interface's flags word in this command (`flags`,
 * IFF_UP decides): the jail's end is set up with one SIOCSIFFLAGS, no read first. */
int fbc_into_jail_flags(const char *name, const struct jnet_jail *j, unsigned flags,
    struct jnet_err *e);
/*
 * Bring interface `name` home from jail `jid` (called `jail` in messages) as jnet made it:
 * in group jnet, up if it was up in the jail (a dying jail cannot be asked: down). On
 * failure it is back in the jail. Refused (EEXIST) when the host has an interface of that
 * name: SIOCSIFRVNET does not check (FreeBSD PR 185619) and two would share it.
 */
int fbc_from_jail(const char *name, int jid, const char *jail, bool dying,
    struct jnet_err *e);
/* The same once the caller checked fbc_home_free and knows its up/down state in the jail
 * (read earlier in the same command): no second look inside the jail. */
int fbc_from_jail_up(const char *name, int jid, const char *jail, bool up,
    struct jnet_err *e);
/*
 * The same, for a caller that saw in this command that the host has no interface of that
 * name (`host_free`: no SIOCGIFINDEX again): the flags word is read inside the jail and
 * written back on the host with one SIOCSIFFLAGS (the move cleared IFF_UP only).
 */
int fbc_from_jail_known(const char *name, int jid, const char *jail, bool dying,
    bool host_free, struct jnet_err *e);
/* Refuse (EEXIST) to bring `name` home from jail `jail` when the host has one of that name. */
int fbc_home_free(const char *name, const char *jail, struct jnet_err *e);

/* ---------------------------------------------------------------- labs (common_lab.c) */

int fbc_jail_create(void *priv, const char *name, const char *tag, struct jnet_err *e);
int fbc_jail_tag(void *priv, const char *name, char *tag, size_t len, struct jnet_err *e);
/* Remove jail `name` after inner(jid, name, e) has removed the backend's interfaces in it
 * (inner may be NULL), then its lab parent when that was its last child. */
int fbc_lab_jail_destroy(const char *name,
    int (*inner)(int jid, const char *name, struct jnet_err *e), struct jnet_err *e);
int fbc_jail_list(void *priv, const char *prefix,
    int (*cb)(const char *, const char *, void *), void *arg, struct jnet_err *e);
int fbc_addr_add(void *priv, const struct jnet_jail *j, const char *ifname, int family,
    const uint8_t *addr, int prefix, struct jnet_err *e);
int fbc_addr_list(void *priv, const struct jnet_jail *j, const char *ifname,
    int (*cb)(const char *, int, const uint8_t *, int, void *), void *arg,
    struct jnet_err *e);
int fbc_jail_if_get(void *priv, const struct jnet_jail *j, const char *ifname,
    struct jnet_ifinfo *out, struct jnet_err *e);
int fbc_route_list(void *priv, const struct jnet_jail *j,
    int (*cb)(int, const uint8_t *, int, const uint8_t *, void *), void *arg,
    struct jnet_err *e);
int fbc_route_add(void *priv, const struct jnet_jail *j, int family, const uint8_t *dst,
    int prefix, const uint8_t *via, struct jnet_err *e);
int fbc_forwarding(void *priv, const struct jnet_jail *j, bool on, struct jnet_err *e);
int fbc_jail_exec(void *priv, const struct jnet_jail *j, char *const argv[], bool *entered,
    struct jnet_err *e);

/* The lab ops both FreeBSD backends take from here as they are (in a
 * struct jnet_lab_ops initializer). */
#define FBC_SHARED_LAB_OPS \
	.jail_tag = fbc_jail_tag, .jail_list = fbc_jail_list, .addr_add = fbc_addr_add, \
	.addr_list = fbc_addr_list, .jail_if_get = fbc_jail_if_get, \
	.route_list = fbc_route_list, .route_add = fbc_route_add, \
	.forwarding = fbc_forwarding, .jail_exec = fbc_jail_exec

/* ---------------------------------------------------------------- ipMasq (common_pf.c) */

#define FBC_MASQ_TABLE "cni-nat"  /* FreeBSD's CNI plugins' table (pfctl -t cni-nat) */
#define FBC_MASQ_MARK  "jnet-"    /* jnet's record of what it added to table T: "jnet-T" */

/* backend masq: see backend.h and docs/cni.md "ipMasq on FreeBSD (pf)". */
int fbc_masq(void *priv, bool add, const char *table, const char *network,
    const char *container_id, int family, const uint8_t *addr, int prefix,
    struct jnet_err *e);

#endif
