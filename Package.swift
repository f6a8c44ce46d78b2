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
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Bytes on the wire: addresses, DHCP/BOOTP, PXE option 43, TFTP. No I/O.
        .target(name: "NetbootWire"),
        // The farm as pure values, range expansion and validation diagnostics.
        .target(name: "FarmModel", dependencies: ["NetbootWire"]),
        // farm.yaml (and node CSV files) -> FarmModel, with file:line:column diagnostics.
        .target(name: "FarmLoading", dependencies: [
            "FarmModel",
            .product(name: "Yams", package: "Yams"),
        ]),
        // plan + apply: generations, the TFTP tree, shared images, node trees, manifests.
        .target(name: "FarmBuild", dependencies: [
            "FarmModel",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Renderers: dhcpd.conf, pxe.conf, Kea, dnsmasq, exports, services, pxelinux.cfg from templates.
        .target(name: "BootConfig", dependencies: [
            "FarmModel", "NetbootWire",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // argument-parser commands; turn library errors into messages and exit codes.
        .target(name: "PXEFarmCommands", dependencies: [
            "NetbootWire", "FarmModel", "FarmLoading", "FarmBuild", "BootConfig",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Entry point only.
        .executableTarget(name: "pxefarm", dependencies: ["PXEFarmCommands"]),

        // Golden-file helpers shared by the test targets.
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "NetbootWireTests", dependencies: ["NetbootWire"]),
        .testTarget(name: "FarmModelTests", dependencies: ["FarmModel"]),
        .testTarget(name: "FarmLoadingTests", dependencies: ["FarmLoading", "TestSupport"]),
        .testTarget(name: "FarmBuildTests", dependencies: ["FarmBuild", "TestSupport"]),
        .testTarget(name: "BootConfigTests", dependencies: ["BootConfig", "FarmModel", "FarmLoading", "NetbootWire", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "PXEFarmCommandsTests", dependencies: ["PXEFarmCommands", "BootConfig", "FarmLoading", "NetbootWire", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
