#!/usr/bin/env bash
# The boot timeline of one e2e run: seconds from power-on to each step, from
# the arrival times of the VM's serial console lines and of the server's log
# lines ("EPOCH<TAB>TEXT" files written by run.sh's stamp).
#
#   timeline.sh POWER-ON-EPOCH SERIAL.times SERVE.times MAC IP
set -euo pipefail
start=$1 serial=$2 serve=$3 mac=$4 ip=$5

# first FILE LABEL REGEX: the first line of FILE matching REGEX.
first() {
    awk -F '\t' -v start="$start" -v label="$2" -v re="$3" '
        index($0, "\t") && $2 ~ re { printf "%7.2f s  %s\n", $1 - start, label; found = 1; exit }
        END { if (!found) printf "      -    %s (not seen)\n", label }' "$1"
}

# every FILE LABEL REGEX ALSO-REGEX FIELD-RE: each line matching both regular
# expressions, labelled with the part of it that FIELD-RE matches.
every() {
    awk -F '\t' -v start="$start" -v label="$2" -v re="$3" -v also="$4" -v field="$5" '
        index($0, "\t") && $2 ~ re && $2 ~ also {
            what = ""
            if (match($2, field)) what = substr($2, RSTART, RLENGTH)
            sub(/ [a-z]+=.*/, "", what)
            printf "%7.2f s  %s %s\n", $1 - start, label, what
        }' "$1"
}

lower_mac=$(echo "$mac" | tr 'A-F' 'a-f')
upper_mac=$(echo "$mac" | tr 'a-f' 'A-F')
macs="($lower_mac|$upper_mac)"
ip_re=$(echo "$ip" | sed 's/\./[.]/g')
{
    first "$serial" "firmware: iPXE starts" "iPXE (\\(http|initialising)"
    every "$serve" "server: DHCP" "dhcp answered" "mac=$macs" "reason=[^;]*"
    first "$serial" "firmware: network configured (DHCP done)" "Configuring \\(net0.*ok"
    every "$serve" "server: TFTP done" "tftp transfer done" "client=$ip_re:" "file=[^ ]*"
    every "$serve" "server: MTFTP done" "mtftp transfer done" "master=$ip_re:" "file=[^ ]*"
    first "$serial" "kernel: console up" "Linux version"
    first "$serial" "initrd: /init runs" "pxefarm-init: kernel|e2e-marker:"
    first "$serial" "initrd: NFS root mounted, switching" "pxefarm-init: switching to"
    first "$serial" "marker (debian: systemd running)" "^e2e-(marker|root):|e2e-debian: state="
    first "$serial" "power off" "reboot: Power down"
} > "$serial.timeline"
# In time order; steps that did not happen last.
grep -v '(not seen)$' "$serial.timeline" | sort -s -n -k1,1
grep '(not seen)$' "$serial.timeline" || true
