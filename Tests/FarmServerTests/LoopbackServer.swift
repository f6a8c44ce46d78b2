import Foundation
import Logging
import NIOCore
import NIOPosix
@testable import FarmServer

/// A real TFTP server on 127.0.0.1 and a free high port, over a tree of test files.
final class LoopbackServer {
    let tree: TemporaryTree
    let group: MultiThreadedEventLoopGroup
    let server: TFTPServer
    let log: CapturingLogHandler
    var port: Int { server.localAddress?.port ?? 0 }

    init(files: [String: Int], configure: (inout TFTPServer.Configuration) -> Void = { _ in }) async throws {
        tree = try TemporaryTree(files: files)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let (logger, log) = CapturingLogHandler.logger()
        self.log = log
        var configuration = TFTPServer.Configuration(root: tree.root, host: "127.0.0.1", port: 0)
        configure(&configuration)
        server = try await TFTPServer.start(configuration, group: group, logger: logger)
    }

    func shutdown() async throws {
        try await server.stop()
        try await group.shutdownGracefully()
        tree.remove()
    }

    func expected(_ name: String) -> [UInt8] {
        (try? Array(Data(contentsOf: URL(fileURLWithPath: tree.path(name))))) ?? []
    }
}
