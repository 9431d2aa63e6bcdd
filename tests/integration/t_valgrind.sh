# No leaks and no invalid accesses under valgrind, for every command on the real kernel.
. "$TESTLIB"
if ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP: valgrind is not installed (Debian: valgrind)"
	exit 77
fi
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 --track-fds=no"
vj() { $VG "$JNET" "$@"; }

mk_uplink em0 00:11:22:33:44:55
ip netns add web
printf 'exit 0\n' > "$HOOKDIR/start_if.e0a_web"
printf 'exit 1\n' > "$HOOKDIR/stop_if.e0a_web"
t "valgrind addm" vj addm web em0
t "valgrind addm again" vj addm web em0
t "valgrind show" vj show
t "valgrind show -j" vj -j show web
t "valgrind show -l" vj show -l
t "valgrind detach" vj detach web
t "valgrind attach" vj attach web
t "valgrind bridge list -j" vj -j bridge list
t "valgrind destroy (failing stop_if)" vj destroy web
printf 'exit 2\n' > "$HOOKDIR/start_if.e0b_web"
tf "valgrind failing addm" 1 "hook exited with status 2" vj addm web em0
t "valgrind gc" vj gc --min-age 0
t "valgrind bridge add" vj bridge add lab0 
t "valgrind bridge del" vj bridge del lab0
t "valgrind bridge del em0bridge" vj bridge del em0bridge
tf "valgrind usage error" 2 "usage" vj addm
t "valgrind name" vj name abcdefghijklmnopqrstuvwxyz 3 a
# Batch mode: 1000 lines (addm, a failing addm, a usage error, show, destroy; -j), one process.
rm -f "$HOOKDIR/start_if.e0b_web"
B=$(mktemp)
k=0
while [ $k -lt 200 ]; do
	printf 'addm web em0\naddm web nosuchbr%d\naddm\nshow web\ndestroy web\n' $k
	k=$((k + 1))
done > "$B"
tf "valgrind batch of 1000 lines" 2 "$B:998: addm: need a jail name" vj -j -f "$B"
eq "valgrind batch: 1000 statuses" 1000 "$(wc -l < "$OUT")"
rm -f "$B"
t "valgrind bridge del after the batch" vj bridge del em0bridge
eq "nothing of jnet left" 0 "$(jnet_leftovers)"
finish
