# Kernel calls of one jnet command, from the model's trace of it
# ($JNET_MODEL_TRACE=FILE with $JNET_MODEL_TRACE_LISTS=1: "PID K OP OBJ [fork=JID]" per
# primitive call, "PID K RET R" for its answer, "PID K LIST N" for a listing's size,
# "PID K KLDLOAD 1" when a module was loaded, "PID K RMW 1" for a read-modify-write).
#
# A primitive of src/fbsd/fbsd.h is one kernel operation, but some operations are more than
# one system call in the real implementation (src/fbsd/*.c); this table says how many, so
# the counts are those a FreeBSD host would see (truss -c):
#   SIOCSIFFLAGS with RMW (set_up)     SIOCGIFFLAGS + SIOCSIFFLAGS (read-modify-write:
#                                      fbsd_if_set_up); without (fbsd_if_set_flags) 1
#   SIOCGIFGROUP, SIOCGIFGMEMB         1 with room for 16 entries; a longer list: 1 + the
#                                      size query + the fetch (ifnet.c group_query)
#   BRDGGIFS                           the size, then the list (SIOCGDRVSPEC; 1 when empty)
#   NET_RT_IFLIST (fbsd_if_get_mac)    SIOCGIFINDEX + sysctl NET_RT_IFLIST of that index
#                                      into 2 KB (a bigger answer: + 2, never in a link)
#   getifaddrs                         sysctl NET_RT_IFLIST twice, of every interface
#   jail_get NAME (fbsd_jail_getid)    jail_get(2), straight (jail.c)
#   jail_get PARAM (labs: jail_getv)   libjail: jailparam_init x2 + jail_get(2)
#   jail_get lastjid (fbsd_jail_list)  jail_get(2) once per jail, and once more (ENOENT)
#   kldload M (fbsd_kld_ensure)        modfind(2), + kldload(2) when not loaded
#   NGM_* (fbsd_ng_*)                  NgSendMsg, + NgAllocRecvMsg for a reply (the ones
#                                      that answer, and only when the send succeeded);
#                                      the first of a process: + NgMkSockNode (socket(2))
#   fork=JID                           fork(2) (+ jail_attach(2) for a jail): the real
#                                      primitive runs in a child (ifnet.c in_vnet, lab.c)
#                                      that makes its own socket(2)
#   jail_attach (fbsd_jail_exec)       jail_attach(2) + execvp(3)
#   IOCTL+IOCTL (fbsd_jail_if_probe)   each ioctl named, in the one child
#   any other ioctl                    1 (the first ioctl of a process: + its socket(2))
# Output, sorted: "KIND NAME N" per call name, "kind KIND N" per kind, "total N", and
# "listed N": the entries all listings returned (what grows with the host's size).
function add(kind, name, n) {
	if (n <= 0)
		return
	c[kind " " name] += n
	k[kind] += n
	total += n
}
function flush(   op, obj, n, nlist, lists, np, parts, x) {
	if (cur == "")
		return
	split(cur, f, " ")
	op = f[3]
	obj = f[4]
	nlist = haslist ? list : -1
	lists = nlist > 0
	if (cur ~ / fork=[0-9]+$/) {
		add("fork", "fork", 1)
		add("socket", "socket (in the child)", 1)
		if (cur !~ / fork=0$/)
			add("libjail", "jail_attach", 1)
	}
	if (op == "kldload") {
		add("kld", "modfind", 1)
		if (kld)
			add("kld", "kldload", 1)
	} else if (op == "jail_get" && obj == "lastjid") {
		add("libjail", "jail_get", (nlist < 0 ? 0 : nlist) + 1)
	} else if (op == "jail_get" && (obj == "host.hostname" || obj == "children.cur")) {
		add("libjail", "jailparam_init", 2)
		add("libjail", "jail_get", 1)
	} else if (op == "jail_get") {
		add("libjail", "jail_get", 1)
	} else if (op ~ /^jail_/) {
		add("libjail", op, 1)
		if (op == "jail_attach")
			add("exec", "execvp", 1)
	} else if (op ~ /^NGM_/) {
		if (!ngsock++)
			add("socket", "NgMkSockNode", 1)
		add("netgraph", "NgSendMsg " op, 1)
		if (op ~ /^NGM_(NODEINFO|LISTHOOKS|LISTNODES|LISTNAMES|EIFACE_GET_IFNAME|EIFACE_GET_IFADDRS|BRIDGE_GET_STATS)$/ && ret >= 0)
			add("netgraph", "NgAllocRecvMsg " op, 1)
	} else if (op == "getifaddrs" || op == "NET_RT_DUMP") {
		add("sysctl", op == "getifaddrs" ? "NET_RT_IFLIST" : op, 2)
	} else if (op == "sysctl") {
		add("sysctl", obj, 1)
	} else if (op == "NET_RT_IFLIST") {
		ioctl("SIOCGIFINDEX", 1)
		add("sysctl", "NET_RT_IFLIST", 1)
	} else if (op == "SIOCSIFFLAGS" && rmw) {
		ioctl("SIOCGIFFLAGS", 1)
		ioctl("SIOCSIFFLAGS", 1)
	} else if (op == "SIOCGIFGROUP" || op == "SIOCGIFGMEMB") {
		ioctl(op, nlist > 16 ? 3 : 1)
	} else if (op == "BRDGGIFS") {
		ioctl(op, lists ? 2 : 1)
	} else if (op ~ /^SIOC[A-Z]+(\+SIOC[A-Z]+)+$/) {
		# several ioctls in one child (fbsd_jail_if_probe): each counts
		np = split(op, parts, "+")
		for (x = 1; x <= np; x++)
			ioctl(parts[x], 1)
	} else if (op == "RTM_ADD") {
		add("socket", "routing socket write", 1)
	} else {
		ioctl(op, 1)
	}
	if (nlist > 0)
		listed += nlist
	cur = ""
}
function ioctl(name, n) {
	if (cur !~ / fork=/ && !ifsock++)
		add("socket", "socket", 1)
	add("ioctl", name, n)
}
$3 == "RET" { ret = $4; next }
$3 == "LIST" { haslist = 1; list = $4; next }
$3 == "KLDLOAD" { kld = 1; next }
$3 == "RMW" { rmw = 1; next }
$3 == "GREW" { next }
{
	flush()
	cur = $0
	ret = 0
	haslist = 0
	kld = 0
	rmw = 0
}
END {
	flush()
	for (x in c)
		print x, c[x] | "sort"
	close("sort")
	for (x in k)
		print "kind", x, k[x] | "sort"
	close("sort")
	print "total", total + 0
	print "listed", listed + 0
}
