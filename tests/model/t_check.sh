# check and repair on the FreeBSD backends (issue 12, part 3), on the kernel model: break
# each thing as an administrator would (ifconfig, ngctl), check reports it (exit 1),
# repair fixes it, check is clean (exit 0); what is not jnet's is never touched.
. "$TESTLIB"
ngctl() { "$NGCTL" "$@"; }
# rc CASE STATUS COMMAND...: the command exits with STATUS (stdout in $OUT).
rc() {
	d=$1 want=$2; shift 2
	"$@" >"$OUT" 2>"$ERR"; got=$?
	if [ "$got" -eq "$want" ]; then pass; else fail "$d: exit $got, expected $want: $(cat "$ERR")"; fi
}

# drifted CASE KIND OBJECT [NAME]; repaired CASE KIND OBJECT [NAME]; clean CASE [NAME]
drifted() {
	c=$1 kind=$2 obj=$3; shift 3
	rc "$c: check $* exits 1" 1 jnet check "$@"
	if grep -Eq "^$kind: .* $obj: " "$OUT"; then pass; else
		fail "$c: check does not report $kind on $obj: $(cat "$OUT")"; fi
}
repaired() {
	c=$1 kind=$2 obj=$3; shift 3
	t "$c: repair $*" jnet repair "$@"
	if grep -Eq "^$kind: .* $obj: .*: repaired" "$OUT"; then pass; else
		fail "$c: repair does not say it repaired $kind on $obj: $(cat "$OUT")"; fi
}
clean() {
	c=$1; shift
	t "$c: check $* is clean" jnet check "$@"
	eq "$c: check $* prints nothing" "" "$(cat "$OUT")"
}

for be in epair netgraph; do
	export JNET_BACKEND=$be
	H=$(jnet name web 0 a) B=$(jnet name web 0 b)
	# where the host end lives after attach: epair's on the host, netgraph's eiface in web
	if [ $be = epair ]; then HJ= HAT=; else HJ=web HAT=@web; fi
	setup() {
		fresh
		mctl jail-create web >/dev/null
		jnet addm web em0 >/dev/null 2>&1 && jnet attach web >/dev/null 2>&1 ||
		    fail "$be: setup: addm/attach web em0"
	}

	C="$be healthy"
	setup
	clean "$C"
	clean "$C" web
	t "$C: the host end's tag records its bridge" sh -c "$MODELCTL get $H descr $HJ | grep -q ' br=em0bridge '"

	C="$be host_end_down"
	setup
	mctl ifset "$H" $HAT down
	drifted "$C" host-end-down "$H"
	repaired "$C" host-end-down "$H" web
	eq "$C: $H up again" up "$(get "$H" up $HJ)"
	clean "$C"

	# (if_bridge refuses an MTU change of a member: an epair end cannot drift so)
	if [ $be = netgraph ]; then
		C="$be mtu"
		setup
		mctl ifset "$H" $HAT mtu=1400
		drifted "$C" mtu "$H" web
		repaired "$C" mtu "$H"
		eq "$C: $H has MTU 1500 again" 1500 "$(get "$H" mtu $HJ)"
		clean "$C"
	fi

	C="$be off_bridge"
	setup
	if [ $be = epair ]; then
		mctl ifset "$H" nomaster
	else
		ngctl rmhook "$H:" ether
	fi
	drifted "$C" off-bridge "$H"
	repaired "$C" off-bridge "$H"
	clean "$C"
	if [ $be = epair ]; then
		eq "$C: $H a member of em0bridge again" em0bridge "$(get "$H" bridge)"
	else
		t "$C: $H's ether hook is connected to em0bridge again" sh -c \
		    "$NGCTL show $H: | grep -q '^ether .*em0bridge'"
	fi

	if [ $be = epair ]; then
		C="$be jail_end_down"
		setup
		mctl ifset "$B" @web down
		drifted "$C" jail-end-down "$B" web
		repaired "$C" jail-end-down "$B"
		eq "$C: $B up again in web" up "$(get "$B" up web)"
		clean "$C"

		C="$be bridge_down"
		setup
		mctl ifset em0bridge down
		drifted "$C" bridge-down em0bridge
		repaired "$C" bridge-down em0bridge
		eq "$C: em0bridge up again" up "$(get em0bridge up)"
		clean "$C"

		C="$be uplink_lost"
		setup
		mctl ifset em0 nomaster
		drifted "$C" uplink-lost em0bridge
		repaired "$C" uplink-lost em0bridge
		eq "$C: em0 a member of em0bridge again" em0bridge "$(get em0 bridge)"
		clean "$C"

		C="$be foreign_bridge_down"
		fresh
		mctl jail-create mail >/dev/null
		t "$C: bridge add br0 em0 then untag it" sh -c \
		    "$JNET bridge add br0 em0 >/dev/null && $MODELCTL describe br0 'the admin'"
		jnet addm mail br0 >/dev/null 2>&1
		mctl ifset br0 down
		drifted "$C" bridge-down br0 mail
		rc "$C: repair exits 1" 1 jnet repair mail
		if grep -q "not repaired.*not a jnet bridge" "$OUT"; then pass; else
			fail "$C: repair says br0 is not jnet's: $(cat "$OUT")"; fi
		eq "$C: br0 still down" down "$(get br0 up)"
	fi
done

# Review 1: a stale jail end (the jail restarted while the old one is dying) on epair; a
# link moved to another bridge on epair (it leaves the old one first).
export JNET_BACKEND=epair
fresh
mctl jail-create web >/dev/null
jnet addm web em0 >/dev/null 2>&1; jnet attach web >/dev/null 2>&1
mctl jail-kill web >/dev/null; mctl jail-create web >/dev/null
drifted "epair stale" stale e0a_web web
fresh
mctl ifadd em1 02:00:00:00:00:11
mctl jail-create a >/dev/null
t "epair move: addm a em0" jnet addm a em0
t "epair move: addm a em1 moves link 0" jnet addm a em1
eq "epair move: e0a_a is a member of em1bridge" em1bridge "$(get e0a_a bridge)"
clean "epair move"

finish
