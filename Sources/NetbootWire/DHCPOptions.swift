/// The options of one packet, in the order they first appeared. Options that
/// appear more than once are concatenated into one (RFC 3396 §7), so each code
/// is stored once; `data(_:)` gives the whole value.
public struct DHCPOptions: Hashable, Sendable, Sequence {
    public private(set) var all: [DHCPOption]

    public init(_ options: [DHCPOption] = []) {
        all = []
        for option in options { append(option) }
    }

    /// The data of option `code`, or nil when absent.
    public func data(_ code: UInt8) -> [UInt8]? {
        all.first { $0.code == code }?.data
    }

    public func contains(_ code: UInt8) -> Bool { all.contains { $0.code == code } }

    /// Sets (replacing in place, keeping its position) or removes option `code`.
    public subscript(code: UInt8) -> [UInt8]? {
        get { data(code) }
        set {
            if let index = all.firstIndex(where: { $0.code == code }) {
                if let newValue { all[index].data = newValue } else { all.remove(at: index) }
            } else if let newValue {
                all.append(DHCPOption(code: code, data: newValue))
            }
        }
    }

    /// Adds an option; a second instance of a code is concatenated onto the first (RFC 3396).
    public mutating func append(_ option: DHCPOption) {
        precondition(option.code != DHCPOption.pad && option.code != DHCPOption.end, "pad and end are not options")
        if let index = all.firstIndex(where: { $0.code == option.code }) {
            all[index].data += option.data
        } else {
            all.append(option)
        }
    }

    public mutating func remove(_ code: UInt8) { self[code] = nil }

    public func makeIterator() -> IndexingIterator<[DHCPOption]> { all.makeIterator() }

    /// Reads the options of one field, stopping at the end option or the end of
    /// the bytes (a missing end option is tolerated; many ROMs pad with zeros
    /// instead). Pad bytes are skipped.
    static func parse(_ bytes: ArraySlice<UInt8>, field: DHCPOptionField, into options: inout DHCPOptions) throws(NetbootWireError) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let code = bytes[index]
            if code == DHCPOption.end { return }
            if code == DHCPOption.pad { index += 1; continue }
            let offset = index - bytes.startIndex
            guard index + 1 < bytes.endIndex else {
                throw .truncatedOption(code: code, field: field, offset: offset, declared: 1, available: 0)
            }
            let length = Int(bytes[index + 1])
            let start = index + 2
            guard start + length <= bytes.endIndex else {
                throw .truncatedOption(code: code, field: field, offset: offset, declared: length, available: bytes.endIndex - start)
            }
            options.append(DHCPOption(code: code, data: Array(bytes[start..<start + length])))
            index = start + length
        }
    }

    /// The wire form of each option: code, length, data. Data longer than 255
    /// bytes is split into several instances of the same code (RFC 3396 §5).
    static func encode(_ option: DHCPOption) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedLength(option))
        encode(option, into: &out)
        return out
    }

    /// `encode(option)` appended to `out`, without a buffer of its own.
    static func encode(_ option: DHCPOption, into out: inout [UInt8]) {
        if option.data.isEmpty {
            out.append(option.code)
            out.append(0)
            return
        }
        var start = 0
        while start < option.data.count {
            let end = Swift.min(start + 255, option.data.count)
            out.append(option.code)
            out.append(UInt8(end - start))
            out.append(contentsOf: option.data[start..<end])
            start = end
        }
    }

    /// The number of bytes `encode(option)` gives.
    static func encodedLength(_ option: DHCPOption) -> Int {
        option.data.isEmpty ? 2 : option.data.count + 2 * ((option.data.count + 254) / 255)
    }
}
