import Testing
import TestSupport

/// A classic 16-bytes-per-line hex dump with offsets.
func hexDump(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    func hex(_ byte: UInt8) -> String { String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]) }
    var lines: [String] = []
    for start in stride(from: 0, to: bytes.count, by: 16) {
        let offset = [UInt8(start >> 8 & 0xFF), UInt8(start & 0xFF)].map(hex).joined()
        lines.append(offset + "  " + bytes[start..<min(start + 16, bytes.count)].map(hex).joined(separator: " "))
    }
    return lines.joined(separator: "\n") + "\n"
}
