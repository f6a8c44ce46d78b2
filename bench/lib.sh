# bench/lib.sh: what bench/storm.sh, lockstep.sh and memory.sh share. Sourced;
# it only defines functions. BENCH_DIR is this folder.
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# bench_work NAME: a scratch folder $WORK, and on exit: the PIDs in PIDS are
# stopped (only those), the namespaces in NETNSES and cgroups in CGROUPS removed.
bench_work() {
    WORK=$(mktemp -d "/tmp/pxefarm-bench-$1.XXXXXX")
    PIDS=()
    NETNSES=()
    CGROUPS=()
    trap bench_cleanup EXIT
}
bench_cleanup() {
    local pid ns group
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    for ns in "${NETNSES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    # A group may still hold children of a server stopped above (tftpd-hpa's
    # per-transfer processes): give them 2 s to end, then stop them too.
    for group in "${CGROUPS[@]}"; do
        for _ in $(seq 20); do [ -s "$group/cgroup.procs" ] || break; sleep 0.1; done
        for pid in $(cat "$group/cgroup.procs" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
        for _ in $(seq 20); do rmdir "$group" 2>/dev/null && break; sleep 0.1; done
    done
    rm -rf "$WORK"
}

# wait_for_udp_port NETNS-or-empty PORT: until something listens there (10 s at most).
wait_for_udp_port() {
    for _ in $(seq 200); do
        if ${1:+ip netns exec "$1"} ss -Hlun "sport = :$2" | grep -q .; then return 0; fi
        sleep 0.05
    done
    echo "bench: nothing listens on UDP port $2" >&2
    return 1
}

# The generator, $WORK/storm-load, with any C compiler (the system's cc, or
# the clang that comes with the Swift toolchain).
build_storm_load() {
    local cc=${CC:-$(command -v cc || command -v clang)}
    "$cc" -O2 -o "$WORK/storm-load" "$BENCH_DIR/storm-load.c"
}

# tftp_fixture CLIENTS SIZE: $WORK/out/tftpboot/linux.1 of SIZE random bytes, a
# farm file with nothing to boot ($WORK/farm.yaml: serve only needs the server
# address from it), the generator, and $WORK/clients: CLIENTS lines for 127.0.0.1.
tftp_fixture() {
    mkdir -p "$WORK/out/tftpboot"
    head -c "$2" /dev/urandom > "$WORK/out/tftpboot/linux.1"
    build_storm_load
    for _ in $(seq "$1"); do echo "00:00:00:00:00:00 127.0.0.1"; done > "$WORK/clients"
    cat > "$WORK/farm.yaml" <<YAML
farm: {name: bench, domain: bench.example, server: 127.0.0.1, subnet: 127.0.0.0/8}
services:
  - {type: 0, name: local, menu: "Local Boot"}
YAML
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
# field LINE KEY: the value of KEY=VALUE in a generator's line.
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<" $1"; }

# machine_ticks: "BUSY TOTAL" clock ticks of all the machine's CPUs so far
# (/proc/stat; busy is user, nice, system, irq, softirq and steal).
machine_ticks() { awk '/^cpu / { b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6; exit }' /proc/stat; }
# busy_pct "BEFORE" "AFTER": the share of the machine's CPUs busy between two
# machine_ticks, in percent of all of them.
busy_pct() {
    local before=($1) after=($2)
    awk -v b=$((after[0] - before[0])) -v t=$((after[1] - before[1])) 'BEGIN { if (t > 0) printf "%.0f", b / t * 100; else print 0 }'
}

# profile_start PID FILE: samples PID (all its threads) at 199 Hz with perf,
# too seldom to slow it, until profile_stop; nothing without perf or with
# BENCH_PROFILE=0. profile_report LABEL FILE prints where the time went:
# "profile: LABEL dso NAME SHARE" for the 6 largest libraries (the kernel's
# included), then "profile: LABEL sym SHARE NAME" for the 12 hottest symbols.
PROFILER=
profile_start() {
    PROFILER=
    [ "${BENCH_PROFILE:-1}" != 0 ] && command -v perf >/dev/null || return 0
    perf record -q -F 199 -p "$1" -o "$2" >/dev/null 2>&1 &
    PROFILER=$!
}
profile_stop() {
    [ -n "$PROFILER" ] || return 0
    kill -INT "$PROFILER" 2>/dev/null || true
    wait "$PROFILER" 2>/dev/null || true
    PROFILER=
}
# (awk counts the lines, not head: under pipefail, perf cut off by head would
# fail the calling script.)
profile_report() {
    [ -s "$2" ] || return 0
    perf report -i "$2" --no-children --sort dso --stdio -g none 2>/dev/null \
        | awk -v l="$1" '/%/ && n++ < 6 { printf "profile: %s dso %s %s\n", l, $2, $1 }'
    perf report -i "$2" --no-children --sort sym --stdio -g none 2>/dev/null \
        | awk -v l="$1" '/%/ && n++ < 12 { printf "profile: %s sym %s %s\n", l, $1, substr($3, 1, 90) }'
}
