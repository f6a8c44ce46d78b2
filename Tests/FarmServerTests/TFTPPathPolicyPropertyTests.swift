import Foundation
import Testing
@testable import FarmServer

/// Every file the TFTP path resolver accepts lies inside the root once
/// symlinks are resolved, checked against the real file system: random trees
/// with random symlinks (relative and absolute, inside the root, out of it,
/// dangling, looping) in temporary directories, and random names built from
/// the tree's own names plus `.`, `..`, empty components and odd bytes.
@Suite struct TFTPPathPolicyPropertyTests {
    @Test(arguments: 0..<12) func acceptedFilesLieInsideTheRoot(seed: UInt64) throws {
        var random = SplitMix(seed: 0x7F7 + seed)
        let tree = try RandomTree(random: &random)
        defer { tree.remove() }
        let policy = try TFTPPathPolicy(root: tree.root)
        let realRoot = try #require(realPath(tree.root))
        var accepted = 0
        for _ in 0..<400 {
            let name = tree.randomName(random: &random)
            let lexical = try? TFTPPathPolicy.checkedRelativeName(name)
            let real = lexical.flatMap { realPath(tree.root + "/" + $0) }
            do {
                let path = try policy.resolve(name).path
                accepted += 1
                // Inside the root, fully resolved, a regular file: asked of the file system itself.
                #expect(path.hasPrefix(realRoot + "/"), "\(String(decoding: name, as: UTF8.self)) -> \(path)")
                #expect(realPath(path) == path)
                #expect(noSymlinkOnTheWay(path, under: realRoot))
                var info = stat()
                #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG)
            } catch {
                // Refused: then it is not a regular file inside the root reachable by a clean name.
                if let real, real.hasPrefix(realRoot + "/") {
                    var info = stat()
                    #expect(!(stat(real, &info) == 0 && info.st_mode & S_IFMT == S_IFREG),
                            "refused a regular file inside the root: \(String(decoding: name, as: UTF8.self)) (\(error))")
                }
            }
        }
        #expect(accepted > 0, "the random names reached no file; the property was not exercised")
    }

    func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Each component below the root is a real directory or, last, the file: no symlink left.
    func noSymlinkOnTheWay(_ path: String, under root: String) -> Bool {
        var current = root
        for component in path.dropFirst(root.count + 1).split(separator: "/") {
            current += "/" + component
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT != S_IFLNK else { return false }
        }
        return true
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// base/root is the TFTP root, base/outside a sibling with files of its own
/// (what an escaping symlink would reach).
struct RandomTree {
    let base: String
    var root: String { base + "/root" }
    private(set) var names: [String] = ["root", "outside", "secret"]
    private(set) var relativeDirectories: [String] = [""]

    init(random: inout SplitMix) throws {
        base = NSTemporaryDirectory() + "pxefarm-pathprop-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: base + "/outside/deeper", withIntermediateDirectories: true)
        try Self.create(base + "/outside/secret", Data("secret".utf8))
        try Self.create(base + "/outside/deeper/secret", Data("secret".utf8))
        try Self.create(base + "/secret", Data("secret".utf8))
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        for index in 0..<Int.random(in: 20...40, using: &random) {
            let parent = relativeDirectories.randomElement(using: &random)!
            let name = ["d", "f", "l", "linux.", "x y", "é"].randomElement(using: &random)! + "\(index)"
            let relative = parent.isEmpty ? name : parent + "/" + name
            let path = root + "/" + relative
            names.append(name)
            switch Int.random(in: 0..<10, using: &random) {
            case 0...2:
                try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
                relativeDirectories.append(relative)
            case 3...5:
                try Self.create(path, Data([UInt8(index)]))
            default:
                let depth = parent.split(separator: "/").count
                let up = String(repeating: "../", count: depth)
                let targets = [
                    up + "../outside/secret", up + "../secret", up + "../outside", up + "..", "/etc/passwd", "/",
                    base + "/outside/deeper", root, up + (names.randomElement(using: &random)!),
                    relativeDirectories.randomElement(using: &random)!.isEmpty ? "." : up + relativeDirectories.randomElement(using: &random)!,
                    "missing", name, up + "../root/" + (names.randomElement(using: &random)!),
                ]
                try fm.createSymbolicLink(atPath: path, withDestinationPath: targets.randomElement(using: &random)!)
            }
        }
    }

    struct CannotCreate: Error { var path: String }

    static func create(_ path: String, _ contents: Data) throws {
        guard FileManager.default.createFile(atPath: path, contents: contents) else { throw CannotCreate(path: path) }
    }

    func randomName(random: inout SplitMix) -> [UInt8] {
        let components = (0..<Int.random(in: 1...5, using: &random)).map { _ -> String in
            switch Int.random(in: 0..<12, using: &random) {
            case 0: return ".."
            case 1: return "."
            case 2: return ""
            case 3: return "outside"
            default: return names.randomElement(using: &random)!
            }
        }
        var name = Array((Bool.random(using: &random) ? "/" : "").utf8) + Array(components.joined(separator: "/").utf8)
        if Int.random(in: 0..<20, using: &random) == 0 { name.insert([0, 0x5C, 0xFF, 0x7F].randomElement(using: &random)!, at: Int.random(in: 0...name.count, using: &random)) }
        // Reach the tree's deeper entries too: a directory path plus one of the names.
        if Int.random(in: 0..<2, using: &random) == 0, let directory = relativeDirectories.randomElement(using: &random), !directory.isEmpty {
            name = Array((directory + "/" + names.randomElement(using: &random)!).utf8)
        }
        return name
    }

    func remove() { try? FileManager.default.removeItem(atPath: base) }
}
