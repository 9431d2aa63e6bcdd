/*
 * ipMasq for CNI mode. Linux: nftables through libnftables, in a table of jnet's own:
 *
 *   table inet jnet-cni {
 *     chain postrouting { type nat hook postrouting priority srcnat;
 *       ip daddr 224.0.0.0/4 return; ip6 daddr ff00::/8 return; goto masq }
 *     chain masq {
 *       ip saddr 10.88.0.5 ip daddr != 10.88.0.0/16 masquerade comment "jnet-cni NET CID"
 *       ... one rule per (network, container ID, address) } }
 *
 * the reference plugins' semantics (masquerade what the container sends outside its subnet,
 * multicast excepted). A rule is found by its comment and source address, so a DEL of one
 * container never removes another's rule for a reused address. The table goes with its last
 * rule. Every change is one nftables transaction, and add/del/gc serialise on a lock file
 * (otherwise a del that removes the table could race an add that puts a rule in it).
 * No other table is ever listed or changed: every command names "inet jnet-cni".
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
jnet_cni_masq(bool add, const char *network, const char *container_id, int family,
    const uint8_t *addr, int prefix, struct jnet_err *e)
{
	(void)add, (void)container_id, (void)family, (void)addr, (void)prefix;
	return jnet_err_set(e, EOPNOTSUPP, network, "ipMasq on FreeBSD: pf table (not in this "
	    "build)");
}

int
jnet_cni_masq_gc(const char *network, const char *const keep[], int n, struct jnet_err *e)
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

#include "lock.h"

#define TABLE "inet jnet-cni"
#define COMMENT_MAX 127 /* nftables: 128 bytes of comment, NUL included */

struct masq {
	struct nft_ctx *nft;
	int lock;
	char comment[COMMENT_MAX + 1];  /* "jnet-cni NETWORK CID" */
	size_t netlen;                  /* "jnet-cni NETWORK " */
	char cmd[8192];
	size_t cmdlen;
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

static int
masq_open(struct masq *m, const char *network, struct jnet_err *e)
{
	int r;

	memset(m, 0, sizeof(*m));
	m->lock = -1;
	if ((r = check_id("network name", network, e)) < 0)
		return r;
	m->netlen = (size_t)snprintf(m->comment, sizeof(m->comment), "jnet-cni %s ", network);
	if (m->netlen >= sizeof(m->comment))
		return jnet_err_set(e, ENAMETOOLONG, network, "ipMasq: network name '%s' too long "
		    "for an nftables comment", network);
	if ((m->lock = jnet_lock(masq_rundir && masq_rundir[0] ? masq_rundir :
	    JNET_RUNDIR_DEFAULT, "cni", "masq", JNET_LOCK_WAIT_MS_DEFAULT,
	    e)) < 0)
		return m->lock;
	if ((m->nft = nft_ctx_new(NFT_CTX_DEFAULT)) == NULL) {
		jnet_unlock(m->lock);
		return jnet_err_set(e, ENOMEM, "", "ipMasq: libnftables context");
	}
	nft_ctx_buffer_output(m->nft);
	nft_ctx_buffer_error(m->nft);
	nft_ctx_output_set_flags(m->nft, NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_HANDLE);
	return 0;
}

static void
masq_close(struct masq *m)
{
	if (m->nft != NULL)
		nft_ctx_free(m->nft);
	if (m->lock >= 0)
		jnet_unlock(m->lock);
}

static void cmd_add(struct masq *m, const char *fmt, ...) JNET_PRINTF(2, 3);

static void
cmd_add(struct masq *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(m->cmd + m->cmdlen, sizeof(m->cmd) - m->cmdlen, fmt, ap);
	va_end(ap);
	if (n > 0)
		m->cmdlen += (size_t)n;
}

/* Run the commands gathered (one transaction); -EIO with nft's error text. */
static int
run(struct masq *m, const char *what, struct jnet_err *e)
{
	if (m->cmdlen >= sizeof(m->cmd))
		return jnet_err_set(e, E2BIG, TABLE, "ipMasq: %s: nftables batch too long", what);
	if (nft_run_cmd_from_buffer(m->nft, m->cmd) != 0) {
		const char *err = nft_ctx_get_error_buffer(m->nft);
		size_t n = strcspn(err, "\n");

		return jnet_err_set(e, EIO, TABLE, "ipMasq: %s: nftables: %.*s", what, (int)n, err);
	}
	m->cmdlen = 0;
	m->cmd[0] = '\0';
	return 0;
}

/* The rules of chain masq as JSON (NULL: there is no jnet-cni table). */
static int
list_masq(struct masq *m, json_t **rules, struct jnet_err *e)
{
	json_error_t je;
	json_t *j;

	*rules = NULL;
	m->cmdlen = 0;
	cmd_add(m, "list chain " TABLE " masq");
	if (run(m, "list", e) < 0) {
		/* (the error buffer is read once: run() put its text in e) */
		if (e == NULL || strstr(e->msg, "No such file or directory") == NULL)
			return -EIO;
		jnet_err_clear(e);
		m->cmdlen = 0;
		return 0;
	}
	if ((j = json_loads(nft_ctx_get_output_buffer(m->nft), 0, &je)) == NULL)
		return jnet_err_set(e, EIO, TABLE, "ipMasq: nftables listing is not JSON: %s",
		    je.text);
	*rules = json_object_get(j, "nftables");
	if (!json_is_array(*rules)) {
		json_decref(j);
		return jnet_err_set(e, EIO, TABLE, "ipMasq: nftables listing has no \"nftables\"");
	}
	json_incref(*rules);
	json_decref(j);
	return 0;
}

/* A listed element that is a rule of ours: its comment, source address and handle. */
static const char *
rule_of(json_t *el, const char **saddr, json_int_t *handle)
{
	json_t *r = json_object_get(el, "rule");
	json_t *m0 = json_object_get(json_array_get(json_object_get(r, "expr"), 0), "match");
	const char *c = json_string_value(json_object_get(r, "comment"));

	*saddr = json_string_value(json_object_get(m0, "right"));
	*handle = json_integer_value(json_object_get(r, "handle"));
	if (c == NULL || strncmp(c, "jnet-cni ", 9) != 0 || *handle <= 0)
		return NULL;
	return c;
}

static int
masq_add(struct masq *m, json_t *rules, int family, const uint8_t *addr, int prefix,
    const char *a, struct jnet_err *e)
{
	const char *ip = family == AF_INET ? "ip" : "ip6", *c, *s;
	uint8_t net[16] = { 0 };
	char n[INET6_ADDRSTRLEN];
	json_int_t h;
	size_t i;
	json_t *el;

	json_array_foreach(rules, i, el)
		if ((c = rule_of(el, &s, &h)) != NULL && strcmp(c, m->comment) == 0 &&
		    s != NULL && strcmp(s, a) == 0)
			return 0; /* already there */
	for (int b = 0; b < prefix; b++)
		net[b / 8] |= addr[b / 8] & (0x80 >> (b % 8));
	inet_ntop(family, net, n, sizeof(n));
	m->cmdlen = 0;
	cmd_add(m, "add table " TABLE "\n"
	    "add chain " TABLE " masq\n"
	    "add chain " TABLE " postrouting { type nat hook postrouting priority srcnat; }\n"
	    "flush chain " TABLE " postrouting\n"
	    "add rule " TABLE " postrouting ip daddr 224.0.0.0/4 return\n"
	    "add rule " TABLE " postrouting ip6 daddr ff00::/8 return\n"
	    "add rule " TABLE " postrouting goto masq\n");
	cmd_add(m, "add rule " TABLE " masq %s saddr %s %s daddr != %s/%d masquerade "
	    "comment \"%s\"\n", ip, a, ip, n, prefix, m->comment);
	return run(m, "add", e);
}

/*
 * Delete the rules for which drop(comment, saddr) says so, and the table when none of its
 * rules is left.
 */
static int
masq_drop(struct masq *m, json_t *rules, bool (*drop)(const struct masq *, const char *,
    const char *, const void *), const void *arg, struct jnet_err *e)
{
	const char *c, *s;
	int left = 0, gone = 0;
	json_int_t h;
	size_t i;
	json_t *el;

	m->cmdlen = 0;
	json_array_foreach(rules, i, el) {
		if (json_object_get(el, "rule") == NULL)
			continue;
		if ((c = rule_of(el, &s, &h)) != NULL && drop(m, c, s, arg)) {
			cmd_add(m, "delete rule " TABLE " masq handle %lld\n", (long long)h);
			gone++;
		} else {
			left++;
		}
	}
	if (gone == 0)
		return 0;
	if (left == 0) {
		m->cmdlen = 0;
		cmd_add(m, "delete table " TABLE "\n");
	}
	return run(m, "delete", e);
}

static bool
drop_one(const struct masq *m, const char *c, const char *s, const void *a)
{
	return strcmp(c, m->comment) == 0 && s != NULL && strcmp(s, a) == 0;
}

int
jnet_cni_masq(bool add, const char *network, const char *container_id, int family,
    const uint8_t *addr, int prefix, struct jnet_err *e)
{
	struct masq m;
	json_t *rules = NULL;
	char a[INET6_ADDRSTRLEN];
	int r;

	if ((family != AF_INET && family != AF_INET6) || prefix < 0 ||
	    prefix > (family == AF_INET ? 32 : 128))
		return jnet_err_set(e, EINVAL, network, "ipMasq: bad address family or prefix");
	if ((r = check_id("container ID", container_id, e)) < 0)
		return r;
	inet_ntop(family, addr, a, sizeof(a));
	if ((r = masq_open(&m, network, e)) < 0)
		return r;
	if (m.netlen + strlen(container_id) > COMMENT_MAX) {
		r = jnet_err_set(e, ENAMETOOLONG, container_id, "ipMasq: network name and "
		    "container ID longer than %d characters together (an nftables comment)",
		    COMMENT_MAX - 9);
		goto out;
	}
	strcat(m.comment, container_id);
	if ((r = list_masq(&m, &rules, e)) < 0)
		goto out;
	if (add)
		r = masq_add(&m, rules, family, addr, prefix, a, e);
	else if (rules != NULL)
		r = masq_drop(&m, rules, drop_one, a, e);
out:
	json_decref(rules);
	masq_close(&m);
	return r;
}

struct keep {
	const char *const *ids;
	int n;
};

static bool
drop_stale(const struct masq *m, const char *c, const char *s, const void *arg)
{
	const struct keep *k = arg;

	(void)s;
	if (strncmp(c, m->comment, m->netlen) != 0)
		return false; /* another network's */
	for (int i = 0; i < k->n; i++)
		if (k->ids[i] != NULL && strcmp(c + m->netlen, k->ids[i]) == 0)
			return false;
	return true;
}

int
jnet_cni_masq_gc(const char *network, const char *const keep[], int n, struct jnet_err *e)
{
	struct keep k = { keep, n };
	struct masq m;
	json_t *rules = NULL;
	int r;

	if ((r = masq_open(&m, network, e)) < 0)
		return r;
	if ((r = list_masq(&m, &rules, e)) == 0 && rules != NULL)
		r = masq_drop(&m, rules, drop_stale, &k, e);
	json_decref(rules);
	masq_close(&m);
	return r;
}

#endif
