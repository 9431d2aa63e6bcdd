/*
 * The model's state as JSON: load and save of the state file, and model_dump. Part of the
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

/* ================================================================ state */

int
model_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
model_state_free(struct model *m)
{
	for (int i = 0; i < m->nifs; i++)
		free(m->ifs[i].descr);
	free(m->ifs);
	free(m->jails);
	json_decref(m->ext);
	memset(m, 0, sizeof(*m));
}

void
model_state_init(struct model *m)
{
	struct m_if *lo;

	model_state_free(m);
	m->next_id = 1;
	m->next_jid = 1;
	m->version = 15;
	m->member_ifaddrs = false; /* if_bridge(4) of 15: net.link.bridge.member_ifaddrs=0 */
	m->ext = json_object();
	/* Every vnet has its lo0 (sys/net/if_loop.c vnet_loif_init). */
	lo = model_if_new(m, MODEL_HOST, "lo0", "lo", true, 0);
	lo->up = true;
	lo->mtu = 16384;
}

static json_t *
mac_json(bool has, const uint8_t mac[6])
{
	char s[JNET_MACSTRLEN];

	if (!has)
		return json_null();
	snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
	    mac[4], mac[5]);
	return json_string(s);
}

static bool
mac_parse(const char *s, uint8_t mac[6])
{
	unsigned v[6];

	if (s == NULL || sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
	    &v[5]) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return true;
}

/* ---------------------------------------------------------------- labs: addresses, routes */

static void
prefix_text(int family, const uint8_t *a, int prefix, char *buf, size_t len)
{
	char t[INET6_ADDRSTRLEN];

	if (inet_ntop(family, a, t, sizeof(t)) == NULL)
		snprintf(t, sizeof(t), "?");
	snprintf(buf, len, "%s/%d", t, prefix);
}

static bool
prefix_parse(const char *s, int *family, uint8_t a[16], int *prefix)
{
	char t[INET6_ADDRSTRLEN + 8], *slash;

	jnet_strlcpy(t, s ? s : "", sizeof(t));
	if ((slash = strchr(t, '/')) == NULL)
		return false;
	*slash = '\0';
	*prefix = atoi(slash + 1);
	memset(a, 0, 16);
	*family = strchr(t, ':') ? AF_INET6 : AF_INET;
	return inet_pton(*family, t, a) == 1;
}

/* Addresses as "addr/prefix" strings; sorted for dumps. */
static json_t *
addrs_json(const struct m_if *i, bool sorted)
{
	char s[MODEL_MAXADDRS][INET6_ADDRSTRLEN + 8];
	const char *v[MODEL_MAXADDRS];
	json_t *a = json_array();

	for (int n = 0; n < i->naddrs; n++) {
		prefix_text(i->addrs[n].family, i->addrs[n].addr, i->addrs[n].prefix, s[n],
		    sizeof(s[n]));
		v[n] = s[n];
	}
	if (sorted)
		qsort(v, (size_t)i->naddrs, sizeof(v[0]), model_cmp_str);
	for (int n = 0; n < i->naddrs; n++)
		json_array_append_new(a, json_string(v[n]));
	return a;
}

static void
addrs_load(struct m_if *i, json_t *a)
{
	size_t k;
	json_t *v;

	i->naddrs = 0;
	json_array_foreach(a, k, v) {
		struct m_addr *x = &i->addrs[i->naddrs];

		if (i->naddrs < MODEL_MAXADDRS &&
		    prefix_parse(json_string_value(v), &x->family, x->addr, &x->prefix))
			i->naddrs++;
	}
}

/* A jail's lab state. For dumps (`dump`): routes as text, sorted, no interface ids. */
static void
jail_lab_save(const struct m_jail *jl, json_t *j, bool dump)
{
	char s[MODEL_MAXROUTES][2 * INET6_ADDRSTRLEN + 16];
	const char *v[MODEL_MAXROUTES];
	json_t *rt = json_array();

	if (!dump)
		json_object_set_new(j, "parent", json_integer(jl->parent));
	json_object_set_new(j, "hostname", json_string(jl->hostname));
	json_object_set_new(j, "fwd4", json_boolean(jl->fwd4));
	json_object_set_new(j, "fwd6", json_boolean(jl->fwd6));
	for (int n = 0; n < jl->nroutes; n++) {
		const struct m_route *r = &jl->routes[n];
		char d[INET6_ADDRSTRLEN + 8], g[INET6_ADDRSTRLEN];

		prefix_text(r->family, r->dst, r->prefix, d, sizeof(d));
		if (inet_ntop(r->family, r->gw, g, sizeof(g)) == NULL)
			snprintf(g, sizeof(g), "?");
		if (dump)
			snprintf(s[n], sizeof(s[n]), "%s via %s", d, g);
		else
			snprintf(s[n], sizeof(s[n]), "%s %s %d", d, g, r->ifid);
		v[n] = s[n];
	}
	if (dump)
		qsort(v, (size_t)jl->nroutes, sizeof(v[0]), model_cmp_str);
	for (int n = 0; n < jl->nroutes; n++)
		json_array_append_new(rt, json_string(v[n]));
	json_object_set_new(j, "routes", rt);
}

static void
jail_lab_load(struct m_jail *jl, json_t *j)
{
	json_t *rt = json_object_get(j, "routes"), *v;
	size_t k;

	jl->parent = (int)json_integer_value(json_object_get(j, "parent"));
	jnet_strlcpy(jl->hostname, json_string_value(json_object_get(j, "hostname")) ?
	    json_string_value(json_object_get(j, "hostname")) : "", sizeof(jl->hostname));
	jl->fwd4 = json_is_true(json_object_get(j, "fwd4"));
	jl->fwd6 = json_is_true(json_object_get(j, "fwd6"));
	jl->nroutes = 0;
	json_array_foreach(rt, k, v) {
		struct m_route *r = &jl->routes[jl->nroutes];
		char d[64], g[64];
		int fam;

		if (jl->nroutes == MODEL_MAXROUTES || json_string_value(v) == NULL ||
		    sscanf(json_string_value(v), "%63s %63s %d", d, g, &r->ifid) != 3 ||
		    !prefix_parse(d, &r->family, r->dst, &r->prefix))
			continue;
		fam = r->family;
		memset(r->gw, 0, sizeof(r->gw));
		if (inet_pton(fam, g, r->gw) == 1)
			jl->nroutes++;
	}
}

json_t *
model_state_save(const struct model *m)
{
	json_t *o = json_object(), *ifs = json_array(), *jails = json_array();

	json_object_set_new(o, "version", json_integer(m->version));
	json_object_set_new(o, "member_ifaddrs", json_boolean(m->member_ifaddrs));
	json_object_set_new(o, "kmods", json_integer(m->kmods));
	json_object_set_new(o, "kld_refuse", json_integer(m->kld_refuse));
	json_object_set_new(o, "next_id", json_integer(m->next_id));
	json_object_set_new(o, "next_jid", json_integer(m->next_jid));
	json_object_set_new(o, "macseq", json_integer(m->macseq));
	for (int k = 0; k < m->nifs; k++) {
		const struct m_if *i = &m->ifs[k];
		json_t *j = json_object(), *g = json_array();

		json_object_set_new(j, "id", json_integer(i->id));
		json_object_set_new(j, "name", json_string(i->name));
		json_object_set_new(j, "kind", json_string(i->kind));
		json_object_set_new(j, "cloned", json_boolean(i->cloned));
		json_object_set_new(j, "unit", json_integer(i->unit));
		json_object_set_new(j, "index", json_integer(i->index));
		json_object_set_new(j, "vnet", json_integer(i->vnet));
		json_object_set_new(j, "home", json_integer(i->home));
		json_object_set_new(j, "peer", json_integer(i->peer));
		json_object_set_new(j, "vlan_parent", json_integer(i->vlan_parent));
		json_object_set_new(j, "vlan_tag", json_integer(i->vlan_tag));
		json_object_set_new(j, "mac", mac_json(i->has_mac, i->mac));
		json_object_set_new(j, "up", json_boolean(i->up));
		json_object_set_new(j, "mtu", json_integer(i->mtu));
		json_object_set_new(j, "descr", i->descr ? json_string(i->descr) : json_null());
		for (int n = 0; n < i->ngroups; n++)
			json_array_append_new(g, json_string(i->groups[n]));
		json_object_set_new(j, "groups", g);
		json_object_set_new(j, "bridge", json_integer(i->bridge));
		json_object_set_new(j, "inaddr", json_boolean(i->inaddr));
		json_object_set_new(j, "addrs", addrs_json(i, false));
		json_array_append_new(ifs, j);
	}
	json_object_set_new(o, "ifs", ifs);
	for (int k = 0; k < m->njails; k++) {
		const struct m_jail *jl = &m->jails[k];
		json_t *j = json_object();

		json_object_set_new(j, "jid", json_integer(jl->jid));
		json_object_set_new(j, "name", json_string(jl->name));
		json_object_set_new(j, "vnet", json_boolean(jl->vnet));
		json_object_set_new(j, "dying", json_boolean(jl->dying));
		json_object_set_new(j, "shutting_down", json_boolean(jl->shutting_down));
		jail_lab_save(jl, j, false);
		json_array_append_new(jails, j);
	}
	json_object_set_new(o, "jails", jails);
	json_object_set(o, "ext", m->ext);
	return o;
}

static int
jint(json_t *o, const char *k)
{
	return (int)json_integer_value(json_object_get(o, k));
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

int
model_state_load(struct model *m, json_t *o)
{
	json_t *ifs = json_object_get(o, "ifs"), *jails = json_object_get(o, "jails");
	json_t *ext = json_object_get(o, "ext");
	size_t k;
	json_t *j;

	model_state_free(m);
	if (!json_is_array(ifs) || !json_is_array(jails))
		return -EINVAL;
	m->version = jint(o, "version");
	m->member_ifaddrs = json_is_true(json_object_get(o, "member_ifaddrs"));
	m->kmods = (unsigned)jint(o, "kmods");
	m->kld_refuse = jint(o, "kld_refuse");
	m->next_id = jint(o, "next_id");
	m->next_jid = jint(o, "next_jid");
	m->macseq = (unsigned)jint(o, "macseq");
	m->ext = json_is_object(ext) ? json_incref(ext) : json_object();
	m->capifs = (int)json_array_size(ifs) + 8;
	m->ifs = calloc((size_t)m->capifs, sizeof(*m->ifs));
	m->capjails = (int)json_array_size(jails) + 4;
	m->jails = calloc((size_t)m->capjails, sizeof(*m->jails));
	if (m->ifs == NULL || m->jails == NULL)
		return -ENOMEM;
	json_array_foreach(ifs, k, j) {
		struct m_if *i = &m->ifs[m->nifs++];
		json_t *g = json_object_get(j, "groups"), *d = json_object_get(j, "descr");
		size_t n;
		json_t *gv;

		i->id = jint(j, "id");
		jnet_strlcpy(i->name, jstr(j, "name"), sizeof(i->name));
		jnet_strlcpy(i->kind, jstr(j, "kind"), sizeof(i->kind));
		i->cloned = json_is_true(json_object_get(j, "cloned"));
		i->unit = jint(j, "unit");
		i->index = jint(j, "index");
		i->vnet = jint(j, "vnet");
		i->home = jint(j, "home");
		i->peer = jint(j, "peer");
		i->vlan_parent = jint(j, "vlan_parent");
		i->vlan_tag = jint(j, "vlan_tag");
		i->has_mac = mac_parse(json_string_value(json_object_get(j, "mac")), i->mac);
		i->up = json_is_true(json_object_get(j, "up"));
		i->mtu = (unsigned)jint(j, "mtu");
		i->descr = json_is_string(d) ? strdup(json_string_value(d)) : NULL;
		json_array_foreach(g, n, gv) {
			if (i->ngroups < MODEL_MAXGROUPS)
				jnet_strlcpy(i->groups[i->ngroups++], json_string_value(gv),
				    JNET_IFNAMSIZ);
		}
		i->bridge = jint(j, "bridge");
		i->inaddr = json_is_true(json_object_get(j, "inaddr"));
		addrs_load(i, json_object_get(j, "addrs"));
	}
	json_array_foreach(jails, k, j) {
		struct m_jail *jl = &m->jails[m->njails++];

		jl->jid = jint(j, "jid");
		jnet_strlcpy(jl->name, jstr(j, "name"), sizeof(jl->name));
		jl->vnet = json_is_true(json_object_get(j, "vnet"));
		jl->dying = json_is_true(json_object_get(j, "dying"));
		jl->shutting_down = json_is_true(json_object_get(j, "shutting_down"));
		jail_lab_load(jl, j);
	}
	return 0;
}

/* Interface I as model_dump shows it. */
static json_t *
if_dump(const struct model *m, const struct m_if *i)
{
	json_t *j = json_object(), *gr = json_array();
	const char *gs[MODEL_MAXGROUPS];
	struct m_if *p = model_if_byid((struct model *)m, i->peer);
	struct m_if *br = model_if_byid((struct model *)m, i->bridge);
	char buf[JNET_JAILNAMSIZ + 16];

	json_object_set_new(j, "name", json_string(i->name));
	json_object_set_new(j, "in", json_string(model_vnet_name(m, i->vnet, buf, sizeof(buf))));
	json_object_set_new(j, "kind", json_string(i->kind));
	json_object_set_new(j, "mac", mac_json(i->has_mac, i->mac));
	json_object_set_new(j, "up", json_boolean(i->up));
	json_object_set_new(j, "mtu", json_integer(i->mtu));
	json_object_set_new(j, "descr", i->descr ? json_string(i->descr) : json_null());
	for (int n = 0; n < i->ngroups; n++)
		gs[n] = i->groups[n];
	qsort(gs, (size_t)i->ngroups, sizeof(gs[0]), model_cmp_str);
	for (int n = 0; n < i->ngroups; n++)
		json_array_append_new(gr, json_string(gs[n]));
	json_object_set_new(j, "groups", gr);
	json_object_set_new(j, "bridge", br ? json_string(br->name) : json_null());
	json_object_set_new(j, "peer", p ? json_string(p->name) : json_null());
	if (strcmp(i->kind, "vlan") == 0) {
		struct m_if *vp = model_if_byid((struct model *)m, i->vlan_parent);

		json_object_set_new(j, "vlandev", vp ? json_string(vp->name) : json_null());
		json_object_set_new(j, "vlan", json_integer(i->vlan_tag));
	}
	json_object_set_new(j, "inaddr", json_boolean(i->inaddr));
	json_object_set_new(j, "addrs", addrs_json(i, true));
	return j;
}

/* Jail JL as model_dump shows it. */
static json_t *
jail_dump(const struct model *m, const struct m_jail *jl)
{
	json_t *j = json_object();

	json_object_set_new(j, "jid", json_integer(jl->jid));
	json_object_set_new(j, "name", json_string(jl->name));
	json_object_set_new(j, "vnet", json_boolean(jl->vnet));
	json_object_set_new(j, "state", json_string(jl->shutting_down ? "shutting_down" :
	    jl->dying ? "dying" : "alive"));
	jail_lab_save(jl, j, true);
	{
		const struct m_jail *p = model_jail_byjid((struct model *)m, jl->parent);

		json_object_set_new(j, "parent", p ? json_string(p->name) : json_null());
	}
	return j;
}

json_t *
model_dump(const struct model *m)
{
	json_t *o = json_object(), *ifs = json_array(), *jails = json_array();
	const struct m_if **v = calloc((size_t)m->nifs + 1, sizeof(*v));

	/* Sorted by (vnet, name) so that two states compare equal when they look equal. */
	for (int k = 0; k < m->nifs; k++)
		v[k] = &m->ifs[k];
	for (int a = 0; a < m->nifs; a++)
		for (int b = a + 1; b < m->nifs; b++)
			if (v[b]->vnet < v[a]->vnet ||
			    (v[b]->vnet == v[a]->vnet && strcmp(v[b]->name, v[a]->name) < 0)) {
				const struct m_if *t = v[a];

				v[a] = v[b];
				v[b] = t;
			}
	for (int k = 0; k < m->nifs; k++)
		json_array_append_new(ifs, if_dump(m, v[k]));
	free(v);
	for (int k = 0; k < m->njails; k++)
		json_array_append_new(jails, jail_dump(m, &m->jails[k]));
	json_object_set_new(o, "interfaces", ifs);
	json_object_set_new(o, "jails", jails);
	json_object_set_new(o, "member_ifaddrs", json_boolean(m->member_ifaddrs));
	json_object_set_new(o, "version", json_integer(m->version));
	/* Not the loaded modules: a command that fails keeps what it loaded, as kldload(2)
	 * does (jnet-modelctl kld list shows them). */
	{
		/* Extensions show their observable state (no counters, no process artefacts). */
		json_t *ext = json_deep_copy(m->ext);

		for (const struct model_ext_ops *const *e = model_exts; *e; e++)
			if ((*e)->dump != NULL)
				json_object_set_new(ext, (*e)->key, (*e)->dump(m));
		json_object_set_new(o, "ext", ext);
	}
	return o;
}
