#!/bin/sh
# busybox udhcpc event script for sim-node.sh: takes the reserved address and
# keeps what the answer named: the boot file and the server to fetch it from.
case $1 in
    bound|renew)
        ip addr add "$ip/${mask:-24}" dev "$interface"
        printf 'file=%s\nnext_server=%s\nserver_id=%s\n' "${boot_file:-}" "${siaddr:-}" "${serverid:-}" \
            > "$(dirname "$0")/sim/$interface/lease"
        ;;
esac
exit 0
