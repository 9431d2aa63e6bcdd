# Every command of the CLI with -t epair, one process each, on the kernel model: the
# jail.conf flows (jib-style vnet.interface, exec.created attach), show in jib's formats,
# destroy from every state, gc, name, bridge add|del|list, refusals with their messages.
. "$TESTLIB"
SRC=$(cd "$(dirname "$TESTLIB")/../.." && pwd)
# Lock files of this test's commands stay in its own directory, not the host's /run/jnet.
export JNET_RUNDIR="$TMP/run"
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
attach_cycle e0b_db "all epair jnet"
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
# (--min-age 0: these links were made a moment ago and never reached a jail; the default
# keeps such links for 600 s, see the settings below)
t "gc --min-age 0" jnet gc --min-age 0
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

# --- show: nothing to list (qsort got NULL: UB, an abort under UBSan), the MAC column
fresh
t "show with no links" jnet show
eq "show prints nothing" "" "$(cat "$OUT")"
t "show -l with no links" jnet show -l
eq "show -l: the header only" 1 "$(wc -l < "$OUT")"
t "show -j with no links" jnet -j show
eq "show -j: an empty array" "[]" "$(cat "$OUT")"
t "show nosuch" jnet show nosuch
eq "show NAME of no links prints nothing" "" "$(cat "$OUT")"
jnet addm mc em0 >/dev/null 2>&1
t "show -l, jail end on the host" jnet show -l mc
eq "MAC column: the jail end's" "$(get e0b_mc mac)" "$(awk 'NR == 2 { print $7 }' "$OUT")"
mctl jail-create mc >/dev/null
mctl vnet e0b_mc mc >/dev/null
t "show -l, jail end in the jail" jnet show -l mc
mac=$(awk 'NR == 2 { print $7 }' "$OUT")
if jnet -j show mc | grep -q '"mac": "'"$(get e0b_mc mac mc)"'"'; then
	eq "MAC column: the jail end's, when known" "$(get e0b_mc mac mc)" "$mac"
else
	eq "MAC column: '-' when the jail end's MAC is unknown (not the host end's)" - "$mac"
fi
[ "$mac" != "$(get e0a_mc mac)" ] && pass || fail "show -l printed the host end's MAC: $mac"
jnet destroy mc >/dev/null

# --- the command line: usage errors read "jnet: <command>: <reason>" + usage, exit 2
tf "unknown option" 2 "^jnet: addm: unknown option -z$" jnet addm -z web em0
eq "then the usage line" "usage: jnet addm [-b SUFFIX] [-J JAIL] [-M MTU] NAME [!]IFACE[=MAC]..." \
    "$(sed -n 2p "$ERR")"
eq "and its second form" "       jnet addm ... [-a ADDR/LEN] [-g GW] [-r NET/LEN=GW] ..." \
    "$(sed -n 3p "$ERR")"
eq "nothing else on stderr" 3 "$(wc -l < "$ERR")"
eq "no getopt message" 0 "$(grep -c -e 'invalid option' -e 'requires an argument' "$ERR")"
tf "unknown option of show" 2 "^jnet: show: unknown option -x$" jnet show -x
tf "unknown option after an operand" 2 "^jnet: destroy: unknown option -q$" jnet destroy web -q
tf "unknown long option" 2 "^jnet: gc: unknown option --frob$" jnet gc --frob
tf "unknown option of jnet itself" 2 "^jnet: unknown option -z$" jnet -z show
tf "a flag given an argument" 2 "^jnet: option --json takes no argument$" jnet --json=yes show
tf "missing argument of -M" 2 "^jnet: addm: option -M needs an argument$" jnet addm web em0 -M
tf "missing argument of -b" 2 "^jnet: addm: option -b needs an argument$" jnet addm -b
tf "missing argument of -t" 2 "^jnet: option -t needs an argument$" jnet -t
tf "missing argument of --min-age" 2 "^jnet: gc: option --min-age needs an argument$" jnet gc --min-age
for o in -H -m --mac-salt --backend --hookdir --mac; do
	tf "missing argument of $o" 2 "^jnet: option $o needs an argument$" jnet "$o"
done
for o in -J -M -b; do
	tf "missing argument of addm $o (after the operands)" 2 "^jnet: addm: option $o needs an argument$" jnet addm web em0 "$o"
done
tf "lab down -n without LAB" 2 "^jnet: lab down: option -n needs an argument$" jnet lab down -n
tf "lab down -n with a FILE too" 2 "^jnet: lab down: -n LAB or FILE, not both$" jnet lab down -n x f.yaml
tf "-n for lab up" 2 "^jnet: lab up: -n is for lab down only$" jnet lab up -n x
tf "lab down -n with --host" 2 "^jnet: lab down: --host needs the lab's FILE, not -n LAB$" jnet lab down -n x --host h1
tf "lab --host before the verb names the verb" 2 "^jnet: lab down: --host needs the lab's FILE, not -n LAB$" jnet lab --host h1 down -n x
tf "lab exec without --" 2 "^jnet: lab exec: no '--' before the command$" jnet lab exec f.yaml j ls
tf "lab exec without a command" 2 "^jnet: lab exec: no command after '--'$" jnet lab exec f.yaml j --
tf "lab: unknown verb" 2 "^jnet: lab: unknown lab command 'frob'$" jnet lab frob
tf "unknown command" 2 "^jnet: frob: unknown command" jnet frob
tf "no command" 2 "^jnet: no command" jnet
tf "version takes no arguments" 2 "^jnet: version: no arguments$" jnet version 2

# Options anywhere before "--" (names never start with '-')
# (an empty bridge of its own: if_bridge gives a member of a bridge with ports its MTU, so
# there a different -M is refused)
t "bridge add optbr" jnet bridge add optbr
t "addm NAME -M 1400 IFACE (option after NAME)" jnet addm optm -M 1400 optbr
eq "-M applied to the jail end" 1400 "$(get e0b_optm mtu)"
eq "-M applied to the host end" 1400 "$(get e0a_optm mtu)"
tf "-M other than the bridge's, which has a port now: refused" 1 \
    "optbr: MTU 1500 asked, but the bridge's MTU is 1400" jnet addm optm2 -M 1500 optbr
eq "no interface named -M" "" "$(get -M kind)"
mctl ifadd em5 02:00:00:00:00:05
t "addm NAME IFACE -b SUFFIX (option last)" jnet addm optb em5 -b sfx
eq "bridge em5sfx" em5sfx "$(get e0a_optb bridge)"
t "destroy -- NAME" jnet destroy -- optm
eq "optm gone" "" "$(get e0a_optm kind)"
t "bridge del optbr" jnet bridge del optbr
t "show NAME -l (option after NAME)" jnet show optb -l
eq "show optb -l is a table" 2 "$(wc -l < "$OUT")"
tf "after --, -l is an operand" 1 "jail name '-l' starts with '-'" jnet destroy -- -l
jnet destroy optb >/dev/null

# -b SUFFIX: refused up front when no interface name can hold it; nothing created
before=$(epairs)
tf "-b with '/'" 2 "^jnet: addm: -b: suffix 'a/b' has '/', which an interface name cannot hold$" jnet addm -b a/b sfx em0
tf "-b with ':'" 2 "^jnet: addm: -b: suffix 'a:b' has ':'" jnet addm -b a:b sfx em0
tf "-b with '%'" 2 "^jnet: addm: -b: suffix 'br%d' has '%'" jnet addm -b 'br%d' sfx em0
tf "-b with a space" 2 "^jnet: addm: -b: suffix has a byte 0x20" jnet addm -b 'a b' sfx em0
tf "-b with a non-ASCII byte" 2 "^jnet: addm: -b: suffix has a byte 0xc3" jnet addm -b 'brü' sfx em0
tf "-b empty" 2 "^jnet: addm: -b: empty suffix$" jnet addm -b '' sfx em0
eq "nothing created" "$before" "$(epairs)"
eq "no bridge em0a/b or the like" "" "$(get em0a kind)"
tf "-M out of range" 2 "^jnet: addm: -M: MTU must be a number from 68 to 65535$" jnet addm -M 67 web em0
tf "-M not a number" 2 "^jnet: addm: -M: MTU" jnet addm -M 1400x web em0

# Jail names
tf "jail name '.'" 1 "^jnet: addm \\.: jail name '\\.' is refused: in a path it means the directory itself$" jnet addm . em0
tf "jail name '..'" 1 "jail name '\\.\\.' contains '\\.\\.'" jnet addm .. em0

# --- settings: option > environment > default, resolved once by main.c
fresh
# backend: -t > JNET_BACKEND > the OS default (name needs no kernel: it shows the choice)
eq "JNET_BACKEND=netgraph" ng0_web "$(env JNET_BACKEND=netgraph "$JNET" name web)"
eq "-t epair wins over JNET_BACKEND=netgraph" e0b_web "$(env JNET_BACKEND=netgraph "$JNET" -t epair name web)"
eq "-t netgraph wins over JNET_BACKEND=epair" ng1_web "$(env JNET_BACKEND=epair "$JNET" -t netgraph name web 1)"
eq "empty JNET_BACKEND is unset" "$(env -u JNET_BACKEND "$JNET" name web 0 a)" \
    "$(env JNET_BACKEND= "$JNET" name web 0 a)"
tf "JNET_BACKEND unknown (name)" 2 "^jnet: name: JNET_BACKEND: unknown backend 'frob'" env JNET_BACKEND=frob "$JNET" name web
tf "-t unknown (name)" 2 "^jnet: name: -t: unknown backend 'frob'" env JNET_BACKEND=epair "$JNET" -t frob name web
tf "JNET_BACKEND unknown (show)" 2 "^jnet: show: JNET_BACKEND: unknown backend 'frob'" env JNET_BACKEND=frob "$JNET" show
tf "-t ''" 2 "^jnet: show: -t: empty backend name$" jnet -t '' show
mctl ifadd em1x 02:00:00:00:01:01 >/dev/null
t "JNET_BACKEND=netgraph addm" env JNET_BACKEND=netgraph "$JNET" addm nb em1x
eq "made an ng_eiface, not an epair" ngeth "$(get ng0_nb kind)"
t "-t epair wins over JNET_BACKEND=netgraph (addm)" env JNET_BACKEND=netgraph "$JNET" -t epair addm eb em0
eq "made an epair" epair "$(get e0a_eb kind)"
env JNET_BACKEND=netgraph "$JNET" destroy nb >/dev/null
jnet destroy eb >/dev/null
cat > "$TMP/ng.yaml" <<'LAB'
lab: ngl
backend: netgraph
bridges:
  lan: {}
LAB
tf "the lab's backend against JNET_BACKEND" 1 "the lab asks for backend netgraph, JNET_BACKEND for epair" jnet lab status "$TMP/ng.yaml"
tf "the lab's backend against -t" 1 "the lab asks for backend netgraph, -t for epair" env -u JNET_BACKEND "$JNET" -t epair lab status "$TMP/ng.yaml"

# hook dir: -H > JNET_HOOKDIR > /etc
other=$TMP/otherhooks
mkdir "$other"
printf 'echo env >> %s/ran\n' "$TMP" > "$HOOKDIR/start_if.e0a_hk"
printf 'echo opt >> %s/ran\n' "$TMP" > "$other/start_if.e0a_hk"
t "addm with -H" jnet -H "$other" addm hk em0
eq "-H's hook ran, not JNET_HOOKDIR's" opt "$(cat "$TMP/ran" 2>/dev/null)"
jnet destroy hk >/dev/null; rm -f "$TMP/ran"
t "addm with JNET_HOOKDIR" jnet addm hk em0
eq "JNET_HOOKDIR's hook ran" env "$(cat "$TMP/ran" 2>/dev/null)"
jnet destroy hk >/dev/null; rm -f "$TMP/ran"
t "addm with JNET_HOOKDIR empty (unset: /etc)" env JNET_HOOKDIR= "$JNET" addm hk em0
eq "no hook of the test's dirs ran" "" "$(cat "$TMP/ran" 2>/dev/null)"
jnet destroy hk >/dev/null
rm -f "$HOOKDIR/start_if.e0a_hk"
tf "-H ''" 2 "^jnet: show: -H: empty hook directory$" jnet -H '' show

# hook timeout: JNET_HOOK_TIMEOUT seconds (1..86400), else 30; anything else exit 2
printf 'sleep 5\n' > "$HOOKDIR/start_if.e0a_slow"
tf "JNET_HOOK_TIMEOUT=1 kills a hung start_if" 1 "start_if.e0a_slow: hook killed after 1000 ms" env JNET_HOOK_TIMEOUT=1 "$JNET" addm slow em0
eq "and rolls back" "" "$(get e0a_slow kind)"
rm -f "$HOOKDIR/start_if.e0a_slow"
for v in abc -1 0 00 1.5 10s 86401 99999999999999999999 ' 5' '5 ' 0x10; do
	tf "JNET_HOOK_TIMEOUT='$v'" 2 "^jnet: show: JNET_HOOK_TIMEOUT: '$v' is not a number of seconds from 1 to 86400$" env JNET_HOOK_TIMEOUT="$v" "$JNET" show
	eq "JNET_HOOK_TIMEOUT='$v': then the usage" "usage: jnet [-j] [-t epair|netgraph|netns] [-H HOOKDIR] [-m stable|jib|random]" "$(sed -n 2p "$ERR")"
done
tf "JNET_HOOK_TIMEOUT='+5'" 2 "^jnet: show: JNET_HOOK_TIMEOUT: '\\+5' is not a number" env JNET_HOOK_TIMEOUT=+5 "$JNET" show
tf "a bad JNET_HOOK_TIMEOUT stops addm before the kernel" 2 "JNET_HOOK_TIMEOUT" env JNET_HOOK_TIMEOUT=abc "$JNET" addm tmo em0
eq "nothing created" "" "$(get e0a_tmo kind)"
t "JNET_HOOK_TIMEOUT=86400" env JNET_HOOK_TIMEOUT=86400 "$JNET" show
t "JNET_HOOK_TIMEOUT empty is unset" env JNET_HOOK_TIMEOUT= "$JNET" show

# MAC mode: -m > JNET_MAC > stable
t "JNET_MAC=jib" env JNET_MAC=jib "$JNET" addm m1 em0
jibmac=$(get e0a_m1 mac)
case "$jibmac" in ?2:*:33:44:55) pass ;; *) fail "jib's MAC ends in em0's last 3 bytes: $jibmac" ;; esac
jnet destroy m1 >/dev/null
t "-m jib" jnet -m jib addm m1 em0
eq "JNET_MAC=jib is -m jib" "$jibmac" "$(get e0a_m1 mac)"
jnet destroy m1 >/dev/null
t "-m stable wins over JNET_MAC=jib" env JNET_MAC=jib "$JNET" -m stable addm m1 em0
stable=$(get e0a_m1 mac)
[ -n "$stable" ] && [ "$stable" != "$jibmac" ] && pass || fail "stable $stable vs jib $jibmac"
jnet destroy m1 >/dev/null
t "default (stable)" env -u JNET_MAC "$JNET" addm m1 em0
eq "the default is stable" "$stable" "$(get e0a_m1 mac)"
jnet destroy m1 >/dev/null
tf "JNET_MAC=foo" 2 "^jnet: show: JNET_MAC_MODE \\(JNET_MAC\\): 'foo' is not stable, jib or random$" env JNET_MAC=foo "$JNET" show
tf "JNET_MAC_MODE=foo" 2 "^jnet: show: JNET_MAC_MODE: 'foo' is not stable, jib or random$" env JNET_MAC_MODE=foo "$JNET" show
# a hook's JNET_MAC (its interface's MAC address) is no setting for a jnet the hook runs
t "JNET_MAC holding a MAC address (in a hook)" env JNET_MAC=02:00:00:00:00:01 "$JNET" show
tf "-m foo" 2 "^jnet: show: -m: 'foo' is not stable, jib or random$" jnet -m foo show
t "-m wins over a bad JNET_MAC" env JNET_MAC=foo "$JNET" -m random show

# MAC salt: --mac-salt > JNET_MAC_SALT > the machine's identity
t "JNET_MAC_SALT=one" env JNET_MAC_SALT=one "$JNET" addm s1 em0
one=$(get e0a_s1 mac)
jnet destroy s1 >/dev/null
t "--mac-salt one wins over JNET_MAC_SALT=two" env JNET_MAC_SALT=two "$JNET" --mac-salt one addm s1 em0
eq "same MAC as JNET_MAC_SALT=one" "$one" "$(get e0a_s1 mac)"
jnet destroy s1 >/dev/null
t "JNET_MAC_SALT=two" env JNET_MAC_SALT=two "$JNET" addm s1 em0
two=$(get e0a_s1 mac)
[ -n "$two" ] && [ "$two" != "$one" ] && pass || fail "salts one and two gave $one and $two"
jnet destroy s1 >/dev/null
if [ -s /etc/machine-id ]; then
	t "no salt: the machine id" env -u JNET_MAC_SALT "$JNET" addm s1 em0
	mid=$(get e0a_s1 mac)
	jnet destroy s1 >/dev/null
	t "--mac-salt machine-id" jnet --mac-salt "$(head -n 1 /etc/machine-id)" addm s1 em0
	eq "the default salt is /etc/machine-id" "$mid" "$(get e0a_s1 mac)"
	jnet destroy s1 >/dev/null
else
	echo "SKIP: no /etc/machine-id, the default salt is not checked"
fi
long=$(printf '%0256d' 0)
tf "--mac-salt ''" 2 "^jnet: show: --mac-salt: empty salt$" jnet --mac-salt '' show
tf "--mac-salt of 256 characters" 2 "^jnet: show: --mac-salt: longer than 255 characters$" jnet --mac-salt "$long" show
tf "JNET_MAC_SALT of 256 characters" 2 "^jnet: show: JNET_MAC_SALT: longer than 255 characters$" env JNET_MAC_SALT="$long" "$JNET" show
t "a salt of 255 characters" jnet --mac-salt "${long%0}" show

# run dir: JNET_RUNDIR (absolute) > /run/jnet, /var/run/jnet
tf "JNET_RUNDIR relative" 2 "^jnet: show: JNET_RUNDIR: 'run' is not an absolute path$" env JNET_RUNDIR=run "$JNET" show
tf "JNET_RUNDIR too long" 2 "^jnet: show: JNET_RUNDIR: longer than 255 characters$" env JNET_RUNDIR="/$long" "$JNET" show
if grep -q jnet_lock "$SRC"/src/core*.c; then
	t "addm with JNET_RUNDIR" env JNET_RUNDIR="$TMP/run2" "$JNET" addm rd em0
	t "its lock file is in JNET_RUNDIR" test -e "$TMP/run2/jail.rd"
	jnet destroy rd >/dev/null
else
	echo "SKIP: the core takes no locks yet; JNET_RUNDIR's effect is not checked"
fi

# gc --min-age: links that never reached a jail are kept while younger than that
tf "gc --min-age abc" 2 "^jnet: gc: --min-age: 'abc' is not a number of seconds \\(0 or more\\)$" jnet gc --min-age abc
tf "gc --min-age -5" 2 "^jnet: gc: --min-age: '-5' is not a number" jnet gc --min-age -5
tf "gc --min-age=1x" 2 "^jnet: gc: --min-age: '1x' is not a number" jnet gc --min-age=1x
tf "gc --min-age 99999999999" 2 "^jnet: gc: --min-age: '99999999999' is not a number" jnet gc --min-age 99999999999
tf "gc with an operand" 2 "^jnet: gc: no arguments$" jnet gc --min-age 5 web
jnet addm young em0 >/dev/null 2>&1
if grep -q gc_min_age_s "$SRC"/src/core*.c; then
	t "gc --min-age 3600" jnet gc --min-age 3600
	eq "a link made just now, never attached, is kept" "jnet/2 link epair 0 a young" "$(get e0a_young descr | cut -d' ' -f1-6)"
	t "gc (default 600 s)" jnet gc
	eq "kept by the default too" "jnet/2 link epair 0 a young" "$(get e0a_young descr | cut -d' ' -f1-6)"
else
	echo "SKIP: the core does not honour gc_min_age_s yet; gc --min-age 3600 is not checked"
fi
t "gc --min-age=0" jnet gc --min-age=0
grep -q "removed e0a_young/e0b_young (jail young, link 0)" "$OUT" && pass || fail "gc --min-age=0: $(cat "$OUT")"
eq "young removed" "" "$(get e0a_young kind)"

# --- epair MTU: the whole interface range (if_epair.c epair_ioctl allows any MTU)
t "an isolated bridge" jnet bridge add mtubr
t "addm -M 16385 (above the 16384 the model had as epair's limit)" jnet addm -M 16385 bigmtu mtubr
eq "jail end has it" 16385 "$(get e0b_bigmtu mtu)"
t "destroy it" jnet destroy bigmtu
t "and the bridge" jnet bridge del mtubr

finish
