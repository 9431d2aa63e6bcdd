/*
 * The FreeBSD common layer: marking a new interface as jnet's (both backends make one
 * and mark it before anything else can fail: see the tops of epair.c and netgraph.c).
 */
#include "common.h"

int
fbc_mark_new(const char *ifname, const char *tag, struct jnet_err *e)
{
	int r;

	if ((r = fbsd_if_add_group(ifname, FBC_GROUP)) < 0)
		return fbc_kerr(e, r, ifname, "SIOCAIFGROUP %s", FBC_GROUP);
	if ((r = fbsd_if_set_descr(ifname, tag)) < 0)
		return fbc_kerr(e, r, ifname, "SIOCSIFDESCR");
	return 0;
}
