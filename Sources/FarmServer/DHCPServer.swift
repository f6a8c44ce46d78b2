import Logging
import NetbootWire
import NIOConcurrencyHelpers
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
    private let configuration: Configuration
    private let logger: Logger
    /// The multicast discovery group the PXE port's socket is in now.
    private let discoveryGroup: NIOLockedValueBox<IPv4Address?>

    /// Packets of both listeners not answered, by `DHCPRefusal` (logged by the
    /// daemon as "refused dhcp packets").
    public let refusals: RefusalCounter
    /// Replies sent, by listener port and message type ("4011 ACK"), for the metrics.
    public let answers: RefusalCounter

    /// The ports actually bound (the real ones when 0 was asked for): DHCP, then PXE.
    public var localPorts: [Int] { channels.compactMap { $0.localAddress?.port } }

    private init(channels: [Channel], refusals: RefusalCounter, answers: RefusalCounter, configuration: Configuration, discoveryGroup: IPv4Address?, logger: Logger) {
        self.channels = channels
        self.refusals = refusals
        self.answers = answers
        self.configuration = configuration
        self.discoveryGroup = NIOLockedValueBox(discoveryGroup)
        self.logger = logger
    }

    public static func start(_ configuration: Configuration, context: DHCPContextBox, stages: BootStageRecorder?,
                             group: EventLoopGroup, logger: Logger) -> EventLoopFuture<DHCPServer> {
        let refusals = RefusalCounter(message: "refused dhcp packets")
        let answers = RefusalCounter(message: "dhcp answers")
        let dhcp = listen(port: configuration.ports.server, arrival: .dhcpPort, configuration, context: context, stages: stages,
                          refusals: refusals, answers: answers, group: group, logger: logger)
        let pxe = listen(port: configuration.ports.pxe, arrival: .pxePort, configuration, context: context, stages: stages,
                         refusals: refusals, answers: answers, group: group, logger: logger)
            .flatMap { channel in
                join(channel, group: context.current.farm.discovery.multicast, port: configuration.ports.pxe,
                     interface: configuration.interface, logger: logger).map { (channel, $0) }
            }
        return dhcp.and(pxe).map { dhcp, joined in
            let (pxe, group) = joined
            logger.info("dhcp serving", metadata: [
                "mode": "\(configuration.mode.rawValue)", "dhcp-port": "\(dhcp.localAddress?.port ?? 0)",
                "pxe-port": "\(pxe.localAddress?.port ?? 0)", "interface": "\(configuration.interface ?? "any")",
                "server": "\(context.current.serverAddress)",
            ])
            return DHCPServer(channels: [dhcp, pxe], refusals: refusals, answers: answers, configuration: configuration, discoveryGroup: group, logger: logger)
        }
    }

    /// The farm's multicast discovery group after a reload: leaves the group
    /// joined before, if it differs, and joins the new one (none: leaves only).
    public func follow(discoveryGroup group: IPv4Address?) -> EventLoopFuture<Void> {
        let pxe = channels[1]
        let previous = discoveryGroup.withLockedValue { $0 }
        guard previous != group else { return pxe.eventLoop.makeSucceededFuture(()) }
        let left = previous.map { Self.leave(pxe, group: $0, port: configuration.ports.pxe, interface: configuration.interface, logger: logger) }
            ?? pxe.eventLoop.makeSucceededFuture(())
        return left.flatMap { [configuration, logger, discoveryGroup] in
            Self.join(pxe, group: group, port: configuration.ports.pxe, interface: configuration.interface, logger: logger).map { joined in
                discoveryGroup.withLockedValue { $0 = joined }
            }
        }
    }

    public func stop() -> EventLoopFuture<Void> {
        guard let first = channels.first else { fatalError("a DHCP server has its channels") }
        return EventLoopFuture.andAllComplete(channels.map { $0.close() }, on: first.eventLoop)
    }

    private static func listen(port: Int, arrival: DHCPRequest.Arrival, _ configuration: Configuration, context: DHCPContextBox,
                               stages: BootStageRecorder?, refusals: RefusalCounter, answers: RefusalCounter, group: EventLoopGroup, logger: Logger) -> EventLoopFuture<Channel> {
        let fd: CInt
        do {
            fd = try DHCPSocket.open(port: port, interface: configuration.interface)
        } catch {
            return group.next().makeFailedFuture(error)
        }
        return DatagramBootstrap.requestListener(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        DHCPHandler(port: arrival, mode: configuration.mode, context: context, stages: stages,
                                    refusals: refusals, answers: answers, socket: fd, logger: logger))
                }
            }
            .withBoundSocket(fd)
    }

    /// Joins the multicast discovery group on the PXE port's socket (PXE 2.1
    /// §2.2.5: clients send boot-server requests to it, port 4011); the group
    /// joined, or nil when there is none or it could not be joined (logged).
    private static func join(_ channel: Channel, group address: IPv4Address?, port: Int, interface: String?, logger: Logger) -> EventLoopFuture<IPv4Address?> {
        guard let address, let multicast = channel as? MulticastChannel else { return channel.eventLoop.makeSucceededFuture(nil) }
        let device: NIONetworkDevice?
        do {
            device = try discoveryDevice(interface)
        } catch {
            logger.warning("multicast discovery not joined", metadata: ["group": "\(address)", "reason": "\(error)"])
            return channel.eventLoop.makeSucceededFuture(nil)
        }
        do {
            let groupAddress = try SocketAddress(ipAddress: address.description, port: port)
            return multicast.joinGroup(groupAddress, device: device).map {
                logger.info("multicast discovery joined", metadata: ["group": "\(address)", "interface": "\(interface ?? "default")"])
                return address
            }.flatMapError { error in
                logger.warning("multicast discovery not joined", metadata: ["group": "\(address)", "reason": "\(error)"])
                return channel.eventLoop.makeSucceededFuture(nil)
            }
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
    }

    /// Leaves a group `join` joined; a failure is logged and the listener goes on.
    private static func leave(_ channel: Channel, group address: IPv4Address, port: Int, interface: String?, logger: Logger) -> EventLoopFuture<Void> {
        guard let multicast = channel as? MulticastChannel,
              let groupAddress = try? SocketAddress(ipAddress: address.description, port: port),
              let device = try? discoveryDevice(interface)
        else { return channel.eventLoop.makeSucceededFuture(()) }
        return multicast.leaveGroup(groupAddress, device: device).map {
            logger.info("multicast discovery left", metadata: ["group": "\(address)", "interface": "\(interface ?? "default")"])
        }.flatMapError { error in
            logger.warning("multicast discovery not left", metadata: ["group": "\(address)", "reason": "\(error)"])
            return channel.eventLoop.makeSucceededFuture(())
        }
    }

    /// The interface a group is joined on: the one serve is bound to, or the routing table's choice.
    private static func discoveryDevice(_ interface: String?) throws -> NIONetworkDevice? {
        guard let interface else { return nil }
        guard let device = (try? System.enumerateDevices())?.first(where: { $0.name == interface && $0.address?.protocol == .inet }) else {
            throw FarmServerError.noIPv4Address(interface: interface)
        }
        return device
    }
}
