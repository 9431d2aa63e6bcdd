# Sourced by the t_ipam_* and t_masq_* tests (inside sandbox.sh): assertions, a temporary
# directory, the driver.
set -u
: "${CNIIPAM_DRV:?CNIIPAM_DRV must point at cniipam_drv}" "${ASSERT_SH:?ASSERT_SH must point at tests/assert.sh}"
OUT=$(mktemp) ERR=$(mktemp)
TMP=$(mktemp -d)
. "$ASSERT_SH"
drv() { "$CNIIPAM_DRV" "$@"; }

# has DESCRIPTION FILE PATTERN: the extended regex PATTERN matches a line of FILE (not run
# through t, which would overwrite $OUT and $ERR first)
has() {
	if grep -Eq -- "$3" "$2"; then pass; else fail "$1: /$3/ not in $2: $(cat "$2")"; fi
}

finish() {
	rm -f "$OUT" "$ERR"
	rm -rf "$TMP"
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
