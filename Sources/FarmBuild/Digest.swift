import Crypto

/// SHA-256 content hashes, written `sha256:<hex>` in manifests.
public enum Digest {
    public static func of(_ bytes: some Collection<UInt8>) -> String {
        "sha256:" + hex(SHA256.hash(data: Array(bytes)))
    }

    public static func of(text: String) -> String { of(Array(text.utf8)) }

    /// Hashes a file in 1 MiB pieces, without reading it whole.
    public static func ofFile(_ path: String) throws(BuildError) -> String {
        var hasher = SHA256()
        let file = try FileReader(path)
        defer { file.close() }
        while let chunk = try file.next() { hasher.update(data: chunk) }
        return "sha256:" + hex(hasher.finalize())
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return text
    }
}
