# `lab status` is accurate and `lab up` completes a partial lab: after one object is removed
# by hand (an interface, an address, a route, a namespace, a bridge, a port off its bridge,
# an interface set down) status reports exactly that, exit 1, and up restores the lab with
# the same MACs. `up` on a complete lab changes nothing.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

R=$LABS/router.yaml

# healed DESC: status complete again and traffic flows through the router both ways.
healed() {
	t "$1: status complete" lab_complete "$R"
	t "$1: a1 pings b2 across the router" jnet lab exec "$R" a1 -- ping -n -c 1 -W 2 10.0.2.12
	t "$1: b1 pings a2 over IPv6" jnet lab exec "$R" b1 -- ping -n -c 1 -W 2 fd00:0:0:1::12
}

t "up" jnet lab up "$R"
healed "first up"
macs "$R" > "$WORK/macs0"
kstate router > "$WORK/k0"
eq "every interface has a MAC" 6 "$(awk 'NF == 3' "$WORK/macs0" | wc -l)"

# ---------------------------------------------------------------- up twice: a no-op
t "up again" jnet lab up "$R"
kstate router > "$WORK/k1"
same "up again changed nothing in the kernel (links, ifindexes, MACs, addresses, routes)" \
    "$WORK/k0" "$WORK/k1"
macs "$R" > "$WORK/macs1"
same "up again: the same MACs" "$WORK/macs0" "$WORK/macs1"
eq "up again: still one IPv4 default route in a1" 1 "$(ip -n router.a1 route show default | wc -l)"
eq "up again: still one IPv6 default route in a1" 1 "$(ip -n router.a1 -6 route show default | wc -l)"
eq "up again: still one IPv4 address on a1" 1 \
    "$(ip -n router.a1 -4 -o addr show dev "$(jnet name router.a1 0 b)" | wc -l)"
t "up a third time" jnet lab up "$R"
eq "still six lab interfaces on the host plus two bridges" 8 "$(lab_host_ifaces router | wc -l)"

# ---------------------------------------------------------------- one interface deleted
r1=$(jnet name router.router 1 b)
ip -n router.router link del "$r1"
st "interface deleted: status exits 1" 1 jnet lab status "$R"
t "interface deleted: the text says MISSING on its line" grep -q "^ *$r1 MISSING" "$WORK/out"
eq "interface deleted: exactly that interface missing" "iface router 1" "$(lab_missing "$R")"
eq "interface deleted: JSON complete=false" False "$(json 'd["complete"]' "$WORK/st.json")"
t "interface deleted: up completes" jnet lab up "$R"
healed "interface restored"
t "interface restored: explicit MAC again" nlc -n router.router link "$r1" mac=02:00:00:00:02:01 up
t "interface restored: host end on lan1 again" nlc link "$(jnet name router.router 1 a)" master=router_lan1 up
macs "$R" > "$WORK/macs2"
same "interface restored: every MAC as before" "$WORK/macs0" "$WORK/macs2"

# ---------------------------------------------------------------- one address deleted
r0=$(jnet name router.router 0 b)
ip -n router.router addr del 10.0.1.1/24 dev "$r0"
st "IPv4 address deleted: status exits 1" 1 jnet lab status "$R"
t "IPv4 address deleted: the text marks it" grep -q "10.0.1.1/24(MISSING)" "$WORK/out"
eq "IPv4 address deleted: exactly that address missing" "addr router 0 10.0.1.1/24" "$(lab_missing "$R")"
t "IPv4 address deleted: up completes" jnet lab up "$R"
healed "IPv4 address restored"
ip -n router.router addr del fd00:0:0:2::1/64 dev "$r1"
eq "IPv6 address deleted: exactly that address missing" "addr router 1 fd00:0:0:2::1/64" "$(lab_missing "$R")"
t "IPv6 address deleted: up completes" jnet lab up "$R"
healed "IPv6 address restored"
eq "IPv6 address restored without DAD" "" "$(ip -n router.router -o addr show dev "$r1" scope global tentative)"

# ---------------------------------------------------------------- one route deleted
ip -n router.a2 route del default via 10.0.1.1
st "route deleted: status exits 1" 1 jnet lab status "$R"
t "route deleted: the text says so" grep -q "route default via 10.0.1.1 MISSING" "$WORK/out"
eq "route deleted: exactly that route missing" "route a2 default 10.0.1.1" "$(lab_missing "$R")"
t "route deleted: up completes" jnet lab up "$R"
healed "route restored"
eq "route restored: one default route" 1 "$(ip -n router.a2 route show default | wc -l)"
ip -n router.b1 -6 route del default via fd00:0:0:2::1
eq "IPv6 route deleted: exactly that route missing" "route b1 default fd00:0:0:2::1" "$(lab_missing "$R")"
t "IPv6 route deleted: up completes" jnet lab up "$R"
healed "IPv6 route restored"

# ---------------------------------------------------------------- forwarding turned off
ip netns exec router.router sysctl -qw net.ipv4.conf.all.forwarding=0
t "forwarding off: up turns it on again" jnet lab up "$R"
eq "forwarding on again" 1 "$(ip netns exec router.router sysctl -n net.ipv4.conf.all.forwarding)"
healed "forwarding restored"

# ---------------------------------------------------------------- interface set down
a1=$(jnet name router.a1 0 b)
ip -n router.a1 link set "$a1" down
st "interface down: status exits 1" 1 jnet lab status "$R"
t "interface down: the text says DOWN" grep -q "^ *$a1 DOWN" "$WORK/out"
lab_missing "$R" > "$WORK/miss"
t "interface down: reported down" grep -qx 'down a1 0' "$WORK/miss"
t "interface down: up completes" jnet lab up "$R"
healed "interface up again"

# ---------------------------------------------------------------- one namespace deleted
b2a=$(jnet name router.b2 0 a)
ip netns del router.b2
st "netns deleted: status exits 1" 1 jnet lab status "$R"
t "netns deleted: the text says MISSING" grep -q "^ *jail *b2 .*MISSING" "$WORK/out"
eq "netns deleted: exactly that jail missing" "jail b2" "$(lab_missing "$R")"
# The kernel destroys the namespace's devices asynchronously; wait (bounded) until the
# host end went with it. The immediate case is tested below.
gone_within "netns deleted" "$b2a"
t "netns deleted: up completes" jnet lab up "$R"
healed "netns restored"
t "netns restored: b2 pings a1" jnet lab exec "$R" b2 -- ping -n -c 1 -W 2 10.0.1.11
macs "$R" > "$WORK/macs3"
same "netns restored: every MAC as before" "$WORK/macs0" "$WORK/macs3"

# ---------------------------------------------------------------- a bridge deleted
ip link del router_lan1
st "bridge deleted: status exits 1" 1 jnet lab status "$R"
t "bridge deleted: the text says MISSING" grep -q "^ *bridge *lan1 .*MISSING" "$WORK/out"
eq "bridge deleted: exactly that bridge missing" "bridge lan1" "$(lab_missing "$R")"
t "bridge deleted: up completes" jnet lab up "$R"
for j in router.router:1 router.b1:0 router.b2:0; do
	t "bridge restored: ${j%:*} port ${j#*:} back on lan1" nlc link "$(jnet name "${j%:*}" "${j#*:}" a)" master=router_lan1 up
done
eq "bridge restored: lan1 has three ports" 3 "$(nlc count master router_lan1)"
healed "bridge restored"

# A fresh lab for what follows, so that one failed repair does not cascade.
fresh() {
	t "$1: down" jnet lab down "$R"
	t "$1: up" jnet lab up "$R"
	t "$1: complete" lab_complete "$R"
}
fresh "reset after the bridge test"

# ---------------------------------------------------------------- a port taken off its bridge
a2a=$(jnet name router.a2 0 a)
ip link set "$a2a" nomaster
st "port off its bridge: status exits 1 (the lab is not complete)" 1 jnet lab status "$R"
t "port off its bridge: up completes" jnet lab up "$R"
t "port off its bridge: back on lan0" nlc link "$a2a" master=router_lan0 up
ip link set "$a2a" down
st "host end down: status exits 1" 1 jnet lab status "$R"
t "host end down: up completes" jnet lab up "$R"
t "host end down: up again" nlc link "$a2a" up
t "a2 pings b1" jnet lab exec "$R" a2 -- ping -n -c 1 -W 2 10.0.2.11

fresh "reset after the port tests"

# ---------------------------------------------------------------- everything at once
ip -n router.router link del "$r1"
ip -n router.a1 addr del 10.0.1.11/24 dev "$a1"
ip netns del router.b1
eq "three things broken: status lists them (a1's IPv4 route went with its address)" \
"addr a1 0 10.0.1.11/24
iface router 1
jail b1
route a1 default 10.0.1.1" "$(lab_missing "$R")"
gone_within "three things broken" "$(jnet name router.b1 0 a)"
t "three things broken: up completes" jnet lab up "$R"
healed "all three restored"
macs "$R" > "$WORK/macs4"
same "all three restored: every MAC as before" "$WORK/macs0" "$WORK/macs4"
kstate router > "$WORK/k4"
t "all three restored: up again changes nothing" jnet lab up "$R"
kstate router > "$WORK/k5"
same "all three restored: kernel state stable" "$WORK/k4" "$WORK/k5"

# ---------------------------------------------------------------- namespace deleted, up at once
# `ip netns del` returns before the kernel has destroyed the namespace's devices; an
# immediate `up` must still succeed, and never touch an interface that is not the lab's.
for i in 1 2 3 4 5; do
	ip netns del router.b2
	t "netns deleted, up at once (round $i)" jnet lab up "$R"
	t "round $i: the bridges are still on the host" nlc link router_lan0 kind=bridge
	t "round $i: lan1 too" nlc link router_lan1 kind=bridge
done
ip netns del router.b2
gone_within "after the rounds" "$b2a"
t "after the rounds: up completes" jnet lab up "$R"
healed "after the rounds"

t "down" jnet lab down "$R"
lab_gone "down" router router_lan0 router_lan1
nothing_at_all "down"
finish
