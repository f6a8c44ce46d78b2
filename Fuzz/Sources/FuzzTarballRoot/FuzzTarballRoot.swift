import FuzzDriver
import Initrd

/// libFuzzer entry: any bytes as an image root tarball, walked the way
/// `pxefarm build` extracts one (`TarballReader`, which admits each entry
/// through `TarballPathPolicy` and stops at the first refusal). Checked
/// against a model of its own: every entry handed on is relative, has no
/// `.`, `..` or empty component, lies under directories only (never under
/// an earlier symlink, file or node), names no path twice (but a directory
/// as a directory), and a hard link names an earlier file or node. File
/// contents are read to their end. The reader opens files by path, so each
/// input is written to one scratch file in /dev/shm first.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTarballRoot(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let path = writeScratchFile(data, size, name: "tarball")
    var model = AdmittedTree()
    try? TarballReader(path: path).read { entry, contents in
        model.check(entry)
        if case .file = entry.kind { try contents.blocks { _, _ in } }
    }
    return 0
}

/// What the entries handed on so far made, to check the next one against.
struct AdmittedTree {
    enum Made { case directory, file, node, symlink }
    var made: [String: Made] = ["": .directory]

    mutating func check(_ entry: TarballEntry) {
        let parts = entry.path.split(separator: "/", omittingEmptySubsequences: false)
        guard !entry.path.hasPrefix("/"), entry.path.isEmpty || !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            fatalError("admitted an unsafe path \(entry.path.debugDescription)")
        }
        var parent = ""
        for part in parts.dropLast() {
            parent = parent.isEmpty ? String(part) : parent + "/" + part
            switch made[parent] {
            case nil, .directory?: made[parent] = .directory
            case let other?: fatalError("admitted \(entry.path.debugDescription) under \(parent.debugDescription), a \(other)")
            }
        }
        let kind: Made
        switch entry.kind {
        case .directory: kind = .directory
        case .file: kind = .file
        case .symlink: kind = .symlink
        case .characterDevice, .blockDevice, .fifo: kind = .node
        case .hardLink(let target):
            guard let linked = made[target], linked == .file || linked == .node else {
                fatalError("admitted a hard link \(entry.path.debugDescription) to \(target.debugDescription), not an earlier file")
            }
            kind = linked
        }
        if let earlier = made[entry.path], !(earlier == .directory && kind == .directory) {
            fatalError("admitted \(entry.path.debugDescription) twice (\(earlier), then \(kind))")
        }
        made[entry.path] = kind
    }
}

/// The executable's entry point (see FuzzDriver).
@_cdecl("FuzzTarballRoot_main")
public func fuzzTarballRootMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzTarballRoot)
}
