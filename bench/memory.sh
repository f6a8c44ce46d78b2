#!/usr/bin/env bash
# bench/memory.sh BIN: where `pxefarm serve`'s memory goes, against dnsmasq.
#   1. floors, idle: a Swift program that only sleeps (the runtime), the
#      smallest SwiftNIO UDP server (bench/nio-floor: the runtime + NIO with
#      System.coreCount event loops, as serve), `BIN serve` (TFTP only) and
#      dnsmasq (TFTP only), each VmRSS one second after it listens;
#      (and RssAnon: heap and stacks, without the file-backed pages of the
#      binary and shared libraries that RSS also counts);
#   2. under load: MEMORY_CLIENTS (default 1000) lockstep TFTP clients
#      (bench/storm-load.c, one epoll thread) fetching one 4 MiB file for
#      SECONDS_PER_RUN seconds from each server, then its VmHWM. serve keeps
#      the file in its cache (it is in its RSS); dnsmasq reads it from the page
#      cache for each block (it is not), so the growth per transfer is
#      (peak - idle - file) / clients for serve, (peak - idle) / clients for dnsmasq.
# The Swift floors: the runtime alone (import Glibc), with Foundation (which
# serve links, ICU included), and NIO without Foundation.
# Everything runs in a network namespace made here (loopback only: dnsmasq's
# TFTP port is 69) and removed on exit; only the PIDs started here are stopped.
# Needs root; without swift the two floors are skipped and the script says so.
set -euo pipefail

BIN=${1:?usage: bench/memory.sh PATH-TO-RELEASE-pxefarm}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
source "$(dirname "$0")/lib.sh"
CLIENTS=${MEMORY_CLIENTS:-1000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
FILE_SIZE=$((4 * 1024 * 1024))
SWIFT=${SWIFT:-swift}

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! command -v dnsmasq >/dev/null; then
    echo "bench: skipped memory: needs root, ip and dnsmasq" >&2
    exit 0
fi
NETNS=pxefarm-bench-mem-$$
bench_work memory
ulimit -n "$(ulimit -Hn)"
ip netns add "$NETNS"
NETNSES+=("$NETNS")
ip -n "$NETNS" link set lo up
in_ns() { ip netns exec "$NETNS" "$@"; }

tftp_fixture "$CLIENTS" "$FILE_SIZE"

kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

declare -A IDLE PEAK IDLE_ANON LOADED_ANON
# idle NAME PORT COMMAND...: start it, wait until it listens, record VmRSS; leaves PID in $pid.
idle() {
    local name=$1 port=$2
    shift 2
    ip netns exec "$NETNS" "$@" > "$WORK/$name.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_for_udp_port "$NETNS" "$port"
    sleep 1
    IDLE[$name]=$(kib "$pid" VmRSS)
    IDLE_ANON[$name]=$(kib "$pid" RssAnon)
}
loaded() {   # NAME PORT: the storm of lockstep clients, then VmHWM; stops the server
    local line
    line=$(in_ns "$WORK/storm-load" lockstep - "$WORK/clients" "$FILE_SIZE" 0 1468 0 1000 "$SECONDS_PER_RUN" 127.0.0.1 "$2" linux.1)
    PEAK[$1]=$(kib "$pid" VmHWM)
    LOADED_ANON[$1]=$(kib "$pid" RssAnon)
    echo "run: $1 idle_rss_kib=${IDLE[$1]} peak_rss_kib=${PEAK[$1]} $line" >&2
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

if command -v "$SWIFT" >/dev/null; then
    # The runtime alone (Glibc), and with Foundation, which serve links (with ICU).
    for floor in Glibc Foundation; do
        printf 'import %s\nprint("ready")\nwhile true { sleep(60) }\n' "$floor" > "$WORK/sleeper-$floor.swift"
        (cd "$WORK" && swiftc -O -o "sleeper-$floor" "sleeper-$floor.swift" 2>"$WORK/swiftc.log") || { cat "$WORK/swiftc.log" >&2; exit 1; }
        "$WORK/sleeper-$floor" > /dev/null &
        pid=$!
        PIDS+=("$pid")
        sleep 1
        IDLE[swift-$floor]=$(kib "$pid" VmRSS)
        kill "$pid"; wait "$pid" 2>/dev/null || true
    done
    "$SWIFT" build -c release --package-path "$BENCH_DIR/nio-floor" > "$WORK/nio-floor.build" 2>&1 \
        || { cat "$WORK/nio-floor.build" >&2; exit 1; }
    idle nio-floor 16921 "$BENCH_DIR/nio-floor/.build/release/nio-floor" 127.0.0.1 16921
    kill "$pid"; wait "$pid" 2>/dev/null || true
else
    echo "bench: skipped the Swift and NIO floors: $SWIFT is not installed" >&2
fi

idle pxefarm 69 "$BIN" serve "$WORK/farm.yaml" --out "$WORK/out" --address 127.0.0.1 --no-dhcp --no-http --mtftp-port 0
loaded pxefarm 69
idle dnsmasq 69 dnsmasq --conf-file=/dev/null --port=0 --keep-in-foreground --log-facility=/dev/null \
    --user=root --bind-interfaces --interface=lo --listen-address=127.0.0.1 \
    --enable-tftp --tftp-root="$WORK/out/tftpboot" --tftp-max=$((CLIENTS + 50)) --pid-file=
loaded dnsmasq 69

file_kib=$((FILE_SIZE / 1024))
for floor in swift-Glibc swift-Foundation nio-floor; do
    [ -n "${IDLE[$floor]:-}" ] || continue
    echo "bench: memory-idle-$floor $(mib "${IDLE[$floor]}") MiB vs dnsmasq $(mib "${IDLE[dnsmasq]}") MiB ratio $(ratio "${IDLE[$floor]}" "${IDLE[dnsmasq]}")"
done
echo "bench: memory-idle-serve $(mib "${IDLE[pxefarm]}") MiB vs dnsmasq $(mib "${IDLE[dnsmasq]}") MiB ratio $(ratio "${IDLE[pxefarm]}" "${IDLE[dnsmasq]}")"
[ -z "${IDLE[nio-floor]:-}" ] || echo "bench: memory-idle-serve-over-nio-floor $(mib $((IDLE[pxefarm] - IDLE[nio-floor]))) MiB vs dnsmasq $(mib "${IDLE[dnsmasq]}") MiB ratio $(ratio $((IDLE[pxefarm] - IDLE[nio-floor])) "${IDLE[dnsmasq]}")"
# RSS counts the pages of the binary and the shared libraries it touched
# (file-backed, shared with any other process using them); RssAnon is the
# process's own heap and stacks.
echo "bench: memory-idle-anon-serve $(mib "${IDLE_ANON[pxefarm]}") MiB vs dnsmasq $(mib "${IDLE_ANON[dnsmasq]}") MiB ratio $(ratio "${IDLE_ANON[pxefarm]}" "${IDLE_ANON[dnsmasq]}")"
echo "bench: memory-loaded-anon-c$CLIENTS $(mib "${LOADED_ANON[pxefarm]}") MiB vs dnsmasq $(mib "${LOADED_ANON[dnsmasq]}") MiB ratio $(ratio "${LOADED_ANON[pxefarm]}" "${LOADED_ANON[dnsmasq]}")"
echo "bench: memory-peak-c$CLIENTS $(mib "${PEAK[pxefarm]}") MiB vs dnsmasq $(mib "${PEAK[dnsmasq]}") MiB ratio $(ratio "${PEAK[pxefarm]}" "${PEAK[dnsmasq]}")"
ours=$(awk -v p="${PEAK[pxefarm]}" -v i="${IDLE[pxefarm]}" -v f="$file_kib" -v n="$CLIENTS" 'BEGIN { printf "%.1f", (p - i - f) / n }')
theirs=$(awk -v p="${PEAK[dnsmasq]}" -v i="${IDLE[dnsmasq]}" -v n="$CLIENTS" 'BEGIN { printf "%.1f", (p - i) / n }')
echo "bench: memory-per-transfer-c$CLIENTS $ours KiB vs dnsmasq $theirs KiB ratio $(ratio "$ours" "$theirs")"
