# The crash window of a lab bridge: Linux ignores IFLA_IFALIAS in the request that creates
# a bridge, so `up` creates it, then tags it. `up` writes the bridge's name into the lab's
# journal (RUNDIR/lab.LAB.bridges) first, so a SIGKILL between the two leaves an untagged
# bridge that every command recognises as the lab's: `status` reports it present (lab
# incomplete), `up` adopts and tags it, `down FILE` and `down -n LAB` remove it.
# strace kills `up` as it enters its K-th sendto (each netlink request), for every K.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

if ! command -v strace >/dev/null 2>&1; then
	echo "SKIP: strace is not installed (Debian: strace)"
	exit 77
fi
P=$LABS/pair.yaml

# untagged_bridge: pair_lan0 is there, in jnet's group, without a tag.
untagged_bridge() {
	ip -d -o link show dev pair_lan0 2>/dev/null | grep -q "group 27246" &&
	    ! ip -o link show dev pair_lan0 | grep -q " alias "
}

windows=0
k=1
while [ $k -le 80 ]; do
	env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -o /dev/null -e trace=sendto -e inject=sendto:signal=SIGKILL:when=$k \
	    "$JNET" lab up "$P" >"$OUT" 2>"$ERR"
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "# up makes $((k - 1)) netlink requests"
		t "up not killed: complete" lab_complete "$P"
		t "up not killed: down -n" jnet lab down -n pair
		nothing_at_all "up not killed"
		break
	fi
	at="killed at sendto #$k"
	eq "$at: up died from SIGKILL" 137 $rc
	"$JNET" -j lab status "$P" > "$WORK/st.json" 2>/dev/null
	if nlc link pair_lan0 2>/dev/null; then
		eq "$at: status reports the bridge that is there present" True \
		    "$(json 'd["bridges"][0]["present"]' "$WORK/st.json")"
	fi
	if untagged_bridge; then
		windows=$((windows + 1))
		eq "$at: status says the untagged bridge is untagged" False \
		    "$(json 'd["bridges"][0].get("tagged", True)' "$WORK/st.json")"
		eq "$at: status says the lab is incomplete" False "$(json 'd["complete"]' "$WORK/st.json")"
		t "$at: the journal names it" grep -qx pair_lan0 /run/jnet/lab.pair.bridges
		if [ $((windows % 2)) -eq 1 ]; then
			t "$at: down -n removes the untagged bridge" jnet lab down -n pair
			nothing_at_all "$at: down -n"
		else
			t "$at: up adopts it" jnet lab up "$P"
			t "$at: tagged by up" nlc link pair_lan0 "alias^=jnet/2 bridge netns pair"
			t "$at: complete" lab_complete "$P"
			t "$at: a pings b" jnet lab exec "$P" a -- ping -n -c 1 -W 2 10.0.0.2
			t "$at: down -n" jnet lab down -n pair
			nothing_at_all "$at: up, down -n"
		fi
	else
		t "$at: down -n" jnet lab down -n pair
		nothing_at_all "$at: down -n"
	fi
	t "$at: down -n removes the journal" test ! -e /run/jnet/lab.pair.bridges
	# clear what a failed check left, so that the next K tests its own crash
	for ns in $(ip netns list | awk '{print $1}'); do ip netns del "$ns"; done
	ip link del group 27246 2>/dev/null
	k=$((k + 1))
done
t "some kill fell between creating the bridge and tagging it ($windows)" test "$windows" -ge 1

# The journal alone adopts nothing: a bridge named in it but tagged for nobody and made by
# hand out of jnet's group is not the lab's.
mkdir -p /run/jnet
echo pair_lan0 > /run/jnet/lab.pair.bridges
ip link add pair_lan0 type bridge
st "journal but not in jnet's group: up exits 1" 1 "$JNET" lab up "$P"
t "journal but not in jnet's group: down -n keeps it" jnet lab down -n pair
t "journal but not in jnet's group: kept" nlc link pair_lan0 kind=bridge alias=
ip link del pair_lan0
finish
