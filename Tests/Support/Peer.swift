import Foundation
import Testing

/// A program on this machine that a test drives or checks pxefarm against
/// (dhcpd, curl, cpio, ...). Tests that need one carry `.needs(.curl)`, so
/// that where it is missing they are reported as skipped, never as passed.
public struct Peer: Sendable, Hashable {
    /// The executable's file name.
    public let name: String
    /// The Debian package that installs it (the Makefile's `deps` target installs them all).
    public let package: String

    public init(_ name: String, package: String) {
        self.name = name
        self.package = package
    }

    /// Where it is: the folders of $PATH, then the sbin folders Debian
    /// installs daemons in (often not on a user's PATH); nil when absent.
    public var path: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let folders = path.split(separator: ":").map(String.init) + ["/usr/local/sbin", "/usr/sbin", "/sbin"]
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public var isInstalled: Bool { path != nil }

    public static let atftp = Peer("atftp", package: "atftp")
    public static let bsdtar = Peer("bsdtar", package: "libarchive-tools")
    public static let busybox = Peer("busybox", package: "busybox-static")
    public static let chromium = Peer("chromium", package: "chromium")
    public static let cpio = Peer("cpio", package: "cpio")
    public static let curl = Peer("curl", package: "curl")
    public static let dhcpd = Peer("dhcpd", package: "isc-dhcp-server")
    public static let dnsmasq = Peer("dnsmasq", package: "dnsmasq")
    public static let gzip = Peer("gzip", package: "gzip")
    public static let ip = Peer("ip", package: "iproute2")
    public static let kea = Peer("kea-dhcp4", package: "kea-dhcp4-server")
    public static let perfdhcp = Peer("perfdhcp", package: "kea-admin")
    public static let make = Peer("make", package: "make")
    public static let mount = Peer("mount", package: "mount")
    public static let prometheus = Peer("prometheus", package: "prometheus")
    public static let promtool = Peer("promtool", package: "prometheus")
    public static let python3 = Peer("python3", package: "python3")
    public static let setpriv = Peer("setpriv", package: "util-linux")
    public static let systemdAnalyze = Peer("systemd-analyze", package: "systemd")
    public static let tar = Peer("tar", package: "tar")
    public static let tftp = Peer("tftp", package: "tftp-hpa")
    public static let umount = Peer("umount", package: "mount")
    public static let xz = Peer("xz", package: "xz-utils")
    public static let zstd = Peer("zstd", package: "zstd")
}

/// What this machine lets a test do beyond running programs.
public enum Machine {
    /// Running as root (network namespaces, mounts, chown to other owners).
    public static var isRoot: Bool { geteuid() == 0 }

    /// Network namespaces and veth pairs can be made: root and iproute2.
    public static var canMakeNetns: Bool { isRoot && Peer.ip.isInstalled }

    /// `pxefarm` built beside the test bundle (`swift build --build-tests` builds it).
    public static var hasBuiltBinary: Bool { FileManager.default.isExecutableFile(atPath: CommandRunner.executable) }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when every peer is installed; otherwise it is
    /// reported as skipped, naming the programs and their packages.
    public static func needs(_ peers: Peer..., sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        let names = peers.map { "\($0.name) (package \($0.package))" }.joined(separator: ", ")
        return .enabled(if: peers.allSatisfy(\.isInstalled), Comment(rawValue: "needs \(names); make deps installs it"),
                        sourceLocation: sourceLocation)
    }

    /// Runs the test only as root; `why` says what needs it.
    public static func needsRoot(_ why: String, sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        .enabled(if: Machine.isRoot, Comment(rawValue: "needs root: \(why)"), sourceLocation: sourceLocation)
    }

    /// Runs the test only where network namespaces can be made (root and ip).
    public static var needsNetns: Self {
        .enabled(if: Machine.canMakeNetns, "needs root and ip (package iproute2) to make network namespaces")
    }

    /// Runs the test only when the pxefarm binary is built beside the tests.
    public static var needsBuiltBinary: Self {
        .enabled(if: Machine.hasBuiltBinary, "needs the pxefarm binary beside the tests (swift build --build-tests builds it)")
    }
}
