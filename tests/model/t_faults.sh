# Fault injection through the command line: for a command, count its primitive calls
# ($JNET_MODEL_TRACE), then for every k make call k fail ($JNET_MODEL_FAIL=k:EIO) and check
# that the command fails, says which step failed, and leaves the model exactly as it was;
# then that the same command, run again, succeeds.
. "$TESTLIB"

# scenario NAME: set up the state before the command
scenario() {
	fresh
	case $1 in
	new) ;;
	jail) mctl jail-create web >/dev/null ;;
	link) jnet addm web em0 ;;
	linkjail) jnet addm web em0 && mctl jail-create web >/dev/null ;;
	jailed) jnet addm web em0 && mctl jail-create web >/dev/null && jnet attach web ;;
	hooks) printf 'exit 0\n' > "$HOOKDIR/start_if.e0b_web" ;;
	esac
}

check() { sc=$1; shift; fault_sweep "scenario $sc" "$@"; }

check new addm web em0
check new -m jib addm web em0 em0
check jail addm web em0
fault_verbs
finish
