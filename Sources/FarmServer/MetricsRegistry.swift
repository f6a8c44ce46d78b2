import Foundation

/// Metrics as values, rendered in Prometheus' text exposition format (version
/// 0.0.4): one `# HELP` and `# TYPE` line per family, then its samples. Pure:
/// the daemon fills one at each scrape from its counters; tests compare the
/// text with a golden file and `promtool check metrics`.
public struct MetricsRegistry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case counter, gauge, histogram
    }

    /// A label set, in the order given (names must match `[a-zA-Z_][a-zA-Z0-9_]*`).
    public typealias Labels = [(name: String, value: String)]

    struct Sample: Sendable, Hashable {
        var labels: [String]
        var values: [String]
        var value: Value
    }

    enum Value: Sendable, Hashable {
        case number(Double)
        case histogram(Histogram)
    }

    struct Family: Sendable, Hashable {
        var help: String
        var kind: Kind
        var samples: [Sample] = []
    }

    private var families: [String: Family] = [:]

    public init() {}

    /// Declares a family, so that it is rendered (with HELP and TYPE) even before its first sample.
    public mutating func declare(_ name: String, _ kind: Kind, help: String) {
        if families[name] == nil { families[name] = Family(help: help, kind: kind) }
    }

    public mutating func counter(_ name: String, help: String, labels: Labels = [], _ value: Double) {
        add(name, .counter, help: help, labels: labels, .number(value))
    }

    public mutating func gauge(_ name: String, help: String, labels: Labels = [], _ value: Double) {
        add(name, .gauge, help: help, labels: labels, .number(value))
    }

    public mutating func histogram(_ name: String, help: String, labels: Labels = [], _ histogram: Histogram) {
        add(name, .histogram, help: help, labels: labels, .histogram(histogram))
    }

    private mutating func add(_ name: String, _ kind: Kind, help: String, labels: Labels, _ value: Value) {
        declare(name, kind, help: help)
        families[name]?.samples.append(Sample(labels: labels.map(\.name), values: labels.map(\.value), value: value))
    }

    /// The exposition text: families by name, samples by label values, so the
    /// same metrics always give the same bytes.
    public func rendered() -> String {
        var text = ""
        for name in families.keys.sorted() {
            let family = families[name]!
            text += "# HELP \(name) \(Self.escapeHelp(family.help))\n# TYPE \(name) \(family.kind.rawValue)\n"
            for sample in family.samples.sorted(by: { $0.values.lexicographicallyPrecedes($1.values) }) {
                switch sample.value {
                case .number(let value):
                    text += "\(name)\(Self.labelText(sample.labels, sample.values)) \(Self.number(value))\n"
                case .histogram(let histogram):
                    for (bound, count) in zip(histogram.bounds, histogram.cumulativeCounts) {
                        text += "\(name)_bucket\(Self.labelText(sample.labels + ["le"], sample.values + [Self.number(bound)])) \(count)\n"
                    }
                    text += "\(name)_bucket\(Self.labelText(sample.labels + ["le"], sample.values + ["+Inf"])) \(histogram.count)\n"
                    text += "\(name)_sum\(Self.labelText(sample.labels, sample.values)) \(Self.number(histogram.sum))\n"
                    text += "\(name)_count\(Self.labelText(sample.labels, sample.values)) \(histogram.count)\n"
                }
            }
        }
        return text
    }

    static func labelText(_ names: [String], _ values: [String]) -> String {
        guard !names.isEmpty else { return "" }
        return "{" + zip(names, values).map { "\($0)=\"\(escapeLabel($1))\"" }.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapeLabel(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// HELP text escapes backslash and line feed.
    static func escapeHelp(_ help: String) -> String {
        help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Whole numbers without a fraction; others in Swift's shortest round-trip form.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

/// Observations counted into buckets with upper bounds (`le`), as Prometheus
/// histograms are: each bucket counts the observations at or below its bound.
public struct Histogram: Sendable, Hashable {
    public let bounds: [Double]
    private var counts: [Int]
    public private(set) var count = 0
    public private(set) var sum = 0.0

    /// Seconds, from a quick TFTP file to a large initrd over a slow link.
    public static let transferSeconds: [Double] = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    public init(bounds: [Double]) {
        self.bounds = bounds.sorted()
        counts = Array(repeating: 0, count: bounds.count)
    }

    public mutating func observe(_ value: Double) {
        count += 1
        sum += value
        if let index = bounds.firstIndex(where: { value <= $0 }) { counts[index] += 1 }
    }

    /// Observations at or below each bound.
    public var cumulativeCounts: [Int] {
        var running = 0
        return counts.map { running += $0; return running }
    }
}
