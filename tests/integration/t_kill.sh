# kill -9 at every netlink request of addm (with and without the jail), attach, detach,
# destroy, bridge add and bridge del, on a host full of foreign objects (t_foreign's).
# Promise (issue 9): a crash at any point leaves only jnet's tagged objects (or crash-window
# objects: untagged, in group 27246, named as jnet names them), never touches a foreign
# object, and is recovered from by (A) the same command again, (B) destroy (bridge del for
# bridges), or (G) with the jail deleted, gc.
#
# strace's fault injection kills the command as it enters its N-th sendto (libmnl's netlink
# requests; sendmsg is traced too in case a backend uses it), for N = 1, 2, ... until the
# command completes without being killed. JNET_KILL_STEP=K (default 1) kills only at
# requests 1, 1+K, 1+2K, ... for a quicker run by hand; CI runs every request.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/safetylib.sh"

if ! command -v strace >/dev/null 2>&1; then
	echo "SKIP: strace is not installed (Debian: strace)"
	exit 77
fi

foreign_world
export SNAP_SKIP="em0 em1" SNAP_SKIPNS="kj other"
baseline
FOREIGN_GROUP=$(in_group)
# world_names: the interfaces and namespaces of the host that are neither kj's nor jnet's
# bridges, nor the uplinks: what a round must leave as it found it.
world_names() {
	{ ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | grep -Ev '^(e[0-9]+[ab]_kj|kbr|em0bridge)$'
	  ip netns list | awk '{print $1}' | grep -Ev '^(kj|other)$'; } | sort | tr '\n' ' '
}
WORLD=$(world_names)
REBUILT=0
# fresh_world: when a previous round broke a foreign object (the failure was reported
# there), make the foreign world anew, so that every round tests its own crash.
fresh_world() {
	[ "$(world_names)" = "$WORLD" ] && return
	echo "# the foreign world is made anew (a previous round changed it)"
	REBUILT=$((REBUILT + 1))
	foreign_teardown
	foreign_world
	sleep 0.3
}

# gc's minimum age, when jnet has the option: a never-attached link is otherwise kept.
if "$JNET" gc --min-age 0 >/dev/null 2>&1; then GC="gc --min-age 0"; else
	GC=gc
	echo "NOTE: jnet has no 'gc --min-age': variant G runs plain gc, and checks that nothing is left only for addm with the jail and destroy (elsewhere a never-attached link may be kept)"
fi

# host_names: names of host interfaces that are kj's by name (e<i>a_kj, e<i>b_kj), any alias.
host_names() {
	ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | grep -E '^e[0-9]+[ab]_kj$' | sort | tr '\n' ' '
}

# clear: remove by hand (never through jnet) whatever is left of jail kj and bridge kbr,
# so that the next round tests its own crash.
clear_kj() {
	for ns in kj other; do ip netns del $ns 2>/dev/null; done
	for i in $(jnet_tagged kj) $(host_names); do ip link del "$i" 2>/dev/null; done
	ip link del kbr 2>/dev/null
	ip link set em1 nomaster 2>/dev/null; ip link set em1 up
	_w=0
	while [ -n "$(host_names)" ] && [ $_w -lt 50 ]; do sleep 0.1; _w=$((_w + 1)); done
}

# nothing_of_kj DESC: nothing of jail kj anywhere; in jnet's group only the foreign objects
# and the bridges em0bridge (jnet's, kept by destroy).
nothing_of_kj() {
	eq "$1: nothing tagged for kj on the host" "" "$(jnet_tagged kj)"
	eq "$1: nothing named like kj's on the host" "" "$(host_names)"
	if [ -e /run/netns/kj ]; then
		eq "$1: nothing of kj in its namespace" "" "$(jnet_tagged kj -n kj)$(in_group -n kj)"
	fi
	eq "$1: group 27246 holds only the foreign objects and em0bridge" "$FOREIGN_GROUP" \
	    "$(in_group | sed 's/\bem0bridge //')"
}

# --- the commands: setup_X makes the state before the command; cmd_X is the command;
# complete_X checks the state after it succeeded; undo_X is the recovery B.
setup_addm_jail() { mkns kj; }
cmd_addm_jail="addm kj em0 em0"
complete_addm_jail() {
	t "$1: e0a_kj, e1a_kj on em0bridge" sh -c "$NLCHECK link e0a_kj master=em0bridge up 'alias^=jnet/2 link netns 0 a kj' &&
	    $NLCHECK link e1a_kj master=em0bridge up 'alias^=jnet/2 link netns 1 a kj'"
	t "$1: e0b_kj, e1b_kj in kj" sh -c "$NLCHECK -n kj link e0b_kj up 'alias^=jnet/2 link netns 0 b kj' &&
	    $NLCHECK -n kj link e1b_kj up 'alias^=jnet/2 link netns 1 b kj'"
}
undo_addm_jail="destroy kj"

setup_addm_nojail() { :; }
cmd_addm_nojail="addm kj em0 em0"
complete_addm_nojail() {
	t "$1: e0a_kj, e1a_kj on em0bridge" sh -c "$NLCHECK link e0a_kj master=em0bridge up && $NLCHECK link e1a_kj master=em0bridge up"
	t "$1: e0b_kj, e1b_kj wait on the host" sh -c "$NLCHECK link e0b_kj 'alias^=jnet/2 link netns 0 b kj' &&
	    $NLCHECK link e1b_kj 'alias^=jnet/2 link netns 1 b kj'"
}
undo_addm_nojail="destroy kj"

setup_attach() { "$JNET" addm kj em0 em0 && mkns kj; }
cmd_attach="attach kj"
complete_attach() {
	t "$1: e0b_kj, e1b_kj in kj" sh -c "$NLCHECK -n kj link e0b_kj up && $NLCHECK -n kj link e1b_kj up"
	t "$1: host ends on em0bridge" sh -c "$NLCHECK link e0a_kj master=em0bridge up && $NLCHECK link e1a_kj master=em0bridge up"
}
undo_attach="destroy kj"

setup_detach() { mkns kj && "$JNET" addm kj em0 em0; }
cmd_detach="detach kj"
complete_detach() {
	t "$1: e0b_kj, e1b_kj back on the host" sh -c "$NLCHECK link e0b_kj && $NLCHECK link e1b_kj"
	t "$1: kj has none of them" nlc -n kj absent e0b_kj e1b_kj
}
undo_detach="destroy kj"

setup_destroy() { mkns kj && "$JNET" addm kj em0 em0; }
cmd_destroy="destroy kj"
complete_destroy() { nothing_of_kj "$1"; }
undo_destroy="destroy kj"

setup_bradd() { :; }
cmd_bradd="bridge add kbr em1"
complete_bradd() {
	t "$1: kbr is jnet's bridge" nlc link kbr kind=bridge "alias^=jnet/2 bridge netns -" group=$G
	t "$1: em1 is its member" nlc link em1 master=kbr up
}
undo_bradd="bridge del kbr"

setup_brdel() { "$JNET" bridge add kbr em1; }
cmd_brdel="bridge del kbr"
complete_brdel() {
	t "$1: kbr gone" nlc absent kbr
	t "$1: em1 given back" nlc link em1 nomaster up
}
undo_brdel="bridge del kbr"

# after_undo DESC CMDNAME: the state after recovery B.
after_undo() {
	case $2 in
	bradd | brdel) complete_brdel "$1" ;;
	*) nothing_of_kj "$1" ;;
	esac
}

# killed NAME N VARIANT: set up, run the command killed at its N-th request; 0 if it was
# killed, 1 if it completed (the caller stops counting).
killed() {
	clear_kj
	fresh_world
	before
	if ! "setup_$1" >"$OUT" 2>"$ERR"; then
		fail "$1 #$2 $3: setup failed: $(cat "$ERR")"
		return 2
	fi
	eval "c=\$cmd_$1"
	# shellcheck disable=SC2086
	env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq -o /dev/null -e trace=sendto,sendmsg -e inject=sendto,sendmsg:signal=KILL:when=$2 \
	    "$JNET" $c >"$OUT" 2>"$ERR"
	rc=$?
	[ $rc -eq 137 ] && return 0
	if [ $rc -ne 0 ]; then
		fail "$1 #$2 $3: not killed, and exited $rc: $(cat "$ERR")"
	fi
	return 1
}

for name in addm_jail addm_nojail attach detach destroy bradd brdel; do
	eval "c=\$cmd_$name; u=\$undo_$name"
	req=1
	while [ $req -le 200 ]; do
		at="$name: killed at request #$req"
		# A: the same command again completes it
		killed $name $req A; k=$?
		[ $k -eq 1 ] && break
		if [ $k -eq 0 ]; then
			after "$at: right after the kill" 1
			# shellcheck disable=SC2086
			t "$at: A: '$c' again" "$JNET" $c
			"complete_$name" "$at: A"
			# shellcheck disable=SC2086
			t "$at: A: then '$u'" "$JNET" $u
			after_undo "$at: A, then $u" $name
			after "$at: A"
		fi
		# B: destroy (bridge del) right after the kill
		killed $name $req B; k=$?
		if [ $k -eq 0 ]; then
			# shellcheck disable=SC2086
			t "$at: B: '$u'" "$JNET" $u
			after_undo "$at: B" $name
			# shellcheck disable=SC2086
			t "$at: B: '$u' again" "$JNET" $u
			after "$at: B"
		fi
		# G: the jail deleted, then gc (not for bridges, which gc leaves alone)
		case $name in
		bradd | brdel) ;;
		*)
			killed $name $req G; k=$?
			if [ $k -eq 0 ]; then
				ip netns del kj 2>/dev/null
				n2=0
				while [ -n "$(host_names)" ] && [ $n2 -lt 20 ]; do sleep 0.1; n2=$((n2 + 1)); done
				# shellcheck disable=SC2086
				t "$at: G: $GC" "$JNET" $GC
				# plain gc may keep a link that never reached a jail (its grace period)
				if [ "$GC" != gc ] || [ $name = addm_jail ] || [ $name = destroy ]; then
					nothing_of_kj "$at: G"
				fi
				after "$at: G"
			fi
			;;
		esac
		req=$((req + ${JNET_KILL_STEP:-1}))
	done
	echo "# $name: killed at requests 1..$((req - ${JNET_KILL_STEP:-1})) (step ${JNET_KILL_STEP:-1}); at #$req the command completed"
	t "$name: killed at least once" [ $req -gt 1 ]
	clear_kj
done
clear_kj
t "bridge del em0bridge at the end" jnet bridge del em0bridge
t "em0 given back" nlc link em0 nomaster up
if [ $REBUILT -eq 0 ]; then unchanged "the whole run"; else
	echo "# the foreign world was made anew $REBUILT times: no check over the whole run"
fi
eq "only the foreign objects in group 27246 at the end" "$FOREIGN_GROUP" "$(in_group)"
finish
