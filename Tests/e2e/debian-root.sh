#!/usr/bin/env bash
# Prints the path of a Debian 12 root for the e2e `debian` variant, made once
# with debootstrap and cached: CACHE/deb12-KEY/root, KEY a hash of the suite,
# variant and package list, so a changed list makes a new root. The first run
# takes a few minutes and about 800 MB (from the mirror of the machine's own
# apt sources); later runs print the cached path at once. Apt's caches and the
# image's own initramfs are removed (pxefarm makes the initrd); nothing else.
#
#   debian-root.sh CACHE-DIR
set -euo pipefail
cache=${1:?usage: debian-root.sh CACHE-DIR}
suite=bookworm
include=systemd-sysv,udev,kmod,iproute2,openssh-server,linux-image-amd64,sudo,procps
key=$(printf '%s minbase %s\n' "$suite" "$include" | sha256sum | cut -c1-16)
folder="$cache/deb12-$key"
if [ -f "$folder/root/etc/debian_version" ]; then
    echo "$folder/root"
    exit 0
fi

# The mirror: the first deb822 URIs of the machine's own sources whose suites
# name the release (not -security), else a one-line sources.list entry.
mirror=
for file in /etc/apt/sources.list.d/*.sources; do
    [ -r "$file" ] || continue
    mirror=$(awk -v suite="$suite" '
        /^URIs:/ { uri = $2 }
        /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) { print uri; exit } }
        /^$/ { uri = "" }' "$file")
    [ -n "$mirror" ] && break
done
if [ -z "$mirror" ] && [ -r /etc/apt/sources.list ]; then
    mirror=$(awk -v suite="$suite" '$1 == "deb" && $3 == suite { print $2; exit }' /etc/apt/sources.list)
fi
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$cache"
staging="$cache/.deb12-$key.partial"
rm -rf "$staging"
mkdir -p "$staging"
echo "debian-root.sh: debootstrap --variant=minbase --include=$include $suite from $mirror (once; cached in $folder)" >&2
debootstrap --variant=minbase --include="$include" "$suite" "$staging/root" "$mirror" > "$staging/debootstrap.log" 2>&1 \
    || { tail -n 20 "$staging/debootstrap.log" >&2; echo "debian-root.sh: debootstrap failed (log above)" >&2; exit 1; }
rm -rf "$staging/root/var/cache/apt/"*.bin "$staging/root/var/cache/apt/archives/"*.deb "$staging/root/var/lib/apt/lists/"*_* \
    "$staging/root/boot/initrd.img-"*
mv "$staging" "$folder"
echo "$folder/root"
