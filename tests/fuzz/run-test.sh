#!/bin/sh
# One fuzzer as a ctest test: a fixed number of runs with a fixed seed, on a fresh scratch
# copy of the committed seed corpus (so the source tree is never written and every run of
# the test does the same work). Fails on any crash, leak, timeout or property violation.
# Usage: run-test.sh FUZZER SRCDIR NAME WORKDIR RUNS
set -eu
fuzzer=$1 src=$2 name=$3 work=$4 runs=$5
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$src/corpus/$name"/* "$work/corpus/"
dict=""
[ -f "$src/$name.dict" ] && dict="-dict=$src/$name.dict"
# shellcheck disable=SC2086
exec "$fuzzer" -seed=1 -runs="$runs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" $dict "$work/corpus"
