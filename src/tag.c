#include "tag.h"

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

int
jnet_tag_format(char *out, size_t len, const struct jnet_tag *t)
{
	int n;

	if (t->kind == JNET_TAG_LINK)
		n = snprintf(out, len, "jnet/%d link %s %d %c %s", t->version, t->backend,
		    t->index, t->end, t->name);
	else
		n = snprintf(out, len, "jnet/%d %s %s %s", t->version,
		    t->kind == JNET_TAG_JAIL ? "jail" : "bridge", t->backend, t->name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
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
	if (*end != '\0' || v != JNET_TAG_VERSION)
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
	} else if (strcmp(kind, "bridge") == 0 || strcmp(kind, "jail") == 0) {
		t->kind = kind[0] == 'b' ? JNET_TAG_BRIDGE : JNET_TAG_JAIL;
		if ((s = field(s, t->backend, sizeof(t->backend))) == NULL)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (s[0] == '\0' || strchr(s, ' ') != NULL || strlen(s) >= sizeof(t->name))
		return -EINVAL;
	jnet_strlcpy(t->name, s, sizeof(t->name));
	return 0;
}
