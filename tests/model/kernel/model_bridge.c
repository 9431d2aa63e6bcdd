/*
 * if_bridge(4) and jail primitives of the model (fbsd_bridge_*, fbsd_jail_*). Part of the
 * kernel model (model.c).
 */
#include "model.h"
#include "model_priv.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ================================================================ if_bridge */

static int
bridge_of(struct model *m, const char *bridge, struct m_if **out)
{
	struct m_if *b = model_ifunit(m, MODEL_HOST, bridge);

	if (b == NULL)
		return -ENXIO;
	/* SIOCxDRVSPEC on an interface that is not a bridge: its driver's ioctl falls
	 * through to ether_ioctl, which answers EINVAL. */
	if (strcmp(b->kind, "bridge") != 0)
		return -EINVAL;
	*out = b;
	return 0;
}

int
fbsd_bridge_add(const char *bridge, const char *member)
{
	struct model *m;
	struct m_if *b, *i;
	bool empty = true;
	int r;

	if ((r = model_begin(&m, "BRDGADD", bridge)) < 0)
		return r;
	if ((r = bridge_of(m, bridge, &b)) < 0)
		return model_end(m, r);
	/*
	 * sys/net/if_bridge.c bridge_ioctl_add: unknown member -> ENOENT; already in this
	 * bridge -> EEXIST, in another -> EBUSY; not an Ethernet-like interface (a bridge,
	 * lo0) -> EINVAL; FreeBSD 15 with net.link.bridge.member_ifaddrs=0: a member with an
	 * IPv4/IPv6 address -> EINVAL (if_bridge(4), 15.0 release notes); the first member
	 * sets the bridge's MTU, later ones are set to it.
	 */
	if ((i = model_ifunit(m, MODEL_HOST, member)) == NULL)
		return model_end(m, -ENOENT);
	if (i->bridge == b->id)
		return model_end(m, -EEXIST);
	if (i->bridge != 0)
		return model_end(m, -EBUSY);
	if (strcmp(i->kind, "bridge") == 0 || strcmp(i->kind, "lo") == 0)
		return model_end(m, -EINVAL);
	if (m->version >= 15 && !m->member_ifaddrs && i->inaddr)
		return model_end(m, -EINVAL);
	for (int k = 0; k < m->nifs && empty; k++)
		empty = m->ifs[k].bridge != b->id;
	if (empty)
		b->mtu = i->mtu;
	else
		i->mtu = b->mtu;
	i->bridge = b->id;
	return model_end(m, 0);
}

int
fbsd_bridge_del(const char *bridge, const char *member)
{
	struct model *m;
	struct m_if *b, *i;
	int r;

	if ((r = model_begin(&m, "BRDGDEL", bridge)) < 0)
		return r;
	if ((r = bridge_of(m, bridge, &b)) < 0)
		return model_end(m, r);
	/* bridge_ioctl_del: not a member of this bridge -> ENOENT. */
	i = model_ifunit(m, MODEL_HOST, member);
	if (i == NULL || i->bridge != b->id)
		return model_end(m, -ENOENT);
	i->bridge = 0;
	return model_end(m, 0);
}

int
fbsd_bridge_members(const char *bridge, char (*names)[JNET_IFNAMSIZ], int max)
{
	struct model *m;
	struct m_if *b;
	int r, n = 0;

	if ((r = model_begin(&m, "BRDGGIFS", bridge)) < 0)
		return r;
	if ((r = bridge_of(m, bridge, &b)) < 0)
		return model_end(m, r);
	for (int k = 0; k < m->nifs; k++) {
		if (m->ifs[k].bridge != b->id)
			continue;
		if (n < max)
			jnet_strlcpy(names[n], m->ifs[k].name, JNET_IFNAMSIZ);
		n++;
	}
	model_trace_list(n);
	return model_end(m, n);
}

int
fbsd_bridge_has_member(const char *bridge, const char *member)
{
	struct model *m;
	struct m_if *b, *i;
	int r;

	if ((r = model_begin(&m, "BRDGGIFFLGS", bridge)) < 0)
		return r;
	if ((r = bridge_of(m, bridge, &b)) < 0)
		return model_end(m, r);
	/* bridge_ioctl_gifflags: not a member -> ENOENT (the primitive answers 0). */
	i = model_ifunit(m, MODEL_HOST, member);
	return model_end(m, i != NULL && i->bridge == b->id ? 1 : 0);
}

int
fbsd_bridge_member_ifaddrs(bool *allowed)
{
	struct model *m;
	int r;

	if ((r = model_begin(&m, "sysctl", "net.link.bridge.member_ifaddrs")) < 0)
		return r;
	/* 14 has no such sysctl and no such check (the primitive answers "allowed"). */
	*allowed = m->version < 15 || m->member_ifaddrs;
	return model_end(m, 0);
}

/* ================================================================ jails */

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int
fbsd_jail_getid(const char *spec, int *jid, bool *dying)
{
	struct model *m;
	struct m_jail *j;
	int r;

	if ((r = model_begin(&m, "jail_get", spec)) < 0)
		return r;
	/*
	 * jail_get(2) with JAIL_DYING: by "jid" (a number) or "name"; a dying jail is found
	 * (and says dying=1), a live one of the same name is preferred (prison_find_name).
	 * Nothing: ENOENT.
	 */
	if (all_digits(spec))
		j = model_jail_byjid(m, atoi(spec));
	else
		j = model_jail_byname(m, spec, true);
	if (j == NULL)
		return model_end(m, -ENOENT);
	*jid = j->jid;
	*dying = j->dying;
	return model_end(m, 0);
}

/*
 * jail_set(2) JAIL_CREATE, as sys/kern/kern_jail.c kern_jail_set: a name with dots names
 * a child of the jail named by the part before the last dot, which must exist and be alive
 * (else ENOENT, "jail \"%s\" not found" / "is dying"); the last part must not be numeric
 * (EINVAL, "name cannot be numeric (unless it is the jid)"); a live sibling of that name
 * -> EEXIST. The creator's own children.max chain is checked (prison0's: 999999), not
 * the parent's: the host can create children in a parent with children.max=0.
 */
static int
jail_create(const char *op, const char *name, bool vnet, const char *hostname, int *jid)
{
	const char *dot = strrchr(name, '.');
	struct model *m;
	struct m_jail *j, *p = NULL;
	int r;

	if ((r = model_begin(&m, op, name)) < 0)
		return r;
	if (name[0] == '\0' || all_digits(dot ? dot + 1 : name) || (dot && dot[1] == '\0'))
		return model_end(m, -EINVAL);
	if (dot != NULL) {
		char pname[JNET_JAILNAMSIZ];

		snprintf(pname, sizeof(pname), "%.*s", (int)(dot - name), name);
		if ((p = model_jail_byname(m, pname, false)) == NULL)
			return model_end(m, -ENOENT);
	}
	if (model_jail_byname(m, name, false) != NULL)
		return model_end(m, -EEXIST);
	j = model_jail_new(m, name, vnet);
	j->parent = p ? p->jid : 0;
	jnet_strlcpy(j->hostname, hostname, sizeof(j->hostname));
	*jid = j->jid;
	return model_end(m, 0);
}

int
fbsd_jail_create_vnet(const char *name, int *jid)
{
	/* A new jail's host.hostname is its parent's (kern_jail.c: inherited); labs do not
	 * look at a vnet jail's hostname, so the model leaves it empty. */
	return jail_create("jail_set", name, true, "", jid);
}

int
fbsd_jail_create_parent(const char *name, const char *hostname, int *jid)
{
	return jail_create("jail_set", name, false, hostname, jid);
}

int
fbsd_jail_remove(int jid)
{
	struct model *m;
	struct m_jail *j;
	int r;

	/*
	 * sys/kern/kern_jail.c sys_jail_remove: unknown -> EINVAL; "Silently ignore
	 * already-dying prisons" -> 0. A live jail with nothing holding it (the model has no
	 * processes) goes at once: its vnet is torn down (model_jail_destroy). Jails that
	 * linger dying are made with jnet-modelctl jail-kill.
	 */
	if ((r = model_begin_jail(&m, "jail_remove", jid, &j, -EINVAL)) < 0)
		return r;
	if (!j->dying)
		model_jail_destroy(m, j);
	return model_end(m, 0);
}
