import Foundation
import Rollout
import Testing
import TestSupport
@testable import FarmServer

/// The boot timeline of a 64-node rollout (8 waves of 8), as serve would have
/// recorded it: generated from a fixed seed, one node timed out, one slow,
/// one whose initrd transfer failed. The SVG is compared with its golden file;
/// the HTML page is screenshot with headless Chromium.
@Suite struct BootTimelineTests {
    static let start = 1_800_000_000.0

    static func rollout64() -> (nodes: [BootTimeline.Node], stages: BootStages, rollout: Rollout) {
        var random = SeededGenerator(seed: 64)
        let names = (1...64).map { String(format: "n%03d", $0) }
        var rollout = Rollout(service: "linux-install", nodes: names, waveSize: 8, timeout: 600, started: start)
        var stages = BootStages()
        for (index, name) in names.enumerated() {
            let wave = index / 8
            var t = start + Double(wave) * 75 + Double.random(in: 0...3, using: &random)
            var seen: [BootStages.Stage: BootStages.Entry] = [:]
            func step(_ stage: BootStages.Stage, _ seconds: ClosedRange<Double>, _ detail: String) {
                t += Double.random(in: seconds, using: &random)
                seen[stage] = BootStages.Entry(at: t, detail: detail)
            }
            step(.dhcp, 0.5...1.5, "ACK 192.168.197.\(40 + index): reserved")
            step(.bootServer, 0.1...0.4, "X86PC/UNDI/linux-install/linux.0")
            step(.nbp, 0.1...0.3, "X86PC/UNDI/linux-install/linux.0 26908 bytes, completed")
            step(.config, 0.2...0.5, "X86PC/UNDI/linux-install/pxelinux.cfg/01-52-54-00-00-00-01 188 bytes, completed")
            step(.kernel, 2...4, "X86PC/UNDI/linux-install/linux.1 8264672 bytes, completed")
            let initrdFails = name == "n029"
            step(.initrd, 3...6, "X86PC/UNDI/linux-install/linux.2 31457280 bytes, \(initrdFails ? "timed out" : "completed")")
            if initrdFails {
                stages.nodes[name] = seen
                rollout.nodes[index].stage = .timedOut
                continue
            }
            step(.kickstart, 8...12, "ks/\(name).cfg")
            if name == "n044" { t += 70 }
            if name == "n058" {
                stages.nodes[name] = seen
                rollout.nodes[index].stage = .timedOut
                continue
            }
            step(.installDone, 25...40, "done")
            rollout.nodes[index].stage = .done
            stages.nodes[name] = seen
        }
        let nodes = names.map { BootTimeline.Node(name: $0, service: "linux-install") }
        return (nodes, stages, rollout)
    }

    @Test func aRolloutOf64NodesDrawsAsItsGoldenSVG() throws {
        let (nodes, stages, rollout) = Self.rollout64()
        let svg = BootTimeline(title: "pxefarm: boot timeline of farm dc2", nodes: nodes, stages: stages, rollout: rollout).svg()
        #expect(svg == (try GoldenFile.expected(svg, path: GoldenFile.fixtures() + "/timeline/rollout-64.svg")))
        #expect(svg.contains(">wave 8</text>"))
        #expect(svg.contains("failed</text>"))
        #expect(svg.contains(" slow</text>"))
    }

    @Test func aThousandNodesKeepsRowsSmallAndTheSameSteps() {
        let names = (1...1000).map { "c\($0)" }
        var stages = BootStages()
        for (index, name) in names.enumerated() {
            let t = Self.start + Double(index % 50)
            stages.nodes[name] = [.dhcp: .init(at: t, detail: "ACK"), .kernel: .init(at: t + 3, detail: "linux.1, completed"),
                                  .initrd: .init(at: t + 8, detail: "linux.2, completed")]
        }
        let timeline = BootTimeline(title: "big", nodes: names.map { .init(name: $0, service: "boot") }, stages: stages)
        #expect(timeline.rowHeight == 5)
        let svg = timeline.svg()
        #expect(svg.contains("1000 nodes, 1000 seen, 0 failed, 0 slow"))
        #expect(svg.components(separatedBy: "<title>").count - 1 == 2000)
    }

    @Test func tftpFileNamesMapToTheirSteps() {
        #expect(BootStages.Stage(fetching: "X86PC/UNDI/boot/linux.0") == .nbp)
        #expect(BootStages.Stage(fetching: "X86PC/UNDI/boot/pxelinux.cfg/01-52-54-00-00-00-01") == .config)
        #expect(BootStages.Stage(fetching: "X86PC/UNDI/boot/linux.1") == .kernel)
        #expect(BootStages.Stage(fetching: "X86PC/UNDI/boot/linux.2") == .initrd)
        #expect(BootStages.Stage(fetching: "EFI/boot/shimx64.efi") == .nbp)
        #expect(BootStages.Stage(fetching: "grub/grub.cfg") == .config)
        #expect(BootStages.Stage(fetching: "X86PC/UNDI/boot/ldlinux.c32") == nil)
    }

    @Test(.needs(.chromium))
    func headlessChromiumScreenshotsTheHTMLPage() throws {
        let (nodes, stages, rollout) = Self.rollout64()
        let page = BootTimeline(title: "pxefarm: boot timeline of farm dc2", nodes: nodes, stages: stages, rollout: rollout).html()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pxefarm-timeline-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try Data(page.utf8).write(to: URL(fileURLWithPath: scratch + "/timeline.html"))
        let png = ProcessInfo.processInfo.environment["PXEFARM_TIMELINE_PNG"] ?? scratch + "/timeline.png"
        let run = try ProgramRun.run(try #require(Peer.chromium.path), ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                      "--user-data-dir=\(scratch)/profile", "--window-size=1230,1080",
                                                      "--screenshot=\(png)", "file://\(scratch)/timeline.html"])
        #expect(run.status == 0, "\(run.output)")
        let bytes = try #require(FileManager.default.contents(atPath: png))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(bytes.count > 20_000, "a blank page would be a few kilobytes")
    }
}
