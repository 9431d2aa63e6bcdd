#!/bin/sh
# VLAN uplinks against a real FreeBSD kernel, both backends: the "uplink" is one end of an
# epair the test makes (no physical NIC is touched), its other end in a vnet jail with
# vlan(4) 20 on it, 192.0.2.1. jnet addm JAIL UPLINK:20 makes the vlan(4) interface
# UPLINKv20 (if_vlan loaded on first use) and its bridge; the jail reaches 192.0.2.1 over
# VLAN 20; bridge del removes the vlan interface, never the uplink. Exit 77 (skipped)
# anywhere else, saying why.
set -u
: "${JNET:?JNET must point at the jnet binary}"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(uname -s)" = FreeBSD ] || skip "needs FreeBSD with VIMAGE, running as root (this is $(uname -s))"
[ "$(id -u)" -eq 0 ] || skip "needs FreeBSD with VIMAGE, running as root (not root)"
[ "$(sysctl -n kern.features.vimage 2>/dev/null)" = 1 ] ||
    skip "needs FreeBSD with VIMAGE, running as root (kernel without VIMAGE)"

. "$(dirname "$0")/lib.sh"

n=$(($$ % 10000))
U=u$n J=jv${n}a FAR=jv${n}f
HOOKS=$(mktemp -d)
export JNET_HOOKDIR=$HOOKS JNET_MAC_SALT=jnet-real-test

cleanup() {
	for be in epair netgraph; do
		"$JNET" -t $be destroy $J >/dev/null 2>&1
		"$JNET" -t $be bridge del ${U}v20bridge >/dev/null 2>&1
	done
	jail -r $J >/dev/null 2>&1
	jail -r $FAR >/dev/null 2>&1
	ifconfig $U destroy >/dev/null 2>&1
	rm -rf "$HOOKS"
}
trap cleanup EXIT INT TERM

kldload -n if_epair if_vlan 2>/dev/null
a=$(ifconfig epair create) || skip "cannot create an epair: $a"
b=${a%a}b
ifconfig $a name $U >/dev/null && ifconfig $U up || { fail "rename $a"; exit 1; }
jail -c name=$FAR persist vnet path=/ vnet.interface=$b || { fail "jail $FAR"; exit 1; }
jexec $FAR ifconfig $b up
jexec $FAR ifconfig vlan20 create vlan 20 vlandev $b inet 192.0.2.1/24 up ||
    { fail "vlan 20 in $FAR"; exit 1; }

for be in epair netgraph; do
	jail -c name=$J persist vnet path=/ || { fail "$be: jail $J"; break; }
	t "$be: addm $J $U:20" "$JNET" -t $be addm $J $U:20
	t "$be: ${U}v20 is vlan 20 of $U" sh -c "ifconfig ${U}v20 | grep -Eq 'vlan: 20 .*parent interface: $U'"
	t "$be: tagged" sh -c "ifconfig ${U}v20 | grep -q 'description: jnet/2 vlan $be - parent=$U vid=20'"
	t "$be: group jnet" sh -c "ifconfig -g jnet | grep -qx ${U}v20"
	t "$be: attach $J -a 192.0.2.2/24" "$JNET" -t $be attach $J -a 192.0.2.2/24
	t "$be: $J reaches 192.0.2.1 over VLAN 20" jexec $J ping -c 2 -t 5 192.0.2.1
	t "$be: destroy $J" "$JNET" -t $be destroy $J
	t "$be: bridge del ${U}v20bridge" "$JNET" -t $be bridge del ${U}v20bridge
	ifconfig ${U}v20 >/dev/null 2>&1 && fail "$be: ${U}v20 left" || pass
	t "$be: $U kept" ifconfig $U
	jail -r $J
done
[ -z "$(ifconfig -g jnet 2>/dev/null)" ] && pass || fail "left: $(ifconfig -g jnet)"
finish
