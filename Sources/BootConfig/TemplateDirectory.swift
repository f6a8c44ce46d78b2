import DefaultTemplates
import FileIO
import Foundation

/// Finds a site's templates folder and lays it over the built-in templates (the
/// disk edge of rendering).
///
/// The default templates are compiled into the binary (`DefaultTemplates`), so a
/// binary copied anywhere renders. A site folder overrides them file by file; it
/// is the first of: `--templates DIR`; `$PXEFARM_TEMPLATES`; `/etc/pxefarm/templates`
/// when it exists. The installed `share/pxefarm/templates` is a reference copy to
/// start a site folder from, never read.
public enum TemplateDirectory {
    /// Where a site keeps its templates when neither --templates nor the environment names one.
    public static let systemSite = "/etc/pxefarm/templates"

    /// The site folder to lay over the built-in templates, if any. An explicit
    /// folder or `$PXEFARM_TEMPLATES` is taken as given, so that a mistake in it
    /// is reported instead of silently falling back to the defaults. The
    /// folder looked at is recorded in `log`, found or not.
    public static func site(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment, systemSite: String = systemSite, log: ReadLog? = nil) throws(BootConfigError) -> String? {
        if let given = explicit ?? environment["PXEFARM_TEMPLATES"].flatMap({ $0.isEmpty ? nil : $0 }) {
            log?.record(given)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: given, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .templatesDirectoryMissing(given)
            }
            return given
        }
        log?.record(systemSite)
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: systemSite, isDirectory: &isDirectory) && isDirectory.boolValue ? systemSite : nil
    }

    /// The built-in templates with the site folder's (see `site`) laid over them.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment, systemSite: String = systemSite, log: ReadLog? = nil) throws(BootConfigError) -> Templates {
        guard let folder = try site(explicit: explicit, environment: environment, systemSite: systemSite, log: log) else { return .builtIn }
        return Templates.builtIn.overlaid(by: try load(folder, log: log))
    }

    /// Every `*.mustache` file under `directory`, keyed by relative path;
    /// `log` gets the folder, every folder below it (a file added or removed
    /// there changes the folder's signature) and every file read.
    public static func load(_ directory: String, log: ReadLog? = nil) throws(BootConfigError) -> Templates {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .templatesDirectoryMissing(directory)
        }
        var texts: [String: String] = [:]
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let walker = FileManager.default.enumerator(atPath: root.path) else {
            throw .templateUnreadable(path: directory, reason: "cannot list it")
        }
        log?.record(root.path)
        while let relative = walker.nextObject() as? String {
            let path = root.appendingPathComponent(relative).path
            var isFolder: ObjCBool = false
            if let log, FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { log.record(path) }
            guard relative.hasSuffix(".mustache") else { continue }
            log?.record(path)
            do {
                texts[relative] = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw .templateUnreadable(path: path, reason: error.localizedDescription)
            }
        }
        return Templates(texts: texts, origin: directory, siteDirectory: directory)
    }
}
