# Sourced by every integration test. Runs inside the sandbox (sandbox.sh).
# Assertions count; finish() prints "N passed, N failed" and sets the exit status.
set -u
: "${JNET:?JNET must point at the jnet binary}" "${NLCHECK:?NLCHECK must point at nlcheck}"
PASS=0
FAIL=0
OUT=$(mktemp) ERR=$(mktemp)
HOOKDIR=$(mktemp -d)
export JNET_HOOKDIR="$HOOKDIR" JNET_MAC_SALT=test-salt

pass() { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }

# t DESCRIPTION COMMAND...: the command must succeed.
t() {
	d=$1; shift
	if "$@" >"$OUT" 2>"$ERR"; then pass; else fail "$d (exit $?): $(cat "$ERR")"; fi
}
# tf DESCRIPTION STATUS PATTERN COMMAND...: the command must exit with STATUS and its
# stderr must match the extended regex PATTERN.
tf() {
	d=$1 want=$2 pat=$3; shift 3
	"$@" >"$OUT" 2>"$ERR"; got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$d: exit $got, expected $want; stderr: $(cat "$ERR")"
	elif ! grep -Eq -- "$pat" "$ERR"; then
		fail "$d: stderr does not match /$pat/: $(cat "$ERR")"
	else
		pass
	fi
}
# eq DESCRIPTION EXPECTED ACTUAL
eq() {
	if [ "$2" = "$3" ]; then pass; else fail "$1: expected '$2', got '$3'"; fi
}
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
