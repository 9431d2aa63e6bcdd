/*
 * STUB — TEMPORARY, DROP AT MERGE. cnicore's stand-in for cniipam's src/cni_ipam.c and
 * src/cni_masq.c (branch wt-cniipam), so that the plugin's non-IPAM paths build and are
 * tested before that branch is merged. Every function says "not in this build".
 */
#include "cni_ipam.h"

#include <errno.h>

#define STUB_MSG "IPAM/ipMasq not in this build (cni_ipam_stub.c)"

int
jnet_cni_ipam_exec(const char *type, const char *cmd, const char *cni_path, char *const env[],
    const char *conf, struct jnet_cni_ipam *out, struct jnet_err *e)
{
	(void)cmd; (void)cni_path; (void)env; (void)conf; (void)out;
	return jnet_err_set(e, EOPNOTSUPP, type, STUB_MSG);
}

void
jnet_cni_ipam_free(struct jnet_cni_ipam *r)
{
	(void)r;
}

int
jnet_cni_ipam_parse(json_t *result, struct jnet_cni_ipam *out, struct jnet_err *e)
{
	(void)result; (void)out;
	return jnet_err_set(e, EOPNOTSUPP, "prevResult", STUB_MSG);
}

int
jnet_cni_apply(const struct jnet_backend_ops *b, void *priv, const struct jnet_jail *j,
    const char *ifname, const struct jnet_cni_ipam *r, struct jnet_err *e)
{
	(void)b; (void)priv; (void)j; (void)r;
	return jnet_err_set(e, EOPNOTSUPP, ifname, STUB_MSG);
}

int
jnet_cni_masq(bool add, const char *network, const char *container_id, int family,
    const uint8_t *addr, int prefix, struct jnet_err *e)
{
	(void)add; (void)container_id; (void)family; (void)addr; (void)prefix;
	return jnet_err_set(e, EOPNOTSUPP, network, STUB_MSG);
}

int
jnet_cni_masq_gc(const char *network, const char *const keep[], int n, struct jnet_err *e)
{
	(void)keep; (void)n; (void)network; (void)e;
	return 0; /* nothing was ever masqueraded by this build */
}

int
jnet_cni_ipam_set_timeout(int ms)
{
	(void)ms;
	return JNET_CNI_IPAM_TIMEOUT_MS_DEFAULT;
}
