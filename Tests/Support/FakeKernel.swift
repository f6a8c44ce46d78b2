/// The smallest bzImage pxefarm's boot header parser accepts, naming
/// `version` (the kernel install and serve tests install such kernels).
public enum FakeKernel {
    public static func bzImage(_ version: String, filler: UInt8) -> [UInt8] {
        var bytes = [UInt8](repeating: filler, count: 0x400)
        bytes.replaceSubrange(0x202..<0x206, with: Array("HdrS".utf8))
        bytes[0x20E] = 0x00
        bytes[0x20F] = 0x01  // version string at 0x100 + 0x200
        let text = Array((version + " (pxefarm test) #1 SMP").utf8) + [0]
        bytes.replaceSubrange(0x300..<0x300 + text.count, with: text)
        return bytes
    }
}
