#!/usr/bin/env bash
# The demo image: a busybox root file system, and a Debian kernel with its
# System.map and the modules a diskless node needs. Everything comes from
# Debian packages (busybox-static, linux-image-*-amd64); the output stays
# out of git. Safe to run again: it rebuilds only what is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root="$here/root"
cache="$here/cache"
mkdir -p "$cache"

# 1. The root: busybox and its applets, the directories a Linux system expects.
if [ ! -x "$root/bin/busybox" ]; then
    rm -rf "$root.tmp"
    mkdir -p "$root.tmp"/{bin,sbin,etc,proc,sys,dev,tmp,var/log,var/run,root,mnt,usr/bin,usr/sbin}
    cp /bin/busybox "$root.tmp/bin/busybox"
    for applet in $(/bin/busybox --list-full); do
        [ -e "$root.tmp/$applet" ] || ln -s /bin/busybox "$root.tmp/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root.tmp/etc/passwd"
    printf 'root:x:0:\n' > "$root.tmp/etc/group"
    printf '::sysinit:/bin/mount -a\n::respawn:-/bin/sh\n::ctrlaltdel:/sbin/reboot\n' > "$root.tmp/etc/inittab"
    chmod 1777 "$root.tmp/tmp"
    mv "$root.tmp" "$root"
fi

# 2. The kernel: the .deb of the version linux-image-amd64 points at, kept in
# cache/, of which only the kernel, System.map and a few module trees are unpacked.
if [ ! -f "$here/vmlinuz" ] || [ ! -f "$here/System.map" ]; then
    package=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    if [ -z "$package" ]; then
        apt-get update -qq
        package=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    fi
    [ -n "$package" ] || { echo "build.sh: cannot find the Debian kernel package (linux-image-amd64)" >&2; exit 1; }
    deb=$(ls "$cache/${package}"_*.deb 2>/dev/null | head -n 1 || true)
    if [ -z "$deb" ]; then
        (cd "$cache" && apt-get download -q "$package")
        deb=$(ls "$cache/${package}"_*.deb | head -n 1)
    fi
    version=${package#linux-image-}
    rm -rf "$cache/unpacked"
    mkdir -p "$cache/unpacked"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/unpacked" \
        "./boot/vmlinuz-$version" "./boot/System.map-$version" \
        --wildcards "./lib/modules/$version/modules.*" \
        "./lib/modules/$version/kernel/drivers/net/ethernet/intel/e1000" \
        "./lib/modules/$version/kernel/drivers/net/virtio_net.ko" \
        "./lib/modules/$version/kernel/drivers/net/net_failover.ko" \
        "./lib/modules/$version/kernel/net/core/failover.ko" \
        "./lib/modules/$version/kernel/drivers/virtio" \
        "./lib/modules/$version/kernel/fs/nfs" \
        "./lib/modules/$version/kernel/fs/nfs_common" \
        "./lib/modules/$version/kernel/fs/lockd" \
        "./lib/modules/$version/kernel/fs/netfs" \
        "./lib/modules/$version/kernel/fs/fscache" \
        "./lib/modules/$version/kernel/net/sunrpc" \
        "./lib/modules/$version/kernel/net/dns_resolver" 2>/dev/null || true
    [ -f "$cache/unpacked/boot/vmlinuz-$version" ] || { echo "build.sh: $deb holds no boot/vmlinuz-$version" >&2; exit 1; }
    rm -rf "$root/lib/modules"
    mkdir -p "$root/lib/modules"
    cp -a "$cache/unpacked/lib/modules/$version" "$root/lib/modules/"
    # The .deb carries no modules.dep: busybox makes one for the modules unpacked.
    /bin/busybox depmod -b "$root" "$version"
    cp "$cache/unpacked/boot/System.map-$version" "$here/System.map.tmp" && mv "$here/System.map.tmp" "$here/System.map"
    cp "$cache/unpacked/boot/vmlinuz-$version" "$here/vmlinuz.tmp" && mv "$here/vmlinuz.tmp" "$here/vmlinuz"
    rm -rf "$cache/unpacked"
fi
echo "image: $root, $(basename "$(readlink -f "$here/vmlinuz")") ready"
