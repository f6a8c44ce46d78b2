import Foundation
import TestSupport

/// Runs a real program that reads our configuration files (dhcpd, kea-dhcp4,
/// dnsmasq). Tests skip, printing why, only when its binary is absent.
struct PeerTool: Sendable {
    let name: String
    let arguments: @Sendable (String) -> [String]

    static let dhcpd = PeerTool(name: "dhcpd") { ["-4", "-t", "-cf", $0, "-lf", "/dev/null", "-pf", "/dev/null"] }
    static let kea = PeerTool(name: "kea-dhcp4") { ["-t", $0] }
    static let dnsmasq = PeerTool(name: "dnsmasq") { ["--test", "--conf-file=\($0)"] }

    /// Where the binary is: the sbin directories Debian installs these in, then $PATH.
    var path: String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = ["/usr/sbin", "/usr/local/sbin", "/sbin"] + path.split(separator: ":").map(String.init)
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/\(name)"
    }

    /// Nil when present; otherwise why the test is skipped.
    var absence: String? {
        FileManager.default.isExecutableFile(atPath: path) ? nil : "\(path) is not installed (make deps installs it); skipping the \(name) check"
    }

    /// Exit status and everything it printed, for `file`.
    func check(_ file: String) throws -> (status: Int32, output: String) {
        try ProgramRun.run(path, arguments(file))
    }
}

/// A temporary directory removed when the test ends.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("bootconfig-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
