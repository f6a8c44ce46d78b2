import Testing
@testable import FarmServer

/// `Range: bytes=…` against a 1000-byte file (RFC 9110 section 14.1.2).
@Suite struct HTTPByteRangeTests {
    @Test(arguments: [
        ("bytes=0-99", HTTPByteRange.part(0..<100)),
        ("bytes=900-", .part(900..<1000)),
        ("bytes=900-5000", .part(900..<1000)),
        ("bytes=-100", .part(900..<1000)),
        ("bytes=-5000", .part(0..<1000)),
        ("bytes=999-999", .part(999..<1000)),
        ("bytes=1000-", .unsatisfiable),
        ("bytes=-0", .unsatisfiable),
        ("bytes=5-2", .whole),
        ("bytes=0-1,5-6", .whole),
        ("items=0-1", .whole),
        ("bytes=a-b", .whole),
        ("bytes=-", .whole),
    ])
    func oneRange(_ header: String, _ expected: HTTPByteRange) {
        #expect(HTTPByteRange(header: header, size: 1000) == expected)
    }

    @Test func noHeaderIsTheWholeFileAndAnEmptyFileHasNoRange() {
        #expect(HTTPByteRange(header: nil, size: 1000) == .whole)
        #expect(HTTPByteRange(header: "bytes=0-", size: 0) == .unsatisfiable)
        #expect(HTTPByteRange(header: "bytes=-1", size: 0) == .unsatisfiable)
    }
}
