#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Golden files: expected output kept beside the tests as readable text.
/// With UPDATE_GOLDEN=1 in the environment a comparison rewrites the file
/// instead of comparing, so fixtures are regenerated, never hand-edited.
public enum GoldenFile {
    /// The folder `Fixtures/` next to the calling test file.
    public static func fixtures(_ filePath: String = #filePath) -> String {
        let directory = filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return directory + "/Fixtures"
    }

    /// The repository's root folder, from the path of the calling test file.
    public static func repository(_ filePath: String = #filePath) -> String {
        guard let range = filePath.range(of: "/Tests/", options: .backwards) else { return "." }
        return String(filePath[..<range.lowerBound])
    }

    public static var updating: Bool { getenv("UPDATE_GOLDEN").map { String(cString: $0) } == "1" }

    /// The expected text, or nil after writing `actual` when updating.
    /// Throws when the file is missing and not updating.
    public static func expected(_ actual: String, path: String) throws -> String {
        if updating {
            try write(actual, to: path)
            return actual
        }
        return try read(path)
    }

    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "golden file \(path) is missing; run the tests with UPDATE_GOLDEN=1 to create it" }
    }

    public static func read(_ path: String) throws -> String {
        guard let file = fopen(path, "rb") else { throw Missing(path: path) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while case let count = fread(&buffer, 1, buffer.count, file), count > 0 { bytes += buffer[0..<count] }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func write(_ text: String, to path: String) throws {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        _ = directory.isEmpty ? 0 : system("mkdir -p '\(directory)'")
        guard let file = fopen(path, "wb") else { throw Missing(path: path) }
        defer { fclose(file) }
        _ = Array(text.utf8).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    }
}
