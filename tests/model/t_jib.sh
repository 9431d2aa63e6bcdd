# jib compatibility: the names jib gives (e{i}a_NAME / e{i}b_NAME, -b SUFFIX) and, with
# -m jib, jib's derive_mac: NP:SS:SS:II:II:II with SS:SS the BSD sum(1) of NAME (GNU `sum`
# implements the same algorithm, and is what this test derives the vectors from, apart
# from jnet), II the uplink's last three bytes, P 2/e (a/b), a/e after an uplink of ?2,
# 2/6 after ?e, N the count of links made on that uplink in this addm.
. "$TESTLIB"
fresh

jib_sum_check
expect() { jib_mac "$@"; } # NAME UPLINK_MAC N END

mctl ifadd em1 02:ab:cd:01:02:03 >/dev/null    # first octet ?2
mctl ifadd em2 0e:ab:cd:04:05:06 >/dev/null    # first octet ?e
for name in web db www_example_org x; do
	t "jnet -m jib addm $name em0 em0 em1 em2" jnet -m jib addm $name em0 em0 em1 em2
	eq "$name: e0a" "$(expect $name 00:11:22:33:44:55 0 a)" "$(get "$(jnet name $name 0 a)" mac)"
	eq "$name: e0b" "$(expect $name 00:11:22:33:44:55 0 b)" "$(get "$(jnet name $name 0 b)" mac)"
	eq "$name: e1a (second link on em0: N=1)" "$(expect $name 00:11:22:33:44:55 1 a)" "$(get "$(jnet name $name 1 a)" mac)"
	eq "$name: e1b" "$(expect $name 00:11:22:33:44:55 1 b)" "$(get "$(jnet name $name 1 b)" mac)"
	eq "$name: e2a (em1, ?2: a)" "$(expect $name 02:ab:cd:01:02:03 0 a)" "$(get "$(jnet name $name 2 a)" mac)"
	eq "$name: e2b (em1, ?2: e)" "$(expect $name 02:ab:cd:01:02:03 0 b)" "$(get "$(jnet name $name 2 b)" mac)"
	eq "$name: e3a (em2, ?e: 2)" "$(expect $name 0e:ab:cd:04:05:06 0 a)" "$(get "$(jnet name $name 3 a)" mac)"
	eq "$name: e3b (em2, ?e: 6)" "$(expect $name 0e:ab:cd:04:05:06 0 b)" "$(get "$(jnet name $name 3 b)" mac)"
done
eq "web e0a, by hand" 02:40:b2:33:44:55 "$(get e0a_web mac)"
eq "web e0b, by hand" 0e:40:b2:33:44:55 "$(get e0b_web mac)"

# jib's own derive_mac, run as FreeBSD's /bin/sh runs it. jib builds both strings in one
# simple command, `__new_devid=a$__new_devid __new_devid_b=e$__new_devid`; FreeBSD's sh
# expands every assignment word before it assigns any (bin/sh/eval.c evalcommand:
# expandarg() of each word into varlist, then listsetvar()), so the b string is built
# from the old value and is a valid MAC. bash and dash assign left to right (the b string
# then gets a 7-digit first octet): they cannot run that line as FreeBSD does, so
# fbsd_assign does the two phases explicitly.
set -f
fbsd_assign() {
	_n=0
	for _w in $1; do
		eval "_name$_n=\${_w%%=*}"
		eval "_val$_n=\"${_w#*=}\""   # expanded now, with the values before any assignment
		_n=$((_n + 1))
	done
	_i=0
	while [ $_i -lt $_n ]; do
		eval "_nm=\$_name$_i"
		eval "$_nm=\$_val$_i"
		_i=$((_i + 1))
	done
}
ltr_assign() { eval "$1"; }   # what bash and dash do
# jib_mac EVALUATOR NAME UPLINK_MAC N: jib's derive_mac (share/examples/jails/jib), its
# lines as they are, but for sum(1): GNU sum zero-pads, which $(( )) would read as octal.
jib_mac() {
	__iface_devid=$3 __mac_num=$4
	__new_devid=${__iface_devid#??:??:??} # => :II:II:II
	__num=$(printf %s "$2" | sum | awk '{print $1 + 0}')
	__new_devid=$( printf :%02x:%02x \
		$(( $__num >> 8 & 255 )) $(( $__num & 255 )) )$__new_devid
	case "$__iface_devid" in
	   ?2:*) _line='__new_devid=a$__new_devid __new_devid_b=e$__new_devid' ;;
	?[Ee]:*) _line='__new_devid=2$__new_devid __new_devid_b=6$__new_devid' ;;
	      *) _line='__new_devid=2$__new_devid __new_devid_b=e$__new_devid'
	esac
	$1 "$_line"
	__new_devid=$( printf %x $(( $__mac_num & 15 )) )$__new_devid
	__new_devid_b=$( printf %x $(( $__mac_num & 15 )) )$__new_devid_b
	echo "$__new_devid $__new_devid_b"
}
eq "jib under FreeBSD's sh: web on em0" "02:40:b2:33:44:55 0e:40:b2:33:44:55" \
    "$(jib_mac fbsd_assign web 00:11:22:33:44:55 0)"
eq "jib under bash/dash: a 7-digit b string (not what FreeBSD runs)" \
    "02:40:b2:33:44:55 0e2:40:b2:33:44:55" "$(jib_mac ltr_assign web 00:11:22:33:44:55 0)"
for name in web db www_example_org x; do
	i=0
	for up in 00:11:22:33:44:55/0 00:11:22:33:44:55/1 02:ab:cd:01:02:03/0 0e:ab:cd:04:05:06/0; do
		set -- $(jib_mac fbsd_assign $name ${up%/*} ${up#*/})
		eq "$name link $i: -m jib host end = jib's under FreeBSD's sh" "$1" \
		    "$(get "$(jnet name $name $i a)" mac)"
		eq "$name link $i: -m jib jail end = jib's under FreeBSD's sh" "$2" \
		    "$(get "$(jnet name $name $i b)" mac)"
		i=$((i + 1))
	done
done
set +f

# jib's -b SUFFIX and its bridge names; '!' keeps the kernel's MAC
mctl ifadd em3 00:00:00:00:00:33 >/dev/null
t "addm -b br web2 em3" jnet addm -b br web2 em3
eq "bridge em3br" em3br "$(get e0a_web2 bridge)"
tf "em0 is in em0bridge already: jib's error, explained" 1 "em0: already a port of em0bridge" jnet addm -b br web3 em0
kmac=$(get e0a_web2 mac)
t "jnet -m jib addm nomac !em0" jnet -m jib addm nomac '!em0'
case "$(get e0a_nomac mac)" in 02:4d:*) pass ;; *) fail "'!' keeps the kernel MAC: $(get e0a_nomac mac)" ;; esac
# stable (default) MACs: locally administered unicast, and the same after destroy + addm
t "addm st em0" jnet addm st em0
m1=$(get e0b_st mac)
jnet destroy st && jnet addm st em0
eq "stable MAC survives destroy + addm" "$m1" "$(get e0b_st mac)"
eq "locally administered unicast" 2 $(( 0x$(printf %s "$m1" | cut -c1-2) & 3 ))
# jib's show formats
t_out "show" "db
nomac
st
web
web2
www_example_org
x" jnet show
t_out "show web" "e0a_web
e1a_web
e2a_web
e3a_web" jnet show web
: "$kmac"
finish
