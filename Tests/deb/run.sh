#!/usr/bin/env bash
# The Debian package, installed for real: lintian reports no errors, and in a
# fresh debootstrap'd Debian 12 chroot `dpkg -i` installs it, `pxefarm
# --version`, `pxefarm check` and `pxefarm build` work on examples/dc2 with the
# installed binary alone, and `systemd-analyze verify` accepts the installed unit.
#
#   bash Tests/deb/run.sh pxefarm_<version>_amd64.deb
#
# The chroot (minbase plus systemd and the package's Depends, so that dpkg -i
# needs no network) is made once and kept as a tarball under
# /var/cache/pxefarm-deb-chroot, named by a hash of its mirror, suite and
# package list; each run unpacks a fresh copy and removes it at the end.
# Needs root (debootstrap, chroot). Prints "SKIP: reason" and exits 0 only when
# it is not root or a tool it needs is not installed at all.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
DEB=$(realpath "${1:?usage: run.sh pxefarm_VERSION_amd64.deb}")
SUITE=bookworm
# Keep in step with the Depends of packaging/debian/control.in.
PACKAGES=systemd,procps,libarchive13,busybox-static,pxelinux,syslinux-common,shim-signed,grub-efi-amd64-signed
CACHE=/var/cache/pxefarm-deb-chroot

say() { echo "deb: $*"; }
die() { echo "deb: FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || { echo "deb: SKIP: installing into a chroot needs root"; exit 0; }
for tool in debootstrap lintian unshare zstd dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || { echo "deb: SKIP: $tool is not installed (make deps installs it)"; exit 0; }
done
[ -f "$DEB" ] || die "$DEB does not exist (make deb builds it)"
[ -x "$repo/images/busybox/root/bin/busybox" ] && [ -f "$repo/images/busybox/vmlinuz" ] || die "the demo image is not built: run 'make image'"

# --- lintian ------------------------------------------------------------------
say "lintian $(basename "$DEB")"
lintian --fail-on error --tag-display-limit 0 "$DEB" | sed 's/^/deb: lintian: /' || die "lintian reports errors"

# --- The chroot, from the cache or made once ----------------------------------
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v -- '-security' | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}
key=$(printf '%s\n' "$SUITE" minbase "$mirror" "$PACKAGES" | sha256sum | cut -c1-16)
tarball=$CACHE/$SUITE-minbase-$key.tar.zst
work=$(mktemp -d /var/tmp/pxefarm-deb.XXXXXX)
cleanup() { rm -rf --one-file-system "$work"; }
trap cleanup EXIT
root=$work/root
mkdir -p "$root"
if [ ! -f "$tarball" ]; then
    say "debootstrap $SUITE (minbase + $PACKAGES) from $mirror, once: cached as $tarball"
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$root" "$mirror" > "$work/debootstrap.log" 2>&1 \
        || { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
    rm -rf "$root"/var/cache/apt/archives/*.deb
    mkdir -p "$CACHE"
    tar -C "$root" --numeric-owner -cf - . | zstd -q -T0 -3 > "$tarball.tmp.$$"
    mv "$tarball.tmp.$$" "$tarball"
else
    say "chroot from $tarball"
    zstd -q -dc "$tarball" | tar -C "$root" --numeric-owner -xf -
fi

# --- Install and run it there ---------------------------------------------------
cp "$DEB" "$root/tmp/"
mkdir -p "$root/srv/t/examples" "$root/srv/t/images"
cp -a "$repo/examples/dc2" "$root/srv/t/examples/"
cp -a "$repo/images/busybox" "$root/srv/t/images/" && rm -rf "$root/srv/t/images/busybox/cache"
version=$(dpkg-deb --field "$DEB" Version)
# A mount and PID namespace of its own: /proc is mounted for the chroot only and
# goes away with it.
unshare --mount --pid --fork --mount-proc="$root/proc" chroot "$root" /bin/sh -eu -c '
    export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8
    dpkg -i /tmp/'"$(basename "$DEB")"' >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }
    echo "deb: installed: $(dpkg-query -W -f="\${Package} \${Version} \${Status}" pxefarm)"
    [ -e /usr/share/man/man1/pxefarm.1.gz ] && [ -e /usr/share/bash-completion/completions/pxefarm ] \
        && [ -e /usr/share/pxefarm/templates/etc/dhcpd.conf.mustache ] || { echo "files missing"; exit 1; }
    [ "$(pxefarm --version)" = "'"$version"'" ] || { echo "pxefarm --version says $(pxefarm --version)"; exit 1; }
    echo "deb: pxefarm --version: $(pxefarm --version)"
    cd /srv/t
    pxefarm check examples/dc2/farm.yaml | sed "s/^/deb: /"
    pxefarm build examples/dc2/farm.yaml --out /srv/t/out --quiet | sed "s/^/deb: /"
    [ -s /srv/t/out/tftpboot/X86PC/UNDI/linux-boot/linux.2 ] && [ -s /srv/t/out/etc/dhcpd.conf ] || { echo "build made no initrd or dhcpd.conf"; exit 1; }
    systemd-analyze verify /lib/systemd/system/pxefarm.service > /tmp/verify.log 2>&1 || { cat /tmp/verify.log; exit 1; }
    if [ -s /tmp/verify.log ]; then cat /tmp/verify.log; exit 1; fi
    echo "deb: systemd-analyze verify pxefarm.service: clean"
' || die "the package does not install or run in a Debian 12 chroot"
say "ok: $(basename "$DEB") installs and runs in a fresh Debian 12 chroot"
