import FuzzDriver
import NetbootWire

/// libFuzzer entry: any bytes as a TFTP datagram. Decoding throws or returns;
/// the dump renders; the packet's encoding decodes to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTFTPPacket(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let packet = try? TFTPPacket(decoding: bytes) else { return 0 }
    _ = packet.dump
    guard let again = try? TFTPPacket(decoding: packet.encoded()), again == packet else {
        fatalError("TFTP round trip differs for \(Array(bytes))")
    }
    return 0
}

/// The executable's entry point (see FuzzDriver).
@_cdecl("FuzzTFTPPacket_main")
public func fuzzTFTPPacketMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzTFTPPacket)
}
