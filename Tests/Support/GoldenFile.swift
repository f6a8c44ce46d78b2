import FileIO
import Glibc
import Testing

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

    /// The repository's own templates/ folder.
    public static func templates(_ filePath: String = #filePath) -> String { repository(filePath) + "/templates" }

    public static var updating: Bool { getenv("UPDATE_GOLDEN").map { String(cString: $0) } == "1" }

    /// Compares `actual` with Fixtures/`name` beside the calling test file
    /// (rewrites it instead with UPDATE_GOLDEN=1).
    public static func check(_ actual: String, against name: String, filePath: String = #filePath,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try Self.expected(actual, path: fixtures(filePath) + "/" + name)
        #expect(actual == expected, "differs from Fixtures/\(name); if the change is intended, run with UPDATE_GOLDEN=1",
                sourceLocation: sourceLocation)
    }

    /// The same for bytes (a packed archive, say).
    public static func check(_ actual: [UInt8], against name: String, filePath: String = #filePath,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = fixtures(filePath) + "/" + name
        if updating { try write(actual, to: path) }
        #expect(actual == (try bytes(path)), "differs from Fixtures/\(name); if the change is intended, run with UPDATE_GOLDEN=1",
                sourceLocation: sourceLocation)
    }

    /// The expected text, or nil after writing `actual` when updating.
    /// Throws when the file is missing and not updating.
    public static func expected(_ actual: String, path: String) throws -> String {
        if updating {
            try write(Array(actual.utf8), to: path)
            return actual
        }
        return try read(path)
    }

    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "golden file \(path) is missing; run the tests with UPDATE_GOLDEN=1 to create it" }
    }

    public static func read(_ path: String) throws -> String {
        String(decoding: try bytes(path), as: UTF8.self)
    }

    public static func bytes(_ path: String) throws -> [UInt8] {
        do {
            return try WholeFile.read(path)
        } catch {
            throw Missing(path: path)
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        _ = directory.isEmpty ? 0 : system("mkdir -p '\(directory)'")
        guard let file = fopen(path, "wb") else { throw Missing(path: path) }
        defer { fclose(file) }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    }
}
