// swift-tools-version:6.0
// pxefarm: provisions diskless Linux farms from one farm file (see README.md).
// Dependencies point down: pxefarm -> PXEFarmCommands -> (FarmServer, FarmBuild,
// FarmImport, FarmLoading) -> (Rollout, BootConfig, Initrd) -> (FarmModel,
// DefaultTemplates, CArchive) -> NetbootWire. FarmServer never imports FarmBuild.
// FileIO (whole-file reads, atomic writes, stat signatures, the read log) sits
// below every module that touches files.
import PackageDescription

let package = Package(
    name: "pxefarm",
    products: [
        .executable(name: "pxefarm", targets: ["pxefarm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Bytes on the wire: addresses, DHCP/BOOTP, PXE option 43, TFTP. No I/O.
        .target(name: "NetbootWire"),
        // Files read whole, written atomically (temporary, fsync, rename), path names, stat signatures,
        // the log of what a computation read (how build knows loading the farm would read the same).
        .target(name: "FileIO", exclude: ["README.md"]),
        // libarchive (and the zlib it links) for the initrd packer; only Initrd imports it.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        // The default templates compiled in (generated from templates/ by Tools/embed-templates.sh).
        .target(name: "DefaultTemplates"),
        // newc cpio initrds: sources, device tables, kernel modules, compression, the NFS-root /init.
        .target(name: "Initrd", dependencies: ["CArchive", "DefaultTemplates", "FileIO"], exclude: ["README.md"]),
        // The farm as pure values, range expansion and validation diagnostics.
        .target(name: "FarmModel", dependencies: [
            "NetbootWire",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // farm.yaml (and node CSV files) -> FarmModel, with file:line:column diagnostics.
        .target(name: "FarmLoading", dependencies: [
            "FarmModel", "FileIO",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Rollouts, installed nodes and one-shot boots: what serve changes about how nodes boot;
        // the boot-stage file serve writes and status reads; the power-cycle runner; the boot
        // engine (state, event -> effects) that serve's BootStateController carries out.
        .target(name: "Rollout", dependencies: ["FarmModel", "NetbootWire", "FileIO"]),
        // pxefarm import: an existing dhcpd.conf and Intel pxe.conf -> a farm file.
        .target(name: "FarmImport", dependencies: ["FarmModel", "NetbootWire", "FileIO"], exclude: ["README.md"]),
        // Renderers: dhcpd.conf, pxe.conf, Kea, dnsmasq, exports, services, pxelinux.cfg from templates.
        .target(name: "BootConfig", dependencies: [
            "FarmModel", "NetbootWire", "DefaultTemplates", "FileIO",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // plan + apply: generations, the TFTP tree, shared images, node trees, manifests,
        // the input-keyed build cache that makes a no-op rebuild read and render nothing (and, for
        // the same command over the same files, load nothing: Builder.unchangedBuild).
        .target(name: "FarmBuild", dependencies: [
            "FarmModel", "BootConfig", "Initrd", "FileIO",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The daemon: DHCP/ProxyDHCP and boot-server discovery, TFTP and MTFTP (read-only),
        // HTTP (kickstart, callbacks, iPXE scripts, boot files, /metrics), rollouts applied.
        // One listener per protocol; the only module with sockets.
        .target(name: "FarmServer", dependencies: [
            "NetbootWire", "FarmModel", "Rollout", "BootConfig", "FileIO",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"]),
        // argument-parser commands; turn library errors into messages and exit codes. ServeSetup
        // puts serve together (loading, reload, paths, secrets, DHCP context, wiring).
        .target(name: "PXEFarmCommands", dependencies: [
            "NetbootWire", "FarmModel", "FarmLoading", "BootConfig", "FarmBuild", "FarmServer", "Initrd", "FarmImport", "Rollout", "FileIO",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Entry point only.
        .executableTarget(name: "pxefarm", dependencies: ["PXEFarmCommands"]),

        // What the test targets share: golden files, scratch folders, peer probes and the
        // traits that skip a test (reported as skipped) when a peer, root or netns is missing.
        .target(name: "TestSupport", dependencies: ["FileIO"], path: "Tests/Support"),
        .testTarget(name: "FileIOTests", dependencies: ["FileIO", "TestSupport"]),
        .testTarget(name: "RolloutTests", dependencies: ["Rollout", "FarmModel", "NetbootWire", "TestSupport"]),
        .testTarget(name: "NetbootWireTests", dependencies: ["NetbootWire", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FarmModelTests", dependencies: ["FarmModel"]),
        .testTarget(name: "FarmLoadingTests", dependencies: ["FarmLoading", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "BootConfigTests", dependencies: ["BootConfig", "DefaultTemplates", "FarmModel", "FarmLoading", "NetbootWire", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FarmImportTests", dependencies: ["FarmImport", "FarmLoading", "BootConfig", "FarmModel", "NetbootWire", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FarmBuildTests", dependencies: ["FarmBuild", "BootConfig", "FileIO", "TestSupport"]),
        .testTarget(name: "PXEFarmCommandsTests", dependencies: ["PXEFarmCommands", "BootConfig", "FarmLoading", "FarmServer", "NetbootWire", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FarmServerTests", dependencies: [
            "FarmServer", "NetbootWire", "FarmModel", "TestSupport", "Rollout", "BootConfig",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "InitrdTests", dependencies: ["Initrd", "TestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer entry points (Fuzz/README.md), one executable per parser. They exist only
// when PXEFARM_FUZZ is set, as `make fuzz` does: their binaries take libFuzzer's own
// main and are built with -sanitize=fuzzer into .build-fuzz, so plain `swift build`
// and `swift test` never see them.
if Context.environment["PXEFARM_FUZZ"] != nil {
    let nio: [Target.Dependency] = [
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
    ]
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("FuzzFarmFile", ["FarmLoading", "FarmModel"]),
        ("FuzzOption43", ["NetbootWire"]),
        ("FuzzDHCPPacket", ["NetbootWire"]),
        ("FuzzTFTPPacket", ["NetbootWire"]),
        ("FuzzTFTPServer", ["FarmServer", "NetbootWire"] + nio),
        ("FuzzHTTPServer", ["FarmServer"] + nio + [.product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),
        ("FuzzDHCPPolicy", ["FarmServer", "FarmLoading", "FarmModel", "NetbootWire"]),
        ("FuzzInitrdList", ["Initrd"]),
        ("FuzzTarballRoot", ["Initrd"]),
        ("FuzzImport", ["FarmImport"]),
    ]
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/Sources/FuzzDriver"))
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(name: name, dependencies: ["FuzzDriver"] + dependencies, path: "Fuzz/Sources/\(name)"))
    }
}
