import FarmModel
import FileIO
import Glibc

/// The loader's only reach into the file system: reading the farm file and
/// the node lists beside it, and asking what a path is. With a `log`, every
/// path it reads or asks about is recorded there.
public struct LocalFiles: Sendable {
    public var log: ReadLog?

    public init(log: ReadLog? = nil) { self.log = log }

    public enum ReadError: Error, CustomStringConvertible {
        case cannotRead(path: String, reason: String)

        public var description: String {
            switch self {
            case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
            }
        }
    }

    public func read(_ path: String) throws(ReadError) -> String {
        log?.record(path)
        let bytes: [UInt8]
        do {
            bytes = try WholeFile.read(path)
        } catch {
            throw .cannotRead(path: path, reason: error.reason)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .cannotRead(path: path, reason: "it is not UTF-8 text")
        }
        return text
    }

    public func kind(of path: String) -> FileProbe.Kind? {
        log?.record(path)
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default: return nil
        }
    }

    public var probe: FileProbe { FileProbe({ kind(of: $0) }, signed: { isSigned($0) }) }

    /// Whether a PE image carries a signature, from its first bytes.
    public func isSigned(_ path: String) -> Bool? {
        log?.record(path)
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
}
