#!/usr/bin/env bash
# bench/storm.sh BIN: a boot storm. STORM_NODES simulated PXE clients (each its
# own MAC and reserved address from a generated farm file) start within
# STORM_RAMP_MS and each does DHCP DORA, then fetches the NBP, its pxelinux
# file and the demo image's kernel and initrd over TFTP (windowsize 1,
# blksize $STORM_BLKSIZE, as PXE ROMs and pxelinux do). Three runs with the
# same generator (bench/storm-load.c, built here with cc -O2; one thread, one
# epoll loop):
#   tftp     against `BIN serve`
#   dnsmasq  against dnsmasq running the dnsmasq.conf pxefarm emitted for the
#            farm (tftp-root pointed at the build, its interface, a lease file,
#            --tftp-max raised to the node count: its default is 50)
#   http     against `BIN serve` again, the iPXE path: DHCP with option 77
#            "iPXE", GET /boot/01-<mac>.ipxe, then its kernel and initrd URLs
#
# The server runs in one network namespace, the generator in another, joined
# by a veth pair; the node addresses live on the generator's end. Both are made
# here and removed on exit; only the PIDs started here are stopped. Needs root.
#
# Output, one line per figure (`bench: NAME VALUE UNIT vs PEER VALUE UNIT ratio R`):
#   storm-completion   first DISCOVER to the last node's full initrd
#   storm-failures     nodes that did not get their initrd (goal 0)
#   storm-retransmissions  the generator's timeouts (DHCP and TFTP)
#   storm-node-p50/-p99    one node's time from DISCOVER to initrd
#   storm-server-cpu   server CPU (user + system) during the storm
#   storm-peak-rss     the server's VmHWM at the end of the storm
#   storm-generator-cpu    the generator's own CPU, share of one core
#   storm-machine-busy     the share of both CPUs busy during the storm (all processes and the kernel)
#   storm-http-vs-tftp     pxefarm's completion over TFTP divided by over HTTP
#   profile: storm-RUN-nN ...  where serve's CPU went (perf, when installed)
set -euo pipefail

BIN=${1:?usage: bench/storm.sh PATH-TO-RELEASE-pxefarm}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
source "$(dirname "$0")/lib.sh"
NODES=${STORM_NODES:-1000}
RAMP_MS=${STORM_RAMP_MS:-1000}
BLKSIZE=${STORM_BLKSIZE:-1468}
TIMEOUT_MS=${STORM_TFTP_TIMEOUT_MS:-1000}
DEADLINE_S=${STORM_DEADLINE_S:-600}
RUNS=${STORM_RUNS:-"tftp dnsmasq http"}
# The demo image (make image); the real files, not the worktree's links to them.
IMAGE=$(readlink -f "${STORM_IMAGE:-$BENCH_DIR/../images/busybox}")
HTTP_PORT=8067

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
    echo "bench: skipped storm: needs root and ip (network namespaces)" >&2
    exit 0
fi
for f in vmlinuz root System.map; do
    [ -e "$(readlink -f "$IMAGE/$f")" ] || { echo "bench: skipped storm: no demo image in $IMAGE (make image)" >&2; exit 0; }
done
# A worktree links the image's parts to another checkout: name the files themselves.
real() { readlink -f "$IMAGE/$1"; }
if [[ " $RUNS " == *" dnsmasq "* ]] && ! command -v dnsmasq >/dev/null; then
    echo "bench: skipped storm-dnsmasq: dnsmasq is not installed (make deps)" >&2
    RUNS=${RUNS//dnsmasq/}
fi

SRV=pxefarm-storm-s-$$
CLI=pxefarm-storm-c-$$
bench_work storm
# One socket per transfer on both sides, a thousand at once.
ulimit -n "$(ulimit -Hn)"

ip netns add "$SRV"
NETNSES+=("$SRV")
ip netns add "$CLI"
NETNSES+=("$CLI")
ip link add sts0 netns "$SRV" type veth peer name sts1 netns "$CLI"
ip -n "$SRV" addr add 10.0.0.11/16 dev sts0
ip -n "$SRV" link set sts0 up
ip -n "$SRV" link set lo up
ip -n "$CLI" link set sts1 up
ip -n "$CLI" link set lo up
# The server's neighbour table must hold every node (the default hard limit is 1024).
ip netns exec "$SRV" sysctl -qw net.ipv4.neigh.default.gc_thresh1=$((NODES + 1024)) \
    net.ipv4.neigh.default.gc_thresh2=$((NODES + 2048)) net.ipv4.neigh.default.gc_thresh3=$((NODES + 4096)) 2>/dev/null || true

# The farm: n0001.. with 52:54:00:HH:HH:LL -> 10.0.x.y from 10.0.1.0 on; a menu
# of one item, no prompt wait. The node addresses sit on the generator's end
# (the first one is its primary), so the server's replies reach it.
mac() { printf '52:54:00:%02x:%02x:%02x' $(($1 >> 16)) $((($1 >> 8) & 255)) $(($1 & 255)); }
addr() { printf '10.0.%d.%d' $((($1 + 256) >> 8)) $((($1 + 256) & 255)); }
[ "$NODES" -ge 1 ] && [ "$NODES" -le 65000 ] || { echo "bench: STORM_NODES must be 1-65000" >&2; exit 1; }
{
    echo "farm: {name: storm, domain: storm.example, server: 10.0.0.11, subnet: 10.0.0.0/16}"
    echo "images:"
    echo "  base: {root: $(real root), kernel: $(real vmlinuz), system-map: $(real System.map), nbp: pxelinux}"
    echo "services:"
    echo "  - {type: 14, name: linux-boot, menu: \"Remote Boot Linux\", image: base, root: ram, kernel-args: \"console=ttyS0 panic=1\"}"
    echo "discovery: {prompt: {timeout: 0, text: \"storm\"}}"
    echo "nodes:"
    for i in $(seq "$NODES"); do printf '  - {name: n%05d, mac: "%s", ip: %s}\n' "$i" "$(mac "$i")" "$(addr "$i")"; done
} > "$WORK/farm.yaml"
for i in $(seq "$NODES"); do echo "$(mac "$i") $(addr "$i")"; done > "$WORK/nodes"
for i in $(seq "$NODES"); do echo "address add $(addr "$i")/16 dev sts1"; done | ip -n "$CLI" -batch -
# The HTTP run's farm is the same with http-boot on; it is built apart, since
# with http-boot a pxelinux image boots lpxelinux, whose files name http://
# URLs, and the TFTP runs must fetch everything over TFTP.
sed '1s/}$/, http-boot: true}/' "$WORK/farm.yaml" > "$WORK/farm-http.yaml"
for farm in farm farm-http; do
    out=$WORK/out${farm#farm}
    "$BIN" build "$WORK/$farm.yaml" --out "$out" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
done
TREE=$WORK/out/tftpboot/X86PC/UNDI/linux-boot
KERNEL_SIZE=$(stat -c %s "$TREE/linux.1")
INITRD_SIZE=$(stat -c %s "$TREE/linux.2")
{
    sed "s|^tftp-root=.*|tftp-root=$WORK/out/tftpboot|" "$WORK/out/etc/dnsmasq.conf"
    echo "interface=sts0"
    echo "bind-interfaces"
    echo "dhcp-leasefile=$WORK/dnsmasq.leases"
    echo "tftp-max=$((NODES + 50))"
} > "$WORK/dnsmasq.conf"

build_storm_load
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
rss_mib() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

declare -A COMPLETION FAILURES RETRANS P50 P99 CPU RSS GEN BUSY
# storm NAME MODE COMMAND...: start the server in its namespace, run the storm, record.
storm() {
    local name=$1 mode=$2 pid before after line machine_before
    shift 2
    ip netns exec "$SRV" "$@" >"$WORK/$name.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_for_udp_port "$SRV" 67
    wait_for_udp_port "$SRV" 69
    sleep 0.5
    before=$(cpu_ticks "$pid")
    machine_before=$(machine_ticks)
    [ "$name" = dnsmasq ] || profile_start "$pid" "$WORK/$name.perf"
    line=$(ip netns exec "$CLI" "$WORK/storm-load" "$mode" sts1 "$WORK/nodes" "$KERNEL_SIZE" "$INITRD_SIZE" \
        "$BLKSIZE" "$RAMP_MS" "$TIMEOUT_MS" "$DEADLINE_S")
    profile_stop
    after=$(cpu_ticks "$pid")
    BUSY[$name]=$(busy_pct "$machine_before" "$(machine_ticks)")
    RSS[$name]=$(rss_mib "$pid")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "run: $name $line server_cpu_s=$(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }') peak_rss_mib=${RSS[$name]}" >&2
    COMPLETION[$name]=$(field "$line" completion_s)
    FAILURES[$name]=$(field "$line" failures)
    RETRANS[$name]=$(field "$line" retransmissions)
    P50[$name]=$(field "$line" p50_s)
    P99[$name]=$(field "$line" p99_s)
    GEN[$name]=$(field "$line" cpu_core_pct)
    CPU[$name]=$(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')
    # The log's last lines say why, when nodes failed.
    if [ "${FAILURES[$name]}" != 0 ]; then tail -n 5 "$WORK/$name.log" >&2; fi
}

SERVE=("$BIN" serve --interface sts0 --mtftp-port 0 --http-port "$HTTP_PORT")
for run in $RUNS; do
    case $run in
        tftp) storm tftp tftp "${SERVE[@]}" "$WORK/farm.yaml" --out "$WORK/out" ;;
        http) storm http http "${SERVE[@]}" "$WORK/farm-http.yaml" --out "$WORK/out-http" ;;
        dnsmasq) storm dnsmasq tftp dnsmasq --conf-file="$WORK/dnsmasq.conf" --keep-in-foreground --log-facility=/dev/null --user=root --pid-file= ;;
    esac
done

line() {   # NAME KEY UNIT OURS PEER
    local name=$1 unit=$2 ours=$3 peer=$4 ov pv
    declare -n table=$5
    ov=${table[$ours]} pv=${table[$peer]}
    echo "bench: $name ${ov} $unit vs $peer ${pv} $unit ratio $(ratio "$ov" "$pv")"
}
if [ -n "${COMPLETION[tftp]:-}" ] && [ -n "${COMPLETION[dnsmasq]:-}" ]; then
    line storm-completion-n$NODES s tftp dnsmasq COMPLETION
    line storm-failures-n$NODES nodes tftp dnsmasq FAILURES
    line storm-retransmissions-n$NODES timeouts tftp dnsmasq RETRANS
    line storm-node-p50-n$NODES s tftp dnsmasq P50
    line storm-node-p99-n$NODES s tftp dnsmasq P99
    line storm-server-cpu-n$NODES s tftp dnsmasq CPU
    line storm-peak-rss-n$NODES MiB tftp dnsmasq RSS
    line storm-generator-cpu-n$NODES %core tftp dnsmasq GEN
    line storm-machine-busy-n$NODES %cpus tftp dnsmasq BUSY
fi
if [ -n "${COMPLETION[http]:-}" ]; then
    if [ -n "${COMPLETION[dnsmasq]:-}" ]; then
        line storm-http-completion-n$NODES s http dnsmasq COMPLETION
        line storm-http-failures-n$NODES nodes http dnsmasq FAILURES
        line storm-http-server-cpu-n$NODES s http dnsmasq CPU
        line storm-http-peak-rss-n$NODES MiB http dnsmasq RSS
        line storm-http-generator-cpu-n$NODES %core http dnsmasq GEN
        line storm-http-machine-busy-n$NODES %cpus http dnsmasq BUSY
    fi
    if [ -n "${COMPLETION[tftp]:-}" ]; then
        # How many times faster HTTP is than TFTP for the same storm.
        echo "bench: storm-http-vs-tftp-n$NODES ${COMPLETION[tftp]} s vs http ${COMPLETION[http]} s ratio $(ratio "${COMPLETION[tftp]}" "${COMPLETION[http]}")"
        line storm-http-node-p99-n$NODES s http tftp P99
    fi
fi
# Where serve's CPU went in each storm (perf at 199 Hz during the run).
for run in tftp http; do profile_report "storm-$run-n$NODES" "$WORK/$run.perf"; done
