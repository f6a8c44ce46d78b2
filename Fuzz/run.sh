#!/usr/bin/env bash
# make fuzz: builds every libFuzzer target (Fuzz/README.md) into .build-fuzz and runs
# each for FUZZ_SECONDS from its committed seed corpus and dictionary, then prints
# per target: executions, coverage, crashes, peak memory and the fuzzer's CPU use,
# as bench lines. Exits non-zero when any target crashed, hung or ran out of memory;
# the input is kept under .build-fuzz/artifacts/<target>/ (make it a regression test).
# FUZZ_TARGETS picks targets (default: all), FUZZ_JOBS runs that many in parallel.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-180}
SCRATCH=.build-fuzz
# target:product:max_len
ALL="option43:FuzzOption43:300 dhcp-packet:FuzzDHCPPacket:1500 tftp-packet:FuzzTFTPPacket:1024
tftp-server:FuzzTFTPServer:4096 http-server:FuzzHTTPServer:16384 dhcp-policy:FuzzDHCPPolicy:1500 farm-file:FuzzFarmFile:16384 import:FuzzImport:16384 initrd-list:FuzzInitrdList:16384 tarball-root:FuzzTarballRoot:16384"
TARGETS=${FUZZ_TARGETS:-$(for t in $ALL; do echo "${t%%:*}"; done)}
JOBS=${FUZZ_JOBS:-1}

spec() { for t in $ALL; do [[ ${t%%:*} == "$1" ]] && { echo "$t"; return; }; done; echo "fuzz: unknown target $1" >&2; exit 2; }

for target in $TARGETS; do
    product=$(spec "$target" | cut -d: -f2)
    echo "fuzz: building $product"
    PXEFARM_FUZZ=1 ${SWIFT:-swift} build -c release --scratch-path "$SCRATCH" \
        -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -enable-testing --product "$product" 2>&1 \
        | grep -E "error|warning: .*Fuzz/|Compiling Fuzz|Build of" || true
    [[ -x $SCRATCH/release/$product ]] || { echo "fuzz: $product did not build" >&2; exit 1; }
done

run_one() {
    local target=$1 product max_len work artifacts log
    product=$(spec "$target" | cut -d: -f2)
    max_len=$(spec "$target" | cut -d: -f3)
    work=$SCRATCH/corpus/$target
    artifacts=$SCRATCH/artifacts/$target
    log=$SCRATCH/logs/$target.log
    mkdir -p "$work" "$artifacts" "$(dirname "$log")"
    local status=0 TIMEFORMAT='cpu %U %S wall %R'
    # No ASan (it hangs at start here, see FIELD-NOTES); Swift's own checks trap on overflow,
    # bounds and force-unwraps, which libFuzzer reports as a crash. -timeout finds hangs.
    { time SWIFT_BACKTRACE=enable=no "$SCRATCH/release/$product" "$work" "Fuzz/corpus/$target" \
        -dict="Fuzz/dict/$target.dict" -max_total_time="$SECONDS_EACH" -max_len="$max_len" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?; } 2>"$log.time"
    local execs cov ft corpus rss crashes cpu wall
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    corpus=$(grep -oE 'corp: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    read -r _ usr sys _ wall < "$log.time" || true
    cpu=$(awk -v u="${usr:-0}" -v s="${sys:-0}" 'BEGIN{printf "%.1f", u+s}')
    wall=${wall:-$SECONDS_EACH}
    local rate
    rate=$(awk -v e="${execs:-0}" -v w="$wall" 'BEGIN{ if (w > 0) printf "%.0f", e / w; else print 0 }')
    echo "bench: fuzz-$target-execs ${execs:-0} runs vs fuzz-$target-time $wall s ratio $rate"
    echo "bench: fuzz-$target-crashes $crashes crashes vs budget 0 crashes ratio $([[ $crashes == 0 ]] && echo 1 || echo inf)"
    echo "bench: fuzz-$target-coverage ${cov:-0} edges (features ${ft:-0}, corpus ${corpus:-0} inputs, peak rss ${rss:-?} MB)"
    echo "bench: fuzz-$target-cpu $cpu s (fuzzer user+sys over $wall s wall)"
    if [[ $status != 0 || $crashes != 0 ]]; then
        echo "fuzz: $target FAILED (exit $status); log $log; inputs:" $(ls "$artifacts") >&2
        grep -m3 -E "Fatal error|deadly signal|ERROR: libFuzzer" "$log" >&2 || true
        return 1
    fi
}

failed=0
if [[ $JOBS -gt 1 ]]; then
    export -f run_one spec; export SCRATCH SECONDS_EACH ALL
    printf '%s\n' $TARGETS | xargs -P "$JOBS" -I{} bash -c 'run_one {}' || failed=1
else
    for target in $TARGETS; do run_one "$target" || failed=1; done
fi
exit $failed
