import FarmModel
import NetbootWire

/// The value of `option vendor-encapsulated-options`: colon hex that may run
/// over several words and lines (`06:01:00: 07:04:e0:00:01:02: ...`), or a
/// quoted string. Each byte keeps its position, so that the PXE codec's
/// decode error (a byte offset) is reported at the line and column of that byte.
enum VendorOptionsText {
    static func read(_ tokens: [DHCPDToken], option: DHCPDToken) throws(ImportError) -> DHCPDVendorOptions {
        var bytes: [UInt8] = []
        var locations: [SourceLocation] = []
        if tokens.count == 1, tokens[0].kind == .string {
            bytes = Array(tokens[0].text.utf8)
            locations = Array(repeating: tokens[0].location, count: bytes.count)
        } else {
            for token in tokens {
                guard token.kind == .word else {
                    throw ImportError("vendor-encapsulated-options: unexpected \(token.quoted) in the hex bytes", at: token.location)
                }
                var column = token.location.column
                for group in token.text.split(separator: ":", omittingEmptySubsequences: false) {
                    defer { column += group.count + 1 }
                    if group.isEmpty { continue }
                    let at = SourceLocation(file: token.location.file, line: token.location.line, column: column)
                    guard group.count <= 2, group.allSatisfy({ $0.isASCII && $0.isHexDigit }), let byte = UInt8(group, radix: 16) else {
                        throw ImportError("vendor-encapsulated-options: \"\(group)\" is not a hex byte (byte \(bytes.count) of option 43)", at: at)
                    }
                    bytes.append(byte)
                    locations.append(at)
                }
            }
        }
        guard !bytes.isEmpty else { throw ImportError("vendor-encapsulated-options has no bytes", at: option.location) }
        do {
            let decoded = try PXEVendorOptions.decode(bytes)
            return DHCPDVendorOptions(bytes: bytes, decoded: decoded, location: option.location)
        } catch {
            let offset = error.offset ?? 0
            let at = offset < locations.count ? locations[offset] : locations[locations.count - 1]
            throw ImportError("vendor-encapsulated-options (option 43) is not valid PXE: \(error)", at: at)
        }
    }
}
