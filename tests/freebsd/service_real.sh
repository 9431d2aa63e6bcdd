# The rc.d script (docs/dist/freebsd-port/net/jnet/files/jnet.in) under FreeBSD's own
# rc.subr, rcorder and service(8), with a temporary lab: rcorder puts jnet before jail;
# service jnet onestart brings the lab up, onestatus reports it, onestop takes it down;
# plain start does nothing while jnet_enable is unset. Needs FreeBSD, root, VIMAGE, and no
# jnet rc.d script or rc.conf.d/jnet of the admin's (neither is replaced): else exit 77.
set -u
: "${JNET:?JNET must point at jnet}"
skip() { echo "SKIP: $*"; exit 77; }
[ "$(uname -s)" = FreeBSD ] || skip "needs FreeBSD (this is $(uname -s)); tests/dist/t_rcd.sh checks the script's logic under an rc.subr stand-in"
[ "$(id -u)" -eq 0 ] || skip "needs root"
[ "$(sysctl -n kern.features.vimage 2>/dev/null)" = 1 ] || skip "kernel without VIMAGE"
RCD=/usr/local/etc/rc.d/jnet CONF=/etc/rc.conf.d/jnet
[ -e "$RCD" ] || [ -e /etc/rc.d/jnet ] && skip "a jnet rc.d script is installed already (not replaced)"
[ -e "$CONF" ] && skip "$CONF exists (the admin's; not replaced)"
jls -N name 2>/dev/null | grep -q '^svct\.' && skip "a jail named svct.* exists already"
SRC=$(cd "$(dirname "$0")/../../docs/dist/freebsd-port/net/jnet/files" && pwd)/jnet.in
T=$(mktemp -d)
fail=0
ck() { d=$1; shift; if "$@"; then echo "ok: $d"; else echo "FAIL: $d"; fail=1; fi; }
cleanup() {
	"$JNET" -t epair lab down "$T/svct.yaml" >/dev/null 2>&1
	rm -f "$RCD" "$CONF"
	rm -rf "$T"
}
trap cleanup EXIT
mkdir -p "$T/sbin" /usr/local/etc/rc.d /etc/rc.conf.d
ln -s "$JNET" "$T/sbin/jnet"
sed "s|%%PREFIX%%|$T|g" "$SRC" >"$RCD" && chmod 555 "$RCD"
cat >"$T/svct.yaml" <<LAB
lab: svct
bridges:
  lan0: {}
jails:
  a:
    interfaces:
      - { bridge: lan0, address: [10.99.0.1/24] }
  b:
    interfaces:
      - { bridge: lan0, address: [10.99.0.2/24] }
LAB
printf 'jnet_labs="%s"\njnet_flags="-t epair"\n' "$T/svct.yaml" >"$CONF"

order=$(rcorder /etc/rc.d/* /usr/local/etc/rc.d/* 2>/dev/null)
nj=$(echo "$order" | grep -nx "$RCD" | cut -d: -f1)
nl=$(echo "$order" | grep -nx /etc/rc.d/jail | cut -d: -f1)
ck "rcorder: jnet before jail at boot" test -n "$nj" -a -n "$nl" -a "${nj:-0}" -lt "${nl:-0}"
ck "rcorder -k shutdown: both run at shutdown (in reverse: jail, then jnet)" sh -c \
    "rcorder -k shutdown /etc/rc.d/* /usr/local/etc/rc.d/* 2>/dev/null | grep -qx '$RCD' &&
     rcorder -k shutdown /etc/rc.d/* /usr/local/etc/rc.d/* 2>/dev/null | grep -qx /etc/rc.d/jail"
service jnet start >/dev/null 2>&1
ck "start while jnet_enable is unset: no lab" sh -c '! jls -N name | grep -q "^svct\."'
ck "onestart" service jnet onestart
ck "the lab's jails exist" sh -c 'jls -N name | grep -qx svct.a && jls -N name | grep -qx svct.b'
ck "onestatus: the lab is complete" service jnet onestatus
ck "a -> b inside the lab" jexec svct.a ping -c 1 -t 3 10.99.0.2
ck "onestop" service jnet onestop
ck "no lab jail left" sh -c '! jls -d -N name | grep -q "^svct\."'
service jnet onestatus >/dev/null 2>&1
ck "onestatus after onestop: exit 1" test $? -eq 1
exit $fail
