import NIOCore
import NIOPosix

extension DatagramBootstrap {
    /// A well-known port's listener (DHCP's 67 and 4011, TFTP's 69): the
    /// address each datagram arrived at (packet info), one 2 KiB buffer per
    /// request (vector reads would split it into slots too small for an RRQ
    /// with options, or a DHCP packet with long options), and for a whole lab
    /// powering on at once, requests queued in the kernel and many drained per
    /// wakeup.
    static func requestListener(group: EventLoopGroup) -> DatagramBootstrap {
        DatagramBootstrap(group: group)
            .channelOption(.receivePacketInfo, value: true)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2048))
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.maxMessagesPerRead, value: 64)
    }
}
