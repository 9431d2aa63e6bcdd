#!/bin/sh
# Contender "cni": the CNI reference bridge plugin (Debian's containernetworking-plugins),
# one exec per jail, as a container runtime calls it.
#
#   sh cni.sh up|down LIST        (LIST: see ipscript.sh)
#
# Configuration: L2 only (no IPAM: the other contenders set no address either), the existing
# bridge, isGateway false. The jail end's MAC comes from the runtime config (`mac`, the
# CNI "mac" capability), which this plugin honours; the host end's MAC cannot be chosen
# (the plugin has no setting for it), so the host end keeps a kernel-random MAC and the
# end-state check does not look at it. The plugin names the host end veth<random>.
# CNI_PLUGIN overrides the plugin path (default /usr/lib/cni/bridge).
set -eu
[ $# -eq 2 ] || { echo "usage: cni.sh up|down LIST" >&2; exit 2; }
PLUGIN=${CNI_PLUGIN:-/usr/lib/cni/bridge}

case $1 in
up) export CNI_COMMAND=ADD ;;
down) export CNI_COMMAND=DEL ;;
*) echo "usage: cni.sh up|down LIST" >&2; exit 2 ;;
esac
export CNI_IFNAME=eth0 CNI_PATH="${PLUGIN%/*}"

# The plugin prints its result (JSON) on stdout; on failure an error object, which we keep
# for the message.
out=${TMPDIR:-/tmp}/cni-bench.$$
trap 'rm -f "$out"' EXIT
while read -r k ns jmac hmac br; do
	# A here-document: dash writes a small one into a pipe without forking.
	if ! CNI_CONTAINERID="bench-$ns" CNI_NETNS="/run/netns/$ns" "$PLUGIN" >"$out" <<CONF
{"cniVersion":"1.0.0","name":"bench","type":"bridge","bridge":"$br","isGateway":false,"ipMasq":false,"ipam":{},"runtimeConfig":{"mac":"$jmac"}}
CONF
	then
		echo "cni $CNI_COMMAND $ns: $(cat "$out")" >&2
		exit 1
	fi
done < "$2"
