# Fault injection through the command line, netgraph backend: for a command, count its
# primitive calls ($JNET_MODEL_TRACE), then for every k make call k fail
# ($JNET_MODEL_FAIL=k:EIO) and check that the command fails, says which step failed, and
# leaves the model exactly as it was; then that the same command, run again, succeeds and
# ends where a clean run ends. Under FreeBSD 14's and 15's link numbering.
. "$TESTLIB"
export JNET_BACKEND=netgraph

# scenario NAME: set up the state before the command
scenario() {
	fresh
	rm -f "$HOOKDIR"/*
	mctl version $V
	# Loaded modules stay loaded whatever fails later (kldload is not undone, and
	# ng_ether's load gives every interface its ether node): states compare on a box
	# that has them. A fresh box: t_ng_kld.sh.
	mctl kld load all
	case $1 in
	new) ;;
	link) jnet addm web em0 ;;
	other) jnet addm other em0 ;;
	linkjail) jnet addm web em0 && mctl jail-create web >/dev/null ;;
	jailed) jnet addm web em0 && mctl jail-create web >/dev/null && jnet attach web ;;
	hooks) printf 'exit 0\n' > "$HOOKDIR/start_if.ng0_web" ;;
	lab) jnet bridge add lab0 em0 ;;
	esac
}

check() { sc=$1; shift; FAULT_LABEL="FreeBSD $V, " fault_sweep "scenario $sc" "$@"; }

for V in 14 15; do
	check new addm web em0
	check new -m jib addm web em0 em0
	check other addm web em0
	fault_verbs
	check new bridge add lab0
	check lab bridge del lab0
done
finish
