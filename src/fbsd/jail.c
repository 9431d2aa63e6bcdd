/*
 * The FreeBSD primitives for jails (see fbsd.h): one libjail call / jail system call each.
 * Compiled on FreeBSD only; linked with -ljail.
 */
#include <sys/param.h>
#include <sys/jail.h>
#include <sys/uio.h>

#include <errno.h>
#include <jail.h>
#include <limits.h>
#include <stdint.h>
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

static void
iov_set(struct iovec *iov, const char *name, void *val, size_t len)
{
	iov[0].iov_base = (void *)(uintptr_t)name;
	iov[0].iov_len = strlen(name) + 1;
	iov[1].iov_base = val;
	iov[1].iov_len = len;
}

int
fbsd_jail_getid(const char *spec, int *jid, bool *dying)
{
	struct iovec iov[8];
	char errmsg[256] = "", name[MAXHOSTNAMELEN];
	int id = 0, dy = 0, n = 0, r;

	/*
	 * One jail_get(2) with JAIL_DYING (jail(2)), keyed by "jid" (all digits) or by "name"
	 * with "jid" 0 (kern_jail.c kern_jail_get: a jid of 0 falls through to the name); the
	 * kernel fills "jid" and "dying" (an int, jls -d). Straight to the system call:
	 * libjail's jailparam_init would first look each parameter's type up with sysctls.
	 */
	if (all_digits(spec)) {
		char *end;
		long v = strtol(spec, &end, 10);

		if (*end != '\0' || v <= 0 || v > INT_MAX)
			return -ENOENT;
		id = (int)v;
	} else {
		if (strlcpy(name, spec, sizeof(name)) >= sizeof(name))
			return -ENOENT;
		iov_set(&iov[n], "name", name, strlen(name) + 1);
		n += 2;
	}
	iov_set(&iov[n], "jid", &id, sizeof(id));
	n += 2;
	iov_set(&iov[n], "dying", &dy, sizeof(dy));
	n += 2;
	iov_set(&iov[n], "errmsg", errmsg, sizeof(errmsg));
	n += 2;
	r = jail_get(iov, (unsigned)n, JAIL_DYING);
	if (r < 0)
		return -(errno ? errno : ENOENT);
	*jid = r;
	*dying = dy != 0;
	return 0;
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
