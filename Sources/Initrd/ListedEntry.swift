/// One archive member as read back: what `pxefarm initrd list` prints.
public struct ListedEntry: Hashable, Sendable {
    public var path: String
    public var type: Character
    public var permissions: UInt32
    public var uid: Int64
    public var gid: Int64
    public var links: UInt32
    public var size: Int64
    public var deviceMajor: UInt32
    public var deviceMinor: UInt32
    public var modificationTime: Int64
    public var symlinkTarget: String?
    public var hardlinkTarget: String?

    init(_ header: ArchiveHeader) {
        path = header.path
        switch header.type {
        case .directory: type = "d"
        case .symlink: type = "l"
        case .characterDevice: type = "c"
        case .blockDevice: type = "b"
        case .fifo: type = "p"
        case .socket: type = "s"
        case .regular, .other: type = "-"
        }
        permissions = header.permissions
        uid = header.uid
        gid = header.gid
        links = header.links
        size = header.size
        deviceMajor = header.deviceMajor
        deviceMinor = header.deviceMinor
        modificationTime = header.modificationSeconds
        symlinkTarget = header.symlinkTarget
        hardlinkTarget = header.hardlinkTarget
    }

    public init(path: String, type: Character, permissions: UInt32, uid: Int64 = 0, gid: Int64 = 0, links: UInt32 = 1,
                size: Int64 = 0, deviceMajor: UInt32 = 0, deviceMinor: UInt32 = 0, modificationTime: Int64 = 0,
                symlinkTarget: String? = nil, hardlinkTarget: String? = nil) {
        self.path = path
        self.type = type
        self.permissions = permissions
        self.uid = uid
        self.gid = gid
        self.links = links
        self.size = size
        self.deviceMajor = deviceMajor
        self.deviceMinor = deviceMinor
        self.modificationTime = modificationTime
        self.symlinkTarget = symlinkTarget
        self.hardlinkTarget = hardlinkTarget
    }

    /// `ls -l` style: `crw-rw-rw-   1 0     0        1,   3 dev/null`.
    public var line: String {
        let sizeColumn = (type == "c" || type == "b") ? "\(deviceMajor), \(pad(deviceMinor, 3))" : String(size)
        var text = "\(type)\(Self.modeString(permissions)) \(pad(links, 3)) \(uid.description.padding(5)) "
            + "\(gid.description.padding(5)) \(pad(sizeColumn, 9)) \(path)"
        if let symlinkTarget { text += " -> \(symlinkTarget)" }
        if let hardlinkTarget { text += " link to \(hardlinkTarget)" }
        return text
    }

    static func modeString(_ permissions: UInt32) -> String {
        var characters: [Character] = []
        let letters: [Character] = ["r", "w", "x"]
        for index in 0..<9 {
            characters.append(permissions & (0o400 >> UInt32(index)) != 0 ? letters[index % 3] : "-")
        }
        func special(_ bit: UInt32, _ position: Int, _ set: Character, _ setNoExec: Character) {
            guard permissions & bit != 0 else { return }
            characters[position] = characters[position] == "x" ? set : setNoExec
        }
        special(0o4000, 2, "s", "S")
        special(0o2000, 5, "s", "S")
        special(0o1000, 8, "t", "T")
        return String(characters)
    }
}

/// The listing of a whole archive.
public enum InitrdListing {
    public static func read(_ path: String) throws -> [ListedEntry] {
        try ArchiveReader(path: path).entries()
    }
}

private func pad(_ value: some CustomStringConvertible, _ width: Int) -> String {
    let text = value.description
    return String(repeating: " ", count: max(0, width - text.count)) + text
}

extension String {
    func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
