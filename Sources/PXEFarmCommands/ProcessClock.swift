#if canImport(Glibc)
import Glibc
#endif

/// How long this process has run: from the kernel's start time of the
/// process (/proc/self/stat, in clock ticks since boot) to now on the same
/// clock, so a command's reported time includes loading the binary and the
/// farm file, not only the step it times itself.
enum ProcessClock {
    static func secondsSinceStart() -> Double? {
        guard let handle = fopen("/proc/self/stat", "r") else { return nil }
        defer { fclose(handle) }
        var buffer = [CChar](repeating: 0, count: 1024)
        guard fgets(&buffer, Int32(buffer.count), handle) != nil else { return nil }
        let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The command name (field 2) is in parentheses and may hold spaces:
        // fields are counted after its closing parenthesis, from field 3.
        guard let close = line.lastIndex(of: ")") else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        let perSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        var now = timespec()
        guard perSecond > 0, clock_gettime(CLOCK_BOOTTIME, &now) == 0 else { return nil }
        return max(0, Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 - ticks / perSecond)
    }
}
