# Toolchain file: cross-compile jnet for FreeBSD 14 on x86_64 with Zig's clang, against the
# FreeBSD userland headers and libc.so.7 symbol stubs that Zig ships (Zig >= 0.14; pip
# package ziglang). Used by tests/freebsd/cross-build.sh, which also supplies the libraries
# that are not FreeBSD's libc (stubs for the link check only): see docs/freebsd-build.md.
#
#   cmake -S . -B build-fbsd -DCMAKE_TOOLCHAIN_FILE=cmake/freebsd-zig.cmake
#
# CMAKE_SYSTEM_NAME FreeBSD turns on JNET_FREEBSD: the real primitives (src/fbsd*) are
# compiled and linked, not the kernel model.
set(CMAKE_SYSTEM_NAME FreeBSD)
set(CMAKE_SYSTEM_VERSION 14.0)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

# Zig is run as "python3 -m ziglang TOOL", which CMake cannot take as a compiler path: the
# three wrappers beside this file do it (JNET_ZIG, JNET_ZIG_TARGET override, see cc).
set(CMAKE_C_COMPILER ${CMAKE_CURRENT_LIST_DIR}/freebsd-zig/cc)
set(CMAKE_AR ${CMAKE_CURRENT_LIST_DIR}/freebsd-zig/ar CACHE FILEPATH "Zig's ar" FORCE)
set(CMAKE_RANLIB ${CMAKE_CURRENT_LIST_DIR}/freebsd-zig/ranlib CACHE FILEPATH "Zig's ranlib" FORCE)

# Nothing of the build host's own headers or libraries: programs from the host, libraries
# and headers only where the caller points (cross-build.sh: pkg-config files of its stubs).
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Zig's release-mode link passes --gc-sections, which drops crt1.o's FreeBSD ABI note
# (NT_FREEBSD_ABI_TAG: the kernel's brand and the binary's osreldate). FreeBSD's own cc
# keeps it; so does this, and file(1) then says "for FreeBSD 14.0".
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,--no-gc-sections")
