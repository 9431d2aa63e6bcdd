/*
 * Delegation to an IPAM plugin (CNI spec, "Plugin Delegation"): the binary is looked up
 * in CNI_PATH, run with the caller's CNI_* environment and the whole network config on
 * stdin; its stderr is ours; its stdout is the result (exit 0) or an error object.
 * Then the result's addresses and routes are applied inside the jail through the
 * backend's addr_add/route_add.
 */
#include "cni_ipam.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int ipam_timeout_ms = JNET_CNI_IPAM_TIMEOUT_MS_DEFAULT;

int
jnet_cni_ipam_set_timeout(int ms)
{
	int old = ipam_timeout_ms;

	if (ms > 0)
		ipam_timeout_ms = ms;
	return old;
}

void
jnet_cni_ipam_free(struct jnet_cni_ipam *r)
{
	if (r == NULL)
		return;
	free(r->ips);
	free(r->routes);
	json_decref(r->raw);
	memset(r, 0, sizeof(*r));
}

/* ---------------------------------------------------------------- result parsing --- */

/* "ADDR" (prefix NULL) or "ADDR/PREFIX": 0, or -1 when it is not one. */
static int
parse_addr(const char *s, int *family, uint8_t addr[16], int *prefix)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *slash = prefix ? strchr(s, '/') : NULL;
	size_t hl = slash ? (size_t)(slash - s) : strlen(s);
	char *end;
	long p;

	if ((prefix != NULL && slash == NULL) || hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, host, addr) == 1)
		*family = AF_INET;
	else if (inet_pton(AF_INET6, host, addr) == 1)
		*family = AF_INET6;
	else
		return -1;
	if (prefix == NULL)
		return 0;
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	errno = 0;
	p = strtol(slash + 1, &end, 10);
	if (errno != 0 || *end != '\0' || p > (*family == AF_INET ? 32 : 128))
		return -1;
	*prefix = (int)p;
	return 0;
}

static int
bad(struct jnet_err *e, const char *what, int i, const char *fmt, const char *s)
{
	char where[64];

	snprintf(where, sizeof(where), "%s[%d]", what, i);
	return jnet_err_set(e, EBADMSG, where, "CNI result: %s[%d]: %s '%s'", what, i, fmt,
	    s ? s : "");
}

/* An optional next hop "key" of an ips/routes entry, of the entry's family. */
static int
parse_gw(json_t *o, const char *key, int family, bool *has, uint8_t gw[16], const char *what,
    int i, struct jnet_err *e)
{
	json_t *v = json_object_get(o, key);
	int f;

	*has = false;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || parse_addr(json_string_value(v), &f, gw, NULL) < 0)
		return bad(e, what, i, key, json_is_string(v) ? json_string_value(v) : "not a string");
	if (f != family)
		return bad(e, what, i, "has a next hop of the other family:", json_string_value(v));
	*has = true;
	return 0;
}

static int
parse_one_ip(json_t *o, int i, struct jnet_cni_ip *ip, struct jnet_err *e)
{
	json_t *a = json_object_get(o, "address"), *v = json_object_get(o, "version");
	json_t *itf = json_object_get(o, "interface");
	const char *s;

	if (!json_is_object(o))
		return bad(e, "ips", i, "is not an object:", "");
	if (!json_is_string(a) ||
	    parse_addr(json_string_value(a), &ip->family, ip->addr, &ip->prefix) < 0)
		return bad(e, "ips", i, "address must be ADDRESS/PREFIX, not",
		    json_is_string(a) ? json_string_value(a) : "absent or not a string");
	if (v != NULL) { /* 0.4.0 and older; 1.0.0 dropped it */
		s = json_is_string(v) ? json_string_value(v) : "";
		if (strcmp(s, ip->family == AF_INET ? "4" : "6") != 0)
			return bad(e, "ips", i, "version does not match the address:", s);
	}
	if (parse_gw(o, "gateway", ip->family, &ip->has_gw, ip->gw, "ips", i, e) < 0)
		return -EBADMSG;
	ip->interface = -1;
	if (itf != NULL) {
		if (!json_is_integer(itf) || json_integer_value(itf) < 0 ||
		    json_integer_value(itf) > 65535)
			return bad(e, "ips", i, "interface must be an index into interfaces", "");
		ip->interface = (int)json_integer_value(itf);
	}
	return 0;
}

static int
parse_one_route(json_t *o, int i, struct jnet_cni_route *rt, struct jnet_err *e)
{
	json_t *d = json_object_get(o, "dst");
	int bits;

	if (!json_is_object(o))
		return bad(e, "routes", i, "is not an object:", "");
	if (!json_is_string(d) ||
	    parse_addr(json_string_value(d), &rt->family, rt->dst, &rt->prefix) < 0)
		return bad(e, "routes", i, "dst must be NETWORK/PREFIX, not",
		    json_is_string(d) ? json_string_value(d) : "absent or not a string");
	/* Clear host bits (Go's ParseCIDR does; the kernel refuses them in a route). */
	bits = rt->prefix;
	for (int b = 0; b < 16; b++, bits -= 8)
		rt->dst[b] &= bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
	return parse_gw(o, "gw", rt->family, &rt->has_gw, rt->gw, "routes", i, e);
}

/* The array `key` of result: its size, 0 when absent, -1 when not an array. */
static int
array_of(json_t *result, const char *key, json_t **arr)
{
	*arr = json_object_get(result, key);
	if (*arr == NULL || json_is_null(*arr))
		return 0;
	return json_is_array(*arr) && json_array_size(*arr) < 4096 ? (int)json_array_size(*arr) :
	    -1;
}

int
jnet_cni_ipam_parse(json_t *result, struct jnet_cni_ipam *out, struct jnet_err *e)
{
	json_t *ips, *routes;
	int nips, nroutes, r = 0;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(result))
		return jnet_err_set(e, EBADMSG, "", "CNI result: not a JSON object");
	if ((nips = array_of(result, "ips", &ips)) < 0)
		return jnet_err_set(e, EBADMSG, "ips", "CNI result: ips is not an array");
	if ((nroutes = array_of(result, "routes", &routes)) < 0)
		return jnet_err_set(e, EBADMSG, "routes", "CNI result: routes is not an array");
	out->ips = calloc((size_t)nips + 1, sizeof(*out->ips));
	out->routes = calloc((size_t)nroutes + 1, sizeof(*out->routes));
	if (out->ips == NULL || out->routes == NULL) {
		r = jnet_err_set(e, ENOMEM, "", "out of memory");
		goto fail;
	}
	for (int i = 0; i < nips && r == 0; i++)
		r = parse_one_ip(json_array_get(ips, (size_t)i), i, &out->ips[i], e);
	for (int i = 0; i < nroutes && r == 0; i++)
		r = parse_one_route(json_array_get(routes, (size_t)i), i, &out->routes[i], e);
	if (r < 0)
		goto fail;
	out->nips = nips;
	out->nroutes = nroutes;
	out->raw = json_incref(result);
	return 0;
fail:
	jnet_cni_ipam_free(out);
	return r;
}

/* ----------------------------------------------------------------------- exec --- */

/* Find `type` in the colon list cni_path: its path in buf. */
static int
find_plugin(const char *type, const char *cni_path, char *buf, size_t len, struct jnet_err *e)
{
	const char *p = cni_path ? cni_path : "";
	struct stat st;

	if (type[0] == '\0' || strchr(type, '/') != NULL || strcmp(type, ".") == 0 ||
	    strcmp(type, "..") == 0)
		return jnet_err_set(e, EINVAL, type, "ipam: type '%s' is not a plugin name "
		    "(no '/' allowed: plugins are only looked up in CNI_PATH)", type);
	while (*p != '\0') {
		size_t n = strcspn(p, ":");

		if (n > 0 && (size_t)snprintf(buf, len, "%.*s/%s", (int)n, p, type) < len &&
		    stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return 0;
		p += n;
		if (*p == ':')
			p++;
	}
	return jnet_err_set(e, ENOENT, type, "ipam %s: no executable '%s' in CNI_PATH '%s'",
	    type, type, cni_path ? cni_path : "");
}

/* env without its CNI_COMMAND, then CNI_COMMAND=cmd (envp[last] points into cmdvar). */
static char **
child_env(char *const env[], const char *cmd, char *cmdvar, size_t len)
{
	size_t n = 0, k = 0;
	char **envp;

	while (env != NULL && env[n] != NULL)
		n++;
	if ((envp = calloc(n + 2, sizeof(*envp))) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(env[i], "CNI_COMMAND=", 12) != 0)
			envp[k++] = env[i];
	snprintf(cmdvar, len, "CNI_COMMAND=%s", cmd);
	envp[k] = cmdvar;
	return envp;
}

/* In the child: stdin, stdout, the exec-error pipe on fd 3; nothing else inherited. */
static void
child(const char *path, char **envp, int in, int out, int errp, pid_t parent)
{
	char *argv[] = { (char *)path, NULL };
	sigset_t none;
	int err, ef;

#ifdef __linux__
	/* A jnet killed while it waits takes its plugin with it (no orphaned IPAM run). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
#else
	(void)parent;
#endif
	/* Out of the way of 0, 1 and 3 first (jnet may have started with 0 or 1 closed). */
	if ((ef = fcntl(errp, F_DUPFD_CLOEXEC, 10)) < 0)
		ef = errp;
	if (ef == errp || (in = fcntl(in, F_DUPFD, 10)) < 0 ||
	    (out = fcntl(out, F_DUPFD, 10)) < 0)
		goto fail;
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(ef, 3) < 0 ||
	    fcntl(3, F_SETFD, FD_CLOEXEC) < 0)
		goto fail;
	ef = 3;
	closefrom(4);
	/* exec keeps ignored signals and the mask: the plugin starts with the defaults */
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(path, argv, envp);
fail:
	err = errno;
	(void)!write(ef, &err, sizeof(err));
	_exit(127);
}

struct run {
	pid_t pid;
	int in, out;               /* our ends: the plugin's stdin (a socket), its stdout */
	char *buf;                 /* its stdout */
	size_t len;
	struct timespec deadline;
};

static int
ms_left(const struct run *rn)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(rn->deadline.tv_sec - now.tv_sec) * 1000 +
	    (rn->deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > 1000000 ? 1000000 : (int)ms;
}

static int
spawn(struct run *rn, const char *path, char **envp, struct jnet_err *e)
{
	int sp[2], op[2] = { -1, -1 }, ep[2] = { -1, -1 }, err = 0, r = 0;
	pid_t parent = getpid();
	ssize_t n;

	/* stdin is a socket: send(MSG_NOSIGNAL) to a plugin that does not read it is an
	 * EPIPE for us, not a SIGPIPE. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0)
		return jnet_err_sys(e, errno, path, "ipam: socketpair");
	if (pipe2(op, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
		r = jnet_err_sys(e, errno, path, "ipam: pipe");
		goto out;
	}
	if ((rn->pid = fork()) < 0) {
		r = jnet_err_sys(e, errno, path, "ipam: fork");
		goto out;
	}
	if (rn->pid == 0)
		child(path, envp, sp[1], op[1], ep[1], parent);
	close(ep[1]);
	ep[1] = -1;
	while ((n = read(ep[0], &err, sizeof(err))) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof(err)) {
		waitpid(rn->pid, NULL, 0);
		r = jnet_err_sys(e, err, path, "ipam: cannot run %s", path);
		goto out;
	}
	rn->in = sp[0];
	rn->out = op[0];
	sp[0] = op[0] = -1;
	fcntl(rn->in, F_SETFL, O_NONBLOCK);
out:
	for (int i = 0; i < 2; i++) {
		if (sp[i] >= 0)
			close(sp[i]);
		if (op[i] >= 0)
			close(op[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	return r;
}

/* Feed conf, collect stdout until EOF; -EFBIG / -ETIMEDOUT / -errno. */
static int
pump(struct run *rn, const char *conf, const char *type, struct jnet_err *e)
{
	size_t clen = strlen(conf), sent = 0, cap = 0;

	while (rn->out >= 0) {
		struct pollfd pf[2] = { { rn->out, POLLIN, 0 }, { rn->in, POLLOUT, 0 } };
		int np = rn->in >= 0 ? 2 : 1, left = ms_left(rn), k;

		if (left == 0)
			return jnet_err_set(e, ETIMEDOUT, type, "ipam %s: no result after %d ms "
			    "(killed)", type, ipam_timeout_ms);
		if ((k = poll(pf, (nfds_t)np, left)) < 0 && errno != EINTR)
			return jnet_err_sys(e, errno, type, "ipam %s: poll", type);
		if (k <= 0)
			continue;
		if (np == 2 && pf[1].revents != 0) {
			ssize_t w = send(rn->in, conf + sent, clen - sent, MSG_NOSIGNAL);

			if (w > 0)
				sent += (size_t)w;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == clen) {
				close(rn->in); /* EOF for the plugin (or it stopped reading) */
				rn->in = -1;
			}
		}
		if (pf[0].revents == 0)
			continue;
		if (rn->len == cap) { /* full: grow, up to one byte past the limit */
			char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > JNET_CNI_IPAM_MAXOUT + 1)
				cap = JNET_CNI_IPAM_MAXOUT + 1;
			if ((nb = realloc(rn->buf, cap + 1)) == NULL)
				return jnet_err_set(e, ENOMEM, type, "out of memory");
			rn->buf = nb;
		}
		ssize_t n = read(rn->out, rn->buf + rn->len, cap - rn->len);
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return jnet_err_sys(e, errno, type, "ipam %s: read its output", type);
		if (n == 0) {
			close(rn->out);
			rn->out = -1;
		} else if (n > 0 && (rn->len += (size_t)n) > JNET_CNI_IPAM_MAXOUT) {
			return jnet_err_set(e, EFBIG, type, "ipam %s: output larger than %d bytes "
			    "(killed)", type, JNET_CNI_IPAM_MAXOUT);
		}
	}
	rn->buf[rn->len] = '\0';
	return 0;
}

/* Reap the plugin before the deadline: its wait status, or -ETIMEDOUT. */
static int
reap(struct run *rn, const char *type, int *status, struct jnet_err *e)
{
	/* It closed its stdout: it is exiting. Poll its exit with backoff from 50 us to 5 ms. */
	for (long ns = 50000;; ns = ns < 5000000 ? ns * 2 : ns) {
		struct timespec pause = { 0, ns };
		pid_t w = waitpid(rn->pid, status, WNOHANG);

		if (w == rn->pid) {
			rn->pid = -1;
			return 0;
		}
		if (w < 0 && errno != EINTR)
			return jnet_err_sys(e, errno, type, "ipam %s: waitpid", type);
		if (ms_left(rn) == 0)
			return jnet_err_set(e, ETIMEDOUT, type, "ipam %s: did not exit within %d ms "
			    "(killed)", type, ipam_timeout_ms);
		nanosleep(&pause, NULL);
	}
}

/* A plugin that failed: its error object, or what its exit says. */
static int
plugin_error(const char *type, int status, const char *out, struct jnet_err *e)
{
	json_t *j = json_loads(out, 0, NULL), *code = json_object_get(j, "code");
	const char *msg = json_string_value(json_object_get(j, "msg"));
	const char *det = json_string_value(json_object_get(j, "details"));
	int r;

	if (WIFSIGNALED(status))
		r = jnet_err_set(e, EIO, type, "ipam %s: killed by signal %d", type,
		    WTERMSIG(status));
	else if (!json_is_integer(code))
		r = jnet_err_set(e, EIO, type, "ipam %s: exited with status %d and no CNI error "
		    "object on stdout", type, WEXITSTATUS(status));
	else if (det != NULL && det[0] != '\0')
		r = jnet_err_set(e, EIO, type, "ipam %s: %s (%s)", type, msg ? msg : "", det);
	else
		r = jnet_err_set(e, EIO, type, "ipam %s: %s", type, msg ? msg : "");
	if (e != NULL && json_is_integer(code) && !WIFSIGNALED(status))
		e->cni_code = (int)json_integer_value(code);
	json_decref(j);
	return r;
}

static int
result(const char *type, const char *buf, size_t len, struct jnet_cni_ipam *out,
    struct jnet_err *e)
{
	json_error_t je;
	json_t *j = json_loadb(buf, len, 0, &je);
	int r;

	if (j == NULL)
		return jnet_err_set(e, EBADMSG, type, "ipam %s: its result is not JSON: %s "
		    "(line %d, column %d)", type, je.text, je.line, je.column);
	r = jnet_cni_ipam_parse(j, out, e);
	json_decref(j);
	if (r < 0 && e != NULL) {
		char m[sizeof(e->msg)];

		jnet_strlcpy(m, e->msg, sizeof(m));
		jnet_err_set(e, -r, type, "ipam %s: %s", type, m);
	}
	return r;
}

int
jnet_cni_ipam_exec(const char *type, const char *cmd, const char *cni_path,
    char *const env[], const char *conf, struct jnet_cni_ipam *out, struct jnet_err *e)
{
	struct run rn = { .pid = -1, .in = -1, .out = -1 };
	char path[4096], cmdvar[64];
	char **envp = NULL;
	int r, status = 0;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if ((r = find_plugin(type, cni_path, path, sizeof(path), e)) < 0)
		return r;
	if ((envp = child_env(env, cmd, cmdvar, sizeof(cmdvar))) == NULL)
		return jnet_err_set(e, ENOMEM, type, "out of memory");
	clock_gettime(CLOCK_MONOTONIC, &rn.deadline);
	rn.deadline.tv_sec += ipam_timeout_ms / 1000;
	rn.deadline.tv_nsec += (long)(ipam_timeout_ms % 1000) * 1000000;
	if (rn.deadline.tv_nsec >= 1000000000) {
		rn.deadline.tv_sec++;
		rn.deadline.tv_nsec -= 1000000000;
	}
	if ((r = spawn(&rn, path, envp, e)) < 0)
		goto out;
	if ((r = pump(&rn, conf ? conf : "", type, e)) == 0)
		r = reap(&rn, type, &status, e);
	if (r < 0)
		goto out;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		r = plugin_error(type, status, rn.buf, e);
	else if (out != NULL)
		r = result(type, rn.buf, rn.len, out, e);
out:
	if (rn.pid > 0) { /* failed on the way: never leave it running */
		kill(rn.pid, SIGKILL);
		waitpid(rn.pid, NULL, 0);
	}
	if (rn.in >= 0)
		close(rn.in);
	if (rn.out >= 0)
		close(rn.out);
	free(rn.buf);
	free(envp);
	return r;
}

/* ---------------------------------------------------------------------- apply --- */

/* Is r->ips[i] for ifname? 1 yes, 0 another interface's, -EINVAL a bad index. */
static int
ip_is_ours(const struct jnet_cni_ipam *r, int i, const char *ifname, struct jnet_err *e)
{
	json_t *itfs = json_object_get(r->raw, "interfaces");
	const char *name;

	if (r->ips[i].interface < 0)
		return 1;
	if (!json_is_array(itfs) || (size_t)r->ips[i].interface >= json_array_size(itfs))
		return jnet_err_set(e, EINVAL, ifname, "CNI result: ips[%d]: interface %d is not an "
		    "index into interfaces", i, r->ips[i].interface);
	name = json_string_value(json_object_get(json_array_get(itfs,
	    (size_t)r->ips[i].interface), "name"));
	return name != NULL && strcmp(name, ifname) == 0;
}

/* The first gateway of each family among the addresses for ifname; checks every index. */
static int
gateways(const struct jnet_cni_ipam *r, const char *ifname, const uint8_t **gw4,
    const uint8_t **gw6, struct jnet_err *e)
{
	int k;

	*gw4 = *gw6 = NULL;
	for (int i = 0; i < r->nips; i++) {
		const struct jnet_cni_ip *ip = &r->ips[i];

		if ((k = ip_is_ours(r, i, ifname, e)) < 0)
			return k;
		if (k == 0 || !ip->has_gw)
			continue;
		if (ip->family == AF_INET && *gw4 == NULL)
			*gw4 = ip->gw;
		if (ip->family == AF_INET6 && *gw6 == NULL)
			*gw6 = ip->gw;
	}
	return 0;
}

int
jnet_cni_apply(const struct jnet_backend_ops *b, void *priv, const struct jnet_jail *j,
    const char *ifname, const struct jnet_cni_ipam *r, struct jnet_err *e)
{
	const uint8_t *gw4, *gw6;
	int k;

	if (b->lab == NULL)
		return jnet_err_set(e, EOPNOTSUPP, b->name, "the %s backend cannot set addresses "
		    "or routes", b->name);
	/* Everything checked before the first change. */
	if ((k = gateways(r, ifname, &gw4, &gw6, e)) < 0)
		return k;
	for (int i = 0; i < r->nroutes; i++) {
		const struct jnet_cni_route *rt = &r->routes[i];
		char d[INET6_ADDRSTRLEN];

		if (rt->has_gw || (rt->family == AF_INET ? gw4 : gw6) != NULL)
			continue;
		inet_ntop(rt->family, rt->dst, d, sizeof(d));
		return jnet_err_set(e, EOPNOTSUPP, ifname, "CNI result: route %s/%d has no gw and "
		    "no address of its family has a gateway (jnet routes via a next hop only)", d,
		    rt->prefix);
	}
	for (int i = 0; i < r->nips; i++) {
		const struct jnet_cni_ip *ip = &r->ips[i];

		if (ip_is_ours(r, i, ifname, e) == 1 &&
		    (k = b->lab->addr_add(priv, j, ifname, ip->family, ip->addr, ip->prefix, e)) < 0)
			return k;
	}
	for (int i = 0; i < r->nroutes; i++) {
		const struct jnet_cni_route *rt = &r->routes[i];
		const uint8_t *via = rt->has_gw ? rt->gw : rt->family == AF_INET ? gw4 : gw6;

		if ((k = b->lab->route_add(priv, j, rt->family, rt->dst, rt->prefix, via, e)) < 0)
			return k;
	}
	return 0;
}
