/*
 * CNI plugin mode: the environment and the network configuration, checked before anything
 * is touched (an error here creates nothing). Errors carry the spec's codes and name the
 * variable or key at fault.
 */
#include "cni.h"
#include "backend.h"
#include "mac.h"
#include "names.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const jnet_cni_versions[CNI_NVERSIONS] = {
	"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0",
};

int
jnet_cni_fail(struct jnet_cni_err *ce, int code, const char *details, const char *fmt, ...)
{
	va_list ap;

	ce->code = code;
	va_start(ap, fmt);
	vsnprintf(ce->msg, sizeof(ce->msg), fmt, ap);
	va_end(ap);
	jnet_strlcpy(ce->details, details ? details : "", sizeof(ce->details));
	return -1;
}

/* The spec's identifier rule (network names, container IDs): an alphanumeric character,
 * then alphanumerics, '_', '.' or '-'. */
static bool
cni_ident(const char *s)
{
	if (!isalnum((unsigned char)s[0]))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
			return false;
	return true;
}

static bool
cmd_is(const struct jnet_cni_env *env, const char *c)
{
	return strcmp(env->command, c) == 0;
}

int
jnet_cni_env_check(const struct jnet_cni_env *env, struct jnet_cni_err *ce)
{
	static const char *const cmds[] = { "ADD", "DEL", "CHECK", "VERSION", "GC", "STATUS" };
	bool known = false, attach;
	struct jnet_err e;

	if (env->command == NULL)
		return jnet_cni_fail(ce, CNI_ERR_ENV, NULL, "CNI_COMMAND: not set");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		known |= cmd_is(env, cmds[i]);
	if (!known)
		return jnet_cni_fail(ce, CNI_ERR_ENV, env->command,
		    "CNI_COMMAND: unknown command (ADD, DEL, CHECK, VERSION, GC or STATUS)");
	attach = cmd_is(env, "ADD") || cmd_is(env, "DEL") || cmd_is(env, "CHECK");
	if (!attach)
		return 0;
	if (env->containerid == NULL)
		return jnet_cni_fail(ce, CNI_ERR_ENV, NULL, "CNI_CONTAINERID: not set");
	if (!cni_ident(env->containerid))
		return jnet_cni_fail(ce, CNI_ERR_ENV, env->containerid,
		    "CNI_CONTAINERID: not an alphanumeric character followed by alphanumerics, '_', '.' or '-'");
	if (strlen(env->containerid) > JNET_CNI_CIDMAX)
		return jnet_cni_fail(ce, CNI_ERR_ENV, NULL,
		    "CNI_CONTAINERID: longer than %d characters (it goes into the interface's tag)",
		    JNET_CNI_CIDMAX);
	if (env->ifname == NULL)
		return jnet_cni_fail(ce, CNI_ERR_ENV, NULL, "CNI_IFNAME: not set");
	if (jnet_ifname_check(env->ifname, &e) < 0)
		return jnet_cni_fail(ce, CNI_ERR_ENV, env->ifname, "CNI_IFNAME: %s", e.msg);
	/* ADD: the characters of names and IDs, whatever the keys (ipMasq's comments hold
	 * no others); DEL and CHECK take what an older ADD may have made. */
	if (cmd_is(env, "ADD") && strspn(env->ifname, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(env->ifname))
		return jnet_cni_fail(ce, CNI_ERR_ENV, env->ifname, "CNI_IFNAME: '%s' has a "
		    "character other than letters, digits, '_', '.', '-'", env->ifname);
	if (env->netns == NULL && !cmd_is(env, "DEL"))
		return jnet_cni_fail(ce, CNI_ERR_ENV, NULL, "CNI_NETNS: not set");
	return 0;
}

/* ------------------------------------------------------------------ keys */

static int
get_bool(json_t *root, const char *key, bool *out, struct jnet_cni_err *ce)
{
	json_t *v = json_object_get(root, key);

	*out = false;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "%s: not a boolean", key);
	*out = json_is_true(v);
	return 0;
}

/* An integer key in [lo, hi]; absent or null: 0. */
static int
get_int(json_t *root, const char *key, long lo, long hi, long *out, struct jnet_cni_err *ce)
{
	json_t *v = json_object_get(root, key);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "%s: not an integer from %ld to %ld",
		    key, lo, hi);
	*out = (long)json_integer_value(v);
	return 0;
}

/* A string key; absent or null: *out = NULL. */
static int
get_str(json_t *root, const char *key, bool required, const char **out, struct jnet_cni_err *ce)
{
	json_t *v = json_object_get(root, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "%s: missing", key);
		return 0;
	}
	if (!json_is_string(v))
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "%s: not a string", key);
	*out = json_string_value(v);
	if (required && (*out)[0] == '\0')
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "%s: empty", key);
	return 0;
}

static int
get_ifname(json_t *root, const char *key, const char **out, struct jnet_cni_err *ce)
{
	struct jnet_err e;

	if (get_str(root, key, false, out, ce) < 0)
		return -1;
	if (*out != NULL && jnet_ifname_check(*out, &e) < 0)
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, *out, "%s: %s", key, e.msg);
	return 0;
}

static int
parse_version(struct jnet_cni_conf *c, const struct jnet_cni_env *env, struct jnet_cni_err *ce)
{
	char list[64] = "";
	int i;

	if (get_str(c->root, "cniVersion", true, &c->version, ce) < 0)
		return -1;
	for (i = 0; i < CNI_NVERSIONS; i++) {
		if (strcmp(c->version, jnet_cni_versions[i]) == 0)
			break;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
		    jnet_cni_versions[i]);
	}
	if (i == CNI_NVERSIONS)
		return jnet_cni_fail(ce, CNI_ERR_VERSION, c->version,
		    "incompatible CNI version %s (supported: %s)", c->version, list);
	c->ver = (enum jnet_cni_ver)i;
	if (cmd_is(env, "CHECK") && c->ver < CNI_V040)
		return jnet_cni_fail(ce, CNI_ERR_VERSION, c->version,
		    "CHECK needs cniVersion 0.4.0 or later (this configuration says %s)", c->version);
	if ((cmd_is(env, "GC") || cmd_is(env, "STATUS")) && c->ver < CNI_V110)
		return jnet_cni_fail(ce, CNI_ERR_VERSION, c->version,
		    "%s needs cniVersion 1.1.0 (this configuration says %s)", env->command,
		    c->version);
	return 0;
}

/* The interface keys (bridge, uplink, backend, mtu...). */
static int
parse_link_keys(struct jnet_cni_conf *c, struct jnet_cni_err *ce)
{
	const char *s;
	long v;

	if (get_ifname(c->root, "bridge", &s, ce) < 0)
		return -1;
	jnet_strlcpy(c->bridge, s ? s : "cni0", sizeof(c->bridge));
	if (get_ifname(c->root, "uplink", &c->uplink, ce) < 0)
		return -1;
	if (c->uplink != NULL && strcmp(c->uplink, c->bridge) == 0)
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, c->uplink,
		    "uplink: the bridge itself (%s) cannot be its uplink", c->bridge);
	if (get_bool(c->root, "isGateway", &c->is_gateway, ce) < 0 ||
	    get_bool(c->root, "isDefaultGateway", &c->is_default_gateway, ce) < 0 ||
	    get_bool(c->root, "forceAddress", &c->force_address, ce) < 0 ||
	    get_bool(c->root, "ipMasq", &c->ip_masq, ce) < 0 ||
	    get_bool(c->root, "hairpinMode", &c->hairpin, ce) < 0 ||
	    get_bool(c->root, "promiscMode", &c->promisc, ce) < 0)
		return -1;
	if (c->is_default_gateway)
		c->is_gateway = true; /* as the reference plugin: the default route needs it */
	if (get_int(c->root, "mtu", 0, 65535, &v, ce) < 0)
		return -1;
	if (v != 0 && v < 68)
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "mtu: %ld is below 68, IPv4's minimum", v);
	c->mtu = (unsigned)v;
	if (get_int(c->root, "vlan", 0, 4094, &v, ce) < 0)
		return -1;
	c->vlan = (int)v;
	if (get_str(c->root, "backend", false, &c->backend, ce) < 0)
		return -1;
	if (c->backend != NULL && jnet_backend_find(c->backend) == NULL) {
		const char *why = jnet_backend_unsupported(c->backend);

		return jnet_cni_fail(ce, CNI_ERR_CONFIG, c->backend, "backend: %s",
		    why ? why : "unknown backend (epair, netgraph or netns)");
	}
	c->mac_mode = CNI_MAC_DEFAULT;
	if (get_str(c->root, "macMode", false, &s, ce) < 0)
		return -1;
	if (s != NULL) {
		enum jnet_mac_mode m;

		if (jnet_mac_mode_parse(s, &m) < 0)
			return jnet_cni_fail(ce, CNI_ERR_CONFIG, s, "macMode: '%s' is not stable, jib or random", s);
		c->mac_mode = (int)m;
	}
	return 0;
}

/* Keys jnet understands but cannot honour here: error 2, naming key and value. */
static int
unsupported_keys(struct jnet_cni_conf *c, struct jnet_cni_err *ce)
{
	const struct jnet_backend_ops *be = jnet_backend_find(c->backend ? c->backend :
	    jnet_backend_default() ? jnet_backend_default()->name : "");

	if (c->hairpin && be != NULL && be->port_hairpin == NULL)
		return jnet_cni_fail(ce, CNI_ERR_FIELD, "hairpinMode=true",
		    "hairpinMode: true is not supported by the %s backend", be->name);
	if (c->promisc && be != NULL && be->if_set_promisc == NULL)
		return jnet_cni_fail(ce, CNI_ERR_FIELD, "promiscMode=true",
		    "promiscMode: true is not supported by the %s backend", be->name);
	if (c->vlan != 0)
		return jnet_cni_fail(ce, CNI_ERR_FIELD, NULL,
		    "vlan: %d: VLANs are not supported by jnet yet (docs/cni.md)", c->vlan);
	return 0;
}

/* ipMasq through nftables (a backend without masq of its own): the element's comment
 * "jnet-cni NETWORK CONTAINERID IFNAME" holds 127 bytes; ADD checks it before anything. */
static int
masq_fits(struct jnet_cni_conf *c, const struct jnet_cni_env *env, struct jnet_cni_err *ce)
{
	const struct jnet_backend_ops *be = jnet_backend_find(c->backend ? c->backend :
	    jnet_backend_default() ? jnet_backend_default()->name : "");

	if (!c->ip_masq || !cmd_is(env, "ADD") || be == NULL || be->masq != NULL)
		return 0;
	if (strlen(c->name) + strlen(env->containerid) + strlen(env->ifname) >
	    JNET_CNI_MASQ_NAMESMAX)
		return jnet_cni_fail(ce, CNI_ERR_ENV, env->containerid, "ipMasq: network name, "
		    "CNI_CONTAINERID and CNI_IFNAME longer than %d characters together (they "
		    "name the masquerading in an nftables comment)", JNET_CNI_MASQ_NAMESMAX);
	return 0;
}

/* runtimeConfig.mac, CNI_ARGS MAC= (the latter wins, as in the reference plugin's order). */
static int
parse_mac(struct jnet_cni_conf *c, const struct jnet_cni_env *env, struct jnet_cni_err *ce)
{
	json_t *rc = json_object_get(c->root, "runtimeConfig");
	struct jnet_err e;
	const char *s;

	if (rc != NULL && !json_is_null(rc)) {
		if (!json_is_object(rc))
			return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "runtimeConfig: not an object");
		if (get_str(rc, "mac", false, &s, ce) < 0)
			return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "runtimeConfig.mac: not a string");
		if (s != NULL && jnet_mac_parse(s, c->mac, &e) < 0)
			return jnet_cni_fail(ce, CNI_ERR_CONFIG, s, "runtimeConfig.mac: %s", e.msg);
		c->has_mac = s != NULL;
	}
	for (const char *p = env->args; p != NULL && *p != '\0';) {
		size_t n = strcspn(p, ";");
		const char *eq = memchr(p, '=', n);
		char val[64];

		if (eq == NULL || eq == p)
			return jnet_cni_fail(ce, CNI_ERR_ENV, env->args,
			    "CNI_ARGS: '%.*s' is not KEY=VALUE", (int)n, p);
		if (eq - p == 3 && strncmp(p, "MAC", 3) == 0) {
			size_t vn = n - 4;

			if (vn >= sizeof(val))
				vn = sizeof(val) - 1;
			memcpy(val, eq + 1, vn);
			val[vn] = '\0';
			if (jnet_mac_parse(val, c->mac, &e) < 0)
				return jnet_cni_fail(ce, CNI_ERR_ENV, val, "CNI_ARGS: MAC: %s", e.msg);
			c->has_mac = true;
		}
		p += n;
		if (*p == ';')
			p++;
	}
	return 0;
}

static int
parse_ipam(struct jnet_cni_conf *c, const struct jnet_cni_env *env, struct jnet_cni_err *ce)
{
	json_t *ipam = json_object_get(c->root, "ipam");

	c->ipam_type = NULL;
	if (ipam != NULL && !json_is_null(ipam) && !json_is_object(ipam))
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "ipam: not an object");
	if (json_is_object(ipam) && get_str(ipam, "type", false, &c->ipam_type, ce) < 0)
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "ipam.type: not a string");
	if (c->ipam_type != NULL && c->ipam_type[0] == '\0')
		c->ipam_type = NULL; /* {"type": ""}: no IPAM (layer 2 only), as the reference */
	if (c->ipam_type != NULL && (strchr(c->ipam_type, '/') || strcmp(c->ipam_type, ".") == 0 ||
	    strcmp(c->ipam_type, "..") == 0))
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, c->ipam_type,
		    "ipam.type: '%s' is not a plugin name", c->ipam_type);
	if (c->ipam_type != NULL && env->path == NULL && !cmd_is(env, "STATUS"))
		return jnet_cni_fail(ce, CNI_ERR_ENV, NULL,
		    "CNI_PATH: not set, and ipam.type '%s' must be found there", c->ipam_type);
	if (c->ipam_type == NULL && (c->is_gateway || c->ip_masq))
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL,
		    "%s: needs addresses, and ipam has no type", c->is_gateway ?
		    (c->is_default_gateway ? "isDefaultGateway" : "isGateway") : "ipMasq");
	return 0;
}

static int
parse_gc(struct jnet_cni_conf *c, struct jnet_cni_err *ce)
{
	size_t i;
	json_t *a;

	c->valid = json_object_get(c->root, "cni.dev/valid-attachments");
	if (c->valid == NULL)
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "cni.dev/valid-attachments: missing");
	if (!json_is_array(c->valid))
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "cni.dev/valid-attachments: not an array");
	json_array_foreach(c->valid, i, a) {
		if (!json_is_object(a) || !json_is_string(json_object_get(a, "containerID")) ||
		    !json_is_string(json_object_get(a, "ifname")))
			return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL,
			    "cni.dev/valid-attachments[%zu]: not an object with strings containerID and ifname",
			    i);
	}
	return 0;
}

int
jnet_cni_conf_parse(char *text, const struct jnet_cni_env *env, struct jnet_cni_conf *c,
    struct jnet_cni_err *ce)
{
	json_error_t je;

	memset(c, 0, sizeof(*c));
	c->text = text;
	c->root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (c->root == NULL)
		return jnet_cni_fail(ce, CNI_ERR_DECODE, je.text,
		    "network configuration: not JSON (line %d, column %d)", je.line, je.column);
	if (!json_is_object(c->root))
		return jnet_cni_fail(ce, CNI_ERR_DECODE, NULL,
		    "network configuration: not a JSON object");
	if (parse_version(c, env, ce) < 0)
		return -1;
	if (cmd_is(env, "VERSION"))
		return 0;
	if (get_str(c->root, "name", true, &c->name, ce) < 0 ||
	    get_str(c->root, "type", true, &c->type, ce) < 0)
		return -1;
	if (!cni_ident(c->name))
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, c->name,
		    "name: not an alphanumeric character followed by alphanumerics, '_', '.' or '-'");
	if (strlen(c->name) > JNET_CNI_NETMAX)
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL,
		    "name: longer than %d characters (it goes into the interface's tag)",
		    JNET_CNI_NETMAX);
	if (parse_link_keys(c, ce) < 0 || parse_ipam(c, env, ce) < 0 ||
	    parse_mac(c, env, ce) < 0 || unsupported_keys(c, ce) < 0 ||
	    masq_fits(c, env, ce) < 0)
		return -1;
	c->prev = json_object_get(c->root, "prevResult");
	if (c->prev != NULL && json_is_null(c->prev))
		c->prev = NULL;
	if (c->prev != NULL && !json_is_object(c->prev))
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL, "prevResult: not an object");
	if (cmd_is(env, "CHECK") && c->prev == NULL)
		return jnet_cni_fail(ce, CNI_ERR_CONFIG, NULL,
		    "prevResult: missing (CHECK compares with ADD's result)");
	if (cmd_is(env, "GC"))
		return parse_gc(c, ce);
	return 0;
}

void
jnet_cni_conf_free(struct jnet_cni_conf *c)
{
	json_decref(c->root);
	c->root = NULL;
}
