# ipMasq cost per add and del with N entries present (not a test: run by hand, in the sandbox):
#   sh tests/integration/sandbox.sh sh tests/cni/masq_bench.sh build/tests/cni/cniipam_drv N [old]
# N entries of network "bench" in 10.1.0.0/16 are put in with one nft -f (in the ruleset of
# src/cni_masq.c, or with "old" in the former one: one rule per entry in chain masq, to time a
# driver built from before the change), then 20 driver adds and 20 driver dels of other
# addresses are timed. Prints the mean per operation.
D=${1:?driver} N=${2:?entries} L=${3:-new}
ts() { date +%s%N; }
if [ "$N" -gt 0 ]; then
	"$D" masq add bench seed 10.1.255.254/16 || exit 1
	i=1; while [ "$i" -le "$N" ]; do
		a=10.1.$((i / 250)).$((i % 250 + 1))
		if [ "$L" = old ]; then
			echo "add rule inet jnet-cni masq ip saddr $a ip daddr != 10.1.0.0/16 masquerade comment \"jnet-cni bench c$i\""
		else
			echo "add element inet jnet-cni saddr4 { $a comment \"jnet-cni bench c$i\" : jump out4-10.1.0.0/16 }"
		fi
		i=$((i + 1))
	done >/tmp/masq_bench.$$.nft
	nft -f /tmp/masq_bench.$$.nft || exit 1
	rm -f /tmp/masq_bench.$$.nft
fi
t0=$(ts); for i in $(seq 1 20); do "$D" masq add bench x$i 10.2.0.$i/16 || exit 1; done; t1=$(ts)
for i in $(seq 1 20); do "$D" masq del bench x$i 10.2.0.$i/16 || exit 1; done; t2=$(ts)
echo "$L N=$N: add $(((t1 - t0) / 20000)) us/op, del $(((t2 - t1) / 20000)) us/op"
