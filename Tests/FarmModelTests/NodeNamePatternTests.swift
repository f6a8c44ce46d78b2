import Testing
@testable import FarmModel

@Suite struct NodeNamePatternTests {
    @Test func expandsWithTheFirstNumbersWidth() throws {
        let pattern = try NodeNamePattern("n[040-167]")
        #expect(pattern.count == 128)
        #expect(pattern.names.first == "n040")
        #expect(pattern.names.last == "n167")
        #expect(try NodeNamePattern("n[8-12]").names == ["n8", "n9", "n10", "n11", "n12"])
        #expect(try NodeNamePattern("rack2-[01-02]-a").names == ["rack2-01-a", "rack2-02-a"])
    }

    @Test func refusesMalformedPatterns() {
        #expect(throws: NodeNamePattern.ParseError.noBrackets("n040")) { try NodeNamePattern("n040") }
        #expect(throws: NodeNamePattern.ParseError.malformedRange("n[a-b]")) { try NodeNamePattern("n[a-b]") }
        #expect(throws: NodeNamePattern.ParseError.noBrackets("n[1-2")) { try NodeNamePattern("n[1-2") }
        #expect(throws: NodeNamePattern.ParseError.malformedRange("n[1-2-3]")) { try NodeNamePattern("n[1-2-3]") }
        #expect(throws: NodeNamePattern.ParseError.descending(first: 9, last: 3)) { try NodeNamePattern("n[9-3]") }
        #expect(throws: NodeNamePattern.ParseError.noBrackets("n[1-2][3-4]")) { try NodeNamePattern("n[1-2][3-4]") }
        #expect(throws: NodeNamePattern.ParseError.tooLarge(100_000)) { try NodeNamePattern("n[0-99999]") }
    }
}
