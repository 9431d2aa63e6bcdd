/*
 * The FreeBSD primitive for kernel modules (see fbsd.h): what ifconfig(8) does before it
 * clones an interface (sbin/ifconfig/ifconfig.c ifmaybeload, FreeBSD 14): modfind(2),
 * and kldload(2) when the module is not there. Compiled on FreeBSD only.
 */
#include <sys/param.h>
#include <sys/module.h>
#include <sys/linker.h>

#include <errno.h>

#include "fbsd.h"

int
fbsd_kld_ensure(const char *module)
{
	if (modfind(module) >= 0)
		return 0;
	/* kern_linker.c kern_kldload: EPERM at securelevel > 0 or without PRIV_KLD_LOAD
	 * (in a jail, not root); EEXIST when the file is loaded (by somebody meanwhile). */
	if (kldload(module) >= 0 || errno == EEXIST)
		return 0;
	return -errno;
}
