import Foundation

/// Finds the templates directory and reads it into `Templates` (the disk edge
/// of rendering).
///
/// Looked for in this order: `--templates DIR`; `$PXEFARM_TEMPLATES`;
/// `<prefix>/share/pxefarm/templates` beside an installed `<prefix>/bin/pxefarm`;
/// `templates/` of the source checkout the executable was built in
/// (`.build/<config>/pxefarm`, found by walking up from it).
public enum TemplateDirectory {
    /// A file every complete templates directory has, to tell it from a stray `templates/`.
    static let marker = "etc/dhcpd.conf.mustache"

    public static func candidates(explicit: String?, environment: [String: String], executable: String) -> [String] {
        if let explicit { return [explicit] }
        var found: [String] = []
        if let fromEnvironment = environment["PXEFARM_TEMPLATES"], !fromEnvironment.isEmpty { found.append(fromEnvironment) }
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        found.append(binary.deletingLastPathComponent().appendingPathComponent("share/pxefarm/templates").path)
        var directory = binary
        while directory.path != "/" {
            found.append(directory.appendingPathComponent("templates").path)
            directory = directory.deletingLastPathComponent()
        }
        return found
    }

    /// The first candidate that holds templates. An explicit directory or
    /// `$PXEFARM_TEMPLATES` is taken as given, so that a mistake in it is
    /// reported instead of silently falling back to the defaults.
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment, executable: String = Bundle.main.executablePath ?? CommandLine.arguments.first ?? "") throws(BootConfigError) -> String {
        let searched = candidates(explicit: explicit, environment: environment, executable: executable)
        if explicit != nil || environment["PXEFARM_TEMPLATES"].map({ !$0.isEmpty }) == true {
            return searched[0]
        }
        for candidate in searched where FileManager.default.fileExists(atPath: candidate + "/" + marker) {
            return candidate
        }
        throw .templatesNotFound(searched: searched)
    }

    /// Every `*.mustache` file under `directory`, keyed by relative path.
    public static func load(_ directory: String) throws(BootConfigError) -> Templates {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .templatesDirectoryMissing(directory)
        }
        var texts: [String: String] = [:]
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let walker = FileManager.default.enumerator(atPath: root.path) else {
            throw .templateUnreadable(path: directory, reason: "cannot list it")
        }
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".mustache") else { continue }
            let path = root.appendingPathComponent(relative).path
            do {
                texts[relative] = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw .templateUnreadable(path: path, reason: error.localizedDescription)
            }
        }
        return Templates(texts: texts, origin: directory)
    }
}
