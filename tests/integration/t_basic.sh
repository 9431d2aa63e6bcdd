# Every command of the CLI against the real kernel: addm, show (text, long, JSON), attach,
# detach, destroy, gc, name, bridge add/del/list; traffic across the bridge.
. "$TESTLIB"

mk_uplink em0 00:11:22:33:44:55
ip netns add web
ip netns add db

t "addm web em0" jnet addm web em0
t "addm db em0" jnet addm db em0
t "bridge em0bridge created, up, with em0" nlc link em0bridge kind=bridge up group=27246 "alias^=jnet/2 bridge netns -"
t "em0 is a member of em0bridge" nlc link em0 master=em0bridge up
t "host end on the bridge, up, tagged, no IPv6" nlc link e0a_web master=em0bridge up netns-peer \
    "alias^=jnet/2 link netns 0 a web" group=27246 addrgenmode=none
eq "host end (a bridge port) has IPv6 disabled" 1 "$(cat /proc/sys/net/ipv6/conf/e0a_web/disable_ipv6)"
t "jail end born inside the jail, up, tagged" nlc -n web link e0b_web up "alias^=jnet/2 link netns 0 b web" group=27246
t "no jail end left on the host" nlc absent e0b_web e0b_db

# Stable MACs: locally administered unicast, the same after destroy + addm.
mac_a=$(nlc get e0a_web mac) mac_b=$(nlc -n web get e0b_web mac)
first=$(printf '%s' "$mac_b" | cut -c1-2)
eq "jail MAC is locally administered unicast" 2 $(( 0x$first & 3 ))
brmac=$(nlc get em0bridge mac)

# show
t "show" jnet show
eq "show lists jails" "db
web" "$(cat "$OUT")"
t "show web" jnet show web
eq "show NAME lists host ends (jib)" "e0a_web" "$(cat "$OUT")"
t "show -j web" jnet -j show web
eq "JSON jail end mac" "$mac_b" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["jail_end"]["mac"])' "$OUT")"
eq "JSON jail end where" "jail" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["jail_end"]["where"])' "$OUT")"
t "show -l" jnet show -l
eq "show -l has a header and two rows" 3 "$(wc -l < "$OUT")"

# traffic
ip -n web addr add 10.77.0.2/24 dev e0b_web
ip -n db addr add 10.77.0.3/24 dev e0b_db
ip -n web link set lo up
t "web pings db across em0bridge" ip netns exec web ping -c 3 -i 0.2 -W 2 10.77.0.3

# addm again: a no-op success
t "addm web em0 again" jnet addm web em0
eq "MAC unchanged by second addm" "$mac_b" "$(nlc -n web get e0b_web mac)"
t "address kept by second addm" ip -n web -4 addr show dev e0b_web to 10.77.0.2/24

# detach / attach
t "detach web" jnet detach web
t "jail end back on the host" nlc link e0b_web "alias^=jnet/2 link netns 0 b web"
t "detach again is fine" jnet detach web
t "attach web" jnet attach web
t "jail end in the jail again" nlc -n web link e0b_web
tf "attach to a jail that does not exist" 1 "attach web: nosuch: no such jail" jnet attach web nosuch
tf "attach a jail without links" 1 "attach nolinks: nolinks: jail has no jnet links" jnet attach nolinks web

# destroy, twice
t "destroy web" jnet destroy web
t "both ends of web gone" nlc absent e0a_web
t "nothing of web in its netns" nlc -n web absent e0b_web
t "destroy web again succeeds" jnet destroy web
t "db untouched" nlc link e0a_db master=em0bridge up
eq "bridge MAC pinned while ports come and go" "$brmac" "$(nlc get em0bridge mac)"

t "addm web em0 after destroy" jnet addm web em0
eq "stable MAC: same host end MAC after recreate" "$mac_a" "$(nlc get e0a_web mac)"
eq "stable MAC: same jail end MAC after recreate" "$mac_b" "$(nlc -n web get e0b_web mac)"

# addm before the jail exists, then attach (exec.prestart / exec.created)
t "addm late em0 (no netns yet)" jnet addm late em0
t "late: jail end waits on the host" nlc link e0b_late nomaster
ip netns add late
t "attach late" jnet attach late
t "late: jail end inside now" nlc -n late link e0b_late up

# gc: remove links whose jail is gone
t "detach late" jnet detach late
ip netns del late
t "gc" jnet gc --min-age 0
eq "gc says what it removed" "removed e0a_late/e0b_late (jail late, link 0)" "$(cat "$OUT")"
t "late gone after gc" nlc absent e0a_late e0b_late
t "web untouched by gc" nlc link e0a_web
# gc's grace period: exec.prestart makes links before the jail exists; gc keeps them.
t "prestart: addm before the jail exists" jnet addm young em0
t "gc keeps a young link that was never attached" jnet gc
t "young kept" nlc link e0a_young
t "gc --min-age 0 removes it" jnet gc --min-age 0
t "young gone" nlc absent e0a_young e0b_young

# several interfaces per jail, -b suffix, joining an existing bridge
mk_uplink em1 00:11:22:33:44:66
t "addm -b br multi em0bridge em1" jnet addm -b br multi em0bridge em1
ip netns add multi
t "attach multi" jnet attach multi
t "e0a on em0bridge" nlc link e0a_multi master=em0bridge
t "e1a on em1br" nlc link e1a_multi master=em1br
t "em1 joined em1br" nlc link em1 master=em1br
t "both jail ends in multi" nlc -n multi link e1b_multi
t "show multi" jnet show multi
eq "show multi lists two host ends" "e0a_multi
e1a_multi" "$(cat "$OUT")"
t "addm joins a bridge by name" jnet addm joiner em1br
t "joiner on em1br" nlc link e0a_joiner master=em1br
t "destroy joiner" jnet destroy joiner

# name
t "name" jnet name web
eq "name web" e0b_web "$(cat "$OUT")"
t "name web 1 a" jnet name web 1 a
eq "name web 1 a" e1a_web "$(cat "$OUT")"

# bridges
t "bridge add lab0" jnet bridge add lab0
t "lab0 is a tagged bridge" nlc link lab0 kind=bridge up "alias^=jnet/2 bridge netns -"
t "bridge add lab0 again" jnet bridge add lab0
t "bridge list" jnet bridge list
eq "bridge list" "em0bridge       jnet
em1br           jnet
lab0            jnet" "$(sort "$OUT")"
t "bridge list -j" jnet -j bridge list
eq "bridge list JSON names" "em0bridge em1br lab0" "$(python3 -c 'import json,sys; print(" ".join(sorted(b["name"] for b in json.load(open(sys.argv[1])))))' "$OUT")"
tf "bridge del refuses a bridge with jail links" 1 "bridge del em1br: em1br: still has jail links \(e1a_multi of jail 'multi'\)" jnet bridge del em1br
ip link add mine type bridge
tf "bridge del refuses a bridge jnet did not create" 1 "bridge del mine: mine: not created by jnet" jnet bridge del mine
t "foreign bridge kept" nlc link mine
tf "bridge add over a foreign bridge" 1 "mine: exists and is not a jnet bridge" jnet bridge add mine
t "bridge del lab0" jnet bridge del lab0
t "lab0 gone" nlc absent lab0
t "bridge del lab0 again" jnet bridge del lab0

# teardown
for j in web db multi; do t "destroy $j" jnet destroy $j; done
t "bridge del em0bridge" jnet bridge del em0bridge
t "bridge del em1br" jnet bridge del em1br
t "uplinks released and kept" nlc link em0 nomaster up
eq "nothing of jnet left" 0 "$(jnet_leftovers)"
finish
