# Interface-group lists that grow under jnet. SIOCGIFGMEMB and SIOCGIFGROUP take two
# ioctls (the size, then the list); if somebody adds a member in between, the second
# answers EINVAL (sys/net/if.c if_getgroupmembers, if_getgroup). $JNET_MODEL_GROW=K makes
# that happen at primitive call K. For each command and every group-list call in it: the
# command still succeeds (it asks again, with room) and leaves its links as a clean run
# does. Both FreeBSD backends.
. "$TESTLIB"
: "${NGCTL:=}"

# scenario NAME
scenario() {
	fresh >/dev/null
	mctl kld load all
	case $1 in
	new) ;;
	link) jnet addm web em0 em0 ;;
	gone) jnet addm web em0 && mctl jail-create web >/dev/null && jnet attach web &&
	    mctl jail-kill web && mctl jail-gone web ;;
	esac
}

# check SCENARIO COMMAND...
check() {
	sc=$1; shift
	scenario $sc
	rm -f "$TMP/trace"
	JNET_MODEL_TRACE="$TMP/trace" "$JNET" "$@" >"$TMP/clean.out" 2>"$ERR" ||
	    fail "$JNET_BACKEND $sc: $*: the clean run failed: $(cat "$ERR")"
	"$JNET" show -l > "$TMP/clean.show" 2>&1
	ks=$(awk '$3 == "SIOCGIFGMEMB" || $3 == "SIOCGIFGROUP" {print $2}' "$TMP/trace")
	[ -n "$ks" ] || { fail "$JNET_BACKEND $sc: $*: no group list to grow"; return; }
	grown=0
	for k in $ks; do
		scenario $sc
		rm -f "$TMP/gtrace"
		if ! JNET_MODEL_GROW=$k JNET_MODEL_TRACE="$TMP/gtrace" "$JNET" "$@" \
		    >"$TMP/grown.out" 2>"$ERR"; then
			fail "$JNET_BACKEND $sc: $*: the list of call $k grew: $(cat "$ERR")"
			continue
		fi
		op=$(awk -v k=$k '$2 == k && $3 != "GREW" {print $3, $4}' "$TMP/gtrace")
		if grep -q "^[0-9]* $k GREW\$" "$TMP/gtrace"; then
			grown=$((grown + 1))
			again=$(awk -v k=$((k + 1)) '$2 == k {print $3, $4}' "$TMP/gtrace")
			eq "$JNET_BACKEND $sc: $*: call $k ($op) asked again" "$op" "$again"
		fi
		"$JNET" show -l > "$TMP/grown.show" 2>&1
		if cmp -s "$TMP/clean.show" "$TMP/grown.show" &&
		    cmp -s "$TMP/clean.out" "$TMP/grown.out"; then pass; else
			fail "$JNET_BACKEND $sc: $*: call $k grew: another result:
$(diff "$TMP/clean.show" "$TMP/grown.show"; diff "$TMP/clean.out" "$TMP/grown.out")"
		fi
	done
	[ $grown -gt 0 ] || fail "$JNET_BACKEND $sc: $*: no list grew"
	echo "$JNET_BACKEND $sc: $*: $(echo $ks | wc -w) group lists, $grown grew, in turn"
}

for b in epair netgraph; do
	export JNET_BACKEND=$b
	check new addm web em0
	check link show
	check link show -l web
	check link destroy web
	check gone gc
done

export JNET_BACKEND=epair
scenario link
# A list that grows at every try: jnet gives up after FBC_GREW_TRIES (8) and says so.
rm -f "$TMP/gtrace"
tf "a list that never stops growing: bounded, said" 1 "SIOCGIFGMEMB group jnet: its member list kept changing .*8 tries" \
    env JNET_MODEL_GROW=1+ JNET_MODEL_TRACE="$TMP/gtrace" "$JNET" show
eq "asked 8 times" 8 "$(grep -c GREW "$TMP/gtrace")"
finish
