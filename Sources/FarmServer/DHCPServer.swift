import Logging
import NetbootWire
import NIOCore
import NIOPosix

/// The DHCP side of `pxefarm serve`: a listener on the DHCP port (67) and
/// one on the PXE port (4011) that also joins the farm's multicast discovery
/// group. Both hand packets to `DHCPHandler`, which asks `DHCPPolicy`, and
/// count the packets they do not answer in `refusals`.
public final class DHCPServer: Sendable {
    public struct Configuration: Sendable {
        public var mode: DHCPMode
        public var ports: DHCPPorts
        /// Listen and answer on this interface only (SO_BINDTODEVICE); the
        /// multicast group is joined there too.
        public var interface: String?

        public init(mode: DHCPMode = .full, ports: DHCPPorts = DHCPPorts(), interface: String? = nil) {
            self.mode = mode
            self.ports = ports
            self.interface = interface
        }
    }

    private let channels: [Channel]

    /// Packets of both listeners not answered, by `DHCPRefusal` (logged by the
    /// daemon as "refused dhcp packets").
    public let refusals: RefusalCounter

    /// The ports actually bound (the real ones when 0 was asked for): DHCP, then PXE.
    public var localPorts: [Int] { channels.compactMap { $0.localAddress?.port } }

    private init(channels: [Channel], refusals: RefusalCounter) {
        self.channels = channels
        self.refusals = refusals
    }

    public static func start(_ configuration: Configuration, context: DHCPContextBox, stages: BootStageRecorder?,
                             group: EventLoopGroup, logger: Logger) -> EventLoopFuture<DHCPServer> {
        let refusals = RefusalCounter(message: "refused dhcp packets")
        let dhcp = listen(port: configuration.ports.server, arrival: .dhcpPort, configuration, context: context, stages: stages,
                          refusals: refusals, group: group, logger: logger)
        let pxe = listen(port: configuration.ports.pxe, arrival: .pxePort, configuration, context: context, stages: stages,
                         refusals: refusals, group: group, logger: logger)
            .flatMap { channel in
                join(channel, group: context.current.farm.discovery.multicast, port: configuration.ports.pxe,
                     interface: configuration.interface, logger: logger).map { channel }
            }
        return dhcp.and(pxe).map { dhcp, pxe in
            logger.info("dhcp serving", metadata: [
                "mode": "\(configuration.mode.rawValue)", "dhcp-port": "\(dhcp.localAddress?.port ?? 0)",
                "pxe-port": "\(pxe.localAddress?.port ?? 0)", "interface": "\(configuration.interface ?? "any")",
                "server": "\(context.current.serverAddress)",
            ])
            return DHCPServer(channels: [dhcp, pxe], refusals: refusals)
        }
    }

    public func stop() -> EventLoopFuture<Void> {
        guard let first = channels.first else { fatalError("a DHCP server has its channels") }
        return EventLoopFuture.andAllComplete(channels.map { $0.close() }, on: first.eventLoop)
    }

    private static func listen(port: Int, arrival: DHCPRequest.Arrival, _ configuration: Configuration, context: DHCPContextBox,
                               stages: BootStageRecorder?, refusals: RefusalCounter, group: EventLoopGroup, logger: Logger) -> EventLoopFuture<Channel> {
        let fd: CInt
        do {
            fd = try DHCPSocket.open(port: port, interface: configuration.interface)
        } catch {
            return group.next().makeFailedFuture(error)
        }
        return DatagramBootstrap(group: group)
            .channelOption(.receivePacketInfo, value: true)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2048))
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.maxMessagesPerRead, value: 64)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        DHCPHandler(port: arrival, mode: configuration.mode, context: context, stages: stages,
                                    refusals: refusals, socket: fd, logger: logger))
                }
            }
            .withBoundSocket(fd)
    }

    /// Joins the multicast discovery group on the PXE port's socket (PXE 2.1
    /// §2.2.5: clients send boot-server requests to it, port 4011).
    private static func join(_ channel: Channel, group address: IPv4Address?, port: Int, interface: String?, logger: Logger) -> EventLoopFuture<Void> {
        guard let address, let multicast = channel as? MulticastChannel else { return channel.eventLoop.makeSucceededFuture(()) }
        let device: NIONetworkDevice?
        if let interface {
            device = (try? System.enumerateDevices())?.first { $0.name == interface && $0.address?.protocol == .inet }
            if device == nil {
                logger.warning("multicast discovery not joined", metadata: ["group": "\(address)", "reason": "interface \(interface) has no IPv4 address"])
                return channel.eventLoop.makeSucceededFuture(())
            }
        } else {
            device = nil
        }
        do {
            let groupAddress = try SocketAddress(ipAddress: address.description, port: port)
            return multicast.joinGroup(groupAddress, device: device).map {
                logger.info("multicast discovery joined", metadata: ["group": "\(address)", "interface": "\(interface ?? "default")"])
            }.flatMapError { error in
                logger.warning("multicast discovery not joined", metadata: ["group": "\(address)", "reason": "\(error)"])
                return channel.eventLoop.makeSucceededFuture(())
            }
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
    }
}

public enum DHCPServerError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotListen(port: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let port, let reason): "cannot listen for DHCP on port \(port): \(reason)"
        }
    }
}
