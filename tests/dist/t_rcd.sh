# The FreeBSD rc.d script (docs/dist/freebsd-port/net/jnet/files/jnet.in), on Linux:
#   1. lint: sh -n with every POSIX shell here, shellcheck when installed;
#   2. the rcorder(8) header: PROVIDE jnet, REQUIRE NETWORKING, BEFORE jail, KEYWORD shutdown
#      (so rc runs it before jail at boot and, in reverse, after jail at shutdown);
#   3. its logic, run under tests/dist/rc.subr.standin (a STAND-IN for FreeBSD's rc.subr,
#      see its header) with a fake jnet recording its calls, the way service(8) runs it
#      (env -i). tests/freebsd/service_real.sh runs it with the real rc.subr on FreeBSD.
. "$(dirname "$0")/lib.sh"
SRC=$DIST/freebsd-port/net/jnet/files/jnet.in
STANDIN=$(cd "$(dirname "$0")" && pwd)/rc.subr.standin

# 1. Lint.
for sh in dash bash busybox; do
	command -v $sh >/dev/null 2>&1 || continue
	case $sh in busybox) set -- busybox sh -n ;; bash) set -- bash --posix -n ;; *) set -- $sh -n ;; esac
	t "$sh -n" "$@" "$SRC"
done
if command -v shellcheck >/dev/null 2>&1; then
	# Left out: SC1091 (/etc/rc.subr is not here), SC2034 (name, rcvar, *_cmd... are read by
	# rc.subr), SC2154 (rc_flags is set by rc.subr), SC3043 (FreeBSD's sh has local).
	t "shellcheck" shellcheck -s sh -e SC1091,SC2034,SC2154,SC3043 "$SRC"
else
	echo "NOTE: shellcheck not installed: lint by sh -n only"
fi

# 2. The header rcorder(8) reads.
t "PROVIDE: jnet" has "$SRC" "# PROVIDE: jnet"
t "REQUIRE: NETWORKING" grep -Eq '^# REQUIRE:( .*)? NETWORKING( |$)' "$SRC"
t "BEFORE: jail" grep -Eq '^# BEFORE:( .*)? jail( |$)' "$SRC"
t "KEYWORD: shutdown" grep -Eq '^# KEYWORD:( .*)? shutdown( |$)' "$SRC"
eq "the only port substitution is %%PREFIX%%" "%%PREFIX%%" \
    "$(grep -o '%%[A-Z_]*%%' "$SRC" | sort -u | tr '\n' ' ' | sed 's/ $//')"

# 3. Logic. The script as the port installs it (%%PREFIX%% substituted), reading the
# stand-in instead of /etc/rc.subr.
P=$TMP/prefix
mkdir -p "$P/sbin" "$TMP/rc.conf.d"
LOG=$TMP/calls
cat >"$P/sbin/jnet" <<'FAKE'
#!/bin/sh
# fake jnet: records its arguments; fails when they match $FAKE_FAIL (an ERE)
echo "$*" >>"$FAKE_LOG"
case "$*" in *"lab status "*) echo "status of ${*##* }" ;; esac
[ -n "$FAKE_FAIL" ] && echo "$*" | grep -Eq -- "$FAKE_FAIL" && exit 1
exit 0
FAKE
chmod +x "$P/sbin/jnet"
sed -e "s|%%PREFIX%%|$P|g" -e "s|^\. /etc/rc.subr\$|. $STANDIN|" "$SRC" >"$TMP/jnet"
eq "the script sources /etc/rc.subr" 1 "$(grep -c "^\. $STANDIN\$" "$TMP/jnet")"
chmod +x "$TMP/jnet"
FAKE_FAIL=

# conf LINES...: the rc.conf; svc ARG...: run the script as service(8) does.
conf() { printf '%s\n' "$@" >"$TMP/rc.conf"; }
svc() {
	: >"$LOG"
	env -i PATH=/usr/bin:/bin RC_CONF="$TMP/rc.conf" RC_CONF_D="$TMP/rc.conf.d" \
	    FAKE_LOG="$LOG" FAKE_FAIL="$FAKE_FAIL" sh "$TMP/jnet" "$@"
}
calls() { tr '\n' ';' <"$LOG"; }

L="/l/a.yaml /l/b.yaml /l/c.yaml"

# Disabled: nothing runs (boot and shutdown use faststart/faststop, by hand start/stop).
conf 'jnet_labs="'"$L"'"'
for arg in start stop restart faststart faststop quietstart gc; do
	t "disabled: $arg succeeds" svc $arg
	eq "disabled: $arg calls nothing" "" "$(calls)"
done
svc start >"$TMP/o" 2>&1
t "disabled: start says how to enable" grep -q "Set jnet_enable to YES" "$TMP/o"
svc faststart >"$TMP/o" 2>&1
eq "disabled: faststart (boot) is silent" "" "$(cat "$TMP/o")"
conf 'jnet_enable="NO"' 'jnet_labs="'"$L"'"'
svc start >/dev/null 2>&1
eq "jnet_enable=NO: start calls nothing" "" "$(calls)"

# one*: runs although disabled.
t "onestart" svc onestart
eq "onestart: gc, then each lab up in order" \
    "gc;lab up /l/a.yaml;lab up /l/b.yaml;lab up /l/c.yaml;" "$(calls)"
t "onestop" svc onestop
eq "onestop: each lab down in reverse order" \
    "lab down /l/c.yaml;lab down /l/b.yaml;lab down /l/a.yaml;" "$(calls)"

# Enabled.
for v in YES yes true ON 1; do
	conf "jnet_enable=\"$v\"" 'jnet_labs="'"$L"'"'
	svc faststart >/dev/null
	eq "jnet_enable=$v: faststart (boot) runs gc and the labs" \
	    "gc;lab up /l/a.yaml;lab up /l/b.yaml;lab up /l/c.yaml;" "$(calls)"
done
t "start" svc start
eq "start: gc first, then the labs in order" \
    "gc;lab up /l/a.yaml;lab up /l/b.yaml;lab up /l/c.yaml;" "$(calls)"
t "faststop (shutdown)" svc faststop
eq "faststop: labs down in reverse order, no gc" \
    "lab down /l/c.yaml;lab down /l/b.yaml;lab down /l/a.yaml;" "$(calls)"
t "restart" svc restart
eq "restart: stop then start" \
    "lab down /l/c.yaml;lab down /l/b.yaml;lab down /l/a.yaml;gc;lab up /l/a.yaml;lab up /l/b.yaml;lab up /l/c.yaml;" \
    "$(calls)"
svc status >"$TMP/o" 2>&1; st=$?
eq "status: exit 0 when every lab is complete" 0 $st
eq "status: lab status for each lab" \
    "lab status /l/a.yaml;lab status /l/b.yaml;lab status /l/c.yaml;" "$(calls)"
t "status: prints what jnet lab status says" grep -qx "status of /l/b.yaml" "$TMP/o"
t "gc (extra command)" svc gc
eq "gc: jnet gc" "gc;" "$(calls)"
svc gc --min-age 0 >/dev/null
eq "gc passes its arguments" "gc --min-age 0;" "$(calls)"
svc extracommands >"$TMP/o"
t "extracommands lists gc and status" grep -Eq '(^| )gc( |$).*status|status.*(^| )gc( |$)' "$TMP/o"
tf "an unknown directive is refused with the usage" 1 "Usage: .*gc" svc frobnicate

# A lab that fails: the others still come up, the exit status says so.
FAKE_FAIL='^lab up /l/b.yaml$'
svc start >/dev/null 2>&1; eq "start with a failing lab exits 1" 1 $?
eq "start with a failing lab: the next labs still come up" \
    "gc;lab up /l/a.yaml;lab up /l/b.yaml;lab up /l/c.yaml;" "$(calls)"
FAKE_FAIL='^gc$'
svc start >/dev/null 2>&1; eq "start with a failing gc exits 1" 1 $?
eq "start with a failing gc: the labs still come up" \
    "gc;lab up /l/a.yaml;lab up /l/b.yaml;lab up /l/c.yaml;" "$(calls)"
FAKE_FAIL='^lab down /l/c.yaml$'
svc stop >/dev/null 2>&1; eq "stop with a failing lab exits 1" 1 $?
eq "stop with a failing lab: the others still go down" \
    "lab down /l/c.yaml;lab down /l/b.yaml;lab down /l/a.yaml;" "$(calls)"
FAKE_FAIL='^lab status /l/a.yaml$'
svc status >/dev/null 2>&1; eq "status with an incomplete lab exits 1" 1 $?
eq "status with an incomplete lab: every lab reported" \
    "lab status /l/a.yaml;lab status /l/b.yaml;lab status /l/c.yaml;" "$(calls)"
FAKE_FAIL=

# jnet_gc=NO, jnet_flags, no labs, rc.conf.d/jnet.
conf 'jnet_enable="YES"' 'jnet_labs="/l/a.yaml"' 'jnet_gc="NO"'
svc start >/dev/null
eq "jnet_gc=NO: no gc at start" "lab up /l/a.yaml;" "$(calls)"
conf 'jnet_enable="YES"' 'jnet_labs="/l/a.yaml"' 'jnet_flags="-t netgraph -H /h"'
svc start >/dev/null
eq "jnet_flags go before every command" \
    "-t netgraph -H /h gc;-t netgraph -H /h lab up /l/a.yaml;" "$(calls)"
svc stop >/dev/null
eq "jnet_flags at stop" "-t netgraph -H /h lab down /l/a.yaml;" "$(calls)"
conf 'jnet_enable="YES"'
svc start >/dev/null
eq "no labs: start runs gc only" "gc;" "$(calls)"
svc stop >/dev/null
eq "no labs: stop runs nothing" "" "$(calls)"
svc status >"$TMP/o"; st=$?
eq "no labs: status exits 0" 0 $st
t "no labs: status says so" grep -q "no labs in jnet_labs" "$TMP/o"
conf
printf '%s\n' 'jnet_enable="YES"' 'jnet_labs="/d/x.yaml"' >"$TMP/rc.conf.d/jnet"
svc start >/dev/null
eq "rc.conf.d/jnet is read" "gc;lab up /d/x.yaml;" "$(calls)"

finish
