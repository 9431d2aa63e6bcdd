# Names, ownership, MAC modes and destroy from every state: the complaints jnet fixes.
. "$TESTLIB"

mk_uplink em0 00:11:22:33:44:55

# A 40-character jail name: a short deterministic name, never truncated, never colliding
# with a neighbour sharing its first 40 characters' prefix.
long=abcdefghijklmnopqrstuvwxyz0123456789abcd
long2=abcdefghijklmnopqrstuvwxyz0123456789abce
ip netns add $long
ip netns add $long2
t "addm 40-char name" jnet addm $long em0
t "addm second 40-char name" jnet addm $long2 em0
a=$(jnet name $long 0 a) b=$(jnet name $long 0 b) a2=$(jnet name $long2 0 a)
eq "short host name fits in 15 chars" 1 $(( ${#a} <= 15 ))
eq "short names differ" 1 "$([ "$a" != "$a2" ] && echo 1)"
t "host end exists under its short name, tagged with the full name" nlc link "$a" "alias^=jnet/2 link netns 0 a $long" master=em0bridge
t "jail end inside" nlc -n $long link "$b" "alias^=jnet/2 link netns 0 b $long"
t "show maps the short name back to the jail" jnet show
eq "show lists both long names" "$long
$long2" "$(cat "$OUT")"
t "destroy long" jnet destroy $long
t "long gone, neighbour kept" nlc link "$a2"
t "destroy long2" jnet destroy $long2

# Names that could escape a path or a shell are refused before anything is created.
before=$(jnet_leftovers)
for bad in "a/b" ".." "a..b" "a b" "$(printf 'a\tb')" "-x"; do
	tf "refuse jail name '$bad'" 1 "addm .*jail name" jnet addm -- "$bad" em0
done
tf "refuse empty jail name" 1 "empty jail name" jnet addm "" em0
eq "nothing created by refused names" "$before" "$(jnet_leftovers)"

# Names with dots and dashes are fine (short form), and reversible.
ip netns add web.example-1
t "addm dotted name" jnet addm web.example-1 em0
t "show dotted name" jnet show web.example-1
eq "dotted: host end listed" "$(jnet name web.example-1 0 a)" "$(cat "$OUT")"
t "destroy dotted name" jnet destroy web.example-1

# A foreign interface named like ours is never touched.
ip link add e0a_victim type veth peer name e0b_victim
tf "addm refuses a foreign e0a_victim" 1 "addm victim: e0a_victim: exists but is not a jnet interface" jnet addm victim em0
tf "destroy refuses a foreign e0a_victim" 1 "destroy victim: e0a_victim: exists but is not a jnet interface" jnet destroy victim
t "foreign pair untouched" nlc link e0a_victim nomaster "alias="
ip link del e0a_victim

# Interfaces of another jail are not taken over.
ip netns add web
t "addm web" jnet addm web em0
ip link set e0a_web alias "jnet/2 link netns 0 a other"
tf "addm refuses a link owned by another jail" 1 "e0a_web: belongs to link 0 of jail 'other'" jnet addm web em0
ip link set e0a_web alias "jnet/2 link netns 0 a web"

# destroy after the namespace was deleted: the kernel removed the pair; success.
ip netns del web
t "destroy after netns deleted" jnet destroy web
t "nothing of web left" nlc absent e0a_web e0b_web

# destroy from a half-built state: the jail end still on the host (addm before the jail).
t "addm half (no jail yet)" jnet addm half em0
t "destroy half" jnet destroy half
t "half gone" nlc absent e0a_half e0b_half

# A crash in the middle (SIGKILL from a start_if hook) leaves only tagged objects;
# addm again completes the set, destroy removes it.
ip netns add crash
printf 'kill -9 $PPID\n' > "$HOOKDIR/start_if.e0a_crash"
"$JNET" addm crash em0 >/dev/null 2>&1
t "after SIGKILL: the pair is there, tagged, down" nlc link e0a_crash down "alias^=jnet/2 link netns 0 a crash"
rm -f "$HOOKDIR/start_if.e0a_crash"
t "addm completes it" jnet addm crash em0
t "completed: up" nlc link e0a_crash up
t "completed: jail end up" nlc -n crash link e0b_crash up
t "destroy crash" jnet destroy crash

# MAC modes. jib: NP:SS:SS:II:II:II with SS:SS = BSD sum(1) of the name, computed here
# with GNU sum (BSD algorithm) and by hand: "web" -> 16562 = 0x40b2.
ip netns add web
eq "GNU sum agrees with the hand computation" 16562 "$(printf web | sum | cut -d' ' -f1)"
t "addm -m jib web em0 em0" jnet -m jib addm web em0 em0
eq "jib a end, link 0" 02:40:b2:33:44:55 "$(nlc get e0a_web mac)"
eq "jib b end, link 0" 0e:40:b2:33:44:55 "$(nlc -n web get e0b_web mac)"
eq "jib a end, link 1 (counter 1)" 12:40:b2:33:44:55 "$(nlc get e1a_web mac)"
eq "jib b end, link 1" 1e:40:b2:33:44:55 "$(nlc -n web get e1b_web mac)"
t "destroy web" jnet destroy web
t "explicit jail MAC" jnet addm web em0=02:00:5e:10:00:01
eq "explicit MAC on the jail end" 02:00:5e:10:00:01 "$(nlc -n web get e0b_web mac)"
t "destroy web" jnet destroy web
tf "multicast MAC refused" 1 "multicast MAC" jnet addm web em0=01:00:5e:10:00:01
tf "malformed MAC refused" 1 "not a MAC address" jnet addm web em0=02:00:5e:10:00
eq "nothing created by refused MACs" 0 "$(nlc -n web count group 27246)"
# The salt changes stable MACs; pinning it keeps them.
t "addm with salt A" env JNET_MAC_SALT=A "$JNET" addm web em0
macA=$(nlc -n web get e0b_web mac)
t "destroy" jnet destroy web
t "addm with --mac-salt A" jnet --mac-salt A addm web em0
eq "same salt, same MAC" "$macA" "$(nlc -n web get e0b_web mac)"
t "destroy" jnet destroy web
t "addm with salt B" env JNET_MAC_SALT=B "$JNET" addm web em0
eq "other salt, other MAC" 1 "$([ "$macA" != "$(nlc -n web get e0b_web mac)" ] && echo 1)"
t "destroy" jnet destroy web
t "random MACs: !em0" jnet addm web '!em0'
t "destroy" jnet destroy web

# The uplink's state is never toggled: an up uplink is not touched, a down one comes up.
ip link set em0 down
t "addm brings a down uplink up" jnet addm web em0
t "em0 up" nlc link em0 up
t "destroy" jnet destroy web
tf "suffix too long for the uplink" 1 "bridge name 'em0averyverylongsuffix' would be longer than 15" jnet addm -b averyverylongsuffix web em0
tf "no such uplink" 1 "nope0: no such interface" jnet addm web nope0
t "bridge del" jnet bridge del em0bridge
eq "nothing of jnet left" 0 "$(jnet_leftovers)"
finish
