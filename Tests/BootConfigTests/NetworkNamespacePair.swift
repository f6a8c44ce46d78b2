import Foundation

/// Two network namespaces joined by a veth pair, made for one test and
/// removed with everything in them when it ends: the server side has
/// `address` on `serverLink`, the client side a link with the given MAC.
final class NetworkNamespacePair {
    let server: String
    let client: String
    let serverLink = "pxs0"
    let clientLink = "pxc0"
    private var started: [Process] = []

    /// Nil when the test cannot make namespaces here, with the reason.
    static var absence: String? {
        if getuid() != 0 { return "not root, so no network namespaces; skipping the on-the-wire check" }
        for tool in ["/usr/sbin/ip", "/usr/bin/busybox", "/usr/sbin/dhcpd"] where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is not installed (make deps installs it); skipping the on-the-wire check"
        }
        return nil
    }

    init(address: String, prefixLength: Int, clientMAC: String) throws {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        server = "pxefarm-bc-s-\(tag)"
        client = "pxefarm-bc-c-\(tag)"
        try Self.ip(["netns", "add", server])
        do {
            try Self.ip(["netns", "add", client])
            try Self.ip(["link", "add", serverLink, "netns", server, "type", "veth", "peer", "name", clientLink, "netns", client])
            try Self.ip(["-n", server, "addr", "add", "\(address)/\(prefixLength)", "dev", serverLink])
            try Self.ip(["-n", server, "link", "set", serverLink, "up"])
            try Self.ip(["-n", client, "link", "set", clientLink, "address", clientMAC])
            try Self.ip(["-n", client, "link", "set", clientLink, "up"])
        } catch {
            removeNamespaces()
            throw error
        }
    }

    /// Starts `arguments` inside `namespace`; it is stopped, by its PID, when the pair goes away.
    func start(in namespace: String, _ arguments: [String], output: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace] + arguments
        FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        started.append(process)
        return process
    }

    /// Runs `arguments` inside `namespace` to the end: exit status and output.
    func run(in namespace: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.run(["netns", "exec", namespace] + arguments)
    }

    deinit {
        for process in started where process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
}
