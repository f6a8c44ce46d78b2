import FuzzDriver
import NetbootWire

/// libFuzzer entry: any bytes as a DHCP/BOOTP datagram. Decoding throws or
/// returns; the dump (what `pxefarm` logs) renders; a packet that encodes
/// within the largest UDP payload decodes back to the same value. Option 52
/// (overload) is left out of the comparison: it records how the sender laid
/// the options out, and `encoded` lays them out afresh (in one field here).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDHCPPacket(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let packet = try? DHCPPacket(decoding: bytes) else { return 0 }
    _ = packet.dump
    _ = packet.clientMAC
    _ = packet.bootFile
    guard let encoded = try? packet.encoded(maximumSize: 65507) else { return 0 }
    guard let again = try? DHCPPacket(decoding: encoded), withoutFraming(again) == withoutFraming(packet) else {
        fatalError("DHCP round trip differs for \(Array(bytes))")
    }
    return 0
}

func withoutFraming(_ packet: DHCPPacket) -> DHCPPacket {
    var packet = packet
    packet.options.remove(DHCPOptionCode.overload)
    return packet
}

/// The executable's entry point (see FuzzDriver).
@_cdecl("FuzzDHCPPacket_main")
public func fuzzDHCPPacketMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzDHCPPacket)
}
