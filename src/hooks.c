#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

bool
jnet_hook_exists(const char *dir, const char *event, const char *iface, char *path, size_t len)
{
	int n = snprintf(path, len, "%s/%s.%s", dir, event, iface);

	if (n < 0 || (size_t)n >= len || access(path, R_OK) != 0) {
		if (len)
			path[0] = '\0';
		return false;
	}
	return true;
}

int
jnet_hook_envp(const struct jnet_hook_env *env, char out[][JNET_JAILNAMSIZ + 32], int max)
{
	const size_t sz = JNET_JAILNAMSIZ + 32;
	int n = 0;

#define PUT(k, fmt, v) do { if (n < max) snprintf(out[n++], sz, "%s=" fmt, k, v); } while (0)
	PUT("JNET_EVENT", "%s", env->event ? env->event : "");
	PUT("JNET_IFACE", "%s", env->iface ? env->iface : "");
	PUT("JNET_JAIL", "%s", env->jail ? env->jail : "");
	PUT("JNET_PEER", "%s", env->peer ? env->peer : "");
	PUT("JNET_BRIDGE", "%s", env->bridge ? env->bridge : "");
	PUT("JNET_MAC", "%s", env->mac ? env->mac : "");
	PUT("JNET_BACKEND", "%s", env->backend ? env->backend : "");
	PUT("JNET_END", "%s", env->end ? env->end : "");
	PUT("JNET_INDEX", "%d", env->index);
#undef PUT
	return n;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Read what the hook wrote to its stderr (waiting up to wait_ms), pass it through to ours
 * and keep its last bytes in tail for error messages. 1: read something, 0: nothing now,
 * -1: end of file.
 */
static int
read_some(int fd, int wait_ms, char *tail, size_t size, size_t *tlen)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[512];
	ssize_t m;

	if (poll(&p, 1, wait_ms) <= 0)
		return 0;
	m = read(fd, buf, sizeof(buf));
	if (m <= 0)
		return -1;
	if (write(STDERR_FILENO, buf, (size_t)m) < 0) {
		/* nothing useful to do */
	}
	/* buf is smaller than tail: drop the oldest bytes to fit. */
	if (*tlen + (size_t)m > size - 1) {
		size_t drop = *tlen + (size_t)m - (size - 1);

		memmove(tail, tail + drop, *tlen - drop);
		*tlen -= drop;
	}
	memcpy(tail + *tlen, buf, (size_t)m);
	*tlen += (size_t)m;
	return 1;
}

int
jnet_hook_run(const char *dir, const struct jnet_hook_env *env, int timeout_ms,
    struct jnet_err *e)
{
	char path[4096], envs[16][JNET_JAILNAMSIZ + 32], tail[1536];
	size_t tlen = 0;
	int pfd[2], status = 0, nenv;
	long long deadline;
	bool timed_out = false, open_pipe = true;
	pid_t pid, w;

	if (!jnet_hook_exists(dir, env->event, env->iface, path, sizeof(path)))
		return 0;
	nenv = jnet_hook_envp(env, envs, 16);
	if (pipe(pfd) < 0)
		return jnet_err_sys(e, errno, path, "pipe");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int err = errno;
		close(pfd[0]);
		close(pfd[1]);
		return jnet_err_sys(e, err, path, "fork");
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			close(devnull);
		}
		dup2(STDERR_FILENO, STDOUT_FILENO); /* our stdout may carry JSON */
		dup2(pfd[1], STDERR_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		for (int i = 0; i < nenv; i++)
			putenv(envs[i]);
		execl("/bin/sh", "sh", path, env->iface, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid); /* also here: no race with the child's own call */
	close(pfd[1]);
	deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : JNET_HOOK_TIMEOUT_MS_DEFAULT);
	for (;;) {
		long long left = deadline - now_ms();

		if (open_pipe && read_some(pfd[0], left > 100 ? 100 : left > 0 ? (int)left : 0,
		    tail, sizeof(tail), &tlen) < 0)
			open_pipe = false;
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid) {
			/* What the hook wrote just before exiting may still be in the pipe. */
			while (open_pipe && read_some(pfd[0], 0, tail, sizeof(tail), &tlen) > 0)
				;
			break;
		}
		if (now_ms() >= deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			timed_out = true;
			break;
		}
		if (!open_pipe) {
			struct timespec ts = { 0, 5 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	close(pfd[0]);
	tail[tlen] = '\0';
	while (tlen > 0 && (tail[tlen - 1] == '\n' || tail[tlen - 1] == '\r'))
		tail[--tlen] = '\0';
	if (timed_out)
		return jnet_err_set(e, ETIMEDOUT, path, "hook killed after %d ms%s%s",
		    timeout_ms > 0 ? timeout_ms : JNET_HOOK_TIMEOUT_MS_DEFAULT, tlen ? ": " : "", tail);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return jnet_err_set(e, ECANCELED, path, "hook exited with status %d%s%s",
		    WEXITSTATUS(status), tlen ? ": " : "", tail);
	return jnet_err_set(e, ECANCELED, path, "hook killed by signal %d%s%s",
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0, tlen ? ": " : "", tail);
}
