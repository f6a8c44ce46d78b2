import DefaultTemplates
import Glibc

/// Where the initrd's /init and udhcpc script come from: the site's templates
/// folder when it has the file, else the copy compiled into the binary. Which
/// site folder that is (--templates, $PXEFARM_TEMPLATES, /etc/pxefarm/templates)
/// is decided once, by BootConfig's TemplateDirectory.
public struct InitrdTemplates: Hashable, Sendable {
    /// The site folder laid over the built-in templates, if any.
    public let site: String?

    public init(site: String?) {
        self.site = site
    }

    /// A site folder laid over the built-in templates.
    public init(path: String) {
        self.init(site: path)
    }

    /// The files the initrd takes from the templates.
    public static let names = ["initrd/init", "initrd/udhcpc.script"]

    public func file(_ name: String) throws -> [UInt8] {
        if let site {
            let path = site + "/" + name
            if access(path, F_OK) == 0 { return try FileReading.bytes(of: path) }
        }
        guard let text = DefaultTemplates.files[name] else {
            throw InitrdError.templateMissing(name: name, searched: (site.map { [$0] } ?? []) + ["the built-in templates"])
        }
        return Array(text.utf8)
    }
}
