# IPAM delegation (src/cni_ipam.c): Debian's host-local and static plugins, and fake
# plugins for the error paths (error object, bad JSON, huge output, a plugin that hangs).
. "$(dirname "$0")/ipamlib.sh"

CNI=/usr/lib/cni
if [ ! -x $CNI/host-local ] || [ ! -x $CNI/static ]; then
	echo "SKIP: $CNI/host-local or $CNI/static missing (Debian: containernetworking-plugins)"
	exit 77
fi
export CNI_CONTAINERID=ctr-ipam-1 CNI_NETNS=/run/netns/ipam1 CNI_IFNAME=eth0 CNI_PATH=$CNI
export CNI_COMMAND=VERSION # replaced by the command jnet_cni_ipam_exec is given

# --- host-local: ADD gives the first address and the gateway, DEL releases the lease ---
hl='{"cniVersion":"1.0.0","name":"ipamnet","type":"jnet","ipam":{"type":"host-local",
 "ranges":[[{"subnet":"10.77.0.0/24","gateway":"10.77.0.1"}],[{"subnet":"fd77::/64"}]],
 "routes":[{"dst":"0.0.0.0/0"}],"dataDir":"'$TMP'/hl"}}'
t "host-local ADD" drv exec host-local ADD "/nonexistent:$CNI" <<CONF
$hl
CONF
has "host-local ADD: IPv4 address and gateway" "$OUT" '^ip 10\.77\.0\.2/24 gw 10\.77\.0\.1 if -1$'
has "host-local ADD: IPv6 address" "$OUT" '^ip fd77::2/64 gw fd77::1 if -1$'
has "host-local ADD: route without gw" "$OUT" '^route 0\.0\.0\.0/0 gw -$'
has "host-local ADD: raw result kept" "$OUT" '^raw \{.*"cniVersion": ?"1\.0\.0"'
t "host-local: IPv4 lease recorded" test -f "$TMP/hl/ipamnet/10.77.0.2"
eq "host-local: lease owned by our container" "ctr-ipam-1" \
    "$(head -n1 "$TMP/hl/ipamnet/10.77.0.2" 2>/dev/null | tr -d '\r')"
t "host-local CHECK" drv exec host-local CHECK "$CNI" <<CONF
$(printf '%s' "$hl" | sed 's/^{/{"prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.77.0.2\/24","gateway":"10.77.0.1"},{"address":"fd77::2\/64","gateway":"fd77::1"}]},/')
CONF
t "host-local DEL" drv exec host-local DEL "$CNI" <<CONF
$hl
CONF
t "host-local DEL: IPv4 lease released" test ! -e "$TMP/hl/ipamnet/10.77.0.2"
t "host-local DEL: IPv6 lease released" test ! -e "$TMP/hl/ipamnet/fd77::2"
t "host-local DEL again: success" drv exec host-local DEL "$CNI" <<CONF
$hl
CONF

# --- static: IPv4 + IPv6 with gateways and routes; version 0.4.0 result has "version" ---
st='{"cniVersion":"VER","name":"stnet","type":"jnet","ipam":{"type":"static",
 "addresses":[{"address":"10.78.0.5/24","gateway":"10.78.0.1"},{"address":"fd78::5/64","gateway":"fd78::1"}],
 "routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.50.0/24","gw":"10.78.0.254"},{"dst":"::/0"}]}}'
for v in 0.4.0 1.0.0; do
	t "static $v ADD" drv exec static ADD "$CNI" <<CONF
$(printf '%s' "$st" | sed "s/VER/$v/")
CONF
	has "static $v: IPv4" "$OUT" '^ip 10\.78\.0\.5/24 gw 10\.78\.0\.1 if -1$'
	has "static $v: IPv6" "$OUT" '^ip fd78::5/64 gw fd78::1 if -1$'
	has "static $v: route with gw" "$OUT" '^route 192\.168\.50\.0/24 gw 10\.78\.0\.254$'
	has "static $v: IPv6 default route" "$OUT" '^route ::/0 gw -$'
	eq "static $v: 3 routes" 3 "$(grep -c '^route ' "$OUT")"
done

# --- plugins that are not there, or not plugin names ---
tf "missing plugin: ENOENT" 2 "errno=2 .*ipam nosuch: no executable 'nosuch' in CNI_PATH '$TMP:$CNI'" \
    drv exec nosuch ADD "$TMP:$CNI" </dev/null
tf "type with '/': refused" 22 "no '/' allowed" drv exec ../static ADD "$CNI" </dev/null
tf "empty CNI_PATH: ENOENT" 2 "no executable 'static'" drv exec static ADD "" </dev/null
mkdir "$TMP/bin"
printf 'not executable\n' >"$TMP/bin/noexec"
tf "non-executable file is not a plugin" 2 "no executable 'noexec'" \
    drv exec noexec ADD "$TMP/bin" </dev/null

# --- fake plugins ---
fake() { # fake NAME BODY: a shell plugin in $TMP/bin
	printf '#!/bin/sh\n%s\n' "$2" >"$TMP/bin/$1" && chmod +x "$TMP/bin/$1"
}
fake errjson 'cat >/dev/null; echo "fake-stderr-line" >&2
printf "%s" "{\"cniVersion\":\"1.0.0\",\"code\":117,\"msg\":\"no more addresses\",\"details\":\"range 10.9.0.0/30 full\"}"; exit 1'
tf "plugin error object: code, msg, details come back" 5 \
    'errno=5 cni=117: errjson: ipam errjson: no more addresses \(range 10\.9\.0\.0/30 full\)' \
    drv exec errjson ADD "$TMP/bin" </dev/null
has "plugin's stderr is forwarded" "$ERR" '^fake-stderr-line$'
fake errnojson 'echo oops; exit 3'
tf "plugin failing without an error object" 5 'cni=0: .*exited with status 3 and no CNI error object' \
    drv exec errnojson DEL "$TMP/bin" </dev/null
fake badjson 'cat >/dev/null; printf "{\"ips\": [ {\"address\": "'
tf "malformed result JSON: EBADMSG" 74 'ipam badjson: its result is not JSON' \
    drv exec badjson ADD "$TMP/bin" </dev/null
fake badaddr 'cat >/dev/null; printf "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.2.300/24\"}]}"'
tf "result with a bad address: EBADMSG naming it" 74 "ipam badaddr: CNI result: ips\[0\]: address .*10\.1\.2\.300/24" \
    drv exec badaddr ADD "$TMP/bin" </dev/null
t "DEL does not parse the output" drv exec badjson DEL "$TMP/bin" </dev/null
fake huge 'cat >/dev/null; head -c 3000000 /dev/zero | tr "\0" x; exit 0'
tf "huge output: EFBIG, killed" 27 'output larger than 1048576 bytes' \
    drv exec huge ADD "$TMP/bin" </dev/null
fake big 'cat >/dev/null; printf "{\"ips\":[],\"pad\":\""; head -c 1000000 /dev/zero | tr "\0" x; printf "\"}"'
t "output just under 1 MiB is read whole" drv exec big ADD "$TMP/bin" </dev/null
fake hang 'exec sleep 60'
start=$(date +%s)
tf "plugin that never exits: ETIMEDOUT" 110 'ipam hang: no result after 700 ms' \
    drv exec hang ADD "$TMP/bin" 700 </dev/null
eq "timeout is bounded" 1 "$(( $(date +%s) - start < 10 ))"
fake nostdin 'exec >/dev/null 2>&1; exit 0'
big_conf=$(head -c 500000 /dev/zero | tr '\0' ' ')
t "plugin that exits without reading stdin: no SIGPIPE" drv exec nostdin DEL "$TMP/bin" <<CONF
{"cniVersion":"1.0.0"$big_conf}
CONF
fake echo 'cat >"$(dirname "$0")/stdin.txt"; env >"$(dirname "$0")/env.txt"
printf "{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.5.0.9/16\"}]}"'
conf='{"cniVersion":"1.1.0","name":"echonet","ipam":{"type":"echo"}}'
t "config on stdin, environment passed" drv exec echo ADD "$TMP/bin" <<CONF
$conf
CONF
eq "stdin is the whole config" "$conf" "$(cat "$TMP/bin/stdin.txt")"
has "CNI_COMMAND replaced by the command" "$TMP/bin/env.txt" '^CNI_COMMAND=ADD$'
eq "one CNI_COMMAND" 1 "$(grep -c '^CNI_COMMAND=' "$TMP/bin/env.txt")"
has "CNI_CONTAINERID passed" "$TMP/bin/env.txt" '^CNI_CONTAINERID=ctr-ipam-1$'
has "CNI_IFNAME passed" "$TMP/bin/env.txt" '^CNI_IFNAME=eth0$'
has "1.1.0 result parsed" "$OUT" '^ip 10\.5\.0\.9/16 gw - if -1$'
rm -f "$TMP/bin/stdin.txt"
t "started with stdin and stdout closed: the plugin still gets both" sh -c \
    '"$0" exec echo ADD "$1" <&- >&- && test -f "$1/stdin.txt"' "$CNIIPAM_DRV" "$TMP/bin"
finish
