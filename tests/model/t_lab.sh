# jnet lab on the epair backend, against the FreeBSD kernel model (issue 5's FreeBSD path):
# every example comes up, status is complete and accurate, the model holds the expected
# jails / interfaces / addresses / routes / forwarding flags, up is idempotent, down leaves
# the model exactly as before, down -n works without the file, two labs with the same jail
# names coexist, malformed files create nothing, and a fault at every k-th primitive of up
# is undone by down and completed by the next up.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

sh "$EX/gen-big.sh" 50 big >"$TMP/big.yaml"

for ex in pair router p2p big; do
	f=$EX/$ex.yaml
	[ $ex = big ] && f=$TMP/big.yaml
	fresh
	norm >"$TMP/before"
	lab_up_complete $ex "$f"
	eq "$ex: every interface present" 0 \
	    "$(jq '[.jails[].interfaces[] | select(.present != true)] | length' "$TMP/st")"
	lab_cycle $ex "$f"
done

# What the model holds for router.yaml: a parent jail, vnet children, interfaces in the
# right vnets with their addresses, routes, forwarding only on the router.
fresh
lab up "$EX/router.yaml" >/dev/null 2>&1
D=$TMP/dump
mctl dump >"$D"
eq "router: parent jail, no vnet, tagged in host.hostname" "false jnet/2 jail epair router" \
    "$(jq -r '.jails[] | select(.name == "router") | "\(.vnet) \(.hostname)"' "$D")"
eq "router: five vnet jails, children of router" "5" \
    "$(jq '[.jails[] | select(.vnet and .parent == "router")] | length' "$D")"
eq "router: forwarding on in router.router only" "router.router true true" \
    "$(jq -r '.jails[] | select(.fwd4 or .fwd6) | "\(.name) \(.fwd4) \(.fwd6)"' "$D")"
eq "router: a1's default routes" '["0.0.0.0/0 via 10.0.1.1","::/0 via fd00:0:0:1::1"]' \
    "$(jq -c '.jails[] | select(.name == "router.a1") | .routes' "$D")"
eq "router: lo0 of a jail is up, 127.0.0.1, tagged" 'true ["127.0.0.1/8"] jnet/2 jail epair router' \
    "$(jq -r '.interfaces[] | select(.name == "lo0" and (.in | startswith("router.b2#"))) | "\(.up) \(.addrs | tojson) \(.descr)"' "$D")"
eq "router: router's two ends in its vnet with their addresses" 2 \
    "$(jq '[.interfaces[] | select((.in | startswith("router.router#")) and .kind == "epair" and .up and (.addrs | index("10.0.1.1/24") or index("10.0.2.1/24")))] | length' "$D")"
eq "router: host ends on the two bridges" "3 3" \
    "$(jq -r '[([.interfaces[] | select(.bridge == "router_lan0")] | length), ([.interfaces[] | select(.bridge == "router_lan1")] | length)] | join(" ")' "$D")"
eq "router: no lab address on the host" 0 \
    "$(jq '[.interfaces[] | select(.in == "host") | .addrs[]] | length' "$D")"

lab_exec_checks
tf "exec: no such command is 127" 127 'jnet-no-such-command' \
    lab exec "$EX/router.yaml" b1 -- jnet-no-such-command
tf "exec: a jail not in the lab" 125 'no such jail' lab exec "$EX/router.yaml" zz -- true
lab down "$EX/router.yaml" >/dev/null 2>&1
tf "exec: lab not up" 125 'not up' lab exec "$EX/router.yaml" b1 -- true

# p2p: both ends of a link inside jails, each named and tagged as a 'b' end of its jail.
fresh
lab up "$EX/p2p.yaml" >/dev/null 2>&1
mctl dump >"$D"
eq "p2p: no epair end on the host" 0 \
    "$(jq '[.interfaces[] | select(.in == "host" and .kind == "epair")] | length' "$D")"
eq "p2p: r2 holds two ends, both tagged as its b ends" 2 \
    "$(jq '[.interfaces[] | select((.in | startswith("p2p.r2#")) and (.descr // "" | test("^jnet/2 link epair [01] b p2p.r2$")))] | length' "$D")"
eq "p2p: r1-r2 ends are peers" "10.9.1.2/30" \
    "$(jq -r --arg p "$(jq -r '.interfaces[] | select(.in | startswith("p2p.r1#")) | select(.kind == "epair") | .peer' "$D")" \
        '.interfaces[] | select(.name == $p) | .addrs[] | select(startswith("10."))' "$D")"
lab down -n p2p >/dev/null 2>&1
eq "p2p: down -n leaves no epair" 0 "$(epairs)"

# Two labs with the same jail names.
two_labs_up
eq "two labs: first's jails gone" 0 "$(mctl dump | jq '[.jails[] | select(.name | startswith("pair."))] | length')"
two_labs_down

# Foreign objects: a jail that has the lab's name but is not jnet's stops up, is kept.
fresh
mctl jail-create pair >/dev/null 2>&1
tf "foreign parent jail: up refuses" 1 'not this lab' lab up "$EX/pair.yaml"
t "foreign parent jail: down -n leaves it" lab down -n pair
eq "foreign parent jail: still there, alone" 1 "$(mctl dump | jq '.jails | length')"

# Malformed files: refused, nothing created.
fresh
norm >"$TMP/before"
printf 'lab: bad\njails:\n  a:\n    interfaces:\n      - { bridge: nope }\n' >"$TMP/bad1.yaml"
printf 'lab: bad\nbridges:\n  lan0: {}\njails:\n  a:\n    interfaces:\n      - { bridge: lan0, address: 10.0.0.300/24 }\n' >"$TMP/bad2.yaml"
printf 'lab: bad\njails:\n  a: {}\nfoo: 1\n' >"$TMP/bad3.yaml"
for b in 1 2 3; do
	tf "malformed $b: refused with file:line:col" 1 "bad$b.yaml:[0-9]+:[0-9]+:" lab up "$TMP/bad$b.yaml"
done
norm >"$TMP/after"
t "malformed: nothing created" cmp -s "$TMP/before" "$TMP/after"

# Faults: the k-th primitive call of up fails; down then leaves the model as before, and
# a clean up completes the lab to the state of a clean run.
for ex in pair router; do
	lab_faults $ex "$EX/$ex.yaml"
done

finish
