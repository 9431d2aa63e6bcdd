/*
 * The model's objects: interfaces and jails (lookup, creation, destruction, vnet moves),
 * used by the primitives. Part of the kernel model (model.c).
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

/* ================================================================ helpers */

struct m_if *
model_ifunit(struct model *m, int vnet, const char *name)
{
	/*
	 * ifunit(): the first interface of that name in the vnet. Names are unique within a
	 * vnet except after if_vmove_reclaim/vnet_if_return, which do not check the
	 * destination for a clash (sys/net/if.c): then the first one wins, as in the kernel.
	 */
	for (int k = 0; k < m->nifs; k++)
		if (m->ifs[k].vnet == vnet && strcmp(m->ifs[k].name, name) == 0)
			return &m->ifs[k];
	return NULL;
}

struct m_if *
model_if_byid(struct model *m, int id)
{
	for (int k = 0; k < m->nifs; k++)
		if (m->ifs[k].id == id)
			return &m->ifs[k];
	return NULL;
}

struct m_jail *
model_jail_byjid(struct model *m, int jid)
{
	for (int k = 0; k < m->njails; k++)
		if (m->jails[k].jid == jid)
			return &m->jails[k];
	return NULL;
}

struct m_jail *
model_jail_byname(struct model *m, const char *name, bool dying_ok)
{
	struct m_jail *dead = NULL;

	/* sys/kern/kern_jail.c prison_find_name: prefer a live prison, else a dying one. */
	for (int k = 0; k < m->njails; k++) {
		if (strcmp(m->jails[k].name, name) != 0)
			continue;
		if (!m->jails[k].dying)
			return &m->jails[k];
		if (dead == NULL)
			dead = &m->jails[k];
	}
	return dying_ok ? dead : NULL;
}

int
model_jail_vnet(const struct m_jail *j)
{
	/* A jail without "vnet" shares its parent's (the host's) vnet: pr_vnet == &vnet0. */
	return j->vnet ? j->jid : MODEL_HOST;
}

/*
 * The vnet an in-jail primitive acts on. Real: fork + jail_attach(2), which refuses an
 * unknown or dying jail with EINVAL (sys/kern/kern_jail.c sys_jail_attach / do_jail_attach:
 * "Do not allow a process to attach to a prison that is not alive"). `change`: the
 * operation needs the jail's own network stack; in a jail without one the privilege check
 * fails (kern_jail.c prison_priv_check grants PRIV_NET_ADDIFADDR, PRIV_NET_ROUTE,
 * PRIV_NETINET_* only to VNET jails) -> EPERM.
 */
int
model_op_vnet(struct model *m, int jid, bool change, int *vnet)
{
	struct m_jail *j;

	if (jid == FBSD_HOST) {
		*vnet = MODEL_HOST;
		return 0;
	}
	j = model_jail_byjid(m, jid);
	if (j == NULL || j->dying)
		return -EINVAL;
	if (change && !j->vnet)
		return -EPERM;
	*vnet = model_jail_vnet(j);
	return 0;
}

bool
model_if_in_group(const struct m_if *i, const char *group)
{
	for (int n = 0; n < i->ngroups; n++)
		if (strcmp(i->groups[n], group) == 0)
			return true;
	return false;
}

int
model_if_add_group(struct m_if *i, const char *group)
{
	if (model_if_in_group(i, group))
		return -EEXIST;
	if (i->ngroups == MODEL_MAXGROUPS)
		return -ENOMEM; /* a model limit; the kernel has none */
	jnet_strlcpy(i->groups[i->ngroups++], group, JNET_IFNAMSIZ);
	return 0;
}

void
model_gen_mac(struct model *m, uint8_t mac[6])
{
	unsigned s = ++m->macseq;

	/*
	 * sys/net/if_epair.c epair_generate_mac / _byname and if_bridge's random address:
	 * the kernel picks a locally administered unicast address. The model numbers them.
	 */
	mac[0] = 0x02;
	mac[1] = 0x4d; /* 'M' for model */
	mac[2] = (uint8_t)(s >> 24);
	mac[3] = (uint8_t)(s >> 16);
	mac[4] = (uint8_t)(s >> 8);
	mac[5] = (uint8_t)s;
}

static int
index_alloc(const struct model *m)
{
	/* sys/net/if.c ifindex_alloc: the lowest free index; one table for all vnets (14+). */
	for (int idx = 1;; idx++) {
		bool used = false;

		for (int k = 0; k < m->nifs && !used; k++)
			used = m->ifs[k].index == idx;
		if (!used)
			return idx;
	}
}

struct m_if *
model_if_new(struct model *m, int vnet, const char *name, const char *kind, bool cloned,
    int unit)
{
	struct m_if *i;

	if (m->nifs == m->capifs) {
		int cap = m->capifs ? 2 * m->capifs : 16;
		struct m_if *v = realloc(m->ifs, (size_t)cap * sizeof(*v));

		if (v == NULL)
			abort();
		m->ifs = v;
		m->capifs = cap;
	}
	i = &m->ifs[m->nifs];
	memset(i, 0, sizeof(*i));
	i->index = index_alloc(m);
	m->nifs++;
	i->id = m->next_id++;
	jnet_strlcpy(i->name, name, sizeof(i->name));
	jnet_strlcpy(i->kind, kind, sizeof(i->kind));
	i->cloned = cloned;
	i->unit = unit;
	i->vnet = i->home = vnet;
	i->mtu = 1500;
	/* if_attach_internal: group IFG_ALL; if_clone_addgroup: the cloner's name. */
	model_if_add_group(i, "all");
	if (cloned)
		model_if_add_group(i, kind);
	return i;
}

void
model_if_remove(struct model *m, struct m_if *i)
{
	int id = i->id, k;

	for (const struct model_ext_ops *const *e = model_exts; *e; e++)
		if ((*e)->if_removed)
			(*e)->if_removed(m, i);
	/*
	 * if_bridge.c bridge_clone_destroy: a bridge releases its members (not destroys);
	 * bridge_ifdetach (ifnet_departure_event): a departing member leaves its bridge.
	 */
	for (k = 0; k < m->nifs; k++)
		if (m->ifs[k].bridge == id)
			m->ifs[k].bridge = 0;
	/* if_vlan.c vlan_ifdetach: a departing parent unconfigures its vlans
	 * (vlan_unconfig_locked(ifp, 1)); they stay, without a parent. */
	for (k = 0; k < m->nifs; k++)
		if (m->ifs[k].vlan_parent == id) {
			m->ifs[k].vlan_parent = 0;
			m->ifs[k].vlan_tag = 0;
		}
	model_if_purge(m, i);
	for (k = 0; k < m->nifs; k++)
		if (m->ifs[k].id == id)
			break;
	if (k == m->nifs)
		return;
	free(m->ifs[k].descr);
	memmove(&m->ifs[k], &m->ifs[k + 1], (size_t)(m->nifs - k - 1) * sizeof(m->ifs[0]));
	m->nifs--;
}

/* Destroy a cloned interface as its cloner does. */
void
model_clone_destroy(struct model *m, struct m_if *i)
{
	int peer = i->peer;
	struct m_if *p;

	model_if_remove(m, i);
	/*
	 * sys/net/if_epair.c epair_clone_destroy: destroying either end destroys the other,
	 * switching to the other end's vnet (CURVNET_SET_QUIET(oifp->if_vnet)): it works while
	 * that end is inside a jail, dying or not.
	 */
	if (peer != 0 && (p = model_if_byid(m, peer)) != NULL)
		model_if_remove(m, p);
}

void
model_if_vmove(struct model *m, struct m_if *i, int vnet)
{
	int id = i->id;

	/*
	 * sys/net/if.c if_vmove -> if_detach_internal(vmove): if_delgroups (every group,
	 * jnet's too), if_down (IFF_UP cleared), if_purgeaddrs; ifnet_departure_event makes
	 * if_bridge drop the member. Name, MAC and description are kept. if_attach_internal
	 * then adds IFG_ALL and, for a cloned interface, its cloner's group again
	 * (if_clone_restoregroup). The index is kept (one table for all vnets since 14).
	 */
	i->ngroups = 0;
	model_if_add_group(i, "all");
	if (i->cloned)
		model_if_add_group(i, i->kind);
	i->up = false;
	model_if_purge(m, i);
	i->bridge = 0;
	for (int k = 0; k < m->nifs; k++)
		if (m->ifs[k].bridge == id)
			m->ifs[k].bridge = 0;
	i->vnet = vnet;
}

void
model_if_purge(struct model *m, struct m_if *i)
{
	/*
	 * sys/net/if.c if_detach_internal (also on if_vmove): if_purgeaddrs removes every
	 * address, and rt_flushifroutes every route that goes out of the interface.
	 */
	i->inaddr = false;
	i->naddrs = 0;
	for (int k = 0; k < m->njails; k++) {
		struct m_jail *j = &m->jails[k];

		for (int n = 0; n < j->nroutes;) {
			if (j->routes[n].ifid == i->id) {
				memmove(&j->routes[n], &j->routes[n + 1],
				    (size_t)(j->nroutes - n - 1) * sizeof(j->routes[0]));
				j->nroutes--;
			} else {
				n++;
			}
		}
	}
}

struct m_jail *
model_jail_new(struct model *m, const char *name, bool vnet)
{
	struct m_jail *j;

	if (m->njails == m->capjails) {
		int cap = m->capjails ? 2 * m->capjails : 8;
		struct m_jail *v = realloc(m->jails, (size_t)cap * sizeof(*v));

		if (v == NULL)
			abort();
		m->jails = v;
		m->capjails = cap;
	}
	j = &m->jails[m->njails++];
	memset(j, 0, sizeof(*j));
	j->jid = m->next_jid++;
	jnet_strlcpy(j->name, name, sizeof(j->name));
	j->vnet = vnet;
	if (vnet) {
		struct m_if *lo = model_if_new(m, j->jid, "lo0", "lo", true, 0);

		lo->mtu = 16384;
	}
	return j;
}

void
model_jail_destroy(struct model *m, struct m_jail *j)
{
	int jid = j->jid, k;

	/*
	 * sys/kern/kern_jail.c sys_jail_remove -> prison_remove: every descendant is removed
	 * with the jail (FOREACH_PRISON_DESCENDANT ... prison_deref), children first.
	 */
	for (k = 0; k < m->njails; k++)
		if (m->jails[k].parent == jid) {
			model_jail_destroy(m, &m->jails[k]);
			k = -1;
		}
	if ((j = model_jail_byjid(m, jid)) == NULL)
		return;
	if (j->vnet) {
		for (const struct model_ext_ops *const *e = model_exts; *e; e++)
			if ((*e)->vnet_teardown)
				(*e)->vnet_teardown(m, jid);
		/*
		 * sys/net/if.c vnet_if_return (VNET_SYSUNINIT at SI_SUB_VNET_DONE, the first
		 * teardown step): every interface whose home vnet is another one goes back
		 * there with if_vmove -- epair ends created on the host come home, down and
		 * without jail-side groups. No name check on the way back.
		 */
		for (k = 0; k < m->nifs; k++)
			if (m->ifs[k].vnet == jid && m->ifs[k].home != jid)
				model_if_vmove(m, &m->ifs[k], m->ifs[k].home);
		/*
		 * Then the vnet's cloners are detached (e.g. if_epair.c vnet_epair_uninit ->
		 * ifc_detach_cloner), destroying every interface created in this vnet, wherever
		 * it is now; lo0 goes with the vnet.
		 */
		for (k = 0; k < m->nifs;) {
			if (m->ifs[k].home == jid) {
				model_clone_destroy(m, &m->ifs[k]);
				k = 0;
			} else {
				k++;
			}
		}
	}
	for (k = 0; k < m->njails; k++)
		if (m->jails[k].jid == jid)
			break;
	if (k < m->njails) {
		memmove(&m->jails[k], &m->jails[k + 1],
		    (size_t)(m->njails - k - 1) * sizeof(m->jails[0]));
		m->njails--;
	}
}

json_t *
model_ext(struct model *m, const char *key)
{
	json_t *o = json_object_get(m->ext, key);

	if (o == NULL) {
		o = json_object();
		json_object_set_new(m->ext, key, o);
	}
	return o;
}

/* ---------------------------------------------------------------- observable dump */

const char *
model_vnet_name(const struct model *m, int vnet, char *buf, size_t len)
{
	if (vnet == MODEL_HOST)
		return "host";
	for (int k = 0; k < m->njails; k++)
		if (m->jails[k].jid == vnet) {
			snprintf(buf, len, "%s#%d", m->jails[k].name, vnet);
			return buf;
		}
	snprintf(buf, len, "vnet#%d", vnet);
	return buf;
}
