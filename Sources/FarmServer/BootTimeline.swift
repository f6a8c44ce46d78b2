import Foundation
import Rollout

/// Each node's boot as a timeline picture (SVG, or an HTML page around it),
/// from the boot stages serve recorded: DHCP, boot-server answer, NBP, config,
/// kernel, initrd, kickstart and install callback as marks on one row per node,
/// the time between two marks coloured by the step it led to, the whole boot's
/// length at the end of the row. Failed nodes (a TFTP fetch that did not
/// complete, a rollout node timed out or aborted) get a red row, slow ones
/// (over twice the median) an orange length; a rollout's waves are bands of
/// rows, in wave order. Pure: same stages, same bytes.
public struct BootTimeline: Sendable {
    public struct Node: Sendable, Hashable {
        public var name, service: String
        public init(name: String, service: String) { self.name = name; self.service = service }
    }

    struct Row {
        var node: Node
        var wave: Int?
        var marks: [(stage: BootStages.Stage, at: Double)]
        var failed: Bool
        var total: Double { (marks.last?.at ?? 0) - (marks.first?.at ?? 0) }
    }

    /// The steps drawn, in boot order (`tftp`, the last fetch of any file, is covered by the four fetch steps).
    static let steps: [BootStages.Stage] = [.dhcp, .bootServer, .nbp, .config, .kernel, .initrd, .kickstart, .installDone]

    static func colour(_ stage: BootStages.Stage) -> String {
        switch stage {
        case .dhcp: "#4e79a7"
        case .bootServer: "#59a14f"
        case .nbp: "#9c755f"
        case .config: "#f28e2b"
        case .kernel: "#edc948"
        case .initrd: "#b07aa1"
        case .kickstart: "#76b7b2"
        case .installDone: "#2f6f3e"
        case .tftp: "#bab0ac"
        }
    }

    static func label(_ stage: BootStages.Stage) -> String {
        switch stage {
        case .dhcp: "DHCP"
        case .bootServer: "boot server"
        case .nbp: "NBP"
        case .config: "config"
        case .kernel: "kernel"
        case .initrd: "initrd"
        case .kickstart: "kickstart"
        case .installDone: "callback"
        case .tftp: "TFTP"
        }
    }

    let title: String
    let rows: [Row]
    let origin: Double
    let slowOver: Double

    /// `nodes` in the farm's order; `rollout` (if any) gives the waves and the
    /// time origin (its start), else the first stage seen is time 0.
    public init(title: String, nodes: [Node], stages: BootStages, rollout: Rollout? = nil) {
        self.title = title
        let waves = Dictionary((rollout?.nodes ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [Row] = []
        for node in nodes {
            let seen = stages.nodes[node.name] ?? [:]
            let marks = Self.steps.compactMap { stage in seen[stage].map { (stage: stage, at: $0.at) } }.sorted { $0.at < $1.at }
            let rolloutNode = waves[node.name]
            let tftpFailed = seen.values.contains { $0.detail.contains("timed out") || $0.detail.contains("failed") || $0.detail.contains("aborted by client") }
            let rolloutFailed = rolloutNode.map { $0.stage == .timedOut || $0.stage == .aborted } ?? false
            rows.append(Row(node: node, wave: rolloutNode?.wave, marks: marks, failed: tftpFailed || rolloutFailed))
        }
        // Waves in order, nodes in farm order within a wave; nodes in no wave last.
        self.rows = rows.enumerated().sorted { a, b in
            (a.element.wave ?? Int.max, a.offset) < (b.element.wave ?? Int.max, b.offset)
        }.map(\.element)
        let first = rows.compactMap { $0.marks.first?.at }.min() ?? 0
        origin = rollout.map { min($0.started, first) } ?? first
        let totals = rows.filter { $0.marks.count > 1 }.map(\.total).sorted()
        let median = totals.isEmpty ? 0 : totals[totals.count / 2]
        slowOver = max(2 * median, 1)
    }

    // MARK: - Drawing

    static let width = 1200.0, labelWidth = 150.0, totalWidth = 110.0, top = 70.0

    var rowHeight: Double { rows.count <= 120 ? 14 : rows.count <= 400 ? 8 : 5 }
    var plotWidth: Double { Self.width - Self.labelWidth - Self.totalWidth - 10 }
    var span: Double { max(1, (rows.compactMap { $0.marks.last?.at }.max() ?? origin) - origin) }
    func x(_ time: Double) -> Double { Self.labelWidth + (time - origin) / span * plotWidth }

    /// A tick step of 1, 2 or 5 times a power of ten, about ten ticks across.
    var tickStep: Double {
        let raw = span / 10
        let power = pow(10, floor(log10(raw)))
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
    }

    public func svg() -> String {
        let height = Self.top + Double(rows.count) * rowHeight + 40
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(Self.width))" height="\(f(height))" viewBox="0 0 \(f(Self.width)) \(f(height))" font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="#ffffff"/>
            <text x="10" y="20" font-size="15" font-weight="bold">\(escape(title))</text>

            """
        // Legend.
        var legendX = 10.0
        for stage in Self.steps {
            out += "<rect x=\"\(f(legendX))\" y=\"30\" width=\"12\" height=\"10\" fill=\"\(Self.colour(stage))\"/><text x=\"\(f(legendX + 16))\" y=\"39\">\(Self.label(stage))</text>\n"
            legendX += 30 + Double(Self.label(stage).count) * 6.5
        }
        out += "<rect x=\"\(f(legendX))\" y=\"30\" width=\"12\" height=\"10\" fill=\"#fde0dc\" stroke=\"#d62728\"/><text x=\"\(f(legendX + 16))\" y=\"39\">failed</text>\n"
        out += "<text x=\"\(f(legendX + 62))\" y=\"39\" fill=\"#e8710a\" font-weight=\"bold\">slow (over \(f(slowOver)) s)</text>\n"
        // Time axis and grid.
        let bottom = Self.top + Double(rows.count) * rowHeight
        var tick = 0.0
        while tick <= span + tickStep / 1000 {
            let tx = x(origin + tick)
            out += "<line x1=\"\(f(tx))\" y1=\"\(f(Self.top - 4))\" x2=\"\(f(tx))\" y2=\"\(f(bottom))\" stroke=\"#e6e6e6\"/><text x=\"\(f(tx))\" y=\"\(f(Self.top - 8))\" text-anchor=\"middle\" fill=\"#555\">\(f(tick)) s</text>\n"
            tick += tickStep
        }
        // Rows.
        var wave: Int?? = .none
        let labelEvery = rowHeight >= 10 ? 1 : Int((10 / rowHeight).rounded(.up))
        for (index, row) in rows.enumerated() {
            let y = Self.top + Double(index) * rowHeight
            if wave != .some(row.wave) {
                wave = .some(row.wave)
                out += "<line x1=\"0\" y1=\"\(f(y))\" x2=\"\(f(Self.width))\" y2=\"\(f(y))\" stroke=\"#888\"/>"
                out += "<text x=\"4\" y=\"\(f(y + 10))\" font-weight=\"bold\" fill=\"#333\">\(row.wave.map { "wave \($0)" } ?? (rows.contains { $0.wave != nil } ? "no wave" : ""))</text>\n"
            }
            if row.failed {
                out += "<rect x=\"\(f(Self.labelWidth))\" y=\"\(f(y))\" width=\"\(f(plotWidth))\" height=\"\(f(rowHeight))\" fill=\"#fde0dc\" stroke=\"#d62728\" stroke-width=\"0.5\"/>"
            }
            if index % labelEvery == 0 {
                out += "<text x=\"\(f(Self.labelWidth - 4))\" y=\"\(f(y + rowHeight - 3))\" text-anchor=\"end\" font-size=\"\(f(min(11, rowHeight)))\">\(escape(row.node.name))</text>"
            }
            let barY = y + rowHeight * 0.2, barHeight = rowHeight * 0.6
            for (from, to) in zip(row.marks, row.marks.dropFirst()) {
                out += "<rect x=\"\(f(x(from.at)))\" y=\"\(f(barY))\" width=\"\(f(max(0.5, x(to.at) - x(from.at))))\" height=\"\(f(barHeight))\" fill=\"\(Self.colour(to.stage))\"><title>\(escape(row.node.name)): \(Self.label(from.stage)) to \(Self.label(to.stage)) \(f(to.at - from.at)) s</title></rect>"
            }
            for mark in row.marks {
                out += "<rect x=\"\(f(x(mark.at) - 0.75))\" y=\"\(f(y + 1))\" width=\"1.5\" height=\"\(f(rowHeight - 2))\" fill=\"\(Self.colour(mark.stage))\"/>"
            }
            let slow = row.total > slowOver
            let total = row.marks.isEmpty ? "not seen" : "\(f(row.total)) s\(row.failed ? " failed" : slow ? " slow" : "")"
            if index % labelEvery == 0 || row.failed || slow {
                let colour = row.failed ? "#d62728" : slow ? "#e8710a" : "#333"
                out += "<text x=\"\(f(Self.width - Self.totalWidth))\" y=\"\(f(y + rowHeight - 3))\" font-size=\"\(f(min(11, max(rowHeight, 7))))\" fill=\"\(colour)\"\(row.failed || slow ? " font-weight=\"bold\"" : "")>\(total)</text>"
            }
            out += "\n"
        }
        let failed = rows.filter(\.failed).count, slow = rows.filter { $0.total > slowOver && !$0.failed }.count
        out += "<text x=\"10\" y=\"\(f(bottom + 24))\" fill=\"#333\">\(rows.count) nodes, \(rows.filter { !$0.marks.isEmpty }.count) seen, \(failed) failed, \(slow) slow; time from \(rows.contains { $0.wave != nil } ? "the rollout's start" : "the first answer")</text>\n"
        out += "</svg>\n"
        return out
    }

    /// A page around the SVG, for a browser.
    public func html() -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>body { margin: 12px; background: #fafafa; } svg { background: #fff; box-shadow: 0 0 4px #ccc; }</style></head>
        <body>
        \(svg())</body>
        </html>

        """
    }

    func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
