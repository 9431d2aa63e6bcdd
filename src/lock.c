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
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
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

void
jnet_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
