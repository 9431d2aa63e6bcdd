# VLAN uplinks on a kernel with 802.1Q (CONFIG_VLAN_8021Q): jnet makes em0v20 (kind vlan,
# id 20 on em0, tagged, in jnet's group) with em0v20bridge, a jail on it reaches a host on
# VLAN 20 behind the uplink (and nothing on VLAN 30), and the VLAN interface goes with its
# bridge while the administrator's own VLAN interfaces stay. Skipped, with the reason, on
# a kernel without 802.1Q: t_vlan.sh tests the error there.
. "$TESTLIB"

mk_uplink em0 00:11:22:33:44:55
if ! ip link add link em0p name em0p.20 type vlan id 20 2>"$ERR"; then
	echo "SKIP: this kernel has no 802.1Q VLAN support (module 8021q, CONFIG_VLAN_8021Q): $(cat "$ERR")"
	exit 77
fi
# The far side of the uplink: VLAN 20 has 192.0.2.1, VLAN 30 has 198.51.100.1.
ip link add link em0p name em0p.30 type vlan id 30
ip addr add 192.0.2.1/24 dev em0p.20
ip addr add 198.51.100.1/24 dev em0p.30
ip link set em0p.20 up
ip link set em0p.30 up
ip netns add web
ip netns add db

t "addm web em0:20" jnet addm web em0:20
t "em0v20 is VLAN 20 of em0" sh -c "ip -d -o link show em0v20 | grep -q 'em0v20@em0:.*vlan protocol 802.1Q id 20 '"
t "tagged as jnet's, in its group, on its bridge" nlc link em0v20 kind=vlan group=27246 up \
    master=em0v20bridge "alias=jnet/2 vlan netns - parent=em0 vid=20"
t "web's host end on em0v20bridge" nlc link e0a_web master=em0v20bridge
t "attach web" jnet attach web -a 192.0.2.10/24
t "web reaches VLAN 20 behind the uplink" ip netns exec web ping -n -c 1 -W 2 192.0.2.1
t "addm db em0:30" jnet addm db em0:30
# db also takes an address of VLAN 20's subnet: only the VLAN keeps it from 192.0.2.1.
t "attach db" jnet attach db -a 198.51.100.10/24 -a 192.0.2.11/24
t "db reaches VLAN 30" ip netns exec db ping -n -c 1 -W 2 198.51.100.1
ip netns exec db ping -n -c 1 -W 1 192.0.2.1 >/dev/null 2>&1
eq "db does not reach VLAN 20 (no reply: ping exits 1)" 1 $?
# check: the VLAN uplink deleted by hand is reported (uplink-lost).
ip link del em0v30
jnet check > "$OUT" 2>"$ERR"
eq "check: exit 1 once em0v30 is gone" 1 $?
t "check: uplink-lost on em0v30bridge" grep -q "^uplink-lost: bridge em0v30bridge: its uplink em0v30 is gone" "$OUT"
t "destroy web" jnet destroy web
t "destroy db" jnet destroy db
t "em0v20 stays with its bridge" nlc link em0v20 master=em0v20bridge
t "bridge del em0v20bridge" jnet bridge del em0v20bridge
t "bridge del em0v30bridge (its VLAN interface already gone)" jnet bridge del em0v30bridge
t "the VLAN interfaces went with their bridges" nlc absent em0v20 em0v30 em0v20bridge em0v30bridge
t "the administrator's em0p.20 stays" nlc link em0p.20 up
t "em0 untouched" nlc link em0 nomaster up mac=00:11:22:33:44:55
eq "nothing of jnet left" 0 "$(jnet_leftovers)"
# A VLAN interface jnet did not make, under jnet's name: refused, untouched.
ip link add link em0 name em0v40 type vlan id 40
tf "a foreign em0v40 is not taken" 1 "em0v40: exists and was not made by jnet" jnet addm web em0:40
t "em0v40 untouched" nlc link em0v40 nomaster
finish
