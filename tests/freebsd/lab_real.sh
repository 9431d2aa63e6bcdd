# jnet lab on a real FreeBSD kernel (epair backend): up router.yaml, ping across the router
# from inside a jail, down, nothing left. Needs FreeBSD, root, VIMAGE; else exit 77 (skip).
set -u
: "${JNET:?JNET must point at jnet}"
skip() { echo "SKIP: $*"; exit 77; }
[ "$(uname -s)" = FreeBSD ] || skip "needs FreeBSD (this is $(uname -s))"
[ "$(id -u)" -eq 0 ] || skip "needs root"
[ "$(sysctl -n kern.features.vimage 2>/dev/null)" = 1 ] || skip "kernel without VIMAGE"
EX=$(cd "$(dirname "$0")/../../examples/labs" && pwd)
F=$EX/router.yaml
fail=0
ck() { d=$1; shift; if "$@"; then echo "ok: $d"; else echo "FAIL: $d"; fail=1; fi; }
trap '"$JNET" -t epair lab down -n router >/dev/null 2>&1' EXIT
jls -N name 2>/dev/null | grep -q '^router' && skip "a jail named router* exists already"
ck "up" "$JNET" -t epair lab up "$F"
ck "status complete" "$JNET" -t epair lab status "$F"
ck "a1 -> b1 across the router (IPv4)" jexec router.a1 ping -c 2 -t 3 10.0.2.11
ck "a1 -> b1 across the router (IPv6)" jexec router.a1 ping -6 -c 2 -t 3 fd00:0:0:2::11
ck "lab exec passes the status" sh -c "\"$JNET\" -t epair lab exec \"$F\" a1 -- sh -c 'exit 5'; [ \$? -eq 5 ]"
ck "down" "$JNET" -t epair lab down "$F"
ck "no jail left" sh -c '! jls -d -N name | grep -q "^router"'
ck "no interface left" sh -c '! ifconfig -l | tr " " "\n" | grep -q "router_lan"'
exit $fail
