import Testing
@testable import Initrd

@Suite struct DeviceTableTests {
    @Test func expandsCountedNodesAndKeepsOwners() throws {
        let text = """
            # name    type mode uid gid major minor start inc count
            /dev      d    755  0   0   -     -     -     -   -
            /dev/ttyS c    660  0   20  4     64    0     1   4
            /dev/hda  b    640  0   6   3     0     1     2   2   # odd minors
            /dev/initctl p 600  0   0   -     -     -     -   -
            """
        let table = try DeviceTable(parsing: text, origin: "table.txt")
        let entries = table.entries()
        #expect(entries.map(\.path) == ["dev", "dev/ttyS0", "dev/ttyS1", "dev/ttyS2", "dev/ttyS3", "dev/hda1", "dev/hda2", "dev/initctl"])
        #expect(entries[4] == InitrdEntry(path: "dev/ttyS3", kind: .characterDevice(major: 4, minor: 67), permissions: 0o660, gid: 20))
        #expect(entries[6].kind == .blockDevice(major: 3, minor: 2))
        #expect(entries[6].permissions == 0o640)
        #expect(entries[7].kind == .fifo)
    }

    @Test(arguments: [
        ("/dev/x c 666 0 0 1 3 0 0", "table.txt:2: expected 10 fields (name type mode uid gid major minor start inc count), found 9"),
        ("/dev/x z 666 0 0 1 3 0 0 0", "table.txt:2: type 'z' is not one of d, c, b, p, f"),
        ("/dev/x c 999 0 0 1 3 0 0 0", "table.txt:2: mode '999' is not an octal permission (0-7777)"),
        ("/dev/x c 666 root 0 1 3 0 0 0", "table.txt:2: uid 'root' is not a number"),
        ("/dev/../x c 666 0 0 1 3 0 0 0", "table.txt:2: name '/dev/../x' is not a valid path"),
        ("/dev/d d 755 0 0 - - 0 1 4", "table.txt:2: count is only meaningful for c and b lines"),
    ])
    func refusesBadLinesNamingFileAndLine(_ line: String, _ message: String) {
        #expect(throws: InitrdError.deviceTable(file: "table.txt", line: 2, message: String(message.dropFirst("table.txt:2: ".count)))) {
            try DeviceTable(parsing: "# header\n" + line, origin: "table.txt")
        }
    }

    @Test func fLinesChangeEarlierEntriesAndFailWithoutThem() throws {
        let table = try DeviceTable(parsing: "/bin/su f 4755 0 0 - - - - -\n", origin: "t")
        let base = InitrdSource.entries([.file("bin/su", text: "x", permissions: 0o755)], origin: "mem")
        let entries = try InitrdSpec(sources: [base, .deviceTable(table)]).resolve()
        #expect(entries.first { $0.path == "bin/su" }?.permissions == 0o4755)
        #expect(throws: InitrdError.deviceTableTargetMissing(file: "t", line: 1, path: "bin/su")) {
            try InitrdSpec(sources: [.deviceTable(table)]).resolve()
        }
    }
}

@Suite struct MakedevGenericTests {
    @Test func hasTheKernelNumbers() throws {
        let entries = Dictionary(uniqueKeysWithValues: MakedevGeneric.entries().map { ($0.path, $0) })
        let expected: [(String, InitrdEntry.Kind)] = [
            ("dev/mem", .characterDevice(major: 1, minor: 1)), ("dev/kmem", .characterDevice(major: 1, minor: 2)),
            ("dev/null", .characterDevice(major: 1, minor: 3)), ("dev/port", .characterDevice(major: 1, minor: 4)),
            ("dev/zero", .characterDevice(major: 1, minor: 5)), ("dev/full", .characterDevice(major: 1, minor: 7)),
            ("dev/random", .characterDevice(major: 1, minor: 8)), ("dev/urandom", .characterDevice(major: 1, minor: 9)),
            ("dev/tty", .characterDevice(major: 5, minor: 0)), ("dev/console", .characterDevice(major: 5, minor: 1)),
            ("dev/ptmx", .characterDevice(major: 5, minor: 2)), ("dev/tty0", .characterDevice(major: 4, minor: 0)),
            ("dev/tty7", .characterDevice(major: 4, minor: 7)), ("dev/ttyS0", .characterDevice(major: 4, minor: 64)),
            ("dev/ttyS3", .characterDevice(major: 4, minor: 67)), ("dev/loop0", .blockDevice(major: 7, minor: 0)),
            ("dev/loop7", .blockDevice(major: 7, minor: 7)), ("dev/fd0", .blockDevice(major: 2, minor: 0)),
            ("dev/sda", .blockDevice(major: 8, minor: 0)), ("dev/sda1", .blockDevice(major: 8, minor: 1)),
            ("dev/sdb", .blockDevice(major: 8, minor: 16)), ("dev/sdd15", .blockDevice(major: 8, minor: 63)),
            ("dev/hda", .blockDevice(major: 3, minor: 0)), ("dev/hdb1", .blockDevice(major: 3, minor: 65)),
            ("dev/hdc", .blockDevice(major: 22, minor: 0)), ("dev/hdd2", .blockDevice(major: 22, minor: 66)),
            ("dev/pts", .directory), ("dev/shm", .directory),
        ]
        for (path, kind) in expected {
            #expect(entries[path]?.kind == kind, "\(path)")
        }
        #expect(entries["dev/sda16"] == nil)
        #expect(entries["dev/console"]?.permissions == 0o600)
        #expect(entries["dev/null"]?.permissions == 0o666)
        #expect(entries["dev/shm"]?.permissions == 0o1777)
        #expect(entries["dev/sda"]?.gid == 6)
    }
}
