import FuzzDriver
import FarmLoading
import FarmModel
import FarmServer
import Foundation
import NetbootWire

/// libFuzzer entry: the DHCP policy behind `pxefarm serve`, on the dc2 example
/// farm. Byte 0 picks the mode (bit 0: proxy) and where the packet arrived
/// (bits 1-2: DHCP port, PXE port, multicast); byte 1 picks the sender (any
/// address, a node's address, a relay); the rest is the datagram. Whatever the
/// policy decides must not trap, and a reply that encodes must decode again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDHCPPolicy(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard bytes.count >= 2, let packet = try? DHCPPacket(decoding: bytes[2...]) else { return 0 }
    let mode: DHCPMode = bytes[0] & 1 == 0 ? .full : .proxy
    let arrival: DHCPRequest.Arrival = [.dhcpPort, .pxePort, .multicast, .dhcpPort][Int(bytes[0] >> 1 & 3)]
    let peers = [DHCPEndpoint(.any, 68), DHCPEndpoint(IPv4Address("192.168.197.40")!, 68),
                 DHCPEndpoint(IPv4Address("192.168.197.1")!, 67), DHCPEndpoint(IPv4Address("10.9.8.7")!, 4011)]
    let request = DHCPRequest(packet: packet, peer: peers[Int(bytes[1]) % peers.count], arrival: arrival)
    let decision = DHCPPolicy.decide(request, context: PolicyFixture.context, mode: mode)
    _ = decision.reason
    if case .reply(let reply) = decision, let encoded = try? reply.encoded() {
        guard (try? DHCPPacket(decoding: encoded)) != nil else { fatalError("the policy's reply does not decode: \(encoded)") }
    }
    return 0
}

/// The dc2 example farm, loaded once from the repository (`make fuzz` runs here).
enum PolicyFixture {
    static let context: DHCPContext = {
        let path = "examples/dc2/farm.yaml"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fatalError("run from the repository: no \(path)") }
        let result = FarmLoader().load(text: text, file: path, baseDirectory: "examples/dc2", checkFiles: false)
        guard let farm = result.farm else { fatalError("\(path) does not load: \(result.diagnostics)") }
        return DHCPContext(farm: farm)
    }()
}

/// The executable's entry point (see FuzzDriver).
@_cdecl("FuzzDHCPPolicy_main")
public func fuzzDHCPPolicyMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzDHCPPolicy)
}
