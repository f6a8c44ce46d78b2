import FarmBuild
import FileIO

/// What `build` and `plan` give the builder as its inputs: the farm file's
/// folder (relative paths in it are taken from there), the text of every
/// file the farm was loaded from, and pxefarm's own identity, its version
/// and the signature of the running binary (a rebuilt pxefarm renders
/// anew, even under the same version).
enum BuildInputs {
    static func of(farmFile: String, sources: [String]) -> [String] {
        let folder = FileSystem.realPath(PathName.directoryName(farmFile)) ?? PathName.directoryName(farmFile)
        let binary = BuildCache.Signature.of(FileSystem.realPath("/proc/self/exe") ?? "/proc/self/exe")
        let identity = binary.map { "\($0.size) \($0.modified) \($0.inode)" } ?? "unknown binary"
        return ["pxefarm \(Version.current) \(identity)", "farm file in \(folder)"] + sources
    }
}
