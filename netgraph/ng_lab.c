/* The netgraph backend: labs. */
#include "ng_priv.h"

/* ---------------------------------------------------------------- labs */

/*
 * Labs use the FreeBSD lab operations of src/fbsd/common_lab.c (jails, addresses, routes,
 * forwarding, exec), which do not depend on the kind of interface. What is netgraph's:
 * an eiface inside a jail is removed by shutting its node down (which the host can do
 * while the interface is in the jail), not by SIOCIFDESTROY.
 *
 * Shut down every eiface node whose interface is inside jail `jid` and is a jnet link (its
 * description there is a link tag). jnet names each node like its interface, and those
 * names are unique on the host (they hash the jail's name), so a node called like a tagged
 * interface of the jail is that interface's.
 */
static int
shutdown_inner(int jid, const char *name, struct jnet_err *e)
{
	struct fbsd_ng_node *v = NULL;
	int n = 0, r;

	if ((r = list_nodes(true, &v, &n, e)) < 0)
		return r;
	for (int i = 0; i < n; i++) {
		char path[FBSD_NG_PATHSIZ], ifname[JNET_IFNAMSIZ], descr[JNET_TAGSIZ];
		char want[JNET_IFNAMSIZ], jail[JNET_JAILNAMSIZ];
		struct jnet_tag t;
		int idx;

		if (strcmp(v[i].type, "eiface") != 0 || !ng_nameable(v[i].name))
			continue;
		/*
		 * Only a node named as a link of this jail (the host's fact: a jail cannot name
		 * netgraph nodes); what the jail shows (names, descriptions) is a hint only, or a
		 * jail could have another jail's link shut down.
		 */
		if ((idx = parse_ngname(v[i].name, jail, sizeof(jail))) < 0 ||
		    jnet_ifname(want, JNET_NAMES_NG, name, idx, 'a') < 0 ||
		    strcmp(want, v[i].name) != 0)
			continue;
		npath(path, v[i].name);
		r = fbsd_ng_eiface_ifname(path, ifname);
		if (r == -ENOENT)
			continue; /* gone meanwhile */
		if (r < 0) {
			r = fbc_kerr(e, r, v[i].name, "NGM_EIFACE_GET_IFNAME %s", path);
			goto out;
		}
		if (strcmp(ifname, v[i].name) != 0)
			continue;
		r = fbsd_jail_if_get_descr(jid, ifname, descr, sizeof(descr));
		if (r < 0 || jnet_ownership(descr, false, ifname, JNET_TAG_LINK, NULL, &t) !=
		    JNET_OWN_TAGGED || strcmp(t.name, name) != 0)
			continue; /* not in this jail, or not ours */
		if ((r = shutdown_link(path, ifname, e)) < 0)
			goto out;
	}
	r = 0;
out:
	free(v);
	return r;
}

int
ng_jail_destroy(void *priv, const char *name, struct jnet_err *e)
{
	(void)priv;
	return fbc_lab_jail_destroy(name, shutdown_inner, e);
}
