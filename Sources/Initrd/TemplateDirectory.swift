#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds pxefarm's templates folder: an explicit one, $PXEFARM_TEMPLATES, the
/// installed `<prefix>/share/pxefarm/templates` beside `<prefix>/bin/pxefarm`, or
/// the source checkout this module was built from.
public struct TemplateDirectory: Hashable, Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The first candidate that holds `initrd/init`.
    public static func locate(explicit: String? = nil, environment: [String: String]) throws -> TemplateDirectory {
        let candidates = searchPath(explicit: explicit, environment: environment)
        for candidate in candidates where access(candidate + "/initrd/init", R_OK) == 0 {
            return TemplateDirectory(path: candidate)
        }
        throw InitrdError.templateMissing(name: "initrd/init", searched: candidates)
    }

    static func searchPath(explicit: String?, environment: [String: String]) -> [String] {
        if let explicit { return [explicit] }
        var candidates: [String] = []
        if let fromEnvironment = environment["PXEFARM_TEMPLATES"], !fromEnvironment.isEmpty {
            candidates.append(fromEnvironment)
        }
        if let executable = executablePath() {
            let binDirectory = parent(executable)
            candidates.append(parent(binDirectory) + "/share/pxefarm/templates")
        }
        // Sources/Initrd/TemplateDirectory.swift -> the checkout's templates/.
        candidates.append(parent(parent(parent(#filePath))) + "/templates")
        return candidates
    }

    public func file(_ name: String) throws -> [UInt8] {
        let path = self.path + "/" + name
        guard access(path, R_OK) == 0 else { throw InitrdError.templateMissing(name: name, searched: [self.path]) }
        return try FileReading.bytes(of: path)
    }

    private static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink("/proc/self/exe", &buffer, 4096)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
