/*
 * ipMasq's lookup of one element (src/cni_masq.h): libnftables' "get element" fills its
 * cache with a dump of the whole set first, so this one read goes through libmnl.
 */
#ifdef __linux__

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cni_masq.h"

static void
elem_userdata(const struct nlattr *a, struct jnet_masq_elem *out)
{
	/* libnftnl's udata TLVs: u8 type, u8 len, value; type 0 is an element's comment. */
	const uint8_t *p = mnl_attr_get_payload(a), *end = p + mnl_attr_get_payload_len(a);

	while (end - p >= 2 && p + 2 + p[1] <= end) {
		if (p[0] == 0 && p[1] > 0 && p[1] <= sizeof(out->comment) && p[2 + p[1] - 1] == '\0')
			memcpy(out->comment, p + 2, p[1]);
		p += 2 + p[1];
	}
}

static void
elem_verdict(const struct nlattr *data, struct jnet_masq_elem *out)
{
	const struct nlattr *v, *a;

	mnl_attr_for_each_nested(v, data)
		if (mnl_attr_get_type(v) == NFTA_DATA_VERDICT)
			mnl_attr_for_each_nested(a, v)
				if (mnl_attr_get_type(a) == NFTA_VERDICT_CHAIN &&
				    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
				    strlen(mnl_attr_get_str(a)) <= JNET_MASQ_CHAIN_MAX)
					strcpy(out->chain, mnl_attr_get_str(a));
}

static int
elem_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *l, *el, *a;
	struct jnet_masq_elem *out = data;

	mnl_attr_for_each(l, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(l) != NFTA_SET_ELEM_LIST_ELEMENTS)
			continue;
		mnl_attr_for_each_nested(el, l) {
			out->found = true;
			mnl_attr_for_each_nested(a, el) {
				if (mnl_attr_get_type(a) == NFTA_SET_ELEM_USERDATA)
					elem_userdata(a, out);
				else if (mnl_attr_get_type(a) == NFTA_SET_ELEM_DATA)
					elem_verdict(a, out);
			}
		}
	}
	return MNL_CB_OK;
}

int
jnet_cni_masq_elem(int family, const uint8_t *addr, struct jnet_masq_elem *out,
    struct jnet_err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct nfgenmsg *g;
	struct nlattr *n1, *n2, *n3;
	unsigned seq = (unsigned)time(NULL), portid;
	ssize_t len;
	int r;

	memset(out, 0, sizeof(*out));
	if ((nl = mnl_socket_open(NETLINK_NETFILTER)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		if (nl != NULL)
			mnl_socket_close(nl);
		return jnet_err_set(e, -r, "inet " JNET_MASQ_TABLE, "ipMasq: netfilter netlink socket: %s",
		    strerror(-r));
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETSETELEM;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = NFPROTO_INET;
	g->version = NFNETLINK_V0;
	g->res_id = 0;
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, JNET_MASQ_TABLE);
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, family == AF_INET ? "saddr4" : "saddr6");
	n1 = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
	n2 = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	n3 = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_KEY);
	mnl_attr_put(nlh, NFTA_DATA_VALUE, family == AF_INET ? 4 : 16, addr);
	mnl_attr_nest_end(nlh, n3);
	mnl_attr_nest_end(nlh, n2);
	mnl_attr_nest_end(nlh, n1);
	r = mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ? -1 : 1;
	while (r > 0 && (len = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0)
		r = mnl_cb_run(buf, (size_t)len, seq, portid, elem_cb, out);
	if (r < 0 || len < 0)
		r = -errno;
	mnl_socket_close(nl);
	if (r == -ENOENT) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	if (r < 0)
		return jnet_err_set(e, -r, "inet " JNET_MASQ_TABLE, "ipMasq: reading the element "
		    "of an address: %s", strerror(-r));
	return 0;
}

#endif
