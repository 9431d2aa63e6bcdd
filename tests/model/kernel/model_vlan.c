/*
 * vlan(4) in the model: SIOCSETVLAN (sys/net/if_vlan.c vlan_ioctl -> vlan_config). The
 * cloner ("vlan", module if_vlan) is model.c's fbsd_if_create; a departing parent
 * unconfigures its vlans in model_if_remove (vlan_ifdetach).
 */
#include "model.h"

#include <errno.h>
#include <string.h>

#include "fbsd.h"

int
fbsd_vlan_set(const char *name, const char *parent, int vid)
{
	struct model *m;
	struct m_if *i, *p;
	int r, pid;

	if ((r = model_begin(&m, "SIOCSETVLAN", name)) < 0)
		return r;
	if ((i = model_ifunit(m, MODEL_HOST, name)) == NULL)
		return model_end(m, -ENXIO);
	/* Not a vlan: its driver's ioctl does not know SIOCSETVLAN. */
	if (strcmp(i->kind, "vlan") != 0)
		return model_end(m, -EINVAL);
	/* vlan_ioctl: ifunit_ref(vlr_parent) == NULL -> ENOENT. */
	if ((p = model_ifunit(m, MODEL_HOST, parent)) == NULL)
		return model_end(m, -ENOENT);
	/* vlan_config: a tag over 4095 -> EINVAL (EVL_VLID_MASK); only Ethernet-like
	 * parents (IFT_ETHER, IFT_L2VLAN...) -> EPROTONOSUPPORT; configured -> EBUSY. */
	if (vid < 0 || vid > 4095)
		return model_end(m, -EINVAL);
	if (strcmp(p->kind, "phys") != 0 && strcmp(p->kind, "epair") != 0 &&
	    strcmp(p->kind, "vlan") != 0)
		return model_end(m, -EPROTONOSUPPORT);
	if (i->vlan_parent != 0)
		return model_end(m, -EBUSY);
	/* vlan_inshash: the tag is taken on that parent -> EEXIST. */
	pid = p->id;
	for (int k = 0; k < m->nifs; k++)
		if (m->ifs[k].vlan_parent == pid && m->ifs[k].vlan_tag == vid)
			return model_end(m, -EEXIST);
	i->vlan_parent = pid;
	i->vlan_tag = vid;
	/* The vlan takes its parent's MTU and link-level address. */
	i->mtu = p->mtu;
	i->has_mac = p->has_mac;
	memcpy(i->mac, p->mac, sizeof(i->mac));
	return model_end(m, 0);
}
