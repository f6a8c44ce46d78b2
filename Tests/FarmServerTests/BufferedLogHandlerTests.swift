import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
@testable import FarmServer

/// serve's buffered log lines read exactly as swift-log's StreamLogHandler
/// writes them (tests, the e2e harness and admins' greps rely on that form),
/// arrive in order, and are all out after `flush()`.
@Suite struct BufferedLogHandlerTests {
    final class Capture: TextOutputStream, @unchecked Sendable {
        let text = NIOLockedValueBox("")
        func write(_ string: String) { text.withLockedValue { $0 += string } }
    }

    /// A writer on a pipe, and what came out of it after a flush.
    func logged(_ body: (Logger) -> Void) throws -> String {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        // The pipe is drained meanwhile: a writer blocked on a full pipe is no test of the handler.
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        let read = NIOLockedValueBox(Data())
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            read.withLockedValue { $0 = reader.readDataToEndOfFile() }
            drained.signal()
        }
        let writer = LogLineWriter(fd: fds[1], interval: 10)
        body(Logger(label: "pxefarm.serve") { BufferedLogHandler(label: $0, writer: writer, metadataProvider: nil) })
        writer.flush()
        close(fds[1])
        drained.wait()
        return String(decoding: read.withLockedValue { $0 }, as: UTF8.self)
    }

    /// The line without its time stamp (which may cross a second between the two handlers).
    func untimed(_ text: String) -> [String] {
        text.split(separator: "\n").map { String($0.drop { $0 != " " }) }
    }

    @Test func linesReadAsStreamLogHandlersDo() throws {
        let capture = Capture()
        let reference = Logger(label: "pxefarm.serve") { StreamLogHandler(label: $0, stream: capture, metadataProvider: nil) }
        let lines: (Logger) -> Void = { logger in
            logger.info("dhcp answered", metadata: ["mac": "52:54:00:12:34:56", "from": "0.0.0.0:68", "reason": "DISCOVER for n011", "xid": "0x1"])
            logger.notice("farm reloaded")
            logger.warning("tftp transfer timed out", metadata: ["bytes": .stringConvertible(1468), "list": ["a", "b"]])
            logger.debug("not at the default level")
        }
        lines(reference)
        let ours = try logged(lines)
        #expect(untimed(ours) == untimed(capture.text.withLockedValue { $0 }))
        #expect(ours.split(separator: "\n").count == 3)
        #expect(ours.hasPrefix(String(decoding: LogLineWriter.timestamp(time(nil)), as: UTF8.self).prefix(13)))
        #expect(ours.contains(" info pxefarm.serve: from=0.0.0.0:68 mac=52:54:00:12:34:56 reason=DISCOVER for n011 xid=0x1 [FarmServerTests] dhcp answered\n"))
    }

    @Test func manyLinesFromManyThreadsAllArriveWhole() throws {
        let text = try logged { logger in
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                for index in 0..<2000 { logger.info("line", metadata: ["thread": "\(thread)", "index": "\(index)"]) }
            }
        }
        let lines = text.split(separator: "\n")
        #expect(lines.count == 16_000)
        #expect(lines.allSatisfy { $0.hasSuffix("[FarmServerTests] line") })
        for thread in 0..<8 {
            let indices = lines.filter { $0.contains("thread=\(thread) ") }.compactMap { $0.firstMatch(of: /index=(\d+)/).map { Int($0.1)! } }
            #expect(indices == Array(0..<2000), "thread \(thread)'s lines out of order or missing")
        }
    }
}
