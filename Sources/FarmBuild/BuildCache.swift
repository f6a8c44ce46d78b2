import FarmModel

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
/// with when that signature differs. With an `invocation`, it also holds
/// what `build` was asked and every file loading the farm read or looked at
/// (`loaded`), so that the same command over the same files skips loading
/// too (`Builder.unchangedBuild`). A value; `encoded()` and `decode` are its
/// line format (one record a line, fields split by tabs, paths escaped).
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

        /// The signature of `path` now (lstat, or stat `following` symlinks), nil when nothing is there.
        public static func of(_ path: String, following: Bool = false) -> Signature? {
            FileSystem.status(path, following: following).map(Signature.init)
        }

        /// The signature of `path` inside the open folder `directory` (fstatat, no symlink followed).
        public static func of(_ path: String, in directory: Int32) -> Signature? {
            FileSystem.status(path, in: directory).map(Signature.init)
        }
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
    static let header = "pxefarm build cache 2"

    public var inputs: String
    public var generation: Int
    /// The digest of what `build` was asked (`BuildInputs.invocation` in the command); nil when
    /// the next build must load the farm (a file loading read changed while
    /// it ran, or loading had something to say).
    public var invocation: String?
    /// How many nodes the farm has, for the summary of a build that does not load it.
    public var nodes: Int
    /// The files loading read or looked at, with their stat(2) signatures
    /// (symlinks followed: a farm file may be a link to the real one).
    public var loaded: [Watched]
    public var watched: [Watched]
    public var items: [Item]
    /// Image paths the build could not store (sockets), for the report.
    public var skipped: [String]

    public init(inputs: String, generation: Int, invocation: String? = nil, nodes: Int = 0, loaded: [Watched] = [],
                watched: [Watched], items: [Item], skipped: [String] = []) {
        self.inputs = inputs
        self.generation = generation
        self.invocation = invocation
        self.nodes = nodes
        self.loaded = loaded
        self.watched = watched
        self.items = items
        self.skipped = skipped
    }

    public func encoded() -> String {
        var lines = [Self.header + "\t" + inputs + "\t\(generation)\t" + (invocation ?? "-") + "\t\(nodes)"]
        lines.reserveCapacity(loaded.count + watched.count + items.count + skipped.count + 1)
        for entry in loaded { lines.append("r\t" + Self.text(entry.signature) + "\t" + Self.escaped(entry.path)) }
        for entry in watched { lines.append("w\t" + Self.text(entry.signature) + "\t" + Self.escaped(entry.path)) }
        for item in items {
            let group = String(OutputGroup.allCases.firstIndex(of: item.group)!)
            lines.append("i\t" + group + "\t" + Self.letter(item.placement) + "\t" + (item.key.map(Self.escaped) ?? "-") + "\t" + Self.text(item.signature) + "\t" + Self.escaped(item.path))
        }
        for path in skipped { lines.append("s\t" + Self.escaped(path)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// nil for anything not written by `encoded()` of this format: a cache
    /// that cannot be read is no cache, and the build is made in full. Read
    /// byte by byte (a 10,000-node record is over 100,000 lines, read on
    /// every no-op build).
    public static func decode(_ bytes: [UInt8]) -> BuildCache? {
        bytes.withUnsafeBufferPointer { decode(Record(bytes: $0)) }
    }

    private static func decode(_ record: Record) -> BuildCache? {
        var fields: [Range<Int>] = []
        var start = 0
        var cache: BuildCache?
        while start < record.bytes.count {
            let end = record.bytes[start...].firstIndex(of: 0x0A) ?? record.bytes.count
            record.split(start..<end, into: &fields)
            start = end + 1
            guard var current = cache else {
                guard fields.count == 5, record.string(fields[0]) == header, let generation = record.integer(fields[2]),
                      let nodes = record.integer(fields[4]) else { return nil }
                let invocation = record.string(fields[3])
                cache = BuildCache(inputs: record.string(fields[1]), generation: Int(generation), invocation: invocation == "-" ? nil : invocation,
                                   nodes: Int(nodes), watched: [], items: [])
                cache?.items.reserveCapacity(record.bytes.count / 100)
                continue
            }
            cache = nil
            switch (record.bytes[fields[0].lowerBound], fields[0].count) {
            case (UInt8(ascii: "w"), 1), (UInt8(ascii: "r"), 1):
                guard fields.count == 3, let parsed = record.signature(fields[1]) else { return nil }
                let entry = Watched(path: record.path(fields[2]), signature: parsed)
                if record.bytes[fields[0].lowerBound] == UInt8(ascii: "r") { current.loaded.append(entry) } else { current.watched.append(entry) }
            case (UInt8(ascii: "i"), 1):
                guard fields.count == 6, let index = record.integer(fields[1]), OutputGroup.allCases.indices.contains(Int(index)),
                      let placement = placement(record.string(fields[2])), let parsed = record.signature(fields[4]) else { return nil }
                let absent = fields[3].count == 1 && record.bytes[fields[3].lowerBound] == UInt8(ascii: "-")
                current.items.append(Item(path: record.path(fields[5]), group: OutputGroup.allCases[Int(index)], placement: placement,
                                          key: absent ? nil : record.path(fields[3]), signature: parsed))
            case (UInt8(ascii: "s"), 1):
                guard fields.count == 2 else { return nil }
                current.skipped.append(record.path(fields[1]))
            default:
                return nil
            }
            cache = current
        }
        return cache
    }

    /// The bytes of a record being read, and how to take its fields apart.
    private struct Record {
        let bytes: UnsafeBufferPointer<UInt8>

        /// The tab-separated fields of one line, empty ones included.
        func split(_ line: Range<Int>, into fields: inout [Range<Int>]) {
            fields.removeAll(keepingCapacity: true)
            var start = line.lowerBound
            for index in line where bytes[index] == 0x09 {
                fields.append(start..<index)
                start = index + 1
            }
            fields.append(start..<line.upperBound)
        }

        func string(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        func path(_ range: Range<Int>) -> String {
            let text = string(range)
            return bytes[range].contains(0x25) ? BuildCache.unescaped(text) : text
        }

        /// A decimal number without sign, nil for anything else.
        func integer(_ range: Range<Int>) -> UInt64? {
            guard !range.isEmpty, range.count <= 19 else { return nil }
            var value: UInt64 = 0
            for index in range {
                let digit = bytes[index] &- 0x30
                guard digit < 10 else { return nil }
                value = value * 10 + UInt64(digit)
            }
            return value
        }

        /// `f:644:SIZE:MTIME:CTIME:INODE`, or `-`. The outer nil: not a signature; the inner: absent.
        func signature(_ range: Range<Int>) -> Signature?? {
            if range.count == 1, bytes[range.lowerBound] == UInt8(ascii: "-") { return .some(nil) }
            // One pass, no allocation: this runs for every line of the record.
            guard range.count > 2, bytes[range.lowerBound + 1] == UInt8(ascii: ":") else { return nil }
            let kind: FileSystem.Status.Kind
            switch bytes[range.lowerBound] {
            case UInt8(ascii: "f"): kind = .file
            case UInt8(ascii: "d"): kind = .directory
            case UInt8(ascii: "l"): kind = .symlink
            case UInt8(ascii: "o"): kind = .other
            default: return nil
            }
            var cursor = range.lowerBound + 2
            /// The number up to the next `:` (or the end, for the last), in `radix`.
            func number(radix: UInt64, last: Bool = false) -> UInt64? {
                let start = cursor
                var value: UInt64 = 0
                while cursor < range.upperBound, bytes[cursor] != UInt8(ascii: ":") {
                    let digit = UInt64(bytes[cursor] &- 0x30)
                    guard digit < radix, cursor - start < 19 else { return nil }
                    value = value * radix + digit
                    cursor += 1
                }
                guard cursor > start, last ? cursor == range.upperBound : cursor < range.upperBound else { return nil }
                cursor += 1
                return value
            }
            guard let mode = number(radix: 8), mode <= UInt64(UInt32.max), let size = number(radix: 10), let modified = number(radix: 10),
                  let changed = number(radix: 10), let inode = number(radix: 10, last: true) else { return nil }
            return Signature(kind: kind, mode: UInt32(mode), size: Int64(size), modified: Int64(modified), changed: Int64(changed), inode: inode)
        }
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

    /// Paths may hold any byte but NUL: `%`, tab and newline are written %25, %09, %0A.
    static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x25 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return pathEscapes.escape(text)
    }

    static let pathEscapes = ScalarEscapes(["%": "%25", "\t": "%09", "\n": "%0A", "\r": "%0D"])

    static func unescaped(_ text: String) -> String {
        guard text.utf8.contains(0x25) else { return text }
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
