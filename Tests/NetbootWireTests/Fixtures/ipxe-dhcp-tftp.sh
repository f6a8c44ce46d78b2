#!/usr/bin/env bash
# How ipxe-dhcp-tftp.pcap was recorded (run as root; takes about 30 s): the
# iPXE ROM of qemu's e1000 (package ipxe-qemu) boots with `-boot n` on a tap
# inside a network namespace made here, against dnsmasq 2.90 handing out an
# address and a 5-byte boot file over TFTP. Everything is removed afterwards.
set -euo pipefail
OUT=${1:-ipxe-dhcp-tftp.pcap}
NS=pxefarm-capture-$$
WORK=$(mktemp -d)
PIDS=()
# SIGTERM: tcpdump flushes its file on it, and dnsmasq ignores SIGINT.
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip tuntap add tap0 mode tap
ip netns exec "$NS" ip addr add 10.77.0.1/24 dev tap0
ip netns exec "$NS" ip link set tap0 up
mkdir "$WORK/tftp" && echo tiny > "$WORK/tftp/hello.txt"
ip netns exec "$NS" dnsmasq --conf-file=/dev/null --port=0 --keep-in-foreground --log-facility=- --user=root \
    --bind-interfaces --interface=tap0 --dhcp-range=10.77.0.50,10.77.0.60,1h --dhcp-boot=hello.txt \
    --enable-tftp --tftp-root="$WORK/tftp" --pid-file= >/dev/null 2>&1 &
PIDS+=($!)
# -c 11: the whole exchange; tcpdump then closes the file itself (killed later,
# it was seen to lose the packets still in its buffer).
ip netns exec "$NS" tcpdump -i tap0 -n -s 0 -c 11 -w "$OUT" 'udp port 67 or udp port 68 or udp port 69 or (udp and portrange 1024-65535 and not port 5353)' 2>/dev/null &
TCPDUMP=$!
PIDS+=($TCPDUMP)
sleep 1
ip netns exec "$NS" timeout 30 qemu-system-x86_64 -machine pc,graphics=off -accel tcg -m 128 -nodefaults -display none \
    -serial "file:$WORK/serial.log" -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
    -device e1000,netdev=n0,mac=52:54:00:12:34:56 -boot order=n,strict=on,reboot-timeout=0 -no-reboot || true
wait "$TCPDUMP" 2>/dev/null || true
grep -q "hello.txt : 5 bytes" "$WORK/serial.log" && echo "recorded $OUT"
