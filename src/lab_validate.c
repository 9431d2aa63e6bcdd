/*
 * Lab file validation over the whole lab (lab_parse.c calls it last): addresses and MACs
 * that would clash on one segment or in one jail.
 *
 * An address may appear once per layer-2 segment (a bridge, a link) and once per jail:
 * two equal addresses there break ARP/ND or the jail's own routing. Equal addresses on
 * separate segments of separate jails are allowed (isolated networks may reuse a plan).
 * An explicit MAC may appear once per segment: two equal MACs on one bridge make its
 * forwarding table flap between the two ports.
 */
#include "lab_parse_int.h"
#include "mac.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* An address (a != NULL) or the explicit MAC of interface f. */
struct ref {
	const struct jnet_lab_iface *f;
	const struct jnet_lab_addr *a;
	int jail;
	int segment;       /* bridge index, or nbridges + link index */
};

/*
 * Every address (macs false) or every explicit MAC (macs true) of the lab, in *out (NULL
 * when there are fewer than two: nothing can clash).
 */
static int
collect(struct pctx *p, bool macs, struct ref **out, size_t *np)
{
	const struct jnet_lab *lab = p->lab;
	size_t n = 0, k = 0;
	struct ref *v;

	*out = NULL;
	for (int j = 0; j < lab->njails; j++)
		for (int i = 0; i < lab->jails[j].nifaces; i++)
			n += macs ? (size_t)lab->jails[j].ifaces[i].has_mac :
			    (size_t)lab->jails[j].ifaces[i].naddrs;
	*np = n;
	if (n < 2)
		return 0;
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return jnet_err_set(p->e, ENOMEM, "", "out of memory");
	for (int j = 0; j < lab->njails; j++)
		for (int i = 0; i < lab->jails[j].nifaces; i++) {
			const struct jnet_lab_iface *f = &lab->jails[j].ifaces[i];
			int seg = f->bridge >= 0 ? f->bridge : lab->nbridges + f->link;

			if (macs && f->has_mac)
				v[k++] = (struct ref){ f, NULL, j, seg };
			for (int a = 0; !macs && a < f->naddrs; a++)
				v[k++] = (struct ref){ f, &f->addrs[a], j, seg };
		}
	*out = v;
	return 0;
}

/* "on bridge 'NAME'" or "on the same link" for segment seg. */
static void
segment_where(const struct jnet_lab *lab, int seg, char *out, size_t len)
{
	if (seg < lab->nbridges)
		snprintf(out, len, "on bridge '%s'", lab->bridges[seg].name);
	else
		snprintf(out, len, "on the same link");
}

static int
addr_cmp(const void *x, const void *y)
{
	const struct ref *a = x, *b = y;
	int c = a->a->family - b->a->family;

	if (c == 0)
		c = memcmp(a->a->addr, b->a->addr, 16);
	if (c == 0)
		c = lp_pos_before(a->a->pos, b->a->pos) ? -1 : lp_pos_before(b->a->pos, a->a->pos);
	return c;
}

int
lp_check_dup_addrs(struct pctx *p)
{
	struct jnet_lab *lab = p->lab;
	size_t n, bi = 0, bj = 0;
	bool found = false;
	struct ref *v;
	int r;

	if ((r = collect(p, false, &v, &n)) < 0 || v == NULL)
		return r;
	qsort(v, n, sizeof(*v), addr_cmp);
	/* Among all conflicts, report the one whose later address comes first in the file. */
	for (size_t s = 0, e; s < n; s = e) {
		for (e = s + 1; e < n && v[e].a->family == v[s].a->family &&
		    memcmp(v[e].a->addr, v[s].a->addr, 16) == 0; e++)
			;
		for (size_t y = s + 1; y < e; y++)
			for (size_t x = s; x < y; x++)
				if ((v[x].jail == v[y].jail || v[x].segment == v[y].segment) &&
				    (!found || lp_pos_before(v[y].a->pos, v[bj].a->pos))) {
					bi = x;
					bj = y;
					found = true;
					break;
				}
	}
	if (found) {
		const struct ref *x = &v[bi], *y = &v[bj];
		char where[JNET_JAILNAMSIZ + 32];

		if (y->segment != x->segment)
			snprintf(where, sizeof(where), "in jail '%s'", lab->jails[y->jail].name);
		else
			segment_where(lab, y->segment, where, sizeof(where));
		r = lp_perr_pos(p, y->a->pos, "address %s is already used %s (line %u, column %u)",
		    y->a->text, where, x->a->pos.line, x->a->pos.col);
	}
	free(v);
	return r;
}

static int
mac_cmp(const void *x, const void *y)
{
	const struct ref *a = x, *b = y;
	int c = a->segment - b->segment;

	if (c == 0)
		c = memcmp(a->f->mac, b->f->mac, 6);
	if (c == 0)
		c = lp_pos_before(a->f->mac_pos, b->f->mac_pos) ? -1 :
		    lp_pos_before(b->f->mac_pos, a->f->mac_pos);
	return c;
}

int
lp_check_dup_macs(struct pctx *p)
{
	struct jnet_lab *lab = p->lab;
	const struct ref *bx = NULL, *by = NULL;
	char mac[JNET_MACSTRLEN], where[64];
	struct ref *v;
	size_t n;
	int r;

	if ((r = collect(p, true, &v, &n)) < 0 || v == NULL)
		return r;
	qsort(v, n, sizeof(*v), mac_cmp);
	/* Report the conflict whose later MAC comes first in the file. */
	for (size_t y = 1; y < n; y++)
		if (v[y].segment == v[y - 1].segment && memcmp(v[y].f->mac, v[y - 1].f->mac, 6) == 0 &&
		    (by == NULL || lp_pos_before(v[y].f->mac_pos, by->f->mac_pos))) {
			size_t x = y - 1;

			while (x > 0 && v[x - 1].segment == v[y].segment &&
			    memcmp(v[x - 1].f->mac, v[y].f->mac, 6) == 0)
				x--;
			bx = &v[x];
			by = &v[y];
		}
	if (by != NULL) {
		jnet_mac_format(by->f->mac, mac);
		segment_where(lab, by->segment, where, sizeof(where));
		r = lp_perr_pos(p, by->f->mac_pos, "mac %s is already used %s (line %u, column %u)",
		    mac, where, bx->f->mac_pos.line, bx->f->mac_pos.col);
	}
	free(v);
	return r;
}
