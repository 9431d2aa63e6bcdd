# Review (VLANs): a tag alone does not make a VLAN interface jnet's. A foreign interface
# named PARENTvVID with a forged vlan tag (an epair end, a NIC) is neither bridged nor
# destroyed, on both FreeBSD backends. One uplink per bridge.
. "$TESTLIB"
for be in epair netgraph; do
	export JNET_BACKEND=$be
	fresh
	mctl epair em0v20 xx
	mctl describe em0v20 "jnet/2 vlan $be - parent=em0 vid=20"
	tf "$be: addm on em0:20 refuses the forged em0v20" 1 "em0v20: exists and was not made by jnet" \
	    jnet addm j1 em0:20
	jnet bridge del em0v20bridge >/dev/null 2>&1
	eq "$be: em0v20 and its peer xx are still there" "em0 em0v20 lo0 xx" \
	    "$(mctl ls | sort | tr '\n' ' ' | sed 's/ $//')"
	eq "$be: em0v20 is on no bridge" "" "$(get em0v20 bridge)"
	fresh
	mctl ifadd em0v20
	mctl describe em0v20 "jnet/2 vlan $be - parent=em0 vid=20"
	tf "$be: a NIC with a forged vlan tag is refused" 1 "em0v20: exists and was not made by jnet" \
	    jnet addm j1 em0:20
	# one uplink per bridge: a second VLAN (or plain uplink) on it is refused, nothing left
	fresh
	t "$be: bridge add mybr em0:20" jnet bridge add mybr em0:20
	# (netgraph: refused by the ng_bridge's own rules; its bridges carry no tag)
	tf "$be: bridge add mybr em0:30 refused" 1 "one uplink per bridge|em0v30" jnet bridge add mybr em0:30
	eq "$be: no em0v30 left" "" "$(mctl ls | grep em0v30)"
	t "$be: bridge add mybr em0:20 again is fine" jnet bridge add mybr em0:20
done
finish
