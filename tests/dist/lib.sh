# Shared by the tests/dist scripts: a scratch directory, the assertions of tests/assert.sh,
# and finish(), which prints "N passed, N failed" and sets the exit status.
set -u
TMP=$(mktemp -d)
OUT=$TMP/out ERR=$TMP/err
DIST=$(cd "$(dirname "$0")/../../docs/dist" && pwd)
. "$(dirname "$0")/../assert.sh"
at_exit_rm "$TMP"
# has FILE LINE: FILE holds exactly LINE as one of its lines.
has() { grep -qxF -- "$2" "$1"; }
finish() {
	rm -rf "$TMP"
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
