#!/usr/bin/env bash
# Benchmark (not a test): pxefarm initrd pack against the shell pipelines people use,
# on a realistic tree: a Debian kernel's modules tree (~400 MB) plus busybox.
#   bash bench/initrd.sh BIN      (BIN = the release pxefarm binary; `make bench-initrd`)
# The kernel package is fetched with `apt-get download` into $PXEFARM_BENCH_CACHE
# (default /var/cache/pxefarm-bench, outside the repository) when missing.
# Runs alternate between the tools, ROUNDS times (default 3); each figure is the
# median wall time. A ratio is the peer's time divided by pxefarm's: above 1 means
# pxefarm packs faster (higher throughput). Sizes: ratio = pxefarm's / peer's.
# CPU: user + sys seconds of every process of a run (the peer's whole pipeline);
# ratio = peer's / pxefarm's, above 1 means pxefarm spends less CPU. Wall times
# depend on what else runs on the machine: the load is printed with them.
set -euo pipefail

BIN=$(realpath "${1:?usage: bench/initrd.sh PATH-TO-pxefarm}")
CACHE=${PXEFARM_BENCH_CACHE:-/var/cache/pxefarm-bench}
ROUNDS=${ROUNDS:-3}
export SOURCE_DATE_EPOCH=0
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "bench: ROUNDS must be a whole number of at least 1 (got '$ROUNDS')" >&2; exit 2; }

for tool in cpio gzip pigz bsdtar zstd dpkg-deb busybox sha256sum /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench: missing $tool (run make deps)" >&2; exit 1; }
done

mkdir -p "$CACHE"
# The kernel package linux-image-amd64 points at today.
package=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$package" ]; then
    apt-get update -qq
    package=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
fi
version=${package#linux-image-}
tree=$CACHE/tree-$version
if [ ! -f "$tree.complete" ]; then
    deb=$(ls "$CACHE"/"$package"_*.deb 2>/dev/null | head -n1 || true)
    if [ -z "$deb" ]; then
        echo "bench: fetching $package into $CACHE" >&2
        (cd "$CACHE" && apt-get download "$package" >/dev/null 2>&1) || (cd "$CACHE" && apt-get download "$package")
        deb=$(ls "$CACHE"/"$package"_*.deb | head -n1)
    fi
    rm -rf "$tree" "$tree.extract"
    dpkg-deb -x "$deb" "$tree.extract"
    mkdir -p "$tree/lib/modules" "$tree/bin"
    mv "$tree.extract/lib/modules/$version" "$tree/lib/modules/"
    rm -rf "$tree.extract"
    # The .deb has no modules.dep: make the index files the way an image build would.
    busybox depmod -b "$tree" "$version"
    cp "$(command -v busybox)" "$tree/bin/busybox"
    touch "$tree.complete"
fi

work=$(mktemp -d /tmp/pxefarm-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
entries=$(cd "$tree" && find . | wc -l)
megabytes=$(du -sm "$tree" | cut -f1)
echo "tree: $tree ($entries entries, $megabytes MiB), $ROUNDS rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# Warm the page cache so every tool reads from memory.
tar -C "$tree" -cf - . >/dev/null

# run NAME OUTPUT COMMAND...: appends "wall user sys" to $work/NAME.times.
run() {
    local name=$1 out=$2
    shift 2
    rm -f "$out"
    /usr/bin/time -f "%e %U %S" -o "$work/$name.one" bash -c "$*"
    cat "$work/$name.one" >> "$work/$name.times"
    stat -c %s "$out" > "$work/$name.size"
}

# The peers read the same tree; find's order is sorted too, for fairness.
PEER_FIND="cd '$tree' && find . | LC_ALL=C sort"
for round in $(seq "$ROUNDS"); do
    run pxefarm-gzip6 "$work/p.gz" "'$BIN' initrd pack '$tree' -o '$work/p.gz' --compression gzip --level 6 >/dev/null"
    cp "$work/p.gz" "$work/p.gz.$round"
    run cpio-gzip6 "$work/c.gz" "$PEER_FIND | cpio --quiet -o -H newc | gzip -6 > '$work/c.gz'"
    run cpio-pigz6 "$work/c.pz" "$PEER_FIND | cpio --quiet -o -H newc | pigz -6 -n > '$work/c.pz'"
    run pxefarm-zstd3 "$work/p.zst" "'$BIN' initrd pack '$tree' -o '$work/p.zst' --compression zstd --level 3 >/dev/null"
    cp "$work/p.zst" "$work/p.zst.$round"
    run bsdtar-zstd3 "$work/b.zst" "cd '$tree' && bsdtar --format newc -cf - . | zstd -q -3 -T0 > '$work/b.zst'"
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() { cut -d' ' -f1 "$work/$1.times" | median; }
cpu() { awk '{u+=$2; s+=$3} END {printf "user %.2f s sys %.2f s per run", u/NR, s/NR}' "$work/$1.times"; }
size() { cat "$work/$1.size"; }
mib() { awk -v b="$1" 'BEGIN {printf "%.1f", b/1048576}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

line() { # NAME PEER-LABEL OURS PEER
    local ours peer
    ours=$(wall "$3"); peer=$(wall "$4")
    echo "bench: $1 $ours s vs $2 $peer s ratio $(ratio "$peer" "$ours")"
}
sizeline() { # NAME PEER-LABEL OURS PEER
    local ours peer
    ours=$(size "$3"); peer=$(size "$4")
    echo "bench: $1 $(mib "$ours") MiB vs $2 $(mib "$peer") MiB ratio $(awk -v a="$ours" -v b="$peer" 'BEGIN {printf "%.4f", a/b}')"
}

echo "load after the runs: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews wall times; see cpu: lines)"
line initrd-pack-gzip6 "cpio|gzip-6" pxefarm-gzip6 cpio-gzip6
line initrd-pack-gzip6 "cpio|pigz-6" pxefarm-gzip6 cpio-pigz6
line initrd-pack-zstd3 "bsdtar|zstd-3" pxefarm-zstd3 bsdtar-zstd3
sizeline initrd-size-gzip6 "cpio|gzip-6" pxefarm-gzip6 cpio-gzip6
sizeline initrd-size-gzip6 "cpio|pigz-6" pxefarm-gzip6 cpio-pigz6
sizeline initrd-size-zstd3 "bsdtar|zstd-3" pxefarm-zstd3 bsdtar-zstd3
cpuline() { # NAME PEER-LABEL OURS PEER: CPU seconds (user + sys, all processes) per pack
    local ours peer
    ours=$(awk '{t+=$2+$3} END {printf "%.2f", t/NR}' "$work/$3.times")
    peer=$(awk '{t+=$2+$3} END {printf "%.2f", t/NR}' "$work/$4.times")
    echo "bench: $1 $ours cpu-s vs $2 $peer cpu-s ratio $(ratio "$peer" "$ours")"
}
cpuline initrd-cpu-gzip6 "cpio|pigz-6" pxefarm-gzip6 cpio-pigz6
cpuline initrd-cpu-zstd3 "bsdtar|zstd-3" pxefarm-zstd3 bsdtar-zstd3
for name in pxefarm-gzip6 cpio-gzip6 cpio-pigz6 pxefarm-zstd3 bsdtar-zstd3; do
    echo "cpu: $name $(cpu "$name")"
done

# Reproducibility: every round of each pxefarm pack has the same sha256.
for kind in gz zst; do
    sums=$(sha256sum "$work"/p.$kind.* | cut -d' ' -f1 | sort -u)
    if [ "$(echo "$sums" | wc -l)" = 1 ]; then
        echo "reproducible: pxefarm $kind sha256 $sums in all $ROUNDS runs"
    else
        echo "NOT reproducible: pxefarm $kind runs differ:" $sums
        exit 1
    fi
done
# And the archives hold what the peers' hold.
zcat "$work/p.gz" | cpio --quiet -it | sed 's|^\./||' | LC_ALL=C sort > "$work/p.names"
zcat "$work/c.gz" | cpio --quiet -it | sed 's|^\./||; /^\.$/d' | LC_ALL=C sort > "$work/c.names"
if cmp -s "$work/p.names" "$work/c.names"; then
    echo "contents: same $(wc -l < "$work/p.names") names as cpio's archive"
else
    echo "contents: DIFFER from cpio's archive"; diff "$work/p.names" "$work/c.names" | head; exit 1
fi
