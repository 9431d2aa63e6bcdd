/*
 * STUB for the FreeBSD cross-build link check only (tests/freebsd/cross-build.sh): a
 * stand-in for FreeBSD's <jail.h> (libjail), which Zig does not ship. On FreeBSD jnet is
 * built against the system's own /usr/include/jail.h; this file is never used there.
 *
 * Written for jnet from the interface documented in jail(3). Like the real header it needs
 * <sys/param.h> (size_t, __BEGIN_DECLS) included before it, so a source that forgets that
 * fails here as it would on FreeBSD.
 */
#ifndef _JAIL_H
#define _JAIL_H

/* jailparam_set/jailparam_get/jail_setv flags (jail(3)); JAIL_CREATE etc. are <sys/jail.h>'s. */
#define JP_RAWVALUE 0x01
#define JP_BOOL 0x02
#define JP_NOBOOL 0x04
#define JP_JAILSYS 0x08

#define JAIL_ERRMSGLEN 1024

extern char jail_errmsg[];

struct jailparam {
	char *jp_name;
	void *jp_value;
	size_t jp_valuelen;
	size_t jp_elemlen;
	int jp_ctltype;
	int jp_structtype;
	unsigned jp_flags;
};

__BEGIN_DECLS
int jail_getid(const char *name);
char *jail_getname(int jid);
int jail_setv(int flags, ...);
int jail_getv(int flags, ...);
int jailparam_all(struct jailparam **jpp);
int jailparam_init(struct jailparam *jp, const char *name);
int jailparam_import(struct jailparam *jp, const char *value);
int jailparam_import_raw(struct jailparam *jp, void *value, size_t valuelen);
int jailparam_set(struct jailparam *jp, unsigned njp, int flags);
int jailparam_get(struct jailparam *jp, unsigned njp, int flags);
char *jailparam_export(struct jailparam *jp);
void jailparam_free(struct jailparam *jp, unsigned njp);
__END_DECLS

#endif /* !_JAIL_H */
