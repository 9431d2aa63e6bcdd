#!/bin/sh
# The epair backend against a real FreeBSD kernel: two persistent vnet jails, one jnet
# bridge without uplink (no physical NIC is touched), addm + attach, addresses from
# TEST-NET-1 inside the jails, a bounded ping from one jail to the other across the bridge,
# destroy, and nothing of jnet's left. Exit 77 (skipped) anywhere else, saying why.
set -u
: "${JNET:?JNET must point at the jnet binary}"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(uname -s)" = FreeBSD ] || skip "needs FreeBSD with VIMAGE, running as root (this is $(uname -s))"
[ "$(id -u)" -eq 0 ] || skip "needs FreeBSD with VIMAGE, running as root (not root)"
[ "$(sysctl -n kern.features.vimage 2>/dev/null)" = 1 ] ||
    skip "needs FreeBSD with VIMAGE, running as root (kernel without VIMAGE)"
# No kldload here: jnet loads if_epair and if_bridge itself, as ifconfig(8) does (on a box
# where they are not loaded yet, the first commands below prove it).

. "$(dirname "$0")/lib.sh"

tag=$$
J1=jnt${tag}a J2=jnt${tag}b BR=jnt${tag}br
HOOKS=$(mktemp -d)
export JNET_HOOKDIR=$HOOKS JNET_MAC_SALT=jnet-real-test

cleanup() {
	"$JNET" -t epair destroy $J1 >/dev/null 2>&1
	"$JNET" -t epair destroy $J2 >/dev/null 2>&1
	jail -r $J1 >/dev/null 2>&1
	jail -r $J2 >/dev/null 2>&1
	"$JNET" -t epair bridge del $BR >/dev/null 2>&1
	rm -rf "$HOOKS"
}
trap cleanup EXIT INT TERM

t "bridge add $BR" "$JNET" -t epair bridge add $BR
t "if_bridge is loaded" kldstat -q -m if_bridge
t "addm $J1 $BR (no jail yet: prestart)" "$JNET" -t epair addm $J1 $BR
t "if_epair is loaded" kldstat -q -m if_epair
t "jail $J1" jail -c name=$J1 persist vnet path=/
t "attach $J1 (exec.created)" "$JNET" -t epair attach $J1
t "jail $J2" jail -c name=$J2 persist vnet path=/
t "addm $J2 $BR (jail exists: jail end moved at once)" "$JNET" -t epair addm $J2 $BR
b1=$("$JNET" -t epair name $J1) b2=$("$JNET" -t epair name $J2)
t "$b1 inside $J1" jexec $J1 ifconfig $b1
t "$b2 inside $J2" jexec $J2 ifconfig $b2
t "host end of $J1 on $BR" sh -c "ifconfig $BR | grep -q 'member: $("$JNET" -t epair name $J1 0 a)'"
t "tag on the host end" sh -c "ifconfig $("$JNET" -t epair name $J1 0 a) | grep -q 'description: jnet/2 link epair 0 a $J1'"
t "group jnet" sh -c "ifconfig -g jnet | grep -q $("$JNET" -t epair name $J2 0 a)"
t "address in $J1" jexec $J1 ifconfig $b1 inet 192.0.2.1/24 up
t "address in $J2" jexec $J2 ifconfig $b2 inet 192.0.2.2/24 up
t "ping $J1 -> $J2 across $BR" jexec $J1 ping -c 2 -t 5 192.0.2.2
t "show -l" "$JNET" -t epair show -l
t "detach $J1" "$JNET" -t epair detach $J1
t "$b1 back on the host" ifconfig $b1
t "attach $J1 again" "$JNET" -t epair attach $J1
t "destroy $J1 (jail alive)" "$JNET" -t epair destroy $J1
t "jail -r $J2 (its jail end comes home)" jail -r $J2
t "destroy $J2 (jail gone)" "$JNET" -t epair destroy $J2
left=$(ifconfig -g jnet 2>/dev/null | grep -v "^$BR\$")
[ -z "$left" ] && pass || fail "jnet interfaces left: $left"
t "bridge del $BR" "$JNET" -t epair bridge del $BR
[ -z "$(ifconfig -g jnet 2>/dev/null)" ] && pass || fail "left after bridge del: $(ifconfig -g jnet)"
finish
