# The port's pkg-plist (docs/dist/freebsd-port/net/jnet) lists exactly what
# `DESTDIR=... cmake --install BUILD --prefix /usr/local` installs. This runs on the build
# at hand (Linux here), so the install manifest is turned into FreeBSD's file list by
# these rules, and nothing else:
#   Linux-only, dropped:  the systemd unit (jnet-lab@.service, JNET_SYSTEMD_UNITDIR)
#   FreeBSD-only, absent: etc/rc.d/jnet: the port's USE_RC_SUBR installs files/jnet.in and
#                         adds it to the plist itself; the Makefile sets JNET_RCDIR=OFF
#   renamed as the ports framework does: share/man/manN/X.N -> X.N.gz (compressed);
#     share/examples/jnet/F -> %%PORTEXAMPLES%%%%EXAMPLESDIR%%/F (option EXAMPLES);
#     the build's JNET_BASH_COMPLETIONDIR / JNET_ZSH_COMPLETIONDIR -> the directories the
#     Makefile pins in CMAKE_ARGS; the CNI plugin symlink in the build's JNET_CNI_DIR ->
#     libexec/cni/jnet (FreeBSD's default JNET_CNI_DIR)
# Anything else outside the prefix fails. A file missing from the plist or extra in it fails.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/install.sh"
PORT=$DIST/freebsd-port/net/jnet
for f in Makefile pkg-descr pkg-plist files/jnet.in; do
	t "port file $f" test -s "$PORT/$f"
done
mk() { sed -n "s/^$1=[[:space:]]*//p" "$PORT/Makefile"; }
t "USES=cmake pkgconfig" test "$(mk USES)" = "cmake pkgconfig"
t "USE_RC_SUBR=jnet" test "$(mk USE_RC_SUBR)" = "jnet"
t "LIB_DEPENDS jansson" grep -q 'libjansson.so:devel/jansson' "$PORT/Makefile"
t "LIB_DEPENDS libyaml" grep -q 'libyaml.so:textproc/libyaml' "$PORT/Makefile"
t "the port turns cmake's rc.d install off" grep -q -- '-DJNET_RCDIR=OFF' "$PORT/Makefile"
portdir() { sed -n "s/.*-D$1=\\([^ ]*\\).*/\\1/p" "$PORT/Makefile"; }
builddir() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt"; }
PB=$(portdir JNET_BASH_COMPLETIONDIR) PZ=$(portdir JNET_ZSH_COMPLETIONDIR)
BB=$(builddir JNET_BASH_COMPLETIONDIR) BZ=$(builddir JNET_ZSH_COMPLETIONDIR)
BC=$(builddir JNET_CNI_DIR)
t "the Makefile pins the completion directories" test -n "$PB" -a -n "$PZ"

D=$TMP/dest
jnet_install "$D" /usr/local >"$TMP/manifest" || { fail "cmake --install"; finish; exit 1; }
eq "the manifest lists what is under DESTDIR" \
    "$(cd "$D" && find . ! -type d | sed 's|^\.||' | sort)" \
    "$(grep . "$TMP/manifest" | sed "s|^$D||" | sort)"
grep . "$TMP/manifest" | sed "s|^$D||" | while IFS= read -r f; do
	case $f in
	*/jnet-lab@.service) ;;                              # Linux-only
	/usr/local/share/man/man[1-9]/*) echo "${f#/usr/local/}.gz" ;;
	/usr/local/share/examples/jnet/*) echo "%%PORTEXAMPLES%%%%EXAMPLESDIR%%/${f#/usr/local/share/examples/jnet/}" ;;
	/usr/local/$BC/jnet) echo "libexec/cni/jnet" ;;
	/usr/local/$BB/*) echo "$PB/${f#/usr/local/$BB/}" ;;
	/usr/local/$BZ/*) echo "$PZ/${f#/usr/local/$BZ/}" ;;
	/usr/local/*) echo "${f#/usr/local/}" ;;
	*) echo "OUTSIDE-THE-PREFIX:$f" ;;
	esac
done | sort >"$TMP/want"
grep -v '^[@#]' "$PORT/pkg-plist" | grep . | sort >"$TMP/plist"
missing=$(comm -23 "$TMP/want" "$TMP/plist" | tr '\n' ' ')
extra=$(comm -13 "$TMP/want" "$TMP/plist" | tr '\n' ' ')
eq "installed but not in pkg-plist" "" "$missing"
eq "in pkg-plist but not installed" "" "$extra"
t "the plist is not empty" test -s "$TMP/plist"
t "sbin/jnet is in the plist" has "$TMP/plist" sbin/jnet
t "etc/rc.d/jnet is not in the plist (USE_RC_SUBR adds it)" sh -c "! grep -q rc.d/jnet '$TMP/plist'"
finish
