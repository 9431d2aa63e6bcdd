# Every example lab comes up as the contract says (names, tags, addresses without DAD,
# routes, forwarding), an all-pairs ping matrix passes (IPv4 and IPv6, across the router,
# along the point-to-point chain), exec passes exit statuses through, graph renders, and
# down (with the file, or -n LAB) leaves nothing.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

PAIR=$LABS/pair.yaml ROUTER=$LABS/router.yaml P2P=$LABS/p2p.yaml

# jail_ok LAB JAIL: the namespace exists, its loopback is up and carries the lab's jail tag.
jail_ok() {
	t "$1.$2: netns with lo up and the jail tag" nlc -n "$1.$2" link lo up "alias=jnet/2 jail netns $1"
}
# bridged_ok LAB JAIL INDEX BRIDGE-IFNAME: both ends named, tagged, up; host end on the bridge.
bridged_ok() {
	ns=$1.$2
	t "$ns: jail end $3 inside, up, tagged" nlc -n "$ns" link "$(jnet name "$ns" "$3" b)" up \
	    group=27246 netns-peer "alias^=jnet/2 link netns $3 b $ns"
	t "$ns: host end $3 on $4, up, tagged" nlc link "$(jnet name "$ns" "$3" a)" up master="$4" \
	    group=27246 netns-peer "alias^=jnet/2 link netns $3 a $ns"
}
# p2p_ok LAB JAIL INDEX: the jail end of a point-to-point link, its peer in another netns.
p2p_ok() {
	ns=$1.$2
	t "$ns: p2p end $3 inside, up, tagged" nlc -n "$ns" link "$(jnet name "$ns" "$3" b)" up \
	    group=27246 netns-peer "alias^=jnet/2 link netns $3 b $ns"
}
# addr_ok NS INDEX ADDR...: each address on the interface, none tentative (no DAD).
addr_ok() {
	ns=$1 ifn=$(jnet name "$1" "$2" b); shift 2
	for a in "$@"; do
		t "$ns $ifn: has $a" sh -c "ip -n '$ns' -o addr show dev '$ifn' | grep -q ' $a '"
	done
	eq "$ns $ifn: no global address waits for DAD" "" \
	    "$(ip -n "$ns" -o addr show dev "$ifn" scope global tentative)"
}
# route_ok NS FAMILY TO VIA: exactly one such route.
route_ok() {
	eq "$1: one route $3 via $4" 1 "$(ip -n "$1" "$2" route show "$3" | grep -c "^$3 via $4 ")"
}
fwd_ok() {
	eq "$1: IPv4 forwarding $2" "$2" "$(ip netns exec "$1" sysctl -n net.ipv4.conf.all.forwarding)"
	eq "$1: IPv6 forwarding $2" "$2" "$(ip netns exec "$1" sysctl -n net.ipv6.conf.all.forwarding)"
}

# ---------------------------------------------------------------- pair
st "status before up: incomplete" 1 jnet lab status "$PAIR"
eq "status before up: everything missing" "bridge lan0
jail a
jail b" "$(lab_missing "$PAIR")"
nothing_at_all "status created nothing"

host_sysctls() {
	sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding net.ipv4.conf.all.rp_filter \
	    net.ipv6.conf.default.addr_gen_mode 2>/dev/null
}
host_sysctls > "$WORK/sysctl-before"
t "pair: up" jnet lab up "$PAIR"
eq "pair: up is quiet when not on a terminal" "" "$(cat "$OUT" "$ERR")"
host_sysctls > "$WORK/sysctl-after"
same "pair: no sysctl of the host touched" "$WORK/sysctl-before" "$WORK/sysctl-after"
for j in a b; do
	eq "pair: host end of $j has no IPv6 at all" "" \
	    "$(ip -6 -o addr show dev "$(jnet name pair.$j 0 a)")"
	mac=$(nlc -n pair.$j get "$(jnet name pair.$j 0 b)" mac)
	ll=$(python3 -c 'import sys, ipaddress
m = [int(x, 16) for x in sys.argv[1].split(":")]
b = bytes([0xfe, 0x80, 0, 0, 0, 0, 0, 0, m[0] ^ 2, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]])
print(ipaddress.IPv6Address(b))' "$mac")
	eq "pair: jail end of $j: its address and its EUI-64 link-local only (no autoconfiguration)" \
	    "$(printf '%s\n' "$ll/64" "fd00:0:0:1::$([ $j = a ] && echo 1 || echo 2)/64" | sort)" \
	    "$(ip -n pair.$j -6 -o addr show dev "$(jnet name pair.$j 0 b)" | awk '{print $4}' | sort)"
done
t "pair: status complete" lab_complete "$PAIR"
eq "pair: bridge named <lab>_<bridge>" pair_lan0 "$(lab_bridge "$PAIR" lan0)"
t "pair: bridge is a tagged bridge, up" nlc link pair_lan0 kind=bridge up group=27246 \
    "alias^=jnet/2 bridge netns pair"
eq "pair: its namespaces" "pair.a
pair.b" "$(lab_netns pair)"
for j in a b; do
	jail_ok pair $j
	bridged_ok pair $j 0 pair_lan0
	fwd_ok pair.$j 0
done
addr_ok pair.a 0 10.0.0.1/24 fd00:0:0:1::1/64
addr_ok pair.b 0 10.0.0.2/24 fd00:0:0:1::2/64
eq "pair: bridge has exactly two ports" 2 "$(nlc count master pair_lan0)"
"$JNET" -j lab status "$PAIR" > "$WORK/pair.json"
eq "pair: status JSON names the jail ends as 'jnet name' does" \
    "$(jnet name pair.a 0 b) $(jnet name pair.b 0 b)" \
    "$(json '" ".join(f["ifname"] for j in d["jails"] for f in j["interfaces"])' "$WORK/pair.json")"
eq "pair: status JSON MAC is the kernel's" "$(nlc -n pair.a get "$(jnet name pair.a 0 b)" mac)" \
    "$(json 'd["jails"][0]["interfaces"][0]["mac"]' "$WORK/pair.json")"
eq "pair: status JSON addresses" "10.0.0.1/24 fd00:0:0:1::1/64" \
    "$(json '" ".join(d["jails"][0]["interfaces"][0]["addresses"])' "$WORK/pair.json")"
ping_matrix "$PAIR" "a b" "10.0.0.1 10.0.0.2 fd00:0:0:1::1 fd00:0:0:1::2"

# exec: runs inside the jail's namespace, exit status passed through
t "exec sees the jail's namespace" jnet lab exec "$PAIR" a -- readlink /proc/self/ns/net
eq "exec: same netns as /run/netns/pair.a" "$(ip netns exec pair.a readlink /proc/self/ns/net)" "$(cat "$OUT")"
t "exec: the jail's interfaces" jnet lab exec "$PAIR" b -- ip -o link show
eq "exec: lo and the jail end only" "lo $(jnet name pair.b 0 b)" \
    "$(awk -F': ' '{sub(/@.*/, "", $2); printf "%s%s", (NR > 1 ? " " : ""), $2}' "$OUT")"
st "exec: exit status 7 passed through" 7 jnet lab exec "$PAIR" a -- sh -c 'exit 7'
st "exec: a failing ping's status passed through" 1 jnet lab exec "$PAIR" a -- ping -n -c 1 -W 1 10.0.0.99
tf "exec: command not found" 127 "nosuchcommand" jnet lab exec "$PAIR" a -- nosuchcommand
jnet_err "exec: jail not in the lab" "nosuch: no such jail" jnet lab exec "$PAIR" nosuch -- true
t "exec: arguments passed verbatim" jnet lab exec "$PAIR" a -- printf '%s|' 'two words' '$HOME' ''
eq "exec: argv intact" 'two words|$HOME||' "$(cat "$OUT")"

t "pair: graph | dot -Tsvg" sh -c "'$JNET' lab graph '$PAIR' | dot -Tsvg > '$WORK/pair.svg'"
t "pair: the SVG is an SVG" grep -q '<svg' "$WORK/pair.svg"

t "pair: down" jnet lab down "$PAIR"
lab_gone "pair: after down" pair pair_lan0
nothing_at_all "pair: after down"
st "pair: status after down: incomplete" 1 jnet lab status "$PAIR"
t "pair: down again is a no-op success" jnet lab down "$PAIR"
jnet_err "exec after down fails" "pair.a" jnet lab exec "$PAIR" a -- true

# ---------------------------------------------------------------- router
t "router: up" jnet lab up "$ROUTER"
t "router: status complete" lab_complete "$ROUTER"
for b in lan0 lan1; do
	eq "router: bridge $b named router_$b" "router_$b" "$(lab_bridge "$ROUTER" $b)"
	t "router: router_$b tagged bridge" nlc link "router_$b" kind=bridge up group=27246 \
	    "alias^=jnet/2 bridge netns router"
done
for j in router a1 a2 b1 b2; do jail_ok router $j; done
bridged_ok router router 0 router_lan0
bridged_ok router router 1 router_lan1
bridged_ok router a1 0 router_lan0
bridged_ok router a2 0 router_lan0
bridged_ok router b1 0 router_lan1
bridged_ok router b2 0 router_lan1
eq "router: lan0 has 3 ports" 3 "$(nlc count master router_lan0)"
eq "router: lan1 has 3 ports" 3 "$(nlc count master router_lan1)"
t "router: explicit MAC on the router's lan1 interface" \
    nlc -n router.router link "$(jnet name router.router 1 b)" mac=02:00:00:00:02:01
addr_ok router.router 0 10.0.1.1/24 fd00:0:0:1::1/64
addr_ok router.router 1 10.0.2.1/24 fd00:0:0:2::1/64
addr_ok router.a1 0 10.0.1.11/24 fd00:0:0:1::11/64
addr_ok router.b2 0 10.0.2.12/24 fd00:0:0:2::12/64
fwd_ok router.router 1
for j in a1 a2; do
	fwd_ok router.$j 0
	route_ok router.$j -4 default 10.0.1.1
	route_ok router.$j -6 default fd00:0:0:1::1
done
for j in b1 b2; do
	route_ok router.$j -4 default 10.0.2.1
	route_ok router.$j -6 default fd00:0:0:2::1
done
ping_matrix "$ROUTER" "router a1 a2 b1 b2" \
    "10.0.1.1 10.0.2.1 10.0.1.11 10.0.1.12 10.0.2.11 10.0.2.12
     fd00:0:0:1::1 fd00:0:0:2::1 fd00:0:0:1::11 fd00:0:0:1::12 fd00:0:0:2::11 fd00:0:0:2::12"
t "router: a1 reaches b2 through the router" jnet lab exec "$ROUTER" a1 -- ping -n -c 1 -W 2 10.0.2.12
eq "router: the reply crossed one router (ttl 63)" 1 "$(grep -c 'ttl=63 ' "$OUT")"
t "router: graph | dot -Tsvg" sh -c "'$JNET' lab graph '$ROUTER' | dot -Tsvg > '$WORK/router.svg'"
t "router: the SVG is an SVG" grep -q '<svg' "$WORK/router.svg"

# down -n LAB: without the file
t "router: down -n router" jnet lab down -n router
lab_gone "router: after down -n" router router_lan0 router_lan1
nothing_at_all "router: after down -n"
t "router: down -n again is a no-op success" jnet lab down -n router
jnet_err "down -n with a name that is not a lab name" "\.\./x" jnet lab down -n ../x

# ---------------------------------------------------------------- p2p
t "p2p: up" jnet lab up "$P2P"
t "p2p: status complete" lab_complete "$P2P"
for j in r1 r2 r3 r4; do jail_ok p2p $j; done
p2p_ok p2p r1 0
p2p_ok p2p r2 0
p2p_ok p2p r2 1
p2p_ok p2p r3 0
p2p_ok p2p r3 1
p2p_ok p2p r4 0
eq "p2p: no interface of the lab on the host (no bridge, no host end)" "" "$(lab_host_ifaces p2p)"
eq "p2p: r1 has one link" 1 "$(nlc -n p2p.r1 count group 27246)"
eq "p2p: r2 has two links" 2 "$(nlc -n p2p.r2 count group 27246)"
addr_ok p2p.r1 0 10.9.1.1/30 fd00:0:9:1::1/64
addr_ok p2p.r2 0 10.9.1.2/30 fd00:0:9:1::2/64
addr_ok p2p.r2 1 10.9.2.1/30 fd00:0:9:2::1/64
addr_ok p2p.r3 0 10.9.2.2/30 fd00:0:9:2::2/64
addr_ok p2p.r3 1 10.9.3.1/30 fd00:0:9:3::1/64
addr_ok p2p.r4 0 10.9.3.2/30 fd00:0:9:3::2/64
# The veth peer of r2's second end is r3's first end: same peer ifindex both ways.
r2if=$(jnet name p2p.r2 1 b) r3if=$(jnet name p2p.r3 0 b)
eq "p2p: r2's second end is paired with r3's first end" \
    "$(ip -n p2p.r3 -o link show "$r3if" | sed 's/^\([0-9]*\):.*/\1/')" \
    "$(ip -n p2p.r2 -o link show "$r2if" | sed 's/^[0-9]*: [^@]*@if\([0-9]*\):.*/\1/')"
route_ok p2p.r1 -4 default 10.9.1.2
route_ok p2p.r1 -6 default fd00:0:9:1::2
route_ok p2p.r2 -4 10.9.3.0/30 10.9.2.2
route_ok p2p.r2 -6 fd00:0:9:3::/64 fd00:0:9:2::2
route_ok p2p.r3 -4 10.9.1.0/30 10.9.2.1
route_ok p2p.r3 -6 fd00:0:9:1::/64 fd00:0:9:2::1
route_ok p2p.r4 -4 default 10.9.3.1
route_ok p2p.r4 -6 default fd00:0:9:3::1
fwd_ok p2p.r2 1
fwd_ok p2p.r3 1
fwd_ok p2p.r1 0
ping_matrix "$P2P" "r1 r2 r3 r4" \
    "10.9.1.1 10.9.1.2 10.9.2.1 10.9.2.2 10.9.3.1 10.9.3.2
     fd00:0:9:1::1 fd00:0:9:1::2 fd00:0:9:2::1 fd00:0:9:2::2 fd00:0:9:3::1 fd00:0:9:3::2"
t "p2p: r1 reaches r4 over three hops" jnet lab exec "$P2P" r1 -- ping -n -c 1 -W 2 10.9.3.2
eq "p2p: the reply crossed two routers (ttl 62)" 1 "$(grep -c 'ttl=62 ' "$OUT")"
t "p2p: graph | dot -Tsvg" sh -c "'$JNET' lab graph '$P2P' | dot -Tsvg > '$WORK/p2p.svg'"
t "p2p: the SVG is an SVG" grep -q '<svg' "$WORK/p2p.svg"
t "p2p: down" jnet lab down "$P2P"
lab_gone "p2p: after down" p2p
nothing_at_all "p2p: after down"

# ---------------------------------------------------------------- three labs at once
t "pair, router and p2p up together" sh -c "'$JNET' lab up '$PAIR' && '$JNET' lab up '$ROUTER' && '$JNET' lab up '$P2P'"
for f in "$PAIR" "$ROUTER" "$P2P"; do t "$(basename "$f"): complete beside the others" lab_complete "$f"; done
t "router: down beside the others" jnet lab down "$ROUTER"
lab_gone "router: down beside the others" router router_lan0 router_lan1
t "pair untouched by router's down" lab_complete "$PAIR"
t "p2p untouched by router's down" lab_complete "$P2P"
t "pair still pings" jnet lab exec "$PAIR" b -- ping -n -c 1 -W 2 fd00:0:0:1::1
t "p2p still pings end to end" jnet lab exec "$P2P" r4 -- ping -n -c 1 -W 2 fd00:0:9:1::1
t "pair: down -n" jnet lab down -n pair
t "p2p: down -n" jnet lab down -n p2p
nothing_at_all "all three down"
finish
