/// A DHCP or BOOTP message (RFC 2131 §2, figure 1): the fixed 236-byte header,
/// the magic cookie and the options. A value; `init(decoding:)` and `encoded()`
/// are the only ways in and out of bytes.
public struct DHCPPacket: Hashable, Sendable {
    public enum Op: UInt8, Sendable { case request = 1, reply = 2 }

    /// op: raw, since a hostile packet may carry any value; `kind` interprets it.
    public var op: UInt8
    public var htype: UInt8
    public var hlen: UInt8
    public var hops: UInt8
    public var xid: UInt32
    public var secs: UInt16
    public var flags: UInt16
    public var ciaddr: IPv4Address
    public var yiaddr: IPv4Address
    public var siaddr: IPv4Address
    public var giaddr: IPv4Address
    /// All 16 bytes of chaddr; `clientMAC` reads an Ethernet address from them.
    public var chaddr: [UInt8]
    /// The sname field without its trailing NULs (at most 64 bytes). Empty when
    /// option 52 said it carried options.
    public var sname: [UInt8]
    /// The file field without its trailing NULs (at most 128 bytes). Empty when
    /// option 52 said it carried options.
    public var file: [UInt8]
    public var options: DHCPOptions

    public static let magicCookie: [UInt8] = [99, 130, 83, 99]
    public static let headerLength = 236
    public static let broadcastFlag: UInt16 = 0x8000

    public init(op: Op, xid: UInt32, chaddr: [UInt8] = Array(repeating: 0, count: 16), htype: UInt8 = 1, hlen: UInt8 = 6,
                hops: UInt8 = 0, secs: UInt16 = 0, flags: UInt16 = 0,
                ciaddr: IPv4Address = .any, yiaddr: IPv4Address = .any, siaddr: IPv4Address = .any, giaddr: IPv4Address = .any,
                sname: [UInt8] = [], file: [UInt8] = [], options: DHCPOptions = DHCPOptions()) {
        self.op = op.rawValue
        self.htype = htype
        self.hlen = hlen
        self.hops = hops
        self.xid = xid
        self.secs = secs
        self.flags = flags
        self.ciaddr = ciaddr
        self.yiaddr = yiaddr
        self.siaddr = siaddr
        self.giaddr = giaddr
        self.chaddr = Array((chaddr + Array(repeating: 0, count: 16)).prefix(16))
        self.sname = sname
        self.file = file
        self.options = options
    }

    public var kind: Op? { Op(rawValue: op) }

    /// The client's Ethernet address when htype is 1 and hlen 6 (RFC 1700).
    public var clientMAC: MACAddress? {
        guard htype == 1, hlen == 6 else { return nil }
        return MACAddress(bytes: chaddr.prefix(6))
    }

    public var isBroadcast: Bool { flags & Self.broadcastFlag != 0 }

    /// sname up to its first NUL, as text (lossy for bytes that are not UTF-8).
    public var serverName: String { Self.text(sname) }
    /// file up to its first NUL, as text.
    public var bootFile: String { Self.text(file) }

    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}

extension DHCPPacket {
    /// Decodes any bytes; never traps. Options are read from the options field,
    /// then `file`, then `sname` as option 52 directs (RFC 2131 §4.1).
    public init(decoding bytes: some Collection<UInt8>) throws(NetbootWireError) {
        let b = Array(bytes)
        guard b.count >= Self.headerLength + 4 else { throw .truncatedHeader(length: b.count) }
        let cookie = Array(b[236..<240])
        guard cookie == Self.magicCookie else { throw .badMagicCookie(cookie) }
        func u32(_ at: Int) -> UInt32 { b[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        func u16(_ at: Int) -> UInt16 { UInt16(b[at]) << 8 | UInt16(b[at + 1]) }
        op = b[0]
        htype = b[1]
        hlen = b[2]
        hops = b[3]
        xid = u32(4)
        secs = u16(8)
        flags = u16(10)
        ciaddr = IPv4Address(u32(12))
        yiaddr = IPv4Address(u32(16))
        siaddr = IPv4Address(u32(20))
        giaddr = IPv4Address(u32(24))
        chaddr = Array(b[28..<44])
        let snameField = b[44..<108]
        let fileField = b[108..<236]
        var parsed = DHCPOptions()
        try DHCPOptions.parse(b[240...], field: .options, into: &parsed)
        var overload: UInt8 = 0
        if let value = parsed.data(DHCPOptionCode.overload) {
            guard value.count == 1, (1...3).contains(value[0]) else { throw .badOverload(value) }
            overload = value[0]
        }
        if overload & 1 != 0 { try DHCPOptions.parse(fileField, field: .file, into: &parsed) }
        if overload & 2 != 0 { try DHCPOptions.parse(snameField, field: .sname, into: &parsed) }
        file = overload & 1 != 0 ? [] : Self.trimmed(fileField)
        sname = overload & 2 != 0 ? [] : Self.trimmed(snameField)
        options = parsed
    }

    private static func trimmed(_ field: ArraySlice<UInt8>) -> [UInt8] {
        let end = field.lastIndex { $0 != 0 }.map { $0 + 1 } ?? field.startIndex
        return Array(field[..<end])
    }

    /// The packet's bytes. Options go into the options field while they fit in
    /// `maximumSize` (RFC 2131's 576 unless the client's option 57 allows more);
    /// the rest spill into `file` and then `sname` with option 52 set, which
    /// needs those fields empty. Short packets are padded to `minimumSize`
    /// (300: the BOOTP minimum some ROMs insist on).
    public func encoded(minimumSize: Int = 300, maximumSize: Int = 576) throws(NetbootWireError) -> [UInt8] {
        guard sname.count <= 64 else { throw .fieldTooLong(field: .sname, length: sname.count) }
        guard file.count <= 128 else { throw .fieldTooLong(field: .file, length: file.count) }
        var out: [UInt8] = []
        out.reserveCapacity(Swift.max(minimumSize, maximumSize))
        out.append(op)
        out.append(htype)
        out.append(hlen)
        out.append(hops)
        func put32(_ v: UInt32) {
            out.append(UInt8(v >> 24))
            out.append(UInt8(v >> 16 & 0xFF))
            out.append(UInt8(v >> 8 & 0xFF))
            out.append(UInt8(v & 0xFF))
        }
        put32(xid)
        out.append(UInt8(secs >> 8))
        out.append(UInt8(secs & 0xFF))
        out.append(UInt8(flags >> 8))
        out.append(UInt8(flags & 0xFF))
        put32(ciaddr.value)
        put32(yiaddr.value)
        put32(siaddr.value)
        put32(giaddr.value)
        out.append(contentsOf: chaddr.prefix(16))
        if chaddr.count < 16 { out.append(contentsOf: repeatElement(0, count: 16 - chaddr.count)) }

        let mainCapacity = Swift.max(0, maximumSize - Self.headerLength - 4 - 1)
        var length = 0
        for option in options.all where option.code != DHCPOptionCode.overload { length += DHCPOptions.encodedLength(option) }
        if length <= mainCapacity {
            // The usual case: every option in the options field, written in place.
            Self.appendField(sname, width: 64, to: &out)
            Self.appendField(file, width: 128, to: &out)
            out.append(contentsOf: Self.magicCookie)
            for option in options.all where option.code != DHCPOptionCode.overload { DHCPOptions.encode(option, into: &out) }
        } else {
            // Room for option 52 (3 bytes) in the main field; each overloaded field keeps one byte for end.
            let canUseFile = file.isEmpty, canUseSname = sname.isEmpty
            var main: [UInt8] = []
            var fileArea: [UInt8] = []
            var snameArea: [UInt8] = []
            for option in options.all where option.code != DHCPOptionCode.overload {
                let chunk = DHCPOptions.encode(option)
                if main.count + chunk.count <= mainCapacity - 3 { main += chunk }
                else if canUseFile, fileArea.count + chunk.count <= 127 { fileArea += chunk }
                else if canUseSname, snameArea.count + chunk.count <= 63 { snameArea += chunk }
                else { throw .optionsTooLarge(code: chunk[0], maximumSize: maximumSize) }
            }
            let overload: UInt8 = (fileArea.isEmpty ? 0 : 1) | (snameArea.isEmpty ? 0 : 2)
            if !fileArea.isEmpty { fileArea.append(DHCPOption.end) }
            if !snameArea.isEmpty { snameArea.append(DHCPOption.end) }
            Self.appendField(snameArea.isEmpty ? sname : snameArea, width: 64, to: &out)
            Self.appendField(fileArea.isEmpty ? file : fileArea, width: 128, to: &out)
            out.append(contentsOf: Self.magicCookie)
            out += [DHCPOptionCode.overload, 1, overload]
            out += main
        }
        out.append(DHCPOption.end)
        if out.count < minimumSize { out.append(contentsOf: repeatElement(0, count: minimumSize - out.count)) }
        return out
    }
}

extension DHCPPacket {
    /// `bytes` padded with zeros to the field's `width` (they fit: checked before).
    fileprivate static func appendField(_ bytes: [UInt8], width: Int, to out: inout [UInt8]) {
        out.append(contentsOf: bytes)
        out.append(contentsOf: repeatElement(0, count: width - bytes.count))
    }
}
