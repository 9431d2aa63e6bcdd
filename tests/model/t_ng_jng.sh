# jng compatibility: the names jng gives (ng{i}_NAME), jng's -b (a bridge IFACE<SUFFIX>),
# show/stats/graph as jng has them, and with -m jib the MAC jng derives: the a-variant of
# derive_mac only (one interface per link): NP:SS:SS:II:II:II with SS:SS the BSD sum(1) of
# NAME (GNU `sum` implements the same algorithm; the vectors below come from it, apart from
# jnet), II the uplink's last three bytes, P = 2 (a after an uplink of ?2, 2 after ?e),
# N the count of links made on that uplink in this addm.
. "$TESTLIB"
: "${NGCTL:?NGCTL must point at jnet-model-ngctl}"
export JNET_BACKEND=netgraph
fresh

jib_sum_check
expect() { jib_mac "$1" "$2" "$3" a; } # NAME UPLINK_MAC N: jng derives the a-variant

mctl ifadd em1 02:ab:cd:01:02:03 >/dev/null    # first octet ?2
mctl ifadd em2 0e:ab:cd:04:05:06 >/dev/null    # first octet ?e
for name in web db www_example_org x; do
	t "jnet -m jib addm $name em0 em0 em1 em2" jnet -m jib addm $name em0 em0 em1 em2
	eq "$name: ng0" "$(expect $name 00:11:22:33:44:55 0)" "$(get "$(jnet name $name 0)" mac)"
	eq "$name: ng1 (second link on em0: N=1)" "$(expect $name 00:11:22:33:44:55 1)" "$(get "$(jnet name $name 1)" mac)"
	eq "$name: ng2 (em1, ?2: P=a)" "$(expect $name 02:ab:cd:01:02:03 0)" "$(get "$(jnet name $name 2)" mac)"
	eq "$name: ng3 (em2, ?e: P=2)" "$(expect $name 0e:ab:cd:04:05:06 0)" "$(get "$(jnet name $name 3)" mac)"
done
eq "web ng0, by hand" 02:40:b2:33:44:55 "$(get ng0_web mac)"
eq "web ng2, by hand" 0a:40:b2:01:02:03 "$(get ng2_web mac)"

# names: ng{i}_NAME verbatim when it fits; never jng's silent truncation
eq "name www_example_org (15 chars fit? no: short form)" 1 \
    "$(jnet name www_example_org | grep -c '^ng0-')"
eq "name x" ng0_x "$(jnet name x)"
t "no two jails share a name (jng truncates both to ng0_abcdefghijkl)" sh -c \
    "[ \"\$($JNET name abcdefghijklmn1)\" != \"\$($JNET name abcdefghijklmn2)\" ]"

# -b SUFFIX: the bridge is IFACE<SUFFIX> (jng hangs it off IFACEbridge; jnet off IFACE)
mctl ifadd em3 00:00:00:00:00:33 >/dev/null
t "addm -b br web2 em3" jnet addm -b br web2 em3
eq "ng0_web2 on em3br" "em3br" "$("$NGCTL" show ng0_web2: | awk '{print $2}')"

# show / stats as jng has them
t_out "show" "db
web
web2
www_example_org
x" jnet show
t_out "show web" "ng0_web
ng1_web
ng2_web
ng3_web" jnet show web
t "traffic on web's link" "$NGCTL" traffic em0bridge link2 500
t "stats web" jnet stats web
eq "ngctl's field names, values from the bridge" 500 \
    "$(tr -d ' \n' < "$OUT" | sed 's/.*"ng0_web":{[^}]*"recvOctets":\([0-9]*\).*/\1/')"
eq "four interfaces" 4 "$(grep -c '"bridge":' "$OUT")"

# graph: dot, rendered by Graphviz when it is installed
t "graph" jnet graph
cp "$OUT" "$TMP/g.dot"
eq "one edge per bridge hook" "$("$NGCTL" show em0bridge: | wc -l)" \
    "$(grep -c '^	"em0bridge" -- ' "$TMP/g.dot")"
if command -v dot >/dev/null 2>&1; then
	t "dot -Tsvg" dot -Tsvg -o "$TMP/g.svg" "$TMP/g.dot"
	grep -q "ng0_web" "$TMP/g.svg" && pass || fail "SVG names ng0_web"
else
	echo "note: graphviz not installed, graph not rendered"
fi
finish
