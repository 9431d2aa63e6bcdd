/*
 * The netns backend's lab jails: named network namespaces that `ip netns` and `ip -n` see
 * as /run/netns/LAB.JAIL, tagged on their loopback's alias.
 *
 * Where a lab's namespaces are mounted. `ip netns add` bind-mounts a namespace on a file
 * in /run/netns, and every unmount of such a file waits for an RCU grace period in the
 * kernel (namespace_unlock: 0.3 to 1 ms here), so `lab down` of 500 jails waited for 500.
 * A lab's namespaces are mounted instead inside a tmpfs of the lab's own,
 * NETNS_LAB_DIR/LAB, each on the file JAIL there, and /run/netns/LAB.JAIL is a symbolic
 * link to that file: whatever opens /run/netns/NAME (ip netns exec, ip -n, nsenter --net=,
 * jnet) follows it. `lab down` removes the links, then detaches the lab's tmpfs with one
 * umount2(MNT_DETACH), which takes every namespace mounted inside it in one grace period.
 *
 * Crash windows, in creation order: (1) the lab's directory and its tmpfs: they hold
 * nothing; (2) the namespace, complete (loopback up and tagged) before anything names it;
 * (3) the file in the lab's tmpfs and the namespace mounted on it: a file there that no
 * name in /run/netns points to is a leftover of this window, which jail_create replaces
 * and `lab down` detaches with the tmpfs; (4) the link in /run/netns, the name. Removal
 * goes the other way round, the name first. A link into the lab's tmpfs whose file holds
 * no namespace is reported stale (it holds nothing) and replaced or removed.
 *
 * A name without a dot (no lab's) is bind-mounted on /run/netns/NAME as ip netns does; a
 * lab jail made that way (by an earlier jnet) is still recognised and removed.
 */
#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define PATHSZ 4096

static int
netns_path(const char *name, char *path, size_t len, struct jnet_err *e)
{
	int r = snprintf(path, len, "%s/%s", NETNS_DIR, name);

	if (r < 0 || (size_t)r >= len || strchr(name, '/') != NULL)
		return jnet_err_set(e, EINVAL, name, "not a network namespace name");
	return 0;
}

/* "LAB.JAIL": the lab's directory NETNS_LAB_DIR/LAB and the file JAIL in it. False for a
 * name that is no lab jail's (no dot, or nothing on one side of it). */
static bool
lab_paths(const char *name, char *dir, char *file, size_t len)
{
	const char *dot = strchr(name, '.');
	int r;

	if (dot == NULL || dot == name || dot[1] == '\0' || strchr(name, '/') != NULL)
		return false;
	r = snprintf(dir, len, "%s/%.*s", NETNS_LAB_DIR, (int)(dot - name), name);
	if (r < 0 || (size_t)r >= len)
		return false;
	r = snprintf(file, len, "%s/%s", dir, dot + 1);
	return r >= 0 && (size_t)r < len;
}

/* Is the name `path` jnet's link to `file`, the file of a lab jail? */
static bool
is_lab_link(const char *path, const char *file)
{
	char buf[PATHSZ];
	ssize_t len = readlink(path, buf, sizeof(buf) - 1);

	if (len < 0)
		return false;
	buf[len] = '\0';
	return strcmp(buf, file) == 0;
}

/* A namespace is mounted on path (after the link, if it is one). */
static bool
ns_live(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && (unsigned long)sfs.f_type == NSFS_MAGIC;
}

/*
 * A name in /run/netns with no namespace mounted on it: an empty regular file, left by a
 * crash between creating the file and mounting the namespace (or by `ip netns add`).
 */
static bool
ns_stale(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0 && !ns_live(path);
}

/* As ip-netns(8) does for /run/netns: `dir` a shared mount, so what is mounted below it
 * shows in every mount namespace that shares it (such as those of `ip netns exec`). */
static int
shared_dir(const char *dir, unsigned long rec, struct jnet_err *e)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return jnet_err_sys(e, errno, dir, "mkdir");
	if (mount("", dir, "none", MS_SHARED | rec, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return jnet_err_sys(e, errno, dir, "make shared");
	if (mount(dir, dir, "none", MS_BIND | rec, NULL) < 0 ||
	    mount("", dir, "none", MS_SHARED | rec, NULL) < 0)
		return jnet_err_sys(e, errno, dir, "bind mount");
	return 0;
}

/* Something is mounted on `dir` (a lab's directory in NETNS_LAB_DIR). */
static bool
mounted_on(const char *dir)
{
	struct stat a, b;

	return stat(dir, &a) == 0 && stat(NETNS_LAB_DIR, &b) == 0 && a.st_dev != b.st_dev;
}

/* The lab's tmpfs, mounted on its directory (once per process and lab). */
static int
lab_dir(struct nn *n, const char *dir, struct jnet_err *e)
{
	int r;

	if (strcmp(n->lab_dir, dir) == 0)
		return 0;
	if (mkdir(NETNS_LAB_PARENT, 0755) < 0 && errno != EEXIST)
		return jnet_err_sys(e, errno, NETNS_LAB_PARENT, "mkdir");
	if ((r = shared_dir(NETNS_LAB_DIR, 0, e)) < 0)
		return r;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return jnet_err_sys(e, errno, dir, "mkdir");
	if (!mounted_on(dir) &&
	    mount("jnet-lab", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755") < 0)
		return jnet_err_sys(e, errno, dir, "mount the lab's tmpfs");
	if (mount("", dir, "none", MS_SHARED, NULL) < 0)
		return jnet_err_sys(e, errno, dir, "make shared");
	if (strlen(dir) < sizeof(n->lab_dir))
		jnet_strlcpy(n->lab_dir, dir, sizeof(n->lab_dir));
	return 0;
}

/* Detach the lab's tmpfs, and every namespace mounted in it, at once; remove its directory. */
static int
lab_dir_drop(struct nn *n, const char *dir, struct jnet_err *e)
{
	n->lab_dir[0] = '\0';
	/* More than one mount only if two processes raced to make it: take them all. */
	for (int i = 0; i < 8 && mounted_on(dir); i++)
		if (umount2(dir, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL)
			return jnet_err_sys(e, errno, dir, "unmount");
	if (rmdir(dir) < 0 && errno != ENOENT)
		return jnet_err_sys(e, errno, dir, "rmdir");
	return 0;
}

/* The lab's tmpfs once it holds no jail: detach it. */
static int
lab_dir_gc(struct nn *n, const char *dir, struct jnet_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool empty = true;

	if (d == NULL)
		return errno == ENOENT ? 0 : jnet_err_sys(e, errno, dir, "opendir");
	while (empty && (de = readdir(d)) != NULL)
		empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
	closedir(d);
	return empty ? lab_dir_drop(n, dir, e) : 0;
}

/* Remove a file that holds a namespace mount (or held one). */
static int
drop_file(const char *file, struct jnet_err *e)
{
	if (umount2(file, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL &&
	    errno != ENOENT)
		return jnet_err_sys(e, errno, file, "unmount");
	if (unlink(file) < 0 && errno != ENOENT)
		return jnet_err_sys(e, errno, file, "unlink");
	return 0;
}

/*
 * A new namespace, complete (loopback up and tagged), mounted on the new file `file`. A
 * crash before the mount leaves at most an empty file, which ns_stale() recognises. No
 * sysctl is touched: the first /proc/sys/net access in a new namespace costs time that
 * grows with the number of namespaces (0.02 ms at 100, 0.36 ms at 1000).
 */
static int
ns_born(struct nn *n, const char *name, const char *tag, const char *file,
    struct jnet_err *e)
{
	struct nl nl;
	int fd, r;

	if (unshare(CLONE_NEWNET) < 0)
		return jnet_err_sys(e, errno, name, "unshare(CLONE_NEWNET)");
	r = nl_open(&nl, -1, e);
	if (r == 0) {
		r = nn_set_link(&nl, &(struct nn_change){ .ifindex = 1, .name = "lo", .up = NN_UP,
		    .alias = tag, .what = "loopback" }, e);
		nl_close(&nl);
	}
	if (r == 0) {
		fd = open(file, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
		if (fd < 0) {
			r = errno == EEXIST ? jnet_err_set(e, EEXIST, name, "network namespace exists") :
			    jnet_err_sys(e, errno, file, "create");
		} else {
			close(fd);
			if (mount("/proc/thread-self/ns/net", file, "none", MS_BIND, NULL) < 0) {
				r = jnet_err_sys(e, errno, file, "bind mount");
				unlink(file);
			}
		}
	}
	if (setns(n->self_fd, CLONE_NEWNET) < 0)
		abort(); /* cannot come home: continuing would act on the wrong netns */
	return r;
}

/* A lab jail: the namespace in the lab's tmpfs, then its name, a link to it. */
static int
lab_jail_create(struct nn *n, const char *name, const char *tag, const char *path,
    const char *dir, const char *file, struct jnet_err *e)
{
	struct stat st;
	int r;

	if (mkdir(NETNS_DIR, 0755) < 0 && errno != EEXIST)
		return jnet_err_sys(e, errno, NETNS_DIR, "mkdir");
	if ((r = lab_dir(n, dir, e)) < 0)
		return r;
	if (ns_stale(path) || (is_lab_link(path, file) && !ns_live(path)))
		unlink(path); /* holds nothing: take the name */
	else if (lstat(path, &st) == 0)
		return jnet_err_set(e, EEXIST, name, "network namespace exists");
	/* No name points at the file: whatever is there was left by a crash (window 3). */
	if ((r = drop_file(file, e)) < 0 || (r = ns_born(n, name, tag, file, e)) < 0)
		return r;
	if (symlink(file, path) == 0)
		return 0;
	r = errno == EEXIST ? jnet_err_set(e, EEXIST, name, "network namespace exists") :
	    jnet_err_sys(e, errno, path, "symlink");
	drop_file(file, NULL);
	return r;
}

int
nn_jail_create(void *priv, const char *name, const char *tag, struct jnet_err *e)
{
	struct nn *n = priv;
	char path[PATHSZ], dir[PATHSZ], file[PATHSZ];
	int r;

	if ((r = netns_path(name, path, sizeof(path), e)) < 0)
		return r;
	if (lab_paths(name, dir, file, sizeof(dir)))
		return lab_jail_create(n, name, tag, path, dir, file, e);
	/* Remounting /run/netns shared walks every namespace mounted there: do it once. */
	if (!n->netns_dir_ready) {
		if ((r = shared_dir(NETNS_DIR, MS_REC, e)) < 0)
			return r;
		n->netns_dir_ready = true;
	}
	if (ns_stale(path))
		unlink(path); /* holds nothing: take the name */
	return ns_born(n, name, tag, path, e);
}

int
nn_jail_tag(void *priv, const char *name, char *tag, size_t len, struct jnet_err *e)
{
	struct nn *n = priv;
	char path[PATHSZ];
	struct jnet_jail j;
	struct nl_link lo;
	struct nl *nl;
	int r;

	tag[0] = '\0';
	if ((r = netns_path(name, path, sizeof(path), e)) < 0)
		return r;
	if (ns_stale(path))
		return -ENOENT; /* holds nothing: as good as absent */
	if ((r = nn_jail_open(n, name, 0, &j, e)) < 0)
		return r;
	if (!j.exists)
		return -ENOENT;
	r = nn_jail_sock(n, name, j.fd, &nl, e);
	nn_jail_close(n, &j);
	if (r < 0)
		return r;
	if ((r = nl_get_link(nl, NULL, 1, -1, &lo, e)) < 0)
		return r;
	jnet_strlcpy(tag, lo.alias, len);
	return 0;
}

/* Drop cached sockets inside jail `name`: they would keep its namespace alive. */
static void
drop_socks(struct nn *n, const char *name)
{
	for (int i = 0; i < NN_JAILSOCKS; i++)
		if (strcmp(n->js[i].name, name) == 0) {
			nl_close(&n->js[i].nl);
			close(n->js[i].fd);
			n->js[i].fd = -1;
			n->js[i].name[0] = '\0';
		}
}

int
nn_jail_destroy(void *priv, const char *name, struct jnet_err *e)
{
	struct nn *n = priv;
	char path[PATHSZ], dir[PATHSZ], file[PATHSZ];
	int r;

	if ((r = netns_path(name, path, sizeof(path), e)) < 0)
		return r;
	drop_socks(n, name);
	if (lab_paths(name, dir, file, sizeof(dir)) && is_lab_link(path, file)) {
		if (unlink(path) < 0 && errno != ENOENT)
			return jnet_err_sys(e, errno, path, "unlink");
		if ((r = drop_file(file, e)) < 0)
			return r;
		return lab_dir_gc(n, dir, e);
	}
	/* NOFOLLOW: a link that is not jnet's is removed, never what it points to. */
	if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL &&
	    errno != ENOENT)
		return jnet_err_sys(e, errno, path, "unmount");
	if (unlink(path) < 0 && errno != ENOENT)
		return jnet_err_sys(e, errno, path, "unlink");
	return 0;
}

int
nn_lab_jails_destroy(void *priv, const char *lab, char (*names)[JNET_JAILNAMSIZ], int cnt,
    struct jnet_err *e)
{
	struct nn *n = priv;
	char path[PATHSZ], dir[PATHSZ], file[PATHSZ];
	struct jnet_err first;
	int r = 0, q;

	jnet_err_clear(&first);
	for (int i = 0; i < cnt; i++) {
		if (netns_path(names[i], path, sizeof(path), e) == 0 &&
		    lab_paths(names[i], dir, file, sizeof(dir)) && is_lab_link(path, file)) {
			drop_socks(n, names[i]);
			q = unlink(path) < 0 && errno != ENOENT ?
			    jnet_err_sys(e, errno, path, "unlink") : 0;
		} else {
			q = nn_jail_destroy(n, names[i], e); /* made the old way, or stale */
		}
		if (q < 0 && r == 0) {
			r = q;
			first = *e;
		}
	}
	if (r < 0) {
		*e = first; /* a name is left: keep its namespace reachable */
		return r;
	}
	if (lab[0] == '\0' || strchr(lab, '/') != NULL ||
	    snprintf(dir, sizeof(dir), "%s/%s", NETNS_LAB_DIR, lab) >= (int)sizeof(dir))
		return jnet_err_set(e, EINVAL, lab, "not a lab name");
	/* Also takes the namespaces no name points to (left by a crash in window 3). */
	return lab_dir_drop(n, dir, e);
}

int
nn_jail_list(void *priv, const char *prefix, int (*cb)(const char *, const char *, void *),
    void *arg, struct jnet_err *e)
{
	char tag[JNET_TAGSIZ], path[PATHSZ], dir[PATHSZ], file[PATHSZ];
	struct dirent *d;
	DIR *dirp = opendir(NETNS_DIR);
	int r = 0;

	if (dirp == NULL)
		return errno == ENOENT ? 0 : jnet_err_sys(e, errno, NETNS_DIR, "opendir");
	while (r == 0 && (d = readdir(dirp)) != NULL) {
		if (d->d_name[0] == '.' || strncmp(d->d_name, prefix, strlen(prefix)) != 0 ||
		    snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, d->d_name) >= (int)sizeof(path))
			continue;
		if (ns_stale(path) || (lab_paths(d->d_name, dir, file, sizeof(dir)) &&
		    is_lab_link(path, file) && !ns_live(path))) {
			r = cb(d->d_name, JNET_JAIL_STALE, arg);
			continue;
		}
		if (nn_jail_tag(priv, d->d_name, tag, sizeof(tag), e) < 0) {
			jnet_err_clear(e);
			continue; /* not a namespace we can look into: not ours */
		}
		if (strncmp(tag, "jnet/", 5) == 0)
			r = cb(d->d_name, tag, arg);
	}
	closedir(dirp);
	return r;
}
