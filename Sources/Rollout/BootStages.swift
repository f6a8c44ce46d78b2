import FileIO
import Foundation

/// The boot stages of each node as `pxefarm serve` saw them: the last DHCP
/// decision, the last boot-server ACK, the last TFTP fetch, the kickstart
/// fetch and the install callback, each with its time. Stored as JSON in the output folder so `pxefarm status` can print
/// it while the daemon runs.
public struct BootStages: Codable, Hashable, Sendable {
    public enum Stage: String, Codable, Hashable, Sendable, CaseIterable {
        case dhcp
        case bootServer = "boot-server"
        case tftp
        /// The network boot program (linux.0, or an EFI boot file) was fetched.
        case nbp
        /// Its configuration (pxelinux.cfg/, grub.cfg) was fetched.
        case config
        /// The kernel (linux.1) was fetched.
        case kernel
        /// The initrd (linux.2) was fetched.
        case initrd
        /// The installer fetched its kickstart file over HTTP.
        case kickstart
        /// The kickstart's %post reported the install done.
        case installDone = "install-done"
    }

    public struct Entry: Codable, Hashable, Sendable {
        /// Seconds since 1970 (UTC).
        public var at: Double
        public var detail: String
        public var address: String?

        public init(at: Double, detail: String, address: String? = nil) {
            self.at = at
            self.detail = detail
            self.address = address
        }
    }

    /// node name -> stage -> last entry.
    public var nodes: [String: [Stage: Entry]]

    public init(nodes: [String: [Stage: Entry]] = [:]) { self.nodes = nodes }

    /// The file name inside the state folder the caller chooses.
    public static let fileName = "boot-stages.json"

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a state file; a missing file is no stages yet.
    public static func load(from path: String) throws -> BootStages {
        guard FileManager.default.fileExists(atPath: path) else { return BootStages() }
        do {
            return try JSONDecoder().decode(BootStages.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw RolloutError.stagesUnreadable(path: path, reason: "\(error)")
        }
    }

    /// Writes to a temporary file beside `path`, then renames it over `path`:
    /// a reader sees the old file or the new one, never half of one.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let data: Data
        do {
            data = try encoded()
        } catch {
            throw RolloutError.stagesUnwritable(path: path, reason: "\(error)")
        }
        do {
            try AtomicFile.write(data, to: path, temporary: path + ".tmp-\(getpid())")
        } catch {
            throw RolloutError.stagesUnwritable(path: path, reason: error.reason)
        }
    }
}

extension BootStages.Stage: CodingKeyRepresentable {}
