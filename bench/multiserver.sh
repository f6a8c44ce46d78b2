#!/usr/bin/env bash
# make bench-multiserver: pxefarm build and publish of a 10,000-node farm with
# three boot servers and two NFS servers (README "More than one server"),
# publish to local folders (rsync over a local path). Peers, measured in the
# same run: the build of the same nodes without servers: (one server), and a
# plain `rsync -a` of the whole output folder to one folder.
# Prints `bench: NAME VALUE UNIT vs PEER VALUE UNIT ratio R` lines, then the
# CPU time pxefarm and rsync took (they are the load here).
set -euo pipefail
BIN=$(readlink -f "${1:?usage: bench/multiserver.sh PATH-TO-pxefarm}")
here=$(cd "$(dirname "$0")/.." && pwd)
NODES=${NODES:-10000}
work=$(mktemp -d /var/tmp/pxefarm-bench-multiserver.XXXXXX)
trap 'rm -rf "$work"' EXIT

image="$here/images/busybox"
[ -x "$image/root/bin/busybox" ] || bash "$image/build.sh" >/dev/null
farm() {
    cat <<YAML
farm: {name: bench, domain: bench.example, server: 10.1.0.2, subnet: 10.1.0.0/16, nfs-root: /n}
images:
  base: {root: $image/root, kernel: $image/vmlinuz, system-map: $image/System.map, nbp: pxelinux}
services:
  - {type: 14, name: boot, image: base}
nodes:
  - {range: "n[00001-$(printf %05d "$NODES")]", ip: 10.1.1.1, mac: "52:54:00:10:00:00"}
YAML
    [ "$1" = multi ] || return 0
    cat <<YAML
servers:
  - {name: boot1, address: 10.1.0.2, roles: [dhcp, tftp, http]}
  - {name: boot2, address: 10.1.0.3, roles: [dhcp, tftp, http]}
  - {name: boot3, address: 10.1.0.4, roles: [dhcp, tftp, http]}
  - {name: nfs1,  address: 10.1.0.5, roles: [nfs]}
  - {name: nfs2,  address: 10.1.0.6, roles: [nfs]}
YAML
}
farm multi > "$work/multi.yaml"
farm single > "$work/single.yaml"

now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.3f", e - s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }'; }
cpu() { awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat; }   # this shell's children, in clock ticks
ticks=$(getconf CLK_TCK)

sync
start=$(now); "$BIN" build --quiet "$work/single.yaml" --out "$work/single" >/dev/null; single=$(since "$start")
before=$(cpu)
start=$(now); "$BIN" build --quiet "$work/multi.yaml" --out "$work/out" >/dev/null; multi=$(since "$start")
build_cpu=$(awk -v a="$before" -v b="$(cpu)" -v t="$ticks" 'BEGIN { printf "%.2f", (b - a) / t }')
echo "bench: build-10k-nodes-5-servers $multi s vs build-10k-nodes-1-server $single s ratio $(ratio "$multi" "$single")"

targets=()
for name in boot1 boot2 boot3 nfs1 nfs2; do targets+=(--to "$name=$work/far/$name"); done
before=$(cpu)
start=$(now); "$BIN" publish "$work/multi.yaml" --out "$work/out" "${targets[@]}" > "$work/publish.txt"; publish=$(since "$start")
publish_cpu=$(awk -v a="$before" -v b="$(cpu)" -v t="$ticks" 'BEGIN { printf "%.2f", (b - a) / t }')
start=$(now); rsync -aHX "$work/out/" "$work/plain/"; plain=$(since "$start")
echo "bench: publish-10k-nodes-5-servers $publish s vs rsync-whole-output-once $plain s ratio $(ratio "$publish" "$plain")"
while read -r name _ _ _ _ _ _ rest; do
    seconds=$(sed -n 's/.*(\([0-9.]*\) s)$/\1/p' <<< "$rest")
    echo "bench: publish-10k-nodes-server-${name%:} $seconds s vs rsync-whole-output-once $plain s ratio $(ratio "$seconds" "$plain")"
done < "$work/publish.txt"
echo "cpu: pxefarm build ${build_cpu} s, pxefarm publish with its rsync and sh children ${publish_cpu} s (on $(nproc) cores)"
