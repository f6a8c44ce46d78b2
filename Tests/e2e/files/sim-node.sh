#!/bin/sh
# One simulated PXE node of the e2e multiserver variant, run inside the
# clients' namespace on IFACE (a macvlan with the node's MAC). It boots as a
# PXE ROM does: DHCP with a PXE vendor class (busybox udhcpc), then over TFTP
# from the server that answered (its next-server) the boot program, the
# node's pxelinux file, the kernel and the initrd. A boot that fails part way
# (its server died) starts again from DHCP, as a ROM does after its retries;
# at most 8 boots. Appends "IFACE ok boots=N server=ADDRESS" or "IFACE failed"
# to RESULTS, and each failed boot to RESULTS.retries. The kernel and initrd
# are kept as their md5 sums (IFACE's linux.1.md5, linux.2.md5).
# Usage: sim-node.sh IFACE MAC DIR RESULTS
set -u
iface=$1 mac=$2 dir=$3 results=$4
state=$dir/sim/$iface
mkdir -p "$state"
config=01-$(echo "$mac" | tr 'A-F:' 'a-f-')
boots=0
while [ $boots -lt 8 ]; do
    boots=$((boots + 1))
    ip addr flush dev "$iface"
    rm -f "$state/lease"
    if busybox udhcpc -i "$iface" -f -q -n -t 3 -T 1 -V PXEClient:Arch:00000:UNDI:002001 \
        -x 0x5d:0000 -s "$dir/sim-udhcpc.sh" >>"$state/udhcpc.log" 2>&1 && [ -f "$state/lease" ]; then
        . "$state/lease"
        folder=${file%/*}
        ok=1
        for path in "$file" "$folder/pxelinux.cfg/$config" "$folder/linux.1" "$folder/linux.2"; do
            curl -sSf --interface "$iface" --tftp-blksize 1468 --connect-timeout 3 --max-time 60 \
                -o "$state/${path##*/}" "tftp://$next_server/$path" 2>>"$state/curl.log" || { ok=0; break; }
        done
        if [ $ok = 1 ]; then
            # The big files as their checksums: 64 kernels and initrds would fill the test's tmpfs.
            for part in linux.1 linux.2; do
                md5sum < "$state/$part" > "$state/$part.md5" && rm -f "$state/$part"
            done
            echo "$iface ok boots=$boots server=$next_server" >>"$results"
            exit 0
        fi
        echo "$iface boot $boots from $next_server broke off at $path" >>"$results.retries"
    fi
    sleep 1
done
echo "$iface failed" >>"$results"
exit 1
