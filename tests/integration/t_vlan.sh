# VLAN uplinks (PARENT:VID) on the netns backend, whatever the kernel: on one without
# 802.1Q (CONFIG_VLAN_8021Q, module 8021q) jnet says so and leaves nothing behind; on any
# kernel bad specs are refused before anything is made, and an existing VLAN interface the
# administrator made is a plain uplink. The 802.1Q path itself: t_vlan_8021q.sh.
. "$TESTLIB"

mk_uplink em0 00:11:22:33:44:55
ip netns add web
state() { ip -o link show | sed 's/^[0-9]*: //' | sort; }
state > "$OUT.before"

if ip link add link em0 name probe20 type vlan id 20 2>/dev/null; then
	ip link del probe20
	echo "this kernel has 802.1Q VLAN support: the no-support error is not reachable here"
	HAVE=yes
else
	HAVE=no
	tf "no 802.1Q: addm says why" 1 \
	    "em0v20: cannot make VLAN 20 of em0: this kernel has no 802.1Q VLAN support \(module 8021q" \
	    jnet addm web em0:20
	tf "no 802.1Q: bridge add says why" 1 "this kernel has no 802.1Q VLAN support" \
	    jnet bridge add vb em0:20
	printf 'lab: v\nbridges:\n  lan: { uplink: "em0:20" }\njails:\n  a: { interfaces: [ { bridge: lan } ] }\n' \
	    > "$OUT.yaml"
	tf "no 802.1Q: lab up says why" 1 "this kernel has no 802.1Q VLAN support" \
	    jnet lab up "$OUT.yaml"
	t "no 802.1Q: lab down after the failed up" jnet lab down "$OUT.yaml"
	eq "no 802.1Q: only web's namespace" web "$(ip netns list | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
fi
tf "VID 0 refused" 1 "em0:0: not a VLAN uplink: write PARENT:VID with a VLAN ID from 1 to 4094" \
    jnet addm web em0:0
tf "VID 4095 refused" 1 "em0:4095: not a VLAN uplink" jnet addm web em0:4095
tf "a leading zero refused" 1 "em0:020: not a VLAN uplink" jnet addm web em0:020
tf "no such parent" 1 "nope0: no such interface \(the parent of VLAN 5\)" jnet addm web nope0:5
tf "VLAN interface name too long" 1 "'abcdefghijklv100' would be longer than 15 characters" \
    jnet bridge add vb abcdefghijkl:100
state > "$OUT.after"
if cmp -s "$OUT.before" "$OUT.after"; then pass; else
	fail "a refused command changed the links: $(diff "$OUT.before" "$OUT.after")"
fi
eq "nothing of jnet left" 0 "$(jnet_leftovers)"

# The administrator's own VLAN interface (here a veth named like one where the kernel has
# no 802.1Q): a plain uplink, kept as it is.
mk_uplink em0.20 00:11:22:33:44:77
t "em0.20 is a plain uplink" jnet addm web em0.20
t "on its bridge" nlc link em0.20 master=em0.20bridge up
t "destroy web" jnet destroy web
t "bridge del em0.20bridge" jnet bridge del em0.20bridge
t "em0.20 kept" nlc link em0.20 nomaster up mac=00:11:22:33:44:77
eq "nothing of jnet left" 0 "$(jnet_leftovers)"
echo "802.1Q support in this kernel: $HAVE"
finish
