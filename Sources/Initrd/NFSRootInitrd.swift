import Foundation

/// The default initrd of an NFS-root node: the image's busybox with a link for each
/// applet, the /init of templates/initrd/init with its udhcpc script, the device
/// nodes the kernel needs before /init runs, and optionally kernel modules that
/// /init loads in dependency order (listed in /etc/pxefarm-initrd.conf).
public struct NFSRootInitrd: Sendable {
    /// The busybox binary to pack (the image's; Debian's busybox-static for the demo).
    public var busybox: String
    public var modules: KernelModules?
    public var templates: InitrdTemplates
    /// The NFS mount options (`vers=4.2,proto=tcp,...`, without ro/rw) /init
    /// takes when neither nfsroot= nor the DHCP root path names any.
    public var nfsOptions: String

    public init(busybox: String, modules: KernelModules? = nil, templates: InitrdTemplates, nfsOptions: String = "") {
        self.busybox = busybox
        self.modules = modules
        self.templates = templates
        self.nfsOptions = nfsOptions
    }

    /// Sources to put before any site additions: busybox, the init scripts, /dev
    /// basics; then the modules and the generated configuration.
    public func sources() throws -> [InitrdSource] {
        var entries: [InitrdEntry] = []
        let binary = try KernelModules.fileEntry(path: busybox, entryPath: "bin/busybox", missing: nil)
        entries.append(InitrdEntry(path: binary.path, kind: binary.kind, permissions: 0o755))
        for applet in try appletPaths() where applet != "bin/busybox" {
            entries.append(.symlink(applet, to: "/bin/busybox"))
        }
        for directory in ["dev", "proc", "sys", "run", "tmp", "newroot", "etc", "lib/modules", "mnt"] {
            entries.append(.directory(directory))
        }
        entries.append(InitrdEntry(path: "dev/console", kind: .characterDevice(major: 5, minor: 1), permissions: 0o600))
        entries.append(InitrdEntry(path: "dev/null", kind: .characterDevice(major: 1, minor: 3), permissions: 0o666))
        entries.append(InitrdEntry(path: "dev/tty", kind: .characterDevice(major: 5, minor: 0), permissions: 0o666))
        entries.append(InitrdEntry(path: "init", kind: .file(.bytes(try templates.file("initrd/init"))), permissions: 0o755))
        entries.append(InitrdEntry(path: "etc/udhcpc/default.script",
                                   kind: .file(.bytes(try templates.file("initrd/udhcpc.script"))), permissions: 0o755))
        var sources: [InitrdSource] = [.entries(entries, origin: "NFS-root initrd (\(busybox))")]
        var loadOrder: [String] = []
        var optional: Set<String> = []
        if let modules {
            let resolved = try modules.resolveWithClasses()
            loadOrder = resolved.loadOrder
            optional = resolved.optional
            sources.append(.entries(resolved.entries, origin: modules.directory))
        }
        let config = Self.configuration(kernelVersion: modules?.version, loadOrder: loadOrder,
                                        optional: loadOrder.filter(optional.contains), nfsOptions: nfsOptions)
        sources.append(.entries([.file("etc/pxefarm-initrd.conf", text: config)], origin: "generated /etc/pxefarm-initrd.conf"))
        return sources
    }

    /// /etc/pxefarm-initrd.conf: shell variables that /init sources.
    public static func configuration(kernelVersion: String?, loadOrder: [String], optional: [String] = [], nfsOptions: String = "") -> String {
        var text = """
        # Written by pxefarm. /init loads MODULES (paths under /lib/modules/KERNEL_VERSION)
        # in this order, dependencies first.
        KERNEL_VERSION='\(kernelVersion ?? "")'
        MODULES='\(loadOrder.joined(separator: " "))'

        """
        if !optional.isEmpty {
            text += """
            # Brought in by a class of modules (initrd.modules: [net]) or a soft dependency
            # (modules.softdep): one that does not load (its hardware is absent) is skipped.
            OPTIONAL_MODULES='\(optional.joined(separator: " "))'

            """
        }
        if !nfsOptions.isEmpty {
            text += """
            # farm.nfs: the mount options of the node's tree and the shared image when
            # neither nfsroot= nor the DHCP root path names any (ro/rw added by /init).
            NFS_OPTIONS='\(nfsOptions)'

            """
        }
        return text
    }

    /// Where busybox installs its applets (`bin/sh`, `sbin/switch_root`, ...), as
    /// the binary itself reports with `--list-full`.
    func appletPaths() throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: busybox)
        process.arguments = ["--list-full"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw InitrdError.busybox(path: busybox, message: "cannot run it to list its applets: \(error.localizedDescription)")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw InitrdError.busybox(path: busybox, message: "`--list-full` exited with status \(process.terminationStatus); is it busybox?")
        }
        let applets = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        let required = ["bin/sh", "bin/mount", "sbin/switch_root", "sbin/udhcpc", "sbin/insmod", "bin/ip", "bin/sed", "usr/bin/tr"]
        let available = Set(applets.map { $0.split(separator: "/").last.map(String.init) ?? $0 })
        let missing = required.filter { !available.contains(String($0.split(separator: "/").last!)) }
        guard missing.isEmpty else {
            throw InitrdError.busybox(path: busybox, message: "lacks the applets /init needs: \(missing.joined(separator: ", "))")
        }
        return applets
    }
}
