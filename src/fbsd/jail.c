/*
 * The FreeBSD primitives for jails (see fbsd.h): one libjail / jail syscall each.
 * Compiled on FreeBSD only; linked with -ljail.
 */
#include <sys/param.h>
#include <sys/jail.h>

#include <errno.h>
#include <jail.h>
#include <stdlib.h>
#include <string.h>

#include "fbsd.h"

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int
fbsd_jail_getid(const char *spec, int *jid, bool *dying)
{
	struct jailparam p[2];
	int r;

	/* One jail_get(2) with JAIL_DYING, keyed by jid or name, asking "dying" (jls -d). */
	if (jailparam_init(&p[0], all_digits(spec) ? "jid" : "name") < 0)
		return -(errno ? errno : EINVAL);
	if (jailparam_import(&p[0], spec) < 0) {
		jailparam_free(p, 1);
		return -(errno ? errno : EINVAL);
	}
	if (jailparam_init(&p[1], "dying") < 0) {
		jailparam_free(p, 1);
		return -(errno ? errno : EINVAL);
	}
	r = jailparam_get(p, 2, JAIL_DYING);
	if (r < 0) {
		r = errno ? -errno : -ENOENT;
	} else {
		*jid = r;
		*dying = p[1].jp_value != NULL && *(int *)p[1].jp_value != 0;
		r = 0;
	}
	jailparam_free(p, 2);
	return r;
}

int
fbsd_jail_create_vnet(const char *name, int *jid)
{
	int r = jail_setv(JAIL_CREATE, "name", name, "path", "/", "vnet", "new",
	    "persist", "true", (char *)NULL);

	if (r < 0)
		return -(errno ? errno : EINVAL);
	*jid = r;
	return 0;
}

int
fbsd_jail_remove(int jid)
{
	return jail_remove(jid) < 0 ? -errno : 0;
}
