import Foundation
import Testing
import TestSupport
@testable import Initrd

@Suite struct ModulesDepTests {
    static let text = """
        kernel/drivers/net/ethernet/intel/e1000/e1000.ko:
        kernel/net/sunrpc/sunrpc.ko:
        kernel/fs/nfs_common/grace.ko:
        kernel/fs/lockd/lockd.ko: kernel/net/sunrpc/sunrpc.ko kernel/fs/nfs_common/grace.ko
        kernel/fs/nfs/nfs.ko: kernel/fs/lockd/lockd.ko kernel/net/sunrpc/sunrpc.ko kernel/fs/nfs_common/grace.ko
        kernel/fs/nfs/nfsv3.ko: kernel/fs/nfs/nfs.ko kernel/fs/lockd/lockd.ko kernel/net/sunrpc/sunrpc.ko kernel/fs/nfs_common/grace.ko
        kernel/drivers/net/virtio_net.ko.xz: kernel/net/core/net-failover.ko
        kernel/net/core/net-failover.ko:

        """

    @Test func ordersDependenciesFirstEachOnce() throws {
        let table = try ModulesDep(parsing: Self.text, origin: "modules.dep")
        let order = try table.loadOrder(for: ["e1000", "nfsv3", "virtio-net", "nfs"], modulesDirectory: "/m")
        #expect(order == [
            "kernel/drivers/net/ethernet/intel/e1000/e1000.ko",
            "kernel/fs/nfs_common/grace.ko", "kernel/net/sunrpc/sunrpc.ko", "kernel/fs/lockd/lockd.ko",
            "kernel/fs/nfs/nfs.ko", "kernel/fs/nfs/nfsv3.ko",
            "kernel/net/core/net-failover.ko", "kernel/drivers/net/virtio_net.ko.xz",
        ])
    }

    @Test func namesAMissingModule() throws {
        let table = try ModulesDep(parsing: Self.text, origin: "modules.dep")
        #expect(throws: InitrdError.moduleNotFound(name: "nfsv4", modulesDirectory: "/m")) {
            try table.loadOrder(for: ["nfs", "nfsv4"], modulesDirectory: "/m")
        }
    }

    @Test func refusesALineWithoutColon() {
        #expect(throws: InitrdError.modulesDep(file: "dep", line: 2, message: "expected 'module.ko: dependencies', found no ':'")) {
            try ModulesDep(parsing: "a.ko:\nb.ko c.ko\n", origin: "dep")
        }
    }

    /// A fake tree on disk: files named *.ko and a modules.dep written here.
    @Test func resolvesFilesAndIndexesFromATree() throws {
        let temporary = try ScratchDirectory("modules")
        defer { temporary.remove() }
        let version = "6.1.0-99-amd64"
        let base = "lib/modules/\(version)"
        for line in Self.text.split(separator: "\n") {
            let path = String(line.split(separator: ":")[0])
            try temporary.write("\(base)/\(path)", "module \(path)\n")
        }
        try temporary.write("\(base)/kernel/fs/unused/unused.ko", "not wanted\n")
        try temporary.write("\(base)/modules.dep", Self.text + "kernel/fs/unused/unused.ko:\n")
        try temporary.write("\(base)/modules.alias", "alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n")
        let modules = KernelModules(directory: temporary.path + "/" + base, names: ["nfsv3"])
        let (entries, order) = try modules.resolve()
        #expect(order.last == "kernel/fs/nfs/nfsv3.ko")
        #expect(entries.map(\.path) == order.map { "\(base)/\($0)" } + ["\(base)/modules.alias", "\(base)/modules.dep"])

        try FileManager.default.removeItem(atPath: temporary.path + "/\(base)/kernel/fs/lockd/lockd.ko")
        #expect(throws: InitrdError.modulesDep(file: temporary.path + "/\(base)/modules.dep", line: 0,
                                                 message: "lists kernel/fs/lockd/lockd.ko, which is not in \(temporary.path)/\(base)")) {
            try modules.resolve()
        }
        try FileManager.default.removeItem(atPath: temporary.path + "/\(base)/modules.dep")
        #expect(throws: InitrdError.modulesDepMissing(path: temporary.path + "/\(base)/modules.dep")) {
            try modules.resolve()
        }
    }
}
