# check and repair on the netns backend (issue 12, part 3): break each thing by hand, check
# reports it (text and -j, exit 1), repair fixes it, check is clean again (exit 0); what is
# not jnet's is reported and never touched.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/safetylib.sh"
G=27246

reset() {
	empty_sandbox
	mk_uplink em0 00:11:22:33:44:55
	mkns web
	t "setup: addm web em0" jnet addm web em0
}

# drifted CASE KIND OBJECT [NAME]: check (all, or NAME) exits 1 and reports KIND on OBJECT.
drifted() {
	c=$1 kind=$2 obj=$3; shift 3
	rcis "$c: check $* exits 1" 1 jnet check "$@"
	if grep -Eq "^$kind: .* $obj: " "$OUT"; then pass; else
		fail "$c: check does not report $kind on $obj: $(cat "$OUT")"; fi
}
# clean CASE [NAME]: check exits 0 and prints nothing.
clean() {
	c=$1; shift
	rcis "$c: check $* exits 0" 0 jnet check "$@"
	eq "$c: check $* prints nothing" "" "$(cat "$OUT")"
}
# repaired CASE KIND OBJECT [NAME]: repair exits 0 and says it repaired KIND on OBJECT.
repaired() {
	c=$1 kind=$2 obj=$3; shift 3
	rcis "$c: repair $* exits 0" 0 jnet repair "$@"
	if grep -Eq "^$kind: .* $obj: .*: repaired" "$OUT"; then pass; else
		fail "$c: repair does not say it repaired $kind on $obj: $(cat "$OUT")"; fi
}

C=healthy
reset
clean $C
clean $C web
clean "$C (unknown jail)" nosuch
rcis "$C: repair of nothing exits 0" 0 jnet repair
eq "$C: repair of nothing prints nothing" "" "$(cat "$OUT")"
t "$C: the host end's tag records its bridge and MTU" sh -c \
    "ip -d -j link show e0a_web | grep -q 'br=em0bridge mtu=1500'"

C=host_end_down
reset
ip link set e0a_web down
drifted $C host-end-down e0a_web
drifted "$C (NAME)" host-end-down e0a_web web
repaired $C host-end-down e0a_web web
t "$C: e0a_web is up again" nlc link e0a_web up
clean $C

C=jail_end_down
reset
ip -n web link set e0b_web down
drifted $C jail-end-down e0b_web web
repaired $C jail-end-down e0b_web
t "$C: e0b_web is up again" nlc -n web link e0b_web up
clean $C

C=off_bridge
reset
ip link set e0a_web nomaster
drifted $C off-bridge e0a_web
repaired $C off-bridge e0a_web
t "$C: e0a_web is a port of em0bridge again" nlc link e0a_web master=em0bridge
clean $C

C=bridge_down
reset
ip link set em0bridge down
drifted $C bridge-down em0bridge
repaired $C bridge-down em0bridge web
t "$C: em0bridge is up again" nlc link em0bridge up
clean $C

C=uplink_lost
reset
ip link set em0 nomaster
drifted $C uplink-lost em0bridge
repaired $C uplink-lost em0bridge
t "$C: em0 is a port of em0bridge again" nlc link em0 master=em0bridge
clean $C

C=mtu
reset
ip link set e0a_web mtu 1400
drifted $C mtu e0a_web
repaired $C mtu e0a_web
t "$C: e0a_web has MTU 1500 again" nlc link e0a_web mtu=1500
clean $C

C=mtu_given
reset
t "$C: addm -M 1400 db em0" sh -c "ip netns add db && $JNET addm -M 1400 db em0"
clean $C db
ip link set e0a_db mtu 1300
drifted $C mtu e0a_db db
if grep -q "not 1400" "$OUT"; then pass; else fail "$C: the MTU asked (1400) is the reference: $(cat "$OUT")"; fi
repaired $C mtu e0a_db db
t "$C: e0a_db has MTU 1400 again" nlc link e0a_db mtu=1400
clean $C

C=several
reset
ip link set e0a_web down; ip link set e0a_web nomaster; ip link set em0 nomaster
rcis "$C: check -j exits 1" 1 jnet -j check
cp "$OUT" "$WORK/j"
t "$C: -j is a JSON array of 3 drifts with their kinds" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
kinds = sorted(x["drift"] for x in d)
assert kinds == ["host-end-down", "off-bridge", "uplink-lost"], kinds
assert all(set(x) >= {"drift", "object", "detail", "jail", "index"} for x in d), d
assert [x["index"] for x in d if x["drift"] == "uplink-lost"] == [None], d
' "$WORK/j"
rcis "$C: repair -j exits 0" 0 jnet -j repair
cp "$OUT" "$WORK/j"
t "$C: repair -j says every drift repaired" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 3 and all(x["repaired"] is True for x in d), d
' "$WORK/j"
clean $C

# What is not jnet's: reported, never touched.
C=foreign_bridge_down
reset
ip link add br0 type bridge; ip link set br0 up
t "$C: addm mail br0 (the admin's bridge)" sh -c "ip netns add mail && $JNET addm mail br0"
ip link set br0 down
drifted $C bridge-down br0 mail
rcis "$C: repair exits 1 (something left)" 1 jnet repair mail
if grep -q "bridge-down: .* br0: .*not repaired.*not a jnet bridge" "$OUT"; then pass; else
	fail "$C: repair says br0 is not jnet's: $(cat "$OUT")"; fi
t "$C: br0 is still down" nlc link br0 down

C=uplink_taken
reset
ip link set em0 nomaster
ip link add br9 type bridge; ip link set em0 master br9
drifted $C uplink-lost em0bridge
rcis "$C: repair exits 1" 1 jnet repair
if grep -q "uplink-lost: .*not repaired.*br9" "$OUT"; then pass; else
	fail "$C: repair names br9, which holds em0: $(cat "$OUT")"; fi
t "$C: em0 is still a port of br9" nlc link em0 master=br9

C=port_of_other_bridge
reset
ip link add br7 type bridge
ip link set e0a_web master br7
drifted $C off-bridge e0a_web
rcis "$C: repair exits 1" 1 jnet repair web
t "$C: e0a_web stays on br7" nlc link e0a_web master=br7

C=bridge_gone
reset
ip link del em0bridge
drifted $C bridge-gone e0a_web web
rcis "$C: repair exits 1" 1 jnet repair web
if grep -q "bridge-gone: .*not repaired" "$OUT"; then pass; else
	fail "$C: repair cannot make a bridge: $(cat "$OUT")"; fi
t "$C: addm web em0 brings it back" jnet addm web em0
clean $C

C=foreign_untouched
reset
ip link add fx group $G type veth peer name fy
ip link add fz type veth peer name fw
before
t "$C: repair (nothing of ours drifted)" jnet repair
after "$C: nothing foreign changed"
t "$C: fx and fz still down" sh -c "$NLCHECK link fx down && $NLCHECK link fz down"

C=converge_retags
reset
ip link add br5 type bridge; ip link set br5 up
t "$C: addm web br5 moves link 0 to br5" jnet addm web br5
t "$C: its tag says br=br5" sh -c "ip -d -j link show e0a_web | grep -q 'br=br5'"
clean $C web

# Review: a link moved to another bridge takes its MAC along (the duplicate-MAC check follows
# it); a port taken off its bridge by hand lets another link have its MAC there, and repair
# then refuses to put it back (two ports with one MAC), saying why.
C=mac_follows_the_link
reset
ip link add br0 type bridge; ip link set br0 up; ip link add br1 type bridge; ip link set br1 up
ip netns add c; ip netns add d; ip netns add e; ip netns add f
t "$C: addm c br0=MAC" jnet addm c br0=02:cc:00:00:00:01
t "$C: addm c br1=MAC moves it" jnet addm c br1=02:cc:00:00:00:01
rcis "$C: the MAC is taken on br1 now" 1 jnet addm d br1=02:cc:00:00:00:01
names "$C: the error names c's link" e0a_c br1
t "$C: and free on br0" jnet addm e br0=02:cc:00:00:00:01
ip link set e0a_e nomaster
t "$C: e's port left br0 by hand: f may have the MAC there" jnet addm f br0=02:cc:00:00:00:01
rcis "$C: repair e refuses" 1 jnet repair e
if grep -q "off-bridge: .*not repaired.*already on bridge br0 (e0a_f holds it)" "$OUT"; then pass; else
	fail "$C: repair says which port holds the MAC: $(cat "$OUT")"; fi
t "$C: e0a_e is still off br0" nlc link e0a_e nomaster

# Review 1: stale jail ends (namespace deleted and made again while a process holds the old
# one); a link of the set gone; repair leaves a foreign bridge's MTU alone; a bad name
# creates no lock file.
C=stale
reset
ip netns exec web sleep 20 & HOLD=$!
sleep 0.3; ip netns del web; ip netns add web
drifted $C stale e0a_web web
kill "$HOLD"; wait "$HOLD" 2>/dev/null
C=link_gone
reset
t "$C: addm web em0 em0" jnet addm web em0 em0
ip link del e1a_web
drifted $C link-gone e1a_web web
rcis "$C: repair cannot make it" 1 jnet repair web
t "$C: addm brings it back" jnet addm web em0 em0
clean $C web
C=foreign_bridge_mtu
reset
ip link add br0 type bridge; ip link set br0 up
ip netns add u; t "$C: addm u br0" jnet addm u br0
A=$(ip -o link show e0a_u | sed -n 's/.*alias \(.*t=[0-9]*\).*/\1/p')
ip link set e0a_u alias "$(echo "$A" | sed s/mtu=1500/mtu=1280/)"
drifted $C mtu e0a_u u
rcis "$C: repair refuses" 1 jnet repair u
if grep -q "not repaired.*would change the MTU of bridge br0" "$OUT"; then pass; else
	fail "$C: repair says why: $(cat "$OUT")"; fi
t "$C: br0 keeps MTU 1500" nlc link br0 mtu=1500
C=bad_name
reset
mkdir -p /run/jnet-t/jail.x; rcis "$C: repair x/../../esc" 1 env JNET_RUNDIR=/run/jnet-t "$JNET" repair "x/../../esc"
t "$C: no file made outside the lock directory" sh -c "! test -e /esc && ! test -e /run/esc"

# Review (VLANs): a veth named like jnet's VLAN interface, with a forged vlan tag, is not
# taken (nor, later, destroyed with its peer).
C=forged_vlan
reset
ip link add em0v20 type veth peer name fpeer
ip link set em0v20 alias "jnet/2 vlan netns - parent=em0 vid=20"
rcis "$C: addm x em0:20 refused" 1 jnet addm web em0:20
names "$C: it says so" "em0v20: exists and was not made by jnet"
jnet bridge del em0v20bridge >/dev/null 2>&1
t "$C: em0v20 and fpeer still there, on no bridge" sh -c "$NLCHECK link em0v20 nomaster && $NLCHECK link fpeer"

finish
