# CNI plugin mode on FreeBSD's epair backend, against the kernel model: CNI_NETNS names the
# container's vnet jail (as FreeBSD's CNI port and podman pass it). ADD puts the jail end
# into that jail as CNI_IFNAME, CHECK, DEL (also after the jail is gone, and twice), GC;
# netgraph refused with error 7 (not supported in CNI mode yet).
. "$TESTLIB"
fresh
mctl jail-create ctr1 >/dev/null
C='{"cniVersion":"1.1.0","name":"fbnet","type":"jnet","bridge":"cni0"}'
cni() { # cni CMD CID JAIL [CONF]: the plugin's stdout in $OUT
	printf '%s' "${4:-$C}" | env CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=$3 CNI_IFNAME=eth0 \
	    CNI_PATH=/nonexistent "$JNET" >"$OUT" 2>"$ERR"
}
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT" "$1" 2>/dev/null; }
withprev() { python3 -c 'import json,sys; c=json.loads(sys.argv[1]); c["prevResult"]=json.load(open(sys.argv[2])); print(json.dumps(c))' "$C" "$1"; }

t "ADD into vnet jail ctr1" cni ADD abc ctr1
host=$(jget 'd["interfaces"][1]["name"]')
eq "result: the container end eth0 with sandbox ctr1" "eth0 ctr1" "$(jget 'd["interfaces"][2]["name"] + " " + d["interfaces"][2]["sandbox"]')"
eq "result: the container end's MAC is the one it has" "$(get eth0 mac ctr1)" "$(jget 'd["interfaces"][2]["mac"]')"
eq "eth0 is inside ctr1, tagged with the identity" "jnet/2 link epair 0 b abc@eth0 n=1 t=1700000000 cni=fbnet" "$(get eth0 descr ctr1)"
eq "the host end is on cni0" cni0 "$(get "$host" bridge)"
eq "cni0 is jnet's bridge" "jnet/2 bridge epair -" "$(get cni0 descr)"
cp "$OUT" "$TMP/res.json"
t "CHECK" cni CHECK abc ctr1 "$(withprev "$TMP/res.json")"
t "ADD a second container" sh -c "$MODELCTL jail-create ctr2 >/dev/null; printf '%s' '$C' | CNI_COMMAND=ADD CNI_CONTAINERID=def CNI_NETNS=ctr2 CNI_IFNAME=eth0 $JNET >/dev/null"
t "DEL" cni DEL abc ctr1
eq "DEL: eth0 gone from ctr1" "" "$(get eth0 descr ctr1)"
eq "DEL: the host end gone" "" "$(get "$host" descr)"
t "DEL twice" cni DEL abc ctr1
t "ADD again" cni ADD abc ctr1
t "the jail goes" sh -c "$MODELCTL jail-kill ctr1 && $MODELCTL jail-gone ctr1"
t "DEL after the jail is gone" cni DEL abc ctr1
GC='{"cniVersion":"1.1.0","name":"fbnet","type":"jnet","cni.dev/valid-attachments":[]}'
t "GC (no valid attachment)" sh -c "printf '%s' '$GC' | CNI_COMMAND=GC CNI_PATH=/x $JNET"
eq "GC removed ctr2's attachment" "" "$(get eth0 descr ctr2)"
eq "nothing tagged cni= is left" 0 "$(mctl dump | grep -c 'cni=fbnet')"
# 20 ADDs into 20 jails at once, each CNI_IFNAME eth0: the jail end is renamed eth0 inside
# its jail (on the host it has jnet's name, unique to the link), so none collides
i=0; pids=
while [ $i -lt 20 ]; do
	mctl jail-create par$i >/dev/null
	(printf '%s' "$C" | CNI_COMMAND=ADD CNI_CONTAINERID=par$i CNI_NETNS=par$i CNI_IFNAME=eth0 \
	    CNI_PATH=/x "$JNET" >"$TMP/par$i.out" 2>&1; echo $? >"$TMP/par$i.rc") &
	pids="$pids $!"
	i=$((i + 1))
done
wait $pids
i=0; bad=
while [ $i -lt 20 ]; do
	[ "$(cat "$TMP/par$i.rc")" = 0 ] && [ -n "$(get eth0 descr par$i)" ] || bad="$bad par$i:$(cat "$TMP/par$i.out")"
	i=$((i + 1))
done
eq "20 parallel ADDs with CNI_IFNAME eth0: all succeed, each jail has its eth0" "" "$bad"
# CNI_IFNAME equal to a host interface's name (em0, the bridge cni0): made inside the jail
mctl jail-create hn >/dev/null
printf '%s' "$C" | CNI_COMMAND=ADD CNI_CONTAINERID=hn CNI_NETNS=hn CNI_IFNAME=em0 CNI_PATH=/x "$JNET" >"$OUT" 2>"$ERR"
eq "CNI_IFNAME em0 (a host interface's name): ADD succeeds, em0 inside the jail" "0 jnet/2 link epair 0 b hn@em0" \
    "$? $(get em0 descr hn | cut -d' ' -f1-6)"
printf '%s' "$C" | CNI_COMMAND=ADD CNI_CONTAINERID=hn CNI_NETNS=hn CNI_IFNAME=cni0 CNI_PATH=/x "$JNET" >"$OUT" 2>"$ERR"
eq "CNI_IFNAME cni0 (the bridge's name): ADD succeeds" "0" "$?"
eq "the host's em0 is untouched" "" "$(get em0 descr)"
# isGateway: the gateway address goes on the bridge, on the host (addr_add with no jail)
if [ -x /usr/lib/cni/host-local ]; then
	mctl jail-create gw1 >/dev/null
	GW='{"cniVersion":"1.0.0","name":"fbgw","type":"jnet","bridge":"cnigw","isGateway":true,"isDefaultGateway":true,"ipam":{"type":"host-local","dataDir":"'"$TMP"'/ipam","ranges":[[{"subnet":"10.88.0.0/16"}]]}}'
	printf '%s' "$GW" | env CNI_COMMAND=ADD CNI_CONTAINERID=gw CNI_NETNS=gw1 CNI_IFNAME=eth0 \
	    CNI_PATH=/usr/lib/cni "$JNET" >"$OUT" 2>"$ERR"
	eq "isGateway: ADD succeeds (it crashed: addr_add with no jail)" 0 "$?"
	eq "isGateway: the gateway 10.88.0.1/16 on the host's bridge cnigw" True "$(mctl dump | python3 -c 'import json,sys; print([i["addrs"] for i in json.load(sys.stdin)["interfaces"] if i["name"] == "cnigw"] == [["10.88.0.1/16"]])')"
	# ipMasq (pf table cni-nat): DEL needs prevResult to remove the entry (docs/cni.md)
	mctl pf load
	mctl jail-create mq1 >/dev/null
	MQ='{"cniVersion":"1.0.0","name":"fbmq","type":"jnet","bridge":"cnimq","ipMasq":true,"ipam":{"type":"host-local","dataDir":"'"$TMP"'/ipam","ranges":[[{"subnet":"10.77.0.0/16"}]]}}'
	mqrun() { printf '%s' "$2" | env CNI_COMMAND=$1 CNI_CONTAINERID=mq CNI_NETNS=mq1 CNI_IFNAME=eth0 \
	    CNI_PATH=/usr/lib/cni "$JNET" >"$OUT" 2>"$ERR"; }
	nat() { mctl pf show cni-nat 2>&1 | sed 's/^ *//' | tr '\n' ' ' | sed 's/ $//'; }
	mqrun ADD "$MQ"
	eq "ipMasq: ADD puts the address into cni-nat" "0 10.77.0.2" "$? $(nat)"
	cp "$OUT" "$TMP/mq.json"
	mqrun DEL "$MQ"
	eq "ipMasq: DEL without prevResult succeeds and leaves the cni-nat entry" "0 10.77.0.2" "$? $(nat)"
	mqrun ADD "$MQ"
	eq "ipMasq: ADD again (its address anew)" "0 2" "$? $(nat | wc -w)"
	cp "$OUT" "$TMP/mq.json"
	mqrun DEL "$(python3 -c 'import json,sys; c=json.loads(sys.argv[1]); c["prevResult"]=json.load(open(sys.argv[2])); print(json.dumps(c))' "$MQ" "$TMP/mq.json")"
	eq "ipMasq: DEL with prevResult removes its cni-nat entry (the first one's stays)" "0 10.77.0.2" "$? $(nat)"
else
	echo "SKIP isGateway: no /usr/lib/cni/host-local (containernetworking-plugins) for its IPAM"
fi
NG='{"cniVersion":"1.0.0","name":"fbnet","type":"jnet","backend":"netgraph"}'
mctl jail-create ctr3 >/dev/null
n0=$(mctl dump | grep -c 'cni=')
cni ADD ng ctr3 "$NG"
eq "netgraph: error 7 naming the backend" "7 True" "$(jget 'str(d["code"]) + " " + str("netgraph" in d["msg"])')"
eq "netgraph: nothing created" "$n0" "$(mctl dump | grep -c 'cni=')"
finish
