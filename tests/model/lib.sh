# Sourced by the command-line tests of the epair backend. They run the real jnet command
# line (jnet-model) against the FreeBSD kernel model, whose state lives in a file: one
# process per command, as jail(8) runs them. Nothing here touches the machine's network.
# Assertions count; finish() prints "N passed, N failed" and sets the exit status.
set -u
: "${JNET:?JNET must point at jnet-model}" "${MODELCTL:?MODELCTL must point at jnet-modelctl}"
TMP=$(mktemp -d)
OUT=$TMP/out ERR=$TMP/err
HOOKDIR=$TMP/hooks
mkdir "$HOOKDIR"
export JNET_MODEL_STATE="$TMP/state.json" JNET_HOOKDIR="$HOOKDIR" JNET_MAC_SALT=test-salt
export JNET_BACKEND=epair
# Tags carry their birth time (t=): pinned, so that states of two runs compare equal.
export SOURCE_DATE_EPOCH=1700000000
# Lock files in the test's own directory, not the machine's /run.
export JNET_RUNDIR="$TMP/run"
unset JNET_MODEL_FAIL JNET_MODEL_TRACE

. "$(dirname "$TESTLIB")/../assert.sh"
at_exit_rm "$TMP"
jnet() { "$JNET" "$@"; }
mctl() { "$MODELCTL" "$@"; }
# get IFACE FIELD [JAIL]: one field of an interface in the model ("" if there is none).
get() { "$MODELCTL" get "$@" 2>/dev/null; }
# A description without the tag's KEY=VALUE fields (n=, t=, uplink=).
tagof() { get "$@" | sed -E 's/( [a-z]+=[^ ]*)+$//'; }
# Interfaces of kind epair anywhere in the model.
epairs() { "$MODELCTL" dump | grep -c '"kind": "epair"'; }

# A fresh host: lo0 and em0 (up, no address: a NIC dedicated to jails).
fresh() {
	mctl reset && mctl ifadd em0 00:11:22:33:44:55
}

finish() {
	rm -rf "$TMP"
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

# --- drivers the suites of both backends run (JNET_BACKEND picks the backend)

# fault_sweep SETUP COMMAND...: fault injection through the command line. SETUP (a command
# line, word-split: "scenario jailed") makes the state before the command. A clean run
# counts the command's primitive calls ($JNET_MODEL_TRACE); then for every k, call k fails
# ($JNET_MODEL_FAIL=k:EIO): the command must fail, name the call and say why (EIO), and
# leave the model as it was (with FAULT_PARTIAL=yes it may leave part of a removal done);
# run again it must succeed and end where the clean run ended. One check per call; every
# failure names SETUP, the command, the call number and the call.
fault_sweep() {
	fs_setup=$1; shift
	$fs_setup >/dev/null
	rm -f "$TMP/trace"
	JNET_MODEL_TRACE="$TMP/trace" "$JNET" "$@" >/dev/null 2>"$ERR" ||
	    { fail "$fs_setup: $*: the clean run failed: $(cat "$ERR")"; return; }
	mctl dump > "$TMP/good"
	fs_n=$(wc -l < "$TMP/trace")
	[ "$fs_n" -gt 0 ] || fail "$fs_setup: $*: no primitive calls traced"
	fs_k=1
	while [ "$fs_k" -le "$fs_n" ]; do
		fault_one "$fs_k" "$@"
		fs_k=$((fs_k + 1))
	done
	echo "${FAULT_LABEL:-}$fs_setup: $*: $fs_n primitive calls, each failed in turn"
}

# fault_one K COMMAND...: one step of fault_sweep (its SETUP in $fs_setup).
fault_one() {
	k=$1; shift
	$fs_setup >/dev/null
	mctl dump > "$TMP/before"
	op=$(sed -n "${k}p" "$TMP/trace" | awk '{print $3}')
	if JNET_MODEL_FAIL="$k:EIO" "$JNET" "$@" >/dev/null 2>"$ERR"; then
		fail "$fs_setup: $*: call $k ($op) failed, the command did not"
	elif ! grep -q -- "$op" "$ERR"; then
		fail "$fs_setup: $*: call $k: the error does not name $op: $(cat "$ERR")"
	elif ! grep -q "Input/output error" "$ERR"; then
		fail "$fs_setup: $*: call $k: the error does not say why: $(cat "$ERR")"
	else
		mctl dump > "$TMP/after"
		if [ "${FAULT_PARTIAL:-no}" = yes ] || cmp -s "$TMP/before" "$TMP/after"; then
			pass
		else
			fail "$fs_setup: $*: call $k ($op) left the state changed:
$(diff "$TMP/before" "$TMP/after" | head -20)"
		fi
	fi
	"$JNET" "$@" >/dev/null 2>"$ERR" || fail "$fs_setup: $*: run again after fault $k: $(cat "$ERR")"
	mctl dump > "$TMP/again"
	cmp -s "$TMP/good" "$TMP/again" || fail "$fs_setup: $*: run again after fault $k: another end state"
}

# run_all VERB: `jnet VERB jNN` (addm: `jnet addm jNN em0`) for the $N jails j0.. at once,
# as jail -p starts them; returns how many failed (their output on stderr).
run_all() {
	pids=""
	i=0
	while [ $i -lt $N ]; do
		if [ "$1" = addm ]; then
			"$JNET" addm j$i em0 >"$TMP/o.$i" 2>&1 &
		else
			"$JNET" "$1" j$i >"$TMP/o.$i" 2>&1 &
		fi
		pids="$pids $!"
		i=$((i + 1))
	done
	bad=0
	for p in $pids; do wait $p || bad=$((bad + 1)); done
	[ $bad -eq 0 ] || cat "$TMP"/o.* | sort | uniq -c | head -5 >&2
	return $bad
}

# kld_then_works: after addm web em0 loaded the modules, every verb works.
kld_then_works() {
	mctl jail-create web >/dev/null
	t "attach" jnet attach web
	t "show" jnet show web
	[ "$JNET_BACKEND" = netgraph ] || t "bridge list" jnet bridge list
	t "detach" jnet detach web
	t "destroy" jnet destroy web
	t "bridge add (isolated)" jnet bridge add lab0
	t "bridge del" jnet bridge del lab0
	t "gc" jnet gc
}

# kld_preloaded MODULES...: loaded by the host's administrator, loading refused (inside a
# jail that may use them): modfind finds them, nothing to load.
kld_preloaded() {
	fresh >/dev/null
	mctl kld load "$@"
	mctl kld refuse EPERM
	t "addm with the modules loaded and kldload refused" jnet addm web em0
	t "destroy" jnet destroy web
}

# jib_sum_check: jib's and jng's MACs come from BSD sum(1) (GNU `sum` is the same algorithm):
# without it the test is skipped (77); one vector by hand pins sum(1) itself: "web" =
# 119,101,98 -> c=119; c=(119>>1)+(1<<15)+101=32928; c=(32928>>1)+98=16562 = 0x40b2.
jib_sum_check() {
	if ! printf x | sum >/dev/null 2>&1; then
		echo "SKIP: no sum(1)"; exit 77
	fi
	eq "sum(1) of web, by hand" 16562 "$(printf web | sum | awk '{print $1 + 0}')"
}

# jib_mac NAME UPLINK_MAC N END: the MAC jib's derive_mac gives end END (a or b) of the
# N-th link of jail NAME on that uplink (jng's: end a). P is 2/e (a/b), a/e after an
# uplink of ?2, 2/6 after ?e.
jib_mac() {
	s=$(printf %s "$1" | sum | awk '{print $1 + 0}')
	up=$2 n=$3 end=$4
	first=$(printf %s "$up" | cut -c1-2)
	lo=$(( 0x$first & 15 ))
	if [ $lo -eq 2 ]; then pa=10 pb=14; elif [ $lo -eq 14 ]; then pa=2 pb=6; else pa=2 pb=14; fi
	[ "$end" = a ] && p=$pa || p=$pb
	printf '%02x:%02x:%02x:%s\n' $(( (n & 15) << 4 | p )) $(( s >> 8 )) $(( s & 255 )) \
	    "$(printf %s "$up" | cut -c10-17)"
}

# attach_cycle JEND GROUPS (jail db with its link attached, its JID in $dbjid): attach again
# does nothing, detach brings JEND home up in GROUPS, attach by JID; errors name the jail.
attach_cycle() {
	t "attach again is a no-op" jnet attach db
	t "detach db" jnet detach db
	eq "back on the host, up, in group jnet" "up|$2" "$(get "$1" up)|$(get "$1" groups)"
	t "detach db again" jnet detach db
	t "attach db by JID" jnet attach db "$dbjid"
	eq "inside db again" up "$(get "$1" up db)"
	tf "attach to a jail that does not exist" 1 "no such jail" jnet attach db nosuch
	tf "attach a jail without links" 1 "no jnet links" jnet attach nolinks db
}

# t_out DESC WANT COMMAND...: the command succeeds (a check) and prints WANT (another).
t_out() {
	d=$1 want=$2; shift 2
	t "$d" "$@"
	eq "$d: output" "$want" "$(cat "$OUT")"
}

# kld_fresh_addm: on a fresh box (no module loaded), addm web em0 em0 works, traced in
# $TMP/trace.
kld_fresh_addm() {
	fresh >/dev/null
	rm -f "$TMP/trace"
	t "addm two links on a fresh box" env JNET_MODEL_TRACE="$TMP/trace" "$JNET" addm web em0 em0
}

# fault_verbs: `check SCENARIO COMMAND...` (the test's) for the verbs both backends'
# fault tests sweep alike.
fault_verbs() {
	check hooks addm web em0
	check linkjail attach web
	check jailed detach web
	check link destroy web
	check jailed destroy web
	check new bridge add lab0 em0
}
