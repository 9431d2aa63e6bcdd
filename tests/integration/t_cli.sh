# The command line itself: usage errors (exit 2), help, version, name, backends.
. "$TESTLIB"

tf "no command" 2 "usage: jnet" jnet
tf "unknown command" 2 "^jnet: frob: unknown command" jnet frob
tf "addm without interfaces" 2 "addm: need a jail name and at least one interface" jnet addm web
tf "addm bad option" 2 "usage: jnet addm" jnet addm -z web em0
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
tf "unknown backend" 1 "unknown backend" jnet -t frob show
finish
