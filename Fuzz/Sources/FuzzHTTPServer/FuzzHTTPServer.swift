import FuzzDriver
@testable import FarmServer
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded

/// libFuzzer entry: the bytes are what one client sends to the HTTP listener,
/// through the connection pipeline the server installs (size limit, NIO's
/// parser and encoder, HTTPConnectionHandler) on an EmbeddedChannel with
/// virtual time. Records are `[control][length][length bytes]`; control bit 0
/// lets the request deadline pass before the record is sent. Checked: the
/// responder only ever sees routes `HTTPRoute` accepts (a valid node name, a
/// 64 lower-case hex token); the server writes at most one final answer (a
/// `100 Continue` may come first), each a well-formed status line; and no
/// log line holds a run of 32 or more hex digits (a token).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPServer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try converse(records: split(bytes))
    } catch {
        fatalError("EmbeddedChannel refused an operation: \(error)")
    }
    return 0
}

func split(_ bytes: [UInt8]) -> [(afterTimeout: Bool, payload: [UInt8])] {
    var records: [(Bool, [UInt8])] = []
    var index = 0
    while index + 2 <= bytes.count {
        let control = bytes[index], length = Int(bytes[index + 1])
        let end = min(bytes.count, index + 2 + length)
        records.append((control & 1 != 0, Array(bytes[(index + 2)..<end])))
        index = end
    }
    return records
}

func converse(records: [(afterTimeout: Bool, payload: [UInt8])]) throws {
    let lines = NIOLockedValueBox<[String]>([])
    let logger = Logger(label: "fuzz") { _ in KeepingLogHandler(lines: lines) }
    let channel = EmbeddedChannel()
    let configuration = HTTPServer.Configuration(requestTimeout: .seconds(10))
    try HTTPServer.addHandlers(to: channel.pipeline.syncOperations, configuration, logger: logger, refusals: RefusalCounter()) { info, eventLoop in
        check(info)
        return eventLoop.makeSucceededFuture(.ok("# kickstart\n", logReason: "fuzz"))
    }
    try channel.connect(to: SocketAddress(ipAddress: "192.0.2.7", port: 40000)).wait()
    for record in records {
        if record.afterTimeout { channel.embeddedEventLoop.advanceTime(by: .seconds(11)) }
        guard channel.isActive else { break }
        try channel.writeInbound(ByteBuffer(bytes: record.payload))
    }
    var written: [UInt8] = []
    while let buffer = try channel.readOutbound(as: ByteBuffer.self) { written += buffer.readableBytesView }
    // The server closes the channel itself after answering: accept that, so the
    // loop still runs and cancels what is left (else every run leaks its pipeline).
    _ = try? channel.finish(acceptAlreadyClosed: true)
    checkAnswers(String(decoding: written, as: UTF8.self))
    for line in lines.withLockedValue({ $0 }) where hasLongHexRun(line) {
        fatalError("a log line holds what may be a token: \(line)")
    }
}

func check(_ info: HTTPRequestInfo) {
    if let node = info.route.node, (try? HTTPRoute.validNode(node)) == nil { fatalError("the responder got node \(node.debugDescription)") }
    guard ["GET", "HEAD", "POST"].contains(info.method) else { fatalError("the responder got method \(info.method)") }
    if case .done(_, let token) = info.route {
        guard token.utf8.count == 64, token.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            fatalError("the responder got token \(token.debugDescription)")
        }
    }
}

/// One final status line at most, after an optional 100 Continue.
func checkAnswers(_ text: String) {
    var rest = Substring(text)
    if rest.hasPrefix("HTTP/1.1 100 Continue\r\n\r\n") { rest = rest.dropFirst("HTTP/1.1 100 Continue\r\n\r\n".count) }
    guard !rest.isEmpty else { return }
    guard rest.hasPrefix("HTTP/1.1 "), let code = Int(rest.dropFirst(9).prefix(3)), (200...599).contains(code) else {
        fatalError("not a status line: \(rest.prefix(80).debugDescription)")
    }
    guard rest.components(separatedBy: "\r\nConnection: close\r\n").count == 2 else {
        fatalError("not exactly one answer: \(rest.prefix(300).debugDescription)")
    }
}

func hasLongHexRun(_ line: String) -> Bool {
    var run = 0
    for byte in line.utf8 {
        let hex = (48...57).contains(byte) || (97...102).contains(byte) || (65...70).contains(byte)
        run = hex ? run + 1 : 0
        if run >= 32 { return true }
    }
    return false
}

struct KeepingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let line = "\(event.message) \(event.metadata ?? [:])"
        lines.withLockedValue { $0.append(line) }
    }
}

/// The executable's entry point (see FuzzDriver).
@_cdecl("FuzzHTTPServer_main")
public func fuzzHTTPServerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzHTTPServer)
}
