/*
 * A behavioural model of the FreeBSD kernel: every primitive of src/fbsd/fbsd.h, in memory (or
 * in a JSON state file shared by processes), with the errno cases of the real kernel.
 *
 * Each behaviour cites where it comes from: a FreeBSD source file and function (read in
 * freebsd/freebsd-src, main branch of 2025, FreeBSD 15) or a man page. Where the model
 * simplifies, the comment says so.
 */
#include "model.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IF_MINMTU 72       /* sys/net/if.h */
#define IF_MAXMTU 65535
/* sys/net/if_epair.c epair_ioctl SIOCSIFMTU (FreeBSD 14): "We basically allow all kinds
 * of MTUs": only ifhwioctl's IF_MINMTU..IF_MAXMTU bound applies. */
#define EPAIR_MAXMTU IF_MAXMTU
/* sys/netgraph/ng_eiface.h (FreeBSD 14): NG_EIFACE_MTU_MIN 72, NG_EIFACE_MTU_MAX
 * ETHER_MAX_LEN_JUMBO (9018), checked by ng_eiface.c ng_eiface_ioctl SIOCSIFMTU. */
#define EIFACE_MINMTU 72
#define EIFACE_MAXMTU 9018

/* Extensions (netgraph) hook in here; see model.h. */
#ifdef MODEL_HAVE_NG
extern const struct model_ext_ops model_ng_ext;
#endif
static const struct model_ext_ops *const exts[] = {
#ifdef MODEL_HAVE_NG
	&model_ng_ext,
#endif
	NULL,
};

/* ================================================================ state */

static int cmp_str(const void *a, const void *b);

static void
model_free(struct model *m)
{
	for (int i = 0; i < m->nifs; i++)
		free(m->ifs[i].descr);
	free(m->ifs);
	free(m->jails);
	json_decref(m->ext);
	memset(m, 0, sizeof(*m));
}

static void
model_init(struct model *m)
{
	struct m_if *lo;

	model_free(m);
	m->next_id = 1;
	m->next_jid = 1;
	m->version = 15;
	m->member_ifaddrs = false; /* if_bridge(4) of 15: net.link.bridge.member_ifaddrs=0 */
	m->ext = json_object();
	/* Every vnet has its lo0 (sys/net/if_loop.c vnet_loif_init). */
	lo = model_if_new(m, MODEL_HOST, "lo0", "lo", true, 0);
	lo->up = true;
	lo->mtu = 16384;
}

static json_t *
mac_json(bool has, const uint8_t mac[6])
{
	char s[JNET_MACSTRLEN];

	if (!has)
		return json_null();
	snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
	    mac[4], mac[5]);
	return json_string(s);
}

static bool
mac_parse(const char *s, uint8_t mac[6])
{
	unsigned v[6];

	if (s == NULL || sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
	    &v[5]) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return true;
}

/* ---------------------------------------------------------------- labs: addresses, routes */

static void
prefix_text(int family, const uint8_t *a, int prefix, char *buf, size_t len)
{
	char t[INET6_ADDRSTRLEN];

	if (inet_ntop(family, a, t, sizeof(t)) == NULL)
		snprintf(t, sizeof(t), "?");
	snprintf(buf, len, "%s/%d", t, prefix);
}

static bool
prefix_parse(const char *s, int *family, uint8_t a[16], int *prefix)
{
	char t[INET6_ADDRSTRLEN + 8], *slash;

	jnet_strlcpy(t, s ? s : "", sizeof(t));
	if ((slash = strchr(t, '/')) == NULL)
		return false;
	*slash = '\0';
	*prefix = atoi(slash + 1);
	memset(a, 0, 16);
	*family = strchr(t, ':') ? AF_INET6 : AF_INET;
	return inet_pton(*family, t, a) == 1;
}

/* Addresses as "addr/prefix" strings; sorted for dumps. */
static json_t *
addrs_json(const struct m_if *i, bool sorted)
{
	char s[MODEL_MAXADDRS][INET6_ADDRSTRLEN + 8];
	const char *v[MODEL_MAXADDRS];
	json_t *a = json_array();

	for (int n = 0; n < i->naddrs; n++) {
		prefix_text(i->addrs[n].family, i->addrs[n].addr, i->addrs[n].prefix, s[n],
		    sizeof(s[n]));
		v[n] = s[n];
	}
	if (sorted)
		qsort(v, (size_t)i->naddrs, sizeof(v[0]), cmp_str);
	for (int n = 0; n < i->naddrs; n++)
		json_array_append_new(a, json_string(v[n]));
	return a;
}

static void
addrs_load(struct m_if *i, json_t *a)
{
	size_t k;
	json_t *v;

	i->naddrs = 0;
	json_array_foreach(a, k, v) {
		struct m_addr *x = &i->addrs[i->naddrs];

		if (i->naddrs < MODEL_MAXADDRS &&
		    prefix_parse(json_string_value(v), &x->family, x->addr, &x->prefix))
			i->naddrs++;
	}
}

/* A jail's lab state. For dumps (`dump`): routes as text, sorted, no interface ids. */
static void
jail_lab_save(const struct m_jail *jl, json_t *j, bool dump)
{
	char s[MODEL_MAXROUTES][2 * INET6_ADDRSTRLEN + 16];
	const char *v[MODEL_MAXROUTES];
	json_t *rt = json_array();

	if (!dump)
		json_object_set_new(j, "parent", json_integer(jl->parent));
	json_object_set_new(j, "hostname", json_string(jl->hostname));
	json_object_set_new(j, "fwd4", json_boolean(jl->fwd4));
	json_object_set_new(j, "fwd6", json_boolean(jl->fwd6));
	for (int n = 0; n < jl->nroutes; n++) {
		const struct m_route *r = &jl->routes[n];
		char d[INET6_ADDRSTRLEN + 8], g[INET6_ADDRSTRLEN];

		prefix_text(r->family, r->dst, r->prefix, d, sizeof(d));
		if (inet_ntop(r->family, r->gw, g, sizeof(g)) == NULL)
			snprintf(g, sizeof(g), "?");
		if (dump)
			snprintf(s[n], sizeof(s[n]), "%s via %s", d, g);
		else
			snprintf(s[n], sizeof(s[n]), "%s %s %d", d, g, r->ifid);
		v[n] = s[n];
	}
	if (dump)
		qsort(v, (size_t)jl->nroutes, sizeof(v[0]), cmp_str);
	for (int n = 0; n < jl->nroutes; n++)
		json_array_append_new(rt, json_string(v[n]));
	json_object_set_new(j, "routes", rt);
}

static void
jail_lab_load(struct m_jail *jl, json_t *j)
{
	json_t *rt = json_object_get(j, "routes"), *v;
	size_t k;

	jl->parent = (int)json_integer_value(json_object_get(j, "parent"));
	jnet_strlcpy(jl->hostname, json_string_value(json_object_get(j, "hostname")) ?
	    json_string_value(json_object_get(j, "hostname")) : "", sizeof(jl->hostname));
	jl->fwd4 = json_is_true(json_object_get(j, "fwd4"));
	jl->fwd6 = json_is_true(json_object_get(j, "fwd6"));
	jl->nroutes = 0;
	json_array_foreach(rt, k, v) {
		struct m_route *r = &jl->routes[jl->nroutes];
		char d[64], g[64];
		int fam;

		if (jl->nroutes == MODEL_MAXROUTES || json_string_value(v) == NULL ||
		    sscanf(json_string_value(v), "%63s %63s %d", d, g, &r->ifid) != 3 ||
		    !prefix_parse(d, &r->family, r->dst, &r->prefix))
			continue;
		fam = r->family;
		memset(r->gw, 0, sizeof(r->gw));
		if (inet_pton(fam, g, r->gw) == 1)
			jl->nroutes++;
	}
}

static json_t *
state_save(const struct model *m)
{
	json_t *o = json_object(), *ifs = json_array(), *jails = json_array();

	json_object_set_new(o, "version", json_integer(m->version));
	json_object_set_new(o, "member_ifaddrs", json_boolean(m->member_ifaddrs));
	json_object_set_new(o, "kmods", json_integer(m->kmods));
	json_object_set_new(o, "kld_refuse", json_integer(m->kld_refuse));
	json_object_set_new(o, "next_id", json_integer(m->next_id));
	json_object_set_new(o, "next_jid", json_integer(m->next_jid));
	json_object_set_new(o, "macseq", json_integer(m->macseq));
	for (int k = 0; k < m->nifs; k++) {
		const struct m_if *i = &m->ifs[k];
		json_t *j = json_object(), *g = json_array();

		json_object_set_new(j, "id", json_integer(i->id));
		json_object_set_new(j, "name", json_string(i->name));
		json_object_set_new(j, "kind", json_string(i->kind));
		json_object_set_new(j, "cloned", json_boolean(i->cloned));
		json_object_set_new(j, "unit", json_integer(i->unit));
		json_object_set_new(j, "index", json_integer(i->index));
		json_object_set_new(j, "vnet", json_integer(i->vnet));
		json_object_set_new(j, "home", json_integer(i->home));
		json_object_set_new(j, "peer", json_integer(i->peer));
		json_object_set_new(j, "vlan_parent", json_integer(i->vlan_parent));
		json_object_set_new(j, "vlan_tag", json_integer(i->vlan_tag));
		json_object_set_new(j, "mac", mac_json(i->has_mac, i->mac));
		json_object_set_new(j, "up", json_boolean(i->up));
		json_object_set_new(j, "mtu", json_integer(i->mtu));
		json_object_set_new(j, "descr", i->descr ? json_string(i->descr) : json_null());
		for (int n = 0; n < i->ngroups; n++)
			json_array_append_new(g, json_string(i->groups[n]));
		json_object_set_new(j, "groups", g);
		json_object_set_new(j, "bridge", json_integer(i->bridge));
		json_object_set_new(j, "inaddr", json_boolean(i->inaddr));
		json_object_set_new(j, "addrs", addrs_json(i, false));
		json_array_append_new(ifs, j);
	}
	json_object_set_new(o, "ifs", ifs);
	for (int k = 0; k < m->njails; k++) {
		const struct m_jail *jl = &m->jails[k];
		json_t *j = json_object();

		json_object_set_new(j, "jid", json_integer(jl->jid));
		json_object_set_new(j, "name", json_string(jl->name));
		json_object_set_new(j, "vnet", json_boolean(jl->vnet));
		json_object_set_new(j, "dying", json_boolean(jl->dying));
		json_object_set_new(j, "shutting_down", json_boolean(jl->shutting_down));
		jail_lab_save(jl, j, false);
		json_array_append_new(jails, j);
	}
	json_object_set_new(o, "jails", jails);
	json_object_set(o, "ext", m->ext);
	return o;
}

static int
jint(json_t *o, const char *k)
{
	return (int)json_integer_value(json_object_get(o, k));
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static int
state_load(struct model *m, json_t *o)
{
	json_t *ifs = json_object_get(o, "ifs"), *jails = json_object_get(o, "jails");
	json_t *ext = json_object_get(o, "ext");
	size_t k;
	json_t *j;

	model_free(m);
	if (!json_is_array(ifs) || !json_is_array(jails))
		return -EINVAL;
	m->version = jint(o, "version");
	m->member_ifaddrs = json_is_true(json_object_get(o, "member_ifaddrs"));
	m->kmods = (unsigned)jint(o, "kmods");
	m->kld_refuse = jint(o, "kld_refuse");
	m->next_id = jint(o, "next_id");
	m->next_jid = jint(o, "next_jid");
	m->macseq = (unsigned)jint(o, "macseq");
	m->ext = json_is_object(ext) ? json_incref(ext) : json_object();
	m->capifs = (int)json_array_size(ifs) + 8;
	m->ifs = calloc((size_t)m->capifs, sizeof(*m->ifs));
	m->capjails = (int)json_array_size(jails) + 4;
	m->jails = calloc((size_t)m->capjails, sizeof(*m->jails));
	if (m->ifs == NULL || m->jails == NULL)
		return -ENOMEM;
	json_array_foreach(ifs, k, j) {
		struct m_if *i = &m->ifs[m->nifs++];
		json_t *g = json_object_get(j, "groups"), *d = json_object_get(j, "descr");
		size_t n;
		json_t *gv;

		i->id = jint(j, "id");
		jnet_strlcpy(i->name, jstr(j, "name"), sizeof(i->name));
		jnet_strlcpy(i->kind, jstr(j, "kind"), sizeof(i->kind));
		i->cloned = json_is_true(json_object_get(j, "cloned"));
		i->unit = jint(j, "unit");
		i->index = jint(j, "index");
		i->vnet = jint(j, "vnet");
		i->home = jint(j, "home");
		i->peer = jint(j, "peer");
		i->vlan_parent = jint(j, "vlan_parent");
		i->vlan_tag = jint(j, "vlan_tag");
		i->has_mac = mac_parse(json_string_value(json_object_get(j, "mac")), i->mac);
		i->up = json_is_true(json_object_get(j, "up"));
		i->mtu = (unsigned)jint(j, "mtu");
		i->descr = json_is_string(d) ? strdup(json_string_value(d)) : NULL;
		json_array_foreach(g, n, gv) {
			if (i->ngroups < MODEL_MAXGROUPS)
				jnet_strlcpy(i->groups[i->ngroups++], json_string_value(gv),
				    JNET_IFNAMSIZ);
		}
		i->bridge = jint(j, "bridge");
		i->inaddr = json_is_true(json_object_get(j, "inaddr"));
		addrs_load(i, json_object_get(j, "addrs"));
	}
	json_array_foreach(jails, k, j) {
		struct m_jail *jl = &m->jails[m->njails++];

		jl->jid = jint(j, "jid");
		jnet_strlcpy(jl->name, jstr(j, "name"), sizeof(jl->name));
		jl->vnet = json_is_true(json_object_get(j, "vnet"));
		jl->dying = json_is_true(json_object_get(j, "dying"));
		jl->shutting_down = json_is_true(json_object_get(j, "shutting_down"));
		jail_lab_load(jl, j);
	}
	return 0;
}

/* ================================================================ the gate */

static struct {
	bool env_read;
	const char *state;        /* $JNET_MODEL_STATE */
	const char *trace;        /* $JNET_MODEL_TRACE */
	long calls;
	long fault_k;
	int fault_err;
	long kill_k;              /* $JNET_MODEL_KILL: SIGKILL entering the K-th call */
	long grow_k;              /* $JNET_MODEL_GROW: the group list of call K grows */
	bool grow_on;             /* ... and of every later call ("K+") */
	bool trace_lists;         /* $JNET_MODEL_TRACE_LISTS: "PID K LIST N" lines */
	const char *pause;        /* $JNET_MODEL_PAUSE: "OP:FILE" (model_pause) */
	int cur_jid;              /* jail of the call being traced (0: the host) */
	bool cur_fork;            /* ... which the real primitive forks for */
	char fault_op[64];
	struct model mem;         /* in-process state (no state file), or the loaded file */
	bool mem_ok;
	int lockfd;
} g = { .lockfd = -1 };

static const struct {
	const char *name;
	int err;
} errnames[] = {
	{ "EIO", EIO }, { "ENOMEM", ENOMEM }, { "ENXIO", ENXIO }, { "EBUSY", EBUSY },
	{ "EEXIST", EEXIST }, { "EINVAL", EINVAL }, { "EPERM", EPERM }, { "ENOSPC", ENOSPC },
	{ "ENOENT", ENOENT }, { "EAGAIN", EAGAIN }, { "EACCES", EACCES },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "ENODEV", ENODEV },
};

static void
env_once(void)
{
	const char *f;

	if (g.env_read)
		return;
	g.env_read = true;
	g.state = getenv("JNET_MODEL_STATE");
	if (g.state != NULL && g.state[0] == '\0')
		g.state = NULL;
	g.trace = getenv("JNET_MODEL_TRACE");
	if (g.trace != NULL && g.trace[0] == '\0')
		g.trace = NULL;
	f = getenv("JNET_MODEL_TRACE_LISTS");
	g.trace_lists = f != NULL && f[0] != '\0' && strcmp(f, "0") != 0;
	g.pause = getenv("JNET_MODEL_PAUSE");
	f = getenv("JNET_MODEL_KILL");
	if (f != NULL && f[0] != '\0')
		g.kill_k = strtol(f, NULL, 10);
	f = getenv("JNET_MODEL_GROW");
	if (f != NULL && f[0] != '\0') {
		char *end;

		g.grow_k = strtol(f, &end, 10);
		g.grow_on = *end == '+'; /* "K+": every group list from call K on */
	}
	f = getenv("JNET_MODEL_FAIL");
	if (f != NULL && f[0] != '\0') {
		char *end;
		long k = strtol(f, &end, 10);
		int err = EIO;

		if (*end == ':') {
			const char *e = end + 1;

			if (isdigit((unsigned char)*e)) {
				err = atoi(e);
			} else {
				for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
					if (strcmp(errnames[i].name, e) == 0)
						err = errnames[i].err;
			}
		}
		if (k > 0 && err > 0) {
			g.fault_k = k;
			g.fault_err = err;
		}
	}
}

static void
trace(long k, const char *op, const char *obj, int fault)
{
	FILE *f;
	bool close_it = false;

	if (g.trace == NULL)
		return;
	if (strcmp(g.trace, "1") == 0 || strcmp(g.trace, "stderr") == 0) {
		f = stderr;
	} else {
		f = fopen(g.trace, "a");
		if (f == NULL)
			return;
		close_it = true;
	}
	/* A call the real primitive forks for (to jail_attach(2), fbsd.h) says so and in
	 * which jail: " fork=JID" (0: a child that stays on the host). */
	fprintf(f, "%ld %ld %s %s", (long)getpid(), k, op, obj && obj[0] ? obj : "-");
	if (g.cur_fork)
		fprintf(f, " fork=%d", g.cur_jid);
	if (!fault)
		fputc('\n', f);
	if (fault)
		fprintf(f, " FAULT=%d\n", fault);
	if (close_it)
		fclose(f);
	else
		fflush(f);
}

/* Lock and load the state file into g.mem (or initialise it). */
static int
file_lock_load(void)
{
	char lock[4096];
	json_error_t je;
	json_t *o;
	int r;

	if ((size_t)snprintf(lock, sizeof(lock), "%s.lock", g.state) >= sizeof(lock))
		return -ENAMETOOLONG;
	g.lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (g.lockfd < 0)
		return -errno;
	if (flock(g.lockfd, LOCK_EX) < 0) {
		r = -errno;
		close(g.lockfd);
		g.lockfd = -1;
		return r;
	}
	o = json_load_file(g.state, 0, &je);
	if (o == NULL) {
		struct stat st;

		/* Missing or empty file: a freshly booted host. Anything else is a broken test. */
		if (stat(g.state, &st) == 0 && st.st_size > 0) {
			fprintf(stderr, "jnet-model: %s: %s (line %d)\n", g.state, je.text, je.line);
			abort();
		}
		model_init(&g.mem);
		return 0;
	}
	r = state_load(&g.mem, o);
	json_decref(o);
	return r;
}

static int
file_save_unlock(bool save)
{
	char tmp[4096];
	json_t *o;
	int r = 0;

	if (save) {
		snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", g.state, (long)getpid());
		o = state_save(&g.mem);
		if (json_dump_file(o, tmp, JSON_COMPACT) < 0 || rename(tmp, g.state) < 0) {
			r = -EIO;
			unlink(tmp);
		}
		json_decref(o);
	}
	model_free(&g.mem);
	if (g.lockfd >= 0) {
		flock(g.lockfd, LOCK_UN);
		close(g.lockfd);
		g.lockfd = -1;
	}
	return r;
}

static int
acquire(struct model **m)
{
	int r;

	if (g.state != NULL) {
		if ((r = file_lock_load()) < 0)
			return r;
	} else if (!g.mem_ok) {
		model_init(&g.mem);
		g.mem_ok = true;
	}
	*m = &g.mem;
	return 0;
}

static void
release(bool save)
{
	if (g.state != NULL)
		file_save_unlock(save);
}

/*
 * $JNET_MODEL_PAUSE=OP:FILE: the first call of primitive OP waits, before it is made, until
 * FILE exists (at most 30 s), after making FILE.paused: a test holds a process at a point
 * of its run (and knows it is there) while another one runs, to order a race.
 */
static void
model_pause(const char *op)
{
	char paused[512];
	const char *colon;
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	size_t oplen;
	int fd;

	if (g.pause == NULL || (colon = strchr(g.pause, ':')) == NULL)
		return;
	oplen = (size_t)(colon - g.pause);
	if (strlen(op) != oplen || strncmp(op, g.pause, oplen) != 0)
		return;
	g.pause = NULL; /* the first call only */
	snprintf(paused, sizeof(paused), "%s.paused", colon + 1);
	if ((fd = open(paused, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) >= 0)
		close(fd);
	for (int i = 0; i < 3000 && access(colon + 1, F_OK) != 0; i++)
		nanosleep(&nap, NULL);
}

int
model_begin(struct model **m, const char *op, const char *obj)
{
	long k;

	env_once();
	model_pause(op);
	k = ++g.calls;
	if (g.kill_k > 0 && k == g.kill_k) {
		/* kill -9 as the process enters a kernel call: the call is never made. */
		trace(k, op, obj, 0);
		raise(SIGKILL);
	}
	if (g.fault_k > 0 && k == g.fault_k) {
		trace(k, op, obj, g.fault_err);
		jnet_strlcpy(g.fault_op, op, sizeof(g.fault_op));
		return -g.fault_err;
	}
	trace(k, op, obj, 0);
	return acquire(m);
}

int
model_begin_jail(struct model **m, const char *op, int jid, struct m_jail **j, int none)
{
	char obj[16];
	int r;

	snprintf(obj, sizeof(obj), "%d", jid);
	if ((r = model_begin(m, op, obj)) < 0)
		return r;
	if ((*j = model_jail_byjid(*m, jid)) == NULL)
		return model_end(*m, none);
	return 0;
}

int
model_begin_in(struct model **m, const char *op, const char *obj, int jid, bool forks)
{
	int r;

	g.cur_jid = jid;
	g.cur_fork = forks;
	r = model_begin(m, op, obj);
	g.cur_jid = 0;
	g.cur_fork = false;
	return r;
}

/* "PID K WHAT V", a line of its own like GREW, only with $JNET_MODEL_TRACE_LISTS
 * (kcalls.awk): the lines of a plain trace stay one per call (t_faults.sh counts them).
 * RET: what call K answered (model_end); LIST: how many entries a listing returned;
 * RMW: the call reads before it writes (two ioctls for real). */
void
model_trace_note(const char *what, int v)
{
	FILE *f;

	if (g.trace == NULL || !g.trace_lists)
		return;
	f = strcmp(g.trace, "1") == 0 || strcmp(g.trace, "stderr") == 0 ? stderr :
	    fopen(g.trace, "a");
	if (f == NULL)
		return;
	fprintf(f, "%ld %ld %s %d\n", (long)getpid(), g.calls, what, v);
	if (f != stderr)
		fclose(f);
}

void
model_trace_list(int n)
{
	if (n >= 0)
		model_trace_note("LIST", n);
}

int
model_end(struct model *m, int r)
{
	(void)m;
	model_trace_note("RET", r);
	/* Primitives change nothing when they fail: only successes are saved. */
	release(r >= 0);
	return r;
}

int
model_end_dirty(struct model *m, int r)
{
	(void)m;
	model_trace_note("RET", r);
	release(true);
	return r;
}

void
model_set_grow(long k)
{
	env_once();
	g.grow_k = k;
	g.grow_on = false;
}

/*
 * Does the group list of the current call grow between its two ioctls ($JNET_MODEL_GROW=K,
 * or model_set_grow: call K)? sys/net/if.c (FreeBSD 14) if_getgroupmembers / if_getgroup:
 * the caller asks the size (ifgr_len 0), allocates, asks again; if the list has grown
 * meanwhile the second answer is EINVAL ("if (ifgr->ifgr_len < len) return (EINVAL)").
 */
static bool
grow_due(void)
{
	if (g.grow_k <= 0 || g.calls < g.grow_k || (!g.grow_on && g.calls != g.grow_k))
		return false;
	/* Traced on a line of its own: "PID K GREW". */
	if (g.trace != NULL) {
		FILE *f = strcmp(g.trace, "1") == 0 || strcmp(g.trace, "stderr") == 0 ? stderr :
		    fopen(g.trace, "a");

		if (f != NULL) {
			fprintf(f, "%ld %ld GREW\n", (long)getpid(), g.calls);
			if (f != stderr)
				fclose(f);
		}
	}
	return true;
}

long
model_calls(void)
{
	env_once();
	return g.calls;
}

void
model_set_fault(long k, int err)
{
	env_once();
	g.fault_k = k;
	g.fault_err = err;
	g.fault_op[0] = '\0';
}

const char *
model_fault_op(void)
{
	return g.fault_op;
}

int
model_ctl(int (*fn)(struct model *m, void *arg), void *arg)
{
	struct model *m;
	int r;

	env_once();
	if ((r = acquire(&m)) < 0)
		return r;
	r = fn(m, arg);
	release(r == 0); /* > 0: looked only, nothing to save */
	return r < 0 ? r : 0;
}

static int
reset_fn(struct model *m, void *arg)
{
	(void)arg;
	model_init(m);
	return 0;
}

int
model_ctl_reset(void)
{
	return model_ctl(reset_fn, NULL);
}

static int
dump_fn(struct model *m, void *arg)
{
	*(json_t **)arg = model_dump(m);
	return 1; /* nothing to save */
}

json_t *
model_ctl_dump(void)
{
	json_t *o = NULL;
	struct model *m;

	env_once();
	if (acquire(&m) < 0)
		return NULL;
	dump_fn(m, &o);
	release(false);
	return o;
}

/* ================================================================ helpers */

struct m_if *
model_ifunit(struct model *m, int vnet, const char *name)
{
	/*
	 * ifunit(): the first interface of that name in the vnet. Names are unique within a
	 * vnet except after if_vmove_reclaim/vnet_if_return, which do not check the
	 * destination for a clash (sys/net/if.c): then the first one wins, as in the kernel.
	 */
	for (int k = 0; k < m->nifs; k++)
		if (m->ifs[k].vnet == vnet && strcmp(m->ifs[k].name, name) == 0)
			return &m->ifs[k];
	return NULL;
}

struct m_if *
model_if_byid(struct model *m, int id)
{
	for (int k = 0; k < m->nifs; k++)
		if (m->ifs[k].id == id)
			return &m->ifs[k];
	return NULL;
}

struct m_jail *
model_jail_byjid(struct model *m, int jid)
{
	for (int k = 0; k < m->njails; k++)
		if (m->jails[k].jid == jid)
			return &m->jails[k];
	return NULL;
}

struct m_jail *
model_jail_byname(struct model *m, const char *name, bool dying_ok)
{
	struct m_jail *dead = NULL;

	/* sys/kern/kern_jail.c prison_find_name: prefer a live prison, else a dying one. */
	for (int k = 0; k < m->njails; k++) {
		if (strcmp(m->jails[k].name, name) != 0)
			continue;
		if (!m->jails[k].dying)
			return &m->jails[k];
		if (dead == NULL)
			dead = &m->jails[k];
	}
	return dying_ok ? dead : NULL;
}

int
model_jail_vnet(const struct m_jail *j)
{
	/* A jail without "vnet" shares its parent's (the host's) vnet: pr_vnet == &vnet0. */
	return j->vnet ? j->jid : MODEL_HOST;
}

bool
model_if_in_group(const struct m_if *i, const char *group)
{
	for (int n = 0; n < i->ngroups; n++)
		if (strcmp(i->groups[n], group) == 0)
			return true;
	return false;
}

int
model_if_add_group(struct m_if *i, const char *group)
{
	if (model_if_in_group(i, group))
		return -EEXIST;
	if (i->ngroups == MODEL_MAXGROUPS)
		return -ENOMEM; /* a model limit; the kernel has none */
	jnet_strlcpy(i->groups[i->ngroups++], group, JNET_IFNAMSIZ);
	return 0;
}

void
model_gen_mac(struct model *m, uint8_t mac[6])
{
	unsigned s = ++m->macseq;

	/*
	 * sys/net/if_epair.c epair_generate_mac / _byname and if_bridge's random address:
	 * the kernel picks a locally administered unicast address. The model numbers them.
	 */
	mac[0] = 0x02;
	mac[1] = 0x4d; /* 'M' for model */
	mac[2] = (uint8_t)(s >> 24);
	mac[3] = (uint8_t)(s >> 16);
	mac[4] = (uint8_t)(s >> 8);
	mac[5] = (uint8_t)s;
}

static int
index_alloc(const struct model *m)
{
	/* sys/net/if.c ifindex_alloc: the lowest free index; one table for all vnets (14+). */
	for (int idx = 1;; idx++) {
		bool used = false;

		for (int k = 0; k < m->nifs && !used; k++)
			used = m->ifs[k].index == idx;
		if (!used)
			return idx;
	}
}

struct m_if *
model_if_new(struct model *m, int vnet, const char *name, const char *kind, bool cloned,
    int unit)
{
	struct m_if *i;

	if (m->nifs == m->capifs) {
		int cap = m->capifs ? 2 * m->capifs : 16;
		struct m_if *v = realloc(m->ifs, (size_t)cap * sizeof(*v));

		if (v == NULL)
			abort();
		m->ifs = v;
		m->capifs = cap;
	}
	i = &m->ifs[m->nifs];
	memset(i, 0, sizeof(*i));
	i->index = index_alloc(m);
	m->nifs++;
	i->id = m->next_id++;
	jnet_strlcpy(i->name, name, sizeof(i->name));
	jnet_strlcpy(i->kind, kind, sizeof(i->kind));
	i->cloned = cloned;
	i->unit = unit;
	i->vnet = i->home = vnet;
	i->mtu = 1500;
	/* if_attach_internal: group IFG_ALL; if_clone_addgroup: the cloner's name. */
	model_if_add_group(i, "all");
	if (cloned)
		model_if_add_group(i, kind);
	return i;
}

void
model_if_remove(struct model *m, struct m_if *i)
{
	int id = i->id, k;

	for (const struct model_ext_ops *const *e = exts; *e; e++)
		if ((*e)->if_removed)
			(*e)->if_removed(m, i);
	/*
	 * if_bridge.c bridge_clone_destroy: a bridge releases its members (not destroys);
	 * bridge_ifdetach (ifnet_departure_event): a departing member leaves its bridge.
	 */
	for (k = 0; k < m->nifs; k++)
		if (m->ifs[k].bridge == id)
			m->ifs[k].bridge = 0;
	/* if_vlan.c vlan_ifdetach: a departing parent unconfigures its vlans
	 * (vlan_unconfig_locked(ifp, 1)); they stay, without a parent. */
	for (k = 0; k < m->nifs; k++)
		if (m->ifs[k].vlan_parent == id) {
			m->ifs[k].vlan_parent = 0;
			m->ifs[k].vlan_tag = 0;
		}
	model_if_purge(m, i);
	for (k = 0; k < m->nifs; k++)
		if (m->ifs[k].id == id)
			break;
	if (k == m->nifs)
		return;
	free(m->ifs[k].descr);
	memmove(&m->ifs[k], &m->ifs[k + 1], (size_t)(m->nifs - k - 1) * sizeof(m->ifs[0]));
	m->nifs--;
}

/* Destroy a cloned interface as its cloner does. */
static void
clone_destroy(struct model *m, struct m_if *i)
{
	int peer = i->peer;
	struct m_if *p;

	model_if_remove(m, i);
	/*
	 * sys/net/if_epair.c epair_clone_destroy: destroying either end destroys the other,
	 * switching to the other end's vnet (CURVNET_SET_QUIET(oifp->if_vnet)): it works while
	 * that end is inside a jail, dying or not.
	 */
	if (peer != 0 && (p = model_if_byid(m, peer)) != NULL)
		model_if_remove(m, p);
}

void
model_if_vmove(struct model *m, struct m_if *i, int vnet)
{
	int id = i->id;

	/*
	 * sys/net/if.c if_vmove -> if_detach_internal(vmove): if_delgroups (every group,
	 * jnet's too), if_down (IFF_UP cleared), if_purgeaddrs; ifnet_departure_event makes
	 * if_bridge drop the member. Name, MAC and description are kept. if_attach_internal
	 * then adds IFG_ALL and, for a cloned interface, its cloner's group again
	 * (if_clone_restoregroup). The index is kept (one table for all vnets since 14).
	 */
	i->ngroups = 0;
	model_if_add_group(i, "all");
	if (i->cloned)
		model_if_add_group(i, i->kind);
	i->up = false;
	model_if_purge(m, i);
	i->bridge = 0;
	for (int k = 0; k < m->nifs; k++)
		if (m->ifs[k].bridge == id)
			m->ifs[k].bridge = 0;
	i->vnet = vnet;
}

void
model_if_purge(struct model *m, struct m_if *i)
{
	/*
	 * sys/net/if.c if_detach_internal (also on if_vmove): if_purgeaddrs removes every
	 * address, and rt_flushifroutes every route that goes out of the interface.
	 */
	i->inaddr = false;
	i->naddrs = 0;
	for (int k = 0; k < m->njails; k++) {
		struct m_jail *j = &m->jails[k];

		for (int n = 0; n < j->nroutes;) {
			if (j->routes[n].ifid == i->id) {
				memmove(&j->routes[n], &j->routes[n + 1],
				    (size_t)(j->nroutes - n - 1) * sizeof(j->routes[0]));
				j->nroutes--;
			} else {
				n++;
			}
		}
	}
}

struct m_jail *
model_jail_new(struct model *m, const char *name, bool vnet)
{
	struct m_jail *j;

	if (m->njails == m->capjails) {
		int cap = m->capjails ? 2 * m->capjails : 8;
		struct m_jail *v = realloc(m->jails, (size_t)cap * sizeof(*v));

		if (v == NULL)
			abort();
		m->jails = v;
		m->capjails = cap;
	}
	j = &m->jails[m->njails++];
	memset(j, 0, sizeof(*j));
	j->jid = m->next_jid++;
	jnet_strlcpy(j->name, name, sizeof(j->name));
	j->vnet = vnet;
	if (vnet) {
		struct m_if *lo = model_if_new(m, j->jid, "lo0", "lo", true, 0);

		lo->mtu = 16384;
	}
	return j;
}

void
model_jail_destroy(struct model *m, struct m_jail *j)
{
	int jid = j->jid, k;

	/*
	 * sys/kern/kern_jail.c sys_jail_remove -> prison_remove: every descendant is removed
	 * with the jail (FOREACH_PRISON_DESCENDANT ... prison_deref), children first.
	 */
	for (k = 0; k < m->njails; k++)
		if (m->jails[k].parent == jid) {
			model_jail_destroy(m, &m->jails[k]);
			k = -1;
		}
	if ((j = model_jail_byjid(m, jid)) == NULL)
		return;
	if (j->vnet) {
		for (const struct model_ext_ops *const *e = exts; *e; e++)
			if ((*e)->vnet_teardown)
				(*e)->vnet_teardown(m, jid);
		/*
		 * sys/net/if.c vnet_if_return (VNET_SYSUNINIT at SI_SUB_VNET_DONE, the first
		 * teardown step): every interface whose home vnet is another one goes back
		 * there with if_vmove -- epair ends created on the host come home, down and
		 * without jail-side groups. No name check on the way back.
		 */
		for (k = 0; k < m->nifs; k++)
			if (m->ifs[k].vnet == jid && m->ifs[k].home != jid)
				model_if_vmove(m, &m->ifs[k], m->ifs[k].home);
		/*
		 * Then the vnet's cloners are detached (e.g. if_epair.c vnet_epair_uninit ->
		 * ifc_detach_cloner), destroying every interface created in this vnet, wherever
		 * it is now; lo0 goes with the vnet.
		 */
		for (k = 0; k < m->nifs;) {
			if (m->ifs[k].home == jid) {
				clone_destroy(m, &m->ifs[k]);
				k = 0;
			} else {
				k++;
			}
		}
	}
	for (k = 0; k < m->njails; k++)
		if (m->jails[k].jid == jid)
			break;
	if (k < m->njails) {
		memmove(&m->jails[k], &m->jails[k + 1],
		    (size_t)(m->njails - k - 1) * sizeof(m->jails[0]));
		m->njails--;
	}
}

json_t *
model_ext(struct model *m, const char *key)
{
	json_t *o = json_object_get(m->ext, key);

	if (o == NULL) {
		o = json_object();
		json_object_set_new(m->ext, key, o);
	}
	return o;
}

/* ---------------------------------------------------------------- observable dump */

const char *
model_vnet_name(const struct model *m, int vnet, char *buf, size_t len)
{
	if (vnet == MODEL_HOST)
		return "host";
	for (int k = 0; k < m->njails; k++)
		if (m->jails[k].jid == vnet) {
			snprintf(buf, len, "%s#%d", m->jails[k].name, vnet);
			return buf;
		}
	snprintf(buf, len, "vnet#%d", vnet);
	return buf;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ================================================================ kernel modules */

/* The modules the model knows, by bit (model.h). */
static const char *const kmod_names[] = {
	"if_epair", "if_bridge", "ng_socket", "ng_eiface", "ng_bridge", "ng_ether", "if_vlan",
};
#define NKMODS ((int)(sizeof(kmod_names) / sizeof(kmod_names[0])))

static int
kmod_bit(const char *module)
{
	for (int k = 0; k < NKMODS; k++)
		if (strcmp(kmod_names[k], module) == 0)
			return k;
	return -1;
}

bool
model_kmod_loaded(const struct model *m, const char *module)
{
	int k = kmod_bit(module);

	return k >= 0 && (m->kmods & (1u << k)) != 0;
}

int
model_kmod_load(struct model *m, const char *module)
{
	int k = kmod_bit(module);

	/*
	 * sys/kern/kern_linker.c (FreeBSD 14) kern_kldload: securelevel_gt(cred, 0) and
	 * priv_check(PRIV_KLD_LOAD) first -- EPERM inside a jail, at securelevel > 0, or not
	 * root; then linker_load_module: EEXIST when loaded, ENOENT when no file has it.
	 */
	if (m->kld_refuse != 0)
		return -m->kld_refuse;
	if (k < 0)
		return -ENOENT;
	if (m->kmods & (1u << k))
		return -EEXIST;
	m->kmods |= 1u << k;
	return 0;
}

void
model_kmod_set(struct model *m, const char *module, bool loaded)
{
	int k = kmod_bit(module);

	if (k >= 0 && loaded)
		m->kmods |= 1u << k;
	else if (k >= 0)
		m->kmods &= ~(1u << k);
}

static void
kmods_text(const struct model *m, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int k = 0; k < NKMODS; k++)
		if (m->kmods & (1u << k)) {
			if (buf[0] != '\0')
				strncat(buf, " ", len - strlen(buf) - 1);
			strncat(buf, kmod_names[k], len - strlen(buf) - 1);
		}
}

int
fbsd_kld_ensure(const char *module)
{
	struct model *m;
	int r;

	if ((r = model_begin(&m, "kldload", module)) < 0)
		return r;
	/* ifconfig.c ifmaybeload: modfind(2) first; kldload(2) only if it is not there. */
	if (model_kmod_loaded(m, module))
		return model_end(m, 0);
	model_trace_note("KLDLOAD", 1); /* the kldload(2) after modfind(2) */
	return model_end(m, model_kmod_load(m, module));
}

struct kld_arg {
	const char *module;
	bool loaded;
	int err;
	char *buf;
	size_t len;
};

static int
kld_fn(struct model *m, void *arg)
{
	struct kld_arg *a = arg;

	for (int k = 0; k < NKMODS; k++) {
		if (strcmp(a->module, "all") != 0 && strcmp(a->module, kmod_names[k]) != 0)
			continue;
		if (a->loaded) {
			m->kmods |= 1u << k;
			continue;
		}
		if (!(m->kmods & (1u << k)))
			continue;
		for (const struct model_ext_ops *const *e = exts; *e; e++)
			if ((*e)->kmod_unload)
				(*e)->kmod_unload(m, kmod_names[k]);
		m->kmods &= ~(1u << k);
	}
	return strcmp(a->module, "all") == 0 || kmod_bit(a->module) >= 0 ? 0 : -ENOENT;
}

int
model_ctl_kld(const char *module, bool loaded)
{
	struct kld_arg a = { .module = module, .loaded = loaded };

	return model_ctl(kld_fn, &a);
}

static int
kld_refuse_fn(struct model *m, void *arg)
{
	m->kld_refuse = ((struct kld_arg *)arg)->err;
	return 0;
}

int
model_ctl_kld_refuse(int err)
{
	struct kld_arg a = { .err = err };

	return model_ctl(kld_refuse_fn, &a);
}

static int
kld_list_fn(struct model *m, void *arg)
{
	struct kld_arg *a = arg;

	kmods_text(m, a->buf, a->len);
	return 1; /* looked only */
}

int
model_ctl_kld_list(char *buf, size_t len)
{
	struct kld_arg a = { .buf = buf, .len = len };

	return model_ctl(kld_list_fn, &a);
}

/* Interface I as model_dump shows it. */
static json_t *
if_dump(const struct model *m, const struct m_if *i)
{
	json_t *j = json_object(), *gr = json_array();
	const char *gs[MODEL_MAXGROUPS];
	struct m_if *p = model_if_byid((struct model *)m, i->peer);
	struct m_if *br = model_if_byid((struct model *)m, i->bridge);
	char buf[JNET_JAILNAMSIZ + 16];

	json_object_set_new(j, "name", json_string(i->name));
	json_object_set_new(j, "in", json_string(model_vnet_name(m, i->vnet, buf, sizeof(buf))));
	json_object_set_new(j, "kind", json_string(i->kind));
	json_object_set_new(j, "mac", mac_json(i->has_mac, i->mac));
	json_object_set_new(j, "up", json_boolean(i->up));
	json_object_set_new(j, "mtu", json_integer(i->mtu));
	json_object_set_new(j, "descr", i->descr ? json_string(i->descr) : json_null());
	for (int n = 0; n < i->ngroups; n++)
		gs[n] = i->groups[n];
	qsort(gs, (size_t)i->ngroups, sizeof(gs[0]), cmp_str);
	for (int n = 0; n < i->ngroups; n++)
		json_array_append_new(gr, json_string(gs[n]));
	json_object_set_new(j, "groups", gr);
	json_object_set_new(j, "bridge", br ? json_string(br->name) : json_null());
	json_object_set_new(j, "peer", p ? json_string(p->name) : json_null());
	if (strcmp(i->kind, "vlan") == 0) {
		struct m_if *vp = model_if_byid((struct model *)m, i->vlan_parent);

		json_object_set_new(j, "vlandev", vp ? json_string(vp->name) : json_null());
		json_object_set_new(j, "vlan", json_integer(i->vlan_tag));
	}
	json_object_set_new(j, "inaddr", json_boolean(i->inaddr));
	json_object_set_new(j, "addrs", addrs_json(i, true));
	return j;
}

/* Jail JL as model_dump shows it. */
static json_t *
jail_dump(const struct model *m, const struct m_jail *jl)
{
	json_t *j = json_object();

	json_object_set_new(j, "jid", json_integer(jl->jid));
	json_object_set_new(j, "name", json_string(jl->name));
	json_object_set_new(j, "vnet", json_boolean(jl->vnet));
	json_object_set_new(j, "state", json_string(jl->shutting_down ? "shutting_down" :
	    jl->dying ? "dying" : "alive"));
	jail_lab_save(jl, j, true);
	{
		const struct m_jail *p = model_jail_byjid((struct model *)m, jl->parent);

		json_object_set_new(j, "parent", p ? json_string(p->name) : json_null());
	}
	return j;
}

json_t *
model_dump(const struct model *m)
{
	json_t *o = json_object(), *ifs = json_array(), *jails = json_array();
	const struct m_if **v = calloc((size_t)m->nifs + 1, sizeof(*v));

	/* Sorted by (vnet, name) so that two states compare equal when they look equal. */
	for (int k = 0; k < m->nifs; k++)
		v[k] = &m->ifs[k];
	for (int a = 0; a < m->nifs; a++)
		for (int b = a + 1; b < m->nifs; b++)
			if (v[b]->vnet < v[a]->vnet ||
			    (v[b]->vnet == v[a]->vnet && strcmp(v[b]->name, v[a]->name) < 0)) {
				const struct m_if *t = v[a];

				v[a] = v[b];
				v[b] = t;
			}
	for (int k = 0; k < m->nifs; k++)
		json_array_append_new(ifs, if_dump(m, v[k]));
	free(v);
	for (int k = 0; k < m->njails; k++)
		json_array_append_new(jails, jail_dump(m, &m->jails[k]));
	json_object_set_new(o, "interfaces", ifs);
	json_object_set_new(o, "jails", jails);
	json_object_set_new(o, "member_ifaddrs", json_boolean(m->member_ifaddrs));
	json_object_set_new(o, "version", json_integer(m->version));
	/* Not the loaded modules: a command that fails keeps what it loaded, as kldload(2)
	 * does (jnet-modelctl kld list shows them). */
	{
		/* Extensions show their observable state (no counters, no process artefacts). */
		json_t *ext = json_deep_copy(m->ext);

		for (const struct model_ext_ops *const *e = exts; *e; e++)
			if ((*e)->dump != NULL)
				json_object_set_new(ext, (*e)->key, (*e)->dump(m));
		json_object_set_new(o, "ext", ext);
	}
	return o;
}

/* ================================================================ ifnet primitives */

/*
 * The vnet a jid names for an in-jail operation. Real: fork + jail_attach(2), which
 * refuses an unknown or dying jail with EINVAL (sys/kern/kern_jail.c sys_jail_attach: "Do
 * not allow a process to attach to a prison that is not alive").
 */
static int
op_vnet(struct model *m, int jid, int *vnet)
{
	struct m_jail *j;

	if (jid == FBSD_HOST) {
		*vnet = MODEL_HOST;
		return 0;
	}
	j = model_jail_byjid(m, jid);
	if (j == NULL || j->dying)
		return -EINVAL;
	*vnet = model_jail_vnet(j);
	return 0;
}

/*
 * Begins primitive OP on interface NAME in the vnet of jail JID (FBSD_HOST: the host's,
 * where the call does not fork): *M, *I. Below 0 it has ended and that is the answer: an
 * unknown or dying jail EINVAL (op_vnet), an unknown name ENXIO (sys/net/if.c ifioctl:
 * ifunit_ref).
 */
static int
if_op(struct model **m, struct m_if **i, const char *op, const char *name, int jid)
{
	int r, vnet;

	if ((r = model_begin_in(m, op, name, jid, jid != FBSD_HOST)) < 0)
		return r;
	if ((r = op_vnet(*m, jid, &vnet)) < 0)
		return model_end(*m, r);
	if ((*i = model_ifunit(*m, vnet, name)) == NULL)
		return model_end(*m, -ENXIO);
	return 0;
}

/*
 * sys/net/if_clone.c ifc_name2unit: "epair" (any unit: *UNIT -1) or "epair5"; no leading
 * 0. WANT gets the cloner's name.
 */
static int
cloner_parse(const char *cloner, char want[64], int *unit)
{
	const char *digits;
	size_t plen;

	for (digits = cloner; *digits && !isdigit((unsigned char)*digits); digits++)
		;
	plen = (size_t)(digits - cloner);
	*unit = -1;
	if (*digits != '\0') {
		if (digits[0] == '0' && digits[1] != '\0')
			return -EINVAL;
		for (const char *p = digits; *p; p++)
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
		*unit = atoi(digits);
	}
	if (plen >= 64)
		return -EINVAL;
	memcpy(want, cloner, plen);
	want[plen] = '\0';
	return 0;
}

/* epair_clone_create: both ends, cross-referenced, down, with kernel MACs. */
struct m_if *
model_epair_make(struct model *m, const char *an, const char *bn, int unit)
{
	struct m_if *a, *b;
	int aid;

	a = model_if_new(m, MODEL_HOST, an, "epair", true, unit);
	a->has_mac = true;
	model_gen_mac(m, a->mac);
	aid = a->id;
	b = model_if_new(m, MODEL_HOST, bn, "epair", true, unit);
	b->has_mac = true;
	model_gen_mac(m, b->mac);
	a = model_if_byid(m, aid);
	a->peer = b->id;
	b->peer = a->id;
	return a;
}

int
fbsd_if_create(const char *cloner, char name[JNET_IFNAMSIZ])
{
	char want[64], base[80], ends[2][96];
	struct model *m;
	struct m_if *a;
	int r, unit;

	if ((r = model_begin(&m, "SIOCIFCREATE2", cloner)) < 0)
		return r;
	if ((r = cloner_parse(cloner, want, &unit)) < 0)
		return model_end(m, r);
	/* if_clone_create: an unknown cloner is EINVAL. The model knows epair and bridge,
	 * each while its module (if_epair, if_bridge) is loaded: the kernel has no cloner
	 * before that, and only ifconfig(8) loads it (ifmaybeload). */
	if ((strcmp(want, "epair") != 0 && strcmp(want, "bridge") != 0 &&
	    strcmp(want, "vlan") != 0) || !model_kmod_loaded(m, strcmp(want, "epair") == 0 ?
	    "if_epair" : strcmp(want, "vlan") == 0 ? "if_vlan" : "if_bridge"))
		return model_end(m, -EINVAL);

	/*
	 * sys/net/if_clone.c ifc_alloc_unit_next / _specific: a unit is taken while an
	 * interface made with it exists (renamed or moved or not: ifc_free_unit runs on
	 * destroy), and a unit whose plain name ("epair3") is in use is skipped (wildcard)
	 * or refused with EEXIST (specific). Units are per cloner and per vnet (the cloner
	 * is attached per vnet: vnet_epair_init); jnet creates on the host only.
	 */
	for (int u = unit < 0 ? 0 : unit;; u++) {
		bool held = false;

		for (int k = 0; k < m->nifs && !held; k++)
			held = m->ifs[k].cloned && m->ifs[k].home == MODEL_HOST &&
			    strcmp(m->ifs[k].kind, want) == 0 && m->ifs[k].unit == u;
		snprintf(base, sizeof(base), "%s%d", want, u);
		if (!held && model_ifunit(m, MODEL_HOST, base) == NULL) {
			unit = u;
			break;
		}
		if (unit >= 0)
			return model_end(m, -EEXIST);
	}
	if (strcmp(want, "bridge") == 0 || strcmp(want, "vlan") == 0) {
		/* if_vlan.c vlan_clone_create without parameters: an unconfigured vlanN whose
		 * address is all zeros until SIOCSETVLAN gives it its parent's. */
		if (strlen(base) >= JNET_IFNAMSIZ)
			return model_end(m, -ENOSPC);
		a = model_if_new(m, MODEL_HOST, base, want, true, unit);
		a->has_mac = true;
		model_gen_mac(m, a->mac);
		jnet_strlcpy(name, base, JNET_IFNAMSIZ);
		return model_end(m, 0);
	}
	/*
	 * sys/net/if_epair.c epair_handle_unit: room for the [ab] suffix or ENOSPC; EEXIST
	 * when "epairNb" or "epairNa" already exists (e.g. a renamed foreign interface) --
	 * without trying another unit.
	 */
	if (strlen(base) + 1 >= JNET_IFNAMSIZ)
		return model_end(m, -ENOSPC);
	snprintf(ends[0], sizeof(ends[0]), "%sa", base);
	snprintf(ends[1], sizeof(ends[1]), "%sb", base);
	if (model_ifunit(m, MODEL_HOST, ends[1]) != NULL ||
	    model_ifunit(m, MODEL_HOST, ends[0]) != NULL)
		return model_end(m, -EEXIST);
	model_epair_make(m, ends[0], ends[1], unit);
	jnet_strlcpy(name, ends[0], JNET_IFNAMSIZ);
	return model_end(m, 0);
}

int
fbsd_if_destroy(const char *name)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = model_begin(&m, "SIOCIFDESTROY", name)) < 0)
		return r;
	/* if_clone_destroy: ifunit_ref -> ENXIO; no cloner for the interface -> EINVAL. */
	if ((i = model_ifunit(m, MODEL_HOST, name)) == NULL)
		return model_end(m, -ENXIO);
	if (!i->cloned)
		return model_end(m, -EINVAL);
	clone_destroy(m, i);
	return model_end(m, 0);
}

int
fbsd_if_rename(const char *name, const char *newname)
{
	struct model *m;
	int r;

	if ((r = model_begin(&m, "SIOCSIFNAME", name)) < 0)
		return r;
	return model_end(m, model_rename(m, MODEL_HOST, name, newname));
}

int
model_rename(struct model *m, int vnet, const char *name, const char *newname)
{
	struct m_if *i;

	if ((i = model_ifunit(m, vnet, name)) == NULL)
		return -ENXIO;
	/* sys/net/if.c ifhwioctl SIOCSIFNAME: copyinstr(.., IFNAMSIZ) -> ENAMETOOLONG. */
	if (strlen(newname) >= JNET_IFNAMSIZ)
		return -ENAMETOOLONG;
	/* if_rename: "" -> EINVAL; same name -> 0; a name in use in this vnet -> EEXIST. */
	if (newname[0] == '\0')
		return -EINVAL;
	if (strcmp(newname, i->name) == 0)
		return 0;
	if (model_ifunit(m, vnet, newname) != NULL)
		return -EEXIST;
	/* Bridge membership survives a rename (bridge_ifdetach ignores IFF_RENAMING). */
	jnet_strlcpy(i->name, newname, sizeof(i->name));
	return 0;
}

int
fbsd_if_index(int jid, const char *name, int *index)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCGIFINDEX", name, jid)) < 0)
		return r;
	*index = i->index;
	return model_end(m, 0);
}

int
fbsd_if_get_up(int jid, const char *name, bool *up)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCGIFFLAGS", name, jid)) < 0)
		return r;
	*up = i->up;
	return model_end(m, 0);
}

int
fbsd_if_set_up(int jid, const char *name, bool up)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFFLAGS", name, jid)) < 0)
		return r;
	/* The real one reads the flags first (src/fbsd/ifnet.c do_set_up): two ioctls. */
	model_trace_note("RMW", 1);
	i->up = up;
	return model_end(m, 0);
}

/* The model keeps IFF_UP only: the word is FBSD_IFF_UP or 0 (the kernel's other bits,
 * IFF_CANTCHANGE, survive any write: sys/net/if.c ifhwioctl SIOCSIFFLAGS). */
int
fbsd_if_get_flags(int jid, const char *name, unsigned *flags)
{
	bool up = false;
	int r = fbsd_if_get_up(jid, name, &up);

	if (r == 0)
		*flags = up ? FBSD_IFF_UP : 0;
	return r;
}

int
fbsd_if_set_flags(int jid, const char *name, unsigned flags)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFFLAGS", name, jid)) < 0)
		return r;
	i->up = (flags & FBSD_IFF_UP) != 0;
	return model_end(m, 0);
}

int
fbsd_if_get_mac(const char *name, uint8_t mac[6])
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "NET_RT_IFLIST", name, FBSD_HOST)) < 0)
		return r;
	if (!i->has_mac)
		return model_end(m, -ENOENT);
	memcpy(mac, i->mac, 6);
	return model_end(m, 0);
}

int
fbsd_if_set_mac(const char *name, const uint8_t mac[6])
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFLLADDR", name, FBSD_HOST)) < 0)
		return r;
	/*
	 * sys/net/if.c if_setlladdr: the length may not change (lo0 has none: EINVAL); any
	 * 6 bytes are taken for Ethernet and bridges -- the kernel does not refuse a multicast
	 * address (jnet does, before asking).
	 */
	if (!i->has_mac)
		return model_end(m, -EINVAL);
	memcpy(i->mac, mac, 6);
	return model_end(m, 0);
}

int
fbsd_if_get_mtu(int jid, const char *name, unsigned *mtu)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCGIFMTU", name, jid)) < 0)
		return r;
	*mtu = i->mtu;
	return model_end(m, 0);
}

int
fbsd_if_set_mtu(int jid, const char *name, unsigned mtu)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFMTU", name, jid)) < 0)
		return r;
	/* sys/net/if.c ifhwioctl SIOCSIFMTU: IF_MINMTU..IF_MAXMTU, and "Disallow MTU changes
	 * on bridge member interfaces" (EOPNOTSUPP). */
	if (mtu < IF_MINMTU || mtu > IF_MAXMTU)
		return model_end(m, -EINVAL);
	if (i->bridge != 0)
		return model_end(m, -EOPNOTSUPP);
	if (strcmp(i->kind, "epair") == 0 && mtu > EPAIR_MAXMTU)
		return model_end(m, -EINVAL);
	if (strcmp(i->kind, "ngeth") == 0 && (mtu < EIFACE_MINMTU || mtu > EIFACE_MAXMTU))
		return model_end(m, -EINVAL);
	i->mtu = mtu;
	/* if_bridge.c bridge_ioctl SIOCSIFMTU: members follow the bridge's MTU. */
	if (strcmp(i->kind, "bridge") == 0)
		for (int k = 0; k < m->nifs; k++)
			if (m->ifs[k].bridge == i->id)
				m->ifs[k].mtu = mtu;
	return model_end(m, 0);
}

int
model_descr_get(const struct m_if *i, char *buf, size_t len)
{
	/* sys/net/if.c ifhwioctl SIOCGIFDESCR: no description -> ENOMSG. */
	if (i->descr == NULL)
		return -ENOMSG;
	/* Too small a buffer: the kernel returns the needed length; the primitive reports
	 * ENAMETOOLONG (see src/fbsd/ifnet.c). */
	if (strlen(i->descr) + 1 > len)
		return -ENAMETOOLONG;
	memcpy(buf, i->descr, strlen(i->descr) + 1);
	return 0;
}

int
fbsd_if_get_descr(const char *name, char *buf, size_t len)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCGIFDESCR", name, FBSD_HOST)) < 0)
		return r;
	return model_end(m, model_descr_get(i, buf, len));
}

int
fbsd_if_set_descr(const char *name, const char *descr)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFDESCR", name, FBSD_HOST)) < 0)
		return r;
	/* ifhwioctl SIOCSIFDESCR: longer than net.ifdescr_maxlen (1024, with the NUL) is
	 * ENAMETOOLONG; length 0 clears (the primitive sends 0 for ""). */
	if (strlen(descr) + 1 > MODEL_DESCRMAX)
		return model_end(m, -ENAMETOOLONG);
	free(i->descr);
	i->descr = descr[0] ? strdup(descr) : NULL;
	return model_end(m, 0);
}

int
fbsd_if_add_group(const char *name, const char *group)
{
	struct model *m;
	struct m_if *i;
	size_t n = strlen(group);
	int r;

	if ((r = if_op(&m, &i, "SIOCAIFGROUP", name, FBSD_HOST)) < 0)
		return r;
	/* sys/net/if.c if_addgroup: a group name may not end in a digit (EINVAL); already a
	 * member: EEXIST. ifgr_group is IFNAMSIZ long. */
	if (n == 0 || n >= JNET_IFNAMSIZ || isdigit((unsigned char)group[n - 1]))
		return model_end(m, -EINVAL);
	return model_end(m, model_if_add_group(i, group));
}

int
fbsd_if_groups(const char *name, char (*groups)[JNET_IFNAMSIZ], int max)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = if_op(&m, &i, "SIOCGIFGROUP", name, FBSD_HOST)) < 0)
		return r;
	if (grow_due()) {
		char grp[JNET_IFNAMSIZ];

		/* Somebody's `ifconfig NAME group grewN` between the size and the fetch. */
		for (int k = 0;; k++) {
			snprintf(grp, sizeof(grp), "grew%d", k);
			if (!model_if_in_group(i, grp))
				break;
		}
		model_if_add_group(i, grp);
		return model_end_dirty(m, -EINVAL);
	}
	for (int n = 0; n < i->ngroups && n < max; n++)
		jnet_strlcpy(groups[n], i->groups[n], JNET_IFNAMSIZ);
	model_trace_list(i->ngroups);
	return model_end(m, i->ngroups);
}

int
fbsd_group_members(const char *group, char (*names)[JNET_IFNAMSIZ], int max)
{
	struct model *m;
	int r, n = 0;

	if ((r = model_begin(&m, "SIOCGIFGMEMB", group)) < 0)
		return r;
	/* sys/net/if.c if_getgroupmembers: the members in this vnet (ENOENT for a group
	 * nobody is in, which the primitive reports as an empty list). */
	for (int k = 0; k < m->nifs; k++) {
		if (m->ifs[k].vnet != MODEL_HOST || !model_if_in_group(&m->ifs[k], group))
			continue;
		if (n < max)
			jnet_strlcpy(names[n], m->ifs[k].name, JNET_IFNAMSIZ);
		n++;
	}
	if (n > 0 && grow_due()) {
		/* Somebody adds a member between the size and the fetch: a new if_bridge for
		 * group "bridge" (`ifconfig bridge create`, which loads if_bridge), else a
		 * loopback clone put into the group (`ifconfig lo create group GROUP`). */
		bool br = strcmp(group, "bridge") == 0;
		char name[JNET_IFNAMSIZ];
		struct m_if *i;
		int unit = 900;

		/* unit stays below 100000: "bridge" + 5 digits fit the name */
		for (;; unit = (unit + 1) % 100000) {
			snprintf(name, sizeof(name), "%s%d", br ? "bridge" : "lo", unit % 100000);
			if (model_ifunit(m, MODEL_HOST, name) == NULL)
				break;
		}
		i = model_if_new(m, MODEL_HOST, name, br ? "bridge" : "lo", true, unit);
		if (br) {
			model_kmod_set(m, "if_bridge", true);
			i->has_mac = true;
			model_gen_mac(m, i->mac);
		} else {
			model_if_add_group(i, group);
		}
		return model_end_dirty(m, -EINVAL);
	}
	model_trace_list(n);
	return model_end(m, n);
}

int
fbsd_if_has_inaddr(const char *name, bool *has)
{
	struct model *m;
	struct m_if *i;
	int r;

	if ((r = model_begin(&m, "getifaddrs", name)) < 0)
		return r;
	if ((i = model_ifunit(m, MODEL_HOST, name)) == NULL)
		return model_end(m, -ENXIO);
	*has = i->inaddr;
	return model_end(m, 0);
}

/* ================================================================ vnet moves */

int
fbsd_if_vnet(const char *name, int jid)
{
	struct model *m;
	struct m_if *i;
	struct m_jail *j;
	int r;

	if ((r = if_op(&m, &i, "SIOCSIFVNET", name, FBSD_HOST)) < 0)
		return r;
	/*
	 * sys/net/if.c if_vmove_loan: prison_find_child finds any valid prison, dying ones
	 * included (sys/kern/kern_jail.c), else ENXIO. Same vnet (a jail without its own
	 * vnet) -> EEXIST. A name already used in the jail's vnet -> EEXIST. The source vnet
	 * shutting down -> EBUSY (never the host's).
	 */
	if ((j = model_jail_byjid(m, jid)) == NULL)
		return model_end(m, -ENXIO);
	if (model_jail_vnet(j) == i->vnet)
		return model_end(m, -EEXIST);
	if (model_ifunit(m, model_jail_vnet(j), name) != NULL)
		return model_end(m, -EEXIST);
	model_if_vmove(m, i, model_jail_vnet(j));
	return model_end(m, 0);
}

int
fbsd_if_rvnet(const char *name, int jid)
{
	struct model *m;
	struct m_if *i;
	struct m_jail *j;
	int r;

	if ((r = model_begin(&m, "SIOCSIFRVNET", name)) < 0)
		return r;
	/*
	 * sys/net/if.c if_vmove_reclaim: the prison (dying ones too) or ENXIO; the name in
	 * the prison's vnet or ENXIO; already in our vnet -> EEXIST; the jail's vnet shutting
	 * down -> EBUSY. No check for a name clash on the host.
	 */
	if ((j = model_jail_byjid(m, jid)) == NULL)
		return model_end(m, -ENXIO);
	if ((i = model_ifunit(m, model_jail_vnet(j), name)) == NULL)
		return model_end(m, -ENXIO);
	if (i->vnet == MODEL_HOST)
		return model_end(m, -EEXIST);
	if (j->shutting_down)
		return model_end(m, -EBUSY);
	model_if_vmove(m, i, MODEL_HOST);
	return model_end(m, 0);
}

/* ================================================================ if_bridge */

static int
bridge_of(struct model *m, const char *bridge, struct m_if **out)
{
	struct m_if *b = model_ifunit(m, MODEL_HOST, bridge);

	if (b == NULL)
		return -ENXIO;
	/* SIOCxDRVSPEC on an interface that is not a bridge: its driver's ioctl falls
	 * through to ether_ioctl, which answers EINVAL. */
	if (strcmp(b->kind, "bridge") != 0)
		return -EINVAL;
	*out = b;
	return 0;
}

int
fbsd_bridge_add(const char *bridge, const char *member)
{
	struct model *m;
	struct m_if *b, *i;
	bool empty = true;
	int r;

	if ((r = model_begin(&m, "BRDGADD", bridge)) < 0)
		return r;
	if ((r = bridge_of(m, bridge, &b)) < 0)
		return model_end(m, r);
	/*
	 * sys/net/if_bridge.c bridge_ioctl_add: unknown member -> ENOENT; already in this
	 * bridge -> EEXIST, in another -> EBUSY; not an Ethernet-like interface (a bridge,
	 * lo0) -> EINVAL; FreeBSD 15 with net.link.bridge.member_ifaddrs=0: a member with an
	 * IPv4/IPv6 address -> EINVAL (if_bridge(4), 15.0 release notes); the first member
	 * sets the bridge's MTU, later ones are set to it.
	 */
	if ((i = model_ifunit(m, MODEL_HOST, member)) == NULL)
		return model_end(m, -ENOENT);
	if (i->bridge == b->id)
		return model_end(m, -EEXIST);
	if (i->bridge != 0)
		return model_end(m, -EBUSY);
	if (strcmp(i->kind, "bridge") == 0 || strcmp(i->kind, "lo") == 0)
		return model_end(m, -EINVAL);
	if (m->version >= 15 && !m->member_ifaddrs && i->inaddr)
		return model_end(m, -EINVAL);
	for (int k = 0; k < m->nifs && empty; k++)
		empty = m->ifs[k].bridge != b->id;
	if (empty)
		b->mtu = i->mtu;
	else
		i->mtu = b->mtu;
	i->bridge = b->id;
	return model_end(m, 0);
}

int
fbsd_bridge_del(const char *bridge, const char *member)
{
	struct model *m;
	struct m_if *b, *i;
	int r;

	if ((r = model_begin(&m, "BRDGDEL", bridge)) < 0)
		return r;
	if ((r = bridge_of(m, bridge, &b)) < 0)
		return model_end(m, r);
	/* bridge_ioctl_del: not a member of this bridge -> ENOENT. */
	i = model_ifunit(m, MODEL_HOST, member);
	if (i == NULL || i->bridge != b->id)
		return model_end(m, -ENOENT);
	i->bridge = 0;
	return model_end(m, 0);
}

int
fbsd_bridge_members(const char *bridge, char (*names)[JNET_IFNAMSIZ], int max)
{
	struct model *m;
	struct m_if *b;
	int r, n = 0;

	if ((r = model_begin(&m, "BRDGGIFS", bridge)) < 0)
		return r;
	if ((r = bridge_of(m, bridge, &b)) < 0)
		return model_end(m, r);
	for (int k = 0; k < m->nifs; k++) {
		if (m->ifs[k].bridge != b->id)
			continue;
		if (n < max)
			jnet_strlcpy(names[n], m->ifs[k].name, JNET_IFNAMSIZ);
		n++;
	}
	model_trace_list(n);
	return model_end(m, n);
}

int
fbsd_bridge_has_member(const char *bridge, const char *member)
{
	struct model *m;
	struct m_if *b, *i;
	int r;

	if ((r = model_begin(&m, "BRDGGIFFLGS", bridge)) < 0)
		return r;
	if ((r = bridge_of(m, bridge, &b)) < 0)
		return model_end(m, r);
	/* bridge_ioctl_gifflags: not a member -> ENOENT (the primitive answers 0). */
	i = model_ifunit(m, MODEL_HOST, member);
	return model_end(m, i != NULL && i->bridge == b->id ? 1 : 0);
}

int
fbsd_bridge_member_ifaddrs(bool *allowed)
{
	struct model *m;
	int r;

	if ((r = model_begin(&m, "sysctl", "net.link.bridge.member_ifaddrs")) < 0)
		return r;
	/* 14 has no such sysctl and no such check (the primitive answers "allowed"). */
	*allowed = m->version < 15 || m->member_ifaddrs;
	return model_end(m, 0);
}

/* ================================================================ jails */

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int
fbsd_jail_getid(const char *spec, int *jid, bool *dying)
{
	struct model *m;
	struct m_jail *j;
	int r;

	if ((r = model_begin(&m, "jail_get", spec)) < 0)
		return r;
	/*
	 * jail_get(2) with JAIL_DYING: by "jid" (a number) or "name"; a dying jail is found
	 * (and says dying=1), a live one of the same name is preferred (prison_find_name).
	 * Nothing: ENOENT.
	 */
	if (all_digits(spec))
		j = model_jail_byjid(m, atoi(spec));
	else
		j = model_jail_byname(m, spec, true);
	if (j == NULL)
		return model_end(m, -ENOENT);
	*jid = j->jid;
	*dying = j->dying;
	return model_end(m, 0);
}

/*
 * jail_set(2) JAIL_CREATE, as sys/kern/kern_jail.c kern_jail_set: a name with dots names
 * a child of the jail named by the part before the last dot, which must exist and be alive
 * (else ENOENT, "jail \"%s\" not found" / "is dying"); the last part must not be numeric
 * (EINVAL, "name cannot be numeric (unless it is the jid)"); a live sibling of that name
 * -> EEXIST. The creator's own children.max chain is checked (prison0's: 999999), not
 * the parent's: the host can create children in a parent with children.max=0.
 */
static int
jail_create(const char *op, const char *name, bool vnet, const char *hostname, int *jid)
{
	const char *dot = strrchr(name, '.');
	struct model *m;
	struct m_jail *j, *p = NULL;
	int r;

	if ((r = model_begin(&m, op, name)) < 0)
		return r;
	if (name[0] == '\0' || all_digits(dot ? dot + 1 : name) || (dot && dot[1] == '\0'))
		return model_end(m, -EINVAL);
	if (dot != NULL) {
		char pname[JNET_JAILNAMSIZ];

		snprintf(pname, sizeof(pname), "%.*s", (int)(dot - name), name);
		if ((p = model_jail_byname(m, pname, false)) == NULL)
			return model_end(m, -ENOENT);
	}
	if (model_jail_byname(m, name, false) != NULL)
		return model_end(m, -EEXIST);
	j = model_jail_new(m, name, vnet);
	j->parent = p ? p->jid : 0;
	jnet_strlcpy(j->hostname, hostname, sizeof(j->hostname));
	*jid = j->jid;
	return model_end(m, 0);
}

int
fbsd_jail_create_vnet(const char *name, int *jid)
{
	/* A new jail's host.hostname is its parent's (kern_jail.c: inherited); labs do not
	 * look at a vnet jail's hostname, so the model leaves it empty. */
	return jail_create("jail_set", name, true, "", jid);
}

int
fbsd_jail_create_parent(const char *name, const char *hostname, int *jid)
{
	return jail_create("jail_set", name, false, hostname, jid);
}

int
fbsd_jail_remove(int jid)
{
	struct model *m;
	struct m_jail *j;
	int r;

	/*
	 * sys/kern/kern_jail.c sys_jail_remove: unknown -> EINVAL; "Silently ignore
	 * already-dying prisons" -> 0. A live jail with nothing holding it (the model has no
	 * processes) goes at once: its vnet is torn down (model_jail_destroy). Jails that
	 * linger dying are made with jnet-modelctl jail-kill.
	 */
	if ((r = model_begin_jail(&m, "jail_remove", jid, &j, -EINVAL)) < 0)
		return r;
	if (!j->dying)
		model_jail_destroy(m, j);
	return model_end(m, 0);
}
