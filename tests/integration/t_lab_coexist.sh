# Two labs with the same jail names, bridge names and addresses coexist: each pings inside
# itself only, and taking one down leaves the other exactly as it was. Lab names that are
# prefixes of each other, and names too long for <lab>_<bridge>, do not collide.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

P=$LABS/pair.yaml
sed 's/^lab: pair$/lab: pair2/' "$P" > "$WORK/pair2.yaml"
P2=$WORK/pair2.yaml
t "pair2 is the pair lab under another name" grep -q '^lab: pair2$' "$P2"

t "pair: up" jnet lab up "$P"
t "pair2: up" jnet lab up "$P2"
t "pair: complete" lab_complete "$P"
t "pair2: complete" lab_complete "$P2"
eq "pair2: its own bridge" pair2_lan0 "$(lab_bridge "$P2" lan0)"
eq "four namespaces, two per lab" "pair.a
pair.b
pair2.a
pair2.b" "$(ip netns list | awk '{print $1}' | sort)"
eq "pair2: its own interface names" 1 \
    "$([ "$(jnet name pair.a 0 b)" != "$(jnet name pair2.a 0 b)" ] && echo 1)"
eq "pair and pair2 jail ends have different MACs" 1 \
    "$([ "$(nlc -n pair.a get "$(jnet name pair.a 0 b)" mac)" != "$(nlc -n pair2.a get "$(jnet name pair2.a 0 b)" mac)" ] && echo 1)"
eq "each bridge holds its own lab's two ports" "2 2" "$(nlc count master pair_lan0) $(nlc count master pair2_lan0)"
for f in "$P" "$P2"; do
	ping_matrix "$f" "a b" "10.0.0.1 10.0.0.2 fd00:0:0:1::1 fd00:0:0:1::2"
done
# The same address in both labs, yet each a's neighbour is its own lab's b.
macb=$(nlc -n pair.b get "$(jnet name pair.b 0 b)" mac)
macb2=$(nlc -n pair2.b get "$(jnet name pair2.b 0 b)" mac)
t "pair: a resolves 10.0.0.2" jnet lab exec "$P" a -- ip neigh show 10.0.0.2
eq "pair: a's neighbour 10.0.0.2 is pair's b" "$macb" "$(awk '{print $5}' "$OUT")"
t "pair2: a resolves 10.0.0.2" jnet lab exec "$P2" a -- ip neigh show 10.0.0.2
eq "pair2: a's neighbour 10.0.0.2 is pair2's b" "$macb2" "$(awk '{print $5}' "$OUT")"

kstate pair2 > "$WORK/k2before"
t "pair: down" jnet lab down "$P"
lab_gone "pair: down" pair pair_lan0
kstate pair2 > "$WORK/k2after"
same "pair2 exactly as before pair's down" "$WORK/k2before" "$WORK/k2after"
t "pair2: complete" lab_complete "$P2"
ping_matrix "$P2" "a b" "10.0.0.2 fd00:0:0:1::1"
t "pair: up again beside pair2" jnet lab up "$P"
kstate pair2 > "$WORK/k2after2"
same "pair2 untouched by pair's up" "$WORK/k2before" "$WORK/k2after2"
t "pair2: down -n" jnet lab down -n pair2
lab_gone "pair2: down -n" pair2 pair2_lan0
t "pair: complete after pair2 went" lab_complete "$P"
t "pair: b pings a" jnet lab exec "$P" b -- ping -n -c 1 -W 2 10.0.0.1
t "pair: down" jnet lab down "$P"
nothing_at_all "both down"

# ---------------------------------------------------------------- long names
# "<lab>_<bridge>" longer than 15 characters: a hashed short name, distinct for two labs
# sharing a long prefix, found through status and removed by down.
for L in classroom-networking-a classroom-networking-b; do
	cat > "$WORK/$L.yaml" <<EOF
lab: $L
bridges:
  segment-one: {}
jails:
  workstation-with-a-long-name:
    interfaces: [ { bridge: segment-one, address: [192.168.50.1/24, "fd00:50::1/64"] } ]
  server:
    interfaces: [ { bridge: segment-one, address: [192.168.50.2/24, "fd00:50::2/64"] } ]
EOF
	t "$L: up" jnet lab up "$WORK/$L.yaml"
	t "$L: complete" lab_complete "$WORK/$L.yaml"
done
ba=$(lab_bridge "$WORK/classroom-networking-a.yaml" segment-one)
bb=$(lab_bridge "$WORK/classroom-networking-b.yaml" segment-one)
eq "long names: bridge names fit in 15 characters" "1 1" "$(( ${#ba} <= 15 )) $(( ${#bb} <= 15 ))"
eq "long names: two labs, two bridges" 1 "$([ "$ba" != "$bb" ] && echo 1)"
t "long names: bridge a tagged for its lab" nlc link "$ba" kind=bridge "alias^=jnet/2 bridge netns classroom-networking-a"
t "long names: bridge b tagged for its lab" nlc link "$bb" kind=bridge "alias^=jnet/2 bridge netns classroom-networking-b"
eq "long names: two ports each" "2 2" "$(nlc count master "$ba") $(nlc count master "$bb")"
for L in classroom-networking-a classroom-networking-b; do
	t "$L: the long-named jail pings the server" \
	    jnet lab exec "$WORK/$L.yaml" workstation-with-a-long-name -- ping -n -c 1 -W 2 fd00:50::2
	t "$L: and back" jnet lab exec "$WORK/$L.yaml" server -- ping -n -c 1 -W 2 192.168.50.1
done
t "long names: down -n classroom-networking-a" jnet lab down -n classroom-networking-a
lab_gone "long names: a down" classroom-networking-a "$ba"
t "long names: b complete" lab_complete "$WORK/classroom-networking-b.yaml"
t "long names: down b" jnet lab down "$WORK/classroom-networking-b.yaml"
lab_gone "long names: b down" classroom-networking-b "$bb"
nothing_at_all "end"
finish
