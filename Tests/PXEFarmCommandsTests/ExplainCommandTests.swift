import Foundation
import Testing
import TestSupport
@testable import PXEFarmCommands

@Suite struct ExplainCommandTests {
    static let multicast = "06:01:00: 07:04:e0:00:01:02: 09:29:00:00:0a:4c:6f:63:61:6c:20:62:6f:6f:74:00:0d:0a:6b:69:63:6b:20:73:74:61:72:74:00:0e:0c:6e:65:74:77:6f:72:6b:20:62:6f:6f:74: 0a:13:0a:54:79:70:65:20:3c:46:38:3e:20:66:6f:72:20:6d:65:6e:75:ff"
    static let unicast = "06:01:03: 08:0e:00:0d:01:C0:A8:C5:0C:00:0e:01:C0:A8:C5:0C: 09:29:00:00:0a:4c:6f:63:61:6c:20:62:6f:6f:74:00:0d:0a:6b:69:63:6b:20:73:74:61:72:74:00:0e:0c:6e:65:74:77:6f:72:6b:20:62:6f:6f:74: 0a:13:0a:54:79:70:65:20:3c:46:38:3e:20:66:6f:72:20:6d:65:6e:75:ff"

    @Test func describesTheMulticastReferenceVector() {
        let report = Explain.report(for: Self.multicast)
        #expect(report.problem == nil)
        #expect(report.lines == [
            "option 43, 74 bytes:",
            "  6 discovery control: 0 (broadcast, multicast)",
            "  7 multicast discovery address: 224.0.1.2",
            "  9 boot menu: type 0 \"Local boot\" (local boot)",
            "  9 boot menu: type 13 \"kick start\"",
            "  9 boot menu: type 14 \"network boot\"",
            "  10 prompt: 10 s \"Type <F8> for menu\"",
            "  255 end",
        ])
    }

    @Test func describesTheUnicastReferenceVector() {
        let report = Explain.report(for: Self.unicast.replacingOccurrences(of: ":", with: "").replacingOccurrences(of: " ", with: ""))
        #expect(report.problem == nil)
        #expect(report.lines == [
            "option 43, 84 bytes:",
            "  6 discovery control: 3 (no broadcast, no multicast)",
            "  8 boot servers: type 13 -> 192.168.197.12",
            "  8 boot servers: type 14 -> 192.168.197.12",
            "  9 boot menu: type 0 \"Local boot\" (local boot)",
            "  9 boot menu: type 13 \"kick start\"",
            "  9 boot menu: type 14 \"network boot\"",
            "  10 prompt: 10 s \"Type <F8> for menu\"",
            "  255 end",
        ])
    }

    @Test func marksMalformedPartsAndFails() {
        let report = Explain.report(for: "0x0601030808000d02c0a8c50cff")
        #expect(report.lines == [
            "option 43, 13 bytes:",
            "  6 discovery control: 3 (no broadcast, no multicast)",
            // Tag 8 says 8 bytes, so it swallows the end tag; its count (byte 7) asks for 8 address bytes, 5 remain.
            "  malformed at byte 7: boot servers of type 13 count 2 address(es) (8 bytes) but 5 byte(s) remain in tag 8",
            "  malformed at byte 13: the option ends without the end tag 255",
        ])
        #expect(report.problem == "malformed option 43 (see the lines marked malformed)")
        #expect(Explain.report(for: "06:01:0z").problem == "not hex: character 8: \"z\" is not a hex digit")
    }

    /// The built command: output on stdout, exit status 0 or 1.
    @Test func theBinaryExitsOneOnMalformedInput() throws {
        let good = try CommandRunner.run(["explain"] + Self.multicast.split(separator: " ").map(String.init))
        #expect(good.status == 0)
        #expect(good.stdout.contains("  10 prompt: 10 s \"Type <F8> for menu\"\n"))
        let bad = try CommandRunner.run(["explain", "06:01"])
        #expect(bad.status == 1)
        #expect(bad.stdout == "option 43, 2 bytes:\n  malformed at byte 1: tag 6 (discovery control) says 1 bytes but only 0 remain\n")
        #expect(bad.stderr == "pxefarm explain: malformed option 43 (see the lines marked malformed)\n")
    }
}
