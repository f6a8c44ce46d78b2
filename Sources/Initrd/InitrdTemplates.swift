#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The templates folder the initrd's /init and udhcpc script come from. Which
/// folder that is (--templates, $PXEFARM_TEMPLATES, the installed one, the
/// checkout's) is decided once, by BootConfig's TemplateDirectory.
public struct InitrdTemplates: Hashable, Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func file(_ name: String) throws -> [UInt8] {
        let path = self.path + "/" + name
        guard access(path, R_OK) == 0 else { throw InitrdError.templateMissing(name: name, searched: [self.path]) }
        return try FileReading.bytes(of: path)
    }
}
