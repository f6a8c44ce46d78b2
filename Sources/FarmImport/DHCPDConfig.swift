import FarmModel
import NetbootWire

/// What a dhcpd.conf says about a farm: the global and subnet parameters and
/// every host block with the parameters it inherits from its subnet, groups
/// and the global scope (dhcpd.conf(5): inner scopes override outer ones).
public struct DHCPDConfig: Hashable, Sendable {
    public var global: DHCPDParameters
    public var subnets: [DHCPDSubnet]
    public var hosts: [DHCPDHost]

    public init(global: DHCPDParameters = DHCPDParameters(), subnets: [DHCPDSubnet] = [], hosts: [DHCPDHost] = []) {
        self.global = global
        self.subnets = subnets
        self.hosts = hosts
    }
}

/// A `subnet NETWORK netmask MASK { }` declaration.
public struct DHCPDSubnet: Hashable, Sendable {
    public var subnet: IPv4Subnet
    /// Its own parameters merged over the global ones.
    public var parameters: DHCPDParameters
    /// `range` statements: dynamic pools, which a farm of fixed nodes does not carry.
    public var dynamicRanges: [String]
    public var location: SourceLocation

    public init(subnet: IPv4Subnet, parameters: DHCPDParameters, dynamicRanges: [String] = [], location: SourceLocation) {
        self.subnet = subnet
        self.parameters = parameters
        self.dynamicRanges = dynamicRanges
        self.location = location
    }
}

/// A `host NAME { }` block with everything it inherits.
public struct DHCPDHost: Hashable, Sendable {
    public var name: String
    public var mac: MACAddress?
    public var fixedAddress: IPv4Address?
    public var parameters: DHCPDParameters
    public var location: SourceLocation

    public init(name: String, mac: MACAddress? = nil, fixedAddress: IPv4Address? = nil, parameters: DHCPDParameters = DHCPDParameters(), location: SourceLocation) {
        self.name = name
        self.mac = mac
        self.fixedAddress = fixedAddress
        self.parameters = parameters
        self.location = location
    }
}

/// The parameters and options that matter to a PXE farm. nil: not said.
public struct DHCPDParameters: Hashable, Sendable {
    public var domainName: String?
    public var routers: [IPv4Address]?
    public var domainNameServers: [IPv4Address]?
    public var broadcastAddress: IPv4Address?
    public var defaultLeaseTime: Int?
    public var maxLeaseTime: Int?
    public var nextServer: IPv4Address?
    public var filename: String?
    public var rootPath: String?
    /// Option 60, under either of its names.
    public var classIdentifier: DHCPDClassIdentifier?
    /// Option 43, decoded with the PXE codec.
    public var vendorOptions: DHCPDVendorOptions?

    public init() {}

    /// `self` with every value `inner` says put over it.
    public func overridden(by inner: DHCPDParameters) -> DHCPDParameters {
        var merged = self
        merged.domainName = inner.domainName ?? domainName
        merged.routers = inner.routers ?? routers
        merged.domainNameServers = inner.domainNameServers ?? domainNameServers
        merged.broadcastAddress = inner.broadcastAddress ?? broadcastAddress
        merged.defaultLeaseTime = inner.defaultLeaseTime ?? defaultLeaseTime
        merged.maxLeaseTime = inner.maxLeaseTime ?? maxLeaseTime
        merged.nextServer = inner.nextServer ?? nextServer
        merged.filename = inner.filename ?? filename
        merged.rootPath = inner.rootPath ?? rootPath
        merged.classIdentifier = inner.classIdentifier ?? classIdentifier
        merged.vendorOptions = inner.vendorOptions ?? vendorOptions
        return merged
    }
}

/// Option 60 and the name it was written under: `dhcp-class-identifier`
/// (dhcpd 2.0) or `vendor-class-identifier` (dhcpd 3 and later).
public struct DHCPDClassIdentifier: Hashable, Sendable {
    public var value, optionName: String

    public init(value: String, optionName: String) { self.value = value; self.optionName = optionName }
}

/// Option 43 as written (bytes) and as read by the PXE codec.
public struct DHCPDVendorOptions: Hashable, Sendable {
    public var bytes: [UInt8]
    public var decoded: PXEVendorOptions
    public var location: SourceLocation

    public init(bytes: [UInt8], decoded: PXEVendorOptions, location: SourceLocation) {
        self.bytes = bytes
        self.decoded = decoded
        self.location = location
    }
}
