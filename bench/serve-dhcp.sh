#!/usr/bin/env bash
# bench/serve-dhcp.sh BIN: DHCP and ProxyDHCP replies per second of
# `BIN serve` against dnsmasq, with the same load generator
# (bench/dhcp-load.c, built here with cc -O2) and the same 1000 static
# reservations, one server after the other. Called by bench/serve.sh.
#
# Real broadcast needs real ports 67/68: the servers run in one network
# namespace, the generator in another, joined by a veth pair; both made here
# and removed on exit. Needs root; without it the script says so and stops.
#
# Each run keeps $OUTSTANDING DISCOVERs in flight for $SECONDS_PER_RUN
# seconds (PXE DISCOVERs: options 60, 93, 94, 97), counting OFFERs.
# Output: `bench: NAME VALUE UNIT vs PEER VALUE UNIT ratio R` lines: replies
# per second, each server's own CPU time per reply (lower is better), the
# generator's own CPU use (share of one core) and each server's memory.
set -euo pipefail

BIN=${1:?usage: bench/serve-dhcp.sh PATH-TO-RELEASE-pxefarm}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
HERE=$(cd "$(dirname "$0")" && pwd)
SECONDS_PER_RUN=${SECONDS_PER_RUN:-4}
OUTSTANDING=${OUTSTANDING:-"1 32"}
NODES=${NODES:-1000}

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
    echo "bench: skipped dhcp: needs root and ip (network namespaces for real broadcast)" >&2
    exit 0
fi
if ! command -v dnsmasq >/dev/null; then
    echo "bench: skipped dhcp: dnsmasq is not installed (apt-get install dnsmasq)" >&2
    exit 0
fi

SRV=pxefarm-bench-dhcp-s-$$
CLI=pxefarm-bench-dhcp-c-$$
WORK=$(mktemp -d /tmp/pxefarm-bench-dhcp.XXXXXX)
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
ip link add pxb0 netns "$SRV" type veth peer name pxb1 netns "$CLI"
ip -n "$SRV" addr add 10.0.0.11/16 dev pxb0
ip -n "$SRV" link set pxb0 up
ip -n "$SRV" link set lo up
ip -n "$CLI" link set pxb1 up
cc -O2 -o "$WORK/dhcp-load" "$HERE/dhcp-load.c"

# The same reservations for both servers: n0001.. with 52:54:00:00:HH:LL -> 10.0.HH.LL+.
mac() { printf '52:54:00:00:%02x:%02x' $(($1 >> 8)) $(($1 & 255)); }
addr() { printf '10.0.%d.%d' $((($1 + 256) >> 8)) $((($1 + 256) & 255)); }
mkdir -p "$WORK/image/etc" "$WORK/out/tftpboot"
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
dnsmasq_conf() {   # RANGE-LINE
    echo "port=0"
    echo "interface=pxb0"
    echo "bind-interfaces"
    echo "$1"
    echo "no-ping"
    echo "domain=bench.example"
    echo "dhcp-option=option:router,10.0.0.1"
    echo "dhcp-option=option:dns-server,10.0.0.2"
    echo "dhcp-leasefile=$WORK/leases"
    echo "pxe-prompt=\"Press F8 to view menu ...\",10"
    echo "pxe-service=x86PC,\"Remote Boot Linux\",X86PC/UNDI/linux-boot/linux"
    echo "pxe-service=x86PC,\"Local Boot\""
    for i in $(seq "$NODES"); do printf 'dhcp-host=%s,%s,n%04d\n' "$(mac "$i")" "$(addr "$i")" "$i"; done
}
dnsmasq_conf "dhcp-range=10.0.0.0,static,255.255.0.0" > "$WORK/dnsmasq-full.conf"
dnsmasq_conf "dhcp-range=10.0.0.0,proxy,255.255.0.0" > "$WORK/dnsmasq-proxy.conf"

wait_for_port_67() {
    for _ in $(seq 200); do
        if ip netns exec "$SRV" ss -Hlun "sport = :67" | grep -q .; then return 0; fi
        sleep 0.05
    done
    echo "bench: nothing listens on UDP port 67" >&2
    return 1
}
rss_mib() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
# utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

declare -A RPS CPU RSS COST
# run NAME COMMAND...: start the server, load it once per window, record the results.
run() {
    local name=$1 pid line w
    shift
    ip netns exec "$SRV" "$@" 2>"$WORK/$name.log" &
    pid=$!
    PIDS+=("$pid")
    wait_for_port_67
    for w in $OUTSTANDING; do
        before=$(cpu_ticks "$pid")
        line=$(ip netns exec "$CLI" "$WORK/dhcp-load" pxb1 67 68 "$SECONDS_PER_RUN" "$w" "$NODES")
        after=$(cpu_ticks "$pid")
        echo "run: $name outstanding=$w $line server_cpu_ticks=$((after - before))" >&2
        RPS[$name/$w]=$(sed -n 's/.*rps=\([0-9]*\).*/\1/p' <<<"$line")
        CPU[$name/$w]=$(sed -n 's/.*cpu_core_pct=\([0-9]*\).*/\1/p' <<<"$line")
        replies=$(sed -n 's/^replies=\([0-9]*\).*/\1/p' <<<"$line")
        # The server's own CPU time per reply, in microseconds: steadier than
        # replies/s on a machine shared with other work.
        COST[$name/$w]=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$replies" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print 0 }')
    done
    RSS[$name]=$(rss_mib "$pid")
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

run pxefarm-dhcp "$BIN" serve "$WORK/farm.yaml" --out "$WORK/out" --interface pxb0 --tftp-port 0
run dnsmasq-dhcp dnsmasq --conf-file="$WORK/dnsmasq-full.conf" --keep-in-foreground --log-facility=/dev/null --user=root --pid-file=
run pxefarm-proxy "$BIN" serve "$WORK/farm.yaml" --out "$WORK/out" --interface pxb0 --tftp-port 0 --proxy
run dnsmasq-proxy dnsmasq --conf-file="$WORK/dnsmasq-proxy.conf" --keep-in-foreground --log-facility=/dev/null --user=root --pid-file=

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
for kind in dhcp proxy; do
    for w in $OUTSTANDING; do
        ours=${RPS[pxefarm-$kind/$w]} theirs=${RPS[dnsmasq-$kind/$w]}
        echo "bench: $kind-replies-o$w $ours replies/s vs dnsmasq $theirs replies/s ratio $(ratio "$ours" "$theirs")"
        echo "bench: $kind-server-cpu-per-reply-o$w ${COST[pxefarm-$kind/$w]} us vs dnsmasq ${COST[dnsmasq-$kind/$w]} us ratio $(ratio "${COST[pxefarm-$kind/$w]}" "${COST[dnsmasq-$kind/$w]}")"
        echo "bench: $kind-load-cpu-o$w ${CPU[pxefarm-$kind/$w]} %core vs dnsmasq ${CPU[dnsmasq-$kind/$w]} %core ratio $(ratio "${CPU[pxefarm-$kind/$w]}" "${CPU[dnsmasq-$kind/$w]}")"
    done
    echo "bench: $kind-peak-rss ${RSS[pxefarm-$kind]} MiB vs dnsmasq ${RSS[dnsmasq-$kind]} MiB ratio $(ratio "${RSS[pxefarm-$kind]}" "${RSS[dnsmasq-$kind]}")"
done
