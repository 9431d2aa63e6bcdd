# Sourced by t_foreign.sh, t_kill.sh and t_safety.sh after lib.sh: a host full of foreign
# objects, and dumps of every namespace to prove that jnet left them exactly as they were.
#
# The promise these helpers check (issue 9): jnet changes or removes only objects that carry
# its tag (or, in the crash window, an untagged object in group 27246 named exactly as jnet
# names it for that jail). Everything else -- hand-made bridges and their ports, foreign
# veths in group 27246, interfaces named like ours without our tag, namespaces named like
# lab jails, aliases that start with "jnet/" but do not parse -- must stay byte for byte.
#
# Kernel state is read with iproute2 (`ip -d -j`), never through jnet.
WORK=$(mktemp -d)
at_exit_rm "$WORK"
G=27246
# the interpreter itself, not a version manager's shim (which costs a fork of bash per call)
PY=$(python3 -c 'import sys; print(sys.executable)')

# The comparison, in Python: dumps are JSON; volatile fields (counters, timers, address
# lifetimes) are dropped; objects are keyed by namespace and ifindex.
cat > "$WORK/snapcmp.py" <<'PY'
import json, os, re, sys

# A tag jnet writes (version 1 or 2): anything else in an alias is foreign text.
TAG = re.compile(r'^jnet/[12] (link \S+ [0-9]+ [ab] \S+|bridge \S+ \S+|jail \S+ \S+)( \S+=\S*)*$')
VOLATILE = re.compile(r'(^stats|timer$|_timer|^topology_change|^tcn|lifetime|life_time|^used$|^expires$)')

def load(d, ns, what):
    p = os.path.join(d, ns, what + ".json")
    try:
        with open(p) as f:
            t = f.read().strip()
        return json.loads(t) if t else []
    except (OSError, ValueError):
        return None

def scrub(o):
    if isinstance(o, dict):
        return {k: scrub(v) for k, v in o.items() if not VOLATILE.search(k)}
    if isinstance(o, list):
        return [scrub(v) for v in o]
    return o

def nslist(d):
    out = {}
    with open(os.path.join(d, "ns")) as f:
        for line in f:
            n, ino = line.split()
            out[n] = ino
    return out

def tag_of(l):
    return l.get("ifalias", "")

def tagged_for(l, jails):
    a = tag_of(l)
    if not TAG.match(a):
        return False
    w = a.split(" ")
    if "*" in jails:
        return True
    if w[1] == "link":
        return w[5] in jails
    return ("bridge:" + w[3]) in jails or "bridges" in jails

def flat(o, pre=""):
    if isinstance(o, dict):
        r = {}
        for k, v in o.items():
            r.update(flat(v, pre + k + "."))
        return r
    if isinstance(o, list) and any(isinstance(x, (dict, list)) for x in o):
        r = {}
        for i, v in enumerate(o):
            r.update(flat(v, pre + str(i) + "."))
        return r
    return {pre[:-1]: o}

def main():
    mode, base, now = sys.argv[1], sys.argv[2], sys.argv[3]
    skip = set(os.environ.get("SNAP_SKIP", "").split())     # "NS:IFNAME" or "IFNAME" (host)
    jails = set(os.environ.get("SNAP_OWN", "").split())     # jails whose own objects may change
    skipns = set(os.environ.get("SNAP_SKIPNS", "").split())  # namespaces not compared
    crash = os.environ.get("SNAP_CRASH", "") == "1"         # untagged newcomers allowed in group
    bad = []
    bns, nns = nslist(base), nslist(now)
    for ns, ino in sorted(bns.items()):
        where = "host" if ns == "-" else "netns " + ns
        if ns in skipns:
            continue
        if "*" in jails and ns != "-":
            lo = [l for l in (load(base, ns, "link") or []) if l.get("ifname") == "lo"]
            if lo and TAG.match(tag_of(lo[0])):
                continue    # a namespace jnet made (a lab jail)
        if ns not in nns:
            bad.append("%s: namespace removed" % where)
            continue
        if nns[ns] != ino:
            bad.append("%s: namespace replaced (inode %s -> %s)" % (where, ino, nns[ns]))
            continue
        bl, nl = load(base, ns, "link"), load(now, ns, "link")
        if nl is None:
            bad.append("%s: cannot be dumped any more" % where)
            continue
        bidx = {l["ifindex"]: l for l in bl}
        nidx = {l["ifindex"]: l for l in nl}
        foreign = {}
        for i, l in bidx.items():
            n = l["ifname"]
            if n in skip and ns == "-" or (ns + ":" + n) in skip or tagged_for(l, jails):
                continue
            foreign[i] = n
        for i, n in sorted(foreign.items(), key=lambda x: x[1]):
            if i not in nidx:
                bad.append("%s: %s (ifindex %d): removed" % (where, n, i))
                continue
            a, b = flat(scrub(bidx[i])), flat(scrub(nidx[i]))
            for k in sorted(set(a) | set(b)):
                if a.get(k) != b.get(k):
                    bad.append("%s: %s (ifindex %d): %s: %r -> %r" % (where, n, i, k, a.get(k), b.get(k)))
        if mode == "strict":
            for i, l in sorted(nidx.items()):
                if i in bidx:
                    continue
                a = tag_of(l)
                if TAG.match(a):
                    continue
                if crash and l.get("group") in ("27246", 27246):
                    continue
                bad.append("%s: %s (ifindex %d): new interface without jnet's tag (alias %r)" % (where, l["ifname"], i, a))
        fnames = set(foreign.values())
        for what in ("addr",):
            ba, na = load(base, ns, what) or [], load(now, ns, what) or []
            def addrs(lst, idx):
                s = set()
                for l in lst:
                    if l.get("ifindex") not in foreign:
                        continue
                    for ai in l.get("addr_info", []):
                        ai = scrub(ai)
                        s.add("%s %s/%s %s" % (foreign[l["ifindex"]], ai.get("local"), ai.get("prefixlen"),
                                               json.dumps(ai, sort_keys=True)))
                return s
            bs, ns_ = addrs(ba, bidx), addrs(na, nidx)
            for x in sorted(bs - ns_):
                bad.append("%s: address gone: %s" % (where, x))
            for x in sorted(ns_ - bs):
                bad.append("%s: address added: %s" % (where, x))
        for what in ("route4", "route6"):
            br, nr = load(base, ns, what) or [], load(now, ns, what) or []
            def routes(lst):
                s = set()
                for r in lst:
                    if "dev" in r and r["dev"] not in fnames:
                        continue
                    s.add(json.dumps(scrub(r), sort_keys=True))
                return s
            bs, ns_ = routes(br), routes(nr)
            for x in sorted(bs - ns_):
                bad.append("%s: %s gone: %s" % (where, what, x))
            for x in sorted(ns_ - bs):
                bad.append("%s: %s added: %s" % (where, what, x))
    if mode == "strict":
        for ns in sorted(set(nns) - set(bns) - skipns):
            lo = load(now, ns, "link") or []
            tags = [tag_of(l) for l in lo if l.get("ifname") == "lo"]
            if not tags or not TAG.match(tags[0]):
                bad.append("netns %s: new namespace without jnet's tag on its lo" % ns)
    for b in bad:
        print(b)
    return 1 if bad else 0

sys.exit(main())
PY

# empty_sandbox: remove every interface and namespace of the sandbox (jnet's or not), wait
# until the kernel has finished, and turn IPv6 DAD off (addresses settle at once).
empty_sandbox() {
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do ip netns del "$ns"; done
	for i in $(ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}'); do
		[ "$i" = lo ] || ip link del "$i" 2>/dev/null
	done
	n=0
	while [ "$(ip -o link show | wc -l)" -gt 1 ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# snap DIR: dump every namespace (the host as "-", and each of `ip netns list`).
snap() {
	rm -rf "$1"; mkdir -p "$1/-"
	: > "$1/ns"
	echo "- $(stat -L -c %i /proc/self/ns/net)" >> "$1/ns"
	ip -d -j link show > "$1/-/link.json" 2>/dev/null
	ip -j addr show > "$1/-/addr.json" 2>/dev/null
	ip -4 -j route show table all > "$1/-/route4.json" 2>/dev/null
	ip -j -6 route show table all > "$1/-/route6.json" 2>/dev/null
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		mkdir -p "$1/$ns"
		echo "$ns $(stat -L -c %i "/run/netns/$ns" 2>/dev/null || echo none)" >> "$1/ns"
		ip -n "$ns" -d -j link show > "$1/$ns/link.json" 2>/dev/null
		ip -n "$ns" -j addr show > "$1/$ns/addr.json" 2>/dev/null
		ip -n "$ns" -4 -j route show table all > "$1/$ns/route4.json" 2>/dev/null
		ip -n "$ns" -j -6 route show table all > "$1/$ns/route6.json" 2>/dev/null
	done
}

# baseline: take the reference dump, once the kernel has settled (two dumps a moment apart
# must agree: that also proves the filter of volatile fields is good enough).
baseline() {
	_bn=0
	snap "$WORK/base"
	while :; do
		sleep 0.3
		snap "$WORK/base2"
		"$PY" "$WORK/snapcmp.py" strict "$WORK/base" "$WORK/base2" > "$WORK/settle" && break
		_bn=$((_bn + 1))
		if [ $_bn -ge 20 ]; then
			fail "baseline: the dumps do not settle: $(cat "$WORK/settle")"
			break
		fi
		mv "$WORK/base2" "$WORK/base"
	done
}

# unchanged DESC [CRASH]: every foreign object of the baseline is still there, unchanged;
# new interfaces in the baseline's namespaces carry jnet's tag (CRASH 1: or are in its
# group, right after a crash). SNAP_SKIP, SNAP_OWN, SNAP_SKIPNS: see snapcmp.py.
unchanged() {
	snap "$WORK/now"
	if SNAP_CRASH=${2:-0} "$PY" "$WORK/snapcmp.py" strict "$WORK/base" "$WORK/now" > "$WORK/diff"; then
		pass
	else
		fail "$1: foreign objects changed:
$(sed 's/^/    /' "$WORK/diff")"
	fi
}

# before; after DESC [CRASH]: like baseline and unchanged, for one command: every object that
# carried jnet's tag before it ran (and every namespace jnet made) is left out.
before() { snap "$WORK/pre"; }
after() {
	snap "$WORK/now"
	if SNAP_CRASH=${2:-0} SNAP_OWN="* ${SNAP_OWN:-}" "$PY" "$WORK/snapcmp.py" strict "$WORK/pre" "$WORK/now" > "$WORK/diff"; then
		pass
	else
		fail "$1: foreign objects changed:
$(sed 's/^/    /' "$WORK/diff")"
	fi
}

# The host full of foreign objects. em0 and em1 are free uplinks lent to jnet (they are
# expected to change: SNAP_SKIP). Everything else is someone else's.
foreign_world() {
	# DAD off, so link-local addresses do not change state while we look
	sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	ip link show em0 >/dev/null 2>&1 || mk_uplink em0 00:11:22:33:44:55
	ip link show em1 >/dev/null 2>&1 || mk_uplink em1 00:11:22:33:44:66
	# a hand-made bridge with two ports, one of them em2 (a would-be uplink)
	ip link add br0 type bridge
	ip link set br0 address 02:b0:00:00:00:01
	ip link add em2 type veth peer name em2p
	ip link add hp1 type veth peer name hp1p
	ip link set em2 master br0
	ip link set hp1 master br0
	for i in br0 em2 em2p hp1 hp1p; do ip link set "$i" up; done
	ip addr add 192.0.2.1/24 dev br0
	ip route add 198.51.100.0/24 via 192.0.2.254 dev br0
	# a foreign veth pair in jnet's group, with names jnet never gives
	ip link add fv0 group $G type veth peer name fv1 group $G
	ip link set fv0 up; ip link set fv1 up
	# named like ours, but not ours: e0a_web outside the group, e1a_web in it with a foreign alias
	ip link add e0a_web type veth peer name e0b_web
	ip link add e1a_web group $G type veth peer name e1b_web group $G
	ip link set e1a_web alias "my e1a_web, hands off"
	ip link set e1b_web alias "my e1b_web, hands off"
	ip link set e1a_web up
	# a foreign namespace named like a lab jail (no tag on its lo), with a link to the host
	ip netns add demo.web
	ip netns exec demo.web sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	ip link add fx0 type veth peer name fx1 netns demo.web
	ip addr add 203.0.113.1/30 dev fx0
	ip link set fx0 up
	ip -n demo.web link set lo up
	ip -n demo.web link set fx1 up
	ip -n demo.web addr add 203.0.113.2/30 dev fx1
	ip -n demo.web route add default via 203.0.113.1
	# a foreign bridge in jnet's group named exactly like lab demo's bridge lan, foreign alias;
	# and an untagged one in the group named like a bridge of lab lab2 (not in lab2's file)
	ip link add demo_lan group $G type bridge
	ip link set demo_lan alias "hand-made lan"
	ip link set demo_lan address 02:b0:00:00:00:02
	ip link add lab2_old group $G type bridge
	ip link set lab2_old address 02:b0:00:00:00:03
	# aliases that start with "jnet/" but do not parse, in the group, for jail web
	ip link add junk0 group $G type veth peer name junk1 group $G
	ip link set junk0 alias "jnet/2 link netns x a web"
	ip link set junk1 alias "jnet/9 link netns 0 b web"
	ip link add e2a_web group $G type veth peer name e2b_web group $G
	ip link set e2a_web alias "jnet/2 link"
	ip link set e2b_web alias "jnet/"
}

# foreign_teardown: remove what foreign_world made (not the uplinks), to make it anew.
foreign_teardown() {
	for i in br0 em2 hp1 fv0 fv1 e0a_web e1a_web fx0 demo_lan lab2_old junk0 junk1 e2a_web e2b_web; do
		ip link del "$i" 2>/dev/null
	done
	ip netns del demo.web 2>/dev/null
	_w=0
	while ip link show fx0 >/dev/null 2>&1 && [ $_w -lt 50 ]; do sleep 0.1; _w=$((_w + 1)); done
}

# in_group [-n NS]: the names of the interfaces in jnet's group, sorted, one line.
in_group() {
	ip "$@" -o link show group $G 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | sort | tr '\n' ' '
}

# jnet_tagged JAIL [-n NS]: interfaces whose alias is a link tag of JAIL.
jnet_tagged() {
	j=$1; shift
	ip "$@" -o link show 2>/dev/null | awk -v j="$j" '
	    { n = split($0, a, " alias jnet/"); if (n < 2) next; split(a[2], w, " ");
	      # w: VERSION link BACKEND INDEX END JAIL [KEY=VALUE...]
	      if (w[2] == "link" && w[6] == j) { sub(/^[0-9]+: /, ""); sub(/[@:].*/, ""); print } }' | sort | tr '\n' ' '
}

# rcis DESC WANT COMMAND...: the exit status is WANT (stderr shown otherwise).
rcis() {
	d=$1 want=$2; shift 2
	"$@" >"$OUT" 2>"$ERR"; got=$?
	cp "$ERR" "$WORK/err"
	if [ "$got" -eq "$want" ]; then pass; else fail "$d: exit $got, expected $want; stderr: $(cat "$ERR")"; fi
}

# rcsane DESC COMMAND...: jnet's own status (0, 1 or 2), never a crash or a signal.
rcsane() {
	d=$1; shift
	"$@" >"$OUT" 2>"$ERR"; got=$?
	cp "$ERR" "$WORK/err"
	if [ "$got" -le 2 ]; then pass; else fail "$d: exit $got (a crash?); stderr: $(cat "$ERR")"; fi
	return $got
}

# mkns NAME: a namespace of the test's own, with DAD off (addresses settle at once).
mkns() {
	ip netns add "$1" && ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0
}

# names DESC WORD...: the stderr of the last rcis/rcsane names every WORD (fixed strings).
names() {
	d=$1; shift
	for w in "$@"; do
		if ! grep -qF -- "$w" "$WORK/err"; then
			fail "$d: the error does not name '$w': $(cat "$WORK/err")"
			return
		fi
	done
	pass
}

# shape DESC CMD JAIL OBJECT: the last error reads "jnet: CMD JAIL: OBJECT: reason".
shape() {
	if grep -qF -- "jnet: $2 $3: $4: " "$WORK/err"; then pass; else
		fail "$1: expected 'jnet: $2 $3: $4: <reason>', got: $(cat "$WORK/err")"
	fi
}
