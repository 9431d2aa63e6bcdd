# Big labs from examples/labs/gen-big.sh: 50 jails on one bridge (every jail pings the first
# and the last), and 1100 jails split over two bridges (a Linux bridge holds 1023 ports):
# up, status, up again, a ping sample, down leaves nothing.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

BIG=$WORK/big.yaml
t "gen-big.sh 50" sh -c "sh '$LABS/gen-big.sh' 50 > '$BIG'"
t "big: up" jnet lab up "$BIG"
t "big: complete" lab_complete "$BIG"
eq "big: 50 namespaces" 50 "$(lab_netns big | wc -l)"
eq "big: 50 ports on big_br0" 50 "$(nlc count master big_br0)"
eq "big: 51 interfaces of the lab on the host (bridge + host ends)" 51 "$(lab_host_ifaces big | wc -l)"
i=1
while [ $i -le 50 ]; do
	t "big: j$i pings the first jail" jnet lab exec "$BIG" j$i -- ping -n -c 1 -W 2 10.0.0.1
	t "big: j$i pings the last jail" jnet lab exec "$BIG" j$i -- ping -n -c 1 -W 2 10.0.0.50
	i=$((i + 1))
done
kstate big > "$WORK/k0"
t "big: up again" jnet lab up "$BIG"
kstate big > "$WORK/k1"
same "big: up again changed nothing" "$WORK/k0" "$WORK/k1"
t "big: graph | dot -Tsvg" sh -c "'$JNET' lab graph '$BIG' | dot -Tsvg > '$WORK/big.svg'"
eq "big: the graph has 50 jails" 50 "$(grep -c '>j[0-9]*<' "$WORK/big.svg")"
t "big: down" jnet lab down "$BIG"
lab_gone "big: down" big big_br0
nothing_at_all "big: down"

# 1100 jails: gen-big.sh puts them on two bridges, 550 ports each.
HUGE=$WORK/huge.yaml
t "gen-big.sh 1100 huge" sh -c "sh '$LABS/gen-big.sh' 1100 huge > '$HUGE'"
t "huge: up" jnet lab up "$HUGE"
t "huge: complete" lab_complete "$HUGE"
eq "huge: 1100 namespaces" 1100 "$(lab_netns huge | wc -l)"
eq "huge: 550 ports on each bridge" "550 550" "$(nlc count master huge_br0) $(nlc count master huge_br1)"
# jI is on bridge (I-1) mod 2 with address 10.B.0.H, H = (I-1)/2 + 1.
for p in "j1 10.0.2.38" "j1099 10.0.0.1" "j2 10.1.2.38" "j1100 10.1.0.1" "j600 10.1.0.1" "j601 10.0.0.1"; do
	set -- $p
	t "huge: $1 pings $2" jnet lab exec "$HUGE" "$1" -- ping -n -c 1 -W 2 "$2"
done
st "huge: each bridge is its own subnet (j1 has no route to 10.1.0.1: ping exits 2)" 2 \
    "$JNET" lab exec "$HUGE" j1 -- ping -n -c 1 -W 1 10.1.0.1
t "huge: down" jnet lab down "$HUGE"
lab_gone "huge: down" huge huge_br0 huge_br1
nothing_at_all "huge: down"
finish
