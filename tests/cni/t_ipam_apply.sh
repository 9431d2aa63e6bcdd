# jnet_cni_apply (src/cni_ipam.c): a CNI result's addresses and routes applied onto a veth
# end inside a network namespace through the netns backend's addr_add/route_add.
. "$(dirname "$0")/ipamlib.sh"

ns=ipamA
ip netns add $ns && ip link add v0 type veth peer name eth0 netns $ns &&
    ip link set v0 up && ip -n $ns link set eth0 up || { echo "setup failed"; exit 1; }

addrs() { ip -n $ns -j addr show dev eth0 | jq -r '.[0].addr_info[] | select(.scope == "global") | "\(.local)/\(.prefixlen)"' | sort | tr '\n' ' '; }
route_via() { ip -n $ns -j $1 route show "$2" | jq -r '.[0].gateway // "none"'; }

# static IPAM's result for two addresses with gateways and three routes (two without gw)
res='{"cniVersion":"1.0.0","ips":[{"address":"10.78.0.5/24","gateway":"10.78.0.1"},
 {"address":"fd78::5/64","gateway":"fd78::1"}],
 "routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.50.0/24","gw":"10.78.0.254"},{"dst":"::/0"}]}'
t "apply an IPAM result" drv apply $ns eth0 <<RES
$res
RES
eq "addresses on eth0" "10.78.0.5/24 fd78::5/64 " "$(addrs)"
eq "IPv4 default route via the IPv4 gateway" 10.78.0.1 "$(route_via -4 default)"
eq "IPv6 default route via the IPv6 gateway" fd78::1 "$(route_via -6 default)"
eq "route with its own gw" 10.78.0.254 "$(route_via -4 192.168.50.0/24)"
t "apply again: already there is success" drv apply $ns eth0 <<RES
$res
RES
eq "no duplicate routes" 1 "$(ip -n $ns -j -4 route show default | jq length)"

# A chained result (prevResult shape): ips name their interface; only eth0's are applied.
t "apply a result with interfaces" drv apply $ns eth0 <<'RES'
{"cniVersion":"1.1.0","interfaces":[{"name":"br0"},{"name":"v0"},{"name":"eth0","sandbox":"/run/netns/ipamA"}],
 "ips":[{"address":"10.79.0.7/24","interface":2},{"address":"10.80.0.1/24","interface":0}],
 "routes":[{"dst":"172.16.0.0/12","gw":"10.79.0.1"}]}
RES
eq "only the container interface's address" "10.78.0.5/24 10.79.0.7/24 fd78::5/64 " "$(addrs)"
t "the host bridge's address is not applied anywhere in the netns" \
    sh -c "! ip -n $ns -j addr | jq -r '.[].addr_info[].local' | grep -qx 10.80.0.1"
eq "its route" 10.79.0.1 "$(route_via -4 172.16.0.0/12)"

tf "interface index out of range: EINVAL" 22 'ips\[0\]: interface 5 is not an index into interfaces' \
    drv apply $ns eth0 <<'RES'
{"cniVersion":"1.0.0","interfaces":[{"name":"eth0"}],"ips":[{"address":"10.81.0.7/24","interface":5}]}
RES
tf "route without gw and no gateway of its family: refused" 95 'route 10\.99\.0\.0/16 has no gw' \
    drv apply $ns eth0 <<'RES'
{"cniVersion":"1.0.0","ips":[{"address":"10.82.0.7/24"}],"routes":[{"dst":"10.99.0.0/16"}]}
RES
eq "nothing applied from the refused result" "10.78.0.5/24 10.79.0.7/24 fd78::5/64 " "$(addrs)"
tf "no such interface in the netns" 19 'eth9' drv apply $ns eth9 <<RES
$res
RES
tf "bad result: EBADMSG" 74 'CNI result: routes\[0\]: dst' drv apply $ns eth0 <<'RES'
{"cniVersion":"1.0.0","ips":[],"routes":[{"dst":"nonsense"}]}
RES
ip netns del $ns
finish
