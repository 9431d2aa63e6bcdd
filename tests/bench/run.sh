#!/bin/sh
# jnet benchmark: plumbing N jails, jnet against the tools people use today, in one run.
#
# The work, for every contender: N network namespaces (the jails, made beforehand and not
# timed) each get a veth pair whose jail end is eth0 inside the namespace with a fixed MAC,
# whose host end is a port of a bridge (one bridge per 500 jails: a Linux bridge holds at
# most 1023 ports), both ends up ("up"); then all of it is removed ("down"). After every up
# and every down the end state is checked (jnet-bench-check, through libnl-route-3): a
# contender that leaves a wrong state is reported FAILED, not timed.
#
# Everything runs inside a private network + mount namespace with a private /run that this
# script makes by re-executing itself under unshare: nothing touches the machine's network.
#
# See README.md in this directory for the options and how to read the output.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ALL_CONTENDERS="floor ipbatch ipscript cni cni-hl jnet-addm jnet-batch jnet-lab jnet-cni jnet-cni-hl"
# floor6: the floor with host ends that get no IPv6 link-local address (-6); on request only.
OPTIONAL_CONTENDERS="floor6"

usage() {
	cat <<EOF
usage: run.sh [--n LIST] [--reps R] [--quick] [--per-bridge K] [--only LIST]
              [--jnet PATH] --floor PATH --rss PATH --check PATH
              [--raw FILE] [--no-warmup] [--no-strace]

  --n LIST        jail counts, comma-separated (default 100,500,1000)
  --reps R        timed repetitions per contender and N (default 3); medians reported
  --quick         N=20, one repetition (the smoke test)
  --per-bridge K  jails per bridge (default 500; at most 1023)
  --only LIST     contenders to run, comma-separated, from:
                  $ALL_CONTENDERS
                  (default: all of these), and on request: $OPTIONAL_CONTENDERS
  --jnet PATH     the jnet binary: adds jnet-addm and jnet-lab when it has those verbs,
                  jnet-cni and jnet-cni-hl when it has its CNI mode
  --floor PATH, --rss PATH, --check PATH
                  jnet-bench-floor, jnet-bench-rss, jnet-bench-check (built by CMake;
                  \`cmake --build BUILD --target bench\` passes them)
  --raw FILE      append every timed run as "contender N rep up_ns down_ns rss_kib"
  --no-warmup     skip the untimed first cycle (warm caches; jnet's per-process RSS)
  --no-strace     do not count jnet's netlink requests with strace

Needs root; runs in its own network namespace. Exit 0 when every contender passed its
end-state checks, 1 when one failed, 2 on a usage error, 77 when it cannot run here.
EOF
}

for a in "$@"; do
	case $a in -h | --help) usage; exit 0 ;; esac
done

# ---- into a private network + mount namespace, with a private /run (so /run/netns) ----
if [ "${JNET_BENCH_INNER:-}" != 1 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to make a private network namespace"
		exit 77
	fi
	if ! unshare --net --mount --propagation private true 2>/dev/null; then
		echo "SKIP: this system does not allow 'unshare --net --mount' (container without CAP_SYS_ADMIN?)"
		exit 77
	fi
	if ! command -v ip >/dev/null 2>&1; then
		echo "SKIP: 'ip' is not installed (Debian: iproute2)"
		exit 77
	fi
	export JNET_BENCH_INNER=1
	exec unshare --net --mount --propagation private sh -c '
		mount -t tmpfs -o mode=755 jnet-bench /run || exit 1
		ip link set lo up || exit 1
		exec sh "$0" "$@"' "$HERE/run.sh" "$@"
fi

# ---- options ----
NLIST=100,500,1000 REPS=3 PERBR=500 ONLY=$ALL_CONTENDERS
JNET= FLOOR= RSS= CHECK= RAW= WARMUP=1 STRACE=1
die_usage() {
	echo "run.sh: $*" >&2
	usage >&2
	exit 2
}
need_arg() {
	[ $# -ge 2 ] || die_usage "$1 needs an argument"
}
while [ $# -gt 0 ]; do
	case $1 in
	--n) need_arg "$@"; NLIST=$2; shift 2 ;;
	--reps) need_arg "$@"; REPS=$2; shift 2 ;;
	--quick) NLIST=20 REPS=1; shift ;;
	--per-bridge) need_arg "$@"; PERBR=$2; shift 2 ;;
	--only) need_arg "$@"; ONLY=$(echo "$2" | tr ',' ' '); shift 2 ;;
	--jnet) need_arg "$@"; JNET=$2; shift 2 ;;
	--floor) need_arg "$@"; FLOOR=$2; shift 2 ;;
	--rss) need_arg "$@"; RSS=$2; shift 2 ;;
	--check) need_arg "$@"; CHECK=$2; shift 2 ;;
	--raw) need_arg "$@"; RAW=$2; shift 2 ;;
	--no-warmup) WARMUP=0; shift ;;
	--no-strace) STRACE=0; shift ;;
	*) die_usage "unknown argument '$1'" ;;
	esac
done
is_count() {
	case $1 in '' | *[!0-9]*) return 1 ;; esac
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}
NS=$(echo "$NLIST" | tr ',' ' ')
[ -n "$NS" ] || die_usage "--n: empty list"
for n in $NS; do
	is_count "$n" 1 65535 || die_usage "--n: '$n' is not a number from 1 to 65535"
done
is_count "$REPS" 1 100 || die_usage "--reps: '$REPS' is not a number from 1 to 100"
is_count "$PERBR" 1 1023 || die_usage "--per-bridge: '$PERBR' is not a number from 1 to 1023"
for c in $ONLY; do
	case " $ALL_CONTENDERS $OPTIONAL_CONTENDERS " in
	*" $c "*) ;;
	*) die_usage "--only: unknown contender '$c'" ;;
	esac
done
for v in RSS CHECK; do
	eval "p=\$$v"
	[ -n "$p" ] && [ -x "$p" ] ||
	    die_usage "--$(echo $v | tr 'A-Z' 'a-z') PATH is required (build with CMake: target bench)"
done

WORK=/run/jnet-bench
RES=$WORK/res
mkdir -p "$WORK" "$RES" "$WORK/hooks" "$WORK/hl" || exit 1
# jnet: no hooks from /etc, a fixed MAC salt; temporary files stay in the private /run;
# host-local (the IPAM contenders) keeps its leases in $WORK/hl.
export JNET JNET_HOOKDIR="$WORK/hooks" JNET_MAC_SALT=jnet-bench TMPDIR="$WORK" \
    CNI_BENCH_HLDIR="$WORK/hl"
FAILED_ANY=0

say() { printf '%s\n' "$*"; }


# ---- the jails, the bridges, the jail list ----

# list_for N > FILE: one line per jail, "K NETNS JAIL_MAC HOST_MAC BRIDGE", read by every
# contender script. MACs: jail end 02:bb:00:00:HI:LO, host end 02:ba:00:00:HI:LO (K = HI*256
# + LO), the layout jnet-bench-floor uses too. Jail K is on bridge bjbr(K / per-bridge).
list_for() {
	awk -v n="$1" -v per="$PERBR" 'BEGIN {
		for (k = 0; k < n; k++) {
			hi = int(k / 256) % 256; lo = k % 256
			printf "%d bj%d 02:bb:00:00:%02x:%02x 02:ba:00:00:%02x:%02x bjbr%d\n",
			    k, k, hi, lo, hi, lo, int(k / per)
		}
	}'
}

# setup MAXN: the jails bj0..bj(MAXN-1) and the bridges, not timed. Bridge MACs are pinned
# (a bridge otherwise takes its lowest port's MAC, which changes under the contenders).
setup() {
	nb=$(( ($1 + PERBR - 1) / PERBR ))
	{
		k=0
		while [ $k -lt "$1" ]; do echo "netns add bj$k"; k=$((k + 1)); done
		b=0
		while [ $b -lt $nb ]; do
			echo "link add bjbr$b type bridge"
			printf 'link set bjbr%d address 02:bf:00:00:%02x:%02x\n' $b $((b / 256)) $((b % 256))
			echo "link set bjbr$b up"
			b=$((b + 1))
		done
	} | ip -batch - || { echo "run.sh: cannot create the jails and bridges" >&2; exit 1; }
}

# ---- the contenders ----

# lab_probe: does $JNET build labs? Tries a one-jail lab (named bench-probe, on bridge lbp0).
LAB_PROBE_WHY=
lab_probe() {
	"$JNET" help lab >/dev/null 2>&1 || { LAB_PROBE_WHY="$JNET has no lab verb"; return 1; }
	printf 'lab: bench-probe\nbridges:\n  lbp0: {}\njails:\n  j0: { interfaces: [ { bridge: lbp0 } ] }\n' \
	    > "$WORK/probe.yaml"
	if "$JNET" lab up "$WORK/probe.yaml" >"$WORK/probe.out" 2>&1; then
		"$JNET" lab down "$WORK/probe.yaml" >/dev/null 2>&1
		return 0
	fi
	st=$?
	if [ $st -eq 2 ] || grep -Eqi 'not (in this build|implemented)|unknown (command|verb)' "$WORK/probe.out"; then
		LAB_PROBE_WHY="$JNET cannot build labs yet: $(head -n 1 "$WORK/probe.out")"
		return 1
	fi
	# It claims labs but failed: include it, so the failure shows as FAILED.
	"$JNET" lab down "$WORK/probe.yaml" >/dev/null 2>&1
	return 0
}

# cni_probe: does $JNET run as a CNI plugin? (CNI_COMMAND=VERSION answers supportedVersions)
cni_probe() {
	CNI_COMMAND=VERSION "$JNET" </dev/null 2>/dev/null | grep -q '"supportedVersions"'
}

# spec_for CONTENDER LIST > SPEC: what jnet-bench-check must find after up (see check.c):
# "NETNS IFNAME MAC BRIDGE HOSTMAC ADDR HOSTNAME HOSTTAG". ADDR "-": no IPv4 address; the
# IPAM contenders (-hl) hold one of their bridge's host-local subnet (cni.sh), all distinct.
spec_for() {
	case $1 in
	floor | floor6 | ipscript | ipbatch)
		awk '{ print "/run/netns/" $2, "eth0", $3, $5, $4, "-" }' "$2" ;;
	cni | cni-hl | jnet-cni | jnet-cni-hl)
		# The reference plugin cannot set the host end's MAC and names it veth<hex>; jnet
		# names it by its own scheme, chooses its MAC (-m stable) and tags it.
		case $1 in jnet-*) host="* jnet" ;; *) host="veth* *" ;; esac
		awk -v hl="${1%-hl}" -v c="$1" -v host="$host" '{
			b = substr($5, 5) + 0
			a = c == hl ? "-" : sprintf("10.%d.%d.0/21", int(b / 32), b % 32 * 8)
			print "/run/netns/" $2, "eth0", $3, $5, "*", a, host
		}' "$2" ;;
	jnet-addm | jnet-batch)   # jnet's own names; host end MAC: jnet's choice
		while read -r k ns jmac hmac br; do
			echo "/run/netns/$ns $("$JNET" name "$ns" 0 b) $jmac $br * -"
		done < "$2" ;;
	jnet-lab)
		sh "$HERE/jnet.sh" lab-spec "$2" bench ;;
	esac
}

# phase CONTENDER up|down: run one phase under jnet-bench-rss; "WALL_NS PEAK_KIB" lands in
# $WORK/m, the output in $WORK/out. Returns the phase's exit status.
phase() {
	: > "$WORK/m"
	case $1 in
	floor)
		if [ "$2" = up ]; then set -- "$FLOOR" -j bj -b bjbr -P "$PERBR" up "$N"
		else set -- "$FLOOR" down; fi ;;
	floor6)
		if [ "$2" = up ]; then set -- "$FLOOR" -6 -j bj -b bjbr -P "$PERBR" up "$N"
		else set -- "$FLOOR" down; fi ;;
	ipscript | ipbatch)
		set -- sh "$HERE/$1.sh" "$2" "$LIST" ;;
	cni) set -- sh "$HERE/cni.sh" "$2" "$LIST" bridge none ;;
	cni-hl) set -- sh "$HERE/cni.sh" "$2" "$LIST" bridge host-local ;;
	jnet-cni) set -- sh "$HERE/cni.sh" "$2" "$LIST" jnet none ;;
	jnet-cni-hl) set -- sh "$HERE/cni.sh" "$2" "$LIST" jnet host-local ;;
	jnet-addm)
		set -- sh "$HERE/jnet.sh" "addm-$2" "$LIST" ;;
	jnet-batch)
		set -- sh "$HERE/jnet.sh" "batch-$2" "$LIST" ;;
	jnet-lab)
		set -- sh "$HERE/jnet.sh" "lab-$2" "$LABFILE" ;;
	esac
	"$RSS" -o "$WORK/m" -- "$@" >"$WORK/out" 2>&1
}

# force_clean: after a failure, remove whatever a contender left (not timed).
force_clean() {
	if [ -n "$LABFILE" ] && [ -f "$LABFILE" ]; then
		"$JNET" lab down "$LABFILE" >/dev/null 2>&1
	fi
	ip netns list 2>/dev/null | awk '$1 ~ /^bench\./ { print "netns del " $1 }' |
	    ip -force -batch - >/dev/null 2>&1
	ip -o link show type veth | awk -F': ' '{ sub(/@.*/, "", $2); print "link del " $2 }' |
	    ip -force -batch - >/dev/null 2>&1
	rm -rf "$WORK/hl" && mkdir -p "$WORK/hl"
	if ! "$CHECK" down < "$WORK/spec.base" >"$WORK/chk" 2>&1; then
		say "run.sh: cannot clean up after a failure; stopping:"
		cat "$WORK/chk"
		exit 1
	fi
}

# fail CONTENDER WHY: the contender is FAILED at this N; say why once.
fail() {
	FAILED_ANY=1
	if [ ! -f "$RES/$1.$N.failed" ]; then
		printf '%s\n' "$2" > "$RES/$1.$N.failed"
		say "  $1 N=$N: FAILED: $2"
	fi
}

# cycle CONTENDER REP: up, check, down, check. REP 0 is the untimed warm-up. Returns 1 when
# the contender failed.
cycle() {
	c=$1 rep=$2
	gflag=
	[ "$c" = jnet-lab ] && gflag=-g         # a lab removes its own jails
	[ "$rep" -eq 0 ] && BJ_WRAP="$RSS -o $WORK/jrss.$c.up --" || BJ_WRAP=
	export BJ_WRAP
	phase "$c" up
	st=$?
	if [ $st -ne 0 ]; then
		fail "$c" "up exited $st: $(tail -n 3 "$WORK/out" | tr '\n' ' ')"
		force_clean
		return 1
	fi
	read -r up_ns up_kb < "$WORK/m"
	if ! "$CHECK" up < "$WORK/spec.$c" >"$WORK/chk" 2>&1; then
		fail "$c" "wrong end state after up: $(head -n 4 "$WORK/chk" | tr '\n' ' ')"
		phase "$c" down
		force_clean
		return 1
	fi
	[ "$rep" -eq 0 ] && BJ_WRAP="$RSS -o $WORK/jrss.$c.down --" || BJ_WRAP=
	export BJ_WRAP
	phase "$c" down
	st=$?
	if [ $st -ne 0 ]; then
		fail "$c" "down exited $st: $(tail -n 3 "$WORK/out" | tr '\n' ' ')"
		force_clean
		return 1
	fi
	read -r down_ns down_kb < "$WORK/m"
	if ! "$CHECK" $gflag down < "$WORK/spec.$c" >"$WORK/chk" 2>&1; then
		fail "$c" "wrong end state after down: $(head -n 4 "$WORK/chk" | tr '\n' ' ')"
		force_clean
		return 1
	fi
	echo "$up_kb" >> "$RES/$c.$N.rss"
	echo "$down_kb" >> "$RES/$c.$N.rss"
	[ "$rep" -eq 0 ] && return 0
	echo "$up_ns" >> "$RES/$c.$N.up"
	echo "$down_ns" >> "$RES/$c.$N.down"
	[ -n "$RAW" ] && echo "$c $N $rep $up_ns $down_ns $up_kb $down_kb" >> "$RAW"
	return 0
}

# count_requests CONTENDER: the netlink messages one up and one down send, and the netlink
# reply bytes they receive (the sum of what recvmsg/recvfrom return: a dump or any listing
# of the host shows up there), counted with strace (untimed); prints two lines per phase and
# keeps the bytes per jail in $RES/CONTENDER.N.PHASE.rbytes. strace cannot name the type of
# a message sent on a socket made in another namespace (it shows 0x10 for RTM_NEWLINK
# there), so messages are counted by their headers and the types are shown as strace prints
# them.
count_requests() {
	c=$1
	for ph in up down; do
		case $c in
		floor)
			if [ $ph = up ]; then set -- "$FLOOR" -j bj -b bjbr -P "$PERBR" up "$N"
			else set -- "$FLOOR" down; fi ;;
		jnet-addm) set -- sh "$HERE/jnet.sh" "addm-$ph" "$LIST" ;;
		jnet-batch) set -- sh "$HERE/jnet.sh" "batch-$ph" "$LIST" ;;
		jnet-lab) set -- sh "$HERE/jnet.sh" "lab-$ph" "$LABFILE" ;;
		esac
		BJ_WRAP= strace -f -qq -s 65536 -e trace=sendto,sendmsg,recvmsg,recvfrom -e signal=none \
		    -o "$WORK/strace.$ph" "$@" >/dev/null 2>&1 || return 1
		if [ $ph = up ]; then
			"$CHECK" up < "$WORK/spec.$c" >/dev/null 2>&1 || return 1
		fi
	done
	"$CHECK" down < "$WORK/spec.base" >/dev/null 2>&1 || { force_clean; return 1; }
	for ph in up down; do
		awk -v c="$c" -v n="$N" -v ph="$ph" -v rb="$RES/$c.$N.$ph.rbytes" '
		/^[0-9]+ +recv(msg|from)\(/ {
			recvs++
			if ($NF ~ /^[0-9]+$/) bytes += $NF
			next
		}
		/^[0-9]+ +send(to|msg)\(/ && /nlmsg_len=/ {
			sends++
			line = $0
			while (match(line, /nlmsg_type=[A-Za-z0-9_]+/)) {
				t[substr(line, RSTART + 11, RLENGTH - 11)]++
				msgs++
				line = substr(line, RSTART + RLENGTH)
			}
		}
		END {
			s = ""
			for (k in t) s = s sprintf(" %s %.2f", k, t[k] / n)
			printf "  netlink messages per jail (%s %s, N=%d, strace): %.2f in %.2f sends;%s\n",
			    c, ph, n, msgs / n, sends / n, s
			printf "  netlink reply bytes received per jail (%s %s, N=%d, strace): %.1f in %.2f receives\n",
			    c, ph, n, bytes / n, recvs / n
			printf "%.1f\n", bytes / n > rb
		}' "$WORK/strace.$ph"
	done
}

# checker_selftest: the end-state check must refuse wrong states, or the benchmark would
# time wrong answers. Builds a right state with the floor, breaks it thirteen ways, and
# expects a refusal each time (untimed; needs the floor and N >= 2).
checker_selftest() {
	spec=$WORK/spec.floor
	bad=$WORK/spec.bad
	"$FLOOR" -j bj -b bjbr -P "$PERBR" up "$N" >"$WORK/out" 2>&1 || { cat "$WORK/out"; return 1; }
	"$CHECK" up < "$spec" >"$WORK/chk" 2>&1 || { echo "the right state was refused:"; cat "$WORK/chk"; return 1; }
	st=0
	expect_refusal() {      # WHAT MODE SPECFILE
		if "$CHECK" "$2" < "$3" >"$WORK/chk" 2>&1; then
			echo "not refused: $1"
			st=1
		fi
	}
	awk 'NR == 2 { $3 = "02:00:00:00:00:01" } { print }' "$spec" > "$bad"
	expect_refusal "a jail end with another MAC" up "$bad"
	ip -n bj1 link set eth0 down && expect_refusal "a jail end down" up "$spec"
	ip -n bj1 link set eth0 up
	ip link set bjh0 nomaster && expect_refusal "a host end off its bridge" up "$spec"
	ip link set bjh0 master bjbr0
	ip link add bjx0 type veth peer name bjx1 && expect_refusal "a stray veth on the host" up "$spec"
	ip link del bjx0
	"$CHECK" up < "$spec" >/dev/null 2>&1 || { echo "the repaired state was refused"; st=1; }
	checker_selftest_cni
	"$FLOOR" down >/dev/null 2>&1
	ip -n bj0 link add bjx0 type veth peer name bjx1 &&
	    expect_refusal "interfaces left in a jail after down" down "$spec"
	ip -n bj0 link del bjx0
	"$CHECK" down < "$spec" >/dev/null 2>&1 || { echo "the clean state was refused"; st=1; }
	return $st
}

# checker_selftest_cni: the columns the CNI contenders use (ADDR, HOSTNAME, HOSTTAG), on the
# floor's state (jail ends eth0, host ends bjhK): eight wrong states refused, two right ones
# (addresses, jnet tags) accepted. Uses expect_refusal and $spec, $bad, $st of the caller.
checker_selftest_cni() {
	hl=$WORK/spec.hl
	jails() { awk '{ k = substr($1, 14); print "bj" k, k }' "$spec"; }
	# Jail K holds 10.HI.LO.2 (K = HI*256 + LO): one of 10.0.0.0/8 each, all distinct.
	awk '{ $6 = "10.0.0.0/8"; print }' "$spec" > "$hl"
	expect_refusal "a jail end without its address" up "$hl"
	jails | while read -r ns k; do
		ip -n "$ns" addr add "10.$((k / 256)).$((k % 256)).2/8" dev eth0
	done
	"$CHECK" up < "$hl" >"$WORK/chk" 2>&1 ||
	    { echo "jail ends with their addresses were refused:"; cat "$WORK/chk"; st=1; }
	expect_refusal "an address where none is expected" up "$spec"
	ip -n bj1 addr flush dev eth0 && ip -n bj1 addr add 10.0.0.2/8 dev eth0 &&
	    expect_refusal "two jails holding one address" up "$hl"
	ip -n bj1 addr flush dev eth0 && ip -n bj1 addr add 11.0.0.2/8 dev eth0 &&
	    expect_refusal "an address outside the subnet" up "$hl"
	ip -n bj1 addr add 10.0.1.2/8 dev eth0 &&
	    expect_refusal "two addresses on a jail end" up "$hl"
	jails | while read -r ns k; do ip -n "$ns" addr flush dev eth0; done
	awk '{ $6 = "-"; $7 = "veth*"; print }' "$spec" > "$bad"
	expect_refusal "a host end not matching the name pattern" up "$bad"
	awk '{ $6 = "-"; $7 = "bjh*"; $8 = "jnet"; print }' "$spec" > "$bad"
	expect_refusal "host ends without a jnet tag" up "$bad"
	jails | awk '{ print "link set bjh" $2 " alias", "\"jnet/2 link netns " $2 " a " $1 "\"" }' |
	    ip -batch - && ip link set bjh1 alias "jnet/2 bridge netns -" &&
	    expect_refusal "a host end tagged as something else than a link" up "$bad"
	ip link set bjh1 alias "jnet/2 link netns 1 a bj1"
	"$CHECK" up < "$bad" >"$WORK/chk" 2>&1 ||
	    { echo "host ends with jnet tags were refused:"; cat "$WORK/chk"; st=1; }
}

# ---- reporting ----
median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
maxof() {
	sort -n "$1" | tail -n 1
}
# per-jail median in ms of contender C at N for up|down, or empty
perjail() {
	[ -s "$RES/$1.$2.$3" ] && [ ! -f "$RES/$1.$2.failed" ] || return 0
	median "$RES/$1.$2.$3" | awk -v n="$2" '{ printf "%.3f", $1 / 1e6 / n }'
}

report() {
	say ""
	say "== results: medians over $REPS timed run(s); times in ms; ratios are per-jail time / floor's =="
	printf '%-10s %5s %10s %8s %10s %8s %9s %8s %8s\n' contender N "up total" "up/jail" \
	    "down total" "dn/jail" "peak KiB" "up/flr" "dn/flr"
	for n in $NS; do
		for c in $INCLUDED; do
			if [ -f "$RES/$c.$n.failed" ]; then
				printf '%-10s %5s FAILED: %s\n' "$c" "$n" "$(cat "$RES/$c.$n.failed")"
				continue
			fi
			[ -s "$RES/$c.$n.up" ] || continue
			up=$(median "$RES/$c.$n.up") dn=$(median "$RES/$c.$n.down")
			kb=$(maxof "$RES/$c.$n.rss")
			fu=$(perjail floor "$n" up) fd=$(perjail floor "$n" down)
			awk -v c="$c" -v n="$n" -v up="$up" -v dn="$dn" -v kb="$kb" -v fu="$fu" -v fd="$fd" 'BEGIN {
				upj = up / 1e6 / n; dnj = dn / 1e6 / n
				ru = fu != "" && fu > 0 ? sprintf("%.2f", upj / fu) : "-"
				rd = fd != "" && fd > 0 ? sprintf("%.2f", dnj / fd) : "-"
				printf "%-10s %5d %10.1f %8.3f %10.1f %8.3f %9d %8s %8s\n",
				    c, n, up / 1e6, upj, dn / 1e6, dnj, kb, ru, rd
			}'
		done
	done
	say ""
	say "peak KiB: the largest resident set of any process the contender ran (wait4 ru_maxrss"
	say "over its process tree; for the shell contenders that includes /bin/sh)."
}

# speedup A B N up|down: B's per-jail time / A's, or empty
speedup() {
	a=$(perjail "$1" "$3" "$4") b=$(perjail "$2" "$3" "$4")
	[ -n "$a" ] && [ -n "$b" ] || return 0
	awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.2f", b / a }'
}

# target TEXT VALUE OP LIMIT: print PASS/FAIL for VALUE OP LIMIT, or "not evaluated"
target() {
	if [ -z "$2" ]; then
		say "  [n/a ] $1: not evaluated ($5)"
		return
	fi
	if awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !(op == ">=" ? v >= l : v <= l) }'; then
		say "  [PASS] $1: $2 (target $3 $4)"
	else
		say "  [FAIL] $1: $2 (target $3 $4)"
	fi
}

report_jnet() {
	case "$INCLUDED" in *jnet*) ;; *) return ;; esac
	say ""
	say "== jnet =="
	for c in jnet-addm jnet-batch jnet-lab jnet-cni jnet-cni-hl; do
		case " $INCLUDED " in *" $c "*) ;; *) continue ;; esac
		for n in $NS; do
			line="  $c N=$n per-jail speed-up (other/jnet):"
			for o in floor ipscript ipbatch cni cni-hl jnet-addm; do
				[ "$o" = "$c" ] && continue
				u=$(speedup "$c" "$o" "$n" up) d=$(speedup "$c" "$o" "$n" down)
				[ -n "$u" ] && line="$line $o up ${u}x down ${d}x;"
			done
			case $line in *x\;) say "$line" ;; esac
		done
	done
	for c in jnet-addm jnet-batch jnet-lab; do
		for ph in up down; do
			[ -s "$WORK/jrss.$c.$ph" ] && ! ls "$RES/$c".*.failed >/dev/null 2>&1 || continue
			say "  peak RSS of one jnet process ($c $ph): $(awk '$2 > m { m = $2 } END { print m }' "$WORK/jrss.$c.$ph") KiB"
		done
	done
	[ -n "$REQS" ] && printf '%s' "$REQS"
	say ""
	say "targets (issue 6):"
	n1=100 n5=500 n10=1000
	target "jnet addm up at N=100, speed-up over the ip script (x)" \
	    "$(speedup jnet-addm ipscript $n1 up)" ">=" 10 "needs jnet-addm and ipscript at N=100"
	target "jnet addm up at N=100, speed-up over the CNI bridge plugin (x)" \
	    "$(speedup jnet-addm cni $n1 up)" ">=" 2.5 "needs jnet-addm and cni at N=100"
	r=$(speedup floor jnet-batch $n5 up)
	target "jnet -f of N addm lines at N=500, per jail / floor's (issue 15)" "$r" "<=" 1.3 \
	    "needs jnet-batch and floor at N=500"
	r=$(speedup floor jnet-lab $n5 up)
	target "jnet lab up at N=500, time / floor's" "$r" "<=" 1.25 "needs jnet-lab and floor at N=500"
	r=$(speedup floor jnet-lab $n5 down)
	target "jnet lab down at N=500, time / floor's" "$r" "<=" 1.25 "needs jnet-lab and floor at N=500"
	a=$(perjail jnet-lab $n1 up) b=$(perjail jnet-lab $n10 up)
	r=
	[ -n "$a" ] && [ -n "$b" ] && r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')
	target "jnet lab up per jail, N=1000 / N=100" "$r" "<=" 1.3 "needs jnet-lab at N=100 and N=1000"
	a=$(perjail floor $n1 up) b=$(perjail floor $n10 up)
	[ -n "$a" ] && [ -n "$b" ] &&
	    say "         (for scale, the floor's own up per jail, N=1000 / N=100: $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }'))"
	# One `ip link del` of a veth is one device deletion, i.e. one RCU wait: jnet destroy should
	# cost no more than that per jail.
	r=
	for n in $NS; do
		a=$(perjail jnet-addm "$n" down) b=$(perjail ipscript "$n" down)
		[ -n "$a" ] && [ -n "$b" ] && r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }') && break
	done
	target "jnet destroy per jail / ip link del per jail (one kernel wait each)" "$r" "<=" 1.25 \
	    "needs jnet-addm and ipscript"
	say "targets (issue 15):"
	a=$(perjail jnet-addm $n1 up) b=$(perjail jnet-addm $n10 up)
	r=
	[ -n "$a" ] && [ -n "$b" ] && r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')
	target "jnet addm up per jail, N=1000 / N=100" "$r" "<=" 1.3 "needs jnet-addm at N=100 and N=1000"
	for n in $NS; do
		[ "$n" -le $n10 ] || continue
		target "jnet addm up at N=$n, speed-up over the ip script (x)" \
		    "$(speedup jnet-addm ipscript "$n" up)" ">=" 10 "needs jnet-addm and ipscript at N=$n"
		target "jnet addm up at N=$n, speed-up over the CNI bridge plugin (x)" \
		    "$(speedup jnet-addm cni "$n" up)" ">=" 3 "needs jnet-addm and cni at N=$n"
	done
	for ph in up down; do
		[ $ph = up ] && what=addm || what=destroy
		a= b= r=
		[ -s "$RES/jnet-addm.$n1.$ph.rbytes" ] && a=$(cat "$RES/jnet-addm.$n1.$ph.rbytes")
		[ -s "$RES/jnet-addm.$n10.$ph.rbytes" ] && b=$(cat "$RES/jnet-addm.$n10.$ph.rbytes")
		[ -n "$a" ] && [ -n "$b" ] &&
		    r=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.3f", b / a }')
		target "netlink reply bytes per $what, N=1000 / N=100 (the same within 10%)" "$r" "<=" 1.1 \
		    "needs jnet-addm counted (strace) at N=100 and N=1000"
	done
}

# report_cni_targets: issue 11's goals for jnet as a CNI plugin against the reference bridge
# plugin, same config, same run: ADD >= 3x faster (median per jail, N=100 and N=500), DEL no
# slower, without IPAM (jnet-cni vs cni) and with host-local (jnet-cni-hl vs cni-hl).
report_cni_targets() {
	say ""
	say "targets (issue 11):"
	for v in "jnet-cni cni no IPAM" "jnet-cni-hl cni-hl host-local"; do
		set -- $v
		j=$1 r=$2
		shift 2
		for n in 100 500; do
			target "jnet CNI ADD per jail vs reference bridge plugin, $*, N=$n, speed-up (x)" \
			    "$(speedup "$j" "$r" $n up)" ">=" 3 "needs $j and $r at N=$n"
			target "jnet CNI DEL per jail vs reference bridge plugin, $*, N=$n, speed-up (x; no slower)" \
			    "$(speedup "$j" "$r" $n down)" ">=" 1 "needs $j and $r at N=$n"
		done
	done
}

# ---- the run ----
INCLUDED= NOTES= LABFILE= REQS= SELFTESTED=
MAXN=0
for n in $NS; do [ "$n" -gt $MAXN ] && MAXN=$n; done
setup "$MAXN"

for c in $ONLY; do
	case $c in
	floor | floor6)
		if [ -n "$FLOOR" ] && [ -x "$FLOOR" ]; then INCLUDED="$INCLUDED $c"
		else NOTES="${NOTES}$c not included: no --floor binary
"; fi ;;
	ipscript | ipbatch)
		INCLUDED="$INCLUDED $c" ;;
	cni | cni-hl)
		if [ ! -x "${CNI_PLUGIN:-/usr/lib/cni/bridge}" ]; then
			NOTES="${NOTES}$c not included: ${CNI_PLUGIN:-/usr/lib/cni/bridge} not found (Debian: containernetworking-plugins)
"
		elif [ "$c" = cni-hl ] && [ ! -x /usr/lib/cni/host-local ]; then
			NOTES="${NOTES}$c not included: /usr/lib/cni/host-local not found (Debian: containernetworking-plugins)
"
		else INCLUDED="$INCLUDED $c"; fi ;;
	jnet-addm | jnet-batch | jnet-lab | jnet-cni | jnet-cni-hl)
		why=
		if [ -z "$JNET" ]; then
			why="no --jnet PATH given"
		elif [ ! -x "$JNET" ]; then
			why="$JNET is not an executable"
		elif [ "$c" = jnet-addm ] &&
		    ! { "$JNET" help addm && "$JNET" help destroy && "$JNET" help name; } >/dev/null 2>&1; then
			why="$JNET has no addm/destroy/name verbs"
		elif [ "$c" = jnet-batch ] && ! printf '# probe\n' | "$JNET" -f - >/dev/null 2>&1; then
			why="$JNET has no batch mode (-f)"
		elif [ "$c" = jnet-lab ] && ! lab_probe; then
			why=$LAB_PROBE_WHY
		elif [ "${c#jnet-cni}" != "$c" ] && ! cni_probe; then
			why="$JNET has no CNI mode (CNI_COMMAND=VERSION prints no supportedVersions)"
		elif [ "$c" = jnet-cni-hl ] && [ ! -x /usr/lib/cni/host-local ]; then
			why="/usr/lib/cni/host-local not found (Debian: containernetworking-plugins)"
		fi
		if [ -n "$why" ]; then NOTES="$NOTES$c not included: $why
"
		else INCLUDED="$INCLUDED $c"; fi ;;
	esac
done
[ -n "$INCLUDED" ] || { say "run.sh: no contender to run"; exit 1; }

say "== jnet benchmark: N jails get a veth on a bridge (jail end eth0 in its netns, fixed MAC, both ends up), then all is removed =="
say "machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
say "tools: $(ip -V 2>&1 | head -n 1); cni plugins $(dpkg-query -W -f '${Version}' containernetworking-plugins 2>/dev/null || echo '?')${JNET:+; $("$JNET" version 2>/dev/null || echo jnet)}"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows up as noise)"
say "run: N = $NS, $REPS timed repetition(s)$( [ $WARMUP = 1 ] && echo ' after one untimed warm-up cycle'), contenders interleaved; $PERBR jails per bridge"
say "contenders:$INCLUDED"
[ -n "$NOTES" ] && printf '%s' "$NOTES"
case " $INCLUDED " in *" cni "* | *" cni-hl "*)
	say "note: cni sets the jail end's MAC (runtimeConfig.mac); it cannot set the host end's MAC (kernel-random)." ;;
esac
case " $INCLUDED " in *"-hl "*)
	say "note: the -hl contenders give every jail end an IPv4 address with host-local (one /21 per bridge); the others set none." ;;
esac
case " $INCLUDED " in *" jnet-lab "*)
	say "note: jnet-lab also creates and removes the jails' namespaces (a lab owns its jails); the others find them made." ;;
esac

for N in $NS; do
	export N
	LIST=$WORK/list.$N
	list_for "$N" > "$LIST"
	awk '{ print "/run/netns/" $2, "*", "*", $5, "*" }' "$LIST" > "$WORK/spec.base"
	LABFILE=
	case " $INCLUDED " in *" jnet-lab "*)
		LABFILE=$WORK/lab.$N.yaml
		sh "$HERE/jnet.sh" lab-generate "$LIST" bench > "$LABFILE" ;;
	esac
	for c in $INCLUDED; do
		spec_for "$c" "$LIST" > "$WORK/spec.$c"
	done
	say ""
	say "-- N=$N --"
	if [ -z "$SELFTESTED" ] && [ "$N" -ge 2 ] && case " $INCLUDED " in *" floor "*) true ;; *) false ;; esac; then
		SELFTESTED=1
		if ! checker_selftest > "$WORK/selftest" 2>&1; then
			say "run.sh: the end-state checker accepted a wrong state; stopping:"
			cat "$WORK/selftest"
			exit 1
		fi
		say "  end-state checker self-test: 13 broken states refused, right states accepted"
	fi
	if [ "$WARMUP" = 1 ]; then
		for c in $INCLUDED; do
			cycle "$c" 0
		done
		WARMUP=0        # once per run: it warms caches and measures jnet's RSS
	fi
	rep=1
	while [ $rep -le "$REPS" ]; do
		# Interleave, and rotate the order every repetition.
		order= rest= i=0
		for c in $INCLUDED; do
			if [ $i -lt $(( (rep - 1) % $(echo $INCLUDED | wc -w) )) ]; then rest="$rest $c"
			else order="$order $c"; fi
			i=$((i + 1))
		done
		for c in $order $rest; do
			[ -f "$RES/$c.$N.failed" ] && continue
			cycle "$c" "$rep"
		done
		printf '  repetition %d/%d done\n' "$rep" "$REPS"
		rep=$((rep + 1))
	done
	# At every N: the reply bytes per addm and per destroy must not grow with N.
	if [ "$STRACE" = 1 ] && command -v strace >/dev/null 2>&1; then
		for c in floor jnet-addm jnet-batch jnet-lab; do
			case " $INCLUDED " in *" $c "*) ;; *) continue ;; esac
			[ -f "$RES/$c.$N.failed" ] && continue
			if r=$(count_requests "$c") && [ -n "$r" ]; then
				REQS="$REQS$r
"
			else
				REQS="$REQS  netlink requests ($c): could not be counted
"
			fi
		done
	fi
done

report
report_jnet
case " $INCLUDED " in *cni*) report_cni_targets ;; esac
if [ "$FAILED_ANY" -ne 0 ]; then
	say ""
	say "run.sh: at least one contender FAILED its end-state check (see above)"
	exit 1
fi
exit 0
