/*
 * fbc_masq: CNI ipMasq on FreeBSD, the way FreeBSD's CNI plugins do it (their
 * pkg/ip/ipmasq_freebsd.go runs `pfctl -t cni-nat -T add ADDR` and `-T delete ADDR`):
 * the container's address alone goes into a pf table of the main ruleset that the
 * administrator's pf.conf NAT rule names (`nat on $ext_if inet from <cni-nat> to any ->
 * ($ext_if)`). Here with the table ioctls of fbsd.h, not pfctl.
 *
 * The table is shared (podman's own plugin fills cni-nat too, and an administrator may
 * list addresses in pf.conf), and a pf table entry carries no owner. So jnet keeps its
 * own record: table "jnet-T" (FBC_MASQ_MARK) holds the addresses jnet itself added to
 * table T. No rule uses it. Add: into T; only when the kernel says it added it (nadd 1)
 * is it recorded in jnet-T (if that fails, T gets it back out). An address that was in T
 * already is left unrecorded: somebody else's, or this container's from an earlier ADD
 * (recorded then). Delete: out of jnet-T; only when it was there (ndel 1) out of T too
 * (if that fails, the record goes back). So jnet never removes an address it did not add.
 * A crash between the two steps of an add leaves the address in T unrecorded: a leak,
 * never the removal of somebody else's entry.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "common.h"

struct masq {
	const char *table;                 /* T */
	char mark[FBSD_PF_TABLESIZ];       /* jnet-T */
	struct fbsd_pfaddr a;              /* the container's address, /32 or /128 */
	char text[64];                     /* "ADDR" for messages */
	const char *network, *container;
};

static int
masq_err(struct jnet_err *e, int r, const struct masq *m, const char *ioc, const char *table)
{
	if (r == -ENOENT)
		return jnet_err_set(e, ENOENT, "/dev/pf",
		    "pf is not loaded (kldload pf, pf_enable=YES): ipMasq of %s (network %s, "
		    "container %s) needs pf table %s", m->text, m->network, m->container, m->table);
	return fbc_kerr(e, r, m->text, "%s %s pf table %s (network %s, container %s)", ioc,
	    strcmp(ioc, "DIOCRADDADDRS") == 0 ? "into" : "from", table, m->network,
	    m->container);
}

/* Add the address to `table`, creating the table (persistent) when there is none. */
static int
add_to(const struct masq *m, const char *table, struct jnet_err *e)
{
	int r = fbsd_pf_addr_add(table, &m->a);

	if (r == -ESRCH) {
		if ((r = fbsd_pf_table_create(table)) < 0)
			return masq_err(e, r, m, "DIOCRADDTABLES", table);
		r = fbsd_pf_addr_add(table, &m->a);
	}
	return r < 0 ? masq_err(e, r, m, "DIOCRADDADDRS", table) : r;
}

/* Delete the address from `table`: 1 deleted, 0 not there (no such table either). */
static int
del_from(const struct masq *m, const char *table, struct jnet_err *e)
{
	int r = fbsd_pf_addr_del(table, &m->a);

	if (r == -ESRCH)
		return 0;
	return r < 0 ? masq_err(e, r, m, "DIOCRDELADDRS", table) : r;
}

/* e: the failure r; then undoing it failed too (e2). */
static void
both(struct jnet_err *e, int r, const char *undo, const struct jnet_err *e2)
{
	char first[sizeof(e->msg)], obj[sizeof(e->object)];

	jnet_strlcpy(first, e->msg, sizeof(first));
	jnet_strlcpy(obj, e->object, sizeof(obj));
	jnet_err_set(e, -r, obj, "%s; and %s failed: %s", first, undo, e2->msg);
}

static int
masq_add(const struct masq *m, struct jnet_err *e)
{
	struct jnet_err e2;
	int r;

	if ((r = add_to(m, m->table, e)) <= 0)
		return r;    /* error, or it was there: not jnet's to record */
	if ((r = add_to(m, m->mark, e)) < 0 && del_from(m, m->table, &e2) < 0)
		both(e, r, "taking it back out of the table", &e2);
	return r < 0 ? r : 0;
}

static int
masq_del(const struct masq *m, struct jnet_err *e)
{
	struct jnet_err e2;
	int r;

	if ((r = del_from(m, m->mark, e)) == -ENOENT) {
		jnet_err_clear(e);
		return 0;    /* pf is not loaded: no table holds anything */
	}
	if (r <= 0)
		return r;    /* error, or jnet did not add it: leave table T alone */
	if ((r = del_from(m, m->table, e)) < 0 && add_to(m, m->mark, &e2) < 0)
		both(e, r, "restoring jnet's record", &e2);
	return r < 0 ? r : 0;
}

int
fbc_masq(void *priv, bool add, const char *table, const char *network,
    const char *container_id, int family, const uint8_t *addr, int prefix,
    struct jnet_err *e)
{
	struct masq m = { .table = table ? table : FBC_MASQ_TABLE, .network = network,
		.container = container_id };
	int bits = family == AF_INET ? 32 : 128;

	(void)priv;
	if (m.network == NULL)
		m.network = "";
	if (m.container == NULL)
		m.container = "";
	if ((family != AF_INET && family != AF_INET6) || prefix < 0 || prefix > bits)
		return jnet_err_set(e, EINVAL, m.table, "ipMasq: bad address (family %d, prefix %d)",
		    family, prefix);
	if (m.table[0] == '\0' || snprintf(m.mark, sizeof(m.mark), "%s%s", FBC_MASQ_MARK,
	    m.table) >= (int)sizeof(m.mark))
		return jnet_err_set(e, EINVAL, m.table, "pf table name must be 1 to %zu characters",
		    sizeof(m.mark) - 1 - strlen(FBC_MASQ_MARK));
	m.a.family = family;
	m.a.prefix = bits;
	memcpy(m.a.addr, addr, (size_t)bits / 8);
	inet_ntop(family, addr, m.text, sizeof(m.text));
	return add ? masq_add(&m, e) : masq_del(&m, e);
}
