/// The `services:` section: PXE server types, names, menu text, images.
enum ServiceRules {
    /// Types the PXE specification reserves (0 is local boot, 1-9 are Intel's
    /// and vendors' well-known servers).
    static let reservedTypes: ClosedRange<UInt16> = 1...9

    static func check(_ farm: Farm, context: ValidationContext) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var typeOwner: [UInt16: Int] = [:]
        var nameOwner: [String: Int] = [:]
        for (index, service) in farm.services.enumerated() {
            let base = FieldPath("services")[index]
            if context.has(base / "type") {
                if let first = typeOwner[service.type] {
                    found.append(.error(base / "type", "type \(service.type) is already used by services[\(first)] (\(farm.services[first].name)); each service needs its own type"))
                } else {
                    typeOwner[service.type] = index
                }
                if reservedTypes.contains(service.type), !service.allowReservedType {
                    found.append(.error(base / "type", "type \(service.type) is reserved by the PXE specification (1-9); pick 10-65535, or add 'reserved-type: true' to use it on purpose"))
                }
            }
            if context.has(base / "name") {
                if !TextRules.isDirectoryName(service.name) {
                    found.append(.error(base / "name", "\"\(service.name)\" is not usable as a directory of the TFTP tree (letters, digits, '-', '_', '.'; at most 64)"))
                } else if let first = nameOwner[service.name] {
                    found.append(.error(base / "name", "name \(service.name) is already used by services[\(first)]"))
                } else {
                    nameOwner[service.name] = index
                }
            }
            if service.menu.utf8.count > 255 {
                found.append(.error(base / "menu", "menu text is \(service.menu.utf8.count) bytes; PXE menus (option 43 tag 9) hold at most 255"))
            }
            if let problem = TextRules.injection(in: service.menu, at: base / "menu") { found.append(problem) }
            if let problem = TextRules.injection(in: service.kernelArguments, at: base / "kernel-args") { found.append(problem) }
            found += checkImage(of: service, at: base, in: farm, context: context)
            if let kickstart = service.kickstart {
                found += ImageRules.expect(.file, at: kickstart, base / "kickstart", what: "kickstart template", context)
                if farm.settings.secrets == nil, let node = farm.nodes.first(where: { $0.service == service.name }) {
                    found.append(.warning(base / "kickstart", "\(node.name) boots \(service.name), but farm.secrets is not set: its kickstart file needs the root password hash and callback key from a secrets file, so pxefarm config will refuse"))
                }
            }
            if service.layers.lowerBound < 0 || service.layers.upperBound > 9 {
                found.append(.error(base / "layers", "layers \(service.layers.lowerBound)-\(service.layers.upperBound) must lie within 0-9 (files linux.0 to linux.9)"))
            }
        }
        return found
    }

    static func checkImage(of service: Service, at base: FieldPath, in farm: Farm, context: ValidationContext) -> [Diagnostic] {
        guard context.has(base / "image") else { return [] }
        if let name = service.image {
            if farm.image(named: name) == nil {
                let known = farm.images.map(\.name)
                return [.error(base / "image", "unknown image \"\(name)\"" + Suggestion.didYouMean(name, among: known, otherwise: known.isEmpty ? "; the farm file has no images" : "; images are: \(known.joined(separator: ", "))"))]
            }
        } else if !service.isLocalBoot, service.root != .local {
            return [.error(base, "service \(service.name) boots a \(service.root.rawValue) root but names no image; add 'image:'")]
        }
        return []
    }
}
