# Sourced by t_lab.sh and t_ng_lab.sh after lib.sh (JNET_BACKEND set): what the lab tests of
# both backends check the same way.
EX=$(cd "$(dirname "$TESTLIB")/../../examples/labs" && pwd)
# A dump without what differs between equal states made at different times (JIDs, and the
# vnet numbers and kernel-chosen MACs that come with them; $NORM_MORE: the backend's own).
norm() { mctl dump | jq -S 'del(.jails[].jid) | .interfaces |= map(.in |= sub("#[0-9]+$"; ""))
	| .interfaces |= map(del(.mac)) | .interfaces |= map(.addrs |= map(select(startswith("fe80:") | not)))
	| .interfaces |= sort_by(.in, .name)'"${NORM_MORE:-}"; }
lab() { jnet -t "$JNET_BACKEND" lab "$@"; }

# lab_up_complete EX FILE: up, and status (text and JSON) says complete; the JSON in $TMP/st.
lab_up_complete() {
	t "$1: up" lab up "$2"
	t "$1: status says complete" lab status "$2"
	jnet -j -t "$JNET_BACKEND" lab status "$2" >"$TMP/st" 2>&1
	eq "$1: status -j complete" true "$(jq .complete "$TMP/st")"
}

# lab_cycle EX FILE (after lab_up_complete, $TMP/before: the state before up): up again
# changes nothing, down (with the file, and -n LAB) leaves the model as before up, up after
# down gives the same state.
lab_cycle() {
	eq "$1: no address missing" 0 \
	    "$(jq '[.jails[].interfaces[].missing_addresses[]] | length' "$TMP/st")"
	eq "$1: every route present" 0 \
	    "$(jq '[.jails[].routes[] | select(.present != true)] | length' "$TMP/st")"
	norm >"$TMP/up1"
	t "$1: up again" lab up "$2"
	norm >"$TMP/up2"
	t "$1: up twice changes nothing" cmp -s "$TMP/up1" "$TMP/up2"
	t "$1: down" lab down "$2"
	norm >"$TMP/after"
	t "$1: down leaves the model as before up" cmp -s "$TMP/before" "$TMP/after"
	lab up "$2" >/dev/null 2>&1
	norm >"$TMP/up3"
	t "$1: up after down gives the same state" cmp -s "$TMP/up1" "$TMP/up3"
	name=$(sed -n 's/^lab: *//p' "$2")
	t "$1: down -n $name without the file" lab down -n "$name"
	norm >"$TMP/after"
	t "$1: down -n leaves the model as before up" cmp -s "$TMP/before" "$TMP/after"
}

# two_labs_up: pair.yaml and a copy named pair2 (same jail names) up, the first down again:
# the second stays complete. two_labs_down: the second down leaves nothing.
two_labs_up() {
	fresh
	norm >"$TMP/before"
	sed 's/^lab: pair/lab: pair2/; s/10\.0\.0\./10.0.9./' "$EX/pair.yaml" >"$TMP/pair2.yaml"
	t "two labs: first up" lab up "$EX/pair.yaml"
	t "two labs: second up (same jail names)" lab up "$TMP/pair2.yaml"
	t "two labs: first complete" lab status "$EX/pair.yaml"
	t "two labs: second complete" lab status "$TMP/pair2.yaml"
	t "two labs: down the first" lab down "$EX/pair.yaml"
	t "two labs: second still complete" lab status "$TMP/pair2.yaml"
}
two_labs_down() {
	t "two labs: down the second" lab down -n pair2
	norm >"$TMP/after"
	t "two labs: nothing left" cmp -s "$TMP/before" "$TMP/after"
}

# lab_faults EX FILE: the k-th primitive call of up fails (every call, every 7th above 150
# calls); down then leaves the model as before, and a clean up completes the lab to the
# state of a clean run; every injected fault makes up fail.
lab_faults() {
	fresh
	norm >"$TMP/before"
	lab up "$2" >/dev/null 2>&1
	norm >"$TMP/clean"
	lab down "$2" >/dev/null 2>&1
	rm -f "$TMP/trace"
	JNET_MODEL_TRACE=$TMP/trace "$JNET" -t "$JNET_BACKEND" lab up "$2" >/dev/null 2>&1
	n=$(wc -l <"$TMP/trace")
	lab down "$2" >/dev/null 2>&1
	step=1
	[ "$n" -gt 150 ] && step=7
	bad_down=0 bad_up=0 runs=0 failed_ups=0
	k=1
	while [ "$k" -le "$n" ]; do
		lab_fault_at "$1" "$2" "$k"
		runs=$((runs + 1))
		k=$((k + step))
	done
	eq "$1: faults: every failed up undone by down ($runs faults of $n calls)" 0 $bad_down
	eq "$1: faults: every failed up completed by the next up" 0 $bad_up
	eq "$1: faults: every injected fault made up fail" $runs $failed_ups
}

# lab_fault_at EX FILE K: one step of lab_faults (counts in bad_down, bad_up, failed_ups).
lab_fault_at() {
	JNET_MODEL_FAIL="$3:EIO" "$JNET" -t "$JNET_BACKEND" lab up "$2" >/dev/null 2>&1 ||
	    failed_ups=$((failed_ups + 1))
	lab down "$2" >/dev/null 2>&1
	norm >"$TMP/after"
	cmp -s "$TMP/before" "$TMP/after" || { bad_down=$((bad_down + 1)); echo "  $1 k=$3: down left something"; }
	JNET_MODEL_FAIL="$3:EIO" "$JNET" -t "$JNET_BACKEND" lab up "$2" >/dev/null 2>&1
	lab up "$2" >/dev/null 2>&1
	norm >"$TMP/after"
	cmp -s "$TMP/clean" "$TMP/after" || { bad_up=$((bad_up + 1)); echo "  $1 k=$3: up did not complete"; }
	lab down "$2" >/dev/null 2>&1
}

# lab_exec_checks: the model runs `lab exec` on the host and says which jail through the
# environment; the exit status is passed through.
lab_exec_checks() {
	lab exec "$EX/router.yaml" b1 -- sh -c 'exit 7' >"$OUT" 2>"$ERR"
	eq "exec: exit status passed through" 7 $?
	lab exec "$EX/router.yaml" b1 -- sh -c 'echo "$JNET_MODEL_JAIL"' >"$OUT" 2>"$ERR"
	eq "exec: runs for jail router.b1" router.b1 "$(cat "$OUT")"
}
