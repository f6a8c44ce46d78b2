import FarmModel

/// Reads `services:`, a list in menu order.
enum ServicesSection {
    static let keys = ["type", "name", "menu", "image", "root", "kernel-args", "kickstart", "layers", "reserved-type"]

    static func read(_ node: YAMLNode?, context: LoadContext) -> [Service] {
        guard let node else { return [] }
        let path: FieldPath = "services"
        context.record(path, at: node)
        guard case .sequence(let sequence) = node else {
            context.unusable(path, "expected a list of services, found \(YAMLMapping.describe(node))")
            return []
        }
        return sequence.enumerated().compactMap { index, item in
            YAMLMapping(item, at: path[index], keys: keys, context: context).map { read($0, context: context) }
        }
    }

    static func read(_ map: YAMLMapping, context: LoadContext) -> Service {
        let type = map.int("type", in: 0...65_535, required: true) ?? 0
        let name = map.string("name", required: true) ?? "service-\(type)"
        let image = map.string("image")
        let root = map.choice("root", of: RootKind.self) ?? (image == nil ? .local : .nfs)
        return Service(
            type: UInt16(type), name: name, menu: map.string("menu") ?? name, image: image, root: root,
            kernelArguments: map.words("kernel-args") ?? "", kickstart: map.filePath("kickstart"),
            layers: readLayers(map, context: context), allowReservedType: map.bool("reserved-type") ?? false)
    }

    /// `layers: [0, 2]` or `layers: 0-2`: the min and max layer (PXE ImageFile_Name).
    static func readLayers(_ map: YAMLMapping, context: LoadContext) -> ClosedRange<Int> {
        let standard = 0...2
        guard let node = map.value("layers") else { return standard }
        let texts: [String]
        if case .scalar(let scalar) = node {
            texts = scalar.string.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        } else {
            texts = map.list("layers").compactMap { map.scalar($0.node, at: $0.path) }
        }
        let numbers = texts.compactMap { Int($0) }
        guard texts.count == 2, numbers.count == 2, numbers[0] <= numbers[1] else {
            context.unusable(map.path / "layers", "expected the lowest and highest layer, such as [0, 2] or 0-2")
            return standard
        }
        return numbers[0]...numbers[1]
    }
}
