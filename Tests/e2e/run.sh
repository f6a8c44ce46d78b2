#!/usr/bin/env bash
# End to end: a real PXE client (qemu with iPXE's ROM) boots from pxefarm on a
# test network of its own, then mounts its own NFS root from nfs-ganesha.
#
#   bash Tests/e2e/run.sh BIN [VARIANT ...]
#
# BIN is the pxefarm binary. Variants (all when none are named):
#   menu       pxefarm serve hands out the address; option 43 carries the menu,
#              broadcast boot-server discovery
#   proxy      dnsmasq (PXE off) hands out the address; pxefarm serve --proxy
#              does the PXE part (ProxyDHCP on 67 and 4011)
#   multicast  boot-server discovery by multicast only (tag 6 = 1, tag 7)
#   unicast    boot-server discovery by unicast only (tag 6 = 3, tag 8 list)
#   oneshot    a one-shot kernel argument on the first boot only
#   rebuild    a build with a new kernel argument while serve runs: the second
#              boot of the node has it
#   http       farm.http-boot: iPXE loads its script, kernel and initrd over HTTP
#   lpxelinux  nbp: lpxelinux: lpxelinux.0 over TFTP, kernel and initrd over
#              HTTP as its pxelinux file names them
#   mtftp      linux.1 over MTFTP (an iPXE script as linux.0 fetches it)
#   nfs3       two nodes at once, each on its own NFS root over NFSv3
#   nfs42      the same over NFSv4.2
#   uefi       a UEFI node (OVMF, Secure Boot on, the firmware's own PXE over
#              virtio-net) through Debian's signed shim and GRUB to its NFS root
#   mixed      one BIOS node and one UEFI node of the same farm at once
#   uefi-oneshot  a one-shot argument reaches a UEFI node through its GRUB
#              file, and the next boot is the farm's again
#   uefi-http  UEFI HTTP Boot (OVMF's HTTP client): iPXE to the initrd marker
#              over HTTP; with Secure Boot, shim and GRUB over HTTP
#   multiserver  three boot servers and two NFS servers, 64 simulated nodes
#              and two qemu nodes; one boot server killed mid-storm, a publish
#              while serving, one NFS server stopped (Tests/e2e/multiserver.sh)
#   debian     two nodes at once boot a debootstrap'd Debian 12 root (cached
#              under E2E_CACHE, /var/cache/pxefarm-e2e) to systemd `running`
#              over NFSv4.2 (farm.nfs), each with its own identity
#
# The network: namespaces made here (a LAN with a bridge and the VMs' taps,
# the server, and a plain DHCP server), no route out, all removed on exit,
# failure or kill. Only processes started here are stopped, by PID.
# Needs root (network namespaces). E2E_KEEP=DIR copies the logs there at the
# end; E2E_BOOT_TIMEOUT (180 s) is each VM's hard limit. Prints "SKIP: reason" and exits 0 only
# when a tool it needs is not installed at all.
set -euo pipefail
# (grep -q in a pipeline would end it early and fail it under pipefail: the
# pipelines below let grep read everything.)

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
BIN=${1:?usage: run.sh PXEFARM-BIN [VARIANT ...]}
shift
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
VARIANTS=("$@")
ALL_VARIANTS=(menu proxy multicast unicast oneshot rebuild http mtftp nfs3 nfs42 debian uefi mixed uefi-oneshot uefi-http multiserver lpxelinux)
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=("${ALL_VARIANTS[@]}")
BOOT_TIMEOUT=${E2E_BOOT_TIMEOUT:-180}
IMAGE="$repo/images/busybox"

say() { echo "e2e: $*"; }
die() { echo "e2e: FAILED: $*" >&2; exit 1; }

# --- Tools ------------------------------------------------------------------
skip_missing() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || { echo "e2e: SKIP: $tool is not installed (make deps installs it)"; exit 0; }
    done
}
skip_missing ip qemu-system-x86_64 dnsmasq ganesha.nfsd rpcbind unshare timeout ss
[ -e /usr/lib/ipxe/qemu/efi-e1000.rom ] || { echo "e2e: SKIP: iPXE's ROMs for qemu are not installed (package ipxe-qemu)"; exit 0; }
[ -e /usr/lib/PXELINUX/pxelinux.0 ] || { echo "e2e: SKIP: pxelinux.0 is not installed (package pxelinux)"; exit 0; }
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.ms.fd
# The UEFI variants need OVMF, shim and GRUB; without them they alone are skipped.
uefi_missing=
[ -e "$OVMF_CODE" ] && [ -e "$OVMF_VARS" ] || uefi_missing="OVMF's Secure Boot firmware is not installed (package ovmf)"
[ -e /usr/lib/shim/shimx64.efi.signed ] || uefi_missing="the signed shim is not installed (package shim-signed)"
[ -e /usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed ] || uefi_missing="the signed network GRUB is not installed (package grub-efi-amd64-signed)"
if [ -n "$uefi_missing" ]; then
    kept=()
    for variant in "${VARIANTS[@]}"; do
        case "$variant" in
            uefi*|mixed) echo "e2e: SKIP: $variant: $uefi_missing; make deps installs it" ;;
            *) kept+=("$variant") ;;
        esac
    done
    [ ${#kept[@]} -gt 0 ] || exit 0
    VARIANTS=("${kept[@]}")
fi
[ "$(id -u)" = 0 ] || die "network namespaces need root"
[ -x "$BIN" ] || die "$BIN is not an executable pxefarm"
[ -f "$IMAGE/vmlinuz" ] && [ -x "$IMAGE/root/bin/busybox" ] || die "the demo image is not built: run 'make image'"

# --- Clean-up: everything made here goes, whatever way the run ends ---------------
tag="e2e$$"
NS_LAN="$tag-lan"
NS_SRV="$tag-srv"
NS_DHCP="$tag-dhcp"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pxefarm-e2e.XXXXXX")
PIDS=()
# Namespaces a variant adds (multiserver), removed with the others.
EXTRA_NS=()
WORK_MOUNTED=

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    for ns in "$NS_LAN" "$NS_SRV" "$NS_DHCP" "${EXTRA_NS[@]}"; do
        ip netns del "$ns" 2>/dev/null || true
    done
    if [ -n "${E2E_KEEP:-}" ] && [ -d "$WORK/logs" ]; then
        rm -rf "$E2E_KEEP"
        cp -a "$WORK/logs" "$E2E_KEEP" && echo "e2e: logs kept in $E2E_KEEP"
    fi
    if [ -n "$WORK_MOUNTED" ]; then
        umount "$WORK" 2>/dev/null || umount -l "$WORK" 2>/dev/null || true
    fi
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Started in the background; remembered so that clean-up stops it (by PID).
start() {
    "$@" &
    PIDS+=($!)
    LAST_PID=$!
}

# Stops one process started here and forgets it.
stop() {
    local pid=$1 kept=() p
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
    PIDS=("${kept[@]}")
}

# The exports go out from a tmpfs: nfs-ganesha cannot export from overlayfs
# (the node gets "Permission denied"), and containers often sit on one.
# A Debian root's shared image and two node trees take about 800 MB more.
TMPFS_SIZE=1g
case " ${VARIANTS[*]} " in *" multiserver "*) TMPFS_SIZE=2g ;; esac  # five servers' copies, 64 nodes' downloads
case " ${VARIANTS[*]} " in *" debian "*) TMPFS_SIZE=3g ;; esac
mount -t tmpfs -o size=$TMPFS_SIZE,mode=0755 pxefarm-e2e "$WORK"
WORK_MOUNTED=1
LOGS="$WORK/logs"
mkdir -p "$LOGS"

# --- The network ----------------------------------------------------------------
SUBNET_PREFIX=10.213.0
SERVER=$SUBNET_PREFIX.1
DHCP_SERVER=$SUBNET_PREFIX.2
MACS=(52:54:00:e2:e0:01 52:54:00:e2:e0:02)
IPS=($SUBNET_PREFIX.31 $SUBNET_PREFIX.32)

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

make_network() {
    ip netns add "$NS_LAN"
    ip netns add "$NS_SRV"
    ip netns add "$NS_DHCP"
    in_ns "$NS_LAN" ip link set lo up
    in_ns "$NS_SRV" ip link set lo up
    in_ns "$NS_DHCP" ip link set lo up
    # The LAN: a bridge without multicast snooping (multicast discovery must
    # reach the server without an IGMP querier), and one tap per VM.
    in_ns "$NS_LAN" ip link add br0 type bridge mcast_snooping 0 stp_state 0 forward_delay 0
    in_ns "$NS_LAN" ip link set br0 up
    local i
    for i in 0 1; do
        in_ns "$NS_LAN" ip tuntap add "tap$i" mode tap
        in_ns "$NS_LAN" ip link set "tap$i" master br0
        in_ns "$NS_LAN" ip link set "tap$i" up
    done
    # The server and the plain DHCP server, each on a veth into the bridge.
    local ns dev addr
    for ns in "$NS_SRV:srv0:$SERVER" "$NS_DHCP:dhcp0:$DHCP_SERVER"; do
        IFS=: read -r ns dev addr <<< "$ns"
        # Made inside the namespaces: two runs at once never meet on a name in the host's.
        ip link add "$dev" netns "$ns" type veth peer name "${dev}p" netns "$NS_LAN"
        in_ns "$NS_LAN" ip link set "${dev}p" master br0
        in_ns "$NS_LAN" ip link set "${dev}p" up
        in_ns "$ns" ip addr add "$addr/24" dev "$dev"
        in_ns "$ns" ip link set "$dev" up
        # No default route: nothing leaves the test network.
        if in_ns "$ns" ip route show default | grep . >/dev/null; then die "namespace $ns has a default route"; fi
    done
}

# iPXE waits about 15 s for an IPv6 router advertisement on "Configuring"
# unless one comes: radvd in the server's namespace sends one whose router
# lifetime is 0 (no default route). Without radvd the boots only take longer.
start_radvd() {
    if ! command -v radvd >/dev/null 2>&1; then
        say "radvd is not installed: each boot waits about 15 s more for IPv6 (make deps installs it)"
        return
    fi
    cat > "$WORK/radvd.conf" <<EOF
interface srv0 {
    AdvSendAdvert on;
    AdvDefaultLifetime 0;
    MinRtrAdvInterval 3;
    MaxRtrAdvInterval 10;
};
EOF
    in_ns "$NS_SRV" sysctl -qw net.ipv6.conf.all.forwarding=1
    start ip netns exec "$NS_SRV" radvd --nodaemon --config "$WORK/radvd.conf" \
        --pidfile "$WORK/radvd.pid" --logmethod stderr > "$LOGS/radvd.log" 2>&1
}

# --- qemu: KVM only when it really runs the firmware ------------------------------
ACCEL=tcg
probe_kvm() {
    [ -c /dev/kvm ] || { say "no /dev/kvm: TCG"; return; }
    local log="$LOGS/kvm-probe.serial" pid waited=0
    # iPXE on qemu's user network (restricted: nothing leaves) gets an address
    # and finds nothing to boot. Some hosts' /dev/kvm stops in the ROM instead.
    start qemu-system-x86_64 -accel kvm -machine pc,graphics=off -m 64 -display none \
        -monitor none -serial "file:$log" -netdev user,id=p,restrict=on \
        -device e1000,netdev=p -boot order=n,strict=on,reboot-timeout=0 -no-reboot \
        >"$LOGS/kvm-probe.err" 2>&1
    pid=$LAST_PID
    while [ $waited -lt 30 ] && kill -0 "$pid" 2>/dev/null; do
        grep -q "Nothing to boot" "$log" 2>/dev/null && break
        sleep 0.5
        waited=$((waited + 1))
    done
    stop "$pid"
    if grep -q "Nothing to boot" "$log" 2>/dev/null; then
        ACCEL=kvm
        say "KVM runs iPXE: using KVM"
    else
        local why
        why=$(grep -o 'KVM internal error.*' "$LOGS/kvm-probe.err" | head -n 1 || true)
        say "/dev/kvm did not run iPXE to its end within 15 s (${why:-it stopped in the firmware}): using TCG"
    fi
}

# Copies lines from stdin to FILE and, with their arrival time (seconds since
# the epoch, a tab first), to FILE.times: the clock of the boot timeline.
stamp() {
    local file=$1 line
    : > "$file"
    : > "$file.times"
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line//$'\r'/}
        printf '%s\n' "$line" >> "$file"
        printf '%s\t%s\n' "$EPOCHREALTIME" "$line" >> "$file.times"
    done
    : > "$file.done"
}

# Waits (up to 10 s) until stamp has copied all of FILE's writer's output.
wait_stamped() {
    local file=$1 tries=0
    while [ ! -e "$file.done" ] && [ $tries -lt 100 ]; do sleep 0.1; tries=$((tries + 1)); done
}

# Boots one VM on tap INDEX; its serial console goes to LOG (and LOG.times,
# LOG.start holds the power-on time). Sets VM_PID. VM_MEMORY (MiB) and
# VM_TIMEOUT (s) are the VM's size and hard limit.
VM_MEMORY=384
VM_TIMEOUT=$BOOT_TIMEOUT
boot_vm() {
    local index=$1 log=$2
    echo "$EPOCHREALTIME" > "$log.start"
    start ip netns exec "$NS_LAN" nice -n 5 timeout --kill-after=5 "$VM_TIMEOUT" \
        qemu-system-x86_64 -accel "$ACCEL" -machine pc,graphics=off -m "$VM_MEMORY" \
        -display none -monitor none -chardev stdio,id=console,signal=off -serial chardev:console \
        -netdev "tap,id=n0,ifname=tap$index,script=no,downscript=no" \
        -device "e1000,netdev=n0,mac=${MACS[$index]}" \
        -boot order=n,strict=on,reboot-timeout=0 -no-reboot \
        < /dev/null > >(stamp "$log") 2>"$log.qemu"
    VM_PID=$LAST_PID
}

# Boots one UEFI VM on tap INDEX: q35 with SMM, OVMF's Secure Boot firmware
# with Microsoft's keys enrolled (a copy of the variables per VM), and
# virtio-net without an option ROM, so that the firmware's own PXE client
# boots (option 93 = 7). Sets VM_PID.
boot_uefi_vm() {
    local index=$1 log=$2 vars="$WORK/ovmf-vars-$1-$RANDOM.fd"
    cp "${UEFI_VARS:-$OVMF_VARS}" "$vars"
    echo "$EPOCHREALTIME" > "$log.start"
    start ip netns exec "$NS_LAN" nice -n 5 timeout --kill-after=5 "$BOOT_TIMEOUT" \
        qemu-system-x86_64 -accel "$ACCEL" -machine q35,smm=on -m 512 \
        -global driver=cfi.pflash01,property=secure,value=on \
        -drive "if=pflash,format=raw,unit=0,file=${UEFI_CODE:-$OVMF_CODE},readonly=on" \
        -drive "if=pflash,format=raw,unit=1,file=$vars" \
        -display none -monitor none -chardev stdio,id=console,signal=off -serial chardev:console \
        -netdev "tap,id=n0,ifname=tap$index,script=no,downscript=no" \
        -device "virtio-net-pci,netdev=n0,mac=${MACS[$index]},romfile=" \
        -no-reboot "${UEFI_EXTRA[@]}" \
        < /dev/null > >(stamp "$log") 2>"$log.qemu"
    VM_PID=$LAST_PID
}
UEFI_EXTRA=()
# Another OVMF build for one VM (uefi-http's without Secure Boot).
UEFI_CODE=
UEFI_VARS=

# Waits for a VM to end (it powers off, or the hard limit stops it).
wait_vm() {
    local pid=$1 log=$2 rc=0
    wait "$pid" || rc=$?
    local kept=() p
    for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
    PIDS=("${kept[@]}")
    wait_stamped "$log"
    [ $rc -ne 124 ] && [ $rc -ne 137 ] || { show_tail "$log"; die "the VM did not finish within $VM_TIMEOUT s (serial log above)"; }
    return 0
}

show_tail() {
    echo "--- last lines of $1:" >&2
    tr -d '\r' < "$1" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' | tail -n 40 >&2
    echo "---" >&2
}

# --- The farm -------------------------------------------------------------------
# A value written only in the farm file; the node prints it as its marker.
new_value() { od -An -N6 -tx1 /dev/urandom | tr -d ' \n'; }

# The network boot program (linux.0): pxelinux, except in the MTFTP variant.
FARM_NBP=pxelinux
# Further lines of the farm: section (the http variant's http-boot).
FARM_SETTINGS_EXTRA=
# Further lines of the image (uefi-http's efi: choice).
FARM_IMAGE_EXTRA=
# The initrd's modules: e1000 for iPXE's BIOS nodes, virtio for OVMF's.
FARM_MODULES="e1000, virtio_pci, virtio_net, nfs, nfsv3, nfsv4"

# The farm's image (the busybox demo image, FARM_NBP, FARM_IMAGE_EXTRA) and its
# one service, linux-boot, with its root ROOT (ram or nfs): farm file lines.
image_and_service_yaml() {
    cat <<EOF
images:
  base:
    root: $IMAGE/root
    kernel: $IMAGE/vmlinuz
    system-map: $IMAGE/System.map
    nbp: $FARM_NBP
${FARM_IMAGE_EXTRA}
    initrd:
      compression: gzip
      level: 1
      modules: [$FARM_MODULES]
      files: {/sbin/e2e-marker: e2e-marker}
services:
  - {type: 14, name: linux-boot, menu: "e2e boot", image: base, root: $1,
     kernel-args: "console=ttyS0,115200 panic=1"}
EOF
}

# write_farm DIR DISCOVERY-YAML ROOT NODE-ARGS...
write_farm() {
    local dir=$1 discovery=$2 root=$3
    shift 3
    mkdir -p "$dir"
    cp "$here/files/e2e-marker" "$here/files/e2e-inittab" "$here/files/e2e-rc" "$dir/"
    {
        cat <<EOF
# Written by Tests/e2e/run.sh for one run.
farm:
  name: e2e
  domain: e2e.test
  server: $SERVER
  subnet: $SUBNET_PREFIX.0/24
  nfs-root: /nfsroot
${FARM_SETTINGS_EXTRA}
$(image_and_service_yaml "$root")
discovery:
$discovery
nodes:
EOF
        local i=0 args
        for args in "$@"; do
            echo "  - {name: n$((i + 1)), mac: \"${MACS[$i]}\", ip: ${IPS[$i]}, kernel-args: \"$args\","
            echo "     files: {/etc/inittab: e2e-inittab, /etc/e2e-rc: e2e-rc}}"
            i=$((i + 1))
        done
    } > "$dir/farm.yaml"
}

build_farm() {
    local dir=$1
    nice -n 5 "$BIN" build "$dir/farm.yaml" --out "$dir/out" > "$LOGS/$(basename "$dir").build" 2>&1 \
        || { cat "$LOGS/$(basename "$dir").build" >&2; die "pxefarm build of $dir/farm.yaml failed"; }
}

# Waits until something listens on UDP PORT in namespace NS.
wait_udp() {
    local ns=$1 port=$2 pid=$3 log=$4 tries=0
    until in_ns "$ns" ss -Hlun "sport = :$port" | grep . >/dev/null; do
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "the server exited before listening on UDP $port"; }
        tries=$((tries + 1))
        [ $tries -lt 300 ] || { cat "$log" >&2; die "nothing listens on UDP $port after 30 s"; }
        sleep 0.1
    done
}

# serve_farm DIR [EXTRA ARGS]: pxefarm serve in the server's namespace. Sets SERVE_PID.
serve_farm() {
    local dir=$1
    shift
    local log="$LOGS/$(basename "$dir").serve"
    start ip netns exec "$NS_SRV" "$BIN" serve "$dir/farm.yaml" --out "$dir/out" \
        --address "$SERVER" --interface srv0 "$@" > >(stamp "$log") 2>&1
    SERVE_PID=$LAST_PID
    wait_udp "$NS_SRV" 69 "$SERVE_PID" "$log"
    wait_udp "$NS_SRV" 4011 "$SERVE_PID" "$log"
}

# dnsmasq with PXE off: addresses only (the ProxyDHCP variant). Sets DNSMASQ_PID.
serve_plain_dhcp() {
    local log="$LOGS/dnsmasq.log" i
    local hosts=()
    for i in 0 1; do hosts+=("--dhcp-host=${MACS[$i]},${IPS[$i]}"); done
    start ip netns exec "$NS_DHCP" dnsmasq --conf-file=/dev/null --port=0 --keep-in-foreground \
        --log-facility=- --log-dhcp --bind-interfaces --interface=dhcp0 --user=root \
        --pid-file="$WORK/dnsmasq.pid" --dhcp-leasefile="$WORK/dnsmasq.leases" \
        --dhcp-range="$SUBNET_PREFIX.100,$SUBNET_PREFIX.150,255.255.255.0,10m" \
        "${hosts[@]}" > "$log" 2>&1
    DNSMASQ_PID=$LAST_PID
    wait_udp "$NS_DHCP" 67 "$DNSMASQ_PID" "$log"
}

# --- Checks -----------------------------------------------------------------------
clean_log() { sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$1"; }

expect_in() {
    local log=$1 pattern=$2 what=$3
    clean_log "$log" | grep -E -- "$pattern" >/dev/null || { show_tail "$log"; die "$what: no line matching '$pattern' in $(basename "$log")"; }
}

# The PXE part of a boot: iPXE took the node's address, the node fetched
# pxelinux (linux.0), the kernel (linux.1) and the initrd (linux.2) from
# pxefarm's TFTP, and pxefarm status recorded its boot stages.
expect_pxe_boot() {
    local dir=$1 name=$2 ip=$3 log=$4 serve_log=$5 file
    expect_in "$log" "^net0: $ip/255\.255\.255\.0" "$name: iPXE configured the node's address"
    for file in linux.0 linux.1 linux.2; do
        grep -qE "client=$ip:[0-9]+ file=X86PC/UNDI/linux-boot/$file .*tftp transfer done" "$serve_log" \
            || { show_tail "$serve_log"; die "$name: pxefarm's TFTP log shows no finished transfer of $file to $ip"; }
    done
    expect_status "$dir" "$name" dhcp boot-server tftp
}

# The boot stages pxefarm status recorded for node NAME.
expect_status() {
    local dir=$1 name=$2
    shift 2
    local status
    status=$("$BIN" status "$dir/farm.yaml" --out "$dir/out" 2>&1) || { echo "$status" >&2; die "pxefarm status failed"; }
    local block
    block=$(echo "$status" | awk -v n="$name" '$1 == n {on = 1; print; next} /^[^ ]/ {on = 0} on')
    local stage
    for stage in "$@"; do
        echo "$block" | grep -E "^  $stage " >/dev/null || { echo "$status" >&2; die "pxefarm status shows no '$stage' stage for $name"; }
    done
}

# expect_over_http VARIANT SERVE-LOG FILE...: serve answered each FILE (an
# HTTP target) with 200, and sent neither the kernel nor the initrd over TFTP.
expect_over_http() {
    local variant=$1 serve_log=$2 file
    shift 2
    for file in "$@"; do
        clean_log "$serve_log" | grep "http answered" | grep -F "target=$file " | grep -q "status=200" \
            || { show_tail "$serve_log"; die "$variant: serve's log shows no 200 for $file"; }
    done
    if clean_log "$serve_log" | grep -E "file=X86PC/UNDI/linux-boot/linux\.[12] .*tftp transfer done" >/dev/null; then
        show_tail "$serve_log"
        die "$variant: the kernel or initrd still came over TFTP"
    fi
}

# The boot timeline: seconds from power-on, from the arrival times of the
# serial console's lines and of the server's log lines.
timeline() {
    local name=$1 log=$2 serve_log=$3 mac=$4 ip=$5
    bash "$here/timeline.sh" "$(cat "$log.start")" "$log.times" "$serve_log.times" "$mac" "$ip" \
        | sed "s/^/e2e: timeline $name: /"
}

# --- Variants -----------------------------------------------------------------------
DISCOVERY_BROADCAST='  mode: dhcp
  broadcast: true
  multicast: false
  prompt: {timeout: 1, text: "e2e"}'

# pxe_variant NAME DISCOVERY-YAML PORT [SERVE ARGS]: PORT is where the
# boot-server request must have come in (dhcp: broadcast to 67, multicast,
# pxe: unicast to 4011).
pxe_variant() {
    local variant=$1 discovery=$2 port=$3
    shift 3
    local dir="$WORK/$variant" value
    value=$(new_value)
    write_farm "$dir" "$discovery" ram "rdinit=/sbin/e2e-marker pxefarm.e2e=$value"
    build_farm "$dir"
    serve_farm "$dir" "$@"
    local log="$LOGS/$variant.serial"
    boot_vm 0 "$log"
    wait_vm "$VM_PID" "$log"
    stop "$SERVE_PID"
    wait_stamped "$LOGS/$variant.serve"
    expect_in "$log" "^e2e-marker: pxefarm.e2e=$value\$" "$variant: the initrd's marker"
    say "$variant: the initrd printed the farm file's value $value"
    expect_pxe_boot "$dir" n1 "${IPS[0]}" "$log" "$LOGS/$variant.serve"
    expect_in "$LOGS/$variant.serve" "mac=${MACS[0]^^} node=n1 port=$port reason=boot server: linux-boot " \
        "$variant: the boot-server request came in on the $port port"
    timeline "$variant" "$log" "$LOGS/$variant.serve" "${MACS[0]}" "${IPS[0]}"
}

run_menu() {
    pxe_variant menu "$DISCOVERY_BROADCAST" dhcp
    say "menu: PASS (address and menu from pxefarm, broadcast discovery)"
}

run_multicast() {
    pxe_variant multicast '  mode: dhcp
  broadcast: false
  multicast: 224.0.1.2
  prompt: {timeout: 1, text: "e2e"}' multicast
    say "multicast: PASS (boot-server discovery by multicast only)"
}

run_unicast() {
    pxe_variant unicast "  mode: dhcp
  broadcast: false
  multicast: false
  unicast: [$SERVER]
  server-list-only: true
  prompt: {timeout: 1, text: \"e2e\"}" pxe
    say "unicast: PASS (boot-server discovery by unicast to the tag 8 list only)"
}

run_proxy() {
    serve_plain_dhcp
    pxe_variant proxy '  mode: proxy
  broadcast: true
  prompt: {timeout: 1, text: "e2e"}' dhcp --proxy
    stop "$DNSMASQ_PID"
    expect_in "$LOGS/dnsmasq.log" "DHCPACK\(dhcp0\) ${IPS[0]} ${MACS[0]}" "proxy: dnsmasq handed out the address"
    if grep -qE "reason=REQUEST: [0-9.]+ acknowledged" "$LOGS/proxy.serve"; then
        die "proxy: pxefarm serve --proxy acknowledged an address request (dnsmasq's job)"
    fi
    say "proxy: PASS (address from dnsmasq, PXE from pxefarm serve --proxy)"
}

# A one-shot boot (`pxefarm boot n1 --once --args ...`): the first boot gets the
# extra kernel argument from the pxelinux file serve renders for it, serve drops
# it once the node has fetched linux.1, and the next boot is the farm's again.
run_oneshot() {
    local dir="$WORK/oneshot" value once tries=0
    value=$(new_value)
    once=$(new_value)
    write_farm "$dir" "$DISCOVERY_BROADCAST" ram "rdinit=/sbin/e2e-marker pxefarm.e2e=$value"
    build_farm "$dir"
    "$BIN" boot "$dir/farm.yaml" n1 --once --args "pxefarm.e2e=$once" --out "$dir/out" > "$LOGS/oneshot.boot" 2>&1 \
        || { cat "$LOGS/oneshot.boot" >&2; die "oneshot: pxefarm boot --once failed"; }
    serve_farm "$dir"
    local first="$LOGS/oneshot-1.serial" second="$LOGS/oneshot-2.serial"
    boot_vm 0 "$first"
    wait_vm "$VM_PID" "$first"
    expect_in "$first" "^e2e-marker: pxefarm.e2e=$once\$" "oneshot: the first boot's one-shot argument"
    expect_in "$first" "^e2e-marker: pxefarm.e2e=$value\$" "oneshot: the first boot's own argument"
    until clean_log "$LOGS/oneshot.serve" | grep -q "one-shot boot used"; do
        tries=$((tries + 1))
        [ $tries -lt 100 ] || { show_tail "$LOGS/oneshot.serve"; die "oneshot: serve did not drop the one-shot arguments after linux.1"; }
        sleep 0.1
    done
    boot_vm 0 "$second"
    wait_vm "$VM_PID" "$second"
    stop "$SERVE_PID"
    wait_stamped "$LOGS/oneshot.serve"
    expect_in "$second" "^e2e-marker: pxefarm.e2e=$value\$" "oneshot: the second boot's own argument"
    if clean_log "$second" | grep -q "pxefarm.e2e=$once"; then
        show_tail "$second"
        die "oneshot: the second boot still had the one-shot argument"
    fi
    expect_pxe_boot "$dir" n1 "${IPS[0]}" "$second" "$LOGS/oneshot.serve"
    say "oneshot: PASS (pxefarm.e2e=$once on the first boot only)"
}

# A rebuild while serve runs (issue 13): the node boots, the farm gets a new
# kernel argument and is built again (its generation replaced, the old one
# pruned with --keep 1), and the node's second boot, from the same running
# serve, has the new argument and not the old.
run_rebuild() {
    local dir="$WORK/rebuild" first_value second_value
    first_value=$(new_value)
    second_value=$(new_value)
    write_farm "$dir" "$DISCOVERY_BROADCAST" ram "rdinit=/sbin/e2e-marker pxefarm.e2e=$first_value"
    build_farm "$dir"
    serve_farm "$dir"
    local first="$LOGS/rebuild-1.serial" second="$LOGS/rebuild-2.serial"
    boot_vm 0 "$first"
    wait_vm "$VM_PID" "$first"
    expect_in "$first" "^e2e-marker: pxefarm.e2e=$first_value\$" "rebuild: the first boot's argument"
    write_farm "$dir" "$DISCOVERY_BROADCAST" ram "rdinit=/sbin/e2e-marker pxefarm.e2e=$second_value"
    nice -n 5 "$BIN" build "$dir/farm.yaml" --out "$dir/out" --keep 1 > "$LOGS/rebuild.build-2" 2>&1 \
        || { cat "$LOGS/rebuild.build-2" >&2; die "rebuild: the second pxefarm build failed"; }
    boot_vm 0 "$second"
    wait_vm "$VM_PID" "$second"
    stop "$SERVE_PID"
    wait_stamped "$LOGS/rebuild.serve"
    expect_in "$second" "^e2e-marker: pxefarm.e2e=$second_value\$" "rebuild: the second boot's argument, from the new build"
    if clean_log "$second" | grep -q "pxefarm.e2e=$first_value"; then
        show_tail "$second"
        die "rebuild: the second boot still had the first build's argument"
    fi
    expect_pxe_boot "$dir" n1 "${IPS[0]}" "$second" "$LOGS/rebuild.serve"
    say "rebuild: PASS (the second boot had the rebuilt farm's pxefarm.e2e=$second_value)"
}

# HTTP boot (farm.http-boot): iPXE is handed its per-node script over HTTP
# and loads the kernel and initrd from serve's HTTP listener, not by TFTP.
run_http() {
    local dir="$WORK/http" value
    value=$(new_value)
    FARM_SETTINGS_EXTRA="  http-boot: true"
    write_farm "$dir" "$DISCOVERY_BROADCAST" ram "rdinit=/sbin/e2e-marker pxefarm.e2e=$value"
    FARM_SETTINGS_EXTRA=
    build_farm "$dir"
    serve_farm "$dir"
    local log="$LOGS/http.serial" serve_log="$LOGS/http.serve"
    boot_vm 0 "$log"
    wait_vm "$VM_PID" "$log"
    stop "$SERVE_PID"
    wait_stamped "$serve_log"
    expect_in "$log" "^e2e-marker: pxefarm.e2e=$value\$" "http: the node's argument, from its iPXE script"
    local script
    script="/boot/01-$(echo "${MACS[0]}" | tr ':' '-').ipxe"
    expect_over_http http "$serve_log" "$script" /X86PC/UNDI/linux-boot/linux.1 /X86PC/UNDI/linux-boot/linux.2
    expect_status "$dir" n1 dhcp config kernel initrd
    say "http: PASS (iPXE script, kernel and initrd over HTTP from pxefarm serve)"
}

# Two nodes at once, each on its own root over NFS version VERS.
nfs_variant() {
    local variant=$1 vers=$2 dir="$WORK/$1"
    local values=("$(new_value)" "$(new_value)")
    write_farm "$dir" "$DISCOVERY_BROADCAST" nfs \
        "nfsroot=$SERVER:/nfsroot/n1,vers=$vers pxefarm.e2e=${values[0]}" \
        "nfsroot=$SERVER:/nfsroot/n2,vers=$vers pxefarm.e2e=${values[1]}"
    build_farm "$dir"
    start_ganesha "$dir"
    serve_farm "$dir"
    local logs=("$LOGS/$variant-n1.serial" "$LOGS/$variant-n2.serial") pids=() i
    for i in 0 1; do
        boot_vm "$i" "${logs[$i]}"
        pids+=("$VM_PID")
    done
    for i in 0 1; do wait_vm "${pids[$i]}" "${logs[$i]}"; done
    stop "$SERVE_PID"
    wait_stamped "$LOGS/$variant.serve"
    stop_ganesha
    for i in 0 1; do
        local name="n$((i + 1))" log=${logs[$i]}
        expect_in "$log" "pxefarm-init: mounting $SERVER:/nfsroot/$name on /newroot with rw,vers=$vers" "$variant $name: the initrd mounts its NFS root"
        expect_in "$log" "^e2e-root: hostname=$name value=${values[$i]} uid=0 root-nfs-vers=$vers shared-image=read-only\$" \
            "$variant $name: the root's init, with its own /etc, on the shared image read-only over NFSv$vers"
        local file="$dir/out/nfsroot/$name/var/e2e/written"
        [ -f "$file" ] || { show_tail "$log"; die "$variant $name: $file was not written over NFS"; }
        [ "$(stat -c %u:%g "$file")" = 0:0 ] || die "$variant $name: $file is owned by $(stat -c %u:%g "$file"), not root"
        grep -qx "$name ${values[$i]}" "$file" || die "$variant $name: $file holds '$(cat "$file")', not '$name ${values[$i]}'"
        expect_pxe_boot "$dir" "$name" "${IPS[$i]}" "$log" "$LOGS/$variant.serve"
        timeline "$variant $name" "$log" "$LOGS/$variant.serve" "${MACS[$i]}" "${IPS[$i]}"
    done
    say "$variant: PASS (two nodes, their own /etc and /var over NFSv$vers)"
}

# lpxelinux: the image's nbp is lpxelinux, so linux.0 is lpxelinux.0 and the
# node's pxelinux file (over TFTP) names the kernel and initrd as http://
# URLs on serve's HTTP listener, which is what a PXE ROM other than iPXE gets
# with farm.http-boot (iPXE itself would get its script: this variant keeps
# http-boot off so that the iPXE ROM runs lpxelinux instead).
run_lpxelinux() {
    local dir="$WORK/lpxelinux" value
    value=$(new_value)
    FARM_NBP=lpxelinux
    write_farm "$dir" "$DISCOVERY_BROADCAST" ram "rdinit=/sbin/e2e-marker pxefarm.e2e=$value"
    FARM_NBP=pxelinux
    build_farm "$dir"
    serve_farm "$dir"
    local log="$LOGS/lpxelinux.serial" serve_log="$LOGS/lpxelinux.serve"
    boot_vm 0 "$log"
    wait_vm "$VM_PID" "$log"
    stop "$SERVE_PID"
    wait_stamped "$serve_log"
    expect_in "$log" "^e2e-marker: pxefarm.e2e=$value\$" "lpxelinux: the node's argument, from its pxelinux file"
    grep -qE "file=X86PC/UNDI/linux-boot/linux\.0 .*tftp transfer done" "$serve_log" \
        || { show_tail "$serve_log"; die "lpxelinux: linux.0 (lpxelinux.0) did not go out over TFTP"; }
    cmp -s "$dir/out/tftpboot/X86PC/UNDI/linux-boot/linux.0" /usr/lib/PXELINUX/lpxelinux.0 \
        || die "lpxelinux: the built linux.0 is not lpxelinux.0"
    expect_over_http lpxelinux "$serve_log" /X86PC/UNDI/linux-boot/linux.1 /X86PC/UNDI/linux-boot/linux.2
    say "lpxelinux: PASS (lpxelinux.0 over TFTP, kernel and initrd over HTTP from its pxelinux file)"
}

# linux.1 over MTFTP: pxelinux has no MTFTP, iPXE does (mtftp:// asks on
# port 1759 and listens on 239.255.1.1:3001, falling back to TFTP when no
# MTFTP answer comes). So linux.0 is an iPXE script (the farm's nbp: file)
# that fetches linux.1 by MTFTP and linux.2 by TFTP; the script carries the
# kernel arguments, as pxelinux.cfg does in the other variants.
run_mtftp() {
    local dir="$WORK/mtftp" value group=239.255.1.1:3001
    value=$(new_value)
    mkdir -p "$dir"
    cat > "$dir/mtftp.ipxe" <<EOF
#!ipxe
echo e2e-mtftp: linux.1 by MTFTP from \${next-server}
kernel mtftp://\${next-server}/X86PC/UNDI/linux-boot/linux.1 console=ttyS0,115200 panic=1 rdinit=/sbin/e2e-marker pxefarm.e2e=$value
initrd tftp://\${next-server}/X86PC/UNDI/linux-boot/linux.2
boot
EOF
    FARM_NBP="{file: mtftp.ipxe}"
    write_farm "$dir" "$DISCOVERY_BROADCAST" ram "rdinit=/sbin/e2e-marker pxefarm.e2e=$value"
    FARM_NBP=pxelinux
    build_farm "$dir"
    # Multicast leaves the server's interface (there is no default route).
    in_ns "$NS_SRV" ip route replace 224.0.0.0/4 dev srv0
    serve_farm "$dir" --mtftp-port 1759 --mtftp-group "X86PC/UNDI/linux-boot/linux.1=$group"
    local log="$LOGS/mtftp.serial" serve_log="$LOGS/mtftp.serve"
    boot_vm 0 "$log"
    wait_vm "$VM_PID" "$log"
    stop "$SERVE_PID"
    wait_stamped "$serve_log"
    expect_in "$log" "^e2e-marker: pxefarm.e2e=$value\$" "mtftp: the initrd's marker"
    expect_in "$serve_log" "master=${IPS[0]}:[0-9]+ .*ms=.*mtftp transfer done" "mtftp: pxefarm's MTFTP log"
    grep -E "file=X86PC/UNDI/linux-boot/linux.1 group=$group .*mtftp transfer done" "$serve_log" >/dev/null \
        || { show_tail "$serve_log"; die "mtftp: linux.1 did not go out by MTFTP to $group"; }
    if grep -E "client=${IPS[0]}:[0-9]+ file=X86PC/UNDI/linux-boot/linux.1 .*tftp transfer done" "$serve_log" >/dev/null; then
        die "mtftp: the node fetched linux.1 by plain TFTP (fell back)"
    fi
    expect_status "$dir" n1 dhcp boot-server tftp
    timeline mtftp "$log" "$serve_log" "${MACS[0]}" "${IPS[0]}"
    say "mtftp: PASS (linux.1 by MTFTP to $group, marker $value)"
}

# The UEFI part of a boot: the node fetched shim (linux.0), GRUB
# (grubx64.efi), its GRUB file, the kernel and the initrd from pxefarm's
# TFTP, and the kernel ran with Secure Boot on.
expect_uefi_boot() {
    local dir=$1 name=$2 ip=$3 mac=$4 log=$5 serve_log=$6 file
    local grub_file="grub/grub.cfg-01-${mac//:/-}"
    for file in EFI/X64/linux-boot/linux.0 EFI/X64/linux-boot/grubx64.efi grub/grub.cfg "$grub_file" EFI/X64/linux-boot/linux.1 EFI/X64/linux-boot/linux.2; do
        grep -qE "client=$ip:[0-9]+ file=/?$file .*tftp transfer done" "$serve_log" \
            || { show_tail "$serve_log"; die "$name: pxefarm's TFTP log shows no finished transfer of $file to $ip"; }
    done
    expect_in "$serve_log" "mac=${mac^^} node=$name .*reason=DISCOVER: offering $ip; EFI x86-64 client; service linux-boot, file EFI/X64/linux-boot/linux.0" \
        "$name: serve offered the UEFI boot program"
    expect_in "$log" "pxefarm: $name boots linux-boot" "$name: GRUB read the node's own GRUB file"
    expect_in "$log" "[Ss]ecure boot enabled" "$name: the kernel ran with Secure Boot on"
    expect_status "$dir" "$name" dhcp tftp
}

# nfs_uefi_variant NAME FIRMWARE...: nodes n1.. at once on their own NFS
# roots (NFSv3), each booting with the firmware named (bios or uefi).
nfs_uefi_variant() {
    local variant=$1 dir="$WORK/$1"
    shift
    local firmware=("$@") values=() args=() i
    for i in "${!firmware[@]}"; do
        values+=("$(new_value)")
        args+=("nfsroot=$SERVER:/nfsroot/n$((i + 1)),vers=3 pxefarm.e2e=${values[$i]}")
    done
    write_farm "$dir" "$DISCOVERY_BROADCAST" nfs "${args[@]}"
    build_farm "$dir"
    start_ganesha "$dir"
    serve_farm "$dir"
    local logs=() pids=()
    for i in "${!firmware[@]}"; do
        logs+=("$LOGS/$variant-n$((i + 1)).serial")
        if [ "${firmware[$i]}" = uefi ]; then boot_uefi_vm "$i" "${logs[$i]}"; else boot_vm "$i" "${logs[$i]}"; fi
        pids+=("$VM_PID")
    done
    for i in "${!firmware[@]}"; do wait_vm "${pids[$i]}" "${logs[$i]}"; done
    stop "$SERVE_PID"
    wait_stamped "$LOGS/$variant.serve"
    stop_ganesha
    for i in "${!firmware[@]}"; do
        local name="n$((i + 1))" log=${logs[$i]}
        expect_in "$log" "^e2e-root: hostname=$name value=${values[$i]} uid=0 root-nfs-vers=3 shared-image=read-only\$" \
            "$variant $name: the root's init, with its own /etc, on the shared image read-only over NFS"
        grep -qx "$name ${values[$i]}" "$dir/out/nfsroot/$name/var/e2e/written" || die "$variant $name: its /var/e2e/written was not written over NFS"
        if [ "${firmware[$i]}" = uefi ]; then
            expect_uefi_boot "$dir" "$name" "${IPS[$i]}" "${MACS[$i]}" "$log" "$LOGS/$variant.serve"
        else
            expect_pxe_boot "$dir" "$name" "${IPS[$i]}" "$log" "$LOGS/$variant.serve"
        fi
        timeline "$variant $name" "$log" "$LOGS/$variant.serve" "${MACS[$i]}" "${IPS[$i]}"
    done
}

run_uefi() {
    nfs_uefi_variant uefi uefi
    say "uefi: PASS (OVMF with Secure Boot, shim and GRUB from pxefarm, the node's own NFS root)"
}

run_mixed() {
    nfs_uefi_variant mixed bios uefi
    say "mixed: PASS (a BIOS node and a UEFI node of one farm at once, each on its own NFS root)"
}

# A one-shot boot of a UEFI node: the first boot's GRUB file (rendered by
# serve) carries the extra argument; serve drops it once GRUB has fetched
# EFI/X64/<service>/linux.1, and the next boot reads the built GRUB file.
run_uefi-oneshot() {
    local dir="$WORK/uefi-oneshot" value once tries=0 serve_log="$LOGS/uefi-oneshot.serve"
    value=$(new_value)
    once=$(new_value)
    write_farm "$dir" "$DISCOVERY_BROADCAST" ram "rdinit=/sbin/e2e-marker pxefarm.e2e=$value"
    build_farm "$dir"
    "$BIN" boot "$dir/farm.yaml" n1 --once --args "pxefarm.e2e=$once" --out "$dir/out" > "$LOGS/uefi-oneshot.boot" 2>&1 \
        || { cat "$LOGS/uefi-oneshot.boot" >&2; die "uefi-oneshot: pxefarm boot --once failed"; }
    serve_farm "$dir"
    local first="$LOGS/uefi-oneshot-1.serial" second="$LOGS/uefi-oneshot-2.serial"
    boot_uefi_vm 0 "$first"
    wait_vm "$VM_PID" "$first"
    expect_in "$first" "^e2e-marker: pxefarm.e2e=$once\$" "uefi-oneshot: the first boot's one-shot argument"
    expect_in "$first" "^e2e-marker: pxefarm.e2e=$value\$" "uefi-oneshot: the first boot's own argument"
    until clean_log "$serve_log" | grep -q "one-shot boot used"; do
        tries=$((tries + 1))
        [ $tries -lt 100 ] || { show_tail "$serve_log"; die "uefi-oneshot: serve did not drop the one-shot arguments after linux.1"; }
        sleep 0.1
    done
    boot_uefi_vm 0 "$second"
    wait_vm "$VM_PID" "$second"
    stop "$SERVE_PID"
    wait_stamped "$serve_log"
    expect_in "$second" "^e2e-marker: pxefarm.e2e=$value\$" "uefi-oneshot: the second boot's own argument"
    if clean_log "$second" | grep -q "pxefarm.e2e=$once"; then
        show_tail "$second"
        die "uefi-oneshot: the second boot still had the one-shot argument"
    fi
    expect_uefi_boot "$dir" n1 "${IPS[0]}" "${MACS[0]}" "$second" "$serve_log"
    timeline uefi-oneshot "$second" "$serve_log" "${MACS[0]}" "${IPS[0]}"
    say "uefi-oneshot: PASS (pxefarm.e2e=$once on the first UEFI boot only)"
}

# UEFI HTTP Boot: OVMF's PXE clients are turned off (fw_cfg), so its HTTP
# boot client asks (option 60 HTTPClient, option 93 = 16) and boots the URL
# serve offers from serve's HTTP listener, on HTTP's own port (80).
# 1. To the initrd marker: an image with efi: ipxe and Secure Boot off (OVMF
#    without it; Debian's iPXE is not signed for Secure Boot). OVMF loads
#    snponly.efi over HTTP, iPXE asks again (option 175) and gets its
#    per-node script (farm.http-boot), then the kernel and initrd over HTTP.
# 2. The Secure Boot chain: efi: shim-grub with Secure Boot on, shim and the
#    grubx64.efi it asks for over HTTP, up to GRUB's start. Debian's signed
#    network GRUB 2.06 takes no network configuration from HTTP Boot (it asks
#    for nothing more and stops at its prompt), so this part ends there.
uefi_http_boot() {
    local log=$1 until=$2 tries=0
    UEFI_EXTRA=(-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=n -fw_cfg name=opt/org.tianocore/IPv6PXESupport,string=n)
    boot_uefi_vm 0 "$log"
    UEFI_EXTRA=()
    until clean_log "$log" | grep -q "$until"; do
        kill -0 "$VM_PID" 2>/dev/null || break
        tries=$((tries + 1))
        [ $tries -lt $((BOOT_TIMEOUT * 2)) ] || break
        sleep 0.5
    done
    stop "$VM_PID"
}

run_uefi-http() {
    local dir="$WORK/uefi-http" serve_log="$LOGS/uefi-http.serve" log="$LOGS/uefi-http.serial" value script file
    [ -e /usr/lib/ipxe/snponly.efi ] || { say "uefi-http: SKIP: iPXE's snponly.efi is not installed (package ipxe; make deps installs it)"; return; }
    [ -e /usr/share/OVMF/OVMF_CODE_4M.fd ] || { say "uefi-http: SKIP: OVMF without Secure Boot is not installed (package ovmf)"; return; }
    value=$(new_value)
    FARM_SETTINGS_EXTRA=$'  http-port: 80\n  http-boot: true'
    FARM_IMAGE_EXTRA="    efi: ipxe"
    write_farm "$dir" "$DISCOVERY_BROADCAST" ram "rdinit=/sbin/e2e-marker pxefarm.e2e=$value"
    FARM_SETTINGS_EXTRA=
    FARM_IMAGE_EXTRA=
    build_farm "$dir"
    serve_farm "$dir"
    UEFI_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd UEFI_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
    uefi_http_boot "$log" "^e2e-marker: pxefarm.e2e=$value"
    UEFI_CODE= UEFI_VARS=
    stop "$SERVE_PID"
    wait_stamped "$log"
    wait_stamped "$serve_log"
    expect_in "$serve_log" "reason=DISCOVER: offering ${IPS[0]}; x86-64 UEFI HTTP Boot client; service linux-boot, file http://$SERVER/EFI/X64/linux-boot/linux.0" \
        "uefi-http: serve offered the boot program's URL"
    expect_in "$log" "URI: http://$SERVER/EFI/X64/linux-boot/linux.0" "uefi-http: OVMF's HTTP boot client took the URL"
    expect_in "$log" "^e2e-marker: pxefarm.e2e=$value\$" "uefi-http: the node's argument, from its iPXE script"
    script="/boot/01-$(echo "${MACS[0]}" | tr ':' '-').ipxe"
    expect_over_http uefi-http "$serve_log" /EFI/X64/linux-boot/linux.0 "$script" /X86PC/UNDI/linux-boot/linux.1 /X86PC/UNDI/linux-boot/linux.2
    if clean_log "$serve_log" | grep -E "tftp transfer done" >/dev/null; then
        show_tail "$serve_log"
        die "uefi-http: a file went by TFTP; UEFI HTTP Boot loads everything over HTTP"
    fi
    expect_status "$dir" n1 dhcp config kernel initrd
    timeline uefi-http "$log" "$serve_log" "${MACS[0]}" "${IPS[0]}"

    local sdir="$WORK/uefi-http-sb" sserve_log="$LOGS/uefi-http-sb.serve" slog="$LOGS/uefi-http-sb.serial"
    FARM_SETTINGS_EXTRA="  http-port: 80"
    write_farm "$sdir" "$DISCOVERY_BROADCAST" ram "rdinit=/sbin/e2e-marker pxefarm.e2e=$(new_value)"
    FARM_SETTINGS_EXTRA=
    build_farm "$sdir"
    serve_farm "$sdir"
    uefi_http_boot "$slog" "Welcome to GRUB"
    stop "$SERVE_PID"
    wait_stamped "$slog"
    wait_stamped "$sserve_log"
    expect_in "$sserve_log" "method=GET peer=${IPS[0]}:[0-9]+ reason=boot-file status=200 target=/EFI/X64/linux-boot/linux.0 " "uefi-http: shim over HTTP"
    expect_in "$sserve_log" "method=GET peer=${IPS[0]}:[0-9]+ reason=boot-file status=200 target=/EFI/X64/linux-boot//grubx64.efi " "uefi-http: GRUB over HTTP"
    expect_in "$slog" "Welcome to GRUB" "uefi-http: shim started the signed GRUB with Secure Boot on"
    say "uefi-http: PASS (UEFI HTTP Boot: iPXE, its script, kernel and initrd over HTTP to the marker; with Secure Boot, shim and GRUB over HTTP)"
}

# A real distribution root: Debian 12 with systemd (debootstrap, cached), two
# nodes at once over NFSv4.2 from farm.nfs (no nfsroot= argument: the root
# path is DHCP option 17). Each node's e2e-check.service prints what systemd
# and the node see; the harness compares the two nodes and the server's trees.
run_debian() {
    command -v debootstrap >/dev/null 2>&1 || { say "debian: SKIP: debootstrap is not installed (make deps installs it)"; return; }
    local root dir="$WORK/debian"
    root=$(bash "$here/debian-root.sh" "${E2E_CACHE:-/var/cache/pxefarm-e2e}") || die "debian: no Debian root (debootstrap failed; see above)"
    local kernel map
    kernel=$(ls "$root"/boot/vmlinuz-* | sort -V | tail -n 1)
    map="$root/boot/System.map-${kernel##*/vmlinuz-}"
    local values=("$(new_value)" "$(new_value)") i
    mkdir -p "$dir"
    cp "$here/files/e2e-check" "$here/files/e2e-check.service" "$dir/"
    {
        cat <<EOF
# Written by Tests/e2e/run.sh for one run.
farm:
  name: e2e
  domain: e2e.test
  server: $SERVER
  subnet: $SUBNET_PREFIX.0/24
  nfs-root: /nfsroot
  nfs: {version: 4.2}
images:
  deb12:
    root: $root
    kernel: $kernel
    system-map: $map
    initrd: {compression: gzip, level: 1, modules: [net, nfsv4]}
services:
  - {type: 14, name: linux-boot, menu: "e2e boot", image: deb12, root: nfs,
     kernel-args: "console=ttyS0,115200 panic=1 systemd.wants=e2e-check.service"}
discovery:
$DISCOVERY_BROADCAST
nodes:
EOF
        for i in 0 1; do
            echo "  - {name: n$((i + 1)), mac: \"${MACS[$i]}\", ip: ${IPS[$i]}, kernel-args: \"pxefarm.e2e=${values[$i]}\","
            echo "     files: {/etc/systemd/system/e2e-check.service: e2e-check.service, /etc/e2e-check: e2e-check}}"
        done
    } > "$dir/farm.yaml"
    local started_build=$EPOCHREALTIME
    build_farm "$dir"
    say "debian: built the farm (shared image $(du -sh "$dir/out/nfsroot/.shared/deb12/" | cut -f1)) in $(awk -v a="$started_build" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}') s"
    start_ganesha "$dir"
    serve_farm "$dir"
    local logs=("$LOGS/debian-n1.serial" "$LOGS/debian-n2.serial") pids=()
    VM_MEMORY=1024
    VM_TIMEOUT=$(( BOOT_TIMEOUT > 420 ? BOOT_TIMEOUT : 420 ))
    for i in 0 1; do
        boot_vm "$i" "${logs[$i]}"
        pids+=("$VM_PID")
    done
    for i in 0 1; do wait_vm "${pids[$i]}" "${logs[$i]}"; done
    VM_MEMORY=384
    VM_TIMEOUT=$BOOT_TIMEOUT
    stop "$SERVE_PID"
    wait_stamped "$LOGS/debian.serve"
    stop_ganesha
    local ids=() keys=()
    for i in 0 1; do
        local name="n$((i + 1))" log=${logs[$i]} line
        expect_in "$log" "pxefarm-init: mounting $SERVER:/nfsroot/$name on /newroot with rw,vers=4.2,proto=tcp" "debian $name: the initrd mounts its tree with farm.nfs"
        expect_in "$log" "e2e-debian: state=running\$" "debian $name: systemd reached running"
        if clean_log "$log" | grep -E 'e2e-debian: failed-unit=|\[FAILED\]|Failed unmounting|Failed to (start|mount|unmount)' >&2; then
            show_tail "$log"
            die "debian $name: a unit failed during boot or shutdown (lines above)"
        fi
        expect_in "$log" "e2e-debian: hostname=$name machine-id=[0-9a-f]{32} host-key=SHA256:" "debian $name: its own host name"
        line=$(clean_log "$log" | grep -E "e2e-debian: hostname=$name " | tail -n 1)
        ids+=("$(echo "$line" | sed -E 's/.* machine-id=([0-9a-f]+) .*/\1/')")
        keys+=("$(echo "$line" | sed -E 's/.* host-key=(SHA256:[^ ]+).*/\1/')")
        expect_in "$log" "e2e-debian: root=read-only nfs4 ro,.*vers=4.2" "debian $name: / is the shared image, read-only over NFSv4.2"
        expect_in "$log" "e2e-debian: stat /etc/shadow root:shadow 640\$" "debian $name: /etc/shadow keeps its group"
        expect_in "$log" "e2e-debian: stat /var/mail root:mail 2775\$" "debian $name: /var/mail keeps its group and setgid"
        expect_in "$log" "e2e-debian: stat /usr/sbin/unix_chkpwd root:shadow 2755\$" "debian $name: unix_chkpwd keeps shadow and setgid"
        expect_in "$log" "e2e-debian: stat /usr/bin/sudo root:root 4755\$" "debian $name: sudo keeps setuid"
        expect_in "$log" "reboot: Power down" "debian $name: systemd powered the node off"
        local file="$dir/out/nfsroot/$name/var/e2e/written"
        [ -f "$file" ] || { show_tail "$log"; die "debian $name: $file was not written over NFS"; }
        grep -qx "$name ${values[$i]}" "$file" || die "debian $name: $file holds '$(cat "$file")', not '$name ${values[$i]}'"
        [ "$(cat "$dir/out/nfsroot/$name/etc/machine-id")" = "${ids[$i]}" ] || die "debian $name: the machine id it printed is not its tree's"
        expect_pxe_boot "$dir" "$name" "${IPS[$i]}" "$log" "$LOGS/debian.serve"
        timeline "debian $name" "$log" "$LOGS/debian.serve" "${MACS[$i]}" "${IPS[$i]}"
    done
    [ "${ids[0]}" != "${ids[1]}" ] || die "debian: both nodes have the machine id ${ids[0]}"
    [ "${keys[0]}" != "${keys[1]}" ] || die "debian: both nodes have the host key ${keys[0]}"
    [ "${ids[0]}" != "$(cat "$root/etc/machine-id")" ] || die "debian: n1 kept the image's machine id"
    say "debian: PASS (two Debian 12 nodes to systemd running over NFSv4.2, own machine ids ${ids[0]:0:8}.. and ${ids[1]:0:8}.., own host keys, owners and modes kept)"
}

run_nfs3() { nfs_variant nfs3 3; }
run_nfs42() { nfs_variant nfs42 4.2; }

# --- NFS server -------------------------------------------------------------------
# nfs-ganesha in the server's namespace, in a mount namespace of its own with a
# private /run (rpcbind's socket), exporting as the build's etc/exports says.
start_ganesha() {
    local dir=$1
    ganesha_in "$NS_SRV" "$dir/out" "$SERVER" "$dir" "$LOGS/$(basename "$dir").ganesha"
}

# ganesha_in NS OUT BIND STATE LOG: nfs-ganesha in namespace NS exporting the
# output folder OUT as its etc/exports says, bound to BIND; its configuration,
# recovery folder and pid files under STATE. Sets GANESHA_PID and RPCBIND_PID.
ganesha_in() {
    local ns=$1 out=$2 bind=$3 state=$4 log=$5
    local conf="$state/ganesha.conf"
    mkdir -p "$state/ganesha-recovery"
    bash "$here/ganesha-conf.sh" "$out" /nfsroot "$bind" "$state/ganesha-recovery" > "$conf"
    start ip netns exec "$ns" unshare -m --propagation private sh -c '
        mount -t tmpfs -o mode=0755 tmpfs /run || exit 1
        rpcbind -f -w & echo $! > "$1/rpcbind.pid"
        exec ganesha.nfsd -F -L /dev/stdout -f "$2" -p "$1/ganesha.pid"' sh "$state" "$conf" > "$log" 2>&1
    GANESHA_PID=$LAST_PID
    local tries=0
    until grep -q "NFS SERVER INITIALIZED" "$log"; do
        kill -0 "$GANESHA_PID" 2>/dev/null || { cat "$log" >&2; die "ganesha.nfsd in $ns exited"; }
        tries=$((tries + 1))
        [ $tries -lt 600 ] || { cat "$log" >&2; die "ganesha.nfsd in $ns not ready after 60 s"; }
        sleep 0.1
    done
    RPCBIND_PID=$(cat "$state/rpcbind.pid")
    PIDS+=("$RPCBIND_PID")
}

# Stops nfs-ganesha and its rpcbind: a later variant's rpcbind needs port 111
# of the server's namespace (an old one would send NFSv3 mounts to a dead mountd).
stop_ganesha() {
    stop "$GANESHA_PID"
    stop "$RPCBIND_PID"
}

source "$here/multiserver.sh"

# --- Main ---------------------------------------------------------------------------
make_network
start_radvd
probe_kvm
say "network: bridge in $NS_LAN, server $SERVER in $NS_SRV, plain DHCP $DHCP_SERVER in $NS_DHCP; accelerator $ACCEL"
started=$(date +%s)
for variant in "${VARIANTS[@]}"; do
    declare -F "run_$variant" >/dev/null || die "unknown variant '$variant' (known: ${ALL_VARIANTS[*]})"
    say "$variant: starting"
    "run_$variant"
done
say "all ${#VARIANTS[@]} variants passed in $(( $(date +%s) - started )) s"
