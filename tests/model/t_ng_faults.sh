# Fault injection through the command line, netgraph backend: for a command, count its
# primitive calls ($JNET_MODEL_TRACE), then for every k make call k fail
# ($JNET_MODEL_FAIL=k:EIO) and check that the command fails, says which step failed, and
# leaves the model exactly as it was; then that the same command, run again, succeeds and
# ends where a clean run ends. Under FreeBSD 14's and 15's link numbering.
. "$TESTLIB"
export JNET_BACKEND=netgraph

# scenario NAME: set up the state before the command
scenario() {
	fresh >/dev/null
	rm -f "$HOOKDIR"/*
	mctl version $V
	# Loaded modules stay loaded whatever fails later (kldload is not undone, and
	# ng_ether's load gives every interface its ether node): states compare on a box
	# that has them. A fresh box: t_ng_kld.sh.
	mctl kld load all
	case $1 in
	new) ;;
	link) jnet addm web em0 ;;
	other) jnet addm other em0 ;;
	linkjail) jnet addm web em0 && mctl jail-create web >/dev/null ;;
	jailed) jnet addm web em0 && mctl jail-create web >/dev/null && jnet attach web ;;
	hooks) printf 'exit 0\n' > "$HOOKDIR/start_if.ng0_web" ;;
	lab) jnet bridge add lab0 em0 ;;
	esac
}

# check SCENARIO COMMAND...
check() {
	sc=$1; shift
	scenario $sc
	rm -f "$TMP/trace"
	JNET_MODEL_TRACE="$TMP/trace" "$JNET" "$@" >/dev/null 2>"$ERR" ||
	    fail "$sc: $*: the clean run failed: $(cat "$ERR")"
	mctl dump > "$TMP/good"
	n=$(wc -l < "$TMP/trace")
	[ "$n" -gt 0 ] || fail "$sc: $*: no primitive calls traced"
	k=1
	while [ $k -le $n ]; do
		scenario $sc
		mctl dump > "$TMP/before"
		op=$(sed -n "${k}p" "$TMP/trace" | awk '{print $3}')
		if JNET_MODEL_FAIL="$k:EIO" "$JNET" "$@" >/dev/null 2>"$ERR"; then
			fail "$sc: $*: call $k ($op) failed, the command did not"
		elif ! grep -q -- "$op" "$ERR"; then
			fail "$sc: $*: call $k: the error does not name $op: $(cat "$ERR")"
		elif ! grep -q "Input/output error" "$ERR"; then
			fail "$sc: $*: call $k: the error does not say why: $(cat "$ERR")"
		else
			mctl dump > "$TMP/after"
			if cmp -s "$TMP/before" "$TMP/after"; then pass; else
				fail "$sc: $*: call $k ($op) left the state changed:
$(diff "$TMP/before" "$TMP/after" | head -20)"
			fi
		fi
		"$JNET" "$@" >/dev/null 2>"$ERR" || fail "$sc: $*: run again after fault $k: $(cat "$ERR")"
		mctl dump > "$TMP/again"
		cmp -s "$TMP/good" "$TMP/again" || fail "$sc: $*: run again after fault $k: another end state"
		k=$((k + 1))
	done
	echo "FreeBSD $V, $sc: $*: $n primitive calls, each failed in turn"
}

for V in 14 15; do
	check new addm web em0
	check new -m jib addm web em0 em0
	check other addm web em0
	check hooks addm web em0
	check linkjail attach web
	check jailed detach web
	check link destroy web
	check jailed destroy web
	check new bridge add lab0 em0
	check new bridge add lab0
	check lab bridge del lab0
done
finish
