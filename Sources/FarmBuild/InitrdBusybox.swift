/// Which busybox an image's NFS-root initrd carries. The initrd's userland
/// must not depend on what the image holds (a Debian or RHEL root has no
/// busybox, and Debian's `busybox` package is dynamically linked, which an
/// initrd without its loader cannot run), so the first choice is the build
/// host's static busybox (Debian's busybox-static), provided it runs on the
/// image's machine; then a static busybox of the image's own; otherwise the
/// build stops and says what to install.
struct InitrdBusybox {
    /// Where busybox-static puts it (and where a merged /usr finds it too).
    static let hostCandidates = ["/bin/busybox", "/usr/bin/busybox"]

    let image: String
    let root: String
    var host: [String] = Self.hostCandidates

    func choose() throws(BuildError) -> String {
        let machine = try imageMachine()
        var problems: [String] = []
        if let path = host.first(where: { FileSystem.status($0).map { $0.kind == .file || $0.kind == .symlink } ?? false }) {
            if let reason = try unusable(path, machine: machine, whose: "the build host's") { problems.append(reason) } else { return path }
        } else {
            problems.append("the build host has no \(host[0])")
        }
        if let own = ImageCheck.resolve("bin/busybox", in: root) {
            if let reason = try unusable(own, machine: machine, whose: "the image's") { problems.append(reason) } else { return own }
        }
        let target = machine.map { " for \($0.machineName)" } ?? ""
        throw .noStaticBusybox(image: image, reasons: problems,
                               remedy: "install busybox-static on the build host (apt-get install busybox-static), or put a static busybox\(target) at /bin/busybox in the image")
    }

    /// Why `path` cannot be the initrd's busybox; nil when it can.
    func unusable(_ path: String, machine: ELFFile?, whose: String) throws(BuildError) -> String? {
        let shown = path.hasPrefix(root + "/") ? "/" + path.dropFirst(root.count + 1) : path
        guard let elf = try ELFFile.read(path) else { return "\(whose) \(shown) is not an ELF program" }
        guard elf.isStatic else {
            return "\(whose) \(shown) is dynamically linked (it needs \(elf.interpreter ?? "a loader"), which the initrd does not carry)"
        }
        if let machine, !elf.runsBeside(machine) {
            return "\(whose) \(shown) is for \(elf.machineName) but the image's init is for \(machine.machineName)"
        }
        return nil
    }

    /// The ELF header of the image's init (or of its /bin/sh when init is a
    /// script); nil when neither is an ELF program, and then any static
    /// busybox is taken.
    func imageMachine() throws(BuildError) -> ELFFile? {
        for program in [ImageCheck.initProgram(in: root), ImageCheck.resolve("bin/sh", in: root)].compactMap({ $0 }) {
            if let elf = try ELFFile.read(program) { return elf }
        }
        return nil
    }
}
