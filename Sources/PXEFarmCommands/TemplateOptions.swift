import ArgumentParser
import BootConfig
import FileIO

/// `--templates DIR`, and where templates are found without it.
struct TemplateOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("A templates folder of the site's own, laid out like templates/; its files replace the built-in ones of the same name (default: $PXEFARM_TEMPLATES, else /etc/pxefarm/templates if it exists).", valueName: "DIR"))
    var templates: String?

    /// The built-in templates with the site's folder (--templates, else
    /// $PXEFARM_TEMPLATES, else /etc/pxefarm/templates) laid over them.
    func load(log: ReadLog? = nil) throws(BootConfigError) -> (templates: Templates, directory: String) {
        let found = try TemplateDirectory.resolve(explicit: templates, log: log)
        return (found, found.origin)
    }
}
