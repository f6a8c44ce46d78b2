import FileIO
import Foundation

/// Reads the configuration files to import and writes the farm file: the
/// text goes to a temporary file beside the target, then is renamed over
/// it, so a failed import never leaves half a farm file.
public enum FarmFileOutput {
    public static func read(_ path: String) throws(ImportError) -> FarmImport.Source {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path)
        }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw .notText(path: path)
        }
        return FarmImport.Source(text: text, file: path)
    }

    /// Writes `text` to `path`; an existing file is replaced only with `replace`.
    public static func write(_ text: String, to path: String, replace: Bool) throws(ImportError) {
        if !replace, FileManager.default.fileExists(atPath: path) {
            throw .outputExists(path: path)
        }
        do {
            try AtomicFile.write(Array(text.utf8), to: path)
        } catch {
            // The temporary file is named when writing it failed, the target when the rename did.
            throw .unwritable(path: error.call == .rename ? path : error.path, reason: error.reason)
        }
    }
}
