import NetbootWire

/// What an HTTP request asks for, parsed from its method and request target
/// (RFC 9112 section 3.2) before anyone decides the answer:
///
/// - `GET|HEAD /ks/<node>.cfg`: an installer fetching its kickstart file;
/// - `GET|POST /done/<node>?token=<64 hex>`: a kickstart's %post reporting back;
/// - `GET|HEAD /boot/01-<mac>.ipxe`: an iPXE client's boot script (HTTP boot);
/// - `GET|HEAD /EFI/...`, `/X86PC/...`, `/grub/...`: a boot file of the TFTP
///   tree under the name TFTP gives it (the kernel and initrd an iPXE script
///   loads, UEFI HTTP Boot's programs), empty segments merged, its name
///   checked as `TFTPPathPolicy` checks a TFTP name, the query ignored;
/// - `GET|HEAD /metrics`: Prometheus scraping serve's counters (`ServeMetrics`).
///
/// Everything else is refused here, the only place, with an `HTTPRefusal`:
/// 404 for another path, 405 for another method on these paths, 414 for a
/// target over 1024 bytes, 400 for anything malformed (spaces, control or
/// non-ASCII bytes, a fragment, a bad `%` escape, `.`/`..` segments, a node
/// name the farm would not have, a missing, repeated or ill-formed token).
/// Path segments are percent-decoded before they are checked, so `%2e%2e`
/// is a `..` and `%2f` cannot smuggle a `/` into a node name.
public enum HTTPRoute: Equatable, Sendable {
    case kickstart(node: String)
    case done(node: String, token: String)
    case bootScript(mac: MACAddress)
    /// A name relative to the TFTP root, such as `EFI/X64/linux-boot/linux.0`.
    case bootFile(path: String)
    case metrics

    /// The TFTP tree's top folders served over HTTP.
    public static let bootFileFolders: Set<String> = ["EFI", "X86PC", "grub"]

    public static let maximumTargetBytes = 1024
    public static let maximumNodeBytes = 63
    public static let tokenLength = 64

    /// The node a kickstart or callback route names; nil for boot files, scripts and /metrics.
    public var node: String? {
        switch self {
        case .kickstart(let node), .done(let node, _): node
        case .bootScript, .bootFile, .metrics: nil
        }
    }

    /// Boot files and scripts: answered on a connection the client may keep open.
    public var isBootFile: Bool {
        switch self {
        case .bootScript, .bootFile: true
        case .kickstart, .done, .metrics: false
        }
    }

    public static func parse(method: String, target: String) throws(HTTPRefusal) -> HTTPRoute {
        let bytes = Array(target.utf8)
        guard bytes.count <= maximumTargetBytes else {
            throw HTTPRefusal(status: 414, reason: "target-too-long", message: "the request target is \(bytes.count) bytes; at most \(maximumTargetBytes) are accepted")
        }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .malformed("target-characters", "the request target holds a space, a control character or a non-ASCII byte")
        }
        guard !bytes.contains(UInt8(ascii: "#")) else {
            throw .malformed("target-fragment", "the request target holds a fragment ('#')")
        }
        let origin = try originForm(bytes)
        let pathEnd = origin.firstIndex(of: UInt8(ascii: "?")) ?? origin.endIndex
        let path = origin[..<pathEnd]
        let query = pathEnd < origin.endIndex ? origin[(pathEnd + 1)...] : nil
        let segments = try decodedSegments(path)

        if segments.count == 2, segments[0] == "ks", segments[1].hasSuffix(".cfg") {
            try allow(method, ["GET", "HEAD"], on: "/ks/<node>.cfg")
            return .kickstart(node: try validNode(String(segments[1].dropLast(4))))
        }
        if segments.count == 2, segments[0] == "done", !segments[1].isEmpty {
            try allow(method, ["GET", "POST"], on: "/done/<node>")
            let node = try validNode(segments[1])
            return .done(node: node, token: try token(in: query))
        }
        if segments.count == 2, segments[0] == "boot", segments[1].hasSuffix(".ipxe") {
            try allow(method, ["GET", "HEAD"], on: "/boot/01-<mac>.ipxe")
            let name = segments[1].dropLast(5)
            guard name.hasPrefix("01-"), let mac = MACAddress(name.dropFirst(3)) else {
                throw .malformed("bad-mac", "boot scripts are named 01-<mac with dashes>.ipxe")
            }
            return .bootScript(mac: mac)
        }
        if let first = segments.first, bootFileFolders.contains(first), segments.count > 1 {
            try allow(method, ["GET", "HEAD"], on: "/\(first)/...")
            // Empty segments are merged, as web servers do: shim asks for
            // `<folder>//grubx64.efi` when it was booted over HTTP.
            do {
                return .bootFile(path: try TFTPPathPolicy.checkedRelativeName(Array(segments.filter { !$0.isEmpty }.joined(separator: "/").utf8)))
            } catch {
                throw .malformed("bad-boot-file", "not a boot file name: \(error)")
            }
        }
        if segments == ["metrics"] {
            try allow(method, ["GET", "HEAD"], on: "/metrics")
            return .metrics
        }
        switch segments.first {
        case "boot": throw .notFound("no such boot script; iPXE boot scripts are at /boot/01-<mac>.ipxe")
        case "ks": throw .notFound("no such kickstart path; kickstart files are at /ks/<node>.cfg")
        case "done": throw .notFound("no such callback path; callbacks are /done/<node>?token=<64 hex digits>")
        default: throw .notFound("nothing is served at this path")
        }
    }

    /// The target from its first `/` on: origin form as is; absolute form
    /// (`http://host:port/path`, which servers must accept) without scheme and
    /// authority. Asterisk and authority forms are refused.
    private static func originForm(_ bytes: [UInt8]) throws(HTTPRefusal) -> ArraySlice<UInt8> {
        if bytes.first == UInt8(ascii: "/") { return bytes[...] }
        let scheme = Array("http://".utf8)
        if bytes.count >= scheme.count, zip(bytes, scheme).allSatisfy({ ($0 | 0x20) == ($1 | 0x20) }) {
            let rest = bytes[scheme.count...]
            guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return ArraySlice(Array("/".utf8)) }
            let authority = rest[..<slash]
            guard !authority.isEmpty, !authority.contains(UInt8(ascii: "?")), !authority.contains(UInt8(ascii: "@")) else {
                throw .malformed("target-form", "the absolute request target has no usable host")
            }
            return bytes[slash...]
        }
        throw .malformed("target-form", "the request target must start with '/' (or be an absolute http:// URL)")
    }

    /// The path's segments after the leading `/`, each percent-decoded; a
    /// segment that decodes to `.`, `..`, a `/`, a backslash, a control
    /// character or a non-ASCII byte is refused.
    private static func decodedSegments(_ path: ArraySlice<UInt8>) throws(HTTPRefusal) -> [String] {
        var segments: [String] = []
        for raw in path.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard let decoded = PercentDecoding.decode(raw) else {
                throw .malformed("bad-escape", "the request path holds a '%' not followed by two hex digits")
            }
            guard decoded.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "\\") }) else {
                throw .malformed("bad-segment", "a path segment decodes to a '/', a backslash, a space, a control character or a non-ASCII byte")
            }
            let text = String(decoding: decoded, as: UTF8.self)
            guard text != ".", text != ".." else {
                throw .malformed("dot-segment", "the request path holds a '.' or '..' segment")
            }
            segments.append(text)
        }
        return segments
    }

    private static func allow(_ method: String, _ allowed: [String], on path: String) throws(HTTPRefusal) {
        guard allowed.contains(method) else {
            throw HTTPRefusal(status: 405, reason: "method", message: "\(path) answers \(allowed.joined(separator: " and ")) only",
                              allowed: allowed)
        }
    }

    /// A node name as the farm could have one: 1-63 bytes of letters, digits,
    /// `-`, `_` and `.`, not starting with a dot and without `..`.
    static func validNode(_ name: String) throws(HTTPRefusal) -> String {
        let bytes = Array(name.utf8)
        let allowed = bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): true
            default: false
            }
        }
        guard (1...maximumNodeBytes).contains(bytes.count), allowed, bytes.first != UInt8(ascii: "."), !name.contains("..") else {
            throw .malformed("bad-node", "not a node name: 1-\(maximumNodeBytes) letters, digits, '-', '_' or '.', not starting with '.' and without '..'")
        }
        return name
    }

    /// The one `token` parameter of the query, 64 lower-case hex digits; the
    /// other parameters are ignored. Messages never repeat the token offered.
    private static func token(in query: ArraySlice<UInt8>?) throws(HTTPRefusal) -> String {
        var tokens: [[UInt8]] = []
        for parameter in (query ?? []).split(separator: UInt8(ascii: "&")) {
            let equals = parameter.firstIndex(of: UInt8(ascii: "=")) ?? parameter.endIndex
            guard let name = PercentDecoding.decode(parameter[..<equals], plusAsSpace: true),
                  let value = PercentDecoding.decode(equals < parameter.endIndex ? parameter[(equals + 1)...] : [], plusAsSpace: true) else {
                throw .malformed("bad-escape", "the query holds a '%' not followed by two hex digits")
            }
            if name == Array("token".utf8) { tokens.append(value) }
        }
        guard !tokens.isEmpty else {
            throw .malformed("token-missing", "the callback carries no token parameter")
        }
        guard tokens.count == 1 else {
            throw .malformed("token-repeated", "the callback carries \(tokens.count) token parameters; one is expected")
        }
        let token = tokens[0]
        let isLowerHex = token.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
        guard token.count == tokenLength, isLowerHex else {
            throw .malformed("bad-token", "the token is not \(tokenLength) lower-case hex digits")
        }
        return String(decoding: token, as: UTF8.self)
    }
}
