import Foundation
import Testing
import TestSupport

/// `pxefarm status`: the boot stages the daemon recorded, per node in farm order.
@Suite struct StatusCommandTests {
    func outFolder(stages: String?) throws -> String {
        let out = NSTemporaryDirectory() + "pxefarm-status-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: out + "/.pxefarm", withIntermediateDirectories: true)
        if let stages { try stages.write(toFile: out + "/.pxefarm/boot-stages.json", atomically: true, encoding: .utf8) }
        return out
    }

    @Test func printsEachNodesStagesAndTheNodesNeverSeen() throws {
        let out = try outFolder(stages: """
            {"nodes": {"c1": {
              "dhcp": {"at": 1764000000, "detail": "ACK 10.0.0.21: REQUEST: 10.0.0.21 acknowledged", "address": "10.0.0.21"},
              "boot-server": {"at": 1764000001, "detail": "X86PC/UNDI/boot/linux.0"},
              "tftp": {"at": 1764000002.5, "detail": "X86PC/UNDI/boot/linux.1 70001 bytes, completed", "address": "10.0.0.21"}}}}
            """)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let output = try CommandRunner.run(["status", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml", "--out", out], in: repository)
        #expect(output.status == 0)
        #expect(output.stderr == "")
        #expect(output.stdout == """
            head 52:54:00:00:00:01 10.0.0.10 local
              never seen
            c1 52:54:00:00:01:01 10.0.0.21 boot
              dhcp 2025-11-24T16:00:00Z ACK 10.0.0.21: REQUEST: 10.0.0.21 acknowledged
              boot-server 2025-11-24T16:00:01Z X86PC/UNDI/boot/linux.0
              tftp 2025-11-24T16:00:02Z X86PC/UNDI/boot/linux.1 70001 bytes, completed
            c2 52:54:00:00:01:02 10.0.0.22 boot
              never seen
            c3 52:54:00:00:01:03 10.0.0.23 boot
              never seen

            """)
    }

    @Test func aDamagedStateFileIsAnErrorNamingIt() throws {
        let out = try outFolder(stages: "{\"nodes\": [")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let output = try CommandRunner.run(["status", "Tests/PXEFarmCommandsTests/Fixtures/small.yaml", "--out", out], in: repository)
        #expect(output.status == 1)
        #expect(output.stderr.hasPrefix("pxefarm status: cannot read the boot-stage file \(out)/.pxefarm/boot-stages.json: "))
        #expect(output.stdout == "")
    }
}
