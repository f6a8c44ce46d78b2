#!/usr/bin/env bash
# make bench-build: pxefarm build of 1000 nodes from the demo image against
# the reference deployment's method, a full `cp -a` of the image per node.
# Prints `bench: NAME VALUE UNIT vs PEER VALUE UNIT ratio R` lines.
set -euo pipefail
BIN=$(readlink -f "${1:?usage: bench/build.sh PATH-TO-pxefarm}")
here=$(cd "$(dirname "$0")/.." && pwd)
NODES=${NODES:-1000}
NAIVE_SAMPLE=${NAIVE_SAMPLE:-100}   # cp -a of 1000 full images needs ~1000x the image's disk
work=$(mktemp -d /var/tmp/pxefarm-bench-build.XXXXXX)
trap 'rm -rf "$work"' EXIT

image="$here/images/busybox"
[ -x "$image/root/bin/busybox" ] || bash "$image/build.sh" >/dev/null
cat > "$work/farm.yaml" <<YAML
farm: {name: bench, domain: bench.example, server: 10.1.0.1, subnet: 10.1.0.0/16, nfs-root: /n}
images:
  base: {root: $image/root, kernel: $image/vmlinuz, system-map: $image/System.map, nbp: pxelinux}
services:
  - {type: 14, name: boot, image: base}
nodes:
  - {range: "n[0001-$(printf %04d "$NODES")]", ip: 10.1.1.1, mac: "52:54:00:10:00:00"}
YAML

now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }'; }

sync
start=$(now); "$BIN" build --quiet "$work/farm.yaml" --out "$work/out" >/dev/null; full=$(awk -v s="$start" -v e="$(now)" 'BEGIN { print e - s }')
# The no-op rebuild, five times (the first right after the full build): the
# median. Each must write nothing and change nothing.
noops=()
for i in 1 2 3 4 5; do
    start=$(now); "$BIN" build --quiet "$work/farm.yaml" --out "$work/out" > "$work/noop.txt"; noops+=("$(awk -v s="$start" -v e="$(now)" 'BEGIN { print e - s }')")
    grep -q ' 0 files written, .*; 0 changed$' "$work/noop.txt" || { echo "bench: the no-op rebuild wrote or changed something:" >&2; cat "$work/noop.txt" >&2; exit 1; }
done
noop=$(printf '%s\n' "${noops[@]}" | sort -g | sed -n 3p)
# The floor under it: starting the binary at all.
starts=()
for i in 1 2 3 4 5; do start=$(now); "$BIN" --version >/dev/null; starts+=("$(awk -v s="$start" -v e="$(now)" 'BEGIN { print e - s }')"); done
floor=$(printf '%s\n' "${starts[@]}" | sort -g | sed -n 3p)

mkdir -p "$work/naive"
start=$(now)
for i in $(seq 1 "$NAIVE_SAMPLE"); do cp -a "$image/root" "$work/naive/n$i"; done
cp "$image/System.map" "$work/naive/n1/System.map"
sync
naive_sample=$(awk -v s="$start" -v e="$(now)" 'BEGIN { print e - s }')
naive=$(awk -v t="$naive_sample" -v n="$NODES" -v m="$NAIVE_SAMPLE" 'BEGIN { print t * n / m }')

image_kib=$(du -sk "$image/root" | cut -f1)
out_kib=$(du -sk "$work/out" | cut -f1)
private_kib=$(du -sk "$work/out/nfsroot" | cut -f1)
tftp_kib=$(du -skL "$work/out/tftpboot" | cut -f1)
naive_kib=$(awk -v k="$(du -sk "$work/naive" | cut -f1)" -v n="$NODES" -v m="$NAIVE_SAMPLE" 'BEGIN { printf "%d", k * n / m }')
floor_kib=$((image_kib + private_kib + tftp_kib))

echo "bench: build-$NODES-nodes-wall $(printf %.3f "$full") s vs cp-a-per-node(${NAIVE_SAMPLE}-measured,scaled) $(printf %.3f "$naive") s ratio $(ratio "$full" "$naive")"
echo "bench: build-$NODES-nodes-disk $((out_kib / 1024)) MiB vs image+private-trees+tftp $((floor_kib / 1024)) MiB ratio $(ratio "$out_kib" "$floor_kib")"
echo "bench: build-$NODES-nodes-disk $((out_kib / 1024)) MiB vs cp-a-per-node(scaled) $((naive_kib / 1024)) MiB ratio $(ratio "$out_kib" "$naive_kib")"
echo "bench: noop-rebuild-$NODES-nodes $(printf %.3f "$noop") s vs full-build $(printf %.3f "$full") s ratio $(ratio "$noop" "$full")"
echo "bench: noop-rebuild-$NODES-nodes $(printf %.3f "$noop") s vs pxefarm-version(process-start) $(printf %.3f "$floor") s ratio $(ratio "$noop" "$floor")"
