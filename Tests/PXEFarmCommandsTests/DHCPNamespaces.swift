import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Two network namespaces joined by a veth pair, for one DHCP test, removed
/// with everything in them when it ends: `pxefarm serve` runs in `server`
/// (192.168.197.11/24 on `serverLink`), clients in `client` on a link with
/// the node's MAC. Broadcast between them is real.
final class DHCPNamespaces {
    let server: String
    let client: String
    let serverLink = "pxd0"
    let clientLink = "pxd1"
    private var started: [Process] = []

    /// Nil when namespaces can be made here, else why the test skips.
    static var absence: String? {
        if getuid() != 0 { return "not root, so no network namespaces; skipping the DHCP on-the-wire test" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") { return "/usr/sbin/ip is not installed (iproute2; make deps installs it)" }
        return nil
    }

    init(serverAddress: String, clientMAC: String) throws {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        server = "pxefarm-dhcp-s-\(tag)"
        client = "pxefarm-dhcp-c-\(tag)"
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
    func start(in namespace: String, _ arguments: [String], output: String, directory: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        started.append(process)
        return process
    }

    func run(in namespace: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.run(["netns", "exec", namespace] + arguments)
    }

    func ip(in namespace: String, _ arguments: [String]) throws {
        try Self.ip(["-n", namespace] + arguments)
    }

    /// Runs `body` on a thread of its own that has entered `namespace`
    /// (network namespaces are per thread), so its sockets live there.
    func inside<Result: Sendable>(_ namespace: String, _ body: @escaping @Sendable () throws -> Result) throws -> Result {
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
        guard let result = lock.withLock({ result }) else { throw DHCPNamespaces.Failure(description: "the namespace thread gave no result") }
        return try result.get()
    }
}

/// A blocking UDP socket for a test client inside a namespace: bound to a
/// port on one link, broadcast allowed, a receive timeout so that a missing
/// answer fails the test instead of hanging it.
struct TestUDPSocket {
    let fd: Int32

    init(port: UInt16, device: String) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let name = Array(device.utf8CString)
        _ = name.withUnsafeBytes { setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, $0.baseAddress, socklen_t($0.count)) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = Self.address("0.0.0.0", port)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, status == 0 else { throw DHCPNamespaces.Failure(description: "client socket on port \(port): \(String(cString: strerror(errno)))") }
    }

    func send(_ bytes: [UInt8], to host: String, port: UInt16) {
        var address = Self.address(host, port)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    /// The next datagram and its sender's port, or nil after the timeout.
    func receive() -> (bytes: [UInt8], fromPort: UInt16)? {
        var buffer = [UInt8](repeating: 0, count: 2048)
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length) }
            }
        }
        guard count > 0 else { return nil }
        return (Array(buffer[0..<count]), UInt16(bigEndian: from.sin_port))
    }

    func close() { _ = Glibc.close(fd) }

    static func address(_ host: String, _ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        return address
    }
}
