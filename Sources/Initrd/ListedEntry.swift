/// One archive member as read back: what `pxefarm initrd list` prints. Its
/// header's fields read as its own (`entry.size`, `entry.symlinkTarget`),
/// but for `type`, which is the letter `ls -l` shows.
@dynamicMemberLookup
public struct ListedEntry: Sendable {
    let header: ArchiveHeader

    init(_ header: ArchiveHeader) {
        self.header = header
    }

    public subscript<Field>(dynamicMember field: KeyPath<ArchiveHeader, Field>) -> Field {
        header[keyPath: field]
    }

    public var path: String { header.path }

    public var type: Character {
        switch header.type {
        case .directory: "d"
        case .symlink: "l"
        case .characterDevice: "c"
        case .blockDevice: "b"
        case .fifo: "p"
        case .socket: "s"
        case .regular, .other: "-"
        }
    }

    /// `ls -l` style: `crw-rw-rw-   1 0     0        1,   3 dev/null`.
    public var line: String {
        let sizeColumn = (type == "c" || type == "b") ? "\(header.deviceMajor), \(pad(header.deviceMinor, 3))" : String(header.size)
        var text = "\(type)\(Self.modeString(header.permissions)) \(pad(header.links, 3)) \(header.uid.description.padding(5)) "
            + "\(header.gid.description.padding(5)) \(pad(sizeColumn, 9)) \(path)"
        if let symlinkTarget = header.symlinkTarget { text += " -> \(symlinkTarget)" }
        if let hardlinkTarget = header.hardlinkTarget { text += " link to \(hardlinkTarget)" }
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
