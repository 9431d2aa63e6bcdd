# Malformed lab files are refused with the exact FILE:LINE:COLUMN message before anything
# exists; objects that are not the lab's (a namespace, a bridge, an interface made by hand
# or by plain jnet) make `up` fail clearly and are never removed by `down`.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

# refused NAME "LINE:COL: MESSAGE" CONTENT: `lab up` exits 1 with exactly one line on
# stderr, "jnet: lab up: FILE:LINE:COL: MESSAGE", and creates nothing.
refused() {
	f=$WORK/$1.yaml
	printf '%s' "$3" > "$f"
	st "$1: lab up exits 1" 1 "$JNET" lab up "$f"
	eq "$1: the exact message" "jnet: lab up: $f:$2" "$(cat "$ERR")"
	eq "$1: nothing on stdout" "" "$(cat "$OUT")"
	nothing_at_all "$1"
}

# Valid up to the error, which sits in the last jail: proof that nothing is created before
# the whole file has been read.
refused unknown-key "8:35: unknown key 'adress' in an interface (allowed: bridge, address, mac, mtu)" \
'lab: bad
bridges:
  lan0: {}
jails:
  a:
    interfaces: [ { bridge: lan0, address: 10.0.0.1/24 } ]
  b:
    interfaces: [ { bridge: lan0, adress: 10.0.0.2/24 } ]
'
refused unknown-top-key "2:1: unknown key 'brigdes' in the lab (allowed: lab, backend, bridges, jails, links, hosts)" \
'lab: bad
brigdes:
  lan0: {}
'
refused undefined-bridge "8:29: bridge 'lan1' is not defined under 'bridges'" \
'lab: bad
bridges:
  lan0: {}
jails:
  a:
    interfaces: [ { bridge: lan0, address: 10.0.0.1/24 } ]
  b:
    interfaces: [ { bridge: lan1, address: 10.0.0.2/24 } ]
'
refused bad-address "7:48: '10.0.0.300/24' is not an IPv4 or IPv6 address" \
'lab: bad
bridges:
  lan0: {}
jails:
  a:
    interfaces:
      - { bridge: lan0, address: [10.0.0.1/24, 10.0.0.300/24] }
'
refused bad-address6 "5:44: address 'fd00::1' needs a prefix length, as in 'fd00::1/64'" \
'lab: bad
bridges: { lan0: {} }
jails:
  a:
    interfaces: [ { bridge: lan0, address: "fd00::1" } ]
'
refused duplicate-jail "6:3: duplicate jail 'a' (first at line 4, column 3)" \
'lab: bad
bridges: { lan0: {} }
jails:
  a:
    interfaces: [ { bridge: lan0, address: 10.0.0.1/24 } ]
  a:
    interfaces: [ { bridge: lan0, address: 10.0.0.2/24 } ]
'
refused bad-lab-name "1:6: lab name 'a.b' may contain only letters, digits, '_' and '-'" \
'lab: a.b
'

# The same refusal from the other commands that read the file.
f=$WORK/undefined-bridge.yaml
st "status of a malformed file exits 1" 1 "$JNET" lab status "$f"
eq "status: the same message" "jnet: lab status: $f:8:29: bridge 'lan1' is not defined under 'bridges'" "$(cat "$ERR")"
st "graph of a malformed file exits 1" 1 "$JNET" lab graph "$f"
eq "graph: the same message" "jnet: lab graph: $f:8:29: bridge 'lan1' is not defined under 'bridges'" "$(cat "$ERR")"
eq "graph: no half graph on stdout" "" "$(cat "$OUT")"
st "down FILE of a malformed file exits 1" 1 "$JNET" lab down "$f"
tf "a file that does not exist" 1 "^jnet: lab up: $WORK/nosuch.yaml: .*No such file" jnet lab up "$WORK/nosuch.yaml"
nothing_at_all "after every refusal"

# ---------------------------------------------------------------- 1024 ports on one bridge
# A Linux bridge holds at most 1023 ports: refused with the bridge's position, nothing made.
f=$WORK/full.yaml
{
	echo "lab: full"
	echo "bridges:"
	echo "  br0: {}"
	echo "jails:"
	i=1
	while [ $i -le 1024 ]; do
		echo "  j$i: { interfaces: [ { bridge: br0 } ] }"
		i=$((i + 1))
	done
} > "$f"
st "1024 ports on one bridge: up exits 1" 1 "$JNET" lab up "$f"
t "1024 ports: the message names the bridge, its place and the limit" \
    grep -Eq "^jnet: lab up.*: $f:3:3: .*br0.*1023" "$WORK/err"
nothing_at_all "1024 ports refused"
# 1023 jail ports and an uplink: 1024 ports too.
{
	echo "lab: full"
	echo "bridges:"
	echo "  br0: { uplink: em7 }"
	echo "jails:"
	i=1
	while [ $i -le 1023 ]; do
		echo "  j$i: { interfaces: [ { bridge: br0 } ] }"
		i=$((i + 1))
	done
} > "$f"
ip link add em7 type veth peer name em7p
st "1023 ports and an uplink: up exits 1" 1 "$JNET" lab up "$f"
t "1023 ports and an uplink: the message counts the uplink" \
    grep -Eq "^jnet: lab up.*: $f:3:3: bridge br0 has 1024 ports with its uplink.*1023" "$WORK/err"
t "1023 ports and an uplink: em7 untouched" nlc link em7 nomaster
ip link del em7
nothing_at_all "1023 ports and an uplink refused"

# ---------------------------------------------------------------- foreign objects
P=$LABS/pair.yaml

# A namespace made by hand with the lab's jail name, holding something of its own.
ip netns add pair.a
ip -n pair.a link add mark0 type veth peer name mark1
st "hand-made netns pair.a: up exits 1" 1 "$JNET" lab up "$P"
t "hand-made netns: the error names pair.a and says it is not the lab's" \
    grep -Eq "pair\.a.*(not|foreign)" "$WORK/err"
st "hand-made netns: status exits 1" 1 "$JNET" -j lab status "$P"
eq "hand-made netns: status does not count it as the lab's jail" False \
    "$(json '[j["present"] for j in d["jails"] if j["name"] == "a"][0]' "$WORK/out")"
jnet_err "hand-made netns: exec refuses it" "pair\.a" jnet lab exec "$P" a -- true
t "hand-made netns: down" jnet lab down "$P"
eq "hand-made netns: down kept it" "pair.a" "$(ip netns list | awk '{print $1}')"
t "hand-made netns: down kept what is inside" nlc -n pair.a link mark0
t "hand-made netns: lo untouched (no tag written)" nlc -n pair.a link lo alias=
eq "hand-made netns: down removed the lab's pair.b" "pair.a" "$(lab_netns pair)"
eq "hand-made netns: down removed the lab's interfaces" "" "$(lab_host_ifaces pair)"
t "hand-made netns: down removed the lab's bridge" nlc absent pair_lan0
t "hand-made netns: down -n keeps it too" jnet lab down -n pair
t "hand-made netns: still there after down -n" nlc -n pair.a link mark0
ip netns del pair.a

# A namespace tagged by another lab.
ip netns add pair.a
ip -n pair.a link set lo alias "jnet/2 jail netns other"
st "netns of another lab: up exits 1" 1 "$JNET" lab up "$P"
t "netns of another lab: the error names pair.a" grep -q "pair\.a" "$WORK/err"
t "netns of another lab: down" jnet lab down "$P"
t "netns of another lab: kept" nlc -n pair.a link lo "alias=jnet/2 jail netns other"
ip netns del pair.a
nothing_at_all "after the namespace cases"

# A bridge made by hand with the lab bridge's name, with a member of its own.
ip link add pair_lan0 type bridge
ip link add own0 type veth peer name own1
ip link set own0 master pair_lan0
st "hand-made bridge: up exits 1" 1 "$JNET" lab up "$P"
t "hand-made bridge: the error names pair_lan0 and says it is not the lab's" \
    grep -Eq "pair_lan0.*(not|foreign)" "$WORK/err"
t "hand-made bridge: down" jnet lab down "$P"
t "hand-made bridge: down kept it" nlc link pair_lan0 kind=bridge alias=
t "hand-made bridge: and its member" nlc link own0 master=pair_lan0
eq "hand-made bridge: no namespace of the lab" "" "$(lab_netns pair)"
t "hand-made bridge: down -n" jnet lab down -n pair
t "hand-made bridge: still kept" nlc link pair_lan0 kind=bridge
ip link del own0
ip link del pair_lan0

# A bridge made by plain `jnet bridge add` (jnet's, but no lab's).
t "jnet bridge add pair_lan0" jnet bridge add pair_lan0
st "jnet's own bridge: up exits 1" 1 "$JNET" lab up "$P"
t "jnet's own bridge: the error names it" grep -q "pair_lan0" "$WORK/err"
t "jnet's own bridge: down" jnet lab down "$P"
t "jnet's own bridge: kept, with its tag" nlc link pair_lan0 kind=bridge "alias^=jnet/2 bridge netns -"
t "jnet bridge del pair_lan0" jnet bridge del pair_lan0

# An interface made by hand with the name of a lab link's host end.
ha=$(jnet name pair.a 0 a)
ip link add "$ha" type veth peer name hx
st "hand-made $ha: up exits 1" 1 "$JNET" lab up "$P"
t "hand-made $ha: the error names it" grep -q -- "$ha" "$WORK/err"
t "hand-made $ha: down" jnet lab down "$P"
t "hand-made $ha: kept" nlc link "$ha" alias=
t "hand-made $ha: its peer kept" nlc link hx
lab_gone "hand-made $ha: the rest removed" pair pair_lan0
ip link del "$ha"

# A plain `jnet addm` jail whose name looks like a lab jail: not the lab's, kept.
ip link add em0 type veth peer name em0p
ip netns add pair.b
t "jnet addm pair.b em0 (outside any lab)" jnet addm pair.b em0
st "addm'd pair.b: up exits 1" 1 "$JNET" lab up "$P"
t "addm'd pair.b: the error names pair.b" grep -q "pair\.b" "$WORK/err"
t "addm'd pair.b: down" jnet lab down "$P"
t "addm'd pair.b: its netns kept" nlc -n pair.b link "$(jnet name pair.b 0 b)"
t "addm'd pair.b: its host end kept" nlc link "$(jnet name pair.b 0 a)" master=em0bridge
t "destroy pair.b" jnet destroy pair.b
t "bridge del em0bridge" jnet bridge del em0bridge
ip netns del pair.b
ip link del em0
lab_gone "after the foreign objects" pair pair_lan0

# And after all this the lab itself comes up and goes cleanly.
t "pair: up" jnet lab up "$P"
t "pair: complete" lab_complete "$P"
t "pair: a pings b" jnet lab exec "$P" a -- ping -n -c 1 -W 2 10.0.0.2
t "pair: down" jnet lab down "$P"
nothing_at_all "end"
finish
