import FarmModel

/// The per-node boot files of some nodes alone, which `pxefarm serve`
/// renders for nodes whose boot differs from the built tree's: what a
/// renderer makes of a farm holding only those nodes, less the file every
/// node of a service shares, keyed by their name under the TFTP root.
enum PerNodeFiles {
    static func render(_ nodes: Set<String>, of farm: Farm, with templates: Templates,
                       by renderer: (Farm, Templates) throws(BootConfigError) -> [RenderedFile],
                       skippingShared sharedSuffix: String) throws(BootConfigError) -> [String: [UInt8]] {
        var only = farm
        only.nodes = farm.nodes.filter { nodes.contains($0.name) }
        var files: [String: [UInt8]] = [:]
        for file in try renderer(only, templates) where !file.path.hasSuffix(sharedSuffix) {
            files[String(file.path.dropFirst("tftpboot/".count))] = Array(file.text.utf8)
        }
        return files
    }
}
