# The systemd unit template jnet-lab@.service: cmake --install puts it in the unit
# directory (JNET_SYSTEMD_UNITDIR) with the installed jnet in ExecStart/ExecStop, and
# systemd-analyze verify accepts it (when installed; nothing is started or enabled).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/install.sh"
[ "$(uname -s)" = Linux ] || { echo "SKIP: systemd units are installed on Linux only"; exit 77; }
P=$TMP/p
jnet_install "" "$P" | grep . | sort >"$TMP/files" || { echo "FAIL: cmake --install"; exit 1; }
dir=$(sed -n 's/^JNET_SYSTEMD_UNITDIR:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
case $dir in /*) ;; *) dir=$P/$dir ;; esac
U=$dir/jnet-lab@.service
case $dir in
"$P"/*)
	t "the unit is installed in JNET_SYSTEMD_UNITDIR" has "$TMP/files" "$U"
	t "the unit file exists" test -f "$U" ;;
*)	echo "NOTE: JNET_SYSTEMD_UNITDIR=$dir is outside the prefix; checking the template only"
	U=$TMP/jnet-lab@.service
	sed "s|%%SBINDIR%%|$P/sbin|g" "$DIST/systemd/jnet-lab@.service.in" >"$U" ;;
esac
t "ExecStart: jnet lab up /etc/jnet/%I.yaml" has "$U" "ExecStart=$P/sbin/jnet lab up /etc/jnet/%I.yaml"
t "ExecStop: jnet lab down /etc/jnet/%I.yaml" has "$U" "ExecStop=$P/sbin/jnet lab down /etc/jnet/%I.yaml"
t "Type=oneshot" has "$U" "Type=oneshot"
t "RemainAfterExit=yes" has "$U" "RemainAfterExit=yes"
t "the jnet of ExecStart is installed" test -x "$P/sbin/jnet"
eq "no unsubstituted %%...%%" "" "$(grep -o '%%[A-Z]*%%' "$U")"
if command -v systemd-analyze >/dev/null 2>&1; then
	# --man=no: the man page is not installed on this machine's manpath.
	systemd-analyze verify --man=no "$U" >"$TMP/v" 2>&1; st=$?
	eq "systemd-analyze verify: exit 0 ($(cat "$TMP/v"))" 0 $st
	eq "systemd-analyze verify: no complaint" "" "$(cat "$TMP/v")"
else
	echo "NOTE: systemd-analyze not installed (Debian: apt-get install systemd): unit not verified"
fi
finish
