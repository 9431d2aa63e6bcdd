#!/bin/sh
# Contender "ipscript": what a jib-style shell script does on Linux, one `ip` command per
# step per jail.
#
#   sh ipscript.sh up|down LIST
#
# LIST has one line per jail: "K NETNS JAIL_MAC HOST_MAC BRIDGE" (run.sh writes it). The
# jail netns and the bridges exist. up: a veth pair e0a_NETNS/e0b_NETNS (jib's names), MACs
# on both ends, the jail end moved into its netns and renamed eth0, the host end on its
# bridge, both ends up. down: one `ip link del` per jail (the peer goes with it).
# Stops at the first failing command, like a script under `set -e`.
set -eu
[ $# -eq 2 ] || { echo "usage: ipscript.sh up|down LIST" >&2; exit 2; }

case $1 in
up)
	while read -r k ns jmac hmac br; do
		ip link add "e0a_$ns" type veth peer name "e0b_$ns"
		ip link set "e0b_$ns" address "$jmac"
		ip link set "e0a_$ns" address "$hmac"
		ip link set "e0b_$ns" netns "$ns"
		ip -n "$ns" link set "e0b_$ns" name eth0
		ip link set "e0a_$ns" master "$br"
		ip link set "e0a_$ns" up
		ip -n "$ns" link set eth0 up
	done < "$2"
	;;
down)
	while read -r k ns jmac hmac br; do
		ip link del "e0a_$ns"
	done < "$2"
	;;
*)
	echo "usage: ipscript.sh up|down LIST" >&2
	exit 2
	;;
esac
