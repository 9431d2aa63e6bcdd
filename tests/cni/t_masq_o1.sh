# ipMasq add and del (the delall of a DEL: by the attachment's record) do no work that grows
# with the number of containers (docs/cni.md): the
# netlink traffic of one add and one del (syscalls and bytes, counted with strace) is the
# same with 5 and with 300 entries present. gc may list: its traffic does grow (which also
# shows that the count sees a listing).
. "$(dirname "$0")/ipamlib.sh"

for tool in nft strace; do
	command -v $tool >/dev/null 2>&1 || { echo "SKIP: $tool not installed (Debian: $tool)"; exit 77; }
done
if ! nft add table inet jnet-probe 2>"$ERR" || ! nft delete table inet jnet-probe 2>>"$ERR"; then
	echo "SKIP: nftables unusable in this kernel: $(cat "$ERR")"
	exit 77
fi

# netlink CMD...: "CALLS BYTES" of the driver's netlink send/receive calls (failed ones,
# such as a non-blocking read that finds nothing, count as calls with 0 bytes). (An ASan
# build's LeakSanitizer cannot run under ptrace: off for these runs; the other tests keep it.)
netlink() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -qq -e trace=sendmsg,recvmsg,sendto,recvfrom -o "$TMP/st" "$CNIIPAM_DRV" "$@" ||
	    { echo "driver failed: $*" >&2; return 1; }
	awk '/(sendmsg|recvmsg|sendto|recvfrom)\(/ { n++; if (match($0, /= [0-9]+$/)) b += substr($0, RSTART + 2) }
	    END { print n + 0, b + 0 }' "$TMP/st"
}
fill() { # fill FROM TO: containers cFROM..cTO, 10.77.x.y/16
	i=$1; while [ "$i" -le "$2" ]; do
		drv masq add o1 c$i 10.77.$((i / 250)).$((i % 250 + 1))/16 || return 1
		i=$((i + 1))
	done
}

t "5 entries" fill 1 5
add5=$(netlink masq add o1 probe 10.77.200.1/16)
del5=$(netlink masq delall o1 probe)
gc5=$(netlink gc o1 $(seq -f 'c%g' 1 300))
t "300 entries" fill 6 300
eq "300 elements present" 300 "$(nft -j list map inet jnet-cni saddr4 | jq '[.nftables[] | .map.elem[]?] | length')"
add300=$(netlink masq add o1 probe 10.77.200.1/16)
del300=$(netlink masq delall o1 probe)
gc300=$(netlink gc o1 $(seq -f 'c%g' 1 300))
echo "add: $add5 / $add300, del: $del5 / $del300, gc: $gc5 / $gc300 (calls bytes, 5 / 300 entries)"
t "strace saw the add's netlink traffic" test "${add5%% *}" -gt 0
t "strace saw the del's netlink traffic" test "${del5%% *}" -gt 0
eq "add: the same netlink calls and bytes with 300 entries as with 5" "$add5" "$add300"
eq "del: the same netlink calls and bytes with 300 entries as with 5" "$del5" "$del300"
t "gc lists: more bytes with 300 entries than with 5" test "${gc300#* }" -gt "${gc5#* }"
eq "the probe is gone, the 300 stay" 300 "$(nft -j list map inet jnet-cni saddr4 | jq '[.nftables[] | .map.elem[]?] | length')"
finish
