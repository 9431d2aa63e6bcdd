# The command line itself: usage errors (exit 2), help, version, name, backends.
. "$TESTLIB"

tf "no command" 2 "usage: jnet" jnet
tf "unknown command" 2 "^jnet: frob: unknown command" jnet frob
tf "addm without interfaces" 2 "addm: need a jail name and at least one interface" jnet addm web
tf "addm bad option" 2 "usage: jnet addm" jnet addm -z web em0
eq "addm bad option: jnet's shape" "jnet: addm: unknown option -z" "$(head -n 1 "$ERR")"
eq "no getopt message" 0 "$(grep -c -e 'invalid option' -e 'requires an argument' "$ERR")"
tf "destroy without name" 2 "destroy: wrong number of arguments" jnet destroy
tf "bad MAC mode" 2 "-m: 'foo' is not stable, jib or random" jnet -m foo show
tf "name: bad index" 2 "INDEX must be" jnet name web x
tf "name: bad end" 2 "the end is a" jnet name web 0 c
t "help" jnet help
eq "help lists addm" 1 "$(grep -c 'addm \[-b SUFFIX\]' "$OUT")"
t "help addm" jnet help addm
t "version" jnet version
eq "version" "jnet 0.1.0" "$(cat "$OUT")"
t "name web" jnet name web
eq "name web" e0b_web "$(cat "$OUT")"
t "name web 3 a" jnet name web 3 a
eq "name web 3 a" e3a_web "$(cat "$OUT")"
t "name -t netgraph web 2" jnet -t netgraph name web 2
eq "netgraph name" ng2_web "$(cat "$OUT")"
t "name of a 16-char name" jnet name abcdefghijklmnop 0 a
eq "hashed short name is stable" "$(cat "$OUT")" "$(jnet name abcdefghijklmnop 0 a)"
eq "hashed short name fits" 15 "$(printf %s "$(cat "$OUT")" | wc -c)"
tf "epair is not available on Linux" 1 "the epair backend needs FreeBSD" jnet -t epair show
tf "netgraph is not available on Linux" 1 "the netgraph backend needs FreeBSD" env JNET_BACKEND=netgraph "$JNET" show
tf "unknown backend: a usage error naming -t" 2 "^jnet: show: -t: unknown backend 'frob'" jnet -t frob show
# help lists everything, in 80 columns
t "help" jnet help
eq "help: no line over 80 columns" "" "$(awk 'length > 80' "$OUT")"
for want in 'JNET_BACKEND ' 'JNET_HOOKDIR ' 'JNET_HOOK_TIMEOUT ' 'JNET_MAC_MODE ' 'JNET_MAC_SALT ' \
    'JNET_RUNDIR ' 'lab down -n LAB' 'lab exec [--host HOST] FILE JAIL -- CMD' 'lab up|down|status [--host HOST] FILE' 'lab graph FILE' \
    'gc [--min-age SECONDS]' 'stats NAME' 'graph' 'bridge add NAME [UPLINK]' 'bridge del NAME' \
    'bridge list' 'name NAME [INDEX] [a|b]' 'show [-l] [NAME]' 'attach NAME [JAIL]' \
    'detach NAME' 'destroy NAME' 'help [COMMAND]' 'version' '--mac-salt SALT' '600 s'; do
	grep -qF -- "$want" "$OUT" && pass || fail "help does not mention '$want'"
done
for cmd in $(sed -n '/^commands:/,/^$/p' "$OUT" | awk '/^  [a-z]/ { print $1 }' | sort -u); do
	t "help $cmd" jnet help "$cmd"
	eq "help $cmd: no line over 80 columns" "" "$(awk 'length > 80' "$OUT")"
done
t "help lab" jnet help lab
eq "help lab: four usage lines (graph takes no --host)" 4 "$(grep -c 'jnet lab ' "$OUT")"
t "-h" jnet -h
eq "-h: no line over 80 columns" "" "$(awk 'length > 80' "$OUT")"
tf "help of an unknown command" 2 "^jnet: help: unknown command 'frob'$" jnet help frob

# Settings that need no kernel: bad values are usage errors naming them, exit 2
tf "JNET_HOOK_TIMEOUT=abc" 2 "^jnet: show: JNET_HOOK_TIMEOUT: 'abc' is not a number of seconds" env JNET_HOOK_TIMEOUT=abc "$JNET" show
tf "JNET_HOOK_TIMEOUT=-1" 2 "^jnet: show: JNET_HOOK_TIMEOUT: '-1' is not" env JNET_HOOK_TIMEOUT=-1 "$JNET" show
tf "JNET_HOOK_TIMEOUT=0" 2 "^jnet: show: JNET_HOOK_TIMEOUT: '0' is not" env JNET_HOOK_TIMEOUT=0 "$JNET" show
tf "JNET_MAC=foo" 2 "^jnet: show: JNET_MAC_MODE \\(JNET_MAC\\): 'foo' is not stable, jib or random$" env JNET_MAC=foo "$JNET" show
tf "JNET_MAC_MODE=foo" 2 "^jnet: show: JNET_MAC_MODE: 'foo' is not stable, jib or random$" env JNET_MAC_MODE=foo "$JNET" show
# a hook's JNET_MAC (its interface's MAC address) is no setting for a jnet the hook runs
t "JNET_MAC holding a MAC address (in a hook)" env JNET_MAC=02:00:00:00:00:01 "$JNET" show
tf "JNET_LOCK_WAIT=0" 2 "^jnet: show: JNET_LOCK_WAIT: '0' is not a number of seconds" env JNET_LOCK_WAIT=0 "$JNET" show
tf "JNET_RUNDIR relative" 2 "^jnet: show: JNET_RUNDIR: 'x' is not an absolute path$" env JNET_RUNDIR=x "$JNET" show
eq "JNET_BACKEND=netgraph names" ng0_web "$(env JNET_BACKEND=netgraph "$JNET" name web)"
eq "-t netns wins over JNET_BACKEND" e0b_web "$(env JNET_BACKEND=netgraph "$JNET" -t netns name web)"
t "JNET_BACKEND=netns show" env JNET_BACKEND=netns "$JNET" show
tf "-t wins over JNET_BACKEND (show)" 1 "the epair backend needs FreeBSD" env JNET_BACKEND=netns "$JNET" -t epair show

# On the kernel: show with nothing to list (qsort got NULL), options after NAME, -b refused
export JNET_RUNDIR="$HOOKDIR/run"
t "show, nothing to list" jnet show
eq "show prints nothing" "" "$(cat "$OUT")"
t "show -l, nothing to list" jnet show -l
eq "show -l: the header" 1 "$(wc -l < "$OUT")"
t "-j show, nothing to list" jnet -j show
eq "an empty array" "[]" "$(cat "$OUT")"
mk_uplink em0 02:00:00:00:00:10
ip netns add web
t "addm web -M 1400 em0 (option after NAME)" jnet addm web -M 1400 em0
t "host end: MTU 1400" nlc link e0a_web mtu=1400 master=em0bridge
t "jail end in web: MTU 1400" nlc -n web link e0b_web mtu=1400
t "no interface named -M" nlc absent -M
t "show web -l (option after NAME)" jnet show web -l
eq "a table of one link" 2 "$(wc -l < "$OUT")"
eq "show -l: the jail end's MAC" "$(nlc -n web get e0b_web mac)" "$(awk 'NR == 2 { print $7 }' "$OUT")"
t "destroy -- web" jnet destroy -- web
t "web's links gone" nlc absent e0a_web
before=$(jnet_leftovers)
tf "-b a/b refused before the kernel" 2 "^jnet: addm: -b: suffix 'a/b' has '/', which an interface name cannot hold$" jnet addm -b a/b web em0
tf "-b 'br%d' refused" 2 "^jnet: addm: -b: suffix 'br%d' has '%'" jnet addm -b 'br%d' web em0
eq "nothing created" "$before" "$(jnet_leftovers)"
t "no bridge em0a/b, em0br0" nlc absent em0br0 em0br1
tf "jail name '.'" 1 "^jnet: addm \\.: jail name '\\.' is refused" jnet addm . em0
t "destroy web" jnet destroy web
jnet bridge del em0bridge >/dev/null 2>&1
ip netns del web
finish
