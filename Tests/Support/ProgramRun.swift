import Foundation

/// Runs a program to its end and returns what it printed. Standard input,
/// when given, is written from another thread and both pipes are drained
/// while the program runs, so a chatty program never blocks on a full pipe.
public enum ProgramRun {
    /// What `capture` saw: standard output as bytes (it may be an archive), standard error as text.
    public struct Captured: Sendable {
        public var status: Int32
        public var output: Data
        public var error: String
        public var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// Exit status and everything it printed (standard output and error together).
    public static func run(_ path: String, _ arguments: [String], input: String? = nil,
                           directory: String? = nil) throws -> (status: Int32, output: String) {
        let pipe = Pipe()
        let status = try launch(path, arguments, input: input.map { Data($0.utf8) }, directory: directory, output: pipe, error: pipe) {
            pipe.fileHandleForReading.readDataToEndOfFile()
        }
        return (status.0, String(decoding: status.1, as: UTF8.self))
    }

    /// Exit status, standard output and standard error, apart.
    public static func capture(_ path: String, _ arguments: [String], input: Data? = nil, directory: String? = nil) throws -> Captured {
        let output = Pipe(), error = Pipe()
        nonisolated(unsafe) var errorData = Data()
        let group = DispatchGroup()
        let result = try launch(path, arguments, input: input, directory: directory, output: output, error: error) {
            DispatchQueue.global().async(group: group) { errorData = error.fileHandleForReading.readDataToEndOfFile() }
            let data = output.fileHandleForReading.readDataToEndOfFile()
            group.wait()
            return data
        }
        return Captured(status: result.0, output: result.1, error: String(decoding: errorData, as: UTF8.self))
    }

    private static func launch(_ path: String, _ arguments: [String], input: Data?, directory: String?, output: Pipe, error: Pipe,
                               read: () -> Data) throws -> (Int32, Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
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
        let data = read()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }
}
