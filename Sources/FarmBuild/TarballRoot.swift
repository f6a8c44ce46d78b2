#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Initrd

/// An image root given as a tarball, extracted once per content into the
/// output folder's state: `.pxefarm/roots/<sha256 of the tarball>/tree`.
/// The build then reads that tree as it reads a directory root; device
/// nodes and FIFOs are never made there but recorded in `extracted.json`,
/// and made in the shared image like the MAKEDEV set (mknod only as root).
///
/// An unchanged tarball (same path, size, time and inode as recorded) is
/// neither hashed nor extracted again; a changed one is extracted beside
/// the old tree, which is then removed. Extraction happens in a hidden
/// `.<sha256>.partial` folder renamed into place when complete, so a
/// refused or broken archive leaves nothing behind.
struct TarballRoot {
    /// `extracted.json`: the tarballs this tree was extracted from, and its nodes.
    struct Record: Codable, Equatable {
        struct Node: Codable, Equatable {
            var path: String
            /// Type bits (S_IFCHR, S_IFBLK, S_IFIFO) and permissions.
            var mode: UInt32
            var device: UInt64
        }
        var sources: [Manifest.SourceStamp]
        var nodes: [Node]
    }

    static let recordName = "extracted.json"

    let tarball: String
    let image: String
    /// `.pxefarm/roots`.
    let cache: String

    /// The extracted tree and the nodes it holds but could not make.
    func extract() throws(BuildError) -> (tree: String, nodes: [ImageTree.Entry]) {
        guard let status = FileSystem.status(tarball), status.kind == .file else {
            throw .io(path: tarball, action: "read the root tarball of image \(image)", reason: "No such file")
        }
        let stamp = Manifest.SourceStamp(path: tarball, size: status.size, modified: status.modified, inode: status.inode)
        try FileSystem.makeDirectories(cache)
        let names = try FileSystem.list(cache)
        for name in names where !name.hasPrefix(".") {
            if let record = Self.load(cache + "/" + name), record.sources.contains(stamp) {
                return (cache + "/" + name + "/tree", Self.entries(record.nodes))
            }
        }
        // A build killed while extracting left its staging folder.
        for name in names where name.hasPrefix(".") && name.hasSuffix(".partial") { try Self.remove(cache + "/" + name) }
        let digest = try Digest.ofFile(tarball)
        let name = String(digest.dropFirst("sha256:".count))
        let folder = cache + "/" + name
        var record: Record
        if let existing = Self.load(folder) {
            record = existing
        } else {
            record = Record(sources: [], nodes: try unpack(name))
        }
        record.sources = record.sources.filter { $0.path != tarball } + [stamp]
        try Self.save(record, in: folder)
        try forgetOthers(than: name)
        return (folder + "/tree", Self.entries(record.nodes))
    }

    /// Extracts into `.<name>.partial`, then renames it to `<name>`.
    private func unpack(_ name: String) throws(BuildError) -> [Record.Node] {
        let folder = cache + "/" + name
        let staging = cache + "/." + name + ".partial"
        try Self.remove(staging)
        try FileSystem.makeDirectories(staging + "/tree", mode: 0o700)
        var extractor = TarballExtractor(root: staging + "/tree")
        do {
            try TarballReader(path: tarball).read { entry, data in try extractor.extract(entry, data) }
            try extractor.finish()
        } catch {
            try? Self.remove(staging)
            switch error {
            case let error as BuildError: throw error
            case let error as InitrdError: throw .tarballEntry(image: image, error)
            default: throw .tarball(image: image, reason: "\(tarball): \(error)")
            }
        }
        let nodes = extractor.nodes.map { Record.Node(path: $0.path, mode: $0.mode, device: $0.device) }
        try Self.save(Record(sources: [], nodes: nodes), in: staging)
        FileSystem.sync(staging)
        try FileSystem.rename(staging, folder)
        FileSystem.sync(cache)
        return nodes
    }

    /// Drops this tarball from the other trees' records; a tree no tarball
    /// names any more is removed (the generations hold copies, not links).
    private func forgetOthers(than kept: String) throws(BuildError) {
        for name in try FileSystem.list(cache) where name != kept && !name.hasPrefix(".") {
            let folder = cache + "/" + name
            guard var record = Self.load(folder), record.sources.contains(where: { $0.path == tarball }) else { continue }
            record.sources.removeAll { $0.path == tarball }
            if record.sources.isEmpty { try Self.remove(folder) } else { try Self.save(record, in: folder) }
        }
    }

    /// Removes every extracted tree but `kept` (folder names): what no image
    /// of the farm uses any more (the generations hold copies, not links).
    static func prune(_ cache: String, keeping kept: Set<String>) throws(BuildError) {
        guard FileSystem.status(cache)?.kind == .directory else { return }
        for name in try FileSystem.list(cache) where !kept.contains(name) { try remove(cache + "/" + name) }
    }

    static func entries(_ nodes: [Record.Node]) -> [ImageTree.Entry] {
        nodes.map { ImageTree.Entry(path: $0.path, content: .node(mode: $0.mode, device: $0.device)) }
    }

    static func load(_ folder: String) -> Record? {
        guard let bytes = try? FileSystem.read(folder + "/" + recordName) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: Data(bytes))
    }

    static func save(_ record: Record, in folder: String) throws(BuildError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let bytes: Data
        do { bytes = try encoder.encode(record) } catch { throw .produce(path: folder + "/" + recordName, reason: "\(error)") }
        let temporary = folder + "/." + recordName + ".new"
        try? FileSystem.removeTree(temporary)
        try FileSystem.create(temporary, bytes: Array(bytes))
        try FileSystem.rename(temporary, folder + "/" + recordName)
    }

    /// rm -rf of an extracted tree, whose directories may be read-only.
    static func remove(_ path: String) throws(BuildError) {
        guard let status = FileSystem.status(path) else { return }
        if status.kind == .directory {
            _ = chmod(path, 0o700)
            for name in try FileSystem.list(path) { try remove(path + "/" + name) }
        }
        try FileSystem.removeTree(path)
    }
}
