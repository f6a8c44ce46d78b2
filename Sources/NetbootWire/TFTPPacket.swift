/// A TFTP packet (RFC 1350 §5) with option extension (RFC 2347): RRQ and WRQ
/// carry options, OACK answers them. Pure value; `init(decoding:)` takes any
/// bytes and never traps.
public enum TFTPPacket: Hashable, Sendable {
    case readRequest(TFTPRequest)
    case writeRequest(TFTPRequest)
    case data(block: UInt16, payload: [UInt8])
    case ack(block: UInt16)
    case error(code: TFTPErrorCode, message: String)
    case optionAck([TFTPOption])

    public enum Opcode: UInt16, Sendable {
        case readRequest = 1, writeRequest, data, ack, error, optionAck
    }

    public var opcode: Opcode {
        switch self {
        case .readRequest: .readRequest
        case .writeRequest: .writeRequest
        case .data: .data
        case .ack: .ack
        case .error: .error
        case .optionAck: .optionAck
        }
    }
}

/// An RRQ or WRQ: the file name as raw bytes (path checks work on bytes, not on
/// a lossy string), the mode, and the options in the order sent, duplicates kept
/// so that a server can refuse them.
public struct TFTPRequest: Hashable, Sendable {
    public var filename: [UInt8]
    public var mode: String
    public var options: [TFTPOption]

    public init(filename: [UInt8], mode: String = "octet", options: [TFTPOption] = []) {
        self.filename = filename
        self.mode = mode
        self.options = options
    }

    public init(filename: String, mode: String = "octet", options: [TFTPOption] = []) {
        self.init(filename: Array(filename.utf8), mode: mode, options: options)
    }

    public var filenameText: String { DHCPPacket.escaped(filename) }
}

/// One option (RFC 2347): name and value as sent. Names compare case-insensitively
/// through `key`.
public struct TFTPOption: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// The name in lower case: RFC 2347 option names are case-insensitive.
    public var key: String { name.lowercased() }
}

/// TFTP error codes (RFC 1350 §5, RFC 2347 for 8).
public enum TFTPErrorCode: Hashable, Sendable, CustomStringConvertible {
    case notDefined, fileNotFound, accessViolation, diskFull, illegalOperation
    case unknownTransferID, fileExists, noSuchUser, optionRefused
    case other(UInt16)

    public init(rawValue: UInt16) {
        switch rawValue {
        case 0: self = .notDefined
        case 1: self = .fileNotFound
        case 2: self = .accessViolation
        case 3: self = .diskFull
        case 4: self = .illegalOperation
        case 5: self = .unknownTransferID
        case 6: self = .fileExists
        case 7: self = .noSuchUser
        case 8: self = .optionRefused
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt16 {
        switch self {
        case .notDefined: 0
        case .fileNotFound: 1
        case .accessViolation: 2
        case .diskFull: 3
        case .illegalOperation: 4
        case .unknownTransferID: 5
        case .fileExists: 6
        case .noSuchUser: 7
        case .optionRefused: 8
        case .other(let value): value
        }
    }

    public var description: String { "\(rawValue)" }
}

extension TFTPPacket {
    public init(decoding bytes: some Collection<UInt8>) throws(NetbootWireError) {
        let b = Array(bytes)
        guard b.count >= 2 else { throw .truncated(length: b.count, needed: 2, opcode: nil) }
        let code = UInt16(b[0]) << 8 | UInt16(b[1])
        guard let opcode = Opcode(rawValue: code) else { throw .unknownOpcode(code) }
        func u16(_ at: Int) -> UInt16 { UInt16(b[at]) << 8 | UInt16(b[at + 1]) }
        switch opcode {
        case .readRequest, .writeRequest:
            var strings = StringCursor(bytes: b, index: 2)
            let filename = try strings.next(field: "filename")
            guard !filename.isEmpty else { throw .emptyFilename }
            let mode = String(decoding: try strings.next(field: "mode"), as: UTF8.self)
            let options = try strings.options()
            let request = TFTPRequest(filename: filename, mode: mode, options: options)
            self = opcode == .readRequest ? .readRequest(request) : .writeRequest(request)
        case .data:
            guard b.count >= 4 else { throw .truncated(length: b.count, needed: 4, opcode: code) }
            self = .data(block: u16(2), payload: Array(b[4...]))
        case .ack:
            guard b.count >= 4 else { throw .truncated(length: b.count, needed: 4, opcode: code) }
            self = .ack(block: u16(2))
        case .error:
            guard b.count >= 5 else { throw .truncated(length: b.count, needed: 5, opcode: code) }
            var strings = StringCursor(bytes: b, index: 4)
            let message = String(decoding: try strings.next(field: "error message"), as: UTF8.self)
            self = .error(code: TFTPErrorCode(rawValue: u16(2)), message: message)
        case .optionAck:
            var strings = StringCursor(bytes: b, index: 2)
            self = .optionAck(try strings.options())
        }
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        func put16(_ v: UInt16) { out += [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func putString(_ bytes: some Sequence<UInt8>) { out += bytes; out.append(0) }
        put16(opcode.rawValue)
        switch self {
        case .readRequest(let request), .writeRequest(let request):
            putString(request.filename)
            putString(request.mode.utf8)
            for option in request.options { putString(option.name.utf8); putString(option.value.utf8) }
        case .data(let block, let payload):
            put16(block)
            out += payload
        case .ack(let block):
            put16(block)
        case .error(let code, let message):
            put16(code.rawValue)
            putString(message.utf8)
        case .optionAck(let options):
            for option in options { putString(option.name.utf8); putString(option.value.utf8) }
        }
        return out
    }

    /// One line for logs and golden files, e.g. `RRQ "linux.1" octet blksize=1468 tsize=0`.
    public var dump: String {
        func opts(_ options: [TFTPOption]) -> String {
            options.map { " \(DHCPPacket.escaped($0.name.utf8))=\(DHCPPacket.escaped($0.value.utf8))" }.joined()
        }
        switch self {
        case .readRequest(let r): return "RRQ \"\(r.filenameText)\" \(DHCPPacket.escaped(r.mode.utf8))" + opts(r.options)
        case .writeRequest(let r): return "WRQ \"\(r.filenameText)\" \(DHCPPacket.escaped(r.mode.utf8))" + opts(r.options)
        case .data(let block, let payload): return "DATA block=\(block) bytes=\(payload.count)"
        case .ack(let block): return "ACK block=\(block)"
        case .error(let code, let message): return "ERROR code=\(code) \"\(DHCPPacket.escaped(message.utf8))\""
        case .optionAck(let options): return "OACK" + opts(options)
        }
    }
}

/// Reads NUL-terminated strings from a packet.
private struct StringCursor {
    let bytes: [UInt8]
    var index: Int

    mutating func next(field: String) throws(NetbootWireError) -> [UInt8] {
        guard let end = bytes[index...].firstIndex(of: 0) else { throw .unterminated(field: field) }
        defer { index = end + 1 }
        return Array(bytes[index..<end])
    }

    mutating func options() throws(NetbootWireError) -> [TFTPOption] {
        var options: [TFTPOption] = []
        while index < bytes.count {
            let name = String(decoding: try next(field: "option name"), as: UTF8.self)
            guard index < bytes.count else { throw .optionWithoutValue(name: name) }
            let value = String(decoding: try next(field: "value of option \"\(name)\""), as: UTF8.self)
            options.append(TFTPOption(name, value))
        }
        return options
    }
}
