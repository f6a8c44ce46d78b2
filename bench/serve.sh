#!/usr/bin/env bash
# bench/serve.sh BIN: TFTP throughput of `BIN serve` against tftpd-hpa and
# dnsmasq's TFTP, one after another with the same load generator
# (bench/tftp-load.c, built here with cc -O2): 1, 8 and 64 concurrent
# clients, blksize 512 and 1468, windowsize 1 and 16, each client fetching a
# 4 MiB file again and again for $SECONDS_PER_RUN seconds.
#
# pxefarm and tftpd-hpa listen on 127.0.0.1 high ports. dnsmasq's TFTP port is
# fixed at 69, so it runs inside a network namespace made here (loopback only,
# the generator runs in it too, so all three go through a loopback device) and
# removed on exit. Needs root for the namespace; without it dnsmasq is skipped
# and the script says so.
#
# Output: one line per figure, `bench: NAME VALUE UNIT vs PEER VALUE UNIT ratio R`,
# including the generator's own CPU use (share of one core) in each run.
set -euo pipefail

BIN=${1:?usage: bench/serve.sh PATH-TO-RELEASE-pxefarm}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
HERE=$(cd "$(dirname "$0")" && pwd)
SECONDS_PER_RUN=${SECONDS_PER_RUN:-4}
CLIENTS=${CLIENTS:-"1 8 64"}
BLKSIZES=${BLKSIZES:-"512 1468"}
WINDOWS=${WINDOWS:-"1 16"}
FILE_SIZE=$((4 * 1024 * 1024))
PXEFARM_PORT=${PXEFARM_PORT:-16901}
HPA_PORT=${HPA_PORT:-16902}
NETNS=pxefarm-bench-$$

WORK=$(mktemp -d /tmp/pxefarm-bench-serve.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    ip netns del "$NETNS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/out/tftpboot"
head -c "$FILE_SIZE" /dev/urandom > "$WORK/out/tftpboot/linux.1"
# Any C compiler: the system's cc, or the clang that comes with the Swift toolchain.
CC=${CC:-$(command -v cc || command -v clang)}
"$CC" -O2 -pthread -o "$WORK/tftp-load" "$HERE/tftp-load.c"

# A farm file with nothing to boot: serve only needs the server address from it.
cat > "$WORK/farm.yaml" <<YAML
farm: {name: bench, domain: bench.example, server: 127.0.0.1, subnet: 127.0.0.0/8}
services:
  - {type: 0, name: local, menu: "Local Boot"}
YAML

# wait_for_udp_port NETNS-or-empty PORT, ratio A B
source "$HERE/lib.sh"

# load NAME NETNS-or-empty PORT CLIENTS BLKSIZE WINDOW -> "mibps cpu_pct" (and a log line)
load() {
    local name=$1 ns=$2 port=$3 clients=$4 blksize=$5 window=$6 line
    line=$(${ns:+ip netns exec "$ns"} "$WORK/tftp-load" 127.0.0.1 "$port" linux.1 "$clients" "$SECONDS_PER_RUN" "$blksize" "$window" "$FILE_SIZE")
    echo "run: $name clients=$clients blksize=$blksize windowsize=$window $line" >&2
    local failures mibps cpu
    failures=$(sed -n 's/.*failures=\([0-9]*\).*/\1/p' <<<"$line")
    mibps=$(sed -n 's/.*mibps=\([0-9.]*\).*/\1/p' <<<"$line")
    cpu=$(sed -n 's/.*cpu_core_pct=\([0-9]*\).*/\1/p' <<<"$line")
    if [ "$failures" != 0 ]; then echo "run: $name had $failures failed transfers" >&2; fi
    echo "$mibps $cpu"
}

declare -A RESULT CPU
measure() {   # SERVER NETNS PORT
    local server=$1 ns=$2 port=$3 c b w r
    for c in $CLIENTS; do for b in $BLKSIZES; do for w in $WINDOWS; do
        r=$(load "$server" "$ns" "$port" "$c" "$b" "$w")
        RESULT[$server/$c/$b/$w]=${r% *}
        CPU[$server/$c/$b/$w]=${r#* }
    done; done; done
}

rss_mib() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# 1. pxefarm serve
"$BIN" serve "$WORK/farm.yaml" --out "$WORK/out" --address 127.0.0.1 --tftp-port "$PXEFARM_PORT" --no-dhcp 2>"$WORK/pxefarm.log" &
PXEFARM_PID=$!
PIDS+=("$PXEFARM_PID")
wait_for_udp_port "" "$PXEFARM_PORT"
measure pxefarm "" "$PXEFARM_PORT"
PXEFARM_RSS=$(rss_mib "$PXEFARM_PID")
kill "$PXEFARM_PID"; wait "$PXEFARM_PID" 2>/dev/null || true

# 2. tftpd-hpa, in the foreground (-L), forking per request as usual.
PEERS=()
if command -v in.tftpd >/dev/null; then
    in.tftpd -L -a "127.0.0.1:$HPA_PORT" -s "$WORK/out/tftpboot" &
    HPA_PID=$!
    PIDS+=("$HPA_PID")
    wait_for_udp_port "" "$HPA_PORT"
    measure tftpd-hpa "" "$HPA_PORT"
    kill "$HPA_PID"; wait "$HPA_PID" 2>/dev/null || true
    PEERS+=(tftpd-hpa)
else
    echo "bench: skipped tftpd-hpa: in.tftpd is not installed (apt-get install tftpd-hpa)" >&2
fi

# 3. dnsmasq's TFTP on port 69 inside a namespace of our own.
if command -v dnsmasq >/dev/null && ip netns add "$NETNS" 2>/dev/null; then
    ip netns exec "$NETNS" ip link set lo up
    ip netns exec "$NETNS" dnsmasq --conf-file=/dev/null --port=0 --keep-in-foreground --log-facility=/dev/null \
        --user=root --bind-interfaces --interface=lo --listen-address=127.0.0.1 \
        --enable-tftp --tftp-root="$WORK/out/tftpboot" --tftp-max=1000 --pid-file= &
    DNSMASQ_PID=$!
    PIDS+=("$DNSMASQ_PID")
    wait_for_udp_port "$NETNS" 69
    measure dnsmasq "$NETNS" 69
    DNSMASQ_RSS=$(rss_mib "$DNSMASQ_PID")
    kill "$DNSMASQ_PID"; wait "$DNSMASQ_PID" 2>/dev/null || true
    PEERS+=(dnsmasq)
else
    echo "bench: skipped dnsmasq: needs dnsmasq and root (ip netns add) for its fixed port 69" >&2
fi


for c in $CLIENTS; do for b in $BLKSIZES; do for w in $WINDOWS; do
    key=$c/$b/$w
    ours=${RESULT[pxefarm/$key]}
    for peer in "${PEERS[@]}"; do
        theirs=${RESULT[$peer/$key]}
        echo "bench: tftp-c$c-b$b-w$w $ours MiB/s vs $peer $theirs MiB/s ratio $(ratio "$ours" "$theirs")"
    done
    for peer in "${PEERS[@]}"; do
        echo "bench: tftp-load-cpu-c$c-b$b-w$w ${CPU[pxefarm/$key]} %core vs $peer ${CPU[$peer/$key]} %core ratio $(ratio "${CPU[pxefarm/$key]}" "${CPU[$peer/$key]}")"
    done
done; done; done

# windowsize 16 against windowsize 1 for one client (RFC 7440's point).
for b in $BLKSIZES; do
    if [[ " $WINDOWS " == *" 16 "* && " $WINDOWS " == *" 1 "* && " $CLIENTS " == *" 1 "* ]]; then
        w16=${RESULT[pxefarm/1/$b/16]} w1=${RESULT[pxefarm/1/$b/1]}
        echo "bench: tftp-window16-c1-b$b $w16 MiB/s vs pxefarm-window1 $w1 MiB/s ratio $(ratio "$w16" "$w1")"
    fi
done

echo "bench: serve-peak-rss $PXEFARM_RSS MiB vs dnsmasq ${DNSMASQ_RSS:-0} MiB ratio $(ratio "$PXEFARM_RSS" "${DNSMASQ_RSS:-0}")"

# DHCP and ProxyDHCP replies per second against dnsmasq (a script of its own).
bash "$HERE/serve-dhcp.sh" "$BIN"
