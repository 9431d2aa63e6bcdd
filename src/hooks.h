/*
 * start_if / stop_if hooks, following rc(8)'s network.subr convention: before rc configures
 * an interface it sources /etc/start_if.IFACE with $1 = IFACE, and after bringing it down
 * /etc/stop_if.IFACE. Interfaces jnet creates never pass through rc, so jnet runs the same
 * files itself: start_if after the interface is created, named and given its MAC, before it
 * is set up; stop_if after it is set down, before it is destroyed.
 *
 * A hook runs as `/bin/sh FILE IFNAME` (argv, never a shell string), stdin from /dev/null,
 * stdout passed through to jnet's stderr, stderr captured for error messages, with JNET_*
 * variables describing the event, in its own process group, killed (the group) after the
 * timeout.
 */
#ifndef JNET_HOOKS_H
#define JNET_HOOKS_H

#include "jnet.h"

#define JNET_HOOKDIR_DEFAULT "/etc"
#define JNET_HOOK_TIMEOUT_MS_DEFAULT 30000

struct jnet_hook_env {
	const char *event;    /* "start_if" / "stop_if" (JNET_EVENT) */
	const char *iface;    /* $1 and JNET_IFACE */
	const char *jail;     /* JNET_JAIL */
	const char *peer;     /* JNET_PEER: the other end, "" if none */
	const char *bridge;   /* JNET_BRIDGE, "" if none */
	const char *mac;      /* JNET_MAC, "" if kernel default */
	const char *backend;  /* JNET_BACKEND */
	const char *end;      /* JNET_END: "host" or "jail" */
	int index;            /* JNET_INDEX */
};

/* Path of the hook file for iface, or NULL (and *path empty) when there is none to run. */
bool jnet_hook_exists(const char *dir, const char *event, const char *iface, char *path,
    size_t len);

/*
 * Run the hook for env->event/env->iface if its file exists and is readable.
 * Returns 0 (ran and exited 0, or no hook), or -errno / -ECANCELED (non-zero exit, the
 * message includes the exit status and the hook's stderr), -ETIMEDOUT.
 */
int jnet_hook_run(const char *dir, const struct jnet_hook_env *env, int timeout_ms,
    struct jnet_err *e);

/* Fill envp-style "KEY=VALUE" strings for env into buf; for tests. Returns count. */
int jnet_hook_envp(const struct jnet_hook_env *env, char out[][JNET_JAILNAMSIZ + 32], int max);

#endif
