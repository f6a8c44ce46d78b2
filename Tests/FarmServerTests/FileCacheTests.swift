import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
@testable import FarmServer

/// The shared file cache: one disk read for many requests, a file replaced
/// on disk read afresh, a byte budget, netascii, reads on a thread pool with
/// one read in flight per file, and nothing kept from a tree requests left.
@Suite struct FileCacheTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    func read(_ cache: FileCache, _ path: String, in tree: String, netascii: Bool = false) throws -> ByteBuffer {
        try cache.contents(of: TFTPFile(path: path, tree: tree), netascii: netascii, on: Self.group.next()).wait()
    }

    @Test func oneDiskReadForManyRequestsAndRereadWhenReplaced() throws {
        let tree = try TemporaryTree(files: ["k": 100_000])
        defer { tree.remove() }
        let cache = FileCache()
        for _ in 0..<1000 { #expect(try read(cache, tree.path("k"), in: tree.root).readableBytes == 100_000) }
        #expect(cache.diskReads == 1)
        try tree.write("k.new", [1, 2, 3])
        _ = rename(tree.path("k.new"), tree.path("k"))
        #expect(Array(try read(cache, tree.path("k"), in: tree.root).readableBytesView) == [1, 2, 3])
        #expect(cache.diskReads == 2)
    }

    @Test func budgetEvictsTheLeastRecentlyUsed() throws {
        let tree = try TemporaryTree(files: ["a": 400, "b": 400, "c": 400])
        defer { tree.remove() }
        let cache = FileCache(budget: 1000)
        _ = try read(cache, tree.path("a"), in: tree.root)
        _ = try read(cache, tree.path("b"), in: tree.root)
        _ = try read(cache, tree.path("a"), in: tree.root)
        _ = try read(cache, tree.path("c"), in: tree.root)
        #expect(cache.cachedBytes == 800)
        _ = try read(cache, tree.path("a"), in: tree.root)
        #expect(cache.diskReads == 3)
        _ = try read(cache, tree.path("b"), in: tree.root)
        #expect(cache.diskReads == 4)
    }

    @Test func netasciiConvertsLineEnds() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        try tree.write("t", Array("a\nb\rc".utf8))
        #expect(Array(try read(FileCache(), tree.path("t"), in: tree.root, netascii: true).readableBytesView) == Array("a\r\nb\r\0c".utf8))
    }

    /// 64 requests from two event loops for a file not yet read: one read, on
    /// the pool, and every request gets all of it.
    @Test func concurrentFirstRequestsShareOneReadOnThePool() throws {
        let tree = try TemporaryTree(files: ["linux.2": 8 << 20])
        defer { tree.remove() }
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        defer { try? pool.syncShutdownGracefully() }
        let cache = FileCache(threadPool: pool)
        let file = TFTPFile(path: tree.path("linux.2"), tree: tree.root)
        let futures = (0..<64).map { _ in cache.contents(of: file, on: Self.group.next()) }
        let expected = TemporaryTree.pattern(size: 8 << 20, seed: "linux.2")
        for future in futures { #expect(Array(try future.wait().readableBytesView) == expected) }
        #expect(cache.diskReads == 1)
    }

    /// A request resolved in another tree (a new generation) drops what the
    /// old tree's files left in memory; the old tree's bytes are never handed
    /// out for the new tree's file, even where both are one inode (hard link).
    @Test func movingToAnotherTreeForgetsTheOldOne() throws {
        let generations = try TemporaryTree(files: ["1/linux.1": 5000, "1/linux.2": 7000])
        defer { generations.remove() }
        try FileManager.default.createDirectory(atPath: generations.path("2"), withIntermediateDirectories: true)
        #expect(link(generations.path("1/linux.1"), generations.path("2/linux.1")) == 0)
        try generations.write("2/linux.2", [9, 9, 9])
        let cache = FileCache()
        _ = try read(cache, generations.path("1/linux.1"), in: generations.path("1"))
        _ = try read(cache, generations.path("1/linux.2"), in: generations.path("1"))
        #expect(cache.cachedFiles == 2)
        #expect(Array(try read(cache, generations.path("2/linux.2"), in: generations.path("2")).readableBytesView) == [9, 9, 9])
        #expect(cache.cachedFiles == 1)
        #expect(try read(cache, generations.path("2/linux.1"), in: generations.path("2")).readableBytes == 5000)
        #expect(cache.diskReads == 4)
        #expect(cache.cachedBytes == 5003)
    }

    @Test func aMissingFileFailsTheFuture() throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        #expect(throws: FarmServerError.self) { try read(FileCache(), tree.path("gone"), in: tree.root) }
    }
}
