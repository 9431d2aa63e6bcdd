# Assertions shared by the shell tests (sourced by tests/integration/lib.sh and
# tests/model/lib.sh, which set OUT and ERR first). Every assertion counts; a library's
# finish() prints "N passed, N failed".
PASS=0
FAIL=0

# at_exit_rm PATH...: remove PATH (scratch files and directories) when the test exits,
# however it exits (finish, exit 77, set -u, a signal). One EXIT trap for every library.
AT_EXIT_RM=""
at_exit_rm() {
	AT_EXIT_RM="$AT_EXIT_RM $*"
	trap 'rm -rf $AT_EXIT_RM' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

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
