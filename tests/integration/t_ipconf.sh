# Addresses and routes from the host (issue 12, part 2) on the netns backend: addm/attach
# -a [INDEX=]ADDR/LEN, -g GATEWAY, -r NET/LEN=GATEWAY. Applied inside the jail's namespace,
# gone with the link; invalid ones refused before anything is created.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/safetylib.sh"

reset() {
	empty_sandbox
	mk_uplink em0 00:11:22:33:44:55
	mk_uplink em1 00:11:22:33:44:66
	mkns web
}
# has NS IFACE ADDR: ADDR/LEN is on IFACE inside NS
has() { ip -n "$1" -o addr show dev "$2" | grep -q " $3 "; }
# route NS PATTERN: a route of NS (both families) matches the extended regex
route() { { ip -n "$1" route; ip -n "$1" -6 route; } | grep -Eq "$2"; }

C=addm
reset
t "$C: addm web em0 -a v4 -a v6 -g v4 -g v6 -r" jnet addm web em0 -a 192.0.2.10/24 \
    -a 2001:db8::10/64 -g 192.0.2.1 -g 2001:db8::1 -r 10.9.0.0/16=192.0.2.254
t "$C: 192.0.2.10/24 on e0b_web" has web e0b_web 192.0.2.10/24
t "$C: 2001:db8::10/64 on e0b_web" has web e0b_web 2001:db8::10/64
t "$C: IPv4 default route" route web "^default via 192.0.2.1 dev e0b_web"
t "$C: IPv6 default route" route web "^default via 2001:db8::1 dev e0b_web"
t "$C: 10.9.0.0/16 via 192.0.2.254" route web "^10.9.0.0/16 via 192.0.2.254 dev e0b_web"
t "$C: addm again with the same is idempotent" jnet addm web em0 -a 192.0.2.10/24 -g 192.0.2.1
t "$C: destroy" jnet destroy web
t "$C: the addresses went with the link" sh -c "! ip -n web -o addr | grep -q 192.0.2.10"
t "$C: the routes too" sh -c "! { ip -n web route; ip -n web -6 route; } | grep -q via"

C=index
reset
t "$C: two links, an address each" jnet addm web em0 em1 -a 192.0.2.10/24 -a 1=198.51.100.10/24 \
    -r 203.0.113.0/24=198.51.100.1
t "$C: link 0's jail end" has web e0b_web 192.0.2.10/24
t "$C: link 1's jail end" has web e1b_web 198.51.100.10/24
t "$C: route through link 1" route web "^203.0.113.0/24 via 198.51.100.1 dev e1b_web"

C=attach
reset
mkns db
t "$C: addm db em0 (no addresses yet)" jnet addm -J db dbx em0
t "$C: addm web em0" jnet addm web em0
t "$C: attach dbx db -a -g" jnet attach dbx db -a 192.0.2.20/24 -g 192.0.2.1
t "$C: 192.0.2.20/24 on e0b_dbx in db" has db e0b_dbx 192.0.2.20/24
t "$C: default route in db" route db "^default via 192.0.2.1 dev e0b_dbx"

# Refused before anything is created or moved: state dumps before and after.
C=refused
reset
before
rcis "$C: network address" 2 jnet addm web em0 -a 192.0.2.0/24
names "$C: the message quotes it" 192.0.2.0/24
rcis "$C: no prefix length" 2 jnet addm web em0 -a 192.0.2.10
rcis "$C: not an address" 2 jnet addm web em0 -a web.example/24
rcis "$C: link-local" 2 jnet addm web em0 -a fe80::1/64
rcis "$C: bad index" 2 jnet addm web em0 -a x=192.0.2.10/24
rcis "$C: index past the links" 1 jnet addm web em0 -a 1=192.0.2.10/24
names "$C: it says which link" "link 1 does not exist"
rcis "$C: gateway off every subnet" 1 jnet addm web em0 -a 192.0.2.10/24 -g 10.0.0.1
names "$C: it names the gateway" 10.0.0.1
rcis "$C: gateway without any address" 1 jnet addm web em0 -g 192.0.2.1
rcis "$C: the jail's own address as gateway" 1 jnet addm web em0 -a 192.0.2.10/24 -g 192.0.2.10
rcis "$C: two IPv4 default routes" 1 jnet addm web em0 -a 192.0.2.10/24 -g 192.0.2.1 -g 192.0.2.2
rcis "$C: route with host bits" 2 jnet addm web em0 -a 192.0.2.10/24 -r 10.9.0.1/16=192.0.2.1
rcis "$C: route of two families" 2 jnet addm web em0 -a 192.0.2.10/24 -r 2001:db8::/32=192.0.2.1
rcis "$C: route without gateway" 2 jnet addm web em0 -r 10.9.0.0/16
rcis "$C: the same address twice" 1 jnet addm web em0 -a 192.0.2.10/24 -a 192.0.2.10/25
rcis "$C: no jail yet (prestart)" 1 jnet addm nosuch em0 -a 192.0.2.10/24
names "$C: it says to give them to attach" attach
rcis "$C: attach with a gateway off the subnet" 1 jnet attach web -a 192.0.2.10/24 -g 10.0.0.1
after "$C: nothing changed"
eq "$C: nothing in jnet's group" 0 "$(jnet_leftovers)"

finish
