# Sourced by the t_lab_*.sh tests after lib.sh: helpers for lab files. Kernel state is read
# with nlcheck (libnl) and iproute2, never through jnet itself, except where a test is about
# what `jnet lab status` reports.
LABS=$(cd "$(dirname "$TESTLIB")/../../examples/labs" && pwd)
WORK=$(mktemp -d)
at_exit_rm "$WORK"

# json EXPR FILE: evaluate a Python expression over the JSON document in FILE (as `d`).
json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[2])); r = eval(sys.argv[1])
print("\n".join(map(str, r)) if isinstance(r, list) else r)' "$1" "$2"
}

# lab_missing FILE: what `jnet -j lab status FILE` reports missing, one object per line,
# sorted: "bridge B", "untagged B" (there, tag not yet written: a killed up), "jail J",
# "iface J I", "down J I", "addr J I ADDR", "route J TO VIA".
# The parts of a missing jail or interface are not listed again.
lab_missing() {
	"$JNET" -j lab status "$1" > "$WORK/st.json" 2>"$WORK/st.err"
	python3 - "$WORK/st.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
out = []
for b in d["bridges"]:
    if not b["present"]:
        out.append("bridge %s" % b["name"])
    elif b.get("tagged") is False:
        out.append("untagged %s" % b["name"])
for j in d["jails"]:
    if not j["present"]:
        out.append("jail %s" % j["name"])
        continue
    for f in j["interfaces"]:
        if not f["present"]:
            out.append("iface %s %d" % (j["name"], f["index"]))
            continue
        if not f["up"]:
            out.append("down %s %d" % (j["name"], f["index"]))
        for a in f["missing_addresses"]:
            out.append("addr %s %d %s" % (j["name"], f["index"], a))
    for r in j["routes"]:
        if not r["present"]:
            out.append("route %s %s %s" % (j["name"], r["to"], r["via"]))
print("\n".join(sorted(out)))
PY
}

# lab_complete FILE: `lab status` exits 0, says complete in JSON and text, lists nothing missing.
lab_complete() {
	"$JNET" -j lab status "$1" > "$WORK/c.json" || return 1
	[ "$(json 'd["complete"]' "$WORK/c.json")" = True ] || return 1
	"$JNET" lab status "$1" > "$WORK/c.txt" || return 1
	! grep -q MISSING "$WORK/c.txt" || return 1
	[ -z "$(lab_missing "$1")" ]
}

# lab_bridge FILE NAME: the kernel name of lab bridge NAME, from `jnet -j lab status`.
lab_bridge() {
	"$JNET" -j lab status "$1" > "$WORK/b.json"
	json "[b['ifname'] for b in d['bridges'] if b['name'] == '$2'][0]" "$WORK/b.json"
}

# lab_netns LAB: the named namespaces of lab LAB ("LAB.*"), sorted.
lab_netns() {
	ip netns list | awk '{print $1}' | grep -F "$1." | grep "^$1\\." | sort
}

# lab_host_ifaces LAB: interfaces of the host namespace in jnet's group whose ownership
# tag names lab LAB (its bridges, the host ends of its links), one per line.
lab_host_ifaces() {
	ip -j -d link show group 27246 | python3 -c '
import json, sys
lab = sys.argv[1]
for l in json.load(sys.stdin):
    a = l.get("ifalias", "").split(" ")  # the tag, then its KEY=VALUE fields
    if (len(a) >= 4 and a[1] == "bridge" and a[3] == lab) or \
       (len(a) >= 6 and a[1] == "link" and a[5].startswith(lab + ".")):
        print(l["ifname"])' "$1"
}

# not_lab_in_group LAB: interfaces of the host in jnet's group that are not lab LAB's:
# neither tagged for it nor a veth whose peer lives in one of its namespaces (a crash may
# come between creating a host end and writing its tag), nor an untagged bridge named
# LAB_* (the kernel takes no alias at creation: a crash may come between creating a
# bridge and writing its tag; the lab's journal names it, up adopts it, down removes it).
not_lab_in_group() {
	ip -o link show group 27246 2>/dev/null | awk -v lab="$1" '
	    index($0, "alias jnet/2 bridge netns " lab "\\") || index($0, "alias jnet/2 bridge netns " lab " ") ||
	        $0 ~ ("alias jnet/2 bridge netns " lab "$") { next }
	    $0 ~ ("^[0-9]+: " lab "_[^:@]*: ") && $0 !~ / alias / { next }
	    index($0, " link-netns " lab ".") { next }
	    { n = split($0, a, "alias jnet/2 link netns "); if (n > 1) { split(a[2], w, " "); if (index(w[3], lab ".") == 1) next } }
	    { sub(/^[0-9]+: /, ""); sub(/[@:].*/, ""); print }'
}

# lab_gone DESC LAB: nothing of lab LAB remains: no namespace, no host interface tagged
# for it, and (when given) none of the named bridges.
lab_gone() {
	eq "$1: no namespace of lab $2" "" "$(lab_netns "$2")"
	eq "$1: no interface of lab $2 in group 27246" "" "$(lab_host_ifaces "$2")"
	shift 2
	for br in "$@"; do
		t "$1: bridge $br gone" nlc absent "$br"
	done
}

# lab_mounts: the mounts below /run/jnet/netns (the labs' tmpfs and their namespaces).
lab_mounts() {
	awk '$5 ~ "^/run/jnet/netns/" { print $5 }' /proc/self/mountinfo
}

# nothing_at_all DESC: not a single namespace, not a single interface in jnet's group.
nothing_at_all() {
	eq "$1: no namespace at all" "" "$(ip netns list)"
	eq "$1: no lab tmpfs left in /run/jnet/netns" "" "$(lab_mounts)"
	eq "$1: no interface in group 27246" 0 "$(jnet_leftovers)"
}

# ping_matrix FILE "JAILS" "ADDRESSES": every jail pings every address once (bounded).
ping_matrix() {
	for j in $2; do
		for a in $3; do
			t "$(basename "$1"): $j pings $a" "$JNET" lab exec "$1" "$j" -- ping -n -c 1 -W 2 "$a"
		done
	done
}

# macs FILE: "jail index mac" of every interface, read from the kernel with nlcheck.
macs() {
	"$JNET" -j lab status "$1" > "$WORK/m.json"
	json '["%s %s %s" % (j["jail"], f["index"], f["ifname"]) for j in d["jails"] for f in j["interfaces"]]' \
	    "$WORK/m.json" | while read -r ns i ifn; do
		echo "$ns $i $("$NLCHECK" -n "$ns" get "$ifn" mac)"
	done
}

# kstate LAB: a snapshot of the kernel state of lab LAB: in each of its namespaces the links
# (ifindex, name, flags, MAC, peer), addresses, routes, forwarding; on the host its bridges
# and host ends. For comparisons before and after.
kstate() {
	for ns in $(lab_netns "$1"); do
		echo "== $ns"
		ip -n "$ns" -o link show
		ip -n "$ns" -o addr show | awk '{print $2, $3, $4}'
		ip -n "$ns" route show
		ip -n "$ns" -6 route show
		ip netns exec "$ns" sysctl -n net.ipv4.conf.all.forwarding net.ipv6.conf.all.forwarding
	done
	for i in $(lab_host_ifaces "$1"); do ip -o link show dev "$i"; done
}

# same DESCRIPTION FILE1 FILE2: the files are identical (the diff is shown otherwise).
same() {
	if diff -u "$2" "$3" > "$WORK/diff"; then pass; else fail "$1: $(cat "$WORK/diff")"; fi
}

# st DESCRIPTION STATUS COMMAND...: the command must exit with STATUS (stderr not checked);
# its stdout and stderr are kept in $WORK/out and $WORK/err.
st() {
	d=$1 want=$2; shift 2
	"$@" >"$OUT" 2>"$ERR"; got=$?
	cp "$OUT" "$WORK/out"; cp "$ERR" "$WORK/err"
	if [ "$got" -eq "$want" ]; then pass; else fail "$d: exit $got, expected $want; stderr: $(cat "$ERR")"; fi
}

# jnet_err DESCRIPTION PATTERN COMMAND...: jnet itself refuses: a non-zero status that
# cannot be mistaken for "command not found" (127) or a signal, and a message matching PATTERN.
jnet_err() {
	d=$1 pat=$2; shift 2
	"$@" >"$OUT" 2>"$ERR"; got=$?
	if [ "$got" -eq 0 ] || [ "$got" -ge 126 ]; then
		fail "$d: exit $got, expected a jnet error status (1..125); stderr: $(cat "$ERR")"
	elif ! grep -Eq -- "$pat" "$ERR"; then
		fail "$d: stderr does not match /$pat/: $(cat "$ERR")"
	else
		pass
	fi
}

# gone_within DESC IFNAME: wait (at most 10 s) until the kernel has removed IFNAME from the
# host namespace: devices of a deleted namespace are destroyed asynchronously.
gone_within() {
	n=0
	while "$NLCHECK" link "$2" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	t "$1: the kernel removed $2" nlc absent "$2"
}
