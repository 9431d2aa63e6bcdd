# Batch mode (jnet -f) on the epair backend, against the kernel model: N addm, attach,
# detach and destroy lines leave the state separate processes leave, with no more kernel
# calls; a failing line (bad bridge, a duplicate MAC, a kernel call that fails, a usage
# error) leaves nothing of itself and the others run; exit status; -j.
. "$TESTLIB"
N=12
W=$TMP/w
mkdir "$W"

lines() {       # lines VERB...: "VERB jK ..." for every K
	k=0
	while [ $k -lt $N ]; do
		case $1 in
		addm) printf 'addm j%d em0=02:bb:00:00:00:%02x\n' $k $k ;;
		*) echo "$1 j$k" ;;
		esac
		k=$((k + 1))
	done
}
jails() {
	k=0
	while [ $k -lt $N ]; do mctl jail-create "j$k" >/dev/null; k=$((k + 1)); done
}
for v in addm attach detach destroy; do lines $v > "$W/$v"; done

# 1. One process per line, then the same lines as one batch: the same model state after
# each step, and the batch makes no more kernel calls than the processes.
fresh && jails
: > "$W/trace.sep"
for v in addm attach detach destroy; do
	while read -r verb a b; do
		JNET_MODEL_TRACE="$W/trace.sep" "$JNET" "$verb" $a $b || fail "separate $verb $a"
	done < "$W/$v"
	mctl dump > "$W/sep.$v"
done
fresh && jails
: > "$W/trace.batch"
for v in addm attach detach destroy; do
	t "batch of $N $v lines" env JNET_MODEL_TRACE="$W/trace.batch" "$JNET" -f "$W/$v"
	mctl dump > "$W/batch.$v"
	if diff -u "$W/sep.$v" "$W/batch.$v" > "$W/diff"; then pass
	else fail "state after $v differs: $(head -n 30 "$W/diff")"; fi
done
sep=$(wc -l < "$W/trace.sep") bat=$(wc -l < "$W/trace.batch")
if [ "$bat" -gt 0 ] && [ "$bat" -le "$sep" ]; then pass
else fail "kernel calls: batch $bat, separate processes $sep"; fi
eq "one process a batch (4 batches)" 4 "$(awk '{ print $1 }' "$W/trace.batch" | sort -u | wc -l)"

# 2. Failing lines in the middle, one of them at a kernel call: each undoes itself.
fresh && jails
cat > "$W/mixed" <<'EOF'
addm j1 em0=02:00:00:00:00:01
addm j2 nosuchbr
addm j3 -J nosuchjail em0
addm j4 em0 nosuchbr
addm j5 -M 1 em0
addm j6 em0
EOF
tf "mixed: worst is the usage error (2)" 2 "^$W/mixed:2: addm j2: nosuchbr" jnet -f "$W/mixed"
for p in ":3: addm j3: nosuchjail: no such jail" ":4: addm j4: nosuchbr" ":5: addm: -M: "; do
	grep -Eq "^$W/mixed$p" "$ERR" && pass || fail "stderr lacks /$p/: $(cat "$ERR")"
done
eq "j1 made" up "$(get e0a_j1 up)"
eq "j1's jail end" "02:00:00:00:00:01" "$(get e0b_j1 mac j1)"
eq "j6 made" up "$(get e0a_j6 up)"
for i in e0a_j2 e0b_j2 e0a_j3 e0b_j3 e0a_j4 e0b_j4 e1a_j4 e1b_j4 e0a_j5 e0b_j5; do
	eq "nothing of $i" "" "$(get "$i" kind)"
done
eq "two epairs (four ends)" 4 "$(epairs)"
# A kernel call failing in line 2: find the batch's calls, then fail one of line 2's (its
# epair creation) in the same batch on the same fresh host.
printf 'addm j7 em0\naddm j8 em0\naddm j9 em0\n' > "$W/three"
fresh && jails
JNET_MODEL_TRACE="$W/trace.three" "$JNET" -f "$W/three" >/dev/null 2>&1
call=$(awk '$3 == "SIOCIFCREATE2" && $4 == "epair" { n++; if (n == 2) { print $2; exit } }' \
    "$W/trace.three")
fresh && jails
if [ -n "$call" ]; then
	tf "a kernel call failing in line 2: 1" 1 "^$W/three:2: addm j8: " \
	    env JNET_MODEL_FAIL="$call:EIO" "$JNET" -f "$W/three"
	eq "line 1 done" up "$(get e0a_j7 up)"
	eq "line 3 done" up "$(get e0a_j9 up)"
	eq "nothing of line 2" "" "$(get e0a_j8 kind)$(get e0b_j8 kind)"
	eq "two epairs (four ends)" 4 "$(epairs)"
else
	fail "no epair creation in the trace: $(head -n 20 "$W/trace.three")"
fi

# 3. -j and exit status.
printf 'show j7\ndestroy j7\ndestroy j9\nlab down x\n' > "$W/j"
tf "-j: 2 (lab refused)" 2 "^$W/j:4: lab is refused" jnet -j -f "$W/j"
eq "-j: statuses" "1 show 0|2 destroy 0|3 destroy 0|4 lab 2|" \
    "$(python3 -c 'import json, sys
print("".join("%d %s %d|" % (o["line"], o["command"], o["status"]) for o in map(json.loads, sys.stdin)))' < "$OUT")"
eq "-j: show's output" e0a_j7 "$(python3 -c 'import json, sys
print(json.loads(sys.stdin.readline())["output"][0]["host"]["name"])' < "$OUT")"
eq "nothing left" 0 "$(epairs)"
printf 'addm j10 em0\n' | jnet -f - >/dev/null 2>&1
eq "stdin" up "$(get e0a_j10 up)"
finish
