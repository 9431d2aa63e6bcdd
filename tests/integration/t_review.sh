# What an independent review (docs only, as a new user and an adversary) broke, one named
# check per finding; each failed on the code it was found on.
. "$TESTLIB"

fresh() {
	for ns in $(ip netns list | cut -d' ' -f1); do ip netns del "$ns"; done
	for i in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
		[ "$i" = lo ] || ip link del "$i" 2>/dev/null
	done
	mk_uplink em0 00:11:22:33:44:55
}
mtu() { ip -o link show dev "$1" | sed -E 's/.* mtu ([0-9]+) .*/\1/'; }
updown() { ip -o link show dev "$1" | grep -q '[<,]UP[,>]' && echo up || echo down; }

# 1. A foreign veth named e0a_web in our group, no alias, paired with an end of its own
# name in another namespace: not a crash leftover of ours (its peer is not named ours).
fresh
ip netns add web; ip netns add mine
ip link add e0a_web group 27246 type veth peer name myside netns mine
tf "foreign pair: destroy web refuses it, naming it" 1 "destroy web: e0a_web: " jnet destroy web
tf "foreign pair: addm web refuses it, naming it" 1 "addm web: e0a_web: " jnet addm web em0
t "foreign pair: e0a_web still there" nlc link e0a_web
t "foreign pair: its peer in the other namespace still there" nlc -n mine link myside

# 2. A bridge jnet did not make (jib's layout: the uplink is its port), the uplink down:
# jnet joins it and leaves the uplink as it is.
fresh
ip link set em0 down
ip link add em0bridge type bridge
ip link set em0 master em0bridge
ip netns add web
t "jib's bridge: addm web em0" jnet addm web em0
eq "jib's bridge: the uplink stays down" down "$(updown em0)"
t "jib's bridge: destroy web" jnet destroy web
eq "jib's bridge: the uplink is down after destroy" down "$(updown em0)"
t "jib's bridge: still em0's master" nlc link em0 master=em0bridge

# 3. A smaller -M on jnet's bridge with ports: the link gets it, the bridge keeps its MTU.
fresh
ip netns add web; ip netns add db
t "-M smaller: addm db em0" jnet addm db em0
t "-M smaller: addm -M 1400 web em0" jnet addm -M 1400 web em0
eq "-M smaller: the bridge keeps 1500" 1500 "$(mtu em0bridge)"
eq "-M smaller: the host end is 1400" 1400 "$(mtu e0a_web)"
eq "-M smaller: the jail end is 1400" 1400 "$(ip -n web -o link show dev e0b_web | sed -E 's/.* mtu ([0-9]+) .*/\1/')"
eq "-M smaller: db's end unchanged" 1500 "$(mtu e0a_db)"
tf "-M larger than the bridge: refused" 1 "em0bridge: MTU 9000 asked" jnet addm -M 9000 app em0

# 4. A failing start_if of one end: stop_if runs for the other end of that link too.
fresh
H=$(mktemp -d)
for i in e0a_web e0b_web e1a_web e1b_web; do
	echo "echo start_if $i >> $H/log" > "$H/start_if.$i"
	echo "echo stop_if $i >> $H/log" > "$H/stop_if.$i"
done
echo "exit 3" >> "$H/start_if.e1b_web"
ip netns add web
tf "hooks: start_if of e1b_web fails" 1 "start_if.e1b_web" jnet -H "$H" addm web em0 em0
t "hooks: stop_if ran for e1a_web (its start_if had run)" grep -qx "stop_if e1a_web" "$H/log"
t "hooks: stop_if ran for e0a_web" grep -qx "stop_if e0a_web" "$H/log"
eq "hooks: nothing left" 0 "$(jnet_leftovers)"

# 5. A start_if hook that renames its interface: the error names it, nothing is left.
fresh
rm -f "$H"/*
printf 'ip link set "$1" name renamed0\n' > "$H/start_if.e0a_web"
ip netns add web
tf "renaming hook: the error names e0a_web" 1 "addm web: e0a_web: " jnet -H "$H" addm web em0
t "renaming hook: the renamed pair was rolled back" nlc absent renamed0 e0a_web
t "renaming hook: no jail end left in web" nlc -n web absent e0b_web
rm -rf "$H"

# 6. A spec that names jnet's own namespace is no jail.
fresh
sleep 300 & sp=$!
t "own namespace: addm web em0" jnet addm web em0
tf "own namespace: attach web pid:N (N in jnet's namespace) refused" 1 \
    "jnet's own network namespace" jnet attach web "pid:$sp"
tf "own namespace: addm -J /proc/self/ns/net refused" 1 "jnet's own network namespace" \
    jnet addm -J /proc/self/ns/net db em0
t "own namespace: nothing of db" nlc absent e0a_db e0b_db
kill "$sp"

# 7. Another jail's end, waiting on the host, is no uplink.
tf "jail end as uplink: refused, naming it" 1 "addm db: e0b_web: is an end of link 0 of jail 'web'" \
    jnet addm db e0b_web
t "jail end as uplink: no e0b_webbridge" nlc absent e0b_webbridge
t "jail end as uplink: e0b_web has no master" nlc link e0b_web nomaster

# 8. A host end renamed by hand: addm converges (the old pair replaced).
fresh
ip netns add web
t "renamed host end: addm web em0" jnet addm web em0
ip link set e0a_web name foo
t "renamed host end: addm again succeeds" jnet addm web em0
t "renamed host end: the link is complete" nlc link e0a_web master=em0bridge
t "renamed host end: the renamed one is gone" nlc absent foo
t "renamed host end: destroy" jnet destroy web
t "renamed host end: nothing of web left" nlc absent e0a_web e0b_web foo

# 10. gc --min-age 0 removes a link born "in the future" (a clock stepped back).
t "future birth: addm fut em0" env SOURCE_DATE_EPOCH=9999999999 "$JNET" addm fut em0
t "future birth: gc --min-age 0" jnet gc --min-age 0
t "future birth: removed" nlc absent e0a_fut e0b_fut

# 12. An unknown backend is a usage error naming where it came from.
tf "unknown backend (-t): exit 2" 2 "^jnet: show: -t: unknown backend 'foo'" jnet -t foo show
tf "unknown backend (JNET_BACKEND): exit 2" 2 "JNET_BACKEND: unknown backend 'foo'" \
    env JNET_BACKEND=foo "$JNET" show

# 13. A different explicit MAC: the error names both.
t "MAC: addm web em0=02:00:00:00:00:01" jnet addm web em0=02:00:00:00:00:01
tf "MAC: another one refused, naming both" 1 "02:00:00:00:00:01, not the 02:00:00:00:00:02" \
    jnet addm web em0=02:00:00:00:00:02

# 6 (second review). addm killed inside a bridge's creation (after the bridge, before its
# tag, MTU or uplink): a rerun makes it anew, complete.
for k in 6 7 8 9; do
	fresh
	ip link set em0 down
	ip netns add web
	env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -o /dev/null \
	    -e trace=sendto -e inject=sendto:signal=KILL:when=$k "$JNET" addm web em0 >/dev/null 2>&1
	t "bridge crash at $k: rerun succeeds" jnet addm web em0
	t "bridge crash at $k: em0 is its port" nlc link em0 master=em0bridge
	t "bridge crash at $k: the bridge is tagged, MTU 1500" nlc link em0bridge "alias^=jnet/2 bridge netns -" mtu=1500
	t "bridge crash at $k: destroy, bridge del" sh -c "$JNET destroy web && $JNET bridge del em0bridge"
done

# 14. Every error names an object; a control byte in a name stays on one line.
tf "no links: attach names the jail" 1 "^jnet: attach nolinks: nolinks: " jnet attach nolinks web
tf "empty MAC: names it" 1 "addm web: '': not a MAC address" jnet addm web "em0="
eq "a jail name with a newline: one line of error" 1 "$("$JNET" addm "$(printf 'a\nb')" em0 2>&1 | wc -l)"

finish
