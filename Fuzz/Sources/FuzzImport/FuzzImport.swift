import FuzzDriver
import FarmImport

/// libFuzzer entry: the bytes are a dhcpd.conf, optionally followed by a line
/// `%%pxe.conf%%` and a pxe.conf. The whole import (tokenizer, parser, reader,
/// pxe.conf sections, farm file writer) must throw an ImportError or return.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImport(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.split(separator: "\n%%pxe.conf%%\n", maxSplits: 1, omittingEmptySubsequences: false)
    let dhcpd = FarmImport.Source(text: String(parts[0]), file: "dhcpd.conf")
    let pxe = parts.count > 1 ? FarmImport.Source(text: String(parts[1]), file: "pxe.conf") : nil
    if let result = try? FarmImport.run(dhcpd: dhcpd, pxeConf: pxe) {
        _ = result.farmFile
        _ = result.warnings.map { "\($0)" }
    }
    return 0
}

/// The executable's entry point (see FuzzDriver).
@_cdecl("FuzzImport_main")
public func fuzzImportMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzImport)
}
