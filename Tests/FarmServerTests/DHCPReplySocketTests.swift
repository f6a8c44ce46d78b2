import Foundation
import Logging
import NetbootWire
import NIOCore
import NIOEmbedded
import Testing
@testable import FarmServer
#if canImport(Glibc)
import Glibc
#endif

/// Replies leave by sendto(2) on the listener's socket: one the kernel will
/// not send is refused (reply-not-sent) and the listener goes on; one it
/// sends arrives. Only loopback: the refused reply is a broadcast from a
/// socket without SO_BROADCAST, which the kernel rejects before any routing.
@Suite struct DHCPReplySocketTests {
    typealias T = DHCPTestFarm

    /// A UDP socket on 127.0.0.1 (no SO_BROADCAST) and its port.
    static func loopbackSocket() throws -> (fd: CInt, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func aReplyTheKernelRefusesIsCountedAndTheListenerGoesOn() throws {
        let (server, serverPort) = try Self.loopbackSocket()
        defer { close(server) }
        let (client, clientPort) = try Self.loopbackSocket()
        defer { close(client) }
        let (logger, log) = CapturingLogHandler.logger()
        let refusals = RefusalCounter(message: "refused dhcp packets")
        let channel = EmbeddedChannel(handler: DHCPHandler(port: .pxePort, mode: .proxy, context: DHCPContextBox(T.context()), stages: nil,
                                                           refusals: refusals, socket: server, logger: logger))
        // From 0.0.0.0: answered by broadcast, which this socket may not send (EACCES).
        let request = try T.packet(.request, mac: T.n011, extra: [T.bootItem(type: 14, layer: 0)]).encoded()
        try channel.writeInbound(AddressedEnvelope(remoteAddress: try SocketAddress(ipAddress: "0.0.0.0", port: clientPort), data: ByteBuffer(bytes: request)))
        #expect(refusals.counts == ["reply-not-sent": 1])
        #expect(log.messages.last?.hasPrefix("warning dhcp ignored") == true)
        #expect(log.messages.last?.contains("refusal=reply-not-sent") == true)
        #expect(log.messages.last?.contains("to 255.255.255.255:\(clientPort) not sent") == true)
        // From the client on loopback: the ACK goes back to it, from the listener's port.
        try channel.writeInbound(AddressedEnvelope(remoteAddress: try SocketAddress(ipAddress: "127.0.0.1", port: clientPort), data: ByteBuffer(bytes: request)))
        var buffer = [UInt8](repeating: 0, count: 1500)
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let received = withUnsafeMutablePointer(to: &from) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(client, &buffer, buffer.count, 0, $0, &length) }
        }
        try #require(received > 0, "no reply: \(log.messages)")
        let reply = try DHCPPacket(decoding: buffer[..<received])
        #expect(try reply.options.messageType == .ack)
        #expect(reply.bootFile == "X86PC/UNDI/linux-boot/linux.0")
        #expect(Int(UInt16(bigEndian: from.sin_port)) == serverPort)
        #expect(refusals.total == 1)
        #expect(log.messages.last?.hasPrefix("info dhcp answered") == true)
        #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == nil)
        #expect(try channel.finish().isClean)
    }
}
