#!/bin/sh
# ipMasq through pf tables (fbc_masq, src/fbsd/pf.c) against the real pf(4), checked with
# pfctl(8). Scratch tables of the main ruleset named for this run (jnet-tPID and jnet's
# record jnet-jnet-tPID), killed at the end; cni-nat and the loaded rules are not touched.
# Addresses from TEST-NET-1 and 2001:db8::/32, never routed: no traffic. Exit 77 (skipped)
# anywhere else, saying why. With pf not loaded it checks the error and skips the rest.
set -u
skip() { echo "SKIP: $*"; exit 77; }
[ "$(uname -s)" = FreeBSD ] || skip "needs FreeBSD with pf(4), running as root (this is $(uname -s))"
[ "$(id -u)" -eq 0 ] || skip "needs FreeBSD with pf(4), running as root (not root)"
: "${PFDRV:?PFDRV must point at jnet-pfdrv}"

. "$(dirname "$0")/lib.sh"

T=jnet-t$$
if [ ! -e /dev/pf ]; then
	if out=$("$PFDRV" add $T 192.0.2.77/24 2>&1); then
		fail "add without pf succeeded"
	else
		case $out in
		*"pf is not loaded (kldload pf, pf_enable=YES)"*) pass ;;
		*) fail "add without pf: unclear error: $out" ;;
		esac
	fi
	t "del without pf: nothing to do" "$PFDRV" del $T 192.0.2.77/24
	finish || exit 1
	skip "pf is not loaded (kldload pf): checked its error only"
fi

cleanup() {
	pfctl -q -t $T -T kill >/dev/null 2>&1
	pfctl -q -t jnet-$T -T kill >/dev/null 2>&1
}
trap cleanup EXIT INT TERM
show() { pfctl -t "$1" -T show 2>/dev/null | sed 's/^ *//' | sort | tr '\n' ' ' | sed 's/ $//'; }

for be in epair netgraph; do
	t "$be: add" "$PFDRV" -t $be add $T 192.0.2.77/24
	# pfctl -v -s Tables flags: c p a i r h C (persist is the second)
	t "$be: the table was made persistent" sh -c "pfctl -v -s Tables 2>/dev/null | grep -Eq '^.p.* $T\$'"
	t "$be: add again" "$PFDRV" -t $be add $T 192.0.2.77/24
	t "$be: add IPv6" "$PFDRV" -t $be add $T 2001:db8::77/64
	eq "$be: pfctl shows the addresses alone" "192.0.2.77 2001:db8::77" "$(show $T)"
	eq "$be: jnet's record" "192.0.2.77 2001:db8::77" "$(show jnet-$T)"
	eq "$be: jnet-pfdrv reads the same" "192.0.2.77/32 2001:db8::77/128" \
	    "$("$PFDRV" show $T | sort | tr '\n' ' ' | sed 's/ $//')"
	t "$be: somebody else's entry" pfctl -q -t $T -T add 192.0.2.78
	t "$be: jnet adds it too" "$PFDRV" -t $be add $T 192.0.2.78/24
	t "$be: del" "$PFDRV" -t $be del $T 192.0.2.77/24
	t "$be: del again" "$PFDRV" -t $be del $T 192.0.2.77/24
	t "$be: del of what jnet did not add" "$PFDRV" -t $be del $T 192.0.2.78/24
	t "$be: del IPv6" "$PFDRV" -t $be del $T 2001:db8::77/64
	eq "$be: only the other entry is left" "192.0.2.78" "$(show $T)"
	eq "$be: jnet's record is empty" "" "$(show jnet-$T)"
	cleanup
done
finish
