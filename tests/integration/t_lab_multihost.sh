# Labs that span hosts (issue 14; docs/labs.md "Labs on several hosts"). Three "hosts" in
# this sandbox: each a network namespace with its own mount namespace and private /run
# (an `unshare --net --mount` child kept alive, entered with nsenter by its PID), so each
# runs jnet as if alone. The underlay: a veth per host to bridge ul0 in the sandbox's own
# namespace, 192.0.2.0/24 and 2001:db8::/64 (documentation ranges, inside this sandbox).
# One lab file across them: jails on different hosts ping each other (IPv4 and IPv6)
# through the kernel's VXLAN; a host's down leaves the others; kill -9 then down leaves
# nothing on that host.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$WORK"
}
trap cleanup EXIT

ip link add ul0 type bridge && ip link set ul0 up || { echo "SKIP: no bridge"; exit 77; }
for k in 1 2 3; do
	unshare --net --mount --propagation private sh -c '
		mount -t tmpfs -o mode=755 host /run && ip link set lo up && touch "$1" &&
		exec sleep 600' host "$WORK/ready$k" &
	eval "P$k=$!"
	PIDS="$PIDS $!"
done
for k in 1 2 3; do
	n=0
	while [ ! -e "$WORK/ready$k" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
done
# on K CMD...: run CMD on host K (its network and mount namespaces).
on() { k=$1; shift; eval "nsenter -t \$P$k --net --mount -- \"\$@\""; }
jon() { k=$1; shift; on "$k" "$JNET" "$@"; }
# xping K FILE JAIL [ping args] DEST: from JAIL on host K, bounded (ping -c 2 -W 2), tried
# up to 3 times: the first neighbour discovery over a new tunnel may lose to a loaded CPU.
xping() {
	k=$1 f=$2 j=$3; shift 3
	for try in 1 2 3; do
		jon "$k" lab exec "$f" "$j" -- ping -n -c 2 -W 2 "$@" && return 0
	done
	return 1
}
for k in 1 2 3; do
	eval "pid=\$P$k"
	ip link add "u$k" type veth peer name "e$k" && ip link set "e$k" netns "$pid" &&
	    ip link set "u$k" master ul0 up || { echo "FAIL: underlay of host $k"; exit 1; }
	on "$k" ip addr add "192.0.2.$k/24" dev "e$k"
	on "$k" ip addr add "2001:db8::$k/64" dev "e$k" nodad
	on "$k" ip link set "e$k" up
done

# Can this kernel make a VXLAN interface here at all?
if ! on 1 ip link add vxprobe type vxlan id 42 dstport 4789 local 192.0.2.1 2>"$WORK/vx.err"; then
	echo "SKIP: this kernel cannot create a VXLAN interface in a network namespace: $(cat "$WORK/vx.err")"
	exit 77
fi
on 1 ip link del vxprobe

F=$LABS/multihost.yaml   # the worked example of docs/labs.md

# Which host: the local underlay address, or --host (checked against this machine).
tf "up --host of another machine is refused" 1 \
    "multihost.yaml:10:18: host 'h2': its underlay address 192.0.2.2 is not an address of this machine" \
    jon 1 lab up "$F" --host h2
tf "up --host not in the file is refused" 1 "h9: --host: no such host in" jon 1 lab up "$F" --host h9
tf "graph --host is a usage error" 2 "--host is not for lab graph: it draws every host's part" \
    jon 1 lab graph --host h1 "$F"
tf "--host twice is a usage error" 2 "--host given twice" jon 1 lab up --host h1 --host h2 "$F"
eq "nothing was made on host 1" 0 "$(on 1 "$NLCHECK" count group 27246)"
# The FreeBSD backends (on the kernel model) cannot make VXLAN ports yet: said so.
tf "epair: not supported yet" 1 "a lab that spans hosts needs VXLAN ports: not supported yet on the epair backend" \
    env JNET_MODEL_STATE="$WORK/model.json" JNET_RUNDIR="$WORK/mrun" \
    nsenter -t "$P1" --net --mount -- "$JNET_MODEL" -t epair lab up "$F"
tf "netgraph: not supported yet" 1 "a lab that spans hosts needs VXLAN ports: not supported yet on the netgraph backend" \
    env JNET_MODEL_STATE="$WORK/model.json" JNET_RUNDIR="$WORK/mrun" \
    nsenter -t "$P1" --net --mount -- "$JNET_MODEL" -t netgraph lab up "$F"

t "host 1: up (its host found by its underlay address)" jon 1 lab up "$F"
t "host 2: up --host h2" jon 2 lab up "$F" --host h2
t "host 3: up" jon 3 lab up "$F" --host h3
for k in 1 2 3; do
	t "host $k: status complete" jon "$k" lab status "$F"
done
eq "host 1 has only jail a" "mh.a" "$(on 1 ls /run/netns)"
eq "host 3 has jails c and d" "mh.c mh.d" "$(on 3 ls /run/netns | tr '\n' ' ' | sed 's/ $//')"
t "host 1 has no bridge local0 (no jail of it there)" on 1 "$NLCHECK" absent mh_local0

# The VXLAN ports: tagged, on their bridge, learning off, MTU 1500 - 50, FDB to the others.
vx0=$(on 1 ip -o link show master mh_lan0 type vxlan | awk -F': ' '{print $2}' | cut -d@ -f1)
vx1=$(on 1 ip -o link show master mh_lan1 type vxlan | awk -F': ' '{print $2}' | cut -d@ -f1)
t "host 1: lan0's VXLAN port is tagged" on 1 "$NLCHECK" link "$vx0" master=mh_lan0 up \
    "alias=jnet/2 vxlan netns mh vni=$(on 1 ip -d -o link show "$vx0" | sed 's/.*vxlan id \([0-9]*\).*/\1/')"
t "host 1: lan1's VXLAN port has the file's VNI" on 1 "$NLCHECK" link "$vx1" \
    "alias=jnet/2 vxlan netns mh vni=4242"
t "host 1: learning off" sh -c "nsenter -t $P1 --net ip -d link show $vx0 | grep -q nolearning"
t "host 1: VXLAN port MTU 1450" on 1 "$NLCHECK" link "$vx0" mtu=1450
fdb=$(on 1 bridge fdb show dev "$vx0" | grep '^00:00:00:00:00:00' | sort | tr '\n' ';')
eq "host 1: one all-zeros FDB entry per other host, with its port" \
    "00:00:00:00:00:00 dst 192.0.2.2 self permanent;00:00:00:00:00:00 dst 192.0.2.3 port 4790 self permanent;" "$fdb"
t "host 3: lan0's VXLAN port listens on 4790" sh -c \
    "nsenter -t $P3 --net ip -d link show master mh_lan0 type vxlan | grep -q 'dstport 4790'"
t "host 3: local0 has no VXLAN port" sh -c \
    "[ -z \"\$(nsenter -t $P3 --net ip -o link show master mh_local0 type vxlan)\" ]"
ja=$(on 1 "$JNET" name mh.a 0 b)
t "jail a's end on lan0 has MTU 1450" on 1 "$NLCHECK" -n mh.a link "$ja" mtu=1450
t "its bridge end too" on 1 "$NLCHECK" link "$(on 1 "$JNET" name mh.a 0 a)" mtu=1450
t "jail b's mtu 1400 on lan1 (below 1450) is kept" on 2 "$NLCHECK" -n mh.b link "$(on 2 "$JNET" name mh.b 1 b)" mtu=1400
jd=$(on 3 "$JNET" name mh.d 0 b)
t "jail d on local0 (not spanning) keeps its mtu 1500" on 3 "$NLCHECK" -n mh.d link "$jd" mtu=1500

# Across hosts, IPv4 and IPv6.
t "a (h1) -> b (h2) over lan0, IPv4" xping 1 "$F" a 10.0.0.2
t "a (h1) -> c (h3, port 4790) over lan0, IPv4" xping 1 "$F" a 10.0.0.3
t "c (h3) -> b (h2) over lan0, IPv6" xping 3 "$F" c fd00::2
t "b (h2) -> a (h1) over lan1, IPv4" xping 2 "$F" b 10.1.0.1
t "a full-size frame (1450) crosses: ping -s 1422 -M do" \
    xping 1 "$F" a -s 1422 -M do 10.0.0.2
tf "exec of a jail of another host fails, saying where it is" 125 \
    "^jnet: lab exec mh: a: jail a is on host h1, not on this host [(]h2[)]$" jon 2 lab exec "$F" a -- true

# up again changes nothing; jnet check on a host with VXLAN ports is content.
on 1 ip -o link show > "$WORK/l0"
t "host 1: up again" jon 1 lab up "$F"
on 1 ip -o link show > "$WORK/l1"
same "host 1: up again changed nothing" "$WORK/l0" "$WORK/l1"
# status compares the VXLAN port with the kernel, not the file; up repairs it.
fdb0=$(on 1 bridge fdb show dev "$vx0" | grep '^00:00:00:00:00:00' | sort | tr '\n' ';')
on 1 bridge fdb del 00:00:00:00:00:00 dev "$vx0" dst 192.0.2.3 port 4790
on 1 ip link set "$vx0" nomaster
on 1 ip link set "$vx0" mtu 1400
on 1 ip link set "$vx0" down
st "host 1: status of a VXLAN port off its bridge, down, MTU 1400, without h3's FDB entry exits 1" \
    1 jon 1 lab status "$F"
t "host 1: and says what is wrong" grep -q \
    "vxlan  lan0 .* WRONG vni [0-9]*: not on bridge mh_lan0, down, MTU 1400, not 1450, no FDB entry for 192.0.2.3" \
    "$WORK/out"
on 1 "$JNET" -j lab status "$F" > "$WORK/st.json"
eq "host 1: status JSON: the problem" "not on bridge mh_lan0, down, MTU 1400, not 1450, no FDB entry for 192.0.2.3" \
    "$(json '[b["vxlan"].get("problem") for b in d["bridges"] if b["name"] == "lan0"][0]' "$WORK/st.json")"
t "host 1: up repairs it" jon 1 lab up "$F"
t "host 1: complete again after the repair" jon 1 lab status "$F"
t "host 1: the port is on its bridge, up, MTU 1450 again" on 1 "$NLCHECK" link "$vx0" master=mh_lan0 up mtu=1450
eq "host 1: its FDB entries are back" "$fdb0" \
    "$(on 1 bridge fdb show dev "$vx0" | grep '^00:00:00:00:00:00' | sort | tr '\n' ';')"
t "a (h1) -> c (h3) over the repaired port" xping 1 "$F" a 10.0.0.3
# A port whose VNI differs from the (edited) file: status says so, up refuses.
sed 's/vni: 4242/vni: 4243/' "$F" > "$WORK/vni.yaml"
st "host 1: status with lan1's VNI edited in the file exits 1" 1 jon 1 lab status "$WORK/vni.yaml"
t "host 1: and says the VNI differs" grep -q \
    "vxlan  lan1 .* WRONG vni 4243: VNI 4242, port 4789 or local address differ from the file" "$WORK/out"
tf "host 1: up refuses a VXLAN port that differs from the file" 1 \
    "$vx1: lab mh's VXLAN port of bridge lan1 has VNI 4242 .*differ from the file [(]VNI 4243, port 4789[)]: .lab down. and .lab up. make it again" \
    jon 1 lab up "$WORK/vni.yaml"
t "host 1: and left it" on 1 "$NLCHECK" link "$vx1" "alias=jnet/2 vxlan netns mh vni=4242"

# status says which VXLAN ports are there; one removed by hand: incomplete, up restores it.
on 1 "$JNET" -j lab status "$F" > "$WORK/st.json"
eq "host 1: status JSON: the host" h1 "$(json 'd["host"]' "$WORK/st.json")"
eq "host 1: status JSON: lan0's VXLAN port" "$vx0 True 192.0.2.2,192.0.2.3" \
    "$(json '[b["vxlan"]["ifname"] + " " + str(b["vxlan"]["present"]) + " " + ",".join(b["vxlan"]["remotes"]) for b in d["bridges"] if b["name"] == "lan0"][0]' "$WORK/st.json")"
on 1 ip link del "$vx1"
st "host 1: status without lan1's VXLAN port exits 1" 1 jon 1 lab status "$F"
t "host 1: and says it is missing" grep -q "vxlan  lan1 .* MISSING vni 4242" "$WORK/out"
t "host 1: up again" jon 1 lab up "$F"
t "host 1: complete again" jon 1 lab status "$F"
t "b (h2) -> a (h1) over lan1 again" xping 2 "$F" b 10.1.0.1
t "host 1: jnet check" jon 1 check
t "host 1: jnet gc" jon 1 gc
t "host 1: gc left the VXLAN port" on 1 "$NLCHECK" link "$vx0" master=mh_lan0
t "host 1: still complete after gc" jon 1 lab status "$F"

# Another lab on this host with a bridge of the same VNI: the kernel refuses the second
# VXLAN port (same VNI, address and port); up fails naming it, down removes that lab.
sed 's/^lab: mh$/lab: mh2/; s/10\.\([0-9]\)\./10.1\1./' "$F" > "$WORK/mh2.yaml"
tf "host 1: a second lab's VXLAN port with a VNI in use is refused by the kernel" 1 \
    "jx-.*create VXLAN interface" jon 1 lab up "$WORK/mh2.yaml"
st "host 1: that lab is incomplete" 1 jon 1 lab status "$WORK/mh2.yaml"
t "host 1: its down" jon 1 lab down "$WORK/mh2.yaml"
t "host 1: lab mh still complete" jon 1 lab status "$F"

# One host's down leaves the others.
t "host 2: down --host h2" jon 2 lab down "$F" --host h2
eq "host 2: nothing of jnet left" 0 "$(on 2 "$NLCHECK" count group 27246)"
eq "host 2: no namespace left" "" "$(on 2 ls /run/netns)"
t "host 1: still complete" jon 1 lab status "$F"
t "host 3: still complete" jon 3 lab status "$F"
t "a (h1) -> c (h3) still" xping 1 "$F" a fd00::3

# Crash window: a VXLAN port left untagged by a killed up is the lab's for down.
on 1 ip link set dev "$vx0" alias ""
t "host 1: down -n with an untagged VXLAN port" jon 1 lab down -n mh
eq "host 1: nothing of jnet left" 0 "$(on 1 "$NLCHECK" count group 27246)"

# A foreign interface with a VXLAN port's name: up refuses, down leaves it.
on 1 ip link add "$vx0" type vxlan id 7 dstport 4789 local 192.0.2.1
tf "host 1: up refuses a foreign interface with its VXLAN port's name" 1 \
    "$vx0: exists and is not lab mh's VXLAN port" jon 1 lab up "$F"
eq "host 1: and made nothing" "" "$(on 1 ls /run/netns)"
on 1 ip link set "$vx0" master ul0 2>/dev/null
t "host 1: down" jon 1 lab down "$F"
t "host 1: the foreign VXLAN interface stays" on 1 "$NLCHECK" link "$vx0"
on 1 ip link del "$vx0"
# Untagged, in jnet's group, with the port's name: only a port on the lab's bridge with
# the lab's VNI, address and port is a killed up's leftover; on no bridge or on a
# foreign one it is not the lab's: up refuses before making anything and leaves it.
on 1 ip link add fbr type bridge
for m in "" "master fbr"; do
	on 1 ip link add "$vx0" group 27246 $m type vxlan id 77 dstport 4789 local 192.0.2.1
	tf "host 1: up refuses a foreign VXLAN port in jnet's group (${m:-no bridge})" 1 \
	    "$vx0: exists and is not lab mh's VXLAN port" jon 1 lab up "$F"
	eq "host 1: and made nothing (${m:-no bridge})" "" "$(on 1 ls /run/netns)"
	t "host 1: it stays (${m:-no bridge})" on 1 "$NLCHECK" link "$vx0"
	on 1 ip link del "$vx0"
done
on 1 ip link del fbr

# kill -9 of up on host 2 at several moments, then down: nothing left there.
for delay in 0.01 0.03 0.06 0.1 0.2; do
	# nsenter execs jnet in the same process: $! is jnet itself.
	nsenter -t "$P2" --net --mount -- "$JNET" lab up "$F" &
	upid=$!
	sleep "$delay"
	kill -9 "$upid" 2>/dev/null
	wait "$upid" 2>/dev/null
	t "host 2: down after kill -9 at ${delay}s" jon 2 lab down "$F"
	eq "host 2: nothing of jnet left after kill at ${delay}s" 0 "$(on 2 "$NLCHECK" count group 27246)"
	eq "host 2: no namespace left after kill at ${delay}s" "" "$(on 2 ls /run/netns)"
done
t "host 3: down" jon 3 lab down "$F"
eq "host 3: nothing of jnet left" 0 "$(on 3 "$NLCHECK" count group 27246)"
# Deterministic: a start_if hook kills up on host 3 at jail d's port (after jail c's).
printf 'kill -9 $PPID\n' > "$HOOKDIR/start_if.$(on 3 "$JNET" name mh.d 0 a)"
st "host 3: up killed by its hook" 137 jon 3 lab up "$F"
rm -f "$HOOKDIR"/*
t "host 3: jail c was made before the kill" on 3 test -e /run/netns/mh.c
st "host 3: status: incomplete" 1 jon 3 lab status "$F"
t "host 3: up completes it" jon 3 lab up "$F"
t "host 3: complete, VXLAN port included" jon 3 lab status "$F"
t "host 3: down" jon 3 lab down "$F"
eq "host 3: nothing of jnet left after the killed up" 0 "$(on 3 "$NLCHECK" count group 27246)"

# A derived MTU below IPv6's 1280 on an interface with an IPv6 address: refused before
# anything is made, naming the underlay's MTU and the rule.
on 1 ip link set e1 mtu 1300
tf "host 1: underlay MTU 1300 (1250 for the lab) with IPv6 addresses is refused" 1 \
    "multihost.yaml:20:9: jail 'a' on bridge 'lan0' has IPv6 address fd00::1/64, but VXLAN leaves it MTU 1250 [(]underlay e1: MTU 1300 minus 50[)], below 1280, the IPv6 minimum: raise the underlay's MTU to 1330 or more" \
    jon 1 lab up "$F"
eq "host 1: and nothing was made under MTU 1300" 0 "$(on 1 "$NLCHECK" count group 27246)"
on 1 ip link set e1 mtu 1500

# An IPv6 underlay: 70 bytes of headers.
F6=$WORK/mh6.yaml
cat > "$F6" <<'YAML'
lab: mh6
hosts:
  h1: "2001:db8::1"
  h2: "2001:db8::2"
bridges:
  lan0: {}
jails:
  x: { host: h1, interfaces: [ { bridge: lan0, address: [10.6.0.1/24, "fd06::1/64"] } ] }
  y: { host: h2, interfaces: [ { bridge: lan0, address: [10.6.0.2/24, "fd06::2/64"] } ] }
YAML
t "IPv6 underlay: host 1 up" jon 1 lab up "$F6"
t "IPv6 underlay: host 2 up" jon 2 lab up "$F6"
t "IPv6 underlay: jail end MTU 1430" on 1 "$NLCHECK" -n mh6.x link "$(on 1 "$JNET" name mh6.x 0 b)" mtu=1430
t "IPv6 underlay: x -> y, IPv4" xping 1 "$F6" x 10.6.0.2
t "IPv6 underlay: y -> x, IPv6" xping 2 "$F6" y fd06::1
# An mtu over what the underlay carries is refused before anything is made.
sed 's|address: \[10.6.0.1/24, "fd06::1/64"\]|address: 10.6.0.1/24, mtu: 1450|' "$F6" > "$WORK/big.yaml"
t "IPv6 underlay: host 1 down" jon 1 lab down "$F6"
tf "an mtu over the VXLAN limit is refused" 1 "big.yaml:8:32: mtu 1450 of jail 'x' on bridge 'lan0' is over 1430" \
    jon 1 lab up "$WORK/big.yaml"
eq "and nothing was made" 0 "$(on 1 "$NLCHECK" count group 27246)"
t "IPv6 underlay: host 2 down" jon 2 lab down "$F6"
for k in 1 2 3; do
	eq "host $k: nothing of jnet left at the end" 0 "$(on "$k" "$NLCHECK" count group 27246)"
done
finish
