# 32 jails started at once (jail -p): 32 jnet processes run addm onto one bridge that none
# of them finds at first, interleaving at primitive granularity on the model's state file
# (one flock per primitive). All must succeed, with one bridge; then 32 parallel destroys
# leave nothing. Then the same with half of the jails existing (pairs moved into them).
. "$TESTLIB"
fresh
N=32

for round in 1 2; do
	if [ $round = 2 ]; then
		i=0
		while [ $i -lt $N ]; do
			[ $((i % 2)) -eq 0 ] && mctl jail-create j$i >/dev/null
			i=$((i + 1))
		done
	fi
	t "round $round: $N parallel addm onto em0bridge" run_all addm
	eq "round $round: one bridge" 1 "$(mctl dump | grep -c '"kind": "bridge"')"
	eq "round $round: $N host ends + em0 on it" $((N + 1)) "$(mctl members em0bridge | wc -l)"
	eq "round $round: $((2 * N)) epair ends" $((2 * N)) "$(epairs)"
	t "round $round: show" jnet show
	eq "round $round: $N jails listed" $N "$(wc -l < "$OUT")"
	if [ $round = 2 ]; then
		eq "j0's jail end inside j0" "jnet/2 link epair 0 b j0" "$(tagof e0b_j0 descr j0)"
		eq "j1's jail end on the host" "jnet/2 link epair 0 b j1" "$(tagof e0b_j1 descr)"
	fi
	t "round $round: $N parallel destroy" run_all destroy
	eq "round $round: nothing left" 0 "$(epairs)"
	eq "round $round: em0bridge keeps em0 only" em0 "$(mctl members em0bridge)"
done
finish
