/// A Linux kernel image (bzImage) and the version its boot header names
/// (Documentation/x86/boot.rst: "HdrS" at 0x202, the version string's
/// offset minus 0x200 at 0x20E).
public struct KernelImage: Sendable, Equatable {
    public let path: String
    public let version: String

    public init(path: String) throws(BuildError) {
        self.path = path
        let file = try FileReader(path)
        defer { file.close() }
        guard let head = try file.next().map(Array.init), head.count >= 0x210, Array(head[0x202..<0x206]) == Array("HdrS".utf8) else {
            throw .notAKernel(path: path, reason: "it has no Linux boot header (HdrS at 0x202); give a bzImage such as arch/x86/boot/bzImage or /boot/vmlinuz-VERSION")
        }
        let offset = Int(head[0x20E]) | Int(head[0x20F]) << 8
        let start = offset + 0x200
        guard offset != 0, start < head.count else {
            throw .notAKernel(path: path, reason: "its boot header points at no version string")
        }
        let text = head[start...].prefix { $0 != 0 && $0 != 0x20 }
        guard !text.isEmpty, text.count < 65 else {
            throw .notAKernel(path: path, reason: "its version string is empty or too long")
        }
        version = String(decoding: text, as: UTF8.self)
    }
}
