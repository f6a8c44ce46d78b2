import Foundation
import Testing
import TestSupport
@testable import Initrd

/// `initrd.modules: [net]`: every Ethernet driver and virtio's, loaded when
/// they load; named modules still must.
@Suite struct ModuleClassTests {
    static let table = """
        kernel/drivers/net/ethernet/intel/e1000/e1000.ko:
        kernel/drivers/net/ethernet/intel/igb/igb.ko: kernel/drivers/ptp/ptp.ko kernel/drivers/pps/pps_core.ko
        kernel/drivers/net/ethernet/realtek/r8169.ko: kernel/drivers/net/phy/libphy.ko
        kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko
        kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko
        kernel/net/core/failover.ko:
        kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_modern_dev.ko
        kernel/drivers/virtio/virtio_pci_modern_dev.ko:
        kernel/drivers/ptp/ptp.ko: kernel/drivers/pps/pps_core.ko
        kernel/drivers/pps/pps_core.ko:
        kernel/drivers/net/phy/libphy.ko:
        kernel/drivers/net/wireless/intel/iwlwifi/iwlwifi.ko:
        kernel/fs/nfs/nfs.ko: kernel/net/sunrpc/sunrpc.ko
        kernel/net/sunrpc/sunrpc.ko:

        """

    @Test func softDependenciesLoadBeforeTheirModuleThroughAliases() throws {
        let dep = try ModulesDep(parsing: """
            kernel/drivers/net/ethernet/broadcom/bnx2x/bnx2x.ko: kernel/lib/libcrc32c.ko kernel/drivers/mdio.ko
            kernel/lib/libcrc32c.ko:
            kernel/drivers/mdio.ko:
            kernel/arch/x86/crypto/crc32c-intel.ko:
            kernel/crypto/crc32c_generic.ko:
            kernel/fs/nfs/nfs.ko:

            """, origin: "modules.dep")
        let soft = ModuleSoftDependencies(
            softdep: "# Soft dependencies extracted from modules themselves.\nsoftdep libcrc32c pre: crc32c\nsoftdep nfs post: nfsv4\nsoftdep ext4 pre: crypto-crc32c\n",
            alias: "alias crc32c crc32c_intel\nalias crc32c crc32c_generic\nalias crypto-crc32c crc32c_generic\n")
        #expect(soft.before == ["libcrc32c": ["crc32c"], "ext4": ["crypto-crc32c"]])
        let direct = try dep.loadOrder(for: ["nfs", "bnx2x"], modulesDirectory: "/m")
        #expect(direct == ["kernel/fs/nfs/nfs.ko", "kernel/drivers/mdio.ko", "kernel/lib/libcrc32c.ko", "kernel/drivers/net/ethernet/broadcom/bnx2x/bnx2x.ko"])
        let expanded = try soft.expand(direct, table: dep, modulesDirectory: "/m")
        #expect(expanded.order == ["kernel/fs/nfs/nfs.ko", "kernel/drivers/mdio.ko", "kernel/arch/x86/crypto/crc32c-intel.ko",
                                   "kernel/crypto/crc32c_generic.ko", "kernel/lib/libcrc32c.ko", "kernel/drivers/net/ethernet/broadcom/bnx2x/bnx2x.ko"])
        #expect(expanded.added == ["kernel/arch/x86/crypto/crc32c-intel.ko", "kernel/crypto/crc32c_generic.ko"])
    }

    @Test func netIsEveryEthernetDriverAndVirtio() throws {
        let dep = try ModulesDep(parsing: Self.table, origin: "modules.dep")
        #expect(dep.members(ofClass: "net") == ["e1000", "igb", "r8169", "virtio_net", "virtio_pci"])
        #expect(dep.members(ofClass: "nfs") == nil)
    }

    @Test func classMembersAreOptionalAndNamedModulesAndTheirDependenciesAreNot() throws {
        let temporary = try ScratchDirectory("classes")
        defer { temporary.remove() }
        let base = "lib/modules/6.1.0-99-amd64"
        for line in Self.table.split(separator: "\n") {
            let path = String(line.prefix { $0 != ":" })
            try temporary.write("\(base)/\(path)", "fake \(path)\n")
        }
        try temporary.write("\(base)/modules.dep", Self.table)
        let modules = KernelModules(directory: temporary.path + "/" + base, names: ["nfs", "net", "e1000"])
        let resolved = try modules.resolveWithClasses()
        #expect(resolved.loadOrder.first == "kernel/net/sunrpc/sunrpc.ko")
        #expect(resolved.loadOrder.contains("kernel/drivers/virtio/virtio_pci_modern_dev.ko"))
        #expect(!resolved.loadOrder.contains("kernel/drivers/net/wireless/intel/iwlwifi/iwlwifi.ko"))
        #expect(resolved.optional == [
            "kernel/drivers/net/ethernet/intel/igb/igb.ko", "kernel/drivers/ptp/ptp.ko", "kernel/drivers/pps/pps_core.ko",
            "kernel/drivers/net/ethernet/realtek/r8169.ko", "kernel/drivers/net/phy/libphy.ko",
            "kernel/drivers/net/virtio_net.ko", "kernel/drivers/net/net_failover.ko", "kernel/net/core/failover.ko",
            "kernel/drivers/virtio/virtio_pci.ko", "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
        ])
        // Dependencies load before their dependents.
        let order = resolved.loadOrder
        #expect(order.firstIndex(of: "kernel/drivers/pps/pps_core.ko")! < order.firstIndex(of: "kernel/drivers/ptp/ptp.ko")!)
        #expect(order.firstIndex(of: "kernel/drivers/ptp/ptp.ko")! < order.firstIndex(of: "kernel/drivers/net/ethernet/intel/igb/igb.ko")!)
    }

    @Test func theConfigurationNamesOptionalModulesAndTheFarmsNFSOptions() throws {
        let text = NFSRootInitrd.configuration(kernelVersion: "6.1.0-99-amd64",
                                               loadOrder: ["kernel/net/sunrpc/sunrpc.ko", "kernel/drivers/net/ethernet/realtek/r8169.ko"],
                                               optional: ["kernel/drivers/net/ethernet/realtek/r8169.ko"],
                                               nfsOptions: "vers=4.2,proto=tcp,hard")
        try GoldenFile.check(text, against: "pxefarm-initrd-classes.conf")
    }
}
