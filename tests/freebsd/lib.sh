# Sourced by the real-kernel suites (epair_real.sh, netgraph_real.sh, vlan_real.sh,
# pf_real.sh) after their skip checks: the assertions of tests/assert.sh (t shows a failed
# command's stderr), a scratch directory for their output, finish() ("N passed, N failed"
# and the exit status).
TMP=$(mktemp -d)
OUT=$TMP/out ERR=$TMP/err
. "$(dirname "$0")/../assert.sh"
at_exit_rm "$TMP" # (a suite's own EXIT trap replaces this one: finish removes it too)
finish() {
	rm -rf "$TMP"
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
