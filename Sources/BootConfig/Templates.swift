import DefaultTemplates
import FarmModel
import Foundation
import Mustache

/// The template texts a render uses, keyed by their path relative to the
/// templates directory (`etc/dhcpd.conf.mustache`). Pure: parsing and
/// rendering need no disk; `TemplateDirectory` reads them in.
public struct Templates: Sendable {
    public var texts: [String: String]
    /// Where they came from, for messages.
    public var origin: String
    /// The site folder whose files override the built-in ones, if any: where the
    /// initrd's /init and udhcpc script are looked for first.
    public var siteDirectory: String?
    /// Where each text came from when not all came from `origin`.
    var origins: [String: String] = [:]

    public init(texts: [String: String], origin: String, siteDirectory: String? = nil) {
        self.texts = texts
        self.origin = origin
        self.siteDirectory = siteDirectory
    }

    /// What `origin` says of the templates compiled into the binary.
    public static let builtInOrigin = "built-in templates"

    /// The default templates compiled into the binary (the `.mustache` files of templates/).
    public static let builtIn = Templates(texts: DefaultTemplates.files.filter { $0.key.hasSuffix(".mustache") }, origin: builtInOrigin)

    /// These templates with each of `site`'s replacing the one of the same path.
    public func overlaid(by site: Templates) -> Templates {
        var merged = Templates(texts: texts, origin: "\(site.origin) over the \(origin)", siteDirectory: site.siteDirectory ?? siteDirectory)
        for path in texts.keys { merged.origins[path] = origin(of: path) }
        for (path, text) in site.texts {
            merged.texts[path] = text
            merged.origins[path] = site.origin(of: path)
        }
        return merged
    }

    /// The folder (or `builtInOrigin`) the text at `path` came from.
    public func origin(of path: String) -> String { origins[path] ?? origin }

    /// How a template's `{{value}}` tags escape what they insert.
    public enum Escaping: String, Sendable {
        /// Inserted as is: configuration files are not HTML. The farm
        /// validator keeps quotes, semicolons and braces out of farm text.
        case none = "TEXT"
        /// Inside JSON strings: quotes, backslashes and control characters escaped.
        case json = "JSON"
    }

    /// The parsed template at `path`, its `{{value}}` tags escaping as asked.
    public func template(_ path: String, escaping: Escaping = .none) throws(BootConfigError) -> MustacheTemplate {
        guard let text = texts[path] else { throw .templateMissing(path: path, directory: origin) }
        // A thousand nodes render the same few templates: parse each text once.
        let key = escaping.rawValue + "\u{0}" + origin(of: path) + "/" + path + "\u{0}" + text
        if let parsed = ParsedTemplates.shared.lookup(key) { return parsed }
        let parsed = try parse(path, text: text, escaping: escaping)
        ParsedTemplates.shared.store(parsed, for: key)
        return parsed
    }

    private func parse(_ path: String, text: String, escaping: Escaping) throws(BootConfigError) -> MustacheTemplate {
        _ = Self.registerContentTypes
        // A standalone pragma line renders as nothing, so the output starts
        // where the template does; parse errors are one line further down.
        do {
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: \(escaping.rawValue)}}\n" + text)
        } catch let error as MustacheTemplate.ParserError {
            throw .templateSyntax(path: "\(origin(of: path))/\(path)", line: max(1, error.context.lineNumber - 1), column: error.context.columnNumber, reason: "\(error.error)")
        } catch {
            throw .templateSyntax(path: "\(origin(of: path))/\(path)", line: 1, column: 1, reason: "\(error)")
        }
    }

    /// Renders `view` with the template at `path`.
    public func render(_ path: String, _ view: Any, escaping: Escaping = .none) throws(BootConfigError) -> String {
        try template(path, escaping: escaping).render(view)
    }

    private static let registerContentTypes: Void = MustacheContentTypes.register(JSONStringContent(), named: Escaping.json.rawValue)
}

/// Escapes text for the inside of a JSON string (RFC 8259 §7).
struct JSONStringContent: MustacheContentType {
    static let escapes = ScalarEscapes(["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"]) { scalar in
        scalar.value < 0x20 ? String(format: "\\u%04x", scalar.value) : nil
    }

    func escapeText(_ text: String) -> String { Self.escapes.escape(text) }
}

/// Parsed templates, keyed by their text (and where it came from), for the
/// life of the process.
final class ParsedTemplates: @unchecked Sendable {
    static let shared = ParsedTemplates()
    private let lock = NSLock()
    private var parsed: [String: MustacheTemplate] = [:]

    func lookup(_ key: String) -> MustacheTemplate? {
        lock.lock()
        defer { lock.unlock() }
        return parsed[key]
    }

    func store(_ template: MustacheTemplate, for key: String) {
        lock.lock()
        defer { lock.unlock() }
        parsed[key] = template
    }
}
