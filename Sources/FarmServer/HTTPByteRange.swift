/// What a request's `Range` header asks of a file of `size` bytes (RFC 9110
/// section 14.1.2): one range of bytes, the whole file, or nothing the file
/// holds. Only single byte ranges are honoured; a header this server does not
/// serve as a range (another unit, several ranges, a malformed one) gets the
/// whole file, as the RFC lets a server do by ignoring the field.
enum HTTPByteRange: Equatable {
    case whole
    /// The half-open range of offsets to send.
    case part(Range<Int>)
    case unsatisfiable

    init(header: String?, size: Int) {
        guard let header, header.hasPrefix("bytes=") else { self = .whole; return }
        let spec = header.dropFirst("bytes=".count).trimmingPrefix(while: { $0 == " " })
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { self = .whole; return }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        guard first.allSatisfy(\.isASCIIDigit), last.allSatisfy(\.isASCIIDigit), !(first.isEmpty && last.isEmpty) else {
            self = .whole
            return
        }
        if first.isEmpty {
            // A suffix: the last N bytes.
            guard let count = Int(last), count > 0 else { self = .unsatisfiable; return }
            self = size == 0 ? .unsatisfiable : .part(max(0, size - count)..<size)
            return
        }
        guard let start = Int(first) else { self = .unsatisfiable; return }
        guard start < size else { self = .unsatisfiable; return }
        let end = last.isEmpty ? size - 1 : min(Int(last) ?? Int.max, size - 1)
        guard end >= start else { self = .whole; return }
        self = .part(start..<end + 1)
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
