# `bridge del` racing `addm` onto one bridge (jnet(8) "bridge del"): bridge del holds the
# bridge's lock (RUNDIR/bridge.NAME) exclusively while it looks for jail links and
# destroys, addm holds it shared from finding the bridge until its link is on it. The lock
# is held here by flock(1) to show each side waits for it; then addm & bridge del run at
# once, round after round: addm fails with nothing left, or its link is on an existing
# bridge; never exit 0 with the link off its bridge.
. "$TESTLIB"

RUNDIR=/run/jnet
W=$(mktemp -d)
at_exit_rm "$W"
mkdir -p "$RUNDIR"
mk_uplink em0 00:11:22:33:44:55
ip netns add web
ip netns add db
# hold MODE NAME: flock(1) holds RUNDIR/bridge.NAME (-x or -s) until $W/go exists.
hold() {
	rm -f "$W/go" "$W/held"
	flock "$1" "$RUNDIR/bridge.$2" sh -c "touch $W/held; while [ ! -e $W/go ]; do sleep 0.05; done" &
	hp=$!
	w=0
	while [ ! -e "$W/held" ] && [ $w -lt 200 ]; do sleep 0.05; w=$((w + 1)); done
	[ -e "$W/held" ] || fail "flock $1 bridge.$2: not held"
}
unhold() { touch "$W/go"; wait $hp; }
# on BRIDGE HOSTEND: HOSTEND is a port of BRIDGE, which exists.
on() { [ "$(nlc get "$2" master 2>/dev/null)" = "$1" ] && nlc link "$1" >/dev/null 2>&1; }

# --- addm waits for a bridge del (the lock held exclusively): with JNET_LOCK_WAIT=1 it
# gives up, naming the lock, with nothing made
t "bridge add br0" jnet bridge add br0
hold -x br0
rcis() { d=$1 want=$2; shift 2; "$@" >"$OUT" 2>"$ERR"; eq "$d" "$want" "$?"; }
rcis "addm web br0 while bridge del would hold br0: gives up" 1 env JNET_LOCK_WAIT=1 "$JNET" addm web br0
grep -q "bridge.br0" "$ERR" && pass || fail "the error does not name the lock: $(cat "$ERR")"
eq "nothing made (br0 alone in jnet's group)" 1 "$(jnet_leftovers)"
# ... the same with em0: the lock of its bridge em0bridge
unhold
hold -x em0bridge
rcis "addm web em0 while bridge del would hold em0bridge: gives up" 1 env JNET_LOCK_WAIT=1 "$JNET" addm web em0
eq "nothing made (em0: br0 alone in jnet's group)" 1 "$(jnet_leftovers)"
unhold

# --- bridge del waits for an addm (the lock held shared), which another addm does not
t "addm db br0" jnet addm db br0
t "destroy db" jnet destroy db
hold -s br0
rcis "bridge del br0 while an addm would hold it: gives up" 1 env JNET_LOCK_WAIT=1 "$JNET" bridge del br0
eq "br0 still there" 1 "$(nlc count kind bridge)"
t "addm db br0 while another addm holds it (shared): done" env JNET_LOCK_WAIT=1 "$JNET" addm db br0
unhold
on br0 e0a_db && pass || fail "db's link not on br0"
t "destroy db" jnet destroy db

# --- addm & bridge del at once, on a bridge named (br0) and on an uplink's (em0bridge)
ROUNDS=20
r=0 bad=0 ok=0 failed=0
while [ $r -lt $ROUNDS ]; do
	if [ $((r % 2)) -eq 0 ]; then br=br0 arg=br0; jnet bridge add br0 >/dev/null 2>&1
	else br=em0bridge arg=em0; jnet bridge add em0bridge em0 >/dev/null 2>&1; fi
	"$JNET" addm web $arg >"$W/addm" 2>&1 & ap=$!
	"$JNET" bridge del $br >/dev/null 2>&1
	wait $ap; rc=$?
	c=$(jnet check 2>&1)
	if [ -n "$c" ]; then
		bad=$((bad + 1)); echo "round $r ($br): check: $c"
	elif [ $rc -eq 0 ] && on $br e0a_web; then
		ok=$((ok + 1))
	elif [ $rc -ne 0 ] && [ "$(jnet_leftovers)" -le 1 ] && ! nlc link e0a_web >/dev/null 2>&1; then
		failed=$((failed + 1))
	else
		bad=$((bad + 1)); echo "round $r ($br): addm exit $rc: $(cat "$W/addm")"
	fi
	jnet destroy web >/dev/null 2>&1
	jnet bridge del $br >/dev/null 2>&1
	r=$((r + 1))
done
eq "$ROUNDS rounds of addm & bridge del: no link left off its bridge" 0 $bad
echo "$ROUNDS rounds: $ok with the link on its bridge, $failed with addm failing cleanly"
eq "nothing left" 0 "$(jnet_leftovers)"
finish
