#!/bin/sh
# cmake --install puts a `jnet` symlink in the CNI plugin directory (JNET_CNI_DIR, default
# lib/cni under the prefix: /usr/lib/cni with --prefix /usr), relative to the installed
# binary, and that symlink answers a runtime's VERSION. Installed into a temporary DESTDIR.
# usage: install.sh BUILD_DIR
set -u
B=$1
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
fail=0
t() { if "$@"; then echo "ok - $DESC"; else echo "not ok - $DESC"; fail=1; fi; }
DESTDIR=$D cmake --install "$B" --prefix /usr >"$D.log" 2>&1 || { cat "$D.log"; exit 1; }
rm -f "$D.log"
DESC="/usr/lib/cni/jnet is a symlink"; t test -L "$D/usr/lib/cni/jnet"
DESC="it is relative and points at ../../sbin/jnet"; t test "$(readlink "$D/usr/lib/cni/jnet")" = ../../sbin/jnet
DESC="it resolves to the installed binary"; t test "$(readlink -f "$D/usr/lib/cni/jnet")" = "$(readlink -f "$D/usr/sbin/jnet")"
out=$(echo '{"cniVersion":"1.0.0"}' | CNI_COMMAND=VERSION "$D/usr/lib/cni/jnet")
DESC="the plugin answers VERSION"; t sh -c "echo '$out' | python3 -c 'import json,sys; assert \"1.1.0\" in json.load(sys.stdin)[\"supportedVersions\"]'"
DESTDIR=$D cmake --install "$B" --prefix /usr >/dev/null 2>&1
DESC="installing again keeps one good symlink"; t test "$(readlink "$D/usr/lib/cni/jnet")" = ../../sbin/jnet
exit $fail
