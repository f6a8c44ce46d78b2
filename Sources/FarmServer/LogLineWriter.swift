import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// Where `pxefarm serve`'s log lines go: a file descriptor (standard error)
/// written by a thread of its own, so that a DHCP or TFTP decision costs a
/// formatted line appended to memory, not a write(2) on the event loop.
/// Lines are written in the order they were logged, at least every
/// `interval` and whenever `flushBytes` have gathered; `flush()` writes what
/// is pending at once (the daemon calls it when it stops). When the
/// descriptor cannot keep up (a stalled pipe) and `limitBytes` are pending,
/// further lines are dropped and counted, and a line saying how many is
/// written once the backlog clears, so memory stays bounded and nothing is
/// lost silently.
public final class LogLineWriter: Sendable {
    private struct Pending {
        var bytes: [UInt8] = []
        var dropped = 0
        var second = -1
        var stamp: [UInt8] = []
    }

    private let fd: Int32
    private let interval: Double
    private let flushBytes: Int
    private let limitBytes: Int
    private let pending = NIOLockedValueBox(Pending())
    private let wake = DispatchSemaphore(value: 0)
    /// Held while a batch is being written, so `flush()` returns only once its lines are out.
    private let writing = NIOLock()

    public static let standardError = LogLineWriter(fd: 2)

    public init(fd: Int32, interval: Double = 0.05, flushBytes: Int = 64 << 10, limitBytes: Int = 16 << 20) {
        self.fd = fd
        self.interval = interval
        self.flushBytes = flushBytes
        self.limitBytes = limitBytes
        let thread = Thread { [self] in run() }
        thread.name = "pxefarm log writer"
        thread.start()
    }

    /// Appends one line; `format` writes it after the time stamp it is given.
    func append(_ format: (inout [UInt8], [UInt8]) -> Void) {
        let now = time(nil)
        let full = pending.withLockedValue { pending -> Bool in
            guard pending.bytes.count < limitBytes else {
                pending.dropped += 1
                return false
            }
            if Int(now) != pending.second {
                pending.second = Int(now)
                pending.stamp = Self.timestamp(now)
            }
            format(&pending.bytes, pending.stamp)
            return pending.bytes.count >= flushBytes
        }
        if full { wake.signal() }
    }

    /// Writes every line logged so far before returning.
    public func flush() {
        writing.withLock { writeBatch() }
    }

    private func run() {
        while true {
            _ = wake.wait(timeout: .now() + interval)
            writing.withLock { writeBatch() }
        }
    }

    private func writeBatch() {
        var (batch, dropped) = pending.withLockedValue { pending -> ([UInt8], Int) in
            defer {
                pending.bytes.removeAll(keepingCapacity: true)
                pending.dropped = 0
            }
            return (pending.bytes, pending.dropped)
        }
        if dropped > 0 {
            batch += Array("\(String(decoding: Self.timestamp(time(nil)), as: UTF8.self)) warning pxefarm.serve: dropped=\(dropped) [FarmServer] log lines dropped: standard error did not keep up\n".utf8)
        }
        var offset = 0
        batch.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return  // a closed descriptor: nothing more can be said
                }
            }
        }
    }

    /// `2026-12-07T02:02:04+0000`, local time, as swift-log's StreamLogHandler writes it.
    static func timestamp(_ seconds: time_t) -> [UInt8] {
        var seconds = seconds
        var local = tm()
        guard localtime_r(&seconds, &local) != nil else { return Array("<unknown>".utf8) }
        var buffer = [Int8](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return buffer[..<count].map { UInt8(bitPattern: $0) }
    }
}
