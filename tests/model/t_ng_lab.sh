# jnet lab on the netgraph backend, against the FreeBSD kernel model (issue 5 on netgraph):
# pair, router and p2p come up, status is complete, the model holds eifaces in the right
# vnets with their addresses, routes and forwarding flags, lab bridges are ng_bridge nodes
# named LAB_BRIDGE, p2p links are two eifaces connected ether to ether; up is idempotent,
# down (with the file, and -n LAB) leaves the model exactly as before; exec; two labs; a
# fault at every (7th) primitive call of up is undone by down and completed by the next up.
. "$TESTLIB"
: "${NGCTL:?NGCTL must point at jnet-model-ngctl}"
export JNET_BACKEND=netgraph
# Netgraph node IDs differ between equal states too.
NORM_MORE=' | del(.ext.netgraph.nodes[]?.id)
	| .ext.netgraph.nodes |= sort_by(.node) | .ext.netgraph.edges |= sort'
. "$(dirname "$TESTLIB")/lablib.sh"
eifaces() { mctl dump | jq '[.interfaces[] | select(.kind == "ngeth")] | length'; }
D=$TMP/dump

for ex in pair router p2p; do
	f=$EX/$ex.yaml
	fresh
	norm >"$TMP/before"
	lab_up_complete $ex "$f"
	eq "$ex: every bridge present" 0 "$(jq '[.bridges[] | select(.present != true)] | length' "$TMP/st")"
	eq "$ex: every interface present and up" 0 \
	    "$(jq '[.jails[].interfaces[] | select(.present != true or .up != true)] | length' "$TMP/st")"
	mctl dump >"$D"
	eq "$ex: no eiface left on the host" 0 \
	    "$(jq '[.interfaces[] | select(.in == "host" and .kind == "ngeth")] | length' "$D")"
	eq "$ex: every eiface node named like its interface" 0 \
	    "$(jq '[.ext.netgraph.nodes[] | select(.type == "eiface") | select(.node != "host \(.ifname)")] | length' "$D")"
	lab_cycle $ex "$f"
done

# What the model holds for router.yaml.
fresh
lab up "$EX/router.yaml" >/dev/null 2>&1
mctl dump >"$D"
eq "router: parent jail, no vnet, tagged in host.hostname" "false jnet/2 jail netgraph router" \
    "$(jq -r '.jails[] | select(.name == "router") | "\(.vnet) \(.hostname)"' "$D")"
eq "router: five vnet jails, children of router" 5 \
    "$(jq '[.jails[] | select(.vnet and .parent == "router")] | length' "$D")"
eq "router: forwarding on in router.router only" "router.router true true" \
    "$(jq -r '.jails[] | select(.fwd4 or .fwd6) | "\(.name) \(.fwd4) \(.fwd6)"' "$D")"
eq "router: a1's default routes" '["0.0.0.0/0 via 10.0.1.1","::/0 via fd00:0:0:1::1"]' \
    "$(jq -c '.jails[] | select(.name == "router.a1") | .routes' "$D")"
eq "router: router's two eifaces in its vnet, up, with their addresses" 2 \
    "$(jq '[.interfaces[] | select((.in | startswith("router.router#")) and .kind == "ngeth" and .up and (.addrs | index("10.0.1.1/24") or index("10.0.2.1/24")))] | length' "$D")"
eq "router: b1's eiface tagged as its link 0" "jnet/2 link netgraph 0 a router.b1" \
    "$(jq -r '.interfaces[] | select((.in | startswith("router.b1#")) and .kind == "ngeth") | .descr' "$D" | sed -E 's/( [a-z]+=[^ ]*)+$//')"
eq "router: the pinned MAC" "02:00:00:00:02:01" \
    "$(jq -r '.interfaces[] | select((.in | startswith("router.router#")) and (.addrs | index("10.0.2.1/24"))) | .mac' "$D")"
eq "router: three eifaces on ng_bridge router_lan0, three on router_lan1" "3 3" \
    "$("$NGCTL" show router_lan0: | grep -c ' eiface ') $("$NGCTL" show router_lan1: | grep -c ' eiface ')"
eq "router: bridge list names the lab as owner" "router router" \
    "$(jnet -t netgraph bridge list | awk '/^router_lan/ {print $2}' | xargs)"
eq "router: no lab address on the host" 0 \
    "$(jq '[.interfaces[] | select(.in == "host") | .addrs[]] | length' "$D")"

lab_exec_checks
tf "exec: a jail not in the lab" 125 'no such jail' lab exec "$EX/router.yaml" zz -- true
# An eiface of the lab's taken back out of its jail by hand: down still removes it.
"$JNET" -t netgraph detach router.b1 >/dev/null 2>&1
t "down after a detach by hand" lab down "$EX/router.yaml"
eq "down after a detach: no eiface left" 0 "$(eifaces)"
eq "down after a detach: no jail left" 0 "$(mctl dump | jq '.jails | length')"
tf "exec: lab not up" 125 'not up' lab exec "$EX/router.yaml" b1 -- true

# p2p: both ends of a link inside jails, their nodes connected ether to ether.
fresh
lab up "$EX/p2p.yaml" >/dev/null 2>&1
mctl dump >"$D"
eq "p2p: no ng_bridge" 0 "$(jq '[.ext.netgraph.nodes[] | select(.type == "bridge")] | length' "$D")"
eq "p2p: three ether-to-ether edges" 3 "$(jq '[.ext.netgraph.edges[] | select(test("^[^:]*:ether -- [^:]*:ether$"))] | length' "$D")"
eq "p2p: r2 holds two eifaces, both tagged as its links" 2 \
    "$(jq '[.interfaces[] | select((.in | startswith("p2p.r2#")) and (.descr // "" | test("^jnet/2 link netgraph [01] b p2p.r2$")))] | length' "$D")"
r1if=$(jq -r '.interfaces[] | select((.in | startswith("p2p.r1#")) and .kind == "ngeth") | .name' "$D")
peer=$("$NGCTL" show "$r1if:" | awk '$1 == "ether" {print $2}')
eq "p2p: r1's peer is r2's 10.9.1.2" "10.9.1.2/30" \
    "$(jq -r --arg p "$peer" '.interfaces[] | select(.name == $p) | .addrs[] | select(startswith("10."))' "$D")"
lab down -n p2p >/dev/null 2>&1
eq "p2p: down -n leaves no eiface" 0 "$(eifaces)"
eq "p2p: down -n leaves no netgraph node" 0 "$(mctl dump | jq '.ext.netgraph.nodes | length')"
# A jail removed by hand (its interfaces come home): down -n removes the links it had too
# (the other end of a point-to-point link goes with its peer).
lab up "$EX/p2p.yaml" >/dev/null 2>&1
mctl jail-gone p2p.r2
eq "p2p: r2's two eifaces came home" 2 \
    "$(mctl dump | jq '[.interfaces[] | select(.in == "host" and .kind == "ngeth")] | length')"
t "p2p: down -n after a jail went by hand" lab down -n p2p
eq "p2p: nothing left after it" "0 0 0" \
    "$(mctl dump | jq -r '"\(.ext.netgraph.nodes | length) \(.jails | length) \([.interfaces[] | select(.kind == "ngeth")] | length)"')"
# Two jails removed by hand: the link between them is on the host, whole; gc removes it.
lab up "$EX/p2p.yaml" >/dev/null 2>&1
mctl jail-gone p2p.r2
mctl jail-gone p2p.r3
t "p2p: gc after two jails went" jnet -t netgraph gc --min-age 0
t "p2p: then down -n" lab down -n p2p
eq "p2p: nothing left after gc and down" "0 0" \
    "$(mctl dump | jq -r '"\(.ext.netgraph.nodes | length) \(.jails | length)"')"

# Two labs with the same jail names.
two_labs_up
two_labs_down

# An epair lab of the same name is up: the netgraph lab refuses its objects, keeps them.
fresh
jnet -t epair lab up "$EX/pair.yaml" >/dev/null 2>&1
tf "epair lab of the same name: netgraph up refuses" 1 'not (this lab|lab pair)' lab up "$EX/pair.yaml"
t "epair lab of the same name: still complete" jnet -t epair lab status "$EX/pair.yaml"
t "epair lab of the same name: down with epair" jnet -t epair lab down -n pair
eq "epair lab of the same name: nothing left" 0 "$(mctl dump | jq '.jails | length')"


# Faults: the k-th primitive call of up fails; down then leaves the model as before, and a
# clean up completes the lab to the state of a clean run.
for ex in pair p2p router; do
	lab_faults $ex "$EX/$ex.yaml"
done

finish
