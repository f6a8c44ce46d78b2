import ArgumentParser
import BootConfig

/// `--templates DIR`, and where templates are found without it.
struct TemplateOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("A templates folder of the site's own, laid out like templates/.", valueName: "DIR"))
    var templates: String?

    /// The templates, from --templates, else $PXEFARM_TEMPLATES, else the
    /// installed share/pxefarm/templates, else the source checkout's templates/.
    func load() throws(BootConfigError) -> (templates: Templates, directory: String) {
        let directory = try TemplateDirectory.locate(explicit: templates)
        return (try TemplateDirectory.load(directory), directory)
    }
}
