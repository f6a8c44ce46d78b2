// swift-tools-version:6.0
// pxefarm: provisions diskless Linux farms from one farm file (see README.md).
// Dependencies point down: pxefarm -> PXEFarmCommands -> (FarmServer, FarmBuild)
// -> (BootConfig, Initrd) -> FarmLoading -> FarmModel -> NetbootWire.
import PackageDescription

let package = Package(
    name: "pxefarm",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pxefarm", targets: ["pxefarm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Bytes on the wire: addresses, DHCP/BOOTP, PXE option 43, TFTP. No I/O.
        .target(name: "NetbootWire"),
        // libarchive (and the zlib it links) for the initrd packer; only Initrd imports it.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        // newc cpio initrds: sources, device tables, kernel modules, compression, the NFS-root /init.
        .target(name: "Initrd", dependencies: ["CArchive"]),
        // argument-parser commands; turn library errors into messages and exit codes.
        .target(name: "PXEFarmCommands", dependencies: [
            "NetbootWire",
            "Initrd",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Entry point only.
        .executableTarget(name: "pxefarm", dependencies: ["PXEFarmCommands"]),

        .testTarget(name: "NetbootWireTests", dependencies: ["NetbootWire"]),
        .testTarget(name: "InitrdTests", dependencies: ["Initrd"]),
    ],
    swiftLanguageModes: [.v6]
)
