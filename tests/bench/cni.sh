#!/bin/sh
# Contenders "cni", "cni-hl", "jnet-cni", "jnet-cni-hl": a CNI plugin, one exec per jail, as a
# container runtime calls it (CNI_COMMAND=ADD on up, DEL on down).
#
#   sh cni.sh up|down LIST [bridge|jnet] [none|host-local]
#
# LIST: see ipscript.sh. The plugin: "bridge" (default) is Debian's reference plugin
# (containernetworking-plugins; CNI_PLUGIN overrides /usr/lib/cni/bridge); "jnet" is jnet in
# its CNI mode ($JNET, run as the plugin: the same config with "type": "jnet").
#
# Configuration: the existing bridge, isGateway false, ipMasq false. IPAM "none" (default):
# "ipam": {} (L2 only: the other contenders set no address either). IPAM "host-local":
# Debian's host-local plugin, one /21 per bridge (2046 addresses; bridge B gets
# 10.(B/32).((B%32)*8).0/21), its dataDir in $CNI_BENCH_HLDIR (run.sh: a directory in its
# private /run), network name bench-hlB; down also checks that host-local holds no lease any
# more (DEL reached the IPAM plugin).
# The jail end's MAC comes from the runtime config (`mac`, the CNI "mac" capability), which
# both plugins honour; the reference plugin cannot choose the host end's MAC (it keeps a
# kernel-random one and a random veth<hex> name), so the end-state check does not look at it.
set -eu
usage() { echo "usage: cni.sh up|down LIST [bridge|jnet] [none|host-local]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 4 ] || usage
TYPE=${3:-bridge} IPAM=${4:-none}
case $TYPE in
bridge) PLUGIN=${CNI_PLUGIN:-/usr/lib/cni/bridge} ;;
jnet) PLUGIN=${JNET:?JNET must name the jnet binary} ;;
*) usage ;;
esac
case $IPAM in
none) ;;
host-local) HLDIR=${CNI_BENCH_HLDIR:?CNI_BENCH_HLDIR must name host-local dataDir} ;;
*) usage ;;
esac

case $1 in
up) export CNI_COMMAND=ADD ;;
down) export CNI_COMMAND=DEL ;;
*) usage ;;
esac
# IPAM plugins are looked up in CNI_PATH: Debian's directory for both plugins.
export CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni

# The plugin prints its result (JSON) on stdout; on failure an error object, which we keep
# for the message.
out=${TMPDIR:-/tmp}/cni-bench.$$
trap 'rm -f "$out"' EXIT
while read -r k ns jmac hmac br; do
	if [ "$IPAM" = none ]; then
		name=bench ipam='{}'
	else
		b=${br#bjbr}
		name=bench-hl$b
		ipam="{\"type\":\"host-local\",\"dataDir\":\"$HLDIR\",\"ranges\":[[{\"subnet\":\"10.$((b / 32)).$((b % 32 * 8)).0/21\"}]]}"
	fi
	# A here-document: dash writes a small one into a pipe without forking.
	if ! CNI_CONTAINERID="bench-$ns" CNI_NETNS="/run/netns/$ns" "$PLUGIN" >"$out" <<CONF
{"cniVersion":"1.0.0","name":"$name","type":"$TYPE","bridge":"$br","isGateway":false,"ipMasq":false,"ipam":$ipam,"runtimeConfig":{"mac":"$jmac"}}
CONF
	then
		echo "cni $TYPE $CNI_COMMAND $ns: $(cat "$out")" >&2
		exit 1
	fi
done < "$2"

# host-local keeps one file per leased address (named by the address) in dataDir/NAME.
if [ "$IPAM" = host-local ] && [ "$1" = down ]; then
	held=$(find "$HLDIR" -type f -name '[0-9]*.[0-9]*.[0-9]*.[0-9]*' 2>/dev/null | wc -l)
	if [ "$held" -ne 0 ]; then
		echo "cni $TYPE DEL: host-local still holds $held lease(s) in $HLDIR" >&2
		exit 1
	fi
fi
