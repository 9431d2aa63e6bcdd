# Batch mode (jnet -f FILE / -f -): N addm lines and N destroy lines leave the kernel
# state separate processes leave; a failing line leaves nothing of itself and the others
# run; exit status = the worst line; stdin; comments; -j (JSON Lines, parsed by jq or
# python3); refusals (lab, nested -f, options, quotes); -e; the context reset between lines;
# one lock per line; 1000 lines, failing ones among them (leaks: the ASan build).
. "$TESTLIB"
W=$(mktemp -d)
export SOURCE_DATE_EPOCH=1700000000  # tags' t=: the two runs compare equal
N=40

mk_uplink em0 00:11:22:33:44:55
k=0
while [ $k -lt $N ]; do echo "netns add bj$k"; k=$((k + 1)); done | ip -batch -

# state: every link of the host and of each jail, ifindexes and peers' indexes left out
# (they differ from run to run), sorted.
state() {
	{
		ip -o link show | sed 's/^[0-9]*: //; s/@[^:]*:/:/'
		k=0
		while [ $k -lt $N ]; do
			ip -n "bj$k" -o link show | sed "s/^[0-9]*: /bj$k /; s/@[^:]*:/:/"
			k=$((k + 1))
		done
	} | sed 's/ link-netnsid [0-9]*//' | sort
}
lines() {       # lines VERB: VERB bjK [em0=MAC] for every K
	k=0
	while [ $k -lt $N ]; do
		if [ "$1" = addm ]; then printf 'addm bj%d em0=02:bb:00:00:00:%02x\n' $k $k
		else echo "destroy bj$k"; fi
		k=$((k + 1))
	done
}

# 1. Separate processes, then one batch: the same kernel state after up and after down.
state > "$W/s0"
lines addm > "$W/up"
lines destroy > "$W/down"
while read -r v a b; do jnet --mac-salt batch "$v" $a $b || fail "separate $v $a"; done < "$W/up"
state > "$W/s1"
while read -r v a; do jnet --mac-salt batch "$v" "$a" || fail "separate $v $a"; done < "$W/down"
state > "$W/s2"
t "batch of $N addm lines" jnet --mac-salt batch -f "$W/up"
eq "batch up: no output" "" "$(cat "$OUT" "$ERR")"
state > "$W/b1"
if diff -u "$W/s1" "$W/b1" > "$W/diff"; then pass; else fail "up state differs: $(cat "$W/diff")"; fi
eq "$N host ends in the jnet group" $((N + 1)) "$(jnet_leftovers)"
t "batch of $N destroy lines from stdin" sh -c '"$JNET" --mac-salt batch -f - < "$1"' sh "$W/down"
state > "$W/b2"
if diff -u "$W/s2" "$W/b2" > "$W/diff"; then pass; else fail "down state differs: $(cat "$W/diff")"; fi
# The salt (a global option) reached every line: with another salt the MACs differ.
t "another salt" jnet --mac-salt other -f "$W/up"
state > "$W/b3"
if diff -q "$W/s1" "$W/b3" >/dev/null; then fail "--mac-salt did not reach the lines"; else pass; fi
t "destroy all" jnet -f "$W/down"

# 2. Failing lines in the middle: each leaves nothing of itself, the others run.
cat > "$W/mixed" <<'EOF'
# a comment, then a blank line

addm bj1 em0   # a trailing comment
addm bj2 nosuchbr
addm bj3 em0=02:00:00:00:00:33
addm bj4 em0=02:00:00:00:00:33
	addm bj5 em0 nosuchbr
addm bj6 -M 5 em0
addm bj7 em0
EOF
tf "mixed batch: worst status is the usage error (2)" 2 \
    "^$W/mixed:4: addm bj2: nosuchbr: " jnet -f "$W/mixed"
for p in "^$W/mixed:6: addm bj4: " "^$W/mixed:7: addm bj5: nosuchbr" \
    "^$W/mixed:8: addm: -M: MTU"; do
	if grep -Eq -- "$p" "$ERR"; then pass; else fail "stderr lacks /$p/: $(cat "$ERR")"; fi
done
t "bj1 made" nlc -n bj1 link e0b_bj1 up
t "bj3 made" nlc -n bj3 link e0b_bj3 up mac=02:00:00:00:00:33
t "bj7 made" nlc -n bj7 link e0b_bj7 up
t "nothing of the failing lines" nlc absent e0a_bj2 e0b_bj2 e0a_bj4 e0b_bj4 e0a_bj5 e0b_bj5 \
    e1a_bj5 e1b_bj5 e0a_bj6 e0b_bj6
for k in 2 4 5 6; do
	t "nothing of bj$k in its jail" nlc -n "bj$k" absent e0b_bj$k e1b_bj$k
done
eq "only the three good links" 4 "$(jnet_leftovers)"

# 3. Exit status: 0 all good, 1 a failing line, 2 a usage error; -e stops at the first.
printf 'addm bj1 em0\nshow bj1\n' > "$W/ok"
t "all lines good: 0" jnet -f "$W/ok"
eq "show's output" "e0a_bj1" "$(cat "$OUT")"
printf 'destroy bj9\naddm bj8 nosuchbr\naddm bj9 em0\n' > "$W/one"
tf "a failing line: 1" 1 "^$W/one:2: addm bj8" jnet -f "$W/one"
t "the line after it ran" nlc -n bj9 link e0b_bj9
t "destroy bj9" jnet destroy bj9
tf "-e: stops at the failing line" 1 "stopped at line 2 \(-e\)" jnet -e -f "$W/one"
t "-e: the line after it did not run" nlc -n bj9 absent e0b_bj9
printf 'addm bj10\n' > "$W/usage"
tf "a usage error: 2" 2 "^$W/usage:1: addm: need a jail name" jnet -f "$W/usage"
tf "missing file: 1" 1 "^jnet: $W/nonexistent: No such file" jnet -f "$W/nonexistent"
tf "a directory: 1" 1 "^jnet: $W: cannot read after line 0: Is a directory" jnet -f "$W"
tf "-f with a command: 2" 2 "-f: no command after it" jnet -f "$W/ok" show
tf "-e without -f: 2" 2 "-e: only with -f" jnet -e show
tf "an unknown backend: 2, no line runs" 2 "unknown backend 'foo'" jnet -t foo -f "$W/ok"
printf '\n# nothing\n   \n' > "$W/empty"
t "an empty batch: 0" jnet -f "$W/empty"
printf 'show bj1\r\n' > "$W/crlf"
t "CRLF line ends" jnet -f "$W/crlf"
eq "CRLF: the name has no CR" "e0a_bj1" "$(cat "$OUT")"

# 4. Refusals, each naming its line; the other lines still run.
cat > "$W/refused" <<'EOF'
lab up x.yaml
-f other
--file=other
-t netns show
addm "bj11" em0
addm bj\11 em0
name bj1
help
version
graph
jnet addm bj11 em0
addm bj11 em0
EOF
tf "refusals: 2" 2 "^$W/refused:1: lab is refused in a batch" jnet -f "$W/refused"
for p in ":2: nested -f is refused" ":3: nested -f is refused" ":4: '-t': options before" \
    ":5: .*quotes and backslashes are refused" ":6: .*quotes and backslashes" \
    ":7: name is refused" ":8: help is refused" ":9: version is refused" \
    ":10: graph is refused" ":11: unknown command 'jnet' \(a line holds what follows"; do
	if grep -Eq -- "^$W/refused$p" "$ERR"; then pass; else fail "stderr lacks /$p/: $(cat "$ERR")"; fi
done
t "the good line after them ran" nlc -n bj11 link e0b_bj11
t "no jail with quotes" nlc absent 'e0a_"bj11"'

# Messages from standard input start with "stdin:LINE:"; warnings carry the prefix too.
tf "stdin: the prefix" 1 "^stdin:2: addm bj12: nosuchbr" \
    sh -c 'printf "\naddm bj12 nosuchbr\n" | "$JNET" -f -'
printf 'exit 1\n' > "$HOOKDIR/stop_if.e0a_bj11"
printf '# a warning\ndestroy bj11\n' > "$W/warn"
tf "a warning is not a failure, and is prefixed" 0 "^$W/warn:2: destroy bj11: warning: " \
    jnet -f "$W/warn"
rm -f "$HOOKDIR/stop_if.e0a_bj11"
t "bj11 again" jnet addm bj11 em0

# 5. -j: one JSON object a line, parsed by a JSON tool.
printf 'show bj1\naddm bj12 nosuchbr\nbogus\ndestroy bj11\nbridge list\nshow "x"\nbridge add bj12br\nbridge del bj12br\n' > "$W/json"
tf "-j batch: 2" 2 "" jnet -j -f "$W/json"
cp "$OUT" "$W/json.out"
if command -v jq >/dev/null 2>&1; then
	eq "-j: line, command, status of each line (jq)" \
	    "1 show 0|2 addm 1|3 bogus 2|4 destroy 0|5 bridge list 0|6 null 2|7 bridge add 0|8 bridge del 0|" \
	    "$(jq -j '"\(.line) \(.command) \(.status)|"' < "$W/json.out")"
	eq "-j: show's output nested" "e0a_bj1" "$(jq -r 'select(.line == 1) | .output[0].host.name' < "$W/json.out")"
	eq "-j: the error of line 2" "nosuchbr: no such interface" \
	    "$(jq -r 'select(.line == 2) | .error' < "$W/json.out" | cut -d' ' -f1-4)"
	eq "-j: the jail of line 4" "bj11" "$(jq -r 'select(.line == 4) | .jail' < "$W/json.out")"
	eq "-j: bridge list nested" "true" \
	    "$(jq -r 'select(.line == 5) | [.output[].name] | index("em0bridge") != null' < "$W/json.out")"
fi
t "-j: valid JSON Lines (python3)" python3 -m json.tool --json-lines "$W/json.out"
eq "-j: one object per line" 8 "$(wc -l < "$W/json.out")"

# 6. The context is reset between lines: gc --min-age 0 on one line does not reach the
# next gc (a young never-attached link of a gone jail stays under the default 600 s).
unset SOURCE_DATE_EPOCH
printf 'gc --min-age 0\naddm ghost em0\ngc\n' > "$W/gc"
t "gc lines" jnet -f "$W/gc"
t "the young ghost link is still there (default min age)" nlc link e0a_ghost
t "gc --min-age 0" jnet gc --min-age 0
t "ghost removed" nlc absent e0a_ghost e0b_ghost

# 7. Locks: each line takes its jail's lock and lets it go. A start_if hook of bj14's host
# end (line 2) looks at the locks: bj13's (line 1) is free, bj14's is held.
RUNDIR=/run/jnet
cat > "$HOOKDIR/start_if.e0a_bj14" <<EOF
flock -n $RUNDIR/jail.bj13 true && echo "bj13 free" >> $W/locks
flock -n $RUNDIR/jail.bj14 true || echo "bj14 held" >> $W/locks
EOF
printf 'addm bj13 em0\naddm bj14 em0\n' > "$W/lk"
t "lock lines" jnet -f "$W/lk"
eq "line 1's lock released, line 2's held" "bj13 free
bj14 held" "$(cat "$W/locks" 2>/dev/null)"
rm -f "$HOOKDIR/start_if.e0a_bj14"
# Another jnet process waits for a jail a batch line holds, then runs.
cat > "$HOOKDIR/start_if.e0a_bj15" <<EOF
# JNET_MAC in a hook's environment is the interface's MAC, not jnet's -m setting.
env -u JNET_MAC "$JNET" addm bj16 em0 && echo "other process ran" >> $W/locks2
EOF
printf 'addm bj15 em0\n' > "$W/lk2"
t "a batch line with a concurrent process on another jail" jnet -f "$W/lk2"
eq "other process on another jail not blocked" "other process ran" "$(cat "$W/locks2" 2>/dev/null)"
rm -f "$HOOKDIR/start_if.e0a_bj15"

# 8. 1000 lines, failing ones among them (the ASan build checks for leaks at exit).
: > "$W/big"
k=0
while [ $k -lt 200 ]; do
	j=$((k % N))
	{
		echo "addm bj$j em0"
		echo "addm bj$j nosuchbr$k"
		echo "addm"
		echo "show bj$j"
		echo "destroy bj$j"
	} >> "$W/big"
	k=$((k + 1))
done
eq "1000 lines" 1000 "$(wc -l < "$W/big")"
tf "1000 lines: worst 2" 2 "^$W/big:998: addm: need a jail name" jnet -j -f "$W/big"
eq "1000 lines: 400 messages (200 failures, 200 usage errors)" 400 "$(grep -c "^$W/big:" "$ERR")"
eq "1000 status objects" 1000 "$(wc -l < "$OUT")"
eq "1000 lines: statuses" "0:600 1:200 2:200" \
    "$(python3 -c 'import json, sys, collections
c = collections.Counter(json.loads(l)["status"] for l in sys.stdin)
print(" ".join("%d:%d" % (k, c[k]) for k in sorted(c)))' < "$OUT")"

jnet destroy bj1 && jnet destroy bj3 && jnet destroy bj7 && jnet destroy bj13 &&
    jnet destroy bj14 && jnet destroy bj15 && jnet destroy bj16 || fail "cleanup"
jnet bridge del em0bridge || fail "bridge del"
eq "nothing of jnet left" 0 "$(jnet_leftovers)"
rm -rf "$W"
finish
