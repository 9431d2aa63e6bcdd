#!/bin/sh
# Contender "ipbatch": the steps of ipscript.sh, as requests of ONE `ip -batch -` process.
#
#   sh ipbatch.sh up|down LIST        (LIST: see ipscript.sh)
#
# A batch line cannot carry `-n NETNS` (ip -batch takes no options per line), so the steps
# that ipscript.sh runs inside the jail's netns (rename to eth0, up) ride in the request that
# moves the jail end: `link set DEV netns NS name eth0 up` (the kernel renames and opens the
# device once it is in the new namespace). Six requests per jail instead of eight commands.
# The lines are generated first; only `ip -batch` talks to the kernel. ip stops at the first
# failing line.
set -eu
[ $# -eq 2 ] || { echo "usage: ipbatch.sh up|down LIST" >&2; exit 2; }

case $1 in
up)
	while read -r k ns jmac hmac br; do
		echo "link add e0a_$ns type veth peer name e0b_$ns"
		echo "link set e0b_$ns address $jmac"
		echo "link set e0a_$ns address $hmac"
		echo "link set e0b_$ns netns $ns name eth0 up"
		echo "link set e0a_$ns master $br"
		echo "link set e0a_$ns up"
	done < "$2" | ip -batch -
	;;
down)
	while read -r k ns jmac hmac br; do
		echo "link del e0a_$ns"
	done < "$2" | ip -batch -
	;;
*)
	echo "usage: ipbatch.sh up|down LIST" >&2
	exit 2
	;;
esac
