#!/bin/bash
# make deb: pxefarm_<version>_amd64.deb, with dpkg-deb, from a release binary.
#   bash packaging/build-deb.sh BINARY MANUAL_DIR OUT_DIR
# BINARY is the release pxefarm (its Swift runtime linked in statically);
# MANUAL_DIR holds the roff pages argument-parser's generate-manual made from it.
# The version is the binary's own (`pxefarm --version`); DEB_MAINTAINER names the
# maintainer (default: the author of the checked-out commit). File times are
# SOURCE_DATE_EPOCH (default: that commit's time), so the same inputs give the
# same package.
set -euo pipefail
binary=$(realpath "$1") manuals=$(realpath "$2") out=$(realpath "$3")
cd "$(dirname "$0")/.."
version=$("$binary" --version)
maintainer=${DEB_MAINTAINER:-$(git log -1 --format='%an <%ae>')}
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
doc=$root/usr/share/doc/pxefarm

install -D -m 0755 "$binary" "$root/usr/bin/pxefarm"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/pxefarm"

# The default templates, for a site to copy into /etc/pxefarm/templates and edit
# (the binary carries its own copy and never reads this one).
mkdir -p "$root/usr/share/pxefarm"
cp -R templates "$root/usr/share/pxefarm/templates"
find "$root/usr/share/pxefarm" -type d -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +
chmod 0755 "$root/usr/share/pxefarm/templates/initrd/init" "$root/usr/share/pxefarm/templates/initrd/udhcpc.script"

mkdir -p "$root/lib/systemd/system"
sed -e 's|@BINDIR@|/usr/bin|g' -e 's|@DOCDIR@|/usr/share/doc/pxefarm|g' \
    templates/systemd/pxefarm.service > "$root/lib/systemd/system/pxefarm.service"
chmod 0644 "$root/lib/systemd/system/pxefarm.service"
install -D -m 0644 packaging/debian/pxefarm.default "$root/etc/default/pxefarm"

mkdir -p "$root/usr/share/man/man1"
for page in "$manuals"/*.1; do
    gzip -9n < "$page" > "$root/usr/share/man/man1/$(basename "$page").gz"
done
[ -e "$root/usr/share/man/man1/pxefarm.1.gz" ] || { echo "build-deb: no pxefarm.1 in $manuals" >&2; exit 1; }

install -d "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" "$root/usr/share/fish/vendor_completions.d"
# bash-completion sources the file: no #! line.
"$binary" --generate-completion-script bash | sed '1{/^#!/d}' > "$root/usr/share/bash-completion/completions/pxefarm"
"$binary" --generate-completion-script zsh > "$root/usr/share/zsh/vendor-completions/_pxefarm"
"$binary" --generate-completion-script fish > "$root/usr/share/fish/vendor_completions.d/pxefarm.fish"
chmod 0644 "$root"/usr/share/*/completions/pxefarm "$root"/usr/share/zsh/vendor-completions/_pxefarm "$root"/usr/share/fish/vendor_completions.d/pxefarm.fish

install -D -m 0644 packaging/debian/lintian-overrides "$root/usr/share/lintian/overrides/pxefarm"
install -D -m 0644 README.md "$doc/README.md"
install -m 0644 packaging/debian/copyright "$doc/copyright"
sed -e "s|@VERSION@|$version|" -e "s|@MAINTAINER@|$maintainer|" -e "s|@DATE@|$(date -R -u -d "@$epoch")|" \
    packaging/debian/changelog.in | gzip -9n > "$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"

# Depends: the shared libraries the binary links (dpkg-shlibdeps reads them off
# the ELF file); then, in control.in, procps (the unit's ExecReload is /bin/kill)
# and the boot programs and busybox that pxefarm build copies; Recommends:
# rsync and openssh-client, which pxefarm publish copies with (and node host
# keys are made with).
mkdir -p "$stage/debian"
printf 'Source: pxefarm\n\nPackage: pxefarm\nArchitecture: amd64\n' > "$stage/debian/control"
shlibs=$(cd "$stage" && dpkg-shlibdeps -O -e"root/usr/bin/pxefarm" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "build-deb: dpkg-shlibdeps found no libraries for $binary" >&2; exit 1; }

mkdir -p "$root/DEBIAN"
sed -e "s|@VERSION@|$version|" -e "s|@MAINTAINER@|$maintainer|" -e "s|@SHLIBS@|$shlibs|" \
    -e "s|@INSTALLED_SIZE@|$(du -sk --exclude=DEBIAN "$root" | cut -f1)|" \
    packaging/debian/control.in > "$root/DEBIAN/control"
echo /etc/default/pxefarm > "$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root"/DEBIAN/*

find "$root" -exec touch --no-dereference --date="@$epoch" {} +
mkdir -p "$out"
deb=$out/pxefarm_${version}_amd64.deb
SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
