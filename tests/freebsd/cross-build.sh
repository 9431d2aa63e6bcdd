#!/bin/sh
# Cross-compile and link the whole tree for FreeBSD 14 (x86_64) on a Linux build host:
#
#   sh tests/freebsd/cross-build.sh OUTDIR      # OUTDIR/jnet is a FreeBSD executable
#
# Zig (pip package ziglang, pinned below) supplies clang, FreeBSD's userland and kernel
# headers and stubs of FreeBSD's libc.so.7, so the real primitives (src/fbsd*) compile
# against FreeBSD's own headers and the link proves every libc symbol jnet calls exists in
# FreeBSD's libc. libjail, libnetgraph, jansson and libyaml are not in Zig: the link uses
# STUB libraries built here for the FreeBSD target (tests/freebsd/stubs/, for this check
# only; the binary is never run). Warnings are errors: exit 1 on any error or warning.
# Details: docs/freebsd-build.md. Needs no root, except to apt-get install what is missing.
set -eu

ZIG_VERSION=0.15.2
[ $# -eq 1 ] || { echo "usage: sh tests/freebsd/cross-build.sh OUTDIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
stubs=$out/freebsd-stubs
start=$(date +%s)
say() { echo "cross-build: $*"; }
die() { echo "cross-build: $*" >&2; exit 1; }

# --- Zig: the installed ziglang if it is the pinned version, else pip install --target ----
# (into a private directory: no Python environment is changed, PEP 668 does not apply).
zig=""
zcache=${XDG_CACHE_HOME:-$HOME/.cache}/jnet/ziglang-$ZIG_VERSION
zdir=$(python3 -c 'import ziglang, os; print(os.path.dirname(ziglang.__file__))' 2>/dev/null) &&
    [ "$("$zdir/zig" version 2>/dev/null)" = "$ZIG_VERSION" ] && zig=$zdir/zig
[ -z "$zig" ] && [ "$("$zcache/ziglang/zig" version 2>/dev/null)" = "$ZIG_VERSION" ] &&
    zig=$zcache/ziglang/zig

# --- what the build host needs: cmake, pkg-config, binutils, file, the jansson and libyaml
# headers, pip if Zig is to be installed ---------------------------------------------------
missing=""
command -v cmake >/dev/null 2>&1 || missing="$missing cmake"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
command -v nm >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1 || missing="$missing binutils"
command -v file >/dev/null 2>&1 || missing="$missing file"
pkg-config --exists jansson 2>/dev/null || missing="$missing libjansson-dev"
pkg-config --exists yaml-0.1 2>/dev/null || missing="$missing libyaml-dev"
[ -n "$zig" ] || python3 -m pip --version >/dev/null 2>&1 || missing="$missing python3-pip"
if [ -n "$missing" ]; then
	[ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 ||
	    die "missing:$missing (install them; Debian: apt-get install$missing)"
	say "apt-get install$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing \
	    >/dev/null 2>&1 || {
		apt-get update -q >/dev/null 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		    $missing >/dev/null
	}
fi

if [ -z "$zig" ]; then
	say "pip install ziglang==$ZIG_VERSION (into $zcache)"
	rm -rf "$zcache"
	python3 -m pip install -q --disable-pip-version-check --target "$zcache" \
	    "ziglang==$ZIG_VERSION" >"$out/pip.log" 2>&1 || { cat "$out/pip.log"; die "pip install failed"; }
	zig=$zcache/ziglang/zig
fi
export JNET_ZIG="$zig"
say "zig $("$zig" version) ($zig), target ${JNET_ZIG_TARGET:-x86_64-freebsd.14.0-none}"
cc=$top/cmake/freebsd-zig/cc
warn="-Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wformat=2"
# Everything at -O2 (CMake's compiler checks too, through CFLAGS): Zig builds its runtime
# (compiler_rt, and ubsan's without -O) once per optimisation mode into its cache, which
# is most of a first run's time; one mode, one build.
opt=-O2

# --- stub libraries, built for FreeBSD, and pkg-config files that point at them ----------
rm -rf "$stubs"
mkdir -p "$stubs/include" "$stubs/lib/pkgconfig" "$stubs/src"
# shlib NAME SONAME SOURCE [CFLAGS...]: libNAME.so (-lNAME) with FreeBSD's soname.
shlib() {
	name=$1 soname=$2 src=$3; shift 3
	"$cc" $opt $warn -fPIC -shared "$@" -Wl,-soname,"$soname" -o "$stubs/lib/$soname" "$src" ||
	    die "stub library $soname does not build"
	[ "$soname" = "lib$name.so" ] || ln -s "$soname" "$stubs/lib/lib$name.so"
}
shlib jail libjail.so.1 "$top/tests/freebsd/stubs/libjail.c" -isystem "$top/tests/freebsd/stubs/include"
shlib netgraph libnetgraph.so.4 "$top/tests/freebsd/stubs/libnetgraph.c" -isystem "$top/tests/freebsd/stubs/include"

# jansson and libyaml: the distribution's headers (copied alone, so that no other header of
# the build host is reachable), and a stub exporting every function the distribution's
# library exports (nm), each an empty body: enough to link against, never to run.
# ports MODULE LIBNAME SONAME HEADER...
ports() {
	module=$1 lib=$2 soname=$3; shift 3
	incdir=$(pkg-config --variable=includedir "$module")
	libdir=$(pkg-config --variable=libdir "$module")
	for h in "$@"; do cp "$incdir/$h" "$stubs/include/$h"; done
	so=$(readlink -f "$libdir/lib$lib.so") || die "lib$lib.so not found in $libdir"
	c=$stubs/src/lib$lib.c
	echo "/* STUB generated by tests/freebsd/cross-build.sh from $so: link check only. */" >"$c"
	nm -D --defined-only "$so" | awk '$2 == "T" { sub(/@.*/, "", $3); print "void " $3 "(void);\nvoid " $3 "(void) {}" }' >>"$c"
	grep -q '^void' "$c" || die "no functions exported by $so"
	shlib "$lib" "$soname" "$c"
	cat >"$stubs/lib/pkgconfig/$module.pc" <<EOF
Name: $module
Description: STUB for the FreeBSD cross-build link check (tests/freebsd/cross-build.sh)
Version: $(pkg-config --modversion "$module")
Cflags: -I$stubs/include
Libs: -L$stubs/lib -l$lib
EOF
}
ports jansson jansson libjansson.so.4 jansson.h jansson_config.h
ports yaml-0.1 yaml libyaml-0.so.2 yaml.h
say "stub libraries: $(cd "$stubs/lib" && ls *.so.* | tr '\n' ' ')"

# --- configure and build the tree (no tests: they need FreeBSD to run) -------------------
say "configure $out"
# From scratch every time: the flags below are read only when the cache is made. The stub
# <jail.h> and <netgraph.h> stand where FreeBSD's are, among the system headers.
rm -f "$out/CMakeCache.txt"
env -u PKG_CONFIG_PATH -u PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR="$stubs/lib/pkgconfig" \
    CFLAGS="$opt -isystem $top/tests/freebsd/stubs/include" LDFLAGS="-L$stubs/lib" \
    cmake -S "$top" -B "$out" -DCMAKE_TOOLCHAIN_FILE="$top/cmake/freebsd-zig.cmake" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJNET_WERROR=ON -DJNET_TESTS=OFF -DCMAKE_SKIP_RPATH=ON \
    >"$out/configure.log" 2>&1 ||
    { cat "$out/configure.log"; die "configure failed ($out/configure.log)"; }
if grep -q 'CMake Warning' "$out/configure.log"; then
	cat "$out/configure.log" >&2
	die "configure warned ($out/configure.log)"
fi

say "build (-j2)"
rc=0
cmake --build "$out" -j2 >"$out/build.log" 2>&1 || rc=$?
nwarn=$(grep -c 'warning:' "$out/build.log" || true)
nerr=$(grep -c 'error:' "$out/build.log" || true)
say "$nwarn warnings, $nerr errors ($out/build.log)"
if [ "$rc" -ne 0 ] || [ "$nwarn" -ne 0 ]; then
	grep -E 'warning:|error:|undefined symbol|>>> referenced by' "$out/build.log" >&2 || tail -40 "$out/build.log" >&2
	# make stops at the first target that fails: compile every other file too, so that
	# one run lists every error in the tree (compile_commands.json, objects to /dev/null).
	say "every file compiled on its own (after a failed build):" >&2
	python3 - "$out/compile_commands.json" >&2 <<'PY' || true
import json, shlex, subprocess, sys
for e in json.load(open(sys.argv[1])):
    args = shlex.split(e["command"])
    args[args.index("-o") + 1] = "/dev/null"
    r = subprocess.run(args, cwd=e["directory"], capture_output=True, text=True)
    for line in r.stderr.splitlines():
        if "error:" in line or "warning:" in line:
            print("  " + line)
PY
	die "FreeBSD build failed"
fi

info=$(file "$out/jnet")
say "$info"
case $info in
*"for FreeBSD"*) ;;
*) die "$out/jnet is not a FreeBSD executable" ;;
esac
# Zig offers libm, libthr, libutil... too (--as-needed): a function from one of them links
# here but not on FreeBSD, where jnet links only these. Any other NEEDED entry is an error.
needed=$(readelf -d "$out/jnet" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
say "NEEDED: $needed"
for n in $needed; do
	case $n in
	libc.so.7 | libjansson.so.4 | libyaml-0.so.2 | libjail.so.1 | libnetgraph.so.4) ;;
	*) die "$out/jnet needs $n, which jnet's CMake does not link on FreeBSD" ;;
	esac
done
say "ok in $(($(date +%s) - start)) s"
