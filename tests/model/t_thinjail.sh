# examples/thin-jail.rc and the man page's thin-jail example, on the kernel model (both
# FreeBSD backends): the jnet commands of its exec.prestart / exec.created / exec.poststop,
# taken from the file itself, run as jail(8) runs them around creating and removing the jail.
. "$TESTLIB"
EX=$(dirname "$TESTLIB")/../../examples/thin-jail.rc

# the command of exec.KEY in the example, with the rc variables' defaults put in
cmd_of() {
	sed -n "s/.*exec\\.$1=\"\\(jnet [^\"]*\\)\".*/\\1/p" "$EX" |
	    sed -e 's/${ntpjail_uplink}/em0/' -e 's|${ntpjail_address}|192.0.2.123/24|' \
	        -e 's/${ntpjail_gateway}/192.0.2.1/'
}
pre=$(cmd_of prestart) created=$(cmd_of created) post=$(cmd_of poststop)
eq "the example's exec.prestart" "jnet addm ntpjail em0" "$pre"
eq "the example's exec.created" "jnet attach ntpjail -a 192.0.2.123/24 -g 192.0.2.1" "$created"
eq "the example's exec.poststop" "jnet destroy ntpjail" "$post"
t "the example is valid sh" sh -n "$EX"

for be in epair netgraph; do
	export JNET_BACKEND=$be
	fresh
	t "$be: exec.prestart" $pre
	mctl jail-create ntpjail >/dev/null
	t "$be: exec.created" $created
	t "$be: the jail end holds the address, inside the jail" sh -c \
	    "$MODELCTL dump | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert any(\"192.0.2.123/24\" in i[\"addrs\"] and i[\"in\"].startswith(\"ntpjail#\") for i in d[\"interfaces\"]), d
assert \"0.0.0.0/0 via 192.0.2.1\" in [j for x in d[\"jails\"] if x[\"name\"] == \"ntpjail\" for j in x[\"routes\"]]
'"
	mctl jail-kill ntpjail >/dev/null; mctl jail-gone ntpjail >/dev/null
	t "$be: exec.poststop" $post
	# (an ng_bridge is no interface: netgraph's em0bridge is not listed)
	want="lo0 em0 em0bridge"
	[ $be = netgraph ] && want="lo0 em0"
	eq "$be: nothing of jnet's left but the bridge" "$want" "$(mctl ls | tr '\n' ' ' | sed 's/ $//')"
done
finish
