# The e2e multiserver variant (sourced by run.sh, which defines the helpers it
# uses): a farm served by three boot servers and two NFS servers, each in a
# namespace of its own on the test LAN, booting 64 simulated PXE nodes and two
# qemu nodes. One boot server is killed in the middle of the storm and every
# node still boots; a publish while the others serve never serves a
# half-copied generation; with one NFS server stopped, pxefarm status says
# which nodes cannot boot.

MS_SIM_NODES=${E2E_SIM_NODES:-64}

# ms_member NAME ADDRESS: a namespace on the LAN bridge with ADDRESS/24 on eth0
# (ADDRESS empty: no address). Prints the namespace's name.
ms_member() {
    local name=$1 address=$2 ns="$tag-$1"
    ip netns add "$ns"
    EXTRA_NS+=("$ns")
    in_ns "$ns" ip link set lo up
    ip link add eth0 netns "$ns" type veth peer name "${name}p" netns "$NS_LAN"
    in_ns "$NS_LAN" ip link set "${name}p" master br0
    in_ns "$NS_LAN" ip link set "${name}p" up
    [ -z "$address" ] || in_ns "$ns" ip addr add "$address/24" dev eth0
    in_ns "$ns" ip link set eth0 up
}

# The simulated nodes' MACs and addresses: s01..sNN.
ms_sim_mac() { printf '52:54:00:e2:e1:%02x' "$1"; }
ms_sim_ip() { echo "$SUBNET_PREFIX.$((100 + $1))"; }

# ms_write_farm DIR VALUE1 VALUE2 SIM-ARGS
ms_write_farm() {
    local dir=$1 v1=$2 v2=$3 sim_args=$4
    mkdir -p "$dir"
    cp "$here/files/e2e-marker" "$here/files/e2e-inittab" "$here/files/e2e-rc" "$dir/"
    cat > "$dir/farm.yaml" <<YAML
# Written by Tests/e2e/multiserver.sh for one run.
farm:
  name: e2e
  domain: e2e.test
  server: $SUBNET_PREFIX.11
  subnet: $SUBNET_PREFIX.0/24
  nfs-root: /nfsroot
servers:
  - {name: boot1, address: $SUBNET_PREFIX.11, roles: [dhcp, tftp, http]}
  - {name: boot2, address: $SUBNET_PREFIX.12, roles: [dhcp, tftp, http]}
  - {name: boot3, address: $SUBNET_PREFIX.13, roles: [dhcp, tftp, http]}
  - {name: nfs1, address: $SUBNET_PREFIX.21, roles: [nfs]}
  - {name: nfs2, address: $SUBNET_PREFIX.22, roles: [nfs]}
$(image_and_service_yaml nfs)
discovery:
$DISCOVERY_BROADCAST
nodes:
  - {name: n1, mac: "${MACS[0]}", ip: ${IPS[0]}, nfs-server: nfs1, kernel-args: "pxefarm.e2e=$v1",
     files: {/etc/inittab: e2e-inittab, /etc/e2e-rc: e2e-rc}}
  - {name: n2, mac: "${MACS[1]}", ip: ${IPS[1]}, nfs-server: nfs2, kernel-args: "pxefarm.e2e=$v2",
     files: {/etc/inittab: e2e-inittab, /etc/e2e-rc: e2e-rc}}
  - {range: "s[01-$(printf %02d "$MS_SIM_NODES")]", ip: $(ms_sim_ip 1), mac: "$(ms_sim_mac 1)", kernel-args: "$sim_args"}
YAML
}

# ms_publish DIR: the current generation to each server's own folder.
ms_publish() {
    local dir=$1 targets=() name
    for name in boot1 boot2 boot3 nfs1 nfs2; do targets+=(--to "$name=$dir/far/$name"); done
    "$BIN" publish "$dir/farm.yaml" --out "$dir/out" "${targets[@]}" >> "$LOGS/multiserver.publish" 2>&1 \
        || { cat "$LOGS/multiserver.publish" >&2; die "multiserver: pxefarm publish failed"; }
}

# ms_serve NAME: pxefarm serve --server NAME from NAME's published folder, in
# its namespace. Sets SERVE_PID.
ms_serve() {
    local name=$1 dir=$2 ns="$tag-$1" log="$LOGS/multiserver-$1.serve"
    start ip netns exec "$ns" "$BIN" serve "$dir/farm.yaml" --out "$dir/far/$name" --server "$name" \
        --interface eth0 > >(stamp "$log") 2>&1
    SERVE_PID=$LAST_PID
    wait_udp "$ns" 69 "$SERVE_PID" "$log"
    wait_udp "$ns" 67 "$SERVE_PID" "$log"
}

# ms_ganesha NAME DIR ADDRESS: nfs-ganesha in NAME's namespace exporting its
# published folder as its own etc/exports says. Sets GANESHA_PID and RPCBIND_PID.
ms_ganesha() {
    local name=$1 dir=$2 address=$3
    mkdir -p "$dir/$name-run"
    ganesha_in "$tag-$name" "$dir/far/$name" "$address" "$dir/$name-run" "$LOGS/multiserver-$name.ganesha"
}

run_multiserver() {
    local dir="$WORK/multiserver" i name
    local v1 v2 old_value new_value_
    v1=$(new_value); v2=$(new_value); old_value=$(new_value); new_value_=$(new_value)
    for name in boot1:11 boot2:12 boot3:13 nfs1:21 nfs2:22; do ms_member "${name%:*}" "$SUBNET_PREFIX.${name#*:}"; done
    ms_member cli "$SUBNET_PREFIX.90"
    local cli="$tag-cli"
    for sysctl in net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.all.rp_filter=0 \
                  net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.default.arp_ignore=1 net.ipv4.conf.default.arp_announce=2; do
        in_ns "$cli" sysctl -qw "$sysctl"
    done
    for i in $(seq 1 "$MS_SIM_NODES"); do
        in_ns "$cli" ip link add "s$i" link eth0 address "$(ms_sim_mac "$i")" type macvlan mode bridge
        in_ns "$cli" ip link set "s$i" up
    done

    ms_write_farm "$dir" "$v1" "$v2" "pxefarm.sim=$old_value"
    build_farm "$dir"
    ms_publish "$dir"
    cp "$here/files/sim-node.sh" "$here/files/sim-udhcpc.sh" "$dir/"
    ms_ganesha nfs1 "$dir" "$SUBNET_PREFIX.21"; local ganesha1=$GANESHA_PID rpcbind1=$RPCBIND_PID
    ms_ganesha nfs2 "$dir" "$SUBNET_PREFIX.22"; local ganesha2=$GANESHA_PID rpcbind2=$RPCBIND_PID
    declare -A serve_pid
    for name in boot1 boot2 boot3; do ms_serve "$name" "$dir"; serve_pid[$name]=$SERVE_PID; done

    # The storm: every simulated node at once.
    local results="$dir/sim-results" sims=()
    : > "$results"
    : > "$results.retries"
    for i in $(seq 1 "$MS_SIM_NODES"); do
        start ip netns exec "$cli" sh "$dir/sim-node.sh" "s$i" "$(ms_sim_mac "$i")" "$dir" "$results"
        sims+=("$LAST_PID")
    done
    # boot3 dies (SIGKILL: no goodbye) once an eighth of the nodes are through.
    local tries=0
    until [ "$(wc -l < "$results")" -ge $((MS_SIM_NODES / 8)) ] || [ $tries -ge 600 ]; do sleep 0.1; tries=$((tries + 1)); done
    local done_at_kill
    done_at_kill=$(wc -l < "$results")
    kill -KILL "${serve_pid[boot3]}"
    stop "${serve_pid[boot3]}"
    say "multiserver: boot3 killed with $done_at_kill of $MS_SIM_NODES simulated nodes booted"
    # The two qemu nodes power on now, into a farm with two boot servers left.
    local logs=("$LOGS/multiserver-n1.serial" "$LOGS/multiserver-n2.serial") vms=()
    for i in 0 1; do boot_vm "$i" "${logs[$i]}"; vms+=("$VM_PID"); done
    for i in "${!sims[@]}"; do
        wait "${sims[$i]}" || true
    done
    local p kept=()
    for p in "${PIDS[@]}"; do [[ " ${sims[*]} " == *" $p "* ]] || kept+=("$p"); done
    PIDS=("${kept[@]}")
    for i in 0 1; do wait_vm "${vms[$i]}" "${logs[$i]}"; done

    # Every simulated node booted, with the kernel and initrd whole.
    local ok
    ok=$(grep -c ' ok ' "$results" || true)
    [ "$ok" = "$MS_SIM_NODES" ] || { cat "$results" "$results.retries" >&2; die "multiserver: $ok of $MS_SIM_NODES simulated nodes booted"; }
    local built="$dir/out/tftpboot/X86PC/UNDI/linux-boot"
    local sum1 sum2
    sum1=$(md5sum < "$built/linux.1"); sum2=$(md5sum < "$built/linux.2")
    for i in $(seq 1 "$MS_SIM_NODES"); do
        [ "$(cat "$dir/sim/s$i/linux.1.md5")" = "$sum1" ] && [ "$(cat "$dir/sim/s$i/linux.2.md5")" = "$sum2" ] \
            || die "multiserver: s$i's kernel or initrd differs from the build's"
    done
    if grep ' ok ' "$results" | grep -F "server=$SUBNET_PREFIX.13" | grep -v 'boots=1 ' >/dev/null; then
        die "multiserver: a node finished from boot3 after it was killed"
    fi
    local retried
    retried=$(grep -c "from $SUBNET_PREFIX.13 broke off" "$results.retries" || true)
    # boot3 took part before it died, and the survivors answered nodes whose
    # first boot server is boot3.
    clean_log "$LOGS/multiserver-boot3.serve" | grep "dhcp answered" >/dev/null \
        || die "multiserver: boot3 answered nobody before it was killed"
    local status first3
    status=$("$BIN" status "$dir/farm.yaml" --out "$dir/out" 2>&1) || { echo "$status" >&2; die "multiserver: pxefarm status failed"; }
    first3=$(echo "$status" | awk '/^s[0-9]+ / {node = $1} /^  servers .*boot boot3,/ {print node}')
    [ -n "$first3" ] || die "multiserver: no node has boot3 first (rendezvous should give it about a third)"
    local node answered=0
    for node in $first3; do
        local index=${node#s}; index=$((10#$index))
        if grep ' ok ' "$results" | grep "^s$index ok" | grep -vF "server=$SUBNET_PREFIX.13" >/dev/null; then answered=$((answered + 1)); fi
    done
    [ "$answered" -gt 0 ] || die "multiserver: no node whose first boot server is boot3 booted from the others"

    # The qemu nodes: their own roots from their home NFS servers.
    local homes=("$SUBNET_PREFIX.21" "$SUBNET_PREFIX.22") values=("$v1" "$v2")
    for i in 0 1; do
        name="n$((i + 1))"
        expect_in "${logs[$i]}" "pxefarm-init: mounting ${homes[$i]}:/nfsroot/$name on /newroot" "multiserver $name: the initrd mounts its root from its home NFS server"
        expect_in "${logs[$i]}" "^e2e-root: hostname=$name value=${values[$i]} uid=0 root-nfs-.* shared-image=read-only\$" \
            "multiserver $name: the root's init, on its own /etc over NFS"
    done

    # A publish while boot1 serves: every fetch of s01's pxelinux file is the
    # old generation's or the new one's, whole.
    local cfg="X86PC/UNDI/linux-boot/pxelinux.cfg/01-$(ms_sim_mac 1 | tr ':' '-')"
    local old_text="$dir/old.cfg" new_text="$dir/new.cfg"
    cp "$dir/far/boot1/tftpboot/$cfg" "$old_text"
    ms_write_farm "$dir" "$v1" "$v2" "pxefarm.sim=$new_value_"
    build_farm "$dir"
    cp "$dir/out/tftpboot/$cfg" "$new_text"
    cmp -s "$old_text" "$new_text" && die "multiserver: the rebuild did not change $cfg"
    in_ns "$cli" ip addr add "$(ms_sim_ip 1)/24" dev s1 2>/dev/null || true
    local fetches="$dir/fetches" fetcher
    mkdir -p "$fetches"
    # Fetches until three have been made after the publish ended (serve looks
    # for a new generation every second); at most 3000.
    ( n=0 after=0
      while [ $after -lt 3 ] && [ $n -lt 3000 ]; do
          n=$((n + 1))
          in_ns "$cli" curl -sSf --interface s1 -o "$fetches/$n" "tftp://$SUBNET_PREFIX.11/$cfg" 2>>"$dir/fetch.log" || rm -f "$fetches/$n"
          if [ -e "$dir/published" ]; then after=$((after + 1)); sleep 1.2; fi
      done ) &
    fetcher=$!
    PIDS+=("$fetcher")
    ms_publish "$dir"
    touch "$dir/published"
    wait "$fetcher" || true
    local f old=0 new=0
    for f in "$fetches"/*; do
        if cmp -s "$f" "$old_text"; then old=$((old + 1))
        elif cmp -s "$f" "$new_text"; then new=$((new + 1))
        else die "multiserver: a fetch during the publish was neither generation's file: $(head -c 300 "$f")"
        fi
    done
    [ $new -gt 0 ] || die "multiserver: boot1 never served the new generation after the publish ($old old fetches)"

    # One NFS server down: status says which nodes cannot boot.
    stop "$ganesha2"
    stop "$rpcbind2"
    status=$(in_ns "$cli" "$BIN" status "$dir/farm.yaml" --out "$dir/out" --probe-nfs 2>&1) || true
    echo "$status" | awk '$1 == "n2" {on = 1; next} /^[^ ]/ {on = 0} on' | grep "NFS server nfs2 does not answer: this node cannot boot" >/dev/null \
        || { echo "$status" >&2; die "multiserver: status --probe-nfs does not say n2 cannot boot with nfs2 down"; }
    if echo "$status" | awk '$1 == "n1" {on = 1; next} /^[^ ]/ {on = 0} on' | grep "cannot boot" >/dev/null; then
        die "multiserver: status --probe-nfs says n1 cannot boot, but its server nfs1 runs"
    fi
    for name in boot1 boot2; do stop "${serve_pid[$name]}"; done
    stop "$ganesha1"
    stop "$rpcbind1"
    say "multiserver: PASS ($MS_SIM_NODES simulated nodes and 2 qemu nodes booted from 3 boot servers and 2 NFS servers; boot3 killed after $done_at_kill, $retried boots broke off there and started again; publish while serving: $old old and $new new fetches, none mixed; status names the nodes of a stopped NFS server)"
}
