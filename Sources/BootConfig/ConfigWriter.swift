import FileIO
import Foundation

/// Writes rendered files under an output folder, each atomically: the text
/// goes to a temporary file in the same directory, then is renamed over the
/// target, so a reader never sees half a file. Files are checked before
/// any is written.
public enum ConfigWriter {
    public static func write(_ files: [RenderedFile], into directory: String) throws(BootConfigError) {
        let root = URL(fileURLWithPath: directory)
        for file in files {
            let parts = file.path.split(separator: "/", omittingEmptySubsequences: false)
            guard !file.path.hasPrefix("/"), !parts.contains(".."), !parts.contains(""), !parts.contains(".") else {
                throw .cannotWrite(path: file.path, reason: "not a plain path inside the output folder")
            }
        }
        for file in files {
            let target = root.appendingPathComponent(file.path)
            do {
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw .cannotWrite(path: target.path, reason: error.localizedDescription)
            }
            do {
                try AtomicFile.write(Array(file.text.utf8), to: target.path)
            } catch {
                throw .cannotWrite(path: target.path, reason: error.reason)
            }
        }
    }
}
