#!/bin/sh
# Run every fuzzer (or the ones named) for SECONDS each, one job per CPU, from the
# committed seed corpora. New inputs go to a scratch corpus in the build directory, not
# the source tree; crashes to $BUILD/tests/fuzz/long/NAME/artifacts/.
# Usage: sh tests/fuzz/run-long.sh [SECONDS] [NAME...]    (default 300; all targets)
#   BUILD=dir  the build directory holding the fuzzers (default build-fuzz; it is configured
#              and built with clang if missing)
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
secs=${1:-300}
[ $# -gt 0 ] && shift
names=${*:-lab names tag mac addm}
build=${BUILD:-build-fuzz}
case $build in /*) ;; *) build="$top/$build" ;; esac
if [ ! -x "$build/tests/fuzz/fuzz_lab" ]; then
	cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DJNET_FUZZ=ON >/dev/null
fi
cmake --build "$build" -j"$(nproc)" >/dev/null
jobs=$(nproc)
status=0
for n in $names; do
	work="$build/tests/fuzz/long/$n"
	rm -f "$work"/fuzz-*.log
	mkdir -p "$work/corpus" "$work/artifacts"
	dict=""
	[ -f "tests/fuzz/$n.dict" ] && dict="-dict=$top/tests/fuzz/$n.dict"
	echo "==> fuzz_$n for ${secs}s ($jobs jobs): $work"
	# -jobs writes one fuzz-N.log per job in the current directory: run inside $work.
	# shellcheck disable=SC2086
	(cd "$work" && "$build/tests/fuzz/fuzz_$n" -max_total_time="$secs" \
	    -jobs="$jobs" -workers="$jobs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
	    -print_final_stats=1 -artifact_prefix="$work/artifacts/" $dict \
	    "$work/corpus" "$top/tests/fuzz/corpus/$n" >log 2>&1) || status=1
	cat "$work"/fuzz-*.log 2>/dev/null | grep -E "property violated|ERROR: |^Done [0-9]+ runs" |
	    sort | uniq -c || true
	if ls "$work/artifacts/"* >/dev/null 2>&1; then
		echo "    crashes in $work/artifacts/ (reproduce: $build/tests/fuzz/fuzz_$n FILE)"
		status=1
	fi
done
exit $status
