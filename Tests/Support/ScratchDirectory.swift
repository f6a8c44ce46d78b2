import Foundation

/// A fresh folder under the temporary directory, removed with everything in
/// it when the last reference goes (at the end of the test that made it), or
/// earlier by `remove()`.
public final class ScratchDirectory {
    public let path: String

    /// `label` goes into the folder's name, so a leftover says which test made it.
    public init(_ label: String = "scratch") throws {
        path = NSTemporaryDirectory() + "pxefarm-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `bytes` at `relative`, making the folders above it, with `permissions`.
    public func write(_ relative: String, _ bytes: [UInt8], permissions: Int = 0o644) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        chmod(full, mode_t(permissions))
    }

    public func write(_ relative: String, _ text: String, permissions: Int = 0o644) throws {
        try write(relative, Array(text.utf8), permissions: permissions)
    }

    /// mkdir -p of `relative`.
    public func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    deinit { remove() }
}
