import Foundation

/// A fresh folder under the temporary directory, removed with everything in
/// it when the last reference goes (at the end of the test that made it).
public final class ScratchDirectory {
    public let path: String

    /// `label` goes into the folder's name, so a leftover says which test made it.
    public init(_ label: String = "scratch") throws {
        path = NSTemporaryDirectory() + "pxefarm-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
