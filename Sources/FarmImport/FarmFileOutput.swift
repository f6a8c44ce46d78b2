import FileIO
import Foundation

/// Reads the configuration files to import and writes the farm file: the
/// text goes to a temporary file beside the target, then is renamed over
/// it, so a failed import never leaves half a farm file.
public enum FarmFileOutput {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func read(_ path: String) throws(Failure) -> FarmImport.Source {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "\(path): cannot read the file (missing or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw Failure(description: "\(path): not a text file")
        }
        return FarmImport.Source(text: text, file: path)
    }

    /// Writes `text` to `path`; an existing file is replaced only with `replace`.
    public static func write(_ text: String, to path: String, replace: Bool) throws(Failure) {
        if !replace, FileManager.default.fileExists(atPath: path) {
            throw Failure(description: "\(path) exists; pass --force to replace it")
        }
        do {
            try AtomicFile.write(Array(text.utf8), to: path)
        } catch {
            // The temporary file is named when writing it failed, the target when the rename did.
            throw Failure(description: "cannot write \(error.call == .rename ? path : error.path): \(error.reason)")
        }
    }
}
