import FarmBuild
import FileIO
import Foundation

/// What `build` and `plan` give the builder as its inputs: the farm file's
/// folder (relative paths in it are taken from there), the text of every
/// file the farm was loaded from, and pxefarm's own identity, its version
/// and the signature of the running binary (a rebuilt pxefarm renders
/// anew, even under the same version).
enum BuildInputs {
    static func of(farmFile: String, sources: [String]) -> [String] {
        let folder = FileSystem.realPath(PathName.directoryName(farmFile)) ?? PathName.directoryName(farmFile)
        return [identity, "farm file in \(folder)"] + sources
    }

    static var identity: String {
        let binary = BuildCache.Signature.of(FileSystem.realPath("/proc/self/exe") ?? "/proc/self/exe")
        return "pxefarm \(Version.current) " + (binary.map { "\($0.size) \($0.modified) \($0.inode)" } ?? "unknown binary")
    }

    /// The digest of everything that decides what `build` would load besides
    /// the files it reads: pxefarm's identity, the working folder (relative
    /// paths are taken from it), the farm file as given and as resolved,
    /// the output folder as given (the record is inside it), the templates
    /// folder asked for (option or
    /// environment) and the generations kept. The same invocation over
    /// files with the same signatures loads the same farm.
    static func invocation(farmFile: String, out: String, templates: String?, keep: Int,
                           environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let parts = [
            identity,
            "cwd " + (FileManager.default.currentDirectoryPath),
            "farm " + farmFile + " " + (FileSystem.realPath(farmFile) ?? "-"),
            "out " + out,
            "templates " + (templates ?? "-") + " " + (environment["PXEFARM_TEMPLATES"] ?? "-"),
            "keep \(keep)",
        ]
        return Digest.of(text: parts.map { "\($0.utf8.count):\($0)" }.joined())
    }
}
