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

/// The executable's entry point: SwiftPM links an executable target's `main` to
/// `<module>_main`, so this hands the command line to libFuzzer's driver.
@_cdecl("FuzzFarmFile_main")
public func fuzzFarmFileMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzFarmFile)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32
