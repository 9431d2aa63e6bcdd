# Sourced by the command-line tests of the epair backend. They run the real jnet command
# line (jnet-model) against the FreeBSD kernel model, whose state lives in a file: one
# process per command, as jail(8) runs them. Nothing here touches the machine's network.
# Assertions count; finish() prints "N passed, N failed" and sets the exit status.
set -u
: "${JNET:?JNET must point at jnet-model}" "${MODELCTL:?MODELCTL must point at jnet-modelctl}"
TMP=$(mktemp -d)
OUT=$TMP/out ERR=$TMP/err
HOOKDIR=$TMP/hooks
mkdir "$HOOKDIR"
export JNET_MODEL_STATE="$TMP/state.json" JNET_HOOKDIR="$HOOKDIR" JNET_MAC_SALT=test-salt
export JNET_BACKEND=epair
# Tags carry their birth time (t=): pinned, so that states of two runs compare equal.
export SOURCE_DATE_EPOCH=1700000000
# Lock files in the test's own directory, not the machine's /run.
export JNET_RUNDIR="$TMP/run"
unset JNET_MODEL_FAIL JNET_MODEL_TRACE

. "$(dirname "$TESTLIB")/../assert.sh"
jnet() { "$JNET" "$@"; }
mctl() { "$MODELCTL" "$@"; }
# get IFACE FIELD [JAIL]: one field of an interface in the model ("" if there is none).
get() { "$MODELCTL" get "$@" 2>/dev/null; }
# A description without the tag's KEY=VALUE fields (n=, t=, uplink=).
tagof() { get "$@" | sed -E 's/( [a-z]+=[^ ]*)+$//'; }
# Interfaces of kind epair anywhere in the model.
epairs() { "$MODELCTL" dump | grep -c '"kind": "epair"'; }

# A fresh host: lo0 and em0 (up, no address: a NIC dedicated to jails).
fresh() {
	mctl reset && mctl ifadd em0 00:11:22:33:44:55
}

finish() {
	rm -rf "$TMP"
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
