import FileIO
import Foundation

/// Runs a publication with rsync (and ssh for `host:path` targets): the
/// copies into staging, the node trees, then the finish script on the far
/// side. One server's failure is that server's result; the others go on.
public struct Publisher: Sendable {
    /// Runs a program with arguments and returns its exit status and what it printed.
    public typealias Runner = @Sendable (_ program: String, _ arguments: [String]) -> (status: Int32, output: String)

    public struct Result: Sendable {
        public let publication: ServerPublication
        /// Nil when the generation is current there; otherwise what failed.
        public let failure: String?
        public let seconds: Double
    }

    let run: Runner
    let rsync: String
    let ssh: String

    public init(rsync: String = "/usr/bin/rsync", ssh: String = "/usr/bin/ssh", run: @escaping Runner = Publisher.runProgram) {
        self.rsync = rsync
        self.ssh = ssh
        self.run = run
    }

    /// Every publication at once, each server's rsync and finish script on a
    /// thread of its own (the work is theirs, not ours: rsync over the network
    /// to several boxes is bound by each box's link and disks). The results
    /// come back in the order of `publications`.
    public func publish(all publications: [ServerPublication]) -> [Result] {
        let results = ResultSlots(count: publications.count)
        DispatchQueue.concurrentPerform(iterations: publications.count) { index in
            results.set(index, publish(publications[index]))
        }
        return results.values
    }

    public func publish(_ publication: ServerPublication) -> Result {
        let started = Date()
        func result(_ failure: String?) -> Result { Result(publication: publication, failure: failure, seconds: Date().timeIntervalSince(started)) }
        for copy in publication.copies where !copy.optional || FileManager.default.fileExists(atPath: copy.source) {
            let list: EntryList
            do { list = try EntryList(copy.only) } catch {
                return result("cannot write the list of \(copy.only.count) entries of \(copy.source) for rsync: \(error)")
            }
            defer { list.remove() }
            let arguments = Self.rsyncArguments(copy, target: publication.target, ssh: ssh, filesFrom: list.path)
            let outcome = run(rsync, arguments)
            guard outcome.status == 0 else {
                return result("rsync of \(copy.source) to \(publication.target.rsyncName(copy.destination)) exited with status \(outcome.status): \(outcome.output.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }
        let finish: (status: Int32, output: String)
        switch publication.target {
        case .local: finish = run("/bin/sh", ["-c", publication.finishScript])
        case .ssh(let host, _): finish = run(ssh, ["-o", "BatchMode=yes", host, publication.finishScript])
        }
        guard finish.status == 0 else {
            return result("making generation \(publication.generation) current in \(publication.target) failed (status \(finish.status)): \(finish.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result(nil)
    }

    /// rsync -a (owners, modes, hard links, xattrs as the build made them),
    /// --mkpath for the staging folders, --delete for generation parts;
    /// `filesFrom` names the file listing `copy.only` (-r, because
    /// --files-from turns off the recursion -a implies).
    static func rsyncArguments(_ copy: PublishCopy, target: PublishTarget, ssh: String, filesFrom: String? = nil) -> [String] {
        var arguments = ["-aHX", "--mkpath"]
        if let filesFrom { arguments += ["-r", "--files-from=\(filesFrom)"] }
        arguments.append(copy.exact ? "--delete" : "--update")
        arguments += copy.excludes.map { "--exclude=/\($0)" }
        if case .ssh = target { arguments += ["-e", "\(ssh) -o BatchMode=yes"] }
        return arguments + [copy.source, target.rsyncName(copy.destination)]
    }

    /// The real runner: the program's standard output and error together.
    public static let runProgram: Runner = { program, arguments in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return (127, "cannot run \(program): \(error.localizedDescription)") }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// The entries of a copy's `only`, one per line in a temporary file for
    /// rsync's --files-from; no file when the copy takes the whole folder.
    struct EntryList {
        let path: String?

        init(_ entries: [String]) throws {
            guard !entries.isEmpty else { path = nil; return }
            let path = FileManager.default.temporaryDirectory.path + "/pxefarm-publish-\(UUID().uuidString).list"
            try AtomicFile.write(Array(entries.map { $0 + "\n" }.joined().utf8), to: path)
            self.path = path
        }

        func remove() {
            if let path { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    /// The results of `publish(all:)`, filled in from several threads.
    private final class ResultSlots: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result?]
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ result: Result) { lock.withLock { slots[index] = result } }
        var values: [Result] { lock.withLock { slots.compactMap { $0 } } }
    }
}
