/*
 * ipMasq for CNI mode. Linux: nftables through libnftables, in a table of jnet's own:
 *
 *   table inet jnet-cni {
 *     map saddr4 { type ipv4_addr : verdict;      one element per container address:
 *       elements = { 10.88.0.5 comment "jnet-cni NET CID IFNAME" : jump out4-10.88.0.0/16 } }
 *     map saddr6 { type ipv6_addr : verdict; }    (the same for IPv6: out6-fd88__/64)
 *     chain postrouting { type nat hook postrouting priority srcnat;
 *       ip daddr 224.0.0.0/4 return; ip6 daddr ff00::/8 return;
 *       ip saddr vmap @saddr4; ip6 saddr vmap @saddr6 }
 *     chain out4-10.88.0.0/16 { ip daddr != 10.88.0.0/16 masquerade; jump anchor }
 *     chain anchor { } }
 *
 * the reference plugins' semantics (masquerade what the container sends outside its subnet,
 * multicast excepted). One chain per subnet, shared by every address in it. And a record
 * per attachment, so that a DEL finds its addresses without being told them (a runtime
 * without the ADD's result: an ADD killed after its transaction), by key: map rec
 * { type ifname : ipv6_addr }, key "r" + 12 base-32 digits of jnet_hash64("NET/CID/IFNAME")
 * + one hex digit per address (0..f), the address (IPv4 as ::ffff:a.b.c.d), commented like
 * the address's element. (A chain per attachment would be found by name too, but
 * libnftables lists every chain of the ruleset before adding a rule.)
 *
 * ADD and DEL cost the same whatever the number of containers (no listing): the element of
 * the address is read with one netlink GETSETELEM of its key (a hash lookup in the kernel;
 * libnftables' "get element" would dump the whole set into its cache), its comment says whose
 * it is, and the change is one libnftables transaction of fixed size. The element's owner is
 * the last attachment (network, container ID, ifname) that added the address: a DEL of another
 * leaves it. How a
 * DEL knows that the last element went, without listing: the kernel counts references to
 * chains and refuses to delete a referenced one (EBUSY). A subnet chain is referenced by
 * the elements that jump to it, and chain anchor by the subnet chains (their "jump anchor");
 * so after deleting its element a DEL tries to delete the subnet chain, and when that worked,
 * chain anchor and the table: EBUSY means something is still there. GC lists (it may).
 * Every change serialises on a lock file (a del that removes the table must not race an add
 * that puts an element in it). No other table is ever listed or changed: every command names
 * "inet jnet-cni".
 */
#include "cni_ipam.h"

#include <errno.h>

static const char *masq_rundir;

void
jnet_cni_masq_set_rundir(const char *dir)
{
	masq_rundir = dir;
}

#ifndef __linux__

int
jnet_cni_masq(bool add, const struct jnet_masq_who *who, int family, const uint8_t *addr,
    int prefix, struct jnet_err *e)
{
	(void)add, (void)family, (void)addr, (void)prefix;
	return jnet_err_set(e, EOPNOTSUPP, who->network, "ipMasq on FreeBSD: pf table (not in "
	    "this build)");
}

int
jnet_cni_masq_del_all(const struct jnet_masq_who *who, struct jnet_err *e)
{
	return jnet_err_set(e, EOPNOTSUPP, who->network, "ipMasq on FreeBSD: pf table (not in "
	    "this build)");
}

int
jnet_cni_masq_gc(const char *network, const struct jnet_masq_who *keep, int n,
    struct jnet_err *e)
{
	(void)keep, (void)n;
	return jnet_err_set(e, EOPNOTSUPP, network, "ipMasq on FreeBSD: pf table (not in this "
	    "build)");
}

#else

#include <arpa/inet.h>
#include <nftables/libnftables.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cni_masq.h"
#include "lock.h"

#define TABLE "inet " JNET_MASQ_TABLE

struct masq {
	struct nft_ctx *nft;                     /* (made by run() when first needed) */
	int lock;
	char comment[JNET_MASQ_COMMENT_MAX + 1]; /* "jnet-cni NETWORK CID IFNAME" */
	size_t netlen;                           /* "jnet-cni NETWORK " */
	char legacy[JNET_MASQ_COMMENT_MAX + 1];  /* "jnet-cni NETWORK CID": before IFNAME was */
	char reckey[16];                         /* "r" hash(12) and the index's digit */
	char err[256];                           /* first line of nft's last error */
	char *cmd;                               /* GC's batch grows with what it deletes */
	size_t cmdlen, cmdcap;
};

/* The spec's characters for names and IDs; also what keeps the comment unquoted. */
static int
check_id(const char *what, const char *s, struct jnet_err *e)
{
	if (s == NULL || s[0] == '\0')
		return jnet_err_set(e, EINVAL, "", "ipMasq: empty %s", what);
	for (const char *p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			return jnet_err_set(e, EINVAL, s, "ipMasq: %s '%s' has a character other "
			    "than letters, digits, '_', '.', '-'", what, s);
	return 0;
}

/* A subnet chain's name as jnet makes them: out4-/out6- then [0-9a-f./_]. */
static bool
is_subnet_chain(const char *c)
{
	if (strncmp(c, "out4-", 5) != 0 && strncmp(c, "out6-", 5) != 0)
		return false;
	return c[5] != '\0' && strspn(c + 5, "0123456789abcdef./_") == strlen(c + 5);
}

/* The names of attachment who (its container ID and ifname NULL: a GC's, of the network). */
static int
masq_names(struct masq *m, const struct jnet_masq_who *who, struct jnet_err *e)
{
	uint64_t h;
	int r;

	if ((r = check_id("network name", who->network, e)) < 0)
		return r;
	m->netlen = (size_t)snprintf(m->comment, sizeof(m->comment), "jnet-cni %s ",
	    who->network);
	if (m->netlen >= sizeof(m->comment))
		return jnet_err_set(e, ENAMETOOLONG, who->network, "ipMasq: network name '%s' too "
		    "long for an nftables comment", who->network);
	if (who->container_id == NULL)
		return 0;
	if ((r = check_id("container ID", who->container_id, e)) < 0 ||
	    (r = check_id("ifname", who->ifname, e)) < 0)
		return r;
	if (m->netlen + strlen(who->container_id) + 1 + strlen(who->ifname) >
	    JNET_MASQ_COMMENT_MAX)
		return jnet_err_set(e, ENAMETOOLONG, who->container_id, "ipMasq: network name, "
		    "container ID and ifname longer than %d characters together (an nftables "
		    "comment)", JNET_MASQ_COMMENT_MAX - 11);
	snprintf(m->legacy, sizeof(m->legacy), "%s%s", m->comment, who->container_id);
	snprintf(m->comment + m->netlen, sizeof(m->comment) - m->netlen, "%s %s",
	    who->container_id, who->ifname);
	h = jnet_hash64(m->comment + 9, strlen(m->comment + 9)); /* "NET CID IFNAME" */
	m->reckey[0] = 'r';
	for (int i = 0; i < 12; i++)
		m->reckey[1 + i] = "abcdefghijklmnopqrstuvwxyz234567"[(h >> (59 - 5 * i)) & 31];
	return 0;
}

/*
 * Names, the lock, and whose the table is (one GETTABLE): a table inet jnet-cni without
 * jnet's comment is somebody else's: an add refuses it (-EEXIST), a del or gc leaves it
 * (1: nothing of jnet's is in it).
 */
static int
masq_open(struct masq *m, const struct jnet_masq_who *who, bool add, struct jnet_err *e)
{
	struct jnet_masq_elem t;
	int r;

	memset(m, 0, sizeof(*m));
	m->lock = -1;
	if ((r = masq_names(m, who, e)) < 0)
		return r;
	if ((m->lock = jnet_lock(masq_rundir && masq_rundir[0] ? masq_rundir :
	    JNET_RUNDIR_DEFAULT, "cni", "masq", JNET_LOCK_WAIT_MS_DEFAULT,
	    e)) < 0)
		return m->lock;
	if ((r = jnet_cni_masq_table(&t, e)) < 0)
		return r;
	if (!t.found || strcmp(t.comment, JNET_MASQ_OWNER) == 0)
		return 0;
	if (!add)
		return 1;
	return jnet_err_set(e, EEXIST, TABLE, "ipMasq: table " TABLE " exists and is not jnet's "
	    "(no comment \"" JNET_MASQ_OWNER "\"): jnet neither uses nor deletes it");
}

/* libnftables, loaded (src/cni_nftdl.c) by the first change. */
static int
masq_nft(struct masq *m, struct jnet_err *e)
{
	if (m->nft != NULL)
		return 0;
	if ((m->nft = nft_ctx_new(NFT_CTX_DEFAULT)) == NULL) {
		int err = errno == ENOENT ? ENOENT : ENOMEM;

		return jnet_err_set(e, err, "", err == ENOENT ?
		    "ipMasq: cannot load libnftables.so.1 (Debian: apt-get install libnftables1)" :
		    "ipMasq: libnftables context");
	}
	nft_ctx_buffer_output(m->nft);
	nft_ctx_buffer_error(m->nft);
	nft_ctx_output_set_flags(m->nft, NFT_CTX_OUTPUT_JSON);
	return 0;
}

static void
masq_close(struct masq *m)
{
	if (m->nft != NULL)
		nft_ctx_free(m->nft);
	if (m->lock >= 0)
		jnet_unlock(m->lock);
	free(m->cmd);
}

static void cmd_add(struct masq *m, const char *fmt, ...) JNET_PRINTF(2, 3);

/* Append to the batch (on allocation failure the batch is dropped: run() reports it). */
static void
cmd_add(struct masq *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || m->cmdlen == (size_t)-1)
		return;
	if (m->cmdlen + (size_t)n + 1 > m->cmdcap) {
		size_t cap = (m->cmdlen + (size_t)n + 1) * 2;
		char *c = realloc(m->cmd, cap);

		if (c == NULL) {
			m->cmdlen = (size_t)-1;
			return;
		}
		m->cmd = c;
		m->cmdcap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(m->cmd + m->cmdlen, m->cmdcap - m->cmdlen, fmt, ap);
	va_end(ap);
	m->cmdlen += (size_t)n;
}

/* Run the commands gathered (one transaction); -EIO with nft's error text (also in m->err). */
static int
run(struct masq *m, const char *what, struct jnet_err *e)
{
	size_t len = m->cmdlen;
	int r = 0;

	m->cmdlen = 0;
	m->err[0] = '\0';
	if (len == (size_t)-1)
		return jnet_err_set(e, ENOMEM, TABLE, "ipMasq: %s: nftables batch", what);
	if (len == 0)
		return 0;
	if ((r = masq_nft(m, e)) < 0)
		return r;
	if (nft_run_cmd_from_buffer(m->nft, m->cmd) != 0) {
		const char *err = nft_ctx_get_error_buffer(m->nft);

		snprintf(m->err, sizeof(m->err), "%.*s", (int)strcspn(err, "\n"), err);
		r = jnet_err_set(e, EIO, TABLE, "ipMasq: %s: nftables: %s", what, m->err);
	}
	return r;
}

/* run() where nft failing with errno `ok` (the text of it) is success: 0, 1 for `ok`. */
static int
run_unless(struct masq *m, const char *what, int ok, struct jnet_err *e)
{
	int r = run(m, what, e);

	if (r < 0 && strstr(m->err, strerror(ok)) != NULL) {
		jnet_err_clear(e);
		return 1;
	}
	return r;
}

/* --- add, del --- */

/* The subnet of addr/prefix ("10.88.0.0/16") and its chain ("out4-10.88.0.0/16"). */
static void
subnet_of(int family, const uint8_t *addr, int prefix, char *subnet, size_t sn, char *chain,
    size_t cn)
{
	uint8_t net[16] = { 0 };
	char n[INET6_ADDRSTRLEN];

	for (int b = 0; b < prefix; b++)
		net[b / 8] |= addr[b / 8] & (0x80 >> (b % 8));
	inet_ntop(family, net, n, sizeof(n));
	snprintf(subnet, sn, "%s/%d", n, prefix);
	snprintf(chain, cn, "out%c-%s", family == AF_INET ? '4' : '6', subnet);
	for (char *p = chain; *p != '\0'; p++)
		if (*p == ':')
			*p = '_'; /* (':' is not allowed in an unquoted nft name) */
}

/*
 * After an element went: delete the subnet chain it jumped to, and when that worked chain
 * anchor and the table. EBUSY = still referenced (by other elements, other subnet chains).
 */
static int
masq_tidy(struct masq *m, const char *chain, struct jnet_err *e)
{
	int r;

	if (!is_subnet_chain(chain))
		return 0;
	cmd_add(m, "delete chain " TABLE " %s\n", chain);
	if ((r = run_unless(m, "delete", EBUSY, e)) == 1)
		return 0;
	if (r < 0 && strstr(m->err, strerror(ENOENT)) == NULL)
		return r;
	jnet_err_clear(e); /* (a chain already gone: the table may be empty all the same) */
	cmd_add(m, "delete chain " TABLE " anchor\ndelete table " TABLE "\n");
	if ((r = run_unless(m, "delete", EBUSY, e)) < 0 && strstr(m->err, strerror(ENOENT)))
		jnet_err_clear(e), r = 0;
	return r < 0 ? r : 0;
}

/* --- the attachment's record --- */

/* Its key for address slot i ("rHASH" and a hex digit; NUL-padded to ifname's 16 bytes). */
static const char *
rec_key(struct masq *m, int i)
{
	m->reckey[13] = "0123456789abcdef"[i & 15];
	m->reckey[14] = '\0';
	return m->reckey;
}

/* addr as ipv6_addr text (IPv4 as ::ffff:a.b.c.d) in out. */
static const char *
v6(int family, const uint8_t *addr, char out[INET6_ADDRSTRLEN])
{
	uint8_t m[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (family == AF_INET)
		memcpy(m + 12, addr, 4);
	inet_ntop(AF_INET6, family == AF_INET ? m : addr, out, INET6_ADDRSTRLEN);
	return out;
}

/* Slot i of the record: 1 this attachment's (its address in *family/addr), 0 free, 2 another
 * attachment's (a hash collision), -errno. */
static int
rec_get(struct masq *m, int i, int *family, uint8_t addr[16], struct jnet_err *e)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	struct jnet_masq_elem el;
	char key[16] = { 0 };
	int r;

	memcpy(key, rec_key(m, i), 15);
	if ((r = jnet_cni_masq_elem("rec", key, sizeof(key), &el, e)) < 0)
		return r;
	if (!el.found)
		return 0;
	if (strcmp(el.comment, m->comment) != 0 || el.datalen != 16)
		return 2;
	*family = memcmp(el.data, mapped, 12) == 0 ? AF_INET : AF_INET6;
	memcpy(addr, *family == AF_INET ? el.data + 12 : el.data, *family == AF_INET ? 4 : 16);
	return 1;
}

/* The record's slot for addr: its own (1), else the first free one (0); -errno. */
static int
rec_slot(struct masq *m, int family, const uint8_t *addr, int *slot, struct jnet_err *e)
{
	uint8_t a[16];
	int f, r;

	for (int i = 0; i < JNET_MASQ_RECORD_MAX; i++) {
		if ((r = rec_get(m, i, &f, a, e)) < 0)
			return r;
		*slot = i;
		if (r == 0 || (r == 1 && f == family && memcmp(a, addr, family == AF_INET ? 4 :
		    16) == 0))
			return r;
	}
	return jnet_err_set(e, ENOSPC, m->comment, "ipMasq: more than %d addresses for one "
	    "attachment", JNET_MASQ_RECORD_MAX);
}

/* The element of addr in saddr4/saddr6. */
static int
elem_of(int family, const uint8_t *addr, struct jnet_masq_elem *out, struct jnet_err *e)
{
	return jnet_cni_masq_elem(family == AF_INET ? "saddr4" : "saddr6", addr,
	    family == AF_INET ? 4 : 16, out, e);
}

static int
masq_add(struct masq *m, const struct jnet_masq_elem *cur, int family, const uint8_t *addr,
    int prefix, const char *a, struct jnet_err *e)
{
	const char *ip = family == AF_INET ? "ip" : "ip6", *set = family == AF_INET ? "saddr4" :
	    "saddr6";
	char subnet[INET6_ADDRSTRLEN + 4], chain[JNET_MASQ_CHAIN_MAX + 1], a6[INET6_ADDRSTRLEN];
	int r, slot;

	if ((r = rec_slot(m, family, addr, &slot, e)) < 0)
		return r;
	slot = r == 1 ? -1 : slot; /* (recorded already) */
	subnet_of(family, addr, prefix, subnet, sizeof(subnet), chain, sizeof(chain));
	if (slot < 0 && cur->found && strcmp(cur->comment, m->comment) == 0 &&
	    strcmp(cur->chain, chain) == 0)
		return 0; /* already there */
	cmd_add(m, "add table " TABLE " { comment \"" JNET_MASQ_OWNER "\"; }\n"
	    "add chain " TABLE " anchor\n"
	    "add map " TABLE " saddr4 { type ipv4_addr : verdict; }\n"
	    "add map " TABLE " saddr6 { type ipv6_addr : verdict; }\n"
	    "add map " TABLE " rec { type ifname : ipv6_addr; }\n"
	    "add chain " TABLE " postrouting { type nat hook postrouting priority srcnat; }\n"
	    "flush chain " TABLE " postrouting\n"
	    "add rule " TABLE " postrouting ip daddr 224.0.0.0/4 return\n"
	    "add rule " TABLE " postrouting ip6 daddr ff00::/8 return\n"
	    "add rule " TABLE " postrouting ip saddr vmap @saddr4\n"
	    "add rule " TABLE " postrouting ip6 saddr vmap @saddr6\n");
	cmd_add(m, "add chain " TABLE " %s\nflush chain " TABLE " %s\n"
	    "add rule " TABLE " %s %s daddr != %s masquerade\n"
	    "add rule " TABLE " %s jump anchor\n", chain, chain, chain, ip, subnet, chain);
	if (cur->found) /* another owner's, or another subnet's: this add takes it over */
		cmd_add(m, "delete element " TABLE " %s { %s }\n", set, a);
	cmd_add(m, "add element " TABLE " %s { %s comment \"%s\" : jump %s }\n", set, a,
	    m->comment, chain);
	if (slot >= 0) /* the attachment's record of the address (DEL's way to it) */
		cmd_add(m, "add element " TABLE " rec { \"%s\" comment \"%s\" : %s }\n",
		    rec_key(m, slot), m->comment, v6(family, addr, a6));
	if ((r = run(m, "add", e)) < 0)
		return r;
	return cur->found && strcmp(cur->chain, chain) != 0 ? masq_tidy(m, cur->chain, e) : 0;
}

/* Is the element this attachment's? (Or, as elements made before the ifname was in the
 * comment say it, its container's on its network.) */
static bool
owned(const struct masq *m, const struct jnet_masq_elem *cur)
{
	return cur->found && (strcmp(cur->comment, m->comment) == 0 ||
	    strcmp(cur->comment, m->legacy) == 0);
}

static int
masq_del(struct masq *m, const struct jnet_masq_elem *cur, int family, const char *a,
    struct jnet_err *e)
{
	int r;

	if (!owned(m, cur))
		return 0; /* gone, or another attachment's now */
	cmd_add(m, "delete element " TABLE " %s { %s }\n", family == AF_INET ? "saddr4" :
	    "saddr6", a);
	if ((r = run_unless(m, "delete", ENOENT, e)) < 0)
		return r;
	return masq_tidy(m, cur->chain, e);
}

int
jnet_cni_masq(bool add, const struct jnet_masq_who *who, int family, const uint8_t *addr,
    int prefix, struct jnet_err *e)
{
	struct masq m;
	struct jnet_masq_elem cur;
	char a[INET6_ADDRSTRLEN];
	int r;

	if ((family != AF_INET && family != AF_INET6) || prefix < 0 ||
	    prefix > (family == AF_INET ? 32 : 128))
		return jnet_err_set(e, EINVAL, who->network, "ipMasq: bad address family or "
		    "prefix");
	if (who->container_id == NULL)
		return jnet_err_set(e, EINVAL, who->network, "ipMasq: no container ID");
	inet_ntop(family, addr, a, sizeof(a));
	if ((r = masq_open(&m, who, add, e)) != 0) {
		masq_close(&m);
		return r < 0 ? r : 0;
	}
	if ((r = elem_of(family, addr, &cur, e)) == 0)
		r = add ? masq_add(&m, &cur, family, addr, prefix, a, e) :
		    masq_del(&m, &cur, family, a, e);
	masq_close(&m);
	return r;
}

/*
 * DEL without the addresses: those of the attachment's record. Its elements (those it
 * still owns) and the record go in one transaction; then each subnet chain left without
 * elements, and the table when nothing is left.
 */
int
jnet_cni_masq_del_all(const struct jnet_masq_who *who, struct jnet_err *e)
{
	struct jnet_masq_elem cur[JNET_MASQ_RECORD_MAX];
	uint8_t addr[16];
	char a[INET6_ADDRSTRLEN];
	struct masq m;
	int family, n = 0, r;

	if (who->container_id == NULL)
		return jnet_err_set(e, EINVAL, who->network, "ipMasq: no container ID");
	if ((r = masq_open(&m, who, false, e)) != 0) {
		masq_close(&m);
		return r < 0 ? r : 0;
	}
	memset(cur, 0, sizeof(cur));
	for (; n < JNET_MASQ_RECORD_MAX; n++) {
		if ((r = rec_get(&m, n, &family, addr, e)) <= 0)
			break;
		if (r == 2)
			continue; /* another attachment's (a hash collision) */
		if ((r = elem_of(family, addr, &cur[n], e)) < 0)
			break;
		cmd_add(&m, "delete element " TABLE " rec { \"%s\" }\n", rec_key(&m, n));
		if (!owned(&m, &cur[n]))
			continue;
		inet_ntop(family, addr, a, sizeof(a));
		cmd_add(&m, "delete element " TABLE " %s { %s }\n", family == AF_INET ? "saddr4" :
		    "saddr6", a);
	}
	/* (nothing recorded: nothing run, libnftables not even loaded) */
	if (r < 0 || (r = run_unless(&m, "delete", ENOENT, e)) < 0)
		goto out;
	for (int i = 0; i < n; i++)
		if (owned(&m, &cur[i]) && (r = masq_tidy(&m, cur[i].chain, e)) < 0)
			goto out;
	r = 0;
out:
	masq_close(&m);
	return r;
}

/* --- gc (it may list) --- */

struct keep {
	const struct jnet_masq_who *who;
	int n;
};

/* Is "CID<sep>IFNAME" (or a bare "CID": an element made before the ifname was in the
 * comment, kept while its container has any attachment) an attachment keep[] lists? */
static bool
kept(const struct keep *k, const char *s, char sep)
{
	const char *end = strchr(s, sep);
	size_t cl = end != NULL ? (size_t)(end - s) : strlen(s);

	for (int i = 0; i < k->n; i++) {
		const struct jnet_masq_who *w = &k->who[i];

		if (w->container_id != NULL && strlen(w->container_id) == cl &&
		    strncmp(s, w->container_id, cl) == 0 && (end == NULL ||
		    (w->ifname != NULL && strcmp(end + 1, w->ifname) == 0)))
			return true;
	}
	return false;
}

/* Is the element with comment c one of this network's that keep[] does not list? */
static bool
stale(const struct masq *m, const char *c, const struct keep *k)
{
	if (c == NULL || strncmp(c, m->comment, m->netlen) != 0)
		return false; /* another network's, or not jnet's */
	return !kept(k, c + m->netlen, ' ');
}


/* Is chain in the "referenced" array (of JSON strings)? */
static bool
referenced(json_t *refs, const char *chain)
{
	size_t i;
	json_t *v;

	json_array_foreach(refs, i, v)
		if (strcmp(json_string_value(v), chain) == 0)
			return true;
	return false;
}

/*
 * One transaction: delete the stale elements and the subnet chains no element left jumps
 * to; the whole table when no element is left.
 */
static int
gc_plan(struct masq *m, json_t *list, const struct keep *k, struct jnet_err *e)
{
	json_t *refs = json_array(), *o, *el, *set;
	int nkept = 0, gone = 0;
	size_t i, j;

	json_array_foreach(list, i, o) {
		if ((set = json_object_get(o, "map")) == NULL)
			continue;
		const char *name = json_string_value(json_object_get(set, "name"));
		bool rec = name != NULL && strcmp(name, "rec") == 0;

		json_array_foreach(json_object_get(set, "elem"), j, el) {
			json_t *key = json_object_get(json_array_get(el, 0), "elem");
			const char *c = json_string_value(json_object_get(key, "comment"));
			const char *a = json_string_value(json_object_get(key, "val"));
			const char *t = json_string_value(json_object_get(json_object_get(
			    json_array_get(el, 1), "jump"), "target"));

			if (rec) { /* a record: goes with its attachment, keeps nothing */
				if (a != NULL && stale(m, c, k) && strspn(a, "abcdefghijklmnopqrstuvwxyz"
				    "234567") == strlen(a) - 1 && strlen(a) == 14) {
					cmd_add(m, "delete element " TABLE " rec { \"%s\" }\n", a);
					gone++;
				}
			} else if (a != NULL && stale(m, c, k) && strspn(a, "0123456789abcdef.:") ==
			    strlen(a)) {
				cmd_add(m, "delete element " TABLE " %s { %s }\n", name, a);
				gone++;
			} else {
				nkept++;
				if (t != NULL)
					json_array_append_new(refs, json_string(t));
			}
		}
	}
	json_array_foreach(list, i, o) {
		const char *c = json_string_value(json_object_get(json_object_get(o, "chain"),
		    "name"));

		if (nkept > 0 && c != NULL && is_subnet_chain(c) && !referenced(refs, c)) {
			cmd_add(m, "delete chain " TABLE " %s\n", c);
			gone++;
		}
	}
	json_decref(refs);
	if (nkept == 0) {
		m->cmdlen = 0;
		cmd_add(m, "delete table " TABLE "\n");
	} else if (gone == 0) {
		return 0;
	}
	return run(m, "gc", e);
}

int
jnet_cni_masq_gc(const char *network, const struct jnet_masq_who *keep, int n,
    struct jnet_err *e)
{
	struct jnet_masq_who who = { network, NULL, NULL };
	struct keep k = { keep, n };
	json_error_t je;
	struct masq m;
	json_t *j = NULL;
	int r;

	if ((r = masq_open(&m, &who, false, e)) != 0)
		goto out; /* (1: the table is not jnet's) */
	cmd_add(&m, "list table " TABLE "\n");
	if ((r = run_unless(&m, "gc", ENOENT, e)) != 0)
		goto out; /* (1: there is no table of ours) */
	if ((j = json_loads(nft_ctx_get_output_buffer(m.nft), 0, &je)) == NULL ||
	    !json_is_array(json_object_get(j, "nftables"))) {
		r = jnet_err_set(e, EIO, TABLE, "ipMasq: gc: nftables listing is not JSON with "
		    "\"nftables\": %s", j == NULL ? je.text : "");
		goto out;
	}
	r = gc_plan(&m, json_object_get(j, "nftables"), &k, e);
out:
	json_decref(j);
	masq_close(&m);
	return r < 0 ? r : 0;
}

#endif
