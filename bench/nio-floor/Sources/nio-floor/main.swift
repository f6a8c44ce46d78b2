import NIOCore
import NIOPosix

/// Binds UDP HOST:PORT on an event loop group of System.coreCount threads (as
/// serve does) and echoes nothing: it only has to exist, so its RSS is the
/// floor of any NIO daemon. Prints "ready" and runs until killed.
final class Discard: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
}

let arguments = CommandLine.arguments
let host = arguments.count > 1 ? arguments[1] : "127.0.0.1"
let port = arguments.count > 2 ? Int(arguments[2]) ?? 0 : 0
let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
let channel = try await DatagramBootstrap(group: group)
    .channelInitializer { $0.pipeline.addHandler(Discard()) }
    .bind(host: host, port: port).get()
print("ready")
try await channel.closeFuture.get()
