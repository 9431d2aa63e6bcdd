# The install destinations are cache variables, OFF skips a file: a scratch configure of
# the tree with JNET_RCDIR=etc/rc.d (FreeBSD's default, on Linux here), the unit and both
# completions OFF, then `cmake --install` (the jnet of $BUILD copied in, nothing compiled):
# the rc.d script is installed executable with the install prefix substituted, the others
# are not installed.
. "$(dirname "$0")/lib.sh"
: "${BUILD:?BUILD must point at the build directory}" "${CMAKE:=cmake}"
: "${JNET:?JNET must point at jnet}"
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
B=$TMP/b
"$CMAKE" -S "$SRCDIR" -B "$B" -DJNET_TESTS=OFF -DJNET_RCDIR=etc/rc.d -DJNET_SYSTEMD_UNITDIR=OFF \
    -DJNET_BASH_COMPLETIONDIR=OFF -DJNET_ZSH_COMPLETIONDIR=OFF >"$TMP/conf.log" 2>&1 ||
    { cat "$TMP/conf.log"; fail "configure"; finish; exit 1; }
cp "$JNET" "$B/jnet"
DESTDIR=$TMP/d "$CMAKE" --install "$B" --prefix /opt/jn >"$TMP/inst.log" 2>&1 ||
    { cat "$TMP/inst.log"; fail "install"; finish; exit 1; }
R=$TMP/d/opt/jn/etc/rc.d/jnet
t "JNET_RCDIR: the rc.d script is installed" test -f "$R"
t "the rc.d script is executable" test -x "$R"
t "%%PREFIX%% is the install prefix" grep -q '^jnet_bin="/opt/jn/sbin/jnet"$' "$R"
eq "no %%...%% left" "" "$(grep -o '%%[A-Z]*%%' "$R")"
eq "OFF: no unit, no completion" "" \
    "$(cd "$TMP/d" && find . -name 'jnet-lab@*' -o -name _jnet -o -path '*completion*' -type f)"
t "the binary is installed" test -x "$TMP/d/opt/jn/sbin/jnet"
finish
