import Foundation
import Testing

/// Compares `text` with Fixtures/`name`; with UPDATE_GOLDEN=1 in the environment
/// the fixture is (re)written from `text` instead.
func expectGolden(_ text: String, _ name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(text == expected, "golden \(name) differs; rerun with UPDATE_GOLDEN=1 if the change is intended", sourceLocation: sourceLocation)
}

/// A classic 16-bytes-per-line hex dump with offsets.
func hexDump(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    var lines: [String] = []
    for start in stride(from: 0, to: bytes.count, by: 16) {
        let row = bytes[start..<min(start + 16, bytes.count)]
        let offset = String(String(start, radix: 16).reversed()).padding(toLength: 4, withPad: "0", startingAt: 0)
        let hex = row.map { String([digits[Int($0 >> 4)], digits[Int($0 & 0xF)]]) }.joined(separator: " ")
        lines.append(String(offset.reversed()) + "  " + hex)
    }
    return lines.joined(separator: "\n") + "\n"
}

func fixtureURL(_ name: String, filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
}
