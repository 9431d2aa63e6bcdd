/*
 * ipMasq's read (src/cni_masq.h), through libnftnl: libnftables' "get element" fills its
 * cache with a dump of the whole set first, so this goes to the kernel as one netlink
 * request: one element by its key (a hash lookup in the kernel). libnftnl builds the
 * request and parses the answer, the comment (nftables' user data TLVs) included.
 */
#ifdef __linux__

#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cni_masq.h"

/* Send the request in buf and run cb on each answer; 0, or -errno (-ENOENT: not there). */
static int
talk(char *buf, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct mnl_socket *nl;
	unsigned portid;
	ssize_t len = 0;
	int r;

	if ((nl = mnl_socket_open(NETLINK_NETFILTER)) == NULL)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		mnl_socket_close(nl);
		return r;
	}
	portid = mnl_socket_get_portid(nl);
	r = mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ? -1 : 1;
	while (r > 0 && (len = mnl_socket_recvfrom(nl, buf, MNL_SOCKET_BUFFER_SIZE)) > 0)
		r = mnl_cb_run(buf, (size_t)len, nlh->nlmsg_seq, portid, cb, data);
	if (r < 0 || len < 0)
		r = -errno;
	mnl_socket_close(nl);
	return r < 0 ? r : 0;
}

/* A comment (type `type` of the user data TLVs) copied into out (size n), if it fits. */
struct comment {
	uint8_t type;
	char *out;
	size_t n;
};

static int
comment_cb(const struct nftnl_udata *attr, void *data)
{
	struct comment *c = data;
	const char *v = nftnl_udata_get(attr);
	uint8_t len = nftnl_udata_len(attr);

	if (nftnl_udata_type(attr) == c->type && len > 0 && len <= c->n && v[len - 1] == '\0')
		memcpy(c->out, v, len);
	return MNL_CB_OK;
}

static void
comment_of(const void *ud, uint32_t len, uint8_t type, char *out, size_t n)
{
	struct comment c = { type, out, n };

	out[0] = '\0';
	if (ud != NULL)
		nftnl_udata_parse(ud, len, comment_cb, &c);
}

/* --- one element --- */

static int
elem_one(struct nftnl_set_elem *el, void *data)
{
	struct jnet_masq_elem *out = data;
	const char *chain;
	uint32_t len = 0;
	const void *ud = nftnl_set_elem_get(el, NFTNL_SET_ELEM_USERDATA, &len), *v;
	uint32_t udlen = len;

	out->found = true;
	if ((v = nftnl_set_elem_get(el, NFTNL_SET_ELEM_DATA, &len)) != NULL &&
	    len <= sizeof(out->data)) {
		memcpy(out->data, v, len);
		out->datalen = len;
	}
	comment_of(ud, udlen, NFTNL_UDATA_SET_ELEM_COMMENT, out->comment, sizeof(out->comment));
	if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_CHAIN) &&
	    (chain = nftnl_set_elem_get_str(el, NFTNL_SET_ELEM_CHAIN)) != NULL &&
	    strlen(chain) <= JNET_MASQ_CHAIN_MAX)
		strcpy(out->chain, chain);
	return 0;
}

static int
elem_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftnl_set *s = nftnl_set_alloc();
	int r = MNL_CB_ERROR;

	if (s != NULL && nftnl_set_elems_nlmsg_parse(nlh, s) == 0) {
		nftnl_set_elem_foreach(s, elem_one, data);
		r = MNL_CB_OK;
	}
	if (s != NULL)
		nftnl_set_free(s);
	return r;
}

int
jnet_cni_masq_elem(const char *set, const void *key, size_t keylen, struct jnet_masq_elem *out,
    struct jnet_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elem *el = nftnl_set_elem_alloc();
	struct nlmsghdr *nlh;
	int r;

	memset(out, 0, sizeof(*out));
	if (s == NULL || el == NULL) {
		if (s != NULL)
			nftnl_set_free(s);
		if (el != NULL)
			nftnl_set_elem_free(el);
		return jnet_err_set(e, ENOMEM, "inet " JNET_MASQ_TABLE, "ipMasq: out of memory");
	}
	nftnl_set_set_str(s, NFTNL_SET_TABLE, JNET_MASQ_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, set);
	nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key, (uint32_t)keylen);
	nftnl_set_elem_add(s, el);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSETELEM, NFPROTO_INET, NLM_F_ACK,
	    (uint32_t)time(NULL));
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	r = talk(buf, nlh, elem_cb, out);
	if (r == -ENOENT) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	if (r < 0)
		return jnet_err_set(e, -r, set, "ipMasq: reading an element of map %s: %s", set,
		    strerror(-r));
	return 0;
}

/* --- the table: whose it is --- */

static int
table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct jnet_masq_elem *out = data;
	const void *ud;
	uint32_t len = 0;

	if (t == NULL || nftnl_table_nlmsg_parse(nlh, t) < 0) {
		if (t != NULL)
			nftnl_table_free(t);
		return MNL_CB_ERROR;
	}
	out->found = true;
	ud = nftnl_table_get_data(t, NFTNL_TABLE_USERDATA, &len);
	comment_of(ud, len, NFTNL_UDATA_TABLE_COMMENT, out->comment, sizeof(out->comment));
	nftnl_table_free(t);
	return MNL_CB_OK;
}

int
jnet_cni_masq_table(struct jnet_masq_elem *out, struct jnet_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;
	int r;

	memset(out, 0, sizeof(*out));
	if (t == NULL)
		return jnet_err_set(e, ENOMEM, "inet " JNET_MASQ_TABLE, "ipMasq: out of memory");
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, JNET_MASQ_TABLE);
	nlh = nftnl_table_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, NFPROTO_INET, NLM_F_ACK,
	    (uint32_t)time(NULL));
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	r = talk(buf, nlh, table_cb, out);
	if (r == -ENOENT) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	if (r < 0)
		return jnet_err_set(e, -r, "inet " JNET_MASQ_TABLE, "ipMasq: reading table inet "
		    JNET_MASQ_TABLE ": %s", strerror(-r));
	return 0;
}

#endif
