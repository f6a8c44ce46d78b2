import Foundation
import Testing
import TestSupport

/// The systemd unit `make install` installs: paths filled in, accepted by
/// `systemd-analyze verify` without a single warning.
@Suite struct SystemdUnitTests {
    @Test(.needs(.make, .systemdAnalyze)) func theInstalledUnitVerifies() throws {
        let make = try #require(Peer.make.path), analyze = try #require(Peer.systemdAnalyze.path)
        let prefix = NSTemporaryDirectory() + "pxefarm-unit-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        try FileManager.default.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: prefix + "/bin/pxefarm", withDestinationPath: CommandRunner.executable)

        let install = try ProgramRun.run(make, ["-s", "-C", repository, "install-unit", "PREFIX=\(prefix)"])
        #expect(install.status == 0, "\(install.output)")
        let unit = prefix + "/lib/systemd/system/pxefarm.service"
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        #expect(text.contains("ExecStart=\(prefix)/bin/pxefarm serve ${PXEFARM_FARM} --out ${PXEFARM_OUT} $PXEFARM_OPTIONS\n"))
        #expect(text.contains("ExecReload=/bin/kill -HUP $MAINPID\n"))
        #expect(!text.contains("@"))
        let verify = try ProgramRun.run(analyze, ["verify", unit])
        #expect(verify.status == 0)
        #expect(verify.output.isEmpty, "systemd-analyze verify: \(verify.output)")
    }
}
