import Glibc

/// The MTU of a network interface by index (from IP_PKTINFO of the request),
/// read from /sys/class/net/NAME/mtu on Linux. nil when it cannot be read.
enum InterfaceMTU {
    static func mtu(interfaceIndex: Int) -> Int? {
        var name = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
        guard interfaceIndex > 0, if_indextoname(UInt32(interfaceIndex), &name) != nil else { return nil }
        let interface = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let file = fopen("/sys/class/net/\(interface)/mtu", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 32)
        guard fgets(&line, Int32(line.count), file) != nil else { return nil }
        let text = String(decoding: line.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Int(text)
    }

    /// The largest TFTP block for that MTU: 20 (IPv4) + 8 (UDP) + 4 (TFTP) bytes of headers.
    static func blockSizeLimit(mtu: Int) -> Int { max(8, min(mtu - 32, 65464)) }
}
