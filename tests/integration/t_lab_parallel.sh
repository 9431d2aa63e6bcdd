# Commands on one lab serialise on its lock (RUNDIR/lab.LAB): five parallel `up` of one
# file all succeed (the later ones find the lab complete), `up` racing `down` leaves either
# the whole lab or nothing, and `exec` waits for a running `up`. Different labs do not wait
# for each other.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

R=$LABS/router.yaml
P=$LABS/pair.yaml

# five_ups FILE: start five `lab up FILE` at once; every one must exit 0.
five_ups() {
	pids=""
	for i in 1 2 3 4 5; do
		"$JNET" lab up "$1" >"$WORK/up$i.out" 2>"$WORK/up$i.err" &
		pids="$pids $!"
	done
	i=1
	for p in $pids; do
		wait "$p"
		eq "five parallel ups of $(basename "$1"): up #$i exits 0 ($(cat "$WORK/up$i.err"))" 0 $?
		i=$((i + 1))
	done
}

five_ups "$R"
t "five parallel ups: complete" lab_complete "$R"
eq "five parallel ups: one namespace per jail" "router.a1
router.a2
router.b1
router.b2
router.router" "$(lab_netns router)"
eq "five parallel ups: one port per jail on lan0 (+ the router)" 3 "$(nlc count master router_lan0)"
ping_matrix "$R" "a1 b2" "10.0.2.12 fd00:0:0:1::11"
macs "$R" > "$WORK/m5"
t "five parallel ups: down" jnet lab down "$R"
nothing_at_all "five parallel ups"
t "a clean up" jnet lab up "$R"
macs "$R" > "$WORK/m1"
same "five parallel ups made the lab a single up makes" "$WORK/m1" "$WORK/m5"
t "clean: down" jnet lab down "$R"
five_ups "$P"
t "five parallel ups of pair: complete" lab_complete "$P"
t "five parallel ups of pair: down" jnet lab down "$P"
nothing_at_all "pair"

# up racing down: each exits 0, and the lab is whole or absent, never half.
for round in 1 2 3 4; do
	[ $((round % 2)) -eq 0 ] && t "round $round: up first" jnet lab up "$R"
	"$JNET" lab up "$R" >"$WORK/u.out" 2>"$WORK/u.err" &
	pu=$!
	"$JNET" lab down "$R" >"$WORK/d.out" 2>"$WORK/d.err" &
	pd=$!
	wait $pu
	eq "up racing down, round $round: up exits 0 ($(cat "$WORK/u.err"))" 0 $?
	wait $pd
	eq "up racing down, round $round: down exits 0 ($(cat "$WORK/d.err"))" 0 $?
	if [ -z "$(lab_netns router)" ] && [ "$(jnet_leftovers)" = 0 ]; then
		pass
	elif lab_complete "$R"; then
		pass
	else
		fail "up racing down, round $round: the lab is half there: $(lab_missing "$R")"
	fi
	t "round $round: down" jnet lab down "$R"
	nothing_at_all "round $round"
done

# The lock itself: while lab pair's lock is held, `up pair` waits and `up pair2` does not.
sed 's/^lab: pair$/lab: pair2/' "$P" > "$WORK/pair2.yaml"
mkdir -p /run/jnet
flock /run/jnet/lab.pair sleep 3 &
holder=$!
sleep 0.3
t0=$(date +%s%N)
t "lock of pair held: up pair2 runs" jnet lab up "$WORK/pair2.yaml"
t1=$(date +%s%N)
t "lock of pair held: up pair2 did not wait for it" test $(((t1 - t0) / 1000000)) -lt 2500
t "lock of pair held: up pair waits, then runs" jnet lab up "$P"
t2=$(date +%s%N)
t "lock of pair held: up pair waited for the holder" test $(((t2 - t0) / 1000000)) -ge 2500
wait $holder
t "pair: complete" lab_complete "$P"
t "pair2: complete" lab_complete "$WORK/pair2.yaml"
# exec and down wait too.
flock /run/jnet/lab.pair sleep 2 &
holder=$!
sleep 0.3
t0=$(date +%s%N)
t "lock held: exec waits, then runs" jnet lab exec "$P" a -- true
t1=$(date +%s%N)
t "lock held: exec waited" test $(((t1 - t0) / 1000000)) -ge 1500
wait $holder
flock /run/jnet/lab.pair sleep 2 &
holder=$!
sleep 0.3
t0=$(date +%s%N)
t "lock held: down -n waits, then runs" jnet lab down -n pair
t1=$(date +%s%N)
t "lock held: down waited" test $(((t1 - t0) / 1000000)) -ge 1500
wait $holder
lab_gone "pair down" pair pair_lan0
# status reads without the lock; exec lets go of it before its command runs.
t "pair: up again" jnet lab up "$P"
flock /run/jnet/lab.pair sleep 3 &
holder=$!
sleep 0.3
t0=$(date +%s%N)
t "lock held: status does not wait" jnet lab status "$P"
t1=$(date +%s%N)
t "lock held: status answered at once" test $(((t1 - t0) / 1000000)) -lt 2000
wait $holder
"$JNET" lab exec "$P" a -- sleep 3 &
ex=$!
sleep 0.5
t0=$(date +%s%N)
t "exec running a command: up does not wait for it" jnet lab up "$P"
t1=$(date +%s%N)
t "exec running a command: up answered at once" test $(((t1 - t0) / 1000000)) -lt 2000
wait $ex
eq "exec: its command ran to the end" 0 $?
t "pair: down" jnet lab down "$P"
lab_gone "pair down again" pair pair_lan0
# Two different labs in parallel.
"$JNET" lab down "$WORK/pair2.yaml" &
p1=$!
"$JNET" lab up "$R" &
p2=$!
wait $p1
eq "pair2 down in parallel with router up: down exits 0" 0 $?
wait $p2
eq "router up in parallel with pair2 down: up exits 0" 0 $?
t "router: complete" lab_complete "$R"
t "router: down" jnet lab down "$R"
nothing_at_all "end"
finish
