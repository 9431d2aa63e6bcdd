#include "tag.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
jnet_tag_link(struct jnet_tag *t, const char *backend, const char *jail, int index, char end)
{
	memset(t, 0, sizeof(*t));
	t->version = JNET_TAG_VERSION;
	t->kind = JNET_TAG_LINK;
	jnet_strlcpy(t->backend, backend, sizeof(t->backend));
	t->index = index;
	t->end = end;
	jnet_strlcpy(t->name, jail, sizeof(t->name));
}

void
jnet_tag_bridge(struct jnet_tag *t, const char *backend, const char *owner)
{
	memset(t, 0, sizeof(*t));
	t->version = JNET_TAG_VERSION;
	t->kind = JNET_TAG_BRIDGE;
	jnet_strlcpy(t->backend, backend, sizeof(t->backend));
	jnet_strlcpy(t->name, owner && owner[0] ? owner : "-", sizeof(t->name));
}

void
jnet_tag_jail(struct jnet_tag *t, const char *backend, const char *owner)
{
	jnet_tag_bridge(t, backend, owner);
	t->kind = JNET_TAG_JAIL;
}

void
jnet_tag_vlan(struct jnet_tag *t, const char *backend, const char *owner, const char *parent,
    int vid)
{
	jnet_tag_bridge(t, backend, owner);
	t->kind = JNET_TAG_VLAN;
	jnet_strlcpy(t->uplink, parent, sizeof(t->uplink));
	t->vid = vid;
}

void
jnet_tag_vxlan(struct jnet_tag *t, const char *backend, const char *owner, uint32_t vni)
{
	jnet_tag_bridge(t, backend, owner);
	t->kind = JNET_TAG_VXLAN;
	t->vni = vni;
}

static const char *const kind_names[] = {
	[JNET_TAG_LINK] = "link",
	[JNET_TAG_BRIDGE] = "bridge",
	[JNET_TAG_JAIL] = "jail",
	[JNET_TAG_VLAN] = "vlan",
	[JNET_TAG_VXLAN] = "vxlan",
};

static int
tag_format(char *out, size_t len, const struct jnet_tag *t)
{
	int n, m = 0;

	if (t->kind == JNET_TAG_LINK)
		n = snprintf(out, len, "jnet/%d link %s %d %c %s", JNET_TAG_VERSION, t->backend,
		    t->index, t->end, t->name);
	else
		n = snprintf(out, len, "jnet/%d %s %s %s", JNET_TAG_VERSION, kind_names[t->kind],
		    t->backend, t->name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (t->kind == JNET_TAG_LINK && t->count > 0)
		m = snprintf(out + n, len - (size_t)n, " n=%d", t->count);
	else if (t->kind == JNET_TAG_BRIDGE && t->uplink[0] != '\0')
		m = snprintf(out + n, len - (size_t)n, " uplink=%s%s", t->uplink,
		    t->uplink_was_down ? " uplink-was=down" : "");
	else if (t->kind == JNET_TAG_VLAN)
		m = snprintf(out + n, len - (size_t)n, " parent=%s vid=%d", t->uplink, t->vid);
	else if (t->kind == JNET_TAG_VXLAN)
		m = snprintf(out + n, len - (size_t)n, " vni=%u", (unsigned)t->vni);
	if (m < 0 || (size_t)(n += m) >= len)
		return -ENAMETOOLONG;
	m = 0;
	if (t->kind == JNET_TAG_LINK && t->bridge[0] != '\0')
		m = snprintf(out + n, len - (size_t)n, " br=%s", t->bridge);
	if (m < 0 || (size_t)(n += m) >= len)
		return -ENAMETOOLONG;
	m = 0;
	if (t->kind == JNET_TAG_LINK && t->mtu > 0)
		m = snprintf(out + n, len - (size_t)n, " mtu=%u", t->mtu);
	if (m < 0 || (size_t)(n += m) >= len)
		return -ENAMETOOLONG;
	m = 0;
	if (t->kind == JNET_TAG_LINK && t->born > 0)
		m = snprintf(out + n, len - (size_t)n, " t=%lld", (long long)t->born);
	else
		m = 0;
	if (m < 0 || (size_t)(n += m) >= len)
		return -ENAMETOOLONG;
	m = 0;
	if (t->kind == JNET_TAG_LINK && t->cni[0] != '\0')
		m = snprintf(out + n, len - (size_t)n, " cni=%s", t->cni);
	return m < 0 || (size_t)(n + m) >= len ? -ENAMETOOLONG : 0;
}

/* br= and mtu= only serve check/repair: a tag that would not fit with them goes without
 * (mtu= first), rather than a link that cannot be made. */
int
jnet_tag_format(char *out, size_t len, const struct jnet_tag *t)
{
	struct jnet_tag u;
	int r;

	/* What the kernels take (tag.h JNET_TAG_MAX); jail names are capped so that a tag
	 * without br= and mtu= always fits. */
	if (len > JNET_TAG_MAX + 1)
		len = JNET_TAG_MAX + 1;
	if ((r = tag_format(out, len, t)) != -ENAMETOOLONG || t->kind != JNET_TAG_LINK ||
	    (t->mtu == 0 && t->bridge[0] == '\0'))
		return r;
	u = *t;
	u.mtu = 0;
	if ((r = tag_format(out, len, &u)) != -ENAMETOOLONG)
		return r;
	u.bridge[0] = '\0';
	return tag_format(out, len, &u);
}

/* One KEY=VALUE field of a version 2 tag; unknown keys are ignored. */
static int
tag_kv(struct jnet_tag *t, const char *kv)
{
	char *end;
	long long v;

	if (t->kind == JNET_TAG_LINK && strncmp(kv, "n=", 2) == 0) {
		v = strtoll(kv + 2, &end, 10);
		if (*end != '\0' || v < 1 || v > JNET_MAXLINKS)
			return -EINVAL;
		t->count = (int)v;
	} else if (t->kind == JNET_TAG_LINK && strncmp(kv, "t=", 2) == 0) {
		v = strtoll(kv + 2, &end, 10);
		if (*end != '\0' || v < 0)
			return -EINVAL;
		t->born = v;
	} else if (t->kind == JNET_TAG_LINK && strncmp(kv, "br=", 3) == 0) {
		/* The whole value, like uplink= below. */
		size_t n = strlen(kv + 3);

		if (n == 0 || n >= sizeof(t->bridge))
			return -EINVAL;
		memcpy(t->bridge, kv + 3, n + 1);
	} else if (t->kind == JNET_TAG_LINK && strncmp(kv, "mtu=", 4) == 0) {
		v = strtoll(kv + 4, &end, 10);
		if (*end != '\0' || v < 68 || v > 65535 || !isdigit((unsigned char)kv[4]))
			return -EINVAL;
		t->mtu = (unsigned)v;
	} else if (t->kind == JNET_TAG_LINK && strncmp(kv, "cni=", 4) == 0) {
		size_t n = strlen(kv + 4);

		if (n == 0 || n >= sizeof(t->cni))
			return -EINVAL;
		memcpy(t->cni, kv + 4, n + 1);
	} else if (t->kind == JNET_TAG_BRIDGE && strncmp(kv, "uplink=", 7) == 0) {
		/* The whole value: an interface name may hold ',' or '='. */
		size_t n = strlen(kv + 7);

		if (n == 0 || n >= sizeof(t->uplink))
			return -EINVAL;
		memcpy(t->uplink, kv + 7, n + 1);
	} else if (t->kind == JNET_TAG_BRIDGE && strncmp(kv, "uplink-was=", 11) == 0) {
		if (strcmp(kv + 11, "down") != 0)
			return -EINVAL;
		t->uplink_was_down = true;
	} else if (t->kind == JNET_TAG_VLAN && strncmp(kv, "parent=", 7) == 0) {
		size_t n = strlen(kv + 7);

		if (n == 0 || n >= sizeof(t->uplink))
			return -EINVAL;
		memcpy(t->uplink, kv + 7, n + 1);
	} else if (t->kind == JNET_TAG_VLAN && strncmp(kv, "vid=", 4) == 0) {
		v = strtoll(kv + 4, &end, 10);
		if (*end != '\0' || v < JNET_VID_MIN || v > JNET_VID_MAX ||
		    !isdigit((unsigned char)kv[4]))
			return -EINVAL;
		t->vid = (int)v;
	} else if (t->kind == JNET_TAG_VXLAN && strncmp(kv, "vni=", 4) == 0) {
		v = strtoll(kv + 4, &end, 10);
		if (*end != '\0' || v < 1 || v > 16777215 || !isdigit((unsigned char)kv[4]))
			return -EINVAL;
		t->vni = (uint32_t)v;
	} else if (strchr(kv, '=') == NULL || kv[0] == '=') {
		return -EINVAL;
	}
	return 0;
}

static const char *
field(const char *s, char *out, size_t len)
{
	size_t n = strcspn(s, " ");

	if (n == 0 || n >= len || s[n] != ' ')
		return NULL;
	memcpy(out, s, n);
	out[n] = '\0';
	return s + n + 1;
}

int
jnet_tag_parse(const char *s, struct jnet_tag *t)
{
	char kind[16], num[16];
	char *end;
	long v;

	memset(t, 0, sizeof(*t));
	if (s == NULL || strncmp(s, "jnet/", 5) != 0)
		return -EINVAL;
	s += 5;
	if ((s = field(s, num, sizeof(num))) == NULL)
		return -EINVAL;
	v = strtol(num, &end, 10);
	if (*end != '\0' || v < 1 || v > JNET_TAG_VERSION)
		return -EINVAL;
	t->version = (int)v;
	if ((s = field(s, kind, sizeof(kind))) == NULL)
		return -EINVAL;
	if (strcmp(kind, "link") == 0) {
		t->kind = JNET_TAG_LINK;
		if ((s = field(s, t->backend, sizeof(t->backend))) == NULL ||
		    (s = field(s, num, sizeof(num))) == NULL)
			return -EINVAL;
		v = strtol(num, &end, 10);
		if (*end != '\0' || v < 0 || v >= JNET_MAXLINKS)
			return -EINVAL;
		t->index = (int)v;
		if ((s[0] != 'a' && s[0] != 'b') || s[1] != ' ')
			return -EINVAL;
		t->end = s[0];
		s += 2;
	} else if (strcmp(kind, "bridge") == 0 || strcmp(kind, "jail") == 0 ||
	    ((strcmp(kind, "vlan") == 0 || strcmp(kind, "vxlan") == 0) && t->version >= 2)) {
		t->kind = kind[0] == 'b' ? JNET_TAG_BRIDGE : kind[0] == 'j' ? JNET_TAG_JAIL :
		    kind[1] == 'l' ? JNET_TAG_VLAN : JNET_TAG_VXLAN;
		if ((s = field(s, t->backend, sizeof(t->backend))) == NULL)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	{
		size_t n = strcspn(s, " ");
		char kv[JNET_TAGSIZ];

		if (n == 0 || n >= sizeof(t->name))
			return -EINVAL;
		memcpy(t->name, s, n);
		t->name[n] = '\0';
		s += n;
		if (s[0] != '\0' && t->version < 2)
			return -EINVAL; /* version 1 had no fields after the name */
		while (s[0] == ' ') {
			s++;
			n = strcspn(s, " ");
			if (n == 0 || n >= sizeof(kv))
				return -EINVAL;
			memcpy(kv, s, n);
			kv[n] = '\0';
			if (tag_kv(t, kv) < 0)
				return -EINVAL;
			s += n;
		}
		if (t->uplink_was_down && t->uplink[0] == '\0')
			return -EINVAL;
		if (t->kind == JNET_TAG_VLAN && (t->uplink[0] == '\0' || t->vid == 0))
			return -EINVAL; /* which VLAN of which parent: both or it is not ours */
		if (t->kind == JNET_TAG_VXLAN && t->vni == 0)
			return -EINVAL;
	}
	return 0;
}

enum jnet_own
jnet_ownership(const char *tagtext, bool in_group, const char *name, enum jnet_tag_kind kind,
    const char *expect, struct jnet_tag *t)
{
	struct jnet_tag tmp;

	if (t == NULL)
		t = &tmp;
	if (tagtext != NULL && tagtext[0] != '\0')
		return jnet_tag_parse(tagtext, t) == 0 && t->kind == kind ? JNET_OWN_TAGGED :
		    JNET_OWN_NONE;
	memset(t, 0, sizeof(*t));
	if (in_group && expect != NULL && name != NULL && strcmp(name, expect) == 0)
		return JNET_OWN_CRASH;
	return JNET_OWN_NONE;
}
