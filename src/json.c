#include "json.h"
#include "mac.h"

const char *
jnet_where_name(enum jnet_where w)
{
	switch (w) {
	case JNET_WHERE_HOST: return "host";
	case JNET_WHERE_JAIL: return "jail";
	case JNET_WHERE_GONE: return "none";
	case JNET_WHERE_UNKNOWN: break;
	}
	return "unknown";
}

json_t *
jnet_json_link(const struct jnet_link_info *l)
{
	char mac[JNET_MACSTRLEN];
	json_t *o = json_object(), *h = json_object();

	json_object_set_new(o, "jail", json_string(l->jail));
	json_object_set_new(o, "index", json_integer(l->index));
	json_object_set_new(o, "bridge", l->bridge[0] ? json_string(l->bridge) : json_null());
	json_object_set_new(o, "tagged", json_boolean(l->tagged));
	/* Where the interface that serves the jail is (one-ended backends have no jail end). */
	json_object_set_new(o, "where", json_string(jnet_where_name(l->where)));
	jnet_mac_format(l->host_mac, mac);
	json_object_set_new(h, "name", json_string(l->host_if));
	json_object_set_new(h, "mac", json_string(mac));
	json_object_set_new(h, "up", json_boolean(l->host_up));
	json_object_set_new(o, "host", h);
	if (l->jail_if[0]) {
		json_t *j = json_object();

		json_object_set_new(j, "name", json_string(l->jail_if));
		json_object_set_new(j, "where", json_string(jnet_where_name(l->where)));
		if (l->where_jail[0])
			json_object_set_new(j, "in", json_string(l->where_jail));
		if (l->jail_mac_known) {
			jnet_mac_format(l->jail_mac, mac);
			json_object_set_new(j, "mac", json_string(mac));
			json_object_set_new(j, "up", json_boolean(l->jail_up));
		}
		json_object_set_new(o, "jail_end", j);
	} else {
		json_object_set_new(o, "jail_end", json_null());
	}
	return o;
}

json_t *
jnet_json_ifinfo(const struct jnet_ifinfo *i)
{
	char mac[JNET_MACSTRLEN];
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(i->name));
	if (i->has_mac) {
		jnet_mac_format(i->mac, mac);
		json_object_set_new(o, "mac", json_string(mac));
	}
	json_object_set_new(o, "up", json_boolean(i->up));
	json_object_set_new(o, "bridge", json_boolean(i->is_bridge));
	json_object_set_new(o, "jnet", json_boolean(i->tagged || i->jnet_group));
	if (i->tagged && i->tag.kind == JNET_TAG_BRIDGE)
		json_object_set_new(o, "owner", json_string(i->tag.name));
	if (i->master[0])
		json_object_set_new(o, "master", json_string(i->master));
	return o;
}
