# Every command of the CLI with -t epair, one process each, on the kernel model: the
# jail.conf flows (jib-style vnet.interface, exec.created attach), show in jib's formats,
# destroy from every state, gc, name, bridge add|del|list, refusals with their messages.
. "$TESTLIB"
fresh

# --- jib-style jail.conf: exec.prestart "jnet addm $name em0", vnet.interface = "e0b_$name"
t "addm web em0 (prestart)" jnet addm web em0
eq "bridge em0bridge, tagged" "jnet/2 bridge epair -" "$(tagof em0bridge descr)"
eq "em0 bridged" em0bridge "$(get em0 bridge)"
eq "host end on the bridge" em0bridge "$(get e0a_web bridge)"
eq "host end tag" "jnet/2 link epair 0 a web" "$(tagof e0a_web descr)"
eq "jail end tag" "jnet/2 link epair 0 b web" "$(tagof e0b_web descr)"
eq "groups of the host end" "all epair jnet" "$(get e0a_web groups)"
eq "host end up" up "$(get e0a_web up)"
jid=$(mctl jail-create web)
t "jail(8) moves e0b_web (vnet.interface)" mctl vnet e0b_web web
eq "e0b_web inside web" "jnet/2 link epair 0 b web" "$(tagof e0b_web descr web)"
t "show" jnet show
eq "show lists jail names (jib)" web "$(cat "$OUT")"
t "show web" jnet show web
eq "show NAME lists host ends (jib)" e0a_web "$(cat "$OUT")"
t "show -l" jnet show -l
eq "show -l: header and one row" 2 "$(wc -l < "$OUT")"
grep -q "e0b_web" "$OUT" && pass || fail "show -l names the jail end"
grep -q "jail" "$OUT" && pass || fail "show -l says where"
t "show -j web" jnet -j show web
grep -q '"where": "jail"' "$OUT" && pass || fail "JSON where=jail: $(cat "$OUT")"
grep -q '"in": "web"' "$OUT" && pass || fail "JSON in=web"
t "addm again is a no-op" jnet addm web em0
t "destroy web (poststop, jail still alive)" jnet destroy web
eq "nothing left" 0 "$(epairs)"
eq "the bridge stays, with em0" em0 "$(mctl members em0bridge)"
t "destroy again" jnet destroy web

# --- exec.created style: addm on the host, attach once the jail exists
t "addm db em0" jnet addm db em0
dbjid=$(mctl jail-create db)
t "attach db (exec.created)" jnet attach db
eq "jail end inside db, up" up "$(get e0b_db up db)"
eq "no jail end left on the host" "" "$(tagof e0b_db descr)"
t "attach again is a no-op" jnet attach db
t "detach db" jnet detach db
eq "back on the host, up, in group jnet" "up|all epair jnet" "$(get e0b_db up)|$(get e0b_db groups)"
t "detach db again" jnet detach db
t "attach db by JID" jnet attach db "$dbjid"
eq "inside db again" up "$(get e0b_db up db)"
tf "attach to a jail that does not exist" 1 "no such jail" jnet attach db nosuch
tf "attach a jail without links" 1 "no jnet links" jnet attach nolinks db
tf "detach a jail without links" 1 "no jnet links" jnet detach nolinks

# --- several interfaces per jail
mctl ifadd em1 02:00:00:aa:bb:cc
t "addm multi em0 em1" jnet addm multi em0 em1
eq "second link on em1bridge" em1bridge "$(get e1a_multi bridge)"
t "show multi" jnet show multi
eq "both host ends" "e0a_multi
e1a_multi" "$(cat "$OUT")"

# --- destroy in every state of the jail end
t "destroy db (jail end inside a live jail)" jnet destroy db
eq "no db interface anywhere" "" "$(tagof e0b_db descr db)$(tagof e0a_db descr)"
jnet addm dy em0 >/dev/null 2>&1; mctl jail-create dy >/dev/null; jnet attach dy
t "the jail dies (jls -d)" mctl jail-kill dy
t "show -j dy while dying" jnet -j show dy
grep -q '"where": "jail"' "$OUT" && pass || fail "dying: where=jail: $(cat "$OUT")"
t "destroy dy (jail dying)" jnet destroy dy
eq "both ends gone" "" "$(tagof e0a_dy descr)$(tagof e0b_dy descr dy)"
t "the dying jail goes" mctl jail-gone dy
eq "nothing came back" "" "$(tagof e0b_dy descr)"
jnet addm gone em0 >/dev/null 2>&1; mctl jail-create gone >/dev/null; jnet attach gone
t "the jail goes away (jail end returns, vnet_if_return)" mctl jail-gone gone
eq "jail end back on the host" "jnet/2 link epair 0 b gone" "$(tagof e0b_gone descr)"
t "show -j gone: jail end on the host" jnet -j show gone
grep -q '"where": "host"' "$OUT" && pass || fail "where=host: $(cat "$OUT")"
t "destroy gone (jail gone)" jnet destroy gone
eq "gone" "" "$(tagof e0a_gone descr)$(tagof e0b_gone descr)"

# --- gc: links whose jail does not exist
jnet addm stale em0 >/dev/null 2>&1
mctl jail-create live >/dev/null; jnet addm live em0 >/dev/null 2>&1
t "gc" jnet gc --min-age 0
grep -q "removed e0a_stale/e0b_stale (jail stale, link 0)" "$OUT" && pass || fail "gc output: $(cat "$OUT")"
eq "stale removed" "" "$(tagof e0a_stale descr)"
eq "live kept" "jnet/2 link epair 0 a live" "$(tagof e0a_live descr)"
t "multi is gc'd too (no jail)" test -z "$(tagof e0a_multi descr)"

# --- name
eq "name web" e0b_web "$(jnet name web)"
eq "name web 1 a" e1a_web "$(jnet name web 1 a)"
long=a-very-long-jail-name-for-testing-000001
n=$(jnet name $long 0 a)
eq "long name fits" 1 "$([ ${#n} -le 15 ] && echo 1)"
case "$n" in e0a-*) pass ;; *) fail "short form of a long name: $n" ;; esac

# --- bridges
t "bridge add lab0" jnet bridge add lab0
t "bridge add lab0 again" jnet bridge add lab0
mctl ifadd em3 02:00:00:00:00:03
t "bridge add up1 em3 (uplink)" jnet bridge add up1 em3
eq "em3 in up1" up1 "$(get em3 bridge)"
tf "em1 is still in em1bridge (the bridge outlives its links)" 1 "em1: already a port of em1bridge" jnet bridge add up2 em1
t "bridge list" jnet bridge list
grep -q "^lab0 *jnet" "$OUT" && pass || fail "bridge list: $(cat "$OUT")"
t "bridge list -j" jnet -j bridge list
grep -q '"name": "lab0"' "$OUT" && pass || fail "bridge list JSON"
t "addm onto a bridge by name" jnet addm labj lab0
eq "joined lab0" lab0 "$(get e0a_labj bridge)"
tf "bridge del with links" 1 "still has jail links" jnet bridge del lab0
t "destroy labj" jnet destroy labj
t "bridge del lab0" jnet bridge del lab0
eq "lab0 gone" "" "$(get lab0 kind)"
t "bridge del lab0 again" jnet bridge del lab0
mctl epair foreign0 foreign1 >/dev/null
tf "bridge del of a non-bridge" 1 "not a bridge" jnet bridge del foreign0

# --- refusals
mctl epair e0a_evil e0b_evil >/dev/null
tf "addm refuses a foreign interface named like ours" 1 "e0a_evil: exists but is not a jnet interface" jnet addm evil em0
tf "destroy refuses it too" 1 "not a jnet interface" jnet destroy evil
eq "the foreign pair is untouched" "epair" "$(get e0a_evil kind)$(tagof e0a_evil descr)"
tf "addm with a bad jail name" 1 "contains '/'" jnet addm a/b em0
tf "addm with no such uplink" 1 "em9: no such interface" jnet addm web em9
tf "addm for a dying jail" 1 "being removed" sh -c "$MODELCTL jail-create dj >/dev/null && $MODELCTL jail-kill dj && $JNET addm dj em0"

# --- FreeBSD 15 refuses to bridge a NIC that carries addresses
mctl ifadd em2 00:aa:bb:cc:dd:ee inet
tf "addm over an addressed em2 (15)" 1 "em2: BRDGADD to em2bridge refused: em2 carries IP addresses.*net.link.bridge.member_ifaddrs=1" jnet addm v15 em2
eq "nothing left of it" "" "$(get em2bridge kind)$(get e0a_v15 kind)"
mctl sysctl member_ifaddrs 1
t "allowed with net.link.bridge.member_ifaddrs=1" jnet addm v15 em2
t "destroy v15" jnet destroy v15

finish
