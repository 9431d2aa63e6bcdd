# 32 jails started at once (jail -p) with the netgraph backend: 32 jnet processes run addm
# onto em0bridge, which none of them finds at first, interleaving at primitive granularity
# on the model's state file (one flock per primitive). Under FreeBSD 14's numbering (try
# linkN, N+1 on EEXIST) and 15's (the bridge numbers "link"): all succeed, one bridge, em0
# on it by lower and upper, every eiface on its own link; then 32 parallel attach and 32
# parallel destroy leave nothing but the bridge.
. "$TESTLIB"
: "${NGCTL:?NGCTL must point at jnet-model-ngctl}"
export JNET_BACKEND=netgraph
N=32

for v in 14 15; do
	fresh >/dev/null
	mctl version $v
	t "$v: $N parallel addm onto em0bridge" run_all addm
	"$NGCTL" ls > "$TMP/ls"
	eq "$v: one bridge" 1 "$(grep -c ' bridge ' "$TMP/ls")"
	eq "$v: $N eifaces" $N "$(grep -c ' eiface ' "$TMP/ls")"
	"$NGCTL" show em0bridge: > "$TMP/bhooks"
	eq "$v: em0 on the bridge by lower and upper" "lower
upper" "$(awk '$2 == "em0" {print $4}' "$TMP/bhooks" | sort)"
	eq "$v: $N eifaces on the bridge, by ether" $N "$(awk '$3 == "eiface" && $4 == "ether"' "$TMP/bhooks" | wc -l)"
	eq "$v: every hook on the bridge is a distinct link number" $((N + 2)) \
	    "$(awk '{print $1}' "$TMP/bhooks" | grep -E '^link[0-9]+$' | sort -u | wc -l)"
	# (Numbers may have gaps: the creator's hold on link2 while it builds the bridge, and
	# 14's starting guess, can leave one free. Distinct is what matters.)
	i=0
	while [ $i -lt $N ]; do
		# every jail's interface is named and tagged like its node
		[ "$(tagof ng0_j$i descr)" = "jnet/2 link netgraph 0 a j$i" ] || fail "$v: ng0_j$i tag"
		mctl jail-create j$i >/dev/null
		i=$((i + 1))
	done
	t "$v: show lists $N jails" jnet show
	eq "$v: $N lines" $N "$(wc -l < "$OUT")"
	t "$v: $N parallel attach" run_all attach
	eq "$v: j7's interface inside j7" "jnet/2 link netgraph 0 a j7" "$(tagof ng0_j7 descr j7)"
	t "$v: $N parallel destroy" run_all destroy
	"$NGCTL" ls > "$TMP/ls"
	eq "$v: no eiface left" 0 "$(grep -c ' eiface ' "$TMP/ls")"
	eq "$v: no ngeth interface left anywhere" 0 "$(mctl dump | grep -c '"kind": "ngeth"')"
	eq "$v: the bridge keeps em0 only" "em0 em0" "$("$NGCTL" show em0bridge: | awk '{print $2}' | tr '\n' ' ' | sed 's/ $//')"
done
finish
