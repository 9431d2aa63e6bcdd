#!/bin/sh
# The netgraph backend against a real FreeBSD kernel: one isolated ng_bridge (no physical
# NIC is touched), two persistent vnet jails, one link each -- the first attached by jnet
# (exec.created style), the second moved by jail(8) itself (vnet.interface, jng style) --
# addresses from TEST-NET-1, a bounded ping across the bridge, the bridge's counters,
# graph, detach/attach, destroy with the interface inside a live jail and after its jail
# is gone, and nothing of jnet's left. Exit 77 (skipped) anywhere else, saying why.
set -u
: "${JNET:?JNET must point at the jnet binary}"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(uname -s)" = FreeBSD ] || skip "needs FreeBSD with VIMAGE, running as root (this is $(uname -s))"
[ "$(id -u)" -eq 0 ] || skip "needs FreeBSD with VIMAGE, running as root (not root)"
[ "$(sysctl -n kern.features.vimage 2>/dev/null)" = 1 ] ||
    skip "needs FreeBSD with VIMAGE, running as root (kernel without VIMAGE)"
# No kldload here: jnet loads ng_socket, ng_bridge and ng_eiface itself (and ng_ether for
# an uplink), as ifconfig(8) loads cloners; the first commands below prove it. (ngctl(8)
# would load ng_socket too: it is not run before jnet.)

. "$(dirname "$0")/lib.sh"
j() { "$JNET" -t netgraph "$@"; }

tag=$$
J1=jng${tag}a J2=jng${tag}b BR=jng${tag}br
HOOKS=$(mktemp -d)
export JNET_HOOKDIR=$HOOKS JNET_MAC_SALT=jnet-real-test

cleanup() {
	j destroy $J1 >/dev/null 2>&1
	j destroy $J2 >/dev/null 2>&1
	jail -r $J1 >/dev/null 2>&1
	jail -r $J2 >/dev/null 2>&1
	j bridge del $BR >/dev/null 2>&1
	rm -rf "$HOOKS"
}
trap cleanup EXIT INT TERM

n1=$(j name $J1) n2=$(j name $J2)
t "bridge add $BR (isolated, persistent)" j bridge add $BR
t "ng_socket and ng_bridge are loaded" sh -c "kldstat -q -m ng_socket && kldstat -q -m ng_bridge"
t "ngctl sees $BR as a bridge" sh -c "ngctl info $BR: | grep -q 'Type: bridge'"
t "addm $J1 $BR (prestart: no jail yet)" j addm $J1 $BR
t "ng_eiface is loaded" kldstat -q -m ng_eiface
t "$n1 is an eiface node" sh -c "ngctl info $n1: | grep -q 'Type: eiface'"
t "$n1 is its interface's name too" sh -c "ngctl msg $n1: getifname | grep -q '\"$n1\"'"
t "tag on $n1" sh -c "ifconfig $n1 | grep -q 'description: jnet/2 link netgraph 0 a $J1'"
t "group jnet" sh -c "ifconfig -g jnet | grep -qx $n1"
t "$n1 on $BR" sh -c "ngctl show $BR: | grep -q ' $n1 '"
t "jail $J1" jail -c name=$J1 persist vnet path=/
t "attach $J1 (exec.created)" j attach $J1
t "$n1 inside $J1" jexec $J1 ifconfig $n1
t "addm $J2 $BR" j addm $J2 $BR
t "jail $J2 with vnet.interface=$n2 (jail(8) moves it)" jail -c name=$J2 persist vnet "vnet.interface=$n2" path=/
t "$n2 inside $J2" jexec $J2 ifconfig $n2
t "show -l" j show -l
t "address in $J1" jexec $J1 ifconfig $n1 inet 192.0.2.1/24 up
t "address in $J2" jexec $J2 ifconfig $n2 inet 192.0.2.2/24 up
t "ping $J1 -> $J2 across $BR" jexec $J1 ping -c 2 -t 5 192.0.2.2
t "stats $J1: the bridge counted packets on its link" sh -c \
    "\"$JNET\" -t netgraph stats $J1 | grep -q '\"recvPackets\": [1-9]'"
t "graph" sh -c "\"$JNET\" -t netgraph graph | grep -q '\"$BR\" -- \"$n1\"'"
t "detach $J1" j detach $J1
t "$n1 back on the host" ifconfig $n1
t "attach $J1 again" j attach $J1
t "destroy $J1 (interface inside a live jail: the node takes it along)" j destroy $J1
t "$n1 gone from $J1" sh -c "! jexec $J1 ifconfig $n1 >/dev/null 2>&1"
t "jail -r $J2 (its interface comes home)" jail -r $J2
t "destroy $J2 (jail gone)" j destroy $J2
left=$(ngctl list 2>/dev/null | grep -E "Name: ($n1|$n2) " || true)
[ -z "$left" ] && pass || fail "nodes left: $left"
left=$(ifconfig -g jnet 2>/dev/null)
[ -z "$left" ] && pass || fail "jnet interfaces left: $left"
t "bridge del $BR" j bridge del $BR
t "$BR gone" sh -c "! ngctl info $BR: >/dev/null 2>&1"
finish
