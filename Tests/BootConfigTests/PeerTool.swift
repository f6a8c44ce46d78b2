import Foundation
import TestSupport

/// Runs a real program that reads our configuration files (dhcpd, kea-dhcp4,
/// dnsmasq) in its check mode. Tests carry `.needs(tool.peer)`, so they are
/// reported as skipped where the program is absent.
struct PeerTool: Sendable {
    let peer: Peer
    let arguments: @Sendable (String) -> [String]

    static let dhcpd = PeerTool(peer: .dhcpd) { ["-4", "-t", "-cf", $0, "-lf", "/dev/null", "-pf", "/dev/null"] }
    static let kea = PeerTool(peer: .kea) { ["-t", $0] }
    static let dnsmasq = PeerTool(peer: .dnsmasq) { ["--test", "--conf-file=\($0)"] }

    var name: String { peer.name }

    /// Exit status and everything it printed, for `file`.
    func check(_ file: String) throws -> (status: Int32, output: String) {
        guard let path = peer.path else { throw Absent(name: name) }
        return try ProgramRun.run(path, arguments(file))
    }

    struct Absent: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) is not installed; the test should have carried .needs(.\(name))" }
    }
}
