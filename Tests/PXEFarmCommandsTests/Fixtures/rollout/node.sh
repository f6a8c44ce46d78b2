#!/bin/sh
# A simulated farm node for the rollout test, run as its power-cycle command
# inside the client network namespace: NODE is a macvlan interface there with
# the node's MAC. It PXE boots as pxefarm serve tells it (busybox udhcpc with
# a PXE vendor class), and when told to install it does what an installer
# does: reads inst.ks= from its pxelinux file (TFTP), fetches the kickstart
# file (HTTP), runs the %post callback, and reboots (DHCP again). Each boot's
# outcome is appended to RESULTS as "NODE installed" or "NODE local".
# Usage: node.sh NODE MAC SERVER HERE RESULTS
set -u
node=$1 mac=$2 server=$3 here=$4 results=$5
state=$here/sim/$node
mkdir -p "$state"

retry() { # up to 20 tries half a second apart: the daemon may be restarting
    n=0
    until "$@"; do
        n=$((n + 1))
        [ $n -ge 20 ] && return 1
        sleep 0.5
    done
}

pxe_boot() { # sets $file to the boot file the DHCP answer names (empty: local boot)
    ip addr flush dev "$node"
    rm -f "$state/boot_file"
    retry busybox udhcpc -i "$node" -f -q -n -t 4 -T 1 -V PXEClient:Arch:00000:UNDI:002001 \
        -x 0x5d:0000 -s "$here/udhcpc.sh" >>"$state/udhcpc.log" 2>&1 && [ -f "$state/boot_file" ] ||
        { echo "$node no-dhcp" >>"$results"; exit 1; }
    file=$(cat "$state/boot_file")
}

pxe_boot
case $file in
    "") echo "$node local" >>"$results"; exit 0 ;;
    X86PC/UNDI/linux-install/linux.0) ;;
    *) echo "$node unexpected-boot-file $file" >>"$results"; exit 1 ;;
esac

config=$(echo "$mac" | tr 'A-F:' 'a-f-')
retry curl -sSf --interface "$node" -o "$state/pxelinux.cfg" "tftp://$server/X86PC/UNDI/linux-install/pxelinux.cfg/01-$config" ||
    { echo "$node no-pxelinux-config" >>"$results"; exit 1; }
ks=$(sed -n 's/.*inst\.ks=\([^ ]*\).*/\1/p' "$state/pxelinux.cfg")
retry curl -sSf --interface "$node" -o "$state/ks.cfg" "$ks" || { echo "$node no-kickstart $ks" >>"$results"; exit 1; }
callback=$(sed -n 's/^curl -fsS "\(.*\)"$/\1/p' "$state/ks.cfg")
retry curl -sSf --interface "$node" -o "$state/done" "$callback" || { echo "$node callback-failed" >>"$results"; exit 1; }
echo "$node installed" >>"$results"

# The installer reboots: this time the node must boot from its disk.
pxe_boot
if [ -z "$file" ]; then echo "$node local" >>"$results"; else echo "$node reinstall $file" >>"$results"; fi
