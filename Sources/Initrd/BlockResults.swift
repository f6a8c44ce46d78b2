import Foundation

/// Finished blocks by index, handed from the workers to the writer in order.
final class BlockResults: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [Int: Result<DeflateBlock, any Error>] = [:]

    func put(_ index: Int, _ result: Result<DeflateBlock, any Error>) {
        condition.lock()
        results[index] = result
        condition.broadcast()
        condition.unlock()
    }

    func take(_ index: Int, wait: Bool) -> Result<DeflateBlock, any Error>? {
        condition.lock()
        defer { condition.unlock() }
        while wait && results[index] == nil { condition.wait() }
        return results.removeValue(forKey: index)
    }
}
