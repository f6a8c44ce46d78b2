/// What the ELF header of a program says (the System V gABI, "ELF Header"
/// and "Program Header"): its class, byte order and machine, and the
/// dynamic loader it names (PT_INTERP), nil for a static program. Read from
/// the first piece of the file; 32- and 64-bit, either byte order.
struct ELFFile: Equatable {
    var is64Bit: Bool
    var isLittleEndian: Bool
    /// e_machine: 62 x86-64, 183 AArch64, 3 i386, 40 ARM, 243 RISC-V, ...
    var machine: UInt16
    var interpreter: String?

    var isStatic: Bool { interpreter == nil }

    /// The machine in words, for messages.
    var machineName: String {
        let names: [UInt16: String] = [3: "i386", 8: "MIPS", 20: "PowerPC", 21: "PowerPC64", 22: "s390", 40: "ARM", 62: "x86-64", 183: "AArch64", 243: "RISC-V", 258: "LoongArch"]
        let bits = is64Bit ? "64-bit" : "32-bit"
        return names[machine].map { machine == 62 || machine == 183 ? $0 : "\($0) \(bits)" } ?? "ELF machine \(machine) (\(bits))"
    }

    /// nil when the file is not an ELF file (a script, text, a truncated header).
    static func read(_ path: String) throws(BuildError) -> ELFFile? {
        let file = try FileReader(path)
        defer { file.close() }
        guard let head = try file.next().map(Array.init) else { return nil }
        return parse(head)
    }

    static func parse(_ head: [UInt8]) -> ELFFile? {
        guard head.count >= 52, head[0..<4] == [0x7F, 0x45, 0x4C, 0x46], head[4] == 1 || head[4] == 2, head[5] == 1 || head[5] == 2 else { return nil }
        let wide = head[4] == 2, little = head[5] == 1
        func number(_ offset: Int, _ size: Int) -> Int? {
            guard offset >= 0, size > 0, offset + size <= head.count else { return nil }
            let bytes = head[offset..<offset + size]
            return (little ? Array(bytes.reversed()) : Array(bytes)).reduce(0) { $0 << 8 | Int($1) }
        }
        guard let machine = number(18, 2) else { return nil }
        var elf = ELFFile(is64Bit: wide, isLittleEndian: little, machine: UInt16(machine), interpreter: nil)
        // e_phoff, e_phentsize, e_phnum; then per entry p_type, p_offset, p_filesz.
        let layout = wide ? (table: 0x20, tableSize: 8, entrySize: 0x36, count: 0x38, offset: 8, fileSize: 32, word: 8)
                          : (table: 0x1C, tableSize: 4, entrySize: 0x2A, count: 0x2C, offset: 4, fileSize: 16, word: 4)
        guard let table = number(layout.table, layout.tableSize), let entrySize = number(layout.entrySize, 2),
              let count = number(layout.count, 2) else { return elf }
        for index in 0..<count {
            let entry = table + index * entrySize
            guard let type = number(entry, 4) else { break }
            guard type == 3 else { continue }  // PT_INTERP
            guard let offset = number(entry + layout.offset, layout.word), let size = number(entry + layout.fileSize, layout.word),
                  size > 1, offset + size <= head.count else { break }
            elf.interpreter = String(decoding: head[offset..<offset + size - 1], as: UTF8.self)
            break
        }
        return elf
    }

    /// Same class, byte order and machine: one can run where the other runs.
    func runsBeside(_ other: ELFFile) -> Bool {
        is64Bit == other.is64Bit && isLittleEndian == other.isLittleEndian && machine == other.machine
    }
}
