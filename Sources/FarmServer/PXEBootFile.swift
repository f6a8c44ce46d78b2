import BootConfig
import FarmModel
import NetbootWire

/// Which boot file a client gets from a service, and the option 43 it is
/// told. Pure; the policies call it with what they read from the request.
enum PXEBootFile {
    enum Choice: Equatable {
        /// The file to put in `file` (nil: local boot, nothing to load).
        case file(String?, note: String?)
        /// Refused: the category it is counted under, and why.
        case refused(DHCPRefusal, String)
    }

    /// The boot file of `layer` of `service` for this client:
    /// - BIOS: `X86PC/UNDI/<service>/linux.<layer>`.
    /// - EFI x86-64: `EFI/X64/<service>/linux.0` when the site put one there
    ///   (see `BootFileCatalog`), else refused: a BIOS program hangs an EFI machine.
    /// - iPXE asking for the first layer, where the farm boots iPXE over HTTP
    ///   (`httpBootBase`): its per-node script, `<base>/boot/01-<mac>.ipxe`,
    ///   which loads the kernel and initrd from the same HTTP listener.
    /// - iPXE asking for layer 0 of a service whose network boot program is
    ///   iPXE itself gets the next layer (the kernel, which iPXE boots
    ///   directly): handing iPXE to iPXE would chainload forever. Its other
    ///   requests (pxelinux as linux.0) are served as for any BIOS client.
    static func choose(service: Service, layer: Int, client: DHCPClient, farm: Farm, catalog: BootFileCatalog, httpBootBase: String? = nil) -> Choice {
        if service.isLocalBoot { return .file(nil, note: nil) }
        if client.isIPXE, layer == service.layers.lowerBound, let base = httpBootBase,
           service.image.flatMap(farm.image(named:)) != nil, service.layers.count >= 2 {
            return .file(base + "/" + IPXEScriptRenderer.path(of: client.mac), note: "iPXE client: kernel and initrd over HTTP")
        }
        switch client.firmware {
        case .bios:
            if client.isIPXE, layer == 0, let image = service.image.flatMap(farm.image(named:)),
               image.networkBootProgram == .ipxe, service.layers.contains(1) {
                return .file(service.bootFile(layer: 1), note: "iPXE client: linux.0 is iPXE itself, so linux.1 instead (no chainload loop)")
            }
            return .file(service.bootFile(layer: layer), note: nil)
        case .efi64:
            guard layer == service.layers.lowerBound else {
                return .refused(.efiLayer, "EFI client asked for layer \(layer); only the EFI boot program (layer \(service.layers.lowerBound)) is served to EFI")
            }
            guard catalog.efiServices.contains(service.name) else {
                return .refused(.efiNoBootProgram, "EFI client (option 93) and no EFI boot program \(BootFileCatalog.efiBootFile(service: service.name)) in the TFTP tree")
            }
            return .file(BootFileCatalog.efiBootFile(service: service.name), note: "EFI client")
        case .other(let architecture):
            return .refused(.unknownArchitecture, "client architecture \(architecture) (option 93) has no boot program")
        }
    }

    /// Option 43 for a client: the farm's discovery settings and menu. The
    /// menu lists `first` (the node's own service) first and the rest in farm
    /// order, because a PXE client whose prompt times out boots the FIRST
    /// menu item (iPXE does, see FIELD-NOTES "iPXE PXE menus with nobody at
    /// the keyboard"): farm order would boot every unattended node into
    /// whatever service happens to be listed first. Unknown clients (proxy
    /// mode) get the farm order.
    static func vendorOptions(farm: Farm, first: Service?) -> PXEVendorOptions {
        var options = farm.pxeVendorOptions()
        if let first, var menu = options.bootMenu, let index = menu.firstIndex(where: { $0.type == first.type }) {
            let item = menu.remove(at: index)
            menu.insert(item, at: 0)
            options.bootMenu = menu
        }
        return options
    }

    /// Reads tag 71 (boot item) from a request's option 43, tolerating a
    /// missing end tag (some ROMs leave it off). Nil when 43 is absent or has no 71.
    static func bootItem(in packet: DHCPPacket) throws(PXEOptionsDecodeError) -> PXEBootItem? {
        guard let bytes = packet.options.vendorSpecific else { return nil }
        do {
            return try PXEVendorOptions.decode(bytes).bootItem
        } catch {
            guard bytes.last != PXESubOption.endTag, let options = try? PXEVendorOptions.decode(bytes + [PXESubOption.endTag]) else { throw error }
            return options.bootItem
        }
    }
}
