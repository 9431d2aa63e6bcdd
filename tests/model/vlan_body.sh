# VLAN uplinks (PARENT:VID) on the kernel model; sourced by t_vlan.sh (epair) and
# t_ng_vlan.sh (netgraph) after JNET_BACKEND is set. Proves jnet(8) "VLANS": jnet makes
# and tags the vlan(4) interface PARENTvVID with the bridge for it, shares it, removes it
# with that bridge and never touches one it did not make; a fault at any primitive call of
# a creating command leaves the model as it was.
. "$TESTLIB"
export JNET_BACKEND=$BE

fresh_vlan() { fresh >/dev/null && mctl kld load all >/dev/null; }
nvlans() { mctl dump | grep -c '"kind": "vlan"'; }

# --- made, tagged, shared, removed with its bridge
fresh_vlan
mctl dump > "$TMP/empty"
em0_before=$(mctl dump | grep -A12 '"name": "em0"')
t "addm on VLAN 20 of em0" jnet addm web em0:20
eq "the vlan(4) interface" vlan "$(get em0v20 kind)"
eq "on em0, VLAN 20 (SIOCSETVLAN)" "em0:20" "$(get em0v20 vlan)"
eq "tagged as jnet's" "jnet/2 vlan $BE - parent=em0 vid=20" "$(get em0v20 descr)"
eq "in group jnet" "all vlan jnet" "$(get em0v20 groups)"
eq "up" up "$(get em0v20 up)"
if [ "$BE" = epair ]; then
	eq "the uplink of its bridge" em0v20bridge "$(get em0v20 bridge)"
	eq "the host end on that bridge" em0v20bridge "$(get e0a_web bridge)"
	eq "the bridge's tag names it" "jnet/2 bridge epair - uplink=em0v20" "$(get em0v20bridge descr)"
else
	t "the ng_bridge hangs off its ng_ether node" sh -c '"$NGCTL" show em0v20bridge: | grep -q "em0v20 .*ether"'
fi
t "a second jail on the same VLAN" jnet addm db em0:20 em0:30
eq "one interface per VLAN" 2 "$(nvlans)"
eq "VLAN 30" "em0:30" "$(get em0v30 vlan)"
t "destroy web" jnet destroy web
t "destroy db" jnet destroy db
eq "the VLAN interfaces stay with their bridges" 2 "$(nvlans)"
t "bridge del em0v20bridge" jnet bridge del em0v20bridge
eq "its VLAN interface went with it" "" "$(get em0v20 kind)"
t "bridge del em0v30bridge" jnet bridge del em0v30bridge
mctl dump > "$TMP/end"
if cmp -s "$TMP/empty" "$TMP/end"; then pass; else
	fail "not back to where it started: $(diff "$TMP/empty" "$TMP/end" | head -20)"
fi
eq "em0 untouched" "$em0_before" "$(mctl dump | grep -A12 '"name": "em0"')"

# --- parallel: four bridge add of the same VLAN bridge at once, one VLAN interface
fresh_vlan
pids=
for i in 1 2 3 4; do "$JNET" bridge add vb em0:20 >"$TMP/p$i" 2>&1 & pids="$pids $!"; done
ok=0
for p in $pids; do wait "$p" && ok=$((ok + 1)); done
eq "parallel bridge add: all four succeed" 4 $ok
eq "parallel bridge add: silently" "" "$(cat "$TMP"/p1 "$TMP"/p2 "$TMP"/p3 "$TMP"/p4)"
eq "parallel bridge add: one VLAN interface" 1 "$(nvlans)"
eq "parallel bridge add: VLAN 20 of em0" "em0:20" "$(get em0v20 vlan)"
t "parallel bridge add: bridge del" jnet bridge del vb
eq "parallel bridge add: gone" 0 "$(nvlans)"

# --- bridge add with a VLAN uplink (the lab's way), and its removal
t "bridge add vb em0:20" jnet bridge add vb em0:20
eq "vb's uplink" "em0:20" "$(get em0v20 vlan)"
t "bridge del vb" jnet bridge del vb
eq "gone with vb" "" "$(get em0v20 kind)"

# --- a lab bridge on a VLAN (the same spec in lab files)
fresh_vlan
cat > "$TMP/v.yaml" <<YAML
lab: v
bridges:
  lan: { uplink: "em0:20" }
jails:
  a: { interfaces: [ { bridge: lan } ] }
YAML
mctl dump > "$TMP/before"
t "lab up with uplink em0:20" jnet lab up "$TMP/v.yaml"
eq "the lab's VLAN interface" "em0:20" "$(get em0v20 vlan)"
if [ "$BE" = epair ]; then
	eq "on the lab's bridge" v_lan "$(get em0v20 bridge)"
fi
t "lab up again" jnet lab up "$TMP/v.yaml"
eq "still one VLAN interface" 1 "$(nvlans)"
t "lab down" jnet lab down "$TMP/v.yaml"
mctl dump > "$TMP/after"
if cmp -s "$TMP/before" "$TMP/after"; then pass; else
	fail "lab down left something: $(diff "$TMP/before" "$TMP/after" | head -20)"
fi
sed 's/em0:20/nope0:20/' "$TMP/v.yaml" > "$TMP/nope.yaml"
tf "lab: a missing parent refused before anything" 1 "nope0: no such interface \(the parent of VLAN 20, the uplink of bridge lan" \
    jnet lab up "$TMP/nope.yaml"
sed 's/em0:20/em0:0/' "$TMP/v.yaml" > "$TMP/bad.yaml"
tf "lab: a bad VID refused by the parser" 1 "uplink 'em0:0': .*not a VLAN uplink" jnet lab up "$TMP/bad.yaml"
mctl dump > "$TMP/after"
if cmp -s "$TMP/before" "$TMP/after"; then pass; else fail "a refused lab up left something"; fi

# --- check: a VLAN uplink gone, or its parent gone (FreeBSD keeps the vlan(4) interface,
# unconfigured). netgraph's bridges carry no tag that names their uplink: not checked there.
if [ "$BE" = epair ]; then
	fresh_vlan
	jnet addm web em0:20 >/dev/null
	t "check: clean" jnet check
	mctl ifdestroy em0 >/dev/null
	jnet check > "$OUT" 2>"$ERR"; eq "check: the parent gone: exit 1" 1 $?
	eq "check: says which" "uplink-lost: bridge em0v20bridge: its VLAN uplink em0v20 lost its parent em0 (VLAN 20) (em0: no such interface: bring it back, then delete and add the bridge again)" "$(cat "$OUT")"
	eq "check: the vlan(4) interface is unconfigured, not destroyed" "" "$(get em0v20 vlan)"
	mctl ifdestroy em0v20 >/dev/null
	jnet check > "$OUT" 2>"$ERR"; eq "check: the VLAN uplink gone: exit 1" 1 $?
	eq "check: says which" "uplink-lost: bridge em0v20bridge: its uplink em0v20 is gone (em0v20: no such interface)" "$(cat "$OUT")"
fi

# --- what jnet did not make
fresh_vlan
mctl ifadd em0v20 00:11:22:33:44:66 >/dev/null
mctl dump > "$TMP/before"
tf "a foreign em0v20 is not taken for VLAN 20" 1 "em0v20: exists and was not made by jnet" \
    jnet addm web em0:20
mctl dump > "$TMP/after"
if cmp -s "$TMP/before" "$TMP/after"; then pass; else fail "a refused addm changed the model"; fi
fresh_vlan
# FreeBSD's own names for VLAN interfaces: rc.conf's em0.20, the cloner's vlan20 (a
# netgraph bridge cannot be named after em0.20: '.' is not allowed in node names).
[ "$BE" = epair ] && ADMIN=em0.20 || ADMIN=vlan20
mctl ifadd $ADMIN 00:11:22:33:44:77 >/dev/null
t "the administrator's $ADMIN is a plain uplink" jnet addm web $ADMIN
eq "no VLAN interface made" 0 "$(nvlans)"
t "destroy web" jnet destroy web
t "bridge del ${ADMIN}bridge" jnet bridge del ${ADMIN}bridge
eq "$ADMIN stays" phys "$(get $ADMIN kind)"
fresh_vlan
t "our em0v20, made" jnet bridge add vb em0:20
mctl describe em0v20 "somebody else's now" >/dev/null
t "bridge del vb" jnet bridge del vb
eq "a VLAN interface whose tag is not jnet's stays" vlan "$(get em0v20 kind)"

# --- bad specs and missing parents: refused before anything is made
fresh_vlan
mctl dump > "$TMP/before"
tf "VID 0" 1 "em0:0: not a VLAN uplink" jnet addm web em0:0
tf "VID 4095" 1 "em0:4095: not a VLAN uplink" jnet addm web em0:4095
tf "no such parent" 1 "nosuch: no such interface \(the parent of VLAN 5\)" jnet addm web nosuch:5
jnet bridge add br0 >/dev/null
tf "a bridge is no parent" 1 "is a bridge, not an interface to carry VLAN 7" jnet addm web br0:7
jnet bridge del br0 >/dev/null 2>&1
tf "name too long" 1 "would be longer than 15 characters" jnet addm -b verylongsuffix web em0:20
mctl dump > "$TMP/after"
if cmp -s "$TMP/before" "$TMP/after"; then pass; else
	fail "a refused command changed the model: $(diff "$TMP/before" "$TMP/after" | head)"
fi

# --- a fault at every primitive call: nothing left, and the same command then succeeds
with_web() { fresh_vlan; jnet addm web em0:20 >/dev/null; }
with_vb() { fresh_vlan; jnet bridge add vb em0:20 >/dev/null; }
fault_sweep fresh_vlan addm web em0:20
fault_sweep with_web addm db em0:20
fault_sweep fresh_vlan bridge add vb em0:20
# Removal: a fault may leave part done; the same command run again removes the rest.
FAULT_PARTIAL=yes fault_sweep with_vb bridge del vb
# kill -9 entering each call of bridge add: the same command again, then bridge del,
# leave nothing but the windows of a cloned interface that is not renamed yet: vlanN
# (src/fbsd/common_vlan.c) and, epair, the bridge's bridgeN (epair/epair.c: tagged before
# it is renamed, under a name nothing looks up), as for a bridge without VLAN.
fresh_vlan
rm -f "$TMP/trace"
JNET_MODEL_TRACE="$TMP/trace" jnet bridge add vb em0:20 >/dev/null 2>&1
n=$(wc -l < "$TMP/trace") bad=0
k=1
while [ "$k" -le "$n" ]; do
	fresh_vlan
	JNET_MODEL_KILL=$k "$JNET" bridge add vb em0:20 >/dev/null 2>&1
	"$JNET" bridge add vb em0:20 >/dev/null 2>"$ERR" ||
	    { bad=$((bad + 1)); echo "  k=$k: rerun failed: $(cat "$ERR")"; }
	eq "k=$k: after the rerun, VLAN 20 of em0" "em0:20" "$(get em0v20 vlan)"
	"$JNET" bridge del vb >/dev/null 2>"$ERR" ||
	    { bad=$((bad + 1)); echo "  k=$k: bridge del failed: $(cat "$ERR")"; }
	left=$(mctl ls | grep -Ev '^(lo0|em0)$' | grep -Ev '^(vlan|bridge)[0-9]+$')
	[ -z "$left" ] || { bad=$((bad + 1)); echo "  k=$k: left: $left"; }
	k=$((k + 1))
done
eq "bridge add vb em0:20 killed at each of its $n calls, recovered" 0 $bad

# A fresh box: if_vlan loaded by jnet on first use (kldload is not undone).
fresh >/dev/null
mctl kld load if_epair >/dev/null; mctl kld load if_bridge >/dev/null
t "if_vlan loaded on first use" jnet bridge add vb em0:20
eq "if_vlan is loaded" yes "$(mctl kld list 2>/dev/null | grep -qw if_vlan && echo yes)"
fresh >/dev/null
mctl kld load all >/dev/null; mctl kld unload if_vlan >/dev/null; mctl kld refuse EPERM >/dev/null
mctl dump > "$TMP/before"
tf "if_vlan cannot be loaded: said" 1 "kldload if_vlan: not permitted here" jnet addm web em0:20
mctl dump > "$TMP/after"
if cmp -s "$TMP/before" "$TMP/after"; then pass; else fail "a refused kldload left something"; fi
finish
