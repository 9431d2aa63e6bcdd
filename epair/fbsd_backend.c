#include "fbsd_backend.h"
#include "fbsd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
fbb_kerr(struct jnet_err *e, int r, const char *obj, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return jnet_err_sys(e, r < 0 ? -r : r, obj, "%s", what);
}

bool
fbb_gone(int r)
{
	return r == -ENXIO || r == -ENODEV;
}

int
fbb_jail_open(void *priv, const char *spec, unsigned flags, struct jnet_jail *j,
    struct jnet_err *e)
{
	bool dying = false;
	int r, jid = -1;

	(void)priv;
	/* libjail reads an all-digit string as a JID: only a spec (-J) may be one. */
	if (!(flags & JNET_JAIL_SPEC) && spec[0] != '\0' &&
	    strspn(spec, "0123456789") == strlen(spec))
		return jnet_err_set(e, EINVAL, spec,
		    "a jail name cannot be a number (give a JID with -J)");
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->jid = -1;
	jnet_strlcpy(j->name, spec, sizeof(j->name));
	r = fbsd_jail_getid(spec, &jid, &dying);
	if (r == -ENOENT)
		return 0; /* no such jail (yet) */
	if (r < 0)
		return fbb_kerr(e, r, spec, "jail_get");
	j->exists = true;
	j->dying = dying;
	j->jid = jid;
	return 0;
}

void
fbb_jail_close(void *priv, struct jnet_jail *j)
{
	(void)priv;
	(void)j;
}
