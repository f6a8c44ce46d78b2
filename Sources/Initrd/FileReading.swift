import FileIO

/// Whole-file reads for small text inputs (device tables, modules.dep,
/// templates), failures as the `InitrdError` naming the call that failed.
enum FileReading {
    static func bytes(of path: String) throws(InitrdError) -> [UInt8] {
        do {
            return try WholeFile.read(path)
        } catch {
            throw InitrdError.io(path: error.path, doing: error.call.rawValue, errno: error.errno)
        }
    }

    static func text(of path: String) throws(InitrdError) -> String {
        String(decoding: try bytes(of: path), as: UTF8.self)
    }
}
