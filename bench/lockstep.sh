#!/usr/bin/env bash
# bench/lockstep.sh BIN: lockstep TFTP (windowsize 1, what PXE ROMs, pxelinux
# and iPXE do) of `BIN serve` against tftpd-hpa: LOCKSTEP_CLIENTS clients
# (default 64) at blksize 1468 and 512, each fetching a 4 MiB file again and
# again for SECONDS_PER_RUN seconds, driven by one single-threaded epoll
# generator (bench/storm-load.c in its lockstep mode, built here with cc -O2)
# so that the generator is not what limits the figure; its CPU is reported.
#
# Server CPU is counted over the whole process tree: each server runs in a
# cpuacct cgroup of its own (v1 or v2), which also holds tftpd-hpa's forked
# per-transfer children after they exit; without cgroups, /proc's utime,
# stime, cutime and cstime of the parent (children it has reaped).
#
# Both listen on 127.0.0.1 high ports; only the PIDs started here are stopped.
# Output, one line per figure:
#   bench: lockstep-c64-bN          MiB/s vs tftpd-hpa
#   bench: lockstep-cpu-per-block-c64-bN  server us per block vs tftpd-hpa
#   bench: lockstep-user-cpu-per-block-c64-bN, -kernel-: the same split into
#          user space and kernel (the system calls and UDP stack both pay)
#   bench: lockstep-load-cpu-c64-bN the generator's share of one core
#   profile: lockstep-pxefarm-bN dso|sym ...  where serve's CPU goes (perf)
set -euo pipefail

BIN=${1:?usage: bench/lockstep.sh PATH-TO-RELEASE-pxefarm}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
source "$(dirname "$0")/lib.sh"
SECONDS_PER_RUN=${SECONDS_PER_RUN:-6}
CLIENTS=${LOCKSTEP_CLIENTS:-64}
BLKSIZES=${BLKSIZES:-"1468 512"}
FILE_SIZE=$((4 * 1024 * 1024))
PXEFARM_PORT=${PXEFARM_PORT:-16911}
HPA_PORT=${HPA_PORT:-16912}

if ! command -v in.tftpd >/dev/null; then
    echo "bench: skipped lockstep: in.tftpd is not installed (apt-get install tftpd-hpa)" >&2
    exit 0
fi
bench_work lockstep
tftp_fixture "$CLIENTS" "$FILE_SIZE"

# make_cgroup NAME PID: a cpuacct cgroup holding PID (and its future children)
# in GROUP, or GROUP empty where there is none (in this shell, not a subshell,
# so that the cleanup knows it).
CGROOT=
if [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then CGROOT=/sys/fs/cgroup/cpuacct
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then CGROOT=/sys/fs/cgroup; fi
make_cgroup() {
    GROUP=
    [ -n "$CGROOT" ] || return 0
    mkdir "$CGROOT/pxefarm-bench-$1-$$" 2>/dev/null || return 0
    CGROUPS+=("$CGROOT/pxefarm-bench-$1-$$")
    echo "$2" > "$CGROOT/pxefarm-bench-$1-$$/cgroup.procs" 2>/dev/null || return 0
    GROUP=$CGROOT/pxefarm-bench-$1-$$
}
# Server CPU in microseconds so far, "TOTAL USER SYSTEM": the cgroup's, or the
# process's and its reaped children's.
server_cpu_us() {   # PID CGROUP-or-empty
    if [ -n "$2" ] && [ -f "$2/cpuacct.usage" ]; then
        echo "$(($(cat "$2/cpuacct.usage") / 1000)) $(($(cat "$2/cpuacct.usage_user") / 1000)) $(($(cat "$2/cpuacct.usage_sys") / 1000))"
    elif [ -n "$2" ] && [ -f "$2/cpu.stat" ]; then
        awk '/^usage_usec/ {t = $2} /^user_usec/ {u = $2} /^system_usec/ {s = $2} END {print t, u, s}' "$2/cpu.stat"
    else
        awk -v hz="$(getconf CLK_TCK)" '{u = ($14 + $16) / hz * 1e6; s = ($15 + $17) / hz * 1e6; printf "%.0f %.0f %.0f\n", u + s, u, s}' "/proc/$1/stat"
    fi
}
per_block() { awk -v us="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.2f", us / n; else print 0 }'; }

declare -A MIBPS USPB USER SYS GEN
measure() {   # NAME PORT PID CGROUP
    local name=$1 port=$2 pid=$3 group=$4 b before after line blocks
    for b in $BLKSIZES; do
        read -r -a before <<< "$(server_cpu_us "$pid" "$group")"
        line=$("$WORK/storm-load" lockstep - "$WORK/clients" "$FILE_SIZE" 0 "$b" 0 1000 "$SECONDS_PER_RUN" 127.0.0.1 "$port" linux.1)
        sleep 0.3   # tftpd-hpa's last children exit and are counted
        read -r -a after <<< "$(server_cpu_us "$pid" "$group")"
        blocks=$(awk -v bytes="$(field "$line" bytes)" -v b="$b" 'BEGIN { printf "%.0f", bytes / b }')
        MIBPS[$name/$b]=$(field "$line" mibps)
        USPB[$name/$b]=$(per_block $((after[0] - before[0])) "$blocks")
        USER[$name/$b]=$(per_block $((after[1] - before[1])) "$blocks")
        SYS[$name/$b]=$(per_block $((after[2] - before[2])) "$blocks")
        GEN[$name/$b]=$(field "$line" cpu_core_pct)
        echo "run: $name clients=$CLIENTS blksize=$b $line server_cpu_us=$((after[0] - before[0])) blocks=$blocks" >&2
        [ "$(field "$line" failures)" = 0 ] || echo "run: $name had failed transfers" >&2
    done
}

# profile PORT PID: where serve's CPU goes at the first blksize (perf, see
# lib.sh), in a run of its own after the measured ones. tftpd-hpa is not
# profiled: its user space is the small part (lockstep-user-cpu-per-block),
# its kernel time the same calls serve makes.
profile() {
    local b=${BLKSIZES%% *}
    "$WORK/storm-load" lockstep - "$WORK/clients" "$FILE_SIZE" 0 "$b" 0 1000 3 127.0.0.1 "$1" linux.1 >/dev/null &
    local load=$!
    sleep 0.5
    profile_start "$2" "$WORK/serve.perf"
    sleep 2
    profile_stop
    wait "$load" || true   # its figures are not wanted, only the load
    profile_report "lockstep-pxefarm-b$b" "$WORK/serve.perf"
}

"$BIN" serve "$WORK/farm.yaml" --out "$WORK/out" --address 127.0.0.1 --tftp-port "$PXEFARM_PORT" --no-dhcp --no-http --mtftp-port 0 2>"$WORK/pxefarm.log" &
pid=$!
PIDS+=("$pid")
make_cgroup pxefarm "$pid"
group=$GROUP
wait_for_udp_port "" "$PXEFARM_PORT"
measure pxefarm "$PXEFARM_PORT" "$pid" "$group"
profile "$PXEFARM_PORT" "$pid"
kill "$pid"; wait "$pid" 2>/dev/null || true

in.tftpd -L -a "127.0.0.1:$HPA_PORT" -s "$WORK/out/tftpboot" &
pid=$!
PIDS+=("$pid")
make_cgroup tftpd-hpa "$pid"
group=$GROUP
[ -n "$group" ] || echo "bench: no cpuacct cgroup here: tftpd-hpa's CPU is its own and its reaped children's (/proc)" >&2
wait_for_udp_port "" "$HPA_PORT"
measure tftpd-hpa "$HPA_PORT" "$pid" "$group"
kill "$pid"; wait "$pid" 2>/dev/null || true

for b in $BLKSIZES; do
    echo "bench: lockstep-c$CLIENTS-b$b ${MIBPS[pxefarm/$b]} MiB/s vs tftpd-hpa ${MIBPS[tftpd-hpa/$b]} MiB/s ratio $(ratio "${MIBPS[pxefarm/$b]}" "${MIBPS[tftpd-hpa/$b]}")"
    echo "bench: lockstep-cpu-per-block-c$CLIENTS-b$b ${USPB[pxefarm/$b]} us/block vs tftpd-hpa ${USPB[tftpd-hpa/$b]} us/block ratio $(ratio "${USPB[pxefarm/$b]}" "${USPB[tftpd-hpa/$b]}")"
    echo "bench: lockstep-user-cpu-per-block-c$CLIENTS-b$b ${USER[pxefarm/$b]} us/block vs tftpd-hpa ${USER[tftpd-hpa/$b]} us/block ratio $(ratio "${USER[pxefarm/$b]}" "${USER[tftpd-hpa/$b]}")"
    echo "bench: lockstep-kernel-cpu-per-block-c$CLIENTS-b$b ${SYS[pxefarm/$b]} us/block vs tftpd-hpa ${SYS[tftpd-hpa/$b]} us/block ratio $(ratio "${SYS[pxefarm/$b]}" "${SYS[tftpd-hpa/$b]}")"
    echo "bench: lockstep-load-cpu-c$CLIENTS-b$b ${GEN[pxefarm/$b]} %core vs tftpd-hpa ${GEN[tftpd-hpa/$b]} %core ratio $(ratio "${GEN[pxefarm/$b]}" "${GEN[tftpd-hpa/$b]}")"
done
