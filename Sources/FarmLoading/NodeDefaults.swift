import FarmModel

/// `defaults:`: what a node takes when its entry does not say.
struct NodeDefaults {
    static let keys = ["service", "kernel-args"]

    var service: String?
    var kernelArguments: String = ""

    static func read(_ map: YAMLMapping?, services: [Service]) -> NodeDefaults {
        var defaults = NodeDefaults()
        defaults.service = map?.string("service")
        defaults.kernelArguments = map?.words("kernel-args") ?? ""
        if defaults.service == nil {
            // With one service that boots an image, that is every node's default.
            let bootable = services.filter { !$0.isLocalBoot && $0.image != nil }
            if bootable.count == 1 { defaults.service = bootable[0].name }
        }
        return defaults
    }
}
