import FarmModel

/// One kind of output file, rendered from the farm and a template. Pure:
/// template text in, text out; writing is `ConfigWriter`'s job.
public protocol ConfigRenderer: Sendable {
    /// The templates it uses, relative to the templates directory.
    static var templatePaths: [String] { get }
    /// The files it makes, paths relative to the output folder.
    static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile]
}

/// The first line of a generated file, in the file's comment syntax.
enum GeneratedHeader {
    static func text(_ farm: Farm) -> String {
        "Written by pxefarm for farm \(farm.settings.name) from its farm file: change the farm file, not this file."
    }
}
