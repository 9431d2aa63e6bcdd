# One named case per safety promise of issue 9, on the netns backend. Every assertion's
# description starts with the case's name, so a failure says which promise broke. Each case
# starts from a clean sandbox (reset) with two free uplinks em0 and em1.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/safetylib.sh"

# reset: remove every interface and namespace of the sandbox (the previous case's, jnet's
# or not), wait until the kernel has finished, and make the uplinks em0 and em1 anew.
reset() {
	rm -f "$HOOKDIR"/*
	empty_sandbox
	mk_uplink em0 00:11:22:33:44:55
	mk_uplink em1 00:11:22:33:44:66
	unset SNAP_OWN SNAP_SKIP SNAP_SKIPNS SNAP_CRASH
}

# nothing_of JAIL [-n NS]: no interface tagged for JAIL (host, or namespace NS).
nothing_of() {
	j=$1; shift
	[ -z "$(jnet_tagged "$j" "$@")" ]
}

# ---------------------------------------------------------------------------------------
# Promise: an uplink already in another bridge is refused; nothing is created, the uplink
# stays where it was; the error names the uplink and the bridge that holds it.
case_uplink_in_foreign_bridge() {
	C=uplink_in_foreign_bridge
	reset
	mkns web
	ip link add br0 type bridge
	ip link add em2 type veth peer name em2p
	ip link set em2 master br0
	ip link set br0 up; ip link set em2 up
	before
	rcis "$C: addm web em2 is refused" 1 jnet addm web em2
	names "$C: the error names em2 and br0" em2 br0
	after "$C: nothing else changed"
	t "$C: em2 still a port of br0" nlc link em2 master=br0
	t "$C: no em2bridge" nlc absent em2bridge
	eq "$C: nothing in group 27246 (host)" 0 "$(jnet_leftovers)"
	eq "$C: nothing in group 27246 (web)" 0 "$(nlc -n web count group $G)"
	# the same through bridge add
	rcis "$C: bridge add x em2 is refused" 1 jnet bridge add x em2
	names "$C: bridge add: the error names em2" em2
	t "$C: bridge add: em2 still a port of br0, no bridge x" sh -c "$NLCHECK link em2 master=br0 && $NLCHECK absent x"
}

# Promise: gc never touches a foreign veth put in group 27246 (no tag, a name jnet never gives).
case_gc_foreign_veth() {
	C=gc_foreign_veth
	reset
	ip link add fv0 group $G type veth peer name fv1 group $G
	ip link set fv0 up
	before
	rcis "$C: gc" 0 jnet gc
	after "$C: nothing changed"
	t "$C: fv0 untouched" nlc link fv0 group=$G up alias=
	t "$C: fv1 untouched" nlc link fv1 group=$G alias=
}

# Promise: a jail NAME is only ever a name. "pid:N" or a path given as NAME never opens a
# namespace; only -J takes a spec, and a -J jail that does not exist is a clear error.
case_jail_name_is_a_name() {
	C=jail_name_is_a_name
	reset
	unshare -n sleep 60 &
	sleeper=$!
	n=0
	while [ "$(readlink /proc/$sleeper/ns/net)" = "$(readlink /proc/self/ns/net)" ] && [ $n -lt 50 ]; do
		sleep 0.1; n=$((n + 1))
	done
	inside() { nsenter -t $sleeper -n ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | tr '\n' ' '; }
	eq "$C: the sleeper has its own namespace with lo only" "lo " "$(inside)"
	rcsane "$C: addm pid:$sleeper em0" jnet addm "pid:$sleeper" em0
	eq "$C: addm pid:N put nothing into process N's namespace" "lo " "$(inside)"
	if [ "$got" -eq 0 ]; then
		hb=$(jnet name "pid:$sleeper" 0 b)
		t "$C: the jail end of jail 'pid:N' waits on the host" nlc link "$hb" "alias^=jnet/2 link netns 0 b pid:$sleeper"
	fi
	rcis "$C: destroy pid:N" 0 jnet destroy "pid:$sleeper"
	eq "$C: destroy pid:N: nothing of it left" "" "$(jnet_tagged "pid:$sleeper")"
	[ "$got" -eq 0 ] && rcis "$C: bridge del em0bridge" 0 jnet bridge del em0bridge
	# a path as NAME: refused ('/'), even where the path is a namespace file
	: > "$WORK/x"
	mount --bind /proc/$sleeper/ns/net "$WORK/x"
	rcis "$C: addm $WORK/x em0 is refused" 1 jnet addm "$WORK/x" em0
	eq "$C: addm PATH put nothing into the namespace at PATH" "lo " "$(inside)"
	rcis "$C: addm /tmp/x em0 is refused" 1 jnet addm /tmp/x em0
	eq "$C: nothing created by refused names" 0 "$(jnet_leftovers)"
	umount "$WORK/x"
	# -J with a spec that does not exist: a clear error naming it, nothing created
	rcis "$C: addm -J pid:99999999" 1 jnet addm -J pid:99999999 web em0
	names "$C: -J pid:99999999: the error names it" pid:99999999
	eq "$C: -J pid:99999999: nothing created" 0 "$(jnet_leftovers)"
	rcis "$C: addm -J /nonexistent" 1 jnet addm -J /nonexistent web em0
	names "$C: -J /nonexistent: the error names it" /nonexistent
	eq "$C: -J /nonexistent: nothing created" 0 "$(jnet_leftovers)"
	t "$C: em0 has no master after the refusals" nlc link em0 nomaster up
	# -J pid:N of a process of our own is a real spec: the jail ends go there
	rcis "$C: addm -J pid:N web em0" 0 jnet addm -J "pid:$sleeper" web em0
	eq "$C: -J pid:N: e0b_web in process N's namespace" "lo e0b_web " "$(inside)"
	rcis "$C: destroy web" 0 jnet destroy web
	kill $sleeper; wait $sleeper 2>/dev/null
}

# Promise: an uplink jnet brought up is given back in its previous state: down again after
# a failed addm; after destroy + bridge del, no master and down as before. An up uplink
# stays up throughout.
case_uplink_state_restored() {
	C=uplink_state_restored
	reset
	mkns web
	ip link set em1 down
	printf 'exit 1\n' > "$HOOKDIR/start_if.e0a_web"
	rcis "$C: addm with a failing start_if" 1 jnet addm web em1
	t "$C: after the failed addm: em1 down again" nlc link em1 down
	t "$C: after the failed addm: em1 not left in a bridge, or its bridge is jnet's" \
	    sh -c "$NLCHECK link em1 nomaster || $NLCHECK link em1 master=em1bridge"
	eq "$C: after the failed addm: nothing of web" "" "$(jnet_tagged web)$(jnet_tagged web -n web)"
	rm -f "$HOOKDIR/start_if.e0a_web"
	rcis "$C: addm web em1 (down uplink)" 0 jnet addm web em1
	t "$C: the uplink came up" nlc link em1 up master=em1bridge
	rcis "$C: destroy web" 0 jnet destroy web
	rcis "$C: bridge del em1bridge" 0 jnet bridge del em1bridge
	t "$C: em1 given back: no master, down as before" nlc link em1 nomaster down
	# an up uplink: never set down
	rcis "$C: addm web em0 (up uplink)" 0 jnet addm web em0
	rcis "$C: destroy web (em0)" 0 jnet destroy web
	rcis "$C: bridge del em0bridge" 0 jnet bridge del em0bridge
	t "$C: em0 given back: no master, still up" nlc link em0 nomaster up
	# bridge add with a down uplink, then bridge del
	ip link set em1 down
	rcis "$C: bridge add b1 em1 (down uplink)" 0 jnet bridge add b1 em1
	rcis "$C: bridge del b1" 0 jnet bridge del b1
	t "$C: bridge del gives em1 back down" nlc link em1 nomaster down
}

# Promise: destroy works from any state: part of the links deleted by hand, a host end
# renamed by hand, a host end moved into another namespace; and addm works afterwards.
case_destroy_any_state() {
	C=destroy_any_state
	reset
	mkns web
	rcis "$C: addm web with 8 links" 0 jnet addm web em0 em0 em0 em0 em0 em0 em0 em0
	for i in 0 1 2 3; do ip link del "e${i}a_web"; done
	rcis "$C: destroy web (links 0-3 gone)" 0 jnet destroy web
	eq "$C: nothing of web left on the host" "" "$(jnet_tagged web)"
	eq "$C: nothing of web left in web" "" "$(jnet_tagged web -n web)"
	eq "$C: only em0bridge in the group" "em0bridge " "$(in_group)"
	# a host end renamed by hand
	reset
	mkns web
	rcis "$C: addm web em0" 0 jnet addm web em0
	ip link set e0a_web name foo
	rcis "$C: destroy web (host end renamed foo)" 0 jnet destroy web
	t "$C: foo removed" nlc absent foo
	eq "$C: renamed: nothing of web left in web" "" "$(jnet_tagged web -n web)"
	# a host end moved into another namespace
	reset
	mkns web
	mkns other
	rcis "$C: addm web em0 (again)" 0 jnet addm web em0
	ip link set e0a_web netns other
	"$JNET" destroy web >"$OUT" 2>"$ERR"; got=$?
	cp "$ERR" "$WORK/err"
	if [ $got -eq 0 ]; then
		t "$C: destroy rc 0: e0a_web removed from other" nlc -n other absent e0a_web
		t "$C: destroy rc 0: e0b_web removed from web" nlc -n web absent e0b_web
	elif [ $got -eq 1 ]; then
		names "$C: destroy rc 1 names e0a_web" e0a_web
	else
		fail "$C: destroy with the host end in another namespace: exit $got: $(cat "$ERR")"
	fi
	rcis "$C: addm web em0 succeeds afterwards" 0 jnet addm web em0
	t "$C: and the link is complete" sh -c "$NLCHECK link e0a_web master=em0bridge up && $NLCHECK -n web link e0b_web up"
}

# Promise: a start_if hook that renames its interface cannot make a failed addm leave
# anything behind.
case_hook_renames() {
	C=hook_renames
	reset
	mkns web
	printf 'ip link set "$1" name renamed0\nexit 1\n' > "$HOOKDIR/start_if.e0a_web"
	rcis "$C: addm fails (hook renames, exits 1)" 1 jnet addm web em0
	t "$C: renamed0 removed" nlc absent renamed0 e0a_web
	eq "$C: nothing of web (host)" "" "$(jnet_tagged web)"
	eq "$C: nothing of web (web)" "" "$(jnet_tagged web -n web)"
	printf 'ip link set "$1" name renamed0\nexit 0\n' > "$HOOKDIR/start_if.e0a_web"
	rcsane "$C: addm (hook renames, exits 0)" jnet addm web em0
	if [ "$got" -ne 0 ]; then
		t "$C: exit 0 hook, addm failed: renamed0 removed" nlc absent renamed0 e0a_web
		eq "$C: exit 0 hook, addm failed: nothing of web (host)" "" "$(jnet_tagged web)"
		eq "$C: exit 0 hook, addm failed: nothing of web (web)" "" "$(jnet_tagged web -n web)"
	fi
	rm -f "$HOOKDIR/start_if.e0a_web"
	rcis "$C: destroy web" 0 jnet destroy web
	t "$C: after destroy: no renamed0" nlc absent renamed0 e0a_web
}

# Promise: addm converges on what it is asked: another uplink moves the link to that
# uplink's bridge (or fails clearly naming the difference); -M on an existing link sets the
# MTU of both ends (or fails clearly).
case_addm_converges() {
	C=addm_converges
	reset
	mkns web
	rcis "$C: addm web em0" 0 jnet addm web em0
	"$JNET" addm web em1 >"$OUT" 2>"$ERR"; got=$?
	cp "$ERR" "$WORK/err"
	if [ $got -eq 0 ]; then
		t "$C: addm web em1: e0a_web moved to em1bridge" nlc link e0a_web master=em1bridge up
	elif [ $got -eq 1 ]; then
		names "$C: addm web em1 refused: the error names em1" em1
		t "$C: addm web em1 refused: e0a_web still on em0bridge" nlc link e0a_web master=em0bridge up
	else
		fail "$C: addm web em1: exit $got: $(cat "$ERR")"
	fi
	rcis "$C: destroy, addm web em0" 0 sh -c "$JNET destroy web && $JNET addm web em0"
	"$JNET" addm -M 1400 web em0 >"$OUT" 2>"$ERR"; got=$?
	cp "$ERR" "$WORK/err"
	if [ $got -eq 0 ]; then
		eq "$C: addm -M 1400: host end mtu" 1400 "$(nlc get e0a_web mtu)"
		eq "$C: addm -M 1400: jail end mtu" 1400 "$(nlc -n web get e0b_web mtu)"
	elif [ $got -eq 1 ]; then
		if grep -Eqi 'mtu|1400' "$WORK/err"; then pass; else fail "$C: addm -M 1400 refused without saying why: $(cat "$WORK/err")"; fi
	else
		fail "$C: addm -M 1400: exit $got: $(cat "$ERR")"
	fi
}

# Promise: a jail's new instance (the namespace deleted and made again under the same name)
# gets its links, from addm and from attach; the old instance's leftovers (its pairs, which
# the kernel removes asynchronously, or which live on while a process holds the old
# instance) do not make jnet believe the set is complete.
case_stale_instance() {
	C=stale_instance
	reset
	mkns web
	rcis "$C: addm web em0" 0 jnet addm web em0
	ip netns del web
	mkns web
	rcis "$C: addm web em0 after the namespace was made anew" 0 jnet addm web em0
	t "$C: the new namespace has e0b_web" nlc -n web link e0b_web up
	t "$C: its host end on em0bridge" nlc link e0a_web master=em0bridge up
	# the old instance still alive (a process holds it) while the name points at a new one
	reset
	mkns web
	rcis "$C: held: addm web em0" 0 jnet addm web em0
	t "$C: held: the old instance has e0b_web" nlc -n web link e0b_web
	ip netns exec web sleep 60 &
	holder=$!
	sleep 0.2
	ip netns del web
	mkns web
	rcis "$C: addm web em0 (old instance held alive)" 0 jnet addm web em0
	t "$C: held: the new namespace has e0b_web" nlc -n web link e0b_web up
	kill $holder; wait $holder 2>/dev/null
	rcis "$C: destroy web" 0 jnet destroy web
	# attach: the link made for the old instance is attached to the new one
	reset
	rcis "$C: addm web em0 (no jail yet)" 0 jnet addm web em0
	mkns web
	rcis "$C: attach web" 0 jnet attach web
	t "$C: attach: the old instance has e0b_web" nlc -n web link e0b_web
	ip netns exec web sleep 60 &
	holder=$!
	sleep 0.2
	ip netns del web
	mkns web
	rcis "$C: attach web to its new instance" 0 jnet attach web
	t "$C: attach: the new namespace has e0b_web" nlc -n web link e0b_web
	kill $holder; wait $holder 2>/dev/null
	rcis "$C: destroy web (attach)" 0 jnet destroy web
}

# Promise: detach undoes attach, also attach into another jail (attach web other).
case_detach_undoes_attach() {
	C=detach_undoes_attach
	reset
	mkns other
	rcis "$C: addm web em0 (no jail)" 0 jnet addm web em0
	rcis "$C: attach web other" 0 jnet attach web other
	t "$C: e0b_web in other" nlc -n other link e0b_web
	rcis "$C: detach web" 0 jnet detach web
	t "$C: e0b_web back on the host" nlc link e0b_web "alias^=jnet/2 link netns 0 b web"
	t "$C: other is empty again" nlc -n other absent e0b_web
	mkns web
	rcis "$C: addm web em0 (jail web exists)" 0 jnet addm web em0
	rcis "$C: attach web other (from web)" 0 jnet attach web other
	t "$C: e0b_web in other (from web)" nlc -n other link e0b_web
	rcis "$C: detach web (from other)" 0 jnet detach web
	t "$C: e0b_web on the host (from other)" nlc link e0b_web
	rcis "$C: destroy web" 0 jnet destroy web
}

# Promise: parallel commands on one jail serialise: 20 addm at once all succeed and make
# exactly one link (with and without the jail); 20 destroy at once all succeed.
case_parallel_same_jail() {
	C=parallel_same_jail
	for mode in jail nojail; do
		reset
		[ $mode = jail ] && mkns web
		rm -f "$WORK"/par.*
		i=0
		while [ $i -lt 20 ]; do
			( "$JNET" addm web em0 2>"$WORK/par.$i.err"; echo $? > "$WORK/par.$i" ) &
			i=$((i + 1))
		done
		wait
		bad=$(for i in $(seq 0 19); do [ "$(cat "$WORK/par.$i")" = 0 ] || echo "#$i: exit $(cat "$WORK/par.$i"): $(cat "$WORK/par.$i.err")"; done)
		eq "$C ($mode): 20 parallel addm all succeed" "" "$bad"
		if [ $mode = jail ]; then
			eq "$C ($mode): exactly one link" "e0a_web |e0b_web " "$(jnet_tagged web)|$(jnet_tagged web -n web)"
		else
			eq "$C ($mode): exactly one link" "e0a_web e0b_web " "$(jnet_tagged web)"
		fi
		eq "$C ($mode): one port besides em0 on em0bridge" 2 "$(nlc count master em0bridge)"
		rm -f "$WORK"/par.*
		i=0
		while [ $i -lt 20 ]; do
			( "$JNET" destroy web 2>"$WORK/par.$i.err"; echo $? > "$WORK/par.$i" ) &
			i=$((i + 1))
		done
		wait
		bad=$(for i in $(seq 0 19); do [ "$(cat "$WORK/par.$i")" = 0 ] || echo "#$i: exit $(cat "$WORK/par.$i"): $(cat "$WORK/par.$i.err")"; done)
		eq "$C ($mode): 20 parallel destroy all succeed" "" "$bad"
		eq "$C ($mode): nothing of web left" "|" "$(jnet_tagged web)|$( [ $mode = jail ] && jnet_tagged web -n web)"
	done
}

# Promise: gc removes a link that never reached a jail only after a grace period
# (exec.prestart runs addm before the jail exists).
case_gc_grace() {
	C=gc_grace
	reset
	rcis "$C: addm web em0 (no jail)" 0 jnet addm web em0
	rcis "$C: gc" 0 jnet gc
	t "$C: the young link is kept" sh -c "$NLCHECK link e0a_web && $NLCHECK link e0b_web"
	mkns web
	rcis "$C: attach web still works" 0 jnet attach web
	rcis "$C: destroy web" 0 jnet destroy web
}

# Promise: MTUs: the links of a 9000-byte uplink are 9000 and its bridge stays 9000; joining
# a user's 9000 bridge does not lower it; -M 1279, 68, 1000 work (IPv6 is off below 1280);
# -M larger than what the bridge's other members carry is refused clearly.
case_mtu() {
	C=mtu
	reset
	mkns web
	mk_uplink eth1 00:11:22:33:44:88
	ip link set eth1p mtu 9000; ip link set eth1 mtu 9000
	rcis "$C: addm web eth1 (mtu 9000)" 0 jnet addm web eth1
	eq "$C: host end 9000" 9000 "$(nlc get e0a_web mtu)"
	eq "$C: jail end 9000" 9000 "$(nlc -n web get e0b_web mtu)"
	eq "$C: eth1bridge 9000" 9000 "$(nlc get eth1bridge mtu)"
	eq "$C: eth1 still 9000" 9000 "$(nlc get eth1 mtu)"
	rcis "$C: destroy web" 0 jnet destroy web
	eq "$C: eth1bridge still 9000 after destroy" 9000 "$(nlc get eth1bridge mtu)"
	# a user's bridge whose port carries 9000 (the bridge's MTU follows its ports)
	ip link add br9000 type bridge
	ip link add p9 mtu 9000 type veth peer name p9p mtu 9000
	ip link set p9 master br9000; ip link set p9 up; ip link set br9000 up
	eq "$C: br9000 is 9000 before" 9000 "$(nlc get br9000 mtu)"
	rcis "$C: addm web br9000" 0 jnet addm web br9000
	eq "$C: br9000 not lowered" 9000 "$(nlc get br9000 mtu)"
	eq "$C: br9000: host end 9000" 9000 "$(nlc get e0a_web mtu)"
	rcis "$C: destroy web (br9000)" 0 jnet destroy web
	eq "$C: br9000 still 9000 after destroy" 9000 "$(nlc get br9000 mtu)"
	for m in 1279 68 1000; do
		rcis "$C: addm -M $m" 0 jnet addm -M $m web em0
		eq "$C: -M $m: host end" $m "$(nlc get e0a_web mtu)"
		eq "$C: -M $m: jail end" $m "$(nlc -n web get e0b_web mtu)"
		rcis "$C: destroy (-M $m)" 0 jnet destroy web
	done
	rcis "$C: addm -M 9000 on em0bridge (em0 carries 1500) is refused" 1 jnet addm -M 9000 web em0
	if grep -Eqi 'mtu|9000' "$WORK/err"; then pass; else fail "$C: -M 9000 refused without saying why: $(cat "$WORK/err")"; fi
	eq "$C: -M 9000: nothing of web" "" "$(jnet_tagged web)$(jnet_tagged web -n web)"
	eq "$C: -M 9000: em0bridge not changed" 1500 "$(nlc get em0bridge mtu)"
}

# Promise: the jail's root is not trusted. A jail evil forges the tag of jail web on its
# own jail end, renames it e0b_web and makes an e1b_web: commands on web touch nothing but
# web's own objects (evil's namespace is not looked at); destroy evil touches nothing of web.
case_jail_root_untrusted() {
	C=jail_root_untrusted
	reset
	mkns web
	mkns evil
	rcis "$C: addm web em0" 0 jnet addm web em0
	rcis "$C: addm evil em0" 0 jnet addm evil em0
	ip -n evil link set e0b_evil down
	ip -n evil link set e0b_evil alias "jnet/2 link netns 0 b web"
	ip -n evil link set e0b_evil name e0b_web
	ip -n evil link add e1b_web group $G type veth peer name e1x group $G
	ip -n evil link set e1b_web alias "jnet/2 link netns 1 b web"
	ip -n evil link set e1x alias "jnet/2 link netns 1 a web"
	export SNAP_SKIPNS=evil SNAP_OWN=web
	for cmd in "attach web" "detach web" "attach web" "show web" "show -l web" "gc" "destroy web"; do
		before
		# shellcheck disable=SC2086
		rcsane "$C: $cmd" jnet $cmd
		after "$C: $cmd touches nothing but web's own objects"
	done
	eq "$C: nothing of web left on the host" "" "$(jnet_tagged web)"
	t "$C: evil's host end still there" nlc link e0a_evil "alias^=jnet/2 link netns 0 a evil"
	rcis "$C: addm web em0 again" 0 jnet addm web em0
	export SNAP_OWN=evil
	before
	rcsane "$C: destroy evil" jnet destroy evil
	after "$C: destroy evil touches nothing but evil's objects"
	t "$C: web's link intact" sh -c "$NLCHECK link e0a_web master=em0bridge up && $NLCHECK -n web link e0b_web up"
	unset SNAP_SKIPNS SNAP_OWN
}

# Promise: errors name the object, in the shape "jnet: <cmd> <jail>: <object>: <reason>".
case_error_shapes() {
	C=error_shapes
	reset
	ip link add br0 type bridge
	ip link add em2 type veth peer name em2p
	ip link set em2 master br0
	rcis "$C: addm web em2 (em2 in br0)" 1 jnet addm web em2
	shape "$C: addm web em2" addm web em2
	rcis "$C: addm web2 nope0" 1 jnet addm web2 nope0
	shape "$C: addm web2 nope0" addm web2 nope0
	ip link add e0a_web3 type veth peer name e0b_web3
	rcis "$C: addm web3 em0 (foreign e0a_web3)" 1 jnet addm web3 em0
	shape "$C: addm web3 em0 (foreign e0a_web3)" addm web3 e0a_web3
	rcis "$C: bridge del br0 (hand-made)" 1 jnet bridge del br0
	names "$C: bridge del br0 names br0" br0
	rcis "$C: addm -J /nonexistent web4 em0" 1 jnet addm -J /nonexistent web4 em0
	shape "$C: addm -J /nonexistent" addm web4 /nonexistent
}

case_uplink_in_foreign_bridge
case_gc_foreign_veth
case_jail_name_is_a_name
case_uplink_state_restored
case_destroy_any_state
case_hook_renames
case_addm_converges
case_stale_instance
case_detach_undoes_attach
case_parallel_same_jail
case_gc_grace
case_mtu
case_jail_root_untrusted
case_error_shapes
finish
