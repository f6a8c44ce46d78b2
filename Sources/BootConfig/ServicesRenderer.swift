import Foundation
import FarmModel

/// The lines to add to /etc/services for PXE (reference digest §2):
/// pxe 67/udp, pxe 4011/udp, tftp 69/udp, mtftp 1759/udp.
public enum ServicesRenderer: ConfigRenderer {
    public static let outputPath = "etc/services.pxefarm"
    public static let templatePaths = ["etc/services.pxefarm.mustache"]

    struct View {
        let header: String
        let entries: [Entry]
    }

    struct Entry {
        let name, port, comment: String
    }

    public static let entries = [
        ("pxe", 67, "DHCP, and ProxyDHCP beside it"),
        ("pxe", 4011, "ProxyDHCP and boot server requests"),
        ("tftp", 69, "boot files"),
        ("mtftp", 1759, "PXE multicast TFTP"),
    ]

    public static func render(_ farm: Farm, with templates: Templates) throws(BootConfigError) -> [RenderedFile] {
        let view = View(header: GeneratedHeader.text(farm), entries: entries.map {
            Entry(name: $0.0.padding(toLength: 15, withPad: " ", startingAt: 0), port: "\($0.1)/udp".padding(toLength: 15, withPad: " ", startingAt: 0), comment: $0.2)
        })
        return [RenderedFile(path: outputPath, text: try templates.render(templatePaths[0], view))]
    }
}
