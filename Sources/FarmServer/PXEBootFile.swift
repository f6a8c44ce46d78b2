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

    /// The boot file of `layer` of `service` for this client, by its
    /// architecture (option 93, `ClientArchitecture.table`):
    /// - BIOS: `X86PC/UNDI/<service>/linux.<layer>`.
    /// - UEFI: `<folder>/<service>/linux.<first layer>` (`EFI/X64/...` for
    ///   x86-64) when the TFTP tree has it (see `BootFileCatalog`), else
    ///   refused naming the missing file: a BIOS program hangs an EFI machine.
    /// - iPXE asking for the first layer, where the farm boots iPXE over HTTP
    ///   (`httpBootBase`): its per-node script, `<base>/boot/01-<mac>.ipxe`,
    ///   which loads the kernel and initrd from the same HTTP listener.
    /// - iPXE asking for the first layer of a service whose boot program for
    ///   its firmware is iPXE itself gets the next layer (the kernel, which
    ///   iPXE boots directly): handing iPXE to iPXE would chainload forever.
    ///   Its other requests (pxelinux as linux.0) are served as for any client.
    /// - A UEFI HTTP Boot client of an image whose program is Debian's GRUB
    ///   (`shim-grub`, `grub`) gets it, with a note in the log: that GRUB takes
    ///   no network configuration from HTTP Boot and stops at its prompt.
    /// - An architecture outside the table is refused, naming its code.
    static func choose(service: Service, layer: Int, client: DHCPClient, farm: Farm, catalog: BootFileCatalog, httpBootBase: String? = nil) -> Choice {
        if service.isLocalBoot { return .file(nil, note: nil) }
        guard let architecture = client.architecture else {
            let codes = client.architectureCodes.map(String.init).joined(separator: ", ")
            return .refused(.unknownArchitecture, "client architecture \(codes) (option 93) is not served (served: 0 BIOS; 6, 7, 9, 10, 11 UEFI; 15, 16, 18, 19 UEFI HTTP)")
        }
        let image = service.image.flatMap(farm.image(named:))
        if client.isIPXE, architecture.firmware != .uefiHTTP, layer == service.layers.lowerBound, let base = httpBootBase,
           image != nil, service.layers.count >= 2 {
            return .file(base + "/" + IPXEScriptRenderer.path(of: client.mac), note: "iPXE client: kernel and initrd over HTTP")
        }
        switch architecture.firmware {
        case .bios:
            if client.isIPXE, layer == 0, image?.networkBootProgram == .ipxe, service.layers.contains(1) {
                return .file(service.bootFile(layer: 1), note: "iPXE client: linux.0 is iPXE itself, so linux.1 instead (no chainload loop)")
            }
            return .file(service.bootFile(layer: layer), note: nil)
        case .uefi, .uefiHTTP:
            let first = service.layers.lowerBound
            guard layer == first else {
                return .refused(.efiLayer, "\(architecture) asked for layer \(layer); only the boot program (layer \(first)) is served to UEFI clients")
            }
            if client.isIPXE, architecture.folder == "EFI/X64", image?.efiBootProgram == .ipxe, service.layers.contains(first + 1) {
                return .file(architecture.bootFile(service: service.name, layer: first + 1),
                             note: "iPXE client: linux.\(first) is iPXE itself, so linux.\(first + 1) instead (no chainload loop)")
            }
            let file = architecture.bootFile(service: service.name, layer: first)
            guard catalog.has(file) else {
                return .refused(.efiNoBootProgram, "\(architecture) and no boot program \(file) in the TFTP tree")
            }
            if architecture.firmware == .uefiHTTP, image?.efiBootProgram == .shimGrub || image?.efiBootProgram == .grub {
                return .file(file, note: "\(architecture.name) client (Debian's network GRUB 2.06 reads no configuration after HTTP Boot: efi: ipxe boots such nodes)")
            }
            return .file(file, note: "\(architecture.name) client")
        }
    }

    /// The choice as the `file` field carries it: for UEFI HTTP Boot an
    /// absolute URL under `context.httpOrigin`, which must fit the field's
    /// 128 bytes with its NUL, or a refusal when serve runs no HTTP listener;
    /// for everyone else the TFTP name as chosen.
    static func onTheWire(_ choice: Choice, client: DHCPClient, context: DHCPContext) -> Choice {
        guard case .file(let file?, let note) = choice, let architecture = client.architecture, architecture.firmware == .uefiHTTP else { return choice }
        guard let origin = context.httpOrigin else {
            return .refused(.httpBootUnavailable, "\(architecture) and serve runs no HTTP listener (--no-http) to boot it from")
        }
        let url = "\(origin)/\(file)"
        guard url.utf8.count < maximumFileBytes else {
            return .refused(.httpBootUnavailable, "the boot URL \(url) is \(url.utf8.count) bytes; the file field holds \(maximumFileBytes - 1)")
        }
        return .file(url, note: note)
    }

    /// The BOOTP `file` field: 128 bytes, the last a NUL.
    static let maximumFileBytes = 128

    /// Option 60 of an answer that names a boot file: "HTTPClient" for UEFI
    /// HTTP Boot (it takes no offer without it), "PXEClient" for PXE ROMs,
    /// none for other clients (iPXE's own DHCP).
    static func vendorClass(for client: DHCPClient) -> [UInt8]? {
        if client.isHTTPClient, client.architecture?.firmware == .uefiHTTP { return DHCPReplyBuilder.httpClient }
        return client.isPXE ? DHCPReplyBuilder.pxeClient : nil
    }

    /// Option 43 for a client: the farm's discovery settings and menu. The
    /// menu lists `first` (the node's own service) first and the rest in farm
    /// order, because a PXE client whose prompt times out boots the FIRST
    /// menu item (iPXE does, see FIELD-NOTES "iPXE PXE menus with nobody at
    /// the keyboard"): farm order would boot every unattended node into
    /// whatever service happens to be listed first. Unknown clients (proxy
    /// mode) get the farm order.
    /// With `servers:`, tag 8 lists `bootServers`, the node's own order.
    static func vendorOptions(farm: Farm, first: Service?, bootServers: [IPv4Address]? = nil) -> PXEVendorOptions {
        var options = farm.pxeVendorOptions(bootServers: bootServers)
        if let first, var menu = options.bootMenu, let index = menu.firstIndex(where: { $0.type == first.type }) {
            let item = menu.remove(at: index)
            menu.insert(item, at: 0)
            options.bootMenu = menu
        }
        return options
    }

    /// Reads tag 71 (boot item) from a request's option 43, tolerating a
    /// missing end tag (some ROMs leave it off). Nil when 43 is absent or has no 71.
    static func bootItem(in packet: DHCPPacket) throws(NetbootWireError) -> PXEBootItem? {
        guard let bytes = packet.options.vendorSpecific else { return nil }
        do {
            return try PXEVendorOptions.decode(bytes).bootItem
        } catch {
            guard bytes.last != PXESubOption.endTag, let options = try? PXEVendorOptions.decode(bytes + [PXESubOption.endTag]) else { throw error }
            return options.bootItem
        }
    }
}
