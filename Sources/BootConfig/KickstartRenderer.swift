import Foundation
import FarmModel
import FileIO

/// Kickstart files, `ks/<node>.cfg`, for every node whose service has a
/// kickstart template (an install service, such as linux-install). Each is
/// rendered with the node's own values, the farm's network, the root
/// password hash from the secrets file and the node's callback token
/// (`CallbackToken`), which only that node's file carries. Pure: the
/// templates and secrets come in as values; `KickstartTemplates` reads the
/// templates, `SecretsLoader` the secrets.
///
/// Template variables: node.name, node.ip, node.mac, node.service,
/// farm.name, farm.domain, farm.netmask, farm.router, farm.dns (comma
/// separated), farm.server, secrets.root_password_hash, callback.port,
/// callback.token, callback.url (`http://SERVER:PORT/done/NODE?token=TOKEN`).
public enum KickstartRenderer {
    public static func outputPath(of node: String) -> String { "ks/\(node).cfg" }

    struct View {
        let node: NodeValues
        let farm: FarmValues
        let secrets: SecretValues
        let callback: CallbackValues
    }

    struct NodeValues {
        let name, ip, mac, service: String
    }

    struct FarmValues {
        let name, domain, netmask, router, dns, server: String
    }

    struct SecretValues {
        let root_password_hash: String
    }

    struct CallbackValues {
        let port: Int
        let token, url: String
    }

    /// The nodes that get a kickstart file, with their template path, in farm order.
    public static func installNodes(of farm: Farm) -> [(node: Node, template: String)] {
        farm.nodes.compactMap { node in
            farm.service(named: node.service)?.kickstart.map { (node, $0) }
        }
    }

    /// `templates` holds each kickstart template under the path the service
    /// gives (`Service.kickstart`); see `KickstartTemplates`.
    public static func render(_ farm: Farm, with templates: KickstartTemplates, secrets: FarmSecrets) throws(BootConfigError) -> [RenderedFile] {
        var files: [RenderedFile] = []
        for (node, template) in installNodes(of: farm) {
            files.append(try render(node: node, template: template, farm: farm, with: templates, secrets: secrets))
        }
        return files
    }

    /// One node's kickstart file from `template` (the service it installs
    /// with, which `pxefarm serve` may choose for a rollout).
    public static func render(node: Node, template: String, farm: Farm, with templates: KickstartTemplates, secrets: FarmSecrets) throws(BootConfigError) -> RenderedFile {
        let settings = farm.settings
        let port = settings.httpPort
        let farmValues = FarmValues(
            name: settings.name, domain: settings.domain, netmask: "\(settings.subnet.mask)",
            router: settings.routers.first.map(\.description) ?? "",
            dns: settings.dnsServers.map(\.description).joined(separator: ","), server: "\(settings.server)")
        let token = secrets.callbackToken(for: node.name)
        let view = View(
            node: NodeValues(name: node.name, ip: "\(node.ip)", mac: "\(node.mac)", service: node.service),
            farm: farmValues,
            secrets: SecretValues(root_password_hash: secrets.rootPasswordHash),
            callback: CallbackValues(port: port, token: token, url: "http://\(settings.server):\(port)/done/\(node.name)?token=\(token)"))
        return RenderedFile(path: outputPath(of: node.name), text: try templates.render(template, view))
    }

    /// Where an installer fetches a node's kickstart file from `pxefarm serve`.
    public static func url(of node: String, settings: FarmSettings) -> String {
        "http://\(settings.server):\(settings.httpPort)/\(outputPath(of: node))"
    }
}

/// The kickstart templates a farm's services name, keyed by that path. Each
/// is parsed from its own folder, so a syntax error names the real file.
public struct KickstartTemplates: Sendable {
    public var byPath: [String: Templates]

    public init(byPath: [String: Templates] = [:]) { self.byPath = byPath }

    /// One template's text, as `load` reads it from `path`.
    public mutating func add(path: String, text: String) {
        let (folder, name) = Self.split(path)
        byPath[path] = Templates(texts: [name: text], origin: folder)
    }

    func render(_ path: String, _ view: Any) throws(BootConfigError) -> String {
        let (folder, name) = Self.split(path)
        guard let templates = byPath[path] else { throw .templateMissing(path: name, directory: folder) }
        return try templates.render(name, view)
    }

    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        return (slash == path.startIndex ? "/" : String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    /// Reads every template the farm's install nodes need (the disk edge);
    /// with `allServices`, those of every install service (for `pxefarm
    /// serve`, which may move any node to one). `log` gets each path read.
    public static func load(_ farm: Farm, allServices: Bool = false, log: ReadLog? = nil) throws(BootConfigError) -> KickstartTemplates {
        var templates = KickstartTemplates()
        let paths = allServices ? farm.services.compactMap(\.kickstart) : KickstartRenderer.installNodes(of: farm).map(\.template)
        for path in paths where templates.byPath[path] == nil {
            log?.record(path)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw .templateUnreadable(path: path, reason: "missing, unreadable or not UTF-8")
            }
            templates.add(path: path, text: text)
        }
        return templates
    }
}
