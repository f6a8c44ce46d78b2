/// The plan in words: counts per group, then each change.
public enum PlanReport {
    public static func text(_ plan: BuildPlan, listing: Bool = true) -> String {
        var lines: [String] = []
        let counts = plan.counts
        for group in OutputGroup.allCases {
            guard let changes = counts[group] else { continue }
            let parts = BuildPlan.Change.allCases.map { change in
                "\(changes[change, default: 0]) \(change == .keep ? "unchanged" : change.rawValue)"
            }
            lines.append("  " + group.rawValue.padding(22) + parts.joined(separator: ", "))
        }
        if listing {
            for item in plan.items where item.change != .keep {
                let mark = switch item.change {
                case .create: "+"
                case .update: "~"
                case .delete: "-"
                case .keep: " "
                }
                lines.append("  \(mark) \(item.path)")
            }
        }
        lines.append("\(plan.changedCount) changed")
        return lines.joined(separator: "\n") + "\n"
    }

    public static func summary(_ summary: BuildSummary, nodes: Int) -> String {
        let generation = summary.generation.map { "generation \($0)" } ?? "no generation"
        let megabytes = Double(summary.bytesWritten) / 1_048_576
        var text = "\(generation): \(nodes) nodes (\(summary.nodesCreated) new), \(summary.filesWritten) files written, "
            + "\(formatted(megabytes)) MiB, \(seconds(summary.seconds)) s; \(summary.changed) changed"
        if !summary.notMade.isEmpty {
            text += "\nnot made without root: \(summary.notMade.count) device nodes (the initrd carries them), e.g. \(summary.notMade[0])"
        }
        if !summary.notKept.isEmpty {
            let why = FileSystem.isRoot ? "(the file system refused them)" : "without root"
            text += "\nnot kept \(why): owners or extended attributes of \(summary.notKept.count) files, e.g. \(summary.notKept[0])"
        }
        return text + "\n"
    }

    /// Tenths from a second up, hundredths below: a no-op is not "0.0 s".
    static func seconds(_ value: Double) -> String {
        guard value < 0.995 else { return formatted(value) }
        let hundredths = Int((value * 100).rounded())
        return "0." + (hundredths < 10 ? "0" : "") + "\(hundredths)"
    }

    static func formatted(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
