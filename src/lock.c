#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int
jnet_lock(const char *rundir, const char *kind, const char *name, int wait_ms,
    struct jnet_err *e)
{
	return jnet_lock_check(rundir, kind, name, wait_ms, NULL, e);
}

/* Open RUNDIR/KIND.NAME and flock it in mode `how` (LOCK_EX, LOCK_SH), waiting up to
 * wait_ms; the fd, or -errno with e filled. */
static int
lock_open(const char *rundir, const char *kind, const char *name, int how, int wait_ms,
    struct jnet_err *e)
{
	char path[512];
	struct timespec nap = { 0, 5 * 1000 * 1000 };
	int fd, waited = 0;

	if (rundir == NULL || rundir[0] == '\0')
		rundir = JNET_RUNDIR_DEFAULT;
	/* Names were checked (no '/', no ".."), so the path stays inside rundir. */
	if (snprintf(path, sizeof(path), "%s/%s.%s", rundir, kind, name) >= (int)sizeof(path))
		return jnet_err_set(e, ENAMETOOLONG, name, "lock file name too long");
	if (mkdir(rundir, 0700) < 0 && errno != EEXIST)
		return jnet_err_sys(e, errno, rundir, "create the lock directory");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return jnet_err_sys(e, errno, path, "open lock file");
	while (flock(fd, how | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int err = errno;

			close(fd);
			return jnet_err_sys(e, err, path, "lock");
		}
		if (waited >= wait_ms) {
			close(fd);
			return jnet_err_set(e, EWOULDBLOCK, name,
			    "another jnet command on this %s has been running for %d s (lock %s)",
			    kind, wait_ms / 1000, path);
		}
		nanosleep(&nap, NULL);
		waited += 5;
	}
	return fd;
}

int
jnet_lock_check(const char *rundir, const char *kind, const char *name, int wait_ms,
    bool *crashed, struct jnet_err *e)
{
	char pid[32];
	int n, fd;

	if ((fd = lock_open(rundir, kind, name, LOCK_EX, wait_ms, e)) < 0)
		return fd;
	/* Not empty: its last holder died before jnet_unlock. */
	if (crashed != NULL)
		*crashed = pread(fd, pid, 1, 0) == 1;
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		int err = errno;

		close(fd);
		return jnet_err_sys(e, err, name, "write lock file");
	}
	return fd;
}

int
jnet_lock_shared(const char *rundir, const char *kind, const char *name, int wait_ms,
    struct jnet_err *e)
{
	return lock_open(rundir, kind, name, LOCK_SH, wait_ms, e);
}

void
jnet_unlock_shared(int fd)
{
	if (fd >= 0)
		close(fd);
}

void
jnet_unlock(int fd)
{
	if (fd < 0)
		return;
	/* A clean exit: the next holder need not look for leftovers. */
	if (ftruncate(fd, 0) < 0) {
		/* Then the next holder looks for leftovers that are not there: harmless. */
	}
	close(fd);
}
