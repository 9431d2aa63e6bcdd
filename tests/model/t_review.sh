# What the second independent review (docs only) broke on the FreeBSD backends, one named
# check per finding; each failed on the code it was found on.
. "$TESTLIB"

for be in epair netgraph; do
	export JNET_BACKEND=$be
	# An uplink that was down before a failed addm is down again (the FreeBSD backends
	# could not set an interface down), and after destroy + bridge del.
	fresh
	mctl ifadd em1 02:00:00:00:00:11 down
	JNET_MODEL_TRACE=$TMP/trace jnet addm web em1 >/dev/null 2>&1
	n=$(wc -l <"$TMP/trace")
	jnet destroy web >/dev/null 2>&1; jnet bridge del em1bridge >/dev/null 2>&1
	# (netgraph: an ng_bridge node carries no tag to record the uplink's state in, so
	# bridge del cannot know it was down: docs/netgraph.md says so)
	[ $be = epair ] && eq "$be: addm, destroy, bridge del: em1 down again" down "$(get em1 up)"
	bad=0 k=1
	while [ $k -le "$n" ]; do
		mctl reset >/dev/null; mctl ifadd em1 02:00:00:00:00:11 down
		if ! JNET_MODEL_FAIL=$k:EIO jnet addm web em1 >/dev/null 2>&1; then
			[ "$(get em1 up)" = down ] || { bad=$((bad + 1)); echo "  $be k=$k: em1 left up"; }
		fi
		k=$((k + 1))
	done
	eq "$be: a fault at each of addm's $n calls leaves em1 down" 0 $bad

	# detach NAME JAIL on a backend that cannot tell which other jail holds an end: a
	# clear refusal, nothing moved.
	fresh
	mctl jail-create web >/dev/null; mctl jail-create evil >/dev/null
	jnet addm web em0 >/dev/null 2>&1; jnet attach web >/dev/null 2>&1
	tf "$be: detach web evil refused" 1 "detach web: evil: the $be backend brings jail ends back from the jail they belong to only" \
	    jnet detach web evil

	# gc says so when a kernel call fails (it does not report success).
	fresh
	jnet addm gone em0 >/dev/null 2>&1
	rm -f "$TMP/trace"
	JNET_MODEL_TRACE=$TMP/trace jnet gc --min-age 0 >/dev/null 2>&1
	k=$(grep -n "jail_get" "$TMP/trace" | head -1 | cut -d: -f1)
	fresh
	jnet addm gone em0 >/dev/null 2>&1
	tf "$be: gc with a failing jail lookup fails, naming the call" 1 "jail_get" \
	    env JNET_MODEL_FAIL="$k:EIO" "$JNET" gc --min-age 0
done

# epair: attach after a restart replaces the stale link with the same stable MACs.
export JNET_BACKEND=epair
fresh
jnet addm web em0 >/dev/null
macb=$(get e0b_web mac)
mctl jail-create web >/dev/null; jnet attach web >/dev/null
mctl jail-kill web >/dev/null; mctl jail-create web >/dev/null
t "epair: attach after a restart" jnet attach web
eq "epair: the new jail end has the stable MAC it had" "$macb" "$(get e0b_web mac web)"

# netgraph graph: a jail name with '"' and '\' is escaped for DOT.
export JNET_BACKEND=netgraph
fresh
t "netgraph: addm 'we\"b\\x'" jnet addm 'we"b\x' em0
jnet graph >"$TMP/g.dot"
t "netgraph: graph parses as DOT" dot -Tsvg -o /dev/null "$TMP/g.dot"
finish
