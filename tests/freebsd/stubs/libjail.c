/*
 * STUB libjail for the FreeBSD cross-build link check only (tests/freebsd/cross-build.sh):
 * every function of jail(3), so that linking jnet proves it calls nothing libjail lacks.
 * It does nothing; the binary linked with it is checked, never run. On FreeBSD jnet links
 * the system's /lib/libjail.so.1.
 */
#include <sys/param.h>
#include <errno.h>
#include <jail.h>

char jail_errmsg[JAIL_ERRMSGLEN];

static int fail(void)
{
	errno = ENOSYS;
	return -1;
}

int jail_getid(const char *name) { (void)name; return fail(); }
char *jail_getname(int jid) { (void)jid; fail(); return NULL; }
int jail_setv(int flags, ...) { (void)flags; return fail(); }
int jail_getv(int flags, ...) { (void)flags; return fail(); }
int jailparam_all(struct jailparam **jpp) { (void)jpp; return fail(); }
int jailparam_init(struct jailparam *jp, const char *name) { (void)jp; (void)name; return fail(); }
int jailparam_import(struct jailparam *jp, const char *value) { (void)jp; (void)value; return fail(); }
int jailparam_import_raw(struct jailparam *jp, void *value, size_t valuelen)
{
	(void)jp; (void)value; (void)valuelen;
	return fail();
}
int jailparam_set(struct jailparam *jp, unsigned njp, int flags) { (void)jp; (void)njp; (void)flags; return fail(); }
int jailparam_get(struct jailparam *jp, unsigned njp, int flags) { (void)jp; (void)njp; (void)flags; return fail(); }
char *jailparam_export(struct jailparam *jp) { (void)jp; fail(); return NULL; }
void jailparam_free(struct jailparam *jp, unsigned njp) { (void)jp; (void)njp; }
