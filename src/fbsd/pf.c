/*
 * The FreeBSD primitives for pf(4) tables (see fbsd.h): one ioctl on /dev/pf each, the
 * way pfctl(8) makes them (sbin/pfctl/pfctl_radix.c pfr_add_tables and friends; struct
 * pfioc_table, pfr_table, pfr_addr of net/pfvar.h). No libpfctl: it is not in every base
 * system the port builds for, and these four ioctls are all jnet needs.
 * Compiled on FreeBSD only.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <net/if.h>
#include <net/pfvar.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fbsd.h"

_Static_assert(FBSD_PF_TABLESIZ == PF_TABLE_NAME_SIZE, "PF_TABLE_NAME_SIZE");

/* One ioctl on a fresh /dev/pf descriptor: 0 or -errno (ENOENT: pf is not loaded). */
static int
pf_ioctl(unsigned long req, struct pfioc_table *io)
{
	int fd, r = 0;

	/* O_RDWR: pf_ioctl.c pfioctl refuses the table-changing requests on a read-only
	 * descriptor (EACCES), like pfctl's own open of /dev/pf. */
	if ((fd = open("/dev/pf", O_RDWR | O_CLOEXEC)) < 0)
		return -errno;
	if (ioctl(fd, req, io) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* The table in the main ruleset (anchor ""): -EINVAL when the name does not fit. */
static int
table_init(struct pfioc_table *io, const char *table)
{
	memset(io, 0, sizeof(*io));
	if (table[0] == '\0' ||
	    strlen(table) >= sizeof(io->pfrio_table.pfrt_name))
		return -EINVAL;
	memcpy(io->pfrio_table.pfrt_name, table, strlen(table));
	return 0;
}

static int
addr_init(struct pfr_addr *p, const struct fbsd_pfaddr *a)
{
	memset(p, 0, sizeof(*p));
	if (a->family == AF_INET && a->prefix >= 0 && a->prefix <= 32)
		memcpy(&p->pfra_ip4addr, a->addr, 4);
	else if (a->family == AF_INET6 && a->prefix >= 0 && a->prefix <= 128)
		memcpy(&p->pfra_ip6addr, a->addr, 16);
	else
		return -EINVAL;
	p->pfra_af = (u_int8_t)a->family;
	p->pfra_net = (u_int8_t)a->prefix;
	return 0;
}

int
fbsd_pf_table_create(const char *table)
{
	struct pfioc_table io;
	struct pfr_table t;
	int r;

	if ((r = table_init(&io, table)) < 0)
		return r;
	t = io.pfrio_table;
	t.pfrt_flags = PFR_TFLAG_PERSIST;
	io.pfrio_buffer = &t;
	io.pfrio_esize = sizeof(t);
	io.pfrio_size = 1;
	if ((r = pf_ioctl(DIOCRADDTABLES, &io)) < 0)
		return r;
	return io.pfrio_nadd;
}

/* DIOCRADDADDRS / DIOCRDELADDRS of one address: the kernel's nadd / ndel. */
static int
addr_change(unsigned long req, const char *table, const struct fbsd_pfaddr *a)
{
	struct pfioc_table io;
	struct pfr_addr p;
	int r;

	if ((r = table_init(&io, table)) < 0 || (r = addr_init(&p, a)) < 0)
		return r;
	io.pfrio_buffer = &p;
	io.pfrio_esize = sizeof(p);
	io.pfrio_size = 1;
	if ((r = pf_ioctl(req, &io)) < 0)
		return r;
	return req == DIOCRADDADDRS ? io.pfrio_nadd : io.pfrio_ndel;
}

int
fbsd_pf_addr_add(const char *table, const struct fbsd_pfaddr *a)
{
	return addr_change(DIOCRADDADDRS, table, a);
}

int
fbsd_pf_addr_del(const char *table, const struct fbsd_pfaddr *a)
{
	return addr_change(DIOCRDELADDRS, table, a);
}

int
fbsd_pf_addrs(const char *table, struct fbsd_pfaddr *v, int max)
{
	struct pfioc_table io;
	struct pfr_addr *p;
	int r, n;

	if ((r = table_init(&io, table)) < 0)
		return r;
	if (max < 1)
		max = 1;
	if ((p = calloc((size_t)max, sizeof(*p))) == NULL)
		return -ENOMEM;
	io.pfrio_buffer = p;
	io.pfrio_esize = sizeof(*p);
	io.pfrio_size = max;
	if ((r = pf_ioctl(DIOCRGETADDRS, &io)) < 0) {
		free(p);
		return r;
	}
	/* pf_table.c pfr_get_addrs: more than fit -> only the count, nothing copied. */
	n = io.pfrio_size;
	for (int i = 0; n <= max && i < n && v != NULL; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		v[i].family = p[i].pfra_af;
		v[i].prefix = p[i].pfra_net;
		if (p[i].pfra_af == AF_INET)
			memcpy(v[i].addr, &p[i].pfra_ip4addr, 4);
		else
			memcpy(v[i].addr, &p[i].pfra_ip6addr, 16);
	}
	free(p);
	return n;
}
