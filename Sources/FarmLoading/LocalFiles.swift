import FarmModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The loader's only reach into the file system: reading the farm file and
/// the node lists beside it, and asking what a path is.
public struct LocalFiles: Sendable {
    public init() {}

    public enum ReadError: Error, CustomStringConvertible {
        case cannotRead(path: String, reason: String)

        public var description: String {
            switch self {
            case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
            }
        }
    }

    public func read(_ path: String) throws(ReadError) -> String {
        guard let handle = fopen(path, "rb") else {
            throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count > 0 { bytes += buffer[0..<count] }
            if count < buffer.count {
                if ferror(handle) != 0 { throw .cannotRead(path: path, reason: String(cString: strerror(errno))) }
                break
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .cannotRead(path: path, reason: "it is not UTF-8 text")
        }
        return text
    }

    public func kind(of path: String) -> FileProbe.Kind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default: return nil
        }
    }

    public var probe: FileProbe { FileProbe({ LocalFiles().kind(of: $0) }, signed: { LocalFiles().isSigned($0) }) }

    /// Whether a PE image carries a signature, from its first bytes.
    public func isSigned(_ path: String) -> Bool? {
        guard let handle = fopen(path, "rb") else { return nil }
        defer { fclose(handle) }
        var buffer = [UInt8](repeating: 0, count: PECertificateTable.headerSize)
        let count = fread(&buffer, 1, buffer.count, handle)
        return PECertificateTable.isSigned(header: Array(buffer[0..<count]))
    }

    public func resolve(_ path: String, against directory: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
