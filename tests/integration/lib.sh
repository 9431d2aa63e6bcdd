# Sourced by every integration test. Runs inside the sandbox (sandbox.sh).
# Assertions count; finish() prints "N passed, N failed" and sets the exit status.
set -u
: "${JNET:?JNET must point at the jnet binary}" "${NLCHECK:?NLCHECK must point at nlcheck}"
OUT=$(mktemp) ERR=$(mktemp)
HOOKDIR=$(mktemp -d)
export JNET_HOOKDIR="$HOOKDIR" JNET_MAC_SALT=test-salt

. "$(dirname "$TESTLIB")/../assert.sh"
at_exit_rm "$OUT" "$ERR" "$HOOKDIR"
jnet() { "$JNET" "$@"; }
nlc() { "$NLCHECK" "$@"; }

# An uplink for tests: one end of a veth pair (no dummy module needed), fixed MAC.
mk_uplink() {
	ip link add "$1" type veth peer name "$1p" && ip link set "$1" address "$2" &&
	    ip link set "$1" up && ip link set "$1p" up
}

# Every interface jnet created is in its group; after a test nothing may remain.
jnet_leftovers() { "$NLCHECK" count group 27246; }

finish() {
	rm -f "$OUT" "$ERR"
	rm -rf "$HOOKDIR"
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
# Under strace (ptrace) LeakSanitizer cannot stop the world and aborts at exit: the traced
# runs of the kill tests use ASAN_OPTIONS=...:detect_leaks=0 (the other runs check leaks).
