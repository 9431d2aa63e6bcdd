# `bridge del` racing `addm` onto the same bridge, on the kernel model; sourced by
# t_race.sh (epair) and t_ng_race.sh (netgraph) after BE is set. Proves jnet(8) "bridge
# del": it holds the bridge's lock while it looks for jail links and destroys, and addm
# holds it (shared) from finding the bridge until its link is on it; so a link is never
# left off its bridge with addm exiting 0, and addms of two jails onto one bridge still run
# at once. $JNET_MODEL_PAUSE=OP:FILE holds one process before its first call of OP until
# FILE exists (it makes FILE.paused first), to put the other one in the window.
. "$TESTLIB"
export JNET_BACKEND=$BE
if [ "$BE" = netgraph ]; then
	DESTROY=NGM_SHUTDOWN JOIN=NGM_CONNECT
else
	DESTROY=SIOCIFDESTROY JOIN=BRDGADD
fi

fresh_race() { fresh >/dev/null && mctl kld load all >/dev/null; rm -f "$TMP"/go*; }
# waitfor FILE: it exists within 30 s.
waitfor() {
	w=0
	while [ ! -e "$1" ] && [ $w -lt 3000 ]; do sleep 0.01; w=$((w + 1)); done
	[ -e "$1" ]
}
# held OP VERB...: jnet VERB... in the background ($bg), held before its first call of OP
# until release; fails the test unless it got there.
held() {
	op=$1; shift
	JNET_MODEL_PAUSE="$op:$TMP/go" "$JNET" "$@" >"$TMP/held.out" 2>&1 &
	bg=$!
	waitfor "$TMP/go.paused" || fail "$*: never reached $op"
}
# release: let the held command go, after the other one had time to run into the window
# (it does not get in there: it waits for the lock; without the lock it would).
release() { sleep 0.5; touch "$TMP/go"; }
# links_on BRIDGE: how many of jnet's links are on BRIDGE (jnet show -l: its BRIDGE column).
links_on() { jnet show -l | awk -v b="$1" 'NR > 1 && $5 == b' | wc -l; }

# --- bridge del first (held after it found no link): addm waits, then makes it anew
fresh_race
t "bridge add em0bridge em0" jnet bridge add em0bridge em0
held "$DESTROY" bridge del em0bridge
"$JNET" addm web em0 >"$TMP/addm.out" 2>&1 & ap=$!
release
wait $bg; eq "bridge del (no link when it looked): done" "0" "$?"
wait $ap; eq "addm during bridge del: done" "0 " "$? $(cat "$TMP/addm.out")"
t "show" jnet show web
eq "web's link on em0bridge (made anew)" "1" "$(links_on em0bridge)"
eq "check: clean" "" "$(jnet check 2>&1)"

# --- the same on a VLAN uplink: its VLAN interface goes with the bridge and comes back
fresh_race
t "addm db em0:20 (makes em0v20bridge)" jnet addm db em0:20
t "destroy db" jnet destroy db
held SIOCIFDESTROY bridge del em0v20bridge # its VLAN interface goes first
"$JNET" addm web em0:20 >"$TMP/addm.out" 2>&1 & ap=$!
release
wait $bg; eq "VLAN: bridge del: done" "0" "$?"
wait $ap; eq "VLAN: addm during bridge del: done" "0 " "$? $(cat "$TMP/addm.out")"
jnet show >"$OUT" 2>&1
eq "VLAN: web's link on em0v20bridge" "1" "$(links_on em0v20bridge)"
eq "VLAN: check: clean" "" "$(jnet check 2>&1)"

# --- a bridge named (addm does not make those): addm fails, with nothing made
fresh_race
mctl dump >"$TMP/empty"
t "bridge add br0" jnet bridge add br0
held "$DESTROY" bridge del br0
"$JNET" addm web br0 >"$TMP/addm.out" 2>&1 & ap=$!
release
wait $bg; eq "named: bridge del: done" "0" "$?"
wait $ap; eq "named: addm fails" "1" "$?"
grep -q "br0: no such interface" "$TMP/addm.out" && pass ||
    fail "named: addm's error does not name br0 and say why: $(cat "$TMP/addm.out")"
mctl dump >"$TMP/after"
cmp -s "$TMP/empty" "$TMP/after" && pass ||
    fail "named: something left: $(diff "$TMP/empty" "$TMP/after" | head)"

# --- addm first (held after it found the bridge, before its link joins): bridge del waits,
# then sees the link and refuses
fresh_race
t "bridge add em0bridge em0" jnet bridge add em0bridge em0
held "$JOIN" addm web em0
"$JNET" bridge del em0bridge >"$TMP/del.out" 2>&1 & dp=$!
release
wait $bg; eq "addm (held before its link joined): done" "0 " "$? $(cat "$TMP/held.out")"
wait $dp; eq "bridge del during addm: refused" "1" "$?"
grep -q "em0bridge: still has jail links" "$TMP/del.out" && pass ||
    fail "bridge del's error: $(cat "$TMP/del.out")"
jnet show >"$OUT" 2>&1
eq "web's link on em0bridge" "1" "$(links_on em0bridge)"
eq "check: clean (after addm first)" "" "$(jnet check 2>&1)"

# --- addm of two jails onto one bridge: still at once (the lock is shared). db runs while
# web holds the lock; with an exclusive lock db would wait for web (1 s, then fail).
fresh_race
t "bridge add em0bridge em0" jnet bridge add em0bridge em0
held "$JOIN" addm web em0
JNET_LOCK_WAIT=1 "$JNET" addm db em0 >"$TMP/db.out" 2>&1
eq "addm db while web's addm holds the bridge's lock: done" "0 " "$? $(cat "$TMP/db.out")"
kill -0 $bg 2>/dev/null && pass || fail "web's addm did not wait where it was held"
touch "$TMP/go"
wait $bg; eq "addm web: done" "0 " "$? $(cat "$TMP/held.out")"
jnet show >"$OUT" 2>&1
eq "two links on em0bridge" "2" "$(links_on em0bridge)"

# --- no hold: addm & bridge del at once, ROUNDS times, on an uplink's bridge and on a
# named one. Every round: addm failed with nothing of web left, or web's link is on an
# existing bridge; jnet check clean.
ROUNDS=${ROUNDS:-15}
r=0 bad=0 ok=0 failed=0
while [ $r -lt $ROUNDS ]; do
	fresh_race
	if [ $((r % 2)) -eq 0 ]; then br=em0bridge up=em0; else br=br0 up=br0; fi
	if [ $br = br0 ]; then jnet bridge add br0 >/dev/null 2>&1; else
		jnet bridge add em0bridge em0 >/dev/null 2>&1; fi
	"$JNET" addm web $up >"$TMP/addm.out" 2>&1 & ap=$!
	"$JNET" bridge del $br >/dev/null 2>&1
	wait $ap; rc=$?
	jnet show >"$OUT" 2>&1
	n=$(links_on $br)
	c=$(jnet check 2>&1)
	if [ -n "$c" ]; then
		bad=$((bad + 1)); echo "round $r ($br): check: $c"
	elif [ $rc -eq 0 ] && [ "$n" = 1 ]; then
		ok=$((ok + 1))
	elif [ $rc -ne 0 ] && [ "$n" = 0 ] && ! grep -q web "$OUT"; then
		failed=$((failed + 1))
	else
		bad=$((bad + 1)); echo "round $r ($br): addm exit $rc, $n links on it: $(cat "$TMP/addm.out")"
	fi
	r=$((r + 1))
done
eq "$ROUNDS rounds of addm & bridge del: none left a link off its bridge" 0 $bad
echo "$ROUNDS rounds: $ok with the link on its bridge, $failed with addm failing cleanly"
finish
