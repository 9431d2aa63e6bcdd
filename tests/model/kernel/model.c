/*
 * A behavioural model of the FreeBSD kernel: every primitive of src/fbsd/fbsd.h, in memory (or
 * in a JSON state file shared by processes), with the errno cases of the real kernel.
 *
 * Each behaviour cites where it comes from: a FreeBSD source file and function (read in
 * freebsd/freebsd-src, main branch of 2025, FreeBSD 15) or a man page. Where the model
 * simplifies, the comment says so.
 */
#include "model.h"
#include "model_priv.h"

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

/* Extensions (netgraph) hook in here; see model.h. */
#ifdef MODEL_HAVE_NG
extern const struct model_ext_ops model_ng_ext;
#endif
const struct model_ext_ops *const model_exts[] = {
#ifdef MODEL_HAVE_NG
	&model_ng_ext,
#endif
	NULL,
};

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
		model_state_init(&g.mem);
		return 0;
	}
	r = model_state_load(&g.mem, o);
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
		o = model_state_save(&g.mem);
		if (json_dump_file(o, tmp, JSON_COMPACT) < 0 || rename(tmp, g.state) < 0) {
			r = -EIO;
			unlink(tmp);
		}
		json_decref(o);
	}
	model_state_free(&g.mem);
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
		model_state_init(&g.mem);
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
bool
model_grow_due(void)
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
	model_state_init(m);
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
		for (const struct model_ext_ops *const *e = model_exts; *e; e++)
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
