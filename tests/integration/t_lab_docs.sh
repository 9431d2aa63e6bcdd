# docs/labs.md's complete example runs as written: its YAML block is saved as demo.yaml and
# its shell block runs line by line (with this build's jnet first in PATH); after `up` the
# lab is complete, the uplink is on wan0 and up, traffic crosses the router; after `down`
# nothing of it is left and the uplink is released, still up.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

DOC=$(dirname "$TESTLIB")/../../docs/labs.md
# block KIND N: the N-th fenced block of KIND after the line "A complete example".
block() {
	awk -v kind="$1" -v n="$2" '
	    /A complete example/ { on = 1 }
	    on && $0 == "```" kind { k++; if (k == n) { inb = 1; next } }
	    inb && $0 == "```" { exit }
	    inb { print }' "$DOC"
}
block yaml 1 > "$WORK/demo.yaml"
block sh 1 > "$WORK/demo.sh"
t "docs: the example's YAML block is there" grep -q '^lab: demo' "$WORK/demo.yaml"
t "docs: the example's shell block uses demo.yaml" grep -q 'jnet lab up demo.yaml' "$WORK/demo.sh"
# On a machine without the uplink, the same file is refused before anything is created.
st "docs: without its uplink, up exits 1" 1 "$JNET" lab up "$WORK/demo.yaml"
t "docs: without its uplink: the error names it and the bridge" \
    grep -q "bridge wan0: demo-wan: no such interface" "$WORK/err"
nothing_at_all "docs: without its uplink"
mkdir "$WORK/bin"
ln -s "$JNET" "$WORK/bin/jnet"
cd "$WORK" || exit 1
D=$WORK/demo.yaml
while IFS= read -r line; do
	cmd=${line%%#*}
	[ -n "$(echo "$cmd" | tr -d ' ')" ] || continue
	t "docs: $cmd" env PATH="$WORK/bin:$PATH" sh -c "$cmd"
	case $cmd in
	*"lab up"*)
		t "docs: the lab is complete" lab_complete "$D"
		t "docs: the uplink is on wan0 and up" nlc link demo-wan master=demo_wan0 up
		t "docs: wan0 is the lab's bridge" nlc link demo_wan0 kind=bridge "alias^=jnet/2 bridge netns demo"
		t "docs: lan1's MAC and MTU as written" \
		    nlc -n demo.router link "$(jnet name demo.router 1 b)" mac=02:00:00:00:01:01 mtu=1400
		t "docs: router forwards" test "$(ip netns exec demo.router sysctl -n net.ipv4.conf.all.forwarding)" = 1
		t "docs: r1 reaches r2 on its link" jnet lab exec "$D" r1 -- ping -n -c 1 -W 2 10.9.1.2
		# "What gets created, and how it is named"
		eq "docs: the name quoted for demo.web" e0b-deyv766s3oc "$(jnet name demo.web 0 b)"
		eq "docs: the names quoted for router.yaml's router" "e0b-rodbyekpn5u e1b-rodbyekpn5u" \
		    "$(jnet name router.router 0 b) $(jnet name router.router 1 b)"
		t "docs: web's namespace, in /run/netns" test -e /run/netns/demo.web
		eq "docs: /run/netns/demo.web links to the lab's tmpfs" /run/jnet/netns/demo/web \
		    "$(readlink /run/netns/demo.web)"
		eq "docs: the lab's tmpfs" /run/jnet/netns/demo "$(lab_mounts | grep -x /run/jnet/netns/demo)"
		eq "docs: web's namespace is mounted in it" "$(ip netns exec demo.web readlink /proc/self/ns/net)" \
		    "$(nsenter --net=/run/jnet/netns/demo/web readlink /proc/self/ns/net)"
		eq "docs: ip netns lists the lab's jails" "demo.r1 demo.r2 demo.router demo.web" \
		    "$(ip netns list | awk '{print $1}' | sort | tr '\n' ' ' | sed 's/ $//')"
		t "docs: the jail's tag on its lo" nlc -n demo.web link lo "alias=jnet/2 jail netns demo"
		t "docs: web's port: jail end tagged, in group 27246" \
		    nlc -n demo.web link e0b-deyv766s3oc "alias^=jnet/2 link netns 0 b demo.web" group=27246
		t "docs: web's port: host end tagged, on lan0, in group 27246" \
		    nlc link "$(jnet name demo.web 0 a)" master=demo_lan0 group=27246
		t "docs: host end tag" sh -c "ip -o link show dev $(jnet name demo.web 0 a) | grep -q 'alias jnet/2 link netns 0 a demo.web'"
		t "docs: the bridges in group 27246" nlc link demo_lan0 group=27246 "alias^=jnet/2 bridge netns demo"
		t "docs: a link end: named and tagged as its own jail's interface" \
		    nlc -n demo.r2 link "$(jnet name demo.r2 1 b)" "alias^=jnet/2 link netns 1 b demo.r2"
		t "docs: web reaches the router over IPv6" jnet lab exec "$D" web -- ping -n -c 1 -W 2 fd00:0:0:1::1
		;;
	*"lab down"*)
		lab_gone "docs: after down" demo demo_lan0 demo_lan1 demo_wan0
		eq "docs: after down, no lab tmpfs" "" "$(lab_mounts)"
		t "docs: after down, no lab directory" test ! -e /run/jnet/netns/demo
		# The example's demo-wan is made down (ip link add): up brought it up, down gives
		# it back down.
		t "docs: the uplink released, in the state it had (down)" nlc link demo-wan nomaster down
		;;
	esac
done < "$WORK/demo.sh"
t "docs: the uplink deleted by the last line" nlc absent demo-wan
nothing_at_all "docs: the example leaves nothing"
finish
