#!/usr/bin/env bash
# make bench-tarball: pxefarm build from a root tarball (extracted by pxefarm
# through libarchive) against the by-hand route, `bsdtar -x` then a build from
# the directory; and the no-op rebuild of each (a tarball root must not be
# hashed or extracted again). Prints `bench: NAME VALUE UNIT vs PEER VALUE UNIT ratio R`.
set -euo pipefail
BIN=$(readlink -f "${1:?usage: bench/tarball.sh PATH-TO-pxefarm}")
here=$(cd "$(dirname "$0")/.." && pwd)
NODES=${NODES:-100}
work=$(mktemp -d /var/tmp/pxefarm-bench-tarball.XXXXXX)
trap 'rm -rf "$work"' EXIT

image="$here/images/busybox"
[ -x "$image/root/bin/busybox" ] || bash "$image/build.sh" >/dev/null
bsdtar -c --zstd -f "$work/root.tar.zst" -C "$image/root" .

farm() {  # farm ROOT FILE
    cat > "$2" <<YAML
farm: {name: bench, domain: bench.example, server: 10.1.0.1, subnet: 10.1.0.0/16}
images:
  base: {root: $1, kernel: $image/vmlinuz, system-map: $image/System.map, nbp: pxelinux}
services:
  - {type: 14, name: boot, image: base}
nodes:
  - {range: "n[0001-$(printf %04d "$NODES")]", ip: 10.1.1.1, mac: "52:54:00:10:00:00"}
YAML
}
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { print e - s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }'; }
noop_check() { grep -q '; 0 changed$' "$1" || { echo "bench: a no-op rebuild changed something:" >&2; cat "$1" >&2; exit 1; }; }

farm "$work/root.tar.zst" "$work/tarball.yaml"
sync
start=$(now); "$BIN" build --quiet "$work/tarball.yaml" --out "$work/out-tarball" >/dev/null; tarball=$(since "$start")
start=$(now); "$BIN" build --quiet "$work/tarball.yaml" --out "$work/out-tarball" > "$work/noop-tarball.txt"; noop_tarball=$(since "$start")
noop_check "$work/noop-tarball.txt"

farm "$work/extracted" "$work/directory.yaml"
sync
start=$(now)
mkdir "$work/extracted"
bsdtar -x -f "$work/root.tar.zst" -C "$work/extracted"
"$BIN" build --quiet "$work/directory.yaml" --out "$work/out-directory" >/dev/null
by_hand=$(since "$start")
start=$(now); "$BIN" build --quiet "$work/directory.yaml" --out "$work/out-directory" > "$work/noop-directory.txt"; noop_directory=$(since "$start")
noop_check "$work/noop-directory.txt"

echo "bench: build-from-tarball-$NODES-nodes $(printf %.3f "$tarball") s vs bsdtar-x+build-from-directory $(printf %.3f "$by_hand") s ratio $(ratio "$tarball" "$by_hand")"
echo "bench: noop-rebuild-tarball-$NODES-nodes $(printf %.3f "$noop_tarball") s vs noop-rebuild-directory $(printf %.3f "$noop_directory") s ratio $(ratio "$noop_tarball" "$noop_directory")"
