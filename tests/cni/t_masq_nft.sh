# ipMasq (src/cni_masq.c): jnet's own nftables table inet jnet-cni, one rule per (network,
# container ID, address); idempotent add, del of a missing one succeeds, the table goes with
# its last rule, gc keeps the listed container IDs; foreign tables are never touched.
# And the rule does masquerade: a container reaches a network that has no route back.
. "$(dirname "$0")/ipamlib.sh"

command -v nft >/dev/null 2>&1 || { echo "SKIP: nft not installed (Debian: nftables)"; exit 77; }
if ! nft add table inet jnet-probe 2>"$ERR" || ! nft delete table inet jnet-probe 2>>"$ERR"; then
	echo "SKIP: nftables unusable in this kernel: $(cat "$ERR")"
	exit 77
fi

rules() { nft -j list ruleset | jq -r '.nftables[] | select(.rule and .rule.family == "inet" and
    .rule.table == "jnet-cni" and .rule.chain == "masq") | "\(.rule.comment)=\(.rule.expr[0].match.right)"' |
    sort | tr '\n' ' '; }
tables() { nft -j list ruleset | jq -r '.nftables[] | select(.table) | "\(.table.family):\(.table.name)"' |
    sort | tr '\n' ' '; }

# Foreign tables, one with a look-alike comment and one named like ours in family ip.
nft -f - <<'NFT' || { echo "setup failed"; exit 1; }
table ip foreign {
	chain post {
		type nat hook postrouting priority 100;
		ip saddr 10.88.0.5 masquerade comment "jnet-cni net1 cid1"
	}
}
table ip jnet-cni {
	chain c {
		ip saddr 10.88.0.6 counter comment "jnet-cni net1 cid2"
	}
}
NFT
nft list table ip foreign >"$TMP/foreign.before"
nft list table ip jnet-cni >"$TMP/ipjnet.before"

eq "no table of ours at first" "ip:foreign ip:jnet-cni " "$(tables)"
t "del when nothing exists: success" drv masq del net1 cid1 10.88.0.5/16
t "gc when nothing exists: success" drv gc net1
t "add" drv masq add net1 cid1 10.88.0.5/16
t "add again" drv masq add net1 cid1 10.88.0.5/16
eq "one rule after two adds" "jnet-cni net1 cid1=10.88.0.5 " "$(rules)"
eq "our table exists" "inet:jnet-cni ip:foreign ip:jnet-cni " "$(tables)"
eq "postrouting: multicast returns, then goto masq" "224.0.0.0/4 ff00::/8 masq" \
    "$(nft -j list chain inet jnet-cni postrouting | jq -r '.nftables[] | select(.rule) | .rule.expr[0] |
        if .match then "\(.match.right.prefix.addr)/\(.match.right.prefix.len)" else .goto.target end' | tr '\n' ' ' | sed 's/ $//')"
t "rule: saddr, daddr outside the subnet, masquerade" sh -c \
    "nft list chain inet jnet-cni masq | grep -Fq 'ip saddr 10.88.0.5 ip daddr != 10.88.0.0/16 masquerade comment \"jnet-cni net1 cid1\"'"
t "add IPv6 for the same container" drv masq add net1 cid1 fd88::5/64
t "add another container" drv masq add net1 cid2 10.88.0.6/16
t "add the same address for a third container" drv masq add net1 cid3 10.88.0.6/16
t "add on another network" drv masq add net2 cidx 10.89.0.9/24
eq "five rules" "jnet-cni net1 cid1=10.88.0.5 jnet-cni net1 cid1=fd88::5 jnet-cni net1 cid2=10.88.0.6 jnet-cni net1 cid3=10.88.0.6 jnet-cni net2 cidx=10.89.0.9 " "$(rules)"
t "del one address" drv masq del net1 cid1 10.88.0.5/16
t "del it again: success" drv masq del net1 cid1 10.88.0.5/16
t "del of cid2's address leaves cid3's rule for the same address" drv masq del net1 cid2 10.88.0.6/16
eq "after dels" "jnet-cni net1 cid1=fd88::5 jnet-cni net1 cid3=10.88.0.6 jnet-cni net2 cidx=10.89.0.9 " "$(rules)"
t "add cid4" drv masq add net1 cid4 10.88.0.7/16
t "gc net1 keeping cid1" drv gc net1 cid1 cidx
eq "gc removed net1's other containers, not net2's" "jnet-cni net1 cid1=fd88::5 jnet-cni net2 cidx=10.89.0.9 " "$(rules)"
t "gc net1 keeping nothing" drv gc net1
eq "only net2 left" "jnet-cni net2 cidx=10.89.0.9 " "$(rules)"
t "del the last one" drv masq del net2 cidx 10.89.0.9/24
eq "our table removed with its last rule" "ip:foreign ip:jnet-cni " "$(tables)"
nft list table ip foreign >"$TMP/foreign.after"
nft list table ip jnet-cni >"$TMP/ipjnet.after"
t "foreign table untouched" cmp "$TMP/foreign.before" "$TMP/foreign.after"
t "ip jnet-cni (not ours: family ip) untouched" cmp "$TMP/ipjnet.before" "$TMP/ipjnet.after"

tf "network name with a space: refused" 22 "network name 'a b' has a character" drv masq add "a b" c1 10.1.0.2/24
tf "container ID with a quote: refused" 22 "container ID 'c\"1' has a character" drv masq add n1 'c"1' 10.1.0.2/24
long=$(printf '%0120d' 0)
tf "too long for a comment: refused" 36 "longer than 118 characters" drv masq add n1 "$long" 10.1.0.2/24
eq "nothing created by refused adds" "ip:foreign ip:jnet-cni " "$(tables)"
nft delete table ip foreign && nft delete table ip jnet-cni

# Parallel adds and dels serialise on the lock: every add lands, and the last del removes the
# table (unserialised, two dels could each see the other's rule and leave the table behind).
export JNET_RUNDIR="$TMP/run"
pids=""
for i in $(seq 1 12); do drv masq add par c$i 10.90.0.$i/24 & pids="$pids $!"; done
st=0; for p in $pids; do wait "$p" || st=1; done
eq "12 parallel adds succeed" 0 $st
eq "12 rules" 12 "$(nft -j list chain inet jnet-cni masq | jq '[.nftables[] | select(.rule)] | length')"
t "the lock file is in JNET_RUNDIR" test -f "$TMP/run/cni.masq"
pids=""
for i in $(seq 1 12); do drv masq del par c$i 10.90.0.$i/24 & pids="$pids $!"; done
st=0; for p in $pids; do wait "$p" || st=1; done
eq "12 parallel dels succeed" 0 $st
eq "table removed after parallel dels" "" "$(tables)"
unset JNET_RUNDIR

# --- traffic: container c (10.88.0.5/16) -> sandbox host (router) -> network o
# (192.0.2.0/24) that has no route back to 10.88.0.0/16: only masquerading makes it work.
ip netns add c && ip netns add o &&
    ip link add vc type veth peer name eth0 netns c && ip link add vo type veth peer name eth0 netns o &&
    ip addr add 10.88.0.1/16 dev vc && ip addr add 192.0.2.1/24 dev vo &&
    ip link set vc up && ip link set vo up &&
    ip -n c addr add 10.88.0.5/16 dev eth0 && ip -n c link set eth0 up &&
    ip -n c route add default via 10.88.0.1 &&
    ip -n o addr add 192.0.2.2/24 dev eth0 && ip -n o link set eth0 up &&
    sysctl -qw net.ipv4.ip_forward=1 || { echo "traffic setup failed"; exit 1; }
ping1() { ip netns exec c ping -c1 -W1 -q 192.0.2.2 >/dev/null 2>&1; }
t "without masquerading: no reply (o has no route back)" sh -c '! ip netns exec c ping -c1 -W1 -q 192.0.2.2'
t "masq add" drv masq add net1 cid1 10.88.0.5/16
t "with masquerading: reply" ping1
t "masq del" drv masq del net1 cid1 10.88.0.5/16
ip netns exec c true # (conntrack entries of the old flow expire; a new ID makes a new flow)
t "after del: no reply again" sh -c '! ip netns exec c ping -c1 -W1 -q -p 01 192.0.2.2'
ip netns del c; ip netns del o
finish
