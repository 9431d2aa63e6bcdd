#!/bin/sh
# Three jails on one bridge, pinging each other. Runs inside a private network namespace
# (use .ci/demo, or tests/integration/sandbox.sh): it never touches the host's network.
set -eu
JNET=${1:-jnet}
say() { printf '\n$ %s\n' "$*"; "$@"; }

export JNET_MAC_SALT=demo   # stable MACs for this demo, whatever the machine
ip link set lo up
# A stand-in for the host's NIC: one end of a veth pair.
ip link add em0 type veth peer name em0-wire
ip link set em0 up; ip link set em0-wire up

for j in web db cache; do ip netns add $j; done
echo "jails (network namespaces): $(ip netns list | cut -d' ' -f1 | tr '\n' ' ')"

say "$JNET" addm web em0
say "$JNET" addm db em0
say "$JNET" addm cache em0
say "$JNET" show -l
say "$JNET" bridge list

n=1
for j in web db cache; do
	ip -n $j link set lo up
	ip -n $j addr add 192.0.2.$n/24 dev e0b_$j
	echo "$j: e0b_$j 192.0.2.$n/24"
	n=$((n + 1))
done
for from in web db cache; do
	for to in 1 2 3; do
		ip netns exec $from ping -c 1 -W 2 -q 192.0.2.$to >/dev/null &&
		    echo "ping $from -> 192.0.2.$to: ok" || { echo "ping $from -> 192.0.2.$to: FAILED"; exit 1; }
	done
done

say "$JNET" destroy web
say "$JNET" destroy db
say "$JNET" destroy cache
say "$JNET" bridge del em0bridge
echo
echo "left behind by jnet: $(ip -o link show group 27246 | wc -l) interfaces"
