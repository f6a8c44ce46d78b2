#!/usr/bin/env bash
# bench/dhcp-dora.sh BIN: full DHCP DORA exchanges per second for static
# reservations, measured by Kea's perfdhcp (an independent load generator)
# against `BIN serve`, ISC dhcpd, Kea and dnsmasq, each running the
# configuration pxefarm itself emits for the same farm (`pxefarm config`),
# one server after the other in the same run.
#
# The servers run in one network namespace, perfdhcp in another, joined by a
# veth pair; both are made here and removed on exit. Needs root.
#
# perfdhcp offers $RATE exchanges/s for $SECONDS_PER_RUN seconds, drawing its
# clients from the farm's $NODES reserved MACs. Output, one line per figure:
#   bench: dora-rate-vs-PEER  pxefarm's DORA/s vs the peer's, ratio
#   bench: dora-server-cpu-vs-PEER  server CPU per exchange (lower is better)
#   bench: dora-drops-vs-PEER  exchanges offered but not completed
#   bench: dora-perfdhcp-cpu  the generator's own CPU (share of one core)
#   bench: dora-machine-busy  the share of both CPUs busy (all processes, kernel)
#   bench: dora-capacity-per-core  1 s over the server CPU per exchange: the
#          rate each would reach with a core to itself, when the generator
#          and the machine, not the server, set the measured rate
#   profile: dora-pxefarm ...  where serve's CPU went (perf, when installed)
# serve logs at its default level throughout (a line per decision).
set -euo pipefail

BIN=${1:?usage: bench/dhcp-dora.sh PATH-TO-RELEASE-pxefarm}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
source "$(dirname "$0")/lib.sh"   # machine_ticks, busy_pct and the perf profile
SECONDS_PER_RUN=${SECONDS_PER_RUN:-8}
RATE=${RATE:-40000}
NODES=${NODES:-1000}
PEERS=${PEERS:-"dhcpd kea dnsmasq"}
# perfdhcp's own thread mode: "single" keeps the generator on one core of two,
# so it does not take the machine from the server it measures.
PERFDHCP_THREADS=${PERFDHCP_THREADS:-single}

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
    echo "bench: skipped dora: needs root and ip (network namespaces)" >&2
    exit 0
fi
for tool in perfdhcp dhcpd kea-dhcp4 dnsmasq; do
    command -v "$tool" >/dev/null || { echo "bench: skipped dora: $tool is not installed (make deps)" >&2; exit 0; }
done

SRV=pxefarm-bench-dora-s-$$
CLI=pxefarm-bench-dora-c-$$
WORK=$(mktemp -d /tmp/pxefarm-bench-dora.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    ip netns del "$SRV" 2>/dev/null || true
    ip netns del "$CLI" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$SRV"
ip netns add "$CLI"
ip link add pxd0 netns "$SRV" type veth peer name pxd1 netns "$CLI"
ip -n "$SRV" addr add 10.0.0.11/16 dev pxd0
ip -n "$SRV" link set pxd0 up
ip -n "$SRV" link set lo up
ip -n "$CLI" link set pxd1 up
# perfdhcp wants an address on its interface (one no reservation uses).
ip -n "$CLI" addr add 10.0.250.1/16 dev pxd1
ip -n "$CLI" link set lo up

# The farm: n0001.. with 52:54:00:00:HH:LL -> 10.0.HH.LL+256, a PXE menu.
mac() { printf '52:54:00:00:%02x:%02x' $(($1 >> 8)) $(($1 & 255)); }
addr() { printf '10.0.%d.%d' $((($1 + 256) >> 8)) $((($1 + 256) & 255)); }
mkdir -p "$WORK/image/etc" "$WORK/out/tftpboot" "$WORK/tftp" "$WORK/kea"
echo kernel > "$WORK/vmlinuz"
{
    echo "farm: {name: bench, domain: bench.example, server: 10.0.0.11, subnet: 10.0.0.0/16, routers: [10.0.0.1], dns: [10.0.0.2], nfs-root: /nfsroot}"
    echo "images: {base: {root: image, kernel: vmlinuz}}"
    echo "services:"
    echo "  - {type: 14, name: linux-boot, menu: \"Remote Boot Linux\", image: base, root: nfs}"
    echo "  - {type: 0, name: local, menu: \"Local Boot\"}"
    echo "discovery: {prompt: {timeout: 10, text: \"Press F8 to view menu ...\"}}"
    echo "nodes:"
    for i in $(seq "$NODES"); do printf '  - {name: n%04d, mac: "%s", ip: %s, service: linux-boot}\n' "$i" "$(mac "$i")" "$(addr "$i")"; done
} > "$WORK/farm.yaml"
for i in $(seq "$NODES"); do mac "$i"; echo; done > "$WORK/macs"
"$BIN" config "$WORK/farm.yaml" --out "$WORK/emitted" >/dev/null

# What each peer needs beside the emitted file: where to listen, where leases go.
sed 's|"interfaces": \[ \]|"interfaces": [ "pxd0" ]|; s|"lease-database": { "type": "memfile", "lfc-interval": 3600 }|"lease-database": { "type": "memfile", "persist": false }|' \
    "$WORK/emitted/etc/kea-dhcp4.conf" > "$WORK/kea-dhcp4.conf"
{
    sed "s|^tftp-root=.*|tftp-root=$WORK/tftp|" "$WORK/emitted/etc/dnsmasq.conf"
    echo "interface=pxd0"
    echo "bind-interfaces"
    echo "dhcp-leasefile=$WORK/dnsmasq.leases"
} > "$WORK/dnsmasq.conf"
: > "$WORK/dhcpd.leases"

wait_for_port_67() {
    for _ in $(seq 200); do
        if ip netns exec "$SRV" ss -Hlun "sport = :67" | grep -q .; then return 0; fi
        sleep 0.05
    done
    echo "bench: nothing listens on UDP port 67" >&2
    return 1
}
# utime + stime of a process and its threads, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

declare -A RATE_OF CPU_OF DROPS_OF GEN_OF BUSY_OF
# run NAME COMMAND...: start the server in its namespace, offer the load, record.
run() {
    local name=$1 pid before after out
    shift
    ip netns exec "$SRV" "$@" >"$WORK/$name.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_for_port_67
    sleep 0.5
    before=$(cpu_ticks "$pid")
    local machine_before
    machine_before=$(machine_ticks)
    [ "$name" != pxefarm ] || profile_start "$pid" "$WORK/serve.perf"
    # perfdhcp and, after it, the CPU it used (bash's `times`: children's user and system).
    out=$( { ip netns exec "$CLI" perfdhcp -4 -g "$PERFDHCP_THREADS" -l pxd1 -B -r "$RATE" -p "$SECONDS_PER_RUN" -M "$WORK/macs" -R "$NODES" 2>&1; times; } )
    profile_stop
    BUSY_OF[$name]=$(busy_pct "$machine_before" "$(machine_ticks)")
    after=$(cpu_ticks "$pid")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "$out" > "$WORK/$name.perfdhcp"
    local rate sent received gen
    rate=$(awk '/^Rate:/ {print $2; exit}' <<<"$out")
    sent=$(awk '/sent packets:/ {print $3; exit}' <<<"$out")
    received=$(awk '/received packets:/ {print $3; exit}' <<<"$out")
    # The last line of `times` is the children's "XmY.YYYs XmY.YYYs".
    gen=$(tail -n 1 <<<"$out" | awk -v p="$SECONDS_PER_RUN" '{
        split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.0f", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) / p * 100 }')
    local exchanges
    exchanges=$(awk -v r="${rate:-0}" -v p="$SECONDS_PER_RUN" 'BEGIN { printf "%.0f", r * p }')
    RATE_OF[$name]=${rate:-0}
    CPU_OF[$name]=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$exchanges" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print 0 }')
    DROPS_OF[$name]=$(awk '/drops:/ {s += $2} END {print s + 0}' <<<"$out")
    GEN_OF[$name]=$gen
    echo "run: $name rate=${rate:-0} sent=${sent:-?} received=${received:-?} drops=${DROPS_OF[$name]} server_cpu_us=${CPU_OF[$name]} perfdhcp_cpu_pct=$gen" >&2
}

run pxefarm "$BIN" serve "$WORK/farm.yaml" --out "$WORK/out" --interface pxd0 --tftp-port 0 --mtftp-port 0 --no-http
for peer in $PEERS; do
    case $peer in
        dhcpd) run dhcpd dhcpd -4 -f -cf "$WORK/emitted/etc/dhcpd.conf" -lf "$WORK/dhcpd.leases" -pf "$WORK/dhcpd.pid" pxd0 ;;
        kea) run kea env KEA_PIDFILE_DIR="$WORK/kea" KEA_LOCKFILE_DIR="$WORK/kea" kea-dhcp4 -c "$WORK/kea-dhcp4.conf" ;;
        dnsmasq) run dnsmasq dnsmasq --conf-file="$WORK/dnsmasq.conf" --keep-in-foreground --log-facility=/dev/null --user=root --pid-file= ;;
    esac
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
for peer in $PEERS; do
    echo "bench: dora-rate-vs-$peer ${RATE_OF[pxefarm]} DORA/s vs $peer ${RATE_OF[$peer]} DORA/s ratio $(ratio "${RATE_OF[pxefarm]}" "${RATE_OF[$peer]}")"
    echo "bench: dora-server-cpu-vs-$peer ${CPU_OF[pxefarm]} us/DORA vs $peer ${CPU_OF[$peer]} us/DORA ratio $(ratio "${CPU_OF[pxefarm]}" "${CPU_OF[$peer]}")"
    echo "bench: dora-drops-vs-$peer ${DROPS_OF[pxefarm]} drops vs $peer ${DROPS_OF[$peer]} drops ratio $(ratio "${DROPS_OF[pxefarm]}" "${DROPS_OF[$peer]}")"
    echo "bench: dora-perfdhcp-cpu-vs-$peer ${GEN_OF[pxefarm]} %core vs $peer ${GEN_OF[$peer]} %core ratio $(ratio "${GEN_OF[pxefarm]}" "${GEN_OF[$peer]}")"
    echo "bench: dora-machine-busy-vs-$peer ${BUSY_OF[pxefarm]} %cpus vs $peer ${BUSY_OF[$peer]} %cpus ratio $(ratio "${BUSY_OF[pxefarm]}" "${BUSY_OF[$peer]}")"
    # What each server could answer with a core to itself: one second over its CPU per exchange.
    echo "bench: dora-capacity-per-core-vs-$peer $(awk -v c="${CPU_OF[pxefarm]}" 'BEGIN { if (c > 0) printf "%.0f", 1e6 / c; else print 0 }') DORA/s vs $peer $(awk -v c="${CPU_OF[$peer]}" 'BEGIN { if (c > 0) printf "%.0f", 1e6 / c; else print 0 }') DORA/s ratio $(ratio "${CPU_OF[$peer]}" "${CPU_OF[pxefarm]}")"
done
# Where serve's CPU went while perfdhcp ran (perf at 199 Hz, when installed).
profile_report dora-pxefarm "$WORK/serve.perf"
