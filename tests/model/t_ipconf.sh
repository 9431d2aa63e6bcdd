# Addresses and routes from the host (issue 12, part 2) on the FreeBSD backends, on the
# kernel model: attach -a/-g/-r puts them on the jail end inside the jail (as FreeBSD 14's
# ifconfig -j / route -j would), addm -a needs the jail, faults at each call leave nothing
# of the attach behind.
. "$TESTLIB"

# addrs IFACE: the addresses of IFACE (anywhere), space-separated; routes JAIL: its routes
addrs() {
	"$MODELCTL" dump | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(a for i in d["interfaces"] if i["name"] == sys.argv[1] for a in i["addrs"]))' "$1"
}
routes() {
	"$MODELCTL" dump | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" | ".join(r for j in d["jails"] if j["name"] == sys.argv[1] for r in j.get("routes", [])))' "$1"
}

for be in epair netgraph; do
	export JNET_BACKEND=$be
	B=$(jnet name web 0 b)
	[ $be = netgraph ] && B=$(jnet name web 0 a)
	fresh
	mctl jail-create web >/dev/null
	t "$be: addm web em0" jnet addm web em0
	t "$be: attach web -a -a -g -r" jnet attach web -a 192.0.2.10/24 -a 2001:db8::10/64 \
	    -g 192.0.2.1 -r 10.9.0.0/16=192.0.2.254
	eq "$be: the jail end's addresses" "192.0.2.10/24 2001:db8::10/64" "$(addrs "$B")"
	eq "$be: web's routes" "0.0.0.0/0 via 192.0.2.1 | 10.9.0.0/16 via 192.0.2.254" "$(routes web)"
	t "$be: destroy web" jnet destroy web
	eq "$be: no address left" "" "$(addrs "$B")"

	# addm -a before the jail exists: refused, nothing made
	fresh
	tf "$be: addm -a without the jail" 1 "give -a, -g, -r to attach" \
	    jnet addm web em0 -a 192.0.2.10/24
	eq "$be: nothing made" "lo0 em0" "$(mctl ls | tr '\n' ' ' | sed 's/ $//')"

	# a fault at each kernel call of attach -a (the jail made after addm, as jail(8) does):
	# attach fails cleanly, the jail end is back on the host and carries no address. (For a
	# jail end already inside the jail a fault leaves the addresses added so far: jnet(8).)
	fresh
	jnet addm web em0 >/dev/null 2>&1
	mctl jail-create web >/dev/null
	cp "$JNET_MODEL_STATE" "$TMP/base.json"
	rm -f "$TMP/trace"
	JNET_MODEL_TRACE=$TMP/trace jnet attach web -a 192.0.2.10/24 -g 192.0.2.1 >/dev/null 2>&1
	n=$(wc -l <"$TMP/trace")
	bad=0 k=1
	while [ "$k" -le "$n" ]; do
		cp "$TMP/base.json" "$JNET_MODEL_STATE"
		if ! JNET_MODEL_FAIL=$k:EIO jnet attach web -a 192.0.2.10/24 -g 192.0.2.1 >/dev/null 2>&1; then
			if [ -n "$(addrs "$B")" ] || [ -n "$(routes web)" ]; then
				bad=$((bad + 1)); echo "  $be k=$k: an address or route left"
			fi
		fi
		k=$((k + 1))
	done
	eq "$be: a fault at each of attach's $n calls leaves no address" 0 $bad
done

# Review 1: kill -9 at each kernel call of attach -a, then the same attach again: the jail
# ends are up, with their addresses (check finds nothing).
for be in epair netgraph; do
	export JNET_BACKEND=$be
	A="-a 192.0.2.4/24 -a 1=2001:db8::4/64 -g 192.0.2.1"
	fresh; jnet addm web em0 em0 >/dev/null 2>&1; mctl jail-create web >/dev/null
	cp "$JNET_MODEL_STATE" "$TMP/base.json"
	rm -f "$TMP/trace"
	JNET_MODEL_TRACE=$TMP/trace jnet attach web $A >/dev/null 2>&1
	n=$(wc -l <"$TMP/trace")
	bad=0 k=1
	while [ "$k" -le "$n" ]; do
		cp "$TMP/base.json" "$JNET_MODEL_STATE"; rm -rf "$JNET_RUNDIR"
		(JNET_MODEL_KILL=$k "$JNET" attach web $A >/dev/null 2>&1)
		if ! "$JNET" attach web $A >/dev/null 2>&1 || ! "$JNET" check web >/dev/null 2>&1; then
			bad=$((bad + 1)); echo "  $be k=$k: attach again did not complete it"
		fi
		k=$((k + 1))
	done
	eq "$be: kill -9 at each of attach -a's $n calls, then attach again: complete" 0 $bad
done

finish
