import FuzzDriver
import Initrd

/// libFuzzer entry: any bytes as an initrd for `pxefarm initrd list`
/// (libarchive with every format and filter, then the listing's own columns).
/// The reader opens files by path, so each input is written to one scratch
/// file in /dev/shm first.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInitrdList(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = writeScratchFile(data, size, name: "initrd")
    if let entries = try? InitrdListing.read(path) {
        for entry in entries { _ = entry.line }
    }
    return 0
}

/// The executable's entry point (see FuzzDriver).
@_cdecl("FuzzInitrdList_main")
public func fuzzInitrdListMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzInitrdList)
}
