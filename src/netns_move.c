/*
 * The netns backend's changes to existing links: where the jail end is, moving it between
 * namespaces, up/down and MTU of both ends.
 */

#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "netns.h"

/* The link as it is now: `l` itself when it knows its host end's index, else looked up. */
static int
link_refresh(struct nn *n, const struct jnet_link_info *l, struct jnet_link_info *out,
    struct jnet_err *e)
{
	int r;

	if (l->be[BE_HOST_IFINDEX] > 0) {
		*out = *l;
		return 0;
	}
	if ((r = nn_link_get(n, l->host_if, out, e)) < 0)
		return r;
	/* The caller may know the jail better (e.g. a pid:N spec). */
	if (out->where_jail[0] == '\0' && l->where_jail[0] != '\0')
		jnet_strlcpy(out->where_jail, l->where_jail, sizeof(out->where_jail));
	return 0;
}

int
nn_link_in(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    struct jnet_err *e)
{
	struct nn *n = priv;
	struct jnet_link_info cur;
	int r, nsid;

	if (j == NULL || !j->exists || j->fd < 0)
		return 0;
	if ((r = link_refresh(n, l, &cur, e)) < 0)
		return r;
	if (cur.where != JNET_WHERE_JAIL)
		return 0;
	if ((r = nl_get_nsid(&n->host, j->fd, &nsid, e)) < 0)
		return r;
	return nsid == cur.be[BE_PEER_NSID];
}

/*
 * The named namespace (in /run/netns) that has netns id `nsid`: for a jail end that
 * `attach NAME OTHER` put in another jail. Looks at every name only then; asks for ids
 * without assigning any to namespaces that have none (the peer's has one).
 */
static int
find_netns(struct nn *n, int nsid, struct nl **out, struct jnet_err *e)
{
	DIR *d;
	struct dirent *de;
	int r = -ENOENT;

	if (nsid < 0 || (d = opendir(NETNS_DIR)) == NULL)
		return -ENOENT;
	while (r == -ENOENT && (de = readdir(d)) != NULL) {
		struct jnet_jail j;
		int id;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= JNET_JAILNAMSIZ)
			continue;
		if (nn_jail_open(n, de->d_name, 0, &j, e) < 0 || !j.exists) {
			jnet_err_clear(e);
			continue;
		}
		if (nl_peek_nsid(&n->host, j.fd, &id, e) == 0 && id == nsid)
			r = nn_jail_sock(n, de->d_name, j.fd, out, e);
		jnet_err_clear(r == -ENOENT ? e : NULL);
		nn_jail_close(n, &j);
	}
	closedir(d);
	return r;
}

/*
 * A socket in the namespace that holds the jail end of `cur`, found from host-side facts
 * (the netns id the host end reports for its peer): `hint` if that is where the end is,
 * else a cached jail socket in that namespace (the jail this command opened), else the
 * link's own jail when its namespace is that one (where_jail), else
 * any named namespace with that id (find_netns).
 */
static int
peer_sock(struct nn *n, const struct jnet_link_info *cur, const struct jnet_jail *hint,
    struct nl **out, struct jnet_err *e)
{
	int nsid, r;

	if (cur->where != JNET_WHERE_JAIL) {
		*out = &n->host;
		return 0;
	}
	if (hint != NULL && hint->exists && hint->fd >= 0) {
		if ((r = nl_get_nsid(&n->host, hint->fd, &nsid, e)) < 0)
			return r;
		if (nsid == cur->be[BE_PEER_NSID])
			return nn_jail_sock(n, hint->name, hint->fd, out, e);
		return jnet_err_set(e, ENOENT, cur->jail_if, "the jail end is not inside jail '%s'",
		    hint->name);
	}
	for (int i = 0; i < NN_JAILSOCKS; i++)
		if (n->js[i].nl.sock != NULL &&
		    nl_get_nsid(&n->host, n->js[i].fd, &nsid, e) == 0 &&
		    nsid == cur->be[BE_PEER_NSID]) {
			*out = &n->js[i].nl;
			return 0;
		}
	jnet_err_clear(e);
	if (cur->where_jail[0] != '\0')
		return nn_jail_sock(n, cur->where_jail, -1, out, e);
	if ((r = find_netns(n, (int)cur->be[BE_PEER_NSID], out, e)) != -ENOENT)
		return r;
	return jnet_err_set(e, ENOENT, cur->jail_if,
	    "the jail end is in a network namespace that has no name in %s (pid:N?); name it: jnet detach %s JAIL",
	    NETNS_DIR, cur->jail);
}

/* The kernel takes no target netns id in requests that change or move a device, so the
 * jail end is changed from a socket inside the namespace it is in (by its index there,
 * whatever a jail renamed it to). */
int
nn_link_move(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    const struct jnet_jail *from, struct jnet_err *e)
{
	struct nn *n = priv;
	struct jnet_link_info cur;
	struct nl *src, *jnl;
	int r;

	if ((r = link_refresh(n, l, &cur, e)) < 0)
		return r;
	if (cur.be[BE_PEER_IFINDEX] <= 0)
		return jnet_err_set(e, ENODEV, l->host_if, "the pair has no jail end");
	if (j == NULL && cur.where == JNET_WHERE_HOST)
		return 0;
	if ((r = peer_sock(n, &cur, from, &src, e)) < 0)
		return r;
	r = nn_set_link(src, &(struct nn_change){ .ifindex = (int)cur.be[BE_PEER_IFINDEX],
	    .name = cur.jail_if, .nsfd = j ? &j->fd : &n->self_fd,
	    .what = j ? "move into jail" : "move back to host" }, e);
	if (r < 0) {
		if (r == -EEXIST)
			return jnet_err_set(e, EEXIST, cur.jail_if,
			    "an interface of that name is already in the %s; refusing to move it",
			    j ? "jail" : "host");
		return r;
	}
	if (j == NULL)
		return 0;
	/* A move takes the device down; no rc(8) inside a netns brings it up again. */
	if ((r = nn_jail_sock(n, j->name, j->fd, &jnl, e)) < 0)
		return r;
	return nn_set_link(jnl, &(struct nn_change){ .name = cur.jail_if, .up = NN_UP,
	    .what = "set up in jail" }, e);
}

/* One change (up/down, MTU) to both ends of a link: the jail end wherever it is, then the
 * host end. */
static int
both_ends(struct nn *n, const struct jnet_link_info *l, enum nn_updown up, unsigned mtu,
    const char *jail_what, const char *host_what, struct jnet_err *e)
{
	struct jnet_link_info cur;
	struct nl *pnl;
	int r;

	if ((r = link_refresh(n, l, &cur, e)) < 0)
		return r;
	if (cur.be[BE_PEER_IFINDEX] > 0) {
		if ((r = peer_sock(n, &cur, NULL, &pnl, e)) < 0)
			return r;
		r = nn_set_link(pnl, &(struct nn_change){ .ifindex = (int)cur.be[BE_PEER_IFINDEX],
		    .name = cur.jail_if, .up = up, .mtu = mtu, .what = jail_what }, e);
		if (r < 0)
			return r;
	}
	return nn_set_link(&n->host, &(struct nn_change){ .ifindex = (int)cur.be[BE_HOST_IFINDEX],
	    .name = cur.host_if, .up = up, .mtu = mtu, .what = host_what }, e);
}

int
nn_link_set_up(void *priv, const struct jnet_link_info *l, bool up, struct jnet_err *e)
{
	return both_ends(priv, l, up ? NN_UP : NN_DOWN, 0,
	    up ? "set jail end up" : "set jail end down", up ? "set up" : "set down", e);
}

int
nn_link_set_mtu(void *priv, const struct jnet_link_info *l, unsigned mtu, struct jnet_err *e)
{
	return both_ends(priv, l, NN_KEEP, mtu, "set the jail end's MTU", "set MTU", e);
}
