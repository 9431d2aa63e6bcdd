# kill -9 at every kernel call, on both FreeBSD backends (the model): for each command and
# each K, the command is killed as it enters its K-th primitive call (JNET_MODEL_KILL=K);
# then (A) the same command again completes it, (B) destroy (or bridge del) alone removes
# everything of it. Every time: nothing of the jail is left, and nothing foreign changed.
# (The netns backend's equivalent, at every netlink request, is tests/integration/t_kill.sh.)
. "$TESTLIB"

# Foreign objects: an epair of somebody else's, an interface described like one of ours but
# not by jnet; em1 is an uplink lent to jnet (it joins kbr and is given back).
foreign_setup() {
	mctl ifadd em1 02:00:00:00:00:11
	mctl epair fa fb >/dev/null
	mctl ifadd e9a_web 02:00:00:00:00:99
	mctl describe e9a_web "jnet/2 link epair 0 a" >/dev/null
}
foreign_state() {
	for i in fa fb e9a_web; do
		printf '%s %s %s %s %s|' "$i" "$(get "$i" kind)" "$(get "$i" descr)" \
		    "$(get "$i" up)" "$(get "$i" bridge)"
	done
}
# Everything of jail kj (tagged for it, or named like its links) and bridge kbr.
left_of_kj() {
	"$MODELCTL" dump | jq -r '[.interfaces[] | select(((.descr // "") | test(" kj( |$)")) or
	    (.name | test("^(e[0-9]+[ab]_kj|ng[0-9]+_kj)$")))] | map(.name) | join(" ")'
}

setup() { # CMD: the state the command starts from
	fresh
	foreign_setup
	case $1 in
	addm_jail) mctl jail-create kj >/dev/null ;;
	attach) jnet addm kj em0 em0 >/dev/null && mctl jail-create kj >/dev/null ;;
	detach | destroy) mctl jail-create kj >/dev/null && jnet addm kj em0 em0 >/dev/null &&
	    jnet attach kj >/dev/null ;;
	brdel) jnet bridge add kbr em1 >/dev/null ;;
	esac
}
run_cmd() {
	case $1 in
	addm_jail | addm_nojail) jnet addm kj em0 em0 ;;
	attach) jnet attach kj ;;
	detach) jnet detach kj ;;
	destroy) jnet destroy kj ;;
	bradd) jnet bridge add kbr em1 ;;
	brdel) jnet bridge del kbr ;;
	esac
}
cleanup() { # CMD: remove what the command made, the way a user would
	case $1 in
	bradd | brdel) jnet bridge del kbr ;;
	*) jnet destroy kj ;;
	esac
}

for be in epair netgraph; do
	export JNET_BACKEND=$be
	for cmd in addm_jail addm_nojail attach detach destroy bradd brdel; do
		setup $cmd
		before=$(foreign_state)
		rm -f "$TMP/trace"
		JNET_MODEL_TRACE=$TMP/trace run_cmd $cmd >/dev/null 2>&1
		n=$(wc -l <"$TMP/trace")
		bad=0
		k=1
		while [ "$k" -le "$n" ]; do
			setup $cmd
			JNET_MODEL_KILL=$k run_cmd $cmd >/dev/null 2>&1
			rc=$?
			[ $rc -eq 137 ] || { bad=$((bad + 1)); echo "  $be $cmd k=$k: not killed (rc $rc)"; }
			# (A) the same command again, then the user's cleanup
			if ! run_cmd $cmd >/dev/null 2>"$ERR"; then
				bad=$((bad + 1)); echo "  $be $cmd k=$k: A: rerun failed: $(cat "$ERR")"
			fi
			cleanup $cmd >/dev/null 2>"$ERR" ||
			    { bad=$((bad + 1)); echo "  $be $cmd k=$k: A: cleanup failed: $(cat "$ERR")"; }
			[ -z "$(left_of_kj)" ] || { bad=$((bad + 1)); echo "  $be $cmd k=$k: A: left: $(left_of_kj)"; }
			[ -z "$(get em1 bridge)" ] ||
			    { bad=$((bad + 1)); echo "  $be $cmd k=$k: A: em1 still on $(get em1 bridge)"; }
			[ "$before" = "$(foreign_state)" ] ||
			    { bad=$((bad + 1)); echo "  $be $cmd k=$k: A: foreign objects changed"; }
			# (B) straight to the cleanup
			setup $cmd
			JNET_MODEL_KILL=$k run_cmd $cmd >/dev/null 2>&1
			cleanup $cmd >/dev/null 2>"$ERR" ||
			    { bad=$((bad + 1)); echo "  $be $cmd k=$k: B: cleanup failed: $(cat "$ERR")"; }
			case $cmd in bradd | brdel) ;; *) jnet destroy kj >/dev/null 2>&1 ;; esac
			left=$(left_of_kj)
			# The one window the docs name: killed between the kernel's creation of
			# epairN / ngethN and its tag, an interface nothing proves is jnet's stays
			# (named by the kernel, untagged); anything else is a failure.
			[ -z "$left" ] || { bad=$((bad + 1)); echo "  $be $cmd k=$k: B: left: $left"; }
			[ "$before" = "$(foreign_state)" ] ||
			    { bad=$((bad + 1)); echo "  $be $cmd k=$k: B: foreign objects changed"; }
			k=$((k + 1))
		done
		eq "$be $cmd: killed at each of its $n kernel calls, recovered, nothing foreign changed" 0 $bad
	done
done
finish
