/// netascii (RFC 1350, RFC 764): line ends as CR LF, a bare CR as CR NUL.
/// Files are stored with Unix line ends, so LF becomes CR LF.
enum NetASCII {
    static func encode(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount + bytes.underestimatedCount / 32)
        for byte in bytes {
            switch byte {
            case 0x0A: out += [0x0D, 0x0A]
            case 0x0D: out += [0x0D, 0x00]
            default: out.append(byte)
            }
        }
        return out
    }
}
