# Kernel calls per verb of the FreeBSD backends, counted on the kernel model.
#
#   JNET=build/tests/model/jnet-model MODELCTL=build/tests/model/jnet-modelctl \
#       sh tests/model/kcalls.sh [-n N] [BACKEND...]      (default: -n 1 epair netgraph)
#
# For each backend: a host with em0 and N jails that each have a link (addm, jail
# created, the jail end moved in as jail(8)'s vnet.interface does), then a jail "web" with one link and "web2" with two go through
# addm, attach, detach, attach again, destroy (their jails alive), and destroy again
# after addm, attach and the jail's removal (dying: exec.poststop), and a bridge "kc0"
# through bridge add / bridge del. Each command runs once, traced
# ($JNET_MODEL_TRACE, $JNET_MODEL_TRACE_LISTS); kcalls.awk turns the trace into the
# system calls src/fbsd makes for it. One line per command:
#   BACKEND VERB links=L total=T ioctl=.. netgraph=.. libjail=.. sysctl=.. kld=..
#       socket=.. fork=.. exec=.. listed=..
# (listed: entries returned by listings, which would grow with the host.) With -v, the
# calls by name follow each line. Nothing here touches the machine's network: the model
# lives in a temporary state file. Kernel modules are loaded beforehand (the steady
# state; t_kld.sh covers the first load).
set -u
: "${JNET:?JNET must point at jnet-model}" "${MODELCTL:?MODELCTL must point at jnet-modelctl}"
KC_AWK=$(dirname "$0")/kcalls.awk
[ -f "$KC_AWK" ] || KC_AWK=$(dirname "${TESTLIB:-$0}")/kcalls.awk
N=1 VERBOSE=0
while [ $# -gt 0 ]; do
	case $1 in
	-n) N=$2; shift 2 ;;
	-v) VERBOSE=1; shift ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || set -- epair netgraph
KC=$(mktemp -d)
export JNET_MODEL_STATE="$KC/state.json" JNET_HOOKDIR="$KC/hooks" JNET_MAC_SALT=kc-salt
export SOURCE_DATE_EPOCH=1700000000 JNET_RUNDIR="$KC/run"
unset JNET_MODEL_FAIL JNET_MODEL_KILL JNET_MODEL_GROW JNET_MODEL_TRACE
mkdir "$KC/hooks"

kc_die() { echo "kcalls: $*" >&2; rm -rf "$KC"; exit 1; }

# kc_run BACKEND VERB LINKS ARGS...: run jnet ARGS traced, print its line.
kc_run() {
	be=$1 verb=$2 links=$3; shift 3
	rm -f "$KC/trace"
	JNET_MODEL_TRACE="$KC/trace" JNET_MODEL_TRACE_LISTS=1 "$JNET" "$@" >/dev/null 2>"$KC/err" ||
	    kc_die "$be: jnet $*: $(cat "$KC/err")"
	awk -f "$KC_AWK" "$KC/trace" >"$KC/count"
	printf '%s %s links=%s total=%s' "$be" "$verb" "$links" \
	    "$(awk '$1 == "total" {print $2}' "$KC/count")"
	for kind in ioctl netgraph libjail sysctl kld socket fork exec; do
		printf ' %s=%s' $kind "$(awk -v k=$kind '$1 == "kind" && $2 == k {n = $3} END {print n + 0}' "$KC/count")"
	done
	printf ' listed=%s\n' "$(awk '$1 == "listed" {print $2}' "$KC/count")"
	[ $VERBOSE = 1 ] && grep -v -e '^kind ' -e '^total ' -e '^listed ' "$KC/count" | sed 's/^/    /'
	return 0
}

for be in "$@"; do
	export JNET_BACKEND=$be
	"$MODELCTL" reset >/dev/null && "$MODELCTL" ifadd em0 00:11:22:33:44:55 >/dev/null &&
	    "$MODELCTL" kld load all >/dev/null || kc_die "cannot set up the model"
	# The N jails as jail.conf starts them: addm, then jail(8)'s vnet.interface move.
	i=1
	while [ $i -le "$N" ]; do
		end=e0b_j$i
		[ $be = netgraph ] && end=ng0_j$i
		"$JNET" addm "j$i" em0 >/dev/null && "$MODELCTL" jail-create "j$i" >/dev/null &&
		    "$MODELCTL" vnet $end "j$i" >/dev/null || kc_die "$be: jail j$i"
		i=$((i + 1))
	done
	for j in web:1 web2:2; do
		name=${j%:*} links=${j#*:}
		set -- em0
		[ "$links" = 2 ] && set -- em0 em0
		kc_run $be addm $links addm $name "$@"
		"$MODELCTL" jail-create $name >/dev/null || kc_die "jail-create $name"
		kc_run $be attach $links attach $name
		kc_run $be detach $links detach $name
		kc_run $be attach-again $links attach $name
		kc_run $be destroy $links destroy $name
		# As jail.conf's exec.poststop runs it: the jail removed, still dying.
		"$JNET" addm $name "$@" >/dev/null && "$JNET" attach $name >/dev/null &&
		    "$MODELCTL" jail-kill $name >/dev/null || kc_die "$be: $name again"
		kc_run $be destroy-dying $links destroy $name
	done
	kc_run $be bridge-add 0 bridge add kc0
	kc_run $be bridge-del 0 bridge del kc0
done
rm -rf "$KC"
