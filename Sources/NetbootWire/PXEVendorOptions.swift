/// The value of DHCP option 43 for a PXE client: the sub-options a DHCP or
/// ProxyDHCP answer carries (reference digest §4), as named fields.
///
/// `encode()` writes the sub-options in ascending tag order followed by the
/// end tag; `decode(_:)` reads them strictly (see `NetbootWireError`).
public struct PXEVendorOptions: Hashable, Sendable {
    public var mtftpAddress: IPv4Address?
    public var mtftpClientPort: UInt16?
    public var mtftpServerPort: UInt16?
    public var mtftpTimeout: UInt8?
    public var mtftpDelay: UInt8?
    public var discoveryControl: PXEDiscoveryControl?
    public var multicastDiscoveryAddress: IPv4Address?
    public var bootServers: [PXEBootServerList]?
    public var bootMenu: [PXEMenuItem]?
    public var prompt: PXEPrompt?
    public var bootItem: PXEBootItem?
    /// Tags without a field of their own, in ascending tag order.
    public var otherSubOptions: [PXESubOption]

    /// Option 43 as a whole holds at most 255 bytes (one DHCP option).
    public static let maximumLength = 255

    public init(
        mtftpAddress: IPv4Address? = nil, mtftpClientPort: UInt16? = nil, mtftpServerPort: UInt16? = nil,
        mtftpTimeout: UInt8? = nil, mtftpDelay: UInt8? = nil, discoveryControl: PXEDiscoveryControl? = nil,
        multicastDiscoveryAddress: IPv4Address? = nil, bootServers: [PXEBootServerList]? = nil,
        bootMenu: [PXEMenuItem]? = nil, prompt: PXEPrompt? = nil, bootItem: PXEBootItem? = nil,
        otherSubOptions: [PXESubOption] = []
    ) {
        self.mtftpAddress = mtftpAddress
        self.mtftpClientPort = mtftpClientPort
        self.mtftpServerPort = mtftpServerPort
        self.mtftpTimeout = mtftpTimeout
        self.mtftpDelay = mtftpDelay
        self.discoveryControl = discoveryControl
        self.multicastDiscoveryAddress = multicastDiscoveryAddress
        self.bootServers = bootServers
        self.bootMenu = bootMenu
        self.prompt = prompt
        self.bootItem = bootItem
        self.otherSubOptions = otherSubOptions
    }

    /// The sub-options that are set, in ascending tag order (the order `encode` writes).
    public var subOptions: [PXESubOption] {
        let named: [PXESubOption?] = [
            mtftpAddress.map(PXESubOption.mtftpAddress), mtftpClientPort.map(PXESubOption.mtftpClientPort),
            mtftpServerPort.map(PXESubOption.mtftpServerPort), mtftpTimeout.map(PXESubOption.mtftpTimeout),
            mtftpDelay.map(PXESubOption.mtftpDelay), discoveryControl.map(PXESubOption.discoveryControl),
            multicastDiscoveryAddress.map(PXESubOption.multicastDiscoveryAddress),
            bootServers.map(PXESubOption.bootServers), bootMenu.map(PXESubOption.bootMenu),
            prompt.map(PXESubOption.prompt), bootItem.map(PXESubOption.bootItem),
        ]
        return (named.compactMap { $0 } + otherSubOptions).sorted { $0.tag < $1.tag }
    }

    /// Sets the field of one sub-option; false when that field is already set.
    mutating func set(_ option: PXESubOption) -> Bool {
        func fill<Value>(_ field: inout Value?, _ value: Value) -> Bool {
            guard field == nil else { return false }
            field = value
            return true
        }
        switch option {
        case .mtftpAddress(let value): return fill(&mtftpAddress, value)
        case .mtftpClientPort(let value): return fill(&mtftpClientPort, value)
        case .mtftpServerPort(let value): return fill(&mtftpServerPort, value)
        case .mtftpTimeout(let value): return fill(&mtftpTimeout, value)
        case .mtftpDelay(let value): return fill(&mtftpDelay, value)
        case .discoveryControl(let value): return fill(&discoveryControl, value)
        case .multicastDiscoveryAddress(let value): return fill(&multicastDiscoveryAddress, value)
        case .bootServers(let value): return fill(&bootServers, value)
        case .bootMenu(let value): return fill(&bootMenu, value)
        case .prompt(let value): return fill(&prompt, value)
        case .bootItem(let value): return fill(&bootItem, value)
        case .other(let tag, _):
            guard !otherSubOptions.contains(where: { $0.tag == tag }) else { return false }
            // Kept in ascending tag order whatever order the bytes had, as `encode` writes
            // them: otherwise a decoded value would differ from its own round trip.
            let index = otherSubOptions.firstIndex { $0.tag > tag } ?? otherSubOptions.endIndex
            otherSubOptions.insert(option, at: index)
            return true
        }
    }
}
