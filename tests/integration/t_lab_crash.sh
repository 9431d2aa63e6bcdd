# kill -9 during `lab up` at many points (deterministically: from a start_if hook that kills
# jnet while a chosen interface is being made, and through strace's fault injection at every
# namespace step and every netlink request; and at timed moments on a bigger lab), then:
# `down` leaves nothing, or `up` completes the lab. Also kill -9 during `down`.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

BIG=$WORK/big.yaml
sh "$LABS/gen-big.sh" 50 > "$BIG"
first=10.0.0.1 last=10.0.0.50

# killer IFNAME: a start_if hook for IFNAME that kills jnet (its parent) with SIGKILL.
killer() {
	rm -f "$HOOKDIR"/*
	printf 'kill -9 $PPID\n' > "$HOOKDIR/start_if.$1"
}

# crash DESC IFNAME: `lab up` dies from SIGKILL while IFNAME is being made; the lab is
# left incomplete with only tagged objects.
crash() {
	killer "$2"
	st "$1: up killed by SIGKILL" 137 "$JNET" lab up "$BIG"
	rm -f "$HOOKDIR"/*
	st "$1: status says incomplete" 1 "$JNET" lab status "$BIG"
	eq "$1: everything on the host in jnet's group is the lab's" "" "$(not_lab_in_group big)"
}

# sample DESC: every jail pings the first and the last jail.
sample() {
	i=1
	while [ $i -le 50 ]; do
		t "$1: j$i pings the first" jnet lab exec "$BIG" j$i -- ping -n -c 1 -W 2 $first
		t "$1: j$i pings the last" jnet lab exec "$BIG" j$i -- ping -n -c 1 -W 2 $last
		i=$((i + 5))
	done
	t "$1: the last pings the first" jnet lab exec "$BIG" j50 -- ping -n -c 1 -W 2 $first
}

# Crash at the host end of the first jail's link, then down.
crash "crash at j1" "$(jnet name big.j1 0 a)"
t "crash at j1: the interface being made is there, tagged" \
    nlc link "$(jnet name big.j1 0 a)" "alias^=jnet/2 link netns 0 a big.j1"
t "crash at j1: down" jnet lab down "$BIG"
lab_gone "crash at j1: down" big big_br0
nothing_at_all "crash at j1: down"

# Crash in the middle, then up completes.
crash "crash at j25" "$(jnet name big.j25 0 a)"
t "crash at j25: up completes" jnet lab up "$BIG"
t "crash at j25: complete" lab_complete "$BIG"
eq "crash at j25: 50 ports on the bridge" 50 "$(nlc count master big_br0)"
sample "crash at j25, completed"
t "crash at j25: down" jnet lab down "$BIG"
nothing_at_all "crash at j25: down"

# Crash at the last jail's link, then up completes.
crash "crash at j50" "$(jnet name big.j50 0 a)"
t "crash at j50: up completes" jnet lab up "$BIG"
t "crash at j50: complete" lab_complete "$BIG"
sample "crash at j50, completed"
t "crash at j50: down" jnet lab down "$BIG"
nothing_at_all "crash at j50: down"

# Crash at a jail end, then crash again while completing, then up completes.
crash "crash at j10's jail end" "$(jnet name big.j10 0 b)"
crash "second crash at j40" "$(jnet name big.j40 0 a)"
t "after two crashes: up completes" jnet lab up "$BIG"
t "after two crashes: complete" lab_complete "$BIG"
sample "after two crashes"
# The completed lab is the lab a clean up makes: the same MACs.
macs "$BIG" > "$WORK/macs-crashed"
t "after two crashes: down" jnet lab down "$BIG"
nothing_at_all "after two crashes: down"
t "clean up" jnet lab up "$BIG"
macs "$BIG" > "$WORK/macs-clean"
same "completed after crashes = clean: the same interfaces and MACs" "$WORK/macs-clean" "$WORK/macs-crashed"
t "clean: down" jnet lab down "$BIG"
nothing_at_all "clean: down"

# ---------------------------------------------------------------- SIGKILL at every step
# strace's fault injection kills `lab up` of router.yaml as it enters its K-th call of a
# system call, for every K: every namespace step (unshare, mount, symlink, setns, socket) and every
# netlink request (sendto). Odd K: up again must complete the lab with the MACs of a clean
# run; even K: down must leave nothing.
R=$LABS/router.yaml
if command -v strace >/dev/null 2>&1; then
	t "router: clean up" jnet lab up "$R"
	macs "$R" > "$WORK/router-macs"
	t "router: clean down" jnet lab down "$R"
	for sc in unshare mount symlink socket setns sendto; do
		env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -o "$WORK/trace" -e trace=$sc "$JNET" lab up "$R" >/dev/null 2>&1
		n=$(grep -c "$sc(" "$WORK/trace")
		t "router: down after counting $sc calls" jnet lab down "$R"
		echo "# $sc: $n calls in a clean lab up"
		k=1
		while [ "$k" -le "$n" ]; do
			at="killed at $sc #$k"
			env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -o /dev/null -e trace=$sc -e inject=$sc:signal=SIGKILL:when=$k \
			    "$JNET" lab up "$R" >"$OUT" 2>"$ERR"
			eq "$at: up died from SIGKILL" 137 $?
			eq "$at: everything on the host in jnet's group is the lab's" "" "$(not_lab_in_group router)"
			if [ $((k % 2)) -eq 1 ]; then
				t "$at: up completes" jnet lab up "$R"
				t "$at: complete" lab_complete "$R"
				macs "$R" > "$WORK/m"
				same "$at: the MACs of a clean run" "$WORK/router-macs" "$WORK/m"
			fi
			t "$at: down" jnet lab down "$R"
			nothing_at_all "$at: down"
			# clear what a failed check left, so that the next K tests its own crash
			for ns in $(ip netns list | awk '{print $1}'); do ip netns del "$ns"; done
			rm -f /run/netns/router.*
			ip link del group 27246 2>/dev/null
			k=$((k + 1))
		done
	done
else
	echo "SKIP: strace is not installed (Debian: strace): no kill at every step; the hook and timed kills still run"
fi

# ---------------------------------------------------------------- timed kills, bigger lab
MID=$WORK/mid.yaml
sh "$LABS/gen-big.sh" 600 mid > "$MID"

# reset: after the checks, clear whatever a failed check left, so that the next round
# tests its own crash and not the previous one's debris.
reset() {
	for ns in $(ip netns list | awk '{print $1}'); do ip netns del "$ns"; done
	ip link del group 27246 2>/dev/null
}

for delay in 0.03 0.1 0.25 0.5 1; do
	"$JNET" lab up "$MID" >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null
	wait $pid
	echo "# kill -9 after ${delay}s: up exited with $? (137: killed)"
	eq "killed after ${delay}s: everything on the host in jnet's group is the lab's" "" \
	    "$(not_lab_in_group mid)"
	case $delay in
	0.03 | 0.25)
		t "killed after ${delay}s: up completes" jnet lab up "$MID"
		t "killed after ${delay}s: complete" lab_complete "$MID"
		t "killed after ${delay}s: j600 pings j1" jnet lab exec "$MID" j600 -- ping -n -c 1 -W 2 10.0.0.1
		;;
	esac
	t "killed after ${delay}s: down" jnet lab down "$MID"
	lab_gone "killed after ${delay}s" mid mid_br0
	nothing_at_all "killed after ${delay}s"
	reset
done

# kill -9 during down: down again finishes the job.
for delay in 0.01 0.05 0.2; do
	t "for a killed down: up" jnet lab up "$MID"
	"$JNET" lab down "$MID" >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null
	wait $pid
	echo "# kill -9 of down after ${delay}s: down exited with $? (137: killed)"
	t "down killed after ${delay}s: down again" jnet lab down -n mid
	lab_gone "down killed after ${delay}s" mid mid_br0
	nothing_at_all "down killed after ${delay}s"
	reset
done
finish
