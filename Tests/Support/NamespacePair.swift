import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Two network namespaces joined by a veth pair, made for one test and
/// removed with everything in them when it ends: a server (`serverAddress`
/// on `serverLink`) and a client on a link with the given MAC. Broadcast
/// between them is real; nothing in them reaches any other network.
public final class NamespacePair {
    public let server: String
    public let client: String
    public let serverLink = "pxs0"
    public let clientLink = "pxc0"
    private var started: [Process] = []

    /// Tests that make one carry `.needsNetns` (Peer.swift).
    /// `serverAddress` in CIDR form, such as 192.168.197.11/24.
    public init(serverAddress: String, clientMAC: String) throws {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        server = "pxefarm-s-\(tag)"
        client = "pxefarm-c-\(tag)"
        try Self.ip(["netns", "add", server])
        do {
            try Self.ip(["netns", "add", client])
            try Self.ip(["link", "add", serverLink, "netns", server, "type", "veth", "peer", "name", clientLink, "netns", client])
            try Self.ip(["-n", server, "addr", "add", serverAddress, "dev", serverLink])
            try Self.ip(["-n", server, "link", "set", serverLink, "up"])
            try Self.ip(["-n", server, "link", "set", "lo", "up"])
            try Self.ip(["-n", client, "link", "set", clientLink, "address", clientMAC])
            try Self.ip(["-n", client, "link", "set", clientLink, "up"])
            try Self.ip(["-n", client, "link", "set", "lo", "up"])
        } catch {
            removeNamespaces()
            throw error
        }
    }

    /// Starts `arguments` inside `namespace`, output to a file; stopped by PID when the pair goes away.
    public func start(in namespace: String, _ arguments: [String], output: String, directory: String? = nil) throws -> Process {
        let process = try Self.launch(in: namespace, arguments, output: output, directory: directory)
        started.append(process)
        return process
    }

    /// `ip netns exec NAMESPACE ARGUMENTS...` (which execs, so the PID is the
    /// program's), standard output and error to `output`.
    public static func launch(in namespace: String, _ arguments: [String], output: String, directory: String?) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    public func run(in namespace: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.run(["netns", "exec", namespace] + arguments)
    }

    public func ip(in namespace: String, _ arguments: [String]) throws {
        try Self.ip(["-n", namespace] + arguments)
    }

    /// Runs `body` on a thread of its own that has entered `namespace`
    /// (network namespaces are per thread), so its sockets live there.
    public func inside<Result: Sendable>(_ namespace: String, _ body: @escaping @Sendable () throws -> Result) throws -> Result {
        try Self.inside(namespace, body)
    }

    /// `inside` for any namespace under /var/run/netns (such as a `LoopbackNamespace`).
    public static func inside<Result: Sendable>(_ namespace: String, _ body: @escaping @Sendable () throws -> Result) throws -> Result {
        let box = ResultBox<Result>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            let fd = open("/var/run/netns/\(namespace)", O_RDONLY)
            guard fd >= 0, linuxSetns(fd, cloneNewNet) == 0 else {
                box.set(.failure(Failure(description: "cannot enter namespace \(namespace): \(String(cString: strerror(errno)))")))
                return
            }
            close(fd)
            box.set(Swift.Result { try body() })
        }
        thread.start()
        done.wait()
        return try box.get()
    }

    deinit {
        for process in started { process.stop() }
        removeNamespaces()
    }

    private func removeNamespaces() {
        _ = try? Self.run(["netns", "del", server])
        _ = try? Self.run(["netns", "del", client])
    }

    private static func ip(_ arguments: [String]) throws {
        let result = try run(arguments)
        guard result.status == 0 else { throw Failure(description: "ip \(arguments.joined(separator: " ")): \(result.output)") }
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try ProgramRun.run("/usr/sbin/ip", arguments)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }
}

/// setns(2), which Glibc's Swift module does not export (it is behind _GNU_SOURCE).
@_silgen_name("setns") private func linuxSetns(_ fd: Int32, _ type: Int32) -> Int32
/// CLONE_NEWNET from <sched.h>.
private let cloneNewNet: Int32 = 0x4000_0000

/// A result handed from the namespace thread back to the test.
private final class ResultBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, Error>?
    func set(_ value: Result<Value, Error>) { lock.withLock { result = value } }
    func get() throws -> Value {
        guard let result = lock.withLock({ result }) else { throw NamespacePair.Failure(description: "the namespace thread gave no result") }
        return try result.get()
    }
}

