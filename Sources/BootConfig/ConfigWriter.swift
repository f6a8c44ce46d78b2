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
            let folder = target.deletingLastPathComponent()
            let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(file.text.utf8).write(to: temporary)
                if rename(temporary.path, target.path) != 0 {
                    let reason = String(cString: strerror(errno))
                    try? FileManager.default.removeItem(at: temporary)
                    throw BootConfigError.cannotWrite(path: target.path, reason: reason)
                }
            } catch let error as BootConfigError {
                throw error
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw .cannotWrite(path: target.path, reason: error.localizedDescription)
            }
        }
    }
}
