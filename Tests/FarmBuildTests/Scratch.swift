import Foundation
import BootConfig
import FarmModel
import TestSupport
import NetbootWire
@testable import FarmBuild

/// A farm in a temporary folder: a small image, a kernel, boot programs.
struct Scratch {
    let directory: String
    var out: String { directory + "/out" }
    var image: String { directory + "/image" }
    var programs: BootPrograms {
        BootPrograms(pxelinux: directory + "/pxelinux.0", ldlinux: directory + "/ldlinux.c32", ipxe: directory + "/undionly.kpxe",
                     shim: directory + "/shimx64.efi", grubNet: directory + "/grubnetx64.efi", ipxeEFI: directory + "/snponly.efi",
                     syslinuxEFI: directory + "/syslinux.efi", ldlinuxEFI: directory + "/ldlinux.e64")
    }

    init(imageFiles: Int = 0) throws {
        directory = NSTemporaryDirectory() + "pxefarm-build-" + UUID().uuidString
        let manager = FileManager.default
        for folder in ["image/bin", "image/sbin", "image/etc", "image/var/log", "image/usr/lib"] {
            try manager.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true)
        }
        try write("image/bin/busybox", "busybox binary")
        try manager.createSymbolicLink(atPath: image + "/bin/sh", withDestinationPath: "busybox")
        try manager.createSymbolicLink(atPath: image + "/sbin/init", withDestinationPath: "/bin/busybox")
        try write("image/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        try write("image/etc/inittab", "::respawn:-/bin/sh\n")
        for index in 0..<imageFiles { try write("image/usr/lib/file\(index)", String(repeating: "x", count: 100 + index)) }
        try write("vmlinuz", "kernel one")
        try write("System.map", "ffffffff81000000 T _text\n")
        try write("pxelinux.0", "pxelinux")
        try write("ldlinux.c32", "ldlinux")
        try write("shimx64.efi", "shim")
        try write("grubnetx64.efi", "grub")
    }

    func write(_ relative: String, _ text: String) throws {
        let path = directory + "/" + relative
        try? FileManager.default.removeItem(atPath: path)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: directory + "/" + relative, encoding: .utf8)
    }

    func farm(nodes count: Int = 3) -> Farm {
        var farm = Farm(
            settings: FarmSettings(name: "lab", domain: "lab.example", server: IPv4Address(10, 0, 0, 1), subnet: IPv4Subnet("10.0.0.0/16")!),
            images: [Image(name: "base", root: image, kernel: directory + "/vmlinuz", systemMap: directory + "/System.map")],
            services: [
                Service(type: 0, name: "local", menu: "Local Boot", root: .local),
                Service(type: 14, name: "boot", menu: "Boot", image: "base", root: .nfs, layers: 0...1),
            ])
        for index in 0..<count {
            let name = "n\(index)"
            farm.nodes.append(Node(
                name: name, mac: MACAddress("52:54:00:00:00:00")!.advanced(by: index)!, ip: IPv4Address(10, 0, 1, 0).advanced(by: index)!,
                service: "boot", origin: .single(FieldPath("nodes")[index])))
        }
        return farm
    }

    func builder() -> Builder {
        var builder = Builder(outputDirectory: out, templates: Self.templates)
        builder.programs = programs
        return builder
    }

    static let repository = GoldenFile.repository()

    /// The repository's own templates.
    static let templates = try! TemplateDirectory.load(GoldenFile.repository() + "/templates")

    func inode(_ relative: String) -> UInt64? { FileSystem.status(directory + "/" + relative)?.inode }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
