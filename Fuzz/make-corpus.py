#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/corpus/<target>/ from the project's own
fixtures: the recorded iPXE capture (Tests/NetbootWireTests/Fixtures/*.pcap),
the hex-dump packet fixtures, the farm files, the dhcpd.conf/pxe.conf
references and the initrd fixture. Run from the repository root; the output
is committed, so `make fuzz` starts from real inputs. Rerun after fixtures change."""
import hashlib, os, re, struct, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WIRE = os.path.join(ROOT, "Tests/NetbootWireTests/Fixtures")
OUT = os.path.join(ROOT, "Fuzz/corpus")

def put(target, name, data):
    directory = os.path.join(OUT, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)

def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()

def udp_payloads(pcap):
    """(source port, destination port, payload) of each UDP/IPv4/Ethernet frame."""
    magic = pcap[:4]
    endian = "<" if magic == b"\xd4\xc3\xb2\xa1" else ">"
    offset, out = 24, []
    while offset + 16 <= len(pcap):
        _, _, caplen, _ = struct.unpack(endian + "IIII", pcap[offset:offset + 16])
        frame = pcap[offset + 16:offset + 16 + caplen]
        offset += 16 + caplen
        if frame[12:14] != b"\x08\x00" or frame[23] != 17:
            continue
        ihl = (frame[14] & 15) * 4
        udp = frame[14 + ihl:]
        sport, dport, length = struct.unpack(">HHH", udp[:6])
        out.append((sport, dport, udp[8:length]))
    return out

def hexdumps(path):
    """The packets of a fixture written as `OFFSET  xx xx ...` lines, one block per packet."""
    packets, current = [], bytearray()
    for line in open(path):
        match = re.match(r"^([0-9a-f]{4})  ((?:[0-9a-f]{2} ?)+)$", line.rstrip("\n"))
        if match:
            if match.group(1) == "0000" and current:
                packets.append(bytes(current)); current = bytearray()
            current += bytes.fromhex(match.group(2).replace(" ", ""))
    if current:
        packets.append(bytes(current))
    return packets

def dhcp_options(packet):
    options, index = {}, 240
    while index + 1 < len(packet) and packet[index] != 255:
        if packet[index] == 0:
            index += 1; continue
        code, length = packet[index], packet[index + 1]
        options[code] = packet[index + 2:index + 2 + length]
        index += 2 + length
    return options

def record(payload, stranger=False, timeout=False):
    return bytes([(1 if stranger else 0) | (2 if timeout else 0), len(payload)]) + payload

def main():
    datagrams = udp_payloads(read("Tests/NetbootWireTests/Fixtures/ipxe-dhcp-tftp.pcap"))
    dhcp = [p for s, d, p in datagrams if {s, d} & {67, 68}]
    tftp = [p for s, d, p in datagrams if not {s, d} & {67, 68}]
    for name in ["dhcp-pxe-discover.txt", "dhcp-overload.txt"]:
        dhcp += hexdumps(os.path.join(WIRE, name))
    tftp += hexdumps(os.path.join(WIRE, "tftp-packets.txt"))
    for i, p in enumerate(dhcp):
        put("dhcp-packet", f"capture-{i}", p)
        if 43 in dhcp_options(p):
            put("option43", f"from-dhcp-{i}", dhcp_options(p)[43])
    for i, p in enumerate(tftp):
        put("tftp-packet", f"capture-{i}", p)
    # The DHCP policy: [mode/arrival][peer] then a packet, from dc2 nodes' MACs and a stranger's.
    macs = [bytes.fromhex("00D0B71C0028"), bytes.fromhex("00D0B71C0029"), bytes.fromhex("525400123456")]
    for i, p in enumerate(dhcp):
        if len(p) < 240 or p[0] != 1:
            continue
        for j, mac in enumerate(macs):
            body = p[:28] + mac + p[34:]
            for control in [0, 1, 3]:
                put("dhcp-policy", f"capture-{i}-mac{j}-c{control}", bytes([control, j % 4]) + body)
    put("option43", "regression-other-tags", read("Tests/NetbootWireTests/Fixtures/fuzz/option43-other-tags-out-of-order.bin"))
    # Reference digest §4 shapes: discovery control, boot servers, menu, prompt, boot item.
    put("option43", "menu-prompt-item", bytes.fromhex("060103" "0807800001c0a8c50b" "090b8000084c696e7578204e4653"
                                                      "0a0705426f6f743a" "470480000000" "ff"))
    put("option43", "multicast", bytes.fromhex("0104e0010102" "02020fa1" "03020fa0" "040101" "050101" "0704e00000fa" "ff"))

    # The TFTP server: a whole read of linux.1, windows, timeouts, a stranger, errors.
    def rrq(name, *options):
        return b"\x00\x01" + name + b"\x00octet\x00" + b"".join(o + b"\x00" for o in options)
    ack = lambda n: struct.pack(">HH", 4, n)
    put("tftp-server", "read-plain", record(rrq(b"linux.1")) + b"".join(record(ack(n)) for n in range(1, 8)))
    put("tftp-server", "read-options", record(rrq(b"/X86PC/UNDI/linux.0", b"blksize", b"1468", b"tsize", b"0", b"windowsize", b"4"))
        + record(ack(0)) + record(ack(2)) + record(ack(1), timeout=True) + record(ack(3)) + record(ack(4), stranger=True) + record(ack(4)))
    put("tftp-server", "read-timeouts", record(rrq(b"one", b"timeout", b"2")) + record(ack(0), timeout=True)
        + record(b"", timeout=True) + record(ack(1)) + record(ack(2)))
    put("tftp-server", "refusals", record(rrq(b"../etc/passwd")) + record(rrq(b"outside")) + record(b"\x00\x02x\x00octet\x00")
        + record(b"\x00\x05\x00\x00x\x00") + record(rrq(b"empty")) + record(b"\x00\x05\x00\x01bye\x00"))
    for i, p in enumerate(tftp):
        if p[:2] == b"\x00\x01":
            put("tftp-server", f"capture-rrq-{i}", record(p) + record(ack(0)) + record(ack(1)))

    # The HTTP listener: kickstart fetches, callbacks, refusals, split and slow requests.
    token = b"0123456789abcdef" * 4
    def http(*pieces, timeout_before=()):
        return b"".join(record(p, timeout=i in timeout_before) for i, p in enumerate(pieces))
    put("http-server", "kickstart-get", http(b"GET /ks/n011.cfg HTTP/1.1\r\nHost: 192.168.197.1:8067\r\n\r\n"))
    put("http-server", "kickstart-head-10", http(b"HEAD /ks/n011.cfg HTTP/1.0\r\n\r\n"))
    put("http-server", "done-get", http(b"GET /done/n011?token=" + token + b" HTTP/1.1\r\n\r\n"))
    put("http-server", "done-post-expect", http(b"POST /done/n011?x=1&token=" + token + b" HTTP/1.1\r\nContent-Length: 2\r\n"
                                                b"Expect: 100-continue\r\n\r\n", b"ok"))
    put("http-server", "done-chunked", http(b"POST /done/n011?token=" + token + b" HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                                            b"2\r\nok\r\n0\r\n\r\n"))
    put("http-server", "traversal", http(b"GET /ks/%2e%2e/etc/passwd HTTP/1.1\r\n\r\n"))
    put("http-server", "absolute", http(b"GET http://server:8067/ks/n011.cfg?a=b HTTP/1.1\r\n\r\n"))
    put("http-server", "split-slow", http(b"GET /ks/", b"n011.cfg HTTP/1.1\r\n", b"\r\n", timeout_before=(2,)))
    put("http-server", "pipelined", http(b"GET /ks/a.cfg HTTP/1.1\r\n\r\nGET /done/a?token=" + token + b" HTTP/1.1\r\n\r\n"))
    put("http-server", "too-large", http(b"POST /done/n011?token=" + token + b" HTTP/1.1\r\nContent-Length: 9999\r\n\r\n", b"x" * 200))

    for path in ["examples/dc2/farm.yaml", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml",
                 "Tests/FarmLoadingTests/Fixtures/ten-mistakes/farm.yaml",
                 "Tests/FarmImportTests/Fixtures/reference-farm.yaml",
                 "Tests/FarmImportTests/Fixtures/reference-unicast-farm.yaml",
                 "Tests/FarmImportTests/Fixtures/reference-multicast-farm.yaml"]:
        put("farm-file", path.replace("/", "_"), read(path))

    pxe = read("Tests/FarmImportTests/Fixtures/reference-pxe.conf")
    for name in ["reference-dhcpd.conf", "reference-dhcpd-unicast.conf", "reference-dhcpd-multicast.conf"]:
        dhcpd = read("Tests/FarmImportTests/Fixtures/" + name)
        put("import", name, dhcpd)
        put("import", name + "+pxe.conf", dhcpd + b"\n%%pxe.conf%%\n" + pxe)

    newc = read("Tests/InitrdTests/Fixtures/small.newc")
    put("initrd-list", "small.newc", newc)
    for tool, suffix in [(["gzip", "-9cn"], "gz"), (["zstd", "-qc"], "zst"), (["xz", "-c", "--check=crc32"], "xz")]:
        put("initrd-list", "small.newc." + suffix, subprocess.run(tool, input=newc, capture_output=True, check=True).stdout)

    tarballs()

def tarballs():
    """Image root tarballs: a small tree with every entry kind, in each
    compression, and the hostile shapes the path policy refuses."""
    import io, tarfile
    def tar(entries, fmt=tarfile.PAX_FORMAT):
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w", format=fmt) as archive:
            for name, kind, extra in entries:
                info = tarfile.TarInfo(name)
                info.mtime, info.uid, info.gid, info.mode = 1700000000, 0, 0, 0o755 if kind == tarfile.DIRTYPE else 0o644
                info.type = kind
                data = b""
                if kind == tarfile.REGTYPE:
                    data = extra.encode()
                    info.size = len(data)
                elif kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
                    info.linkname = extra
                elif kind == tarfile.CHRTYPE:
                    info.devmajor, info.devminor = 5, 1
                archive.addfile(info, io.BytesIO(data) if data else None)
        return out.getvalue()
    tree = [("bin", tarfile.DIRTYPE, ""), ("bin/busybox", tarfile.REGTYPE, "\x7fELF"),
            ("bin/sh", tarfile.SYMTYPE, "busybox"), ("sbin", tarfile.DIRTYPE, ""),
            ("sbin/init", tarfile.LNKTYPE, "bin/busybox"), ("dev", tarfile.DIRTYPE, ""),
            ("dev/console", tarfile.CHRTYPE, ""), ("dev/initctl", tarfile.FIFOTYPE, ""),
            ("./etc/", tarfile.DIRTYPE, ""), ("etc/motd", tarfile.REGTYPE, "hello\n")]
    plain = tar(tree)
    put("tarball-root", "tree.tar", plain)
    put("tarball-root", "tree-gnu.tar", tar(tree, tarfile.GNU_FORMAT))
    put("tarball-root", "tree-ustar.tar", tar(tree, tarfile.USTAR_FORMAT))
    for tool, suffix in [(["gzip", "-9cn"], "gz"), (["zstd", "-qc"], "zst"), (["xz", "-c"], "xz")]:
        put("tarball-root", "tree.tar." + suffix, subprocess.run(tool, input=plain, capture_output=True, check=True).stdout)
    hostile = {
        "absolute": [("/etc/passwd", tarfile.REGTYPE, "x")],
        "dotdot": [("a/../../x", tarfile.REGTYPE, "x")],
        "under-symlink": [("l", tarfile.SYMTYPE, "/etc"), ("l/passwd", tarfile.REGTYPE, "x")],
        "twice": [("f", tarfile.REGTYPE, "1"), ("f", tarfile.SYMTYPE, "/etc/shadow")],
        "hardlink-out": [("h", tarfile.LNKTYPE, "../outside")],
    }
    for name, entries in hostile.items():
        put("tarball-root", "hostile-" + name + ".tar", tar(entries))

if __name__ == "__main__":
    main()
