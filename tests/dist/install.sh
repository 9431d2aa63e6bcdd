# jnet_install DESTDIR PREFIX: `cmake --install $BUILD --prefix PREFIX` with DESTDIR (empty:
# none); prints the installed files, one per line, as the install manifest lists them.
# cmake --install rewrites $BUILD/install_manifest.txt: the one there before is put back
# (the tests that install share a RESOURCE_LOCK).
: "${BUILD:?BUILD must point at the build directory}" "${CMAKE:=cmake}"
jnet_install() {
	_m=$BUILD/install_manifest.txt
	[ -f "$_m" ] && cp "$_m" "$TMP/manifest.saved"
	DESTDIR=$1 "$CMAKE" --install "$BUILD" --prefix "$2" >"$TMP/install.log" 2>&1
	_r=$?
	if [ $_r -eq 0 ]; then cat "$_m"; echo; fi
	if [ -f "$TMP/manifest.saved" ]; then mv "$TMP/manifest.saved" "$_m"; else rm -f "$_m"; fi
	[ $_r -eq 0 ] || { cat "$TMP/install.log" >&2; return 1; }
}
