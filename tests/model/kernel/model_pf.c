/*
 * The pf(4) tables of the FreeBSD kernel model: the fbsd_pf_* primitives of fbsd.h with
 * the kernel's answers (sys/netpfil/pf/pf_table.c, FreeBSD 14):
 *   - /dev/pf exists only while pf is loaded: every primitive is -ENOENT otherwise;
 *   - pfr_validate_table: a name of 1..31 characters (EINVAL);
 *   - pfr_validate_addr: AF_INET/AF_INET6, prefix within the family, no bit set beyond
 *     the prefix (EINVAL);
 *   - pfr_add_tables: an existing table is no error, nadd 0;
 *   - pfr_add_addrs / pfr_del_addrs / pfr_get_addrs: ESRCH without the (active) table;
 *     a duplicate add is no error (nadd 0), deleting what is not there neither (ndel 0);
 *     get with too small a buffer answers the count only.
 * State under ext key "pf" (model_pf.h).
 */
#include "model_pf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define KEY "pf"

static json_t *
pf_state(struct model *m)
{
	json_t *o = model_ext(m, KEY);

	if (json_object_get(o, "loaded") == NULL)
		json_object_set_new(o, "loaded", json_false());
	if (json_object_get(o, "tables") == NULL)
		json_object_set_new(o, "tables", json_object());
	return o;
}

/* Reads do not make the state: a model pf was never asked about dumps as before. */
static bool
pf_loaded(struct model *m)
{
	return json_is_true(json_object_get(json_object_get(m->ext, KEY), "loaded"));
}

static int
name_ok(const char *table)
{
	return table[0] != '\0' && strlen(table) < FBSD_PF_TABLESIZ ? 0 : -EINVAL;
}

/* "ADDR/PREFIX", after pfr_validate_addr's checks. */
static int
addr_key(const struct fbsd_pfaddr *a, char *buf, size_t len)
{
	int bits = a->family == AF_INET ? 32 : a->family == AF_INET6 ? 128 : 0;
	char t[INET6_ADDRSTRLEN];

	if (bits == 0 || a->prefix < 0 || a->prefix > bits)
		return -EINVAL;
	for (int b = a->prefix; b < bits; b++)
		if (a->addr[b / 8] & (0x80 >> (b % 8)))
			return -EINVAL;
	inet_ntop(a->family, a->addr, t, sizeof(t));
	snprintf(buf, len, "%s/%d", t, a->prefix);
	return 0;
}

static int
key_parse(const char *s, struct fbsd_pfaddr *a)
{
	char t[INET6_ADDRSTRLEN + 8];
	char *slash;

	jnet_strlcpy(t, s, sizeof(t));
	memset(a, 0, sizeof(*a));
	slash = strchr(t, '/');
	if (slash != NULL)
		*slash++ = '\0';
	a->family = strchr(t, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(a->family, t, a->addr) != 1)
		return -EINVAL;
	a->prefix = slash ? atoi(slash) : a->family == AF_INET ? 32 : 128;
	return 0;
}

static int
find(json_t *list, const char *key)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(v), key) == 0)
			return (int)i;
	return -1;
}

/* The table's address list, or NULL (ESRCH). */
static json_t *
table(struct model *m, const char *name)
{
	return json_object_get(json_object_get(json_object_get(m->ext, KEY), "tables"), name);
}

static int
do_create(struct model *m, const char *name)
{
	if (!pf_loaded(m))
		return -ENOENT;
	if (name_ok(name) < 0)
		return -EINVAL;
	if (table(m, name) != NULL)
		return 0;
	json_object_set_new(json_object_get(pf_state(m), "tables"), name, json_array());
	return 1;
}

static int
do_change(struct model *m, const char *name, const struct fbsd_pfaddr *a, bool add)
{
	char key[INET6_ADDRSTRLEN + 8];
	json_t *t;
	int k;

	if (!pf_loaded(m))
		return -ENOENT;
	if (name_ok(name) < 0 || addr_key(a, key, sizeof(key)) < 0)
		return -EINVAL;
	if ((t = table(m, name)) == NULL)
		return -ESRCH;
	k = find(t, key);
	if (add && k < 0)
		return json_array_append_new(t, json_string(key)) == 0 ? 1 : -ENOMEM;
	if (!add && k >= 0)
		return json_array_remove(t, (size_t)k) == 0 ? 1 : -EIO;
	return 0;
}

int
fbsd_pf_table_create(const char *name)
{
	struct model *m;
	int r;

	if ((r = model_begin(&m, "DIOCRADDTABLES", name)) < 0)
		return r;
	return model_end(m, do_create(m, name));
}

int
fbsd_pf_addr_add(const char *name, const struct fbsd_pfaddr *a)
{
	struct model *m;
	int r;

	if ((r = model_begin(&m, "DIOCRADDADDRS", name)) < 0)
		return r;
	return model_end(m, do_change(m, name, a, true));
}

int
fbsd_pf_addr_del(const char *name, const struct fbsd_pfaddr *a)
{
	struct model *m;
	int r;

	if ((r = model_begin(&m, "DIOCRDELADDRS", name)) < 0)
		return r;
	return model_end(m, do_change(m, name, a, false));
}

int
fbsd_pf_addrs(const char *name, struct fbsd_pfaddr *v, int max)
{
	struct model *m;
	json_t *t, *s;
	size_t i;
	int r;

	if ((r = model_begin(&m, "DIOCRGETADDRS", name)) < 0)
		return r;
	if (!pf_loaded(m))
		return model_end(m, -ENOENT);
	if (name_ok(name) < 0)
		return model_end(m, -EINVAL);
	if ((t = table(m, name)) == NULL)
		return model_end(m, -ESRCH);
	if ((int)json_array_size(t) <= max)
		json_array_foreach(t, i, s)
			key_parse(json_string_value(s), &v[i]);
	return model_end(m, (int)json_array_size(t));
}

/* ================================================================ controls */

static int
load_fn(struct model *m, void *arg)
{
	json_t *o = pf_state(m);

	json_object_set_new(o, "loaded", json_boolean(*(bool *)arg));
	if (!*(bool *)arg)
		json_object_set_new(o, "tables", json_object());
	return 0;
}

int
model_pf_ctl_load(bool loaded)
{
	return model_ctl(load_fn, &loaded);
}

struct change_arg {
	const char *table, *addr;
	bool add;
	FILE *f;
	int n;     /* nadd / ndel */
};

static int
change_fn(struct model *m, void *arg)
{
	struct change_arg *a = arg;
	struct fbsd_pfaddr x;
	int r;

	if (key_parse(a->addr, &x) < 0)
		return -EINVAL;
	/* pfctl -T add makes the table (pfctl_table.c CREATE_TABLE) */
	if (a->add && (r = do_create(m, a->table)) < 0)
		return r;
	if ((r = do_change(m, a->table, &x, a->add)) < 0)
		return r;
	a->n = r;
	return 0;    /* model_ctl saves only on 0 */
}

int
model_pf_ctl_change(const char *table, const char *addr, bool add)
{
	struct change_arg a = { table, addr, add, NULL, 0 };
	int r = model_ctl(change_fn, &a);

	return r < 0 ? r : a.n;
}

static int
show_fn(struct model *m, void *arg)
{
	struct change_arg *a = arg;
	struct fbsd_pfaddr x;
	char t[INET6_ADDRSTRLEN];
	json_t *l, *s;
	size_t i;

	if (!pf_loaded(m))
		return -ENOENT;
	if ((l = table(m, a->table)) == NULL)
		return -ESRCH;
	json_array_foreach(l, i, s) {
		key_parse(json_string_value(s), &x);
		inet_ntop(x.family, x.addr, t, sizeof(t));
		if (x.prefix == (x.family == AF_INET ? 32 : 128))
			fprintf(a->f, "   %s\n", t);
		else
			fprintf(a->f, "   %s/%d\n", t, x.prefix);
	}
	return 0;
}

int
model_pf_ctl_show(const char *table, FILE *f)
{
	struct change_arg a = { table, NULL, false, f, 0 };

	return model_ctl(show_fn, &a);
}
