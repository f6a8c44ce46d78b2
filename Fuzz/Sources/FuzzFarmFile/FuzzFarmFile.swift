import FuzzDriver
import FarmLoading
import FarmModel

/// libFuzzer entry: any bytes as a farm file. The loader (Yams, the sections,
/// node ranges and MAC lists) and the validator behind it must return
/// diagnostics, never trap. Files named by the farm are not looked up.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFarmFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = FarmLoader().load(text: text, file: "fuzz.yaml", baseDirectory: "/nonexistent-fuzz", checkFiles: false)
    _ = "\(result)"
    return 0
}

/// The executable's entry point (see FuzzDriver).
@_cdecl("FuzzFarmFile_main")
public func fuzzFarmFileMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzFarmFile)
}
