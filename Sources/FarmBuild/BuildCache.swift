/// `.pxefarm/build-cache`: what the last build was made from and what it
/// left on disk, so that a build whose inputs are all unchanged is known to
/// change nothing without rendering or reading anything again.
///
/// It holds the digest of every input given as values (farm file, node
/// lists, templates, kickstart files, kernels, pxefarm itself; see
/// `InputDigest`), the generation it was recorded with, the stat signature
/// of every file read from disk (image trees, kernels, boot programs, node
/// files, initrd inputs), and every item of the plan with, for the files in
/// node trees, the signature they had once written and the key to compare
/// with when that signature differs. A value; `encoded()` and `decode` are
/// its line format (one record a line, fields split by tabs, paths escaped).
public struct BuildCache: Sendable, Equatable {
    /// The fields of lstat(2) that change whenever a file's content, type,
    /// mode, owner or attributes do; nil in a record means "absent".
    public struct Signature: Sendable, Equatable {
        public var kind: FileSystem.Status.Kind
        public var mode: UInt32
        public var size: Int64
        public var modified: Int64
        public var changed: Int64
        public var inode: UInt64

        public init(_ status: FileSystem.Status) {
            kind = status.kind
            mode = status.mode
            size = status.size
            modified = status.modified
            changed = status.changed
            inode = status.inode
        }

        public init(kind: FileSystem.Status.Kind, mode: UInt32, size: Int64, modified: Int64, changed: Int64, inode: UInt64) {
            self.kind = kind
            self.mode = mode
            self.size = size
            self.modified = modified
            self.changed = changed
            self.inode = inode
        }

        /// The signature of `path` now (lstat), nil when nothing is there.
        public static func of(_ path: String) -> Signature? { FileSystem.status(path).map(Signature.init) }
    }

    /// A file an input was read from, as it was when read.
    public struct Watched: Sendable, Equatable {
        public var path: String
        public var signature: Signature?

        public init(path: String, signature: Signature?) {
            self.path = path
            self.signature = signature
        }
    }

    /// One item of the plan; `signature` and `key` only for node-tree files.
    public struct Item: Sendable, Equatable {
        public var path: String
        public var group: OutputGroup
        public var placement: Placement
        /// For a managed node file, the key its content must have.
        public var key: String?
        /// For managed and identity files, the signature they had after the build.
        public var signature: Signature?

        public init(path: String, group: OutputGroup, placement: Placement, key: String? = nil, signature: Signature? = nil) {
            self.path = path
            self.group = group
            self.placement = placement
            self.key = key
            self.signature = signature
        }
    }

    public static let fileName = "build-cache"
    static let header = "pxefarm build cache 1"

    public var inputs: String
    public var generation: Int
    public var watched: [Watched]
    public var items: [Item]
    /// Image paths the build could not store (sockets), for the report.
    public var skipped: [String]

    public init(inputs: String, generation: Int, watched: [Watched], items: [Item], skipped: [String] = []) {
        self.inputs = inputs
        self.generation = generation
        self.watched = watched
        self.items = items
        self.skipped = skipped
    }

    public func encoded() -> String {
        var lines = [Self.header + "\t" + inputs + "\t\(generation)"]
        lines.reserveCapacity(watched.count + items.count + skipped.count + 1)
        for entry in watched { lines.append("w\t" + Self.text(entry.signature) + "\t" + Self.escaped(entry.path)) }
        for item in items {
            let group = String(OutputGroup.allCases.firstIndex(of: item.group)!)
            lines.append("i\t" + group + "\t" + Self.letter(item.placement) + "\t" + (item.key.map(Self.escaped) ?? "-") + "\t" + Self.text(item.signature) + "\t" + Self.escaped(item.path))
        }
        for path in skipped { lines.append("s\t" + Self.escaped(path)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// nil for anything not written by `encoded()` of this format: a cache
    /// that cannot be read is no cache, and the build is made in full.
    public static func decode(_ bytes: [UInt8]) -> BuildCache? {
        let lines = bytes.split(separator: 0x0A)
        guard let first = lines.first else { return nil }
        let head = fields(first)
        guard head.count == 3, head[0] == header, let generation = Int(head[2]) else { return nil }
        var cache = BuildCache(inputs: head[1], generation: generation, watched: [], items: [])
        cache.items.reserveCapacity(lines.count)
        for line in lines.dropFirst() {
            let parts = fields(line)
            switch parts.first {
            case "w":
                guard parts.count == 3, let parsed = signature(parts[1]) else { return nil }
                cache.watched.append(Watched(path: unescaped(parts[2]), signature: parsed))
            case "i":
                guard parts.count == 6, let index = Int(parts[1]), OutputGroup.allCases.indices.contains(index),
                      let placement = placement(parts[2]), let parsed = signature(parts[4]) else { return nil }
                cache.items.append(Item(path: unescaped(parts[5]), group: OutputGroup.allCases[index], placement: placement,
                                        key: parts[3] == "-" ? nil : unescaped(parts[3]), signature: parsed))
            case "s":
                guard parts.count == 2 else { return nil }
                cache.skipped.append(unescaped(parts[1]))
            default:
                return nil
            }
        }
        return cache
    }

    private static func fields(_ line: ArraySlice<UInt8>) -> [String] {
        line.split(separator: 0x09, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    static func letter(_ placement: Placement) -> String {
        switch placement {
        case .generation: "g"
        case .nodeSeed: "s"
        case .nodeManaged: "m"
        case .nodeIdentity: "n"
        }
    }

    static func placement(_ letter: String) -> Placement? {
        switch letter {
        case "g": .generation
        case "s": .nodeSeed
        case "m": .nodeManaged
        case "n": .nodeIdentity
        default: nil
        }
    }

    /// `f:644:SIZE:MTIME:CTIME:INODE`, or `-` for absent.
    static func text(_ signature: Signature?) -> String {
        guard let signature else { return "-" }
        let kind = switch signature.kind {
        case .file: "f"
        case .directory: "d"
        case .symlink: "l"
        case .other: "o"
        }
        return kind + ":" + String(signature.mode, radix: 8) + ":\(signature.size):\(signature.modified):\(signature.changed):\(signature.inode)"
    }

    /// The outer nil: not a signature; the inner: absent.
    static func signature(_ text: String) -> Signature?? {
        if text == "-" { return .some(nil) }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, let mode = UInt32(parts[1], radix: 8), let size = Int64(parts[2]),
              let modified = Int64(parts[3]), let changed = Int64(parts[4]), let inode = UInt64(parts[5]) else { return nil }
        let kind: FileSystem.Status.Kind
        switch parts[0] {
        case "f": kind = .file
        case "d": kind = .directory
        case "l": kind = .symlink
        case "o": kind = .other
        default: return nil
        }
        return Signature(kind: kind, mode: mode, size: size, modified: modified, changed: changed, inode: inode)
    }

    /// Paths may hold any byte but NUL: `%`, tab and newline are written %25, %09, %0A.
    static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "%" || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return text }
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "%": out += "%25"
            case "\t": out += "%09"
            case "\n": out += "%0A"
            case "\r": out += "%0D"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func unescaped(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var out = ""
        var rest = Substring(text)
        while let first = rest.first {
            let code = rest.prefix(3)
            if first == "%", let value = UInt8(code.dropFirst(), radix: 16), code.count == 3 {
                out.unicodeScalars.append(Unicode.Scalar(value))
                rest = rest.dropFirst(3)
            } else {
                out.append(first)
                rest = rest.dropFirst()
            }
        }
        return out
    }
}
