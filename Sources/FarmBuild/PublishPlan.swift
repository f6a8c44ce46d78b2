import BootConfig
import FarmModel

/// Where one server's copy of the farm goes: a local folder (a shared file
/// system, or this machine) or `host:path`, reached by rsync over ssh.
public enum PublishTarget: Hashable, Sendable, CustomStringConvertible {
    case local(String)
    case ssh(host: String, path: String)

    /// `host:path` (a colon before any slash) or a local path.
    public init(_ text: String) {
        if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/"), colon != text.startIndex {
            self = .ssh(host: String(text[..<colon]), path: String(text[text.index(after: colon)...]))
        } else {
            self = .local(text)
        }
    }

    public var path: String {
        switch self {
        case .local(let path), .ssh(_, let path): path
        }
    }

    /// A path under the target as rsync names it.
    func rsyncName(_ relative: String) -> String {
        switch self {
        case .local(let path): path + "/" + relative
        case .ssh(let host, let path): "\(host):\(path)/\(relative)"
        }
    }

    public var description: String {
        switch self {
        case .local(let path): path
        case .ssh(let host, let path): "\(host):\(path)"
        }
    }
}

/// One rsync of a folder or file of the local output to a server (or of
/// chosen entries of a folder: `only`).
public struct PublishCopy: Hashable, Sendable {
    /// Absolute local path; a folder ends in `/` (its contents are copied).
    public var source: String
    /// Relative to the target folder.
    public var destination: String
    /// Generation folders are exact copies (`--delete`); node trees are the
    /// nodes' own on the far side, so only files newer here replace theirs.
    public var exact: Bool
    public var excludes: [String]
    /// A part a generation may lack (ks/ without install services): skipped when absent.
    public var optional = false
    /// The entries of a `source` folder to copy (such as the node trees of
    /// one NFS server's nodes), in one rsync with --files-from; empty copies
    /// the whole folder.
    public var only: [String] = []
}

/// What one server gets of one generation, and the commands that make it
/// current there: everything is staged into `generations/N.partial`, and
/// only then renamed and `current` swapped by one rename, so a server never
/// serves a half-copied generation.
public struct ServerPublication: Hashable, Sendable {
    public var server: Server
    public var target: PublishTarget
    public var generation: Int
    /// Copies into the staging folder, then node trees, in order.
    public var copies: [PublishCopy]
    /// The nodes whose trees this server gets (its NFS nodes).
    public var nodes: [String]

    /// `.pxefarm/generations/N.partial`, relative to the target.
    public var staging: String { ".pxefarm/generations/\(generation).partial" }

    /// The far side's last step, a POSIX shell script: the staged generation
    /// gets its number, `current` points at it (a symlink renamed over the
    /// old one), and the top-level links of the output layout exist.
    public var finishScript: String {
        let root = Shell.quoted(target.path)
        let links = OutputLayout.published.map { "[ -L \($0) ] || ln -s .pxefarm/current/\($0) \($0)" }
        return ([
            "set -e",
            "cd \(root)/.pxefarm/generations",
            "if [ -e \(generation) ]; then rm -rf \(generation).old; mv \(generation) \(generation).old; fi",
            "mv \(generation).partial \(generation)",
            "ln -sfn generations/\(generation) ../current.\(generation)",
            "mv -T ../current.\(generation) ../current",
            "rm -rf \(generation).old",
            "cd \(root)",
        ] + links + [
            "mkdir -p \(OutputLayout.nodeRoots)",
            "[ -L \(OutputLayout.nodeRoots)/.shared ] || ln -s ../.pxefarm/current/\(OutputLayout.sharedImages) \(OutputLayout.nodeRoots)/.shared",
        ]).joined(separator: "\n") + "\n"
    }
}

/// Which parts of a generation each server gets: boot servers (dhcp, tftp,
/// http) the TFTP tree, kickstart files and manifest; NFS servers the shared
/// images, once each, and the trees of their own nodes only; every server
/// the generation's etc/ without the per-server configurations, with its own
/// (etc/servers/<name>/) in their place: its dhcpd.conf, Kea, dnsmasq, exports.
public enum PublishPlan {
    /// The files in etc/ that are one server's own.
    static let perServerFiles = ["dhcpd.conf", "kea-dhcp4.conf", "dnsmasq.conf", "exports"]

    public static func make(farm: Farm, layout: OutputLayout, generation: Int, targets: [String: PublishTarget]) -> [ServerPublication] {
        let source = layout.generation(generation)
        return farm.effectiveServers.compactMap { server in
            guard let target = targets[server.name] else { return nil }
            var publication = ServerPublication(server: server, target: target, generation: generation, copies: [], nodes: [])
            let staging = publication.staging
            func copy(_ part: String, exact: Bool = true, excludes: [String] = []) -> PublishCopy {
                PublishCopy(source: source + "/" + part, destination: staging + "/" + part, exact: exact, excludes: excludes)
            }
            let own = farm.servers.isEmpty ? [] : perServerFiles + ["servers/"]
            publication.copies.append(copy("etc/", excludes: own))
            if !farm.servers.isEmpty {
                publication.copies.append(PublishCopy(source: source + "/\(ServerFilesRenderer.directory)/\(server.name)/",
                                                      destination: staging + "/etc/", exact: false, excludes: []))
            }
            if server.has(.dhcp) || server.has(.tftp) || server.has(.http) {
                var kickstart = copy("ks/")
                kickstart.optional = true
                publication.copies += [copy("tftpboot/"), kickstart, copy(Manifest.fileName)]
            }
            if server.has(.nfs) {
                publication.copies.append(copy(OutputLayout.sharedImages + "/"))
                publication.nodes = farm.nodes.filter { node in
                    farm.homeNFSServer(of: node) == server && farm.service(named: node.service)?.root == .nfs
                }.map(\.name)
                if !publication.nodes.isEmpty {
                    publication.copies.append(PublishCopy(source: layout.root + "/\(OutputLayout.nodeRoots)/",
                                                          destination: "\(OutputLayout.nodeRoots)/", exact: false, excludes: [],
                                                          only: publication.nodes.map { $0 + "/" }))
                }
            }
            return publication
        }
    }
}

/// Quoting for the far side's shell.
enum Shell {
    static func quoted(_ text: String) -> String { "'" + text.replacing("'", with: "'\\''") + "'" }
}
