import FarmModel

/// Intel's pxe.conf as written: `[Section]` headers, each followed by value
/// lines; `#` starts a comment line (reference digest §2). Sections keep
/// their order and the position of every line for messages.
public struct PXEConf: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var text: String
        public var location: SourceLocation
    }

    public struct Section: Hashable, Sendable {
        public var name: String
        public var lines: [Line]
        public var location: SourceLocation
    }

    public var sections: [Section]

    /// The section named `name` (case-insensitive, as the Intel daemon reads it).
    public func section(_ name: String) -> Section? {
        sections.first { $0.name.lowercased() == name.lowercased() }
    }

    public static func parse(_ text: String, file: String) throws(ImportError) -> PXEConf {
        var sections: [Section] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            let trimmed = line.dropFirst(indent).reversed().drop { $0 == " " || $0 == "\t" }.reversed()
            let content = String(trimmed)
            let location = SourceLocation(file: file, line: lineNumber, column: indent + 1)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if content.hasPrefix("[") {
                guard content.hasSuffix("]"), content.count > 2 else {
                    throw ImportError("section header \"\(content)\" must be [NAME] on a line of its own", at: location)
                }
                let name = String(content.dropFirst().dropLast())
                if let first = sections.first(where: { $0.name.lowercased() == name.lowercased() }) {
                    throw ImportError("section [\(name)] appears again (first on line \(first.location.line))", at: location)
                }
                sections.append(Section(name: name, lines: [], location: location))
                continue
            }
            guard !sections.isEmpty else {
                throw ImportError("\"\(content)\" comes before the first [Section] header", at: location)
            }
            sections[sections.count - 1].lines.append(Line(text: content, location: location))
        }
        return PXEConf(sections: sections)
    }
}
