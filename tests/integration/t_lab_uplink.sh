# A lab bridge with an uplink: the existing interface joins the lab's bridge, jails reach
# the network behind it (here: the sandbox's own namespace), and down releases the uplink
# without touching its state. A missing uplink is refused before anything is created.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

mk_uplink em0 00:11:22:33:44:55
ip addr add 192.168.77.1/24 dev em0p
F=$WORK/wan.yaml
cat > "$F" <<YAML
lab: wan
bridges:
  wan0: { uplink: em0 }
jails:
  gw:
    interfaces: [ { bridge: wan0, address: 192.168.77.2/24 } ]
    routes: [ { to: default, via: 192.168.77.1 } ]
YAML

t "uplink: up" jnet lab up "$F"
t "uplink: complete" lab_complete "$F"
t "uplink: em0 is on the lab bridge" nlc link em0 master=wan_wan0 up
t "uplink: the bridge is the lab's" nlc link wan_wan0 kind=bridge "alias^=jnet/2 bridge netns wan"
eq "uplink: status JSON names the uplink" em0 "$(json 'd["bridges"][0]["uplink"]' "$WORK/c.json")"
t "uplink: the jail reaches the address behind the uplink" jnet lab exec "$F" gw -- ping -n -c 1 -W 2 192.168.77.1
kstate wan > "$WORK/k0"
mac0=$(nlc get em0 mac)
t "uplink: up again" jnet lab up "$F"
kstate wan > "$WORK/k1"
same "uplink: up again changed nothing" "$WORK/k0" "$WORK/k1"
t "uplink: down" jnet lab down "$F"
lab_gone "uplink: down" wan wan_wan0
t "uplink: em0 kept, released, still up" nlc link em0 nomaster up mac=00:11:22:33:44:55
eq "uplink: em0's MAC untouched" "$mac0" "$(nlc get em0 mac)"
t "uplink: the address behind it kept" sh -c "ip -o addr show dev em0p | grep -q 192.168.77.1/24"
eq "uplink: nothing of jnet left" 0 "$(jnet_leftovers)"

# An uplink that does not exist.
sed 's/uplink: em0/uplink: nope0/' "$F" > "$WORK/nope.yaml"
st "missing uplink: up exits 1" 1 "$JNET" lab up "$WORK/nope.yaml"
t "missing uplink: the error names it" grep -q nope0 "$WORK/err"
t "missing uplink: down" jnet lab down "$WORK/nope.yaml"
nothing_at_all "missing uplink"
finish
