import FuzzDriver
@testable import FarmServer
import Foundation
import Logging
import NetbootWire
import NIOCore
import NIOEmbedded

/// libFuzzer entry: the bytes are a conversation with the TFTP server, driven
/// through EmbeddedChannel (no sockets, virtual time). Records are
/// `[control][length][length bytes]`: control bit 0 sends from a stranger's
/// port instead of the client's, bit 1 lets the transfer's timer fire first.
/// Records go to the request handler until it starts a transfer, then to the
/// transfer handler. Every datagram the server sends must decode, and every
/// DATA payload must be the right slice of the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTFTPServer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try Conversation(records: Record.split(bytes)).run()
    } catch {
        fatalError("EmbeddedChannel refused an operation: \(error)")
    }
    return 0
}

struct Record {
    var fromStranger: Bool
    var afterTimeout: Bool
    var payload: [UInt8]

    static func split(_ bytes: [UInt8]) -> [Record] {
        var records: [Record] = []
        var index = 0
        while index + 2 <= bytes.count {
            let control = bytes[index], length = Int(bytes[index + 1])
            let end = min(bytes.count, index + 2 + length)
            records.append(Record(fromStranger: control & 1 != 0, afterTimeout: control & 2 != 0, payload: Array(bytes[(index + 2)..<end])))
            index = end
        }
        return records
    }
}

struct Conversation {
    let records: [Record]
    static let client = try! SocketAddress(ipAddress: "127.0.0.1", port: 40000)
    static let stranger = try! SocketAddress(ipAddress: "127.0.0.1", port: 40001)

    func run() throws {
        let started = StartedTransfers()
        let request = EmbeddedChannel(handler: TFTPRequestHandler(
            policy: Fixture.shared.policy, cache: Fixture.shared.cache,
            registry: TransferRegistry(limit: 4, logger: Fixture.logger),
            settings: .init(limits: .init(maximumBlockSize: 1468, maximumWindowSize: 16, defaultTimeout: 1),
                            maximumRetries: 3, clampToInterfaceMTU: false),
            logger: Fixture.logger, startTransfer: { started.append($0) }))
        defer { _ = try? request.finish() }
        var transfer: (channel: EmbeddedChannel, start: TFTPTransferStart)?
        for record in records {
            let from = record.fromStranger ? Self.stranger : Self.client
            let envelope = AddressedEnvelope(remoteAddress: from, data: ByteBuffer(bytes: record.payload))
            if let (channel, start) = transfer {
                if record.afterTimeout { channel.embeddedEventLoop.advanceTime(by: .seconds(Int64(start.transfer.negotiation.timeout))) }
                if channel.isActive { try channel.writeInbound(envelope) }
                try drain(channel, file: start)
            } else {
                try request.writeInbound(envelope)
                try drain(request, file: nil)
                if let start = started.first {
                    let channel = EmbeddedChannel(handler: TFTPTransferHandler(
                        client: start.client, file: start.file, fileName: start.fileName, transfer: start.transfer,
                        logger: Fixture.logger, onFinish: { _ in }))
                    try channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 69)).wait()
                    try drain(channel, file: start)
                    transfer = (channel, start)
                }
            }
        }
        if let (channel, _) = transfer { _ = try? channel.finish() }
    }

    /// Reads what the server sent and checks each datagram.
    private func drain(_ channel: EmbeddedChannel, file start: TFTPTransferStart?) throws {
        while let envelope = try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) {
            let packet: TFTPPacket
            do {
                packet = try TFTPPacket(decoding: envelope.data.readableBytesView)
            } catch {
                fatalError("the server sent an undecodable datagram: \(Array(envelope.data.readableBytesView))")
            }
            guard case .data(let block, let payload) = packet else { continue }
            guard let start else { fatalError("the request port sent DATA") }
            let blockSize = start.transfer.negotiation.blockSize
            guard payload.count <= blockSize else { fatalError("DATA \(block) carries \(payload.count) bytes, blksize \(blockSize)") }
            // The payload must be the file's bytes at some block with these low 16 bits.
            let file = Array(start.file.readableBytesView)
            var absolute = Int(block)
            var matched = false
            while absolute >= 1, (absolute - 1) * blockSize <= file.count {
                let lower = (absolute - 1) * blockSize
                if Array(file[lower..<min(lower + blockSize, file.count)]) == payload { matched = true; break }
                absolute += 65536
            }
            if !matched { fatalError("DATA \(block) is not a slice of \(start.fileName)") }
        }
    }
}

final class StartedTransfers: @unchecked Sendable {
    private var starts: [TFTPTransferStart] = []
    private let lock = NSLock()
    func append(_ start: TFTPTransferStart) { lock.withLock { starts.append(start) } }
    var first: TFTPTransferStart? { lock.withLock { starts.first } }
}

/// One TFTP root for the whole run: files of the sizes that matter to the
/// state machine (empty, one exact block, several blocks), a directory, a
/// symlink inside the root and one pointing out of it.
final class Fixture: Sendable {
    static let shared = Fixture()
    static let logger = Logger(label: "fuzz") { _ in RenderingLogHandler() }
    let policy: TFTPPathPolicy
    let cache = FileCache(budget: 1 << 20)

    private init() {
        let root = NSTemporaryDirectory() + "pxefarm-fuzz-tftp-\(getpid())"
        let files: [String: Int] = ["empty": 0, "one": 512, "linux.1": 3000, "X86PC/UNDI/linux.0": 1468 * 3, "pxelinux.cfg/default": 100]
        for (name, size) in files {
            let path = root + "/" + name
            try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
        }
        try? FileManager.default.createSymbolicLink(atPath: root + "/inside", withDestinationPath: "linux.1")
        try? FileManager.default.createSymbolicLink(atPath: root + "/outside", withDestinationPath: "/etc/passwd")
        policy = try! TFTPPathPolicy(root: root)
    }
}

/// Renders every message and its metadata (so their descriptions run), keeps nothing.
struct RenderingLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        _ = "\(event.message) \(event.metadata ?? [:])"
    }
}

/// The executable's entry point (see FuzzDriver).
@_cdecl("FuzzTFTPServer_main")
public func fuzzTFTPServerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzTFTPServer)
}
