import Foundation

/// manifest.json: for every output of a generation, the hash it was made
/// with and the inputs it came from. The next build compares against it.
public struct Manifest: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        /// What decides whether the output must be made again: the content
        /// hash for text and copies, the inputs' hash for produced files.
        public var key: String
        public var group: OutputGroup
        public var inputs: [String]
        /// For copies: the source file as last seen, so an unchanged source
        /// is not hashed again.
        public var source: SourceStamp?

        public init(key: String, group: OutputGroup, inputs: [String], source: SourceStamp? = nil) {
            self.key = key
            self.group = group
            self.inputs = inputs
            self.source = source
        }
    }

    /// A source file's identity: path, size, modification time, inode.
    public struct SourceStamp: Codable, Equatable, Sendable {
        public var path: String
        public var size, modified: Int64
        public var inode: UInt64
    }

    public var format = 1
    public var farm: String
    public var generation: Int
    public var outputs: [String: Entry]

    public init(farm: String, generation: Int, outputs: [String: Entry]) {
        self.farm = farm
        self.generation = generation
        self.outputs = outputs
    }

    public static let fileName = "manifest.json"

    public func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    public static func decode(_ bytes: [UInt8]) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(bytes))
    }
}
