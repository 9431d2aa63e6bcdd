# `lab up` checks everything it can before creating anything, and touches only what is
# provably the lab's (jnet_ownership): a foreign bridge in jnet's group, a namespace or an
# interface in the way, a missing uplink on a later bridge, duplicate MACs, a directory as
# lab file, a name over the limit all stop it with nothing created. What the kernel refuses
# later (a route) fails `up`, named with the kernel's reason, and what this `up` created is
# rolled back.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

P=$LABS/pair.yaml

# nothing_made DESC: a refused up created nothing: no namespace, no bridge of the lab,
# nothing tagged for it, no interface in jnet's group but those given (foreign ones).
nothing_made() {
	eq "$1: no namespace created" "" "$(lab_netns pair)"
	eq "$1: nothing tagged for the lab" "" "$(lab_host_ifaces pair)"
}

# ---------------------------------------------------------------- 1. ownership
# A bridge named as the lab names it, in jnet's group, untagged, that jnet never made (not
# in the lab's journal): not the lab's. Refused before anything is created; down keeps it.
ip link add pair_lan0 type bridge
ip link set pair_lan0 group 27246
ip link add own0 type veth peer name own1
ip link set own0 master pair_lan0
st "foreign bridge in jnet's group: up exits 1" 1 "$JNET" lab up "$P"
t "foreign bridge in jnet's group: the error names pair_lan0" \
    grep -Eq "pair_lan0.*not lab pair's bridge" "$WORK/err"
t "foreign bridge in jnet's group: not tagged by up" nlc link pair_lan0 kind=bridge alias=
nothing_made "foreign bridge in jnet's group"
t "foreign bridge in jnet's group: down" jnet lab down "$P"
t "foreign bridge in jnet's group: down -n" jnet lab down -n pair
t "foreign bridge in jnet's group: kept by down" nlc link pair_lan0 kind=bridge alias=
t "foreign bridge in jnet's group: its member kept" nlc link own0 master=pair_lan0
st "foreign bridge in jnet's group: status exits 1" 1 "$JNET" -j lab status "$P"
eq "foreign bridge in jnet's group: status does not count it" False \
    "$(json 'd["bridges"][0]["present"]' "$WORK/out")"
ip link del own0
ip link del pair_lan0

# A namespace named like a lab jail, not tagged for the lab: refused, nothing created (the
# bridge used to be made before the jails were looked at).
ip netns add pair.b
st "foreign netns pair.b: up exits 1" 1 "$JNET" lab up "$P"
t "foreign netns pair.b: the error names it" grep -Eq "pair\.b.*not lab pair's jail" "$WORK/err"
t "foreign netns pair.b: no bridge created" nlc absent pair_lan0
eq "foreign netns pair.b: no namespace created" "pair.b" "$(ip netns list | awk '{print $1}')"
t "foreign netns pair.b: lo untouched" nlc -n pair.b link lo alias=
ip netns del pair.b
# The same, tagged for another lab.
ip netns add pair.b
ip -n pair.b link set lo alias "jnet/2 jail netns pair2"
st "netns of lab pair2 as pair.b: up exits 1" 1 "$JNET" lab up "$P"
t "netns of lab pair2: no bridge created" nlc absent pair_lan0
t "netns of lab pair2: its tag kept" nlc -n pair.b link lo "alias=jnet/2 jail netns pair2"
ip netns del pair.b

# An interface with the name of the second jail's host end: refused before the first
# jail's link (or anything) is made.
hb=$(jnet name pair.b 0 a)
ip link add "$hb" type veth peer name hbx
st "foreign $hb: up exits 1" 1 "$JNET" lab up "$P"
t "foreign $hb: the error names it" grep -q -- "$hb.*not link 0 of pair.b" "$WORK/err"
t "foreign $hb: no bridge created" nlc absent pair_lan0
nothing_made "foreign $hb"
t "foreign $hb: kept" nlc link "$hb" alias=
# The same, tagged as another jail's link.
ip link del "$hb"
ip link add "$hb" type veth peer name hbx
ip link set "$hb" alias "jnet/2 link netns 0 a other.b"
st "$hb tagged for another jail: up exits 1" 1 "$JNET" lab up "$P"
t "$hb tagged for another jail: no bridge created" nlc absent pair_lan0
t "$hb tagged for another jail: kept with its tag" nlc link "$hb" "alias^=jnet/2 link netns 0 a other.b"
ip link del "$hb"
# Inside a lab jail, an interface with the name of the lab's jail end that is not it.
t "pair: up" jnet lab up "$P"
ja=$(jnet name pair.a 0 b)
ip -n pair.a link del "$ja"
gone_within "pair.a's pair deleted by hand" "$(jnet name pair.a 0 a)"
ip -n pair.a link add "$ja" type veth peer name intruder
st "foreign $ja inside pair.a: up exits 1" 1 "$JNET" lab up "$P"
t "foreign $ja inside pair.a: the error names it" grep -q -- "$ja: interface in the jail exists and is not link 0 of pair.a" "$WORK/err"
t "foreign $ja inside pair.a: the host end was not made again" nlc absent "$(jnet name pair.a 0 a)"
t "foreign $ja inside pair.a: kept, untagged" nlc -n pair.a link "$ja" alias=
t "pair: down" jnet lab down "$P"
nothing_at_all "after the ownership cases"

# ---------------------------------------------------------------- 4. checked up front
# A missing uplink on the second bridge: nothing of the first bridge, no jail.
F=$WORK/uplink2.yaml
cat > "$F" <<'YAML'
lab: up2
bridges:
  lan0: {}
  wan0: { uplink: nope0 }
jails:
  a:
    interfaces: [ { bridge: lan0, address: 10.0.0.1/24 }, { bridge: wan0, address: 10.1.0.1/24 } ]
YAML
st "missing uplink on the second bridge: up exits 1" 1 "$JNET" lab up "$F"
t "missing uplink: the message names it and its place in the file" \
    grep -q "bridge wan0: nope0: no such interface (the uplink of bridge wan0, $F:4:3)" "$WORK/err"
t "missing uplink: the first bridge was not created" nlc absent up2_lan0
eq "missing uplink: no namespace" "" "$(lab_netns up2)"
# An uplink already on another bridge.
ip link add em9 type veth peer name em9p
ip link add other0 type bridge
ip link set em9 master other0
sed 's/nope0/em9/' "$F" > "$WORK/uplink3.yaml"
st "uplink on another bridge: up exits 1" 1 "$JNET" lab up "$WORK/uplink3.yaml"
t "uplink on another bridge: says where it is" grep -q "em9: is already a member of other0" "$WORK/err"
t "uplink on another bridge: left there" nlc link em9 master=other0
t "uplink on another bridge: nothing created" nlc absent up2_lan0
ip link del em9
ip link del other0
nothing_at_all "after the uplink cases"

# Duplicate explicit MACs on one bridge: refused like duplicate addresses.
cat > "$WORK/mac.yaml" <<'YAML'
lab: mac
bridges: { lan0: {} }
jails:
  a: { interfaces: [ { bridge: lan0, mac: "02:00:00:00:00:01" } ] }
  b: { interfaces: [ { bridge: lan0, mac: "02:00:00:00:00:01" } ] }
YAML
st "duplicate MACs: up exits 1" 1 "$JNET" lab up "$WORK/mac.yaml"
eq "duplicate MACs: FILE:LINE:COL" \
    "jnet: lab up: $WORK/mac.yaml:5:43: mac 02:00:00:00:00:01 is already used on bridge 'lan0' (line 4, column 43)" \
    "$(cat "$WORK/err")"
nothing_at_all "duplicate MACs"

# A directory as the lab file: "Is a directory", not an I/O error.
mkdir "$WORK/dir.yaml"
st "a directory: up exits 1" 1 "$JNET" lab up "$WORK/dir.yaml"
eq "a directory: the message" "jnet: lab up: $WORK/dir.yaml: cannot read lab file: Is a directory" \
    "$(cat "$WORK/err")"

# <lab>.<jail> longer than 200 characters: refused at its place; 200 works (the kernel
# takes the namespace name and every tag with it).
j199=$(printf '%0199d' 0 | tr 0 j)
printf 'lab: x\nbridges: { b: {} }\njails:\n  %s: { interfaces: [ { bridge: b, address: 10.0.0.1/24 } ] }\n' \
    "$j199" > "$WORK/long.yaml"
st "<lab>.<jail> of 201 characters: up exits 1" 1 "$JNET" lab up "$WORK/long.yaml"
t "201 characters: the message says the limit" \
    grep -q "$WORK/long.yaml:4:3: jail name '$j199' is too long: 'x.<jail>' would have 201 characters, at most 200" "$WORK/err"
nothing_at_all "201 characters"
j198=$(printf '%0198d' 0 | tr 0 j)
printf 'lab: x\nbridges: { b: {} }\njails:\n  %s: { interfaces: [ { bridge: b, address: 10.0.0.1/24 } ], routes: [ { to: 10.5.0.0/16, via: 10.0.0.9 } ] }\n' \
    "$j198" > "$WORK/long2.yaml"
t "<lab>.<jail> of exactly 200 characters: up" jnet lab up "$WORK/long2.yaml"
t "200 characters: complete" lab_complete "$WORK/long2.yaml"
t "200 characters: the namespace" test -e "/run/netns/x.$j198"
t "200 characters: the tag of the jail end holds the whole name" \
    nlc -n "x.$j198" link "$(jnet name "x.$j198" 0 b)" "alias^=jnet/2 link netns 0 b x.$j198"
t "200 characters: down" jnet lab down "$WORK/long2.yaml"
nothing_at_all "200 characters"

# ---------------------------------------------------------------- 5. a refused route
# A route to the jail's own connected subnet: refused at its place in the file.
cat > "$WORK/own.yaml" <<'YAML'
lab: own
bridges: { lan0: {} }
jails:
  a:
    interfaces: [ { bridge: lan0, address: 10.0.0.2/24 } ]
    routes: [ { to: 10.0.0.0/24, via: 10.0.0.1 } ]
YAML
st "route to the own subnet: up exits 1" 1 "$JNET" lab up "$WORK/own.yaml"
t "route to the own subnet: FILE:LINE:COL" \
    grep -q "^jnet: lab up: $WORK/own.yaml:6:21: route to 10.0.0.0/24: jail 'a' is on that subnet itself" "$WORK/err"
nothing_at_all "route to the own subnet"

# A route the kernel refuses (another route to that destination is in the jail): up fails
# naming the route and the kernel's reason, and rolls back what it created (pair.b, gone
# by hand before, is made again and removed again).
R=$WORK/route.yaml
cat > "$R" <<'YAML'
lab: pair
bridges: { lan0: {} }
jails:
  a:
    interfaces: [ { bridge: lan0, address: 10.0.0.1/24 } ]
    routes: [ { to: 10.5.0.0/16, via: 10.0.0.2 } ]
  b:
    interfaces: [ { bridge: lan0, address: 10.0.0.2/24 } ]
YAML
t "route lab: up" jnet lab up "$R"
t "route lab: complete" lab_complete "$R"
ip -n pair.a route del 10.5.0.0/16
ip -n pair.a route add 10.5.0.0/16 via 10.0.0.3
ip netns del pair.b
gone_within "route lab: pair.b deleted by hand" "$(jnet name pair.b 0 a)"
st "a route the kernel refuses: up exits 1" 1 "$JNET" lab up "$R"
t "a route the kernel refuses: named, with the kernel's reason" \
    grep -Eq "^jnet: lab up pair: jail a: route to 10.5.0.0/16 via 10.0.0.2: .*(File exists|exists)" "$WORK/err"
eq "a route the kernel refuses: pair.b, made by this up, rolled back" "pair.a" "$(lab_netns pair)"
t "a route the kernel refuses: its host end too" nlc absent "$(jnet name pair.b 0 a)"
t "a route the kernel refuses: the foreign route kept" \
    sh -c "ip -n pair.a route show 10.5.0.0/16 | grep -q 'via 10.0.0.3'"
st "a route the kernel refuses: status exits 1" 1 "$JNET" lab status "$R"
ip -n pair.a route del 10.5.0.0/16
t "route removed by hand: up completes" jnet lab up "$R"
t "route removed by hand: complete" lab_complete "$R"
t "route lab: down" jnet lab down "$R"
nothing_at_all "route lab"

# Any failure of a fresh up (here a failing start_if hook on the second jail's host end)
# leaves nothing: the namespaces and the bridge it made are rolled back.
printf 'echo refusing >&2; exit 3\n' > "$HOOKDIR/start_if.$(jnet name pair.b 0 a)"
st "failing start_if: up exits 1" 1 "$JNET" lab up "$P"
t "failing start_if: the hook's message" grep -q refusing "$WORK/err"
rm -f "$HOOKDIR"/*
t "failing start_if: the bridge rolled back" nlc absent pair_lan0
nothing_at_all "failing start_if: rolled back"

finish
