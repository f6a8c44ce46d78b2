import Foundation
import Testing
@testable import Initrd

/// A fresh directory under /tmp, removed by `remove()` (tests call it in defer).
struct TemporaryDirectory {
    let path: String

    init(_ label: String = "initrd-test") throws {
        var template = Array("/tmp/pxefarm-\(label).XXXXXX".utf8CString)
        guard let result = mkdtemp(&template) else { throw InitrdError.io(path: "/tmp", doing: "mkdtemp", errno: errno) }
        path = String(cString: result)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    func write(_ relative: String, _ text: String, permissions: Int = 0o644) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        chmod(full, mode_t(permissions))
    }

    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }
}

/// The outcome of running a peer tool.
struct ToolRun {
    var status: Int32
    var output: Data
    var error: String
    var text: String { String(decoding: output, as: UTF8.self) }
}

enum Tool {
    /// The absolute path of `name` on PATH, or nil.
    static func find(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Runs a tool with optional standard input and working directory; waits for it.
    static func run(_ executable: String, _ arguments: [String], input: Data? = nil,
                    directory: String? = nil) throws -> ToolRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            let writer = inputPipe.fileHandleForWriting
            DispatchQueue.global().async {
                writer.write(input)
                try? writer.close()
            }
        }
        let errorData = ReadAll(error.fileHandleForReading)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolRun(status: process.terminationStatus, output: data, error: String(decoding: errorData.wait(), as: UTF8.self))
    }

    /// Looks a tool up, printing why the test is skipped when it is absent.
    static func required(_ name: String, for test: String) -> String? {
        if let path = find(name) { return path }
        print("skipping \(test): \(name) is not installed (make deps installs it)")
        return nil
    }
}

/// Drains a pipe on another thread so a chatty tool never blocks on a full pipe.
final class ReadAll: @unchecked Sendable {
    private let group = DispatchGroup()
    private var data = Data()

    init(_ handle: FileHandle) {
        group.enter()
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.group.leave()
        }
    }

    func wait() -> Data {
        group.wait()
        return data
    }
}

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// Compares `actual` with the fixture, or writes it when UPDATE_GOLDEN=1.
    static func expectGolden(_ actual: [UInt8], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = directory + "/" + name
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(actual).write(to: URL(fileURLWithPath: path))
            return
        }
        guard let expected = FileManager.default.contents(atPath: path) else {
            Issue.record("missing golden file \(path); run with UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        #expect(Array(expected) == actual, "differs from \(path); if the change is intended, run with UPDATE_GOLDEN=1",
                sourceLocation: sourceLocation)
    }

    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectGolden(Array(actual.utf8), name, sourceLocation: sourceLocation)
    }
}

/// The checkout's templates folder.
let repositoryTemplates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("templates").path

/// The pxefarm binary built beside the tests (swift build --build-tests builds it too).
var builtBinary: String? {
    let build = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build").path
    for configuration in ["debug", "release"] {
        let candidate = "\(build)/\(configuration)/pxefarm"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}
