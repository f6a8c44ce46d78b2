import FuzzDriver
import Initrd

#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry: any bytes as an initrd for `pxefarm initrd list`
/// (libarchive with every format and filter, then the listing's own columns).
/// The reader opens files by path, so each input is written to one scratch
/// file in /dev/shm first.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInitrdList(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = scratchPath
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(path)") }
    var written = 0
    while size > 0, written < size {
        let n = write(fd, data! + written, size - written)
        guard n > 0 else { fatalError("cannot write \(path)") }
        written += n
    }
    close(fd)
    if let entries = try? InitrdListing.read(path) {
        for entry in entries { _ = entry.line }
    }
    return 0
}

private let scratchPath: String = {
    let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    return "\(directory)/pxefarm-fuzz-initrd-\(getpid())"
}()

/// The executable's entry point (see FuzzDriver).
@_cdecl("FuzzInitrdList_main")
public func fuzzInitrdListMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzInitrdList)
}
