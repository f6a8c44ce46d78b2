// swift-tools-version:6.0
// The smallest SwiftNIO UDP server: the memory floor bench/memory.sh compares
// `pxefarm serve` with (Swift runtime + NIO, the same versions, nothing else).
import PackageDescription

let package = Package(
    name: "nio-floor",
    dependencies: [.package(url: "https://github.com/apple/swift-nio", from: "2.101.3")],
    targets: [
        .executableTarget(name: "nio-floor", dependencies: [.product(name: "NIOPosix", package: "swift-nio"),
                                                            .product(name: "NIOCore", package: "swift-nio")]),
    ]
)
