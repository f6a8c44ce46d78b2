/// How the newc stream is compressed. gzip is compressed here in parallel blocks
/// (one gzip member, readable by any gunzip and by the kernel); xz through liblzma
/// with the CRC32 check the kernel requires; zstd through libarchive's filter with
/// one thread per core.
public enum Compression: String, CaseIterable, Hashable, Sendable {
    case none, gzip, zstd, xz

    public var levels: ClosedRange<Int> {
        switch self {
        case .none: 0...0
        case .gzip: 1...9
        case .zstd: 1...19
        case .xz: 0...9
        }
    }

    public var defaultLevel: Int {
        switch self {
        case .none: 0
        case .gzip: 6
        case .zstd: 3
        case .xz: 6
        }
    }
}

/// A compression and the level to use, checked against the compressor's range.
public struct CompressionSetting: Hashable, Sendable {
    public let compression: Compression
    public let level: Int

    public init(_ compression: Compression, level: Int? = nil) throws {
        let level = level ?? compression.defaultLevel
        guard compression.levels.contains(level) else {
            throw InitrdError.invalidLevel(compression: compression.rawValue, level: level, range: compression.levels)
        }
        self.compression = compression
        self.level = level
    }
}
