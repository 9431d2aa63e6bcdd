# A single-jail command's work must not grow with the number of jails on the host (issue
# 15): one addm, detach, attach and destroy of the same jail, with 5 and then with 200 other
# jails on the same bridge (each with an explicit MAC, as jail.conf gives them, so addm's
# check for a duplicate MAC on the bridge is part of it), must send the same netlink requests, receive the same number of
# netlink reply bytes and make the same number of system calls (counted with strace: a dump
# or a scan of /run/netns would grow all three). Deterministic: counts, not times (a write
# the kernel restarts counts once).
. "$TESTLIB"
# Every counted run is under strace (ptrace): LeakSanitizer cannot stop the world there and
# aborts at exit (the kill tests do the same; the other suites check leaks).
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"

if ! command -v strace >/dev/null 2>&1; then
	echo "SKIP: strace is not installed (Debian: strace)"
	exit 77
fi

ip link add sbr type bridge && ip link set sbr up
ip netns add target
others=0
# grow K: K other jails, each with one link on sbr
grow() {
	while [ "$others" -lt "$1" ]; do
		mac=$(printf '02:aa:00:00:%02x:%02x' $((others / 256)) $((others % 256)))
		ip netns add "o$others" && "$JNET" addm "o$others" "sbr=$mac" >/dev/null || return 1
		others=$((others + 1))
	done
}

TR=$(mktemp)
# cost OP ARGS...: "sends=S replybytes=B syscalls=C" of one jnet command under strace.
cost() {
	if ! strace -f -qq -C -e signal=none -o "$TR" "$JNET" "$@" >/dev/null 2>"$ERR"; then
		echo "failed: $(cat "$ERR")"
		return
	fi
	awk '/^[0-9]+ +send(to|msg)\(/ { s++ }
	     /^[0-9]+ +recv(from|msg)\(/ && $NF ~ /^[0-9]+$/ { b += $NF }
	     / total$/ { c += $4 }
	     # The kernel restarts the write of a sysctl (disable_ipv6) while another task
	     # holds the rtnl lock: how often depends on the machine, not on jnet.
	     /^ *[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+ +([0-9]+ +)?write$/ { c -= $4 - 1 }
	     END { printf "sends=%d replybytes=%d syscalls=%d\n", s, b, c }' "$TR"
}
# measure: one of each single-jail command on "target".
measure() {
	echo "addm $(cost addm target sbr=02:ab:00:00:00:01)"
	echo "detach $(cost detach target)"
	echo "attach $(cost attach target)"
	echo "destroy $(cost destroy target)"
}

t "5 other jails" grow 5
small=$(measure)
t "200 other jails" grow 200
large=$(measure)
echo "with 5 other jails:"
echo "$small"
echo "with 200 other jails:"
echo "$large"
for op in addm detach attach destroy; do
	s=$(echo "$small" | grep "^$op ") l=$(echo "$large" | grep "^$op ")
	eq "$op: the same netlink requests, reply bytes and syscalls with 5 and 200 other jails" \
	    "$s" "$l"
	case $s in *failed*|*sends=0*) fail "$op did not run: $s" ;; esac
done
t "the jail's link is gone" nlc absent e0a_target
t "the other jails' links are untouched" nlc link e0a_o199 master=sbr up

# The duplicate-MAC check that addm now makes by one lookup still refuses: a MAC another
# link on the bridge has (its jail end's or its host end's), not one on another bridge.
bri=$(ip -o link show sbr | cut -d: -f1)
eq "the jail end's MAC is an alternative name of the host end (jnet(8))" 1 \
    "$(ip link show e0a_o3 | grep -c "altname 02aa00000003.jnet.$bri\$")"
ip link add sbr2 type bridge && ip link set sbr2 up
ip netns add dup
tf "a jail end's MAC of another link on the bridge is refused, naming that link" 1 \
    "e0a_o7: already has that MAC address on bridge sbr \(link 0 of jail 'o7'\)" \
    jnet addm dup sbr=02:aa:00:00:00:07
hmac=$(nlc get e0a_o9 mac)
tf "a host end's MAC of another link on the bridge is refused" 1 \
    "e0a_o9: already has that MAC address on bridge sbr" jnet addm dup "sbr=$hmac"
t "nothing left by the refusals" nlc absent e0a_dup
t "the same MAC on another bridge is fine" jnet addm dup sbr2=02:aa:00:00:00:07
t "destroy dup" jnet destroy dup
# Two links racing for one MAC: the kernel keeps the names that stand for MACs unique.
t "two addm with one MAC at once" sh -c '
	ip netns add r1 && ip netns add r2
	"$JNET" addm r1 sbr2=02:cc:00:00:00:01 & "$JNET" addm r2 sbr2=02:cc:00:00:00:01 & wait'
eq "racing for one MAC: exactly one link got it" 1 \
    "$(ip -o link show master sbr2 | grep -c 'e0a_r[12]')"

rm -f "$TR"
finish
