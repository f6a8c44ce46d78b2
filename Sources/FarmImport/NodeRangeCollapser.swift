import FarmModel

/// Finds runs of nodes a farm file can write as one range entry: the same
/// service and kernel arguments, names that differ only in a number counting
/// up by one (`n040`, `n041`, ...; the first name's digits set the padding,
/// as `NodeNamePattern` expands them) and addresses counting up by one.
enum NodeRangeCollapser {
    /// A run of nodes; one node alone stays a single entry.
    struct Run {
        var nodes: [Node]
        var pattern: String?
    }

    /// Runs shorter than this stay single entries: a range is for many nodes.
    static let minimumRun = 3

    static func runs(_ nodes: [Node]) -> [Run] {
        var runs: [Run] = []
        var index = 0
        while index < nodes.count {
            var end = index + 1
            if let first = NumberedName(nodes[index].name) {
                while end < nodes.count, continues(from: nodes[end - 1], to: nodes[end], first: first, offset: end - index) { end += 1 }
            }
            let run = Array(nodes[index..<end])
            if run.count >= minimumRun, let first = NumberedName(run[0].name) {
                let last = first.number + run.count - 1
                let pattern = "\(first.prefix)[\(first.digits)-\(NumberedName.format(last, width: first.digits.count))]\(first.suffix)"
                if (try? NodeNamePattern(pattern))?.names == run.map(\.name) {
                    runs.append(Run(nodes: run, pattern: pattern))
                    index = end
                    continue
                }
            }
            runs.append(Run(nodes: [nodes[index]], pattern: nil))
            index += 1
        }
        return runs
    }

    static func continues(from previous: Node, to next: Node, first: NumberedName, offset: Int) -> Bool {
        guard next.service == previous.service, next.kernelArguments == previous.kernelArguments,
              next.files.isEmpty, previous.files.isEmpty,
              previous.ip.advanced(by: 1) == next.ip,
              let numbered = NumberedName(next.name), numbered.prefix == first.prefix, numbered.suffix == first.suffix,
              numbered.number == first.number + offset,
              numbered.digits == NumberedName.format(numbered.number, width: first.digits.count)
        else { return false }
        return true
    }

    /// `n040`: prefix `n`, digits `040`, suffix empty (the last run of digits).
    struct NumberedName {
        var prefix: String
        var digits: String
        var suffix: String
        var number: Int

        init?(_ name: String) {
            let characters = Array(name)
            guard let lastDigit = characters.lastIndex(where: { $0.isASCII && $0.isNumber }) else { return nil }
            var start = lastDigit
            while start > 0, characters[start - 1].isASCII, characters[start - 1].isNumber { start -= 1 }
            let digits = String(characters[start...lastDigit])
            guard digits.count <= 9, let number = Int(digits) else { return nil }
            self.prefix = String(characters[..<start])
            self.digits = digits
            self.suffix = String(characters[(lastDigit + 1)...])
            self.number = number
        }

        static func format(_ number: Int, width: Int) -> String {
            let text = String(number)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
    }
}
