import NetbootWire

/// The `farm:` section: names, addresses on the subnet, lease times, paths.
enum SettingsRules {
    static func check(_ settings: FarmSettings, context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let farm: FieldPath = "farm"
        if context.has(farm / "name"), !TextRules.isDirectoryName(settings.name) {
            found.append(.error(farm / "name", "\"\(settings.name)\" is not a usable farm name (letters, digits, '-', '_', '.'; at most 64)"))
        }
        if context.has(farm / "domain"), !TextRules.isDomainName(settings.domain) {
            found.append(.error(farm / "domain", "\"\(settings.domain)\" is not a valid domain name"))
        }
        if context.has(farm / "subnet") {
            let subnet = settings.subnet
            if context.has(farm / "server") {
                found += checkHostAddress(settings.server, on: subnet, at: farm / "server", mustBeOnSubnet: false)
            }
            if let boot = settings.bootServer, context.has(farm / "boot-server") {
                found += checkHostAddress(boot, on: subnet, at: farm / "boot-server", mustBeOnSubnet: false)
            }
            for (index, router) in settings.routers.enumerated() where context.has((farm / "routers")[index]) {
                found += checkHostAddress(router, on: subnet, at: (farm / "routers")[index], mustBeOnSubnet: true)
            }
        }
        let lease = settings.leaseTime
        if context.has(farm / "lease" / "default"), context.has(farm / "lease" / "max"), lease.defaultSeconds > lease.maxSeconds {
            found.append(.error(farm / "lease" / "default", "default lease time \(lease.defaultSeconds) s is longer than the maximum \(lease.maxSeconds) s"))
        }
        for (key, path) in [("nfs-root", settings.nfsRoot), ("tftp-root", settings.tftpRoot)] where context.has(farm / key) {
            if !path.hasPrefix("/") {
                found.append(.error(farm / key, "\"\(path)\" must be an absolute path on the server"))
            } else if let problem = TextRules.injection(in: path, at: farm / key) {
                found.append(problem)
            } else if path.contains(where: \.isWhitespace) {
                found.append(.error(farm / key, "\"\(path)\" contains white space, which /etc/exports and fstab cannot carry"))
            }
        }
        found += checkNFS(settings.nfs, context: context)
        return found
    }

    /// `farm.nfs`: a version the Linux NFS client mounts, and options that
    /// fit fstab and the initrd's mount command and leave the version and
    /// ro/rw to pxefarm.
    static func checkNFS(_ nfs: NFSSettings, context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let base = FieldPath("farm") / "nfs"
        if context.has(base / "version"), !NFSSettings.versions.contains(nfs.version) {
            found.append(.error(base / "version", "\"\(nfs.version)\" is not an NFS version; say 3, 4, 4.0, 4.1 or 4.2"))
        }
        for (index, option) in nfs.options.enumerated() {
            let path = (base / "options")[index]
            let name = String(option.prefix { $0 != "=" })
            let allowed = option.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_=.:/-".contains($0)) }
            if option.isEmpty || name.isEmpty || !allowed {
                found.append(.error(path, "\"\(option)\" is not an NFS mount option (nfs(5): a name such as hard or timeo=600; letters, digits, '_', '-', '.', ':', '/', no spaces or quotes)"))
            } else if NFSSettings.reservedOptions.contains(name) {
                let why = name == "vers" || name == "nfsvers" ? "say the version as farm.nfs.version" : name == "ro" || name == "rw" ? "pxefarm mounts the shared image read-only and each node's tree read-write" : "nodes mount over TCP (the kernel's NFS client has no UDP)"
                found.append(.error(path, "\(name) is set by pxefarm: \(why)"))
            }
        }
        return found
    }

    /// A server or router: never the network or broadcast address; a router
    /// must be on the subnet, a server may sit behind a router.
    static func checkHostAddress(_ address: IPv4Address, on subnet: IPv4Subnet, at path: FieldPath, mustBeOnSubnet: Bool) -> [Diagnostic] {
        if subnet.contains(address) {
            if address == subnet.network {
                return [.error(path, "\(address) is the network address of \(subnet)")]
            }
            if address == subnet.broadcast, subnet.prefixLength < 31 {
                return [.error(path, "\(address) is the broadcast address of \(subnet)")]
            }
        } else if mustBeOnSubnet {
            return [.error(path, "\(address) is outside the subnet \(subnet)")]
        }
        return []
    }
}
