/*
 * CNI plugin mode: the protocol (docs/cni.md). Reads the network configuration on stdin,
 * checks the environment and the configuration before touching anything, runs the command
 * (cni_attach.c) and writes the result, or the error object, on stdout. The exit status is
 * 0 on success and 1 on any error, whose JSON says which ({cniVersion, code, msg, details}).
 */
#include "cni.h"
#include "lock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CNI_STDIN_MAX (4 * 1024 * 1024)   /* a configuration larger than this is refused */

/* All of stdin, NUL-terminated; NULL with ce filled. */
static char *
read_all(FILE *in, struct jnet_cni_err *ce)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap), *nb;

	while (buf != NULL) {
		size_t got = fread(buf + n, 1, cap - n - 1, in);

		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			if (cap >= CNI_STDIN_MAX) {
				free(buf);
				jnet_cni_fail(ce, CNI_ERR_IO, NULL, "stdin: more than %d bytes",
				    CNI_STDIN_MAX);
				return NULL;
			}
			if ((nb = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf == NULL) {
		jnet_cni_fail(ce, CNI_ERR_IO, NULL, "stdin: out of memory");
		return NULL;
	}
	if (ferror(in)) {
		free(buf);
		jnet_cni_fail(ce, CNI_ERR_IO, NULL, "stdin: read error");
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

static void
print_json(FILE *out, json_t *j)
{
	json_dumpf(j, out, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	fflush(out);
}

static int
print_error(FILE *out, const char *version, const struct jnet_cni_err *ce)
{
	json_t *o = json_object();

	json_object_set_new(o, "cniVersion", json_string(version ? version : "1.1.0"));
	json_object_set_new(o, "code", json_integer(ce->code));
	json_object_set_new(o, "msg", json_string(ce->msg));
	if (ce->details[0] != '\0')
		json_object_set_new(o, "details", json_string(ce->details));
	print_json(out, o);
	json_decref(o);
	return 1;
}

int
jnet_cni_print_error(FILE *out, int code, const char *msg)
{
	struct jnet_cni_err ce;

	jnet_cni_fail(&ce, code, NULL, "%s", msg);
	return print_error(out, NULL, &ce);
}

/* VERSION: stdin may hold {"cniVersion": V} (or be empty); the answer names V when jnet
 * supports it, else the newest. */
static int
cmd_version(char *text, FILE *out)
{
	json_t *in = json_loads(text, JSON_DECODE_ANY, NULL), *o = json_object(), *a = json_array();
	const char *v = "1.1.0", *asked = json_string_value(json_object_get(in, "cniVersion"));

	for (int i = 0; i < CNI_NVERSIONS; i++) {
		json_array_append_new(a, json_string(jnet_cni_versions[i]));
		if (asked != NULL && strcmp(asked, jnet_cni_versions[i]) == 0)
			v = jnet_cni_versions[i];
	}
	json_object_set_new(o, "cniVersion", json_string(v));
	json_object_set_new(o, "supportedVersions", a);
	print_json(out, o);
	json_decref(o);
	json_decref(in);
	return 0;
}

int
jnet_cni_kernel_fail(struct jnet_cni_run *r, const char *what)
{
	const struct jnet_err *e = &r->ctx->err;
	char details[sizeof(e->object) + sizeof(e->msg) + 2];
	int code = e->code == EWOULDBLOCK || e->code == EAGAIN ? CNI_ERR_AGAIN : CNI_ERR_KERNEL;

	snprintf(details, sizeof(details), "%s%s%s", e->object, e->object[0] ? ": " : "",
	    e->msg[0] ? e->msg : strerror(e->code ? e->code : EIO));
	return jnet_cni_fail(&r->ce, code, details, "%s: %s", what, details);
}

int
jnet_cni_netns_fail(struct jnet_cni_run *r)
{
	/* Not a network namespace, or jnet's own (the host's): the variable is wrong. */
	if (r->ctx->err.code == EINVAL)
		return jnet_cni_fail(&r->ce, CNI_ERR_ENV, r->env->netns, "CNI_NETNS: %s: %s",
		    r->env->netns, r->ctx->err.msg);
	return jnet_cni_kernel_fail(r, "CNI_NETNS");
}

char **
jnet_cni_env_build(const struct jnet_cni_env *env, const char *cmd)
{
	const char *k[] = { "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH" };
	const char *v[] = { env->containerid, env->netns, env->ifname, env->args, env->path };
	char **out = calloc(8, sizeof(*out));
	int n = 0;

	if (out == NULL || asprintf(&out[n++], "CNI_COMMAND=%s", cmd) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (v[i] != NULL && asprintf(&out[n++], "%s=%s", k[i], v[i]) < 0)
			goto fail;
	return out;
fail:
	jnet_cni_env_free(out);
	return NULL;
}

void
jnet_cni_env_free(char **v)
{
	for (int i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* GC and STATUS are 1.1.0's, and a plugin need not support them (SPEC.md): 1 when the IPAM
 * plugin's VERSION lists 1.1.0 (or the plugin is not found: the command reports that), 0
 * when not (or it cannot tell: the command is skipped). */
static int
ipam_has_v110(struct jnet_cni_run *r)
{
	struct jnet_cni_ipam v;
	struct jnet_err e;
	char **envv;
	size_t i;
	json_t *x;
	int has = 0, rc;

	if ((envv = jnet_cni_env_build(r->env, "VERSION")) == NULL)
		return 0;
	jnet_err_clear(&e);
	rc = jnet_cni_ipam_exec(r->conf.ipam_type, "VERSION", r->env->path, envv, r->conf.text,
	    &v, &e);
	if (rc == -ENOENT)
		has = 1; /* not found: the command itself says so */
	if (rc == 0) {
		json_array_foreach(json_object_get(v.raw, "supportedVersions"), i, x)
			if (json_is_string(x) && strcmp(json_string_value(x), "1.1.0") == 0)
				has = 1;
		jnet_cni_ipam_free(&v);
	}
	jnet_cni_env_free(envv);
	return has;
}

int
jnet_cni_ipam_run(struct jnet_cni_run *r, const char *cmd, struct jnet_cni_ipam *out)
{
	struct jnet_err e;
	char **envv;
	int rc;

	if (r->conf.ipam_type == NULL)
		return 0;
	if ((strcmp(cmd, "GC") == 0 || strcmp(cmd, "STATUS") == 0) && !ipam_has_v110(r))
		return 0;
	if ((envv = jnet_cni_env_build(r->env, cmd)) == NULL)
		return jnet_cni_fail(&r->ce, CNI_ERR_IO, NULL, "out of memory");
	jnet_err_clear(&e);
	rc = jnet_cni_ipam_exec(r->conf.ipam_type, cmd, r->env->path, envv, r->conf.text, out, &e);
	jnet_cni_env_free(envv);
	if (rc == -ENOENT)
		return jnet_cni_fail(&r->ce, CNI_ERR_CONFIG, e.msg,
		    "ipam.type: plugin '%s' not found in CNI_PATH", r->conf.ipam_type);
	if (rc < 0 && strncmp(e.msg, "ipam ", 5) == 0)
		return jnet_cni_fail(&r->ce, CNI_ERR_IPAM, NULL, "%s", e.msg);
	if (rc < 0)
		return jnet_cni_fail(&r->ce, CNI_ERR_IPAM, NULL, "ipam %s %s: %s%s%s",
		    r->conf.ipam_type, cmd, e.object, e.object[0] ? ": " : "", e.msg);
	return 0;
}

bool
jnet_cni_jail_split(const char *jail, char *cid, size_t cidlen, char *ifname, size_t iflen)
{
	const char *at = strchr(jail, '@');

	if (at == NULL || at == jail || at[1] == '\0' || (size_t)(at - jail) >= cidlen)
		return false;
	memcpy(cid, jail, (size_t)(at - jail));
	cid[at - jail] = '\0';
	return jnet_strlcpy(ifname, at + 1, iflen) < iflen;
}

/* STATUS: 0 when jnet can serve ADD here (its backend opens; IPAM's STATUS, if any). */
static int
cmd_status(struct jnet_cni_run *r)
{
	struct jnet_cni_err ce;

	if (jnet_cni_ipam_run(r, "STATUS", NULL) < 0) {
		ce = r->ce; /* (formatting r->ce from itself) */
		return jnet_cni_fail(&r->ce, CNI_ERR_UNAVAILABLE, ce.details[0] ? ce.details : NULL,
		    "not available: %s", ce.msg);
	}
	return 0;
}

/* Open the backend the configuration names (else main's -t/JNET_BACKEND, else the OS's). */
static int
open_backend(struct jnet_cni_run *r, const char *backend, bool status)
{
	if (r->conf.backend != NULL)
		backend = r->conf.backend;
	if (r->conf.mac_mode != CNI_MAC_DEFAULT)
		r->ctx->mac_mode = (enum jnet_mac_mode)r->conf.mac_mode;
	if (r->conf.backend == NULL && backend != NULL && jnet_backend_find(backend) == NULL) {
		/* JNET_BACKEND (or -t) names a backend this build has not: the environment's */
		const char *why = jnet_backend_unsupported(backend);

		return jnet_cni_fail(&r->ce, status ? CNI_ERR_UNAVAILABLE : CNI_ERR_ENV, backend,
		    "JNET_BACKEND: %s", why ? why : "unknown backend");
	}
	if (jnet_ctx_open(r->ctx, backend) < 0) {
		jnet_cni_kernel_fail(r, "backend");
		if (status)
			r->ce.code = CNI_ERR_UNAVAILABLE;
		return -1;
	}
	if (!r->ctx->be->paired) {
		/* netgraph: the ng_eiface itself goes into the jail under jnet's name, and DEL
		 * would have to find it there; not done yet. */
		jnet_cni_fail(&r->ce, status ? CNI_ERR_UNAVAILABLE : CNI_ERR_CONFIG, NULL,
		    "backend: %s: not supported in CNI mode yet (its interface cannot be named "
		    "CNI_IFNAME inside the jail); use epair", r->ctx->be->name);
		jnet_ctx_close(r->ctx);
		return -1;
	}
	return 0;
}

static int
dispatch(struct jnet_cni_run *r)
{
	const char *c = r->env->command;

	if (strcmp(c, "STATUS") == 0)
		return cmd_status(r);
	if (strcmp(c, "GC") == 0)
		return jnet_cni_gc(r);
	snprintf(r->jail, sizeof(r->jail), "%s@%s", r->env->containerid, r->env->ifname);
	jnet_link_ifname(r->ctx, r->host_if, r->jail, 0, 'a');
	if (strcmp(c, "ADD") == 0)
		return jnet_cni_add(r);
	if (strcmp(c, "DEL") == 0)
		return jnet_cni_del(r);
	return jnet_cni_check(r);
}

int
jnet_cni_main(struct jnet_ctx *ctx, const char *backend, const struct jnet_cni_env *env,
    FILE *in, FILE *out)
{
	struct jnet_cni_run *r = calloc(1, sizeof(*r));
	const char *version = NULL;
	char *text = NULL;
	int rc = 1;

	if (r == NULL)
		return 1;
	/* jansson seeds its hash function from /dev/urandom at its first object (an open, a
	 * read and a close in every run); the configuration comes from the runtime, not from
	 * someone who could aim at the hash: the pid and the clock seed it. */
	json_object_seed((((size_t)getpid() << 20) ^ (size_t)time(NULL)) | 1);
	r->ctx = ctx;
	r->env = env;
	if (jnet_cni_env_check(env, &r->ce) < 0)
		goto out;
	if ((text = read_all(in, &r->ce)) == NULL)
		goto out;
	if (strcmp(env->command, "VERSION") == 0) {
		rc = cmd_version(text, out);
		goto out;
	}
	if (jnet_cni_conf_parse(text, env, &r->conf, &r->ce) < 0) {
		/* An unsupported version is answered in the newest. */
		version = r->ce.code == CNI_ERR_VERSION ? NULL : r->conf.version;
		goto out;
	}
	version = r->conf.version;
	if (open_backend(r, backend, strcmp(env->command, "STATUS") == 0) < 0)
		goto out;
	rc = dispatch(r) < 0 ? 1 : 0;
	jnet_ctx_close(ctx);
	if (rc == 0 && r->result != NULL)
		print_json(out, r->result);
out:
	if (rc != 0)
		print_error(out, version, &r->ce);
	json_decref(r->result);
	jnet_cni_conf_free(&r->conf);
	free(text);
	free(r);
	return rc;
}
