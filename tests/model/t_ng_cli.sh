# Every command of the CLI with -t netgraph, one process each, on the kernel model: jng's
# jail.conf flow (exec.prestart addm, vnet.interface = ng0_NAME, exec.poststop destroy),
# attach/detach, show in jib's formats, destroy from every state, gc, name, bridge
# add|del|list, stats, graph, refusals with their messages, ngctl's view of the result.
. "$TESTLIB"
: "${NGCTL:?NGCTL must point at jnet-model-ngctl}"
export JNET_BACKEND=netgraph
ngctl() { "$NGCTL" "$@"; }
# The hooks of node NODE as "HOOK PEER PEERHOOK" lines, sorted.
hooks() { "$NGCTL" show "$1:" 2>/dev/null | awk '{print $1, $2, $4}' | sort; }
eifaces() { "$MODELCTL" dump | grep -c '"kind": "ngeth"'; }
fresh

# --- jng-style jail.conf: exec.prestart "jnet -t netgraph addm $name em0"
t "addm web em0 (prestart)" jnet addm web em0
eq "em0bridge on em0's lower and upper (jng), web's eiface on link2" "em0 link0 lower
em0 link1 upper
ng0_web link2 ether" "$(hooks em0bridge | awk '{print $2, $1, $3}')"
eq "the eiface node is named like its interface" ng0_web "$(ngctl ifname ng0_web:)"
eq "tag in the description" "jnet/2 link netgraph 0 a web" "$(tagof ng0_web descr)"
eq "groups" "all jnet" "$(get ng0_web groups)"
eq "kind" ngeth "$(get ng0_web kind)"
eq "up" up "$(get ng0_web up)"
mctl dump | grep -A3 '"node": "host em0"' | grep -q '"promisc": true' && pass || fail "em0 promiscuous"
mctl dump | grep -A4 '"node": "host em0"' | grep -q '"autosrc": false' && pass || fail "em0 autosrc off"
t "addm again is a no-op" jnet addm web em0
eq "still one eiface" 1 "$(eifaces)"
mctl jail-create web >/dev/null
t "jail(8) moves ng0_web (vnet.interface)" mctl vnet ng0_web web
eq "ng0_web inside web, tag with it" "jnet/2 link netgraph 0 a web" "$(tagof ng0_web descr web)"
eq "its node still on the bridge, in the host's netgraph" "ng0_web link2 ether" "$(hooks em0bridge | grep ng0_web | awk '{print $2, $1, $3}')"
t "show" jnet show
eq "show: jail names (jng show)" web "$(cat "$OUT")"
t "show web" jnet show web
eq "show web: its interfaces (jng show NAME)" ng0_web "$(cat "$OUT")"
t "show -l" jnet show -l
grep -q "ng0_web .*em0bridge *jail" "$OUT" && pass || fail "show -l: $(cat "$OUT")"
t "show -j web" jnet -j show web
grep -q '"name": "ng0_web"' "$OUT" && pass || fail "JSON: $(cat "$OUT")"
t "stats web" jnet stats web
grep -q '"hook": "link2"' "$OUT" && pass || fail "stats names the hook: $(cat "$OUT")"
t "destroy web (poststop, jail alive)" jnet destroy web
eq "the interface went from inside the jail" "" "$(get ng0_web kind web)"
eq "no eiface left" 0 "$(eifaces)"
eq "the bridge stays with em0 (as with jng)" "em0 link0 lower
em0 link1 upper" "$(hooks em0bridge | awk '{print $2, $1, $3}')"
t "destroy again" jnet destroy web

# --- exec.created style: addm on the host, attach once the jail exists
t "addm db em0" jnet addm db em0
dbjid=$(mctl jail-create db)
t "attach db (exec.created)" jnet attach db
eq "inside db, up" up "$(get ng0_db up db)"
eq "no longer on the host" "" "$(get ng0_db kind)"
attach_cycle ng0_db "all jnet"

# --- several interfaces per jail
mctl ifadd em1 02:00:00:aa:bb:cc >/dev/null
t "addm multi em0 em1 em0" jnet addm multi em0 em1 em0
eq "ng1_multi on em1bridge" "ng1_multi link2 ether" "$(hooks em1bridge | grep ng1_multi | awk '{print $2, $1, $3}')"
t "show multi" jnet show multi
eq "three interfaces" "ng0_multi
ng1_multi
ng2_multi" "$(cat "$OUT")"

# --- destroy in every state
t "destroy db (inside a live jail)" jnet destroy db
eq "gone" "" "$(get ng0_db kind db)$(get ng0_db kind)"
jnet addm dy em0 >/dev/null 2>&1; mctl jail-create dy >/dev/null; jnet attach dy
t "the jail dies (jls -d)" mctl jail-kill dy
t "destroy dy (jail dying)" jnet destroy dy
eq "gone from the dying jail" "" "$(get ng0_dy kind dy)"
t "the dying jail goes" mctl jail-gone dy
eq "nothing came back" "" "$(get ng0_dy kind)"
jnet addm gone em0 >/dev/null 2>&1; mctl jail-create gone >/dev/null; jnet attach gone
t "the jail goes (its interface comes home)" mctl jail-gone gone
eq "back on the host, tagged" "jnet/2 link netgraph 0 a gone" "$(tagof ng0_gone descr)"
t "destroy gone" jnet destroy gone
eq "gone" "" "$(get ng0_gone kind)"

# --- gc
jnet addm stale em0 >/dev/null 2>&1
mctl jail-create live >/dev/null; jnet addm live em0 >/dev/null 2>&1; jnet attach live
t "gc --min-age 0 (links made just now)" jnet gc --min-age 0
grep -q "removed ng0_stale (jail stale, link 0)" "$OUT" && pass || fail "gc output: $(cat "$OUT")"
eq "stale removed" "" "$(get ng0_stale kind)"
eq "live kept" ngeth "$(get ng0_live kind live)"

# --- name
eq "name web" ng0_web "$(jnet name web)"
eq "name web 2" ng2_web "$(jnet name web 2)"
n=$(jnet name a-very-long-jail-name-for-testing-000001)
case "$n" in ng0-*) pass ;; *) fail "short form: $n" ;; esac
eq "fits" 1 "$([ ${#n} -le 15 ] && echo 1)"
t "addm under a long name" jnet addm a-very-long-jail-name-for-testing-000001 em0
eq "its node and interface" "$n" "$(ngctl ifname "$n:")"

# --- bridges
t "bridge add lab0 (isolated)" jnet bridge add lab0
t "bridge add lab0 again" jnet bridge add lab0
eq "lab0 exists, no hooks" "lab0 bridge 0" "$(ngctl info lab0: | awk '{print $1, $2, $4}')"
mctl ifadd em3 02:00:00:00:00:03 >/dev/null
t "bridge add up1 em3" jnet bridge add up1 em3
eq "em3 on up1" "em3 link0 lower
em3 link1 upper" "$(hooks up1 | awk '{print $2, $1, $3}')"
tf "em3 is taken (its ng_ether hooks are on up1)" 1 "em3: already a port of up1" jnet bridge add up2 em3
t "bridge list" jnet bridge list
grep -q "^lab0 " "$OUT" && grep -q "^em0bridge " "$OUT" && pass || fail "bridge list: $(cat "$OUT")"
t "addm onto lab0" jnet addm labj lab0
tf "bridge del with links" 1 "still has jail links" jnet bridge del lab0
t "destroy labj" jnet destroy labj
t "bridge del lab0" jnet bridge del lab0
eq "lab0 gone" "" "$(ngctl info lab0: 2>/dev/null)"
t "bridge del up1" jnet bridge del up1
t "bridge del up1 again" jnet bridge del up1
tf "bridge del of an Ethernet interface" 1 "not a bridge" jnet bridge del em3

# --- refusals: jng's own interface (no tag), a node of another type
ngctl mkpeer em1bridge: eiface link9 ether
ngeth=$(ngctl ifname em1bridge:link9)
t "jng: name the node" ngctl name em1bridge:link9 ng0_evil
t "jng: ifconfig $ngeth name ng0_evil" ngctl rename "$ngeth" ng0_evil
tf "addm refuses a node it does not own" 1 "ng0_evil: exists but is not a jnet interface" jnet addm evil em0
tf "destroy refuses it too" 1 "not a jnet interface" jnet destroy evil
eq "untouched" eiface "$(ngctl info ng0_evil: | awk '{print $2}')"
tf "bridge del of a bridge with somebody else's link" 1 "still has links \(ng0_evil" jnet bridge del em1bridge
tf "addm with a bad jail name" 1 "contains '/'" jnet addm a/b em0
tf "addm with no such uplink" 1 "em9: no such interface" jnet addm web em9
tf "stats of a jail without links" 1 "no jnet links" jnet stats nobody
t "ng_ether unloaded" ngctl ether unload
mctl ifadd em4 02:00:00:00:00:04 >/dev/null
mctl kld refuse EPERM
tf "addm over em4, ng_ether not loadable" 1 "kldload ng_ether: not permitted.*kld_list" jnet addm e4 em4
eq "nothing left of it" "" "$(ngctl info em4bridge: 2>/dev/null)$(get ng0_e4 kind)"
mctl kld refuse off
t "addm over em4 loads ng_ether (as ifconfig loads cloners)" jnet addm e4 em4
eq "em4's ether node is there" ether "$(ngctl info em4: | awk '{print $2}')"
t "and goes" jnet destroy e4

# --- graph: dot, and Graphviz can render it
t "graph" jnet graph
grep -q '^graph jnet {' "$OUT" && pass || fail "graph header: $(head -2 "$OUT")"
grep -q '"em0bridge" -- "ng0_live" \[taillabel="link[0-9]*", headlabel="ether"\];' "$OUT" && pass ||
    fail "graph edge: $(cat "$OUT")"
if command -v dot >/dev/null 2>&1; then
	cp "$OUT" "$TMP/g.dot"
	t "dot -Tsvg renders it" dot -Tsvg -o "$TMP/g.svg" "$TMP/g.dot"
	grep -q "<svg" "$TMP/g.svg" && pass || fail "no SVG"
fi

# --- the epair backend does not have stats and graph
tf "stats on epair" 1 "no bridge counters" jnet -t epair stats web
# --- ng_eiface MTU range 72..9018 (ng_eiface.h): refused up front, nothing made
export JNET_BACKEND=netgraph
t "an isolated bridge" jnet bridge add mtubr
tf "addm -M 9216 refused up front" 1 "MTU 9216: an ng_eiface interface takes 72\.\.9018" jnet addm -M 9216 jumbo mtubr
eq "nothing made" "" "$(get ng0_jumbo kind)$(get ngeth0 kind)"
t "addm -M 9018 (the maximum)" jnet addm -M 9018 jumbo mtubr
eq "it has it" 9018 "$(get ng0_jumbo mtu)"
t "destroy it" jnet destroy jumbo
t "and the bridge" jnet bridge del mtubr

# --- jng's own eiface inside a jail (jail(8)'s vnet.interface): the host cannot read its
# description; the one look inside the jail (flags and description at once) finds none:
# not jnet's, though its node is named like jnet's link 0 of that jail
t "jng: a bridge" jnet bridge add jngbr
ngctl mkpeer jngbr: eiface link9 ether
ngeth=$(ngctl ifname jngbr:link9)
t "jng: name the node" ngctl name jngbr:link9 ng0_jngj
t "jng: ifconfig $ngeth name ng0_jngj" ngctl rename "$ngeth" ng0_jngj
mctl jail-create jngj >/dev/null
t "jail(8) moves it in" mctl vnet ng0_jngj jngj
tf "destroy refuses it inside the jail" 1 "ng0_jngj: exists but is not a jnet interface" jnet destroy jngj
tf "detach refuses it inside the jail" 1 "ng0_jngj: exists but is not a jnet interface" jnet detach jngj
eq "still its node, on the bridge" "eiface 1" "$(ngctl info ng0_jngj: | awk '{print $2, $4}')"
eq "still in the jail" ng0_jngj "$(mctl ls jngj | grep -x ng0_jngj)"

finish
