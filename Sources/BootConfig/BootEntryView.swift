import Mustache

/// What a boot loader's configuration for one entry shows, for the pxelinux
/// and GRUB templates alike: the generated header, the service and its menu
/// text, the node (nil in a service's `default` file), the kernel and initrd
/// as the loader names them, and the kernel command line, already quoted the
/// loader's way. `farm` is the farm's name where the template shows it.
struct BootEntryView: MustacheParent {
    let header: String
    var farm: String? = nil
    let service, menu: String
    let node: String?
    let kernel: String
    let initrd: String?
    let arguments: String

    func child(named name: String) -> Any? {
        switch name {
        case "header": header
        case "farm": farm
        case "service": service
        case "menu": menu
        case "node": node
        case "kernel": kernel
        case "initrd": initrd
        case "arguments": arguments
        default: nil
        }
    }
}
