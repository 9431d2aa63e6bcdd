/*
 * Commands on the same jail (or lab) serialise on a lock file; different jails stay
 * parallel. The lock is flock(2) on RUNDIR/KIND.NAME (RUNDIR: /run/jnet on Linux,
 * /var/run/jnet on FreeBSD), so it goes away with the process whatever kills it. The holder
 * writes its PID in the file and empties it when it lets go: the next holder that finds it
 * not empty knows its predecessor died half-way (kill -9, a crash) and can look for what
 * that one left. The files stay (empty) otherwise and mean nothing by themselves.
 */
#ifndef JNET_LOCK_H
#define JNET_LOCK_H

#include "jnet.h"

#ifdef __linux__
#define JNET_RUNDIR_DEFAULT "/run/jnet"
#else
#define JNET_RUNDIR_DEFAULT "/var/run/jnet"
#endif
#define JNET_LOCK_WAIT_MS_DEFAULT 120000

/*
 * Take the lock on KIND.NAME ("jail", "lab"), waiting up to wait_ms for another jnet
 * process that holds it. Returns an open fd (>= 0) to pass to jnet_unlock, or -errno with
 * e filled (-EWOULDBLOCK after the wait: another command on that jail still runs).
 */
int jnet_lock(const char *rundir, const char *kind, const char *name, int wait_ms,
    struct jnet_err *e);
/* Like jnet_lock; *crashed (may be NULL) tells whether the previous holder died holding it. */
int jnet_lock_check(const char *rundir, const char *kind, const char *name, int wait_ms,
    bool *crashed, struct jnet_err *e);
void jnet_unlock(int fd);
/*
 * The lock in shared mode (flock LOCK_SH): any number of shared holders at once, none while
 * jnet_lock holds it. A shared holder neither reads nor writes the PID crash marker. Never
 * take both modes of one lock in one process: flock would wait for itself.
 */
int jnet_lock_shared(const char *rundir, const char *kind, const char *name, int wait_ms,
    struct jnet_err *e);
void jnet_unlock_shared(int fd);

#endif
