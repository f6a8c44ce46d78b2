import FuzzDriver
import NetbootWire

/// libFuzzer entry: any bytes as an option 43 value. The decoder must throw or
/// return; what it returns must encode, and that encoding must decode to the
/// same value (a failed check traps, which libFuzzer reports as a crash).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOption43(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let options = try? PXEVendorOptions.decode(bytes) else { return 0 }
    let encoded: [UInt8]
    do {
        encoded = try options.encode()
    } catch {
        // Only a value over 255 bytes may refuse to encode; the input held it in fewer.
        fatalError("decoded option 43 does not encode: \(error)")
    }
    guard let again = try? PXEVendorOptions.decode(encoded), again == options else {
        fatalError("option 43 round trip differs for \(bytes)")
    }
    return 0
}

/// The executable's entry point (see FuzzDriver).
@_cdecl("FuzzOption43_main")
public func fuzzOption43Main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzOption43)
}
