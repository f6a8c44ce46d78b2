/// The device set of `MAKEDEV generic`, with the numbers of the kernel's device list
/// (Documentation/admin-guide/devices.txt) and Debian's groups (kmem 15, tty 5,
/// disk 6, dialout 20, floppy 25), under `dev/`.
public enum MakedevGeneric {
    static let kmem: UInt32 = 15, tty: UInt32 = 5, disk: UInt32 = 6, dialout: UInt32 = 20, floppy: UInt32 = 25

    public static func entries(under directory: String = "dev") -> [InitrdEntry] {
        var entries: [InitrdEntry] = [
            .directory(directory),
            .directory("\(directory)/pts"),
            .directory("\(directory)/shm", permissions: 0o1777),
        ]
        func char(_ name: String, _ major: UInt32, _ minor: UInt32, _ mode: UInt32, gid: UInt32 = 0) {
            entries.append(InitrdEntry(path: "\(directory)/\(name)", kind: .characterDevice(major: major, minor: minor),
                                       permissions: mode, gid: gid))
        }
        func block(_ name: String, _ major: UInt32, _ minor: UInt32, gid: UInt32) {
            entries.append(InitrdEntry(path: "\(directory)/\(name)", kind: .blockDevice(major: major, minor: minor),
                                       permissions: 0o660, gid: gid))
        }
        // Memory devices, major 1.
        char("mem", 1, 1, 0o640, gid: kmem)
        char("kmem", 1, 2, 0o640, gid: kmem)
        char("null", 1, 3, 0o666)
        char("port", 1, 4, 0o640, gid: kmem)
        char("zero", 1, 5, 0o666)
        char("full", 1, 7, 0o666)
        char("random", 1, 8, 0o666)
        char("urandom", 1, 9, 0o666)
        // Terminals: virtual consoles (4, 0-63), serial ports (4, 64+), tty/console/ptmx (5).
        for index: UInt32 in 0...7 { char("tty\(index)", 4, index, 0o620, gid: tty) }
        for index: UInt32 in 0...3 { char("ttyS\(index)", 4, 64 + index, 0o660, gid: dialout) }
        char("tty", 5, 0, 0o666, gid: tty)
        char("console", 5, 1, 0o600)
        char("ptmx", 5, 2, 0o666, gid: tty)
        // Loop devices (block 7), floppy (block 2).
        for index: UInt32 in 0...7 { block("loop\(index)", 7, index, gid: disk) }
        block("fd0", 2, 0, gid: floppy)
        // SCSI disks: block 8, 16 minors per disk, partitions 1-15.
        for (index, letter) in ["a", "b", "c", "d"].enumerated() {
            let base = UInt32(index) * 16
            block("sd\(letter)", 8, base, gid: disk)
            for part: UInt32 in 1...15 { block("sd\(letter)\(part)", 8, base + part, gid: disk) }
        }
        // IDE disks: hda/hdb on block 3, hdc/hdd on block 22, 64 minors per disk.
        for (letter, major, base) in [("a", UInt32(3), UInt32(0)), ("b", 3, 64), ("c", 22, 0), ("d", 22, 64)] {
            block("hd\(letter)", major, base, gid: disk)
            for part: UInt32 in 1...20 { block("hd\(letter)\(part)", major, base + part, gid: disk) }
        }
        // The standard links MAKEDEV makes with them.
        entries.append(.symlink("\(directory)/fd", to: "/proc/self/fd"))
        entries.append(.symlink("\(directory)/stdin", to: "fd/0"))
        entries.append(.symlink("\(directory)/stdout", to: "fd/1"))
        entries.append(.symlink("\(directory)/stderr", to: "fd/2"))
        entries.append(.symlink("\(directory)/core", to: "/proc/kcore"))
        return entries
    }
}
