/// Buildroot's device table (makedevs) format, one line each:
///
///     <name> <type> <mode> <uid> <gid> <major> <minor> <start> <inc> <count>
///
/// `type` is `d` (directory), `c`/`b` (character/block device), `p` (FIFO) or `f`
/// (set the mode and owner of a file another source provides). A `count` above 0
/// makes `count` nodes named `<name><start>`, `<name><start+1>`, ... whose minor
/// numbers step by `inc`. `#` starts a comment; `-` stands for an unused field.
public struct DeviceTable: Hashable, Sendable {
    public var lines: [Line]
    /// Where the table came from, for messages (`file:line`).
    public var origin: String

    public struct Line: Hashable, Sendable {
        public var number: Int
        public var path: String
        public var type: Character
        public var permissions: UInt32
        public var uid: UInt32
        public var gid: UInt32
        public var major: UInt32
        public var minor: UInt32
        public var start: UInt32
        public var increment: UInt32
        public var count: UInt32
    }

    public init(lines: [Line], origin: String) {
        self.lines = lines
        self.origin = origin
    }

    /// Reads and parses a table file.
    public init(contentsOf path: String) throws {
        try self.init(parsing: try FileReading.text(of: path), origin: path)
    }

    /// Parses the text of a table; errors name `origin:line` and the field.
    public init(parsing text: String, origin: String) throws {
        var lines: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            func fail(_ message: String) -> InitrdError {
                InitrdError.deviceTable(file: origin, line: number, message: message)
            }
            guard fields.count == 10 else {
                throw fail("expected 10 fields (name type mode uid gid major minor start inc count), found \(fields.count)")
            }
            guard fields[1].count == 1, let type = fields[1].first, "dcbpf".contains(type) else {
                throw fail("type '\(fields[1])' is not one of d, c, b, p, f")
            }
            guard let mode = UInt32(fields[2], radix: 8), mode <= 0o7777 else {
                throw fail("mode '\(fields[2])' is not an octal permission (0-7777)")
            }
            func field(_ field: Int, _ name: String) throws -> UInt32 {
                if fields[field] == "-" { return 0 }
                guard let value = UInt32(fields[field]) else { throw fail("\(name) '\(fields[field])' is not a number") }
                return value
            }
            let path: String
            do { path = try EntryPath.normalize(String(fields[0]), origin: "\(origin):\(number)") } catch {
                throw fail("name '\(fields[0])' is not a valid path")
            }
            let line = Line(number: number, path: path, type: type, permissions: mode,
                            uid: try field(3, "uid"), gid: try field(4, "gid"),
                            major: try field(5, "major"), minor: try field(6, "minor"),
                            start: try field(7, "start"), increment: try field(8, "inc"),
                            count: try field(9, "count"))
            if (type == "d" || type == "f" || type == "p") && line.count > 0 {
                throw fail("count is only meaningful for c and b lines")
            }
            lines.append(line)
        }
        self.init(lines: lines, origin: origin)
    }

    /// The nodes and directories the table makes (not the `f` lines, which change
    /// entries made elsewhere; see `attributeChanges`).
    public func entries() -> [InitrdEntry] {
        var entries: [InitrdEntry] = []
        for line in lines {
            func make(_ path: String, minor: UInt32) -> InitrdEntry? {
                let kind: InitrdEntry.Kind
                switch line.type {
                case "d": kind = .directory
                case "c": kind = .characterDevice(major: line.major, minor: minor)
                case "b": kind = .blockDevice(major: line.major, minor: minor)
                case "p": kind = .fifo
                default: return nil
                }
                return InitrdEntry(path: path, kind: kind, permissions: line.permissions, uid: line.uid, gid: line.gid)
            }
            if line.count == 0 {
                if let entry = make(line.path, minor: line.minor) { entries.append(entry) }
            } else {
                for step in 0..<line.count {
                    let name = line.path + String(line.start + step)
                    if let entry = make(name, minor: line.minor + step * line.increment) { entries.append(entry) }
                }
            }
        }
        return entries
    }

    /// The `f` lines: mode and owner for files that another source provides.
    public var attributeChanges: [Line] { lines.filter { $0.type == "f" } }
}
