#!/bin/sh
# busybox udhcpc event script for node.sh: configures the address the farm
# reserved and keeps the boot file the answer named.
here=$(dirname "$0")
case $1 in
    bound|renew)
        ip addr add "$ip/${mask:-24}" dev "$interface"
        printf '%s' "${boot_file:-}" >"$here/sim/$interface/boot_file"
        ;;
esac
exit 0
