import NetbootWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A raw UDP socket on 127.0.0.1 for sending hand-made packets and reading
/// what comes back; `receive` waits at most `seconds` (silence is an answer).
final class UDPProbe: Sendable {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let queue = NIOLockedValueBox<[(SocketAddress, [UInt8])]>([])
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            queue.withLockedValue { $0.append((envelope.remoteAddress, Array(envelope.data.readableBytesView))) }
        }
    }

    let channel: Channel
    private let collector: Collector

    init(group: EventLoopGroup) async throws {
        let collector = Collector()
        self.collector = collector
        channel = try await DatagramBootstrap(group: group)
            .channelInitializer { $0.pipeline.addHandler(collector) }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func send(_ bytes: [UInt8], port: Int) async throws {
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: channel.allocator.buffer(bytes: bytes)))
    }

    func receive(seconds: Double = 2) async throws -> (port: Int, packet: TFTPPacket)? {
        let steps = Int(seconds * 100)
        for _ in 0...steps {
            let next = collector.queue.withLockedValue { queue -> (SocketAddress, [UInt8])? in
                queue.isEmpty ? nil : queue.removeFirst()
            }
            if let (from, bytes) = next { return (from.port ?? 0, try TFTPPacket(decoding: bytes)) }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    func close() async throws { try await channel.close() }
}

/// A minimal TFTP reader driven by NIO, for many concurrent clients in one
/// process: RRQ, ACK every block (or OACK with 0), retransmit the last
/// packet each second until the file is complete.
final class TestTFTPClient: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let request: [UInt8]
    let serverPort: Int
    let blockSize: Int
    let done: EventLoopPromise<[UInt8]>
    private var received: [UInt8] = []
    private var expected: UInt16 = 1
    private var last: (SocketAddress, [UInt8])?
    private var timer: Scheduled<Void>?
    private var finished = false

    init(file: String, options: [TFTPOption], blockSize: Int, serverPort: Int, done: EventLoopPromise<[UInt8]>) {
        request = TFTPPacket.readRequest(TFTPRequest(filename: file, options: options)).encoded()
        self.blockSize = blockSize
        self.serverPort = serverPort
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        let server = try! SocketAddress(ipAddress: "127.0.0.1", port: serverPort)
        send(request, to: server, context: context)
        armRetransmission(context: context)
    }

    private func armRetransmission(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { [weak self] in
            guard let self, !self.finished, let (to, bytes) = self.last else { return }
            self.send(bytes, to: to, context: context)
            self.armRetransmission(context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let packet = try? TFTPPacket(decoding: envelope.data.readableBytesView) else { return }
        switch packet {
        case .optionAck:
            send(TFTPPacket.ack(block: 0).encoded(), to: envelope.remoteAddress, context: context)
        case .data(let block, let payload):
            if block == expected {
                received += payload
                expected &+= 1
                send(TFTPPacket.ack(block: block).encoded(), to: envelope.remoteAddress, context: context)
                if payload.count < blockSize { finish(.success(received), context: context) }
            }
        case .error(let code, let message):
            finish(.failure(ClientError(code: code.rawValue, message: message)), context: context)
        default:
            break
        }
    }

    struct ClientError: Error { let code: UInt16; let message: String }

    private func send(_ bytes: [UInt8], to: SocketAddress, context: ChannelHandlerContext) {
        last = (to, bytes)
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: to, data: context.channel.allocator.buffer(bytes: bytes))), promise: nil)
    }

    private func finish(_ result: Result<[UInt8], Error>, context: ChannelHandlerContext) {
        finished = true
        timer?.cancel()
        timer = nil
        done.completeWith(result)
        context.close(promise: nil)
    }

    /// Fetches `file` with a new client socket.
    static func fetch(_ file: String, options: [TFTPOption] = [], blockSize: Int = 512, port: Int, group: EventLoopGroup) async throws -> [UInt8] {
        let loop = group.next()
        let promise = loop.makePromise(of: [UInt8].self)
        _ = try await DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        TestTFTPClient(file: file, options: options, blockSize: blockSize, serverPort: port, done: promise))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return try await promise.futureResult.get()
    }
}
