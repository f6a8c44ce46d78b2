#if canImport(Glibc)
import Glibc
#endif

/// The xattr calls of libc. Glibc's Swift module leaves out <sys/xattr.h>,
/// so they are looked up once by name in the C library itself.
enum ExtendedAttributeCalls {
    typealias List = @convention(c) (UnsafePointer<CChar>, UnsafeMutablePointer<CChar>?, Int) -> Int
    typealias Get = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int
    typealias Set = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeRawPointer?, Int, Int32) -> Int32

    static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }  // RTLD_DEFAULT
        return unsafeBitCast(address, to: type)
    }

    nonisolated(unsafe) static let list = symbol("llistxattr", as: List.self)
    nonisolated(unsafe) static let get = symbol("lgetxattr", as: Get.self)
    nonisolated(unsafe) static let set = symbol("lsetxattr", as: Set.self)
}

extension FileSystem {
    /// llistxattr + lgetxattr: every extended attribute readable here.
    static func extendedAttributes(_ path: String) -> [ExtendedAttribute] {
        guard let llistxattr = ExtendedAttributeCalls.list, let lgetxattr = ExtendedAttributeCalls.get else { return [] }
        let size = llistxattr(path, nil, 0)
        guard size > 0 else { return [] }
        var names = [CChar](repeating: 0, count: size)
        let count = llistxattr(path, &names, size)
        guard count > 0 else { return [] }
        var found: [ExtendedAttribute] = []
        for name in names[0..<count].split(separator: 0) {
            let text = String(decoding: name.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let length = lgetxattr(path, text, nil, 0)
            guard length >= 0 else { continue }
            var value = [UInt8](repeating: 0, count: length)
            let read = length == 0 ? 0 : value.withUnsafeMutableBytes { lgetxattr(path, text, $0.baseAddress, length) }
            guard read >= 0 else { continue }
            found.append(ExtendedAttribute(name: text, value: Array(value[0..<read])))
        }
        return found
    }

    /// lsetxattr; the system's reason when it was refused, nil when set.
    static func setExtendedAttribute(_ path: String, _ attribute: ExtendedAttribute) -> String? {
        guard let lsetxattr = ExtendedAttributeCalls.set else { return "this C library has no lsetxattr" }
        let result = attribute.value.withUnsafeBytes { raw in
            lsetxattr(path, attribute.name, raw.baseAddress, raw.count, 0)
        }
        return result == 0 ? nil : String(cString: strerror(errno))
    }
}
