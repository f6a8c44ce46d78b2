import NetbootWire

/// The transfer parameters agreed for one read request, and the OACK that says
/// so (RFC 2347). Pure: the request's options and the server's limits in, a
/// decision out.
public struct TFTPNegotiation: Equatable, Sendable {
    public var blockSize: Int = 512
    public var windowSize: Int = 1
    /// Retransmission timeout in seconds; `timeoutFromClient` when the client set it.
    public var timeout: Int
    public var timeoutFromClient = false
    /// The options to acknowledge, in the order the client sent them; empty
    /// means no OACK: data starts with block 1.
    public var acknowledged: [TFTPOption] = []

    public var sendsOptionAck: Bool { !acknowledged.isEmpty }

    /// Limits that bound what a client may ask for.
    public struct Limits: Equatable, Sendable {
        /// The largest block the path allows: the interface MTU minus 32 (IP,
        /// UDP and TFTP headers), and never over RFC 2348's 65464.
        public var maximumBlockSize: Int
        public var maximumWindowSize: Int
        public var defaultTimeout: Int

        public init(maximumBlockSize: Int = 1468, maximumWindowSize: Int = 64, defaultTimeout: Int = 1) {
            self.maximumBlockSize = max(8, min(maximumBlockSize, 65464))
            self.maximumWindowSize = max(1, maximumWindowSize)
            self.defaultTimeout = defaultTimeout
        }
    }

    /// Why options are refused: the client gets ERROR 8 with `description`.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case duplicate(String)
        case notANumber(option: String, value: String)
        case outOfRange(option: String, value: String, range: ClosedRange<Int>)

        public var description: String {
            switch self {
            case .duplicate(let name): "option \(name) given twice"
            case .notANumber(let option, let value): "\(option) \"\(value.escapedForLog)\" is not a decimal number"
            case .outOfRange(let option, let value, let range): "\(option) \(value) is outside \(range.lowerBound)-\(range.upperBound)"
            }
        }
    }

    static let blockSizeRange = 8...65464       // RFC 2348
    static let timeoutRange = 1...255           // RFC 2349
    static let windowSizeRange = 1...65535      // RFC 7440
    static let known: Set<String> = ["blksize", "tsize", "timeout", "windowsize"]

    /// Applies RFC 2347-2349 and 7440 to `options`. Names are case-insensitive;
    /// unknown options are ignored; a known option twice, a value that is not a
    /// plain decimal number or one outside its RFC range is refused. A block or
    /// window size within range but over the limits is lowered (the RFCs let the
    /// server answer a smaller value). tsize, whatever its value, is answered with `fileSize`.
    public init(options: [TFTPOption], fileSize: Int, limits: Limits) throws(Refusal) {
        timeout = limits.defaultTimeout
        var seen = Set<String>()
        for option in options {
            let key = option.key
            guard Self.known.contains(key) else { continue }
            guard seen.insert(key).inserted else { throw .duplicate(key) }
            switch key {
            case "blksize":
                let value = try Self.number(option, in: Self.blockSizeRange)
                blockSize = min(value, limits.maximumBlockSize)
                acknowledged.append(TFTPOption(option.name, String(blockSize)))
            case "timeout":
                timeout = try Self.number(option, in: Self.timeoutRange)
                timeoutFromClient = true
                acknowledged.append(TFTPOption(option.name, String(timeout)))
            case "windowsize":
                let value = try Self.number(option, in: Self.windowSizeRange)
                windowSize = min(value, limits.maximumWindowSize)
                acknowledged.append(TFTPOption(option.name, String(windowSize)))
            case "tsize":
                // On a read request the value carries nothing (RFC 2349 asks for 0; atftp sends
                // "enable", others leave it empty): whatever it is, the answer is the file's size.
                acknowledged.append(TFTPOption(option.name, String(fileSize)))
            default:
                break
            }
        }
    }

    private static func number(_ option: TFTPOption, in range: ClosedRange<Int>) throws(Refusal) -> Int {
        let text = option.value
        guard !text.isEmpty, text.utf8.count <= 20, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw .notANumber(option: option.key, value: text)
        }
        guard let value = Int(text), range.contains(value) else {
            throw .outOfRange(option: option.key, value: text, range: range)
        }
        return value
    }
}
