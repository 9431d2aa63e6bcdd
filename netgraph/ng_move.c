/* The netgraph backend: a link's interface moved between host and jail, set up, MTU. */
#include "ng_priv.h"

/* The jail the link's interface is in, for moves and flags: from get_link, else l->jail. */
static int
away_jail(const struct jnet_link_info *l, const struct jnet_link_info *cur,
    const struct lx *lx, int *jid, bool *dying, const char **name, struct jnet_err *e)
{
	*name = cur->where_jail[0] ? cur->where_jail : l->jail[0] ? l->jail : cur->jail;
	if (lx->jid >= 0) {
		*jid = lx->jid;
		*dying = lx->dying;
		return 0;
	}
	if ((*name)[0] == '\0')
		return jnet_err_set(e, ENOENT, cur->host_if,
		    "its interface is in a jail the host cannot name");
	return fbc_jid_of(*name, jid, dying, e);
}

/* Complete a link a crash left half-built: the interface renamed like its node. */
static int
complete(struct jnet_link_info *cur, struct lx *lx, struct jnet_err *e)
{
	int r;

	if (!lx->on_host || !ng_nameable(cur->host_if) || strcmp(lx->ifname, cur->host_if) == 0)
		return 0;
	if ((r = fbsd_if_rename(lx->ifname, cur->host_if)) < 0)
		return fbc_kerr(e, r, lx->ifname, "SIOCSIFNAME %s -> %s", lx->ifname, cur->host_if);
	jnet_strlcpy(lx->ifname, cur->host_if, sizeof(lx->ifname));
	return 0;
}

/* Link l's interface into jail j (it must be on the host, or in j already: then 0). */
static int
move_in(struct jnet_link_info *cur, struct lx *lx, const struct jnet_jail *j,
    struct jnet_err *e)
{
	bool was_up;
	int r;

	if (!lx->on_host) {
		if (strcmp(cur->where_jail, j->name) == 0)
			return 0;
		return jnet_err_set(e, EBUSY, lx->ifname, "already inside a jail%s%s",
		    cur->where_jail[0] ? ": " : "", cur->where_jail);
	}
	if ((r = complete(cur, lx, e)) < 0)
		return r;
	/* Its flags, as get_link read them in this command (or read now). */
	was_up = lx->up;
	if (!lx->up_known && (r = fbsd_if_get_up(FBSD_HOST, lx->ifname, &was_up)) < 0)
		return fbc_kerr(e, r, lx->ifname, "SIOCGIFFLAGS");
	return fbc_into_jail(lx->ifname, j, was_up, e);
}

/* Link l's interface home from the jail it is in (on the host already: 0). */
static int
move_home(const struct jnet_link_info *l, const struct jnet_link_info *cur,
    const struct lx *lx, struct jnet_err *e)
{
	const char *jname;
	bool dying;
	int r, jid;

	if (lx->on_host)
		return 0;
	if ((r = away_jail(l, cur, lx, &jid, &dying, &jname, e)) < 0)
		return r;
	/*
	 * A jail's root may rename the interface (to another link's name, say): what it is
	 * called in there is the jail's word. It comes home only under its node's name, the
	 * host's fact, or another link would take it for its own interface.
	 */
	if (cur->host_if[0] != '[' && strcmp(lx->ifname, cur->host_if) != 0)
		return jnet_err_set(e, EPERM, cur->host_if,
		    "its interface is called %s inside jail %s, not %s: jnet brings it home only "
		    "under its own name (rename it back inside the jail)", lx->ifname, jname,
		    cur->host_if);
	if (dying || !lx->up_known || lx->jid != jid)
		return fbc_from_jail(lx->ifname, jid, jname, dying, e);
	/* Its flags in the jail, as get_link read them in this command: not asked again. */
	if ((r = fbc_home_free(lx->ifname, jname, e)) < 0)
		return r;
	return fbc_from_jail_up(lx->ifname, jid, jname, lx->up, e);
}

int
ng_link_move(void *priv, const struct jnet_link_info *l, const struct jnet_jail *j,
    const struct jnet_jail *from, struct jnet_err *e)
{
	struct jnet_link_info cur;
	struct lx lx;
	int r;

	(void)priv;
	(void)from; /* the eiface is found by its node, wherever it is */
	if ((r = link_now(l, &cur, &lx, e)) < 0)
		return r;
	return j != NULL ? move_in(&cur, &lx, j, e) : move_home(l, &cur, &lx, e);
}

int
ng_link_set_up(void *priv, const struct jnet_link_info *l, bool up, struct jnet_err *e)
{
	struct jnet_link_info cur;
	struct lx lx;
	const char *how = up ? "up" : "down";
	const char *jname;
	bool dying, now;
	int r, jid;

	(void)priv;
	if ((r = link_now(l, &cur, &lx, e)) < 0)
		return r;
	if (lx.on_host) {
		if (up && (r = complete(&cur, &lx, e)) < 0)
			return r;
		now = lx.up; /* as get_link read it in this command, or read now */
		if (!lx.up_known && (r = fbsd_if_get_up(FBSD_HOST, lx.ifname, &now)) < 0)
			return fbc_kerr(e, r, lx.ifname, "SIOCGIFFLAGS");
		if (now == up)
			return 0;
		r = fbsd_if_set_up(FBSD_HOST, lx.ifname, up);
		return r < 0 ? fbc_kerr(e, r, lx.ifname, "SIOCSIFFLAGS %s", how) : 0;
	}
	if ((r = away_jail(l, &cur, &lx, &jid, &dying, &jname, e)) < 0)
		return r;
	if (dying) {
		if (up)
			return jnet_err_set(e, EBUSY, jname,
			    "jail is being removed; its interfaces cannot be set up");
		return 0; /* a dying jail cannot be entered; its interfaces go down with it */
	}
	now = lx.up;
	if ((!lx.up_known || lx.jid != jid) && (r = fbsd_if_get_up(jid, lx.ifname, &now)) < 0)
		return fbc_kerr(e, r, lx.ifname, "SIOCGIFFLAGS inside jail %s", jname);
	if (now == up)
		return 0;
	r = fbsd_if_set_up(jid, lx.ifname, up);
	return r < 0 ? fbc_kerr(e, r, lx.ifname, "SIOCSIFFLAGS %s inside jail %s", how, jname) : 0;
}

/* The MTU of a link's eiface, on the host or inside its jail (repair, addm -M). */
int
ng_link_set_mtu(void *priv, const struct jnet_link_info *l, unsigned mtu, struct jnet_err *e)
{
	struct jnet_link_info cur;
	struct lx lx;
	const char *jname = "";
	bool dying = false;
	int r, jid = FBSD_HOST;

	(void)priv;
	if ((r = get_link(l->host_if, &cur, &lx, e)) < 0)
		return r;
	if (!lx.on_host) {
		if ((r = away_jail(l, &cur, &lx, &jid, &dying, &jname, e)) < 0)
			return r;
		if (dying)
			return jnet_err_set(e, EBUSY, jname,
			    "jail is being removed; its interfaces cannot be changed");
	}
	r = fbsd_if_set_mtu(jid, lx.ifname, mtu);
	return r < 0 ? fbc_kerr(e, r, lx.ifname, "SIOCSIFMTU %u%s%s", mtu,
	    jid != FBSD_HOST ? " inside jail " : "", jname) : 0;
}
