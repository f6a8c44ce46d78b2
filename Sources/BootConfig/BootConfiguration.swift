import FarmModel

/// Every configuration file a farm needs, rendered from one set of
/// templates: what `pxefarm config` writes and `pxefarm build` plans.
public enum BootConfiguration {
    /// Every renderer, in the order their files are listed.
    public static let renderers: [any ConfigRenderer.Type] = [
        DHCPDConfRenderer.self, PXEConfRenderer.self, KeaConfRenderer.self, DnsmasqConfRenderer.self,
        ExportsRenderer.self, ServicesRenderer.self, PXELinuxRenderer.self, GRUBRenderer.self, ServerFilesRenderer.self,
    ]

    /// Every template the renderers use.
    public static var templatePaths: [String] {
        var paths: [String] = []
        for path in renderers.flatMap({ $0.templatePaths }) where !paths.contains(path) { paths.append(path) }
        return paths
    }

    /// All files, sorted by path. The farm should have passed validation;
    /// an option 43 that does not fit is still refused here.
    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        var files: [RenderedFile] = []
        var seen: Set<String> = []
        for renderer in renderers {
            for file in try renderer.render(farm, with: templates) {
                guard seen.insert(file.path).inserted else { throw .duplicateOutput(path: file.path) }
                files.append(file)
            }
        }
        return files.sorted { $0.path < $1.path }
    }
}
