import Foundation

/// Boot files over HTTP, for UEFI HTTP Boot: the same names, the same path
/// policy (`TFTPPathPolicy`: inside the TFTP root, regular files only) and
/// the same per-node files (the overlay first) as TFTP, so a node booting
/// over HTTP gets what it would get over TFTP. Runs on the HTTP listener's
/// responder threads, never on an event loop; a file is read whole.
public struct HTTPBootFiles: Sendable {
    public let root: String
    public let overlay: TFTPOverlay?

    public init(root: String, overlay: TFTPOverlay? = nil) {
        self.root = root
        self.overlay = overlay
    }

    public func answer(_ path: String) -> HTTPAnswer {
        if let bytes = overlay?.contents(of: path, netascii: false) {
            return HTTPAnswer(status: 200, contentType: "text/plain; charset=utf-8", body: Array(buffer: bytes), logReason: "boot-file")
        }
        let resolved: String
        do {
            resolved = try TFTPPathPolicy(root: root).resolve(Array(path.utf8))
        } catch .notFound {
            return .text(404, "no boot file \(path)", logReason: "no-boot-file")
        } catch {
            return .text(403, "\(path) is not served: \(error)", logReason: "boot-file-refused")
        }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            return .text(500, "\(path) cannot be read", logReason: "boot-file-unreadable")
        }
        let body = [UInt8](data)
        return HTTPAnswer(status: 200, contentType: Self.contentType(of: body), body: body, logReason: "boot-file")
    }

    /// `application/efi` for a PE image ("MZ": an EFI program, or a kernel
    /// with its EFI stub), which UEFI HTTP Boot needs to run a file whose
    /// name does not end in .efi (EDK2's HttpBootCheckImageType); else
    /// `application/octet-stream`.
    static func contentType(of body: [UInt8]) -> String {
        body.starts(with: [0x4D, 0x5A]) ? "application/efi" : "application/octet-stream"
    }
}
