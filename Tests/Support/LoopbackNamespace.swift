import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A network namespace with nothing in it but its own loopback, made for one
/// test and removed (with what the test started in it) when it ends. No
/// interface leads out, so whatever a program in it sends, to any address,
/// reaches at most 127.0.0.0/8 of this namespace: the place for a daemon
/// whose replies go where hostile packets tell them to.
public final class LoopbackNamespace {
    public let name: String
    private var started: [Process] = []

    public init() throws {
        name = "pxefarm-lo-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        try Self.ip(["netns", "add", name])
        do {
            try Self.ip(["-n", name, "link", "set", "lo", "up"])
            // A new namespace may list the kernel's fallback tunnels (sit0, tunl0), always down; lo must be the only link up and no route lead out.
            let links = try ProgramRun.run("/usr/sbin/ip", ["-n", name, "-o", "link", "show", "up"])
            let up = links.output.split(separator: "\n").compactMap { $0.split(separator: ":").dropFirst().first?.trimmingCharacters(in: .whitespaces) }
            guard up == ["lo"] else { throw NamespacePair.Failure(description: "namespace \(name) has links up other than lo: \(up)") }
            let routes = try ProgramRun.run("/usr/sbin/ip", ["-n", name, "-4", "route", "show"])
            guard routes.status == 0, routes.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw NamespacePair.Failure(description: "namespace \(name) has routes: \(routes.output)")
            }
        } catch {
            _ = try? ProgramRun.run("/usr/sbin/ip", ["netns", "del", name])
            throw error
        }
    }

    /// Starts `arguments` inside the namespace (`ip netns exec` execs, so the
    /// process's PID is the program's), output to a file; stopped by PID when
    /// the namespace goes away.
    public func start(_ arguments: [String], output: String, directory: String? = nil) throws -> Process {
        let process = try NamespacePair.launch(in: name, arguments, output: output, directory: directory)
        started.append(process)
        return process
    }

    /// Runs `body` on a thread that entered the namespace: sockets it opens live there.
    public func inside<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) throws -> Result {
        try NamespacePair.inside(name, body)
    }

    deinit {
        for process in started { process.stop() }
        _ = try? ProgramRun.run("/usr/sbin/ip", ["netns", "del", name])
    }

    private static func ip(_ arguments: [String]) throws {
        let result = try ProgramRun.run("/usr/sbin/ip", arguments)
        guard result.status == 0 else { throw NamespacePair.Failure(description: "ip \(arguments.joined(separator: " ")): \(result.output)") }
    }
}
