/// A request target as it may appear in a log line: the value of every
/// `token` query parameter (by its decoded name) replaced by `…`, and any
/// other run of 32 or more hex digits too, so no callback token is ever
/// written to a log; bytes that are not printable ASCII as `%XX`; at most
/// 200 bytes, then `…`.
enum HTTPLogTarget {
    static let maximumBytes = 200
    static let mask = "…"

    static func text(_ target: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in target.utf8 {
            if byte > 0x20 && byte < 0x7F {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            }
        }
        if let question = bytes.firstIndex(of: UInt8(ascii: "?")) {
            bytes = Array(bytes[...question]) + maskedQuery(bytes[(question + 1)...])
        }
        let text = String(decoding: maskedHexRuns(bytes), as: UTF8.self)
        return text.utf8.count > maximumBytes ? String(text.prefix(maximumBytes)) + mask : text
    }

    private static func maskedQuery(_ query: ArraySlice<UInt8>) -> [UInt8] {
        let parameters = query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false).map { parameter -> [UInt8] in
            guard let equals = parameter.firstIndex(of: UInt8(ascii: "=")) else { return Array(parameter) }
            let name = PercentDecoding.decode(parameter[..<equals], plusAsSpace: true).map { String(decoding: $0, as: UTF8.self).lowercased() }
            guard name == "token" || name == nil else { return Array(parameter) }
            return Array(parameter[...equals]) + Array(mask.utf8)
        }
        return Array(parameters.joined(separator: [UInt8(ascii: "&")]))
    }

    private static func maskedHexRuns(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var run: [UInt8] = []
        func flush() {
            out += run.count >= 32 ? Array(mask.utf8) : run
            run.removeAll()
        }
        for byte in bytes {
            if PercentDecoding.hexValue(byte) != nil { run.append(byte) } else { flush(); out.append(byte) }
        }
        flush()
        return out
    }
}
