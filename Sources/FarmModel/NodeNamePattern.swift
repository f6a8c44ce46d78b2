/// A host-list pattern such as `n[040-167]` or `rack2-n[1-16]-eth`: a prefix,
/// one numeric range in brackets, and a suffix. The width of the first number
/// sets the zero padding (`[040-167]` gives n040 ... n167; `[8-12]` gives
/// n8 ... n12). Expansion is in ascending order, always the same.
public struct NodeNamePattern: Hashable, Sendable, CustomStringConvertible {
    public let prefix: String
    public let first: Int
    public let last: Int
    public let width: Int
    public let suffix: String

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case noBrackets(String)
        case malformedRange(String)
        case descending(first: Int, last: Int)
        case tooLarge(Int)

        public var description: String {
            switch self {
            case .noBrackets(let text): "range \"\(text)\" needs one numeric range in brackets, such as n[040-167]"
            case .malformedRange(let text): "range \"\(text)\" is not of the form PREFIX[FIRST-LAST]SUFFIX with decimal numbers"
            case .descending(let first, let last): "range runs backwards: \(first) is after \(last)"
            case .tooLarge(let count): "range has \(count) nodes; at most \(NodeNamePattern.maximumCount) fit in one entry"
            }
        }
    }

    /// More than a /16 of nodes in one entry is a typo, not a farm.
    public static let maximumCount = 65_536

    public init(_ text: String) throws(ParseError) {
        guard let open = text.firstIndex(of: "["), let close = text.firstIndex(of: "]"), open < close,
              text[text.index(after: close)...].firstIndex(of: "[") == nil
        else { throw .noBrackets(text) }
        let body = text[text.index(after: open)..<close]
        let bounds = body.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2,
              bounds.allSatisfy({ (1...9).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let first = Int(bounds[0]), let last = Int(bounds[1])
        else { throw .malformedRange(text) }
        guard first <= last else { throw .descending(first: first, last: last) }
        guard last - first < Self.maximumCount else { throw .tooLarge(last - first + 1) }
        prefix = String(text[..<open])
        suffix = String(text[text.index(after: close)...])
        self.first = first
        self.last = last
        width = bounds[0].count
        if prefix.contains("]") || suffix.contains("]") { throw .malformedRange(text) }
    }

    public var count: Int { last - first + 1 }

    /// The name of the node at `offset` (0 is the first).
    public func name(at offset: Int) -> String {
        let digits = String(first + offset)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits + suffix
    }

    public var names: [String] { (0..<count).map(name(at:)) }

    public var description: String { "\(prefix)[\(name(at: 0).dropFirst(prefix.count).dropLast(suffix.count))-\(last)]\(suffix)" }
}
