# 32 jails started at once onto one uplink whose bridge does not exist yet (every addm
# races to create it), then 32 destroys at once: all succeed, nothing is left.
. "$TESTLIB"

N=32
mk_uplink em0 00:11:22:33:44:55
i=0
while [ $i -lt $N ]; do ip netns add "p$i"; i=$((i + 1)); done

RES=$(mktemp -d)
i=0
while [ $i -lt $N ]; do
	( "$JNET" addm "p$i" em0 2>"$RES/add.$i.err"; echo $? > "$RES/add.$i" ) &
	i=$((i + 1))
done
wait
i=0 okc=0
while [ $i -lt $N ]; do
	if [ "$(cat "$RES/add.$i")" = 0 ]; then okc=$((okc + 1)); else echo "addm p$i: $(cat "$RES/add.$i.err")"; fi
	i=$((i + 1))
done
eq "all $N parallel addm succeed" $N $okc
eq "one bridge" 1 "$(nlc count kind bridge)"
eq "$N ports + the uplink on em0bridge" $((N + 1)) "$(nlc count master em0bridge)"
i=0 inside=0
while [ $i -lt $N ]; do
	nlc -n "p$i" link "e0b_p$i" up >/dev/null 2>&1 && inside=$((inside + 1))
	i=$((i + 1))
done
eq "every jail end inside its jail and up" $N $inside
# Distinct MACs for every jail end (stable MACs from distinct names).
i=0
while [ $i -lt $N ]; do nlc -n "p$i" get "e0b_p$i" mac; i=$((i + 1)); done > "$RES/macs"
eq "distinct MACs" $N "$(sort -u "$RES/macs" | wc -l)"

ip netns exec p0 ip addr add 10.66.0.1/24 dev e0b_p0
ip netns exec p31 ip addr add 10.66.0.32/24 dev e0b_p31
t "p0 pings p31" ip netns exec p0 ping -c 2 -i 0.2 -W 2 10.66.0.32

i=0
while [ $i -lt $N ]; do
	( "$JNET" destroy "p$i" 2>"$RES/del.$i.err"; echo $? > "$RES/del.$i" ) &
	i=$((i + 1))
done
wait
i=0 okc=0
while [ $i -lt $N ]; do
	if [ "$(cat "$RES/del.$i")" = 0 ]; then okc=$((okc + 1)); else echo "destroy p$i: $(cat "$RES/del.$i.err")"; fi
	i=$((i + 1))
done
eq "all $N parallel destroy succeed" $N $okc
eq "only the uplink left on the bridge" 1 "$(nlc count master em0bridge)"
t "bridge del em0bridge" jnet bridge del em0bridge
eq "nothing of jnet left" 0 "$(jnet_leftovers)"
rm -rf "$RES"
finish
