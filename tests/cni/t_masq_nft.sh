# ipMasq (src/cni_masq.c): jnet's own nftables table inet jnet-cni, one element per container
# address in map saddr4/saddr6 (its comment "jnet-cni NETWORK CID" the owner) jumping to a
# chain per subnet; idempotent add, del of a missing one succeeds, a del by another container
# leaves the element, a subnet chain goes with its last element and the table with the last
# of all, gc keeps the listed container IDs; foreign tables are never touched.
# And it does masquerade: a container reaches a network that has no route back.
. "$(dirname "$0")/ipamlib.sh"

command -v nft >/dev/null 2>&1 || { echo "SKIP: nft not installed (Debian: nftables)"; exit 77; }
if ! nft add table inet jnet-probe 2>"$ERR" || ! nft delete table inet jnet-probe 2>>"$ERR"; then
	echo "SKIP: nftables unusable in this kernel: $(cat "$ERR")"
	exit 77
fi

# The elements of our maps: "COMMENT=ADDRESS>CHAIN".
rules() { nft -j list ruleset | jq -r '.nftables[] | select(.map and .map.family == "inet" and
    .map.table == "jnet-cni" and .map.name != "rec") | .map.elem[]? | "\(.[0].elem.comment)=\(.[0].elem.val)>\(.[1].jump.target)"' |
    sort | tr '\n' ' '; }
chains() { nft -j list ruleset | jq -r '.nftables[] | select(.chain and .chain.family == "inet" and
    .chain.table == "jnet-cni") | .chain.name' | sort | tr '\n' ' '; }
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
eq "one element after two adds" "jnet-cni net1 cid1 eth0=10.88.0.5>out4-10.88.0.0/16 " "$(rules)"
eq "our table exists" "inet:jnet-cni ip:foreign ip:jnet-cni " "$(tables)"
nft list chain inet jnet-cni postrouting | sed -n 's/^[[:space:]]*//; /^[ip]/p' >"$TMP/post"
printf '%s\n' "ip daddr 224.0.0.0/4 return" "ip6 daddr ff00::/8 return" "ip saddr vmap @saddr4" \
    "ip6 saddr vmap @saddr6" >"$TMP/post.want"
t "postrouting: multicast returns, then the source address picks the subnet chain" \
    cmp "$TMP/post" "$TMP/post.want"
t "postrouting is a srcnat hook" sh -c \
    "nft list chain inet jnet-cni postrouting | grep -q 'type nat hook postrouting priority srcnat'"
t "subnet chain: daddr outside the subnet, masquerade" sh -c \
    "nft list chain inet jnet-cni out4-10.88.0.0/16 | grep -Fq 'ip daddr != 10.88.0.0/16 masquerade'"
t "add IPv6 for the same container" drv masq add net1 cid1 fd88::5/64
t "IPv6 subnet chain" sh -c \
    "nft list chain inet jnet-cni out6-fd88__/64 | grep -Fq 'ip6 daddr != fd88::/64 masquerade'"
t "add another container" drv masq add net1 cid2 10.88.0.6/16
t "add the same address for a third container (takes it over)" drv masq add net1 cid3 10.88.0.6/16
t "add on another network" drv masq add net2 cidx 10.89.0.9/24
eq "four elements, cid3 owns 10.88.0.6" "jnet-cni net1 cid1 eth0=10.88.0.5>out4-10.88.0.0/16 jnet-cni net1 cid1 eth0=fd88::5>out6-fd88__/64 jnet-cni net1 cid3 eth0=10.88.0.6>out4-10.88.0.0/16 jnet-cni net2 cidx eth0=10.89.0.9>out4-10.89.0.0/24 " "$(rules)"
eq "one chain per subnet" "anchor out4-10.88.0.0/16 out4-10.89.0.0/24 out6-fd88__/64 postrouting " "$(chains)"
t "del one address" drv masq del net1 cid1 10.88.0.5/16
t "del it again: success" drv masq del net1 cid1 10.88.0.5/16
t "del of cid2's address leaves cid3's element for the same address" drv masq del net1 cid2 10.88.0.6/16
eq "after dels" "jnet-cni net1 cid1 eth0=fd88::5>out6-fd88__/64 jnet-cni net1 cid3 eth0=10.88.0.6>out4-10.88.0.0/16 jnet-cni net2 cidx eth0=10.89.0.9>out4-10.89.0.0/24 " "$(rules)"
t "add cid4" drv masq add net1 cid4 10.88.0.7/16
t "gc net1 keeping cid1" drv gc net1 cid1 cidx
eq "gc removed net1's other containers, not net2's" "jnet-cni net1 cid1 eth0=fd88::5>out6-fd88__/64 jnet-cni net2 cidx eth0=10.89.0.9>out4-10.89.0.0/24 " "$(rules)"
eq "gc removed the subnet chain nothing jumps to any more" "anchor out4-10.89.0.0/24 out6-fd88__/64 postrouting " "$(chains)"
t "re-add with another prefix" drv masq add net1 cid1 fd88::5/56
t "re-add moves the element to the new subnet's chain" sh -c \
    "nft list map inet jnet-cni saddr6 | grep -Fq 'fd88::5 comment \"jnet-cni net1 cid1 eth0\" : jump out6-fd88__/56'"
eq "and deletes the old chain" "anchor out4-10.89.0.0/24 out6-fd88__/56 postrouting " "$(chains)"
t "gc net1 keeping nothing" drv gc net1
eq "only net2 left" "jnet-cni net2 cidx eth0=10.89.0.9>out4-10.89.0.0/24 " "$(rules)"
t "del by the owner's network with another container ID: success" drv masq del net2 cidy 10.89.0.9/24
t "del by another network with the owner's container ID: success" drv masq del net1 cidx 10.89.0.9/24
eq "neither removed the element" "jnet-cni net2 cidx eth0=10.89.0.9>out4-10.89.0.0/24 " "$(rules)"
t "add in a new subnet" drv masq add net2 cidz 10.95.0.2/24
eq "its chain" "anchor out4-10.89.0.0/24 out4-10.95.0.0/24 postrouting " "$(chains)"
t "del it" drv masq del net2 cidz 10.95.0.2/24
eq "del removed the subnet chain with its last element, the table stays" "anchor out4-10.89.0.0/24 postrouting " "$(chains)"
# A del that died between its two steps leaves a subnet chain nothing jumps to: the table then
# outlives its last element until gc.
nft "add chain inet jnet-cni out4-10.96.0.0/24; add rule inet jnet-cni out4-10.96.0.0/24 jump anchor"
t "del the last element" drv masq del net2 cidx 10.89.0.9/24
eq "a leftover subnet chain keeps the table" "anchor out4-10.96.0.0/24 postrouting " "$(chains)"
t "gc (any network)" drv gc net9
eq "gc removed the table without elements" "ip:foreign ip:jnet-cni " "$(tables)"
t "add net2 cidx again" drv masq add net2 cidx 10.89.0.9/24
t "del the last one" drv masq del net2 cidx 10.89.0.9/24
eq "our table removed with its last element" "ip:foreign ip:jnet-cni " "$(tables)"
t "add then gc keeping nothing" sh -c "$CNIIPAM_DRV masq add net3 c1 10.91.0.2/24 && $CNIIPAM_DRV gc net3"
eq "gc removed the table with its last element" "ip:foreign ip:jnet-cni " "$(tables)"
# The record of each attachment (map rec, "COMMENT=ADDRESS"): how a DEL without the
# addresses (delall: a DEL without prevResult) finds them; GC by (container ID, ifname).
recs() { nft -j list map inet jnet-cni rec 2>/dev/null | jq -r '.nftables[] | select(.map) |
    .map.elem[]? | "\(.[0].elem.comment)=\(.[1])"' | sort | tr '\n' ' '; }
t "add c1@eth0 (IPv4 and IPv6) and c1@net1, one container" sh -c "$CNIIPAM_DRV masq add net4 c1@eth0 \
    10.93.0.2/24 && $CNIIPAM_DRV masq add net4 c1@eth0 fd93::2/64 && $CNIIPAM_DRV masq add net4 c1@net1 10.93.0.3/24"
eq "a record per address, commented with its attachment" "jnet-cni net4 c1 eth0=::ffff:10.93.0.2 jnet-cni net4 c1 eth0=fd93::2 jnet-cni net4 c1 net1=::ffff:10.93.0.3 " "$(recs)"
t "delall c1@eth0 (no addresses given)" drv masq delall net4 c1@eth0
eq "delall removed c1@eth0's elements, not c1@net1's" "jnet-cni net4 c1 net1=10.93.0.3>out4-10.93.0.0/24 " "$(rules)"
eq "and c1@eth0's records" "jnet-cni net4 c1 net1=::ffff:10.93.0.3 " "$(recs)"
t "delall again: success" drv masq delall net4 c1@eth0
t "add c1@eth0 again, and c2@eth0 takes c1@net1's address over" sh -c "$CNIIPAM_DRV masq add net4 c1@eth0 \
    10.93.0.2/24 && $CNIIPAM_DRV masq add net4 c2@eth0 10.93.0.3/24"
t "delall c1@net1: its address is c2's now" drv masq delall net4 c1@net1
eq "c2's element stays" "jnet-cni net4 c1 eth0=10.93.0.2>out4-10.93.0.0/24 jnet-cni net4 c2 eth0=10.93.0.3>out4-10.93.0.0/24 " "$(rules)"
t "add c1@net1 again" drv masq add net4 c1@net1 10.93.0.4/24
t "gc net4 keeping c1@eth0 (not c1@net1, same container)" drv gc net4 c1@eth0
eq "gc removed c1@net1's and c2's elements" "jnet-cni net4 c1 eth0=10.93.0.2>out4-10.93.0.0/24 " "$(rules)"
eq "and their records" "jnet-cni net4 c1 eth0=::ffff:10.93.0.2 " "$(recs)"
t "delall the last attachment" drv masq delall net4 c1@eth0
eq "our table removed with it" "ip:foreign ip:jnet-cni " "$(tables)"
nft list table ip foreign >"$TMP/foreign.after"
nft list table ip jnet-cni >"$TMP/ipjnet.after"
t "foreign table untouched" cmp "$TMP/foreign.before" "$TMP/foreign.after"
t "ip jnet-cni (not ours: family ip) untouched" cmp "$TMP/ipjnet.before" "$TMP/ipjnet.after"

tf "network name with a space: refused" 22 "network name 'a b' has a character" drv masq add "a b" c1 10.1.0.2/24
tf "container ID with a quote: refused" 22 "container ID 'c\"1' has a character" drv masq add n1 'c"1' 10.1.0.2/24
long=$(printf '%0120d' 0)
tf "too long for a comment: refused" 36 "longer than 116 characters" drv masq add n1 "$long" 10.1.0.2/24
eq "nothing created by refused adds" "ip:foreign ip:jnet-cni " "$(tables)"
nft delete table ip foreign && nft delete table ip jnet-cni

# A table inet jnet-cni that jnet did not make (no comment "jnet"): the administrator's, with
# a set and a chain of their own. An add refuses it, naming it, and changes nothing; del,
# delall and gc leave it; jnet's own table carries the comment. (One GETTABLE of its name.)
nft -f - <<'NFT' || { echo "setup failed"; exit 1; }
table inet jnet-cni {
	set admin { type ipv4_addr; elements = { 192.0.2.9 }; }
	chain mine { ip saddr @admin counter; }
}
NFT
nft list table inet jnet-cni >"$TMP/adm.before"
tf "add into the administrator's table inet jnet-cni: refused" 17 \
    "table inet jnet-cni exists and is not jnet's" drv masq add net1 cid1 10.88.0.5/16
t "del: success, nothing of jnet's there" drv masq del net1 cid1 10.88.0.5/16
t "delall: success" drv masq delall net1 cid1
t "gc: success" drv gc net1
nft list table inet jnet-cni >"$TMP/adm.after"
t "the administrator's table untouched by add, del, delall, gc" cmp "$TMP/adm.before" "$TMP/adm.after"
nft delete table inet jnet-cni
t "add makes jnet's table" drv masq add net1 cid1 10.88.0.5/16
t "jnet's table carries the comment \"jnet\"" sh -c \
    "nft list table inet jnet-cni | sed -n 2p | grep -qx '[[:space:]]*comment \"jnet\"'"
t "del" drv masq del net1 cid1 10.88.0.5/16
eq "jnet's table goes with its last element" "" "$(tables)"

# Parallel adds and dels serialise on the lock: every add lands, and the last del removes the
# table (unserialised, two dels could each see the other's rule and leave the table behind).
export JNET_RUNDIR="$TMP/run"
pids=""
for i in $(seq 1 12); do drv masq add par c$i 10.90.0.$i/24 & pids="$pids $!"; done
st=0; for p in $pids; do wait "$p" || st=1; done
eq "12 parallel adds succeed" 0 $st
eq "12 elements" 12 "$(nft -j list map inet jnet-cni saddr4 | jq '[.nftables[] | .map.elem[]?] | length')"
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
