/*
 * The ifnet primitives of the model (fbsd_if_*: cloners, flags, MAC, MTU, description,
 * groups, vnet moves). Part of the kernel model (model.c).
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

#define IF_MINMTU 72       /* sys/net/if.h */
#define IF_MAXMTU 65535
/* sys/net/if_epair.c epair_ioctl SIOCSIFMTU (FreeBSD 14): "We basically allow all kinds
 * of MTUs": only ifhwioctl's IF_MINMTU..IF_MAXMTU bound applies. */
#define EPAIR_MAXMTU IF_MAXMTU
/* sys/netgraph/ng_eiface.h (FreeBSD 14): NG_EIFACE_MTU_MIN 72, NG_EIFACE_MTU_MAX
 * ETHER_MAX_LEN_JUMBO (9018), checked by ng_eiface.c ng_eiface_ioctl SIOCSIFMTU. */
#define EIFACE_MINMTU 72
#define EIFACE_MAXMTU 9018

/* ================================================================ ifnet primitives */

/*
 * Begins primitive OP on interface NAME in the vnet of jail JID (FBSD_HOST: the host's,
 * where the call does not fork): *M, *I. Below 0 it has ended and that is the answer: an
 * unknown or dying jail EINVAL (model_op_vnet), an unknown name ENXIO (sys/net/if.c ifioctl:
 * ifunit_ref).
 */
static int
if_op(struct model **m, struct m_if **i, const char *op, const char *name, int jid)
{
	int r, vnet;

	if ((r = model_begin_in(m, op, name, jid, jid != FBSD_HOST)) < 0)
		return r;
	if ((r = model_op_vnet(*m, jid, false, &vnet)) < 0)
		return model_end(*m, r);
	if ((*i = model_ifunit(*m, vnet, name)) == NULL)
		return model_end(*m, -ENXIO);
	return 0;
}

/*
 * sys/net/if_clone.c ifc_name2unit: "epair" (any unit: *UNIT -1) or "epair5"; no leading
 * 0. WANT gets the cloner's name.
 */
static int
cloner_parse(const char *cloner, char want[64], int *unit)
{
	const char *digits;
	size_t plen;

	for (digits = cloner; *digits && !isdigit((unsigned char)*digits); digits++)
		;
	plen = (size_t)(digits - cloner);
	*unit = -1;
	if (*digits != '\0') {
		if (digits[0] == '0' && digits[1] != '\0')
			return -EINVAL;
		for (const char *p = digits; *p; p++)
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
		*unit = atoi(digits);
	}
	if (plen >= 64)
		return -EINVAL;
	memcpy(want, cloner, plen);
	want[plen] = '\0';
	return 0;
}

/* epair_clone_create: both ends, cross-referenced, down, with kernel MACs. */
struct m_if *
model_epair_make(struct model *m, const char *an, const char *bn, int unit)
{
	struct m_if *a, *b;
	int aid;

	a = model_if_new(m, MODEL_HOST, an, "epair", true, unit);
	a->has_mac = true;
	model_gen_mac(m, a->mac);
	aid = a->id;
	b = model_if_new(m, MODEL_HOST, bn, "epair", true, unit);
	b->has_mac = true;
	model_gen_mac(m, b->mac);
	a = model_if_byid(m, aid);
	a->peer = b->id;
	b->peer = a->id;
	return a;
}

int
fbsd_if_create(const char *cloner, char name[JNET_IFNAMSIZ])
{
	char want[64], base[80], ends[2][96];
	struct model *m;
	struct m_if *a;
	int r, unit;

	if ((r = model_begin(&m, "SIOCIFCREATE2", cloner)) < 0)
		return r;
	if ((r = cloner_parse(cloner, want, &unit)) < 0)
		return model_end(m, r);
	/* if_clone_create: an unknown cloner is EINVAL. The model knows epair and bridge,
	 * each while its module (if_epair, if_bridge) is loaded: the kernel has no cloner
	 * before that, and only ifconfig(8) loads it (ifmaybeload). */
	if ((strcmp(want, "epair") != 0 && strcmp(want, "bridge") != 0 &&
	    strcmp(want, "vlan") != 0) || !model_kmod_loaded(m, strcmp(want, "epair") == 0 ?
	    "if_epair" : strcmp(want, "vlan") == 0 ? "if_vlan" : "if_bridge"))
		return model_end(m, -EINVAL);

	/*
	 * sys/net/if_clone.c ifc_alloc_unit_next / _specific: a unit is taken while an
	 * interface made with it exists (renamed or moved or not: ifc_free_unit runs on
	 * destroy), and a unit whose plain name ("epair3") is in use is skipped (wildcard)
	 * or refused with EEXIST (specific). Units are per cloner and per vnet (the cloner
	 * is attached per vnet: vnet_epair_init); jnet creates on the host only.
	 */
	for (int u = unit < 0 ? 0 : unit;; u++) {
		bool held = false;

		for (int k = 0; k < m->nifs && !held; k++)
			held = m->ifs[k].cloned && m->ifs[k].home == MODEL_HOST &&
			    strcmp(m->ifs[k].kind, want) == 0 && m->ifs[k].unit == u;
		snprintf(base, sizeof(base), "%s%d", want, u);
		if (!held && model_ifunit(m, MODEL_HOST, base) == NULL) {
			unit = u;
			break;
		}
		if (unit >= 0)
			return model_end(m, -EEXIST);
	}
	if (strcmp(want, "bridge") == 0 || strcmp(want, "vlan") == 0) {
		/* if_vlan.c vlan_clone_create without parameters: an unconfigured vlanN whose
		 * address is all zeros until SIOCSETVLAN gives it its parent's. */
		if (strlen(base) >= JNET_IFNAMSIZ)
			return model_end(m, -ENOSPC);
		a = model_if_new(m, MODEL_HOST, base, want, true, unit);
		a->has_mac = true;
		model_gen_mac(m, a->mac);
		jnet_strlcpy(name, base, JNET_IFNAMSIZ);
		return model_end(m, 0);
	}
	/*
	 * sys/net/if_epair.c epair_handle_unit: room for the [ab] suffix or ENOSPC; EEXIST
	 * when "epairNb" or "epairNa" already exists (e.g. a renamed foreign interface) --
	 * without trying another unit.
	 */
	if (strlen(base) + 1 >= JNET_IFNAMSIZ)
		return model_end(m, -ENOSPC);
	snprintf(ends[0], sizeof(ends[0]), "%sa", base);
	snprintf(ends[1], sizeof(ends[1]), "%sb", base);
	if (model_ifunit(m, MODEL_HOST, ends[1]) != NULL ||
	    model_ifunit(m, MODEL_HOST, ends[0]) != NULL)
		return model_end(m, -EEXIST);
	model_epair_make(m, ends[0], ends[1], unit);
	jnet_strlcpy(name, ends[0], JNET_IFNAMSIZ);
	return model_end(m, 0);
}

int
fbsd_if_destroy(const char *name)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = model_begin(&m, "SIOCIFDESTROY", name)) < 0)
		return r;
	/* if_clone_destroy: ifunit_ref -> ENXIO; no cloner for the interface -> EINVAL. */
	if ((i = model_ifunit(m, MODEL_HOST, name)) == NULL)
		return model_end(m, -ENXIO);
	if (!i->cloned)
		return model_end(m, -EINVAL);
	model_clone_destroy(m, i);
	return model_end(m, 0);
}

int
fbsd_if_rename(const char *name, const char *newname)
{
	struct model *m;
	int r;

	if ((r = model_begin(&m, "SIOCSIFNAME", name)) < 0)
		return r;
	return model_end(m, model_rename(m, MODEL_HOST, name, newname));
}

int
model_rename(struct model *m, int vnet, const char *name, const char *newname)
{
	struct m_if *i;

	if ((i = model_ifunit(m, vnet, name)) == NULL)
		return -ENXIO;
	/* sys/net/if.c ifhwioctl SIOCSIFNAME: copyinstr(.., IFNAMSIZ) -> ENAMETOOLONG. */
	if (strlen(newname) >= JNET_IFNAMSIZ)
		return -ENAMETOOLONG;
	/* if_rename: "" -> EINVAL; same name -> 0; a name in use in this vnet -> EEXIST. */
	if (newname[0] == '\0')
		return -EINVAL;
	if (strcmp(newname, i->name) == 0)
		return 0;
	if (model_ifunit(m, vnet, newname) != NULL)
		return -EEXIST;
	/* Bridge membership survives a rename (bridge_ifdetach ignores IFF_RENAMING). */
	jnet_strlcpy(i->name, newname, sizeof(i->name));
	return 0;
}

int
fbsd_if_index(int jid, const char *name, int *index)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCGIFINDEX", name, jid)) < 0)
		return r;
	*index = i->index;
	return model_end(m, 0);
}

int
fbsd_if_get_up(int jid, const char *name, bool *up)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCGIFFLAGS", name, jid)) < 0)
		return r;
	*up = i->up;
	return model_end(m, 0);
}

int
fbsd_if_set_up(int jid, const char *name, bool up)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFFLAGS", name, jid)) < 0)
		return r;
	/* The real one reads the flags first (src/fbsd/ifnet.c do_set_up): two ioctls. */
	model_trace_note("RMW", 1);
	i->up = up;
	return model_end(m, 0);
}

/* The model keeps IFF_UP only: the word is FBSD_IFF_UP or 0 (the kernel's other bits,
 * IFF_CANTCHANGE, survive any write: sys/net/if.c ifhwioctl SIOCSIFFLAGS). */
int
fbsd_if_get_flags(int jid, const char *name, unsigned *flags)
{
	bool up = false;
	int r = fbsd_if_get_up(jid, name, &up);

	if (r == 0)
		*flags = up ? FBSD_IFF_UP : 0;
	return r;
}

int
fbsd_if_set_flags(int jid, const char *name, unsigned flags)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFFLAGS", name, jid)) < 0)
		return r;
	i->up = (flags & FBSD_IFF_UP) != 0;
	return model_end(m, 0);
}

int
fbsd_if_get_mac(const char *name, uint8_t mac[6])
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "NET_RT_IFLIST", name, FBSD_HOST)) < 0)
		return r;
	if (!i->has_mac)
		return model_end(m, -ENOENT);
	memcpy(mac, i->mac, 6);
	return model_end(m, 0);
}

int
fbsd_if_set_mac(const char *name, const uint8_t mac[6])
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFLLADDR", name, FBSD_HOST)) < 0)
		return r;
	/*
	 * sys/net/if.c if_setlladdr: the length may not change (lo0 has none: EINVAL); any
	 * 6 bytes are taken for Ethernet and bridges -- the kernel does not refuse a multicast
	 * address (jnet does, before asking).
	 */
	if (!i->has_mac)
		return model_end(m, -EINVAL);
	memcpy(i->mac, mac, 6);
	return model_end(m, 0);
}

int
fbsd_if_get_mtu(int jid, const char *name, unsigned *mtu)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCGIFMTU", name, jid)) < 0)
		return r;
	*mtu = i->mtu;
	return model_end(m, 0);
}

int
fbsd_if_set_mtu(int jid, const char *name, unsigned mtu)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFMTU", name, jid)) < 0)
		return r;
	/* sys/net/if.c ifhwioctl SIOCSIFMTU: IF_MINMTU..IF_MAXMTU, and "Disallow MTU changes
	 * on bridge member interfaces" (EOPNOTSUPP). */
	if (mtu < IF_MINMTU || mtu > IF_MAXMTU)
		return model_end(m, -EINVAL);
	if (i->bridge != 0)
		return model_end(m, -EOPNOTSUPP);
	if (strcmp(i->kind, "epair") == 0 && mtu > EPAIR_MAXMTU)
		return model_end(m, -EINVAL);
	if (strcmp(i->kind, "ngeth") == 0 && (mtu < EIFACE_MINMTU || mtu > EIFACE_MAXMTU))
		return model_end(m, -EINVAL);
	i->mtu = mtu;
	/* if_bridge.c bridge_ioctl SIOCSIFMTU: members follow the bridge's MTU. */
	if (strcmp(i->kind, "bridge") == 0)
		for (int k = 0; k < m->nifs; k++)
			if (m->ifs[k].bridge == i->id)
				m->ifs[k].mtu = mtu;
	return model_end(m, 0);
}

int
model_descr_get(const struct m_if *i, char *buf, size_t len)
{
	/* sys/net/if.c ifhwioctl SIOCGIFDESCR: no description -> ENOMSG. */
	if (i->descr == NULL)
		return -ENOMSG;
	/* Too small a buffer: the kernel returns the needed length; the primitive reports
	 * ENAMETOOLONG (see src/fbsd/ifnet.c). */
	if (strlen(i->descr) + 1 > len)
		return -ENAMETOOLONG;
	memcpy(buf, i->descr, strlen(i->descr) + 1);
	return 0;
}

int
fbsd_if_get_descr(const char *name, char *buf, size_t len)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCGIFDESCR", name, FBSD_HOST)) < 0)
		return r;
	return model_end(m, model_descr_get(i, buf, len));
}

int
fbsd_if_set_descr(const char *name, const char *descr)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFDESCR", name, FBSD_HOST)) < 0)
		return r;
	/* ifhwioctl SIOCSIFDESCR: longer than net.ifdescr_maxlen (1024, with the NUL) is
	 * ENAMETOOLONG; length 0 clears (the primitive sends 0 for ""). */
	if (strlen(descr) + 1 > MODEL_DESCRMAX)
		return model_end(m, -ENAMETOOLONG);
	free(i->descr);
	i->descr = descr[0] ? strdup(descr) : NULL;
	return model_end(m, 0);
}

int
fbsd_if_add_group(const char *name, const char *group)
{
	struct model *m;
	struct m_if *i;
	size_t n = strlen(group);
	int r;

	if ((r = if_op(&m, &i, "SIOCAIFGROUP", name, FBSD_HOST)) < 0)
		return r;
	/* sys/net/if.c if_addgroup: a group name may not end in a digit (EINVAL); already a
	 * member: EEXIST. ifgr_group is IFNAMSIZ long. */
	if (n == 0 || n >= JNET_IFNAMSIZ || isdigit((unsigned char)group[n - 1]))
		return model_end(m, -EINVAL);
	return model_end(m, model_if_add_group(i, group));
}

int
fbsd_if_groups(const char *name, char (*groups)[JNET_IFNAMSIZ], int max)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCGIFGROUP", name, FBSD_HOST)) < 0)
		return r;
	if (model_grow_due()) {
		char grp[JNET_IFNAMSIZ];

		/* Somebody's `ifconfig NAME group grewN` between the size and the fetch. */
		for (int k = 0;; k++) {
			snprintf(grp, sizeof(grp), "grew%d", k);
			if (!model_if_in_group(i, grp))
				break;
		}
		model_if_add_group(i, grp);
		return model_end_dirty(m, -EINVAL);
	}
	for (int n = 0; n < i->ngroups && n < max; n++)
		jnet_strlcpy(groups[n], i->groups[n], JNET_IFNAMSIZ);
	model_trace_list(i->ngroups);
	return model_end(m, i->ngroups);
}

int
fbsd_group_members(const char *group, char (*names)[JNET_IFNAMSIZ], int max)
{
	struct model *m;
	int r, n = 0;

	if ((r = model_begin(&m, "SIOCGIFGMEMB", group)) < 0)
		return r;
	/* sys/net/if.c if_getgroupmembers: the members in this vnet (ENOENT for a group
	 * nobody is in, which the primitive reports as an empty list). */
	for (int k = 0; k < m->nifs; k++) {
		if (m->ifs[k].vnet != MODEL_HOST || !model_if_in_group(&m->ifs[k], group))
			continue;
		if (n < max)
			jnet_strlcpy(names[n], m->ifs[k].name, JNET_IFNAMSIZ);
		n++;
	}
	if (n > 0 && model_grow_due()) {
		/* Somebody adds a member between the size and the fetch: a new if_bridge for
		 * group "bridge" (`ifconfig bridge create`, which loads if_bridge), else a
		 * loopback clone put into the group (`ifconfig lo create group GROUP`). */
		bool br = strcmp(group, "bridge") == 0;
		char name[JNET_IFNAMSIZ];
		struct m_if *i;
		int unit = 900;

		/* unit stays below 100000: "bridge" + 5 digits fit the name */
		for (;; unit = (unit + 1) % 100000) {
			snprintf(name, sizeof(name), "%s%d", br ? "bridge" : "lo", unit % 100000);
			if (model_ifunit(m, MODEL_HOST, name) == NULL)
				break;
		}
		i = model_if_new(m, MODEL_HOST, name, br ? "bridge" : "lo", true, unit);
		if (br) {
			model_kmod_set(m, "if_bridge", true);
			i->has_mac = true;
			model_gen_mac(m, i->mac);
		} else {
			model_if_add_group(i, group);
		}
		return model_end_dirty(m, -EINVAL);
	}
	model_trace_list(n);
	return model_end(m, n);
}

int
fbsd_if_has_inaddr(const char *name, bool *has)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = model_begin(&m, "getifaddrs", name)) < 0)
		return r;
	if ((i = model_ifunit(m, MODEL_HOST, name)) == NULL)
		return model_end(m, -ENXIO);
	*has = i->inaddr;
	return model_end(m, 0);
}

/* ================================================================ vnet moves */

int
fbsd_if_vnet(const char *name, int jid)
{
	struct model *m;
	struct m_if *i;
	struct m_jail *j;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFVNET", name, FBSD_HOST)) < 0)
		return r;
	/*
	 * sys/net/if.c if_vmove_loan: prison_find_child finds any valid prison, dying ones
	 * included (sys/kern/kern_jail.c), else ENXIO. Same vnet (a jail without its own
	 * vnet) -> EEXIST. A name already used in the jail's vnet -> EEXIST. The source vnet
	 * shutting down -> EBUSY (never the host's).
	 */
	if ((j = model_jail_byjid(m, jid)) == NULL)
		return model_end(m, -ENXIO);
	if (model_jail_vnet(j) == i->vnet)
		return model_end(m, -EEXIST);
	if (model_ifunit(m, model_jail_vnet(j), name) != NULL)
		return model_end(m, -EEXIST);
	model_if_vmove(m, i, model_jail_vnet(j));
	return model_end(m, 0);
}

int
fbsd_if_rvnet(const char *name, int jid)
{
	struct model *m;
	struct m_if *i;
	struct m_jail *j;
	int r;

	if ((r = model_begin(&m, "SIOCSIFRVNET", name)) < 0)
		return r;
	/*
	 * sys/net/if.c if_vmove_reclaim: the prison (dying ones too) or ENXIO; the name in
	 * the prison's vnet or ENXIO; already in our vnet -> EEXIST; the jail's vnet shutting
	 * down -> EBUSY. No check for a name clash on the host.
	 */
	if ((j = model_jail_byjid(m, jid)) == NULL)
		return model_end(m, -ENXIO);
	if ((i = model_ifunit(m, model_jail_vnet(j), name)) == NULL)
		return model_end(m, -ENXIO);
	if (i->vnet == MODEL_HOST)
		return model_end(m, -EEXIST);
	if (j->shutting_down)
		return model_end(m, -EBUSY);
	model_if_vmove(m, i, MODEL_HOST);
	return model_end(m, 0);
}
